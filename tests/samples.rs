//! Pins which sample maps check clean and which findings the others have. Where a seed's
//! own stream breaks the chain, the map keeps it and says so in its notes.

use vsmap::chain::Chain;
use vsmap::check::check;
use vsmap::check::codes::Code::{self, *};
use vsmap::model::map::Map;

/// Each sample's findings. Issue 13 changed them: compound lines, feedback out of Value
/// (after-value, a warning, instead of end-direction), build-only-focus only where a stream
/// builds before it engages, Improve reaching Plan, and handoff waste.
const SAMPLES: &[(&str, &[Code])] = &[
    ("cloud-migration", &[MissingFeedback, OffChain]),
    ("deploy-software-release", &[HandoffWaste, OffChain]),
    ("helpdesk-portal", &[MissingFeedback, OffChain]),
    (
        "incident-management-future",
        &[AfterValue, HandoffWaste, OffChain],
    ),
    ("incident-management", &[AfterValue, HandoffWaste, OffChain]),
    ("new-feature-request", &[HandoffWaste]),
    ("new-it-service", &[MissingFeedback, OffChain, AfterValue]),
    ("onboard-new-employee", &[MissingFeedback, HandoffWaste]),
    ("service-upgrade", &[HandoffWaste, OffChain]),
];

fn load(name: &str) -> (String, Map) {
    let path = format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let map = Map::from_text(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    (text, map)
}

#[test]
fn every_sample_has_the_pinned_findings() {
    let chain = Chain::builtin();
    for (name, expected) in SAMPLES {
        let (_, map) = load(name);
        let mut found: Vec<Code> = check(&chain, &map)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect();
        found.sort();
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn every_sample_is_listed_and_saved_in_vsmaps_own_format() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(format!("{}/sample-maps", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ron"))
            .collect();
    on_disk.sort();
    let listed: Vec<String> = SAMPLES.iter().map(|(n, _)| format!("{n}.ron")).collect();
    assert_eq!(on_disk, listed);
    for (name, _) in SAMPLES {
        let (text, map) = load(name);
        assert_eq!(
            map.to_ron(),
            text,
            "{name} is not byte-identical to its own save"
        );
    }
}

#[test]
fn samples_that_break_the_chain_say_why_in_their_notes() {
    let chain = Chain::builtin();
    for (name, _) in SAMPLES {
        let (_, map) = load(name);
        let report = check(&chain, &map);
        for (flow, verdict) in map.flows.iter().zip(&report.verdicts) {
            if verdict.is_error() {
                let named = format!("{} -> {}", flow.from, flow.to);
                assert!(
                    map.notes.contains(&named),
                    "{name}: the notes do not explain {named}"
                );
            }
        }
        assert!(
            map.steps
                .iter()
                .any(|s| s.activity == vsmap::model::activity::Activity::Demand),
            "{name} has no Demand"
        );
        assert!(
            map.steps
                .iter()
                .any(|s| s.activity == vsmap::model::activity::Activity::Value),
            "{name} has no Value"
        );
    }
}

#[test]
fn every_finding_of_a_sample_is_explained_in_its_notes() {
    // Issue 13, item 8: each seed sample keeps its seed's stream, and its notes explain every
    // finding that remains, by its code.
    let chain = Chain::builtin();
    for (name, _) in SAMPLES {
        let (_, map) = load(name);
        for diagnostic in check(&chain, &map).diagnostics {
            assert!(
                map.notes.contains(diagnostic.code.as_str()),
                "{name}: the notes do not explain {}: {}",
                diagnostic.code.as_str(),
                diagnostic.message
            );
        }
    }
}
