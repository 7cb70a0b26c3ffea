//! Reading and checking one report: each bundled sample, the glued corpus scrapes, and one report
//! of each other format (.docx template, web pages, a text-layer PDF). Goal for text: under
//! 0.5 ms per report on one core. Run with `cargo bench --bench read_check`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::checks::check;
use nianbao::model::Format;
use nianbao::read::read_bytes;

fn reports() -> Vec<(String, Vec<u8>, Format)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(root.join("assets/samples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.push(root.join("tests/fixtures/corpus/r10_pingtan_2019.txt"));
    paths.push(root.join("tests/fixtures/corpus/r12_pingtan_2021.txt"));
    for other in [
        "r03_huaian_2024.pdf",
        "r03_huaian_2024_md.md",
        "r04_template_2021ed_blank.docx",
        "r09_shanghai_office_2019.html",
        "r17_fixture_hangzhou_style_2025.html",
    ] {
        paths.push(root.join("tests/fixtures/corpus").join(other));
    }
    for scan in ["r17_ruled.pdf", "r17_text_layer.pdf"] {
        paths.push(root.join("tests/fixtures/scans").join(scan));
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let format = nianbao::read::format_of(&p)?;
            let name = format!(
                "{} {}",
                format.as_str(),
                p.file_stem()?
                    .to_string_lossy()
                    .chars()
                    .take(16)
                    .collect::<String>()
            );
            Some((name, std::fs::read(&p).ok()?, format))
        })
        .collect()
}

fn read_and_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    for (name, bytes, format) in reports() {
        group.bench_function(name, |b| {
            b.iter(|| {
                read_bytes("bench", std::hint::black_box(&bytes), format).map(|r| r.cells.len())
            });
        });
    }
    group.finish();
    let mut group = c.benchmark_group("read+check");
    for (name, bytes, format) in reports() {
        group.bench_function(name, |b| {
            b.iter(|| {
                let report = read_bytes("bench", std::hint::black_box(&bytes), format);
                report.map(|r| check(&r).len())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, read_and_check);
criterion_main!(benches);
