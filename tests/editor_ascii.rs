//! The editor with `--ascii` draws no Unicode of its own anywhere (status line, selection,
//! help, popups), the help popup scrolls, and an 80x24 screen keeps what matters: the file
//! name and `[modified]` in the header, `? help` in the key bar.

mod support;

use support::{editor_with, keys, screen};
use vsmap::chain::Chain;
use vsmap::editor::{Action, Editor, Looks, update};
use vsmap::model::map::Map;

fn sample(name: &str) -> Map {
    let path = format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    Map::from_text(&path, &text).unwrap()
}

fn ascii_editor(map: Map, width: u16, height: u16) -> Editor {
    let mut editor = Editor::new(
        Chain::builtin(),
        map,
        "a-file-name-that-matters.ron".into(),
        Looks {
            ascii: true,
            color: false,
        },
        false,
    );
    update(&mut editor, Action::Resize(width, height));
    editor
}

fn assert_ascii(lines: &[String], what: &str) {
    for line in lines {
        assert!(line.is_ascii(), "{what}: {line:?}\n{}", lines.join("\n"));
    }
}

#[test]
fn ascii_reaches_every_part_of_the_screen() {
    let mut editor = ascii_editor(sample("incident-management"), 120, 40);
    assert_ascii(&screen(&editor, 120, 40), "the map");
    // A step and a connection selected: the one-line summary at 80 columns.
    let mut narrow = ascii_editor(sample("incident-management"), 80, 24);
    assert_ascii(&screen(&narrow, 80, 24), "80x24");
    keys(&mut narrow, "<Tab>");
    assert_ascii(&screen(&narrow, 80, 24), "a connection selected");
    keys(&mut editor, "?");
    let help = screen(&editor, 120, 40);
    assert_ascii(&help, "the help");
    assert!(
        help.iter().any(|l| l.contains("arrows hjkl")),
        "{}",
        help.join("\n")
    );
    keys(&mut editor, "<Esc>i");
    assert_ascii(&screen(&editor, 120, 40), "the inspector");
    keys(&mut editor, "<Esc>f");
    assert_ascii(&screen(&editor, 120, 40), "the findings");
}

#[test]
fn without_ascii_the_marks_stay_unicode() {
    let mut editor = editor_with(sample("incident-management"));
    keys(&mut editor, "?");
    let help = screen(&editor, 120, 40).join("\n");
    assert!(help.contains("←↓↑→ hjkl"), "{help}");
}

#[test]
fn the_help_popup_scrolls_to_its_last_line() {
    let mut editor = editor_with(sample("incident-management"));
    update(&mut editor, Action::Resize(80, 24));
    keys(&mut editor, "?");
    let first = screen(&editor, 80, 24).join("\n");
    assert!(!first.contains("the activity of a step"), "{first}");
    keys(&mut editor, &"j".repeat(60));
    let last = screen(&editor, 80, 24).join("\n");
    assert!(last.contains("the activity of a step"), "{last}");
}

#[test]
fn at_80x24_the_header_keeps_the_file_and_modified_and_the_bar_keeps_help() {
    let mut map = sample("incident-management");
    map.title = "A very long title for a value stream that goes on and on and on".into();
    let mut editor = ascii_editor(map, 80, 24);
    keys(&mut editor, "t");
    keys(&mut editor, "!<Enter>");
    assert!(editor.modified());
    update(&mut editor, Action::Resize(80, 24));
    let lines = screen(&editor, 80, 24);
    assert!(
        lines[0].contains("a-file-name-that-matters.ron [modified]"),
        "{}",
        lines[0]
    );
    // The message of the rename goes with the next key; then the hints show.
    keys(&mut editor, "l");
    let lines = screen(&editor, 80, 24);
    let bar = lines.last().unwrap();
    assert!(bar.trim_end().ends_with("? help"), "{bar}");
}

/// In a real terminal, a locale that is not UTF-8 gets plain ASCII, the help included.
#[test]
fn a_c_locale_gets_ascii_in_a_real_terminal() {
    use support::tmux::{Tmux, shell_quote};
    let scratch = support::scratch();
    let map = scratch.path().join("c-locale.ron");
    std::fs::copy(
        format!(
            "{}/sample-maps/incident-management.ron",
            env!("CARGO_MANIFEST_DIR")
        ),
        &map,
    )
    .unwrap();
    let command = format!(
        "LC_ALL=C XDG_CONFIG_HOME={dir} XDG_STATE_HOME={dir} exec {} {}",
        shell_quote(std::path::Path::new(env!("CARGO_BIN_EXE_vsmap"))),
        shell_quote(&map),
        dir = shell_quote(scratch.path()),
    );
    let tmux = Tmux::start(80, 24, &command);
    let screen = tmux.wait_settled("? help");
    assert!(screen.is_ascii(), "{screen}");
    assert!(screen.contains("c-locale.ron"), "{screen}");
    tmux.send(&["?"]);
    let help = tmux.wait_settled("arrows hjkl");
    assert!(help.is_ascii(), "{help}");
    tmux.send(&["Escape", "q"]);
    tmux.wait_until_gone();
}
