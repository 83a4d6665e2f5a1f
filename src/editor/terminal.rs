//! The edge: the real terminal and the files. Switches terminal modes on and, whatever
//! happens, off again; turns terminal events into actions; draws only after an event; writes
//! the map, its recovery file and nothing else.

use super::action::{Action, Effect, Mouse, MouseKind};
use super::state::{Editor, SaveQuestion};
use super::{draw, update};
use crate::io::{recovery, save, sys};
use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use crossterm::{execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Unsaved edits reach the recovery file this long after the last change: soon enough that a
/// dropped link loses at most a moment, late enough that typing is not slowed by writes.
const RECOVERY_DELAY: Duration = Duration::from_millis(700);
/// How often the loop wakes to look for SIGHUP and SIGTERM while nothing happens. It only
/// checks a flag; nothing is drawn or written.
const SIGNAL_CHECK: Duration = Duration::from_millis(200);

/// Whether the editor's terminal modes are on, so they are undone exactly once: leaving the
/// alternate screen twice would move the cursor back over what was printed in between (a
/// panic message, say).
static TERMINAL_MODES_ON: AtomicBool = AtomicBool::new(false);

/// Undoes every terminal mode the editor switched on. Safe to call more than once, and from
/// a panic hook.
pub fn restore_terminal() {
    if !TERMINAL_MODES_ON.swap(false, Ordering::SeqCst) {
        return;
    }
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

fn enter(mouse: bool) -> io::Result<Guard> {
    terminal::enable_raw_mode()?;
    TERMINAL_MODES_ON.store(true, Ordering::SeqCst);
    let guard = Guard;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste
    )?;
    if mouse {
        execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    Ok(guard)
}

/// How the editor ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Quit,
    /// A signal asked us to stop (SIGHUP: the SSH link dropped; SIGTERM). Unsaved edits are in
    /// the recovery file; the caller exits with 128 + the signal.
    Signal(i32),
}

/// Where a session keeps its unsaved edits, and which recovery file it offered at start.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// This session's recovery file: the map's own when the session holds the lock
    /// (`recovery::file_for`), else one of its own (`recovery::file_for_process`), so it
    /// never overwrites a live session's. `None`: the map's own.
    pub recovery_file: Option<std::path::PathBuf>,
    /// The recovery file offered at start (a `Layer::Recovery` is up for it). It is deleted
    /// only when the user discards it, keeps it beside the map, or saves after restoring it.
    pub offered: Option<std::path::PathBuf>,
    /// Leave the mouse to the terminal (`--no-mouse`, or `mouse: false` in the config), so
    /// text can be selected and copied, over SSH too.
    pub no_mouse: bool,
}

/// Runs the editor until the user quits or a signal ends it.
pub fn run(editor: Editor) -> anyhow::Result<Ended> {
    run_session(editor, Session::default())
}

/// Runs the editor as `run` does, with the recovery files `session` names.
pub fn run_session(editor: Editor, session: Session) -> anyhow::Result<Ended> {
    run_inner(editor, session, &mut |_| {})
}

/// Runs the editor as `run` does, showing `hook` every terminal event before the editor
/// takes it: for programs built around the editor, such as `examples/panic_editor.rs`, which
/// the end-to-end tests use to crash it on purpose.
pub fn run_with_hook(editor: Editor, hook: &mut dyn FnMut(&Event)) -> anyhow::Result<Ended> {
    run_inner(editor, Session::default(), hook)
}

fn run_inner(
    mut editor: Editor,
    session: Session,
    hook: &mut dyn FnMut(&Event),
) -> anyhow::Result<Ended> {
    let signal = Arc::new(AtomicUsize::new(0));
    for number in [signal_hook::consts::SIGHUP, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_usize(number, Arc::clone(&signal), number as usize)?;
    }
    let _guard = enter(!session.no_mouse)?;
    // Dropped by hand: ratatui's drop shows the cursor and, when that fails on a terminal
    // that hung up, prints to standard error with `eprintln!`, which panics there (exit 101
    // instead of 129). After a hangup it is never dropped; the process ends right after.
    let mut terminal =
        std::mem::ManuallyDrop::new(Terminal::new(CrosstermBackend::new(io::stdout()))?);
    let size = terminal.size()?;
    update::apply(&mut editor, Action::Resize(size.width, size.height));
    let mut files = Files::new(&editor, session);
    let finished = Arc::new(AtomicBool::new(false));
    watchdog(Arc::clone(&signal), Arc::clone(&finished));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut editor, &mut files, &signal, hook)
    }));
    finished.store(true, Ordering::SeqCst);
    let hung_up = match &result {
        Ok(Ok(ended)) => *ended == Ended::Signal(signal_hook::consts::SIGHUP),
        Ok(Err(error)) => terminal_gone(error),
        Err(_) => false,
    };
    if !hung_up {
        drop(std::mem::ManuallyDrop::into_inner(terminal));
    }
    match result {
        Ok(Ok(ended)) => {
            if ended == Ended::Quit {
                files.forget_recovery(&editor);
            }
            Ok(ended)
        }
        Ok(Err(error)) => {
            files.write_recovery(&mut editor);
            // A terminal that is gone (EIO, a hangup ratatui met first) is a hangup, not an
            // error: the caller exits with 129, as after SIGHUP.
            if terminal_gone(&error) {
                return Ok(Ended::Signal(signal_hook::consts::SIGHUP));
            }
            Err(error)
        }
        Err(panic) => {
            // The edits outlive the crash; the hook has already restored the terminal.
            files.write_recovery(&mut editor);
            std::panic::resume_unwind(panic)
        }
    }
}

/// The last line of defence: if the terminal hung up or a stop signal came and the loop has
/// not ended a few seconds later (stuck inside crossterm's read, issue #793), end the
/// process. Unsaved edits are already in the recovery file, written shortly after each change.
fn watchdog(signal: Arc<AtomicUsize>, finished: Arc<AtomicBool>) {
    const GRACE: Duration = Duration::from_secs(3);
    let Ok(tty) = Tty::open() else { return };
    std::thread::spawn(move || {
        let mut trouble_since: Option<Instant> = None;
        loop {
            std::thread::sleep(Duration::from_millis(500));
            if finished.load(Ordering::SeqCst) {
                return;
            }
            let hung_up = tty
                .wait(Duration::ZERO)
                .is_ok_and(|state| state == TtyState::HungUp);
            if signal.load(Ordering::SeqCst) == 0 && !hung_up {
                trouble_since = None;
                continue;
            }
            let since = *trouble_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= GRACE && !finished.load(Ordering::SeqCst) {
                restore_terminal();
                let number = match signal.load(Ordering::SeqCst) {
                    0 => signal_hook::consts::SIGHUP as usize,
                    n => n,
                };
                std::process::exit(128 + number as i32);
            }
        }
    });
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    editor: &mut Editor,
    files: &mut Files,
    signal: &AtomicUsize,
    hook: &mut dyn FnMut(&Event),
) -> anyhow::Result<Ended> {
    let tty = Tty::open()?;
    // crossterm starts listening for SIGWINCH when first polled; do it before the first
    // frame so a resize right after start is not lost.
    let mut pending = event::poll(Duration::ZERO)?;
    loop {
        editor.ensure_routes();
        draw_frame(terminal, editor)?;
        // Sleep until something happens, then take everything that is queued before drawing
        // again: a burst of keys over a slow link costs one frame.
        while !pending {
            let stop = signal.load(Ordering::Relaxed);
            if stop != 0 {
                files.write_recovery(editor);
                return Ok(Ended::Signal(stop as i32));
            }
            if files.recovery_due(editor) {
                files.write_recovery(editor);
                // A failure is on the status line now: shown without waiting for a key.
                draw_frame(terminal, editor)?;
            }
            // Wait on the terminal ourselves: crossterm 0.29 spins forever reading a terminal
            // that hung up (crossterm issue #793), so a dead terminal must be seen first.
            // While links are drawn provisionally, only look: idle time refines them.
            let limit = if editor.refining() {
                Duration::ZERO
            } else {
                files.wait_limit()
            };
            if tty.wait(limit)? == TtyState::HungUp {
                files.write_recovery(editor);
                return Ok(Ended::Signal(signal_hook::consts::SIGHUP));
            }
            // Input, a resize (SIGWINCH) or the timeout: crossterm takes what is queued.
            pending = event::poll(Duration::ZERO)?;
            if !pending && editor.refining() {
                update::update(editor, Action::Refine);
                draw_frame(terminal, editor)?;
            }
        }
        pending = false;
        let mut next = Some(event::read()?);
        while let Some(event) = next {
            hook(&event);
            if let Some(action) = action_of(event) {
                // The user's own keys become the table's before the editor sees them.
                let action = match action {
                    Action::Key(key) => {
                        Action::Key(editor.view.keys.translate(editor.context(), key))
                    }
                    other => other,
                };
                let mut effect = update::apply(editor, action);
                while let Some(e) = effect {
                    if e == Effect::Quit {
                        return Ok(Ended::Quit);
                    }
                    effect = files.perform(editor, e);
                }
                files.changed(editor);
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TtyState {
    /// Input is waiting, or the wait ended for another reason (timeout, a signal).
    Awake,
    /// The terminal is gone: an SSH link dropped, a terminal window closed.
    HungUp,
}

/// The controlling terminal, watched for input and for hangup.
struct Tty {
    file: std::fs::File,
}

impl Tty {
    fn open() -> io::Result<Tty> {
        Ok(Tty {
            file: std::fs::OpenOptions::new().read(true).open("/dev/tty")?,
        })
    }

    /// Sleeps until input arrives, the terminal hangs up, a signal arrives or `limit` passes.
    fn wait(&self, limit: Duration) -> io::Result<TtyState> {
        Ok(match sys::wait_for_input(&self.file, limit)? {
            sys::Woken::Awake => TtyState::Awake,
            sys::Woken::HungUp => TtyState::HungUp,
        })
    }
}

/// Whether an error means the terminal went away under us (an SSH link dropped): writing
/// to it fails with EIO, or it is no longer there at all.
fn terminal_gone(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| {
            e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error())
                || e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error())
                || e.kind() == io::ErrorKind::BrokenPipe
        })
    }) || Tty::open().is_err()
}

/// The map file and its recovery file: what the edge writes, and when.
struct Files {
    /// The history version last written to the recovery file (or known to need none).
    recovered_version: u64,
    /// When the recovery file should next be written, if edits are waiting.
    due: Option<Instant>,
    /// The map this session's recovery file is for, and that file.
    slot_map: std::path::PathBuf,
    slot: Option<std::path::PathBuf>,
    /// Whether this session wrote its recovery file (and so may remove it).
    wrote: bool,
    /// The recovery file offered at start, until the user has dealt with it.
    offered: Option<std::path::PathBuf>,
}

impl Files {
    fn new(editor: &Editor, session: Session) -> Files {
        Files {
            recovered_version: editor.doc.version(),
            due: None,
            slot_map: editor.doc.path().to_path_buf(),
            slot: session
                .recovery_file
                .or_else(|| recovery::file_for(editor.doc.path())),
            wrote: false,
            offered: session.offered,
        }
    }

    /// This session's recovery file for the map as it is named now (a "save as" moves it).
    fn slot(&mut self, editor: &Editor) -> Option<std::path::PathBuf> {
        if editor.doc.path() != self.slot_map {
            self.remove_own();
            self.slot_map = editor.doc.path().to_path_buf();
            self.slot = recovery::file_for_process(editor.doc.path(), std::process::id());
        }
        self.slot.clone()
    }

    /// Removes this session's recovery file, when this session wrote it. Not while it is
    /// also the file offered at start (restored, then written over): that one goes only as
    /// an offer does, on a save or a discard, never because the edits were undone.
    fn remove_own(&mut self) {
        if self.wrote
            && self.slot != self.offered
            && let Some(file) = &self.slot
        {
            let _ = std::fs::remove_file(file);
        }
        self.wrote = false;
    }

    /// Whether the offered recovery file has been dealt with by restoring it: its layer is
    /// gone, and neither discard nor keep-both took it.
    fn offer_restored(&self, editor: &Editor) -> bool {
        self.offered.is_some()
            && !editor
                .view
                .layers
                .iter()
                .any(|l| matches!(l, super::state::Layer::Recovery { .. }))
    }

    /// After every update: schedule a recovery write when there are new unsaved edits, or
    /// drop this session's recovery file when the map is back to what is on disk.
    fn changed(&mut self, editor: &Editor) {
        let version = editor.doc.version();
        if version == self.recovered_version {
            return;
        }
        if editor.modified() {
            self.due
                .get_or_insert_with(|| Instant::now() + RECOVERY_DELAY);
        } else {
            self.remove_own();
            self.recovered_version = version;
            self.due = None;
        }
    }

    fn recovery_due(&self, editor: &Editor) -> bool {
        self.due.is_some_and(|due| Instant::now() >= due) && editor.modified()
    }

    fn wait_limit(&self) -> Duration {
        match self.due {
            Some(due) => due
                .saturating_duration_since(Instant::now())
                .min(SIGNAL_CHECK),
            None => SIGNAL_CHECK,
        }
    }

    /// Writes the unsaved map to this session's recovery file (nothing when it is all
    /// saved). A failure is said on the status line, every time: the edits are not safe.
    fn write_recovery(&mut self, editor: &mut Editor) {
        self.due = None;
        if !editor.modified() {
            return;
        }
        let result = match self.slot(editor) {
            Some(file) => recovery::write_to(
                &file,
                editor.doc.path(),
                &editor.doc.map().to_ron(),
                Some(editor.doc.disk()),
            ),
            None => Err(io::Error::other("there is no state directory for it")),
        };
        match result {
            Ok(()) => {
                self.wrote = true;
                self.recovered_version = editor.doc.version();
            }
            Err(e) => {
                update::apply(
                    editor,
                    Action::RecoveryWriteFailed(crate::io::ron_text::io_message(&e)),
                );
            }
        }
    }

    /// A clean quit leaves no recovery file of this session behind; quitting without
    /// saving (a discard the user chose) takes a restored offer with it too. An offer that
    /// was never answered stays.
    fn forget_recovery(&mut self, editor: &Editor) {
        if !editor.modified() || editor.doc.discarded() {
            self.remove_own();
        }
        if editor.doc.discarded() && self.offer_restored(editor) {
            self.forget_offer();
        }
    }

    fn forget_offer(&mut self) {
        if let Some(file) = self.offered.take() {
            let _ = std::fs::remove_file(file);
        }
    }

    /// Carries out an effect and returns the effect of the action that reports back.
    fn perform(&mut self, editor: &mut Editor, effect: Effect) -> Option<Effect> {
        match effect {
            Effect::Quit => Some(Effect::Quit),
            Effect::Save => {
                let read = save::fingerprint(editor.doc.path());
                // Gone, not replaced by something unreadable (a FIFO, a link to a device).
                let gone = matches!(read, Ok(None));
                let now = read.ok().flatten();
                if gone && editor.doc.disk().is_some() {
                    let deleted = Action::SaveQuestion(SaveQuestion::Deleted);
                    return update::apply(editor, deleted);
                }
                if now != editor.doc.disk() {
                    return update::apply(editor, Action::ExternalChange);
                }
                if save::read_only(editor.doc.path()) {
                    let read_only = Action::SaveQuestion(SaveQuestion::ReadOnly);
                    return update::apply(editor, read_only);
                }
                self.write(editor, editor.doc.path().to_path_buf())
            }
            Effect::SaveOverwrite => self.write(editor, editor.doc.path().to_path_buf()),
            Effect::SaveAs(path) => {
                if std::fs::symlink_metadata(&path).is_ok() {
                    let message = format!(
                        "{} already exists; choose a new name",
                        crate::text::shown(&path.display().to_string(), 200)
                    );
                    return update::apply(editor, Action::Saved(Err(message)));
                }
                self.write(editor, path)
            }
            Effect::Reload => {
                let name = editor.doc.path().display().to_string();
                let read = crate::io::ron_text::read_text(editor.doc.path());
                let result = read.and_then(|text| {
                    let map = crate::model::map::Map::from_text(&name, &text)?;
                    Ok((map, save::Fingerprint::of(text.as_bytes())))
                });
                let result = match result {
                    Ok((map, fingerprint)) => {
                        update::apply(editor, Action::DiskState(Some(fingerprint)));
                        Ok(map)
                    }
                    Err(e) => Err(e.to_string()),
                };
                update::apply(editor, Action::Reloaded(result))
            }
            Effect::DiscardRecovery => {
                // The file that was offered; without an offer (a program built around the
                // editor), the map's own.
                match self.offered.take() {
                    Some(file) => {
                        let _ = std::fs::remove_file(file);
                    }
                    None => recovery::remove(editor.doc.path()),
                }
                None
            }
            Effect::KeepRecoveryAside => {
                let offered = self
                    .offered
                    .clone()
                    .or_else(|| recovery::file_for(editor.doc.path()));
                let result = match offered.as_deref().and_then(recovery::read) {
                    Some(recovered) => {
                        match recovery::keep_beside(editor.doc.path(), &recovered.text) {
                            Ok(aside) => {
                                let _ = std::fs::remove_file(&recovered.file);
                                self.offered = None;
                                Ok(aside)
                            }
                            Err(e) => Err(crate::io::ron_text::io_message(&e)),
                        }
                    }
                    None => Err("the recovery file is gone".to_string()),
                };
                update::apply(editor, Action::KeptAside(result))
            }
        }
    }

    fn write(&mut self, editor: &mut Editor, path: std::path::PathBuf) -> Option<Effect> {
        let result = save::save_atomic(&path, &editor.doc.map().to_ron());
        let reported = match result {
            Ok(fingerprint) => {
                // Saved: this session's recovery file and a restored offer have done their work.
                update::apply(editor, Action::DiskState(Some(fingerprint)));
                self.remove_own();
                if self.offer_restored(editor) {
                    self.forget_offer();
                }
                self.recovered_version = editor.doc.version();
                self.due = None;
                Ok(path)
            }
            Err(e) => Err(format!(
                "{}: {}",
                path.display(),
                crate::io::ron_text::io_message(&e)
            )),
        };
        update::apply(editor, Action::Saved(reported))
    }
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
