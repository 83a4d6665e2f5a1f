//! The grid in its normal mode: moving, adding, connecting, editing, deleting, undoing.

use super::add::{add_linked, add_step};
use super::findings::visit_finding;
use super::form::add_improvement;
use super::form::step_form;
use super::keep_cursor_in_view;
use super::pickers::open_artifact_picker;
use super::say;
use super::step_cell;
use crate::check::codes::Severity;
use crate::check::fix::{self, MapEdit};
use crate::editor::action::{Action, Dir, Effect};
use crate::editor::history::{Change, Edit};
use crate::editor::input::TextInput;
use crate::editor::state::{Editor, Focus, Layer, Mode};
use crate::view::boxes::Zoom;
use crate::view::geometry::Geometry;

pub(super) fn grid(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Move(dir) => {
            editor.view.cursor = step_cell(editor.view.cursor, dir);
            editor.view.selected_flow = None;
            keep_cursor_in_view(editor);
        }
        Action::Nudge(dir) => nudge(editor, dir),
        Action::AddStep => add_step(editor),
        Action::AddNext => add_linked(editor, true),
        Action::AddBefore => add_linked(editor, false),
        Action::Connect => match editor.step_under_cursor() {
            Some(from) => {
                editor.view.mode = Mode::Connect { from };
                editor.view.selected_flow = None;
                say(
                    editor,
                    Severity::Note,
                    format!(
                        "Connecting from \"{}\": move to the target step and press Enter",
                        editor.doc.map().steps[from].label
                    ),
                );
            }
            None => say(
                editor,
                Severity::Warning,
                "Move the cursor onto a step to connect it",
            ),
        },
        Action::Edit => edit(editor),
        Action::Delete => delete(editor),
        Action::NextFlow => cycle_flow(editor, 1),
        Action::PrevFlow => cycle_flow(editor, -1),
        Action::MoveStep => match editor.step_under_cursor() {
            Some(step) => {
                editor.view.mode = Mode::Carry {
                    step,
                    origin: editor.view.cursor,
                    by_mouse: false,
                };
                say(
                    editor,
                    Severity::Note,
                    "Carry the step with the arrow keys; Enter puts it down, Esc puts it back",
                );
            }
            None => say(
                editor,
                Severity::Warning,
                "Move the cursor onto a step to move it",
            ),
        },
        Action::Undo => undo_redo(editor, true),
        Action::Redo => undo_redo(editor, false),
        Action::Save => return Some(Effect::Save),
        Action::Quit => {
            if editor.modified() {
                editor.view.layers.push(Layer::ConfirmQuit);
            } else {
                return Some(Effect::Quit);
            }
        }
        Action::Help => editor.view.layers.push(Layer::Help {
            under: editor.context(),
            scroll: 0,
        }),
        Action::NextFinding => visit_finding(editor, 1),
        Action::PrevFinding => visit_finding(editor, -1),
        Action::FocusFindings => {
            if editor.doc.findings().is_empty() {
                say(
                    editor,
                    Severity::Note,
                    "No findings: every connection checks out",
                );
            } else {
                editor.view.focus = Focus::Findings;
                editor.view.finding.get_or_insert(0);
            }
        }
        Action::Inspect => editor.view.layers.push(Layer::Inspector { scroll: 0 }),
        Action::EditTitle => editor
            .view
            .layers
            .push(Layer::Title(TextInput::new(&editor.doc.map().title))),
        Action::Deselect => editor.view.selected_flow = None,
        Action::AddImprovement => add_improvement(editor),
        Action::ShowBacklog => {
            if editor.doc.backlog().is_empty() {
                say(
                    editor,
                    Severity::Note,
                    "No improvement notes yet; + adds one to the step or connection",
                );
            } else {
                editor.view.layers.push(Layer::Backlog { selected: 0 });
            }
        }
        Action::ToggleTimeline => editor.view.show_timeline = !editor.view.show_timeline,
        Action::CycleZoom => {
            let zoom = editor.doc.zoom().next();
            set_zoom(editor, zoom);
        }
        Action::FitZoom => fit_zoom(editor),
        Action::ToggleLegend => {
            editor.view.show_legend = !editor.view.show_legend;
            let text = if editor.view.show_legend {
                "Legend shown: the names of numbered links (L hides it)"
            } else {
                "Legend hidden (L shows it)"
            };
            say(editor, Severity::Note, text);
        }
        Action::ApplyFix(n) => apply_fix(editor, n),
        Action::ToggleReview => {
            editor.view.review = !editor.view.review;
            editor.view.show_timeline = editor.view.review;
            editor.view.selected_flow = None;
            let text = if editor.view.review {
                "Review mode: read-only; metrics, findings and notes in front. R edits again"
            } else {
                "Editing again"
            };
            say(editor, Severity::Note, text);
        }
        _ => {}
    }
    None
}

/// Carries out fix `n` (0 is the first) of the selected connection as one change, so one
/// `u` takes all of it back.
pub(super) fn apply_fix(editor: &mut Editor, n: usize) {
    let Some(flow) = editor.view.selected_flow else {
        say(
            editor,
            Severity::Note,
            "Select a connection with Tab first; the inspector numbers its fixes",
        );
        return;
    };
    let fixes = editor.doc.fixes_of(flow);
    let Some(fix) = fixes.get(n) else {
        let text = match fixes.len() {
            0 => "No fixes offered for this connection".to_string(),
            1 => "This connection has one fix: 1 applies it".to_string(),
            count => format!("This connection has {count} fixes: 1 to {count} apply them"),
        };
        say(editor, Severity::Note, text);
        return;
    };
    let mut map = editor.doc.map().clone();
    let mut edits = Vec::new();
    for edit in fix::edits(editor.doc.chain(), &map, flow, fix) {
        match edit {
            MapEdit::ReplaceFlow(i, new) => {
                let old = std::mem::replace(&mut map.flows[i], new.clone());
                edits.push(Edit::ReplaceFlow(i, old, new));
            }
            MapEdit::InsertFlow(i, new) => {
                map.flows.insert(i, new.clone());
                edits.push(Edit::InsertFlow(i, new));
            }
            MapEdit::InsertStep(i, new) => {
                map.steps.insert(i, new.clone());
                edits.push(Edit::InsertStep(i, new));
            }
        }
    }
    if edits.is_empty() {
        say(
            editor,
            Severity::Warning,
            "This fix no longer applies: the connection's steps are not both in the map",
        );
        return;
    }
    let text = fix.text.clone();
    editor.apply(Change::new(format!("fix: {text}"), edits));
    say(editor, Severity::Note, format!("Applied: {text}; u undoes"));
}

pub(super) fn undo_redo(editor: &mut Editor, undo: bool) {
    let Some((what, focus)) = editor.undo_redo(undo) else {
        say(
            editor,
            Severity::Note,
            if undo {
                "Nothing to undo"
            } else {
                "Nothing to redo"
            },
        );
        return;
    };
    if let Some(cell) = focus {
        editor.view.cursor = cell;
        editor.view.selected_flow = None;
        keep_cursor_in_view(editor);
    }
    say(
        editor,
        Severity::Note,
        format!("{}: {what}", if undo { "Undid" } else { "Redid" }),
    );
}

pub(super) fn nudge(editor: &mut Editor, dir: Dir) {
    let Some(step) = editor.step_under_cursor() else {
        say(
            editor,
            Severity::Warning,
            "Move the cursor onto a step to move it",
        );
        return;
    };
    let target = step_cell(editor.view.cursor, dir);
    if target == editor.view.cursor {
        return;
    }
    if editor.doc.step_at(target).is_some() {
        say(editor, Severity::Warning, "That cell is taken");
        return;
    }
    let change = Change::move_step(editor.doc.map(), step, target);
    editor.apply(change);
    editor.view.cursor = target;
    keep_cursor_in_view(editor);
}

pub(super) fn edit(editor: &mut Editor) {
    if let Some(flow) = editor.view.selected_flow {
        let f = &editor.doc.map().flows[flow];
        match (editor.doc.step_index(&f.from), editor.doc.step_index(&f.to)) {
            (Some(from), Some(to)) => open_artifact_picker(editor, from, to, Some(flow)),
            _ => say(
                editor,
                Severity::Warning,
                "This connection names a step that is not in the map; delete it with d",
            ),
        }
    } else if let Some(step) = editor.step_under_cursor() {
        editor
            .view
            .layers
            .push(Layer::Form(step_form(editor, step)));
    } else {
        add_step(editor);
    }
}

pub(super) fn delete(editor: &mut Editor) {
    let map = editor.doc.map();
    if let Some(flow) = editor.view.selected_flow {
        let f = &map.flows[flow];
        let what = format!(
            "the connection from \"{}\" to \"{}\"{}",
            editor.doc.step_name(&f.from),
            editor.doc.step_name(&f.to),
            with_notes(usize::from(!f.notes.is_empty()) + f.improvements.len(), "")
        );
        let change = Change::delete_flow(map, flow);
        editor.view.selected_flow = None;
        editor.apply(change);
        say(
            editor,
            Severity::Note,
            format!("Deleted {what}; u brings it back"),
        );
    } else if let Some(step) = editor.step_under_cursor() {
        let s = &map.steps[step];
        let flows = editor.doc.flows_of(step);
        let notes = usize::from(!s.notes.is_empty())
            + s.improvements.len()
            + flows
                .iter()
                .map(|&f| {
                    usize::from(!map.flows[f].notes.is_empty()) + map.flows[f].improvements.len()
                })
                .sum::<usize>();
        let links = match flows.len() {
            0 => String::new(),
            1 => " and its connection".to_string(),
            n => format!(" and its {n} connections"),
        };
        let what = format!(
            "step \"{}\"{links}{}",
            s.label,
            with_notes(notes, if links.is_empty() { "" } else { "," })
        );
        let back = if links.is_empty() && notes == 0 {
            "it"
        } else {
            "them"
        };
        let change = Change::delete_step(map, step);
        editor.apply(change);
        say(
            editor,
            Severity::Note,
            format!("Deleted {what}; u brings {back} back"),
        );
    } else {
        say(editor, Severity::Note, "Nothing here to delete");
    }
}

/// " with 2 notes" for what a deletion took along; empty for none.
fn with_notes(notes: usize, joiner: &str) -> String {
    match notes {
        0 => String::new(),
        n => format!("{joiner} with {}", crate::text::plural(n, "note", "notes")),
    }
}

pub(super) fn cycle_flow(editor: &mut Editor, delta: isize) {
    let flows = match editor.step_under_cursor() {
        Some(step) => editor.doc.flows_of(step),
        None => Vec::new(),
    };
    if flows.is_empty() {
        say(
            editor,
            Severity::Note,
            "No connections here; Tab selects the connections of the step under the cursor",
        );
        return;
    }
    let next = match editor
        .view
        .selected_flow
        .and_then(|f| flows.iter().position(|&x| x == f))
    {
        Some(i) => (i as isize + delta).rem_euclid(flows.len() as isize) as usize,
        None if delta > 0 => 0,
        None => flows.len() - 1,
    };
    editor.view.selected_flow = Some(flows[next]);
}

/// Lays the map out at another zoom level; the cursor stays on its cell (and so on its
/// step), scrolled into view.
fn set_zoom(editor: &mut Editor, zoom: Zoom) {
    editor.doc.set_zoom(zoom);
    keep_cursor_in_view(editor);
    say(
        editor,
        Severity::Note,
        format!("Zoom: {} (z changes it, Z fits the map)", zoom.name()),
    );
}

/// The largest zoom level at which the whole map fits the grid's window, from the top left.
fn fit_zoom(editor: &mut Editor) {
    let fits = |zoom: Zoom| {
        // At overview every link carries a number, so the legend (when shown) takes its
        // share of the window.
        let legend = zoom == Zoom::Overview || editor.doc.canvas().has_numbers();
        let grid = editor.view.layout(legend).grid;
        let (width, height) = Geometry::new(editor.doc.map(), zoom).extent(editor.doc.map());
        width <= i32::from(grid.width) && height <= i32::from(grid.height)
    };
    let zoom = [Zoom::Detail, Zoom::Normal, Zoom::Overview]
        .into_iter()
        .find(|&z| fits(z));
    editor.doc.set_zoom(zoom.unwrap_or(Zoom::Overview));
    editor.view.scroll = crate::model::map::Cell::new(0, 0);
    keep_cursor_in_view(editor);
    let text = match zoom {
        Some(zoom) => format!("Zoom: {}, the whole map fits the window", zoom.name()),
        None if editor.view.show_legend => {
            "Zoom: overview; the map is larger than the window even so (L hides the legend)"
                .to_string()
        }
        None => "Zoom: overview; the map is larger than the window even so".to_string(),
    };
    say(editor, Severity::Note, text);
}
