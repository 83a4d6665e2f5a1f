//! Key bindings as data: per context, which keys do what, with the words the help screen
//! and the status line show. One table feeds the keys, `?` and the hints, so they agree.

use super::action::{Action, Dir};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keys go: the top popup, or the grid's current mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Grid,
    Review,
    Backlog,
    Connect,
    Carry,
    Findings,
    Picker,
    Text,
    Form,
    Help,
    Inspector,
    ConfirmQuit,
    ExternalChange,
    Recovery,
    LockWarning,
    Broken,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Grid => "Map",
            Context::Review => "REVIEW (read-only)",
            Context::Backlog => "Improvement backlog",
            Context::Connect => "Connecting",
            Context::Carry => "Moving a step",
            Context::Findings => "Findings list",
            Context::Picker => "Picker",
            Context::Text => "Text field",
            Context::Form => "Step form",
            Context::Help => "Help",
            Context::Inspector => "Inspector",
            Context::ConfirmQuit => "Quit with unsaved changes",
            Context::ExternalChange => "The file changed on disk",
            Context::Recovery => "Unsaved edits were recovered",
            Context::LockWarning => "Another vsmap has this map open",
            Context::Broken => "Unreadable file",
        }
    }

    /// Whether unbound printable keys are typed into a field.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Picker | Context::Text | Context::Form)
    }
}

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The word shown in the status line; empty when the binding is only in the help.
    pub hint: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! bind {
    ($label:literal, [$($code:expr, $mods:expr);*], $action:expr, $help:literal, $hint:literal) => {
        Binding { keys: &[$(($code, $mods)),*], label: $label, action: $action, help: $help, hint: $hint }
    };
}

use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab, Up,
};

// One line per binding reads as a table; rustfmt would spread each over six lines.
#[rustfmt::skip]
const GRID: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE; Down, NONE; Up, NONE; Right, NONE; Char('h'), NONE; Char('j'), NONE; Char('k'), NONE; Char('l'), NONE], Action::Move(Dir::Left), "move the cursor", ""),
    bind!("a", [Char('a'), NONE], Action::AddStep, "add a step on this empty cell", "add"),
    bind!("c", [Char('c'), NONE], Action::Connect, "connect this step to another", "connect"),
    bind!("Enter e", [Enter, NONE; Char('e'), NONE], Action::Edit, "edit the step, or the selected connection's artifact", "edit"),
    bind!("Tab S-Tab", [Tab, NONE; BackTab, SHIFT; BackTab, NONE], Action::NextFlow, "select the next / previous connection of this step", "connection"),
    bind!("d Del", [Char('d'), NONE; Delete, NONE], Action::Delete, "delete the selected connection, or the step", "delete"),
    bind!("m", [Char('m'), NONE], Action::MoveStep, "move the step (arrows, then Enter)", ""),
    bind!("S-←↓↑→ HJKL", [Left, SHIFT; Down, SHIFT; Up, SHIFT; Right, SHIFT; Char('H'), NONE; Char('J'), NONE; Char('K'), NONE; Char('L'), NONE], Action::Nudge(Dir::Left), "move the step one cell", ""),
    bind!("u", [Char('u'), NONE], Action::Undo, "undo", "undo"),
    bind!("C-r", [Char('r'), CTRL], Action::Redo, "redo", ""),
    bind!("n N", [Char('n'), NONE; Char('N'), NONE], Action::NextFinding, "go to the next / previous finding", "finding"),
    bind!("f", [Char('f'), NONE], Action::FocusFindings, "browse the findings list", ""),
    bind!("i", [Char('i'), NONE], Action::Inspect, "inspect what is selected, full size", ""),
    bind!("t", [Char('t'), NONE], Action::EditTitle, "rename the map", ""),
    bind!("+", [Char('+'), NONE], Action::AddImprovement, "add an improvement note to the step or selected connection", ""),
    bind!("b", [Char('b'), NONE], Action::ShowBacklog, "the improvement backlog", ""),
    bind!("T", [Char('T'), NONE], Action::ToggleTimeline, "show or hide the timeline ladder", ""),
    bind!("R", [Char('R'), NONE], Action::ToggleReview, "review mode: read-only, metrics in front", ""),
    bind!("Esc", [Esc, NONE], Action::Deselect, "clear the selected connection", ""),
    bind!("C-s", [Char('s'), CTRL], Action::Save, "save", "save"),
    bind!("q", [Char('q'), NONE], Action::Quit, "quit (asks when unsaved)", "quit"),
    bind!("?", [Char('?'), NONE], Action::Help, "all keys", "help"),
];

#[rustfmt::skip]
const REVIEW: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE; Down, NONE; Up, NONE; Right, NONE; Char('h'), NONE; Char('j'), NONE; Char('k'), NONE; Char('l'), NONE], Action::Move(Dir::Left), "move the cursor", ""),
    bind!("Tab S-Tab", [Tab, NONE; BackTab, SHIFT; BackTab, NONE], Action::NextFlow, "select the next / previous connection of this step", "connection"),
    bind!("+", [Char('+'), NONE], Action::AddImprovement, "add an improvement note (the only change review mode makes)", "note"),
    bind!("b", [Char('b'), NONE], Action::ShowBacklog, "the improvement backlog", "backlog"),
    bind!("n N", [Char('n'), NONE; Char('N'), NONE], Action::NextFinding, "go to the next / previous finding", "finding"),
    bind!("f", [Char('f'), NONE], Action::FocusFindings, "browse the findings list", ""),
    bind!("i", [Char('i'), NONE], Action::Inspect, "inspect what is selected, full size", ""),
    bind!("T", [Char('T'), NONE], Action::ToggleTimeline, "show or hide the timeline ladder", "timeline"),
    bind!("R", [Char('R'), NONE], Action::ToggleReview, "back to editing, when review was opened from the editor", ""),
    bind!("Esc", [Esc, NONE], Action::Deselect, "clear the selected connection", ""),
    bind!("C-s", [Char('s'), CTRL], Action::Save, "save the improvement notes", ""),
    bind!("q", [Char('q'), NONE], Action::Quit, "quit (asks when notes are unsaved)", "quit"),
    bind!("?", [Char('?'), NONE], Action::Help, "all keys", "help"),
];

#[rustfmt::skip]
const BACKLOG: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE; Down, NONE; Char('k'), NONE; Char('j'), NONE], Action::Up, "choose a note", "choose"),
    bind!("Enter", [Enter, NONE], Action::Confirm, "go to its step or connection", "go to"),
    bind!("d Del", [Char('d'), NONE; Delete, NONE], Action::Delete, "delete the note (not in review mode)", ""),
    bind!("Esc b q", [Esc, NONE; Char('b'), NONE; Char('q'), NONE], Action::Cancel, "close", "close"),
];

#[rustfmt::skip]
const CONNECT: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE; Down, NONE; Up, NONE; Right, NONE; Char('h'), NONE; Char('j'), NONE; Char('k'), NONE; Char('l'), NONE], Action::Move(Dir::Left), "move to the target step", "move"),
    bind!("Enter", [Enter, NONE], Action::Confirm, "connect to the step under the cursor", "connect here"),
    bind!("Esc", [Esc, NONE], Action::Cancel, "cancel", "cancel"),
    bind!("?", [Char('?'), NONE], Action::Help, "all keys", ""),
];

#[rustfmt::skip]
const CARRY: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE; Down, NONE; Up, NONE; Right, NONE; Char('h'), NONE; Char('j'), NONE; Char('k'), NONE; Char('l'), NONE], Action::Move(Dir::Left), "carry the step", "carry"),
    bind!("Enter", [Enter, NONE], Action::Confirm, "put it down here", "drop"),
    bind!("Esc", [Esc, NONE], Action::Cancel, "put it back", "cancel"),
    bind!("?", [Char('?'), NONE], Action::Help, "all keys", ""),
];

#[rustfmt::skip]
const FINDINGS: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE; Down, NONE; Char('k'), NONE; Char('j'), NONE], Action::Up, "choose a finding", "choose"),
    bind!("Enter", [Enter, NONE], Action::Confirm, "go to its step or connection", "go to"),
    bind!("Esc f", [Esc, NONE; Char('f'), NONE], Action::Cancel, "back to the map", "back"),
    bind!("?", [Char('?'), NONE], Action::Help, "all keys", ""),
];

#[rustfmt::skip]
const PICKER: &[Binding] = &[
    bind!("type", [], Action::Type(' '), "filter the list", "filter"),
    bind!("↑↓", [Up, NONE; Down, NONE; Char('p'), CTRL; Char('n'), CTRL], Action::Up, "choose", "choose"),
    bind!("PgUp PgDn", [PageUp, NONE; PageDown, NONE], Action::PageUp, "choose, a page at a time", ""),
    bind!("Enter", [Enter, NONE], Action::Confirm, "take the chosen item", "take"),
    bind!("Backspace", [Backspace, NONE], Action::Backspace, "delete a filter character", ""),
    bind!("Esc", [Esc, NONE], Action::Cancel, "cancel", "cancel"),
];

#[rustfmt::skip]
const TEXT: &[Binding] = &[
    bind!("type", [], Action::Type(' '), "enter text", ""),
    bind!("Enter", [Enter, NONE], Action::Confirm, "accept", "accept"),
    bind!("Esc", [Esc, NONE], Action::Cancel, "cancel", "cancel"),
    bind!("←→ Home End", [Left, NONE; Right, NONE; Home, NONE; End, NONE; Char('a'), CTRL; Char('e'), CTRL], Action::Left, "move in the text", ""),
    bind!("Backspace Del", [Backspace, NONE; Delete, NONE], Action::Backspace, "delete a character", ""),
];

#[rustfmt::skip]
const FORM: &[Binding] = &[
    bind!("type", [], Action::Type(' '), "enter text", ""),
    bind!("Tab ↓ S-Tab ↑", [Tab, NONE; Down, NONE; BackTab, SHIFT; BackTab, NONE; Up, NONE], Action::NextField, "next / previous field", "field"),
    bind!("Enter", [Enter, NONE], Action::Confirm, "save the form", "save"),
    bind!("Esc", [Esc, NONE], Action::Cancel, "cancel", "cancel"),
    bind!("←→ Home End", [Left, NONE; Right, NONE; Home, NONE; End, NONE; Char('a'), CTRL; Char('e'), CTRL], Action::Left, "move in the field", ""),
    bind!("Backspace Del", [Backspace, NONE; Delete, NONE], Action::Backspace, "delete a character", ""),
];

#[rustfmt::skip]
const HELP: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE; Down, NONE; Char('k'), NONE; Char('j'), NONE], Action::Up, "scroll", ""),
    bind!("Esc q ?", [Esc, NONE; Char('q'), NONE; Char('?'), NONE], Action::Cancel, "close", "close"),
];

#[rustfmt::skip]
const INSPECTOR: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE; Down, NONE; Char('k'), NONE; Char('j'), NONE], Action::Up, "scroll", "scroll"),
    bind!("Esc q i", [Esc, NONE; Char('q'), NONE; Char('i'), NONE], Action::Cancel, "close", "close"),
];

#[rustfmt::skip]
const CONFIRM_QUIT: &[Binding] = &[
    bind!("s", [Char('s'), NONE], Action::SaveAndQuit, "save, then quit", "save and quit"),
    bind!("d", [Char('d'), NONE], Action::DiscardAndQuit, "quit without saving", "discard"),
    bind!("Esc", [Esc, NONE; Char('n'), NONE], Action::Cancel, "stay", "stay"),
];

#[rustfmt::skip]
const EXTERNAL_CHANGE: &[Binding] = &[
    bind!("r", [Char('r'), NONE], Action::Reload, "reload the file from disk (u brings your edits back)", "reload"),
    bind!("o", [Char('o'), NONE], Action::Overwrite, "overwrite the file with this map", "overwrite"),
    bind!("s", [Char('s'), NONE], Action::SaveElsewhere, "save this map under another name", "save elsewhere"),
    bind!("Esc", [Esc, NONE], Action::Cancel, "do nothing now", "cancel"),
];

#[rustfmt::skip]
const RECOVERY: &[Binding] = &[
    bind!("r", [Char('r'), NONE], Action::Restore, "restore the recovered edits (then save them)", "restore"),
    bind!("d", [Char('d'), NONE], Action::Discard, "discard the recovered edits", "discard"),
    bind!("k Esc", [Char('k'), NONE; Esc, NONE], Action::KeepBoth, "keep both: the recovered map goes to a file beside this one", "keep both"),
];

#[rustfmt::skip]
const LOCK_WARNING: &[Binding] = &[
    bind!("o", [Char('o'), NONE; Esc, NONE], Action::Cancel, "open it anyway", "open anyway"),
    bind!("r", [Char('r'), NONE], Action::ToggleReview, "open it read-only, for review", "read-only"),
    bind!("q", [Char('q'), NONE], Action::Quit, "quit", "quit"),
];

#[rustfmt::skip]
const BROKEN: &[Binding] = &[
    bind!("q Esc", [Char('q'), NONE; Esc, NONE], Action::Quit, "quit; the file is left as it is", "quit"),
];

pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Context::Grid => GRID,
        Context::Review => REVIEW,
        Context::Backlog => BACKLOG,
        Context::Connect => CONNECT,
        Context::Carry => CARRY,
        Context::Findings => FINDINGS,
        Context::Picker => PICKER,
        Context::Text => TEXT,
        Context::Form => FORM,
        Context::Help => HELP,
        Context::Inspector => INSPECTOR,
        Context::ConfirmQuit => CONFIRM_QUIT,
        Context::ExternalChange => EXTERNAL_CHANGE,
        Context::Recovery => RECOVERY,
        Context::LockWarning => LOCK_WARNING,
        Context::Broken => BROKEN,
    }
}

/// Shift is part of an upper-case letter, not a modifier of its own; terminals differ in
/// whether they report it.
fn normalise(key: KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut mods =
        key.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
    if let Char(c) = key.code
        && !c.is_ascii_lowercase()
    {
        mods.remove(KeyModifiers::SHIFT);
    }
    (key.code, mods)
}

/// The action a key press stands for in a context, if any.
pub fn action_for(context: Context, key: KeyEvent) -> Option<Action> {
    let (code, mods) = normalise(key);
    for binding in table(context) {
        if binding.keys.contains(&(code, mods)) {
            return Some(specialise(&binding.action, code, mods));
        }
    }
    match code {
        Char(c)
            if context.takes_text()
                && !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Type(c))
        }
        _ => None,
    }
}

/// Bindings that group several keys under one line of help stand for one action per key.
fn specialise(action: &Action, code: KeyCode, mods: KeyModifiers) -> Action {
    let dir = match code {
        Left | Char('h') | Char('H') => Some(Dir::Left),
        Right | Char('l') | Char('L') => Some(Dir::Right),
        Up | Char('k') | Char('K') => Some(Dir::Up),
        Down | Char('j') | Char('J') => Some(Dir::Down),
        _ => None,
    };
    match (action, dir) {
        (Action::Move(_), Some(d)) => Action::Move(d),
        (Action::Nudge(_), Some(d)) => Action::Nudge(d),
        (Action::Up, Some(Dir::Down)) => Action::Down,
        (Action::Up, _) if code == Char('n') && mods == CTRL => Action::Down,
        (Action::PageUp, _) if code == PageDown => Action::PageDown,
        (Action::NextFlow, _) if code == BackTab => Action::PrevFlow,
        (Action::NextFinding, _) if code == Char('N') => Action::PrevFinding,
        (Action::NextField, _) if matches!(code, BackTab | Up) => Action::PrevField,
        (Action::Left, _) => match code {
            Right => Action::Right,
            Home => Action::Home,
            End => Action::End,
            Char('a') => Action::Home,
            Char('e') => Action::End,
            _ => Action::Left,
        },
        (Action::Backspace, _) if code == Delete => Action::DeleteChar,
        (action, _) => action.clone(),
    }
}

/// The status line's hints for a context: ("a", "add"), ("c", "connect"), ...
pub fn hints(context: Context) -> Vec<(&'static str, &'static str)> {
    table(context)
        .iter()
        .filter(|b| !b.hint.is_empty())
        .map(|b| (b.label, b.hint))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Context; 16] = [
        Context::Grid,
        Context::Review,
        Context::Backlog,
        Context::Connect,
        Context::Carry,
        Context::Findings,
        Context::Picker,
        Context::Text,
        Context::Form,
        Context::Help,
        Context::Inspector,
        Context::ConfirmQuit,
        Context::ExternalChange,
        Context::Recovery,
        Context::LockWarning,
        Context::Broken,
    ];

    #[test]
    fn no_context_binds_a_key_twice() {
        for context in ALL {
            let mut seen = Vec::new();
            for binding in table(context) {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{context:?} binds {key:?} twice");
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn every_context_can_be_left_and_has_hints() {
        for context in ALL {
            assert!(!hints(context).is_empty(), "{context:?} has no hints");
            let esc = KeyEvent::new(Esc, NONE);
            let q = KeyEvent::new(Char('q'), NONE);
            assert!(
                action_for(context, esc).is_some() || action_for(context, q).is_some(),
                "{context:?}"
            );
        }
    }

    #[test]
    fn keys_map_to_their_specific_actions() {
        let key = |c, m| KeyEvent::new(c, m);
        assert_eq!(
            action_for(Context::Grid, key(Char('j'), NONE)),
            Some(Action::Move(Dir::Down))
        );
        assert_eq!(
            action_for(Context::Grid, key(Char('L'), SHIFT)),
            Some(Action::Nudge(Dir::Right))
        );
        assert_eq!(
            action_for(Context::Grid, key(Up, SHIFT)),
            Some(Action::Nudge(Dir::Up))
        );
        assert_eq!(
            action_for(Context::Grid, key(Char('N'), SHIFT)),
            Some(Action::PrevFinding)
        );
        assert_eq!(
            action_for(Context::Grid, key(BackTab, SHIFT)),
            Some(Action::PrevFlow)
        );
        assert_eq!(
            action_for(Context::Grid, key(Char('r'), CTRL)),
            Some(Action::Redo)
        );
        assert_eq!(action_for(Context::Grid, key(Char('z'), NONE)), None);
        assert_eq!(
            action_for(Context::Picker, key(Char('j'), NONE)),
            Some(Action::Type('j'))
        );
        assert_eq!(
            action_for(Context::Picker, key(Down, NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(Context::Form, key(Up, NONE)),
            Some(Action::PrevField)
        );
        assert_eq!(action_for(Context::Text, key(End, NONE)), Some(Action::End));
        assert_eq!(
            action_for(Context::Text, key(Delete, NONE)),
            Some(Action::DeleteChar)
        );
        assert_eq!(
            action_for(Context::Findings, key(Char('j'), NONE)),
            Some(Action::Down)
        );
    }

    #[test]
    fn hints_are_short() {
        let grid = hints(Context::Grid);
        assert!(grid.contains(&("a", "add")), "{grid:?}");
        assert!(grid.contains(&("C-s", "save")));
    }
}
