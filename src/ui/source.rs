//! The report's own text, wrapped, with the selected cell's source highlighted and scrolled into
//! view; clicking a number selects the cell read from it. The laid-out text is kept between
//! frames and rebuilt only when the text, the highlight or the width changes.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Role, Sense, Ui, WidgetInfo};

use super::theme;
use crate::app::Command;
use crate::app::i18n::texts;
use crate::app::review::Review;
use crate::lang::Lang;
use crate::model::PageBox;
use crate::template::CellId;

/// A page's texture and its size in page pixels.
type PageTexture = (egui::TextureHandle, egui::Vec2);

/// What the laid-out text was made from: the text alone, so that moving the selection or
/// settling a cell never lays out the whole report again.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    path: std::path::PathBuf,
    width: u32,
}

/// What the highlights were computed from.
#[derive(Debug, Clone, PartialEq)]
struct Marks {
    selected: Option<Range<usize>>,
    to_look_at: Vec<Range<usize>>,
}

/// The laid-out text of the last frame, its highlights, and the decoded page image of a scan.
#[derive(Default)]
pub struct Cache {
    key: Option<Key>,
    galley: Option<Arc<Galley>>,
    /// The character index at which each row of the galley starts.
    row_starts: Vec<usize>,
    marks: Option<Marks>,
    /// The rectangles (relative to the galley) painted behind the highlighted text.
    shading: Vec<(egui::Rect, Color32)>,
    /// The scan shown: its pages' textures (shrunk to the largest texture the GPU takes) and
    /// their sizes in page pixels, which the cells' boxes are in.
    page: Option<(std::path::PathBuf, Vec<Option<PageTexture>>)>,
}

/// The character index of a byte offset in `text`.
fn char_index(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// The byte offset of a character index in `text`.
fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// The report's text laid out once, without highlights.
fn layout(ctx: &egui::Context, review: &Review, key: &Key) -> LayoutJob {
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping {
            max_width: f32::from(u16::try_from(key.width).unwrap_or(u16::MAX)),
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    job.append(
        &super::printable(ctx, &review.text),
        0.0,
        TextFormat {
            font_id: FontId::proportional(14.0),
            color: theme::SOURCE_TEXT,
            ..TextFormat::default()
        },
    );
    job
}

/// The character index at which each row of `galley` starts.
fn row_starts(galley: &Galley) -> Vec<usize> {
    let mut at = 0;
    galley
        .rows
        .iter()
        .map(|row| {
            let start = at;
            at += row.char_count_including_newline().0;
            start
        })
        .collect()
}

/// The rectangles behind the highlighted ranges: the ones to look at, then the selected one
/// (painted last, so it wins). A range that wraps gets one rectangle per row.
fn shading(
    text: &str,
    galley: &Galley,
    row_starts: &[usize],
    marks: &Marks,
) -> Vec<(egui::Rect, Color32)> {
    let ranges: Vec<(Range<usize>, Color32)> = marks
        .to_look_at
        .iter()
        .map(|r| (r.clone(), theme::SOURCE_LOW))
        .chain(
            marks
                .selected
                .iter()
                .map(|r| (r.clone(), theme::SOURCE_HIGHLIGHT)),
        )
        .collect();
    // Every byte offset turned into a character index in one walk over the text.
    let mut bytes: Vec<usize> = ranges.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
    bytes.sort_unstable();
    bytes.dedup();
    let mut chars = std::collections::HashMap::with_capacity(bytes.len());
    let mut walked = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .enumerate();
    for &b in &bytes {
        for (n, at) in walked.by_ref() {
            if at >= b {
                chars.insert(b, n);
                break;
            }
        }
    }
    let total = text.chars().count();
    let mut out = Vec::new();
    for (range, color) in ranges {
        let start = chars.get(&range.start).copied().unwrap_or(total);
        let end = chars.get(&range.end).copied().unwrap_or(total);
        if start >= end {
            continue;
        }
        let first = row_starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        for (row, &row_start) in galley.rows.iter().zip(row_starts).skip(first) {
            if row_start >= end {
                break;
            }
            let glyphs = row.char_count_excluding_newline().0;
            let from = start.saturating_sub(row_start).min(glyphs);
            let to = (end - row_start).min(glyphs);
            if from >= to {
                continue;
            }
            let rect = row.rect();
            let left = row.pos.x + row.x_offset(egui::text::CharIndex(from));
            let right = row.pos.x + row.x_offset(egui::text::CharIndex(to));
            out.push((
                egui::Rect::from_min_max(
                    egui::pos2(left, rect.min.y),
                    egui::pos2(right, rect.max.y),
                ),
                color,
            ));
        }
    }
    out
}

/// A scan's pages as textures, made once per report. The pages were read and decoded with the
/// report, off the window's thread: here they only become textures, shrunk to the largest
/// texture the GPU takes.
fn textures(ctx: &egui::Context, review: &Review) -> Vec<Option<PageTexture>> {
    let max_side = ctx.input(|i| i.max_texture_side).max(1);
    let limit = u32::try_from(max_side).unwrap_or(u32::MAX);
    review
        .pages
        .iter()
        .enumerate()
        .map(|(n, img)| {
            let img = img.as_ref()?;
            #[expect(clippy::cast_precision_loss, reason = "page sizes are far below 2^24")]
            let page_size = egui::vec2(img.width() as f32, img.height() as f32);
            let resized;
            let img = if img.width().max(img.height()) > limit {
                resized = img.resize(limit, limit, image::imageops::FilterType::Triangle);
                &resized
            } else {
                img
            };
            let rgba = img.to_rgba8();
            let size = [rgba.width() as usize, rgba.height() as usize];
            let color = egui::ColorImage::from_rgba_unmultiplied(size, rgba.as_raw());
            Some((
                ctx.load_texture(
                    format!("scanned page {n}"),
                    color,
                    egui::TextureOptions::LINEAR,
                ),
                page_size,
            ))
        })
        .collect()
}

/// Draws a scan's pages with the boxes of the cells read from them: the selected cell's
/// outlined, the ones still to look at shaded. A click on a box selects its cell.
fn show_pages(
    ui: &mut Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    cache: &mut Cache,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    if cache.page.as_ref().is_none_or(|(p, _)| p != &review.path) {
        cache.page = Some((review.path.clone(), textures(ui.ctx(), review)));
    }
    let Some((_, pages)) = &cache.page else {
        return;
    };
    if pages.is_empty() {
        ui.label("—");
        return;
    }
    let widest = pages
        .iter()
        .flatten()
        .map(|(_, size)| size.x)
        .fold(1.0_f32, f32::max);
    let scale = (ui.available_width() / widest).min(1.0);
    egui::ScrollArea::both()
        .id_salt(("page", &review.path))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut page_rects = Vec::with_capacity(pages.len());
            for page in pages {
                let Some((texture, size)) = page else {
                    // Its place is kept, so the boxes of the pages after it stay on their pages.
                    let response = ui.label(
                        egui::RichText::new(texts(lang).page_undecodable).color(theme::ERROR_TEXT),
                    );
                    page_rects.push(response.rect);
                    continue;
                };
                let (rect, _) = ui.allocate_exact_size(*size * scale, Sense::hover());
                let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
                ui.painter().image(texture.id(), rect, uv, Color32::WHITE);
                page_rects.push(rect);
                ui.add_space(8.0);
            }
            #[expect(
                clippy::cast_precision_loss,
                reason = "page coordinates are far below 2^24"
            )]
            let on_screen = |b: PageBox| {
                let page = page_rects.get((b.page as usize).checked_sub(1)?)?;
                Some(egui::Rect::from_min_size(
                    page.min + egui::vec2(b.left as f32, b.top as f32) * scale,
                    egui::vec2(b.width as f32, b.height as f32) * scale,
                ))
            };
            for (&id, cell) in &review.report.cells {
                let Some(area) = cell.image_box.and_then(on_screen).map(|a| a.expand(2.0)) else {
                    continue;
                };
                if Some(id) == selected {
                    ui.painter().rect_stroke(
                        area,
                        2.0,
                        egui::Stroke::new(3.0, theme::FOCUSED),
                        egui::StrokeKind::Outside,
                    );
                    if scroll {
                        ui.scroll_to_rect(area.expand(60.0), Some(egui::Align::Center));
                    }
                } else if review.needs_look(id) {
                    ui.painter()
                        .rect_filled(area, 2.0, theme::LOW_CONFIDENCE.gamma_multiply(0.35));
                }
            }
            let whole = page_rects
                .iter()
                .fold(egui::Rect::NOTHING, |a, r| a.union(*r));
            let response = ui.interact(whole, ui.scope_id().with("pages"), Sense::click());
            response.widget_info(|| WidgetInfo::labeled(Role::Image, true, "扫描页 scanned page"));
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
                && let Some((&id, _)) = review.report.cells.iter().find(|(_, c)| {
                    c.image_box
                        .and_then(on_screen)
                        .is_some_and(|a| a.expand(2.0).contains(pos))
                })
            {
                out.push(Command::SelectCell(id));
            }
        });
}

/// Draws the source text; a click on it becomes [`Command::SelectAtSource`]. A scan shows its
/// page image instead.
pub fn show(
    ui: &mut Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    cache: &mut Cache,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    if review.report.cells.values().any(|c| c.image_box.is_some()) {
        show_pages(ui, review, selected, scroll, cache, lang, out);
        return;
    }
    let selected_span = selected
        .and_then(|c| review.report.cells.get(&c))
        .and_then(|c| c.span.clone());
    let to_look_at: Vec<Range<usize>> = review
        .report
        .cells
        .iter()
        .filter(|(id, _)| review.needs_look(**id))
        .filter_map(|(_, c)| c.span.clone())
        .collect();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a window is far narrower than u32::MAX"
    )]
    let width = ui.available_width().max(100.0) as u32;
    let key = Key {
        path: review.path.clone(),
        width,
    };
    if cache.key.as_ref() != Some(&key) || cache.galley.is_none() {
        let job = layout(ui.ctx(), review, &key);
        let galley = ui.painter().layout_job(job);
        cache.row_starts = row_starts(&galley);
        cache.galley = Some(galley);
        cache.key = Some(key);
        cache.marks = None;
    }
    let marks = Marks {
        selected: selected_span.clone(),
        to_look_at,
    };
    if cache.marks.as_ref() != Some(&marks)
        && let Some(galley) = &cache.galley
    {
        cache.shading = shading(&review.text, galley, &cache.row_starts, &marks);
        cache.marks = Some(marks);
    }
    let Some(galley) = cache.galley.clone() else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt(("source", &review.path))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
            response.widget_info(|| WidgetInfo::labeled(Role::Label, true, "原文 source text"));
            for (area, color) in &cache.shading {
                ui.painter()
                    .rect_filled(area.translate(rect.min.to_vec2()), 0.0, *color);
            }
            ui.painter()
                .galley(rect.min, galley.clone(), Color32::BLACK);
            if let (true, Some(span)) = (scroll, &selected_span) {
                let at = galley.pos_from_cursor(CCursor::new(char_index(&review.text, span.start)));
                ui.scroll_to_rect(
                    at.translate(rect.min.to_vec2()).expand(40.0),
                    Some(egui::Align::Center),
                );
            }
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                let cursor = galley.cursor_from_pos(pos - rect.min);
                out.push(Command::SelectAtSource(byte_offset(
                    &review.text,
                    cursor.index.0,
                )));
            }
        });
}
