//! The map file: broken files get a clear message at the right line and column, structural
//! problems become findings at the step's or flow's own line, and nothing panics.

use vsmap::chain::Chain;
use vsmap::check::check;
use vsmap::check::codes::Code;
use vsmap::model::map::Map;
use vsmap::output::report::Locator;

const GOOD: &str = r#"Map(
    format: 1,
    title: "Tiny",
    steps: [
        Step(id: "demand", activity: Demand, label: "Need", at: (col: 0, row: 0)),
        Step(id: "log", activity: Engage, label: "Log", at: (col: 1, row: 0)),
        Step(id: "fix", activity: DeliverAndSupport, label: "Fix", at: (col: 2, row: 0)),
    ],
    flows: [
        Flow(from: "demand", to: "log", artifact: Some("Incidents, service requests, and feedback")),
        Flow(from: "log", to: "fix", artifact: Some("User support tasks")),
    ],
)
"#;

/// Loads GOOD with one edit and returns the error as `line:col: message`.
fn error_after(from: &str, to: &str) -> String {
    let text = GOOD.replacen(from, to, 1);
    assert_ne!(text, GOOD, "the edit must apply: {from}");
    let error = Map::from_text("m.ron", &text).expect_err("the edited map must not load");
    format!("{}: {}", error.position.expect("a position"), error.message)
}

#[test]
fn the_good_map_loads_and_saves_back_to_the_same_bytes() {
    let map = Map::from_text("m.ron", GOOD).unwrap();
    assert_eq!(map.steps.len(), 3);
    assert_eq!(map.to_ron(), GOOD);
}

#[test]
fn unknown_fields_name_the_field_and_the_expected_ones() {
    assert_eq!(
        error_after("activity: Engage", "activty: Engage"),
        "6:25: unknown field `activty` in `Step`; expected one of `id`, `activity`, `also`, `label`, `at`, \
         `process_minutes`, `wait_minutes`, `complete_accurate_percent`, `practices`, `notes`, `improvements`"
    );
    assert!(
        error_after("title: \"Tiny\",", "title: \"Tiny\", owner: \"me\",")
            .starts_with("3:20: unknown field `owner` in `Map`")
    );
}

#[test]
fn wrong_types_and_values_say_what_was_expected() {
    assert_eq!(
        error_after("col: 1", "col: \"one\""),
        "6:67: expected a whole number"
    );
    assert_eq!(
        error_after("col: 1", "col: -1"),
        "6:68: this number is out of range (negative or too large)"
    );
    assert_eq!(
        error_after("col: 1", "col: 70000"),
        "6:67: this number is out of range (negative or too large)"
    );
    assert_eq!(
        error_after("title: \"Tiny\"", "title: 5"),
        "3:12: expected a text in double quotes"
    );
    assert!(
        error_after("activity: Engage", "activity: Engag")
            .starts_with("6:35: unknown activity `Engag`; expected one of `Demand`")
    );
    assert_eq!(
        error_after(", label: \"Log\"", ""),
        "6:63: missing field `label` in `Step`"
    );
    assert_eq!(
        error_after("Step(id: \"log\"", "Stp(id: \"log\""),
        "6:9: expected `Step(...)`, found `Stp(...)`"
    );
    assert_eq!(
        error_after("format: 1", "format: 2"),
        "2:13: unsupported map format 2; this vsmap reads format 1"
    );
    assert_eq!(
        error_after(
            "title: \"Tiny\",",
            "title: \"Tiny\",\n    title: \"Again\","
        ),
        "4:5: the field `title` is given twice in `Map`"
    );
}

#[test]
fn optional_values_may_be_written_with_or_without_some() {
    let text = GOOD.replacen(
        "at: (col: 1, row: 0))",
        "at: (col: 1, row: 0), process_minutes: 5, wait_minutes: Some(30))",
        1,
    );
    let map = Map::from_text("m.ron", &text).unwrap();
    assert_eq!(
        (map.steps[1].process_minutes, map.steps[1].wait_minutes),
        (Some(5), Some(30))
    );
    assert!(
        map.to_ron()
            .contains("process_minutes: Some(5), wait_minutes: Some(30)")
    );
}

#[test]
fn files_that_are_not_maps_at_all() {
    let message = |text: &str| {
        Map::from_text("m.ron", text)
            .expect_err("not a map")
            .to_string()
    };
    assert_eq!(message(""), "m.ron:1:1: error: the file is empty");
    assert_eq!(
        message("hello"),
        "m.ron:1:1: error: expected `Map(...)`, found `hello(...)`"
    );
    assert_eq!(
        message("Map(\n    format: 1,\n    title: \"x\0\",\n"),
        "m.ron:3:14: error: the file contains a NUL byte; it is not a RON text"
    );
    assert!(message(&GOOD[..GOOD.len() - 4]).contains("error: "));
    let deep = format!(
        "Map(format: 1, title: \"x\", notes: {}1{})",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert!(message(&deep).contains("error: "));
}

#[test]
fn invalid_utf8_is_reported_at_its_position() {
    let mut bytes = GOOD.as_bytes().to_vec();
    let at = GOOD.find("Tiny").unwrap();
    bytes[at] = 0xff;
    let error = vsmap::io::ron_text::text_from_bytes("m.ron", bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "m.ron:3:13: error: the file is not valid UTF-8 text here"
    );
}

#[test]
fn every_truncation_of_a_map_is_an_error_or_a_map_never_a_panic() {
    for cut in 0..GOOD.len() {
        if GOOD.is_char_boundary(cut) {
            let _ = Map::from_text("m.ron", &GOOD[..cut]);
        }
    }
}

/// Checks an edited GOOD and returns `line:col code: message` for each finding with `code`.
fn findings_after(from: &str, to: &str, code: Code) -> Vec<String> {
    let text = GOOD.replacen(from, to, 1);
    assert_ne!(text, GOOD, "the edit must apply: {from}");
    let map = Map::from_text("m.ron", &text).expect("still a readable map");
    let report = check(&Chain::builtin(), &map);
    let locator = Locator::new(&text);
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| format!("{}: {}", locator.position(d.subject), d.message))
        .collect()
}

#[test]
fn duplicate_ids_point_at_the_second_id() {
    assert_eq!(
        findings_after("id: \"fix\"", "id: \"log\"", Code::DuplicateStepId),
        ["7:18: the id \"log\" is already used by step 2 (\"Log\")"]
    );
}

#[test]
fn two_steps_on_one_cell_point_at_the_second_cell() {
    assert_eq!(
        findings_after("col: 2", "col: 1", Code::SharedCell),
        ["7:72: step \"fix\" is on column 1, row 0, where step \"log\" already is"]
    );
}

#[test]
fn flows_to_missing_steps_point_at_the_bad_end_and_suggest_ids() {
    let found = findings_after("to: \"fix\"", "to: \"fxi\"", Code::DanglingFlow);
    assert_eq!(
        found,
        ["11:31: the flow's `to` names step \"fxi\", which is not in the map"]
    );
    let text = GOOD.replacen("to: \"fix\"", "to: \"fxi\"", 1);
    let report = check(&Chain::builtin(), &Map::from_text("m.ron", &text).unwrap());
    let dangling = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DanglingFlow)
        .unwrap();
    assert_eq!(*dangling.help, ["did you mean \"fix\"?"]);
}

#[test]
fn verdict_findings_point_at_the_flow_artifact() {
    assert_eq!(
        findings_after(
            "Some(\"User support tasks\")",
            "Some(\"Change requests\")",
            Code::OffChain
        ),
        ["11:48: \"Change requests\" does not flow from Engage to Deliver and Support"]
    );
}
