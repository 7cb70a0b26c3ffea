//! The queue: the reports of the opened folder with their state, organization and year.

use egui::{Color32, RichText, Ui};

use super::theme;
use crate::app::Command;
use crate::app::i18n::Texts;
use crate::app::queue::{Queue, Status};

/// A short state for a queue entry, and its colour.
#[must_use]
pub fn status_text(status: &Status, t: &Texts) -> (String, Color32) {
    match status {
        Status::Pending => (t.pending.to_owned(), theme::MUTED),
        Status::Unreadable(_) => (t.unreadable.to_owned(), theme::ERROR_TEXT),
        Status::RecordUnreadable(_) => (t.record_unreadable.to_owned(), theme::ERROR_TEXT),
        Status::ApprovalDoubtful => (
            format!("{} {}", theme::MARK_FAILED, t.approval_doubtful),
            theme::ERROR_TEXT,
        ),
        Status::Approved { auto: true } => (
            format!("{} {}", theme::MARK_CONFIRMED, t.approved_auto),
            theme::OK_TEXT,
        ),
        Status::Approved { auto: false } => (
            format!("{} {}", theme::MARK_CONFIRMED, t.approved),
            theme::OK_TEXT,
        ),
        Status::Open {
            started,
            errors,
            warnings,
            to_look_at,
        } => {
            let mut parts = vec![if *started {
                t.in_progress.to_owned()
            } else {
                t.not_reviewed.to_owned()
            }];
            if *errors > 0 {
                parts.push(format!("{} {} {errors}", theme::MARK_FAILED, t.errors));
            }
            if *warnings > 0 {
                parts.push(format!("{} {warnings}", t.warnings));
            }
            if *to_look_at > 0 {
                parts.push(format!("{} {} {to_look_at}", theme::MARK_LOW, t.to_look_at));
            }
            if *errors == 0 && *warnings == 0 && *to_look_at == 0 {
                parts.push(t.no_problem.to_owned());
            }
            let color = if *errors > 0 {
                theme::ERROR_TEXT
            } else {
                theme::QUEUE_TEXT
            };
            (parts.join(" · "), color)
        }
    }
}

/// Draws the queue; selecting an entry becomes [`Command::SelectReport`].
pub fn show(ui: &mut Ui, queue: &Queue, current: Option<usize>, t: &Texts, out: &mut Vec<Command>) {
    ui.strong(format!("{}（{}）", t.queue, queue.entries.len()));
    let width = ui.available_width();
    egui::ScrollArea::vertical()
        .id_salt("queue")
        .auto_shrink([false, false])
        .show_rows(ui, ENTRY_HEIGHT, queue.entries.len(), |ui, range| {
            for index in range {
                let entry = &queue.entries[index];
                let (state, color) = status_text(&entry.status, t);
                let title = match (&entry.organization, entry.year) {
                    (Some(org), Some(year)) => format!("{org} {year}"),
                    (Some(org), None) => org.clone(),
                    _ => entry.file_name(),
                };
                let title = super::printable(ui.ctx(), &title);
                let text = RichText::new(format!("{title}\n{state}")).color(color);
                let button =
                    egui::Button::selectable(current == Some(index), (text, egui::Atom::grow()))
                        .min_size(egui::vec2(width, ENTRY_HEIGHT - 4.0));
                let response = ui
                    .add_sized([width, ENTRY_HEIGHT - 4.0], button)
                    .on_hover_text(entry.path.display().to_string());
                if response.clicked() {
                    out.push(Command::SelectReport(index));
                }
            }
        });
}

/// Height of one queue entry: two lines and a gap.
const ENTRY_HEIGHT: f32 = 44.0;
