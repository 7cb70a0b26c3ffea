//! Many reports at once: finding report files under folders, reading and checking each, and the
//! rules across years of the same body.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
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

/// The real path of `file` (its links resolved) as `std::fs::canonicalize` gives it, or `file`
/// where that fails. A file that is not itself a link is its directory's real path and its
/// name, and a directory's real path is found once for all its files (`real_dirs`): a
/// province's folder is one directory of ten thousand files, and resolving each file's whole
/// path cost a twentieth of checking it. Paths are keyed by their bytes with a fast hash (hashing
/// a `Path` takes it apart into its components: a sixth of listing 10,000 files).
fn real_path(file: &Path, is_link: bool, real_dirs: &mut FxHashMap<OsString, PathBuf>) -> PathBuf {
    let whole = || std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let (Some(dir), Some(name), false) = (file.parent(), file.file_name(), is_link) else {
        return whole();
    };
    if let Some(real) = real_dirs.get(dir.as_os_str()) {
        return real.join(name);
    }
    let Ok(real) = std::fs::canonicalize(dir) else {
        return whole();
    };
    let path = real.join(name);
    real_dirs.insert(dir.as_os_str().to_owned(), real);
    path
}

/// The report files named by `paths`: files as given, folders searched (following links, each
/// file once however many links lead to it) for regular files in a readable format. What cannot
/// be read, loops and duplicates are listed as skipped, and the walk goes on.
///
/// # Errors
/// A path given that does not exist or cannot be looked at.
pub fn report_files(paths: &[PathBuf]) -> Result<Listing, ListError> {
    let mut out = Listing::default();
    // Each real path (made by `real_path`, so spelt one way) and the first file found there.
    let mut seen: FxHashMap<OsString, PathBuf> = FxHashMap::default();
    let mut real_dirs = FxHashMap::default();
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
            // By name: the entries of one folder share their folder's path, so their paths
            // compare as their names do, without taking each name out of its path again at
            // every comparison (`sort_by_file_name`: a quarter of listing 10,000 files).
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
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
            let real = real_path(file, entry.path_is_symlink(), &mut real_dirs).into_os_string();
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
/// pair of the same body. Everything is kept: for a folder, [`check_each`] keeps memory flat.
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

/// What a client makes of one checked file (the command line: its lines and verdict), kept in a
/// temporary file while the rest of the folder is checked.
pub trait Spill: Sized {
    /// Writes it out.
    ///
    /// # Errors
    /// When the file cannot be written.
    fn write_to(&self, out: &mut dyn io::Write) -> io::Result<()>;
    /// Reads back what [`Spill::write_to`] wrote.
    ///
    /// # Errors
    /// When the file cannot be read, or holds something else.
    fn read_from(input: &mut dyn io::Read) -> io::Result<Self>;
}

/// Writes a text that may be absent for [`Spill::write_to`]: a mark, its length, its bytes.
///
/// # Errors
/// When `out` cannot be written.
pub fn spill_text(out: &mut dyn io::Write, text: Option<&str>) -> io::Result<()> {
    let Some(text) = text else {
        return out.write_all(&[0]);
    };
    out.write_all(&[1])?;
    out.write_all(&(text.len() as u64).to_le_bytes())?;
    out.write_all(text.as_bytes())
}

/// Reads back a text [`spill_text`] wrote.
///
/// # Errors
/// When `input` cannot be read, or holds no such text.
pub fn unspill_text(input: &mut dyn io::Read) -> io::Result<Option<String>> {
    let invalid =
        |e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidData, e.to_string());
    let mut present = [0];
    input.read_exact(&mut present)?;
    if present[0] == 0 {
        return Ok(None);
    }
    let mut len = [0; 8];
    input.read_exact(&mut len)?;
    let len = usize::try_from(u64::from_le_bytes(len)).map_err(|e| invalid(&e))?;
    let mut bytes = Vec::new();
    // Read no more than is there: a damaged length must not allocate the machine's memory.
    io::Read::read_to_end(&mut io::Read::take(input, len as u64), &mut bytes)?;
    if bytes.len() != len {
        return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
    }
    String::from_utf8(bytes).map(Some).map_err(|e| invalid(&e))
}

/// Reads and checks `files` on `pool`'s threads, and hands each file's [`Checked`], made into
/// what the caller shows by `render` (on the worker's thread), to `emit` in the files' order: the
/// same findings as [`check_files`], in memory that does not grow with the folder.
///
/// A report's findings across years can depend on any file of the folder (`MISSING-REPORT`, a
/// body's earlier year listed after it), so a report is done only once every file has been read.
/// The first pass reads and checks each file, keeps what it made of it in a temporary file and of
/// the report only what the rules across years need ([`Trace`](crate::checks::Trace), with its
/// prose in the temporary file); the second hands out what was kept, in order, except for the
/// reports the rules across years found something on: those are read again, on every core, and
/// made again with those findings. How far each pass has got is told to
/// [`crate::read::progress`].
///
/// A report read again is shown as its file is then, with what the rules across years found on
/// the file as it was in the first pass (a file changed while a folder is checked is not held
/// still).
///
/// # Errors
/// When the temporary file cannot be written or read back.
pub fn check_each<T, R, E>(
    files: &[PathBuf],
    pool: &rayon::ThreadPool,
    render: R,
    mut emit: E,
) -> io::Result<std::ops::ControlFlow<()>>
where
    T: Spill + Send,
    R: Fn(&Path, Checked) -> T + Sync,
    E: FnMut(T) -> std::ops::ControlFlow<()>,
{
    use std::ops::ControlFlow;
    let (survey, mut kept) = survey(files, pool, &render)?;
    let across = survey.across();
    // The second pass: in order, what was kept, or the report made again with what was found.
    let second = |i: usize| -> io::Result<Option<T>> {
        let found = across.on(&survey, i)?;
        if found.is_empty() {
            return Ok(None);
        }
        let path = &files[i];
        let checked = match read_file(path) {
            Ok(report) => {
                let mut findings = check(&report);
                findings.extend(found);
                Checked::Report(Box::new(report), findings)
            }
            Err(error) => Checked::Failed(error),
        };
        Ok(Some(render(path, checked)))
    };
    let mut failure = None;
    crate::read::progress::files_begin(("跨年度核对并输出", "across years, and out"), files.len());
    // Passes on report `i`: what was kept of it (read in any case, to reach the next one's), or
    // the report made again.
    let mut show = |i: usize, again: io::Result<Option<T>>| {
        crate::read::progress::file_done(&files[i]);
        match T::read_from(&mut kept).and_then(|kept| Ok(again?.unwrap_or(kept))) {
            Ok(shown) => emit(shown),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    };
    // Only the reports the rules across years may find something on are handed to the pool;
    // the others are passed on as kept, here, between them (handing each out and back cost
    // more than the pass's work: three wake-ups a report).
    let looked_at: Vec<usize> = (0..files.len()).filter(|&i| across.may_find(i)).collect();
    let mut next = 0;
    let flow = crate::work::ordered(
        pool,
        looked_at.len(),
        |k| second(looked_at[k]),
        |k, again| {
            let i = looked_at[k];
            while next < i {
                show(next, Ok(None))?;
                next += 1;
            }
            next = i + 1;
            show(i, again)
        },
    );
    let flow = if flow.is_break() {
        flow
    } else {
        (next..files.len()).try_for_each(|i| show(i, Ok(None)))
    };
    match failure {
        Some(e) => Err(e),
        None => Ok(flow),
    }
}

/// What [`check_each`]'s first pass kept of each report for the rules across years: its trace
/// and where its prose is in a temporary file.
struct Survey {
    traces: Vec<Option<(crate::checks::Trace, (u64, usize))>>,
    prose: std::sync::Mutex<std::fs::File>,
}

/// The buffer of each temporary file of [`check_each`]: what a report prints is several
/// kilobytes, so the default 8 KiB would make a system call of nearly every report.
const SPILL_BUFFER: usize = 256 * 1024;

/// The first pass of [`check_each`]: every file read, checked and made into what is shown, which
/// is kept, in order, in a temporary file (returned at its start).
fn survey<T, R>(
    files: &[PathBuf],
    pool: &rayon::ThreadPool,
    render: &R,
) -> io::Result<(Survey, io::BufReader<std::fs::File>)>
where
    T: Spill + Send,
    R: Fn(&Path, Checked) -> T + Sync,
{
    use crate::checks::Trace;
    use std::io::{Seek as _, SeekFrom, Write as _};
    use std::ops::ControlFlow;
    let mut kept = io::BufWriter::with_capacity(SPILL_BUFFER, tempfile::tempfile()?);
    let mut prose_file = io::BufWriter::with_capacity(SPILL_BUFFER, tempfile::tempfile()?);
    let mut traces = Vec::with_capacity(files.len());
    let mut prose_end = 0_u64;
    let first = |i: usize| {
        let path = &files[i];
        match read_file(path) {
            Ok(report) => {
                let trace = Trace::of(&report);
                let prose = crate::checks::prose(&report);
                let findings = check(&report);
                let shown = render(path, Checked::Report(Box::new(report), findings));
                (shown, Some((trace, prose)))
            }
            Err(error) => (render(path, Checked::Failed(error)), None),
        }
    };
    let mut keep = |shown: &T, surveyed: Option<(Trace, String)>| -> io::Result<()> {
        shown.write_to(&mut kept)?;
        let trace = match surveyed {
            Some((trace, prose)) => {
                // Prose too short for `COPIED-PROSE` is never compared: kept as nothing.
                let bytes = if crate::checks::long_enough_to_compare(&prose) {
                    prose.as_bytes()
                } else {
                    &[]
                };
                prose_file.write_all(bytes)?;
                let place = (prose_end, bytes.len());
                prose_end += bytes.len() as u64;
                Some((trace, place))
            }
            None => None,
        };
        traces.push(trace);
        Ok(())
    };
    let mut failure = None;
    crate::read::progress::files_begin(("读取并核对", "reading and checking"), files.len());
    let _ = crate::work::ordered(pool, files.len(), first, |i, (shown, surveyed)| {
        crate::read::progress::file_done(&files[i]);
        match keep(&shown, surveyed) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let mut kept = kept.into_inner().map_err(io::IntoInnerError::into_error)?;
    kept.seek(SeekFrom::Start(0))?;
    let prose = prose_file
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    let survey = Survey {
        traces,
        prose: std::sync::Mutex::new(prose),
    };
    Ok((survey, io::BufReader::with_capacity(SPILL_BUFFER, kept)))
}

/// Where the rules across years look, worked out from every report's body and year.
struct Across<'a> {
    filed: Vec<(Option<&'a str>, Option<u16>)>,
    earlier: Vec<Option<usize>>,
    missing: std::collections::HashSet<usize>,
}

impl Survey {
    fn across(&self) -> Across<'_> {
        let filed: Vec<(Option<&str>, Option<u16>)> = self
            .traces
            .iter()
            .map(|t| {
                t.as_ref()
                    .map_or((None, None), |(t, _)| (t.body.as_deref(), t.year))
            })
            .collect();
        Across {
            earlier: crate::checks::earlier_of(&filed),
            missing: crate::checks::missing_next_year(&filed)
                .into_iter()
                .collect(),
            filed,
        }
    }

    /// The prose kept at `place`.
    fn prose(&self, (start, len): (u64, usize)) -> io::Result<String> {
        use std::io::{Read as _, Seek as _, SeekFrom};
        let mut file = self
            .prose
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.seek(SeekFrom::Start(start))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

impl Across<'_> {
    /// Whether the rules across years may find something on the report at `i`: its body's
    /// report of the next year is missing, or its body's report of the year before is there.
    fn may_find(&self, i: usize) -> bool {
        self.missing.contains(&i) || self.earlier[i].is_some()
    }

    /// What the rules across years find on the report at `i`.
    fn on(&self, survey: &Survey, i: usize) -> io::Result<Vec<Finding>> {
        let mut found = Vec::new();
        if self.missing.contains(&i)
            && let (Some(body), Some(year)) = self.filed[i]
        {
            found.push(crate::checks::missing_report(body, year));
        }
        if let Some(e) = self.earlier[i]
            && let (Some((was, was_at)), Some((now, now_at))) =
                (&survey.traces[e], &survey.traces[i])
        {
            let (was_prose, now_prose) = (survey.prose(*was_at)?, survey.prose(*now_at)?);
            found.extend(crate::checks::across_years(
                (was, &was_prose),
                (now, &now_prose),
            ));
        }
        Ok(found)
    }
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
    crate::read::progress::files_begin(("审核", "approving"), listing.files.len());
    for path in listing.files {
        crate::read::progress::file_done(&path);
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

#[cfg(test)]
mod spill_tests {
    use super::*;

    #[test]
    fn a_spilled_text_reads_back_and_a_cut_one_is_an_error() {
        let mut out = Vec::new();
        spill_text(&mut out, Some("咸祥镇 2020年度")).unwrap_or_else(|e| panic!("{e}"));
        spill_text(&mut out, None).unwrap_or_else(|e| panic!("{e}"));
        let mut input = out.as_slice();
        assert_eq!(
            unspill_text(&mut input).ok().flatten().as_deref(),
            Some("咸祥镇 2020年度")
        );
        assert_eq!(unspill_text(&mut input).ok(), Some(None));
        // Cut short, or claiming more than is there: an error, not a vast allocation.
        let mut cut = &out[..out.len() - 3];
        assert!(unspill_text(&mut cut).is_err());
        let mut lying = vec![1_u8];
        lying.extend(u64::MAX.to_le_bytes());
        assert!(unspill_text(&mut lying.as_slice()).is_err());
    }
}

#[cfg(all(test, unix))]
mod listing_tests {
    use super::*;

    /// A folder's files come in the order of their names, each folder's where its name falls
    /// among them: not the order of the whole paths (`a-b.txt` < `a.txt` < `a/z.txt` as bytes).
    #[test]
    fn a_folder_is_listed_by_name_with_its_folders_in_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for folder in ["a", "b"] {
            std::fs::create_dir(root.join(folder)).unwrap();
        }
        for file in ["a.txt", "b/c.txt", "a/z.txt", "a-b.txt", "a/y.txt"] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        let listed = report_files(&[root.to_path_buf()]).unwrap().files;
        let names: Vec<_> = listed
            .iter()
            .map(|file| file.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a/y.txt", "a/z.txt", "a-b.txt", "a.txt", "b/c.txt"]);
    }

    /// A report reached through a linked folder, a linked file, a `..` or the folder itself is
    /// one file: its real path is the same each way, and is the one `canonicalize` gives.
    #[test]
    fn a_file_has_one_real_path_whatever_the_way_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/r.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("b")).unwrap();
        std::os::unix::fs::symlink(root.join("a/r.txt"), root.join("l.txt")).unwrap();
        let real = std::fs::canonicalize(root.join("a/r.txt")).unwrap();
        let mut dirs = FxHashMap::default();
        for (path, is_link) in [
            (root.join("a/r.txt"), false),
            (root.join("b/r.txt"), false),
            (root.join("a/../b/r.txt"), false),
            (root.join("l.txt"), true),
            (root.join("b/r.txt"), false),
        ] {
            assert_eq!(
                real_path(&path, is_link, &mut dirs),
                real,
                "{}",
                path.display()
            );
        }
        let listed = report_files(&[root.to_path_buf()]).unwrap();
        assert_eq!(listed.files.len(), 1, "{:?}", listed.files);
        assert_eq!(listed.skipped.len(), 2, "{:?}", listed.skipped);
    }
}
