//! How far the slow readings under way have got — a scan's pages through OCR, seconds each — for
//! the command line's progress line and the window's status line. A reading reports into one
//! table by file; the clients look at it when they draw. A worker process reports through a
//! line of its standard error that the parent recognises.

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
