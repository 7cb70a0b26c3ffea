//! CPU time of one frame of the review window on the largest bundled sample (003), with all three
//! tables, the source and the findings on screen and a cell selected; and of a frame that takes a
//! typed value and its Enter (the edit, its save and the checks run again). Goal: under 4 ms
//! for a frame that only draws. Run with `cargo bench --bench frame`.

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark fails loudly on input it did not expect"
)]

use std::time::{Duration, Instant};

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
    let settings = Settings {
        reviewer: "bench".into(),
        ..Settings::default()
    };
    let mut app = NianbaoApp::new(settings, Some(dir.path()));
    app.state.queue.wait_loaded();
    app.state.apply(Command::SelectCell(
        CellId::parse("t4.suit_direct.total").unwrap(),
    ));
    // Tall enough that every row of the three tables is laid out and drawn.
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 2400.0))
        .with_context_setup(nianbao::ui::prepare)
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
    // A clerk typing: a digit and Enter in one frame commit a value, save the record and check
    // the report again. Back to the same cell each time; every 200 commits (a thoroughly
    // corrected report's trail) the report starts again from a fresh copy, so the record being
    // saved stays the size a real one has.
    let start = CellId::parse("t3.new.natural").unwrap();
    let mut n = 0_u64;
    let mut copy = fresh_copy(&sample);
    c.bench_function("window frame, 003, a value typed and committed", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                if n.is_multiple_of(200) {
                    copy = fresh_copy(&sample);
                    let state = &mut harness.state_mut().state;
                    state.apply(Command::Open(copy.path().join("003.txt")));
                    state.queue.wait_loaded();
                    state.wait_loading();
                    harness.run();
                }
                n += 1;
                harness.state_mut().state.apply(Command::SelectCell(start));
                harness.event(egui::Event::Text((n % 10).to_string()));
                for pressed in [true, false] {
                    harness.event(egui::Event::Key {
                        key: egui::Key::Enter,
                        physical_key: None,
                        pressed,
                        repeat: false,
                        modifiers: egui::Modifiers::NONE,
                    });
                }
                let began = Instant::now();
                harness.step();
                spent += began.elapsed();
            }
            spent
        });
    });
}

/// A folder of its own holding a copy of `sample` as `003.txt`, with no record yet.
fn fresh_copy(sample: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample, dir.path().join("003.txt")).unwrap();
    dir
}

criterion_group!(benches, frame);
criterion_main!(benches);
