//! Times as people say them, through the real binary: working days in every output, the
//! map's own working day and its bounds, handoff waste and activity coverage in the reports,
//! and silo optimisation in `vsmap diff`.

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

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Demand -> Log (Engage) -> Fix (Deliver and Support) -> Value. Fix waits 1440 minutes:
/// three working days of 8 hours, or one day of a 24x7 desk. `DAY` is replaced by the map's
/// working day line, `FIX` by Fix's process minutes.
const STREAM: &str = r#"Map(
    format: 1,
    title: "Desk",DAY
    steps: [
        Step(id: "demand", activity: Demand, label: "User needs help", at: (col: 0, row: 0)),
        Step(id: "log", activity: Engage, label: "Desk logs the call", at: (col: 1, row: 0), process_minutes: Some(10), wait_minutes: Some(20)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Engineer fixes it", at: (col: 2, row: 0), process_minutes: Some(FIX), wait_minutes: Some(1440)),
        Step(id: "value", activity: Value, label: "Working again", at: (col: 3, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "log", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "log", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "value", artifact: Some("Services delivered")),
    ],
)
"#;

fn stream(day: Option<u32>, fix_minutes: u32) -> String {
    let day = day.map_or(String::new(), |d| {
        format!("\n    working_day_minutes: Some({d}),")
    });
    STREAM
        .replace("DAY", &day)
        .replace("FIX", &fix_minutes.to_string())
}

#[test]
fn a_day_is_a_working_day_unless_the_map_says_otherwise() {
    let scratch = support::scratch();
    let office = write(scratch.path(), "office.ron", &stream(None, 120));
    let desk = write(scratch.path(), "desk.ron", &stream(Some(1440), 120));
    let text = stdout(&vsmap(&["render", &office, "--width", "200", "--timeline"]));
    assert!(text.contains("2h · wait 3d"), "{text}");
    // Lead time 10 + 20 + 120 + 1440 = 1590 minutes: 3d 2h30m of 8-hour days.
    assert!(
        text.contains("Timeline · lead 3d2h30m · process 2h10m"),
        "{text}"
    );
    let text = stdout(&vsmap(&["render", &desk, "--width", "200", "--timeline"]));
    assert!(text.contains("2h · wait 1d"), "{text}");
    assert!(
        text.contains("Timeline · lead 1d2h30m · process 2h10m"),
        "{text}"
    );
    // The CSV keeps minutes: a spreadsheet adds them up.
    let csv = stdout(&vsmap(&["export", &desk, "--to", "csv"]));
    assert!(csv.contains(",120,1440,"), "{csv}");
}

#[test]
fn a_working_day_of_nothing_or_over_24_hours_is_refused_at_its_line() {
    let scratch = support::scratch();
    for day in [0, 1441] {
        let file = write(scratch.path(), "bad.ron", &stream(Some(day), 120));
        let output = vsmap(&["check", &file]);
        assert_eq!(output.status.code(), Some(2));
        let all = stdout(&output) + &String::from_utf8_lossy(&output.stderr);
        assert!(
            all.contains(&format!(
                "{file}:4:26: error: working_day_minutes is {day}: a working day is 1 to 1440 minutes"
            )),
            "{all}"
        );
    }
}

#[test]
fn the_markdown_report_names_handoff_waste_and_the_activities_used() {
    let scratch = support::scratch();
    let file = write(scratch.path(), "m.ron", &stream(None, 120));
    let report = stdout(&vsmap(&["export", &file, "--to", "markdown"]));
    // Fix is entered from Engage: its 1440-minute wait is the handoff wait, 90.6% of 1590.
    for row in [
        "| Handoff wait | 3d (90.6% of the lead time); longest 3d before Engineer fixes it |",
        "| Activities used | 2 of 6; not used: Plan, Improve, Design and Transition, Obtain or Build |",
    ] {
        assert!(report.lines().any(|l| l == row), "{row} in\n{report}");
    }
}

#[test]
fn diff_notes_a_faster_step_in_a_slower_stream_by_its_label() {
    let scratch = support::scratch();
    let old = write(scratch.path(), "old.ron", &stream(None, 120));
    // Fix works in 30 minutes instead of 2 hours, but a day more waits in front of it.
    let new_text = stream(None, 30).replace("Some(1440)", "Some(1920)");
    let new = write(scratch.path(), "new.ron", &new_text);
    let output = vsmap(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for line in [
        "~ \"Engineer fixes it\" process time: 2h → 30m",
        "~ \"Engineer fixes it\" wait: 3d → 4d",
        "+ note[silo-optimisation] step \"Engineer fixes it\": \"Engineer fixes it\" got faster (process time 2h → 30m), but the lead time grew by 6h30m (3d2h30m → 4d1h) (seed 003: Silo Optimization)",
        "~ handoff wait: 3d → 4d (+1d)",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
    }
    assert!(
        !text.contains("\"fix\""),
        "steps are named by label: {text}"
    );

    let output = vsmap(&["diff", "--format", "json", &old, &new]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let silo: Vec<&serde_json::Value> = json["findings_added"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "silo-optimisation")
        .collect();
    assert_eq!(silo.len(), 1, "{json:#}");
    assert_eq!(silo[0]["subject"], "step \"fix\"");
    assert_eq!(
        json["metrics"]["handoff_wait_minutes"],
        serde_json::json!({ "old": 1440, "new": 1920, "delta": 480 })
    );
    assert_eq!(
        json["metrics"]["activities_used"]["new"],
        serde_json::json!(["Engage", "DeliverAndSupport"])
    );
    // Faster work that shortens the stream is no silo: no note.
    let better = write(scratch.path(), "better.ron", &stream(None, 30));
    let text = stdout(&vsmap(&["diff", &old, &better]));
    assert!(
        text.contains("~ lead time: 3d2h30m → 3d1h (-1h30m)"),
        "{text}"
    );
    assert!(!text.contains("silo-optimisation"), "{text}");
}
