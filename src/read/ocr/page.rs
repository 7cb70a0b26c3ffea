//! A scanned page's geometry, found in its pixels: how far it is turned (and the page turned
//! back), its table rules, the rectangles of its table cells, and the lines of text in a cell.
//! Everything here is in the pixels of the straightened page.

use image::GrayImage;

use crate::read::layout::Line;

/// Darker than this (0–255) is the ink of a rule. (Lighter, and the noise of a scan starts to
/// make rules; a thin rule that a scanner blurred to a lighter grey is then lost.)
const INK: u8 = 150;
/// Darker than this is the ink of a character: the thin strokes of a faint or blurred print are
/// far lighter than a rule.
const TEXT_INK: u8 = 200;
/// The widest turn looked for, in degrees: a page fed or laid crooked by hand.
const MAX_SKEW: f32 = 4.0;
/// The step of the search for the turn, in degrees.
const SKEW_STEP: f32 = 0.05;
/// A rule is a run of ink at least this share of the page's shorter side (longer than any
/// stroke of a character).
const RULE_SHARE: u32 = 25;
/// Breaks in a rule up to this many pixels (noise, a faint print) are bridged.
const RULE_GAP: u32 = 3;

/// A rectangle on the straightened page, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

impl Rect {
    /// Its width.
    #[must_use]
    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    /// Its height.
    #[must_use]
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }
}

/// How far the page is turned, in degrees (positive: clockwise), from the angle at which its
/// ink falls into the sharpest rows: lines of text and rules are horizontal on the page.
#[must_use]
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
pub fn skew(page: &GrayImage) -> f32 {
    // A quarter of the page is plenty to see the rows, and sixteen times less work.
    let step = (page.width().max(page.height()) / 1000).max(1);
    let ink: Vec<(f32, f32)> = (0..page.height())
        .step_by(step as usize)
        .flat_map(|y| {
            (0..page.width())
                .step_by(step as usize)
                .filter(move |&x| page.get_pixel(x, y)[0] < INK)
                .map(move |x| ((x / step) as f32, (y / step) as f32))
        })
        .collect();
    if ink.is_empty() {
        return 0.0;
    }
    let rows = (page.width().max(page.height()) / step) as usize * 2 + 2;
    let mut counts = vec![0u32; rows];
    let offset = rows as f32 / 2.0;
    let mut best = (0.0, f64::MIN);
    let steps = (MAX_SKEW / SKEW_STEP).round() as i32;
    for s in -steps..=steps {
        let degrees = s as f32 * SKEW_STEP;
        let (sin, cos) = degrees.to_radians().sin_cos();
        counts.fill(0);
        for &(x, y) in &ink {
            // The row this pixel falls in once the page is turned back by `degrees`.
            let row = (y * cos - x * sin + offset * 0.5) as usize;
            if let Some(c) = counts.get_mut(row) {
                *c += 1;
            }
        }
        let sharpness: f64 = counts.iter().map(|&c| f64::from(c) * f64::from(c)).sum();
        if sharpness > best.1 {
            best = (degrees, sharpness);
        }
    }
    best.0
}

/// The page turned back by `degrees` (as [`skew`] measured it), white where nothing was.
#[must_use]
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
pub fn straighten(page: &GrayImage, degrees: f32) -> GrayImage {
    if degrees.abs() < SKEW_STEP / 2.0 {
        return page.clone();
    }
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (width, height) = page.dimensions();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    GrayImage::from_fn(width, height, |x, y| {
        // Where this pixel of the straight page was on the turned one.
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = dx * cos - dy * sin + cx;
        let sy = dx * sin + dy * cos + cy;
        if sx < 0.0 || sy < 0.0 || sx >= (width - 1) as f32 || sy >= (height - 1) as f32 {
            return image::Luma([255]);
        }
        let (x0, y0) = (sx as u32, sy as u32);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let at = |x, y| f32::from(page.get_pixel(x, y)[0]);
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        image::Luma([(top * (1.0 - fy) + bottom * fy).round() as u8])
    })
}

/// A run of ink along one pixel row or column.
#[derive(Debug, Clone, Copy)]
struct Run {
    line: u32,
    from: u32,
    to: u32,
}

/// The runs of ink at least `min` long along each row (or column) of the page, bridging
/// breaks of up to [`RULE_GAP`] pixels.
fn runs(page: &GrayImage, horizontal: bool, min: u32) -> Vec<Run> {
    let (width, height) = page.dimensions();
    let (lines, length) = if horizontal {
        (height, width)
    } else {
        (width, height)
    };
    let mut out = Vec::new();
    for line in 0..lines {
        let dark = |i: u32| {
            let (x, y) = if horizontal { (i, line) } else { (line, i) };
            page.get_pixel(x, y)[0] < INK
        };
        let mut start = None;
        let mut last = 0;
        for i in 0..length {
            if !dark(i) {
                continue;
            }
            match start {
                Some(_) if i - last <= RULE_GAP + 1 => {}
                Some(s) => {
                    if last + 1 - s >= min {
                        out.push(Run {
                            line,
                            from: s,
                            to: last + 1,
                        });
                    }
                    start = Some(i);
                }
                None => start = Some(i),
            }
            last = i;
        }
        if let Some(s) = start
            && last + 1 - s >= min
        {
            out.push(Run {
                line,
                from: s,
                to: last + 1,
            });
        }
    }
    out
}

/// Runs on neighbouring rows (a rule several pixels thick) as one rule through their middle.
#[expect(
    clippy::cast_precision_loss,
    reason = "pixel positions of a page image are small"
)]
fn merge(mut runs: Vec<Run>, horizontal: bool) -> Vec<(Line, f32)> {
    runs.sort_by_key(|r| (r.line, r.from));
    // (first line, last line, from, to, sum of lines, count)
    let mut open: Vec<(u32, u32, u32, u32, u64, u64)> = Vec::new();
    let mut done = Vec::new();
    for run in runs {
        let joined = open
            .iter_mut()
            .find(|g| run.line <= g.1 + 1 && run.from < g.3 && g.2 < run.to);
        match joined {
            Some(g) => {
                g.1 = run.line;
                g.2 = g.2.min(run.from);
                g.3 = g.3.max(run.to);
                g.4 += u64::from(run.line);
                g.5 += 1;
            }
            None => open.push((run.line, run.line, run.from, run.to, u64::from(run.line), 1)),
        }
        // Groups that can take no more runs are finished.
        let (keep, finished): (Vec<_>, Vec<_>) =
            open.into_iter().partition(|g| g.1 + 1 >= run.line);
        open = keep;
        done.extend(finished);
    }
    done.extend(open);
    done.into_iter()
        .filter_map(|(first, last, from, to, sum, n)| {
            let at = sum as f32 / n as f32 + 0.5;
            let thickness = (last - first + 1) as f32;
            let (from, to) = (from as f32, to as f32);
            let line = if horizontal {
                Line::between(from, at, to, at)
            } else {
                Line::between(at, from, at, to)
            };
            line.map(|l| (l, thickness))
        })
        .collect()
}

/// The table rules drawn on a straightened page, each with its thickness in pixels.
#[must_use]
pub fn rules(page: &GrayImage) -> Vec<(Line, f32)> {
    let (width, height) = page.dimensions();
    let min = (width.min(height) / RULE_SHARE).max(40);
    let mut out = merge(runs(page, true, min), true);
    out.extend(merge(runs(page, false, min), false));
    out
}

/// The lines of text inside `area` of the page (a table cell, less its rules), top to bottom,
/// each as the rectangles around its pieces of ink (a piece ends at a gap wider than the line is
/// tall), with the margin the recognizer expects.
#[must_use]
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions of a page image, small and non-negative"
)]
pub fn text_lines(page: &GrayImage, area: Rect) -> Vec<Rect> {
    let left = area.left.max(0.0) as u32;
    let top = area.top.max(0.0) as u32;
    let right = (area.right.max(0.0) as u32).min(page.width());
    let bottom = (area.bottom.max(0.0) as u32).min(page.height());
    if right <= left + 2 || bottom <= top + 2 {
        return Vec::new();
    }
    // A page's resolution, from its width (A4 is 210 mm wide): the sizes of print in pixels.
    let dpi = page.width().min(page.height()) as f32 / 8.27;
    let min_height = (dpi * 0.025).max(4.0) as u32;
    // Blank rows inside a line (the thin middle of a `7` in a faint print) do not end it.
    let bridge = (dpi * 0.015).max(2.0) as usize;
    let dark = |x: u32, y: u32| page.get_pixel(x, y)[0] < TEXT_INK;
    let inked: Vec<bool> = (top..bottom)
        .map(|y| (left..right).any(|x| dark(x, y)))
        .collect();
    let mut bands = Vec::new();
    let mut y = 0;
    while y < inked.len() {
        if !inked[y] {
            y += 1;
            continue;
        }
        let start = y;
        while y < inked.len()
            && inked[y..(y + bridge + 1).min(inked.len())]
                .iter()
                .any(|&i| i)
        {
            y += 1;
        }
        let end = y;
        if (end - start) as u32 >= min_height {
            bands.push((top + start as u32, top + end as u32));
        }
    }
    let mut out = Vec::new();
    for (y0, y1) in bands {
        let height = y1 - y0;
        // Pieces of the line apart by a gap wider than its height are read apart: two numbers
        // in a cell whose rule between them was lost stay two numbers, never one.
        let inked: Vec<u32> = (left..right)
            .filter(|&x| (y0..y1).any(|y| dark(x, y)))
            .collect();
        let mut pieces: Vec<(u32, u32)> = Vec::new();
        for x in inked {
            match pieces.last_mut() {
                Some((_, end)) if x - *end <= height => *end = x + 1,
                _ => pieces.push((x, x + 1)),
            }
        }
        let margin = height as f32 * 0.25;
        out.extend(pieces.into_iter().map(|(x0, x1)| Rect {
            left: (x0 as f32 - margin).max(area.left),
            top: (y0 as f32 - margin).max(area.top),
            right: (x1 as f32 + margin).min(area.right),
            bottom: (y1 as f32 + margin).min(area.bottom),
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with black bars drawn on it.
    fn page_with(bars: &[(u32, u32, u32, u32)]) -> GrayImage {
        let mut page = GrayImage::from_pixel(800, 1100, image::Luma([255]));
        for &(x0, y0, x1, y1) in bars {
            for y in y0..y1 {
                for x in x0..x1 {
                    page.put_pixel(x, y, image::Luma([0]));
                }
            }
        }
        page
    }

    #[test]
    fn a_turned_page_is_measured_and_turned_back() {
        let page = page_with(&[
            (100, 200, 700, 204),
            (100, 400, 700, 403),
            (100, 600, 700, 602),
        ]);
        assert!(skew(&page).abs() < 0.01);
        for degrees in [1.2_f32, -0.7] {
            let turned = straighten(&page, -degrees);
            let found = skew(&turned);
            assert!(
                (found - degrees).abs() <= 0.11,
                "turned {degrees}, found {found}"
            );
            let back = straighten(&turned, found);
            let rules = rules(&back);
            let across = rules.iter().filter(|(l, _)| l.horizontal).count();
            assert_eq!(across, 3, "{rules:?}");
        }
    }

    #[test]
    fn a_thick_broken_rule_is_one_rule() {
        // Four pixels thick, with a gap of two pixels (a faint print).
        let page = page_with(&[
            (100, 300, 400, 304),
            (402, 300, 700, 304),
            (300, 100, 303, 900),
        ]);
        let found = rules(&page);
        let across: Vec<_> = found.iter().filter(|(l, _)| l.horizontal).collect();
        assert_eq!(across.len(), 1, "{found:?}");
        assert!((across[0].0.at - 302.5).abs() < 1.0);
        assert!((across[0].1 - 4.0).abs() < f32::EPSILON);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn a_cell_with_two_lines_gives_two_lines_and_far_apart_pieces_apart() {
        // Two lines, a speck of noise, and on a third line two numbers 40 px apart (the line is
        // 30 px tall): three pieces of text besides the two lines.
        let page = page_with(&[
            (120, 130, 180, 160),
            (120, 180, 200, 210),
            (150, 250, 151, 251),
            (110, 260, 140, 290),
            (180, 260, 200, 290),
        ]);
        let area = Rect {
            left: 100.0,
            top: 100.0,
            right: 300.0,
            bottom: 300.0,
        };
        let lines = text_lines(&page, area);
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].bottom <= lines[1].top + 10.0);
        assert!(lines[1].right > lines[0].right);
        assert!(lines[2].right < lines[3].left, "{lines:?}");
    }
}
