//! Timestamps for the audit trail: seconds since the Unix epoch, written as RFC 3339 in UTC
//! (`2026-11-22T02:11:21Z`) so that a record reads the same on every machine.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A moment, to the second, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Now.
    #[must_use]
    pub fn now() -> Timestamp {
        Timestamp(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        )
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u64>().ok();
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let days = days_from_civil(i64::try_from(year).ok()?, month, day);
        let days = u64::try_from(days).ok()?;
        Some(Timestamp(
            days * 86_400 + hour * 3600 + minute * 60 + second,
        ))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let month = i64::try_from(month).unwrap_or(1);
    let day = i64::try_from(day).unwrap_or(1);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A moment `secs` after the epoch on a clock, written `2026-11-22T10:11:21` with `between`
/// between the date and the time.
fn clock(secs: i64, between: char) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rest = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}{between}{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = i64::try_from(self.0).unwrap_or(i64::MAX);
        write!(f, "{}Z", clock(secs, 'T'))
    }
}

/// China Standard Time, minutes east of UTC: the zone times are shown in unless set otherwise.
pub const CHINA_STANDARD_TIME: i32 = 8 * 60;

impl Timestamp {
    /// The moment as a clock `offset_minutes` east of UTC shows it (`2026-11-22 10:11:21`), for
    /// people to read; records keep UTC.
    #[must_use]
    pub fn local(self, offset_minutes: i32) -> String {
        let secs = i64::try_from(self.0).unwrap_or(i64::MAX);
        clock(secs.saturating_add(i64::from(offset_minutes) * 60), ' ')
    }

    /// The day as a clock `offset_minutes` east of UTC shows it (`2026-11-22`), for a letter's
    /// date.
    #[must_use]
    pub fn local_date(self, offset_minutes: i32) -> String {
        let secs = i64::try_from(self.0).unwrap_or(i64::MAX);
        let (year, month, day) = civil_from_days(
            secs.saturating_add(i64::from(offset_minutes) * 60)
                .div_euclid(86_400),
        );
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// A zone's name as a reader expects it: `UTC+8`, `UTC-3:30`.
#[must_use]
pub fn zone_name(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.unsigned_abs();
    if abs.is_multiple_of(60) {
        format!("UTC{sign}{}", abs / 60)
    } else {
        format!("UTC{sign}{}:{:02}", abs / 60, abs % 60)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not a UTC time like 2026-11-22T02:11:21Z: `{text}`"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_moments_print_and_parse() {
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_313_481, "2026-11-22T02:11:21Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
        ] {
            assert_eq!(Timestamp(secs).to_string(), text);
            assert_eq!(Timestamp::parse(text), Some(Timestamp(secs)));
        }
        assert_eq!(Timestamp::parse("2026-13-01T00:00:00Z"), None);
        assert_eq!(
            Timestamp(1_795_313_481).local(CHINA_STANDARD_TIME),
            "2026-11-22 10:11:21"
        );
        assert_eq!(Timestamp(0).local(-210), "1969-12-31 20:30:00");
        // 18:11 UTC on 21 November is already the 22nd in Beijing, still the 21st at UTC-4.
        assert_eq!(
            Timestamp(1_795_313_481 - 8 * 3600).local_date(480),
            "2026-11-22"
        );
        assert_eq!(
            Timestamp(1_795_313_481 - 8 * 3600).local_date(-240),
            "2026-11-21"
        );
        assert_eq!(zone_name(CHINA_STANDARD_TIME), "UTC+8");
        assert_eq!(zone_name(-210), "UTC-3:30");
        assert_eq!(Timestamp::parse("yesterday"), None);
    }
}
