//! A document as its structure: paragraphs and tables of cells, as read from .docx or .html.
//! It is written out in the shape of a .docx converted to text (one tab-indented line per cell,
//! a cell's paragraphs on the lines below it, an empty cell where a merge continues, a blank
//! line after each row), so that every format is read by the same table reader — but from the
//! real cell boundaries, never from text that lost them. Each cell keeps where in the document
//! it came from.

use std::ops::Range;

use crate::model::{Area, Origin};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocCell {
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
    /// Whether it only continues a vertically merged cell above (its text is the one above).
    pub continues_above: bool,
    /// Its bytes in the document's main part, when known.
    pub bytes: Option<Range<usize>>,
    /// Its box on its page, when the document is laid out on pages.
    pub area: Option<Area>,
    /// The line of the file it is written on, for a text format.
    pub line: Option<usize>,
}

#[cfg(test)]
impl DocCell {
    /// The cell as the readers' tests compare it: `^` where a merge continues, else its
    /// paragraphs joined by `separator`.
    pub(crate) fn test_text(&self, separator: &str) -> String {
        if self.continues_above {
            "^".to_owned()
        } else {
            self.paragraphs.join(separator)
        }
    }
}

/// A cell's text from the lines its page wrapped it onto: Chinese runs on without a space, words
/// of Latin letters or digits keep one between them. Both the PDF layout and converters' Markdown
/// (`<br>`) wrap cells this way.
#[must_use]
pub fn join_wrapped<L: AsRef<str>>(lines: impl IntoIterator<Item = L>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.as_ref();
        let joins_words = out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric());
        if joins_words {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of text.
    Paragraph(String),
    /// A table: rows of cells, merged cells once each.
    Table(Vec<Vec<DocCell>>),
}

/// A document: its blocks in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The blocks.
    pub blocks: Vec<Block>,
}

/// A document written out as text, with the origin of each cell's text in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    /// The text the table reader reads and the window shows.
    pub text: String,
    /// For each cell: its bytes in `text`, and where it came from.
    pub origins: Vec<(Range<usize>, Origin)>,
}

impl Rendered {
    /// The origin of the cell whose text contains `span`.
    #[must_use]
    pub fn origin_of(&self, span: &Range<usize>) -> Option<&Origin> {
        let at = self.origins.partition_point(|(r, _)| r.end < span.start);
        self.origins[at..]
            .iter()
            .take_while(|(r, _)| r.start <= span.start)
            .find(|(r, _)| r.start <= span.start && span.end <= r.end)
            .map(|(_, o)| o)
    }
}

/// Folds a cell's or paragraph's text onto lines that cannot be mistaken for new cells.
fn clean(text: &str) -> String {
    text.replace(['\t', '\r'], " ")
}

impl Document {
    /// Writes the document out as text in the shape of a converted .docx.
    #[must_use]
    pub fn render(&self) -> Rendered {
        let mut out = Rendered::default();
        let mut table_number = 0;
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => {
                    for line in clean(text).lines() {
                        out.text.push_str(line.trim_end());
                        out.text.push('\n');
                    }
                }
                Block::Table(rows) => {
                    table_number += 1;
                    for (r, row) in rows.iter().enumerate() {
                        for (c, cell) in row.iter().enumerate() {
                            out.text.push('\t');
                            let start = out.text.len();
                            if !cell.continues_above {
                                let text: Vec<String> =
                                    cell.paragraphs.iter().map(|p| clean(p)).collect();
                                out.text.push_str(&text.join("\n"));
                            }
                            let origin = Origin {
                                table: table_number,
                                row: r + 1,
                                cell: c + 1,
                                bytes: cell.bytes.clone(),
                                area: cell.area,
                                line: cell.line,
                            };
                            out.origins.push((start..out.text.len(), origin));
                            out.text.push('\n');
                        }
                        out.text.push('\n');
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> DocCell {
        DocCell {
            paragraphs: vec![text.to_owned()],
            continues_above: false,
            bytes: None,
            area: None,
            line: None,
        }
    }

    #[test]
    fn tables_render_like_a_converted_docx() {
        let merged = DocCell {
            continues_above: true,
            ..DocCell::default()
        };
        let doc = Document {
            blocks: vec![
                Block::Paragraph("三、收到和处理\t申请".into()),
                Block::Table(vec![
                    vec![cell("（三）不予公开"), cell("1.属于国家秘密"), cell("0")],
                    vec![merged, cell("2.其他"), cell("0\t0")],
                ]),
            ],
        };
        let rendered = doc.render();
        assert_eq!(
            rendered.text,
            "三、收到和处理 申请\n\t（三）不予公开\n\t1.属于国家秘密\n\t0\n\n\t\n\t2.其他\n\t0 0\n\n"
        );
        let zero = rendered.text.find("\t0\n").unwrap() + 1;
        let origin = rendered.origin_of(&(zero..zero + 1)).unwrap();
        assert_eq!((origin.table, origin.row, origin.cell), (1, 1, 3));
    }
}
