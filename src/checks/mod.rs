//! The auditor's checks: every rule of [`crate::rules`] run over a report — the sum relations,
//! value kinds, metadata, prose and neighbouring years — each failure a finding that names its
//! cells and both sides' numbers in a sentence an auditor can paste into a letter; and the
//! verdict.

mod meta;
mod prose;
mod series;
mod substance;
mod sums;

use serde::{Deserialize, Serialize};

use crate::model::Report;
use crate::repair::Suggestion;
use crate::rules::{RuleId, Severity, relations, sides};
use crate::template::CellId;
pub use meta::SECTION_NAMES;
pub use series::{
    Trace, across_years, check_series, earlier_of, long_enough_to_compare, missing_next_year,
    missing_report, prose,
};

/// One failed rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that failed.
    pub rule: RuleId,
    /// How serious it is.
    pub severity: Severity,
    /// The cells it involves.
    pub cells: Vec<CellId>,
    /// The auditor's sentence.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
    /// Values that would make it hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
}

impl Finding {
    /// The auditor's sentence in `lang`.
    #[must_use]
    pub fn message(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.message_zh, &self.message_en)
    }
}

pub(crate) fn finding(
    rule: RuleId,
    cells: Vec<CellId>,
    message_zh: String,
    message_en: String,
) -> Finding {
    Finding {
        rule,
        severity: rule.severity(),
        cells,
        message_zh,
        message_en,
        suggestions: Vec::new(),
    }
}

/// Runs every rule that needs only this report.
#[must_use]
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    meta::findings(report, &mut out);
    sums::value_kind_findings(report, &mut out);
    let values = sums::Values::of(report);
    for relation in relations(report.layout) {
        out.extend(sums::relation_finding(report, &values, relation));
    }
    sums::split_cell_findings(report, &mut out);
    prose::findings(report, &mut out);
    substance::findings(report, &mut out);
    out
}

/// The tables' arithmetic alone (the sum relations), for tables that are not a report's own:
/// a region's totals.
#[must_use]
pub fn arithmetic(report: &Report) -> Vec<Finding> {
    let values = sums::Values::of(report);
    relations(report.layout)
        .iter()
        .filter_map(|relation| sums::relation_finding(report, &values, relation))
        .collect()
}

/// How many sum rules cannot be evaluated because a cell of theirs has no value.
#[must_use]
pub fn unchecked(report: &Report) -> usize {
    relations(report.layout)
        .iter()
        .filter(|r| sides(r, &|id| report.value(id)).is_none())
        .count()
}

/// What a report's findings and cells come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An error finding: the published report does not add up, or a table is missing.
    Fails,
    /// No error found, but some cells must be looked at before anything can be said.
    NeedsReview,
    /// Every cell read with confidence and every rule holds.
    Passes,
}

impl Verdict {
    /// The verdict in Chinese.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Fails => "未通过",
            Verdict::NeedsReview => "待核",
            Verdict::Passes => "通过",
        }
    }

    /// The verdict in English.
    #[must_use]
    pub fn en(self) -> &'static str {
        match self {
            Verdict::Fails => "fails",
            Verdict::NeedsReview => "needs review",
            Verdict::Passes => "passes",
        }
    }
}

/// The verdict on a report: a report with cells to review never passes, since its rules could
/// not all be evaluated on trustworthy numbers.
#[must_use]
pub fn verdict(report: &Report, findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Fails
    } else if report.low_confidence_count() > 0 {
        Verdict::NeedsReview
    } else {
        Verdict::Passes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Format, Metadata, Source, Stated, Statement, Topic, Value};
    use crate::template::{Edition, Layout, TableId};

    /// A report of `layout` whose cells are all read with confidence: 0 but where `values`
    /// say otherwise.
    fn report(layout: Layout, values: &[(&str, i64)]) -> Report {
        let cells = layout
            .cells()
            .into_iter()
            .map(|id| {
                let n = values
                    .iter()
                    .find(|(key, _)| *key == id.as_str())
                    .map_or(0, |(_, n)| *n);
                let value = Value::from_integer(id.kind(), n);
                (id, Cell::printed(n.to_string(), None, value))
            })
            .collect();
        Report {
            source: Source {
                path: "r.txt".into(),
                sha256: String::new(),
                size: 0,
                format: Format::Txt,
            },
            meta: Metadata {
                year: Some(2021),
                ..Metadata::default()
            },
            layout,
            missing_tables: Vec::new(),
            cells,
        }
    }

    #[test]
    fn the_rules_values_are_the_reports_values() {
        // A report with values, blanks and cells it does not have, looked up by every id.
        let mut r = report(E2021, &[("t3.new.natural", 4), ("t3.new.total", 7)]);
        let ids: Vec<CellId> = r.cells.keys().copied().collect();
        for (k, id) in ids.iter().enumerate() {
            if k % 3 == 1 {
                r.cells.get_mut(id).unwrap().value = None;
            }
        }
        let kept = ids.iter().step_by(5).copied();
        r.cells = kept
            .map(|id| (id, r.cells.get(&id).unwrap().clone()))
            .collect();
        let values = sums::Values::of(&r);
        assert!(CellId::all().any(|id| r.value(id).is_some()));
        assert!(CellId::all().any(|id| r.cells.contains_key(&id) && r.value(id).is_none()));
        for id in CellId::all() {
            assert_eq!(values.get(id), r.value(id), "{}", id.as_str());
        }
    }

    fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule.code()).collect()
    }

    const E2021: Layout = Layout {
        t2: Edition::E2021,
        t3_other: Edition::E2021,
    };

    fn statement(topic: Topic, value: u64) -> Statement {
        Statement {
            topic,
            stated: Stated {
                value,
                text: "收到申请5件".into(),
                span: 0..1,
            },
        }
    }

    /// One case: a hand-made report and the rules that must fail on it, in order.
    struct Case {
        name: &'static str,
        layout: Layout,
        values: &'static [(&'static str, i64)],
        tweak: fn(&mut Report),
        fails: &'static [&'static str],
    }

    const NOTHING: fn(&mut Report) = |_| {};

    const CASES: &[Case] = &[
        Case {
            name: "a report that adds up",
            layout: E2021,
            values: &[],
            tweak: NOTHING,
            fails: &[],
        },
        Case {
            name: "one application in, none out",
            layout: E2021,
            values: &[("t3.new.natural", 1), ("t3.new.total", 1)],
            tweak: NOTHING,
            fails: &["T3-BALANCE", "T3-BALANCE"],
        },
        Case {
            name: "a total of results with no result under it",
            layout: E2021,
            values: &[
                ("t3.results_total.natural", 1),
                ("t3.results_total.total", 1),
                ("t3.new.natural", 1),
                ("t3.new.total", 1),
            ],
            tweak: NOTHING,
            fails: &["T3-RESULTS-SUM", "T3-RESULTS-SUM"],
        },
        Case {
            name: "a row whose total is off",
            layout: E2021,
            values: &[
                ("t3.new.natural", 2),
                ("t3.new.total", 1),
                ("t3.carried_out.natural", 2),
                ("t3.carried_out.total", 1),
            ],
            tweak: NOTHING,
            fails: &["T3-ROW-TOTAL", "T3-ROW-TOTAL"],
        },
        Case {
            name: "表四's total off",
            layout: E2021,
            values: &[("t4.review.total", 3)],
            tweak: NOTHING,
            fails: &["T4-TOTAL"],
        },
        Case {
            name: "a negative count",
            layout: E2021,
            values: &[],
            tweak: |r| {
                if let Some(cell) =
                    CellId::parse("t3.new.total").and_then(|id| r.cells.get_mut(&id))
                {
                    cell.add_reason(crate::model::Reason::InvalidForKind {
                        printed: "-1".into(),
                    });
                }
            },
            fails: &["VALUE-KIND"],
        },
        Case {
            name: "a period of another year",
            layout: E2021,
            values: &[],
            tweak: |r| r.meta.period_year = Some(2020),
            fails: &["PERIOD-YEAR"],
        },
        Case {
            name: "the 2019 edition in 2022",
            layout: Layout {
                t2: Edition::E2019,
                t3_other: Edition::E2019,
            },
            values: &[],
            tweak: |r| r.meta.year = Some(2022),
            fails: &["EDITION-YEAR"],
        },
        Case {
            name: "表二 of one edition, （六） of the other",
            layout: Layout {
                t2: Edition::E2021,
                t3_other: Edition::E2019,
            },
            values: &[],
            tweak: NOTHING,
            fails: &["TEMPLATE-MIXED"],
        },
        Case {
            name: "表四 missing",
            layout: E2021,
            values: &[],
            tweak: |r| r.missing_tables.push(TableId::T4),
            fails: &["SECTION-MISSING"],
        },
        Case {
            name: "the prose says five applications, the table none",
            layout: E2021,
            values: &[],
            tweak: |r| r.meta.statements.push(statement(Topic::Applications, 5)),
            fails: &["NARRATIVE-MATCH"],
        },
        Case {
            name: "the prose says none, the table none",
            layout: E2021,
            values: &[],
            tweak: |r| r.meta.statements.push(statement(Topic::Applications, 0)),
            fails: &[],
        },
        Case {
            name: "nothing counted and an overview of one line",
            layout: E2021,
            values: &[],
            tweak: |r| r.meta.sections.push(prose(1, "本年度无。")),
            fails: &["REPORT-EMPTY"],
        },
        Case {
            name: "nothing counted and an overview that says what was done",
            layout: E2021,
            values: &[],
            tweak: |r| {
                r.meta.sections.push(prose(1, &OVERVIEW.repeat(20)));
            },
            fails: &[],
        },
        Case {
            name: "section 五 says 无",
            layout: E2021,
            values: &[],
            tweak: |r| {
                r.meta.sections.push(prose(1, &OVERVIEW.repeat(20)));
                r.meta.sections.push(prose(5, "无。"));
            },
            fails: &["SECTION-THIN"],
        },
        Case {
            name: "a 2023 report about 2021",
            layout: E2021,
            values: &[],
            tweak: |r| {
                r.meta.year = Some(2023);
                r.meta.years_named = [(2021, 4), (2023, 1), (2024, 3)].into();
            },
            fails: &["PROSE-YEAR"],
        },
        Case {
            name: "a 2023 report with its plans for 2024 and a comparison with 2022",
            layout: E2021,
            values: &[],
            tweak: |r| {
                r.meta.year = Some(2023);
                r.meta.years_named = [(2022, 2), (2023, 5), (2024, 4)].into();
            },
            fails: &[],
        },
    ];

    /// A sentence of an overview that says what was done.
    const OVERVIEW: &str = "本年度我局主动公开政府信息。";

    /// A section of prose as the reader gives it.
    fn prose(number: u8, text: &str) -> crate::model::SectionProse {
        crate::model::SectionProse {
            number,
            text: text.to_owned(),
            chars: text.chars().count(),
            sentences: text.matches('。').count().max(1),
        }
    }

    #[test]
    fn each_rule_fires_where_it_should_and_only_there() {
        for case in CASES {
            let mut report = report(case.layout, case.values);
            (case.tweak)(&mut report);
            assert_eq!(codes(&check(&report)), case.fails, "{}", case.name);
        }
    }

    /// Whether `NARRATIVE-MATCH` fires when the prose states `said` of `topic` in a report with
    /// `values` (the other rules that the hand-made values break are not this test's business).
    fn narrative_fires(
        values: &[(&str, i64)],
        topic: Topic,
        said: u64,
        doubt: Option<&str>,
    ) -> bool {
        let mut report = report(E2021, values);
        report.meta.statements.push(statement(topic, said));
        if let Some(cell) = doubt
            .and_then(CellId::parse)
            .and_then(|id| report.cells.get_mut(&id))
        {
            cell.add_reason(crate::model::Reason::PositionInferred);
        }
        codes(&check(&report)).contains(&"NARRATIVE-MATCH")
    }

    #[test]
    fn the_prose_is_compared_with_the_cells_it_speaks_of() {
        let t3 = [
            ("t3.new.natural", 4),
            ("t3.new.legal", 1),
            ("t3.new.total", 5),
            ("t3.carried_in.natural", 2),
            ("t3.carried_in.total", 2),
        ];
        // Accepted: new applications, or new and carried-in together — reports say either.
        assert!(!narrative_fires(&t3, Topic::Accepted, 5, None));
        assert!(!narrative_fires(&t3, Topic::Accepted, 7, None));
        assert!(narrative_fires(&t3, Topic::Accepted, 6, None));
        assert!(!narrative_fires(&t3, Topic::AcceptedNatural, 6, None));
        assert!(narrative_fires(&t3, Topic::AcceptedNatural, 5, None));
        assert!(!narrative_fires(&t3, Topic::AcceptedOrganisations, 1, None));
        assert!(narrative_fires(&t3, Topic::AcceptedOrganisations, 2, None));
        let t2 = [
            ("t2.normative_docs.in_force", 66),
            ("t2.regulations.in_force", 11),
            ("t2.licensing.decisions", 447_228),
            ("t2.punishment.decisions", 9),
        ];
        assert!(!narrative_fires(&t2, Topic::NormativeInForce, 66, None));
        assert!(narrative_fires(&t2, Topic::NormativeInForce, 65, None));
        assert!(narrative_fires(&t2, Topic::RegulationsInForce, 12, None));
        assert!(!narrative_fires(&t2, Topic::Licensing, 447_228, None));
        assert!(narrative_fires(&t2, Topic::Penalties, 8, None));
        // Fees are compared in 分: the table's 0 万元 against 0.000001 万元 stated.
        assert!(!narrative_fires(&t2, Topic::Fees, 0, None));
        assert!(narrative_fires(&t2, Topic::Fees, 1, None));
        // A cell the reviewer must still look at is not compared: the doubt comes first.
        assert!(!narrative_fires(
            &t2,
            Topic::Licensing,
            4,
            Some("t2.licensing.decisions")
        ));
        assert!(!narrative_fires(
            &t3,
            Topic::Accepted,
            6,
            Some("t3.carried_in.total")
        ));
    }

    #[test]
    fn a_blank_cell_is_not_zero_and_the_rule_waits() {
        let mut report = report(E2021, &[("t4.review.total", 3)]);
        if let Some(cell) =
            CellId::parse("t4.review.upheld").and_then(|id| report.cells.get_mut(&id))
        {
            cell.value = None;
        }
        assert!(check(&report).is_empty());
        assert_eq!(unchecked(&report), 1);
    }

    #[test]
    fn years_of_one_body_carry_forward_and_keep_their_documents_in_force() {
        let mut earlier = report(
            E2021,
            &[
                ("t3.carried_out.natural", 2),
                ("t3.carried_out.total", 2),
                ("t3.new.natural", 2),
                ("t3.new.total", 2),
                ("t2.regulations.in_force", 10),
            ],
        );
        earlier.meta.year = Some(2021);
        earlier.meta.organization = Some("某局".into());
        let mut later = report(
            E2021,
            &[
                ("t3.carried_in.natural", 1),
                ("t3.carried_in.total", 1),
                ("t3.results_total.natural", 1),
                ("t3.results_total.total", 1),
                ("t3.granted.natural", 1),
                ("t3.granted.total", 1),
                ("t2.regulations.issued", 2),
                ("t2.regulations.repealed", 1),
                ("t2.regulations.in_force", 12),
            ],
        );
        later.meta.year = Some(2022);
        later.meta.organization = Some("某局".into());
        let series = check_series(&[&earlier, &later]);
        let found: Vec<(usize, &str)> = series.iter().map(|(i, f)| (*i, f.rule.code())).collect();
        assert_eq!(
            found,
            [
                (1, "CARRY-FORWARD"),
                (1, "CARRY-FORWARD"),
                (1, "IN-FORCE-CONTINUITY")
            ]
        );
        // Another body's report is not last year's; the earlier body then has no report for
        // the year the folder holds.
        later.meta.organization = Some("另一局".into());
        let codes: Vec<(usize, &str)> = check_series(&[&earlier, &later])
            .iter()
            .map(|(i, f)| (*i, f.rule.code()))
            .collect();
        assert_eq!(codes, [(0, "MISSING-REPORT")]);
    }
}
