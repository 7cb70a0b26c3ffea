//! The office's work on a whole folder: the region's totals (汇总) and the letters to the
//! publishers, through the command line, read back with calamine and a .docx reader.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;
use crate::common::{T, arg, id, nianbao};

use std::path::Path;

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use nianbao::model::Value;
use nianbao::record::{Action, ChangeKind, Record, finding_key};
use nianbao::store::{Written, record_path, save, save_approved};
use nianbao::time::Timestamp;

/// Sample 002 (2023) as the report of another township, its 表三 rows `new`, `granted` and
/// `results_total` given `natural` persons' applications (and their totals).
fn township(name: &str, natural: u32) -> String {
    let text = std::fs::read_to_string(common::sample("002")).unwrap();
    let text = text.replace("华容县插旗镇人民政府", name);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for label in [
        "一、本年新收政府信息公开申请数量",
        "(一)予以公开",
        "(七)总计",
    ] {
        let at = lines.iter().position(|l| l == label).unwrap();
        let values: Vec<usize> = (at + 1..lines.len())
            .filter(|&i| !lines[i].trim().is_empty())
            .take(7)
            .collect();
        lines[values[0]] = natural.to_string();
        lines[values[6]] = natural.to_string();
    }
    lines.join("\n") + "\n"
}

/// Approves a report as 张三 after the actions `review` chooses from the draft's findings.
fn approve(path: &Path, review: impl FnOnce(&[nianbao::checks::Finding]) -> Vec<Action>) {
    let report = common::read(path);
    let mut record = Record::draft(&report);
    for action in review(&record.current_findings(&report)) {
        record.apply(&report, action, "张三", T).unwrap();
    }
    record.approve(&report, "张三", T).unwrap();
    save_approved(&record_path(path), &record, &mut Written::default()).unwrap();
}

/// A county's folder for 2023: three townships approved (one with 3 applications, one whose
/// 上年结转 from natural persons the reviewer found printed blank, one with a 表二 figure the
/// publisher got wrong), one of them twice (another file), a fourth only drafted, and a 2021
/// report approved (another year).
fn county() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let a = write("a.txt", &township("甲镇人民政府", 0));
    let b = write("b.txt", &township("乙镇人民政府", 3));
    let c = write("c.txt", &township("丙镇人民政府", 2));
    let d = write("d.txt", &township("丁镇人民政府", 5));
    let old = dir.path().join("old.txt");
    std::fs::copy(common::sample("001"), &old).unwrap();
    approve(&a, |_| {
        vec![Action::Set {
            cell: id("t2.punishment.decisions"),
            value: Some(Value::Count(9)),
            kind: ChangeKind::SourceWrong,
            note: "原表漏计一件".into(),
        }]
    });
    approve(&b, |findings| {
        // The prose says no application arrived; the tables say 3: noted for the publisher.
        vec![Action::Note {
            finding: finding_key(&findings[0]),
            note: "正文与表格不一致".into(),
        }]
    });
    approve(&c, |_| {
        vec![Action::Set {
            cell: id("t3.carried_in.natural"),
            value: None,
            kind: ChangeKind::Misread,
            note: "原表此格空白".into(),
        }]
    });
    approve(&old, |_| Vec::new());
    // 乙镇's report again, as another file: a body counts once.
    let again = write("b2.txt", &township("乙镇人民政府", 3));
    approve(&again, |_| Vec::new());
    let report = common::read(&d);
    save(
        &record_path(&d),
        &Record::draft(&report),
        &mut Written::default(),
    )
    .unwrap();
    dir
}

/// A cell of a sheet by its printed row label (in any of the first three columns) and column
/// header (in the header rows above the values).
fn at<'s>(sheet: &'s calamine::Range<Data>, row_label: &str, column: &str) -> &'s Data {
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let r = rows
        .iter()
        .position(|r| r.iter().take(3).any(|c| *c == row_label))
        .unwrap_or_else(|| panic!("no row {row_label}"));
    let c = rows[..r]
        .iter()
        .rev()
        .find_map(|h| h.iter().position(|c| *c == column))
        .unwrap_or_else(|| panic!("no column {column} above {row_label}"));
    &rows[r][c]
}

#[test]
fn the_totals_add_up_the_approved_reports_and_keep_blanks_apart() {
    let dir = county();
    let totals = nianbao::totals::totals(dir.path(), None).unwrap().unwrap();
    assert_eq!(totals.year, 2023);
    let files: Vec<&str> = totals
        .included
        .iter()
        .map(|i| i.file_name.as_str())
        .collect();
    assert_eq!(files, ["a.txt", "b.txt", "c.txt"]);
    let total = |cell: &str| totals.cells[&id(cell)];
    assert_eq!(total("t3.new.natural").sum, Some(Value::Count(5)));
    assert_eq!(total("t3.new.total").sum, Some(Value::Count(5)));
    // 002 prints 8 penalty decisions; 甲镇's reviewer found 9: 8 + 8 + 9.
    assert_eq!(total("t2.punishment.decisions").sum, Some(Value::Count(25)));
    // 丙镇 printed its carried-in natural persons blank: counted as blank, not as 0.
    let carried = total("t3.carried_in.natural");
    assert_eq!(
        (carried.sum, carried.counted, carried.blanks),
        (Some(Value::Count(0)), 2, 1)
    );
    // The arithmetic on the totals: 表三's balance for natural persons cannot be evaluated with a
    // blank in it, so nothing fails.
    assert!(totals.findings.is_empty(), "{:#?}", totals.findings);
    let why: Vec<(&str, String)> = totals
        .excluded
        .iter()
        .map(|e| (e.file_name.as_str(), e.reason_zh()))
        .collect();
    assert_eq!(
        why,
        [
            (
                "b2.txt",
                "同一单位同一年度的报告已纳入（b.txt），不重复计算".to_owned()
            ),
            ("old.txt", "其他年度（2021年度）".to_owned()),
            ("d.txt", "未通过审核".to_owned())
        ]
    );

    let out = dir.path().join("汇总.xlsx");
    let run = nianbao(&["export", arg(dir.path()), "--totals", arg(&out)]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(workbook.sheet_names(), ["表二", "表三", "表四", "纳入情况"]);
    let t3 = workbook.worksheet_range("表三").unwrap();
    assert_eq!(
        at(&t3, "一、本年新收政府信息公开申请数量", "自然人"),
        &Data::Float(5.0)
    );
    assert_eq!(at(&t3, "（一）予以公开", "总计"), &Data::Float(5.0));
    assert!(
        t3.rows()
            .any(|r| r[0]
                == "表三 二、上年结转政府信息公开申请数量 自然人：1份报告空白，2份报告有数值"),
        "the blanks are said under the table"
    );
    let t2 = workbook.worksheet_range("表二").unwrap();
    assert_eq!(at(&t2, "行政处罚", "本年处理决定数量"), &Data::Float(25.0));
    // The printed headers, merged as printed: 法人或其他组织 over its five columns.
    let merged: Vec<(u32, u32)> = workbook
        .merge_cells_by_sheet_name("表三")
        .unwrap()
        .iter()
        .map(|d| (d.start.1, d.end.1))
        .collect();
    assert!(merged.contains(&(4, 8)), "{merged:?}");
    let listed = workbook.worksheet_range("纳入情况").unwrap();
    let rows: Vec<Vec<String>> = listed
        .rows()
        .skip(1)
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 6);
    assert!(rows.contains(&vec![
        "d.txt".to_owned(),
        "丁镇人民政府".to_owned(),
        "未纳入".to_owned(),
        "未通过审核".to_owned()
    ]));

    // Another year on request; a year with nothing approved is said, and nothing written.
    let totals_2021 = nianbao::totals::totals(dir.path(), Some(2021))
        .unwrap()
        .unwrap();
    assert_eq!(totals_2021.included.len(), 1);
    let none = dir.path().join("none.xlsx");
    let run = nianbao(&[
        "export",
        arg(dir.path()),
        "--totals",
        arg(&none),
        "--year",
        "2019",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!none.exists());
}

/// The text of a .docx's paragraphs, as a .docx reader gives them.
fn paragraphs(path: &Path) -> Vec<String> {
    let docx = docx_rs::read_docx(&std::fs::read(path).unwrap()).unwrap();
    docx.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_letter_to_each_body_with_its_problems() {
    let dir = county();
    // Not inside the reports' folder, where a letter would be read as a report.
    let inside = dir.path().join("letters");
    let run = nianbao(&["export", arg(dir.path()), "--letters", arg(&inside)]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("inside the reports' folder"));
    assert!(!inside.exists(), "nothing left behind");
    let outside = tempfile::tempdir().unwrap();
    let letters = outside.path().join("letters");
    let run = nianbao(&["export", arg(dir.path()), "--letters", arg(&letters)]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let mut names: Vec<String> = std::fs::read_dir(&letters)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Every approved body has something to hear (the 2021 edition asks each to state its fees in
    // section 六, and none of these does); 丁镇 is not approved.
    assert_eq!(
        names,
        [
            "丙镇人民政府问题清单.docx",
            "乙镇人民政府问题清单.docx",
            "尉氏县洧川镇人民政府问题清单.docx",
            "甲镇人民政府问题清单.docx",
        ]
    );
    // 丙镇's reviewer corrected the program's misreading: not the publisher's problem.
    let text = paragraphs(&letters.join("丙镇人民政府问题清单.docx"));
    assert!(text.iter().any(|p| p.contains("SECTION-THIN")), "{text:#?}");
    assert!(!text.iter().any(|p| p.contains("上年结转")), "{text:#?}");
    let text = paragraphs(&letters.join("甲镇人民政府问题清单.docx"));
    assert_eq!(text[1], "甲镇人民政府：");
    assert!(
        text.iter()
            .any(|p| p.starts_with("《甲镇人民政府2023年政府信息公开工作年度报告》")),
        "{text:#?}"
    );
    let problem = text
        .iter()
        .position(|p| p.contains("SOURCE-WRONG"))
        .unwrap();
    assert_eq!(
        text[problem],
        "2.【错误】表二 行政处罚 处理决定数量：原文为“8”，审核认定应为9（SOURCE-WRONG）"
    );
    assert_eq!(text[problem + 1], "　　涉及：表二 行政处罚 处理决定数量");
    assert_eq!(text[problem + 2], "　　审核说明：原表漏计一件");
    assert_eq!(text.last().unwrap(), &Timestamp::now().local(480)[..10]);
    let text = paragraphs(&letters.join("乙镇人民政府问题清单.docx"));
    assert!(
        text.iter()
            .any(|p| p.contains("NARRATIVE-MATCH") && p.contains("（3）")),
        "{text:#?}"
    );
    assert!(text.contains(&"　　审核说明：正文与表格不一致".to_owned()));
}

/// Where the report is a PDF, each problem comes with a picture of its cells on the page.
#[test]
fn a_letter_about_a_pdf_shows_the_cells_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r03.pdf");
    std::fs::copy(
        common::path("tests/fixtures/corpus/r03_huaian_2024.pdf"),
        &pdf,
    )
    .unwrap();
    approve(&pdf, |_| {
        vec![Action::Set {
            cell: id("t2.licensing.decisions"),
            value: Some(Value::Count(447_229)),
            kind: ChangeKind::SourceWrong,
            note: String::new(),
        }]
    });
    let outside = tempfile::tempdir().unwrap();
    let letters = outside.path().join("letters");
    let run = nianbao(&["export", arg(dir.path()), "--letters", arg(&letters)]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let path = letters.join("淮安市人民政府问题清单.docx");
    let text = paragraphs(&path);
    let docx = docx_rs::read_docx(&std::fs::read(&path).unwrap()).unwrap();
    if common::pdftoppm_installed() {
        assert!(
            text.iter()
                .any(|p| p.starts_with("　　（原报告第") && p.ends_with("页，红框为所涉单元格）")),
            "{text:#?}"
        );
        assert_eq!(docx.images.len(), 1, "one picture for the one problem");
        let picture = image::load_from_memory(&docx.images[0].3.0).unwrap();
        assert!(picture.width() > 100 && picture.height() > 30);
    } else {
        // The letter goes out with its problem and without the picture, and the clerk is told why.
        assert!(text.iter().any(|p| p.contains("447229")), "{text:#?}");
        assert!(docx.images.is_empty());
        let said = String::from_utf8_lossy(&run.stderr);
        assert!(
            said.contains("without pictures") && said.contains("poppler-utils"),
            "{said}"
        );
    }
}
