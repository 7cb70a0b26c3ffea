//! What an office sends on: approved records as a wide table (one row per report) or a long one
//! (one row per cell), and the problem list (问题清单) of the published reports, written as
//! XLSX, CSV (UTF-8 with BOM, for Excel on Chinese Windows) or JSON lines. Every file is written
//! whole or not at all.

mod parquet;

use std::fmt;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format as XlsxFormat, Workbook};
use serde_json::{Map, Value as Json};

use crate::indicators::{IndicatorId, Mark, indicators};
use crate::model::Value;
use crate::record::{ChangeKind, DecisionAction, Record, Seal, finding_key};
use crate::rules::Severity;
use crate::store::{StoreError, find_records, load, write_atomic};
use crate::template::CellId;

pub use self::parquet::{SCHEMA as PARQUET_SCHEMA, write_parquet};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// An amount in 万元, kept exact for CSV and JSON.
    Amount(crate::model::Amount),
    /// A share (0–1) to four decimals, shown as a percentage in a workbook: an indicator.
    Share(f64),
    /// Nothing (a blank cell, not zero).
    Empty,
}

impl From<Option<Value>> for Field {
    fn from(value: Option<Value>) -> Field {
        match value {
            None => Field::Empty,
            Some(Value::Amount(a)) => Field::Amount(a),
            Some(v) => v.as_integer().map_or(Field::Empty, Field::Int),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Text(t) => f.write_str(t),
            Field::Int(n) => write!(f, "{n}"),
            Field::Amount(a) => write!(f, "{a}"),
            Field::Share(v) => write!(f, "{v:.4}"),
            Field::Empty => Ok(()),
        }
    }
}

/// A table to write: a header row and rows of fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// The rows, each as long as `headers`.
    pub rows: Vec<Vec<Field>>,
}

/// The language of column headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headers {
    /// Canonical ids and English names, for tools.
    #[default]
    Ids,
    /// Chinese labels, for people.
    Chinese,
}

/// Why an export failed. Nothing was written.
#[derive(Debug)]
pub enum ExportError {
    /// A record could not be found or read.
    Store(StoreError),
    /// The output could not be written.
    Write {
        /// The target file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The target's extension names no format this export writes.
    Format(PathBuf),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Write { path, message } => {
                write!(f, "{}: cannot write: {message}", path.display())
            }
            ExportError::Format(path) => write!(
                f,
                "{}: the file name must end in .xlsx, .csv or .jsonl",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> ExportError {
        ExportError::Store(e)
    }
}

/// Why an approved record is left out of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOutReason {
    /// The record no longer matches the seal written at approval: it was changed by hand.
    SealBroken,
    /// The record was approved before approvals were sealed; it cannot be checked.
    Unsealed,
    /// The report file changed after it was approved: the approval covers other bytes.
    SourceChanged,
    /// The report file is not beside its record any more (the system's words).
    SourceMissing(String),
}

/// An approved record left out of an export, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The record file.
    pub record: PathBuf,
    /// Why.
    pub reason: LeftOutReason,
}

impl crate::lang::Localized for LeftOut {
    fn zh(&self) -> String {
        let path = self.record.display();
        match &self.reason {
            LeftOutReason::SealBroken => {
                format!("{path}：记录内容与通过审核时的封印不符（可能被手工修改），未导出")
            }
            LeftOutReason::Unsealed => {
                format!("{path}：通过审核时尚无封印（旧版程序），无法核验，未导出；请重新审核")
            }
            LeftOutReason::SourceChanged => {
                format!("{path}：原报告文件在通过审核后已被修改，原通过不再有效，未导出")
            }
            LeftOutReason::SourceMissing(e) => format!("{path}：找不到原报告文件（{e}），未导出"),
        }
    }

    fn en(&self) -> String {
        let path = self.record.display();
        match &self.reason {
            LeftOutReason::SealBroken => format!(
                "{path}: the record no longer matches the seal of its approval (edited by hand?); left out"
            ),
            LeftOutReason::Unsealed => format!(
                "{path}: approved before approvals were sealed, so it cannot be checked; left out (approve it again)"
            ),
            LeftOutReason::SourceChanged => format!(
                "{path}: the report file changed after it was approved; the approval no longer holds; left out"
            ),
            LeftOutReason::SourceMissing(e) => {
                format!("{path}: the report file is not there ({e}); left out")
            }
        }
    }
}

/// The approvals of a folder that an export may carry, and those it may not.
#[derive(Debug, Clone, Default)]
pub struct Approvals {
    /// Approved records whose seal holds and whose report is the one approved, with their file.
    pub included: Vec<(PathBuf, Record)>,
    /// Approved records that may not be exported, with why.
    pub left_out: Vec<LeftOut>,
}

/// Every approved record under `folder` that still holds: sealed, unchanged since approval, and
/// about the bytes of the report beside it. A record that cannot be read stops the export: an
/// office must not send a list with a report silently missing.
///
/// # Errors
/// The first record that cannot be found or read.
pub fn approved_records(folder: &Path) -> Result<Approvals, StoreError> {
    let mut out = Approvals::default();
    let records = find_records(folder)?;
    crate::read::progress::files_begin(("核验审核记录", "checking approvals"), records.len());
    for path in records {
        crate::read::progress::file_done(&path);
        let record = load(&path)?;
        if record.seal() == Seal::NotApproved {
            continue;
        }
        match still_holds(&path, &record) {
            Ok(()) => out.included.push((path, record)),
            Err(left_out) => out.left_out.push(left_out),
        }
    }
    Ok(out)
}

/// Whether an approved record (at `record_path`) still holds: sealed, unchanged since, and
/// about the bytes of the report beside it. A draft holds trivially.
///
/// # Errors
/// Why it does not hold.
pub fn still_holds(record_path: &Path, record: &Record) -> Result<(), LeftOut> {
    let reason = match record.seal() {
        Seal::NotApproved => None,
        Seal::Broken => Some(LeftOutReason::SealBroken),
        Seal::Missing => Some(LeftOutReason::Unsealed),
        Seal::Holds => source_changed(record_path, record),
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(LeftOut {
            record: record_path.to_path_buf(),
            reason,
        }),
    }
}

/// Whether the report a record is about still has the bytes it had: it lives beside the
/// records folder, under the file name the record keeps.
fn source_changed(record_path: &Path, record: &Record) -> Option<LeftOutReason> {
    let source = record_path
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("."))
        .join(&record.source.file_name);
    match sha256_of(&source) {
        Ok(hash) if hash == record.source.sha256 => None,
        Ok(_) => Some(LeftOutReason::SourceChanged),
        Err(e) => Some(LeftOutReason::SourceMissing(e.to_string())),
    }
}

/// SHA-256 of a regular file's bytes, read as a stream.
///
/// # Errors
/// When it is not a regular file or cannot be read.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::Digest as _;
    use std::io::Read as _;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0_u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(crate::read::hex(&hasher.finalize()))
}

fn text(s: impl Into<String>) -> Field {
    Field::Text(s.into())
}

fn opt_text(s: Option<&String>) -> Field {
    s.map_or(Field::Empty, |s| text(s.clone()))
}

/// Column names in the chosen language, from (English, Chinese) pairs.
fn names(headers: Headers, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(en, zh)| {
            if headers == Headers::Chinese {
                (*zh).to_owned()
            } else {
                (*en).to_owned()
            }
        })
        .collect()
}

/// `zh` under Chinese headers, else `en`.
fn lang_pick(headers: Headers, zh: &'static str, en: &'static str) -> &'static str {
    if headers == Headers::Chinese { zh } else { en }
}

fn year(record: &Record) -> Field {
    record
        .year
        .map_or(Field::Empty, |y| Field::Int(i64::from(y)))
}

/// One row per report: who and when, then one column per canonical cell id (of every edition;
/// cells a report's edition lacks are empty), then the indicators of the approved values (empty
/// where undefined) and their marks.
#[must_use]
pub fn wide(records: &[(PathBuf, Record)], headers: Headers) -> Table {
    let ids: Vec<CellId> = CellId::all().collect();
    let fixed: [(&str, &str); 7] = [
        ("file", "文件"),
        ("organization", "单位"),
        ("year", "年度"),
        ("edition", "模板版本"),
        ("reviewer", "审核人"),
        ("approved_at", "通过时间"),
        ("auto_approved", "自动通过"),
    ];
    let mut names = names(headers, &fixed);
    names.extend(ids.iter().map(|id| {
        if headers == Headers::Chinese {
            id.label_zh()
        } else {
            id.as_str().to_owned()
        }
    }));
    names.extend(IndicatorId::ALL.iter().map(|i| {
        if headers == Headers::Chinese {
            i.zh().to_owned()
        } else {
            i.code().to_owned()
        }
    }));
    names.push(
        if headers == Headers::Chinese {
            "指标标记"
        } else {
            "indicator_marks"
        }
        .to_owned(),
    );
    let mut table = Table {
        headers: names,
        rows: Vec::new(),
    };
    for (_, record) in records {
        let approval = record.approval.as_ref();
        let mut row = vec![
            text(record.source.file_name.clone()),
            opt_text(record.organization.as_ref()),
            year(record),
            text(record.layout.t2.as_str()),
            approval.map_or(Field::Empty, |a| text(a.reviewer.clone())),
            approval.map_or(Field::Empty, |a| text(a.time.to_string())),
            text(if record.auto_approved() { "yes" } else { "no" }),
        ];
        row.extend(ids.iter().map(|id| {
            record
                .cells
                .get(id)
                .map_or(Field::Empty, |c| c.value.into())
        }));
        // An approved record's values are the reviewer's: none is doubtful.
        let indicators = indicators(&|id| record.cells.get(&id).and_then(|c| c.value), &|_| {
            false
        });
        row.extend(
            indicators
                .iter()
                .map(|i| i.share().map_or(Field::Empty, Field::Share)),
        );
        let marks: Vec<String> = indicators
            .iter()
            .filter_map(|i| {
                let mark = match i.mark? {
                    Mark::Red => lang_pick(headers, "红", "red"),
                    Mark::Yellow => lang_pick(headers, "黄", "yellow"),
                };
                let name = lang_pick(headers, i.id.zh(), i.id.code());
                Some(format!("{name}:{mark}"))
            })
            .collect();
        row.push(text(marks.join("; ")));
        table.rows.push(row);
    }
    table
}

/// One row per cell of each report: report, cell id, label, value, status.
#[must_use]
pub fn long(records: &[(PathBuf, Record)], headers: Headers) -> Table {
    let columns: [(&str, &str); 7] = [
        ("file", "文件"),
        ("organization", "单位"),
        ("year", "年度"),
        ("cell", "单元格编号"),
        ("label", "单元格"),
        ("value", "数值"),
        ("status", "状态"),
    ];
    let mut table = Table {
        headers: self::names(headers, &columns),
        rows: Vec::new(),
    };
    for (_, record) in records {
        for (id, cell) in &record.cells {
            let status = match cell.status {
                crate::record::CellStatus::Extracted => "extracted",
                crate::record::CellStatus::Confirmed => "confirmed",
                crate::record::CellStatus::Corrected => "corrected",
            };
            table.rows.push(vec![
                text(record.source.file_name.clone()),
                opt_text(record.organization.as_ref()),
                year(record),
                text(id.as_str()),
                text(id.label_zh()),
                cell.value.into(),
                text(status),
            ]);
        }
    }
    table
}

/// One problem of a published report, as the problem list and the letters state it: a rule that
/// failed at approval, or a cell the reviewer found wrong in the published report.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The rule's code (`T3-BALANCE`), or `SOURCE-WRONG` for a cell the reviewer corrected.
    pub rule: &'static str,
    /// An error (the report is wrong), or a warning (worth the publisher's look).
    pub severity: Severity,
    /// The auditor's sentence.
    pub message_zh: String,
    /// The cells it is about.
    pub cells: Vec<CellId>,
    /// The reviewer's note, if any.
    pub note: Option<String>,
}

/// The problems of a record: the failed rules at approval and the cells the reviewer marked as
/// wrong in the published report, with the reviewer's notes. The program's own misreadings are
/// not the publisher's problem and are left out.
#[must_use]
pub fn problems_of(record: &Record) -> Vec<Problem> {
    let mut out: Vec<Problem> = record
        .findings
        .iter()
        .map(|finding| Problem {
            rule: finding.rule.code(),
            severity: finding.severity,
            message_zh: finding.message_zh.clone(),
            cells: finding.cells.clone(),
            note: record.notes.get(&finding_key(finding)).cloned(),
        })
        .collect();
    for (id, decision) in &record.decisions {
        let DecisionAction::Set {
            value,
            kind: ChangeKind::SourceWrong,
            note,
        } = &decision.action
        else {
            continue;
        };
        if decision.stale {
            continue;
        }
        let shown = value.map_or_else(|| "空白".to_owned(), |v| v.to_string());
        out.push(Problem {
            rule: "SOURCE-WRONG",
            severity: Severity::Error,
            message_zh: format!(
                "{}：原文为“{}”，审核认定应为{shown}",
                id.label_zh(),
                decision.raw.trim(),
            ),
            cells: vec![*id],
            note: (!note.is_empty()).then(|| note.clone()),
        });
    }
    out
}

/// The problem list (问题清单) of the records, one row per [`Problem`].
#[must_use]
pub fn problems(records: &[(PathBuf, Record)]) -> Table {
    let mut table = Table {
        headers: [
            "文件",
            "单位",
            "年度",
            "规则",
            "级别",
            "问题",
            "涉及单元格",
            "审核说明",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        rows: Vec::new(),
    };
    for (_, record) in records {
        for problem in problems_of(record) {
            table.rows.push(vec![
                text(record.source.file_name.clone()),
                opt_text(record.organization.as_ref()),
                year(record),
                text(problem.rule),
                text(if problem.severity == Severity::Error {
                    "错误"
                } else {
                    "提示"
                }),
                text(problem.message_zh),
                text(
                    problem
                        .cells
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                problem.note.map_or(Field::Empty, text),
            ]);
        }
    }
    table
}

fn write_error(path: &Path, message: impl fmt::Display) -> ExportError {
    ExportError::Write {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// Text a spreadsheet will not take for a formula: a field that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (a file named `=HYPERLINK(…).txt`) gets a leading `'`, as
/// OWASP advises for CSV and spreadsheet exports.
#[must_use]
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The most characters an XLSX cell holds.
pub const XLSX_CELL_CHARS: usize = 32_767;

/// The marker that ends text cut to fit an XLSX cell.
pub const CUT_MARKER: &str = "…[已截断 truncated]";

/// Text cut to fit an XLSX cell, with a marker; `None` when it fits as it is.
fn fitted(text: &str) -> Option<String> {
    if text.chars().count() <= XLSX_CELL_CHARS {
        return None;
    }
    let keep = XLSX_CELL_CHARS - CUT_MARKER.chars().count();
    Some(text.chars().take(keep).chain(CUT_MARKER.chars()).collect())
}

/// The table as CSV, UTF-8 with a byte-order mark so that Excel on Chinese Windows reads it.
///
/// # Errors
/// Only if the CSV writer fails, which writing to memory does not.
pub fn csv_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.headers)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|field| match field {
            Field::Text(t) => neutralise(t).into_owned(),
            other => other.to_string(),
        }))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The table as an XLSX workbook: a bold header row that stays in view, numbers as numbers.
/// Text longer than a cell holds is cut with [`CUT_MARKER`]; each cut is named in `warnings`
/// (row and column), and every other row is written.
///
/// # Errors
/// When the workbook cannot be built.
pub fn xlsx_bytes(
    table: &Table,
    sheet: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = XlsxFormat::new().set_bold();
    let percent = XlsxFormat::new().set_num_format("0.0%");
    for (col, header) in table.headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        worksheet.write_string_with_format(0, col, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (col, field) in row.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            match field {
                Field::Text(t) => {
                    let safe = neutralise(t);
                    match fitted(&safe) {
                        Some(cut) => {
                            warnings.push(format!(
                                "row {}, column {}: {} characters cut to {XLSX_CELL_CHARS}",
                                r + 1,
                                table
                                    .headers
                                    .get(usize::from(col))
                                    .map_or("", String::as_str),
                                safe.chars().count()
                            ));
                            worksheet.write_string(r, col, cut)?;
                        }
                        None => {
                            worksheet.write_string(r, col, safe)?;
                        }
                    }
                }
                #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
                Field::Int(n) => {
                    worksheet.write_number(r, col, *n as f64)?;
                }
                Field::Amount(a) => {
                    worksheet.write_number(r, col, a.wan_yuan())?;
                }
                Field::Share(v) => {
                    worksheet.write_number_with_format(r, col, *v, &percent)?;
                }
                Field::Empty => {}
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofit();
    workbook.save_to_buffer()
}

/// The table as JSON lines: one object per row, keyed by header.
#[must_use]
pub fn jsonl_bytes(table: &Table) -> Vec<u8> {
    let mut out = Vec::new();
    for row in &table.rows {
        let object: Map<String, Json> = table
            .headers
            .iter()
            .zip(row)
            .map(|(h, f)| {
                let value = match f {
                    Field::Text(t) => Json::from(t.clone()),
                    Field::Int(n) => Json::from(*n),
                    Field::Amount(a) => Json::from(a.wan_yuan()),
                    Field::Share(v) => Json::from((v * 10_000.0).round() / 10_000.0),
                    Field::Empty => Json::Null,
                };
                (h.clone(), value)
            })
            .collect();
        out.extend(Json::Object(object).to_string().into_bytes());
        out.push(b'\n');
    }
    out
}

/// Writes a table to `path` in the format its extension names, atomically; returns what had to
/// be cut to fit (see [`xlsx_bytes`]).
///
/// # Errors
/// An unknown extension, or the file cannot be written (nothing is left behind).
pub fn write_table(table: &Table, path: &Path, sheet: &str) -> Result<Vec<String>, ExportError> {
    let mut warnings = Vec::new();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = match ext.as_str() {
        "csv" => csv_bytes(table).map_err(|e| write_error(path, e))?,
        "xlsx" => xlsx_bytes(table, sheet, &mut warnings).map_err(|e| write_error(path, e))?,
        "jsonl" => jsonl_bytes(table),
        _ => return Err(ExportError::Format(path.to_path_buf())),
    };
    write_atomic(path, &bytes).map_err(|e| write_error(path, e))?;
    Ok(warnings)
}
