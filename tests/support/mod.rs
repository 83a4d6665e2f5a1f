//! Helpers shared by the integration tests, included by each with `mod support;`: maps and
//! editors to test with, scratch directories, golden files (`golden`) and the real binary in
//! a pseudo-terminal (`pty`).
#![allow(dead_code)]

pub mod golden;
pub mod mermaid;
pub mod pty;
pub mod tmux;

/// A scratch directory of the test's own (`/tmp/vsmap-test-XXXXXX`), deleted with all it
/// holds when dropped, also when the test fails. Keep it alive as long as anything (a
/// child process, a tmux server) may still use the files in it.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("vsmap-test-")
        .tempdir()
        .expect("a scratch directory")
}

use vsmap::chain::Chain;
use vsmap::check::{Report, Verdict, check};
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Flow, Map, Step};

pub fn step(id: &str, activity: Activity, col: u16) -> Step {
    Step::new(id, activity, format!("{id} label"), Cell::new(col, 0))
}

pub fn flow(from: &str, to: &str, artifact: Option<&str>) -> Flow {
    Flow::new(from, to, artifact.map(String::from))
}

/// A map of the given steps (placed left to right) and flows.
pub fn map_of(steps: Vec<Step>, flows: Vec<Flow>) -> Map {
    let mut map = Map::new("test");
    map.steps = steps;
    for (col, step) in map.steps.iter_mut().enumerate() {
        step.at = Cell::new(col as u16, step.at.row);
    }
    map.flows = flows;
    map
}

/// The verdict of one flow from a step of `from` to a step of `to`.
pub fn verdict_with(
    chain: &Chain,
    from: &[Activity],
    to: &[Activity],
    artifact: Option<&str>,
) -> (Verdict, Report) {
    let mut a = step("a", from[0], 0);
    a.also = from[1..].into();
    let mut b = step("b", to[0], 1);
    b.also = to[1..].into();
    let report = check(chain, &map_of(vec![a, b], vec![flow("a", "b", artifact)]));
    (report.verdicts[0], report)
}

pub fn verdict(from: Activity, to: Activity, artifact: &str) -> Verdict {
    verdict_with(&Chain::builtin(), &[from], &[to], Some(artifact)).0
}

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use vsmap::editor::{Editor, Effect, Looks};

/// A fresh editor over a map, 120x40, colours off.
pub fn editor_with(map: Map) -> Editor {
    let mut editor = Editor::new(
        Chain::builtin(),
        map,
        "test-map.ron".into(),
        Looks {
            ascii: false,
            color: false,
        },
        false,
    );
    vsmap::editor::update(&mut editor, vsmap::editor::Action::Resize(120, 40));
    editor
}

/// Sends keys written as text: plain characters, and `<Enter>`, `<Esc>`, `<Tab>`, `<BackTab>`,
/// `<Left>`, `<Right>`, `<Up>`, `<Down>`, `<Backspace>`, `<Del>`, `<C-s>`, `<C-r>`, `<S-Left>` ...
/// Returns the effects asked for, in order.
pub fn keys(editor: &mut Editor, script: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        let (key, used) = if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            (named_key(&rest[1..end]), end + 1)
        } else {
            (
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                c.len_utf8(),
            )
        };
        rest = &rest[used..];
        effects.extend(vsmap::editor::handle_key(editor, key));
    }
    effects
}

fn named_key(name: &str) -> KeyEvent {
    let (mods, name) = match name.split_once('-') {
        Some(("C", rest)) => (KeyModifiers::CONTROL, rest),
        Some(("S", rest)) => (KeyModifiers::SHIFT, rest),
        _ => (KeyModifiers::NONE, name),
    };
    let code = match name {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Backspace" => KeyCode::Backspace,
        "Del" => KeyCode::Delete,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "PageDown" => KeyCode::PageDown,
        "lt" => KeyCode::Char('<'),
        one if one.chars().count() == 1 => KeyCode::Char(one.chars().next().unwrap()),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, mods)
}

/// The editor drawn into a test terminal of the given size, as lines of text.
pub fn screen(editor: &Editor, width: u16, height: u16) -> Vec<String> {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| vsmap::editor::draw::draw(frame, editor))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            line.trim_end().to_string()
        })
        .collect()
}
