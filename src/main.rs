//! The command line: `vsmap [FILE]`, `vsmap new FILE`, `vsmap check FILE...`, `vsmap chain`,
//! and the rest; flags sit only on the commands they act on.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vsmap::chain::{self, Chain};
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
    about = "Map ITIL 4 value streams in the terminal, checked live against the service value chain",
    after_help = "`vsmap FILE` opens FILE in the editor (a new map when it does not exist). \
                  Configuration: $XDG_CONFIG_HOME/vsmap/config.ron (`vsmap config --default`)."
)]
struct Cli {
    /// The map to open in the editor; a new map, with one Demand step, when the file does not
    /// exist yet.
    file: Option<PathBuf>,

    #[command(flatten)]
    chain: ChainArg,

    #[command(flatten)]
    looks: EditorArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Default, Clone)]
struct ChainArg {
    /// Use this chain file instead of the built-in ITIL 4 chain (same shape as assets/chain.ron).
    #[arg(long, value_name = "FILE")]
    chain: Option<PathBuf>,
}

/// How a map is drawn: for `render`.
#[derive(Args, Default, Clone)]
struct DrawArgs {
    /// Draw with plain ASCII characters (also chosen when the locale is not UTF-8).
    #[arg(long)]
    ascii: bool,
    /// Colour: `auto` (when writing to a terminal and NO_COLOR is not set), `always` or
    /// `never`. `--color` alone is `always`.
    #[arg(long, value_enum, value_name = "WHEN", num_args = 0..=1, default_missing_value = "always")]
    color: Option<ColorWhen>,
}

/// How the editor looks and listens: for `vsmap FILE`, `new` and `review`.
#[derive(Args, Default, Clone)]
struct EditorArgs {
    #[command(flatten)]
    draw: DrawArgs,
    /// Leave the mouse to the terminal, so text can be selected and copied (over SSH too).
    #[arg(long)]
    no_mouse: bool,
}

impl EditorArgs {
    /// The first flag given, to name it where it does nothing.
    fn given(&self) -> Option<&'static str> {
        if self.draw.ascii {
            Some("--ascii")
        } else if self.draw.color.is_some() {
            Some("--color")
        } else if self.no_mouse {
            Some("--no-mouse")
        } else {
            None
        }
    }

    /// These flags together with those given before the command.
    fn with(&self, before: &EditorArgs) -> EditorArgs {
        EditorArgs {
            draw: self.draw.with(&before.draw),
            no_mouse: self.no_mouse || before.no_mouse,
        }
    }
}

impl DrawArgs {
    fn with(&self, before: &DrawArgs) -> DrawArgs {
        DrawArgs {
            ascii: self.ascii || before.ascii,
            color: self.color.or(before.color),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether to colour: `auto` colours a terminal, unless NO_COLOR is set (no-color.org).
    fn wanted(self, terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
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
        #[command(flatten)]
        chain: ChainArg,
        #[command(flatten)]
        looks: EditorArgs,
    },
    /// Check maps against the chain and print what is wrong, compiler-style.
    ///
    /// Exit status: 0 when no map has errors, 1 when some map has errors,
    /// 2 when a file could not be read. `-` reads a map from standard input.
    Check {
        /// Map files to check (`-`: standard input).
        #[arg(required_unless_present = "explain")]
        files: Vec<PathBuf>,
        /// Output format: `text` (file:line:col: severity[code]: message, with the line
        /// and a caret under the place) or `json` (one object per file and line).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Explain a diagnostic code, with an example, and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
        #[command(flatten)]
        chain: ChainArg,
    },
    /// Print the canonical chain: per activity its purpose, practices, inputs and outputs.
    Chain {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        chain: ChainArg,
    },
    /// Open a map read-only for a retrospective: metrics, findings and improvement notes in
    /// front. Improvement notes can still be added when the file is writable.
    Review {
        /// The map to review.
        file: PathBuf,
        #[command(flatten)]
        chain: ChainArg,
        #[command(flatten)]
        looks: EditorArgs,
    },
    /// List the recovery files: unsaved edits kept after a dropped link, a crash or a kill.
    /// Opening the map offers to restore them.
    Recover,
    /// Print the map as text, drawn as the editor draws it, for a chat, a ticket or `less -R`.
    Render {
        /// The map to draw (`-`: standard input).
        file: PathBuf,
        /// Width in columns; the terminal's width when left out (80 when there is none).
        /// A map wider than this is printed in bands, left to right.
        #[arg(long)]
        width: Option<u16>,
        /// How much to show: `overview` (small boxes, every link numbered), `normal`, or
        /// `detail` (whole labels and a data box with process time, wait and %C/A).
        #[arg(long, value_enum, default_value_t = ZoomArg::Normal)]
        zoom: ZoomArg,
        /// Print the timeline ladder and the flow metrics under the map.
        #[arg(long)]
        timeline: bool,
        #[command(flatten)]
        draw: DrawArgs,
        #[command(flatten)]
        chain: ChainArg,
    },
    /// Write the map in another format: a Mermaid flowchart, Graphviz DOT, a Markdown
    /// retrospective report, CSV of steps and connections, a self-contained SVG picture, or
    /// that picture as a PNG image.
    Export {
        /// The map to export (`-`: standard input).
        file: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        to: vsmap::output::export::Format,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        chain: ChainArg,
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
        #[command(flatten)]
        chain: ChainArg,
    },
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// For bash: `vsmap completions bash > ~/.local/share/bash-completion/completions/vsmap`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `vsmap man | man -l -`.
    Man,
    /// Show where the configuration file is and whether it reads; `--default` prints the
    /// defaults as a file to start from.
    Config {
        /// Print the default configuration, with comments, and exit.
        #[arg(long)]
        default: bool,
    },
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::New { .. } => "new",
            Command::Check { .. } => "check",
            Command::Chain { .. } => "chain",
            Command::Review { .. } => "review",
            Command::Recover => "recover",
            Command::Render { .. } => "render",
            Command::Export { .. } => "export",
            Command::Diff { .. } => "diff",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
            Command::Config { .. } => "config",
        }
    }

    /// The command's own `--chain`, when it reads a chain.
    fn chain(&self) -> Option<&ChainArg> {
        match self {
            Command::New { chain, .. }
            | Command::Check { chain, .. }
            | Command::Chain { chain, .. }
            | Command::Review { chain, .. }
            | Command::Render { chain, .. }
            | Command::Export { chain, .. }
            | Command::Diff { chain, .. } => Some(chain),
            Command::Recover
            | Command::Completions { .. }
            | Command::Man
            | Command::Config { .. } => None,
        }
    }

    /// Whether the command draws, and so takes `--ascii` and `--color` given before it.
    fn draws(&self) -> bool {
        matches!(
            self,
            Command::New { .. } | Command::Review { .. } | Command::Render { .. }
        )
    }
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_error(error),
    };
    // Flags given before a command count for it, when it takes them.
    let (chain_arg, before) = (cli.chain.clone(), cli.looks.clone());
    if let Some(command) = &cli.command {
        if chain_arg.chain.is_some() && command.chain().is_none() {
            return does_nothing("--chain", command.name());
        }
        if let Some(flag) = before.given()
            && !command.draws()
        {
            return does_nothing(flag, command.name());
        }
        if before.no_mouse && matches!(command, Command::Render { .. }) {
            return does_nothing("--no-mouse", command.name());
        }
    }
    let chain_path = cli
        .command
        .as_ref()
        .and_then(|c| c.chain())
        .and_then(|c| c.chain.clone())
        .or(chain_arg.chain);
    let chain = match &chain_path {
        Some(path) => match Chain::load(path) {
            Ok(chain) => chain,
            Err(error) => {
                say_err(&format!("{error}\n"));
                return ExitCode::from(2);
            }
        },
        None => Chain::builtin(),
    };
    let chain_source = chain_path
        .as_ref()
        .map_or(chain::BUILTIN_NAME.to_string(), |p| p.display().to_string());
    match cli.command {
        Some(Command::Check {
            files,
            format,
            explain,
            ..
        }) => match explain {
            Some(code) => explain_code(&code),
            None => check_files(&chain, &files, format),
        },
        Some(Command::Chain { format, .. }) => match format {
            Format::Text => print_out(&report::chain_text(&chain, &chain_source)),
            Format::Json => print_json(&format!("{:#}\n", report::chain_json(&chain))),
        },
        // Without FILE, clap has made sure `--list` was asked for.
        Some(Command::New {
            file, from, looks, ..
        }) => match file {
            Some(file) => new_map(chain, file, from.as_deref(), &looks.with(&before)),
            None => list_samples(),
        },
        Some(Command::Review { file, looks, .. }) => {
            open_editor(chain, file, &looks.with(&before), true)
        }
        Some(Command::Recover) => list_recovery(),
        Some(Command::Render {
            file,
            width,
            zoom,
            timeline,
            draw,
            ..
        }) => match load_map(&file) {
            Ok(map) => {
                use std::io::IsTerminal;
                let draw = draw.with(&before.draw);
                let width = width
                    .or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w))
                    .unwrap_or(80);
                let looks = Looks {
                    ascii: draw.ascii || !locale_is_utf8(),
                    color: draw
                        .color
                        .unwrap_or(ColorWhen::Auto)
                        .wanted(std::io::stdout().is_terminal()),
                };
                let options = vsmap::output::render::Options {
                    width,
                    zoom: zoom.into(),
                    timeline,
                    looks,
                };
                let text = vsmap::output::render::render_noted(&chain, &map, &options);
                // Raw: the colours are escape codes on purpose; user text in it is escaped.
                print_raw(&text)
            }
            Err(error) => fail(&error),
        },
        Some(Command::Export {
            file, to, output, ..
        }) => match load_map(&file) {
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
        Some(Command::Diff {
            old, new, format, ..
        }) => match (load_map(&old), load_map(&new)) {
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
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "vsmap", &mut out);
            print_raw(&String::from_utf8_lossy(&out))
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print_raw(&String::from_utf8_lossy(&out)),
                Err(e) => {
                    say_err(&format!("vsmap: cannot write the manual page: {e}\n"));
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Config { default }) => show_config(default),
        None => {
            let path = cli.file.unwrap_or_else(|| PathBuf::from("untitled.ron"));
            open_editor(chain, path, &before, false)
        }
    }
}

/// A flag given before a command it does nothing for: said, rather than ignored.
fn does_nothing(flag: &str, command: &str) -> ExitCode {
    say_err(&format!(
        "vsmap: {flag} does nothing for `vsmap {command}`; see `vsmap {command} --help`\n"
    ));
    ExitCode::from(2)
}

/// Clap's error, except for a word that is neither a command nor a file followed by more
/// words (`vsmap frobnicate x y`): clap takes the word for `vsmap FILE` and then complains
/// about `x`, which misleads. Say what the word is not, and what it might have been.
fn parse_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let wrong_word = matches!(
        error.kind(),
        ErrorKind::InvalidSubcommand | ErrorKind::UnknownArgument
    );
    if wrong_word && let Some(word) = first_word(std::env::args_os().skip(1)) {
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| c.get_name().to_string())
            .collect();
        let is_command = commands.contains(&word);
        if !is_command && std::fs::symlink_metadata(&word).is_err() {
            let mut text = format!(
                "vsmap: `{}` is not a command, nor a file that exists\n",
                vsmap::text::shown(&word, 80)
            );
            let suggestions = vsmap::names::nearest(&word, commands.iter().map(String::as_str), 1);
            if let Some(best) = suggestions.first() {
                text.push_str(&format!("  did you mean `vsmap {best}`?\n"));
            }
            text.push_str(&format!(
                "  commands: {}\n  `vsmap FILE` opens a map (a new one when FILE does not exist); `vsmap --help` says more\n",
                commands.join(", ")
            ));
            say_err(&text);
            return ExitCode::from(2);
        }
    }
    let code = if error.use_stderr() { 2 } else { 0 };
    let _ = error.print();
    ExitCode::from(code)
}

/// The first word of a command line that is not a flag or a flag's value.
fn first_word(args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    let args = args.map(|a| a.to_string_lossy().into_owned());
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let color_value = args
            .peek()
            .is_some_and(|next| ["auto", "always", "never"].contains(&next.as_str()));
        if arg == "--chain" || (arg == "--color" && color_value) {
            args.next();
        } else if !arg.starts_with('-') || arg == "-" {
            return Some(arg);
        }
    }
    None
}

/// `vsmap config`: where the file is and whether it reads; `--default`: the defaults.
fn show_config(default: bool) -> ExitCode {
    use vsmap::config::{self, Config, Loaded};
    if default {
        return print_out(&Config::default_text());
    }
    let Some(path) = config::path() else {
        return print_out(
            "There is no configuration directory on this system: the defaults apply.\n",
        );
    };
    let shown = vsmap::text::shown(&path.display().to_string(), 4096);
    match config::load_from(&path) {
        Loaded::Missing => print_out(&format!(
            "{shown}: not there; the defaults apply (`vsmap config --default > {}` to start one)\n",
            vsmap::text::shell_quoted(&path.display().to_string())
        )),
        Loaded::Read(_) => print_out(&format!("{shown}: read\n")),
        Loaded::Broken(error) => {
            say_err(&format!(
                "{error}\nvsmap: the defaults apply until it is fixed\n"
            ));
            ExitCode::from(2)
        }
    }
}

/// A map from a file, or from standard input for `-`.
fn load_map(path: &Path) -> Result<Map, ron_text::FileError> {
    let name = path.display().to_string();
    let text = if path.as_os_str() == "-" {
        read_stdin()
    } else {
        ron_text::read_text(path)
    }?;
    Map::from_text(&name, &text)
}

/// Standard input as text, with the limit and the checks of a file.
fn read_stdin() -> Result<String, ron_text::FileError> {
    use std::io::Read;
    let limit = ron_text::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ron_text::FileError::new("-", None, ron_text::io_message(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(ron_text::FileError::new(
            "-",
            None,
            format!("standard input is larger than {} MB", limit / (1024 * 1024)),
        ));
    }
    ron_text::text_from_bytes("-", bytes)
}

fn fail(error: &ron_text::FileError) -> ExitCode {
    say_err(&format!("{error}\n"));
    ExitCode::from(2)
}

fn open_editor(chain: Chain, path: PathBuf, args: &EditorArgs, review: bool) -> ExitCode {
    use vsmap::config::Loaded;
    use vsmap::editor::Action;
    use vsmap::editor::state::LockState;
    // Facts learnt before the first frame: the first frame routes what it shows, once.
    use vsmap::editor::apply;
    use vsmap::io::{lock, recovery, save};
    let loaded = vsmap::config::load();
    let config = loaded.config();
    let looks = Looks {
        ascii: args.draw.ascii || !locale_is_utf8(),
        // The editor always draws on a terminal.
        color: args.draw.color.unwrap_or(ColorWhen::Auto).wanted(true),
    };
    // A name that is there in any form, a dangling link or a loop of links too, is read (and
    // its error shown): only a name that is not there at all starts a new map.
    let text = if std::fs::symlink_metadata(&path).is_ok() || review {
        Some(ron_text::read_text(&path))
    } else {
        None
    };
    let mut editor = match text {
        Some(Ok(text)) => {
            // The fingerprint (a hash of every byte) is worked out beside the parse: on a big
            // map it is a few milliseconds the first frame need not wait for.
            let (parsed, disk) = std::thread::scope(|scope| {
                let disk = scope.spawn(|| save::Fingerprint::of(text.as_bytes()));
                let parsed = Map::from_text(&path.display().to_string(), &text);
                let disk = disk
                    .join()
                    .unwrap_or_else(|_| save::Fingerprint::of(text.as_bytes()));
                (parsed, disk)
            });
            match parsed {
                Ok(map) => {
                    let mut editor = if review {
                        Editor::for_review(chain, map, path, looks)
                    } else {
                        Editor::new(chain, map, path, looks, true)
                    };
                    apply(&mut editor, Action::DiskState(Some(disk)));
                    editor
                }
                Err(error) => Editor::broken(chain, path, looks, error.to_string()),
            }
        }
        Some(Err(error)) => Editor::broken(chain, path, looks, error.to_string()),
        None => {
            let mut editor = Editor::for_new_file(chain, path, looks);
            let day = config.working_day_minutes;
            if day != vsmap::text::WORKING_DAY_MINUTES {
                editor.change_map_unrecorded(|map| map.working_day_minutes = Some(day));
            }
            editor
        }
    };
    editor.view.palette = config.colors.into();
    editor.view.keys = config.keys.patch.clone();
    editor.view.mouse = config.mouse && !args.no_mouse;
    editor.open_at_zoom(config.zoom.into());
    if let Loaded::Broken(error) = &loaded {
        editor.view.message = Some(vsmap::editor::state::Message {
            text: format!("Settings: the defaults, as the configuration is wrong: {error}"),
            severity: vsmap::check::codes::Severity::Warning,
        });
    }
    let path = editor.doc().path().to_path_buf();
    apply(&mut editor, Action::Writable(writable(&path)));
    // A session without the map's lock keeps its unsaved edits in a recovery file of its
    // own, so it never overwrites the lock holder's.
    let mut session = vsmap::editor::terminal::Session {
        recovery_file: recovery::file_for_process(&path, std::process::id()),
        offered: None,
        no_mouse: !editor.view.mouse,
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
        apply(&mut editor, Action::Lock(state));
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
fn new_map(chain: Chain, path: PathBuf, from: Option<&str>, args: &EditorArgs) -> ExitCode {
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
    open_editor(chain, path, args, false)
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
    use vsmap::editor::{Action, apply};
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
            apply(editor, found);
        }
        Err(error) => {
            apply(editor, Action::RecoveryUnreadable(error));
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
    use std::fmt::Write as _;
    let mut unreadable = false;
    let mut errors = false;
    let mut out = Printer::new(format);
    // The last file's text, map and report, left for the end of the process to free:
    // freeing a big map's hundreds of thousands of strings one by one takes a tenth of the
    // check's time, and the process is about to end.
    let mut last = None;
    for path in files {
        let name = path.display().to_string();
        let text = if path.as_os_str() == "-" {
            read_stdin()
        } else {
            ron_text::read_text(path)
        };
        // The text stays at hand when the map in it cannot be read, to show the wrong line.
        let (text, loaded) = match text {
            Ok(text) => {
                let map = Map::from_text_placed(&name, &text);
                (text, map)
            }
            Err(error) => (String::new(), Err(error)),
        };
        match loaded {
            Err(error) => {
                unreadable = true;
                match format {
                    Format::Text => {
                        let _ = writeln!(out, "{error}");
                        if let Some(position) = error.position
                            && !text.is_empty()
                        {
                            out.print(&report::excerpt(&text, position));
                        }
                    }
                    Format::Json => out.print(&format!("{}\n", report::json_error(&error))),
                }
            }
            Ok((map, places)) => {
                let mut index = vsmap::check::Index::new(chain, &map);
                let result = vsmap::check::check_indexed(chain, &map, &mut index);
                // A few large tables, quick to free; the report is written at the peak of
                // memory, which they would add to.
                drop(index);
                errors |= result.has_errors();
                let locator = Locator::with_places(&text, places);
                match format {
                    Format::Text => {
                        // A file name is user text too: shown escaped, never sent raw.
                        let shown = vsmap::text::shown(&name, 4096);
                        let _ = report::write_text(&mut out, &shown, &locator, &result);
                        let _ = writeln!(out, "{shown}: {}", report::summary(&map, &result));
                    }
                    Format::Json => out.print(&format!(
                        "{}\n",
                        report::json_with(chain, &name, &locator, &map, &result)
                    )),
                }
                drop(locator);
                last = Some((text, map, result));
            }
        }
    }
    let printed = out.finish();
    let code = if unreadable {
        2
    } else if errors {
        1
    } else {
        printed
    };
    if last.is_some() {
        std::process::exit(i32::from(code));
    }
    ExitCode::from(code)
}

/// Standard output for `check`, written as the report is made (a big map's report is
/// megabytes) through one buffer. Each piece is escaped as `print_out` or `print_json`
/// escape a whole text: escaping goes character by character, so the bytes are the same.
/// The first failed write ends the writing; `finish` says what came of it.
struct Printer {
    /// Text not yet escaped and written: many small pieces are escaped and written at once.
    pending: String,
    format: Format,
    failed: Option<std::io::Error>,
}

impl Printer {
    /// How much text is gathered before it is escaped and written.
    const CHUNK: usize = 1 << 16;

    fn new(format: Format) -> Printer {
        Printer {
            pending: String::with_capacity(Printer::CHUNK + 1024),
            format,
            failed: None,
        }
    }

    fn print(&mut self, text: &str) {
        self.pending.push_str(text);
        if self.pending.len() >= Printer::CHUNK {
            self.write_pending();
        }
    }

    fn write_pending(&mut self) {
        if self.failed.is_none() {
            let mut stdout = std::io::stdout().lock();
            let written = match self.format {
                Format::Text => {
                    stdout.write_all(vsmap::text::terminal_safe(&self.pending).as_bytes())
                }
                Format::Json => stdout.write_all(vsmap::text::json_safe(&self.pending).as_bytes()),
            };
            self.failed = written.err();
        }
        self.pending.clear();
    }

    /// Writes what is left, and answers as `print_bytes` does, with the exit status.
    fn finish(mut self) -> u8 {
        self.write_pending();
        written(match self.failed.take() {
            Some(error) => Err(error),
            None => std::io::stdout().lock().flush(),
        })
    }
}

impl std::fmt::Write for Printer {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.print(text);
        Ok(())
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
    ExitCode::from(written(
        stdout.write_all(bytes).and_then(|()| stdout.flush()),
    ))
}

/// The exit status after writing the output: 0 when written or when the reader went away
/// (`| head`), 2 with a message otherwise.
fn written(result: std::io::Result<()>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            say_err(&format!("vsmap: cannot write output: {e}\n"));
            2
        }
    }
}

/// Writes to stderr, escaped like stdout; a stderr that is gone (the terminal hung up) is
/// not worth a panic, which `eprintln!` would be.
fn say_err(text: &str) {
    let _ = std::io::stderr().write_all(vsmap::text::terminal_safe(text).as_bytes());
}
