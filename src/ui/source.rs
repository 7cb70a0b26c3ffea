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
    /// How the scan is scaled: screen points per page pixel, or fitted to the pane.
    zoom: Zoom,
    /// Whether a PDF with a text layer shows its pages or its text: the reviewer's choice,
    /// kept from report to report.
    view: View,
    /// Where the scan was last drawn: the visible part of the pane, and the selected cell's
    /// box on screen.
    shown: Option<(egui::Rect, Option<egui::Rect>)>,
}

/// How a scan is scaled in its pane.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Zoom {
    /// The widest page fills the pane's width.
    #[default]
    FitWidth,
    /// A whole page fits in the pane.
    FitPage,
    /// Screen points per page pixel, as the reviewer zoomed it.
    Scale(f32),
}

/// The smallest and largest scale of a scan (screen points per page pixel).
const SCALES: (f32, f32) = (0.05, 4.0);
/// One step of Ctrl+plus or Ctrl+minus.
const ZOOM_STEP: f32 = 1.25;
/// On selecting a cell, a page is magnified until the cell's box is at least this tall on
/// screen, so its digits can be read.
const READABLE_CELL: f32 = 36.0;

impl Cache {
    /// How the scan is scaled now.
    #[must_use]
    pub fn zoom(&self) -> Zoom {
        self.zoom
    }

    /// Where the scan was last drawn: the visible part of its pane, and the selected cell's box
    /// on screen (whether or not in view).
    #[must_use]
    pub fn shown(&self) -> Option<(egui::Rect, Option<egui::Rect>)> {
        self.shown
    }

    /// The selected cell's piece of its page, for the cell panel: the texture, the part of it
    /// (0–1) around the cell's box, and that part's size in page pixels.
    #[must_use]
    pub fn cell_crop(
        &self,
        review: &Review,
        cell: CellId,
    ) -> Option<(egui::TextureId, egui::Rect, egui::Vec2)> {
        let (path, pages) = self.page.as_ref()?;
        if path != &review.path {
            return None;
        }
        let b = review.page_box(cell)?;
        let (texture, size) = pages.get((b.page as usize).checked_sub(1)?)?.as_ref()?;
        #[expect(
            clippy::cast_precision_loss,
            reason = "page coordinates are far below 2^24"
        )]
        let area = egui::Rect::from_min_size(
            egui::pos2(b.left as f32, b.top as f32),
            egui::vec2(b.width as f32, b.height as f32),
        )
        .expand2(egui::vec2(b.height as f32 * 0.6, b.height as f32 * 0.25))
        .intersect(egui::Rect::from_min_size(egui::Pos2::ZERO, *size));
        let uv = egui::Rect::from_min_max(
            (area.min.to_vec2() / *size).to_pos2(),
            (area.max.to_vec2() / *size).to_pos2(),
        );
        Some((texture.id(), uv, area.size()))
    }
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

/// The zoom bar over a scan (fit width, whole page, −, +, the scale), and the zoom from
/// Ctrl+wheel and Ctrl+plus/minus; a newly selected cell magnifies the page until it can be
/// read. Returns the scale to draw at (screen points per page pixel).
fn zoom(
    ui: &mut Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    cache: &mut Cache,
    lang: Lang,
    largest: (f32, f32),
) -> f32 {
    let (widest, tallest) = largest;
    let t = texts(lang);
    ui.horizontal(|ui| {
        if ui
            .selectable_label(cache.zoom == Zoom::FitWidth, t.fit_width)
            .clicked()
        {
            cache.zoom = Zoom::FitWidth;
        }
        if ui
            .selectable_label(cache.zoom == Zoom::FitPage, t.fit_page)
            .clicked()
        {
            cache.zoom = Zoom::FitPage;
        }
        let scale = scale_of(
            cache.zoom,
            ui.available_width(),
            ui.available_height(),
            widest,
            tallest,
        );
        if ui.button("−").on_hover_text(t.zoom_hint).clicked() {
            cache.zoom = Zoom::Scale((scale / ZOOM_STEP).clamp(SCALES.0, SCALES.1));
        }
        if ui.button("+").on_hover_text(t.zoom_hint).clicked() {
            cache.zoom = Zoom::Scale((scale * ZOOM_STEP).clamp(SCALES.0, SCALES.1));
        }
        ui.label(format!("{:.0}%", scale * 100.0))
            .on_hover_text(t.zoom_hint);
    });
    let (width, height) = (ui.available_width(), ui.available_height());
    let mut scale = scale_of(cache.zoom, width, height, widest, tallest);
    // Ctrl+wheel (or a pinch) and Ctrl+plus / Ctrl+minus zoom while the pointer is on the pages.
    let pointer_on_pages = ui.rect_contains_pointer(ui.available_rect_before_wrap());
    let zoom_keys = ui.input_mut(|i| {
        let mut factor = 1.0;
        if pointer_on_pages {
            factor *= i.zoom_delta();
        }
        for key in [egui::Key::Plus, egui::Key::Equals] {
            if i.consume_key(egui::Modifiers::COMMAND, key) {
                factor *= ZOOM_STEP;
            }
        }
        if i.consume_key(egui::Modifiers::COMMAND, egui::Key::Minus) {
            factor /= ZOOM_STEP;
        }
        factor
    });
    if (zoom_keys - 1.0).abs() > f32::EPSILON {
        scale = (scale * zoom_keys).clamp(SCALES.0, SCALES.1);
        cache.zoom = Zoom::Scale(scale);
    }
    // A newly selected cell is shown magnified enough to read.
    if scroll && let Some(b) = selected.and_then(|c| review.page_box(c)) {
        #[expect(
            clippy::cast_precision_loss,
            reason = "page coordinates are far below 2^24"
        )]
        let needed = READABLE_CELL / (b.height.max(1) as f32);
        if scale < needed {
            scale = needed.clamp(SCALES.0, SCALES.1);
            cache.zoom = Zoom::Scale(scale);
        }
    }
    scale
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
    if cache
        .page
        .as_ref()
        .is_none_or(|(p, t)| p != &review.path || t.len() != review.pages.len())
    {
        cache.page = Some((review.path.clone(), textures(ui.ctx(), review)));
    }
    let Some((_, pages)) = &cache.page else {
        return;
    };
    let pages = pages.clone();
    if pages.is_empty() {
        ui.label("—");
        return;
    }
    let widest = pages
        .iter()
        .flatten()
        .map(|(_, size)| size.x)
        .fold(1.0_f32, f32::max);
    let tallest = pages
        .iter()
        .flatten()
        .map(|(_, size)| size.y)
        .fold(1.0_f32, f32::max);
    let scale = zoom(ui, review, selected, scroll, cache, lang, (widest, tallest));
    let mut shown = None;
    egui::ScrollArea::both()
        .id_salt(("page", &review.path))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut page_rects = Vec::with_capacity(pages.len());
            for page in &pages {
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
            let selected_area = draw_boxes(ui, review, selected, scroll, &page_rects, &on_screen);
            shown = Some((ui.clip_rect(), selected_area));
            let whole = page_rects
                .iter()
                .fold(egui::Rect::NOTHING, |a, r| a.union(*r));
            let response = ui.interact(whole, ui.scope_id().with("pages"), Sense::click());
            response.widget_info(|| WidgetInfo::labeled(Role::Image, true, "页面 page"));
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
                && let Some(&id) = review.report.cells.keys().find(|&&id| {
                    review
                        .page_box(id)
                        .and_then(on_screen)
                        .is_some_and(|a| a.expand(2.0).contains(pos))
                })
            {
                out.push(Command::SelectCell(id));
            }
        });
    cache.shown = shown;
}

/// Draws the cells' boxes on the pages: the selected cell's outlined (and brought into view
/// with its row when the selection moved), the ones still to look at shaded. Returns the
/// selected cell's box on screen.
fn draw_boxes(
    ui: &Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    page_rects: &[egui::Rect],
    on_screen: &dyn Fn(PageBox) -> Option<egui::Rect>,
) -> Option<egui::Rect> {
    let mut selected_area = None;
    for &id in review.report.cells.keys() {
        let Some(b) = review.page_box(id) else {
            continue;
        };
        let Some(area) = on_screen(b).map(|a| a.expand(2.0)) else {
            continue;
        };
        if Some(id) == selected {
            selected_area = Some(area);
            ui.painter().rect_stroke(
                area,
                2.0,
                egui::Stroke::new(3.0, theme::FOCUSED),
                egui::StrokeKind::Outside,
            );
            if scroll {
                let page_left = (b.page as usize)
                    .checked_sub(1)
                    .and_then(|p| page_rects.get(p))
                    .map_or(area.min.x, |r| r.min.x);
                let target = row_in_view(area, page_left, ui.clip_rect().width());
                ui.scroll_to_rect(target, Some(egui::Align::Center));
            }
        } else if review.needs_look(id) {
            ui.painter()
                .rect_filled(area, 2.0, theme::LOW_CONFIDENCE.gamma_multiply(0.35));
        }
    }
    selected_area
}

/// What to bring into view for a selected cell: the cell at the right of the view and as much
/// of its row to its left (back to the page's left edge) as a view `width` wide holds, so its
/// label shows too when the pane is wide enough.
fn row_in_view(cell: egui::Rect, page_left: f32, width: f32) -> egui::Rect {
    let right = cell.max.x + 40.0;
    let left = (right - width).max(page_left).min(cell.min.x);
    egui::Rect::from_min_max(
        egui::pos2(left, cell.min.y - 40.0),
        egui::pos2(right, cell.max.y + 40.0),
    )
}

/// Screen points per page pixel for a way of scaling, in a pane of this size.
fn scale_of(zoom: Zoom, width: f32, height: f32, widest: f32, tallest: f32) -> f32 {
    let fit_width = (width - 16.0).max(50.0) / widest;
    match zoom {
        Zoom::FitWidth => fit_width,
        Zoom::FitPage => fit_width.min((height - 8.0).max(50.0) / tallest),
        Zoom::Scale(scale) => scale,
    }
}

/// How far the drawing of a PDF's pages has got, for the switch between its pages and its text.
#[derive(Debug, Clone, Copy)]
pub enum Drawing<'a> {
    /// The pages are being drawn.
    UnderWay,
    /// They could not be drawn, for this reason.
    Refused(&'a crate::read::ocr::OcrError),
    /// They are drawn, or there is nothing to draw.
    Settled,
}

/// What the source pane of a PDF with a text layer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Its pages as printed, with the cells' boxes.
    #[default]
    Pages,
    /// The text read from them, with the cells' text highlighted.
    Text,
}

/// The switch between a PDF's pages and its text, with why the pages are not there yet.
fn view_switch(ui: &mut Ui, review: &Review, drawing: Drawing, cache: &mut Cache, lang: Lang) {
    let t = texts(lang);
    ui.horizontal(|ui| {
        let drawn = !review.pages.is_empty();
        if ui
            .add_enabled(
                drawn,
                egui::Button::selectable(cache.view == View::Pages, t.view_pages),
            )
            .clicked()
        {
            cache.view = View::Pages;
        }
        if ui
            .selectable_label(cache.view == View::Text || !drawn, t.view_text)
            .clicked()
        {
            cache.view = View::Text;
        }
        match drawing {
            Drawing::UnderWay => {
                ui.spinner();
                ui.label(t.pages_drawing);
            }
            Drawing::Refused(e) => {
                let why = match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                };
                ui.label(egui::RichText::new(t.pages_refused).color(theme::ERROR_TEXT))
                    .on_hover_text(why);
            }
            Drawing::Settled => {}
        }
    });
}

/// Draws the source: a scan's pages, a PDF's pages or its text (the reviewer switches), or the
/// text of any other report. A click on a cell's place selects it
/// ([`Command::SelectCell`], [`Command::SelectAtSource`]).
#[expect(
    clippy::too_many_arguments,
    reason = "one pane's inputs: the report, the selection, the cache, how far its pages are"
)]
pub fn show(
    ui: &mut Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    cache: &mut Cache,
    drawing: Drawing,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    if review.report.cells.values().any(|c| c.image_box.is_some()) {
        show_pages(ui, review, selected, scroll, cache, lang, out);
        return;
    }
    if review.report.source.format == crate::model::Format::Pdf {
        view_switch(ui, review, drawing, cache, lang);
        if cache.view == View::Pages && !review.pages.is_empty() {
            show_pages(ui, review, selected, scroll, cache, lang, out);
            return;
        }
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
