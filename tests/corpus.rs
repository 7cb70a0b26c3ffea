//! The text reports of the hand-checked corpus (copied into `tests/fixtures/corpus/`) against
//! their gold values: every cell right, or wrong only where flagged low-confidence. A wrong value
//! that is not flagged is the worst defect this program can have.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

mod common;

use serde_json::Value as Json;

fn against_gold(name: &str) {
    let report = common::read(&common::path(&format!("tests/fixtures/corpus/{name}.txt")));
    let text = std::fs::read_to_string(common::path(&format!(
        "tests/fixtures/corpus/{name}.gold.json"
    )))
    .unwrap();
    let gold: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(
        report.meta.organization.as_deref(),
        gold["organization"].as_str()
    );
    assert_eq!(report.meta.year.map(u64::from), gold["year"].as_u64());
    assert_eq!(report.edition().as_str(), gold["edition"].as_str().unwrap());
    let cells = gold["cells"].as_object().unwrap();
    assert_eq!(
        report.cells.len(),
        cells.len(),
        "{name}: every cell id of the edition, and no other"
    );
    let mut unflagged_wrong = Vec::new();
    for (id, want) in cells {
        let got = common::value_json(&report, id);
        let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
        if !common::same(&got, want) && !cell.is_low_confidence() {
            unflagged_wrong.push(format!("{id}: got {got}, gold {want}, raw {:?}", cell.raw));
        }
    }
    assert!(
        unflagged_wrong.is_empty(),
        "{name}: wrong and not flagged:\n{}",
        unflagged_wrong.join("\n")
    );
    for id in gold["low_confidence"].as_array().unwrap() {
        let id = nianbao::template::CellId::parse(id.as_str().unwrap()).unwrap();
        assert!(
            report.cells[&id].is_low_confidence(),
            "{name}: gold says {id} cannot be sure"
        );
    }
}

#[test]
fn r10_glued_2019_edition() {
    against_gold("r10_pingtan_2019");
}

#[test]
fn r12_glued_2021_edition() {
    against_gold("r12_pingtan_2021");
}

/// The glued rows of 表三 and 表四 have one split that the arithmetic admits: those cells are
/// right and confident, not merely flagged.
#[test]
fn glued_tables_three_and_four_are_resolved_by_arithmetic() {
    for name in ["r10_pingtan_2019", "r12_pingtan_2021"] {
        let report = common::read(&common::path(&format!("tests/fixtures/corpus/{name}.txt")));
        let text = std::fs::read_to_string(common::path(&format!(
            "tests/fixtures/corpus/{name}.gold.json"
        )))
        .unwrap();
        let gold: Json = serde_json::from_str(&text).unwrap();
        for (id, cell) in &report.cells {
            if id.as_str().starts_with("t2.") {
                continue;
            }
            assert!(!cell.is_low_confidence(), "{name} {id}: {cell:?}");
            assert!(
                common::same(
                    &common::value_json(&report, id.as_str()),
                    &gold["cells"][id.as_str()]
                ),
                "{name} {id}"
            );
        }
    }
}
