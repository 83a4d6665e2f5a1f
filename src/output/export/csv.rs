//! CSV of steps and connections, for spreadsheets: one table of both (`csv`), or a table of
//! each (`csv-steps`, `csv-flows`).

use super::*;

/// The columns of a step row. Times stay numbers of minutes, which a spreadsheet can add up.
pub(super) const STEP_COLUMNS: [&str; 13] = [
    "id",
    "label",
    "activity",
    "also",
    "col",
    "row",
    "process_minutes",
    "wait_minutes",
    "complete_accurate_percent",
    "practices",
    "notes",
    "improvements",
    "findings",
];

/// The columns of a connection row: each end by id and by the label people read.
pub(super) const FLOW_COLUMNS: [&str; 9] = [
    "from",
    "from_label",
    "to",
    "to_label",
    "artifact",
    "verdict",
    "notes",
    "improvements",
    "findings",
];

/// The columns of the one table of both, told apart by `kind`.
pub(super) const CSV_HEADER: [&str; 18] = [
    "kind",
    "id",
    "label",
    "activity",
    "also",
    "col",
    "row",
    "process_minutes",
    "wait_minutes",
    "complete_accurate_percent",
    "practices",
    "from",
    "to",
    "artifact",
    "verdict",
    "notes",
    "improvements",
    "findings",
];

/// A row as (column, value) pairs; a table picks the columns it has.
type Row = Vec<(&'static str, String)>;

/// One table, steps first and then flows, told apart by the `kind` column.
pub(super) fn csv(graph: &Graph) -> String {
    let steps = (0..graph.map.steps.len()).map(|s| {
        let mut row = step_row(graph, s);
        row.push(("kind", "step".into()));
        row
    });
    let flows = (0..graph.map.flows.len()).map(|f| {
        let mut row = flow_row(graph, f);
        row.push(("kind", "flow".into()));
        row
    });
    table(&CSV_HEADER, steps.chain(flows))
}

pub(super) fn csv_steps(graph: &Graph) -> String {
    table(
        &STEP_COLUMNS,
        (0..graph.map.steps.len()).map(|s| step_row(graph, s)),
    )
}

pub(super) fn csv_flows(graph: &Graph) -> String {
    table(
        &FLOW_COLUMNS,
        (0..graph.map.flows.len()).map(|f| flow_row(graph, f)),
    )
}

fn table(header: &[&str], rows: impl Iterator<Item = Row>) -> String {
    let mut out = String::new();
    push_csv_row(&mut out, header.iter().map(|h| h.to_string()));
    for mut row in rows {
        let fields = header.iter().map(|&column| {
            row.iter_mut()
                .find(|(name, _)| *name == column)
                .map(|(_, value)| std::mem::take(value))
                .unwrap_or_default()
        });
        push_csv_row(&mut out, fields);
    }
    out
}

fn step_row(graph: &Graph, index: usize) -> Row {
    let step = &graph.map.steps[index];
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let also: Vec<&str> = step.also.iter().map(|a| a.name()).collect();
    vec![
        ("id", step.id.to_string()),
        ("label", step.label.to_string()),
        ("activity", step.activity.name().into()),
        ("also", also.join("; ")),
        ("col", step.at.col.to_string()),
        ("row", step.at.row.to_string()),
        ("process_minutes", number(step.process_minutes)),
        ("wait_minutes", number(step.wait_minutes)),
        (
            "complete_accurate_percent",
            number(step.complete_accurate_percent.map(u32::from)),
        ),
        ("practices", step.practices.join("; ")),
        ("notes", step.notes.clone()),
        ("improvements", improvements_text(&step.improvements)),
        (
            "findings",
            findings(graph, |s| matches!(s, Subject::Step(i, _) if i == index)),
        ),
    ]
}

fn flow_row(graph: &Graph, index: usize) -> Row {
    let flow = &graph.map.flows[index];
    let label = |id: &str| {
        graph
            .map
            .step_index(id)
            .map(|s| graph.map.steps[s].label.to_string())
            .unwrap_or_default()
    };
    vec![
        ("from", flow.from.to_string()),
        ("from_label", label(&flow.from)),
        ("to", flow.to.to_string()),
        ("to_label", label(&flow.to)),
        (
            "artifact",
            flow.artifact.as_deref().unwrap_or_default().to_string(),
        ),
        ("verdict", graph.verdict(index).as_str().into()),
        ("notes", flow.notes.clone()),
        ("improvements", improvements_text(&flow.improvements)),
        (
            "findings",
            findings(graph, |s| matches!(s, Subject::Flow(i, _) if i == index)),
        ),
    ]
}

/// One improvement a line, its owner in brackets: "Route by skill (Sam)".
fn improvements_text(improvements: &[Improvement]) -> String {
    let lines: Vec<String> = improvements
        .iter()
        .map(
            |i| match i.owner.as_deref().filter(|o| !o.trim().is_empty()) {
                Some(owner) => format!("{} ({owner})", i.text),
                None => i.text.clone(),
            },
        )
        .collect();
    lines.join("\n")
}

/// The codes of the checker's findings about a subject, each once, in the checker's order:
/// "end-direction missing-artifact".
fn findings(graph: &Graph, about: impl Fn(Subject) -> bool) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for diagnostic in &graph.report.diagnostics {
        let code = diagnostic.code.as_str();
        if about(diagnostic.subject) && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes.join(" ")
}

pub(super) fn push_csv_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| csv_field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push('\n');
}

/// An RFC 4180 field. Line breaks are data here and survive inside quotes; other control
/// characters are dropped so the file is safe to print. A field that a spreadsheet would
/// read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// `'` in front, as OWASP advises against CSV injection: `=HYPERLINK(...)` stays text.
pub(super) fn csv_field(text: &str) -> String {
    let mut text: String = text
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !crate::text::is_invisible(c))
        .collect();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
