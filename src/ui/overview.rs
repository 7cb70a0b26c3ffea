//! The folder at a glance: how many reports stand where, fail which rule, belong to which year
//! (charts a head of office can put in a slide; a click on a bar or a count filters the queue),
//! and the bodies ranked by an indicator with their marks, one body's indicators across the
//! years as a small chart.

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use super::{printable, theme};
use crate::app::Command;
use crate::app::i18n::folder_texts;
use crate::app::overview::{Body, Overview};
use crate::app::queue::{Entry, Queue, State, View};
use crate::indicators::IndicatorId;
use crate::lang::Lang;

/// What the overview remembers between frames: the indicator the bodies are ranked by, the
/// body whose years are charted, and the ranking (made again when the indicator or the counts
/// change, not every frame).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The ranking indicator.
    pub rank_by: IndicatorId,
    /// The body charted.
    pub body: Option<String>,
    /// The bodies' places in rank order, for this indicator and this generation of the counts.
    ranked: Option<(IndicatorId, u64, Vec<usize>)>,
}

impl Default for Choice {
    fn default() -> Choice {
        Choice {
            rank_by: IndicatorId::ALL[0],
            body: None,
            ranked: None,
        }
    }
}

/// Height of a chart.
const CHART_HEIGHT: f32 = 190.0;
/// Height of a row of the bodies' table.
const ROW: f32 = 22.0;

/// Draws the overview of the queue's folder.
pub fn show(ui: &mut Ui, queue: &Queue, choice: &mut Choice, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    let overview = queue.overview();
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} {}", overview.reports, f.overview_reports));
        if let Some(root) = &queue.root {
            ui.label(RichText::new(printable(ui.ctx(), &root.display().to_string())).weak());
        }
        if !queue.is_loaded() {
            ui.label(RichText::new(f.still_reading).color(theme::WARNING_TEXT));
        }
    });
    ui.label(RichText::new(f.click_filters).weak());
    egui::ScrollArea::vertical()
        .id_salt("overview")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                states(&mut columns[0], overview, &queue.view, lang, out);
                years(&mut columns[1], overview, &queue.view, lang, out);
            });
            ui.separator();
            rules(ui, overview, &queue.view, lang, out);
            ui.separator();
            bodies(ui, queue, choice, lang, out);
        });
}

/// The view with one filter changed, the others kept.
fn filtered(view: &View, change: impl FnOnce(&mut View)) -> Command {
    let mut next = view.clone();
    change(&mut next);
    Command::SetView(next)
}

/// A bar chart of `counts` (label, count, colour), the bar clicked as its index.
fn bar_chart(
    ui: &mut Ui,
    id: &str,
    name: &str,
    counts: &[(String, usize, Color32)],
    horizontal: bool,
) -> Option<usize> {
    #[expect(clippy::cast_precision_loss, reason = "counts and places are small")]
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, (label, n, color))| {
            let bar = Bar::new(i as f64, *n as f64)
                .name(label)
                .fill(*color)
                .width(0.7);
            if horizontal { bar.horizontal() } else { bar }
        })
        .collect();
    let labels: Vec<String> = counts.iter().map(|(l, _, _)| l.clone()).collect();
    let label_of = move |mark: egui_plot::GridMark| -> String {
        let at = mark.value.round();
        if (mark.value - at).abs() > 1e-6 || at < 0.0 {
            return String::new();
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a bar's place, small and not negative"
        )]
        labels.get(at as usize).cloned().unwrap_or_default()
    };
    let count_of = |mark: egui_plot::GridMark| -> String {
        if mark.value.fract().abs() < 1e-6 && mark.value >= 0.0 {
            format!("{}", mark.value)
        } else {
            String::new()
        }
    };
    let mut plot = Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .include_y(0.0);
    plot = if horizontal {
        plot.y_axis_formatter(move |m, _| label_of(m))
            .x_axis_formatter(move |m, _| count_of(m))
            .include_x(0.0)
            .show_grid([true, false])
    } else {
        plot.x_axis_formatter(move |m, _| label_of(m))
            .y_axis_formatter(move |m, _| count_of(m))
    };
    let chart = BarChart::new(name, bars);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(chart);
        plot_ui.pointer_coordinate()
    });
    if !response.response.clicked() {
        return None;
    }
    let point = response.inner?;
    let at = if horizontal { point.y } else { point.x }.round();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a bar's place, small and not negative"
    )]
    let index = (at >= 0.0).then_some(at as usize)?;
    (index < counts.len()).then_some(index)
}

/// A state's colour in the charts.
fn state_color(state: State) -> Color32 {
    match state {
        State::Failing | State::ApprovalDoubtful | State::Unreadable => theme::CHECK_FAILED,
        State::Approved | State::ApprovedAuto => theme::CONFIRMED,
        State::InReview => theme::CORRECTED,
        State::NotReviewed => theme::LOW_CONFIDENCE,
        State::Reading => theme::HEADER,
    }
}

fn states(ui: &mut Ui, overview: &Overview, view: &View, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    ui.strong(f.by_state);
    let counts: Vec<(String, usize, Color32)> = overview
        .by_state
        .iter()
        .map(|(s, n)| {
            (
                super::queue::state_name(*s, lang).to_owned(),
                *n,
                state_color(*s),
            )
        })
        .collect();
    if let Some(i) = bar_chart(ui, "overview states", f.by_state, &counts, false) {
        let state = overview.by_state[i].0;
        out.push(filtered(view, |v| v.state = Some(state)));
    }
    ui.horizontal_wrapped(|ui| {
        for (state, n) in &overview.by_state {
            let text = format!("{} {n}", super::queue::state_name(*state, lang));
            if ui
                .add(egui::Button::selectable(view.state == Some(*state), text))
                .clicked()
            {
                let state = *state;
                out.push(filtered(view, |v| v.state = Some(state)));
            }
        }
    });
}

fn years(ui: &mut Ui, overview: &Overview, view: &View, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    ui.strong(f.by_year);
    let name = |y: Option<u16>| y.map_or_else(|| f.year_unknown.to_owned(), |y| y.to_string());
    let counts: Vec<(String, usize, Color32)> = overview
        .by_year
        .iter()
        .map(|(y, n)| (name(*y), *n, theme::CORRECTED))
        .collect();
    if let Some(i) = bar_chart(ui, "overview years", f.by_year, &counts, false)
        && let Some(year) = overview.by_year[i].0
    {
        out.push(filtered(view, |v| v.year = Some(year)));
    }
    ui.horizontal_wrapped(|ui| {
        for (year, n) in &overview.by_year {
            let Some(year) = *year else {
                ui.label(format!("{} {n}", f.year_unknown));
                continue;
            };
            if ui
                .add(egui::Button::selectable(
                    view.year == Some(year),
                    format!("{year} {n}"),
                ))
                .clicked()
            {
                out.push(filtered(view, |v| v.year = Some(year)));
            }
        }
    });
}

fn rules(ui: &mut Ui, overview: &Overview, view: &View, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    ui.strong(f.by_rule);
    if overview.by_rule.is_empty() {
        ui.label(RichText::new(f.no_findings).weak());
        return;
    }
    // The commonest at the top of a horizontal chart: its first bar is drawn lowest.
    let counts: Vec<(String, usize, Color32)> = overview
        .by_rule
        .iter()
        .rev()
        .map(|(rule, n)| {
            let color = if rule.severity() == crate::rules::Severity::Error {
                theme::CHECK_FAILED
            } else {
                theme::LOW_CONFIDENCE
            };
            (rule.code().to_owned(), *n, color)
        })
        .collect();
    if let Some(i) = bar_chart(ui, "overview rules", f.by_rule, &counts, true) {
        let rule = overview.by_rule[overview.by_rule.len() - 1 - i].0;
        out.push(filtered(view, |v| v.rule = Some(rule)));
    }
    ui.horizontal_wrapped(|ui| {
        for (rule, n) in &overview.by_rule {
            if ui
                .add(egui::Button::selectable(
                    view.rule == Some(*rule),
                    format!("{} {n}", rule.code()),
                ))
                .clicked()
            {
                let rule = *rule;
                out.push(filtered(view, |v| v.rule = Some(rule)));
            }
        }
    });
}

/// An indicator's value in a body's latest year, marked as the report's own line marks it.
fn indicator_text(body: &Body, id: IndicatorId, entries: &[Entry]) -> RichText {
    let Some(indicator) = body
        .latest(entries)
        .and_then(|(_, list)| list.iter().find(|i| i.id == id))
    else {
        return RichText::new("—").weak();
    };
    super::indicators::marked(indicator, &indicator.percent())
}

fn bodies(ui: &mut Ui, queue: &Queue, choice: &mut Choice, lang: Lang, out: &mut Vec<Command>) {
    let f = folder_texts(lang);
    let overview = queue.overview();
    let view = &queue.view;
    let entries = queue.entries.as_slice();
    ui.strong(f.by_body);
    ui.horizontal_wrapped(|ui| {
        ui.label(f.rank_by);
        for id in IndicatorId::ALL {
            ui.selectable_value(&mut choice.rank_by, id, lang.pick(id.zh(), id.en()));
        }
    });
    ui.label(RichText::new(f.trend_hint).weak());
    let fresh = choice.ranked.as_ref().is_some_and(|(by, generation, _)| {
        *by == choice.rank_by && *generation == queue.generation()
    });
    if !fresh {
        let ranked = overview.ranked(choice.rank_by, entries);
        choice.ranked = Some((choice.rank_by, queue.generation(), ranked));
    }
    let ranked: &[usize] = choice.ranked.as_ref().map_or(&[], |(_, _, r)| r.as_slice());
    let mut chosen_body = None;
    egui::ScrollArea::horizontal()
        .id_salt("overview bodies")
        .show(ui, |ui| {
            bodies_header(ui, lang);
            egui::ScrollArea::vertical()
                .id_salt("overview bodies rows")
                .max_height(ROW * 12.0)
                .auto_shrink([false, true])
                .show_rows(ui, ROW, ranked.len(), |ui, range| {
                    for body in ranked[range].iter().filter_map(|&i| overview.bodies.get(i)) {
                        if body_row(ui, body, view, entries) {
                            chosen_body = Some(body.name.clone());
                            let name = body.name.clone();
                            out.push(filtered(view, |v| v.body = Some(name)));
                        }
                    }
                });
        });
    if chosen_body.is_some() {
        choice.body = chosen_body;
    }
    let Some(body) = choice
        .body
        .as_ref()
        .and_then(|name| overview.bodies.iter().find(|b| &b.name == name))
    else {
        return;
    };
    ui.add_space(6.0);
    ui.strong(format!("{}：{}", f.trend, printable(ui.ctx(), &body.name)));
    trend(ui, body, entries, lang);
}

/// Widths of the bodies' table's first columns: body, reports, approved, failing, year.
const WIDTHS: [f32; 5] = [220.0, 56.0, 56.0, 56.0, 48.0];
/// Width of an indicator's column.
const INDICATOR_WIDTH: f32 = 92.0;

/// The bodies' table's header.
fn bodies_header(ui: &mut Ui, lang: Lang) {
    let f = folder_texts(lang);
    ui.horizontal(|ui| {
        for (text, width) in [
            f.body,
            f.reports,
            f.approved_count,
            f.failing_count,
            f.latest_year,
        ]
        .iter()
        .zip(WIDTHS)
        {
            ui.add_sized(
                [width, ROW],
                egui::Label::new(RichText::new(*text).strong()),
            );
        }
        for id in IndicatorId::ALL {
            ui.add_sized(
                [INDICATOR_WIDTH, ROW],
                egui::Label::new(RichText::new(lang.pick(id.zh(), id.en())).strong()).truncate(),
            );
        }
    });
}

/// One body's row; true when its name was clicked.
fn body_row(ui: &mut Ui, body: &Body, view: &View, entries: &[Entry]) -> bool {
    ui.horizontal(|ui| {
        let chosen = view.body.as_deref() == Some(body.name.as_str());
        let name = printable(ui.ctx(), &body.name).into_owned();
        let clicked = ui
            .add_sized(
                [WIDTHS[0], ROW],
                egui::Button::selectable(chosen, name).truncate(),
            )
            .clicked();
        let year = body
            .latest(entries)
            .map_or_else(String::new, |(y, _)| y.to_string());
        for (text, width) in [
            body.reports.to_string(),
            body.approved.to_string(),
            body.failing.to_string(),
            year,
        ]
        .into_iter()
        .zip(&WIDTHS[1..])
        {
            ui.add_sized([*width, ROW], egui::Label::new(text));
        }
        for id in IndicatorId::ALL {
            ui.add_sized(
                [INDICATOR_WIDTH, ROW],
                egui::Label::new(indicator_text(body, id, entries)),
            );
        }
        clicked
    })
    .inner
}

/// One body's indicators across its years, a line each (defined years only).
fn trend(ui: &mut Ui, body: &Body, entries: &[Entry], lang: Lang) {
    let lines: Vec<Line<'static>> = IndicatorId::ALL
        .iter()
        .zip(theme::SERIES)
        .map(|(id, color)| {
            let points: Vec<[f64; 2]> = body
                .years
                .iter()
                .filter_map(|&(year, index)| {
                    let list = &entries.get(index)?.indicators;
                    let share = list.iter().find(|i| i.id == *id)?.share()?;
                    Some([f64::from(year), share * 100.0])
                })
                .collect();
            Line::new(lang.pick(id.zh(), id.en()), PlotPoints::from(points))
                .color(color)
                .width(2.0)
        })
        .collect();
    Plot::new(("trend", &body.name))
        .height(CHART_HEIGHT)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(100.0)
        .x_axis_formatter(|m, _| {
            if m.value.fract().abs() < 1e-6 {
                format!("{}", m.value)
            } else {
                String::new()
            }
        })
        .y_axis_formatter(|m, _| format!("{}%", m.value))
        .show(ui, |plot_ui| {
            for line in lines {
                plot_ui.line(line);
            }
        });
}
