//! Issue 11: each hole a tester found, attacked again, with the safe outcome asserted.
//! Editor ones run the real binary in tmux; files' modes are checked directly.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::scratch;
use support::tmux::{Tmux, vsmap_in, wait_until};

fn sample(name: &str, to: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("sample-maps/{name}.ron"));
    std::fs::copy(sample, to).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// The recovery files in a recovery directory. Not the temporary file of a write still
/// under way: it is renamed onto its recovery file a moment later, and a test that took it
/// for one would find it gone.
fn recovery_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| !p.to_string_lossy().ends_with(".vsmap-tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// Changes the title in the editor, which makes the map unsaved, and waits until the
/// recovery file holds the edit.
fn edit_title(tmux: &Tmux, title: &str, recovery: &Path) {
    tmux.send(&["t", "C-u"]);
    tmux.type_text(title);
    tmux.send(&["Enter"]);
    tmux.wait_for(title);
    wait_until("the edit reaches a recovery file", || {
        recovery_files(recovery)
            .iter()
            .any(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains(title)))
    });
}

/// Ends the vsmap of a tmux pane with SIGTERM and waits until the process is gone (not
/// only its tmux session), so nothing it writes on the way out outlives the test.
fn stop(tmux: &Tmux) {
    let pid = tmux.pane_pid();
    kill(pid, "TERM");
    wait_until("vsmap exits", || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, s)| s.trim_start().starts_with('Z'))
        })
    });
    tmux.wait_until_gone();
}

fn kill(pid: u32, signal: &str) {
    assert!(
        Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

fn vsmap(args: &[&std::ffi::OsStr], envs: &[(&str, &Path)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .unwrap()
}

// ---- 1: recovered edits are kept --------------------------------------------------------

#[test]
fn recovered_edits_survive_a_kill_and_a_changed_map_and_go_only_when_dealt_with() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let recovery = data.join("recovery");
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Onboard");
    edit_title(&tmux, "Kept through a kill", &recovery);
    kill(tmux.pane_pid(), "KILL");
    tmux.wait_until_gone();
    // A `git pull` changes one line of the map afterwards.
    let pulled =
        std::fs::read_to_string(&file)
            .unwrap()
            .replacen("title: \"", "title: \"Pulled: ", 1);
    std::fs::write(&file, &pulled).unwrap();

    // Opened again: offered, and told the map changed since. Killed without an answer, the
    // file stays.
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    let screen = tmux.wait_settled("Unsaved edits were recovered");
    assert!(screen.contains("The map changed on disk since"), "{screen}");
    stop(&tmux);
    assert_eq!(
        recovery_files(&recovery).len(),
        1,
        "kept while not dealt with"
    );

    // Keep both: the edits go beside the map, and only then the recovery file.
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Unsaved edits were recovered");
    tmux.send(&["k"]);
    let aside = dir.join("m.recovered.ron");
    wait_until("the copy beside the map", || aside.exists());
    assert!(
        std::fs::read_to_string(&aside)
            .unwrap()
            .contains("Kept through a kill")
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        pulled,
        "the map is untouched"
    );
    wait_until("the recovery file goes", || {
        recovery_files(&recovery).is_empty()
    });
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

// ---- 2: a live session's recovery file is never offered or deleted ---------------------

#[test]
fn a_second_vsmap_is_warned_first_and_never_touches_the_live_sessions_recovery_file() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let recovery = data.join("recovery");
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    let first = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    first.wait_for("Onboard");
    edit_title(&first, "The first session's edit", &recovery);
    let live = recovery_files(&recovery);
    let before = std::fs::read_to_string(&live[0]).unwrap();

    let second = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    let screen = second.wait_settled("Another vsmap has this map open");
    assert!(!screen.contains("Unsaved edits were recovered"), "{screen}");
    // Opened anyway and edited: its edits go to a recovery file of its own.
    second.send(&["o"]);
    second.wait_gone("Another vsmap has this map open");
    edit_title(&second, "The second session's edit", &recovery);
    assert_eq!(recovery_files(&recovery).len(), 2);
    assert_eq!(
        std::fs::read_to_string(&live[0]).unwrap(),
        before,
        "never overwritten"
    );
    stop(&second);
    assert_eq!(
        std::fs::read_to_string(&live[0]).unwrap(),
        before,
        "never deleted"
    );
    stop(&first);
}

// ---- 3: private files -------------------------------------------------------------------

#[test]
fn recovery_and_lock_files_are_the_users_alone_in_the_state_directory() {
    let temp = scratch();
    let dir = temp.path();
    let state = dir.join("state");
    // An older vsmap made the directory readable by everyone.
    let recovery = state.join("vsmap/recovery");
    std::fs::create_dir_all(&recovery).unwrap();
    std::fs::set_permissions(&recovery, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    // VSMAP_DATA_DIR unset: XDG_STATE_HOME decides.
    let command = format!(
        "unset VSMAP_DATA_DIR; {}",
        vsmap_in(&[("XDG_STATE_HOME", &state)], &[&file])
    );
    let tmux = Tmux::start(150, 40, &command);
    tmux.wait_for("Onboard");
    edit_title(&tmux, "A private title", &recovery);
    let files = recovery_files(&recovery);
    assert_eq!(files.len(), 1);
    assert_eq!(mode(&recovery), 0o700);
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&dir.join(".m.ron.vsmap-lock")), 0o600);
    // Another user cannot read the title, where this test can act as one.
    if is_root() && Command::new("setpriv").arg("--version").output().is_ok() {
        let other = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "cat"])
            .arg(&files[0])
            .output()
            .unwrap();
        assert!(
            !other.status.success(),
            "another user read the recovery file"
        );
    }
    // `vsmap recover` lists the state directory.
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .arg("recover")
        .env_remove("VSMAP_DATA_DIR")
        .env("XDG_STATE_HOME", &state)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(
        listing.contains(&recovery.display().to_string()),
        "{listing}"
    );
    stop(&tmux);
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

// ---- 5: names vsmap picks ---------------------------------------------------------------

#[test]
fn keeping_both_never_writes_through_a_planted_link() {
    let temp = scratch();
    let dir = temp.path();
    let map = dir.join("m.ron");
    std::fs::write(&map, "Map(title: \"m\")").unwrap();
    let target = dir.join("attackers-target");
    std::os::unix::fs::symlink(&target, dir.join("m.recovered.ron")).unwrap();
    let kept = vsmap::io::recovery::keep_beside(&map, "the victim's edits").unwrap();
    assert_eq!(kept, dir.join("m.recovered-2.ron"));
    assert!(!target.exists(), "nothing written through the link");
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        "the victim's edits"
    );
}

// ---- 6: every text that reaches a terminal is escaped -----------------------------------

const OSC: &str = "\u{1b}]52;c;cm0gLXJmIH4K\u{7}\u{1b}[2J";

fn no_escape(text: &str) -> bool {
    !text
        .chars()
        .any(|c| vsmap::text::is_invisible(c) && c != '\n')
}

#[test]
fn recover_lists_hostile_paths_escaped_and_the_command_quoted() {
    let temp = scratch();
    let data = temp.path().join("data");
    std::fs::create_dir_all(data.join("recovery")).unwrap();
    let original = format!("/tmp/x{OSC}'; rm -rf ~; '.ron");
    std::fs::write(
        data.join("recovery/x-0000000000000000.ron"),
        format!(
            "// vsmap recovery of: {original}\n// written at (unix seconds): 0\nMap(title: \"t\")\n"
        ),
    )
    .unwrap();
    let output = vsmap(&["recover".as_ref()], &[("VSMAP_DATA_DIR", &data)]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(no_escape(&text), "{text}");
    assert!(text.contains("/tmp/x\\u{1b}]52;c;"), "{text}");
    // The command to type quotes the path for the shell: $'...' with the bytes as \xHH.
    assert!(
        text.contains(
            "`vsmap $'/tmp/x\\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b[2J\\'; rm -rf ~; \\'.ron'`"
        ),
        "{text}"
    );
}

#[test]
fn chain_texts_and_chain_errors_are_escaped() {
    let temp = scratch();
    let builtin = vsmap::chain::BUILTIN_TEXT;
    let chain = temp.path().join("chain.ron");
    // A purpose with escapes: `vsmap chain` prints it escaped.
    let purpose_at = builtin.find("purpose: \"").unwrap() + "purpose: \"".len();
    let mut hostile = builtin.to_string();
    hostile.insert_str(purpose_at, "\\u{1b}]52;c;eA==\\u{7}\\u{9b}2J");
    std::fs::write(&chain, &hostile).unwrap();
    let output = vsmap(
        &["--chain".as_ref(), chain.as_os_str(), "chain".as_ref()],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(no_escape(&text));
    assert!(text.contains("\\u{1b}]52;c;eA==\\u{7}\\u{9b}2J"), "{text}");
    let json = vsmap(
        &[
            "--chain".as_ref(),
            chain.as_os_str(),
            "chain".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
        &[],
    );
    let json_text = String::from_utf8_lossy(&json.stdout);
    assert!(no_escape(&json_text));
    assert!(json_text.contains("\\u009b2J"), "C1 escaped in JSON too");
    // An unknown artifact, close to a hostile one: the "did you mean" is escaped.
    let name_at = builtin.find("artifacts: [").unwrap();
    let first_name = builtin[name_at..].find("name: \"").unwrap() + name_at + "name: \"".len();
    let end = builtin[first_name..].find('"').unwrap() + first_name;
    let name = &builtin[first_name..end];
    let mut broken = builtin.to_string();
    broken.replace_range(first_name..end, &format!("{name}\\u{{1b}}[2J"));
    std::fs::write(&chain, &broken).unwrap();
    let output = vsmap(
        &["--chain".as_ref(), chain.as_os_str(), "chain".as_ref()],
        &[],
    );
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(no_escape(&err), "{err}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
}

#[test]
fn explain_and_diff_names_are_escaped() {
    let output = vsmap(&["check".as_ref(), "--explain".as_ref(), OSC.as_ref()], &[]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(no_escape(&err) && err.contains("\\u{1b}]52"), "{err}");
    let temp = scratch();
    let old = temp.path().join(format!("old{OSC}.ron"));
    let new = temp.path().join("new\u{202e}.ron");
    std::fs::write(&old, vsmap::model::map::Map::new("a").to_ron()).unwrap();
    std::fs::write(&new, vsmap::model::map::Map::new("b\u{9b}").to_ron()).unwrap();
    let output = vsmap(&["diff".as_ref(), old.as_os_str(), new.as_os_str()], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(no_escape(&text), "{text}");
    assert!(
        text.contains("--- ") && text.contains("\\u{202e}.ron"),
        "{text}"
    );
    let output = vsmap(
        &[
            "diff".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            old.as_os_str(),
            new.as_os_str(),
        ],
        &[],
    );
    let json = String::from_utf8_lossy(&output.stdout);
    assert!(no_escape(&json), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        value.to_string().contains('\u{9b}'),
        "the JSON still means the text"
    );
}

#[test]
fn a_literal_escape_in_a_label_is_not_shown_as_an_escaped_byte() {
    let temp = scratch();
    let file = temp.path().join("m.ron");
    // An artifact named with the six characters `\u{1b}`, not the byte.
    let mut map = vsmap::model::map::Map::new("t");
    use vsmap::model::activity::Activity::{Engage, Plan};
    for (id, activity, col) in [("a", Plan, 0), ("b", Engage, 1)] {
        map.steps.push(vsmap::model::map::Step::new(
            id,
            activity,
            "x",
            vsmap::model::map::Cell::new(col, 0),
        ));
    }
    map.flows.push(vsmap::model::map::Flow::new(
        "a",
        "b",
        Some("\\u{1b}".into()),
    ));
    std::fs::write(&file, map.to_ron()).unwrap();
    let output = vsmap(&["check".as_ref(), file.as_os_str()], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("\"\\\\u{1b}\""),
        "the literal is shown with its backslash doubled:\n{text}"
    );
    assert!(!text.contains("\"\\u{1b}\""), "{text}");
}

// ---- 8 and 9: DOT and CSV ---------------------------------------------------------------

fn map_with(label: &str, id: &str) -> String {
    let map = vsmap::model::map::Map {
        steps: vec![
            vsmap::model::map::Step::new(
                id,
                vsmap::model::activity::Activity::Plan,
                label,
                vsmap::model::map::Cell::new(0, 0),
            ),
            vsmap::model::map::Step::new(
                "b",
                vsmap::model::activity::Activity::Engage,
                "=1+1",
                vsmap::model::map::Cell::new(1, 0),
            ),
        ],
        flows: vec![vsmap::model::map::Flow::new(
            id,
            "b",
            Some("@SUM(A1:A9)".into()),
        )],
        ..vsmap::model::map::Map::new("-2+3")
    };
    map.to_ron()
}

#[test]
fn graphviz_takes_every_dot_export_and_no_entity_becomes_a_raw_escape() {
    let temp = scratch();
    let file = temp.path().join("m.ron");
    let huge_label = format!("&#x1b;[2J {}", "a".repeat(1 << 20));
    let huge_id = "i".repeat(100_000);
    std::fs::write(&file, map_with(&huge_label, &huge_id)).unwrap();
    let output = vsmap(
        &[
            "export".as_ref(),
            "--to".as_ref(),
            "dot".as_ref(),
            file.as_os_str(),
        ],
        &[],
    );
    let dot = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(dot.contains("&amp;#x1b;"), "the entity is text");
    assert!(
        dot.lines().all(|l| l.len() < 16384),
        "no line Graphviz refuses"
    );
    if Command::new("dot").arg("-V").output().is_err() {
        eprintln!("skipped: Graphviz `dot` is not installed");
        return;
    }
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
    }
    let svg = child.wait_with_output().unwrap();
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert!(!svg.contains('\u{1b}'), "no raw ESC in Graphviz's SVG");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(&svg, options)
        .expect("Graphviz's SVG is well-formed XML");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_text() {
    let temp = scratch();
    let file = temp.path().join("m.ron");
    std::fs::write(
        &file,
        map_with("=HYPERLINK(\"http://evil.example\",\"x\")", "+a"),
    )
    .unwrap();
    let output = vsmap(
        &[
            "export".as_ref(),
            "--to".as_ref(),
            "csv".as_ref(),
            file.as_os_str(),
        ],
        &[],
    );
    let csv = String::from_utf8_lossy(&output.stdout);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(",'+a,"), "{csv}");
    assert!(csv.contains(",'=1+1,"), "{csv}");
    assert!(csv.contains(",'@SUM(A1:A9),"), "{csv}");
}

// ---- 10: FIFOs, devices, sizes -----------------------------------------------------------

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_fifo_given_as_the_map_is_refused_not_waited_on() {
    let temp = scratch();
    let dir = temp.path();
    let fifo = dir.join("fifo.ron");
    mkfifo(&fifo);
    let output = vsmap(&["check".as_ref(), fifo.as_os_str()], &[]);
    assert_eq!(output.status.code(), Some(2));
    let data = dir.join("data");
    let tmux = Tmux::start(120, 30, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&fifo]));
    tmux.wait_for("not a regular file");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    assert!(!dir.join(".fifo.ron.vsmap-lock").exists());
}

#[test]
fn a_map_replaced_by_a_fifo_or_a_link_to_dev_zero_is_never_read_or_saved_over() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Onboard");
    edit_title(&tmux, "Edited before the swap", &data.join("recovery"));
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
    tmux.send(&["C-s"]);
    tmux.wait_for("The file changed on disk");
    tmux.send(&["o"]);
    tmux.wait_for("not a regular file");
    assert_eq!(std::fs::read_link(&file).unwrap(), Path::new("/dev/zero"));
    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    tmux.send(&["C-s"]);
    tmux.wait_for("The file changed on disk");
    tmux.send(&["o"]);
    tmux.wait_for("not a regular file");
    assert!(
        std::fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
    stop(&tmux);
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

// ---- Low ----------------------------------------------------------------------------------

#[test]
fn a_missing_directory_is_named_as_such() {
    let temp = scratch();
    let missing = temp.path().join("gone/m.ron");
    let output = vsmap(&["check".as_ref(), missing.as_os_str()], &[]);
    let err = String::from_utf8_lossy(&output.stdout);
    assert!(
        err.contains("the directory") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn a_symlink_loop_is_an_error_not_a_new_map_and_leaves_no_lock() {
    let temp = scratch();
    let dir = temp.path();
    let a = dir.join("a.ron");
    std::os::unix::fs::symlink(dir.join("b.ron"), &a).unwrap();
    std::os::unix::fs::symlink(&a, dir.join("b.ron")).unwrap();
    let data = dir.join("data");
    let tmux = Tmux::start(120, 30, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&a]));
    tmux.wait_for("symbolic links");
    tmux.send(&["q"]);
    tmux.wait_until_gone();
    let locks: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".vsmap-lock"))
        .collect();
    assert!(locks.is_empty(), "{locks:?}");
}

#[test]
fn export_to_a_file_saves_atomically_keeping_mode_and_link() {
    let temp = scratch();
    let dir = temp.path();
    let map = dir.join("m.ron");
    sample("onboard-new-employee", &map);
    let real = dir.join("real.mmd");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("out.mmd");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = vsmap(
        &[
            "export".as_ref(),
            "--to".as_ref(),
            "mermaid".as_ref(),
            "-o".as_ref(),
            link.as_os_str(),
            map.as_os_str(),
        ],
        &[],
    );
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("flowchart TB")
    );
    assert_eq!(mode(&real), 0o640);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A FIFO as the output is refused at once.
    let fifo = dir.join("out.fifo");
    mkfifo(&fifo);
    let output = vsmap(
        &[
            "export".as_ref(),
            "--to".as_ref(),
            "csv".as_ref(),
            "-o".as_ref(),
            fifo.as_os_str(),
            map.as_os_str(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
}

#[test]
fn a_terminal_that_goes_away_ends_vsmap_with_129() {
    let temp = scratch();
    let dir = temp.path();
    let data = dir.join("data");
    let file = dir.join("m.ron");
    let status = dir.join("status");
    // The shell ignores the hangup so that it lives to write vsmap's exit status; vsmap
    // sees its terminal go away itself.
    let command = format!(
        "trap '' HUP; {}; echo $? > {}",
        vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]).replace("exec ", ""),
        support::tmux::shell_quote(&status)
    );
    let tmux = Tmux::start(120, 30, &command);
    // A new map is drawn with its Demand step: vsmap is up.
    tmux.wait_for("DEM Demand");
    let _ = tmux.command().arg("kill-server").output();
    wait_until("the exit status", || {
        std::fs::read_to_string(&status).is_ok_and(|s| s.ends_with('\n'))
    });
    assert_eq!(std::fs::read_to_string(&status).unwrap().trim(), "129");
}

#[test]
fn render_says_which_connection_it_could_not_draw() {
    use vsmap::model::activity::Activity;
    use vsmap::model::map::{Cell, Flow, Map, Step};
    let temp = scratch();
    let file = temp.path().join("m.ron");
    let mut map = Map::new("far");
    map.steps
        .push(Step::new("a", Activity::Plan, "A", Cell::new(0, 0)));
    map.steps.push(Step::new(
        "b",
        Activity::Engage,
        "B",
        Cell::new(60_000, 60_000),
    ));
    map.flows.push(Flow::new("a", "b", Some("x".into())));
    std::fs::write(&file, map.to_ron()).unwrap();
    let output = vsmap(
        &[
            "render".as_ref(),
            "--width".as_ref(),
            "80".as_ref(),
            file.as_os_str(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("note: the connection a -> b (x) is not drawn"),
        "{text}"
    );
}
