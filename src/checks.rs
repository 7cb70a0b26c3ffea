//! The auditor's rules. The arithmetic rules are a table of sum relations over rows and columns
//! ([`SUM_RULES`]), instantiated for whatever layout a report prints; the others compare
//! metadata, prose and neighbouring years. Every failure names its cells and both sides' numbers
//! in a sentence an auditor can paste into a letter.

use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::model::{Reason, Report, Topic, Value};
use crate::repair::suggest;
use crate::template::{CellId, Edition, Layout, RowRole, TableId, ValueKind};

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
            RuleId::NarrativeMatch => "NARRATIVE-MATCH",
            RuleId::PeriodYear => "PERIOD-YEAR",
            RuleId::EditionYear => "EDITION-YEAR",
            RuleId::TemplateMixed => "TEMPLATE-MIXED",
            RuleId::SectionMissing => "SECTION-MISSING",
            RuleId::CarryForward => "CARRY-FORWARD",
            RuleId::InForceContinuity => "IN-FORCE-CONTINUITY",
        }
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
            RuleId::NarrativeMatch
            | RuleId::PeriodYear
            | RuleId::EditionYear
            | RuleId::TemplateMixed
            | RuleId::CarryForward
            | RuleId::InForceContinuity => Severity::Warning,
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

/// A proposed value for a low-confidence cell that makes a failed rule hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The cell to change.
    pub cell: CellId,
    /// The value proposed.
    pub value: Value,
    /// Why, in Chinese (`取1时成立：0+1+0+0=1`).
    pub why: String,
    /// Why, in English.
    pub why_en: String,
}

impl Suggestion {
    /// Why, in `lang`.
    #[must_use]
    pub fn why(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.why, &self.why_en)
    }
}

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
    pub suggestions: Vec<Suggestion>,
}

impl Finding {
    /// The auditor's sentence in `lang`.
    #[must_use]
    pub fn message(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.message_zh, &self.message_en)
    }
}

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
    /// These rows (with [`Scope::EachColumn`]).
    Rows(&'static [&'static str]),
    /// Every row with this role (with [`Scope::EachColumn`]).
    RowsWithRole(RowRole),
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
        lhs: Terms::Rows(&["new", "carried_in"]),
        rhs: Terms::Rows(&["results_total", "carried_out"]),
        long_side: ("", ""),
    },
    SumRule {
        rule: RuleId::T3ResultsSum,
        table: TableId::T3,
        scope: Scope::EachColumn,
        lhs: Terms::Rows(&["results_total"]),
        rhs: Terms::RowsWithRole(RowRole::Result),
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
    pub lhs: Vec<(CellId, &'static str, &'static str)>,
    /// Right side, likewise.
    pub rhs: Vec<(CellId, &'static str, &'static str)>,
}

impl Relation {
    /// Every cell of the relation.
    pub fn cells(&self) -> impl Iterator<Item = CellId> + '_ {
        self.lhs.iter().chain(&self.rhs).map(|t| t.0)
    }
}

/// Every sum rule instantiated for each possible layout, made once.
static RELATIONS: LazyLock<Vec<(Layout, Vec<Relation>)>> = LazyLock::new(|| {
    let editions = [Edition::E2019, Edition::E2021];
    editions
        .iter()
        .flat_map(|&t2| {
            editions
                .iter()
                .map(move |&t3_other| Layout { t2, t3_other })
        })
        .map(|layout| (layout, instantiate(layout)))
        .collect()
});

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
                    let side = |terms: Terms| -> Vec<(CellId, &'static str, &'static str)> {
                        rows.iter()
                            .filter(|row| match terms {
                                Terms::Rows(keys) => keys.contains(&row.key),
                                Terms::RowsWithRole(role) => row.role == role,
                                Terms::Columns(_) => false,
                            })
                            .filter_map(|row| {
                                CellId::of(rule.table, row.key, column.key)
                                    .map(|id| (id, row.short_zh, row.en))
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
                    let side = |terms: Terms| -> Vec<(CellId, &'static str, &'static str)> {
                        let Terms::Columns(keys) = terms else {
                            return Vec::new();
                        };
                        keys.iter()
                            .filter_map(|key| {
                                let column = row.columns.iter().find(|c| c.key == *key)?;
                                CellId::of(rule.table, row.key, key)
                                    .map(|id| (id, column.zh, column.en))
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
    let sum = |side: &[(CellId, &str, &str)]| -> Option<i64> {
        side.iter()
            .map(|t| value(t.0).and_then(Value::as_integer))
            .try_fold(0_i64, |acc, v| v.map(|v| acc + v))
    };
    Some((sum(&relation.lhs)?, sum(&relation.rhs)?))
}

/// Writes one side of a relation: `第一项(2)+第二项(0)=2`, or its name and sum when long.
#[must_use]
pub fn render_side(
    side: &[(CellId, &'static str, &'static str)],
    value: &dyn Fn(CellId) -> Option<Value>,
    long_name: &str,
    english: bool,
) -> String {
    let sum: i64 = side
        .iter()
        .filter_map(|t| value(t.0).and_then(Value::as_integer))
        .sum();
    let name = |t: &(CellId, &'static str, &'static str)| if english { t.2 } else { t.1 };
    let shown = |t: &(CellId, &'static str, &'static str)| {
        value(t.0).map_or_else(|| "?".to_owned(), |v| v.to_string())
    };
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

/// The cells a prose topic is about, and the table's name for them.
fn topic_cells(report: &Report, topic: Topic) -> (Vec<CellId>, &'static str, &'static str) {
    let totals = |prefixes: &[&str]| -> Vec<CellId> {
        report
            .cells
            .keys()
            .copied()
            .filter(|id| {
                id.def().column.key == "total"
                    && prefixes.iter().any(|p| id.as_str().starts_with(p))
            })
            .collect()
    };
    match topic {
        Topic::Applications => (
            totals(&["t3.new."]),
            "表三本年新收申请总计",
            "table 3 new applications total",
        ),
        Topic::Reviews | Topic::AllUpheld => (
            totals(&["t4.review."]),
            "表四行政复议总计",
            "table 4 administrative reviews total",
        ),
        Topic::Suits => (
            totals(&["t4.suit_"]),
            "表四行政诉讼总计",
            "table 4 lawsuits total",
        ),
        Topic::GrantedOrPartial => (
            totals(&["t3.granted.", "t3.partial."]),
            "表三予以公开与部分公开总计之和",
            "table 3 granted and partly granted",
        ),
        Topic::Denied => (
            totals(&["t3.denied."]),
            "表三不予公开各项总计之和",
            "table 3 denied, all reasons",
        ),
        Topic::Unable => (
            totals(&["t3.unable."]),
            "表三无法提供各项总计之和",
            "table 3 unable, all reasons",
        ),
        Topic::Ignored => (
            totals(&["t3.ignored."]),
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
            let Some(upheld) = CellId::parse("t4.review.upheld")
                .and_then(|id| report.value(id))
                .and_then(Value::as_integer)
            else {
                continue;
            };
            if upheld != table {
                let mut named = cells.clone();
                named.extend(CellId::parse("t4.review.upheld"));
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

fn both(
    earlier: &Report,
    later: &Report,
    earlier_id: &str,
    later_id: &str,
) -> Option<(CellId, i64, CellId, i64)> {
    let a = CellId::parse(earlier_id)?;
    let b = CellId::parse(later_id)?;
    Some((
        a,
        earlier.value(a)?.as_integer()?,
        b,
        later.value(b)?.as_integer()?,
    ))
}

fn carry_forward(earlier: &Report, later: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for column in crate::template::T3_COLUMNS {
        let Some((_, was, id, now)) = both(
            earlier,
            later,
            &format!("t3.carried_out.{}", column.key),
            &format!("t3.carried_in.{}", column.key),
        ) else {
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

fn in_force(earlier: &Report, later: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    if earlier.edition() != Edition::E2021 || later.edition() != Edition::E2021 {
        return out;
    }
    for (row, zh) in [
        ("regulations", "规章"),
        ("normative_docs", "行政规范性文件"),
    ] {
        let id = |col: &str| format!("t2.{row}.{col}");
        let Some((_, before, in_force_id, now)) =
            both(earlier, later, &id("in_force"), &id("in_force"))
        else {
            continue;
        };
        let Some((_, issued, _, repealed)) = both(later, later, &id("issued"), &id("repealed"))
        else {
            continue;
        };
        let expected = before + issued - repealed;
        if expected != now {
            let mut zh_text = String::new();
            let _ = write!(
                zh_text,
                "表二 {zh}：上年现行有效({before})+本年制发({issued})-本年废止({repealed})={expected}，本年现行有效为{now}"
            );
            out.push(finding(
                RuleId::InForceContinuity,
                vec![in_force_id],
                zh_text,
                format!("table 2 {row}: {before} in force last year + {issued} issued - {repealed} repealed = {expected}, but {now} in force"),
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
