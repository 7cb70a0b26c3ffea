//! Scans. A page with ruled tables is straightened, its rules found, and each table cell read
//! from its own crop by `PaddleOCR`'s PP-OCRv6 recognizer ([`engine`], pure Rust), line by line;
//! the text around the tables (and a page without rules) is read by Tesseract's Chinese model
//! (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`), word by word. The tables are then
//! rebuilt from the rules and the words' places, like a PDF's. Each cell takes the lowest
//! confidence of its characters and its box on the (straightened) page. Without an engine, a
//! scan is refused with what to install; everything else keeps working. What was read is kept
//! by the file's digest ([`cache`]), so the same bytes are never read twice.

pub mod cache;
pub mod engine;
pub mod page;

use std::ops::Range;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::layout::{Glyph, Line, Page};
use crate::model::{Area, PageBox, PageUnit};

/// The Debian packages that provide the OCR engine and its Chinese model.
pub const PACKAGES: &str = "tesseract-ocr tesseract-ocr-chi-sim";

/// Why a scan could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OcrError {
    /// The engine or its Chinese model is not installed.
    Missing,
    /// The engine failed on the image.
    Failed(String),
    /// A PDF's pages must be drawn (a PDF without text is read from them; the window and the
    /// letters show them), and `pdftoppm` is missing.
    MissingRasterizer,
    /// The table recognizer's model file, or ONNX Runtime that runs it, is not installed.
    MissingModel,
}

/// What installs everything a scan needs.
pub const SETUP: &str = "bash scripts/setup-debian.sh ocr";

impl std::fmt::Display for OcrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcrError::Missing => {
                write!(
                    f,
                    "reading a scan needs the OCR engine with its Chinese model: apt-get install {PACKAGES}"
                )
            }
            OcrError::Failed(e) => write!(f, "the OCR engine failed on this image: {e}"),
            OcrError::MissingModel => write!(
                f,
                "reading a scan's tables needs the PP-OCRv6 model {} and ONNX Runtime {} in one of {}: {SETUP}",
                engine::MODEL_FILE,
                engine::RUNTIME_FILE,
                folders()
            ),
            OcrError::MissingRasterizer => {
                write!(
                    f,
                    "a PDF's pages are drawn by pdftoppm, which is missing (it reads a PDF without a text layer, and shows or cuts out its pages): apt-get install poppler-utils"
                )
            }
        }
    }
}

impl OcrError {
    /// The error in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            OcrError::Missing => {
                format!("读取扫描件需要OCR引擎及其中文模型：apt-get install {PACKAGES}")
            }
            OcrError::Failed(e) => format!("OCR引擎识别此图像失败：{e}"),
            OcrError::MissingModel => format!(
                "读取扫描件的表格需要 PP-OCRv6 模型 {} 和 ONNX Runtime {}（放在 {} 之一）：{SETUP}",
                engine::MODEL_FILE,
                engine::RUNTIME_FILE,
                folders()
            ),
            OcrError::MissingRasterizer => {
                "绘制PDF页面需要 pdftoppm（读取没有文字层的PDF、显示或截取页面都要用它），未安装：apt-get install poppler-utils".into()
            }
        }
    }
}

/// One word as the engine read it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Word {
    /// Its bytes in [`Recognised::text`].
    pub span: Range<usize>,
    /// The engine's confidence, 0–100.
    pub confidence: u8,
    /// Where it is on its page.
    pub rect: PageBox,
}

/// A page as text, with every word's place.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Recognised {
    /// The page as lines of text.
    pub text: String,
    /// The words, in text order.
    pub words: Vec<Word>,
    /// Each page's layout in pixels: the words as glyphs and the table rules found in the
    /// image, from which the tables are rebuilt when the page has ruled tables.
    pub pages: Vec<Page>,
    /// Each page's image as read (PNG, JPEG or TIFF bytes), for showing beside the tables.
    /// (Not in the worker's JSON: they follow it as bytes.)
    #[serde(skip)]
    pub images: Vec<Vec<u8>>,
}

impl Recognised {
    /// The lowest confidence and the covering box of the words within `span`.
    #[must_use]
    pub fn of_span(&self, span: &Range<usize>) -> Option<(u8, PageBox)> {
        let words: Vec<&Word> = self
            .words
            .iter()
            .filter(|w| w.span.start < span.end.max(span.start + 1) && span.start < w.span.end)
            .collect();
        let confidence = words.iter().map(|w| w.confidence).min()?;
        let page = words.first()?.rect.page;
        let on_page: Vec<&&Word> = words.iter().filter(|w| w.rect.page == page).collect();
        let left = on_page.iter().map(|w| w.rect.left).min()?;
        let top = on_page.iter().map(|w| w.rect.top).min()?;
        let right = on_page.iter().map(|w| w.rect.left + w.rect.width).max()?;
        let bottom = on_page.iter().map(|w| w.rect.top + w.rect.height).max()?;
        Some((
            confidence,
            PageBox {
                page,
                left,
                top,
                width: right - left,
                height: bottom - top,
            },
        ))
    }

    /// The lowest confidence of the words whose middle is in `area` (pixels, page from 1), and
    /// the area as a box on the page image.
    #[must_use]
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "pixel positions on a page image, non-negative and small"
    )]
    pub fn in_area(&self, area: &Area) -> Option<(u8, PageBox)> {
        let page = u32::try_from(area.page).ok()?;
        let inside = |w: &&Word| {
            let x = w.rect.left as f32 + w.rect.width as f32 / 2.0;
            let y = w.rect.top as f32 + w.rect.height as f32 / 2.0;
            w.rect.page == page
                && (area.left..=area.right).contains(&x)
                && (area.top..=area.bottom).contains(&y)
        };
        let confidence = self
            .words
            .iter()
            .filter(inside)
            .map(|w| w.confidence)
            .min()?;
        let rect = PageBox {
            page,
            left: area.left.max(0.0) as u32,
            top: area.top.max(0.0) as u32,
            width: (area.right - area.left).max(0.0) as u32,
            height: (area.bottom - area.top).max(0.0) as u32,
        };
        Some((confidence, rect))
    }
}

/// The folders searched for the model and runtime, for a message.
fn folders() -> String {
    engine::model_folders()
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The engine to run: `NIANBAO_TESSERACT` if set, else `tesseract` on the path.
fn engine() -> PathBuf {
    std::env::var_os("NIANBAO_TESSERACT").map_or_else(|| PathBuf::from("tesseract"), PathBuf::from)
}

/// The recognizer, loaded once per process (the worker reads every page of a file with it).
fn recognizer() -> Result<&'static engine::Recognizer, OcrError> {
    static LOADED: std::sync::OnceLock<Result<engine::Recognizer, OcrError>> =
        std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| {
            let model = engine::find_model().ok_or(OcrError::MissingModel)?;
            let runtime = engine::find_runtime().ok_or(OcrError::MissingModel)?;
            engine::Recognizer::load(&model, &runtime).map_err(OcrError::Failed)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Runs Tesseract on an image file and reads its TSV.
fn tesseract(input: &std::path::Path) -> Result<Recognised, OcrError> {
    let output = Command::new(engine())
        .arg(input)
        .args(["stdout", "-l", "chi_sim", "--psm", "6", "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(OcrError::Missing),
        Err(e) => return Err(OcrError::Failed(e.to_string())),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("chi_sim") || stderr.contains("Failed loading language") {
            return Err(OcrError::Missing);
        }
        return Err(OcrError::Failed(
            stderr.lines().last().unwrap_or("no message").to_owned(),
        ));
    }
    Ok(parse_tsv(&String::from_utf8_lossy(&output.stdout)))
}

/// A temporary image file for Tesseract.
fn temporary(extension: &str) -> Result<tempfile::NamedTempFile, OcrError> {
    tempfile::Builder::new()
        .prefix("nianbao-ocr-")
        .suffix(&format!(".{extension}"))
        .tempfile()
        .map_err(|e| OcrError::Failed(e.to_string()))
}

/// An image as PNG bytes.
fn png(page: &image::GrayImage) -> Result<Vec<u8>, OcrError> {
    let mut out = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| OcrError::Failed(e.to_string()))?;
    Ok(out)
}

/// Where the time of reading one page went (`benches/ocr.rs` reports it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    /// Decoding the image, measuring its turn and turning it back.
    pub straighten: Duration,
    /// Finding the rules and the tables' cells.
    pub rules: Duration,
    /// Loading the recognizer (the first page of a process only).
    pub load: Duration,
    /// Finding the lines of text in the cells and recognizing them, on every core.
    pub cells: Duration,
    /// How many lines the cells held.
    pub lines: usize,
    /// Tesseract on the text around the tables (or the whole page), beside the cells.
    pub prose: Duration,
}

/// Reads a page image (PNG, JPEG, TIFF or Netpbm bytes).
///
/// # Errors
/// [`OcrError::Missing`] without Tesseract or its model, [`OcrError::MissingModel`] without the
/// table recognizer when the page has ruled tables; [`OcrError::Failed`] otherwise.
pub fn recognise(bytes: &[u8], extension: &str) -> Result<Recognised, OcrError> {
    recognise_in_stages(bytes, extension).map(|(read, _)| read)
}

/// Reads a page image as [`recognise`] does, and says where the time went.
///
/// # Errors
/// As [`recognise`].
pub fn recognise_in_stages(
    bytes: &[u8],
    extension: &str,
) -> Result<(Recognised, Stages), OcrError> {
    let mut stages = Stages::default();
    let started = Instant::now();
    let image = image::load_from_memory(bytes)
        .map_err(|e| OcrError::Failed(format!("the {extension} image cannot be decoded: {e}")))?
        .to_luma8();
    let straight = page::straighten(&image, page::skew(&image));
    drop(image);
    stages.straighten = started.elapsed();
    let started = Instant::now();
    let found = page::rules(&straight);
    let lines: Vec<Line> = found.iter().map(|(l, _)| *l).collect();
    let (cells, outlines) = super::layout::ruled_cells(&lines);
    stages.rules = started.elapsed();
    if cells.is_empty() {
        // No ruled table: the whole page is prose (or an unruled table) for Tesseract, a band of
        // it on each core, cut between lines of text.
        let started = Instant::now();
        let mut read = tesseract_in_bands(&straight)?;
        read.pages = vec![page_layout(&read, Vec::new())];
        read.images = vec![png(&straight)?];
        stages.prose = started.elapsed();
        return Ok((read, stages));
    }
    let started = Instant::now();
    let recognizer = recognizer()?;
    stages.load = started.elapsed();
    // The prose around the tables goes to Tesseract, in a process of its own, while the cells
    // are read here.
    let mut prose = straight.clone();
    for [left, top, right, bottom] in &outlines {
        blank(&mut prose, *left, *top, *right, *bottom);
    }
    let file = temporary("png")?;
    std::fs::write(file.path(), png(&prose)?).map_err(|e| OcrError::Failed(e.to_string()))?;
    drop(prose);
    let path = file.path().to_path_buf();
    let around = std::thread::scope(|scope| {
        let around = scope.spawn(|| {
            let started = Instant::now();
            (tesseract(&path), started.elapsed())
        });
        let started = Instant::now();
        let thickness = found.iter().map(|(_, t)| *t).fold(1.0_f32, f32::max);
        let cells = read_cells(recognizer, &straight, &cells, thickness);
        (around.join(), cells, started.elapsed())
    });
    drop(file);
    let (around, cells, cells_took) = around;
    stages.cells = cells_took;
    let (around, prose_took) =
        around.map_err(|_| OcrError::Failed("Tesseract's thread failed".into()))?;
    stages.prose = prose_took;
    let mut read = around?;
    let cells = cells?;
    stages.lines = cells.len();
    for (rect, line) in cells {
        if line.text.trim().is_empty() {
            continue;
        }
        let start = read.text.len();
        read.text.push_str(line.text.trim());
        let span = start..read.text.len();
        read.text.push('\n');
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "pixel positions of a page image, small and non-negative"
        )]
        read.words.push(Word {
            span,
            confidence: line.confidence(),
            rect: PageBox {
                page: 1,
                left: rect.left.max(0.0) as u32,
                top: rect.top.max(0.0) as u32,
                width: rect.width().max(1.0) as u32,
                height: rect.height().max(1.0) as u32,
            },
        });
    }
    read.pages = vec![page_layout(&read, lines)];
    read.images = vec![png(&straight)?];
    Ok((read, stages))
}

/// Reads a page of prose with Tesseract (one core each) in as many bands as the machine has
/// cores, cut across the page where no line of text is; the bands' words are put back in page
/// order, on the page's coordinates.
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
fn tesseract_in_bands(page: &image::GrayImage) -> Result<Recognised, OcrError> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let whole = page::Rect {
        left: 0.0,
        top: 0.0,
        right: page.width() as f32,
        bottom: page.height() as f32,
    };
    let lines = page::text_lines(page, whole);
    // Cut in the gap after every n-th line, so the bands hold about as many lines each.
    let per_band = lines.len().div_ceil(cores.max(1)).max(1);
    let mut cuts = vec![0_u32];
    for pair in lines.chunks(per_band).skip(1) {
        if let Some(first) = pair.first() {
            cuts.push(first.top.max(0.0) as u32);
        }
    }
    cuts.push(page.height());
    cuts.dedup();
    let bands: Vec<(u32, image::GrayImage)> = cuts
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let band = image::imageops::crop_imm(page, 0, w[0], page.width(), w[1] - w[0]);
            (w[0], band.to_image())
        })
        .collect();
    let read: Vec<Result<Recognised, OcrError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = bands
            .iter()
            .map(|(_, band)| {
                scope.spawn(move || {
                    let file = temporary("png")?;
                    std::fs::write(file.path(), png(band)?)
                        .map_err(|e| OcrError::Failed(e.to_string()))?;
                    tesseract(file.path())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(OcrError::Failed("Tesseract's thread failed".into())))
            })
            .collect()
    });
    let mut out = Recognised::default();
    for ((top, _), band) in bands.iter().zip(read) {
        let band = band?;
        if !out.text.is_empty() && !band.text.is_empty() {
            out.text.push('\n');
        }
        let offset = out.text.len();
        out.text.push_str(&band.text);
        out.words.extend(band.words.into_iter().map(|w| Word {
            span: w.span.start + offset..w.span.end + offset,
            rect: PageBox {
                top: w.rect.top + top,
                ..w.rect
            },
            ..w
        }));
    }
    Ok(out)
}

/// Paints a rectangle of the page white.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
fn blank(page: &mut image::GrayImage, left: f32, top: f32, right: f32, bottom: f32) {
    let (width, height) = page.dimensions();
    for y in (top.max(0.0) as u32)..(bottom.max(0.0) as u32).min(height) {
        for x in (left.max(0.0) as u32)..(right.max(0.0) as u32).min(width) {
            page.put_pixel(x, y, image::Luma([255]));
        }
    }
}

/// Reads the lines of text in every cell, on as many threads as the machine has cores.
fn read_cells(
    recognizer: &engine::Recognizer,
    page: &image::GrayImage,
    cells: &[[f32; 4]],
    thickness: f32,
) -> Result<Vec<(page::Rect, engine::LineText)>, OcrError> {
    // Inside the rules: half the thickest rule and a little more, so no rule is read as `1`.
    let inset = thickness / 2.0 + 3.0;
    let lines: Vec<page::Rect> = cells
        .iter()
        .flat_map(|&[left, top, right, bottom]| {
            page::text_lines(
                page,
                page::Rect {
                    left: left + inset,
                    top: top + inset,
                    right: right - inset,
                    bottom: bottom - inset,
                },
            )
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let read: Vec<Vec<(usize, Result<engine::LineText, String>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(lines.len()).max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(rect) = lines.get(i) else {
                            break;
                        };
                        out.push((i, recognizer.read(&crop(page, *rect))));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut texts: Vec<Option<engine::LineText>> = vec![None; lines.len()];
    for (i, text) in read.into_iter().flatten() {
        texts[i] = Some(text.map_err(OcrError::Failed)?);
    }
    lines
        .into_iter()
        .zip(texts)
        .map(|(rect, text)| {
            text.map(|t| (rect, t))
                .ok_or_else(|| OcrError::Failed("a cell's line was not read".into()))
        })
        .collect()
}

/// The pixels of a rectangle of the page.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
fn crop(page: &image::GrayImage, rect: page::Rect) -> image::GrayImage {
    let left = (rect.left.max(0.0) as u32).min(page.width());
    let top = (rect.top.max(0.0) as u32).min(page.height());
    let width = (rect.width().max(0.0) as u32).min(page.width() - left);
    let height = (rect.height().max(0.0) as u32).min(page.height() - top);
    image::imageops::crop_imm(page, left, top, width, height).to_image()
}

/// A page's words as glyphs (pixels) with its rules, for the layout reader.
#[expect(
    clippy::cast_precision_loss,
    reason = "pixel positions on a page image are small"
)]
fn page_layout(read: &Recognised, rules: Vec<Line>) -> Page {
    let glyphs = read
        .words
        .iter()
        .map(|w| Glyph {
            text: read.text[w.span.clone()].to_owned(),
            left: w.rect.left as f32,
            right: (w.rect.left + w.rect.width) as f32,
            top: w.rect.top as f32,
            bottom: (w.rect.top + w.rect.height) as f32,
        })
        .collect();
    Page {
        number: 1,
        unit: PageUnit::Pixels,
        glyphs,
        lines: rules,
    }
}

/// Reads every page of a PDF without a text layer: each page is turned into an image by
/// `pdftoppm` (poppler-utils) and read by the OCR engine; the pages' text follows one another.
///
/// # Errors
/// [`OcrError::MissingRasterizer`] without `pdftoppm`, else as [`recognise`].
pub fn recognise_pdf(bytes: &[u8]) -> Result<Recognised, OcrError> {
    recognise_pdf_reporting(bytes, &mut |_| {})
}

/// Reads every page of a PDF without a text layer as [`recognise_pdf`] does, saying after each
/// page how many are done.
///
/// # Errors
/// As [`recognise_pdf`].
pub fn recognise_pdf_reporting(
    bytes: &[u8],
    on_page: &mut dyn FnMut(super::progress::Pages),
) -> Result<Recognised, OcrError> {
    let mut out = Recognised::default();
    let pages = rasterize(bytes)?;
    let of = pages.len();
    on_page(super::progress::Pages { done: 0, of });
    for (page, image) in pages.iter().enumerate() {
        let read = recognise(image, "pgm")?;
        on_page(super::progress::Pages { done: page + 1, of });
        let offset = out.text.len();
        out.text.push_str(&read.text);
        let page = u32::try_from(page + 1).unwrap_or(u32::MAX);
        out.words.extend(read.words.into_iter().map(|w| Word {
            span: w.span.start + offset..w.span.end + offset,
            rect: PageBox { page, ..w.rect },
            ..w
        }));
        out.pages.extend(read.pages.into_iter().map(|p| Page {
            number: page as usize,
            ..p
        }));
        out.images.extend(read.images);
    }
    Ok(out)
}

/// How a PDF's pages are drawn as images.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Raster {
    /// Pixels per inch.
    dpi: f32,
    /// Grey rather than colour.
    grey: bool,
    /// As PNG rather than raw pixels (Netpbm): for pages that are kept a while as bytes. A
    /// printed page compresses twentyfold in about 0.4 s; a scanned page's noise barely at
    /// all, in ~8 s.
    compressed: bool,
}

/// How pages are drawn to be read: grey at 200 dpi, the resolution the page geometry's
/// constants are tuned to.
const FOR_READING: Raster = Raster {
    dpi: 200.0,
    grey: true,
    compressed: false,
};

/// The resolution a PDF with a text layer is drawn at for the reviewer beside its tables: sharp
/// enough to read when magnified, quick enough to draw while the reviewer starts.
pub const SHOWN_DPI: f32 = 150.0;

/// Longest `pdftoppm` may take over a page before it is stopped: a hostile file does not keep a
/// thread or the worker busy for ever.
const RENDER_TIMEOUT: std::time::Duration = std::time::Duration::from_mins(1);

/// Page images with their page numbers, from 1.
type Numbered = Vec<(usize, Vec<u8>)>;

/// A PDF's pages as PNG images in colour at [`SHOWN_DPI`], for the reviewer to see beside the
/// tables read from its text layer (and for the letters' cuts of them): one run of `pdftoppm`, so
/// the file is never parsed in the caller's process (the window's).
///
/// # Errors
/// [`OcrError::MissingRasterizer`] without `pdftoppm`; [`OcrError::Failed`] when it fails on the
/// file or takes too long.
pub fn draw_pages(bytes: &[u8]) -> Result<Vec<Vec<u8>>, OcrError> {
    render(
        bytes,
        None,
        Raster {
            dpi: SHOWN_DPI,
            grey: false,
            compressed: true,
        },
    )
}

/// A PDF's pages as images (Netpbm bytes) to be read (200 dpi, grey), by `pdftoppm` from
/// poppler-utils: a page at a time on each core (a scan's page images are large). Runs in the
/// reading worker, which parses the file to count its pages.
///
/// # Errors
/// [`OcrError::MissingRasterizer`] without `pdftoppm`; [`OcrError::Failed`] when it fails on the
/// file or takes longer than a minute over a page.
pub fn rasterize(bytes: &[u8]) -> Result<Vec<Vec<u8>>, OcrError> {
    let raster = FOR_READING;
    let pages = pdf_extract::Document::load_mem(bytes).map_or(0, |pdf| pdf.get_pages().len());
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if pages < 2 || cores < 2 {
        return render(bytes, None, raster);
    }
    let next = std::sync::atomic::AtomicUsize::new(1);
    let rendered: Vec<Result<Numbered, OcrError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores.min(pages))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let page = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if page > pages {
                            return Ok(mine);
                        }
                        for png in render(bytes, Some(page), raster)? {
                            mine.push((page, png));
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(OcrError::Failed("pdftoppm worker panicked".into())))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(pages);
    for part in rendered {
        all.extend(part?);
    }
    all.sort_by_key(|(page, _)| *page);
    Ok(all.into_iter().map(|(_, png)| png).collect())
}

/// A PDF's pages rendered by `pdftoppm`: all of them, or one.
fn render(bytes: &[u8], page: Option<usize>, raster: Raster) -> Result<Vec<Vec<u8>>, OcrError> {
    let temp = tempfile::Builder::new()
        .prefix("nianbao-pdf-")
        .tempdir()
        .map_err(|e| OcrError::Failed(e.to_string()))?;
    let dir = temp.path();
    let result = (|| {
        let input = dir.join("scan.pdf");
        std::fs::write(&input, bytes).map_err(|e| OcrError::Failed(e.to_string()))?;
        let mut command = Command::new("pdftoppm");
        // Netpbm is its default output: a page to be read is decoded at once and never kept, and
        // compressing a scanned page's noise took pdftoppm ~8 s where raw pixels take 0.16 s.
        command.args(["-r", &raster.dpi.to_string()]);
        if raster.compressed {
            command.arg("-png");
        }
        if raster.grey {
            command.arg("-gray");
        }
        if let Some(page) = page {
            command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
        }
        command
            .arg(&input)
            .arg(dir.join("page"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let mut child = match command.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OcrError::MissingRasterizer);
            }
            Err(e) => return Err(OcrError::Failed(e.to_string())),
            Ok(child) => child,
        };
        // Its messages are read on the side, so a talkative pdftoppm never blocks on the pipe.
        let stderr = child.stderr.take().and_then(|mut pipe| {
            crate::work::spawn("pdftoppm messages", move || {
                let mut text = String::new();
                let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
                text
            })
            .ok()
        });
        let limit = RENDER_TIMEOUT * u32::try_from(page.map_or(8, |_| 1)).unwrap_or(1);
        let status = wait_timeout::ChildExt::wait_timeout(&mut child, limit)
            .map_err(|e| OcrError::Failed(e.to_string()))?;
        let Some(status) = status else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Failed(format!(
                "pdftoppm took more than {} s over this file and was stopped",
                limit.as_secs()
            )));
        };
        let message = stderr
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
            .trim()
            .to_owned();
        if !status.success() {
            return Err(OcrError::Failed(message));
        }
        let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| OcrError::Failed(e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "png" || e == "pgm" || e == "ppm")
            })
            .collect();
        pages.sort();
        pages
            .iter()
            .map(|p| std::fs::read(p).map_err(|e| OcrError::Failed(e.to_string())))
            .collect()
    })();
    drop(temp);
    result
}

/// Turns Tesseract's TSV into lines of text: words of a line joined by a space (labels are read
/// without spaces, numbers need them).
#[must_use]
pub fn parse_tsv(tsv: &str) -> Recognised {
    let mut out = Recognised::default();
    let mut line_key: Option<(u32, u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[11].trim().is_empty() {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<u32>().unwrap_or(0);
        let key = (n(1), n(2), n(3), n(4));
        if line_key.is_some() && line_key != Some(key) {
            out.text.push('\n');
        } else if line_key.is_some() {
            out.text.push(' ');
        }
        line_key = Some(key);
        let word = f[11].trim();
        let start = out.text.len();
        out.text.push_str(word);
        let confidence = f[10].trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0);
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to 0..=100"
        )]
        let confidence = confidence.round() as u8;
        out.words.push(Word {
            span: start..out.text.len(),
            confidence,
            rect: PageBox {
                page: 1,
                left: n(6),
                top: n(7),
                width: n(8),
                height: n(9),
            },
        });
    }
    out.text.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_lines_with_places_and_confidences() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   5\t1\t1\t1\t1\t1\t50\t30\t60\t30\t96\t规章\n\
                   5\t1\t1\t1\t1\t2\t200\t30\t20\t30\t94\t3\n\
                   5\t1\t1\t1\t1\t3\t300\t30\t40\t30\t61\t74\n\
                   5\t1\t1\t1\t2\t1\t50\t72\t90\t30\t95\t行政许可\n";
        let r = parse_tsv(tsv);
        assert_eq!(r.text, "规章 3 74\n行政许可\n");
        let span = r.text.find("74").map(|s| s..s + 2).unwrap();
        assert_eq!(
            r.of_span(&span),
            Some((
                61,
                PageBox {
                    page: 1,
                    left: 300,
                    top: 30,
                    width: 40,
                    height: 30
                }
            ))
        );
    }

    #[test]
    fn a_missing_engine_names_the_packages() {
        let missing = OcrError::Missing.to_string();
        assert!(
            missing.contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
            "{missing}"
        );
    }
}
