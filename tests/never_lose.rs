//! Saves that a crash cannot corrupt, and the editor's answers to files that change
//! underneath it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::*;
use vsmap::editor::state::Layer;
use vsmap::editor::{Action, Effect};
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Map, Step};

/// Runs one `#[ignore]`d test of this binary as a child process with `envs` set, and fails
/// with its output if it fails.
fn run_child_test(name: &str, envs: &[(&str, &Path)]) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            name,
            "--nocapture",
            "--test-threads=1",
        ])
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{name} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "{name} did not run:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// A map big enough that a save takes a while, labelled so the two versions differ.
fn big_map(version: &str) -> Map {
    let mut map = Map::new(format!("version {version}"));
    for i in 0..3000u16 {
        map.steps.push(Step::new(
            format!("s{i}"),
            Activity::Engage,
            format!("{version} step {i}"),
            Cell::new(i % 100, i / 100),
        ));
    }
    map
}

/// The child side of the crash test: saves two versions of a map in turn, forever. Run by
/// `sigkill_at_random_moments_never_leaves_a_broken_file`, which kills it.
#[test]
#[ignore = "a child process of sigkill_at_random_moments_never_leaves_a_broken_file"]
fn save_loop_child() {
    let Some(path) = std::env::var_os("VSMAP_SAVE_LOOP") else {
        return;
    };
    let texts = [big_map("old").to_ron(), big_map("new").to_ron()];
    for round in 0usize.. {
        vsmap::io::save::save_atomic(Path::new(&path), &texts[round % 2])
            .expect("the save loop saves");
    }
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_broken_file() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("map.ron");
    let texts = [big_map("old").to_ron(), big_map("new").to_ron()];
    std::fs::write(&file, &texts[0]).unwrap();
    // A small deterministic generator: random enough to hit every phase of a save.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let rounds = 200;
    let (mut saw_new, mut interrupted) = (0, 0);
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "save_loop_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("VSMAP_SAVE_LOOP", &file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(2_000 + random() % 40_000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let on_disk =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            on_disk == texts[0] || on_disk == texts[1],
            "round {round}: the file is neither the old nor the new map"
        );
        saw_new += usize::from(on_disk == texts[1]);
        interrupted += std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".vsmap-tmp")
            })
            .count();
        Map::from_text("map.ron", &on_disk).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    // The kills landed while saving: both versions were seen, and some saves were cut short.
    assert!(
        saw_new > 0 && saw_new < rounds,
        "new map seen in {saw_new} of {rounds} rounds"
    );
    assert!(interrupted > 0, "no save was ever interrupted");
    eprintln!(
        "{saw_new} of {rounds} rounds ended on the new map; {interrupted} temporary files seen"
    );
    // The next save clears the temporary files the killed saves left behind.
    vsmap::io::save::save_atomic(&file, &texts[0]).unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".vsmap-tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[test]
fn a_changed_file_is_not_overwritten_silently() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "adem<Enter>Need<Enter>");
    // The edge found the file changed: the editor asks.
    assert_eq!(keys(&mut editor, "<C-s>"), [Effect::Save]);
    vsmap::editor::update(&mut editor, Action::ExternalChange);
    assert!(matches!(
        editor.view.layers.last(),
        Some(Layer::ExternalChange)
    ));
    let lines = screen(&editor, 120, 40);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Someone changed this file since vsmap read or saved it")),
        "{}",
        lines.join("\n")
    );
    assert_eq!(keys(&mut editor, "o"), [Effect::SaveOverwrite]);
    vsmap::editor::update(&mut editor, Action::ExternalChange);
    // Save elsewhere asks for a name and never overwrites an existing file.
    keys(&mut editor, "s");
    let Some(Layer::SaveAs(input)) = editor.view.layers.last() else {
        panic!("a name is asked for")
    };
    assert!(input.text().ends_with(".mine.ron"), "{}", input.text());
    assert_eq!(keys(&mut editor, "<Enter>").len(), 1);
    vsmap::editor::update(&mut editor, Action::ExternalChange);
    // Reload takes the file as it is now, as one change that undo takes back.
    assert_eq!(keys(&mut editor, "r"), [Effect::Reload]);
    let mut theirs = Map::new("theirs");
    theirs.steps.push(Step::new(
        "x",
        Activity::Plan,
        "Their step",
        Cell::new(4, 4),
    ));
    vsmap::editor::update(&mut editor, Action::Reloaded(Ok(theirs.clone())));
    assert_eq!(*editor.map(), theirs);
    assert!(!editor.modified(), "the map is what is on disk");
    keys(&mut editor, "u");
    assert_eq!(
        editor.map().steps[0].label,
        "Need",
        "undo brings the edits back"
    );
    assert!(editor.modified());
}

#[test]
fn a_recovery_offer_restores_discards_or_keeps_both() {
    let mut recovered = Map::new("m");
    recovered.steps.push(Step::new(
        "a",
        Activity::Engage,
        "Recovered step",
        Cell::new(0, 0),
    ));
    let offer = |editor: &mut vsmap::editor::Editor| {
        vsmap::editor::update(
            editor,
            Action::RecoveryFound {
                map: Box::new(recovered.clone()),
                written_at: 1_795_396_923,
                map_changed_since: false,
            },
        );
    };
    let mut editor = editor_with(Map::new("m"));
    offer(&mut editor);
    let lines = screen(&editor, 120, 40);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("A recovery file from 2026-11-23 01:22:03 UTC holds edits")),
        "{}",
        lines.join("\n")
    );
    keys(&mut editor, "r");
    assert_eq!(*editor.map(), recovered);
    assert!(editor.modified(), "restored edits still need saving");
    keys(&mut editor, "u");
    assert_eq!(*editor.map(), Map::new("m"));
    offer(&mut editor);
    assert_eq!(keys(&mut editor, "d"), [Effect::DiscardRecovery]);
    offer(&mut editor);
    assert_eq!(
        keys(&mut editor, "<Esc>"),
        [Effect::KeepRecoveryAside],
        "Esc keeps both: nothing is lost"
    );
}

#[test]
fn recovery_files_round_trip_and_know_when_they_are_stale() {
    // The recovery files go where VSMAP_DATA_DIR says; a child process of this test binary
    // gets it set, so this process's environment is never changed.
    let temp = scratch();
    let data = temp.path().join("data");
    run_child_test(
        "recovery_files_round_trip_child",
        &[
            ("VSMAP_RECOVERY_TEST_DIR", temp.path()),
            ("VSMAP_DATA_DIR", &data),
        ],
    );
}

/// The child side of `recovery_files_round_trip_and_know_when_they_are_stale`, in a scratch
/// directory of its parent, with `VSMAP_DATA_DIR` under it.
#[test]
#[ignore = "a child process of recovery_files_round_trip_and_know_when_they_are_stale"]
fn recovery_files_round_trip_child() {
    let Some(dir) = std::env::var_os("VSMAP_RECOVERY_TEST_DIR").map(PathBuf::from) else {
        return;
    };
    assert_eq!(
        std::env::var_os("VSMAP_DATA_DIR"),
        Some(dir.join("data").into_os_string()),
        "the parent sets the data directory"
    );
    let map_file = dir.join("workshop.ron");
    std::fs::write(&map_file, Map::new("saved").to_ron()).unwrap();
    let mut edited = Map::new("saved");
    edited
        .steps
        .push(Step::new("a", Activity::Plan, "Unsaved", Cell::new(0, 0)));
    std::thread::sleep(Duration::from_millis(1100));
    let written = vsmap::io::recovery::write(&map_file, &edited.to_ron()).unwrap();
    assert!(written.starts_with(dir.join("data/recovery")));
    let pending = vsmap::io::recovery::pending(&map_file).expect("newer edits are pending");
    assert_eq!(pending.map.unwrap(), edited);
    assert_eq!(pending.original, vsmap::io::recovery::absolute(&map_file));
    assert!(!pending.map_changed_since);
    let listed = vsmap::io::recovery::list();
    assert_eq!(listed.len(), 1);
    // A map touched (or changed by a `git pull`) after the edits: still offered, and said.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(&map_file, Map::new("saved").to_ron()).unwrap();
    let pending = vsmap::io::recovery::pending(&map_file).expect("offered after a touch");
    assert!(
        pending.map_changed_since,
        "an old recovery file goes by the clock"
    );
    // Once the file on disk holds the same map, it is still there, and its edits are saved.
    std::fs::write(&map_file, edited.to_ron()).unwrap();
    let pending = vsmap::io::recovery::pending(&map_file).expect("never silently dropped");
    assert!(vsmap::io::recovery::is_saved(&map_file, &pending));
    vsmap::io::recovery::remove(&map_file);
    assert!(vsmap::io::recovery::list().is_empty());
    // Written with what the map held when the edits began: a change is told by content.
    let base = vsmap::io::save::fingerprint(&map_file).unwrap();
    let file = vsmap::io::recovery::file_for(&map_file).unwrap();
    vsmap::io::recovery::write_to(&file, &map_file, &Map::new("later").to_ron(), Some(base))
        .unwrap();
    assert!(
        !vsmap::io::recovery::pending(&map_file)
            .unwrap()
            .map_changed_since
    );
    std::fs::write(&map_file, Map::new("their line").to_ron()).unwrap();
    assert!(
        vsmap::io::recovery::pending(&map_file)
            .unwrap()
            .map_changed_since
    );
    vsmap::io::recovery::remove(&map_file);
    assert_eq!(
        vsmap::io::recovery::sibling_name(&map_file),
        dir.join("workshop.recovered.ron")
    );
}
