//! Helpers shared by the integration tests.
#![allow(dead_code)]

use vsmap::activity::Activity;
use vsmap::chain::Chain;
use vsmap::check::{Report, Verdict, check};
use vsmap::map::{Cell, Flow, Map, Step};

pub fn step(id: &str, activity: Activity, col: u16) -> Step {
    Step {
        id: id.into(),
        activity,
        also: Vec::new(),
        label: format!("{id} label"),
        at: Cell::new(col, 0),
        process_minutes: None,
        wait_minutes: None,
        practices: Vec::new(),
        notes: String::new(),
    }
}

pub fn flow(from: &str, to: &str, artifact: Option<&str>) -> Flow {
    Flow {
        from: from.into(),
        to: to.into(),
        artifact: artifact.map(String::from),
        notes: String::new(),
    }
}

/// A map of the given steps (placed left to right) and flows.
pub fn map_of(steps: Vec<Step>, flows: Vec<Flow>) -> Map {
    let mut map = Map::new("test");
    map.steps = steps;
    for (col, step) in map.steps.iter_mut().enumerate() {
        step.at = Cell::new(col as u16, step.at.row);
    }
    map.flows = flows;
    map
}

/// The verdict of one flow from a step of `from` to a step of `to`.
pub fn verdict_with(
    chain: &Chain,
    from: &[Activity],
    to: &[Activity],
    artifact: Option<&str>,
) -> (Verdict, Report) {
    let mut a = step("a", from[0], 0);
    a.also = from[1..].to_vec();
    let mut b = step("b", to[0], 1);
    b.also = to[1..].to_vec();
    let report = check(chain, &map_of(vec![a, b], vec![flow("a", "b", artifact)]));
    (report.verdicts[0], report)
}

pub fn verdict(from: Activity, to: Activity, artifact: &str) -> Verdict {
    verdict_with(&Chain::builtin(), &[from], &[to], Some(artifact)).0
}
