//! The edge: the real terminal. Switches its modes on and, whatever happens, off again;
//! turns terminal events into actions; draws only after an event.

use super::action::{Action, Effect, Mouse, MouseKind};
use super::state::Editor;
use super::{draw, update};
use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use crossterm::{execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout, Write};
use std::path::Path;
use std::time::Duration;

/// Undoes every terminal mode the editor switched on. Safe to call more than once, and from
/// a panic hook.
pub fn restore_terminal() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        event::DisableBracketedPaste,
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = stdout.flush();
}

/// Restores the terminal when dropped, on every way out of the editor.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn enter() -> io::Result<Guard> {
    terminal::enable_raw_mode()?;
    let guard = Guard;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableMouseCapture,
        event::EnableBracketedPaste
    )?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    Ok(guard)
}

/// Runs the editor until the user quits.
pub fn run(mut editor: Editor) -> anyhow::Result<()> {
    let _guard = enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    update::update(&mut editor, Action::Resize(size.width, size.height));
    loop {
        draw_frame(&mut terminal, &editor)?;
        // Sleep until something happens, then take everything that is queued before drawing
        // again: a burst of keys over a slow link costs one frame.
        let mut next = Some(event::read()?);
        while let Some(event) = next {
            if let Some(action) = action_of(event)
                && let Some(effect) = update::update(&mut editor, action)
                && perform(&mut editor, effect)
            {
                return Ok(());
            }
            next = if event::poll(Duration::ZERO)? {
                Some(event::read()?)
            } else {
                None
            };
        }
    }
}

fn draw_frame(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    editor: &Editor,
) -> io::Result<()> {
    execute!(io::stdout(), terminal::BeginSynchronizedUpdate)?;
    terminal.draw(|frame| draw::draw(frame, editor))?;
    execute!(io::stdout(), terminal::EndSynchronizedUpdate)
}

/// Carries out an effect; true when the editor should end.
fn perform(editor: &mut Editor, effect: Effect) -> bool {
    match effect {
        Effect::Quit => true,
        Effect::Save => {
            let result = save(&editor.path, &editor.map.to_ron())
                .map_err(|e| crate::ron_text::io_message(&e));
            matches!(
                update::update(editor, Action::Saved(result)),
                Some(Effect::Quit)
            )
        }
    }
}

/// Writes the map beside the target and renames it over, so a crash mid-write leaves the
/// old file whole.
pub fn save(path: &Path, text: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.vsmap-tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Terminal events as actions: key presses through the bindings, mouse moves dropped.
fn action_of(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Mouse(mouse) => {
            let kind = match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => MouseKind::Down,
                MouseEventKind::Drag(MouseButton::Left) => MouseKind::Drag,
                MouseEventKind::Up(MouseButton::Left) => MouseKind::Up,
                MouseEventKind::ScrollUp => MouseKind::ScrollUp,
                MouseEventKind::ScrollDown => MouseKind::ScrollDown,
                MouseEventKind::ScrollLeft => MouseKind::ScrollLeft,
                MouseEventKind::ScrollRight => MouseKind::ScrollRight,
                _ => return None,
            };
            Some(Action::Mouse(Mouse {
                kind,
                x: mouse.column,
                y: mouse.row,
            }))
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        _ => None,
    }
}
