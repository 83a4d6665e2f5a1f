//! The checker: a pure function from (chain, map) to one verdict per flow and a list of
//! findings, by the rules in DESIGN.md.

use crate::activity::Activity;
use crate::chain::{ArtifactId, Chain, Node};
use crate::codes::{Code, Severity};
use crate::map::{Map, Step};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Canonical,
    Handoff,
    OffChain,
    UnknownArtifact,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Canonical => "canonical",
            Verdict::Handoff => "handoff",
            Verdict::OffChain => "off-chain",
            Verdict::UnknownArtifact => "unknown-artifact",
        }
    }

    pub fn is_error(self) -> bool {
        matches!(self, Verdict::OffChain | Verdict::UnknownArtifact)
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Map,
    /// A step by index into `map.steps`, optionally one of its fields.
    Step(usize, Option<&'static str>),
    /// A flow by index into `map.flows`, optionally one of its fields.
    Flow(usize, Option<&'static str>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub subject: Subject,
    pub message: String,
    /// Further lines: what the chain allows, where an artifact can go, suggestions.
    pub help: Vec<String>,
}

impl Diagnostic {
    fn new(code: Code, subject: Subject, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            subject,
            message: message.into(),
            help: Vec::new(),
        }
    }

    fn with_help(mut self, help: impl IntoIterator<Item = String>) -> Diagnostic {
        self.help.extend(help);
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One verdict per flow, in the map's order.
    pub verdicts: Vec<Verdict>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Every kind a step belongs to: its activity, then the ones it also names.
pub fn kinds(step: &Step) -> impl Iterator<Item = Activity> + '_ {
    std::iter::once(step.activity).chain(
        step.also
            .iter()
            .copied()
            .filter(move |a| *a != step.activity),
    )
}

fn has_kind(step: &Step, activity: Activity) -> bool {
    kinds(step).any(|a| a == activity)
}

/// The nodes of the chain a step stands for when work leaves it.
pub fn source_nodes(chain: &Chain, step: &Step) -> Vec<Node> {
    let mut nodes: Vec<Node> = kinds(step).flat_map(|a| chain.source_nodes(a)).collect();
    nodes.dedup();
    nodes
}

/// The nodes of the chain a step stands for when work arrives at it.
pub fn target_nodes(chain: &Chain, step: &Step) -> Vec<Node> {
    let mut nodes: Vec<Node> = kinds(step).flat_map(|a| chain.target_nodes(a)).collect();
    nodes.dedup();
    nodes
}

/// Whether two steps share a value chain activity, so work between them is a handoff.
pub fn shares_activity(from: &Step, to: &Step) -> bool {
    kinds(from).any(|a| !a.is_end() && has_kind(to, a))
}

/// The artifacts the chain sends from one step to another, without repeats, in chain order.
pub fn canonical_artifacts(chain: &Chain, from: &Step, to: &Step) -> Vec<ArtifactId> {
    let targets = target_nodes(chain, to);
    let mut artifacts = Vec::new();
    for source in source_nodes(chain, from) {
        for &target in &targets {
            for &artifact in chain.artifacts_between(source, target) {
                if !artifacts.contains(&artifact) {
                    artifacts.push(artifact);
                }
            }
        }
    }
    artifacts
}

/// How much of a user's text a message quotes: ids, labels and names are shown escaped
/// (a label may hold terminal escape sequences) and cut, so a megabyte label makes a short
/// message.
const QUOTED_CHARS: usize = 100;

/// User text as messages quote it.
fn user(text: &str) -> String {
    crate::names::shown(text, QUOTED_CHARS)
}

/// "Did you mean" compares a name with every candidate. A check spends at most this much
/// work on each kind of suggestion (about one unit per pair of characters compared), so a
/// map with thousands of misspelt names or a 100,000-step map full of dangling flows is
/// checked as fast as any other; suggestions stop once it is spent.
const SUGGESTION_WORK: usize = 20_000_000;

/// The verdict on one flow between two existing, different steps, and the finding that goes
/// with a verdict that is not good.
pub fn judge(
    chain: &Chain,
    from: &Step,
    to: &Step,
    artifact: Option<&str>,
    flow: usize,
) -> (Verdict, Option<Diagnostic>) {
    let mut unlimited = usize::MAX;
    judge_within(chain, from, to, artifact, flow, &mut unlimited)
}

/// `judge`, spending at most `budget` on suggestions.
fn judge_within(
    chain: &Chain,
    from: &Step,
    to: &Step,
    artifact: Option<&str>,
    flow: usize,
    budget: &mut usize,
) -> (Verdict, Option<Diagnostic>) {
    let subject = Subject::Flow(flow, None);
    let sources = source_nodes(chain, from);
    let targets = target_nodes(chain, to);
    let pair = format!(
        "from {} to {}",
        describe_step_kinds(from),
        describe_step_kinds(to)
    );
    if sources.is_empty() || targets.is_empty() {
        let message = if sources.is_empty() {
            format!("nothing flows out of Value; the stream ends there (flow {pair})")
        } else {
            format!("nothing flows into Demand; the stream starts there (flow {pair})")
        };
        return (
            Verdict::OffChain,
            Some(Diagnostic::new(Code::EndDirection, subject, message)),
        );
    }
    let resolved = artifact.map(|name| (name, chain.resolve(name)));
    if let Some((_, Some(id))) = resolved
        && sources
            .iter()
            .any(|&s| targets.iter().any(|&t| chain.flow(id, s, t).is_some()))
    {
        return (Verdict::Canonical, None);
    }
    if shares_activity(from, to) {
        return (Verdict::Handoff, None);
    }
    let allowed = allowed_help(chain, from, to);
    match resolved {
        None => {
            let message = format!("no artifact named for the flow {pair}");
            let diagnostic = Diagnostic::new(
                Code::MissingArtifact,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(allowed);
            (Verdict::OffChain, Some(diagnostic))
        }
        Some((name, None)) => {
            let suggestions = crate::names::nearest_within(
                name,
                chain.file.artifacts.iter().map(|a| a.name.as_str()),
                3,
                budget,
            );
            let mut help = Vec::new();
            if !suggestions.is_empty() {
                help.push(format!(
                    "did you mean {}?",
                    quote_list(suggestions.iter().copied(), " or ")
                ));
            }
            help.extend(allowed);
            let message = format!("unknown artifact \"{}\" in the flow {pair}", user(name));
            let diagnostic = Diagnostic::new(
                Code::UnknownArtifact,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(help);
            (Verdict::UnknownArtifact, Some(diagnostic))
        }
        Some((_, Some(id))) => {
            let name = chain.artifact_name(id);
            let message = format!("\"{name}\" does not flow {pair}");
            let mut help = allowed;
            help.push(routes_help(chain, id));
            let diagnostic = Diagnostic::new(
                Code::OffChain,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(help);
            (Verdict::OffChain, Some(diagnostic))
        }
    }
}

/// "Engage" or "Design and Transition/Improve", as the seeds write multi-activity steps.
pub fn describe_step_kinds(step: &Step) -> String {
    kinds(step)
        .map(Activity::name)
        .collect::<Vec<_>>()
        .join("/")
}

fn quote_list<'a>(names: impl Iterator<Item = &'a str>, last: &str) -> String {
    let names: Vec<String> = names.map(|n| format!("\"{}\"", user(n))).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{}{last}{}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// What the chain does allow between two steps, as help lines.
fn allowed_help(chain: &Chain, from: &Step, to: &Step) -> Vec<String> {
    let allowed = canonical_artifacts(chain, from, to);
    let pair = format!(
        "from {} to {}",
        describe_step_kinds(from),
        describe_step_kinds(to)
    );
    if allowed.is_empty() {
        vec![format!("the chain sends nothing {pair}")]
    } else {
        vec![format!(
            "the chain sends {pair}: {}",
            quote_list(allowed.iter().map(|&a| chain.artifact_name(a)), " and ")
        )]
    }
}

/// Where an artifact can go, in map terms: "goes from Deliver and Support to Obtain or Build".
pub fn routes_help(chain: &Chain, artifact: ArtifactId) -> String {
    let routes: Vec<String> = chain
        .routes(artifact)
        .map(|flow| {
            format!(
                "from {} to {}",
                node_in_map_terms(chain, flow.from, true),
                node_in_map_terms(chain, flow.to, false)
            )
        })
        .collect();
    let name = chain.artifact_name(artifact);
    if routes.is_empty() {
        format!(
            "\"{name}\" is an input or output the chain names without a counterpart, so no flow of it is canonical"
        )
    } else {
        format!("\"{name}\" goes {}", routes.join(", "))
    }
}

/// A party as the map sees it: customers as a source are Demand, as a target Value.
pub fn node_in_map_terms(chain: &Chain, node: Node, as_source: bool) -> String {
    match node {
        Node::Activity(a) => a.name().to_string(),
        Node::Party(_) => {
            let name = chain.node_name(node).to_lowercase();
            if as_source && chain.demand_parties().contains(&node) {
                format!("Demand ({name})")
            } else if !as_source && chain.value_parties().contains(&node) {
                format!("Value ({name})")
            } else {
                name
            }
        }
    }
}

/// Checks a whole map.
pub fn check(chain: &Chain, map: &Map) -> Report {
    let mut diagnostics = Vec::new();
    let steps = &map.steps;
    // Each kind of suggestion has its own budget, so many unknown practices do not use up
    // what misspelt artifacts need.
    let (mut practice_budget, mut id_budget, mut artifact_budget) =
        (SUGGESTION_WORK, SUGGESTION_WORK, SUGGESTION_WORK);
    let practices = Practices::new(chain);

    // Ids and cells.
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(steps.len());
    let mut by_cell = HashMap::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        if step.id.is_empty() {
            diagnostics.push(Diagnostic::new(
                Code::EmptyStepId,
                Subject::Step(index, Some("id")),
                format!("step \"{}\" has an empty id", user(&step.label)),
            ));
        } else if let Some(&first) = by_id.get(step.id.as_str()) {
            diagnostics.push(Diagnostic::new(
                Code::DuplicateStepId,
                Subject::Step(index, Some("id")),
                format!(
                    "the id \"{}\" is already used by step {} (\"{}\")",
                    user(&step.id),
                    first + 1,
                    user(&steps[first].label)
                ),
            ));
        } else {
            by_id.insert(&step.id, index);
        }
        if let Some(&first) = by_cell.get(&step.at) {
            let other: &Step = &steps[first];
            diagnostics.push(Diagnostic::new(
                Code::SharedCell,
                Subject::Step(index, Some("at")),
                format!(
                    "step \"{}\" is on column {}, row {}, where step \"{}\" already is",
                    user(&step.id),
                    step.at.col,
                    step.at.row,
                    user(&other.id)
                ),
            ));
        } else {
            by_cell.insert(step.at, index);
        }
        if let Some(percent) = step.complete_accurate_percent.filter(|&p| p > 100) {
            diagnostics.push(Diagnostic::new(
                Code::InvalidPercent,
                Subject::Step(index, Some("complete_accurate_percent")),
                format!(
                    "step \"{}\" has a %C/A of {percent}; it must be 0 to 100",
                    user(&step.id)
                ),
            ));
        }
        for practice in &step.practices {
            check_practice(
                &practices,
                practice,
                index,
                &mut diagnostics,
                &mut practice_budget,
            );
        }
    }

    // Flows. Suggestions for dangling ends look through the ids in the map's order.
    let mut ids: Vec<(&str, usize)> = by_id.iter().map(|(&id, &i)| (id, i)).collect();
    ids.sort_by_key(|&(_, i)| i);
    let ids: Vec<&str> = ids.into_iter().map(|(id, _)| id).collect();
    let mut verdicts = Vec::with_capacity(map.flows.len());
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(map.flows.len());
    let mut seen_flows = HashSet::with_capacity(map.flows.len());
    for (index, flow) in map.flows.iter().enumerate() {
        let from = by_id.get(flow.from.as_str()).copied();
        let to = by_id.get(flow.to.as_str()).copied();
        let (Some(from), Some(to)) = (from, to) else {
            for (end, id, field) in [(from, &flow.from, "from"), (to, &flow.to, "to")] {
                if end.is_none() {
                    let mut diagnostic = Diagnostic::new(
                        Code::DanglingFlow,
                        Subject::Flow(index, Some(field)),
                        format!(
                            "the flow's `{field}` names step \"{}\", which is not in the map",
                            user(id)
                        ),
                    );
                    let near =
                        crate::names::nearest_within(id, ids.iter().copied(), 3, &mut id_budget);
                    if !near.is_empty() {
                        diagnostic.help.push(format!(
                            "did you mean {}?",
                            quote_list(near.into_iter(), " or ")
                        ));
                    }
                    diagnostics.push(diagnostic);
                }
            }
            verdicts.push(Verdict::OffChain);
            continue;
        };
        if from == to {
            diagnostics.push(Diagnostic::new(
                Code::SelfFlow,
                Subject::Flow(index, None),
                format!("the flow goes from step \"{}\" to itself", user(&flow.from)),
            ));
            verdicts.push(Verdict::OffChain);
            continue;
        }
        edges.push((from, to));
        let artifact = flow.artifact.as_deref().filter(|a| !a.trim().is_empty());
        let duplicate_key = (from, to, artifact.map(crate::names::fold));
        if !seen_flows.insert(duplicate_key) {
            diagnostics.push(Diagnostic::new(
                Code::DuplicateFlow,
                Subject::Flow(index, None),
                format!(
                    "this flow from \"{}\" to \"{}\" is given twice",
                    user(&flow.from),
                    user(&flow.to)
                ),
            ));
        }
        let (verdict, diagnostic) = judge_within(
            chain,
            &steps[from],
            &steps[to],
            artifact,
            index,
            &mut artifact_budget,
        );
        verdicts.push(verdict);
        diagnostics.extend(diagnostic);
    }

    check_stream(steps, &edges, &mut diagnostics);
    Report {
        verdicts,
        diagnostics,
    }
}

/// The practices the chain lists, folded once per check.
struct Practices<'c> {
    names: Vec<&'c str>,
    folded: HashSet<String>,
}

impl<'c> Practices<'c> {
    fn new(chain: &'c Chain) -> Practices<'c> {
        let names: Vec<&str> = chain
            .file
            .activities
            .iter()
            .flat_map(|a| a.practices.iter().map(String::as_str))
            .collect();
        let folded = names.iter().map(|p| crate::names::fold(p)).collect();
        Practices { names, folded }
    }
}

fn check_practice(
    known: &Practices,
    practice: &str,
    step: usize,
    diagnostics: &mut Vec<Diagnostic>,
    budget: &mut usize,
) {
    if known.folded.contains(&crate::names::fold(practice)) {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::UnknownPractice,
        Subject::Step(step, Some("practices")),
        format!(
            "the practice \"{}\" is not among the practices the chain lists",
            user(practice)
        ),
    );
    let near = crate::names::nearest_within(practice, known.names.iter().copied(), 2, budget);
    if !near.is_empty() {
        diagnostic.help.push(format!(
            "did you mean {}?",
            quote_list(near.into_iter(), " or ")
        ));
    }
    diagnostics.push(diagnostic);
}

/// Findings about the stream as a whole: its ends, reachability, and seed 003's anti-patterns.
fn check_stream(steps: &[Step], edges: &[(usize, usize)], diagnostics: &mut Vec<Diagnostic>) {
    let mut forward = vec![Vec::new(); steps.len()];
    let mut backward = vec![Vec::new(); steps.len()];
    for &(from, to) in edges {
        forward[from].push(to);
        backward[to].push(from);
    }
    let demands: Vec<usize> = (0..steps.len())
        .filter(|&i| has_kind(&steps[i], Activity::Demand))
        .collect();
    let values: Vec<usize> = (0..steps.len())
        .filter(|&i| has_kind(&steps[i], Activity::Value))
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
    let connected = |i: usize| !forward[i].is_empty() || !backward[i].is_empty();
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
        check_feedback(steps, edges, &backward, diagnostics);
    }
    check_balance(steps, diagnostics);
    check_waterfall(steps, edges, diagnostics);
}

/// Marks every step reachable from `starts` along `next`.
fn reach(starts: &[usize], next: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; next.len()];
    let mut queue: VecDeque<usize> = starts.iter().copied().collect();
    for &s in starts {
        seen[s] = true;
    }
    while let Some(step) = queue.pop_front() {
        for &n in &next[step] {
            if !seen[n] {
                seen[n] = true;
                queue.push_back(n);
            }
        }
    }
    seen
}

fn check_feedback(
    steps: &[Step],
    edges: &[(usize, usize)],
    backward: &[Vec<usize>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let is_improve: Vec<bool> = steps
        .iter()
        .map(|s| has_kind(s, Activity::Improve))
        .collect();
    let first_improve = is_improve.iter().position(|&i| i);
    let first_deliver = steps
        .iter()
        .position(|s| has_kind(s, Activity::DeliverAndSupport));
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
            if !steps
                .iter()
                .enumerate()
                .any(|(i, s)| feeds_improve[i] && has_kind(s, Activity::DeliverAndSupport)) =>
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

fn check_balance(steps: &[Step], diagnostics: &mut Vec<Diagnostic>) {
    let first = |activity| steps.iter().position(|s| has_kind(s, activity));
    if let Some(build) = first(Activity::ObtainOrBuild)
        && first(Activity::Engage).is_none()
    {
        diagnostics.push(Diagnostic::new(
            Code::BuildOnlyFocus,
            Subject::Step(build, None),
            "the stream obtains or builds without any Engage step to learn what customers need",
        ));
    }
    let plans = steps.iter().filter(|s| has_kind(s, Activity::Plan)).count();
    let others = steps
        .iter()
        .filter(|s| !s.activity.is_end() && !has_kind(s, Activity::Plan))
        .count();
    if plans >= 3 && plans * 2 > others {
        diagnostics.push(Diagnostic::new(
            Code::PlanningParalysis,
            Subject::Step(first(Activity::Plan).unwrap_or(0), None),
            format!("{plans} Plan steps against {others} other activity steps: planning outweighs delivery"),
        ));
    }
}

fn check_waterfall(steps: &[Step], edges: &[(usize, usize)], diagnostics: &mut Vec<Diagnostic>) {
    let activity_steps: Vec<usize> = (0..steps.len())
        .filter(|&i| !steps[i].activity.is_end())
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
        .filter(|&(a, b)| !steps[a].activity.is_end() && !steps[b].activity.is_end())
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
