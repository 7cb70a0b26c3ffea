//! The arithmetic rules as findings: a sum relation that fails, with both sides in words and
//! the values that would make it hold; a printed number its cell cannot hold.

use super::{Finding, finding};
use crate::model::{Reason, Report};
use crate::repair::suggest;
use crate::rules::{Relation, RuleId, render_side, sides};
use crate::template::{CellId, ValueKind};

pub(super) fn relation_finding(report: &Report, relation: &Relation) -> Option<Finding> {
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
