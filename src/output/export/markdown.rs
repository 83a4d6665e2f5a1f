//! A Markdown retrospective report: metrics, steps, connections, findings, the improvement
//! backlog and the map drawn as text.

use super::*;

pub(super) fn markdown(graph: &Graph, rendered: &str) -> String {
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
    push_md_flowchart(&mut out, graph);
    push_md_steps(&mut out, map);
    push_md_connections(&mut out, graph);
    push_md_findings(&mut out, graph);
    push_md_backlog(&mut out, graph);
    push_md_rendered(&mut out, rendered);
    out
}

pub(super) fn push_md_metrics(out: &mut String, graph: &Graph, metrics: &Metrics) {
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
    let day = graph.map.day_minutes();
    // The longest wait in the whole map, when it is not on the path the times are for.
    let off_path = metrics
        .bottleneck
        .filter(|s| !metrics.path.contains(s))
        .map(|s| wait_text(graph.map, s));
    let rows = [
        (
            "Lead time",
            sum_text(&metrics.lead, no_path, "a process or wait time", day),
        ),
        (
            "Process time",
            sum_text(&metrics.process, no_path, "a process time", day),
        ),
        (
            "Wait time",
            sum_text(&metrics.wait, no_path, "a wait time", day),
        ),
        ("Flow efficiency", efficiency_text(metrics)),
        ("Rolled %C/A", rolled_text(metrics)),
        (
            "Bottleneck on the path",
            path_bottleneck_text(graph.map, metrics),
        ),
        ("Longest wait off the path", off_path.unwrap_or_default()),
        // Seed 003: "Eliminate handoff waste: Reduce delays between activities".
        (
            "Handoff wait",
            metrics::describe_handoffs(graph.map, metrics, day, |i| md(&steps[i].label)),
        ),
        ("Activities used", metrics::describe_coverage(metrics)),
    ];
    out.push_str("| Measure | Value |\n| --- | --- |\n");
    for (name, value) in rows.iter().filter(|(_, value)| !value.is_empty()) {
        out.push_str(&format!("| {name} | {value} |\n"));
    }
    out.push('\n');
}

/// The step on the path that waits longest (the first of equals), or why there is none.
pub(super) fn path_bottleneck_text(map: &Map, metrics: &Metrics) -> String {
    if metrics.path.is_empty() {
        return "missing (no path from Demand to Value)".into();
    }
    let mut best: Option<(u32, usize)> = None;
    for &s in &metrics.path {
        if let Some(wait) = map.steps[s].wait_minutes
            && best.is_none_or(|(w, _)| wait > w)
        {
            best = Some((wait, s));
        }
    }
    match best {
        Some((_, s)) => wait_text(map, s),
        None => "missing (no step on the path has a wait time)".into(),
    }
}

/// "Passed to resolution group (route), wait 2d".
pub(super) fn wait_text(map: &Map, step: usize) -> String {
    let step = &map.steps[step];
    let wait = step
        .wait_minutes
        .map(|w| minutes(w, map.day_minutes()))
        .unwrap_or_default();
    format!("{} ({}), wait {wait}", md(&step.label), md(&step.id))
}

/// The Mermaid flowchart in a fence GitHub and GitLab draw. Its text holds no backtick
/// (Mermaid text writes it `#96;`), so three close nothing early.
pub(super) fn push_md_flowchart(out: &mut String, graph: &Graph) {
    if graph.map.steps.is_empty() {
        return;
    }
    out.push_str("## Flowchart\n\n```mermaid\n");
    out.push_str(&mermaid(graph));
    out.push_str("```\n\n");
}

/// A total in working days of `day_minutes`, or why it is missing: a missing number is never
/// shown as zero.
pub(super) fn sum_text(sum: &Sum, no_path: bool, what: &str, day_minutes: u32) -> String {
    if no_path {
        return "missing (no path from Demand to Value)".to_string();
    }
    match sum.complete() {
        Some(total) => duration(total, day_minutes),
        None => missing(sum.missing.len(), what),
    }
}

pub(super) fn missing(steps: usize, what: &str) -> String {
    format!(
        "missing ({} without {what})",
        plural(steps, "step", "steps")
    )
}

pub(super) fn efficiency_text(metrics: &Metrics) -> String {
    match metrics.flow_efficiency {
        Some(share) => percent(share),
        None if metrics.path.is_empty() => "missing (no path from Demand to Value)".into(),
        None if !metrics.lead.missing.is_empty() => {
            missing(metrics.lead.missing.len(), "a process or wait time")
        }
        None => "undefined (the lead time is 0m)".into(),
    }
}

pub(super) fn rolled_text(metrics: &Metrics) -> String {
    match metrics.rolled_complete_accurate {
        Some(share) => percent(share),
        None if metrics.path.is_empty() => "missing (no path from Demand to Value)".into(),
        None if !metrics.complete_accurate_missing.is_empty() => {
            missing(metrics.complete_accurate_missing.len(), "%C/A")
        }
        None => "missing (no activity steps on the path)".into(),
    }
}

/// 0.2727 -> "27.3%".
pub(super) fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

pub(super) fn push_md_steps(out: &mut String, map: &Map) {
    out.push_str("## Steps\n\n");
    if map.steps.is_empty() {
        out.push_str("The map has no steps.\n\n");
        return;
    }
    let day = map.day_minutes();
    let minutes = |value: Option<u32>| value.map_or("—".into(), |m| minutes(m, day));
    out.push_str("| Id | Activity | Label | Process | Wait | %C/A | Practices |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for step in &map.steps {
        let practices: Vec<String> = step.practices.iter().map(|p| md(p)).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            md(&step.id),
            check::describe_step_kinds(step),
            md(&step.label),
            minutes(step.process_minutes),
            minutes(step.wait_minutes),
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

pub(super) fn push_md_connections(out: &mut String, graph: &Graph) {
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
    // A step by its label; an end that names no step by the id it gives.
    let name = |end: Option<usize>, id: &str| match end {
        Some(step) => md(&graph.map.steps[step].label),
        None => format!("{} (not in the map)", md(id)),
    };
    for (index, flow) in flows.iter().enumerate() {
        let verdict = graph.verdict(index);
        let ends = graph.ends[index];
        let (from, to) = match ends {
            Some((a, b)) => (name(Some(a), &flow.from), name(Some(b), &flow.to)),
            None => (
                name(graph.map.step_index(&flow.from), &flow.from),
                name(graph.map.step_index(&flow.to), &flow.to),
            ),
        };
        out.push_str(&format!(
            "| {from} | {to} | {} | {} {} |\n",
            graph.artifact(index).map_or("—".into(), md),
            mark(verdict),
            verdict.as_str()
        ));
    }
    out.push('\n');
}

pub(super) fn push_md_findings(out: &mut String, graph: &Graph) {
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
pub(super) fn subject_text(map: &Map, subject: Subject) -> String {
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

pub(super) fn push_md_backlog(out: &mut String, graph: &Graph) {
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
pub(super) fn push_md_rendered(out: &mut String, rendered: &str) {
    out.push_str("## Map\n\n");
    let text: String = rendered
        .chars()
        .filter(|&c| c == '\n' || !crate::text::is_invisible(c))
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
pub(super) fn md(text: &str) -> String {
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
pub(super) fn md_paragraph(line: &str) -> String {
    let text = md(line.trim());
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &text[..digits], &text[digits..]),
        Some('#' | '-' | '+' | '=' | '>') if digits == 0 => format!("\\{text}"),
        _ => text,
    }
}
