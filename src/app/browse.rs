//! Finding a report or a folder to open, without the desktop's own dialog: a folder's subfolders
//! and the files the reader takes, the way up, and the places to start from. The window draws it
//! (`ui::browse`); nothing here depends on a desktop portal, so opening works on a bare X11
//! session and on Windows alike.

use std::path::{Path, PathBuf};

use crate::read::EXTENSIONS;

/// What is being picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// A report file.
    File,
    /// A folder of reports, or to write into.
    Folder,
    /// A file to write: a folder, and a name typed.
    Save,
}

/// One entry of a folder's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name shown.
    pub name: String,
    /// The full path.
    pub path: PathBuf,
    /// Whether it is a folder.
    pub is_dir: bool,
}

/// The open dialog's state: the folder shown, its entries, the one selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// File or folder.
    pub pick: Pick,
    /// The folder shown.
    pub dir: PathBuf,
    /// The place typed into the location field.
    pub location: String,
    /// Its subfolders, then the files the reader takes, each sorted by name.
    pub entries: Vec<Entry>,
    /// The selected entry.
    pub selected: Option<usize>,
    /// Why the folder could not be listed, if it could not.
    pub error: Option<String>,
    /// The file name typed, when saving.
    pub name: String,
    /// The dialog's title where it is not the usual one for its pick (what is being saved).
    pub title: Option<String>,
}

/// The file extensions the dialog shows, from the reader's own list (`.txt .docx …`).
#[must_use]
pub fn extensions_text() -> String {
    EXTENSIONS
        .iter()
        .map(|(ext, _)| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where browsing can start: the home folder, the file system's roots (drive letters on Windows).
#[must_use]
pub fn places() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::env::home_dir().into_iter().collect();
    if cfg!(windows) {
        out.extend(
            ('A'..='Z')
                .map(|d| PathBuf::from(format!("{d}:\\")))
                .filter(|p| p.is_dir()),
        );
    } else {
        out.push(PathBuf::from("/"));
    }
    out
}

impl Browser {
    /// A dialog showing `dir`.
    #[must_use]
    pub fn new(pick: Pick, dir: &Path) -> Browser {
        let mut browser = Browser {
            pick,
            dir: PathBuf::new(),
            location: String::new(),
            entries: Vec::new(),
            selected: None,
            error: None,
            name: String::new(),
            title: None,
        };
        browser.enter(dir);
        browser
    }

    /// A save dialog showing `dir`, offering `name`, titled `title`.
    #[must_use]
    pub fn save(dir: &Path, name: &str, title: &str) -> Browser {
        Browser {
            name: name.to_owned(),
            title: Some(title.to_owned()),
            ..Browser::new(Pick::Save, dir)
        }
    }

    /// Shows another folder; a folder that cannot be listed stays out, with why.
    pub fn enter(&mut self, dir: &Path) {
        match list(dir, self.pick) {
            Ok(entries) => {
                self.dir = dir.to_path_buf();
                self.entries = entries;
                self.selected = None;
                self.error = None;
            }
            Err(e) => self.error = Some(format!("{}: {e}", dir.display())),
        }
        self.location = self.dir.display().to_string();
    }

    /// Shows the folder above, if there is one.
    pub fn up(&mut self) {
        if let Some(parent) = self.dir.parent().map(Path::to_path_buf) {
            self.enter(&parent);
        }
    }

    /// Goes to what was typed into the location field: a folder is shown, a file is chosen.
    pub fn go(&mut self) -> Option<PathBuf> {
        let typed = PathBuf::from(self.location.trim());
        if typed.is_dir() {
            self.enter(&typed);
            None
        } else if typed.is_file() && self.pick == Pick::File {
            Some(typed)
        } else {
            self.error = Some(format!("{}: not found", typed.display()));
            None
        }
    }

    /// Opens an entry: a folder is shown, a file is chosen.
    pub fn activate(&mut self, index: usize) -> Option<PathBuf> {
        let entry = self.entries.get(index)?.clone();
        if entry.is_dir {
            self.enter(&entry.path);
            None
        } else {
            Some(entry.path)
        }
    }

    /// What the dialog's confirm button opens: the selected file, or the folder shown.
    #[must_use]
    pub fn chosen(&self) -> Option<PathBuf> {
        match self.pick {
            Pick::File => self
                .selected
                .and_then(|i| self.entries.get(i))
                .filter(|e| !e.is_dir)
                .map(|e| e.path.clone()),
            Pick::Folder => Some(self.dir.clone()),
            Pick::Save => {
                let name = self.name.trim();
                (!name.is_empty() && !name.contains(['/', '\\'])).then(|| self.dir.join(name))
            }
        }
    }
}

/// A folder's subfolders and, when picking a file, the files the reader takes; hidden entries
/// (names starting with a dot) are left out.
///
/// # Errors
/// When the folder cannot be listed.
pub fn list(dir: &Path, pick: Pick) -> std::io::Result<Vec<Entry>> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            dirs.push(Entry {
                name,
                path,
                is_dir: true,
            });
        } else if pick == Pick::File && crate::read::format_of(&path).is_some() {
            files.push(Entry {
                name,
                path,
                is_dir: false,
            });
        }
    }
    dirs.sort_by(|a, b| a.name.cmp(&b.name));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    dirs.extend(files);
    Ok(dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_lists_its_folders_then_the_reports_the_reader_takes() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = temp.path().to_path_buf();
        std::fs::create_dir_all(dir.join("2024")).unwrap_or_default();
        for name in ["b.pdf", "a.txt", "notes.odt", ".hidden.txt", "c.DOCX"] {
            std::fs::write(dir.join(name), b"x").unwrap_or_default();
        }
        let mut browser = Browser::new(Pick::File, &dir);
        let names: Vec<&str> = browser.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["2024", "a.txt", "b.pdf", "c.DOCX"]);
        assert_eq!(browser.activate(1), Some(dir.join("a.txt")));
        assert_eq!(browser.activate(0), None, "a folder is entered");
        assert_eq!(browser.dir, dir.join("2024"));
        browser.up();
        assert_eq!(browser.dir, dir);
        let folders = Browser::new(Pick::Folder, &dir);
        assert_eq!(folders.entries.len(), 1);
        assert_eq!(folders.chosen(), Some(dir.clone()), "the folder shown");
        assert!(extensions_text().contains(".pdf"));
    }
}
