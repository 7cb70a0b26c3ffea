//! Reading a report: bytes in, a typed [`Report`] out, or an error that says what and where.
//! `text` normalises for label search, `items` cuts regions into cells, `cell` reads one cell,
//! `glued` splits run-together digits, `tables` finds and reads the three tables, `meta` reads
//! the title, period and prose. `docx`, `html`, `markdown` and `layout` (PDF) turn their
//! formats into one [`document::Document`], read by the same table reader.

pub mod bounds;
pub mod cell;
pub mod document;
pub mod docx;
pub mod glued;
pub mod html;
pub mod items;
pub mod labels;
pub mod layout;
pub mod markdown;
pub mod meta;
pub mod ocr;
pub mod pdf;
pub mod progress;
pub mod tables;
pub mod text;
pub mod worker;

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::lang::Localized;
use crate::model::{Format, Reason, Report, Source};
use crate::template::CellId;
use bounds::Bounds;
use labels::Indexed;
use text::Normalized;

/// Files larger than this are refused before reading: no report is anywhere near it.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Text and web pages larger than this are refused: a report's text is tens of kilobytes, and
/// reading builds several bytes of index per byte of text (see the README's limits).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The largest file of a format that is read.
#[must_use]
pub fn max_bytes(format: Format) -> u64 {
    match format {
        Format::Txt | Format::Html | Format::Markdown => MAX_TEXT_BYTES,
        Format::Docx | Format::Pdf | Format::Image => MAX_FILE_BYTES,
    }
}

/// Why a report could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The file could not be opened or read.
    Io(String),
    /// The file is not UTF-8 text; `line` is where the first bad byte is.
    NotText {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        byte: usize,
    },
    /// The file is larger than its format's limit ([`max_bytes`]), or the text read from it
    /// longer than the reader maps ([`text::MAX_SOURCE_BYTES`]).
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit for its format.
        limit: u64,
    },
    /// The file's extension names a format this program does not read.
    UnsupportedFormat(String),
    /// A .docx that cannot be read, and why.
    Docx(docx::DocxError),
    /// A web page refused before parsing (nested too deep, too many elements).
    Html(html::HtmlError),
    /// A Markdown file's embedded HTML table could not be read.
    Markdown(markdown::MarkdownError),
    /// Not a regular file: a folder, a named pipe, a device. Only regular files are read, so
    /// nothing can make a read wait forever.
    NotAFile,
    /// A PDF that cannot be read, and why.
    Pdf(pdf::PdfError),
    /// A scan that cannot be read, and why.
    Ocr(ocr::OcrError),
    /// The reader of a PDF or a scan was stopped (over its time or memory limit) or failed.
    Worker(worker::WorkerError),
    /// Neither 表二 nor 表三 of the template is there: a free-form report (before 2019) or not a
    /// disclosure report at all.
    NotTemplate,
}

/// A report that could not be read, with the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file.
    pub path: String,
    /// What went wrong.
    pub kind: ReadErrorKind,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

impl Localized for ReadError {
    fn zh(&self) -> String {
        let path = &self.path;
        match &self.kind {
            ReadErrorKind::Io(e) => format!("{path}：无法读取文件：{e}"),
            ReadErrorKind::NotText { line, byte } => {
                format!("{path}：第{line}行（第{byte}字节）：不是UTF-8文本")
            }
            ReadErrorKind::TooLarge { size, limit } => {
                format!("{path}：文件有{size}字节，超出此格式报告的大小上限（{limit}字节）")
            }
            ReadErrorKind::UnsupportedFormat(ext) => format!(
                "{path}：不读取 .{ext} 文件（只读取 .txt、.md、.docx、.html、.htm、.pdf 和扫描图片）"
            ),
            ReadErrorKind::Docx(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::Html(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::Markdown(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::NotAFile => {
                format!("{path}：不是普通文件（文件夹、管道或设备），不予读取")
            }
            ReadErrorKind::Pdf(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::Ocr(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::Worker(e) => format!("{path}：{}", e.zh()),
            ReadErrorKind::NotTemplate => format!(
                "{path}：不是标准模板的年度报告：既没有找到表二（第二十条第（一）项），也没有找到表三（本年新收政府信息公开申请数量）；2019年以前的自由格式报告不予读取"
            ),
        }
    }

    fn en(&self) -> String {
        let path = &self.path;
        match &self.kind {
            ReadErrorKind::Io(e) => format!("{path}: cannot read the file: {e}"),
            ReadErrorKind::NotText { line, byte } => {
                format!("{path}: line {line} (byte {byte}): not UTF-8 text")
            }
            ReadErrorKind::TooLarge { size, limit } => format!(
                "{path}: {size} bytes is too large for a report of this format (limit {limit})"
            ),
            ReadErrorKind::UnsupportedFormat(ext) => format!(
                "{path}: .{ext} files are not read (only .txt, .md, .docx, .html, .htm, .pdf and page images)"
            ),
            ReadErrorKind::Docx(e) => format!("{path}: {e}"),
            ReadErrorKind::Html(e) => format!("{path}: {e}"),
            ReadErrorKind::Markdown(e) => format!("{path}: {e}"),
            ReadErrorKind::NotAFile => {
                format!("{path}: not a regular file (a folder, pipe or device); not read")
            }
            ReadErrorKind::Pdf(e) => format!("{path}: {e}"),
            ReadErrorKind::Ocr(e) => format!("{path}: {e}"),
            ReadErrorKind::Worker(e) => format!("{path}: {e}"),
            ReadErrorKind::NotTemplate => format!(
                "{path}: not a standard-template report: neither 表二 (第二十条第（一）项) nor 表三 (本年新收政府信息公开申请数量) was found; free-form reports from before 2019 are refused"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// A short stable code for the kind, for JSON output.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self.kind {
            ReadErrorKind::Io(_) => "io",
            ReadErrorKind::NotText { .. } => "not_text",
            ReadErrorKind::TooLarge { .. }
            | ReadErrorKind::Markdown(markdown::MarkdownError::TooLarge { .. }) => "too_large",
            ReadErrorKind::UnsupportedFormat(_) => "unsupported_format",
            ReadErrorKind::Docx(_) => "bad_docx",
            ReadErrorKind::Html(html::HtmlError::TooDeep { .. })
            | ReadErrorKind::Markdown(markdown::MarkdownError::Html {
                error: html::HtmlError::TooDeep { .. },
                ..
            }) => "too_deep",
            ReadErrorKind::Html(html::HtmlError::TooManyElements { .. })
            | ReadErrorKind::Markdown(markdown::MarkdownError::Html {
                error: html::HtmlError::TooManyElements { .. },
                ..
            }) => "too_many_elements",
            ReadErrorKind::NotAFile => "not_a_file",
            ReadErrorKind::Pdf(pdf::PdfError::NoTextLayer) => "no_text_layer",
            ReadErrorKind::Pdf(_) => "bad_pdf",
            ReadErrorKind::Ocr(
                ocr::OcrError::Missing
                | ocr::OcrError::MissingRasterizer
                | ocr::OcrError::MissingModel,
            ) => "ocr_missing",
            ReadErrorKind::Ocr(_) => "ocr_failed",
            ReadErrorKind::Worker(ref e) => e.code(),
            ReadErrorKind::NotTemplate => "not_template",
        }
    }

    /// Whether the error is about getting at the file (or at the OCR engine) rather than about
    /// its content.
    #[must_use]
    pub fn is_io(&self) -> bool {
        matches!(
            self.kind,
            ReadErrorKind::Io(_)
                | ReadErrorKind::NotAFile
                | ReadErrorKind::TooLarge { .. }
                | ReadErrorKind::UnsupportedFormat(_)
                | ReadErrorKind::Ocr(
                    ocr::OcrError::Missing
                        | ocr::OcrError::MissingRasterizer
                        | ocr::OcrError::MissingModel
                )
                | ReadErrorKind::Worker(worker::WorkerError::Unavailable(_))
        )
    }
}

/// Every file extension the reader takes, with its format: the one list the folder walk, the
/// open dialog and the messages are made from.
pub const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Txt),
    ("docx", Format::Docx),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("pdf", Format::Pdf),
    ("png", Format::Image),
    ("jpg", Format::Image),
    ("jpeg", Format::Image),
    ("tif", Format::Image),
    ("tiff", Format::Image),
];

/// The formats that [`read_file`] reads, by extension.
#[must_use]
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|&(_, format)| format)
}

/// A report as read, with the text its spans point into: the file's own text, or for a .docx or
/// web page, the document written out as text (see [`document`]).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The report.
    pub report: Report,
    /// The text the cells' spans point into.
    pub text: String,
    /// A scan's page images (PNG, JPEG or TIFF bytes), in page order; empty for other formats.
    pub pages: Vec<Vec<u8>>,
}

/// Reads a report file.
///
/// # Errors
/// A [`ReadError`] naming the file when it cannot be read, is not text, or is not a report.
pub fn read_file(path: &Path) -> Result<Report, ReadError> {
    let (shown, bytes, format) = file_bytes(path)?;
    read_bytes(&shown, &bytes, format)
}

/// Reads a report file and keeps the text its spans point into (for showing it).
///
/// # Errors
/// As [`read_file`].
pub fn load_file(path: &Path) -> Result<Loaded, ReadError> {
    let (shown, bytes, format) = file_bytes(path)?;
    load_bytes(&shown, &bytes, format)
}

/// A report file's name as shown, its bytes and its format: refused before it is opened when it
/// is not a file or is over its format's limit.
fn file_bytes(path: &Path) -> Result<(String, Vec<u8>, Format), ReadError> {
    let shown = path.display().to_string();
    let error = |kind| ReadError {
        path: shown.clone(),
        kind,
    };
    let Some(format) = format_of(path) else {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_owned();
        return Err(error(ReadErrorKind::UnsupportedFormat(ext)));
    };
    let opened = open_regular(path).map_err(|e| error(ReadErrorKind::Io(e.to_string())))?;
    let Some((file, meta)) = opened else {
        return Err(error(ReadErrorKind::NotAFile));
    };
    let size = meta.len();
    let limit = max_bytes(format);
    if size > limit {
        return Err(error(ReadErrorKind::TooLarge { size, limit }));
    }
    // The bytes the size said, into a buffer of that size (not one grown a dozen times), in one
    // system call: a file that grows meanwhile is read as it was when its size was taken. A file
    // that tells no size (a virtual one) is read up to the limit, and refused past it.
    let want = if size == 0 { limit + 1 } else { size };
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(want)
        .read_to_end(&mut bytes)
        .map_err(|e| error(ReadErrorKind::Io(e.to_string())))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(error(ReadErrorKind::TooLarge { size: read, limit }));
    }
    Ok((shown, bytes, format))
}

/// A regular file opened, with its metadata; `None` when the path is something else (a folder,
/// a pipe, a device, a socket), which is never read. On Unix it is opened first, without
/// blocking (so that a named pipe's open returns at once), and asked what it is through the open
/// file: one walk of its path instead of two (a folder of 10,000 reports spent 2 % of its time
/// in the second). Elsewhere it is asked first and opened only when it is a regular file.
fn open_regular(path: &Path) -> std::io::Result<Option<(std::fs::File, std::fs::Metadata)>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
        {
            Ok(file) => {
                let meta = file.metadata()?;
                Ok(meta.is_file().then_some((file, meta)))
            }
            // What cannot be opened (a socket) may still be no file: said as such.
            Err(e) => match std::fs::metadata(path) {
                Ok(meta) if !meta.is_file() => Ok(None),
                _ => Err(e),
            },
        }
    }
    #[cfg(not(unix))]
    {
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Ok(None);
        }
        Ok(Some((std::fs::File::open(path)?, meta)))
    }
}

/// Reads a report from its bytes; `path` is only used to name it.
///
/// # Errors
/// A [`ReadError`] when the bytes are not UTF-8 text or not a standard-template report.
pub fn read_bytes(path: &str, bytes: &[u8], format: Format) -> Result<Report, ReadError> {
    read(path, bytes, format).map(|read| read.report)
}

/// Reads a report from its bytes and keeps the text its spans point into.
///
/// # Errors
/// As [`read_bytes`].
pub fn load_bytes(path: &str, bytes: &[u8], format: Format) -> Result<Loaded, ReadError> {
    read(path, bytes, format).map(|read| Loaded {
        report: read.report,
        text: read.text.into_owned(),
        pages: read.pages,
    })
}

/// What [`read`] makes of a report's bytes: a [`Loaded`] whose text is borrowed from the bytes
/// where they are the text, so that a report only checked is not copied.
struct Read<'b> {
    report: Report,
    text: std::borrow::Cow<'b, str>,
    pages: Vec<Vec<u8>>,
}

/// Reads a report from its bytes, as [`load_bytes`] says.
fn read<'b>(path: &str, bytes: &'b [u8], format: Format) -> Result<Read<'b>, ReadError> {
    let error = |kind| ReadError {
        path: path.to_owned(),
        kind,
    };
    let mut scan_words: Option<ocr::Recognised> = None;
    let sha256 = sha256_hex(bytes);
    let (text, rendered): (std::borrow::Cow<'b, str>, _) = match format {
        Format::Txt | Format::Markdown => {
            // The fast check; where it fails, the standard one says where.
            let text = simdutf8::basic::from_utf8(bytes)
                .or_else(|_| std::str::from_utf8(bytes))
                .map_err(|e| {
                    let byte = e.valid_up_to();
                    let line = bytes[..byte].split(|&b| b == b'\n').count();
                    error(ReadErrorKind::NotText { line, byte })
                })?;
            // A converter's output saved as .txt is Markdown all the same: its pipes are not
            // cell text.
            if format == Format::Markdown || markdown::has_tables(text) {
                let rendered = markdown::document(text)
                    .map_err(|e| error(ReadErrorKind::Markdown(e)))?
                    .render();
                (rendered.text.clone().into(), Some(rendered))
            } else {
                (text.into(), None)
            }
        }
        Format::Docx => {
            let rendered = docx::document(bytes)
                .map_err(|e| error(ReadErrorKind::Docx(e)))?
                .render();
            (rendered.text.clone().into(), Some(rendered))
        }
        Format::Html => {
            let rendered = html::document(bytes)
                .map_err(|e| error(ReadErrorKind::Html(e)))?
                .render();
            (rendered.text.clone().into(), Some(rendered))
        }
        Format::Pdf => match pdf_pages(bytes).map_err(error)? {
            Ok(pages) => {
                let rendered = layout::document(&pages).render();
                (rendered.text.clone().into(), Some(rendered))
            }
            // No text layer: a scan in a PDF, read page by page through OCR.
            Err(pdf::PdfError::NoTextLayer) => {
                let recognised = scan(path, &sha256, &worker::Job::OcrPdf, bytes).map_err(error)?;
                let (text, rendered) = scanned(recognised, &mut scan_words);
                (text.into(), rendered)
            }
            Err(e) => return Err(error(ReadErrorKind::Pdf(e))),
        },
        Format::Image => {
            let extension = Path::new(path)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("png")
                .to_ascii_lowercase();
            let job = worker::Job::OcrImage { extension };
            let recognised = scan(path, &sha256, &job, bytes).map_err(error)?;
            let (text, rendered) = scanned(recognised, &mut scan_words);
            (text.into(), rendered)
        }
    };
    let source = Source {
        path: path.to_owned(),
        sha256,
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        format,
    };
    let mut report = read_text(source, &text).map_err(error)?;
    let rebuilt = rendered.is_some();
    if let Some(rendered) = rendered {
        for cell in report.cells.values_mut() {
            cell.origin = cell
                .span
                .as_ref()
                .and_then(|span| rendered.origin_of(span))
                .map(|origin| Box::new(origin.clone()));
        }
    }
    let mut pages = Vec::new();
    if let Some(scan) = scan_words {
        for cell in report.cells.values_mut() {
            // Rebuilt tables: the words in the cell's box; else the words its text came from.
            let found = match cell.origin.as_ref().and_then(|o| o.area.as_ref()) {
                Some(area) => scan.in_area(area),
                None if rebuilt => None,
                None => cell.span.as_ref().and_then(|span| scan.of_span(span)),
            };
            let Some((confidence, rect)) = found else {
                continue;
            };
            cell.add_reason(Reason::OcrConfidence { confidence });
            cell.image_box = Some(rect);
        }
        pages = scan.images;
        doubt_shifted_rows(&mut report);
        corroborate(&mut report);
    }
    Ok(Read {
        report,
        text,
        pages,
    })
}

/// On a scan, a cell holding several numbers is most often two cells whose rule the scan lost:
/// the values after it in its row may sit one column off, so every cell of that row asks for a
/// look, however sure the engine was of its digits.
fn doubt_shifted_rows(report: &mut Report) {
    let rows: std::collections::BTreeSet<(usize, usize)> = report
        .cells
        .values()
        .filter(|c| c.reasons.contains(&Reason::SeveralNumbers))
        .filter_map(|c| c.origin.as_ref().map(|o| (o.table, o.row)))
        .collect();
    for cell in report.cells.values_mut() {
        if cell
            .origin
            .as_ref()
            .is_some_and(|o| rows.contains(&(o.table, o.row)))
        {
            cell.add_reason(Reason::PositionInferred);
        }
    }
}

/// An OCR reading below this confidence is never taken as confirmed by the sums: it may be a
/// guess that happens to fit.
const CONFIRMABLE: u8 = 50;

/// Raises doubtful OCR readings that the table's arithmetic fixes: a cell whose only doubt is
/// the engine's confidence (at least [`CONFIRMABLE`]) is confirmed when a sum it is in holds
/// with every other cell of that sum sure (so the sure cells give its value) and no sum it is
/// in fails. The doubt stays in its reasons, with the number of sums that confirm it.
fn corroborate(report: &mut Report) {
    let relations = crate::rules::relations(report.layout);
    let sure: std::collections::BTreeSet<CellId> = report
        .cells
        .iter()
        .filter(|(_, c)| !c.is_low_confidence())
        .map(|(id, _)| *id)
        .collect();
    let mut confirmed = Vec::new();
    for (&id, cell) in &report.cells {
        let [Reason::OcrConfidence { confidence }] = cell.reasons.as_slice() else {
            continue;
        };
        if sure.contains(&id) || *confidence < CONFIRMABLE || cell.value.is_none() {
            continue;
        }
        let mut pinned = 0_u8;
        let mut fails = false;
        for relation in relations.iter().filter(|r| r.cells().any(|c| c == id)) {
            match crate::rules::sides(relation, &|c| report.value(c)) {
                Some((l, r)) if l != r => fails = true,
                Some(_) if relation.cells().all(|c| c == id || sure.contains(&c)) => {
                    pinned = pinned.saturating_add(1);
                }
                _ => {}
            }
        }
        if pinned > 0 && !fails {
            confirmed.push((id, *confidence, pinned));
        }
    }
    for (id, confidence, sums) in confirmed {
        if let Some(cell) = report.cells.get_mut(&id) {
            let reason = Reason::OcrConfirmed { confidence, sums };
            cell.confidence = reason.confidence_cap();
            cell.reasons = smallvec::smallvec![reason];
        }
    }
}

/// A PDF's pages, read where a hostile file cannot hang or crash the program (see [`worker`]).
fn pdf_pages(bytes: &[u8]) -> Result<Result<Vec<layout::Page>, pdf::PdfError>, ReadErrorKind> {
    match worker::run(&worker::Job::PdfPages, bytes, None).map_err(ReadErrorKind::Worker)? {
        worker::Done::Pages(pages) => Ok(pages),
        worker::Done::Scan(_) => Err(ReadErrorKind::Worker(worker::WorkerError::Crashed(
            "a scan's result for a PDF's pages".into(),
        ))),
    }
}

/// A scan's words: as kept from an earlier reading of the same bytes, or read where a stuck
/// page can be stopped (see [`worker`]) and kept.
fn scan(
    path: &str,
    sha256: &str,
    job: &worker::Job,
    bytes: &[u8],
) -> Result<ocr::Recognised, ReadErrorKind> {
    let folder = ocr::cache::folder_for(Path::new(path));
    if let Some(read) = ocr::cache::load(&folder, sha256) {
        return Ok(read);
    }
    let done = worker::run(job, bytes, Some(path));
    progress::finish(path);
    match done.map_err(ReadErrorKind::Worker)? {
        worker::Done::Scan(scan) => {
            let read = scan.map_err(ReadErrorKind::Ocr)?;
            // Only a shortcut: a folder that cannot be written costs the next reading, no more.
            let _ = ocr::cache::store(&folder, sha256, &read);
            Ok(read)
        }
        worker::Done::Pages(_) => Err(ReadErrorKind::Worker(worker::WorkerError::Crashed(
            "a PDF's pages for a scan".into(),
        ))),
    }
}

/// The text a scan is read from: its tables rebuilt from the rules found on its pages, or,
/// without rules, its words as lines. Keeps the recognised words for the cells' confidences.
fn scanned(
    recognised: ocr::Recognised,
    scan: &mut Option<ocr::Recognised>,
) -> (String, Option<document::Rendered>) {
    let document = layout::document(&recognised.pages);
    let out = if document
        .blocks
        .iter()
        .any(|b| matches!(b, document::Block::Table(_)))
    {
        let rendered = document.render();
        (rendered.text.clone(), Some(rendered))
    } else {
        (recognised.text.clone(), None)
    };
    *scan = Some(recognised);
    out
}

/// The folder, beside the reports, that holds what the program keeps about them: their records
/// (see `store`) and what OCR read from them ([`ocr::cache`]).
pub const RECORDS_DIR: &str = "nianbao-records";

/// SHA-256 of some bytes, lower-case hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn read_text(source: Source, text: &str) -> Result<Report, ReadErrorKind> {
    let doc = Indexed {
        source: text,
        norm: Normalized::new(text).ok_or(ReadErrorKind::TooLarge {
            size: text.len() as u64,
            limit: text::MAX_SOURCE_BYTES as u64,
        })?,
    };
    let bounds = Bounds::find(&doc).ok_or(ReadErrorKind::NotTemplate)?;
    let meta = meta::read(text, &doc.norm, &bounds.source_ranges(&doc));
    let layout = bounds::layout(&doc, &bounds, meta.year);
    let cells = tables::read_tables(&doc, &bounds, layout, doc.norm.looks_like_ocr());
    Ok(Report {
        source,
        meta,
        layout,
        missing_tables: bounds.missing(),
        cells,
    })
}

/// The bundled samples' texts, for the reader's unit tests that go over every one.
#[cfg(test)]
const SAMPLE_TEXTS: [&str; 5] = [
    include_str!("../../assets/samples/000_1424afc2c3529d07.txt"),
    include_str!("../../assets/samples/001_3bceb6a2129e3845.txt"),
    include_str!("../../assets/samples/002_9042ac2a28d37d4e.txt"),
    include_str!("../../assets/samples/003_9befa24b251bf041.txt"),
    include_str!("../../assets/samples/004_a3cb757cf03d8042.txt"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{CellId, Edition};

    /// Two of the marks OCR leaves make a text OCR output, one does not (a report may quote a
    /// `€` or an arrow), wherever they stand among Chinese characters whose bytes they share.
    #[test]
    fn two_ocr_marks_make_ocr_output_and_one_does_not() {
        let ocr = |text: &str| Normalized::new(text).is_some_and(|n| n.looks_like_ocr());
        let sample = include_str!("../../assets/samples/001_3bceb6a2129e3845.txt");
        assert!(!ocr(sample));
        for (i, first) in text::OCR_MARKS.iter().enumerate() {
            let one = format!("{sample}政府{first}信息");
            assert!(!ocr(&one), "{first}");
            for second in &text::OCR_MARKS[i + 1..] {
                let two = format!("{first}尉氏县人民政府公开{second}");
                assert!(ocr(&two), "{first} {second}");
            }
            // The same character twice is one mark.
            assert!(!ocr(&format!("{first}年{first}")), "{first}");
        }
    }

    /// A 2021 report with 表二 given the test-only 2031 edition's new row is read as that
    /// edition, its new cell included: the reader needs no code for an edition.
    #[test]
    fn a_report_of_an_edition_defined_in_data_alone_is_read() {
        let sample = include_str!("../../assets/samples/001_3bceb6a2129e3845.txt");
        let row = "\t第二十条第（十）项\n\n\t信息内容\n\t开放数据集数量\n\n\t数据开放\n\t7\n\n\n";
        let at = sample.find("三、收到和处理").unwrap_or(0);
        let text = format!("{}{row}{}", &sample[..at], &sample[at..]);
        let report =
            read_bytes("r.txt", text.as_bytes(), Format::Txt).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            report.layout.t2,
            Edition::named("2031").unwrap_or(Edition::E2019)
        );
        let open = CellId::parse("t2.open_data.datasets").unwrap_or_else(|| panic!("no id"));
        assert_eq!(report.value(open), Some(crate::model::Value::Count(7)));
        assert!(!report.cells[&open].is_low_confidence());
    }
}
