//! Reads the text of one cell whose boundaries are known: blanks, doubled digits, several
//! numbers, units, signs, annotations and OCR noise, each with its reason.

use std::ops::Range;

use smol_str::SmolStr;

use crate::model::{Amount, Cell, FEN_PER_WAN_YUAN, Reason, Value};
use crate::template::ValueKind;

/// The unit an amount was printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 万元, the template's unit (also when no unit is printed).
    WanYuan,
    /// 元, converted.
    Yuan,
}

/// Splits a unit suffix off a number's text.
#[must_use]
pub fn strip_unit(text: &str) -> (&str, Option<Unit>) {
    let trimmed = text.trim_end_matches(['件', '条', '个', '项']);
    if let Some(rest) = trimmed
        .strip_suffix("万元")
        .or_else(|| trimmed.strip_suffix('万'))
    {
        (rest, Some(Unit::WanYuan))
    } else if let Some(rest) = trimmed.strip_suffix('元') {
        (rest, Some(Unit::Yuan))
    } else {
        (trimmed, None)
    }
}

/// Why a number's text does not fit a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misfit {
    /// Not a number at all.
    NotANumber,
    /// A number this cell cannot hold (negative count, fraction in a count, too many decimals).
    WrongKind,
}

/// Parses canonical number text (digits, an optional sign and decimal point) as a value of `kind`.
/// Leading zeros are refused, so that splitting glued digits never invents `04`.
///
/// # Errors
/// [`Misfit`] says whether the text is no number or a number the cell cannot hold.
pub fn parse_number(text: &str, kind: ValueKind, unit: Option<Unit>) -> Result<Value, Misfit> {
    // Read in bytes: every cell of every report comes through here, most of them a digit or
    // two, and the text's own searches and `parse` cost more than the number.
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    let point = digits.iter().position(|&b| b == b'.');
    let (whole, frac) = match point {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, &[][..]),
    };
    let well_formed = !whole.is_empty()
        && whole.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit)
        && !(point.is_some() && frac.is_empty())
        && (whole == b"0" || whole[0] != b'0')
        && whole.len() <= 12;
    if !well_formed {
        return Err(Misfit::NotANumber);
    }
    // At most twelve digits: no overflow.
    let whole_value = decimal(whole);
    match kind {
        ValueKind::Count | ValueKind::Change => {
            if !frac.is_empty() || (negative && kind == ValueKind::Count) || unit.is_some() {
                return Err(Misfit::WrongKind);
            }
            let n = if negative { -whole_value } else { whole_value };
            Value::from_integer(kind, n).ok_or(Misfit::WrongKind)
        }
        ValueKind::Amount => {
            let (scale, max_decimals) = match unit {
                Some(Unit::Yuan) => (100_i64, 2),
                _ => (FEN_PER_WAN_YUAN, 6),
            };
            if frac.len() > max_decimals || negative {
                return Err(Misfit::WrongKind);
            }
            // At most six digits.
            let frac_value = decimal(frac);
            let frac_scale = 10_i64.pow(u32::try_from(frac.len()).unwrap_or(0));
            let fen = whole_value
                .checked_mul(scale)
                .and_then(|w| w.checked_add(frac_value * (scale / frac_scale)))
                .ok_or(Misfit::WrongKind)?;
            Ok(Value::Amount(Amount { fen }))
        }
    }
}

/// The value of ASCII decimal digits (0 for none); they are few enough not to overflow.
fn decimal(digits: &[u8]) -> i64 {
    digits.iter().fold(0, |n, &d| n * 10 + i64::from(d - b'0'))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Splits `text` into the number part and a parenthesised annotation, if there is one.
fn split_annotation(text: &str) -> (String, Option<String>) {
    let Some(open) = text.find(['(', '（']) else {
        return (text.to_owned(), None);
    };
    let after = &text[open..];
    let close = after.find([')', '）']).map_or(after.len(), |i| {
        i + after[i..].chars().next().map_or(1, char::len_utf8)
    });
    let annotation = after[..close].to_owned();
    let rest = format!("{}{}", &text[..open], &after[close..]);
    (rest, Some(annotation))
}

/// The numbers of a cell's text that is more than a plain number (an annotation, a unit, a
/// stray character, several numbers), each with its reasons on `cell`; `None` where a number
/// does not fit the cell (the reason is on `cell`).
fn read_tokens(raw: &str, kind: ValueKind, cell: &mut Cell) -> Option<Vec<Value>> {
    let (main, annotation) = split_annotation(raw);
    if let Some(text) = annotation {
        cell.add_reason(Reason::Annotation { text });
    }
    let mut readings: Vec<Value> = Vec::new();
    let mut dropped = String::new();
    for token in main.split(is_space).filter(|t| !t.is_empty()) {
        let (number, unit) = strip_unit(token);
        let clean: String = number
            .chars()
            .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
            .collect();
        dropped.extend(
            number
                .chars()
                .filter(|c| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | ','))),
        );
        if clean.is_empty() || clean.chars().all(|c| !c.is_ascii_digit()) {
            continue;
        }
        readings.push(read_token(&clean, kind, unit, cell)?);
        if unit == Some(Unit::Yuan) {
            cell.add_reason(Reason::ConvertedFromYuan);
        }
    }
    if !dropped.is_empty() {
        cell.add_reason(Reason::NonDigit { dropped });
    }
    Some(readings)
}

/// A cell's text as the cell keeps it. Most are a digit or two, copied into the cell a byte at
/// a time: `SmolStr::new` copied each with a call to `memcpy` and checked it for runs of white
/// space first, a thirtieth of reading a report.
fn printed_text(raw: &str) -> SmolStr {
    if raw.len() <= INLINE_CAP {
        SmolStr::new_inline(raw)
    } else {
        SmolStr::new(raw)
    }
}

/// The most bytes a [`SmolStr`] keeps inline.
const INLINE_CAP: usize = 23;

/// Reads one cell's text (`source[span]`) as a value of `kind`.
#[must_use]
pub fn read_cell(source: &str, span: Range<usize>, kind: ValueKind) -> Cell {
    let raw = &source[span.clone()];
    let mut cell = Cell::printed(printed_text(raw), Some(span), None);
    if raw.chars().all(is_space) {
        cell.add_reason(Reason::Blank);
        return cell;
    }
    let trimmed = raw.trim_matches(is_space);
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        // Most cells: a plain number, read as the general path below reads it (one token, no
        // unit, nothing dropped) without its copies or a list of one reading.
        if let Some(value) = read_token(trimmed, kind, None, &mut cell) {
            read_as(&mut cell, value);
        }
        return cell;
    }
    let Some(readings) = read_tokens(raw, kind, &mut cell) else {
        return cell;
    };
    match readings.as_slice() {
        [] => cell.add_reason(Reason::Unreadable),
        [one] => read_as(&mut cell, *one),
        [first, rest @ ..] => {
            cell.add_reason(Reason::SeveralNumbers);
            let mut distinct = vec![*first];
            for v in rest {
                if !distinct.contains(v) {
                    distinct.push(*v);
                }
            }
            if distinct.len() == 1 {
                cell.value = Some(*first);
            } else {
                cell.confidence = 0.0;
            }
            cell.candidates = distinct;
        }
    }
    cell
}

/// Gives `cell` the one reading its text has; a doubtful one is also its own first candidate.
fn read_as(cell: &mut Cell, value: Value) {
    cell.value = Some(value);
    if cell.candidates.is_empty() && cell.is_low_confidence() {
        cell.candidates.push(value);
    }
}

/// Why a value a reviewer typed was refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl crate::lang::Localized for InputError {
    fn zh(&self) -> String {
        self.zh.clone()
    }

    fn en(&self) -> String {
        self.en.clone()
    }
}

/// Parses a value a reviewer typed for a cell of `kind`: empty text means the cell is empty;
/// `38.39万` and `251000元` are amounts; anything that does not fit the cell is refused.
///
/// # Errors
/// An [`InputError`] saying what the cell takes.
pub fn parse_input(text: &str, kind: ValueKind) -> Result<Option<Value>, InputError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let (number, unit) = strip_unit(trimmed);
    let number: String = number
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let canonical = if number.len() > 1 && !number.starts_with("0.") {
        number.trim_start_matches('0')
    } else {
        &number
    };
    let canonical = if canonical.is_empty() || canonical.starts_with('.') {
        &number
    } else {
        canonical
    };
    parse_number(canonical, kind, unit)
        .map(Some)
        .map_err(|misfit| {
            let (zh, en) = match (kind, misfit) {
                (_, Misfit::NotANumber) => ("不是数字", "not a number"),
                (ValueKind::Count, Misfit::WrongKind) => {
                    ("件数应为不小于0的整数", "a count is a whole number ≥ 0")
                }
                (ValueKind::Change, Misfit::WrongKind) => {
                    ("增减数应为整数", "a change is a whole number")
                }
                (ValueKind::Amount, Misfit::WrongKind) => (
                    "金额应为非负数，以万元为单位，最多6位小数",
                    "an amount is ≥ 0 in 10k yuan, at most 6 decimals",
                ),
            };
            InputError {
                zh: format!("“{trimmed}”{zh}"),
                en: format!("`{trimmed}`: {en}"),
            }
        })
}

/// The reading of a cell's text as one number written twice (`11` as 1, `1212` as 12), if its
/// digits are a repetition. Whether that reading is likely depends on the table around it.
#[must_use]
pub fn doubled_reading(raw: &str, kind: ValueKind) -> Option<Value> {
    let text = raw.trim_matches(is_space);
    let digits = text.trim_start_matches(['-', '+']);
    let half = digits.len() / 2;
    if digits.len() < 2
        || !digits.len().is_multiple_of(2)
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || digits[..half] != digits[half..]
    {
        return None;
    }
    parse_number(
        &format!("{}{}", &text[..text.len() - digits.len()], &digits[..half]),
        kind,
        None,
    )
    .ok()
}

/// Reads one whitespace-free number token; `None` (with the cell marked) when it cannot fit.
fn read_token(clean: &str, kind: ValueKind, unit: Option<Unit>, cell: &mut Cell) -> Option<Value> {
    let digits = clean.trim_start_matches(['-', '+']);
    // `0.0` in a count is OCR for a zero with a speck, not a fraction.
    if kind != ValueKind::Amount
        && digits.contains('.')
        && digits.bytes().all(|b| b == b'0' || b == b'.')
    {
        cell.add_reason(Reason::NonDigit {
            dropped: ".".into(),
        });
        return Some(Value::from_integer(kind, 0).unwrap_or(Value::Count(0)));
    }
    if kind != ValueKind::Amount
        && digits.len() >= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('0')
    {
        // `00` is a zero written twice (or two cells of zero); `04` an OCR speck before a digit.
        let reason = if digits.bytes().all(|b| b == b'0') {
            Reason::Doubled
        } else {
            Reason::NonDigit {
                dropped: "0".into(),
            }
        };
        cell.add_reason(reason);
        let sign = &clean[..clean.len() - digits.len()];
        let trimmed = digits.trim_start_matches('0');
        let value = if trimmed.is_empty() {
            Value::from_integer(kind, 0)
        } else {
            parse_number(&format!("{sign}{trimmed}"), kind, unit).ok()
        };
        cell.candidates = value.into_iter().collect();
        return value;
    }
    match parse_number(clean, kind, unit) {
        Ok(value) => Some(value),
        Err(Misfit::WrongKind) => {
            cell.add_reason(Reason::InvalidForKind {
                printed: clean.to_owned(),
            });
            None
        }
        Err(Misfit::NotANumber) => {
            cell.add_reason(Reason::Unreadable);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, kind: ValueKind) -> Cell {
        read_cell(text, 0..text.len(), kind)
    }

    fn codes(cell: &Cell) -> Vec<&'static str> {
        cell.reasons.iter().map(Reason::code).collect()
    }

    #[test]
    fn a_cells_text_is_kept_as_printed_at_every_length() {
        // The limit is the library's own: a text of that many bytes it keeps inline, one more
        // on the heap. (Above it `new_inline` would panic; below it a cell's text would take
        // the slower way.)
        assert!(!SmolStr::new("1".repeat(INLINE_CAP)).is_heap_allocated());
        assert!(SmolStr::new("1".repeat(INLINE_CAP + 1)).is_heap_allocated());
        // Every length in bytes, of digits and of Chinese text with a digit before it.
        for len in 0..=40 {
            let digits = "1".repeat(len);
            let wide: String = std::iter::once('1')
                .chain(std::iter::repeat_n('２', len / 3))
                .collect();
            for text in [digits, wide] {
                assert_eq!(printed_text(&text), SmolStr::new(&text));
            }
        }
    }

    /// Numbers read in their bytes are read as the text's own searches and `parse` read them:
    /// every text of up to five characters of digits, points and signs, of every kind and unit,
    /// and long runs of digits at the twelve-digit limit.
    #[test]
    fn numbers_parse_as_the_text_searches_parsed_them() {
        let searched = |text: &str, kind: ValueKind, unit: Option<Unit>| {
            let (negative, digits) = match text.as_bytes().first() {
                Some(b'-') => (true, &text[1..]),
                Some(b'+') => (false, &text[1..]),
                _ => (false, text),
            };
            let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
            let well_formed = !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(digits.contains('.') && frac.is_empty())
                && (whole == "0" || !whole.starts_with('0'))
                && whole.len() <= 12;
            let whole: i64 = whole
                .parse()
                .ok()
                .filter(|_| well_formed)
                .ok_or(Misfit::NotANumber)?;
            match kind {
                ValueKind::Count | ValueKind::Change => {
                    if !frac.is_empty() || (negative && kind == ValueKind::Count) || unit.is_some()
                    {
                        return Err(Misfit::WrongKind);
                    }
                    Value::from_integer(kind, if negative { -whole } else { whole })
                        .ok_or(Misfit::WrongKind)
                }
                ValueKind::Amount => {
                    let (scale, max) = if unit == Some(Unit::Yuan) {
                        (100_i64, 2)
                    } else {
                        (FEN_PER_WAN_YUAN, 6)
                    };
                    if frac.len() > max || negative {
                        return Err(Misfit::WrongKind);
                    }
                    let part: i64 = if frac.is_empty() {
                        0
                    } else {
                        frac.parse().map_err(|_| Misfit::NotANumber)?
                    };
                    let frac_scale = 10_i64.pow(u32::try_from(frac.len()).unwrap_or(0));
                    let fen = whole
                        .checked_mul(scale)
                        .and_then(|w| w.checked_add(part * (scale / frac_scale)))
                        .ok_or(Misfit::WrongKind)?;
                    Ok(Value::Amount(Amount { fen }))
                }
            }
        };
        let alphabet = ["0", "1", "7", ".", "-", "+"];
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        for digits in 10..15 {
            texts.push("9".repeat(digits));
            texts.push(format!("{}.123456", "9".repeat(digits)));
            texts.push(format!("1{}.5", "0".repeat(digits)));
        }
        let mut numbers = 0;
        for text in &texts {
            for kind in [ValueKind::Count, ValueKind::Change, ValueKind::Amount] {
                for unit in [None, Some(Unit::WanYuan), Some(Unit::Yuan)] {
                    let parsed = parse_number(text, kind, unit);
                    assert_eq!(
                        parsed,
                        searched(text, kind, unit),
                        "{text:?} {kind:?} {unit:?}"
                    );
                    numbers += usize::from(parsed.is_ok());
                }
            }
        }
        assert!(numbers > 1_000, "{numbers}");
    }

    /// Text, cell kind, expected value, reasons it must carry, whether it is low-confidence.
    type Case<'a> = (&'a str, ValueKind, Option<Value>, &'a [&'a str], bool);

    #[test]
    fn table_of_cell_readings() {
        use ValueKind::{Amount as A, Change as Ch, Count as C};
        let wan = |fen: i64| Some(Value::Amount(Amount { fen }));
        let cases: &[Case<'_>] = &[
            ("0", C, Some(Value::Count(0)), &[], false),
            ("\u{3000}\u{3000}0", C, Some(Value::Count(0)), &[], false),
            (" ", C, None, &["blank"], true),
            ("", C, None, &["blank"], true),
            (
                "0\u{a0}0",
                C,
                Some(Value::Count(0)),
                &["several_numbers"],
                true,
            ),
            ("\n0 ", C, Some(Value::Count(0)), &[], false),
            ("00", C, Some(Value::Count(0)), &["doubled"], true),
            ("11", C, Some(Value::Count(11)), &[], false),
            ("04", C, Some(Value::Count(4)), &["non_digit"], true),
            ("1 2", C, None, &["several_numbers"], true),
            ("-7", Ch, Some(Value::Change(-7)), &[], false),
            ("-7", C, None, &["invalid_for_kind"], true),
            ("2.5", C, None, &["invalid_for_kind"], true),
            ("38.39万", A, wan(38_390_000), &[], false),
            ("330.93万元", A, wan(330_930_000), &[], false),
            (
                "251000元",
                A,
                wan(25_100_000),
                &["converted_from_yuan"],
                false,
            ),
            (
                "75394432.52元",
                A,
                wan(7_539_443_252),
                &["converted_from_yuan"],
                false,
            ),
            (
                "22（其中修订16件）",
                C,
                Some(Value::Count(22)),
                &["annotation"],
                false,
            ),
            ("0φ", C, Some(Value::Count(0)), &["non_digit"], true),
            ("0.0", C, Some(Value::Count(0)), &["non_digit"], true),
            ("ā", C, None, &["non_digit", "unreadable"], true),
        ];
        for (text, kind, value, reasons, low) in cases {
            let cell = read(text, *kind);
            assert_eq!(cell.value, *value, "value of {text:?}");
            for r in *reasons {
                assert!(
                    codes(&cell).contains(r),
                    "{text:?} should have {r}: {:?}",
                    cell.reasons
                );
            }
            assert_eq!(
                cell.is_low_confidence(),
                *low,
                "low confidence of {text:?}: {:?}",
                cell.reasons
            );
        }
    }

    #[test]
    fn typed_values_are_parsed_or_refused_with_a_reason() {
        assert_eq!(
            parse_input(" 12 ", ValueKind::Count),
            Ok(Some(Value::Count(12)))
        );
        assert_eq!(parse_input("", ValueKind::Count), Ok(None));
        assert_eq!(
            parse_input("007", ValueKind::Count),
            Ok(Some(Value::Count(7)))
        );
        assert_eq!(
            parse_input("-7", ValueKind::Change),
            Ok(Some(Value::Change(-7)))
        );
        assert_eq!(
            parse_input("38.39万", ValueKind::Amount),
            Ok(Some(Value::Amount(Amount { fen: 38_390_000 })))
        );
        assert_eq!(
            parse_input("0.5", ValueKind::Amount),
            Ok(Some(Value::Amount(Amount { fen: 500_000 })))
        );
        assert!(
            parse_input("-1", ValueKind::Count)
                .unwrap_err()
                .zh
                .contains("不小于0")
        );
        assert!(parse_input("1.5", ValueKind::Count).is_err());
        assert!(
            parse_input("abc", ValueKind::Count)
                .unwrap_err()
                .zh
                .contains("不是数字")
        );
    }

    #[test]
    fn doubled_readings() {
        assert_eq!(
            doubled_reading("11", ValueKind::Count),
            Some(Value::Count(1))
        );
        assert_eq!(
            doubled_reading(" 1212 ", ValueKind::Count),
            Some(Value::Count(12))
        );
        assert_eq!(doubled_reading("12", ValueKind::Count), None);
        assert_eq!(doubled_reading("7", ValueKind::Count), None);
    }

    #[test]
    fn canonical_numbers_only() {
        assert_eq!(
            parse_number("04", ValueKind::Count, None),
            Err(Misfit::NotANumber)
        );
        assert_eq!(
            parse_number("0", ValueKind::Count, None),
            Ok(Value::Count(0))
        );
        assert_eq!(
            parse_number("1.", ValueKind::Amount, None),
            Err(Misfit::NotANumber)
        );
        assert_eq!(
            parse_number("24252.311082", ValueKind::Amount, None),
            Ok(Value::Amount(Amount {
                fen: 24_252_311_082
            }))
        );
        assert_eq!(
            parse_number("1.5", ValueKind::Amount, Some(Unit::Yuan)),
            Ok(Value::Amount(Amount { fen: 150 }))
        );
    }
}
