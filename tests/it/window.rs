//! The review window driven as a reviewer drives it, through `egui_kittest`: widgets found by their
//! accessible names, keys pressed, and the application state checked. The harness has the app's
//! own fonts, so a character the bundled font lacks fails the test.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;
use crate::common::id;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use nianbao::app::i18n::Lang;
use nianbao::app::input::Action;
use nianbao::app::{Command, Question, Settings};
use nianbao::model::Value;
use nianbao::record::{CellStatus, Doubt, RecordState, TrailEntry, TrailEvent};
use nianbao::template::CellId;
use nianbao::ui::NianbaoApp;

/// A folder holding copies of some samples, so the test's records do not touch the repository.
fn folder(samples: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for prefix in samples {
        let path = common::sample(prefix);
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn settings() -> Settings {
    Settings {
        lang: Lang::Zh,
        reviewer: "张三".into(),
        ..Settings::default()
    }
}

/// A folder holding only this fixture (a path under the crate root), under its own name.
fn alone(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = common::path(fixture);
    std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    dir
}

fn harness(dir: &std::path::Path) -> Harness<'static, NianbaoApp> {
    harness_with(NianbaoApp::new(settings(), Some(dir)))
}

fn harness_with(mut app: NianbaoApp) -> Harness<'static, NianbaoApp> {
    app.state.queue.wait_loaded();
    app.state.wait_loading();
    app.state.wait_drawing();
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1440.0, 900.0))
        .with_context_setup(nianbao::ui::prepare)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    harness.run();
    harness
}

fn review<'h>(harness: &'h Harness<'_, NianbaoApp>) -> &'h nianbao::app::review::Review {
    harness.state().state.review.as_ref().unwrap()
}

fn has_rule(harness: &Harness<'_, NianbaoApp>, rule: &str) -> bool {
    review(harness)
        .findings
        .iter()
        .any(|f| f.rule.code() == rule)
}

/// 003's doubled `11` in 表四: click the cell, type 1, Enter; the finding is gone.
#[test]
fn select_a_cell_type_a_value_and_the_finding_disappears() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    assert!(has_rule(&harness, "T4-TOTAL"));
    assert!(
        harness.query_by_label_contains("T4-TOTAL").is_some(),
        "the finding is shown"
    );

    let cell = harness.get_by_label("表四 行政诉讼（未经复议直接起诉） 总计 11");
    cell.scroll_to_me();
    harness.run();
    harness
        .get_by_label("表四 行政诉讼（未经复议直接起诉） 总计 11")
        .click();
    harness.run();
    assert_eq!(
        harness.state().state.selected,
        Some(id("t4.suit_direct.total"))
    );

    harness.key_press(Key::Num1);
    harness.event(egui::Event::Text("1".into()));
    harness.run();
    let edit = harness.state().state.edit.clone().unwrap();
    assert_eq!(edit.text, "1");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();

    assert!(harness.state().state.edit.is_none());
    assert_eq!(
        review(&harness).value(id("t4.suit_direct.total")),
        Some(Value::Count(1))
    );
    assert_eq!(
        review(&harness).record.cells[&id("t4.suit_direct.total")].status,
        CellStatus::Corrected
    );
    assert!(
        !has_rule(&harness, "T4-TOTAL"),
        "{:?}",
        review(&harness).findings
    );
    assert!(
        harness.query_by_label_contains("T4-TOTAL").is_none(),
        "the panel is true after the edit"
    );
}

#[test]
fn a_value_that_does_not_fit_the_cell_is_refused_with_a_message() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t3.new.natural")));
    harness
        .state_mut()
        .state
        .apply(Command::StartEdit("-3".into()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let edit = harness.state().state.edit.clone().expect("still editing");
    assert!(
        edit.error.as_deref().unwrap().contains("不小于0"),
        "{edit:?}"
    );
    assert!(
        harness.query_by_label_contains("不小于0").is_some(),
        "the reason is on screen"
    );
    assert_eq!(
        review(&harness).value(id("t3.new.natural")),
        None,
        "nothing silently dropped or kept"
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().state.edit.is_none());
}

#[test]
fn approval_is_refused_while_an_error_has_no_note() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    // Resolve every doubt as read, leaving the T4 error as printed.
    let cells: Vec<CellId> = review(&harness)
        .report
        .cells
        .keys()
        .copied()
        .filter(|&c| review(&harness).needs_look(c))
        .collect();
    for cell in cells {
        harness.state_mut().state.apply(Command::SelectCell(cell));
        harness.state_mut().state.run(Action::Confirm);
    }
    harness.run();
    harness.get_by_label("通过审核 (Ctrl+Enter)").click();
    harness.run();
    assert_ne!(review(&harness).record.state, RecordState::Approved);
    let message = harness.state().state.message.clone().unwrap();
    assert!(
        message.is_error && message.text.contains("尚无审核说明"),
        "{message:?}"
    );

    // Write the note in the findings panel and approve from the keyboard.
    harness.get_by_label("审核说明").click();
    harness.run();
    harness
        .get_by_label("审核说明")
        .type_text("原表总计如此，已告知发布单位");
    harness.run();
    harness.get_by_label("保存说明").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    // Most of 表三 was printed blank: approving asks once, and says why.
    assert!(matches!(
        harness.state().state.question,
        Some(Question::ApproveDespite(ref doubts))
            if matches!(doubts[..], [Doubt::MostlyBlank { .. }, ..])
    ));
    assert!(harness.query_by_label_contains("原文为空白").is_some());
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        review(&harness).record.state,
        RecordState::Approved,
        "{:?}",
        harness.state().state.message
    );
    assert_eq!(
        review(&harness)
            .note(&review(&harness).record.findings[0])
            .map(String::as_str),
        Some("原表总计如此，已告知发布单位")
    );
}

#[test]
fn undo_restores_the_value_and_redo_brings_it_back() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t4.suit_direct.total")));
    harness
        .state_mut()
        .state
        .apply(Command::StartEdit("1".into()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        review(&harness).value(id("t4.suit_direct.total")),
        Some(Value::Count(1))
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        review(&harness).value(id("t4.suit_direct.total")),
        Some(Value::Count(11))
    );
    assert!(has_rule(&harness, "T4-TOTAL"));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(
        review(&harness).value(id("t4.suit_direct.total")),
        Some(Value::Count(1))
    );
    // The trail keeps the whole story: the change, its withdrawal, and its return.
    assert_eq!(review(&harness).record.trail.len(), 3);
}

#[test]
fn reopening_restores_the_draft_even_after_the_window_was_killed() {
    let dir = folder(&["003"]);
    {
        let mut harness = harness(dir.path());
        harness
            .state_mut()
            .state
            .apply(Command::FillBlanks(nianbao::template::TableId::T3));
        harness
            .state_mut()
            .state
            .apply(Command::SelectCell(id("t4.suit_direct.total")));
        harness.state_mut().state.run(Action::AcceptSuggestion);
        harness.run();
        // Dropped without any orderly shutdown, as if killed: only what was saved survives.
        std::mem::forget(harness);
    }
    let harness = harness(dir.path());
    let review = review(&harness);
    assert_eq!(
        review.value(id("t4.suit_direct.total")),
        Some(Value::Count(1))
    );
    assert_eq!(review.value(id("t3.new.natural")), Some(Value::Count(0)));
    assert_eq!(
        review.record.cells[&id("t3.new.natural")].status,
        CellStatus::Corrected
    );
    assert!(review.findings.is_empty());
}

#[test]
fn a_report_can_be_reviewed_from_the_keyboard() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    // The window opens on the first thing to look at.
    assert_eq!(harness.state().state.selected, Some(id("t3.new.natural")));
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().state.selected, Some(id("t3.new.business")));
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(
        harness.state().state.selected,
        Some(id("t3.carried_in.business"))
    );
    harness.key_press(Key::C);
    harness.run();
    assert_eq!(
        review(&harness).record.cells[&id("t3.carried_in.business")].status,
        CellStatus::Confirmed
    );
    // Confirming moved on to the next cell that needs a look.
    assert_eq!(
        harness.state().state.selected,
        Some(id("t3.carried_in.research"))
    );
    harness.get_by_label_contains("空白填0").click();
    harness.run();
    // The jump key skips the filled blanks and lands in 表四's doubled cells.
    harness.key_press(Key::N);
    harness.run();
    assert_eq!(harness.state().state.selected, Some(id("t4.review.upheld")));
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t4.suit_direct.total")));
    harness.key_press(Key::A);
    harness.run();
    assert_eq!(
        review(&harness).value(id("t4.suit_direct.total")),
        Some(Value::Count(1))
    );
}

#[test]
fn the_queue_shows_states_and_moves_between_reports() {
    let dir = folder(&["001", "003"]);
    let mut harness = harness(dir.path());
    assert!(
        harness
            .query_by_label_contains("尉氏县洧川镇人民政府 2021")
            .is_some()
    );
    assert!(harness.query_by_label_contains("咸祥镇 2020").is_some());
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().state.current, Some(1));
    assert_eq!(
        review(&harness).report.meta.organization.as_deref(),
        Some("咸祥镇")
    );
    harness
        .get_by_label_contains("尉氏县洧川镇人民政府 2021")
        .click();
    harness.run();
    assert_eq!(harness.state().state.current, Some(0));
}

#[test]
fn the_interface_speaks_english_on_request() {
    let dir = folder(&["004"]);
    let mut harness = harness(dir.path());
    harness.get_by_label("English").click();
    harness.run();
    assert_eq!(harness.state().state.settings.lang, Lang::En);
    assert!(harness.query_by_label("Approve (Ctrl+Enter)").is_some());
    assert!(
        harness
            .query_by_label_contains("the title says 2020")
            .is_some()
    );
    harness.get_by_label("中文").click();
    harness.run();
    assert!(harness.query_by_label("通过审核 (Ctrl+Enter)").is_some());
}

#[test]
fn the_garbled_scan_renders_and_every_table_cell_asks_for_a_look() {
    let dir = folder(&["000"]);
    let harness = harness(dir.path());
    let review = review(&harness);
    assert!(
        review
            .report
            .cells
            .keys()
            .filter(|c| c.table() != nianbao::template::TableId::T2)
            .all(|&c| review.needs_look(c))
    );
    assert!(
        harness
            .query_by_label_contains("项勾稽关系因单元格无值尚无法检查")
            .is_some(),
        "no false 'all checks hold'"
    );
}

#[test]
fn clicking_a_number_in_the_source_selects_its_cell() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    let span = review(&harness).report.cells[&id("t2.punishment.change")]
        .span
        .clone()
        .unwrap();
    harness
        .state_mut()
        .state
        .apply(Command::SelectAtSource(span.start));
    harness.run();
    assert_eq!(
        harness.state().state.selected,
        Some(id("t2.punishment.change"))
    );
}

#[test]
fn a_damaged_record_is_shown_and_never_overwritten() {
    let dir = folder(&["003"]);
    let records = dir.path().join("nianbao-records");
    std::fs::create_dir_all(&records).unwrap();
    let record = records.join("003_9befa24b251bf041.txt.ron");
    std::fs::write(&record, "(version: 1, state: Draf").unwrap();
    let mut harness = harness(dir.path());
    assert_eq!(
        harness.query_all_by_label_contains("审核记录损坏").count(),
        2,
        "in the queue and in a banner"
    );
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t4.suit_direct.total")));
    harness.state_mut().state.run(Action::Confirm);
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&record).unwrap(),
        "(version: 1, state: Draf"
    );
}

#[test]
fn a_scan_shows_its_page_or_names_the_missing_engine() {
    let dir = alone("tests/fixtures/scans/r17_page.png");
    let installed = common::tesseract_installed();
    let app = NianbaoApp::new(settings(), Some(dir.path()));
    if installed {
        // OCR takes seconds: the scan is read on a thread while the window keeps drawing.
        assert!(app.state.loading.is_some());
    }
    let harness = harness_with(app);
    if installed {
        assert!(
            harness.query_by_label("页面 page").is_some(),
            "the page image is shown"
        );
        assert!(
            review(&harness)
                .report
                .cells
                .values()
                .any(|c| c.image_box.is_some())
        );
    } else {
        refused_naming(&harness, "tesseract-ocr-chi-sim");
    }
}

/// The window shows that the report cannot be read, and why, naming `missing` (the package to
/// install).
fn refused_naming(harness: &Harness<'_, NianbaoApp>, missing: &str) {
    let refused = harness.state().state.refused.as_ref().unwrap();
    assert!(refused.to_string().contains(missing), "{refused}");
    assert!(harness.query_by_label("无法读取此报告").is_some());
    assert!(harness.query_by_label_contains(missing).is_some());
}

#[test]
fn a_scanned_pdf_shows_its_pages_with_the_cell_boxes() {
    let tools = common::tesseract_installed() && common::pdftoppm_installed();
    let dir = alone("tests/fixtures/scans/r17_scan.pdf");
    let harness = harness(dir.path());
    if tools {
        assert!(
            harness.query_by_label("页面 page").is_some(),
            "the page is shown, not only its text"
        );
        let cell = &review(&harness).report.cells[&id("t3.new.total")];
        assert!(cell.image_box.is_some_and(|b| b.page == 1), "{cell:?}");
    } else {
        let missing = if common::pdftoppm_installed() {
            "tesseract-ocr-chi-sim"
        } else {
            "poppler-utils"
        };
        refused_naming(&harness, missing);
    }
}

/// The events a fast typist produces for `keys` (digits, `\n` for Enter), all in one frame.
fn type_in_one_frame(harness: &mut Harness<'_, NianbaoApp>, keys: &str) {
    for c in keys.chars() {
        if c == '\n' {
            harness.event(egui::Event::Key {
                key: Key::Enter,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
            harness.event(egui::Event::Key {
                key: Key::Enter,
                physical_key: None,
                pressed: false,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
        } else {
            let key = Key::from_name(&c.to_string()).unwrap();
            for pressed in [true, false] {
                harness.event(egui::Event::Key {
                    key,
                    physical_key: None,
                    pressed,
                    repeat: false,
                    modifiers: Modifiers::NONE,
                });
                if pressed {
                    harness.event(egui::Event::Text(c.to_string()));
                }
            }
        }
    }
    // One frame takes every event above; the next shows the result.
    harness.step();
    harness.run();
}

/// Keys typed faster than the window draws all land, in order, each in its own cell.
#[test]
fn every_key_typed_in_one_frame_lands_in_order() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t3.new.natural")));
    harness.run();
    type_in_one_frame(&mut harness, "11\n22\n33\n5\n1\n");
    let review = review(&harness);
    let got: Vec<Option<Value>> = [
        "t3.new.natural",
        "t3.new.business",
        "t3.new.research",
        "t3.new.social",
        "t3.new.legal",
    ]
    .iter()
    .map(|c| review.value(id(c)))
    .collect();
    assert_eq!(
        got,
        [11, 22, 33, 5, 1].map(|n| Some(Value::Count(n))),
        "{:?}",
        review.record.trail
    );
    assert_eq!(harness.state().state.selected, Some(id("t3.new.other_org")));
    assert!(harness.state().state.edit.is_none());
    // Each was saved as it was committed.
    let saved = nianbao::store::load_for(&review.path).unwrap().unwrap();
    assert_eq!(
        saved.cells[&id("t3.new.research")].value,
        Some(Value::Count(33))
    );
}

/// F1 shows every key with what it does; Esc puts the sheet away without touching the report.
#[test]
fn f1_lists_the_keys_and_esc_closes_the_list() {
    let dir = folder(&["001"]);
    let mut harness = harness(dir.path());
    harness.key_press(Key::F1);
    harness.run();
    assert!(harness.state().state.show_help);
    harness.get_by_label("确认原值");
    harness.get_by_label("Ctrl+Shift+Z / Ctrl+Y");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().state.show_help);
    assert!(harness.query_by_label("Ctrl+Shift+Z / Ctrl+Y").is_none());
}

/// Ctrl+D puts the reviewer's changes where the source was, one row per change;
/// Ctrl+D again (or 返回原文) brings the source back.
#[test]
fn the_changes_view_lists_each_change_and_gives_the_source_back() {
    let dir = folder(&["003"]);
    let mut harness = harness(dir.path());
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t3.new.natural")));
    harness.run();
    type_in_one_frame(&mut harness, "11\n");
    assert!(harness.query_by_label("返回原文").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run();
    assert!(harness.state().state.show_changes);
    harness.get_by_label("返回原文");
    harness.get_by_label("表三 一、本年新收政府信息公开申请数量 自然人");
    harness.get_by_label("返回原文").click();
    harness.run();
    assert!(!harness.state().state.show_changes);
    assert!(harness.query_by_label("返回原文").is_none());
}

/// A digit typed on an approved report edits nothing; undo cannot take the approval away; only
/// 重新审核, asked once, reopens it, and the trail says who.
#[test]
fn an_approved_report_is_read_only_until_reopened() {
    let dir = folder(&["001"]);
    let mut harness = harness(dir.path());
    harness.state_mut().state.run(Action::Confirm);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    assert_eq!(review(&harness).record.state, RecordState::Approved);
    let path = review(&harness).path.clone();
    let saved = std::fs::read_to_string(nianbao::store::record_path(&path)).unwrap();
    let cell = review(&harness)
        .report
        .cells
        .keys()
        .next()
        .copied()
        .unwrap();
    harness.state_mut().state.apply(Command::SelectCell(cell));
    type_in_one_frame(&mut harness, "5\n");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(review(&harness).record.state, RecordState::Approved);
    assert!(harness.state().state.edit.is_none());
    assert_eq!(
        std::fs::read_to_string(nianbao::store::record_path(&path)).unwrap(),
        saved,
        "nothing was saved"
    );
    let message = harness.state().state.message.clone().unwrap();
    assert!(message.text.contains("只读"), "{message:?}");

    // 重新审核 asks first; Esc keeps the approval.
    // The toolbar's button (the cell panel has one too).
    harness.get_all_by_label("重新审核").next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().state.question, Some(Question::Reopen));
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(review(&harness).record.state, RecordState::Approved);
    harness.get_all_by_label("重新审核").next().unwrap().click();
    harness.run();
    harness.get_by_label("确定 (Enter)").click();
    harness.run();
    let record = &review(&harness).record;
    assert_eq!(record.state, RecordState::Draft);
    assert!(matches!(
        record.trail.last(),
        Some(TrailEntry { reviewer, event: TrailEvent::Reopened, .. }) if reviewer == "张三"
    ));
}

/// 003 with four applications received, one carried out, and a （七）总计 row printed with a
/// number too many (its total `9` is then only inferred): the balance and the results sum
/// suggest different values for the same cell.
fn two_suggestions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::sample("003")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let total_of =
        |lines: &[String], label: &str| lines.iter().position(|l| l.trim() == label).unwrap() + 7;
    for (label, total) in [
        ("一、本年新收政府信息公开申请数量", "4"),
        ("（七）总计", "9\n\t5"),
        ("四、结转下年度继续办理", "1"),
    ] {
        let at = total_of(&lines, label);
        lines[at] = format!("\t{total}");
    }
    std::fs::write(dir.path().join("003.txt"), lines.join("\n")).unwrap();
    dir
}

#[test]
fn the_suggestion_taken_is_the_one_whose_button_was_pressed() {
    let dir = two_suggestions();
    let mut harness = harness(dir.path());
    let cell = id("t3.results_total.total");
    let values: Vec<Value> = review(&harness)
        .suggestions_for(cell)
        .iter()
        .map(|s| s.value)
        .collect();
    assert_eq!(values, [Value::Count(3), Value::Count(0)], "the fixture");
    harness.state_mut().state.apply(Command::SelectCell(cell));
    harness.run();
    // The key cannot know which one is meant: it says so and changes nothing.
    harness.key_press(Key::A);
    harness.run();
    assert_eq!(review(&harness).value(cell), Some(Value::Count(9)));
    assert!(
        harness
            .state()
            .state
            .message
            .clone()
            .unwrap()
            .text
            .contains("多个建议值")
    );
    // The second value's button (in the cell panel; the findings panel has one too) takes it.
    harness
        .get_all_by_label("采纳建议值 0")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(review(&harness).value(cell), Some(Value::Count(0)));
    let note = match &review(&harness).record.decisions[&cell].action {
        nianbao::record::DecisionAction::Set { note, .. } => note.clone(),
        other @ nianbao::record::DecisionAction::Confirm => panic!("{other:?}"),
    };
    assert!(note.contains("改为0"), "{note}");
}

/// Without a name nothing is recorded: the window asks for it, remembers it, and writes it into
/// the trail and the approval. Times show in China Standard Time.
#[test]
fn a_reviewer_must_be_named_before_anything_is_recorded() {
    let dir = folder(&["001"]);
    let app = NianbaoApp::new(
        Settings {
            reviewer: String::new(),
            ..Settings::default()
        },
        Some(dir.path()),
    );
    let mut harness = harness_with(app);
    assert_eq!(harness.state().state.question, Some(Question::Reviewer));
    harness.get_by_label("审核人姓名").click();
    harness.run();
    // Closed without a name: the first change asks again and records nothing.
    harness.state_mut().state.question = None;
    harness.state_mut().state.run(Action::Confirm);
    harness.run();
    assert_eq!(harness.state().state.question, Some(Question::Reviewer));
    assert!(review(&harness).record.trail.is_empty());
    harness.get_by_label("审核人姓名").type_text("李四");
    harness.run();
    harness.get_by_label("确定 (Enter)").click();
    harness.run();
    assert_eq!(harness.state().state.question, None);
    assert_eq!(harness.state().state.settings.reviewer, "李四");
    harness.state_mut().state.run(Action::Confirm);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let record = &review(&harness).record;
    assert_eq!(record.approval.as_ref().unwrap().reviewer, "李四");
    assert!(record.trail.iter().all(|e| e.reviewer == "李四"));
    assert!(harness.query_by_label_contains("(UTC+8)").is_some());
}

/// The open dialog is the window's own: it lists the folder's reports, PDFs and scans among
/// them, and opens the one chosen, with no desktop portal.
#[test]
fn a_report_is_opened_from_the_window_s_own_dialog() {
    let dir = folder(&["001", "003"]);
    std::fs::create_dir(dir.path().join("2024")).unwrap();
    std::fs::copy(
        common::path("tests/fixtures/scans/r17_text_layer.pdf"),
        dir.path().join("2024/r17.pdf"),
    )
    .unwrap();
    let mut harness = harness_with(NianbaoApp::new(settings(), None));
    harness.get_by_label("打开文件…").click();
    harness.run();
    assert!(harness.state().browsing());
    harness.get_by_label("位置").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("位置")
        .type_text(&dir.path().display().to_string());
    harness.get_by_label("转到").click();
    harness.run();
    assert!(
        harness.query_by_label_contains("2024/").is_some(),
        "folders are listed"
    );
    assert!(
        harness.query_by_label_contains(".pdf").is_some(),
        "the formats shown include PDF"
    );
    // 打开 needs a report; a click on a folder goes into it.
    assert!(harness.get_by_label("打开").accesskit_node().is_disabled());
    harness.get_by_label_contains("2024/").click();
    harness.run();
    assert!(harness.query_by_label("r17.pdf").is_some(), "inside 2024");
    harness.get_by_label("上一级").click();
    harness.run();
    harness.get_by_label_contains("003_").click();
    harness.run();
    harness.get_by_label("打开").click();
    harness.run();
    assert!(!harness.state().browsing());
    harness.state_mut().state.queue.wait_loaded();
    harness.run();
    assert_eq!(
        review(&harness).report.meta.organization.as_deref(),
        Some("咸祥镇")
    );
}

/// A record edited by hand after approval is shown as doubtful in the queue; opened, its
/// approval is withdrawn with a trail entry and a banner saying why.
#[test]
fn a_hand_edited_approval_is_shown_as_doubtful() {
    let dir = folder(&["001"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["approve", "--auto"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let record = dir
        .path()
        .join("nianbao-records/001_3bceb6a2129e3845.txt.ron");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replacen("value: Count(0)", "value: Count(777)", 1),
    )
    .unwrap();
    let mut queue = nianbao::app::queue::Queue::open(dir.path()).unwrap();
    queue.wait_loaded();
    assert_eq!(
        queue.entries[0].status,
        nianbao::app::queue::Status::ApprovalDoubtful
    );
    let harness = harness(dir.path());
    assert!(harness.query_by_label_contains("封印不符").is_some());
    let record = &review(&harness).record;
    assert_eq!(record.state, RecordState::Draft);
    assert!(
        record
            .trail
            .iter()
            .any(|e| e.event == TrailEvent::SealBroken)
    );
}

/// A scan is the reviewer's evidence: the page can be zoomed from the keyboard and the buttons,
/// and selecting a cell magnifies the page until the cell can be read and brings it into view,
/// with the cell as scanned shown above the tables too.
#[test]
fn a_scan_zooms_and_follows_the_selected_cell() {
    let installed = common::tesseract_installed();
    if !installed {
        return;
    }
    let dir = alone("tests/fixtures/scans/r17_page.png");
    let mut harness = harness(dir.path());
    harness.get_by_label("适合宽度").click();
    harness.run();
    assert_eq!(
        harness.state().source_view().zoom(),
        nianbao::ui::source::Zoom::FitWidth
    );
    // Ctrl+plus zooms the page, not the window.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    assert!(
        matches!(
            harness.state().source_view().zoom(),
            nianbao::ui::source::Zoom::Scale(_)
        ),
        "Ctrl+plus zooms the page"
    );
    assert!((harness.ctx.zoom_factor() - 1.0).abs() < f32::EPSILON);
    harness.get_by_label("整页").click();
    harness.run();
    assert_eq!(
        harness.state().source_view().zoom(),
        nianbao::ui::source::Zoom::FitPage
    );

    // A cell near the bottom of the page: the view is magnified and moves to it.
    for cell in ["t4.suit_after_review.total", "t2.regulations.issued"] {
        assert_page_follows(&mut harness, cell);
        assert!(
            matches!(
                harness.state().source_view().zoom(),
                nianbao::ui::source::Zoom::Scale(_)
            ),
            "selecting a cell sets the scale that makes it readable"
        );
    }
}

/// Selects `cell`: its box on the page is brought into view, large enough to read, and the
/// cell on its page is shown above the tables.
fn assert_page_follows(harness: &mut Harness<'_, NianbaoApp>, cell: &str) {
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id(cell)));
    harness.run();
    let (pane, selected) = harness.state().source_view().shown().unwrap();
    let selected = selected.unwrap();
    assert!(
        selected.height() >= 30.0,
        "{cell}: readable on screen: {selected:?}"
    );
    assert!(
        pane.contains(selected.center()),
        "{cell}: the view moved to the cell: {selected:?} in {pane:?}"
    );
    assert!(
        harness
            .query_by_label("页面上的单元格 the cell on its page")
            .is_some(),
        "{cell}: the cell on its page is shown above the tables"
    );
}

/// A PDF with a text layer shows its pages as printed beside the tables, the reviewer's evidence
/// as for a scan: selecting a cell brings its box on the page into view, and the text read
/// from it is one click away. Without pdftoppm, the text is shown and the reason is named.
#[test]
fn a_text_pdf_shows_its_pages_and_follows_the_selected_cell() {
    let dir = alone("tests/fixtures/corpus/r03_huaian_2024.pdf");
    let mut harness = harness(dir.path());
    if !common::pdftoppm_installed() {
        assert!(harness.query_by_label("原文 source text").is_some());
        assert!(matches!(
            harness.state().state.pages_refused,
            Some(nianbao::read::ocr::OcrError::MissingRasterizer)
        ));
        return;
    }
    assert_eq!(review(&harness).pages.len(), 6, "r03 has six pages");
    assert!(harness.query_by_label("页面 page").is_some());
    for cell in [
        "t3.new.total",
        "t4.suit_direct.corrected",
        "t2.regulations.issued",
    ] {
        assert_page_follows(&mut harness, cell);
    }
    // The text read from the pages, with the selected cell's text in it, and back.
    harness.get_by_label("文字").click();
    harness.run();
    assert!(harness.query_by_label("原文 source text").is_some());
    assert!(harness.query_by_label("页面 page").is_none());
    harness.get_by_label("页面").click();
    harness.run();
    assert!(harness.query_by_label("页面 page").is_some());
}

/// The indicators of the report under review show above its findings, from the values that
/// count; a click outlines the cells an indicator is computed from.
#[test]
fn the_indicators_show_and_outline_their_cells() {
    let dir = alone("tests/fixtures/corpus/r12_pingtan_2021.txt");
    let mut harness = harness(dir.path());
    // 35 of 69 applications disclosed in substance: 50.7 %, no mark.
    harness.get_by_label("实质公开率 50.7%").click();
    harness.run();
    let outlined = &harness.state().state.focused_finding;
    assert!(outlined.contains(&id("t3.granted.total")), "{outlined:?}");
    assert!(outlined.contains(&id("t3.results_total.total")));
    // 0 of 3 reviews corrected: a value of 0 %, since a count of 0 is not a blank.
    assert!(
        harness.query_by_label("复议纠错率 0.0%").is_some(),
        "0 of 3 reviews corrected"
    );
}

/// A converter's Markdown opens like any report: its tables read, its text beside them, a number
/// clicked in the text selects its cell.
#[test]
fn a_markdown_report_is_reviewed_like_any_other() {
    let dir = alone("tests/fixtures/corpus/r03_huaian_2024_md.md");
    let mut harness = harness(dir.path());
    let report = &review(&harness).report;
    assert_eq!(report.low_confidence_count(), 0);
    let span = report.cells[&id("t3.new.total")].span.clone().unwrap();
    harness
        .state_mut()
        .state
        .apply(Command::SelectAtSource(span.start));
    harness.run();
    assert_eq!(harness.state().state.selected, Some(id("t3.new.total")));
}

/// The overview counts the folder's reports by state and rule; a click on a count filters the
/// queue, the search field narrows it by body, and the next report to review follows the order
/// shown.
#[test]
fn the_overview_counts_and_a_click_filters_the_queue() {
    let dir = folder(&["001", "002", "003", "004"]);
    let mut harness = harness(dir.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    assert_eq!(harness.state().state.page, nianbao::app::Page::Overview);
    let overview = harness.state().state.queue.overview().clone();
    assert_eq!(overview.reports, 4);
    let failing = overview
        .by_state
        .iter()
        .find(|(s, _)| *s == nianbao::app::queue::State::Failing)
        .unwrap()
        .1;
    assert_eq!(failing, 1, "003's 表四 total fails");
    harness.get_by_label("未通过 1").click();
    harness.run();
    harness.run();
    let queue = &harness.state().state.queue;
    let shown: Vec<String> = queue
        .shown()
        .iter()
        .map(|&i| queue.entries[i].file_name())
        .collect();
    assert_eq!(
        shown,
        [common::sample("003").file_name().unwrap().to_string_lossy()]
    );
    harness.get_by_label("清除筛选").click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().state.queue.shown().len(), 4);
    // The rule's count filters by rule; the search field by body.
    harness.get_by_label("SECTION-THIN 2").click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().state.queue.shown().len(), 2);
    harness.get_by_label("清除筛选").click();
    harness.run();
    harness.get_by_label("搜索").click();
    harness.run();
    harness.event(egui::Event::Text("官庄".into()));
    harness.run();
    harness.run();
    let queue = &harness.state().state.queue;
    assert_eq!(queue.shown().len(), 1);
    assert_eq!(
        queue.entries[queue.shown()[0]].organization.as_deref(),
        Some("官庄镇人民政府")
    );
}

/// Reopening a folder returns to the report and the cell where the reviewer stopped.
#[test]
fn reopening_a_folder_returns_to_where_the_reviewer_stopped() {
    let dir = folder(&["001", "002", "003"]);
    let mut harness = harness(dir.path());
    let at = harness
        .state()
        .state
        .queue
        .entries
        .iter()
        .position(|e| e.file_name().starts_with("003"))
        .unwrap();
    harness.state_mut().state.apply(Command::SelectReport(at));
    harness
        .state_mut()
        .state
        .apply(Command::SelectCell(id("t4.suit_direct.total")));
    harness.run();
    let settings = harness.state().state.settings.clone();
    drop(harness);
    let again = harness_with(NianbaoApp::new(settings, Some(dir.path())));
    assert_eq!(again.state().state.current, Some(at));
    assert_eq!(
        again.state().state.selected,
        Some(id("t4.suit_direct.total"))
    );
}

/// Two years of one body in the folder: the later report shows, in the window, what the rules
/// across years find against the earlier one, naming it.
#[test]
fn a_body_s_two_years_are_checked_against_each_other_in_the_window() {
    let dir = folder(&["001"]);
    let text = std::fs::read_to_string(common::sample("001")).unwrap();
    let next = text.replacen(
        "2021年度信息公开工作年度报告",
        "2022年度信息公开工作年度报告",
        1,
    );
    // 2022's 上年结转 from natural persons: 1, though 2021 carried none forward.
    let at = next.find("二、上年结转政府信息公开申请数量").unwrap();
    let zero = at + next[at..].find('0').unwrap();
    let next = format!("{}1{}", &next[..zero], &next[zero + 1..]);
    std::fs::write(dir.path().join("001_2022.txt"), next).unwrap();
    let mut harness = harness(dir.path());
    let later = harness
        .state()
        .state
        .queue
        .entries
        .iter()
        .position(|e| e.year == Some(2022))
        .unwrap();
    harness
        .state_mut()
        .state
        .apply(Command::SelectReport(later));
    harness.run();
    harness.run();
    let across: Vec<(String, String)> = review(&harness)
        .across_years
        .iter()
        .map(|f| (f.rule.code().to_owned(), f.message_zh.clone()))
        .collect();
    assert!(
        across.contains(&(
            "CARRY-FORWARD".to_owned(),
            "表三 自然人列：2022年度第二项上年结转(1)，与2021年度第四项结转下年度(0)不一致"
                .to_owned()
        )),
        "{across:#?}"
    );
    assert!(across.iter().any(|(r, _)| r == "COPIED-PROSE"));
    assert_eq!(
        review(&harness)
            .compared_with()
            .unwrap()
            .file_name()
            .unwrap(),
        common::sample("001").file_name().unwrap()
    );
    assert!(
        harness
            .query_by_label_contains("跨年度核对（与 001_3bceb6a2129e3845.txt 比较）")
            .is_some()
    );
    // The queue knows it too: filtering by the rule finds the later report.
    let entry = &harness.state().state.queue.entries[later];
    assert!(entry.rules.iter().any(|r| r.code() == "CARRY-FORWARD"));
}

/// From the window: approve the clean reports under the reviewer's name (counted first), then
/// export the records, the totals through the save dialog, and the letters; each says what it
/// wrote.
#[test]
fn exports_and_straight_through_approval_from_the_window() {
    let dir = folder(&["001", "002", "003", "004"]);
    let mut harness = harness(dir.path());
    harness.state_mut().state.apply(Command::AskApproveClean);
    harness.run();
    assert_eq!(
        harness.state().state.question,
        Some(Question::ApproveClean(2)),
        "001 and 002: nothing to look at"
    );
    assert!(
        harness
            .query_by_label_contains("以“张三”的名义通过2份无问题报告")
            .is_some()
    );
    harness.get_by_label("确定 (Enter)").click();
    harness.run();
    harness.state_mut().state.wait_work();
    harness.state_mut().state.queue.wait_loaded();
    harness.run();
    let message = harness.state().state.message.clone().unwrap();
    assert!(
        message
            .text
            .starts_with("以“张三”的名义通过了2份无问题报告"),
        "{}",
        message.text
    );
    let approved: Vec<String> = nianbao::store::find_records(dir.path())
        .unwrap()
        .iter()
        .filter_map(|p| nianbao::store::load(p).ok()?.approval.map(|a| a.reviewer))
        .collect();
    assert_eq!(approved, ["张三", "张三"]);

    let out = dir.path().join("out.xlsx");
    harness.state_mut().state.apply(Command::ExportTo(
        nianbao::app::exports::Export::Records,
        out.clone(),
    ));
    harness.state_mut().state.wait_work();
    assert!(out.is_file());
    let message = harness.state().state.message.clone().unwrap();
    assert!(message.text.contains("2份已通过的报告"), "{}", message.text);

    // The totals through the window's own save dialog, its file name offered.
    harness
        .state_mut()
        .state
        .apply(Command::SaveAs(nianbao::app::exports::Export::Totals(None)));
    harness.run();
    assert!(harness.state().browsing());
    harness.get_by_label("保存").click();
    harness.run();
    harness.state_mut().state.wait_work();
    assert!(dir.path().join("汇总.xlsx").is_file());

    let outside = tempfile::tempdir().unwrap();
    let letters = outside.path().join("letters");
    harness.state_mut().state.apply(Command::ExportTo(
        nianbao::app::exports::Export::Letters,
        letters.clone(),
    ));
    harness.state_mut().state.wait_work();
    assert_eq!(std::fs::read_dir(&letters).unwrap().count(), 2);

    // The totals page shows the same totals.
    harness
        .state_mut()
        .state
        .apply(Command::ShowPage(nianbao::app::Page::Totals));
    harness.state_mut().state.wait_work();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("合计的勾稽关系成立")
            .is_some()
    );
}

/// Two files of one body and year (a copy, or the report in another format) are told apart in
/// the queue by their file names; other reports show their body and year alone.
#[test]
fn reports_of_one_body_and_year_show_their_file_names() {
    let dir = folder(&["001", "002"]);
    std::fs::copy(common::sample("001"), dir.path().join("001_copy.txt")).unwrap();
    let harness = harness(dir.path());
    let queue = &harness.state().state.queue;
    let told: Vec<(String, bool)> = (0..queue.entries.len())
        .map(|i| (queue.entries[i].file_name(), queue.collides(i)))
        .collect();
    assert_eq!(
        told,
        [
            ("001_3bceb6a2129e3845.txt".to_owned(), true),
            ("001_copy.txt".to_owned(), true),
            ("002_9042ac2a28d37d4e.txt".to_owned(), false),
        ]
    );
    assert!(
        harness
            .query_by_label_contains("尉氏县洧川镇人民政府 2021 · 001_copy.txt")
            .is_some()
    );
}

/// The status line counts the pages of a scan of the queue being read, and says nothing of a
/// reading the window did not ask for (the table of readings is the process's: a test beside
/// this one reading the six-page scan showed in another window's status line).
#[test]
fn the_status_line_counts_the_pages_of_a_scan_in_the_queue_only() {
    use nianbao::read::progress::{Pages, finish, report};
    let dir = folder(&["001", "003"]);
    let mut harness = harness(dir.path());
    let ours = harness.state().state.queue.entries[1]
        .path
        .to_string_lossy()
        .into_owned();
    let elsewhere = dir.path().join("elsewhere/scan.pdf");
    let elsewhere = elsewhere.to_string_lossy();
    report(&elsewhere, Pages { done: 1, of: 9 });
    harness.run();
    assert!(harness.query_by_label_contains("第1/9页").is_none());
    report(&ours, Pages { done: 2, of: 6 });
    harness.run();
    assert!(harness.query_by_label_contains("第2/6页").is_some());
    finish(&ours);
    finish(&elsewhere);
    harness.run();
    assert!(harness.query_by_label_contains("第2/6页").is_none());
}
