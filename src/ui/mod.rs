//! The review window: one file per panel (queue, source, tables, findings, cell), a theme and
//! the bundled font. Panels only draw [`AppState`] and push [`Command`]s; the commands are
//! applied after the frame is drawn.

pub mod cell;
pub mod findings;
pub mod fonts;
pub mod queue;
pub mod source;
pub mod tables;
pub mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, RichText, Ui};

use crate::app::i18n::Lang;
use crate::app::{AppState, Command, Move, Settings};
use crate::record::{ChangeKind, RecordState};

/// The key under which settings are kept in eframe's storage.
const SETTINGS_KEY: &str = "nianbao.settings";

/// The review window.
pub struct NianbaoApp {
    /// Everything the window shows.
    pub state: AppState,
    source: source::Cache,
    note_drafts: BTreeMap<String, String>,
    focus_edit: bool,
    show_changes: bool,
}

impl NianbaoApp {
    /// A window with these settings, opening `open` if given.
    #[must_use]
    pub fn new(settings: Settings, open: Option<&Path>) -> NianbaoApp {
        let mut state = AppState::new(settings);
        if let Some(path) = open {
            state.open(path);
        }
        NianbaoApp {
            state,
            source: source::Cache::default(),
            note_drafts: BTreeMap::new(),
            focus_edit: false,
            show_changes: false,
        }
    }

    /// The window as eframe starts it: fonts installed, settings restored.
    #[must_use]
    pub fn start(cc: &eframe::CreationContext<'_>, open: Option<&Path>) -> NianbaoApp {
        fonts::install(&cc.egui_ctx);
        cc.egui_ctx.set_visuals(egui::Visuals::light());
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
            .unwrap_or_default();
        NianbaoApp::new(settings, open)
    }

    /// Draws one frame and applies what the reviewer asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        if self.state.queue.poll() {
            ui.ctx().request_repaint();
        }
        if self.state.poll_loading() {
            ui.ctx().request_repaint();
        }
        if !self.state.queue.is_loaded() || self.state.loading.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        dropped_files(ui, &mut commands);
        self.keys(ui, &mut commands);
        let t = self.state.settings.lang.texts();

        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| {
            if let Some(message) = &self.state.message {
                let color = if message.is_error {
                    theme::ERROR_TEXT
                } else {
                    egui::Color32::from_rgb(30, 110, 50)
                };
                ui.label(RichText::new(&message.text).color(color));
            }
            ui.label(RichText::new(t.key_help).small().weak());
        });
        egui::Panel::left("queue")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                queue::show(ui, &self.state.queue, self.state.current, t, &mut commands);
            });
        let scroll = std::mem::take(&mut self.state.scroll_to_selection);
        if self.state.review.is_some() {
            egui::Panel::right("review")
                .resizable(true)
                .default_size(ui.available_width() * 0.58)
                .show(ui, |ui| {
                    self.review_panel(ui, scroll, &mut commands);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match &self.state.review {
            Some(review) => {
                ui.strong(format!("{} · {}", t.source, review.path.display()));
                source::show(
                    ui,
                    review,
                    self.state.selected,
                    scroll,
                    &mut self.source,
                    &mut commands,
                );
            }
            None if self.state.loading.is_some() => {
                ui.label(t.reading_scan);
            }
            None => {
                ui.label(t.nothing_open);
            }
        });
        if self.show_changes {
            self.changes_window(ui);
        }
        self.focus_edit = false;
        for command in commands {
            let starts_edit = matches!(command, Command::StartEdit(_));
            let switches_report = matches!(
                command,
                Command::SelectReport(_) | Command::NextReport | Command::PreviousReport
            );
            self.state.apply(command);
            self.focus_edit |= starts_edit;
            if switches_report {
                self.note_drafts.clear();
            }
        }
    }

    fn toolbar(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let t = self.state.settings.lang.texts();
        ui.horizontal_wrapped(|ui| {
            ui.strong(t.app_title);
            if ui.button(t.open_file).clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter("report", &["txt", "docx", "html", "htm"])
                    .pick_file()
            {
                out.push(Command::Open(path));
            }
            if ui.button(t.open_folder).clicked()
                && let Some(path) = rfd::FileDialog::new().pick_folder()
            {
                out.push(Command::Open(path));
            }
            ui.menu_button(t.recent, |ui| {
                for path in self.state.settings.recent.clone() {
                    if ui.button(path.display().to_string()).clicked() {
                        out.push(Command::Open(path));
                        ui.close();
                    }
                }
            });
            ui.separator();
            let review = self.state.review.as_ref();
            if ui
                .add_enabled(
                    review.is_some_and(crate::app::review::Review::can_undo),
                    egui::Button::new(t.undo),
                )
                .clicked()
            {
                out.push(Command::Undo);
            }
            if ui
                .add_enabled(
                    review.is_some_and(crate::app::review::Review::can_redo),
                    egui::Button::new(t.redo),
                )
                .clicked()
            {
                out.push(Command::Redo);
            }
            let approved = review.is_some_and(|r| r.record.state == RecordState::Approved);
            if approved {
                if ui.button(t.reopen).clicked() {
                    out.push(Command::Reopen);
                }
            } else if ui
                .add_enabled(
                    review.is_some(),
                    egui::Button::new(format!("{} (Ctrl+Enter)", t.approve)),
                )
                .clicked()
            {
                out.push(Command::Approve);
            }
            ui.toggle_value(&mut self.show_changes, t.changes);
            ui.separator();
            let label = ui.label(t.reviewer);
            ui.add(
                egui::TextEdit::singleline(&mut self.state.settings.reviewer).desired_width(80.0),
            )
            .labelled_by(label.id);
            let lang = self.state.settings.lang;
            let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
            if ui
                .button(if lang == Lang::Zh {
                    "English"
                } else {
                    "中文"
                })
                .on_hover_text(t.language)
                .clicked()
            {
                out.push(Command::SetLang(other));
            }
            ui.separator();
            for (text, color) in [
                (t.legend_low, theme::LOW_CONFIDENCE),
                (t.legend_failed, theme::CHECK_FAILED),
                (t.legend_corrected, theme::CORRECTED),
                (t.legend_confirmed, theme::CONFIRMED),
            ] {
                ui.label(
                    RichText::new(text)
                        .background_color(color)
                        .color(egui::Color32::BLACK),
                );
            }
        });
    }

    fn review_panel(&mut self, ui: &mut Ui, scroll: bool, out: &mut Vec<Command>) {
        let lang = self.state.settings.lang;
        let t = lang.texts();
        let Some(review) = &self.state.review else {
            return;
        };
        banners(ui, review, t);
        egui::Panel::bottom("findings")
            .resizable(true)
            .default_size(220.0)
            .min_size(120.0)
            .show(ui, |ui| {
                findings::show(ui, review, lang, &mut self.note_drafts, out);
            });
        if let Some(cell) = self.state.selected {
            egui::Panel::top("cell").show(ui, |ui| {
                cell::show(
                    ui,
                    review,
                    cell,
                    self.state.edit.as_mut(),
                    self.focus_edit,
                    lang,
                    out,
                );
            });
        }
        egui::ScrollArea::vertical()
            .id_salt("tables")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let view = tables::View {
                    review,
                    selected: self.state.selected,
                    scroll,
                    texts: t,
                    focused: &self.state.focused_finding,
                };
                tables::show(ui, &view, out);
            });
    }

    fn changes_window(&mut self, ui: &mut Ui) {
        let t = self.state.settings.lang.texts();
        let Some(review) = &self.state.review else {
            return;
        };
        let text = crate::diff::reviewer_changes(&review.record);
        egui::Window::new(t.changes)
            .open(&mut self.show_changes)
            .default_size([520.0, 400.0])
            .show(ui.ctx(), |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.label(RichText::new(if text.is_empty() { "—" } else { &text }).monospace());
                });
            });
    }

    /// The keyboard: spreadsheet-like moves and edits when no text field has the focus.
    fn keys(&mut self, ui: &Ui, out: &mut Vec<Command>) {
        let editing = self.state.edit.is_some();
        let pressed =
            |key: Key, modifiers: Modifiers| ui.input_mut(|i| i.consume_key(modifiers, key));
        if editing {
            if pressed(Key::Enter, Modifiers::SHIFT) {
                out.push(Command::CommitEdit(ChangeKind::SourceWrong));
            } else if pressed(Key::Enter, Modifiers::NONE) {
                out.push(Command::CommitEdit(ChangeKind::Misread));
            } else if pressed(Key::Escape, Modifiers::NONE) {
                out.push(Command::CancelEdit);
            }
            return;
        }
        if pressed(Key::Z, Modifiers::COMMAND | Modifiers::SHIFT)
            || pressed(Key::Y, Modifiers::COMMAND)
        {
            out.push(Command::Redo);
        } else if pressed(Key::Z, Modifiers::COMMAND) {
            out.push(Command::Undo);
        } else if pressed(Key::Enter, Modifiers::COMMAND) {
            out.push(Command::Approve);
        }
        if ui.ctx().egui_wants_keyboard_input() || self.state.review.is_none() {
            return;
        }
        let moves = [
            (Key::ArrowRight, Modifiers::NONE, Command::Move(Move::Next)),
            (Key::Tab, Modifiers::SHIFT, Command::Move(Move::Previous)),
            (Key::Tab, Modifiers::NONE, Command::Move(Move::Next)),
            (
                Key::ArrowLeft,
                Modifiers::NONE,
                Command::Move(Move::Previous),
            ),
            (Key::ArrowUp, Modifiers::NONE, Command::Move(Move::Up)),
            (Key::ArrowDown, Modifiers::NONE, Command::Move(Move::Down)),
            (Key::PageDown, Modifiers::NONE, Command::NextReport),
            (Key::PageUp, Modifiers::NONE, Command::PreviousReport),
            (Key::N, Modifiers::NONE, Command::NextAttention),
            (Key::C, Modifiers::NONE, Command::Confirm),
            (
                Key::A,
                Modifiers::SHIFT,
                Command::AcceptSuggestion(ChangeKind::SourceWrong),
            ),
            (
                Key::A,
                Modifiers::NONE,
                Command::AcceptSuggestion(ChangeKind::Misread),
            ),
        ];
        for (key, modifiers, command) in moves {
            if pressed(key, modifiers) {
                out.push(command);
            }
        }
        if pressed(Key::Enter, Modifiers::NONE) || pressed(Key::F2, Modifiers::NONE) {
            let text = self
                .state
                .review
                .as_ref()
                .zip(self.state.selected)
                .and_then(|(r, c)| r.value(c))
                .map(|v| v.to_string());
            out.push(Command::StartEdit(text.unwrap_or_default()));
        }
        // Typing a number starts an edit with it.
        let typed: String = ui.input(|i| {
            i.events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::Text(s)
                        if s.chars()
                            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.')) =>
                    {
                        Some(s.clone())
                    }
                    _ => None,
                })
                .collect()
        });
        if !typed.is_empty() {
            out.push(Command::StartEdit(typed));
        }
    }
}

/// Files dropped onto the window open like any other.
fn dropped_files(ui: &Ui, out: &mut Vec<Command>) {
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .collect()
    });
    if let Some(path) = dropped.into_iter().next() {
        out.push(Command::Open(path));
    }
}

/// What the reviewer must know about this record before anything else.
fn banners(ui: &mut Ui, review: &crate::app::review::Review, t: &crate::app::i18n::Texts) {
    let mut lines: Vec<String> = Vec::new();
    if review.reconciled.source_changed {
        lines.push(t.source_changed.to_owned());
    }
    if !review.reconciled.stale.is_empty() {
        let cells: Vec<&str> = review.reconciled.stale.iter().map(|c| c.as_str()).collect();
        lines.push(format!("{} {}", t.stale, cells.join(", ")));
    }
    if !review.reconciled.changed_readings.is_empty() && !review.reconciled.source_changed {
        lines.push(t.changed_readings.to_owned());
    }
    if let Some(error) = &review.load_error {
        lines.push(format!("{}：{error}", t.record_unreadable));
    }
    if let Some(error) = &review.save_error {
        lines.push(format!("{}：{error}", t.save_failed));
    }
    if let Some(approval) = &review.record.approval {
        let auto = if approval.is_auto() {
            format!("（{}）", t.approved_auto)
        } else {
            String::new()
        };
        lines.push(format!(
            "{} {} {}{auto}",
            t.approved_by, approval.reviewer, approval.time
        ));
    }
    for line in lines {
        egui::Frame::new()
            .fill(theme::BANNER)
            .inner_margin(4.0)
            .show(ui, |ui| {
                ui.label(RichText::new(line).color(egui::Color32::BLACK));
            });
    }
}

impl eframe::App for NianbaoApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.state.settings);
    }
}

/// Report text as the window can draw it: a character no installed font has (OCR output such as
/// `₽`) becomes `□`, one character for one, so character positions still match the source.
#[must_use]
pub fn printable<'a>(ctx: &egui::Context, text: &'a str) -> std::borrow::Cow<'a, str> {
    let font = egui::FontId::proportional(14.0);
    ctx.fonts_mut(|fonts| {
        if text
            .chars()
            .all(|c| c.is_ascii() || fonts.has_glyph(&font, c))
        {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(
                text.chars()
                    .map(|c| {
                        if c.is_ascii() || c == '\n' || fonts.has_glyph(&font, c) {
                            c
                        } else {
                            '□'
                        }
                    })
                    .collect(),
            )
        }
    })
}

/// Where `cargo run` finds the bundled sample reports.
#[must_use]
pub fn samples_dir() -> PathBuf {
    let local = PathBuf::from("assets/samples");
    if local.is_dir() {
        local
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples"))
    }
}
