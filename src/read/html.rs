//! Saved web pages: the encoding found without the user's help (byte-order mark, valid UTF-8,
//! the page's declared charset, else a statistical guess for Chinese), then the page's paragraphs
//! and its tables with `rowspan`/`colspan` laid out on a grid. Scripts, styles and navigation are
//! not part of the report.

use encoding_rs::{Encoding, UTF_8};
use scraper::{ElementRef, Html, Node};

use super::document::{Block, DocCell, Document};

/// Decodes a page's bytes; returns the text and the encoding used.
#[must_use]
pub fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding);
    }
    // Valid UTF-8 with Chinese in it is UTF-8, whatever the page claims.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8);
    }
    if let Some(encoding) = declared(bytes) {
        let (text, _, had_errors) = encoding.decode(bytes);
        if !had_errors {
            return (text.into_owned(), encoding);
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding)
}

/// The charset a page declares in its first 4 KiB (`<meta charset=gb2312>`).
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Encoding::for_label(label.as_bytes())
}

/// Elements that hold no report text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "iframe", "svg", "button", "select",
    "form",
];
/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "ul",
    "ol", "dd", "dt", "title",
];

/// Elements nested deeper than this are refused: real report pages nest a few dozen deep, and
/// the HTML parser's time grows with the square of the depth (100,000 nested `<div>` took 49 s).
pub const MAX_DEPTH: usize = 512;

/// Pages with more elements than this are refused: a report page has a few thousand, and the
/// parsed tree costs a few hundred bytes per element.
pub const MAX_ELEMENTS: usize = 200_000;

/// Why a web page was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlError {
    /// Elements nested deeper than [`MAX_DEPTH`]; the line where the limit was passed.
    TooDeep {
        /// 1-based line of the decoded page.
        line: usize,
    },
    /// More than [`MAX_ELEMENTS`] elements; the line where the limit was passed.
    TooManyElements {
        /// 1-based line of the decoded page.
        line: usize,
    },
}

impl std::fmt::Display for HtmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HtmlError::TooDeep { line } => write!(
                f,
                "line {line}: elements nested more than {MAX_DEPTH} deep; not a report page, refused"
            ),
            HtmlError::TooManyElements { line } => write!(
                f,
                "line {line}: more than {MAX_ELEMENTS} elements; not a report page, refused"
            ),
        }
    }
}

impl HtmlError {
    /// The error in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            HtmlError::TooDeep { line } => {
                format!("第{line}行：元素嵌套超过{MAX_DEPTH}层，不是报告网页，已拒绝")
            }
            HtmlError::TooManyElements { line } => {
                format!("第{line}行：元素超过{MAX_ELEMENTS}个，不是报告网页，已拒绝")
            }
        }
    }
}

/// Reads a page into its document structure.
///
/// # Errors
/// An [`HtmlError`] for a page nested too deep or with too many elements, found by a scan of
/// its tags before it is parsed, so that parsing time and memory stay bounded.
pub fn document(bytes: &[u8]) -> Result<Document, HtmlError> {
    let (text, _) = decode(bytes);
    scan_tags(&text)?;
    let html = Html::parse_document(&text);
    let mut walk = Walk::default();
    walk.element(html.root_element());
    walk.flush();
    if walk.too_deep {
        // The parser nested deeper than the scan foresaw (formatting elements it reopened).
        return Err(HtmlError::TooDeep { line: 1 });
    }
    Ok(Document {
        blocks: walk.blocks,
    })
}

/// Tags that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "bgsound", "frame", "keygen",
];
/// Tags whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];
/// Tags that bound the scopes in which an open `p`, `li`, `td` … is closed by a new one.
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "applet", "marquee", "object", "template", "button",
];
/// Start tags that close an open `p` in scope.
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "dl",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "form",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "blockquote",
    "address",
    "center",
    "figure",
    "main",
    "menu",
    "fieldset",
    "hr",
    "li",
    "dd",
    "dt",
];

/// Scans a page's tags the way a browser nests them, closely enough to bound how deep and how
/// many its elements are before the real parser sees it.
///
/// # Errors
/// When the page passes [`MAX_DEPTH`] or [`MAX_ELEMENTS`].
pub fn scan_tags(text: &str) -> Result<(), HtmlError> {
    let bytes = text.as_bytes();
    let line = |at: usize| text[..at].lines().count().max(1);
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0_usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.first().is_some_and(|b| *b == b'!' || *b == b'?') {
            i = find(bytes, start, b">").map_or(bytes.len(), |e| e + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        i = end;
        if closing {
            if let Some(at) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(at);
            }
            continue;
        }
        if VOID.contains(&name.as_str()) {
            continue;
        }
        close_implied(&mut stack, &name);
        stack.push(name.clone());
        elements += 1;
        if stack.len() > MAX_DEPTH {
            return Err(HtmlError::TooDeep { line: line(start) });
        }
        if elements > MAX_ELEMENTS {
            return Err(HtmlError::TooManyElements { line: line(start) });
        }
        if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ignore_case(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
        }
    }
    Ok(())
}

/// Closes what a new start tag closes without saying so: a `p` by a block, a `li` by a `li`, a
/// cell by a cell, a row by a row, an `option` by an `option`.
fn close_implied(stack: &mut Vec<String>, name: &str) {
    let in_scope = |stack: &[String], wanted: &[&str]| -> Option<usize> {
        for (at, open) in stack.iter().enumerate().rev() {
            if wanted.contains(&open.as_str()) {
                return Some(at);
            }
            if SCOPE.contains(&open.as_str()) {
                return None;
            }
        }
        None
    };
    let closes: &[&str] = match name {
        "li" => &["li"],
        "dd" | "dt" => &["dd", "dt"],
        "td" | "th" => &["td", "th"],
        "tr" => &["tr"],
        "option" => &["option"],
        "tbody" | "thead" | "tfoot" => &["tbody", "thead", "tfoot"],
        _ => &[],
    };
    if let Some(at) = in_scope(stack, closes) {
        stack.truncate(at);
    }
    if CLOSES_P.contains(&name)
        && let Some(at) = in_scope(stack, &["p"])
    {
        stack.truncate(at);
    }
}

/// The byte after a tag's `>`, quotes in attributes respected.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return from + k + 1,
            Some(_) | None => {}
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|k| from + k)
}

/// How deep the walk below may go: the parser can nest formatting elements it reopens a little
/// deeper than the scan counts.
const WALK_DEPTH: usize = 2 * MAX_DEPTH;

#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    paragraph: String,
    depth: usize,
    too_deep: bool,
}

impl Walk {
    fn flush(&mut self) {
        let text = self.paragraph.trim().to_owned();
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(text));
        }
        self.paragraph.clear();
    }

    /// Walks the text and elements inside `element`.
    fn children(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            match child.value() {
                Node::Text(t) => push_text(&mut self.paragraph, t),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef<'_>) {
        let name = element.value().name();
        if SKIPPED.contains(&name) {
            return;
        }
        if self.depth >= WALK_DEPTH {
            self.too_deep = true;
            return;
        }
        self.depth += 1;
        if name == "table" {
            self.flush();
            let table = self.table(element);
            self.blocks.push(Block::Table(table));
        } else {
            let block = BLOCKS.contains(&name);
            if block {
                self.flush();
            }
            self.children(element);
            if block {
                self.flush();
            }
        }
        self.depth -= 1;
    }

    /// A cell's paragraphs: its text with block elements and line breaks as boundaries.
    fn cell_paragraphs(&mut self, cell: ElementRef<'_>) -> Vec<String> {
        let mut walk = Walk {
            depth: self.depth,
            ..Walk::default()
        };
        walk.children(cell);
        self.too_deep |= walk.too_deep;
        // Keep a cell of only spaces as one (blank) paragraph rather than none.
        let rest = walk.paragraph.clone();
        walk.flush();
        let mut out: Vec<String> = walk
            .blocks
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(p) => p,
                Block::Table(_) => String::new(),
            })
            .collect();
        if out.is_empty() {
            out.push(rest);
        }
        out
    }

    /// Lays a table's rows on a grid: a cell covered from above by a `rowspan` becomes an empty
    /// continuation cell, as a merged .docx cell does.
    fn table(&mut self, element: ElementRef<'_>) -> Vec<Vec<DocCell>> {
        // For each grid column, how many more rows a rowspan from above covers, and its width.
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let mut out = Vec::new();
        for row in rows(element) {
            let mut cells = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|e| matches!(e.value().name(), "td" | "th"))
                .peekable();
            let mut out_row = Vec::new();
            let mut column = 0;
            loop {
                if let Some(&(left, width)) = covered.get(column).filter(|(left, _)| *left > 0) {
                    out_row.push(DocCell {
                        continues_above: true,
                        ..DocCell::default()
                    });
                    covered[column] = (left - 1, width);
                    column += width.max(1);
                    continue;
                }
                let Some(cell) = cells.next() else {
                    // Columns further right still covered from above.
                    if covered.iter().skip(column).any(|(left, _)| *left > 0) {
                        column += 1;
                        continue;
                    }
                    break;
                };
                let (colspan, rowspan) = (span(cell, "colspan"), span(cell, "rowspan"));
                if covered.len() < column + colspan {
                    covered.resize(column + colspan, (0, 1));
                }
                covered[column] = (rowspan - 1, colspan);
                for slot in &mut covered[column + 1..column + colspan] {
                    *slot = (0, 1);
                }
                out_row.push(DocCell {
                    paragraphs: self.cell_paragraphs(cell),
                    continues_above: false,
                    bytes: None,
                    area: None,
                    line: None,
                });
                column += colspan;
            }
            out.push(out_row);
        }
        out
    }
}

/// Adds text with runs of ASCII whitespace folded to one space; non-breaking spaces stay, since
/// a cell holding only `&nbsp;` is a blank cell.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// The rows of a table (not of tables nested in it), in order.
fn rows(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut out = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => out.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|e| e.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    out
}

fn span(cell: ElementRef<'_>, name: &str) -> usize {
    cell.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_found_without_help() {
        let text = "<html><head><meta charset=\"gb2312\"></head><body><p>收到和处理政府信息公开申请情况</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).0, text, "declared GB2312");
        let undeclared = text.replace("<meta charset=\"gb2312\">", "");
        let (gbk, _, _) = encoding_rs::GBK.encode(&undeclared);
        assert_eq!(decode(&gbk).0, undeclared, "no declaration: guessed");
        let mislabelled = text.as_bytes();
        assert_eq!(decode(mislabelled).0, text, "UTF-8 labelled gb2312");
    }

    #[test]
    fn rowspan_and_colspan_become_merged_cells() {
        let page = "<table><tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td colspan=2>0</td></tr>\
                    <tr><td>2.其他</td><td>&nbsp;</td><td>3</td></tr></table><script>var x=1;</script><p>五、存在的主要问题</p>";
        let doc = document(page.as_bytes()).unwrap_or_default();
        let Block::Table(rows) = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        assert_eq!(rows[0].len(), 3);
        assert!(rows[1][0].continues_above);
        assert_eq!(rows[1][1].paragraphs, ["2.其他"]);
        assert_eq!(
            rows[1][2].paragraphs,
            ["\u{a0}"],
            "a blank cell stays blank, not absent"
        );
        assert_eq!(doc.blocks[1], Block::Paragraph("五、存在的主要问题".into()));
        assert_eq!(doc.blocks.len(), 2, "the script is not report text");
    }

    #[test]
    fn nesting_is_bounded_before_parsing_and_unclosed_tags_close_as_a_browser_closes_them() {
        let deep = |n: usize| format!("<html><body>{}x</body></html>", "<div>".repeat(n));
        assert!(scan_tags(&deep(MAX_DEPTH - 10)).is_ok());
        assert_eq!(
            scan_tags(&deep(14_000)),
            Err(HtmlError::TooDeep { line: 1 })
        );
        let tables = "<table><tr><td>".repeat(20_000);
        assert!(matches!(scan_tags(&tables), Err(HtmlError::TooDeep { .. })));
        // Paragraphs, list items, cells and rows left open close each other, as in a browser:
        // thousands of them are not deep.
        let open = "<table>".to_owned()
            + &"<tr><td>1<td>2".repeat(5_000)
            + "</table>"
            + &"<p>text<span>more".repeat(300)
            + &"<ul><li>a<li>b</ul>".repeat(1_000);
        assert!(scan_tags(&open).is_ok(), "{:?}", scan_tags(&open));
        // Comments and scripts hold no tags.
        let hidden = format!(
            "<!--{}--><script>{}</script>",
            "<div>".repeat(5_000),
            "<div>".repeat(5_000)
        );
        assert!(scan_tags(&hidden).is_ok());
        // A page just under the limit parses on a small stack (test threads have 2 MiB).
        assert!(document(deep(MAX_DEPTH - 10).as_bytes()).is_ok());
        let many = "<b>x</b>".repeat(MAX_ELEMENTS + 1);
        assert!(matches!(
            scan_tags(&many),
            Err(HtmlError::TooManyElements { .. })
        ));
    }
}
