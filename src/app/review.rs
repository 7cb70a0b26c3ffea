//! One report under review: its reading, its record, the findings on the values that count, and
//! the undo history. Every change is saved at once as a draft, so nothing is lost if the window is
//! killed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::checks::Finding;
use crate::model::{PageBox, Report, Value};
use crate::read::ReadError;
use crate::record::{
    Action, Blocker, Decision, Reconciled, Record, RecordState, Refused, finding_key,
};
use crate::repair::Suggestion;
use crate::rules::Severity;
use crate::store::{StoreError, Written, load_for, record_path, save, save_approved};
use crate::template::CellId;
use crate::time::Timestamp;

/// The decisions and notes of a record at one moment: what undo goes back to.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    decisions: BTreeMap<CellId, Decision>,
    notes: BTreeMap<String, String>,
}

impl Snapshot {
    fn of(record: &Record) -> Snapshot {
        Snapshot {
            decisions: record.decisions.clone(),
            notes: record.notes.clone(),
        }
    }
}

/// One undoable step: the state before and after.
#[derive(Debug, Clone)]
struct Step {
    before: Snapshot,
    after: Snapshot,
}

/// A report being reviewed.
#[derive(Debug)]
pub struct Review {
    /// The report file.
    pub path: PathBuf,
    /// Its text, as shown beside the tables.
    pub text: String,
    /// The page images shown beside the tables, in page order: a scan's pages, decoded when
    /// the report is opened (off the window's thread), or a PDF's pages drawn after it was
    /// opened ([`Review::show_drawn_pages`]); `None` for a page whose image cannot be decoded,
    /// so that the pages after it keep their places. Empty for other formats.
    pub pages: Vec<Option<image::DynamicImage>>,
    /// Page pixels per point (1/72 inch) of a PDF whose text layer was read: its cells' boxes
    /// are in points, its drawn pages in pixels. `None` until its pages are drawn, and for a
    /// scan, whose cells' boxes are in its pages' pixels already.
    pixels_per_point: Option<f32>,
    /// The program's reading.
    pub report: Report,
    /// The record: decisions, notes, trail, approval.
    pub record: Record,
    /// The findings on the values that count, recomputed after every change.
    pub findings: Vec<Finding>,
    /// Cells named by an error finding, for highlighting.
    pub failing: HashSet<CellId>,
    /// Sum rules that cannot be evaluated yet because a cell has no value.
    pub unchecked: usize,
    /// The indicators an office ranks by, from the values that count, recomputed with the
    /// findings.
    pub indicators: Vec<crate::indicators::Indicator>,
    /// The rules across years on this report (`CARRY-FORWARD`, `IN-FORCE-CONTINUITY`,
    /// `COPIED-PROSE` against last year's report of the body in the folder; `MISSING-REPORT`),
    /// recomputed with the findings. Warnings about the report's place in the folder: shown, and
    /// counted in the queue, but not part of the record's findings.
    pub across_years: Vec<Finding>,
    /// Last year's report of the same body in the folder (its file, and its values that count).
    earlier: Option<(PathBuf, Report)>,
    /// Whether the folder holds other bodies' reports of the next year and none of this body's.
    next_missing: bool,
    /// Whether the neighbours were looked for with the whole folder read.
    pub neighbours_known: bool,
    /// What reopening the saved record found (changed source, stale decisions).
    pub reconciled: Reconciled,
    /// Why the last save failed, if it did; the reviewer must see it.
    pub save_error: Option<StoreError>,
    /// Why the saved record could not be loaded; it is then never written.
    pub load_error: Option<StoreError>,
    /// What the last save wrote, so the next one knows the file is still its own.
    written: Written,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// What approving did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApproveOutcome {
    /// Approved and saved.
    Approved,
    /// Not approved, for these reasons.
    Blocked(Vec<Blocker>),
    /// Approved, but the save failed.
    SaveFailed(StoreError),
}

impl Review {
    /// Opens a report: reads it, and reopens its saved record (reconciled with this reading) or
    /// starts a new draft.
    ///
    /// # Errors
    /// The reader's error when the file cannot be read as a report.
    pub fn open(path: &Path, reviewer: &str) -> Result<Review, ReadError> {
        let crate::read::Loaded {
            report,
            text,
            pages,
        } = crate::read::load_file(path)?;
        let pages = pages
            .iter()
            .map(|bytes| image::load_from_memory(bytes).ok())
            .collect();
        let (record, reconciled, load_error) = match load_for(path) {
            Ok(Some(saved)) => {
                let (record, reconciled) = saved.reconcile(&report, reviewer, Timestamp::now());
                (record, reconciled, None)
            }
            Ok(None) => (Record::draft(&report), Reconciled::default(), None),
            Err(e) => (Record::draft(&report), Reconciled::default(), Some(e)),
        };
        let mut review = Review {
            path: path.to_path_buf(),
            text,
            pages,
            pixels_per_point: None,
            report,
            record,
            findings: Vec::new(),
            failing: HashSet::new(),
            unchecked: 0,
            indicators: Vec::new(),
            across_years: Vec::new(),
            earlier: None,
            next_missing: false,
            neighbours_known: false,
            reconciled,
            save_error: None,
            load_error,
            written: Written::default(),
            undo: Vec::new(),
            redo: Vec::new(),
        };
        review.refresh();
        if review.reconciled.source_changed
            || review.reconciled.seal_broken
            || !review.reconciled.stale.is_empty()
        {
            // What reconciling changed is itself part of the record.
            review.save();
        }
        Ok(review)
    }

    fn refresh(&mut self) {
        let current = self.record.current_report(&self.report);
        self.findings = crate::checks::check(&current);
        self.unchecked = crate::checks::unchecked(&current);
        self.indicators =
            crate::indicators::indicators(&|id| current.value(id), &|id| self.needs_look(id));
        self.failing = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .flat_map(|f| f.cells.iter().copied())
            .collect();
        self.across_years = self.across_years_of(&current);
    }

    /// The rules across years on `current` (this report's values that count).
    fn across_years_of(&self, current: &Report) -> Vec<Finding> {
        let mut out = Vec::new();
        if self.next_missing
            && let (Some(body), Some(year)) = (&current.meta.organization, current.meta.year)
        {
            out.push(crate::checks::missing_report(body, year));
        }
        if let Some((_, earlier)) = &self.earlier {
            out.extend(
                crate::checks::check_series(&[earlier, current])
                    .into_iter()
                    .filter(|(i, f)| *i == 1 && f.rule != crate::rules::RuleId::MissingReport)
                    .map(|(_, f)| f),
            );
        }
        out
    }

    /// Takes in the report's neighbours in the folder: last year's report of the body (its file
    /// and values that count), and whether the body's next report is missing from the folder.
    pub fn set_neighbours(&mut self, earlier: Option<(PathBuf, Report)>, next_missing: bool) {
        self.earlier = earlier;
        self.next_missing = next_missing;
        self.refresh();
    }

    /// The file of last year's report the rules across years compared this one with.
    #[must_use]
    pub fn compared_with(&self) -> Option<&Path> {
        self.earlier.as_ref().map(|(p, _)| p.as_path())
    }

    /// Saves the record as it stands; a failure is kept for the reviewer to see.
    pub fn save(&mut self) {
        if self.load_error.is_some() {
            // The saved record could not be read: it is never overwritten, and the banner says so.
            return;
        }
        let path = record_path(&self.path);
        let result = if self.record.state == RecordState::Approved {
            save_approved(&path, &self.record, &mut self.written).map(|_| ())
        } else {
            save(&path, &self.record, &mut self.written)
        };
        self.save_error = result.err();
    }

    /// Applies a reviewer's action, remembers it for undo, and saves.
    ///
    /// # Errors
    /// [`Refused::Approved`] on an approved record: nothing changes and nothing is saved.
    pub fn act(&mut self, action: Action, reviewer: &str) -> Result<(), Refused> {
        let before = Snapshot::of(&self.record);
        self.record
            .apply(&self.report, action, reviewer, Timestamp::now())?;
        let after = Snapshot::of(&self.record);
        if before != after {
            self.undo.push(Step { before, after });
            self.redo.clear();
        }
        self.refresh();
        self.save();
        Ok(())
    }

    /// Whether the record is approved, and so read-only until reopened.
    #[must_use]
    pub fn is_approved(&self) -> bool {
        self.record.state == RecordState::Approved
    }

    /// Moves the record from one snapshot to another through recorded actions, so that the
    /// trail shows the undo or redo too. Refused, with nothing changed, on an approved record.
    fn restore(&mut self, from: &Snapshot, to: &Snapshot, reviewer: &str) -> Result<(), Refused> {
        if self.is_approved() {
            return Err(Refused::Approved);
        }
        let now = Timestamp::now();
        let cells: Vec<CellId> = from
            .decisions
            .keys()
            .chain(to.decisions.keys())
            .copied()
            .collect();
        for cell in cells {
            if from.decisions.get(&cell) != to.decisions.get(&cell) {
                self.record.apply(
                    &self.report,
                    Action::Restore {
                        cell,
                        decision: to.decisions.get(&cell).cloned(),
                    },
                    reviewer,
                    now,
                )?;
            }
        }
        let keys: Vec<String> = from.notes.keys().chain(to.notes.keys()).cloned().collect();
        for key in keys {
            if from.notes.get(&key) != to.notes.get(&key) {
                let note = to.notes.get(&key).cloned().unwrap_or_default();
                self.record.apply(
                    &self.report,
                    Action::Note { finding: key, note },
                    reviewer,
                    now,
                )?;
            }
        }
        self.refresh();
        self.save();
        Ok(())
    }

    /// Undoes the last change; `Ok(false)` when there is none.
    ///
    /// # Errors
    /// [`Refused::Approved`] on an approved record, whose history stays as it is.
    pub fn undo(&mut self, reviewer: &str) -> Result<bool, Refused> {
        let Some(step) = self.undo.last().cloned() else {
            return Ok(false);
        };
        self.restore(&step.after, &step.before, reviewer)?;
        self.undo.pop();
        self.redo.push(step);
        Ok(true)
    }

    /// Redoes the last undone change; `Ok(false)` when there is none.
    ///
    /// # Errors
    /// As [`Review::undo`].
    pub fn redo(&mut self, reviewer: &str) -> Result<bool, Refused> {
        let Some(step) = self.redo.last().cloned() else {
            return Ok(false);
        };
        self.restore(&step.before, &step.after, reviewer)?;
        self.redo.pop();
        self.undo.push(step);
        Ok(true)
    }

    /// Whether there is something to undo (never on an approved record).
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.is_approved() && !self.undo.is_empty()
    }

    /// Whether there is something to redo (never on an approved record).
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.is_approved() && !self.redo.is_empty()
    }

    /// Approves the record if nothing blocks it, and saves it with its history copy. The undo
    /// history ends here: an approval is withdrawn only by reopening, never by an undo.
    pub fn approve(&mut self, reviewer: &str) -> ApproveOutcome {
        if let Err(blockers) = self
            .record
            .approve(&self.report, reviewer, Timestamp::now())
        {
            return ApproveOutcome::Blocked(blockers);
        }
        self.undo.clear();
        self.redo.clear();
        self.refresh();
        self.save();
        match &self.save_error {
            Some(e) => ApproveOutcome::SaveFailed(e.clone()),
            None => ApproveOutcome::Approved,
        }
    }

    /// Withdraws the approval so the report can be reviewed again, and saves it as a draft;
    /// false when it was not approved.
    pub fn reopen(&mut self, reviewer: &str) -> bool {
        if !self.record.reopen(reviewer, Timestamp::now()) {
            return false;
        }
        self.undo.clear();
        self.redo.clear();
        self.refresh();
        self.save();
        true
    }

    /// Whether this is a PDF with a text layer whose pages can be drawn for the reviewer: its
    /// cells know their boxes in points, and no page is shown yet.
    #[must_use]
    pub fn wants_drawn_pages(&self) -> bool {
        self.report.source.format == crate::model::Format::Pdf
            && self.pages.is_empty()
            && self.report.cells.values().any(|c| {
                c.origin
                    .as_ref()
                    .and_then(|o| o.area)
                    .is_some_and(|a| a.unit == crate::model::PageUnit::Points)
            })
    }

    /// Takes the pages of a PDF with a text layer, drawn at `dpi`, to show beside the tables.
    pub fn show_drawn_pages(&mut self, pages: Vec<Option<image::DynamicImage>>, dpi: f32) {
        self.pages = pages;
        self.pixels_per_point = Some(dpi / 72.0);
    }

    /// Where a cell is on the page images, in their pixels: a scan's cell where OCR read it; a
    /// text PDF's cell from its box in points, once the pages are drawn.
    #[must_use]
    pub fn page_box(&self, cell: CellId) -> Option<PageBox> {
        self.report
            .cells
            .get(&cell)?
            .box_on_page(self.pixels_per_point)
    }

    /// The value that counts for a cell.
    #[must_use]
    pub fn value(&self, cell: CellId) -> Option<Value> {
        self.record.cells.get(&cell).and_then(|c| c.value)
    }

    /// Whether the reviewer must still look at a cell: low-confidence and undecided, or decided
    /// about a reading that has since changed.
    #[must_use]
    pub fn needs_look(&self, cell: CellId) -> bool {
        match self.record.decisions.get(&cell) {
            Some(decision) => decision.stale,
            None => self
                .report
                .cells
                .get(&cell)
                .is_some_and(crate::model::Cell::is_low_confidence),
        }
    }

    /// The suggestions for a cell, from every failed rule that names it.
    #[must_use]
    pub fn suggestions_for(&self, cell: CellId) -> Vec<&Suggestion> {
        self.findings
            .iter()
            .flat_map(|f| &f.suggestions)
            .filter(|s| s.cell == cell)
            .collect()
    }

    /// The note on a finding, if the reviewer wrote one.
    #[must_use]
    pub fn note(&self, finding: &Finding) -> Option<&String> {
        self.record.notes.get(&finding_key(finding))
    }

    /// The next thing that needs the reviewer after `from` (cells in printed order, wrapping):
    /// a cell to look at, or a cell of an error finding that has no note yet.
    #[must_use]
    pub fn next_attention(&self, from: Option<CellId>) -> Option<CellId> {
        let order: Vec<CellId> = self.report.cells.keys().copied().collect();
        let unexplained: HashSet<CellId> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && self.note(f).is_none())
            .filter_map(|f| f.cells.first().copied())
            .collect();
        let start = from
            .and_then(|c| order.iter().position(|&o| o == c))
            .map_or(0, |i| i + 1);
        (0..order.len())
            .map(|k| order[(start + k) % order.len()])
            .find(|&c| self.needs_look(c) || unexplained.contains(&c))
    }

    /// The values failed rules suggest for a cell, each once, in the order they are proposed.
    #[must_use]
    pub fn suggested_values(&self, cell: CellId) -> Vec<Value> {
        let mut values: Vec<Value> = Vec::new();
        for suggestion in self.suggestions_for(cell) {
            if !values.contains(&suggestion.value) {
                values.push(suggestion.value);
            }
        }
        values
    }

    /// The suggestion of this value for this cell, if a failed rule proposes it.
    #[must_use]
    pub fn suggestion(&self, cell: CellId, value: Value) -> Option<&Suggestion> {
        self.suggestions_for(cell)
            .into_iter()
            .find(|s| s.value == value)
    }
}
