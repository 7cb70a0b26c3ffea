//! Where records live and how they are written: one RON file per report, in a folder
//! `nianbao-records/` beside the reports. Saves are atomic (temporary file, flush, rename), a
//! record that cannot be parsed is never overwritten, and every approval also keeps a numbered
//! copy in `nianbao-records/history/`.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Deserialize;

use crate::record::{RECORD_VERSION, Record};

/// The folder, beside the reports, that holds their records.
pub const RECORDS_DIR: &str = "nianbao-records";

/// The folder, inside [`RECORDS_DIR`], that keeps every approved version.
pub const HISTORY_DIR: &str = "history";

/// Why a record could not be loaded or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// The file system said no.
    Io(String),
    /// The file is not a valid record.
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The record was written by a newer program, in a format this one does not know.
    NewerVersion(u32),
    /// Saving would overwrite a file that is not a valid record; it is left as it is.
    WouldOverwriteUnreadable(Box<StoreErrorKind>),
}

/// A record file that could not be loaded or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: StoreErrorKind,
}

impl fmt::Display for StoreErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreErrorKind::Io(e) => write!(f, "{e}"),
            StoreErrorKind::Parse {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}"),
            StoreErrorKind::NewerVersion(v) => {
                write!(
                    f,
                    "record format version {v} is newer than this program's ({RECORD_VERSION}); update nianbao"
                )
            }
            StoreErrorKind::WouldOverwriteUnreadable(why) => {
                write!(
                    f,
                    "the existing record is not readable ({why}); it was left untouched and nothing was saved"
                )
            }
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.kind)
    }
}

impl crate::lang::Localized for StoreError {
    fn zh(&self) -> String {
        let path = self.path.display();
        match &self.kind {
            StoreErrorKind::Io(e) => format!("{path}：读写失败：{e}"),
            StoreErrorKind::Parse {
                line,
                column,
                message,
            } => format!("{path}：第{line}行第{column}列：审核记录格式有误：{message}"),
            StoreErrorKind::NewerVersion(v) => {
                format!("{path}：审核记录格式版本{v}比本程序（{RECORD_VERSION}）新，请升级 nianbao")
            }
            StoreErrorKind::WouldOverwriteUnreadable(why) => {
                format!("{path}：已有的审核记录无法读取（{why}），已原样保留，本次未保存")
            }
        }
    }

    fn en(&self) -> String {
        self.to_string()
    }
}

impl std::error::Error for StoreError {}

fn io_error(path: &Path, error: &io::Error) -> StoreError {
    StoreError {
        path: path.to_path_buf(),
        kind: StoreErrorKind::Io(error.to_string()),
    }
}

/// The record file of a report file.
#[must_use]
pub fn record_path(report: &Path) -> PathBuf {
    let dir = report.parent().unwrap_or_else(|| Path::new("."));
    let name = report
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    dir.join(RECORDS_DIR).join(format!("{name}.ron"))
}

/// A record as RON text: pretty, with `Some(…)` left implicit so that it reads like a form.
///
/// # Errors
/// Only if serialisation itself fails, which a record's types do not allow in practice.
pub fn to_ron(record: &Record) -> Result<String, ron::Error> {
    // One line per cell and per trail entry: the file reads like a form, and diffs stay short.
    let config = PrettyConfig::new()
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("  ".to_owned())
        .depth_limit(2);
    ron::ser::to_string_pretty(record, config)
}

/// Just the version, read first so that a newer format is named as such, not as a parse error.
#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

fn parse_error(e: &ron::error::SpannedError) -> StoreErrorKind {
    StoreErrorKind::Parse {
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// Parses record text; `path` only names it in errors.
///
/// # Errors
/// A parse error with line and column, or a newer format version.
pub fn parse(text: &str, path: &Path) -> Result<Record, StoreError> {
    let error = |kind| StoreError {
        path: path.to_path_buf(),
        kind,
    };
    let options = ron::Options::default();
    if let Ok(v) = options.from_str::<VersionOnly>(text)
        && v.version > RECORD_VERSION
    {
        return Err(error(StoreErrorKind::NewerVersion(v.version)));
    }
    // Version 1 is the first format; later versions will upgrade older records here.
    options
        .from_str::<Record>(text)
        .map_err(|e| error(parse_error(&e)))
}

/// Loads a record file.
///
/// # Errors
/// When the file cannot be read or is not a valid record.
pub fn load(path: &Path) -> Result<Record, StoreError> {
    let text = fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
    parse(&text, path)
}

/// Loads the record of a report, if it has one.
///
/// # Errors
/// When a record file exists but cannot be read.
pub fn load_for(report: &Path) -> Result<Option<Record>, StoreError> {
    let path = record_path(report);
    if path.exists() {
        load(&path).map(Some)
    } else {
        Ok(None)
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written, flushed
/// to disk and renamed over the target, so a crash leaves the old file or the new, never half.
///
/// # Errors
/// The I/O error; the target is then unchanged and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        // Make the rename itself durable.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Saves a record atomically. A file already there that is not a valid record is never
/// overwritten: the reviewer's data in it may still be recoverable by hand.
///
/// # Errors
/// When the folder cannot be made, the existing file is unreadable, or writing fails.
pub fn save(path: &Path, record: &Record) -> Result<(), StoreError> {
    if path.exists() {
        match fs::read_to_string(path) {
            Ok(text) => {
                if let Err(e) = parse(&text, path) {
                    return Err(StoreError {
                        path: path.to_path_buf(),
                        kind: StoreErrorKind::WouldOverwriteUnreadable(Box::new(e.kind)),
                    });
                }
            }
            Err(e) => return Err(io_error(path, &e)),
        }
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    }
    let text = to_ron(record).map_err(|e| StoreError {
        path: path.to_path_buf(),
        kind: StoreErrorKind::Io(e.to_string()),
    })?;
    write_atomic(path, text.as_bytes()).map_err(|e| io_error(path, &e))
}

/// Saves an approved record and keeps a numbered copy of this version in `history/`.
///
/// # Errors
/// As [`save`].
pub fn save_approved(path: &Path, record: &Record) -> Result<PathBuf, StoreError> {
    save(path, record)?;
    let dir = path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(HISTORY_DIR);
    fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    let name = path
        .file_name()
        .map_or_else(|| "record".into(), |n| n.to_string_lossy().into_owned());
    let stem = name.trim_end_matches(".ron");
    let next = (1..=u32::MAX)
        .find(|n| !dir.join(format!("{stem}.v{n}.ron")).exists())
        .unwrap_or(1);
    let copy = dir.join(format!("{stem}.v{next}.ron"));
    let text = to_ron(record).map_err(|e| StoreError {
        path: copy.clone(),
        kind: StoreErrorKind::Io(e.to_string()),
    })?;
    write_atomic(&copy, text.as_bytes()).map_err(|e| io_error(&copy, &e))?;
    Ok(copy)
}

/// Every record file under `folder`: `*.ron` files inside `nianbao-records` folders (not their
/// history), sorted.
///
/// # Errors
/// When `folder` does not exist or cannot be listed.
pub fn find_records(folder: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut out = Vec::new();
    walk(folder, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), StoreError> {
    if depth > 32 {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    let in_records = dir.file_name().is_some_and(|n| n == RECORDS_DIR);
    for entry in entries {
        let path = entry.map_err(|e| io_error(dir, &e))?.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n != HISTORY_DIR || !in_records)
            {
                walk(&path, depth + 1, out)?;
            }
        } else if in_records && path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
    Ok(())
}
