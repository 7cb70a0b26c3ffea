//! What OCR read from a file, kept by the file's SHA-256 in `nianbao-records/ocr/` beside the
//! reports: reopening a scan, refreshing the queue or checking the folder again never runs the
//! engines twice on the same bytes. An entry made by another version of the engines is not
//! used. The cache is only a shortcut: when it cannot be read or written, the file is read
//! again, and nothing else changes.

use std::path::{Path, PathBuf};

use super::Recognised;

/// The engines and settings an entry was made with; an entry with another is read again.
pub const VERSION: &str = "PP-OCRv6_rec_small on onnxruntime 1.32 + tesseract chi_sim, 200 dpi, cells v6, prose pages read in bands";
/// The folder, inside the records folder, that holds the entries.
pub const DIR: &str = "ocr";

/// One entry: the words and pages, without the page images (kept as PNG files beside it).
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    version: String,
    sha256: String,
    read: Recognised,
    images: usize,
}

/// The cache folder for a report file.
#[must_use]
pub fn folder_for(report: &Path) -> PathBuf {
    report
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(crate::read::RECORDS_DIR)
        .join(DIR)
}

/// What was read from the bytes with this digest, if kept.
#[must_use]
pub fn load(folder: &Path, sha256: &str) -> Option<Recognised> {
    let text = std::fs::read_to_string(folder.join(format!("{sha256}.json"))).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    if entry.version != VERSION || entry.sha256 != sha256 {
        return None;
    }
    let mut read = entry.read;
    read.images = (0..entry.images)
        .map(|n| std::fs::read(folder.join(format!("{sha256}-{n}.png"))).ok())
        .collect::<Option<Vec<_>>>()?;
    Some(read)
}

/// Keeps what was read from the bytes with this digest. The page images are written first and
/// the entry last, each atomically, so a half-written entry is never found.
///
/// # Errors
/// When the folder cannot be made or written.
pub fn store(folder: &Path, sha256: &str, read: &Recognised) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let write = |name: String, bytes: &[u8]| -> std::io::Result<()> {
        let mut file = tempfile::NamedTempFile::new_in(folder)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.persist(folder.join(name)).map_err(|e| e.error)?;
        Ok(())
    };
    for (n, image) in read.images.iter().enumerate() {
        write(format!("{sha256}-{n}.png"), image)?;
    }
    let entry = Entry {
        version: VERSION.to_owned(),
        sha256: sha256.to_owned(),
        read: Recognised {
            images: Vec::new(),
            ..read.clone()
        },
        images: read.images.len(),
    };
    let json = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
    write(format!("{sha256}.json"), json.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_comes_back_as_it_was_kept_and_not_for_other_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let read = Recognised {
            text: "规章 1\n".into(),
            images: vec![vec![1, 2, 3], vec![4]],
            ..Recognised::default()
        };
        store(dir.path(), "abc", &read).unwrap();
        assert_eq!(load(dir.path(), "abc"), Some(read));
        assert_eq!(load(dir.path(), "abd"), None);
        // A missing page image: read again rather than shown without it.
        std::fs::remove_file(dir.path().join("abc-1.png")).unwrap();
        assert_eq!(load(dir.path(), "abc"), None);
    }
}
