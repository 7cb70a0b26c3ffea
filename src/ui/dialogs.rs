//! The window's dialogs: a question before something hard to take back, the reviewer's name,
//! the list of keys (F1), and the changes the reviewer made, as a table.

use egui::{RichText, Ui};

use super::{printable, theme};
use crate::app::i18n::{Texts, texts};
use crate::app::input::BINDINGS;
use crate::app::review::Review;
use crate::app::{Command, Question, Settings};
use crate::lang::{Lang, Localized};
use crate::record::ChangeKind;

/// Asks `question`; the answer becomes [`Command::Answer`]. Enter and Esc answer too (see
/// [`crate::app::AppState::input`]).
pub fn question(
    ctx: &egui::Context,
    question: &Question,
    settings: &mut Settings,
    out: &mut Vec<Command>,
) {
    let lang = settings.lang;
    let t = texts(lang);
    egui::Modal::new(egui::Id::unique("nianbao.question")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match question {
            Question::Reopen => {
                ui.heading(t.ask_reopen_title);
                ui.label(t.ask_reopen);
            }
            Question::ApproveDespite(doubts) => {
                ui.heading(t.ask_approve_title);
                ui.label(t.ask_approve);
                for doubt in doubts {
                    ui.label(
                        RichText::new(format!("• {}", doubt.text(lang))).color(theme::WARNING_TEXT),
                    );
                }
            }
            Question::Reviewer => {
                ui.heading(t.ask_name_title);
                ui.label(t.ask_name);
                let label = ui.label(t.name_label);
                let field = ui
                    .add(egui::TextEdit::singleline(&mut settings.reviewer).desired_width(240.0))
                    .labelled_by(label.id);
                // The field takes the keyboard once, when the question appears; asking every
                // frame would keep the window redrawing while it is not the focused window.
                let asked = ui.scope_id().with("focus asked");
                if !ui.data(|d| d.get_temp::<bool>(asked).unwrap_or(false)) {
                    field.request_focus();
                    ui.data_mut(|d| d.insert_temp(asked, true));
                }
                let named = !settings.reviewer.trim().is_empty();
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(6.0);
                if ui.add_enabled(named, egui::Button::new(t.yes)).clicked() || (entered && named) {
                    out.push(Command::Answer(true));
                }
                return;
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(t.yes).clicked() {
                out.push(Command::Answer(true));
            }
            if ui.button(t.no).clicked() {
                out.push(Command::Answer(false));
            }
        });
    });
}

/// The keys of [`BINDINGS`], as a sheet.
pub fn help(ctx: &egui::Context, lang: Lang, open: &mut bool) {
    let t = texts(lang);
    let title = crate::app::input::Action::Help.binding().text(lang);
    egui::Window::new(title)
        .open(open)
        .default_size([460.0, 520.0])
        .show(ctx, |ui| {
            egui::Grid::new("nianbao.help")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    ui.strong(t.help_keys);
                    ui.strong(t.help_action);
                    ui.end_row();
                    ui.label(t.help_typing);
                    ui.label(t.help_typing_does);
                    ui.end_row();
                    for binding in BINDINGS.iter().filter(|b| !b.chords.is_empty()) {
                        ui.label(binding.keys());
                        ui.label(binding.text(lang));
                        ui.end_row();
                    }
                });
        });
}

/// The values the reviewer changed, one row each: the cell by its printed label, as read, now,
/// why, who and when (in the reviewer's time zone).
pub fn changes(ctx: &egui::Context, review: &Review, settings: &Settings, open: &mut bool) {
    let lang = settings.lang;
    let t = texts(lang);
    egui::Window::new(t.changes)
        .open(open)
        .default_size([760.0, 420.0])
        .show(ctx, |ui| changes_table(ui, review, settings, t));
}

fn changes_table(ui: &mut Ui, review: &Review, settings: &Settings, t: &Texts) {
    let lang = settings.lang;
    let changes = review.record.changes();
    let confirmed = review.record.confirmed();
    if changes.is_empty() {
        ui.label(t.changes_none);
    }
    if confirmed > 0 {
        ui.label(format!("{confirmed} {}", t.changes_confirmed));
    }
    if changes.is_empty() {
        return;
    }
    let zone = crate::time::zone_name(settings.utc_offset_minutes);
    let shown =
        |v: Option<crate::model::Value>| v.map_or_else(|| t.blank.to_owned(), |v| v.to_string());
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("nianbao.changes")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for header in [
                    t.change_cell,
                    t.change_read,
                    t.change_now,
                    t.change_kind,
                    t.change_who,
                    t.change_when,
                ] {
                    ui.strong(header);
                }
                ui.end_row();
                for change in &changes {
                    ui.label(change.cell.label(lang))
                        .on_hover_text(change.cell.as_str());
                    ui.label(shown(change.read_as));
                    let now = RichText::new(shown(change.now));
                    ui.label(if change.stale {
                        now.strikethrough()
                    } else {
                        now
                    });
                    let kind = lang.pick(change.kind.zh(), change.kind.en());
                    let kind = if change.note.is_empty() {
                        kind.to_owned()
                    } else {
                        format!("{kind}：{}", change.note)
                    };
                    let color = if change.kind == ChangeKind::SourceWrong {
                        theme::ERROR_TEXT
                    } else {
                        theme::INK
                    };
                    ui.label(RichText::new(printable(ui.ctx(), &kind)).color(color));
                    ui.label(&change.reviewer);
                    ui.label(format!(
                        "{} ({zone})",
                        change.time.local(settings.utc_offset_minutes)
                    ));
                    ui.end_row();
                }
            });
    });
}
