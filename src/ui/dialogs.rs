//! The window's dialogs: a question before something hard to take back, the reviewer's name,
//! the list of keys (F1), and the changes the reviewer made, as a table.

use egui::RichText;

use super::theme;
use crate::app::i18n::texts;
use crate::app::input::BINDINGS;
use crate::app::{Command, Question, Settings};
use crate::lang::{Lang, Localized};

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
            Question::ApproveClean(count) => {
                let f = crate::app::i18n::folder_texts(lang);
                ui.heading(f.ask_approve_clean_title);
                ui.label((f.ask_approve_clean)(*count, settings.reviewer.trim()));
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

/// The keys of [`BINDINGS`], as a sheet in the middle of the window; F1 or Esc closes it.
pub fn help(ctx: &egui::Context, lang: Lang, open: &mut bool) {
    let t = texts(lang);
    let title = crate::app::input::Action::Help.binding().text(lang);
    egui::Window::new(title)
        .open(open)
        .collapsible(false)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
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
