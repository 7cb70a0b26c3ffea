//! Many reports at once: finding report files under folders, reading and checking each, and the
//! rules across years of the same body.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::checks::{Finding, check, check_series};
use crate::model::Report;
use crate::read::{ReadError, format_of, read_file};

/// Folders nested deeper than this are not entered (a guard against link loops).
const MAX_DEPTH: usize = 32;

/// A path that could not be listed.
#[derive(Debug)]
pub struct ListError {
    /// The path.
    pub path: PathBuf,
    /// What the system said.
    pub error: io::Error,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl crate::lang::Localized for ListError {
    fn zh(&self) -> String {
        format!("{}：无法列出：{}", self.path.display(), self.error)
    }

    fn en(&self) -> String {
        self.to_string()
    }
}

/// A file or folder the walk left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// Why the walk left something out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A symbolic link that leads back into a folder being walked.
    LinkLoop,
    /// The same file was already listed under another name (a link to it).
    Duplicate(PathBuf),
    /// Not a regular file (a named pipe, a device): reading it could wait forever.
    NotAFile,
    /// The folder or file could not be read (the system's words).
    Unreadable(String),
}

impl crate::lang::Localized for Skipped {
    fn zh(&self) -> String {
        let path = self.path.display();
        match &self.reason {
            SkipReason::LinkLoop => format!("{path}：符号链接指回上级文件夹，已跳过"),
            SkipReason::Duplicate(first) => {
                format!("{path}：与 {} 是同一个文件，已跳过", first.display())
            }
            SkipReason::NotAFile => format!("{path}：不是普通文件（管道或设备），已跳过"),
            SkipReason::Unreadable(e) => format!("{path}：无法读取，已跳过：{e}"),
        }
    }

    fn en(&self) -> String {
        let path = self.path.display();
        match &self.reason {
            SkipReason::LinkLoop => format!("{path}: a link back into a folder above; skipped"),
            SkipReason::Duplicate(first) => {
                format!("{path}: the same file as {}; skipped", first.display())
            }
            SkipReason::NotAFile => {
                format!("{path}: not a regular file (a pipe or device); skipped")
            }
            SkipReason::Unreadable(e) => format!("{path}: cannot be read, skipped: {e}"),
        }
    }
}

/// The report files found, in order, and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Files in a format the reader takes: each given file, then each folder's, sorted by name.
    pub files: Vec<PathBuf>,
    /// What the walk left out, with why.
    pub skipped: Vec<Skipped>,
}

/// The report files named by `paths`: files as given, folders searched (following links, each
/// file once however many links lead to it) for regular files in a readable format. What cannot
/// be read, loops and duplicates are listed as skipped, and the walk goes on.
///
/// # Errors
/// A path given that does not exist or cannot be looked at.
pub fn report_files(paths: &[PathBuf]) -> Result<Listing, ListError> {
    let mut out = Listing::default();
    let mut seen: HashMap<PathBuf, PathBuf> = HashMap::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|error| ListError {
            path: path.clone(),
            error,
        })?;
        if !meta.is_dir() {
            out.files.push(path.clone());
            continue;
        }
        let walk = WalkDir::new(path)
            .follow_links(true)
            .max_depth(MAX_DEPTH)
            .sort_by_file_name()
            .into_iter()
            // What the program keeps beside the reports (records, OCR pages) is not a report.
            .filter_entry(|e| {
                !(e.file_type().is_dir() && e.file_name() == crate::read::RECORDS_DIR)
            });
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e.path().map_or_else(|| path.clone(), Path::to_path_buf);
                    let reason = if e.loop_ancestor().is_some() {
                        SkipReason::LinkLoop
                    } else {
                        SkipReason::Unreadable(
                            e.io_error()
                                .map_or_else(|| e.to_string(), ToString::to_string),
                        )
                    };
                    out.skipped.push(Skipped { path: at, reason });
                    continue;
                }
            };
            let file = entry.path();
            if entry.file_type().is_dir() || format_of(file).is_none() {
                continue;
            }
            if !entry.file_type().is_file() {
                out.skipped.push(Skipped {
                    path: file.to_path_buf(),
                    reason: SkipReason::NotAFile,
                });
                continue;
            }
            let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
            if let Some(first) = seen.get(&real) {
                out.skipped.push(Skipped {
                    path: file.to_path_buf(),
                    reason: SkipReason::Duplicate(first.clone()),
                });
                continue;
            }
            seen.insert(real, file.to_path_buf());
            out.files.push(file.to_path_buf());
        }
    }
    Ok(out)
}

/// One report, read and checked; or why it could not be read.
#[derive(Debug)]
pub enum Checked {
    /// The report and every finding on it.
    Report(Box<Report>, Vec<Finding>),
    /// It could not be read.
    Failed(ReadError),
}

/// Reads and checks every file, then adds the findings across years to the later report of each
/// pair of the same body.
#[must_use]
pub fn check_files(files: &[PathBuf]) -> Vec<Checked> {
    let mut out: Vec<Checked> = files
        .iter()
        .map(|path| match read_file(path) {
            Ok(report) => {
                let findings = check(&report);
                Checked::Report(Box::new(report), findings)
            }
            Err(error) => Checked::Failed(error),
        })
        .collect();
    let index: Vec<usize> = (0..out.len())
        .filter(|&i| matches!(out[i], Checked::Report(..)))
        .collect();
    let reports: Vec<&Report> = index
        .iter()
        .filter_map(|&i| match &out[i] {
            Checked::Report(r, _) => Some(&**r),
            Checked::Failed(_) => None,
        })
        .collect();
    let series = check_series(&reports);
    for (k, finding) in series {
        if let Checked::Report(_, findings) = &mut out[index[k]] {
            findings.push(finding);
        }
    }
    out
}

/// What a straight-through approval run did.
#[derive(Debug, Default)]
pub struct AutoApproval {
    /// Reports approved without a person: no finding at all, no low-confidence cell.
    pub approved: Vec<PathBuf>,
    /// Reports left for a person.
    pub left: Vec<PathBuf>,
    /// Reports that already have a record (a person's work, or an earlier run): untouched.
    pub kept: Vec<PathBuf>,
    /// Of those, approvals that no longer hold (the report changed since, or the record was
    /// edited by hand), with why: still untouched, but not to be trusted.
    pub stale: Vec<crate::export::LeftOut>,
    /// Reports or records that could not be read or saved, with why.
    pub failed: Vec<String>,
    /// What the folder walk left out.
    pub skipped: Vec<Skipped>,
}

/// Approves, under `reviewer` (`auto` from the command line, the reviewer's own name from the
/// window), every report under `folder` that has no finding that asks a person to look
/// ([`crate::rules::RuleId::asks_a_person`]), no low-confidence cell and no record yet; leaves
/// everything else for a person.
///
/// # Errors
/// When `folder` cannot be listed.
pub fn auto_approve(
    folder: &Path,
    reviewer: &str,
    time: crate::time::Timestamp,
) -> Result<AutoApproval, ListError> {
    use crate::record::Record;
    use crate::store::{load_for, record_path, save_new_approved};
    let mut out = AutoApproval::default();
    let listing = report_files(&[folder.to_path_buf()])?;
    out.skipped = listing.skipped;
    if let Err(e) = crate::store::tidy(&folder.join(crate::store::RECORDS_DIR)) {
        out.failed.push(e.to_string());
    }
    for path in listing.files {
        match load_for(&path) {
            Ok(Some(record)) => {
                out.stale
                    .extend(crate::export::still_holds(&record_path(&path), &record).err());
                out.kept.push(path);
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                out.failed.push(e.to_string());
                continue;
            }
        }
        let report = match read_file(&path) {
            Ok(report) => report,
            Err(e) => {
                out.failed.push(e.to_string());
                continue;
            }
        };
        let findings = check(&report);
        if findings.iter().any(|f| f.rule.asks_a_person()) || report.low_confidence_count() > 0 {
            out.left.push(path);
            continue;
        }
        let mut record = Record::draft(&report);
        if let Err(blockers) = record.approve(&report, reviewer, time) {
            out.failed.push(format!(
                "{}: {}",
                path.display(),
                blockers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            continue;
        }
        // Another run may have made a record since it was looked for: then it is kept.
        match save_new_approved(&record_path(&path), &record) {
            Ok(Some(_)) => out.approved.push(path),
            Ok(None) => out.kept.push(path),
            Err(e) => out.failed.push(e.to_string()),
        }
    }
    Ok(out)
}
