//! The auditor's checks: every rule of [`crate::rules`] run over a report — the sum relations,
//! value kinds, metadata, prose and neighbouring years — each failure a finding that names its
//! cells and both sides' numbers in a sentence an auditor can paste into a letter; and the
//! verdict.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::{Reason, Report, Topic, Value};
use crate::repair::{Suggestion, suggest};
use crate::rules::{Relation, RuleId, Severity, relations, render_side, sides};
use crate::template::{
    CellId, ColumnRole, Edition, ResultGroup, RowDef, RowRole, TableId, ValueKind,
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

fn relation_finding(report: &Report, relation: &Relation) -> Option<Finding> {
    let value = |id: CellId| report.value(id);
    let (lhs, rhs) = sides(relation, &value)?;
    if lhs == rhs {
        return None;
    }
    let rule = relation.rule;
    let table = rule.table;
    let diff = (lhs - rhs).abs();
    let message_zh = format!(
        "{} {}：{}，{}，相差{diff}",
        table.zh(),
        relation.scope_zh,
        render_side(&relation.lhs, &value, rule.long_side.0, false),
        render_side(&relation.rhs, &value, rule.long_side.0, false),
    );
    let message_en = format!(
        "{} {}: {} but {}, a difference of {diff}",
        table.en(),
        relation.scope_en,
        render_side(&relation.lhs, &value, rule.long_side.1, true),
        render_side(&relation.rhs, &value, rule.long_side.1, true),
    );
    Some(Finding {
        rule: rule.rule,
        severity: rule.rule.severity(),
        cells: relation.cells().collect(),
        message_zh,
        message_en,
        suggestions: suggest(report, relation),
    })
}

fn finding(rule: RuleId, cells: Vec<CellId>, message_zh: String, message_en: String) -> Finding {
    Finding {
        rule,
        severity: rule.severity(),
        cells,
        message_zh,
        message_en,
        suggestions: Vec::new(),
    }
}

fn value_kind_findings(report: &Report, out: &mut Vec<Finding>) {
    for (&id, cell) in &report.cells {
        for reason in &cell.reasons {
            let Reason::InvalidForKind { printed } = reason else {
                continue;
            };
            let (need_zh, need_en) = match id.kind() {
                ValueKind::Count => (
                    "件数应为不小于0的整数",
                    "a count must be a whole number ≥ 0",
                ),
                ValueKind::Change => ("增减数应为整数", "a change must be a whole number"),
                ValueKind::Amount => (
                    "金额应为以万元为单位的非负数",
                    "an amount must be ≥ 0 in 10k yuan",
                ),
            };
            out.push(finding(
                RuleId::ValueKind,
                vec![id],
                format!("{}：填写为“{printed}”，{need_zh}", id.label_zh()),
                format!("{}: printed `{printed}`; {need_en}", id.label_en()),
            ));
        }
    }
}

/// The `total` cells of the rows of a report with any of these roles.
fn totals_of(report: &Report, roles: &[RowRole]) -> Vec<CellId> {
    [TableId::T3, TableId::T4]
        .into_iter()
        .flat_map(|table| {
            report
                .layout
                .rows(table)
                .into_iter()
                .filter(|row| roles.contains(&row.role))
                .filter_map(move |row| CellId::of(table, row.key, TOTAL))
        })
        .collect()
}

/// The key of the total column of 表三 and 表四.
const TOTAL: &str = "total";
/// The key of 表四's 结果维持 column.
const UPHELD: &str = "upheld";

/// The cells a prose topic is about, and the table's name for them.
fn topic_cells(report: &Report, topic: Topic) -> (Vec<CellId>, &'static str, &'static str) {
    use ResultGroup as G;
    let results = |groups: &[ResultGroup]| -> Vec<RowRole> {
        groups.iter().map(|&g| RowRole::Result(g)).collect()
    };
    match topic {
        Topic::Applications => (
            totals_of(report, &[RowRole::New]),
            "表三本年新收申请总计",
            "table 3 new applications total",
        ),
        Topic::Reviews | Topic::AllUpheld => (
            totals_of(report, &[RowRole::Review]),
            "表四行政复议总计",
            "table 4 administrative reviews total",
        ),
        Topic::Suits => (
            totals_of(report, &[RowRole::Suit]),
            "表四行政诉讼总计",
            "table 4 lawsuits total",
        ),
        Topic::GrantedOrPartial => (
            totals_of(report, &results(&[G::Granted, G::Partial])),
            "表三予以公开与部分公开总计之和",
            "table 3 granted and partly granted",
        ),
        Topic::Denied => (
            totals_of(report, &results(&[G::Denied])),
            "表三不予公开各项总计之和",
            "table 3 denied, all reasons",
        ),
        Topic::Unable => (
            totals_of(report, &results(&[G::Unable])),
            "表三无法提供各项总计之和",
            "table 3 unable, all reasons",
        ),
        Topic::Ignored => (
            totals_of(report, &results(&[G::Ignored])),
            "表三不予处理各项总计之和",
            "table 3 not handled, all reasons",
        ),
    }
}

fn narrative_findings(report: &Report, out: &mut Vec<Finding>) {
    for statement in &report.meta.statements {
        let stated = &statement.stated;
        let (cells, name_zh, name_en) = topic_cells(report, statement.topic);
        let values: Option<Vec<i64>> = cells
            .iter()
            .map(|&id| report.value(id).and_then(Value::as_integer))
            .collect();
        let (Some(values), false) = (values, cells.is_empty()) else {
            continue;
        };
        let table: i64 = values.iter().sum();
        if statement.topic == Topic::AllUpheld {
            let upheld_id = report
                .layout
                .row_with(TableId::T4, RowRole::Review)
                .and_then(|row| CellId::of(TableId::T4, row.key, UPHELD));
            let Some(upheld) = upheld_id
                .and_then(|id| report.value(id))
                .and_then(Value::as_integer)
            else {
                continue;
            };
            if upheld != table {
                let mut named = cells.clone();
                named.extend(upheld_id);
                out.push(finding(
                    RuleId::NarrativeMatch,
                    named,
                    format!(
                        "正文称“{}”，但表四行政复议结果维持({upheld})少于总计({table})",
                        stated.text
                    ),
                    format!(
                        "the prose says “{}”, but table 4 has {upheld} reviews upheld of {table}",
                        stated.text
                    ),
                ));
            }
            continue;
        }
        if i64::try_from(stated.value).ok() == Some(table) {
            continue;
        }
        out.push(finding(
            RuleId::NarrativeMatch,
            cells,
            format!(
                "正文称“{}”（{}），与{name_zh}（{table}）不一致",
                stated.text, stated.value
            ),
            format!(
                "the prose says “{}” ({}), but the {name_en} is {table}",
                stated.text, stated.value
            ),
        ));
    }
}

fn metadata_findings(report: &Report, out: &mut Vec<Finding>) {
    let meta = &report.meta;
    if let (Some(year), Some(period)) = (meta.year, meta.period_year)
        && year != period
    {
        let text = meta.period_text.clone().unwrap_or_default();
        out.push(finding(
            RuleId::PeriodYear,
            Vec::new(),
            format!("报告标题为{year}年度，但统计期限写为“{text}”（{period}年）"),
            format!("the title says {year}, but the statistical period reads “{text}” ({period})"),
        ));
    }
    if let Some(year) = meta.year {
        let expected = Edition::for_year(year);
        if report.edition() != expected {
            out.push(finding(
                RuleId::EditionYear,
                Vec::new(),
                format!(
                    "{year}年度报告应使用{expected}年版模板，实际使用{}年版",
                    report.edition()
                ),
                format!(
                    "a {year} report should use the {expected} edition, but uses the {} edition",
                    report.edition()
                ),
            ));
        }
    }
    if report.layout.t2 != report.layout.t3_other {
        out.push(finding(
            RuleId::TemplateMixed,
            Vec::new(),
            format!(
                "表二为{}年版，而表三（六）其他处理为{}年版格式，模板版本混用",
                report.layout.t2, report.layout.t3_other
            ),
            format!(
                "table 2 follows the {} edition but table 3's （六） row follows the {} edition",
                report.layout.t2, report.layout.t3_other
            ),
        ));
    }
    for table in &report.missing_tables {
        out.push(finding(
            RuleId::SectionMissing,
            Vec::new(),
            format!("缺少{}", table.zh()),
            format!("{} is missing", table.en()),
        ));
    }
    for &section in &meta.missing_sections {
        let (zh, en) = SECTION_NAMES[usize::from(section.saturating_sub(1)).min(5)];
        out.push(finding(
            RuleId::SectionMissing,
            Vec::new(),
            format!(
                "找不到第{}部分“{zh}”",
                ["一", "二", "三", "四", "五", "六"][usize::from(section.saturating_sub(1)).min(5)]
            ),
            format!("section {section} “{en}” was not found"),
        ));
    }
}

/// The six sections of a report: Chinese heading, English name.
pub const SECTION_NAMES: [(&str, &str); 6] = [
    ("总体情况", "overview"),
    ("主动公开政府信息情况", "proactive disclosure"),
    ("收到和处理政府信息公开申请情况", "applications"),
    ("政府信息公开行政复议、行政诉讼情况", "reviews and lawsuits"),
    ("存在的主要问题及改进情况", "problems and improvements"),
    ("其他需要报告的事项", "other matters"),
];

/// Runs every rule that needs only this report.
#[must_use]
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    metadata_findings(report, &mut out);
    value_kind_findings(report, &mut out);
    for relation in relations(report.layout) {
        out.extend(relation_finding(report, relation));
    }
    narrative_findings(report, &mut out);
    out
}

/// Runs the rules across years (`CARRY-FORWARD`, `IN-FORCE-CONTINUITY`) over reports of the same
/// body; returns, per report index, the findings for the later report of each consecutive pair.
#[must_use]
pub fn check_series(reports: &[&Report]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (later_index, later) in reports.iter().enumerate() {
        let (Some(org), Some(year)) = (&later.meta.organization, later.meta.year) else {
            continue;
        };
        let Some(earlier) = reports
            .iter()
            .find(|r| r.meta.organization.as_ref() == Some(org) && r.meta.year == Some(year - 1))
        else {
            continue;
        };
        for finding in carry_forward(earlier, later)
            .into_iter()
            .chain(in_force(earlier, later))
        {
            out.push((later_index, finding));
        }
    }
    out
}

/// A cell's value in a report, as a whole number.
fn integer(report: &Report, cell: CellId) -> Option<i64> {
    report.value(cell)?.as_integer()
}

fn carry_forward(earlier: &Report, later: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let (Some(out_row), Some(in_row)) = (
        earlier.layout.row_with(TableId::T3, RowRole::CarriedOut),
        later.layout.row_with(TableId::T3, RowRole::CarriedIn),
    ) else {
        return out;
    };
    for column in in_row.columns {
        let (Some(was_id), Some(id)) = (
            CellId::of(TableId::T3, out_row.key, column.key),
            CellId::of(TableId::T3, in_row.key, column.key),
        ) else {
            continue;
        };
        let (Some(was), Some(now)) = (integer(earlier, was_id), integer(later, id)) else {
            continue;
        };
        if was != now {
            let years = (earlier.meta.year.unwrap_or(0), later.meta.year.unwrap_or(0));
            out.push(finding(
                RuleId::CarryForward,
                vec![id],
                format!(
                    "表三 {}列：{}年度第二项上年结转({now})，与{}年度第四项结转下年度({was})不一致",
                    column.zh, years.1, years.0
                ),
                format!(
                    "table 3 column {}: carried in {now} in {}, but {was} carried out in {}",
                    column.en, years.1, years.0
                ),
            ));
        }
    }
    out
}

/// The cell of a row whose column has this role, if the row has one.
fn column_with(row: &RowDef, role: ColumnRole) -> Option<CellId> {
    let column = row.columns.iter().find(|c| c.role == role)?;
    CellId::of(TableId::T2, row.key, column.key)
}

/// `IN-FORCE-CONTINUITY`: for each row of 表二 that counts documents added, removed and in
/// force, last year's in force plus this year's added less removed is this year's in force.
fn in_force(earlier: &Report, later: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in later.layout.t2_rows() {
        let (Some(in_force_id), Some(added), Some(removed)) = (
            column_with(row, ColumnRole::Running),
            column_with(row, ColumnRole::Added),
            column_with(row, ColumnRole::Removed),
        ) else {
            continue;
        };
        // Last year's row must count the same thing the same way.
        let Some(before_id) = earlier
            .layout
            .t2_rows()
            .iter()
            .find(|r| r.key == row.key)
            .and_then(|r| column_with(r, ColumnRole::Running))
            .filter(|&id| id == in_force_id)
        else {
            continue;
        };
        let (Some(before), Some(now), Some(issued), Some(repealed)) = (
            integer(earlier, before_id),
            integer(later, in_force_id),
            integer(later, added),
            integer(later, removed),
        ) else {
            continue;
        };
        let expected = before + issued - repealed;
        if expected != now {
            let zh = row.zh;
            let mut zh_text = String::new();
            let _ = write!(
                zh_text,
                "表二 {zh}：上年现行有效({before})+本年制发({issued})-本年废止({repealed})={expected}，本年现行有效为{now}"
            );
            out.push(finding(
                RuleId::InForceContinuity,
                vec![in_force_id],
                zh_text,
                format!(
                    "table 2 {}: {before} in force last year + {issued} issued - {repealed} repealed = {expected}, but {now} in force",
                    row.key
                ),
            ));
        }
    }
    out
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
