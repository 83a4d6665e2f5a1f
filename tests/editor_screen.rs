//! What the editor draws, rendered into ratatui's TestBackend and read back as text.

mod support;

use ratatui::style::Color;
use support::*;
use vsmap::editor::Action;
use vsmap::model::activity::Activity::*;
use vsmap::model::map::{Cell, Map};

/// Demand -> Engage -> Deliver and Support (handoff to a second D&S) -> Value, plus an
/// off-chain connection from Engage up to a Plan step.
fn stream() -> Map {
    let mut map = map_of(
        vec![
            step("demand", Demand, 0),
            step("log", Engage, 1),
            step("fix", DeliverAndSupport, 2),
            step("check", DeliverAndSupport, 3),
            step("value", Value, 4),
        ],
        vec![
            flow(
                "demand",
                "log",
                Some("Incidents, service requests, and feedback"),
            ),
            flow("log", "fix", Some("User support tasks")),
            flow("fix", "check", None),
            flow("check", "value", Some("Services delivered")),
            flow("log", "plan", Some("Change requests")),
        ],
    );
    let mut plan = step("plan", Plan, 1);
    plan.at = Cell::new(1, 1);
    plan.label = "Prioritise".into();
    map.steps.push(plan);
    map.steps[1].label = "Service desk logs the call".into();
    map.steps[1].process_minutes = Some(5);
    map.steps[1].wait_minutes = Some(90);
    map
}

fn row_containing<'a>(lines: &'a [String], needle: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}:\n{}", lines.join("\n")))
}

#[test]
fn the_grid_draws_boxes_routed_connections_and_every_verdict_mark() {
    let editor = editor_with(stream());
    let lines: Vec<String> = screen(&editor, 160, 40)
        .iter()
        .map(|l| l.chars().take(120).collect())
        .collect();
    // Each artifact's name stands on its link; boxes are as wide as their headings.
    assert_eq!(lines[2].trim_end(), "                      Incidents,");
    assert_eq!(
        lines[3],
        "   ╔════════════════╗ service requests, ┌────────────────┐                    ┌───────────────────────┐      ┌──────────"
    );
    assert_eq!(
        lines[4],
        "   ║DEM Demand      ║ and feedback      │ENG Engage      │ User support tasks │D&S Deliver and Support│      │D&S Delive"
    );
    assert_eq!(
        lines[5],
        "   ║demand label    ║─────────────────✔▶│Service desk    │──────────────────✔▶│fix label              │────↔▶│check labe"
    );
    assert_eq!(
        lines[7].trim_end(),
        "   ║                ║                   │5m · wait 1h30m │                    │                       │      │"
    );
    // The off-chain connection runs down from Engage to Plan, marked ✖ before its arrowhead.
    let box_bottom = lines
        .iter()
        .position(|l| l.contains("└────────────────┘"))
        .unwrap();
    assert_eq!(lines[box_bottom + 1].chars().nth(48), Some('│'));
    let col = lines[box_bottom + 2]
        .find('✖')
        .map(|b| lines[box_bottom + 2][..b].chars().count());
    assert_eq!(
        col,
        Some(48),
        "the mark sits in the channel under Engage:\n{}",
        lines[box_bottom + 2]
    );
    assert!(
        lines[box_bottom + 2]
            .trim_end()
            .ends_with("✖ Change requests")
    );
    assert_eq!(lines[box_bottom + 3].chars().nth(48), Some('▼'));
}

#[test]
fn verdicts_are_coloured_and_no_color_keeps_the_marks() {
    let mut editor = editor_with(stream());
    editor.view.looks.color = true;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 40)).unwrap();
    terminal
        .draw(|f| vsmap::editor::draw::draw(f, &editor))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let find = |symbol: &str| {
        (0..40u16)
            .flat_map(|y| (0..120u16).map(move |x| (x, y)))
            .find(|&(x, y)| buffer[(x, y)].symbol() == symbol)
            .unwrap()
    };
    assert_eq!(buffer[find("✖")].fg, Color::Red);
    assert_eq!(buffer[find("✔")].fg, Color::Green);
    assert_eq!(buffer[find("↔")].fg, Color::Cyan);
    editor.view.looks.color = false;
    terminal
        .draw(|f| vsmap::editor::draw::draw(f, &editor))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    for y in 0..40u16 {
        for x in 0..160u16 {
            assert!(
                matches!(buffer[(x, y)].fg, Color::Reset),
                "colour at {x},{y} with NO_COLOR"
            );
            assert!(
                matches!(buffer[(x, y)].bg, Color::Reset),
                "background at {x},{y} with NO_COLOR"
            );
        }
    }
    let lines = screen(&editor, 160, 40);
    assert!(lines.iter().any(|l| l.contains('✖')) && lines.iter().any(|l| l.contains('↔')));
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let mut editor = editor_with(stream());
    editor.view.looks.ascii = true;
    let lines = screen(&editor, 160, 40);
    let grid: Vec<String> = lines
        .iter()
        .map(|l| l.chars().take(120).collect())
        .collect();
    for line in &grid[1..grid.len() - 1] {
        assert!(line.is_ascii(), "not ASCII: {line}");
    }
    let middle = row_containing(&grid, "#demand label");
    assert!(
        middle.starts_with(
            "   #demand label    #-----------------+>|Service desk    |------------------+>|fix label              |----=>|"
        ),
        "{middle}"
    );
    assert!(
        grid.iter()
            .any(|l| l.contains("   #================# service requests, +----------------+"))
    );
    assert!(grid.iter().any(|l| l.contains("|5m, wait 1h30m  |")));
}

#[test]
fn fully_usable_at_80x24() {
    let mut editor = editor_with(stream());
    vsmap::editor::update(&mut editor, Action::Resize(80, 24));
    let lines = screen(&editor, 80, 24);
    assert!(lines[0].starts_with(" test · test-map.ron"), "{}", lines[0]);
    assert!(
        lines[0].ends_with("6 steps · 5 flows · ✖1 ⚠2"),
        "{}",
        lines[0]
    );
    assert!(
        lines[5].starts_with(
            "   ║demand label    ║─────────────────✔▶│Service desk    │──────────────────✔▶│f"
        ),
        "{}",
        lines[5]
    );
    assert_eq!(
        lines[18],
        " Findings: 1 error, 2 warnings, 0 notes  (n next, f browse)"
    );
    assert!(
        lines[19].starts_with(
            " ✖ Service desk logs the call -> Prioritise [off-chain] \"Change requests\" does"
        ),
        "{}",
        lines[19]
    );
    // `? help` keeps its place at the end, whatever else must give way.
    assert_eq!(
        lines[23],
        " Map · normal  a add  o O next  c connect  Enter e edit  ? help"
    );
    // The view scrolls with the cursor to the steps off screen.
    keys(&mut editor, "llll");
    let lines = screen(&editor, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("VAL Value")),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn too_small_says_how_big_and_recovers() {
    let mut editor = editor_with(stream());
    vsmap::editor::update(&mut editor, Action::Resize(40, 10));
    let lines = screen(&editor, 40, 10);
    assert!(
        lines.iter().any(|l| l.trim() == "at least 60x16;"),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.trim() == "this one is 40x10"));
    for (w, h) in [(1, 1), (2, 1), (59, 30), (200, 15)] {
        screen(&editor, w, h);
    }
    vsmap::editor::update(&mut editor, Action::Resize(80, 24));
    assert!(
        screen(&editor, 80, 24)
            .iter()
            .any(|l| l.contains("DEM Demand"))
    );
}

#[test]
fn the_activity_picker_shows_purposes_and_filters() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "a");
    let lines = screen(&editor, 120, 40);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Add a step: choose its activity"))
    );
    for tag in [
        "DEM Demand",
        "ENG Engage",
        "PLN Plan",
        "IMP Improve",
        "D&T Design and Transition",
        "O/B Obtain or Build",
        "D&S Deliver and Support",
        "VAL Value",
    ] {
        assert!(lines.iter().any(|l| l.contains(tag)), "{tag} missing");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Demand triggers the delivery of products and services"))
    );
    keys(&mut editor, "obt");
    let lines = screen(&editor, 120, 40);
    assert!(lines.iter().any(|l| l.contains("O/B Obtain or Build")));
    assert!(!lines.iter().any(|l| l.contains("ENG Engage")));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Obtain or build value chain activity ensures"))
    );
}

#[test]
fn the_artifact_picker_marks_canonical_and_off_chain_choices() {
    let mut editor = editor_with(stream());
    keys(&mut editor, "lcl<Enter>");
    let lines = screen(&editor, 120, 40);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Artifact from Engage to Deliver and Support"))
    );
    assert!(lines.iter().any(|l| l.contains("✔ User support tasks")));
    assert!(lines.iter().any(|l| {
        l.contains("seed 001 5.5 Engage output: \"User support tasks for deliver and support\"")
    }));
    keys(&mut editor, "change req");
    let lines = screen(&editor, 120, 40);
    assert!(row_containing(&lines, " Change requests").contains("✖ Change requests"));
    assert!(lines.iter().any(|l| l.contains(
        "off-chain here: \"Change requests\" goes from Deliver and Support to Obtain or Build"
    )));
}

#[test]
fn the_inspector_explains_steps_and_connections() {
    let mut editor = editor_with(stream());
    keys(&mut editor, "l");
    let lines = screen(&editor, 160, 50);
    let panel: Vec<String> = lines
        .iter()
        .map(|l| l.chars().skip(121).collect())
        .collect();
    assert!(
        panel
            .iter()
            .any(|l| l == "Step: Service desk logs the call"),
        "{}",
        panel.join("\n")
    );
    assert!(
        panel
            .iter()
            .any(|l| l.starts_with("✖ off-chain: \"Change requests\" does")),
        "the step's findings come first"
    );
    // The side panel is the short form: the purpose and the help are one key away, and
    // its title says so.
    assert!(lines.iter().any(|l| l.contains("Inspector · i for more")));
    assert!(
        !panel
            .iter()
            .any(|l| l.starts_with("Engage value chain activity provides")),
        "{}",
        panel.join("\n")
    );
    // The full-size inspector has the purpose, and the chain's inputs and outputs,
    // marking those in use.
    keys(&mut editor, "i");
    let lines = screen(&editor, 160, 80);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Engage value chain activity provides"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Outputs of Engage (chain)")),
        "{}",
        lines.join("\n")
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("✔ User support tasks to Deliver and Support")),
        "used outputs are marked"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("  Consolidated demands and opportunities to Plan"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("✔ Incidents, service requests, and feedback from Demand (users)"))
    );
    keys(&mut editor, "<Esc>");
    // The off-chain connection: verdict, what the chain allows, where the artifact goes.
    keys(&mut editor, "<Tab><Tab><Tab>");
    assert_eq!(editor.view.selected_flow, Some(4));
    let lines = screen(&editor, 160, 50);
    let panel: Vec<String> = lines
        .iter()
        .map(|l| l.chars().skip(121).collect())
        .collect();
    let text = panel.join("\n");
    assert!(
        text.contains("Connection Service desk logs the call\n-> Prioritise"),
        "{text}"
    );
    assert!(text.contains("Verdict: ✖ off-chain"));
    assert!(text.contains("\"Change requests\" goes from Deliver and"));
    assert!(text.contains("✔ Consolidated demands and"), "{text}");
    // A canonical connection quotes its seed lines.
    keys(&mut editor, "<Tab><Tab>");
    let lines = screen(&editor, 160, 50);
    let text: String = lines
        .iter()
        .map(|l| l.chars().skip(121).collect::<String>() + "\n")
        .collect();
    assert!(text.contains("Verdict: ✔ canonical"), "{text}");
    assert!(text.contains("seed 001 5.5 Engage output: \"User"));
}

#[test]
fn help_lists_every_key_of_the_mode() {
    let mut editor = editor_with(stream());
    keys(&mut editor, "?");
    let lines = screen(&editor, 120, 50);
    // Everything the help holds, scrolled through.
    let mut seen = lines.clone();
    for _ in 0..40 {
        keys(&mut editor, "j");
        seen.extend(screen(&editor, 120, 50));
    }
    for binding in vsmap::editor::keys::table(vsmap::editor::keys::Context::Grid) {
        assert!(
            // Long lines wrap: their first words stand beside the keys.
            seen.iter()
                .any(|l| l.contains(&vsmap::text::wrap_whole(binding.help, 40)[0])),
            "help lacks {:?}",
            binding.help
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("canonical: the chain sends this artifact"))
    );
    keys(&mut editor, "<Esc>lc?");
    let lines = screen(&editor, 120, 50);
    assert!(lines.iter().any(|l| l.contains("Keys: Connecting")));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("connect to the step under the cursor"))
    );
}

#[test]
fn control_characters_in_labels_are_shown_escaped() {
    let mut map = stream();
    map.steps[0].label = "evil\u{1b}[31m\u{7}".into();
    map.title = "bidi\u{202e}title".into();
    let editor = editor_with(map);
    let lines = screen(&editor, 160, 40);
    let all = lines.join("\n");
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}') && !all.contains('\u{202e}'));
    assert!(all.contains("evil\\u{1b}[31m"), "{all}");
    assert!(lines[0].contains("bidi\\u{202e}title"));
}

#[test]
fn a_broken_file_shows_its_error_and_only_quits() {
    let error = vsmap::model::map::Map::from_text("m.ron", "Map(format: 1, title: 5)").unwrap_err();
    let mut editor = vsmap::editor::Editor::broken(
        vsmap::chain::Chain::builtin(),
        "m.ron".into(),
        vsmap::editor::Looks {
            ascii: false,
            color: false,
        },
        error.to_string(),
    );
    let lines = screen(&editor, 100, 30);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("m.ron:1:23: error: expected a text in double quotes")),
        "{}",
        lines.join("\n")
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("The file is left exactly as it is"))
    );
    assert_eq!(keys(&mut editor, "a<C-s>"), []);
    assert_eq!(keys(&mut editor, "q"), [vsmap::editor::Effect::Quit]);
}

#[test]
fn long_connections_carry_their_artifact_name() {
    let mut map = map_of(
        vec![step("log", Engage, 0), step("fix", DeliverAndSupport, 3)],
        vec![flow("log", "fix", Some("User support tasks"))],
    );
    map.steps[1].at = Cell::new(3, 0);
    let editor = editor_with(map);
    let lines = screen(&editor, 160, 40);
    // The name stands over the line, as near the middle of its run as the grid column of
    // that middle allows: a render cut into bands of whole columns shows it whole.
    let above = row_containing(&lines, "│ENG Engage      │");
    assert!(
        above.contains(
            "│ENG Engage      │           User support tasks                         │D&S"
        ),
        "{above}"
    );
    let row = row_containing(&lines, "│log label");
    assert!(
        row.contains(
            "│log label       │────────────────────────────────────────────────────✔▶│fix label"
        ),
        "{row}"
    );
}

// ---- Zoom, fit, the legend ---------------------------------------------------------------

/// What the status line says now.
fn said(editor: &vsmap::editor::Editor) -> String {
    editor.message().map(|m| m.text.clone()).unwrap_or_default()
}

fn sample_map(name: &str) -> Map {
    let path = format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"));
    Map::load(std::path::Path::new(&path)).unwrap()
}

#[test]
fn z_cycles_the_zoom_levels_and_the_status_line_names_them() {
    let mut editor = editor_with(sample_map("incident-management"));
    vsmap::editor::update(&mut editor, Action::Resize(160, 50));
    let status = |editor: &vsmap::editor::Editor| screen(editor, 160, 50)[49].clone();
    assert!(
        status(&editor).starts_with(" Map · normal "),
        "{}",
        status(&editor)
    );
    let normal = screen(&editor, 160, 50);
    assert!(normal.iter().any(|l| l.contains("│5m · wait 10m · 70%│")));

    keys(&mut editor, "z");
    let detail = screen(&editor, 160, 50);
    assert!(said(&editor).contains("Zoom: detail"), "{}", said(&editor));
    assert!(
        detail.iter().any(|l| l.contains("│PT 5m│WT 10m│CA 70%│")),
        "the data box:\n{}",
        detail.join("\n")
    );
    assert!(detail.iter().any(|l| l.contains("├─────┬──────┬──────┤")));

    keys(&mut editor, "z");
    let overview = screen(&editor, 160, 50);
    assert!(said(&editor).contains("Zoom: overview"));
    // Small boxes: the activity mark and a short label; links carry numbers, and the
    // legend beside the grid names them.
    assert!(
        overview.iter().any(|l| l.contains("│ENG       │")),
        "{}",
        overview.join("\n")
    );
    assert!(
        overview
            .iter()
            .any(|l| l.contains("Links by number (L hides)"))
    );
    assert!(
        overview
            .iter()
            .any(|l| l.contains(" 1 ✔ Incidents, service requests,")),
        "{}",
        overview.join("\n")
    );

    keys(&mut editor, "z");
    assert!(said(&editor).contains("Zoom: normal"));
    // The message goes with the next key; the status line keeps naming the level.
    keys(&mut editor, "zl");
    assert!(
        status(&editor).starts_with(" Map · detail "),
        "{}",
        status(&editor)
    );
}

#[test]
fn capital_z_fits_the_whole_map_and_l_toggles_the_legend() {
    let mut editor = editor_with(sample_map("new-it-service"));
    vsmap::editor::update(&mut editor, Action::Resize(200, 50));
    // With the inspector and the legend beside it, the grid is too narrow: Z says so.
    keys(&mut editor, "Z");
    assert!(
        said(&editor).contains("L hides the legend"),
        "{}",
        said(&editor)
    );
    keys(&mut editor, "LZ");
    assert!(
        said(&editor).contains("the whole map fits the window"),
        "{}",
        said(&editor)
    );
    let lines = screen(&editor, 200, 50);
    // Every step is on screen.
    for step in &editor.map().steps {
        let tag: String = step.label.chars().take(6).collect();
        assert!(
            lines.iter().any(|l| l.contains(&tag)),
            "{tag}:\n{}",
            lines.join("\n")
        );
    }
    let legend_shown = |lines: &[String]| lines.iter().any(|l| l.contains("Links by number"));
    assert!(!legend_shown(&lines));
    keys(&mut editor, "L");
    assert!(legend_shown(&screen(&editor, 200, 50)));
}

#[test]
fn the_cursor_stays_on_its_step_and_its_full_label_is_on_screen() {
    let label = "Knowledge article published to the self-service portal for users";
    let mut map = sample_map("incident-management");
    map.steps[1].label = label.into();
    let mut editor = editor_with(map);
    vsmap::editor::update(&mut editor, Action::Resize(120, 40));
    keys(&mut editor, "l");
    let on = editor.step_under_cursor();
    assert_eq!(on, Some(1));
    for _ in 0..3 {
        let lines = screen(&editor, 120, 40);
        assert!(
            lines.iter().any(|l| l.contains(label)),
            "the selected step's label, whole, at {}:\n{}",
            said(&editor),
            lines.join("\n")
        );
        keys(&mut editor, "z");
        assert_eq!(editor.step_under_cursor(), on);
    }
}

#[test]
fn a_link_back_along_row_zero_is_drawn_whole_with_its_mark() {
    let mut map = map_of(
        (0..5)
            .map(|i| step(&format!("s{i}"), Engage, i as u16))
            .collect(),
        vec![],
    );
    map.steps[4].activity = Plan;
    let mut editor = editor_with(map);
    vsmap::editor::update(&mut editor, Action::Resize(200, 40));
    // On the last step of row 0, connect back to the second one.
    keys(&mut editor, "llllc<Left><Left><Left><Enter>");
    keys(&mut editor, "<Enter>");
    assert_eq!(editor.map().flows.len(), 1, "{}", said(&editor));
    let lines = screen(&editor, 200, 40);
    let grid: Vec<String> = lines
        .iter()
        .map(|l| l.chars().take(150).collect())
        .collect();
    let arrows = grid
        .iter()
        .map(|l| l.matches(['▼', '▲', '◀', '▶']).count())
        .sum::<usize>();
    assert_eq!(arrows, 1, "{}", grid.join("\n"));
    let marks = grid
        .iter()
        .map(|l| l.matches(['✔', '↔', '✖']).count())
        .sum::<usize>();
    assert_eq!(
        marks,
        1,
        "the verdict mark is on screen:\n{}",
        grid.join("\n")
    );
    // So is the artifact's name, on the loop.
    let artifact = editor.map().flows[0].artifact.clone().unwrap();
    assert!(
        grid.iter().any(|l| l.contains(artifact.as_str())),
        "{artifact:?}:\n{}",
        grid.join("\n")
    );
    // The loop runs above the boxes, in the margin over row 0, not off the canvas.
    let top_of_boxes = grid.iter().position(|l| l.contains("┌────")).unwrap();
    assert!(
        grid[..top_of_boxes].iter().any(|l| l.contains('─')),
        "{}",
        grid.join("\n")
    );
}

/// Issue 13, item 3: the inspector numbers the fixes of the selected connection, best first,
/// as the keys 1 to 9 apply them.
#[test]
fn the_inspector_lists_the_fixes_of_a_connection() {
    let map = map_of(
        vec![step("demand", Demand, 0), step("plan", Plan, 2)],
        vec![flow(
            "demand",
            "plan",
            Some("Consolidated demands and opportunities"),
        )],
    );
    let mut editor = editor_with(map);
    keys(&mut editor, "<Tab>");
    let panel: String = screen(&editor, 160, 50)
        .iter()
        .map(|l| l.chars().skip(121).collect::<String>() + "\n")
        .collect();
    assert!(panel.contains("Fixes (1-9 applies one)"), "{panel}");
    assert!(panel.contains("1. insert Engage: Demand →"), "{panel}");
    // Full size, the fix reads whole.
    keys(&mut editor, "i");
    let popup = screen(&editor, 160, 50).join("\n");
    assert!(
        popup.contains(
            "1. insert Engage: Demand → Engage (Requests and feedback) → Plan (Consolidated demands"
        ),
        "{popup}"
    );
    // Several fixes are numbered in their order.
    let map = map_of(
        vec![step("log", Engage, 0), step("build", ObtainOrBuild, 2)],
        vec![flow("log", "build", Some("Change request"))],
    );
    let mut editor = editor_with(map);
    keys(&mut editor, "<Tab>i");
    let fixes = editor.doc().fixes_of(0);
    assert!(fixes.len() >= 2, "{fixes:?}");
    let popup = screen(&editor, 160, 50).join("\n");
    assert!(
        popup.contains("1. use \"Change or project initiation requests\", which the chain sends"),
        "{popup}"
    );
    let second: String = fixes[1].text.chars().take(40).collect();
    assert!(popup.contains(&format!("2. {second}")), "{popup}");
}

/// A renamed step keeps its id (links depend on it), and every screen names it by its new
/// label: findings, the selection line, the inspector, messages.
#[test]
fn a_renamed_step_is_named_by_its_label_everywhere() {
    let mut editor = editor_with(stream());
    keys(&mut editor, "l<Enter>");
    for _ in 0.."Service desk logs the call".chars().count() {
        keys(&mut editor, "<Backspace>");
    }
    keys(&mut editor, "Desk registers<Enter>");
    assert_eq!(editor.map().steps[1].id, "log");
    let lines = screen(&editor, 120, 40);
    let text = lines.join("\n");
    assert!(
        text.contains("✖ Desk registers -> Prioritise [off-chain]"),
        "{text}"
    );
    assert!(text.contains("ENG Engage · Desk registers"), "{text}");
    // The connection selected: the selection line and the inspector name both ends.
    keys(&mut editor, "<Tab>");
    let text = screen(&editor, 120, 40).join("\n");
    assert!(text.contains("▸ demand label -> Desk registers"), "{text}");
    keys(&mut editor, "d");
    assert_eq!(
        editor.message().unwrap().text,
        "Deleted the connection from \"demand label\" to \"Desk registers\"; u brings it back"
    );
    keys(&mut editor, "u<Tab>i");
    let text = screen(&editor, 120, 40).join("\n");
    assert!(
        text.contains("Connection demand label -> Desk registers"),
        "{text}"
    );
    // No screen shows the old id as a name.
    for line in text.lines() {
        assert!(
            !line.contains("log ->") && !line.contains("-> log"),
            "{line}"
        );
    }
}

#[test]
fn deleting_a_step_says_what_went_with_it() {
    let mut editor = editor_with(stream());
    editor.change_map_unrecorded(|map| {
        map.steps[1].notes = "asked twice".into();
        map.flows[0]
            .improvements
            .push(vsmap::model::map::Improvement {
                text: "one form".into(),
                owner: None,
            });
    });
    keys(&mut editor, "ld");
    assert_eq!(
        editor.message().unwrap().text,
        "Deleted step \"Service desk logs the call\" and its 3 connections, with 2 notes; u brings them back"
    );
    keys(&mut editor, "u");
    assert_eq!(editor.map().flows.len(), 5);
    keys(&mut editor, "jd");
    assert_eq!(
        editor.message().unwrap().text,
        "Deleted step \"Prioritise\" and its connection; u brings them back"
    );
}

#[test]
fn counts_read_as_english() {
    let editor = editor_with(map_of(vec![step("demand", Demand, 0)], vec![]));
    let lines = screen(&editor, 100, 24);
    assert!(lines[0].contains("1 step · 0 flows"), "{}", lines[0]);
    let text = lines.join("\n");
    assert!(
        text.contains("Findings: 0 errors, 1 warning, 0 notes"),
        "{text}"
    );
}

#[test]
fn the_inspector_marks_practices_typical_of_the_step() {
    let mut editor = editor_with(stream());
    editor.change_map_unrecorded(|map| {
        map.steps[1].practices =
            thin_vec::thin_vec!["Service desk".into(), "Risk management".into()];
    });
    keys(&mut editor, "li");
    let text = screen(&editor, 160, 50).join("\n");
    assert!(text.contains("Service desk (typical of Engage)"), "{text}");
    assert!(!text.contains("Risk management (typical"), "{text}");
}
