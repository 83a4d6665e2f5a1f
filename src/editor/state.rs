//! The editor's state: the map and everything derived from it, the cursor and selection,
//! the popups, the history. Changed only by `update`; read by drawing.

use super::history::History;
use super::input::TextInput;
use super::keys::Context;
use super::layout;
use super::picker::Picker;
use crate::activity::Activity;
use crate::chain::{ArtifactId, Chain};
use crate::check::{Report, Subject, check};
use crate::codes::Severity;
use crate::map::{Cell, Improvement, Map};
use crate::metrics::{Metrics, metrics};
use crate::route::{self, Raster, Route};
use std::collections::HashMap;
use std::path::PathBuf;

/// What an artifact picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactChoice {
    Known(ArtifactId),
    /// A handoff inside one activity: no artifact.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub name: &'static str,
    pub input: TextInput,
    pub hint: &'static str,
}

/// What a step or connection is: the subject of an improvement note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Step(usize),
    Flow(usize),
}

/// What a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Every field of one step.
    Step(usize),
    /// A new improvement note on a step or a connection.
    Improvement(Target),
}

/// Fields being edited in a popup.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<FormField>,
    pub focused: usize,
    pub error: Option<String>,
}

/// Popups, top last. The top one gets the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    ActivityPicker {
        at: Cell,
        picker: Picker<Activity>,
    },
    Label {
        at: Cell,
        activity: Activity,
        input: TextInput,
    },
    ArtifactPicker {
        from: usize,
        to: usize,
        flow: Option<usize>,
        picker: Picker<ArtifactChoice>,
    },
    Form(Form),
    /// Every improvement note of the map; `selected` indexes `Editor::backlog()`.
    Backlog {
        selected: usize,
    },
    Title(TextInput),
    Help {
        under: Context,
        scroll: u16,
    },
    Inspector {
        scroll: u16,
    },
    ConfirmQuit,
    /// The file changed on disk since it was read: reload, overwrite or save elsewhere.
    ExternalChange,
    /// Asking for another file name to save to.
    SaveAs(TextInput),
    /// A recovery file holds edits that were never saved: restore, discard or keep both.
    Recovery {
        map: Box<Map>,
        written_at: u64,
    },
    /// Another vsmap has this file open (the lock names who).
    LockWarning(String),
    /// The file could not be read: say why and change nothing.
    Broken(String),
}

/// What the grid is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Connect {
        from: usize,
    },
    /// Carrying a step with the keyboard or the mouse; `origin` is where it came from.
    Carry {
        step: usize,
        origin: Cell,
        by_mouse: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Grid,
    Findings,
}

/// How the map is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looks {
    pub ascii: bool,
    pub color: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub severity: Severity,
}

pub struct Editor {
    pub chain: Chain,
    pub map: Map,
    pub path: PathBuf,
    pub looks: Looks,
    pub history: History,
    /// The history version that is on disk; `None` for a map never saved.
    pub saved_version: Option<u64>,
    pub cursor: Cell,
    pub selected_flow: Option<usize>,
    pub mode: Mode,
    pub focus: Focus,
    pub layers: Vec<Layer>,
    /// Top-left cell of the view.
    pub scroll: Cell,
    pub screen: (u16, u16),
    pub message: Option<Message>,
    /// Index into `findings` of the finding last visited; reset when the map changes.
    pub finding: Option<usize>,
    pub quit_after_save: bool,
    /// Opened for a retrospective: nothing but improvement notes can change.
    pub review: bool,
    /// Opened with `vsmap review`: review mode cannot be left.
    pub review_only: bool,
    /// Whether the file can be written; in review mode notes are added only then.
    pub writable: bool,
    /// The timeline ladder under the grid.
    pub show_timeline: bool,
    /// What the file held when it was last read or written, to notice changes made
    /// underneath; `None` when there is no file yet. Kept by the edge.
    pub disk: Option<crate::save::Fingerprint>,
    /// The user chose to quit without saving: the recovery file goes too.
    pub discarded: bool,

    // Derived from the map by `refresh`, never edited directly.
    pub report: Report,
    pub metrics: Metrics,
    /// Indices into `report.diagnostics`, most severe first, then in map order.
    pub findings: Vec<usize>,
    pub routes: Vec<Option<Route>>,
    pub raster: Raster,
    step_by_cell: HashMap<Cell, usize>,
    step_by_id: HashMap<String, usize>,
}

impl Editor {
    pub fn new(chain: Chain, map: Map, path: PathBuf, looks: Looks, on_disk: bool) -> Editor {
        let mut editor = Editor {
            chain,
            map,
            path,
            looks,
            history: History::default(),
            saved_version: None,
            cursor: Cell::new(0, 0),
            selected_flow: None,
            mode: Mode::Normal,
            focus: Focus::Grid,
            layers: Vec::new(),
            scroll: Cell::new(0, 0),
            screen: (80, 24),
            message: None,
            finding: None,
            quit_after_save: false,
            review: false,
            review_only: false,
            writable: true,
            show_timeline: false,
            disk: None,
            discarded: false,
            metrics: Metrics::default(),
            report: Report::default(),
            findings: Vec::new(),
            routes: Vec::new(),
            raster: Raster::new(&[]),
            step_by_cell: HashMap::new(),
            step_by_id: HashMap::new(),
        };
        if on_disk {
            editor.saved_version = Some(editor.history.version());
        }
        if let Some(first) = editor.map.steps.first() {
            editor.cursor = first.at;
        }
        editor.refresh();
        editor
    }

    /// A read-only editor for a retrospective: metrics, findings and notes in front.
    pub fn for_review(chain: Chain, map: Map, path: PathBuf, looks: Looks) -> Editor {
        let mut editor = Editor::new(chain, map, path, looks, true);
        editor.review = true;
        editor.review_only = true;
        editor.show_timeline = true;
        editor
    }

    /// An editor that only shows why a file could not be opened.
    pub fn broken(chain: Chain, path: PathBuf, looks: Looks, error: String) -> Editor {
        let mut editor = Editor::new(chain, Map::new(""), path, looks, true);
        editor.layers.push(Layer::Broken(error));
        editor
    }

    /// Recomputes everything derived from the map: findings, routes, lookups.
    pub fn refresh(&mut self) {
        self.step_by_cell = self
            .map
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.at, i))
            .collect();
        self.step_by_id = self
            .map
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        self.report = check(&self.chain, &self.map);
        self.metrics = metrics(&self.map);
        let mut findings: Vec<usize> = (0..self.report.diagnostics.len()).collect();
        findings.sort_by_key(|&i| {
            let d = &self.report.diagnostics[i];
            (d.severity(), d.subject)
        });
        self.findings = findings;
        self.finding = None;
        let boxes: Vec<route::Rect> = self
            .map
            .steps
            .iter()
            .map(|s| layout::box_rect(s.at))
            .collect();
        let requests: Vec<(usize, usize)> = self
            .map
            .flows
            .iter()
            .map(
                |f| match (self.step_by_id.get(&f.from), self.step_by_id.get(&f.to)) {
                    (Some(&a), Some(&b)) => (a, b),
                    // An impossible request routes to nothing.
                    _ => (usize::MAX, usize::MAX),
                },
            )
            .collect();
        self.routes = route::route_all(&boxes, &requests);
        self.raster = Raster::new(&self.routes);
        if self
            .selected_flow
            .is_some_and(|f| f >= self.map.flows.len())
        {
            self.selected_flow = None;
        }
    }

    pub fn modified(&self) -> bool {
        self.saved_version != Some(self.history.version())
    }

    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.step_by_cell.get(&cell).copied()
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.step_by_id.get(id).copied()
    }

    pub fn step_under_cursor(&self) -> Option<usize> {
        self.step_at(self.cursor)
    }

    /// Where keys go now: the top popup, else the findings list or the grid's mode.
    pub fn context(&self) -> Context {
        match self.layers.last() {
            Some(Layer::ActivityPicker { .. } | Layer::ArtifactPicker { .. }) => Context::Picker,
            Some(Layer::Label { .. } | Layer::Title(_)) => Context::Text,
            Some(Layer::Form(_)) => Context::Form,
            Some(Layer::Backlog { .. }) => Context::Backlog,
            Some(Layer::Help { .. }) => Context::Help,
            Some(Layer::Inspector { .. }) => Context::Inspector,
            Some(Layer::ConfirmQuit) => Context::ConfirmQuit,
            Some(Layer::ExternalChange) => Context::ExternalChange,
            Some(Layer::SaveAs(_)) => Context::Text,
            Some(Layer::Recovery { .. }) => Context::Recovery,
            Some(Layer::LockWarning(_)) => Context::LockWarning,
            Some(Layer::Broken(_)) => Context::Broken,
            None => match (self.focus, self.mode) {
                (Focus::Findings, _) => Context::Findings,
                (_, Mode::Normal) if self.review => Context::Review,
                (_, Mode::Connect { .. }) => Context::Connect,
                (_, Mode::Carry { .. }) => Context::Carry,
                (_, Mode::Normal) => Context::Grid,
            },
        }
    }

    /// Every improvement note with what it is on, steps first, in map order.
    pub fn backlog(&self) -> Vec<(Target, usize, &Improvement)> {
        let steps = self.map.steps.iter().enumerate().flat_map(|(i, s)| {
            s.improvements
                .iter()
                .enumerate()
                .map(move |(k, n)| (Target::Step(i), k, n))
        });
        let flows = self.map.flows.iter().enumerate().flat_map(|(i, f)| {
            f.improvements
                .iter()
                .enumerate()
                .map(move |(k, n)| (Target::Flow(i), k, n))
        });
        steps.chain(flows).collect()
    }

    /// Where everything is on the current screen.
    pub fn layout(&self) -> layout::Screen {
        layout::screen_of(self.screen.0, self.screen.1, self.show_timeline)
    }

    /// The flows that touch a step, in map order.
    pub fn flows_of(&self, step: usize) -> Vec<usize> {
        let id = &self.map.steps[step].id;
        (0..self.map.flows.len())
            .filter(|&i| self.map.flows[i].from == *id || self.map.flows[i].to == *id)
            .collect()
    }

    /// The step and, when a flow is selected, the flow that a finding is about.
    pub fn subject_place(&self, subject: Subject) -> (Option<usize>, Option<usize>) {
        match subject {
            Subject::Map => (None, None),
            Subject::Step(i, _) => (Some(i).filter(|&i| i < self.map.steps.len()), None),
            Subject::Flow(i, _) => {
                let from = self.map.flows.get(i).and_then(|f| self.step_index(&f.from));
                (from, Some(i))
            }
        }
    }
}
