//! Reversible edits of a map, grouped into changes, with undo and redo as far back as the
//! session goes. Each edit stores what it replaced, so undo costs no snapshot of the map.

use super::state::Target;
use crate::model::map::{Flow, Improvement, Map, Step};

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    InsertStep(usize, Step),
    RemoveStep(usize, Step),
    /// Index, old, new.
    ReplaceStep(usize, Step, Step),
    InsertFlow(usize, Flow),
    RemoveFlow(usize, Flow),
    ReplaceFlow(usize, Flow, Flow),
    /// Old, new.
    SetTitle(String, String),
    SetNotes(String, String),
}

impl Edit {
    fn apply(&self, map: &mut Map) {
        match self {
            Edit::InsertStep(i, step) => map.steps.insert(*i, step.clone()),
            Edit::RemoveStep(i, _) => {
                map.steps.remove(*i);
            }
            Edit::ReplaceStep(i, _, new) => map.steps[*i] = new.clone(),
            Edit::InsertFlow(i, flow) => map.flows.insert(*i, flow.clone()),
            Edit::RemoveFlow(i, _) => {
                map.flows.remove(*i);
            }
            Edit::ReplaceFlow(i, _, new) => map.flows[*i] = new.clone(),
            Edit::SetTitle(_, new) => map.title = new.clone(),
            Edit::SetNotes(_, new) => map.notes = new.clone(),
        }
    }

    pub fn inverse(&self) -> Edit {
        match self.clone() {
            Edit::InsertStep(i, step) => Edit::RemoveStep(i, step),
            Edit::RemoveStep(i, step) => Edit::InsertStep(i, step),
            Edit::ReplaceStep(i, old, new) => Edit::ReplaceStep(i, new, old),
            Edit::InsertFlow(i, flow) => Edit::RemoveFlow(i, flow),
            Edit::RemoveFlow(i, flow) => Edit::InsertFlow(i, flow),
            Edit::ReplaceFlow(i, old, new) => Edit::ReplaceFlow(i, new, old),
            Edit::SetTitle(old, new) => Edit::SetTitle(new, old),
            Edit::SetNotes(old, new) => Edit::SetNotes(new, old),
        }
    }
}

/// One user action's edits, undone and redone together.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Change {
    pub fn new(description: impl Into<String>, edits: Vec<Edit>) -> Change {
        Change {
            description: description.into(),
            edits,
        }
    }

    pub fn apply(&self, map: &mut Map) {
        for edit in &self.edits {
            edit.apply(map);
        }
    }

    pub fn revert(&self, map: &mut Map) {
        for edit in self.edits.iter().rev() {
            edit.inverse().apply(map);
        }
    }

    /// The edits as they were carried out: these, or when `undone` their inverses in
    /// reverse order. What changed, for whoever keeps something derived from the map.
    pub fn applied_edits(&self, undone: bool) -> Vec<Edit> {
        if undone {
            self.edits.iter().rev().map(Edit::inverse).collect()
        } else {
            self.edits.clone()
        }
    }

    /// The cell to show after this change is undone (`undone`) or applied: where its step is.
    pub fn focus(&self, undone: bool) -> Option<crate::model::map::Cell> {
        self.edits.iter().find_map(|edit| match edit {
            Edit::ReplaceStep(_, old, new) => Some(if undone { old.at } else { new.at }),
            Edit::InsertStep(_, step) | Edit::RemoveStep(_, step) => Some(step.at),
            _ => None,
        })
    }

    // ---- Changes a facilitator makes ----------------------------------------------------

    pub fn add_step(map: &Map, step: Step) -> Change {
        Change::new(
            format!("add step \"{}\"", step.label),
            vec![Edit::InsertStep(map.steps.len(), step)],
        )
    }

    /// Removes a step and every flow that touches it.
    pub fn delete_step(map: &Map, index: usize) -> Change {
        let step = &map.steps[index];
        let mut edits: Vec<Edit> = map
            .flows
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, f)| f.from == step.id || f.to == step.id)
            .map(|(i, f)| Edit::RemoveFlow(i, f.clone()))
            .collect();
        edits.push(Edit::RemoveStep(index, step.clone()));
        Change::new(format!("delete step \"{}\"", step.label), edits)
    }

    pub fn replace_step(
        map: &Map,
        index: usize,
        new: Step,
        description: impl Into<String>,
    ) -> Change {
        Change::new(
            description,
            vec![Edit::ReplaceStep(index, map.steps[index].clone(), new)],
        )
    }

    pub fn move_step(map: &Map, index: usize, to: crate::model::map::Cell) -> Change {
        let mut moved = map.steps[index].clone();
        moved.at = to;
        Change::replace_step(
            map,
            index,
            moved,
            format!("move step \"{}\"", map.steps[index].label),
        )
    }

    pub fn add_flow(map: &Map, flow: Flow) -> Change {
        Change::new(
            format!(
                "connect \"{}\" to \"{}\"",
                map.name_of(&flow.from),
                map.name_of(&flow.to)
            ),
            vec![Edit::InsertFlow(map.flows.len(), flow)],
        )
    }

    pub fn delete_flow(map: &Map, index: usize) -> Change {
        let flow = map.flows[index].clone();
        Change::new(
            format!(
                "delete the connection from \"{}\" to \"{}\"",
                map.name_of(&flow.from),
                map.name_of(&flow.to)
            ),
            vec![Edit::RemoveFlow(index, flow)],
        )
    }

    pub fn replace_flow(
        map: &Map,
        index: usize,
        new: Flow,
        description: impl Into<String>,
    ) -> Change {
        Change::new(
            description,
            vec![Edit::ReplaceFlow(index, map.flows[index].clone(), new)],
        )
    }

    pub fn add_improvement(map: &Map, target: Target, note: Improvement) -> Change {
        let (edit, description) = match target {
            Target::Step(i) => {
                let mut step = map.steps[i].clone();
                step.improvements.push(note);
                (
                    Edit::ReplaceStep(i, map.steps[i].clone(), step),
                    format!("add an improvement note to \"{}\"", map.steps[i].label),
                )
            }
            Target::Flow(i) => {
                let mut flow = map.flows[i].clone();
                flow.improvements.push(note);
                let description = format!(
                    "add an improvement note to the connection from \"{}\" to \"{}\"",
                    map.name_of(&flow.from),
                    map.name_of(&flow.to)
                );
                (
                    Edit::ReplaceFlow(i, map.flows[i].clone(), flow),
                    description,
                )
            }
        };
        Change::new(description, vec![edit])
    }

    /// Puts `note` in place of improvement note `index` of a step or connection.
    pub fn replace_improvement(
        map: &Map,
        target: Target,
        index: usize,
        note: Improvement,
    ) -> Change {
        let edit = match target {
            Target::Step(i) => {
                let mut step = map.steps[i].clone();
                step.improvements[index] = note;
                Edit::ReplaceStep(i, map.steps[i].clone(), step)
            }
            Target::Flow(i) => {
                let mut flow = map.flows[i].clone();
                flow.improvements[index] = note;
                Edit::ReplaceFlow(i, map.flows[i].clone(), flow)
            }
        };
        Change::new("edit an improvement note", vec![edit])
    }

    pub fn remove_improvement(map: &Map, target: Target, index: usize) -> Change {
        let edit = match target {
            Target::Step(i) => {
                let mut step = map.steps[i].clone();
                step.improvements.remove(index);
                Edit::ReplaceStep(i, map.steps[i].clone(), step)
            }
            Target::Flow(i) => {
                let mut flow = map.flows[i].clone();
                flow.improvements.remove(index);
                Edit::ReplaceFlow(i, map.flows[i].clone(), flow)
            }
        };
        Change::new("delete an improvement note", vec![edit])
    }

    /// Turns `map` into `new` as one change, so even a reload or a restore can be undone.
    pub fn replace_all(map: &Map, new: &Map, description: impl Into<String>) -> Change {
        let mut edits: Vec<Edit> = map
            .flows
            .iter()
            .enumerate()
            .rev()
            .map(|(i, f)| Edit::RemoveFlow(i, f.clone()))
            .collect();
        edits.extend(
            map.steps
                .iter()
                .enumerate()
                .rev()
                .map(|(i, s)| Edit::RemoveStep(i, s.clone())),
        );
        edits.extend(
            new.steps
                .iter()
                .enumerate()
                .map(|(i, s)| Edit::InsertStep(i, s.clone())),
        );
        edits.extend(
            new.flows
                .iter()
                .enumerate()
                .map(|(i, f)| Edit::InsertFlow(i, f.clone())),
        );
        edits.push(Edit::SetTitle(map.title.clone(), new.title.clone()));
        edits.push(Edit::SetNotes(map.notes.clone(), new.notes.clone()));
        Change::new(description, edits)
    }

    pub fn set_title(map: &Map, title: String) -> Change {
        Change::new(
            "rename the map",
            vec![Edit::SetTitle(map.title.clone(), title)],
        )
    }
}

/// Undo and redo stacks. `version` names the map's current state, so "modified" can be
/// answered after undoing back to the saved state.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<(Change, u64)>,
    redo: Vec<(Change, u64)>,
    next_version: u64,
    version: u64,
}

impl History {
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Applies a change and records it; a new change forgets what could be redone.
    pub fn apply(&mut self, map: &mut Map, change: Change) {
        change.apply(map);
        self.undo.push((change, self.version));
        self.redo.clear();
        self.next_version += 1;
        self.version = self.next_version;
    }

    /// Undoes the last change and returns it.
    pub fn undo(&mut self, map: &mut Map) -> Option<&Change> {
        let (change, before) = self.undo.pop()?;
        change.revert(map);
        self.redo.push((change, self.version));
        self.version = before;
        self.redo.last().map(|(change, _)| change)
    }

    /// Applies the last undone change again and returns it.
    pub fn redo(&mut self, map: &mut Map) -> Option<&Change> {
        let (change, after) = self.redo.pop()?;
        change.apply(map);
        self.undo.push((change, self.version));
        self.version = after;
        self.undo.last().map(|(change, _)| change)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
}
