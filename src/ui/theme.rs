//! The colours and marks of the window, as named tokens. Every state has a mark besides its
//! colour, so that it reads without colour vision.

#![expect(
    clippy::disallowed_methods,
    reason = "the theme is the one place colours are made"
)]

use egui::Color32;

/// A low-confidence cell nobody has looked at yet.
pub const LOW_CONFIDENCE: Color32 = Color32::from_rgb(255, 209, 102);
/// A cell named by a failed rule.
pub const CHECK_FAILED: Color32 = Color32::from_rgb(242, 139, 130);
/// A cell the reviewer changed.
pub const CORRECTED: Color32 = Color32::from_rgb(138, 180, 248);
/// A cell the reviewer confirmed.
pub const CONFIRMED: Color32 = Color32::from_rgb(129, 201, 149);
/// A cell read with confidence and untouched.
pub const PLAIN: Color32 = Color32::from_rgb(248, 248, 248);
/// The outline of the selected cell.
pub const SELECTED: Color32 = Color32::from_rgb(26, 26, 26);
/// The outline of the cells of the finding last clicked.
pub const FOCUSED: Color32 = Color32::from_rgb(176, 0, 32);
/// The background of the selected cell's text in the source.
pub const SOURCE_HIGHLIGHT: Color32 = Color32::from_rgb(255, 170, 60);
/// The background of other cells' text in the source that still need a look.
pub const SOURCE_LOW: Color32 = Color32::from_rgb(255, 243, 205);
/// Text of an error message.
pub const ERROR_TEXT: Color32 = Color32::from_rgb(176, 0, 32);
/// A banner about the record (changed source, stale decisions).
pub const BANNER: Color32 = Color32::from_rgb(255, 236, 179);

/// Text on a coloured fill, and the numbers in cells.
pub const INK: Color32 = Color32::from_rgb(0, 0, 0);
/// A blank cell's `空` and other quiet text.
pub const MUTED: Color32 = Color32::from_rgb(110, 110, 110);
/// Text of a message that reports success.
pub const OK_TEXT: Color32 = Color32::from_rgb(30, 110, 50);
/// Text of a warning and of a cell's reasons.
pub const WARNING_TEXT: Color32 = Color32::from_rgb(140, 90, 0);
/// Text of an ordinary queue entry.
pub const QUEUE_TEXT: Color32 = Color32::from_rgb(60, 60, 60);
/// The fill of a table's header cells.
pub const HEADER: Color32 = Color32::from_rgb(232, 232, 232);
/// The text of a table's labels.
pub const LABEL_TEXT: Color32 = Color32::from_rgb(30, 30, 30);
/// The source text.
pub const SOURCE_TEXT: Color32 = Color32::from_rgb(20, 20, 20);

/// The lines of a chart of several series (a body's indicators over the years), told apart.
pub const SERIES: [Color32; 7] = [
    Color32::from_rgb(176, 0, 32),
    Color32::from_rgb(30, 110, 50),
    Color32::from_rgb(140, 90, 0),
    Color32::from_rgb(40, 90, 200),
    Color32::from_rgb(110, 110, 110),
    Color32::from_rgb(150, 60, 170),
    Color32::from_rgb(0, 140, 140),
];

/// The mark of a low-confidence cell.
pub const MARK_LOW: &str = "?";
/// The mark of a cell in a failed rule.
pub const MARK_FAILED: &str = "!";
/// The mark of a corrected cell.
pub const MARK_CORRECTED: &str = "*";
/// The mark of a confirmed cell.
pub const MARK_CONFIRMED: &str = "√";
