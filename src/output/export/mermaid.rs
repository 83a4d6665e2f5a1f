//! Mermaid flowcharts, for GitHub, GitLab and wikis that draw them.

use super::*;

/// Mermaid's node classes, one per verdict: a step takes the worst verdict among its drawn
/// connections, so a broken connection shows on the steps too.
pub(super) const MERMAID_CLASSES: [(Verdict, &str, &str); 4] = [
    (Verdict::Canonical, "canonical", "fill:#e8f5e9"),
    (Verdict::Handoff, "handoff", "fill:#e0f7fa"),
    (Verdict::OffChain, "offChain", "fill:#ffebee"),
    (Verdict::UnknownArtifact, "unknownArtifact", "fill:#ffebee"),
];

/// Which verdict wins when a step has several: errors over handoffs over canonical.
pub(super) fn badness(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Canonical => 0,
        Verdict::Handoff => 1,
        Verdict::UnknownArtifact => 2,
        Verdict::OffChain => 3,
    }
}

pub(super) fn mermaid(graph: &Graph) -> String {
    let mut out = String::new();
    // The title in front matter, where Mermaid shows it, as a YAML string that cannot hold a
    // directive: `%`, `{` and `}` are written as YAML escapes.
    if !graph.map.title.trim().is_empty() {
        out.push_str(&format!(
            "---\ntitle: \"{}\"\n---\n",
            yaml_text(&cut(&graph.map.title, MAX_LABEL_CHARS))
        ));
    }
    out.push_str("flowchart LR\n");
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
            out.push_str(&format!(
                "    %% {}\n",
                mermaid_comment(&graph.left_out(flow))
            ));
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
pub(super) fn push_mermaid_styles(
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

/// Text for a `%%` comment line: Mermaid reads a `%%{...}%%` directive anywhere, comments
/// included, so `%`, `{` and `}` are written as entity codes (never decoded in a comment).
pub(super) fn mermaid_comment(text: &str) -> String {
    one_line(text)
        .replace('%', "#37;")
        .replace('{', "#123;")
        .replace('}', "#125;")
}

/// Text for inside a YAML `"..."` string on one line: what could end the string or form a
/// Mermaid directive (`%%{...}%%`, read anywhere in the text) is written as an escape.
pub(super) fn yaml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("\\x25"),
            '{' => out.push_str("\\x7b"),
            '}' => out.push_str("\\x7d"),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a Mermaid `"..."` string. Mermaid decodes `#name;` and `#123;` entity
/// codes, so `#` itself is encoded too; `<`, `>` and `&` would otherwise reach its HTML
/// labels, a backtick would start a Markdown string and `|` could end an edge label. `%`,
/// `{` and `}` are encoded so that no text can form a `%%{init: ...}%%` directive, which
/// Mermaid reads anywhere, comments and labels included. Text beyond `MAX_LABEL_CHARS` is
/// cut.
pub(super) fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(&cut(text, MAX_LABEL_CHARS)).chars() {
        match c {
            '%' => out.push_str("#37;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
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
