//! Hostile files and careless colleagues: every file is refused in bounded time with a reason
//! that names it, a folder walk ends and lists each file once, and an export carries only the
//! approvals that still hold.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;
use crate::common::arg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::Reader as _;
use nianbao::record::Record;
use nianbao::store::{Written, load, record_path};

fn nianbao(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON lines of `check --json`, by file name.
fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn copy_samples(dir: &Path, prefixes: &[&str]) {
    for prefix in prefixes {
        let path = common::sample(prefix);
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
}

/// A PDF made of these objects, with a valid cross-reference table.
fn pdf(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(*object);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A page whose form draws itself: the PDF library recurses until its stack overflows.
fn self_drawing_pdf() -> Vec<u8> {
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>",
        b"<< /Length 8 >>\nstream\n/X Do   \nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> /Length 8 >>\nstream\n/X Do   \nendstream",
    ])
}

#[test]
fn deep_web_pages_are_refused_at_once_and_the_rest_of_the_folder_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path(), &["001"]);
    let divs = format!("<html><body>{}x</body></html>", "<div>".repeat(14_000));
    std::fs::write(dir.path().join("divs.html"), divs).unwrap();
    let tables = "<table><tr><td>".repeat(20_000);
    std::fs::write(dir.path().join("tables.html"), tables).unwrap();
    let many = format!("<html><body>{}</body></html>", "<div>".repeat(100_000));
    std::fs::write(dir.path().join("many.htm"), many).unwrap();
    let out = nianbao(&["check", "--json", arg(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4);
    for line in &lines {
        let path = line["source"]["path"].as_str().unwrap();
        if Path::new(path).extension().is_some_and(|e| e == "txt") {
            assert_eq!(line["verdict"], "passes");
        } else {
            assert_eq!(line["error"]["code"], "too_deep", "{line}");
        }
    }
}

#[test]
fn a_pdf_that_crashes_its_reader_is_one_line_and_nothing_else_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path(), &["001"]);
    std::fs::write(dir.path().join("self.pdf"), self_drawing_pdf()).unwrap();
    let out = nianbao(&["check", "--lang", "en", arg(dir.path())], &[]);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("self.pdf: the reader failed"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(text(&out.stdout).contains("passes"), "001 is still checked");
}

/// A PDF the PDF library panics on (a damaged font map, found by the fuzz trial) is refused
/// with its reason, the panic at most one line, whether the reader runs in the worker program
/// or, with the program copied under another name and so without one, on a thread of its own.
#[test]
fn a_pdf_the_library_panics_on_is_refused_without_a_panic_message_either_way() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::path("tests/fixtures/hostile/cmap_panics.pdf"),
        dir.path().join("cmap.pdf"),
    )
    .unwrap();
    let bin = tempfile::tempdir().unwrap();
    let copy = bin.path().join("another-name");
    std::fs::copy(env!("CARGO_BIN_EXE_nianbao"), &copy).unwrap();
    for program in [Path::new(env!("CARGO_BIN_EXE_nianbao")), &copy] {
        let out = Command::new(program)
            .args(["check", arg(dir.path())])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("cmap.pdf：不是可读取的PDF"), "{stderr}");
        assert!(
            !stderr.contains("panicked at") && !stderr.contains("backtrace"),
            "{}: {stderr}",
            program.display()
        );
        assert!(stderr.lines().count() <= 2, "{stderr}");
    }
}

#[test]
fn a_reader_over_its_memory_limit_is_stopped() {
    // 256 MiB of spaces, deflated to a quarter of a megabyte.
    let mut stream = flate_spaces(256);
    let dir = tempfile::tempdir().unwrap();
    let mut content = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    content.append(&mut stream);
    content.extend(b"\nendstream");
    let bomb = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        &content,
    ]);
    let path = dir.path().join("bomb.pdf");
    std::fs::write(&path, bomb).unwrap();
    let out = nianbao(
        &["check", "--json", arg(&path)],
        &[("NIANBAO_READ_MEMORY_MIB", "128")],
    );
    let line = &json_lines(&out)[0];
    assert_eq!(line["error"]["code"], "too_much_memory", "{line}");
}

/// `mib` MiB of spaces as a zlib stream.
fn flate_spaces(mib: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..mib {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.finish().unwrap()
}

#[test]
fn a_stuck_reader_is_killed_at_its_time_limit_with_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in worker that starts a child of its own and never answers.
    let worker = dir.path().join("stuck-worker.sh");
    std::fs::write(&worker, "#!/bin/sh\nsleep 301 &\nsleep 302\n").unwrap();
    Command::new("chmod")
        .args(["755", arg(&worker)])
        .status()
        .unwrap();
    let report = common::path("tests/fixtures/scans/r17_text_layer.pdf");
    let out = nianbao(
        &["check", "--json", arg(&report)],
        &[
            ("NIANBAO_WORKER", arg(&worker)),
            ("NIANBAO_READ_SECONDS", "2"),
        ],
    );
    let line = &json_lines(&out)[0];
    assert_eq!(line["error"]["code"], "too_slow", "{line}");
    let left = Command::new("pgrep")
        .args(["-f", "sleep 30[12]"])
        .output()
        .unwrap();
    assert!(
        left.stdout.is_empty(),
        "the reader's own children were killed too: {}",
        text(&left.stdout)
    );
}

#[test]
fn over_large_text_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, vec![b'x'; 17 << 20]).unwrap();
    let out = nianbao(&["check", "--json", arg(&path)], &[]);
    assert_eq!(json_lines(&out)[0]["error"]["code"], "too_large");
}

#[cfg(unix)]
#[test]
fn pipes_and_link_loops_never_hang_a_folder_and_each_report_is_listed_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path(), &["001", "004"]);
    let fifo = dir.path().join("x.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/up")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("sub"), dir.path().join("sub/again")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("001_3bceb6a2129e3845.txt"),
        dir.path().join("sub/link.txt"),
    )
    .unwrap();
    let out = nianbao(&["check", "--json", "--lang", "en", arg(dir.path())], &[]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "each report once: {}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("x.txt: not a regular file"), "{stderr}");
    assert!(
        stderr.contains("a link back into a folder above"),
        "{stderr}"
    );
    assert!(stderr.contains("link.txt: the same file as"), "{stderr}");
    // The pipe named on its own is refused too, without waiting for a writer.
    let out = nianbao(&["check", "--json", arg(&fifo)], &[]);
    assert_eq!(json_lines(&out)[0]["error"]["code"], "not_a_file");
    // So is a socket, which cannot even be opened.
    let socket = dir.path().join("s.txt");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let out = nianbao(&["check", "--json", arg(&socket)], &[]);
    assert_eq!(json_lines(&out)[0]["error"]["code"], "not_a_file");
}

#[test]
fn folders_with_nothing_to_read_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(&["check", arg(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("没有找到可读取的报告"));
    let named = dir.path().join("x.docx");
    std::fs::create_dir(&named).unwrap();
    let out = nianbao(&["check", arg(&named)], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("x.docx"));
}

#[cfg(unix)]
#[test]
fn file_names_cannot_spoof_the_terminal_and_round_trip_in_json() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample("001");
    let escape = dir.path().join("a\u{1b}[2Jb.txt");
    std::fs::copy(&sample, &escape).unwrap();
    let raw = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"gbk-\xc4\xea\xb1\xa8.txt"));
    std::fs::copy(&sample, &raw).unwrap();
    let out = nianbao(&["check", arg(dir.path())], &[]);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains("a\\u{1b}[2Jb.txt"), "{stdout}");
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let lines = json_lines(&out);
    let bytes = lines
        .iter()
        .find_map(|l| l["source"]["path_bytes"].as_str())
        .unwrap();
    let decoded: Vec<u8> = (0..bytes.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&bytes[i..i + 2], 16).unwrap())
        .collect();
    assert_eq!(
        decoded,
        raw.as_os_str().as_bytes(),
        "the name comes back byte for byte"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for n in 0..40 {
        std::fs::copy(
            common::sample("001"),
            dir.path().join(format!("{n:02}.txt")),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--json", arg(dir.path())])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then hang up, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0_u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// Output that cannot be written (a full disk) is an error the user is told of, not a silent
/// failure, whichever command prints it: `check` writes in blocks, so its failure surfaces at a
/// flush and must still be said; `text` and `approve` print through the same policy (as does
/// `diff`, which prints nothing for a record approved straight through).
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_said_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path(), &["001", "002"]);
    let sample = dir.path().join(common::sample("001").file_name().unwrap());
    let runs: [&[&str]; 3] = [
        &["check", "--lang", "en", arg(dir.path())],
        &["text", "--lang", "en", arg(&sample)],
        &["approve", "--auto", arg(dir.path())],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(
            said.contains("cannot write the output") || said.contains("无法写出结果"),
            "{args:?}: {said}"
        );
    }
}

/// A folder of samples, 001 and 002 approved straight through by the command line.
fn approved_office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path(), &["001", "002", "003"]);
    let out = nianbao(&["approve", "--auto", arg(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir
}

fn record_of(dir: &Path, prefix: &str) -> PathBuf {
    record_path(&dir.join(common::sample(prefix).file_name().unwrap()))
}

#[test]
fn a_hand_edited_record_is_left_out_of_the_export_by_name() {
    let dir = approved_office();
    let record = record_of(dir.path(), "001");
    let saved = std::fs::read_to_string(&record).unwrap();
    // 0 → 777 in one cell's value, as a colleague might in a text editor.
    let at = saved.find("value: Count(0)").unwrap();
    let edited = format!(
        "{}value: Count(777){}",
        &saved[..at],
        &saved[at + "value: Count(0)".len()..]
    );
    std::fs::write(&record, edited).unwrap();
    let out_csv = dir.path().join("out.csv");
    let out = nianbao(&["export", arg(dir.path()), "--to", arg(&out_csv)], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("001_3bceb6a2129e3845.txt.ron: the record no longer matches the seal"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    assert!(!csv.contains("001_3bceb6a2129e3845.txt"), "{csv}");
    assert!(!csv.contains("777"));
    assert!(
        csv.contains("002_9042ac2a28d37d4e.txt"),
        "the other approval is exported"
    );
}

#[test]
fn a_report_changed_after_approval_is_left_out_and_listed() {
    let dir = approved_office();
    let report = dir.path().join(common::sample("002").file_name().unwrap());
    let mut bytes = std::fs::read(&report).unwrap();
    bytes.extend(b"\n");
    std::fs::write(&report, bytes).unwrap();
    let out_csv = dir.path().join("out.csv");
    let out = nianbao(&["export", arg(dir.path()), "--to", arg(&out_csv)], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("002_9042ac2a28d37d4e.txt.ron: the report file changed"),
        "{}",
        text(&out.stderr)
    );
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    assert!(!csv.contains("002_9042ac2a28d37d4e.txt"));
    // `approve` lists it too, and leaves it alone.
    let out = nianbao(&["approve", "--auto", arg(dir.path())], &[]);
    assert!(
        text(&out.stdout).contains("approval no longer holds"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn names_that_look_like_formulas_are_written_as_text_and_long_text_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["=HYPERLINK(\"http:x\",\"y\").txt", "+1+cmd|calc!A0.txt"] {
        std::fs::copy(common::sample("001"), dir.path().join(name)).unwrap();
    }
    let out = nianbao(&["approve", "--auto", arg(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv_path = dir.path().join("out.csv");
    nianbao(&["export", arg(dir.path()), "--to", arg(&csv_path)], &[]);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let files: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert!(
        files.contains(&"'=HYPERLINK(\"http:x\",\"y\").txt".to_owned()),
        "{files:?}"
    );
    assert!(
        files.contains(&"'+1+cmd|calc!A0.txt".to_owned()),
        "{files:?}"
    );

    // One 40,000-character name of a body, in a record approved by hand, does not sink the
    // workbook: it is cut with a marker and said so.
    let record_file = record_path(&dir.path().join("+1+cmd|calc!A0.txt"));
    let mut record: Record = load(&record_file).unwrap();
    let report = common::read(&dir.path().join("+1+cmd|calc!A0.txt"));
    record.organization = Some("很长的单位名称".repeat(6_000));
    record.reopen("张三", nianbao::time::Timestamp(0));
    record
        .approve(&report, "张三", nianbao::time::Timestamp(0))
        .unwrap();
    nianbao::store::save_approved(&record_file, &record, &mut Written::default()).unwrap();
    let xlsx = dir.path().join("out.xlsx");
    let out = nianbao(&["export", arg(dir.path()), "--to", arg(&xlsx)], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cut to 32767"),
        "{}",
        text(&out.stderr)
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("审核结果").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 3, "both reports are written");
    let long = rows
        .iter()
        .map(|r| r[1].to_string())
        .find(|s| s.starts_with("很长"))
        .unwrap();
    assert!(long.ends_with(nianbao::export::CUT_MARKER));
    assert_eq!(long.chars().count(), nianbao::export::XLSX_CELL_CHARS);
    assert!(
        rows.iter()
            .any(|r| r[0].to_string().starts_with("'=HYPERLINK"))
    );
}

#[test]
fn two_straight_through_runs_at_once_approve_each_report_once() {
    for round in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..12 {
            std::fs::copy(
                common::sample("001"),
                dir.path().join(format!("{n:02}a.txt")),
            )
            .unwrap();
            std::fs::copy(
                common::sample("002"),
                dir.path().join(format!("{n:02}b.txt")),
            )
            .unwrap();
        }
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_nianbao"))
                .args(["approve", "--auto", arg(dir.path())])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (run(), run());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let approved = |o: &Output| text(&o.stdout).matches("自动通过 approved").count();
        assert_eq!(approved(&a) + approved(&b), 24, "round {round}");
        let history: Vec<String> = std::fs::read_dir(dir.path().join("nianbao-records/history"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(history.len(), 24, "round {round}: {history:?}");
        assert!(
            history.iter().all(|n| n.ends_with(".v1.ron")),
            "{history:?}"
        );
    }
}

#[test]
fn a_save_cut_short_leaves_nothing_behind_after_the_next() {
    let dir = approved_office();
    let records = dir.path().join("nianbao-records");
    // What a save killed before its rename leaves.
    let left = records.join(".003_9befa24b251bf041.txt.ron.tmp-99999");
    std::fs::write(&left, "(version: 2, sta").unwrap();
    let out = nianbao(&["approve", "--auto", arg(dir.path())], &[]);
    assert_eq!(out.status.code(), Some(0));
    // Only a save cleans (this run saved nothing new): save once more, as the window would.
    let record = load(&record_of(dir.path(), "001")).unwrap();
    let scratch = records.join("scratch.ron");
    nianbao::store::save(&scratch, &record, &mut Written::default()).unwrap();
    assert!(!left.exists(), "the leftover is gone");
}
