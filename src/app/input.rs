//! The reviewer's keyboard as data: every action that has a key, when the key applies, and the
//! words for it. Key handling, buttons, tooltips and the F1 help sheet all read [`BINDINGS`], so
//! a shortcut is written once. Keys are this module's own type: the window turns its toolkit's
//! events into [`Input`]s, and [`super::AppState::input`] takes them one at a time, in order.

use std::fmt;

use super::i18n::Lang;

/// A key the bindings know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Enter (Return).
    Enter,
    /// Escape.
    Escape,
    /// Tab.
    Tab,
    /// Backspace.
    Backspace,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// F1.
    F1,
    /// F2.
    F2,
    /// A letter key, upper case (`'C'`).
    Letter(char),
}

/// A key with the modifiers held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    /// The key.
    pub key: Key,
    /// Ctrl (Cmd on a Mac).
    pub ctrl: bool,
    /// Shift.
    pub shift: bool,
}

impl Chord {
    /// The key alone.
    #[must_use]
    pub const fn plain(key: Key) -> Chord {
        Chord {
            key,
            ctrl: false,
            shift: false,
        }
    }

    /// The key with Ctrl.
    #[must_use]
    pub const fn ctrl(key: Key) -> Chord {
        Chord {
            key,
            ctrl: true,
            shift: false,
        }
    }

    /// The key with Shift.
    #[must_use]
    pub const fn shift(key: Key) -> Chord {
        Chord {
            key,
            ctrl: false,
            shift: true,
        }
    }

    /// The key with Ctrl and Shift.
    #[must_use]
    pub const fn ctrl_shift(key: Key) -> Chord {
        Chord {
            key,
            ctrl: true,
            shift: true,
        }
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl+")?;
        }
        if self.shift {
            f.write_str("Shift+")?;
        }
        match self.key {
            Key::Enter => f.write_str("Enter"),
            Key::Escape => f.write_str("Esc"),
            Key::Tab => f.write_str("Tab"),
            Key::Backspace => f.write_str("Backspace"),
            Key::Up => f.write_str("↑"),
            Key::Down => f.write_str("↓"),
            Key::Left => f.write_str("←"),
            Key::Right => f.write_str("→"),
            Key::PageUp => f.write_str("PageUp"),
            Key::PageDown => f.write_str("PageDown"),
            Key::F1 => f.write_str("F1"),
            Key::F2 => f.write_str("F2"),
            Key::Letter(c) => write!(f, "{c}"),
        }
    }
}

/// One thing the reviewer typed, in the order it was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key press.
    Key(Chord),
    /// Text typed (a digit, a pasted number, an input method's result).
    Text(String),
}

/// Everything the reviewer can do from the keyboard or a button without naming a cell or a
/// value: the entries of [`BINDINGS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Select the next cell in printed order.
    MoveNext,
    /// Select the previous cell in printed order.
    MovePrevious,
    /// Select the cell above.
    MoveUp,
    /// Select the cell below.
    MoveDown,
    /// Start editing the selected cell with its value.
    Edit,
    /// Commit the edit: the program misread the source.
    CommitMisread,
    /// Commit the edit: the published report is wrong.
    CommitSourceWrong,
    /// Drop the edit.
    CancelEdit,
    /// Confirm the selected cell as read.
    Confirm,
    /// Take the suggestion for the selected cell (the program misread it).
    AcceptSuggestion,
    /// Take the suggestion for the selected cell (the source is wrong).
    AcceptSuggestionSourceWrong,
    /// Fill the printed blanks of the selected cell's table with 0.
    FillBlanks,
    /// Select the next thing that needs a look.
    NextAttention,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Approve the report.
    Approve,
    /// Withdraw the approval to review again (asks first).
    Reopen,
    /// The next report of the queue.
    NextReport,
    /// The previous report of the queue.
    PreviousReport,
    /// The next report of the queue that still needs review.
    NextToReview,
    /// Show or hide the reviewer's changes.
    Changes,
    /// Show or hide the list of keys.
    Help,
    /// Show the report under review.
    ShowReview,
    /// Show the folder's overview.
    ShowOverview,
    /// Show the region's totals.
    ShowTotals,
}

/// When a binding's keys apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// While a cell is being edited.
    Editing,
    /// While no cell is being edited.
    Browsing,
}

/// An action with its keys and words.
#[derive(Debug)]
pub struct Binding {
    /// The action.
    pub action: Action,
    /// Its keys; the first is the one shown on buttons.
    pub chords: &'static [Chord],
    /// When the keys apply.
    pub when: When,
    /// What it does, in Chinese.
    pub zh: &'static str,
    /// What it does, in English.
    pub en: &'static str,
}

impl Binding {
    /// What it does, in `lang`.
    #[must_use]
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// Its keys as written on a button or in the help sheet (`Ctrl+Shift+Z / Ctrl+Y`).
    #[must_use]
    pub fn keys(&self) -> String {
        self.chords
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

const fn bind(
    action: Action,
    chords: &'static [Chord],
    when: When,
    zh: &'static str,
    en: &'static str,
) -> Binding {
    Binding {
        action,
        chords,
        when,
        zh,
        en,
    }
}

/// Every action with its keys, in the order the help sheet lists them.
pub static BINDINGS: &[Binding] = &[
    bind(
        Action::MoveNext,
        &[Chord::plain(Key::Right), Chord::plain(Key::Tab)],
        When::Browsing,
        "下一个单元格",
        "Next cell",
    ),
    bind(
        Action::MovePrevious,
        &[Chord::plain(Key::Left), Chord::shift(Key::Tab)],
        When::Browsing,
        "上一个单元格",
        "Previous cell",
    ),
    bind(
        Action::MoveUp,
        &[Chord::plain(Key::Up)],
        When::Browsing,
        "上一行",
        "Row above",
    ),
    bind(
        Action::MoveDown,
        &[Chord::plain(Key::Down)],
        When::Browsing,
        "下一行",
        "Row below",
    ),
    bind(
        Action::Edit,
        &[Chord::plain(Key::Enter), Chord::plain(Key::F2)],
        When::Browsing,
        "修改数值（也可直接输入数字）",
        "Edit the value (or just type a number)",
    ),
    bind(
        Action::CommitMisread,
        &[Chord::plain(Key::Enter), Chord::plain(Key::Tab)],
        When::Editing,
        "程序读取有误",
        "Misread by the program",
    ),
    bind(
        Action::CommitSourceWrong,
        &[Chord::shift(Key::Enter)],
        When::Editing,
        "原文有误",
        "Wrong in the source",
    ),
    bind(
        Action::CancelEdit,
        &[Chord::plain(Key::Escape)],
        When::Editing,
        "取消",
        "Cancel",
    ),
    bind(
        Action::Confirm,
        &[Chord::plain(Key::Letter('C'))],
        When::Browsing,
        "确认原值",
        "Confirm as read",
    ),
    bind(
        Action::AcceptSuggestion,
        &[Chord::plain(Key::Letter('A'))],
        When::Browsing,
        "采纳建议（程序读取有误）",
        "Accept the suggestion (misread)",
    ),
    bind(
        Action::AcceptSuggestionSourceWrong,
        &[Chord::shift(Key::Letter('A'))],
        When::Browsing,
        "采纳建议（原文有误）",
        "Accept the suggestion (wrong in the source)",
    ),
    bind(
        Action::FillBlanks,
        &[Chord::plain(Key::Letter('B'))],
        When::Browsing,
        "空白填0（所选单元格所在表）",
        "Blanks are 0 (the selected cell's table)",
    ),
    bind(
        Action::NextAttention,
        &[Chord::plain(Key::Letter('N'))],
        When::Browsing,
        "下一个待核",
        "Next to look at",
    ),
    bind(
        Action::Undo,
        &[Chord::ctrl(Key::Letter('Z'))],
        When::Browsing,
        "撤销",
        "Undo",
    ),
    bind(
        Action::Redo,
        &[
            Chord::ctrl_shift(Key::Letter('Z')),
            Chord::ctrl(Key::Letter('Y')),
        ],
        When::Browsing,
        "重做",
        "Redo",
    ),
    bind(
        Action::Approve,
        &[Chord::ctrl(Key::Enter)],
        When::Browsing,
        "通过审核",
        "Approve",
    ),
    bind(
        Action::Reopen,
        &[],
        When::Browsing,
        "重新审核",
        "Review again",
    ),
    bind(
        Action::NextReport,
        &[Chord::plain(Key::PageDown)],
        When::Browsing,
        "下一份报告",
        "Next report",
    ),
    bind(
        Action::PreviousReport,
        &[Chord::plain(Key::PageUp)],
        When::Browsing,
        "上一份报告",
        "Previous report",
    ),
    bind(
        Action::NextToReview,
        &[Chord::shift(Key::Letter('N'))],
        When::Browsing,
        "下一份待审核报告",
        "Next report to review",
    ),
    bind(
        Action::Changes,
        &[Chord::ctrl(Key::Letter('D'))],
        When::Browsing,
        "审核改动",
        "Changes",
    ),
    bind(
        Action::Help,
        &[Chord::plain(Key::F1)],
        When::Browsing,
        "快捷键一览",
        "Keyboard shortcuts",
    ),
    bind(
        Action::ShowReview,
        &[Chord::ctrl(Key::Letter('1'))],
        When::Browsing,
        "审核页",
        "Review page",
    ),
    bind(
        Action::ShowOverview,
        &[Chord::ctrl(Key::Letter('2'))],
        When::Browsing,
        "总览页",
        "Overview page",
    ),
    bind(
        Action::ShowTotals,
        &[Chord::ctrl(Key::Letter('3'))],
        When::Browsing,
        "汇总页",
        "Totals page",
    ),
];

impl Action {
    /// This action's entry in [`BINDINGS`].
    #[must_use]
    pub fn binding(self) -> &'static Binding {
        BINDINGS
            .iter()
            .find(|b| b.action == self)
            .unwrap_or(&BINDINGS[0])
    }

    /// What a button for this action says: its words and its first key (`确认原值 (C)`).
    #[must_use]
    pub fn button(self, lang: Lang) -> String {
        let binding = self.binding();
        match binding.chords.first() {
            Some(chord) => format!("{} ({chord})", binding.text(lang)),
            None => binding.text(lang).to_owned(),
        }
    }

    /// The action a key press means, if any, when a cell is (or is not) being edited.
    #[must_use]
    pub fn for_chord(chord: Chord, editing: bool) -> Option<Action> {
        let when = if editing {
            When::Editing
        } else {
            When::Browsing
        };
        BINDINGS
            .iter()
            .find(|b| b.when == when && b.chords.contains(&chord))
            .map(|b| b.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_binding_and_no_key_means_two_things() {
        for binding in BINDINGS {
            assert_eq!(
                BINDINGS
                    .iter()
                    .filter(|b| b.action == binding.action)
                    .count(),
                1,
                "{:?}",
                binding.action
            );
            for chord in binding.chords {
                let same: Vec<Action> = BINDINGS
                    .iter()
                    .filter(|b| b.when == binding.when && b.chords.contains(chord))
                    .map(|b| b.action)
                    .collect();
                assert_eq!(same, [binding.action], "{chord}");
            }
        }
    }

    #[test]
    fn buttons_and_keys_are_written_from_the_table() {
        assert_eq!(Action::Confirm.button(Lang::Zh), "确认原值 (C)");
        assert_eq!(Action::Approve.button(Lang::En), "Approve (Ctrl+Enter)");
        assert_eq!(Action::Redo.binding().keys(), "Ctrl+Shift+Z / Ctrl+Y");
        assert_eq!(
            Action::for_chord(Chord::plain(Key::Enter), true),
            Some(Action::CommitMisread)
        );
        assert_eq!(
            Action::for_chord(Chord::plain(Key::Enter), false),
            Some(Action::Edit)
        );
    }
}
