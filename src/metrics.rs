//! Flow metrics of a stream (seed 003: "Measure flow"): lead time, process time, flow
//! efficiency and rolled %C/A along the path from Demand to Value that takes longest, and
//! the bottleneck. A number nobody entered is missing, never zero.

use crate::check::kinds;
use crate::model::activity::Activity;
use crate::model::map::Map;
use rustc_hash::{FxHashMap, FxHashSet};

/// A total as a facilitator reads it: "3h20m", or "missing (2 steps without times)", with
/// days of the map's working day (`day_minutes`).
pub fn describe(sum: &Sum, path_known: bool, day_minutes: u32) -> String {
    if !path_known {
        return "missing (no path from Demand to Value)".into();
    }
    match sum.complete() {
        Some(total) => crate::text::duration(total, day_minutes),
        None => {
            let n = sum.missing.len();
            format!(
                "missing ({n} step{} without times)",
                if n == 1 { "" } else { "s" }
            )
        }
    }
}

/// Handoff waste as a facilitator reads it (seed 003: "Reduce delays between activities"):
/// "1d2h (45.0% of the lead time); longest 1d before Fix the issue", with each step named
/// by `name`, or why it is missing.
pub fn describe_handoffs(
    map: &Map,
    m: &Metrics,
    day_minutes: u32,
    name: impl Fn(usize) -> String,
) -> String {
    if m.path.is_empty() {
        return "missing (no path from Demand to Value)".into();
    }
    if m.handoff_steps.is_empty() {
        return "0m (the path never passes between activities)".into();
    }
    let Some(total) = m.handoff_wait.complete() else {
        let n = m.handoff_wait.missing.len();
        return format!(
            "missing ({n} step{} entered from another activity without a wait time)",
            if n == 1 { "" } else { "s" }
        );
    };
    let share = match m.handoff_share() {
        Some(share) => format!("{} of the lead time", percent(Some(share))),
        None => "share of the lead time missing".into(),
    };
    let mut text = format!("{} ({share})", crate::text::duration(total, day_minutes));
    if let Some(step) = m.longest_handoff(map) {
        let wait = map.steps[step].wait_minutes.unwrap_or(0);
        text.push_str(&format!(
            "; longest {} before {}",
            crate::text::minutes(wait, day_minutes),
            name(step)
        ));
    }
    text
}

/// The map's coverage of the six activities: "6 of 6", or "4 of 6; not used: Plan, Improve".
pub fn describe_coverage(m: &Metrics) -> String {
    let (used, all) = m.coverage();
    let unused: Vec<&str> = Activity::CHAIN
        .into_iter()
        .filter(|a| !m.activities_used.contains(a))
        .map(Activity::name)
        .collect();
    if unused.is_empty() {
        format!("{used} of {all}")
    } else {
        format!("{used} of {all}; not used: {}", unused.join(", "))
    }
}

/// "42.5%" or "missing"; one decimal, as the reports and `vsmap diff` show it.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "missing".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// A total over some steps, with the steps that had no number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sum {
    pub known: u64,
    /// Indices of the steps whose number is missing.
    pub missing: Vec<usize>,
}

impl Sum {
    /// The total, when every step had its number.
    pub fn complete(&self) -> Option<u64> {
        self.missing.is_empty().then_some(self.known)
    }

    fn add(&mut self, step: usize, value: Option<u32>) {
        match value {
            Some(v) => self.known += u64::from(v),
            None => self.missing.push(step),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// Step indices from a Demand to a Value, the path whose lead time is longest; empty when
    /// no path joins them.
    pub path: Vec<usize>,
    pub lead: Sum,
    pub process: Sum,
    pub wait: Sum,
    /// Process time over lead time, when both are complete and lead time is not zero.
    pub flow_efficiency: Option<f64>,
    /// The product of the path's %C/A, 0 to 1, when every step on it has one.
    pub rolled_complete_accurate: Option<f64>,
    pub complete_accurate_missing: Vec<usize>,
    /// The step with the longest wait in the whole map, if any wait is known.
    pub bottleneck: Option<usize>,
    /// Handoff waste (seed 003: "Eliminate handoff waste: Reduce delays between activities"):
    /// the waits of the path's steps that work enters from a step of another activity.
    pub handoff_wait: Sum,
    /// Those steps, in path order.
    pub handoff_steps: Vec<usize>,
    /// The value chain activities the map's steps use, in seed 001's order: its coverage of
    /// the six (seed 003: "All six are needed, even if some are lightweight").
    pub activities_used: Vec<Activity>,
}

impl Metrics {
    /// Activities used out of the six: (used, 6).
    pub fn coverage(&self) -> (usize, usize) {
        (self.activities_used.len(), Activity::CHAIN.len())
    }

    /// The step on the path with the longest known wait where work passes between
    /// activities (the first of equals), when that wait is more than nothing.
    pub fn longest_handoff(&self, map: &Map) -> Option<usize> {
        let mut best: Option<(u32, usize)> = None;
        for &step in &self.handoff_steps {
            if let Some(wait) = map.steps[step].wait_minutes
                && wait > 0
                && best.is_none_or(|(w, _)| wait > w)
            {
                best = Some((wait, step));
            }
        }
        best.map(|(_, step)| step)
    }

    /// The share of the lead time spent waiting between activities, when both are complete.
    pub fn handoff_share(&self) -> Option<f64> {
        match (self.handoff_wait.complete(), self.lead.complete()) {
            (Some(wait), Some(lead)) if lead > 0 && !self.path.is_empty() => {
                Some(wait as f64 / lead as f64)
            }
            _ => None,
        }
    }
}

/// The steps that count for times: the activities, not the ends.
fn counts(map: &Map, step: usize) -> bool {
    !map.steps[step].activity.is_end()
}

pub fn metrics(map: &Map) -> Metrics {
    let path = longest_path(map);
    let mut metrics = Metrics {
        bottleneck: bottleneck(map),
        activities_used: Activity::CHAIN
            .into_iter()
            .filter(|&a| map.steps.iter().any(|s| kinds(s).any(|k| k == a)))
            .collect(),
        ..Metrics::default()
    };
    for pair in path.windows(2) {
        let (before, step) = (&map.steps[pair[0]], &map.steps[pair[1]]);
        let crosses = !before.activity.is_end()
            && !step.activity.is_end()
            && !kinds(before).any(|a| !a.is_end() && kinds(step).any(|b| b == a));
        if crosses {
            metrics.handoff_wait.add(pair[1], step.wait_minutes);
            metrics.handoff_steps.push(pair[1]);
        }
    }
    for &step in path.iter().filter(|&&s| counts(map, s)) {
        let s = &map.steps[step];
        metrics.process.add(step, s.process_minutes);
        metrics.wait.add(step, s.wait_minutes);
        match (s.process_minutes, s.wait_minutes) {
            (Some(p), Some(w)) => metrics.lead.known += u64::from(p) + u64::from(w),
            (p, w) => {
                metrics.lead.known += u64::from(p.unwrap_or(0)) + u64::from(w.unwrap_or(0));
                metrics.lead.missing.push(step);
            }
        }
        if s.complete_accurate_percent.is_none() {
            metrics.complete_accurate_missing.push(step);
        }
    }
    if let (Some(process), Some(lead)) = (metrics.process.complete(), metrics.lead.complete())
        && lead > 0
        && !path.is_empty()
    {
        metrics.flow_efficiency = Some(process as f64 / lead as f64);
    }
    let activity_steps: Vec<usize> = path.iter().copied().filter(|&s| counts(map, s)).collect();
    if !activity_steps.is_empty() && metrics.complete_accurate_missing.is_empty() {
        metrics.rolled_complete_accurate = Some(
            activity_steps
                .iter()
                .map(|&s| {
                    f64::from(
                        map.steps[s]
                            .complete_accurate_percent
                            .unwrap_or(100)
                            .min(100),
                    ) / 100.0
                })
                .product(),
        );
    }
    metrics.path = path;
    metrics
}

fn bottleneck(map: &Map) -> Option<usize> {
    let mut best: Option<(u32, usize)> = None;
    for (i, step) in map.steps.iter().enumerate() {
        if let Some(wait) = step.wait_minutes
            && best.is_none_or(|(w, _)| wait > w)
        {
            best = Some((wait, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The path from a Demand to a Value with the longest known lead time (more steps, then
/// earlier steps, break ties). Loops are cut where a depth-first walk from Demand meets a
/// step it is still inside, so a stream that doubles back still has a longest path.
pub fn longest_path(map: &Map) -> Vec<usize> {
    let n = map.steps.len();
    let index: FxHashMap<&str, usize> = map
        .steps
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let is = |i: usize, a: Activity| kinds(&map.steps[i]).any(|k| k == a);
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    // A set, not `next[a].contains`: a step with 100,000 flows out must not cost 10^10.
    let mut edges = FxHashSet::with_capacity_and_hasher(map.flows.len(), Default::default());
    for flow in &map.flows {
        if let (Some(&a), Some(&b)) = (index.get(flow.from.as_str()), index.get(flow.to.as_str()))
            && a != b
            // A path ends at the Value it reaches; work after it is another stream.
            && !is(a, Activity::Value)
            && edges.insert((a, b))
        {
            next[a].push(b);
        }
    }
    let demands: Vec<usize> = (0..n).filter(|&i| is(i, Activity::Demand)).collect();

    // Depth-first from every Demand, without recursion (maps can be deep), keeping the edges
    // that do not close a loop and the order in which steps finish.
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        No,
        Inside,
        Done,
    }
    let mut seen = vec![Seen::No; n];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut finished = Vec::with_capacity(n);
    for &start in &demands {
        if seen[start] != Seen::No {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        seen[start] = Seen::Inside;
        while let Some(&mut (step, ref mut k)) = stack.last_mut() {
            if let Some(&to) = next[step].get(*k) {
                *k += 1;
                match seen[to] {
                    Seen::Inside => {} // closes a loop: left out
                    Seen::Done => forward[step].push(to),
                    Seen::No => {
                        forward[step].push(to);
                        seen[to] = Seen::Inside;
                        stack.push((to, 0));
                    }
                }
            } else {
                seen[step] = Seen::Done;
                finished.push(step);
                stack.pop();
            }
        }
    }

    // Longest path to a Value from each step, in reverse topological order (finish order).
    let weight = |i: usize| -> u64 {
        let s = &map.steps[i];
        u64::from(s.process_minutes.unwrap_or(0)) + u64::from(s.wait_minutes.unwrap_or(0))
    };
    // The best path from each step to a Value: its (lead, steps) and the step after this one.
    type Best = Option<((u64, usize), Option<usize>)>;
    let mut best: Vec<Best> = vec![None; n];
    for &step in &finished {
        let mut here: Best = is(step, Activity::Value).then_some(((weight(step), 1), None));
        for &to in &forward[step] {
            if let Some(((lead, len), _)) = best[to] {
                let candidate = ((lead + weight(step), len + 1), Some(to));
                if here.is_none_or(|(score, _)| candidate.0 > score) {
                    here = Some(candidate);
                }
            }
        }
        best[step] = here;
    }
    let Some(start) = demands
        .iter()
        .copied()
        .filter(|&d| best[d].is_some())
        .max_by(|&a, &b| {
            let (sa, sb) = (best[a].map(|b| b.0), best[b].map(|b| b.0));
            sa.cmp(&sb).then(b.cmp(&a))
        })
    else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut at = start;
    while let Some((_, Some(to))) = best[at] {
        path.push(to);
        at = to;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::map::{Cell, Flow, Step};

    fn step(
        id: &str,
        activity: Activity,
        process: Option<u32>,
        wait: Option<u32>,
        ca: Option<u8>,
    ) -> Step {
        Step {
            process_minutes: process,
            wait_minutes: wait,
            complete_accurate_percent: ca,
            ..Step::new(id, activity, id, Cell::new(0, 0))
        }
    }

    fn map(steps: Vec<Step>, flows: &[(&str, &str)]) -> Map {
        let mut map = Map::new("m");
        for (i, mut s) in steps.into_iter().enumerate() {
            s.at = Cell::new(i as u16, 0);
            map.steps.push(s);
        }
        map.flows = flows.iter().map(|(a, b)| Flow::new(*a, *b, None)).collect();
        map
    }

    fn ids(map: &Map, path: &[usize]) -> Vec<String> {
        path.iter().map(|&i| map.steps[i].id.to_string()).collect()
    }

    #[test]
    fn a_straight_stream_sums_its_times() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("a", Engage, Some(10), Some(30), Some(90)),
                step("b", DeliverAndSupport, Some(20), Some(40), Some(50)),
                step("v", Value, None, None, None),
            ],
            &[("d", "a"), ("a", "b"), ("b", "v")],
        );
        let metrics = metrics(&m);
        assert_eq!(ids(&m, &metrics.path), ["d", "a", "b", "v"]);
        assert_eq!(metrics.lead.complete(), Some(100));
        assert_eq!(metrics.process.complete(), Some(30));
        assert_eq!(metrics.wait.complete(), Some(70));
        assert_eq!(metrics.flow_efficiency, Some(0.3));
        assert!((metrics.rolled_complete_accurate.unwrap() - 0.45).abs() < 1e-9);
        assert_eq!(metrics.bottleneck, Some(2));
    }

    #[test]
    fn branches_take_the_longest_path() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("fast", Engage, Some(5), Some(5), None),
                step("slow", Plan, Some(60), Some(600), None),
                step("run", DeliverAndSupport, Some(10), Some(10), None),
                step("v", Value, None, None, None),
            ],
            &[
                ("d", "fast"),
                ("d", "slow"),
                ("fast", "run"),
                ("slow", "run"),
                ("run", "v"),
            ],
        );
        let metrics = metrics(&m);
        assert_eq!(ids(&m, &metrics.path), ["d", "slow", "run", "v"]);
        assert_eq!(metrics.lead.complete(), Some(680));
        assert_eq!(metrics.bottleneck, Some(2));
    }

    #[test]
    fn loops_are_cut_not_followed_forever() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("run", DeliverAndSupport, Some(10), Some(0), None),
                step("learn", Improve, Some(30), Some(60), None),
                step("v", Value, None, None, None),
            ],
            &[
                ("d", "run"),
                ("run", "learn"),
                ("learn", "run"),
                ("run", "v"),
                ("learn", "v"),
            ],
        );
        let metrics = metrics(&m);
        assert_eq!(ids(&m, &metrics.path), ["d", "run", "learn", "v"]);
        assert_eq!(metrics.lead.complete(), Some(100));
    }

    #[test]
    fn a_path_ends_at_the_first_value_it_reaches() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("fix", DeliverAndSupport, Some(10), Some(5), None),
                step("v", Value, None, None, None),
                step("survey", Engage, Some(5), Some(2880), None),
                step("later", Value, None, None, None),
            ],
            &[
                ("d", "fix"),
                ("fix", "v"),
                ("v", "survey"),
                ("survey", "later"),
            ],
        );
        let metrics = metrics(&m);
        assert_eq!(ids(&m, &metrics.path), ["d", "fix", "v"]);
        assert_eq!(metrics.lead.complete(), Some(15));
        assert_eq!(
            metrics.bottleneck,
            Some(3),
            "the bottleneck is the longest wait anywhere"
        );
    }

    #[test]
    fn missing_numbers_stay_missing() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("a", Engage, Some(10), None, Some(80)),
                step("b", DeliverAndSupport, None, Some(40), None),
                step("v", Value, None, None, None),
            ],
            &[("d", "a"), ("a", "b"), ("b", "v")],
        );
        let metrics = metrics(&m);
        assert_eq!(metrics.lead.complete(), None);
        assert_eq!(metrics.lead.known, 50);
        assert_eq!(metrics.lead.missing, [1, 2]);
        assert_eq!(metrics.process.missing, [2]);
        assert_eq!(metrics.wait.missing, [1]);
        assert_eq!(metrics.flow_efficiency, None);
        assert_eq!(metrics.rolled_complete_accurate, None);
        assert_eq!(metrics.complete_accurate_missing, [2]);
    }

    #[test]
    fn no_path_from_demand_to_value_means_no_path_metrics() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("a", Engage, Some(1), Some(2), None),
                step("v", Value, None, None, None),
            ],
            &[("d", "a")],
        );
        let metrics = metrics(&m);
        assert!(metrics.path.is_empty());
        assert_eq!(metrics.lead, Sum::default());
        assert_eq!(metrics.flow_efficiency, None);
        assert_eq!(metrics.bottleneck, Some(1));
        assert_eq!(super::metrics(&Map::new("empty")), Metrics::default());
    }

    #[test]
    fn handoff_wait_counts_waits_where_the_activity_changes() {
        // Seed 003, Practical Do's: "Eliminate handoff waste: Reduce delays between activities".
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("log", Engage, Some(5), Some(10), None),
                step("route", DeliverAndSupport, Some(5), Some(30), None),
                step("fix", DeliverAndSupport, Some(60), Some(45), None),
                step("learn", Improve, Some(20), None, None),
                step("v", Value, None, None, None),
            ],
            &[
                ("d", "log"),
                ("log", "route"),
                ("route", "fix"),
                ("fix", "learn"),
                ("learn", "v"),
            ],
        );
        let metrics = metrics(&m);
        // log is entered from Demand (no activity), fix from route (the same activity).
        assert_eq!(metrics.handoff_wait.known, 30);
        assert_eq!(metrics.handoff_wait.missing, [4], "learn's wait is missing");
        assert_eq!(metrics.handoff_share(), None);
        assert_eq!(metrics.coverage(), (3, 6));
        assert_eq!(
            metrics.activities_used,
            [Improve, Engage, DeliverAndSupport]
        );
        assert_eq!(ids(&m, &metrics.handoff_steps), ["route", "learn"]);
        let name = |i: usize| m.steps[i].label.to_string();
        assert_eq!(
            describe_handoffs(&m, &metrics, 480, name),
            "missing (1 step entered from another activity without a wait time)"
        );
        assert_eq!(
            describe_coverage(&metrics),
            "3 of 6; not used: Plan, Design and Transition, Obtain or Build"
        );
    }

    #[test]
    fn handoff_waste_names_its_share_and_its_longest_wait() {
        use Activity::*;
        let m = map(
            vec![
                step("d", Demand, None, None, None),
                step("log", Engage, Some(30), Some(30), None),
                step("plan", Plan, Some(60), Some(1440), None),
                step("fix", DeliverAndSupport, Some(30), Some(480), None),
                step("v", Value, None, None, None),
            ],
            &[("d", "log"), ("log", "plan"), ("plan", "fix"), ("fix", "v")],
        );
        let metrics = metrics(&m);
        assert_eq!(metrics.handoff_wait.complete(), Some(1920));
        assert_eq!(metrics.longest_handoff(&m), Some(2));
        // 1920 of 2070 minutes.
        assert_eq!(
            describe_handoffs(&m, &metrics, 480, |i| m.steps[i].label.to_string()),
            "4d (92.8% of the lead time); longest 3d before plan"
        );
        assert_eq!(
            describe_handoffs(&m, &metrics, 1440, |i| m.steps[i].label.to_string()),
            "1d8h (92.8% of the lead time); longest 1d before plan"
        );
        // One activity all along: no handoffs at all, which is not a missing number.
        let one = map(
            vec![
                step("d", Demand, None, None, None),
                step("a", Engage, Some(5), Some(5), None),
                step("b", Engage, Some(5), Some(5), None),
                step("v", Value, None, None, None),
            ],
            &[("d", "a"), ("a", "b"), ("b", "v")],
        );
        let metrics = super::metrics(&one);
        assert_eq!(metrics.longest_handoff(&one), None);
        assert_eq!(
            describe_handoffs(&one, &metrics, 480, |i| one.steps[i].id.to_string()),
            "0m (the path never passes between activities)"
        );
        let none = Map::new("empty");
        assert_eq!(
            describe_handoffs(&none, &super::metrics(&none), 480, |_| String::new()),
            "missing (no path from Demand to Value)"
        );
        assert_eq!(
            describe_coverage(&super::metrics(&none)),
            "0 of 6; not used: Plan, Improve, Engage, Design and Transition, Obtain or Build, Deliver and Support"
        );
    }

    #[test]
    fn a_deep_stream_does_not_overflow_the_stack() {
        use Activity::*;
        let mut steps = vec![step("d", Demand, None, None, None)];
        let mut flows = Vec::new();
        for i in 0..50_000 {
            steps.push(step(&format!("s{i}"), Engage, Some(1), Some(1), None));
        }
        steps.push(step("v", Value, None, None, None));
        let ids: Vec<String> = steps.iter().map(|s| s.id.to_string()).collect();
        for pair in ids.windows(2) {
            flows.push((pair[0].as_str(), pair[1].as_str()));
        }
        let m = map(steps, &flows);
        assert_eq!(metrics(&m).lead.complete(), Some(100_000));
    }
}
