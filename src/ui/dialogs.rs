//! The window's dialogs: a question before something hard to take back, the reviewer's name,
//! the list of keys (F1), and the changes the reviewer made, as a table.

use egui::{RichText, Ui};

use super::{printable, theme};
use crate::app::i18n::texts;
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

/// The values the reviewer changed, one row each: the cell by its printed label, as read, now,
/// why, who and when (in the reviewer's time zone). Shown in the main pane in place of the
/// source, so it covers nothing the reviewer needs.
pub fn changes(ui: &mut Ui, review: &Review, settings: &Settings) {
    let lang = settings.lang;
    let t = texts(lang);
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
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
    let when = format!("{} ({zone})", t.change_when);
    // The cell's label takes what the other columns leave and is cut short (whole on hover), so
    // the values, the kind, who and when are always in view.
    egui_extras::TableBuilder::new(ui)
        .id_salt("nianbao.changes")
        .striped(true)
        .column(egui_extras::Column::remainder().at_least(160.0).clip(true))
        .columns(egui_extras::Column::auto(), 5)
        .header(row_height, |mut header| {
            for title in [
                t.change_cell,
                t.change_read,
                t.change_now,
                t.change_kind,
                t.change_who,
                &when,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, changes.len(), |mut row| {
                let change = &changes[row.index()];
                row.col(|ui| {
                    ui.add(egui::Label::new(change.cell.label(lang)).truncate())
                        .on_hover_text(format!(
                            "{} ({})",
                            change.cell.label(lang),
                            change.cell.as_str()
                        ));
                });
                row.col(|ui| {
                    ui.label(shown(change.read_as));
                });
                row.col(|ui| {
                    let now = RichText::new(shown(change.now));
                    ui.label(if change.stale {
                        now.strikethrough()
                    } else {
                        now
                    });
                });
                row.col(|ui| {
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
                });
                row.col(|ui| {
                    ui.label(&change.reviewer);
                });
                row.col(|ui| {
                    ui.label(change.time.local(settings.utc_offset_minutes));
                });
            });
        });
}
