//! The window on a province's folder: 10,000 text reports (the five samples, each copy under a
//! body of its own). Measured: every frame drawn while the folder is read in the background
//! with the overview on screen (printed: median, 95th percentile and slowest; goal ≤ 16 ms),
//! then a frame of the overview of the whole folder, and a frame that filters the queue anew.
//! Run with `cargo bench --bench folder`.

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark fails loudly on input it did not expect"
)]

use std::time::{Duration, Instant};

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use nianbao::app::queue::{State, View};
use nianbao::app::{Command, Page, Settings};
use nianbao::ui::NianbaoApp;

/// How many reports the folder holds.
const REPORTS: usize = 10_000;

/// A folder of `REPORTS` copies of the samples, each under its own body's name.
fn province() -> tempfile::TempDir {
    common::folder(REPORTS, |i, samples| {
        let sample = &samples[i % samples.len()];
        let body = &sample.body;
        sample.text.replace(body.as_str(), &format!("{body}{i}"))
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn folder(c: &mut Criterion) {
    let dir = province();
    let settings = Settings {
        reviewer: "bench".into(),
        ..Settings::default()
    };
    let mut app = NianbaoApp::new(settings, Some(dir.path()));
    app.state.apply(Command::ShowPage(Page::Overview));
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 1000.0))
        .with_context_setup(nianbao::ui::prepare)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    // Every frame while the folder is read.
    let began = Instant::now();
    let mut frames = Vec::new();
    while !harness.state().state.queue.is_loaded() {
        let start = Instant::now();
        harness.step();
        frames.push(start.elapsed());
    }
    let loaded_in = began.elapsed();
    let mut slowest: Vec<(Duration, usize)> = frames.iter().copied().zip(0..).collect();
    slowest.sort();
    eprintln!(
        "slowest frames (time, frame number): {:?}",
        slowest.iter().rev().take(5).collect::<Vec<_>>()
    );
    frames.sort();
    if !frames.is_empty() {
        eprintln!(
            "{REPORTS} reports read in {loaded_in:.2?} while {} frames were drawn: median {:.2?}, 95th percentile {:.2?}, slowest {:.2?}",
            frames.len(),
            percentile(&frames, 0.5),
            percentile(&frames, 0.95),
            frames[frames.len() - 1]
        );
    }
    harness.step();
    let entries = harness.state().state.queue.entries.clone();
    c.bench_function("counts made, 10,000 reports", |b| {
        b.iter(|| nianbao::app::overview::Overview::of(&entries));
    });
    c.bench_function("MISSING-REPORT over the folder, 10,000 reports", |b| {
        b.iter(|| {
            let filed: Vec<(Option<&str>, Option<u16>)> = entries
                .iter()
                .map(|e| (e.organization.as_deref(), e.year))
                .collect();
            nianbao::checks::missing_next_year(&filed)
        });
    });
    let overview = nianbao::app::overview::Overview::of(&entries);
    c.bench_function("bodies ranked, 10,000 reports", |b| {
        b.iter(|| overview.ranked(nianbao::indicators::IndicatorId::ALL[0], &entries));
    });
    c.bench_function("queue ordered, 10,000 reports", |b| {
        b.iter(|| View::default().order(&entries));
    });
    c.bench_function("overview frame, 10,000 reports", |b| {
        b.iter(|| harness.step());
    });
    let mut k = 0_usize;
    c.bench_function("queue filtered anew and drawn, 10,000 reports", |b| {
        b.iter(|| {
            k += 1;
            let view = View {
                state: k.is_multiple_of(2).then_some(State::NotReviewed),
                search: if k.is_multiple_of(3) {
                    "镇".into()
                } else {
                    String::new()
                },
                ..View::default()
            };
            harness.state_mut().state.apply(Command::SetView(view));
            harness.step();
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = folder
}
criterion_main!(benches);
