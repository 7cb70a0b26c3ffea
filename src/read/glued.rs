//! Splits digits that a scrape ran together (`640020470` is 64|0|0|2|0|4|70) into the cells of a
//! row. Every split that yields canonical numbers is enumerated; the table's arithmetic, passed in
//! as a check on each prefix, prunes the ones that cannot be right.

use std::ops::Range;

use smol_str::SmolStr;

use super::cell::{Unit, parse_number, strip_unit};
use crate::model::Value;
use crate::template::ValueKind;

/// A whitespace-delimited run of digits with its place in the source: no cell spans two pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Digits, with an optional leading sign and decimal points (ASCII only).
    pub text: String,
    /// Source offset of `text`'s first byte.
    pub start: usize,
    /// The unit printed after the digits, which belongs to the last cell of the piece.
    pub unit: Option<Unit>,
}

/// Cuts value text into pieces; `None` if it holds anything but digits, signs, decimal points
/// and a unit (then it is not glued digits, and is read some other way).
#[must_use]
pub fn pieces(text: &str, start: usize) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        let (number, unit) = strip_unit(word);
        if !number.is_empty() {
            if !number
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
            {
                return None;
            }
            // A sign inside a run starts a new cell: `2648-18538` is 2648 | -18538….
            let mut cut = 0;
            for (i, b) in number.bytes().enumerate() {
                if i > 0 && matches!(b, b'-' | b'+') {
                    out.push(Piece {
                        text: number[cut..i].to_owned(),
                        start: start + offset + cut,
                        unit: None,
                    });
                    cut = i;
                }
            }
            out.push(Piece {
                text: number[cut..].to_owned(),
                start: start + offset + cut,
                unit,
            });
        }
        offset += token.len();
    }
    (!out.is_empty()).then_some(out)
}

/// One cell of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The value read.
    pub value: Value,
    /// Where its digits are in the source.
    pub span: Range<usize>,
    /// Its digits. (Inline: a cell has sixteen characters at most, and a row's search keeps up
    /// to 64 splits of a dozen cells.)
    pub raw: SmolStr,
}

/// Every split found, best first by [`plausibility`].
#[derive(Debug, Default)]
pub struct Splits {
    /// The splits, each one part per cell.
    pub solutions: Vec<Vec<Part>>,
    /// Whether the search stopped before seeing every split.
    pub truncated: bool,
}

/// Most splits kept for one row.
const MAX_SOLUTIONS: usize = 64;
/// Most steps of the search for one row, to bound time on hostile input.
const MAX_STEPS: usize = 200_000;
/// Most characters in one cell.
const MAX_CELL_CHARS: usize = 16;

struct Search<'a> {
    pieces: &'a [Piece],
    kinds: &'a [ValueKind],
    check: &'a dyn Fn(&[Value]) -> bool,
    /// Where each part of the split so far is: (piece, offset in its text, length). (Made into
    /// [`Part`]s, each with its own text, only for a whole split: a row's search tries
    /// thousands of parts and keeps a few.)
    places: Vec<(usize, usize, usize)>,
    values: Vec<Value>,
    /// At `[i]`, how many characters `pieces[i..]` have: a split that leaves fewer characters
    /// than cells still to fill (each takes one at least), or more than they can hold, is
    /// given up at once instead of walked to its end.
    left: Vec<usize>,
    out: Splits,
    steps: usize,
}

/// Splits `pieces` into exactly one part per entry of `kinds`. `check` sees the values of every
/// prefix and returns false to prune it (a row total that cannot hold).
#[must_use]
pub fn split(pieces: &[Piece], kinds: &[ValueKind], check: &dyn Fn(&[Value]) -> bool) -> Splits {
    split_ranked(pieces, kinds, check, false)
}

/// [`split`], ranking splits whose last cell is at least every other higher when
/// `last_is_running_total` (a hint from the template, see [`crate::template::ColumnDef`]).
#[must_use]
pub fn split_ranked(
    pieces: &[Piece],
    kinds: &[ValueKind],
    check: &dyn Fn(&[Value]) -> bool,
    last_is_running_total: bool,
) -> Splits {
    let mut search = Search {
        pieces,
        kinds,
        check,
        places: Vec::new(),
        values: Vec::new(),
        left: vec![0; pieces.len() + 1],
        out: Splits::default(),
        steps: 0,
    };
    for (i, piece) in pieces.iter().enumerate().rev() {
        search.left[i] = search.left[i + 1] + piece.text.len();
    }
    if pieces.len() <= kinds.len() {
        search.walk(0, 0);
    }
    let mut out = search.out;
    // Each split's rank worked out once, not at every comparison (a stable sort, as before).
    out.solutions.sort_by_cached_key(|parts| {
        let below_total = last_is_running_total
            && parts.split_last().is_some_and(|(last, rest)| {
                rest.iter()
                    .any(|p| p.value.as_integer() > last.value.as_integer())
            });
        std::cmp::Reverse(plausibility(parts) - if below_total { 3 } else { 0 })
    });
    out
}

impl Search<'_> {
    fn walk(&mut self, piece: usize, pos: usize) {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.out.solutions.len() >= MAX_SOLUTIONS {
            self.out.truncated = true;
            return;
        }
        let part = self.places.len();
        if piece == self.pieces.len() {
            if part == self.kinds.len() {
                let parts = self.places.iter().zip(&self.values);
                let parts = parts.map(|(&(piece, pos, len), &value)| {
                    let start = self.pieces[piece].start + pos;
                    Part {
                        value,
                        span: start..start + len,
                        raw: SmolStr::new(&self.pieces[piece].text[pos..pos + len]),
                    }
                });
                self.out.solutions.push(parts.collect());
            }
            return;
        }
        if part == self.kinds.len() {
            return;
        }
        let text = &self.pieces[piece].text;
        let remaining_parts = self.kinds.len() - part;
        let remaining_pieces = self.pieces.len() - piece;
        if remaining_pieces > remaining_parts {
            return;
        }
        let rest = text.len() - pos;
        for len in 1..=rest.min(MAX_CELL_CHARS) {
            let ends_piece = len == rest;
            // Every later piece needs at least one part.
            if !ends_piece && remaining_pieces + 1 > remaining_parts {
                continue;
            }
            // The characters after this cell, for the cells after it.
            let after = rest - len + self.left[piece + 1];
            if after < remaining_parts - 1 {
                break;
            }
            if after > (remaining_parts - 1) * MAX_CELL_CHARS {
                continue;
            }
            let raw = &text[pos..pos + len];
            // A cell never starts with a zero unless it is zero (or a decimal below one).
            if len > 1 && raw.starts_with('0') && !raw[1..].starts_with('.') {
                break;
            }
            let unit = if ends_piece {
                self.pieces[piece].unit
            } else {
                None
            };
            let Ok(value) = parse_number(raw, self.kinds[part], unit) else {
                continue;
            };
            self.places.push((piece, pos, len));
            self.values.push(value);
            if (self.check)(&self.values) {
                if ends_piece {
                    self.walk(piece + 1, 0);
                } else {
                    self.walk(piece, pos + len);
                }
            }
            self.places.pop();
            self.values.pop();
        }
    }
}

/// How likely a split is when arithmetic cannot decide: a lone `0` is usually a cell of its own
/// (tables are mostly zeros), cells of similar width are likelier than one huge cell, and a
/// year's change (本年增/减) is rarely larger than the count it changes.
#[must_use]
pub fn plausibility(parts: &[Part]) -> i64 {
    let zeros = parts.iter().filter(|p| p.raw == "0").count();
    let widest = parts.iter().map(|p| p.raw.len()).max().unwrap_or(0);
    let wild_changes = parts
        .windows(2)
        .filter(|w| match (w[0].value, w[1].value) {
            (Value::Count(before), Value::Change(change)) => change.unsigned_abs() > before,
            _ => false,
        })
        .count();
    let score = |n: usize| i64::try_from(n).unwrap_or(i64::MAX / 8);
    score(zeros) * 4 - score(widest) - score(wild_changes) * 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::ValueKind::{Amount, Change, Count};

    fn values(s: &[Part]) -> Vec<String> {
        s.iter().map(|p| p.value.to_string()).collect()
    }

    fn row_total(values: &[Value]) -> bool {
        if values.len() < 7 {
            return true;
        }
        let sum: i64 = values[..6].iter().filter_map(|v| v.as_integer()).sum();
        values[6].as_integer() == Some(sum)
    }

    #[test]
    fn row_totals_admit_one_split() {
        let p = pieces("640020470", 0).unwrap();
        let s = split(&p, &[Count; 7], &row_total);
        assert_eq!(s.solutions.len(), 1);
        assert_eq!(
            values(&s.solutions[0]),
            ["64", "0", "0", "2", "0", "4", "70"]
        );
        assert_eq!(s.solutions[0][6].span, 7..9);

        let p = pieces("230 000023", 100).unwrap();
        let s = split(&p, &[Count; 7], &row_total);
        assert_eq!(s.solutions.len(), 1);
        assert_eq!(
            values(&s.solutions[0]),
            ["23", "0", "0", "0", "0", "0", "23"]
        );
        assert_eq!(s.solutions[0][1].span, 102..103);
    }

    #[test]
    fn signs_start_cells_and_units_stay_with_the_last_cell() {
        let p = pieces("2648-18538", 0).unwrap();
        let s = split(&p, &[Count, Change, Count], &|_| true);
        assert!(
            s.solutions
                .iter()
                .any(|x| values(x) == ["2648", "-18", "538"])
        );
        assert!(s.solutions.iter().all(|x| x[0].raw == "2648"));

        let p = pieces("13575394432.52元", 0).unwrap();
        let s = split(&p, &[Count, Amount], &|_| true);
        assert!(
            s.solutions
                .iter()
                .any(|x| values(x) == ["135", "7539.443252"])
        );
    }

    #[test]
    fn without_arithmetic_a_lone_zero_is_its_own_cell() {
        for (run, want) in [
            ("3960181", ["396", "0", "181"]),
            ("26480430", ["2648", "0", "430"]),
            ("100153", ["10", "0", "153"]),
        ] {
            let p = pieces(run, 0).unwrap();
            let s = split(&p, &[Count, Change, Count], &|_| true);
            assert!(
                s.solutions.len() > 1,
                "{run} is ambiguous without arithmetic"
            );
            assert_eq!(values(&s.solutions[0]), want, "{run}");
        }
    }

    /// Every split, as the search was first written: each piece cut at every place, in order
    /// of the cells' lengths, kept when each part reads as its cell's kind and `check` holds
    /// for every prefix; nothing given up early.
    fn every_split(
        pieces: &[Piece],
        kinds: &[ValueKind],
        check: &dyn Fn(&[Value]) -> bool,
    ) -> Vec<Vec<Part>> {
        fn cut(
            pieces: &[Piece],
            kinds: &[ValueKind],
            check: &dyn Fn(&[Value]) -> bool,
            (piece, pos): (usize, usize),
            parts: &mut Vec<Part>,
            out: &mut Vec<Vec<Part>>,
        ) {
            let Some(p) = pieces.get(piece) else {
                if parts.len() == kinds.len() {
                    out.push(parts.clone());
                }
                return;
            };
            for len in 1..=(p.text.len() - pos).min(MAX_CELL_CHARS) {
                let Some(&kind) = kinds.get(parts.len()) else {
                    return;
                };
                let end = pos + len == p.text.len();
                let raw = &p.text[pos..pos + len];
                let Ok(value) = parse_number(raw, kind, if end { p.unit } else { None }) else {
                    continue;
                };
                let start = p.start + pos;
                parts.push(Part {
                    value,
                    span: start..start + len,
                    raw: raw.into(),
                });
                let values: Vec<Value> = parts.iter().map(|p| p.value).collect();
                if check(&values) {
                    let next = if end {
                        (piece + 1, 0)
                    } else {
                        (piece, pos + len)
                    };
                    cut(pieces, kinds, check, next, parts, out);
                }
                parts.pop();
            }
        }
        let mut out = Vec::new();
        cut(pieces, kinds, check, (0, 0), &mut Vec::new(), &mut out);
        out
    }

    /// The search, which gives up a split as soon as too few or too many characters are left
    /// for the cells after it, finds every split the plain enumeration finds, in its order,
    /// on runs of digits, zeros, signs, points and units, with and without a row total.
    #[test]
    fn the_search_finds_every_split_in_order() {
        use proptest::prelude::*;
        let chunk = prop::sample::select(vec![
            "0", "0", "1", "2", "7", "10", "64", "0.5", "-3", "+2", " ", "元", "万元", "3.25",
        ]);
        let kind = prop::sample::select(vec![Count, Count, Change, Amount]);
        proptest!(|(chunks in prop::collection::vec(chunk, 1..12),
                    kinds in prop::collection::vec(kind, 1..9),
                    total in any::<bool>())| {
            let Some(p) = pieces(&chunks.concat(), 5) else {
                return Ok(());
            };
            let totals = |values: &[Value]| {
                values.len() < 3 || values[2].as_integer() == values[..2].iter().map(|v| v.as_integer()).sum()
            };
            let check: &dyn Fn(&[Value]) -> bool = if total { &totals } else { &|_| true };
            let mut plain = if p.len() <= kinds.len() {
                every_split(&p, &kinds, check)
            } else {
                Vec::new()
            };
            let found = split(&p, &kinds, check);
            prop_assume!(!found.truncated);
            plain.sort_by_key(|parts| std::cmp::Reverse(plausibility(parts)));
            prop_assert_eq!(found.solutions, plain);
        });
    }

    #[test]
    fn impossible_splits_yield_nothing() {
        let p = pieces("0 0 0", 0).unwrap();
        assert!(split(&p, &[Count; 7], &|_| true).solutions.is_empty());
        assert!(pieces("0φ", 0).is_none());
    }
}
