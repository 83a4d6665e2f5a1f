//! Connect mode: from a step to the one the cursor is moved onto.

use super::keep_cursor_in_view;
use super::pickers::open_artifact_picker;
use super::say;
use super::step_cell;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::keys::Context;
use crate::editor::state::{Editor, Layer, Mode};

pub(super) fn connect(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Connect { from } = editor.view.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            editor.view.cursor = step_cell(editor.view.cursor, dir);
            keep_cursor_in_view(editor);
            say(editor, Severity::Note, connect_prompt(editor, from));
        }
        Action::Confirm => match editor.step_under_cursor() {
            Some(to) if to != from => {
                editor.view.mode = Mode::Normal;
                open_artifact_picker(editor, from, to, None);
            }
            Some(_) => say(
                editor,
                Severity::Warning,
                "A step cannot connect to itself; move to another step",
            ),
            None => say(
                editor,
                Severity::Warning,
                "Move the cursor onto the target step, then press Enter",
            ),
        },
        Action::Cancel => editor.view.mode = Mode::Normal,
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Connect,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

pub(super) fn connect_prompt(editor: &Editor, from: usize) -> String {
    let source = &editor.doc.map().steps[from].label;
    match editor.step_under_cursor() {
        Some(to) if to != from => format!(
            "Connect \"{source}\" to \"{}\"? Enter",
            editor.doc.map().steps[to].label
        ),
        _ => format!("Connecting from \"{source}\": move to the target step and press Enter"),
    }
}
