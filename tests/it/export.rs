//! Exports and the problem list, through the command line, read back with calamine and the csv
//! reader; straight-through approval; errors that leave nothing behind.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;
use crate::common::{T, arg, id, nianbao};

use std::path::{Path, PathBuf};

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use nianbao::model::Value;
use nianbao::record::{Action, ChangeKind, Record, finding_key};
use nianbao::store::{Written, load, record_path, save, save_approved};
use nianbao::template::CellId;

/// A folder of the five samples: 001 and 002 approved straight through; 003 reviewed by a person
/// who found the published 表四 total wrong; 004 approved with a note on its period; 000 left.
fn office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::path("assets/samples")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let out = nianbao(&["approve", "--auto", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("2 approved, 3 left for review, 0 untouched, 0 failed\n"),
        "{text}"
    );

    let path = dir.path().join(common::sample("003").file_name().unwrap());
    let report = common::read(&path);
    let mut record = Record::draft(&report);
    record
        .apply(
            &report,
            Action::FillBlanks(nianbao::template::TableId::T3),
            "张三",
            T,
        )
        .unwrap();
    for (&cell, c) in &report.cells {
        if c.is_low_confidence() && cell.table() == nianbao::template::TableId::T4 {
            record
                .apply(&report, Action::Confirm(cell), "张三", T)
                .unwrap();
        }
    }
    record
        .apply(
            &report,
            Action::Set {
                cell: id("t4.suit_direct.total"),
                value: Some(Value::Count(1)),
                kind: ChangeKind::SourceWrong,
                note: "原表总计多写一位".into(),
            },
            "张三",
            T,
        )
        .unwrap();
    record.approve(&report, "张三", T).unwrap();
    save_approved(&record_path(&path), &record, &mut Written::default()).unwrap();

    let path = dir.path().join(common::sample("004").file_name().unwrap());
    let report = common::read(&path);
    let mut record = Record::draft(&report);
    let key = finding_key(&record.current_findings(&report)[0]);
    record
        .apply(
            &report,
            Action::Note {
                finding: key,
                note: "请发布单位更正统计期限".into(),
            },
            "李四",
            T,
        )
        .unwrap();
    record
        .apply(
            &report,
            Action::Set {
                cell: id("t2.fees.prev_items"),
                value: Some(Value::Count(0)),
                kind: ChangeKind::Misread,
                note: String::new(),
            },
            "李四",
            T,
        )
        .unwrap();
    record.approve(&report, "李四", T).unwrap();
    save_approved(&record_path(&path), &record, &mut Written::default()).unwrap();
    dir
}

fn records(dir: &Path) -> Vec<Record> {
    let mut out: Vec<Record> = nianbao::store::find_records(dir)
        .unwrap()
        .iter()
        .map(|p| load(p).unwrap())
        .collect();
    out.sort_by(|a, b| a.source.file_name.cmp(&b.source.file_name));
    out
}

#[test]
fn wide_csv_reads_back_as_the_records() {
    let dir = office();
    let out = dir.path().join("out.csv");
    let status = nianbao(&["export", arg(dir.path()), "--to", arg(&out)]);
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel on Chinese Windows"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = records(dir.path());
    assert_eq!(rows.len(), 4, "001, 002, 003, 004 approved; 000 is not");
    for (row, record) in rows.iter().zip(&expected) {
        assert_eq!(&row[0], record.source.file_name);
        assert_eq!(&row[1], record.organization.as_deref().unwrap());
        assert_eq!(
            row[6].to_string(),
            if record.auto_approved() { "yes" } else { "no" }
        );
        // Every cell's column, then the indicators'.
        let cells = headers.iter().enumerate().skip(7);
        for (column, header) in cells.take_while(|(_, h)| CellId::parse(h).is_some()) {
            let want = record
                .cells
                .get(&id(header))
                .and_then(|c| c.value)
                .map_or_else(String::new, |v| v.to_string());
            assert_eq!(&row[column], want, "{} {header}", record.source.file_name);
        }
    }
    let tail: Vec<&str> = headers.iter().skip(7 + CellId::all().count()).collect();
    assert_eq!(
        tail,
        [
            "substantive",
            "denied",
            "unable",
            "not_held",
            "review_corrected",
            "suit_corrected",
            "carried_out",
            "indicator_marks"
        ]
    );
    let r003 = &rows[3 - 1];
    let column = headers
        .iter()
        .position(|h| h == "t4.suit_direct.total")
        .unwrap();
    assert_eq!(&r003[column], "1", "the decided value, not the printed 11");
}

#[test]
fn xlsx_has_numbers_as_numbers_and_chinese_headers() {
    let dir = office();
    let out = dir.path().join("out.xlsx");
    assert_eq!(
        nianbao(&[
            "export",
            arg(dir.path()),
            "--to",
            arg(&out),
            "--headers",
            "zh"
        ])
        .status
        .code(),
        Some(0)
    );
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("审核结果").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(&header[..3], ["文件", "单位", "年度"]);
    let column = header
        .iter()
        .position(|h| h == "表二 政府集中采购 采购总金额（万元）")
        .unwrap();
    let expected = records(dir.path());
    let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
    assert_eq!(rows.len(), expected.len());
    let r003 = rows
        .iter()
        .find(|r| r[0].to_string().starts_with("003"))
        .unwrap();
    assert_eq!(r003[column], Data::Float(38.39));
    assert_eq!(r003[2], Data::Float(2020.0));
    let ids: Vec<CellId> = CellId::all().collect();
    for (row, record) in rows.iter().zip(&expected) {
        for (k, cell_id) in ids.iter().enumerate() {
            let want = match record.cells.get(cell_id).and_then(|c| c.value) {
                None => Data::Empty,
                Some(Value::Amount(a)) => Data::Float(a.wan_yuan()),
                #[expect(clippy::cast_precision_loss, reason = "small counts")]
                Some(v) => Data::Float(v.as_integer().unwrap() as f64),
            };
            assert_eq!(row[7 + k], want, "{} {cell_id}", record.source.file_name);
        }
        // 实质公开率 from the record's own cells: (予以公开 + 部分公开) / 办理结果总计, a number
        // (shown as a percentage); empty, never 0, where a cell is blank.
        let count = |id: &str| {
            record
                .cells
                .get(&CellId::parse(id).unwrap())
                .and_then(|c| c.value)
                .and_then(Value::as_integer)
        };
        let column = header.iter().position(|h| h == "实质公开率").unwrap();
        let want = match (
            count("t3.granted.total"),
            count("t3.partial.total"),
            count("t3.results_total.total"),
        ) {
            #[expect(clippy::cast_precision_loss, reason = "small counts")]
            (Some(g), Some(p), Some(t)) if t > 0 => Data::Float((g + p) as f64 / t as f64),
            _ => Data::Empty,
        };
        assert_eq!(row[column], want, "{}", record.source.file_name);
    }
    assert!(header.iter().any(|h| h == "指标标记"));
}

#[test]
fn long_format_and_jsonl() {
    let dir = office();
    let out = dir.path().join("long.jsonl");
    assert_eq!(
        nianbao(&["export", arg(dir.path()), "--to", arg(&out), "--long"])
            .status
            .code(),
        Some(0)
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = records(dir.path());
    assert_eq!(
        lines.len(),
        expected.iter().map(|r| r.cells.len()).sum::<usize>()
    );
    let line = lines
        .iter()
        .find(|l| {
            l["cell"] == "t4.suit_direct.total" && l["file"].as_str().unwrap().starts_with("003")
        })
        .unwrap();
    assert_eq!(line["value"], 1);
    assert_eq!(line["status"], "corrected");
    assert_eq!(line["label"], "表四 行政诉讼（未经复议直接起诉） 总计");
    let blank = lines
        .iter()
        .find(|l| l["cell"] == "t3.new.natural" && l["file"].as_str().unwrap().starts_with("003"))
        .unwrap();
    assert_eq!(
        blank["value"], 0,
        "filled as blank-means-zero by the reviewer"
    );
}

#[test]
fn the_problem_list_has_the_sources_errors_not_the_programs() {
    let dir = office();
    let out = dir.path().join("problems.csv");
    assert_eq!(
        nianbao(&["export", arg(dir.path()), "--problems", arg(&out)])
            .status
            .code(),
        Some(0)
    );
    let bytes = std::fs::read(&out).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    // 003's wrong total, 004's period, and the fees 001 and 002 (approved straight through:
    // their tables add up) do not mention in section 六.
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let thin: Vec<&str> = rows
        .iter()
        .filter(|r| r[3] == "SECTION-THIN")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(
        thin,
        ["001_3bceb6a2129e3845.txt", "002_9042ac2a28d37d4e.txt"]
    );
    let source_wrong = rows.iter().find(|r| r[3] == "SOURCE-WRONG").unwrap();
    assert_eq!(
        source_wrong[5],
        "表四 行政诉讼（未经复议直接起诉） 总计：原文为“11”，审核认定应为1"
    );
    assert_eq!(source_wrong[7], "原表总计多写一位");
    let period = rows.iter().find(|r| r[3] == "PERIOD-YEAR").unwrap();
    assert_eq!(period[7], "请发布单位更正统计期限");
    assert!(
        rows.iter()
            .filter(|r| r[3] != "SECTION-THIN")
            .all(|r| !r[5].contains("费")),
        "the misread fee cell of 004 is the program's problem"
    );
}

#[test]
fn straight_through_approval_leaves_people_s_work_alone() {
    let dir = office();
    let before = std::fs::read_to_string(
        dir.path()
            .join("nianbao-records/003_9befa24b251bf041.txt.ron"),
    )
    .unwrap();
    let out = nianbao(&["approve", "--auto", arg(dir.path())]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("0 approved, 1 left for review, 4 untouched, 0 failed\n"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(
            dir.path()
                .join("nianbao-records/003_9befa24b251bf041.txt.ron")
        )
        .unwrap(),
        before
    );
    let auto = load(
        &dir.path()
            .join("nianbao-records/001_3bceb6a2129e3845.txt.ron"),
    )
    .unwrap();
    assert!(auto.auto_approved());
}

fn no_output_left(dir: &Path, name: &str) {
    let left: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(name))
        .collect();
    assert!(left.is_empty(), "partial output left behind: {left:?}");
}

#[test]
fn errors_exit_2_and_leave_nothing_behind() {
    let dir = office();
    let missing = nianbao(&["export", "/no/such/folder", "--to", "/tmp/x.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/folder: no such folder"));

    let unwritable = dir.path().join("no-such-dir/out.xlsx");
    let out = nianbao(&["export", arg(dir.path()), "--to", arg(&unwritable)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let wrong_format = nianbao(&[
        "export",
        arg(dir.path()),
        "--to",
        arg(&dir.path().join("out.pdf")),
    ]);
    assert_eq!(wrong_format.status.code(), Some(2));
    no_output_left(dir.path(), "out.pdf");

    // A corrupted record stops the export: a list with a report silently missing is worse than none.
    let record = dir
        .path()
        .join("nianbao-records/002_9042ac2a28d37d4e.txt.ron");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replacen("state: Approved", "state: Aproved", 1),
    )
    .unwrap();
    let out = nianbao(&[
        "export",
        arg(dir.path()),
        "--to",
        arg(&dir.path().join("out.csv")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("002_9042ac2a28d37d4e.txt.ron: line 4, column"),
        "{stderr}"
    );
    no_output_left(dir.path(), "out.csv");

    // And the corrupted record is not overwritten by anything the program does.
    let _ = nianbao(&["approve", "--auto", arg(dir.path())]);
    let r = save(&record, &records_one(dir.path()), &mut Written::default());
    assert!(r.is_err());
    assert!(
        std::fs::read_to_string(&record)
            .unwrap()
            .contains("state: Aproved")
    );
}

fn records_one(dir: &Path) -> Record {
    load(&dir.join("nianbao-records/001_3bceb6a2129e3845.txt.ron")).unwrap()
}

#[test]
fn diff_on_the_command_line() {
    let dir = office();
    let record = dir
        .path()
        .join("nianbao-records/003_9befa24b251bf041.txt.ron");
    let out = nianbao(&["diff", arg(&record)]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("+t4.suit_direct.total = 1  （原文有误，张三：原表总计多写一位）"),
        "{text}"
    );
    let v1 = dir
        .path()
        .join("nianbao-records/history/003_9befa24b251bf041.txt.v1.ron");
    let out = nianbao(&["diff", arg(&v1), arg(&record)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "",
        "the record is its approved version"
    );
}

/// A second province: the corpus's text reports, the clean ones approved straight through.
fn second_province() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::path("tests/fixtures/corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt" || e == "md") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let out = nianbao(&["approve", "--auto", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(0));
    dir
}

/// A decimal as printed (`12`, `38.39`, `12.000000`) in millionths, exactly.
fn millionths(text: &str) -> i128 {
    let (sign, digits) = text.strip_prefix('-').map_or((1, text), |t| (-1, t));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let fraction = format!("{fraction:0<6}");
    sign * (whole.parse::<i128>().unwrap() * 1_000_000 + fraction[..6].parse::<i128>().unwrap())
}

/// Per cell id: the total over the reports (millionths), how many had a value, how many blank.
type Totals = std::collections::BTreeMap<String, (i128, u64, u64)>;

fn add(totals: &mut Totals, cell: &str, value: Option<i128>) {
    let entry = totals.entry(cell.to_owned()).or_default();
    match value {
        Some(v) => {
            entry.0 += v;
            entry.1 += 1;
        }
        None => entry.2 += 1,
    }
}

/// The cells of a Parquet export, totalled, read with the parquet crate; checks each row's types
/// and, where it holds 003, the cell its reviewer corrected.
fn parquet_totals(path: &Path, totals: &mut Totals) {
    use parquet::file::reader::{FileReader as _, SerializedFileReader};
    use parquet::record::Field;
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let columns: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(
        columns,
        [
            "report",
            "body",
            "year",
            "edition",
            "cell",
            "value",
            "status",
            "approved_by",
            "approved_at",
            "source_hash"
        ]
    );
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let fields: std::collections::HashMap<&str, &Field> = row
            .get_column_iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        let Field::Str(cell) = fields["cell"] else {
            panic!("{row}")
        };
        let value = match fields["value"] {
            Field::Decimal(d) => {
                assert_eq!(d.scale(), 6);
                Some(i128::from(i64::from_be_bytes(d.data().try_into().unwrap())))
            }
            Field::Null => None,
            other => panic!("value {other:?}"),
        };
        add(totals, cell, value);
        let Field::Str(hash) = fields["source_hash"] else {
            panic!("{row}")
        };
        assert_eq!(hash.len(), 64);
        // 003's total the reviewer corrected, under the reviewer's name and time.
        if cell == "t4.suit_direct.total"
            && matches!(fields["report"], Field::Str(r) if r.starts_with("003"))
        {
            assert_eq!(fields["status"], &Field::Str("corrected".into()));
            assert_eq!(fields["approved_by"], &Field::Str("张三".into()));
            let at = i64::try_from(T.0).unwrap() * 1000;
            assert_eq!(fields["approved_at"], &Field::TimestampMillis(at));
            assert_eq!(value, Some(1_000_000));
        }
    }
}

/// The cells of several Parquet exports totalled by DuckDB, as the national office runs it
/// (`scripts/national-totals.py`); `None` where DuckDB is not installed and not required.
fn duckdb_totals(files: &[PathBuf]) -> Option<Totals> {
    let has_duckdb = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_duckdb {
        assert!(
            std::env::var_os("NIANBAO_REQUIRE_DUCKDB").is_none(),
            "DuckDB is required here: bash scripts/setup-debian.sh duckdb"
        );
        eprintln!(
            "DuckDB not installed (bash scripts/setup-debian.sh duckdb): its half of this test was not run"
        );
        return None;
    }
    let run = std::process::Command::new("python3")
        .arg(common::path("scripts/national-totals.py"))
        .args(files)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut totals = Totals::new();
    for line in String::from_utf8(run.stdout).unwrap().lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let total = if parts[1].is_empty() {
            0
        } else {
            millionths(parts[1])
        };
        totals.insert(
            parts[0].to_owned(),
            (total, parts[2].parse().unwrap(), parts[3].parse().unwrap()),
        );
    }
    Some(totals)
}

#[test]
fn parquet_carries_the_records_typed_and_duckdb_totals_them_as_the_csv_does() {
    let provinces = [office(), second_province()];
    let out = tempfile::tempdir().unwrap();
    let (mut from_csv, mut from_parquet) = (Totals::new(), Totals::new());
    let mut parquet_files = Vec::new();
    for (n, province) in provinces.iter().enumerate() {
        let (pq, csv) = (
            out.path().join(format!("{n}.parquet")),
            out.path().join(format!("{n}.csv")),
        );
        for (to, long) in [(&pq, false), (&csv, true)] {
            let mut args = vec!["export", arg(province.path()), "--to", arg(to)];
            if long {
                args.push("--long");
            }
            let run = nianbao(&args);
            assert_eq!(
                run.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        let mut reader = csv::Reader::from_path(&csv).unwrap();
        for row in reader.records() {
            let row = row.unwrap();
            add(
                &mut from_csv,
                &row[3],
                (!row[5].is_empty()).then(|| millionths(&row[5])),
            );
        }
        parquet_totals(&pq, &mut from_parquet);
        parquet_files.push(pq);
    }
    assert_eq!(from_parquet, from_csv);
    assert!(from_csv.values().any(|&(total, _, _)| total > 0));
    if let Some(from_duckdb) = duckdb_totals(&parquet_files) {
        assert_eq!(from_duckdb, from_csv);
    }
}
