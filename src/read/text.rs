//! Text normalised for finding labels: whitespace and punctuation dropped, full-width forms folded,
//! with a map back to byte offsets in the source so that every match has a span, and where each
//! of the template's words occurs, found in one pass.

use std::sync::LazyLock;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};

/// Source text with whitespace and punctuation removed and full-width letters and digits folded
/// to ASCII, so that `（三）不予 公 开` and `(三)不予公开` both read `三不予公开`.
#[derive(Debug)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, where its character is in the source: the byte offset where it
    /// starts, shifted left two bits, and its length in bytes less one in those two bits. (One
    /// `u32` a byte: the map is built for every report, and four bytes a byte of text, not the
    /// sixteen of two `usize`, keeps it in the cache.)
    map: Vec<u32>,
    /// Where each of the [`WORDS`] occurs in `text`.
    occurrences: Occurrences,
    /// Which of the [`OCR_MARKS`] the source holds, one bit each. (Noted as the source is
    /// normalised: eleven byte searches over every report cost more.)
    marks: u16,
}

/// Characters that OCR engines emit for table rules and specks, and real reports never contain.
pub const OCR_MARKS: [char; 11] = ['₽', '↩', 'ℴ', 'φ', '€', 'ā', '→', '←', '√', 'ø', '¢'];

/// The bit of `c` in [`Normalized::marks`]: 0 for a character that is no OCR mark.
fn mark_bit(c: char) -> u16 {
    // Every mark is below U+2200 (`√` the last); the Chinese punctuation that fills a report
    // is above it, and is let go after one comparison.
    if c > '√' {
        return 0;
    }
    OCR_MARKS
        .iter()
        .position(|&mark| mark == c)
        .map_or(0, |i| 1 << i)
}

/// The words looked for in every report (the template's labels, the sections' headings), as one
/// automaton: a report is searched for each of them hundreds of times (a row's label from where
/// the last row ended, every group heading after every row), so each report is scanned once for
/// all of them and the searches become lookups. Other words are searched for directly.
///
/// The automaton reads the text one character to a byte: each character that occurs in a word
/// has a code of its own and every other character the code 0. A report's text is mostly Chinese
/// (three bytes to a character), so this is a third or less of the steps over the text, each
/// through a smaller table, which [`Steps`] lays out smaller still. The automaton is stepped as
/// the text is normalised ([`Walk`]), a code at a time, rather than through the library's
/// iterator of matches, which returns and resumes at each of a report's hundreds of matches.
struct Words {
    automaton: Steps,
    /// Each word's pattern number.
    ids: FxHashMap<&'static str, u32>,
    /// The code of each character of U+4E00..=U+9FFF (0: in no word).
    cjk: Box<[u8]>,
    /// The code of each ASCII character.
    ascii: [u8; 128],
    /// The codes of the other characters that occur in words.
    other: FxHashMap<char, u8>,
    /// Each word's length in bytes, by pattern number: a match of a word is its own text (a code
    /// stands for one character), so it starts this far before where it ends.
    lens: Vec<u32>,
}

/// The longest text [`Normalized`] maps: its offsets are kept in 30 bits. (The reader refuses
/// texts over [`super::MAX_TEXT_BYTES`], and rendered documents over this.)
pub const MAX_SOURCE_BYTES: usize = (1 << 30) - 1;

/// The first character of [`Words::cjk`].
const CJK_FIRST: u32 = 0x4E00;

impl Words {
    /// Codes the words' characters, one byte each; `None` if there are more than 255 of them.
    fn build(words: &[&'static str]) -> Option<Words> {
        let mut cjk = vec![0_u8; 0x9FFF - CJK_FIRST as usize + 1].into_boxed_slice();
        let mut ascii = [0_u8; 128];
        let mut other = FxHashMap::default();
        // Codes 1 to 255; 0 is every character of no word.
        let mut next = 1_u16;
        let mut coded: Vec<Vec<u8>> = Vec::with_capacity(words.len());
        for word in words {
            let mut bytes = Vec::with_capacity(word.len());
            for c in word.chars() {
                let slot = if c.is_ascii() {
                    &mut ascii[c as usize]
                } else if let Some(i) = cjk_index(c) {
                    &mut cjk[i]
                } else {
                    other.entry(c).or_insert(0)
                };
                if *slot == 0 {
                    *slot = u8::try_from(next).ok()?;
                    next += 1;
                }
                bytes.push(*slot);
            }
            coded.push(bytes);
        }
        // Every match is wanted, overlapping ones too (`Standard`), and every byte is stepped
        // (no prefilter: most of a report's coded characters are in some word).
        let automaton = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&coded)
            .ok()
            .and_then(|dfa| Steps::of(&dfa))?;
        let ids = words
            .iter()
            .enumerate()
            .filter_map(|(i, &w)| Some((w, u32::try_from(i).ok()?)))
            .collect();
        let lens = words
            .iter()
            .map(|w| u32::try_from(w.len()).ok())
            .collect::<Option<_>>()?;
        Some(Words {
            automaton,
            ids,
            cjk,
            ascii,
            other,
            lens,
        })
    }

    /// The code of the character whose UTF-8 is `bytes`, a character of U+4E00..=U+9FFF. Its
    /// bytes are decoded here, not by `chars()`: this runs for most characters of every report,
    /// and `chars()` made normalising a tenth slower.
    fn cjk_code(&self, bytes: [u8; 3]) -> u8 {
        let [b0, b1, b2] = bytes.map(u32::from);
        let point = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
        let index = point.wrapping_sub(CJK_FIRST) as usize;
        self.cjk.get(index).copied().unwrap_or(0)
    }

    /// The code of a character of the normalised text.
    fn code(&self, c: char) -> u8 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else if let Some(i) = cjk_index(c) {
            self.cjk[i]
        } else {
            self.other.get(&c).copied().unwrap_or(0)
        }
    }
}

/// Whether a character of UTF-8 whose first two bytes are `first` and `second` is one of
/// U+4E00..=U+9FFF: 0xE5 to 0xE9, or 0xE4 followed by 0xB8 or more.
fn is_cjk_lead(first: u8, second: u8) -> bool {
    (0xE5..=0xE9).contains(&first) || (first == 0xE4 && second >= 0xB8)
}

/// A character's place in the source as [`Normalized`]'s map keeps it: its start shifted left
/// two bits and its length (1 to 4 bytes) less one in those bits. `start` is below 2^30
/// ([`MAX_SOURCE_BYTES`]).
#[allow(clippy::cast_possible_truncation)]
fn place(start: usize, len: usize) -> u32 {
    ((start as u32) << 2) | (len as u32 - 1)
}

/// The source bytes of the character at `place`.
fn place_range(place: u32) -> std::ops::Range<usize> {
    let start = (place >> 2) as usize;
    start..start + (place & 3) as usize + 1
}

/// Where `c` is in [`Words::cjk`], if it is in the block.
fn cjk_index(c: char) -> Option<usize> {
    ('\u{4E00}'..='\u{9FFF}')
        .contains(&c)
        .then(|| (u32::from(c) - CJK_FIRST) as usize)
}

static WORDS: LazyLock<Option<Words>> = LazyLock::new(|| {
    let mut words: Vec<&'static str> = crate::template::label_words();
    words.extend(
        super::meta::SECTIONS
            .iter()
            .flat_map(|keys| keys.iter().copied()),
    );
    words.retain(|w| !w.is_empty());
    words.sort_unstable();
    words.dedup();
    Words::build(&words)
});

/// The words' automaton stepped over the normalised text as it is made, one code a character
/// (see [`Words`]), noting each match. A run of characters in no word is stepped as it is, not
/// collapsed: no word holds the code 0, so after a 0 the automaton is in its start state, and
/// stays there through the 0s after it.
struct Walk<'w> {
    words: &'w Words,
    state: u16,
    /// Each match as (word, start), in the order they end.
    found: Vec<(u32, u32)>,
    /// At `[word + 1]`, how many matches `word` has.
    first: Vec<u32>,
}

impl<'w> Walk<'w> {
    /// A walk from the automaton's start.
    fn new(words: &'w Words) -> Walk<'w> {
        Walk {
            words,
            state: words.automaton.start,
            found: Vec::with_capacity(256),
            first: vec![0; words.lens.len() + 1],
        }
    }

    /// Steps the character `c`, which ends at normalised offset `end`.
    fn push(&mut self, c: char, end: usize) {
        self.push_code(self.words.code(c), end);
    }

    /// Steps a character of code `code` that ends at normalised offset `end`.
    fn push_code(&mut self, code: u8, end: usize) {
        let automaton = &self.words.automaton;
        self.state = automaton.next(self.state, code);
        if automaton.is_match(self.state) {
            self.matched(end);
        }
    }

    /// Steps and maps the run of characters of U+4E00..=U+9FFF (three bytes each, kept as they
    /// are) that starts at byte `at` of `bytes`, its first at normalised offset `text_at`;
    /// returns where the run ends. One loop finds the run's end and steps it, the state kept in
    /// a local through the run (as the walk's field it was stored and loaded again at every
    /// character, and each step waits on the one before).
    fn cjk_run(
        &mut self,
        bytes: &[u8],
        mut at: usize,
        text_at: usize,
        map: &mut Vec<u32>,
    ) -> usize {
        let (run, words) = (at, self.words);
        let automaton = &words.automaton;
        let mut state = self.state;
        while let Some(&[b0, b1, b2]) = bytes.get(at..at + 3)
            && is_cjk_lead(b0, b1)
        {
            state = automaton.next(state, words.cjk_code([b0, b1, b2]));
            at += 3;
            if automaton.is_match(state) {
                self.state = state;
                self.matched(text_at + at - run);
            }
            map.extend_from_slice(&[place(at - 3, 3); 3]);
        }
        self.state = state;
        at
    }

    /// Notes each word that ends at normalised offset `end`, where the character just stepped
    /// ends.
    #[cold]
    fn matched(&mut self, end: usize) {
        for &word in self.words.automaton.words_of(self.state) {
            let len = self.words.lens.get(word as usize).copied().unwrap_or(0);
            if let Some(start) = u32::try_from(end).ok().and_then(|end| end.checked_sub(len)) {
                self.found.push((word, start));
                self.first[word as usize + 1] += 1;
            }
        }
    }
}

/// The words' automaton laid out to be stepped from the first level of the cache. The library's
/// table has a row of every code for each state (470 KB for the template's words): each step of
/// a report's walk loaded from a different row, out of the nearest cache, and normalising waited
/// on those loads. Here a state keeps only the codes on which it goes elsewhere than the start
/// state would (one or two for almost every state, none for most of what a report holds),
/// beside one row for the start: a few kilobytes in all.
struct Steps {
    start: u16,
    /// Where the start state goes on each code.
    from_start: [u16; 256],
    /// Each state's exceptions to `from_start`.
    rows: Vec<Row>,
    /// The exceptions of states with more than two of them, as (code, next state).
    more: Vec<(u8, u16)>,
    /// States from this one on are those where words end (they are numbered last).
    first_match: u16,
    /// For each state from `first_match`, less it, where its words start in `words`.
    words_first: Vec<u32>,
    /// The pattern numbers of the words that end in each matching state.
    words: Vec<u32>,
}

/// A state's exceptions to the start state's row, packed in a `u64` that one load brings into a
/// register (each step of a walk waits on it): up to two (code, next state) inline, the first
/// exception's code in bits 0..8 and its state in 16..32, the second's in 8..16 and 32..48; an
/// unused slot holds the code 0 and where the state goes on it, so it answers rightly for that
/// code too. A state with more exceptions has them all in [`Steps::more`] instead: its row holds
/// where they start and end there in bits 16..32 and 32..48, and 1 in bits 48..64.
#[derive(Clone, Copy)]
struct Row(u64);

#[allow(clippy::cast_possible_truncation)] // fields of a row, cut out of it
impl Row {
    /// The row of up to two exceptions, `unused` filling the slots left.
    fn inline(exceptions: &[(u8, u16)], unused: (u8, u16)) -> Row {
        let first = exceptions.first().copied().unwrap_or(unused);
        let second = exceptions.get(1).copied().unwrap_or(unused);
        Row(u64::from(first.0)
            | u64::from(second.0) << 8
            | u64::from(first.1) << 16
            | u64::from(second.1) << 32)
    }

    /// The row of a state whose exceptions are `more[from..to]`.
    fn more(from: u16, to: u16) -> Row {
        Row(u64::from(from) << 16 | u64::from(to) << 32 | 1 << 48)
    }

    /// The exception in slot `slot` (0 or 1): its code and its next state.
    fn slot(self, slot: u32) -> (u8, u16) {
        (
            (self.0 >> (8 * slot)) as u8,
            (self.0 >> (16 + 16 * slot)) as u16,
        )
    }

    /// Where the state's exceptions are in [`Steps::more`]; `None` for a row that holds them.
    fn more_range(self) -> Option<std::ops::Range<usize>> {
        (self.0 >> 48 != 0).then(|| {
            let (_, from) = self.slot(0);
            let (_, to) = self.slot(1);
            usize::from(from)..usize::from(to)
        })
    }
}

impl Steps {
    /// The automaton `dfa`, stepped a code (0 to 255) at a time, laid out compactly; `None` if it
    /// has more states than a `u16` numbers.
    fn of(dfa: &DFA) -> Option<Steps> {
        let ac_start = dfa.start_state(Anchored::No).ok()?;
        // Every state reachable from the start.
        let mut states = vec![ac_start];
        let mut known: FxHashSet<StateID> = FxHashSet::default();
        known.insert(ac_start);
        let mut at = 0;
        while let Some(&state) = states.get(at) {
            at += 1;
            for code in 0..=u8::MAX {
                let next = dfa.next_state(Anchored::No, state, code);
                if known.insert(next) {
                    states.push(next);
                }
            }
        }
        // The states where no word ends first, so that `is_match` is one comparison.
        let matches = |s: StateID| dfa.is_special(s) && dfa.is_match(s);
        states.sort_by_key(|&s| matches(s));
        let number: FxHashMap<StateID, u16> = states
            .iter()
            .enumerate()
            .map(|(i, &s)| Some((s, u16::try_from(i).ok()?)))
            .collect::<Option<_>>()?;
        let first_match = u16::try_from(states.partition_point(|&s| !matches(s))).ok()?;
        let next = |s: StateID, code: u8| number[&dfa.next_state(Anchored::No, s, code)];
        let mut from_start = [0; 256];
        for code in 0..=u8::MAX {
            from_start[usize::from(code)] = next(ac_start, code);
        }
        let (mut rows, mut more) = (Vec::with_capacity(states.len()), Vec::new());
        let (mut words_first, mut words) = (vec![0], Vec::new());
        for &state in &states {
            let exceptions: Vec<(u8, u16)> = (0..=u8::MAX)
                .map(|code| (code, next(state, code)))
                .filter(|&(code, to)| to != from_start[usize::from(code)])
                .collect();
            let unused = (0, next(state, 0));
            rows.push(if exceptions.len() <= 2 {
                Row::inline(&exceptions, unused)
            } else {
                let from = u16::try_from(more.len()).ok()?;
                more.extend(exceptions);
                Row::more(from, u16::try_from(more.len()).ok()?)
            });
            if matches(state) {
                words.extend(
                    (0..dfa.match_len(state)).map(|k| dfa.match_pattern(state, k).as_u32()),
                );
                words_first.push(u32::try_from(words.len()).ok()?);
            }
        }
        Some(Steps {
            start: number[&ac_start],
            from_start,
            rows,
            more,
            first_match,
            words_first,
            words,
        })
    }

    /// Where `state` goes on `code`.
    #[inline]
    fn next(&self, state: u16, code: u8) -> u16 {
        let Some(&row) = self.rows.get(usize::from(state)) else {
            return self.start;
        };
        if let Some(range) = row.more_range() {
            return self.next_among_more(range, code);
        }
        // Selected without branches: which way a step goes is the text's to say, and a
        // mispredicted branch costs more than the step.
        let (first, second) = (row.slot(0), row.slot(1));
        let next = std::hint::select_unpredictable(
            code == second.0,
            second.1,
            self.from_start[usize::from(code)],
        );
        std::hint::select_unpredictable(code == first.0, first.1, next)
    }

    /// Where a state whose exceptions are `more[range]` goes on `code`.
    #[cold]
    fn next_among_more(&self, range: std::ops::Range<usize>, code: u8) -> u16 {
        self.more
            .get(range)
            .and_then(|more| more.iter().find(|&&(c, _)| c == code))
            .map_or(self.from_start[usize::from(code)], |&(_, next)| next)
    }

    /// Whether a word ends in `state`.
    #[inline]
    fn is_match(&self, state: u16) -> bool {
        state >= self.first_match
    }

    /// The pattern numbers of the words that end in `state`.
    fn words_of(&self, state: u16) -> &[u32] {
        let Some(i) = state.checked_sub(self.first_match) else {
            return &[];
        };
        let i = usize::from(i);
        match (self.words_first.get(i), self.words_first.get(i + 1)) {
            (Some(&from), Some(&to)) => self.words.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Every occurrence of every word of [`WORDS`] in a text: for word `i`, its starts, ascending,
/// are `starts[first[i]..first[i + 1]]`.
#[derive(Debug, Default)]
struct Occurrences {
    first: Vec<u32>,
    starts: Vec<u32>,
}

impl Occurrences {
    /// The matches of a walk, grouped by word, each word's starts ascending as they were found:
    /// a counting sort.
    fn of(walk: Walk<'_>) -> Occurrences {
        let Walk {
            found, mut first, ..
        } = walk;
        for word in 1..first.len() {
            first[word] += first[word - 1];
        }
        let mut next = first.clone();
        let mut starts = vec![0_u32; found.len()];
        for (word, start) in found {
            let slot = &mut next[word as usize];
            starts[*slot as usize] = start;
            *slot += 1;
        }
        Occurrences { first, starts }
    }

    /// The starts of `word`'s occurrences, if it is one of [`WORDS`].
    fn of_word(&self, word: &str) -> Option<&[u32]> {
        let id = *WORDS.as_ref()?.ids.get(word)? as usize;
        let (from, to) = (*self.first.get(id)?, *self.first.get(id + 1)?);
        self.starts.get(from as usize..to as usize)
    }
}

/// Folds one character: full-width ASCII to ASCII; `None` for characters that labels ignore.
#[must_use]
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then_some(c);
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Some(c);
    }
    if is_common_punctuation(c) {
        return None;
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.is_alphanumeric().then_some(c)
}

/// The punctuation and spaces of Chinese text that are neither letters nor digits, answered
/// without Unicode's tables (a report has thousands of them): general punctuation (`“”—…`),
/// and the CJK symbols and punctuation other than the few that are letters or numerals
/// (`々〆〇`, the Suzhou numerals, the repetition marks).
fn is_common_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}')
}

/// Normalises a label as written in the template, the same way as source text.
#[must_use]
pub fn normalize_key(key: &str) -> String {
    key.chars().filter_map(fold_char).collect()
}

impl Normalized {
    /// Normalises `source`; `None` when it is longer than [`MAX_SOURCE_BYTES`] (the reader
    /// refuses texts long before that).
    #[must_use]
    pub fn new(source: &str) -> Option<Normalized> {
        if source.len() > MAX_SOURCE_BYTES {
            return None;
        }
        let bytes = source.as_bytes();
        let mut text = String::with_capacity(source.len());
        let mut map = Vec::with_capacity(source.len());
        let mut walk = WORDS.as_ref().map(Walk::new);
        let mut at = 0;
        let mut marks = 0;
        // A byte at a time where it is ASCII, a character at a time elsewhere: every byte of the
        // normalised text maps back to its character in the source.
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() {
                    if let Some(walk) = &mut walk {
                        walk.push_code(walk.words.ascii[usize::from(byte)], text.len() + 1);
                    }
                    text.push(char::from(byte));
                    map.push(place(at, 1));
                }
                at += 1;
                continue;
            }
            // Most of a report: runs of Chinese characters (three bytes each, U+4E00 to U+9FFF),
            // kept as they are; a run's text is copied at once.
            let run = at;
            if let Some(walk) = &mut walk {
                at = walk.cjk_run(bytes, at, text.len(), &mut map);
            } else {
                while let Some(&[b0, b1, _]) = bytes.get(at..at + 3)
                    && is_cjk_lead(b0, b1)
                {
                    map.extend_from_slice(&[place(at, 3); 3]);
                    at += 3;
                }
            }
            if at > run {
                text.push_str(&source[run..at]);
                continue;
            }
            let Some(c) = source.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let len = c.len_utf8();
            marks |= mark_bit(c);
            if let Some(folded) = fold_char(c) {
                if let Some(walk) = &mut walk {
                    walk.push(folded, text.len() + folded.len_utf8());
                }
                text.push(folded);
                map.extend(std::iter::repeat_n(place(at, len), folded.len_utf8()));
            }
            at += len;
        }
        let occurrences = walk.map(Occurrences::of).unwrap_or_default();
        Some(Normalized {
            text,
            map,
            occurrences,
            marks,
        })
    }

    /// Whether the source looks like OCR output of a scan (two of the [`OCR_MARKS`] or more):
    /// then no cell can be trusted without a reviewer. One mark is not enough: a report may quote
    /// a `€` or an arrow.
    #[must_use]
    pub fn looks_like_ocr(&self) -> bool {
        self.marks.count_ones() >= 2
    }

    /// The first occurrence of `needle` at or after normalised offset `from`.
    #[must_use]
    pub fn find(&self, needle: &str, from: usize) -> Option<usize> {
        self.find_within(needle, from, self.text.len())
    }

    /// The first occurrence of `needle` that lies within normalised offsets `from..to`.
    #[must_use]
    pub fn find_within(&self, needle: &str, from: usize, to: usize) -> Option<usize> {
        let to = self.floor_boundary(to.min(self.text.len()));
        if needle.is_empty() || from > to {
            return None;
        }
        let from = self.ceil_boundary(from).min(to);
        if let Some(starts) = self.occurrences.of_word(needle) {
            // The first occurrence at or after `from`; if it runs past `to`, so do all later ones.
            let first = starts.partition_point(|&s| (s as usize) < from);
            return starts
                .get(first)
                .map(|&s| s as usize)
                .filter(|s| s + needle.len() <= to);
        }
        // A byte search: a UTF-8 needle found in UTF-8 text starts on a character boundary.
        // (`str::find` sets up its searcher for every call; labels are looked for thousands of
        // times a report.)
        memchr::memmem::find(&self.text.as_bytes()[from..to], needle.as_bytes()).map(|i| i + from)
    }

    /// The source byte offset where the character at normalised offset `at` starts; the end of
    /// the source for offsets past the end.
    #[must_use]
    pub fn source_start(&self, at: usize, source_len: usize) -> usize {
        self.map
            .get(at)
            .map_or(source_len, |&place| place_range(place).start)
    }

    /// The source byte offset just past the character that ends at normalised offset `at`.
    #[must_use]
    pub fn source_end(&self, at: usize) -> usize {
        at.checked_sub(1)
            .and_then(|last| self.map.get(last))
            .map_or(0, |&place| place_range(place).end)
    }

    /// Whether the text at normalised offset `at` starts with `prefix`.
    #[must_use]
    pub fn starts_with_at(&self, at: usize, prefix: &str) -> bool {
        self.text
            .get(at..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    /// Whether the text just before normalised offset `at` ends with `suffix`.
    #[must_use]
    pub fn ends_with_at(&self, at: usize, suffix: &str) -> bool {
        self.text
            .get(..at)
            .is_some_and(|head| head.ends_with(suffix))
    }

    fn floor_boundary(&self, mut at: usize) -> usize {
        while at > 0 && !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil_boundary(&self, mut at: usize) -> usize {
        while at < self.text.len() && !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compact automaton goes where the library's goes, for every state it reaches and every
    /// code, and ends the same words where it does: on words whose states have from none to
    /// nine codes of their own, a code in many words, and the codes 0 and 255.
    #[test]
    fn the_compact_automaton_steps_as_the_library_does() {
        let mut words: Vec<Vec<u8>> = (1..=8).map(|c| vec![9, c]).collect();
        words.extend([
            vec![1, 2, 3, 4],
            vec![2, 3],
            vec![3],
            vec![255, 1],
            vec![9, 9, 9],
        ]);
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&words)
            .unwrap();
        let steps = Steps::of(&dfa).unwrap();
        assert!(
            steps
                .rows
                .iter()
                .filter(|r| r.more_range().is_some())
                .count()
                >= 2,
            "states with more than two codes"
        );
        let ends = |state: StateID| -> Vec<u32> {
            let matches = dfa.is_special(state) && dfa.is_match(state);
            let mut words: Vec<u32> = (0..if matches { dfa.match_len(state) } else { 0 })
                .map(|k| dfa.match_pattern(state, k).as_u32())
                .collect();
            words.sort_unstable();
            words
        };
        let start = (dfa.start_state(Anchored::No).unwrap(), steps.start);
        let mut ours: FxHashMap<StateID, u16> = FxHashMap::from_iter([start]);
        let mut todo = vec![start];
        while let Some((theirs, mine)) = todo.pop() {
            let mut words = steps.words_of(mine).to_vec();
            words.sort_unstable();
            assert_eq!(words, ends(theirs));
            assert_eq!(steps.is_match(mine), !words.is_empty());
            for code in 0..=u8::MAX {
                let next = (
                    dfa.next_state(Anchored::No, theirs, code),
                    steps.next(mine, code),
                );
                match ours.insert(next.0, next.1) {
                    Some(was) => assert_eq!(was, next.1, "one state of theirs is one of ours"),
                    None => todo.push(next),
                }
            }
        }
        assert_eq!(ours.len(), steps.rows.len(), "every state reached");
        let distinct: std::collections::BTreeSet<u16> = ours.values().copied().collect();
        assert_eq!(
            distinct.len(),
            ours.len(),
            "no two of theirs are one of ours"
        );
    }

    #[test]
    fn spaced_and_full_width_labels_normalise_alike() {
        assert_eq!(normalize_key("（三）不予 公 开"), "三不予公开");
        assert_eq!(normalize_key("(三)不予公开"), "三不予公开");
        assert_eq!(normalize_key("3.危及“三安全一稳定”"), "3危及三安全一稳定");
        assert_eq!(normalize_key("第二十条第（一）项"), "第二十条第一项");
        assert_eq!(normalize_key("１２"), "12");
    }

    /// Normalising as the plain definition does: each character folded, each byte of the
    /// result mapped to its character's source bytes.
    fn normalized_plainly(source: &str) -> (String, Vec<usize>, Vec<usize>) {
        let mut text = String::new();
        let (mut start, mut end) = (Vec::new(), Vec::new());
        for (offset, c) in source.char_indices() {
            if let Some(folded) = fold_char(c) {
                text.push(folded);
                for _ in 0..folded.len_utf8() {
                    start.push(offset);
                    end.push(offset + c.len_utf8());
                }
            }
        }
        (text, start, end)
    }

    #[test]
    fn the_fast_normaliser_agrees_with_the_plain_definition() {
        let samples = [
            include_str!("../../assets/samples/000_1424afc2c3529d07.txt"),
            include_str!("../../assets/samples/003_9befa24b251bf041.txt"),
            "（三）不予 公 开\u{3000}ＡＢ１２\u{a0}é𝟘〇々“三安全一稳定”…—·\u{FEFF}x",
            // Folded characters against kept ones on either side, and kept ones of every width
            // following each other with nothing dropped between.
            "Ａ一ａb１2Ｂ\u{FF5E}é一𝟘a一é",
            "一",
            ".",
            "",
        ];
        for source in samples {
            agrees_with_the_plain_definition(source);
        }
    }

    /// Every character the normaliser treats apart, strung together in every order the
    /// generator makes: each normalised byte maps back as the plain definition says.
    #[test]
    fn the_normaliser_agrees_with_the_plain_definition_on_made_texts() {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            "7",
            " ",
            ".",
            "\n",
            "一",
            "鿿",
            "㐀",
            "，",
            "\u{3000}",
            "Ａ",
            "１",
            "〇",
            "é",
            "𝟘",
            "😀",
            "“",
            "\u{FEFF}",
            "三不予公开",
        ]);
        proptest!(|(parts in prop::collection::vec(pieces, 0..40))| {
            agrees_with_the_plain_definition(&parts.concat());
        });
    }

    /// The template's words and their halves strung together with characters of no word: the
    /// index holds every occurrence a plain search finds, overlapping ones included, and no
    /// other.
    #[test]
    fn the_word_index_agrees_with_a_plain_search_on_made_texts() {
        use proptest::prelude::*;
        let mut pieces: Vec<String> = ["a", "7", " ", "，", "é", "鿿", "Ａ", "\n"]
            .map(String::from)
            .to_vec();
        for word in crate::template::label_words() {
            let half = word
                .char_indices()
                .nth(word.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            pieces.extend([
                word.to_owned(),
                word[..half].to_owned(),
                word[half..].to_owned(),
            ]);
        }
        let pieces = prop::sample::select(pieces);
        proptest!(|(parts in prop::collection::vec(pieces, 0..30))| {
            let source = parts.concat();
            let n = Normalized::new(&source).unwrap();
            for &word in WORDS.as_ref().unwrap().ids.keys() {
                let plain: Vec<u32> = (0..n.text.len())
                    .filter(|&at| n.text.as_bytes()[at..].starts_with(word.as_bytes()))
                    .map(|at| u32::try_from(at).unwrap())
                    .collect();
                prop_assert_eq!(n.occurrences.of_word(word).unwrap(), &plain[..], "{} in {}", word, n.text);
            }
        });
    }

    fn agrees_with_the_plain_definition(source: &str) {
        let fast = Normalized::new(source).unwrap();
        let (text, start, end) = normalized_plainly(source);
        assert_eq!(fast.text, text, "{source:?}");
        for (i, (start, end)) in start.into_iter().zip(end).enumerate() {
            assert_eq!(fast.source_start(i, source.len()), start, "{source:?} {i}");
            assert_eq!(fast.source_end(i + 1), end, "{source:?} {i}");
        }
        // Past the end: the end of the source to start from, nothing to end at.
        let len = text.len();
        for past in [len, len + 1, len + 7] {
            assert_eq!(fast.source_start(past, source.len()), source.len());
            assert_eq!(fast.source_end(past + 1), 0);
        }
        assert_eq!(fast.source_end(0), 0);
    }

    /// The template's words, found through the index, are found where a plain search of the
    /// text finds them, whatever the window searched.
    #[test]
    fn words_found_through_the_index_are_where_a_plain_search_finds_them() {
        let samples = [
            include_str!("../../assets/samples/001_3bceb6a2129e3845.txt"),
            include_str!("../../assets/samples/004_a3cb757cf03d8042.txt"),
        ];
        let words = crate::template::label_words();
        assert!(words.len() > 50);
        for source in samples {
            let n = Normalized::new(source).unwrap();
            let len = n.text.len();
            let mut indexed = 0;
            for &word in &words {
                indexed += usize::from(n.occurrences.of_word(word).is_some());
                // Windows that start or end on an occurrence, or just miss it.
                let mut windows = vec![(0, len), (len / 3 + 1, 2 * len / 3), (len, 0)];
                for (at, _) in n.text.match_indices(word) {
                    let end = at + word.len();
                    windows.extend([(at, len), (at + 1, len), (0, end), (0, end - 1)]);
                }
                for (from, to) in windows {
                    // Every byte where the word starts, overlapping ones included.
                    let plain = (from..len).find(|&at| {
                        n.text.as_bytes()[at..].starts_with(word.as_bytes())
                            && at + word.len() <= to
                    });
                    assert_eq!(
                        n.find_within(word, from, to),
                        plain,
                        "{word} in {from}..{to}"
                    );
                }
            }
            assert_eq!(indexed, words.len(), "every word is in the index");
        }
    }

    /// The fast path's own decoding gives every character of the block the code `code` gives it.
    #[test]
    fn a_chinese_character_decoded_from_its_bytes_has_its_code() {
        let words = WORDS.as_ref().unwrap();
        let mut coded = 0;
        for c in '\u{4E00}'..='\u{9FFF}' {
            let mut bytes = [0; 4];
            let [b0, b1, b2] = c.encode_utf8(&mut bytes).as_bytes() else {
                panic!("{c} is not three bytes");
            };
            assert!(is_cjk_lead(*b0, *b1), "{c}");
            assert_eq!(words.cjk_code([*b0, *b1, *b2]), words.code(c), "{c}");
            coded += usize::from(words.code(c) != 0);
        }
        assert!(coded > 100, "{coded} characters have a code");
        for outside in ['\u{4DFF}', '\u{A000}', '\u{3000}', 'é'] {
            let mut bytes = [0; 4];
            let encoded = outside.encode_utf8(&mut bytes).as_bytes();
            assert!(!is_cjk_lead(encoded[0], encoded[1]), "{outside}");
        }
    }

    /// The index reads a character to a byte, every character of no word alike: each word is
    /// found wherever a plain search finds it, beside any kind of character (ASCII, the last
    /// character of the block, another block, a folded full-width form, a run of them), and not
    /// where another character cuts it.
    #[test]
    fn the_coded_index_finds_words_beside_any_character_and_never_across_one() {
        let words = crate::template::label_words();
        for word in words {
            let mut cut = word.chars();
            let first = cut.next().unwrap();
            let text = format!(
                "ab12{word}é鿿{word}{word}Ｘ㐀x{first}\u{4E00}{rest}{word}",
                rest = cut.as_str()
            );
            let n = Normalized::new(&text).unwrap();
            let len = n.text.len();
            let mut from = 0;
            let mut found = Vec::new();
            while let Some(at) = n.find(word, from) {
                found.push(at);
                from = at + 1;
            }
            let plain: Vec<usize> = (0..len)
                .filter(|&at| n.text.as_bytes()[at..].starts_with(word.as_bytes()))
                .collect();
            assert_eq!(found, plain, "{word} in {}", n.text);
            assert_eq!(found.len(), 4, "{word} in {}", n.text);
        }
    }

    /// A match starts its word's length before where it ends: a long word (longer than any of
    /// the template's) is found where it starts, after a run of characters of no word, and
    /// among overlapping matches of a shorter one.
    #[test]
    fn a_long_word_is_found_where_it_starts() {
        let long = "公开".repeat(40);
        let text = format!("{}{long}ＡＢ{long}", "x".repeat(200));
        let words = Words::build(&["公开", "AB", long.clone().leak()]).unwrap();
        let mut walk = Walk::new(&words);
        let normalized = normalize_key(&text);
        for (at, c) in normalized.char_indices() {
            walk.push(c, at + c.len_utf8());
        }
        let found = Occurrences::of(walk);
        let of = |word: usize| {
            found.starts[found.first[word] as usize..found.first[word + 1] as usize].to_vec()
        };
        let long_len = u32::try_from(long.len()).unwrap();
        let second = 200 + long_len + 2;
        assert_eq!(of(2), [200, second]);
        assert_eq!(of(0).len(), 80);
        assert_eq!(of(0)[40], second);
        assert_eq!(of(1), [200 + long_len]);
    }

    #[test]
    fn punctuation_answered_without_the_tables_is_never_a_letter_or_digit() {
        let ranges = ['\u{2000}'..='\u{206F}', '\u{3000}'..='\u{303F}'];
        for c in ranges.into_iter().flatten() {
            if is_common_punctuation(c) {
                assert!(!c.is_alphanumeric(), "{c:?} is a letter or digit");
            }
        }
    }

    #[test]
    fn matches_map_back_to_source_bytes() {
        let source = "行政规范性文件\n\t　　0";
        let n = Normalized::new(source).unwrap();
        let at = n.find("规范性文件", 0).unwrap();
        let end = at + "规范性文件".len();
        assert_eq!(
            &source[n.source_start(at, source.len())..n.source_end(end)],
            "规范性文件"
        );
        let zero = n.find("0", 0).unwrap();
        assert_eq!(
            &source[n.source_start(zero, source.len())..n.source_end(zero + 1)],
            "0"
        );
    }
}
