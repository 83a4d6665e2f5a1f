//! Carrying a step (`m`, or a mouse drag): it moves for the eye, and lands as one change.

use super::keep_cursor_in_view;
use super::say;
use super::step_cell;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::keys::Context;
use crate::editor::state::{Editor, Layer, Mode};
use crate::model::map::Cell;

pub(super) fn carry(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Carry { step, origin, .. } = editor.view.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            let target = step_cell(editor.view.cursor, dir);
            if editor.doc.step_at(target).is_some_and(|s| s != step) {
                say(editor, Severity::Warning, "That cell is taken");
            } else {
                carry_to(editor, step, target);
            }
        }
        Action::Confirm => put_down(editor, step, origin),
        Action::Cancel => {
            carry_to(editor, step, origin);
            editor.view.mode = Mode::Normal;
        }
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Carry,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

/// Moves a carried step for the eye only; `put_down` records the move as one change.
pub(super) fn carry_to(editor: &mut Editor, step: usize, target: Cell) {
    editor.carry(step, target);
    editor.view.cursor = target;
    keep_cursor_in_view(editor);
}

pub(super) fn put_down(editor: &mut Editor, step: usize, origin: Cell) {
    editor.view.mode = Mode::Normal;
    editor.put_down(step, origin);
}
