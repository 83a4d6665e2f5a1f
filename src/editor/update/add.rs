//! Adding steps: `a` on an empty cell, and `o` / `O` beside a step, linked to it. A new
//! step is chosen (activity), named (label, or every field in the form), then for `o` and
//! `O` its link gets an artifact. Until that last choice nothing is recorded, so Esc at any
//! stage leaves no half-made step.

use super::form::{read_new_step_form, step_form_values};
use super::keep_cursor_in_view;
use super::pickers::{chosen_artifact, open_artifact_picker};
use super::say;
use crate::check;
use crate::check::codes::Severity;
use crate::editor::history::{Change, Edit};
use crate::editor::input::TextInput;
use crate::editor::picker::{Item, Mark, Picker};
use crate::editor::state::{Editor, Field, Form, FormKind, Layer, Link, NewStep};
use crate::model::activity::Activity;
use crate::model::map::{Cell, Flow, Step};

/// `a`: a step on the empty cell under the cursor, linked to nothing.
pub(super) fn add_step(editor: &mut Editor) {
    if editor.step_under_cursor().is_some() {
        say(
            editor,
            Severity::Warning,
            "This cell has a step; move to an empty cell to add one (o adds one linked after it)",
        );
        return;
    }
    let new = NewStep {
        at: editor.view.cursor,
        link: None,
    };
    open_activity_picker(editor, new);
}

/// `o` (`outgoing`) or `O`: a step in the next free cell to the right (left) of the step
/// under the cursor, linked from it (into it).
pub(super) fn add_linked(editor: &mut Editor, outgoing: bool) {
    let Some(step) = editor.step_under_cursor() else {
        say(
            editor,
            Severity::Warning,
            "Move onto a step first: o adds the next step after it, O the one before it",
        );
        return;
    };
    let Some(at) = free_cell_beside(editor, step, outgoing) else {
        say(
            editor,
            Severity::Warning,
            "No column to the left of this step: move it right first (m), then O",
        );
        return;
    };
    let new = NewStep {
        at,
        link: Some(Link { step, outgoing }),
    };
    open_activity_picker(editor, new);
}

/// The cell next to `step` on its side, or the first free one below it in that column.
fn free_cell_beside(editor: &Editor, step: usize, outgoing: bool) -> Option<Cell> {
    let at = editor.doc.map().steps[step].at;
    let col = if outgoing {
        at.col.checked_add(1)?
    } else {
        at.col.checked_sub(1)?
    };
    (at.row..=u16::MAX)
        .map(|row| Cell::new(col, row))
        .find(|&cell| editor.doc.step_at(cell).is_none())
}

/// The activity picker. For a linked step, the activities the chain sends something to
/// (or from) the linked step's activities come first, marked canonical.
fn open_activity_picker(editor: &mut Editor, new: NewStep) {
    let chain = editor.doc.chain();
    let linked = |activity: Activity| {
        new.link.is_some_and(|link| {
            let anchor = &editor.doc.map().steps[link.step];
            let other = Step::new("", activity, "", new.at);
            let (from, to) = if link.outgoing {
                (anchor, &other)
            } else {
                (&other, anchor)
            };
            !check::canonical_artifacts(chain, from, to).is_empty()
        })
    };
    let (mut first, mut rest): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for activity in Activity::ALL {
        let canonical = linked(activity);
        let item = Item {
            value: activity,
            mark: if canonical {
                Mark::Canonical
            } else {
                Mark::None
            },
            title: format!("{} {}", activity.tag(), activity.name()),
            detail: editor.doc.purpose(activity),
        };
        if canonical { &mut first } else { &mut rest }.push(item);
    }
    first.append(&mut rest);
    editor.view.layers.push(Layer::ActivityPicker {
        new,
        picker: Picker::new(first),
    });
}

/// Enter in the activity picker: on to the label.
pub(super) fn activity_chosen(editor: &mut Editor) {
    let Some(Layer::ActivityPicker { new, picker }) = editor.view.layers.last() else {
        return;
    };
    let Some(activity) = picker.chosen().map(|item| item.value) else {
        return;
    };
    let new = *new;
    editor.view.layers.pop();
    editor.view.layers.push(Layer::Label {
        new,
        activity,
        input: TextInput::default(),
    });
}

/// Enter on the label: the step with that label (the activity's name when empty).
pub(super) fn label_given(editor: &mut Editor) {
    let Some(Layer::Label {
        new,
        activity,
        input,
    }) = editor.view.layers.last()
    else {
        return;
    };
    let (new, activity) = (*new, *activity);
    let label = match input.text().trim() {
        "" => activity.name().to_string(),
        text => text.to_string(),
    };
    editor.view.layers.pop();
    let step = Step::new(
        editor.doc.map().new_step_id(&label, activity),
        activity,
        label,
        new.at,
    );
    step_made(editor, new, step);
}

/// Tab on the label: every field of the new step, in the form, the label kept and the
/// keys on the first field the picker and the label did not fill.
pub(super) fn label_to_form(editor: &mut Editor) {
    let Some(Layer::Label {
        new,
        activity,
        input,
    }) = editor.view.layers.last()
    else {
        return;
    };
    let (new, label) = (*new, input.text().to_string());
    let step = Step::new("", *activity, label, new.at);
    editor.view.layers.pop();
    let mut form = Form::new(
        FormKind::NewStep(new),
        step_form_values(&step, editor.doc.map().day_minutes()),
    );
    form.focus(Field::Practices);
    editor.view.layers.push(Layer::Form(form));
}

/// Enter in a new step's form: the step as the form says, or the form stays with the error.
pub(super) fn new_step_form_saved(editor: &mut Editor, new: NewStep) {
    let Some(Layer::Form(form)) = editor.view.layers.last() else {
        return;
    };
    match read_new_step_form(editor, new, form) {
        Ok(step) => {
            editor.view.layers.pop();
            step_made(editor, new, step);
        }
        Err((field, error)) => {
            if let Some(Layer::Form(form)) = editor.view.layers.last_mut() {
                form.focus(field);
                form.error = Some(error);
            }
        }
    }
}

/// A step is fully described: add it, or for a linked one show it and ask for the
/// link's artifact first.
fn step_made(editor: &mut Editor, new: NewStep, step: Step) {
    let Some(link) = new.link else {
        let change = Change::add_step(editor.doc.map(), step);
        editor.apply(change);
        editor.view.cursor = new.at;
        keep_cursor_in_view(editor);
        return;
    };
    editor.stage(step);
    let staged = editor.doc.map().steps.len() - 1;
    let (from, to) = if link.outgoing {
        (link.step, staged)
    } else {
        (staged, link.step)
    };
    editor.view.cursor = new.at;
    keep_cursor_in_view(editor);
    open_artifact_picker(editor, from, to, None);
    if let Some(Layer::ArtifactPicker { staged, .. }) = editor.view.layers.last_mut() {
        *staged = true;
    }
}

/// Enter in the artifact picker of a staged step: the step and its link become one change.
pub(super) fn linked_step_finished(editor: &mut Editor) {
    let Some(Layer::ArtifactPicker { from, to, .. }) = editor.view.layers.last() else {
        return;
    };
    let (from, to) = (*from, *to);
    let Some(artifact) = chosen_artifact(editor) else {
        return;
    };
    editor.view.layers.pop();
    let map = editor.doc.map();
    let staged = map.steps.len() - 1;
    let anchor = if from == staged { to } else { from };
    let step = map.steps[staged].clone();
    let flow = Flow::new(
        map.steps[from].id.clone(),
        map.steps[to].id.clone(),
        artifact,
    );
    let description = format!(
        "add step \"{}\" linked {} \"{}\"",
        step.label,
        if to == staged { "from" } else { "into" },
        map.steps[anchor].label
    );
    editor.unstage();
    let edits = vec![
        Edit::InsertStep(staged, step.clone()),
        Edit::InsertFlow(editor.doc.map().flows.len(), flow),
    ];
    editor.apply(Change::new(description, edits));
    editor.view.cursor = step.at;
    let flow = editor.doc.map().flows.len() - 1;
    // The step is what the facilitator names next (e, d, + act on it), not its link.
    editor.view.selected_flow = None;
    let verdict = editor.doc.verdict(flow);
    let severity = if verdict.is_error() {
        Severity::Error
    } else {
        Severity::Note
    };
    say(
        editor,
        severity,
        format!(
            "Added \"{}\"; its link is {} (o adds the next step)",
            step.label,
            verdict.as_str()
        ),
    );
}

/// Esc in the artifact picker of a staged step: the step goes; the cursor goes back.
pub(super) fn unstage(editor: &mut Editor, anchor: usize) {
    editor.unstage();
    editor.view.cursor = editor.doc.map().steps[anchor].at;
    editor.view.selected_flow = None;
    keep_cursor_in_view(editor);
    say(editor, Severity::Note, "No step added");
}
