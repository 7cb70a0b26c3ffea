//! The approved records as Parquet (`export --to out.parquet`): one row per report and cell, in
//! typed columns, so that DuckDB, Spark or Polars read a province's file, or every province's,
//! directly.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::basic::Compression;
use ::parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;

use super::{ExportError, write_error};
use crate::model::Value;
use crate::record::{CellStatus, Record};
use crate::store::write_atomic;

/// The columns. `value` is exact: a count as itself, an amount in 万元 to the 分 (six decimals);
/// null where the cell is blank (blank is not zero). `approved_at` is UTC.
pub const SCHEMA: &str = "message report_cells {
    REQUIRED BYTE_ARRAY report (STRING);
    OPTIONAL BYTE_ARRAY body (STRING);
    OPTIONAL INT32 year (INTEGER(16, false));
    REQUIRED BYTE_ARRAY edition (STRING);
    REQUIRED BYTE_ARRAY cell (STRING);
    OPTIONAL INT64 value (DECIMAL(18, 6));
    REQUIRED BYTE_ARRAY status (STRING);
    REQUIRED BYTE_ARRAY approved_by (STRING);
    REQUIRED INT64 approved_at (TIMESTAMP(MILLIS, true));
    REQUIRED BYTE_ARRAY source_hash (STRING);
}";

/// Rows a row group holds at most: a province's cells in a few groups, memory bounded.
const ROWS_PER_GROUP: usize = 1 << 20;

/// The columns' values for a row group, with the definition levels of the optional ones.
#[derive(Default)]
struct Columns {
    report: Vec<ByteArray>,
    body: (Vec<ByteArray>, Vec<i16>),
    year: (Vec<i32>, Vec<i16>),
    edition: Vec<ByteArray>,
    cell: Vec<ByteArray>,
    value: (Vec<i64>, Vec<i16>),
    status: Vec<ByteArray>,
    approved_by: Vec<ByteArray>,
    approved_at: Vec<i64>,
    source_hash: Vec<ByteArray>,
}

impl Columns {
    fn len(&self) -> usize {
        self.report.len()
    }

    fn push(&mut self, record: &Record) -> ::parquet::errors::Result<()> {
        let text = |s: &str| ByteArray::from(s);
        let (by, at) = record.approval.as_ref().map_or((String::new(), 0), |a| {
            let millis = i64::try_from(a.time.0).map_or(i64::MAX, |s| s.saturating_mul(1000));
            (a.reviewer.clone(), millis)
        });
        for (id, cell) in &record.cells {
            self.report.push(text(&record.source.file_name));
            optional(&mut self.body, record.organization.as_deref().map(text));
            optional(&mut self.year, record.year.map(i32::from));
            self.edition.push(text(record.layout.t2.as_str()));
            self.cell.push(text(id.as_str()));
            let value = match cell.value {
                Some(value) => Some(millionths(value).ok_or_else(|| {
                    ParquetError::General(format!(
                        "{} {id}: {value} is too large for the value column",
                        record.source.file_name
                    ))
                })?),
                None => None,
            };
            optional(&mut self.value, value);
            self.status.push(text(match cell.status {
                CellStatus::Extracted => "extracted",
                CellStatus::Confirmed => "confirmed",
                CellStatus::Corrected => "corrected",
            }));
            self.approved_by.push(text(&by));
            self.approved_at.push(at);
            self.source_hash.push(text(&record.source.sha256));
        }
        Ok(())
    }
}

/// A value in millionths: a count times 10⁶, an amount in 分 (10⁻⁶ 万元); `None` past what
/// the column holds (a count over 9 × 10¹², which no report prints).
fn millionths(value: Value) -> Option<i64> {
    match value {
        Value::Count(n) => i64::try_from(n).ok()?.checked_mul(1_000_000),
        Value::Change(n) => n.checked_mul(1_000_000),
        Value::Amount(a) => Some(a.fen),
    }
}

/// Adds a value of an optional column, or its absence.
fn optional<T>((values, levels): &mut (Vec<T>, Vec<i16>), value: Option<T>) {
    match value {
        Some(value) => {
            values.push(value);
            levels.push(1);
        }
        None => levels.push(0),
    }
}

/// Writes `records` to `path` as Parquet, all at once (the file appears whole or not at all),
/// and says how many rows.
///
/// # Errors
/// When the file cannot be made or written.
pub fn write_parquet(records: &[(PathBuf, Record)], path: &Path) -> Result<usize, ExportError> {
    let bytes = parquet_bytes(records).map_err(|e| write_error(path, e))?;
    write_atomic(path, &bytes).map_err(|e| write_error(path, e))?;
    Ok(records.iter().map(|(_, r)| r.cells.len()).sum())
}

fn parquet_bytes(records: &[(PathBuf, Record)]) -> ::parquet::errors::Result<Vec<u8>> {
    let schema = Arc::new(parse_message_type(SCHEMA)?);
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("nianbao {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, properties)?;
    let mut columns = Columns::default();
    for (_, record) in records {
        columns.push(record)?;
        if columns.len() >= ROWS_PER_GROUP {
            write_group(&mut writer, &std::mem::take(&mut columns))?;
        }
    }
    if columns.len() > 0 {
        write_group(&mut writer, &columns)?;
    }
    writer.into_inner()
}

fn write_group(
    writer: &mut SerializedFileWriter<Vec<u8>>,
    columns: &Columns,
) -> ::parquet::errors::Result<()> {
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        match index {
            1 => {
                let (values, levels) = &columns.body;
                column
                    .typed::<ByteArrayType>()
                    .write_batch(values, Some(levels), None)?;
            }
            2 => {
                let (values, levels) = &columns.year;
                column
                    .typed::<Int32Type>()
                    .write_batch(values, Some(levels), None)?;
            }
            5 => {
                let (values, levels) = &columns.value;
                column
                    .typed::<Int64Type>()
                    .write_batch(values, Some(levels), None)?;
            }
            8 => {
                column
                    .typed::<Int64Type>()
                    .write_batch(&columns.approved_at, None, None)?;
            }
            _ => {
                let strings = match index {
                    0 => &columns.report,
                    3 => &columns.edition,
                    4 => &columns.cell,
                    6 => &columns.status,
                    7 => &columns.approved_by,
                    _ => &columns.source_hash,
                };
                column
                    .typed::<ByteArrayType>()
                    .write_batch(strings, None, None)?;
            }
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    Ok(())
}
