//! What `nianbao check` prints: a line per report with its findings, or one JSON object per report
//! (the contract other tools read; its schema is in the README).

use std::fmt::Write as _;

use serde_json::{Map, Value as Json, json};

use crate::checks::{Finding, Verdict, verdict};
use crate::model::{Cell, Reason, Report, Value};
use crate::read::ReadError;
use crate::rules::Severity;

pub use crate::lang::Lang;
use crate::lang::Localized;

/// A value as JSON: whole numbers as integers, amounts as decimal 万元.
#[must_use]
pub fn value_json(value: Value) -> Json {
    match value {
        Value::Count(n) => json!(n),
        Value::Change(n) => json!(n),
        Value::Amount(a) => json!(a.wan_yuan()),
    }
}

/// How much `check --json` says: each field once where it carries something (`Lean`), or also
/// the reviewer's sentence for each reason a cell is doubtful and each indicator's name
/// (`Explained`, `--explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Codes only; a field left out is empty, false or not known (see the README's schema).
    Lean,
    /// Codes with their texts in both languages.
    Explained,
}

/// A reason as JSON: its code, what it carries, and with `Explained` its texts. Written straight
/// out, as its cell is: a report of OCR text has two reasons a cell, some four hundred in all,
/// and each made as a map of its own first was four allocations or more.
struct ReasonOut<'a>(&'a Reason, Detail);

impl serde::Serialize for ReasonOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let ReasonOut(reason, detail) = *self;
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("code", reason.code())?;
        match reason {
            Reason::NonDigit { dropped } => out.serialize_entry("dropped", dropped)?,
            Reason::Annotation { text } => out.serialize_entry("text", text)?,
            Reason::GluedSplit { run }
            | Reason::GluedAmbiguous { run }
            | Reason::GluedNoFit { run } => out.serialize_entry("run", run)?,
            Reason::SplitCell { printed, reading } => {
                out.serialize_entry("printed", printed)?;
                out.serialize_entry("reading", &value_json(*reading))?;
            }
            Reason::InvalidForKind { printed } => out.serialize_entry("printed", printed)?,
            Reason::OcrConfidence { confidence } => {
                out.serialize_entry("ocr_confidence", confidence)?;
            }
            Reason::OcrConfirmed { confidence, sums } => {
                out.serialize_entry("ocr_confidence", confidence)?;
                out.serialize_entry("sums", sums)?;
            }
            Reason::Blank
            | Reason::SeveralNumbers
            | Reason::Doubled
            | Reason::ConvertedFromYuan
            | Reason::PositionInferred
            | Reason::LabelMissing
            | Reason::LabelLoose
            | Reason::Unreadable
            | Reason::OcrText => {}
        }
        if detail == Detail::Explained {
            out.serialize_entry("zh", &reason.zh())?;
            out.serialize_entry("en", &reason.en())?;
        }
        out.end()
    }
}

/// A list written straight out as a JSON array, of what its function yields each time it is asked
/// (serde asks once).
struct Seq<F>(F);

impl<F, I> serde::Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A cell as JSON: its value (`null`: nothing read; blank is not zero) and the text it was read
/// from always; each other field only when it says something. Written straight out: a report
/// has some two hundred cells, and a province's folder tens of thousands of reports.
struct CellOut<'a>(&'a Cell, Detail);

impl serde::Serialize for CellOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let CellOut(cell, detail) = *self;
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("value", &cell.value.map(value_json))?;
        out.serialize_entry("raw", &cell.raw)?;
        if let Some(span) = &cell.span {
            out.serialize_entry("span", &[span.start, span.end])?;
        }
        if cell.confidence < 1.0 {
            out.serialize_entry(
                "confidence",
                &((f64::from(cell.confidence) * 100.0).round() / 100.0),
            )?;
        }
        if cell.is_low_confidence() {
            out.serialize_entry("low_confidence", &true)?;
        }
        if !cell.reasons.is_empty() {
            out.serialize_entry(
                "reasons",
                &Seq(|| cell.reasons.iter().map(|r| ReasonOut(r, detail))),
            )?;
        }
        if !cell.candidates.is_empty() {
            out.serialize_entry(
                "candidates",
                &Seq(|| cell.candidates.iter().copied().map(value_json)),
            )?;
        }
        if let Some(origin) = &cell.origin {
            out.serialize_entry("origin", &origin_json(origin))?;
        }
        if let Some(b) = cell.image_box {
            out.serialize_entry(
                "image_box",
                &json!({"page": b.page, "left": b.left, "top": b.top, "width": b.width, "height": b.height}),
            )?;
        }
        out.end()
    }
}

/// Where in a document's tables a cell was printed, as JSON.
fn origin_json(o: &crate::model::Origin) -> Json {
    let mut origin = Map::new();
    origin.insert("table".into(), json!(o.table));
    origin.insert("row".into(), json!(o.row));
    origin.insert("cell".into(), json!(o.cell));
    if let Some(b) = &o.bytes {
        origin.insert("bytes".into(), json!([b.start, b.end]));
    }
    if let Some(line) = o.line {
        origin.insert("line".into(), json!(line));
    }
    if let Some(a) = o.area {
        // Hundredths of a point or pixel: the page's own precision, without f32's noise.
        let at = |x: f32| (f64::from(x) * 100.0).round() / 100.0;
        origin.insert(
            "area".into(),
            json!({"page": a.page, "unit": a.unit, "left": at(a.left), "top": at(a.top), "right": at(a.right), "bottom": at(a.bottom)}),
        );
    }
    Json::Object(origin)
}

/// Every cell of a report, by id, in printed order.
struct CellsOut<'a>(&'a Report, Detail);

impl serde::Serialize for CellsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .cells
                .iter()
                .map(|(id, cell)| (id.as_str(), CellOut(cell, self.1))),
        )
    }
}

fn finding_json(finding: &Finding) -> Json {
    json!({
        "rule": finding.rule.code(),
        "severity": finding.severity,
        "cells": finding.cells.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "message_zh": finding.message_zh,
        "message_en": finding.message_en,
        "suggestions": finding.suggestions.iter().map(|s| json!({
            "cell": s.cell.as_str(),
            "value": value_json(s.value),
            "why": s.why_zh,
            "why_en": s.why_en,
        })).collect::<Vec<_>>(),
    })
}

/// One report and its findings as the JSON object of `schema/report.schema.json`, on one line.
/// `path_bytes` is the file name's bytes in hex where the name is not UTF-8
/// ([`non_utf8_hex`]).
#[must_use]
pub fn report_json(
    report: &Report,
    findings: &[Finding],
    detail: Detail,
    path_bytes: Option<String>,
) -> String {
    #[derive(serde::Serialize)]
    struct SourceOut<'a> {
        path: &'a str,
        sha256: &'a str,
        format: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        path_bytes: Option<String>,
    }
    #[derive(serde::Serialize)]
    struct ReportOut<'a> {
        source: SourceOut<'a>,
        organization: &'a Option<String>,
        year: Option<u16>,
        edition: &'a str,
        layout: Json,
        title: &'a Option<String>,
        period_year: Option<u16>,
        cells: CellsOut<'a>,
        verdict: &'a str,
        findings: Vec<Json>,
        indicators: Json,
    }
    let out = ReportOut {
        source: SourceOut {
            path: &report.source.path,
            path_bytes,
            sha256: &report.source.sha256,
            format: report.source.format.as_str(),
        },
        organization: &report.meta.organization,
        year: report.meta.year,
        edition: report.edition().as_str(),
        layout: json!({"t2": report.layout.t2.as_str(), "t3_other": report.layout.t3_other.as_str()}),
        title: &report.meta.title,
        period_year: report.meta.period_year,
        cells: CellsOut(report, detail),
        verdict: match verdict(report, findings) {
            Verdict::Fails => "fails",
            Verdict::NeedsReview => "needs_review",
            Verdict::Passes => "passes",
        },
        findings: findings.iter().map(finding_json).collect(),
        indicators: indicators_json(
            &crate::indicators::indicators(&|id| report.value(id), &|id| {
                report.cells.get(&id).is_some_and(Cell::is_low_confidence)
            }),
            detail,
        ),
    };
    serde_json::to_string(&out).unwrap_or_else(|e| {
        // Serialising plain strings and numbers cannot fail; say so in the line if it ever does.
        json!({"source": {"path": report.source.path}, "error": {"code": "json", "message": e.to_string()}})
            .to_string()
    })
}

/// The indicators as JSON: each with its ratio or why it has none, and its mark; with
/// `Explained`, its name.
#[must_use]
pub fn indicators_json(indicators: &[crate::indicators::Indicator], detail: Detail) -> Json {
    indicators
        .iter()
        .map(|i| {
            let (numerator, denominator) = i
                .ratio
                .as_ref()
                .map_or((None, None), |&(n, d)| (Some(n), Some(d)));
            let mut out = json!({
                "id": i.id.code(),
                "value": i.share().map(|v| (v * 10_000.0).round() / 10_000.0),
                "numerator": numerator,
                "denominator": denominator,
                "mark": i.mark,
                "doubtful": i.doubtful,
                "undefined": i.ratio.as_ref().err().map(|u| json!({"zh": u.zh(), "en": u.en()})),
            });
            if let Some(object) = out.as_object_mut() {
                object.retain(|_, v| !v.is_null());
                if detail == Detail::Explained {
                    object.insert("zh".into(), json!(i.id.zh()));
                }
            }
            out
        })
        .collect()
}

/// Text safe to print on a terminal: every control character (an escape sequence or a line
/// break hidden in a file name could rewrite the screen or fake a line) written as `\u{1b}`.
#[must_use]
pub fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().fold(String::new(), |mut out, c| {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
        out
    }))
}

/// The bytes of a path that is not valid UTF-8, in lower-case hex (`path_bytes` in the JSON);
/// `None` for a path that is.
#[must_use]
pub fn non_utf8_hex(path: &std::path::Path) -> Option<String> {
    if path.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    Some(crate::read::hex(&bytes))
}

/// A report that could not be read, as JSON.
#[must_use]
pub fn error_json(error: &ReadError) -> Json {
    json!({"source": {"path": error.path}, "error": {"code": error.code(), "message": error.to_string()}})
}

/// A report and its findings as text: a summary line, then a line per finding and suggestion.
#[must_use]
pub fn report_text(report: &Report, findings: &[Finding], lang: Lang) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let low = report.low_confidence_count();
    let org = report.meta.organization.as_deref().unwrap_or("?");
    let year = report
        .meta
        .year
        .map_or_else(|| "?".to_owned(), |y| y.to_string());
    let mut out = String::new();
    let _ = match lang {
        Lang::Zh => {
            let verdict = verdict(report, findings).zh();
            write!(
                out,
                "{}: {org} {year}年度 {}年版 {verdict}：错误{errors}项，提示{warnings}项，待核单元格{low}个",
                escape_control(&report.source.path),
                report.edition()
            )
        }
        Lang::En => {
            let verdict = verdict(report, findings).en();
            write!(
                out,
                "{}: {org} {year}, {} edition, {verdict}: {errors} errors, {warnings} warnings, {low} cells to review",
                escape_control(&report.source.path),
                report.edition()
            )
        }
    };
    for f in findings {
        let (severity, message) = match (lang, f.severity) {
            (Lang::Zh, Severity::Error) => ("错误", &f.message_zh),
            (Lang::Zh, Severity::Warning) => ("提示", &f.message_zh),
            (Lang::En, Severity::Error) => ("error", &f.message_en),
            (Lang::En, Severity::Warning) => ("warning", &f.message_en),
        };
        let _ = write!(out, "\n  [{severity}] {} {message}", f.rule.code());
        for s in &f.suggestions {
            let (word, why) = if lang == Lang::Zh {
                ("建议", &s.why_zh)
            } else {
                ("suggest", &s.why_en)
            };
            let _ = write!(out, "\n    {word} {} = {}: {why}", s.cell, s.value);
        }
    }
    out
}

/// The three tables as Markdown pipe tables in the printed layout, for a reviewer to paste
/// anywhere: each under its section heading, 表二 a table per item of article 20 (第二十条第（一）项
/// …), 表三 its rows by applicant, 表四 one row under headers naming review and lawsuit kind. A blank
/// cell stays empty (blank is not zero); a value the reviewer must still look at carries
/// `（待核）` / ` (to review)`, so a paste never looks surer than the reading. Read back, it gives
/// the same cells.
#[must_use]
pub fn tables_markdown(report: &Report, lang: Lang) -> String {
    use crate::template::{RowDef, T2_ARTICLES, TableId, section_heading};
    let zh = lang == Lang::Zh;
    let cell_text = |id| {
        let Some(cell) = report.cells.get(&id) else {
            return String::new();
        };
        let value = cell.value.map_or_else(String::new, |v| v.to_string());
        if cell.is_low_confidence() && cell.value.is_some() {
            format!("{value}{}", if zh { "（待核）" } else { " (to review)" })
        } else {
            value
        }
    };
    let pipe_row = |cells: &[String]| -> String {
        let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let rule = |n: usize| format!("|{}\n", " --- |".repeat(n));
    let row_name = |r: &RowDef| if zh { r.zh } else { r.en }.to_owned();
    let mut out = String::new();
    for table in [TableId::T2, TableId::T3, TableId::T4] {
        let title = if zh { table.zh() } else { table.en() };
        let _ = writeln!(out, "## {}（{title}）\n", section_heading(table));
        let rows = report.layout.rows(table);
        if table == TableId::T4 {
            let mut header = Vec::new();
            let mut values = Vec::new();
            for row in &rows {
                for (column, &id) in row.columns.iter().zip(row.cell_ids(table).iter()) {
                    let name = if zh { column.zh } else { column.en };
                    header.push(format!("{} {name}", row_name(row)));
                    values.push(cell_text(id));
                }
            }
            out.push_str(&pipe_row(&header));
            out.push_str(&rule(header.len()));
            out.push_str(&pipe_row(&values));
            out.push('\n');
            continue;
        }
        // A new pipe table wherever the printed table starts a new group (表二's items of article
        // 20) or its columns change.
        let mut previous: Option<(Option<&str>, *const _)> = None;
        for row in rows {
            let article = T2_ARTICLES
                .iter()
                .find(|(key, _)| table == TableId::T2 && *key == row.key)
                .map(|(_, article)| *article);
            let group = (article, std::ptr::from_ref(row.columns));
            if previous != Some(group) {
                if previous.is_some() {
                    out.push('\n');
                }
                if let Some(article) = article {
                    let _ = writeln!(out, "**{article}**\n");
                }
                let first = match table {
                    TableId::T2 => "信息内容",
                    _ => "申请人情况",
                };
                let mut header = vec![if zh { first } else { "item" }.to_owned()];
                header.extend(
                    row.columns
                        .iter()
                        .map(|c| if zh { c.zh } else { c.en }.to_owned()),
                );
                out.push_str(&pipe_row(&header));
                out.push_str(&rule(header.len()));
                previous = Some(group);
            }
            let mut cells = vec![row_name(row)];
            cells.extend(row.cell_ids(table).iter().copied().map(cell_text));
            out.push_str(&pipe_row(&cells));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Amount;

    /// Each kind of reason is written as the contract (`schema/report.schema.json`) has it: its
    /// code, then what it carries, in this order; with `--explain`, its texts after them.
    #[test]
    fn each_reason_is_written_as_the_contract_has_it() {
        let text = |s: &str| s.to_owned();
        let cases = [
            (Reason::Blank, r#"{"code":"blank"}"#),
            (Reason::SeveralNumbers, r#"{"code":"several_numbers"}"#),
            (Reason::Doubled, r#"{"code":"doubled"}"#),
            (
                Reason::NonDigit {
                    dropped: text("φ\"\\"),
                },
                r#"{"code":"non_digit","dropped":"φ\"\\"}"#,
            ),
            (
                Reason::Annotation {
                    text: text("其中修订16件"),
                },
                r#"{"code":"annotation","text":"其中修订16件"}"#,
            ),
            (
                Reason::ConvertedFromYuan,
                r#"{"code":"converted_from_yuan"}"#,
            ),
            (
                Reason::GluedSplit { run: text("1203") },
                r#"{"code":"glued_split","run":"1203"}"#,
            ),
            (
                Reason::GluedAmbiguous { run: text("1\n2") },
                r#"{"code":"glued_ambiguous","run":"1\n2"}"#,
            ),
            (
                Reason::GluedNoFit { run: text("99") },
                r#"{"code":"glued_no_fit","run":"99"}"#,
            ),
            (Reason::PositionInferred, r#"{"code":"position_inferred"}"#),
            (
                Reason::SplitCell {
                    printed: text("2 0"),
                    reading: Value::Count(20),
                },
                r#"{"code":"split_cell","printed":"2 0","reading":20}"#,
            ),
            (
                Reason::SplitCell {
                    printed: text("38.39"),
                    reading: Value::Amount(Amount { fen: 383_900 }),
                },
                r#"{"code":"split_cell","printed":"38.39","reading":0.3839}"#,
            ),
            (
                Reason::SplitCell {
                    printed: text("-3"),
                    reading: Value::Change(-3),
                },
                r#"{"code":"split_cell","printed":"-3","reading":-3}"#,
            ),
            (Reason::LabelMissing, r#"{"code":"label_missing"}"#),
            (Reason::LabelLoose, r#"{"code":"label_loose"}"#),
            (Reason::Unreadable, r#"{"code":"unreadable"}"#),
            (
                Reason::InvalidForKind {
                    printed: text("-1"),
                },
                r#"{"code":"invalid_for_kind","printed":"-1"}"#,
            ),
            (Reason::OcrText, r#"{"code":"ocr_text"}"#),
            (
                Reason::OcrConfidence { confidence: 87 },
                r#"{"code":"ocr_confidence","ocr_confidence":87}"#,
            ),
            (
                Reason::OcrConfirmed {
                    confidence: 61,
                    sums: 2,
                },
                r#"{"code":"ocr_confirmed","ocr_confidence":61,"sums":2}"#,
            ),
        ];
        for (reason, lean) in &cases {
            let written = |detail| serde_json::to_string(&ReasonOut(reason, detail)).unwrap();
            assert_eq!(written(Detail::Lean), *lean, "{reason:?}");
            let texts = format!(
                r#","zh":{},"en":{}}}"#,
                Json::from(reason.zh()),
                Json::from(reason.en())
            );
            let explained = format!("{}{texts}", &lean[..lean.len() - 1]);
            assert_eq!(written(Detail::Explained), explained, "{reason:?}");
        }
    }
}
