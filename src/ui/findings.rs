//! The findings: every failed rule in its auditor sentence, clicking one selects its cells; the
//! repair suggestions with a button to take them; a note for each error, which approval needs.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::theme;
use crate::app::Command;
use crate::app::i18n::texts;
use crate::app::review::Review;
use crate::lang::Lang;
use crate::record::{ChangeKind, finding_key};
use crate::rules::Severity;

/// Draws the findings; `drafts` holds notes being typed, by finding key.
pub fn show(
    ui: &mut Ui,
    review: &Review,
    lang: Lang,
    drafts: &mut BTreeMap<String, String>,
    out: &mut Vec<Command>,
) {
    let t = texts(lang);
    ui.strong(format!("{}（{}）", t.findings, review.findings.len()));
    if review.unchecked > 0 {
        ui.label(
            RichText::new(format!("{} {}", review.unchecked, t.unchecked))
                .color(theme::WARNING_TEXT),
        );
    } else if review.findings.is_empty() {
        ui.label(RichText::new(t.all_hold).color(theme::OK_TEXT));
    }
    if review.findings.is_empty() && review.across_years.is_empty() {
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            across_years(ui, review, lang, out);
            for finding in &review.findings {
                let key = finding_key(finding);
                let (mark, color) = match finding.severity {
                    Severity::Error => (
                        format!("{} {}", theme::MARK_FAILED, t.errors),
                        theme::ERROR_TEXT,
                    ),
                    Severity::Warning => (t.warnings.to_owned(), theme::WARNING_TEXT),
                };
                let text = finding.message(lang);
                let line = format!(
                    "[{mark}] {} {}",
                    finding.rule.code(),
                    super::printable(ui.ctx(), text)
                );
                if ui
                    .add(egui::Button::selectable(false, RichText::new(line).color(color)).wrap())
                    .clicked()
                {
                    out.push(Command::SelectFinding(finding.cells.clone()));
                }
                for suggestion in &finding.suggestions {
                    suggestion_line(ui, review, suggestion, lang, out);
                }
                if finding.severity == Severity::Error {
                    let saved = review.note(finding).cloned().unwrap_or_default();
                    let draft = drafts.entry(key.clone()).or_insert_with(|| saved.clone());
                    ui.horizontal(|ui| {
                        ui.add_space(16.0);
                        let label = ui.label(t.note);
                        let edit = ui
                            .add(
                                egui::TextEdit::singleline(draft)
                                    .hint_text(t.note_hint)
                                    .interactive(!review.is_approved())
                                    .desired_width(320.0),
                            )
                            .labelled_by(label.id);
                        let changed = *draft != saved;
                        let enter =
                            edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if (ui
                            .add_enabled(changed, egui::Button::new(t.save_note))
                            .clicked()
                            || enter)
                            && changed
                        {
                            out.push(Command::SetNote {
                                finding: key.clone(),
                                note: draft.clone(),
                            });
                        }
                    });
                }
                ui.add_space(4.0);
            }
        });
}

/// The rules across years on the report: against last year's report of the body (named), and
/// whether its next report is missing from the folder.
fn across_years(ui: &mut Ui, review: &Review, lang: Lang, out: &mut Vec<Command>) {
    if review.across_years.is_empty() {
        return;
    }
    let f = crate::app::i18n::folder_texts(lang);
    let heading = match review.compared_with().and_then(|p| p.file_name()) {
        Some(name) => format!(
            "{}（{}）",
            f.cross_year,
            (f.compared_with)(&name.to_string_lossy())
        ),
        None => f.cross_year.to_owned(),
    };
    ui.label(RichText::new(super::printable(ui.ctx(), &heading)).strong());
    for finding in &review.across_years {
        let line = format!(
            "[{}] {} {}",
            texts(lang).warnings,
            finding.rule.code(),
            super::printable(ui.ctx(), finding.message(lang))
        );
        if ui
            .add(
                egui::Button::selectable(false, RichText::new(line).color(theme::WARNING_TEXT))
                    .wrap(),
            )
            .clicked()
        {
            out.push(Command::SelectFinding(finding.cells.clone()));
        }
    }
    ui.add_space(4.0);
}

/// A suggested value with its arithmetic and a button to take it.
fn suggestion_line(
    ui: &mut Ui,
    review: &Review,
    suggestion: &crate::repair::Suggestion,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let t = texts(lang);
    ui.horizontal_wrapped(|ui| {
        ui.add_space(16.0);
        ui.label(
            RichText::new(format!(
                "{} {} = {}",
                t.suggestion,
                suggestion.cell.label(lang),
                suggestion.value
            ))
            .strong(),
        )
        .on_hover_text(suggestion.cell.as_str());
        ui.label(super::printable(ui.ctx(), suggestion.why(lang)));
        let approved = review.is_approved();
        if ui
            .add_enabled(
                !approved,
                egui::Button::new(format!("{} {}", t.accept_value, suggestion.value)),
            )
            .clicked()
        {
            out.push(Command::AcceptSuggestion {
                cell: suggestion.cell,
                value: suggestion.value,
                kind: ChangeKind::Misread,
            });
        }
    });
}
