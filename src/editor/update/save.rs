//! Quitting and saving, and a file that changed on disk underneath.

use super::say;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::history::Change;
use crate::editor::input::TextInput;
use crate::editor::state::{Editor, Layer};

pub(super) fn confirm_quit(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::SaveAndQuit => {
            editor.view.layers.pop();
            editor.view.quit_after_save = true;
            Some(Effect::Save)
        }
        Action::DiscardAndQuit => {
            editor.doc.discard();
            Some(Effect::Quit)
        }
        Action::Cancel => {
            editor.view.layers.pop();
            None
        }
        _ => None,
    }
}

pub(super) fn saved(
    editor: &mut Editor,
    result: Result<std::path::PathBuf, String>,
) -> Option<Effect> {
    match result {
        Ok(path) => {
            editor.doc.saved_to(path);
            say(
                editor,
                Severity::Note,
                format!("Saved {}", editor.doc.path().display()),
            );
            editor.view.quit_after_save.then_some(Effect::Quit)
        }
        Err(error) => {
            editor.view.quit_after_save = false;
            say(
                editor,
                Severity::Error,
                format!("Not saved: {error}. Your changes are still here."),
            );
            None
        }
    }
}

/// The file changed underneath: the user chooses what happens to it and to their edits.
pub(super) fn external_change(editor: &mut Editor, action: Action) -> Option<Effect> {
    let effect = match action {
        Action::Reload => Some(Effect::Reload),
        Action::Overwrite => Some(Effect::SaveOverwrite),
        Action::SaveElsewhere => {
            let suggestion = crate::io::recovery::sibling_name(editor.doc.path())
                .with_extension("")
                .with_extension("mine.ron");
            editor.view.layers.pop();
            editor.view.layers.push(Layer::SaveAs(TextInput::new(
                &suggestion.display().to_string(),
            )));
            return None;
        }
        Action::Cancel => {
            editor.view.quit_after_save = false;
            None
        }
        _ => return None,
    };
    editor.view.layers.pop();
    effect
}

/// The file as it is on disk replaces the map, as one change: `u` brings the edits back.
pub(super) fn reloaded(editor: &mut Editor, result: Result<crate::model::map::Map, String>) {
    editor.view.quit_after_save = false;
    match result {
        Ok(map) => {
            let change = Change::replace_all(editor.doc.map(), &map, "reload the file from disk");
            editor.apply(change);
            editor.doc.mark_saved();
            say(
                editor,
                Severity::Note,
                "Reloaded from disk; u brings your edits back",
            );
        }
        Err(error) => say(
            editor,
            Severity::Error,
            format!("Could not reload: {error}"),
        ),
    }
}
