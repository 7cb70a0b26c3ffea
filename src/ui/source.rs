//! The report's own text, wrapped, with the selected cell's source highlighted and scrolled into
//! view; clicking a number selects the cell read from it. The laid-out text is kept between
//! frames and rebuilt only when the text, the highlight or the width changes.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Role, Sense, Ui, WidgetInfo};

use super::theme;
use crate::app::Command;
use crate::app::review::Review;
use crate::template::CellId;

/// What the laid-out text was made from.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    path: std::path::PathBuf,
    selected: Option<Range<usize>>,
    to_look_at: Vec<Range<usize>>,
    width: u32,
}

/// The laid-out text of the last frame.
#[derive(Default)]
pub struct Cache {
    key: Option<Key>,
    galley: Option<Arc<Galley>>,
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

fn layout(ctx: &egui::Context, review: &Review, key: &Key) -> LayoutJob {
    let text = &review.text;
    let font = FontId::proportional(14.0);
    let plain = TextFormat {
        font_id: font.clone(),
        color: Color32::from_gray(20),
        ..TextFormat::default()
    };
    // Cut points: every highlighted range, selected last so it wins.
    let mut marks: Vec<(Range<usize>, Color32)> = key
        .to_look_at
        .iter()
        .map(|r| (r.clone(), theme::SOURCE_LOW))
        .collect();
    if let Some(r) = &key.selected {
        marks.push((r.clone(), theme::SOURCE_HIGHLIGHT));
    }
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping {
            max_width: f32::from(u16::try_from(key.width).unwrap_or(u16::MAX)),
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    let mut bounds: Vec<usize> = vec![0, text.len()];
    for (r, _) in &marks {
        bounds.push(r.start.min(text.len()));
        bounds.push(r.end.min(text.len()));
    }
    bounds.sort_unstable();
    bounds.dedup();
    for pair in bounds.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        let background = marks
            .iter()
            .rev()
            .find(|(r, _)| r.start <= start && end <= r.end)
            .map(|(_, c)| *c);
        let format = match background {
            Some(c) => TextFormat {
                background: c,
                ..plain.clone()
            },
            None => plain.clone(),
        };
        job.append(&super::printable(ctx, &text[start..end]), 0.0, format);
    }
    job
}

/// Draws the source text; a click on it becomes [`Command::SelectAtSource`].
pub fn show(
    ui: &mut Ui,
    review: &Review,
    selected: Option<CellId>,
    scroll: bool,
    cache: &mut Cache,
    out: &mut Vec<Command>,
) {
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
        selected: selected_span.clone(),
        to_look_at,
        width,
    };
    if cache.key.as_ref() != Some(&key) || cache.galley.is_none() {
        let job = layout(ui.ctx(), review, &key);
        cache.galley = Some(ui.painter().layout_job(job));
        cache.key = Some(key);
    }
    let Some(galley) = cache.galley.clone() else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("source")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
            response.widget_info(|| WidgetInfo::labeled(Role::Label, true, "原文 source text"));
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
