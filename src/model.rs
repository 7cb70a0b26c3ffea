//! The typed record of one report: where it came from, what it says about itself, and every cell
//! of its three tables with provenance and confidence.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::template::{CellId, Edition, Layout, ValueKind};

/// An amount of money, held exactly in 分 (0.01 元 = 0.000001 万元), shown and saved in 万元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount {
    /// The amount in 分.
    pub fen: i64,
}

/// 分 in one 万元.
pub const FEN_PER_WAN_YUAN: i64 = 1_000_000;

impl Amount {
    /// The amount in 万元, for display and JSON.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "amounts are far below 2^53 分")]
    pub fn wan_yuan(self) -> f64 {
        self.fen as f64 / FEN_PER_WAN_YUAN as f64
    }
}

impl Amount {
    /// Parses a decimal number of 万元 with at most 6 decimals (`38.39`, `-1`, `7539.443252`).
    #[must_use]
    pub fn parse_wan_yuan(text: &str) -> Option<Amount> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty()
            || frac.len() > 6
            || !whole
                .bytes()
                .chain(frac.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<6}").parse().ok()?
        };
        let fen = whole.checked_mul(FEN_PER_WAN_YUAN)?.checked_add(frac)?;
        Some(Amount {
            fen: if negative { -fen } else { fen },
        })
    }
}

impl Serialize for Amount {
    /// As a decimal string of 万元, so that a saved record reads `"38.39"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Amount::parse_wan_yuan(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an amount in 万元: `{text}`")))
    }
}

impl fmt::Display for Amount {
    /// 万元 with as many decimals as the amount needs (`38.39`, `7539.443252`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.fen < 0 { "-" } else { "" };
        let abs = self.fen.unsigned_abs();
        let whole = abs / 1_000_000;
        let frac = abs % 1_000_000;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// A value that fits its cell: the kind is part of the type, so a count is never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Value {
    /// A whole number ≥ 0.
    Count(u64),
    /// A signed whole number (本年增/减).
    Change(i64),
    /// An amount in 万元.
    Amount(Amount),
}

impl Value {
    /// The value as a whole number, for the sums of the rules; `None` for amounts.
    #[must_use]
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Value::Count(n) => i64::try_from(n).ok(),
            Value::Change(n) => Some(n),
            Value::Amount(_) => None,
        }
    }

    /// The kind of this value.
    #[must_use]
    pub fn kind(self) -> ValueKind {
        match self {
            Value::Count(_) => ValueKind::Count,
            Value::Change(_) => ValueKind::Change,
            Value::Amount(_) => ValueKind::Amount,
        }
    }

    /// Makes a value of `kind` from a whole number, if it fits (a count must be ≥ 0).
    #[must_use]
    pub fn from_integer(kind: ValueKind, n: i64) -> Option<Value> {
        match kind {
            ValueKind::Count => u64::try_from(n).ok().map(Value::Count),
            ValueKind::Change => Some(Value::Change(n)),
            ValueKind::Amount => n
                .checked_mul(FEN_PER_WAN_YUAN)
                .map(|fen| Value::Amount(Amount { fen })),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Change(n) => write!(f, "{n}"),
            Value::Amount(a) => write!(f, "{a}"),
        }
    }
}

/// A byte range in the source text (UTF-8), where a cell's raw text was read.
pub type Span = Range<usize>;

/// Why a cell's confidence is below 1, in words a reviewer understands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// The cell is printed empty. Blank is not zero.
    Blank,
    /// Several numbers stand in one cell (`0 0`), e.g. two paragraphs of a .docx cell.
    SeveralNumbers,
    /// The digits may be one number written twice (`11` for `1`, `00` for `0`).
    Doubled,
    /// Characters that are not part of a number were dropped (`0φ`, `1€`).
    NonDigit {
        /// The dropped characters.
        dropped: String,
    },
    /// An annotation beside the number was set aside (`22（其中修订16件）`).
    Annotation {
        /// The annotation text.
        text: String,
    },
    /// An amount printed in 元 was converted to the template's 万元.
    ConvertedFromYuan,
    /// The cell was cut out of digits printed without boundaries; the table's arithmetic
    /// admitted exactly this split.
    GluedSplit {
        /// The digits as printed.
        run: String,
    },
    /// Digits printed without boundaries admit several splits; see the candidates.
    GluedAmbiguous {
        /// The digits as printed.
        run: String,
    },
    /// No split of digits printed without boundaries satisfies the table's arithmetic.
    GluedNoFit {
        /// The digits as printed.
        run: String,
    },
    /// The row has fewer cells than the template: which cell is which was inferred.
    PositionInferred,
    /// The row has one number more than the template, and reading two neighbouring numbers as
    /// one (`2 | 0` as `20`) makes the row's own arithmetic hold: in that reading, this cell
    /// holds `reading`. Proposed by `SPLIT-CELL`, never taken without the reviewer.
    SplitCell {
        /// The two numbers as printed (`2 | 0`).
        printed: String,
        /// This cell's value in the joined reading.
        reading: Value,
    },
    /// The row's label was not found, so the cell could not be located.
    LabelMissing,
    /// Only part of the row's label was found (cut by a line break, or misread): the row may be
    /// another one.
    LabelLoose,
    /// The text could not be read as a number.
    Unreadable,
    /// The printed number is not allowed in this cell (a negative or fractional count).
    InvalidForKind {
        /// The printed text.
        printed: String,
    },
    /// The text looks like OCR output whose reading order is scrambled.
    OcrText,
    /// The OCR engine was unsure of these characters (its confidence, 0–100).
    OcrConfidence {
        /// The lowest confidence of the cell's words.
        confidence: u8,
    },
    /// The OCR engine was unsure, but every sum the cell is in holds with it, and the other
    /// cells of those sums are sure: the sums fix its value.
    OcrConfirmed {
        /// The lowest confidence of the cell's characters.
        confidence: u8,
        /// How many sums confirm it.
        sums: u8,
    },
}

impl Reason {
    /// The highest confidence a cell with this reason can have.
    #[must_use]
    pub fn confidence_cap(&self) -> f32 {
        match self {
            Reason::Blank
            | Reason::LabelMissing
            | Reason::Unreadable
            | Reason::InvalidForKind { .. } => 0.0,
            Reason::GluedNoFit { .. } => 0.2,
            Reason::GluedAmbiguous { .. } | Reason::OcrText => 0.3,
            Reason::NonDigit { .. } => 0.4,
            Reason::SeveralNumbers
            | Reason::Doubled
            | Reason::PositionInferred
            | Reason::SplitCell { .. } => 0.5,
            Reason::LabelLoose => 0.7,
            Reason::GluedSplit { .. } | Reason::Annotation { .. } | Reason::OcrConfirmed { .. } => {
                0.9
            }
            Reason::OcrConfidence { confidence } => {
                if *confidence >= OCR_DOUBTFUL_BELOW {
                    0.9
                } else {
                    f32::from(*confidence) / 100.0 * 0.8
                }
            }
            Reason::ConvertedFromYuan => 0.95,
        }
    }

    /// A stable code for tools.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Blank => "blank",
            Reason::SeveralNumbers => "several_numbers",
            Reason::Doubled => "doubled",
            Reason::NonDigit { .. } => "non_digit",
            Reason::Annotation { .. } => "annotation",
            Reason::ConvertedFromYuan => "converted_from_yuan",
            Reason::GluedSplit { .. } => "glued_split",
            Reason::GluedAmbiguous { .. } => "glued_ambiguous",
            Reason::GluedNoFit { .. } => "glued_no_fit",
            Reason::PositionInferred => "position_inferred",
            Reason::SplitCell { .. } => "split_cell",
            Reason::LabelMissing => "label_missing",
            Reason::LabelLoose => "label_loose",
            Reason::Unreadable => "unreadable",
            Reason::InvalidForKind { .. } => "invalid_for_kind",
            Reason::OcrText => "ocr_text",
            Reason::OcrConfidence { .. } => "ocr_confidence",
            Reason::OcrConfirmed { .. } => "ocr_confirmed",
        }
    }
}

impl crate::lang::Localized for Reason {
    fn zh(&self) -> String {
        match self {
            Reason::Blank => "单元格空白（未填写，不等于0），需要审核人确认".into(),
            Reason::SeveralNumbers => "一个单元格内有多个数字".into(),
            Reason::Doubled => "数字可能被重复书写（如“11”可能是“1”）".into(),
            Reason::NonDigit { dropped } => format!("含有非数字字符“{dropped}”，已忽略"),
            Reason::Annotation { text } => format!("数字旁有注释“{text}”"),
            Reason::ConvertedFromYuan => "金额原以元为单位，已换算为万元".into(),
            Reason::GluedSplit { run } => {
                format!("原文单元格粘连（“{run}”），按表内勾稽关系唯一拆分")
            }
            Reason::GluedAmbiguous { run } => {
                format!("原文单元格粘连（“{run}”），有多种拆分方式，见候选值")
            }
            Reason::GluedNoFit { run } => {
                format!("原文单元格粘连（“{run}”），没有一种拆分满足表内勾稽关系")
            }
            Reason::PositionInferred => "该行单元格数量与模板不符，单元格位置为推断".into(),
            Reason::SplitCell { printed, reading } => format!(
                "该行比模板多一个数；把相邻的“{printed}”读作一个数时本行勾稽成立，本格应为{reading}"
            ),
            Reason::LabelMissing => "找不到该行的标签，无法定位单元格".into(),
            Reason::LabelLoose => {
                "该行标签只部分匹配（可能被换行截断或识别有误），请核对所在行".into()
            }
            Reason::Unreadable => "无法识别为数字".into(),
            Reason::InvalidForKind { printed } => format!("“{printed}”不是该单元格允许的数值"),
            Reason::OcrText => "文本来自OCR识别，阅读顺序可能错乱".into(),
            Reason::OcrConfidence { confidence } => {
                format!("扫描件经OCR识别，识别可信度{confidence}%")
            }
            Reason::OcrConfirmed { confidence, sums } => format!(
                "扫描件经OCR识别，识别可信度{confidence}%，由{sums}个勾稽关系（其余单元格均可信）印证"
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            Reason::Blank => "blank cell (not zero): a reviewer must confirm it".into(),
            Reason::SeveralNumbers => "several numbers in one cell".into(),
            Reason::Doubled => "the digits may be one number written twice (`11` for `1`)".into(),
            Reason::NonDigit { dropped } => {
                format!("non-digit characters `{dropped}` were dropped")
            }
            Reason::Annotation { text } => format!("annotation `{text}` beside the number"),
            Reason::ConvertedFromYuan => "amount printed in yuan, converted to 10k yuan".into(),
            Reason::GluedSplit { run } => {
                format!(
                    "cells printed without boundaries (`{run}`); the table's arithmetic admits one split"
                )
            }
            Reason::GluedAmbiguous { run } => {
                format!(
                    "cells printed without boundaries (`{run}`) admit several splits; see candidates"
                )
            }
            Reason::GluedNoFit { run } => {
                format!(
                    "cells printed without boundaries (`{run}`); no split satisfies the table's arithmetic"
                )
            }
            Reason::PositionInferred => {
                "the row has a different number of cells than the template".into()
            }
            Reason::SplitCell { printed, reading } => format!(
                "the row has one number more than the template; read `{printed}` as one number \
                 and the row adds up, this cell then being {reading}"
            ),
            Reason::LabelMissing => "the row's label was not found".into(),
            Reason::LabelLoose => {
                "the row's label matched only in part (cut by a line break or misread)".into()
            }
            Reason::Unreadable => "not readable as a number".into(),
            Reason::InvalidForKind { printed } => {
                format!("`{printed}` is not allowed in this cell")
            }
            Reason::OcrText => "OCR text whose reading order may be scrambled".into(),
            Reason::OcrConfidence { confidence } => {
                format!("read from a scan by OCR, {confidence}% sure")
            }
            Reason::OcrConfirmed { confidence, sums } => format!(
                "read from a scan by OCR, {confidence}% sure, confirmed by {sums} sums whose other cells are sure"
            ),
        }
    }
}

// Where a cell came from: its place in a structured document or on a page.

/// The unit of a place on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PageUnit {
    /// Points (1/72 inch), as a PDF's text layer places things.
    #[default]
    #[serde(rename = "pt")]
    Points,
    /// Pixels of a scanned page's image.
    #[serde(rename = "px")]
    Pixels,
}

/// A rectangle on a page, from the page's top-left corner, in its `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// The page, from 1.
    pub page: usize,
    /// What the edges are measured in.
    #[serde(default)]
    pub unit: PageUnit,
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

/// Where a cell of a document's table came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// Which table of the document, from 1.
    pub table: usize,
    /// Which row of the table, from 1.
    pub row: usize,
    /// Which cell of the row, from 1 (as printed, merged cells counting once).
    pub cell: usize,
    /// The cell's bytes in the document's main part (`word/document.xml`), or in the file itself
    /// for Markdown, when known.
    pub bytes: Option<Range<usize>>,
    /// The cell's box on its page, for a document laid out on pages (PDF).
    #[serde(default)]
    pub area: Option<Area>,
    /// The line of the file the cell is written on, from 1, for a text format (Markdown).
    /// Absent elsewhere, and then not written, so records of other formats keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Origin {
    /// The place in words a reviewer can find in the document: page, table, row, cell. (The
    /// bytes in `word/document.xml` are for tools, not for people.)
    #[must_use]
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        // The page, not the coordinates: their unit depends on the format (points or pixels).
        match lang {
            crate::lang::Lang::Zh => {
                let page = self
                    .area
                    .map_or_else(String::new, |a| format!("第{}页 ", a.page));
                let line = self
                    .line
                    .map_or_else(String::new, |l| format!("（文件第{l}行）"));
                format!(
                    "{page}第{}个表格 第{}行 第{}格{line}",
                    self.table, self.row, self.cell
                )
            }
            crate::lang::Lang::En => {
                let page = self
                    .area
                    .map_or_else(String::new, |a| format!("page {}, ", a.page));
                let line = self
                    .line
                    .map_or_else(String::new, |l| format!(" (line {l} of the file)"));
                format!(
                    "{page}table {}, row {}, cell {}{line}",
                    self.table, self.row, self.cell
                )
            }
        }
    }
}

/// A box on a scanned page's image, in its pixels: which page (from 1) and where on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageBox {
    /// The page, from 1.
    pub page: u32,
    /// Left edge.
    pub left: u32,
    /// Top edge.
    pub top: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// OCR confidences (0–100) below this make a cell doubtful: the engine is unsure of a character.
pub const OCR_DOUBTFUL_BELOW: u8 = 93;

/// Cells below this confidence are highlighted for the reviewer.
pub const LOW_CONFIDENCE: f32 = 0.8;

/// Why a cell's reading is in doubt. Inline while there are at most two reasons: most cells
/// have none or one (`Blank`), a cell of OCR text has [`Reason::OcrText`] and often one more
/// (`Unreadable`, `LabelMissing`), and a report reads hundreds of cells.
pub type Reasons = smallvec::SmallVec<[Reason; 2]>;

/// One extracted cell: its value, what it was read from, and how sure we are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The value, or `None` where nothing could be read (blank is not zero).
    pub value: Option<Value>,
    /// The text the value was read from, as printed. (Inline up to 23 bytes: a report's cells
    /// are read without allocating their text.)
    pub raw: SmolStr,
    /// Where `raw` is in the source text; `None` when the cell was not located.
    pub span: Option<Span>,
    /// How sure the reading is, in 0..=1.
    pub confidence: f32,
    /// Why the confidence is below 1.
    pub reasons: Reasons,
    /// Other readings the text admits, the chosen one first.
    pub candidates: Vec<Value>,
    /// Where the cell is in a structured document (.docx, .html): table, row, cell. (Boxed: most
    /// reports are text, and a cell is moved often enough for its size to count.)
    #[serde(default)]
    pub origin: Option<Box<Origin>>,
    /// Where the cell is on a scanned page.
    #[serde(default)]
    pub image_box: Option<PageBox>,
}

impl Cell {
    /// A cell that could not be located at all.
    #[must_use]
    pub fn missing(reason: Reason) -> Cell {
        let mut cell = Cell::printed(SmolStr::default(), None, None);
        cell.add_reason(reason);
        cell
    }

    /// A cell read from `raw` (at `span` in the source), fully confident until a reason lowers
    /// it.
    #[must_use]
    pub fn printed(raw: impl Into<SmolStr>, span: Option<Span>, value: Option<Value>) -> Cell {
        Cell {
            value,
            raw: raw.into(),
            span,
            confidence: 1.0,
            reasons: Reasons::new(),
            candidates: Vec::new(),
            origin: None,
            image_box: None,
        }
    }

    /// Where the cell is on its page's image, in the image's pixels: a scan's cell where OCR read
    /// it; a text PDF's cell from its box in points, on a page drawn at `pixels_per_point`
    /// (`None` until it is drawn).
    #[must_use]
    pub fn box_on_page(&self, pixels_per_point: Option<f32>) -> Option<PageBox> {
        if let Some(b) = self.image_box {
            return Some(b);
        }
        let scale = pixels_per_point?;
        let area = self.origin.as_ref()?.area?;
        if area.unit != PageUnit::Points {
            return None;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "page coordinates, small and clamped at 0"
        )]
        let px = |v: f32| (v * scale).max(0.0).round() as u32;
        Some(PageBox {
            page: u32::try_from(area.page).unwrap_or(u32::MAX),
            left: px(area.left),
            top: px(area.top),
            width: px(area.right - area.left),
            height: px(area.bottom - area.top),
        })
    }

    /// Whether the reviewer must look at this cell.
    #[must_use]
    pub fn is_low_confidence(&self) -> bool {
        self.confidence < LOW_CONFIDENCE
    }

    /// Adds a reason and lowers the confidence to its cap.
    pub fn add_reason(&mut self, reason: Reason) {
        self.confidence = self.confidence.min(reason.confidence_cap());
        if !self.reasons.contains(&reason) {
            self.reasons.push(reason);
        }
    }
}

/// The file format a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text as converted from .docx, scraped from a web page, or from OCR.
    Txt,
    /// A Word document.
    Docx,
    /// A saved web page.
    Html,
    /// Markdown, as a PDF-to-Markdown converter or an OCR service writes it.
    Markdown,
    /// A PDF with a text layer.
    Pdf,
    /// A scanned page image (PNG, JPEG, TIFF), read by OCR.
    Image,
}

impl Format {
    /// The format's name in the JSON output.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Pdf => "pdf",
            Format::Image => "image",
        }
    }
}

/// Where a report came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The path as given.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Its size in bytes, as read.
    #[serde(default)]
    pub size: u64,
    /// The format it was read as.
    pub format: Format,
}

/// A number stated in the prose, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stated {
    /// The number; for [`Topic::Fees`] an amount in 分 (0.000001 万元), as [`Amount`] holds it.
    pub value: u64,
    /// The sentence fragment it was read from.
    pub text: String,
    /// Where the fragment is in the source text.
    pub span: Span,
}

/// What a number in the prose is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    /// Applications received (表三 第一项 总计).
    Applications,
    /// Administrative reviews (表四 行政复议 总计).
    Reviews,
    /// Lawsuits (表四 行政诉讼 总计, both kinds).
    Suits,
    /// Applications granted and partly granted (予以公开 + 部分公开).
    GrantedOrPartial,
    /// Applications denied (不予公开, all reasons).
    Denied,
    /// Applications that could not be answered (无法提供, all reasons).
    Unable,
    /// Applications not handled (不予处理, all reasons).
    Ignored,
    /// "All upheld" said of the reviews (均获维持): no other outcome and none pending.
    AllUpheld,
    /// Applications accepted (受理, also 代表…受理 of an office answering for its government):
    /// 表三's new applications, or new and carried-in together — reports say either.
    Accepted,
    /// Of those, from natural persons (其中自然人…件).
    AcceptedNatural,
    /// Of those, from legal persons and other organisations (法人或其他组织…件).
    AcceptedOrganisations,
    /// Regulations in force (现行有效规章…件), 表二.
    RegulationsInForce,
    /// Normative documents in force (现行有效规范性文件…件), 表二.
    NormativeInForce,
    /// Administrative licensing decisions (行政许可…件), 表二.
    Licensing,
    /// Administrative penalty decisions (行政处罚…件), 表二.
    Penalties,
    /// Administrative fees collected (行政事业性收费…万元), 表二; the stated value is in 分.
    Fees,
}

/// A number stated in the prose, with its topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// What it is about.
    pub topic: Topic,
    /// The number and where it was said.
    pub stated: Stated,
}

/// What the report says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// The publishing body, from the title.
    pub organization: Option<String>,
    /// The report year, from the title (else from the statistical period).
    pub year: Option<u16>,
    /// The year in the title.
    pub title_year: Option<u16>,
    /// The title as printed.
    pub title: Option<String>,
    /// The year of the stated statistical period (统计期限自…).
    pub period_year: Option<u16>,
    /// The stated period as printed.
    pub period_text: Option<String>,
    /// Numbers the prose states about the tables, by topic.
    pub statements: Vec<Statement>,
    /// Sections 一 to 六 whose heading was not found (numbers 1 to 6).
    pub missing_sections: Vec<u8>,
    /// The sections whose heading was found, in order, with what is written under each outside
    /// the tables: what the rules on a report's substance read.
    #[serde(default)]
    pub sections: Vec<SectionProse>,
    /// How often the prose names each year (`2021年`), outside the tables, the title and the
    /// statistical period.
    #[serde(default)]
    pub years_named: BTreeMap<u16, u32>,
}

/// What a section says under its heading, outside the tables.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SectionProse {
    /// The section, 1 to 6 (一 to 六).
    pub number: u8,
    /// Its text outside the tables, its white space collapsed; cut at [`SectionProse::KEPT`]
    /// characters.
    pub text: String,
    /// Characters of that text (all of it, not only what is kept), white space not counted.
    pub chars: usize,
    /// Its sentences (ended by 。！？；, or the end): one sentence is a thin section.
    pub sentences: usize,
}

impl SectionProse {
    /// The characters of a section's text kept: enough for the rules that read it.
    pub const KEPT: usize = 2000;
}

/// One report, read: the input of every check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where it came from.
    pub source: Source,
    /// What it says about itself.
    pub meta: Metadata,
    /// Which variant of each table it prints.
    pub layout: Layout,
    /// Tables that were not found at all.
    pub missing_tables: Vec<crate::template::TableId>,
    /// Every cell of the layout, in printed order.
    pub cells: CellMap,
}

/// A report's cells by id, in id order (which is printed order). Sorted lists rather than a
/// tree: a report's cells are read once, already in order, and looked up far more often than
/// added; building a tree of cells of about 150 bytes each cost a tenth of reading a report.
/// The ids and the cells are two lists side by side: a lookup searches the ids alone, and the
/// reader appends a row's cells at once, where pairing each with its id moved every cell twice
/// more (a sixth of the tables' reading went to copying cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellMap {
    /// The ids, ascending.
    ids: Vec<CellId>,
    /// The cell of each id, in the same order.
    cells: Vec<Cell>,
}

impl CellMap {
    /// The cells of `ids`, given side by side: kept as given when the ids ascend, as a report's
    /// cells are read; else put in order as [`CellMap::from_iter`] does. Of two lists of
    /// different lengths, the longer is cut to the shorter.
    #[must_use]
    pub fn from_lists(mut ids: Vec<CellId>, mut cells: Vec<Cell>) -> CellMap {
        if ids.len() == cells.len() && ids.is_sorted_by(|a, b| a < b) {
            return CellMap { ids, cells };
        }
        let len = ids.len().min(cells.len());
        ids.truncate(len);
        cells.truncate(len);
        ids.into_iter().zip(cells).collect()
    }

    fn position(&self, id: CellId) -> Result<usize, usize> {
        self.ids.binary_search(&id)
    }

    /// The cell of `id`, if the report has it.
    #[must_use]
    pub fn get(&self, id: &CellId) -> Option<&Cell> {
        let at = self.position(*id).ok()?;
        self.cells.get(at)
    }

    /// The cell of `id` to change, if the report has it.
    pub fn get_mut(&mut self, id: &CellId) -> Option<&mut Cell> {
        let at = self.position(*id).ok()?;
        self.cells.get_mut(at)
    }

    /// Whether the report has a cell `id`.
    #[must_use]
    pub fn contains_key(&self, id: &CellId) -> bool {
        self.position(*id).is_ok()
    }

    /// How many cells there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The cells with their ids, in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&CellId, &Cell)> + ExactSizeIterator {
        self.ids.iter().zip(&self.cells)
    }

    /// The ids, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &CellId> + ExactSizeIterator {
        self.ids.iter()
    }

    /// The cells, in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Cell> + ExactSizeIterator {
        self.cells.iter()
    }

    /// The cells, in id order, to change.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Cell> + ExactSizeIterator {
        self.cells.iter_mut()
    }
}

impl std::ops::Index<&CellId> for CellMap {
    type Output = Cell;

    /// The cell of `id`. Panics where there is none, as a map's index does: for tests and for
    /// ids taken from the map itself.
    fn index(&self, id: &CellId) -> &Cell {
        match self.get(id) {
            Some(cell) => cell,
            None => panic!("no cell {id:?}"),
        }
    }
}

impl FromIterator<(CellId, Cell)> for CellMap {
    /// Cells in any order; of two with one id, the later is kept, as a map keeps it.
    fn from_iter<I: IntoIterator<Item = (CellId, Cell)>>(cells: I) -> CellMap {
        let mut entries: Vec<(CellId, Cell)> = cells.into_iter().collect();
        // Stable: equal ids stay in the order given.
        entries.sort_by_key(|(id, _)| *id);
        // Of a run of one id, the last given stays, in the place of the first.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        let (ids, cells) = entries.into_iter().unzip();
        CellMap { ids, cells }
    }
}

impl<'a> IntoIterator for &'a CellMap {
    type Item = (&'a CellId, &'a Cell);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, CellId>, std::slice::Iter<'a, Cell>>;

    fn into_iter(self) -> Self::IntoIter {
        self.ids.iter().zip(&self.cells)
    }
}

impl IntoIterator for CellMap {
    type Item = (CellId, Cell);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<CellId>, std::vec::IntoIter<Cell>>;

    fn into_iter(self) -> Self::IntoIter {
        self.ids.into_iter().zip(self.cells)
    }
}

impl Serialize for CellMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for CellMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<CellMap, D::Error> {
        Ok(BTreeMap::<CellId, Cell>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

impl Report {
    /// The report's edition: the edition of its 表二.
    #[must_use]
    pub fn edition(&self) -> Edition {
        self.layout.t2
    }

    /// The value of a cell, if the report has it and it was read.
    #[must_use]
    pub fn value(&self, id: CellId) -> Option<Value> {
        self.cells.get(&id).and_then(|c| c.value)
    }

    /// How many cells the reviewer must look at.
    #[must_use]
    pub fn low_confidence_count(&self) -> usize {
        self.cells
            .values()
            .filter(|c| c.is_low_confidence())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cell list behaves as the map it replaced: any order in, id order out, the last of
    /// several cells of one id kept, lookups by id, and the same RON both ways.
    #[test]
    fn the_cell_list_behaves_as_a_map_of_cells() {
        let ids: Vec<CellId> = CellId::all().take(40).collect();
        let cell = |n: u64| Cell::printed(n.to_string(), None, Some(Value::Count(n)));
        let mut given: Vec<(CellId, Cell)> = ids
            .iter()
            .rev()
            .enumerate()
            .map(|(n, &id)| (id, cell(n as u64)))
            .collect();
        given.push((ids[3], cell(998)));
        given.push((ids[3], cell(999)));
        let tree: BTreeMap<CellId, Cell> = given.iter().cloned().collect();
        let mut list: CellMap = given.into_iter().collect();
        assert_eq!(list.len(), tree.len());
        assert!(list.iter().eq(tree.iter()));
        assert_eq!(list[&ids[3]].value, Some(Value::Count(999)));
        let ron = ron::to_string(&list).unwrap();
        assert_eq!(ron, ron::to_string(&tree).unwrap());
        assert_eq!(ron::from_str::<CellMap>(&ron).unwrap(), list);

        let absent = CellId::all().nth(41).unwrap();
        assert!(list.get(&absent).is_none() && !list.contains_key(&absent));
        if let Some(c) = list.get_mut(&ids[0]) {
            c.value = None;
        }
        assert_eq!(list.get(&ids[0]).map(|c| c.value), Some(None));
        assert!(list.keys().zip(list.keys().skip(1)).all(|(a, b)| a < b));
        assert_eq!(list.len(), 40);
    }

    /// Lists given side by side make the map that pairs given one by one make: as they are when
    /// the ids ascend, put in order (the last of one id kept) when not, cut to the shorter.
    #[test]
    fn cells_given_beside_their_ids_make_the_same_map() {
        let ids: Vec<CellId> = CellId::all().take(30).collect();
        let cell = |n: usize| Cell::printed(n.to_string(), None, Some(Value::Count(n as u64)));
        let cells = |ids: &[CellId]| -> Vec<Cell> { (0..ids.len()).map(cell).collect() };
        let paired = |ids: &[CellId]| -> CellMap { ids.iter().copied().zip(cells(ids)).collect() };

        let ascending = CellMap::from_lists(ids.clone(), cells(&ids));
        assert_eq!(ascending, paired(&ids));
        assert!(
            ascending
                .iter()
                .enumerate()
                .all(|(n, (&id, c))| id == ids[n] && *c == cell(n))
        );

        let mut shuffled: Vec<CellId> = ids.iter().rev().copied().collect();
        shuffled.extend([ids[5], ids[5]]);
        let map = CellMap::from_lists(shuffled.clone(), cells(&shuffled));
        assert_eq!(map, paired(&shuffled));
        assert_eq!(map.len(), 30);
        assert_eq!(map[&ids[5]], cell(shuffled.len() - 1));

        let short = CellMap::from_lists(ids.clone(), cells(&ids[..10]));
        assert_eq!(short, paired(&ids[..10]));
        assert_eq!(short.len(), 10);
    }

    #[test]
    fn amounts_print_in_wan_yuan_without_trailing_zeros() {
        assert_eq!(Amount { fen: 38_390_000 }.to_string(), "38.39");
        assert_eq!(Amount { fen: 7_539_443_252 }.to_string(), "7539.443252");
        assert_eq!(Amount { fen: 0 }.to_string(), "0");
        assert!(
            (Amount {
                fen: 24_252_311_082
            }
            .wan_yuan()
                - 24_252.311_082)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn amounts_parse_back_from_their_display() {
        for fen in [0, 38_390_000, 7_539_443_252, -1_000_000, 1] {
            let amount = Amount { fen };
            assert_eq!(Amount::parse_wan_yuan(&amount.to_string()), Some(amount));
        }
        assert_eq!(Amount::parse_wan_yuan("1.2345678"), None);
        assert_eq!(Amount::parse_wan_yuan("abc"), None);
    }

    #[test]
    fn counts_cannot_be_negative() {
        assert_eq!(Value::from_integer(ValueKind::Count, -1), None);
        assert_eq!(
            Value::from_integer(ValueKind::Change, -7),
            Some(Value::Change(-7))
        );
    }
}
