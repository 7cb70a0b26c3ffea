//! The review window: one file per panel (queue, source, tables, findings, cell) and per dialog
//! (open, questions, changes, keys), a theme and the bundled font. Panels only draw
//! [`AppState`] and push [`Command`]s, applied after the frame; typing goes to the state before
//! anything is drawn (`keys`).

pub mod browse;
pub mod cell;
pub mod changes;
pub mod dialogs;
pub mod findings;
pub mod fonts;
pub mod indicators;
pub mod keys;
pub mod overview;
pub mod queue;
pub mod source;
pub mod tables;
pub mod theme;
pub mod totals;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::app::browse::{Browser, Pick};
use crate::app::exports::Export;
use crate::app::i18n::Texts;
use crate::app::input::Action;
use crate::app::review::Review;
use crate::app::{AppState, Command, Page, Question, Settings};
use crate::lang::{Lang, Localized};

/// The key under which settings are kept in eframe's storage.
const SETTINGS_KEY: &str = "nianbao.settings";

/// The key under which eframe keeps the window's size and place between runs (eframe's own,
/// not public).
const EFRAME_WINDOW_KEY: &str = "window";

/// The narrowest the queue may be dragged.
const QUEUE_MIN_WIDTH: f32 = 160.0;
/// The narrowest the tables may be dragged: a label column and seven cells.
const REVIEW_MIN_WIDTH: f32 = 560.0;
/// The narrowest the source may become when the tables are widened.
const SOURCE_MIN_WIDTH: f32 = 320.0;

/// The review window.
pub struct NianbaoApp {
    /// Everything the window shows.
    pub state: AppState,
    source: source::Cache,
    note_drafts: BTreeMap<String, String>,
    browser: Option<Browser>,
    /// What the dialog is choosing a place for, when it is not a report to open.
    saving: Option<crate::app::exports::Export>,
    /// Whether the window was fitted to the screen yet (once per run, on the first frame that
    /// knows the screen's size).
    fitted: bool,
    /// Whether eframe kept no window size from an earlier run (the first run on this
    /// machine): the window then takes the whole screen.
    no_saved_size: bool,
    /// The overview's ranking and charted body.
    overview: overview::Choice,
}

impl NianbaoApp {
    /// A window with these settings, opening `open` if given. Without a reviewer's name, it asks
    /// for one first.
    #[must_use]
    pub fn new(settings: Settings, open: Option<&Path>) -> NianbaoApp {
        let mut state = AppState::new(settings);
        if let Some(path) = open {
            state.open(path);
        }
        if state.reviewer().is_none() {
            state.question = Some(Question::Reviewer);
        }
        NianbaoApp {
            state,
            source: source::Cache::default(),
            note_drafts: BTreeMap::new(),
            browser: None,
            saving: None,
            fitted: false,
            no_saved_size: false,
            overview: overview::Choice::default(),
        }
    }

    /// The source pane's view: how a scan is zoomed and where the selected cell was drawn.
    #[must_use]
    pub fn source_view(&self) -> &source::Cache {
        &self.source
    }

    /// The window as eframe starts it: the context prepared, settings restored.
    #[must_use]
    pub fn start(cc: &eframe::CreationContext<'_>, open: Option<&Path>) -> NianbaoApp {
        prepare(&cc.egui_ctx);
        let saved = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY));
        let mut app = NianbaoApp::new(saved.unwrap_or_default(), open);
        app.no_saved_size = cc
            .storage
            .and_then(|s| s.get_string(EFRAME_WINDOW_KEY))
            .is_none();
        app
    }

    /// Opens the window at the screen's size the first time, and whenever a saved size no
    /// longer fits the screen (a smaller monitor): never part of the tables off screen. This
    /// needs no window manager, unlike maximising.
    fn fit_to_screen(&mut self, ctx: &egui::Context) {
        if self.fitted {
            return;
        }
        let (monitor, outer) = ctx.input(|i| (i.viewport().monitor_size, i.viewport().outer_rect));
        let Some(monitor) = monitor.filter(|m| m.x > 0.0 && m.y > 0.0) else {
            return;
        };
        self.fitted = true;
        let too_big = outer.is_some_and(|r| r.width() > monitor.x || r.height() > monitor.y);
        if self.no_saved_size || too_big {
            ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(egui::pos2(0.0, 0.0)));
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(monitor));
        }
    }

    /// Whether the open dialog is showing.
    #[must_use]
    pub fn browsing(&self) -> bool {
        self.browser.is_some()
    }

    /// Draws one frame: typing first, in order; then the panels; then what they asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.fit_to_screen(&ctx);
        let mut commands = Vec::new();
        if self.state.queue.poll()
            || self.state.poll_loading()
            || self.state.poll_drawing()
            || self.state.poll_work()
        {
            ctx.request_repaint();
        }
        self.state.queue.refresh();
        // The rules across years need the whole folder read.
        if self.state.queue.is_loaded()
            && self
                .state
                .review
                .as_ref()
                .is_some_and(|r| !r.neighbours_known)
        {
            self.state.find_neighbours();
        }
        if !self.state.queue.is_loaded()
            || self.state.loading.is_some()
            || self.state.drawing.is_some()
            || self.state.working.is_some()
            || self.state.totals_loading.is_some()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.browser.is_none() && keys::dispatch(&ctx, &mut self.state, cell::note_id()) {
            ctx.request_repaint();
        }
        dropped_files(ui, &mut commands);
        let t = self.state.texts();

        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar(ui, &mut commands));
        egui::Panel::bottom("status")
            .exact_size(44.0)
            .show(ui, |ui| status(ui, &self.state, t));
        egui::Panel::left("queue")
            .resizable(true)
            .default_size(220.0)
            .size_range(QUEUE_MIN_WIDTH..=420.0)
            .show(ui, |ui| {
                let lang = self.state.settings.lang;
                queue::show(
                    ui,
                    &self.state.queue,
                    self.state.current,
                    lang,
                    &mut commands,
                );
            });
        let scroll = std::mem::take(&mut self.state.scroll_to_selection);
        let lang = self.state.settings.lang;
        match self.state.page {
            Page::Overview => {
                egui::CentralPanel::default().show(ui, |ui| {
                    overview::show(
                        ui,
                        &self.state.queue,
                        &mut self.overview,
                        lang,
                        &mut commands,
                    );
                });
            }
            Page::Totals => {
                egui::CentralPanel::default().show(ui, |ui| {
                    totals::show(ui, &self.state, lang, &mut commands);
                });
            }
            Page::Review => self.review_page(ui, scroll, &mut commands),
        }
        self.dialogs(&ctx, &mut commands);
        if !commands.is_empty() {
            ctx.request_repaint();
        }
        for command in commands {
            let switches_report = matches!(
                command,
                Command::SelectReport(_)
                    | Command::Open(_)
                    | Command::Run(
                        Action::NextReport | Action::PreviousReport | Action::NextToReview
                    )
            );
            self.state.apply(command);
            if switches_report {
                self.note_drafts.clear();
            }
        }
    }

    /// The report under review: its tables and findings beside its source.
    fn review_page(&mut self, ui: &mut Ui, scroll: bool, commands: &mut Vec<Command>) {
        if self.state.review.is_some() {
            let room = ui.available_width();
            let widest = (room - SOURCE_MIN_WIDTH).max(REVIEW_MIN_WIDTH);
            egui::Panel::right("review")
                .resizable(true)
                .default_size((room * 0.6).clamp(REVIEW_MIN_WIDTH, widest))
                .size_range(REVIEW_MIN_WIDTH..=widest)
                .show(ui, |ui| self.review_panel(ui, scroll, commands));
        }
        egui::CentralPanel::default().show(ui, |ui| self.central(ui, scroll, commands));
    }

    /// The main pane: the report's source (or, on Ctrl+D, the reviewer's changes to it), or why
    /// it could not be read.
    fn central(&mut self, ui: &mut Ui, scroll: bool, commands: &mut Vec<Command>) {
        let lang = self.state.settings.lang;
        let t = self.state.texts();
        if self.state.show_changes
            && let Some(review) = &self.state.review
        {
            ui.horizontal(|ui| {
                ui.strong(t.changes);
                if ui
                    .button(t.back_to_source)
                    .on_hover_text(Action::Changes.binding().text(lang))
                    .clicked()
                {
                    commands.push(Command::Run(Action::Changes));
                }
            });
            changes::show(ui, review, &self.state.settings);
        } else if let Some(review) = &self.state.review {
            ui.horizontal(|ui| {
                ui.strong(t.source);
                ui.label(
                    RichText::new(printable(ui.ctx(), &review.path.display().to_string())).weak(),
                );
            });
            let drawing = match (&self.state.drawing, &self.state.pages_refused) {
                (Some(_), _) => source::Drawing::UnderWay,
                (None, Some(e)) => source::Drawing::Refused(e),
                (None, None) => source::Drawing::Settled,
            };
            source::show(
                ui,
                review,
                self.state.selected,
                scroll,
                &mut self.source,
                drawing,
                lang,
                commands,
            );
        } else if let Some(error) = &self.state.refused {
            ui.heading(RichText::new(t.cannot_read).color(theme::ERROR_TEXT));
            ui.label(printable(ui.ctx(), &error.text(lang)));
        } else if self.state.loading.is_some() {
            ui.label(t.reading_scan);
        } else {
            ui.label(t.nothing_open);
        }
    }

    /// The dialogs that are open: keys, a question, the open dialog.
    fn dialogs(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let lang = self.state.settings.lang;
        if self.state.show_help {
            dialogs::help(ctx, lang, &mut self.state.show_help);
        }
        if let Some(question) = &self.state.question {
            dialogs::question(ctx, question, &mut self.state.settings, commands);
        }
        if let Some(what) = self.state.save_as.take() {
            let f = crate::app::i18n::folder_texts(lang);
            let dir = self
                .state
                .queue
                .root
                .clone()
                .unwrap_or_else(|| PathBuf::from("."));
            let title = match what {
                Export::Records => f.export_records,
                Export::Problems => f.export_problems,
                Export::Totals(_) => f.export_totals,
                Export::Letters => f.export_letters,
            }
            .trim_end_matches('…');
            let mut browser = if what.to_folder() {
                // Letters are .docx files, which the reader takes: they are offered a place
                // beside the reports' folder, not in it, so that they are not read as reports.
                Browser::new(Pick::Folder, dir.parent().unwrap_or(&dir))
            } else {
                Browser::save(&dir, what.default_name(), title)
            };
            browser.title = Some(title.to_owned());
            self.browser = Some(browser);
            self.saving = Some(what);
        }
        if let Some(browser) = &mut self.browser {
            match browse::show(ctx, browser, lang) {
                browse::Outcome::Open(path) => {
                    commands.push(match self.saving.take() {
                        Some(what) => Command::ExportTo(what, path),
                        None => Command::Open(path),
                    });
                    self.browser = None;
                }
                browse::Outcome::Cancel => {
                    self.browser = None;
                    self.saving = None;
                }
                browse::Outcome::Stay => {}
            }
        }
    }

    fn toolbar(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let lang = self.state.settings.lang;
        let t = self.state.texts();
        ui.horizontal_wrapped(|ui| {
            ui.strong(t.app_title);
            let f = crate::app::i18n::folder_texts(lang);
            for (page, name, action) in [
                (Page::Review, f.page_review, Action::ShowReview),
                (Page::Overview, f.page_overview, Action::ShowOverview),
                (Page::Totals, f.page_totals, Action::ShowTotals),
            ] {
                if ui
                    .add(egui::Button::selectable(self.state.page == page, name))
                    .on_hover_text(action.binding().text(lang))
                    .clicked()
                {
                    out.push(Command::ShowPage(page));
                }
            }
            ui.separator();
            let start = self
                .state
                .queue
                .root
                .clone()
                .or_else(|| self.state.settings.recent.first().cloned())
                .map(|p| {
                    if p.is_dir() {
                        p
                    } else {
                        p.parent().map(Path::to_path_buf).unwrap_or(p)
                    }
                })
                .or_else(|| crate::app::browse::places().into_iter().next())
                .unwrap_or_else(|| PathBuf::from("."));
            if ui.button(t.open_file).clicked() {
                self.browser = Some(Browser::new(Pick::File, &start));
            }
            if ui.button(t.open_folder).clicked() {
                self.browser = Some(Browser::new(Pick::Folder, &start));
            }
            export_menu(ui, lang, out);
            ui.menu_button(t.recent, |ui| {
                for path in self.state.settings.recent.clone() {
                    if ui
                        .button(printable(ui.ctx(), &path.display().to_string()))
                        .clicked()
                    {
                        out.push(Command::Open(path));
                        ui.close();
                    }
                }
            });
            ui.separator();
            let review = self.state.review.as_ref();
            action_button(
                ui,
                Action::Undo,
                lang,
                review.is_some_and(Review::can_undo),
                out,
            );
            action_button(
                ui,
                Action::Redo,
                lang,
                review.is_some_and(Review::can_redo),
                out,
            );
            if review.is_some_and(Review::is_approved) {
                action_button(ui, Action::Reopen, lang, true, out);
            } else {
                action_button(ui, Action::Approve, lang, review.is_some(), out);
            }
            let binding = Action::Changes.binding();
            ui.toggle_value(&mut self.state.show_changes, Action::Changes.button(lang))
                .on_hover_text(binding.text(lang));
            action_button(ui, Action::Help, lang, true, out);
            ui.separator();
            let label = ui.label(t.reviewer);
            let name = ui
                .add(
                    egui::TextEdit::singleline(&mut self.state.settings.reviewer)
                        .desired_width(80.0),
                )
                .labelled_by(label.id);
            if self.state.reviewer().is_none() {
                name.highlight();
            }
            if ui
                .button(lang.other().pick("中文", "English"))
                .on_hover_text(t.language)
                .clicked()
            {
                out.push(Command::SetLang(lang.other()));
            }
        });
    }

    fn review_panel(&mut self, ui: &mut Ui, scroll: bool, out: &mut Vec<Command>) {
        let lang = self.state.settings.lang;
        let t = self.state.texts();
        let Some(review) = &self.state.review else {
            return;
        };
        state_line(ui, review, &self.state.settings, t);
        banners(ui, review, lang, t);
        egui::Panel::bottom("findings")
            .resizable(true)
            .default_size(220.0)
            .min_size(120.0)
            .show(ui, |ui| {
                indicators::show(ui, review, lang, out);
                findings::show(ui, review, lang, &mut self.note_drafts, out);
            });
        egui::Panel::top("cell")
            .exact_size(cell::HEIGHT)
            .show(ui, |ui| {
                if let Some(cell) = self.state.selected {
                    let crop = self.source.cell_crop(review, cell);
                    cell::show(ui, review, cell, crop, self.state.edit.as_mut(), lang, out);
                }
            });
        egui::ScrollArea::both()
            .id_salt("tables")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let view = tables::View {
                    review,
                    selected: self.state.selected,
                    scroll,
                    lang,
                    focused: &self.state.focused_finding,
                };
                tables::show(ui, &view, out);
            });
    }
}

/// The office's exports and straight-through approval, each asking first (where to write, or
/// how many reports).
fn export_menu(ui: &mut Ui, lang: Lang, out: &mut Vec<Command>) {
    let f = crate::app::i18n::folder_texts(lang);
    ui.menu_button(f.export, |ui| {
        for (what, name) in [
            (Export::Records, f.export_records),
            (Export::Problems, f.export_problems),
            (Export::Totals(None), f.export_totals),
            (Export::Letters, f.export_letters),
        ] {
            if ui.button(name).clicked() {
                out.push(Command::SaveAs(what));
                ui.close();
            }
        }
        ui.separator();
        if ui.button(f.approve_clean).clicked() {
            out.push(Command::AskApproveClean);
            ui.close();
        }
    });
}

/// A button for an action of the keyboard table: its words and key from the table, its
/// description on hover.
pub fn action_button(
    ui: &mut Ui,
    action: Action,
    lang: Lang,
    enabled: bool,
    out: &mut Vec<Command>,
) -> egui::Response {
    let binding = action.binding();
    let response = ui
        .add_enabled(enabled, egui::Button::new(action.button(lang)))
        .on_hover_text(binding.text(lang));
    if response.clicked() {
        out.push(Command::Run(action));
    }
    response
}

/// The bottom lines: the last message (or nothing, in the same space); the colours' meaning
/// and the main keys.
fn status(ui: &mut Ui, state: &AppState, t: &Texts) {
    // A scan read by OCR takes seconds a page: say how far it has got, and look again soon.
    let progress = state.reading().map(|(name, pages)| {
        format!(
            "{} {name}：{}",
            t.reading_scan,
            (t.pages_done)(pages.done, pages.of)
        )
    });
    if progress.is_some() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(250));
    }
    let (text, color) = match (&progress, &state.message) {
        (Some(p), _) => (p.as_str(), theme::INK),
        (None, Some(m)) if m.is_error => (m.text.as_str(), theme::ERROR_TEXT),
        (None, Some(m)) => (m.text.as_str(), theme::OK_TEXT),
        (None, None) => (" ", theme::INK),
    };
    ui.add(egui::Label::new(RichText::new(printable(ui.ctx(), text)).color(color)).truncate());
    ui.horizontal(|ui| {
        for (text, color) in [
            (t.legend_low, theme::LOW_CONFIDENCE),
            (t.legend_failed, theme::CHECK_FAILED),
            (t.legend_corrected, theme::CORRECTED),
            (t.legend_confirmed, theme::CONFIRMED),
        ] {
            ui.label(
                RichText::new(text)
                    .small()
                    .background_color(color)
                    .color(theme::INK),
            );
        }
        ui.add(egui::Label::new(RichText::new(t.key_help).small().weak()).truncate());
    });
}

/// Where the record stands, always on one line in the same place: approved by whom and when,
/// or still in review.
fn state_line(ui: &mut Ui, review: &Review, settings: &Settings, t: &Texts) {
    let offset = settings.utc_offset_minutes;
    let (text, fill) = match &review.record.approval {
        Some(approval) => {
            let auto = if approval.is_auto() {
                format!("（{}）", t.approved_auto)
            } else {
                String::new()
            };
            (
                format!(
                    "{} {} · {} ({}){auto} · {}",
                    t.approved_by,
                    approval.reviewer,
                    approval.time.local(offset),
                    crate::time::zone_name(offset),
                    t.read_only
                ),
                theme::CONFIRMED,
            )
        }
        None => (t.state_draft.to_owned(), theme::BANNER),
    };
    egui::Frame::new()
        .fill(fill)
        .inner_margin(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(egui::Label::new(RichText::new(text).color(theme::INK)).truncate());
        });
}

/// What the reviewer must know about this record before anything else.
fn banners(ui: &mut Ui, review: &Review, lang: Lang, t: &Texts) {
    let mut lines: Vec<String> = Vec::new();
    if review.reconciled.source_changed {
        lines.push(t.source_changed.to_owned());
    }
    if !review.reconciled.stale.is_empty() {
        let cells: Vec<String> = review
            .reconciled
            .stale
            .iter()
            .map(|c| c.label(lang))
            .collect();
        lines.push(format!("{} {}", t.stale, cells.join(t.list_separator)));
    }
    if !review.reconciled.changed_readings.is_empty() && !review.reconciled.source_changed {
        lines.push(t.changed_readings.to_owned());
    }
    if review.reconciled.seal_broken {
        lines.push(t.seal_broken.to_owned());
    }
    if review.record.seal() == crate::record::Seal::Missing {
        lines.push(t.seal_missing.to_owned());
    }
    if let Some(error) = &review.load_error {
        lines.push(format!("{}：{}", t.record_unreadable, error.text(lang)));
    }
    if let Some(error) = &review.save_error {
        lines.push(format!("{}：{}", t.save_failed, error.text(lang)));
    }
    for line in lines {
        egui::Frame::new()
            .fill(theme::BANNER)
            .inner_margin(4.0)
            .show(ui, |ui| {
                ui.label(RichText::new(printable(ui.ctx(), &line)).color(theme::INK));
            });
    }
}

/// Files dropped onto the window open like any other.
fn dropped_files(ui: &Ui, out: &mut Vec<Command>) {
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if let Some(path) = dropped.into_iter().next() {
        out.push(Command::Open(path));
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

/// Prepares a context for the window: the bundled Chinese font, light colours, and Ctrl+plus /
/// Ctrl+minus left to the scan view's zoom instead of scaling the whole window.
pub fn prepare(ctx: &egui::Context) {
    fonts::install(ctx);
    ctx.set_visuals(egui::Visuals::light());
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
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
