//! Exports of a map: Mermaid, Graphviz DOT, a Markdown retrospective report, CSV, SVG and
//! PNG.
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
use crate::metrics::{self, Metrics, Sum};
use crate::model::activity::Activity;
use crate::model::map::{Improvement, Map, Step};
use crate::route::{self, Dir, Route};
use crate::text::{duration, minutes, one_line, plural};
use crate::view::geometry::Geometry;
use crate::view::theme::Theme;
use std::collections::{HashMap, HashSet};

mod csv;
mod dot;
mod markdown;
mod mermaid;
mod png;
mod svg;

use csv::{csv, csv_flows, csv_steps};
use dot::dot;
use markdown::markdown;
use mermaid::mermaid;
use svg::svg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Mermaid flowchart, for GitHub, GitLab and wikis.
    Mermaid,
    /// Graphviz DOT, laid out as the map's grid: `dot -Tsvg map.dot`.
    Dot,
    /// A retrospective report with the flowchart and the map drawn as text.
    Markdown,
    /// Steps and connections in one table, told apart by the `kind` column.
    Csv,
    /// One row per step, for a spreadsheet.
    CsvSteps,
    /// One row per connection, with its verdict and finding codes.
    CsvFlows,
    /// A self-contained picture.
    Svg,
    /// The SVG picture as an image, for chat tools that do not show SVG.
    Png,
}

/// How wide the Markdown report draws the map as text: a page on GitHub or in an editor
/// shows 100 columns without scrolling.
pub const REPORT_MAP_COLUMNS: u16 = 100;

/// The map in `format`. `rendered` is the map drawn as text (`render::render`), which the
/// Markdown report includes. PNG is an image: here it gives the SVG it is drawn from, and
/// `export_bytes` the image itself.
pub fn export(format: Format, chain: &Chain, map: &Map, rendered: &str) -> String {
    let graph = Graph::new(chain, map);
    let mut out = match format {
        Format::Mermaid => mermaid(&graph),
        Format::Dot => dot(&graph),
        Format::Markdown => markdown(&graph, rendered),
        Format::Csv => csv(&graph),
        Format::CsvSteps => csv_steps(&graph),
        Format::CsvFlows => csv_flows(&graph),
        Format::Svg | Format::Png => svg(&graph),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// What `vsmap export` writes: the text of a format, the Markdown with the map drawn at
/// `REPORT_MAP_COLUMNS`, or the bytes of the PNG image.
pub fn export_bytes(format: Format, chain: &Chain, map: &Map) -> Vec<u8> {
    let rendered = match format {
        Format::Markdown => {
            let plain = crate::view::theme::Looks {
                ascii: false,
                color: false,
            };
            crate::output::render::render(chain, map, REPORT_MAP_COLUMNS, plain)
        }
        _ => String::new(),
    };
    let text = export(format, chain, map, &rendered);
    match format {
        Format::Png => png::png(&text),
        _ => text.into_bytes(),
    }
}

/// Writes an export to `path` whole or not at all. Text is saved as a map is (keeping the
/// old file's permissions); a PNG is never UTF-8 (its first byte, 0x89, cannot start a
/// character), which tells the two apart.
pub fn save(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::str::from_utf8(bytes) {
        Ok(text) => crate::io::save::save_atomic(path, text).map(|_| ()),
        Err(_) => png::save(path, bytes),
    }
}

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
        // The check beside the names and ends: on a map of ten thousand steps, tens of
        // milliseconds before anything is drawn.
        let (report, (nodes, ends)) = crate::both::both(
            || check::check(chain, map),
            || (node_names(map), flow_ends(map)),
        );
        Graph {
            map,
            report,
            nodes,
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
            cut(&one_line(&f.from), MAX_NAME_CHARS),
            cut(&one_line(&f.to), MAX_NAME_CHARS)
        )
    }
}

/// How much of one text (a label, an artifact, a title) the DOT and Mermaid exports keep:
/// Graphviz refuses a string longer than 16384 bytes and Mermaid a diagram over 50,000
/// characters, so a pasted megabyte is cut, with an ellipsis, instead of breaking the picture.
pub(super) const MAX_LABEL_CHARS: usize = 1000;
/// How much of an id a comment or a node name keeps.
pub(super) const MAX_NAME_CHARS: usize = 200;

/// Text cut to `max` characters, ending in an ellipsis when something was cut.
pub(super) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Per flow: (from, to) step indices, or None when an end names no step. The first step
/// with an id is the one flows mean, as in the checker.
fn flow_ends(map: &Map) -> Vec<Option<(usize, usize)>> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(map.steps.len());
    for (index, step) in map.steps.iter().enumerate() {
        by_id.entry(step.id.as_str()).or_insert(index);
    }
    map.flows
        .iter()
        .map(|f| Some((*by_id.get(f.from.as_str())?, *by_id.get(f.to.as_str())?)))
        .collect()
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
            let safe = step.id.chars().take(MAX_NAME_CHARS).map(|c| {
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
    Theme::new(false, false).verdict_mark(verdict)
}

/// Green, teal, red: the colour of a verdict in the pictures.
fn colour(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Canonical => "#2e7d32",
        Verdict::Handoff => "#00838f",
        Verdict::OffChain | Verdict::UnknownArtifact => "#c62828",
    }
}

/// The fill and the outline of a step of `activity` in the DOT and Mermaid pictures: blues,
/// purples, browns and ambers, so they never read as the verdict colours of the links.
fn activity_colours(activity: Activity) -> (&'static str, &'static str) {
    match activity {
        Activity::Demand | Activity::Value => ("#eceff1", "#455a64"),
        Activity::Plan => ("#f3e5f5", "#7b1fa2"),
        Activity::Improve => ("#fffde7", "#f9a825"),
        Activity::Engage => ("#e1f5fe", "#0277bd"),
        Activity::DesignAndTransition => ("#e8eaf6", "#3949ab"),
        Activity::ObtainOrBuild => ("#efebe9", "#6d4c41"),
        Activity::DeliverAndSupport => ("#fff3e0", "#ef6c00"),
    }
}

/// "PT 15m · WT 1h · CA 90%", as the step's data box shows it; None when no number is known.
fn times_text(step: &Step, day_minutes: u32) -> Option<String> {
    let known = step.process_minutes.is_some()
        || step.wait_minutes.is_some()
        || step.complete_accurate_percent.is_some();
    known.then(|| crate::view::boxes::data_fields(step, day_minutes).join(" · "))
}

/// How many columns a label line in the DOT and Mermaid boxes takes before it wraps.
const WRAP_COLUMNS: usize = 24;

/// A label word-wrapped for a box, every word kept (a long one is broken).
fn wrapped(text: &str) -> Vec<String> {
    crate::text::wrap_whole(&one_line(&cut(text, MAX_LABEL_CHARS)), WRAP_COLUMNS)
}

/// "ENG" or "D&S+IMP": the step's activity tags, as the editor's boxes show them.
fn tags(step: &Step) -> String {
    check::kinds(step)
        .map(Activity::tag)
        .collect::<Vec<_>>()
        .join("+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::{csv::*, dot::*, markdown::*, mermaid::*, svg::*};
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
        assert_eq!(duration(90, 480), "1h30m");
        assert_eq!(duration(0, 480), "0m");
        let big = u64::from(u32::MAX) + 1;
        assert_eq!(duration(big, 1440), "596523w1d4h16m");
        assert_eq!(duration(480 * 5 * 3_000_000, 480), "3000000w");
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
    fn every_format_ends_with_one_newline_for_an_empty_map() {
        let map = Map::new("");
        for format in [
            Format::Mermaid,
            Format::Dot,
            Format::Markdown,
            Format::Csv,
            Format::CsvSteps,
            Format::CsvFlows,
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
