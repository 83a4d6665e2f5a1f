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
use crate::map::{Cell, Map};
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

/// The fields of one step, being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct StepForm {
    pub step: usize,
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
    StepForm(StepForm),
    Title(TextInput),
    Help {
        under: Context,
        scroll: u16,
    },
    Inspector {
        scroll: u16,
    },
    ConfirmQuit,
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

    // Derived from the map by `refresh`, never edited directly.
    pub report: Report,
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
            Some(Layer::StepForm(_)) => Context::Form,
            Some(Layer::Help { .. }) => Context::Help,
            Some(Layer::Inspector { .. }) => Context::Inspector,
            Some(Layer::ConfirmQuit) => Context::ConfirmQuit,
            Some(Layer::Broken(_)) => Context::Broken,
            None => match (self.focus, self.mode) {
                (Focus::Findings, _) => Context::Findings,
                (_, Mode::Connect { .. }) => Context::Connect,
                (_, Mode::Carry { .. }) => Context::Carry,
                (_, Mode::Normal) => Context::Grid,
            },
        }
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
