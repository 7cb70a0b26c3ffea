//! PDF with a text layer: the text as the PDF lays it out, line by line (a table row on one
//! line, its cells separated by spaces), read like a scraped page. The PDF library is run on its
//! own thread with a time limit, and a panic inside it is an error, not a crash.

use std::sync::mpsc;
use std::time::Duration;

/// How long extracting the text of one PDF may take.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The file is not a PDF, or is damaged or truncated.
    Damaged(String),
    /// Reading it took longer than [`TIME_LIMIT`].
    TooSlow,
    /// It has no text layer: a scan, which needs OCR.
    NoTextLayer,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Damaged(e) => write!(f, "not a readable PDF (damaged or truncated: {e})"),
            PdfError::TooSlow => write!(
                f,
                "reading this PDF took longer than {} s; refused",
                TIME_LIMIT.as_secs()
            ),
            PdfError::NoTextLayer => write!(f, "this PDF has no text layer (a scanned image)"),
        }
    }
}

/// The text of a PDF's text layer.
///
/// # Errors
/// A [`PdfError`] for a damaged PDF, one too slow to read, or one without text.
pub fn text(bytes: &[u8]) -> Result<String, PdfError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Damaged("no %PDF header".into()));
    }
    let owned = bytes.to_vec();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&owned));
        let _ = sender.send(result);
    });
    let text = match receiver.recv_timeout(TIME_LIMIT) {
        Err(_) => return Err(PdfError::TooSlow),
        Ok(Err(_)) => return Err(PdfError::Damaged("the PDF reader failed on it".into())),
        Ok(Ok(Err(e))) => return Err(PdfError::Damaged(e.to_string())),
        Ok(Ok(Ok(text))) => text,
    };
    if text.chars().filter(|c| !c.is_whitespace()).count() < 20 {
        return Err(PdfError::NoTextLayer);
    }
    Ok(text)
}
