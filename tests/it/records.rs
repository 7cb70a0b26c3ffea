//! Verified records: round trips, older files, integrity, stale decisions, atomic saves under a
//! crashing writer, and the approval rules.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;
use crate::common::{T, id};

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use nianbao::model::Value;
use nianbao::record::{
    Action, Blocker, CellStatus, ChangeKind, Record, RecordState, Refused, Seal, TrailEntry,
    TrailEvent, finding_key,
};
use nianbao::store::{
    StoreErrorKind, Written, load, parse, record_path, save, save_approved, to_ron,
};
use nianbao::template::TableId;

/// 003 reviewed the way a person would: blanks of 表三 filled with 0, the doubled `11` corrected
/// as a misreading, a note on what remains.
fn reviewed_003() -> (nianbao::model::Report, Record) {
    let report = common::read(&common::sample("003"));
    let mut record = Record::draft(&report);
    record
        .apply(&report, Action::FillBlanks(TableId::T3), "张三", T)
        .unwrap();
    record
        .apply(
            &report,
            Action::Set {
                cell: id("t4.suit_direct.total"),
                value: Some(Value::Count(1)),
                kind: ChangeKind::Misread,
                note: "11 为 1 的重复".into(),
            },
            "张三",
            T,
        )
        .unwrap();
    for cell in [
        "t4.review.upheld",
        "t4.review.corrected",
        "t4.review.other",
        "t4.review.pending",
        "t4.suit_direct.upheld",
        "t4.suit_after_review.upheld",
        "t4.suit_after_review.other",
        "t4.suit_after_review.pending",
    ] {
        record
            .apply(&report, Action::Confirm(id(cell)), "张三", T)
            .unwrap();
    }
    (report, record)
}

#[test]
fn extract_correct_save_load_gives_the_same_record() {
    let (_, record) = reviewed_003();
    assert_eq!(
        record.cells[&id("t4.suit_direct.total")].value,
        Some(Value::Count(1))
    );
    assert_eq!(
        record.cells[&id("t4.suit_direct.total")].extracted,
        Some(Value::Count(11))
    );
    assert_eq!(
        record.cells[&id("t4.suit_direct.total")].status,
        CellStatus::Corrected
    );
    assert_eq!(
        record.cells[&id("t3.new.natural")].value,
        Some(Value::Count(0))
    );
    assert!(
        record.findings.is_empty(),
        "the correction makes 表四 add up: {:?}",
        record.findings
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nianbao-records/003.txt.ron");
    save(&path, &record, &mut Written::default()).unwrap();
    assert_eq!(load(&path).unwrap(), record);
    // The trail says who did what: 138 blanks, one correction, eight confirmations.
    assert_eq!(record.trail.len(), 138 + 1 + 8);
}

#[test]
fn a_record_saved_by_version_1_still_loads() {
    // Written by this program's first record format and committed: every later version must read it.
    let path = common::path("tests/fixtures/records/v1_003.txt.ron");
    let record = load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(record.version, 2, "read as the format this program writes");
    assert_eq!(record.state, RecordState::Approved);
    // Approved before approvals were sealed: it says so rather than pass as checked.
    assert_eq!(record.seal(), Seal::Missing);
    assert_eq!(
        record.cells[&id("t4.suit_direct.total")].value,
        Some(Value::Count(1))
    );
    assert_eq!(record.approval.as_ref().unwrap().reviewer, "张三");
    // Fields added later default when an older file lacks them.
    let minimal =
        std::fs::read_to_string(common::path("tests/fixtures/records/v1_minimal.ron")).unwrap();
    let record = parse(&minimal, Path::new("v1_minimal.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert!(record.decisions.is_empty() && record.trail.is_empty() && record.approval.is_none());
}

#[test]
fn the_version_2_fixture_is_what_this_program_writes() {
    // Regenerate with: NIANBAO_WRITE_FIXTURES=1 cargo test --test it records::
    let (report, mut record) = reviewed_003();
    record.approve(&report, "张三", T).unwrap();
    assert_eq!(record.seal(), Seal::Holds);
    let text = to_ron(&record).unwrap();
    let path = common::path("tests/fixtures/records/v2_003.txt.ron");
    if std::env::var_os("NIANBAO_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_newer_or_broken_record_is_refused_with_where() {
    let newer = to_ron(&reviewed_003().1)
        .unwrap()
        .replacen("version: 2,", "version: 7,", 1);
    let error = parse(&newer, Path::new("newer.ron")).unwrap_err();
    assert_eq!(error.kind, StoreErrorKind::NewerVersion(7));
    let broken = to_ron(&reviewed_003().1)
        .unwrap()
        .replacen("state: Draft,", "state: Drafty,", 1);
    let error = parse(&broken, Path::new("broken.ron")).unwrap_err();
    let StoreErrorKind::Parse { line, column, .. } = error.kind else {
        panic!("{error}")
    };
    assert_eq!((line, column), (4, 10), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("broken.ron: line 4, column 10: "),
        "{error}"
    );
}

#[test]
fn an_unreadable_record_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.ron");
    std::fs::write(&path, "(version: 1, state: Dra").unwrap();
    let error = save(&path, &reviewed_003().1, &mut Written::default()).unwrap_err();
    assert!(
        matches!(error.kind, StoreErrorKind::WouldOverwriteUnreadable(_)),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(version: 1, state: Dra"
    );
}

/// The program saves again over its own file without reading it back; a file damaged since its
/// last save is still never overwritten.
#[test]
fn a_record_damaged_after_its_last_save_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.ron");
    let record = reviewed_003().1;
    let mut written = Written::default();
    save(&path, &record, &mut written).unwrap();
    save(&path, &record, &mut written).unwrap();
    std::fs::write(&path, "(version: 1, state: Dra").unwrap();
    let error = save(&path, &record, &mut written).unwrap_err();
    assert!(
        matches!(error.kind, StoreErrorKind::WouldOverwriteUnreadable(_)),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(version: 1, state: Dra"
    );
}

#[test]
fn reading_again_reapplies_decisions_and_shows_stale_ones() {
    let (report, record) = reviewed_003();
    let (again, outcome) = record.clone().reconcile(&report, "李四", T);
    assert!(!outcome.source_changed);
    assert!(outcome.stale.is_empty());
    assert_eq!(outcome.reapplied, record.decisions.len());
    assert_eq!(again.cells, record.cells);

    // A newer program reads the doubled cell otherwise: the decision is kept, shown, not applied.
    let mut reread = report.clone();
    reread
        .cells
        .get_mut(&id("t4.suit_direct.total"))
        .unwrap()
        .value = Some(Value::Count(1));
    let (again, outcome) = record.reconcile(&reread, "李四", T);
    assert_eq!(outcome.stale, [id("t4.suit_direct.total")]);
    assert!(again.decisions[&id("t4.suit_direct.total")].stale);
    assert!(
        again
            .blockers(&reread)
            .contains(&Blocker::Stale(id("t4.suit_direct.total")))
    );
}

#[test]
fn a_changed_source_is_said_plainly_and_its_old_values_not_reused() {
    let (report, mut record) = reviewed_003();
    record.approve(&report, "张三", T).unwrap();
    let text = std::fs::read_to_string(common::sample("003"))
        .unwrap()
        .replace("38.39万", "38.40万");
    let changed =
        nianbao::read::read_bytes("003.txt", text.as_bytes(), nianbao::model::Format::Txt).unwrap();
    let (again, outcome) = record.reconcile(&changed, "李四", T);
    assert!(outcome.source_changed);
    assert_eq!(
        again.state,
        RecordState::Draft,
        "an approval covers the bytes it saw"
    );
    assert!(
        again.decisions.values().all(|d| d.stale),
        "no old decision is silently reused"
    );
    assert_eq!(
        again.cells[&id("t4.suit_direct.total")].value,
        Some(Value::Count(11)),
        "values as read now"
    );
    assert!(matches!(
        again.trail.iter().rev().nth(1).map(|e| &e.event),
        Some(nianbao::record::TrailEvent::SourceChanged { .. })
    ));
}

#[test]
fn approval_needs_every_doubt_resolved_and_every_error_explained() {
    let report = common::read(&common::sample("003"));
    let mut record = Record::draft(&report);
    let blockers = record.approve(&report, "张三", T).unwrap_err();
    assert!(blockers.contains(&Blocker::Unreviewed(id("t3.new.natural"))));
    assert!(
        blockers
            .iter()
            .any(|b| matches!(b, Blocker::UnexplainedError { zh, .. } if zh.contains("表四")))
    );
    // Confirm everything as read: the T4 error remains and still needs a note.
    for (&cell, c) in &report.cells {
        if c.is_low_confidence() {
            record
                .apply(&report, Action::Confirm(cell), "张三", T)
                .unwrap();
        }
    }
    let blockers = record.approve(&report, "张三", T).unwrap_err();
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    let key = finding_key(&record.current_findings(&report)[0]);
    record
        .apply(
            &report,
            Action::Note {
                finding: key,
                note: "发布单位原表如此".into(),
            },
            "张三",
            T,
        )
        .unwrap();
    record.approve(&report, "张三", T).unwrap();
    assert_eq!(record.state, RecordState::Approved);
    assert_eq!(
        record
            .notes
            .get(&finding_key(&record.findings[0]))
            .map(String::as_str),
        Some("发布单位原表如此")
    );
    // An approved record is read-only: a change is refused and nothing moves.
    let before = record.clone();
    assert_eq!(
        record.apply(&report, Action::Confirm(id("t2.fees.change")), "李四", T),
        Err(Refused::Approved)
    );
    assert_eq!(record, before);
    // Only reopening withdraws the approval, and the trail says who did.
    assert!(record.reopen("李四", T));
    assert_eq!(record.state, RecordState::Draft);
    assert!(record.approval.is_none());
    assert!(matches!(
        record.trail.last(),
        Some(TrailEntry { reviewer, event: TrailEvent::Reopened, .. }) if reviewer == "李四"
    ));
    record
        .apply(&report, Action::Confirm(id("t2.fees.change")), "李四", T)
        .unwrap();
}

#[test]
fn approved_versions_are_kept_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("003.txt");
    let path = record_path(&report_path);
    let (report, mut record) = reviewed_003();
    record.approve(&report, "张三", T).unwrap();
    let first = save_approved(&path, &record, &mut Written::default()).unwrap();
    record.reopen("李四", T);
    record.approve(&report, "李四", T).unwrap();
    let second = save_approved(&path, &record, &mut Written::default()).unwrap();
    assert!(
        first.ends_with("history/003.txt.v1.ron") && second.ends_with("history/003.txt.v2.ron")
    );
    let diff = nianbao::diff::between_versions(&load(&first).unwrap(), &load(&second).unwrap());
    assert!(
        diff.contains("+    (time: \"2026-11-22T02:11:21Z\", reviewer: \"李四\", event: Reopened)"),
        "{diff}"
    );
}

#[test]
fn the_reviewer_diff_names_each_change_and_why() {
    let diff = nianbao::diff::reviewer_changes(&reviewed_003().1);
    assert!(diff.contains("\n-t4.suit_direct.total = 11\n"), "{diff}");
    assert!(
        diff.contains("\n+t4.suit_direct.total = 1  （程序读取有误，张三：11 为 1 的重复）\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+t3.new.natural = 0  （空白按0处理，张三）"),
        "{diff}"
    );
    assert!(
        diff.contains("+t4.review.upheld = 0  （张三 确认）"),
        "{diff}"
    );
    assert!(
        !diff.contains("t2.punishment.change"),
        "unchanged cells are not listed"
    );
}

/// The writer of the crash test: saves the record again and again, printing each completed save.
#[test]
#[ignore = "run by crash_mid_save_never_loses_the_last_complete_record"]
fn crash_child() {
    let Some(path) = std::env::var_os("NIANBAO_CRASH_RECORD") else {
        return;
    };
    let (_, mut record) = reviewed_003();
    let mut stdout = std::io::stdout().lock();
    for i in 0_u64.. {
        record.notes.insert("counter".into(), i.to_string());
        save(Path::new(&path), &record, &mut Written::default()).unwrap();
        writeln!(stdout, "saved {i}").unwrap();
        stdout.flush().unwrap();
    }
}

/// Starts the writer. The other tests of this binary start processes too, at the same moment:
/// a failed start is tried again, a few times, and named if it keeps failing.
fn spawn_crash_child(exe: &Path, record: &Path, round: usize) -> std::process::Child {
    let mut tries = 0;
    loop {
        let started = Command::new(exe)
            .args([
                "--exact",
                "records::crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("NIANBAO_CRASH_RECORD", record)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(child) => return child,
            Err(e) if tries < 5 => {
                eprintln!("round {round}: the writer did not start ({e}); trying again");
                tries += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("round {round}: the writer did not start: {e}"),
        }
    }
}

#[test]
fn crash_mid_save_never_loses_the_last_complete_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nianbao-records/003.txt.ron");
    let exe = std::env::current_exe().unwrap();
    let mut delays = (7_u64..).map(|n| n * 7919 % 40 + 3);
    for round in 0..25 {
        let mut child = spawn_crash_child(&exe, &path, round);
        let stdout = child.stdout.take().unwrap();
        // Wait for the first save of this round, then kill at a varying moment mid-stream.
        let mut lines = BufReader::new(stdout).lines();
        let mut last = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(n) = line.strip_prefix("saved ") {
                last = Some(n.parse::<u64>().unwrap());
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(delays.next().unwrap()));
        child.kill().unwrap();
        for line in lines {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("saved ") {
                last = Some(n.parse::<u64>().unwrap());
            }
        }
        child.wait().unwrap();
        let record = load(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let saved: u64 = record.notes["counter"].parse().unwrap();
        let last = last.unwrap();
        assert!(
            saved >= last,
            "round {round}: the save of {last} completed, but the file holds {saved}"
        );
    }
}
