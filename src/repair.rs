//! Repair suggestions: where a sum rule fails and one of its cells is low-confidence, the value
//! that cell would need for the rule to hold, with the arithmetic as the reason. A suggestion is
//! only ever proposed; the reviewer decides.

use serde::{Deserialize, Serialize};

use crate::model::{Report, Value};
use crate::rules::{Relation, render_side, sides};
use crate::template::CellId;

/// A proposed value for a low-confidence cell that makes a failed rule hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The cell to change.
    pub cell: CellId,
    /// The value proposed.
    pub value: Value,
    /// Why, in Chinese (`取1时成立：0+1+0+0=1`).
    pub why_zh: String,
    /// Why, in English.
    pub why_en: String,
}

impl Suggestion {
    /// Why, in `lang`.
    #[must_use]
    pub fn why(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.why_zh, &self.why_en)
    }
}

/// Proposes, for each low-confidence cell of a failed relation, the value that makes it hold.
#[must_use]
pub fn suggest(report: &Report, relation: &Relation) -> Vec<Suggestion> {
    let value = |id: CellId| report.value(id);
    let Some((lhs, rhs)) = sides(relation, &value) else {
        return Vec::new();
    };
    if lhs == rhs {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (side_is_lhs, side) in [(true, &relation.lhs), (false, &relation.rhs)] {
        for &crate::rules::Term { cell: id, .. } in side {
            let Some(cell) = report.cells.get(&id) else {
                continue;
            };
            let Some(current) = cell.value.and_then(Value::as_integer) else {
                continue;
            };
            if !cell.is_low_confidence() {
                continue;
            }
            let needed = if side_is_lhs {
                rhs - (lhs - current)
            } else {
                lhs - (rhs - current)
            };
            let Some(proposed) = Value::from_integer(id.kind(), needed) else {
                continue;
            };
            // Where the printed text admits only some readings, propose only those.
            if !cell.candidates.is_empty() && !cell.candidates.contains(&proposed) {
                continue;
            }
            let substituted = |other: CellId| {
                if other == id {
                    Some(proposed)
                } else {
                    report.value(other)
                }
            };
            let long = relation.rule.long_side;
            let equation_zh = format!(
                "{} = {}",
                render_side(&relation.lhs, &substituted, long.0, false),
                render_side(&relation.rhs, &substituted, long.0, false)
            );
            let equation_en = format!(
                "{} = {}",
                render_side(&relation.lhs, &substituted, long.1, true),
                render_side(&relation.rhs, &substituted, long.1, true)
            );
            let from_text = if cell.candidates.contains(&proposed) {
                "（原文也可读作此值）"
            } else {
                ""
            };
            let from_text_en = if cell.candidates.contains(&proposed) {
                " (the printed text also reads so)"
            } else {
                ""
            };
            out.push(Suggestion {
                cell: id,
                value: proposed,
                why_zh: format!(
                    "“{}”改为{proposed}时成立：{equation_zh}{from_text}",
                    cell.raw.trim()
                ),
                why_en: format!(
                    "with {proposed} instead of `{}` it holds: {equation_en}{from_text_en}",
                    cell.raw.trim()
                ),
            });
        }
    }
    out
}
