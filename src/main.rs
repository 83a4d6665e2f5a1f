//! The command line: `vsmap [FILE]`, `vsmap new FILE`, `vsmap check FILE...`, `vsmap chain`.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use vsmap::chain::{self, Chain};
use vsmap::check::check;
use vsmap::check::codes::Code;
use vsmap::editor::terminal::Ended;
use vsmap::editor::{Editor, Looks};
use vsmap::io::ron_text;
use vsmap::model::map::Map;
use vsmap::output::report::{self, Locator};
use vsmap::view::boxes::Zoom;

#[derive(Parser)]
#[command(
    name = "vsmap",
    version,
    about = "Map ITIL 4 value streams in the terminal, checked live against the service value chain"
)]
struct Cli {
    /// The map to open in the editor; a new map, with one Demand step, when the file does not
    /// exist yet.
    file: Option<PathBuf>,

    /// Use this chain file instead of the built-in ITIL 4 chain (same shape as assets/chain.ron).
    #[arg(long, global = true, value_name = "FILE")]
    chain: Option<PathBuf>,

    /// Draw with plain ASCII characters (also chosen when the locale is not UTF-8).
    #[arg(long, global = true)]
    ascii: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new map and open it in the editor: a copy of a sample stream (`--from`), or
    /// one Demand step to build the stream from.
    ///
    /// FILE must not exist yet: `new` never overwrites. Exit status 2 when it exists, the
    /// sample is unknown or the file cannot be written.
    New {
        /// The map file to create.
        #[arg(required_unless_present = "list")]
        file: Option<PathBuf>,
        /// Start from this sample map: its name (e.g. `incident-management`) or a start of it
        /// that only one name has; case does not matter. `--list` shows them.
        #[arg(long, value_name = "NAME")]
        from: Option<String>,
        /// List the sample maps to start from, one per line with its title, and exit.
        #[arg(long, conflicts_with_all = ["file", "from"])]
        list: bool,
    },
    /// Check maps against the chain and print what is wrong, compiler-style.
    ///
    /// Exit status: 0 when no map has errors, 1 when some map has errors,
    /// 2 when a file could not be read.
    Check {
        /// Map files to check.
        #[arg(required_unless_present = "explain")]
        files: Vec<PathBuf>,
        /// Output format: `text` (file:line:col: severity[code]: message) or `json`
        /// (one object per file and line).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Explain a diagnostic code, with an example, and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Print the canonical chain: per activity its purpose, practices, inputs and outputs.
    Chain {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Open a map read-only for a retrospective: metrics, findings and improvement notes in
    /// front. Improvement notes can still be added when the file is writable.
    Review {
        /// The map to review.
        file: PathBuf,
    },
    /// List the recovery files: unsaved edits kept after a dropped link, a crash or a kill.
    /// Opening the map offers to restore them.
    Recover,
    /// Print the map as text, drawn as the editor draws it, for a chat, a ticket or `less`.
    Render {
        /// The map to draw.
        file: PathBuf,
        /// Width in columns; the terminal's width when left out (80 when there is none).
        /// A map wider than this is printed in bands, left to right.
        #[arg(long)]
        width: Option<u16>,
        /// Colour the verdicts with terminal escape codes (off by default).
        #[arg(long)]
        color: bool,
        /// How much to show: `overview` (small boxes, every link numbered), `normal`, or
        /// `detail` (whole labels and a data box with process time, wait and %C/A).
        #[arg(long, value_enum, default_value_t = ZoomArg::Normal)]
        zoom: ZoomArg,
        /// Print the timeline ladder and the flow metrics under the map.
        #[arg(long)]
        timeline: bool,
    },
    /// Write the map in another format: a Mermaid flowchart, Graphviz DOT, a Markdown
    /// retrospective report, CSV of steps and connections, a self-contained SVG picture, or
    /// that picture as a PNG image.
    Export {
        /// The map to export.
        file: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        to: vsmap::output::export::Format,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show what changed between two maps: steps and connections added, removed and changed,
    /// verdicts that changed, and the metric deltas. Exit status: 0 when the maps are the
    /// same, 1 when they differ, 2 when a file could not be read.
    Diff {
        /// The older map (the current state, or the last version).
        old: PathBuf,
        /// The newer map (the future state, or the working copy).
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ZoomArg {
    Overview,
    Normal,
    Detail,
}

impl From<ZoomArg> for Zoom {
    fn from(zoom: ZoomArg) -> Zoom {
        match zoom {
            ZoomArg::Overview => Zoom::Overview,
            ZoomArg::Normal => Zoom::Normal,
            ZoomArg::Detail => Zoom::Detail,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let chain = match &cli.chain {
        Some(path) => match Chain::load(path) {
            Ok(chain) => chain,
            Err(error) => {
                say_err(&format!("{error}\n"));
                return ExitCode::from(2);
            }
        },
        None => Chain::builtin(),
    };
    let chain_source = cli
        .chain
        .as_ref()
        .map_or(chain::BUILTIN_NAME.to_string(), |p| p.display().to_string());
    match cli.command {
        Some(Command::Check {
            files,
            format,
            explain,
        }) => match explain {
            Some(code) => explain_code(&code),
            None => check_files(&chain, &files, format),
        },
        Some(Command::Chain { format }) => match format {
            Format::Text => print_out(&report::chain_text(&chain, &chain_source)),
            Format::Json => print_json(&format!("{:#}\n", report::chain_json(&chain))),
        },
        // Without FILE, clap has made sure `--list` was asked for.
        Some(Command::New { file, from, .. }) => match file {
            Some(file) => new_map(chain, file, from.as_deref(), cli.ascii),
            None => list_samples(),
        },
        Some(Command::Review { file }) => open_editor(chain, file, cli.ascii, true),
        Some(Command::Recover) => list_recovery(),
        Some(Command::Render {
            file,
            width,
            color,
            zoom,
            timeline,
        }) => match load_map(&file) {
            Ok(map) => {
                let width = width
                    .or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w))
                    .unwrap_or(80);
                let looks = Looks {
                    ascii: cli.ascii || !locale_is_utf8(),
                    color,
                };
                let options = vsmap::output::render::Options {
                    width,
                    zoom: zoom.into(),
                    timeline,
                    looks,
                };
                let mut text = vsmap::output::render::render_with(&chain, &map, &options);
                text.push_str(&unrouted_note(&map, zoom.into()));
                // Raw: the colours are escape codes on purpose; user text in it is escaped.
                print_raw(&text)
            }
            Err(error) => fail(&error),
        },
        Some(Command::Export { file, to, output }) => match load_map(&file) {
            Ok(map) => {
                let bytes = vsmap::output::export::export_bytes(to, &chain, &map);
                match output {
                    // Whole or not at all, with the old file's permissions, as a map is saved.
                    Some(path) => match vsmap::output::export::save(&path, &bytes) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => {
                            let shown = vsmap::text::shown(&path.display().to_string(), 4096);
                            say_err(&format!("{shown}: error: {}\n", ron_text::io_message(&e)));
                            ExitCode::from(2)
                        }
                    },
                    None if to == vsmap::output::export::Format::Png
                        && std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
                    {
                        say_err(
                            "vsmap: a PNG is an image: write it with -o FILE.png or > FILE.png\n",
                        );
                        ExitCode::from(2)
                    }
                    // Each format escapes or drops what it cannot hold itself.
                    None => print_bytes(&bytes),
                }
            }
            Err(error) => fail(&error),
        },
        Some(Command::Diff { old, new, format }) => match (load_map(&old), load_map(&new)) {
            (Ok(old_map), Ok(new_map)) => {
                let diff = vsmap::output::diff::diff(&chain, &old_map, &new_map);
                let printed = match format {
                    // File names are user text too (a git difftool passes any name).
                    Format::Text => print_out(&diff.text(
                        &vsmap::text::shown(&old.display().to_string(), 4096),
                        &vsmap::text::shown(&new.display().to_string(), 4096),
                    )),
                    Format::Json => print_json(&format!("{}\n", diff.json())),
                };
                if diff.is_empty() {
                    printed
                } else {
                    ExitCode::from(1)
                }
            }
            (Err(error), _) | (_, Err(error)) => fail(&error),
        },
        None => {
            let path = cli.file.unwrap_or_else(|| PathBuf::from("untitled.ron"));
            open_editor(chain, path, cli.ascii, false)
        }
    }
}

fn load_map(path: &std::path::Path) -> Result<Map, ron_text::FileError> {
    ron_text::read_text(path).and_then(|text| Map::from_text(&path.display().to_string(), &text))
}

fn fail(error: &ron_text::FileError) -> ExitCode {
    say_err(&format!("{error}\n"));
    ExitCode::from(2)
}

/// A note under a rendered map for each connection that could not be drawn: both its steps
/// are there, but no route was found (the target is boxed in, or the steps are too far
/// apart to search between). Empty when every one was drawn.
fn unrouted_note(map: &Map, zoom: Zoom) -> String {
    use vsmap::view::canvas::Canvas;
    use vsmap::view::geometry::Geometry;
    let canvas = Canvas::routed(map, Geometry::new(map, zoom));
    let has = |id: &str| map.steps.iter().any(|s| s.id == id);
    let mut out = String::new();
    for (flow, route) in map.flows.iter().zip(canvas.routes()) {
        if route.is_none() && has(&flow.from) && has(&flow.to) {
            let artifact = flow
                .artifact
                .as_deref()
                .map(|a| format!(" ({})", vsmap::text::shown(a, 80)))
                .unwrap_or_default();
            out.push_str(&format!(
                "note: the connection {} -> {}{artifact} is not drawn: no route was found (boxed in, or too far apart)\n",
                vsmap::text::shown(&flow.from, 80),
                vsmap::text::shown(&flow.to, 80)
            ));
        }
    }
    out
}

fn open_editor(chain: Chain, path: PathBuf, ascii: bool, review: bool) -> ExitCode {
    use vsmap::editor::Action;
    use vsmap::editor::state::LockState;
    use vsmap::editor::update;
    use vsmap::io::{lock, recovery, save};
    let looks = Looks {
        ascii: ascii || !locale_is_utf8(),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    // A name that is there in any form, a dangling link or a loop of links too, is read (and
    // its error shown): only a name that is not there at all starts a new map.
    let text = if std::fs::symlink_metadata(&path).is_ok() || review {
        Some(ron_text::read_text(&path))
    } else {
        None
    };
    let mut editor = match text {
        Some(Ok(text)) => match Map::from_text(&path.display().to_string(), &text) {
            Ok(map) => {
                let mut editor = if review {
                    Editor::for_review(chain, map, path, looks)
                } else {
                    Editor::new(chain, map, path, looks, true)
                };
                let disk = save::Fingerprint::of(text.as_bytes());
                update(&mut editor, Action::DiskState(Some(disk)));
                editor
            }
            Err(error) => Editor::broken(chain, path, looks, error.to_string()),
        },
        Some(Err(error)) => Editor::broken(chain, path, looks, error.to_string()),
        None => Editor::for_new_file(chain, path, looks),
    };
    let path = editor.doc().path().to_path_buf();
    update(&mut editor, Action::Writable(writable(&path)));
    // A session without the map's lock keeps its unsaved edits in a recovery file of its
    // own, so it never overwrites the lock holder's.
    let mut session = vsmap::editor::terminal::Session {
        recovery_file: recovery::file_for_process(&path, std::process::id()),
        offered: None,
    };
    // Review takes no lock: it never writes the map, only notes the user asks for.
    let mut _lock = None;
    if !review && !editor.is_broken() {
        // The lock first: the recovery file of a session that is alive is never offered.
        let state = match lock::acquire(&path) {
            lock::Outcome::Acquired { lock, replaced } => {
                _lock = Some(lock);
                session.recovery_file = recovery::file_for(&path);
                match replaced {
                    Some(stale) => LockState::TookOver(stale.describe()),
                    None => LockState::Ours,
                }
            }
            lock::Outcome::HeldBy(holder) => LockState::HeldBy(holder.describe()),
            lock::Outcome::Unavailable(why) => LockState::Unavailable(why),
        };
        let held_by_other = matches!(state, LockState::HeldBy(_));
        update(&mut editor, Action::Lock(state));
        if !held_by_other {
            offer_recovery(&mut editor, &mut session);
        }
    }
    let ended = vsmap::editor::terminal::run_session(editor, session);
    drop(_lock);
    match ended {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::Signal(number)) => ExitCode::from((128 + number).clamp(0, 255) as u8),
        Err(error) => {
            say_err(&format!("vsmap: {error}\n"));
            ExitCode::from(2)
        }
    }
}

/// `vsmap new FILE [--from NAME]`: writes the sample, byte for byte, to a FILE that does not
/// exist yet, and opens it as `vsmap FILE` would; without a sample, opens FILE as a new map.
/// Never overwrites: anything at the name, a dangling link too, stops it.
fn new_map(chain: Chain, path: PathBuf, from: Option<&str>, ascii: bool) -> ExitCode {
    let shown = vsmap::text::shown(&path.display().to_string(), 4096);
    if std::fs::symlink_metadata(&path).is_ok() {
        say_err(&format!(
            "vsmap: {shown} already exists; `new` never overwrites a file: open it with `vsmap {}`, or choose another name\n",
            vsmap::text::shell_quoted(&path.display().to_string())
        ));
        return ExitCode::from(2);
    }
    if let Some(name) = from {
        let text = match vsmap::samples::find(name) {
            Ok((_, text)) => text,
            Err(not_found) => {
                say_err(&format!("vsmap: {not_found}"));
                return ExitCode::from(2);
            }
        };
        if let Err(e) = write_new(&path, text) {
            say_err(&format!("{shown}: error: {}\n", ron_text::io_message(&e)));
            return ExitCode::from(2);
        }
    }
    open_editor(chain, path, ascii, false)
}

/// Writes a file that must not exist yet, never through a link at its name, with the
/// permissions a new file gets (0666 narrowed by the umask). A failed write leaves nothing.
fn write_new(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut file = vsmap::io::save::create_new(path, 0o666)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// `vsmap new --list`: each sample's name and title, one per line.
fn list_samples() -> ExitCode {
    use vsmap::samples::{SAMPLES, title};
    let width = SAMPLES
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (name, text) in SAMPLES {
        out.push_str(&format!("{name:<width$}  {}\n", title(text)));
    }
    print_out(&out)
}

/// Offers the map's recovery file, whenever there is one that no live session writes:
/// saying when the map changed on disk since the edits began. One whose text is the map's
/// own has had its edits saved, and goes; one that cannot be read is named and kept.
fn offer_recovery(editor: &mut Editor, session: &mut vsmap::editor::terminal::Session) {
    use vsmap::editor::{Action, update};
    use vsmap::io::recovery;
    let path = editor.doc().path().to_path_buf();
    let Some(recovered) = recovery::pending(&path) else {
        return;
    };
    if recovery::is_saved(&path, &recovered) {
        let _ = std::fs::remove_file(&recovered.file);
        return;
    }
    match recovered.map {
        Ok(map) => {
            session.offered = Some(recovered.file);
            let found = Action::RecoveryFound {
                map: Box::new(map),
                written_at: recovered.written_at,
                map_changed_since: recovered.map_changed_since,
            };
            update(editor, found);
        }
        Err(error) => {
            update(editor, Action::RecoveryUnreadable(error));
        }
    }
}

/// `vsmap recover`: every recovery file, newest first, with what to do about it. Paths are
/// shown escaped, and the command to type is quoted for the shell.
fn list_recovery() -> ExitCode {
    use vsmap::text::{shell_quoted, shown};
    let found = vsmap::io::recovery::list();
    let mut out = String::new();
    match vsmap::io::recovery::directory() {
        Some(dir) => out.push_str(&format!(
            "Recovery files in {}:\n",
            shown(&dir.display().to_string(), 4096)
        )),
        None => out.push_str("There is no state directory for recovery files on this system.\n"),
    }
    if found.is_empty() {
        out.push_str("  none: every map was saved or discarded.\n");
    }
    for entry in &found {
        let what = match &entry.map {
            Ok(map) => format!(
                "{}, {}",
                vsmap::text::plural(map.steps.len(), "step", "steps"),
                vsmap::text::plural(map.flows.len(), "flow", "flows")
            ),
            Err(error) => format!("unreadable: {}", shown(error, 200)),
        };
        let original = entry.original.display().to_string();
        let todo = if entry.writer_alive() {
            let pid = entry.writer.as_ref().map_or(0, |w| w.1);
            format!("in use: the vsmap of process {pid} is editing it now")
        } else {
            format!(
                "open the map with `vsmap {}` to restore, discard or keep both",
                shell_quoted(&original)
            )
        };
        out.push_str(&format!(
            "  {}  {}  ({what})\n      recovery file: {}\n      {todo}\n",
            vsmap::io::clock::format_time(entry.written_at),
            shown(&original, 4096),
            shown(&entry.file.display().to_string(), 4096),
        ));
    }
    print_out(&out)
}

/// Whether a save could write the file: a regular file that opens for writing (nothing is
/// written, and a FIFO or device is never opened), or it does not exist yet and its
/// directory does.
fn writable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => false,
        Ok(_) => std::fs::OpenOptions::new()
            .append(true)
            .custom_flags((rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32)
            .open(path)
            .is_ok(),
        Err(_) => path
            .parent()
            .is_none_or(|dir| dir.as_os_str().is_empty() || dir.is_dir()),
    }
}

/// Whether the terminal is told to expect UTF-8 (the first of LC_ALL, LC_CTYPE, LANG that is set).
fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .is_none_or(|value| {
            let value = value.to_ascii_lowercase();
            value.contains("utf-8") || value.contains("utf8")
        })
}

fn explain_code(name: &str) -> ExitCode {
    match Code::parse(name) {
        Some(code) => print_out(&format!(
            "{}[{}]: {}\n\n{}\n",
            code.severity().as_str(),
            code.as_str(),
            code.summary(),
            code.explanation()
        )),
        None => {
            let mut text = format!(
                "vsmap: no diagnostic code `{}`; the codes are:\n",
                vsmap::text::shown(name, 80)
            );
            for code in Code::ALL {
                text.push_str(&format!(
                    "  {:<20} {:<8} {}\n",
                    code.as_str(),
                    code.severity().as_str(),
                    code.summary()
                ));
            }
            say_err(&text);
            ExitCode::from(2)
        }
    }
}

fn check_files(chain: &Chain, files: &[PathBuf], format: Format) -> ExitCode {
    let mut unreadable = false;
    let mut errors = false;
    let mut out = String::new();
    for path in files {
        let name = path.display().to_string();
        let loaded = ron_text::read_text(path)
            .and_then(|text| Map::from_text(&name, &text).map(|map| (text, map)));
        match loaded {
            Err(error) => {
                unreadable = true;
                match format {
                    Format::Text => out.push_str(&format!("{error}\n")),
                    Format::Json => out.push_str(&format!("{}\n", report::json_error(&error))),
                }
            }
            Ok((text, map)) => {
                let result = check(chain, &map);
                errors |= result.has_errors();
                let locator = Locator::new(&text);
                match format {
                    Format::Text => {
                        // A file name is user text too: shown escaped, never sent raw.
                        let shown = vsmap::text::shown(&name, 4096);
                        out.push_str(&report::text(&shown, &locator, &result));
                        out.push_str(&format!("{shown}: {}\n", report::summary(&map, &result)));
                    }
                    Format::Json => out.push_str(&format!(
                        "{}\n",
                        report::json_with(chain, &name, &locator, &map, &result)
                    )),
                }
            }
        }
    }
    let printed = match format {
        Format::Text => print_out(&out),
        Format::Json => print_json(&out),
    };
    if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        printed
    }
}

/// Text for a terminal on stdout: the last guard escapes any invisible character left
/// (user texts in it are escaped where they are put in, with `text::shown`).
fn print_out(text: &str) -> ExitCode {
    print_raw(&vsmap::text::terminal_safe(text))
}

/// JSON on stdout, with C1 controls, bidi and zero-width characters as `\uXXXX`.
fn print_json(json: &str) -> ExitCode {
    print_raw(&vsmap::text::json_safe(json))
}

/// Writes to stdout as it is; a closed pipe (`vsmap chain | head`) is not an error worth a
/// panic.
fn print_raw(text: &str) -> ExitCode {
    print_bytes(text.as_bytes())
}

/// Writes bytes to stdout as they are (a PNG), as `print_raw` writes text.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say_err(&format!("vsmap: cannot write output: {e}\n"));
            ExitCode::from(2)
        }
    }
}

/// Writes to stderr, escaped like stdout; a stderr that is gone (the terminal hung up) is
/// not worth a panic, which `eprintln!` would be.
fn say_err(text: &str) {
    let _ = std::io::stderr().write_all(vsmap::text::terminal_safe(text).as_bytes());
}
