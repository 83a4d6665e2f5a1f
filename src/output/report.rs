//! The check report as text and JSON, with each finding placed at its line in the file.
//! Pure functions from (file text, map, report) to strings; main.rs does the printing.

use crate::chain::{Chain, Direction, LineRef, Node};
use crate::check::codes::Severity;
use crate::check::{Diagnostic, Fix, FixAction, Report, Subject};
use crate::io::map_text::Places;
use crate::io::ron_text::FileError;
use crate::io::source::{Key, LineIndex, Outline, Position};
use crate::model::activity::Activity;
use crate::model::map::Map;
use serde_json::{Value, json};

/// Where each subject of a map sits in its file.
pub struct Locator<'t> {
    text: &'t str,
    lines: LineIndex<'t>,
    outline: Option<Outline<'t>>,
    /// Where the steps and flows start, when the map's reader found them on the way.
    places: Option<Places>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            lines: LineIndex::new(text),
            outline: Outline::parse(text),
            places: None,
        }
    }

    /// A locator that takes the places the map's reader found (`Map::from_text_placed`)
    /// instead of reading the text again; the same positions.
    pub fn with_places(text: &'t str, places: Option<Places>) -> Self {
        Locator {
            places,
            ..Locator::new(text)
        }
    }

    /// The offset of a subject from the places found while reading, when they know it.
    fn placed(&self, subject: Subject) -> Option<usize> {
        let places = self.places.as_ref()?;
        let (item, field, is_step) = match subject {
            Subject::Map => return Some(places.map),
            Subject::Step(index, field) => (*places.steps.get(index)?, field, true),
            Subject::Flow(index, field) => (*places.flows.get(index)?, field, false),
        };
        // A field the item does not have is shown at the item, as the outline shows it.
        Some(
            field
                .and_then(|name| places.field(self.text, item, name, is_step))
                .unwrap_or(item as usize),
        )
    }

    pub fn position(&self, subject: Subject) -> Position {
        if let Some(offset) = self.placed(subject) {
            return self.lines.position(offset);
        }
        let Some(outline) = &self.outline else {
            return Position::START;
        };
        let (list, index, field) = match subject {
            Subject::Map => return outline.position(&self.lines, &[]),
            Subject::Step(index, field) => ("steps", index, field),
            Subject::Flow(index, field) => ("flows", index, field),
        };
        let mut path = vec![Key::Field(list), Key::Item(index)];
        path.extend(field.map(Key::Field));
        outline.position(&self.lines, &path)
    }
}

/// `file:line:col: severity[code]: message`, then `  = help: ...` lines and the fixes, best
/// first, as `  = fix: ...` lines, sorted by position.
pub fn text(file: &str, locator: &Locator, report: &Report) -> String {
    let mut out = String::new();
    write_text(&mut out, file, locator, report).expect("a String takes any text");
    out
}

/// `text`, written piece by piece to `out`: the report of a big map is megabytes, which
/// need not be held as one string before they are printed.
pub fn write_text(
    out: &mut impl std::fmt::Write,
    file: &str,
    locator: &Locator,
    report: &Report,
) -> std::fmt::Result {
    let mut placed: Vec<(Position, &Diagnostic)> = report
        .diagnostics
        .iter()
        .map(|d| (locator.position(d.subject), d))
        .collect();
    placed.sort_by_key(|(position, d)| (*position, d.severity(), d.code));
    let mut lines = Lines::new(locator.text);
    // Pieces are written as they are, without formatting: a big map's report is megabytes.
    for (position, diagnostic) in placed {
        for piece in [file, ":"] {
            out.write_str(piece)?;
        }
        write_position(out, position)?;
        for piece in [
            ": ",
            diagnostic.severity().as_str(),
            "[",
            diagnostic.code.as_str(),
            "]: ",
            &diagnostic.message,
            "\n",
        ] {
            out.write_str(piece)?;
        }
        write_source_excerpt(out, lines.line(position.line), position)?;
        for help in diagnostic.help.iter() {
            for piece in ["  = help: ", help, "\n"] {
                out.write_str(piece)?;
            }
        }
        for fix in diagnostic.fixes.iter() {
            for piece in ["  = fix: ", &fix.text, "\n"] {
                out.write_str(piece)?;
            }
        }
    }
    Ok(())
}

/// `line:col`, as `Position` shows itself.
fn write_position(out: &mut impl std::fmt::Write, position: Position) -> std::fmt::Result {
    write_number(out, position.line)?;
    out.write_str(":")?;
    write_number(out, position.col)
}

/// A number in decimal digits, as `{}` writes it.
fn write_number(out: &mut impl std::fmt::Write, mut number: usize) -> std::fmt::Result {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    out.write_str(std::str::from_utf8(&digits[start..]).expect("ASCII digits"))
}

/// `count` spaces.
fn write_spaces(out: &mut impl std::fmt::Write, mut count: usize) -> std::fmt::Result {
    const SPACES: &str = "                                                                ";
    while count > 0 {
        let now = count.min(SPACES.len());
        out.write_str(&SPACES[..now])?;
        count -= now;
    }
    Ok(())
}

/// The lines of a text by number, without their line breaks, to quote under findings.
/// Findings come sorted by position, so the text is walked forward once rather than split
/// into a list of every line.
struct Lines<'t> {
    text: &'t str,
    /// The text from the start of line `number` on; `None` past the last line.
    rest: Option<&'t str>,
    number: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            rest: Some(text),
            number: 1,
        }
    }

    /// Line `number` (from 1), or "" where the text has no such line.
    fn line(&mut self, number: usize) -> &'t str {
        if number < self.number {
            *self = Lines::new(self.text);
        }
        while self.number < number {
            let Some(rest) = self.rest else {
                return "";
            };
            self.rest = rest.find('\n').map(|end| &rest[end + 1..]);
            self.number += 1;
        }
        match (number, self.rest) {
            (1.., Some(rest)) => {
                let line = rest.split('\n').next().unwrap_or("");
                line.strip_suffix('\r').unwrap_or(line)
            }
            _ => "",
        }
    }
}

/// The line of `text` at `position`, with a caret under the column (see `source_excerpt`):
/// for errors that stop a file from being read.
pub fn excerpt(text: &str, position: Position) -> String {
    let line = text
        .split('\n')
        .nth(position.line.wrapping_sub(1))
        .unwrap_or("");
    source_excerpt(line.strip_suffix('\r').unwrap_or(line), position)
}

/// The line a diagnostic points at, with a caret under its column, as rustc shows them:
///
/// ```text
///    |
/// 12 |     (id: "fix", activity: Engage, label: "Fix", at: (1, 0)),
///    |     ^
/// ```
///
/// The line is user text: shown escaped, and cut to a window around the column when long.
fn source_excerpt(line: &str, position: Position) -> String {
    let mut out = String::new();
    write_source_excerpt(&mut out, line, position).expect("a String takes any text");
    out
}

fn write_source_excerpt(
    out: &mut impl std::fmt::Write,
    line: &str,
    position: Position,
) -> std::fmt::Result {
    use unicode_width::UnicodeWidthStr;
    const BEFORE: usize = 60;
    const WIDTH: usize = 120;
    let column = position.col.saturating_sub(1);
    let skip = column.saturating_sub(BEFORE);
    // Byte offsets of the window's characters; most lines are ASCII, where they are the same.
    let ascii = line.is_ascii();
    let offset = |chars: usize| {
        if ascii {
            chars.min(line.len())
        } else {
            line.char_indices()
                .nth(chars)
                .map_or(line.len(), |(i, _)| i)
        }
    };
    let (start, caret, end) = (offset(skip), offset(column), offset(skip + WIDTH));
    let shown_part = |from: usize, to: usize| -> String {
        let part = &line[from..to.max(from)];
        if part.contains('\t') {
            crate::text::shown(&part.replace('\t', " "), usize::MAX)
        } else {
            crate::text::shown(part, usize::MAX)
        }
    };
    let lead = if skip > 0 { "..." } else { "" };
    let before = shown_part(start, caret);
    let after = shown_part(caret, end);
    let tail = if end < line.len() { "..." } else { "" };
    let number = position.line;
    let digits = number.checked_ilog10().unwrap_or(0) as usize + 1;
    let indent = lead.len() + before.width();
    write_spaces(out, digits)?;
    out.write_str(" |\n")?;
    write_number(out, number)?;
    for piece in [" | ", lead, &before, &after, tail, "\n"] {
        out.write_str(piece)?;
    }
    write_spaces(out, digits)?;
    out.write_str(" | ")?;
    write_spaces(out, indent)?;
    out.write_str("^\n")
}

/// "12 flows (10 canonical, 1 handoff, 1 off-chain); 1 error, 2 warnings"
pub fn summary(map: &Map, report: &Report) -> String {
    use crate::check::Verdict::*;
    let count = |v| report.verdicts.iter().filter(|&&x| x == v).count();
    let verdicts: Vec<String> = [Canonical, Handoff, OffChain, UnknownArtifact]
        .into_iter()
        .filter(|&v| count(v) > 0)
        .map(|v| format!("{} {}", count(v), v.as_str()))
        .collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut text = format!(
        "{}, {}",
        plural(map.steps.len(), "step"),
        plural(map.flows.len(), "flow")
    );
    if !verdicts.is_empty() {
        text.push_str(&format!(" ({})", verdicts.join(", ")));
    }
    text.push_str(&format!(
        "; {}, {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning")
    ));
    let notes = report.count(Severity::Note);
    if notes > 0 {
        text.push_str(&format!(", {}", plural(notes, "note")));
    }
    text
}

/// A fix as `check --format json` gives it: `kind` and `text`, plus `artifact` to use, or the
/// `activity` of the step to insert (as people read it, "Engage") and the `artifacts` into
/// and out of it, in that order.
pub fn fix_json(chain: &Chain, fix: &Fix) -> Value {
    let mut object = json!({ "kind": fix.kind(), "text": fix.text });
    match fix.action {
        FixAction::UseArtifact(artifact) => {
            object["artifact"] = json!(chain.artifact_name(artifact));
        }
        FixAction::Reverse => {}
        FixAction::InsertStep {
            activity,
            into,
            out,
        } => {
            object["activity"] = json!(activity.name());
            object["artifacts"] = json!([chain.artifact_name(into), chain.artifact_name(out)]);
        }
    }
    object
}

/// The JSON object for one checked file.
pub fn json(file: &str, locator: &Locator, map: &Map, report: &Report) -> Value {
    json_with(&Chain::builtin(), file, locator, map, report)
}

/// The JSON object for one file checked against `chain`.
pub fn json_with(
    chain: &Chain,
    file: &str,
    locator: &Locator,
    map: &Map,
    report: &Report,
) -> Value {
    let flows: Vec<Value> = map
        .flows
        .iter()
        .zip(&report.verdicts)
        .enumerate()
        .map(|(index, (flow, verdict))| {
            let position = locator.position(Subject::Flow(index, None));
            json!({
                "from": flow.from,
                "to": flow.to,
                "artifact": flow.artifact,
                "verdict": verdict.as_str(),
                "line": position.line,
                "column": position.col,
            })
        })
        .collect();
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let position = locator.position(d.subject);
            json!({
                "code": d.code.as_str(),
                "severity": d.severity().as_str(),
                "message": &*d.message,
                "help": &*d.help,
                "fixes": d.fixes.iter().map(|f| fix_json(chain, f)).collect::<Vec<_>>(),
                "line": position.line,
                "column": position.col,
                "subject": subject_json(map, d.subject),
            })
        })
        .collect();
    json!({
        "file": file,
        "title": map.title,
        "flows": flows,
        "diagnostics": diagnostics,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "notes": report.count(Severity::Note),
        },
    })
}

fn subject_json(map: &Map, subject: Subject) -> Value {
    match subject {
        Subject::Map => json!({ "kind": "map" }),
        Subject::Step(index, _) => {
            json!({ "kind": "step", "index": index, "id": map.steps.get(index).map(|s| &s.id) })
        }
        Subject::Flow(index, _) => {
            let flow = map.flows.get(index);
            json!({ "kind": "flow", "index": index, "from": flow.map(|f| &f.from), "to": flow.map(|f| &f.to) })
        }
    }
}

/// The JSON object for a file that could not be read.
pub fn json_error(error: &FileError) -> Value {
    json!({
        "file": error.path,
        "error": {
            "message": error.message,
            "line": error.position.map(|p| p.line),
            "column": error.position.map(|p| p.col),
        },
    })
}

// ---- The chain -----------------------------------------------------------------------

/// One activity's inputs or outputs: each artifact with its counterparts (empty when the
/// seed states none), first in the seed's order, then what only the other side states.
pub fn activity_io(chain: &Chain, node: Node, inputs: bool) -> Vec<(String, Vec<Node>)> {
    let Node::Activity(activity) = node else {
        return Vec::new();
    };
    let mut entries: Vec<(usize, Vec<Node>)> = Vec::new();
    let mut add = |artifact: usize, other: Option<Node>| {
        let entry = match entries.iter().position(|(a, _)| *a == artifact) {
            Some(i) => &mut entries[i],
            None => {
                entries.push((artifact, Vec::new()));
                entries.last_mut().expect("just pushed")
            }
        };
        if let Some(other) = other
            && !entry.1.contains(&other)
        {
            entry.1.push(other);
        }
    };
    if let Some(def) = chain.activity(activity) {
        let names: Vec<&str> = if inputs {
            def.inputs.iter().map(|l| l.artifact.as_str()).collect()
        } else {
            def.outputs.iter().map(|l| l.artifact.as_str()).collect()
        };
        for name in names {
            if let Some(id) = chain.resolve(name) {
                add(id, None);
            }
        }
    }
    for flow in chain.flows() {
        if inputs && flow.to == node {
            add(flow.artifact, Some(flow.from));
        } else if !inputs && flow.from == node {
            add(flow.artifact, Some(flow.to));
        }
    }
    entries
        .into_iter()
        .map(|(a, nodes)| (chain.artifact_name(a).to_string(), nodes))
        .collect()
}

/// One counterpart of an activity's input or output, and the seed lines that state the flow.
pub struct Stated {
    pub counterpart: Node,
    pub lines: Vec<LineRef>,
}

/// One activity's inputs or outputs, as `activity_io` lists them, with the lines behind each
/// counterpart: which side of seed 001 states the flow.
pub fn activity_lines(
    chain: &Chain,
    activity: Activity,
    inputs: bool,
) -> Vec<(String, Vec<Stated>)> {
    let node = Node::Activity(activity);
    activity_io(chain, node, inputs)
        .into_iter()
        .map(|(artifact, others)| {
            let id = chain.resolve(&artifact);
            let stated = others
                .into_iter()
                .map(|other| {
                    let (from, to) = if inputs { (other, node) } else { (node, other) };
                    let lines = id
                        .and_then(|id| chain.flow(id, from, to))
                        .map(|f| f.stated_by.clone())
                        .unwrap_or_default();
                    Stated {
                        counterpart: other,
                        lines,
                    }
                })
                .collect();
            (artifact, stated)
        })
        .collect()
}

/// Whether a line is the activity's own input (or output) line, or the other side's.
fn own_line(line: LineRef, activity: Activity, inputs: bool) -> bool {
    let side = if inputs {
        Direction::Input
    } else {
        Direction::Output
    };
    line.activity == activity && line.direction == side
}

/// "this input and Plan's output", "part of Engage's output “...”".
fn sides(chain: &Chain, activity: Activity, inputs: bool, lines: &[LineRef]) -> String {
    let mut names: Vec<String> = Vec::new();
    for &line in lines {
        let side = match line.direction {
            Direction::Input => "input",
            Direction::Output => "output",
        };
        let name = if own_line(line, activity, inputs) {
            format!("this {side}")
        } else {
            format!("{}'s {side}", line.activity)
        };
        let name = if line.as_part {
            format!("part of {name} \"{}\"", chain.line(line).0)
        } else {
            name
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // The activity's own line first.
    names.sort_by_key(|n| !n.starts_with("this ") && !n.starts_with("part of this "));
    names.join(" and ")
}

/// The chain as text for a terminal. A `--chain` file's texts (purposes, practices, names)
/// are user text: every line is shown escaped.
pub fn chain_text(chain: &Chain, source: &str) -> String {
    chain_text_raw(chain, source)
        .lines()
        .map(|line| crate::text::shown(line, usize::MAX) + "\n")
        .collect()
}

fn chain_text_raw(chain: &Chain, source: &str) -> String {
    let mut out = format!(
        "The service value chain ({source}): {} activities, {} artifacts, {} canonical flows\n",
        chain.file.activities.len(),
        chain.artifact_count(),
        chain.flows().len()
    );
    let names = |nodes: &[Node]| {
        nodes
            .iter()
            .map(|&n| chain.node_name(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "\nDemand\n  {}\n  Stands for input from: {}\n",
        chain.file.demand.purpose,
        names(chain.demand_parties())
    ));
    out.push_str(
        "\nEach counterpart says which side of seed 001 states the flow: this activity's own \
         line, the other activity's line, or both.\n",
    );
    for def in &chain.file.activities {
        out.push_str(&format!(
            "\n{} (seed 001, {})\n  {}\n",
            def.activity, def.section, def.purpose
        ));
        out.push_str(&format!("  Practices: {}\n", def.practices.join(", ")));
        for (heading, inputs, word, end) in [
            ("Inputs", true, "from", "source"),
            ("Outputs", false, "to", "target"),
        ] {
            out.push_str(&format!("  {heading}:\n"));
            for (artifact, stated) in activity_lines(chain, def.activity, inputs) {
                let counterparts: Vec<String> = stated
                    .iter()
                    .map(|s| {
                        format!(
                            "{word} {} ({})",
                            chain.node_name(s.counterpart),
                            sides(chain, def.activity, inputs, &s.lines)
                        )
                    })
                    .collect();
                let named_here = stated.iter().any(|s| {
                    s.lines
                        .iter()
                        .any(|&l| !l.as_part && own_line(l, def.activity, inputs))
                });
                let side = if inputs { "input" } else { "output" };
                let text = if counterparts.is_empty() {
                    "(no counterpart stated)".to_string()
                } else if named_here {
                    counterparts.join("; ")
                } else {
                    format!("no {end} in this {side}; {}", counterparts.join("; "))
                };
                out.push_str(&format!("    - {artifact}  {text}\n"));
            }
        }
    }
    out.push_str(&format!(
        "\nValue\n  {}\n  Stands for delivery to: {}\n",
        chain.file.value.purpose,
        names(chain.value_parties())
    ));
    out
}

/// A seed line behind a flow: whose line, which side, the wording, and the joined line's
/// artifact when the flow is of one of its parts.
fn line_json(chain: &Chain, line: LineRef) -> Value {
    let (artifact, seed) = chain.line(line);
    json!({
        "activity": line.activity.key(),
        "side": match line.direction { Direction::Input => "input", Direction::Output => "output" },
        "seed": seed,
        "as_part_of": line.as_part.then_some(artifact),
    })
}

pub fn chain_json(chain: &Chain) -> Value {
    let node = |n: Node| match n {
        Node::Activity(a) => a.key().to_string(),
        Node::Party(_) => chain.node_name(n).to_string(),
    };
    let flows: Vec<Value> = chain
        .flows()
        .iter()
        .map(|f| {
            let stated_by: Vec<Value> = f
                .stated_by
                .iter()
                .map(|&line| line_json(chain, line))
                .collect();
            json!({
                "artifact": chain.artifact_name(f.artifact),
                "from": node(f.from),
                "to": node(f.to),
                "stated_by": stated_by,
            })
        })
        .collect();
    let activities: Vec<Value> = chain
        .file
        .activities
        .iter()
        .map(|def| {
            let side = |inputs: bool| -> Vec<Value> {
                activity_lines(chain, def.activity, inputs)
                    .into_iter()
                    .map(|(artifact, stated)| {
                        let others: Vec<String> =
                            stated.iter().map(|s| node(s.counterpart)).collect();
                        let stated_by: Vec<Value> = stated
                            .iter()
                            .map(|s| {
                                let lines: Vec<Value> =
                                    s.lines.iter().map(|&l| line_json(chain, l)).collect();
                                json!({ "counterpart": node(s.counterpart), "lines": lines })
                            })
                            .collect();
                        if inputs {
                            json!({ "artifact": artifact, "from": others, "stated_by": stated_by })
                        } else {
                            json!({ "artifact": artifact, "to": others, "stated_by": stated_by })
                        }
                    })
                    .collect()
            };
            json!({
                "activity": def.activity.key(),
                "name": def.activity.name(),
                "section": def.section,
                "purpose": def.purpose,
                "practices": def.practices,
                "inputs": side(true),
                "outputs": side(false),
            })
        })
        .collect();
    let artifacts: Vec<Value> = chain
        .file
        .artifacts
        .iter()
        .map(|a| json!({ "name": a.name, "aliases": a.aliases }))
        .collect();
    json!({
        "demand": { "purpose": chain.file.demand.purpose, "parties": chain.file.demand.parties },
        "value": { "purpose": chain.file.value.purpose, "parties": chain.file.value.parties },
        "parties": chain.file.parties,
        "activities": activities,
        "artifacts": artifacts,
        "flows": flows,
    })
}
