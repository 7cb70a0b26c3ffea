//! The totals page: the region's totals (汇总) of a year laid out like the three printed
//! tables, each total that some report left blank shaded with how many did, the arithmetic on
//! the totals, the reports that went in and those left out with why, and the export.

use egui::{RichText, Ui};

use super::{printable, theme};
use crate::app::exports::Export;
use crate::app::i18n::folder_texts;
use crate::app::{AppState, Command};
use crate::lang::Lang;
use crate::template::{TableId, section_heading};
use crate::totals::{Total, Totals};

/// Draws the page.
pub fn show(ui: &mut Ui, state: &AppState, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    ui.heading(f.totals_title);
    if state.queue.root.is_none() {
        ui.label(f.nothing_open);
        return;
    }
    let Some(shown) = &state.totals else {
        ui.label(f.totals_making);
        return;
    };
    let totals = match &shown.totals {
        Err(e) => {
            ui.label(RichText::new(printable(ui.ctx(), e)).color(theme::ERROR_TEXT));
            return;
        }
        Ok(None) => {
            ui.label(f.totals_none);
            return;
        }
        Ok(Some(totals)) => totals,
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(f.totals_year);
        let mut years: Vec<u16> = shown.choices.iter().map(|(y, _, _)| *y).collect();
        years.dedup();
        for year in years {
            if ui
                .add(egui::Button::selectable(
                    totals.year == year,
                    year.to_string(),
                ))
                .clicked()
                && totals.year != year
            {
                out.push(Command::TotalsOf(year));
            }
        }
        ui.separator();
        ui.label(format!(
            "{}{} · {} {} · {} {}",
            totals.layout.t2.as_str(),
            lang.pick("年版", " edition"),
            f.totals_included,
            totals.included.len(),
            f.totals_excluded,
            totals.excluded.len()
        ));
        if ui.button(f.export_totals).clicked() {
            out.push(Command::SaveAs(Export::Totals(Some(totals.year))));
        }
    });
    if totals.findings.is_empty() {
        ui.label(RichText::new(f.totals_arithmetic_holds).color(theme::OK_TEXT));
    } else {
        ui.label(RichText::new(f.totals_arithmetic_fails).color(theme::ERROR_TEXT));
        for finding in &totals.findings {
            ui.label(
                RichText::new(format!("• {}", finding.message(lang))).color(theme::ERROR_TEXT),
            );
        }
    }
    if totals.cells.values().any(|t| t.blanks > 0) {
        ui.label(
            RichText::new(f.totals_short)
                .background_color(theme::LOW_CONFIDENCE)
                .color(theme::INK),
        );
    }
    egui::ScrollArea::both()
        .id_salt("totals")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for table in [TableId::T2, TableId::T3, TableId::T4] {
                ui.add_space(6.0);
                ui.strong(section_heading(table));
                grid(ui, totals, table, lang);
            }
            ui.add_space(8.0);
            reports(ui, totals, lang);
        });
}

/// A total as shown: its value, and how many reports left it blank.
fn total_text(total: Option<&Total>, lang: Lang) -> RichText {
    let f = folder_texts(lang);
    let total = total.copied().unwrap_or_default();
    let value = total.sum.map_or_else(String::new, |v| v.to_string());
    if total.blanks > 0 {
        RichText::new(format!("{value}（{}{}）", f.totals_blanks, total.blanks))
            .background_color(theme::LOW_CONFIDENCE)
            .color(theme::INK)
    } else {
        RichText::new(value).color(theme::INK)
    }
}

/// One table's totals in its printed rows and columns.
fn grid(ui: &mut Ui, totals: &Totals, table: TableId, lang: Lang) {
    let rows = totals.layout.rows(table);
    egui::Grid::new(("totals grid", table))
        .striped(true)
        .min_col_width(56.0)
        .show(ui, |ui| {
            let mut columns: Option<*const _> = None;
            for row in rows {
                // A header row wherever the columns change (表二's items of article 20).
                if columns != Some(std::ptr::from_ref(row.columns)) {
                    ui.label("");
                    for column in row.columns {
                        ui.label(RichText::new(lang.pick(column.zh, column.en)).strong());
                    }
                    ui.end_row();
                    columns = Some(std::ptr::from_ref(row.columns));
                }
                ui.label(lang.pick(row.zh, row.en));
                for id in row.cell_ids(table).iter() {
                    ui.label(total_text(totals.cells.get(id), lang));
                }
                ui.end_row();
            }
        });
}

/// The reports in the totals, and those left out with why.
fn reports(ui: &mut Ui, totals: &Totals, lang: Lang) {
    let f = folder_texts(lang);
    egui::CollapsingHeader::new(format!(
        "{}（{}）",
        f.totals_included,
        totals.included.len()
    ))
    .id_salt("totals included")
    .show(ui, |ui| {
        for report in &totals.included {
            let who = report.organization.as_deref().unwrap_or("");
            ui.label(printable(
                ui.ctx(),
                &format!("{} · {who}", report.file_name),
            ));
        }
    });
    egui::CollapsingHeader::new(format!(
        "{}（{}）",
        f.totals_excluded,
        totals.excluded.len()
    ))
    .id_salt("totals excluded")
    .default_open(true)
    .show(ui, |ui| {
        for report in &totals.excluded {
            let why = lang
                .pick(&report.reason_zh(), &report.reason_en())
                .to_owned();
            ui.label(printable(
                ui.ctx(),
                &format!("{} · {why}", report.file_name),
            ));
        }
    });
}
