//! Map-level findings: the ends, reachability, duplicates and seed 003's anti-patterns.

mod support;

use support::*;
use vsmap::chain::Chain;
use vsmap::check::codes::Code;
use vsmap::check::{Subject, check};
use vsmap::model::activity::Activity::*;
use vsmap::model::map::Map;

fn codes(map: &Map) -> Vec<(Code, Subject)> {
    check(&Chain::builtin(), map)
        .diagnostics
        .iter()
        .map(|d| (d.code, d.subject))
        .collect()
}

fn has(map: &Map, code: Code) -> bool {
    codes(map).iter().any(|(c, _)| *c == code)
}

/// Demand -> Engage -> Deliver and Support -> Value, with Deliver and Support feeding Improve.
fn healthy() -> Map {
    map_of(
        vec![
            step("demand", Demand, 0),
            step("log", Engage, 1),
            step("fix", DeliverAndSupport, 2),
            step("value", Value, 3),
            step("learn", Improve, 4),
        ],
        vec![
            flow(
                "demand",
                "log",
                Some("Incidents, service requests, and feedback"),
            ),
            flow("log", "fix", Some("User support tasks")),
            flow("fix", "value", Some("Services delivered")),
            flow("fix", "learn", Some("Improvement opportunities")),
            flow("learn", "fix", Some("Improvement initiatives and plans")),
        ],
    )
}

#[test]
fn a_healthy_stream_has_no_findings() {
    assert_eq!(codes(&healthy()), []);
}

#[test]
fn missing_ends_are_reported() {
    let mut map = healthy();
    map.steps
        .retain(|s| s.activity != Demand && s.activity != Value);
    map.flows.retain(|f| f.from != "demand" && f.to != "value");
    let found = codes(&map);
    assert!(found.contains(&(Code::NoDemand, Subject::Map)));
    assert!(found.contains(&(Code::NoValue, Subject::Map)));
    assert!(
        !found
            .iter()
            .any(|(c, _)| matches!(c, Code::UnreachedStep | Code::DeadEndStep))
    );
}

#[test]
fn steps_off_the_demand_to_value_path_are_reported() {
    let mut map = healthy();
    map.steps.push(step("plan", Plan, 5));
    map.steps.push(step("build", ObtainOrBuild, 6));
    map.flows
        .push(flow("plan", "log", Some("Product and service portfolio")));
    map.flows.push(flow(
        "log",
        "build",
        Some("Change or project initiation requests"),
    ));
    let found = codes(&map);
    assert!(
        found.contains(&(Code::UnreachedStep, Subject::Step(5, None))),
        "{found:?}"
    );
    assert!(
        found.contains(&(Code::DeadEndStep, Subject::Step(6, None))),
        "{found:?}"
    );
    assert!(!found.contains(&(Code::UnreachedStep, Subject::Step(6, None))));
    assert!(!found.contains(&(Code::DeadEndStep, Subject::Step(5, None))));
}

#[test]
fn orphans_are_reported_once() {
    let mut map = healthy();
    map.steps.push(step("lonely", Plan, 5));
    let found = codes(&map);
    let about_lonely: Vec<Code> = found
        .iter()
        .filter(|(_, s)| *s == Subject::Step(5, None))
        .map(|(c, _)| *c)
        .collect();
    assert_eq!(about_lonely, [Code::OrphanStep]);
}

#[test]
fn duplicate_and_self_flows() {
    let mut map = healthy();
    map.flows
        .push(flow("log", "fix", Some("user support TASKS")));
    map.flows.push(flow("fix", "fix", None));
    let found = codes(&map);
    assert!(found.contains(&(Code::DuplicateFlow, Subject::Flow(5, None))));
    assert!(found.contains(&(Code::SelfFlow, Subject::Flow(6, None))));
    // A second flow with a different artifact is not a duplicate.
    let mut map = healthy();
    map.flows.push(flow(
        "log",
        "fix",
        Some("Knowledge and information about third-party service components"),
    ));
    assert!(!has(&map, Code::DuplicateFlow));
}

#[test]
fn empty_ids_are_errors() {
    let mut map = healthy();
    map.steps.push(step("", Plan, 5));
    assert!(codes(&map).contains(&(Code::EmptyStepId, Subject::Step(5, Some("id")))));
}

#[test]
fn missing_feedback_three_ways() {
    // No Improve step at all.
    let mut map = healthy();
    map.steps.retain(|s| s.id != "learn");
    map.flows.retain(|f| f.from != "learn" && f.to != "learn");
    assert!(codes(&map).contains(&(Code::MissingFeedback, Subject::Map)));
    // An Improve step nothing flows into.
    let mut map = healthy();
    map.flows.retain(|f| f.to != "learn");
    assert!(codes(&map).contains(&(Code::MissingFeedback, Subject::Step(4, None))));
    // Improve is fed, but not from Deliver and Support.
    let mut map = healthy();
    map.flows.retain(|f| f.to != "learn");
    map.flows.push(flow(
        "log",
        "learn",
        Some("Improvement opportunities and stakeholders' feedback"),
    ));
    assert!(codes(&map).contains(&(Code::MissingFeedback, Subject::Step(2, None))));
    // A longer path from Deliver and Support to Improve is feedback too.
    let mut map = healthy();
    map.flows.retain(|f| f.to != "learn");
    map.flows.push(flow(
        "fix",
        "log",
        Some("Information on the completion of user support tasks"),
    ));
    map.flows.push(flow(
        "log",
        "learn",
        Some("Improvement opportunities and stakeholders' feedback"),
    ));
    assert!(!has(&map, Code::MissingFeedback));
}

#[test]
fn build_only_focus() {
    // Seed 003 (Anti-Patterns): "Build-Only Focus: Neglecting Engage to understand what
    // customers actually need": a path from Demand builds before any Engage step, and Engage
    // comes only at the end.
    let built_first = map_of(
        vec![
            step("demand", Demand, 0),
            step("build", ObtainOrBuild, 1),
            step("run", DeliverAndSupport, 2),
            step("report", Engage, 3),
            step("value", Value, 4),
        ],
        vec![
            flow("demand", "build", None),
            flow("build", "run", Some("Service components")),
            flow(
                "run",
                "report",
                Some("Product and service performance information"),
            ),
            flow("report", "value", Some("Service performance reports")),
        ],
    );
    assert!(codes(&built_first).contains(&(Code::BuildOnlyFocus, Subject::Step(1, None))));
    assert!(!has(&healthy(), Code::BuildOnlyFocus));
    // Seed 003's own "Deploy Software Release" (Design & Transition -> Obtain/Build ->
    // Deliver & Support -> Improve) has no Engage step at all: not the anti-pattern (it was
    // reported before issue 13).
    let no_engage = map_of(
        vec![
            step("demand", Demand, 0),
            step("build", ObtainOrBuild, 1),
            step("run", DeliverAndSupport, 2),
            step("value", Value, 3),
        ],
        vec![
            flow("demand", "build", None),
            flow("build", "run", Some("Service components")),
            flow("run", "value", Some("Services delivered")),
        ],
    );
    assert!(!has(&no_engage, Code::BuildOnlyFocus));
}

#[test]
fn planning_paralysis() {
    let mut map = healthy();
    for (i, id) in ["p1", "p2", "p3"].into_iter().enumerate() {
        map.steps.push(step(id, Plan, 5 + i as u16));
    }
    // 3 Plan steps against 3 other activity steps: Plan outweighs.
    assert!(codes(&map).contains(&(Code::PlanningParalysis, Subject::Step(5, None))));
    map.steps.push(step("run2", DeliverAndSupport, 8));
    map.steps.push(step("run3", DeliverAndSupport, 9));
    map.steps.push(step("run4", DeliverAndSupport, 10));
    assert!(!has(&map, Code::PlanningParalysis));
}

#[test]
fn waterfall_through_all_six_activities() {
    let order = [
        Engage,
        Plan,
        DesignAndTransition,
        ObtainOrBuild,
        DeliverAndSupport,
        Improve,
    ];
    let mut steps = vec![step("demand", Demand, 0)];
    steps.extend(
        order
            .iter()
            .enumerate()
            .map(|(i, &a)| step(&format!("s{i}"), a, 0)),
    );
    steps.push(step("value", Value, 0));
    let ids: Vec<String> = steps.iter().map(|s| s.id.to_string()).collect();
    let flows = ids.windows(2).map(|w| flow(&w[0], &w[1], None)).collect();
    let map = map_of(steps, flows);
    assert!(codes(&map).contains(&(Code::Waterfall, Subject::Step(1, None))));
    // A feedback loop makes it a stream, not a waterfall.
    let mut looped = map.clone();
    looped.flows.push(flow("s5", "s0", None));
    assert!(!has(&looped, Code::Waterfall));
}

#[test]
fn unknown_practices_are_noted_with_a_suggestion() {
    let mut map = healthy();
    map.steps[2].practices =
        thin_vec::thin_vec!["Incident managment".into(), "service desk".into()];
    let report = check(&Chain::builtin(), &map);
    let notes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownPractice)
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].subject, Subject::Step(2, Some("practices")));
    assert_eq!(*notes[0].help, ["did you mean \"Incident management\"?"]);
}

#[test]
fn a_percentage_above_100_is_an_error() {
    let mut map = healthy();
    map.steps[1].complete_accurate_percent = Some(101);
    assert!(codes(&map).contains(&(
        Code::InvalidPercent,
        Subject::Step(1, Some("complete_accurate_percent"))
    )));
    map.steps[1].complete_accurate_percent = Some(100);
    assert!(!has(&map, Code::InvalidPercent));
}

// ---- Issue 13: anti-patterns that match seed 003 ---------------------------------------

const SEED_003: &str = include_str!("seeds/003-value-chain-practices.txt");

fn cited(line: &str) {
    assert!(SEED_003.contains(line), "seed 003 has no line \"{line}\"");
}

#[test]
fn feedback_counts_where_seed_003_sees_it() {
    cited("**Missing Feedback**: Deliver & Support team problems never reach Improve");
    cited("Don't ignore feedback loops**: Deliver & Support insights must reach Plan and Improve");
    // (case, map, missing-feedback expected)
    let mut also_improve = healthy();
    also_improve
        .flows
        .retain(|f| f.to != "learn" && f.from != "learn");
    also_improve.steps.retain(|s| s.id != "learn");
    also_improve.steps[2].also = thin_vec::thin_vec![Improve];
    let mut with_plan = healthy();
    with_plan.steps.push(step("plan", Plan, 5));
    with_plan
        .flows
        .push(flow("plan", "log", Some("Product and service portfolio")));
    let mut learning_planned = with_plan.clone();
    learning_planned.flows.push(flow(
        "learn",
        "plan",
        Some("Value chain performance information"),
    ));
    let cases: [(&str, &Map, bool); 4] = [
        (
            "a Deliver and Support step that also improves",
            &also_improve,
            false,
        ),
        ("the healthy stream, which plans nothing", &healthy(), false),
        ("Improve never reaches the Plan step", &with_plan, true),
        ("Improve reaches Plan", &learning_planned, false),
    ];
    for (case, map, expected) in cases {
        assert_eq!(has(map, Code::MissingFeedback), expected, "{case}");
    }
}

#[test]
fn feedback_into_improve_is_not_a_dead_end() {
    // A survey step after the work feeds Improve, which leads nowhere further: learning, not
    // waste (dead-end-step fired on both before).
    let mut map = healthy();
    map.steps.push(step("survey", Engage, 5));
    map.flows.push(flow(
        "fix",
        "survey",
        Some("Product and service performance information"),
    ));
    map.flows.push(flow(
        "survey",
        "learn",
        Some("Improvement opportunities and stakeholders' feedback"),
    ));
    map.flows.retain(|f| f.from != "learn");
    let found = codes(&map);
    assert!(
        !found.iter().any(|(c, _)| *c == Code::DeadEndStep),
        "{found:?}"
    );
    // A step that feeds neither Value nor Improve still is one.
    map.steps.push(step("plan", Plan, 6));
    map.flows.push(flow(
        "log",
        "plan",
        Some("Consolidated demands and opportunities"),
    ));
    assert!(codes(&map).contains(&(Code::DeadEndStep, Subject::Step(6, None))));
}

#[test]
fn waterfall_needs_one_straight_line() {
    cited("**Waterfall Mentality**: Forcing sequential progression through all six activities");
    // Demand -> Engage -> Obtain or Build -> Deliver and Support -> Value, and beside it a
    // separate cycle Plan -> Improve -> Design and Transition -> Plan: the counts of a line
    // of six, but two pieces (a false positive before).
    let map = map_of(
        vec![
            step("demand", Demand, 0),
            step("e", Engage, 1),
            step("o", ObtainOrBuild, 2),
            step("d", DeliverAndSupport, 3),
            step("value", Value, 4),
            step("p", Plan, 5),
            step("i", Improve, 6),
            step("t", DesignAndTransition, 7),
        ],
        vec![
            flow("demand", "e", None),
            flow("e", "o", None),
            flow("o", "d", None),
            flow("d", "value", None),
            flow("p", "i", None),
            flow("i", "t", None),
            flow("t", "p", None),
        ],
    );
    assert!(!has(&map, Code::Waterfall));
}

#[test]
fn planning_paralysis_weighs_time_and_looks_for_delivery() {
    cited("**Planning Paralysis**: Over-investing in Plan while starving Deliver");
    let timed = |map: &mut Map, id: &str, process: u32, wait: u32| {
        let step = map.steps.iter_mut().find(|s| s.id == id).unwrap();
        step.process_minutes = Some(process);
        step.wait_minutes = Some(wait);
    };
    let mut slow_plan = healthy();
    slow_plan.steps.push(step("plan", Plan, 5));
    slow_plan.flows.push(flow(
        "log",
        "plan",
        Some("Consolidated demands and opportunities"),
    ));
    slow_plan
        .flows
        .push(flow("plan", "learn", Some("Improvement opportunities")));
    for (id, p, w) in [("log", 5, 10), ("fix", 60, 30), ("learn", 20, 10)] {
        timed(&mut slow_plan, id, p, w);
    }
    let mut quick_plan = slow_plan.clone();
    timed(&mut slow_plan, "plan", 120, 2400);
    timed(&mut quick_plan, "plan", 10, 20);
    let mut no_delivery = healthy();
    no_delivery.steps[2].activity = Plan;
    // (case, map, expected)
    let cases: [(&str, &Map, bool); 4] = [
        (
            "one Plan step that takes longer than the rest",
            &slow_plan,
            true,
        ),
        ("one quick Plan step", &quick_plan, false),
        ("a stream that plans and never delivers", &no_delivery, true),
        ("the healthy stream", &healthy(), false),
    ];
    for (case, map, expected) in cases {
        assert_eq!(has(map, Code::PlanningParalysis), expected, "{case}");
    }
}

#[test]
fn handoff_waste_is_noted_where_work_waits_between_activities() {
    cited("**Eliminate handoff waste**: Reduce delays between activities");
    let mut map = healthy();
    let times = [("log", 5, 10), ("fix", 60, 2400), ("learn", 20, 10)];
    for (id, process, wait) in times {
        let step = map.steps.iter_mut().find(|s| s.id == id).unwrap();
        step.process_minutes = Some(process);
        step.wait_minutes = Some(wait);
    }
    let report = check(&Chain::builtin(), &map);
    let note = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::HandoffWaste)
        .expect("a handoff-waste note");
    assert_eq!(note.subject, Subject::Step(2, None));
    assert!(
        note.message
            .contains("before step \"fix label\" (id \"fix\")"),
        "{}",
        note.message
    );
    // Short queues are no waste worth a note.
    let steps = map.steps.iter_mut().filter(|s| s.wait_minutes.is_some());
    for step in steps {
        step.wait_minutes = Some(1);
    }
    assert!(!has(&map, Code::HandoffWaste));
}

#[test]
fn diff_notes_silo_optimisation() {
    cited("**Silo Optimization**: Improving one activity at the expense of overall flow");
    let mut old = healthy();
    for (i, step) in old.steps.iter_mut().enumerate() {
        if !step.activity.is_end() {
            step.process_minutes = Some(10);
            step.wait_minutes = Some(10 * i as u32);
        }
    }
    let mut new = old.clone();
    // The fix step got faster; work now queues in front of logging.
    new.steps[2].process_minutes = Some(5);
    new.steps[1].wait_minutes = Some(600);
    let diff = vsmap::output::diff::diff(&Chain::builtin(), &old, &new);
    let silo: Vec<_> = diff
        .findings_added
        .iter()
        .filter(|f| f.code == Code::SiloOptimisation)
        .collect();
    assert_eq!(silo.len(), 1, "{:?}", diff.findings_added);
    assert_eq!(silo[0].subject, "step \"fix\"");
    // Faster and the lead time shrank: no note.
    let mut better = old.clone();
    better.steps[2].process_minutes = Some(5);
    let diff = vsmap::output::diff::diff(&Chain::builtin(), &old, &better);
    assert!(
        !diff
            .findings_added
            .iter()
            .any(|f| f.code == Code::SiloOptimisation)
    );
}
