//! The real editor with one key more: `!` panics, as a bug would. The end-to-end test
//! `sigterm_and_a_panic_restore_the_terminal_and_keep_the_edits` runs it to check that a
//! crash restores the terminal and keeps the edits in the recovery file. The vsmap binary has
//! no such key: the hook is given here, from outside the editor.
//!
//! `cargo run --example panic_editor -- FILE` (a new map at FILE).

use crossterm::event::{Event, KeyCode};
use std::path::PathBuf;
use std::process::ExitCode;
use vsmap::chain::Chain;
use vsmap::editor::terminal::{self, Ended};
use vsmap::editor::{Editor, Looks};
use vsmap::model::map::Map;

/// What the panic says, for the test to find on the restored screen.
const MESSAGE: &str = "the panic key of examples/panic_editor was pressed";

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: panic_editor FILE");
        return ExitCode::from(2);
    };
    let title = path.file_stem().map_or_else(
        || "New map".to_string(),
        |s| s.to_string_lossy().replace(['-', '_'], " "),
    );
    let looks = Looks {
        ascii: false,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let editor = Editor::new(Chain::builtin(), Map::new(title), path, looks, false);
    let ended = terminal::run_with_hook(editor, &mut |event| {
        if let Event::Key(key) = event
            && key.code == KeyCode::Char('!')
        {
            panic!("{MESSAGE}");
        }
    });
    match ended {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::Signal(number)) => ExitCode::from((128 + number).clamp(0, 255) as u8),
        Err(error) => {
            eprintln!("panic_editor: {error}");
            ExitCode::from(2)
        }
    }
}
