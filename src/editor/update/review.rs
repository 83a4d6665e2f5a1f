//! Review mode: read-only; the keys that would edit the map say so instead.

use super::grid::grid;
use super::say;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::state::Editor;

/// In review mode the keys that would edit the map say so instead.
pub(super) fn review(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Save if !editor.doc.writable() => {
            say(
                editor,
                Severity::Warning,
                "The file is read-only; nothing to save",
            );
            None
        }
        Action::Save if !editor.modified() => {
            say(
                editor,
                Severity::Note,
                "Nothing to save: review mode changes only improvement notes",
            );
            None
        }
        Action::ToggleReview if editor.view.review_only => {
            say(
                editor,
                Severity::Note,
                "Opened with `vsmap review`: this session is read-only",
            );
            None
        }
        Action::Move(_)
        | Action::NextFlow
        | Action::PrevFlow
        | Action::AddImprovement
        | Action::ShowBacklog
        | Action::NextFinding
        | Action::PrevFinding
        | Action::FocusFindings
        | Action::Inspect
        | Action::ToggleTimeline
        | Action::CycleZoom
        | Action::FitZoom
        | Action::ToggleLegend
        | Action::ToggleReview
        | Action::Deselect
        | Action::Save
        | Action::Quit
        | Action::Help => grid(editor, action),
        _ => {
            say(
                editor,
                Severity::Warning,
                "Review mode: the map is read-only. + adds an improvement note",
            );
            None
        }
    }
}
