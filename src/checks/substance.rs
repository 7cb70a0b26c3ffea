//! Whether a report is a real report: tables mostly blank (`BLANKS-MANY`), nothing reported
//! (`REPORT-EMPTY`), a section 五 with nothing in it or a section 六 silent on fees
//! (`SECTION-THIN`), prose about another year's work (`PROSE-YEAR`). Their limits are
//! [`crate::rules::LIMITS`].

use super::{Finding, SECTION_NAMES, finding};
use crate::model::{Reason, Report, SectionProse, Value};
use crate::rules::{LIMITS, RuleId};
use crate::template::TableId;

/// The findings on the report's substance.
pub(super) fn findings(report: &Report, out: &mut Vec<Finding>) {
    blanks_many(report, out);
    report_empty(report, out);
    section_thin(report, out);
    prose_year(report, out);
}

/// A cell printed empty: blank, not zero.
fn is_blank(cell: &crate::model::Cell) -> bool {
    cell.value.is_none() && cell.reasons.contains(&Reason::Blank)
}

fn blanks_many(report: &Report, out: &mut Vec<Finding>) {
    const TABLES: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];
    // Each table's blank and all cells, counted in one pass over the report's cells (a pass a
    // table was a thirtieth of reading and checking a report); the blank cells are listed only
    // for a finding.
    let mut counts = [(0_usize, 0_usize); TABLES.len()];
    for (id, cell) in report.cells.iter() {
        let table = id.table();
        if let Some(k) = TABLES.iter().position(|&t| t == table) {
            counts[k].0 += usize::from(is_blank(cell));
            counts[k].1 += 1;
        }
    }
    for (table, (n, of)) in TABLES.into_iter().zip(counts) {
        if report.missing_tables.contains(&table) {
            continue;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a table has a few hundred cells"
        )]
        let share = n as f64 / of.max(1) as f64;
        if share > LIMITS.blank_share {
            let blank = report
                .cells
                .iter()
                .filter(|(id, c)| id.table() == table && is_blank(c))
                .map(|(id, _)| *id)
                .collect();
            out.push(finding(
                RuleId::BlanksMany,
                blank,
                format!(
                    "{}共{of}格，其中{n}格空白（空白不是0）：表格大部分未填写",
                    table.zh()
                ),
                format!(
                    "{}: {n} of its {of} cells are blank (blank is not zero): the table is mostly unfilled",
                    table.en()
                ),
            ));
        }
    }
}

/// A count, change or amount of nothing.
fn is_zero(value: Value) -> bool {
    match value {
        Value::Amount(a) => a.fen == 0,
        other => other.as_integer() == Some(0),
    }
}

/// Characters written in a section, 0 when it was not found.
fn chars_of(report: &Report, number: u8) -> usize {
    section(report, number).map_or(0, |s| s.chars)
}

fn section(report: &Report, number: u8) -> Option<&SectionProse> {
    report.meta.sections.iter().find(|s| s.number == number)
}

fn report_empty(report: &Report, out: &mut Vec<Finding>) {
    let found = &report.meta.sections;
    // Sections 二 to 四 hold the tables; what counts is whether anything is written beside them.
    let headings_only =
        found.len() >= 3 && found.iter().all(|s| s.chars < LIMITS.heading_only_chars);
    let nothing_counted = !report.cells.is_empty()
        && report
            .cells
            .values()
            .all(|c| c.value.is_some_and(is_zero) || is_blank(c));
    // The prose is judged only where a section of prose was found: without its heading, how
    // much the report says is not known.
    let measured = [1, 5, 6].iter().any(|&n| section(report, n).is_some());
    let prose = chars_of(report, 1) + chars_of(report, 5) + chars_of(report, 6);
    // Nothing counted and nothing said is the fuller sentence; figures under bare headings
    // the other.
    if nothing_counted && measured && prose < LIMITS.empty_prose_chars {
        out.push(finding(
            RuleId::ReportEmpty,
            Vec::new(),
            format!(
                "各表所有单元格均为0或空白，且第一、五、六部分共{prose}字（少于{}字）：报告几乎没有内容",
                LIMITS.empty_prose_chars
            ),
            format!(
                "every table cell is 0 or blank and sections 1, 5 and 6 say {prose} characters (under {}): the report says next to nothing",
                LIMITS.empty_prose_chars
            ),
        ));
    } else if headings_only {
        out.push(finding(
            RuleId::ReportEmpty,
            Vec::new(),
            format!("报告的{}个部分都只有标题，没有内容", found.len()),
            format!("the report's {} sections are headings only", found.len()),
        ));
    }
}

/// What a thin section 五 says, for the message: all of it, or its start.
fn quoted(text: &str) -> String {
    let mut quoted: String = text.chars().take(30).collect();
    if text.chars().count() > 30 {
        quoted.push('…');
    }
    quoted
}

fn section_thin(report: &Report, out: &mut Vec<Finding>) {
    let (five_zh, five_en) = SECTION_NAMES[4];
    if let Some(five) = section(report, 5)
        && five.sentences <= 1
        && five.chars < LIMITS.thin_chars
    {
        let said = if five.chars == 0 {
            ("没有内容".to_owned(), "is empty".to_owned())
        } else {
            let q = quoted(&five.text);
            (
                format!("只有一句：“{q}”"),
                format!("is one sentence: “{q}”"),
            )
        };
        out.push(finding(
            RuleId::SectionThin,
            Vec::new(),
            format!("第五部分“{five_zh}”{}，未说明存在的问题和改进措施", said.0),
            format!(
                "section 5 “{five_en}” {}, naming no problem and no improvement",
                said.1
            ),
        ));
    }
    let (six_zh, six_en) = SECTION_NAMES[5];
    if let (Some(six), Some(year)) = (section(report, 6), report.meta.year)
        && year >= LIMITS.fees_stated_from
        && !six
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .contains("信息处理费")
    {
        out.push(finding(
            RuleId::SectionThin,
            Vec::new(),
            format!("第六部分“{six_zh}”未说明收取信息处理费情况"),
            format!("section 6 “{six_en}” does not state whether information processing fees were charged"),
        ));
    }
}

fn prose_year(report: &Report, out: &mut Vec<Finding>) {
    let Some(year) = report.meta.year else {
        return;
    };
    let named = &report.meta.years_named;
    let own = named.get(&year).copied().unwrap_or(0);
    let others: Vec<(u16, u32)> = named
        .iter()
        .filter(|&(&y, _)| y != year && y != year + 1)
        .map(|(&y, &n)| (y, n))
        .collect();
    let other: u32 = others.iter().map(|&(_, n)| n).sum();
    if other >= LIMITS.other_year_mentions && other > own {
        let list_zh: Vec<String> = others.iter().map(|(y, n)| format!("{y}年{n}次")).collect();
        let list_en: Vec<String> = others.iter().map(|(y, n)| format!("{y} {n}×")).collect();
        out.push(finding(
            RuleId::ProseYear,
            Vec::new(),
            format!(
                "{year}年度报告的正文多次提到其他年份（{}），多于本年度（{own}次）：可能沿用了其他年度的报告",
                list_zh.join("，")
            ),
            format!(
                "the prose of a {year} report names other years ({}) more often than {year} ({own}×): it may be another year's report",
                list_en.join(", ")
            ),
        ));
    }
}
