//! The improvement backlog: every note of the map, to go to or delete.

use super::go_to;
use super::say;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::history::Change;
use crate::editor::state::{Editor, Field, Form, FormKind, Layer};

pub(super) fn backlog(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Some(Layer::Backlog { selected }) = editor.view.layers.last() else {
        return None;
    };
    let selected = *selected;
    let notes = editor.doc.backlog();
    let count = notes.len();
    let chosen = notes
        .get(selected)
        .map(|&(target, index, _)| (target, index));
    match action {
        Action::Up | Action::Down => {
            let next = if action == Action::Up {
                selected.saturating_sub(1)
            } else {
                (selected + 1).min(count.saturating_sub(1))
            };
            editor.view.layers.pop();
            editor.view.layers.push(Layer::Backlog { selected: next });
        }
        Action::Confirm => {
            if let Some((target, _)) = chosen {
                editor.view.layers.pop();
                go_to(editor, target);
            }
        }
        Action::Edit | Action::Delete | Action::Undo if editor.view.review => say(
            editor,
            Severity::Warning,
            "Review mode only adds notes; R returns to editing",
        ),
        Action::Undo => {
            super::grid::undo_redo(editor, true);
            let count = editor.doc.backlog().len();
            if count == 0 {
                editor.view.layers.pop();
            } else if let Some(Layer::Backlog { selected }) = editor.view.layers.last_mut() {
                *selected = (*selected).min(count - 1);
            }
        }
        Action::Edit => {
            if let Some((target, index)) = chosen {
                let note = &notes[selected].2;
                let values = vec![
                    (Field::Improvement, note.text.clone()),
                    (Field::Owner, note.owner.clone().unwrap_or_default()),
                ];
                editor.view.layers.push(Layer::Form(Form::new(
                    FormKind::EditImprovement(target, index),
                    values,
                )));
            }
        }
        Action::Delete => {
            if let Some((target, index)) = chosen {
                let change = Change::remove_improvement(editor.doc.map(), target, index);
                editor.apply(change);
                editor.view.layers.pop();
                editor.view.layers.push(Layer::Backlog {
                    selected: selected.min(count.saturating_sub(2)),
                });
                say(
                    editor,
                    Severity::Note,
                    "Improvement note deleted; u brings it back",
                );
            }
        }
        Action::Cancel => {
            editor.view.layers.pop();
        }
        _ => {}
    }
    None
}
