//! The keyboard: a frame's key and text events turned into [`Input`]s and handed to the app
//! state one by one, in the order they were typed, before anything is drawn. Events the state
//! takes are removed, so that no widget acts on them a second time. However slow the frame, a
//! burst of keys lands whole and in order.

use egui::{Event, ImeEvent};

use crate::app::AppState;
use crate::app::input::{Chord, Input, Key};

/// The toolkit's key as a key of the bindings, if they know it.
fn key(key: egui::Key) -> Option<Key> {
    use egui::Key as K;
    Some(match key {
        K::Enter => Key::Enter,
        K::Escape => Key::Escape,
        K::Tab => Key::Tab,
        K::Backspace => Key::Backspace,
        K::ArrowUp => Key::Up,
        K::ArrowDown => Key::Down,
        K::ArrowLeft => Key::Left,
        K::ArrowRight => Key::Right,
        K::PageUp => Key::PageUp,
        K::PageDown => Key::PageDown,
        K::F1 => Key::F1,
        K::F2 => Key::F2,
        other => {
            let name = other.name();
            let mut chars = name.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => Key::Letter(c.to_ascii_uppercase()),
                _ => return None,
            }
        }
    })
}

/// One event as an input, if it is one.
fn to_input(event: &Event) -> Option<Input> {
    match event {
        Event::Key {
            key: k,
            pressed: true,
            modifiers,
            ..
        } => {
            let ctrl = modifiers.command || modifiers.ctrl;
            // A digit is typing, except with Ctrl held (Ctrl+1 … Ctrl+3 switch pages).
            let digit = match k {
                egui::Key::Num1 => Some('1'),
                egui::Key::Num2 => Some('2'),
                egui::Key::Num3 => Some('3'),
                _ => None,
            };
            let key = match digit {
                Some(d) if ctrl => Key::Letter(d),
                _ => key(*k)?,
            };
            Some(Input::Key(Chord {
                key,
                ctrl,
                shift: modifiers.shift,
            }))
        }
        Event::Text(text) | Event::Paste(text) | Event::Ime(ImeEvent::Commit(text)) => {
            Some(Input::Text(text.clone()))
        }
        _ => None,
    }
}

/// Which keys the state gets while a text field has the keyboard.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Share {
    /// Every key: no text field has the keyboard.
    All,
    /// The edit's note field: Enter, Shift+Enter and Esc commit or drop the edit.
    EditKeys,
    /// Another text field: only keys no field uses (Ctrl+Enter, F1).
    Global,
}

impl Share {
    fn lets(self, input: &Input) -> bool {
        match (self, input) {
            (Share::All, _) => true,
            (Share::EditKeys, Input::Key(c)) => {
                !c.ctrl && matches!(c.key, Key::Enter | Key::Escape)
            }
            (Share::Global, Input::Key(c)) => (c.ctrl && c.key == Key::Enter) || c.key == Key::F1,
            (_, Input::Text(_)) => false,
        }
    }
}

/// Hands this frame's typing to `state`. While a text field has the keyboard, it keeps its
/// keys: only Ctrl+Enter and F1 reach the state — or, from the edit's own note field, Enter,
/// Shift+Enter and Esc. Returns whether anything was taken (the window then draws again).
pub fn dispatch(ctx: &egui::Context, state: &mut AppState, edit_note: egui::Id) -> bool {
    let share = if !ctx.text_edit_focused() {
        Share::All
    } else if state.edit.is_some() && ctx.memory(egui::Memory::focused) == Some(edit_note) {
        Share::EditKeys
    } else {
        Share::Global
    };
    let events = ctx.input(|i| i.events.clone());
    let mut taken = vec![false; events.len()];
    for (k, event) in events.iter().enumerate() {
        let Some(input) = to_input(event) else {
            continue;
        };
        if share.lets(&input) {
            taken[k] = state.input(input);
        }
    }
    if !taken.contains(&true) {
        return false;
    }
    ctx.input_mut(|i| {
        let mut k = 0;
        i.events.retain(|_| {
            let keep = !taken.get(k).copied().unwrap_or(false);
            k += 1;
            keep
        });
    });
    true
}
