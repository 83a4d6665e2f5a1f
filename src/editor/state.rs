//! The editor's state: the map and everything derived from it, the cursor and selection,
//! the popups, the history. Changed only by `update`; read by drawing.

use super::history::Edit;
use super::history::History;
use super::input::TextInput;
use super::keys::Context;
use super::layout;
use super::picker::Picker;
use crate::chain::{ArtifactId, Chain};
use crate::check::codes::Severity;
use crate::check::{Index, Report, Subject, check_indexed};
use crate::metrics::{Metrics, metrics};
use crate::model::activity::Activity;
use crate::model::map::{Cell, Improvement, Map};
use crate::route;
use crate::view::canvas::Canvas;
use crate::view::geometry::Geometry;
pub use crate::view::theme::Looks;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
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
    pub disk: Option<crate::io::save::Fingerprint>,
    /// The user chose to quit without saving: the recovery file goes too.
    pub discarded: bool,

    // Derived from the map by `refresh` and `changed`, never edited directly.
    pub report: Report,
    /// Worked out when first asked for after a change: only the timeline, the inspector and
    /// review mode need it.
    metrics: OnceCell<Metrics>,
    /// Indices into `report.diagnostics`, most severe first, then in map order.
    pub findings: Vec<usize>,
    /// The findings about each step and each flow, by index, so the inspector finds them
    /// without reading them all.
    findings_by_step: FxHashMap<usize, Vec<usize>>,
    findings_by_flow: FxHashMap<usize, Vec<usize>>,
    /// Step cells and connection routes, for drawing and hit-testing.
    pub canvas: Canvas,
    index: Index,
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
            metrics: OnceCell::new(),
            report: Report::default(),
            findings: Vec::new(),
            findings_by_step: FxHashMap::default(),
            findings_by_flow: FxHashMap::default(),
            canvas: Canvas::new(&Map::new(""), Geometry::default()),
            index: Index::empty(),
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

    /// Recomputes everything derived from the map: findings, lookups, and routes (which are
    /// worked out again as they come into view).
    pub fn refresh(&mut self) {
        self.index = Index::new(&self.chain, &self.map);
        self.canvas = Canvas::new(
            &self.map,
            Geometry::new(&self.map, self.canvas.geometry.zoom),
        );
        self.recheck();
        self.ensure_routes();
    }

    /// Brings what is derived from the map up to date after these edits, as they were
    /// carried out: the index, the cells, the routes they disturb, the findings. An edit of
    /// one connection in a map of ten thousand steps touches that connection, not the map.
    pub fn changed(&mut self, edits: &[Edit]) {
        let mut steps_moved: Vec<String> = Vec::new();
        let mut new_boxes: Vec<route::Rect> = Vec::new();
        let mut steps_renumbered = false;
        let mut raster_stale = false;
        for edit in edits {
            match edit {
                Edit::InsertFlow(i, _) => {
                    self.index.flow_inserted(&self.chain, &self.map, *i);
                    raster_stale |= self.canvas.flow_inserted(*i);
                }
                Edit::RemoveFlow(i, _) => {
                    self.index.flow_removed(*i);
                    raster_stale |= self.canvas.flow_removed(*i);
                }
                Edit::ReplaceFlow(i, old, new) => {
                    self.index.flow_replaced(&self.chain, &self.map, *i);
                    if old.from != new.from || old.to != new.to {
                        self.canvas.unroute(*i, raster_stale);
                    }
                }
                Edit::InsertStep(_, step) | Edit::RemoveStep(_, step) => {
                    steps_renumbered = true;
                    steps_moved.push(step.id.clone());
                    new_boxes.push(self.canvas.geometry.box_rect(step.at));
                }
                Edit::ReplaceStep(i, old, new) => {
                    if steps_renumbered {
                        continue;
                    }
                    self.index.step_changed(&self.chain, &self.map, *i, old);
                    if old.at != new.at || old.id != new.id {
                        self.canvas.step_moved(*i, old.at, new.at);
                        steps_moved.extend([old.id.clone(), new.id.clone()]);
                        new_boxes.push(self.canvas.geometry.box_rect(new.at));
                    }
                }
                Edit::SetTitle(..) | Edit::SetNotes(..) => {}
            }
        }
        if steps_renumbered {
            self.index.steps_changed(&self.chain, &self.map);
            self.canvas.steps_renumbered(&self.map);
        }
        if raster_stale {
            self.canvas.rebuild_raster();
        }
        if !steps_moved.is_empty() {
            // The connections of steps that moved, and those a box now stands on, go anew.
            let stale: Vec<usize> = (0..self.map.flows.len())
                .filter(|&i| {
                    let f = &self.map.flows[i];
                    steps_moved.contains(&f.from) || steps_moved.contains(&f.to)
                })
                .collect();
            self.canvas.boxes_moved(&self.map, stale, &new_boxes);
        }
        // A longer label or a new name can widen a column or a gap: then every box right of
        // it moves, and the canvas is laid out anew (routes follow as they come into view).
        let geometry = Geometry::new(&self.map, self.canvas.geometry.zoom);
        if geometry != self.canvas.geometry {
            self.canvas = Canvas::new(&self.map, geometry);
        }
        self.recheck();
        self.ensure_routes();
    }

    fn recheck(&mut self) {
        self.report = check_indexed(&self.chain, &self.map, &mut self.index);
        self.metrics = OnceCell::new();
        let mut findings: Vec<usize> = (0..self.report.diagnostics.len()).collect();
        findings.sort_by_key(|&i| {
            let d = &self.report.diagnostics[i];
            (d.severity(), d.subject)
        });
        self.findings = findings;
        self.finding = None;
        self.findings_by_step.clear();
        self.findings_by_flow.clear();
        for (d, diagnostic) in self.report.diagnostics.iter().enumerate() {
            match diagnostic.subject {
                Subject::Step(i, _) => self.findings_by_step.entry(i).or_default().push(d),
                Subject::Flow(i, _) => self.findings_by_flow.entry(i).or_default().push(d),
                Subject::Map => {}
            }
        }
        if self
            .selected_flow
            .is_some_and(|f| f >= self.map.flows.len())
        {
            self.selected_flow = None;
        }
    }

    /// A flow's verdict; a flow the report does not cover counts as off-chain.
    pub fn verdict(&self, flow: usize) -> crate::check::Verdict {
        self.report
            .verdicts
            .get(flow)
            .copied()
            .unwrap_or(crate::check::Verdict::OffChain)
    }

    /// The findings about a step (if given) and these flows, in the report's order.
    pub fn findings_of(&self, step: Option<usize>, flows: &[usize]) -> Vec<usize> {
        let mut found: Vec<usize> = step
            .and_then(|s| self.findings_by_step.get(&s))
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for flow in flows {
            found.extend(
                self.findings_by_flow
                    .get(flow)
                    .into_iter()
                    .flatten()
                    .copied(),
            );
        }
        found.sort_unstable();
        found
    }

    /// The stream's flow metrics, worked out on first use after a change.
    pub fn metrics(&self) -> &Metrics {
        self.metrics.get_or_init(|| metrics(&self.map))
    }

    /// Routes the connections near the view that are not routed yet. Cheap when there are
    /// none: every update calls it, so what comes into view is drawn connected.
    pub fn ensure_routes(&mut self) {
        let grid = self.layout().grid;
        let geometry = &self.canvas.geometry;
        let left = i64::from(geometry.view_x(self.scroll.col));
        let top = i64::from(geometry.view_y(self.scroll.row));
        // The view in world characters, with a margin of a cell around it: a route rarely
        // strays further from the boxes it joins.
        let (cell_w, cell_h) = (
            i64::from(geometry.col_width(self.scroll.col)),
            i64::from(geometry.row_height(self.scroll.row)),
        );
        let view = (
            left - cell_w,
            top - cell_h,
            left + i64::from(grid.width) + cell_w,
            top + i64::from(grid.height) + cell_h,
        );
        let index = &self.index;
        self.canvas
            .route_near(&self.map, |i| index.flow_ends(i), view);
    }

    /// Routes every connection of the map (for drawing the whole of it).
    pub fn route_everything(&mut self) {
        let index = &self.index;
        self.canvas.route_all(&self.map, |i| index.flow_ends(i));
    }

    pub fn modified(&self) -> bool {
        self.saved_version != Some(self.history.version())
    }

    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.canvas.step_at(cell)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.index.step(id)
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
        (0..self.map.flows.len())
            .filter(|&i| {
                self.flow_ends(i)
                    .is_some_and(|(a, b)| a == step || b == step)
            })
            .collect()
    }

    /// The steps a flow joins, when both exist.
    pub fn flow_ends(&self, flow: usize) -> Option<(usize, usize)> {
        self.index.flow_ends(flow)
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
