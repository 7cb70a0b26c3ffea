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

/// Reads a page into its document structure.
#[must_use]
pub fn document(bytes: &[u8]) -> Document {
    let (text, _) = decode(bytes);
    let html = Html::parse_document(&text);
    let mut walk = Walk::default();
    walk.element(html.root_element());
    walk.flush();
    Document {
        blocks: walk.blocks,
    }
}

#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    paragraph: String,
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
        if name == "table" {
            self.flush();
            self.blocks.push(Block::Table(table(element)));
            return;
        }
        let block = BLOCKS.contains(&name);
        if block {
            self.flush();
        }
        self.children(element);
        if block {
            self.flush();
        }
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

/// A cell's paragraphs: its text with block elements and line breaks as boundaries.
fn cell_paragraphs(cell: ElementRef<'_>) -> Vec<String> {
    let mut walk = Walk::default();
    walk.children(cell);
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

/// Lays a table's rows on a grid: a cell covered from above by a `rowspan` becomes an empty
/// continuation cell, as a merged .docx cell does.
fn table(element: ElementRef<'_>) -> Vec<Vec<DocCell>> {
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
                paragraphs: cell_paragraphs(cell),
                continues_above: false,
                bytes: None,
                area: None,
            });
            column += colspan;
        }
        out.push(out_row);
    }
    out
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
        let doc = document(page.as_bytes());
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
}
