//! Tables rebuilt from a page's layout: glyphs with their positions and the ruled lines drawn
//! on the page. Rules that touch each other make a table; the distinct rule positions make its
//! grid; where a rule between two grid cells is not drawn the cells are one merged cell; glyphs
//! belong to the cell their centre falls in. Text outside ruled tables becomes lines in the
//! order it was written, with a wide space where the gap between glyphs is a column's. The result is a [`Document`], read like a .docx or a web page.
//!
//! Nothing here knows PDF: a page is glyph boxes and line segments in points, y downwards.

use super::document::{Block, DocCell, Document, join_wrapped};
use crate::model::{Area, PageUnit};

/// One glyph on a page: its text and box, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Glyph {
    /// The characters it stands for (usually one).
    pub text: String,
    /// Left edge.
    pub left: f32,
    /// Right edge (left plus advance).
    pub right: f32,
    /// Top of the em box.
    pub top: f32,
    /// Bottom of the em box.
    pub bottom: f32,
}

impl Glyph {
    fn centre(&self) -> (f32, f32) {
        (
            f32::midpoint(self.left, self.right),
            f32::midpoint(self.top, self.bottom),
        )
    }

    fn size(&self) -> f32 {
        (self.bottom - self.top).max(1.0)
    }
}

/// A straight line ruled on a page (a border of a table), horizontal or vertical. (Not a rule
/// of the audit: those are [`crate::rules`].)
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    /// Whether it runs across (its position is a y) or down (an x).
    pub horizontal: bool,
    /// Its y when horizontal, its x when vertical.
    pub at: f32,
    /// Where it starts along its length.
    pub from: f32,
    /// Where it ends along its length (`to >= from`).
    pub to: f32,
}

impl Line {
    /// The rule from `(x0, y0)` to `(x1, y1)`, when it is horizontal or vertical and long enough
    /// to be a table rule rather than a glyph stroke.
    #[must_use]
    pub fn between(x0: f32, y0: f32, x1: f32, y1: f32) -> Option<Line> {
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        if dy <= SAME && dx >= MIN_RULE {
            Some(Line {
                horizontal: true,
                at: f32::midpoint(y0, y1),
                from: x0.min(x1),
                to: x0.max(x1),
            })
        } else if dx <= SAME && dy >= MIN_RULE {
            Some(Line {
                horizontal: false,
                at: f32::midpoint(x0, x1),
                from: y0.min(y1),
                to: y0.max(y1),
            })
        } else {
            None
        }
    }

    /// The rules a filled rectangle stands for: a thin bar is one rule along its middle; a
    /// larger box (a shaded cell, a page background) is none.
    #[must_use]
    pub fn of_bar(left: f32, top: f32, right: f32, bottom: f32) -> Option<Line> {
        let (width, height) = ((right - left).abs(), (bottom - top).abs());
        if height <= MAX_BAR && width > height {
            Line::between(
                left,
                f32::midpoint(top, bottom),
                right,
                f32::midpoint(top, bottom),
            )
        } else if width <= MAX_BAR && height > width {
            Line::between(
                f32::midpoint(left, right),
                top,
                f32::midpoint(left, right),
                bottom,
            )
        } else {
            None
        }
    }

    fn touches(&self, other: &Line) -> bool {
        if self.horizontal == other.horizontal {
            return (self.at - other.at).abs() <= SAME
                && self.from <= other.to + JOIN
                && other.from <= self.to + JOIN;
        }
        other.at >= self.from - JOIN
            && other.at <= self.to + JOIN
            && self.at >= other.from - JOIN
            && self.at <= other.to + JOIN
    }
}

/// One page: its glyphs and rules.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The page number, from 1.
    pub number: usize,
    /// What positions on it are measured in.
    pub unit: PageUnit,
    /// The glyphs, in any order.
    pub glyphs: Vec<Glyph>,
    /// The rules, in any order.
    pub lines: Vec<Line>,
}

/// Positions closer than this (points) are the same line of a grid.
const SAME: f32 = 1.5;
/// Rules whose ends are this close (points) touch.
const JOIN: f32 = 2.5;
/// Shorter strokes are not rules.
const MIN_RULE: f32 = 4.0;
/// A filled bar thinner than this (points) is a rule.
const MAX_BAR: f32 = 3.0;
/// A rule drawn along at least this share of a grid cell's side separates it from its neighbour.
const DRAWN: f32 = 0.5;
/// A gap between glyphs wider than this share of the font size is a space between words.
const WORD_GAP: f32 = 0.3;
/// A gap wider than this share of the font size separates two cells of a line without rules.
const CELL_GAP: f32 = 1.2;

/// The document the pages' layout shows: per page, its text lines and tables in reading order,
/// without page numbers. A table that ends one page and starts the next is one table.
#[must_use]
pub fn document(pages: &[Page]) -> Document {
    let mut blocks: Vec<Block> = Vec::new();
    for page in pages {
        let mut more = page_blocks(page).into_iter().peekable();
        if let Some(Block::Table(rows)) = blocks.last_mut()
            && let Some(Block::Table(continued)) = more.next_if(|b| matches!(b, Block::Table(_)))
        {
            rows.extend(continued);
        }
        blocks.extend(more);
    }
    Document { blocks }
}

/// The cells of each ruled table drawn by `rules` (a merged cell whole), as
/// `(left, top, right, bottom)` between the middles of its rules, and each table's outline:
/// where a scan's cells are read one by one, and what is left of the page for its prose.
#[must_use]
pub fn ruled_cells(rules: &[Line]) -> (Vec<[f32; 4]>, Vec<[f32; 4]>) {
    let mut cells = Vec::new();
    let mut outlines = Vec::new();
    for grid in tables(rules).iter().filter_map(|rules| grid(rules)) {
        for span in &grid.spans {
            cells.push([
                grid.xs[span.col.0],
                grid.ys[span.row.0],
                grid.xs[span.col.1 + 1],
                grid.ys[span.row.1 + 1],
            ]);
        }
        outlines.push([
            grid.xs[0],
            grid.ys[0],
            grid.xs[grid.xs.len() - 1],
            grid.ys[grid.ys.len() - 1],
        ]);
    }
    (cells, outlines)
}

/// Whether a line is a page number ("-4-", "第 4 页 共 9 页", "4/9").
fn is_page_number(text: &str) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    text.chars().count() <= 12
        && text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || "-－—–_第页共/".contains(c))
}

/// A table found on a page: its grid and the merged regions over it.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// For each grid cell (row-major), the region it belongs to.
    region: Vec<usize>,
    /// Each region's first and last grid row and column.
    spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    row: (usize, usize),
    col: (usize, usize),
}

impl Grid {
    fn columns(&self) -> usize {
        self.xs.len() - 1
    }

    fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    fn contains(&self, (x, y): (f32, f32)) -> bool {
        x >= self.xs[0]
            && x <= self.xs[self.xs.len() - 1]
            && y >= self.ys[0]
            && y <= self.ys[self.ys.len() - 1]
    }

    /// The region a point inside the grid falls in.
    fn region_at(&self, (x, y): (f32, f32)) -> usize {
        let col = self
            .xs
            .partition_point(|&e| e < x)
            .clamp(1, self.xs.len() - 1)
            - 1;
        let row = self
            .ys
            .partition_point(|&e| e < y)
            .clamp(1, self.ys.len() - 1)
            - 1;
        self.region[row * self.columns() + col]
    }
}

fn page_blocks(page: &Page) -> Vec<Block> {
    let grids: Vec<Grid> = tables(&page.lines)
        .iter()
        .filter_map(|rules| grid(rules))
        .collect();
    // Each glyph goes to the region of the table it is in, or stays free text.
    let mut in_cells: Vec<Vec<Vec<&Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.spans.len()])
        .collect();
    let mut free = Vec::new();
    for glyph in &page.glyphs {
        let centre = glyph.centre();
        match grids.iter().position(|g| g.contains(centre)) {
            Some(t) => in_cells[t][grids[t].region_at(centre)].push(glyph),
            None => free.push(glyph),
        }
    }
    // Text outside tables in the order it was written (how an unruled table keeps a wrapped
    // label with its row), each line after the tables that start above it.
    let mut tables: Vec<(f32, Block)> = grids
        .iter()
        .zip(in_cells)
        .map(|(grid, cells)| {
            (
                grid.ys[0],
                Block::Table(table_rows(grid, &cells, page.number, page.unit)),
            )
        })
        .collect();
    tables.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Lines run in the order written while they go on down the page, or up into another
    // column: such a stretch is kept whole (an unruled table's wrapped label stays with its
    // row), and stretches are placed by where they stand (a stream written backwards reads
    // forwards), each after the tables that start above it.
    let mut bands: Vec<Vec<Stretch>> = (0..=tables.len()).map(|_| Vec::new()).collect();
    let mut last: Option<(usize, usize, &Glyph, &Glyph)> = None;
    for run in runs(&free) {
        let top = run.iter().map(|g| g.top).fold(f32::INFINITY, f32::min);
        let bottom = run
            .iter()
            .map(|g| g.bottom)
            .fold(f32::NEG_INFINITY, f32::max);
        let size = run.iter().map(|g| g.size()).fold(1.0, f32::max);
        let text = line_text(&run, true);
        // A page number heads or ends the page: everything else is below it, or above it.
        let others = page.glyphs.len() - run.len();
        let above = page.glyphs.iter().filter(|g| g.bottom <= top + 1.0).count();
        let below = page.glyphs.iter().filter(|g| g.top >= bottom - 1.0).count();
        if is_page_number(&text) && (above == others || below == others) {
            continue;
        }
        let band = tables.partition_point(|(table_top, _)| *table_top < top);
        let line = Block::Paragraph(text);
        let (first, end) = (run[0], run[run.len() - 1]);
        match last {
            // Going on down (not past text placed below), or up into another column (an
            // unruled table's next cell).
            Some((b, at, prev_first, prev_end))
                if b == band
                    && bands[b].get(at + 1).is_none_or(|next| next.top > top)
                    && (top >= prev_first.top - size
                        || first.left >= prev_end.right
                        || end.right <= prev_first.left) =>
            {
                bands[b][at].lines.push(line);
                last = Some((b, at, first, end));
            }
            _ => {
                let stretches = &mut bands[band];
                let at = stretches
                    .iter()
                    .rposition(|s| s.top <= top + size)
                    .map_or(0, |i| i + 1);
                stretches.insert(
                    at,
                    Stretch {
                        top,
                        lines: vec![line],
                    },
                );
                last = Some((band, at, first, end));
            }
        }
    }
    let mut blocks = Vec::new();
    let mut bands = bands
        .into_iter()
        .map(|band| band.into_iter().flat_map(|s| s.lines));
    for (_, table) in tables {
        blocks.extend(bands.next().into_iter().flatten());
        blocks.push(table);
    }
    blocks.extend(bands.flatten());
    blocks
}

/// Lines written one after another going down the page, and where the first one starts.
struct Stretch {
    top: f32,
    lines: Vec<Block>,
}

/// Glyphs in the order they were written, cut into lines where the baseline moves or the text
/// goes back to the left.
fn runs<'g>(glyphs: &[&'g Glyph]) -> Vec<Vec<&'g Glyph>> {
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    for &glyph in glyphs {
        match out.last_mut() {
            Some(line)
                if line.last().is_some_and(|prev| {
                    let size = prev.size().max(glyph.size());
                    (glyph.bottom - prev.bottom).abs() <= 0.5 * size
                        && glyph.left >= prev.left - 0.5 * size
                }) =>
            {
                line.push(glyph);
            }
            _ => out.push(vec![glyph]),
        }
    }
    out
}

/// The representative of `i`'s set in a union-find forest.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups rules that touch, directly or through others: each group with rules both ways is a
/// table.
fn tables(rules: &[Line]) -> Vec<Vec<Line>> {
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if rules[i].touches(&rules[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: Vec<(usize, Vec<Line>)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let r = root(&mut parent, i);
        match groups.iter_mut().find(|(k, _)| *k == r) {
            Some((_, group)) => group.push(*rule),
            None => groups.push((r, vec![*rule])),
        }
    }
    groups
        .into_iter()
        .map(|(_, group)| group)
        .filter(|group| {
            let across = group.iter().filter(|r| r.horizontal).count();
            across >= 2 && group.len() - across >= 2
        })
        .collect()
}

/// Positions within [`SAME`] of each other, as one (their mean), sorted.
fn cluster(mut positions: Vec<f32>) -> Vec<f32> {
    positions.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32)> = Vec::new();
    for p in positions {
        match out.last_mut() {
            Some((sum, n)) if p - *sum / *n <= SAME => {
                *sum += p;
                *n += 1.0;
            }
            _ => out.push((p, 1.0)),
        }
    }
    out.into_iter().map(|(sum, n)| sum / n).collect()
}

/// How much of `from..to` the rules at `at` (one direction) cover.
fn covered(rules: &[&Line], at: f32, from: f32, to: f32) -> f32 {
    let mut pieces: Vec<(f32, f32)> = rules
        .iter()
        .filter(|r| (r.at - at).abs() <= SAME)
        .map(|r| (r.from.max(from), r.to.min(to)))
        .filter(|(a, b)| b > a)
        .collect();
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut total, mut reached) = (0.0, from);
    for (a, b) in pieces {
        if b > reached {
            total += b - a.max(reached);
            reached = b;
        }
    }
    total
}

/// The grid of one table's rules and the merged regions over it. The ends of the rules count as
/// edges too, so a table cut by a page break without a closing rule still has its last row.
/// (Only the outermost ends: a border drawn twice, once in part, adds no column.)
fn grid(rules: &[Line]) -> Option<Grid> {
    let across: Vec<&Line> = rules.iter().filter(|r| r.horizontal).collect();
    let down: Vec<&Line> = rules.iter().filter(|r| !r.horizontal).collect();
    let ends = |rules: &[&Line]| {
        let from = rules.iter().map(|r| r.from).fold(f32::INFINITY, f32::min);
        let to = rules.iter().map(|r| r.to).fold(f32::NEG_INFINITY, f32::max);
        [from, to]
    };
    let mut xs: Vec<f32> = down.iter().map(|r| r.at).collect();
    xs.extend(ends(&across));
    let mut ys: Vec<f32> = across.iter().map(|r| r.at).collect();
    ys.extend(ends(&down));
    let (xs, ys) = (cluster(xs), cluster(ys));
    if xs.len() < 2 || ys.len() < 2 {
        return None;
    }
    let (rows, columns) = (ys.len() - 1, xs.len() - 1);
    // Union of neighbouring grid cells with no rule drawn between them.
    let mut parent: Vec<usize> = (0..rows * columns).collect();
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    };
    for row in 0..rows {
        for col in 0..columns {
            let here = row * columns + col;
            let (height, width) = (ys[row + 1] - ys[row], xs[col + 1] - xs[col]);
            if col + 1 < columns
                && covered(&down, xs[col + 1], ys[row], ys[row + 1]) < DRAWN * height
            {
                join(&mut parent, here, here + 1);
            }
            if row + 1 < rows && covered(&across, ys[row + 1], xs[col], xs[col + 1]) < DRAWN * width
            {
                join(&mut parent, here, here + columns);
            }
        }
    }
    let mut region = vec![0; rows * columns];
    let mut spans: Vec<Span> = Vec::new();
    let mut index_of_root = vec![usize::MAX; rows * columns];
    for row in 0..rows {
        for col in 0..columns {
            let r = root(&mut parent, row * columns + col);
            if index_of_root[r] == usize::MAX {
                index_of_root[r] = spans.len();
                spans.push(Span {
                    row: (row, row),
                    col: (col, col),
                });
            }
            let at = index_of_root[r];
            region[row * columns + col] = at;
            let span = &mut spans[at];
            span.row = (span.row.0.min(row), span.row.1.max(row));
            span.col = (span.col.0.min(col), span.col.1.max(col));
        }
    }
    Some(Grid {
        xs,
        ys,
        region,
        spans,
    })
}

/// The table's rows as a document's: a merged cell once, at its top-left grid cell, and marked
/// as continuing in the rows below it.
fn table_rows(
    grid: &Grid,
    cells: &[Vec<&Glyph>],
    page: usize,
    unit: PageUnit,
) -> Vec<Vec<DocCell>> {
    let mut rows = Vec::with_capacity(grid.rows());
    for row in 0..grid.rows() {
        let mut out = Vec::new();
        for col in 0..grid.columns() {
            let at = grid.region[row * grid.columns() + col];
            let span = grid.spans[at];
            if span.col.0 != col {
                continue;
            }
            if span.row.0 != row {
                out.push(DocCell {
                    continues_above: true,
                    ..DocCell::default()
                });
                continue;
            }
            let text = join_wrapped(lines(&cells[at]).iter().map(|line| line_text(line, false)));
            out.push(DocCell {
                paragraphs: vec![text],
                continues_above: false,
                bytes: None,
                area: Some(Area {
                    page,
                    unit,
                    left: grid.xs[span.col.0],
                    top: grid.ys[span.row.0],
                    right: grid.xs[span.col.1 + 1],
                    bottom: grid.ys[span.row.1 + 1],
                }),
                line: None,
            });
        }
        rows.push(out);
    }
    rows
}

/// Glyphs grouped into lines, top to bottom, each line left to right. A glyph joins a line when
/// its middle is within the line's height.
fn lines<'g>(glyphs: &[&'g Glyph]) -> Vec<Vec<&'g Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.centre().1.total_cmp(&b.centre().1));
    let mut out: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new();
    for glyph in sorted {
        let (_, y) = glyph.centre();
        match out.last_mut() {
            Some((top, bottom, line)) if y >= *top && y <= *bottom => {
                line.push(glyph);
                *top = top.min(glyph.top);
                *bottom = bottom.max(glyph.bottom);
            }
            _ => out.push((glyph.top, glyph.bottom, vec![glyph])),
        }
    }
    out.into_iter()
        .map(|(_, _, mut line)| {
            line.sort_by(|a, b| a.left.total_cmp(&b.left));
            line
        })
        .collect()
}

/// A line's text: a space where glyphs are a word apart; outside tables, a tab where they are a
/// cell apart, so that the columns of an unruled table stay apart.
fn line_text(line: &[&Glyph], free: bool) -> String {
    let mut text = String::new();
    let mut last: Option<&Glyph> = None;
    for glyph in line {
        if glyph.text.trim().is_empty() {
            continue;
        }
        if let Some(prev) = last {
            let gap = glyph.left - prev.right;
            let size = glyph.size().max(prev.size());
            if free && gap > CELL_GAP * size {
                text.push_str("  ");
            } else if gap > WORD_GAP * size {
                text.push(' ');
            }
        }
        text.push_str(glyph.text.trim());
        last = Some(glyph);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` from `(x, y)` (top-left), 10 points each, no gaps.
    fn word(text: &str, x: f32, y: f32) -> Vec<Glyph> {
        let mut left = x - 10.0;
        text.chars()
            .map(|c| {
                left += 10.0;
                Glyph {
                    text: c.to_string(),
                    left,
                    right: left + 10.0,
                    top: y,
                    bottom: y + 10.0,
                }
            })
            .collect()
    }

    fn rule(x0: f32, y0: f32, x1: f32, y1: f32) -> Line {
        Line::between(x0, y0, x1, y1).unwrap()
    }

    fn texts(rows: &[Vec<DocCell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|c| c.test_text("|")).collect())
            .collect()
    }

    /// A 3×3 grid at 0..300 × 0..60 where the first column's lower two cells are one (no rule
    /// between them), and the first row's last two cells are one.
    fn merged_table() -> Page {
        let mut rules = vec![
            rule(0.0, 0.0, 300.0, 0.0),
            rule(100.0, 20.0, 300.0, 20.0),
            rule(0.0, 20.0, 100.0, 20.0),
            rule(100.0, 40.0, 300.0, 40.0),
            rule(0.0, 60.0, 300.0, 60.0),
            rule(0.0, 0.0, 0.0, 60.0),
            rule(100.0, 0.0, 100.0, 60.0),
            rule(200.0, 20.0, 200.0, 60.0),
            rule(300.0, 0.0, 300.0, 60.0),
        ];
        // Drawn twice, as cell-by-cell borders often are: still one grid.
        rules.push(rule(0.0, 60.0, 150.0, 60.0));
        let mut glyphs = word("表头", 5.0, 5.0);
        glyphs.extend(word("申请人", 150.0, 5.0));
        glyphs.extend(word("结果", 5.0, 25.0));
        glyphs.extend(word("维持", 5.0, 45.0));
        glyphs.extend(word("12", 105.0, 25.0));
        glyphs.extend(word("3", 205.0, 25.0));
        glyphs.extend(word("0", 105.0, 45.0));
        Page {
            unit: PageUnit::Points,
            number: 2,
            glyphs,
            lines: rules,
        }
    }

    #[test]
    fn merges_come_from_rules_not_drawn() {
        let doc = document(&[merged_table()]);
        let [Block::Table(rows)] = doc.blocks.as_slice() else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(
            texts(rows),
            [
                vec!["表头", "申请人"],
                vec!["结果维持", "12", "3"],
                vec!["^", "0", ""],
            ]
        );
        let area = rows[1][0].area.unwrap();
        assert_eq!((area.page, area.top, area.bottom), (2, 20.0, 60.0));
    }

    #[test]
    fn text_outside_tables_is_lines_in_reading_order() {
        let mut page = merged_table();
        page.glyphs.extend(word("三、收到", 0.0, -30.0));
        page.glyphs.extend(word("合计", 0.0, 80.0));
        // Glyph by glyph, as some writers place them: still one number.
        page.glyphs.extend(word("2025", 60.0, 80.0));
        let doc = document(&[page]);
        assert_eq!(doc.blocks.len(), 3);
        assert_eq!(doc.blocks[0], Block::Paragraph("三、收到".into()));
        assert!(matches!(doc.blocks[1], Block::Table(_)));
        assert_eq!(doc.blocks[2], Block::Paragraph("合计  2025".into()));
    }

    fn paragraphs(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn text_written_backwards_reads_forwards_and_unruled_cells_stay_whole() {
        // Three paragraphs written bottom first.
        let mut glyphs = word("三、第三段", 0.0, 100.0);
        glyphs.extend(word("二、第二段", 0.0, 50.0));
        glyphs.extend(word("一、第一段", 0.0, 0.0));
        // An unruled row: its label wrapped over two lines, then its number, written up beside
        // the label's second line, in the column to the right.
        glyphs.extend(word("2.其他法律", 0.0, 200.0));
        glyphs.extend(word("禁止公开", 0.0, 215.0));
        glyphs.extend(word("30", 200.0, 208.0));
        let page = Page {
            unit: PageUnit::Points,
            number: 1,
            glyphs,
            lines: Vec::new(),
        };
        assert_eq!(
            paragraphs(&document(&[page])),
            [
                "一、第一段",
                "二、第二段",
                "三、第三段",
                "2.其他法律",
                "禁止公开",
                "30"
            ]
        );
    }

    #[test]
    fn page_numbers_are_dropped_and_a_table_goes_on_over_the_page() {
        let mut first = merged_table();
        first.glyphs.extend(word("-4-", 140.0, 800.0));
        let mut second = merged_table();
        second.glyphs.extend(word("第5页", 140.0, -40.0));
        let doc = document(&[first, second]);
        let [Block::Table(rows)] = doc.blocks.as_slice() else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[3][1].area.unwrap().page, 2);
    }

    #[test]
    fn a_table_cut_by_the_page_end_keeps_its_last_row() {
        // No closing rule at the bottom: the vertical rules' ends close it.
        let page = Page {
            unit: PageUnit::Points,
            number: 1,
            glyphs: word("7", 105.0, 25.0),
            lines: vec![
                rule(0.0, 0.0, 200.0, 0.0),
                rule(0.0, 20.0, 200.0, 20.0),
                rule(0.0, 0.0, 0.0, 40.0),
                rule(100.0, 0.0, 100.0, 40.0),
                rule(200.0, 0.0, 200.0, 40.0),
            ],
        };
        let doc = document(&[page]);
        let [Block::Table(rows)] = doc.blocks.as_slice() else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(texts(rows), [vec!["", ""], vec!["", "7"]]);
    }

    #[test]
    fn thin_bars_are_rules_and_boxes_are_not() {
        assert_eq!(
            Line::of_bar(10.0, 50.0, 200.0, 50.5),
            Some(Line {
                horizontal: true,
                at: 50.25,
                from: 10.0,
                to: 200.0
            })
        );
        assert!(Line::of_bar(0.0, 0.0, 595.0, 842.0).is_none());
        assert!(Line::between(0.0, 0.0, 30.0, 30.0).is_none());
    }

    #[test]
    fn words_and_doubled_digits_keep_their_spaces() {
        let mut glyphs = word("0", 0.0, 0.0);
        glyphs.extend(word("0", 14.0, 0.0));
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        assert_eq!(line_text(&refs, false), "0 0");
    }
}
