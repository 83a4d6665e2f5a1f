//! Setting the session up: the lock's outcome and the offer of recovered edits.

use super::say;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::history::Change;
use crate::editor::state::{Editor, Layer, LockState};

/// What came of taking the lock: a word in the status line, or a warning to answer.
pub(super) fn locked(editor: &mut Editor, state: LockState) {
    match state {
        LockState::Ours => {}
        LockState::TookOver(stale) => say(
            editor,
            Severity::Note,
            format!("Took over a stale lock left by {stale}"),
        ),
        LockState::HeldBy(holder) => editor.view.layers.push(Layer::LockWarning(holder)),
        LockState::Unavailable(why) => say(
            editor,
            Severity::Warning,
            format!("No lock file ({why}): other vsmaps will not see this one"),
        ),
    }
}

pub(super) fn recovery_offer(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Some(Layer::Recovery {
        map, written_at, ..
    }) = editor.view.layers.last()
    else {
        return None;
    };
    let (recovered, written_at) = (map.as_ref().clone(), *written_at);
    let effect = match action {
        Action::Restore => {
            editor.view.layers.pop();
            let change =
                Change::replace_all(editor.doc.map(), &recovered, "restore recovered edits");
            editor.apply(change);
            let when = crate::io::recovery::format_time(written_at);
            say(
                editor,
                Severity::Note,
                format!("Restored the edits recovered at {when}; Ctrl-s saves them"),
            );
            return None;
        }
        Action::Discard => Some(Effect::DiscardRecovery),
        Action::KeepBoth => Some(Effect::KeepRecoveryAside),
        _ => return None,
    };
    editor.view.layers.pop();
    effect
}

pub(super) fn lock_warning(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => {
            editor.view.layers.pop();
        }
        Action::ToggleReview => {
            editor.view.layers.pop();
            editor.view.review = true;
            editor.view.review_only = true;
            editor.view.show_timeline = true;
        }
        Action::Quit => return Some(Effect::Quit),
        _ => {}
    }
    None
}
