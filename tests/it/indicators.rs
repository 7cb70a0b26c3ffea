//! The indicators of every corpus report against ratios worked out by hand from its hand-checked
//! gold values, with the marks the thresholds give them; undefined where a cell is blank or
//! nothing is divided, never 0 %.

use nianbao::indicators::{IndicatorId, Mark, Undefined, indicators};
use nianbao::model::Value;
use nianbao::template::CellId;

use crate::common;

/// An indicator as expected: numerator and denominator (or undefined), and the mark.
type Expected = (IndicatorId, Option<(u64, u64)>, Option<Mark>);

use IndicatorId::{
    CarriedOut, Denied, NotHeld, ReviewCorrected, Substantive, SuitCorrected, Unable,
};

/// Each corpus report's indicators. The sums are of the 总计 column of 表三 and the 结果纠正 /
/// 总计 cells of 表四 in the gold files; the marks follow `THRESHOLDS` (r03: 64 of 351 reviews
/// corrected is 18 %, past 10 %; r10: 0 reviews, nothing to divide).
const TABLE: &[(&str, &str, [Expected; 7])] = &[
    (
        "r03_huaian_2024",
        "pdf",
        [
            (Substantive, Some((1816, 3050)), None),
            (Denied, Some((178, 3050)), None),
            (Unable, Some((781, 3050)), None),
            (NotHeld, Some((769, 781)), None),
            (ReviewCorrected, Some((64, 351)), Some(Mark::Yellow)),
            (SuitCorrected, Some((5, 46)), Some(Mark::Yellow)),
            (CarriedOut, Some((103, 3153)), None),
        ],
    ),
    (
        "r09_shanghai_office_2019",
        "html",
        [
            (Substantive, Some((275, 805)), Some(Mark::Yellow)),
            (Denied, Some((35, 805)), None),
            (Unable, Some((337, 805)), Some(Mark::Yellow)),
            (NotHeld, Some((265, 337)), None),
            (ReviewCorrected, Some((0, 7)), None),
            (SuitCorrected, Some((0, 9)), None),
            (CarriedOut, Some((72, 877)), None),
        ],
    ),
    (
        "r10_pingtan_2019",
        "txt",
        [
            (Substantive, Some((8, 23)), Some(Mark::Yellow)),
            (Denied, Some((0, 23)), None),
            (Unable, Some((12, 23)), Some(Mark::Yellow)),
            (NotHeld, Some((7, 12)), None),
            (ReviewCorrected, None, None),
            (SuitCorrected, None, None),
            (CarriedOut, Some((0, 23)), None),
        ],
    ),
    (
        "r12_pingtan_2021",
        "txt",
        [
            (Substantive, Some((35, 69)), None),
            (Denied, Some((8, 69)), None),
            (Unable, Some((25, 69)), None),
            (NotHeld, Some((25, 25)), None),
            // 0 of 3: too few reviews for a mark either way.
            (ReviewCorrected, Some((0, 3)), None),
            (SuitCorrected, Some((0, 12)), None),
            (CarriedOut, Some((1, 70)), None),
        ],
    ),
    (
        "r17_fixture_hangzhou_style_2025",
        "html",
        [
            (Substantive, Some((7716, 13810)), None),
            (Denied, Some((730, 13810)), None),
            (Unable, Some((3421, 13810)), None),
            (NotHeld, Some((3222, 3421)), None),
            (ReviewCorrected, Some((97, 790)), Some(Mark::Yellow)),
            (SuitCorrected, Some((2, 212)), None),
            (CarriedOut, Some((819, 14629)), None),
        ],
    ),
];

/// Checks `got` against a row of the table.
fn assert_row(got: &[nianbao::indicators::Indicator], expected: &[Expected; 7], what: &str) {
    assert_eq!(got.len(), expected.len());
    for (indicator, &(id, ratio, mark)) in got.iter().zip(expected) {
        assert_eq!(indicator.id, id, "{what}");
        assert_eq!(
            indicator.ratio.as_ref().ok().copied(),
            ratio,
            "{what}: {id:?}"
        );
        assert_eq!(indicator.mark, mark, "{what}: {id:?}");
        if ratio.is_none() {
            assert_eq!(indicator.ratio, Err(Undefined::NothingToDivide), "{what}");
            assert_eq!(indicator.percent(), "—", "{what}: never 0 %");
        }
    }
}

/// The indicators of the hand-checked values (what an approved record holds), and of the values
/// as read wherever the reading has no cell to look at.
#[test]
fn every_corpus_report_has_the_indicators_worked_out_by_hand() {
    for (name, ext, expected) in TABLE {
        let gold = common::gold(name);
        let checked = |id: CellId| gold["cells"][id.as_str()].as_u64().map(Value::Count);
        let got = indicators(&checked, &|_| false);
        assert!(got.iter().all(|i| !i.doubtful));
        assert_row(&got, expected, name);
        let report = common::read(&common::path(&format!(
            "tests/fixtures/corpus/{name}.{ext}"
        )));
        let as_read = indicators(&|id| report.value(id), &|id| {
            report.cells[&id].is_low_confidence()
        });
        // Where every cell an indicator needs was read with confidence, it is the one worked
        // out by hand; where one is doubtful, it says so. (r09's page prints blanks where its
        // results are 0: blank is not zero, so those ratios have no value and name the cell.)
        for (indicator, &(id, ratio, _)) in as_read.iter().zip(expected) {
            let sure = id
                .cells()
                .iter()
                .all(|c| !report.cells[c].is_low_confidence());
            assert_eq!(indicator.doubtful, !sure, "{name}: {id:?}");
            if sure {
                assert_eq!(
                    indicator.ratio.as_ref().ok().copied(),
                    ratio,
                    "{name}: {id:?}"
                );
            }
        }
    }
}

/// A blank cell is not 0: an indicator that needs it has no value and names the cell.
#[test]
fn a_blank_cell_leaves_its_indicators_undefined_and_named() {
    let report = common::read(&common::path("tests/fixtures/corpus/r12_pingtan_2021.txt"));
    let granted = CellId::parse("t3.granted.total").unwrap();
    let value = |id: CellId| {
        if id == granted {
            None
        } else {
            report.value(id)
        }
    };
    let got = indicators(&value, &|_| false);
    assert_eq!(got[0].ratio, Err(Undefined::Blank(granted)));
    assert_eq!(got[0].mark, None);
    assert!(got[0].ratio.as_ref().unwrap_err().zh().contains("予以公开"));
    // The others do not need it.
    assert_eq!(got[1].ratio, Ok((8, 69)));
    // A count of 0 in a denominator is nothing to divide, whatever the numerator.
    let zero = |id: CellId| {
        if id.as_str().starts_with("t4.review.") {
            Some(Value::Count(0))
        } else {
            report.value(id)
        }
    };
    assert_eq!(
        indicators(&zero, &|_| false)[4].ratio,
        Err(Undefined::NothingToDivide)
    );
}

/// `check --json` carries the indicators, as the README's contract says.
#[test]
fn check_json_carries_the_indicators() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--json"])
        .arg(common::path("tests/fixtures/corpus/r10_pingtan_2019.txt"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &json["indicators"][0];
    assert_eq!(first["id"], "substantive");
    assert_eq!(first["numerator"], 8);
    assert_eq!(first["denominator"], 23);
    assert_eq!(first["value"], 0.3478);
    assert_eq!(first["mark"], "yellow");
    let review = &json["indicators"][4];
    assert_eq!(review["id"], "review_corrected");
    assert!(review["value"].is_null(), "0 reviews: undefined, not 0 %");
    assert_eq!(review["undefined"]["zh"], "分母为0");
}
