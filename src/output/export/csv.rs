//! CSV of steps and connections, for spreadsheets.

use super::*;

pub(super) const CSV_HEADER: [&str; 14] = [
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
pub(super) fn csv(graph: &Graph) -> String {
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

pub(super) fn push_csv_row(out: &mut String, fields: [String; 14]) {
    let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
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
