//! Graphviz DOT, for `dot -Tsvg` and the tools built on it.

use super::*;

pub(super) fn dot(graph: &Graph) -> String {
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
