//! .docx: the document's real paragraphs and tables, streamed from `word/document.xml` — cells,
//! horizontal merges (`w:gridSpan`) and vertical merges (`w:vMerge`), text only from `w:t`, the
//! fallback copy of text boxes (`mc:Fallback`) skipped. Bounded against zip bombs: the part is
//! read up to a limit, whatever its header claims.

use std::io::{Cursor, Read as _};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::document::{Block, DocCell, Document};

/// The largest `word/document.xml` read (uncompressed): reports are far smaller.
pub const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;

/// Why a .docx could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// Not a zip archive at all (a binary file named .docx, a truncated download).
    NotZip(String),
    /// A zip without `word/document.xml`.
    NoDocument,
    /// `word/document.xml` unpacks to more than [`MAX_PART_BYTES`]: a zip bomb, or not a report.
    TooLarge,
    /// The XML is broken; the byte offset in `word/document.xml`.
    Xml {
        /// Where in the part.
        byte: u64,
        /// What the parser said.
        message: String,
    },
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocxError::NotZip(e) => write!(f, "not a .docx file (not a zip archive: {e})"),
            DocxError::NoDocument => write!(f, "not a .docx file (no word/document.xml inside)"),
            DocxError::TooLarge => {
                write!(
                    f,
                    "word/document.xml unpacks to more than {MAX_PART_BYTES} bytes (a zip bomb?); refused"
                )
            }
            DocxError::Xml { byte, message } => {
                write!(f, "word/document.xml, byte {byte}: broken XML: {message}")
            }
        }
    }
}

impl DocxError {
    /// The error in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            DocxError::NotZip(e) => format!("不是 .docx 文件（不是zip压缩包：{e}）"),
            DocxError::NoDocument => "不是 .docx 文件（其中没有 word/document.xml）".into(),
            DocxError::TooLarge => format!(
                "word/document.xml 解压后超过{MAX_PART_BYTES}字节（可能是压缩炸弹），已拒绝"
            ),
            DocxError::Xml { byte, message } => {
                format!("word/document.xml 第{byte}字节：XML已损坏：{message}")
            }
        }
    }
}

/// Reads the main part of a .docx.
///
/// # Errors
/// A [`DocxError`] saying why the bytes are not a readable .docx.
pub fn document(bytes: &[u8]) -> Result<Document, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| DocxError::NoDocument)?;
    let mut xml = Vec::new();
    part.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    if xml.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge);
    }
    let text = std::str::from_utf8(&xml).map_err(|e| DocxError::Xml {
        byte: e.valid_up_to() as u64,
        message: "not UTF-8".into(),
    })?;
    parse(text)
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// What the parser is inside of.
#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    /// Open tables (nested tables are flattened into their outer cell).
    tables: Vec<Vec<Vec<DocCell>>>,
    cell: Option<DocCell>,
    paragraph: Option<String>,
    in_text: bool,
    skip_depth: usize,
    cell_start: usize,
    /// Tables open inside the current cell: their rows and cells are flattened into it.
    nested: usize,
}

/// Parses `word/document.xml`.
fn parse(xml: &str) -> Result<Document, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut s = State::default();
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| DocxError::Xml {
            byte: reader.error_position(),
            message: e.to_string(),
        })?;
        if s.skip_depth > 0 {
            match event {
                Event::Start(_) => s.skip_depth += 1,
                Event::End(_) => s.skip_depth -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "mc:Fallback" => s.skip_depth = 1,
                "w:tbl" if s.cell.is_some() => s.nested += 1,
                "w:tbl" => s.tables.push(Vec::new()),
                "w:tr" if s.cell.is_none() => {
                    if let Some(table) = s.tables.last_mut() {
                        table.push(Vec::new());
                    }
                }
                "w:tc" if s.cell.is_none() => {
                    s.cell = Some(DocCell::default());
                    s.cell_start = before;
                }
                "w:p" => s.paragraph = Some(String::new()),
                "w:t" => s.in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:vMerge" => {
                    let val = attribute(&e, "w:val");
                    if let Some(cell) = s.cell.as_mut()
                        && val.as_deref() != Some("restart")
                    {
                        cell.continues_above = true;
                    }
                }
                "w:tab" | "w:br" | "w:cr" => {
                    if let Some(p) = s.paragraph.as_mut() {
                        p.push(' ');
                    }
                }
                "w:p" => push_paragraph(&mut s, String::new()),
                _ => {}
            },
            Event::Text(t) if s.in_text => {
                if let Some(p) = s.paragraph.as_mut() {
                    p.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) if s.in_text => {
                // Only the five predefined entities and character references; a DTD's own
                // entities are never expanded (no entity bomb).
                let name = r.clone().into_inner().into_owned();
                let resolved = match name.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let (Some(c), Some(p)) = (resolved, s.paragraph.as_mut()) {
                    p.push(c);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => s.in_text = false,
                "w:p" => {
                    let text = s.paragraph.take().unwrap_or_default();
                    push_paragraph(&mut s, text);
                }
                "w:tc" if s.nested == 0 => {
                    let end = usize::try_from(reader.buffer_position()).unwrap_or(0);
                    if let Some(mut cell) = s.cell.take() {
                        cell.bytes = Some(s.cell_start..end);
                        if let Some(row) = s.tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(cell);
                        }
                    }
                }
                "w:tbl" if s.nested > 0 => s.nested -= 1,
                "w:tbl" if s.cell.is_none() => {
                    if let Some(table) = s.tables.pop() {
                        s.blocks.push(Block::Table(table));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Document { blocks: s.blocks })
}

fn push_paragraph(s: &mut State, text: String) {
    match s.cell.as_mut() {
        Some(cell) => cell.paragraphs.push(text),
        None if s.tables.is_empty() => s.blocks.push(Block::Paragraph(text)),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_text_boxes() {
        let xml = r#"<w:document><w:body>
            <w:p><w:r><w:t>三、收到和处理</w:t></w:r></w:p>
            <w:tbl><w:tr>
              <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>（三）不予公开</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>1.属于国家秘密</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc>
            </w:tr><w:tr>
              <w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
              <w:tc><w:p><w:r><mc:AlternateContent><mc:Choice><w:t>2.其他</w:t></mc:Choice><mc:Fallback><w:t>2.其他</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>A&amp;B&#49;</w:t></w:r></w:p></w:tc>
            </w:tr></w:tbl></w:body></w:document>"#;
        let doc = parse(xml).unwrap();
        assert_eq!(doc.blocks[0], Block::Paragraph("三、收到和处理".into()));
        let Block::Table(rows) = &doc.blocks[1] else {
            panic!()
        };
        assert_eq!(rows[0][2].paragraphs, ["0", "0"]);
        assert!(rows[1][0].continues_above);
        assert_eq!(
            rows[1][1].paragraphs,
            ["2.其他"],
            "the fallback copy is skipped"
        );
        assert_eq!(rows[1][2].paragraphs, ["A&B1"]);
    }

    #[test]
    fn not_a_zip_and_entity_bombs_are_refused_or_harmless() {
        assert!(matches!(
            document(b"\x7fELF binary"),
            Err(DocxError::NotZip(_))
        ));
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
        let doc = parse(bomb).unwrap();
        assert_eq!(
            doc.blocks,
            [Block::Paragraph(String::new())],
            "entities are not expanded"
        );
    }
}
