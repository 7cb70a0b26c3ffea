//! The bundled CJK font: a subset of Noto Sans SC (OFL-1.1, see `assets/fonts/OFL.txt`) added
//! after egui's own fonts, so Chinese renders on a machine with no CJK font installed.

use std::sync::Arc;

/// The font file, built into the program by `scripts/make-font.sh`.
const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-subset.otf");

/// Installs egui's fonts with Noto Sans SC as the fallback for both families.
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".to_owned(),
        Arc::new(egui::FontData::from_static(NOTO_SANS_SC)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto_sans_sc".to_owned());
    }
    ctx.set_fonts(fonts);
}
