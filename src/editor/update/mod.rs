//! `update`: the one function that changes the editor. Keys become actions through the
//! binding table; `dispatch` hands each action to the file of the layer that has the keys
//! (the grid, a mode, a popup), which changes the state and may ask the edge for an effect.

mod add;
mod backlog;
mod carry;
mod connect;
mod findings;
mod form;
mod grid;
mod mouse;
mod pickers;
mod review;
mod save;
mod session;
mod text;

use super::action::{Action, Dir, Effect};
use super::keys::{self, Context};
use super::state::{Editor, Layer, Message, Target};
use crate::check::codes::Severity;
use crate::model::map::Cell;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key press, through the table of the current context.
pub fn handle_key(editor: &mut Editor, key: KeyEvent) -> Option<Effect> {
    update(editor, Action::Key(key))
}

pub fn update(editor: &mut Editor, action: Action) -> Option<Effect> {
    let effect = apply(editor, action);
    // Whatever came into view (a scroll, a resize, a jump) is drawn connected.
    editor.ensure_routes();
    effect
}

/// `update` without routing what came into view. The terminal applies a burst of keys this
/// way and routes once before it draws: routing is the one costly part of an update, and a
/// frame should pay for it once, not once per key (nor once per fact learnt at start).
pub fn apply(editor: &mut Editor, action: Action) -> Option<Effect> {
    dispatch(editor, action)
}

fn dispatch(editor: &mut Editor, action: Action) -> Option<Effect> {
    if let Action::Key(key) = action {
        // Esc and the next key arriving together (a fast typist over SSH, tmux send-keys)
        // read as Alt+key. Only text fields bind Alt (word keys, as readline does); any
        // other Alt+key is taken for the Esc and the key that were typed.
        if key.modifiers.contains(KeyModifiers::ALT)
            && keys::action_for(editor.context(), key).is_none()
        {
            let plain = KeyEvent::new(key.code, key.modifiers.difference(KeyModifiers::ALT));
            return dispatch(
                editor,
                Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            )
            .or_else(|| dispatch(editor, Action::Key(plain)));
        }
        let context = editor.context();
        return match keys::action_for(context, key) {
            Some(action) => dispatch(editor, action),
            // An editing key in review mode says why it does nothing.
            None if context == Context::Review
                && keys::action_for(Context::Grid, key).is_some() =>
            {
                editor.view.message = None;
                say(
                    editor,
                    Severity::Warning,
                    "Review mode: the map is read-only. + adds an improvement note",
                );
                None
            }
            None => None,
        };
    }
    // A message lasts until the next thing the user does.
    if !matches!(
        action,
        Action::Resize(..)
            | Action::Refine
            | Action::Saved(_)
            | Action::ExternalChange
            | Action::SaveQuestion(_)
            | Action::Reloaded(_)
            | Action::KeptAside(_)
            | Action::RecoveryWriteFailed(_)
            | Action::DiskState(_)
            | Action::Writable(_)
            | Action::Lock(_)
            | Action::RecoveryFound { .. }
            | Action::RecoveryUnreadable(_)
    ) {
        editor.view.message = None;
    }
    match action {
        Action::Resize(width, height) => {
            editor.view.screen = (width, height);
            keep_cursor_in_view(editor);
            None
        }
        // `update` routes what is near the view after every action, this one included.
        Action::Refine => {
            editor.tidy_routes();
            None
        }
        Action::Saved(result) => save::saved(editor, result),
        Action::ExternalChange => {
            editor.view.layers.push(Layer::ExternalChange);
            None
        }
        Action::SaveQuestion(question) => {
            editor.view.layers.push(Layer::SaveQuestion(question));
            None
        }
        Action::Reloaded(result) => {
            save::reloaded(editor, result);
            None
        }
        Action::KeptAside(result) => {
            match result {
                Ok(path) => say(
                    editor,
                    Severity::Note,
                    format!("The recovered edits are in {}", path.display()),
                ),
                Err(error) => say(
                    editor,
                    Severity::Error,
                    format!(
                        "The recovered edits could not be written beside the map: {error}; they stay in the recovery file"
                    ),
                ),
            }
            None
        }
        // Said every time it happens: the edits are not safe until saved.
        Action::RecoveryWriteFailed(why) => {
            say(
                editor,
                Severity::Error,
                format!(
                    "Unsaved edits could not be written to the recovery file ({why}); save soon"
                ),
            );
            None
        }
        Action::DiskState(disk) => {
            editor.doc.set_disk(disk);
            None
        }
        Action::Writable(writable) => {
            editor.doc.set_writable(writable);
            None
        }
        Action::Lock(state) => {
            session::locked(editor, state);
            None
        }
        Action::RecoveryFound {
            map,
            written_at,
            map_changed_since,
        } => {
            editor.view.layers.push(Layer::Recovery {
                map,
                written_at,
                map_changed_since,
            });
            None
        }
        Action::RecoveryUnreadable(why) => {
            say(
                editor,
                Severity::Warning,
                format!(
                    "A recovery file for this map cannot be read ({}); it is kept: `vsmap recover` lists it",
                    crate::text::shown(&why, 120)
                ),
            );
            None
        }
        Action::Mouse(mouse) => {
            mouse::mouse_event(editor, mouse);
            None
        }
        Action::Paste(text) => {
            if let Some(input) = text::focused_input(editor) {
                input.insert_str(&text);
                text::refilter(editor);
            }
            None
        }
        action => match editor.context() {
            Context::Grid => grid::grid(editor, action),
            Context::Review => review::review(editor, action),
            Context::Backlog => backlog::backlog(editor, action),
            Context::Connect => connect::connect(editor, action),
            Context::Carry => carry::carry(editor, action),
            Context::Findings => findings::findings(editor, action),
            Context::Picker | Context::Text | Context::Form => text::popup_input(editor, action),
            Context::Help | Context::Inspector => {
                scroll_popup(editor, action);
                None
            }
            Context::ConfirmQuit => save::confirm_quit(editor, action),
            Context::ExternalChange | Context::SaveQuestion => {
                save::external_change(editor, action)
            }
            Context::Recovery => session::recovery_offer(editor, action),
            Context::LockWarning => session::lock_warning(editor, action),
            Context::Broken => (action == Action::Quit).then_some(Effect::Quit),
        },
    }
}

fn say(editor: &mut Editor, severity: Severity, text: impl Into<String>) {
    editor.view.message = Some(Message {
        text: text.into(),
        severity,
    });
}

fn step_cell(cell: Cell, dir: Dir) -> Cell {
    match dir {
        Dir::Up => Cell::new(cell.col, cell.row.saturating_sub(1)),
        Dir::Down => Cell::new(cell.col, cell.row.saturating_add(1)),
        Dir::Left => Cell::new(cell.col.saturating_sub(1), cell.row),
        Dir::Right => Cell::new(cell.col.saturating_add(1), cell.row),
    }
}

/// Scrolls so the cursor's cell is wholly on screen.
fn keep_cursor_in_view(editor: &mut Editor) {
    let grid = editor.layout().grid;
    let (cols, rows) =
        editor
            .doc
            .canvas()
            .geometry
            .cells_in(editor.view.scroll, grid.width, grid.height);
    let scroll = &mut editor.view.scroll;
    if editor.view.cursor.col < scroll.col {
        scroll.col = editor.view.cursor.col;
    } else if editor.view.cursor.col >= scroll.col.saturating_add(cols) {
        scroll.col = editor.view.cursor.col - cols + 1;
    }
    if editor.view.cursor.row < scroll.row {
        scroll.row = editor.view.cursor.row;
    } else if editor.view.cursor.row >= scroll.row.saturating_add(rows) {
        scroll.row = editor.view.cursor.row - rows + 1;
    }
}

/// Puts the cursor on a step, or selects a connection and shows its source.
fn go_to(editor: &mut Editor, target: Target) {
    let (step, flow) = match target {
        Target::Step(step) => (Some(step), None),
        Target::Flow(flow) => (
            editor
                .doc
                .map()
                .flows
                .get(flow)
                .and_then(|f| editor.doc.step_index(&f.from)),
            Some(flow),
        ),
    };
    if let Some(step) = step {
        editor.view.cursor = editor.doc.map().steps[step].at;
        keep_cursor_in_view(editor);
    }
    editor.view.selected_flow = flow;
}

fn scroll_popup(editor: &mut Editor, action: Action) {
    match (editor.view.layers.last_mut(), action) {
        (_, Action::Cancel) => {
            editor.view.layers.pop();
        }
        (Some(Layer::Help { scroll, .. } | Layer::Inspector { scroll }), Action::Down) => {
            *scroll = scroll.saturating_add(1)
        }
        (Some(Layer::Help { scroll, .. } | Layer::Inspector { scroll }), Action::Up) => {
            *scroll = scroll.saturating_sub(1)
        }
        _ => {}
    }
}
