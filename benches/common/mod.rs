//! What the benchmarks of a province's folder share: the bundled samples, and a folder of many
//! reports made from them.

use std::path::Path;

/// A bundled sample report, with the body and year it was read as.
pub struct Sample {
    pub body: String,
    pub year: u16,
    pub text: String,
}

/// The bundled samples, in order of body, year and text.
pub fn samples() -> Vec<Sample> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let mut samples: Vec<Sample> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let report = nianbao::read::read_file(&path).unwrap();
            Sample {
                body: report.meta.organization.unwrap(),
                year: report.meta.year.unwrap(),
                text: std::fs::read_to_string(&path).unwrap(),
            }
        })
        .collect();
    samples.sort_by(|a, b| (&a.body, a.year, &a.text).cmp(&(&b.body, b.year, &b.text)));
    samples
}

/// A temporary folder of `count` text reports, `00000.txt` on: report `i` is `text(i, samples)`.
pub fn folder(count: usize, text: impl Fn(usize, &[Sample]) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples();
    for i in 0..count {
        std::fs::write(dir.path().join(format!("{i:05}.txt")), text(i, &samples)).unwrap();
    }
    dir
}
