//! The reviewer's changes to a report, as a table in the main pane (Ctrl+D): each cell changed,
//! as read and now, why, who and when.

use egui::{RichText, Ui};

use super::{printable, theme};
use crate::app::Settings;
use crate::app::i18n::texts;
use crate::app::review::Review;
use crate::record::ChangeKind;

/// The values the reviewer changed, one row each: the cell by its printed label, as read, now,
/// why, who and when (in the reviewer's time zone). Shown in the main pane in place of the
/// source, so it covers nothing the reviewer needs.
pub fn show(ui: &mut Ui, review: &Review, settings: &Settings) {
    let lang = settings.lang;
    let t = texts(lang);
    let changes = review.record.changes();
    let confirmed = review.record.confirmed();
    if changes.is_empty() {
        ui.label(t.changes_none);
    }
    if confirmed > 0 {
        ui.label(format!("{confirmed} {}", t.changes_confirmed));
    }
    if changes.is_empty() {
        return;
    }
    let zone = crate::time::zone_name(settings.utc_offset_minutes);
    let shown =
        |v: Option<crate::model::Value>| v.map_or_else(|| t.blank.to_owned(), |v| v.to_string());
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
    let when = format!("{} ({zone})", t.change_when);
    // The cell's label takes what the other columns leave and is cut short (whole on hover), so
    // the values, the kind, who and when are always in view.
    egui_extras::TableBuilder::new(ui)
        .id_salt("nianbao.changes")
        .striped(true)
        .column(egui_extras::Column::remainder().at_least(160.0).clip(true))
        .columns(egui_extras::Column::auto(), 5)
        .header(row_height, |mut header| {
            for title in [
                t.change_cell,
                t.change_read,
                t.change_now,
                t.change_kind,
                t.change_who,
                &when,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, changes.len(), |mut row| {
                let change = &changes[row.index()];
                row.col(|ui| {
                    ui.add(egui::Label::new(change.cell.label(lang)).truncate())
                        .on_hover_text(format!(
                            "{} ({})",
                            change.cell.label(lang),
                            change.cell.as_str()
                        ));
                });
                row.col(|ui| {
                    ui.label(shown(change.read_as));
                });
                row.col(|ui| {
                    let now = RichText::new(shown(change.now));
                    ui.label(if change.stale {
                        now.strikethrough()
                    } else {
                        now
                    });
                });
                row.col(|ui| {
                    let kind = lang.pick(change.kind.zh(), change.kind.en());
                    let kind = if change.note.is_empty() {
                        kind.to_owned()
                    } else {
                        format!("{kind}：{}", change.note)
                    };
                    let color = if change.kind == ChangeKind::SourceWrong {
                        theme::ERROR_TEXT
                    } else {
                        theme::INK
                    };
                    ui.label(RichText::new(printable(ui.ctx(), &kind)).color(color));
                });
                row.col(|ui| {
                    ui.label(&change.reviewer);
                });
                row.col(|ui| {
                    ui.label(change.time.local(settings.utc_offset_minutes));
                });
            });
        });
}
