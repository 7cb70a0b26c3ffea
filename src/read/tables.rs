//! Reads every cell of the tables: rows are located by their labels in order, the text between
//! two labels is cut into items, and the items become cells — one per item where the boundaries
//! survived, or by splitting glued digits with the table's arithmetic.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use smallvec::SmallVec;

use super::bounds::Bounds;
use super::cell::{doubled_reading, parse_number, read_cell};
use super::glued::{Part, Splits, pieces, split_ranked};
use super::items::{Cutter, Item, ItemKind, Mode, mode_of};
use super::labels::{Found, Indexed};
use crate::model::{Cell, CellMap, Reason, Value};
use crate::rules::{RuleId, relations, row_total_width, sides};
use crate::template::{
    CellId, ColumnRole, Layout, MarkerDef, RowDef, T2_MARKERS, T3_MARKERS, T4_MARKERS, T4_ROWS,
    TableId, ValueKind,
};

/// A row's cells before the tables' arithmetic has had its say.
struct RowRead {
    ids: Cow<'static, [CellId]>,
    /// Where the row's cells are in the report's list of cells, one for each of `ids`: every
    /// row is read straight into that list (a report's rows are read in order), not into a
    /// list of its own that is then moved into it.
    cells: Range<usize>,
    glued: Option<Glued>,
    /// The row's label matched only in part.
    loose: bool,
}

/// The splits of a row whose digits were glued.
struct Glued {
    splits: Splits,
    run: String,
    span: Range<usize>,
    /// Whether the splits satisfy the row's own arithmetic.
    fit: bool,
}

/// The values of one row, taken from the items after its label: leading label text that continues
/// the label's own line is skipped, and the row ends at the next label text.
fn row_items<'i>(doc: &Indexed<'_>, label_end: usize, all: &'i [Item]) -> &'i [Item] {
    let mut rest = all;
    if let Some(first) = rest.first()
        && first.kind == ItemKind::Label
        && !doc.source[label_end.min(first.span.start)..first.span.start].contains(['\n', '\t'])
    {
        rest = &rest[1..];
    }
    let end = rest
        .iter()
        .position(|i| i.kind == ItemKind::Label)
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A check on a prefix of a row's values: the row totals of 表三 and 表四.
type RowCheck = dyn Fn(&[Value]) -> bool;

fn no_check(_: &[Value]) -> bool {
    true
}

/// `total = sum of the others` for each complete row of `table`, where a rule of
/// [`crate::rules::SUM_RULES`] makes a row's last value its total; no check where none does.
fn group_totals(table: TableId) -> impl Fn(&[Value]) -> bool {
    let width = row_total_width(table).unwrap_or(0);
    move |values: &[Value]| {
        if width == 0 || values.is_empty() || !values.len().is_multiple_of(width) {
            return true;
        }
        let group = &values[values.len() - width..];
        let sum: Option<i64> = group[..width - 1].iter().map(|v| v.as_integer()).sum();
        sum.is_some() && group[width - 1].as_integer() == sum
    }
}

/// Makes cells from a row's items, at the end of `out`: one per item (or whitespace-separated
/// token) where the boundaries survived; else a glued split the row's arithmetic vouches for;
/// else the items placed in the columns where they read best.
fn read_row(
    doc: &Indexed<'_>,
    ids: Cow<'static, [CellId]>,
    data: &[Item],
    mode: Mode,
    check: Option<&RowCheck>,
    out: &mut Vec<Cell>,
) -> RowRead {
    // (A row has at most fifteen columns: its lists are kept on the stack.)
    let kinds: SmallVec<[ValueKind; 16]> = ids.iter().map(|id| id.kind()).collect();
    let n = kinds.len();
    let source = doc.source;
    let values = || data.iter().filter(|i| i.kind == ItemKind::Value);
    // A scrape or a PDF's text often puts a whole row on one line, its cells split by spaces:
    // then, as in a glued scrape, whitespace is the boundary.
    let by_whitespace = mode == Mode::Glued || (mode == Mode::Lines && data.len() < n);
    let tokens: SmallVec<[Range<usize>; 16]> = if by_whitespace {
        whitespace_tokens(source, values())
    } else {
        data.iter().map(|i| i.span.clone()).collect()
    };
    let first = out.len();
    if tokens.len() >= n && (!by_whitespace || tokens.len() == n) {
        one_per_token(source, &tokens, &kinds, out);
        if let Some(check) = check {
            mark_joined_reading(source, &tokens, &kinds, check, &mut out[first..]);
        }
        return RowRead::plain(ids, first, out);
    }
    let values: Vec<&Item> = values().collect();
    if values.is_empty() {
        return RowRead::missing(ids, &Reason::Unreadable, out);
    }
    if let Some(glued) = glued(source, &ids, &values, mode, check) {
        // Its cells are made from its splits once the rules across rows have narrowed them
        // ([`finish`]); until then they are unreadable, never a confident blank.
        return RowRead {
            glued: Some(glued),
            ..RowRead::missing(ids, &Reason::Unreadable, out)
        };
    }
    out.extend(place(source, &tokens, &kinds));
    RowRead::plain(ids, first, out)
}

/// The items' text as whitespace-separated tokens, which in a glued scrape are the only
/// boundaries.
fn whitespace_tokens<'i>(
    source: &str,
    values: impl Iterator<Item = &'i Item>,
) -> SmallVec<[Range<usize>; 16]> {
    let mut tokens = SmallVec::new();
    for item in values {
        let mut start = item.span.start;
        for token in source[item.span.clone()].split_inclusive(char::is_whitespace) {
            let printed = start..start + token.trim_end().len();
            start += token.len();
            if !printed.is_empty() {
                tokens.push(printed);
            }
        }
    }
    tokens
}

/// One cell per token, in order, at the end of `out`; tokens left over make every place a
/// guess.
fn one_per_token(source: &str, tokens: &[Range<usize>], kinds: &[ValueKind], out: &mut Vec<Cell>) {
    let n = kinds.len();
    let first = out.len();
    out.extend(
        tokens[..n]
            .iter()
            .zip(kinds)
            .map(|(span, &kind)| read_cell(source, span.clone(), kind)),
    );
    if tokens[n..]
        .iter()
        .any(|span| !source[span.clone()].trim().is_empty())
    {
        for c in &mut out[first..] {
            c.add_reason(Reason::PositionInferred);
        }
    }
}

/// A row with one number more than it has columns, as when a converter or a layout cuts a `20`
/// into `2 | 0`: where exactly one way of reading two neighbouring numbers as one makes the row's
/// own arithmetic hold, each cell that reading would change is told its value in it
/// ([`Reason::SplitCell`], and a candidate). The row stays as printed, every cell flagged:
/// `SPLIT-CELL` proposes the joined reading and the reviewer decides.
fn mark_joined_reading(
    source: &str,
    tokens: &[Range<usize>],
    kinds: &[ValueKind],
    check: &RowCheck,
    cells: &mut [Cell],
) {
    let n = kinds.len();
    // Blanks after the last number are the next row's padding, as for `one_per_token`. (Most
    // rows have as many tokens as columns: they are let go before anything is gathered.)
    let text = |t: &Range<usize>| source[t.clone()].trim();
    let printed = tokens.len()
        - tokens
            .iter()
            .rev()
            .take_while(|t| text(t).is_empty())
            .count();
    if printed != n + 1 {
        return;
    }
    let texts: Vec<&str> = tokens[..printed].iter().map(text).collect();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let fits: Vec<(usize, Vec<Value>)> = (0..n)
        .filter(|&j| digits(texts[j]) && digits(texts[j + 1]))
        .filter_map(|j| {
            let joined = format!("{}{}", texts[j], texts[j + 1]);
            let values = kinds
                .iter()
                .enumerate()
                .map(|(k, &kind)| {
                    let text = match k.cmp(&j) {
                        std::cmp::Ordering::Less => texts[k],
                        std::cmp::Ordering::Equal => &joined,
                        std::cmp::Ordering::Greater => texts[k + 1],
                    };
                    parse_number(text, kind, None).ok()
                })
                .collect::<Option<Vec<Value>>>()?;
            // The check looks at the last complete group of a prefix: every prefix, every group.
            (1..=n).all(|k| check(&values[..k])).then_some((j, values))
        })
        .collect();
    let [(j, values)] = fits.as_slice() else {
        return;
    };
    let printed = format!("{} | {}", texts[*j], texts[j + 1]);
    for (cell, &reading) in cells.iter_mut().zip(values) {
        if cell.value == Some(reading) {
            continue;
        }
        if cell.candidates.is_empty() {
            cell.candidates.extend(cell.value);
        }
        if !cell.candidates.contains(&reading) {
            cell.candidates.push(reading);
        }
        cell.add_reason(Reason::SplitCell {
            printed: printed.clone(),
            reading,
        });
    }
}

/// The row's digits split into its cells, when they are glued (a glued scrape), or when the
/// row's own arithmetic vouches for a split (elsewhere fewer cells than columns usually means
/// dropped blanks, not glued digits).
fn glued(
    source: &str,
    ids: &[CellId],
    values: &[&Item],
    mode: Mode,
    check: Option<&RowCheck>,
) -> Option<Glued> {
    let kinds: Vec<ValueKind> = ids.iter().map(|id| id.kind()).collect();
    let span = values.first()?.span.start..values.last()?.span.end;
    let all_pieces: Vec<_> = values
        .iter()
        .map(|i| pieces(&source[i.span.clone()], i.span.start))
        .collect::<Option<Vec<_>>>()?
        .concat();
    let running_total = ids
        .last()
        .is_some_and(|id| id.def().column.role == ColumnRole::Running);
    let splits = split_ranked(
        &all_pieces,
        &kinds,
        check.unwrap_or(&no_check),
        running_total,
    );
    if mode != Mode::Glued && (check.is_none() || splits.solutions.is_empty()) {
        return None;
    }
    let fit = check.is_none() || !splits.solutions.is_empty();
    let splits = if splits.solutions.is_empty() {
        split_ranked(&all_pieces, &kinds, &no_check, running_total)
    } else {
        splits
    };
    Some(Glued {
        splits,
        run: source[span.clone()].to_owned(),
        span,
        fit,
    })
}

/// Places fewer cells than columns: each in order, in the columns where they read best (an
/// amount with its unit in the amount column), and says that the places are guesses.
fn place(source: &str, tokens: &[Range<usize>], kinds: &[ValueKind]) -> Vec<Cell> {
    const MAX_PLACEMENTS: usize = 10_000;
    let n = kinds.len();
    let t = tokens.len().min(n);
    // Whether each token reads well in each column, worked out once: the search below asks
    // the same question of the same pair thousands of times.
    // (A row's columns are of a few kinds: each token is read once for each kind.)
    let fit: Vec<Vec<(ValueKind, bool)>> = tokens[..t]
        .iter()
        .map(|token| {
            let mut read: Vec<(ValueKind, bool)> = Vec::new();
            for &kind in kinds {
                if read.iter().all(|&(k, _)| k != kind) {
                    let cell = read_cell(source, token.clone(), kind);
                    let fits = cell.value.is_some()
                        && !cell
                            .reasons
                            .iter()
                            .any(|r| matches!(r, Reason::InvalidForKind { .. }));
                    read.push((kind, fits));
                }
            }
            read
        })
        .collect();
    let fits = |token: usize, column: usize| {
        fit[token]
            .iter()
            .any(|&(kind, fits)| kind == kinds[column] && fits)
    };
    // Columns for each token, increasing; the first placement with the most fits wins.
    let mut best: Vec<usize> = (0..t).collect();
    let mut best_score = (0..t).filter(|&k| fits(k, k)).count();
    let mut columns: Vec<usize> = (0..t).collect();
    let mut seen = 0;
    while seen < MAX_PLACEMENTS {
        seen += 1;
        let score = columns
            .iter()
            .enumerate()
            .filter(|&(k, &c)| fits(k, c))
            .count();
        if score > best_score {
            best_score = score;
            best.clone_from(&columns);
        }
        // Next combination of t columns out of n, in lexicographic order.
        let Some(k) = (0..t).rev().find(|&k| columns[k] < n - t + k) else {
            break;
        };
        columns[k] += 1;
        for j in k + 1..t {
            columns[j] = columns[j - 1] + 1;
        }
    }
    let mut cells: Vec<Cell> = (0..n)
        .map(|_| Cell::missing(Reason::PositionInferred))
        .collect();
    for (token, &column) in best.iter().enumerate() {
        cells[column] = read_cell(source, tokens[token].clone(), kinds[column]);
    }
    for c in &mut cells {
        c.add_reason(Reason::PositionInferred);
    }
    cells
}

impl RowRead {
    /// A row read cell by cell, its cells at the end of `out` from `first`. Every row is read
    /// with a cell for each id: a debug build (the tests) stops at a row that is not, and a
    /// release build fills or cuts the row to its ids (the cells after it would otherwise be
    /// paired with the wrong ids), the filling cells unreadable.
    fn plain(ids: Cow<'static, [CellId]>, first: usize, out: &mut Vec<Cell>) -> RowRead {
        debug_assert_eq!(ids.len(), out.len() - first, "a row's ids and cells");
        out.resize_with(first + ids.len(), || Cell::missing(Reason::Unreadable));
        RowRead {
            ids,
            cells: first..out.len(),
            glued: None,
            loose: false,
        }
    }

    /// A row none of whose cells could be located, all for the same reason: its cells are
    /// added to `out`.
    fn missing(ids: Cow<'static, [CellId]>, reason: &Reason, out: &mut Vec<Cell>) -> RowRead {
        let first = out.len();
        out.extend(ids.iter().map(|_| Cell::missing(reason.clone())));
        RowRead::plain(ids, first, out)
    }

    /// Adds the row's ids to the report's list of ids, beside its cells in the list of cells
    /// (the rows are listed in the order they were read).
    fn list_ids(&self, ids: &mut Vec<CellId>) {
        debug_assert_eq!(ids.len(), self.cells.start, "a row's place among the cells");
        ids.extend_from_slice(&self.ids);
    }

    /// How many readings the row has: its splits if glued, else one.
    fn readings(&self) -> usize {
        self.glued.as_ref().map_or(1, |g| g.splits.solutions.len())
    }

    /// The cell values of reading `choice`; `cells` is the report's list.
    fn values(&self, choice: usize, cells: &[Cell]) -> Vec<(CellId, Value)> {
        match &self.glued {
            None => self
                .ids
                .iter()
                .zip(&cells[self.cells.clone()])
                .filter_map(|(&id, c)| Some((id, c.value?)))
                .collect(),
            Some(g) => g
                .splits
                .solutions
                .get(choice)
                .map_or_else(Vec::new, |parts| {
                    self.ids
                        .iter()
                        .zip(parts)
                        .map(|(&id, p)| (id, p.value))
                        .collect()
                }),
        }
    }
}

/// Narrows the splits of glued rows with the rules across rows (the balance and results sums of
/// 表三): a split survives if some choice of the other rows' splits satisfies every rule.
fn resolve(rows: &mut [RowRead], cells: &[Cell], layout: Layout) {
    const MAX_COMBINATIONS: usize = 50_000;
    let ambiguous: Vec<usize> = (0..rows.len())
        .filter(|&r| rows[r].readings() > 1)
        .collect();
    let sizes: Vec<usize> = ambiguous.iter().map(|&r| rows[r].readings()).collect();
    let total = sizes.iter().try_fold(1_usize, |acc, &s| {
        acc.checked_mul(s).filter(|&p| p <= MAX_COMBINATIONS)
    });
    let (false, Some(total)) = (ambiguous.is_empty(), total) else {
        return;
    };
    let fixed: BTreeMap<CellId, Value> = rows
        .iter()
        .filter(|row| row.readings() == 1)
        .flat_map(|row| row.values(0, cells))
        .collect();
    let ambiguous_cells: Vec<CellId> = ambiguous
        .iter()
        .flat_map(|&r| rows[r].ids.iter().copied())
        .collect();
    let rules: Vec<_> = relations(layout)
        .iter()
        .filter(|rel| matches!(rel.rule.rule, RuleId::T3Balance | RuleId::T3ResultsSum))
        .filter(|rel| rel.cells().any(|c| ambiguous_cells.contains(&c)))
        .collect();
    let mut survivors: Vec<Vec<bool>> = sizes.iter().map(|&s| vec![false; s]).collect();
    let mut choice = vec![0_usize; ambiguous.len()];
    for _ in 0..total {
        let mut values = fixed.clone();
        for (k, &r) in ambiguous.iter().enumerate() {
            values.extend(rows[r].values(choice[k], cells));
        }
        let lookup = |id: CellId| values.get(&id).copied();
        if rules
            .iter()
            .all(|rel| sides(rel, &lookup).is_none_or(|(l, r)| l == r))
        {
            for (k, &c) in choice.iter().enumerate() {
                survivors[k][c] = true;
            }
        }
        // The next combination, like an odometer.
        for (k, c) in choice.iter_mut().enumerate() {
            *c += 1;
            if *c < sizes[k] {
                break;
            }
            *c = 0;
        }
    }
    if !survivors.iter().any(|s| s.contains(&true)) {
        return;
    }
    for (k, &r) in ambiguous.iter().enumerate() {
        if let Some(g) = rows[r].glued.as_mut() {
            let mut keep = survivors[k].iter();
            g.splits
                .solutions
                .retain(|_| keep.next().copied().unwrap_or(false));
        }
    }
}

/// Turns a row's splits into its cells (in `cells`, the report's list): agreed values are
/// confident, disputed ones carry candidates.
fn finish(row: &mut RowRead, ocr: bool, cells: &mut [Cell]) {
    let cells = &mut cells[row.cells.clone()];
    if let Some(g) = row.glued.take() {
        let solutions = &g.splits.solutions;
        let cell = |k: usize| {
            let Some(best) = solutions.first() else {
                let mut cell = Cell::missing(Reason::GluedNoFit { run: g.run.clone() });
                cell.raw = g.run.as_str().into();
                cell.span = Some(g.span.clone());
                return cell;
            };
            let part: &Part = &best[k];
            let mut candidates: Vec<Value> = Vec::new();
            for s in solutions {
                if !candidates.contains(&s[k].value) {
                    candidates.push(s[k].value);
                }
            }
            let mut cell =
                Cell::printed(part.raw.clone(), Some(part.span.clone()), Some(part.value));
            let run = g.run.clone();
            if !g.fit {
                cell.add_reason(Reason::GluedNoFit { run });
                cell.candidates = candidates;
            } else if candidates.len() > 1 || g.splits.truncated {
                cell.add_reason(Reason::GluedAmbiguous { run });
                cell.candidates = candidates;
            } else {
                cell.add_reason(Reason::GluedSplit { run });
            }
            cell.candidates.truncate(8);
            cell
        };
        for (k, slot) in cells.iter_mut().enumerate() {
            *slot = cell(k);
        }
    }
    if row.loose {
        for c in cells.iter_mut() {
            c.add_reason(Reason::LabelLoose);
        }
    }
    if ocr {
        for c in cells {
            c.add_reason(Reason::OcrText);
        }
    }
}

/// Finds the rows of a table in order within `range`, and the region of text each one owns.
fn locate_rows(
    doc: &Indexed<'_>,
    rows: &[&RowDef],
    markers: &[&MarkerDef],
    range: &Range<usize>,
) -> Vec<Option<(Range<usize>, bool)>> {
    // Whole labels first, in order; then, between the rows found, prefixes of the missing ones
    // (a label cut by a line break), which never reach past a row found whole.
    let mut found: Vec<Option<Found>> = Vec::with_capacity(rows.len());
    let mut cursor = range.start;
    for row in rows {
        let hit = doc.find_label(&row.label, cursor, range.end);
        if let Some(h) = hit {
            cursor = h.end;
        }
        found.push(hit);
    }
    for i in 0..rows.len() {
        if found[i].is_some() {
            continue;
        }
        let from = found[..i]
            .iter()
            .flatten()
            .last()
            .map_or(range.start, |f| f.end);
        let to = found[i + 1..]
            .iter()
            .flatten()
            .next()
            .map_or(range.end, |f| f.start);
        found[i] = doc.find_label_with(&rows[i].label, from, to, true);
    }
    let marks = doc.marks(markers.iter().map(|m| &m.label), range);
    (0..rows.len())
        .map(|i| {
            let here = found[i]?;
            let next_row = found[i + 1..]
                .iter()
                .flatten()
                .map(|f| f.start)
                .next()
                .unwrap_or(range.end);
            let next_marker = marks.first_start(here.end, next_row).unwrap_or(next_row);
            Some((
                here.end..next_marker.min(next_row).max(here.end),
                here.loose,
            ))
        })
        .collect()
}

/// Reads every cell of the layout's tables; the cells of a table that was not found are
/// missing ([`Reason::LabelMissing`]).
#[must_use]
pub fn read_tables(doc: &Indexed<'_>, bounds: &Bounds, layout: Layout, ocr: bool) -> CellMap {
    // Gathered in printed order, which is the ids' order: the lists are the map as it stands.
    let mut ids: Vec<CellId> = Vec::with_capacity(256);
    let mut cells: Vec<Cell> = Vec::with_capacity(256);
    let t3_check = group_totals(TableId::T3);
    for table in [TableId::T2, TableId::T3] {
        let range = match table {
            TableId::T2 => bounds.t2.clone(),
            _ => bounds.t3.clone(),
        };
        let rows = layout.rows(table);
        let Some(range) = range else {
            for row in &rows {
                RowRead::missing(row.cell_ids(table), &Reason::LabelMissing, &mut cells)
                    .list_ids(&mut ids);
            }
            continue;
        };
        let mut markers: Vec<&MarkerDef> = match table {
            TableId::T2 => T2_MARKERS.iter().collect(),
            _ => T3_MARKERS.iter().collect(),
        };
        if table == TableId::T3
            && let Some(heading) = layout.t3_other.def().t3_other_heading
        {
            markers.push(heading);
        }
        let source_range = doc.source_range(range.clone());
        let mode = mode_of(&doc.source[source_range]);
        let regions = locate_rows(doc, &rows, &markers, &range);
        let check: Option<&RowCheck> = (table == TableId::T3).then_some(&t3_check);
        let mut cutter = Cutter::default();
        let mut reads: Vec<RowRead> = Vec::with_capacity(rows.len());
        for (row, region) in rows.iter().zip(regions) {
            let ids = row.cell_ids(table);
            let Some((region, loose)) = region else {
                reads.push(RowRead::missing(ids, &Reason::LabelMissing, &mut cells));
                continue;
            };
            let source_region = doc.region_range(region);
            let label_end = source_region.start;
            let all = cutter.cut(doc.source, source_region, mode);
            let data = row_items(doc, label_end, all);
            reads.push(RowRead {
                loose,
                ..read_row(doc, ids, data, mode, check, &mut cells)
            });
        }
        if table == TableId::T3 {
            resolve(&mut reads, &cells, layout);
        }
        end_table(&mut reads, ocr, &mut ids, &mut cells);
    }
    if let Some(range) = bounds.t4.clone() {
        let mut reads = [read_t4(doc, range, &mut cells)];
        end_table(&mut reads, ocr, &mut ids, &mut cells);
    } else {
        RowRead::missing(
            Cow::Borrowed(T4_IDS.as_slice()),
            &Reason::LabelMissing,
            &mut cells,
        )
        .list_ids(&mut ids);
    }
    CellMap::from_lists(ids, cells)
}

/// Makes the cells of a table's rows final (their splits, their doubts) and lists their ids
/// beside them (each row has a cell for each id, [`RowRead::plain`]).
fn end_table(reads: &mut [RowRead], ocr: bool, ids: &mut Vec<CellId>, cells: &mut [Cell]) {
    for read in reads.iter_mut() {
        finish(read, ocr, cells);
    }
    flag_doubling(reads, cells);
    for read in reads.iter() {
        read.list_ids(ids);
    }
}

/// Where a table shows that its cells were written twice (`0 0`, `00`), a repeated number such
/// as `11` may be `1` written twice too: flag it and offer both readings. `reads` are the
/// table's rows, their cells in `cells`.
fn flag_doubling(reads: &[RowRead], cells: &mut [Cell]) {
    let doubling = reads.iter().flat_map(|r| &cells[r.cells.clone()]).any(|c| {
        c.reasons
            .iter()
            .any(|r| matches!(r, Reason::Doubled | Reason::SeveralNumbers))
    });
    if !doubling {
        return;
    }
    for read in reads {
        for (id, cell) in read.ids.iter().zip(&mut cells[read.cells.clone()]) {
            let Some(value) = cell.value else { continue };
            let Some(once) = doubled_reading(&cell.raw, id.kind()).filter(|&once| once != value)
            else {
                continue;
            };
            cell.add_reason(Reason::Doubled);
            cell.candidates = vec![value, once];
        }
    }
}

/// The cells of 表四, left to right: listed once, and lent to every report's row as the other
/// tables' rows are lent theirs by the registry.
static T4_IDS: LazyLock<Vec<CellId>> = LazyLock::new(|| {
    T4_ROWS
        .iter()
        .flat_map(|row| row.cell_ids(TableId::T4).into_owned())
        .collect()
});

/// 表四: after its headers, fifteen values left to right, its cells added to `out`.
fn read_t4(doc: &Indexed<'_>, range: Range<usize>, out: &mut Vec<Cell>) -> RowRead {
    let ids: Cow<'static, [CellId]> = Cow::Borrowed(T4_IDS.as_slice());
    let source_range = doc.source_range(range.clone());
    let mode = mode_of(&doc.source[source_range.clone()]);
    let mut cutter = Cutter::default();
    let all = cutter.cut(doc.source, source_range.clone(), mode);
    // Header labels are label items; the data are the first run of items with a value in it.
    let runs = || all.split(|i| i.kind == ItemKind::Label);
    // A table printed entirely blank (a template, a body with nothing to report) has no value
    // run: then its data are the last run of blank cells wide enough to be the row.
    let data = runs()
        .find(|r| r.iter().any(|i| i.kind == ItemKind::Value))
        .or_else(|| runs().rev().find(|r| r.len() >= ids.len()))
        .unwrap_or_default();
    let header_seen = T4_MARKERS
        .iter()
        .any(|m| doc.norm.find_within(m, range.start, range.end).is_some());
    if !header_seen {
        return RowRead::missing(ids, &Reason::LabelMissing, out);
    }
    read_row(doc, ids, data, mode, Some(&group_totals(TableId::T4)), out)
}
