//! The auditor's rules, driven through real reports edited the way real reports go wrong.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use nianbao::checks::{Finding, check, check_series};
use nianbao::model::{Amount, Format, Reason, Report, Value};
use nianbao::read::{ReadErrorKind, read_bytes};
use nianbao::template::CellId;

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
    // Row totals and result sums hold; the prose still says no application arrived; 001's
    // section 六 says nothing of fees.
    assert_eq!(
        rules(&findings),
        [
            "T3-BALANCE",
            "T3-BALANCE",
            "NARRATIVE-MATCH",
            "SECTION-THIN"
        ]
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
    assert_eq!(rules(&check(&report)), ["TEMPLATE-MIXED", "SECTION-THIN"]);
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

/// `rule` finds nothing on these seeds.
fn assert_quiet(rule: &str, seeds: &[&str]) {
    for seed in seeds {
        let findings = check(&read(&seed_text(seed)));
        assert!(of_rule(&findings, rule).is_empty(), "{seed}: {findings:#?}");
    }
}

/// The findings of `rule` on a report.
fn of_rule<'f>(findings: &'f [Finding], rule: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.rule.code() == rule).collect()
}

/// `text` with the lines from the one starting `from` up to the one starting `to` (or the end)
/// left out, the heading kept.
fn cut_section(text: &str, from: &str, to: Option<&str>) -> String {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from}")) + from.len();
    let end = to.map_or(text.len(), |to| {
        start + text[start..].find(to).unwrap_or_else(|| panic!("no {to}"))
    });
    format!("{}\n{}", &text[..start], &text[end..])
}

/// 003 prints only the 总计 column of 表三 and r09's page leaves its zeros blank: each is told
/// its table is mostly unfilled, the blank cells named; a filled report is not.
#[test]
fn blanks_many_names_a_mostly_blank_table() {
    let findings = check(&read(&seed_text("003")));
    let blanks = of_rule(&findings, "BLANKS-MANY");
    assert_eq!(blanks.len(), 1, "{findings:#?}");
    assert_eq!(
        blanks[0].message_zh,
        "表三共161格，其中138格空白（空白不是0）：表格大部分未填写"
    );
    assert_eq!(blanks[0].cells.len(), 138);
    let r09 = common::read(&common::path(
        "tests/fixtures/corpus/r09_shanghai_office_2019.html",
    ));
    assert_eq!(
        of_rule(&check(&r09), "BLANKS-MANY").len(),
        2,
        "表三 and 表四"
    );
    assert_quiet("BLANKS-MANY", &["001", "002", "004"]);
}

/// 001 reports no application and no case (every cell 0) but says what was done in its prose:
/// a real report. With its prose cut it reports nothing; 002, with figures, is headings only.
#[test]
fn report_empty_when_nothing_is_reported() {
    let text = seed_text("001");
    assert!(of_rule(&check(&read(&text)), "REPORT-EMPTY").is_empty());
    let cut = cut_section(&text, "一、总体情况", Some("二、主动公开政府信息情况"));
    let cut = cut_section(&cut, "五、存在的主要问题", Some("六、其他需要报告的事项"));
    let cut = cut_section(&cut, "六、其他需要报告的事项", None);
    let findings = check(&read(&cut));
    let empty = of_rule(&findings, "REPORT-EMPTY");
    assert_eq!(empty.len(), 1, "{findings:#?}");
    assert!(
        empty[0].message_zh.starts_with("各表所有单元格均为0或空白"),
        "{}",
        empty[0].message_zh
    );
    // 002 has figures, so it is not empty for them; with nothing written under any heading but
    // the tables, it is headings and tables only.
    let text = seed_text("002");
    assert!(of_rule(&check(&read(&text)), "REPORT-EMPTY").is_empty());
    let cut = cut_section(&text, "一、总体情况", Some("二、主动公开政府信息情况"));
    let cut = cut_section(&cut, "五、存在的主要问题", Some("六、其他需要报告的事项"));
    let cut = cut_section(&cut, "六、其他需要报告的事项", None);
    let findings = check(&read(&cut));
    let empty = of_rule(&findings, "REPORT-EMPTY");
    assert_eq!(empty.len(), 1, "{findings:#?}");
    assert_eq!(empty[0].message_zh, "报告的6个部分都只有标题，没有内容");
}

/// Section 五 that says nothing, and a 2021-or-later section 六 silent on fees.
#[test]
fn section_thin_on_an_empty_section_five_and_no_word_on_fees() {
    // 001 (2021): section 六 is “无”, no word on 信息处理费.
    let findings = check(&read(&seed_text("001")));
    let thin = of_rule(&findings, "SECTION-THIN");
    assert_eq!(thin.len(), 1, "{findings:#?}");
    assert_eq!(
        thin[0].message_zh,
        "第六部分“其他需要报告的事项”未说明收取信息处理费情况"
    );
    // r03 states its fees and has a real section 五; with 五 cut down to “无。”, it is thin.
    let md = std::fs::read_to_string(common::path("tests/fixtures/corpus/r03_huaian_2024_md.md"))
        .unwrap();
    let report = |text: &str| {
        read_bytes("r03.md", text.as_bytes(), Format::Markdown).unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(of_rule(&check(&report(&md)), "SECTION-THIN").is_empty());
    let start = md.find("五、存在的主要问题及改进情况").unwrap();
    let end = md.find("六、其他需要报告的事项").unwrap();
    let heading_end = start + md[start..].find('\n').unwrap() + 1;
    let cut = format!("{}无。\n\n{}", &md[..heading_end], &md[end..]);
    let findings = check(&report(&cut));
    let thin = of_rule(&findings, "SECTION-THIN");
    assert_eq!(thin.len(), 1, "{findings:#?}");
    assert_eq!(
        thin[0].message_zh,
        "第五部分“存在的主要问题及改进情况”只有一句：“无。”，未说明存在的问题和改进措施"
    );
}

/// 001 (2021) with its prose about 2019: the work of another year, though the title says 2021.
#[test]
fn prose_year_when_the_prose_is_about_another_year() {
    let text = seed_text("001");
    assert!(of_rule(&check(&read(&text)), "PROSE-YEAR").is_empty());
    // The title is printed over two lines; its year stays.
    let title_end = text.find("年度报告").unwrap();
    let moved = format!(
        "{}{}",
        &text[..title_end],
        text[title_end..].replace("2021年", "2019年")
    );
    let findings = check(&read(&moved));
    let year = of_rule(&findings, "PROSE-YEAR");
    assert_eq!(year.len(), 1, "{findings:#?}");
    assert_eq!(
        year[0].message_zh,
        "2021年度报告的正文多次提到其他年份（2019年5次），多于本年度（1次）：可能沿用了其他年度的报告"
    );
    assert_quiet("PROSE-YEAR", &["002", "003", "004"]);
}

/// A body's report that repeats last year's: its prose (001 again under the next year's title),
/// or its tables too (002 again, figures and all); another body's prose is not last year's.
#[test]
fn copied_prose_when_a_report_repeats_last_year() {
    let this_year = seed_text("001");
    let again = this_year.replacen(
        "2021年度信息公开工作年度报告",
        "2022年度信息公开工作年度报告",
        1,
    );
    let again = replace_after(&again, "二、上年结转政府信息公开申请数量", "0", "1", 0);
    let (a, b) = (read(&this_year), read(&again));
    let series = check_series(&[&a, &b]);
    let copied: Vec<&Finding> = series
        .iter()
        .filter(|(i, f)| *i == 1 && f.rule.code() == "COPIED-PROSE")
        .map(|(_, f)| f)
        .collect();
    assert_eq!(copied.len(), 1, "{series:#?}");
    assert_eq!(
        copied[0].message_zh,
        "2022年度报告正文与2021年度报告相似度100%：可能照搬上年报告"
    );
    // 002 again a year later, its tables cell for cell.
    let text = seed_text("002");
    let next = text.replacen(
        "2023年政府信息公开工作年度报告",
        "2024年政府信息公开工作年度报告",
        1,
    );
    let (a, b) = (read(&text), read(&next));
    let codes: Vec<&str> = check_series(&[&a, &b])
        .iter()
        .map(|(_, f)| f.rule.code())
        .collect();
    assert_eq!(
        codes,
        ["COPIED-PROSE", "COPIED-PROSE"],
        "the prose and the tables"
    );
    // Another body's report, under 001's name and the next year: written afresh.
    let other = seed_text("002")
        .replace("华容县插旗镇人民政府", "尉氏县洧川镇人民政府")
        .replacen(
            "2023年政府信息公开工作年度报告",
            "2022年度信息公开工作年度报告",
            1,
        );
    let b = read(&other);
    assert_eq!(b.meta.organization, a_organization(&this_year));
    let series = check_series(&[&read(&this_year), &b]);
    assert!(
        series.iter().all(|(_, f)| f.rule.code() != "COPIED-PROSE"),
        "{series:#?}"
    );
}

/// The body a report's title names.
fn a_organization(text: &str) -> Option<String> {
    read(text).meta.organization
}

/// Each statement the prose can make about 表二 and 表三, worded as reports word it and put into
/// r03's own prose (a Markdown conversion whose cells are all read with confidence): quiet when it
/// agrees with its cells, a `NARRATIVE-MATCH` naming them when it is one off, and quiet again when
/// one of its cells is not read with confidence (the cell is the reviewer's business first).
#[test]
fn each_prose_statement_against_its_cells() {
    type Sentence = fn(&str) -> String;
    let md = std::fs::read_to_string(common::path("tests/fixtures/corpus/r03_huaian_2024_md.md"))
        .unwrap();
    let report = |text: &str| {
        read_bytes("r03.md", text.as_bytes(), Format::Markdown).unwrap_or_else(|e| panic!("{e}"))
    };
    let original = report(&md);
    assert!(
        of_rule(&check(&original), "NARRATIVE-MATCH").is_empty(),
        "r03's own prose agrees with its tables"
    );
    let organisations: &[&str] = &[
        "t3.new.business",
        "t3.new.research",
        "t3.new.social",
        "t3.new.legal",
        "t3.new.other_org",
    ];
    let cases: [(&[&str], Sentence); 7] = [
        (&["t2.normative_docs.in_force"], |v| {
            format!("截至年底，现行有效规范性文件{v}件。")
        }),
        (&["t2.regulations.in_force"], |v| {
            format!("现行有效规章 {v} 件。")
        }),
        (&["t2.licensing.decisions"], |v| {
            format!("全年作出行政许可决定{v}件。")
        }),
        (&["t2.punishment.decisions"], |v| {
            format!("行政处罚 {v} 件。")
        }),
        (&["t2.fees.amount"], |v| {
            format!("全年行政事业性收费{v}万元。")
        }),
        (&["t3.new.natural"], |v| {
            format!("市政府办公室代表市政府受理政府信息公开申请，其中自然人申请{v}件。")
        }),
        (organisations, |v| {
            format!("本年受理申请中，其中法人或其他组织申请{v}件。")
        }),
    ];
    // The sentence goes at the head of section 一.
    let heading = "一、总体情况\n";
    let at = md.find(heading).unwrap() + heading.len();
    let with = |sentence: &str| format!("{}{sentence}\n{}", &md[..at], &md[at..]);
    for (cells, sentence) in cases {
        let values: Vec<Value> = cells
            .iter()
            .map(|id| original.cells[&CellId::parse(id).unwrap()].value.unwrap())
            .collect();
        let (agree, off) = if let [Value::Amount(a)] = values.as_slice() {
            let more = Amount {
                fen: a.fen + 1_000_000,
            };
            (a.to_string(), more.to_string())
        } else {
            let n: i64 = values.iter().map(|v| v.as_integer().unwrap()).sum();
            (n.to_string(), (n + 1).to_string())
        };
        let named = |findings: &[Finding]| -> Vec<String> {
            of_rule(findings, "NARRATIVE-MATCH")
                .iter()
                .map(|f| {
                    f.cells
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect()
        };
        let agreeing = check(&report(&with(&sentence(&agree))));
        assert!(
            named(&agreeing).is_empty(),
            "{}: {agreeing:#?}",
            sentence(&agree)
        );
        let off_text = with(&sentence(&off));
        let findings = check(&report(&off_text));
        assert_eq!(named(&findings), [cells.join(",")], "{}", sentence(&off));
        let message = &of_rule(&findings, "NARRATIVE-MATCH")[0].message_zh;
        assert!(message.contains(&format!("（{off}）")), "{message}");
        assert!(message.contains(&format!("（{agree}")), "{message}");
        // The same statement, when one of its cells is doubtful, is not compared.
        let mut unsure = report(&off_text);
        unsure
            .cells
            .get_mut(&CellId::parse(cells[0]).unwrap())
            .unwrap()
            .add_reason(Reason::LabelLoose);
        assert!(named(&check(&unsure)).is_empty(), "{}", sentence(&off));
    }
}

/// A finding's suggestions, as (cell id, value).
fn proposals(finding: &Finding) -> Vec<(&'static str, String)> {
    finding
        .suggestions
        .iter()
        .map(|s| (s.cell.as_str(), s.value.to_string()))
        .collect()
}

/// A number cut in two (`5 | 0` for 50) gives its row one number too many: r03 through a
/// converter that did so in 予以公开, which pushed the row's 总计 out of the header's width, and
/// 002's text with a 20 printed over two lines. The joined reading is proposed cell by cell, and
/// taking it makes the tables add up; the clean seeds are quiet.
#[test]
fn split_cell_proposes_the_joined_reading() {
    let md = std::fs::read_to_string(common::path("tests/fixtures/corpus/r03_huaian_2024_md.md"))
        .unwrap();
    let row = "|（一）予以公开|（一）予以公开|1288|21|0|0|50|3|1362|";
    assert!(md.contains(row));
    let cut = md.replace(
        row,
        "|（一）予以公开|（一）予以公开|1288|21|0|0|5|0|3|1362|",
    );
    let report =
        read_bytes("r03.md", cut.as_bytes(), Format::Markdown).unwrap_or_else(|e| panic!("{e}"));
    let findings = check(&report);
    let split = of_rule(&findings, "SPLIT-CELL");
    assert_eq!(split.len(), 1, "{findings:#?}");
    assert!(
        split[0].message_zh.starts_with(
            "表三 “（一）予以公开”行比模板多一个数；把相邻的“5 | 0”读作一个数时本行成立"
        ),
        "{}",
        split[0].message_zh
    );
    assert_eq!(
        proposals(split[0]),
        [
            ("t3.granted.total", "1362".to_owned()),
            ("t3.granted.legal", "50".to_owned()),
            ("t3.granted.other_org", "3".to_owned()),
        ]
    );
    // Every cell of the row stays flagged until the reviewer decides.
    assert!(
        report
            .cells
            .iter()
            .filter(|(id, _)| id.as_str().starts_with("t3.granted."))
            .all(|(_, cell)| cell.is_low_confidence())
    );
    let mut taken = report.clone();
    for s in &split[0].suggestions {
        taken.cells.get_mut(&s.cell).unwrap().value = Some(s.value);
    }
    let after = check(&taken);
    assert!(
        !after
            .iter()
            .any(|f| f.rule.code().starts_with("T3-") || f.rule.code() == "SPLIT-CELL"),
        "{after:#?}"
    );

    // 002 as text, its 予以公开 row 20 from natural persons with the 20 printed on two lines.
    let text = replace_after(&seed_text("002"), "(一)予以公开", "0", "20", 6);
    let text = replace_after(&text, "(一)予以公开", "0", "2\n\n0", 0);
    let findings = check(&read(&text));
    let split = of_rule(&findings, "SPLIT-CELL");
    assert_eq!(split.len(), 1, "{findings:#?}");
    assert!(
        split[0].message_zh.contains("“2 | 0”"),
        "{}",
        split[0].message_zh
    );
    assert_eq!(
        proposals(split[0]),
        [
            ("t3.granted.total", "20".to_owned()),
            ("t3.granted.natural", "20".to_owned())
        ]
    );

    // Where two joinings would both add up (`1 1 1` and 12: 11 + 1 or 1 + 11), nothing is
    // proposed.
    let text = replace_after(&seed_text("002"), "(一)予以公开", "0", "12", 6);
    let text = replace_after(&text, "(一)予以公开", "0", "1", 1);
    let text = replace_after(&text, "(一)予以公开", "0", "1\n\n1", 0);
    let report = read(&text);
    let natural = CellId::parse("t3.granted.natural").unwrap();
    assert_eq!(
        report.cells[&natural].reasons.as_slice(),
        [Reason::PositionInferred],
        "one number too many, no joined reading"
    );
    assert!(of_rule(&check(&report), "SPLIT-CELL").is_empty());
    assert_quiet("SPLIT-CELL", &["000", "001", "002", "003", "004"]);
}

/// A folder holding Pingtan's 2019 and 2021 reports and 004 (another body, 2020): Pingtan has no
/// 2020 report though the folder has one of that year, and 004's body no 2021 report; Pingtan's
/// 2021 is its last and the folder's, so nothing is missing after it. With Pingtan's 2020 in the
/// folder (r10 again under the next year's title), Pingtan's 2019 is quiet.
#[test]
fn missing_report_when_a_body_skips_a_year_the_folder_holds() {
    let corpus = |name: &str| {
        std::fs::read_to_string(common::path(&format!("tests/fixtures/corpus/{name}.txt"))).unwrap()
    };
    let (r10, r12) = (corpus("r10_pingtan_2019"), corpus("r12_pingtan_2021"));
    let (y2019, y2021, other) = (read(&r10), read(&r12), read(&seed_text("004")));
    assert_eq!(other.meta.year, Some(2020));
    let missing = |reports: &[&Report]| -> Vec<(usize, String)> {
        check_series(reports)
            .into_iter()
            .filter(|(_, f)| f.rule.code() == "MISSING-REPORT")
            .map(|(i, f)| (i, f.message_zh))
            .collect()
    };
    assert_eq!(
        missing(&[&y2019, &y2021, &other]),
        [
            (
                0,
                "平潭综合实验区有2019年度报告，但文件夹中没有其2020年度报告（文件夹中有其他机关的2020年度报告）"
                    .to_owned()
            ),
            (
                2,
                "官庄镇人民政府有2020年度报告，但文件夹中没有其2021年度报告（文件夹中有其他机关的2021年度报告）"
                    .to_owned()
            ),
        ]
    );
    let y2020 = read(&r10.replace("2019年", "2020年"));
    assert_eq!(y2020.meta.year, Some(2020));
    assert_eq!(
        missing(&[&y2019, &y2020, &y2021, &other]),
        [(
            3,
            "官庄镇人民政府有2020年度报告，但文件夹中没有其2021年度报告（文件夹中有其他机关的2021年度报告）"
                .to_owned()
        )]
    );
    // One body's reports alone: nothing is missing that the folder could show.
    assert!(missing(&[&y2019, &y2021]).is_empty());
}
