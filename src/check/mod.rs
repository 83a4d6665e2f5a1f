//! The checker: a pure function from (chain, map) to one verdict per flow and a list of
//! findings, by the rules in DESIGN.md.
pub mod codes;

use crate::chain::{ArtifactId, Chain, Node};
use crate::check::codes::{Code, Severity};
use crate::model::activity::Activity;
use crate::model::map::{Flow, Map, Step};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;

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

/// A finding. Its texts are shared (`Arc`), so the same finding on a thousand flows costs
/// a thousand counters, not a thousand copies of its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub subject: Subject,
    pub message: Arc<str>,
    /// Further lines: what the chain allows, where an artifact can go, suggestions.
    pub help: Arc<[String]>,
}

impl Diagnostic {
    fn new(code: Code, subject: Subject, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            subject,
            message: Arc::from(message.into()),
            help: Arc::from([]),
        }
    }

    fn with_help(mut self, help: impl IntoIterator<Item = String>) -> Diagnostic {
        let mut lines = self.help.to_vec();
        lines.extend(help);
        self.help = Arc::from(lines);
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
    /// Errors, warnings and notes, counted once: the title bar asks on every frame.
    counts: [usize; 3],
}

impl Report {
    pub fn new(verdicts: Vec<Verdict>, diagnostics: Vec<Diagnostic>) -> Report {
        let mut counts = [0; 3];
        for d in &diagnostics {
            counts[d.severity() as usize] += 1;
        }
        Report {
            verdicts,
            diagnostics,
            counts,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.counts[severity as usize]
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Every kind a step belongs to: its activity, then the ones it also names.
/// Each kind once, however often a file names it: at most the eight there are.
pub fn kinds(step: &Step) -> impl Iterator<Item = Activity> + '_ {
    let mut seen = 0u16;
    std::iter::once(step.activity)
        .chain(step.also.iter().copied())
        .filter(move |&a| {
            let bit = 1 << (a as u16);
            let first = seen & bit == 0;
            seen |= bit;
            first
        })
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
    check_indexed(chain, map, &mut Index::new(chain, map))
}

/// Marks a flow end that names no step.
const NO_STEP: u32 = u32::MAX;

/// A flow as the checker reads it: its ends as step indices and its artifact as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FlowKey {
    from: u32,
    to: u32,
    /// Index into `Index::wordings` plus one; 0 for no artifact.
    wording: u32,
}

/// The map in compact form, kept beside it by the editor and updated edit by edit, so a
/// check reads numbers instead of chasing strings: on a map of ten thousand steps that is
/// the difference between a check per keystroke and one per second. Also remembers every
/// verdict it has worked out, by artifact wording and the two steps' activities.
pub struct Index {
    /// The first step with each id.
    first_by_id: FxHashMap<String, u32>,
    /// Steps whose id an earlier step already has, with that earlier step.
    duplicate_ids: Vec<(u32, u32)>,
    /// Steps on a cell an earlier step already holds, with that earlier step.
    shared_cells: Vec<(u32, u32)>,
    /// Each step's activities as one number (`kinds_key`).
    kinds: Vec<u64>,
    /// Each step's kinds as bits (`shape`), for the checks that walk the whole stream.
    shapes: Vec<u16>,
    flows: Vec<FlowKey>,
    wording_ids: FxHashMap<String, u32>,
    /// Each wording's artifact, if the chain knows it, and its class for duplicate flows:
    /// the artifact when known, else the folded wording.
    wordings: Vec<(Option<ArtifactId>, u32)>,
    fold_classes: FxHashMap<String, u32>,
    judged: FxHashMap<(u32, u64, u64), (Verdict, Option<Diagnostic>)>,
}

impl Index {
    /// An index of no map, to be replaced by `new`.
    pub fn empty() -> Index {
        Index {
            first_by_id: FxHashMap::default(),
            duplicate_ids: Vec::new(),
            shared_cells: Vec::new(),
            kinds: Vec::new(),
            shapes: Vec::new(),
            flows: Vec::new(),
            wording_ids: FxHashMap::default(),
            wordings: Vec::new(),
            fold_classes: FxHashMap::default(),
            judged: FxHashMap::default(),
        }
    }

    pub fn new(chain: &Chain, map: &Map) -> Index {
        let mut index = Index::empty();
        index.steps_changed(chain, map);
        index
    }

    /// After steps were added, removed or renamed: everything about steps and flow ends.
    pub fn steps_changed(&mut self, chain: &Chain, map: &Map) {
        self.first_by_id.clear();
        self.duplicate_ids.clear();
        for (i, step) in map.steps.iter().enumerate() {
            let first = *self.first_by_id.entry(step.id.clone()).or_insert(i as u32);
            if first != i as u32 && !step.id.is_empty() {
                self.duplicate_ids.push((i as u32, first));
            }
        }
        self.kinds = map.steps.iter().map(kinds_key).collect();
        self.shapes = map.steps.iter().map(shape).collect();
        self.flows = map.flows.iter().map(|f| self.key(chain, f)).collect();
        self.cells_changed(map);
    }

    fn cells_changed(&mut self, map: &Map) {
        let mut first: FxHashMap<crate::model::map::Cell, u32> =
            FxHashMap::with_capacity_and_hasher(map.steps.len(), Default::default());
        self.shared_cells.clear();
        for (i, step) in map.steps.iter().enumerate() {
            let holder = *first.entry(step.at).or_insert(i as u32);
            if holder != i as u32 {
                self.shared_cells.push((i as u32, holder));
            }
        }
    }

    /// After a step changed in place (moved, relabelled, its activities changed).
    pub fn step_changed(&mut self, chain: &Chain, map: &Map, step: usize, old: &Step) {
        if old.id != map.steps[step].id {
            self.steps_changed(chain, map);
        } else {
            self.kinds[step] = kinds_key(&map.steps[step]);
            self.shapes[step] = shape(&map.steps[step]);
            if old.at != map.steps[step].at {
                self.cells_changed(map);
            }
        }
    }

    pub fn flow_inserted(&mut self, chain: &Chain, map: &Map, flow: usize) {
        let key = self.key(chain, &map.flows[flow]);
        self.flows.insert(flow, key);
    }

    pub fn flow_removed(&mut self, flow: usize) {
        self.flows.remove(flow);
    }

    pub fn flow_replaced(&mut self, chain: &Chain, map: &Map, flow: usize) {
        self.flows[flow] = self.key(chain, &map.flows[flow]);
    }

    /// The steps a flow joins, when both exist.
    pub fn flow_ends(&self, flow: usize) -> Option<(usize, usize)> {
        let key = self.flows.get(flow)?;
        (key.from != NO_STEP && key.to != NO_STEP).then_some((key.from as usize, key.to as usize))
    }

    /// The first step with this id.
    pub fn step(&self, id: &str) -> Option<usize> {
        self.first_by_id.get(id).map(|&i| i as usize)
    }

    fn key(&mut self, chain: &Chain, flow: &Flow) -> FlowKey {
        let end = |id: &str| self.first_by_id.get(id).copied().unwrap_or(NO_STEP);
        let (from, to) = (end(&flow.from), end(&flow.to));
        let wording = match flow.artifact.as_deref().filter(|a| !a.trim().is_empty()) {
            None => 0,
            Some(text) => match self.wording_ids.get(text) {
                Some(&id) => id,
                None => {
                    let artifact = chain.resolve(text);
                    let class = match artifact {
                        Some(id) => id as u32,
                        None => {
                            let next = (chain.artifact_count() + self.fold_classes.len()) as u32;
                            *self
                                .fold_classes
                                .entry(crate::names::fold(text))
                                .or_insert(next)
                        }
                    };
                    self.wordings.push((artifact, class));
                    let id = self.wordings.len() as u32;
                    self.wording_ids.insert(text.to_string(), id);
                    id
                }
            },
        };
        FlowKey { from, to, wording }
    }
}

/// Checks a map with its index (which must describe this very map).
pub fn check_indexed(chain: &Chain, map: &Map, index: &mut Index) -> Report {
    let mut diagnostics = Vec::new();
    let steps = &map.steps;
    // Each kind of suggestion has its own budget, so many unknown practices do not use up
    // what misspelt artifacts need.
    let (mut practice_budget, mut id_budget, mut artifact_budget) =
        (SUGGESTION_WORK, SUGGESTION_WORK, SUGGESTION_WORK);
    let practices = Practices::new(chain);

    // Ids and cells.
    let mut duplicates = index.duplicate_ids.iter().peekable();
    let mut shared = index.shared_cells.iter().peekable();
    for (i, step) in steps.iter().enumerate() {
        if step.id.is_empty() {
            diagnostics.push(Diagnostic::new(
                Code::EmptyStepId,
                Subject::Step(i, Some("id")),
                format!("step \"{}\" has an empty id", user(&step.label)),
            ));
        } else if let Some(&(_, first)) = duplicates.next_if(|&&(d, _)| d as usize == i) {
            let first = first as usize;
            diagnostics.push(Diagnostic::new(
                Code::DuplicateStepId,
                Subject::Step(i, Some("id")),
                format!(
                    "the id \"{}\" is already used by step {} (\"{}\")",
                    user(&step.id),
                    first + 1,
                    user(&steps[first].label)
                ),
            ));
        }
        if let Some(&(_, first)) = shared.next_if(|&&(s, _)| s as usize == i) {
            let other: &Step = &steps[first as usize];
            diagnostics.push(Diagnostic::new(
                Code::SharedCell,
                Subject::Step(i, Some("at")),
                format!(
                    "step \"{}\" is on column {}, row {}, where step \"{}\" already is",
                    user(&step.id),
                    step.at.col,
                    step.at.row,
                    user(&other.id)
                ),
            ));
        }
        if let Some(percent) = step.complete_accurate_percent.filter(|&p| p > 100) {
            diagnostics.push(Diagnostic::new(
                Code::InvalidPercent,
                Subject::Step(i, Some("complete_accurate_percent")),
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
                i,
                &mut diagnostics,
                &mut practice_budget,
            );
        }
    }

    // Flows: numbers only, until something is wrong.
    let mut verdicts = Vec::with_capacity(map.flows.len());
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(map.flows.len());
    let mut seen_flows: FxHashSet<u128> =
        FxHashSet::with_capacity_and_hasher(map.flows.len(), Default::default());
    let mut ids: Option<Vec<&str>> = None;
    for (i, key) in index.flows.iter().enumerate() {
        if key.from == NO_STEP || key.to == NO_STEP {
            // Suggestions for dangling ends look through the ids in the map's order.
            let ids = ids.get_or_insert_with(|| {
                let mut ids: Vec<(&str, u32)> = index
                    .first_by_id
                    .iter()
                    .map(|(id, &i)| (id.as_str(), i))
                    .collect();
                ids.sort_by_key(|&(_, i)| i);
                ids.into_iter().map(|(id, _)| id).collect()
            });
            let flow = &map.flows[i];
            for (end, id, field) in [(key.from, &flow.from, "from"), (key.to, &flow.to, "to")] {
                if end == NO_STEP {
                    let mut diagnostic = Diagnostic::new(
                        Code::DanglingFlow,
                        Subject::Flow(i, Some(field)),
                        format!(
                            "the flow's `{field}` names step \"{}\", which is not in the map",
                            user(id)
                        ),
                    );
                    let near =
                        crate::names::nearest_within(id, ids.iter().copied(), 3, &mut id_budget);
                    if !near.is_empty() {
                        diagnostic = diagnostic.with_help([format!(
                            "did you mean {}?",
                            quote_list(near.into_iter(), " or ")
                        )]);
                    }
                    diagnostics.push(diagnostic);
                }
            }
            verdicts.push(Verdict::OffChain);
            continue;
        }
        let (from, to) = (key.from as usize, key.to as usize);
        if from == to {
            diagnostics.push(Diagnostic::new(
                Code::SelfFlow,
                Subject::Flow(i, None),
                format!(
                    "the flow goes from step \"{}\" to itself",
                    user(&map.flows[i].from)
                ),
            ));
            verdicts.push(Verdict::OffChain);
            continue;
        }
        edges.push((from, to));
        let class = match key.wording {
            0 => u32::MAX,
            w => index.wordings[w as usize - 1].1,
        };
        if !seen_flows
            .insert(u128::from(key.from) << 64 | u128::from(key.to) << 32 | u128::from(class))
        {
            let flow = &map.flows[i];
            diagnostics.push(Diagnostic::new(
                Code::DuplicateFlow,
                Subject::Flow(i, None),
                format!(
                    "this flow from \"{}\" to \"{}\" is given twice",
                    user(&flow.from),
                    user(&flow.to)
                ),
            ));
        }
        let question = (key.wording, index.kinds[from], index.kinds[to]);
        let (verdict, diagnostic) = index.judged.entry(question).or_insert_with(|| {
            let artifact = map.flows[i]
                .artifact
                .as_deref()
                .filter(|a| !a.trim().is_empty());
            judge_within(
                chain,
                &steps[from],
                &steps[to],
                artifact,
                0,
                &mut artifact_budget,
            )
        });
        verdicts.push(*verdict);
        if let Some(diagnostic) = diagnostic {
            let mut diagnostic = diagnostic.clone();
            if let Subject::Flow(_, field) = diagnostic.subject {
                diagnostic.subject = Subject::Flow(i, field);
            }
            diagnostics.push(diagnostic);
        }
    }

    check_stream(steps, &index.shapes, &edges, &mut diagnostics);
    Report::new(verdicts, diagnostics)
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
        diagnostic = diagnostic.with_help([format!(
            "did you mean {}?",
            quote_list(near.into_iter(), " or ")
        )]);
    }
    diagnostics.push(diagnostic);
}

/// A step's activities in order as one number (at most eight, four bits each): the key under
/// which verdicts are remembered.
fn kinds_key(step: &Step) -> u64 {
    kinds(step).fold(0, |key, a| key << 4 | (a as u64 + 1))
}

/// A step's kinds as bits, one per activity (`Activity as u8`), and `END` when its own
/// activity is Demand or Value: what the stream checks need, without reading the step.
fn shape(step: &Step) -> u16 {
    let kinds = kinds(step).fold(0u16, |bits, a| bits | 1 << (a as u16));
    kinds | if step.activity.is_end() { END } else { 0 }
}

const END: u16 = 1 << 15;

fn is(shape: u16, activity: Activity) -> bool {
    shape & 1 << (activity as u16) != 0
}

/// Findings about the stream as a whole: its ends, reachability, and seed 003's anti-patterns.
fn check_stream(
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
fn reach(starts: &[usize], next: &Adjacency) -> Vec<bool> {
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

fn check_feedback(
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

fn check_balance(shapes: &[u16], diagnostics: &mut Vec<Diagnostic>) {
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

fn check_waterfall(
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
