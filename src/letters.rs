//! Letters to the publishers: for each body, the problems of its approved reports as a document a
//! clerk can send — each report's title, each problem in the auditor's sentence with the cells'
//! printed labels, the reviewer's note, and, where the report is a PDF or a scan, a picture of
//! the cells on the page, outlined. Only approvals that still hold are written about.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use docx_rs::{AlignmentType, Docx, Paragraph, Pic, Run, RunFonts};

use crate::export::{LeftOut, Problem, approved_records, problems_of};
use crate::model::{Format, PageBox};
use crate::read::{ReadError, ReadErrorKind};
use crate::record::Record;
use crate::rules::Severity;
use crate::store::StoreError;

/// A picture of a problem's cells on their page, as PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The PNG's bytes.
    pub png: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// The page it was cut from, from 1.
    pub page: u32,
}

/// One report's part of a letter.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportProblems {
    /// The title as printed, or one made of the body and year.
    pub title: String,
    /// The report file's name.
    pub file_name: String,
    /// Who approved the record.
    pub approved_by: String,
    /// Its problems, each with a picture where the source has pages.
    pub problems: Vec<(Problem, Option<Picture>)>,
    /// Why its problems go without pictures although it has pages (its pages could not be
    /// drawn or the file read again): the clerk is told rather than left to wonder.
    pub pictures_refused: Option<ReadError>,
}

/// The letter to one body.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    /// The body (or, where no report names it, the file's name).
    pub organization: String,
    /// Its reports that have problems, in file order.
    pub reports: Vec<ReportProblems>,
}

/// The letters of a folder, and the approvals left out.
#[derive(Debug, Clone, Default)]
pub struct Letters {
    /// One per body with a problem in an approved report.
    pub letters: Vec<Letter>,
    /// Approved reports with nothing to write about.
    pub without_problems: usize,
    /// Approvals that no longer hold, not written about.
    pub left_out: Vec<LeftOut>,
}

/// The letters to the bodies of the approved reports under `folder`.
///
/// # Errors
/// A record that cannot be found or read: a clerk must not send letters with a report silently
/// missing.
pub fn letters(folder: &Path) -> Result<Letters, StoreError> {
    let approvals = approved_records(folder)?;
    let mut out = Letters {
        left_out: approvals.left_out,
        ..Letters::default()
    };
    let mut by_body: BTreeMap<String, Vec<ReportProblems>> = BTreeMap::new();
    for (record_path, record) in &approvals.included {
        let problems = problems_of(record);
        if problems.is_empty() {
            out.without_problems += 1;
            continue;
        }
        let source = report_path(record_path, record);
        let (pictures, pictures_refused) = match pictures(&source, record, &problems) {
            Ok(pictures) => (pictures, None),
            Err(e) => (vec![None; problems.len()], Some(e)),
        };
        let body = record
            .organization
            .clone()
            .unwrap_or_else(|| record.source.file_name.clone());
        let title = record.title.clone().unwrap_or_else(|| {
            format!(
                "{body}{}年度政府信息公开工作年度报告",
                record.year.map_or_else(String::new, |y| y.to_string())
            )
        });
        by_body.entry(body).or_default().push(ReportProblems {
            title,
            file_name: record.source.file_name.clone(),
            approved_by: record
                .approval
                .as_ref()
                .map(|a| a.reviewer.clone())
                .unwrap_or_default(),
            problems: problems.into_iter().zip(pictures).collect(),
            pictures_refused,
        });
    }
    out.letters = by_body
        .into_iter()
        .map(|(organization, reports)| Letter {
            organization,
            reports,
        })
        .collect();
    Ok(out)
}

/// The report a record beside it is about.
fn report_path(record_path: &Path, record: &Record) -> PathBuf {
    record_path
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("."))
        .join(&record.source.file_name)
}

/// For each problem, a picture of its cells where the report has pages (a scan, or a PDF whose
/// pages can be drawn) and the cells have boxes on one of them; else none.
///
/// # Errors
/// The report has pages but they cannot be had (its file cannot be read again, or `pdftoppm`
/// cannot draw them): that costs the pictures, never the letter.
fn pictures(
    source: &Path,
    record: &Record,
    problems: &[Problem],
) -> Result<Vec<Option<Picture>>, ReadError> {
    if !matches!(record.source.format, Format::Pdf | Format::Image) {
        return Ok(vec![None; problems.len()]);
    }
    let loaded = crate::read::load_file(source)?;
    let (pages, pixels_per_point) = if loaded.pages.is_empty() {
        // A PDF with a text layer: its pages drawn as the window draws them.
        let drawn = std::fs::read(source)
            .map_err(|e| crate::read::ocr::OcrError::Failed(e.to_string()))
            .and_then(|bytes| crate::read::ocr::draw_pages(&bytes))
            .map_err(|e| ReadError {
                path: source.display().to_string(),
                kind: ReadErrorKind::Ocr(e),
            })?;
        (drawn, Some(crate::read::ocr::SHOWN_DPI / 72.0))
    } else {
        (loaded.pages, None)
    };
    let mut decoded: BTreeMap<u32, Option<image::RgbImage>> = BTreeMap::new();
    Ok(problems
        .iter()
        .map(|problem| {
            let boxes: Vec<PageBox> = problem
                .cells
                .iter()
                .filter_map(|id| loaded.report.cells.get(id)?.box_on_page(pixels_per_point))
                .collect();
            let page = boxes.first()?.page;
            let image = decoded
                .entry(page)
                .or_insert_with(|| {
                    let bytes = pages.get(usize::try_from(page).ok()?.checked_sub(1)?)?;
                    image::load_from_memory(bytes).ok().map(|i| i.to_rgb8())
                })
                .as_ref()?;
            let on_page: Vec<PageBox> = boxes.into_iter().filter(|b| b.page == page).collect();
            cut(image, &on_page, page)
        })
        .collect())
}

/// The part of a page around `boxes`, each box outlined in red, as PNG.
fn cut(page: &image::RgbImage, boxes: &[PageBox], number: u32) -> Option<Picture> {
    let left = boxes.iter().map(|b| b.left).min()?;
    let top = boxes.iter().map(|b| b.top).min()?;
    let right = boxes.iter().map(|b| b.left + b.width).max()?;
    let bottom = boxes.iter().map(|b| b.top + b.height).max()?;
    // Enough around the cells for their row and column to be seen.
    let margin = boxes.iter().map(|b| b.height).max()?.max(12) * 2;
    let x0 = left.saturating_sub(margin * 3);
    let y0 = top.saturating_sub(margin);
    let x1 = (right + margin * 3).min(page.width());
    let y1 = (bottom + margin).min(page.height());
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut part = image::imageops::crop_imm(page, x0, y0, x1 - x0, y1 - y0).to_image();
    let red = image::Rgb([220, 30, 30]);
    for b in boxes {
        let (bx, by) = (b.left - x0, b.top - y0);
        for t in 0..3 {
            for x in bx.saturating_sub(t)..(bx + b.width + t).min(part.width()) {
                for y in [
                    by.saturating_sub(t),
                    (by + b.height + t).min(part.height() - 1),
                ] {
                    part.put_pixel(x, y, red);
                }
            }
            for y in by.saturating_sub(t)..(by + b.height + t).min(part.height()) {
                for x in [
                    bx.saturating_sub(t),
                    (bx + b.width + t).min(part.width() - 1),
                ] {
                    part.put_pixel(x, y, red);
                }
            }
        }
    }
    let mut png = Vec::new();
    part.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(Picture {
        png,
        width: part.width(),
        height: part.height(),
        page: number,
    })
}

/// The widest a picture is set in the letter: the text width of an A4 page, in EMU.
const PICTURE_WIDTH_EMU: u32 = 5_400_000;

/// EMU per pixel at 96 dots per inch, as Word sizes a picture by default.
const EMU_PER_PIXEL: u32 = 9525;

/// A paragraph of Chinese text.
fn line(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

/// The letter as a .docx document, dated `date` (as the clerk's clock shows it).
///
/// # Errors
/// When the document cannot be packed.
pub fn docx_bytes(letter: &Letter, date: &str) -> Result<Vec<u8>, docx_rs::DocxError> {
    let mut doc = Docx::new()
        .default_fonts(RunFonts::new().east_asia("宋体").ascii("Times New Roman"))
        .default_size(24)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(
                    Run::new()
                        .add_text("政府信息公开工作年度报告审核问题清单")
                        .bold()
                        .size(36),
                ),
        )
        .add_paragraph(line(&format!("{}：", letter.organization)))
        .add_paragraph(line(
            "　　经审核，你单位发布的政府信息公开工作年度报告存在以下问题，请核实后更正，并反馈更正情况。",
        ));
    let mut n = 0;
    for report in &letter.reports {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(format!(
                        "《{}》（文件：{}）",
                        report.title, report.file_name
                    ))
                    .bold(),
            ),
        );
        for (problem, picture) in &report.problems {
            n += 1;
            let level = if problem.severity == Severity::Error {
                "错误"
            } else {
                "提示"
            };
            doc = doc.add_paragraph(line(&format!(
                "{n}.【{level}】{}（{}）",
                problem.message_zh, problem.rule
            )));
            if !problem.cells.is_empty() {
                let labels: Vec<String> = problem.cells.iter().map(|c| c.label_zh()).collect();
                doc = doc.add_paragraph(line(&format!("　　涉及：{}", labels.join("；"))));
            }
            if let Some(note) = &problem.note {
                doc = doc.add_paragraph(line(&format!("　　审核说明：{note}")));
            }
            if let Some(picture) = picture {
                let width = (picture.width * EMU_PER_PIXEL).min(PICTURE_WIDTH_EMU);
                let height = u32::try_from(
                    u64::from(width) * u64::from(picture.height) / u64::from(picture.width.max(1)),
                )
                .unwrap_or(u32::MAX);
                let pic =
                    Pic::new_with_dimensions(picture.png.clone(), picture.width, picture.height)
                        .size(width, height);
                doc = doc
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)))
                    .add_paragraph(line(&format!(
                        "　　（原报告第{}页，红框为所涉单元格）",
                        picture.page
                    )));
            }
        }
    }
    let reviewers: Vec<&str> = {
        let mut names: Vec<&str> = letter
            .reports
            .iter()
            .map(|r| match r.approved_by.as_str() {
                crate::record::AUTO_REVIEWER => "程序自动审核",
                name => name,
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    doc = doc
        .add_paragraph(line(""))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(format!("审核人：{}", reviewers.join("、")))),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(date)),
        );
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes)?;
    Ok(bytes.into_inner())
}

/// A file name for a body's letter: its name with what a file system refuses replaced.
#[must_use]
pub fn file_name(letter: &Letter) -> String {
    let safe: String = letter
        .organization
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(80)
        .collect();
    format!("{}问题清单.docx", safe.trim_start_matches('.'))
}

/// What writing the letters did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The letters written, one per body.
    pub files: Vec<PathBuf>,
    /// Approved reports with nothing to write about.
    pub without_problems: usize,
    /// Approvals that no longer hold, not written about.
    pub left_out: Vec<LeftOut>,
    /// Reports with pages whose problems went without pictures, and why.
    pub without_pictures: Vec<ReadError>,
}

/// Why the letters could not all be written.
#[derive(Debug)]
pub enum LettersError {
    /// A record could not be read: nothing was written.
    Store(StoreError),
    /// A letter could not be made or saved (the file, and why); those before it were.
    Write(PathBuf, String),
    /// The letters' folder is inside the reports' folder, where a .docx is read as a report:
    /// nothing was written.
    InsideReports(PathBuf),
}

impl std::fmt::Display for LettersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LettersError::Store(e) => write!(f, "{e}"),
            LettersError::Write(path, why) => write!(f, "{}: {why}", path.display()),
            LettersError::InsideReports(dir) => write!(
                f,
                "{}: inside the reports' folder, where a letter (.docx) would be read as a report; choose a folder outside it",
                dir.display()
            ),
        }
    }
}

impl crate::lang::Localized for LettersError {
    fn zh(&self) -> String {
        match self {
            LettersError::Store(e) => e.zh(),
            LettersError::Write(path, why) => format!("{}：无法写入：{why}", path.display()),
            LettersError::InsideReports(dir) => format!(
                "{}：位于报告文件夹之内，问题函（.docx）会被当作报告读取；请选择报告文件夹以外的位置",
                dir.display()
            ),
        }
    }

    fn en(&self) -> String {
        self.to_string()
    }
}

/// Writes every body's letter into `dir` (made if missing, and outside `folder`: a .docx there
/// would be read as a report), each atomically.
///
/// # Errors
/// See [`LettersError`].
pub fn write_letters(folder: &Path, dir: &Path, date: &str) -> Result<Written, LettersError> {
    let all = letters(folder).map_err(LettersError::Store)?;
    let existed = dir.exists();
    std::fs::create_dir_all(dir)
        .map_err(|e| LettersError::Write(dir.to_path_buf(), e.to_string()))?;
    if let (Ok(reports), Ok(letters)) = (folder.canonicalize(), dir.canonicalize())
        && letters.starts_with(&reports)
    {
        if !existed {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(LettersError::InsideReports(dir.to_path_buf()));
    }
    let mut out = Written {
        without_problems: all.without_problems,
        left_out: all.left_out,
        files: Vec::new(),
        without_pictures: all
            .letters
            .iter()
            .flat_map(|letter| &letter.reports)
            .filter_map(|report| report.pictures_refused.clone())
            .collect(),
    };
    for letter in &all.letters {
        let mut path = dir.join(file_name(letter));
        // Two names that differ only in what a file name cannot hold get a letter each.
        for n in 2.. {
            if !out.files.contains(&path) {
                break;
            }
            path = dir.join(format!(
                "{}-{n}.docx",
                file_name(letter).trim_end_matches(".docx")
            ));
        }
        let bytes = docx_bytes(letter, date)
            .map_err(|e| LettersError::Write(path.clone(), e.to_string()))?;
        crate::store::write_atomic(&path, &bytes)
            .map_err(|e| LettersError::Write(path.clone(), e.to_string()))?;
        out.files.push(path);
    }
    Ok(out)
}
