//! The auditor's rules as data: each rule's code and severity, and the arithmetic of the spec —
//! sum relations over the rows and columns of a table ([`SUM_RULES`]), instantiated for whatever
//! layout a report prints. Below both the reader (which narrows glued digits with the table's
//! own sums) and the checks (which report where a sum fails); knows nothing of findings.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::model::Value;
use crate::template::{CellId, Edition, Layout, RowRole, TableId};

/// The rules of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    /// `new + carried_in = results_total + carried_out`, per column of 表三.
    #[serde(rename = "T3-BALANCE")]
    T3Balance,
    /// `results_total` = the sum of the result rows, per column of 表三.
    #[serde(rename = "T3-RESULTS-SUM")]
    T3ResultsSum,
    /// `total` = the sum of the six applicant columns, per row of 表三.
    #[serde(rename = "T3-ROW-TOTAL")]
    T3RowTotal,
    /// `total = upheld + corrected + other + pending`, per group of 表四.
    #[serde(rename = "T4-TOTAL")]
    T4Total,
    /// A printed number the cell cannot hold.
    #[serde(rename = "VALUE-KIND")]
    ValueKind,
    /// A row printed with one number too many that adds up when two neighbouring numbers are
    /// read as one (`2 | 0` for `20`).
    #[serde(rename = "SPLIT-CELL")]
    SplitCell,
    /// Numbers in the prose disagree with the tables.
    #[serde(rename = "NARRATIVE-MATCH")]
    NarrativeMatch,
    /// The statistical period or the title's year disagree with the report year.
    #[serde(rename = "PERIOD-YEAR")]
    PeriodYear,
    /// The edition does not fit the report year.
    #[serde(rename = "EDITION-YEAR")]
    EditionYear,
    /// Parts of the report follow different editions.
    #[serde(rename = "TEMPLATE-MIXED")]
    TemplateMixed,
    /// A table or a section is missing.
    #[serde(rename = "SECTION-MISSING")]
    SectionMissing,
    /// This year's carried-in differs from last year's carried-out.
    #[serde(rename = "CARRY-FORWARD")]
    CarryForward,
    /// In-force counts do not continue from last year.
    #[serde(rename = "IN-FORCE-CONTINUITY")]
    InForceContinuity,
    /// A table mostly printed blank.
    #[serde(rename = "BLANKS-MANY")]
    BlanksMany,
    /// Nothing reported: every cell 0 or blank and next to no prose, or headings only.
    #[serde(rename = "REPORT-EMPTY")]
    ReportEmpty,
    /// Section 五 empty or a sentence; section 六 silent on fees.
    #[serde(rename = "SECTION-THIN")]
    SectionThin,
    /// The prose describes the work of another year.
    #[serde(rename = "PROSE-YEAR")]
    ProseYear,
    /// A body's report repeats last year's: its prose, or its tables cell for cell.
    #[serde(rename = "COPIED-PROSE")]
    CopiedProse,
    /// A body with a report for one year has none in the folder for the next, which other
    /// bodies have.
    #[serde(rename = "MISSING-REPORT")]
    MissingReport,
}

impl RuleId {
    /// The rule's code as the spec writes it.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            RuleId::T3Balance => "T3-BALANCE",
            RuleId::T3ResultsSum => "T3-RESULTS-SUM",
            RuleId::T3RowTotal => "T3-ROW-TOTAL",
            RuleId::T4Total => "T4-TOTAL",
            RuleId::ValueKind => "VALUE-KIND",
            RuleId::SplitCell => "SPLIT-CELL",
            RuleId::NarrativeMatch => "NARRATIVE-MATCH",
            RuleId::PeriodYear => "PERIOD-YEAR",
            RuleId::EditionYear => "EDITION-YEAR",
            RuleId::TemplateMixed => "TEMPLATE-MIXED",
            RuleId::SectionMissing => "SECTION-MISSING",
            RuleId::CarryForward => "CARRY-FORWARD",
            RuleId::InForceContinuity => "IN-FORCE-CONTINUITY",
            RuleId::BlanksMany => "BLANKS-MANY",
            RuleId::ReportEmpty => "REPORT-EMPTY",
            RuleId::SectionThin => "SECTION-THIN",
            RuleId::ProseYear => "PROSE-YEAR",
            RuleId::CopiedProse => "COPIED-PROSE",
            RuleId::MissingReport => "MISSING-REPORT",
        }
    }

    /// Whether a finding of this rule asks a person to look before the report is approved; if
    /// not, straight-through approval (`approve --auto`) may approve the report, the finding
    /// kept in its record and its problem list. Two rules do not, since no reading of the
    /// report's tables depends on them: `SECTION-THIN` (a section the publisher left thin is
    /// theirs to mend) and `MISSING-REPORT` (it is about the body's next report, not this one).
    #[must_use]
    pub fn asks_a_person(self) -> bool {
        !matches!(self, RuleId::SectionThin | RuleId::MissingReport)
    }

    /// How serious a failure is.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            RuleId::T3Balance
            | RuleId::T3ResultsSum
            | RuleId::T3RowTotal
            | RuleId::T4Total
            | RuleId::ValueKind
            | RuleId::SectionMissing => Severity::Error,
            RuleId::SplitCell
            | RuleId::NarrativeMatch
            | RuleId::PeriodYear
            | RuleId::EditionYear
            | RuleId::TemplateMixed
            | RuleId::CarryForward
            | RuleId::InForceContinuity
            | RuleId::BlanksMany
            | RuleId::ReportEmpty
            | RuleId::SectionThin
            | RuleId::ProseYear
            | RuleId::CopiedProse
            | RuleId::MissingReport => Severity::Warning,
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The report must not be approved as it stands.
    Error,
    /// Worth a look; does not block.
    Warning,
}

/// The limits of the rules on a report's substance (`BLANKS-MANY`, `REPORT-EMPTY`,
/// `SECTION-THIN`, `PROSE-YEAR`, `COPIED-PROSE`), as data: an office that judges otherwise changes them here.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `BLANKS-MANY`: a table with more than this share of its cells printed blank is mostly
    /// unfilled (half: a table that prints only its 总计 column is three quarters blank).
    pub blank_share: f64,
    /// `REPORT-EMPTY`: with every cell 0 or blank, sections 一, 五 and 六 together saying fewer
    /// characters than this say nothing (a real overview alone runs to several hundred).
    pub empty_prose_chars: usize,
    /// `REPORT-EMPTY`: a section with fewer characters than this under its heading, outside
    /// its tables, is a heading only.
    pub heading_only_chars: usize,
    /// `SECTION-THIN`: section 五 with at most one sentence and fewer characters than this
    /// names no problem and no improvement (“无。”, “暂无。”, one stock sentence).
    pub thin_chars: usize,
    /// `SECTION-THIN`: reports of this year and later state in section 六 whether fees were
    /// charged (信息处理费): the fee rules took effect on 1 January 2021.
    pub fees_stated_from: u16,
    /// `PROSE-YEAR`: years other than the report's and the next (plans, the date of
    /// publication) named at least this often, and more often than the report's own year.
    pub other_year_mentions: u32,
    /// `COPIED-PROSE`: this year's prose this similar to last year's (the share of characters
    /// the two have in common, in order) is last year's again; two reports of one body written
    /// afresh share their set phrases, well under this.
    pub copied_similarity: f32,
    /// `COPIED-PROSE`: prose shorter than this (characters, both years) is not compared: “无。”
    /// is always like “无。”.
    pub copied_min_chars: usize,
}

/// The limits in force.
pub static LIMITS: Limits = Limits {
    blank_share: 0.5,
    empty_prose_chars: 200,
    heading_only_chars: 10,
    thin_chars: 60,
    fees_stated_from: 2021,
    other_year_mentions: 3,
    copied_similarity: 0.9,
    copied_min_chars: 200,
};

/// Which way a sum rule runs over a grid table.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// One relation per column, over rows.
    EachColumn,
    /// One relation per row, over columns.
    EachRow,
}

/// One side of a sum rule.
#[derive(Debug, Clone, Copy)]
pub enum Terms {
    /// The rows with these roles (with [`Scope::EachColumn`]).
    Rows(&'static [RowRole]),
    /// Every result row, whatever its group (with [`Scope::EachColumn`]).
    Results,
    /// These columns (with [`Scope::EachRow`]).
    Columns(&'static [&'static str]),
}

/// A rule of the form "sum of one side = sum of the other", over a table.
#[derive(Debug)]
pub struct SumRule {
    /// Which rule of the spec.
    pub rule: RuleId,
    /// The table it runs over.
    pub table: TableId,
    /// Per column or per row.
    pub scope: Scope,
    /// The left side.
    pub lhs: Terms,
    /// The right side.
    pub rhs: Terms,
    /// Names for a side too long to list term by term: Chinese, English.
    pub long_side: (&'static str, &'static str),
}

const APPLICANTS: &[&str] = &[
    "natural",
    "business",
    "research",
    "social",
    "legal",
    "other_org",
];

/// The arithmetic of the spec, as data.
pub static SUM_RULES: &[SumRule] = &[
    SumRule {
        rule: RuleId::T3Balance,
        table: TableId::T3,
        scope: Scope::EachColumn,
        lhs: Terms::Rows(&[RowRole::New, RowRole::CarriedIn]),
        rhs: Terms::Rows(&[RowRole::ResultsTotal, RowRole::CarriedOut]),
        long_side: ("", ""),
    },
    SumRule {
        rule: RuleId::T3ResultsSum,
        table: TableId::T3,
        scope: Scope::EachColumn,
        lhs: Terms::Rows(&[RowRole::ResultsTotal]),
        rhs: Terms::Results,
        long_side: (
            "（一）至（六）各项办理结果之和",
            "sum of results (1) to (6)",
        ),
    },
    SumRule {
        rule: RuleId::T3RowTotal,
        table: TableId::T3,
        scope: Scope::EachRow,
        lhs: Terms::Columns(&["total"]),
        rhs: Terms::Columns(APPLICANTS),
        long_side: ("各申请人之和", "sum of applicants"),
    },
    SumRule {
        rule: RuleId::T4Total,
        table: TableId::T4,
        scope: Scope::EachRow,
        lhs: Terms::Columns(&["total"]),
        rhs: Terms::Columns(&["upheld", "corrected", "other", "pending"]),
        long_side: ("", ""),
    },
];

/// One term of a sum: a cell and its short name in each language (`第一项`, `item 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The cell.
    pub cell: CellId,
    /// Its name in Chinese sentences.
    pub zh: &'static str,
    /// Its name in English sentences.
    pub en: &'static str,
}

impl Term {
    /// Its name in `lang`.
    #[must_use]
    pub fn name(&self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

/// One instance of a sum rule: cells on each side, with the words for each term.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The rule it instantiates.
    pub rule: &'static SumRule,
    /// Where it applies (`自然人列`), Chinese.
    pub scope_zh: String,
    /// Where it applies, English.
    pub scope_en: String,
    /// Left side: cell and its short Chinese and English names.
    pub lhs: Vec<Term>,
    /// Right side, likewise.
    pub rhs: Vec<Term>,
}

impl Relation {
    /// Every cell of the relation.
    pub fn cells(&self) -> impl Iterator<Item = CellId> + '_ {
        self.lhs.iter().chain(&self.rhs).map(|t| t.cell)
    }
}

/// Every sum rule instantiated for each possible layout, made once.
static RELATIONS: LazyLock<Vec<(Layout, Vec<Relation>)>> = LazyLock::new(|| {
    Layout::all()
        .map(|layout| (layout, instantiate(layout)))
        .collect()
});

/// How many values a row of `table` has when a rule says its last is the total of the others
/// (表三's applicants and total, 表四's outcomes and total): the reader checks glued digits
/// against it. `None` when no rule makes a row's last column its total.
#[must_use]
pub fn row_total_width(table: TableId) -> Option<usize> {
    SUM_RULES.iter().find_map(|rule| {
        let (Scope::EachRow, Terms::Columns(&[total]), Terms::Columns(parts)) =
            (rule.scope, rule.lhs, rule.rhs)
        else {
            return None;
        };
        let row = Layout::uniform(Edition::for_year(0))
            .rows(table)
            .into_iter()
            .next()?;
        let keys: Vec<&str> = row.columns.iter().map(|c| c.key).collect();
        let last = keys.last()?;
        (rule.table == table && *last == total && keys[..keys.len() - 1] == *parts)
            .then_some(keys.len())
    })
}

/// Every sum rule instantiated for a layout.
#[must_use]
pub fn relations(layout: Layout) -> &'static [Relation] {
    RELATIONS
        .iter()
        .find(|(l, _)| *l == layout)
        .map_or(&[], |(_, r)| r.as_slice())
}

fn instantiate(layout: Layout) -> Vec<Relation> {
    let mut out = Vec::new();
    for rule in SUM_RULES {
        let rows = layout.rows(rule.table);
        match rule.scope {
            Scope::EachColumn => {
                let Some(first) = rows.first() else { continue };
                for column in first.columns {
                    let side = |terms: Terms| -> Vec<Term> {
                        rows.iter()
                            .filter(|row| match terms {
                                Terms::Rows(roles) => roles.contains(&row.role),
                                Terms::Results => matches!(row.role, RowRole::Result(_)),
                                Terms::Columns(_) => false,
                            })
                            .filter_map(|row| {
                                CellId::of(rule.table, row.key, column.key).map(|cell| Term {
                                    cell,
                                    zh: row.short_zh,
                                    en: row.en,
                                })
                            })
                            .collect()
                    };
                    out.push(Relation {
                        rule,
                        scope_zh: format!("{}列", column.zh),
                        scope_en: format!("column {}", column.en),
                        lhs: side(rule.lhs),
                        rhs: side(rule.rhs),
                    });
                }
            }
            Scope::EachRow => {
                for row in &rows {
                    let side = |terms: Terms| -> Vec<Term> {
                        let Terms::Columns(keys) = terms else {
                            return Vec::new();
                        };
                        keys.iter()
                            .filter_map(|key| {
                                let column = row.columns.iter().find(|c| c.key == *key)?;
                                CellId::of(rule.table, row.key, key).map(|cell| Term {
                                    cell,
                                    zh: column.zh,
                                    en: column.en,
                                })
                            })
                            .collect()
                    };
                    let (scope_zh, scope_en) = match rule.table {
                        TableId::T3 => (format!("“{}”行", row.zh), format!("row “{}”", row.en)),
                        _ => (row.zh.to_owned(), row.en.to_owned()),
                    };
                    out.push(Relation {
                        rule,
                        scope_zh,
                        scope_en,
                        lhs: side(rule.lhs),
                        rhs: side(rule.rhs),
                    });
                }
            }
        }
    }
    out.retain(|r| !r.lhs.is_empty() && !r.rhs.is_empty());
    out
}

/// The sums of both sides, if every term has a whole-number value.
#[must_use]
pub fn sides(relation: &Relation, value: &dyn Fn(CellId) -> Option<Value>) -> Option<(i64, i64)> {
    let sum = |side: &[Term]| -> Option<i64> {
        side.iter()
            .map(|t| value(t.cell).and_then(Value::as_integer))
            .try_fold(0_i64, |acc, v| v.map(|v| acc + v))
    };
    Some((sum(&relation.lhs)?, sum(&relation.rhs)?))
}

/// Writes one side of a relation: `第一项(2)+第二项(0)=2`, or its name and sum when long.
#[must_use]
pub fn render_side(
    side: &[Term],
    value: &dyn Fn(CellId) -> Option<Value>,
    long_name: &str,
    english: bool,
) -> String {
    let sum: i64 = side
        .iter()
        .filter_map(|t| value(t.cell).and_then(Value::as_integer))
        .sum();
    let name = |t: &Term| if english { t.en } else { t.zh };
    let shown = |t: &Term| value(t.cell).map_or_else(|| "?".to_owned(), |v| v.to_string());
    if side.len() == 1 {
        format!("{}({})", name(&side[0]), shown(&side[0]))
    } else if side.len() <= 6 || long_name.is_empty() {
        let terms: Vec<String> = side
            .iter()
            .map(|t| format!("{}({})", name(t), shown(t)))
            .collect();
        format!("{}={sum}", terms.join("+"))
    } else {
        format!("{long_name}={sum}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sum_rule_instantiates_for_every_layout() {
        // A mistyped row role or column key would silently drop a rule: each rule must give
        // relations with both sides filled in every layout every edition can print.
        for layout in Layout::all() {
            for rule in SUM_RULES {
                let made: Vec<&Relation> = relations(layout)
                    .iter()
                    .filter(|r| std::ptr::eq(r.rule, rule))
                    .collect();
                let rows = layout.rows(rule.table);
                let expected = match rule.scope {
                    Scope::EachColumn => rows.first().map_or(0, |r| r.columns.len()),
                    Scope::EachRow => rows.len(),
                };
                assert_eq!(made.len(), expected, "{:?} in {layout:?}", rule.rule);
                assert!(
                    made.iter()
                        .all(|r| !r.lhs.is_empty() && r.rhs.len() >= r.lhs.len()),
                    "{:?} in {layout:?}",
                    rule.rule
                );
            }
        }
    }

    #[test]
    fn the_readers_row_totals_come_from_the_rules() {
        assert_eq!(row_total_width(TableId::T3), Some(7));
        assert_eq!(row_total_width(TableId::T4), Some(5));
        assert_eq!(row_total_width(TableId::T2), None);
    }
}
