//! How far the slow work under way has got — a scan's pages through OCR, seconds each, and the
//! files of a folder being checked, approved or exported — for the command line's progress bar
//! and the window's status line. A reading reports into one table by file; the clients look at
//! it when they draw. A worker process reports through a line of its standard error that the
//! parent recognises.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex, PoisonError};

/// Pages of a file read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// Pages done.
    pub done: usize,
    /// Pages in the file.
    pub of: usize,
}

static UNDER_WAY: LazyLock<Mutex<BTreeMap<String, Pages>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

/// Records how far the reading of `path` has got.
pub fn report(path: &str, pages: Pages) {
    UNDER_WAY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(path.to_owned(), pages);
}

/// Forgets `path`: its reading is over, however it ended.
pub fn finish(path: &str) {
    UNDER_WAY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(path);
}

/// The readings under way with their progress, by file.
#[must_use]
pub fn under_way() -> Vec<(String, Pages)> {
    UNDER_WAY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(path, pages)| (path.clone(), *pages))
        .collect()
}

/// How far a pass over a folder's files has got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Files {
    /// What the pass does, in words for the progress bar (`读取并核对` / `reading and checking`).
    pub doing: (&'static str, &'static str),
    /// Files done.
    pub done: usize,
    /// Files in the pass.
    pub of: usize,
    /// The last file done.
    pub last: String,
}

static FILES: LazyLock<Mutex<Option<Files>>> = LazyLock::new(|| Mutex::new(None));

/// A pass over `of` files starts, doing what `doing` says (Chinese, English).
pub fn files_begin(doing: (&'static str, &'static str), of: usize) {
    *FILES.lock().unwrap_or_else(PoisonError::into_inner) = Some(Files {
        doing,
        done: 0,
        of,
        last: String::new(),
    });
}

/// One more file of the pass is done.
pub fn file_done(path: &std::path::Path) {
    if let Some(files) = FILES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_mut()
    {
        files.done += 1;
        files.last = path.display().to_string();
    }
}

/// How far the pass under way has got, if one is.
#[must_use]
pub fn files() -> Option<Files> {
    FILES.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// How a worker process says on standard error that a page is done.
const LINE: &str = "nianbao-progress ";

/// The line a worker writes for `pages`.
pub(crate) fn line(pages: Pages) -> String {
    format!("{LINE}{}/{}", pages.done, pages.of)
}

/// The progress a worker's line says, if it is one.
pub(crate) fn parse(line: &str) -> Option<Pages> {
    let (done, of) = line.trim().strip_prefix(LINE)?.split_once('/')?;
    Some(Pages {
        done: done.parse().ok()?,
        of: of.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_line_round_trips_and_other_lines_are_not_progress() {
        let pages = Pages { done: 3, of: 6 };
        assert_eq!(parse(&line(pages)), Some(pages));
        assert_eq!(parse("memory allocation of 12 bytes failed"), None);
        report("a.pdf", pages);
        assert!(under_way().contains(&("a.pdf".to_owned(), pages)));
        finish("a.pdf");
        assert!(!under_way().iter().any(|(p, _)| p == "a.pdf"));
    }
}
