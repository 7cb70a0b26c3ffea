//! Text normalised for finding labels: whitespace and punctuation dropped, full-width forms folded,
//! with a map back to byte offsets in the source so that every match has a span.

/// Source text with whitespace and punctuation removed and full-width letters and digits folded
/// to ASCII, so that `（三）不予 公 开` and `(三)不予公开` both read `三不予公开`.
#[derive(Debug)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the source byte offset where its character starts.
    start: Vec<usize>,
    /// For each byte of `text`, the source byte offset where its character ends.
    end: Vec<usize>,
}

/// Folds one character: full-width ASCII to ASCII; `None` for characters that labels ignore.
#[must_use]
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then_some(c);
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Some(c);
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.is_alphanumeric().then_some(c)
}

/// Normalises a label as written in the template, the same way as source text.
#[must_use]
pub fn normalize_key(key: &str) -> String {
    key.chars().filter_map(fold_char).collect()
}

impl Normalized {
    /// Normalises `source`.
    #[must_use]
    pub fn new(source: &str) -> Normalized {
        let mut text = String::with_capacity(source.len());
        let mut start = Vec::with_capacity(source.len());
        let mut end = Vec::with_capacity(source.len());
        for (offset, c) in source.char_indices() {
            if let Some(folded) = fold_char(c) {
                text.push(folded);
                for _ in 0..folded.len_utf8() {
                    start.push(offset);
                    end.push(offset + c.len_utf8());
                }
            }
        }
        Normalized { text, start, end }
    }

    /// The first occurrence of `needle` at or after normalised offset `from`.
    #[must_use]
    pub fn find(&self, needle: &str, from: usize) -> Option<usize> {
        self.find_within(needle, from, self.text.len())
    }

    /// The first occurrence of `needle` that lies within normalised offsets `from..to`.
    #[must_use]
    pub fn find_within(&self, needle: &str, from: usize, to: usize) -> Option<usize> {
        let to = self.floor_boundary(to.min(self.text.len()));
        if needle.is_empty() || from > to {
            return None;
        }
        let from = self.ceil_boundary(from).min(to);
        // A byte search: a UTF-8 needle found in UTF-8 text starts on a character boundary.
        // (`str::find` sets up its searcher for every call; labels are looked for thousands of
        // times a report.)
        memchr::memmem::find(&self.text.as_bytes()[from..to], needle.as_bytes()).map(|i| i + from)
    }

    /// The source byte offset where the character at normalised offset `at` starts; the end of
    /// the source for offsets past the end.
    #[must_use]
    pub fn source_start(&self, at: usize, source_len: usize) -> usize {
        self.start.get(at).copied().unwrap_or(source_len)
    }

    /// The source byte offset just past the character that ends at normalised offset `at`.
    #[must_use]
    pub fn source_end(&self, at: usize) -> usize {
        if at == 0 {
            0
        } else {
            self.end.get(at - 1).copied().unwrap_or(0)
        }
    }

    /// Whether the text at normalised offset `at` starts with `prefix`.
    #[must_use]
    pub fn starts_with_at(&self, at: usize, prefix: &str) -> bool {
        self.text
            .get(at..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    /// Whether the text just before normalised offset `at` ends with `suffix`.
    #[must_use]
    pub fn ends_with_at(&self, at: usize, suffix: &str) -> bool {
        self.text
            .get(..at)
            .is_some_and(|head| head.ends_with(suffix))
    }

    fn floor_boundary(&self, mut at: usize) -> usize {
        while at > 0 && !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil_boundary(&self, mut at: usize) -> usize {
        while at < self.text.len() && !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_and_full_width_labels_normalise_alike() {
        assert_eq!(normalize_key("（三）不予 公 开"), "三不予公开");
        assert_eq!(normalize_key("(三)不予公开"), "三不予公开");
        assert_eq!(normalize_key("3.危及“三安全一稳定”"), "3危及三安全一稳定");
        assert_eq!(normalize_key("第二十条第（一）项"), "第二十条第一项");
        assert_eq!(normalize_key("１２"), "12");
    }

    #[test]
    fn matches_map_back_to_source_bytes() {
        let source = "行政规范性文件\n\t　　0";
        let n = Normalized::new(source);
        let at = n.find("规范性文件", 0).unwrap();
        let end = at + "规范性文件".len();
        assert_eq!(
            &source[n.source_start(at, source.len())..n.source_end(end)],
            "规范性文件"
        );
        let zero = n.find("0", 0).unwrap();
        assert_eq!(
            &source[n.source_start(zero, source.len())..n.source_end(zero + 1)],
            "0"
        );
    }
}
