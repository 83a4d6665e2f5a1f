//! The checker: a pure function from (chain, map) to one verdict per flow and a list of
//! findings, by the rules in DESIGN.md.
pub mod codes;
pub mod fix;
mod index;
mod judge;
mod stream;

pub use fix::{Fix, FixAction, MapEdit};
pub use index::{Index, check_indexed};
use judge::*;
pub use judge::{describe_step_kinds, judge, node_in_map_terms, routes_help};
pub use stream::Adjacency;
use stream::*;

use crate::chain::{ArtifactId, Chain, Node};
use crate::check::codes::{Code, Severity};
use crate::model::activity::Activity;
use crate::model::map::{Flow, Map, Step};
use rustc_hash::FxHashMap;
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
    /// Concrete changes to the map that would mend a flow, best first (see `fix`).
    pub fixes: Arc<[Fix]>,
}

impl Diagnostic {
    fn new(code: Code, subject: Subject, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            subject,
            message: Arc::from(message.into()),
            help: Arc::from([]),
            fixes: Arc::from([]),
        }
    }

    fn with_fixes(mut self, fixes: Vec<Fix>) -> Diagnostic {
        self.fixes = Arc::from(fixes);
        self
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

/// Checks a whole map.
pub fn check(chain: &Chain, map: &Map) -> Report {
    check_indexed(chain, map, &mut Index::new(chain, map))
}
