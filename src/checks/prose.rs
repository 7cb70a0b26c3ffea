//! `NARRATIVE-MATCH`: numbers the prose states about the tables, against the tables.

use super::{Finding, finding};
use crate::model::{Amount, Report, Topic, Value};
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

/// The cells a prose topic is about, as alternatives (a count of accepted applications may be of
/// new ones or of new and carried-in ones together: reports say either), and the table's name for
/// them.
fn topic_cells(report: &Report, topic: Topic) -> (Vec<Vec<CellId>>, &'static str, &'static str) {
    use ResultGroup as G;
    let results = |groups: &[ResultGroup]| -> Vec<RowRole> {
        groups.iter().map(|&g| RowRole::Result(g)).collect()
    };
    let one = |cells: Vec<CellId>| vec![cells];
    let t2 =
        |row: &str, column: &str| vec![CellId::of(TableId::T2, row, column).into_iter().collect()];
    // New applications, or new and carried-in, in the columns `columns` of 表三.
    let accepted = |columns: &[&str]| -> Vec<Vec<CellId>> {
        let cells = |rows: &[RowRole]| -> Vec<CellId> {
            rows.iter()
                .filter_map(|&role| report.layout.row_with(TableId::T3, role))
                .flat_map(|row| {
                    columns
                        .iter()
                        .filter_map(|c| CellId::of(TableId::T3, row.key, c))
                })
                .collect()
        };
        vec![
            cells(&[RowRole::New]),
            cells(&[RowRole::New, RowRole::CarriedIn]),
        ]
    };
    match topic {
        Topic::Applications => (
            one(totals_of(report, &[RowRole::New])),
            "表三本年新收申请总计",
            "table 3 new applications total",
        ),
        Topic::Reviews | Topic::AllUpheld => (
            one(totals_of(report, &[RowRole::Review])),
            "表四行政复议总计",
            "table 4 administrative reviews total",
        ),
        Topic::Suits => (
            one(totals_of(report, &[RowRole::Suit])),
            "表四行政诉讼总计",
            "table 4 lawsuits total",
        ),
        Topic::GrantedOrPartial => (
            one(totals_of(report, &results(&[G::Granted, G::Partial]))),
            "表三予以公开与部分公开总计之和",
            "table 3 granted and partly granted",
        ),
        Topic::Denied => (
            one(totals_of(report, &results(&[G::Denied]))),
            "表三不予公开各项总计之和",
            "table 3 denied, all reasons",
        ),
        Topic::Unable => (
            one(totals_of(report, &results(&[G::Unable]))),
            "表三无法提供各项总计之和",
            "table 3 unable, all reasons",
        ),
        Topic::Ignored => (
            one(totals_of(report, &results(&[G::Ignored]))),
            "表三不予处理各项总计之和",
            "table 3 not handled, all reasons",
        ),
        Topic::Accepted => (
            accepted(&[TOTAL]),
            "表三本年新收（或新收与上年结转之和）总计",
            "table 3 new (or new and carried-in) applications total",
        ),
        Topic::AcceptedNatural => (
            accepted(&["natural"]),
            "表三自然人本年新收（或新收与上年结转之和）",
            "table 3 new (or new and carried-in) applications of natural persons",
        ),
        Topic::AcceptedOrganisations => (
            accepted(&ORGANISATIONS),
            "表三法人或其他组织本年新收（或新收与上年结转之和）",
            "table 3 new (or new and carried-in) applications of organisations",
        ),
        Topic::RegulationsInForce => (
            t2("regulations", "in_force"),
            "表二规章现行有效件数",
            "table 2 regulations in force",
        ),
        Topic::NormativeInForce => (
            t2("normative_docs", "in_force"),
            "表二行政规范性文件现行有效件数",
            "table 2 normative documents in force",
        ),
        Topic::Licensing => (
            t2("licensing", "decisions"),
            "表二行政许可本年处理决定数量",
            "table 2 licensing decisions",
        ),
        Topic::Penalties => (
            t2("punishment", "decisions"),
            "表二行政处罚本年处理决定数量",
            "table 2 penalty decisions",
        ),
        Topic::Fees => (
            t2("fees", "amount"),
            "表二行政事业性收费金额",
            "table 2 administrative fees",
        ),
    }
}

/// The columns of 表三's legal persons and other organisations.
const ORGANISATIONS: [&str; 5] = ["business", "research", "social", "legal", "other_org"];

/// A sum of cells as the prose would state it: whole numbers, or an amount in 分; `None` when a
/// cell is blank, unread, or read without confidence (a doubtful cell is the reviewer's first
/// business, not a finding's).
fn sum(report: &Report, cells: &[CellId]) -> Option<i64> {
    if cells.is_empty() {
        return None;
    }
    cells
        .iter()
        .map(|id| {
            let cell = report.cells.get(id)?;
            if cell.is_low_confidence() {
                return None;
            }
            match cell.value? {
                Value::Amount(a) => Some(a.fen),
                v => v.as_integer(),
            }
        })
        .sum()
}

/// A stated value as the prose wrote it: 万元 for fees, else the count.
fn shown(topic: Topic, value: i64) -> String {
    if topic == Topic::Fees {
        Value::Amount(Amount { fen: value }).to_string()
    } else {
        value.to_string()
    }
}

/// The prose's statements that disagree with the tables.
pub(super) fn findings(report: &Report, out: &mut Vec<Finding>) {
    for statement in &report.meta.statements {
        let stated = &statement.stated;
        let (alternatives, name_zh, name_en) = topic_cells(report, statement.topic);
        // Every alternative must be read with confidence, or the statement is not compared.
        let Some(sums) = alternatives
            .into_iter()
            .map(|cells| sum(report, &cells).map(|total| (cells, total)))
            .collect::<Option<Vec<(Vec<CellId>, i64)>>>()
        else {
            continue;
        };
        let Some((cells, table)) = sums.first().cloned() else {
            continue;
        };
        if statement.topic == Topic::AllUpheld {
            let upheld_id = report
                .layout
                .row_with(TableId::T4, RowRole::Review)
                .and_then(|row| CellId::of(TableId::T4, row.key, UPHELD));
            let Some(upheld) = upheld_id.and_then(|id| sum(report, &[id])) else {
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
        let said = i64::try_from(stated.value).ok();
        if sums.iter().any(|(_, total)| Some(*total) == said) {
            continue;
        }
        let topic = statement.topic;
        let value = said.map_or_else(|| stated.value.to_string(), |v| shown(topic, v));
        let table_text: Vec<String> = sums.iter().map(|(_, t)| shown(topic, *t)).collect();
        let table_text = table_text.join("/");
        out.push(finding(
            RuleId::NarrativeMatch,
            cells,
            format!(
                "正文称“{}”（{value}），与{name_zh}（{table_text}）不一致",
                stated.text
            ),
            format!(
                "the prose says “{}” ({value}), but the {name_en} is {table_text}",
                stated.text
            ),
        ));
    }
}
