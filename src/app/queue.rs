//! The queue: the reports of the opened folder with their state, read on a background thread so
//! that opening a folder of thousands never freezes the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::batch::report_files;
use crate::checks::Finding;
use crate::indicators::{Indicator, indicators};
use crate::read::read_file;
use crate::record::Record;
use crate::rules::{RuleId, Severity};
use crate::store::load_for;
use crate::template::Edition;

/// Where a report stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Not read yet.
    Pending,
    /// Could not be read (the reason).
    Unreadable(String),
    /// Its record could not be read (the reason); the program will not overwrite it.
    RecordUnreadable(String),
    /// Approved; `auto` when approved straight through without a person.
    Approved {
        /// Approved by `nianbao approve --auto`.
        auto: bool,
    },
    /// Marked approved, but the approval cannot be trusted: the record was changed by hand
    /// since (its seal is broken), or it was approved before approvals were sealed.
    ApprovalDoubtful,
    /// Not approved: what the checks say on the values that count.
    Open {
        /// Whether a draft record exists (someone started).
        started: bool,
        /// Error findings.
        errors: usize,
        /// Warnings.
        warnings: usize,
        /// Cells still to look at.
        to_look_at: usize,
    },
}

impl Status {
    /// Where a report stands, from its record, the findings on the values that count and the
    /// number of cells still to look at; `started` when a record was saved before.
    #[must_use]
    pub fn of(record: &Record, findings: &[Finding], to_look_at: usize, started: bool) -> Status {
        match record.seal() {
            crate::record::Seal::Holds => {
                return Status::Approved {
                    auto: record.auto_approved(),
                };
            }
            crate::record::Seal::Broken | crate::record::Seal::Missing => {
                return Status::ApprovalDoubtful;
            }
            crate::record::Seal::NotApproved => {}
        }
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Status::Open {
            started,
            errors,
            warnings: findings.len() - errors,
            to_look_at,
        }
    }

    /// Whether a reviewer still has work on the report: not approved, and readable.
    #[must_use]
    pub fn needs_review(&self) -> bool {
        matches!(
            self,
            Status::Open { .. } | Status::Pending | Status::ApprovalDoubtful
        )
    }
}

/// One report of the queue.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The report file.
    pub path: PathBuf,
    /// The body, once read.
    pub organization: Option<String>,
    /// The year, once read.
    pub year: Option<u16>,
    /// The edition its 表二 follows, once read.
    pub edition: Option<Edition>,
    /// Where it stands.
    pub status: Status,
    /// The rules its findings on the values that count name, each once, in rule order.
    pub rules: Vec<RuleId>,
    /// How many findings it has.
    pub findings: usize,
    /// Its indicators from the values that count, once read.
    pub indicators: Vec<Indicator>,
}

/// Where a report stands, as the overview counts and the queue filters: each report in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Still being read.
    Reading,
    /// Nobody has started on it.
    NotReviewed,
    /// Started, not approved, no error.
    InReview,
    /// Not approved, and a rule fails with an error.
    Failing,
    /// Approved by a person.
    Approved,
    /// Approved straight through.
    ApprovedAuto,
    /// Approved, but the approval no longer holds.
    ApprovalDoubtful,
    /// The report or its record cannot be read.
    Unreadable,
}

impl State {
    /// Every state, in the order the overview lists them and the queue sorts by: those that
    /// need a person first.
    pub const ALL: [State; 8] = [
        State::Failing,
        State::InReview,
        State::NotReviewed,
        State::ApprovalDoubtful,
        State::Unreadable,
        State::Approved,
        State::ApprovedAuto,
        State::Reading,
    ];

    /// Its place in [`State::ALL`].
    #[must_use]
    pub fn rank(self) -> usize {
        State::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The state of a report that stands so.
    #[must_use]
    pub fn of(status: &Status) -> State {
        match status {
            Status::Pending => State::Reading,
            Status::Unreadable(_) | Status::RecordUnreadable(_) => State::Unreadable,
            Status::Approved { auto: true } => State::ApprovedAuto,
            Status::Approved { auto: false } => State::Approved,
            Status::ApprovalDoubtful => State::ApprovalDoubtful,
            Status::Open { errors, .. } if *errors > 0 => State::Failing,
            Status::Open { started: true, .. } => State::InReview,
            Status::Open { started: false, .. } => State::NotReviewed,
        }
    }
}

impl Entry {
    /// An entry not read yet.
    #[must_use]
    pub fn pending(path: &Path) -> Entry {
        Entry {
            path: path.to_path_buf(),
            organization: None,
            year: None,
            edition: None,
            status: Status::Pending,
            rules: Vec::new(),
            findings: 0,
            indicators: Vec::new(),
        }
    }

    /// Where it stands, as the overview counts it.
    #[must_use]
    pub fn state(&self) -> State {
        State::of(&self.status)
    }

    /// Takes in the findings and indicators of the values that count (`current`), a cell being
    /// doubtful where `doubtful` says so.
    fn describe(
        &mut self,
        findings: &[Finding],
        current: &crate::model::Report,
        doubtful: impl Fn(crate::template::CellId) -> bool,
    ) {
        let mut rules: Vec<RuleId> = findings.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        self.rules = rules;
        self.findings = findings.len();
        self.indicators = indicators(&|id| current.value(id), &doubtful);
    }

    /// The file name, for display.
    #[must_use]
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// Reads one report and its record into a queue entry.
#[must_use]
pub fn summarize(path: &Path) -> Entry {
    let mut entry = Entry::pending(path);
    let report = match read_file(path) {
        Ok(report) => report,
        Err(e) => {
            entry.status = Status::Unreadable(e.to_string());
            return entry;
        }
    };
    entry.organization.clone_from(&report.meta.organization);
    entry.year = report.meta.year;
    entry.edition = Some(report.edition());
    let (record, started) = match load_for(path) {
        Ok(Some(saved)) if saved.seal() == crate::record::Seal::Broken => {
            entry.status = Status::ApprovalDoubtful;
            return entry;
        }
        Ok(Some(saved)) => (
            saved.reconcile(&report, "", crate::time::Timestamp(0)).0,
            true,
        ),
        Ok(None) => (Record::draft(&report), false),
        Err(e) => {
            entry.status = Status::RecordUnreadable(e.to_string());
            return entry;
        }
    };
    let findings = record.current_findings(&report);
    let to_look_at = report
        .cells
        .iter()
        .filter(|(id, c)| match record.decisions.get(id) {
            Some(d) => d.stale,
            None => c.is_low_confidence(),
        })
        .count();
    entry.status = Status::of(&record, &findings, to_look_at, started);
    entry.describe(&findings, &record.current_report(&report), |id| {
        record.decisions.get(&id).is_none_or(|d| d.stale)
            && report
                .cells
                .get(&id)
                .is_some_and(crate::model::Cell::is_low_confidence)
    });
    entry
}

/// What the queue is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The file order of the folder.
    #[default]
    File,
    /// Where each report stands (those needing work first).
    State,
    /// The body's name.
    Body,
    /// The year.
    Year,
    /// How many findings.
    Findings,
}

impl Sort {
    /// Every order, as offered.
    pub const ALL: [Sort; 5] = [
        Sort::File,
        Sort::State,
        Sort::Body,
        Sort::Year,
        Sort::Findings,
    ];
}

/// Which reports the queue shows, and in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// The order.
    pub sort: Sort,
    /// Reversed.
    pub descending: bool,
    /// Only reports that stand so.
    pub state: Option<State>,
    /// Only reports with a finding of this rule.
    pub rule: Option<RuleId>,
    /// Only reports of this edition.
    pub edition: Option<Edition>,
    /// Only reports of this year.
    pub year: Option<u16>,
    /// Only this body's reports.
    pub body: Option<String>,
    /// Only reports whose body or file name holds this text.
    pub search: String,
}

impl View {
    /// Whether the view leaves any report out.
    #[must_use]
    pub fn filters(&self) -> bool {
        self.state.is_some()
            || self.rule.is_some()
            || self.edition.is_some()
            || self.year.is_some()
            || self.body.is_some()
            || !self.search.trim().is_empty()
    }

    /// Whether the view shows this report.
    #[must_use]
    pub fn shows(&self, entry: &Entry) -> bool {
        let search = self.search.trim();
        self.state.is_none_or(|s| entry.state() == s)
            && self.rule.is_none_or(|r| entry.rules.contains(&r))
            && self.edition.is_none_or(|e| entry.edition == Some(e))
            && self.year.is_none_or(|y| entry.year == Some(y))
            && self
                .body
                .as_ref()
                .is_none_or(|b| entry.organization.as_ref() == Some(b))
            && (search.is_empty()
                || entry
                    .organization
                    .as_deref()
                    .is_some_and(|o| o.contains(search))
                || entry.file_name().contains(search))
    }

    /// The places in `entries` of the reports shown, in the view's order (file order where the
    /// sort key ties).
    #[must_use]
    pub fn order(&self, entries: &[Entry]) -> Vec<usize> {
        let mut shown: Vec<usize> = (0..entries.len())
            .filter(|&i| self.shows(&entries[i]))
            .collect();
        let key = |i: &usize| {
            let e = &entries[*i];
            match self.sort {
                Sort::File => (0, String::new(), 0),
                Sort::State => (e.state().rank(), String::new(), 0),
                Sort::Body => (0, e.organization.clone().unwrap_or_default(), 0),
                Sort::Year => (usize::from(e.year.unwrap_or(0)), String::new(), 0),
                Sort::Findings => (e.findings, String::new(), 0),
            }
        };
        shown.sort_by_cached_key(key);
        if self.descending {
            shown.reverse();
        }
        shown
    }
}

/// What a queue's counts need before they are shown, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Due {
    /// Nothing: they are up to date.
    #[default]
    Nothing,
    /// Reports were counted as they came: the lists made from the counts.
    Lists,
    /// The last report was read: the whole folder's facts (`MISSING-REPORT`), and the lists.
    Folder,
    /// The entries were replaced wholesale (a folder opened): everything counted again.
    All,
}

/// While a folder is read, how often its counts are made again.
pub const SUMMARY_INTERVAL: std::time::Duration = std::time::Duration::from_millis(300);

/// The reports of what was opened, filled in as they are read.
#[derive(Debug, Default)]
pub struct Queue {
    /// What was opened (a folder or a file).
    pub root: Option<PathBuf>,
    /// The reports, in file order.
    pub entries: Vec<Entry>,
    /// What the folder walk left out (link loops, duplicates, pipes, unreadable folders).
    pub skipped: Vec<crate::batch::Skipped>,
    /// Which reports are shown, in which order.
    pub view: View,
    /// The places of the reports shown, in order (kept up to date by [`Queue::refresh`]).
    shown: Vec<usize>,
    /// How many reports each body has of each year (kept as reports are read): where two share
    /// a body and year, their file names are shown too.
    names: std::collections::HashMap<String, Vec<(u16, usize)>>,
    /// The folder's counts, made with `shown`.
    overview: super::overview::Overview,
    /// What the counts need before they are shown.
    due: Due,
    /// The view changed since `shown` was made.
    view_changed: bool,
    /// When the counts were last made.
    summarised_at: Option<std::time::Instant>,
    /// How many times the counts were made: what is derived from them is made again when it
    /// changes.
    generation: u64,
    incoming: Option<Receiver<(usize, Entry)>>,
}

impl Queue {
    /// Lists the reports under `root` and starts reading them in the background.
    ///
    /// # Errors
    /// When `root` cannot be listed.
    pub fn open(root: &Path) -> Result<Queue, crate::batch::ListError> {
        let crate::batch::Listing { files, skipped } = report_files(&[root.to_path_buf()])?;
        let mut entries: Vec<Entry> = files.iter().map(|path| Entry::pending(path)).collect();
        let (sender, receiver) = channel();
        let read_all = move || {
            for (index, path) in files.iter().enumerate() {
                if sender.send((index, summarize(path))).is_err() {
                    return;
                }
            }
        };
        // Read in the background; where no thread can be started, the queue fills now.
        let mut incoming = Some(receiver);
        if let Err(e) = crate::work::spawn("queue reader", read_all) {
            incoming = None;
            for entry in &mut entries {
                entry.status = Status::Unreadable(format!("cannot start reading: {e}"));
            }
        }
        Ok(Queue {
            root: Some(root.to_path_buf()),
            entries,
            skipped,
            incoming,
            due: Due::All,
            ..Queue::default()
        })
    }

    /// Takes in what the background reader has finished; true if anything changed.
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        loop {
            let Some(receiver) = &self.incoming else {
                return changed;
            };
            match receiver.try_recv() {
                Ok((index, entry)) => {
                    if index < self.entries.len() {
                        self.replace(index, entry);
                        changed = true;
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.incoming = None;
                    self.due = self.due.max(Due::Folder);
                    break;
                }
            }
        }
        changed
    }

    /// Puts an entry in place, its old counts taken out of the folder's and its new ones in: a
    /// report read, or brought up to date, costs the counts of one report, not of the folder.
    fn replace(&mut self, index: usize, entry: Entry) {
        let Some(slot) = self.entries.get_mut(index) else {
            return;
        };
        self.overview.uncount(index, slot);
        self.overview.count(index, &entry);
        for (entry, more) in [(&*slot, false), (&entry, true)] {
            let (Some(body), Some(year)) = (&entry.organization, entry.year) else {
                continue;
            };
            let years = self.names.entry(body.clone()).or_default();
            match years.iter_mut().find(|(y, _)| *y == year) {
                Some((_, n)) if more => *n += 1,
                Some((_, n)) => *n = n.saturating_sub(1),
                None if more => years.push((year, 1)),
                None => {}
            }
        }
        *slot = entry;
        self.due = self.due.max(Due::Lists);
    }

    /// Whether every report has been read.
    #[must_use]
    pub fn is_loaded(&self) -> bool {
        self.incoming.is_none() && self.entries.iter().all(|e| e.status != Status::Pending)
    }

    /// Waits until every report has been read (for tests and the command line).
    pub fn wait_loaded(&mut self) {
        if let Some(receiver) = self.incoming.take() {
            for (index, entry) in receiver {
                self.replace(index, entry);
            }
            self.due = self.due.max(Due::Folder);
        }
        self.refresh();
    }

    /// Brings one entry up to date with the report under review, from what is in memory.
    pub fn update(&mut self, index: usize, review: &super::review::Review) {
        if let Some(old) = self.entries.get(index) {
            let mut entry = old.clone();
            entry
                .organization
                .clone_from(&review.report.meta.organization);
            entry.year = review.report.meta.year;
            let to_look_at = review
                .report
                .cells
                .keys()
                .filter(|&&c| review.needs_look(c))
                .count();
            entry.status = Status::of(&review.record, &review.findings, to_look_at, true);
            entry.edition = Some(review.report.edition());
            let findings: Vec<Finding> = review
                .findings
                .iter()
                .chain(&review.across_years)
                .cloned()
                .collect();
            entry.describe(
                &findings,
                &review.record.current_report(&review.report),
                |id| review.needs_look(id),
            );
            self.replace(index, entry);
        }
    }

    /// Adds rules to an entry's (the rules across years, known once its report is opened).
    pub fn add_rules(&mut self, index: usize, rules: impl IntoIterator<Item = RuleId>) {
        if let Some(entry) = self.entries.get(index) {
            let mut added = entry.clone();
            for rule in rules {
                if !added.rules.contains(&rule) {
                    added.rules.push(rule);
                }
            }
            added.rules.sort_unstable();
            if added.rules != entry.rules {
                self.replace(index, added);
            }
        }
    }

    /// The next report after `from` (wrapping) that still needs review, in the order shown
    /// (among every report when none shown needs review).
    #[must_use]
    pub fn next_to_review(&self, from: Option<usize>) -> Option<usize> {
        let needs = |i: usize| Some(i) != from && self.entries[i].status.needs_review();
        let order: Vec<usize> = if self.shown.iter().any(|&i| needs(i)) {
            self.shown.clone()
        } else {
            (0..self.entries.len()).collect()
        };
        let len = order.len();
        let start = from
            .and_then(|f| order.iter().position(|&i| i == f))
            .map_or(0, |p| p + 1);
        (0..len)
            .map(|k| order[(start + k) % len])
            .find(|&i| needs(i))
    }

    /// The report shown after (or before) `from`, in the order shown; the first shown where
    /// `from` is not shown.
    #[must_use]
    pub fn step(&self, from: Option<usize>, forward: bool) -> Option<usize> {
        let at = from.and_then(|f| self.shown.iter().position(|&i| i == f));
        let next = match (at, forward) {
            (None, _) => 0,
            (Some(p), true) => (p + 1).min(self.shown.len().saturating_sub(1)),
            (Some(p), false) => p.saturating_sub(1),
        };
        self.shown.get(next).copied()
    }

    /// Makes the counts agree with the entries and the list shown with the view, if either
    /// changed. While the folder is read, the counts are made at most every
    /// [`SUMMARY_INTERVAL`]: a report arriving does not cost a frame the whole folder.
    pub fn refresh(&mut self) {
        let loading = self.incoming.is_some();
        let interval_over = self
            .summarised_at
            .is_none_or(|t| t.elapsed() >= SUMMARY_INTERVAL);
        let now = match self.due {
            Due::Nothing => false,
            // Reports read meanwhile: their counts are in; the lists, and what is made from
            // them (the queue's order, the bodies' ranking), follow every SUMMARY_INTERVAL.
            Due::Lists => !loading || interval_over,
            Due::Folder | Due::All => true,
        };
        if now {
            let due = std::mem::replace(&mut self.due, Due::Nothing);
            if due == Due::All {
                self.overview = super::overview::Overview::of(&self.entries);
            }
            // Once the last report is read (the reader's end sets Folder), the whole folder's
            // facts.
            if !loading && due >= Due::Folder {
                self.missing_reports();
            }
            self.overview.publish();
            self.summarised_at = Some(std::time::Instant::now());
            self.generation += 1;
            self.view_changed = true;
        }
        if self.view_changed {
            self.view_changed = false;
            self.shown = self.view.order(&self.entries);
        }
    }

    /// `MISSING-REPORT` on each entry, known only from the whole folder, and in the counts.
    fn missing_reports(&mut self) {
        let filed: Vec<(Option<&str>, Option<u16>)> = self
            .entries
            .iter()
            .map(|e| (e.organization.as_deref(), e.year))
            .collect();
        let missing = crate::checks::missing_next_year(&filed);
        for (index, entry) in self.entries.iter_mut().enumerate() {
            let told = missing.binary_search(&index).is_ok();
            if told != entry.rules.contains(&RuleId::MissingReport) {
                entry.rules.retain(|r| *r != RuleId::MissingReport);
                if told {
                    entry.rules.push(RuleId::MissingReport);
                    entry.rules.sort_unstable();
                }
                self.overview.told(RuleId::MissingReport, told);
            }
        }
    }

    /// How many times the counts were made (see [`Queue::overview`]).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Changes the view; the list shown follows at the next [`Queue::refresh`].
    pub fn set_view(&mut self, view: View) {
        if view != self.view {
            self.view = view;
            self.view_changed = true;
        }
    }

    /// The folder's counts (as of the last [`Queue::refresh`]).
    #[must_use]
    pub fn overview(&self) -> &super::overview::Overview {
        &self.overview
    }

    /// The places of the reports shown, in order.
    #[must_use]
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Whether another report shares this one's body and year (its file name tells them apart).
    #[must_use]
    pub fn collides(&self, index: usize) -> bool {
        let Some(entry) = self.entries.get(index) else {
            return false;
        };
        let (Some(body), Some(year)) = (&entry.organization, entry.year) else {
            return false;
        };
        self.names
            .get(body.as_str())
            .and_then(|years| years.iter().find(|(y, _)| *y == year))
            .is_some_and(|(_, n)| *n > 1)
    }
}
