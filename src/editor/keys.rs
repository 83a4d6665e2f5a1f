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
    SaveQuestion,
    Recovery,
    LockWarning,
    Broken,
}

impl Context {
    pub const ALL: [Context; 17] = [
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
        Context::SaveQuestion,
        Context::Recovery,
        Context::LockWarning,
        Context::Broken,
    ];

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
            Context::SaveQuestion => "Before saving",
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

/// One key press and the action it stands for.
#[derive(Debug)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
}

/// One line of help: the keys it groups, each with its own action.
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub help: &'static str,
    /// The word shown in the status line; empty when the binding is only in the help.
    pub hint: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;

macro_rules! bind {
    ($label:literal, [$($code:expr, $mods:expr => $action:expr);*], $help:literal, $hint:literal) => {
        Binding {
            keys: &[$(Key { code: $code, mods: $mods, action: $action }),*],
            label: $label,
            help: $help,
            hint: $hint,
        }
    };
}

use Action as A;
use Dir::{Down as D, Left as L, Right as R, Up as U};
use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab, Up,
};

// One line per binding reads as a table; rustfmt would spread each over many lines.
#[rustfmt::skip]
const GRID: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE => A::Move(L); Down, NONE => A::Move(D); Up, NONE => A::Move(U); Right, NONE => A::Move(R); Char('h'), NONE => A::Move(L); Char('j'), NONE => A::Move(D); Char('k'), NONE => A::Move(U); Char('l'), NONE => A::Move(R)], "move the cursor", ""),
    bind!("a", [Char('a'), NONE => A::AddStep], "add a step on this empty cell", "add"),
    bind!("o O", [Char('o'), NONE => A::AddNext; Char('O'), NONE => A::AddBefore], "add the next step, linked from this one (O: the step before)", "next"),
    bind!("c", [Char('c'), NONE => A::Connect], "connect this step to another", "connect"),
    bind!("Enter e", [Enter, NONE => A::Edit; Char('e'), NONE => A::Edit], "edit the step, or the selected connection's artifact", "edit"),
    bind!("Tab S-Tab", [Tab, NONE => A::NextFlow; BackTab, SHIFT => A::PrevFlow; BackTab, NONE => A::PrevFlow], "select the next / previous connection of this step", "connection"),
    bind!("d Del", [Char('d'), NONE => A::Delete; Delete, NONE => A::Delete], "delete the selected connection, or the step", "delete"),
    bind!("m", [Char('m'), NONE => A::MoveStep], "move the step (arrows, then Enter)", ""),
    bind!("S-←↓↑→", [Left, SHIFT => A::Nudge(L); Down, SHIFT => A::Nudge(D); Up, SHIFT => A::Nudge(U); Right, SHIFT => A::Nudge(R)], "move the step one cell", ""),
    bind!("u", [Char('u'), NONE => A::Undo], "undo", "undo"),
    bind!("C-r", [Char('r'), CTRL => A::Redo], "redo", ""),
    bind!("1-9", [Char('1'), NONE => A::ApplyFix(0); Char('2'), NONE => A::ApplyFix(1); Char('3'), NONE => A::ApplyFix(2); Char('4'), NONE => A::ApplyFix(3); Char('5'), NONE => A::ApplyFix(4); Char('6'), NONE => A::ApplyFix(5); Char('7'), NONE => A::ApplyFix(6); Char('8'), NONE => A::ApplyFix(7); Char('9'), NONE => A::ApplyFix(8)], "apply that fix of the selected connection", ""),
    bind!("n N", [Char('n'), NONE => A::NextFinding; Char('N'), NONE => A::PrevFinding], "go to the next / previous finding", "finding"),
    bind!("f", [Char('f'), NONE => A::FocusFindings], "browse the findings list", ""),
    bind!("i", [Char('i'), NONE => A::Inspect], "inspect what is selected, full size", ""),
    bind!("t", [Char('t'), NONE => A::EditTitle], "rename the map", ""),
    bind!("+", [Char('+'), NONE => A::AddImprovement], "add an improvement note to the step or selected connection", ""),
    bind!("b", [Char('b'), NONE => A::ShowBacklog], "the improvement backlog", ""),
    bind!("T", [Char('T'), NONE => A::ToggleTimeline], "show or hide the timeline ladder", ""),
    bind!("z", [Char('z'), NONE => A::CycleZoom], "zoom: overview, normal, detail", "zoom"),
    bind!("Z", [Char('Z'), NONE => A::FitZoom], "the largest zoom at which the whole map fits", ""),
    bind!("L", [Char('L'), NONE => A::ToggleLegend], "show or hide the legend of numbered links", ""),
    bind!("R", [Char('R'), NONE => A::ToggleReview], "review mode: read-only, metrics in front", ""),
    bind!("Esc", [Esc, NONE => A::Deselect], "clear the selected connection", ""),
    bind!("C-s", [Char('s'), CTRL => A::Save], "save", "save"),
    bind!("q", [Char('q'), NONE => A::Quit], "quit (asks when unsaved)", "quit"),
    bind!("?", [Char('?'), NONE => A::Help], "all keys", "help"),
];

#[rustfmt::skip]
const REVIEW: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE => A::Move(L); Down, NONE => A::Move(D); Up, NONE => A::Move(U); Right, NONE => A::Move(R); Char('h'), NONE => A::Move(L); Char('j'), NONE => A::Move(D); Char('k'), NONE => A::Move(U); Char('l'), NONE => A::Move(R)], "move the cursor", ""),
    bind!("Tab S-Tab", [Tab, NONE => A::NextFlow; BackTab, SHIFT => A::PrevFlow; BackTab, NONE => A::PrevFlow], "select the next / previous connection of this step", "connection"),
    bind!("+", [Char('+'), NONE => A::AddImprovement], "add an improvement note (the only change review mode makes)", "note"),
    bind!("b", [Char('b'), NONE => A::ShowBacklog], "the improvement backlog", "backlog"),
    bind!("n N", [Char('n'), NONE => A::NextFinding; Char('N'), NONE => A::PrevFinding], "go to the next / previous finding", "finding"),
    bind!("f", [Char('f'), NONE => A::FocusFindings], "browse the findings list", ""),
    bind!("i", [Char('i'), NONE => A::Inspect], "inspect what is selected, full size", ""),
    bind!("T", [Char('T'), NONE => A::ToggleTimeline], "show or hide the timeline ladder", "timeline"),
    bind!("z", [Char('z'), NONE => A::CycleZoom], "zoom: overview, normal, detail", "zoom"),
    bind!("Z", [Char('Z'), NONE => A::FitZoom], "the largest zoom at which the whole map fits", ""),
    bind!("L", [Char('L'), NONE => A::ToggleLegend], "show or hide the legend of numbered links", ""),
    bind!("R", [Char('R'), NONE => A::ToggleReview], "back to editing, when review was opened from the editor", ""),
    bind!("Esc", [Esc, NONE => A::Deselect], "clear the selected connection", ""),
    bind!("C-s", [Char('s'), CTRL => A::Save], "save the improvement notes", ""),
    bind!("q", [Char('q'), NONE => A::Quit], "quit (asks when notes are unsaved)", "quit"),
    bind!("?", [Char('?'), NONE => A::Help], "all keys", "help"),
];

#[rustfmt::skip]
const BACKLOG: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE => A::Up; Down, NONE => A::Down; Char('k'), NONE => A::Up; Char('j'), NONE => A::Down], "choose a note", "choose"),
    bind!("Enter", [Enter, NONE => A::Confirm], "go to its step or connection", "go to"),
    bind!("e", [Char('e'), NONE => A::Edit], "edit the note (not in review mode)", "edit"),
    bind!("u", [Char('u'), NONE => A::Undo], "undo the last change (not in review mode)", ""),
    bind!("d Del", [Char('d'), NONE => A::Delete; Delete, NONE => A::Delete], "delete the note (not in review mode)", "delete"),
    bind!("Esc b q", [Esc, NONE => A::Cancel; Char('b'), NONE => A::Cancel; Char('q'), NONE => A::Cancel], "close", "close"),
];

#[rustfmt::skip]
const CONNECT: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE => A::Move(L); Down, NONE => A::Move(D); Up, NONE => A::Move(U); Right, NONE => A::Move(R); Char('h'), NONE => A::Move(L); Char('j'), NONE => A::Move(D); Char('k'), NONE => A::Move(U); Char('l'), NONE => A::Move(R)], "move to the target step", "move"),
    bind!("Enter", [Enter, NONE => A::Confirm], "connect to the step under the cursor", "connect here"),
    bind!("Esc", [Esc, NONE => A::Cancel], "cancel", "cancel"),
    bind!("?", [Char('?'), NONE => A::Help], "all keys", "help"),
];

#[rustfmt::skip]
const CARRY: &[Binding] = &[
    bind!("←↓↑→ hjkl", [Left, NONE => A::Move(L); Down, NONE => A::Move(D); Up, NONE => A::Move(U); Right, NONE => A::Move(R); Char('h'), NONE => A::Move(L); Char('j'), NONE => A::Move(D); Char('k'), NONE => A::Move(U); Char('l'), NONE => A::Move(R)], "carry the step", "carry"),
    bind!("Enter", [Enter, NONE => A::Confirm], "put it down here", "drop"),
    bind!("Esc", [Esc, NONE => A::Cancel], "put it back", "cancel"),
    bind!("?", [Char('?'), NONE => A::Help], "all keys", "help"),
];

#[rustfmt::skip]
const FINDINGS: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE => A::Up; Down, NONE => A::Down; Char('k'), NONE => A::Up; Char('j'), NONE => A::Down], "choose a finding", "choose"),
    bind!("Enter", [Enter, NONE => A::Confirm], "go to its step or connection", "go to"),
    bind!("Esc f", [Esc, NONE => A::Cancel; Char('f'), NONE => A::Cancel], "back to the map", "back"),
    bind!("?", [Char('?'), NONE => A::Help], "all keys", "help"),
];

#[rustfmt::skip]
const PICKER: &[Binding] = &[
    bind!("type", [], "filter the list", "filter"),
    bind!("↑↓", [Up, NONE => A::Up; Down, NONE => A::Down; Char('p'), CTRL => A::Up; Char('n'), CTRL => A::Down], "choose", "choose"),
    bind!("PgUp PgDn", [PageUp, NONE => A::PageUp; PageDown, NONE => A::PageDown], "choose, a page at a time", ""),
    bind!("Enter", [Enter, NONE => A::Confirm], "take the chosen item", "take"),
    bind!("Backspace Del", [Backspace, NONE => A::Backspace; Delete, NONE => A::DeleteChar], "delete a filter character", ""),
    bind!("Esc", [Esc, NONE => A::Cancel], "cancel", "cancel"),
    bind!("←→ Home End", [Left, NONE => A::Left; Right, NONE => A::Right; Home, NONE => A::Home; End, NONE => A::End], "move in the filter", ""),
    bind!("C-a C-e", [Char('a'), CTRL => A::Home; Char('e'), CTRL => A::End], "go to the start / the end", ""),
    bind!("C-←→ Alt-b/f", [Left, CTRL => A::WordLeft; Right, CTRL => A::WordRight; Char('b'), ALT => A::WordLeft; Char('f'), ALT => A::WordRight], "move a word back / on", ""),
    bind!("C-w Alt-Bksp", [Char('w'), CTRL => A::DeleteWordBack; Backspace, ALT => A::DeleteWordBack], "delete the word before the cursor", ""),
    bind!("Alt-d", [Char('d'), ALT => A::DeleteWordForward], "delete the word after the cursor", ""),
    bind!("C-u C-k", [Char('u'), CTRL => A::DeleteToStart; Char('k'), CTRL => A::DeleteToEnd], "delete to the start / to the end", ""),
];

#[rustfmt::skip]
const TEXT: &[Binding] = &[
    bind!("type", [], "enter text", ""),
    bind!("Enter", [Enter, NONE => A::Confirm], "accept", "accept"),
    bind!("Tab", [Tab, NONE => A::NextField], "a new step's label: on to all its fields (practices, times, %C/A)", "all fields"),
    bind!("Esc", [Esc, NONE => A::Cancel], "cancel", "cancel"),
    bind!("←→ Home End", [Left, NONE => A::Left; Right, NONE => A::Right; Home, NONE => A::Home; End, NONE => A::End], "move in the text", ""),
    bind!("C-a C-e", [Char('a'), CTRL => A::Home; Char('e'), CTRL => A::End], "go to the start / the end", ""),
    bind!("C-←→ Alt-b/f", [Left, CTRL => A::WordLeft; Right, CTRL => A::WordRight; Char('b'), ALT => A::WordLeft; Char('f'), ALT => A::WordRight], "move a word back / on", ""),
    bind!("Backspace Del", [Backspace, NONE => A::Backspace; Delete, NONE => A::DeleteChar], "delete a character", ""),
    bind!("C-w Alt-Bksp", [Char('w'), CTRL => A::DeleteWordBack; Backspace, ALT => A::DeleteWordBack], "delete the word before the cursor", ""),
    bind!("Alt-d", [Char('d'), ALT => A::DeleteWordForward], "delete the word after the cursor", ""),
    bind!("C-u C-k", [Char('u'), CTRL => A::DeleteToStart; Char('k'), CTRL => A::DeleteToEnd], "delete to the start / to the end", ""),
];

#[rustfmt::skip]
const FORM: &[Binding] = &[
    bind!("type", [], "enter text", ""),
    bind!("Tab S-Tab", [Tab, NONE => A::NextField; BackTab, SHIFT => A::PrevField; BackTab, NONE => A::PrevField], "next / previous field", "field"),
    bind!("↓↑ C-n C-p", [Down, NONE => A::Down; Up, NONE => A::Up; Char('n'), CTRL => A::Down; Char('p'), CTRL => A::Up], "into and through the suggestions while they show, else the next / previous field", ""),
    bind!("Enter", [Enter, NONE => A::Confirm], "take the highlighted suggestion, else save the form", "save"),
    bind!("Esc", [Esc, NONE => A::Cancel], "cancel", "cancel"),
    bind!("←→ Home End", [Left, NONE => A::Left; Right, NONE => A::Right; Home, NONE => A::Home; End, NONE => A::End], "move in the field", ""),
    bind!("C-a C-e", [Char('a'), CTRL => A::Home; Char('e'), CTRL => A::End], "go to the start / the end", ""),
    bind!("C-←→ Alt-b/f", [Left, CTRL => A::WordLeft; Right, CTRL => A::WordRight; Char('b'), ALT => A::WordLeft; Char('f'), ALT => A::WordRight], "move a word back / on", ""),
    bind!("Backspace Del", [Backspace, NONE => A::Backspace; Delete, NONE => A::DeleteChar], "delete a character", ""),
    bind!("C-w Alt-Bksp", [Char('w'), CTRL => A::DeleteWordBack; Backspace, ALT => A::DeleteWordBack], "delete the word before the cursor", ""),
    bind!("Alt-d", [Char('d'), ALT => A::DeleteWordForward], "delete the word after the cursor", ""),
    bind!("C-u C-k", [Char('u'), CTRL => A::DeleteToStart; Char('k'), CTRL => A::DeleteToEnd], "delete to the start / to the end", ""),
];

#[rustfmt::skip]
const HELP: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE => A::Up; Down, NONE => A::Down; Char('k'), NONE => A::Up; Char('j'), NONE => A::Down], "scroll", ""),
    bind!("Esc q ?", [Esc, NONE => A::Cancel; Char('q'), NONE => A::Cancel; Char('?'), NONE => A::Cancel], "close", "close"),
];

#[rustfmt::skip]
const INSPECTOR: &[Binding] = &[
    bind!("↑↓ jk", [Up, NONE => A::Up; Down, NONE => A::Down; Char('k'), NONE => A::Up; Char('j'), NONE => A::Down], "scroll", "scroll"),
    bind!("Esc q i", [Esc, NONE => A::Cancel; Char('q'), NONE => A::Cancel; Char('i'), NONE => A::Cancel], "close", "close"),
];

#[rustfmt::skip]
const CONFIRM_QUIT: &[Binding] = &[
    bind!("s", [Char('s'), NONE => A::SaveAndQuit], "save, then quit", "save and quit"),
    bind!("d", [Char('d'), NONE => A::DiscardAndQuit], "quit without saving", "discard"),
    bind!("Esc", [Esc, NONE => A::Cancel; Char('n'), NONE => A::Cancel], "stay", "stay"),
];

#[rustfmt::skip]
const EXTERNAL_CHANGE: &[Binding] = &[
    bind!("r", [Char('r'), NONE => A::Reload], "reload the file from disk (u brings your edits back)", "reload"),
    bind!("o", [Char('o'), NONE => A::Overwrite], "overwrite the file with this map", "overwrite"),
    bind!("s", [Char('s'), NONE => A::SaveElsewhere], "save this map under another name", "save elsewhere"),
    bind!("Esc", [Esc, NONE => A::Cancel], "do nothing now", "cancel"),
];

#[rustfmt::skip]
const SAVE_QUESTION: &[Binding] = &[
    bind!("o", [Char('o'), NONE => A::Overwrite], "write the map to the file all the same", "write anyway"),
    bind!("s", [Char('s'), NONE => A::SaveElsewhere], "save this map under another name", "save elsewhere"),
    bind!("Esc", [Esc, NONE => A::Cancel], "do nothing now", "cancel"),
];

#[rustfmt::skip]
const RECOVERY: &[Binding] = &[
    bind!("r", [Char('r'), NONE => A::Restore], "restore the recovered edits (then save them)", "restore"),
    bind!("d", [Char('d'), NONE => A::Discard], "discard the recovered edits", "discard"),
    bind!("k Esc", [Char('k'), NONE => A::KeepBoth; Esc, NONE => A::KeepBoth], "keep both: the recovered map goes to a file beside this one", "keep both"),
];

#[rustfmt::skip]
const LOCK_WARNING: &[Binding] = &[
    bind!("o", [Char('o'), NONE => A::Cancel], "open it anyway", "open anyway"),
    bind!("r Esc", [Char('r'), NONE => A::ToggleReview; Esc, NONE => A::ToggleReview], "open it read-only, for review (the safe choice)", "read-only"),
    bind!("q", [Char('q'), NONE => A::Quit], "quit", "quit"),
];

#[rustfmt::skip]
const BROKEN: &[Binding] = &[
    bind!("q Esc", [Char('q'), NONE => A::Quit; Esc, NONE => A::Quit], "quit; the file is left as it is", "quit"),
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
        Context::SaveQuestion => SAVE_QUESTION,
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

/// The action a key press stands for in a context, if any: the table's, else a typed
/// character where the context takes text.
pub fn action_for(context: Context, key: KeyEvent) -> Option<Action> {
    let (code, mods) = normalise(key);
    if let Some(bound) = table(context)
        .iter()
        .flat_map(|b| b.keys)
        .find(|k| k.code == code && k.mods == mods)
    {
        return Some(bound.action.clone());
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

impl Context {
    /// The context's name in the configuration file: `grid`, `confirm-quit`.
    pub fn config_name(self) -> String {
        let mut name = String::new();
        for c in format!("{self:?}").chars() {
            if c.is_ascii_uppercase() && !name.is_empty() {
                name.push('-');
            }
            name.push(c.to_ascii_lowercase());
        }
        name
    }
}

/// A press as the table compares it: the key and the modifiers that count.
type Press = (KeyCode, KeyModifiers);

/// Keys of the user's own on top of the table: in a context, pressing `key` does what the
/// table's `acts_as` does. The table stays the one place actions are decided; a patch only
/// adds names for its keys (and may take a key for another action).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPatch {
    entries: Vec<Rebinding>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rebinding {
    context: Context,
    key: Press,
    acts_as: Press,
    /// The key as the user wrote it, for the help and the hints.
    written: String,
}

impl KeyPatch {
    /// The patch `{context: {key: key it acts as}}`, checked: the context exists, both keys
    /// read, and the second is bound there. The error names what is wrong.
    pub fn new<'a>(
        patch: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<KeyPatch, String> {
        let mut entries = Vec::new();
        for (context_name, key, acts_as) in patch {
            let context = Context::ALL
                .into_iter()
                .find(|c| c.config_name() == context_name)
                .ok_or_else(|| {
                    let names: Vec<String> = Context::ALL.iter().map(|c| c.config_name()).collect();
                    format!(
                        "no key context `{context_name}`; the contexts are {}",
                        names.join(", ")
                    )
                })?;
            let press = parse_key(key)?;
            let target = parse_key(acts_as)?;
            if !table(context)
                .iter()
                .flat_map(|b| b.keys)
                .any(|k| (k.code, k.mods) == target)
            {
                return Err(format!(
                    "`{acts_as}` does nothing in {context_name}, so `{key}` cannot act as it; `?` in the editor lists the keys"
                ));
            }
            entries.push(Rebinding {
                context,
                key: press,
                acts_as: target,
                written: key.to_string(),
            });
        }
        Ok(KeyPatch { entries })
    }

    /// The key the table is asked about for a press in a context.
    pub fn translate(&self, context: Context, key: KeyEvent) -> KeyEvent {
        let press = normalise(key);
        match self
            .entries
            .iter()
            .find(|e| e.context == context && e.key == press)
        {
            Some(e) => KeyEvent::new(e.acts_as.0, e.acts_as.1),
            None => key,
        }
    }

    /// A binding's label with the user's keys for it added: "d Del x".
    pub fn label(&self, context: Context, binding: &Binding) -> String {
        let mut label = binding.label.to_string();
        for e in self.entries.iter().filter(|e| e.context == context) {
            if binding.keys.iter().any(|k| (k.code, k.mods) == e.acts_as) {
                label.push(' ');
                label.push_str(&e.written);
            }
        }
        label
    }
}

/// A key as people write it: `x`, `X`, `C-x`, `Ctrl-x`, `Alt-x`, `S-Tab`, `Delete`, `Enter`,
/// `Esc`, `Space`, `PageDown`, `F5`.
pub fn parse_key(text: &str) -> Result<Press, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    while let Some((prefix, after)) = rest.split_once('-').filter(|(_, after)| !after.is_empty()) {
        mods |= match prefix.to_ascii_lowercase().as_str() {
            "c" | "ctrl" | "control" => KeyModifiers::CONTROL,
            "a" | "alt" | "m" | "meta" => KeyModifiers::ALT,
            "s" | "shift" => KeyModifiers::SHIFT,
            _ => break,
        };
        rest = after;
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => Char(c),
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Enter,
            "esc" | "escape" => Esc,
            "tab" => Tab,
            "backtab" => BackTab,
            "backspace" | "bksp" => Backspace,
            "delete" | "del" => Delete,
            "home" => Home,
            "end" => End,
            "pageup" | "pgup" => PageUp,
            "pagedown" | "pgdn" => PageDown,
            "up" => Up,
            "down" => Down,
            "left" => Left,
            "right" => Right,
            "space" => Char(' '),
            other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n @ 1..=12) => KeyCode::F(n),
                _ => {
                    return Err(format!(
                        "`{text}` is not a key: write e.g. \"x\", \"C-x\", \"Alt-d\", \"S-Tab\", \"Delete\", \"F5\""
                    ));
                }
            },
        },
    };
    // S-Tab is how terminals send BackTab.
    let code = if code == Tab && mods.contains(KeyModifiers::SHIFT) {
        BackTab
    } else {
        code
    };
    Ok(normalise(KeyEvent::new(code, mods)))
}

/// The status line's hint of the key that shows every key (`? help`), if the context has one.
pub fn help_hint(context: Context) -> Option<(&'static str, &'static str)> {
    table(context)
        .iter()
        .find(|b| !b.hint.is_empty() && b.keys.iter().any(|k| k.action == Action::Help))
        .map(|b| (b.label, b.hint))
}

/// How a binding's keys are written: as in the table, or with the arrows as words where the
/// terminal is plain ASCII ("Left/Right", "arrows").
pub fn shown_label(label: &str, ascii: bool) -> String {
    if !ascii {
        return label.to_string();
    }
    [
        ("←↓↑→", "arrows"),
        ("←→", "Left/Right"),
        ("↑↓", "Up/Down"),
        ("←", "Left"),
        ("→", "Right"),
        ("↑", "Up"),
        ("↓", "Down"),
    ]
    .iter()
    .fold(label.to_string(), |text, (arrows, words)| {
        text.replace(arrows, words)
    })
}

/// The status line's hints for a context: ("a", "add"), ("c", "connect"), ...
pub fn hints(context: Context) -> Vec<(&'static str, &'static str)> {
    table(context)
        .iter()
        .filter(|b| !b.hint.is_empty())
        .map(|b| (b.label, b.hint))
        .collect()
}

/// The hints with the user's keys added to their labels.
pub fn hints_with(context: Context, patch: &KeyPatch) -> Vec<(String, &'static str)> {
    table(context)
        .iter()
        .filter(|b| !b.hint.is_empty())
        .map(|b| (patch.label(context, b), b.hint))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_context_binds_a_key_twice() {
        for context in Context::ALL {
            let mut seen = Vec::new();
            for binding in table(context) {
                for key in binding.keys {
                    let press = (key.code, key.mods);
                    assert!(!seen.contains(&press), "{context:?} binds {press:?} twice");
                    seen.push(press);
                }
            }
        }
    }

    #[test]
    fn every_context_can_be_left_and_has_hints() {
        for context in Context::ALL {
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
            action_for(Context::Grid, key(Right, SHIFT)),
            Some(Action::Nudge(Dir::Right))
        );
        assert_eq!(
            action_for(Context::Grid, key(Char('L'), SHIFT)),
            Some(Action::ToggleLegend)
        );
        assert_eq!(
            action_for(Context::Grid, key(Char('z'), NONE)),
            Some(Action::CycleZoom)
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
        assert_eq!(action_for(Context::Grid, key(Char('x'), NONE)), None);
        assert_eq!(
            action_for(Context::Picker, key(Char('j'), NONE)),
            Some(Action::Type('j'))
        );
        assert_eq!(
            action_for(Context::Picker, key(Down, NONE)),
            Some(Action::Down)
        );
        // Up in a form goes through suggestions first, then to the field above.
        assert_eq!(action_for(Context::Form, key(Up, NONE)), Some(Action::Up));
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

    /// Every field edits the same way, whether it filters a picker, names a step or is one
    /// of a form's: the shell's keys, each to its own action and to nothing else.
    #[test]
    fn every_text_field_takes_the_shells_editing_keys() {
        let expected = [
            (Left, NONE, Action::Left),
            (Right, NONE, Action::Right),
            (Home, NONE, Action::Home),
            (End, NONE, Action::End),
            (Char('a'), CTRL, Action::Home),
            (Char('e'), CTRL, Action::End),
            (Left, CTRL, Action::WordLeft),
            (Right, CTRL, Action::WordRight),
            (Char('b'), ALT, Action::WordLeft),
            (Char('f'), ALT, Action::WordRight),
            (Backspace, NONE, Action::Backspace),
            (Delete, NONE, Action::DeleteChar),
            (Char('w'), CTRL, Action::DeleteWordBack),
            (Backspace, ALT, Action::DeleteWordBack),
            (Char('d'), ALT, Action::DeleteWordForward),
            (Char('u'), CTRL, Action::DeleteToStart),
            (Char('k'), CTRL, Action::DeleteToEnd),
        ];
        for context in Context::ALL {
            for (code, mods, action) in &expected {
                let pressed = action_for(context, KeyEvent::new(*code, *mods));
                if context.takes_text() {
                    assert_eq!(
                        pressed.as_ref(),
                        Some(action),
                        "{context:?} {code:?} {mods:?}"
                    );
                } else {
                    assert!(
                        !matches!(
                            pressed,
                            Some(
                                Action::WordLeft
                                    | Action::WordRight
                                    | Action::DeleteWordBack
                                    | Action::DeleteWordForward
                                    | Action::DeleteToStart
                                    | Action::DeleteToEnd
                            )
                        ),
                        "{context:?} has no field, yet {code:?} {mods:?} edits one"
                    );
                }
            }
            if context.takes_text() {
                // Typing still types, Shift included; Ctrl and Alt never type a letter.
                let typed = |c, m| action_for(context, KeyEvent::new(Char(c), m));
                assert_eq!(typed('w', NONE), Some(Action::Type('w')));
                assert_eq!(typed('W', SHIFT), Some(Action::Type('W')));
                assert_ne!(typed('x', ALT), Some(Action::Type('x')));
                assert_ne!(typed('x', CTRL), Some(Action::Type('x')));
            }
        }
    }

    /// Wherever `?` shows the keys, the status line says so; it keeps its place there.
    #[test]
    fn every_context_with_help_hints_it() {
        for context in Context::ALL {
            let has_help = table(context)
                .iter()
                .any(|b| b.keys.iter().any(|k| k.action == Action::Help));
            assert_eq!(help_hint(context).is_some(), has_help, "{context:?}");
        }
    }

    #[test]
    fn keys_are_read_as_people_write_them() {
        assert_eq!(parse_key("x"), Ok((Char('x'), NONE)));
        assert_eq!(parse_key("X"), Ok((Char('X'), NONE)));
        assert_eq!(parse_key("C-x"), Ok((Char('x'), CTRL)));
        assert_eq!(parse_key("Ctrl-x"), Ok((Char('x'), CTRL)));
        assert_eq!(parse_key("Alt-d"), Ok((Char('d'), ALT)));
        assert_eq!(parse_key("S-Tab"), Ok((BackTab, SHIFT)));
        assert_eq!(parse_key("Delete"), Ok((Delete, NONE)));
        assert_eq!(parse_key("-"), Ok((Char('-'), NONE)));
        assert_eq!(parse_key("F5"), Ok((KeyCode::F(5), NONE)));
        assert!(parse_key("Hyper-x").is_err());
        assert!(parse_key("nokey").is_err());
    }

    #[test]
    fn hints_are_short() {
        let grid = hints(Context::Grid);
        assert!(grid.contains(&("a", "add")), "{grid:?}");
        assert!(grid.contains(&("C-s", "save")));
    }

    /// Each key press in a table gives the action written beside it, and that action is
    /// explained on the help screen (`?`) of the context, on the line that names the key's
    /// binding; typed characters go where the help says "type".
    #[test]
    fn every_action_reachable_from_a_key_is_in_the_help_of_its_context() {
        let theme = crate::view::theme::Theme::new(false, false);
        for context in Context::ALL {
            let help: Vec<String> = crate::editor::draw::help_lines(
                context,
                &theme,
                usize::MAX,
                &KeyPatch::default(),
                true,
            )
            .iter()
            .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
            for binding in table(context) {
                for key in binding.keys {
                    let pressed = action_for(context, KeyEvent::new(key.code, key.mods));
                    assert_eq!(pressed.as_ref(), Some(&key.action), "{context:?} {key:?}");
                    assert!(
                        help.iter()
                            .any(|l| l.contains(binding.label) && l.contains(binding.help)),
                        "{context:?}: {:?} reaches {:?}, which ? does not explain",
                        (key.code, key.mods),
                        key.action
                    );
                }
            }
            let typed = action_for(context, KeyEvent::new(Char('x'), NONE));
            if typed == Some(Action::Type('x')) {
                assert!(
                    help.iter().any(|l| l.trim_start().starts_with("type")),
                    "{context:?} takes typing without saying so"
                );
            }
        }
    }
}
