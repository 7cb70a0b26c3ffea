//! The indicators of the report under review, one line above its findings: each ratio with its
//! mark, what it was computed from on hover, and its cells outlined on a click.

use egui::{RichText, Ui};

use super::theme;
use crate::app::Command;
use crate::app::i18n::texts;
use crate::app::review::Review;
use crate::indicators::{Indicator, Mark};
use crate::lang::Lang;

/// `text` (an indicator's value, and perhaps its name) as its mark shows it: `?` on amber where
/// a cell it comes from is still doubtful, `!` in red past the red threshold, yellow past the
/// yellow one, faint where it is undefined. The report's line and the overview's table alike.
#[must_use]
pub fn marked(indicator: &Indicator, text: &str) -> RichText {
    match indicator.mark {
        _ if indicator.doubtful && indicator.ratio.is_ok() => {
            RichText::new(format!("{} {text}", theme::MARK_LOW))
                .background_color(theme::LOW_CONFIDENCE)
        }
        Some(Mark::Red) => RichText::new(format!("{} {text}", theme::MARK_FAILED))
            .color(theme::ERROR_TEXT)
            .strong(),
        Some(Mark::Yellow) => RichText::new(text).color(theme::WARNING_TEXT),
        None if indicator.ratio.is_err() => RichText::new(text).weak(),
        None => RichText::new(text),
    }
}

/// Draws the indicators as one wrapped line.
pub fn show(ui: &mut Ui, review: &Review, lang: Lang, out: &mut Vec<Command>) {
    let t = texts(lang);
    ui.horizontal_wrapped(|ui| {
        ui.strong(t.indicators);
        for indicator in &review.indicators {
            let name = lang.pick(indicator.id.zh(), indicator.id.en());
            let text = marked(indicator, &format!("{name} {}", indicator.percent()));
            let hover = match &indicator.ratio {
                Ok((n, d)) => {
                    let mut hover = format!("{n} / {d}");
                    if indicator.doubtful {
                        hover.push('\n');
                        hover.push_str(t.indicator_doubtful);
                    }
                    if let Some(threshold) = indicator.id.threshold() {
                        hover.push('\n');
                        hover.push_str(lang.pick(threshold.comment_zh, threshold.comment_en));
                    }
                    hover
                }
                Err(why) => lang.pick(&why.zh(), &why.en()).to_owned(),
            };
            if ui
                .add(egui::Button::selectable(false, text))
                .on_hover_text(hover)
                .clicked()
            {
                out.push(Command::SelectFinding(indicator.id.cells()));
            }
        }
    });
}
