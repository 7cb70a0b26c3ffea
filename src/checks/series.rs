//! The rules across years of one body: `CARRY-FORWARD`, `IN-FORCE-CONTINUITY`,
//! `COPIED-PROSE`, and across the folder: `MISSING-REPORT`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{Finding, finding};
use crate::model::{Report, Value};
use crate::rules::{LIMITS, RuleId};
use crate::template::{CellId, ColumnRole, RowDef, RowRole, TableId};

/// Runs the rules across years over a folder's reports: for the later report of each
/// consecutive pair of one body, `CARRY-FORWARD`, `IN-FORCE-CONTINUITY` and `COPIED-PROSE`; for
/// a body's report of a year whose next year the folder holds but not from this body,
/// `MISSING-REPORT`. Returns the findings with the index of the report they belong to.
#[must_use]
pub fn check_series(reports: &[&Report]) -> Vec<(usize, Finding)> {
    let filed: Vec<(Option<&str>, Option<u16>)> = reports
        .iter()
        .map(|r| (r.meta.organization.as_deref(), r.meta.year))
        .collect();
    let traces: Vec<Trace> = reports.iter().map(|r| Trace::of(r)).collect();
    let mut out = missing(&filed);
    for ((later_index, later), earlier) in reports.iter().enumerate().zip(earlier_of(&filed)) {
        if let Some(e) = earlier {
            let findings = across_years(
                (&traces[e], &prose(reports[e])),
                (&traces[later_index], &prose(later)),
            );
            out.extend(findings.into_iter().map(|f| (later_index, f)));
        }
    }
    out
}

/// What the rules across years need of a report: its body and year, the few numbers carried
/// from one year to the next (表三's carried-out and carried-in rows, 表二's documents issued,
/// repealed and in force), and whether its tables are another's cell for cell. Kept for every
/// report of a folder while the folder is checked, in place of the report (its prose, the one
/// large part, is kept by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The body that published it.
    pub body: Option<String>,
    /// The year it reports on.
    pub year: Option<u16>,
    layout: crate::template::Layout,
    /// The whole numbers of the cells carried between years.
    carried: Vec<(CellId, i64)>,
    /// A digest of every cell's value, when every cell has one (tables copied from last year's
    /// are equal cell for cell, and none of them blank).
    cells: Option<u64>,
    /// Some cell holds a number other than zero.
    something: bool,
}

impl Trace {
    /// What the rules across years keep of `report`.
    #[must_use]
    pub fn of(report: &Report) -> Trace {
        let mut carried: Vec<(CellId, i64)> = Vec::new();
        let mut keep = |id: CellId| carried.extend(integer(report, id).map(|n| (id, n)));
        for role in [RowRole::CarriedOut, RowRole::CarriedIn] {
            if let Some(row) = report.layout.row_with(TableId::T3, role) {
                row.cell_ids(TableId::T3)
                    .iter()
                    .copied()
                    .for_each(&mut keep);
            }
        }
        for row in report.layout.t2_rows() {
            for role in [ColumnRole::Running, ColumnRole::Added, ColumnRole::Removed] {
                column_with(row, role).into_iter().for_each(&mut keep);
            }
        }
        let something = report.cells.values().any(|c| {
            c.value
                .and_then(crate::model::Value::as_integer)
                .is_some_and(|n| n != 0)
        });
        Trace {
            body: report.meta.organization.clone(),
            year: report.meta.year,
            layout: report.layout,
            carried,
            cells: cells_digest(report),
            something,
        }
    }

    fn integer(&self, id: CellId) -> Option<i64> {
        self.carried.iter().find(|(c, _)| *c == id).map(|&(_, n)| n)
    }
}

/// A digest of every cell and its value, when every cell has one.
fn cells_digest(report: &Report) -> Option<u64> {
    use std::hash::Hasher as _;
    // A fast hasher, two words a cell: the digest is made for every report of a folder, and
    // compared within one run only. (Two reports whose cells differ share a digest only by a
    // chance of about one in 2^64; what that would cost is a finding the reviewer can see is
    // wrong beside the two reports, never a value.)
    let mut hasher = rustc_hash::FxHasher::default();
    for (id, cell) in &report.cells {
        let (kind, number) = match cell.value? {
            Value::Count(n) => (0_u64, n),
            Value::Change(n) => (1, n.cast_unsigned()),
            Value::Amount(a) => (2, a.fen.cast_unsigned()),
        };
        hasher.write_u64(u64::from(id.ordinal()) << 2 | kind);
        hasher.write_u64(number);
    }
    Some(hasher.finish())
}

/// Of a folder's reports, given as (body, year), the place of each one's body's report of the
/// year before (the first such in the folder's order), if the folder holds one.
#[must_use]
pub fn earlier_of(filed: &[(Option<&str>, Option<u16>)]) -> Vec<Option<usize>> {
    let mut first: HashMap<(&str, u16), usize> = HashMap::new();
    for (index, (body, year)) in filed.iter().enumerate() {
        if let (Some(body), Some(year)) = (body, year) {
            first.entry((body, *year)).or_insert(index);
        }
    }
    filed
        .iter()
        .map(|(body, year)| {
            first
                .get(&((*body)?, year.and_then(|y| y.checked_sub(1))?))
                .copied()
        })
        .collect()
}

/// `CARRY-FORWARD`, `IN-FORCE-CONTINUITY` and `COPIED-PROSE` on the later of two reports of one
/// body, each given as what was kept of it and its prose.
#[must_use]
pub fn across_years(earlier: (&Trace, &str), later: (&Trace, &str)) -> Vec<Finding> {
    let mut out = carry_forward(earlier.0, later.0);
    out.extend(in_force(earlier.0, later.0));
    out.extend(copied(earlier, later));
    out
}

/// `MISSING-REPORT`: a body's report of year y−1 where the folder holds other bodies' reports of
/// year y and none of this body's. Told on the y−1 report, the body's last in the folder; a
/// report without a body or a year takes no part.
fn missing(filed: &[(Option<&str>, Option<u16>)]) -> Vec<(usize, Finding)> {
    missing_next_year(filed)
        .into_iter()
        .filter_map(|index| {
            let (body, year) = filed[index];
            Some((index, missing_report(body?, year?)))
        })
        .collect()
}

/// Of a folder's reports, given as (body, year), the places of those whose body has no report
/// for the next year though the folder holds other bodies' reports of it (the first of two
/// files of one body and year).
#[must_use]
pub fn missing_next_year(filed: &[(Option<&str>, Option<u16>)]) -> Vec<usize> {
    // Hash sets: a province's folder names thousands of bodies.
    let years: HashSet<u16> = filed.iter().filter_map(|(_, y)| *y).collect();
    let pairs: HashSet<(&str, u16)> = filed
        .iter()
        .filter_map(|(b, y)| Some(((*b)?, (*y)?)))
        .collect();
    let mut told = HashSet::new();
    filed
        .iter()
        .enumerate()
        .filter_map(|(index, (body, year))| {
            let (body, year) = ((*body)?, (*year)?);
            let next = year.checked_add(1)?;
            (years.contains(&next) && !pairs.contains(&(body, next)) && told.insert((body, year)))
                .then_some(index)
        })
        .collect()
}

/// The `MISSING-REPORT` finding on `body`'s report of `year`.
#[must_use]
pub fn missing_report(body: &str, year: u16) -> Finding {
    let next = year.saturating_add(1);
    finding(
        RuleId::MissingReport,
        Vec::new(),
        format!(
            "{body}有{year}年度报告，但文件夹中没有其{next}年度报告（文件夹中有其他机关的{next}年度报告）"
        ),
        format!(
            "{body} has a report for {year} but none for {next} in this folder, which holds other bodies' reports for {next}"
        ),
    )
}

/// A cell's value in a report, as a whole number.
fn integer(report: &Report, cell: CellId) -> Option<i64> {
    report.value(cell)?.as_integer()
}

fn carry_forward(earlier: &Trace, later: &Trace) -> Vec<Finding> {
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
        let (Some(was), Some(now)) = (earlier.integer(was_id), later.integer(id)) else {
            continue;
        };
        if was != now {
            let years = (earlier.year.unwrap_or(0), later.year.unwrap_or(0));
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
fn in_force(earlier: &Trace, later: &Trace) -> Vec<Finding> {
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
            earlier.integer(before_id),
            later.integer(in_force_id),
            later.integer(added),
            later.integer(removed),
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

/// A report's prose: the text of its sections outside the tables (what `COPIED-PROSE` compares).
#[must_use]
pub fn prose(report: &Report) -> String {
    report
        .meta
        .sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a report's prose is long enough for `COPIED-PROSE` to compare it: at least
/// [`LIMITS`]' `copied_min_chars` characters. A character is four bytes at most, so a text of
/// four bytes for each character asked for has them and is not counted (a folder's check asks
/// this of every report).
#[must_use]
pub fn long_enough_to_compare(prose: &str) -> bool {
    let min = LIMITS.copied_min_chars;
    prose.len() >= min.saturating_mul(4) || prose.chars().count() >= min
}

/// `COPIED-PROSE`: this year's prose is last year's again, or its tables are last year's cell for
/// cell (tables of nothing but zeros are not counted: a small body may well receive nothing two
/// years running).
fn copied((earlier, was): (&Trace, &str), (later, now): (&Trace, &str)) -> Vec<Finding> {
    let mut out = Vec::new();
    let years = (earlier.year.unwrap_or(0), later.year.unwrap_or(0));
    if long_enough_to_compare(was) && long_enough_to_compare(now) {
        // Characters, since Chinese is not written in words; a bounded time, after which the
        // diff is approximated (never less alike than it is).
        let similarity = similar::TextDiff::configure()
            .timeout(std::time::Duration::from_millis(200))
            .diff_chars(was, now)
            .ratio();
        if similarity >= LIMITS.copied_similarity {
            let percent = (similarity * 100.0).round();
            out.push(finding(
                RuleId::CopiedProse,
                Vec::new(),
                format!(
                    "{}年度报告正文与{}年度报告相似度{percent}%：可能照搬上年报告",
                    years.1, years.0
                ),
                format!(
                    "the {} report's prose is {percent} % the same as the {} report's: it may repeat last year's",
                    years.1, years.0
                ),
            ));
        }
    }
    let same_cells =
        later.layout == earlier.layout && earlier.cells.is_some() && later.cells == earlier.cells;
    if same_cells && later.something {
        out.push(finding(
            RuleId::CopiedProse,
            Vec::new(),
            format!(
                "{}年度报告的表二、表三、表四与{}年度报告逐格相同：可能照搬上年数据",
                years.1, years.0
            ),
            format!(
                "the {} report's tables are the {} report's, cell for cell: its figures may be last year's",
                years.1, years.0
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    /// The digest tells the cells apart: one value a unit off, or of another kind, gives another
    /// digest, and a cell without a value gives none.
    #[test]
    fn a_digest_changes_with_any_one_value() {
        let text = include_str!("../../assets/samples/002_9042ac2a28d37d4e.txt");
        let mut report =
            crate::read::read_bytes("002", text.as_bytes(), Format::Txt).expect("the sample reads");
        for cell in report.cells.values_mut() {
            cell.value.get_or_insert(Value::Count(0));
        }
        let digest = cells_digest(&report);
        assert!(digest.is_some());
        let ids: Vec<CellId> = report.cells.keys().copied().collect();
        let mut others = std::collections::BTreeSet::new();
        for &id in &ids {
            let was = report
                .cells
                .get(&id)
                .and_then(|c| c.value)
                .expect("a value");
            let changed = match was {
                Value::Count(n) => [Value::Count(n + 1), Value::Change(n.cast_signed())],
                Value::Change(n) => [Value::Change(n + 1), Value::Count(n.cast_unsigned())],
                Value::Amount(a) => [
                    Value::Amount(crate::model::Amount { fen: a.fen + 1 }),
                    Value::Change(a.fen),
                ],
            };
            for value in changed {
                report.cells.get_mut(&id).expect("the cell").value = Some(value);
                let other = cells_digest(&report);
                assert!(other.is_some_and(|d| Some(d) != digest), "{id:?} {value:?}");
                others.insert(other);
            }
            report.cells.get_mut(&id).expect("the cell").value = None;
            assert_eq!(cells_digest(&report), None);
            report.cells.get_mut(&id).expect("the cell").value = Some(was);
        }
        assert_eq!(cells_digest(&report), digest);
        assert_eq!(others.len(), 2 * ids.len(), "each change its own digest");
    }
}
