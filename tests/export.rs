//! `vsmap export`: every format compared with golden files in `tests/golden/`, and each
//! checked by its own consumer: Graphviz runs the DOT, an XML parser reads the SVG, a small
//! Mermaid grammar checker and the real Mermaid parser (under node, where it is installed)
//! read the flowcharts, RFC 4180 readers read the CSV and a PNG decoder reads the image.
//!
//! The golden files are the spec. After a deliberate change, rewrite them with
//!
//!     UPDATE_GOLDEN=1 cargo test --test export
//!
//! and read every changed file before committing it.
//!
//! The DOT test needs Graphviz (`apt-get install graphviz`); without it the test fails.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

mod support;
use std::process::{Command, Stdio};
use support::golden::golden;
use vsmap::chain::Chain;
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Flow, Improvement, Map, Step};
use vsmap::output::export::{Format, export, export_bytes};
use vsmap::route;
use vsmap::view::geometry::Geometry;

const FORMATS: [(Format, &str); 7] = [
    (Format::Mermaid, "mmd"),
    (Format::Dot, "dot"),
    (Format::Markdown, "md"),
    (Format::Csv, "csv"),
    (Format::CsvSteps, "steps.csv"),
    (Format::CsvFlows, "flows.csv"),
    (Format::Svg, "svg"),
];

// ---- Helpers ------------------------------------------------------------------------

fn sample_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sample(name: &str) -> Map {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-maps")
        .join(format!("{name}.ron"));
    Map::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The export as `vsmap export` makes it.
fn run(format: Format, map: &Map) -> String {
    String::from_utf8(export_bytes(format, &Chain::builtin(), map)).unwrap()
}

/// The export alone, with a stand-in for the drawn map: the robustness tests cover maps
/// (cells at 65535) that are about the export, not about `render`.
fn export_only(format: Format, map: &Map) -> String {
    export(format, &Chain::builtin(), map, "(the drawn map)\n")
}

fn step(id: &str, activity: Activity, label: &str, col: u16, row: u16) -> Step {
    Step::new(id, activity, label, Cell::new(col, row))
}

fn flow(from: &str, to: &str, artifact: Option<&str>) -> Flow {
    Flow::new(from, to, artifact.map(String::from))
}

/// A small map with one flow of every verdict, a dangling flow, a step of two activities,
/// improvements with and without an owner, missing times, and labels that need escaping.
fn verdicts_map() -> Map {
    let mut map = Map::new("Every verdict");
    map.notes = "Hand-made for the export tests.\nOne flow of each verdict.".into();
    let desk = Step {
        process_minutes: Some(5),
        complete_accurate_percent: Some(90),
        practices: thin_vec::thin_vec!["Service desk".into()],
        improvements: thin_vec::thin_vec![Improvement {
            text: "Route by skill".into(),
            owner: Some("Sam".into()),
        }],
        ..step(
            "desk",
            Activity::Engage,
            "Desk \"triage\", first line",
            1,
            0,
        )
    };
    let fix = Step {
        also: thin_vec::thin_vec![Activity::Improve],
        wait_minutes: Some(30),
        ..step("fix", Activity::DeliverAndSupport, "Fix | restore", 2, 0)
    };
    let second = Step {
        process_minutes: Some(90),
        wait_minutes: Some(2880),
        complete_accurate_percent: Some(80),
        ..step("second", Activity::DeliverAndSupport, "Second line", 3, 0)
    };
    map.steps = vec![
        step("demand", Activity::Demand, "Customer asks", 0, 0),
        desk,
        fix,
        second,
        step("build", Activity::ObtainOrBuild, "Build a patch", 2, 1),
        step("value", Activity::Value, "Service restored", 4, 0),
    ];
    let handoff = Flow {
        improvements: thin_vec::thin_vec![Improvement {
            text: "Pair on hard cases".into(),
            owner: None,
        }],
        ..flow("fix", "second", None)
    };
    map.flows = vec![
        flow(
            "demand",
            "desk",
            Some("Incidents, service requests, and feedback"),
        ),
        flow("desk", "fix", Some("User support tasks")),
        handoff,
        flow("second", "value", Some("Services delivered")),
        flow("desk", "build", Some("Change requests")),
        flow("build", "second", Some("Patch")),
        flow("second", "ghost", Some("User support tasks")),
    ];
    map
}

/// Labels, ids, artifacts and notes that try to break out of every format.
fn hostile_map() -> Map {
    const NASTY: &str = "a \"quoted\" <script>alert('x')</script> & #quot; `tick` |pipe| \\N back\\ \u{1b}[31mred\u{0}\u{7} \u{202e}bidi\u{200b} line\nbreak\r\ttab ]]> -- 🙂 漢";
    let mut map = Map::new(NASTY);
    map.notes = format!("# heading?\n{NASTY}\n1. list?");
    let mut a = step("end", Activity::Demand, NASTY, 0, 0);
    a.practices = thin_vec::thin_vec![NASTY.into()];
    a.improvements = thin_vec::thin_vec![Improvement {
        text: NASTY.into(),
        owner: Some(NASTY.into()),
    }];
    let b = Step {
        process_minutes: Some(u32::MAX),
        wait_minutes: Some(u32::MAX),
        complete_accurate_percent: Some(255),
        ..step("x\"y;z-->w", Activity::Engage, NASTY, 1, 0)
    };
    let c = step("x\"y;z-->w", Activity::Value, "duplicate id", 2, 0);
    map.steps = vec![a, b, c];
    map.flows = vec![
        flow("end", "x\"y;z-->w", Some(NASTY)),
        flow("x\"y;z-->w", "end", None),
        flow(NASTY, "end", Some(NASTY)),
    ];
    map
}

/// Maps that must not panic: empty, dangling, duplicated, self-looping and far apart.
fn edge_maps() -> Vec<Map> {
    let mut far = Map::new("far");
    far.steps = vec![
        step("d", Activity::Demand, "origin", 0, 0),
        step("v", Activity::Value, "far corner", 65535, 65535),
        step("e", Activity::Engage, "far right", 65535, 0),
        step("s", Activity::Engage, "same cell", 0, 0),
    ];
    far.flows = vec![
        flow("d", "v", None),
        flow("d", "e", None),
        flow("e", "e", None),
        flow("s", "d", None),
    ];
    let mut dangling = Map::new("dangling");
    dangling.flows = vec![flow("a", "b", Some("User support tasks"))];
    vec![Map::new(""), dangling, far]
}

fn all_maps() -> Vec<(String, Map)> {
    let mut maps: Vec<(String, Map)> = sample_names()
        .into_iter()
        .map(|n| {
            let map = sample(&n);
            (n, map)
        })
        .collect();
    maps.push(("verdicts".into(), verdicts_map()));
    maps.push(("hostile".into(), hostile_map()));
    for (k, map) in edge_maps().into_iter().enumerate() {
        maps.push((format!("edge case {k}"), map));
    }
    maps
}

// ---- Golden files -------------------------------------------------------------------

#[test]
fn incident_management_matches_its_golden_files() {
    let map = sample("incident-management");
    for (format, ext) in FORMATS {
        golden(&format!("incident-management.{ext}"), &run(format, &map));
    }
}

#[test]
fn the_verdicts_map_matches_its_golden_files() {
    let map = verdicts_map();
    for (format, ext) in FORMATS {
        golden(&format!("verdicts.{ext}"), &run(format, &map));
    }
}

#[test]
fn the_command_writes_what_the_library_exports() {
    let file = format!(
        "{}/sample-maps/incident-management.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let dir = support::scratch();
    let out = dir.path().join("export.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(["export", &file, "--to", "csv", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, run(Format::Csv, &sample("incident-management")));
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(["export", &file, "--to", "mermaid"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mermaid = run(Format::Mermaid, &sample("incident-management"));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), mermaid);
}

// ---- Every format, every map ----------------------------------------------------------

#[test]
fn exports_are_deterministic_and_clean_text() {
    for (name, map) in all_maps() {
        for (format, _) in FORMATS {
            let first = export_only(format, &map);
            assert_eq!(
                first,
                export_only(format, &map.clone()),
                "{name} {format:?}"
            );
            assert!(first.ends_with('\n'), "{name} {format:?}");
            let bad = first
                .chars()
                .find(|&c| c != '\n' && c != '\t' && vsmap::text::is_invisible(c));
            assert_eq!(bad, None, "{name} {format:?} has a control character");
        }
    }
}

// ---- DOT ----------------------------------------------------------------------------

/// Runs Graphviz on a DOT text and returns its complaints, if any.
fn graphviz(text: &str) -> Result<(), String> {
    let mut child = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!("cannot run Graphviz `dot` ({e}); install it: apt-get install graphviz"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() && !stderr.contains("rror") {
        Ok(())
    } else {
        Err(stderr)
    }
}

#[test]
fn graphviz_reads_every_dot_export() {
    for (name, map) in all_maps() {
        let text = export_only(Format::Dot, &map);
        if let Err(e) = graphviz(&text) {
            panic!("dot rejects the export of {name}: {e}\n{text}");
        }
    }
}

#[test]
fn dot_shapes_the_ends_and_styles_handoffs() {
    let text = export_only(Format::Dot, &verdicts_map());
    assert!(text.starts_with("digraph vsmap {\n"));
    assert!(text.contains("rankdir=LR"));
    assert!(text.contains("s_demand [label=\"DEM\\nCustomer asks\", fillcolor=\"#eceff1\", color=\"#455a64\", group=row0, shape=oval];"));
    assert!(text.contains("s_value [label=\"VAL\\nService restored\", fillcolor=\"#eceff1\", color=\"#455a64\", group=row0, shape=doubleoctagon];"));
    // Long labels wrap; the times are on the step.
    assert!(text.contains(
        "s_desk [label=\"ENG\\nDesk \\\"triage\\\", first\\nline\\nPT 5m · WT ? · CA 90%\""
    ));
    assert!(text.contains("s_fix -> s_second [label=\"↔\", color=\"#00838f\""));
    assert!(text.contains("style=dashed"));
    assert!(text.contains("// flow 7 from \"second\" to \"ghost\" left out"));
}

// ---- SVG ----------------------------------------------------------------------------

/// How many of the map's flows the router finds a route for, as the export routes them.
fn routed_flows(map: &Map) -> usize {
    let geometry = Geometry::new(map, vsmap::view::boxes::Zoom::Detail);
    let boxes: Vec<route::Rect> = map.steps.iter().map(|s| geometry.box_rect(s.at)).collect();
    let index = |id: &str| map.steps.iter().position(|s| s.id == id);
    let requests: Vec<(usize, usize)> = map
        .flows
        .iter()
        .map(|f| match (index(&f.from), index(&f.to)) {
            (Some(a), Some(b)) => (a, b),
            _ => (usize::MAX, usize::MAX),
        })
        .collect();
    route::route_all(&boxes, &requests)
        .iter()
        .filter(|r| r.is_some())
        .count()
}

/// Every piece of text in the picture, tooltips included, one per element.
fn svg_texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| matches!(n.tag_name().name(), "text" | "title"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn svg_is_xml_with_every_step_and_one_line_per_routed_flow() {
    for (name, map) in all_maps() {
        let text = export_only(Format::Svg, &map);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{name}: the SVG is not XML: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{name}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let first = root.first_element_child().unwrap();
        assert_eq!(first.tag_name().name(), "title", "{name}");
        let texts = svg_texts(&doc);
        for step in &map.steps {
            let label = clean(&step.label);
            assert!(
                texts.iter().any(|t| t.contains(&label)),
                "{name}: no text shows {label:?}"
            );
        }
        let polylines = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "polyline")
            .count();
        assert_eq!(polylines, routed_flows(&map), "{name}");
        let external = doc.descendants().any(|n| {
            n.attributes()
                .any(|a| a.name() == "href" || a.value().contains("http:") && a.name() != "xmlns")
        });
        assert!(!external, "{name}: the SVG refers to something outside it");
        assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"));
    }
}

/// A label as the pictures show it: on one line, without control or invisible characters.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if vsmap::text::is_invisible(c) => None,
            c => Some(c),
        })
        .collect()
}

// ---- Mermaid ------------------------------------------------------------------------

fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The inside of a Mermaid `"..."` string: no quote, no control character, and every `#`
/// starts an entity code (`#quot;`, `#35;`).
fn check_mermaid_string(text: &str) -> Result<(), String> {
    if text.contains('"') || text.chars().any(char::is_control) {
        return Err(format!("unescaped text {text:?}"));
    }
    for (at, _) in text.match_indices('#') {
        let rest = &text[at + 1..];
        let end = rest.find(';').ok_or(format!("bare # in {text:?}"))?;
        let code = &rest[..end];
        let numeric = !code.is_empty() && code.chars().all(|c| c.is_ascii_digit());
        let named = !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase());
        if !numeric && !named {
            return Err(format!("bad entity #{code}; in {text:?}"));
        }
    }
    Ok(())
}

/// `"text"` followed by `close`, returning what comes after it.
fn quoted<'a>(text: &'a str, close: &str) -> Result<&'a str, String> {
    let inner = text
        .strip_prefix('"')
        .ok_or(format!("no opening quote in {text:?}"))?;
    let end = inner
        .find('"')
        .ok_or(format!("no closing quote in {text:?}"))?;
    check_mermaid_string(&inner[..end])?;
    inner[end + 1..]
        .strip_prefix(close)
        .ok_or(format!("{close:?} missing after the string in {text:?}"))
}

/// `name` then `key:value` pairs joined by commas, as classDef and linkStyle take them.
fn check_styles(styles: &str) -> Result<(), String> {
    for pair in styles.split(',') {
        let (key, value) = pair
            .split_once(':')
            .ok_or(format!("style {pair:?} is not key:value"))?;
        let key_ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        let value_ok = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '#' || c == '.');
        if !key_ok || !value_ok {
            return Err(format!("bad style {pair:?}"));
        }
    }
    Ok(())
}

#[derive(Default)]
struct Flowchart {
    nodes: HashSet<String>,
    edges: usize,
    classes: HashSet<String>,
    styled_links: Vec<usize>,
}

impl Flowchart {
    fn line(&mut self, line: &str) -> Result<(), String> {
        if let Some(comment) = line.strip_prefix("%%") {
            return match comment.starts_with('{') {
                true => Err("a directive, not a comment".into()),
                false => Ok(()),
            };
        }
        if let Some(rest) = line.strip_prefix("classDef ") {
            let (name, styles) = rest.split_once(' ').ok_or("classDef without styles")?;
            if !is_name(name) {
                return Err(format!("bad class name {name:?}"));
            }
            self.classes.insert(name.to_string());
            return check_styles(styles);
        }
        if let Some(rest) = line.strip_prefix("class ") {
            let (ids, class) = rest.split_once(' ').ok_or("class without a class name")?;
            let known = ids.split(',').all(|id| self.nodes.contains(id));
            return match known && self.classes.contains(class) {
                true => Ok(()),
                false => Err(format!("class names unknown nodes or class: {line:?}")),
            };
        }
        if let Some(rest) = line.strip_prefix("linkStyle ") {
            let (index, styles) = rest.split_once(' ').ok_or("linkStyle without styles")?;
            let index: usize = index.parse().map_err(|_| "linkStyle index")?;
            self.styled_links.push(index);
            return check_styles(styles);
        }
        self.node_or_edge(line)
    }

    fn node_or_edge(&mut self, line: &str) -> Result<(), String> {
        let id_end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .ok_or(format!("not a statement: {line:?}"))?;
        let (id, rest) = line.split_at(id_end);
        if !is_name(id) || id == "end" {
            return Err(format!("bad node id {id:?}"));
        }
        if let Some(label) = rest.strip_prefix("([") {
            return self.declare(id, quoted(label, "])")?);
        }
        if let Some(label) = rest.strip_prefix('[') {
            return self.declare(id, quoted(label, "]")?);
        }
        let arrow = rest
            .strip_prefix(" -->|")
            .or_else(|| rest.strip_prefix(" -.->|"))
            .ok_or(format!("not a node or an edge: {line:?}"))?;
        let target = quoted(arrow, "| ")?;
        if !self.nodes.contains(id) || !self.nodes.contains(target) {
            return Err(format!("edge between undeclared nodes: {line:?}"));
        }
        self.edges += 1;
        Ok(())
    }

    fn declare(&mut self, id: &str, after: &str) -> Result<(), String> {
        if !after.is_empty() {
            return Err(format!("text after the node {id}: {after:?}"));
        }
        if !self.nodes.insert(id.to_string()) {
            return Err(format!("node {id} declared twice"));
        }
        Ok(())
    }
}

/// Checks a flowchart line by line; returns the number of edges.
fn check_flowchart(text: &str) -> Result<usize, String> {
    let mut lines = text.lines().peekable();
    // Front matter: the title, as one YAML string with no `%`, `{` or `}` left raw.
    if lines.peek() == Some(&"---") {
        lines.next();
        let title = lines.next().unwrap_or_default();
        let ok = title
            .strip_prefix("title: \"")
            .and_then(|t| t.strip_suffix('"'))
            .is_some_and(|t| !t.contains(['%', '{', '}']));
        if !ok || lines.next() != Some("---") {
            return Err(format!("front matter is not one title: {title:?}"));
        }
    }
    if lines.next() != Some("flowchart TB") {
        return Err("the first line is not `flowchart TB`".into());
    }
    let mut chart = Flowchart::default();
    for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
        chart.line(line)?;
    }
    let expected: Vec<usize> = (0..chart.edges).collect();
    if chart.styled_links != expected {
        return Err(format!(
            "linkStyle indices {:?} for {} edges",
            chart.styled_links, chart.edges
        ));
    }
    Ok(chart.edges)
}

#[test]
fn mermaid_follows_the_flowchart_grammar() {
    for (name, map) in all_maps() {
        let text = export_only(Format::Mermaid, &map);
        match check_flowchart(&text) {
            Ok(edges) => assert!(edges <= map.flows.len(), "{name}"),
            Err(e) => panic!("{name}: {e}\n{text}"),
        }
    }
}

#[test]
fn the_mermaid_checker_rejects_broken_flowcharts() {
    let good = "flowchart TB\n    s_a[\"A\"]\n    s_b([\"B\"])\n    s_a -->|\"✔ x\"| s_b\n    linkStyle 0 stroke:#2e7d32\n";
    assert_eq!(check_flowchart(good), Ok(1));
    for bad in [
        "graph LR\n",
        "flowchart TB\n    s_a[\"say \"hi\"\"]\n",
        "flowchart TB\n    s_a[\"A\"]\n    s_a --> s_b\n",
        "flowchart TB\n    s_a[\"A\"]\n    s_a -->|\"x\"| s_b\n",
        "flowchart TB\n    end[\"A\"]\n",
        "flowchart TB\n    s_a[\"#1\"]\n",
        "flowchart TB\n    %%{init: {}}%%\n",
        "flowchart TB\n    s_a[\"A\"]\n    s_b[\"B\"]\n    s_a -->|\"x\"| s_b\n",
        "flowchart TB\n    s_a[\"A\"] extra\n",
    ] {
        assert!(check_flowchart(bad).is_err(), "accepted {bad:?}");
    }
}

#[test]
fn mermaid_leaves_out_dangling_flows_with_a_comment() {
    let text = export_only(Format::Mermaid, &verdicts_map());
    assert!(text.contains(
        "    %% flow 7 from \"second\" to \"ghost\" left out: it names a step that is not in the map\n"
    ));
    assert!(text.contains("    s_demand([\"DEM<br>Customer asks\"])\n"));
    assert!(text.contains("    s_fix -.->|\"↔\"| s_second\n"));
    assert!(text.contains("    s_desk -->|\"✔ User support tasks\"| s_fix\n"));
    assert!(text.contains("    s_build -->|\"✖ Patch\"| s_second\n"));
}

#[test]
fn mermaid_shows_the_title_and_colours_steps_by_activity_not_by_verdict() {
    let text = export_only(Format::Mermaid, &sample("incident-management"));
    assert!(text.starts_with("---\ntitle: \"Incident management\"\n---\nflowchart TB\n"));
    // "Employee productive again" has an off-chain link out of it, and is still a Value step.
    assert!(text.contains("    classDef Value fill:#eceff1,stroke:#455a64,"));
    assert!(text.contains("    class s_value,s_future Value\n"));
    assert!(text.contains("    class s_log,s_confirm,s_survey Engage\n"));
    // The links still show their verdicts: the one out of s_value is red.
    assert!(text.contains("    s_value -->|\"✖ (no artifact)\"| s_survey\n"));
    assert!(text.contains("    linkStyle 6 stroke:#c62828,"));
    // Long labels wrap; the times are on the step.
    assert!(text.contains(
        "    s_improve[\"IMP<br>Improve from CSAT<br>feedback<br>PT 2h · WT 1w1d · CA 80#37;\"]\n"
    ));
}

#[test]
fn the_real_mermaid_parser_reads_every_flowchart() {
    let Some(dir) = support::mermaid::available() else {
        return;
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    for (name, map) in all_maps() {
        texts.push((name.clone(), export_only(Format::Mermaid, &map)));
        let report = run(Format::Markdown, &map);
        if let Some(block) = mermaid_block(&report) {
            texts.push((format!("{name} (in the report)"), block.to_string()));
        }
    }
    let answers = parse_mermaid_texts(&dir, texts.iter().map(|(_, t)| t.as_str()));
    assert_eq!(answers.len(), texts.len());
    for ((name, text), answer) in texts.iter().zip(answers) {
        assert_eq!(
            answer["ok"], true,
            "{name}: Mermaid rejects it: {answer}\n{text}"
        );
        assert_eq!(answer["type"], "flowchart-v2", "{name}");
        assert_eq!(
            answer["config"],
            serde_json::json!({}),
            "{name}: no setting is changed"
        );
    }
}

/// The probe's answers for many texts at once: node and Mermaid take seconds to start.
fn parse_mermaid_texts<'a>(
    dir: &Path,
    texts: impl Iterator<Item = &'a str>,
) -> Vec<serde_json::Value> {
    let texts: Vec<&str> = texts.collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/mermaid_probe.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .env("MERMAID_DIR", dir)
        .env("MERMAID_MANY", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_vec(&texts).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    let answers: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the probe answered {e}: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    answers.as_array().unwrap().clone()
}

/// The text of the report's ```mermaid block, if it has one.
fn mermaid_block(report: &str) -> Option<&str> {
    let start = report.find("```mermaid\n")? + "```mermaid\n".len();
    let end = report[start..].find("\n```\n")? + start + 1;
    Some(&report[start..end])
}

// ---- CSV ----------------------------------------------------------------------------

/// A strict RFC 4180 reader: rows end in `\n`, quoted fields double their quotes.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, '"') => panic!("a quote inside an unquoted field"),
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => panic!("CSV lines end in \\n"),
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field");
    assert!(
        field.is_empty() && row.is_empty(),
        "the last row has no line end"
    );
    rows
}

/// The rows of a CSV text as a spreadsheet reads it, by the `csv` crate: strict, every row
/// as long as the header.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The value of `column` in each row after the header.
fn column<'a>(rows: &'a [Vec<String>], column: &str) -> Vec<&'a str> {
    let at = rows[0].iter().position(|h| h == column).unwrap();
    rows[1..].iter().map(|r| r[at].as_str()).collect()
}

#[test]
fn csv_has_a_header_a_row_per_step_and_per_flow_and_round_trips_labels() {
    for (name, map) in all_maps() {
        let text = export_only(Format::Csv, &map);
        let rows = read_csv(&text);
        assert_eq!(rows, parse_csv(&text), "{name}: the two readers agree");
        assert_eq!(rows.len(), map.steps.len() + map.flows.len() + 1, "{name}");
        assert_eq!(rows[0][0], "kind");
        let kinds = column(&rows, "kind");
        let labels = column(&rows, "label");
        let (from, to) = (column(&rows, "from"), column(&rows, "to"));
        for (k, step) in map.steps.iter().enumerate() {
            assert_eq!(kinds[k], "step");
            assert_eq!(labels[k], keep_lines(&step.label), "{name}");
        }
        for (k, flow) in map.flows.iter().enumerate() {
            let k = k + map.steps.len();
            assert_eq!(kinds[k], "flow");
            assert_eq!(
                (from[k], to[k]),
                (
                    keep_lines(&flow.from).as_str(),
                    keep_lines(&flow.to).as_str()
                )
            );
        }
        let steps = parse_csv(&export_only(Format::CsvSteps, &map));
        assert_eq!(steps.len(), map.steps.len() + 1, "{name}");
        assert_eq!(steps[0][0], "id");
        let flows = parse_csv(&export_only(Format::CsvFlows, &map));
        assert_eq!(flows.len(), map.flows.len() + 1, "{name}");
        assert_eq!(flows[0][0], "from");
    }
    let rows = read_csv(&export_only(Format::Csv, &verdicts_map()));
    assert_eq!(column(&rows, "label")[1], "Desk \"triage\", first line");
    assert_eq!(
        column(&rows, "wait_minutes")[1],
        "",
        "a missing wait is an empty cell, not 0"
    );
}

#[test]
fn csv_steps_read_as_people_write_them() {
    let map = verdicts_map();
    let rows = parse_csv(&export_only(Format::CsvSteps, &map));
    assert_eq!(
        rows[0],
        [
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
            "findings"
        ]
    );
    assert_eq!(
        column(&rows, "activity"),
        [
            "Demand",
            "Engage",
            "Deliver and Support",
            "Deliver and Support",
            "Obtain or Build",
            "Value"
        ]
    );
    assert_eq!(column(&rows, "also")[2], "Improve");
    assert_eq!(column(&rows, "practices")[1], "Service desk");
    assert_eq!(column(&rows, "improvements")[1], "Route by skill (Sam)");
    assert_eq!(column(&rows, "process_minutes")[3], "90");
}

#[test]
fn csv_flows_carry_the_checkers_verdict_and_finding_codes() {
    let map = sample("incident-management");
    let report = vsmap::check::check(&Chain::builtin(), &map);
    let rows = parse_csv(&export_only(Format::CsvFlows, &map));
    let verdicts = column(&rows, "verdict");
    let findings = column(&rows, "findings");
    for (k, verdict) in report.verdicts.iter().enumerate() {
        assert_eq!(verdicts[k], verdict.as_str());
    }
    // The link out of "Employee productive again" is off-chain because of `after-value`.
    let out_of_value = column(&rows, "from")
        .iter()
        .position(|&f| f == "value")
        .unwrap();
    assert_eq!(
        column(&rows, "from_label")[out_of_value],
        "Employee productive again"
    );
    assert_eq!(verdicts[out_of_value], "off-chain");
    assert_eq!(findings[out_of_value], "after-value");
    // A link into Demand runs against the stream: the checker says `end-direction`.
    let mut backwards = verdicts_map();
    backwards.flows = vec![flow("desk", "demand", Some("User support tasks"))];
    let rows = parse_csv(&export_only(Format::CsvFlows, &backwards));
    assert_eq!(column(&rows, "verdict"), ["off-chain"]);
    assert_eq!(column(&rows, "findings"), ["end-direction"]);
    // A note with a comma, a quote and a line break survives the round trip.
    let mut noted = verdicts_map();
    noted.flows[0].notes = "Said \"soon\", twice\nthen left".into();
    let rows = parse_csv(&export_only(Format::CsvFlows, &noted));
    assert_eq!(column(&rows, "notes")[0], "Said \"soon\", twice\nthen left");
    assert_eq!(column(&rows, "improvements")[2], "Pair on hard cases");
}

/// Text as CSV keeps it: line breaks and tabs are data, other controls are dropped.
fn keep_lines(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !vsmap::text::is_invisible(c))
        .collect()
}

// ---- Markdown -----------------------------------------------------------------------

/// Splits a table row on the `|` that are not escaped.
fn cells(row: &str) -> usize {
    let mut count: usize = 0;
    let mut escaped = false;
    for c in row.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '|') => count += 1,
            _ => escaped = false,
        }
    }
    count.saturating_sub(1)
}

#[test]
fn markdown_escapes_user_text_outside_the_drawn_map() {
    for (name, map) in all_maps() {
        let text = export_only(Format::Markdown, &map);
        let report = written_part(&text);
        let mut columns = 0;
        for line in report.lines() {
            if line.starts_with("| ") {
                if line.starts_with("| ---") || columns == 0 {
                    columns = columns.max(cells(line));
                }
                assert_eq!(cells(line), columns, "{name}: {line}");
            } else {
                columns = 0;
            }
            let raw_tag = line
                .match_indices('<')
                .any(|(at, _)| at == 0 || !line[..at].ends_with('\\'));
            assert!(!raw_tag, "{name}: unescaped < in {line:?}");
        }
    }
}

/// The report without its drawings (the flowchart and the map as text), which have their
/// own escaping.
fn written_part(report: &str) -> String {
    let report = report.split("\n## Map\n").next().unwrap();
    match report.split_once("## Flowchart\n") {
        Some((before, after)) => {
            let after = after.split_once("\n```\n").map_or("", |(_, rest)| rest);
            format!("{before}{after}")
        }
        None => report.to_string(),
    }
}

#[test]
fn markdown_names_connections_by_label_and_draws_the_flowchart() {
    let map = sample("incident-management");
    let text = run(Format::Markdown, &map);
    assert!(text.contains("| Employee productive again | CSAT survey sent | — | ✖ off-chain |"));
    let block = mermaid_block(&text).expect("a mermaid block");
    assert_eq!(block, export_only(Format::Mermaid, &map));
    let dangling = export_only(Format::Markdown, &verdicts_map());
    assert!(dangling.contains("| Second line | ghost (not in the map) | User support tasks |"));
}

#[test]
fn markdown_finds_the_bottleneck_on_the_path_it_reports() {
    // The longest wait of incident management (1w1d, "Improve from CSAT feedback") is not on
    // the path from Demand to "Employee productive again".
    let text = run(Format::Markdown, &sample("incident-management"));
    assert!(
        text.contains("| Bottleneck on the path | Investigated and resolved (resolve), wait 45m |"),
        "{text}"
    );
    assert!(text.contains(
        "| Longest wait off the path | Improve from CSAT feedback (improve), wait 1w1d |"
    ));
    let onboard = run(Format::Markdown, &sample("onboard-new-employee"));
    assert!(
        onboard.contains(
            "| Bottleneck on the path | Kit and access handed over (handover), wait 3d |"
        )
    );
    assert!(!onboard.contains("off the path"));
}

#[test]
fn the_reports_text_map_fits_in_100_columns() {
    for name in sample_names() {
        let text = run(Format::Markdown, &sample(&name));
        let map = text.split("\n## Map\n").nth(1).unwrap();
        for line in map.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(width <= 100, "{name}: {width} columns: {line}");
        }
    }
}

#[test]
fn markdown_never_shows_a_missing_number_as_zero() {
    let text = export_only(Format::Markdown, &verdicts_map());
    assert!(text.contains("| Lead time | missing (2 steps without a process or wait time) |"));
    assert!(text.contains("| Rolled %C/A | missing (1 step without %C/A) |"));
    assert!(!text.contains("| 0m |"));
    let empty = export_only(Format::Markdown, &Map::new("Empty"));
    assert!(empty.contains("| Lead time | missing (no path from Demand to Value) |"));
}

#[test]
fn hostile_labels_stay_harmless_with_the_real_drawn_map() {
    let text = run(Format::Markdown, &hostile_map());
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && vsmap::text::is_invisible(c))
    );
    let report = written_part(&text);
    assert!(!report.replace("\\<", "").contains('<'));
    assert!(report.contains("\\<script>alert('x')\\</script>"));
}

#[test]
fn the_svg_is_the_picture_for_the_report() {
    for name in sample_names() {
        let map = sample(&name);
        let text = export_only(Format::Svg, &map);
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert!(
            doc.root_element().attribute("viewBox").is_some(),
            "{name}: a viewBox lets the picture scale to the page"
        );
        let shown: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(|n| n.text().unwrap_or("").to_string())
            .collect();
        let all = svg_texts(&doc);
        for flow in &map.flows {
            if let Some(artifact) = &flow.artifact {
                assert!(
                    shown.iter().any(|t| t.contains(&clean(artifact))),
                    "{name}: {artifact:?} is not written out in full"
                );
            }
        }
        for step in &map.steps {
            assert!(
                all.iter().any(|t| t.contains(&clean(&step.label))),
                "{name}: the full label of {}",
                step.id
            );
            // Every word of the label is visible in the box, not only in a tooltip.
            for word in step.label.split_whitespace() {
                assert!(
                    shown.iter().any(|t| t.contains(word)),
                    "{name}: {word:?} of {}",
                    step.id
                );
            }
        }
        assert!(
            shown.iter().any(|t| t.contains("Timeline")),
            "{name}: the ladder"
        );
        assert!(
            shown.iter().any(|t| t.starts_with("Key: ")),
            "{name}: the key"
        );
        if map
            .steps
            .iter()
            .any(|s| s.complete_accurate_percent.is_some())
        {
            assert!(
                shown.iter().any(|t| t.starts_with("CA ")),
                "{name}: data boxes"
            );
        }
    }
}

// ---- DOT layout -----------------------------------------------------------------------

/// Where Graphviz puts each step: node name -> (x, y) in inches, y growing upwards.
fn graphviz_positions(text: &str) -> std::collections::HashMap<String, (f64, f64)> {
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            (words.next()? == "node").then_some(())?;
            let name = words.next()?.to_string();
            let x = words.next()?.parse().ok()?;
            let y = words.next()?.parse().ok()?;
            Some((name, (x, y)))
        })
        .collect()
}

#[test]
fn graphviz_lays_out_the_maps_grid() {
    for name in sample_names() {
        let map = sample(&name);
        let at = graphviz_positions(&export_only(Format::Dot, &map));
        let place = |k: usize| {
            at[&format!(
                "s_{}",
                map.steps[k]
                    .id
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )]
        };
        for a in 0..map.steps.len() {
            for b in 0..map.steps.len() {
                let (ca, cb) = (map.steps[a].at, map.steps[b].at);
                let ((xa, ya), (xb, yb)) = (place(a), place(b));
                if ca.col < cb.col {
                    assert!(
                        xa < xb,
                        "{name}: column of {} and {}",
                        map.steps[a].id,
                        map.steps[b].id
                    );
                }
                if ca.col == cb.col {
                    assert!((xa - xb).abs() < 0.01, "{name}: one column");
                    if ca.row < cb.row {
                        assert!(
                            ya > yb,
                            "{name}: {} above {}",
                            map.steps[a].id,
                            map.steps[b].id
                        );
                    }
                }
            }
        }
    }
}

// ---- PNG ------------------------------------------------------------------------------

#[test]
fn png_is_the_svg_drawn_as_an_image() {
    let map = sample("incident-management");
    let bytes = export_bytes(Format::Png, &Chain::builtin(), &map);
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    // Twice the SVG's size, so text stays sharp when zoomed.
    let svg = export_only(Format::Svg, &map);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let width: u32 = doc
        .root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap();
    let height: u32 = doc
        .root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!((frame.width, frame.height), (width * 2, height * 2));
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    let rgba: Vec<&[u8]> = pixels[..frame.buffer_size()].chunks(4).collect();
    let count = |r: u8, g: u8, b: u8| {
        rgba.iter()
            .filter(|p| p[0].abs_diff(r) < 8 && p[1].abs_diff(g) < 8 && p[2].abs_diff(b) < 8)
            .count()
    };
    assert!(
        count(0x2e, 0x7d, 0x32) > 100,
        "green canonical links are drawn"
    );
    assert!(
        count(0xc6, 0x28, 0x28) > 100,
        "red off-chain links are drawn"
    );
    assert!(count(0x37, 0x47, 0x4f) > 1000, "box outlines are drawn");
    assert!(count(0x26, 0x32, 0x38) > 1000, "text is drawn");
}

#[test]
fn png_of_far_apart_steps_and_hostile_text_stays_a_sensible_size() {
    for map in edge_maps().into_iter().chain([hostile_map()]) {
        let bytes = export_bytes(Format::Png, &Chain::builtin(), &map);
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let info = decoder.read_info().expect("a PNG");
        let (w, h) = info.info().size();
        assert!(w >= 1 && h >= 1 && w <= 8192 && h <= 8192, "{w}x{h}");
        assert!(u64::from(w) * u64::from(h) <= 4096 * 4096 + 8192, "{w}x{h}");
    }
}

#[test]
fn the_command_writes_png_and_csv_files() {
    let file = format!(
        "{}/sample-maps/onboard-new-employee.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let dir = support::scratch();
    for (to, name) in [
        ("png", "map.png"),
        ("csv-steps", "steps.csv"),
        ("csv-flows", "flows.csv"),
    ] {
        let out = dir.path().join(name);
        let status = Command::new(env!("CARGO_BIN_EXE_vsmap"))
            .args(["export", &file, "--to", to, "-o"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success(), "{to}");
        let format = <Format as clap::ValueEnum>::from_str(to, false).unwrap();
        let written = std::fs::read(&out).unwrap();
        assert_eq!(
            written,
            export_bytes(format, &Chain::builtin(), &sample("onboard-new-employee")),
            "{to}"
        );
    }
    assert!(
        std::fs::read(dir.path().join("map.png"))
            .unwrap()
            .starts_with(b"\x89PNG\r\n")
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 3, "no temporary file is left behind");
    // Through a link, keeping the old file's permissions; never over a directory.
    use std::os::unix::fs::PermissionsExt;
    let real = dir.path().join("real.png");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.png");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let export_png = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_vsmap"))
            .args(["export", &file, "--to", "png", "-o"])
            .arg(out)
            .output()
            .unwrap()
    };
    assert!(export_png(&link).status.success());
    assert!(std::fs::read(&real).unwrap().starts_with(b"\x89PNG"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let output = export_png(dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
}
