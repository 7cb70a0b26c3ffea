//! The open dialog, drawn by the window itself (see [`crate::app::browse`]): a location field,
//! the way up, the places to start from, and the folder's subfolders and reports. A click on a
//! folder goes into it; a click on a report selects it, a double-click or Enter opens it.

use egui::{RichText, Ui};

use super::{printable, theme};
use crate::app::browse::{Browser, Pick, extensions_text, places};
use crate::app::i18n::texts;
use crate::lang::Lang;

/// What the dialog came to this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still choosing.
    Stay,
    /// Open this.
    Open(std::path::PathBuf),
    /// Closed without choosing.
    Cancel,
}

/// Height of one entry of the list.
const ROW: f32 = 22.0;
/// Height of the list, whatever the folder holds: the dialog never changes size or place.
const LIST_HEIGHT: f32 = 360.0;

/// Draws the dialog.
pub fn show(ctx: &egui::Context, browser: &mut Browser, lang: Lang) -> Outcome {
    let t = texts(lang);
    let mut outcome = Outcome::Stay;
    let f = crate::app::i18n::folder_texts(lang);
    let title = match (&browser.title, browser.pick) {
        (Some(title), _) => title.clone(),
        (None, Pick::File) => t.browse_open_file.to_owned(),
        (None, Pick::Folder) => t.browse_open_folder.to_owned(),
        (None, Pick::Save) => f.save_as.to_owned(),
    };
    let modal = egui::Modal::new(egui::Id::unique("nianbao.browse")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading(title);
        ui.horizontal(|ui| {
            let label = ui.label(t.browse_location);
            let field = ui
                .add(egui::TextEdit::singleline(&mut browser.location).desired_width(420.0))
                .labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(t.browse_go).clicked() || entered)
                && let Some(path) = browser.go()
            {
                outcome = Outcome::Open(path);
            }
            if ui.button(t.browse_up).clicked() {
                browser.up();
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t.browse_places);
            for place in places() {
                if ui
                    .button(printable(ui.ctx(), &place.display().to_string()))
                    .clicked()
                {
                    browser.enter(&place);
                }
            }
        });
        if let Some(error) = &browser.error {
            ui.label(RichText::new(printable(ui.ctx(), error)).color(theme::ERROR_TEXT));
        }
        ui.separator();
        if let Some(path) = entries(ui, browser, lang) {
            outcome = Outcome::Open(path);
        }
        ui.separator();
        if browser.pick == Pick::File {
            ui.label(RichText::new(format!("{} {}", t.browse_formats, extensions_text())).weak());
        }
        if browser.pick == Pick::Save {
            ui.horizontal(|ui| {
                let label = ui.label(f.file_name);
                ui.add(egui::TextEdit::singleline(&mut browser.name).desired_width(360.0))
                    .labelled_by(label.id);
            });
        }
        ui.horizontal(|ui| {
            let open = match (browser.pick, browser.title.is_some()) {
                (Pick::File, _) => t.browse_open,
                (Pick::Folder, false) => t.browse_this_folder,
                (Pick::Folder, true) => f.letters_here,
                (Pick::Save, _) => f.save,
            };
            let chosen = browser.chosen();
            if ui
                .add_enabled(chosen.is_some(), egui::Button::new(open))
                .clicked()
                && let Some(path) = chosen
            {
                outcome = Outcome::Open(path);
            }
            if ui.button(t.cancel).clicked() {
                outcome = Outcome::Cancel;
            }
        });
    });
    if modal.should_close() && outcome == Outcome::Stay {
        outcome = Outcome::Cancel;
    }
    outcome
}

/// The folder's entries, virtualised: a click enters a folder or selects a report, a
/// double-click opens the report.
fn entries(ui: &mut Ui, browser: &mut Browser, lang: Lang) -> Option<std::path::PathBuf> {
    let t = texts(lang);
    if browser.entries.is_empty() {
        // The same space as a list, so the dialog keeps its size and place.
        ui.allocate_ui(egui::vec2(ui.available_width(), LIST_HEIGHT), |ui| {
            ui.set_min_height(LIST_HEIGHT);
            ui.label(RichText::new(t.browse_empty).weak());
        });
        return None;
    }
    let mut activated = None;
    egui::ScrollArea::vertical()
        .id_salt(("browse", &browser.dir))
        .max_height(LIST_HEIGHT)
        .min_scrolled_height(LIST_HEIGHT)
        .auto_shrink([false, false])
        .show_rows(ui, ROW, browser.entries.len(), |ui, range| {
            for index in range {
                let entry = &browser.entries[index];
                let name = printable(ui.ctx(), &entry.name).into_owned();
                let text = if entry.is_dir {
                    format!("{name}/  ({})", t.browse_folder)
                } else {
                    name
                };
                let response = ui.add(egui::Button::selectable(
                    browser.selected == Some(index),
                    text,
                ));
                if response.double_clicked() || (response.clicked() && entry.is_dir) {
                    activated = Some(index);
                } else if response.clicked() {
                    browser.selected = Some(index);
                }
            }
        });
    if ui.input(|i| i.key_pressed(egui::Key::Enter))
        && !ui.ctx().text_edit_focused()
        && let Some(index) = browser.selected
    {
        activated = Some(index);
    }
    activated.and_then(|index| browser.activate(index))
}
