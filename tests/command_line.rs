//! The command line as a terminal user meets it: completions, the man page, help that fits,
//! flags only where they act, typos, `--color`, standard input and carets under diagnostics.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn vsmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("vsmap runs")
}

/// vsmap with `input` on standard input.
fn vsmap_with_input(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vsmap runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn sample(name: &str) -> String {
    format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"))
}

fn sample_text(name: &str) -> String {
    std::fs::read_to_string(sample(name)).unwrap()
}

const SUBCOMMANDS: [&str; 11] = [
    "new",
    "check",
    "chain",
    "review",
    "recover",
    "render",
    "export",
    "diff",
    "completions",
    "man",
    "config",
];

#[test]
fn completions_for_each_shell_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let output = vsmap(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let script = stdout(&output);
        for command in SUBCOMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        assert!(script.contains("zoom"), "{shell} lacks render's flags");
    }
    let bash = stdout(&vsmap(&["completions", "bash"]));
    assert!(bash.contains("complete -F"), "{bash}");
    assert_eq!(vsmap(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_that_renders() {
    let output = vsmap(&["man"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.lines().any(|l| l.starts_with(".TH vsmap 1")), "{page}");
    for command in ["check", "render", "export", "completions"] {
        assert!(page.contains(command), "the man page lacks {command}");
    }
    // Rendered by whichever formatter the machine has; the text must come through.
    for (program, args) in [
        ("mandoc", &["-Tascii"][..]),
        ("groff", &["-man", "-Tascii"][..]),
    ] {
        let Ok(mut child) = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        else {
            continue;
        };
        child
            .stdin
            .take()
            .unwrap()
            .write_all(page.as_bytes())
            .unwrap();
        let rendered = child.wait_with_output().unwrap();
        assert!(rendered.status.success(), "{program} failed");
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(text.contains("value streams"), "{program}: {text}");
    }
}

#[test]
fn help_fits_100_columns() {
    let mut helps = vec![vec!["--help"]];
    for command in SUBCOMMANDS {
        helps.push(vec![command, "--help"]);
    }
    for args in helps {
        let output = vsmap(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        for line in stdout(&output).lines() {
            assert!(line.chars().count() <= 100, "{args:?}: {line}");
        }
    }
}

#[test]
fn flags_are_only_on_the_commands_they_act_on() {
    let map = sample("incident-management");
    for args in [
        vec!["check", "--ascii", &map],
        vec!["diff", "--ascii", &map, &map],
        vec!["chain", "--ascii"],
        vec!["export", &map, "--to", "dot", "--ascii"],
        vec!["check", "--color", &map],
        vec!["recover", "--chain", &map],
        vec!["render", &map, "--no-mouse"],
    ] {
        let output = vsmap(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?} was taken");
        assert!(stderr(&output).contains("unexpected argument"), "{args:?}");
    }
    // Given before the command, they are refused by name too.
    let output = vsmap(&["--ascii", "check", &map]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--ascii does nothing for `vsmap check`"),
        "{}",
        stderr(&output)
    );
    let output = vsmap(&["--chain", &map, "recover"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--chain does nothing for `vsmap recover`"));
    // Where they act, before or after the command.
    let chain = format!("{}/assets/chain.ron", env!("CARGO_MANIFEST_DIR"));
    for args in [
        vec!["--chain", &chain, "check", &map],
        vec!["check", "--chain", &chain, &map],
    ] {
        assert_eq!(vsmap(&args).status.code(), Some(1), "{args:?}");
    }
    let before = stdout(&vsmap(&["--ascii", "render", &map, "--width", "100"]));
    let after = stdout(&vsmap(&["render", &map, "--width", "100", "--ascii"]));
    assert_eq!(before, after);
    assert!(after.is_ascii(), "{after}");
}

#[test]
fn a_word_that_is_neither_command_nor_file_is_named() {
    let output = vsmap(&["frobnicate", "x", "y"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("`frobnicate` is not a command, nor a file"),
        "{said}"
    );
    assert!(said.contains("commands: new, check"), "{said}");
    assert!(!said.contains("unrecognized subcommand 'x'"), "{said}");
    let said = stderr(&vsmap(&["--color", "never", "frobnicate", "x"]));
    assert!(said.contains("`frobnicate` is not a command"), "{said}");
    let said = stderr(&vsmap(&["chekc", "a.ron", "b.ron"]));
    assert!(said.contains("did you mean `vsmap check`?"), "{said}");
}

#[test]
fn color_is_asked_for_or_follows_the_terminal() {
    let map = sample("incident-management");
    let render = |extra: &[&str]| {
        let mut args = vec!["render", &map, "--width", "120"];
        args.extend_from_slice(extra);
        stdout(&vsmap(&args))
    };
    assert!(render(&["--color=always"]).contains("\x1b["));
    assert!(render(&["--color", "always"]).contains("\x1b["));
    assert!(render(&["--color"]).contains("\x1b["));
    assert!(!render(&["--color=never"]).contains("\x1b["));
    // auto, the default: a pipe is not a terminal.
    assert!(!render(&["--color=auto"]).contains("\x1b["));
    assert!(!render(&[]).contains("\x1b["));
    assert_eq!(
        vsmap(&["render", &map, "--color=sometimes"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_dash_reads_standard_input() {
    let text = sample_text("incident-management");
    let from_file = vsmap(&["check", &sample("incident-management")]);
    let from_stdin = vsmap_with_input(&["check", "-"], &text);
    assert_eq!(from_stdin.status.code(), from_file.status.code());
    let said = stdout(&from_stdin);
    assert!(said.starts_with("-:"), "{said}");
    assert!(said.contains("-: 10 steps"), "{said}");

    let rendered = vsmap_with_input(&["render", "-", "--width", "100"], &text);
    assert_eq!(rendered.status.code(), Some(0), "{}", stderr(&rendered));
    assert_eq!(
        stdout(&rendered),
        stdout(&vsmap(&[
            "render",
            &sample("incident-management"),
            "--width",
            "100"
        ]))
    );

    let exported = vsmap_with_input(&["export", "-", "--to", "mermaid"], &text);
    assert_eq!(exported.status.code(), Some(0), "{}", stderr(&exported));
    assert!(stdout(&exported).contains("flowchart"));

    let broken = vsmap_with_input(&["check", "-"], "Map(");
    assert_eq!(broken.status.code(), Some(2));
    assert!(stdout(&broken).starts_with("-:1:"), "{}", stdout(&broken));
}

#[test]
fn check_shows_the_line_and_a_caret_under_the_place() {
    let scratch = support::scratch();
    let path = scratch.path().join("off.ron");
    std::fs::write(
        &path,
        r#"Map(
    format: 1,
    title: "Off",
    steps: [
        Step(id: "demand", activity: Demand, label: "Need", at: (col: 0, row: 0)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fix", at: (col: 1, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "fix", artifact: Some("Nonsense")),
    ],
)
"#,
    )
    .unwrap();
    let file = path.display().to_string();
    let output = vsmap(&["check", &file]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{file}:9:")))
        .unwrap_or_else(|| panic!("{text}"));
    let col: usize = lines[at]
        .strip_prefix(&format!("{file}:9:"))
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(lines[at + 1], "  |");
    assert_eq!(
        lines[at + 2],
        r#"9 |         Flow(from: "demand", to: "fix", artifact: Some("Nonsense")),"#
    );
    let caret = lines[at + 3];
    assert_eq!(caret.trim_end(), format!("  | {}^", " ".repeat(col - 1)));
    // JSON stays as it was: no source lines in it.
    let json = stdout(&vsmap(&["check", "--format", "json", &file]));
    assert!(!json.contains(" | "), "{json}");
}

#[test]
fn the_caret_of_a_long_line_stays_under_its_place() {
    let scratch = support::scratch();
    let path = scratch.path().join("long.ron");
    let padding = "x".repeat(300);
    std::fs::write(
        &path,
        format!(
            "Map(format: 1, title: \"{padding}\", steps: [Step(id: \"d\", activity: Demand, label: \"N\", at: (col: 0, row: 0)), Step(id: \"f\", activity: DeliverAndSupport, label: \"F\", at: (col: 1, row: 0))], flows: [Flow(from: \"d\", to: \"f\", artifact: Some(\"Nonsense\"))])\n"
        ),
    )
    .unwrap();
    let file = path.display().to_string();
    let text = stdout(&vsmap(&["check", &file]));
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{file}:1:")) && l.contains("[unknown-artifact]"))
        .unwrap_or_else(|| panic!("{text}"));
    let source = lines[at + 2];
    let caret = lines[at + 3];
    assert!(source.chars().count() < 200, "{source}");
    let column = caret.chars().position(|c| c == '^').unwrap();
    let pointed: String = source.chars().skip(column).take(5).collect();
    assert_eq!(pointed, "Some(", "{source}\n{caret}");
}

/// The example in docs/FORMAT.md is a map that reads and checks clean, and every field of
/// the map file is documented there.
#[test]
fn the_format_document_example_checks_clean_and_names_every_field() {
    let doc =
        std::fs::read_to_string(format!("{}/docs/FORMAT.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let example = doc
        .split("```ron\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```ron example");
    let output = vsmap_with_input(&["check", "-"], example);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("0 errors, 0 warnings"));
    for field in [
        "format",
        "title",
        "notes",
        "working_day_minutes",
        "steps",
        "flows",
        "id",
        "activity",
        "also",
        "label",
        "at",
        "process_minutes",
        "wait_minutes",
        "complete_accurate_percent",
        "practices",
        "improvements",
        "owner",
        "from",
        "to",
        "artifact",
    ] {
        assert!(
            doc.contains(&format!("| `{field}` |")) || doc.contains(&format!("`{field}`")),
            "{field}"
        );
    }
}

/// A map that cannot be read is shown at its line too, in the text format.
#[test]
fn a_read_error_shows_its_line_and_caret() {
    let text = "Map(\n  format: 1,\n  title: \"x\",\n  stepz: [],\n)\n";
    let output = vsmap_with_input(&["check", "-"], text);
    assert_eq!(output.status.code(), Some(2));
    let said = stdout(&output);
    let lines: Vec<&str> = said.lines().collect();
    assert!(
        lines[0].starts_with("-:4:3: error: unknown field `stepz`"),
        "{said}"
    );
    assert_eq!(
        &lines[1..4],
        ["  |", "4 |   stepz: [],", "  |   ^"],
        "{said}"
    );
    let json = stdout(&vsmap_with_input(&["check", "--format", "json", "-"], text));
    assert_eq!(json.lines().count(), 1, "{json}");
}
