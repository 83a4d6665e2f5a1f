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
use crate::route::{self, Raster, Route, Router};
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
    /// One per flow: its route, once routed. Flows are routed when they come near the view.
    pub routes: Vec<Option<Route>>,
    /// Whether each flow has been routed (a flow may have no route at all).
    routed: Vec<bool>,
    /// The view the unrouted flows were last looked through, and whether flows became
    /// unrouted since: most updates change neither, and then there is nothing to look for.
    routed_for: Option<(i64, i64, i64, i64)>,
    routes_pending: bool,
    pub raster: Raster,
    router: Router,
    index: Index,
    step_by_cell: FxHashMap<Cell, usize>,
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
            routes: Vec::new(),
            routed: Vec::new(),
            routed_for: None,
            routes_pending: true,
            raster: Raster::new(&[]),
            router: Router::new(Vec::new()),
            index: Index::empty(),
            step_by_cell: FxHashMap::default(),
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
        self.step_by_cell = cells_of(&self.map);
        self.routes = vec![None; self.map.flows.len()];
        self.routed = vec![false; self.map.flows.len()];
        self.routes_pending = true;
        self.raster = Raster::new(&[]);
        self.router = Router::new(self.boxes());
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
                    self.routes.insert(*i, None);
                    self.routed.insert(*i, false);
                    self.routes_pending = true;
                    raster_stale |= *i + 1 != self.routes.len();
                }
                Edit::RemoveFlow(i, _) => {
                    self.index.flow_removed(*i);
                    if let Some(route) = self.routes.remove(*i) {
                        self.router.forget(&route);
                        self.raster.remove(*i, &route);
                    }
                    self.routed.remove(*i);
                    raster_stale |= *i != self.routes.len();
                }
                Edit::ReplaceFlow(i, old, new) => {
                    self.index.flow_replaced(&self.chain, &self.map, *i);
                    if old.from != new.from || old.to != new.to {
                        self.unroute(*i, raster_stale);
                    }
                }
                Edit::InsertStep(_, step) | Edit::RemoveStep(_, step) => {
                    steps_renumbered = true;
                    steps_moved.push(step.id.clone());
                    new_boxes.push(layout::box_rect(step.at));
                }
                Edit::ReplaceStep(i, old, new) => {
                    if steps_renumbered {
                        continue;
                    }
                    self.index.step_changed(&self.chain, &self.map, *i, old);
                    if old.at != new.at || old.id != new.id {
                        if self.step_by_cell.get(&old.at) == Some(i) {
                            self.step_by_cell.remove(&old.at);
                        }
                        self.step_by_cell.entry(new.at).or_insert(*i);
                        steps_moved.extend([old.id.clone(), new.id.clone()]);
                        new_boxes.push(layout::box_rect(new.at));
                    }
                }
                Edit::SetTitle(..) | Edit::SetNotes(..) => {}
            }
        }
        if steps_renumbered {
            self.index.steps_changed(&self.chain, &self.map);
            self.step_by_cell = cells_of(&self.map);
        }
        if raster_stale {
            self.raster = Raster::new(&self.routes);
        }
        if !steps_moved.is_empty() {
            self.router.set_boxes(self.boxes());
            // The connections of steps that moved, and those a box now stands on, go anew.
            let mut stale: Vec<usize> = (0..self.map.flows.len())
                .filter(|&i| {
                    let f = &self.map.flows[i];
                    steps_moved.contains(&f.from) || steps_moved.contains(&f.to)
                })
                .collect();
            for rect in new_boxes {
                for y in rect.y..rect.y + rect.height {
                    for x in rect.x..rect.x + rect.width {
                        stale.extend_from_slice(self.raster.routes_at(x, y));
                    }
                }
            }
            stale.sort_unstable();
            stale.dedup();
            for i in stale {
                self.unroute(i, false);
            }
        }
        self.recheck();
        self.ensure_routes();
    }

    /// Forgets a flow's route so it is routed again when it is near the view.
    fn unroute(&mut self, flow: usize, raster_stale: bool) {
        if let Some(route) = self.routes.get_mut(flow).and_then(Option::take) {
            self.router.forget(&route);
            if !raster_stale {
                self.raster.remove(flow, &route);
            }
        }
        if let Some(routed) = self.routed.get_mut(flow) {
            *routed = false;
            self.routes_pending = true;
        }
    }

    fn boxes(&self) -> Vec<route::Rect> {
        self.map
            .steps
            .iter()
            .map(|s| layout::box_rect(s.at))
            .collect()
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
        // The view in world characters, with a margin of a cell around it: a route rarely
        // strays further from the boxes it joins.
        let view = (
            i64::from(self.scroll.col) * i64::from(layout::CELL_W) - i64::from(layout::CELL_W),
            i64::from(self.scroll.row) * i64::from(layout::CELL_H) - i64::from(layout::CELL_H),
            i64::from(self.scroll.col) * i64::from(layout::CELL_W)
                + i64::from(grid.width)
                + i64::from(layout::CELL_W),
            i64::from(self.scroll.row) * i64::from(layout::CELL_H)
                + i64::from(grid.height)
                + i64::from(layout::CELL_H),
        );
        if !self.routes_pending && self.routed_for == Some(view) {
            return;
        }
        self.route_where(|a, b| {
            let (x0, x1) = (
                a.x.min(b.x) as i64,
                (a.x + a.width).max(b.x + b.width) as i64,
            );
            let (y0, y1) = (
                a.y.min(b.y) as i64,
                (a.y + a.height).max(b.y + b.height) as i64,
            );
            x0 <= view.2 && x1 >= view.0 && y0 <= view.3 && y1 >= view.1
        });
        self.routed_for = Some(view);
        self.routes_pending = false;
    }

    /// Routes every connection of the map (for drawing the whole of it).
    pub fn route_everything(&mut self) {
        self.route_where(|_, _| true);
    }

    fn route_where(&mut self, near: impl Fn(&route::Rect, &route::Rect) -> bool) {
        for i in 0..self.map.flows.len() {
            if self.routed[i] {
                continue;
            }
            let Some((a, b)) = self.index.flow_ends(i) else {
                self.routed[i] = true;
                continue;
            };
            let (ra, rb) = (
                layout::box_rect(self.map.steps[a].at),
                layout::box_rect(self.map.steps[b].at),
            );
            if !near(&ra, &rb) {
                continue;
            }
            self.routed[i] = true;
            if let Some(route) = self.router.route(a, b) {
                self.router.remember(&route);
                self.raster.add(i, &route);
                self.routes[i] = Some(route);
            }
        }
    }

    pub fn modified(&self) -> bool {
        self.saved_version != Some(self.history.version())
    }

    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.step_by_cell.get(&cell).copied()
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

/// The first step on each cell.
fn cells_of(map: &Map) -> FxHashMap<Cell, usize> {
    map.steps
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.at, i))
        .collect()
}
