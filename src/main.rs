//! The `nianbao` command: with no subcommand, the review window on the bundled samples; `review`
//! opens it on a file or folder; `check` reads and checks reports, `approve --auto` approves the
//! clean ones, `export` writes approved records and the problem list, `diff` shows what a
//! reviewer changed.

use std::io::Write as _;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao::batch::{Checked, Listing, auto_approve, check_each, report_files};
use nianbao::checks::{Verdict, verdict};
use nianbao::export::{Headers, approved_records, long, problems, wide, write_table};
use nianbao::lang::Localized as _;
use nianbao::output::{Detail, Lang, error_json, escape_control, report_json, report_text};
use nianbao::time::Timestamp;

/// Audits Chinese government information-disclosure annual reports (政府信息公开工作年度报告).
#[derive(Parser)]
#[command(name = "nianbao", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the review window on a report file or a folder of reports.
    Review {
        /// A report file or a folder.
        path: PathBuf,
    },
    /// Read reports (files, or folders searched recursively) and check their tables.
    /// Exit status: 0 when every report passes (no error finding, no cell to review), 1 when
    /// any fails, needs review or cannot be read as a report, 2 on a usage or I/O error.
    Check {
        /// Report files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object per report (`schema/report.schema.json`; fields in the README).
        #[arg(long)]
        json: bool,
        /// With `--json`, give each reason a cell is doubtful its sentence in both languages,
        /// and each indicator its name (otherwise codes only, explained in the README).
        #[arg(long, requires = "json")]
        explain: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// How many reports to read at once (default: one per core). The output is the same
        /// for any number.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
    /// Approve straight through, as reviewer `auto`, every report under FOLDER with no finding
    /// and no low-confidence cell; leave the rest, and every report that has a record, alone.
    Approve {
        /// Approve without a person (the only mode on the command line; people use the window).
        #[arg(long, required = true)]
        auto: bool,
        /// The folder of reports.
        folder: PathBuf,
    },
    /// Export from the approved records under FOLDER: the records (`--to`), the problem list of
    /// the published reports (`--problems`), the region's totals (`--totals`, 汇总), or a letter
    /// to each body with its problems (`--letters`, .docx). The format
    /// of a table follows the extension: .xlsx, .csv or .jsonl; .parquet writes the records one
    /// row per report and cell in typed columns (report, body, year, edition, cell, value,
    /// status, who approved it and when, the report's hash) for DuckDB, Spark or Polars; the totals
    /// are an .xlsx in the template's layout. Exit status 2, with no file written, if a record cannot be read or the
    /// file written; 1 when an approval that no longer holds was left out.
    #[command(group(
        clap::ArgGroup::new("what")
            .required(true)
            .args(["to", "problems", "totals", "letters"])
    ))]
    Export {
        /// The folder of reports (their records are in `nianbao-records/` beside them).
        folder: PathBuf,
        /// Write the approved records here.
        #[arg(long)]
        to: Option<PathBuf>,
        /// Write the problem list (问题清单) here.
        #[arg(long)]
        problems: Option<PathBuf>,
        /// Write the region's totals (汇总) here, as .xlsx in the printed tables' layout, with a
        /// sheet of the reports that went in and those left out.
        #[arg(long)]
        totals: Option<PathBuf>,
        /// Write a letter to each body with a problem in an approved report into this folder
        /// (`<body>问题清单.docx`).
        #[arg(long)]
        letters: Option<PathBuf>,
        /// The year of the totals (default: the latest year with an approved report).
        #[arg(long, requires = "totals")]
        year: Option<u16>,
        /// One row per cell (report, cell id, label, value, status) instead of one per report.
        #[arg(long)]
        long: bool,
        /// Column headers: canonical ids, or Chinese labels.
        #[arg(long, value_enum, default_value = "ids")]
        headers: HeadersArg,
    },
    /// Run one reading job from standard input (used by the program itself, see `read::worker`).
    #[command(hide = true)]
    Worker,
    /// Print a report as the reader sees it: the file's text, or a .docx or web page written out
    /// with one tab-indented line per table cell. Cell spans in `check --json` point into this.
    Text {
        /// A report file.
        path: PathBuf,
        /// Write the three tables as Markdown pipe tables (the printed layout) instead.
        #[arg(long)]
        markdown: bool,
        /// Language of the table headers with `--markdown`.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Show what the reviewer changed in a record against what was read; with a second record,
    /// what changed between the two versions.
    Diff {
        /// A record file (`nianbao-records/<report>.ron`).
        record: PathBuf,
        /// An older or newer version of the same record.
        other: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum HeadersArg {
    Ids,
    Zh,
}

fn main() -> ExitCode {
    nianbao::read::worker::quiet_job_panics();
    let cli = Cli::parse();
    match cli.command {
        None => window(nianbao::ui::samples_dir()),
        Some(Command::Review { path }) => window(path),
        Some(Command::Check {
            paths,
            json,
            explain,
            lang,
            jobs,
        }) => {
            let json = json.then_some(if explain {
                Detail::Explained
            } else {
                Detail::Lean
            });
            check(&paths, json, lang.into(), jobs.map(usize::from))
        }
        Some(Command::Approve { auto: _, folder }) => approve(&folder),
        Some(Command::Export {
            folder,
            to,
            problems,
            totals,
            letters,
            year,
            long,
            headers,
        }) => {
            let headers = match headers {
                HeadersArg::Ids => Headers::Ids,
                HeadersArg::Zh => Headers::Chinese,
            };
            match (totals, letters) {
                (Some(path), _) => export_totals(&folder, &path, year),
                (None, Some(dir)) => export_letters(&folder, &dir),
                (None, None) => export(&folder, to.as_deref(), problems.as_deref(), long, headers),
            }
        }
        Some(Command::Diff { record, other }) => diff(&record, other.as_deref()),
        Some(Command::Worker) => nianbao::read::worker::serve(),
        Some(Command::Text {
            path,
            markdown,
            lang,
        }) => match nianbao::read::load_file(&path) {
            Ok(loaded) => {
                let text = if markdown {
                    nianbao::output::tables_markdown(&loaded.report, lang.into())
                } else {
                    loaded.text
                };
                print_out(&text, lang.into())
            }
            Err(e) if e.is_io() => fail(e),
            Err(e) => {
                complain(&e.to_string());
                ExitCode::from(1)
            }
        },
    }
}

fn window(path: PathBuf) -> ExitCode {
    if !path.exists() {
        return fail(format!("{}: no such file or folder", path.display()));
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([960.0, 600.0])
            .with_title("年报审核 nianbao"),
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native(
        "nianbao",
        options,
        Box::new(move |cc| Ok(Box::new(nianbao::ui::NianbaoApp::start(cc, Some(&path))))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot open the window: {e}")),
    }
}

/// Says something on standard error, safe for a terminal (see [`escape_control`]).
fn complain(text: &str) {
    eprintln!("nianbao: {}", escape_control(text));
}

/// Says what went wrong and gives the exit status of a usage or I/O error (2).
fn fail(error: impl std::fmt::Display) -> ExitCode {
    complain(&error.to_string());
    ExitCode::from(2)
}

/// What a failure to write standard output means: nothing when the reader stopped early
/// (`nianbao check | head` closes the pipe), else what to say (a full disk), which makes the
/// run an I/O error.
fn output_failure(error: &std::io::Error, lang: Lang) -> Option<String> {
    (error.kind() != std::io::ErrorKind::BrokenPipe).then(|| {
        format!(
            "{}: {error}",
            lang.pick("无法写出结果", "cannot write the output")
        )
    })
}

/// Prints `text` on standard output, and gives the exit status: success, or 2 with the failure
/// said when it could not be written ([`output_failure`]).
fn print_out(text: &str, lang: Lang) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written.err().and_then(|e| output_failure(&e, lang)) {
        Some(failure) => fail(failure),
        None => ExitCode::SUCCESS,
    }
}

/// The files named, or why not: a path that is not there, or folders with no report in them.
fn listing(paths: &[PathBuf], lang: Lang) -> Result<Listing, ExitCode> {
    let listing = report_files(paths).map_err(|e| fail(e.text(lang)))?;
    for skipped in &listing.skipped {
        complain(&skipped.text(lang));
    }
    if listing.files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(fail(format!(
            "{}: {}",
            names.join(", "),
            lang.pick(
                "没有找到可读取的报告（.txt、.md、.docx、.html、.pdf、扫描图片）",
                "no report found (.txt, .md, .docx, .html, .pdf, scans)"
            )
        )));
    }
    Ok(listing)
}

/// While a folder is gone through, a progress bar on a terminal's standard error: files done of
/// how many, files a second, the file reached, and a scan's pages through OCR (seconds each);
/// nothing on a pipe. It is cleared when dropped.
struct ProgressLine {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressLine {
    fn start(lang: Lang) -> ProgressLine {
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        use std::io::IsTerminal as _;
        if !std::io::stderr().is_terminal() {
            return ProgressLine {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = nianbao::work::spawn("progress bar", move || {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let per_second = lang.pick("个/秒", "files/s");
            let style = ProgressStyle::with_template(&format!(
                "{{prefix}} [{{bar:30}}] {{pos}}/{{len}} {{per_sec}}{per_second} {{wide_msg}}"
            ))
            .map_or_else(
                |_| ProgressStyle::default_bar(),
                |style| style.progress_chars("=> ").with_key("per_sec", per_sec),
            );
            bar.set_style(style);
            let mut doing = None;
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(std::time::Duration::from_millis(100))
            {
                if let Some(files) = nianbao::read::progress::files() {
                    // A new pass (another length or another task) starts the bar again.
                    if bar.length() != Some(files.of as u64) || doing != Some(files.doing) {
                        doing = Some(files.doing);
                        bar.reset();
                        bar.set_length(files.of as u64);
                        bar.set_prefix(lang.pick(files.doing.0, files.doing.1));
                    }
                    bar.set_position(files.done as u64);
                    bar.set_message(escape_control(&files.last).into_owned());
                }
                let under_way = nianbao::read::progress::under_way();
                if let Some((path, pages)) = under_way.first() {
                    bar.set_message(match lang {
                        Lang::Zh => {
                            format!("正在识别扫描件 {path}：第{}/{}页", pages.done, pages.of)
                        }
                        Lang::En => {
                            format!("reading scan {path}: page {} of {}", pages.done, pages.of)
                        }
                    });
                }
            }
            bar.finish_and_clear();
        })
        .ok();
        ProgressLine {
            stop: Some(stop),
            thread,
        }
    }
}

/// Files a second, with the bar's own estimate as a plain number (the template adds the unit in
/// the chosen language); `…` for the first half second of a pass, when a few fast files would
/// give a rate of millions.
fn per_sec(state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write) {
    let _ = if state.elapsed() < std::time::Duration::from_millis(500) {
        write!(out, "…")
    } else {
        write!(out, "{:.0}", state.per_sec())
    };
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What `check` prints of one file, made on the thread that checked it.
struct Printed {
    /// The line (or lines) for standard output.
    line: Option<String>,
    /// What to say on standard error instead (a file that could not be read, as text).
    complaint: Option<String>,
    /// The report does not pass, or could not be read.
    failed: bool,
    /// The file could not be read from the disk.
    io_error: bool,
}

impl nianbao::batch::Spill for Printed {
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(&[u8::from(self.failed), u8::from(self.io_error)])?;
        nianbao::batch::spill_text(out, self.line.as_deref())?;
        nianbao::batch::spill_text(out, self.complaint.as_deref())
    }

    fn read_from(input: &mut dyn std::io::Read) -> std::io::Result<Printed> {
        let mut flags = [0; 2];
        input.read_exact(&mut flags)?;
        Ok(Printed {
            failed: flags[0] != 0,
            io_error: flags[1] != 0,
            line: nianbao::batch::unspill_text(input)?,
            complaint: nianbao::batch::unspill_text(input)?,
        })
    }
}

/// How long `check`'s output may wait in its buffer: a reader of the pipe sees the reports come
/// as they are done, in blocks.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Checks the reports under `paths` and prints them as text, or as JSON at `json`'s detail.
fn check(paths: &[PathBuf], json: Option<Detail>, lang: Lang, jobs: Option<usize>) -> ExitCode {
    let files = match listing(paths, lang) {
        Ok(listing) => listing.files,
        Err(code) => return code,
    };
    let pool = match nianbao::work::pool(jobs) {
        Ok(pool) => pool,
        Err(e) => return fail(e),
    };
    let render = |path: &Path, checked: Checked| match checked {
        Checked::Report(report, findings) => Printed {
            failed: verdict(&report, &findings) != Verdict::Passes,
            line: Some(match json {
                Some(detail) => report_json(
                    &report,
                    &findings,
                    detail,
                    nianbao::output::non_utf8_hex(path),
                ),
                None => report_text(&report, &findings, lang),
            }),
            complaint: None,
            io_error: false,
        },
        Checked::Failed(error) => Printed {
            failed: !error.is_io(),
            io_error: error.is_io(),
            line: json.map(|_| with_raw_path(error_json(&error), path).to_string()),
            complaint: json.is_none().then(|| error.text(lang)),
        },
    };
    let progress = ProgressLine::start(lang);
    // Written in blocks rather than a system call per report, and passed on at least every
    // `FLUSH_EVERY`, before a complaint (so the two streams interleave as they happened) and at
    // the end.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut flushed = std::time::Instant::now();
    let (mut failed, mut io_error, mut closed) = (false, false, false);
    // Why the output could not be written, when that was not a reader closing the pipe.
    let mut write_failure: Option<String> = None;
    let checked = check_each(&files, &pool, render, |printed: Printed| {
        failed |= printed.failed;
        io_error |= printed.io_error;
        let mut written = Ok(());
        if let Some(complaint) = &printed.complaint {
            written = stdout.flush();
            complain(complaint);
        }
        if let Some(line) = &printed.line {
            written = written
                .and_then(|()| writeln!(stdout, "{line}"))
                .and_then(|()| {
                    if flushed.elapsed() < FLUSH_EVERY {
                        return Ok(());
                    }
                    flushed = std::time::Instant::now();
                    stdout.flush()
                });
        }
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                closed = true;
                write_failure = output_failure(&e, lang);
                ControlFlow::Break(())
            }
        }
    });
    if !closed && let Err(e) = stdout.flush() {
        closed = true;
        write_failure = output_failure(&e, lang);
    }
    drop(progress);
    if let Some(failure) = &write_failure {
        complain(failure);
        io_error = true;
    }
    if let Err(e) = checked {
        return fail(format!("{}: {e}", lang.pick("临时文件", "temporary file")));
    }
    if io_error {
        ExitCode::from(2)
    } else if closed {
        ExitCode::SUCCESS
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A JSON object's `source.path` as given, byte for byte: where the name is not UTF-8, `path`
/// holds a readable approximation and `path_bytes` the name's bytes in hex.
fn with_raw_path(mut object: serde_json::Value, path: &Path) -> serde_json::Value {
    if let Some(source) = object.get_mut("source").and_then(|s| s.as_object_mut())
        && let Some(hex) = nianbao::output::non_utf8_hex(path)
    {
        source.insert("path_bytes".into(), serde_json::Value::String(hex));
    }
    object
}

fn approve(folder: &Path) -> ExitCode {
    if let Some(holder) = nianbao::store::lock_holder(&folder.join(nianbao::store::RECORDS_DIR)) {
        complain(&format!(
            "{}: in use by another nianbao ({holder}); waiting",
            folder.display()
        ));
    }
    let progress = ProgressLine::start(Lang::Zh);
    let outcome = auto_approve(folder, nianbao::record::AUTO_REVIEWER, Timestamp::now());
    drop(progress);
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return fail(e),
    };
    for skipped in &outcome.skipped {
        complain(&skipped.en());
    }
    let mut stdout = std::io::stdout().lock();
    // The first failure to write, said at the end (a closed pipe is none).
    let mut unwritten: Option<std::io::Error> = None;
    let mut say = |line: String| {
        if unwritten.is_none()
            && let Err(e) = writeln!(stdout, "{}", escape_control(&line))
        {
            unwritten = Some(e);
        }
    };
    for path in &outcome.approved {
        say(format!("自动通过 approved: {}", path.display()));
    }
    for path in &outcome.left {
        say(format!("待人工审核 left for review: {}", path.display()));
    }
    for path in &outcome.kept {
        say(format!(
            "已有审核记录 has a record, untouched: {}",
            path.display()
        ));
    }
    for stale in &outcome.stale {
        say(format!(
            "通过已失效 approval no longer holds: {}",
            stale.en()
        ));
    }
    for error in &outcome.failed {
        complain(error);
    }
    say(format!(
        "{} approved, {} left for review, {} untouched, {} failed",
        outcome.approved.len(),
        outcome.left.len(),
        outcome.kept.len(),
        outcome.failed.len()
    ));
    let unwritten = unwritten
        .or_else(|| stdout.flush().err())
        .and_then(|e| output_failure(&e, Lang::Zh));
    if let Some(failure) = &unwritten {
        complain(failure);
    }
    if outcome.failed.is_empty() && unwritten.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn export(
    folder: &Path,
    to: Option<&Path>,
    problem_list: Option<&Path>,
    long_format: bool,
    headers: Headers,
) -> ExitCode {
    if !folder.is_dir() {
        return fail(format!("{}: no such folder", folder.display()));
    }
    let progress = ProgressLine::start(Lang::Zh);
    let approvals = approved_records(folder);
    drop(progress);
    let approvals = match approvals {
        Ok(approvals) => approvals,
        Err(e) => return fail(e),
    };
    for left_out in &approvals.left_out {
        complain(&left_out.en());
    }
    let records = &approvals.included;
    // What was written: where, how many rows, and the texts cut to fit a spreadsheet cell.
    let written = match (to, problem_list) {
        (Some(path), None) if is_parquet(path) => {
            nianbao::export::write_parquet(records, path).map(|rows| (path, rows, Vec::new()))
        }
        (to, problem_list) => {
            let (table, path, sheet) = match (to, problem_list) {
                (_, Some(path)) => (problems(records), path, "问题清单"),
                (Some(path), None) if long_format => (long(records, headers), path, "审核结果"),
                (Some(path), None) => (wide(records, headers), path, "审核结果"),
                (None, None) => return fail("say where to write: --to FILE or --problems FILE"),
            };
            write_table(&table, path, sheet).map(|cuts| (path, table.rows.len(), cuts))
        }
    };
    match written {
        Ok((path, rows, cuts)) => {
            for cut in &cuts {
                complain(&format!("{}: {cut}", path.display()));
            }
            complain(&format!(
                "{rows} rows from {} approved records written to {}; {} approvals left out",
                records.len(),
                path.display(),
                approvals.left_out.len()
            ));
            if approvals.left_out.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => fail(e),
    }
}

/// Whether `--to` names a Parquet file (one row per report and cell, typed), rather than a table.
fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

fn export_letters(folder: &Path, dir: &Path) -> ExitCode {
    if !folder.is_dir() {
        return fail(format!("{}: no such folder", folder.display()));
    }
    let date = Timestamp::now().local_date(nianbao::time::CHINA_STANDARD_TIME);
    let progress = ProgressLine::start(Lang::Zh);
    let written = nianbao::letters::write_letters(folder, dir, &date);
    drop(progress);
    match written {
        Ok(written) => {
            for left in &written.left_out {
                complain(&left.en());
            }
            for refused in &written.without_pictures {
                complain(&format!(
                    "its problems are written without pictures of the page: {refused}"
                ));
            }
            complain(&format!(
                "{} letters written to {}; {} approved reports without a problem; {} approvals left out",
                written.files.len(),
                dir.display(),
                written.without_problems,
                written.left_out.len()
            ));
            if written.left_out.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => fail(e),
    }
}

fn export_totals(folder: &Path, path: &Path, year: Option<u16>) -> ExitCode {
    if !folder.is_dir() {
        return fail(format!("{}: no such folder", folder.display()));
    }
    let progress = ProgressLine::start(Lang::Zh);
    let totals = nianbao::totals::totals(folder, year);
    drop(progress);
    let totals = match totals {
        Ok(Some(totals)) => totals,
        Ok(None) => {
            return fail(match year {
                Some(year) => format!("{}: no approved report of {year}", folder.display()),
                None => format!("{}: no approved report", folder.display()),
            });
        }
        Err(e) => return fail(e),
    };
    let bytes = match nianbao::totals::xlsx_bytes(&totals) {
        Ok(bytes) => bytes,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    if let Err(e) = nianbao::store::write_atomic(path, &bytes) {
        return fail(format!("{}: {e}", path.display()));
    }
    for finding in &totals.findings {
        complain(&finding.message_en);
    }
    let mut doubtful = false;
    for left in &totals.excluded {
        if let nianbao::totals::LeftOutOfTotals::ApprovalDoesNotHold(why) = &left.reason {
            complain(&why.en());
            doubtful = true;
        }
    }
    let blanks = totals.cells.values().filter(|t| t.blanks > 0).count();
    complain(&format!(
        "totals of {} ({} edition) from {} approved reports written to {}; {} reports left out \
         (listed in the workbook); {blanks} totals have blank cells among their reports",
        totals.year,
        totals.layout.t2.as_str(),
        totals.included.len(),
        path.display(),
        totals.excluded.len(),
    ));
    if doubtful {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn diff(record: &Path, other: Option<&Path>) -> ExitCode {
    let first = match nianbao::store::load(record) {
        Ok(record) => record,
        Err(e) => return fail(e),
    };
    let text = match other.map(nianbao::store::load) {
        None => nianbao::diff::reviewer_changes(&first),
        Some(Ok(second)) => nianbao::diff::between_versions(&first, &second),
        Some(Err(e)) => return fail(e),
    };
    print_out(&text, Lang::Zh)
}
