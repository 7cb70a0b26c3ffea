//! `nianbao check` of a province's folder: 10,000 text reports (the five samples, each copy under
//! a body of its own, half of them a year later than the copy before, so that the rules across
//! years have pairs to compare). Measured: the folder read whole and kept (`check_files`, as
//! `check` worked before), and streamed on every core (`check_each`, what `check` does), each
//! with the text every report prints. Goal: ≤ 1 s on 2 cores.
//! Run with `cargo bench --bench check_folder`.

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark fails loudly on input it did not expect"
)]

use std::ops::ControlFlow;
use std::time::Duration;

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::batch::{Checked, Spill, check_each, check_files, report_files};
use nianbao::output::{Lang, report_text};

/// How many reports the folder holds.
const REPORTS: usize = 10_000;

/// A folder of `REPORTS` copies of the samples: copy `i` is published by body `i / 2`, and an
/// odd copy a year after the even one before it.
fn province() -> tempfile::TempDir {
    common::folder(REPORTS, |i, samples| {
        let sample = &samples[(i / 2) % samples.len()];
        let (body, year) = (&sample.body, sample.year);
        let text = sample
            .text
            .replace(body.as_str(), &format!("{body}{}", i / 2));
        if i % 2 == 1 {
            text.replace(&format!("{year}年"), &format!("{}年", year + 1))
        } else {
            text
        }
    })
}

/// The text a report prints, as `check` keeps it between its passes.
struct Shown(String);

impl Spill for Shown {
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        nianbao::batch::spill_text(out, Some(&self.0))
    }

    fn read_from(input: &mut dyn std::io::Read) -> std::io::Result<Shown> {
        Ok(Shown(
            nianbao::batch::unspill_text(input)?.unwrap_or_default(),
        ))
    }
}

fn shown(checked: &Checked) -> String {
    match checked {
        Checked::Report(report, findings) => report_text(report, findings, Lang::Zh),
        Checked::Failed(error) => error.to_string(),
    }
}

fn check_folder(c: &mut Criterion) {
    let dir = province();
    let files = report_files(&[dir.path().to_path_buf()]).unwrap().files;
    let pool = nianbao::work::pool(None).unwrap();
    let mut group = c.benchmark_group("check 10,000 reports");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("kept whole, one core (before)", |b| {
        b.iter(|| {
            check_files(&files)
                .iter()
                .map(|c| shown(c).len())
                .sum::<usize>()
        });
    });
    group.bench_function("streamed, every core", |b| {
        b.iter(|| {
            let mut bytes = 0;
            let render = |_: &std::path::Path, checked: Checked| Shown(shown(&checked));
            let _ = check_each(&files, &pool, render, |Shown(text)| {
                bytes += text.len();
                ControlFlow::Continue(())
            })
            .unwrap();
            bytes
        });
    });
    group.finish();
}

criterion_group!(benches, check_folder);
criterion_main!(benches);
