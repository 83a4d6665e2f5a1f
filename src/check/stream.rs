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

/// The flows between two different steps, as pairs of step indices, read from the index
/// each time they are walked rather than copied out: a map's flows are hundreds of
/// thousands, and the stream is checked at a check's peak of memory.
#[derive(Clone, Copy)]
pub(super) struct Edges<'f>(pub(super) &'f [index::FlowKey]);

impl<'f> Edges<'f> {
    fn iter(self) -> impl Iterator<Item = (usize, usize)> + Clone + 'f {
        self.0.iter().filter_map(index::FlowKey::edge)
    }
}

/// Findings about the stream as a whole: its ends, reachability, and seed 003's anti-patterns.
pub(super) fn check_stream(
    steps: &[Step],
    shapes: &[u16],
    edges: Edges,
    day_minutes: u32,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let forward = Adjacency::new(steps.len(), edges.iter());
    let backward = Adjacency::new(steps.len(), edges.iter().map(|(a, b)| (b, a)));
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
    // Feedback into Improve is where the stream learns, not a dead end.
    let improves: Vec<usize> = (0..steps.len())
        .filter(|&i| is(shapes[i], Activity::Improve))
        .collect();
    let to_improve = reach(&improves, &backward);
    let connected = |i: usize| !forward.of(i).is_empty() || !backward.of(i).is_empty();
    for (index, step) in steps.iter().enumerate() {
        if !connected(index) {
            if steps.len() > 1 {
                diagnostics.push(Diagnostic::new(
                    Code::OrphanStep,
                    Subject::Step(index, None),
                    format!("step {} has no flows in or out", named(step)),
                ));
            }
            continue;
        }
        if !demands.is_empty() && !from_demand[index] {
            diagnostics.push(Diagnostic::new(
                Code::UnreachedStep,
                Subject::Step(index, None),
                format!("no path from Demand reaches step {}", named(step)),
            ));
        }
        if !values.is_empty() && !to_value[index] && !to_improve[index] {
            diagnostics.push(Diagnostic::new(
                Code::DeadEndStep,
                Subject::Step(index, None),
                format!("no path from step {} reaches Value", named(step)),
            ));
        }
    }
    if edges.iter().next().is_some() {
        check_feedback(steps, shapes, edges, &forward, &backward, diagnostics);
    }
    check_build_only(shapes, &demands, &forward, &backward, diagnostics);
    check_planning(steps, shapes, day_minutes, diagnostics);
    check_waterfall(steps, shapes, edges, diagnostics);
    check_handoff_waste(steps, shapes, edges, day_minutes, diagnostics);
}

/// Bits of the six activities, without the ends and the END mark.
const CHAIN_BITS: u16 = {
    let mut bits = 0u16;
    let mut i = 0;
    while i < Activity::CHAIN.len() {
        bits |= 1 << (Activity::CHAIN[i] as u16);
        i += 1;
    }
    bits
};

/// Whether a flow between two steps crosses from one activity to another: both are activity
/// steps and they share no activity.
pub(super) fn crosses(shapes: &[u16], from: usize, to: usize) -> bool {
    let (a, b) = (shapes[from], shapes[to]);
    a & END == 0 && b & END == 0 && a & b & CHAIN_BITS == 0
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
    edges: Edges,
    forward: &Adjacency,
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
        .filter(|&(_, to)| is_improve[to])
        .map(|(from, _)| from)
        .collect();
    let feeds_improve = reach(&feeders, backward);
    // A Deliver and Support step that also belongs to Improve learns where it delivers.
    let delivery_learns = shapes
        .iter()
        .enumerate()
        .any(|(i, &s)| is(s, Activity::DeliverAndSupport) && (feeds_improve[i] || is_improve[i]));
    let finding = match (first_improve, first_deliver) {
        (None, _) => Some((
            Subject::Map,
            "no step belongs to Improve, so what the stream learns reaches no one".to_string(),
        )),
        (Some(improve), _) if feeders.is_empty() && !delivery_learns => Some((
            Subject::Step(improve, None),
            format!(
                "nothing flows into the Improve step {}",
                named(&steps[improve])
            ),
        )),
        (Some(_), Some(deliver)) if !delivery_learns => Some((
            Subject::Step(deliver, None),
            format!(
                "no path from Deliver and Support (step {}) reaches Improve",
                named(&steps[deliver])
            ),
        )),
        _ => None,
    };
    if let Some((subject, message)) = finding {
        diagnostics.push(Diagnostic::new(Code::MissingFeedback, subject, message));
    }
    // Seed 003: insights "must reach Plan and Improve". When the stream plans, what Improve
    // learns should get back to a Plan step.
    let plans = shapes.iter().any(|&s| is(s, Activity::Plan));
    if let Some(improve) = first_improve
        && plans
    {
        let improves: Vec<usize> = (0..shapes.len()).filter(|&i| is_improve[i]).collect();
        let learned = reach(&improves, forward);
        if !(0..shapes.len()).any(|i| learned[i] && is(shapes[i], Activity::Plan)) {
            diagnostics.push(Diagnostic::new(
                Code::MissingFeedback,
                Subject::Step(improve, None),
                format!(
                    "what Improve learns (step {}) never reaches a Plan step",
                    named(&steps[improve])
                ),
            ));
        }
    }
}

/// Seed 003's Build-Only Focus: a path from Demand reaches a Design and Transition or Obtain
/// or Build step without passing Engage, and Engage comes only after it.
pub(super) fn check_build_only(
    shapes: &[u16],
    demands: &[usize],
    forward: &Adjacency,
    backward: &Adjacency,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let engages = |i: usize| is(shapes[i], Activity::Engage);
    let builds = |i: usize| {
        is(shapes[i], Activity::DesignAndTransition) || is(shapes[i], Activity::ObtainOrBuild)
    };
    // Steps reached from Demand before any Engage step; the walk stops at Engage and at the
    // first building step.
    let mut seen = vec![false; shapes.len()];
    let mut stack: Vec<usize> = demands.to_vec();
    let mut built_first = Vec::new();
    for &d in demands {
        seen[d] = true;
    }
    while let Some(step) = stack.pop() {
        for &next in forward.of(step) {
            let next = next as usize;
            if seen[next] || engages(next) {
                continue;
            }
            seen[next] = true;
            if builds(next) {
                built_first.push(next);
            } else {
                stack.push(next);
            }
        }
    }
    // Steps with a path to an Engage step (one walk for all of them).
    let engage_steps: Vec<usize> = (0..shapes.len()).filter(|&i| engages(i)).collect();
    let engages_later = reach(&engage_steps, backward);
    if let Some(&build) = built_first.iter().filter(|&&b| engages_later[b]).min() {
        diagnostics.push(Diagnostic::new(
            Code::BuildOnlyFocus,
            Subject::Step(build, None),
            "the stream reaches this step from Demand without an Engage step, and engages customers only afterwards: it builds before it learns what they need",
        ));
    }
}

/// Seed 003's Planning Paralysis: "Over-investing in Plan while starving Deliver".
pub(super) fn check_planning(
    steps: &[Step],
    shapes: &[u16],
    day_minutes: u32,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let first = |activity| shapes.iter().position(|&s| is(s, activity));
    let Some(plan) = first(Activity::Plan) else {
        return;
    };
    let activity_steps: Vec<usize> = (0..shapes.len())
        .filter(|&i| shapes[i] & END == 0)
        .collect();
    let is_plan = |i: usize| is(shapes[i], Activity::Plan);
    let minutes = |i: usize| {
        let s = &steps[i];
        (s.process_minutes.is_some() || s.wait_minutes.is_some()).then(|| {
            u64::from(s.process_minutes.unwrap_or(0)) + u64::from(s.wait_minutes.unwrap_or(0))
        })
    };
    let message = if first(Activity::DeliverAndSupport).is_none() {
        Some(
            "the stream plans, but no step delivers and supports: nothing it plans reaches users"
                .to_string(),
        )
    } else if activity_steps.iter().all(|&i| minutes(i).is_some()) {
        let (mut planning, mut rest) = (0u64, 0u64);
        for &i in &activity_steps {
            let m = minutes(i).unwrap_or(0);
            if is_plan(i) { planning += m } else { rest += m }
        }
        (planning > rest).then(|| {
            format!(
                "Plan steps take {} (process and wait) against {} for all other activity steps: planning outweighs delivery",
                crate::text::duration(planning, day_minutes),
                crate::text::duration(rest, day_minutes)
            )
        })
    } else {
        let plans = activity_steps.iter().filter(|&&i| is_plan(i)).count();
        let others = activity_steps.len() - plans;
        (plans >= 3 && plans * 2 > others).then(|| {
            format!("{plans} Plan steps against {others} other activity steps: planning outweighs delivery")
        })
    };
    if let Some(message) = message {
        diagnostics.push(Diagnostic::new(
            Code::PlanningParalysis,
            Subject::Step(plan, None),
            message,
        ));
    }
}

/// Seed 003's handoff waste: "Reduce delays between activities". Notes when the waits of
/// steps entered from another activity are more than half of all the time the steps record
/// and at least a working day of the map (`day_minutes`).
pub(super) fn check_handoff_waste(
    steps: &[Step],
    shapes: &[u16],
    edges: Edges,
    day_minutes: u32,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut entered: Vec<Option<u32>> = vec![None; steps.len()];
    for (from, to) in edges.iter() {
        if crosses(shapes, from, to) && entered[to].is_none() {
            entered[to] = Some(from as u32);
        }
    }
    let (mut at_handoffs, mut total) = (0u64, 0u64);
    let mut worst: Option<(u32, usize)> = None;
    for (i, step) in steps.iter().enumerate() {
        if shapes[i] & END != 0 {
            continue;
        }
        let wait = step.wait_minutes.unwrap_or(0);
        total += u64::from(step.process_minutes.unwrap_or(0)) + u64::from(wait);
        if entered[i].is_some() {
            at_handoffs += u64::from(wait);
            if worst.is_none_or(|(w, _)| wait > w) {
                worst = Some((wait, i));
            }
        }
    }
    let Some((longest, step)) = worst else {
        return;
    };
    if at_handoffs * 2 <= total || at_handoffs < u64::from(day_minutes) {
        return;
    }
    let before = entered[step].map_or_else(String::new, |from| {
        format!(
            ", {} -> {}",
            describe_step_kinds(&steps[from as usize]),
            describe_step_kinds(&steps[step])
        )
    });
    diagnostics.push(Diagnostic::new(
        Code::HandoffWaste,
        Subject::Step(step, None),
        format!(
            "work waits {} where it passes between activities, {}% of the time the steps record; the longest wait is {} before step {}{before}",
            crate::text::duration(at_handoffs, day_minutes),
            at_handoffs * 100 / total,
            crate::text::minutes(longest, day_minutes),
            named(&steps[step])
        ),
    ));
}

pub(super) fn check_waterfall(
    steps: &[Step],
    shapes: &[u16],
    edges: Edges,
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
        .filter(|&(a, b)| shapes[a] & END == 0 && shapes[b] & END == 0)
        .collect();
    let mut out_degree = vec![0; steps.len()];
    let mut in_degree = vec![0; steps.len()];
    for &(a, b) in &inner {
        out_degree[a] += 1;
        in_degree[b] += 1;
    }
    let starts: Vec<usize> = activity_steps
        .iter()
        .copied()
        .filter(|&i| in_degree[i] == 0)
        .collect();
    let mut line = inner.len() == activity_steps.len() - 1
        && activity_steps
            .iter()
            .all(|&i| out_degree[i] <= 1 && in_degree[i] <= 1)
        && starts.len() == 1;
    // Walk it: a shorter line beside a separate cycle has the same counts, but is not one line.
    if line {
        let mut at = starts[0];
        let mut walked = 1;
        while let Some(&(_, next)) = inner.iter().find(|&&(a, _)| a == at) {
            at = next;
            walked += 1;
            if walked > activity_steps.len() {
                break;
            }
        }
        line = walked == activity_steps.len();
    }
    if line {
        let first = starts[0];
        diagnostics.push(Diagnostic::new(
            Code::Waterfall,
            Subject::Step(first, None),
            "the stream passes all six activities in one straight line, each once",
        ));
    }
}
