//! The editor's update function, driven by scripted keys without a terminal: the map it
//! builds, the file it would save, undo and redo.

mod support;

use support::*;
use vsmap::check::Verdict;
use vsmap::editor::state::{Layer, Mode};
use vsmap::editor::{Action, Effect};
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Map};

/// Adds a step of the activity chosen by typing `filter` on the cursor's cell.
fn add(editor: &mut vsmap::editor::Editor, filter: &str, label: &str) {
    keys(editor, &format!("a{filter}<Enter>{label}<Enter>"));
}

/// Builds Demand -> Engage -> Deliver and Support -> Value along row 0.
fn build_stream() -> vsmap::editor::Editor {
    let mut editor = editor_with(Map::new("Workshop"));
    add(&mut editor, "demand", "Employee has an issue");
    keys(&mut editor, "l");
    add(&mut editor, "engage", "Service desk logs it");
    keys(&mut editor, "l");
    add(&mut editor, "deliver", "Resolve");
    keys(&mut editor, "l");
    add(&mut editor, "value", "Working again");
    // Demand -> Engage: the first canonical artifact offered, found by typing.
    keys(&mut editor, "hhhcl<Enter>incidents<Enter>");
    // Engage -> Deliver and Support: the first item is the canonical one.
    keys(&mut editor, "cl<Enter><Enter>");
    // Deliver and Support -> Value.
    keys(&mut editor, "cl<Enter>services delivered<Enter>");
    editor
}

#[test]
fn a_scripted_session_builds_the_map_and_its_file() {
    let editor = build_stream();
    let map = &editor.map();
    let steps: Vec<(&str, Activity, Cell)> = map
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.activity, s.at))
        .collect();
    assert_eq!(
        steps,
        [
            ("employee-has-an-issue", Activity::Demand, Cell::new(0, 0)),
            ("service-desk-logs-it", Activity::Engage, Cell::new(1, 0)),
            ("resolve", Activity::DeliverAndSupport, Cell::new(2, 0)),
            ("working-again", Activity::Value, Cell::new(3, 0)),
        ]
    );
    assert_eq!(editor.doc().report().verdicts, [Verdict::Canonical; 3]);
    assert_eq!(
        map.to_ron(),
        r#"Map(
    format: 1,
    title: "Workshop",
    steps: [
        Step(id: "employee-has-an-issue", activity: Demand, label: "Employee has an issue", at: (col: 0, row: 0)),
        Step(id: "service-desk-logs-it", activity: Engage, label: "Service desk logs it", at: (col: 1, row: 0)),
        Step(id: "resolve", activity: DeliverAndSupport, label: "Resolve", at: (col: 2, row: 0)),
        Step(id: "working-again", activity: Value, label: "Working again", at: (col: 3, row: 0)),
    ],
    flows: [
        Flow(from: "employee-has-an-issue", to: "service-desk-logs-it", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "service-desk-logs-it", to: "resolve", artifact: Some("User support tasks")),
        Flow(from: "resolve", to: "working-again", artifact: Some("Services delivered")),
    ],
)
"#
    );
    assert!(editor.modified());
}

#[test]
fn off_chain_and_typed_artifacts_get_their_verdicts_at_once() {
    let mut editor = build_stream();
    // Back to Engage, connect to Value with an off-chain artifact chosen from the list.
    keys(&mut editor, "hhcll<Enter>change requests<Enter>");
    assert_eq!(
        editor.map().flows[3].artifact.as_deref(),
        Some("Change requests")
    );
    assert_eq!(editor.doc().report().verdicts[3], Verdict::OffChain);
    assert_eq!(editor.view.selected_flow, Some(3));
    assert!(editor.message().unwrap().text.contains("off-chain"));
    // A name the chain does not know, typed as it is.
    keys(&mut editor, "<Enter>");
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::ArtifactPicker { flow: Some(3), .. })
    ));
    keys(&mut editor, "<Backspace>".repeat(20).as_str());
    keys(&mut editor, "Our own thing<Enter>");
    assert_eq!(
        editor.map().flows[3].artifact.as_deref(),
        Some("Our own thing")
    );
    assert_eq!(editor.doc().report().verdicts[3], Verdict::UnknownArtifact);
}

#[test]
fn the_artifact_picker_offers_canonical_first_then_the_rest_with_why() {
    let mut editor = build_stream();
    keys(&mut editor, "hhhc");
    keys(&mut editor, "l<Enter>");
    let Some(Layer::ArtifactPicker { picker, .. }) = editor.view.layers.last() else {
        panic!("no picker")
    };
    let titles: Vec<&str> = picker
        .items
        .iter()
        .take(5)
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "High-level demand for services and products",
            "Detailed requirements for services and products",
            "Requests and feedback",
            "Market opportunities",
            "Incidents, service requests, and feedback"
        ]
    );
    assert!(
        picker.items[0]
            .detail
            .starts_with("seed 001 5.5 Engage input: \"High-level demand")
    );
    let change = picker
        .items
        .iter()
        .find(|i| i.title == "Change requests")
        .unwrap();
    assert_eq!(change.mark, vsmap::editor::picker::Mark::OffChain);
    assert!(
        change
            .detail
            .contains("goes from Deliver and Support to Obtain or Build")
    );
}

#[test]
fn between_steps_of_one_activity_handoff_comes_first() {
    let mut editor = editor_with(Map::new("m"));
    add(&mut editor, "deliver", "Route");
    keys(&mut editor, "l");
    add(&mut editor, "deliver", "Fix");
    keys(&mut editor, "hcl<Enter>");
    let Some(Layer::ArtifactPicker { picker, .. }) = editor.view.layers.last() else {
        panic!("no picker")
    };
    assert_eq!(picker.items[0].title, "handoff (no artifact)");
    keys(&mut editor, "<Enter>");
    assert_eq!(editor.map().flows[0].artifact, None);
    assert_eq!(editor.doc().report().verdicts, [Verdict::Handoff]);
}

#[test]
fn undo_and_redo_cover_every_edit_back_to_the_start() {
    let mut editor = build_stream();
    let built = editor.map().clone();
    let edits = 7;
    for _ in 0..edits {
        keys(&mut editor, "u");
    }
    assert_eq!(*editor.map(), Map::new("Workshop"));
    assert!(
        editor
            .message()
            .unwrap()
            .text
            .starts_with("Undid: add step")
    );
    keys(&mut editor, "u");
    assert_eq!(editor.message().unwrap().text, "Nothing to undo");
    for _ in 0..edits {
        keys(&mut editor, "<C-r>");
    }
    assert_eq!(*editor.map(), built);
    assert_eq!(editor.doc().report().verdicts, [Verdict::Canonical; 3]);
}

#[test]
fn moving_a_step_keeps_its_connections_and_undoes_in_one_go() {
    let mut editor = build_stream();
    keys(&mut editor, "hmjj<Enter>");
    assert_eq!(editor.map().steps[2].at, Cell::new(2, 2));
    assert_eq!(editor.map().flows.len(), 3);
    assert!(
        editor.doc().canvas().routes().iter().all(Option::is_some),
        "the connections are routed to the new place"
    );
    keys(&mut editor, "u");
    assert_eq!(editor.map().steps[2].at, Cell::new(2, 0));
    // Shift+arrow moves at once; a taken cell refuses.
    keys(&mut editor, "<S-Down>");
    assert_eq!(editor.map().steps[2].at, Cell::new(2, 1));
    keys(&mut editor, "k");
    assert_eq!(editor.view.cursor, Cell::new(2, 0));
    keys(&mut editor, "h<S-Right>");
    assert_eq!(editor.map().steps[1].at, Cell::new(2, 0));
    keys(&mut editor, "<S-Right>");
    assert_eq!(
        editor.map().steps[1].at,
        Cell::new(2, 0),
        "Value's cell is taken"
    );
    assert_eq!(editor.message().unwrap().text, "That cell is taken");
    // Esc puts a carried step back.
    keys(&mut editor, "mjj<Esc>");
    assert_eq!(editor.map().steps[1].at, Cell::new(2, 0));
    assert_eq!(editor.view.mode, Mode::Normal);
}

#[test]
fn deleting_a_connection_or_a_step_with_its_connections() {
    let mut editor = build_stream();
    keys(&mut editor, "hh<Tab>");
    assert_eq!(editor.view.selected_flow, Some(0));
    keys(&mut editor, "<Tab>");
    assert_eq!(editor.view.selected_flow, Some(1));
    keys(&mut editor, "d");
    assert_eq!(editor.map().flows.len(), 2);
    assert_eq!(editor.view.selected_flow, None);
    keys(&mut editor, "d");
    assert_eq!(editor.map().steps.len(), 3);
    assert_eq!(
        editor.map().flows.len(),
        1,
        "the step's other connection went with it"
    );
    keys(&mut editor, "uu");
    assert_eq!(editor.map().flows.len(), 3);
    assert_eq!(editor.map().steps.len(), 4);
}

#[test]
fn the_step_form_edits_every_field_and_says_what_is_wrong() {
    let mut editor = build_stream();
    keys(&mut editor, "hh<Enter>");
    assert!(matches!(editor.view.layers.last(), Some(Layer::Form(_))));
    // Label, activity, also, practices, times, notes.
    keys(
        &mut editor,
        "<End> (desk)<Tab><Tab>Improve<Tab>Service desk, Relationship management<Tab>5<Tab>3x<Tab>85<Tab>Busy on Mondays<Enter>",
    );
    let Some(Layer::Form(form)) = editor.view.layers.last() else {
        panic!("the form stays open on an error")
    };
    let error = form.error.as_deref().unwrap();
    assert!(
        error.starts_with("\"3x\" is not a duration") && error.contains("1h30m"),
        "{error}"
    );
    assert_eq!(form.fields[form.focused].name, "Wait time");
    keys(&mut editor, "<Backspace>0<Enter>");
    assert!(editor.view.layers.is_empty());
    let step = &editor.map().steps[1];
    assert_eq!(step.label, "Service desk logs it (desk)");
    assert_eq!(step.also, [Activity::Improve]);
    assert_eq!(step.practices, ["Service desk", "Relationship management"]);
    assert_eq!(
        (step.process_minutes, step.wait_minutes),
        (Some(5), Some(30))
    );
    assert_eq!(step.notes, "Busy on Mondays");
    keys(&mut editor, "u");
    assert_eq!(editor.map().steps[1].label, "Service desk logs it");
}

#[test]
fn findings_are_visited_with_n_and_the_list() {
    let mut editor = build_stream();
    // No Improve: the stream misses feedback.
    assert_eq!(editor.doc().findings().len(), 1);
    keys(&mut editor, "n");
    assert!(
        editor
            .message()
            .unwrap()
            .text
            .starts_with("1/1 warning[missing-feedback]")
    );
    // An off-chain connection is the worst finding and comes first.
    keys(&mut editor, "hcl<Enter>change requests<Enter>");
    keys(&mut editor, "hhhh");
    assert_eq!(editor.view.cursor, Cell::new(0, 0));
    keys(&mut editor, "n");
    assert_eq!(
        editor.view.cursor,
        Cell::new(2, 0),
        "the cursor goes to the connection's source"
    );
    assert_eq!(editor.view.selected_flow, Some(3));
    keys(&mut editor, "f<Down><Enter>");
    assert!(editor.message().unwrap().text.contains("missing-feedback"));
}

#[test]
fn quitting_asks_when_unsaved_and_saving_clears_the_mark() {
    let mut editor = build_stream();
    assert_eq!(keys(&mut editor, "q"), []);
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::ConfirmQuit)
    ));
    keys(&mut editor, "<Esc>");
    assert_eq!(keys(&mut editor, "<C-s>"), [Effect::Save]);
    vsmap::editor::update(&mut editor, Action::Saved(Ok("test-map.ron".into())));
    assert!(!editor.modified());
    assert_eq!(keys(&mut editor, "q"), [Effect::Quit]);
    // Undo after saving makes it modified again; undoing back to it does not.
    keys(&mut editor, "u");
    assert!(editor.modified());
    keys(&mut editor, "<C-r>");
    assert!(!editor.modified());
    // Save and quit from the prompt; a failed save keeps the editor open.
    keys(&mut editor, "u");
    assert_eq!(keys(&mut editor, "qs"), [Effect::Save]);
    assert_eq!(
        vsmap::editor::update(&mut editor, Action::Saved(Err("disk full".into()))),
        None
    );
    assert!(editor.modified());
    assert!(editor.message().unwrap().text.contains("disk full"));
}

#[test]
fn keys_are_ignored_where_they_mean_nothing_and_the_cursor_stays_on_the_grid() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "hhhkkk");
    assert_eq!(editor.view.cursor, Cell::new(0, 0));
    keys(&mut editor, "c");
    assert_eq!(editor.view.mode, Mode::Normal);
    keys(&mut editor, "d<Tab>m");
    assert_eq!(*editor.map(), Map::new("m"));
    // The view follows the cursor.
    keys(&mut editor, &"l".repeat(10));
    assert!(editor.view.scroll.col > 0);
    assert!(editor.view.cursor.col >= editor.view.scroll.col);
}

fn mouse(
    editor: &mut vsmap::editor::Editor,
    kind: vsmap::editor::action::MouseKind,
    x: u16,
    y: u16,
) {
    vsmap::editor::update(
        editor,
        Action::Mouse(vsmap::editor::action::Mouse { kind, x, y }),
    );
}

#[test]
fn the_mouse_selects_drags_and_scrolls() {
    use vsmap::editor::action::MouseKind::*;
    let mut editor = build_stream();
    keys(&mut editor, "hhh");
    assert_eq!(editor.view.scroll, Cell::new(0, 0));
    // The grid starts below the title line; a point inside a cell's box, on screen.
    let geometry = editor.doc().canvas().geometry.clone();
    let at = |col, row| {
        let r = geometry.box_rect(Cell::new(col, row));
        ((r.x + 2) as u16, (r.y + 2 + 1) as u16)
    };
    let (x, y) = at(1, 0);
    mouse(&mut editor, Down, x, y);
    assert_eq!(editor.view.cursor, Cell::new(1, 0));
    // Dragging carries the step; letting go puts it down as one undoable move.
    let (x, y) = at(1, 1);
    mouse(&mut editor, Drag, x, y);
    let (x, y) = at(1, 2);
    mouse(&mut editor, Drag, x, y);
    mouse(&mut editor, Up, x, y);
    assert_eq!(editor.map().steps[1].at, Cell::new(1, 2));
    assert_eq!(editor.view.mode, Mode::Normal);
    keys(&mut editor, "u");
    assert_eq!(editor.map().steps[1].at, Cell::new(1, 0));
    // A click on a connection's line selects it: the channel between Engage and D&S.
    let route = editor.doc().canvas().route(1).unwrap();
    let (wx, wy) = route.points[0];
    mouse(&mut editor, Down, wx as u16, (wy + 1) as u16);
    assert_eq!(editor.view.selected_flow, Some(1));
    mouse(&mut editor, Up, wx as u16, (wy + 1) as u16);
    // The wheel scrolls, and the cursor stays in view.
    mouse(&mut editor, ScrollDown, 10, 10);
    mouse(&mut editor, ScrollDown, 10, 10);
    assert_eq!(editor.view.scroll.row, 2);
    assert!(editor.view.cursor.row >= 2);
    mouse(&mut editor, ScrollUp, 10, 10);
    assert_eq!(editor.view.scroll.row, 1);
    // Clicks are ignored while a popup is open.
    keys(&mut editor, "?");
    let (x, y) = at(1, 0);
    mouse(&mut editor, Down, x, y);
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::Help { .. })
    ));
}

#[test]
fn escape_read_together_with_the_next_key_is_both() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "a");
    assert!(!editor.view.layers.is_empty());
    // What a terminal reports for Esc followed at once by `l`.
    vsmap::editor::handle_key(
        &mut editor,
        KeyEvent::new(KeyCode::Char('l'), KeyModifiers::ALT),
    );
    assert!(editor.view.layers.is_empty(), "the picker closed");
    assert_eq!(editor.view.cursor, Cell::new(1, 0), "and the cursor moved");
}

/// Issue 13, item 3: the digit keys apply the selected connection's fixes, as the inspector
/// numbers them, each as one change that one `u` takes back and Ctrl-r redoes.
#[test]
fn a_fix_applies_as_one_change_and_undoes_in_one_go() {
    // Use an artifact: Engage -> Obtain or Build "Change request" is off-chain; seed 001
    // sends "Change or project initiation requests for obtain or build".
    let before = map_of(
        vec![
            step("log", Activity::Engage, 0),
            step("build", Activity::ObtainOrBuild, 1),
        ],
        vec![flow("log", "build", Some("Change request"))],
    );
    let mut editor = editor_with(before.clone());
    keys(&mut editor, "<Tab>");
    assert_eq!(editor.view.selected_flow, Some(0));
    let fixes = editor.doc().fixes_of(0);
    assert_eq!(fixes[0].kind(), "use-artifact", "{fixes:?}");
    keys(&mut editor, "1");
    assert_eq!(
        editor.map().flows[0].artifact.as_deref(),
        Some("Change or project initiation requests")
    );
    assert_eq!(editor.doc().report().verdicts, [Verdict::Canonical]);
    assert!(
        editor.message().unwrap().text.starts_with("Applied: use"),
        "{:?}",
        editor.message()
    );
    keys(&mut editor, "u");
    assert_eq!(*editor.map(), before);
    keys(&mut editor, "<C-r>");
    assert_eq!(
        editor.map().flows[0].artifact.as_deref(),
        Some("Change or project initiation requests")
    );

    // Insert a step: Demand -> Plan goes through Engage ("Requests and feedback from
    // customers", "Consolidated demands and opportunities for plan").
    let before = map_of(
        vec![
            step("demand", Activity::Demand, 0),
            step("plan", Activity::Plan, 2),
        ],
        vec![flow(
            "demand",
            "plan",
            Some("Consolidated demands and opportunities"),
        )],
    );
    let mut editor = editor_with(before.clone());
    keys(&mut editor, "<Tab>");
    let fixes = editor.doc().fixes_of(0);
    let n = fixes
        .iter()
        .position(|f| f.kind() == "insert-step")
        .expect("an insert-step fix");
    keys(&mut editor, &(n + 1).to_string());
    assert_eq!(editor.map().steps.len(), 3);
    assert_eq!(editor.map().steps[2].activity, Activity::Engage);
    assert_eq!(editor.map().flows.len(), 2);
    assert_eq!(
        editor.doc().report().verdicts,
        [Verdict::Canonical, Verdict::Canonical]
    );
    keys(&mut editor, "u");
    assert_eq!(*editor.map(), before, "one u takes the whole fix back");
    assert!(
        editor
            .message()
            .unwrap()
            .text
            .starts_with("Undid: fix: insert Engage")
    );
    keys(&mut editor, "<C-r>");
    assert_eq!(editor.map().steps.len(), 3);
    keys(&mut editor, "u");

    // Without a selection, past the last fix, and in review mode, nothing changes.
    keys(&mut editor, "<Esc>1");
    assert_eq!(*editor.map(), before);
    keys(&mut editor, "<Tab>9");
    assert_eq!(*editor.map(), before);
    assert!(editor.message().unwrap().text.contains("fix"));
    editor.view.review = true;
    keys(&mut editor, "1");
    assert_eq!(*editor.map(), before);
    assert!(editor.message().unwrap().text.starts_with("Review mode"));
}

#[test]
fn backlog_notes_are_edited_and_deleted_in_place() {
    let mut editor = build_stream();
    keys(&mut editor, "<Esc>+Self-service portal<Tab>Sam<Enter>b");
    let note = |editor: &vsmap::editor::Editor| {
        let backlog = editor.doc().backlog();
        backlog
            .first()
            .map(|(_, _, n)| (n.text.clone(), n.owner.clone()))
    };
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::Backlog { .. })
    ));
    keys(
        &mut editor,
        "e<C-u>Self-service for passwords<Tab><C-u>Ana<Enter>",
    );
    assert_eq!(
        note(&editor),
        Some(("Self-service for passwords".into(), Some("Ana".into())))
    );
    assert_eq!(
        editor.message().unwrap().text,
        "Improvement note changed; u brings back the old one"
    );
    // Back in the backlog; close it, and u brings the old words back.
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::Backlog { .. })
    ));
    keys(&mut editor, "<Esc>u");
    assert_eq!(
        note(&editor),
        Some(("Self-service portal".into(), Some("Sam".into())))
    );
    keys(&mut editor, "bd");
    assert_eq!(note(&editor), None);
    assert_eq!(
        editor.message().unwrap().text,
        "Improvement note deleted; u brings it back"
    );
    // u in the backlog brings it back, and the backlog stays open on it.
    keys(&mut editor, "u");
    assert_eq!(
        note(&editor),
        Some(("Self-service portal".into(), Some("Sam".into())))
    );
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::Backlog { selected: 0 })
    ));
}

/// The terminal applies a burst of keys without routing and routes once before it draws,
/// so a frame pays for routing once: `apply` leaves the routes to the frame, `update`
/// routes what came into view, and both end in the same picture.
#[test]
fn a_burst_of_keys_is_routed_once_for_its_frame() {
    let text = include_str!("../sample-maps/incident-management.ron");
    let map = Map::from_text("incident-management.ron", text).unwrap();
    let routed = |editor: &vsmap::editor::Editor| {
        editor
            .doc()
            .canvas()
            .routes()
            .iter()
            .filter(|r| r.is_some())
            .count()
    };
    let mut burst = vsmap::editor::Editor::new(
        vsmap::chain::Chain::builtin(),
        map.clone(),
        "test-map.ron".into(),
        vsmap::editor::Looks {
            ascii: false,
            color: false,
        },
        false,
    );
    vsmap::editor::apply(&mut burst, Action::Resize(120, 40));
    for key in "lllj".chars() {
        vsmap::editor::apply(&mut burst, Action::Key(key_event(key)));
    }
    assert_eq!(routed(&burst), 0, "apply routes nothing");
    burst.ensure_routes();
    assert!(routed(&burst) > 0);

    let mut one_by_one = editor_with(map);
    keys(&mut one_by_one, "lllj");
    assert_eq!(screen(&burst, 120, 40), screen(&one_by_one, 120, 40));
}

fn key_event(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    )
}
