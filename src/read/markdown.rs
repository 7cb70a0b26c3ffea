//! A report converted to Markdown by a PDF-to-Markdown converter or an OCR service. Its pipe
//! tables, and HTML tables embedded in it, become the same [`Document`] the .docx and web-page
//! readers build, so one table reader reads them all — after the damage converters do is undone
//! from the tables' own structure:
//!
//! - a merged cell written once per column it spans (`|第二十条第（五）项|第二十条第（五）项|`), or
//!   once per row, is one cell, as a .docx has it; a repeated *number* is one cell only where the
//!   header above it is merged over the same columns and every row under that header repeats
//!   there (a column of zeros under two headers is two columns);
//! - the placeholder names a converter gives empty header cells (`Col2`) and generic header rows
//!   (`| 类别 | 数据1 | 数据2 |`) are not report text;
//! - a table cut at a page break, or cut into one small table per row, is one table again.
//!
//! Nothing here places a number in a column: that stays the table reader's work, from the
//! template, which flags a cell whose column it cannot tell.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::document::{Block, DocCell, Document, join_wrapped};
use super::html::{self, HtmlError};

/// More table rows in a file than any report prints (about 60) by far.
pub const MAX_ROWS: usize = 5_000;
/// More cells in a table row than any report prints (16) by far.
pub const MAX_COLUMNS: usize = 200;

/// A Markdown file that cannot be read as a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkdownError {
    /// Tables far larger than a report's: refused before they cost time and memory.
    TooLarge {
        /// The line of the file where the limit was passed, from 1.
        line: usize,
    },
    /// An HTML block in it is not a plausible table (nested too deep, too many elements).
    Html {
        /// The line of the file where the HTML block starts, from 1.
        line: usize,
        /// What is wrong with it.
        error: HtmlError,
    },
}

impl MarkdownError {
    /// The message in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            MarkdownError::Html { line, error } => {
                format!("第{line}行起的HTML表格：{}", error.zh())
            }
            MarkdownError::TooLarge { line } => format!(
                "第{line}行：表格超过{MAX_ROWS}行或一行超过{MAX_COLUMNS}格，不是报告的表格，已拒绝"
            ),
        }
    }
}

impl std::fmt::Display for MarkdownError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MarkdownError::Html { line, error } => {
                write!(f, "the HTML table starting at line {line}: {error}")
            }
            MarkdownError::TooLarge { line } => write!(
                f,
                "line {line}: tables of more than {MAX_ROWS} rows or rows of more than {MAX_COLUMNS} cells are not a report's; refused"
            ),
        }
    }
}

/// Words of the printed tables' headers; a pipe table holding none is not one of the report's
/// tables (an OCR service may put a block of prose in one).
const TABLE_WORDS: &[&str] = &[
    "第二十条",
    "信息内容",
    "本年新收",
    "自然人",
    "结果维持",
    "行政复议",
];

/// Whether a text file holds the report's tables as Markdown: a pipe-table delimiter row
/// (`|---|---|`) under a row of cells, and a pipe row with a word of the tables' headers. Plain
/// reports never have one; a converter's output always does.
#[must_use]
pub fn has_tables(text: &str) -> bool {
    // Most text reports have no pipe at all: one fast scan says so.
    if memchr::memchr(b'|', text.as_bytes()).is_none() {
        return false;
    }
    // Only lines with a pipe can be either row: they are visited from pipe to pipe, not line by
    // line (a report that mentions one `|` is otherwise scanned whole).
    let bytes = text.as_bytes();
    let line_at = |start: usize, end: usize| {
        let line = &text[start..end];
        // As `str::lines` has it: a line ended by `\r\n` loses its `\r`.
        if end < text.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        }
    };
    let mut delimited = false;
    let mut worded = false;
    let mut from = 0;
    while let Some(pipe) = memchr::memchr(b'|', &bytes[from..]).map(|i| from + i) {
        let start = memchr::memrchr(b'\n', &bytes[..pipe]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[pipe..]).map_or(text.len(), |i| pipe + i);
        let line = line_at(start, end);
        let previous = match start.checked_sub(1) {
            Some(before) => {
                let previous_start = memchr::memrchr(b'\n', &bytes[..before]).map_or(0, |i| i + 1);
                line_at(previous_start, before)
            }
            None => "",
        };
        delimited |= is_delimiter_row(line) && previous.trim_start().starts_with('|');
        worded |=
            line.trim_start().starts_with('|') && TABLE_WORDS.iter().any(|w| line.contains(w));
        if delimited && worded {
            return true;
        }
        from = end;
    }
    false
}

/// A table row as the converter wrote it, from the parser's. A short row is padded by the parser
/// with cells at its end that have no bytes: they were never written, so they are not blanks. A
/// row longer than the header is cut to the header's width; the cells dropped are still the
/// converter's (a `20` written `2 | 0` pushes the row's last number out), so they are read from
/// the line, which ends before `row_end`.
fn as_written(
    text: &str,
    line_starts: &[usize],
    row_end: usize,
    row: &mut Vec<RawCell>,
) -> Result<(), MarkdownError> {
    while row
        .last()
        .and_then(|c| c.bytes.as_ref())
        .is_some_and(|b| b.is_empty() && b.start >= row_end)
    {
        row.pop();
    }
    if let Some(end) = row.last().and_then(|c| c.bytes.as_ref()).map(|b| b.end) {
        let line = line_starts.partition_point(|&start| start <= end);
        let dropped = dropped_cells(text, end..row_end, line);
        if row.len() + dropped.len() > MAX_COLUMNS {
            return Err(MarkdownError::TooLarge { line });
        }
        row.extend(dropped);
    }
    Ok(())
}

/// The cells a table row's line holds after `bytes.start` that the parser left out: the text
/// between unescaped pipes, each with its bytes in the file.
fn dropped_cells(text: &str, bytes: Range<usize>, line: usize) -> Vec<RawCell> {
    let rest = &text[bytes.clone()];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    // The pipe that closes the last cell kept.
    let Some(first) = rest.find('|') else {
        return Vec::new();
    };
    let mut pieces = Vec::new();
    let mut start = first + 1;
    let mut escaped = false;
    for (i, c) in rest.char_indices().filter(|&(i, _)| i > first) {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => {
                pieces.push(start..i);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    // Text after the last pipe is a cell too (a row need not end with one).
    if !rest[start..].trim().is_empty() {
        pieces.push(start..rest.len());
    }
    pieces
        .into_iter()
        .map(|piece| {
            let written = &rest[piece.clone()];
            let at = bytes.start + piece.start + (written.len() - written.trim_start().len());
            let written = written.trim();
            RawCell {
                text: written.replace("\\|", "|"),
                bytes: Some(at..at + written.len()),
                continues_above: false,
                line: Some(line),
            }
        })
        .collect()
}

/// `|---|:---:|` and the like: only pipes, dashes, colons and spaces, with at least one pipe and
/// a run of three dashes.
fn is_delimiter_row(line: &str) -> bool {
    let line = line.trim();
    line.contains('|')
        && line.contains("---")
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// One cell as the converter wrote it.
#[derive(Debug, Clone)]
struct RawCell {
    /// Its text, a `<br>` as a line break (joined by [`join_wrapped`] once merges are known).
    text: String,
    /// Its bytes in the file.
    bytes: Option<Range<usize>>,
    /// It continues the cell above it (set by [`merge_vertical`]).
    continues_above: bool,
    /// The line of the file it is on, from 1.
    line: Option<usize>,
}

/// A table as the converter wrote it.
#[derive(Debug, Clone, Default)]
struct RawTable {
    rows: Vec<Vec<RawCell>>,
    /// Whether its first row came from the Markdown header line (a converter's guess).
    has_head: bool,
}

/// A block of the file as parsed, before tables cut apart are joined.
enum Piece {
    /// A paragraph, heading or list item's text.
    Paragraph(String),
    /// A pipe table as the converter wrote it.
    Table(RawTable),
    /// An embedded HTML table, already read.
    Html(Vec<Vec<DocCell>>),
}

/// Reads a Markdown file into its document structure.
///
/// # Errors
/// A [`MarkdownError`] when an embedded HTML block is not a plausible table.
pub fn document(text: &str) -> Result<Document, MarkdownError> {
    let mut pieces = parse(text)?;
    for piece in &mut pieces {
        if let Piece::Table(table) = piece {
            clear_placeholders(table);
        }
    }
    let mut blocks = Vec::new();
    for piece in join_tables(pieces) {
        match piece {
            Piece::Paragraph(p) => blocks.push(Block::Paragraph(p)),
            Piece::Html(rows) => blocks.push(Block::Table(rows)),
            Piece::Table(mut table) => {
                merge_vertical(&mut table);
                blocks.push(Block::Table(merge_horizontal(&table)));
            }
        }
    }
    Ok(Document { blocks })
}

/// Ends the paragraph being gathered, if it has text.
fn flush(paragraph: &mut String, pieces: &mut Vec<Piece>) {
    let p = paragraph.trim();
    if !p.is_empty() {
        pieces.push(Piece::Paragraph(p.to_owned()));
    }
    paragraph.clear();
}

/// The file's blocks in order, tables as written.
fn parse(text: &str) -> Result<Vec<Piece>, MarkdownError> {
    let mut pieces = Vec::new();
    let mut paragraph = String::new();
    let mut table: Option<RawTable> = None;
    let mut row: Vec<RawCell> = Vec::new();
    let mut cell: Option<RawCell> = None;
    let mut html_block: Option<(usize, String)> = None;
    let mut rows = 0;
    // Where each line starts, for the line of a cell.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                flush(&mut paragraph, &mut pieces);
                table = Some(RawTable::default());
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                as_written(text, &line_starts, range.end, &mut row)?;
                rows += 1;
                if let Some(t) = table.as_mut() {
                    t.has_head |=
                        t.rows.is_empty() && matches!(event, Event::End(TagEnd::TableHead));
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => {
                let line = line_starts.partition_point(|&start| start <= range.start);
                if row.len() >= MAX_COLUMNS || rows >= MAX_ROWS {
                    return Err(MarkdownError::TooLarge { line });
                }
                cell = Some(RawCell {
                    text: String::new(),
                    bytes: Some(range),
                    continues_above: false,
                    line: Some(line),
                });
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(c) = cell.take() {
                    row.push(RawCell {
                        text: c.text.trim().to_owned(),
                        ..c
                    });
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    pieces.push(Piece::Table(t));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut paragraph, &mut pieces);
                html_block = Some((range.start, String::new()));
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((start, html)) = html_block.take() {
                    embedded_html(text, start, &html, &mut pieces)?;
                }
            }
            Event::Html(html) => match html_block.as_mut() {
                Some((_, block)) => block.push_str(&html),
                None => paragraph.push_str(&html),
            },
            Event::Text(t) | Event::Code(t) => match cell.as_mut() {
                Some(c) => c.text.push_str(&t),
                None => paragraph.push_str(&t),
            },
            Event::InlineHtml(tag) => {
                let name = tag.trim_start_matches('<').trim_start();
                if name.get(..2).is_some_and(|n| n.eq_ignore_ascii_case("br")) {
                    match cell.as_mut() {
                        Some(c) => c.text.push('\n'),
                        None => paragraph.push('\n'),
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => match cell.as_mut() {
                Some(c) => c.text.push('\n'),
                None => paragraph.push('\n'),
            },
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => flush(&mut paragraph, &mut pieces),
            _ => {}
        }
    }
    flush(&mut paragraph, &mut pieces);
    Ok(pieces)
}

/// An HTML block: its tables read by the web-page reader, its other text kept as paragraphs.
fn embedded_html(
    text: &str,
    start: usize,
    html: &str,
    pieces: &mut Vec<Piece>,
) -> Result<(), MarkdownError> {
    let line = text[..start].matches('\n').count() + 1;
    let doc =
        html::document(html.as_bytes()).map_err(|error| MarkdownError::Html { line, error })?;
    for block in doc.blocks {
        pieces.push(match block {
            Block::Paragraph(p) => Piece::Paragraph(p),
            Block::Table(rows) => Piece::Html(rows),
        });
    }
    Ok(())
}

/// Whether a cell holds a number (digits with separators, a sign, a decimal point), which the
/// table reader, not this one, gives a column.
fn is_number(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ' ' | '，' | '．'))
}

/// A header cell's text that no report prints: a converter's name for an empty or unknown
/// column (`Col3`, `Column 3`, `数据1`, `列2`).
fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    [
        "Col", "Column", "col", "column", "数据", "列", "字段", "Field",
    ]
    .iter()
    .any(|prefix| {
        t.strip_prefix(prefix).is_some_and(|rest| {
            !rest.trim().is_empty() && rest.trim().chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// A header row that names no column of a report: placeholders, `类别`/`项目`, and at most a
/// `总计` or `合计` at its end (the one real word generic headers carry).
fn is_generic_header(row: &[RawCell]) -> bool {
    let generic = |c: &RawCell| {
        let t = c.text.trim();
        t.is_empty() || is_placeholder(t) || matches!(t, "类别" | "项目" | "名称" | "内容" | "序号")
    };
    let mut cells = row.iter();
    let last_is_total = row
        .last()
        .is_some_and(|c| matches!(c.text.trim(), "总计" | "合计"));
    if last_is_total {
        cells.next_back();
    }
    row.len() > 1 && row.iter().any(|c| is_placeholder(&c.text)) && cells.all(generic)
}

/// Empties the converter's placeholder header cells; drops a header row that is only
/// placeholders (a per-row mini table's, or a page-split table's invented one). A `ColN` is a
/// converter's wherever it is (a row promoted to a header and back keeps it).
fn clear_placeholders(table: &mut RawTable) {
    if table.has_head
        && table
            .rows
            .first()
            .is_some_and(|head| is_generic_header(head))
    {
        table.rows.remove(0);
        table.has_head = false;
    }
    for (r, row) in table.rows.iter_mut().enumerate() {
        for c in row {
            let anywhere = c
                .text
                .strip_prefix("Col")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|d| d.is_ascii_digit()));
            if anywhere || (r == 0 && table.has_head && is_placeholder(&c.text)) {
                c.text.clear();
            }
        }
    }
}

/// Whether a paragraph is only page furniture a converter left between the two halves of a
/// table cut at a page break: a page number such as `- 4`, `第 4 页`, `4/12`.
fn is_page_furniture(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 12
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(c, '-' | '—' | '–' | ' ' | '/' | '第' | '页' | '共' | '·')
        })
}

/// Joins tables a converter cut apart: a table that follows another with only page furniture
/// between them, has as many columns, and starts with a row of numbers (its invented header
/// already dropped, or a data row the converter promoted to a header) continues it.
fn join_tables(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut furniture: Vec<Piece> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Paragraph(p)
                if is_page_furniture(&p) && matches!(out.last(), Some(Piece::Table(_))) =>
            {
                furniture.push(Piece::Paragraph(p));
            }
            Piece::Table(table) => {
                if let Some(Piece::Table(previous)) = out.last_mut()
                    && continues(previous, &table)
                {
                    previous.rows.extend(table.rows);
                    furniture.clear();
                } else {
                    out.append(&mut furniture);
                    out.push(Piece::Table(table));
                }
            }
            other => {
                out.append(&mut furniture);
                out.push(other);
            }
        }
    }
    out.append(&mut furniture);
    out
}

/// Whether `next` is the rest of `previous`: the same number of columns, and a first row that is
/// not a real header (its invented header gone, it starts with a row holding numbers).
fn continues(previous: &RawTable, next: &RawTable) -> bool {
    let width = |t: &RawTable| t.rows.iter().map(Vec::len).max().unwrap_or(0);
    let Some(first) = next.rows.first() else {
        return false;
    };
    width(previous) == width(next) && width(next) > 1 && first.iter().any(|c| is_number(&c.text))
}

/// Marks a label cell that repeats the one above it in the same column as the continuation of a
/// vertically merged cell, as a .docx has it. Numbers are never merged vertically: equal numbers
/// one above the other are the common case.
fn merge_vertical(table: &mut RawTable) {
    for r in 1..table.rows.len() {
        let (above, below) = table.rows.split_at_mut(r);
        let above = &above[r - 1];
        for (c, cell) in below[0].iter_mut().enumerate() {
            let text = cell.text.trim();
            if !text.is_empty()
                && !is_number(text)
                && above.get(c).is_some_and(|a| a.text.trim() == text)
            {
                cell.continues_above = true;
            }
        }
    }
}

/// The columns `[start, end)` of each run of equal non-empty cells in a row, at least two long.
fn runs(row: &[RawCell]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for c in 1..=row.len() {
        let same = c < row.len()
            && !row[c].text.trim().is_empty()
            && row[c].text == row[start].text
            && row[c].continues_above == row[start].continues_above;
        if !same {
            if c - start > 1 && !row[start].text.trim().is_empty() {
                out.push(start..c);
            }
            start = c;
        }
    }
    out
}

/// The table with each horizontally merged cell once: a run of equal label cells always; a run of
/// equal numbers only where the nearest header row above has a run over the same columns and
/// every row from that header down to the next repeats its number there too.
fn merge_horizontal(table: &RawTable) -> Vec<Vec<DocCell>> {
    let is_header = |row: &[RawCell]| !row.iter().any(|c| is_number(&c.text));
    let mut merged_numbers: Vec<Vec<Range<usize>>> = vec![Vec::new(); table.rows.len()];
    let mut r = 0;
    while r < table.rows.len() {
        if !is_header(&table.rows[r]) {
            r += 1;
            continue;
        }
        let header_runs = runs(&table.rows[r]);
        let block_end = (r + 1..table.rows.len())
            .find(|&k| is_header(&table.rows[k]))
            .unwrap_or(table.rows.len());
        for run in header_runs {
            let repeated = (r + 1..block_end).all(|k| {
                let row = &table.rows[k];
                row.len() >= run.end
                    && row[run.clone()]
                        .iter()
                        .all(|c| c.text == row[run.start].text)
            });
            if repeated && block_end > r + 1 {
                for rows in &mut merged_numbers[r + 1..block_end] {
                    rows.push(run.clone());
                }
            }
        }
        r = block_end;
    }
    table
        .rows
        .iter()
        .zip(&merged_numbers)
        .map(|(row, number_runs)| {
            let label_runs = runs(row)
                .into_iter()
                .filter(|run| !is_number(&row[run.start].text));
            let mut drop = vec![false; row.len()];
            for run in label_runs.chain(number_runs.iter().cloned()) {
                for d in &mut drop[run.start + 1..run.end] {
                    *d = true;
                }
            }
            // A converter that drops spans pads a merged label with empty cells; before the
            // row's first number they are padding, not blank values. (A real blank in the first
            // column goes too: then the row is a number short and the reader flags its places.)
            if row.iter().any(|c| is_number(&c.text)) {
                let mut after_label = false;
                for (c, d) in row.iter().zip(&mut drop) {
                    let text = c.text.trim();
                    if is_number(text) {
                        break;
                    }
                    if text.is_empty() && after_label {
                        *d = true;
                    }
                    after_label |= !text.is_empty();
                }
            }
            row.iter()
                .zip(drop)
                .filter(|(_, d)| !d)
                .map(|(c, _)| DocCell {
                    paragraphs: vec![join_wrapped(
                        c.text.lines().map(str::trim).filter(|l| !l.is_empty()),
                    )],
                    continues_above: c.continues_above,
                    bytes: c.bytes.clone(),
                    area: None,
                    line: c.line,
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<Vec<String>> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(rows) => Some(rows),
                Block::Paragraph(_) => None,
            })
            .flatten()
            .map(|row| row.iter().map(|c| c.test_text("/")).collect())
            .collect()
    }

    #[test]
    fn a_merged_header_written_per_column_is_one_cell_and_its_number_too() {
        let md = "|第二十条第（五）项|第二十条第（五）项|第二十条第（五）项|\n|---|---|---|\n\
                  |信息内容|本年处理决定数量|本年处理决定数量|\n|行政许可|447228|447228|\n";
        let doc = document(md).unwrap();
        assert_eq!(
            texts(&doc),
            [
                vec!["第二十条第（五）项"],
                vec!["信息内容", "本年处理决定数量"],
                vec!["行政许可", "447228"]
            ]
        );
    }

    #[test]
    fn equal_numbers_under_distinct_headers_stay_apart() {
        let md = "|项|其他|其他|\n|---|---|---|\n|甲|0|0|\n|乙|4|9|\n";
        let doc = document(md).unwrap();
        assert_eq!(texts(&doc)[1], ["甲", "0", "0"]);
    }

    #[test]
    fn labels_repeated_down_a_column_continue_the_cell_above() {
        let md = "|三、办理结果|（一）予以公开|（一）予以公开|5|\n|---|---|---|---|\n\
                  |三、办理结果|（三）不<br>予公开|1.属于国家秘密|0|\n";
        let doc = document(md).unwrap();
        assert_eq!(
            texts(&doc),
            [
                vec!["三、办理结果", "（一）予以公开", "5"],
                vec!["^", "（三）不予公开", "1.属于国家秘密", "0"]
            ]
        );
    }

    #[test]
    fn a_table_cut_at_a_page_break_or_per_row_is_one_table() {
        let md = "|类别|数据1|数据2|总计|\n|---|---|---|---|\n|一、本年新收|1|2|3|\n\n- 4 \n\n\
                  |类别|数据1|数据2|总计|\n|---|---|---|---|\n|二、上年结转|0|1|1|\n\n\
                  |Col1|法提供|5|5|\n|---|---|---|---|\n||其他|1|1|\n";
        let doc = document(md).unwrap();
        let tables = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count();
        assert_eq!(tables, 1);
        assert_eq!(
            texts(&doc),
            [
                vec!["一、本年新收", "1", "2", "3"],
                vec!["二、上年结转", "0", "1", "1"],
                vec!["", "法提供", "5", "5"],
                vec!["", "其他", "1", "1"],
            ]
        );
    }

    #[test]
    fn a_row_longer_than_its_header_keeps_every_cell() {
        // The parser cuts a row to the header's width; the cells past it are the converter's.
        let md =
            "|申请人|自然人|总计|\n|---|---|---|\n|（一）予以公开|5|0| 3 |5\n|其他|x \\| y|1|2|\n";
        let doc = document(md).unwrap();
        let rows = texts(&doc);
        assert_eq!(rows[1], ["（一）予以公开", "5", "0", "3", "5"]);
        assert_eq!(rows[2], ["其他", "x | y", "1", "2"]);
        let Block::Table(table) = &doc.blocks[0] else {
            panic!("a table")
        };
        let three = &table[1][3];
        assert_eq!(
            &md[three.bytes.clone().unwrap()],
            "3",
            "its bytes in the file"
        );
    }

    #[test]
    fn a_short_row_is_not_padded_with_blanks() {
        let md = "|结果维持|总计|||\n|---|---|---|---|\n|5|7|\n|5|7||\n";
        let doc = document(md).unwrap();
        let rows = texts(&doc);
        assert_eq!(rows[1], ["5", "7"], "cells never written are not blanks");
        assert_eq!(rows[2], ["5", "7", ""], "a cell written empty is a blank");
    }

    #[test]
    fn tables_far_larger_than_a_report_s_are_refused_with_their_line() {
        let tall = format!(
            "|信息内容|a|\n|---|---|\n{}",
            "|规章|1|\n".repeat(MAX_ROWS + 1)
        );
        assert!(matches!(
            document(&tall),
            // The header row, the delimiter line, then rows: row MAX_ROWS + 1 is on this line.
            Err(MarkdownError::TooLarge { line }) if line == MAX_ROWS + 2
        ));
        let wide = format!(
            "|{}\n|{}\n",
            "0|".repeat(MAX_COLUMNS + 1),
            "---|".repeat(MAX_COLUMNS + 1)
        );
        assert!(matches!(
            document(&wide),
            Err(MarkdownError::TooLarge { line: 1 })
        ));
    }

    #[test]
    fn cells_know_their_bytes_in_the_file() {
        let md = "前言\n\n|规章|1|\n|---|---|\n|行政规范性文件|8|\n";
        let doc = document(md).unwrap();
        let Block::Table(rows) = &doc.blocks[1] else {
            panic!("a table")
        };
        let bytes = rows[1][1].bytes.clone().unwrap();
        assert_eq!(md[bytes].trim_matches('|').trim(), "8");
    }

    #[test]
    fn html_tables_inside_markdown_are_read() {
        let md = "正文\n\n<table><tr><td>规章</td><td>1</td></tr></table>\n\n后记\n";
        let doc = document(md).unwrap();
        assert_eq!(texts(&doc), [vec!["规章", "1"]]);
        assert!(matches!(&doc.blocks[2], Block::Paragraph(p) if p == "后记"));
    }

    #[test]
    fn pipe_to_pipe_agrees_with_line_by_line() {
        let plainly = |text: &str| {
            let (mut previous, mut delimited, mut worded) = ("", false, false);
            for line in text.lines() {
                delimited |= is_delimiter_row(line) && previous.trim_start().starts_with('|');
                worded |= line.trim_start().starts_with('|')
                    && TABLE_WORDS.iter().any(|w| line.contains(w));
                previous = line;
            }
            delimited && worded
        };
        let md = include_str!("../../tests/fixtures/markdown/r03_split_tables.md");
        let cases = [
            md,
            &md[..md.len() / 2],
            include_str!("../../assets/samples/000_1424afc2c3529d07.txt"),
            include_str!("../../assets/samples/002_9042ac2a28d37d4e.txt"),
            "|信息内容|本年制发件数|\r\n|---|---|\r\n",
            "|信息内容|\n\n|---|---|",
            "| --- |\n|规章|",
            "|规章|\r",
            "|",
        ];
        for text in cases {
            assert_eq!(has_tables(text), plainly(text), "{text:?}");
        }
    }

    #[test]
    fn markdown_tables_are_told_from_plain_text() {
        assert!(has_tables(
            "a\n|信息内容|本年制发件数|\n| --- | :---: |\n|规章|1|\n"
        ));
        assert!(!has_tables("一、总体情况\n---\n规章 1 件\n"));
        // Sample 000: OCR put a block of prose in a pipe table.
        assert!(!has_tables(
            "| 202 | 20年, | 全镇政 |\n|-----|------|------|\n| 了积极 | 成效, | 但也存 |\n"
        ));
    }
}
