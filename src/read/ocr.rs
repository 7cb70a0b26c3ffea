//! Scans: page images read by Tesseract's Chinese model (Debian's `tesseract-ocr` and
//! `tesseract-ocr-chi-sim`), word by word with positions and confidences. A page with table
//! rules has them found in the image and erased before the engine reads it, and its tables are
//! rebuilt from the rules and the words' places, like a PDF's; otherwise the words become lines
//! of text read like a scraped page. Each cell then takes the lowest confidence of its words and
//! its box on the page. Without the engine, a scan is refused with the packages to
//! install; everything else keeps working.

use std::ops::Range;
use std::path::PathBuf;
use std::process::Command;

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
    /// A PDF without text needs its pages turned into images first, and `pdftoppm` is missing.
    MissingRasterizer,
}

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
            OcrError::MissingRasterizer => {
                write!(
                    f,
                    "this PDF has no text layer; reading it as a scan needs pdftoppm: apt-get install poppler-utils"
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
            OcrError::MissingRasterizer => {
                "此PDF没有文字层；作为扫描件读取需要 pdftoppm：apt-get install poppler-utils".into()
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

/// A page image's table rules: runs of dark pixels at least this share of the page's shorter
/// side (longer than any stroke of a character; pages stacked in one image stay alike).
const RULE_SHARE: u32 = 25;

/// The table rules drawn on a page image, and the image with them erased (so that the engine
/// does not read a rule as `|` or `1`). `None` when the image cannot be decoded.
#[must_use]
pub fn find_rules(bytes: &[u8]) -> Option<(image::GrayImage, Vec<Line>)> {
    let mut page = image::load_from_memory(bytes).ok()?.to_luma8();
    let (width, height) = page.dimensions();
    let min = (width.min(height) / RULE_SHARE).max(40);
    let dark = |page: &image::GrayImage, x: u32, y: u32| page.get_pixel(x, y)[0] < 128;
    let mut runs: Vec<(bool, u32, u32, u32)> = Vec::new();
    for (horizontal, lines, length) in [(true, height, width), (false, width, height)] {
        for line in 0..lines {
            let at = |i: u32| if horizontal { (i, line) } else { (line, i) };
            let mut i = 0;
            while i < length {
                let start = i;
                while i < length && {
                    let (x, y) = at(i);
                    dark(&page, x, y)
                } {
                    i += 1;
                }
                if i - start >= min {
                    runs.push((horizontal, line, start, i));
                }
                i += 1;
            }
        }
    }
    let mut rules = Vec::new();
    for &(horizontal, line, start, end) in &runs {
        for i in start..end {
            let (x, y) = if horizontal { (i, line) } else { (line, i) };
            page.put_pixel(x, y, image::Luma([255]));
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "pixel positions on a page image are small"
        )]
        let (line, start, end) = (line as f32 + 0.5, start as f32, end as f32);
        let rule = if horizontal {
            Line::between(start, line, end, line)
        } else {
            Line::between(line, start, line, end)
        };
        rules.extend(rule);
    }
    Some((page, rules))
}

/// The engine to run: `NIANBAO_TESSERACT` if set, else `tesseract` on the path.
fn engine() -> PathBuf {
    std::env::var_os("NIANBAO_TESSERACT").map_or_else(|| PathBuf::from("tesseract"), PathBuf::from)
}

/// Reads a page image (PNG, JPEG or TIFF bytes).
///
/// # Errors
/// [`OcrError::Missing`] without the engine or its model; [`OcrError::Failed`] otherwise.
pub fn recognise(bytes: &[u8], extension: &str) -> Result<Recognised, OcrError> {
    // A page with table rules is read with the rules erased; the rules rebuild its tables.
    let ruled = find_rules(bytes).filter(|(_, rules)| !rules.is_empty());
    let extension = if ruled.is_some() { "png" } else { extension };
    let file = tempfile::Builder::new()
        .prefix("nianbao-ocr-")
        .suffix(&format!(".{extension}"))
        .tempfile()
        .map_err(|e| OcrError::Failed(e.to_string()))?;
    let input = file.path().to_path_buf();
    let written = match &ruled {
        Some((page, _)) => page
            .save_with_format(&input, image::ImageFormat::Png)
            .map_err(|e| e.to_string()),
        None => std::fs::write(&input, bytes).map_err(|e| e.to_string()),
    };
    written.map_err(OcrError::Failed)?;
    let output = Command::new(engine())
        .arg(&input)
        .args(["stdout", "-l", "chi_sim", "--psm", "6", "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .output();
    drop(file);
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
    let mut read = parse_tsv(&String::from_utf8_lossy(&output.stdout));
    let found = ruled.map(|(_, rules)| rules).unwrap_or_default();
    read.pages = vec![page_layout(&read, found)];
    read.images = vec![bytes.to_vec()];
    Ok(read)
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
    let mut out = Recognised::default();
    for (page, png) in rasterize(bytes)?.iter().enumerate() {
        let read = recognise(png, "png")?;
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

/// A PDF's pages as PNG images (200 dpi, grey), by `pdftoppm` from poppler-utils.
///
/// # Errors
/// [`OcrError::MissingRasterizer`] without `pdftoppm`; [`OcrError::Failed`] otherwise.
pub fn rasterize(bytes: &[u8]) -> Result<Vec<Vec<u8>>, OcrError> {
    let temp = tempfile::Builder::new()
        .prefix("nianbao-pdf-")
        .tempdir()
        .map_err(|e| OcrError::Failed(e.to_string()))?;
    let dir = temp.path();
    let result = (|| {
        let input = dir.join("scan.pdf");
        std::fs::write(&input, bytes).map_err(|e| OcrError::Failed(e.to_string()))?;
        let status = Command::new("pdftoppm")
            .args(["-r", "200", "-gray", "-png"])
            .arg(&input)
            .arg(dir.join("page"))
            .output();
        match status {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OcrError::MissingRasterizer);
            }
            Err(e) => return Err(OcrError::Failed(e.to_string())),
            Ok(o) if !o.status.success() => {
                return Err(OcrError::Failed(
                    String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                ));
            }
            Ok(_) => {}
        }
        let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| OcrError::Failed(e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
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
