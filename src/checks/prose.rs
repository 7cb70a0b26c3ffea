//! `NARRATIVE-MATCH`: numbers the prose states about the tables, against the tables.

use super::{Finding, finding};
use crate::model::{Report, Topic, Value};
use crate::rules::RuleId;
use crate::template::{CellId, ResultGroup, RowRole, TableId};

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

/// The prose's statements that disagree with the tables.
pub(super) fn findings(report: &Report, out: &mut Vec<Finding>) {
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
