//! Starting a map: `vsmap new FILE --from NAME` copies a compiled-in sample and opens it,
//! `vsmap new --list` names the samples, and a file that does not exist yet opens with one
//! Demand step that is not an unsaved change.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::tmux::{Tmux, vsmap_in};
use support::{keys, scratch};
use vsmap::chain::Chain;
use vsmap::editor::state::Layer;
use vsmap::editor::{Action, Editor, Effect, Looks};
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Step};
use vsmap::samples::SAMPLES;

/// Runs vsmap where it can only fail before the editor: stdin is closed.
fn vsmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("vsmap runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn sample_dir() -> String {
    format!("{}/sample-maps", env!("CARGO_MANIFEST_DIR"))
}

/// The names of the files in `sample-maps/`, sorted, without `.ron`.
fn sample_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(sample_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".ron").map(String::from))
        .collect();
    names.sort();
    names
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_file_in_sample_maps_is_compiled_in_byte_for_byte() {
    // A sample added to the folder but not to src/samples.rs fails here.
    let mut compiled: Vec<String> = SAMPLES.iter().map(|(n, _)| n.to_string()).collect();
    compiled.sort();
    assert_eq!(compiled, sample_files());
    for (name, text) in SAMPLES {
        let on_disk = std::fs::read_to_string(format!("{}/{name}.ron", sample_dir())).unwrap();
        assert_eq!(*text, on_disk, "{name}");
    }
}

#[test]
fn list_prints_every_sample_with_its_title() {
    let output = vsmap(&["new", "--list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listed = stdout(&output);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), sample_files().len(), "{listed}");
    for (line, name) in lines.iter().zip(sample_files()) {
        let text = std::fs::read_to_string(format!("{}/{name}.ron", sample_dir())).unwrap();
        let title = vsmap::model::map::Map::from_text(&name, &text)
            .unwrap()
            .title;
        let (first, rest) = line.split_once(' ').unwrap();
        assert_eq!((first, rest.trim_start()), (name.as_str(), title.as_str()));
    }
}

#[test]
fn an_unknown_sample_fails_naming_the_samples_and_writes_nothing() {
    let temp = scratch();
    let file = temp.path().join("workshop.ron");
    let output = vsmap(&[
        "new",
        file.to_str().unwrap(),
        "--from",
        "incident-managment",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.starts_with(
            "vsmap: no sample map `incident-managment` (did you mean `incident-management`?)"
        ),
        "{said}"
    );
    for name in sample_files() {
        assert!(said.contains(&format!("\n  {name}\n")), "{said}");
    }
    // A start two names share is not a guess.
    let output = vsmap(&["new", file.to_str().unwrap(), "--from", "new"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "vsmap: `new` could be `new-feature-request` or `new-it-service`; the sample maps are:"
        ),
        "{}",
        stderr(&output)
    );
    assert!(entries(temp.path()).is_empty());
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let temp = scratch();
    let file = temp.path().join("mine.ron");
    std::fs::write(&file, "my own notes\n").unwrap();
    for args in [
        vec![
            "new",
            file.to_str().unwrap(),
            "--from",
            "incident-management",
        ],
        vec!["new", file.to_str().unwrap()],
    ] {
        let output = vsmap(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("mine.ron already exists; `new` never overwrites a file"),
            "{}",
            stderr(&output)
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own notes\n");
    }
    // A dangling link is something at the name too: its target is not created.
    let link = temp.path().join("link.ron");
    std::os::unix::fs::symlink(temp.path().join("elsewhere.ron"), &link).unwrap();
    let output = vsmap(&["new", link.to_str().unwrap(), "--from", "cloud"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(entries(temp.path()), ["link.ron", "mine.ron"]);
}

/// What `vsmap check` says of a map, its file name taken out.
fn check_of(path: &Path) -> (Option<i32>, String) {
    let output = vsmap(&["check", path.to_str().unwrap()]);
    let text = stdout(&output).replace(path.to_str().unwrap(), "MAP");
    (output.status.code(), text)
}

#[test]
fn every_sample_can_be_started_from_and_opens_in_the_editor() {
    for (name, text) in SAMPLES {
        let temp = scratch();
        let data = temp.path().join("data");
        let file = temp.path().join("workshop.ron");
        // The name's case and a shortened name do not matter when only one sample fits.
        let asked = name.to_uppercase();
        let args: [&Path; 4] = [
            Path::new("new"),
            &file,
            Path::new("--from"),
            Path::new(&asked),
        ];
        let tmux = Tmux::start(160, 45, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &args));
        let title = vsmap::samples::title(text);
        let screen = tmux.wait_settled(&format!("{title} · workshop.ron"));
        // Opened as `vsmap FILE` opens a map: what is on disk, nothing unsaved.
        assert!(!screen.contains("[modified]"), "{screen}");
        tmux.send(&["q"]);
        tmux.wait_until_gone();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), *text, "{name}");
        let sample = Path::new(&sample_dir()).join(format!("{name}.ron"));
        assert_eq!(check_of(&file), check_of(&sample), "{name}");
    }
}

fn looks() -> Looks {
    Looks {
        ascii: false,
        color: false,
    }
}

#[test]
fn a_new_file_starts_with_a_demand_step_under_the_cursor_and_is_not_modified() {
    let mut editor = Editor::for_new_file(Chain::builtin(), "fresh_workshop.ron".into(), looks());
    vsmap::editor::update(&mut editor, Action::Resize(120, 40));
    assert_eq!(editor.map().title, "fresh workshop");
    assert_eq!(
        editor.map().steps,
        [Step::new(
            "demand",
            Activity::Demand,
            "Demand",
            Cell::new(0, 0)
        )]
    );
    assert_eq!(editor.step_under_cursor(), Some(0));
    assert!(!editor.modified());
    // Quitting an untouched new map asks nothing.
    assert_eq!(keys(&mut editor, "q"), [Effect::Quit]);
}

#[test]
fn a_new_file_once_edited_is_modified_and_saves_its_demand_step() {
    let mut editor = Editor::for_new_file(Chain::builtin(), "fresh.ron".into(), looks());
    vsmap::editor::update(&mut editor, Action::Resize(120, 40));
    keys(&mut editor, "laengage<Enter>Log it<Enter>");
    assert!(editor.modified());
    assert_eq!(keys(&mut editor, "q"), []);
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::ConfirmQuit)
    ));
    keys(&mut editor, "<Esc>");
    // Undone back to the start, there is nothing to save again.
    keys(&mut editor, "u");
    assert!(!editor.modified());
    keys(&mut editor, "<C-r>");
    assert!(editor.modified());
    assert_eq!(keys(&mut editor, "<C-s>"), [Effect::Save]);
    let saved = editor.map().to_ron();
    assert!(
        saved.contains(
            "Step(id: \"demand\", activity: Demand, label: \"Demand\", at: (col: 0, row: 0)),"
        ),
        "{saved}"
    );
    assert!(saved.contains("label: \"Log it\""), "{saved}");
}

#[test]
fn opening_a_file_that_does_not_exist_then_quitting_leaves_no_file() {
    // `vsmap FILE` and `vsmap new FILE` alike.
    for new in [false, true] {
        let temp = scratch();
        let dir = temp.path().join("maps");
        std::fs::create_dir(&dir).unwrap();
        let data = temp.path().join("data");
        let file = dir.join("fresh.ron");
        let args: Vec<&Path> = if new {
            vec![Path::new("new"), &file]
        } else {
            vec![&file]
        };
        let tmux = Tmux::start(120, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &args));
        let screen = tmux.wait_settled("DEM Demand · Demand");
        assert!(screen.contains("fresh · fresh.ron"), "{screen}");
        assert!(screen.contains("║Demand"), "{screen}");
        assert!(!screen.contains("[modified]"), "{screen}");
        tmux.send(&["q"]);
        tmux.wait_until_gone();
        // Neither the map nor its lock is left behind.
        assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
    }
}
