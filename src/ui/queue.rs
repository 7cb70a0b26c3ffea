//! The queue: the reports of the opened folder with their state, organization and year.

use egui::{Color32, RichText, Ui};

use super::theme;
use crate::app::Command;
use crate::app::i18n::{Texts, folder_texts, texts};
use crate::app::input::Action;
use crate::app::queue::{Queue, Sort, State, Status};
use crate::lang::Lang;
use crate::rules::RuleId;
use crate::template::Edition;

/// A short state for a queue entry, and its colour.
#[must_use]
pub fn status_text(status: &Status, t: &Texts) -> (String, Color32) {
    match status {
        Status::Pending => (t.pending.to_owned(), theme::MUTED),
        Status::Unreadable(_) => (t.unreadable.to_owned(), theme::ERROR_TEXT),
        Status::RecordUnreadable(_) => (t.record_unreadable.to_owned(), theme::ERROR_TEXT),
        Status::ApprovalDoubtful => (
            format!("{} {}", theme::MARK_FAILED, t.approval_doubtful),
            theme::ERROR_TEXT,
        ),
        Status::Approved { auto: true } => (
            format!("{} {}", theme::MARK_CONFIRMED, t.approved_auto),
            theme::OK_TEXT,
        ),
        Status::Approved { auto: false } => (
            format!("{} {}", theme::MARK_CONFIRMED, t.approved),
            theme::OK_TEXT,
        ),
        Status::Open {
            started,
            errors,
            warnings,
            to_look_at,
        } => {
            let mut parts = vec![if *started {
                t.in_progress.to_owned()
            } else {
                t.not_reviewed.to_owned()
            }];
            if *errors > 0 {
                parts.push(format!("{} {} {errors}", theme::MARK_FAILED, t.errors));
            }
            if *warnings > 0 {
                parts.push(format!("{} {warnings}", t.warnings));
            }
            if *to_look_at > 0 {
                parts.push(format!("{} {} {to_look_at}", theme::MARK_LOW, t.to_look_at));
            }
            if *errors == 0 && *warnings == 0 && *to_look_at == 0 {
                parts.push(t.no_problem.to_owned());
            }
            let color = if *errors > 0 {
                theme::ERROR_TEXT
            } else {
                theme::QUEUE_TEXT
            };
            (parts.join(" · "), color)
        }
    }
}

/// Draws the queue: its search, filters and order, then the reports shown; selecting one
/// becomes [`Command::SelectReport`], changing the view [`Command::SetView`].
pub fn show(
    ui: &mut Ui,
    queue: &Queue,
    current: Option<usize>,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let t = texts(lang);
    let f = folder_texts(lang);
    let shown = queue.shown();
    ui.strong(format!(
        "{}（{} {}/{}）",
        t.queue,
        f.shown_of,
        shown.len(),
        queue.entries.len()
    ));
    controls(ui, queue, lang, out);
    ui.separator();
    let width = ui.available_width();
    egui::ScrollArea::vertical()
        .id_salt("queue")
        .auto_shrink([false, false])
        .show_rows(ui, ENTRY_HEIGHT, shown.len(), |ui, range| {
            for &index in &shown[range] {
                let entry = &queue.entries[index];
                let (state, color) = status_text(&entry.status, t);
                let mut title = match (&entry.organization, entry.year) {
                    (Some(org), Some(year)) => format!("{org} {year}"),
                    (Some(org), None) => org.clone(),
                    _ => entry.file_name(),
                };
                // Reports of one body and year are told apart by their file.
                if queue.collides(index) {
                    title = format!("{title} · {}", entry.file_name());
                }
                let title = super::printable(ui.ctx(), &title);
                let text = RichText::new(format!("{title}\n{state}")).color(color);
                let button =
                    egui::Button::selectable(current == Some(index), (text, egui::Atom::grow()))
                        .min_size(egui::vec2(width, ENTRY_HEIGHT - 4.0));
                let response = ui
                    .add_sized([width, ENTRY_HEIGHT - 4.0], button)
                    .on_hover_text(entry.path.display().to_string());
                if response.clicked() {
                    out.push(Command::SelectReport(index));
                }
            }
        });
}

/// The search field, the filters (each offering what the folder holds) and the order.
fn controls(ui: &mut Ui, queue: &Queue, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    let view = &queue.view;
    let overview = queue.overview();
    let mut next = view.clone();
    ui.horizontal(|ui| {
        let label = ui.label(f.search);
        ui.add(
            egui::TextEdit::singleline(&mut next.search)
                .hint_text(f.search_hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    egui::Grid::new("queue filters")
        .num_columns(2)
        .spacing([6.0, 2.0])
        .show(ui, |ui| {
            let any = f.any.to_owned();
            let label = ui.label(f.filter_state).id;
            let name = |s: State| state_name(s, lang).to_owned();
            choose(
                ui,
                label,
                &mut next.state,
                &any,
                name,
                overview.by_state.iter().map(|(s, _)| *s),
            );
            ui.end_row();
            let label = ui.label(f.filter_rule).id;
            choose(
                ui,
                label,
                &mut next.rule,
                &any,
                |r: RuleId| r.code().to_owned(),
                overview.by_rule.iter().map(|(r, _)| *r),
            );
            ui.end_row();
            let label = ui.label(f.filter_year).id;
            choose(
                ui,
                label,
                &mut next.year,
                &any,
                |y: u16| y.to_string(),
                overview.by_year.iter().filter_map(|(y, _)| *y),
            );
            ui.end_row();
            let label = ui.label(f.filter_edition).id;
            choose(
                ui,
                label,
                &mut next.edition,
                &any,
                |e: Edition| e.as_str().to_owned(),
                overview.by_edition.iter().map(|(e, _)| *e),
            );
            ui.end_row();
            sort_row(ui, &mut next, lang);
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        if let Some(body) = &view.body {
            ui.label(format!(
                "{}：{}",
                f.filter_body,
                super::printable(ui.ctx(), body)
            ));
        }
        if view.filters() && ui.button(f.clear_filters).clicked() {
            next = crate::app::queue::View {
                sort: next.sort,
                descending: next.descending,
                ..crate::app::queue::View::default()
            };
        }
        super::action_button(
            ui,
            Action::NextToReview,
            lang,
            !queue.entries.is_empty(),
            out,
        );
    });
    if next != *view {
        out.push(Command::SetView(next));
    }
}

/// The order of the queue: a drop-down and a reverse switch.
fn sort_row(ui: &mut Ui, next: &mut crate::app::queue::View, lang: Lang) {
    let f = folder_texts(lang);
    let label = ui.label(f.sort_by).id;
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("queue sort")
            .selected_text(sort_name(next.sort, lang))
            .show_ui(ui, |ui| {
                for sort in Sort::ALL {
                    ui.selectable_value(&mut next.sort, sort, sort_name(sort, lang));
                }
            })
            .response
            .labelled_by(label);
        ui.checkbox(&mut next.descending, f.descending);
    });
}

/// A drop-down of `options` (and "all") setting `value`, named by the label `label`.
fn choose<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: egui::Id,
    value: &mut Option<T>,
    any: &str,
    name: impl Fn(T) -> String,
    options: impl IntoIterator<Item = T>,
) {
    let selected = value.map_or_else(|| any.to_owned(), &name);
    egui::ComboBox::from_id_salt(("queue filter", label))
        .selected_text(selected)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, any);
            for option in options {
                ui.selectable_value(value, Some(option), name(option));
            }
        })
        .response
        .labelled_by(label);
}

/// A state's name in `lang`.
#[must_use]
pub fn state_name(state: State, lang: Lang) -> &'static str {
    folder_texts(lang).states[state.rank()]
}

/// An order's name in `lang`.
fn sort_name(sort: Sort, lang: Lang) -> &'static str {
    let f = folder_texts(lang);
    Sort::ALL
        .iter()
        .position(|s| *s == sort)
        .map_or("", |i| f.sorts[i])
}

/// Height of one queue entry: two lines and a gap.
const ENTRY_HEIGHT: f32 = 44.0;
