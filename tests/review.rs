//! Review mode, improvement notes, the backlog and the timeline ladder.

mod support;

use support::*;
use vsmap::chain::Chain;
use vsmap::editor::action::{Mouse, MouseKind};
use vsmap::editor::keys::{Context, table};
use vsmap::editor::state::{Layer, Target};
use vsmap::editor::{Action, Editor, Effect, Looks};
use vsmap::model::map::{Cell, Map};

fn sample(name: &str) -> Map {
    let path = format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"));
    Map::from_text(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn review(map: Map) -> Editor {
    let mut editor = Editor::for_review(
        Chain::builtin(),
        map,
        "review.ron".into(),
        Looks {
            ascii: false,
            color: false,
        },
    );
    vsmap::editor::update(&mut editor, Action::Resize(160, 45));
    editor
}

#[test]
fn review_mode_refuses_every_editing_action_and_never_asks_to_save() {
    let original = sample("incident-management");
    let mut editor = review(original.clone());
    keys(&mut editor, "l");
    // Every key the editing grid binds, on a step, on a selected connection and on an empty cell.
    let editing_keys: Vec<crossterm::event::KeyEvent> = table(Context::Grid)
        .iter()
        .flat_map(|b| b.keys.iter())
        .map(|k| crossterm::event::KeyEvent::new(k.code, k.mods))
        .filter(|k| {
            !matches!(
                k.code,
                crossterm::event::KeyCode::Char('q' | '?' | 'R' | 'i' | 'f' | 'b')
            )
        })
        .collect();
    for place in ["", "<Tab>", "jj"] {
        keys(&mut editor, place);
        for &key in &editing_keys {
            let effects: Vec<Effect> = vsmap::editor::handle_key(&mut editor, key)
                .into_iter()
                .collect();
            assert_eq!(effects, [], "{key:?} asked for an effect in review mode");
            // Close whatever a harmless key opened (help, inspector) and leave any mode.
            while !editor.view.layers.is_empty() {
                keys(&mut editor, "<Esc>");
            }
            keys(&mut editor, "<Esc>");
            assert_eq!(
                *editor.map(),
                original,
                "{key:?} changed the map in review mode"
            );
        }
        assert!(!editor.modified());
    }
    keys(&mut editor, "a");
    assert_eq!(
        editor.message().unwrap().text,
        "Review mode: the map is read-only. + adds an improvement note"
    );
    // Dragging a step moves nothing.
    for (kind, y) in [
        (MouseKind::Down, 11),
        (MouseKind::Drag, 25),
        (MouseKind::Up, 25),
    ] {
        vsmap::editor::update(&mut editor, Action::Mouse(Mouse { kind, x: 30, y }));
    }
    assert_eq!(*editor.map(), original);
    // `vsmap review` cannot be left for editing.
    keys(&mut editor, "R");
    assert!(editor.view.review);
    assert_eq!(keys(&mut editor, "q"), [Effect::Quit]);
}

#[test]
fn review_mode_adds_improvement_notes_clearly_and_only_those() {
    let mut editor = review(sample("incident-management"));
    keys(&mut editor, "l+");
    let lines = screen(&editor, 160, 45);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Improvement note on \"Service desk logs the issue\"")),
        "{}",
        lines.join("\n")
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("the only change review mode makes"))
    );
    keys(&mut editor, "Offer self-service logging<Tab>Priya<Enter>");
    let step = &editor.map().steps[1];
    assert_eq!(step.improvements.len(), 1);
    assert_eq!(step.improvements[0].text, "Offer self-service logging");
    assert_eq!(step.improvements[0].owner.as_deref(), Some("Priya"));
    assert!(
        editor
            .message()
            .unwrap()
            .text
            .contains("Ctrl-s saves it to the file")
    );
    assert_eq!(keys(&mut editor, "<C-s>"), [Effect::Save]);
    // An empty note is refused, and a read-only file takes no notes at all.
    keys(&mut editor, "+<Enter>");
    let Some(Layer::Form(form)) = editor.view.layers.last() else {
        panic!("the form stays open")
    };
    assert_eq!(form.error.as_deref(), Some("Say what to improve"));
    keys(&mut editor, "<Esc>");
    vsmap::editor::update(&mut editor, Action::Writable(false));
    keys(&mut editor, "+");
    assert!(editor.view.layers.is_empty());
    assert!(editor.message().unwrap().text.contains("read-only"));
}

#[test]
fn the_backlog_lists_every_note_and_goes_to_it() {
    let mut editor = editor_with(sample("incident-management"));
    keys(&mut editor, "l+Self-service<Enter>");
    keys(&mut editor, "l<Tab>+Route automatically<Tab>Sam<Enter>");
    assert_eq!(
        editor.map().flows[1].improvements[0].text,
        "Route automatically"
    );
    keys(&mut editor, "<Esc>hhhb");
    let lines = screen(&editor, 160, 45);
    assert!(
        lines.iter().any(|l| l.contains("Service desk logs the")
            && l.contains("Self-service")
            && l.contains("[—]")),
        "{}",
        lines.join("\n")
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Service desk logs the issue -> Passed t")
                && l.contains("Route automatically")
                && l.contains("[Sam]")),
        "{}",
        lines.join("\n")
    );
    keys(&mut editor, "j<Enter>");
    assert_eq!(editor.view.selected_flow, Some(1));
    assert_eq!(editor.view.cursor, editor.map().steps[1].at);
    keys(&mut editor, "bd");
    assert!(editor.map().steps[1].improvements.is_empty());
    keys(&mut editor, "<Esc>u");
    assert_eq!(editor.map().steps[1].improvements.len(), 1);
    // Steps and connections with notes are marked on the map.
    let lines = screen(&editor, 160, 45);
    assert!(
        lines.iter().any(|l| l.contains("★1─┐")),
        "{}",
        lines.join("\n")
    );
    assert!(lines.iter().any(|l| l.contains('★') && l.contains("✔▶")));
}

#[test]
fn the_timeline_ladder_shows_waits_above_and_process_below() {
    let mut map = map_of(
        vec![
            step("d", vsmap::model::activity::Activity::Demand, 0),
            step("a", vsmap::model::activity::Activity::Engage, 1),
            step("b", vsmap::model::activity::Activity::DeliverAndSupport, 2),
            step("v", vsmap::model::activity::Activity::Value, 3),
        ],
        vec![
            flow("d", "a", None),
            flow("a", "b", None),
            flow("b", "v", None),
        ],
    );
    map.steps[1].process_minutes = Some(5);
    map.steps[1].wait_minutes = Some(30);
    map.steps[1].complete_accurate_percent = Some(90);
    map.steps[2].process_minutes = Some(60);
    map.steps[2].wait_minutes = Some(120);
    map.steps[2].complete_accurate_percent = Some(50);
    let mut editor = editor_with(map);
    keys(&mut editor, "T");
    let lines = screen(&editor, 120, 40);
    let top = lines
        .iter()
        .position(|l| l.starts_with(" Timeline"))
        .expect("the ladder");
    assert_eq!(
        lines[top],
        " Timeline · lead 3h35m · process 1h5m · flow efficiency 30.2% · %C/A 45.0%"
    );
    // Waits on the high level, each right before its step's corner; process times on
    // the low level, each under its step's box, whose corner is straight below.
    let (high, low, names) = (&lines[top + 1], &lines[top + 2], &lines[top + 3]);
    let column = |line: &str, needle: &str| {
        let byte = line
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {line}"));
        line[..byte].chars().count()
    };
    let corner_a = column(high, " 30m ┐") + 5;
    let corner_b = column(high, " 2h ┐") + 4;
    assert_eq!(low.chars().nth(corner_a), Some('└'), "{high}\n{low}");
    assert_eq!(low.chars().nth(corner_b), Some('└'), "{high}\n{low}");
    assert_eq!(column(low, "└─ 5m "), corner_a);
    assert_eq!(column(low, "└─ 1h "), corner_b);
    // The step names stand under their rungs, and the rungs under the boxes.
    assert_eq!(column(names, "a label"), corner_a);
    assert_eq!(column(names, "b label"), corner_b);
    let box_row = lines.iter().find(|l| l.contains("│a label")).unwrap();
    assert_eq!(column(box_row, "│a label"), corner_a);
    assert!(
        lines[top + 4].contains("bottleneck: b label (wait 2h) · path: d label → a label"),
        "{}",
        lines[top + 4]
    );
    // The bottleneck is marked when the timeline shows.
    assert!(lines.iter().any(|l| l.contains("⚠wait─┐")));
    // Missing numbers are missing, not zero.
    editor.change_map_unrecorded(|map| map.steps[2].process_minutes = None);
    let lines = screen(&editor, 120, 40);
    let top = lines
        .iter()
        .position(|l| l.starts_with(" Timeline"))
        .unwrap();
    assert!(
        lines[top].starts_with(
            " Timeline · lead missing (1 step without times) · process missing (1 step without times) · flow efficiency missing"
        ),
        "{}",
        lines[top]
    );
    // The process segment under the step whose time is missing says "?".
    assert!(lines[top + 2].contains("└─ ? "), "{}", lines[top + 2]);
}

#[test]
fn the_inspector_shows_each_steps_numbers_and_the_stream_metrics() {
    let mut editor = review(sample("incident-management"));
    keys(&mut editor, "k");
    assert_eq!(editor.step_under_cursor(), None);
    let map_panel: String = screen(&editor, 160, 45)
        .iter()
        .map(|l| l.chars().skip(121).collect::<String>() + "\n")
        .collect();
    assert!(map_panel.contains("Flow metrics"), "{map_panel}");
    assert!(map_panel.contains("Lead time"));
    // Handoff waste and the activities used, under the other flow metrics.
    let flat = map_panel.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Handoff wait 55m (26.8% of the lead time); longest 30m before Passed to resolution group"),
        "{map_panel}"
    );
    assert!(
        flat.contains("Activities used 3 of 6; not used: Plan"),
        "{map_panel}"
    );
    keys(&mut editor, "jl");
    let step = editor.step_under_cursor().unwrap();
    let s = &editor.map().steps[step];
    let panel: String = screen(&editor, 160, 45)
        .iter()
        .map(|l| l.chars().skip(121).collect::<String>() + "\n")
        .collect();
    let day = editor.map().day_minutes();
    let expected = format!(
        "Process {} · Wait {} · %C/A {}",
        s.process_minutes
            .map_or("missing".into(), |m| vsmap::text::minutes(m, day)),
        s.wait_minutes
            .map_or("missing".into(), |m| vsmap::text::minutes(m, day)),
        s.complete_accurate_percent
            .map_or("missing".into(), |p| format!("{p}%"))
    );
    assert!(panel.contains(&expected), "{expected} not in\n{panel}");
    let _ = Target::Step(0);
    let _ = Cell::new(0, 0);
}
