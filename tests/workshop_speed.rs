//! Mapping at the speed of the conversation, in a real terminal: the access-request stream
//! a workshop describes (9 steps, 8 links, times, %C/A and practices on each step) is built
//! from an empty file with `o`, the step form and durations as people say them, in at most
//! 80 keys that are not typed text. The saved file is checked with `vsmap check`.

mod support;

use std::process::Command;
use support::scratch;
use support::tmux::{Tmux, vsmap_in};

/// A tmux session that counts the keys it sends: control keys (Enter, Tab, `o`, ...)
/// apart from the text typed into fields.
struct Workshop {
    tmux: Tmux,
    control_keys: usize,
    typed_chars: usize,
}

impl Workshop {
    fn key(&mut self, key: &str) {
        self.tmux.send(&[key]);
        self.control_keys += 1;
    }

    fn text(&mut self, text: &str) {
        self.tmux.type_text(text);
        self.typed_chars += text.chars().count();
    }

    /// `o`, the activity found by typing, the label, then every field from practices on
    /// (each `None` is skipped with Tab), and the link's top canonical artifact.
    fn next_step(&mut self, activity: &str, label: &str, fields: [Option<&str>; 4]) {
        self.key("o");
        self.text(activity);
        self.key("Enter");
        self.text(label);
        if fields.iter().any(Option::is_some) {
            self.key("Tab");
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    self.key("Tab");
                }
                if let Some(text) = field {
                    self.text(text);
                }
            }
        }
        self.key("Enter");
        self.key("Enter");
        // Each step is on screen before the next is added: the keys are not raced.
        self.tmux.wait_for(&format!("Added \"{label}\""));
    }
}

#[test]
fn the_access_request_stream_takes_at_most_80_control_keys() {
    let temp = scratch();
    let file = temp.path().join("access.ron");
    let mut workshop = Workshop {
        tmux: Tmux::start(160, 45, &vsmap_in(&[], &[&file])),
        control_keys: 0,
        typed_chars: 0,
    };
    workshop.tmux.wait_for("DEM Demand");
    // The Demand step a new map starts with: name it.
    workshop.key("Enter");
    workshop.key("C-u");
    workshop.text("Employee requests access");
    workshop.key("Enter");
    workshop.tmux.wait_for("Employee requests");

    let w = &mut workshop;
    w.next_step(
        "eng",
        "Service desk logs the request",
        [
            Some("Service desk, Service request management"),
            Some("10m"),
            Some("2h"),
            Some("90"),
        ],
    );
    w.next_step(
        "eng",
        "Line manager approves",
        [
            Some("Relationship management"),
            Some("5m"),
            Some("1d"),
            Some("80"),
        ],
    );
    w.next_step(
        "d&t",
        "Role and configuration defined",
        [
            Some("Service design, Information security management"),
            Some("30m"),
            Some("4h"),
            Some("85"),
        ],
    );
    w.next_step(
        "o/b",
        "Account provisioned",
        [
            Some("Service configuration management"),
            Some("15m"),
            Some("1.5h"),
            Some("95"),
        ],
    );
    w.next_step(
        "d&s",
        "Access granted",
        [
            Some("Service request management"),
            Some("5m"),
            Some("30m"),
            Some("98"),
        ],
    );
    w.next_step(
        "eng",
        "Access confirmed",
        [Some("Service desk"), Some("5m"), Some("1h30m"), Some("99")],
    );
    w.next_step("val", "Employee productive", [None; 4]);
    // The Improve step is fed from the confirmation: back onto it, and `o` puts the new
    // step below Value, whose cell is taken.
    w.key("h");
    w.next_step(
        "imp",
        "Lead time reviewed",
        [Some("Continual improvement"), Some("1h"), Some("1w"), None],
    );
    w.key("C-s");
    w.tmux.wait_for("Saved ");
    w.key("q");
    w.tmux.wait_until_gone();

    assert!(
        workshop.control_keys <= 80,
        "{} control keys",
        workshop.control_keys
    );
    eprintln!(
        "{} control keys, {} typed characters",
        workshop.control_keys, workshop.typed_chars
    );

    let text = std::fs::read_to_string(&file).unwrap();
    let map: vsmap::model::map::Map = vsmap::io::ron_text::parse("access.ron", &text).unwrap();
    assert_eq!((map.steps.len(), map.flows.len()), (9, 8));
    let step = |label: &str| map.steps.iter().find(|s| s.label == label).unwrap();
    let logs = step("Service desk logs the request");
    assert_eq!(
        (
            logs.process_minutes,
            logs.wait_minutes,
            logs.complete_accurate_percent
        ),
        (Some(10), Some(120), Some(90))
    );
    assert_eq!(
        logs.practices,
        ["Service desk", "Service request management"]
    );
    assert_eq!(step("Line manager approves").wait_minutes, Some(480));
    assert_eq!(step("Account provisioned").wait_minutes, Some(90));
    assert_eq!(step("Lead time reviewed").wait_minutes, Some(2400));
    assert_eq!(
        step("Lead time reviewed").at,
        vsmap::model::map::Cell::new(7, 1)
    );

    // The checker's verdicts: every link canonical but the approval inside Engage, which
    // is a handoff.
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let verdicts: Vec<(&str, &str)> = report["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["to"].as_str().unwrap(), f["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(verdicts.len(), 8);
    for (to, verdict) in &verdicts {
        let expected = if *to == "line-manager-approves" {
            "handoff"
        } else {
            "canonical"
        };
        assert_eq!(*verdict, expected, "the link into {to}: {verdicts:?}");
    }
    assert_eq!(report["summary"]["errors"], 0, "{report}");
}
