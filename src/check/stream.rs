//! Findings about the stream as a whole: its ends, reachability, and seed 003's
//! anti-patterns.

use super::*;

/// A step's kinds as bits, one per activity (`Activity as u8`), and `END` when its own
/// activity is Demand or Value: what the stream checks need, without reading the step.
pub(super) fn shape(step: &Step) -> u16 {
    let kinds = kinds(step).fold(0u16, |bits, a| bits | 1 << (a as u16));
    kinds | if step.activity.is_end() { END } else { 0 }
}

pub(super) const END: u16 = 1 << 15;

pub(super) fn is(shape: u16, activity: Activity) -> bool {
    shape & 1 << (activity as u16) != 0
}

/// Findings about the stream as a whole: its ends, reachability, and seed 003's anti-patterns.
pub(super) fn check_stream(
    steps: &[Step],
    shapes: &[u16],
    edges: &[(usize, usize)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let forward = Adjacency::new(steps.len(), edges.iter().copied());
    let backward = Adjacency::new(steps.len(), edges.iter().map(|&(a, b)| (b, a)));
    let demands: Vec<usize> = (0..steps.len())
        .filter(|&i| is(shapes[i], Activity::Demand))
        .collect();
    let values: Vec<usize> = (0..steps.len())
        .filter(|&i| is(shapes[i], Activity::Value))
        .collect();
    if demands.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::NoDemand,
            Subject::Map,
            "the map has no Demand step, so nothing starts the stream",
        ));
    }
    if values.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::NoValue,
            Subject::Map,
            "the map has no Value step, so the stream leads nowhere",
        ));
    }
    let from_demand = reach(&demands, &forward);
    let to_value = reach(&values, &backward);
    let connected = |i: usize| !forward.of(i).is_empty() || !backward.of(i).is_empty();
    for (index, step) in steps.iter().enumerate() {
        if !connected(index) {
            if steps.len() > 1 {
                diagnostics.push(Diagnostic::new(
                    Code::OrphanStep,
                    Subject::Step(index, None),
                    format!("step \"{}\" has no flows in or out", user(&step.id)),
                ));
            }
            continue;
        }
        if !demands.is_empty() && !from_demand[index] {
            diagnostics.push(Diagnostic::new(
                Code::UnreachedStep,
                Subject::Step(index, None),
                format!("no path from Demand reaches step \"{}\"", user(&step.id)),
            ));
        }
        if !values.is_empty() && !to_value[index] {
            diagnostics.push(Diagnostic::new(
                Code::DeadEndStep,
                Subject::Step(index, None),
                format!("no path from step \"{}\" reaches Value", user(&step.id)),
            ));
        }
    }
    if !edges.is_empty() {
        check_feedback(steps, shapes, edges, &backward, diagnostics);
    }
    check_balance(shapes, diagnostics);
    check_waterfall(steps, shapes, edges, diagnostics);
}

/// Marks every step reachable from `starts` along `next`.
/// Who follows whom, in one flat array (compressed rows): no allocation per step, which
/// matters for maps of ten thousand steps.
pub struct Adjacency {
    start: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    pub fn new(nodes: usize, edges: impl Iterator<Item = (usize, usize)> + Clone) -> Adjacency {
        let mut start = vec![0u32; nodes + 1];
        for (from, _) in edges.clone() {
            start[from + 1] += 1;
        }
        for i in 0..nodes {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut targets = vec![0u32; start[nodes] as usize];
        for (from, to) in edges {
            targets[fill[from] as usize] = to as u32;
            fill[from] += 1;
        }
        Adjacency { start, targets }
    }

    pub fn of(&self, node: usize) -> &[u32] {
        &self.targets[self.start[node] as usize..self.start[node + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every step reachable from `starts` (which count as reached). The order of the walk does
/// not matter, so a stack does.
pub(super) fn reach(starts: &[usize], next: &Adjacency) -> Vec<bool> {
    let mut seen = vec![false; next.len()];
    let mut stack: Vec<u32> = Vec::with_capacity(starts.len());
    for &s in starts {
        if !seen[s] {
            seen[s] = true;
            stack.push(s as u32);
        }
    }
    while let Some(step) = stack.pop() {
        for &n in next.of(step as usize) {
            if !seen[n as usize] {
                seen[n as usize] = true;
                stack.push(n);
            }
        }
    }
    seen
}

pub(super) fn check_feedback(
    steps: &[Step],
    shapes: &[u16],
    edges: &[(usize, usize)],
    backward: &Adjacency,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let is_improve: Vec<bool> = shapes.iter().map(|&s| is(s, Activity::Improve)).collect();
    let first_improve = is_improve.iter().position(|&i| i);
    let first_deliver = shapes
        .iter()
        .position(|&s| is(s, Activity::DeliverAndSupport));
    // Steps with a path of at least one flow into some Improve step.
    let feeders: Vec<usize> = edges
        .iter()
        .filter(|&&(_, to)| is_improve[to])
        .map(|&(from, _)| from)
        .collect();
    let feeds_improve = reach(&feeders, backward);
    let finding = match (first_improve, first_deliver) {
        (None, _) => Some((
            Subject::Map,
            "no step belongs to Improve, so what the stream learns reaches no one".to_string(),
        )),
        (Some(improve), _) if feeders.is_empty() => Some((
            Subject::Step(improve, None),
            format!(
                "nothing flows into the Improve step \"{}\"",
                user(&steps[improve].id)
            ),
        )),
        (Some(_), Some(deliver))
            if !shapes
                .iter()
                .enumerate()
                .any(|(i, &s)| feeds_improve[i] && is(s, Activity::DeliverAndSupport)) =>
        {
            Some((
                Subject::Step(deliver, None),
                format!(
                    "no path from Deliver and Support (step \"{}\") reaches Improve",
                    user(&steps[deliver].id)
                ),
            ))
        }
        _ => None,
    };
    if let Some((subject, message)) = finding {
        diagnostics.push(Diagnostic::new(Code::MissingFeedback, subject, message));
    }
}

pub(super) fn check_balance(shapes: &[u16], diagnostics: &mut Vec<Diagnostic>) {
    let first = |activity| shapes.iter().position(|&s| is(s, activity));
    if let Some(build) = first(Activity::ObtainOrBuild)
        && first(Activity::Engage).is_none()
    {
        diagnostics.push(Diagnostic::new(
            Code::BuildOnlyFocus,
            Subject::Step(build, None),
            "the stream obtains or builds without any Engage step to learn what customers need",
        ));
    }
    let plans = shapes.iter().filter(|&&s| is(s, Activity::Plan)).count();
    let others = shapes
        .iter()
        .filter(|&&s| s & END == 0 && !is(s, Activity::Plan))
        .count();
    if plans >= 3 && plans * 2 > others {
        diagnostics.push(Diagnostic::new(
            Code::PlanningParalysis,
            Subject::Step(first(Activity::Plan).unwrap_or(0), None),
            format!("{plans} Plan steps against {others} other activity steps: planning outweighs delivery"),
        ));
    }
}

pub(super) fn check_waterfall(
    steps: &[Step],
    shapes: &[u16],
    edges: &[(usize, usize)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let activity_steps: Vec<usize> = (0..shapes.len())
        .filter(|&i| shapes[i] & END == 0)
        .collect();
    if activity_steps.len() != Activity::CHAIN.len()
        || activity_steps.iter().any(|&i| !steps[i].also.is_empty())
    {
        return;
    }
    let mut activities: Vec<Activity> = activity_steps.iter().map(|&i| steps[i].activity).collect();
    activities.sort();
    activities.dedup();
    if activities.len() != Activity::CHAIN.len() {
        return;
    }
    let inner: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|&(a, b)| shapes[a] & END == 0 && shapes[b] & END == 0)
        .collect();
    let mut out_degree = vec![0; steps.len()];
    let mut in_degree = vec![0; steps.len()];
    for &(a, b) in &inner {
        out_degree[a] += 1;
        in_degree[b] += 1;
    }
    let line = inner.len() == activity_steps.len() - 1
        && activity_steps
            .iter()
            .all(|&i| out_degree[i] <= 1 && in_degree[i] <= 1)
        && activity_steps
            .iter()
            .filter(|&&i| in_degree[i] == 0)
            .count()
            == 1;
    if line {
        let first = activity_steps
            .iter()
            .copied()
            .find(|&i| in_degree[i] == 0)
            .unwrap_or(0);
        diagnostics.push(Diagnostic::new(
            Code::Waterfall,
            Subject::Step(first, None),
            "the stream passes all six activities in one straight line, each once",
        ));
    }
}
