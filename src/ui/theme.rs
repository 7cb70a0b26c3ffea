//! The colours and marks of the window, as named tokens. Every state has a mark besides its
//! colour, so that it reads without colour vision.

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

/// The mark of a low-confidence cell.
pub const MARK_LOW: &str = "?";
/// The mark of a cell in a failed rule.
pub const MARK_FAILED: &str = "!";
/// The mark of a corrected cell.
pub const MARK_CORRECTED: &str = "*";
/// The mark of a confirmed cell.
pub const MARK_CONFIRMED: &str = "√";
