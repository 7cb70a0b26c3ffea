//! The queue: the reports of the opened folder with their state, read on a background thread so
//! that opening a folder of thousands never freezes the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::batch::report_files;
use crate::checks::Finding;
use crate::read::read_file;
use crate::record::Record;
use crate::rules::Severity;
use crate::store::load_for;

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
    /// Where it stands.
    pub status: Status,
}

impl Entry {
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
    let mut entry = Entry {
        path: path.to_path_buf(),
        organization: None,
        year: None,
        status: Status::Pending,
    };
    let report = match read_file(path) {
        Ok(report) => report,
        Err(e) => {
            entry.status = Status::Unreadable(e.to_string());
            return entry;
        }
    };
    entry.organization.clone_from(&report.meta.organization);
    entry.year = report.meta.year;
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
    entry
}

/// The reports of what was opened, filled in as they are read.
#[derive(Debug, Default)]
pub struct Queue {
    /// What was opened (a folder or a file).
    pub root: Option<PathBuf>,
    /// The reports, in file order.
    pub entries: Vec<Entry>,
    /// What the folder walk left out (link loops, duplicates, pipes, unreadable folders).
    pub skipped: Vec<crate::batch::Skipped>,
    incoming: Option<Receiver<(usize, Entry)>>,
}

impl Queue {
    /// Lists the reports under `root` and starts reading them in the background.
    ///
    /// # Errors
    /// When `root` cannot be listed.
    pub fn open(root: &Path) -> Result<Queue, crate::batch::ListError> {
        let crate::batch::Listing { files, skipped } = report_files(&[root.to_path_buf()])?;
        let mut entries: Vec<Entry> = files
            .iter()
            .map(|path| Entry {
                path: path.clone(),
                organization: None,
                year: None,
                status: Status::Pending,
            })
            .collect();
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
        })
    }

    /// Takes in what the background reader has finished; true if anything changed.
    pub fn poll(&mut self) -> bool {
        let Some(receiver) = &self.incoming else {
            return false;
        };
        let mut changed = false;
        loop {
            match receiver.try_recv() {
                Ok((index, entry)) => {
                    if let Some(slot) = self.entries.get_mut(index) {
                        *slot = entry;
                        changed = true;
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.incoming = None;
                    break;
                }
            }
        }
        changed
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
                if let Some(slot) = self.entries.get_mut(index) {
                    *slot = entry;
                }
            }
        }
    }

    /// Brings one entry up to date with the report under review, from what is in memory.
    pub fn update(&mut self, index: usize, review: &super::review::Review) {
        if let Some(entry) = self.entries.get_mut(index) {
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
        }
    }

    /// The next report after `from` (wrapping) that still needs review.
    #[must_use]
    pub fn next_to_review(&self, from: Option<usize>) -> Option<usize> {
        let len = self.entries.len();
        let start = from.map_or(0, |i| i + 1);
        (0..len)
            .map(|k| (start + k) % len)
            .find(|&i| Some(i) != from && self.entries[i].status.needs_review())
    }
}
