//! The review window's state and what can be done to it, without any drawing: the queue, the
//! report under review, the selected cell, the edit in progress, messages. Widgets turn input into
//! [`Command`]s; [`AppState::apply`] is the one place that carries them out.

pub mod i18n;
pub mod queue;
pub mod review;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::read::cell::parse_input;
use crate::record::{Action, ChangeKind};
use crate::template::{CellId, TableId};
use i18n::Lang;
use queue::Queue;
use review::{ApproveOutcome, Review};

/// Settings kept between runs (in eframe's storage, never in records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The interface language.
    pub lang: Lang,
    /// The reviewer's name, written into the audit trail.
    pub reviewer: String,
    /// Recently opened folders and files, newest first.
    pub recent: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        let reviewer = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default();
        Settings {
            lang: Lang::Zh,
            reviewer,
            recent: Vec::new(),
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

/// Everything the reviewer can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a report file or a folder of reports.
    Open(PathBuf),
    /// Review the report at this place in the queue.
    SelectReport(usize),
    /// Review the next report of the queue.
    NextReport,
    /// Review the previous report of the queue.
    PreviousReport,
    /// Select a cell.
    SelectCell(CellId),
    /// Select the cells of a finding: the first one, with all of them outlined.
    SelectFinding(Vec<CellId>),
    /// Select the cell read from this byte of the source text.
    SelectAtSource(usize),
    /// Move the selection.
    Move(Move),
    /// Start editing the selected cell with this text.
    StartEdit(String),
    /// Commit the edit in progress, saying why the value changes.
    CommitEdit(ChangeKind),
    /// Drop the edit in progress.
    CancelEdit,
    /// Confirm the selected cell as read.
    Confirm,
    /// Take the suggestion for the selected cell.
    AcceptSuggestion(ChangeKind),
    /// Fill every blank cell of a table with 0.
    FillBlanks(TableId),
    /// Select the next thing that needs the reviewer.
    NextAttention,
    /// Set the note on a finding (by key).
    SetNote {
        /// The finding's key.
        finding: String,
        /// The note.
        note: String,
    },
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Approve the report under review.
    Approve,
    /// Reopen an approved report.
    Reopen,
    /// Change the interface language.
    SetLang(Lang),
    /// Show a message.
    Say(Message),
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
    /// The selected cell.
    pub selected: Option<CellId>,
    /// The edit in progress.
    pub edit: Option<Edit>,
    /// The last message.
    pub message: Option<Message>,
    /// Set when the selection moved, so the views scroll to it once.
    pub scroll_to_selection: bool,
    /// The cells of the finding last clicked, outlined in the tables.
    pub focused_finding: Vec<CellId>,
    /// A report being read on a thread (a scan under OCR).
    pub loading: Option<std::sync::mpsc::Receiver<Result<Review, String>>>,
}

impl AppState {
    /// A state with these settings and nothing open.
    #[must_use]
    pub fn new(settings: Settings) -> AppState {
        AppState {
            settings,
            ..AppState::default()
        }
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.message = Some(Message {
            text: text.into(),
            is_error,
        });
    }

    fn reviewer(&self) -> String {
        let name = self.settings.reviewer.trim();
        if name.is_empty() {
            "reviewer".to_owned()
        } else {
            name.to_owned()
        }
    }

    /// Opens a file or folder: fills the queue and reviews its first report.
    pub fn open(&mut self, path: &Path) {
        match Queue::open(path) {
            Ok(queue) => {
                self.queue = queue;
                self.settings.recent.retain(|p| p != path);
                self.settings.recent.insert(0, path.to_path_buf());
                self.settings.recent.truncate(MAX_RECENT);
                if self.queue.entries.is_empty() {
                    self.review = None;
                    self.current = None;
                    let t = self.settings.lang.texts();
                    self.say(format!("{}: {}", path.display(), t.no_reports), true);
                } else {
                    self.select_report(0);
                }
            }
            Err(e) => self.say(e, true),
        }
    }

    fn select_report(&mut self, index: usize) {
        let Some(entry) = self.queue.entries.get(index) else {
            return;
        };
        let path = entry.path.clone();
        self.edit = None;
        self.focused_finding.clear();
        self.current = Some(index);
        let reviewer = self.reviewer();
        if matches!(
            crate::read::format_of(&path),
            Some(crate::model::Format::Image | crate::model::Format::Pdf)
        ) {
            // A scan (an image, or a PDF without text) takes seconds of OCR: read it on a thread
            // so the window keeps drawing.
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = sender.send(Review::open(&path, &reviewer));
            });
            self.review = None;
            self.loading = Some(receiver);
        } else {
            self.loading = None;
            self.opened(Review::open(&path, &reviewer));
        }
    }

    fn opened(&mut self, review: Result<Review, String>) {
        match review {
            Ok(review) => {
                self.selected = review
                    .next_attention(None)
                    .or_else(|| review.report.cells.keys().next().copied());
                self.review = Some(review);
                self.scroll_to_selection = true;
            }
            Err(e) => {
                self.review = None;
                self.say(e, true);
            }
        }
    }

    /// Takes in a report read on a thread, if it is ready; true if it arrived.
    pub fn poll_loading(&mut self) -> bool {
        let Some(receiver) = &self.loading else {
            return false;
        };
        match receiver.try_recv() {
            Ok(review) => {
                self.loading = None;
                self.opened(review);
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.loading = None;
                false
            }
        }
    }

    /// Waits for a report being read on a thread (for tests).
    pub fn wait_loading(&mut self) {
        if let Some(receiver) = self.loading.take()
            && let Ok(review) = receiver.recv()
        {
            self.opened(review);
        }
    }

    /// Reviews the next (or previous) report of the queue, if there is one.
    fn step_report(&mut self, forward: bool) {
        let len = self.queue.entries.len();
        if len == 0 {
            return;
        }
        let at = self.current.unwrap_or(0);
        let next = if forward {
            (at + 1).min(len - 1)
        } else {
            at.saturating_sub(1)
        };
        if Some(next) != self.current {
            self.select_report(next);
        }
    }

    fn refresh_current_entry(&mut self) {
        if let Some(index) = self.current {
            self.queue.refresh(index);
        }
    }

    fn select(&mut self, cell: CellId) {
        self.selected = Some(cell);
        self.scroll_to_selection = true;
    }

    /// Carries out a command.
    pub fn apply(&mut self, command: Command) {
        let reviewer = self.reviewer();
        match command {
            Command::Open(path) => self.open(&path),
            Command::SelectReport(index) => self.select_report(index),
            Command::NextReport => self.step_report(true),
            Command::PreviousReport => self.step_report(false),
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
            Command::Move(direction) => self.move_selection(direction),
            Command::StartEdit(text) => {
                if let Some(cell) = self.selected {
                    self.edit = Some(Edit {
                        cell,
                        text,
                        error: None,
                        note: String::new(),
                    });
                }
            }
            Command::CommitEdit(kind) => self.commit_edit(kind, &reviewer),
            Command::CancelEdit => self.edit = None,
            Command::Confirm => {
                if let Some(cell) = self.selected
                    && self.change(|review, who| {
                        review.act(Action::Confirm(cell), who);
                        true
                    })
                {
                    self.apply(Command::NextAttention);
                }
            }
            Command::AcceptSuggestion(kind) => {
                if let Some(cell) = self.selected {
                    self.change(|review, who| review.accept_suggestion(cell, kind, who));
                }
            }
            Command::FillBlanks(table) => {
                self.change(|review, who| {
                    review.act(Action::FillBlanks(table), who);
                    true
                });
            }
            Command::NextAttention => {
                if let Some(next) = self
                    .review
                    .as_ref()
                    .and_then(|r| r.next_attention(self.selected))
                {
                    self.select(next);
                }
            }
            Command::SetNote { finding, note } => {
                self.change(|review, who| {
                    review.act(Action::Note { finding, note }, who);
                    true
                });
            }
            Command::Undo => {
                self.change(Review::undo);
            }
            Command::Redo => {
                self.change(Review::redo);
            }
            Command::Approve => self.approve(&reviewer),
            Command::Reopen => {
                self.change(|review, who| {
                    review.reopen(who);
                    true
                });
            }
            Command::SetLang(lang) => self.settings.lang = lang,
            Command::Say(message) => self.message = Some(message),
        }
    }

    /// Runs a change on the report under review; if it changed anything, the edit ends, a save
    /// failure is shown and the queue entry is brought up to date. Returns whether it changed.
    fn change(&mut self, f: impl FnOnce(&mut Review, &str) -> bool) -> bool {
        let reviewer = self.reviewer();
        let Some(review) = &mut self.review else {
            return false;
        };
        let changed = f(review, &reviewer);
        if changed {
            self.after_change();
        }
        changed
    }

    fn after_change(&mut self) {
        self.edit = None;
        if let Some(error) = self.review.as_ref().and_then(|r| r.save_error.clone()) {
            let t = self.settings.lang.texts();
            self.say(format!("{}：{error}", t.save_failed), true);
        }
        self.refresh_current_entry();
    }

    fn commit_edit(&mut self, kind: ChangeKind, reviewer: &str) {
        let Some(edit) = self.edit.as_mut() else {
            return;
        };
        match parse_input(&edit.text, edit.cell.kind()) {
            Err(e) => {
                edit.error = Some(if self.settings.lang == Lang::Zh {
                    e.zh
                } else {
                    e.en
                });
            }
            Ok(value) => {
                let (cell, note) = (edit.cell, edit.note.clone());
                if let Some(review) = &mut self.review {
                    review.act(
                        Action::Set {
                            cell,
                            value,
                            kind,
                            note,
                        },
                        reviewer,
                    );
                }
                self.after_change();
                self.move_selection(Move::Next);
            }
        }
    }

    fn approve(&mut self, reviewer: &str) {
        let Some(review) = &mut self.review else {
            return;
        };
        let t = self.settings.lang.texts();
        match review.approve(reviewer) {
            ApproveOutcome::Approved => {
                self.say(t.approved_ok, false);
                self.refresh_current_entry();
            }
            ApproveOutcome::SaveFailed(e) => self.say(format!("{}：{e}", t.save_failed), true),
            ApproveOutcome::Blocked(blockers) => {
                let first = blockers.first().and_then(|b| match b {
                    crate::record::Blocker::Unreviewed(c) | crate::record::Blocker::Stale(c) => {
                        Some(*c)
                    }
                    crate::record::Blocker::UnexplainedError(_) => None,
                });
                let listed: Vec<String> =
                    blockers.iter().take(3).map(ToString::to_string).collect();
                let more = blockers.len().saturating_sub(3);
                let tail = if more > 0 {
                    format!(" …（+{more}）")
                } else {
                    String::new()
                };
                self.say(format!("{} {}{tail}", t.blocked, listed.join("；")), true);
                match first {
                    Some(cell) => self.select(cell),
                    None => self.apply(Command::NextAttention),
                }
            }
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
