//! The totals as an XLSX workbook in the template's own layout: one sheet per table with its
//! printed headers (merged as printed) and row labels, then a sheet of the reports that went in
//! and those left out, with why. A total some report left blank is shaded, and the blanks are
//! listed under its table: blank is not zero, and the office must see where a total is short.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{Total, Totals};
use crate::export::neutralise;
use crate::model::Value;
use crate::template::{CellId, RowDef, RowRole, T2_ARTICLES, TableId, section_heading};

/// Formats of the workbook.
struct Styles {
    title: Format,
    header: Format,
    label: Format,
    number: Format,
    amount: Format,
    short: Format,
    short_amount: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            header: boxed
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            label: boxed.clone().set_text_wrap(),
            number: boxed.clone().set_num_format("0"),
            amount: boxed.clone().set_num_format("0.0000"),
            short: boxed
                .clone()
                .set_num_format("0")
                .set_background_color("FFF2CC"),
            short_amount: boxed
                .set_num_format("0.0000")
                .set_background_color("FFF2CC"),
            note: Format::new().set_italic(),
        }
    }
}

/// The workbook's bytes.
///
/// # Errors
/// When the workbook cannot be built.
pub fn xlsx_bytes(totals: &Totals) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    for table in [TableId::T2, TableId::T3, TableId::T4] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.zh())?;
        let title = format!(
            "{}年度政府信息公开工作年度报告汇总（{}年版，{}份报告）",
            totals.year,
            totals.layout.t2.as_str(),
            totals.included.len(),
        );
        sheet.write_string_with_format(0, 0, &title, &styles.title)?;
        sheet.write_string_with_format(1, 0, section_heading(table), &styles.title)?;
        // Printed as an office prints it: landscape, each table one page wide.
        sheet.set_landscape();
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        let next = match table {
            TableId::T2 => table_two(sheet, totals, &styles)?,
            TableId::T3 => table_three(sheet, totals, &styles)?,
            TableId::T4 => table_four(sheet, totals, &styles)?,
        };
        blanks_note(sheet, totals, table, next + 1, &styles)?;
        if table == TableId::T3 {
            sheet.set_column_width(0, 8)?;
            sheet.set_column_width(1, 14)?;
            sheet.set_column_width(2, 52)?;
            sheet.set_column_range_width(3, 9, 10)?;
        } else if table == TableId::T2 {
            sheet.set_column_width(0, 22)?;
            sheet.set_column_range_width(1, 3, 16)?;
        } else {
            sheet.set_column_range_width(0, 14, 9)?;
        }
    }
    reports_sheet(workbook.add_worksheet(), totals, &styles)?;
    workbook.save_to_buffer()
}

/// Writes a total: a number (an amount in 万元), shaded where some report left it blank; an
/// empty cell where every report did.
fn write_total(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    total: Option<&Total>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let total = total.copied().unwrap_or_default();
    let short = total.blanks > 0;
    let (number, amount) = if short {
        (&styles.short, &styles.short_amount)
    } else {
        (&styles.number, &styles.amount)
    };
    match total.sum {
        #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
        Some(Value::Count(n)) => sheet.write_number_with_format(row, col, n as f64, number)?,
        #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
        Some(Value::Change(n)) => sheet.write_number_with_format(row, col, n as f64, number)?,
        Some(Value::Amount(a)) => sheet.write_number_with_format(row, col, a.wan_yuan(), amount)?,
        None => sheet.write_blank(row, col, number)?,
    };
    Ok(())
}

/// 表二: a block per item of article 20, each with its own header row, as printed. Returns the
/// next free row.
fn table_two(sheet: &mut Worksheet, totals: &Totals, styles: &Styles) -> Result<u32, XlsxError> {
    let mut at = 3_u32;
    let mut article: Option<&str> = None;
    for row in totals.layout.rows(TableId::T2) {
        let this = T2_ARTICLES
            .iter()
            .find(|(key, _)| *key == row.key)
            .map(|(_, a)| *a);
        let columns = u16::try_from(row.columns.len()).unwrap_or(u16::MAX);
        if this != article {
            let last = columns.max(1);
            sheet.merge_range(at, 0, at, last, this.unwrap_or(""), &styles.header)?;
            at += 1;
            sheet.write_string_with_format(at, 0, "信息内容", &styles.header)?;
            for (k, column) in (1_u16..).zip(row.columns) {
                sheet.write_string_with_format(at, k, column.zh, &styles.header)?;
            }
            at += 1;
            article = this;
        }
        sheet.write_string_with_format(at, 0, row.zh, &styles.label)?;
        for (k, id) in (1_u16..).zip(row.cell_ids(TableId::T2).iter().copied()) {
            write_total(sheet, at, k, totals.cells.get(&id), styles)?;
        }
        at += 1;
    }
    Ok(at)
}

/// A 表三 row's printed labels: the part (一 … 四), the group of results （一）…（七） and the item
/// under it (1. … ), where it has them.
fn t3_labels(row: &RowDef) -> (Option<&'static str>, &'static str, Option<&'static str>) {
    let in_results = matches!(row.role, RowRole::Result(_) | RowRole::ResultsTotal);
    let part = in_results.then_some("三、本年度办理结果");
    match row.zh.split_once(' ') {
        Some((group, item)) => (part, group, Some(item)),
        None => (part, row.zh, None),
    }
}

/// 表三 with its two header rows (法人或其他组织 over its five columns) and its labels in three
/// columns, merged down where a label covers several rows. Returns the next free row.
fn table_three(sheet: &mut Worksheet, totals: &Totals, styles: &Styles) -> Result<u32, XlsxError> {
    let rows = totals.layout.rows(TableId::T3);
    let Some(first) = rows.first() else {
        return Ok(3);
    };
    let columns = first.columns;
    let (top, sub) = (3_u32, 4_u32);
    sheet.merge_range(
        top,
        0,
        sub + 1,
        2,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        &styles.label,
    )?;
    let last = 2 + u16::try_from(columns.len()).unwrap_or(u16::MAX);
    sheet.merge_range(top, 3, top, last, "申请人情况", &styles.header)?;
    let organisations = columns.len().saturating_sub(2);
    for (k, column) in (3_u16..).zip(columns) {
        let is_org = (1..=organisations).contains(&usize::from(k - 3));
        if is_org {
            sheet.write_string_with_format(sub + 1, k, column.zh, &styles.header)?;
        } else {
            sheet.merge_range(sub, k, sub + 1, k, column.zh, &styles.header)?;
        }
    }
    if organisations > 0 {
        let end = 3 + u16::try_from(organisations).unwrap_or(u16::MAX);
        sheet.merge_range(sub, 4, sub, end, "法人或其他组织", &styles.header)?;
    }
    let start = sub + 2;
    let labels: Vec<_> = rows.iter().map(|r| t3_labels(r)).collect();
    let mut at = start;
    for (k, row) in rows.iter().enumerate() {
        let (part, group, item) = labels[k];
        for (c, id) in (3_u16..).zip(row.cell_ids(TableId::T3).iter().copied()) {
            write_total(sheet, at, c, totals.cells.get(&id), styles)?;
        }
        // A label is written once, over every row it covers.
        let span = |pick: &dyn Fn(usize) -> Option<&'static str>| {
            labels[k..]
                .iter()
                .enumerate()
                .take_while(|(j, _)| pick(k + j) == pick(k))
                .count()
        };
        let starts =
            |pick: &dyn Fn(usize) -> Option<&'static str>| k == 0 || pick(k - 1) != pick(k);
        let part_of = |j: usize| labels[j].0;
        let group_of = |j: usize| Some(labels[j].1).filter(|_| labels[j].0.is_some());
        match (part, item) {
            (None, _) => {
                sheet.merge_range(at, 0, at, 2, group, &styles.label)?;
            }
            (Some(part), item) => {
                if starts(&part_of) {
                    let n = u32::try_from(span(&part_of)).unwrap_or(1);
                    merge_or_write(sheet, at, 0, at + n - 1, 0, part, styles)?;
                }
                match item {
                    None => sheet
                        .merge_range(at, 1, at, 2, group, &styles.label)
                        .map(|_| ())?,
                    Some(item) => {
                        if starts(&group_of) {
                            let n = u32::try_from(span(&group_of)).unwrap_or(1);
                            merge_or_write(sheet, at, 1, at + n - 1, 1, group, styles)?;
                        }
                        sheet.write_string_with_format(at, 2, item, &styles.label)?;
                        // A label longer than its column wraps onto a second line.
                        if item.chars().count() > 26 {
                            sheet.set_row_height(at, 30)?;
                        }
                    }
                }
            }
        }
        at += 1;
    }
    Ok(at)
}

/// Merges a range of more than one cell, or writes the one cell.
fn merge_or_write(
    sheet: &mut Worksheet,
    first_row: u32,
    first_col: u16,
    last_row: u32,
    last_col: u16,
    text: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if first_row == last_row && first_col == last_col {
        sheet.write_string_with_format(first_row, first_col, text, &styles.label)?;
    } else {
        sheet.merge_range(
            first_row,
            first_col,
            last_row,
            last_col,
            text,
            &styles.label,
        )?;
    }
    Ok(())
}

/// 表四: 行政复议 over its five columns, 行政诉讼 over its two kinds of five, one row of values.
/// Returns the next free row.
fn table_four(sheet: &mut Worksheet, totals: &Totals, styles: &Styles) -> Result<u32, XlsxError> {
    let rows = totals.layout.rows(TableId::T4);
    let (top, mid, low, values) = (3_u32, 4_u32, 5_u32, 6_u32);
    let mut col = 0_u16;
    let suits: u16 = rows
        .iter()
        .filter(|r| r.role == RowRole::Suit)
        .map(|r| u16::try_from(r.columns.len()).unwrap_or(0))
        .sum();
    for row in &rows {
        let width = u16::try_from(row.columns.len()).unwrap_or(0);
        let Some(last) = (col + width).checked_sub(1) else {
            continue;
        };
        if row.role == RowRole::Review {
            sheet.merge_range(top, col, mid, last, row.zh, &styles.header)?;
        } else {
            if col > 0
                && rows
                    .iter()
                    .take_while(|r| r.key != row.key)
                    .all(|r| r.role != RowRole::Suit)
            {
                sheet.merge_range(top, col, top, col + suits - 1, "行政诉讼", &styles.header)?;
            }
            let kind = row
                .zh
                .trim_start_matches("行政诉讼")
                .trim_matches(['（', '）']);
            sheet.merge_range(mid, col, mid, last, kind, &styles.header)?;
        }
        for (k, (column, id)) in (col..).zip(
            row.columns
                .iter()
                .zip(row.cell_ids(TableId::T4).iter().copied()),
        ) {
            sheet.write_string_with_format(low, k, column.zh, &styles.header)?;
            write_total(sheet, values, k, totals.cells.get(&id), styles)?;
        }
        col += width;
    }
    Ok(values + 1)
}

/// Under a table: which totals some reports left blank, and the arithmetic that fails on them.
fn blanks_note(
    sheet: &mut Worksheet,
    totals: &Totals,
    table: TableId,
    mut at: u32,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let short: Vec<(CellId, &Total)> = totals
        .cells
        .iter()
        .filter(|(id, t)| id.table() == table && t.blanks > 0)
        .map(|(id, t)| (*id, t))
        .collect();
    if short.is_empty() {
        sheet.write_string_with_format(
            at,
            0,
            "本表各格在所有纳入的报告中均有数值。",
            &styles.note,
        )?;
        at += 1;
    } else {
        sheet.write_string_with_format(
            at,
            0,
            "底色标出的合计：有报告此格空白（空白未计为0，合计只含填写了数值的报告）：",
            &styles.note,
        )?;
        at += 1;
        for (id, total) in short {
            let line = format!(
                "{}：{}份报告空白，{}份报告有数值",
                id.label_zh(),
                total.blanks,
                total.counted
            );
            sheet.write_string(at, 0, &line)?;
            at += 1;
        }
    }
    for finding in totals
        .findings
        .iter()
        .filter(|f| f.cells.iter().any(|c| c.table() == table))
    {
        sheet.write_string(
            at,
            0,
            format!("合计的勾稽关系不成立：{}", finding.message_zh),
        )?;
        at += 1;
    }
    Ok(())
}

/// The reports that went in, and those left out with why.
fn reports_sheet(sheet: &mut Worksheet, totals: &Totals, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("纳入情况")?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    for (col, header) in (0_u16..).zip(["文件", "单位", "是否纳入", "说明"]) {
        sheet.write_string_with_format(0, col, header, &styles.header)?;
    }
    let mut at = 1_u32;
    let safe = |text: &str| neutralise(text).into_owned();
    for report in &totals.included {
        sheet.write_string(at, 0, safe(&report.file_name))?;
        sheet.write_string(at, 1, safe(report.organization.as_deref().unwrap_or("")))?;
        sheet.write_string(at, 2, "纳入")?;
        sheet.write_string(at, 3, format!("审核人：{}", report.approved_by))?;
        at += 1;
    }
    for report in &totals.excluded {
        sheet.write_string(at, 0, safe(&report.file_name))?;
        sheet.write_string(at, 1, safe(report.organization.as_deref().unwrap_or("")))?;
        sheet.write_string(at, 2, "未纳入")?;
        sheet.write_string(at, 3, report.reason_zh())?;
        at += 1;
    }
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 10)?;
    sheet.set_column_width(3, 60)?;
    Ok(())
}
