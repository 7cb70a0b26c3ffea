//! What a report says about itself: the publishing body and year from its title, the stated
//! statistical period, the numbers its prose states, and which of the six sections it has.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex::Regex;
use smallvec::SmallVec;

use super::text::Normalized;
use std::collections::BTreeMap;

use crate::model::{Amount, Metadata, SectionProse, Stated, Statement, Topic};

/// Lines that frame a scraped page or a converted file rather than being the title.
const FURNITURE: &[&str] = &[
    "•",
    "索引号",
    "发布机构",
    "发布时间",
    "发布日期",
    "生成日期",
    "公开日期",
    "公开范围",
    "公开方式",
    "文号",
    "栏目",
    "原文链接",
    "本地目录",
    "页面链接",
    "=",
    "当前位置",
    "[bookmark",
    "来源",
    "浏览量",
    "分享",
];

/// A year as a title or the prose writes it. (The patterns are literals: a unit test checks that each
/// compiles, so `None` never happens in a released program.)
static YEAR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年度?").ok());
/// The statistical period's year (统计期限自…止).
static PERIOD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"统计(?:期限|时限|时间)[^0-9。；;\n]{0,8}((?:19|20)[0-9]{2})\s*年[^。；;\n]{0,40}?止",
    )
    .ok()
});
/// What the prose says about the tables, as patterns by topic, each with the words it starts
/// with; the first group is the number (none: a statement of zero, or of "all upheld").
const STATEMENTS: &[(Topic, &[&str], &str)] = &[
    (
        Topic::Applications,
        &["收到"],
        r"收到[^，。,；;\n]{0,14}?申请\s*(?:共|总计|合计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Applications,
        &["收到"],
        r"收到\s*([0-9]+)\s*件[^，。,；;\n]{0,10}?申请",
    ),
    (
        Topic::Applications,
        &["未", "没有"],
        r"(?:未|没有)(?:收到|接到)[^，。,；;\n]{0,14}?申请",
    ),
    (
        Topic::Reviews,
        &["行政复议"],
        r"行政复议\s*(?:案件)?\s*(?:共|合计)?\s*([0-9]+)\s*(?:件|起)",
    ),
    (
        Topic::Suits,
        &["行政诉讼"],
        r"行政诉讼\s*(?:案件)?\s*(?:共|合计)?\s*([0-9]+)\s*(?:件|起)",
    ),
    (
        Topic::GrantedOrPartial,
        &["予以公开"],
        r"予以公开(?:及|和|、)部分公开(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Denied,
        &["不予公开"],
        r"不予公开(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Unable,
        &["无法提供"],
        r"无法提供(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Ignored,
        &["不予处理"],
        r"不予处理(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::AllUpheld,
        &["复议"],
        r"复议[^。；;\n]{0,30}?(?:均|全部)(?:获|予|被)?维持",
    ),
    (
        Topic::Accepted,
        &["受理"],
        r"受理[^，。,；;\n]{0,14}?申请\s*(?:共|总计|合计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::AcceptedNatural,
        &["受理"],
        r"受理[^。；;\n]{0,40}?其中[，,]?\s*自然人(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::AcceptedOrganisations,
        &["受理"],
        r"受理[^。；;\n]{0,60}?法人(?:或|和|及)其他组织(?:申请)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::RegulationsInForce,
        &["现行有效"],
        r"现行有效(?:的)?(?:政府)?规章\s*(?:共|合计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::RegulationsInForce,
        &["规章"],
        r"规章[^，。,；;\n]{0,6}?现行有效\s*([0-9]+)\s*件",
    ),
    (
        Topic::NormativeInForce,
        &["现行有效"],
        r"现行有效(?:的)?(?:行政)?规范性文件\s*(?:共|合计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::NormativeInForce,
        &["规范性文件"],
        r"规范性文件[^，。,；;\n]{0,6}?现行有效\s*([0-9]+)\s*件",
    ),
    (
        Topic::Licensing,
        &["行政许可"],
        r"行政许可(?:决定|事项|案件)?\s*(?:共|合计|总计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Penalties,
        &["行政处罚"],
        r"行政处罚(?:决定|案件)?\s*(?:共|合计|总计)?\s*([0-9]+)\s*件",
    ),
    (
        Topic::Fees,
        &["行政事业性收费"],
        r"行政事业性收费(?:金额)?\s*(?:共|合计|总计)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元",
    ),
];

/// The statement patterns, and one automaton for the words they start with: the prose is
/// scanned once for all of them (twenty scans of it were a third of reading the metadata), and a
/// pattern is tried only where one of its first words stands.
struct Patterns {
    /// Each pattern's topic, the pattern anchored to the start of what it is given, and the
    /// numbers in `starts` of the words it starts with.
    each: Vec<(Topic, Regex, SmallVec<[u32; 2]>)>,
    /// Every pattern's first words.
    starts: AhoCorasick,
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    let mut words: Vec<&str> = STATEMENTS
        .iter()
        .flat_map(|(_, w, _)| w.iter().copied())
        .collect();
    words.sort_unstable();
    words.dedup();
    let each = STATEMENTS
        .iter()
        .map(|(topic, starts, pattern)| {
            let re = Regex::new(&format!("^(?:{pattern})")).ok()?;
            let ids = starts
                .iter()
                .map(|w| u32::try_from(words.binary_search(w).ok()?).ok())
                .collect::<Option<_>>()?;
            Some((*topic, re, ids))
        })
        .collect::<Option<_>>()?;
    let starts = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(&words)
        .ok()?;
    Some(Patterns { each, starts })
});

/// Headings of sections 一 to 六, normalised, with alternatives.
pub(super) const SECTIONS: [&[&str]; 6] = [
    &["总体情况", "概述"],
    &["主动公开政府信息情况"],
    &["收到和处理政府信息公开申请情况"],
    &["政府信息公开行政复议行政诉讼情况", "行政复议行政诉讼情况"],
    &["存在的主要问题", "存在问题"],
    &["其他需要报告的事项"],
];

fn is_furniture(line: &str) -> bool {
    FURNITURE.iter().any(|f| line.starts_with(f))
}

/// How many of a line's characters (white space aside) [`title`] looks at: a title's 60 and a
/// `标题:` before them, and one more to know the line is longer. A longer line is no title,
/// and too long to be the first half of one, so the rest of it is never copied (a scrape
/// printed as one line would be copied whole).
const TITLE_LOOKED_AT: usize = 64;

/// The title, possibly printed over two lines.
fn title(source: &str) -> Option<String> {
    title_looking_at(source, TITLE_LOOKED_AT)
}

/// [`title`], looking at the first `chars` characters of each line (the tests compare it with
/// every character looked at).
fn title_looking_at(source: &str, chars: usize) -> Option<String> {
    let mut previous: Option<String> = None;
    for line in source.lines().take(60) {
        let mut compact: String = line
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
            .take(chars)
            .collect();
        if let Some(prefix) = ["标题:", "标题："]
            .into_iter()
            .find(|p| compact.starts_with(p))
        {
            compact.drain(..prefix.len());
        }
        if compact.is_empty() || is_furniture(&compact) {
            continue;
        }
        // A title is never a sentence: `根据《…条例》…编制本报告。` mentions both words too.
        let is_title = compact.chars().count() <= 60
            && !compact.contains('。')
            && compact.contains("报告")
            && (compact.contains("信息公开")
                || compact.contains("年度")
                || compact.contains("年报"));
        if is_title {
            if organization(&compact).is_none()
                && let Some(previous) =
                    previous.filter(|p| p.chars().count() <= 40 && !p.contains('。'))
            {
                return Some(previous + &compact);
            }
            return Some(compact);
        }
        previous = Some(compact);
    }
    None
}

/// The body's name in a title: what precedes the year, or what follows it up to 政府信息公开.
fn organization(title: &str) -> Option<String> {
    let year = YEAR.as_ref()?.find(title)?;
    let before = title[..year.start()].trim_matches(|c: char| !c.is_alphanumeric());
    if !before.is_empty() {
        return Some(before.to_owned());
    }
    let after = &title[year.end()..];
    let cut = ["政府信息公开", "信息公开", "政务公开", "年度报告"]
        .iter()
        .filter_map(|k| after.find(k))
        .min()?;
    let name = after[..cut].trim_matches(|c: char| !c.is_alphanumeric());
    (!name.is_empty()).then(|| name.to_owned())
}

/// The first statement `re` (anchored) matches in `part` of `source`, trying it where `starts`
/// (offsets in the part, ascending) say one of its first words stands, as a number and its
/// text. This finds what searching the part for the unanchored pattern match after match
/// finds ([`stated_searching`]): every match starts with one of its first words, and a match
/// passed over (another office's share, a number too large) is searched past, as a search goes
/// on after it.
fn stated(
    topic: Topic,
    re: &Regex,
    source: &str,
    part: &Range<usize>,
    starts: impl Iterator<Item = usize>,
) -> Option<Stated> {
    let text = &source[part.clone()];
    let mut from = 0;
    for at in starts {
        if at < from {
            continue;
        }
        let rest = &text[at..];
        // Matched without its groups (the fast engine), and only the one taken again for them.
        let Some(found) = re.find(rest) else {
            continue;
        };
        from = at + found.end();
        if of_another_office(source, part.start + at) {
            continue;
        }
        if let Some(stated) = re
            .captures(rest)
            .and_then(|caps| taken(topic, &caps, part.start + at))
        {
            return Some(stated);
        }
    }
    None
}

/// The first statement `re` (not anchored) matches in `part` of `source`, searched for match
/// after match: for a stretch where the patterns' first words stand too often to try each.
fn stated_searching(topic: Topic, re: &Regex, source: &str, part: &Range<usize>) -> Option<Stated> {
    let text = &source[part.clone()];
    re.find_iter(text).find_map(|found| {
        if of_another_office(source, part.start + found.start()) {
            return None;
        }
        let caps = re.captures_at(text, found.start())?;
        caps.get(0).filter(|w| w.range() == found.range())?;
        taken(topic, &caps, part.start)
    })
}

/// The statement a match gives, `base` being where the text it was matched in starts in the
/// source; `None` when its number cannot be held.
fn taken(topic: Topic, caps: &regex::Captures<'_>, base: usize) -> Option<Stated> {
    let whole = caps.get(0)?;
    let value = match (1..caps.len()).find_map(|i| caps.get(i)) {
        // An amount of 万元, held exactly in 分 as the tables hold it.
        Some(number) if topic == Topic::Fees => {
            u64::try_from(Amount::parse_wan_yuan(number.as_str())?.fen).ok()?
        }
        Some(number) => number.as_str().parse().ok()?,
        None => 0,
    };
    let said: String = whole
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(Stated {
        value,
        text: said,
        span: base + whole.start()..base + whole.end(),
    })
}

/// Whether the clause a statement starts in gives one office's share of the figures
/// (`其中，市公安局受理…`): the report's own figures are the whole, not the part.
fn of_another_office(source: &str, at: usize) -> bool {
    let clause = &source[clause_start(source, at, &['。', '；', ';', '\n'])..at];
    clause.contains("其中") && !clause.contains("自然人") && !clause.contains("法人")
}

/// Where the clause that `at` is in starts: after the last of `breaks` before it.
fn clause_start(source: &str, at: usize, breaks: &[char]) -> usize {
    source[..at].rfind(breaks).map_or(0, |i| {
        i + source[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// Where the statement patterns' first words stand in a stretch of prose: (offset in the stretch,
/// the word's number), ascending; `None` for a stretch where they stand more than
/// [`MAX_STARTS`] times, searched pattern by pattern instead.
type Starts = Option<Vec<(usize, u32)>>;

/// More first words than this in one stretch of prose, and each pattern searches the stretch
/// itself: a report's prose has a few dozen, and trying every pattern at each of millions (a
/// hostile text of `受理` repeated) would take seconds where the search takes a few
/// milliseconds, and keep a list as long as the text.
const MAX_STARTS: usize = 1024;

/// The statement patterns as they are, for [`stated_searching`]; built only when a text needs
/// them.
static SEARCHING: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    STATEMENTS
        .iter()
        .map(|(_, _, pattern)| Regex::new(pattern).ok())
        .collect()
});

/// The first statement of each topic outside the tables: the patterns in their order, each in
/// the prose's stretches in theirs.
fn statements(source: &str, tables: &[Range<usize>]) -> Vec<Statement> {
    statements_trying(source, tables, MAX_STARTS)
}

/// [`statements`], a stretch with more than `max_starts` first words searched pattern by
/// pattern (the two ways find the same; the tests compare them).
fn statements_trying(source: &str, tables: &[Range<usize>], max_starts: usize) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    let Some(patterns) = PATTERNS.as_ref() else {
        return out;
    };
    // Where each first word stands in each stretch: (offset in the stretch, word), ascending.
    // (A leftmost search, restarted a byte past each find, finds every place: no first word
    // begins another, so no two start at one place.)
    let prose: SmallVec<[(Range<usize>, Starts); 4]> = outside(0..source.len(), tables)
        .into_iter()
        .map(|part| {
            let text = &source[part.clone()];
            let mut starts = Vec::new();
            let mut from = 0;
            while let Some(found) = patterns.starts.find(Input::new(text).range(from..)) {
                if starts.len() == max_starts {
                    return (part, None);
                }
                starts.push((found.start(), found.pattern().as_u32()));
                from = found.start() + 1;
            }
            (part, Some(starts))
        })
        .collect();
    for (i, (topic, re, words)) in patterns.each.iter().enumerate() {
        if out.iter().any(|s| s.topic == *topic) {
            continue;
        }
        let found = prose.iter().find_map(|(part, starts)| match starts {
            Some(starts) => {
                let starts = starts
                    .iter()
                    .filter(|(_, word)| words.contains(word))
                    .map(|&(at, _)| at);
                stated(*topic, re, source, part, starts)
            }
            None => stated_searching(*topic, SEARCHING.get(i)?.as_ref()?, source, part),
        });
        if let Some(stated) = found {
            out.push(Statement {
                topic: *topic,
                stated,
            });
        }
    }
    out
}

/// Reads the metadata; `tables` are the source ranges of the tables, whose numbers are not prose.
#[must_use]
pub fn read(source: &str, norm: &Normalized, tables: &[Range<usize>]) -> Metadata {
    let title = title(source);
    let title_year = title
        .as_deref()
        .and_then(|t| YEAR.as_ref()?.captures(t))
        .and_then(|c| c.get(1)?.as_str().parse().ok());
    let period = PERIOD.as_ref().and_then(|re| re.captures(source));
    let period_year = period
        .as_ref()
        .and_then(|c| c.get(1)?.as_str().parse().ok());
    let period_range = period.as_ref().and_then(|c| c.get(0)).map(|m| m.range());
    let period_text = period
        .and_then(|c| c.get(0))
        .map(|m| m.as_str().chars().filter(|c| !c.is_whitespace()).collect());
    let missing_sections = (1..=6_u8)
        .filter(|&n| {
            !SECTIONS[usize::from(n - 1)]
                .iter()
                .any(|key| norm.find(key, 0).is_some())
        })
        .collect();
    let mut framing: Vec<Range<usize>> = tables.to_vec();
    if let Some(title) = &title {
        framing.extend(
            memchr::memmem::find(source.as_bytes(), title.as_bytes())
                .map(|at| at..at + title.len()),
        );
    }
    framing.extend(period_range);
    Metadata {
        organization: title.as_deref().and_then(organization),
        year: title_year.or(period_year),
        title_year,
        title,
        period_year,
        period_text,
        statements: statements(source, tables),
        missing_sections,
        sections: sections(source, norm, tables),
        years_named: years_named(source, &framing),
    }
}

/// The source ranges of `range` outside `tables` (kept on the stack: a report has three tables,
/// and this is asked for every section).
fn outside(range: Range<usize>, tables: &[Range<usize>]) -> SmallVec<[Range<usize>; 4]> {
    let mut sorted: SmallVec<[&Range<usize>; 4]> = tables
        .iter()
        .filter(|t| t.start < range.end && t.end > range.start)
        .collect();
    sorted.sort_by_key(|t| t.start);
    let mut out = SmallVec::new();
    let mut at = range.start;
    for t in sorted {
        if t.start > at {
            out.push(at..t.start);
        }
        at = at.max(t.end);
    }
    if at < range.end {
        out.push(at..range.end);
    }
    out
}

/// The numerals of sections 一 to 六.
const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// How a section's numeral is set off in its heading (`五、`, `五．`, `五.`, `（五）`, `(五)`):
/// what stands before it and after it.
const NUMBERINGS: [(&str, &str); 5] = [("", "、"), ("", "．"), ("", "."), ("（", "）"), ("(", ")")];

/// What ends the clause a section's heading is in: a heading's numeral is looked for after the
/// last of these before its key.
const HEADING_BREAKS: [char; 7] = ['\n', '。', '，', '；', '：', ',', ';'];

/// Where the heading of section `number` is, by `key` found at source byte `at`: a heading is
/// numbered (`五、`, `五．`, `（五）`) at most a few words before the key, with no sentence break
/// between (`本报告由总体情况，主动公开…组成` lists the sections, it heads none). Returns where
/// the heading starts and where the text under it starts.
fn heading_at(
    source: &str,
    number: u8,
    key_start: usize,
    key_end: usize,
) -> Option<(usize, usize)> {
    let clause_start = clause_start(source, key_start, &HEADING_BREAKS);
    // The numeral nearest the key, a few words before it at most (五、政府信息公开工作存在的…):
    // each of the numeral's places from the key back, until one is set off as a heading's (a
    // later place always starts a later heading, the numeral being in every spelling once).
    let span = &source[clause_start..key_start];
    let numeral = NUMERALS[usize::from(number - 1)];
    let (at, end) = span.rmatch_indices(numeral).find_map(|(place, text)| {
        let after_numeral = place + text.len();
        NUMBERINGS.iter().find_map(|&(before, after)| {
            let at = place.checked_sub(before.len())?;
            let set_off =
                span.get(at..place)? == before && span.get(after_numeral..)?.starts_with(after);
            set_off.then_some((at, after_numeral + after.len()))
        })
    })?;
    if span[end..].chars().count() > 12 {
        return None;
    }
    let heading = clause_start + at;
    // The heading's own words after the key, even broken over a line; its text starts after
    // them, on the same line (a page scraped into one line) or the next.
    let after = key_end
        + ["及改进情况", "的情况", "情况"]
            .iter()
            .find_map(|t| prefix_len_spaced(&source[key_end..], t))
            .unwrap_or(0);
    let line_end = source[after..]
        .find('\n')
        .map_or(source.len(), |i| after + i);
    let body = if source[after..line_end].trim().is_empty() {
        (line_end + 1).min(source.len())
    } else {
        after
    };
    Some((heading, body))
}

/// The bytes of `text` that spell `word` at its start, white space between its characters
/// allowed (OCR puts spaces between Chinese characters).
fn prefix_len_spaced(text: &str, word: &str) -> Option<usize> {
    let mut chars = text.char_indices().filter(|(_, c)| !c.is_whitespace());
    let mut end = 0;
    for w in word.chars() {
        let (at, c) = chars.next()?;
        if c != w {
            return None;
        }
        end = at + c.len_utf8();
    }
    Some(end)
}

/// Each section whose numbered heading is found, with its text up to the next heading, outside
/// the tables.
fn sections(source: &str, norm: &Normalized, tables: &[Range<usize>]) -> Vec<SectionProse> {
    // Each heading: where it starts, its section, where its text starts.
    let mut starts: Vec<(usize, u8, usize)> = (1..=6_u8)
        .filter_map(|n| {
            SECTIONS[usize::from(n - 1)]
                .iter()
                .flat_map(|key| {
                    let mut from = 0;
                    std::iter::from_fn(move || {
                        let at = norm.find(key, from)?;
                        from = at + key.len();
                        let start = norm.source_start(at, source.len());
                        let end = norm.source_end(at + key.len()).max(start);
                        Some((start, end))
                    })
                })
                .filter_map(|(start, end)| heading_at(source, n, start, end))
                .min()
                .map(|(heading, body)| (heading, n, body))
        })
        .collect();
    starts.sort_unstable();
    starts
        .iter()
        .enumerate()
        .map(|(i, &(_, number, body))| {
            let end = starts
                .get(i + 1)
                .map_or(source.len(), |next| next.0)
                .max(body);
            let parts = outside(body..end, tables);
            // Room for the whole prose, or for the kept characters at their widest.
            let room = parts.iter().map(|p| p.len() + 1).sum::<usize>();
            let mut text = String::with_capacity(room.min(4 * SectionProse::KEPT + 1));
            let mut chars = 0;
            // The characters in `text` so far, counted as it grows.
            let mut kept = 0;
            for part in &parts {
                for word in words(&source[part.clone()]) {
                    let word_chars = word.chars().count();
                    chars += word_chars;
                    if kept < SectionProse::KEPT {
                        if !text.is_empty() {
                            text.push(' ');
                            kept += 1;
                        }
                        text.push_str(word);
                        kept += word_chars;
                    }
                }
            }
            if kept > SectionProse::KEPT
                && let Some((cut, _)) = text.char_indices().nth(SectionProse::KEPT)
            {
                text.truncate(cut);
            }
            let sentences = sentences(&text)
                .filter(|s| s.chars().any(char::is_alphanumeric))
                .count();
            SectionProse {
                number,
                text,
                chars,
                sentences,
            }
        })
        .collect()
}

/// The sentences of `text`, split at 。！？； and their ASCII forms, as `str::split` splits it
/// (empty ones included). The ends are matched as bytes: a whole character's UTF-8 found in
/// UTF-8 text starts on a character boundary. Only the bytes that can start an end are looked
/// at, found by `memchr`: the ASCII ends, and the first bytes of the full-width ones (`0xE3`,
/// `0xEF`, shared with the rest of the CJK punctuation); each section's prose is split for every
/// report, and a byte-by-byte walk over it was nearly 4 % of a folder's time.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut start = Some(0);
    // The next ASCII end at or after `at`, kept until passed (they are rare in Chinese prose).
    let mut ascii = memchr::memchr3(b'!', b'?', b';', bytes);
    std::iter::from_fn(move || {
        let from = start?;
        loop {
            if ascii.is_some_and(|a| a < at) {
                ascii = memchr::memchr3(b'!', b'?', b';', &bytes[at..]).map(|i| at + i);
            }
            let wide = memchr::memchr2(0xE3, 0xEF, &bytes[at..]).map(|i| at + i);
            let Some(next) = ascii.into_iter().chain(wide).min() else {
                break;
            };
            at = next;
            let end = match bytes[at..] {
                [b'!' | b'?' | b';', ..] => 1,
                [0xE3, 0x80, 0x82, ..] | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B, ..] => 3,
                _ => 0,
            };
            if end > 0 {
                let sentence = text.get(from..at);
                at += end;
                start = Some(at);
                return sentence;
            }
            at += 1;
        }
        start = None;
        text.get(from..)
    })
}

/// How many bytes of white space (as `char::is_whitespace` has it) start `bytes`: 0 if none.
/// Decoded from the bytes, for [`words`].
fn white_space_len(bytes: &[u8]) -> usize {
    match bytes {
        [b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ', ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// The words of `text`, as `str::split_whitespace` finds them. The white space is found in the
/// bytes, and only a byte that can start it (an ASCII space or control, or the first byte of
/// U+0085..U+3000) is looked at again: a section's prose is walked for every report, and
/// decoding each character to ask whether it is white space was most of the walk.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            match white_space_len(&bytes[at..]) {
                0 => break,
                n => at += n,
            }
        }
        let start = at;
        loop {
            let Some(lead) = first_space_lead(&bytes[at..]) else {
                at = bytes.len();
                break;
            };
            at += lead;
            if white_space_len(&bytes[at..]) > 0 {
                break;
            }
            at += 1;
        }
        text.get(start..at).filter(|word| !word.is_empty())
    })
}

/// Whether `byte` can start white space: an ASCII space or control, or the first byte of
/// U+0085..U+3000. (Computed without branches, so that [`first_space_lead`] tests a block of
/// bytes at once.)
#[allow(clippy::needless_bitwise_bool)] // no branches: see above
fn may_start_space(byte: u8) -> bool {
    (byte <= b' ') | (byte == 0xC2) | (byte.wrapping_sub(0xE1) < 3)
}

/// Where in `bytes` the first byte is that [`may_start_space`]. A block of 16 bytes is asked at
/// once, and the bytes one by one only in the block that has one: most of a report's prose is
/// three-byte characters that start no white space. (A third faster than asking byte by byte.)
fn first_space_lead(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 16;
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut base = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | may_start_space(b)) {
            return block
                .iter()
                .position(|&b| may_start_space(b))
                .map(|i| base + i);
        }
        base += BLOCK;
    }
    blocks
        .remainder()
        .iter()
        .position(|&b| may_start_space(b))
        .map(|i| base + i)
}

/// How often each year is named outside `framing` (the tables, the title, the period): each
/// `年` preceded, past any white space, by four digits starting 19 or 20 — what [`YEAR`]
/// matches, found from the `年`s (a few dozen a report) rather than by the pattern tried at
/// every digit of the tables.
fn years_named(source: &str, framing: &[Range<usize>]) -> BTreeMap<u16, u32> {
    let mut out = BTreeMap::new();
    for at in memchr::memmem::find_iter(source.as_bytes(), "年".as_bytes()) {
        let digits = source[..at].trim_end();
        let Some(start) = digits.len().checked_sub(4) else {
            continue;
        };
        let Some(year) = digits
            .get(start..)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .filter(|d| d.starts_with("19") || d.starts_with("20"))
            .and_then(|d| d.parse::<u16>().ok())
        else {
            continue;
        };
        if framing.iter().any(|f| f.contains(&start)) {
            continue;
        }
        *out.entry(year).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Years found from the `年`s are the ones [`YEAR`] finds, on texts of digits, years, white
    /// space of every kind, `年`, `度` and other characters in any order, with the framing
    /// cutting anywhere.
    #[test]
    fn years_named_are_what_the_year_pattern_finds() {
        use proptest::prelude::*;
        fn by_pattern(source: &str, framing: &[Range<usize>]) -> BTreeMap<u16, u32> {
            let mut out = BTreeMap::new();
            for whole in YEAR.as_ref().unwrap().find_iter(source) {
                if framing.iter().any(|f| f.contains(&whole.start())) {
                    continue;
                }
                if let Some(Ok(year)) = whole.as_str().get(..4).map(str::parse::<u16>) {
                    *out.entry(year).or_insert(0) += 1;
                }
            }
            out
        }
        let pieces = prop::sample::select(vec![
            "2021",
            "1998",
            "2",
            "0",
            "1",
            "9",
            "19",
            "20",
            "12",
            " ",
            "\u{3000}",
            "\n",
            "\t",
            "年",
            "年",
            "度",
            "a",
            "一",
            "２０２１",
            "é",
        ]);
        proptest!(|(parts in prop::collection::vec(pieces, 0..30), cut in 0_usize..200)| {
            let source = parts.concat();
            let cut = cut.min(source.len());
            let (head, tail) = (0..cut, cut..source.len());
            let framings: [&[Range<usize>]; 3] =
                [&[], std::slice::from_ref(&head), std::slice::from_ref(&tail)];
            for framing in framings {
                prop_assert_eq!(years_named(&source, framing), by_pattern(&source, framing), "{:?}", source);
            }
        });
    }

    /// A title found looking at the first [`TITLE_LOOKED_AT`] characters of each line is the
    /// one found looking at all of them, on lines of title words, sentence ends, prefixes,
    /// furniture and long runs, one or two of them a title.
    #[test]
    fn a_title_is_found_from_the_start_of_each_line() {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "标题:",
            "标题：",
            "平潭综合实验区",
            "2021年",
            "年度",
            "政府信息公开",
            "工作",
            "报告",
            "年报",
            "。",
            " ",
            "发布机构",
            "索引号",
            "一二三四五六七八九十",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
            "\n",
            "\n",
            "\n",
        ]);
        proptest!(|(parts in prop::collection::vec(pieces, 0..40))| {
            let source = parts.concat();
            prop_assert_eq!(title(&source), title_looking_at(&source, usize::MAX), "{:?}", source);
        });
    }

    /// Sentences found a byte at a time are the ones `split` finds, beside every sentence end
    /// and the characters that share their bytes, in Chinese and ASCII alike.
    #[test]
    fn sentences_split_a_byte_at_a_time_as_the_standard_library_splits_them() {
        let sample = include_str!("../../assets/samples/003_9befa24b251bf041.txt");
        let mut texts = vec![sample.to_owned(), String::new(), " ".into(), "。".into()];
        // Characters whose UTF-8 shares all but the last byte with a sentence end.
        let neighbours = ['、', '〃', '\u{3000}', '＂', '：', '＜', '＞', '＠', '〇'];
        for (i, near) in neighbours.iter().enumerate() {
            let end = ['。', '！', '？', '；', '!', '?', ';', '，'][i % 8];
            texts.push(format!("{near}政府{end}{near}信息{end}公开¥é x{end}{end}"));
        }
        for text in &texts {
            assert_eq!(
                sentences(text).collect::<Vec<_>>(),
                text.split(['。', '！', '？', '；', '!', '?', ';'])
                    .collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    /// The heading's words after the key may be broken over a line (`存在的主要问题\n及改进情况`):
    /// the section's text starts after them, and nothing panics.
    #[test]
    fn a_heading_broken_over_a_line_heads_its_section() {
        for source in [
            "五、存在的主要问题\n及改进情况\n本年度无。\n六、其他需要报告的事项\n无",
            "五、存在的主要问题\n及改进情况",
            "五、存在的主要问题 及 改进 情况 本年度无。",
        ] {
            let norm = Normalized::new(source).unwrap();
            let found = sections(source, &norm, &[]);
            let five = found.iter().find(|s| s.number == 5).unwrap();
            assert!(!five.text.contains("改进情况"), "{source:?}: {five:?}");
        }
    }

    /// A heading found from its numeral's places is the one the rightmost of its five spellings
    /// gave, wherever numerals, brackets and other sections' numbers stand before the key.
    #[test]
    fn a_heading_is_the_rightmost_spelling_of_its_number() {
        // Each spelling searched for on its own, the rightmost kept: as headings were found.
        let searched = |source: &str, number: u8, key_start: usize| -> Option<usize> {
            let clause = clause_start(source, key_start, &HEADING_BREAKS);
            let span = &source[clause..key_start];
            let numeral = NUMERALS[usize::from(number - 1)];
            let (at, marker) = NUMBERINGS
                .iter()
                .map(|(before, after)| format!("{before}{numeral}{after}"))
                .filter_map(|marker| span.rfind(&marker).map(|at| (at, marker)))
                .max_by_key(|(at, _)| *at)?;
            (span[at + marker.len()..].chars().count() <= 12).then_some(clause + at)
        };
        let pieces = [
            "",
            "一",
            "二",
            "五",
            "、",
            "．",
            ".",
            "（",
            "）",
            "(",
            ")",
            "第",
            " ",
            "，",
            "一、",
            "（一）",
            "(一)",
            "五．",
            "（五）",
            "(五",
            "五)",
            "工作",
        ];
        let mut headed = 0;
        for number in [1, 2, 5] {
            for a in pieces {
                for b in pieces {
                    for c in pieces {
                        let source = format!("前言{a}{b}{c}总体情况\n正文");
                        let key_start = source.find("总体情况").unwrap_or(0);
                        let key_end = key_start + "总体情况".len();
                        let found = heading_at(&source, number, key_start, key_end);
                        assert_eq!(
                            found.map(|(heading, _)| heading),
                            searched(&source, number, key_start),
                            "{source:?} {number}"
                        );
                        headed += usize::from(found.is_some());
                    }
                }
            }
        }
        assert!(headed > 1_000, "{headed}");
    }

    /// Words found in the bytes are the ones `split_whitespace` finds, beside every white space
    /// character and the characters that share their first bytes.
    #[test]
    fn words_are_split_as_the_standard_library_splits_them() {
        let sample = include_str!("../../assets/samples/003_9befa24b251bf041.txt");
        let mut texts = vec![
            sample.to_owned(),
            String::new(),
            " ".into(),
            "\u{3000}".into(),
        ];
        let spaces = (0..=0x3000_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace());
        // Characters whose UTF-8 shares its first bytes with white space, and controls.
        let neighbours = [
            '\u{84}', '\u{A1}', '\u{1681}', '\u{200B}', '\u{2030}', '\u{205E}',
        ];
        let others = neighbours
            .into_iter()
            .chain(['\u{3001}', '\u{1}', '。', '¥']);
        for (space, other) in spaces.zip(others.cycle()) {
            texts.push(format!(
                "{space}政府{other}{space}{space}信息{other}x{space}"
            ));
            texts.push(format!("{other}{space}é"));
        }
        // Each white space at every place in a block of sixteen bytes, and past its end.
        for shift in 0..40 {
            texts.push(format!(
                "{}政\u{3000}府 信\u{85}息\t公。开",
                "a".repeat(shift)
            ));
        }
        for text in &texts {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_pattern_compiles() {
        assert!(YEAR.is_some() && PERIOD.is_some());
        assert_eq!(
            PATTERNS.as_ref().map(|p| p.each.len()),
            Some(STATEMENTS.len())
        );
    }

    /// Each statement pattern begins with the words it is listed with, and with nothing else:
    /// it is tried only where one of them stands. No first word begins another: the search for
    /// them finds one at each place.
    #[test]
    fn every_pattern_starts_with_its_words() {
        let all: Vec<&str> = STATEMENTS
            .iter()
            .flat_map(|(_, w, _)| w.iter().copied())
            .collect();
        for a in &all {
            for b in &all {
                assert!(a == b || !b.starts_with(a), "{a} begins {b}");
            }
        }
        for (_, words, pattern) in STATEMENTS {
            let head = match words {
                [word] => (*word).to_owned(),
                _ => format!("(?:{})", words.join("|")),
            };
            let rest = pattern.strip_prefix(head.as_str());
            assert!(rest.is_some(), "{pattern} does not start with {head}");
            // Nothing after the head may make it optional or repeat it.
            let next = rest.and_then(|r| r.chars().next());
            assert!(
                !matches!(next, Some('?' | '*' | '+' | '{' | '|')),
                "{pattern}"
            );
        }
    }

    /// The patterns tried where their first words stand find what each pattern searching the
    /// whole stretch finds (as every stretch was read before the one scan, and a crowded one
    /// still is): on the samples, on prose with statements run together and overlapping, with a
    /// number too large to hold and another office's share in the way of the report's own.
    #[test]
    fn statements_tried_at_their_words_are_the_ones_searched_for() {
        let samples = super::super::SAMPLE_TEXTS;
        let made = [
            "收到收到申请3件，其中，市公安局受理申请2件。受理申请99999999999999999999999件受理申请5件",
            "行政复议行政复议2件；复议均维持。未没有收到申请。没有收到公开申请",
            "现行有效规章现行有效规章4件，规章现行有效6件；规范性文件现行有效7件",
            "行政事业性收费12.5万元，行政许可3件 行政处罚 合计 8 件",
            // A share passed over whose match holds a first word where a match would be taken:
            // the search goes on after the match, so that one is never tried.
            "其中，区局受理自然人申请1件、受理法人或其他组织申请2件",
        ];
        // A stretch crowded with first words, which `statements` searches pattern by pattern.
        let crowded = format!(
            "{}受理申请7件，其中，区局受理申请2件。{}",
            "受理".repeat(MAX_STARTS),
            made[1]
        );
        let mut checked = 0;
        for text in samples
            .iter()
            .copied()
            .chain(made)
            .chain([crowded.as_str()])
        {
            let third = text.len() / 3;
            let (a, b) = (
                text.floor_char_boundary(third),
                text.floor_char_boundary(2 * third),
            );
            let middle = a..b;
            for tables in [vec![], vec![middle], vec![0..a, b..text.len()]] {
                let found = |max_starts| -> Vec<_> {
                    statements_trying(text, &tables, max_starts)
                        .into_iter()
                        .map(|s| (s.topic, s.stated.value, s.stated.text, s.stated.span))
                        .collect()
                };
                let tried = found(usize::MAX);
                assert_eq!(tried, found(0), "{text}");
                checked += tried.len();
            }
        }
        assert!(checked > 25, "{checked} statements");
        // The made texts reach the cases above: a share passed over, then a number too large.
        let said = |text: &str, topic: Topic| {
            statements(text, &[])
                .into_iter()
                .find(|s| s.topic == topic)
                .map(|s| s.stated.value)
        };
        assert_eq!(said(made[0], Topic::Applications), Some(3));
        assert_eq!(said(made[0], Topic::Accepted), Some(5));
        assert_eq!(said(made[1], Topic::Reviews), Some(2));
        assert_eq!(said(made[1], Topic::Applications), Some(0));
        assert_eq!(said(made[2], Topic::RegulationsInForce), Some(4));
        assert_eq!(said(made[3], Topic::Fees), Some(12_500_000));
        assert_eq!(said(made[4], Topic::Accepted), Some(2));
        assert_eq!(said(made[4], Topic::AcceptedOrganisations), None);
        assert_eq!(said(&crowded, Topic::Accepted), Some(7));
        assert_eq!(said(&crowded, Topic::Reviews), Some(2));
    }

    #[test]
    fn titles_give_body_and_year() {
        let cases = [
            (
                "尉氏县洧川镇人民政府\n2021年度信息公开工作年度报告\n",
                "尉氏县洧川镇人民政府",
                2021,
            ),
            (
                "官庄镇人民政府2020年政府信息公开工作\n年度报告\n \n",
                "官庄镇人民政府",
                2020,
            ),
            ("2020年郑宅镇政府信息公开工作 年度报告\n", "郑宅镇", 2020),
            (
                "标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n",
                "平潭综合实验区",
                2019,
            ),
            (
                "  • 索引号:006382564L/2024-2169556\n华容县插旗镇人民政府2023年政府信息公开工作年度报告\n",
                "华容县插旗镇人民政府",
                2023,
            ),
        ];
        for (text, org, year) in cases {
            let meta = read(text, &Normalized::new(text).unwrap(), &[]);
            assert_eq!(meta.organization.as_deref(), Some(org), "{text}");
            assert_eq!(meta.year, Some(year), "{text}");
        }
    }

    #[test]
    fn prose_numbers_and_period() {
        let text = "本报告中所列数据的统计期限自2019年1月1日起，至2019年12月31日止。全年收到信息公开申请 2 件,行政复议 1 件,行政诉讼 3 件。";
        let meta = read(text, &Normalized::new(text).unwrap(), &[]);
        assert_eq!(meta.period_year, Some(2019));
        assert_eq!(said(&meta, Topic::Applications), Some(2));
        assert_eq!(said(&meta, Topic::Reviews), Some(1));
        assert_eq!(said(&meta, Topic::Suits), Some(3));
        let none = "本年度我镇未收到政府信息依申请公开申请。收到和处理政府信息公开申请情况";
        assert_eq!(
            said(
                &read(none, &Normalized::new(none).unwrap(), &[]),
                Topic::Applications
            ),
            Some(0)
        );
        let r12 = "全年共收到70件申请，及时依法依规办结69件";
        assert_eq!(
            said(
                &read(r12, &Normalized::new(r12).unwrap(), &[]),
                Topic::Applications
            ),
            Some(70)
        );
        let r09 = "予以公开及部分公开258件，占33.9%；不予公开35件；因本机关不掌握等原因无法提供265件。信息公开类行政复议7件，诉讼9件，均获维持。";
        let meta = read(r09, &Normalized::new(r09).unwrap(), &[]);
        assert_eq!(said(&meta, Topic::GrantedOrPartial), Some(258));
        assert_eq!(said(&meta, Topic::Denied), Some(35));
        assert_eq!(said(&meta, Topic::Unable), Some(265));
        assert!(meta.statements.iter().any(|s| s.topic == Topic::AllUpheld));
    }

    #[test]
    fn accepted_applications_and_what_else_the_prose_states() {
        // r03 and r09, as printed (r09's office answers for the city government: 代表…受理).
        let r03 = "2024 年，全市共受理政府信息公开申请 3119 件，答\n复 3050 件";
        assert_eq!(
            said(
                &read(r03, &Normalized::new(r03).unwrap(), &[]),
                Topic::Accepted
            ),
            Some(3119)
        );
        let r09 = "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%";
        assert_eq!(
            said(
                &read(r09, &Normalized::new(r09).unwrap(), &[]),
                Topic::Accepted
            ),
            Some(859)
        );
        // The other statements, in the words reports use for them.
        let text = "全年共受理政府信息公开申请 120 件，其中自然人申请 100 件、法人或其他组织申请 20 件。\
                    截至年底，现行有效规范性文件 66 件，现行有效规章 11 件。\
                    全年作出行政许可决定 447228 件，行政处罚 3985758 件；行政事业性收费 96171.6 万元。";
        let meta = read(text, &Normalized::new(text).unwrap(), &[]);
        assert_eq!(said(&meta, Topic::Accepted), Some(120));
        assert_eq!(said(&meta, Topic::AcceptedNatural), Some(100));
        assert_eq!(said(&meta, Topic::AcceptedOrganisations), Some(20));
        assert_eq!(said(&meta, Topic::NormativeInForce), Some(66));
        assert_eq!(said(&meta, Topic::RegulationsInForce), Some(11));
        assert_eq!(said(&meta, Topic::Licensing), Some(447_228));
        assert_eq!(said(&meta, Topic::Penalties), Some(3_985_758));
        assert_eq!(said(&meta, Topic::Fees), Some(96_171_600_000), "in 分");
        // One office's share of the figures is not the report's.
        let part = "全市共收到申请 300 件。其中，市公安局受理政府信息公开申请 120 件。";
        assert_eq!(
            said(
                &read(part, &Normalized::new(part).unwrap(), &[]),
                Topic::Accepted
            ),
            None
        );
    }

    fn said(meta: &Metadata, topic: Topic) -> Option<u64> {
        meta.statements
            .iter()
            .find(|s| s.topic == topic)
            .map(|s| s.stated.value)
    }
}
