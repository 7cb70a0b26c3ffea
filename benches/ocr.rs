//! Where the time of reading a scan goes: `cargo bench --bench ocr`. Reads each page of the
//! r03 office scan (6 pages at 200 dpi, tables on pages 3–5) and prints, per page, the time to
//! straighten it, find its rules, load the recognizer, read its cells and read the prose
//! around them; then the first open of the whole file (OCR in the worker) and the cached open.
//! Needs the OCR engines (`bash scripts/setup-debian.sh ocr`); says so and stops without them.

use std::time::Instant;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scan = root.join("tests/fixtures/corpus/r03_huaian_2024_scan.pdf");
    let Ok(bytes) = std::fs::read(&scan) else {
        eprintln!("{}: cannot be read", scan.display());
        return;
    };
    let pages = match nianbao::read::ocr::rasterize(&bytes) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    eprintln!(
        "page  straighten  rules  load  cells (lines)  prose  (cells and prose run side by side)"
    );
    for (n, png) in pages.iter().enumerate() {
        let started = Instant::now();
        match nianbao::read::ocr::recognise_in_stages(png, "png") {
            Ok((_, s)) => eprintln!(
                "{:>4}  {:>9.2?}  {:>5.2?}  {:>4.2?}  {:>6.2?} ({:>3})  {:>5.2?}  = {:.2?}",
                n + 1,
                s.straighten,
                s.rules,
                s.load,
                s.cells,
                s.lines,
                s.prose,
                started.elapsed()
            ),
            Err(e) => {
                eprintln!("page {}: {e}", n + 1);
                return;
            }
        }
    }
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let copy = dir.path().join("r03_huaian_2024_scan.pdf");
    if std::fs::copy(&scan, &copy).is_err() {
        return;
    }
    for open in ["first open (OCR in the worker)", "cached open"] {
        let started = Instant::now();
        let read = nianbao::read::read_file(&copy);
        eprintln!(
            "{open}: {:.2?}{}",
            started.elapsed(),
            read.err().map(|e| format!(" ({e})")).unwrap_or_default()
        );
    }
}
