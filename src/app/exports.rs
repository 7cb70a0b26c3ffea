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
    // Each report without pictures named with its reason, up to a few (the command line names
    // every one).
    const NAMED: usize = 3;
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
    let refused = &written.without_pictures;
    if !refused.is_empty() {
        let mut named: Vec<String> = refused.iter().take(NAMED).map(|e| e.text(lang)).collect();
        let more = refused.len().saturating_sub(NAMED);
        if more > 0 {
            named.push(
                lang.pick(&format!("另{more}份"), &format!("{more} more"))
                    .to_owned(),
            );
        }
        let named = named.join(lang.pick("；", "; "));
        text.push_str(lang.pick(
            &format!("；{}份报告的问题未附页面截图（{named}）", refused.len()),
            &format!(
                "; the problems of {} reports go without pictures of the page ({named})",
                refused.len()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{ReadError, ReadErrorKind};

    /// Letters whose reports' pages could not be drawn: the window names the first three
    /// reports with their reason and counts the rest, in either language.
    #[test]
    fn the_letters_message_names_the_reports_without_pictures() {
        let refused = |n: usize| ReadError {
            path: format!("r{n}.pdf"),
            kind: ReadErrorKind::Io("gone".into()),
        };
        let mut written = crate::letters::Written {
            files: Vec::new(),
            without_problems: 0,
            left_out: Vec::new(),
            without_pictures: (1..=5).map(refused).collect(),
        };
        let zh = letters_written(&written, "函", Lang::Zh);
        assert!(zh.contains("5份报告的问题未附页面截图"), "{zh}");
        assert!(
            ["r1.pdf", "r2.pdf", "r3.pdf"]
                .iter()
                .all(|p| zh.contains(p)),
            "{zh}"
        );
        assert!(!zh.contains("r4.pdf") && zh.contains("另2份"), "{zh}");
        let en = letters_written(&written, "letters", Lang::En);
        assert!(en.contains("r3.pdf") && en.contains("; 2 more)"), "{en}");

        written.without_pictures.truncate(2);
        let en = letters_written(&written, "letters", Lang::En);
        assert!(
            en.contains("r1.pdf") && en.contains("r2.pdf") && !en.contains("more"),
            "{en}"
        );
        written.without_pictures.clear();
        let zh = letters_written(&written, "函", Lang::Zh);
        assert!(!zh.contains("截图"), "{zh}");
    }
}
