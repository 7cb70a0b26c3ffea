//! The auditor's rules, driven through real reports edited the way real reports go wrong.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use nianbao::checks::{Finding, check, check_series};
use nianbao::model::{Format, Report};
use nianbao::read::{ReadErrorKind, read_bytes};

fn seed_text(prefix: &str) -> String {
    std::fs::read_to_string(common::sample(prefix)).unwrap()
}

fn read(text: &str) -> Report {
    read_bytes("edited.txt", text.as_bytes(), Format::Txt).unwrap_or_else(|e| panic!("{e}"))
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.code()).collect()
}

/// Replaces the `n`th (0-based) occurrence of `from` after `anchor`.
fn replace_after(text: &str, anchor: &str, from: &str, to: &str, n: usize) -> String {
    let start = text.find(anchor).unwrap_or_else(|| panic!("no {anchor}"));
    let (at, _) = text[start..]
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("no {from} after {anchor}"));
    let at = start + at;
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

#[test]
fn balance_failure_reads_like_the_spec() {
    // 001 is all zeros; 2 new applications from natural persons, 1 granted, both totals kept.
    let text = seed_text("001");
    let text = replace_after(&text, "一、本年新收政府信息公开申请数量", "0", "2", 0);
    // The first replacement took one zero away: the total column is now the sixth.
    let text = replace_after(&text, "一、本年新收政府信息公开申请数量", "0", "2", 5);
    let text = replace_after(&text, "（一）予以公开", "0", "1", 0);
    let text = replace_after(&text, "（一）予以公开", "0", "1", 5);
    let text = replace_after(&text, "（七）总计", "0", "1", 0);
    let text = replace_after(&text, "（七）总计", "0", "1", 5);
    let report = read(&text);
    let findings = check(&report);
    let balance: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule.code() == "T3-BALANCE")
        .collect();
    assert_eq!(balance.len(), 2, "{findings:#?}");
    assert_eq!(
        balance[0].message_zh,
        "表三 自然人列：第一项(2)+第二项(0)=2，第三项(1)+第四项(0)=1，相差1"
    );
    assert!(balance[0].message_en.contains("difference of 1"));
    // Row totals and result sums hold; the prose still says no application arrived.
    assert_eq!(
        rules(&findings),
        ["T3-BALANCE", "T3-BALANCE", "NARRATIVE-MATCH"]
    );
    // No cell is low-confidence, so nothing is proposed: the source itself is wrong.
    assert!(balance[0].suggestions.is_empty());
}

#[test]
fn results_sum_and_row_total_name_their_cells() {
    let text = seed_text("001");
    let text = replace_after(&text, "8.属于行政查询事项", "0", "3", 0);
    let report = read(&text);
    let findings = check(&report);
    let codes = rules(&findings);
    assert!(
        codes.contains(&"T3-ROW-TOTAL") && codes.contains(&"T3-RESULTS-SUM"),
        "{codes:?}"
    );
    let row = findings
        .iter()
        .find(|f| f.rule.code() == "T3-ROW-TOTAL")
        .unwrap();
    assert_eq!(
        row.message_zh,
        "表三 “（三）不予公开 8.属于行政查询事项”行：总计(0)，自然人(3)+商业企业(0)+科研机构(0)+社会公益组织(0)+法律服务机构(0)+其他(0)=3，相差3"
    );
    let sum = findings
        .iter()
        .find(|f| f.rule.code() == "T3-RESULTS-SUM")
        .unwrap();
    assert_eq!(
        sum.message_zh,
        "表三 自然人列：第三项(0)，（一）至（六）各项办理结果之和=3，相差3"
    );
}

#[test]
fn a_negative_count_is_a_value_kind_error_not_a_number() {
    let text = seed_text("003");
    let text = replace_after(&text, "行政处罚", "14", "-14", 0);
    let report = read(&text);
    let id = nianbao::template::CellId::parse("t2.punishment.decisions").unwrap();
    assert_eq!(report.cells[&id].value, None);
    let finding = check(&report)
        .into_iter()
        .find(|f| f.rule.code() == "VALUE-KIND")
        .unwrap();
    assert_eq!(finding.cells, [id]);
    assert!(
        finding.message_zh.contains("“-14”"),
        "{}",
        finding.message_zh
    );
}

#[test]
fn prose_that_disagrees_with_the_tables_is_a_warning() {
    let text = seed_text("002").replace(
        "本年度我镇未收到政府信息依申请公开申请",
        "本年度我镇收到政府信息公开申请3件",
    );
    let findings = check(&read(&text));
    let finding = findings
        .iter()
        .find(|f| f.rule.code() == "NARRATIVE-MATCH")
        .unwrap();
    assert_eq!(
        finding.cells.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["t3.new.total"]
    );
    assert!(
        finding.message_zh.contains("（0）"),
        "{}",
        finding.message_zh
    );
}

#[test]
fn edition_year_and_mixed_template() {
    // A 2021-edition report titled 2020: the wrong edition for its year.
    let text = seed_text("001").replacen(
        "2021年度信息公开工作年度报告",
        "2020年度信息公开工作年度报告",
        1,
    );
    assert!(rules(&check(&read(&text))).contains(&"EDITION-YEAR"));

    // 2021-edition 表二 with the 2019 single （六） row in 表三: read as printed, and warned.
    let text = seed_text("001");
    let start = text.find("\t1.申请人无正当理由逾期不补正").unwrap();
    let end = text.find("\t（七）总计").unwrap();
    let single = "\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\n\t\n";
    let mixed = format!("{}{single}{}", &text[..start], &text[end..]);
    let report = read(&mixed);
    assert_eq!(report.edition().as_str(), "2021");
    assert_eq!(report.layout.t3_other.as_str(), "2019");
    assert!(
        report
            .cells
            .keys()
            .any(|id| id.as_str() == "t3.other.total")
    );
    assert!(
        !report
            .cells
            .keys()
            .any(|id| id.as_str() == "t3.other.other.total")
    );
    assert_eq!(rules(&check(&report)), ["TEMPLATE-MIXED"]);
}

#[test]
fn a_missing_section_is_an_error() {
    let text = seed_text("001").replace("六、其他需要报告的事项", "");
    let findings = check(&read(&text));
    let finding = findings
        .iter()
        .find(|f| f.rule.code() == "SECTION-MISSING")
        .unwrap();
    assert!(
        finding.message_zh.contains("其他需要报告的事项"),
        "{}",
        finding.message_zh
    );
}

#[test]
fn a_free_form_report_is_refused_not_forced_into_a_table() {
    let bytes = std::fs::read(common::path("tests/fixtures/freeform_2017.txt")).unwrap();
    let error = read_bytes("freeform_2017.txt", &bytes, Format::Txt).unwrap_err();
    assert_eq!(error.kind, ReadErrorKind::NotTemplate);
    assert!(
        error
            .to_string()
            .starts_with("freeform_2017.txt: not a standard-template report")
    );
}

#[test]
fn invalid_utf8_says_where() {
    let mut bytes = b"line one\nline two \xff\xfe\n".to_vec();
    bytes.extend_from_slice("表三".as_bytes());
    let error = read_bytes("bad.txt", &bytes, Format::Txt).unwrap_err();
    assert_eq!(error.kind, ReadErrorKind::NotText { line: 2, byte: 18 });
    assert_eq!(
        error.to_string(),
        "bad.txt: line 2 (byte 18): not UTF-8 text"
    );
}

#[test]
fn carry_forward_and_in_force_across_years() {
    let this_year = seed_text("001");
    let next_year = this_year.replacen(
        "2021年度信息公开工作年度报告",
        "2022年度信息公开工作年度报告",
        1,
    );
    // Next year carries in 1 application although this year carried none out.
    let next_year = replace_after(&next_year, "二、上年结转政府信息公开申请数量", "0", "1", 0);
    let next_year = replace_after(&next_year, "二、上年结转政府信息公开申请数量", "0", "1", 5);
    // And 5 regulations are in force although none were in force, issued or repealed.
    let next_year = replace_after(&next_year, "\t规章", "0", "5", 2);
    let a = read(&this_year);
    let b = read(&next_year);
    let series = check_series(&[&a, &b]);
    let codes: Vec<(usize, &str)> = series.iter().map(|(i, f)| (*i, f.rule.code())).collect();
    assert!(codes.contains(&(1, "CARRY-FORWARD")), "{codes:?}");
    assert!(codes.contains(&(1, "IN-FORCE-CONTINUITY")), "{codes:?}");
    assert!(
        codes.iter().all(|(i, _)| *i == 1),
        "findings go to the later year"
    );
    let carry = series
        .iter()
        .find(|(_, f)| f.rule.code() == "CARRY-FORWARD")
        .unwrap();
    assert_eq!(
        carry.1.message_zh,
        "表三 自然人列：2022年度第二项上年结转(1)，与2021年度第四项结转下年度(0)不一致"
    );
}
