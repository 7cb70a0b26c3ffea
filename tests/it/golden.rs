//! Golden tests on the five seed reports bundled in `assets/samples/`: every cell value, the
//! edition, year and organization, the cells that must be flagged, and the findings. The golden
//! files in `tests/golden/` were checked by hand against the source text.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use std::collections::BTreeSet;

use nianbao::checks::check;
use serde_json::Value as Json;

fn golden(seed: &str) {
    let report = common::read(&common::sample(seed));
    let text = std::fs::read_to_string(common::path(&format!("tests/golden/{seed}.json"))).unwrap();
    let gold: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(
        report.meta.organization.as_deref(),
        gold["organization"].as_str(),
        "{seed} organization"
    );
    assert_eq!(
        report.meta.year.map(u64::from),
        gold["year"].as_u64(),
        "{seed} year"
    );
    assert_eq!(
        report.edition().as_str(),
        gold["edition"].as_str().unwrap(),
        "{seed} edition"
    );
    for (id, want) in gold["cells"].as_object().unwrap() {
        let got = common::value_json(&report, id);
        assert!(
            common::same(&got, want),
            "{seed} {id}: got {got}, want {want}"
        );
    }
    for id in gold["low_confidence"].as_array().unwrap() {
        let id = nianbao::template::CellId::parse(id.as_str().unwrap()).unwrap();
        assert!(
            report.cells[&id].is_low_confidence(),
            "{seed} {id} must be flagged: {:?}",
            report.cells[&id]
        );
    }
    if let Some(prefixes) = gold
        .get("every_cell_low_confidence_in")
        .and_then(Json::as_array)
    {
        for (id, cell) in &report.cells {
            if prefixes
                .iter()
                .any(|p| id.as_str().starts_with(p.as_str().unwrap()))
            {
                assert!(
                    cell.is_low_confidence(),
                    "{seed} {id} is confident: {cell:?}"
                );
            }
        }
    } else {
        // Every cell not listed as flagged must be confident: flags are not handed out freely.
        let flagged: BTreeSet<&str> = gold["low_confidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Json::as_str)
            .collect();
        for (id, cell) in &report.cells {
            assert_eq!(
                cell.is_low_confidence(),
                flagged.contains(id.as_str()),
                "{seed} {id}: {cell:?}"
            );
        }
    }
    let rules: BTreeSet<&str> = check(&report).iter().map(|f| f.rule.code()).collect();
    let want: BTreeSet<&str> = gold["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert_eq!(rules, want, "{seed} findings");
}

#[test]
fn seed_000_ocr_scan_is_never_confident() {
    golden("000");
}

#[test]
fn seed_001_docx_dump_2021_edition() {
    golden("001");
}

#[test]
fn seed_002_web_page_one_cell_per_line() {
    golden("002");
}

#[test]
fn seed_003_blank_and_doubled_cells_are_flagged() {
    golden("003");
    let report = common::read(&common::sample("003"));
    let findings = check(&report);
    let t4 = findings
        .iter()
        .find(|f| f.rule.code() == "T4-TOTAL")
        .unwrap();
    assert_eq!(
        t4.message_zh,
        "表四 行政诉讼（未经复议直接起诉）：总计(11)，结果维持(0)+结果纠正(1)+其他结果(0)+尚未审结(0)=1，相差10"
    );
    // The doubled `11` is the cell the arithmetic points at, and the suggestion is its single reading.
    assert_eq!(t4.suggestions.len(), 1);
    assert_eq!(t4.suggestions[0].cell.as_str(), "t4.suit_direct.total");
    assert_eq!(t4.suggestions[0].value.to_string(), "1");
    let blank = &report.cells[&nianbao::template::CellId::parse("t3.new.natural").unwrap()];
    assert_eq!(blank.value, None, "blank is not zero");
    assert!(blank.reasons.iter().any(|r| r.code() == "blank"));
}

#[test]
fn seed_004_period_disagrees_with_title() {
    golden("004");
    let report = common::read(&common::sample("004"));
    let finding = check(&report)
        .into_iter()
        .find(|f| f.rule.code() == "PERIOD-YEAR")
        .unwrap();
    assert!(
        finding.message_zh.contains("2020") && finding.message_zh.contains("2019"),
        "{}",
        finding.message_zh
    );
}
