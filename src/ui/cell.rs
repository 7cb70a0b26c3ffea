//! The selected cell in detail — what was printed, how sure the reading is and why, its
//! candidates and status — and the edit box, which asks why a value changes.

use egui::{Color32, RichText, Ui};

use super::theme;
use crate::app::i18n::{Lang, Texts};
use crate::app::review::Review;
use crate::app::{Command, Edit};
use crate::record::{CellStatus, ChangeKind};
use crate::template::CellId;

/// Draws the selected cell's details, or the edit box when it is being edited.
pub fn show(
    ui: &mut Ui,
    review: &Review,
    cell: CellId,
    edit: Option<&mut Edit>,
    focus_edit: bool,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let t = lang.texts();
    let Some(read) = review.report.cells.get(&cell) else {
        return;
    };
    let status = review
        .record
        .cells
        .get(&cell)
        .map_or(CellStatus::Extracted, |c| c.status);
    ui.horizontal_wrapped(|ui| {
        ui.strong(cell.label_zh());
        ui.label(RichText::new(cell.as_str()).weak());
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{}「{}」",
            t.cell_raw,
            super::printable(ui.ctx(), read.raw.trim())
        ));
        ui.label(format!("{} {:.2}", t.cell_confidence, read.confidence));
        let status_text = match status {
            CellStatus::Extracted => t.status_extracted,
            CellStatus::Confirmed => t.status_confirmed,
            CellStatus::Corrected => t.status_corrected,
        };
        ui.label(format!("{} {status_text}", t.cell_status));
        if !read.candidates.is_empty() {
            let candidates: Vec<String> = read.candidates.iter().map(ToString::to_string).collect();
            ui.label(format!("{} {}", t.cell_candidates, candidates.join(" / ")));
        }
        if let Some(origin) = &read.origin {
            ui.label(RichText::new(origin.describe_zh()).weak());
        }
    });
    for reason in &read.reasons {
        let text = if lang == Lang::En {
            reason.en()
        } else {
            reason.zh()
        };
        ui.label(
            RichText::new(format!(
                "{} {}",
                t.cell_reasons,
                super::printable(ui.ctx(), &text)
            ))
            .color(Color32::from_rgb(120, 80, 0)),
        );
    }
    match edit {
        Some(edit) if edit.cell == cell => edit_box(ui, edit, focus_edit, t, out),
        _ => {
            ui.horizontal(|ui| {
                if ui.button(format!("{} (C)", t.confirm)).clicked() {
                    out.push(Command::Confirm);
                }
                if ui.button(format!("{} (Enter)", t.edit)).clicked() {
                    let text = review
                        .value(cell)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    out.push(Command::StartEdit(text));
                }
                if !review.suggestions_for(cell).is_empty()
                    && ui.button(format!("{} (A)", t.accept)).clicked()
                {
                    out.push(Command::AcceptSuggestion(ChangeKind::Misread));
                }
            });
        }
    }
}

fn edit_box(ui: &mut Ui, edit: &mut Edit, focus: bool, t: &Texts, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(t.edit);
        let id = ui.make_persistent_id("cell_edit");
        let mut output = egui::TextEdit::singleline(&mut edit.text)
            .id(id)
            .desired_width(120.0)
            .show(ui);
        output.response.response = output.response.response.clone().labelled_by(label.id);
        if focus {
            output.response.response.request_focus();
            let end = egui::text::CCursor::new(edit.text.chars().count());
            output
                .state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            output.state.store(ui.ctx(), id);
        }
        let note_label = ui.label(t.edit_note);
        ui.add(egui::TextEdit::singleline(&mut edit.note).desired_width(160.0))
            .labelled_by(note_label.id);
    });
    ui.horizontal(|ui| {
        if ui.button(format!("{} (Enter)", t.kind_misread)).clicked() {
            out.push(Command::CommitEdit(ChangeKind::Misread));
        }
        if ui
            .button(format!("{} (Shift+Enter)", t.kind_source))
            .clicked()
        {
            out.push(Command::CommitEdit(ChangeKind::SourceWrong));
        }
        if ui.button(format!("{} (Esc)", t.cancel)).clicked() {
            out.push(Command::CancelEdit);
        }
    });
    if let Some(error) = &edit.error {
        ui.label(RichText::new(error).color(theme::ERROR_TEXT));
    }
}
