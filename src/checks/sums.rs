//! The arithmetic rules as findings: a sum relation that fails, with both sides in words and
//! the values that would make it hold; a printed number its cell cannot hold; a row printed with
//! a number cut in two.

use std::collections::BTreeMap;

use super::{Finding, finding};
use crate::model::{Reason, Report, Value};
use crate::repair::{Suggestion, suggest};
use crate::rules::{Relation, RuleId, Scope, relations, render_side, sides};
use crate::template::{CellId, TableId, ValueKind};

/// A report's values by cell id, for the sum rules: a report has a hundred rules or so of a
/// dozen cells each, and each cell's value is looked up by its id's place in the registry
/// rather than searched for in the report's list (those searches were a fiftieth of reading
/// and checking a report).
pub(super) struct Values(Vec<Option<Value>>);

impl Values {
    /// The values of `report`'s cells.
    pub(super) fn of(report: &Report) -> Values {
        // The ids ascend: the last is the highest.
        let len = report
            .cells
            .keys()
            .last()
            .map_or(0, |id| usize::from(id.ordinal()) + 1);
        let mut values = vec![None; len];
        for (id, cell) in &report.cells {
            if let Some(slot) = values.get_mut(usize::from(id.ordinal())) {
                *slot = cell.value;
            }
        }
        Values(values)
    }

    /// The value of cell `id`, as [`Report::value`] has it.
    pub(super) fn get(&self, id: CellId) -> Option<Value> {
        self.0.get(usize::from(id.ordinal())).copied().flatten()
    }
}

pub(super) fn relation_finding(
    report: &Report,
    values: &Values,
    relation: &Relation,
) -> Option<Finding> {
    let value = |id: CellId| values.get(id);
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

pub(super) fn value_kind_findings(report: &Report, out: &mut Vec<Finding>) {
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

/// `SPLIT-CELL`: a row printed with one number more than the template whose arithmetic fails as
/// read and holds when two neighbouring numbers are read as one (the reader found exactly one
/// such reading, [`Reason::SplitCell`]). The joined reading is proposed cell by cell; the row
/// stays as printed until the reviewer takes it.
pub(super) fn split_cell_findings(report: &Report, out: &mut Vec<Finding>) {
    let marked: BTreeMap<CellId, (Value, &str)> = report
        .cells
        .iter()
        .filter_map(|(&id, cell)| {
            cell.reasons.iter().find_map(|reason| match reason {
                Reason::SplitCell { printed, reading } => Some((id, (*reading, printed.as_str()))),
                _ => None,
            })
        })
        .collect();
    if marked.is_empty() {
        return;
    }
    // The row relations each marked row takes part in.
    let mut rows: BTreeMap<(TableId, &str), Vec<&Relation>> = BTreeMap::new();
    for relation in relations(report.layout) {
        if !matches!(relation.rule.scope, Scope::EachRow) {
            continue;
        }
        let Some(first) = relation.cells().find(|id| marked.contains_key(id)) else {
            continue;
        };
        rows.entry((first.table(), first.def().row.key))
            .or_default()
            .push(relation);
    }
    let now = |id: CellId| report.value(id);
    let joined = |id: CellId| {
        marked
            .get(&id)
            .map_or_else(|| report.value(id), |m| Some(m.0))
    };
    let holds = |relation: &Relation, value: &dyn Fn(CellId) -> Option<Value>| {
        sides(relation, value).is_some_and(|(lhs, rhs)| lhs == rhs)
    };
    for ((table, _), row) in rows {
        if row.iter().all(|r| holds(r, &now)) || !row.iter().all(|r| holds(r, &joined)) {
            continue;
        }
        let cells: Vec<CellId> = row.iter().flat_map(|r| r.cells()).collect();
        let Some(printed) = cells.iter().find_map(|id| marked.get(id)).map(|m| m.1) else {
            continue;
        };
        let equations = |english: bool| -> String {
            let several = row.len() > 1;
            row.iter()
                .map(|r| {
                    let long = if english {
                        r.rule.long_side.1
                    } else {
                        r.rule.long_side.0
                    };
                    let scope = match (several, english) {
                        (false, _) => String::new(),
                        (true, false) => format!("{}：", r.scope_zh),
                        (true, true) => format!("{}: ", r.scope_en),
                    };
                    format!(
                        "{scope}{} = {}",
                        render_side(&r.lhs, &joined, long, english),
                        render_side(&r.rhs, &joined, long, english)
                    )
                })
                .collect::<Vec<_>>()
                .join(if english { "; " } else { "；" })
        };
        let (zh, en) = (equations(false), equations(true));
        let suggestions = cells
            .iter()
            .filter_map(|&id| {
                let (value, _) = marked.get(&id)?;
                Some(Suggestion {
                    cell: id,
                    value: *value,
                    why_zh: format!("把“{printed}”读作一个数时本格为{value}，本行成立：{zh}"),
                    why_en: format!(
                        "reading `{printed}` as one number makes this cell {value} and the row hold: {en}"
                    ),
                })
            })
            .collect();
        let mut found = finding(
            RuleId::SplitCell,
            cells,
            format!(
                "{} {}比模板多一个数；把相邻的“{printed}”读作一个数时本行成立：{zh}",
                table.zh(),
                row[0].scope_zh
            ),
            format!(
                "{} {} has one number more than the template; read `{printed}` as one number and \
                 it holds: {en}",
                table.en(),
                row[0].scope_en
            ),
        );
        found.suggestions = suggestions;
        out.push(found);
    }
}
