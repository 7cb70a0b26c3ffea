//! The review window's state and what can be done to it, without any drawing: the queue, the
//! report under review, the selected cell, the edit in progress, the question being asked,
//! messages. Keys arrive as [`Input`]s and are carried out one by one, in the order they were
//! typed ([`AppState::input`]); widgets push [`Command`]s, which [`AppState::apply`] carries out
//! after the frame. Both end in the same few methods.

pub mod browse;
pub mod exports;
pub mod i18n;
pub mod input;
pub mod overview;
pub mod queue;
pub mod review;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Localized};
use crate::model::Value;
use crate::read::ReadError;
use crate::read::cell::parse_input;
use crate::record::{Action as RecordAction, ChangeKind, Doubt, Refused};
use crate::template::{CellId, TableId};
use i18n::{Texts, texts};
use input::{Action, Chord, Input, Key};
use queue::Queue;
use review::{ApproveOutcome, Review};

/// Settings kept between runs (in eframe's storage, never in records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The interface language.
    pub lang: Lang,
    /// The reviewer's name, written into the audit trail. Required before any change.
    pub reviewer: String,
    /// Recently opened folders and files, newest first.
    pub recent: Vec<PathBuf>,
    /// The time zone times are shown in, minutes east of UTC (records keep UTC).
    pub utc_offset_minutes: i32,
    /// Where the reviewer stopped in each folder opened: the report and its selected cell, so
    /// that reopening the folder returns there. Newest first.
    pub resume: Vec<Place>,
}

/// Where a reviewer stopped in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The folder (or file) opened.
    pub root: PathBuf,
    /// The report under review.
    pub report: PathBuf,
    /// The selected cell's id, if one was selected.
    pub cell: Option<String>,
}

/// How many folders' places are remembered.
const MAX_PLACES: usize = 32;

/// What the window shows beside the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    /// The report under review: its source, tables and findings.
    #[default]
    Review,
    /// The folder at a glance: counts, charts, bodies ranked by their indicators.
    Overview,
    /// The region's totals (汇总) from the approved records.
    Totals,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: Lang::Zh,
            reviewer: String::new(),
            recent: Vec::new(),
            utc_offset_minutes: crate::time::CHINA_STANDARD_TIME,
            resume: Vec::new(),
        }
    }
}

/// How many recent paths are remembered.
const MAX_RECENT: usize = 8;

/// A cell being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The cell.
    pub cell: CellId,
    /// The text typed so far.
    pub text: String,
    /// Why the last commit was refused.
    pub error: Option<String>,
    /// The reviewer's note.
    pub note: String,
}

/// A message for the reviewer at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The text.
    pub text: String,
    /// Whether it reports a problem.
    pub is_error: bool,
}

/// A question the window asks before doing something that is hard to take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Withdraw the approval of the report under review?
    Reopen,
    /// Approve although the report gives these reasons for doubt?
    ApproveDespite(Vec<Doubt>),
    /// Who is reviewing? Asked before the first change when no name is set.
    Reviewer,
    /// Approve these many clean reports under the reviewer's name?
    ApproveClean(usize),
}

/// Which way the selection moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// The next cell in printed order.
    Next,
    /// The previous cell in printed order.
    Previous,
    /// The same column of the row above.
    Up,
    /// The same column of the row below.
    Down,
}

/// What a widget asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a report file or a folder of reports.
    Open(PathBuf),
    /// Review the report at this place in the queue.
    SelectReport(usize),
    /// Select a cell.
    SelectCell(CellId),
    /// Select the cells of a finding: the first one, with all of them outlined.
    SelectFinding(Vec<CellId>),
    /// Select the cell read from this byte of the source text.
    SelectAtSource(usize),
    /// Start editing the selected cell with this text.
    StartEdit(String),
    /// Give a cell the value a failed rule suggests for it.
    AcceptSuggestion {
        /// The cell.
        cell: CellId,
        /// The value suggested.
        value: Value,
        /// Why it changes.
        kind: ChangeKind,
    },
    /// Fill every blank cell of a table with 0.
    FillBlanks(TableId),
    /// Set the note on a finding (by key).
    SetNote {
        /// The finding's key.
        finding: String,
        /// The note.
        note: String,
    },
    /// Set the reviewer's name (ignored when blank).
    SetReviewer(String),
    /// Change the interface language.
    SetLang(Lang),
    /// An action of the keyboard table, from its button.
    Run(Action),
    /// The answer to the question being asked: yes or no.
    Answer(bool),
    /// Show a message.
    Say(Message),
    /// Show the queue this way.
    SetView(queue::View),
    /// Show this beside the queue.
    ShowPage(Page),
    /// Show the totals of this year.
    TotalsOf(u16),
    /// Write this export to this path.
    ExportTo(exports::Export, PathBuf),
    /// Ask before approving every clean report under the reviewer's name.
    AskApproveClean,
    /// Ask where to write this export (the window's save dialog).
    SaveAs(exports::Export),
}

/// The whole state of the window.
#[derive(Debug, Default)]
pub struct AppState {
    /// What persists between runs.
    pub settings: Settings,
    /// The reports of what was opened.
    pub queue: Queue,
    /// The place in the queue of the report under review.
    pub current: Option<usize>,
    /// The report under review.
    pub review: Option<Review>,
    /// Why the report at `current` could not be opened, shown in its place.
    pub refused: Option<ReadError>,
    /// The selected cell.
    pub selected: Option<CellId>,
    /// The edit in progress.
    pub edit: Option<Edit>,
    /// The question being asked, if any; nothing else happens until it is answered.
    pub question: Option<Question>,
    /// The last message.
    pub message: Option<Message>,
    /// Whether the list of keys is shown.
    pub show_help: bool,
    /// Whether the reviewer's changes are shown.
    pub show_changes: bool,
    /// Set when the selection moved, so the views scroll to it once.
    pub scroll_to_selection: bool,
    /// The cells of the finding last clicked, outlined in the tables.
    pub focused_finding: Vec<CellId>,
    /// A report being read on a thread (a scan under OCR).
    pub loading: Option<std::sync::mpsc::Receiver<Result<Review, ReadError>>>,
    /// The pages of the PDF under review being drawn on a thread, to show beside the tables.
    pub drawing: Option<std::sync::mpsc::Receiver<Drawn>>,
    /// Why the pages of the PDF under review could not be drawn (its text is shown instead).
    pub pages_refused: Option<crate::read::ocr::OcrError>,
    /// What is shown beside the queue.
    pub page: Page,
    /// The region's totals on the totals page, once made.
    pub totals: Option<TotalsShown>,
    /// The totals being made on a thread (every approval's source is hashed first).
    pub totals_loading: Option<std::sync::mpsc::Receiver<TotalsShown>>,
    /// An export waiting for the reviewer to say where to write it (the window shows its save
    /// dialog).
    pub save_as: Option<exports::Export>,
    /// An export or straight-through approval running on a thread: its message when done, and
    /// whether the records changed (the queue is then read again).
    pub working: Option<std::sync::mpsc::Receiver<(Message, bool)>>,
    /// The cell to select once the report being read arrives (where the reviewer stopped).
    resume_cell: Option<CellId>,
}

/// The totals page's content: the years and layouts that can be totalled, and the totals of the
/// one asked for (or why there are none).
#[derive(Debug, Clone)]
pub struct TotalsShown {
    /// The year asked for (`None`: the latest).
    pub year: Option<u16>,
    /// Each year and layout with approved reports, and how many.
    pub choices: Vec<crate::totals::Choice>,
    /// The totals, none when nothing is approved, or why they could not be made.
    pub totals: Result<Option<crate::totals::Totals>, String>,
}

/// What a thread sent on `waiting`, if it has: then, or when the thread is gone, nothing is
/// waited for any more.
fn arrived<T>(waiting: &mut Option<std::sync::mpsc::Receiver<T>>) -> Option<T> {
    match waiting.as_ref()?.try_recv() {
        Ok(value) => {
            *waiting = None;
            Some(value)
        }
        Err(std::sync::mpsc::TryRecvError::Empty) => None,
        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
            *waiting = None;
            None
        }
    }
}

/// A PDF's pages drawn for the reviewer, or why they could not be: for the report at this path.
type Drawn = (
    PathBuf,
    Result<Vec<Option<image::DynamicImage>>, crate::read::ocr::OcrError>,
);

impl AppState {
    /// A state with these settings and nothing open.
    #[must_use]
    pub fn new(settings: Settings) -> AppState {
        AppState {
            settings,
            ..AppState::default()
        }
    }

    /// The words of the interface language.
    #[must_use]
    pub fn texts(&self) -> &'static Texts {
        texts(self.settings.lang)
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.message = Some(Message {
            text: text.into(),
            is_error,
        });
    }

    /// The reviewer's name, if one is set.
    #[must_use]
    pub fn reviewer(&self) -> Option<String> {
        let name = self.settings.reviewer.trim();
        (!name.is_empty()).then(|| name.to_owned())
    }

    /// Opens a file or folder: fills the queue and reviews its first report.
    pub fn open(&mut self, path: &Path) {
        match Queue::open(path) {
            Ok(queue) => {
                self.queue = queue;
                self.settings.recent.retain(|p| p != path);
                self.settings.recent.insert(0, path.to_path_buf());
                self.settings.recent.truncate(MAX_RECENT);
                self.review = None;
                self.current = None;
                self.refused = None;
                if self.queue.entries.is_empty() {
                    let t = self.texts();
                    self.say(format!("{}: {}", path.display(), t.no_reports), true);
                } else {
                    self.resume(path);
                }
                if let Some(first) = self.queue.skipped.first() {
                    let lang = self.settings.lang;
                    let t = self.texts();
                    let text = format!(
                        "{} {}：{}",
                        t.skipped,
                        self.queue.skipped.len(),
                        first.text(lang)
                    );
                    self.say(text, true);
                }
            }
            Err(e) => {
                let text = e.text(self.settings.lang);
                self.say(text, true);
            }
        }
    }

    /// Reviews the report, and selects the cell, where the reviewer stopped in this folder last
    /// time; else the first report.
    fn resume(&mut self, root: &Path) {
        let place = self
            .settings
            .resume
            .iter()
            .find(|p| p.root == root)
            .cloned();
        let index = place
            .as_ref()
            .and_then(|p| self.queue.entries.iter().position(|e| e.path == p.report));
        self.resume_cell = place
            .filter(|_| index.is_some())
            .and_then(|p| p.cell)
            .and_then(|c| CellId::parse(&c));
        self.select_report(index.unwrap_or(0));
    }

    /// Remembers where the reviewer is: the report under review and the selected cell.
    fn remember_place(&mut self) {
        let (Some(root), Some(index)) = (self.queue.root.clone(), self.current) else {
            return;
        };
        let Some(entry) = self.queue.entries.get(index) else {
            return;
        };
        let place = Place {
            root,
            report: entry.path.clone(),
            cell: self.selected.map(|c| c.as_str().to_owned()),
        };
        self.settings.resume.retain(|p| p.root != place.root);
        self.settings.resume.insert(0, place);
        self.settings.resume.truncate(MAX_PLACES);
    }

    fn select_report(&mut self, index: usize) {
        let Some(entry) = self.queue.entries.get(index) else {
            return;
        };
        let path = entry.path.clone();
        self.edit = None;
        self.question = None;
        self.message = None;
        self.refused = None;
        self.focused_finding.clear();
        self.current = Some(index);
        self.review = None;
        let reviewer = self.reviewer().unwrap_or_default();
        if matches!(
            crate::read::format_of(&path),
            Some(crate::model::Format::Image | crate::model::Format::Pdf)
        ) {
            // A scan (an image, or a PDF without text) takes seconds of OCR: read it on a thread
            // so the window keeps drawing.
            let (sender, receiver) = std::sync::mpsc::channel();
            let (the_path, the_reviewer) = (path.clone(), reviewer.clone());
            let read = move || {
                let _ = sender.send(Review::open(&the_path, &the_reviewer));
            };
            if crate::work::spawn("scan reader", read).is_ok() {
                self.loading = Some(receiver);
            } else {
                // No thread to spare: read it here, the window waits.
                self.loading = None;
                self.opened(Review::open(&path, &reviewer));
            }
        } else {
            self.loading = None;
            self.opened(Review::open(&path, &reviewer));
        }
    }

    fn opened(&mut self, review: Result<Review, ReadError>) {
        self.drawing = None;
        self.pages_refused = None;
        match review {
            Ok(review) => {
                if review.wants_drawn_pages() {
                    self.draw_pages(&review.path);
                }
                let resumed = self
                    .resume_cell
                    .take()
                    .filter(|c| review.report.cells.contains_key(c));
                self.selected = resumed
                    .or_else(|| review.next_attention(None))
                    .or_else(|| review.report.cells.keys().next().copied());
                self.review = Some(review);
                self.find_neighbours();
                self.scroll_to_selection = true;
                self.remember_place();
            }
            Err(e) => {
                self.review = None;
                self.refused = Some(e);
            }
        }
    }

    /// Makes the totals of `year` (the latest when `None`) of the opened folder on a thread.
    fn make_totals(&mut self, year: Option<u16>) {
        let Some(root) = self.queue.root.clone().filter(|r| r.is_dir()) else {
            self.totals = None;
            return;
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let lang = self.settings.lang;
        let make = move || {
            let shown = match crate::totals::survey(&root, year) {
                Ok((choices, totals)) => TotalsShown {
                    year,
                    choices,
                    totals: Ok(totals),
                },
                Err(e) => TotalsShown {
                    year,
                    choices: Vec::new(),
                    totals: Err(e.text(lang)),
                },
            };
            let _ = sender.send(shown);
        };
        if crate::work::spawn("totals", make).is_ok() {
            self.totals_loading = Some(receiver);
        }
    }

    /// How many reports of the queue approving straight through would approve: read, no record
    /// yet, nothing to look at, no finding that asks a person.
    #[must_use]
    pub fn clean_reports(&self) -> usize {
        self.queue
            .entries
            .iter()
            .filter(|e| match &e.status {
                queue::Status::Open {
                    started: false,
                    to_look_at: 0,
                    ..
                } => e.rules.iter().all(|r| !r.asks_a_person()),
                _ => false,
            })
            .count()
    }

    /// Writes an export on a thread; its message shows when it is done.
    fn export(&mut self, what: exports::Export, to: PathBuf) {
        let Some(root) = self.queue.root.clone().filter(|r| r.is_dir()) else {
            let f = i18n::folder_texts(self.settings.lang);
            self.say(f.nothing_open, true);
            return;
        };
        let (lang, zone) = (self.settings.lang, self.settings.utc_offset_minutes);
        self.work(move || (exports::write(what, &root, &to, lang, zone), false));
    }

    /// Approves the clean reports under the reviewer's name on a thread; the queue is read again
    /// when it is done.
    fn approve_clean(&mut self) {
        let (Some(root), Some(reviewer)) = (self.queue.root.clone(), self.reviewer()) else {
            return;
        };
        let lang = self.settings.lang;
        self.work(move || (exports::approve_clean(&root, &reviewer, lang), true));
    }

    fn work(&mut self, job: impl FnOnce() -> (Message, bool) + Send + 'static) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let run = move || {
            let _ = sender.send(job());
        };
        if crate::work::spawn("export", run).is_ok() {
            let f = i18n::folder_texts(self.settings.lang);
            self.say(f.exporting, false);
            self.working = Some(receiver);
        }
    }

    /// Takes in the totals and the end of an export, if they are ready; true if anything
    /// arrived.
    pub fn poll_work(&mut self) -> bool {
        let mut arrived_any = false;
        if let Some(totals) = arrived(&mut self.totals_loading) {
            self.totals = Some(totals);
            arrived_any = true;
        }
        if let Some(done) = arrived(&mut self.working) {
            self.finish_work(done);
            arrived_any = true;
        }
        arrived_any
    }

    /// Shows what a job on the export thread said; reads the queue again where it changed the
    /// records, keeping the view and the report under review.
    fn finish_work(&mut self, (message, changed): (Message, bool)) {
        self.message = Some(message);
        if changed && let Some(root) = self.queue.root.clone() {
            let view = self.queue.view.clone();
            if let Ok(queue) = Queue::open(&root) {
                self.queue = queue;
                self.queue.set_view(view);
            }
        }
    }

    /// Waits for the totals and an export running on threads (for tests).
    pub fn wait_work(&mut self) {
        if let Some(receiver) = self.totals_loading.take()
            && let Ok(totals) = receiver.recv()
        {
            self.totals = Some(totals);
        }
        if let Some(receiver) = self.working.take()
            && let Ok(done) = receiver.recv()
        {
            self.finish_work(done);
        }
    }

    /// Gives the report under review its neighbours in the folder, for the rules across years:
    /// last year's report of the same body (read, with its record's values), and whether its
    /// next year's report is missing. Looked for again once the whole folder is read.
    pub fn find_neighbours(&mut self) {
        let loaded = self.queue.is_loaded();
        let Some(review) = &mut self.review else {
            return;
        };
        let (Some(current), Some(body), Some(year)) = (
            self.current,
            review.report.meta.organization.clone(),
            review.report.meta.year,
        ) else {
            // A report without a body or a year has no neighbours: nothing to look for again.
            review.neighbours_known = true;
            return;
        };
        let earlier = self
            .queue
            .entries
            .iter()
            .find(|e| e.organization.as_ref() == Some(&body) && e.year == year.checked_sub(1))
            .and_then(|e| {
                let report = crate::read::read_file(&e.path).ok()?;
                let values = match crate::store::load_for(&e.path) {
                    Ok(Some(record)) => record.current_report(&report),
                    _ => report,
                };
                Some((e.path.clone(), values))
            });
        // The queue tells each entry MISSING-REPORT from the whole folder, once it is read.
        let next_missing = self
            .queue
            .entries
            .get(current)
            .is_some_and(|e| e.rules.contains(&crate::rules::RuleId::MissingReport));
        if let Some(review) = &mut self.review {
            review.set_neighbours(earlier, next_missing);
            review.neighbours_known = loaded;
        }
        if let Some(review) = &self.review {
            self.queue
                .add_rules(current, review.across_years.iter().map(|f| f.rule));
        }
    }

    /// Takes in a report read on a thread, if it is ready; true if it arrived.
    pub fn poll_loading(&mut self) -> bool {
        let Some(review) = arrived(&mut self.loading) else {
            return false;
        };
        self.opened(review);
        true
    }

    /// Draws the pages of a PDF with a text layer on a thread, for the source pane: the tables
    /// and the text are shown at once, the pages when they are drawn (seconds).
    fn draw_pages(&mut self, path: &Path) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        let draw = move || {
            let pages = std::fs::read(&path)
                .map_err(|e| crate::read::ocr::OcrError::Failed(e.to_string()))
                .and_then(|bytes| crate::read::ocr::draw_pages(&bytes))
                .map(|drawn| {
                    drawn
                        .iter()
                        .map(|page| image::load_from_memory(page).ok())
                        .collect()
                });
            let _ = sender.send((path, pages));
        };
        if crate::work::spawn("page drawer", draw).is_ok() {
            self.drawing = Some(receiver);
        }
    }

    /// Takes in the drawn pages of the PDF under review, if they are ready; true if they
    /// arrived.
    pub fn poll_drawing(&mut self) -> bool {
        let Some(drawn) = arrived(&mut self.drawing) else {
            return false;
        };
        self.drawn(drawn);
        true
    }

    fn drawn(&mut self, (path, pages): Drawn) {
        let Some(review) = self.review.as_mut().filter(|r| r.path == path) else {
            return;
        };
        match pages {
            Ok(pages) => review.show_drawn_pages(pages, crate::read::ocr::SHOWN_DPI),
            Err(e) => self.pages_refused = Some(e),
        }
    }

    /// The slow reading under way of a report in the queue, if any (a scan's pages through
    /// OCR): its file's name and how many pages are done, for the status line. (The table of
    /// readings is the process's: a reading this window did not ask for is not its to show.)
    #[must_use]
    pub fn reading(&self) -> Option<(String, crate::read::progress::Pages)> {
        let (path, pages) = crate::read::progress::under_way()
            .into_iter()
            .find(|(path, _)| {
                let path = Path::new(path);
                self.queue.entries.iter().any(|e| e.path == path)
            })?;
        let name = Path::new(&path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        Some((name, pages))
    }

    /// Waits for a report being read on a thread (for tests).
    pub fn wait_loading(&mut self) {
        if let Some(receiver) = self.loading.take()
            && let Ok(review) = receiver.recv()
        {
            self.opened(review);
        }
    }

    /// Waits for the pages of the PDF under review being drawn on a thread (for tests).
    pub fn wait_drawing(&mut self) {
        if let Some(receiver) = self.drawing.take()
            && let Ok(drawn) = receiver.recv()
        {
            self.drawn(drawn);
        }
    }

    /// Reviews the next (or previous) report of the queue as shown, if there is one.
    fn step_report(&mut self, forward: bool) {
        self.queue.refresh();
        if let Some(next) = self.queue.step(self.current, forward)
            && Some(next) != self.current
        {
            self.select_report(next);
        }
    }

    fn select(&mut self, cell: CellId) {
        self.selected = Some(cell);
        self.scroll_to_selection = true;
        self.remember_place();
    }

    /// Takes one thing the reviewer typed; returns whether it meant something here (the window
    /// then keeps it from its widgets). Keys are taken one at a time, in the order they were
    /// typed, whatever the frame rate: `1`, `1`, Enter, `2`, `2`, Enter puts 11 in one cell and
    /// 22 in the next.
    pub fn input(&mut self, input: Input) -> bool {
        if let Some(question) = &self.question {
            let answer = match input {
                Input::Key(chord) if chord == Chord::plain(Key::Enter) => Some(true),
                Input::Key(chord) if chord == Chord::plain(Key::Escape) => Some(false),
                _ => None,
            };
            // The name is typed into the question's own field.
            if *question == Question::Reviewer && answer.is_none() {
                return false;
            }
            if let Some(answer) = answer {
                self.answer(answer);
            }
            return true;
        }
        if self.show_help
            && matches!(&input, Input::Key(chord) if *chord == Chord::plain(Key::Escape))
        {
            self.show_help = false;
            return true;
        }
        match input {
            Input::Text(text) => {
                if let Some(edit) = &mut self.edit {
                    edit.text.push_str(&text);
                    edit.error = None;
                    return true;
                }
                let number = !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.'));
                if number && self.review.is_some() {
                    self.start_edit(text);
                    return true;
                }
                false
            }
            Input::Key(chord) => {
                if let Some(edit) = &mut self.edit
                    && chord == Chord::plain(Key::Backspace)
                {
                    edit.text.pop();
                    edit.error = None;
                    return true;
                }
                match Action::for_chord(chord, self.edit.is_some()) {
                    Some(action) => {
                        self.run(action);
                        true
                    }
                    // While editing, a key that means nothing is still the edit's.
                    None => self.edit.is_some(),
                }
            }
        }
    }

    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Open(path) => self.open(&path),
            Command::SelectReport(index) => {
                self.page = Page::Review;
                self.select_report(index);
            }
            Command::SelectCell(cell) => {
                self.edit = None;
                self.select(cell);
            }
            Command::SelectFinding(cells) => {
                if let Some(&first) = cells.first() {
                    self.edit = None;
                    self.select(first);
                }
                self.focused_finding = cells;
            }
            Command::SelectAtSource(byte) => {
                let Some(review) = &self.review else { return };
                let hit = review.report.cells.iter().find(|(_, c)| {
                    c.span
                        .as_ref()
                        .is_some_and(|s| s.start <= byte && byte < s.end.max(s.start + 1))
                });
                if let Some((&cell, _)) = hit {
                    self.edit = None;
                    self.select(cell);
                }
            }
            Command::StartEdit(text) => self.start_edit(text),
            Command::AcceptSuggestion { cell, value, kind } => {
                self.accept_suggestion(cell, value, kind);
            }
            Command::FillBlanks(table) => {
                self.change(|review, who| {
                    review
                        .act(RecordAction::FillBlanks(table), who)
                        .map(|()| true)
                });
            }
            Command::SetNote { finding, note } => {
                self.change(|review, who| {
                    review
                        .act(RecordAction::Note { finding, note }, who)
                        .map(|()| true)
                });
            }
            Command::SetReviewer(name) => {
                if !name.trim().is_empty() {
                    name.trim().clone_into(&mut self.settings.reviewer);
                }
            }
            Command::SetLang(lang) => self.settings.lang = lang,
            Command::Run(action) => self.run(action),
            Command::Answer(yes) => self.answer(yes),
            Command::Say(message) => self.message = Some(message),
            Command::SetView(view) => self.queue.set_view(view),
            Command::ShowPage(page) => {
                self.page = page;
                if page == Page::Totals {
                    self.make_totals(self.totals.as_ref().and_then(|t| t.year));
                }
            }
            Command::TotalsOf(year) => self.make_totals(Some(year)),
            Command::ExportTo(what, path) => self.export(what, path),
            Command::SaveAs(what) => {
                if self.queue.root.as_ref().is_some_and(|r| r.is_dir()) {
                    self.save_as = Some(what);
                } else {
                    let f = i18n::folder_texts(self.settings.lang);
                    self.say(f.nothing_open, true);
                }
            }
            Command::AskApproveClean => {
                let clean = self.clean_reports();
                if self.queue.root.is_none() {
                    let f = i18n::folder_texts(self.settings.lang);
                    self.say(f.nothing_open, true);
                } else if self.reviewer().is_none() {
                    self.question = Some(Question::Reviewer);
                } else if clean == 0 {
                    let f = i18n::folder_texts(self.settings.lang);
                    self.say(f.none_clean, false);
                } else {
                    self.question = Some(Question::ApproveClean(clean));
                }
            }
        }
    }

    /// Carries out an action of the keyboard table.
    pub fn run(&mut self, action: Action) {
        match action {
            Action::MoveNext => self.move_selection(Move::Next),
            Action::MovePrevious => self.move_selection(Move::Previous),
            Action::MoveUp => self.move_selection(Move::Up),
            Action::MoveDown => self.move_selection(Move::Down),
            Action::Edit => {
                let text = self
                    .review
                    .as_ref()
                    .zip(self.selected)
                    .and_then(|(r, c)| r.value(c))
                    .map(|v| v.to_string());
                self.start_edit(text.unwrap_or_default());
            }
            Action::CommitMisread => self.commit_edit(ChangeKind::Misread),
            Action::CommitSourceWrong => self.commit_edit(ChangeKind::SourceWrong),
            Action::CancelEdit => self.edit = None,
            Action::Confirm => {
                if let Some(cell) = self.selected
                    && self.change(|review, who| {
                        review.act(RecordAction::Confirm(cell), who).map(|()| true)
                    })
                {
                    self.run(Action::NextAttention);
                }
            }
            Action::AcceptSuggestion => self.accept_the_suggestion(ChangeKind::Misread),
            Action::AcceptSuggestionSourceWrong => {
                self.accept_the_suggestion(ChangeKind::SourceWrong);
            }
            Action::FillBlanks => {
                if let Some(cell) = self.selected {
                    self.apply(Command::FillBlanks(cell.table()));
                }
            }
            Action::NextAttention => {
                if let Some(next) = self
                    .review
                    .as_ref()
                    .and_then(|r| r.next_attention(self.selected))
                {
                    self.edit = None;
                    self.select(next);
                }
            }
            Action::Undo => {
                self.change(Review::undo);
            }
            Action::Redo => {
                self.change(Review::redo);
            }
            Action::Approve => self.approve(false),
            Action::Reopen => {
                if self.review.as_ref().is_some_and(Review::is_approved) {
                    self.question = Some(Question::Reopen);
                }
            }
            Action::NextReport => self.step_report(true),
            Action::PreviousReport => self.step_report(false),
            Action::NextToReview => self.next_to_review(),
            Action::Changes => self.show_changes = !self.show_changes,
            Action::Help => self.show_help = !self.show_help,
            Action::ShowReview => self.apply(Command::ShowPage(Page::Review)),
            Action::ShowOverview => self.apply(Command::ShowPage(Page::Overview)),
            Action::ShowTotals => self.apply(Command::ShowPage(Page::Totals)),
        }
    }

    fn answer(&mut self, yes: bool) {
        let Some(question) = self.question.take() else {
            return;
        };
        match (question, yes) {
            (Question::Reopen, true) => self.reopen(),
            (Question::ApproveDespite(_), true) => self.approve(true),
            (Question::Reviewer, true) if self.reviewer().is_none() => {
                self.question = Some(Question::Reviewer);
            }
            (Question::ApproveClean(_), true) => self.approve_clean(),
            _ => {}
        }
    }

    fn start_edit(&mut self, text: String) {
        let Some(cell) = self.selected else { return };
        let Some(review) = &self.review else { return };
        if review.is_approved() {
            let t = self.texts();
            self.say(t.read_only, true);
            return;
        }
        if self.reviewer().is_none() {
            self.question = Some(Question::Reviewer);
            return;
        }
        self.edit = Some(Edit {
            cell,
            text,
            error: None,
            note: String::new(),
        });
    }

    /// Runs a change on the report under review, under the reviewer's name; if it changed
    /// anything, the edit ends, a save failure is shown and the queue entry is brought up to
    /// date from memory. Returns whether it changed anything. Refused, with the reason shown,
    /// on an approved report or while no reviewer is named.
    fn change(&mut self, f: impl FnOnce(&mut Review, &str) -> Result<bool, Refused>) -> bool {
        let Some(reviewer) = self.reviewer() else {
            self.question = Some(Question::Reviewer);
            return false;
        };
        let Some(review) = &mut self.review else {
            return false;
        };
        match f(review, &reviewer) {
            Ok(true) => {
                self.after_change();
                true
            }
            Ok(false) => false,
            Err(Refused::Approved) => {
                let t = self.texts();
                self.say(t.read_only, true);
                false
            }
        }
    }

    fn after_change(&mut self) {
        self.edit = None;
        let lang = self.settings.lang;
        if let Some(error) = self.review.as_ref().and_then(|r| r.save_error.as_ref()) {
            let text = format!("{}：{}", self.texts().save_failed, error.text(lang));
            self.say(text, true);
        }
        if let (Some(index), Some(review)) = (self.current, &self.review) {
            self.queue.update(index, review);
        }
    }

    fn commit_edit(&mut self, kind: ChangeKind) {
        let Some(edit) = self.edit.as_mut() else {
            return;
        };
        match parse_input(&edit.text, edit.cell.kind()) {
            Err(e) => {
                edit.error = Some(e.text(self.settings.lang));
            }
            Ok(value) => {
                let (cell, note) = (edit.cell, edit.note.clone());
                let action = RecordAction::Set {
                    cell,
                    value,
                    kind,
                    note,
                };
                if self.change(|review, who| review.act(action, who).map(|()| true)) {
                    self.move_selection(Move::Next);
                }
            }
        }
    }

    fn accept_suggestion(&mut self, cell: CellId, value: Value, kind: ChangeKind) {
        let Some(review) = &self.review else { return };
        let Some(why) = review.suggestion(cell, value).map(|s| s.why_zh.clone()) else {
            return;
        };
        self.edit = None;
        self.select(cell);
        self.change(|review, who| {
            review
                .act(
                    RecordAction::Set {
                        cell,
                        value: Some(value),
                        kind,
                        note: why,
                    },
                    who,
                )
                .map(|()| true)
        });
    }

    /// The key for "take the suggestion": the selected cell's one suggested value. Where rules
    /// suggest different values, the reviewer picks one by its button.
    fn accept_the_suggestion(&mut self, kind: ChangeKind) {
        let Some(cell) = self.selected else { return };
        let Some(review) = &self.review else { return };
        let values = review.suggested_values(cell);
        let t = self.texts();
        match values.as_slice() {
            [] => self.say(t.no_suggestion, true),
            [value] => self.accept_suggestion(cell, *value, kind),
            _ => self.say(t.several_suggestions, true),
        }
    }

    fn approve(&mut self, confirmed: bool) {
        let lang = self.settings.lang;
        let Some(reviewer) = self.reviewer() else {
            self.question = Some(Question::Reviewer);
            return;
        };
        let Some(review) = &mut self.review else {
            return;
        };
        let t = texts(lang);
        if review.is_approved() {
            self.say(t.already_approved, false);
            return;
        }
        let blockers = review.record.blockers(&review.report);
        if !blockers.is_empty() {
            let listed: Vec<String> = blockers.iter().take(3).map(|b| b.text(lang)).collect();
            let more = blockers.len().saturating_sub(3);
            let tail = if more > 0 {
                format!(" …（+{more}）")
            } else {
                String::new()
            };
            let first = blockers.iter().find_map(crate::record::Blocker::cell);
            self.say(
                format!("{} {}{tail}", t.blocked, listed.join(t.list_separator)),
                true,
            );
            match first {
                Some(cell) => self.select(cell),
                None => self.run(Action::NextAttention),
            }
            return;
        }
        if !confirmed {
            let doubts = review.record.doubts(&review.report);
            if !doubts.is_empty() {
                self.question = Some(Question::ApproveDespite(doubts));
                return;
            }
        }
        let outcome = review.approve(&reviewer);
        if let (Some(index), Some(review)) = (self.current, &self.review) {
            self.queue.update(index, review);
        }
        match outcome {
            ApproveOutcome::Approved => {
                let done = self.current;
                self.next_to_review();
                let text = if self.current == done {
                    t.approved_ok.to_owned()
                } else {
                    format!("{} {}", t.approved_ok, t.moved_to_next)
                };
                self.say(text, false);
            }
            ApproveOutcome::SaveFailed(e) => {
                self.say(format!("{}：{}", t.save_failed, e.text(lang)), true);
            }
            ApproveOutcome::Blocked(_) => {}
        }
    }

    fn reopen(&mut self) {
        let Some(reviewer) = self.reviewer() else {
            self.question = Some(Question::Reviewer);
            return;
        };
        let Some(review) = &mut self.review else {
            return;
        };
        if review.reopen(&reviewer) {
            self.after_change();
            let t = self.texts();
            self.say(t.reopened, false);
        }
    }

    /// Reviews the next report of the queue that still needs review, if there is one.
    fn next_to_review(&mut self) {
        self.queue.refresh();
        if let Some(next) = self.queue.next_to_review(self.current) {
            self.page = Page::Review;
            self.select_report(next);
        } else {
            let t = self.texts();
            self.say(t.none_to_review, false);
        }
    }

    fn move_selection(&mut self, direction: Move) {
        let Some(review) = &self.review else { return };
        let order: Vec<CellId> = review.report.cells.keys().copied().collect();
        let Some(current) = self.selected.or_else(|| order.first().copied()) else {
            return;
        };
        let Some(at) = order.iter().position(|&c| c == current) else {
            return;
        };
        let target = match direction {
            Move::Next => order.get(at + 1).copied(),
            Move::Previous => at.checked_sub(1).map(|i| order[i]),
            Move::Up | Move::Down => {
                // Rows in printed order; the same column index, clamped to the row's width.
                let rows = grid(&order);
                rows.iter()
                    .enumerate()
                    .find_map(|(r, row)| row.iter().position(|&x| x == current).map(|c| (r, c)))
                    .and_then(|(r, c)| {
                        let r2 = if direction == Move::Up {
                            r.checked_sub(1)
                        } else {
                            Some(r + 1).filter(|&r2| r2 < rows.len())
                        };
                        r2.map(|r2| rows[r2][c.min(rows[r2].len() - 1)])
                    })
            }
        };
        if let Some(target) = target {
            self.edit = None;
            self.select(target);
        }
    }
}

/// The cells grouped into printed rows (same table and row), in order.
fn grid(order: &[CellId]) -> Vec<Vec<CellId>> {
    let mut rows: Vec<Vec<CellId>> = Vec::new();
    for &cell in order {
        let def = cell.def();
        let same = rows
            .last()
            .and_then(|r| r.last())
            .is_some_and(|last| last.def().table == def.table && last.def().row.key == def.row.key);
        if same {
            if let Some(row) = rows.last_mut() {
                row.push(cell);
            }
        } else {
            rows.push(vec![cell]);
        }
    }
    rows
}
