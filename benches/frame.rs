//! CPU time of one frame of the review window on the largest bundled sample (003), with all three
//! tables, the source and the findings on screen and a cell selected. Goal: under 4 ms.
//! Run with `cargo bench --bench frame`.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark fails loudly on input it did not expect"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use nianbao::app::{Command, Settings};
use nianbao::template::CellId;
use nianbao::ui::NianbaoApp;

fn frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/samples/003_9befa24b251bf041.txt");
    std::fs::copy(&sample, dir.path().join("003.txt")).unwrap();
    let mut app = NianbaoApp::new(Settings::default(), Some(dir.path()));
    app.state.queue.wait_loaded();
    app.state.apply(Command::SelectCell(
        CellId::parse("t4.suit_direct.total").unwrap(),
    ));
    // Tall enough that every row of the three tables is laid out and drawn.
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 2400.0))
        .with_context_setup(nianbao::ui::fonts::install)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    harness.run();
    c.bench_function("window frame, 003, all tables visible", |b| {
        b.iter(|| harness.step());
    });
    // Selecting another cell moves the highlight in the source: the costlier frame.
    let cells: Vec<CellId> = ["t3.new.natural", "t4.suit_direct.total"]
        .iter()
        .map(|s| CellId::parse(s).unwrap())
        .collect();
    let mut k = 0;
    c.bench_function("window frame, 003, selection changes each frame", |b| {
        b.iter(|| {
            k += 1;
            harness
                .state_mut()
                .state
                .apply(Command::SelectCell(cells[k % 2]));
            harness.step();
        });
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
