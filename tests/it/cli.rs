//! The command line as a user runs it: output, JSON contract and exit status.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use std::process::{Command, Output};

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(common::path(""))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn clean_reports_pass_with_status_0() {
    let out = nianbao(&[
        "check",
        "assets/samples/001_3bceb6a2129e3845.txt",
        "assets/samples/002_9042ac2a28d37d4e.txt",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    // A line each, and the warning that neither says a word on fees in section 六.
    assert_eq!(text.lines().count(), 4, "{text}");
    assert_eq!(text.matches("SECTION-THIN").count(), 2, "{text}");
    assert!(
        text.contains("尉氏县洧川镇人民政府 2021年度 2021年版 通过"),
        "{text}"
    );
}

#[test]
fn a_folder_is_searched_and_an_error_finding_gives_status_1() {
    let out = nianbao(&["check", "assets/samples", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(
        text.lines().filter(|l| !l.starts_with(' ')).count(),
        5,
        "{text}"
    );
    assert!(text.contains("[error] T4-TOTAL"), "{text}");
    assert!(text.contains("suggest t4.suit_direct.total = 1"), "{text}");
}

#[test]
fn json_is_one_object_per_report_with_every_cell() {
    let out = nianbao(&["check", "--json", "assets/samples"]);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    let r003 = &lines[3];
    assert_eq!(r003["source"]["format"], "txt");
    assert_eq!(r003["source"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(r003["organization"], "咸祥镇");
    assert_eq!(r003["year"], 2020);
    assert_eq!(r003["edition"], "2019");
    assert_eq!(r003["verdict"], "fails");
    assert_eq!(
        lines[0]["verdict"], "needs_review",
        "the unreadable OCR scan never passes"
    );
    assert_eq!(lines[1]["verdict"], "passes");
    let cells = r003["cells"].as_object().unwrap();
    assert_eq!(cells.len(), 22 + 23 * 7 + 15);
    assert_eq!(
        cells.keys().next().map(String::as_str),
        Some("t2.regulations.made"),
        "template order"
    );
    let blank = &cells["t3.new.natural"];
    assert_eq!(blank["value"], serde_json::Value::Null);
    assert_eq!(blank["low_confidence"], true);
    assert_eq!(blank["reasons"][0]["code"], "blank");
    let doubled = &cells["t4.suit_direct.total"];
    assert_eq!(doubled["raw"], "11");
    assert_eq!(doubled["candidates"], serde_json::json!([11, 1]));
    let span = doubled["span"].as_array().unwrap();
    let source = std::fs::read(common::sample("003")).unwrap();
    let offset = |i: usize| usize::try_from(span[i].as_u64().unwrap()).unwrap();
    let (start, end) = (offset(0), offset(1));
    assert_eq!(&source[start..end], b"11");
    assert_eq!(cells["t2.procurement.amount"]["value"], 38.39);
    assert_eq!(cells["t2.punishment.change"]["value"], -7);
    let finding = &r003["findings"][0];
    assert_eq!(finding["rule"], "T4-TOTAL");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["suggestions"][0]["cell"], "t4.suit_direct.total");
    assert_eq!(finding["suggestions"][0]["value"], 1);
}

#[test]
fn a_refused_report_gives_status_1_and_a_reason() {
    let out = nianbao(&["check", "--json", "tests/fixtures/freeform_2017.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["error"]["code"], "not_template");
}

#[test]
fn usage_and_io_errors_give_status_2() {
    let missing = nianbao(&["check", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/folder"));
    assert_eq!(nianbao(&["check"]).status.code(), Some(2));
    assert_eq!(nianbao(&["check", "--bogus", "x"]).status.code(), Some(2));
    let unsupported = nianbao(&["check", "Cargo.toml"]);
    assert_eq!(unsupported.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unsupported.stderr).contains("Cargo.toml：不读取 .toml 文件"));
    let unsupported = nianbao(&["check", "--lang", "en", "Cargo.toml"]);
    assert!(
        String::from_utf8_lossy(&unsupported.stderr)
            .contains("Cargo.toml: .toml files are not read")
    );
}

#[test]
fn a_missing_ocr_engine_is_named_and_the_rest_is_still_checked() {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "check",
            "--lang",
            "en",
            "tests/fixtures/scans/r17_page.png",
            "assets/samples/001_3bceb6a2129e3845.txt",
        ])
        .current_dir(common::path(""))
        .env("NIANBAO_TESSERACT", "/no/such/tesseract")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("r17_page.png: reading a scan needs the OCR engine"),
        "{stderr}"
    );
    assert!(
        stderr.contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
        "{stderr}"
    );
    assert!(
        stdout(&out).contains("尉氏县洧川镇人民政府 2021, 2021 edition, passes"),
        "the text report is still checked"
    );
}

/// A ruled scan without the table recognizer's model: the model and the command that installs
/// it are named (exit 2), and the other reports are still checked. (The office scan of two
/// pages: the six of r03 took the debug build 38 s to reach the same message.)
#[test]
fn a_missing_ocr_model_is_named_and_the_rest_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "tests/fixtures/scans/r17_ruled_office_scan.pdf",
        "assets/samples/001_3bceb6a2129e3845.txt",
    ] {
        let from = common::path(file);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--lang", "en", "."])
        .current_dir(dir.path())
        .env("NIANBAO_MODELS", "/no/such/models")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains("PP-OCRv6") {
        // Without Tesseract or pdftoppm the scan stops before its tables; that message is
        // checked by the test above.
        assert!(stderr.contains("apt-get install"), "{stderr}");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("r17_ruled_office_scan.pdf: reading a scan's tables needs the PP-OCRv6 model PP-OCRv6_rec_small.onnx and ONNX Runtime libonnxruntime.so.1.32.0 in one of /no/such/models: bash scripts/setup-debian.sh ocr"),
        "{stderr}"
    );
    assert!(
        stdout(&out).contains("尉氏县洧川镇人民政府 2021, 2021 edition, passes"),
        "the text report is still checked"
    );
}

#[test]
fn tables_written_as_markdown_read_back_to_the_same_cells() {
    for file in [
        "tests/fixtures/corpus/r03_huaian_2024.pdf",
        "tests/fixtures/corpus/r09_shanghai_office_2019.html",
    ] {
        let out = nianbao(&["text", "--markdown", file]);
        assert_eq!(out.status.code(), Some(0), "{file}");
        let markdown = stdout(&out);
        assert!(
            markdown.contains("（表三）\n\n| 申请人情况 | 自然人 |"),
            "{markdown}"
        );
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("tables.md");
        std::fs::write(&copy, &markdown).unwrap();
        let original = common::read(&common::path(file));
        let again = common::read(&copy);
        for (id, cell) in &original.cells {
            assert_eq!(again.cells[id].value, cell.value, "{file} {id}");
            assert_eq!(
                again.cells[id].is_low_confidence(),
                cell.is_low_confidence(),
                "{file} {id}: a doubtful value stays doubtful, a sure one sure"
            );
        }
    }
}

/// A folder where a body's years are listed in every order: the later year before the earlier
/// (`a_2021` before `b_2020`), a year whose next the folder holds from another body only
/// (`MISSING-REPORT` on a file listed first), and the samples around them.
fn folder_of_years() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = common::path("tests/fixtures/corpus");
    let r12 = std::fs::read_to_string(corpus.join("r12_pingtan_2021.txt")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("a_2021.txt", &r12);
    write("b_2020.txt", &r12.replace("2021年", "2020年"));
    write("0_2022.txt", &r12.replace("2021年", "2022年"));
    std::fs::copy(
        corpus.join("r10_pingtan_2019.txt"),
        dir.path().join("c_2019.txt"),
    )
    .unwrap();
    for entry in std::fs::read_dir(common::path("assets/samples")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn a_folder_checked_on_many_threads_prints_what_one_thread_prints() {
    let dir = folder_of_years();
    let folder = dir.path().to_str().unwrap();
    for mode in [&["--lang", "en"][..], &["--json"]] {
        let run = |jobs: &str| {
            let mut args = vec!["check", folder, "--jobs", jobs];
            args.extend(mode);
            nianbao(&args)
        };
        let one = run("1");
        let text = stdout(&one);
        // No progress bar on a pipe.
        assert!(
            one.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&one.stderr)
        );
        for across in [
            "CARRY-FORWARD",
            "IN-FORCE-CONTINUITY",
            "COPIED-PROSE",
            "MISSING-REPORT",
        ] {
            assert!(text.contains(across), "{across} in {text}");
        }
        for jobs in ["2", "3", "8"] {
            let many = run(jobs);
            assert_eq!(stdout(&many), text, "--jobs {jobs} {mode:?}");
            assert_eq!(many.status.code(), one.status.code());
        }
    }
}

#[test]
fn a_folder_streamed_finds_what_the_folder_read_whole_finds() {
    use nianbao::batch::{Checked, check_files, report_files};
    let dir = folder_of_years();
    let files = report_files(&[dir.path().to_path_buf()]).unwrap().files;
    let whole: String = check_files(&files)
        .iter()
        .map(|checked| match checked {
            Checked::Report(report, findings) => {
                nianbao::output::report_text(report, findings, nianbao::output::Lang::Zh) + "\n"
            }
            Checked::Failed(_) => String::new(),
        })
        .collect();
    let streamed = stdout(&nianbao(&["check", dir.path().to_str().unwrap()]));
    assert_eq!(streamed, whole);
    // The later year listed first still gets what its earlier year, listed after it, says.
    let a_2021 = streamed
        .split("\n/")
        .find(|block| block.contains("a_2021.txt"))
        .unwrap();
    assert!(a_2021.contains("CARRY-FORWARD"), "{a_2021}");
}

/// Every line `check --json` prints, with and without `--explain`, over every kind of fixture
/// (and a file that is not a report), is valid against `schema/report.schema.json`.
#[test]
fn json_output_follows_the_schema_file() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::path("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // Every kind of input, copied (a scan's reading is kept beside it): the samples, the
    // corpus but its six-page scan (a one-page scan stands for it), Markdown, free-form text,
    // and a file that is no report.
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &std::path::Path| {
        let to = dir.path().join(from.file_name().unwrap());
        std::fs::copy(from, to).unwrap();
    };
    for folder in [
        "assets/samples",
        "tests/fixtures/corpus",
        "tests/fixtures/markdown",
    ] {
        for entry in std::fs::read_dir(common::path(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_file() && !name.ends_with("_scan.pdf") {
                copy(&path);
            }
        }
    }
    copy(&common::path("tests/fixtures/freeform_2017.txt"));
    copy(&common::path("tests/fixtures/scans/r17_page.png"));
    std::fs::write(dir.path().join("notes.txt"), "会议纪要：没有表格。").unwrap();
    let mut checked = 0;
    for explain in [false, true] {
        let mut args = vec!["check", "--json", common::arg(dir.path())];
        if explain {
            args.push("--explain");
        }
        for line in stdout(&nianbao(&args)).lines() {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&object)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {errors:#?}",
                object["source"]["path"]
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} objects");
    // The schema does hold something: a count written as text is refused.
    let mut wrong: serde_json::Value = serde_json::from_str(
        stdout(&nianbao(&[
            "check",
            "--json",
            "assets/samples/001_3bceb6a2129e3845.txt",
        ]))
        .trim(),
    )
    .unwrap();
    wrong["cells"]["t3.natural.received"]["value"] = serde_json::json!("5");
    assert!(!validator.is_valid(&wrong));
}
