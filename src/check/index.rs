//! The map in compact form, kept up to date edit by edit, and the check that reads it.

use super::*;

/// Marks a flow end that names no step.
pub(super) const NO_STEP: u32 = u32::MAX;

/// A flow as the checker reads it: its ends as step indices and its artifact as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FlowKey {
    from: u32,
    to: u32,
    /// Index into `Index::wordings` plus one; 0 for no artifact.
    wording: u32,
}

impl FlowKey {
    /// The two steps the flow joins, when they are two different steps of the map: the
    /// flows the stream checks follow.
    pub(super) fn edge(&self) -> Option<(usize, usize)> {
        (self.from != NO_STEP && self.to != NO_STEP && self.from != self.to)
            .then_some((self.from as usize, self.to as usize))
    }
}

/// The map in compact form, kept beside it by the editor and updated edit by edit, so a
/// check reads numbers instead of chasing strings: on a map of ten thousand steps that is
/// the difference between a check per keystroke and one per second. Also remembers every
/// verdict it has worked out, by artifact wording and the two steps' activities.
pub struct Index {
    /// The first step with each id.
    first_by_id: Ids,
    /// Steps whose id an earlier step already has, with that earlier step.
    duplicate_ids: Vec<(u32, u32)>,
    /// Steps on a cell an earlier step already holds, with that earlier step.
    shared_cells: Vec<(u32, u32)>,
    /// Each step's activities as one number (`kinds_key`).
    kinds: Vec<u32>,
    /// Each step's kinds as bits (`shape`), for the checks that walk the whole stream.
    shapes: Vec<u16>,
    flows: Vec<FlowKey>,
    wording_ids: FxHashMap<String, u32>,
    /// Each wording's artifact, if the chain knows it, and its class for duplicate flows:
    /// the artifact when known, else the folded wording.
    wordings: Vec<(Option<ArtifactId>, u32)>,
    fold_classes: FxHashMap<String, u32>,
    judged: FxHashMap<(u32, u32, u32), (Verdict, Option<Diagnostic>)>,
}

impl Index {
    /// An index of no map, to be replaced by `new`.
    pub fn empty() -> Index {
        Index {
            first_by_id: Ids::default(),
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
        self.first_by_id.clear(map.steps.len());
        self.duplicate_ids.clear();
        for (i, step) in map.steps.iter().enumerate() {
            let first = self.first_by_id.add(&step.id);
            if first != i as u32 && !step.id.is_empty() {
                self.duplicate_ids.push((i as u32, first));
            }
        }
        self.kinds = map.steps.iter().map(kinds_key).collect();
        self.shapes = map.steps.iter().map(shape).collect();
        let mut recent = RecentEnds::default();
        self.flows = map
            .flows
            .iter()
            .map(|f| self.key(chain, f, &mut recent))
            .collect();
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
        let key = self.key(chain, &map.flows[flow], &mut RecentEnds::default());
        self.flows.insert(flow, key);
    }

    pub fn flow_removed(&mut self, flow: usize) {
        self.flows.remove(flow);
    }

    pub fn flow_replaced(&mut self, chain: &Chain, map: &Map, flow: usize) {
        self.flows[flow] = self.key(chain, &map.flows[flow], &mut RecentEnds::default());
    }

    /// The steps a flow joins, when both exist.
    pub fn flow_ends(&self, flow: usize) -> Option<(usize, usize)> {
        let key = self.flows.get(flow)?;
        (key.from != NO_STEP && key.to != NO_STEP).then_some((key.from as usize, key.to as usize))
    }

    /// The first step with this id.
    pub fn step(&self, id: &str) -> Option<usize> {
        self.first_by_id.get(id).map(|i| i as usize)
    }

    fn key<'m>(&mut self, chain: &Chain, flow: &'m Flow, recent: &mut RecentEnds<'m>) -> FlowKey {
        let (from, to) = (
            recent.step(&flow.from, &self.first_by_id),
            recent.step(&flow.to, &self.first_by_id),
        );
        recent.ends = [Some((&flow.from, from)), Some((&flow.to, to))];
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

/// The ends of the flow read last, with their steps. Flows are mostly written in the order
/// work goes, so a flow often starts where the one before ends, or where it starts: a look at
/// two short strings that were just read instead of at a table of every step.
#[derive(Default)]
struct RecentEnds<'m> {
    ends: [Option<(&'m str, u32)>; 2],
}

impl RecentEnds<'_> {
    /// The first step with the id, or `NO_STEP`.
    fn step(&self, id: &str, ids: &Ids) -> u32 {
        match self.ends.iter().flatten().find(|(recent, _)| *recent == id) {
            Some(&(_, step)) => step,
            None => ids.get(id).unwrap_or(NO_STEP),
        }
    }
}

/// The first step with each id. The ids are kept in one string rather than as a copy of
/// each: a map of 100,000 steps costs one allocation here instead of 100,000.
#[derive(Default)]
struct Ids {
    /// Every step's id, one after another.
    text: String,
    /// Where each step's id ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
    /// The first step with each id, found by the id's hash.
    first: hashbrown::HashTable<u32>,
}

impl Ids {
    fn clear(&mut self, steps: usize) {
        self.text.clear();
        self.ends.clear();
        self.first.clear();
        self.ends.reserve(steps);
        let (text, ends) = (&self.text, &self.ends);
        self.first
            .reserve(steps, |&step| hash(id_of(text, ends, step)));
    }

    /// Adds the next step's id; returns the first step that has it (this one if none
    /// before).
    fn add(&mut self, id: &str) -> u32 {
        let step = self.ends.len() as u32;
        self.text.push_str(id);
        self.ends.push(self.text.len());
        let (text, ends) = (&self.text, &self.ends);
        let id_hash = hash(id);
        if let Some(&first) = self.first.find(id_hash, |&s| id_of(text, ends, s) == id) {
            return first;
        }
        self.first
            .insert_unique(id_hash, step, |&s| hash(id_of(text, ends, s)));
        step
    }

    fn get(&self, id: &str) -> Option<u32> {
        self.first
            .find(hash(id), |&s| id_of(&self.text, &self.ends, s) == id)
            .copied()
    }

    /// Each id once, in the order of the steps that first have them.
    fn in_order(&self) -> Vec<&str> {
        (0..self.ends.len() as u32)
            .map(|step| (step, id_of(&self.text, &self.ends, step)))
            .filter(|&(step, id)| self.get(id) == Some(step))
            .map(|(_, id)| id)
            .collect()
    }
}

fn id_of<'a>(text: &'a str, ends: &[usize], step: u32) -> &'a str {
    let step = step as usize;
    let start = if step == 0 { 0 } else { ends[step - 1] };
    &text[start..ends[step]]
}

fn hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
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
    let memo = Memo::default();

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
    // Flows seen so far, by index, found by their ends and artifact class: four bytes a flow
    // where a set of the keys themselves took sixteen, on a check's peak of memory.
    let duplicate_key = |key: &FlowKey| {
        let class = match key.wording {
            0 => u32::MAX,
            w => index.wordings[w as usize - 1].1,
        };
        (key.from, key.to, class)
    };
    let key_hash = |key: &FlowKey| {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(duplicate_key(key))
    };
    let mut seen_flows: hashbrown::HashTable<u32> =
        hashbrown::HashTable::with_capacity(map.flows.len());
    let mut ids: Option<Vec<&str>> = None;
    for (i, key) in index.flows.iter().enumerate() {
        if key.from == NO_STEP || key.to == NO_STEP {
            // Suggestions for dangling ends look through the ids in the map's order.
            let ids = ids.get_or_insert_with(|| index.first_by_id.in_order());
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
        let seen = seen_flows.entry(
            key_hash(key),
            |&j| duplicate_key(&index.flows[j as usize]) == duplicate_key(key),
            |&j| key_hash(&index.flows[j as usize]),
        );
        if let hashbrown::hash_table::Entry::Vacant(vacant) = seen {
            vacant.insert(i as u32);
        } else {
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
            // The wording as the index knows it: the same text, resolved once.
            let artifact = map.flows[i]
                .artifact
                .as_deref()
                .filter(|a| !a.trim().is_empty());
            let resolved = artifact.map(|name| (name, index.wordings[key.wording as usize - 1].0));
            judge_within(
                chain,
                &steps[from],
                &steps[to],
                resolved,
                0,
                &mut artifact_budget,
                &memo,
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

    // The stream is checked without the flows seen so far: a map's peak memory is here.
    drop(seen_flows);
    check_stream(
        steps,
        &index.shapes,
        Edges(&index.flows),
        map.day_minutes(),
        &mut diagnostics,
    );
    Report::new(verdicts, diagnostics)
}

/// The practices the chain knows: its catalogue with aliases, and the activities' lists.
pub(super) struct Practices<'c> {
    chain: &'c Chain,
    names: Vec<&'c str>,
}

impl<'c> Practices<'c> {
    fn new(chain: &'c Chain) -> Practices<'c> {
        Practices {
            chain,
            names: chain.practice_names_known(),
        }
    }
}

pub(super) fn check_practice(
    known: &Practices,
    practice: &str,
    step: usize,
    diagnostics: &mut Vec<Diagnostic>,
    budget: &mut usize,
) {
    if known.chain.knows_practice(practice) {
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
pub(super) fn kinds_key(step: &Step) -> u32 {
    kinds(step).fold(0, |key, a| key << 4 | (a as u32 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::map::Cell;

    #[test]
    fn flow_ends_found_from_the_flow_before_are_the_ends_a_lookup_finds() {
        let chain = Chain::builtin();
        let mut map = Map::new("t");
        for (i, id) in ["a", "", "b", "a"].into_iter().enumerate() {
            map.steps
                .push(Step::new(id, Activity::Engage, "s", Cell::new(i as u16, 0)));
        }
        for (from, to) in [
            ("", "a"),
            ("a", ""),
            ("b", "a"),
            ("b", "gone"),
            ("gone", "b"),
            ("", ""),
        ] {
            map.flows.push(Flow::new(from, to, None));
        }
        let index = Index::new(&chain, &map);
        let expected = [
            Some((1, 0)),
            Some((0, 1)),
            Some((2, 0)),
            None,
            None,
            Some((1, 1)),
        ];
        for (flow, ends) in expected.into_iter().enumerate() {
            assert_eq!(index.flow_ends(flow), ends, "flow {flow}");
        }
    }
}
