//! The user's configuration file, `$XDG_CONFIG_HOME/vsmap/config.ron`: the defaults it
//! prints parse back, mistakes are placed, and the editor follows it (or says it cannot).

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::tmux::{Tmux, shell_quote, wait_until};

/// vsmap with its configuration under `config_home`.
fn vsmap(config_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .expect("vsmap runs")
}

fn write_config(config_home: &Path, text: &str) -> std::path::PathBuf {
    let dir = config_home.join("vsmap");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.ron");
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn the_printed_defaults_are_a_config_that_reads() {
    let scratch = support::scratch();
    let home = scratch.path();
    let missing = vsmap(home, &["config"]);
    assert_eq!(missing.status.code(), Some(0));
    assert!(stdout(&missing).contains("not there; the defaults apply"));

    let defaults = vsmap(home, &["config", "--default"]);
    assert_eq!(defaults.status.code(), Some(0));
    let path = write_config(home, &stdout(&defaults));
    let read = vsmap(home, &["config"]);
    assert_eq!(read.status.code(), Some(0), "{}", stderr(&read));
    assert_eq!(stdout(&read), format!("{}: read\n", path.display()));
}

#[test]
fn a_broken_config_is_placed_at_its_line_and_column() {
    let scratch = support::scratch();
    let home = scratch.path();
    let path = write_config(home, "(\n    mouse: true,\n    zooom: Detail,\n)\n");
    let output = vsmap(home, &["config"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.starts_with(&format!("{}:3:", path.display())),
        "{said}"
    );
    assert!(said.contains("zooom"), "{said}");
    assert!(said.contains("the defaults apply"), "{said}");
}

/// The editor in tmux, with the configuration under `home`.
fn editor(home: &Path, map: &Path, flags: &[&str]) -> Tmux {
    let mut command = format!(
        "XDG_CONFIG_HOME={} XDG_STATE_HOME={} exec {} {}",
        shell_quote(home),
        shell_quote(&home.join("state")),
        shell_quote(Path::new(env!("CARGO_BIN_EXE_vsmap"))),
        shell_quote(map)
    );
    for flag in flags {
        command.push(' ');
        command.push_str(flag);
    }
    Tmux::start(160, 30, &command)
}

/// Whether the program in the pane asked the terminal for mouse events.
fn mouse_captured(tmux: &Tmux) -> bool {
    let output = tmux
        .command()
        .args(["display-message", "-p", "#{mouse_any_flag}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "1"
}

#[test]
fn the_editor_says_when_it_starts_with_the_defaults() {
    let scratch = support::scratch();
    let home = scratch.path();
    write_config(home, "(mouse: maybe)\n");
    let map = home.join("map.ron");
    let tmux = editor(home, &map, &[]);
    let screen = tmux.wait_settled("Settings: the defaults");
    assert!(screen.contains("config.ron:1:"), "{screen}");
    // The defaults: the mouse is captured, and `?` explains it.
    assert!(mouse_captured(&tmux));
    tmux.send(&["?"]);
    tmux.wait_for("Keys: Map");
    tmux.type_text(&"j".repeat(40));
    tmux.wait_for("click selects");
    tmux.send(&["Escape", "q"]);
    tmux.wait_until_gone();
}

#[test]
fn the_mouse_is_left_to_the_terminal_when_asked() {
    let scratch = support::scratch();
    let home = scratch.path();
    let map = home.join("map.ron");
    let tmux = editor(home, &map, &["--no-mouse"]);
    tmux.wait_for("Demand");
    assert!(!mouse_captured(&tmux));
    // `?` does not explain a mouse the editor does not take.
    tmux.send(&["?"]);
    tmux.wait_for("Keys: Map");
    tmux.type_text(&"j".repeat(40));
    let help = tmux.wait_settled("Marks");
    assert!(!help.contains("click selects"), "{help}");
    tmux.send(&["Escape", "q"]);
    tmux.wait_until_gone();

    write_config(home, "(mouse: false)\n");
    let tmux = editor(home, &map, &[]);
    tmux.wait_for("Demand");
    assert!(!mouse_captured(&tmux));
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

#[test]
fn a_new_map_gets_the_configured_working_day_and_zoom() {
    let scratch = support::scratch();
    let home = scratch.path();
    write_config(home, "(working_day_minutes: 1440, zoom: Detail)\n");
    let map = home.join("desk.ron");
    let tmux = editor(home, &map, &[]);
    let screen = tmux.wait_settled("Demand");
    assert!(screen.contains("detail"), "{screen}");
    tmux.send(&["t"]);
    tmux.type_text(" 24x7");
    tmux.send(&["Enter", "C-s"]);
    wait_until("the map is saved", || map.exists());
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    let text = std::fs::read_to_string(&map).unwrap();
    assert!(text.contains("working_day_minutes: Some(1440)"), "{text}");
}

/// A patched key shows beside the key it does the work of, in `?` and in the hints.
#[test]
fn patched_keys_show_in_the_help_and_the_hints() {
    use support::{editor_with, keys, screen};
    let config = vsmap::config::Config::parse(
        "config.ron",
        "(keys: {\"grid\": {\"x\": \"Delete\", \"C-z\": \"u\"}})",
    )
    .unwrap();
    let map = vsmap::model::map::Map::from_text(
        "m",
        &std::fs::read_to_string(format!(
            "{}/sample-maps/incident-management.ron",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let mut editor = editor_with(map);
    editor.view.keys = config.keys.patch.clone();
    let bar = screen(&editor, 160, 40).last().unwrap().clone();
    assert!(bar.contains("d Del x delete"), "{bar}");
    assert!(bar.contains("u C-z undo"), "{bar}");
    keys(&mut editor, "?");
    let help = screen(&editor, 160, 40).join("\n");
    assert!(help.contains("d Del x  delete"), "{help}");
}

/// In the real editor the patched key does the work.
#[test]
fn a_patched_key_acts_in_the_editor() {
    let scratch = support::scratch();
    let home = scratch.path();
    write_config(home, "(keys: {\"grid\": {\"x\": \"d\"}})\n");
    let map = home.join("map.ron");
    std::fs::copy(
        format!(
            "{}/sample-maps/incident-management.ron",
            env!("CARGO_MANIFEST_DIR")
        ),
        &map,
    )
    .unwrap();
    let tmux = editor(home, &map, &[]);
    tmux.wait_for("10 steps");
    tmux.send(&["x"]);
    tmux.wait_for("9 steps");
    tmux.send(&["u"]);
    tmux.wait_for("10 steps");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}
