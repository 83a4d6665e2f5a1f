//! The command line: `vsmap [FILE]`, `vsmap check FILE...`, `vsmap chain`.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use vsmap::chain::{self, Chain};
use vsmap::check::check;
use vsmap::codes::Code;
use vsmap::editor::{Editor, Looks};
use vsmap::map::Map;
use vsmap::report::{self, Locator};
use vsmap::ron_text;

#[derive(Parser)]
#[command(
    name = "vsmap",
    version,
    about = "Map ITIL 4 value streams in the terminal, checked live against the service value chain"
)]
struct Cli {
    /// The map to open in the editor; a new map when the file does not exist yet.
    file: Option<PathBuf>,

    /// Use this chain file instead of the built-in ITIL 4 chain (same shape as assets/chain.ron).
    #[arg(long, global = true, value_name = "FILE")]
    chain: Option<PathBuf>,

    /// Draw with plain ASCII characters (also chosen when the locale is not UTF-8).
    #[arg(long)]
    ascii: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
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
                eprintln!("{error}");
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
        Some(Command::Chain { format }) => {
            let text = match format {
                Format::Text => report::chain_text(&chain, &chain_source),
                Format::Json => format!("{:#}\n", report::chain_json(&chain)),
            };
            print_out(&text)
        }
        None => {
            let path = cli.file.unwrap_or_else(|| PathBuf::from("untitled.ron"));
            open_editor(chain, path, cli.ascii)
        }
    }
}

fn open_editor(chain: Chain, path: PathBuf, ascii: bool) -> ExitCode {
    let looks = Looks {
        ascii: ascii || !locale_is_utf8(),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let editor = if path.exists() {
        match ron_text::read_text(&path)
            .and_then(|text| Map::from_text(&path.display().to_string(), &text))
        {
            Ok(map) => Editor::new(chain, map, path, looks, true),
            Err(error) => Editor::broken(chain, path, looks, error.to_string()),
        }
    } else {
        let title = path.file_stem().map_or_else(
            || "New map".to_string(),
            |s| s.to_string_lossy().replace(['-', '_'], " "),
        );
        Editor::new(chain, Map::new(title), path, looks, false)
    };
    match vsmap::editor::terminal::run(editor) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vsmap: {error}");
            ExitCode::from(2)
        }
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
            let mut text = format!("vsmap: no diagnostic code `{name}`; the codes are:\n");
            for code in Code::ALL {
                text.push_str(&format!(
                    "  {:<20} {:<8} {}\n",
                    code.as_str(),
                    code.severity().as_str(),
                    code.summary()
                ));
            }
            eprint!("{text}");
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
                        out.push_str(&report::text(&name, &locator, &result));
                        out.push_str(&format!("{name}: {}\n", report::summary(&map, &result)));
                    }
                    Format::Json => out.push_str(&format!(
                        "{}\n",
                        report::json(&name, &locator, &map, &result)
                    )),
                }
            }
        }
    }
    let printed = print_out(&out);
    if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        printed
    }
}

/// Writes to stdout; a closed pipe (`vsmap chain | head`) is not an error worth a panic.
fn print_out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vsmap: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}
