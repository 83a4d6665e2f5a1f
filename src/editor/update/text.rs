//! Popups that take typing: the pickers' filters, labels, the title, forms, save-as.

use super::add;
use super::form::save_form;
use super::pickers::choose_artifact;
use crate::chain::Chain;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::history::Change;
use crate::editor::input::TextInput;
use crate::editor::state::{Editor, Form, FormKind, Layer};
use crate::editor::suggest;

pub(super) fn popup_input(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => {
            // Esc first closes a form's suggestions, then the form.
            if let Some(Layer::Form(form)) = editor.view.layers.last_mut()
                && form.highlight.is_some()
            {
                form.highlight = None;
                return None;
            }
            if let Some(Layer::Form(form)) = editor.view.layers.last() {
                let discarded = match form.kind {
                    FormKind::NewStep(_) => Some("No step added"),
                    FormKind::Step(_) | FormKind::EditImprovement(..) => {
                        form.changed().then_some("Changes discarded")
                    }
                    FormKind::Improvement(_) => form.changed().then_some("Note discarded"),
                };
                editor.view.layers.pop();
                if let Some(text) = discarded {
                    super::say(editor, Severity::Note, text);
                }
                return None;
            }
            if let Some(Layer::ArtifactPicker {
                from,
                to,
                staged: true,
                ..
            }) = editor.view.layers.pop()
            {
                let staged = editor.doc.map().steps.len() - 1;
                add::unstage(editor, if from == staged { to } else { from });
            }
        }
        Action::Confirm => return confirm_popup(editor),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let delta = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            let chain = editor.doc.chain();
            match editor.view.layers.last_mut() {
                Some(Layer::ActivityPicker { picker, .. }) => picker.move_by(delta),
                Some(Layer::ArtifactPicker { picker, .. }) => picker.move_by(delta),
                Some(Layer::Form(form)) => move_in_form(form, chain, delta),
                _ => {}
            }
        }
        Action::NextField | Action::PrevField => match editor.view.layers.last_mut() {
            Some(Layer::Form(form)) => form.cycle_focus(action == Action::NextField),
            Some(Layer::Label { .. }) if action == Action::NextField => add::label_to_form(editor),
            _ => {}
        },
        Action::Type(c) => {
            if let Some(input) = focused_input(editor) {
                input.insert(c);
                refilter(editor);
            }
        }
        edit => {
            if let Some(input) = focused_input(editor) {
                // Edits only ever shorten the text: a picker refilters when it got shorter,
                // and keeps its selection when only the cursor moved.
                let length = input.text().len();
                match edit {
                    Action::Backspace => input.backspace(),
                    Action::DeleteChar => input.delete(),
                    Action::Left => input.left(),
                    Action::Right => input.right(),
                    Action::Home => input.home(),
                    Action::End => input.end(),
                    Action::WordLeft => input.word_left(),
                    Action::WordRight => input.word_right(),
                    Action::DeleteWordBack => input.delete_word_back(),
                    Action::DeleteWordForward => input.delete_word_forward(),
                    Action::DeleteToStart => input.delete_to_start(),
                    Action::DeleteToEnd => input.delete_to_end(),
                    _ => return None,
                }
                if input.text().len() != length {
                    refilter(editor);
                }
            }
        }
    }
    None
}

/// Up and Down in a form: into and through the suggestions while they show (up from the
/// first leaves them), else from field to field.
fn move_in_form(form: &mut Form, chain: &Chain, delta: isize) {
    let count = suggest::suggestions(form, chain).len().min(suggest::SHOWN);
    match form.highlight {
        Some(at) if count > 0 => {
            let next = at as isize + delta;
            form.highlight = (next >= 0).then(|| (next as usize).min(count - 1));
        }
        None if delta > 0 && count > 0 && suggest::shown(form) => form.highlight = Some(0),
        _ => form.cycle_focus(delta > 0),
    }
}

pub(super) fn confirm_popup(editor: &mut Editor) -> Option<Effect> {
    let chain = editor.doc.chain();
    if let Some(Layer::Form(form)) = editor.view.layers.last_mut()
        && let Some(at) = form.highlight
        && !(at == 0 && suggest::complete(form, chain))
        && (suggest::take(form, chain, at) || suggest::finish_item(form))
    {
        return None;
    }
    match editor.view.layers.last() {
        Some(Layer::ActivityPicker { .. }) => add::activity_chosen(editor),
        Some(Layer::Label { .. }) => add::label_given(editor),
        Some(Layer::ArtifactPicker { staged: true, .. }) => add::linked_step_finished(editor),
        Some(Layer::ArtifactPicker { .. }) => choose_artifact(editor),
        Some(Layer::Title(input)) => {
            let title = input.text().trim().to_string();
            editor.view.layers.pop();
            if title != editor.doc.map().title {
                let change = Change::set_title(editor.doc.map(), title);
                editor.apply(change);
            }
        }
        Some(Layer::Form(_)) => save_form(editor),
        Some(Layer::SaveAs(input)) => {
            let path = std::path::PathBuf::from(input.text().trim());
            editor.view.layers.pop();
            if !path.as_os_str().is_empty() {
                return Some(Effect::SaveAs(path));
            }
        }
        _ => {}
    }
    None
}

pub(super) fn focused_input(editor: &mut Editor) -> Option<&mut TextInput> {
    match editor.view.layers.last_mut()? {
        Layer::ActivityPicker { picker, .. } => Some(&mut picker.filter),
        Layer::ArtifactPicker { picker, .. } => Some(&mut picker.filter),
        Layer::Label { input, .. } | Layer::Title(input) | Layer::SaveAs(input) => Some(input),
        Layer::Form(form) => form.focused_input_mut(),
        _ => None,
    }
}

/// After a filter changed, pickers go back to the top of their list; a form field being
/// typed highlights its best suggestion.
pub(super) fn refilter(editor: &mut Editor) {
    match editor.view.layers.last_mut() {
        Some(Layer::Form(form)) => {
            let typing = form.focused_field().is_some_and(|f| {
                suggest::suggests(f) && !suggest::partial(f, form.text(f)).trim().is_empty()
            });
            form.highlight = typing.then_some(0);
        }
        Some(Layer::ActivityPicker { picker, .. }) => picker.refilter(),
        Some(Layer::ArtifactPicker { picker, .. }) => picker.refilter(),
        _ => {}
    }
}
