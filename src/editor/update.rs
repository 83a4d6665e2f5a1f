//! `update`: the one function that changes the editor. Keys become actions through the
//! binding tables; each action changes the state and may ask the edge for an effect.

use super::action::{Action, Dir, Effect, Mouse, MouseKind};
use super::history::Change;
use super::input::TextInput;
use super::keys::{self, Context};
use super::picker::{Item, Mark, Picker};
use super::state::{
    ArtifactChoice, Editor, Field, Focus, Form, FormKind, Layer, LockState, Message, Mode, Target,
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
            | Action::Saved(_)
            | Action::ExternalChange
            | Action::Reloaded(_)
            | Action::KeptAside(_)
            | Action::DiskState(_)
            | Action::Writable(_)
            | Action::Lock(_)
            | Action::RecoveryFound { .. }
    ) {
        editor.view.message = None;
    }
    match action {
        Action::Resize(width, height) => {
            editor.view.screen = (width, height);
            keep_cursor_in_view(editor);
            None
        }
        Action::Saved(result) => saved(editor, result),
        Action::ExternalChange => {
            editor.view.layers.push(Layer::ExternalChange);
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
        Action::DiskState(disk) => {
            editor.doc.set_disk(disk);
            None
        }
        Action::Writable(writable) => {
            editor.doc.set_writable(writable);
            None
        }
        Action::Lock(state) => {
            locked(editor, state);
            None
        }
        Action::RecoveryFound { map, written_at } => {
            editor.view.layers.push(Layer::Recovery { map, written_at });
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
    editor.view.message = Some(Message {
        text: text.into(),
        severity,
    });
}

/// Applies a change through the history and brings everything derived up to date.
fn apply(editor: &mut Editor, change: Change) {
    editor.apply(change);
}

// ---- The grid ---------------------------------------------------------------------------

fn grid(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Move(dir) => {
            editor.view.cursor = step_cell(editor.view.cursor, dir);
            editor.view.selected_flow = None;
            keep_cursor_in_view(editor);
        }
        Action::Nudge(dir) => nudge(editor, dir),
        Action::AddStep => add_step(editor),
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

fn undo_redo(editor: &mut Editor, undo: bool) {
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

fn nudge(editor: &mut Editor, dir: Dir) {
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
    apply(editor, change);
    editor.view.cursor = target;
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
            detail: editor.doc.purpose(activity),
        })
        .collect();
    editor.view.layers.push(Layer::ActivityPicker {
        at: editor.view.cursor,
        picker: Picker::new(items),
    });
}

fn edit(editor: &mut Editor) {
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

fn delete(editor: &mut Editor) {
    if let Some(flow) = editor.view.selected_flow {
        let change = Change::delete_flow(editor.doc.map(), flow);
        let what = change.description.clone();
        editor.view.selected_flow = None;
        apply(editor, change);
        say(editor, Severity::Note, format!("Deleted {what}; u undoes"));
    } else if let Some(step) = editor.step_under_cursor() {
        let change = Change::delete_step(editor.doc.map(), step);
        let what = change.description.clone();
        apply(editor, change);
        say(editor, Severity::Note, format!("Deleted {what}; u undoes"));
    } else {
        say(editor, Severity::Note, "Nothing here to delete");
    }
}

fn cycle_flow(editor: &mut Editor, delta: isize) {
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

fn visit_finding(editor: &mut Editor, delta: isize) {
    let count = editor.doc.findings().len() as isize;
    if count == 0 {
        say(
            editor,
            Severity::Note,
            "No findings: every connection checks out",
        );
        return;
    }
    let next = match editor.view.finding {
        Some(i) => (i as isize + delta).rem_euclid(count),
        None if delta > 0 => 0,
        None => count - 1,
    };
    editor.view.finding = Some(next as usize);
    jump_to_finding(editor);
}

fn jump_to_finding(editor: &mut Editor) {
    let Some(position) = editor.view.finding else {
        return;
    };
    let Some(&index) = editor.doc.findings().get(position) else {
        return;
    };
    let (step, flow) = editor
        .doc
        .subject_place(editor.doc.report().diagnostics[index].subject);
    if let Some(step) = step {
        editor.view.cursor = editor.doc.map().steps[step].at;
        keep_cursor_in_view(editor);
    }
    editor.view.selected_flow = flow;
    let diagnostic = &editor.doc.report().diagnostics[index];
    let text = format!(
        "{}/{} {}[{}]: {}",
        position + 1,
        editor.doc.findings().len(),
        diagnostic.severity().as_str(),
        diagnostic.code.as_str(),
        diagnostic.message
    );
    let severity = diagnostic.severity();
    say(editor, severity, text);
}

// ---- Modes --------------------------------------------------------------------------

fn connect(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Connect { from } = editor.view.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            editor.view.cursor = step_cell(editor.view.cursor, dir);
            keep_cursor_in_view(editor);
            say(editor, Severity::Note, connect_prompt(editor, from));
        }
        Action::Confirm => match editor.step_under_cursor() {
            Some(to) if to != from => {
                editor.view.mode = Mode::Normal;
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
        Action::Cancel => editor.view.mode = Mode::Normal,
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Connect,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

fn connect_prompt(editor: &Editor, from: usize) -> String {
    let source = &editor.doc.map().steps[from].label;
    match editor.step_under_cursor() {
        Some(to) if to != from => format!(
            "Connect \"{source}\" to \"{}\"? Enter",
            editor.doc.map().steps[to].label
        ),
        _ => format!("Connecting from \"{source}\": move to the target step and press Enter"),
    }
}

fn carry(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Mode::Carry { step, origin, .. } = editor.view.mode else {
        return None;
    };
    match action {
        Action::Move(dir) => {
            let target = step_cell(editor.view.cursor, dir);
            if editor.doc.step_at(target).is_some_and(|s| s != step) {
                say(editor, Severity::Warning, "That cell is taken");
            } else {
                carry_to(editor, step, target);
            }
        }
        Action::Confirm => put_down(editor, step, origin),
        Action::Cancel => {
            carry_to(editor, step, origin);
            editor.view.mode = Mode::Normal;
        }
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Carry,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

/// Moves a carried step for the eye only; `put_down` records the move as one change.
fn carry_to(editor: &mut Editor, step: usize, target: Cell) {
    editor.carry(step, target);
    editor.view.cursor = target;
    keep_cursor_in_view(editor);
}

fn put_down(editor: &mut Editor, step: usize, origin: Cell) {
    editor.view.mode = Mode::Normal;
    editor.put_down(step, origin);
}

fn findings(editor: &mut Editor, action: Action) -> Option<Effect> {
    let count = editor.doc.findings().len();
    match action {
        Action::Up => {
            editor.view.finding = Some(editor.view.finding.unwrap_or(0).saturating_sub(1))
        }
        Action::Down => {
            editor.view.finding = Some(
                editor
                    .view
                    .finding
                    .map_or(0, |i| i + 1)
                    .min(count.saturating_sub(1)),
            )
        }
        Action::Confirm => {
            editor.view.focus = Focus::Grid;
            jump_to_finding(editor);
        }
        Action::Cancel => editor.view.focus = Focus::Grid,
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Findings,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

// ---- The artifact picker -------------------------------------------------------------

fn open_artifact_picker(editor: &mut Editor, from: usize, to: usize, flow: Option<usize>) {
    let chain = &editor.doc.chain();
    let (source, target) = (&editor.doc.map().steps[from], &editor.doc.map().steps[to]);
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
        .and_then(|f| editor.doc.map().flows[f].artifact.as_deref())
        .and_then(|a| chain.resolve(a))
    {
        picker.selected = picker
            .visible()
            .iter()
            .position(|&i| picker.items[i].value == ArtifactChoice::Known(current))
            .unwrap_or(0);
    }
    editor.view.layers.push(Layer::ArtifactPicker {
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
    let chain = &editor.doc.chain();
    let sources = check::source_nodes(chain, &editor.doc.map().steps[from]);
    let targets = check::target_nodes(chain, &editor.doc.map().steps[to]);
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
    }) = editor.view.layers.last()
    else {
        return;
    };
    let (from, to, flow) = (*from, *to, *flow);
    let typed = picker.filter.text().trim().to_string();
    let artifact = match picker.chosen().map(|i| i.value) {
        Some(ArtifactChoice::Known(a)) => Some(editor.doc.chain().artifact_name(a).to_string()),
        Some(ArtifactChoice::None) => None,
        // Nothing matches: the typed name is taken as it is (the checker will call it unknown).
        None if !typed.is_empty() => Some(typed),
        None => return,
    };
    editor.view.layers.pop();
    let (from_id, to_id) = (
        editor.doc.map().steps[from].id.clone(),
        editor.doc.map().steps[to].id.clone(),
    );
    match flow {
        Some(index) => {
            let mut changed = editor.doc.map().flows[index].clone();
            changed.artifact = artifact;
            let change = Change::replace_flow(
                editor.doc.map(),
                index,
                changed,
                format!("change the artifact from \"{from_id}\" to \"{to_id}\""),
            );
            apply(editor, change);
            editor.view.selected_flow = Some(index);
        }
        None => {
            let new = Flow::new(from_id, to_id, artifact);
            let change = Change::add_flow(editor.doc.map(), new);
            apply(editor, change);
            editor.view.selected_flow = Some(editor.doc.map().flows.len() - 1);
            editor.view.cursor = editor.doc.map().steps[to].at;
        }
    }
    if let Some(index) = editor.view.selected_flow {
        let verdict = editor.doc.report().verdicts[index];
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
    match editor.view.layers.last_mut()? {
        Layer::ActivityPicker { picker, .. } => Some(&mut picker.filter),
        Layer::ArtifactPicker { picker, .. } => Some(&mut picker.filter),
        Layer::Label { input, .. } | Layer::Title(input) => Some(input),
        Layer::Form(form) => form.focused_input_mut(),
        _ => None,
    }
}

/// After a filter changed, pickers go back to the top of their list.
fn refilter(editor: &mut Editor) {
    match editor.view.layers.last_mut() {
        Some(Layer::ActivityPicker { picker, .. }) => picker.refilter(),
        Some(Layer::ArtifactPicker { picker, .. }) => picker.refilter(),
        _ => {}
    }
}

fn popup_input(editor: &mut Editor, action: Action) -> Option<Effect> {
    match action {
        Action::Cancel => {
            editor.view.layers.pop();
        }
        Action::Confirm => return confirm_popup(editor),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let delta = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            match editor.view.layers.last_mut() {
                Some(Layer::ActivityPicker { picker, .. }) => picker.move_by(delta),
                Some(Layer::ArtifactPicker { picker, .. }) => picker.move_by(delta),
                _ => {}
            }
        }
        Action::NextField | Action::PrevField => {
            if let Some(Layer::Form(form)) = editor.view.layers.last_mut() {
                form.cycle_focus(action == Action::NextField);
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
    match editor.view.layers.last() {
        Some(Layer::ActivityPicker { at, picker }) => {
            if let Some(item) = picker.chosen() {
                let (at, activity) = (*at, item.value);
                editor.view.layers.pop();
                editor.view.layers.push(Layer::Label {
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
            editor.view.layers.pop();
            let step = Step::new(
                editor.doc.map().new_step_id(&label, activity),
                activity,
                label,
                at,
            );
            let change = Change::add_step(editor.doc.map(), step);
            apply(editor, change);
        }
        Some(Layer::ArtifactPicker { .. }) => choose_artifact(editor),
        Some(Layer::Title(input)) => {
            let title = input.text().trim().to_string();
            editor.view.layers.pop();
            if title != editor.doc.map().title {
                let change = Change::set_title(editor.doc.map(), title);
                apply(editor, change);
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

// ---- Forms: a step's fields, an improvement note ---------------------------------------

/// What the step form shows for a step, field by field.
fn step_form_values(step: &Step) -> Vec<(Field, String)> {
    let number = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
    Field::STEP
        .into_iter()
        .map(|field| {
            let value = match field {
                Field::Label => step.label.clone(),
                Field::Activity => step.activity.name().to_string(),
                Field::Also => step
                    .also
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                Field::Practices => step.practices.join(", "),
                Field::ProcessMinutes => number(step.process_minutes),
                Field::WaitMinutes => number(step.wait_minutes),
                Field::CompleteAccurate => number(step.complete_accurate_percent.map(u32::from)),
                Field::Notes => step.notes.clone(),
                Field::Improvement | Field::Owner => String::new(),
            };
            (field, value)
        })
        .collect()
}

fn step_form(editor: &Editor, index: usize) -> Form {
    Form::new(
        FormKind::Step(index),
        step_form_values(&editor.doc.map().steps[index]),
    )
}

/// The step a form describes, or what is wrong with it and which field. Only the fields the
/// user changed are read back, so opening the form and pressing Enter changes nothing (a
/// label with spaces at its ends, a practice with a comma in its name).
fn read_step_form(editor: &Editor, index: usize, form: &Form) -> Result<Step, (Field, String)> {
    let original = &editor.doc.map().steps[index];
    let initial = step_form_values(original);
    let changed = |field: Field| {
        initial
            .iter()
            .find(|(f, _)| *f == field)
            .is_none_or(|(_, value)| form.text(field) != value)
    };
    let text = |field: Field| form.text(field).trim();
    let mut step = original.clone();
    if changed(Field::Label) {
        step.label = text(Field::Label).to_string();
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
        step.also = also;
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
        match text(field) {
            "" => Ok(None),
            t => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| (field, format!("\"{t}\" is not {what}"))),
        }
    };
    if changed(Field::ProcessMinutes) {
        step.process_minutes = number(Field::ProcessMinutes, "a whole number of minutes")?;
    }
    if changed(Field::WaitMinutes) {
        step.wait_minutes = number(Field::WaitMinutes, "a whole number of minutes")?;
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
fn read_form(editor: &Editor, form: &Form) -> Result<Option<Change>, (Field, String)> {
    let map = editor.doc.map();
    match form.kind {
        FormKind::Step(index) => {
            let step = read_step_form(editor, index, form)?;
            let description = format!("edit step \"{}\"", map.steps[index].label);
            Ok((step != map.steps[index])
                .then(|| Change::replace_step(map, index, step, description)))
        }
        FormKind::Improvement(target) => {
            let text = form.text(Field::Improvement).trim();
            if text.is_empty() {
                return Err((Field::Improvement, "Say what to improve".into()));
            }
            let owner = Some(form.text(Field::Owner).trim())
                .filter(|o| !o.is_empty())
                .map(String::from);
            Ok(Some(Change::add_improvement(
                map,
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
    let Some(Layer::Form(form)) = editor.view.layers.last() else {
        return;
    };
    match read_form(editor, form) {
        Ok(change) => {
            let improvement = matches!(form.kind, FormKind::Improvement(_));
            editor.view.layers.pop();
            if let Some(change) = change {
                apply(editor, change);
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

fn add_improvement(editor: &mut Editor) {
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

// ---- The improvement backlog ----------------------------------------------------------

fn backlog(editor: &mut Editor, action: Action) -> Option<Effect> {
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
        Action::Delete if editor.view.review => say(
            editor,
            Severity::Warning,
            "Review mode only adds notes; R returns to editing",
        ),
        Action::Delete => {
            if let Some((target, index)) = chosen {
                let change = Change::remove_improvement(editor.doc.map(), target, index);
                apply(editor, change);
                editor.view.layers.pop();
                editor.view.layers.push(Layer::Backlog {
                    selected: selected.min(count.saturating_sub(2)),
                });
                say(editor, Severity::Note, "Improvement note deleted; u undoes");
            }
        }
        Action::Cancel => {
            editor.view.layers.pop();
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

// ---- Review mode ---------------------------------------------------------------------

/// In review mode the keys that would edit the map say so instead.
fn review(editor: &mut Editor, action: Action) -> Option<Effect> {
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

fn saved(editor: &mut Editor, result: Result<std::path::PathBuf, String>) -> Option<Effect> {
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
fn external_change(editor: &mut Editor, action: Action) -> Option<Effect> {
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
fn reloaded(editor: &mut Editor, result: Result<crate::model::map::Map, String>) {
    editor.view.quit_after_save = false;
    match result {
        Ok(map) => {
            let change = Change::replace_all(editor.doc.map(), &map, "reload the file from disk");
            apply(editor, change);
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

fn recovery_offer(editor: &mut Editor, action: Action) -> Option<Effect> {
    let Some(Layer::Recovery { map, written_at }) = editor.view.layers.last() else {
        return None;
    };
    let (recovered, written_at) = (map.as_ref().clone(), *written_at);
    let effect = match action {
        Action::Restore => {
            editor.view.layers.pop();
            let change =
                Change::replace_all(editor.doc.map(), &recovered, "restore recovered edits");
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
    editor.view.layers.pop();
    effect
}

/// What came of taking the lock: a word in the status line, or a warning to answer.
fn locked(editor: &mut Editor, state: LockState) {
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

fn lock_warning(editor: &mut Editor, action: Action) -> Option<Effect> {
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

// ---- The mouse ------------------------------------------------------------------------

fn mouse_event(editor: &mut Editor, mouse: Mouse) {
    if !editor.view.layers.is_empty() {
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
            let s = &mut editor.view.scroll;
            match mouse.kind {
                MouseKind::ScrollUp => s.row = s.row.saturating_sub(1),
                MouseKind::ScrollDown => s.row = s.row.saturating_add(1),
                MouseKind::ScrollLeft => s.col = s.col.saturating_sub(1),
                _ => s.col = s.col.saturating_add(1),
            }
            // The cursor stays on screen: it moves with the view.
            let (cols, rows) = editor
                .doc
                .canvas()
                .geometry
                .cells_in(*s, grid.width, grid.height);
            editor.view.cursor.col = editor
                .view
                .cursor
                .col
                .clamp(s.col, s.col.saturating_add(cols - 1));
            editor.view.cursor.row = editor
                .view
                .cursor
                .row
                .clamp(s.row, s.row.saturating_add(rows - 1));
        }
        MouseKind::Down if inside(grid) => {
            let (x, y) = world_of(editor, grid, mouse);
            if let Some(&route) = editor.doc.canvas().raster().routes_at(x, y).first() {
                editor.view.selected_flow = Some(route);
                if let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y) {
                    editor.view.cursor = cell;
                }
                return;
            }
            let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y) else {
                return;
            };
            editor.view.cursor = cell;
            editor.view.selected_flow = None;
            editor.view.focus = Focus::Grid;
            // Review mode: a click selects, a drag moves nothing.
            if let (Mode::Normal, Some(step), false) = (
                editor.view.mode,
                editor.doc.step_at(cell),
                editor.view.review,
            ) {
                editor.view.mode = Mode::Carry {
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
                && row - 1 + findings_first_row(editor, screen.findings)
                    < editor.doc.findings().len()
            {
                editor.view.finding = Some(row - 1 + findings_first_row(editor, screen.findings));
                jump_to_finding(editor);
            }
        }
        MouseKind::Drag => {
            if let Mode::Carry {
                step,
                by_mouse: true,
                ..
            } = editor.view.mode
            {
                let (x, y) = world_of(editor, grid, mouse);
                if let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y)
                    && editor.doc.step_at(cell).is_none_or(|s| s == step)
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
            } = editor.view.mode
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
    editor.view.finding.unwrap_or(0).saturating_sub(rows - 1)
}

/// The world character under a screen position in the grid.
fn world_of(editor: &Editor, grid: ratatui::layout::Rect, mouse: Mouse) -> (i32, i32) {
    let geometry = &editor.doc.canvas().geometry;
    let x = i32::from(mouse.x) - i32::from(grid.x) + geometry.col_x(editor.view.scroll.col);
    let y = i32::from(mouse.y) - i32::from(grid.y) + geometry.row_y(editor.view.scroll.row);
    (x, y)
}
