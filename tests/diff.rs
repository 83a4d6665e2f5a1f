//! `vsmap diff`: what changed between two maps, as text, as JSON and as an exit status.

use std::process::Command;
use vsmap::chain::Chain;
use vsmap::check::Verdict;
use vsmap::model::map::Map;
use vsmap::output::diff::{Diff, FieldValue, diff};

fn sample_path(name: &str) -> String {
    format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> Map {
    let path = sample_path(name);
    Map::from_text(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn vsmap(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn a_map_against_itself_has_no_changes_and_exits_0() {
    let map = sample("incident-management");
    let d = diff(&Chain::builtin(), &map, &map);
    assert!(d.is_empty());
    assert_eq!(
        d,
        Diff {
            metrics: d.metrics.clone(),
            day_minutes: d.day_minutes,
            names: d.names.clone(),
            ..Diff::default()
        }
    );
    assert_eq!(
        d.text("a.ron", "b.ron"),
        "No changes between a.ron and b.ron\n"
    );

    let path = sample_path("incident-management");
    let (status, out, err) = vsmap(&["diff", &path, &path]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, format!("No changes between {path} and {path}\n"));

    let (status, out, _) = vsmap(&["diff", "--format", "json", &path, &path]);
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["identical"], true);
    assert_eq!(json["steps_changed"], serde_json::json!([]));
    assert_eq!(json["metrics"]["lead_minutes"]["delta"], 0);
}

#[test]
fn the_future_state_of_incident_management_against_the_current_state() {
    let chain = Chain::builtin();
    let (old, new) = (
        sample("incident-management"),
        sample("incident-management-future"),
    );
    let d = diff(&chain, &old, &new);
    assert!(!d.is_empty());

    let ids = |items: &[vsmap::output::diff::StepItem]| -> Vec<String> {
        items.iter().map(|s| s.step.id.to_string()).collect()
    };
    assert_eq!(ids(&d.steps_added), ["kb"]);
    assert_eq!(ids(&d.steps_removed), ["route"]);
    let changed: Vec<&str> = d.steps_changed.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        changed,
        ["log", "resolve", "learn", "confirm", "survey", "improve"]
    );
    let resolve = &d.steps_changed[1];
    let wait = resolve
        .changes
        .iter()
        .find(|c| c.field == "wait_minutes")
        .unwrap();
    assert_eq!(
        (&wait.old, &wait.new),
        (
            &FieldValue::Minutes(Some(45)),
            &FieldValue::Minutes(Some(15))
        )
    );

    let pairs = |items: &[vsmap::output::diff::FlowItem]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|f| (f.flow.from.to_string(), f.flow.to.to_string()))
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        pairs(&d.flows_added),
        [
            pair("log", "resolve"),
            pair("kb", "resolve"),
            pair("learn", "kb")
        ]
    );
    assert_eq!(
        pairs(&d.flows_removed),
        [pair("log", "route"), pair("route", "resolve")]
    );
    assert!(
        d.flows_added
            .iter()
            .all(|f| f.verdict == Some(Verdict::Canonical))
    );
    // The flows both states share keep their verdicts, and the seed breaks stay.
    assert_eq!(d.flows_changed.len(), 0);
    assert_eq!(d.verdicts_changed, []);
    assert_eq!(d.findings_added, []);
    assert_eq!(d.findings_removed, []);

    // Lead time along Demand -> log -> (route ->) resolve -> learn -> confirm -> Value (the path
    // ends at the first Value), process plus the queue in front of each step:
    // current 15 + 35 + 105 + 35 + 15 = 205, future 3 + 55 + 25 + 10 = 93.
    assert_eq!(d.metrics.lead.old, Some(205));
    assert_eq!(d.metrics.lead.new, Some(93));
    assert_eq!(d.metrics.lead.delta(), Some(-112));
    for (map, lead) in [(&old, 205), (&new, 93)] {
        assert_eq!(vsmap::metrics::metrics(map).lead.complete(), Some(lead));
    }
    // Process 5 + 5 + 60 + 20 + 5 = 95 of 205 (46.3%), then 3 + 40 + 20 + 5 = 68 of 93 (73.1%).
    assert_eq!(d.metrics.process.old, Some(95));
    assert_eq!(d.metrics.process.new, Some(68));
    assert_eq!(d.metrics.flow_efficiency.old, Some(46.3));
    assert_eq!(d.metrics.flow_efficiency.new, Some(73.1));
    assert_eq!(d.metrics.flow_efficiency.delta(), Some(26.8));

    let text = d.text("current.ron", "future.ron");
    let text_lines = lines(&text);
    assert_eq!(text_lines[..2], ["--- current.ron", "+++ future.ron"]);
    for expected in [
        "~ title: \"Incident management\" → \"Incident management (future state)\"",
        "Steps: 1 added, 1 removed, 6 changed",
        "+ \"Knowledge article published\" (id \"kb\") Design and Transition at col 3, row 0 (process 15m, wait 1h, %C/A 90%)",
        "- \"Passed to resolution group\" (id \"route\") Deliver and Support at col 2, row 1 (process 5m, wait 30m, %C/A 80%)",
        "~ \"Investigated and resolved\" wait: 45m → 15m",
        "~ \"Logged via self-service\" label: \"Service desk logs the issue\" → \"Logged via self-service\"",
        "~ \"Logged via self-service\" %C/A: 70% → 90%",
        "~ \"Logged via self-service\" improvements: 0 → 2",
        "Connections: 3 added, 2 removed",
        "+ \"Logged via self-service\" -> \"Investigated and resolved\" \"User support tasks\" (canonical)",
        "- \"Passed to resolution group\" -> \"Investigated and resolved\" no artifact (handoff)",
        "~ lead time: 3h25m → 1h33m (-1h52m)",
        "~ flow efficiency: 46.3% → 73.1% (+26.8 pp)",
        // Working days of 8 hours: the 2880-minute wait is six of them.
        "~ \"Improve from CSAT feedback\" wait: 1w1d → 3d",
        "~ bottleneck: \"Improve from CSAT feedback\" (wait 1w1d) → \"Improve from CSAT feedback\" (wait 3d) (-3d)",
    ] {
        assert!(
            text_lines.contains(&expected),
            "missing {expected:?} in\n{text}"
        );
    }
    assert!(!text.contains("Verdicts"), "{text}");

    let (status, out, err) = vsmap(&[
        "diff",
        &sample_path("incident-management"),
        &sample_path("incident-management-future"),
    ]);
    assert_eq!(status, 1, "{err}");
    assert!(
        out.contains("~ \"Investigated and resolved\" wait: 45m → 15m\n"),
        "{out}"
    );
}

const OLD: &str = r#"Map(
    format: 1,
    title: "Desk",
    steps: [
        Step(id: "demand", activity: Demand, label: "User needs help", at: (col: 0, row: 0)),
        Step(id: "desk", activity: Engage, label: "Desk takes the call", at: (col: 1, row: 0), process_minutes: Some(10), wait_minutes: Some(20), complete_accurate_percent: Some(90)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fixed", at: (col: 2, row: 0), process_minutes: Some(30), wait_minutes: Some(60), complete_accurate_percent: Some(80)),
        Step(id: "value", activity: Value, label: "Working again", at: (col: 3, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "desk", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "desk", to: "fix", artifact: Some("Change requests")),
        Flow(from: "desk", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "value", artifact: Some("Services delivered")),
    ],
)
"#;

/// The same stream: the two desk -> fix flows in the other order, one with another artifact;
/// the queue in front of "fix" and the %C/A of "desk" no longer known.
const NEW: &str = r#"Map(
    format: 1,
    title: "Desk",
    steps: [
        Step(id: "demand", activity: Demand, label: "User needs help", at: (col: 0, row: 0)),
        Step(id: "desk", activity: Engage, label: "Desk takes the call", at: (col: 1, row: 0), process_minutes: Some(10), wait_minutes: Some(20)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fixed", at: (col: 2, row: 0), process_minutes: Some(30), complete_accurate_percent: Some(80)),
        Step(id: "value", activity: Value, label: "Working again", at: (col: 3, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "desk", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "desk", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "desk", to: "fix", artifact: Some("Knowledge and information about third-party service components")),
        Flow(from: "fix", to: "value", artifact: Some("Services delivered")),
    ],
)
"#;

fn hand_made() -> Diff {
    let old = Map::from_text("old.ron", OLD).unwrap();
    let new = Map::from_text("new.ron", NEW).unwrap();
    diff(&Chain::builtin(), &old, &new)
}

#[test]
fn flows_sharing_a_pair_match_by_artifact_first() {
    let d = hand_made();
    assert_eq!(d.flows_added, []);
    assert_eq!(d.flows_removed, []);
    // "User support tasks" found its twin despite the new order; "Change requests" became
    // the other artifact, which the chain does send from Engage to Deliver and Support.
    assert_eq!(d.flows_changed.len(), 1);
    let change = &d.flows_changed[0];
    assert_eq!((change.from.as_str(), change.to.as_str()), ("desk", "fix"));
    assert_eq!((change.old_index, change.new_index), (1, 2));
    assert_eq!(change.changes.len(), 1);
    assert_eq!(change.changes[0].field, "artifact");
    assert_eq!(
        change.changes[0].old,
        FieldValue::Artifact(Some("Change requests".into()))
    );
    assert_eq!(d.verdicts_changed.len(), 1);
    let verdict = &d.verdicts_changed[0];
    assert_eq!(
        (verdict.old, verdict.new),
        (Verdict::OffChain, Verdict::Canonical)
    );
    let removed: Vec<(&str, &str)> = d
        .findings_removed
        .iter()
        .map(|f| (f.code.as_str(), f.subject.as_str()))
        .collect();
    assert_eq!(removed, [("off-chain", "flow \"desk\" -> \"fix\"")]);
    assert_eq!(d.findings_added, []);

    let text = d.text("old.ron", "new.ron");
    let text_lines = lines(&text);
    for expected in [
        "Connections: 1 changed",
        "~ \"Desk takes the call\" -> \"Fixed\" artifact: \"Change requests\" → \"Knowledge and information about third-party service components\"",
        "Verdicts: 1 changed",
        "~ \"Desk takes the call\" -> \"Fixed\" \"Knowledge and information about third-party service components\": off-chain → canonical",
        "Findings: 1 removed",
    ] {
        assert!(
            text_lines.contains(&expected),
            "missing {expected:?} in\n{text}"
        );
    }
    assert!(
        text_lines.iter().any(
            |l| l.starts_with("- error[off-chain] flow \"Desk takes the call\" -> \"Fixed\": ")
        ),
        "{text}"
    );
}

#[test]
fn a_number_missing_on_one_side_is_missing_not_zero() {
    let d = hand_made();
    // Old: 10 + 20 + 30 + 60 = 120 minutes; new: the queue in front of "fix" is unknown.
    assert_eq!(d.metrics.lead.old, Some(120));
    assert_eq!(d.metrics.lead.new, None);
    assert_eq!(d.metrics.lead.delta(), None);
    assert!(!d.metrics.process.changed());
    assert_eq!(d.metrics.flow_efficiency.old, Some(33.3));
    assert_eq!(d.metrics.flow_efficiency.new, None);
    assert_eq!(d.metrics.rolled_complete_accurate.old, Some(72.0));
    assert_eq!(d.metrics.rolled_complete_accurate.new, None);

    let text = d.text("old.ron", "new.ron");
    let text_lines = lines(&text);
    for expected in [
        "~ \"Desk takes the call\" %C/A: 90% → missing",
        "~ \"Fixed\" wait: 1h → missing",
        "~ lead time: 2h → missing (change missing)",
        "  process time: 40m (unchanged)",
        "~ wait time: 1h20m → missing (change missing)",
        "~ flow efficiency: 33.3% → missing (change missing)",
        "~ rolled %C/A: 72.0% → missing (change missing)",
        "~ bottleneck: \"Fixed\" (wait 1h) → \"Desk takes the call\" (wait 20m) (-40m)",
        "~ handoff wait: 1h → missing (change missing)",
        "  activities used: 2 of 6 (unchanged)",
    ] {
        assert!(
            text_lines.contains(&expected),
            "missing {expected:?} in\n{text}"
        );
    }
    assert!(!text.contains("→ 0m"), "{text}");
}

#[test]
fn json_has_every_array_and_null_for_what_is_missing() {
    let json = hand_made().json();
    for key in [
        "steps_added",
        "steps_removed",
        "steps_changed",
        "flows_added",
        "flows_removed",
        "flows_changed",
        "verdicts_changed",
        "findings_added",
        "findings_removed",
    ] {
        assert!(json[key].is_array(), "{key} in {json:#}");
    }
    assert_eq!(json["identical"], false);
    assert_eq!(json["title"], serde_json::Value::Null);
    let metrics = &json["metrics"];
    assert_eq!(
        metrics["lead_minutes"],
        serde_json::json!({ "old": 120, "new": null, "delta": null })
    );
    assert_eq!(
        metrics["process_minutes"],
        serde_json::json!({ "old": 40, "new": 40, "delta": 0 })
    );
    assert_eq!(
        metrics["flow_efficiency_percent"],
        serde_json::json!({ "old": 33.3, "new": null, "delta": null })
    );
    assert_eq!(
        metrics["rolled_complete_accurate_percent"]["new"],
        serde_json::Value::Null
    );
    assert_eq!(
        metrics["bottleneck"],
        serde_json::json!({ "old": "fix", "new": "desk", "old_wait_minutes": 60, "new_wait_minutes": 20, "delta": -40 })
    );
    assert_eq!(
        json["steps_changed"],
        serde_json::json!([
            { "id": "desk", "old_index": 1, "new_index": 1, "changes": [
                { "field": "complete_accurate_percent", "old": 90, "new": null },
            ] },
            { "id": "fix", "old_index": 2, "new_index": 2, "changes": [
                { "field": "wait_minutes", "old": 60, "new": null },
            ] },
        ])
    );
    assert_eq!(
        json["flows_changed"],
        serde_json::json!([{ "from": "desk", "to": "fix", "old_index": 1, "new_index": 2, "changes": [
            { "field": "artifact", "old": "Change requests", "new": "Knowledge and information about third-party service components" },
        ] }])
    );
    assert_eq!(
        json["verdicts_changed"],
        serde_json::json!([{ "from": "desk", "to": "fix", "artifact": "Knowledge and information about third-party service components",
            "old_index": 1, "new_index": 2, "old": "off-chain", "new": "canonical" }])
    );
    assert_eq!(json["findings_removed"][0]["code"], "off-chain");
    assert_eq!(json["findings_removed"][0]["severity"], "error");
}

#[test]
fn the_json_format_of_the_command_parses_and_lists_the_sample_changes() {
    let (status, out, err) = vsmap(&[
        "diff",
        "--format",
        "json",
        &sample_path("incident-management"),
        &sample_path("incident-management-future"),
    ]);
    assert_eq!(status, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["steps_added"][0]["id"], "kb");
    assert_eq!(json["steps_added"][0]["activity"], "DesignAndTransition");
    assert_eq!(json["steps_removed"][0]["id"], "route");
    assert_eq!(
        json["title"],
        serde_json::json!({ "old": "Incident management", "new": "Incident management (future state)" })
    );
    assert_eq!(
        json["metrics"]["lead_minutes"],
        serde_json::json!({ "old": 205, "new": 93, "delta": -112 })
    );
}

#[test]
fn a_file_that_cannot_be_read_exits_2() {
    let (status, _, err) = vsmap(&[
        "diff",
        &sample_path("incident-management"),
        "/no/such/map.ron",
    ]);
    assert_eq!(status, 2);
    assert!(err.contains("/no/such/map.ron"), "{err}");
}
