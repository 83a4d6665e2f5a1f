//! Forms: a step's fields and an improvement note, read back field by field.

use super::say;
use crate::check::codes::Severity;
use crate::editor::history::Change;
use crate::editor::state::{Editor, Field, Form, FormKind, Layer, NewStep, Target};
use crate::model::activity::Activity;
use crate::model::map::{Improvement, Step};

pub(super) fn add_improvement(editor: &mut Editor) {
    if editor.view.review && !editor.doc.writable() {
        say(
            editor,
            Severity::Warning,
            "The file is read-only: improvement notes cannot be saved to it",
        );
        return;
    }
    let target = match (editor.view.selected_flow, editor.step_under_cursor()) {
        (Some(flow), _) => Target::Flow(flow),
        (None, Some(step)) => Target::Step(step),
        (None, None) => {
            say(
                editor,
                Severity::Warning,
                "Move onto a step, or select a connection with Tab, to note an improvement there",
            );
            return;
        }
    };
    let empty = Field::IMPROVEMENT.map(|field| (field, String::new()));
    editor.view.layers.push(Layer::Form(Form::new(
        FormKind::Improvement(target),
        empty.into(),
    )));
}

pub(super) fn step_form(editor: &Editor, index: usize) -> Form {
    Form::new(
        FormKind::Step(index),
        step_form_values(
            &editor.doc.map().steps[index],
            editor.doc.map().day_minutes(),
        ),
    )
}

/// What the step form shows for a step, field by field.
pub(super) fn step_form_values(step: &Step, day_minutes: u32) -> Vec<(Field, String)> {
    let time = |m: Option<u32>| {
        m.map(|m| crate::text::minutes(m, day_minutes))
            .unwrap_or_default()
    };
    let number = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
    Field::STEP
        .into_iter()
        .map(|field| {
            let value = match field {
                Field::Label => step.label.to_string(),
                Field::Activity => step.activity.name().to_string(),
                // Lists end with a separator, so what is typed starts a new item.
                Field::Also => step
                    .also
                    .iter()
                    .map(|a| format!("{}, ", a.name()))
                    .collect(),
                Field::Practices => step.practices.iter().map(|p| format!("{p}, ")).collect(),
                Field::ProcessTime => time(step.process_minutes),
                Field::WaitTime => time(step.wait_minutes),
                Field::CompleteAccurate => number(step.complete_accurate_percent.map(u32::from)),
                Field::Notes => step.notes.clone(),
                Field::Improvement | Field::Owner => String::new(),
            };
            (field, value)
        })
        .collect()
}

/// The step a form describes, or what is wrong with it and which field. Only the fields the
/// user changed are read back, so opening the form and pressing Enter changes nothing (a
/// label with spaces at its ends, a practice with a comma in its name).
pub(super) fn read_step_form(
    editor: &Editor,
    index: usize,
    form: &Form,
) -> Result<Step, (Field, String)> {
    let original = &editor.doc.map().steps[index];
    let day = editor.doc.map().day_minutes();
    read_step_fields(original, &step_form_values(original, day), form, day)
}

/// A new step as its form describes it, with a fresh id; or what is wrong and where.
pub(super) fn read_new_step_form(
    editor: &Editor,
    new: NewStep,
    form: &Form,
) -> Result<Step, (Field, String)> {
    let blank = Step::new("", Activity::Demand, "", new.at);
    let mut step = read_step_fields(&blank, &[], form, editor.doc.map().day_minutes())?;
    if step.label.is_empty() {
        step.label = step.activity.name().into();
    }
    step.id = editor
        .doc
        .map()
        .new_step_id(&step.label, step.activity)
        .into();
    Ok(step)
}

/// `original` with the fields that differ from `initial` read from the form (every
/// field when `initial` is empty).
fn read_step_fields(
    original: &Step,
    initial: &[(Field, String)],
    form: &Form,
    day_minutes: u32,
) -> Result<Step, (Field, String)> {
    let changed = |field: Field| {
        initial
            .iter()
            .find(|(f, _)| *f == field)
            .is_none_or(|(_, value)| form.text(field) != value)
    };
    let text = |field: Field| form.text(field).trim();
    let mut step = original.clone();
    if changed(Field::Label) {
        step.label = text(Field::Label).into();
        if step.label.is_empty() && !initial.is_empty() {
            return Err((
                Field::Label,
                "A step needs a label: what happens here, in a few words".into(),
            ));
        }
    }
    if changed(Field::Activity) {
        let name = text(Field::Activity);
        step.activity = Activity::parse(name)
            .ok_or((Field::Activity, format!("\"{name}\" is not an activity")))?;
    }
    if changed(Field::Activity) || changed(Field::Also) {
        let mut also = Vec::new();
        for name in text(Field::Also)
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let activity = Activity::parse(name)
                .ok_or((Field::Also, format!("\"{name}\" is not an activity")))?;
            if activity != step.activity && !also.contains(&activity) {
                also.push(activity);
            }
        }
        step.also = also.into();
    }
    if changed(Field::Practices) {
        step.practices = text(Field::Practices)
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
    }
    let number = |field: Field, what: &str| -> Result<Option<u32>, (Field, String)> {
        // "85%" is how boxes show a percentage; it is typed that way too.
        match text(field).trim_end_matches('%').trim_end() {
            "" => Ok(None),
            t => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| (field, format!("\"{t}\" is not {what}"))),
        }
    };
    let time = |field: Field| match text(field) {
        "" => Ok(None),
        t => crate::text::parse_duration(t, day_minutes)
            .map(Some)
            .map_err(|e| (field, e)),
    };
    if changed(Field::ProcessTime) {
        step.process_minutes = time(Field::ProcessTime)?;
    }
    if changed(Field::WaitTime) {
        step.wait_minutes = time(Field::WaitTime)?;
    }
    if changed(Field::CompleteAccurate) {
        let percent = number(Field::CompleteAccurate, "a percentage from 0 to 100")?;
        step.complete_accurate_percent = match percent {
            Some(p) if p > 100 => {
                return Err((
                    Field::CompleteAccurate,
                    format!("{p} is more than 100 percent"),
                ));
            }
            p => p.map(|p| p as u8),
        };
    }
    if changed(Field::Notes) {
        step.notes = form.text(Field::Notes).to_string();
    }
    Ok(step)
}

/// The change a form asks for (`None` when it changes nothing), or what is wrong and where.
pub(super) fn read_form(editor: &Editor, form: &Form) -> Result<Option<Change>, (Field, String)> {
    let map = editor.doc.map();
    match form.kind {
        FormKind::Step(index) => {
            let step = read_step_form(editor, index, form)?;
            let description = format!("edit step \"{}\"", map.steps[index].label);
            Ok((step != map.steps[index])
                .then(|| Change::replace_step(map, index, step, description)))
        }
        // A new step is added by `add::new_step_form_saved`, which may ask for a link first.
        FormKind::NewStep(_) => Ok(None),
        FormKind::Improvement(target) => {
            let note = read_improvement(form)?;
            Ok(Some(Change::add_improvement(map, target, note)))
        }
        FormKind::EditImprovement(target, index) => {
            let note = read_improvement(form)?;
            let old = match target {
                Target::Step(i) => &map.steps[i].improvements[index],
                Target::Flow(i) => &map.flows[i].improvements[index],
            };
            Ok((note != *old).then(|| Change::replace_improvement(map, target, index, note)))
        }
    }
}

/// An improvement note as its form says, or what is missing.
fn read_improvement(form: &Form) -> Result<Improvement, (Field, String)> {
    let text = form.text(Field::Improvement).trim();
    if text.is_empty() {
        return Err((Field::Improvement, "Say what to improve".into()));
    }
    let owner = Some(form.text(Field::Owner).trim())
        .filter(|o| !o.is_empty())
        .map(String::from);
    Ok(Improvement {
        text: text.into(),
        owner,
    })
}

pub(super) fn save_form(editor: &mut Editor) {
    let Some(Layer::Form(form)) = editor.view.layers.last() else {
        return;
    };
    if let FormKind::NewStep(new) = form.kind {
        return super::add::new_step_form_saved(editor, new);
    }
    match read_form(editor, form) {
        Ok(change) => {
            let improvement = matches!(form.kind, FormKind::Improvement(_));
            let form_kind = form.kind;
            editor.view.layers.pop();
            if let Some(change) = change {
                editor.apply(change);
                if matches!(form_kind, FormKind::EditImprovement(..)) {
                    say(
                        editor,
                        Severity::Note,
                        "Improvement note changed; u brings back the old one",
                    );
                }
                if improvement {
                    let note = if editor.view.review && editor.doc.writable() {
                        " (Ctrl-s saves it to the file)"
                    } else {
                        ""
                    };
                    say(
                        editor,
                        Severity::Note,
                        format!("Improvement note added{note}"),
                    );
                }
            }
        }
        Err((field, error)) => {
            if let Some(Layer::Form(form)) = editor.view.layers.last_mut() {
                form.focus(field);
                form.error = Some(error);
            }
        }
    }
}
