//! Helpers shared by the integration tests: paths of the bundled fixtures and reading them.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use std::path::PathBuf;

use nianbao::model::Report;

/// A moment the tests' records are made at (2026-11-22 10:11:21 in Beijing).
pub const T: nianbao::time::Timestamp = nianbao::time::Timestamp(1_795_313_481);

/// The program run with `args`, its output once it ends.
pub fn nianbao(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap()
}

/// A cell id the test knows exists.
pub fn id(text: &str) -> nianbao::template::CellId {
    nianbao::template::CellId::parse(text).unwrap_or_else(|| panic!("unknown cell id {text}"))
}

/// A path as a command-line argument.
pub fn arg(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

/// A path under the crate root.
pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The bundled sample whose file name starts with `prefix` (`003`).
pub fn sample(prefix: &str) -> PathBuf {
    let dir = path("assets/samples");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no sample {prefix} in {}", dir.display()))
}

/// Reads a report file, failing the test with the reader's message.
pub fn read(path: &std::path::Path) -> Report {
    nianbao::read::read_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// A cell's value as the JSON of the command line writes it.
pub fn value_json(report: &Report, id: &str) -> serde_json::Value {
    let id = nianbao::template::CellId::parse(id).unwrap_or_else(|| panic!("unknown cell id {id}"));
    report
        .value(id)
        .map_or(serde_json::Value::Null, nianbao::output::value_json)
}

/// Whether two JSON numbers (or nulls) are the same value.
pub fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// The gold file of a corpus report (`tests/fixtures/corpus/{name}.gold.json`).
pub fn gold(name: &str) -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(path(&format!("tests/fixtures/corpus/{name}.gold.json"))).unwrap(),
    )
    .unwrap()
}

/// The body and year as the gold has them; every gold cell right, or wrong only where flagged;
/// every cell the gold doubts flagged.
pub fn assert_gold(report: &Report, gold: &serde_json::Value, what: &str) {
    assert_eq!(
        report.meta.organization.as_deref(),
        gold["organization"].as_str(),
        "{what}"
    );
    assert_eq!(
        report.meta.year.map(u64::from),
        gold["year"].as_u64(),
        "{what}"
    );
    assert_eq!(
        report.edition().as_str(),
        gold["edition"].as_str().unwrap(),
        "{what}"
    );
    let mut wrong = Vec::new();
    for (id, want) in gold["cells"].as_object().unwrap() {
        let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
        let got = value_json(report, id);
        if !same(&got, want) && !cell.is_low_confidence() {
            wrong.push(format!("{id}: got {got}, gold {want}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{what}: wrong and not flagged:\n{}",
        wrong.join("\n")
    );
    for id in gold["low_confidence"].as_array().unwrap() {
        let id = nianbao::template::CellId::parse(id.as_str().unwrap()).unwrap();
        assert!(
            report.cells[&id].is_low_confidence(),
            "{what}: {id} must be flagged"
        );
    }
}

/// How many of the gold's cells the report reads right.
pub fn right_count(report: &Report, gold: &serde_json::Value) -> usize {
    gold["cells"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, want)| same(&value_json(report, id), want))
        .count()
}

/// Whether `program` runs and says `expect` when asked with `arg` (an optional system tool the
/// test then uses, or checks the message that names it).
pub fn installed(program: &str, arg: &str, expect: &str) -> bool {
    std::process::Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| {
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            all.contains(expect)
        })
}

/// Whether `pdftoppm` (poppler-utils), which draws a PDF's pages, is installed.
pub fn pdftoppm_installed() -> bool {
    installed("pdftoppm", "-v", "pdftoppm")
}

/// Whether the OCR engine with its Chinese model is installed.
pub fn tesseract_installed() -> bool {
    installed("tesseract", "--list-langs", "chi_sim")
}
