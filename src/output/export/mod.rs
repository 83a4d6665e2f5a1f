//! Exports of a map: Mermaid, Graphviz DOT, a Markdown retrospective report, CSV and SVG.
//!
//! Every export is a pure function of the chain and the map (and, for Markdown, the map
//! already drawn as text), so the same map always gives the same bytes: outputs can be
//! committed next to the map and diffed. User text is never trusted: each format has its
//! own escaping, and control characters (which would move a terminal's cursor, or which
//! XML forbids) are dropped everywhere except where the format can carry them safely (a
//! quoted CSV field keeps its line breaks).

use crate::chain::Chain;
use crate::check::codes::Severity;
use crate::check::{self, Diagnostic, Report, Subject, Verdict};
use crate::editor::draw::{minutes, times_text};
use crate::editor::layout::box_rect;
use crate::metrics::{self, Metrics, Sum};
use crate::model::activity::Activity;
use crate::model::map::{Improvement, Map, Step};
use crate::route::{self, Dir, Route};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Mermaid,
    Dot,
    Markdown,
    Csv,
    Svg,
}

/// The map in `format`. `rendered` is the map drawn as text (`render::render`), which the
/// Markdown report includes.
pub fn export(format: Format, chain: &Chain, map: &Map, rendered: &str) -> String {
    let graph = Graph::new(chain, map);
    let mut out = match format {
        Format::Mermaid => mermaid(&graph),
        Format::Dot => dot(&graph),
        Format::Markdown => markdown(&graph, rendered),
        Format::Csv => csv(&graph),
        Format::Svg => svg(&graph),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

// ---- What every format needs ------------------------------------------------------------

/// The map with its check report, a unique node name per step, and each flow's ends
/// resolved to step indices.
struct Graph<'a> {
    map: &'a Map,
    report: Report,
    /// One name per step, unique even when step ids repeat or differ only in punctuation.
    nodes: Vec<String>,
    /// Per flow: (from, to) step indices, or None when an end names no step.
    ends: Vec<Option<(usize, usize)>>,
}

impl<'a> Graph<'a> {
    fn new(chain: &Chain, map: &'a Map) -> Graph<'a> {
        // The first step with an id is the one flows mean, as in the checker.
        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(map.steps.len());
        for (index, step) in map.steps.iter().enumerate() {
            by_id.entry(step.id.as_str()).or_insert(index);
        }
        let ends = map
            .flows
            .iter()
            .map(|f| Some((*by_id.get(f.from.as_str())?, *by_id.get(f.to.as_str())?)))
            .collect();
        Graph {
            map,
            report: check::check(chain, map),
            nodes: node_names(map),
            ends,
        }
    }

    fn verdict(&self, flow: usize) -> Verdict {
        // The checker gives one verdict per flow; off-chain is the safe reading otherwise.
        self.report
            .verdicts
            .get(flow)
            .copied()
            .unwrap_or(Verdict::OffChain)
    }

    /// The flow's artifact, when it names one (blank names count as none, as in the checker).
    fn artifact(&self, flow: usize) -> Option<&'a str> {
        self.map.flows[flow]
            .artifact
            .as_deref()
            .filter(|a| !a.trim().is_empty())
    }

    /// "✔ User support tasks", "↔" for a handoff without an artifact, "✖ (no artifact)".
    fn edge_text(&self, flow: usize) -> String {
        let verdict = self.verdict(flow);
        match self.artifact(flow) {
            Some(artifact) => format!("{} {artifact}", mark(verdict)),
            None if verdict == Verdict::Handoff => mark(verdict).to_string(),
            None => format!("{} (no artifact)", mark(verdict)),
        }
    }

    /// Why a flow is left out of a picture, for a comment.
    fn left_out(&self, flow: usize) -> String {
        let f = &self.map.flows[flow];
        format!(
            "flow {} from \"{}\" to \"{}\" left out: it names a step that is not in the map",
            flow + 1,
            one_line(&f.from),
            one_line(&f.to)
        )
    }
}

/// `s_` and the id with everything outside [A-Za-z0-9_] made `_`, numbered when taken. The
/// prefix keeps names clear of each format's keywords (`end`, `graph`, `node`, ...) and
/// of leading digits.
fn node_names(map: &Map) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::with_capacity(map.steps.len());
    // The next number to try per base, so thousands of equal ids stay linear.
    let mut next: HashMap<String, u64> = HashMap::new();
    map.steps
        .iter()
        .map(|step| {
            let safe = step.id.chars().map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            });
            let base: String = "s_".chars().chain(safe).collect();
            let mut name = base.clone();
            if taken.contains(&name) {
                let n = next.entry(base.clone()).or_insert(2);
                while taken.contains(&name) {
                    name = format!("{base}_{n}");
                    *n += 1;
                }
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// The verdict marks the editor uses; meaning does not depend on colour.
fn mark(verdict: Verdict) -> char {
    match verdict {
        Verdict::Canonical => '✔',
        Verdict::Handoff => '↔',
        Verdict::OffChain | Verdict::UnknownArtifact => '✖',
    }
}

/// Green, teal, red: the colour of a verdict in the pictures.
fn colour(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Canonical => "#2e7d32",
        Verdict::Handoff => "#00838f",
        Verdict::OffChain | Verdict::UnknownArtifact => "#c62828",
    }
}

/// "ENG" or "D&S+IMP": the step's activity tags, as the editor's boxes show them.
fn tags(step: &Step) -> String {
    check::kinds(step)
        .map(Activity::tag)
        .collect::<Vec<_>>()
        .join("+")
}

/// User text on one line: line breaks and tabs become spaces; other control characters,
/// bidi overrides, zero-width marks and the two XML non-characters are dropped.
fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if crate::names::is_invisible(c) || c == '\u{fffe}' || c == '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// 45 -> "45m" like the editor, also for totals beyond u32 minutes.
fn duration(total: u64) -> String {
    if let Ok(small) = u32::try_from(total) {
        return minutes(small);
    }
    let (days, hours, mins) = (total / 1440, total % 1440 / 60, total % 60);
    let mut out = format!("{days}d");
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if mins > 0 {
        out.push_str(&format!("{mins}m"));
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---- Mermaid ----------------------------------------------------------------------------

/// Mermaid's node classes, one per verdict: a step takes the worst verdict among its drawn
/// connections, so a broken connection shows on the steps too.
const MERMAID_CLASSES: [(Verdict, &str, &str); 4] = [
    (Verdict::Canonical, "canonical", "fill:#e8f5e9"),
    (Verdict::Handoff, "handoff", "fill:#e0f7fa"),
    (Verdict::OffChain, "offChain", "fill:#ffebee"),
    (Verdict::UnknownArtifact, "unknownArtifact", "fill:#ffebee"),
];

/// Which verdict wins when a step has several: errors over handoffs over canonical.
fn badness(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Canonical => 0,
        Verdict::Handoff => 1,
        Verdict::UnknownArtifact => 2,
        Verdict::OffChain => 3,
    }
}

fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    if !graph.map.title.trim().is_empty() {
        out.push_str(&format!("    %% {}\n", one_line(&graph.map.title)));
    }
    for (index, step) in graph.map.steps.iter().enumerate() {
        let label = mermaid_text(&format!("{} · {}", tags(step), step.label));
        let node = &graph.nodes[index];
        if step.activity.is_end() {
            out.push_str(&format!("    {node}([\"{label}\"])\n"));
        } else {
            out.push_str(&format!("    {node}[\"{label}\"]\n"));
        }
    }
    let mut link_styles = Vec::new();
    let mut worst: Vec<Option<Verdict>> = vec![None; graph.map.steps.len()];
    for flow in 0..graph.map.flows.len() {
        let Some((from, to)) = graph.ends[flow] else {
            out.push_str(&format!("    %% {}\n", graph.left_out(flow)));
            continue;
        };
        let verdict = graph.verdict(flow);
        let arrow = if verdict == Verdict::Handoff {
            "-.->"
        } else {
            "-->"
        };
        out.push_str(&format!(
            "    {} {arrow}|\"{}\"| {}\n",
            graph.nodes[from],
            mermaid_text(&graph.edge_text(flow)),
            graph.nodes[to]
        ));
        link_styles.push(verdict);
        for step in [from, to] {
            if worst[step].is_none_or(|w| badness(verdict) > badness(w)) {
                worst[step] = Some(verdict);
            }
        }
    }
    push_mermaid_styles(&mut out, graph, &worst, &link_styles);
    out
}

/// The classes, which steps take them, and one `linkStyle` per edge in drawing order.
fn push_mermaid_styles(
    out: &mut String,
    graph: &Graph,
    worst: &[Option<Verdict>],
    links: &[Verdict],
) {
    for (verdict, class, fill) in MERMAID_CLASSES {
        out.push_str(&format!(
            "    classDef {class} {fill},stroke:{},stroke-width:2px\n",
            colour(verdict)
        ));
    }
    for (verdict, class, _) in MERMAID_CLASSES {
        let members: Vec<&str> = (0..worst.len())
            .filter(|&s| worst[s] == Some(verdict))
            .map(|s| graph.nodes[s].as_str())
            .collect();
        if !members.is_empty() {
            out.push_str(&format!("    class {} {class}\n", members.join(",")));
        }
    }
    for (index, &verdict) in links.iter().enumerate() {
        let c = colour(verdict);
        out.push_str(&format!(
            "    linkStyle {index} stroke:{c},stroke-width:2px,color:{c}\n"
        ));
    }
}

/// Text for inside a Mermaid `"..."` string. Mermaid decodes `#name;` and `#123;` entity
/// codes, so `#` itself is encoded too; `<`, `>` and `&` would otherwise reach its HTML
/// labels, a backtick would start a Markdown string and `|` could end an edge label.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

// ---- Graphviz DOT -----------------------------------------------------------------------

fn dot(graph: &Graph) -> String {
    let mut out = String::from("digraph vsmap {\n");
    out.push_str(&format!(
        "    graph [rankdir=LR, label=\"{}\", labelloc=t, fontname=\"Helvetica\"];\n",
        dot_text(&graph.map.title)
    ));
    out.push_str("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (index, step) in graph.map.steps.iter().enumerate() {
        let shape = match step.activity {
            Activity::Demand => ", shape=oval",
            Activity::Value => ", shape=doubleoctagon",
            _ => "",
        };
        out.push_str(&format!(
            "    {} [label=\"{}\\n{}\"{shape}];\n",
            graph.nodes[index],
            dot_text(&tags(step)),
            dot_text(&step.label)
        ));
    }
    for flow in 0..graph.map.flows.len() {
        let Some((from, to)) = graph.ends[flow] else {
            out.push_str(&format!("    // {}\n", graph.left_out(flow)));
            continue;
        };
        let verdict = graph.verdict(flow);
        let dashed = if verdict == Verdict::Handoff {
            ", style=dashed"
        } else {
            ""
        };
        let c = colour(verdict);
        out.push_str(&format!(
            "    {} -> {} [label=\"{}\", color=\"{c}\", fontcolor=\"{c}\", tooltip=\"{}\"{dashed}];\n",
            graph.nodes[from],
            graph.nodes[to],
            dot_text(&graph.edge_text(flow)),
            verdict.as_str()
        ));
    }
    out.push_str("}\n");
    out
}

/// Text for inside a DOT `"..."` string. Backslashes are doubled so user text cannot form
/// Graphviz escapes (`\N`, `\G`, `\l`); a line break in the text stays a line break.
fn dot_text(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| one_line(line).replace('\\', "\\\\").replace('"', "\\\""))
        .collect();
    lines.join("\\n")
}

// ---- Markdown ---------------------------------------------------------------------------

fn markdown(graph: &Graph, rendered: &str) -> String {
    let map = graph.map;
    let title = if map.title.trim().is_empty() {
        "Untitled map".to_string()
    } else {
        md(&map.title)
    };
    let mut out = format!("# {title}\n\n");
    for line in map.notes.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(&md_paragraph(line));
        out.push_str("\n\n");
    }
    push_md_metrics(&mut out, graph, &metrics::metrics(map));
    push_md_steps(&mut out, map);
    push_md_connections(&mut out, graph);
    push_md_findings(&mut out, graph);
    push_md_backlog(&mut out, graph);
    push_md_rendered(&mut out, rendered);
    out
}

fn push_md_metrics(out: &mut String, graph: &Graph, metrics: &Metrics) {
    let steps = &graph.map.steps;
    out.push_str("## Metrics\n\n");
    if metrics.path.is_empty() {
        out.push_str("No path leads from Demand to Value, so times along it are missing.\n\n");
    } else {
        let labels: Vec<String> = metrics.path.iter().map(|&s| md(&steps[s].label)).collect();
        out.push_str(&format!(
            "Along the longest path from Demand to Value: {}\n\n",
            labels.join(" → ")
        ));
    }
    let no_path = metrics.path.is_empty();
    let rows = [
        (
            "Lead time",
            sum_text(&metrics.lead, no_path, "a process or wait time"),
        ),
        (
            "Process time",
            sum_text(&metrics.process, no_path, "a process time"),
        ),
        ("Wait time", sum_text(&metrics.wait, no_path, "a wait time")),
        ("Flow efficiency", efficiency_text(metrics)),
        ("Rolled %C/A", rolled_text(metrics)),
        ("Bottleneck", bottleneck_text(graph.map, metrics)),
    ];
    out.push_str("| Measure | Value |\n| --- | --- |\n");
    for (name, value) in rows {
        out.push_str(&format!("| {name} | {value} |\n"));
    }
    out.push('\n');
}

/// A total, or why it is missing: a missing number is never shown as zero.
fn sum_text(sum: &Sum, no_path: bool, what: &str) -> String {
    if no_path {
        return "missing (no path from Demand to Value)".to_string();
    }
    match sum.complete() {
        Some(total) => duration(total),
        None => missing(sum.missing.len(), what),
    }
}

fn missing(steps: usize, what: &str) -> String {
    format!(
        "missing ({} without {what})",
        plural(steps, "step", "steps")
    )
}

fn efficiency_text(metrics: &Metrics) -> String {
    match metrics.flow_efficiency {
        Some(share) => percent(share),
        None if metrics.path.is_empty() => "missing (no path from Demand to Value)".into(),
        None if !metrics.lead.missing.is_empty() => {
            missing(metrics.lead.missing.len(), "a process or wait time")
        }
        None => "undefined (the lead time is 0m)".into(),
    }
}

fn rolled_text(metrics: &Metrics) -> String {
    match metrics.rolled_complete_accurate {
        Some(share) => percent(share),
        None if metrics.path.is_empty() => "missing (no path from Demand to Value)".into(),
        None if !metrics.complete_accurate_missing.is_empty() => {
            missing(metrics.complete_accurate_missing.len(), "%C/A")
        }
        None => "missing (no activity steps on the path)".into(),
    }
}

fn bottleneck_text(map: &Map, metrics: &Metrics) -> String {
    let Some(step) = metrics.bottleneck.and_then(|s| map.steps.get(s)) else {
        return "missing (no step has a wait time)".into();
    };
    let wait = step.wait_minutes.map(minutes).unwrap_or_default();
    format!("{} ({}), wait {wait}", md(&step.label), md(&step.id))
}

/// 0.2727 -> "27.3%".
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn push_md_steps(out: &mut String, map: &Map) {
    out.push_str("## Steps\n\n");
    if map.steps.is_empty() {
        out.push_str("The map has no steps.\n\n");
        return;
    }
    out.push_str("| Id | Activity | Label | Process | Wait | %C/A | Practices |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for step in &map.steps {
        let practices: Vec<String> = step.practices.iter().map(|p| md(p)).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            md(&step.id),
            check::describe_step_kinds(step),
            md(&step.label),
            step.process_minutes.map_or("—".into(), minutes),
            step.wait_minutes.map_or("—".into(), minutes),
            step.complete_accurate_percent
                .map_or("—".into(), |p| format!("{p}%")),
            if practices.is_empty() {
                "—".into()
            } else {
                practices.join(", ")
            },
        ));
    }
    out.push('\n');
}

fn push_md_connections(out: &mut String, graph: &Graph) {
    out.push_str("## Connections\n\n");
    let flows = &graph.map.flows;
    if flows.is_empty() {
        out.push_str("The map has no connections.\n\n");
        return;
    }
    let counts: Vec<String> = [
        Verdict::Canonical,
        Verdict::Handoff,
        Verdict::OffChain,
        Verdict::UnknownArtifact,
    ]
    .iter()
    .map(|&v| {
        let n = (0..flows.len()).filter(|&f| graph.verdict(f) == v).count();
        format!("{n} {}", v.as_str())
    })
    .collect();
    out.push_str(&format!("{}.\n\n", counts.join(", ")));
    out.push_str("| From | To | Artifact | Verdict |\n| --- | --- | --- | --- |\n");
    for (index, flow) in flows.iter().enumerate() {
        let verdict = graph.verdict(index);
        out.push_str(&format!(
            "| {} | {} | {} | {} {} |\n",
            md(&flow.from),
            md(&flow.to),
            graph.artifact(index).map_or("—".into(), md),
            mark(verdict),
            verdict.as_str()
        ));
    }
    out.push('\n');
}

fn push_md_findings(out: &mut String, graph: &Graph) {
    out.push_str("## Findings\n\n");
    let report = &graph.report;
    if report.diagnostics.is_empty() {
        out.push_str("No findings.\n\n");
        return;
    }
    out.push_str(&format!(
        "{}, {}, {}.\n\n",
        plural(report.count(Severity::Error), "error", "errors"),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        plural(report.count(Severity::Note), "note", "notes"),
    ));
    // Grouped by severity, errors first; within a severity, in the checker's order.
    let mut order: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    order.sort_by_key(|d| d.severity());
    for diagnostic in order {
        out.push_str(&format!(
            "- **{}** `{}` {}: {}\n",
            diagnostic.severity().as_str(),
            diagnostic.code.as_str(),
            subject_text(graph.map, diagnostic.subject),
            md(&diagnostic.message)
        ));
        for help in diagnostic.help.iter() {
            out.push_str(&format!("  - {}\n", md(help)));
        }
    }
    out.push('\n');
}

/// "map", "step log", "flow log → route": what a finding is about.
fn subject_text(map: &Map, subject: Subject) -> String {
    match subject {
        Subject::Map => "map".into(),
        Subject::Step(index, _) => match map.steps.get(index) {
            Some(step) => format!("step {}", md(&step.id)),
            None => format!("step {}", index + 1),
        },
        Subject::Flow(index, _) => match map.flows.get(index) {
            Some(flow) => format!("flow {} → {}", md(&flow.from), md(&flow.to)),
            None => format!("flow {}", index + 1),
        },
    }
}

fn push_md_backlog(out: &mut String, graph: &Graph) {
    out.push_str("## Improvement backlog\n\n");
    let map = graph.map;
    let mut rows: Vec<(String, &Improvement)> = Vec::new();
    for step in &map.steps {
        let place = format!("step {} ({})", md(&step.id), md(&step.label));
        rows.extend(step.improvements.iter().map(|i| (place.clone(), i)));
    }
    for flow in &map.flows {
        let place = format!("flow {} → {}", md(&flow.from), md(&flow.to));
        rows.extend(flow.improvements.iter().map(|i| (place.clone(), i)));
    }
    if rows.is_empty() {
        out.push_str("No improvements noted.\n\n");
        return;
    }
    out.push_str("| Where | Improvement | Owner |\n| --- | --- | --- |\n");
    for (place, improvement) in rows {
        let owner = improvement
            .owner
            .as_deref()
            .filter(|o| !o.trim().is_empty())
            .map_or("—".into(), md);
        out.push_str(&format!(
            "| {place} | {} | {owner} |\n",
            md(&improvement.text)
        ));
    }
    out.push('\n');
}

/// The drawn map in a fence longer than any run of backticks inside it.
fn push_md_rendered(out: &mut String, rendered: &str) {
    out.push_str("## Map\n\n");
    let text: String = rendered
        .chars()
        .filter(|&c| c == '\n' || !crate::names::is_invisible(c))
        .collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    out.push_str(&format!("{fence}text\n{text}"));
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
}

/// User text for Markdown, on one line. Characters that start emphasis, links, code, HTML
/// or table cells are backslash-escaped (CommonMark allows that for any punctuation), so
/// `<script>` shows as text and `|` stays inside its cell. An underscore inside a word
/// cannot start emphasis and stays as it is (`process_minutes`); `>` only matters at the
/// start of a line, which `md_paragraph` handles.
fn md(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let intraword = c == '_'
            && prev.is_some_and(char::is_alphanumeric)
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        let special = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~');
        if special && !intraword {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A line of notes as its own paragraph: also escapes what would make it a heading, a
/// quote, a list item or a rule.
fn md_paragraph(line: &str) -> String {
    let text = md(line.trim());
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &text[..digits], &text[digits..]),
        Some('#' | '-' | '+' | '=' | '>') if digits == 0 => format!("\\{text}"),
        _ => text,
    }
}

// ---- CSV --------------------------------------------------------------------------------

const CSV_HEADER: [&str; 14] = [
    "kind",
    "id",
    "activity",
    "also",
    "label",
    "col",
    "row",
    "process_minutes",
    "wait_minutes",
    "complete_accurate_percent",
    "from",
    "to",
    "artifact",
    "verdict",
];

/// One table, steps first and then flows, told apart by the `kind` column.
fn csv(graph: &Graph) -> String {
    let mut out = String::new();
    push_csv_row(&mut out, CSV_HEADER.map(String::from));
    for step in &graph.map.steps {
        let also: Vec<&str> = step.also.iter().map(|a| a.key()).collect();
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        push_csv_row(
            &mut out,
            [
                "step".into(),
                step.id.clone(),
                step.activity.key().into(),
                also.join(";"),
                step.label.clone(),
                step.at.col.to_string(),
                step.at.row.to_string(),
                number(step.process_minutes),
                number(step.wait_minutes),
                number(step.complete_accurate_percent.map(u32::from)),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        );
    }
    for (index, flow) in graph.map.flows.iter().enumerate() {
        let mut row: [String; 14] = Default::default();
        row[0] = "flow".into();
        row[10] = flow.from.clone();
        row[11] = flow.to.clone();
        row[12] = flow.artifact.clone().unwrap_or_default();
        row[13] = graph.verdict(index).as_str().into();
        push_csv_row(&mut out, row);
    }
    out
}

fn push_csv_row(out: &mut String, fields: [String; 14]) {
    let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&fields.join(","));
    out.push('\n');
}

/// An RFC 4180 field. Line breaks are data here and survive inside quotes; other control
/// characters are dropped so the file is safe to print.
fn csv_field(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !crate::names::is_invisible(c))
        .collect();
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

// ---- SVG --------------------------------------------------------------------------------

/// Pixels per character column and per row of the editor's layout.
const PX_X: i64 = 8;
const PX_Y: i64 = 16;
/// Space around the map, and the band above it for the title.
const MARGIN: i64 = 16;
const TITLE_BAND: i64 = 32;
/// Characters per label line in a box: what fits at 11 px in a 144 px box.
const LABEL_CHARS: usize = 21;

/// A rectangle in pixels, i64 so that cells up to 65535 never overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Px {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

fn svg(graph: &Graph) -> String {
    let map = graph.map;
    let boxes: Vec<route::Rect> = map.steps.iter().map(|s| box_rect(s.at)).collect();
    let requests: Vec<(usize, usize)> = graph
        .ends
        .iter()
        // An impossible request routes to nothing, as in the editor.
        .map(|e| e.unwrap_or((usize::MAX, usize::MAX)))
        .collect();
    let routes = route::route_all(&boxes, &requests);
    let lines: Vec<Option<Vec<(i64, i64)>>> =
        routes.iter().map(|r| r.as_ref().map(polyline)).collect();
    let view = view_box(graph, &boxes, &lines);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" font-family=\"sans-serif\">\n",
        view.w, view.h, view.x, view.y, view.w, view.h
    ));
    out.push_str(&format!("<title>{}</title>\n", xml(&map.title)));
    push_svg_defs(&mut out);
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        view.x, view.y, view.w, view.h
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\" fill=\"#263238\">{}</text>\n",
        view.x + MARGIN,
        view.y + MARGIN + 8,
        xml(&map.title)
    ));
    if map.steps.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#546e7a\">(the map has no steps)</text>\n",
            view.x + MARGIN,
            view.y + TITLE_BAND + MARGIN + 8
        ));
    }
    for (step, &rect) in map.steps.iter().zip(&boxes) {
        push_svg_step(&mut out, step, px_rect(rect));
    }
    for (flow, line) in lines.iter().enumerate() {
        push_svg_flow(&mut out, graph, flow, line.as_deref(), &boxes);
    }
    out.push_str("</svg>\n");
    out
}

fn px_rect(r: route::Rect) -> Px {
    Px {
        x: i64::from(r.x) * PX_X,
        y: i64::from(r.y) * PX_Y,
        w: i64::from(r.width) * PX_X,
        h: i64::from(r.height) * PX_Y,
    }
}

/// Everything drawn, with a margin and the title band; wide enough for the title.
fn view_box(graph: &Graph, boxes: &[route::Rect], lines: &[Option<Vec<(i64, i64)>>]) -> Px {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for &b in boxes {
        let p = px_rect(b);
        points.extend([(p.x, p.y), (p.x + p.w, p.y + p.h)]);
    }
    for line in lines.iter().flatten() {
        points.extend(line.iter().copied());
    }
    let (x0, y0, x1, y1) = points.iter().fold(
        (i64::MAX, i64::MAX, i64::MIN, i64::MIN),
        |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    );
    let (x0, y0, x1, y1) = if points.is_empty() {
        (0, 0, 240, 40)
    } else {
        (x0, y0, x1, y1)
    };
    let title = graph.map.title.chars().count().min(10_000) as i64 * 9;
    Px {
        x: x0 - MARGIN,
        y: y0 - MARGIN - TITLE_BAND,
        w: (x1 - x0 + 2 * MARGIN).max(title + 2 * MARGIN),
        h: y1 - y0 + 2 * MARGIN + TITLE_BAND,
    }
}

fn push_svg_defs(out: &mut String) {
    out.push_str("<defs>\n");
    for verdict in [
        Verdict::Canonical,
        Verdict::Handoff,
        Verdict::OffChain,
        Verdict::UnknownArtifact,
    ] {
        out.push_str(&format!(
            "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>\n",
            verdict.as_str(),
            colour(verdict)
        ));
    }
    out.push_str("</defs>\n");
}

/// A step: a box (double and rounder for Demand and Value), its tags, its label wrapped to
/// two lines, and its times; the full wording is in the tooltip.
fn push_svg_step(out: &mut String, step: &Step, b: Px) {
    let end = step.activity.is_end();
    out.push_str(&format!(
        "<g class=\"step\"><title>{} ({}): {}</title>\n",
        xml(&step.label),
        xml(&step.id),
        xml(&check::describe_step_kinds(step))
    ));
    let (rx, fill) = if end { (14, "#eceff1") } else { (4, "#ffffff") };
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"#37474f\" stroke-width=\"1.5\"/>\n",
        b.x, b.y, b.w, b.h
    ));
    if end {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"none\" stroke=\"#37474f\" stroke-width=\"1\"/>\n",
            b.x + 4,
            b.y + 4,
            b.w - 8,
            b.h - 8,
            rx - 4
        ));
    }
    let cx = b.x + b.w / 2;
    out.push_str(&format!(
        "<text x=\"{cx}\" y=\"{}\" font-size=\"10\" font-weight=\"bold\" fill=\"#546e7a\" text-anchor=\"middle\">{}</text>\n",
        b.y + 18,
        xml(&tags(step))
    ));
    for (k, line) in wrap(&one_line(&step.label), LABEL_CHARS, 2)
        .iter()
        .enumerate()
    {
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"{}\" font-size=\"11\" fill=\"#263238\" text-anchor=\"middle\">{}</text>\n",
            b.y + 38 + 14 * k as i64,
            xml(line)
        ));
    }
    let times = times_text(step);
    if !times.is_empty() {
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"{}\" font-size=\"10\" fill=\"#546e7a\" text-anchor=\"middle\">{}</text>\n",
            b.y + b.h - 10,
            xml(&times)
        ));
    }
    out.push_str("</g>\n");
}

/// A flow: its routed polyline with an arrowhead, or a dashed straight line between the
/// box centres when no route was found; nothing when an end is missing or it loops back
/// onto its own step.
fn push_svg_flow(
    out: &mut String,
    graph: &Graph,
    flow: usize,
    line: Option<&[(i64, i64)]>,
    boxes: &[route::Rect],
) {
    let Some((from, to)) = graph.ends[flow] else {
        return;
    };
    let verdict = graph.verdict(flow);
    let text = graph.edge_text(flow);
    let c = colour(verdict);
    let dash = if verdict == Verdict::Handoff {
        " stroke-dasharray=\"6 3\""
    } else {
        ""
    };
    let stroke = format!(
        "fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"{dash} marker-end=\"url(#arrow-{})\"",
        verdict.as_str()
    );
    let shape = match line {
        Some(points) => {
            let list: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
            format!("<polyline points=\"{}\" {stroke}/>", list.join(" "))
        }
        None if from != to => {
            let (a, b) = (px_rect(boxes[from]), px_rect(boxes[to]));
            let (x1, y1, x2, y2) = (a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2);
            format!(
                "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" {stroke} stroke-opacity=\"0.6\"/>"
            )
        }
        None => return,
    };
    out.push_str(&format!(
        "<g class=\"flow {}\"><title>{} — {}</title>\n{shape}\n",
        verdict.as_str(),
        xml(&text),
        verdict.as_str()
    ));
    if let Some(((x, y), anchor, room)) = line.and_then(label_spot) {
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{y}\" font-size=\"9\" fill=\"{c}\" text-anchor=\"{anchor}\">{}</text>\n",
            xml(&edge_label(&text, verdict, room))
        ));
    }
    out.push_str("</g>\n");
}

/// A route's cells as pixel centres, extended by half a cell at each end so the line
/// meets the boxes, keeping only the corners.
fn polyline(route: &Route) -> Vec<(i64, i64)> {
    let centre = |(x, y): (i32, i32)| {
        (
            i64::from(x) * PX_X + PX_X / 2,
            i64::from(y) * PX_Y + PX_Y / 2,
        )
    };
    let nudge = |(x, y): (i64, i64), dir: Dir| {
        let (dx, dy) = dir.delta();
        (x + i64::from(dx) * PX_X / 2, y + i64::from(dy) * PX_Y / 2)
    };
    let (Some(&first), Some(&last)) = (route.points.first(), route.points.last()) else {
        return Vec::new();
    };
    let mut points = vec![nudge(centre(first), route.leave.opposite())];
    points.extend(route.points.iter().map(|&p| centre(p)));
    points.push(nudge(centre(last), route.arrow));
    corners(points)
}

/// Drops points that lie on a straight line between their neighbours.
fn corners(points: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Where a flow's label goes and how many pixels it may take: above the middle of the
/// longest horizontal run, else beside the middle of the longest run (room for the mark
/// only, since the text would run over the boxes beside a vertical line).
fn label_spot(points: &[(i64, i64)]) -> Option<((i64, i64), &'static str, i64)> {
    let segments = points.windows(2).map(|w| (w[0], w[1]));
    let longest = |horizontal: bool| {
        segments
            .clone()
            .filter(|(a, b)| (a.1 == b.1) == horizontal)
            .max_by_key(|(a, b)| ((a.0 - b.0).abs() + (a.1 - b.1).abs(), -a.0, -a.1))
    };
    if let Some((a, b)) = longest(true) {
        let room = (a.0 - b.0).abs() - 4;
        return Some((((a.0 + b.0) / 2, a.1 - 4), "middle", room));
    }
    let (a, b) = longest(false)?;
    Some(((a.0 + 4, (a.1 + b.1) / 2), "start", 0))
}

/// The whole edge text when it fits in `room` pixels (about 5.5 px per column at 9 px),
/// else the verdict mark alone: a cut artifact name would read as a different artifact.
fn edge_label(text: &str, verdict: Verdict, room: i64) -> String {
    use unicode_width::UnicodeWidthStr;
    let text = one_line(text);
    let needed = i64::try_from(text.width()).unwrap_or(i64::MAX / 11) * 11 / 2;
    if needed <= room {
        text
    } else {
        mark(verdict).to_string()
    }
}

/// Word-wraps into at most `lines` lines of `width` columns; a word longer than a line is
/// cut, and an overlong last line ends in an ellipsis.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let space = usize::from(!line.is_empty());
        if line.width() + space + word.width() <= width {
            if space == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        push_cut(&mut out, &mut line, word, width);
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            ellipsis(last, width);
        }
    }
    out
}

/// Starts a word on an empty line, cutting it into whole lines when it is too long.
fn push_cut(out: &mut Vec<String>, line: &mut String, word: &str, width: usize) {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    for c in word.chars() {
        if !line.is_empty() && line.width() + c.width().unwrap_or(0) > width {
            out.push(std::mem::take(line));
        }
        line.push(c);
    }
}

/// Ends a cut line in "…", dropping characters until it fits.
fn ellipsis(line: &mut String, width: usize) {
    use unicode_width::UnicodeWidthStr;
    while !line.is_empty() && line.width() + 1 > width {
        line.pop();
    }
    line.push('…');
}

/// Text for XML content and attribute values, without the characters XML 1.0 forbids.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::map::{Cell, Flow};

    fn map_with_ids(ids: &[&str]) -> Map {
        let mut map = Map::new("m");
        for (col, id) in ids.iter().enumerate() {
            let at = Cell::new(col as u16, 0);
            map.steps.push(Step::new(*id, Activity::Engage, *id, at));
        }
        map
    }

    #[test]
    fn node_names_are_safe_and_unique() {
        let map = map_with_ids(&["a-b", "a_b", "", "end", "a_b_2", "é"]);
        assert_eq!(
            node_names(&map),
            ["s_a_b", "s_a_b_2", "s_", "s_end", "s_a_b_2_2", "s__"]
        );
        let many = map_with_ids(&["x"; 20_000]);
        assert_eq!(node_names(&many).last().unwrap(), "s_x_20000");
    }

    #[test]
    fn flows_name_the_first_step_with_an_id() {
        let mut map = map_with_ids(&["a", "b", "a"]);
        map.flows.push(Flow::new("b", "a", None));
        map.flows.push(Flow::new("a", "ghost", None));
        let graph = Graph::new(&Chain::builtin(), &map);
        assert_eq!(graph.ends, [Some((1, 0)), None]);
        assert_eq!(graph.nodes, ["s_a", "s_b", "s_a_2"]);
    }

    #[test]
    fn edge_text_shows_the_mark_and_the_artifact() {
        let mut map = map_with_ids(&["a", "b"]);
        map.steps[1].activity = Activity::DeliverAndSupport;
        map.flows
            .push(Flow::new("a", "b", Some("User support tasks".into())));
        map.flows.push(Flow::new("a", "b", Some("  ".into())));
        map.flows.push(Flow::new("a", "a", None));
        let graph = Graph::new(&Chain::builtin(), &map);
        assert_eq!(graph.edge_text(0), "✔ User support tasks");
        assert_eq!(graph.edge_text(1), "✖ (no artifact)");
        assert_eq!(graph.edge_text(2), "✖ (no artifact)");
    }

    #[test]
    fn one_line_drops_controls_and_invisible_marks() {
        assert_eq!(
            one_line("a\nb\tc\r\u{1b}[31m\u{202e}d\u{200b}\u{ffff}🙂"),
            "a b c[31md🙂"
        );
    }

    #[test]
    fn mermaid_text_uses_entity_codes() {
        assert_eq!(
            mermaid_text("say \"hi\" #1 <b> & a|b `x`\n"),
            "say #quot;hi#quot; #35;1 #lt;b#gt; #amp; a#124;b #96;x#96; "
        );
    }

    #[test]
    fn dot_text_escapes_backslashes_and_quotes_and_keeps_line_breaks() {
        assert_eq!(dot_text("a \"b\" \\N\nc\u{7}"), "a \\\"b\\\" \\\\N\\nc");
        assert_eq!(dot_text(""), "");
    }

    #[test]
    fn markdown_text_escapes_what_would_format() {
        assert_eq!(
            md("a|b *c* <script> [l](u) `x` _y_ process_minutes \\"),
            "a\\|b \\*c\\* \\<script> \\[l\\](u) \\`x\\` \\_y\\_ process_minutes \\\\"
        );
        assert_eq!(md_paragraph("# not a heading"), "\\# not a heading");
        assert_eq!(md_paragraph("1. not a list"), "1\\. not a list");
        assert_eq!(md_paragraph("> not a quote"), "\\> not a quote");
        assert_eq!(md_paragraph("12 items"), "12 items");
    }

    #[test]
    fn rendered_map_gets_a_fence_longer_than_its_backticks() {
        let mut out = String::new();
        push_md_rendered(&mut out, "a ```` b\u{1b}[0m");
        assert_eq!(out, "## Map\n\n`````text\na ```` b[0m\n`````\n");
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines\u{1b}"), "\"two\nlines\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn xml_escapes_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<a href='x'>&\"\u{0}\u{1b}\u{fffe}"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;"
        );
    }

    #[test]
    fn durations_beyond_u32_minutes_still_read_like_the_editor() {
        assert_eq!(duration(90), "1h30m");
        assert_eq!(duration(0), "0m");
        let big = u64::from(u32::MAX) + 1;
        assert_eq!(duration(big), "2982616d4h16m");
        assert_eq!(duration(1440 * 3_000_000), "3000000d");
    }

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_ones() {
        assert_eq!(
            wrap("Investigated and resolved", 21, 2),
            ["Investigated and", "resolved"]
        );
        assert_eq!(wrap("abcdefghij", 4, 3), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four", 9, 1), ["one two…"]);
        assert_eq!(wrap("🙂🙂🙂", 4, 2), ["🙂🙂", "🙂"]);
        assert!(wrap("  ", 4, 2).is_empty());
    }

    #[test]
    fn routes_become_corner_points_meeting_the_boxes() {
        let route = Route {
            points: vec![(21, 3), (22, 3), (23, 3), (23, 4), (23, 5)],
            arrow: Dir::Down,
            leave: Dir::Right,
        };
        // Starts on the source's right edge (x = 21 * 8), ends on the target's top edge.
        assert_eq!(polyline(&route), [(168, 56), (188, 56), (188, 96)]);
    }

    #[test]
    fn edge_labels_fit_their_run_or_show_the_mark() {
        assert_eq!(edge_label("✔ Short", Verdict::Canonical, 100), "✔ Short");
        assert_eq!(
            edge_label("✔ A long artifact name", Verdict::Canonical, 44),
            "✔"
        );
        assert_eq!(label_spot(&[(0, 0), (0, 40)]), Some(((4, 20), "start", 0)));
    }

    #[test]
    fn every_format_ends_with_one_newline_for_an_empty_map() {
        let map = Map::new("");
        for format in [
            Format::Mermaid,
            Format::Dot,
            Format::Markdown,
            Format::Csv,
            Format::Svg,
        ] {
            let text = export(format, &Chain::builtin(), &map, "");
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{format:?}"
            );
        }
    }
}
