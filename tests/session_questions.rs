//! Issue 11's editor questions: the recovery offer says when the map changed since, the
//! lock warning's Esc is the safe choice, "save elsewhere" takes typing, a read-only or
//! deleted map is asked about before a save, and a failed recovery write is said.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::tmux::{Tmux, vsmap_in, wait_until};
use support::*;
use vsmap::editor::state::{Layer, LockState, SaveQuestion};
use vsmap::editor::{Action, Effect};
use vsmap::model::map::Map;

fn shown(editor: &vsmap::editor::Editor) -> String {
    screen(editor, 120, 40).join("\n")
}

fn sample(name: &str, to: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("sample-maps/{name}.ron"));
    std::fs::copy(sample, to).unwrap();
}

#[test]
fn the_recovery_offer_says_when_the_map_changed_on_disk_since() {
    for changed in [false, true] {
        let mut editor = editor_with(Map::new("m"));
        vsmap::editor::update(
            &mut editor,
            Action::RecoveryFound {
                map: Box::new(Map::new("recovered")),
                written_at: 1_795_396_923,
                map_changed_since: changed,
            },
        );
        let text = shown(&editor);
        assert!(text.contains("Unsaved edits were recovered"), "{text}");
        assert_eq!(
            text.contains("The map changed on disk since these edits began"),
            changed,
            "{text}"
        );
    }
}

#[test]
fn esc_at_the_lock_warning_opens_read_only_and_only_o_opens_for_editing() {
    let held = || Action::Lock(LockState::HeldBy("sam on host, process 42".into()));
    let mut editor = editor_with(Map::new("m"));
    vsmap::editor::update(&mut editor, held());
    keys(&mut editor, "<Esc>");
    assert!(editor.view.layers.is_empty());
    assert!(editor.view.review_only, "Esc is the safe choice: read-only");

    let mut editor = editor_with(Map::new("m"));
    vsmap::editor::update(&mut editor, held());
    keys(&mut editor, "o");
    assert!(editor.view.layers.is_empty());
    assert!(!editor.view.review, "o opens it for editing");
}

#[test]
fn save_elsewhere_takes_typing_and_backspace() {
    let mut editor = editor_with(Map::new("m"));
    vsmap::editor::update(&mut editor, Action::ExternalChange);
    keys(&mut editor, "s");
    let Some(Layer::SaveAs(input)) = editor.view.layers.last() else {
        panic!("a name is asked for")
    };
    let suggested = input.text().to_string();
    keys(&mut editor, "<End>xyz<Backspace>");
    let Some(Layer::SaveAs(input)) = editor.view.layers.last() else {
        panic!("still asking")
    };
    assert_eq!(input.text(), format!("{suggested}xy"));
    assert!(shown(&editor).contains("xy"));
    assert_eq!(
        keys(&mut editor, "<Enter>"),
        [Effect::SaveAs(format!("{suggested}xy").into())]
    );
}

#[test]
fn a_read_only_or_deleted_map_is_asked_about_not_called_changed() {
    let mut editor = editor_with(Map::new("m"));
    keys(&mut editor, "adem<Enter>Need<Enter>");
    vsmap::editor::update(&mut editor, Action::SaveQuestion(SaveQuestion::ReadOnly));
    let text = shown(&editor);
    assert!(text.contains("The file is read-only"), "{text}");
    assert_eq!(keys(&mut editor, "o"), [Effect::SaveOverwrite]);

    vsmap::editor::update(&mut editor, Action::SaveQuestion(SaveQuestion::Deleted));
    let text = shown(&editor);
    assert!(text.contains("The file was deleted"), "{text}");
    assert!(!text.contains("changed on disk"), "{text}");
    assert_eq!(keys(&mut editor, "<Esc>"), []);
    assert!(editor.view.layers.is_empty());
    assert!(editor.modified(), "nothing was written or lost");
}

#[test]
fn a_failed_recovery_write_reaches_the_status_line() {
    let mut editor = editor_with(Map::new("m"));
    vsmap::editor::update(
        &mut editor,
        Action::RecoveryWriteFailed("No space left on device".into()),
    );
    let message = editor.message().expect("said");
    assert!(
        message
            .text
            .contains("could not be written to the recovery file")
            && message.text.contains("No space left on device"),
        "{}",
        message.text
    );
}

// ---- Through the real binary -------------------------------------------------------------

fn edit_title(tmux: &Tmux, title: &str) {
    tmux.send(&["t", "C-u"]);
    tmux.type_text(title);
    tmux.send(&["Enter"]);
    tmux.wait_for(title);
}

#[test]
fn a_read_only_map_is_asked_about_and_stays_read_only_when_overwritten() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read_to_string(&file).unwrap();
    let data = dir.join("data");
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Onboard");
    edit_title(&tmux, "Edited read-only");
    tmux.send(&["C-s"]);
    tmux.wait_for("The file is read-only");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "asked first"
    );
    tmux.send(&["o"]);
    wait_until("the overwrite", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains("Edited read-only"))
    });
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

#[test]
fn a_deleted_map_is_said_to_be_deleted_and_can_be_written_again() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    let data = dir.join("data");
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Onboard");
    edit_title(&tmux, "Edited then deleted");
    std::fs::remove_file(&file).unwrap();
    tmux.send(&["C-s"]);
    let screen = tmux.wait_settled("The file was deleted");
    assert!(!screen.contains("changed on disk"), "{screen}");
    tmux.send(&["o"]);
    wait_until("written again", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains("Edited then deleted"))
    });
    tmux.send(&["q"]);
    tmux.wait_until_gone();
}

#[test]
fn a_recovery_file_that_cannot_be_written_is_said_on_the_status_line() {
    let temp = scratch();
    let dir = temp.path();
    let file = dir.join("m.ron");
    sample("onboard-new-employee", &file);
    // The data directory is a file: no recovery file can be made under it, root or not.
    let data = dir.join("data");
    std::fs::write(&data, "not a directory").unwrap();
    let tmux = Tmux::start(150, 40, &vsmap_in(&[("VSMAP_DATA_DIR", &data)], &[&file]));
    tmux.wait_for("Onboard");
    edit_title(&tmux, "Never recovered");
    tmux.wait_for("could not be written to the recovery");
    tmux.send(&["q"]);
    tmux.wait_for("Quit with unsaved changes");
    tmux.send(&["d"]);
    tmux.wait_until_gone();
}
