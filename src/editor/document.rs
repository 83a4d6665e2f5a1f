//! The document: the map, its history, what is derived from it (findings, lookups, the
//! canvas of cells and routes) and what is on disk. The fields are private; the methods that
//! change the map bring everything derived up to date, so the two never disagree.

use super::history::{Change, Edit, History};
use super::state::Target;
use crate::chain::Chain;
use crate::check::{Index, Report, Subject, Verdict, check_indexed};
use crate::io::save::Fingerprint;
use crate::metrics::{Metrics, metrics};
use crate::model::activity::Activity;
use crate::model::map::{Cell, Improvement, Map, Step};
use crate::route;
use crate::view::boxes::Zoom;
use crate::view::canvas::{Canvas, FRAME_WORK};
use crate::view::geometry::Geometry;
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

pub struct Document {
    chain: Chain,
    map: Map,
    path: PathBuf,
    history: History,
    /// The history version with nothing to save: the one on disk, or the first of a new map
    /// while no one has touched it (there is nothing to lose yet); `None` when every version
    /// has edits to save.
    saved_version: Option<u64>,
    /// What the file held when it was last read or written, to notice changes made
    /// underneath; `None` when there is no file yet. Told by the edge.
    disk: Option<Fingerprint>,
    /// Whether the file can be written; in review mode notes are added only then.
    writable: bool,
    /// The user chose to quit without saving: the recovery file goes too.
    discarded: bool,

    // Derived from the map, never edited directly.
    report: Report,
    /// Worked out when first asked for after a change: only the timeline, the inspector and
    /// review mode need it.
    metrics: OnceCell<Metrics>,
    /// Indices into `report.diagnostics`, most severe first, then in map order.
    findings: Vec<usize>,
    /// The findings about each step and each flow, by index, so the inspector finds them
    /// without reading them all.
    findings_by_step: FxHashMap<usize, Vec<usize>>,
    findings_by_flow: FxHashMap<usize, Vec<usize>>,
    /// Step cells and connection routes, for drawing and hit-testing.
    canvas: Canvas,
    index: Index,
}

impl Document {
    /// A document over a map; `on_disk` says the map is what its file holds.
    pub fn new(chain: Chain, map: Map, path: PathBuf, on_disk: bool) -> Document {
        let history = History::default();
        let saved_version = on_disk.then(|| history.version());
        let mut document = Document {
            chain,
            map,
            path,
            history,
            saved_version,
            disk: None,
            writable: true,
            discarded: false,
            metrics: OnceCell::new(),
            report: Report::default(),
            findings: Vec::new(),
            findings_by_step: FxHashMap::default(),
            findings_by_flow: FxHashMap::default(),
            canvas: Canvas::new(&Map::new(""), Geometry::default()),
            index: Index::empty(),
        };
        document.refresh();
        document
    }

    // ---- Reading ------------------------------------------------------------------------

    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    pub fn map(&self) -> &Map {
        &self.map
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The history's version: it names the map's current state.
    pub fn version(&self) -> u64 {
        self.history.version()
    }

    pub fn modified(&self) -> bool {
        self.saved_version != Some(self.history.version())
    }

    pub fn disk(&self) -> Option<Fingerprint> {
        self.disk
    }

    pub fn writable(&self) -> bool {
        self.writable
    }

    pub fn discarded(&self) -> bool {
        self.discarded
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Indices into the report's diagnostics, most severe first, then in map order.
    pub fn findings(&self) -> &[usize] {
        &self.findings
    }

    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The stream's flow metrics, worked out on first use after a change.
    pub fn metrics(&self) -> &Metrics {
        self.metrics.get_or_init(|| metrics(&self.map))
    }

    /// A flow's verdict; a flow the report does not cover counts as off-chain.
    pub fn verdict(&self, flow: usize) -> Verdict {
        self.report
            .verdicts
            .get(flow)
            .copied()
            .unwrap_or(Verdict::OffChain)
    }

    /// The fixes the findings about a flow offer, best first within each finding, each once.
    pub fn fixes_of(&self, flow: usize) -> Vec<crate::check::fix::Fix> {
        let mut fixes: Vec<crate::check::fix::Fix> = Vec::new();
        for d in self.findings_of(None, &[flow]) {
            for fix in self.report.diagnostics[d].fixes.iter() {
                if !fixes.contains(fix) {
                    fixes.push(fix.clone());
                }
            }
        }
        fixes
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

    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.canvas.step_at(cell)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.index.step(id)
    }

    /// What people call the step with this id: its label, or the id when it has none.
    pub fn step_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.step_index(id).map_or(id, |i| self.map.steps[i].name())
    }

    /// A connection as people read it: `Label -> Label`, each label cut to 40 columns so
    /// both ends show.
    pub fn flow_name(&self, flow: usize) -> String {
        let f = &self.map.flows[flow];
        let name = |id| crate::text::fit(self.step_name(id), 40, '…');
        format!("{} -> {}", name(&f.from), name(&f.to))
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

    /// An activity's purpose from the chain (the ends have theirs too).
    pub fn purpose(&self, activity: Activity) -> String {
        match activity {
            Activity::Demand => self.chain.file.demand.purpose.clone(),
            Activity::Value => self.chain.file.value.purpose.clone(),
            a => self
                .chain
                .activity(a)
                .map(|d| d.purpose.clone())
                .unwrap_or_default(),
        }
    }

    // ---- Changing the map ---------------------------------------------------------------

    /// Applies a change through the history and brings everything derived up to date.
    pub(super) fn apply(&mut self, change: Change) {
        let edits = change.applied_edits(false);
        self.history.apply(&mut self.map, change);
        self.changed(&edits);
    }

    /// Undoes (or redoes) the last change: what it was and where it happened, or `None`
    /// when there is nothing to undo (redo).
    pub(super) fn undo_redo(&mut self, undo: bool) -> Option<(String, Option<Cell>)> {
        let change = if undo {
            self.history.undo(&mut self.map)
        } else {
            self.history.redo(&mut self.map)
        };
        let (what, focus, edits) =
            change.map(|c| (c.description.clone(), c.focus(undo), c.applied_edits(undo)))?;
        self.changed(&edits);
        Some((what, focus))
    }

    /// Moves a step for the eye only, outside the history; `put_down` records the move.
    pub(super) fn carry(&mut self, step: usize, target: Cell) {
        let old = self.map.steps[step].clone();
        self.map.steps[step].at = target;
        let moved = Edit::ReplaceStep(step, old, self.map.steps[step].clone());
        self.changed(&[moved]);
    }

    /// Shows a new step for the eye only, outside the history, while its link is chosen.
    pub(super) fn stage(&mut self, step: Step) {
        let index = self.map.steps.len();
        self.map.steps.push(step.clone());
        self.changed(&[Edit::InsertStep(index, step)]);
    }

    /// Takes a staged step away again.
    pub(super) fn unstage(&mut self) -> Option<Step> {
        let step = self.map.steps.pop()?;
        self.changed(&[Edit::RemoveStep(self.map.steps.len(), step.clone())]);
        Some(step)
    }

    /// Records a carried step's move from `origin` to where it is now, as one change.
    pub(super) fn put_down(&mut self, step: usize, origin: Cell) {
        let target = self.map.steps[step].at;
        if target == origin {
            return;
        }
        self.map.steps[step].at = origin;
        let change = Change::move_step(&self.map, step, target);
        self.apply(change);
    }

    /// Changes the map outside the history (for tests and tools that set a map up), then
    /// brings everything derived up to date.
    pub fn change_unrecorded(&mut self, change: impl FnOnce(&mut Map)) {
        change(&mut self.map);
        self.refresh();
    }

    // ---- The file -----------------------------------------------------------------------

    /// The map was written to `path`, which it is edited under from now on.
    pub(super) fn saved_to(&mut self, path: PathBuf) {
        self.path = path;
        self.saved_version = Some(self.history.version());
    }

    /// The map as it is now is what the file holds (after a reload).
    pub(super) fn mark_saved(&mut self) {
        self.saved_version = Some(self.history.version());
    }

    /// The map as it is now is a new map's start, with nothing to save yet: quitting asks
    /// nothing and writes nothing until the user changes it.
    pub(super) fn mark_untouched(&mut self) {
        self.saved_version = Some(self.history.version());
    }

    pub(super) fn set_disk(&mut self, disk: Option<Fingerprint>) {
        self.disk = disk;
    }

    pub(super) fn set_writable(&mut self, writable: bool) {
        self.writable = writable;
    }

    pub(super) fn discard(&mut self) {
        self.discarded = true;
    }

    // ---- What is derived ----------------------------------------------------------------

    /// Recomputes everything derived from the map: findings, lookups, and the canvas
    /// (whose routes are worked out again as they come into view).
    pub(super) fn refresh(&mut self) {
        self.index = Index::new(&self.chain, &self.map);
        // The layout does not depend on the findings: on a big map it is made on a second
        // core while the map is checked, and the first frame waits for the longer of the two.
        // The flow metrics are worked out there too, in the check's time: the inspector
        // shows them wherever the cursor is on no step, and on the 10k map a first key
        // there waited 10-15 ms for them.
        let (map, zoom) = (&self.map, self.zoom());
        let laid_out = std::thread::scope(|scope| {
            let layout = scope.spawn(|| (Canvas::new(map, Geometry::new(map, zoom)), metrics(map)));
            self.report = check_indexed(&self.chain, map, &mut self.index);
            layout.join()
        });
        let (canvas, metrics) = laid_out.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        self.canvas = canvas;
        self.findings_changed();
        self.metrics = OnceCell::from(metrics);
    }

    /// Lays the steps out anew on cells of this geometry; routes follow as they come into
    /// view.
    pub fn rebuild_canvas(&mut self, geometry: Geometry) {
        self.canvas = Canvas::new(&self.map, geometry);
    }

    /// The zoom the canvas is laid out at.
    pub fn zoom(&self) -> Zoom {
        self.canvas.geometry.zoom
    }

    /// Lays the map out at another zoom level.
    pub(super) fn set_zoom(&mut self, zoom: Zoom) {
        if zoom != self.zoom() {
            self.rebuild_canvas(Geometry::new(&self.map, zoom));
        }
    }

    /// Brings what is derived from the map up to date after these edits, as they were
    /// carried out: the index, the cells, the routes they disturb, the findings. An edit of
    /// one connection in a map of ten thousand steps touches that connection, not the map.
    fn changed(&mut self, edits: &[Edit]) {
        let mut steps_moved: Vec<CompactString> = Vec::new();
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
        let geometry = Geometry::new(&self.map, self.zoom());
        if geometry != self.canvas.geometry {
            self.rebuild_canvas(geometry);
        }
        self.recheck();
    }

    fn recheck(&mut self) {
        self.report = check_indexed(&self.chain, &self.map, &mut self.index);
        self.findings_changed();
    }

    /// Sorts the report's findings and files them by step and by flow.
    fn findings_changed(&mut self) {
        self.metrics = OnceCell::new();
        let mut findings: Vec<usize> = (0..self.report.diagnostics.len()).collect();
        findings.sort_by_key(|&i| {
            let d = &self.report.diagnostics[i];
            (d.severity(), d.subject)
        });
        self.findings = findings;
        self.findings_by_step.clear();
        self.findings_by_flow.clear();
        for (d, diagnostic) in self.report.diagnostics.iter().enumerate() {
            match diagnostic.subject {
                Subject::Step(i, _) => self.findings_by_step.entry(i).or_default().push(d),
                Subject::Flow(i, _) => self.findings_by_flow.entry(i).or_default().push(d),
                Subject::Map => {}
            }
        }
    }

    /// Routes the connections inside `window` (world characters: left, top, right,
    /// bottom) that are not routed yet. Cheap when there are none.
    pub(super) fn route_near(&mut self, window: (i64, i64, i64, i64)) {
        let index = &self.index;
        self.canvas
            .route_near(&self.map, |i| index.flow_ends(i), window, FRAME_WORK);
    }

    /// Forgets routes far from `window` when too many are kept (see `Canvas::tidy`).
    pub(super) fn tidy_routes(&mut self, window: (i64, i64, i64, i64)) {
        let index = &self.index;
        self.canvas.tidy(&self.map, &|i| index.flow_ends(i), window);
    }

    /// Routes every connection of the map (for drawing the whole of it).
    pub fn route_everything(&mut self) {
        let index = &self.index;
        self.canvas.route_all(&self.map, |i| index.flow_ends(i));
    }
}
