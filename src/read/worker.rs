//! The readers that a hostile file can hang, crash or fill memory with — a PDF's text layer, OCR
//! of a scan — run in a child process of the program itself (`nianbao worker`), under a time and
//! a memory limit. A stuck file costs its limit and nothing after it: the child is killed, its
//! core freed, and the reason is one line naming the file. A panic in a PDF library stays in the
//! child and comes back as one line, without a backtrace on the terminal.
//!
//! The parent writes a job (one JSON line, then the file's bytes) to the child's standard input
//! and reads the result (one JSON line, then the page images the result refers to by length).
//! Where the program's own executable cannot be found (the library used from another program),
//! the job runs in this process instead, on a thread with the time limit.

use std::fmt;
use std::io::{BufRead as _, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use super::progress::Pages;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt as _;

use super::layout::Page;
use super::ocr::{OcrError, Recognised};
use super::pdf::PdfError;

/// How long reading a PDF's text layer may take.
pub const PDF_TIME: Duration = Duration::from_secs(20);
/// How long OCR of one scan (every page of it) may take.
pub const OCR_TIME: Duration = Duration::from_mins(3);
/// How much memory reading a PDF's text layer may use (address space, bytes).
pub const PDF_MEMORY: u64 = 2 << 30;
/// How much memory OCR may use (address space, bytes).
pub const OCR_MEMORY: u64 = 3 << 30;

/// What the child is asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    /// The glyphs and rules of a PDF's pages.
    PdfPages,
    /// OCR of a page image; the extension says its format.
    OcrImage {
        /// `png`, `jpg`, `tif` ….
        extension: String,
    },
    /// OCR of every page of a PDF without a text layer.
    OcrPdf,
}

impl Job {
    /// The job's time and memory limits. `NIANBAO_READ_SECONDS` and `NIANBAO_READ_MEMORY_MIB`
    /// can lower them (never raise them), for a stricter office or a test.
    fn limits(&self) -> (Duration, u64) {
        let (time, memory) = match self {
            Job::PdfPages => (PDF_TIME, PDF_MEMORY),
            Job::OcrImage { .. } | Job::OcrPdf => (OCR_TIME, OCR_MEMORY),
        };
        let lowered = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let time = lowered("NIANBAO_READ_SECONDS")
            .map_or(time, |s| time.min(Duration::from_secs(s.max(1))));
        let memory = lowered("NIANBAO_READ_MEMORY_MIB").map_or(memory, |m| memory.min(m << 20));
        (time, memory)
    }
}

/// What the child did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Done {
    /// A PDF's pages, or why not.
    Pages(Result<Vec<Page>, PdfError>),
    /// A scan's words and page images, or why not.
    Scan(Result<Recognised, OcrError>),
}

/// Why the child gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerError {
    /// It ran longer than its limit and was stopped.
    TooSlow(Duration),
    /// It needed more memory than its limit and was stopped.
    TooMuchMemory(u64),
    /// It died on the file (the child's last words).
    Crashed(String),
    /// The child could not be started or talked to.
    Unavailable(String),
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerError::TooSlow(limit) => write!(
                f,
                "reading it took longer than {} s and was stopped; refused",
                limit.as_secs()
            ),
            WorkerError::TooMuchMemory(limit) => write!(
                f,
                "reading it needed more than {} MiB of memory and was stopped; refused",
                limit >> 20
            ),
            WorkerError::Crashed(why) => write!(f, "the reader failed on this file: {why}"),
            WorkerError::Unavailable(why) => write!(f, "the reader could not be started: {why}"),
        }
    }
}

impl WorkerError {
    /// The error in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            WorkerError::TooSlow(limit) => {
                format!("读取超过{}秒，已停止并拒绝", limit.as_secs())
            }
            WorkerError::TooMuchMemory(limit) => {
                format!("读取所需内存超过{} MiB，已停止并拒绝", limit >> 20)
            }
            WorkerError::Crashed(why) => format!("读取此文件时出错：{why}"),
            WorkerError::Unavailable(why) => format!("无法启动读取进程：{why}"),
        }
    }

    /// A short stable code, for JSON output.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            WorkerError::TooSlow(_) => "too_slow",
            WorkerError::TooMuchMemory(_) => "too_much_memory",
            WorkerError::Crashed(_) => "reader_failed",
            WorkerError::Unavailable(_) => "reader_unavailable",
        }
    }
}

/// The program whose `worker` command runs jobs: `NIANBAO_WORKER` if set, else this executable
/// when it is `nianbao`, else a `nianbao` beside it or one folder up (where Cargo puts it for
/// tests and benchmarks). `None`: jobs run in this process.
#[must_use]
pub fn worker_program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NIANBAO_WORKER") {
        return Some(PathBuf::from(path));
    }
    let exe = std::env::current_exe().ok()?;
    let name = format!("nianbao{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == name.as_str()) {
        return Some(exe);
    }
    let dir = exe.parent()?;
    [dir.join(&name), dir.parent()?.join(&name)]
        .into_iter()
        .find(|p| p.is_file())
}

/// Runs a job on `input`: in a child process where there is a worker program, else here. Its
/// pages done are reported under `path` ([`super::progress`]) when one is given.
///
/// # Errors
/// A [`WorkerError`] when the job gave no result within its limits.
pub fn run(job: &Job, input: &[u8], path: Option<&str>) -> Result<Done, WorkerError> {
    let path = path.map(str::to_owned);
    match worker_program() {
        Some(program) => run_child(&program, job, input, path),
        None => run_here(job, input, path),
    }
}

/// Runs a job on a thread of this process, under the time limit only (a thread cannot be
/// stopped: one that runs over is left to finish on its own).
fn run_here(job: &Job, input: &[u8], path: Option<String>) -> Result<Done, WorkerError> {
    let (limit, _) = job.limits();
    let (job, input) = (job.clone(), input.to_vec());
    let (sender, receiver) = std::sync::mpsc::channel();
    crate::work::spawn(READER_THREAD, move || {
        let done = std::panic::catch_unwind(|| {
            perform(&job, &input, &mut |pages| {
                if let Some(path) = &path {
                    super::progress::report(path, pages);
                }
            })
        });
        let _ = sender.send(done);
    })
    .map_err(|e| WorkerError::Unavailable(e.to_string()))?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(panic)) => Err(WorkerError::Crashed(panic_text(panic.as_ref()))),
        Err(_) => Err(WorkerError::TooSlow(limit)),
    }
}

/// Does a job, in whichever process, saying when each page is done.
fn perform(job: &Job, input: &[u8], on_page: &mut dyn FnMut(Pages)) -> Done {
    match job {
        Job::PdfPages => Done::Pages(super::pdf::extract(input)),
        Job::OcrImage { extension } => Done::Scan(super::ocr::recognise(input, extension)),
        Job::OcrPdf => Done::Scan(super::ocr::recognise_pdf_reporting(input, on_page)),
    }
}

/// The thread a job runs on in this process, where there is no worker program.
const READER_THREAD: &str = "reader";

/// Makes a panic on a thread running a job here (a PDF library failing on a damaged file, caught
/// and reported as that file's error) one line on standard error, as the worker program has it,
/// instead of the standard message with its backtrace hint; any other panic prints as before.
/// For the program's `main`: the hook is the whole process's.
pub fn quiet_job_panics() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some(READER_THREAD) {
            eprintln!("{}", panic_line(info));
        } else {
            standard(info);
        }
    }));
}

/// A panic as one line: its message and where.
fn panic_line(info: &std::panic::PanicHookInfo<'_>) -> String {
    let place = info
        .location()
        .map_or_else(String::new, |l| format!(" ({}:{})", l.file(), l.line()));
    format!("{}{place}", panic_text(info.payload()))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

fn run_child(
    program: &std::path::Path,
    job: &Job,
    input: &[u8],
    path: Option<String>,
) -> Result<Done, WorkerError> {
    let (limit, memory) = job.limits();
    let unavailable = |e: std::io::Error| WorkerError::Unavailable(e.to_string());
    let mut command = Command::new(program);
    command
        .arg("worker")
        .env("NIANBAO_WORKER_MEMORY", memory.to_string())
        .env("NIANBAO_WORKER_SECONDS", limit.as_secs().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(unavailable)?;
    let header = serde_json::to_string(job).map_err(|e| WorkerError::Unavailable(e.to_string()))?;
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let started = (|| -> std::io::Result<_> {
        let writer = crate::work::spawn("worker input", move || {
            if let Some(stdin) = stdin.as_mut() {
                // A child that dies early closes the pipe; its exit status says why.
                let _ = writeln!(stdin, "{header}").and_then(|()| stdin.write_all(&input));
            }
        })?;
        let reader = stdout
            .map(|mut out| {
                crate::work::spawn("worker output", move || {
                    let mut bytes = Vec::new();
                    let _ = out.read_to_end(&mut bytes);
                    bytes
                })
            })
            .transpose()?;
        let errors = stderr
            .map(|err| {
                crate::work::spawn("worker errors", move || {
                    let mut text = String::new();
                    // Pages done as they come; what went wrong comes first. The pipe is drained
                    // to the end, so the child never waits on it, but a runaway child cannot fill
                    // our memory: lines are read 4 KB at most, and 64 KB of them kept.
                    let mut reader = std::io::BufReader::new(err);
                    let mut line = Vec::new();
                    loop {
                        line.clear();
                        match (&mut reader).take(4096).read_until(b'\n', &mut line) {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                        let line = String::from_utf8_lossy(&line);
                        match (super::progress::parse(&line), &path) {
                            (Some(pages), Some(path)) => super::progress::report(path, pages),
                            (None, _) if text.len() < 64 * 1024 => text.push_str(&line),
                            _ => {}
                        }
                    }
                    text
                })
            })
            .transpose()?;
        Ok((writer, reader, errors))
    })();
    let (writer, reader, errors) = match started {
        Ok(threads) => threads,
        Err(e) => {
            stop(&mut child);
            return Err(unavailable(e));
        }
    };
    let Some(status) = child.wait_timeout(limit).map_err(unavailable)? else {
        stop(&mut child);
        return Err(WorkerError::TooSlow(limit));
    };
    let _ = writer.join();
    let output = reader.and_then(|r| r.join().ok()).unwrap_or_default();
    let stderr = errors.and_then(|e| e.join().ok()).unwrap_or_default();
    if !status.success() {
        if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
            return Err(WorkerError::TooMuchMemory(memory));
        }
        // The first line is what went wrong; a backtrace may follow it.
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        #[cfg(unix)]
        if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
            // The CPU-time backstop (SIGXCPU) and a kill by the system under memory pressure.
            return Err(match signal {
                24 => WorkerError::TooSlow(limit),
                9 => WorkerError::TooMuchMemory(memory),
                _ if first.is_empty() => WorkerError::Crashed(format!("signal {signal}")),
                _ => WorkerError::Crashed(first.to_owned()),
            });
        }
        return Err(WorkerError::Crashed(if first.is_empty() {
            status.to_string()
        } else {
            first.to_owned()
        }));
    }
    decode(&output)
}

/// Kills a child and every process it started (OCR runs programs of its own).
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // The child leads its own process group; `kill` reaches all of it.
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The result as the child writes it: one JSON line, then each page image's bytes.
#[derive(Serialize, Deserialize)]
struct Envelope {
    done: Done,
    images: Vec<usize>,
}

fn encode(mut done: Done) -> Vec<u8> {
    let images = match &mut done {
        Done::Scan(Ok(scan)) => std::mem::take(&mut scan.images),
        _ => Vec::new(),
    };
    let envelope = Envelope {
        done,
        images: images.iter().map(Vec::len).collect(),
    };
    let mut out = serde_json::to_vec(&envelope).unwrap_or_default();
    out.push(b'\n');
    for image in images {
        out.extend(image);
    }
    out
}

fn decode(output: &[u8]) -> Result<Done, WorkerError> {
    let garbled = |why: String| WorkerError::Crashed(format!("unreadable answer: {why}"));
    let end = output
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| garbled("no result".into()))?;
    let envelope: Envelope =
        serde_json::from_slice(&output[..end]).map_err(|e| garbled(e.to_string()))?;
    let mut done = envelope.done;
    let mut rest = &output[end + 1..];
    let mut images = Vec::with_capacity(envelope.images.len());
    for len in envelope.images {
        if rest.len() < len {
            return Err(garbled("images cut short".into()));
        }
        let (image, tail) = rest.split_at(len);
        images.push(image.to_vec());
        rest = tail;
    }
    if let Done::Scan(Ok(scan)) = &mut done {
        scan.images = images;
    }
    Ok(done)
}

/// The child's side (`nianbao worker`): sets its own limits, reads one job from standard input,
/// writes its result to standard output. A panic is one line on standard error.
#[must_use]
pub fn serve() -> ExitCode {
    std::panic::set_hook(Box::new(|info| eprintln!("{}", panic_line(info))));
    limit_self();
    let mut input = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut input).is_err() {
        return ExitCode::from(2);
    }
    let Some(end) = input.iter().position(|&b| b == b'\n') else {
        eprintln!("no job");
        return ExitCode::from(2);
    };
    let Ok(job) = serde_json::from_slice::<Job>(&input[..end]) else {
        eprintln!("not a job");
        return ExitCode::from(2);
    };
    let report = &mut |pages| eprintln!("{}", super::progress::line(pages));
    let done = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        perform(&job, &input[end + 1..], report)
    })) {
        Ok(done) => done,
        Err(panic) => {
            eprintln!("{}", panic_text(panic.as_ref()));
            return ExitCode::from(3);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(&encode(done))
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// The child's limits, from its parent: address space and CPU time (a backstop to the wall-clock
/// limit the parent keeps).
fn limit_self() {
    #[cfg(unix)]
    {
        let read = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        if let Some(memory) = read("NIANBAO_WORKER_MEMORY") {
            let _ = rlimit::setrlimit(rlimit::Resource::AS, memory, memory);
        }
        if let Some(seconds) = read("NIANBAO_WORKER_SECONDS") {
            let _ = rlimit::setrlimit(rlimit::Resource::CPU, seconds + 5, seconds + 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_and_their_page_images_survive_the_pipe() {
        let scan = Recognised {
            text: "规章 3\n".into(),
            images: vec![vec![1, 2, 3], vec![], vec![9; 1000]],
            ..Recognised::default()
        };
        let done = Done::Scan(Ok(scan.clone()));
        assert_eq!(decode(&encode(done)), Ok(Done::Scan(Ok(scan))));
        let failed = Done::Pages(Err(PdfError::NoTextLayer));
        assert_eq!(decode(&encode(failed.clone())), Ok(failed));
        assert!(decode(b"{\"done\":").is_err());
    }
}
