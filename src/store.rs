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

pub use crate::read::RECORDS_DIR;

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
    // Version 1 differs from 2 only by lacking seals, which default to none: reading a record
    // upgrades it to the format this program writes.
    let mut record = options
        .from_str::<Record>(text)
        .map_err(|e| error(parse_error(&e)))?;
    record.version = RECORD_VERSION;
    Ok(record)
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

/// The file in a records folder whose lock says one program at a time reads, checks and writes
/// records there; it holds who has it (process, program, time) for the one waiting.
pub const LOCK_FILE: &str = ".lock";

/// The records folder held for one read-check-write: other nianbao processes wait until it is
/// dropped. Taking it also clears what an interrupted save left behind, once per process and
/// folder.
struct FolderLock {
    _file: File,
}

impl FolderLock {
    fn take(dir: &Path) -> Result<FolderLock, StoreError> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let path = dir.join(LOCK_FILE);
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_error(&path, &e))?;
        file.lock().map_err(|e| io_error(&path, &e))?;
        let holder = format!(
            "pid {} · {} · {}\n",
            std::process::id(),
            std::env::args().take(2).collect::<Vec<_>>().join(" "),
            crate::time::Timestamp::now()
        );
        let _ = file
            .set_len(0)
            .and_then(|()| io::Seek::rewind(&mut file))
            .and_then(|()| file.write_all(holder.as_bytes()));
        clean_leftovers(dir);
        Ok(FolderLock { _file: file })
    }
}

/// Clears what interrupted saves left in a records folder (see [`LOCK_FILE`]); nothing to do
/// where there is no such folder.
///
/// # Errors
/// When the folder's lock cannot be taken.
pub fn tidy(records_dir: &Path) -> Result<(), StoreError> {
    if records_dir.is_dir() {
        FolderLock::take(records_dir)?;
    }
    Ok(())
}

/// Who holds a records folder's lock right now, as it wrote itself down (`pid 123 · nianbao
/// approve … · time`); `None` when nobody does.
#[must_use]
pub fn lock_holder(dir: &Path) -> Option<String> {
    let path = dir.join(LOCK_FILE);
    let file = File::open(&path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(_) => fs::read_to_string(&path).ok().map(|s| s.trim().to_owned()),
    }
}

/// Removes the temporary files of saves that were interrupted (`.name.tmp-PID`), in a folder
/// and its history, once per process: under the folder's lock no save is half done.
fn clean_leftovers(dir: &Path) {
    static CLEANED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut cleaned) = CLEANED.lock() else {
        return;
    };
    if cleaned.iter().any(|d| d == dir) {
        return;
    }
    cleaned.push(dir.to_path_buf());
    for folder in [dir.to_path_buf(), dir.join(HISTORY_DIR)] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Refuses to replace a file that is not a valid record: the reviewer's data in it may still be
/// recoverable by hand. A file holding just what this process last wrote is a record.
fn check_replaceable(path: &Path, last: &Written) -> Result<(), StoreError> {
    if !path.exists() {
        return Ok(());
    }
    let text = fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
    if last.0.as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    match parse(&text, path) {
        Ok(_) => Ok(()),
        Err(e) => Err(StoreError {
            path: path.to_path_buf(),
            kind: StoreErrorKind::WouldOverwriteUnreadable(Box::new(e.kind)),
        }),
    }
}

fn write_record(path: &Path, record: &Record, last: &mut Written) -> Result<(), StoreError> {
    let text = to_ron(record).map_err(|e| StoreError {
        path: path.to_path_buf(),
        kind: StoreErrorKind::Io(e.to_string()),
    })?;
    // Forgotten first: after a failed write the file may hold anything.
    last.0 = None;
    write_atomic(path, text.as_bytes()).map_err(|e| io_error(path, &e))?;
    last.0 = Some(text);
    Ok(())
}

fn records_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// What this process last wrote to one record file. Saving again over a file that still holds
/// exactly those bytes needs no parse to know it is a valid record: a reviewer's every keystroke
/// is saved, and parsing the record back each time would cost more than writing it.
#[derive(Debug, Clone, Default)]
pub struct Written(Option<String>);

/// Saves a record atomically, holding the records folder (see [`LOCK_FILE`]). A file already
/// there that is not a valid record is never overwritten. `last` is what this process last
/// wrote there ([`Written::default`] when it does not know), and is brought up to date.
///
/// # Errors
/// When the folder cannot be made, the existing file is unreadable, or writing fails.
pub fn save(path: &Path, record: &Record, last: &mut Written) -> Result<(), StoreError> {
    let _lock = FolderLock::take(records_dir(path))?;
    check_replaceable(path, last)?;
    write_record(path, record, last)
}

/// Saves an approved record and keeps a numbered copy of this version in `history/`. The copy
/// is written first: an interruption leaves at worst a copy of an approval that did not land,
/// never an approval without its copy.
///
/// # Errors
/// As [`save`].
pub fn save_approved(
    path: &Path,
    record: &Record,
    last: &mut Written,
) -> Result<PathBuf, StoreError> {
    let _lock = FolderLock::take(records_dir(path))?;
    check_replaceable(path, last)?;
    let copy = write_history(path, record)?;
    write_record(path, record, last)?;
    Ok(copy)
}

/// Saves an approved record only if the report has none yet, as one step that no other nianbao
/// process can interleave with: two straight-through runs never approve a report twice.
/// Returns the history copy, or `None` when a record was already there (left as it is).
///
/// # Errors
/// As [`save`].
pub fn save_new_approved(path: &Path, record: &Record) -> Result<Option<PathBuf>, StoreError> {
    let _lock = FolderLock::take(records_dir(path))?;
    if path.exists() {
        return Ok(None);
    }
    let copy = write_history(path, record)?;
    write_record(path, record, &mut Written::default())?;
    Ok(Some(copy))
}

/// Writes the next numbered copy of an approved record into `history/`; the caller holds the
/// folder.
fn write_history(path: &Path, record: &Record) -> Result<PathBuf, StoreError> {
    let dir = records_dir(path).join(HISTORY_DIR);
    fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
    let name = path
        .file_name()
        .map_or_else(|| "record".into(), |n| n.to_string_lossy().into_owned());
    let stem = name.trim_end_matches(".ron");
    let next = (1..=u32::MAX)
        .find(|n| !dir.join(format!("{stem}.v{n}.ron")).exists())
        .unwrap_or(1);
    let copy = dir.join(format!("{stem}.v{next}.ron"));
    write_record(&copy, record, &mut Written::default())?;
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
