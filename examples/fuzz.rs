//! Mutation fuzzing of every reader, through the real command: each run takes one of the
//! bundled fixtures (text, .docx, web page, PDF, scan), damages it (bit flips, bytes replaced,
//! inserted or removed, chunks doubled, the file cut short, two files spliced), and runs
//! `nianbao check --json` on it under a memory limit and a wall-clock limit. It counts what must
//! never happen: a panic or an abort of the program itself, a run over the time limit, a run
//! over the memory limit. A reader that fails on a file and says so is fine.
//!
//! ```sh
//! cargo build --release --locked
//! cargo run --release --locked --example fuzz -- --runs 10000 --seed 1
//! ```
//!
//! Findings are copied to `target/fuzz-findings/` with the command's output beside them.

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a developer's tool that fails loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt as _;

/// How long one run may take before it counts as a hang.
const TIME_LIMIT: Duration = Duration::from_secs(90);
/// The address space one run may use (the command's own; its reader has lower limits).
const MEMORY_LIMIT: u64 = 4 << 30;

/// A small, fast, reproducible random source (xorshift64*).
struct Rng(u64);

impl Rng {
    /// A generator for run `n` of a fuzzing session: the session's seed and the run number
    /// mixed by splitmix64, so neighbouring runs start far apart.
    fn for_run(seed: u64, n: u64) -> Rng {
        let mut z = seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// One fixture: its bytes and extension, and how often it is picked (scans cost seconds).
struct Seed {
    name: String,
    bytes: Vec<u8>,
    extension: String,
    weight: usize,
}

fn seeds(root: &Path) -> Vec<Seed> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in [
        "assets/samples",
        "tests/fixtures/corpus",
        "tests/fixtures/scans",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if nianbao::read::format_of(&path).is_some() {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let extension = path.extension().unwrap().to_string_lossy().into_owned();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let scan = extension == "png" || name.contains("scan");
            Seed {
                name,
                bytes: std::fs::read(&path).unwrap(),
                extension,
                weight: if scan { 1 } else { 20 },
            }
        })
        .collect()
}

/// Damages `bytes` in one to four ways.
fn mutate(rng: &mut Rng, bytes: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(b'x');
        }
        let at = rng.below(out.len());
        match rng.below(8) {
            0 => {
                for _ in 0..=rng.below(8) {
                    let i = rng.below(out.len());
                    out[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                for b in &mut out[at..end] {
                    *b = u8::try_from(rng.below(256)).unwrap_or(0);
                }
            }
            2 => {
                let junk: Vec<u8> = (0..rng.below(256))
                    .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
                    .collect();
                out.splice(at..at, junk);
            }
            3 => {
                let end = (at + rng.below(4096)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(4096)).min(out.len());
                let chunk = out[at..end].to_vec();
                for _ in 0..=rng.below(16) {
                    out.splice(at..at, chunk.iter().copied());
                }
            }
            5 => out.truncate(at),
            6 => {
                let from = rng.below(other.len());
                let end = (from + rng.below(8192)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                // A digit for another digit: what OCR does to tables.
                if let Some(i) = (0..64)
                    .map(|_| rng.below(out.len()))
                    .find(|&i| out[i].is_ascii_digit())
                {
                    out[i] = b'0' + u8::try_from(rng.below(10)).unwrap_or(0);
                }
            }
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    by_fixture: Mutex<std::collections::BTreeMap<String, usize>>,
    runs: AtomicUsize,
    panics: AtomicUsize,
    aborts: AtomicUsize,
    timeouts: AtomicUsize,
    over_memory: AtomicUsize,
    reader_failures: AtomicUsize,
}

enum Outcome {
    Fine,
    ReaderFailed,
    Panic,
    Abort,
    Timeout,
    OverMemory,
}

fn run_one(program: &Path, file: &Path) -> (Outcome, String) {
    // Output goes to files, not pipes: a report's JSON is larger than a pipe holds, and a
    // child blocked on a full pipe is not a hang of the program.
    let out_path = file.with_extension("stdout");
    let err_path = file.with_extension("stderr");
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg(program)
        .args(["check", "--json"])
        .arg(file)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let Some(status) = child.wait_timeout(TIME_LIMIT).unwrap() else {
        let _ = child.kill();
        let _ = child.wait();
        return (Outcome::Timeout, String::new());
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    let said = format!("status {status}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    if stderr.contains("memory allocation of") {
        return (Outcome::OverMemory, said);
    }
    if stderr.contains("panicked at") || stderr.contains("stack backtrace") {
        return (Outcome::Panic, said);
    }
    match status.code() {
        Some(101) => (Outcome::Panic, said),
        // A file the reader refused is printed as `{"source": …, "error": {"code": …}}`.
        Some(0..=2) if stdout.contains("\"error\":{\"code\"") => (Outcome::ReaderFailed, said),
        Some(0..=2) => (Outcome::Fine, said),
        _ => (Outcome::Abort, said),
    }
}

/// What every run shares.
struct Fuzz {
    program: PathBuf,
    seeds: Vec<Seed>,
    weights: usize,
    seed: u64,
    work: tempfile::TempDir,
    findings: PathBuf,
    tally: Tally,
}

impl Fuzz {
    /// Run number `n`: its own damaged file, reproducible from the seed and `n`.
    fn run(&self, n: usize) {
        let mut rng = Rng::for_run(self.seed, n as u64);
        let mut pick = rng.below(self.weights);
        let chosen = self
            .seeds
            .iter()
            .find(|s| {
                if pick < s.weight {
                    true
                } else {
                    pick -= s.weight;
                    false
                }
            })
            .unwrap_or(&self.seeds[0]);
        let other = &self.seeds[rng.below(self.seeds.len())].bytes;
        let bytes = mutate(&mut rng, &chosen.bytes, other);
        let file = self.work.path().join(format!("{n}.{}", chosen.extension));
        std::fs::write(&file, &bytes).unwrap();
        let (outcome, said) = run_one(&self.program, &file);
        let tally = &self.tally;
        tally.runs.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut counts) = tally.by_fixture.lock() {
            *counts.entry(chosen.name.clone()).or_default() += 1;
        }
        let counter = match outcome {
            Outcome::Fine => None,
            Outcome::ReaderFailed => Some(&tally.reader_failures),
            Outcome::Panic => Some(&tally.panics),
            Outcome::Abort => Some(&tally.aborts),
            Outcome::Timeout => Some(&tally.timeouts),
            Outcome::OverMemory => Some(&tally.over_memory),
        };
        if let Some(counter) = counter {
            counter.fetch_add(1, Ordering::Relaxed);
            let kept = self.findings.join(format!("{n}-{}", chosen.name));
            let _ = std::fs::copy(&file, &kept);
            let _ = std::fs::write(kept.with_extension("out.txt"), said);
        }
        let _ = std::fs::remove_file(&file);
    }

    /// Runs that must never happen.
    fn bad(&self) -> usize {
        let t = &self.tally;
        t.panics.load(Ordering::Relaxed)
            + t.aborts.load(Ordering::Relaxed)
            + t.timeouts.load(Ordering::Relaxed)
            + t.over_memory.load(Ordering::Relaxed)
    }

    fn report(&self, start: Instant) -> String {
        let t = &self.tally;
        format!(
            "{} runs in {:.0} s (seed {}): {} panics, {} aborts, {} timeouts, {} over memory; {} files a reader failed on and said so",
            t.runs.load(Ordering::Relaxed),
            start.elapsed().as_secs_f64(),
            self.seed,
            t.panics.load(Ordering::Relaxed),
            t.aborts.load(Ordering::Relaxed),
            t.timeouts.load(Ordering::Relaxed),
            t.over_memory.load(Ordering::Relaxed),
            t.reader_failures.load(Ordering::Relaxed),
        )
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = usize::try_from(value("--runs", 1000)).unwrap_or(1000);
    let jobs = usize::try_from(value("--jobs", 2)).unwrap_or(2).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let program = std::env::var_os("NIANBAO_BIN")
        .map_or_else(|| root.join("target/release/nianbao"), PathBuf::from);
    assert!(
        program.is_file(),
        "{}: build it first (cargo build --release --locked)",
        program.display()
    );
    let seeds = seeds(&root);
    let fuzz = Fuzz {
        program,
        weights: seeds.iter().map(|s| s.weight).sum(),
        seeds,
        seed: value("--seed", 1).max(1),
        work: tempfile::tempdir().unwrap(),
        findings: root.join("target/fuzz-findings"),
        tally: Tally::default(),
    };
    std::fs::create_dir_all(&fuzz.findings).unwrap();
    let next = AtomicUsize::new(0);
    let log = Mutex::new(());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= runs {
                        break;
                    }
                    fuzz.run(n);
                    if (n + 1).is_multiple_of(500) {
                        let _guard = log.lock();
                        println!("{}", fuzz.report(start));
                    }
                }
            });
        }
    });
    println!("fuzz: {}", fuzz.report(start));
    if let Ok(counts) = fuzz.tally.by_fixture.lock() {
        let by: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("runs by fixture: {}", by.join(", "));
    }
    if fuzz.bad() > 0 {
        println!("findings in {}", fuzz.findings.display());
        std::process::exit(1);
    }
}
