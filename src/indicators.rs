//! The indicators an office ranks bodies by — 实质公开率, 复议纠错率 and the rest — derived from a
//! report's cells: values, not findings. Each is a ratio of sums of cells, undefined (never 0 %)
//! where its denominator is 0 or a cell it needs is blank or unread; and each has a yellow and a
//! red mark whose thresholds are data ([`THRESHOLDS`]), applied only to a ratio over enough
//! cases to mean something ([`Threshold::minimum`]).

use serde::{Deserialize, Serialize};

use crate::model::Value;
use crate::template::{CellId, ResultGroup, RowRole, T3_HEAD_ROWS, TableId};

/// The indicators, in the order an office reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorId {
    /// 实质公开率: (予以公开 + 部分公开) / 办理结果总计.
    Substantive,
    /// 不予公开率: the eight 不予公开 rows / 办理结果总计.
    Denied,
    /// 无法提供率: the 无法提供 rows / 办理结果总计.
    Unable,
    /// The share of 本机关不掌握相关政府信息 among the 无法提供 answers.
    NotHeld,
    /// 复议纠错率: 行政复议 结果纠正 / 行政复议 总计.
    ReviewCorrected,
    /// 诉讼纠错率: 行政诉讼 结果纠正 / 行政诉讼 总计, both kinds of suit together.
    SuitCorrected,
    /// 结转率: 结转下年度继续办理 / (本年新收 + 上年结转).
    CarriedOut,
}

impl IndicatorId {
    /// Every indicator, in order.
    pub const ALL: [IndicatorId; 7] = [
        IndicatorId::Substantive,
        IndicatorId::Denied,
        IndicatorId::Unable,
        IndicatorId::NotHeld,
        IndicatorId::ReviewCorrected,
        IndicatorId::SuitCorrected,
        IndicatorId::CarriedOut,
    ];

    /// Its code in JSON and exports.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            IndicatorId::Substantive => "substantive",
            IndicatorId::Denied => "denied",
            IndicatorId::Unable => "unable",
            IndicatorId::NotHeld => "not_held",
            IndicatorId::ReviewCorrected => "review_corrected",
            IndicatorId::SuitCorrected => "suit_corrected",
            IndicatorId::CarriedOut => "carried_out",
        }
    }

    /// Its name in Chinese, as offices write it.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            IndicatorId::Substantive => "实质公开率",
            IndicatorId::Denied => "不予公开率",
            IndicatorId::Unable => "无法提供率",
            IndicatorId::NotHeld => "无法提供中本机关不掌握占比",
            IndicatorId::ReviewCorrected => "复议纠错率",
            IndicatorId::SuitCorrected => "诉讼纠错率",
            IndicatorId::CarriedOut => "结转率",
        }
    }

    /// Its name in English.
    #[must_use]
    pub fn en(self) -> &'static str {
        match self {
            IndicatorId::Substantive => "substantive disclosure rate",
            IndicatorId::Denied => "refusal rate",
            IndicatorId::Unable => "cannot-provide rate",
            IndicatorId::NotHeld => "not held, share of cannot-provide",
            IndicatorId::ReviewCorrected => "review correction rate",
            IndicatorId::SuitCorrected => "lawsuit correction rate",
            IndicatorId::CarriedOut => "carry-over rate",
        }
    }

    /// The cells it is computed from, numerator's then denominator's.
    #[must_use]
    pub fn cells(self) -> Vec<CellId> {
        let (above, below) = self.terms();
        above.into_iter().chain(below).collect()
    }

    /// The mark's thresholds, if it has any.
    #[must_use]
    pub fn threshold(self) -> Option<&'static Threshold> {
        THRESHOLDS.iter().find(|t| t.indicator == self)
    }

    /// The cells summed above and below the line: numerator, denominator.
    fn terms(self) -> (Vec<CellId>, Vec<CellId>) {
        let t3 = |rows: &[&str]| -> Vec<CellId> {
            rows.iter()
                .filter_map(|row| CellId::of(TableId::T3, row, "total"))
                .collect()
        };
        let t4 = |rows: &[&str], column: &str| -> Vec<CellId> {
            rows.iter()
                .filter_map(|row| CellId::of(TableId::T4, row, column))
                .collect()
        };
        let suits = ["suit_direct", "suit_after_review"];
        match self {
            IndicatorId::Substantive => (t3(&["granted", "partial"]), t3(&["results_total"])),
            IndicatorId::Denied => (group(ResultGroup::Denied), t3(&["results_total"])),
            IndicatorId::Unable => (group(ResultGroup::Unable), t3(&["results_total"])),
            IndicatorId::NotHeld => (t3(&["unable.not_held"]), group(ResultGroup::Unable)),
            IndicatorId::ReviewCorrected => {
                (t4(&["review"], "corrected"), t4(&["review"], "total"))
            }
            IndicatorId::SuitCorrected => (t4(&suits, "corrected"), t4(&suits, "total")),
            IndicatorId::CarriedOut => (t3(&["carried_out"]), t3(&["new", "carried_in"])),
        }
    }
}

/// The 总计 cells of one group of 表三's result rows (the eight of （三）不予公开, the three of
/// （四）无法提供), as the template lists them.
fn group(group: ResultGroup) -> Vec<CellId> {
    T3_HEAD_ROWS
        .iter()
        .filter(|row| matches!(row.role, RowRole::Result(g) if g == group))
        .filter_map(|row| CellId::of(TableId::T3, row.key, "total"))
        .collect()
}

/// Which way an indicator goes bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    /// A high value deserves a look.
    High,
    /// A low value deserves a look.
    Low,
}

/// When an indicator is marked yellow or red: thresholds as data, each with why.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    /// The indicator.
    pub indicator: IndicatorId,
    /// Which way is bad.
    pub bad: Bad,
    /// Past this (a share, 0–1) the indicator is marked yellow.
    pub yellow: f64,
    /// Past this it is marked red.
    pub red: f64,
    /// The fewest cases (the denominator) for a mark: a ratio of 1 in 2 says nothing.
    pub minimum: u64,
    /// Why these numbers, for the office that adjusts them and the reviewer who sees a mark.
    pub comment_zh: &'static str,
    /// The same in English.
    pub comment_en: &'static str,
}

/// The marks. An office that ranks by other thresholds changes this table, nothing else.
pub static THRESHOLDS: &[Threshold] = &[
    Threshold {
        indicator: IndicatorId::Substantive,
        bad: Bad::Low,
        yellow: 0.5,
        red: 0.3,
        minimum: 10,
        // Under half of the answers giving the information is unusual for a body that answers
        // ordinary requests; under a third, most requests went unanswered in substance.
        comment_zh: "低于一半申请获得实质公开即需关注；低于三成为红色",
        comment_en: "under half of the answers disclosing in substance deserves a look; under 30 % is red",
    },
    Threshold {
        indicator: IndicatorId::Denied,
        bad: Bad::High,
        yellow: 0.15,
        red: 0.3,
        minimum: 10,
        // Refusals are the exception the regulations allow; more than one in seven answers
        // refused asks whether the exceptions are read too widely.
        comment_zh: "不予公开为条例规定的例外；超过15%需关注，超过30%为红色",
        comment_en: "refusal is the exception the regulations allow; over 15 % deserves a look, over 30 % is red",
    },
    Threshold {
        indicator: IndicatorId::Unable,
        bad: Bad::High,
        yellow: 0.4,
        red: 0.6,
        minimum: 10,
        // Many bodies answer a large share with "not held"; past 60 % the requests are mostly
        // misdirected or the answers are a habit.
        comment_zh: "无法提供过多可能是申请错投或答复习惯；超过40%需关注，超过60%为红色",
        comment_en: "many cannot-provide answers may mean misdirected requests or a habit; over 40 % deserves a look, over 60 % is red",
    },
    Threshold {
        indicator: IndicatorId::ReviewCorrected,
        bad: Bad::High,
        yellow: 0.1,
        red: 0.2,
        minimum: 5,
        // A reviewing body that corrects one answer in ten finds the answers often wrong.
        comment_zh: "复议纠错率超过10%需关注，超过20%为红色（至少5件复议）",
        comment_en: "reviews correcting over 10 % deserve a look, over 20 % is red (at least 5 reviews)",
    },
    Threshold {
        indicator: IndicatorId::SuitCorrected,
        bad: Bad::High,
        yellow: 0.1,
        red: 0.2,
        minimum: 5,
        // As for reviews: courts correcting one answer in ten.
        comment_zh: "诉讼纠错率超过10%需关注，超过20%为红色（至少5件诉讼）",
        comment_en: "courts correcting over 10 % deserve a look, over 20 % is red (at least 5 lawsuits)",
    },
    Threshold {
        indicator: IndicatorId::CarriedOut,
        bad: Bad::High,
        yellow: 0.1,
        red: 0.25,
        minimum: 10,
        // Applications are answered within 20 working days (40 with an extension): only those
        // of the last weeks of December should carry over.
        comment_zh: "申请应在20个工作日内答复，结转的应只是年末收到的；超过10%需关注，超过25%为红色",
        comment_en: "answers are due in 20 working days, so only the last weeks' applications should carry over; over 10 % deserves a look, over 25 % is red",
    },
];

/// A mark on an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// Worth a look.
    Yellow,
    /// Well past what is usual.
    Red,
}

/// Why an indicator has no value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// A cell it needs has no value (blank, unread, or not a count).
    Blank(CellId),
    /// Its denominator is 0: nothing to divide.
    NothingToDivide,
    /// The report's layout has no such cells.
    NoCells,
}

impl Undefined {
    /// Why, in Chinese.
    #[must_use]
    pub fn zh(&self) -> String {
        match self {
            Undefined::Blank(cell) => format!("{}无数值", cell.label_zh()),
            Undefined::NothingToDivide => "分母为0".into(),
            Undefined::NoCells => "报告无相应单元格".into(),
        }
    }

    /// Why, in English.
    #[must_use]
    pub fn en(&self) -> String {
        match self {
            Undefined::Blank(cell) => format!("{} has no value", cell.label_en()),
            Undefined::NothingToDivide => "the denominator is 0".into(),
            Undefined::NoCells => "the report has no such cells".into(),
        }
    }
}

/// One indicator of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Which.
    pub id: IndicatorId,
    /// The numerator and denominator, when every cell had a value and the denominator is not 0.
    pub ratio: Result<(u64, u64), Undefined>,
    /// Its mark, if past a threshold over enough cases.
    pub mark: Option<Mark>,
    /// Whether a cell it was computed from is still doubtful (read with low confidence and not
    /// yet looked at): the value may change when the cell is, and is shown as doubtful.
    pub doubtful: bool,
}

impl Indicator {
    /// The value as a share (0–1), if defined.
    #[must_use]
    pub fn share(&self) -> Option<f64> {
        self.ratio.as_ref().ok().map(|&r| share(r))
    }

    /// The value as people write it (`85.3%`), or `—` when undefined.
    #[must_use]
    pub fn percent(&self) -> String {
        self.share()
            .map_or_else(|| "—".into(), |s| format!("{:.1}%", s * 100.0))
    }
}

/// A numerator over a denominator, as a share.
#[expect(
    clippy::cast_precision_loss,
    reason = "counts of applications are far below 2^52"
)]
fn share((numerator, denominator): (u64, u64)) -> f64 {
    numerator as f64 / denominator as f64
}

/// Sums the cells' counts, or names the first without one.
fn sum(cells: &[CellId], value: &dyn Fn(CellId) -> Option<Value>) -> Result<u64, Undefined> {
    if cells.is_empty() {
        return Err(Undefined::NoCells);
    }
    cells
        .iter()
        .try_fold(0_u64, |total, &cell| match value(cell) {
            Some(Value::Count(n)) => Ok(total.saturating_add(n)),
            _ => Err(Undefined::Blank(cell)),
        })
}

/// The mark `threshold` gives `share` over `cases`.
fn mark(threshold: &Threshold, share: f64, cases: u64) -> Option<Mark> {
    if cases < threshold.minimum {
        return None;
    }
    let past = |limit: f64| match threshold.bad {
        Bad::High => share > limit,
        Bad::Low => share < limit,
    };
    if past(threshold.red) {
        Some(Mark::Red)
    } else if past(threshold.yellow) {
        Some(Mark::Yellow)
    } else {
        None
    }
}

/// Every indicator of a report whose cells have the values `value` gives (the values read, or
/// the values that count after review), each doubtful where `doubtful` says a cell of its is.
#[must_use]
pub fn indicators(
    value: &dyn Fn(CellId) -> Option<Value>,
    doubtful: &dyn Fn(CellId) -> bool,
) -> Vec<Indicator> {
    IndicatorId::ALL
        .iter()
        .map(|&id| {
            let (above, below) = id.terms();
            let ratio = sum(&above, value).and_then(|n| {
                let d = sum(&below, value)?;
                if d == 0 {
                    Err(Undefined::NothingToDivide)
                } else {
                    Ok((n, d))
                }
            });
            #[expect(
                clippy::cast_precision_loss,
                reason = "counts of applications are far below 2^52"
            )]
            let mark = ratio
                .as_ref()
                .ok()
                .and_then(|&(n, d)| mark(id.threshold()?, n as f64 / d as f64, d));
            Indicator {
                id,
                ratio,
                mark,
                doubtful: above.iter().chain(&below).any(|&c| doubtful(c)),
            }
        })
        .collect()
}
