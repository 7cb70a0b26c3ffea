//! The three tables, laid out like the printed template: 表二 by 第二十条 item with its own
//! headers, 表三 as 25 (or 23) rows by 7 applicant columns, 表四 as its three groups by five
//! outcomes.
//! Each cell shows its value and marks; clicking selects it.

use egui::{Align2, Color32, FontId, Rect, Role, Sense, Stroke, StrokeKind, Ui, Vec2, WidgetInfo};

use super::theme;
use crate::app::Command;
use crate::app::i18n::texts;
use crate::app::review::Review;
use crate::lang::{Lang, Localized};
use crate::record::CellStatus;
use crate::template::{CellId, ColumnDef, T3_COLUMNS, T4_COLUMNS, T4_ROWS, TableId};

/// Width of a value cell.
const CELL_WIDTH: f32 = 58.0;
/// Height of a row.
const ROW_HEIGHT: f32 = 22.0;

/// How a cell looks: fill and marks, from the review.
#[must_use]
pub fn look(review: &Review, cell: CellId) -> (Color32, String) {
    let failed = review.failing.contains(&cell);
    let needs_look = review.needs_look(cell);
    let status = review.record.cells.get(&cell).map(|c| c.status);
    let mut marks = String::new();
    if failed {
        marks.push_str(theme::MARK_FAILED);
    }
    if needs_look {
        marks.push_str(theme::MARK_LOW);
    }
    match status {
        Some(CellStatus::Corrected) => marks.push_str(theme::MARK_CORRECTED),
        Some(CellStatus::Confirmed) => marks.push_str(theme::MARK_CONFIRMED),
        _ => {}
    }
    let fill = if failed {
        theme::CHECK_FAILED
    } else if needs_look {
        theme::LOW_CONFIDENCE
    } else {
        match status {
            Some(CellStatus::Corrected) => theme::CORRECTED,
            Some(CellStatus::Confirmed) => theme::CONFIRMED,
            _ => theme::PLAIN,
        }
    };
    (fill, marks)
}

/// Draws one cell; returns whether it was clicked.
fn cell(ui: &mut Ui, view: &View<'_>, id: CellId) -> bool {
    let review = view.review;
    let t = texts(view.lang);
    let selected = view.selected == Some(id);
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(CELL_WIDTH, ROW_HEIGHT), Sense::click());
    let value = review.value(id);
    let text = value.map_or_else(|| t.blank.to_owned(), |v| v.to_string());
    let label = format!("{} {}", id.label_zh(), text);
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, label.clone()));
    if ui.is_rect_visible(rect) {
        let (fill, marks) = look(review, id);
        let painter = ui.painter();
        painter.rect_filled(rect.shrink(1.0), 2.0, fill);
        if view.focused.contains(&id) {
            painter.rect_stroke(
                rect.shrink(1.0),
                2.0,
                Stroke::new(2.0, theme::FOCUSED),
                StrokeKind::Inside,
            );
        }
        if selected {
            painter.rect_stroke(
                rect.shrink(1.0),
                2.0,
                Stroke::new(2.0, theme::SELECTED),
                StrokeKind::Inside,
            );
        }
        let color = if value.is_some() {
            theme::INK
        } else {
            theme::MUTED
        };
        // The marks take the top-right corner; the number the rest, shrunk until it fits.
        let marks_width = if marks.is_empty() { 2.0 } else { 12.0 };
        let room = Rect::from_min_max(
            rect.min + Vec2::new(3.0, 0.0),
            rect.max - Vec2::new(marks_width, 0.0),
        );
        paint_shrunk(ui, room, &text, 13.0, color);
        if !marks.is_empty() {
            painter.text(
                rect.right_top() + Vec2::new(-3.0, 1.0),
                Align2::RIGHT_TOP,
                &marks,
                FontId::proportional(10.0),
                theme::INK,
            );
        }
    }
    if selected && view.scroll {
        ui.scroll_to_rect(rect, Some(egui::Align::Center));
    }
    // The reasons are only gathered for the cell under the pointer.
    let response = match review.report.cells.get(&id) {
        Some(read) if !read.reasons.is_empty() && response.hovered() => {
            let reasons: Vec<String> = read.reasons.iter().map(|r| r.text(view.lang)).collect();
            response.on_hover_text(reasons.join("\n"))
        }
        _ => response,
    };
    response.clicked()
}

/// Paints text centred in `room` at the largest size up to `size` at which it fits, so a long
/// number never runs over its neighbours.
fn paint_shrunk(ui: &Ui, room: Rect, text: &str, size: f32, color: Color32) {
    let painter = ui.painter().with_clip_rect(room);
    let mut galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color);
    let width = galley.size().x;
    if width > room.width() {
        let fitted = (size * room.width() / width).max(6.0);
        galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(fitted), color);
    }
    let pos = room.center() - galley.size() / 2.0;
    painter.galley(pos, galley, color);
}

fn header(ui: &mut Ui, text: &str, width: f32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, ROW_HEIGHT), Sense::hover());
    ui.painter()
        .rect_filled(rect.shrink(0.5), 0.0, theme::HEADER);
    paint_fitted(ui, rect, text, true);
}

/// Paints text centred in a rect, at a size that fits.
fn paint_fitted(ui: &Ui, rect: Rect, text: &str, centred: bool) {
    let chars = text.chars().count().max(1);
    #[expect(clippy::cast_precision_loss, reason = "label lengths are small")]
    let size = ((rect.width() - 6.0) / chars as f32).clamp(9.0, 13.0);
    let (anchor, pos) = if centred {
        (Align2::CENTER_CENTER, rect.center())
    } else {
        (
            Align2::LEFT_CENTER,
            rect.left_center() + Vec2::new(4.0, 0.0),
        )
    };
    ui.painter().with_clip_rect(rect).text(
        pos,
        anchor,
        text,
        FontId::proportional(size),
        theme::LABEL_TEXT,
    );
}

fn row_label(ui: &mut Ui, text: &str, width: f32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, ROW_HEIGHT), Sense::hover());
    paint_fitted(ui, rect, text, false);
}

/// What the tables need to know of the window's state.
pub struct View<'a> {
    /// The review.
    pub review: &'a Review,
    /// The selected cell.
    pub selected: Option<CellId>,
    /// Whether to scroll the selected cell into view this frame.
    pub scroll: bool,
    /// The language of labels and reasons.
    pub lang: Lang,
    /// The cells of the finding last clicked.
    pub focused: &'a [CellId],
}

/// Draws the three tables; commands go to `out`.
pub fn show(ui: &mut Ui, view: &View<'_>, out: &mut Vec<Command>) {
    let lang = view.lang;
    let t = texts(lang);
    let label_width = (ui.available_width() - 7.0 * CELL_WIDTH - 8.0).clamp(160.0, 320.0);
    let click = |ui: &mut Ui, id: CellId, out: &mut Vec<Command>| {
        if cell(ui, view, id) {
            out.push(Command::SelectCell(id));
        }
    };

    table_heading(ui, t.t2, TableId::T2, view, out);
    let rows = view.review.report.layout.t2_rows();
    let mut previous: Option<&[ColumnDef]> = None;
    for row in rows {
        if previous.is_none_or(|p| !std::ptr::eq(p, row.columns)) {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 0.0;
                header(ui, t.item, label_width);
                for column in row.columns {
                    header(ui, lang.pick(column.zh, column.en), CELL_WIDTH * 2.0);
                }
            });
            previous = Some(row.columns);
        }
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            row_label(ui, lang.pick(row.zh, row.en), label_width);
            for id in row.cell_ids(TableId::T2).iter().copied() {
                click(ui, id, out);
                ui.add_space(CELL_WIDTH);
            }
        });
    }

    ui.add_space(8.0);
    table_heading(ui, t.t3, TableId::T3, view, out);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        header(ui, "", label_width);
        for column in T3_COLUMNS {
            header(ui, lang.pick(column.zh, column.en), CELL_WIDTH);
        }
    });
    for row in view.review.report.layout.t3_rows() {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            row_label(ui, lang.pick(row.zh, row.en), label_width);
            for id in row.cell_ids(TableId::T3).iter().copied() {
                click(ui, id, out);
            }
        });
    }

    ui.add_space(8.0);
    table_heading(ui, t.t4, TableId::T4, view, out);
    // The printed 表四 is one row of 15 cells under two header levels; on screen each group is
    // a row of its five outcomes, so the table fits beside the source.
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        header(ui, "", label_width);
        for column in T4_COLUMNS {
            header(ui, lang.pick(column.zh, column.en), CELL_WIDTH);
        }
    });
    for row in T4_ROWS {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            row_label(ui, lang.pick(row.zh, row.en), label_width);
            for id in row.cell_ids(TableId::T4).iter().copied() {
                click(ui, id, out);
            }
        });
    }
}

/// A table's title, with the action that fills its blanks when it has any.
fn table_heading(
    ui: &mut Ui,
    title: &str,
    table: TableId,
    view: &View<'_>,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.strong(title);
        let blanks = view.review.record.blanks(&view.review.report, table).len();
        if blanks > 0 && !view.review.is_approved() {
            let t = texts(view.lang);
            let binding = crate::app::input::Action::FillBlanks.binding();
            let label = format!("{}（{blanks}）", t.fill_blanks);
            let hover = format!("{} · {}", binding.text(view.lang), binding.keys());
            if ui.button(label).on_hover_text(hover).clicked() {
                out.push(Command::FillBlanks(table));
            }
        }
    });
}
