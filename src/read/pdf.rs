//! PDF with a text layer: every glyph with its position and every ruled line, taken from the
//! page content by `pdf-extract`, then tables rebuilt from that layout ([`super::layout`]) —
//! never from the order the text happens to be written in. The PDF library runs on its own
//! thread with a time limit, and a panic inside it is an error, not a crash.

use std::collections::BTreeMap;

use pdf_extract::{
    ColorSpace, Document as Pdf, MediaBox, Object, OutputDev, OutputError, Path, PathOp, Transform,
};

use super::layout::{Glyph, Line, Page};

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PdfError {
    /// The file does not start as a PDF does (`%PDF`).
    NotPdf,
    /// The PDF library failed on it (it panicked on the file's damage).
    ReaderFailed,
    /// The file is damaged or truncated: the PDF library's own words.
    Damaged(String),
    /// It has no text layer: a scan, which needs OCR.
    NoTextLayer,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.damage() {
            Some((_, en)) => write!(f, "not a readable PDF (damaged or truncated: {en})"),
            None => f.write_str("this PDF has no text layer (a scanned image)"),
        }
    }
}

impl PdfError {
    /// The error in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self.damage() {
            Some((zh, _)) => format!("不是可读取的PDF（已损坏或不完整：{zh}）"),
            None => "此PDF没有文字层（扫描图像）".into(),
        }
    }

    /// What is wrong with a file that could not be read as a PDF, in Chinese and in English (the
    /// library's own words, as it gives them, in both); `None` for a PDF without text.
    fn damage(&self) -> Option<(&str, &str)> {
        match self {
            PdfError::NotPdf => Some(("没有%PDF文件头", "no %PDF header")),
            PdfError::ReaderFailed => {
                Some(("PDF解析库无法处理此文件", "the PDF reader failed on it"))
            }
            PdfError::Damaged(e) => Some((e, e)),
            PdfError::NoTextLayer => None,
        }
    }
}

/// A PDF's pages as laid out: glyphs with their boxes and the rules drawn. Runs in the calling
/// thread with no limit of its own: [`super::worker`] runs it where it can be stopped. A panic
/// in the PDF library is an error naming it.
///
/// # Errors
/// A [`PdfError`] for a damaged PDF or one without text.
pub fn extract(bytes: &[u8]) -> Result<Vec<Page>, PdfError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::NotPdf);
    }
    let result = std::panic::catch_unwind(|| -> Result<Vec<Page>, OutputError> {
        let mut pdf = Pdf::load_mem(bytes)?;
        if pdf.is_encrypted() {
            pdf.decrypt("")?;
        }
        identity_fonts(&mut pdf);
        let mut collector = Collector::default();
        pdf_extract::output_doc(&pdf, &mut collector)?;
        Ok(collector.pages)
    });
    let pages = match result {
        Err(_) => return Err(PdfError::ReaderFailed),
        Ok(Err(e)) => return Err(PdfError::Damaged(e.to_string())),
        Ok(Ok(pages)) => pages,
    };
    let printed = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| !g.text.trim().is_empty())
        .count();
    if printed < 20 {
        return Err(PdfError::NoTextLayer);
    }
    Ok(pages)
}

/// Collects glyphs and rules page by page.
#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    /// The page's media box, to turn PDF coordinates (y up) into page coordinates (y down).
    media: Option<MediaBox>,
}

impl Collector {
    /// A point in PDF user space under `ctm`, on the page with y downwards.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "page coordinates in points are well within f32"
    )]
    fn point(&self, ctm: &Transform, x: f64, y: f64) -> (f32, f32) {
        let (px, py) = (
            x * ctm.m11 + y * ctm.m21 + ctm.m31,
            x * ctm.m12 + y * ctm.m22 + ctm.m32,
        );
        let (left, top) = self.media.map_or((0.0, 0.0), |m| (m.llx, m.ury));
        ((px - left) as f32, (top - py) as f32)
    }

    fn rule(&mut self, rule: Option<Line>) {
        if let (Some(rule), Some(page)) = (rule, self.pages.last_mut()) {
            page.lines.push(rule);
        }
    }

    /// The subpaths of a path drawn in a visible colour (a white line is no rule).
    fn drawn(
        &self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Vec<Vec<(f32, f32)>> {
        if is_white(colorspace, color) {
            return Vec::new();
        }
        self.subpaths(ctm, path)
    }

    /// The subpaths of a path as lists of points (closed ones end where they began).
    fn subpaths(&self, ctm: &Transform, path: &Path) -> Vec<Vec<(f32, f32)>> {
        let mut out: Vec<Vec<(f32, f32)>> = Vec::new();
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => out.push(vec![self.point(ctm, x, y)]),
                PathOp::LineTo(x, y) => {
                    let p = self.point(ctm, x, y);
                    match out.last_mut() {
                        Some(sub) => sub.push(p),
                        None => out.push(vec![p]),
                    }
                }
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    // A curve is not a rule: start afresh from its end.
                    out.push(vec![self.point(ctm, x, y)]);
                }
                PathOp::Rect(x, y, w, h) => {
                    let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                    out.push(
                        corners
                            .iter()
                            .map(|&(a, b)| self.point(ctm, a, b))
                            .collect(),
                    );
                }
                PathOp::Close => {
                    if let Some(sub) = out.last_mut()
                        && let Some(&first) = sub.first()
                    {
                        sub.push(first);
                    }
                }
            }
        }
        out
    }
}

/// Whether a colour is (nearly) white.
fn is_white(colorspace: &ColorSpace, color: &[f64]) -> bool {
    match colorspace {
        ColorSpace::DeviceCMYK => !color.is_empty() && color.iter().all(|c| *c <= 0.05),
        ColorSpace::DeviceGray
        | ColorSpace::DeviceRGB
        | ColorSpace::CalGray(_)
        | ColorSpace::CalRGB(_) => !color.is_empty() && color.iter().all(|c| *c >= 0.95),
        _ => false,
    }
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "glyph sizes and widths in points are well within f32"
)]
impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.media = Some(*media_box);
        self.pages.push(Page {
            number: page_num as usize,
            ..Page::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let size = font_size * (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let (left, baseline) = self.point(&Transform::identity(), trm.m31, trm.m32);
        let size = size as f32;
        let glyph = Glyph {
            text: char.to_owned(),
            left,
            right: left + (width as f32 * size).max(0.0),
            // The em box: most of it above the baseline.
            top: baseline - 0.88 * size,
            bottom: baseline + 0.12 * size,
        };
        if let Some(page) = self.pages.last_mut() {
            page.glyphs.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        for sub in self.drawn(ctm, colorspace, color, path) {
            for pair in sub.windows(2) {
                let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                self.rule(Line::between(x0, y0, x1, y1));
            }
        }
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        for sub in self.drawn(ctm, colorspace, color, path) {
            // Only boxes with straight, square sides: a bar drawn as a thin filled rectangle.
            let square = sub
                .windows(2)
                .all(|p| (p[0].0 - p[1].0).abs() < 0.01 || (p[0].1 - p[1].1).abs() < 0.01);
            if sub.len() < 4 || !square {
                continue;
            }
            let (mut left, mut top, mut right, mut bottom) = (
                f32::INFINITY,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
            );
            for &(x, y) in &sub {
                (left, top) = (left.min(x), top.min(y));
                (right, bottom) = (right.max(x), bottom.max(y));
            }
            self.rule(Line::of_bar(left, top, right, bottom));
        }
        Ok(())
    }
}

/// Rewrites composite fonts whose encoding is an embedded two-byte `CMap` into the equivalent
/// `Identity-H` font (widths keyed by character code). `pdf-extract` reads an embedded `CMap`'s
/// single-code mappings (`cidchar`) not at all, and looks text up by CID where the PDF keys it
/// by code; with `Identity-H` code and CID are the same, so text and widths come out right.
/// (fpdf2 and several Chinese PDF writers embed such `CMap`s.)
fn identity_fonts(pdf: &mut Pdf) {
    let mut rewrites = Vec::new();
    for (&id, object) in &pdf.objects {
        let Ok(font) = object.as_dict() else { continue };
        let type0 = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let Ok(encoding) = font.get(b"Encoding").and_then(Object::as_reference) else {
            continue;
        };
        if !type0 || font.get(b"ToUnicode").is_err() {
            continue;
        }
        let Some(codes) = pdf
            .get_object(encoding)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.decompressed_content().ok())
            .and_then(|cmap| cid_map(&cmap))
        else {
            continue;
        };
        let Some(descendant) = font
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|d| d.as_reference().ok())
        else {
            continue;
        };
        rewrites.push((id, descendant, codes));
    }
    for (font, descendant, codes) in rewrites {
        let widths = pdf
            .get_object(descendant)
            .and_then(Object::as_dict)
            .ok()
            .and_then(|d| d.get(b"W").ok())
            .map(|w| match w {
                Object::Reference(r) => pdf.get_object(*r).ok().cloned(),
                other => Some(other.clone()),
            })
            .and_then(|w| w.and_then(|w| w.as_array().ok().map(|a| cid_widths(pdf, a))));
        if let Some(widths) = widths {
            // For each code, the width of the glyph it selects.
            let by_code: Vec<Object> = codes
                .iter()
                .filter_map(|(code, cid)| widths.get(cid).map(|w| (code, w)))
                .flat_map(|(code, w)| {
                    [
                        Object::Integer(i64::from(*code)),
                        Object::Array(vec![Object::Real(*w)]),
                    ]
                })
                .collect();
            if let Ok(Object::Dictionary(d)) = pdf.get_object_mut(descendant) {
                d.set("W", Object::Array(by_code));
            }
        }
        if let Ok(Object::Dictionary(d)) = pdf.get_object_mut(font) {
            d.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        }
    }
}

/// A `CMap`'s mapping from two-byte codes to CIDs (`cidchar` and `cidrange`); `None` when its
/// code space is not two bytes throughout, or it maps nothing.
fn cid_map(cmap: &[u8]) -> Option<BTreeMap<u32, u32>> {
    let text = String::from_utf8_lossy(cmap);
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .filter(|t| !t.is_empty())
        .collect();
    let hex = |t: &str| u32::from_str_radix(t, 16).ok();
    let mut map = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "begincodespacerange" => {
                i += 1;
                while i + 1 < tokens.len() && tokens[i] != "endcodespacerange" {
                    if tokens[i].len() != 4 || tokens[i + 1].len() != 4 {
                        return None;
                    }
                    i += 2;
                }
            }
            "begincidchar" => {
                i += 1;
                while i + 1 < tokens.len() && tokens[i] != "endcidchar" {
                    map.insert(hex(tokens[i])?, tokens[i + 1].parse().ok()?);
                    i += 2;
                }
            }
            "begincidrange" => {
                i += 1;
                while i + 2 < tokens.len() && tokens[i] != "endcidrange" {
                    let (lo, hi, cid): (u32, u32, u32) = (
                        hex(tokens[i])?,
                        hex(tokens[i + 1])?,
                        tokens[i + 2].parse().ok()?,
                    );
                    if hi < lo || hi - lo > 0xFFFF {
                        return None;
                    }
                    for code in lo..=hi {
                        map.insert(code, cid + (code - lo));
                    }
                    i += 3;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (!map.is_empty()).then_some(map)
}

/// A CID font's `W` array as a map from CID to width (`c [w1 w2 …]` and `c_first c_last w`).
fn cid_widths(pdf: &Pdf, w: &[Object]) -> BTreeMap<u32, f32> {
    let deref = |o: &'_ Object| -> Option<Object> {
        match o {
            Object::Reference(r) => pdf.get_object(*r).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let width = |o: &Object| deref(o).and_then(|o| o.as_float().ok());
    let cid = |o: &Object| {
        deref(o)
            .and_then(|o| o.as_i64().ok())
            .and_then(|i| u32::try_from(i).ok())
    };
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i + 1 < w.len() {
        let Some(first) = cid(&w[i]) else { break };
        if let Ok(list) = w[i + 1].as_array() {
            for (next, value) in (first..).zip(list) {
                if let Some(value) = width(value) {
                    out.insert(next, value);
                }
            }
            i += 2;
        } else {
            let (Some(last), Some(value)) = (cid(&w[i + 1]), w.get(i + 2).and_then(width)) else {
                break;
            };
            for next in first..=last.min(first.saturating_add(0xFFFF)) {
                out.insert(next, value);
            }
            i += 3;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmaps_map_codes_to_cids() {
        let cmap = b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
            2 begincidchar\n<0001> 21167\n<0002> 19066\nendcidchar\n\
            1 begincidrange\n<0010> <0012> 17\nendcidrange\n";
        let map = cid_map(cmap).unwrap();
        assert_eq!(map.get(&1), Some(&21167));
        assert_eq!(map.get(&2), Some(&19066));
        assert_eq!(map.get(&0x12), Some(&19));
        assert_eq!(map.len(), 5);
        // One-byte code spaces are left to the library.
        assert!(cid_map(b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n").is_none());
    }

    #[test]
    fn not_a_pdf_is_refused_in_either_language() {
        let Err(error) = extract(b"hello") else {
            panic!("read as a PDF")
        };
        assert_eq!(error, PdfError::NotPdf);
        assert!(error.zh().contains("没有%PDF文件头"), "{}", error.zh());
        assert!(error.to_string().contains("no %PDF header"), "{error}");
        assert!(PdfError::ReaderFailed.zh().contains("PDF解析库无法处理"));
    }
}
