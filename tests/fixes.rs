//! Issue 13, item 3: every off-chain or unknown diagnostic offers concrete fixes, ranked, and
//! each fix, applied, mends the flow. Each case cites the seed 001 lines it rests on.

mod support;

use support::*;
use vsmap::chain::Chain;
use vsmap::check::fix::{MapEdit, apply, edits};
use vsmap::check::{Fix, FixAction, Verdict, check};
use vsmap::model::activity::Activity::{self, *};
use vsmap::model::map::Map;

const SEED_001: &str = include_str!("seeds/001-service-value-chain.txt");

/// A map of one flow from a step of `from` to a step of `to`, between Demand and Value.
fn one_flow(from: Activity, to: Activity, artifact: Option<&str>) -> Map {
    map_of(
        vec![step("a", from, 0), step("b", to, 2)],
        vec![flow("a", "b", artifact)],
    )
}

fn fixes_of(map: &Map) -> Vec<Fix> {
    check(&Chain::builtin(), map)
        .diagnostics
        .iter()
        .find(|d| {
            d.subject == vsmap::check::Subject::Flow(0, Some("artifact"))
                || d.subject == vsmap::check::Subject::Flow(0, None)
        })
        .map(|d| d.fixes.to_vec())
        .unwrap_or_default()
}

/// (from, to, artifact, first fix's kind, first fix's text, seed 001 lines it rests on)
type FirstFix = (
    Activity,
    Activity,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static [&'static str],
);

#[test]
fn the_first_fix_is_the_one_a_practitioner_means() {
    let cases: &[FirstFix] = &[
        (
            Engage,
            ObtainOrBuild,
            Some("Change request"),
            "use-artifact",
            "use \"Change or project initiation requests\", which the chain sends from Engage to Obtain or Build",
            &["- Change or project initiation requests for obtain or build"],
        ),
        (
            Engage,
            ObtainOrBuild,
            Some("Change requests"),
            "use-artifact",
            "use \"Change or project initiation requests\", which the chain sends from Engage to Obtain or Build",
            &["- Change requests provided by deliver and support"],
        ),
        (
            DesignAndTransition,
            Plan,
            Some("Portfolio decisions"),
            "reverse",
            "reverse the link: the chain sends \"Portfolio decisions\" from Plan to Design and Transition",
            &["- Portfolio decisions for design and transition"],
        ),
        (
            Demand,
            Plan,
            Some("Consolidated demands and opportunities"),
            "insert-step",
            "insert Engage: Demand → Engage (Requests and feedback) → Plan (Consolidated demands and opportunities)",
            &[
                "- Requests and feedback from customers",
                "- Consolidated demands and opportunities for plan",
            ],
        ),
        (
            Demand,
            Plan,
            None,
            "insert-step",
            "insert Engage: Demand → Engage (Requests and feedback) → Plan (Consolidated demands and opportunities)",
            &[
                "- Requests and feedback from customers",
                "- Consolidated demands and opportunities for plan",
            ],
        ),
        (
            ObtainOrBuild,
            Value,
            None,
            "insert-step",
            "insert Deliver and Support: Obtain or Build → Deliver and Support (Service components) → Value (Services delivered)",
            &[
                "- Service components for deliver and support",
                "- Services delivered to customers and users",
            ],
        ),
        (
            Value,
            Improve,
            None,
            "insert-step",
            "insert Engage: Value → Engage (Requests and feedback) → Improve (Improvement opportunities and stakeholders' feedback)",
            &[
                "- Requests and feedback from customers",
                "- Improvement opportunities and stakeholders' feedback for improve",
            ],
        ),
        (
            Value,
            Engage,
            None,
            "use-artifact",
            "use \"Requests and feedback\", which the chain sends from Value to Engage",
            &["- Requests and feedback from customers"],
        ),
        (
            Engage,
            Demand,
            Some("Requests and feedback"),
            "reverse",
            "reverse the link: the chain sends \"Requests and feedback\" from Demand to Engage",
            &["- Requests and feedback from customers"],
        ),
    ];
    for &(from, to, artifact, kind, text, lines) in cases {
        for line in lines {
            assert!(SEED_001.contains(line), "seed 001 has no line \"{line}\"");
        }
        let fixes = fixes_of(&one_flow(from, to, artifact));
        let first = fixes
            .first()
            .unwrap_or_else(|| panic!("{from} -> {to}: no fix"));
        assert_eq!(
            (first.kind(), first.text.as_str()),
            (kind, text),
            "{from} -> {to}"
        );
    }
}

#[test]
fn a_step_in_between_that_keeps_the_artifact_comes_before_other_artifacts() {
    // Engage -> Obtain or Build "Change requests": Deliver and Support sends change requests
    // ("Change requests for obtain or build") and Engage sends it user support tasks.
    let fixes = fixes_of(&one_flow(Engage, ObtainOrBuild, Some("Change requests")));
    let kinds: Vec<&str> = fixes.iter().map(Fix::kind).collect();
    assert_eq!(kinds[..2], ["use-artifact", "insert-step"]);
    assert_eq!(
        fixes[1].action,
        FixAction::InsertStep {
            activity: DeliverAndSupport,
            into: Chain::builtin().resolve("User support tasks").unwrap(),
            out: Chain::builtin().resolve("Change requests").unwrap(),
        }
    );
}

#[test]
fn every_fix_offered_mends_its_flow() {
    let chain = Chain::builtin();
    let broken: &[(Activity, Activity, Option<&str>)] = &[
        (Engage, ObtainOrBuild, Some("Change request")),
        (Engage, ObtainOrBuild, Some("Change requests")),
        (Engage, DeliverAndSupport, None),
        (DesignAndTransition, Plan, Some("Portfolio decisions")),
        (Demand, Plan, Some("Consolidated demands and opportunities")),
        (Demand, ObtainOrBuild, None),
        (
            DesignAndTransition,
            Value,
            Some("New and changed products and services"),
        ),
        (Improve, Value, Some("Improvement initiatives and plans")),
        (Value, Engage, None),
        (Value, Improve, Some("Stakeholders' feedback")),
        (Engage, Demand, Some("Requests and feedback")),
    ];
    for &(from, to, artifact) in broken {
        let map = one_flow(from, to, artifact);
        let fixes = fixes_of(&map);
        assert!(!fixes.is_empty(), "{from} -> {to}: no fix");
        for fix in &fixes {
            let mended = apply(&chain, &map, 0, fix);
            let report = check(&chain, &mended);
            assert!(
                report
                    .verdicts
                    .iter()
                    .all(|v| matches!(v, Verdict::Canonical | Verdict::Handoff)),
                "{from} -> {to}, {}: {:?}",
                fix.text,
                report.verdicts
            );
            assert!(mended.flows.len() >= map.flows.len());
        }
    }
}

#[test]
fn an_inserted_step_gets_a_fresh_id_and_a_free_cell_and_the_flow_keeps_its_notes() {
    let chain = Chain::builtin();
    let mut map = map_of(
        vec![
            step("demand", Demand, 0),
            step("engage", Engage, 3),
            step("plan", Plan, 1),
        ],
        vec![flow(
            "demand",
            "plan",
            Some("Consolidated demands and opportunities"),
        )],
    );
    map.flows[0].notes = "from the workshop".into();
    let fix = fixes_of(&map)
        .into_iter()
        .find(|f| f.kind() == "insert-step")
        .expect("an insert-step fix");
    let edits = edits(&chain, &map, 0, &fix);
    assert!(
        matches!(&edits[0], MapEdit::InsertStep(3, s) if s.id == "engage-2" && s.activity == Engage)
    );
    let mended = apply(&chain, &map, 0, &fix);
    assert_eq!(mended.steps.len(), 4);
    let cells: std::collections::HashSet<_> = mended.steps.iter().map(|s| s.at).collect();
    assert_eq!(cells.len(), 4, "the new step has a cell of its own");
    assert_eq!(
        mended
            .flows
            .iter()
            .map(|f| (
                f.from.as_str(),
                f.to.as_str(),
                f.artifact.as_deref().unwrap()
            ))
            .collect::<Vec<_>>(),
        [
            ("demand", "engage-2", "Requests and feedback"),
            ("engage-2", "plan", "Consolidated demands and opportunities"),
        ]
    );
    assert_eq!(mended.flows[0].notes, "from the workshop");
    // A flow that is gone, or whose ends are not steps, gets no edits.
    assert!(vsmap::check::fix::edits(&chain, &map, 7, &fix).is_empty());
    let mut dangling = map.clone();
    dangling.flows[0].to = "nowhere".into();
    assert!(vsmap::check::fix::edits(&chain, &dangling, 0, &fix).is_empty());
}
