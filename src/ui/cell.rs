//! The selected cell in detail — what was printed, how sure the reading is and why, its
//! candidates and status — and the edit, which asks why a value changes. Every line has a fixed
//! place, so nothing moves when an edit starts, an error shows or the report is approved.

use egui::{Align, Layout, RichText, Sense, Stroke, Ui, Vec2};

use super::{action_button, printable, theme};
use crate::app::i18n::texts;
use crate::app::input::Action;
use crate::app::review::Review;
use crate::app::{Command, Edit};
use crate::lang::{Lang, Localized};
use crate::record::{CellStatus, ChangeKind};
use crate::template::CellId;

/// Height of one line of the panel.
const LINE: f32 = 24.0;
/// The panel's height: five lines and margins, whatever is on them.
pub const HEIGHT: f32 = 5.0 * LINE + 16.0;

/// The id of the edit's note field, so the keyboard knows when it has the focus.
#[must_use]
pub fn note_id() -> egui::Id {
    egui::Id::unique("nianbao.edit.note")
}

/// One line of the panel, exactly [`LINE`] high.
fn line(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        Vec2::new(width, LINE),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_min_size(Vec2::new(width, LINE));
            ui.set_clip_rect(ui.max_rect().intersect(ui.clip_rect()));
            add(ui);
        },
    );
}

/// The cell on its page (scanned or printed), magnified at the panel's right, so the reviewer
/// typing its value never has to look away to the page; the rest of the panel keeps to its left.
fn scanned_cell(ui: &mut Ui, (texture, uv, size): (egui::TextureId, egui::Rect, egui::Vec2)) {
    let height = HEIGHT - 12.0;
    let width = (size.x / size.y.max(1.0) * height).min(ui.available_width() * 0.35);
    let right = ui.max_rect().right_top();
    let rect =
        egui::Rect::from_min_size(right + egui::vec2(-width, 2.0), egui::vec2(width, height));
    ui.painter().image(texture, rect, uv, egui::Color32::WHITE);
    let response = ui.interact(rect, ui.scope_id().with("cell as scanned"), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            "页面上的单元格 the cell on its page",
        )
    });
    ui.painter().rect_stroke(
        rect,
        2.0,
        egui::Stroke::new(1.0, theme::FOCUSED),
        egui::StrokeKind::Outside,
    );
    ui.set_max_width((ui.available_width() - width - 12.0).max(100.0));
}

/// Draws the selected cell's details and its actions, or the edit when it is being edited.
pub fn show(
    ui: &mut Ui,
    review: &Review,
    cell: CellId,
    crop: Option<(egui::TextureId, egui::Rect, egui::Vec2)>,
    edit: Option<&mut Edit>,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let t = texts(lang);
    let Some(read) = review.report.cells.get(&cell) else {
        return;
    };
    if let Some(crop) = crop {
        scanned_cell(ui, crop);
    }
    let status = review
        .record
        .cells
        .get(&cell)
        .map_or(CellStatus::Extracted, |c| c.status);
    line(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(cell.label(lang)).strong()).truncate())
            .on_hover_text(cell.as_str());
    });
    line(ui, |ui| {
        let status_text = match status {
            CellStatus::Extracted => t.status_extracted,
            CellStatus::Confirmed => t.status_confirmed,
            CellStatus::Corrected => t.status_corrected,
        };
        let mut parts = vec![
            format!("{}「{}」", t.cell_raw, printable(ui.ctx(), read.raw.trim())),
            format!("{} {:.2}", t.cell_confidence, read.confidence),
            format!("{} {status_text}", t.cell_status),
        ];
        if !read.candidates.is_empty() {
            let candidates: Vec<String> = read.candidates.iter().map(ToString::to_string).collect();
            parts.push(format!("{} {}", t.cell_candidates, candidates.join(" / ")));
        }
        let response = ui.add(egui::Label::new(parts.join("  ·  ")).truncate());
        if let Some(origin) = &read.origin {
            response.on_hover_text(origin.describe(lang));
            ui.label(RichText::new(origin.describe(lang)).weak());
        }
    });
    line(ui, |ui| {
        if !read.reasons.is_empty() {
            let reasons: Vec<String> = read
                .reasons
                .iter()
                .map(|r| printable(ui.ctx(), &r.text(lang)).into_owned())
                .collect();
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "{} {}",
                        t.cell_reasons,
                        reasons.join(t.list_separator)
                    ))
                    .color(theme::WARNING_TEXT),
                )
                .truncate(),
            )
            .on_hover_text(reasons.join("\n"));
        }
    });
    match edit {
        Some(edit) if edit.cell == cell => {
            line(ui, |ui| edit_line(ui, edit, lang));
            line(ui, |ui| {
                for action in [
                    Action::CommitMisread,
                    Action::CommitSourceWrong,
                    Action::CancelEdit,
                ] {
                    action_button(ui, action, lang, true, out);
                }
                if let Some(error) = &edit.error {
                    ui.add(
                        egui::Label::new(RichText::new(error).color(theme::ERROR_TEXT)).truncate(),
                    );
                }
            });
        }
        _ if review.is_approved() => {
            line(ui, |_| {});
            line(ui, |ui| {
                ui.label(RichText::new(t.read_only).color(theme::OK_TEXT));
                action_button(ui, Action::Reopen, lang, true, out);
            });
        }
        _ => {
            line(ui, |ui| {
                action_button(ui, Action::Confirm, lang, true, out);
                action_button(ui, Action::Edit, lang, true, out);
                suggestion_buttons(ui, review, cell, lang, out);
            });
            line(ui, |_| {});
        }
    }
}

/// One button per value the failed rules suggest for the cell; the key A takes the only one.
fn suggestion_buttons(
    ui: &mut Ui,
    review: &Review,
    cell: CellId,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let t = texts(lang);
    let values = review.suggested_values(cell);
    let key = if values.len() == 1 { " (A)" } else { "" };
    for value in values {
        let why = review
            .suggestion(cell, value)
            .map(|s| s.why(lang))
            .unwrap_or_default();
        if ui
            .button(format!("{} {value}{key}", t.accept_value))
            .on_hover_text(printable(ui.ctx(), why))
            .clicked()
        {
            out.push(Command::AcceptSuggestion {
                cell,
                value,
                kind: ChangeKind::Misread,
            });
        }
    }
}

/// The value being typed, drawn as a field with a caret; the keys themselves go to the state
/// (`ui::keys`), so that none is lost while the field appears. The note is an ordinary field.
fn edit_line(ui: &mut Ui, edit: &mut Edit, lang: Lang) {
    let t = texts(lang);
    ui.label(t.edit);
    let font = egui::FontId::proportional(15.0);
    let galley = ui
        .painter()
        .layout_no_wrap(edit.text.clone(), font, theme::INK);
    let width = (galley.size().x + 16.0).max(110.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, LINE - 2.0), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{} {}", t.edit, edit.text))
    });
    let painter = ui.painter();
    painter.rect(
        rect,
        2.0,
        theme::PLAIN,
        Stroke::new(1.5, theme::SELECTED),
        egui::StrokeKind::Inside,
    );
    let text_pos = rect.left_center() + Vec2::new(6.0, -galley.size().y / 2.0);
    let caret_x = text_pos.x + galley.size().x + 1.0;
    painter.galley(text_pos, galley, theme::INK);
    painter.line_segment(
        [
            egui::pos2(caret_x, rect.top() + 4.0),
            egui::pos2(caret_x, rect.bottom() - 4.0),
        ],
        Stroke::new(1.5, theme::INK),
    );
    let note_label = ui.label(t.edit_note);
    ui.add(
        egui::TextEdit::singleline(&mut edit.note)
            .id(note_id())
            .desired_width(160.0),
    )
    .labelled_by(note_label.id);
}
