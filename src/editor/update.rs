//! `update`: the one function that changes the editor. Keys become actions through the
//! binding tables; each action changes the state and may ask the edge for an effect.

use super::action::{Action, Dir, Effect, Mouse, MouseKind};
use super::history::{Change, Edit};
use super::input::TextInput;
use super::keys::{self, Context};
use super::picker::{Item, Mark, Picker};
use super::state::{
    ArtifactChoice, Editor, Focus, Form, FormField, FormKind, Layer, Message, Mode, Target,
};
use crate::check::codes::Severity;
use crate::check::{self, shares_activity};
use crate::model::activity::Activity;
use crate::model::map::{Cell, Flow, Improvement, Step};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key press, through the table of the current context.
pub fn handle_key(editor: &mut Editor, key: KeyEvent) -> Option<Effect> {
    update(editor, Action::Key(key))
}

pub fn update(editor: &mut Editor, action: Action) -> Option<Effect> {
    let effect = dispatch(editor, action);
    // Whatever came into view (a scroll, a resize, a jump) is drawn connected.
    editor.ensure_routes();
    effect
}

fn dispatch(editor: &mut Editor, action: Action) -> Option<Effect> {
    if let Action::Key(key) = action {
        // Esc and the next key arriving together (a fast typist over SSH, tmux send-keys)
        // read as Alt+key. No binding uses Alt, so take it for what was typed.
        if key.modifiers.contains(KeyModifiers::ALT)
            && keys::action_for(editor.context(), key).is_none()
        {
            let plain = KeyEvent::new(key.code, key.modifiers.difference(KeyModifiers::ALT));
            return update(
                editor,
                Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            )
            .or_else(|| update(editor, Action::Key(plain)));
        }
        let context = editor.context();
        return match keys::action_for(context, key) {
            Some(action) => update(editor, action),
            // An editing key in review mode says why it does nothing.
            None if context == Context::Review
                && keys::action_for(Context::Grid, key).is_some() =>
            {
                editor.message = None;
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
            | Action::Saved(_)
            | Action::ExternalChange
            | Action::Reloaded(_)
            | Action::KeptAside(_)
    ) {
        editor.message = None;
    }
    match action {
        Action::Resize(width, height) => {
            editor.screen = (width, height);
            keep_cursor_in_view(editor);
            None
        }
        Action::Saved(result) => saved(editor, result),
        Action::ExternalChange => {
            editor.layers.push(Layer::ExternalChange);
            None
        }
        Action::Reloaded(result) => {
            reloaded(editor, result);
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
        Action::Mouse(mouse) => {
            mouse_event(editor, mouse);
            None
        }
        Action::Paste(text) => {
            if let Some(input) = focused_input(editor) {
                input.insert_str(&text);
                refilter(editor);
            }
            None
        }
        action => match editor.context() {
            Context::Grid => grid(editor, action),
            Context::Review => review(editor, action),
            Context::Backlog => backlog(editor, action),
            Context::Connect => connect(editor, action),
            Context::Carry => carry(editor, action),
            Context::Findings => findings(editor, action),
            Context::Picker | Context::Text | Context::Form => popup_input(editor, action),
            Context::Help | Context::Inspector => {
                scroll_popup(editor, action);
                None
            }
            Context::ConfirmQuit => confirm_quit(editor, action),
            Context::ExternalChange => external_change(editor, action),
            Context::Recovery => recovery_offer(editor, action),
            Context::LockWarning => lock_warning(editor, action),
            Context::Broken => (action == Action::Quit).then_some(Effect::Quit),
        },
    }
}

fn say(editor: &mut Editor, severity: Severity, text: impl Into<String>) {
    editor.message = Some(Message {
        text: text.into(),
        severity,
    });
}

/// Applies a change through the history and brings everything derived up to date.
fn apply(editor: &mut Editor, change: Change) {
    let edits = change.applied_edits(false);
    editor.history.apply(&mut editor.map, change);
    editor.changed(&edits);
}

// ---- The grid ---------------------------------------------------------------------------

fn grid(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Move(dir) => {
            editor.cursor = step_cell(editor.cursor, dir);
            editor.selected_flow = None;
            keep_cursor_in_view(editor);
        }
        Action::Nudge(dir) => nudge(editor, dir),
        Action::AddStep => add_step(editor),
        Action::Connect => match editor.step_under_cursor() {
            Some(from) => {
                editor.mode = Mode::Connect { from };
                editor.selected_flow = None;
                say(
                    editor,
                    Severity::Note,
                    format!(
                        "Connecting from \"{}\": move to the target step and press Enter",
                        editor.map.steps[from].label
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
                editor.mode = Mode::Carry {
                    step,
                    origin: editor.cursor,
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
                editor.layers.push(Layer::ConfirmQuit);
            } else {
                return Some(Effect::Quit);
            }
        }
        Action::Help => editor.layers.push(Layer::Help {
            under: editor.context(),
            scroll: 0,
        }),
        Action::NextFinding => visit_finding(editor, 1),
        Action::PrevFinding => visit_finding(editor, -1),
        Action::FocusFindings => {
            if editor.findings.is_empty() {
                say(
                    editor,
                    Severity::Note,
                    "No findings: every connection checks out",
                );
            } else {
                editor.focus = Focus::Findings;
                editor.finding.get_or_insert(0);
            }
        }
        Action::Inspect => editor.layers.push(Layer::Inspector { scroll: 0 }),
        Action::EditTitle => editor
            .layers
            .push(Layer::Title(TextInput::new(&editor.map.title))),
        Action::Deselect => editor.selected_flow = None,
        Action::AddImprovement => add_improvement(editor),
        Action::ShowBacklog => {
            if editor.backlog().is_empty() {
                say(
                    editor,
                    Severity::Note,
                    "No improvement notes yet; + adds one to the step or connection",
                );
            } else {
                editor.layers.push(Layer::Backlog { selected: 0 });
            }
        }
        Action::ToggleTimeline => editor.show_timeline = !editor.show_timeline,
        Action::ToggleReview => {
            editor.review = !editor.review;
            editor.show_timeline = editor.review;
            editor.selected_flow = None;
            let text = if editor.review {
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

fn undo_redo(editor: &mut Editor, undo: bool) {
    let change = if undo {
        editor.history.undo(&mut editor.map)
    } else {
        editor.history.redo(&mut editor.map)
    };
    let Some(change) =
        change.map(|c| (c.description.clone(), c.focus(undo), c.applied_edits(undo)))
    else {
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
    let (what, focus, edits) = change;
    editor.changed(&edits);
    if let Some(cell) = focus {
        editor.cursor = cell;
        editor.selected_flow = None;
        keep_cursor_in_view(editor);
    }
    say(
        editor,
        Severity::Note,
        format!("{}: {what}", if undo { "Undid" } else { "Redid" }),
    );
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
    let (cols, rows) = editor
        .canvas
        .geometry
        .cells_in(editor.scroll, grid.width, grid.height);
    let scroll = &mut editor.scroll;
    if editor.cursor.col < scroll.col {
        scroll.col = editor.cursor.col;
    } else if editor.cursor.col >= scroll.col.saturating_add(cols) {
        scroll.col = editor.cursor.col - cols + 1;
    }
    if editor.cursor.row < scroll.row {
        scroll.row = editor.cursor.row;
    } else if editor.cursor.row >= scroll.row.saturating_add(rows) {
        scroll.row = editor.cursor.row - rows + 1;
    }
}

fn nudge(editor: &mut Editor, dir: Dir) {
    let Some(step) = editor.step_under_cursor() else {
        say(
            editor,
            Severity::Warning,
            "Move the cursor onto a step to move it",
        );
        return;
    };
    let target = step_cell(editor.cursor, dir);
    if target == editor.cursor {
        return;
    }
    if editor.step_at(target).is_some() {
        say(editor, Severity::Warning, "That cell is taken");
        return;
    }
    let change = Change::move_step(&editor.map, step, target);
    apply(editor, change);
    editor.cursor = target;
    keep_cursor_in_view(editor);
}

fn add_step(editor: &mut Editor) {
    if editor.step_under_cursor().is_some() {
        say(
            editor,
            Severity::Warning,
            "This cell has a step; move to an empty cell to add one",
        );
        return;
    }
    let items = Activity::ALL
        .into_iter()
        .map(|activity| Item {
            value: activity,
            mark: Mark::None,
            title: format!("{} {}", activity.tag(), activity.name()),
            detail: purpose(editor, activity),
        })
        .collect();
    editor.layers.push(Layer::ActivityPicker {
        at: editor.cursor,
        picker: Picker::new(items),
    });
}

/// An activity's purpose from the chain (the ends have theirs too).
pub fn purpose(editor: &Editor, activity: Activity) -> String {
    match activity {
        Activity::Demand => editor.chain.file.demand.purpose.clone(),
        Activity::Value => editor.chain.file.value.purpose.clone(),
        a => editor
            .chain
            .activity(a)
            .map(|d| d.purpose.clone())
            .unwrap_or_default(),
    }
}

fn edit(editor: &mut Editor) {
    if let Some(flow) = editor.selected_flow {
        let f = &editor.map.flows[flow];
        match (editor.step_index(&f.from), editor.step_index(&f.to)) {
            (Some(from), Some(to)) => open_artifact_picker(editor, from, to, Some(flow)),
            _ => say(
                editor,
                Severity::Warning,
                "This connection names a step that is not in the map; delete it with d",
            ),
        }
    } else if let Some(step) = editor.step_under_cursor() {
        editor.layers.push(Layer::Form(step_form(editor, step)));
    } else {
        add_step(editor);
    }
}

fn delete(editor: &mut Editor) {
    if let Some(flow) = editor.selected_flow {
        let change = Change::delete_flow(&editor.map, flow);
        let what = change.description.clone();
        editor.selected_flow = None;
        apply(editor, change);
        say(editor, Severity::Note, format!("Deleted {what}; u undoes"));
    } else if let Some(step) = editor.step_under_cursor() {
        let change = Change::delete_step(&editor.map, step);
        let what = change.description.clone();
        apply(editor, change);
        say(editor, Severity::Note, format!("Deleted {what}; u undoes"));
    } else {
        say(editor, Severity::Note, "Nothing here to delete");
    }
}

fn cycle_flow(editor: &mut Editor, delta: isize) {
    let flows = match editor.step_under_cursor() {
        Some(step) => editor.flows_of(step),
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
        .selected_flow
        .and_then(|f| flows.iter().position(|&x| x == f))
    {
        Some(i) => (i as isize + delta).rem_euclid(flows.len() as isize) as usize,
        None if delta > 0 => 0,
        None => flows.len() - 1,
    };
    editor.selected_flow = Some(flows[next]);
}

fn visit_finding(editor: &mut Editor, delta: isize) {
    let count = editor.findings.len() as isize;
    if count == 0 {
        say(
            editor,
            Severity::Note,
            "No findings: every connection checks out",
        );
        return;
    }
    let next = match editor.finding {
        Some(i) => (i as isize + delta).rem_euclid(count),
        None if delta > 0 => 0,
        None => count - 1,
    };
    editor.finding = Some(next as usize);
    jump_to_finding(editor);
}

fn jump_to_finding(editor: &mut Editor) {
    let Some(position) = editor.finding else {
        return;
    };
    let Some(&index) = editor.findings.get(position) else {
        return;
    };
    let (step, flow) = editor.subject_place(editor.report.diagnostics[index].subject);
    if let Some(step) = step {
        editor.cursor = editor.map.steps[step].at;
        keep_cursor_in_view(editor);
    }
    editor.selected_flow = flow;
    let diagnostic = &editor.report.diagnostics[index];
    let text = format!(
        "{}/{} {}[{}]: {}",
        position + 1,
        editor.findings.len(),
        diagnostic.severity().as_str(),
        diagnostic.code.as_str(),
        diagnostic.message
    );
    let severity = diagnostic.severity();
    say(editor, severity, text);
}

// ---- Modes --------------------------------------------------------------------------

fn connect(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Connect { from } = editor.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            editor.cursor = step_cell(editor.cursor, dir);
            keep_cursor_in_view(editor);
            say(editor, Severity::Note, connect_prompt(editor, from));
        }
        Action::Confirm => match editor.step_under_cursor() {
            Some(to) if to != from => {
                editor.mode = Mode::Normal;
                open_artifact_picker(editor, from, to, None);
            }
            Some(_) => say(
                editor,
                Severity::Warning,
                "A step cannot connect to itself; move to another step",
            ),
            None => say(
                editor,
                Severity::Warning,
                "Move the cursor onto the target step, then press Enter",
            ),
        },
        Action::Cancel => editor.mode = Mode::Normal,
        Action::Help => editor.layers.push(Layer::Help {
            under: Context::Connect,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

fn connect_prompt(editor: &Editor, from: usize) -> String {
    let source = &editor.map.steps[from].label;
    match editor.step_under_cursor() {
        Some(to) if to != from => format!(
            "Connect \"{source}\" to \"{}\"? Enter",
            editor.map.steps[to].label
        ),
        _ => format!("Connecting from \"{source}\": move to the target step and press Enter"),
    }
}

fn carry(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Carry { step, origin, .. } = editor.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            let target = step_cell(editor.cursor, dir);
            if editor.step_at(target).is_some_and(|s| s != step) {
                say(editor, Severity::Warning, "That cell is taken");
            } else {
                carry_to(editor, step, target);
            }
        }
        Action::Confirm => put_down(editor, step, origin),
        Action::Cancel => {
            carry_to(editor, step, origin);
            editor.mode = Mode::Normal;
        }
        Action::Help => editor.layers.push(Layer::Help {
            under: Context::Carry,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

/// Moves a carried step for the eye only; `put_down` records the move as one change.
fn carry_to(editor: &mut Editor, step: usize, target: Cell) {
    let old = editor.map.steps[step].clone();
    editor.map.steps[step].at = target;
    let moved = Edit::ReplaceStep(step, old, editor.map.steps[step].clone());
    editor.changed(&[moved]);
    editor.cursor = target;
    keep_cursor_in_view(editor);
}

fn put_down(editor: &mut Editor, step: usize, origin: Cell) {
    editor.mode = Mode::Normal;
    let target = editor.map.steps[step].at;
    if target == origin {
        return;
    }
    editor.map.steps[step].at = origin;
    let change = Change::move_step(&editor.map, step, target);
    apply(editor, change);
}

fn findings(editor: &mut Editor, action: Action) -> Option<Effect> {
    let count = editor.findings.len();
    match action {
        Action::Up => editor.finding = Some(editor.finding.unwrap_or(0).saturating_sub(1)),
        Action::Down => {
            editor.finding = Some(
                editor
                    .finding
                    .map_or(0, |i| i + 1)
                    .min(count.saturating_sub(1)),
            )
        }
        Action::Confirm => {
            editor.focus = Focus::Grid;
            jump_to_finding(editor);
        }
        Action::Cancel => editor.focus = Focus::Grid,
        Action::Help => editor.layers.push(Layer::Help {
            under: Context::Findings,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

// ---- The artifact picker -------------------------------------------------------------

fn open_artifact_picker(editor: &mut Editor, from: usize, to: usize, flow: Option<usize>) {
    let chain = &editor.chain;
    let (source, target) = (&editor.map.steps[from], &editor.map.steps[to]);
    let mut items = Vec::new();
    if shares_activity(source, target) {
        items.push(Item {
            value: ArtifactChoice::None,
            mark: Mark::Handoff,
            title: "handoff (no artifact)".into(),
            detail: format!(
                "both steps are {}: work moves inside the activity",
                shared_activity_name(source, target)
            ),
        });
    }
    let canonical = check::canonical_artifacts(chain, source, target);
    for &artifact in &canonical {
        let detail = seed_behind(editor, from, to, artifact);
        items.push(Item {
            value: ArtifactChoice::Known(artifact),
            mark: Mark::Canonical,
            title: chain.artifact_name(artifact).into(),
            detail,
        });
    }
    let mut others: Vec<usize> = (0..chain.artifact_count())
        .filter(|a| !canonical.contains(a))
        .collect();
    others.sort_by_key(|&a| chain.artifact_name(a).to_lowercase());
    for artifact in others {
        items.push(Item {
            value: ArtifactChoice::Known(artifact),
            mark: Mark::OffChain,
            title: chain.artifact_name(artifact).into(),
            detail: format!("off-chain here: {}", check::routes_help(chain, artifact)),
        });
    }
    let mut picker = Picker::new(items);
    // When changing an existing connection, start on its current artifact.
    if let Some(current) = flow
        .and_then(|f| editor.map.flows[f].artifact.as_deref())
        .and_then(|a| chain.resolve(a))
    {
        picker.selected = picker
            .visible()
            .iter()
            .position(|&i| picker.items[i].value == ArtifactChoice::Known(current))
            .unwrap_or(0);
    }
    editor.layers.push(Layer::ArtifactPicker {
        from,
        to,
        flow,
        picker,
    });
}

fn shared_activity_name(a: &Step, b: &Step) -> &'static str {
    check::kinds(a)
        .find(|k| !k.is_end() && check::kinds(b).any(|x| x == *k))
        .map_or("", Activity::name)
}

/// The seed line that makes an artifact canonical between two steps.
fn seed_behind(editor: &Editor, from: usize, to: usize, artifact: usize) -> String {
    let chain = &editor.chain;
    let sources = check::source_nodes(chain, &editor.map.steps[from]);
    let targets = check::target_nodes(chain, &editor.map.steps[to]);
    sources
        .iter()
        .flat_map(|&s| targets.iter().map(move |&t| (s, t)))
        .find_map(|(s, t)| chain.flow(artifact, s, t))
        .and_then(|f| f.stated_by.first())
        .map(|&line| chain.quote(line))
        .unwrap_or_default()
}

fn choose_artifact(editor: &mut Editor) {
    let Some(Layer::ArtifactPicker {
        from,
        to,
        flow,
        picker,
    }) = editor.layers.last()
    else {
        return;
    };
    let (from, to, flow) = (*from, *to, *flow);
    let typed = picker.filter.text().trim().to_string();
    let artifact = match picker.chosen().map(|i| i.value) {
        Some(ArtifactChoice::Known(a)) => Some(editor.chain.artifact_name(a).to_string()),
        Some(ArtifactChoice::None) => None,
        // Nothing matches: the typed name is taken as it is (the checker will call it unknown).
        None if !typed.is_empty() => Some(typed),
        None => return,
    };
    editor.layers.pop();
    let (from_id, to_id) = (
        editor.map.steps[from].id.clone(),
        editor.map.steps[to].id.clone(),
    );
    match flow {
        Some(index) => {
            let mut changed = editor.map.flows[index].clone();
            changed.artifact = artifact;
            let change = Change::replace_flow(
                &editor.map,
                index,
                changed,
                format!("change the artifact from \"{from_id}\" to \"{to_id}\""),
            );
            apply(editor, change);
            editor.selected_flow = Some(index);
        }
        None => {
            let new = Flow::new(from_id, to_id, artifact);
            let change = Change::add_flow(&editor.map, new);
            apply(editor, change);
            editor.selected_flow = Some(editor.map.flows.len() - 1);
            editor.cursor = editor.map.steps[to].at;
        }
    }
    if let Some(index) = editor.selected_flow {
        let verdict = editor.report.verdicts[index];
        let severity = if verdict.is_error() {
            Severity::Error
        } else {
            Severity::Note
        };
        say(
            editor,
            severity,
            format!("Connection is {}", verdict.as_str()),
        );
    }
}

// ---- Popups with text -----------------------------------------------------------------

fn focused_input(editor: &mut Editor) -> Option<&mut TextInput> {
    match editor.layers.last_mut()? {
        Layer::ActivityPicker { picker, .. } => Some(&mut picker.filter),
        Layer::ArtifactPicker { picker, .. } => Some(&mut picker.filter),
        Layer::Label { input, .. } | Layer::Title(input) => Some(input),
        Layer::Form(form) => Some(&mut form.fields[form.focused].input),
        _ => None,
    }
}

/// After a filter changed, pickers go back to the top of their list.
fn refilter(editor: &mut Editor) {
    match editor.layers.last_mut() {
        Some(Layer::ActivityPicker { picker, .. }) => picker.refilter(),
        Some(Layer::ArtifactPicker { picker, .. }) => picker.refilter(),
        _ => {}
    }
}

fn popup_input(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => {
            editor.layers.pop();
        }
        Action::Confirm => return confirm_popup(editor),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let delta = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            match editor.layers.last_mut() {
                Some(Layer::ActivityPicker { picker, .. }) => picker.move_by(delta),
                Some(Layer::ArtifactPicker { picker, .. }) => picker.move_by(delta),
                _ => {}
            }
        }
        Action::NextField | Action::PrevField => {
            if let Some(Layer::Form(form)) = editor.layers.last_mut() {
                let count = form.fields.len();
                form.focused = if action == Action::NextField {
                    (form.focused + 1) % count
                } else {
                    (form.focused + count - 1) % count
                };
            }
        }
        Action::Type(c) => {
            if let Some(input) = focused_input(editor) {
                input.insert(c);
                refilter(editor);
            }
        }
        edit => {
            if let Some(input) = focused_input(editor) {
                match edit {
                    Action::Backspace => input.backspace(),
                    Action::DeleteChar => input.delete(),
                    Action::Left => input.left(),
                    Action::Right => input.right(),
                    Action::Home => input.home(),
                    Action::End => input.end(),
                    _ => return None,
                }
                refilter(editor);
            }
        }
    }
    None
}

fn confirm_popup(editor: &mut Editor) -> Option<Effect> {
    match editor.layers.last() {
        Some(Layer::ActivityPicker { at, picker }) => {
            if let Some(item) = picker.chosen() {
                let (at, activity) = (*at, item.value);
                editor.layers.pop();
                editor.layers.push(Layer::Label {
                    at,
                    activity,
                    input: TextInput::default(),
                });
            }
        }
        Some(Layer::Label {
            at,
            activity,
            input,
        }) => {
            let (at, activity) = (*at, *activity);
            let label = match input.text().trim() {
                "" => activity.name().to_string(),
                text => text.to_string(),
            };
            editor.layers.pop();
            let step = Step::new(
                editor.map.new_step_id(&label, activity),
                activity,
                label,
                at,
            );
            let change = Change::add_step(&editor.map, step);
            apply(editor, change);
        }
        Some(Layer::ArtifactPicker { .. }) => choose_artifact(editor),
        Some(Layer::Title(input)) => {
            let title = input.text().trim().to_string();
            editor.layers.pop();
            if title != editor.map.title {
                let change = Change::set_title(&editor.map, title);
                apply(editor, change);
            }
        }
        Some(Layer::Form(_)) => save_form(editor),
        Some(Layer::SaveAs(input)) => {
            let path = std::path::PathBuf::from(input.text().trim());
            editor.layers.pop();
            if !path.as_os_str().is_empty() {
                return Some(Effect::SaveAs(path));
            }
        }
        _ => {}
    }
    None
}

fn scroll_popup(editor: &mut Editor, action: Action) {
    match (editor.layers.last_mut(), action) {
        (_, Action::Cancel) => {
            editor.layers.pop();
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

// ---- Forms: a step's fields, an improvement note ---------------------------------------

#[rustfmt::skip]
const STEP_FIELDS: [(&str, &str); 8] = [
    ("Label", ""),
    ("Activity", "Plan, Improve, Engage, Design and Transition, Obtain or Build, Deliver and Support, Demand, Value"),
    ("Also", "more activities, comma separated"),
    ("Practices", "comma separated"),
    ("Process minutes", "a whole number, or empty"),
    ("Wait minutes", "the queue before the step; a whole number, or empty"),
    ("%C/A", "percent complete and accurate, 0 to 100, or empty"),
    ("Notes", ""),
];

const IMPROVEMENT_FIELDS: [(&str, &str); 2] = [
    ("Improvement", "what to change, in a sentence"),
    ("Owner", "who takes it on; may be empty"),
];

fn form(kind: FormKind, specs: &[(&'static str, &'static str)], values: Vec<String>) -> Form {
    let fields = specs
        .iter()
        .zip(values)
        .map(|(&(name, hint), value)| FormField {
            name,
            input: TextInput::new(&value),
            hint,
        })
        .collect();
    Form {
        kind,
        fields,
        focused: 0,
        error: None,
    }
}

/// What the step form shows for a step, field by field.
fn step_form_values(step: &Step) -> Vec<String> {
    let number = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
    vec![
        step.label.clone(),
        step.activity.name().to_string(),
        step.also
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", "),
        step.practices.join(", "),
        number(step.process_minutes),
        number(step.wait_minutes),
        number(step.complete_accurate_percent.map(u32::from)),
        step.notes.clone(),
    ]
}

fn step_form(editor: &Editor, index: usize) -> Form {
    form(
        FormKind::Step(index),
        &STEP_FIELDS,
        step_form_values(&editor.map.steps[index]),
    )
}

/// The step a form describes, or what is wrong with it and which field. Only the fields the
/// user changed are read back, so opening the form and pressing Enter changes nothing (a
/// label with spaces at its ends, a practice with a comma in its name).
fn read_step_form(editor: &Editor, index: usize, form: &Form) -> Result<Step, (usize, String)> {
    let original = &editor.map.steps[index];
    let initial = step_form_values(original);
    let changed = |i: usize| form.fields[i].input.text() != initial[i];
    let text = |i: usize| form.fields[i].input.text().trim();
    let mut step = original.clone();
    if changed(0) {
        step.label = text(0).to_string();
    }
    if changed(1) {
        step.activity =
            Activity::parse(text(1)).ok_or((1, format!("\"{}\" is not an activity", text(1))))?;
    }
    if changed(1) || changed(2) {
        let mut also = Vec::new();
        for name in text(2).split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let activity =
                Activity::parse(name).ok_or((2, format!("\"{name}\" is not an activity")))?;
            if activity != step.activity && !also.contains(&activity) {
                also.push(activity);
            }
        }
        step.also = also;
    }
    if changed(3) {
        step.practices = text(3)
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
    }
    let number = |i: usize, what: &str| -> Result<Option<u32>, (usize, String)> {
        match text(i) {
            "" => Ok(None),
            t => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| (i, format!("\"{t}\" is not {what}"))),
        }
    };
    if changed(4) {
        step.process_minutes = number(4, "a whole number of minutes")?;
    }
    if changed(5) {
        step.wait_minutes = number(5, "a whole number of minutes")?;
    }
    if changed(6) {
        step.complete_accurate_percent = match number(6, "a percentage from 0 to 100")? {
            Some(p) if p > 100 => return Err((6, format!("{p} is more than 100 percent"))),
            p => p.map(|p| p as u8),
        };
    }
    if changed(7) {
        step.notes = form.fields[7].input.text().to_string();
    }
    Ok(step)
}

/// The change a form asks for (`None` when it changes nothing), or what is wrong and where.
fn read_form(editor: &Editor, form: &Form) -> Result<Option<Change>, (usize, String)> {
    match form.kind {
        FormKind::Step(index) => {
            let step = read_step_form(editor, index, form)?;
            let description = format!("edit step \"{}\"", editor.map.steps[index].label);
            Ok((step != editor.map.steps[index])
                .then(|| Change::replace_step(&editor.map, index, step, description)))
        }
        FormKind::Improvement(target) => {
            let text = form.fields[0].input.text().trim();
            if text.is_empty() {
                return Err((0, "Say what to improve".into()));
            }
            let owner = Some(form.fields[1].input.text().trim())
                .filter(|o| !o.is_empty())
                .map(String::from);
            Ok(Some(Change::add_improvement(
                &editor.map,
                target,
                Improvement {
                    text: text.into(),
                    owner,
                },
            )))
        }
    }
}

fn save_form(editor: &mut Editor) {
    let Some(Layer::Form(form)) = editor.layers.last() else {
        return;
    };
    match read_form(editor, form) {
        Ok(change) => {
            let improvement = matches!(form.kind, FormKind::Improvement(_));
            editor.layers.pop();
            if let Some(change) = change {
                apply(editor, change);
                if improvement {
                    let note = if editor.review && editor.writable {
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
            if let Some(Layer::Form(form)) = editor.layers.last_mut() {
                form.focused = field;
                form.error = Some(error);
            }
        }
    }
}

fn add_improvement(editor: &mut Editor) {
    if editor.review && !editor.writable {
        say(
            editor,
            Severity::Warning,
            "The file is read-only: improvement notes cannot be saved to it",
        );
        return;
    }
    let target = match (editor.selected_flow, editor.step_under_cursor()) {
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
    editor.layers.push(Layer::Form(form(
        FormKind::Improvement(target),
        &IMPROVEMENT_FIELDS,
        vec![String::new(), String::new()],
    )));
}

// ---- The improvement backlog ----------------------------------------------------------

fn backlog(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Some(Layer::Backlog { selected }) = editor.layers.last() else {
        return None;
    };
    let selected = *selected;
    let notes = editor.backlog();
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
            editor.layers.pop();
            editor.layers.push(Layer::Backlog { selected: next });
        }
        Action::Confirm => {
            if let Some((target, _)) = chosen {
                editor.layers.pop();
                go_to(editor, target);
            }
        }
        Action::Delete if editor.review => say(
            editor,
            Severity::Warning,
            "Review mode only adds notes; R returns to editing",
        ),
        Action::Delete => {
            if let Some((target, index)) = chosen {
                let change = Change::remove_improvement(&editor.map, target, index);
                apply(editor, change);
                editor.layers.pop();
                editor.layers.push(Layer::Backlog {
                    selected: selected.min(count.saturating_sub(2)),
                });
                say(editor, Severity::Note, "Improvement note deleted; u undoes");
            }
        }
        Action::Cancel => {
            editor.layers.pop();
        }
        _ => {}
    }
    None
}

/// Puts the cursor on a step, or selects a connection and shows its source.
fn go_to(editor: &mut Editor, target: Target) {
    let (step, flow) = match target {
        Target::Step(step) => (Some(step), None),
        Target::Flow(flow) => (
            editor
                .map
                .flows
                .get(flow)
                .and_then(|f| editor.step_index(&f.from)),
            Some(flow),
        ),
    };
    if let Some(step) = step {
        editor.cursor = editor.map.steps[step].at;
        keep_cursor_in_view(editor);
    }
    editor.selected_flow = flow;
}

// ---- Review mode ---------------------------------------------------------------------

/// In review mode the keys that would edit the map say so instead.
fn review(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Save if !editor.writable => {
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
        Action::ToggleReview if editor.review_only => {
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

// ---- Quitting and saving --------------------------------------------------------------

fn confirm_quit(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::SaveAndQuit => {
            editor.layers.pop();
            editor.quit_after_save = true;
            Some(Effect::Save)
        }
        Action::DiscardAndQuit => {
            editor.discarded = true;
            Some(Effect::Quit)
        }
        Action::Cancel => {
            editor.layers.pop();
            None
        }
        _ => None,
    }
}

fn saved(editor: &mut Editor, result: Result<std::path::PathBuf, String>) -> Option<Effect> {
    match result {
        Ok(path) => {
            editor.path = path;
            editor.saved_version = Some(editor.history.version());
            say(
                editor,
                Severity::Note,
                format!("Saved {}", editor.path.display()),
            );
            editor.quit_after_save.then_some(Effect::Quit)
        }
        Err(error) => {
            editor.quit_after_save = false;
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
fn external_change(editor: &mut Editor, action: Action) -> Option<Effect> {
    let effect = match action {
        Action::Reload => Some(Effect::Reload),
        Action::Overwrite => Some(Effect::SaveOverwrite),
        Action::SaveElsewhere => {
            let suggestion = crate::io::recovery::sibling_name(&editor.path)
                .with_extension("")
                .with_extension("mine.ron");
            editor.layers.pop();
            editor.layers.push(Layer::SaveAs(TextInput::new(
                &suggestion.display().to_string(),
            )));
            return None;
        }
        Action::Cancel => {
            editor.quit_after_save = false;
            None
        }
        _ => return None,
    };
    editor.layers.pop();
    effect
}

/// The file as it is on disk replaces the map, as one change: `u` brings the edits back.
fn reloaded(editor: &mut Editor, result: Result<crate::model::map::Map, String>) {
    editor.quit_after_save = false;
    match result {
        Ok(map) => {
            let change = Change::replace_all(&editor.map, &map, "reload the file from disk");
            apply(editor, change);
            editor.saved_version = Some(editor.history.version());
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

fn recovery_offer(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Some(Layer::Recovery { map, written_at }) = editor.layers.last() else {
        return None;
    };
    let (recovered, written_at) = (map.as_ref().clone(), *written_at);
    let effect = match action {
        Action::Restore => {
            editor.layers.pop();
            let change = Change::replace_all(&editor.map, &recovered, "restore recovered edits");
            apply(editor, change);
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
    editor.layers.pop();
    effect
}

fn lock_warning(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => {
            editor.layers.pop();
        }
        Action::ToggleReview => {
            editor.layers.pop();
            editor.review = true;
            editor.review_only = true;
            editor.show_timeline = true;
        }
        Action::Quit => return Some(Effect::Quit),
        _ => {}
    }
    None
}

// ---- The mouse ------------------------------------------------------------------------

fn mouse_event(editor: &mut Editor, mouse: Mouse) {
    if !editor.layers.is_empty() {
        return;
    }
    let screen = editor.layout();
    let grid = screen.grid;
    let inside = |r: ratatui::layout::Rect| {
        mouse.x >= r.x && mouse.x < r.right() && mouse.y >= r.y && mouse.y < r.bottom()
    };
    match mouse.kind {
        MouseKind::ScrollUp
        | MouseKind::ScrollDown
        | MouseKind::ScrollLeft
        | MouseKind::ScrollRight => {
            let s = &mut editor.scroll;
            match mouse.kind {
                MouseKind::ScrollUp => s.row = s.row.saturating_sub(1),
                MouseKind::ScrollDown => s.row = s.row.saturating_add(1),
                MouseKind::ScrollLeft => s.col = s.col.saturating_sub(1),
                _ => s.col = s.col.saturating_add(1),
            }
            // The cursor stays on screen: it moves with the view.
            let (cols, rows) = editor.canvas.geometry.cells_in(*s, grid.width, grid.height);
            editor.cursor.col = editor
                .cursor
                .col
                .clamp(s.col, s.col.saturating_add(cols - 1));
            editor.cursor.row = editor
                .cursor
                .row
                .clamp(s.row, s.row.saturating_add(rows - 1));
        }
        MouseKind::Down if inside(grid) => {
            let (x, y) = world_of(editor, grid, mouse);
            if let Some(&route) = editor.canvas.raster().routes_at(x, y).first() {
                editor.selected_flow = Some(route);
                if let Some(cell) = editor.canvas.geometry.cell_of(x, y) {
                    editor.cursor = cell;
                }
                return;
            }
            let Some(cell) = editor.canvas.geometry.cell_of(x, y) else {
                return;
            };
            editor.cursor = cell;
            editor.selected_flow = None;
            editor.focus = Focus::Grid;
            // Review mode: a click selects, a drag moves nothing.
            if let (Mode::Normal, Some(step), false) =
                (editor.mode, editor.step_at(cell), editor.review)
            {
                editor.mode = Mode::Carry {
                    step,
                    origin: cell,
                    by_mouse: true,
                };
            }
        }
        MouseKind::Down if inside(screen.findings) => {
            let row = usize::from(mouse.y - screen.findings.y);
            // The first row of the findings panel is its heading.
            if row >= 1
                && row - 1 + findings_first_row(editor, screen.findings) < editor.findings.len()
            {
                editor.finding = Some(row - 1 + findings_first_row(editor, screen.findings));
                jump_to_finding(editor);
            }
        }
        MouseKind::Drag => {
            if let Mode::Carry {
                step,
                by_mouse: true,
                ..
            } = editor.mode
            {
                let (x, y) = world_of(editor, grid, mouse);
                if let Some(cell) = editor.canvas.geometry.cell_of(x, y)
                    && editor.step_at(cell).is_none_or(|s| s == step)
                {
                    carry_to(editor, step, cell);
                }
            }
        }
        MouseKind::Up => {
            if let Mode::Carry {
                step,
                origin,
                by_mouse: true,
            } = editor.mode
            {
                put_down(editor, step, origin);
            }
        }
        _ => {}
    }
}

/// The first finding shown in the findings panel, so the selected one is visible.
pub fn findings_first_row(editor: &Editor, panel: ratatui::layout::Rect) -> usize {
    let rows = usize::from(panel.height.saturating_sub(1)).max(1);
    editor.finding.unwrap_or(0).saturating_sub(rows - 1)
}

/// The world character under a screen position in the grid.
fn world_of(editor: &Editor, grid: ratatui::layout::Rect, mouse: Mouse) -> (i32, i32) {
    let geometry = &editor.canvas.geometry;
    let x = i32::from(mouse.x) - i32::from(grid.x) + geometry.view_x(editor.scroll.col);
    let y = i32::from(mouse.y) - i32::from(grid.y) + geometry.view_y(editor.scroll.row);
    (x, y)
}
