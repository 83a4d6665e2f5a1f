//! Graphviz DOT, for `dot -Tsvg` and the tools built on it.

use super::*;

/// Grids with more cells than this (counting empty ones) get no invisible cells: a map
/// with steps at column 65535 would need billions.
const MAX_GRID_CELLS: usize = 10_000;

pub(super) fn dot(graph: &Graph) -> String {
    let map = graph.map;
    let mut out = String::from("digraph vsmap {\n");
    out.push_str(&format!(
        "    graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.4, label=\"{}\", labelloc=t, fontname=\"Helvetica\", fontsize=18];\n",
        dot_text(&map.title)
    ));
    out.push_str(
        "    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (index, step) in map.steps.iter().enumerate() {
        let shape = match step.activity {
            Activity::Demand => ", shape=oval",
            Activity::Value => ", shape=doubleoctagon",
            _ => "",
        };
        let (fill, stroke) = activity_colours(step.activity);
        let mut lines = vec![tags(step)];
        lines.extend(wrapped(&step.label));
        lines.extend(times_text(step, map.day_minutes()));
        let label: Vec<String> = lines.iter().map(|l| dot_text(l)).collect();
        out.push_str(&format!(
            "    {} [label=\"{}\", fillcolor=\"{fill}\", color=\"{stroke}\", group=row{}{shape}];\n",
            graph.nodes[index],
            label.join("\\n"),
            step.at.row
        ));
    }
    push_grid(&mut out, graph);
    for flow in 0..map.flows.len() {
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
        let text: Vec<String> = wrapped(&graph.edge_text(flow))
            .iter()
            .map(|l| dot_text(l))
            .collect();
        // The grid alone ranks the steps, so a link back to an earlier column cannot
        // reorder the columns.
        out.push_str(&format!(
            "    {} -> {} [label=\"{}\", color=\"{c}\", fontcolor=\"{c}\", tooltip=\"{}\", constraint=false{dashed}];\n",
            graph.nodes[from],
            graph.nodes[to],
            text.join("\\n"),
            verdict.as_str()
        ));
    }
    out.push_str("}\n");
    out
}

/// The map's grid: each used column a rank, its steps in row order, and each used row kept
/// straight by invisible links from column to column. An empty cell gets an invisible node,
/// so a step stays in its row and column even where its neighbours are missing. Columns and
/// rows with no step are left out, as `vsmap render` leaves them out.
fn push_grid(out: &mut String, graph: &Graph) {
    let steps = &graph.map.steps;
    let mut cols: Vec<u16> = steps.iter().map(|s| s.at.col).collect();
    let mut rows: Vec<u16> = steps.iter().map(|s| s.at.row).collect();
    cols.sort_unstable();
    cols.dedup();
    rows.sort_unstable();
    rows.dedup();
    if cols.len() * rows.len() > MAX_GRID_CELLS {
        return;
    }
    // The node in each cell: the first step there, or an invisible stand-in.
    let mut cell: HashMap<(u16, u16), String> = HashMap::new();
    for (index, step) in steps.iter().enumerate() {
        cell.entry((step.at.col, step.at.row))
            .or_insert_with(|| graph.nodes[index].clone());
    }
    out.push_str("    // The grid: a rank per column, a row kept straight by invisible links.\n");
    let mut name = |col: u16, row: u16, out: &mut String| -> String {
        cell.entry((col, row))
            .or_insert_with(|| {
                let name = format!("cell_{col}_{row}");
                out.push_str(&format!(
                    "    {name} [label=\"\", style=invis, group=row{row}];\n"
                ));
                name
            })
            .clone()
    };
    let mut grid: Vec<Vec<String>> = Vec::with_capacity(cols.len());
    for &col in &cols {
        grid.push(rows.iter().map(|&row| name(col, row, out)).collect());
    }
    for column in &grid {
        out.push_str(&format!("    {{ rank=same; {}; }}\n", column.join("; ")));
        // Links within a rank order it: row 0 above row 1.
        for pair in column.windows(2) {
            out.push_str(&format!("    {} -> {} [style=invis];\n", pair[0], pair[1]));
        }
    }
    for pair in grid.windows(2) {
        for (left, right) in pair[0].iter().zip(&pair[1]) {
            out.push_str(&format!(
                "    {left} -> {right} [style=invis, weight=10];\n"
            ));
        }
    }
}

/// Text for inside a DOT `"..."` string. Backslashes are doubled so user text cannot form
/// Graphviz escapes (`\N`, `\G`, `\l`); `&` is written `&amp;`, as Graphviz reads HTML
/// entities in every string (`&#x1b;` would put a raw ESC in its SVG); a line break in the
/// text stays a line break. Text beyond `MAX_LABEL_CHARS` is cut, as Graphviz refuses
/// strings over 16384 bytes.
pub(super) fn dot_text(text: &str) -> String {
    let text = cut(text, MAX_LABEL_CHARS);
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            one_line(line)
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('&', "&amp;")
        })
        .collect();
    lines.join("\\n")
}
