//! The real binary in a real terminal: tmux runs vsmap, `send-keys` types, `capture-pane`
//! reads the screen. These tests need tmux (`.ci/run` installs it).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::scratch;
use support::tmux::{DEADLINE, Tmux, shell_quote};

fn vsmap_command(args: &[&Path]) -> String {
    let mut command = shell_quote(Path::new(env!("CARGO_BIN_EXE_vsmap")));
    for arg in args {
        command.push(' ');
        command.push_str(&shell_quote(arg));
    }
    command
}

/// Adds a step: `a`, filter the activity picker, Enter, the label, Enter.
fn add_step(tmux: &Tmux, activity: &str, label: &str) {
    tmux.send(&["a"]);
    tmux.wait_for("Add a step: choose its activity");
    tmux.type_text(activity);
    tmux.send(&["Enter"]);
    tmux.wait_for("Label for the new");
    tmux.type_text(label);
    tmux.send(&["Enter"]);
    tmux.wait_for(label);
}

/// Connects the step under the cursor to the one `moves` away, choosing the artifact by
/// typing `filter` (empty: the first offered).
fn connect(tmux: &Tmux, moves: &[&str], filter: &str) {
    tmux.send(&["c"]);
    tmux.wait_for("Connecting from");
    tmux.send(moves);
    tmux.send(&["Enter"]);
    tmux.wait_for("Artifact from");
    if !filter.is_empty() {
        tmux.type_text(filter);
    }
    tmux.send(&["Enter"]);
    tmux.wait_for("Connection is ");
}

#[test]
fn build_a_stream_from_an_empty_file_save_quit_and_check_it() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("workshop.ron");
    let tmux = Tmux::start(160, 40, &vsmap_command(&[&file]));
    let screen = tmux.wait_settled("DEM Demand");
    assert!(
        screen.contains("workshop ·"),
        "a new map is named after its file:\n{screen}"
    );

    // A new map starts with a Demand step under the cursor: name it.
    tmux.send(&["e"]);
    tmux.wait_for("Edit step");
    tmux.send(&["BSpace"; 6]);
    tmux.type_text("Employee has an issue");
    tmux.send(&["Enter"]);
    tmux.wait_for("Employee has an");
    tmux.send(&["l"]);
    add_step(&tmux, "engage", "Service desk logs it");
    tmux.send(&["l"]);
    add_step(&tmux, "deliver", "Resolve");
    tmux.send(&["l"]);
    add_step(&tmux, "value", "Working again");
    tmux.send(&["h", "h", "j"]);
    add_step(&tmux, "plan", "Prioritise");

    tmux.send(&["k", "h"]);
    connect(&tmux, &["l"], "incidents");
    connect(&tmux, &["l"], "");
    connect(&tmux, &["l"], "services delivered");
    // An off-chain connection: Engage does not send change requests to Plan.
    tmux.send(&["h", "h"]);
    connect(&tmux, &["j"], "change requests");

    tmux.wait_for("Connection is off-chain");
    // Back to the first column: the view scrolls to show the Demand step again.
    tmux.send(&["k", "h"]);
    let screen = tmux.wait_settled("Step: Employee has an issue");
    let grid: Vec<&str> = screen.lines().collect();
    let row = grid
        .iter()
        .find(|l| l.contains("║Employee has an ║"))
        .unwrap_or_else(|| panic!("no Demand box:\n{screen}"));
    assert!(
        row.contains("║Employee has an ║─────────────────✔▶│Service desk    │"),
        "{screen}"
    );
    // The artifact's name stands on the link, over its line.
    assert!(screen.contains("╗ service requests, ┌"), "{screen}");
    assert!(
        grid.iter().any(|l| l.contains('✖')),
        "the off-chain mark is on screen:\n{screen}"
    );
    assert!(screen.contains("[modified]"));

    tmux.send(&["C-s"]);
    let screen = tmux.wait_for("Saved ");
    assert!(!screen.contains("[modified]"));
    tmux.send(&["q"]);
    tmux.wait_until_gone();

    let text = std::fs::read_to_string(&file).expect("the map was saved");
    assert!(text.contains("Flow(from: \"service-desk-logs-it\", to: \"prioritise\", artifact: Some(\"Change requests\"))"), "{text}");
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains("error[off-chain]: \"Change requests\" does not flow from Engage to Plan"),
        "{report}"
    );
    assert!(
        report.contains("5 steps, 4 flows (3 canonical, 1 off-chain)"),
        "{report}"
    );
}

#[test]
fn quitting_restores_the_terminal_and_a_broken_file_is_left_alone() {
    let temp = scratch();
    let dir = temp.path();
    let broken = dir.join("broken.ron");
    let text = "Map(\n    format: 1,\n    title: 5,\n)\n";
    std::fs::write(&broken, text).unwrap();
    let tmux = Tmux::start(100, 30, "bash --noprofile --norc");
    tmux.type_text(&format!(
        "{}; stty -a | tr ' ' '\\n' | grep -x -e '-\\?icanon' -e '-\\?echo'; echo DO''NE",
        vsmap_command(&[&broken])
    ));
    tmux.send(&["Enter"]);
    let screen = tmux.wait_settled("Cannot open this map");
    assert!(
        screen.contains("broken.ron:3:12: error: expected a text in double quotes"),
        "{screen}"
    );
    tmux.send(&["C-s", "q"]);
    let screen = tmux.wait_for("DONE");
    let after: Vec<&str> = screen.lines().map(str::trim).collect();
    assert!(
        after.contains(&"icanon") && after.contains(&"echo"),
        "raw mode was not undone:\n{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        text,
        "the broken file is untouched"
    );
}

#[test]
fn a_small_terminal_says_so_and_recovers_on_resize() {
    let temp = scratch();
    let dir = temp.path();
    let copy = dir.join("incident.ron");
    copy_sample("incident-management", &copy);
    let tmux = Tmux::start(50, 12, &vsmap_command(&[&copy]));
    tmux.wait_for("at least 60x16;");
    let status = tmux
        .command()
        .args(["resize-window", "-t", "main", "-x", "80", "-y", "24"])
        .status()
        .unwrap();
    assert!(status.success());
    let screen = tmux.wait_settled("DEM Demand");
    assert!(screen.contains("Incident management"), "{screen}");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

#[test]
fn review_mode_shows_metrics_refuses_edits_and_leaves_the_file_alone() {
    let temp = scratch();
    let dir = temp.path();
    let copy = dir.join("incident.ron");
    copy_sample("incident-management", &copy);
    let before = (
        std::fs::read(&copy).unwrap(),
        std::fs::metadata(&copy).unwrap().modified().unwrap(),
    );
    let command = format!(
        "{} review {}",
        shell_quote(Path::new(env!("CARGO_BIN_EXE_vsmap"))),
        shell_quote(&copy)
    );
    let tmux = Tmux::start(160, 45, &command);
    // The whole first frame: the status line is written after the timeline.
    let screen = tmux.wait_settled(" Timeline · lead ");
    assert!(screen.contains("REVIEW · Incident management"), "{screen}");
    assert!(screen.contains("REVIEW (read-only)"), "{screen}");
    tmux.send(&["l", "a"]);
    tmux.wait_for("Review mode: the map is read-only");
    tmux.send(&["d", "m", "J", "u", "C-s"]);
    tmux.wait_for("Nothing to save");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    let after = (
        std::fs::read(&copy).unwrap(),
        std::fs::metadata(&copy).unwrap().modified().unwrap(),
    );
    assert!(before == after, "review mode wrote the file");
}

/// examples/panic_editor.rs, built beside the binary: `cargo test` builds the examples.
fn panic_editor() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_vsmap"));
    let example = binary.with_file_name("examples").join("panic_editor");
    assert!(
        example.exists(),
        "{} is missing: a plain `cargo test` builds it, or `cargo build --example panic_editor` \
         (with --release for a release test run)",
        example.display()
    );
    example
}

/// `VAR='value' exec vsmap ARGS`: `exec` makes vsmap the pane's own process, so its pid is
/// the pane's.
fn vsmap_with_data_dir(data: &Path, args: &[&Path]) -> String {
    format!(
        "VSMAP_DATA_DIR={} exec {}",
        shell_quote(data),
        vsmap_command(args)
    )
}

fn pane_pid(tmux: &Tmux) -> u32 {
    let output = tmux
        .command()
        .args(["display-message", "-p", "-t", "main", "#{pane_pid}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a pid")
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_dropped_link_loses_nothing_sighup_then_restore() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("incident.ron");
    copy_sample("incident-management", &file);
    let original = std::fs::read_to_string(&file).unwrap();
    let tmux = Tmux::start(160, 45, &vsmap_with_data_dir(&data, &[&file]));
    tmux.wait_for("Incident management");
    tmux.send(&["k"]);
    add_step(&tmux, "plan", "Added before the link dropped");
    signal(pane_pid(&tmux), "HUP");
    tmux.wait_until_gone();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "the map file itself is untouched"
    );

    // `vsmap recover` lists what was kept.
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .arg("recover")
        .env("VSMAP_DATA_DIR", &data)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(
        listing.contains(&format!("{}  (11 steps, 9 flows)", file.display())),
        "{listing}"
    );

    // Opening the map again offers the edits back.
    let tmux = Tmux::start(160, 45, &vsmap_with_data_dir(&data, &[&file]));
    let screen = tmux.wait_settled("Unsaved edits were recovered");
    assert!(
        screen.contains("never saved: 11 steps and 9 flows (the file has 10 and 9)"),
        "{screen}"
    );
    tmux.send(&["r"]);
    tmux.wait_for("Restored the edits recovered at");
    tmux.send(&["C-s"]);
    tmux.wait_for("Saved ");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("label: \"Added before the link dropped\"")
    );
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .arg("recover")
        .env("VSMAP_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("none: every map was saved or discarded"),
        "a clean save removes the recovery file"
    );
}

#[test]
fn sigterm_and_a_panic_restore_the_terminal_and_keep_the_edits() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    let tmux = Tmux::start(120, 40, "bash --noprofile --norc");
    // SIGTERM: the shell reports the exit status after vsmap has put the terminal back.
    let check = "echo status=$?; stty -a | tr ' ' '\\n' | grep -x -e '-\\?icanon' -e '-\\?echo'; echo DO''NE";
    tmux.type_text(&format!(
        "{}; {check}",
        vsmap_with_data_dir(&data, &[&file]).replace("exec ", "")
    ));
    tmux.send(&["Enter"]);
    // Off the Demand step a new map starts with, onto an empty cell.
    tmux.wait_for("DEM Demand");
    tmux.send(&["l"]);
    tmux.wait_for("a: add a step");
    add_step(&tmux, "engage", "Kept through SIGTERM");
    // vsmap is the shell's child.
    let output = Command::new("pgrep")
        .args(["-P", &pane_pid(&tmux).to_string()])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&output.stdout).into_owned();
    let pid: u32 = pids
        .lines()
        .next()
        .unwrap_or_else(|| panic!("vsmap runs: {pids:?}"))
        .trim()
        .parse()
        .unwrap();
    signal(pid, "TERM");
    let screen = tmux.wait_for("DONE");
    assert!(screen.contains("status=143"), "{screen}");
    let lines: Vec<&str> = screen.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"icanon") && lines.contains(&"echo"),
        "{screen}"
    );
    let recovered = vsmap::io::recovery::list_in(&data);
    assert!(
        recovered
            .iter()
            .any(|r| r.text.contains("Kept through SIGTERM")),
        "{recovered:?}"
    );

    // A panic: the hook restores the terminal, the edits go to the recovery file. vsmap has
    // no key that panics; examples/panic_editor runs the same editor with one, `!`.
    tmux.type_text(&format!(
        "clear; VSMAP_DATA_DIR={} {} {}; echo status=$?; stty -a | tr ' ' '\\n' | grep -x -e '-\\?icanon'; echo FIN''ISHED",
        shell_quote(&data),
        shell_quote(&panic_editor()),
        shell_quote(&dir.join("p.ron"))
    ));
    tmux.send(&["Enter"]);
    tmux.wait_for("a: add a step");
    add_step(&tmux, "plan", "Kept through a panic");
    tmux.send(&["!"]);
    let screen = tmux.wait_for("FINISHED");
    assert!(
        screen.contains("the panic key of examples/panic_editor was pressed"),
        "{screen}"
    );
    assert!(screen.contains("status=101"), "{screen}");
    assert!(screen.lines().any(|l| l.trim() == "icanon"), "{screen}");
    assert!(
        vsmap::io::recovery::list_in(&data)
            .iter()
            .any(|r| r.text.contains("Kept through a panic"))
    );
}

#[test]
fn a_file_changed_underneath_is_not_overwritten_silently() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    copy_sample("onboard-new-employee", &file);
    let tmux = Tmux::start(160, 45, &vsmap_with_data_dir(&data, &[&file]));
    tmux.wait_for("Onboard");
    tmux.send(&["t", "C-u"]);
    tmux.type_text(" (ours)");
    tmux.send(&["Enter"]);
    // Another facilitator saves first.
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("title: \"", "title: \"Theirs: ");
    std::fs::write(&file, &theirs).unwrap();
    tmux.send(&["C-s"]);
    tmux.wait_for("The file changed on disk");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        theirs,
        "nothing was written yet"
    );
    tmux.send(&["o"]);
    tmux.wait_for("Saved ");
    assert!(std::fs::read_to_string(&file).unwrap().contains("(ours)"));
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

#[test]
fn a_second_vsmap_on_the_same_map_is_warned_and_stale_locks_are_replaced() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    copy_sample("onboard-new-employee", &file);
    let first = Tmux::start(120, 40, &vsmap_with_data_dir(&data, &[&file]));
    first.wait_for("Onboard");
    let second = Tmux::start(120, 40, &vsmap_with_data_dir(&data, &[&file]));
    let screen = second.wait_for("Another vsmap has this map open");
    assert!(
        screen.contains(&format!("(process {},", pane_pid(&first))),
        "{screen}"
    );
    second.send(&["r"]);
    second.wait_for("REVIEW (read-only)");
    second.send(&["q"]);
    second.wait_until_gone();
    first.send(&["q"]);
    first.wait_until_gone();
    assert!(
        !dir.join(".m.ron.vsmap-lock").exists(),
        "quitting removes the lock"
    );

    // A lock left by a process that is gone is taken over with a note.
    std::fs::write(
        dir.join(".m.ron.vsmap-lock"),
        format!("host={}\nuser=ghost\npid=2147483600\nsince=0\n", hostname()),
    )
    .unwrap();
    let third = Tmux::start(120, 40, &vsmap_with_data_dir(&data, &[&file]));
    let screen = third.wait_for("Took over a stale lock left by ghost");
    assert!(!screen.contains("Another vsmap"), "{screen}");
    third.send(&["q"]);
    third.wait_until_gone();
}

fn hostname() -> String {
    let output = Command::new("hostname").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn closing_the_terminal_under_vsmap_keeps_the_edits_and_ends_it() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    let tmux = Tmux::start(120, 40, &vsmap_with_data_dir(&data, &[&file]));
    // Off the Demand step a new map starts with, onto an empty cell.
    tmux.wait_for("DEM Demand");
    tmux.send(&["l"]);
    tmux.wait_for("a: add a step");
    add_step(&tmux, "deliver", "Kept when the terminal closed");
    let pid = pane_pid(&tmux);
    // The terminal goes away under vsmap, as when an SSH link drops.
    let _ = tmux.command().arg("kill-server").output();
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(start.elapsed() < DEADLINE, "vsmap outlived its terminal");
        std::thread::sleep(Duration::from_millis(50));
    }
    let kept = vsmap::io::recovery::list_in(&data);
    assert!(
        kept.iter()
            .any(|r| r.text.contains("Kept when the terminal closed")),
        "{kept:?}"
    );
}

/// A sample map copied to `to`, so a test may change it.
fn copy_sample(name: &str, to: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("sample-maps/{name}.ron"));
    std::fs::copy(sample, to).unwrap();
}

#[test]
fn zoom_fit_legend_and_timeline_keys_change_what_the_room_sees() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("m.ron");
    copy_sample("new-it-service", &file);
    let data = dir.join("data");
    let tmux = Tmux::start(200, 50, &vsmap_with_data_dir(&data, &[&file]));
    let screen = tmux.wait_settled("Map · normal");
    // Normal zoom: artifact names stand on their links.
    assert!(screen.contains("High-level demand"), "{screen}");
    // z: detail, with the data boxes.
    tmux.send(&["z"]);
    let screen = tmux.wait_settled("Zoom: detail");
    assert!(screen.contains("│PT "), "{screen}");
    // z again: overview; every link carries its number, and the legend names them.
    tmux.send(&["z"]);
    let screen = tmux.wait_settled("Zoom: overview");
    assert!(screen.contains("Links by number (L hides)"), "{screen}");
    assert!(screen.contains("1 ✔ High-level demand for"), "{screen}");
    // L hides the legend; Z then finds a level at which the whole map fits.
    tmux.send(&["L"]);
    let screen = tmux.wait_settled("Legend hidden");
    assert!(!screen.contains("Links by number"), "{screen}");
    tmux.send(&["Z"]);
    let screen = tmux.wait_settled("the whole map fits the window");
    assert!(
        screen.contains("║VAL"),
        "the last column is on screen:\n{screen}"
    );
    // T: the timeline ladder under the grid, with its totals and the path.
    tmux.send(&["T"]);
    let screen = tmux.wait_settled("Timeline · lead");
    assert!(screen.contains("flow efficiency"), "{screen}");
    assert!(screen.contains("path: Customer has a new need"), "{screen}");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

/// Issue 13, item 3: a fix applied from the inspector, and undone. Demand -> Plan is
/// off-chain; seed 001 routes it through Engage ("Requests and feedback from customers",
/// "Consolidated demands and opportunities for plan").
#[test]
fn a_fix_from_the_inspector_inserts_a_step_and_u_takes_it_back() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("m.ron");
    let mut map = support::map_of(
        vec![
            support::step("demand", vsmap::model::activity::Activity::Demand, 0),
            support::step("plan", vsmap::model::activity::Activity::Plan, 2),
        ],
        vec![support::flow(
            "demand",
            "plan",
            Some("Consolidated demands and opportunities"),
        )],
    );
    map.title = "Fix me".into();
    std::fs::write(&file, map.to_ron()).unwrap();
    let data = dir.join("data");
    let tmux = Tmux::start(160, 45, &vsmap_with_data_dir(&data, &[&file]));
    tmux.wait_settled("Map · normal");
    tmux.send(&["Tab"]);
    let screen = tmux.wait_settled("Fixes (1-9 applies one)");
    assert!(screen.contains("1. insert Engage"), "{screen}");
    assert!(!screen.contains("ENG Engage"), "{screen}");
    tmux.send(&["1"]);
    let screen = tmux.wait_settled("Applied: insert Engage");
    assert!(
        screen.contains("ENG Engage"),
        "the new step is drawn:\n{screen}"
    );
    tmux.send(&["u"]);
    let screen = tmux.wait_settled("Undid: fix: insert Engage");
    assert!(
        !screen.contains("ENG Engage"),
        "the step is gone:\n{screen}"
    );
    // Undone, the map is as it was: q quits without asking, the file untouched.
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), map.to_ron());
}
