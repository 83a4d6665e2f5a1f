//! `vsmap check` and `vsmap chain` as a user runs them: output, JSON shape, exit codes.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn vsmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(args)
        .output()
        .expect("vsmap runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const CLEAN: &str = r#"Map(
    format: 1,
    title: "Clean",
    steps: [
        Step(id: "demand", activity: Demand, label: "Need", at: (col: 0, row: 0)),
        Step(id: "log", activity: Engage, label: "Log", at: (col: 1, row: 0)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fix", at: (col: 2, row: 0)),
        Step(id: "value", activity: Value, label: "Working again", at: (col: 3, row: 0)),
        Step(id: "learn", activity: Improve, label: "Learn", at: (col: 2, row: 1)),
    ],
    flows: [
        Flow(from: "demand", to: "log", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "log", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "value", artifact: Some("Services delivered")),
        Flow(from: "fix", to: "learn", artifact: Some("Improvement opportunities")),
        Flow(from: "learn", to: "fix", artifact: Some("Improvement initiatives and plans")),
    ],
)
"#;

#[test]
fn a_clean_map_exits_0_with_a_summary() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let file = write(dir, "clean.ron", CLEAN);
    let output = vsmap(&["check", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{file}: 5 steps, 5 flows (5 canonical); 0 errors, 0 warnings\n")
    );
}

#[test]
fn errors_exit_1_compiler_style_at_the_flow_line() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let file = write(
        dir,
        "bad.ron",
        &CLEAN.replace("Some(\"User support tasks\")", "Some(\"Change requests\")"),
    );
    let output = vsmap(&["check", &file]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "{file}:13:48: error[off-chain]: \"Change requests\" does not flow from Engage to Deliver and Support"
        )
    );
    assert!(
        text.contains(
            "\n  = help: the chain sends from Engage to Deliver and Support: \"User support tasks\""
        ),
        "{text}"
    );
    assert!(
        text.ends_with("5 steps, 5 flows (4 canonical, 1 off-chain); 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let file = write(dir, "w.ron", &CLEAN.replace("        Flow(from: \"fix\", to: \"learn\", artifact: Some(\"Improvement opportunities\")),\n", ""));
    let output = vsmap(&["check", &file]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output)
            .contains(": warning[missing-feedback]: nothing flows into the Improve step \"Learn\"")
    );
}

#[test]
fn an_unreadable_file_exits_2_and_the_others_are_still_checked() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let good = write(dir, "good.ron", CLEAN);
    let broken = write(
        dir,
        "broken.ron",
        &CLEAN.replace("activity: Engage", "activity: Engag"),
    );
    let output = vsmap(&["check", &broken, &good]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!(
            "{broken}:6:35: error: unknown activity `Engag`; expected one of"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{good}: 5 steps")));
    let missing = dir.join("nope.ron").display().to_string();
    let output = vsmap(&["check", &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), format!("{missing}: error: no such file\n"));
}

#[test]
fn json_has_one_object_per_file_with_flows_and_diagnostics() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let file = write(
        dir,
        "bad.ron",
        &CLEAN.replace(
            "Some(\"User support tasks\")",
            "Some(\"User suport tasks\")",
        ),
    );
    let broken = write(dir, "broken.ron", "Map(");
    let output = vsmap(&["check", "--format", "json", &file, &broken]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), 2);
    let report = &objects[0];
    assert_eq!(report["file"], file.as_str());
    assert_eq!(report["flows"].as_array().unwrap().len(), 5);
    assert_eq!(report["flows"][1]["from"], "log");
    assert_eq!(report["flows"][1]["to"], "fix");
    assert_eq!(report["flows"][1]["artifact"], "User suport tasks");
    assert_eq!(report["flows"][1]["verdict"], "unknown-artifact");
    assert_eq!(report["flows"][0]["verdict"], "canonical");
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "unknown-artifact");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["line"], 13);
    assert_eq!(diagnostic["subject"]["kind"], "flow");
    assert_eq!(diagnostic["subject"]["index"], 1);
    assert!(
        diagnostic["help"][0]
            .as_str()
            .unwrap()
            .contains("\"User support tasks\"")
    );
    assert_eq!(report["summary"]["errors"], 1);
    let error = &objects[1];
    assert_eq!(error["file"], broken.as_str());
    assert_eq!(error["error"]["line"], 1);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ends too early")
    );
}

#[test]
fn explain_describes_every_code_with_an_example() {
    for code in vsmap::check::codes::Code::ALL {
        let output = vsmap(&["check", "--explain", code.as_str()]);
        assert_eq!(output.status.code(), Some(0));
        let text = stdout(&output);
        assert!(
            text.starts_with(&format!(
                "{}[{}]: ",
                code.severity().as_str(),
                code.as_str()
            )),
            "{text}"
        );
        assert!(text.contains("Example"));
    }
    let output = vsmap(&["check", "--explain", "no-such-code"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("off-chain"));
}

#[test]
fn chain_prints_each_activity_with_purpose_inputs_and_outputs() {
    let output = vsmap(&["chain"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("\nEngage (seed 001, 5.5)\n  Engage value chain activity provides a good understanding of stakeholder needs"));
    // Issue 13, item 7: each counterpart says which side of seed 001 states the flow.
    assert!(text.contains(
        "    - User support tasks  to Deliver and Support (this output and Deliver and Support's input)\n"
    ));
    assert!(
        text.contains("    - Incidents, service requests, and feedback  from Users (this input)\n")
    );
    assert!(
        text.contains("    - Policies, requirements, and constraints  (no counterpart stated)\n")
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&vsmap(&["chain", "--format", "json"]))).unwrap();
    assert_eq!(json["activities"].as_array().unwrap().len(), 6);
    let flows = json["flows"].as_array().unwrap();
    assert!(flows.iter().any(|f| f["artifact"] == "Change requests"
        && f["from"] == "DeliverAndSupport"
        && f["to"] == "ObtainOrBuild"
        && f["stated_by"].as_array().unwrap().len() == 2));
}

#[test]
fn a_custom_chain_changes_the_verdicts_and_a_broken_one_is_reported() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let custom = vsmap::chain::BUILTIN_TEXT.replace(
        "Input(artifact: \"User support tasks\", from: [Activity(Engage)],",
        "Input(artifact: \"Change requests\", from: [Activity(Engage)], seed: \"ours\"),\n Input(artifact: \"User support tasks\", from: [Activity(Engage)],",
    );
    let chain = write(dir, "chain.ron", &custom);
    let map = write(
        dir,
        "m.ron",
        &CLEAN.replace("Some(\"User support tasks\")", "Some(\"Change requests\")"),
    );
    assert_eq!(vsmap(&["check", &map]).status.code(), Some(1));
    for args in [
        ["--chain", &chain, "check", &map],
        ["check", "--chain", &chain, &map],
    ] {
        let output = vsmap(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
        assert!(stdout(&output).contains("(5 canonical)"));
    }
    let broken = write(
        dir,
        "broken.ron",
        &vsmap::chain::BUILTIN_TEXT.replacen(
            "artifact: \"Portfolio decisions\"",
            "artifact: \"Portfolio decisons\"",
            1,
        ),
    );
    let output = vsmap(&["--chain", &broken, "chain"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with(&format!("{broken}:")), "{message}");
    assert!(message.contains("the artifact \"Portfolio decisons\" is not in the `artifacts` list (did you mean \"Portfolio decisions\"?)"), "{message}");
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["chain", "--help"],
    ] {
        let output = vsmap(&args);
        assert_eq!(output.status.code(), Some(0));
        assert!(stdout(&output).contains("Usage: vsmap"), "{args:?}");
    }
}

const DEMAND_TO_PLAN: &str = r#"Map(
    format: 1,
    title: "Demand straight to Plan",
    steps: [
        Step(id: "demand", activity: Demand, label: "Need", at: (col: 0, row: 0)),
        Step(id: "plan", activity: Plan, label: "Prioritise", at: (col: 1, row: 0)),
        Step(id: "log", activity: Engage, label: "Log", at: (col: 2, row: 0)),
        Step(id: "build", activity: ObtainOrBuild, label: "Build", at: (col: 3, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "plan", artifact: Some("Consolidated demands and opportunities")),
        Flow(from: "log", to: "build", artifact: Some("Change request")),
    ],
)
"#;

#[test]
fn json_diagnostics_carry_ranked_fixes() {
    // Seed 001 5.5: Engage takes "Requests and feedback from customers" and sends
    // "Consolidated demands and opportunities for plan"; Demand feeds the chain only there.
    let scratch = support::scratch();
    let file = write(scratch.path(), "dp.ron", DEMAND_TO_PLAN);
    let output = vsmap(&["check", "--format", "json", &file]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // Every diagnostic has a `fixes` array; every fix the fields its kind needs.
    for d in diagnostics {
        for fix in d["fixes"].as_array().expect("a fixes array") {
            let object = fix.as_object().unwrap();
            assert!(fix["text"].is_string());
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort();
            match fix["kind"].as_str().unwrap() {
                "use-artifact" => {
                    assert_eq!(keys, ["artifact", "kind", "text"]);
                    assert!(fix["artifact"].is_string());
                }
                "reverse" => assert_eq!(keys, ["kind", "text"]),
                "insert-step" => {
                    assert_eq!(keys, ["activity", "artifacts", "kind", "text"]);
                    assert_eq!(fix["artifacts"].as_array().unwrap().len(), 2);
                }
                other => panic!("unknown fix kind {other}"),
            }
        }
    }
    let on_flow = |index: usize| {
        diagnostics
            .iter()
            .find(|d| d["subject"]["kind"] == "flow" && d["subject"]["index"] == index)
            .unwrap()
    };
    let demand_plan = on_flow(0);
    assert_eq!(demand_plan["code"], "off-chain");
    assert_eq!(
        demand_plan["fixes"][0],
        serde_json::json!({
            "kind": "insert-step",
            "text": "insert Engage: Demand → Engage (Requests and feedback) → Plan (Consolidated demands and opportunities)",
            "activity": "Engage",
            "artifacts": ["Requests and feedback", "Consolidated demands and opportunities"],
        })
    );
    // Seed 001 5.5: "Change or project initiation requests for obtain or build" is valid
    // for Engage -> Obtain or Build; "Change requests" comes from Deliver and Support.
    let change = on_flow(1);
    assert_eq!(change["code"], "unknown-artifact");
    assert_eq!(change["fixes"][0]["kind"], "use-artifact");
    assert_eq!(
        change["fixes"][0]["artifact"],
        "Change or project initiation requests"
    );
    assert_eq!(
        change["help"][0],
        "did you mean \"Change or project initiation requests\" or \"Change requests\"?"
    );
    assert_eq!(
        change["help"][1],
        "\"Change requests\" is not sent from Engage to Obtain or Build"
    );
    // The text output lists the fixes under the help.
    let text = stdout(&vsmap(&["check", &file]));
    assert!(
        text.contains("\n  = fix: insert Engage: Demand → Engage (Requests and feedback) → Plan (Consolidated demands and opportunities)\n"),
        "{text}"
    );
}

#[test]
fn chain_says_which_side_states_each_flow() {
    // Seed 001 5.3 lists Plan's input "Consolidated demands and opportunities" without a
    // source; 5.5's Engage output "Consolidated demands and opportunities for plan" names it.
    let text = stdout(&vsmap(&["chain"]));
    assert!(text.contains(
        "    - Consolidated demands and opportunities  no source in this input; from Engage (Engage's output)\n"
    ), "{text}");
    assert!(!text.contains("    - Consolidated demands and opportunities  from Engage\n"));
    assert!(text.contains(
        "    - Stakeholders' feedback  no source in this input; from Engage (part of Engage's output \"Improvement opportunities and stakeholders' feedback\")\n"
    ), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&vsmap(&["chain", "--format", "json"]))).unwrap();
    let plan = &json["activities"][0];
    assert_eq!(plan["activity"], "Plan");
    let demands = plan["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["artifact"] == "Consolidated demands and opportunities")
        .unwrap();
    assert_eq!(demands["from"], serde_json::json!(["Engage"]));
    assert_eq!(
        demands["stated_by"][0]["lines"],
        serde_json::json!([{
            "activity": "Engage",
            "side": "output",
            "seed": "Consolidated demands and opportunities for plan",
            "as_part_of": null,
        }])
    );
    let feedback = json["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["artifact"] == "Stakeholders' feedback")
        .unwrap();
    assert_eq!(
        feedback["stated_by"][0]["as_part_of"],
        "Improvement opportunities and stakeholders' feedback"
    );
}
