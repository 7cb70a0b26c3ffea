//! Differences a reviewer reads: what the reviewer changed against what the program read, and
//! what changed between two saved versions of a record. Plain text (unified diffs made with
//! `similar`), for the command line and for a view in the window.

use std::fmt::Write as _;

use similar::TextDiff;

use crate::record::{CellStatus, DecisionAction, Record};
use crate::store::to_ron;

fn shown(value: Option<crate::model::Value>) -> String {
    value.map_or_else(|| "(空白)".to_owned(), |v| v.to_string())
}

/// What the reviewer changed against the reading, as a unified diff of one line per cell:
/// `-` the value as read, `+` the value decided, with the kind of change and the note.
#[must_use]
pub fn reviewer_changes(record: &Record) -> String {
    let mut read = String::new();
    let mut decided = String::new();
    for (id, cell) in &record.cells {
        let _ = writeln!(read, "{id} = {}", shown(cell.extracted));
        let mut line = format!("{id} = {}", shown(cell.value));
        if let Some(decision) = record.decisions.get(id) {
            match &decision.action {
                DecisionAction::Confirm if cell.status == CellStatus::Confirmed => {
                    let _ = write!(line, "  （{} 确认）", decision.reviewer);
                }
                DecisionAction::Set { kind, note, .. } if !decision.stale => {
                    let _ = write!(
                        line,
                        "  （{}，{}{}{}）",
                        kind.zh(),
                        decision.reviewer,
                        if note.is_empty() { "" } else { "：" },
                        note
                    );
                }
                _ => line.push_str("  （审核决定待重新确认）"),
            }
        }
        decided.push_str(&line);
        decided.push('\n');
    }
    TextDiff::from_lines(&read, &decided)
        .unified_diff()
        .context_radius(0)
        .header("程序读取", "审核结果")
        .to_string()
}

/// What changed between two saved versions of a record, as a unified diff of their RON text.
#[must_use]
pub fn between_versions(older: &Record, newer: &Record) -> String {
    let a = to_ron(older).unwrap_or_default();
    let b = to_ron(newer).unwrap_or_default();
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(2)
        .header("older", "newer")
        .to_string()
}
