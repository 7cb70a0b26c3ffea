//! What the report says about itself: its year against its statistical period and edition,
//! the edition of each table, and the tables and sections it must have.

use super::{Finding, finding};
use crate::model::Report;
use crate::rules::RuleId;
use crate::template::Edition;

/// The metadata's disagreements and what is missing.
pub(super) fn findings(report: &Report, out: &mut Vec<Finding>) {
    let meta = &report.meta;
    if let (Some(year), Some(period)) = (meta.year, meta.period_year)
        && year != period
    {
        let text = meta.period_text.clone().unwrap_or_default();
        out.push(finding(
            RuleId::PeriodYear,
            Vec::new(),
            format!("报告标题为{year}年度，但统计期限写为“{text}”（{period}年）"),
            format!("the title says {year}, but the statistical period reads “{text}” ({period})"),
        ));
    }
    if let Some(year) = meta.year {
        let expected = Edition::for_year(year);
        if report.edition() != expected {
            out.push(finding(
                RuleId::EditionYear,
                Vec::new(),
                format!(
                    "{year}年度报告应使用{expected}年版模板，实际使用{}年版",
                    report.edition()
                ),
                format!(
                    "a {year} report should use the {expected} edition, but uses the {} edition",
                    report.edition()
                ),
            ));
        }
    }
    if report.layout.t2 != report.layout.t3_other {
        out.push(finding(
            RuleId::TemplateMixed,
            Vec::new(),
            format!(
                "表二为{}年版，而表三（六）其他处理为{}年版格式，模板版本混用",
                report.layout.t2, report.layout.t3_other
            ),
            format!(
                "table 2 follows the {} edition but table 3's （六） row follows the {} edition",
                report.layout.t2, report.layout.t3_other
            ),
        ));
    }
    for table in &report.missing_tables {
        out.push(finding(
            RuleId::SectionMissing,
            Vec::new(),
            format!("缺少{}", table.zh()),
            format!("{} is missing", table.en()),
        ));
    }
    for &section in &meta.missing_sections {
        let (zh, en) = SECTION_NAMES[usize::from(section.saturating_sub(1)).min(5)];
        out.push(finding(
            RuleId::SectionMissing,
            Vec::new(),
            format!(
                "找不到第{}部分“{zh}”",
                ["一", "二", "三", "四", "五", "六"][usize::from(section.saturating_sub(1)).min(5)]
            ),
            format!("section {section} “{en}” was not found"),
        ));
    }
}

/// The six sections of a report: Chinese heading, English name.
pub const SECTION_NAMES: [(&str, &str); 6] = [
    ("总体情况", "overview"),
    ("主动公开政府信息情况", "proactive disclosure"),
    ("收到和处理政府信息公开申请情况", "applications"),
    ("政府信息公开行政复议、行政诉讼情况", "reviews and lawsuits"),
    ("存在的主要问题及改进情况", "problems and improvements"),
    ("其他需要报告的事项", "other matters"),
];
