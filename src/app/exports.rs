//! What the window writes for the office from the folder's approved records — the records, the
//! problem list, the totals, the letters — and straight-through approval of the clean reports,
//! each run off the window's thread and ending in a message that says what was written where.

use std::path::Path;

use super::Message;
use crate::export::{Headers, approved_records, problems, wide, write_table};
use crate::lang::{Lang, Localized as _};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// The approved records, one row per report (the format from the file's extension).
    Records,
    /// The problem list (问题清单).
    Problems,
    /// The region's totals of a year (the latest when `None`), as XLSX.
    Totals(Option<u16>),
    /// A letter to each body, into a folder.
    Letters,
}

impl Export {
    /// The file name offered in the save dialog.
    #[must_use]
    pub fn default_name(self) -> &'static str {
        match self {
            Export::Records => "审核结果.xlsx",
            Export::Problems => "问题清单.xlsx",
            Export::Totals(_) => "汇总.xlsx",
            Export::Letters => "问题函",
        }
    }

    /// Whether it is written into a folder rather than a file.
    #[must_use]
    pub fn to_folder(self) -> bool {
        self == Export::Letters
    }
}

fn done(text: String) -> Message {
    Message {
        text,
        is_error: false,
    }
}

fn failed(text: String) -> Message {
    Message {
        text,
        is_error: true,
    }
}

/// Writes `what` from the approved records under `folder` to `to` (letters dated in the zone
/// `utc_offset_minutes` east of UTC); the message says what was written, what was left out, or
/// why nothing was.
#[must_use]
pub fn write(
    what: Export,
    folder: &Path,
    to: &Path,
    lang: Lang,
    utc_offset_minutes: i32,
) -> Message {
    let shown = to.display();
    match what {
        Export::Records | Export::Problems => {
            let approvals = match approved_records(folder) {
                Ok(a) => a,
                Err(e) => return failed(e.text(lang)),
            };
            let (table, sheet) = if what == Export::Records {
                (wide(&approvals.included, Headers::Chinese), "审核结果")
            } else {
                (problems(&approvals.included), "问题清单")
            };
            match write_table(&table, to, sheet) {
                Ok(_) => done(lang.pick(
                    &format!(
                        "已写入 {shown}：{}行，来自{}份已通过的报告；{}份审核通过已失效，未导出",
                        table.rows.len(),
                        approvals.included.len(),
                        approvals.left_out.len()
                    ),
                    &format!(
                        "Wrote {shown}: {} rows from {} approved reports; {} approvals no longer hold and were left out",
                        table.rows.len(),
                        approvals.included.len(),
                        approvals.left_out.len()
                    ),
                )
                .to_owned()),
                Err(e) => failed(e.to_string()),
            }
        }
        Export::Totals(year) => {
            let totals = match crate::totals::totals(folder, year) {
                Ok(Some(t)) => t,
                Ok(None) => {
                    return failed(
                        lang.pick(
                            "没有通过审核的报告，无法汇总",
                            "No approved report to total",
                        )
                        .to_owned(),
                    );
                }
                Err(e) => return failed(e.text(lang)),
            };
            let written = crate::totals::xlsx_bytes(&totals)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    crate::store::write_atomic(to, &bytes).map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => done(lang.pick(
                    &format!(
                        "已写入 {shown}：{}年度汇总，纳入{}份报告，未纳入{}份（见“纳入情况”表）",
                        totals.year,
                        totals.included.len(),
                        totals.excluded.len()
                    ),
                    &format!(
                        "Wrote {shown}: the totals of {} from {} reports; {} left out (see the sheet 纳入情况)",
                        totals.year,
                        totals.included.len(),
                        totals.excluded.len()
                    ),
                )
                .to_owned()),
                Err(e) => failed(format!("{shown}: {e}")),
            }
        }
        Export::Letters => {
            let date = crate::time::Timestamp::now().local_date(utc_offset_minutes);
            match crate::letters::write_letters(folder, to, &date) {
                Ok(written) => done(letters_written(&written, &shown.to_string(), lang)),
                Err(e) => failed(e.text(lang)),
            }
        }
    }
}

/// What the window says of letters written into `shown`: how many, what was left out, and why
/// any report's problems go without pictures.
fn letters_written(written: &crate::letters::Written, shown: &str, lang: Lang) -> String {
    let mut text = lang
        .pick(
            &format!(
                "已在 {shown} 写入{}份问题函；{}份已通过的报告没有问题；{}份审核通过已失效，未写入",
                written.files.len(),
                written.without_problems,
                written.left_out.len()
            ),
            &format!(
                "Wrote {} letters into {shown}; {} approved reports have no problem; {} approvals no longer hold and were left out",
                written.files.len(),
                written.without_problems,
                written.left_out.len()
            ),
        )
        .to_owned();
    if let Some(first) = written.without_pictures.first() {
        text.push_str(lang.pick(
            &format!(
                "；{}份报告的问题未附页面截图（{}）",
                written.without_pictures.len(),
                first.zh()
            ),
            &format!(
                "; the problems of {} reports go without pictures of the page ({})",
                written.without_pictures.len(),
                first.en()
            ),
        ));
    }
    text
}

/// Approves every report under `folder` with nothing to look at (the rule of
/// `nianbao approve --auto`), under `reviewer`'s name; the message counts what was done.
#[must_use]
pub fn approve_clean(folder: &Path, reviewer: &str, lang: Lang) -> Message {
    match crate::batch::auto_approve(folder, reviewer, crate::time::Timestamp::now()) {
        Ok(run) => {
            let text = lang.pick(
                &format!(
                    "以“{reviewer}”的名义通过了{}份无问题报告；{}份留待人工审核；{}份已有审核记录，未改动；{}份出错",
                    run.approved.len(),
                    run.left.len(),
                    run.kept.len(),
                    run.failed.len()
                ),
                &format!(
                    "Approved {} clean reports under the name “{reviewer}”; {} left for review; {} already had a record and were left alone; {} failed",
                    run.approved.len(),
                    run.left.len(),
                    run.kept.len(),
                    run.failed.len()
                ),
            )
            .to_owned();
            Message {
                text,
                is_error: !run.failed.is_empty(),
            }
        }
        Err(e) => failed(e.text(lang)),
    }
}
