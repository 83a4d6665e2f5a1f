//! Fixes: concrete changes to the map that would make a flow canonical, ranked best first,
//! and the edits that carry one out. Pure functions over the chain and the map; the editor
//! applies a fix's edits as one undoable change.

use super::*;
use crate::model::map::Cell;
use crate::names::Likened;
use std::cell::RefCell;

/// How much each wording written on a flow looks like each artifact the chain knows,
/// worked out once per check: thousands of flows share a few dozen wordings, and the fixes
/// and suggestions for each pair of steps ask about the same names again.
#[derive(Default)]
pub(super) struct Likeness<'w> {
    /// Each wording's row in `rows`.
    wordings: RefCell<FxHashMap<&'w str, usize>>,
    /// Per wording: the wording made ready, and its likeness to each artifact (NaN until
    /// asked for).
    rows: RefCell<Vec<(Likened, Vec<f64>)>>,
    /// The chain's artifact names made ready, by artifact.
    known: RefCell<Vec<Option<Likened>>>,
}

impl<'w> Likeness<'w> {
    /// The row of a wording, to ask `of` about it.
    pub(super) fn wording(&self, written: &'w str) -> usize {
        *self
            .wordings
            .borrow_mut()
            .entry(written)
            .or_insert_with(|| {
                let mut rows = self.rows.borrow_mut();
                rows.push((Likened::new(written), Vec::new()));
                rows.len() - 1
            })
    }

    /// `names::likeness` of the wording in `row` and the artifact's name.
    pub(super) fn of(&self, chain: &Chain, row: usize, artifact: ArtifactId) -> f64 {
        let mut rows = self.rows.borrow_mut();
        let (written, scores) = &mut rows[row];
        if scores.len() <= artifact {
            scores.resize(chain.artifact_count().max(artifact + 1), f64::NAN);
        }
        if scores[artifact].is_nan() {
            let mut known = self.known.borrow_mut();
            if known.len() <= artifact {
                known.resize(chain.artifact_count().max(artifact + 1), None);
            }
            let name =
                known[artifact].get_or_insert_with(|| Likened::new(chain.artifact_name(artifact)));
            scores[artifact] = written.likeness(name);
        }
        scores[artifact]
    }
}

/// What a fix changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixAction {
    /// Name this artifact on the flow instead: the chain sends it between the two steps.
    UseArtifact(ArtifactId),
    /// Turn the flow around: the chain sends its artifact the other way.
    Reverse,
    /// Put a step of `activity` between the two: from → new step (`into`) → to (`out`).
    InsertStep {
        activity: Activity,
        into: ArtifactId,
        out: ArtifactId,
    },
}

/// A fix for a flow, with the sentence that offers it to people.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub action: FixAction,
    pub text: String,
}

impl Fix {
    /// `use-artifact`, `reverse` or `insert-step`, as `check --format json` names them.
    pub fn kind(&self) -> &'static str {
        match self.action {
            FixAction::UseArtifact(_) => "use-artifact",
            FixAction::Reverse => "reverse",
            FixAction::InsertStep { .. } => "insert-step",
        }
    }
}

/// At most this many fixes of each kind that changes the artifact or adds a step.
const MOST_ARTIFACTS: usize = 3;
const MOST_STEPS: usize = 2;

/// The fixes for a flow from `from` to `to` that is not canonical, best first: artifacts the
/// chain sends for the pair whose names are like the one written (a typo, a near name), then
/// turning the flow around, then a step in between that keeps the artifact, then the other
/// artifacts for the pair, then steps in between when the chain sends nothing directly.
/// Depends only on the steps' activities and the wording, so verdicts can be remembered.
/// The caller knows already what the two steps are called (`describe_step_kinds`) and what
/// the chain sends between them (`canonical_artifacts`).
pub(super) fn fixes<'w>(
    chain: &Chain,
    (from, to): (&Step, &Step),
    (pair_from, pair_to): (&str, &str),
    mut allowed: Vec<ArtifactId>,
    written: Option<&'w str>,
    current: Option<ArtifactId>,
    likeness: &Likeness<'w>,
) -> Vec<Fix> {
    // What a party sends most generally comes first when nothing is named: out of Value,
    // that is the customers' feedback.
    if written.is_none()
        && let Some(general) = party_default(chain, from)
    {
        allowed.sort_by_key(|&a| a != general);
    }
    let row = written.map(|w| likeness.wording(w));
    let like = |artifact: ArtifactId| row.map_or(0.0, |row| likeness.of(chain, row, artifact));
    let mut similar: Vec<(f64, ArtifactId)> = allowed
        .iter()
        .map(|&a| (like(a), a))
        .filter(|&(score, _)| score > 0.0)
        .collect();
    similar.sort_by(|a, b| b.0.total_cmp(&a.0));
    let use_artifact = |artifact: ArtifactId| Fix {
        action: FixAction::UseArtifact(artifact),
        text: format!(
            "use \"{}\", which the chain sends from {pair_from} to {pair_to}",
            chain.artifact_name(artifact)
        ),
    };

    let mut fixes: Vec<Fix> = similar
        .iter()
        .take(MOST_ARTIFACTS)
        .map(|&(_, a)| use_artifact(a))
        .collect();

    if let Some(id) = current
        && source_nodes(chain, to).iter().any(|&s| {
            target_nodes(chain, from)
                .iter()
                .any(|&t| chain.flow(id, s, t).is_some())
        })
    {
        fixes.push(Fix {
            action: FixAction::Reverse,
            text: format!(
                "reverse the link: the chain sends \"{}\" from {pair_to} to {pair_from}",
                chain.artifact_name(id)
            ),
        });
    }

    // Steps that keep the artifact first; the rest only when nothing goes directly.
    let (keeping, others): (Vec<_>, Vec<_>) = insertions(
        chain,
        (from, to),
        (pair_from, pair_to),
        written,
        current,
        likeness,
    )
    .into_iter()
    .partition(|(keeps, _)| *keeps);
    let mut step_fixes = 0;
    for (_, fix) in keeping {
        if step_fixes < MOST_STEPS {
            fixes.push(fix);
            step_fixes += 1;
        }
    }
    let mut artifact_fixes = similar.len().min(MOST_ARTIFACTS);
    for &artifact in &allowed {
        if artifact_fixes < MOST_ARTIFACTS
            && !similar.iter().any(|&(_, a)| a == artifact)
            && Some(artifact) != current
        {
            fixes.push(use_artifact(artifact));
            artifact_fixes += 1;
        }
    }
    if allowed.is_empty() {
        for (_, fix) in others {
            if step_fixes < MOST_STEPS {
                fixes.push(fix);
                step_fixes += 1;
            }
        }
    }
    fixes
}

/// Every activity the chain passes through from one step to the other, as a step to insert,
/// with whether it keeps the flow's artifact on one of its two flows.
fn insertions<'w>(
    chain: &Chain,
    (from, to): (&Step, &Step),
    (kinds_from, kinds_to): (&str, &str),
    written: Option<&'w str>,
    current: Option<ArtifactId>,
    likeness: &Likeness<'w>,
) -> Vec<(bool, Fix)> {
    let sources = source_nodes(chain, from);
    let targets = target_nodes(chain, to);
    let between = |starts: &[Node], ends: &[Node]| -> Vec<ArtifactId> {
        let mut artifacts = Vec::new();
        for &s in starts {
            for &t in ends {
                for &a in chain.artifacts_between(s, t) {
                    if !artifacts.contains(&a) {
                        artifacts.push(a);
                    }
                }
            }
        }
        artifacts
    };
    // The artifact on one of the new flows: the one written, if it fits there, else the
    // one most like it (unless the written one is on the other flow), else the chain's first.
    let general = party_default(chain, from);
    let row = written.map(|w| likeness.wording(w));
    let fallback = |candidates: &[ArtifactId]| -> ArtifactId {
        general
            .filter(|g| candidates.contains(g))
            .unwrap_or(candidates[0])
    };
    let pick = |candidates: &[ArtifactId], other: &[ArtifactId]| -> ArtifactId {
        if let Some(id) = current.filter(|id| candidates.contains(id)) {
            return id;
        }
        if current.is_some_and(|id| other.contains(&id)) {
            return fallback(candidates);
        }
        let liked = row.and_then(|row| {
            candidates
                .iter()
                .map(|&a| (likeness.of(chain, row, a), a))
                .filter(|&(score, _)| score > 0.0)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, a)| a)
        });
        liked.unwrap_or_else(|| fallback(candidates))
    };
    // Value is reached where the chain delivers: Deliver and Support first (DESIGN.md rule 6).
    let mut order = Activity::CHAIN;
    if kinds(to).any(|k| k == Activity::Value) {
        order.sort_by_key(|&a| a != Activity::DeliverAndSupport);
    }
    let mut found = Vec::new();
    for activity in order {
        if kinds(from).any(|k| k == activity) || kinds(to).any(|k| k == activity) {
            continue;
        }
        let node = [Node::Activity(activity)];
        let (into, out) = (between(&sources, &node), between(&node, &targets));
        if into.is_empty() || out.is_empty() {
            continue;
        }
        let (into, out) = (pick(&into, &out), pick(&out, &into));
        let keeps = current.is_some_and(|id| id == into || id == out);
        let text = format!(
            "insert {activity}: {kinds_from} → {activity} ({}) → {kinds_to} ({})",
            chain.artifact_name(into),
            chain.artifact_name(out)
        );
        found.push((
            keeps,
            Fix {
                action: FixAction::InsertStep {
                    activity,
                    into,
                    out,
                },
                text,
            },
        ));
    }
    found
}

/// The most general thing the parties an end step stands for send into the chain: "Requests
/// and feedback from customers" (seed 001 5.5 Engage input), when the chain has it.
fn party_default(chain: &Chain, from: &Step) -> Option<ArtifactId> {
    kinds(from)
        .all(Activity::is_end)
        .then(|| chain.resolve("Requests and feedback"))
        .flatten()
}

// ---- Applying a fix ----------------------------------------------------------------------

/// One change to a map, in the terms of the editor's undo history: the editor records what
/// each replaced, so a fix is undone in one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapEdit {
    /// Put this flow in place of the flow at the index.
    ReplaceFlow(usize, Flow),
    /// Insert a flow at the index (after the edits before it).
    InsertFlow(usize, Flow),
    /// Insert a step at the index (after the edits before it).
    InsertStep(usize, Step),
}

/// The edits that carry out a fix on the flow at index `flow`, in order. Empty when the flow
/// does not exist or its ends are not both steps of the map.
///
/// - use-artifact: the flow with the new artifact;
/// - reverse: the flow turned around, artifact, notes and improvement notes kept;
/// - insert-step: a new step (id from its activity, unique in the map, labelled with the
///   activity, on a free cell near the middle of the two steps) appended to the steps; the
///   flow now ends at it with the first artifact (its notes stay with it), and a new flow
///   right after it goes on to the old target with the second.
pub fn edits(chain: &Chain, map: &Map, flow: usize, fix: &Fix) -> Vec<MapEdit> {
    let Some(old) = map.flows.get(flow) else {
        return Vec::new();
    };
    let step = |id: &str| map.steps.iter().find(|s| s.id == id);
    let (Some(source), Some(target)) = (step(&old.from), step(&old.to)) else {
        return Vec::new();
    };
    match fix.action {
        FixAction::UseArtifact(artifact) => {
            let mut new = old.clone();
            new.artifact = Some(chain.artifact_name(artifact).into());
            vec![MapEdit::ReplaceFlow(flow, new)]
        }
        FixAction::Reverse => {
            let mut new = old.clone();
            std::mem::swap(&mut new.from, &mut new.to);
            vec![MapEdit::ReplaceFlow(flow, new)]
        }
        FixAction::InsertStep {
            activity,
            into,
            out,
        } => {
            let id = fresh_id(map, activity);
            let at = free_cell_between(map, source.at, target.at);
            let inserted = Step::new(id.clone(), activity, activity.name(), at);
            let mut first = old.clone();
            first.to = id.as_str().into();
            first.artifact = Some(chain.artifact_name(into).into());
            let second = Flow::new(
                id,
                old.to.clone(),
                Some(chain.artifact_name(out).to_string()),
            );
            vec![
                MapEdit::InsertStep(map.steps.len(), inserted),
                MapEdit::ReplaceFlow(flow, first),
                MapEdit::InsertFlow(flow + 1, second),
            ]
        }
    }
}

/// Carries out edits on a copy of a map.
pub fn apply_edits(map: &Map, edits: &[MapEdit]) -> Map {
    let mut map = map.clone();
    for edit in edits {
        match edit {
            MapEdit::ReplaceFlow(i, flow) => map.flows[*i] = flow.clone(),
            MapEdit::InsertFlow(i, flow) => map.flows.insert(*i, flow.clone()),
            MapEdit::InsertStep(i, step) => map.steps.insert(*i, step.clone()),
        }
    }
    map
}

/// The map with a fix applied to the flow at index `flow` (unchanged if the flow is gone).
pub fn apply(chain: &Chain, map: &Map, flow: usize, fix: &Fix) -> Map {
    apply_edits(map, &edits(chain, map, flow, fix))
}

/// "engage", or "engage-2" and on when the map has it already.
fn fresh_id(map: &Map, activity: Activity) -> String {
    let base = crate::names::fold(activity.name()).replace(' ', "-");
    let taken = |id: &str| map.steps.iter().any(|s| s.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some number is free")
}

/// A free cell as near as possible to the middle of two cells, preferring the row below.
fn free_cell_between(map: &Map, a: Cell, b: Cell) -> Cell {
    let taken: HashSet<Cell> = map.steps.iter().map(|s| s.at).collect();
    let mid = (
        (i32::from(a.col) + i32::from(b.col)) / 2,
        (i32::from(a.row) + i32::from(b.row)) / 2,
    );
    let limit = i32::from(u16::MAX);
    for radius in 0..=(map.steps.len() as i32 + 1) {
        let mut ring: Vec<(i32, i32)> = Vec::new();
        for dr in -radius..=radius {
            for dc in -radius..=radius {
                if dr.abs().max(dc.abs()) == radius {
                    ring.push((dr, dc));
                }
            }
        }
        // Below first, then above, then nearer the middle column.
        ring.sort_by_key(|&(dr, dc)| (dr < 0, dr.abs(), dc.abs(), dc));
        for (dr, dc) in ring {
            let (col, row) = (mid.0 + dc, mid.1 + dr);
            if (0..=limit).contains(&col) && (0..=limit).contains(&row) {
                let cell = Cell::new(col as u16, row as u16);
                if !taken.contains(&cell) {
                    return cell;
                }
            }
        }
    }
    Cell::new(0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_with(cells: &[(&str, u16, u16)]) -> Map {
        let mut map = Map::new("m");
        for &(id, col, row) in cells {
            map.steps
                .push(Step::new(id, Activity::Engage, id, Cell::new(col, row)));
        }
        map
    }

    #[test]
    fn ids_are_fresh() {
        let map = map_with(&[("engage", 0, 0), ("engage-2", 1, 0)]);
        assert_eq!(fresh_id(&map, Activity::Engage), "engage-3");
        assert_eq!(
            fresh_id(&map, Activity::DeliverAndSupport),
            "deliver-and-support"
        );
    }

    #[test]
    fn cells_are_free_and_near_the_middle() {
        // Far apart: the middle is free.
        let map = map_with(&[("a", 0, 1), ("b", 4, 1)]);
        assert_eq!(
            free_cell_between(&map, Cell::new(0, 1), Cell::new(4, 1)),
            Cell::new(2, 1)
        );
        // Neighbours: the middle is taken, so the row below.
        let map = map_with(&[("a", 0, 1), ("b", 1, 1)]);
        assert_eq!(
            free_cell_between(&map, Cell::new(0, 1), Cell::new(1, 1)),
            Cell::new(0, 2)
        );
        // Never above row 0 or left of column 0, and never on a taken cell.
        let map = map_with(&[("a", 0, 0), ("b", 0, 1), ("c", 1, 0), ("d", 1, 1)]);
        let cell = free_cell_between(&map, Cell::new(0, 0), Cell::new(0, 0));
        assert!(!map.steps.iter().any(|s| s.at == cell));
    }
}
