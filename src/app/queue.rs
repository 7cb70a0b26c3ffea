//! The queue: the reports of the opened folder with their state, read on a background thread so
//! that opening a folder of thousands never freezes the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::batch::report_files;
use crate::checks::Severity;
use crate::read::read_file;
use crate::record::{Record, RecordState};
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
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let (record, started) = match load_for(path) {
        Ok(Some(saved)) => (
            saved
                .reconcile(&report, size, "", crate::time::Timestamp(0))
                .0,
            true,
        ),
        Ok(None) => (Record::draft(&report, size), false),
        Err(e) => {
            entry.status = Status::RecordUnreadable(e.to_string());
            return entry;
        }
    };
    entry.status = if record.state == RecordState::Approved {
        Status::Approved {
            auto: record.auto_approved(),
        }
    } else {
        let findings = record.current_findings(&report);
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let to_look_at = report
            .cells
            .iter()
            .filter(|(id, c)| match record.decisions.get(id) {
                Some(d) => d.stale,
                None => c.is_low_confidence(),
            })
            .count();
        Status::Open {
            started,
            errors,
            warnings: findings.len() - errors,
            to_look_at,
        }
    };
    entry
}

/// The reports of what was opened, filled in as they are read.
#[derive(Debug, Default)]
pub struct Queue {
    /// What was opened (a folder or a file).
    pub root: Option<PathBuf>,
    /// The reports, in file order.
    pub entries: Vec<Entry>,
    incoming: Option<Receiver<(usize, Entry)>>,
}

impl Queue {
    /// Lists the reports under `root` and starts reading them in the background.
    ///
    /// # Errors
    /// When `root` cannot be listed.
    pub fn open(root: &Path) -> Result<Queue, String> {
        let files = report_files(&[root.to_path_buf()]).map_err(|e| e.to_string())?;
        let entries: Vec<Entry> = files
            .iter()
            .map(|path| Entry {
                path: path.clone(),
                organization: None,
                year: None,
                status: Status::Pending,
            })
            .collect();
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            for (index, path) in files.iter().enumerate() {
                if sender.send((index, summarize(path))).is_err() {
                    return;
                }
            }
        });
        Ok(Queue {
            root: Some(root.to_path_buf()),
            entries,
            incoming: Some(receiver),
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

    /// Re-reads one entry after its review changed it.
    pub fn refresh(&mut self, index: usize) {
        if let Some(entry) = self.entries.get_mut(index) {
            *entry = summarize(&entry.path);
        }
    }
}
