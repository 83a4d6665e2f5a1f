//! Hostile input: files and texts made to break a terminal program. Each gets a clear error
//! (with line:col where there is one) or is shown safely: control characters, bidi overrides
//! and zero-width marks escaped, never sent to the terminal; no panic; and huge texts cut to
//! what the screen shows. How long the big checks, loads and frames take is printed (run with
//! `--nocapture`), never asserted: the clock depends on the machine and the build; the
//! benchmarks (`cargo bench`) measure speed.

mod support;

use std::path::Path;
use std::time::Instant;
use support::*;
use vsmap::chain::Chain;
use vsmap::check::check;
use vsmap::editor::{Action, Editor};
use vsmap::io::ron_text::MAX_FILE_BYTES;
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Flow, Map, Step};

const GOOD: &str = r#"Map(
    format: 1,
    title: "Tiny",
    steps: [
        Step(id: "demand", activity: Demand, label: "Need", at: (col: 0, row: 0)),
        Step(id: "log", activity: Engage, label: "Log", at: (col: 1, row: 0)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fix", at: (col: 2, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "log", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "log", to: "fix", artifact: Some("User support tasks")),
    ],
)
"#;

/// GOOD with one edit, which must apply.
fn edited(from: &str, to: &str) -> String {
    let text = GOOD.replacen(from, to, 1);
    assert_ne!(text, GOOD, "the edit must apply: {from}");
    text
}

enum Expect {
    /// The error as `line:col: message`.
    Error(String),
    /// The map loads, and this holds of it.
    Loads(Box<dyn Fn(&Map)>),
}

fn loads(check: impl Fn(&Map) + 'static) -> Expect {
    Expect::Loads(Box::new(check))
}

fn error(text: &str) -> Expect {
    Expect::Error(text.to_string())
}

/// Every hostile text with what must come of it.
fn cases() -> Vec<(&'static str, String, Expect)> {
    let label = |m: &Map| m.steps[1].label.clone();
    let megabyte = "x".repeat(1 << 20);
    let long_name = "x".repeat(1 << 20);
    vec![
        (
            "terminal escape sequences, written escaped",
            edited("\"Log\"", r#""\u{1b}[2J\u{1b}]0;pwned\u{7}""#),
            loads(move |m| assert_eq!(label(m), "\u{1b}[2J\u{1b}]0;pwned\u{7}")),
        ),
        (
            "terminal escape sequences, raw inside the string",
            edited("\"Log\"", "\"\u{1b}[31mred\u{1b}[0m\r\u{8}\""),
            loads(move |m| assert_eq!(label(m), "\u{1b}[31mred\u{1b}[0m\r\u{8}")),
        ),
        (
            "bidi overrides and zero-width characters",
            edited("\"Log\"", "\"a\u{202e}b\u{200b}c\u{2066}d\u{feff}\""),
            loads(move |m| assert_eq!(label(m), "a\u{202e}b\u{200b}c\u{2066}d\u{feff}")),
        ),
        (
            "wide characters and emoji",
            edited("\"Log\"", "\"漢字 🙂 👩‍💻\""),
            loads(move |m| assert_eq!(label(m), "漢字 🙂 👩‍💻")),
        ),
        (
            "a 1 MB label",
            edited("\"Log\"", &format!("\"{megabyte}\"")),
            loads(move |m| assert_eq!(label(m).len(), 1 << 20)),
        ),
        (
            "a 200,000-character note",
            edited(
                "label: \"Log\",",
                &format!("label: \"Log\", notes: \"{}\",", "é".repeat(200_000)),
            ),
            loads(move |m| assert_eq!(m.steps[1].notes.chars().count(), 200_000)),
        ),
        (
            "the largest coordinates",
            edited("col: 2, row: 0", "col: 65535, row: 65535"),
            loads(|m| assert_eq!(m.steps[2].at, Cell::new(65535, 65535))),
        ),
        (
            "a negative coordinate",
            edited("col: 1", "col: -1"),
            error("6:68: this number is out of range (negative or too large)"),
        ),
        (
            "a coordinate beyond the grid",
            edited("col: 1", "col: 65536"),
            error("6:67: this number is out of range (negative or too large)"),
        ),
        (
            "a number beyond any number",
            edited("col: 1", "col: 99999999999999999999999999999999999999"),
            error("6:67: this number is out of range (negative or too large)"),
        ),
        (
            "a time beyond u32",
            edited(
                "at: (col: 1, row: 0))",
                "at: (col: 1, row: 0), process_minutes: 4294967296)",
            ),
            error("6:96: this number is out of range (negative or too large)"),
        ),
        (
            "deep nesting in a value",
            edited(
                "title: \"Tiny\"",
                &format!("title: {}\"x\"{}", "[".repeat(100_000), "]".repeat(100_000)),
            ),
            error("3:12: expected a text in double quotes"),
        ),
        (
            "deep nesting of the whole file",
            format!("{}{}", "(".repeat(100_000), ")".repeat(100_000)),
            error("1:2: expected a name here (such as `Step` or `Engage`)"),
        ),
        (
            "a NUL byte",
            edited("\"Tiny\"", "\"Ti\0ny\""),
            error("3:15: the file contains a NUL byte; it is not a RON text"),
        ),
        (
            "a megabyte-long field name",
            edited("title:", &format!("{long_name}:")),
            error(&format!(
                "3:5: unknown field `{}…` in `Map`; expected one of `format`, `title`, `notes`, `working_day_minutes`, `steps`, `flows`",
                "x".repeat(80)
            )),
        ),
        (
            "a megabyte-long activity",
            edited(
                "activity: Engage",
                &format!("activity: E{}", "e".repeat(1 << 20)),
            ),
            error(&format!(
                "6:35: unknown activity `E{}…`; expected one of `Demand`, `Value`, `Plan`, `Improve`, `Engage`, `DesignAndTransition`, `ObtainOrBuild`, `DeliverAndSupport`",
                "e".repeat(79)
            )),
        ),
        (
            "a control character where a name goes",
            edited("activity: Engage", "activity: \u{1b}[2J"),
            error("6:35: expected a name here (such as `Step` or `Engage`)"),
        ),
        (
            "a byte order mark",
            format!("\u{feff}{GOOD}"),
            error(
                "1:1: the file starts with a byte order mark (U+FEFF); save it as UTF-8 without one",
            ),
        ),
        (
            "an empty file",
            "  \n\n".into(),
            error("1:1: the file is empty"),
        ),
        (
            "a file cut short",
            GOOD.trim_end().trim_end_matches(')').to_string(),
            error("12:7: the file ends too early; a closing bracket or parenthesis is missing"),
        ),
    ]
}

#[test]
fn every_hostile_text_loads_safely_or_gets_its_exact_error() {
    for (name, text, expect) in cases() {
        let result = Map::from_text("m.ron", &text);
        match (expect, result) {
            (Expect::Error(wanted), Err(e)) => {
                let got = format!("{}: {}", e.position.expect("a position"), e.message);
                assert_eq!(got, wanted, "{name}");
                assert!(
                    !got.chars().any(vsmap::text::is_invisible),
                    "{name}: the message holds a raw control character: {got:?}"
                );
            }
            (Expect::Loads(check), Ok(map)) => {
                check(&map);
                // What loads saves back to a text that loads to the same map.
                let saved = map.to_ron();
                assert_eq!(Map::from_text("m.ron", &saved).as_ref(), Ok(&map), "{name}");
                assert!(
                    !saved
                        .chars()
                        .any(|c| c != '\n' && vsmap::text::is_invisible(c)),
                    "{name}: the saved file shows every character"
                );
            }
            (Expect::Error(wanted), Ok(_)) => panic!("{name}: loaded, expected {wanted}"),
            (Expect::Loads(_), Err(e)) => panic!("{name}: {e}"),
        }
    }
}

fn load_error(path: &Path) -> String {
    Map::load(path).expect_err("must not load").to_string()
}

#[test]
fn what_is_not_a_readable_file_says_what_it_is() {
    let scratch = scratch();
    let dir = scratch.path().to_path_buf();
    let shown = |p: &Path| p.display().to_string();

    assert_eq!(
        load_error(&dir),
        format!("{}: error: is a directory, not a file", shown(&dir))
    );
    assert_eq!(
        load_error(Path::new("/dev/null")),
        "/dev/null: error: is not a regular file (a device, pipe or socket?)"
    );
    let missing = dir.join("missing.ron");
    assert_eq!(
        load_error(&missing),
        format!("{}: error: no such file", shown(&missing))
    );

    // A named pipe is refused before it is opened: opening would wait for a writer.
    let fifo = dir.join("pipe.ron");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        assert_eq!(
            load_error(&fifo),
            format!(
                "{}: error: is not a regular file (a device, pipe or socket?)",
                shown(&fifo)
            )
        );
    }

    // Too big: refused from its size, before a byte is read (the file is sparse).
    let big = dir.join("big.ron");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert_eq!(
        load_error(&big),
        format!(
            "{}: error: is 67108865 bytes; vsmap reads files up to 64 MB (67108864 bytes)",
            shown(&big)
        )
    );

    // Invalid UTF-8 and NUL bytes on disk, at their line and column.
    let bad = dir.join("bad.ron");
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes[GOOD.find("Tiny").unwrap() + 1] = 0xff;
    std::fs::write(&bad, &bytes).unwrap();
    assert_eq!(
        load_error(&bad),
        format!(
            "{}:3:14: error: the file is not valid UTF-8 text here",
            shown(&bad)
        )
    );
    std::fs::write(&bad, GOOD.replacen("Fix", "F\0x", 1)).unwrap();
    assert_eq!(
        load_error(&bad),
        format!(
            "{}:7:63: error: the file contains a NUL byte; it is not a RON text",
            shown(&bad)
        )
    );

    // A file name with an escape sequence in it is shown escaped too.
    let named = dir.join("evil\u{1b}[2J.ron");
    std::fs::write(&named, "").unwrap();
    let message = load_error(&named);
    assert!(
        message.contains("evil\\u{1b}[2J.ron:1:1: error: the file is empty"),
        "{message}"
    );
}

// ---- Findings quote user text escaped and cut ---------------------------------------------

#[test]
fn findings_quote_labels_and_ids_escaped_and_cut() {
    let mut map = Map::from_text("m.ron", GOOD).unwrap();
    map.steps[2].id = "log".into();
    map.steps[1].label = "\u{1b}[2J\u{202e}".into();
    map.flows[0].artifact = Some(format!("\u{1b}]0;{}", "y".repeat(1 << 20)).into());
    map.flows.push(Flow::new(
        "demand",
        format!("\u{7}{}", "z".repeat(1 << 20)),
        None,
    ));
    let report = check(&Chain::builtin(), &map);
    let messages: Vec<&str> = report.diagnostics.iter().map(|d| &*d.message).collect();
    assert!(
        messages.contains(&"the id \"log\" is already used by step 2 (\"\\u{1b}[2J\\u{202e}\")"),
        "{messages:#?}"
    );
    let unknown = format!(
        "unknown artifact \"\\u{{1b}}]0;{}…\" in the flow from Demand to Engage",
        "y".repeat(96)
    );
    let dangling = format!(
        "the flow's `to` names step \"\\u{{7}}{}…\", which is not in the map",
        "z".repeat(99)
    );
    for wanted in [&unknown, &dangling] {
        assert!(
            messages.iter().any(|m| m == wanted),
            "{wanted}\n{messages:#?}"
        );
    }
    for diagnostic in &report.diagnostics {
        for text in
            std::iter::once(&*diagnostic.message).chain(diagnostic.help.iter().map(String::as_str))
        {
            assert!(!text.chars().any(vsmap::text::is_invisible), "{text:?}");
            assert!(text.len() < 2000, "{} bytes", text.len());
        }
    }
}

#[test]
fn thousands_of_misspelt_names_are_each_found_with_suggestions() {
    // Every flow has an unknown artifact, every step an unknown practice, and a hundred
    // flows point at steps that do not exist: each asks for "did you mean".
    let mut map = Map::new("typos");
    for i in 0..5000u16 {
        let mut step = Step::new(
            format!("step-{i}"),
            [Activity::Engage, Activity::Plan][usize::from(i % 2)],
            "x",
            Cell::new(i % 100, i / 100),
        );
        step.practices = thin_vec::thin_vec![format!("Incident managment {i}")];
        map.steps.push(step);
    }
    for i in 0..5000 {
        let to = if i % 50 == 0 {
            format!("stepp-{i}")
        } else {
            format!("step-{}", (i + 1) % 5000)
        };
        map.flows.push(Flow::new(
            format!("step-{i}"),
            to,
            Some(format!("Change requets {i} {}", "q".repeat(i % 200))),
        ));
    }
    let report = timed("check", || check(&Chain::builtin(), &map));
    assert!(report.diagnostics.len() > 10_000);
    // The first ones still get their suggestions.
    let first = report
        .diagnostics
        .iter()
        .find(|d| {
            d.message
                .starts_with("unknown artifact \"Change requets 1 q\"")
        })
        .unwrap();
    assert_eq!(first.help[0], "did you mean \"Change requests\"?");
}

// ---- The screen ---------------------------------------------------------------------------

fn one_row(labels: &[&str]) -> Map {
    let steps = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            Step::new(
                format!("s{i}"),
                Activity::Engage,
                *label,
                Cell::new(i as u16, 0),
            )
        })
        .collect();
    map_of(steps, Vec::new())
}

/// Every cell of a drawn screen: no control character, bidi override or zero-width mark
/// reaches the terminal.
fn assert_nothing_invisible(editor: &Editor, width: u16, height: u16) {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| vsmap::editor::draw::draw(frame, editor))
        .unwrap();
    let buffer = terminal.backend().buffer();
    for y in 0..height {
        for x in 0..width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol.chars().any(vsmap::text::is_invisible),
                "{symbol:?} at {x},{y}"
            );
        }
    }
}

#[test]
fn control_characters_bidi_overrides_and_zero_width_marks_are_shown_escaped() {
    let mut editor = editor_with(one_row(&[
        "\u{1b}[31mred",
        "\u{202e}abc",
        "x\u{200b}y\u{7}",
    ]));
    let lines = screen(&editor, 160, 40);
    let row = row_with(&lines, "│\\u{1b}[31mred");
    assert!(
        row.starts_with(
            "   │\\u{1b}[31mred   │      │\\u{202e}abc     │      │x\\u{200b}y\\u{7} │"
        ),
        "{row}"
    );
    assert!(!lines.concat().contains('\u{1b}'));
    // The inspector says it in full, escaped.
    assert!(
        lines.iter().any(|l| l.contains("│Step: \\u{1b}[31mred")),
        "{}",
        lines.join("\n")
    );
    assert_nothing_invisible(&editor, 160, 40);
    // The title bar, the status line and the form too.
    editor.change_map_unrecorded(|map| map.title = "\u{1b}]0;title\u{7}".into());
    keys(&mut editor, "e");
    let lines = screen(&editor, 160, 40);
    assert!(
        lines[0].starts_with(" \\u{1b}]0;title\\u{7} · test-map.ron"),
        "{}",
        lines[0]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Label           \\u{1b}[31mred")),
        "{}",
        lines.join("\n")
    );
    assert_nothing_invisible(&editor, 160, 40);
    keys(&mut editor, "<Esc>l<Tab>c");
    assert_nothing_invisible(&editor, 160, 40);
}

fn row_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}:\n{}", lines.join("\n")))
}

/// The display column of the `n`th box border `│` on a line.
fn border_column(line: &str, n: usize) -> usize {
    let byte = line.match_indices('│').nth(n).expect("a border").0;
    unicode_width::UnicodeWidthStr::width(&line[..byte])
}

#[test]
fn wide_characters_and_emoji_keep_the_box_borders_aligned() {
    let mut map = one_row(&["plain ascii"]);
    for (row, label) in [
        "漢字漢字漢字漢字漢字",
        "🙂🙂 emoji 🙂🙂🙂🙂",
        "a漢b🙂c👩‍💻d ❤️ ok",
    ]
    .into_iter()
    .enumerate()
    {
        map.steps.push(Step::new(
            format!("w{row}"),
            Activity::Plan,
            label,
            Cell::new(0, row as u16 + 1),
        ));
    }
    let editor = editor_with(map);
    let lines = screen(&editor, 160, 40);
    let ascii = border_column(row_with(&lines, "│plain ascii"), 1);
    for needle in ["│漢字漢字", "│🙂🙂 emoji", "│a漢b🙂c", "│❤️ ok"] {
        let line = row_with(&lines, needle);
        assert_eq!(border_column(line, 1), ascii, "{line}");
        assert_eq!(
            border_column(line, 0),
            border_column(row_with(&lines, "│plain ascii"), 0)
        );
    }
    // The box grows to hold the ten wide characters whole (20 columns).
    assert!(row_with(&lines, "漢字漢字").starts_with("   │漢字漢字漢字漢字漢字"));
}

/// A map whose one step has a 1 MB label, a 200,000-character note, thousands of
/// practices and improvement notes, and an unknown 1 MB artifact on its connection.
fn huge_texts() -> Map {
    let mut map = one_row(&["", "next"]);
    map.title = "t".repeat(1 << 20);
    map.notes = "n".repeat(1 << 20);
    let step = &mut map.steps[0];
    step.label = "L".repeat(1 << 20).into();
    step.notes = "é".repeat(200_000);
    step.practices = (0..5000).map(|i| format!("practice {i}")).collect();
    step.improvements = (0..5000)
        .map(|i| vsmap::model::map::Improvement {
            text: format!("improve {i} {}", "i".repeat(1000)),
            owner: Some("o".repeat(10_000)),
        })
        .collect();
    map.flows
        .push(Flow::new("s0", "s1", Some("A".repeat(1 << 20))));
    map
}

/// Draws `frames` frames, each the full height of the screen.
fn draw_frames(editor: &Editor, width: u16, height: u16, frames: u32) {
    for _ in 0..frames {
        let lines = screen(editor, width, height);
        assert_eq!(lines.len(), usize::from(height));
    }
}

#[test]
fn huge_labels_and_notes_are_drawn_cut_with_an_ellipsis() {
    let mut editor = editor_with(huge_texts());
    let lines = screen(&editor, 160, 50);
    // The box takes the widest a label may have, and the label is cut there.
    let cut = format!("│{}…│", "L".repeat(23));
    assert!(row_with(&lines, &cut).starts_with("   │"));
    assert!(lines[0].starts_with(" tttttttt"), "{}", lines[0]);
    assert!(lines[0].contains("…"), "{}", lines[0]);
    row_with(&lines, "│Step:");
    assert!(row_with(&lines, "│LLLLLLLLLL").ends_with('L'));

    // The full-size inspector shows the start of each text, then an ellipsis.
    let small = editor_with(one_row(&["small", "next"]));
    timed("20 frames of a small map", || {
        draw_frames(&small, 160, 50, 20)
    });
    for script in ["", "i", "<Esc>e", "<Esc><Tab>i", "<Esc><Esc>b", "<Esc>"] {
        keys(&mut editor, script);
        timed(&format!("20 frames after {script:?}"), || {
            draw_frames(&editor, 160, 50, 20)
        });
        assert_nothing_invisible(&editor, 160, 50);
    }
    keys(&mut editor, "<Tab>i");
    let text = screen(&editor, 160, 50).join("\n");
    // Both ends are named by their labels, each cut so the other shows.
    let cut = format!("{}…", "L".repeat(39));
    assert!(
        text.contains(&format!("│Connection {cut} -> next")),
        "{text}"
    );
    assert!(text.contains("│Artifact:"), "{text}");
    assert!(
        text.contains("│AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…  "),
        "{text}"
    );
    keys(&mut editor, "<Esc><Esc>i");
    let mut all = String::new();
    for _ in 0..60 {
        all.push_str(&screen(&editor, 160, 50).join("\n"));
        keys(
            &mut editor,
            "<PageDown>jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj",
        );
    }
    assert!(all.contains("L…"), "the label ends in an ellipsis");
    assert!(all.contains("… and 4950 more notes (b lists them all)"));
    assert!(all.contains("Practices: practice 0, practice 1"));
    assert!(all.contains("… (5000 in all)"));
    assert!(all.contains("│Notes:"));
    assert!(all.contains("éééé…"));
}

#[test]
fn a_pasted_megabyte_is_cut_to_a_field_and_drawn_escaped() {
    let mut editor = editor_with(one_row(&["a", "b"]));
    keys(&mut editor, "jja");
    keys(&mut editor, "<Enter>");
    vsmap::editor::update(&mut editor, Action::Paste("\u{1b}[2J漢".repeat(300_000)));
    let lines = timed("a frame with the pasted megabyte", || {
        screen(&editor, 160, 40)
    });
    let field = row_with(&lines, "> ");
    assert!(field.contains("[2J漢[2J漢"), "{field}");
    keys(&mut editor, "<Enter>");
    let label = &editor.map().steps.last().unwrap().label;
    assert_eq!(label.chars().count(), vsmap::editor::input::MAX_CHARS);
    assert!(!label.contains('\u{1b}'));
}

#[test]
fn editing_a_step_keeps_a_long_label_and_note_whole() {
    let mut editor = editor_with(huge_texts());
    let before = editor.map().steps[0].clone();
    // Open the form, change the process time only, save.
    keys(&mut editor, "e<Tab><Tab><Tab><Tab>5<Enter>");
    let after = &editor.map().steps[0];
    assert_eq!(after.process_minutes, Some(5));
    assert_eq!(after.label, before.label);
    assert_eq!(after.notes, before.notes);
}

// ---- Any terminal size ----------------------------------------------------------------------

/// The editor with every kind of popup open in turn, at the given size.
fn every_layer(map: Map) -> Vec<Editor> {
    let scripts = [
        "",
        "a",
        "a<Enter>",
        "c",
        "cl",
        "cl<Enter>",
        "e",
        "<Tab>e",
        "+",
        "b",
        "?",
        "i",
        "t",
        "q",
        "f",
        "m",
        "T",
        "R",
        "x<Del>q",
    ];
    scripts
        .iter()
        .map(|script| {
            let mut editor = editor_with(map.clone());
            editor.change_map_unrecorded(|map| {
                map.steps[0]
                    .improvements
                    .push(vsmap::model::map::Improvement {
                        text: "note".into(),
                        owner: None,
                    })
            });
            keys(&mut editor, script);
            editor
        })
        .collect()
}

#[test]
fn every_size_from_1x1_up_draws_without_panicking() {
    let map = Map::from_text("m.ron", GOOD).unwrap();
    let mut editors = every_layer(map.clone());
    editors.push(Editor::broken(
        Chain::builtin(),
        "x.ron".into(),
        vsmap::editor::Looks {
            ascii: false,
            color: true,
        },
        format!("x.ron:1:1: error: \u{1b}[2J{}", "e".repeat(5000)),
    ));
    for editor in &mut editors {
        for width in (1..=130).step_by(3).chain([59, 60, 61, 109, 110, 111]) {
            for height in [1, 2, 3, 4, 5, 7, 9, 12, 15, 16, 17, 20, 24, 31, 45] {
                vsmap::editor::update(editor, Action::Resize(width, height));
                screen(editor, width, height);
            }
        }
    }
}

#[test]
fn a_resize_storm_with_the_cursor_far_out_never_panics() {
    let mut map =
        Map::from_text("m.ron", &edited("col: 2, row: 0", "col: 65535, row: 65535")).unwrap();
    map.steps[1].label = "漢字🙂\u{1b}".repeat(50).into();
    let mut editor = editor_with(map);
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for i in 0..2000 {
        let (width, height) = (next(300) as u16 + 1, next(90) as u16 + 1);
        vsmap::editor::update(&mut editor, Action::Resize(width, height));
        if i % 10 == 0 {
            keys(
                &mut editor,
                ["l", "j", "L", "J", "<Tab>", "n"][next(6) as usize],
            );
        }
        if i % 100 == 0 {
            editor.view.cursor = Cell::new(65535, 65535);
        }
        if i % 4 == 0 {
            screen(&editor, width, height);
        }
    }
}

// ---- 100,000 steps ----------------------------------------------------------------------------

/// 100,000 steps on a 400 x 250 grid, with `flows` connections along the rows.
fn hundred_thousand(flows: usize) -> Map {
    let (cols, rows) = (400u16, 250u16);
    let kinds = [
        Activity::Engage,
        Activity::Plan,
        Activity::Improve,
        Activity::DesignAndTransition,
        Activity::ObtainOrBuild,
        Activity::DeliverAndSupport,
    ];
    let mut map = Map::new("a hundred thousand steps");
    for row in 0..rows {
        for col in 0..cols {
            let i = usize::from(row) * usize::from(cols) + usize::from(col);
            let activity = match i {
                0 => Activity::Demand,
                99_999 => Activity::Value,
                _ => kinds[i % kinds.len()],
            };
            map.steps.push(Step::new(
                format!("s{col}-{row}"),
                activity,
                format!("Step {col} {row}"),
                Cell::new(col, row),
            ));
        }
    }
    'rows: for row in 0..rows {
        for col in 0..cols - 1 {
            if map.flows.len() == flows {
                break 'rows;
            }
            map.flows.push(Flow::new(
                format!("s{col}-{row}"),
                format!("s{}-{row}", col + 1),
                Some("User support tasks".into()),
            ));
        }
    }
    map
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    eprintln!("{what}: {:?}", start.elapsed());
    out
}

#[test]
fn a_map_of_100000_steps_loads_checks_and_measures() {
    let map = hundred_thousand(20_000);
    let text = timed("to_ron", || map.to_ron());
    let loaded = timed("from_text", || Map::from_text("big.ron", &text)).unwrap();
    assert_eq!(loaded, map);
    let report = timed("check", || check(&Chain::builtin(), &loaded));
    assert_eq!(report.verdicts.len(), 20_000);
    let metrics = timed("metrics", || vsmap::metrics::metrics(&loaded));
    assert!(metrics.path.is_empty());
    let locator = timed("locator", || vsmap::output::report::Locator::new(&text));
    timed("locate every finding", || {
        for diagnostic in &report.diagnostics {
            locator.position(diagnostic.subject);
        }
    });
}

#[test]
fn a_map_of_100000_steps_renders_and_draws() {
    let looks = vsmap::editor::Looks {
        ascii: false,
        color: false,
    };
    let map = hundred_thousand(2000);
    let out = timed("render", || {
        vsmap::output::render::render(&Chain::builtin(), &map, 250, looks)
    });
    assert!(out.contains("Step 399 249"));
    // The editor over it, without connections (routing them all is the editor's own
    // business): frames cost what the screen shows, not what the map holds.
    let mut map = hundred_thousand(0);
    map.steps[500].label = "\u{1b}[2J".repeat(100_000).into();
    let mut editor = timed("Editor::new without flows", || editor_with(map));
    timed("20 frames", || draw_frames(&editor, 160, 50, 20));
    keys(&mut editor, "fjjjj<Enter>i");
    screen(&editor, 160, 50);
    editor.view.cursor = Cell::new(399, 249);
    vsmap::editor::update(&mut editor, Action::Resize(61, 17));
    screen(&editor, 61, 17);
}

// ---- Known: the step form rewrites what it cannot show -------------------------------------

/// A step from a file whose label has outer spaces and whose practice holds a comma is not
/// rewritten by opening its form and pressing Enter without typing anything.
#[test]
fn an_unchanged_step_form_changes_nothing() {
    let mut map = Map::new("m");
    let mut step = Step::new("a", Activity::Engage, "  padded label ", Cell::new(0, 0));
    step.practices = thin_vec::thin_vec!["Service desk, tier 1".into()];
    map.steps.push(step);
    let mut editor = editor_with(map.clone());
    keys(&mut editor, "e<Enter>");
    assert_eq!(*editor.map(), map);
}

// ---- Every output format x every hostile string ----------------------------------------

/// Strings an attacker puts in a map (or a file name) to reach a terminal, a spreadsheet, a
/// Mermaid renderer or Graphviz.
const HOSTILE: [(&str, &str); 7] = [
    ("ESC", "\u{1b}[2J\u{1b}[31mred"),
    ("OSC 52", "\u{1b}]52;c;cm0gLXJmIH4K\u{7}"),
    ("C1", "\u{9b}2J\u{9d}0;title\u{9c}"),
    ("bidi", "\u{202e}gnp.exe\u{202c}"),
    (
        "Mermaid directive",
        "%%{init: {\"theme\": \"dark\", \"themeCSS\": \".edgeLabel{display:none}\"}}%%",
    ),
    ("HTML entity", "&#x1b;[2J&#27;"),
    ("formula", "=HYPERLINK(\"http://evil.example\",\"x\")"),
];

/// A map with `hostile` in every text it has: the title, a label, an id, a note, an
/// artifact, and a connection to a step that is not there.
fn hostile_map(hostile: &str) -> Map {
    let mut map = Map::new(hostile);
    let mut first = Step::new("demand", Activity::Demand, hostile, Cell::new(0, 0));
    first.notes = hostile.to_string();
    map.steps.push(first);
    map.steps.push(Step::new(
        format!("x{hostile}"),
        Activity::Engage,
        "Logs it",
        Cell::new(1, 0),
    ));
    map.flows.push(Flow::new(
        "demand",
        format!("x{hostile}"),
        Some(hostile.to_string()),
    ));
    map.flows.push(Flow::new("demand", hostile, None));
    map
}

/// The characters that must never reach a terminal or a file unescaped.
fn invisible_in(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| vsmap::text::is_invisible(c) && c != '\n')
        .collect()
}

fn run_vsmap(args: &[&std::ffi::OsStr]) -> (String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_output_format_holds_every_hostile_string_safely() {
    use vsmap::output::export::{Format, export};
    let chain = Chain::builtin();
    let mermaid = support::mermaid::available();
    let temp = scratch();
    for (what, hostile) in HOSTILE {
        let map = hostile_map(hostile);
        let looks = vsmap::editor::Looks {
            ascii: false,
            color: false,
        };
        let rendered = vsmap::output::render::render(&chain, &map, 120, looks);
        for format in [
            Format::Mermaid,
            Format::Dot,
            Format::Markdown,
            Format::Csv,
            Format::CsvSteps,
            Format::CsvFlows,
            Format::Svg,
        ] {
            let text = export(format, &chain, &map, &rendered);
            let context = format!("{what} in {format:?}:\n{text}");
            assert!(invisible_in(&text).is_empty(), "{context}");
            match format {
                Format::Mermaid => {
                    assert!(!text.contains("%%{") && !text.contains("}%%"), "{context}");
                    if let Some(dir) = &mermaid {
                        let config = support::mermaid::parse(dir, &text)
                            .unwrap_or_else(|e| panic!("{e}: {context}"));
                        assert_eq!(config, serde_json::json!({}), "{context}");
                    }
                }
                Format::Dot => {
                    // Every `&` in a string is the start of `&amp;`: no entity of the user's
                    // is read (comments are not read at all).
                    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                        assert!(
                            line.match_indices('&')
                                .all(|(i, _)| line[i..].starts_with("&amp;")),
                            "{context}"
                        );
                    }
                }
                Format::Csv | Format::CsvSteps | Format::CsvFlows => {
                    for line in text.lines() {
                        for field in line.split(',') {
                            let field = field.trim_start_matches('"');
                            assert!(
                                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                                "{field:?}: {context}"
                            );
                        }
                    }
                }
                // `export` gives a PNG's SVG; the image itself is tested in tests/export.rs.
                Format::Svg | Format::Png => {
                    let doc = roxmltree::Document::parse(&text)
                        .unwrap_or_else(|e| panic!("{e}: {context}"));
                    for node in doc.descendants().filter(|n| n.is_text()) {
                        assert!(invisible_in(node.text().unwrap()).is_empty(), "{context}");
                    }
                }
                Format::Markdown => {}
            }
        }

        // The terminal outputs of the binary, file names hostile too.
        let dir = temp.path().join(what.replace(' ', "_"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("m{}.ron", hostile.replace('/', "_")));
        std::fs::write(&file, map.to_ron()).unwrap();
        let other = dir.join("other.ron");
        std::fs::write(&other, Map::new("other").to_ron()).unwrap();
        let f = file.as_os_str();
        let o = other.as_os_str();
        let runs: [(&str, Vec<&std::ffi::OsStr>); 8] = [
            ("check", vec!["check".as_ref(), f]),
            (
                "check json",
                vec!["check".as_ref(), "--format".as_ref(), "json".as_ref(), f],
            ),
            ("diff", vec!["diff".as_ref(), o, f]),
            (
                "diff json",
                vec!["diff".as_ref(), "--format".as_ref(), "json".as_ref(), o, f],
            ),
            (
                "render",
                vec!["render".as_ref(), "--width".as_ref(), "100".as_ref(), f],
            ),
            (
                "render detail",
                vec![
                    "render".as_ref(),
                    "--zoom".as_ref(),
                    "detail".as_ref(),
                    "--timeline".as_ref(),
                    f,
                ],
            ),
            (
                "explain",
                vec!["check".as_ref(), "--explain".as_ref(), hostile.as_ref()],
            ),
            (
                "export",
                vec!["export".as_ref(), "--to".as_ref(), "mermaid".as_ref(), f],
            ),
        ];
        for (name, args) in runs {
            let (out, err) = run_vsmap(&args);
            let context = format!("{what} in `vsmap {name}`:\n{out}\n{err}");
            assert!(invisible_in(&out).is_empty(), "{context}");
            assert!(invisible_in(&err).is_empty(), "{context}");
            if name.ends_with("json") {
                for line in out.lines() {
                    let value: serde_json::Value =
                        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {context}"));
                    // The escaped JSON still means the same text.
                    if name == "diff json" {
                        assert!(value.to_string().contains("changes") || value.is_object());
                    }
                }
            }
        }
    }
}
