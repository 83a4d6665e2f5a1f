//! What changed between two maps: a current and a future state of a stream, or two versions
//! of one map. Steps are matched by id, connections by their (from, to) pair (by artifact
//! first when several share a pair); on top come the verdicts and findings that changed and
//! the metric deltas. A number missing on one side stays missing, never zero.
//!
//! Everything is in map order, so the same two maps always give the same diff.

use crate::chain::Chain;
use crate::check::codes::Code;
use crate::check::{self, Report, Subject, Verdict};
use crate::metrics::{self, Metrics};
use crate::model::activity::Activity;
use crate::model::map::{Cell, Flow, Improvement, Map, Step, ron_string};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

mod print;

/// `"log" -> "route"`
fn flow_pair(from: &str, to: &str) -> String {
    format!("{} -> {}", ron_string(from), ron_string(to))
}

/// Everything that differs between an old and a new map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Title and notes of the map itself.
    pub map_changes: Vec<Change>,
    pub steps_added: Vec<StepItem>,
    pub steps_removed: Vec<StepItem>,
    pub steps_changed: Vec<StepChange>,
    pub flows_added: Vec<FlowItem>,
    pub flows_removed: Vec<FlowItem>,
    pub flows_changed: Vec<FlowChange>,
    pub verdicts_changed: Vec<VerdictChange>,
    pub findings_added: Vec<Finding>,
    pub findings_removed: Vec<Finding>,
    pub metrics: MetricsDiff,
    /// The new map's working day: every duration of the text is in its days. (When the
    /// maps' days differ, the map changes say so.)
    pub day_minutes: u32,
    /// How the text names steps.
    pub names: StepNames,
}

/// How the text names steps: by their labels, as people know them, with the id after a
/// label that does not tell one step from the others (blank, or shared by another id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepNames {
    /// Per id, the label of its first step in the new map, else in the old one.
    labels: HashMap<String, String>,
    /// Labels (trimmed) that steps of different ids have, in either map.
    shared_labels: HashSet<String>,
    /// Ids that more than one step of a map has.
    repeated_ids: HashSet<String>,
}

impl StepNames {
    pub fn new(old: &Map, new: &Map) -> StepNames {
        let mut labels: HashMap<String, String> = HashMap::new();
        let mut ids_by_label: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut repeated_ids = HashSet::new();
        for map in [new, old] {
            let mut seen = HashSet::with_capacity(map.steps.len());
            for step in &map.steps {
                labels
                    .entry(step.id.to_string())
                    .or_insert_with(|| step.label.to_string());
                ids_by_label
                    .entry(step.label.trim())
                    .or_default()
                    .insert(&step.id);
                if !seen.insert(step.id.as_str()) {
                    repeated_ids.insert(step.id.to_string());
                }
            }
        }
        let shared_labels = ids_by_label
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(label, _)| label.to_string())
            .collect();
        StepNames {
            labels,
            shared_labels,
            repeated_ids,
        }
    }

    /// `"Fix the issue"`, or `"Fix" (id "fix-2")` when the label alone is ambiguous.
    pub fn step(&self, id: &str, label: &str) -> String {
        let label_key = label.trim();
        if label_key.is_empty()
            || self.shared_labels.contains(label_key)
            || self.repeated_ids.contains(id)
        {
            Self::with_id(id, label)
        } else {
            ron_string(label)
        }
    }

    /// `"Fix the issue" (id "fix")`: the label and the id, for steps added or removed.
    pub fn with_id(id: &str, label: &str) -> String {
        format!("{} (id {})", ron_string(label), ron_string(id))
    }

    /// The step an id names, or `unknown step "ghost"` when neither map has it.
    pub fn of_id(&self, id: &str) -> String {
        match self.labels.get(id) {
            Some(label) => self.step(id, label),
            None => format!("unknown step {}", ron_string(id)),
        }
    }

    /// `"Log the call" -> "Resolve"`: a connection by the steps it joins.
    pub fn flow(&self, from: &str, to: &str) -> String {
        format!("{} -> {}", self.of_id(from), self.of_id(to))
    }
}

/// One field's old and new value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field's name in the map file (`wait_minutes`, `at`, `artifact`, ...).
    pub field: &'static str,
    pub old: FieldValue,
    pub new: FieldValue,
}

/// A field value, typed so it can be shown to a facilitator and written as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    /// Long free text (notes): shortened in the text output.
    Notes(String),
    Activity(Activity),
    Activities(Vec<Activity>),
    At(Cell),
    Minutes(Option<u32>),
    Percent(Option<u8>),
    Names(Vec<String>),
    Artifact(Option<String>),
    Improvements(Vec<Improvement>),
    /// A map's working day in minutes; None is the default.
    WorkingDay(Option<u32>),
}

/// A step only one side has.
#[derive(Debug, Clone, PartialEq)]
pub struct StepItem {
    /// Index in the map that has it.
    pub index: usize,
    pub step: Step,
}

/// A step both sides have (same id), with the fields that differ.
#[derive(Debug, Clone, PartialEq)]
pub struct StepChange {
    pub id: String,
    /// Its label in the new map.
    pub label: String,
    pub old_index: usize,
    pub new_index: usize,
    pub changes: Vec<Change>,
}

/// A connection only one side has, with its verdict there.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowItem {
    pub index: usize,
    pub flow: Flow,
    pub verdict: Option<Verdict>,
}

/// A connection both sides have (same pair), with the fields that differ.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowChange {
    pub from: String,
    pub to: String,
    pub old_index: usize,
    pub new_index: usize,
    pub changes: Vec<Change>,
}

/// A connection both sides have whose verdict differs.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictChange {
    pub from: String,
    pub to: String,
    /// The artifact on the new side.
    pub artifact: Option<String>,
    pub old_index: usize,
    pub new_index: usize,
    pub old: Verdict,
    pub new: Verdict,
}

/// A finding of the checker, identified by its code and what it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    /// `map`, `step "log"` or `flow "log" -> "route"`: by ids, as scripts and the matching
    /// of findings read it.
    pub subject: String,
    /// The same as the text names it, steps by their labels: `step "Log the call"`.
    pub named: String,
    pub message: String,
}

/// A metric counted in minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinutesDelta {
    pub old: Option<u64>,
    pub new: Option<u64>,
}

impl MinutesDelta {
    pub fn delta(&self) -> Option<i64> {
        let (old, new) = (self.old?, self.new?);
        Some(i64::try_from(new).ok()? - i64::try_from(old).ok()?)
    }

    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// A metric in percent, rounded to a tenth; the delta is in percentage points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PercentDelta {
    pub old: Option<f64>,
    pub new: Option<f64>,
}

impl PercentDelta {
    pub fn delta(&self) -> Option<f64> {
        Some(tenths(self.new? - self.old?))
    }

    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// The step with the longest wait: its id, label and wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BottleneckStep {
    pub id: String,
    pub label: String,
    pub wait_minutes: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BottleneckDelta {
    pub old: Option<BottleneckStep>,
    pub new: Option<BottleneckStep>,
}

impl BottleneckDelta {
    /// How much longer (or shorter) the longest wait got.
    pub fn delta(&self) -> Option<i64> {
        let (old, new) = (self.old.as_ref()?, self.new.as_ref()?);
        Some(i64::from(new.wait_minutes) - i64::from(old.wait_minutes))
    }

    /// Another step, or the same step with another wait (a new label alone is no change).
    pub fn changed(&self) -> bool {
        let key = |b: &Option<BottleneckStep>| b.as_ref().map(|b| (b.id.clone(), b.wait_minutes));
        key(&self.old) != key(&self.new)
    }
}

/// The metrics of both maps (see `metrics`): along each map's longest Demand→Value path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricsDiff {
    pub lead: MinutesDelta,
    pub process: MinutesDelta,
    pub wait: MinutesDelta,
    pub flow_efficiency: PercentDelta,
    pub rolled_complete_accurate: PercentDelta,
    pub bottleneck: BottleneckDelta,
    /// Handoff waste (seed 003): the waits along the path where work passes between
    /// activities, and their share of the lead time.
    pub handoff_wait: MinutesDelta,
    pub handoff_share: PercentDelta,
    /// The activities of the six that each map's steps use.
    pub activities_used: ActivitiesDelta,
}

/// The activities each map uses, in seed 001's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivitiesDelta {
    pub old: Vec<Activity>,
    pub new: Vec<Activity>,
}

impl ActivitiesDelta {
    pub fn changed(&self) -> bool {
        self.old != self.new
    }

    /// The activities only the new map uses.
    pub fn added(&self) -> Vec<Activity> {
        self.new
            .iter()
            .copied()
            .filter(|a| !self.old.contains(a))
            .collect()
    }

    /// The activities only the old map uses.
    pub fn removed(&self) -> Vec<Activity> {
        self.old
            .iter()
            .copied()
            .filter(|a| !self.new.contains(a))
            .collect()
    }
}

impl MetricsDiff {
    pub fn changed(&self) -> bool {
        self.lead.changed()
            || self.process.changed()
            || self.wait.changed()
            || self.flow_efficiency.changed()
            || self.rolled_complete_accurate.changed()
            || self.bottleneck.changed()
            || self.handoff_wait.changed()
            || self.handoff_share.changed()
            || self.activities_used.changed()
    }
}

pub fn diff(chain: &Chain, old: &Map, new: &Map) -> Diff {
    let old_report = check::check(chain, old);
    let new_report = check::check(chain, new);
    let mut diff = Diff {
        map_changes: map_changes(old, new),
        day_minutes: new.day_minutes(),
        names: StepNames::new(old, new),
        ..Diff::default()
    };
    diff_steps(old, new, &mut diff);
    diff_flows(old, new, &old_report, &new_report, &mut diff);
    diff_findings(old, new, &old_report, &new_report, &mut diff);
    let (old_metrics, new_metrics) = (metrics::metrics(old), metrics::metrics(new));
    diff.metrics = MetricsDiff::between(old, &old_metrics, new, &new_metrics);
    let silo = silo_optimisation(old, &old_metrics, new, &new_metrics, &diff.names);
    diff.findings_added.extend(silo);
    diff
}

/// Seed 003's Silo Optimization, "Improving one activity at the expense of overall flow":
/// each step (matched by id, the first of a repeated id) whose process time went down in the
/// new map while the lead time along the longest path grew. Durations are in the new map's
/// working days.
pub fn silo_optimisation(
    old: &Map,
    old_metrics: &Metrics,
    new: &Map,
    new_metrics: &Metrics,
    names: &StepNames,
) -> Vec<Finding> {
    let lead = |m: &Metrics| (!m.path.is_empty()).then(|| m.lead.complete()).flatten();
    let (Some(old_lead), Some(new_lead)) = (lead(old_metrics), lead(new_metrics)) else {
        return Vec::new();
    };
    if new_lead <= old_lead {
        return Vec::new();
    }
    let day = new.day_minutes();
    let duration = |m: u64| crate::text::duration(m, day);
    let mut old_by_id: HashMap<&str, &Step> = HashMap::with_capacity(old.steps.len());
    for step in &old.steps {
        old_by_id.entry(step.id.as_str()).or_insert(step);
    }
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    for step in &new.steps {
        if !seen.insert(step.id.as_str()) {
            continue;
        }
        let Some(before) = old_by_id.get(step.id.as_str()) else {
            continue;
        };
        if let (Some(was), Some(now)) = (before.process_minutes, step.process_minutes)
            && now < was
        {
            let name = names.step(&step.id, &step.label);
            findings.push(Finding {
                code: Code::SiloOptimisation,
                subject: format!("step {}", ron_string(&step.id)),
                named: format!("step {name}"),
                message: format!(
                    "{name} got faster (process time {} → {}), but the lead time grew by {} ({} → {}) (seed 003: Silo Optimization)",
                    duration(u64::from(was)),
                    duration(u64::from(now)),
                    duration(new_lead - old_lead),
                    duration(old_lead),
                    duration(new_lead),
                ),
            });
        }
    }
    findings
}

fn map_changes(old: &Map, new: &Map) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(Change {
            field: "title",
            old: FieldValue::Text(old.title.clone()),
            new: FieldValue::Text(new.title.clone()),
        });
    }
    if old.notes != new.notes {
        changes.push(Change {
            field: "notes",
            old: FieldValue::Notes(old.notes.clone()),
            new: FieldValue::Notes(new.notes.clone()),
        });
    }
    if old.day_minutes() != new.day_minutes() {
        changes.push(Change {
            field: "working_day_minutes",
            old: FieldValue::WorkingDay(old.working_day_minutes),
            new: FieldValue::WorkingDay(new.working_day_minutes),
        });
    }
    changes
}

/// Matches steps by id. A duplicated id matches occurrence by occurrence: the first "log" of
/// the old map with the first "log" of the new one, the second with the second.
fn diff_steps(old: &Map, new: &Map, diff: &mut Diff) {
    let mut new_by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, step) in new.steps.iter().enumerate() {
        new_by_id.entry(step.id.as_str()).or_default().push(index);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut new_matched = vec![None; new.steps.len()];
    for (old_index, step) in old.steps.iter().enumerate() {
        let occurrence = seen.entry(step.id.as_str()).or_default();
        let matched = new_by_id
            .get(step.id.as_str())
            .and_then(|indices| indices.get(*occurrence))
            .copied();
        *occurrence += 1;
        match matched {
            Some(new_index) => new_matched[new_index] = Some(old_index),
            None => diff.steps_removed.push(StepItem {
                index: old_index,
                step: step.clone(),
            }),
        }
    }
    for (new_index, step) in new.steps.iter().enumerate() {
        match new_matched[new_index] {
            None => diff.steps_added.push(StepItem {
                index: new_index,
                step: step.clone(),
            }),
            Some(old_index) => {
                let changes = step_changes(&old.steps[old_index], step);
                if !changes.is_empty() {
                    diff.steps_changed.push(StepChange {
                        id: step.id.to_string(),
                        label: step.label.to_string(),
                        old_index,
                        new_index,
                        changes,
                    });
                }
            }
        }
    }
}

fn step_changes(old: &Step, new: &Step) -> Vec<Change> {
    use FieldValue as V;
    let fields: [(&'static str, V, V); 10] = [
        (
            "activity",
            V::Activity(old.activity),
            V::Activity(new.activity),
        ),
        (
            "also",
            V::Activities(old.also.to_vec()),
            V::Activities(new.also.to_vec()),
        ),
        (
            "label",
            V::Text(old.label.to_string()),
            V::Text(new.label.to_string()),
        ),
        ("at", V::At(old.at), V::At(new.at)),
        (
            "process_minutes",
            V::Minutes(old.process_minutes),
            V::Minutes(new.process_minutes),
        ),
        (
            "wait_minutes",
            V::Minutes(old.wait_minutes),
            V::Minutes(new.wait_minutes),
        ),
        (
            "complete_accurate_percent",
            V::Percent(old.complete_accurate_percent),
            V::Percent(new.complete_accurate_percent),
        ),
        (
            "practices",
            V::Names(old.practices.to_vec()),
            V::Names(new.practices.to_vec()),
        ),
        (
            "notes",
            V::Notes(old.notes.clone()),
            V::Notes(new.notes.clone()),
        ),
        (
            "improvements",
            V::Improvements(old.improvements.to_vec()),
            V::Improvements(new.improvements.to_vec()),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| Change { field, old, new })
        .collect()
}

fn flow_changes(old: &Flow, new: &Flow) -> Vec<Change> {
    use FieldValue as V;
    let fields: [(&'static str, V, V); 3] = [
        (
            "artifact",
            V::Artifact(old.artifact.as_deref().map(str::to_string)),
            V::Artifact(new.artifact.as_deref().map(str::to_string)),
        ),
        (
            "notes",
            V::Notes(old.notes.clone()),
            V::Notes(new.notes.clone()),
        ),
        (
            "improvements",
            V::Improvements(old.improvements.to_vec()),
            V::Improvements(new.improvements.to_vec()),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| Change { field, old, new })
        .collect()
}

/// Pairs the flows of both maps: by (from, to), the same artifact first, then the rest of
/// each pair in map order. Returns for every new flow the old flow it matches.
fn match_flows(old: &Map, new: &Map) -> Vec<Option<usize>> {
    let mut old_by_pair: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (index, flow) in old.flows.iter().enumerate() {
        old_by_pair
            .entry((flow.from.as_str(), flow.to.as_str()))
            .or_default()
            .push(index);
    }
    let mut old_taken = vec![false; old.flows.len()];
    let mut matched = vec![None; new.flows.len()];
    // Same pair and same artifact.
    for (new_index, flow) in new.flows.iter().enumerate() {
        let Some(candidates) = old_by_pair.get(&(flow.from.as_str(), flow.to.as_str())) else {
            continue;
        };
        if let Some(&old_index) = candidates
            .iter()
            .find(|&&i| !old_taken[i] && old.flows[i].artifact == flow.artifact)
        {
            old_taken[old_index] = true;
            matched[new_index] = Some(old_index);
        }
    }
    // Same pair, another artifact.
    for (new_index, flow) in new.flows.iter().enumerate() {
        if matched[new_index].is_some() {
            continue;
        }
        let Some(candidates) = old_by_pair.get(&(flow.from.as_str(), flow.to.as_str())) else {
            continue;
        };
        if let Some(&old_index) = candidates.iter().find(|&&i| !old_taken[i]) {
            old_taken[old_index] = true;
            matched[new_index] = Some(old_index);
        }
    }
    matched
}

fn diff_flows(old: &Map, new: &Map, old_report: &Report, new_report: &Report, diff: &mut Diff) {
    let matched = match_flows(old, new);
    let mut old_matched = vec![false; old.flows.len()];
    for &old_index in matched.iter().flatten() {
        old_matched[old_index] = true;
    }
    for (index, flow) in old.flows.iter().enumerate() {
        if !old_matched[index] {
            diff.flows_removed.push(FlowItem {
                index,
                flow: flow.clone(),
                verdict: old_report.verdicts.get(index).copied(),
            });
        }
    }
    for (new_index, flow) in new.flows.iter().enumerate() {
        let Some(old_index) = matched[new_index] else {
            diff.flows_added.push(FlowItem {
                index: new_index,
                flow: flow.clone(),
                verdict: new_report.verdicts.get(new_index).copied(),
            });
            continue;
        };
        let changes = flow_changes(&old.flows[old_index], flow);
        if !changes.is_empty() {
            diff.flows_changed.push(FlowChange {
                from: flow.from.to_string(),
                to: flow.to.to_string(),
                old_index,
                new_index,
                changes,
            });
        }
        if let (Some(&was), Some(&now)) = (
            old_report.verdicts.get(old_index),
            new_report.verdicts.get(new_index),
        ) && was != now
        {
            diff.verdicts_changed.push(VerdictChange {
                from: flow.from.to_string(),
                to: flow.to.to_string(),
                artifact: flow.artifact.as_deref().map(str::to_string),
                old_index,
                new_index,
                old: was,
                new: now,
            });
        }
    }
}

/// What a finding is about, in words that survive the renumbering of steps and flows.
fn describe_subject(map: &Map, subject: Subject) -> String {
    match subject {
        Subject::Map => "map".to_string(),
        Subject::Step(index, _) => match map.steps.get(index) {
            Some(step) => format!("step {}", ron_string(&step.id)),
            None => format!("step #{}", index + 1),
        },
        Subject::Flow(index, _) => match map.flows.get(index) {
            Some(flow) => format!("flow {}", flow_pair(&flow.from, &flow.to)),
            None => format!("flow #{}", index + 1),
        },
    }
}

/// What a finding is about as the text names it: steps by their labels.
fn name_subject(map: &Map, subject: Subject, names: &StepNames) -> String {
    match subject {
        Subject::Map => "map".to_string(),
        Subject::Step(index, _) => match map.steps.get(index) {
            Some(step) => format!("step {}", names.step(&step.id, &step.label)),
            None => format!("step #{}", index + 1),
        },
        Subject::Flow(index, _) => match map.flows.get(index) {
            Some(flow) => format!("flow {}", names.flow(&flow.from, &flow.to)),
            None => format!("flow #{}", index + 1),
        },
    }
}

/// Findings matched by code and subject, counting repeats: two identical findings on the old
/// side and one on the new side make one removed.
fn diff_findings(old: &Map, new: &Map, old_report: &Report, new_report: &Report, diff: &mut Diff) {
    let names = &diff.names;
    let findings = |map: &Map, report: &Report| -> Vec<Finding> {
        report
            .diagnostics
            .iter()
            .map(|d| Finding {
                code: d.code,
                subject: describe_subject(map, d.subject),
                named: name_subject(map, d.subject, names),
                message: d.message.to_string(),
            })
            .collect()
    };
    let old_findings = findings(old, old_report);
    let new_findings = findings(new, new_report);
    let only_in = |these: &[Finding], others: &[Finding]| -> Vec<Finding> {
        let mut left: HashMap<(Code, &str), usize> = HashMap::new();
        for f in others {
            *left.entry((f.code, f.subject.as_str())).or_default() += 1;
        }
        these
            .iter()
            .filter(|f| match left.get_mut(&(f.code, f.subject.as_str())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect()
    };
    diff.findings_removed = only_in(&old_findings, &new_findings);
    diff.findings_added = only_in(&new_findings, &old_findings);
}

/// A fraction (0 to 1) as percent rounded to a tenth.
fn percent(fraction: f64) -> f64 {
    tenths(fraction * 100.0)
}

fn tenths(value: f64) -> f64 {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 { 0.0 } else { rounded } // no "-0.0"
}

impl MetricsDiff {
    fn between(old_map: &Map, old: &Metrics, new_map: &Map, new: &Metrics) -> MetricsDiff {
        // Without a path from Demand to Value there is nothing to add up: missing, not zero.
        let on_path = |m: &Metrics, sum: &metrics::Sum| {
            if m.path.is_empty() {
                None
            } else {
                sum.complete()
            }
        };
        let bottleneck = |map: &Map, m: &Metrics| {
            m.bottleneck.and_then(|i| map.steps.get(i)).and_then(|s| {
                s.wait_minutes.map(|wait_minutes| BottleneckStep {
                    id: s.id.to_string(),
                    label: s.label.to_string(),
                    wait_minutes,
                })
            })
        };
        MetricsDiff {
            lead: MinutesDelta {
                old: on_path(old, &old.lead),
                new: on_path(new, &new.lead),
            },
            process: MinutesDelta {
                old: on_path(old, &old.process),
                new: on_path(new, &new.process),
            },
            wait: MinutesDelta {
                old: on_path(old, &old.wait),
                new: on_path(new, &new.wait),
            },
            flow_efficiency: PercentDelta {
                old: old.flow_efficiency.map(percent),
                new: new.flow_efficiency.map(percent),
            },
            rolled_complete_accurate: PercentDelta {
                old: old.rolled_complete_accurate.map(percent),
                new: new.rolled_complete_accurate.map(percent),
            },
            bottleneck: BottleneckDelta {
                old: bottleneck(old_map, old),
                new: bottleneck(new_map, new),
            },
            handoff_wait: MinutesDelta {
                old: on_path(old, &old.handoff_wait),
                new: on_path(new, &new.handoff_wait),
            },
            handoff_share: PercentDelta {
                old: old.handoff_share().map(percent),
                new: new.handoff_share().map(percent),
            },
            activities_used: ActivitiesDelta {
                old: old.activities_used.clone(),
                new: new.activities_used.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::print::*;
    use super::*;
    use crate::model::map::Cell;
    use crate::text::duration;

    fn step(id: &str, activity: Activity, col: u16) -> Step {
        Step::new(id, activity, format!("{id} label"), Cell::new(col, 0))
    }

    fn flow(from: &str, to: &str, artifact: Option<&str>) -> Flow {
        Flow::new(from, to, artifact.map(String::from))
    }

    fn map(steps: Vec<Step>, flows: Vec<Flow>) -> Map {
        let mut map = Map::new("m");
        map.steps = steps;
        map.flows = flows;
        map
    }

    fn run(old: &Map, new: &Map) -> Diff {
        diff(&Chain::builtin(), old, new)
    }

    #[test]
    fn empty_maps_dangling_flows_and_duplicate_ids_do_not_panic() {
        let empty = Map::new("m");
        assert!(run(&empty, &empty).is_empty());
        let messy = map(
            vec![
                step("a", Activity::Engage, 0),
                step("a", Activity::Plan, 0),
                step("", Activity::Value, 1),
            ],
            vec![
                flow("a", "nowhere", None),
                flow("ghost", "a", Some("Nothing we know")),
                flow("a", "a", None),
            ],
        );
        assert!(run(&messy, &messy).is_empty());
        let d = run(&empty, &messy);
        assert_eq!(d.steps_added.len(), 3);
        assert_eq!(d.flows_added.len(), 3);
        assert!(!d.findings_added.is_empty());
        let text = d.text("empty.ron", "messy.ron");
        assert!(
            text.contains("+ \" label\" (id \"\") Value at col 1, row 0"),
            "{text}"
        );
        assert!(text.contains("  lead time: missing (unchanged)"), "{text}");
        let back = run(&messy, &empty);
        assert_eq!(back.steps_removed.len(), 3);
        assert_eq!(back.flows_removed.len(), 3);
        let _ = (d.json(), back.json(), back.text("a", "b"));
    }

    #[test]
    fn duplicate_ids_match_occurrence_by_occurrence() {
        let old = map(
            vec![step("a", Activity::Engage, 0), step("a", Activity::Plan, 1)],
            vec![],
        );
        let mut new = old.clone();
        new.steps[1].label = "second".into();
        new.steps.push(step("a", Activity::Improve, 2));
        let d = run(&old, &new);
        assert_eq!(d.steps_changed.len(), 1);
        assert_eq!(
            (d.steps_changed[0].old_index, d.steps_changed[0].new_index),
            (1, 1)
        );
        assert_eq!(d.steps_added.len(), 1);
        assert_eq!(d.steps_added[0].index, 2);
    }

    #[test]
    fn moving_steps_and_flows_around_in_the_file_is_no_change() {
        let old = map(
            vec![
                step("d", Activity::Demand, 0),
                step("e", Activity::Engage, 1),
                step("v", Activity::Value, 2),
            ],
            vec![
                flow("d", "e", Some("Requests and feedback")),
                flow("e", "v", Some("Services delivered")),
            ],
        );
        let mut new = old.clone();
        new.steps.reverse();
        new.flows.reverse();
        assert!(run(&old, &new).is_empty());
    }

    #[test]
    fn every_step_field_is_compared_and_named() {
        let old = map(vec![step("s", Activity::Engage, 0)], vec![]);
        let mut new = old.clone();
        let s = &mut new.steps[0];
        s.activity = Activity::Plan;
        s.also = thin_vec::thin_vec![Activity::Improve];
        s.label = "new".into();
        s.at = Cell::new(4, 2);
        s.process_minutes = Some(90);
        s.wait_minutes = Some(0);
        s.complete_accurate_percent = Some(75);
        s.practices = thin_vec::thin_vec!["Service desk".into()];
        s.notes = "n".repeat(100);
        s.improvements = thin_vec::thin_vec![Improvement {
            text: "t".into(),
            owner: None,
        }];
        let d = run(&old, &new);
        let fields: Vec<&str> = d.steps_changed[0].changes.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                "activity",
                "also",
                "label",
                "at",
                "process_minutes",
                "wait_minutes",
                "complete_accurate_percent",
                "practices",
                "notes",
                "improvements"
            ]
        );
        let text = d.text("a", "b");
        for line in [
            "~ \"new\" activity: Engage → Plan",
            "~ \"new\" also: none → [Improve]",
            "~ \"new\" label: \"s label\" → \"new\"",
            "~ \"new\" position: col 0, row 0 → col 4, row 2",
            "~ \"new\" process time: missing → 1h30m",
            "~ \"new\" wait: missing → 0m",
            "~ \"new\" %C/A: missing → 75%",
            "~ \"new\" practices: none → [\"Service desk\"]",
            "~ \"new\" improvements: 0 → 1",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        let notes = text.lines().find(|l| l.contains(" notes: ")).unwrap();
        assert!(notes.ends_with("nnn…\""), "{notes}");
    }

    #[test]
    fn edited_improvements_with_the_same_count_are_a_change() {
        let mut old = map(vec![step("s", Activity::Engage, 0)], vec![]);
        old.steps[0].improvements = thin_vec::thin_vec![Improvement {
            text: "a".into(),
            owner: None,
        }];
        let mut new = old.clone();
        new.steps[0].improvements[0].owner = Some("Sam".into());
        let text = run(&old, &new).text("a", "b");
        assert!(
            text.contains("~ \"s label\" improvements: 1 → 1, edited\n"),
            "{text}"
        );
    }

    #[test]
    fn the_same_finding_twice_counts_twice() {
        let old = map(
            vec![step("a", Activity::Engage, 0), step("b", Activity::Plan, 1)],
            vec![],
        );
        let mut new = old.clone();
        new.steps[1].practices = thin_vec::thin_vec!["Nope one".into(), "Nope two".into()];
        let d = run(&old, &new);
        let codes: Vec<&str> = d.findings_added.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["unknown-practice", "unknown-practice"]);
        assert_eq!(run(&new, &new).findings_added, []);
    }

    /// Demand -> a (Engage) -> b (Deliver and Support) -> Value, with times.
    fn timed_stream() -> Map {
        let mut m = map(
            vec![
                step("d", Activity::Demand, 0),
                step("a", Activity::Engage, 1),
                step("b", Activity::DeliverAndSupport, 2),
                step("v", Activity::Value, 3),
            ],
            vec![
                flow("d", "a", Some("Incidents, service requests, and feedback")),
                flow("a", "b", Some("User support tasks")),
                flow("b", "v", Some("Services delivered")),
            ],
        );
        for (i, (process, wait)) in [(1, (30, 60)), (2, (120, 240))] {
            m.steps[i].process_minutes = Some(process);
            m.steps[i].wait_minutes = Some(wait);
        }
        m
    }

    #[test]
    fn the_text_names_steps_by_label_and_adds_the_id_only_when_needed() {
        let old = timed_stream();
        let mut new = old.clone();
        new.steps[2].practices = thin_vec::thin_vec!["Service desk".into()];
        new.steps.push(step("c", Activity::Improve, 4));
        new.steps[4].label = "b label".into(); // the label of "b" too
        new.flows.push(flow("b", "ghost", None));
        let d = run(&old, &new);
        let text = d.text("a", "b");
        for line in [
            "~ \"b label\" (id \"b\") practices: none → [\"Service desk\"]",
            "+ \"b label\" (id \"c\") Improve at col 4, row 0",
            "+ \"b label\" (id \"b\") -> unknown step \"ghost\" no artifact (off-chain)",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        // A label no other step has is enough; the JSON keeps the ids.
        let d = run(&old, &{
            let mut new = old.clone();
            new.steps[1].complete_accurate_percent = Some(90);
            new
        });
        let text = d.text("a", "b");
        assert!(
            text.contains("\n~ \"a label\" %C/A: missing → 90%\n"),
            "{text}"
        );
        assert_eq!(d.json()["steps_changed"][0]["id"], "a");
    }

    #[test]
    fn a_step_that_got_faster_while_the_stream_got_slower_is_silo_optimisation() {
        let old = timed_stream();
        let mut new = old.clone();
        // "b" works faster (2h -> 30m), but the queue in front of it grew by a day.
        new.steps[2].process_minutes = Some(30);
        new.steps[2].wait_minutes = Some(240 + 480 + 90);
        let d = run(&old, &new);
        let silo: Vec<&Finding> = d
            .findings_added
            .iter()
            .filter(|f| f.code == Code::SiloOptimisation)
            .collect();
        assert_eq!(silo.len(), 1, "{:?}", d.findings_added);
        assert_eq!(silo[0].subject, "step \"b\"");
        assert_eq!(
            silo[0].message,
            "\"b label\" got faster (process time 2h → 30m), but the lead time grew by 1d (7h30m → 1d7h30m) (seed 003: Silo Optimization)"
        );
        let text = d.text("a", "b");
        assert!(
            text.contains("\n+ note[silo-optimisation] step \"b label\": \"b label\" got faster"),
            "{text}"
        );
        let json = d.json();
        assert!(
            json["findings_added"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "silo-optimisation" && f["subject"] == "step \"b\""),
            "{json:#}"
        );
        // A shorter queue is no faster work: no note, though the lead time grew.
        let mut queue_moved = old.clone();
        queue_moved.steps[2].wait_minutes = Some(10);
        queue_moved.steps[1].wait_minutes = Some(600);
        assert!(
            run(&old, &queue_moved)
                .findings_added
                .iter()
                .all(|f| f.code != Code::SiloOptimisation)
        );
        // Faster, and the whole stream with it: no note.
        let mut better = old.clone();
        better.steps[2].process_minutes = Some(30);
        assert!(
            run(&old, &better)
                .findings_added
                .iter()
                .all(|f| f.code != Code::SiloOptimisation)
        );
    }

    #[test]
    fn durations_use_the_new_maps_working_day_and_a_changed_day_is_said() {
        let old = timed_stream();
        let mut new = old.clone();
        new.working_day_minutes = Some(1440);
        new.steps[2].wait_minutes = Some(1440 + 60);
        let d = run(&old, &new);
        assert_eq!(d.day_minutes, 1440);
        let text = d.text("a", "b");
        for line in [
            "~ working day: 8h (the default) → 24h",
            "~ \"b label\" wait: 4h → 1d1h",
            "~ lead time: 7h30m → 1d4h30m (+21h)",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        let json = d.json();
        assert_eq!(
            json["working_day_minutes"],
            serde_json::json!({ "old": null, "new": 1440 })
        );
        // The same day said another way is no change.
        let mut explicit = old.clone();
        explicit.working_day_minutes = Some(480);
        assert!(run(&old, &explicit).map_changes.is_empty());
    }

    #[test]
    fn handoff_wait_and_activities_used_are_compared() {
        let old = timed_stream();
        let mut new = old.clone();
        new.steps[2].wait_minutes = Some(480);
        new.steps[2].also = thin_vec::thin_vec![Activity::Improve];
        let d = run(&old, &new);
        // "b" is entered from Engage: its wait is the one handoff wait on the path.
        assert_eq!(d.metrics.handoff_wait.old, Some(240));
        assert_eq!(d.metrics.handoff_wait.new, Some(480));
        assert_eq!(d.metrics.handoff_share.old, Some(53.3));
        assert_eq!(d.metrics.handoff_share.new, Some(69.6));
        assert_eq!(d.metrics.activities_used.added(), [Activity::Improve]);
        let text = d.text("a", "b");
        for line in [
            "~ handoff wait: 4h → 1d (+4h)",
            "~ activities used: 2 of 6 → 3 of 6 (+Improve)",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        let metrics = &d.json()["metrics"];
        assert_eq!(
            metrics["handoff_wait_minutes"],
            serde_json::json!({ "old": 240, "new": 480, "delta": 240 })
        );
        assert_eq!(
            metrics["activities_used"],
            serde_json::json!({ "old": ["Engage", "DeliverAndSupport"], "new": ["Improve", "Engage", "DeliverAndSupport"], "of": 6 })
        );
    }

    #[test]
    fn names_with_control_characters_are_shown_escaped() {
        let old = map(vec![], vec![]);
        let new = map(vec![step("x\u{1b}[31m", Activity::Engage, 0)], vec![]);
        let text = run(&old, &new).text("a", "b");
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("\"x\\u{1b}[31m\""), "{text}");
    }

    #[test]
    fn deltas_round_to_tenths_and_sign_durations() {
        assert_eq!(tenths(-0.04), 0.0);
        assert!(tenths(-0.04).is_sign_positive());
        assert_eq!(percent(1.0 / 3.0), 33.3);
        let p = PercentDelta {
            old: Some(33.3),
            new: Some(66.7),
        };
        assert_eq!(p.delta(), Some(33.4));
        assert_eq!(signed_duration(-90, 480), "-1h30m");
        assert_eq!(signed_duration(1440, 480), "+3d");
        assert_eq!(signed_duration(1440, 1440), "+1d");
        // One formatter for every output: totals beyond u32 minutes keep their hours too.
        assert_eq!(duration(u64::from(u32::MAX) + 1, 480), "1789569w3d4h16m");
        let m = MinutesDelta {
            old: None,
            new: Some(5),
        };
        assert_eq!(m.delta(), None);
        assert!(m.changed());
    }
}
