//! Label search in a report's text: the text and its normalised form side by side, and labels
//! found by their keys, numerals and tails, mapped back to the source's bytes.

use std::ops::Range;

use super::text::Normalized;
use crate::template::LabelSpec;

/// The source text and its normalised form, read together: what labels are searched in. (A
/// document's structure, as a .docx or web page has it, is [`super::document::Document`].)
pub struct Indexed<'a> {
    /// The source text.
    pub source: &'a str,
    /// The source normalised for label search.
    pub norm: Normalized,
}

/// A label found in the normalised text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    /// Where the label starts, in the normalised text.
    pub(super) start: usize,
    /// Where it ends.
    pub(super) end: usize,
    /// Only a prefix of the label matched (a label cut by a line break or misread).
    pub(super) loose: bool,
}

/// Where some labels (a table's headers) occur within a stretch of text, gathered once to be
/// asked many times where the next of them starts: a table's text is cut at the first header
/// after each row, and looking up every header again for every row was some 250 label searches
/// a report.
pub(super) struct Marks {
    /// Every occurrence of the labels' keys, by start.
    marks: Vec<Mark>,
}

/// One occurrence of a label's key (normalised offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    start: usize,
    end: usize,
    /// The length of the label's numeral where it is printed just before the key (else 0).
    numeral: usize,
}

/// Where a label starts whose key starts at `key_start`, with a numeral of `numeral` bytes
/// printed before the key (0: none): the numeral is the label's only where it lies inside the
/// stretch searched from `from`.
fn label_start(key_start: usize, numeral: usize, from: usize) -> usize {
    if numeral > 0 && key_start >= from + numeral {
        key_start - numeral
    } else {
        key_start
    }
}

impl Marks {
    /// Where the first of the labels found by [`Indexed::find_label`] between `from` and `to`
    /// starts: the same answer as the earliest of `find_label(label, from, to)` over the labels,
    /// for `from..to` within the stretch the marks were gathered in.
    pub(super) fn first_start(&self, from: usize, to: usize) -> Option<usize> {
        let first = self.marks.partition_point(|m| m.start < from);
        self.marks[first..]
            .iter()
            .take_while(|m| m.start < to)
            .filter(|m| m.end <= to)
            .map(|m| label_start(m.start, m.numeral, from))
            .min()
    }
}

impl Indexed<'_> {
    /// Finds a label at or after `from` and ending by `to` (normalised offsets).
    pub(super) fn find_label(&self, spec: &LabelSpec, from: usize, to: usize) -> Option<Found> {
        self.find_label_with(spec, from, to, false)
    }

    /// Finds a label; with `loose`, when no spelling matches whole, the longest prefix of one
    /// (at least 4 characters and 70% of it) is accepted and marked loose.
    pub(super) fn find_label_with(
        &self,
        spec: &LabelSpec,
        from: usize,
        to: usize,
        loose: bool,
    ) -> Option<Found> {
        let earliest = |keys: &mut dyn Iterator<Item = (&str, bool)>| -> Option<Found> {
            let mut best: Option<Found> = None;
            for (key, is_loose) in keys {
                let Some(at) = self.find_key_within(key, from, to) else {
                    continue;
                };
                let end = at + key.len();
                if best.is_none_or(|b| at < b.start || (at == b.start && end > b.end)) {
                    best = Some(Found {
                        start: at,
                        end,
                        loose: is_loose,
                    });
                }
            }
            best
        };
        let mut best = earliest(&mut spec.keys.iter().map(|k| (*k, false)));
        if best.is_none() && loose {
            let prefixes: Vec<&str> = spec
                .keys
                .iter()
                .flat_map(|key| {
                    let chars: Vec<(usize, char)> = key.char_indices().collect();
                    let shortest = 4.max(chars.len() * 7 / 10);
                    (shortest..chars.len())
                        .rev()
                        .map(move |n| &key[..chars[n].0])
                })
                .collect();
            for prefix in prefixes {
                best = earliest(&mut std::iter::once((prefix, true)));
                if best.is_some() {
                    break;
                }
            }
        }
        let mut found = best?;
        found.start = label_start(found.start, self.numeral_before(spec, found.start), from);
        let mut matched = 0;
        for c in spec.tail.chars() {
            if self
                .norm
                .starts_with_at(found.end + matched, c.encode_utf8(&mut [0; 4]))
            {
                matched += c.len_utf8();
            } else {
                break;
            }
        }
        found.end += matched;
        Some(found)
    }

    /// The length of `spec`'s numeral where it is printed just before normalised offset `at`
    /// and is not the end of a number there; 0 otherwise.
    fn numeral_before(&self, spec: &LabelSpec, at: usize) -> usize {
        spec.numeral
            .filter(|numeral| {
                self.norm.ends_with_at(at, numeral) && !self.after_digit(at - numeral.len())
            })
            .map_or(0, str::len)
    }

    /// Every occurrence of the labels' keys within `range` (normalised offsets), for
    /// [`Marks::first_start`].
    pub(super) fn marks<'l>(
        &self,
        labels: impl IntoIterator<Item = &'l LabelSpec>,
        range: &Range<usize>,
    ) -> Marks {
        let mut marks = Vec::new();
        for label in labels {
            for key in label.keys {
                let mut from = range.start;
                while let Some(at) = self.find_key_within(key, from, range.end) {
                    marks.push(Mark {
                        start: at,
                        end: at + key.len(),
                        numeral: self.numeral_before(label, at),
                    });
                    from = at + 1;
                }
            }
        }
        marks.sort_unstable();
        Marks { marks }
    }

    pub(super) fn find(&self, key: &str, from: usize) -> Option<usize> {
        self.norm.find(key, from)
    }

    /// Whether the numeral at normalised offset `at` is really the end of a number: straight
    /// after a digit in the source and without its own point (`3222没有…`, where OCR lost `2.`).
    /// A glued scrape's `00000002.其他…` keeps its numeral: the point says so.
    pub(super) fn after_digit(&self, at: usize) -> bool {
        let start = self.norm.source_start(at, self.source.len());
        let rest = self.source[start..].trim_start_matches(|c: char| c.is_ascii_digit());
        self.source[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
            && !rest.starts_with(['.', '．', '、'])
    }

    /// Finds a label key, never one that starts on the last digit of a number in the source
    /// (`3222` then a label `2.没有…` whose `2.` was lost: the `2` is the number's).
    pub(super) fn find_key_within(&self, key: &str, mut from: usize, to: usize) -> Option<usize> {
        loop {
            let at = self.norm.find_within(key, from, to)?;
            if !(key.starts_with(|c: char| c.is_ascii_digit()) && self.after_digit(at)) {
                return Some(at);
            }
            from = at + 1;
        }
    }

    /// The source text of a normalised range that starts at a label: from its first character.
    pub(super) fn source_range(&self, norm: Range<usize>) -> Range<usize> {
        let start = self.norm.source_start(norm.start, self.source.len());
        start..self.source_end_before(norm.end).max(start)
    }

    /// The source text between two labels: from just after the first to just before the second,
    /// whatever whitespace and punctuation lie between.
    pub(super) fn region_range(&self, norm: Range<usize>) -> Range<usize> {
        let start = self.norm.source_end(norm.start);
        start..self.source_end_before(norm.end).max(start)
    }

    pub(super) fn source_end_before(&self, norm_end: usize) -> usize {
        if norm_end >= self.norm.text.len() {
            self.source.len()
        } else {
            self.norm.source_start(norm_end, self.source.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{T2_MARKERS, T3_MARKERS, T3_OTHER_2021_GROUP};

    /// The marks gathered once say where the next header starts exactly as looking each one
    /// up again does, for every stretch of every sample (the numbered headers of 表三 among
    /// them, whose numeral counts only inside the stretch).
    #[test]
    fn marks_find_what_each_label_search_finds() {
        let labels: Vec<&LabelSpec> = T2_MARKERS
            .iter()
            .chain(T3_MARKERS)
            .chain([&T3_OTHER_2021_GROUP])
            .map(|m| &m.label)
            .collect();
        let samples = super::super::SAMPLE_TEXTS.into_iter().chain([
            include_str!("../../tests/fixtures/corpus/r10_pingtan_2019.txt"),
            include_str!("../../tests/fixtures/corpus/r12_pingtan_2021.txt"),
        ]);
        let mut found = 0;
        for source in samples {
            let doc = Indexed {
                source,
                norm: Normalized::new(source).unwrap_or_else(|| panic!("normalised")),
            };
            let len = doc.norm.text.len();
            let marks = doc.marks(labels.iter().copied(), &(0..len));
            let starts: Vec<usize> = (0..len)
                .filter(|&at| doc.norm.text.is_char_boundary(at))
                .collect();
            for &from in &starts {
                for span in [3, 40, 300, 2_000, len] {
                    let to = (from + span).min(len);
                    let each = labels
                        .iter()
                        .filter_map(|label| doc.find_label(label, from, to))
                        .map(|f| f.start)
                        .min();
                    assert_eq!(marks.first_start(from, to), each, "{from}..{to}");
                    found += usize::from(each.is_some());
                }
            }
        }
        assert!(found > 1_000, "{found}");
    }
}
