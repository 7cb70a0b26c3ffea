//! Cuts the text between two labels into items: values, blanks and label text. The three shapes
//! of converted reports differ only here: a .docx dump puts one cell on each tab-indented line, a
//! scraped page one cell per line, and some scraped pages run every cell into the next.

use std::ops::Range;

/// How a region of text delimits its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One cell per tab-indented line (a .docx converted to text); lines without a tab continue
    /// the cell above (another paragraph of it).
    Tabbed,
    /// One cell per line (a scraped web page).
    Lines,
    /// Everything on one line: whitespace is the only boundary a scrape left, and often there is none.
    Glued,
}

/// What an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// Text with digits in it: a cell, or several glued cells.
    Value,
    /// An empty cell.
    Blank,
    /// Label text: a header, a heading, the rest of a row label.
    Label,
}

/// A piece of a region with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it holds.
    pub kind: ItemKind,
    /// Its bytes in the source.
    pub span: Range<usize>,
}

/// Characters that may follow a number as its unit.
fn is_unit(c: char) -> bool {
    matches!(c, '万' | '元' | '件' | '条' | '个' | '项')
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Whether a cell's text is label text rather than a value: it has Chinese words other than
/// units, outside any parenthesised annotation, or Chinese and no digit at all (`（二）`).
#[must_use]
pub fn is_label_text(text: &str) -> bool {
    if !text.chars().any(|c| c.is_ascii_digit()) && text.chars().any(is_cjk) {
        return true;
    }
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_cjk(c) && !is_unit(c) => return true,
            _ => {}
        }
    }
    false
}

/// The mode of a region, from its first cells.
#[must_use]
pub fn mode_of(region: &str) -> Mode {
    if region.contains("\n\t") || region.starts_with('\t') {
        Mode::Tabbed
    } else if region.trim_end().contains('\n') {
        Mode::Lines
    } else {
        Mode::Glued
    }
}

/// Cuts regions into items, keeping its lists from one region to the next: a table's rows are
/// cut one after another, and each would otherwise allocate lists of its own.
#[derive(Debug, Default)]
pub struct Cutter {
    items: Vec<Item>,
    /// A region's characters with their offsets, for a scrape's lines.
    chars: Vec<(usize, char)>,
}

impl Cutter {
    /// Cuts `source[range]` into items. Text at the very start of the region that is label text
    /// on the same line (the rest of a row label) comes out as a label item like any other.
    pub fn cut(&mut self, source: &str, range: Range<usize>, mode: Mode) -> &[Item] {
        let region = &source[range.clone()];
        self.items.clear();
        match mode {
            Mode::Tabbed => tabbed_items(region, range.start, &mut self.items),
            Mode::Lines | Mode::Glued => {
                // The region's characters, listed once for all its lines (a row in a scrape has
                // a line for each cell).
                self.chars.clear();
                self.chars.extend(region.char_indices());
                let mut lines = self.chars.split_inclusive(|&(_, c)| c == '\n').peekable();
                while let Some(line) = lines.next() {
                    let end = lines.peek().map_or(region.len(), |next| next[0].0);
                    run_items(region, line, end, range.start, &mut self.items);
                }
            }
        }
        &self.items
    }
}

fn classify(text: &str) -> ItemKind {
    // Most cells of a .docx dump: a plain number, which the rules below make a value only after
    // four walks over its characters.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return ItemKind::Value;
    }
    if text.chars().all(is_space) {
        ItemKind::Blank
    } else if is_label_text(text) || text.chars().all(|c| is_space(c) || is_punctuation(c)) {
        ItemKind::Label
    } else {
        ItemKind::Value
    }
}

/// How long `line` is without the line breaks (`\n`, `\r`) that end it.
fn without_breaks(line: &[u8]) -> usize {
    line.iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |last| last + 1)
}

/// A .docx dump: a line starting with a tab opens a cell; other lines continue it, except label
/// lines (a section heading after the table), which stand alone. The lines are found and trimmed
/// as bytes: a table's rows are cut one by one for every report, and `str`'s line splitting and
/// trimming by characters were most of the cut.
fn tabbed_items(region: &str, base: usize, out: &mut Vec<Item>) {
    let bytes = region.as_bytes();
    let mut open: Option<Range<usize>> = None;
    let close = |open: &mut Option<Range<usize>>, out: &mut Vec<Item>| {
        if let Some(span) = open.take() {
            let end = span.start + without_breaks(&bytes[span.start - base..span.end - base]);
            out.push(Item {
                kind: classify(&region[span.start - base..end - base]),
                span: span.start..end,
            });
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        let next = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        // The line without its breaks; they are ASCII, so this ends on a character boundary.
        let content = &region[at..at + without_breaks(&bytes[at..next])];
        let offset = base + at;
        if at == 0 {
            // The remainder of the label's own line.
            if !content.trim().is_empty() {
                out.push(Item {
                    kind: classify(content),
                    span: offset..offset + content.len(),
                });
            }
        } else if let Some(cell) = content.strip_prefix('\t') {
            close(&mut open, out);
            let start = offset + 1;
            open = Some(start..start + cell.len());
        } else if !content.trim().is_empty() && is_label_text(content) {
            close(&mut open, out);
            out.push(Item {
                kind: ItemKind::Label,
                span: offset..offset + content.len(),
            });
        } else if let Some(span) = open.as_mut() {
            span.end = offset + content.len();
        } else if !content.trim().is_empty() {
            out.push(Item {
                kind: classify(content),
                span: offset..offset + content.len(),
            });
        }
        at = next;
    }
    close(&mut open, out);
}

/// One line of a scrape, its characters `chars` (offsets in `region`, the line ending at `end`):
/// alternate runs of values (digits, signs, units, spaces, annotations right after a number)
/// and label text.
fn run_items(region: &str, chars: &[(usize, char)], end: usize, base: usize, out: &mut Vec<Item>) {
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        let value_start = c.is_ascii_digit() || ((c == '-' || c == '+') && next_is_digit(chars, i));
        let mut j = i + 1;
        if value_start {
            let mut last_digit = i;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    last_digit = j;
                } else if matches!(d, '(' | '（') && j == last_digit + 1 {
                    // An annotation right after a number: `22（其中修订16件）`.
                    let Some(close) = annotation_end(chars, j) else {
                        break;
                    };
                    j = close;
                } else if !(is_space(d)
                    || matches!(d, '.' | ',' | '-' | '+' | '%')
                    || is_unit(d)
                    || !is_text(d))
                {
                    break;
                }
                j += 1;
            }
            // Trailing spaces and separators belong to no value.
            let mut stop = j;
            while stop > i
                && (is_space(chars[stop - 1].1) || matches!(chars[stop - 1].1, ',' | '-' | '+'))
            {
                stop -= 1;
            }
            let end_byte = chars.get(stop).map_or(end, |&(b, _)| b);
            let text = &region[start..end_byte];
            out.push(Item {
                kind: classify(text),
                span: base + start..base + end_byte,
            });
            i = j;
        } else {
            while j < chars.len() && (!chars[j].1.is_ascii_digit() || glued_to_label(chars, j)) {
                j += 1;
            }
            let end_byte = chars.get(j).map_or(end, |&(b, _)| b);
            let text = region[start..end_byte].trim_end();
            if !text.is_empty() {
                out.push(Item {
                    kind: ItemKind::Label,
                    span: base + start..base + start + text.len(),
                });
            }
            i = j;
        }
    }
}

/// Brackets and separators: alone in a cell they are the edge of a label, not a value.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '（'
            | '）'
            | '、'
            | '.'
            | '。'
            | ','
            | '，'
            | ':'
            | '：'
            | '-'
            | '—'
            | '·'
            | '•'
            | '“'
            | '”'
            | '"'
    )
}

/// Characters that make text a label rather than OCR noise in a value: Chinese and Latin letters
/// (but not stray symbols such as `φ`, `€`, `~`).
fn is_text(c: char) -> bool {
    (is_cjk(c) && !is_unit(c))
        || c.is_ascii_alphabetic()
        || matches!(c, '、' | '：' | ':' | '（' | '(' | '）' | ')' | '。' | '，')
}

fn next_is_digit(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|&(_, c)| c.is_ascii_digit())
}

/// A digit inside label text that belongs to it, such as the `20` of `第二十条` written in digits
/// or the `3` of `“三安全一稳定”`: a digit between two Chinese characters.
fn glued_to_label(chars: &[(usize, char)], j: usize) -> bool {
    let before = j.checked_sub(1).map(|k| chars[k].1);
    let mut k = j;
    while k < chars.len() && chars[k].1.is_ascii_digit() {
        k += 1;
    }
    let after = chars.get(k).map(|&(_, c)| c);
    before.is_some_and(|c| is_cjk(c) && !is_unit(c))
        && after.is_some_and(|c| c == '年' || c == '月' || c == '日')
}

/// The index of the closing parenthesis of an annotation opened at `open`, if the parentheses
/// hold an annotation (`其中…`, or digits) and close on this line.
fn annotation_end(chars: &[(usize, char)], open: usize) -> Option<usize> {
    let close = (open + 1..chars.len()).find(|&k| matches!(chars[k].1, ')' | '）'))?;
    let inner = &chars[open + 1..close];
    let among = inner.windows(2).any(|w| w[0].1 == '其' && w[1].1 == '中');
    (among || inner.iter().any(|&(_, c)| c.is_ascii_digit())).then_some(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str, mode: Mode) -> Vec<(ItemKind, &str)> {
        Cutter::default()
            .cut(source, 0..source.len(), mode)
            .iter()
            .map(|i| (i.kind, &source[i.span.clone()]))
            .collect()
    }

    #[test]
    fn tabbed_cells_keep_their_paragraphs_and_blanks() {
        let src = "\n\t0\u{a0}0\n\t\n0 \n\t \n\t11\n\n\t\n四、政府信息公开行政复议\n";
        assert_eq!(
            texts(src, Mode::Tabbed),
            vec![
                (ItemKind::Value, "0\u{a0}0"),
                (ItemKind::Value, "\n0 "),
                (ItemKind::Blank, " "),
                (ItemKind::Value, "11"),
                (ItemKind::Blank, ""),
                (ItemKind::Label, "四、政府信息公开行政复议"),
            ]
        );
    }

    /// The tabbed cut, its lines found and trimmed as bytes, is the cut as `str`'s line
    /// splitting and trimming define it, on made regions of cells, breaks of every kind, blanks,
    /// labels and values that are not plain numbers, cut at any byte from where the region starts.
    #[test]
    fn the_tabbed_cut_is_the_cut_by_lines_of_characters() {
        use proptest::prelude::*;
        fn classify_plainly(text: &str) -> ItemKind {
            if text.chars().all(is_space) {
                ItemKind::Blank
            } else if is_label_text(text) || text.chars().all(|c| is_space(c) || is_punctuation(c))
            {
                ItemKind::Label
            } else {
                ItemKind::Value
            }
        }
        fn plainly(region: &str, base: usize) -> Vec<Item> {
            let mut out = Vec::new();
            let mut open: Option<Range<usize>> = None;
            let mut offset = base;
            let mut first = true;
            let close = |open: &mut Option<Range<usize>>, out: &mut Vec<Item>| {
                if let Some(span) = open.take() {
                    let text = &region[span.start - base..span.end - base];
                    let end = span.start + text.trim_end_matches(['\n', '\r']).len();
                    out.push(Item {
                        kind: classify_plainly(&region[span.start - base..end - base]),
                        span: span.start..end,
                    });
                }
            };
            for line in region.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                let item = |kind| Item {
                    kind,
                    span: offset..offset + content.len(),
                };
                if first {
                    first = false;
                    if !content.trim().is_empty() {
                        out.push(item(classify_plainly(content)));
                    }
                } else if let Some(cell) = content.strip_prefix('\t') {
                    close(&mut open, &mut out);
                    open = Some(offset + 1..offset + 1 + cell.len());
                } else if !content.trim().is_empty() && is_label_text(content) {
                    close(&mut open, &mut out);
                    out.push(item(ItemKind::Label));
                } else if let Some(span) = open.as_mut() {
                    span.end = offset + content.len();
                } else if !content.trim().is_empty() {
                    out.push(item(classify_plainly(content)));
                }
                offset += line.len();
            }
            close(&mut open, &mut out);
            out
        }
        let pieces = prop::sample::select(vec![
            "\n",
            "\n",
            "\r",
            "\r\n",
            "\t",
            "\t",
            "\n\t",
            "\n\t",
            "0",
            "12",
            "7",
            " ",
            "\u{a0}",
            "\u{3000}",
            "万",
            "件",
            "（二）",
            "(",
            ")",
            "其中",
            "、",
            "-",
            ".",
            "不予公开",
            "四、政府",
            "é",
            "φ",
            "€",
        ]);
        proptest!(|(parts in prop::collection::vec(pieces, 0..40), cut in 0_usize..200)| {
            let source = parts.concat();
            let mut cut = cut.min(source.len());
            while !source.is_char_boundary(cut) {
                cut -= 1;
            }
            let mut cutter = Cutter::default();
            let fast = cutter.cut(&source, cut..source.len(), Mode::Tabbed).to_vec();
            prop_assert_eq!(fast, plainly(&source[cut..], cut), "{:?} from {}", source, cut);
        });
    }

    #[test]
    fn glued_runs_split_values_from_labels() {
        assert_eq!(
            texts("500000 5（三）不予公开", Mode::Glued),
            vec![
                (ItemKind::Value, "500000 5"),
                (ItemKind::Label, "（三）不予公开")
            ]
        );
        assert_eq!(
            texts(" 0 0 00 00 0 四、政府信息公开", Mode::Glued),
            vec![
                (ItemKind::Value, "0 0 00 00 0"),
                (ItemKind::Label, "四、政府信息公开")
            ]
        );
    }

    #[test]
    fn units_and_annotations_stay_with_their_number() {
        assert_eq!(
            texts("13575394432.52元三、收到", Mode::Glued)[0],
            (ItemKind::Value, "13575394432.52元")
        );
        assert_eq!(
            texts("22（其中修订16件）行政许可", Mode::Glued)[0],
            (ItemKind::Value, "22（其中修订16件）")
        );
        assert_eq!(
            texts("0φ 1€\n", Mode::Lines),
            vec![(ItemKind::Value, "0φ 1€")]
        );
    }
}
