//! The `nianbao` command: `check` reads and checks reports; with no subcommand it will open the
//! review window (not built yet), so for now it prints usage.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao::batch::{Checked, check_files, report_files};
use nianbao::checks::{Verdict, verdict};
use nianbao::output::{Lang, error_json, report_json, report_text};

/// Audits Chinese government information-disclosure annual reports (政府信息公开工作年度报告).
#[derive(Parser)]
#[command(name = "nianbao", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Read reports (files, or folders searched recursively) and check their tables.
    /// Exit status: 0 when every report passes (no error finding, no cell to review), 1 when
    /// any fails, needs review or cannot be read as a report, 2 on a usage or I/O error.
    Check {
        /// Report files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object per report (schema in the README).
        #[arg(long)]
        json: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            ExitCode::from(2)
        }
        Some(Command::Check { paths, json, lang }) => {
            let lang = match lang {
                LangArg::Zh => Lang::Zh,
                LangArg::En => Lang::En,
            };
            check(&paths, json, lang)
        }
    }
}

fn check(paths: &[PathBuf], json: bool, lang: Lang) -> ExitCode {
    let files = match report_files(paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let mut failed = false;
    let mut io_error = false;
    for checked in check_files(&files) {
        let line = match &checked {
            Checked::Report(report, findings) => {
                failed |= verdict(report, findings) != Verdict::Passes;
                if json {
                    report_json(report, findings).to_string()
                } else {
                    report_text(report, findings, lang)
                }
            }
            Checked::Failed(error) => {
                if error.is_io() {
                    io_error = true;
                } else {
                    failed = true;
                }
                if json {
                    error_json(error).to_string()
                } else {
                    eprintln!("nianbao: {error}");
                    continue;
                }
            }
        };
        if writeln!(stdout, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if io_error {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
