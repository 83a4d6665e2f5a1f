//! Text fields edit like a shell's (Ctrl-u, Ctrl-w, Ctrl-k, Alt-b, Alt-f, Alt-d, ...) in
//! every popup that takes typing, a paste goes in whole, and the pickers list first what was
//! typed and, when a link is edited, what the chain allows. Driven through `update`, plus
//! one run in a real terminal.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::mem::discriminant;
use support::*;
use vsmap::check::Verdict;
use vsmap::editor::picker::{Mark, Picker};
use vsmap::editor::state::{ArtifactChoice, Layer};
use vsmap::editor::{Action, Editor};
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Map};

/// Engage, Plan, then two Deliver and Support steps, along row 0.
fn four_steps(flows: Vec<vsmap::model::map::Flow>) -> Map {
    map_of(
        vec![
            step("log", Activity::Engage, 0),
            step("plan", Activity::Plan, 1),
            step("fix", Activity::DeliverAndSupport, 2),
            step("route", Activity::DeliverAndSupport, 3),
        ],
        flows,
    )
}

/// The field with the keys, written with `|` at the cursor.
fn field(editor: &Editor) -> String {
    let input = match editor.view.layers.last() {
        Some(Layer::ActivityPicker { picker, .. }) => &picker.filter,
        Some(Layer::ArtifactPicker { picker, .. }) => &picker.filter,
        Some(Layer::Label { input, .. } | Layer::Title(input) | Layer::SaveAs(input)) => input,
        Some(Layer::Form(form)) => &form.fields[form.focused].input,
        other => panic!("no text field on top: {other:?}"),
    };
    format!("{}|{}", input.before(), input.after())
}

/// A key with Alt, as a terminal reports Alt+key (or Esc and the key together).
fn alt(editor: &mut Editor, code: KeyCode) {
    vsmap::editor::handle_key(editor, KeyEvent::new(code, KeyModifiers::ALT));
}

fn artifact_picker(editor: &Editor) -> &Picker<ArtifactChoice> {
    match editor.view.layers.last() {
        Some(Layer::ArtifactPicker { picker, .. }) => picker,
        other => panic!("no artifact picker: {other:?}"),
    }
}

/// The titles the artifact picker lists, in order.
fn listed(editor: &Editor) -> Vec<String> {
    let picker = artifact_picker(editor);
    picker
        .visible()
        .iter()
        .map(|&i| picker.items[i].title.clone())
        .collect()
}

#[test]
fn every_text_field_edits_like_a_shell() {
    type Open = fn(&mut Editor);
    let fields: [(&str, Open); 7] = [
        ("title", |e| {
            keys(e, "t");
        }),
        ("label", |e| {
            keys(e, "ja<Enter>");
        }),
        ("activity picker", |e| {
            keys(e, "ja");
        }),
        ("artifact picker", |e| {
            keys(e, "cl<Enter>");
        }),
        ("step form, label", |e| {
            keys(e, "e");
        }),
        ("step form, practices", |e| {
            keys(e, "e<Tab><Tab><Tab>");
        }),
        ("save as", |e| {
            vsmap::editor::update(e, Action::ExternalChange);
            keys(e, "s");
        }),
    ];
    for (name, open) in fields {
        let mut editor = editor_with(four_steps(vec![]));
        open(&mut editor);
        let popup = discriminant(editor.view.layers.last().unwrap());
        let expect = |editor: &mut Editor, script: &str, alt_key: Option<KeyCode>, want| {
            keys(editor, script);
            if let Some(code) = alt_key {
                alt(editor, code);
            }
            assert_eq!(field(editor), want, "{name}: after {script:?} {alt_key:?}");
            assert_eq!(
                discriminant(editor.view.layers.last().unwrap()),
                popup,
                "{name}: the popup stays open"
            );
        };
        expect(&mut editor, "<C-u>", None, "|");
        expect(&mut editor, "alpha beta gamma", None, "alpha beta gamma|");
        expect(&mut editor, "<C-w>", None, "alpha beta |");
        expect(&mut editor, "délta", None, "alpha beta délta|");
        expect(&mut editor, "<C-Left>", None, "alpha beta |délta");
        expect(
            &mut editor,
            "",
            Some(KeyCode::Char('b')),
            "alpha |beta délta",
        );
        expect(&mut editor, "", Some(KeyCode::Char('d')), "alpha | délta");
        expect(&mut editor, "<C-Right>", None, "alpha  délta|");
        expect(&mut editor, "<C-a>", None, "|alpha  délta");
        expect(&mut editor, "", Some(KeyCode::Char('f')), "alpha|  délta");
        expect(&mut editor, "<C-k>", None, "alpha|");
        expect(&mut editor, "<Home>x<End>", None, "xalpha|");
        expect(&mut editor, "", Some(KeyCode::Backspace), "|");
        expect(&mut editor, "one, two", None, "one, two|");
        expect(&mut editor, "<C-a><Right><Right><Right>", None, "one|, two");
        expect(&mut editor, "<C-e><Left>", None, "one, tw|o");
        expect(&mut editor, "<C-u>", None, "|o");
        expect(&mut editor, "<Del>", None, "|");
    }
}

#[test]
fn editing_keys_change_the_title_the_map_gets() {
    let mut editor = editor_with(Map::new("Incident flow draft"));
    // Ctrl-w takes "draft", Alt-b goes back over "flow", Alt-d deletes it.
    keys(&mut editor, "t<C-w>");
    alt(&mut editor, KeyCode::Char('b'));
    alt(&mut editor, KeyCode::Char('d'));
    keys(&mut editor, "<C-e>stream for the service desk");
    let screen = screen(&editor, 120, 40).join("\n");
    assert!(
        screen.contains("> Incident  stream for the service desk"),
        "{screen}"
    );
    keys(&mut editor, "<Enter>");
    assert!(editor.view.layers.is_empty());
    assert_eq!(editor.map().title, "Incident  stream for the service desk");
    keys(&mut editor, "u");
    assert_eq!(
        editor.map().title,
        "Incident flow draft",
        "one undoable change"
    );
    // Ctrl-u then Esc: nothing changes.
    keys(&mut editor, "t<C-u>New<Esc>");
    assert_eq!(editor.map().title, "Incident flow draft");
}

/// Alt+key arrives also when Esc and the key are read together. Where Alt+key edits the
/// field, it edits; where it does not, it still reads as Esc then the key.
#[test]
fn alt_keys_edit_and_other_alt_keys_are_still_esc_then_the_key() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "t<C-u>one two");
    alt(&mut editor, KeyCode::Char('b'));
    assert_eq!(field(&editor), "one |two");
    alt(&mut editor, KeyCode::Char('l'));
    assert!(editor.view.layers.is_empty(), "Esc closed the title");
    assert_eq!(
        editor.view.cursor,
        Cell::new(1, 0),
        "and l moved the cursor"
    );
    assert_eq!(editor.map().title, "m");
}

#[test]
fn a_paste_goes_in_whole_as_one_line() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "t<C-u>");
    vsmap::editor::update(
        &mut editor,
        Action::Paste("Incident flow\nfor the\r\nservice\rdesk\u{7}\t!\u{1b}[2J".into()),
    );
    // A line break, however the terminal sends it, is a space, and does not confirm.
    assert_eq!(field(&editor), "Incident flow for the service desk ![2J|");
    assert!(matches!(editor.view.layers.last(), Some(Layer::Title(_))));
    keys(&mut editor, &format!("{}<Enter>", "<Backspace>".repeat(4)));
    assert_eq!(editor.map().title, "Incident flow for the service desk");

    // At most MAX_CHARS characters, however long the paste; at the cursor.
    keys(&mut editor, "t<C-u>ab<Left>");
    let long = "é".repeat(vsmap::editor::input::MAX_CHARS * 3);
    vsmap::editor::update(&mut editor, Action::Paste(long));
    let text = field(&editor);
    assert_eq!(text.chars().count(), vsmap::editor::input::MAX_CHARS + 1);
    assert!(
        text.starts_with("aé") && text.ends_with("é|b"),
        "{text:.20}"
    );
    keys(&mut editor, "<Esc>");

    // Into a picker: the filter takes it and the list is filtered by all of it at once.
    let mut editor = editor_with(four_steps(vec![]));
    keys(&mut editor, "cl<Enter><Down><Down>");
    vsmap::editor::update(&mut editor, Action::Paste("service comp\n".into()));
    assert_eq!(field(&editor), "service comp |");
    assert_eq!(artifact_picker(&editor).selected, 0);
    assert_eq!(listed(&editor)[0], "Service components");
}

#[test]
fn moving_in_a_filter_keeps_the_selection_and_editing_it_refilters() {
    let mut editor = editor_with(four_steps(vec![]));
    keys(&mut editor, "cl<Enter><Down><Down>");
    assert_eq!(artifact_picker(&editor).selected, 2);
    keys(&mut editor, "s<Down>");
    assert_eq!(artifact_picker(&editor).selected, 1);
    keys(&mut editor, "<Left><C-a><Right><C-Left><C-e><Home>");
    alt(&mut editor, KeyCode::Char('f'));
    assert_eq!(
        artifact_picker(&editor).selected,
        1,
        "the cursor moved only"
    );
    // Deleting nothing (at the start) changes nothing either.
    keys(&mut editor, "<Home><Backspace><C-u><C-w>");
    assert_eq!(artifact_picker(&editor).selected, 1);
    keys(&mut editor, "<C-k>");
    assert_eq!(field(&editor), "|");
    assert_eq!(artifact_picker(&editor).selected, 0, "the filter changed");
}

/// A user typed `service comp` in the artifact picker and got "Service components" fourth,
/// behind longer titles holding the same words.
#[test]
fn the_artifact_picker_lists_first_what_was_typed() {
    let mut editor = editor_with(four_steps(vec![]));
    keys(&mut editor, "cl<Enter>");
    // With nothing typed, every item matches alike: the canonical choices lead.
    let picker = artifact_picker(&editor);
    let marks: Vec<Mark> = picker
        .visible()
        .iter()
        .map(|&i| picker.items[i].mark)
        .collect();
    let canonical = marks.iter().filter(|&&m| m == Mark::Canonical).count();
    assert!(canonical > 0);
    assert!(marks[..canonical].iter().all(|&m| m == Mark::Canonical));
    for (typed, first) in [
        ("service comp", "Service components"),
        ("SERVICE COMPONENTS", "Service components"),
        ("change req", "Change requests"),
        ("services deliv", "Services delivered"),
        (
            "third-party",
            "Knowledge and information about third-party service components",
        ),
    ] {
        keys(&mut editor, &format!("<C-u>{typed}"));
        assert_eq!(listed(&editor)[0], first, "typing {typed:?}");
        let picker = artifact_picker(&editor);
        assert_eq!(picker.chosen().unwrap().title, first);
    }
    keys(&mut editor, "<C-u>service comp<Enter>");
    assert_eq!(
        editor.map().flows[0].artifact.as_deref(),
        Some("Service components")
    );
}

#[test]
fn a_filter_that_matches_nothing_gives_the_typed_name() {
    let mut editor = editor_with(four_steps(vec![]));
    keys(&mut editor, "cl<Enter>Our own thing");
    assert!(listed(&editor).is_empty());
    let screen = screen(&editor, 120, 40).join("\n");
    assert!(
        screen.contains("Enter uses \"Our own thing\" as it is"),
        "{screen}"
    );
    keys(&mut editor, "<Enter>");
    assert_eq!(
        editor.map().flows[0].artifact.as_deref(),
        Some("Our own thing")
    );
    assert_eq!(editor.doc().report().verdicts, [Verdict::UnknownArtifact]);
}

/// Editing a link opens the picker with the canonical choices in view: an off-chain current
/// artifact is put above them, marked current, instead of being scrolled to far down.
#[test]
fn editing_an_off_chain_link_shows_it_first_and_the_canonical_choices_after_it() {
    let map = four_steps(vec![flow("log", "plan", Some("Change requests"))]);
    let mut editor = editor_with(map.clone());
    keys(&mut editor, "<Tab><Enter>");
    let picker = artifact_picker(&editor);
    assert_eq!(picker.chosen().unwrap().title, "Change requests");
    assert_eq!(picker.selected, 0);
    let titles = listed(&editor);
    let picker = artifact_picker(&editor);
    let canonical: Vec<&str> = picker
        .items
        .iter()
        .filter(|i| i.mark == Mark::Canonical)
        .map(|i| i.title.as_str())
        .collect();
    assert!(!canonical.is_empty());
    assert_eq!(titles[1..=canonical.len()], canonical[..]);
    // On screen: the current artifact says so, the canonical ones are all in view.
    let screen = screen(&editor, 100, 30);
    let row = |title: &str| {
        screen
            .iter()
            .position(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title:?} is not in view:\n{}", screen.join("\n")))
    };
    assert!(screen[row("Change requests")].contains("Change requests  (current)"));
    for title in &canonical {
        assert!(row(title) > row("Change requests"));
        assert!(!screen[row(title)].contains("(current)"));
    }
    // Enter keeps it; typing ranks it like any other item.
    keys(&mut editor, "<Enter>");
    assert_eq!(*editor.map(), map);
    keys(&mut editor, "<Enter>requ");
    assert_ne!(listed(&editor)[0], "Change requests");
    keys(&mut editor, "<C-u>");
    assert_eq!(listed(&editor)[0], "Change requests", "back on top");
}

#[test]
fn editing_a_canonical_or_handoff_link_selects_it_where_it_is() {
    let chain = vsmap::chain::Chain::builtin();
    let map = four_steps(vec![]);
    let canonical = vsmap::check::canonical_artifacts(&chain, &map.steps[0], &map.steps[1]);
    let last = chain.artifact_name(*canonical.last().unwrap()).to_string();
    let mut editor = editor_with(four_steps(vec![
        flow("log", "plan", Some(&last)),
        flow("fix", "route", None),
    ]));
    keys(&mut editor, "<Tab><Enter>");
    let picker = artifact_picker(&editor);
    assert_eq!(picker.pinned, None);
    assert_eq!(picker.selected, canonical.len() - 1);
    assert_eq!(picker.chosen().unwrap().title, last);
    keys(&mut editor, "<Esc><Esc>ll<Tab><Enter>");
    let picker = artifact_picker(&editor);
    assert_eq!(picker.pinned, None);
    let chosen = picker.chosen().unwrap();
    assert_eq!(
        (chosen.title.as_str(), chosen.mark),
        ("handoff (no artifact)", Mark::Handoff)
    );
}

#[test]
fn editing_a_link_without_an_artifact_between_activities_pins_no_artifact() {
    let mut editor = editor_with(four_steps(vec![flow("log", "plan", None)]));
    keys(&mut editor, "<Tab><Enter>");
    let picker = artifact_picker(&editor);
    let chosen = picker.chosen().unwrap();
    assert_eq!(
        (chosen.title.as_str(), chosen.mark),
        ("no artifact", Mark::OffChain)
    );
    assert_eq!(picker.selected, 0);
    assert_eq!(picker.visible()[0], picker.pinned.unwrap());
}

/// "A link without an artifact can be made from any pair": offered for every pair, right
/// after the canonical choices, and its detail says what the checker says once it is made.
#[test]
fn no_artifact_is_offered_for_every_pair_and_says_what_the_check_will_say() {
    let activities = [
        Activity::Demand,
        Activity::Engage,
        Activity::Plan,
        Activity::Improve,
        Activity::DesignAndTransition,
        Activity::ObtainOrBuild,
        Activity::DeliverAndSupport,
        Activity::DeliverAndSupport,
        Activity::Value,
    ];
    let steps = activities
        .iter()
        .enumerate()
        .map(|(i, &a)| step(&format!("s{i}"), a, i as u16))
        .collect();
    let mut editor = editor_with(map_of(steps, vec![]));
    let mut handoffs = 0;
    for from in 0..activities.len() {
        for to in (0..activities.len()).filter(|&to| to != from) {
            editor.view.cursor = Cell::new(from as u16, 0);
            let moves = if to > from { "l" } else { "h" }.repeat(from.abs_diff(to));
            keys(&mut editor, &format!("c{moves}<Enter>"));
            let picker = artifact_picker(&editor);
            let visible = picker.visible();
            let canonical = visible
                .iter()
                .take_while(|&&i| picker.items[i].mark == Mark::Canonical)
                .count();
            let offered = &picker.items[visible[canonical]];
            assert_eq!(offered.value, ArtifactChoice::None, "{from} -> {to}");
            let (mark, detail) = (offered.mark, offered.detail.clone());
            keys(
                &mut editor,
                &format!("{}<Enter>", "<Down>".repeat(canonical)),
            );
            let flow = editor.map().flows.len() - 1;
            assert_eq!(editor.map().flows[flow].artifact, None);
            let verdict = editor.doc().report().verdicts[flow];
            let said = editor.doc().report().diagnostics.iter().find(|d| {
                d.subject == vsmap::check::Subject::Flow(flow, Some("artifact"))
                    || d.subject == vsmap::check::Subject::Flow(flow, None)
            });
            if activities[from] == activities[to] {
                handoffs += 1;
                assert_eq!((mark, verdict), (Mark::Handoff, Verdict::Handoff));
                assert_eq!(
                    detail,
                    "both steps are Deliver and Support: work moves inside the activity"
                );
                assert!(said.is_none(), "{said:?}");
            } else {
                assert_eq!(mark, Mark::OffChain, "{from} -> {to}");
                let said = said.expect("the check says why");
                assert_eq!(
                    detail,
                    format!(
                        "checked as {}: {}[{}]: {}",
                        verdict.as_str(),
                        said.severity().as_str(),
                        said.code.as_str(),
                        said.message
                    )
                );
            }
            keys(&mut editor, "u<Esc>");
            assert!(editor.map().flows.is_empty());
        }
    }
    assert_eq!(handoffs, 2);
    // Engage to Plan, word for word.
    editor.view.cursor = Cell::new(1, 0);
    keys(&mut editor, "cl<Enter>no artifact");
    assert_eq!(
        artifact_picker(&editor).chosen().unwrap().detail,
        "checked as off-chain: error[missing-artifact]: no artifact named for the flow from Engage to Plan"
    );
}

/// In a real terminal: type a title, Ctrl-u, type another, Alt keys, a bracketed paste
/// with a line break; the screen and the saved file show only the last title.
#[test]
fn a_real_terminal_edits_the_title_with_shell_keys_and_pastes_it_whole() {
    use support::tmux::{Tmux, vsmap_in};
    let temp = scratch();
    let file = temp.path().join("workshop.ron");
    let tmux = Tmux::start(120, 30, &vsmap_in(&[], &[&file]));
    tmux.wait_for("DEM Demand");
    tmux.send(&["t"]);
    tmux.wait_for("Map title");
    tmux.type_text(" old words");
    tmux.wait_for("> workshop old words");
    tmux.send(&["C-u"]);
    tmux.type_text("Incident flow");
    let screen = tmux.wait_settled("> Incident flow");
    assert!(!screen.contains("old words"), "{screen}");
    // Alt-b then Alt-d: "flow" goes; Ctrl-e, then a paste whose line break becomes a
    // space (tmux sends it as the \r a terminal sends) instead of confirming the title.
    tmux.send(&["M-b", "M-d"]);
    tmux.type_text("stream");
    tmux.wait_for("> Incident stream");
    let status = tmux
        .command()
        .args(["set-buffer", "--", " of the\nservice desk"])
        .status()
        .unwrap();
    assert!(status.success());
    let status = tmux
        .command()
        .args(["paste-buffer", "-p", "-t", "main"])
        .status()
        .unwrap();
    assert!(status.success());
    let screen = tmux.wait_settled("> Incident stream of the service desk");
    assert!(screen.contains("Map title"), "still editing:\n{screen}");
    tmux.send(&["Enter"]);
    tmux.wait_for("[modified]");
    tmux.send(&["C-s"]);
    tmux.wait_for("Saved ");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    let text = std::fs::read_to_string(&file).expect("the map was saved");
    assert!(
        text.contains("title: \"Incident stream of the service desk\","),
        "{text}"
    );
}
