//! Where the tables are and which edition each follows: 表二, 表三 and 表四 found by their
//! headings, and the edition read from their headers (else the report's year).

use std::ops::Range;

use super::labels::Indexed;
use crate::template::{Edition, Layout, TableId};

/// Where each table is, in normalised offsets.
#[derive(Debug, Default)]
pub struct Bounds {
    /// 表二, from its heading to the next table's.
    pub(super) t2: Option<Range<usize>>,
    /// 表三.
    pub(super) t3: Option<Range<usize>>,
    /// 表四.
    pub(super) t4: Option<Range<usize>>,
}

impl Bounds {
    /// Finds the tables. `None` when neither 表二 nor 表三 is there: not the standard template.
    #[must_use]
    pub fn find(doc: &Indexed<'_>) -> Option<Bounds> {
        let end = doc.norm.text.len();
        let t3_start = doc.find("本年新收政府信息公开申请数量", 0);
        let t2_start = doc
            .find("第二十条第", 0)
            .filter(|&s| t3_start.is_none_or(|t3| s < t3))
            .or_else(|| {
                let limit = t3_start?;
                let mut last = None;
                let mut from = 0;
                while let Some(at) = doc
                    .find("主动公开政府信息情况", from)
                    .filter(|&a| a < limit)
                {
                    last = Some(at);
                    from = at + 1;
                }
                last
            });
        if t2_start.is_none() && t3_start.is_none() {
            return None;
        }
        let t4_from = t3_start.or(t2_start).unwrap_or(0);
        let t4_start = doc
            .find("政府信息公开行政复议行政诉讼情况", t4_from)
            .or_else(|| doc.find("行政复议行政诉讼", t4_from))
            .or_else(|| doc.find("行政复议", t4_from));
        let t4_end = t4_start
            .and_then(|s| {
                doc.find("存在的主要问题", s)
                    .or_else(|| doc.find("存在问题", s))
            })
            .unwrap_or(end);
        Some(Bounds {
            t2: t2_start.map(|s| s..t3_start.or(t4_start).unwrap_or(end)),
            t3: t3_start.map(|s| s..t4_start.unwrap_or(end)),
            t4: t4_start.map(|s| s..t4_end),
        })
    }

    /// The source ranges of the tables that were found.
    #[must_use]
    pub fn source_ranges(&self, doc: &Indexed<'_>) -> Vec<Range<usize>> {
        [&self.t2, &self.t3, &self.t4]
            .into_iter()
            .flatten()
            .map(|r| doc.source_range(r.clone()))
            .collect()
    }

    /// Tables that were not found.
    #[must_use]
    pub fn missing(&self) -> Vec<TableId> {
        [
            (TableId::T2, &self.t2),
            (TableId::T3, &self.t3),
            (TableId::T4, &self.t4),
        ]
        .into_iter()
        .filter(|(_, r)| r.is_none())
        .map(|(t, _)| t)
        .collect()
    }
}

/// Reads which edition 表二 follows from its column headers: the edition more of whose own
/// header words are printed than any other's; `None` when no header says.
fn t2_edition(doc: &Indexed<'_>, bounds: &Bounds) -> Option<Edition> {
    let range = bounds.t2.clone()?;
    let mut counts: Vec<(usize, Edition)> = Edition::all()
        .map(|edition| {
            let found = edition
                .def()
                .t2_keywords
                .iter()
                .filter(|k| doc.norm.find_within(k, range.start, range.end).is_some())
                .count();
            (found, edition)
        })
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    match counts.as_slice() {
        [(best, edition), rest @ ..] if *best > 0 && rest.iter().all(|(n, _)| n < best) => {
            Some(*edition)
        }
        _ => None,
    }
}

/// Reads which edition 表三's （六）其他处理 follows: an edition whose heading is printed with
/// one of its sub-rows under it; else, where the row is printed alone, an edition with one row.
fn t3_other_edition(doc: &Indexed<'_>, bounds: &Bounds) -> Option<Edition> {
    let range = bounds.t3.clone()?;
    let mut printed = false;
    for edition in Edition::all() {
        let Some(heading) = edition.def().t3_other_heading else {
            continue;
        };
        let Some(found) = doc.find_label(&heading.label, range.start, range.end) else {
            continue;
        };
        printed = true;
        let sub_row = edition
            .def()
            .t3_other_rows
            .iter()
            .any(|row| doc.find_label(&row.label, found.end, range.end).is_some());
        if sub_row {
            return Some(edition);
        }
    }
    let single = Edition::all().find(|e| e.def().t3_other_heading.is_none())?;
    let alone = single
        .def()
        .t3_other_rows
        .iter()
        .any(|row| doc.find_label(&row.label, range.start, range.end).is_some());
    (printed || alone).then_some(single)
}

/// Decides the layout: 表二's headers, else the report year; 表三's （六） as printed.
#[must_use]
pub fn layout(doc: &Indexed<'_>, bounds: &Bounds, year: Option<u16>) -> Layout {
    let newest = Edition::all().last().unwrap_or(Edition::E2021);
    let fallback = year.map_or(newest, Edition::for_year);
    let t2 = t2_edition(doc, bounds).unwrap_or(fallback);
    let t3_other = t3_other_edition(doc, bounds).unwrap_or(t2);
    Layout { t2, t3_other }
}
