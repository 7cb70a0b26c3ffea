//! Many reports at once: finding report files under folders, reading and checking each, and the
//! rules across years of the same body.

use std::io;
use std::path::{Path, PathBuf};

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

/// The report files named by `paths`: files as given, folders searched recursively for files in
/// a readable format, sorted.
///
/// # Errors
/// The first path that does not exist or cannot be listed.
pub fn report_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ListError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|error| ListError {
            path: path.clone(),
            error,
        })?;
        if meta.is_dir() {
            walk(path, 0, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), ListError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let list_error = |error| ListError {
        path: dir.to_path_buf(),
        error,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(list_error)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(list_error)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, depth + 1, out)?;
        } else if format_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
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
    /// Reports or records that could not be read or saved, with why.
    pub failed: Vec<String>,
}

/// Approves, as reviewer `auto`, every report under `folder` that has no finding and no
/// low-confidence cell and no record yet; leaves everything else for a person.
///
/// # Errors
/// When `folder` cannot be listed.
pub fn auto_approve(
    folder: &Path,
    time: crate::time::Timestamp,
) -> Result<AutoApproval, ListError> {
    use crate::record::{AUTO_REVIEWER, Record};
    use crate::store::{load_for, record_path, save_approved};
    let mut out = AutoApproval::default();
    for path in report_files(&[folder.to_path_buf()])? {
        match load_for(&path) {
            Ok(Some(_)) => {
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
        if !findings.is_empty() || report.low_confidence_count() > 0 {
            out.left.push(path);
            continue;
        }
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let mut record = Record::draft(&report, size);
        if let Err(blockers) = record.approve(&report, AUTO_REVIEWER, time) {
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
        match save_approved(&record_path(&path), &record) {
            Ok(_) => out.approved.push(path),
            Err(e) => out.failed.push(e.to_string()),
        }
    }
    Ok(out)
}
