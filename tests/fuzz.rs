//! Property tests: the loader never panics on arbitrary bytes or on mutations of the sample
//! maps, and what it accepts round-trips; random sessions of editor actions never panic,
//! always leave a map that saves and loads back equal, and undo back to where they started.
//!
//! Case counts are modest so `cargo test --release` stays fast; `PROPTEST_CASES=20000`
//! runs them long.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use proptest::sample::Index;
use support::*;
use vsmap::chain::Chain;
use vsmap::editor::action::{Mouse, MouseKind};
use vsmap::editor::keys::Context;
use vsmap::editor::state::LockState;
use vsmap::editor::{Action, Editor, Effect};
use vsmap::model::map::Map;

const SAMPLES: [&str; 9] = [
    include_str!("../sample-maps/cloud-migration.ron"),
    include_str!("../sample-maps/deploy-software-release.ron"),
    include_str!("../sample-maps/helpdesk-portal.ron"),
    include_str!("../sample-maps/incident-management-future.ron"),
    include_str!("../sample-maps/incident-management.ron"),
    include_str!("../sample-maps/new-feature-request.ron"),
    include_str!("../sample-maps/new-it-service.ron"),
    include_str!("../sample-maps/onboard-new-employee.ron"),
    include_str!("../sample-maps/service-upgrade.ron"),
];

/// `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A map that loaded: saving it and loading that gives the same map, and saving again the
/// same bytes. Checking, measuring and locating findings in it do not panic.
fn assert_round_trips(map: &Map) -> Result<(), TestCaseError> {
    let text = map.to_ron();
    let again = Map::from_text("again.ron", &text);
    prop_assert_eq!(again.as_ref(), Ok(map), "saved text:\n{}", text);
    prop_assert_eq!(again.unwrap().to_ron(), text);
    Ok(())
}

/// Loads bytes as a file would be loaded; whatever loads must round-trip.
fn load_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Ok(text) = vsmap::io::ron_text::text_from_bytes("fuzz.ron", bytes) else {
        return Ok(());
    };
    match Map::from_text("fuzz.ron", &text) {
        Ok(map) => {
            assert_round_trips(&map)?;
            let report = vsmap::check::check(&Chain::builtin(), &map);
            let _ = vsmap::metrics::metrics(&map);
            let locator = vsmap::output::report::Locator::new(&text);
            for diagnostic in &report.diagnostics {
                let _ = locator.position(diagnostic.subject);
                prop_assert!(!diagnostic.message.chars().any(vsmap::text::is_invisible));
            }
        }
        Err(error) => {
            let shown = error.to_string();
            prop_assert!(
                !shown.chars().any(vsmap::text::is_invisible),
                "raw control character in {:?}",
                shown
            );
            prop_assert!(shown.len() < 4000, "{} bytes", shown.len());
        }
    }
    Ok(())
}

/// Edits that turn a good map into a nearly good one.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Truncate(Index),
    /// Copy a slice (start, length) to another place.
    Duplicate(Index, usize, Index),
}

fn tokens() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 1..4),
        prop::sample::select(vec![
            "\"",
            "\\",
            "(",
            ")",
            "[",
            "]",
            ",",
            ":",
            "Some(",
            "None",
            "-1",
            "65535",
            "65536",
            "4294967296",
            "\\u{1b}",
            "\u{1b}[2J",
            "\u{202e}",
            "\u{200b}",
            "\0",
            "\u{feff}",
            "漢",
            "🙂",
            "r#\"",
            "\"#",
            "/*",
            "*/",
            "//",
            "\n",
            "Step(",
            "Flow(",
            "id: \"x\"",
            "also: [Plan]",
            "notes: \"",
            "#![enable(implicit_some)]",
        ])
        .prop_map(|t| t.as_bytes().to_vec()),
        Just(vec![0xff]),
        Just(vec![0xc3]),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        (any::<Index>(), tokens()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(s, n, at)| Mutation::Duplicate(s, n, at)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(i, bit) if !bytes.is_empty() => {
                let i = i.index(len);
                bytes[i] ^= 1 << bit;
            }
            Mutation::Flip(..) => {}
            Mutation::Insert(i, token) => {
                let at = i.index(bytes.len() + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let at = i.index(len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
            Mutation::Duplicate(start, n, at) => {
                let start = start.index(len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                let slice = bytes[start..end].to_vec();
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, slice);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_loader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        load_bytes(bytes)?;
    }

    #[test]
    fn the_loader_never_panics_on_mutated_sample_maps(
        sample in 0..SAMPLES.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        load_bytes(mutate(SAMPLES[sample].as_bytes().to_vec(), &mutations))?;
    }

    #[test]
    fn every_map_saves_and_loads_back_the_same(map in arbitrary_map()) {
        assert_round_trips(&map)?;
    }
}

/// Text as a facilitator (or an attacker) might type or paste it.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            1 => Just(' '),
            2 => any::<char>(),
            1 => prop::sample::select(vec![
                '\u{1b}', '\u{7}', '\n', '\t', '\r', '\u{202e}', '\u{2066}', '\u{200b}',
                '\u{feff}', '\u{ad}', '漢', '🙂', 'é', '"', '\\', '<', '>', '\u{2028}',
                '\u{fffe}', '\u{301}',
            ]),
        ],
        0..max,
    )
    .prop_map(String::from_iter)
}

fn arbitrary_map() -> impl Strategy<Value = Map> {
    use vsmap::model::activity::Activity;
    use vsmap::model::map::{Cell, Flow, Improvement, Step};
    let activity = prop::sample::select(Activity::ALL.to_vec());
    let step = (
        text(12),
        activity.clone(),
        prop::collection::vec(activity, 0..3),
        text(30),
        any::<(u16, u16)>(),
        any::<(Option<u32>, Option<u32>, Option<u8>)>(),
        prop::collection::vec(text(10), 0..3),
        text(40),
        prop::collection::vec((text(20), prop::option::of(text(8))), 0..2),
    )
        .prop_map(
            |(id, activity, also, label, (col, row), (p, w, ca), practices, notes, notes2)| Step {
                also: also.into(),
                process_minutes: p,
                wait_minutes: w,
                complete_accurate_percent: ca,
                practices: practices.into(),
                notes,
                improvements: notes2
                    .into_iter()
                    .map(|(text, owner)| Improvement { text, owner })
                    .collect(),
                ..Step::new(id, activity, label, Cell::new(col, row))
            },
        );
    let flow = (text(12), text(12), prop::option::of(text(30)), text(20)).prop_map(
        |(from, to, artifact, notes)| Flow {
            notes,
            ..Flow::new(from, to, artifact)
        },
    );
    (
        text(30),
        text(60),
        prop::collection::vec(step, 0..6),
        prop::collection::vec(flow, 0..6),
    )
        .prop_map(|(title, notes, steps, flows)| Map {
            notes,
            steps,
            flows,
            ..Map::new(title)
        })
}

// ---- Random editor sessions -------------------------------------------------------------

/// One thing a user does.
#[derive(Debug, Clone)]
enum Act {
    /// Keys as `support::keys` reads them.
    Keys(&'static str),
    /// Characters typed one by one, whatever they are.
    Type(String),
    /// Back to the grid, moves, `a`, the activity picker moved down `activity` times,
    /// Enter, the label, Enter.
    AddStep {
        moves: &'static str,
        activity: usize,
        label: String,
    },
    /// Back to the grid, arrow keys to one step, `c`, arrow keys to another (or a few
    /// moves when `moves` is set), Enter, the artifact picker moved down `artifact` times
    /// (or a typed name), Enter.
    Connect {
        from: Index,
        to: Index,
        moves: Option<&'static str>,
        artifact: usize,
        typed: Option<String>,
    },
    /// Back to the grid, arrow keys to a step (when `step` is set), `e`, Tab to a field,
    /// type, Enter.
    EditForm {
        step: Option<Index>,
        field: usize,
        text: String,
    },
    Paste(String),
    Mouse(MouseKind, u16, u16),
    Resize(u16, u16),
    /// Draw the screen at the current size.
    Draw,
}

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "h", "j", "k", "l", "<Left>", "<Right>", "<Up>", "<Down>", "a", "c", "<Enter>", "e",
    "<Tab>", "<BackTab>", "d", "<Del>", "m", "H", "J", "K", "L", "<S-Left>", "<S-Down>", "u",
    "u", "u", "<C-r>", "n", "N", "f", "i", "t", "+", "b", "T", "R", "<Esc>", "<Esc>", "q",
    "?", "<Backspace>", "<Home>", "<End>", "s", "x", "<PageDown>", "<C-s>", "<C-s>", "o", "r",
    "k", "D",
];

/// Steps are mostly added rightwards and down, so connections mostly look back.
const CONNECT_MOVES: &[&str] = &["h", "h", "h", "k", "k", "hh", "hk", "l", "j", "hhk"];

#[rustfmt::skip]
const MOVES: &[&str] = &["l", "l", "l", "j", "j", "h", "k", "ll", "jl", "lj", "kkl", "lll", "hj", ""];

fn act() -> impl Strategy<Value = Act> {
    let mouse_kind = prop::sample::select(vec![
        MouseKind::Down,
        MouseKind::Drag,
        MouseKind::Up,
        MouseKind::ScrollUp,
        MouseKind::ScrollDown,
        MouseKind::ScrollLeft,
        MouseKind::ScrollRight,
    ]);
    prop_oneof![
        10 => prop::sample::select(KEYS).prop_map(Act::Keys),
        2 => text(8).prop_map(Act::Type),
        4 => (prop::sample::select(MOVES), 0usize..9, text(16))
            .prop_map(|(moves, activity, label)| Act::AddStep { moves, activity, label }),
        6 => (
            any::<(Index, Index)>(),
            prop::option::weighted(0.3, prop::sample::select(CONNECT_MOVES)),
            0usize..45,
            prop::option::weighted(0.2, text(10)),
        )
            .prop_map(|((from, to), moves, artifact, typed)| Act::Connect {
                from,
                to,
                moves,
                artifact,
                typed
            }),
        3 => (prop::option::weighted(0.8, any::<Index>()), 0usize..9, text(10))
            .prop_map(|(step, field, text)| Act::EditForm { step, field, text }),
        1 => text(40).prop_map(Act::Paste),
        4 => (mouse_kind, 0u16..260, 0u16..80).prop_map(|(k, x, y)| Act::Mouse(k, x, y)),
        2 => prop_oneof![
            Just((1u16, 1u16)),
            Just((0, 0)),
            Just((80, 24)),
            (0u16..=300, 0u16..=100),
        ]
        .prop_map(|(w, h)| Act::Resize(w, h)),
        2 => Just(Act::Draw),
    ]
}

/// How a session begins: on its map alone, or with what the edge offers at start.
#[derive(Debug, Clone)]
enum Opening {
    Plain,
    /// A recovery file holds this sample map.
    Recovery(usize),
    /// Another vsmap holds the lock.
    Locked,
}

fn opening() -> impl Strategy<Value = Opening> {
    prop_oneof![
        6 => Just(Opening::Plain),
        1 => (0..SAMPLES.len()).prop_map(Opening::Recovery),
        1 => Just(Opening::Locked),
    ]
}

/// The edge as the terminal is: every effect the editor asks for is answered at once, the
/// way `outcomes` (cycled) says: saved, failed, the file changed underneath, reloaded.
struct Edge {
    outcomes: Vec<u8>,
    next: usize,
    /// What a reload reads.
    disk: Map,
}

impl Edge {
    fn outcome(&mut self) -> u8 {
        let o = self.outcomes[self.next % self.outcomes.len()];
        self.next += 1;
        o
    }

    fn answer(&mut self, editor: &mut Editor, effects: impl IntoIterator<Item = Effect>) {
        let mut pending: Vec<Effect> = effects.into_iter().collect();
        // An answer may ask for more (a save that quits); a few rounds are plenty.
        for _ in 0..8 {
            let mut more = Vec::new();
            for effect in pending {
                let o = self.outcome();
                let action = match effect {
                    Effect::Save => match o % 4 {
                        0 => Action::ExternalChange,
                        1 => Action::Saved(Err("disk full".into())),
                        _ => Action::Saved(Ok(editor.doc().path().to_path_buf())),
                    },
                    Effect::SaveOverwrite => match o % 3 {
                        0 => Action::Saved(Err("permission denied".into())),
                        _ => Action::Saved(Ok(editor.doc().path().to_path_buf())),
                    },
                    Effect::SaveAs(path) => match o % 3 {
                        0 => Action::Saved(Err("file exists".into())),
                        _ => Action::Saved(Ok(path)),
                    },
                    Effect::Reload => match o % 3 {
                        0 => Action::Reloaded(Err("no such file".into())),
                        _ => Action::Reloaded(Ok(self.disk.clone())),
                    },
                    Effect::KeepRecoveryAside => match o % 2 {
                        0 => Action::KeptAside(Err("read-only directory".into())),
                        _ => Action::KeptAside(Ok("beside.ron".into())),
                    },
                    Effect::DiscardRecovery | Effect::Quit => continue,
                };
                more.extend(vsmap::editor::update(editor, action));
            }
            if more.is_empty() {
                return;
            }
            pending = more;
        }
    }

    fn keys(&mut self, editor: &mut Editor, script: &str) {
        let effects = keys(editor, script);
        self.answer(editor, effects);
    }

    fn press(&mut self, editor: &mut Editor, code: KeyCode) {
        let effect = vsmap::editor::handle_key(editor, KeyEvent::new(code, KeyModifiers::NONE));
        self.answer(editor, effect);
    }

    fn type_text(&mut self, editor: &mut Editor, text: &str) {
        for c in text.chars() {
            self.press(editor, KeyCode::Char(c));
        }
    }

    fn times(&mut self, editor: &mut Editor, code: KeyCode, n: usize) {
        for _ in 0..n {
            self.press(editor, code);
        }
    }

    fn update(&mut self, editor: &mut Editor, action: Action) {
        let effect = vsmap::editor::update(editor, action);
        self.answer(editor, effect);
    }

    fn perform(&mut self, editor: &mut Editor, act: &Act) {
        match act {
            Act::Keys(script) => self.keys(editor, script),
            Act::Type(text) => self.type_text(editor, text),
            Act::AddStep {
                moves,
                activity,
                label,
            } => {
                self.leave_popups(editor);
                self.keys(editor, moves);
                self.keys(editor, "a");
                self.times(editor, KeyCode::Down, *activity);
                self.press(editor, KeyCode::Enter);
                self.type_text(editor, label);
                self.press(editor, KeyCode::Enter);
            }
            Act::Connect {
                from,
                to,
                moves,
                artifact,
                typed,
            } => {
                self.leave_popups(editor);
                self.go_to_step(editor, from);
                self.keys(editor, "c");
                match moves {
                    Some(moves) => self.keys(editor, moves),
                    None => self.go_to_step(editor, to),
                }
                self.press(editor, KeyCode::Enter);
                match typed {
                    Some(name) => self.type_text(editor, name),
                    None => self.times(editor, KeyCode::Down, *artifact),
                }
                self.press(editor, KeyCode::Enter);
            }
            Act::EditForm { step, field, text } => {
                self.leave_popups(editor);
                if let Some(step) = step {
                    self.go_to_step(editor, step);
                }
                self.keys(editor, "e");
                self.times(editor, KeyCode::Tab, *field);
                self.type_text(editor, text);
                self.press(editor, KeyCode::Enter);
            }
            Act::Paste(text) => self.update(editor, Action::Paste(text.clone())),
            Act::Mouse(kind, x, y) => self.update(
                editor,
                Action::Mouse(Mouse {
                    kind: *kind,
                    x: *x,
                    y: *y,
                }),
            ),
            Act::Resize(w, h) => self.update(editor, Action::Resize(*w, *h)),
            Act::Draw => draw(editor),
        }
    }

    /// Arrow keys from the cursor to a step of the map, as a user would press them.
    fn go_to_step(&mut self, editor: &mut Editor, step: &Index) {
        if editor.map().steps.is_empty() {
            return;
        }
        let target = editor.map().steps[step.index(editor.map().steps.len())].at;
        let cursor = editor.view.cursor;
        let (dx, dy) = (
            i32::from(target.col) - i32::from(cursor.col),
            i32::from(target.row) - i32::from(cursor.row),
        );
        let horizontal = if dx < 0 {
            KeyCode::Left
        } else {
            KeyCode::Right
        };
        let vertical = if dy < 0 { KeyCode::Up } else { KeyCode::Down };
        self.times(editor, horizontal, dx.unsigned_abs().min(100) as usize);
        self.times(editor, vertical, dy.unsigned_abs().min(100) as usize);
    }

    /// Esc out of popups and modes, as a user about to do something new would.
    fn leave_popups(&mut self, editor: &mut Editor) {
        for _ in 0..10 {
            match editor.context() {
                Context::Grid | Context::Review => return,
                _ => self.keys(editor, "<Esc>"),
            }
        }
    }

    /// Closes popups and modes until the grid has the keys.
    fn back_to_the_grid(&mut self, editor: &mut Editor) -> Result<(), TestCaseError> {
        for _ in 0..100 {
            match editor.context() {
                Context::Grid => return Ok(()),
                // A session opened read-only (the lock warning's `r`) cannot be left by
                // keys; the test leaves it to check the history.
                Context::Review if editor.view.review_only => {
                    editor.view.review_only = false;
                    editor.view.review = false;
                }
                Context::Review => self.keys(editor, "R"),
                _ => self.keys(editor, "<Esc>"),
            }
        }
        prop_assert!(false, "stuck in {:?}", editor.context());
        Ok(())
    }

    /// Presses `key` until the editor says `done`; returns how often it did something.
    fn until(
        &mut self,
        editor: &mut Editor,
        key: &str,
        done: &str,
    ) -> Result<usize, TestCaseError> {
        for n in 0..100_000 {
            self.keys(editor, key);
            if message(editor) == done {
                return Ok(n);
            }
        }
        prop_assert!(false, "{key} never said {done}");
        Ok(0)
    }
}

fn draw(editor: &Editor) {
    let (width, height) = editor.view.screen;
    screen(editor, width, height);
}

fn message(editor: &Editor) -> &str {
    editor.message().map_or("", |m| m.text.as_str())
}

fn session(
    start: Map,
    opening: &Opening,
    outcomes: Vec<u8>,
    acts: &[Act],
) -> Result<(), TestCaseError> {
    let mut edge = Edge {
        outcomes,
        next: 0,
        disk: Map::from_text("disk.ron", SAMPLES[4]).unwrap(),
    };
    let mut editor = editor_with(start.clone());
    match opening {
        Opening::Plain => {}
        Opening::Recovery(sample) => {
            let found = Action::RecoveryFound {
                map: Box::new(Map::from_text("recovered.ron", SAMPLES[*sample]).unwrap()),
                written_at: 1_700_000_000,
                map_changed_since: false,
            };
            vsmap::editor::update(&mut editor, found);
        }
        Opening::Locked => {
            let held = LockState::HeldBy("sam on host, process 42".into());
            vsmap::editor::update(&mut editor, Action::Lock(held));
        }
    }
    for act in acts {
        edge.perform(&mut editor, act);
        // The map is always one that saves and loads back the same.
        let text = editor.map().to_ron();
        let loaded = Map::from_text("session.ron", &text);
        prop_assert_eq!(loaded.as_ref(), Ok(editor.map()), "after {:?}", act);
    }
    draw(&editor);
    edge.back_to_the_grid(&mut editor)?;
    // The session may end with undone changes; redo them first, to know the furthest state.
    edge.until(&mut editor, "<C-r>", "Nothing to redo")?;
    let furthest = editor.map().clone();
    edge.until(&mut editor, "u", "Nothing to undo")?;
    prop_assert_eq!(
        editor.map(),
        &start,
        "undoing everything gives the start back"
    );
    draw(&editor);
    edge.until(&mut editor, "<C-r>", "Nothing to redo")?;
    prop_assert_eq!(
        editor.map(),
        &furthest,
        "redoing everything gives the end back"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn random_sessions_on_a_sample_map(
        sample in 0..SAMPLES.len(),
        opening in opening(),
        outcomes in prop::collection::vec(any::<u8>(), 1..8),
        acts in prop::collection::vec(act(), 1..60),
    ) {
        let start = Map::from_text("sample.ron", SAMPLES[sample]).unwrap();
        session(start, &opening, outcomes, &acts)?;
    }

    #[test]
    fn random_sessions_on_an_empty_map(
        opening in opening(),
        outcomes in prop::collection::vec(any::<u8>(), 1..8),
        acts in prop::collection::vec(act(), 1..60),
    ) {
        session(Map::new("empty"), &opening, outcomes, &acts)?;
    }
}
