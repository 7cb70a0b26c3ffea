//! The text reports of the hand-checked corpus (copied into `tests/fixtures/corpus/`) against
//! their gold values: every cell right, or wrong only where flagged low-confidence. A wrong value
//! that is not flagged is the worst defect this program can have.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

fn against_gold(name: &str) {
    let report = common::read(&common::path(&format!("tests/fixtures/corpus/{name}.txt")));
    let gold = common::gold(name);
    let cells = gold["cells"].as_object().unwrap();
    assert_eq!(
        report.cells.len(),
        cells.len(),
        "{name}: every cell id of the edition, and no other"
    );
    common::assert_gold(&report, &gold, name);
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
        let gold = common::gold(name);
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
