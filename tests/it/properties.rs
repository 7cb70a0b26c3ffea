//! Property tests: the reader never panics, whatever the bytes; and in a clean report with one
//! cell changed, the checks name that cell.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use nianbao::checks::check;
use nianbao::model::Format;
use nianbao::read::{load_bytes, read_bytes};
use nianbao::template::{CellId, TableId};
use proptest::prelude::*;

fn seed_text(prefix: &str) -> String {
    std::fs::read_to_string(common::sample(prefix)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes: a report or an error, never a panic.
    #[test]
    fn any_bytes_read_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(report) = read_bytes("fuzz.txt", &bytes, Format::Txt) {
            let _ = check(&report);
        }
    }

    /// Real reports cut, spliced and salted with digits and label fragments: still no panic,
    /// and every span points inside the text at what the cell says it read.
    #[test]
    fn mangled_reports_read_or_fail_cleanly(
        seed in 0_usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), "[0-9 \t\n（）、.万元-]{0,6}|总计|其他处理|第二十条第（一）项|结果维持"), 1..12),
    ) {
        let mut text = seed_text(&format!("00{seed}"));
        for (at, len, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len.index(64)).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end.max(start), &insert);
        }
        // Spans point into the text the reader read: the file's own, or, where the mangling made
        // it Markdown (a table header word beside a pipe table), the document written out.
        if let Ok(loaded) = load_bytes("mangled.txt", text.as_bytes(), Format::Txt) {
            let (report, read) = (&loaded.report, &loaded.text);
            for (id, cell) in &report.cells {
                if let Some(span) = &cell.span {
                    prop_assert!(span.end <= read.len(), "{} span {:?}", id, span);
                    prop_assert_eq!(&read[span.clone()], cell.raw.as_str(), "{} span", id);
                }
            }
            let _ = check(report);
        }
    }

    /// In the clean all-zero seed 001, writing another number into one cell of 表三 or 表四 makes
    /// the checks name exactly that cell among their failures.
    #[test]
    fn one_changed_cell_is_named(pick in any::<prop::sample::Index>(), new in 1_u64..100_000) {
        let text = seed_text("001");
        let clean = read_bytes("001.txt", text.as_bytes(), Format::Txt).unwrap();
        // Its one finding is on its prose (section 六 says nothing of fees), on no cell.
        let before = check(&clean);
        prop_assert!(before.iter().all(|f| f.cells.is_empty() && f.rule.code() == "SECTION-THIN"));
        let candidates: Vec<CellId> = clean.cells.keys().copied().filter(|id| id.table() != TableId::T2).collect();
        let id = candidates[pick.index(candidates.len())];
        let span = clean.cells[&id].span.clone().unwrap();
        let mut changed = text.clone();
        changed.replace_range(span, &new.to_string());
        let report = read_bytes("changed.txt", changed.as_bytes(), Format::Txt).unwrap();
        prop_assert_eq!(report.value(id).map(|v| v.to_string()), Some(new.to_string()));
        let findings: Vec<_> = check(&report).into_iter().filter(|f| !before.contains(f)).collect();
        prop_assert!(!findings.is_empty(), "changing {} to {} went unnoticed", id, new);
        prop_assert!(findings.iter().all(|f| f.cells.contains(&id)), "{} not named: {:?}", id, findings);
    }
}
