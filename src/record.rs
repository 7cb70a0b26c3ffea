//! The verified record of one report: every cell as extracted and as decided, the reviewer's
//! decisions keyed by cell id, notes on findings, the audit trail and the approval. A record is
//! plain data; `store` saves it, the review window and the command line change it through
//! [`Record::apply`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::checks::{Finding, check};
use crate::lang::Localized;
use crate::model::{Format, Report, Span, Value};
use crate::rules::Severity;
use crate::template::{CellId, Layout, TableId};
use crate::time::Timestamp;

/// The record format this program writes. Older versions are read and upgraded.
///
/// 1: the first format. 2: an approval carries a seal ([`Approval::seal`]).
pub const RECORD_VERSION: u32 = 2;

/// The program's version, written into records it saves and approves.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The reviewer name of straight-through approvals (`nianbao approve --auto`).
pub const AUTO_REVIEWER: &str = "auto";

/// Where a record is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    /// Work in progress, saved after every change.
    Draft,
    /// Approved by a reviewer.
    Approved,
}

/// What the reviewer did to a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellStatus {
    /// As read by the program; nobody has looked.
    Extracted,
    /// Looked at and kept as read.
    Confirmed,
    /// Changed by the reviewer.
    Corrected,
}

/// Why the reviewer changed a value. The two first kinds go to different places: a misreading is
/// the program's problem, a wrong source is the publishing office's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// The program misread the source; the source is right.
    Misread,
    /// The published report itself is wrong; the value is what it should have said.
    SourceWrong,
    /// A blank cell in a table whose blanks mean zero.
    BlankMeansZero,
}

impl ChangeKind {
    /// The kind in Chinese.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            ChangeKind::Misread => "程序读取有误",
            ChangeKind::SourceWrong => "原文有误",
            ChangeKind::BlankMeansZero => "空白按0处理",
        }
    }

    /// The kind in English.
    #[must_use]
    pub fn en(self) -> &'static str {
        match self {
            ChangeKind::Misread => "misread by the program",
            ChangeKind::SourceWrong => "wrong in the source",
            ChangeKind::BlankMeansZero => "blank means zero",
        }
    }
}

/// What a decision does to its cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DecisionAction {
    /// Keep the value as read.
    Confirm,
    /// Use this value instead.
    Set {
        /// The value; `None` to say the cell is empty.
        value: Option<Value>,
        /// Why it was changed.
        kind: ChangeKind,
        /// The reviewer's words.
        note: String,
    },
}

/// A reviewer's decision on one cell, with what the program had read when it was taken, so that
/// a decision is only reapplied to the reading it was made about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// What to do.
    pub action: DecisionAction,
    /// Who decided.
    pub reviewer: String,
    /// When.
    pub time: Timestamp,
    /// The value the program had read.
    pub read_as: Option<Value>,
    /// The text it had read it from.
    pub raw: String,
    /// Set when the reading changed under the decision: it is kept and shown, not applied.
    #[serde(default)]
    pub stale: bool,
}

/// The source file a record is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSource {
    /// The file name (records live beside their reports, see `store`).
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The format it was read as.
    pub format: Format,
}

/// One cell of the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordCell {
    /// The value that counts: as decided, else as read.
    pub value: Option<Value>,
    /// The value as the program read it.
    pub extracted: Option<Value>,
    /// The text it was read from.
    pub raw: String,
    /// Where that text is in the source.
    pub span: Option<Span>,
    /// The program's confidence in its reading.
    pub confidence: f32,
    /// What the reviewer did.
    pub status: CellStatus,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TrailEvent {
    /// A cell was confirmed as read.
    Confirmed {
        /// The cell.
        cell: CellId,
    },
    /// A cell's value was changed.
    Changed {
        /// The cell.
        cell: CellId,
        /// Its value before.
        before: Option<Value>,
        /// Its value after.
        after: Option<Value>,
        /// Why.
        kind: ChangeKind,
        /// The reviewer's words.
        note: String,
    },
    /// A decision was withdrawn (undo): the cell is back to its previous state.
    Withdrawn {
        /// The cell.
        cell: CellId,
        /// Its value before.
        before: Option<Value>,
        /// Its value after.
        after: Option<Value>,
    },
    /// A note was set on a finding.
    Noted {
        /// The finding's key (rule and cells).
        finding: String,
        /// The note; empty when removed.
        note: String,
    },
    /// The record was approved.
    Approved,
    /// An approved record was reopened for review.
    Reopened,
    /// The record no longer matched the seal of its approval (it was changed outside the
    /// program): the approval was withdrawn.
    SealBroken,
    /// The source file's bytes changed since the record was saved.
    SourceChanged {
        /// The hash the record had.
        before: String,
        /// The hash the file has now.
        after: String,
    },
}

/// An event with who and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailEntry {
    /// When.
    pub time: Timestamp,
    /// Who.
    pub reviewer: String,
    /// What.
    pub event: TrailEvent,
}

/// Who approved, when, with which program, and the seal over what was approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The reviewer (`auto` for straight-through approval).
    pub reviewer: String,
    /// When.
    pub time: Timestamp,
    /// The program version that approved.
    pub program_version: String,
    /// SHA-256 (hex) over everything the record holds at approval but this seal and the version
    /// of the program that last saved it: the values, decisions, notes, findings, trail and the
    /// source's hash. A record edited by hand no longer matches it. `None` in records approved
    /// before seals existed (format 1).
    #[serde(default)]
    pub seal: Option<String>,
}

/// Whether an approval still holds for what the record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seal {
    /// Not approved: nothing to seal.
    NotApproved,
    /// Approved, and the record is what was approved.
    Holds,
    /// Approved, but the record no longer matches its seal: it was changed by hand.
    Broken,
    /// Approved before approvals were sealed: it cannot be checked.
    Missing,
}

impl Approval {
    /// Whether the program approved it without a person (`approve --auto`).
    #[must_use]
    pub fn is_auto(&self) -> bool {
        self.reviewer == AUTO_REVIEWER
    }
}

/// The verified record of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The format version ([`RECORD_VERSION`] when written by this program).
    pub version: u32,
    /// Draft or approved.
    pub state: RecordState,
    /// The program version that last saved it.
    pub program_version: String,
    /// The report file.
    pub source: RecordSource,
    /// The publishing body.
    pub organization: Option<String>,
    /// The report year.
    pub year: Option<u16>,
    /// The title as printed.
    pub title: Option<String>,
    /// Which variant of each table the report prints.
    pub layout: Layout,
    /// Every cell, in printed order.
    pub cells: BTreeMap<CellId, RecordCell>,
    /// The reviewer's decisions, by cell.
    #[serde(default)]
    pub decisions: BTreeMap<CellId, Decision>,
    /// The reviewer's notes on findings, by finding key.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    /// The findings on the values that count, as of the last save.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Everything that happened, in order.
    #[serde(default)]
    pub trail: Vec<TrailEntry>,
    /// The approval, once approved.
    #[serde(default)]
    pub approval: Option<Approval>,
}

/// Something a reviewer does to a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Keep a cell as read.
    Confirm(CellId),
    /// Give a cell a value (or say it is empty), with why.
    Set {
        /// The cell.
        cell: CellId,
        /// The new value.
        value: Option<Value>,
        /// Why.
        kind: ChangeKind,
        /// The reviewer's words.
        note: String,
    },
    /// Fill every blank cell of a table with 0: its blanks mean zero.
    FillBlanks(TableId),
    /// Put a cell back to a previous decision (or none): undo and redo.
    Restore {
        /// The cell.
        cell: CellId,
        /// The decision it had, or `None` for none.
        decision: Option<Decision>,
    },
    /// Set (or, with an empty note, remove) the note on a finding.
    Note {
        /// The finding's key, see [`finding_key`].
        finding: String,
        /// The note.
        note: String,
    },
}

/// Why a record cannot be approved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// A low-confidence cell nobody has confirmed or corrected.
    Unreviewed(CellId),
    /// A decision whose reading changed under it: it must be looked at again.
    Stale(CellId),
    /// An error finding without a reviewer's note: its sentence in Chinese and English.
    UnexplainedError {
        /// The finding in Chinese.
        zh: String,
        /// The finding in English.
        en: String,
    },
}

impl Localized for Blocker {
    fn zh(&self) -> String {
        match self {
            Blocker::Unreviewed(cell) => {
                format!("{}：低可信度单元格尚未确认或更正", cell.label_zh())
            }
            Blocker::Stale(cell) => {
                format!(
                    "{}：读取结果已变化，原审核决定需要重新确认",
                    cell.label_zh()
                )
            }
            Blocker::UnexplainedError { zh, .. } => format!("错误“{zh}”尚无审核说明"),
        }
    }

    fn en(&self) -> String {
        match self {
            Blocker::Unreviewed(cell) => {
                format!(
                    "{}: a low-confidence cell is neither confirmed nor corrected",
                    cell.label_en()
                )
            }
            Blocker::Stale(cell) => format!(
                "{}: its reading changed; the earlier decision needs confirming again",
                cell.label_en()
            ),
            Blocker::UnexplainedError { en, .. } => {
                format!("the error “{en}” has no reviewer's note")
            }
        }
    }
}

impl Blocker {
    /// The cell to go to, if the blocker is about one.
    #[must_use]
    pub fn cell(&self) -> Option<CellId> {
        match self {
            Blocker::Unreviewed(cell) | Blocker::Stale(cell) => Some(*cell),
            Blocker::UnexplainedError { .. } => None,
        }
    }
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh())
    }
}

/// Why a change to a record was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The record is approved: it is read-only until it is reopened for review.
    Approved,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Approved => f.write_str("the record is approved and read-only"),
        }
    }
}

impl std::error::Error for Refused {}

/// A share of a report's table cells printed blank above which approving asks first: a report
/// that is mostly unfilled is rarely what a reviewer means to approve.
pub const DOUBT_BLANK_SHARE: f64 = 0.5;

/// A share of the sum rules that could not run above which approving asks first.
pub const DOUBT_UNCHECKED_SHARE: f64 = 0.25;

/// Something that does not block an approval but is worth a second thought before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// Most cells were printed blank (whatever was decided about them since).
    MostlyBlank {
        /// Cells printed blank.
        blank: usize,
        /// Cells of the layout.
        cells: usize,
    },
    /// Many sum rules cannot run because a cell of theirs has no value.
    ManyUnchecked {
        /// Rules that cannot run.
        unchecked: usize,
        /// Rules of the layout.
        rules: usize,
    },
}

impl Localized for Doubt {
    fn zh(&self) -> String {
        match self {
            Doubt::MostlyBlank { blank, cells } => {
                format!("{cells}个单元格中有{blank}个原文为空白，报告可能大部分未填写")
            }
            Doubt::ManyUnchecked { unchecked, rules } => {
                format!("{rules}项勾稽关系中有{unchecked}项因单元格无值无法检查")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Doubt::MostlyBlank { blank, cells } => {
                format!(
                    "{blank} of {cells} cells are printed blank: the report may be mostly unfilled"
                )
            }
            Doubt::ManyUnchecked { unchecked, rules } => {
                format!("{unchecked} of {rules} checks cannot run: a cell of theirs has no value")
            }
        }
    }
}

/// One value a reviewer changed, as the changes view and the diff list it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The cell.
    pub cell: CellId,
    /// The value the program read.
    pub read_as: Option<Value>,
    /// The value the reviewer gave.
    pub now: Option<Value>,
    /// Why it changed.
    pub kind: ChangeKind,
    /// The reviewer's words.
    pub note: String,
    /// Who.
    pub reviewer: String,
    /// When.
    pub time: Timestamp,
    /// Whether the reading changed under it since (kept, not applied).
    pub stale: bool,
}

/// What reconciling a saved record with a fresh reading found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reconciled {
    /// The source file's bytes changed since the record was saved.
    pub source_changed: bool,
    /// Decisions that no longer fit the reading, kept and shown, not applied.
    pub stale: Vec<CellId>,
    /// Decisions reapplied.
    pub reapplied: usize,
    /// Cells without a decision whose reading changed (a newer program reads them otherwise).
    pub changed_readings: Vec<CellId>,
    /// The record had been changed since its approval (its seal was broken): the approval was
    /// withdrawn.
    pub seal_broken: bool,
}

/// A stable key for a finding: its rule and cells. Notes are keyed by it, so a note stays with
/// its finding across re-runs and is dropped only when the finding is gone.
#[must_use]
pub fn finding_key(finding: &Finding) -> String {
    let cells: Vec<&str> = finding.cells.iter().map(|c| c.as_str()).collect();
    format!("{}:{}", finding.rule.code(), cells.join(","))
}

impl Record {
    /// A new draft record of a freshly read report.
    #[must_use]
    pub fn draft(report: &Report) -> Record {
        let file_name = std::path::Path::new(&report.source.path)
            .file_name()
            .map_or_else(
                || report.source.path.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
        let mut record = Record {
            version: RECORD_VERSION,
            state: RecordState::Draft,
            program_version: PROGRAM_VERSION.to_owned(),
            source: RecordSource {
                file_name,
                size: report.source.size,
                sha256: report.source.sha256.clone(),
                format: report.source.format,
            },
            organization: report.meta.organization.clone(),
            year: report.meta.year,
            title: report.meta.title.clone(),
            layout: report.layout,
            cells: BTreeMap::new(),
            decisions: BTreeMap::new(),
            notes: BTreeMap::new(),
            findings: Vec::new(),
            trail: Vec::new(),
            approval: None,
        };
        record.refresh(report);
        record
    }

    /// The report with the reviewer's decisions applied: decided cells take their value and full
    /// confidence. This is what the checks run on.
    #[must_use]
    pub fn current_report(&self, report: &Report) -> Report {
        let mut current = report.clone();
        for (id, decision) in &self.decisions {
            if decision.stale {
                continue;
            }
            let Some(cell) = current.cells.get_mut(id) else {
                continue;
            };
            if let DecisionAction::Set { value, .. } = &decision.action {
                cell.value = *value;
            }
            cell.confidence = 1.0;
        }
        current
    }

    /// The findings on the values that count.
    #[must_use]
    pub fn current_findings(&self, report: &Report) -> Vec<Finding> {
        check(&self.current_report(report))
    }

    /// Recomputes the cells and findings from the reading and the decisions.
    pub fn refresh(&mut self, report: &Report) {
        self.layout = report.layout;
        self.cells = report
            .cells
            .iter()
            .map(|(&id, cell)| {
                let decision = self.decisions.get(&id).filter(|d| !d.stale);
                let (value, status) = match decision.map(|d| &d.action) {
                    None => (cell.value, CellStatus::Extracted),
                    Some(DecisionAction::Confirm) => (cell.value, CellStatus::Confirmed),
                    Some(DecisionAction::Set { value, .. }) => (*value, CellStatus::Corrected),
                };
                let record_cell = RecordCell {
                    value,
                    extracted: cell.value,
                    raw: cell.raw.to_string(),
                    span: cell.span.clone(),
                    confidence: cell.confidence,
                    status,
                };
                (id, record_cell)
            })
            .collect();
        self.findings = self.current_findings(report);
    }

    fn log(&mut self, reviewer: &str, time: Timestamp, event: TrailEvent) {
        self.trail.push(TrailEntry {
            time,
            reviewer: reviewer.to_owned(),
            event,
        });
    }

    fn decide(
        &mut self,
        report: &Report,
        cell: CellId,
        action: DecisionAction,
        reviewer: &str,
        time: Timestamp,
    ) {
        let Some(read) = report.cells.get(&cell) else {
            return;
        };
        let before = self.cells.get(&cell).and_then(|c| c.value);
        let event = match &action {
            DecisionAction::Confirm => TrailEvent::Confirmed { cell },
            DecisionAction::Set { value, kind, note } => TrailEvent::Changed {
                cell,
                before,
                after: *value,
                kind: *kind,
                note: note.clone(),
            },
        };
        let decision = Decision {
            action,
            reviewer: reviewer.to_owned(),
            time,
            read_as: read.value,
            raw: read.raw.to_string(),
            stale: false,
        };
        self.decisions.insert(cell, decision);
        self.log(reviewer, time, event);
    }

    /// Applies a reviewer's action, logs it in the trail and recomputes cells and findings.
    ///
    /// # Errors
    /// [`Refused::Approved`] on an approved record, which is left unchanged: it is read-only
    /// until the reviewer chooses to review it again ([`Record::reopen`]).
    pub fn apply(
        &mut self,
        report: &Report,
        action: Action,
        reviewer: &str,
        time: Timestamp,
    ) -> Result<(), Refused> {
        if self.state == RecordState::Approved {
            return Err(Refused::Approved);
        }
        match action {
            Action::Confirm(cell) => {
                self.decide(report, cell, DecisionAction::Confirm, reviewer, time);
            }
            Action::Set {
                cell,
                value,
                kind,
                note,
            } => {
                self.decide(
                    report,
                    cell,
                    DecisionAction::Set { value, kind, note },
                    reviewer,
                    time,
                );
            }
            Action::FillBlanks(table) => {
                for cell in self.blanks(report, table) {
                    let Some(zero) = Value::from_integer(cell.kind(), 0) else {
                        continue;
                    };
                    let action = DecisionAction::Set {
                        value: Some(zero),
                        kind: ChangeKind::BlankMeansZero,
                        note: String::new(),
                    };
                    self.decide(report, cell, action, reviewer, time);
                }
            }
            Action::Restore { cell, decision } => {
                let before = self.cells.get(&cell).and_then(|c| c.value);
                match decision {
                    Some(d) => {
                        self.decisions.insert(cell, d);
                    }
                    None => {
                        self.decisions.remove(&cell);
                    }
                }
                self.refresh(report);
                let after = self.cells.get(&cell).and_then(|c| c.value);
                self.log(
                    reviewer,
                    time,
                    TrailEvent::Withdrawn {
                        cell,
                        before,
                        after,
                    },
                );
            }
            Action::Note { finding, note } => {
                if note.trim().is_empty() {
                    self.notes.remove(&finding);
                } else {
                    self.notes.insert(finding.clone(), note.clone());
                }
                self.log(reviewer, time, TrailEvent::Noted { finding, note });
            }
        }
        self.refresh(report);
        Ok(())
    }

    /// The cells of a table printed blank that nobody has decided on yet: what "blanks are 0"
    /// fills. Cells that could not be read at all are not blanks and are left alone.
    #[must_use]
    pub fn blanks(&self, report: &Report, table: TableId) -> Vec<CellId> {
        report
            .cells
            .iter()
            .filter(|(id, c)| {
                id.table() == table
                    && c.value.is_none()
                    && c.reasons.contains(&crate::model::Reason::Blank)
                    && self.decisions.get(id).is_none_or(|d| d.stale)
            })
            .map(|(&id, _)| id)
            .collect()
    }

    /// What stands between this record and approval.
    #[must_use]
    pub fn blockers(&self, report: &Report) -> Vec<Blocker> {
        let mut out = Vec::new();
        for (&id, cell) in &report.cells {
            match self.decisions.get(&id) {
                Some(d) if d.stale => out.push(Blocker::Stale(id)),
                None if cell.is_low_confidence() => out.push(Blocker::Unreviewed(id)),
                Some(_) | None => {}
            }
        }
        for finding in &self.current_findings(report) {
            if finding.severity == Severity::Error
                && !self.notes.contains_key(&finding_key(finding))
            {
                out.push(Blocker::UnexplainedError {
                    zh: finding.message_zh.clone(),
                    en: finding.message_en.clone(),
                });
            }
        }
        out
    }

    /// What is worth a second thought before approving (see [`Doubt`]).
    #[must_use]
    pub fn doubts(&self, report: &Report) -> Vec<Doubt> {
        let mut out = Vec::new();
        let cells = report.cells.len();
        let blank = report
            .cells
            .values()
            .filter(|c| c.reasons.contains(&crate::model::Reason::Blank))
            .count();
        if cells > 0 && share(blank, cells) > DOUBT_BLANK_SHARE {
            out.push(Doubt::MostlyBlank { blank, cells });
        }
        let current = self.current_report(report);
        let rules = crate::rules::relations(report.layout).len();
        let unchecked = crate::checks::unchecked(&current);
        if rules > 0 && share(unchecked, rules) > DOUBT_UNCHECKED_SHARE {
            out.push(Doubt::ManyUnchecked { unchecked, rules });
        }
        out
    }

    /// Approves the record if nothing blocks it.
    ///
    /// # Errors
    /// The blockers, when there are any; the record is unchanged.
    pub fn approve(
        &mut self,
        report: &Report,
        reviewer: &str,
        time: Timestamp,
    ) -> Result<(), Vec<Blocker>> {
        let blockers = self.blockers(report);
        if !blockers.is_empty() {
            return Err(blockers);
        }
        self.refresh(report);
        self.state = RecordState::Approved;
        self.log(reviewer, time, TrailEvent::Approved);
        self.approval = Some(Approval {
            reviewer: reviewer.to_owned(),
            time,
            program_version: PROGRAM_VERSION.to_owned(),
            seal: None,
        });
        let seal = self.digest();
        if let Some(approval) = &mut self.approval {
            approval.seal = Some(seal);
        }
        Ok(())
    }

    /// The SHA-256 of the record's content as sealed (see [`Approval::seal`]).
    #[must_use]
    pub fn digest(&self) -> String {
        /// The sealed part of a record, in a fixed order.
        #[derive(Serialize)]
        struct Sealed<'a> {
            version: u32,
            state: RecordState,
            source: &'a RecordSource,
            organization: &'a Option<String>,
            year: Option<u16>,
            title: &'a Option<String>,
            layout: Layout,
            cells: &'a BTreeMap<CellId, RecordCell>,
            decisions: &'a BTreeMap<CellId, Decision>,
            notes: &'a BTreeMap<String, String>,
            findings: &'a [Finding],
            trail: &'a [TrailEntry],
            approval: Option<(&'a str, Timestamp, &'a str)>,
        }
        let sealed = Sealed {
            version: self.version,
            state: self.state,
            source: &self.source,
            organization: &self.organization,
            year: self.year,
            title: &self.title,
            layout: self.layout,
            cells: &self.cells,
            decisions: &self.decisions,
            notes: &self.notes,
            findings: &self.findings,
            trail: &self.trail,
            approval: self
                .approval
                .as_ref()
                .map(|a| (a.reviewer.as_str(), a.time, a.program_version.as_str())),
        };
        let bytes = serde_json::to_vec(&sealed).unwrap_or_default();
        crate::read::sha256_hex(&bytes)
    }

    /// Whether the approval still holds for what the record says.
    #[must_use]
    pub fn seal(&self) -> Seal {
        match (&self.state, &self.approval) {
            (RecordState::Approved, Some(approval)) => match &approval.seal {
                None => Seal::Missing,
                Some(seal) if *seal == self.digest() => Seal::Holds,
                Some(_) => Seal::Broken,
            },
            (RecordState::Approved, None) => Seal::Missing,
            (RecordState::Draft, _) => Seal::NotApproved,
        }
    }

    /// Withdraws the approval of an approved record so that it can be reviewed again; the trail
    /// says who and when. Returns whether there was an approval to withdraw.
    pub fn reopen(&mut self, reviewer: &str, time: Timestamp) -> bool {
        if self.state != RecordState::Approved {
            return false;
        }
        self.state = RecordState::Draft;
        self.approval = None;
        self.log(reviewer, time, TrailEvent::Reopened);
        true
    }

    /// Fits a saved record to a fresh reading of its source: decisions are reapplied where the
    /// reading they were made about is unchanged, and kept as stale otherwise. If the source's
    /// bytes changed, no decision is reapplied and an approval is withdrawn.
    #[must_use]
    pub fn reconcile(
        mut self,
        report: &Report,
        reviewer: &str,
        time: Timestamp,
    ) -> (Record, Reconciled) {
        let mut outcome = Reconciled::default();
        if self.seal() == Seal::Broken {
            outcome.seal_broken = true;
            self.log(reviewer, time, TrailEvent::SealBroken);
            self.reopen(reviewer, time);
        }
        if self.source.sha256 != report.source.sha256 {
            outcome.source_changed = true;
            let before = std::mem::replace(&mut self.source.sha256, report.source.sha256.clone());
            self.source.size = report.source.size;
            self.log(
                reviewer,
                time,
                TrailEvent::SourceChanged {
                    before,
                    after: report.source.sha256.clone(),
                },
            );
            self.reopen(reviewer, time);
        }
        outcome.changed_readings = report
            .cells
            .iter()
            .filter(|(id, cell)| {
                !self.decisions.contains_key(id)
                    && self
                        .cells
                        .get(id)
                        .is_none_or(|old| old.extracted != cell.value || old.raw != cell.raw)
            })
            .map(|(&id, _)| id)
            .collect();
        if !outcome.changed_readings.is_empty() {
            // An approval covers the values it saw; a new reading needs a new look.
            self.reopen(reviewer, time);
        }
        for (id, decision) in &mut self.decisions {
            let fits = !outcome.source_changed
                && report
                    .cells
                    .get(id)
                    .is_some_and(|c| c.value == decision.read_as && c.raw == decision.raw);
            decision.stale = decision.stale || !fits;
            if decision.stale {
                outcome.stale.push(*id);
            } else {
                outcome.reapplied += 1;
            }
        }
        self.refresh(report);
        (self, outcome)
    }

    /// The values the reviewer changed, in printed order.
    #[must_use]
    pub fn changes(&self) -> Vec<Change> {
        self.decisions
            .iter()
            .filter_map(|(&cell, decision)| match &decision.action {
                DecisionAction::Set { value, kind, note } => Some(Change {
                    cell,
                    read_as: decision.read_as,
                    now: *value,
                    kind: *kind,
                    note: note.clone(),
                    reviewer: decision.reviewer.clone(),
                    time: decision.time,
                    stale: decision.stale,
                }),
                DecisionAction::Confirm => None,
            })
            .collect()
    }

    /// How many cells the reviewer confirmed as read.
    #[must_use]
    pub fn confirmed(&self) -> usize {
        self.decisions
            .values()
            .filter(|d| d.action == DecisionAction::Confirm)
            .count()
    }

    /// Whether this record was approved by the program without a person.
    #[must_use]
    pub fn auto_approved(&self) -> bool {
        self.approval.as_ref().is_some_and(Approval::is_auto)
    }
}

/// `part / whole` as a fraction.
#[expect(clippy::cast_precision_loss, reason = "cell and rule counts are small")]
fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}
