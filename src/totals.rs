//! 汇总 — a region's totals: every cell of the three tables summed over the approved records of a
//! folder for one year and one layout, each total knowing how many of its reports printed it
//! blank (blank is not zero: it is counted, never added as 0), the tables' arithmetic checked on
//! the totals, and every report of the folder either in the totals or left out with why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod workbook;

pub use workbook::xlsx_bytes;

use crate::checks::{Finding, arithmetic};
use crate::export::{Approvals, LeftOut, approved_records};
use crate::model::{Amount, Cell, Format, Metadata, Reason, Report, Source, Value};
use crate::record::Record;
use crate::store::{StoreError, StoreErrorKind, load, load_for, record_path};
use crate::template::{CellId, Layout};

/// One cell of the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Total {
    /// The sum of the reports that printed a value; `None` when every one printed it blank.
    pub sum: Option<Value>,
    /// How many reports printed a value in it.
    pub counted: usize,
    /// How many printed it blank (not counted as 0).
    pub blanks: usize,
}

/// A report that went into the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The report file's name.
    pub file_name: String,
    /// The body.
    pub organization: Option<String>,
    /// Who approved it (`auto` when straight through).
    pub approved_by: String,
}

/// Why a report of the folder is not in the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOutOfTotals {
    /// It has no record, or its record is not approved.
    NotApproved,
    /// Its approval does not hold any more (see [`crate::export::LeftOutReason`]).
    ApprovalDoesNotHold(LeftOut),
    /// It is a report of another year (the year, if known).
    OtherYear(Option<u16>),
    /// It prints another layout of the tables, whose cells cannot be added to these.
    OtherEdition(Layout),
    /// Another file of the same body and year is in the totals already (the report in another
    /// format, or a copy): a body counts once.
    SameBody(String),
}

/// A report of the folder left out of the totals, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The report file's name.
    pub file_name: String,
    /// The body, where the record knows it.
    pub organization: Option<String>,
    /// Why.
    pub reason: LeftOutOfTotals,
}

impl Excluded {
    /// Why, in Chinese.
    #[must_use]
    pub fn reason_zh(&self) -> String {
        match &self.reason {
            LeftOutOfTotals::NotApproved => "未通过审核".to_owned(),
            LeftOutOfTotals::ApprovalDoesNotHold(left) => {
                format!("审核通过已失效：{}", crate::lang::Localized::zh(left))
            }
            LeftOutOfTotals::OtherYear(Some(year)) => format!("其他年度（{year}年度）"),
            LeftOutOfTotals::OtherYear(None) => "年度不明".to_owned(),
            LeftOutOfTotals::OtherEdition(layout) => {
                format!("其他模板版本（{}年版）", layout.t2.as_str())
            }
            LeftOutOfTotals::SameBody(other) => {
                format!("同一单位同一年度的报告已纳入（{other}），不重复计算")
            }
        }
    }

    /// Why, in English.
    #[must_use]
    pub fn reason_en(&self) -> String {
        match &self.reason {
            LeftOutOfTotals::NotApproved => "not approved".to_owned(),
            LeftOutOfTotals::ApprovalDoesNotHold(left) => {
                format!(
                    "its approval no longer holds: {}",
                    crate::lang::Localized::en(left)
                )
            }
            LeftOutOfTotals::OtherYear(Some(year)) => format!("another year ({year})"),
            LeftOutOfTotals::OtherYear(None) => "year unknown".to_owned(),
            LeftOutOfTotals::OtherEdition(layout) => {
                format!("another edition ({})", layout.t2.as_str())
            }
            LeftOutOfTotals::SameBody(other) => {
                format!("the same body's report of the year is in already ({other}): counted once")
            }
        }
    }
}

/// The totals of one year and layout.
#[derive(Debug, Clone)]
pub struct Totals {
    /// The year.
    pub year: u16,
    /// The layout every included report prints.
    pub layout: Layout,
    /// Every cell of the layout.
    pub cells: BTreeMap<CellId, Total>,
    /// The reports summed, in file order.
    pub included: Vec<Included>,
    /// The folder's other reports, with why.
    pub excluded: Vec<Excluded>,
    /// The tables' arithmetic on the totals (a sum that fails on the totals fails in some report,
    /// or a report left a cell of it blank).
    pub findings: Vec<Finding>,
}

/// A year and layout approved records offer totals for, and how many approved reports it has.
pub type Choice = (u16, Layout, usize);

/// The years and layouts approved records offer totals for, with how many approved reports
/// each has, most recent year first and the commonest layout of a year first.
fn choices_of(approvals: &Approvals) -> Vec<Choice> {
    let mut counts: BTreeMap<(u16, Layout), usize> = BTreeMap::new();
    for (_, record) in &approvals.included {
        if let Some(year) = record.year {
            *counts.entry((year, record.layout)).or_default() += 1;
        }
    }
    let mut out: Vec<Choice> = counts.into_iter().map(|((y, l), n)| (y, l, n)).collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)));
    out
}

/// The totals of `folder` for `year` (the latest year of its approved records when `None`) and
/// the layout most of that year's approved reports print; `None` when nothing is approved.
///
/// # Errors
/// A record that cannot be found or read: an office must not publish totals with a report
/// silently missing.
pub fn totals(folder: &Path, year: Option<u16>) -> Result<Option<Totals>, StoreError> {
    survey(folder, year).map(|(_, totals)| totals)
}

/// The years and layouts the folder's approved records offer totals for (each with how many
/// reports; most recent year first, the commonest layout of a year first), and the totals of
/// `year` as [`totals`] makes them: every approval checked once for both.
///
/// # Errors
/// As [`totals`].
pub fn survey(
    folder: &Path,
    year: Option<u16>,
) -> Result<(Vec<Choice>, Option<Totals>), StoreError> {
    let approvals = approved_records(folder)?;
    let choices = choices_of(&approvals);
    let Some(&(year, layout, _)) = choices
        .iter()
        .find(|(y, _, _)| year.is_none_or(|wanted| *y == wanted))
    else {
        return Ok((choices, None));
    };
    let mut out = Totals {
        year,
        layout,
        cells: layout
            .cells()
            .into_iter()
            .map(|id| (id, Total::default()))
            .collect(),
        included: Vec::new(),
        excluded: Vec::new(),
        findings: Vec::new(),
    };
    let approved: BTreeSet<PathBuf> = approvals
        .included
        .iter()
        .map(|(path, _)| path.clone())
        .chain(approvals.left_out.iter().map(|l| l.record.clone()))
        .collect();
    // The file each body's report went in as.
    let mut counted: BTreeMap<String, String> = BTreeMap::new();
    for (_, record) in &approvals.included {
        let same_body = record
            .organization
            .as_ref()
            .and_then(|body| counted.get(body));
        let reason = if record.year != Some(year) {
            Some(LeftOutOfTotals::OtherYear(record.year))
        } else if record.layout != layout {
            Some(LeftOutOfTotals::OtherEdition(record.layout))
        } else {
            same_body.map(|first| LeftOutOfTotals::SameBody(first.clone()))
        };
        if let Some(reason) = reason {
            out.excluded.push(excluded(record, reason));
            continue;
        }
        if let Some(body) = &record.organization {
            counted.insert(body.clone(), record.source.file_name.clone());
        }
        add(&mut out.cells, record);
        out.included.push(Included {
            file_name: record.source.file_name.clone(),
            organization: record.organization.clone(),
            approved_by: record
                .approval
                .as_ref()
                .map(|a| a.reviewer.clone())
                .unwrap_or_default(),
        });
    }
    for left in approvals.left_out {
        let record = load(&left.record).ok();
        out.excluded.push(Excluded {
            file_name: record.as_ref().map_or_else(
                || left.record.display().to_string(),
                |r| r.source.file_name.clone(),
            ),
            organization: record.and_then(|r| r.organization),
            reason: LeftOutOfTotals::ApprovalDoesNotHold(left),
        });
    }
    out.excluded.extend(not_approved(folder, &approved)?);
    out.findings = arithmetic(&as_report(&out));
    Ok((choices, Some(out)))
}

fn excluded(record: &Record, reason: LeftOutOfTotals) -> Excluded {
    Excluded {
        file_name: record.source.file_name.clone(),
        organization: record.organization.clone(),
        reason,
    }
}

/// The reports of the folder whose record is not among `approved` (record paths): drafts, and
/// reports never opened.
fn not_approved(folder: &Path, approved: &BTreeSet<PathBuf>) -> Result<Vec<Excluded>, StoreError> {
    let listing = crate::batch::report_files(&[folder.to_path_buf()]).map_err(|e| StoreError {
        path: e.path.clone(),
        kind: StoreErrorKind::Io(e.error.to_string()),
    })?;
    let mut out = Vec::new();
    for file in listing.files {
        let record_path = record_path(&file);
        if approved.contains(&record_path) {
            continue;
        }
        let record = load_for(&file)?;
        out.push(Excluded {
            file_name: file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            organization: record.and_then(|r| r.organization),
            reason: LeftOutOfTotals::NotApproved,
        });
    }
    Ok(out)
}

/// Adds a record's values that count to the totals; a blank is counted as a blank.
fn add(cells: &mut BTreeMap<CellId, Total>, record: &Record) {
    for (id, total) in cells.iter_mut() {
        match record.cells.get(id).and_then(|c| c.value) {
            Some(value) => {
                total.sum = Some(match total.sum {
                    None => value,
                    Some(sum) => plus(sum, value),
                });
                total.counted += 1;
            }
            None => total.blanks += 1,
        }
    }
}

/// The sum of two values of one cell (saturating: no region reaches the limits).
fn plus(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Count(x), Value::Count(y)) => Value::Count(x.saturating_add(y)),
        (Value::Amount(x), Value::Amount(y)) => Value::Amount(Amount {
            fen: x.fen.saturating_add(y.fen),
        }),
        (x, y) => {
            let sum = x
                .as_integer()
                .unwrap_or(0)
                .saturating_add(y.as_integer().unwrap_or(0));
            Value::Change(sum)
        }
    }
}

/// The totals as a report of their own, for the tables' arithmetic; a total no report printed is
/// blank.
fn as_report(totals: &Totals) -> Report {
    let cells = totals
        .cells
        .iter()
        .map(|(&id, total)| {
            let cell = match total.sum {
                Some(value) => Cell::printed(value.to_string(), None, Some(value)),
                None => Cell::missing(Reason::Blank),
            };
            (id, cell)
        })
        .collect();
    Report {
        source: Source {
            path: format!("汇总 {}", totals.year),
            sha256: String::new(),
            size: 0,
            format: Format::Txt,
        },
        meta: Metadata {
            year: Some(totals.year),
            ..Metadata::default()
        },
        layout: totals.layout,
        missing_tables: Vec::new(),
        cells,
    }
}
