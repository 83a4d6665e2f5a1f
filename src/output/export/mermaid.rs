//! Mermaid flowcharts, for GitHub, GitLab and wikis that draw them.

use super::*;

/// Every activity in the order of the `classDef` lines.
const ACTIVITIES: [Activity; 8] = [
    Activity::Demand,
    Activity::Engage,
    Activity::Plan,
    Activity::DesignAndTransition,
    Activity::ObtainOrBuild,
    Activity::DeliverAndSupport,
    Activity::Improve,
    Activity::Value,
];

/// Top to bottom: the map's columns become levels and its rows lanes side by side. A map is
/// wide and short, and GitHub shrinks a wide picture to the page until its text cannot be
/// read; turned a quarter, the same map keeps its text at full size.
pub(super) fn mermaid(graph: &Graph) -> String {
    let map = graph.map;
    let mut out = String::new();
    // The title in front matter, where Mermaid shows it, as a YAML string that cannot hold a
    // directive: `%`, `{` and `}` are written as YAML escapes.
    if !map.title.trim().is_empty() {
        out.push_str(&format!(
            "---\ntitle: \"{}\"\n---\n",
            yaml_text(&cut(&map.title, MAX_LABEL_CHARS))
        ));
    }
    out.push_str("flowchart TB\n");
    // In column order, then row order, so Mermaid meets the steps as the map reads.
    let mut order: Vec<usize> = (0..map.steps.len()).collect();
    order.sort_by_key(|&s| (map.steps[s].at.col, map.steps[s].at.row));
    for index in order {
        let step = &map.steps[index];
        let mut lines = vec![tags(step)];
        lines.extend(wrapped(&step.label));
        lines.extend(times_text(step, map.day_minutes()));
        let label: Vec<String> = lines.iter().map(|l| mermaid_text(l)).collect();
        let label = label.join("<br>");
        let node = &graph.nodes[index];
        if step.activity.is_end() {
            out.push_str(&format!("    {node}([\"{label}\"])\n"));
        } else {
            out.push_str(&format!("    {node}[\"{label}\"]\n"));
        }
    }
    let mut link_styles = Vec::new();
    for flow in 0..map.flows.len() {
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
        let text: Vec<String> = wrapped(&graph.edge_text(flow))
            .iter()
            .map(|l| mermaid_text(l))
            .collect();
        out.push_str(&format!(
            "    {} {arrow}|\"{}\"| {}\n",
            graph.nodes[from],
            text.join("<br>"),
            graph.nodes[to]
        ));
        link_styles.push(verdict);
    }
    push_mermaid_styles(&mut out, graph, &link_styles);
    out
}

/// A class per activity, which steps take them (by their first activity), and one
/// `linkStyle` per link in drawing order, coloured by its verdict.
pub(super) fn push_mermaid_styles(out: &mut String, graph: &Graph, links: &[Verdict]) {
    for activity in ACTIVITIES {
        let members: Vec<&str> = (0..graph.map.steps.len())
            .filter(|&s| graph.map.steps[s].activity == activity)
            .map(|s| graph.nodes[s].as_str())
            .collect();
        if members.is_empty() {
            continue;
        }
        let (fill, stroke) = activity_colours(activity);
        let class = activity.key();
        out.push_str(&format!(
            "    classDef {class} fill:{fill},stroke:{stroke},stroke-width:2px,color:#263238\n"
        ));
        out.push_str(&format!("    class {} {class}\n", members.join(",")));
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
