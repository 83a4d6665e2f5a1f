//! What drawing a map needs beyond the map itself: which step stands on which cell, and the
//! route of each connection, worked out lazily (the editor routes what comes near the view,
//! `vsmap render` and the exports route everything).

use super::geometry::Geometry;
use super::labels::{self, Label, Room};
use crate::model::map::{Cell, Map};
use crate::route::{self, Raster, Route, Router};
use rustc_hash::{FxHashMap, FxHashSet};

/// A world rectangle: left, top, right, bottom.
pub type Bounds = (i64, i64, i64, i64);

pub struct Canvas {
    pub geometry: Geometry,
    /// One per flow: its route, once routed.
    routes: Vec<Option<Route>>,
    /// Whether each flow has been routed (a flow may have no route at all).
    routed: Vec<bool>,
    /// The view the unrouted flows were last looked through, and whether flows became
    /// unrouted since: most updates change neither, and then there is nothing to look for.
    routed_for: Option<Bounds>,
    routes_pending: bool,
    raster: Raster,
    router: Router,
    step_by_cell: FxHashMap<Cell, usize>,
    /// Per flow: where its artifact name (or its number) stands, once routed.
    labels: Vec<Option<Label>>,
    /// The cells the names cover, so that the next name finds room elsewhere.
    label_cells: FxHashSet<(i32, i32)>,
    /// How many links carry their number instead of their name.
    numbers: usize,
}

impl Canvas {
    /// A canvas for the map with nothing routed yet.
    pub fn new(map: &Map, geometry: Geometry) -> Canvas {
        let boxes = map.steps.iter().map(|s| geometry.box_rect(s.at)).collect();
        Canvas {
            routes: vec![None; map.flows.len()],
            routed: vec![false; map.flows.len()],
            routed_for: None,
            routes_pending: true,
            raster: Raster::new(&[]),
            router: Router::new(boxes),
            step_by_cell: cells_of(map),
            labels: vec![None; map.flows.len()],
            label_cells: FxHashSet::default(),
            numbers: 0,
            geometry,
        }
    }

    /// A canvas with every connection routed: for drawing the whole map at once.
    pub fn routed(map: &Map, geometry: Geometry) -> Canvas {
        let mut canvas = Canvas::new(map, geometry);
        let ids: FxHashMap<&str, usize> = map
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let ends = |flow: usize| {
            let f = &map.flows[flow];
            Some((*ids.get(f.from.as_str())?, *ids.get(f.to.as_str())?))
        };
        canvas.route_where(map, ends, |_, _| true);
        canvas
    }

    pub fn routes(&self) -> &[Option<Route>] {
        &self.routes
    }

    pub fn route(&self, flow: usize) -> Option<&Route> {
        self.routes.get(flow).and_then(Option::as_ref)
    }

    /// Where a flow's name or number stands, once it is routed.
    pub fn label(&self, flow: usize) -> Option<&Label> {
        self.labels.get(flow).and_then(Option::as_ref)
    }

    /// The flows whose names stand on the legend instead of their links, by number.
    pub fn numbered(&self) -> impl Iterator<Item = usize> + '_ {
        self.labels
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, Some(Label::Number { .. })))
            .map(|(i, _)| i)
    }

    /// Whether some link carries its number (and the legend has something to say).
    pub fn has_numbers(&self) -> bool {
        self.numbers > 0
    }

    pub fn raster(&self) -> &Raster {
        &self.raster
    }

    /// The first step on a cell.
    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.step_by_cell.get(&cell).copied()
    }

    /// A flow was inserted at `index`: it is routed when it comes near the view.
    pub fn flow_inserted(&mut self, index: usize) -> bool {
        self.routes.insert(index, None);
        self.routed.insert(index, false);
        self.labels.insert(index, None);
        self.routes_pending = true;
        let renumbered = index + 1 != self.routes.len();
        if renumbered {
            self.forget_labels();
        }
        renumbered
    }

    /// A flow was removed; true when flows after it were renumbered.
    pub fn flow_removed(&mut self, index: usize) -> bool {
        if let Some(route) = self.routes.remove(index) {
            self.router.forget(&route);
            self.raster.remove(index, &route);
        }
        self.routed.remove(index);
        self.drop_label(index);
        self.labels.remove(index);
        let renumbered = index != self.routes.len();
        if renumbered {
            self.forget_labels();
        }
        renumbered
    }

    /// Steps were inserted or removed: every cell is looked up anew.
    pub fn steps_renumbered(&mut self, map: &Map) {
        self.step_by_cell = cells_of(map);
    }

    /// A step moved from one cell to another without renumbering.
    pub fn step_moved(&mut self, index: usize, from: Cell, to: Cell) {
        if self.step_by_cell.get(&from) == Some(&index) {
            self.step_by_cell.remove(&from);
        }
        self.step_by_cell.entry(to).or_insert(index);
    }

    /// After flows were renumbered, the raster is built again from the routes.
    pub fn rebuild_raster(&mut self) {
        self.raster = Raster::new(&self.routes);
    }

    /// Boxes moved: the router learns where they are now, and these connections, with those
    /// a box now stands on, are routed anew.
    pub fn boxes_moved(&mut self, map: &Map, mut stale: Vec<usize>, new_boxes: &[route::Rect]) {
        let boxes = map
            .steps
            .iter()
            .map(|s| self.geometry.box_rect(s.at))
            .collect();
        self.router.set_boxes(boxes);
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

    /// Forgets a flow's route so it is routed again when it is near the view.
    pub fn unroute(&mut self, flow: usize, raster_stale: bool) {
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
        self.drop_label(flow);
    }

    fn drop_label(&mut self, flow: usize) {
        if let Some(label) = self.labels.get_mut(flow).and_then(Option::take) {
            if matches!(label, Label::Number { .. }) {
                self.numbers -= 1;
            }
            for cell in label.cells() {
                self.label_cells.remove(&cell);
            }
        }
    }

    /// Flows were renumbered: every name is placed again (numbers follow the flows).
    fn forget_labels(&mut self) {
        self.labels.iter_mut().for_each(|l| *l = None);
        self.label_cells.clear();
        self.numbers = 0;
    }

    /// Places the names of the routed flows that have none yet, in map order.
    fn place_labels(&mut self, map: &Map) {
        for flow in 0..map.flows.len() {
            if self.labels[flow].is_some() {
                continue;
            }
            let (Some(route), Some(name)) = (
                self.routes[flow].as_ref(),
                map.flows[flow].artifact.as_deref(),
            ) else {
                continue;
            };
            let label = labels::place(
                flow,
                name,
                route,
                self.geometry.zoom,
                &CanvasRoom(self),
                &self.label_cells,
            );
            match label {
                Label::Name { .. } => self.label_cells.extend(label.cells()),
                Label::Number { .. } => self.numbers += 1,
            }
            self.labels[flow] = Some(label);
        }
    }

    /// Routes the connections whose boxes come within `view` and are not routed yet. Cheap
    /// when nothing changed since the last call with the same view.
    pub fn route_near(
        &mut self,
        map: &Map,
        ends: impl Fn(usize) -> Option<(usize, usize)>,
        view: Bounds,
    ) {
        if !self.routes_pending && self.routed_for == Some(view) {
            return;
        }
        self.route_where(map, ends, |a, b| {
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

    /// Routes every connection not routed yet.
    pub fn route_all(&mut self, map: &Map, ends: impl Fn(usize) -> Option<(usize, usize)>) {
        self.route_where(map, ends, |_, _| true);
    }

    fn route_where(
        &mut self,
        map: &Map,
        ends: impl Fn(usize) -> Option<(usize, usize)>,
        near: impl Fn(&route::Rect, &route::Rect) -> bool,
    ) {
        for i in 0..map.flows.len() {
            if self.routed[i] {
                continue;
            }
            let Some((a, b)) = ends(i) else {
                self.routed[i] = true;
                continue;
            };
            let (ra, rb) = (
                self.geometry.box_rect(map.steps[a].at),
                self.geometry.box_rect(map.steps[b].at),
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
        self.place_labels(map);
    }

    /// Whether a world character lies on a step's box.
    pub fn is_box(&self, x: i32, y: i32) -> bool {
        self.geometry
            .cell_of(x, y)
            .and_then(|cell| self.step_at(cell).map(|_| cell))
            .is_some_and(|cell| self.geometry.box_rect(cell).contains(x, y))
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

/// The canvas as labels see it.
struct CanvasRoom<'a>(&'a Canvas);

impl Room for CanvasRoom<'_> {
    fn is_free(&self, x: i32, y: i32) -> bool {
        self.0.raster.mask(x, y) == 0 && !self.0.is_box(x, y)
    }

    fn is_box(&self, x: i32, y: i32) -> bool {
        self.0.is_box(x, y)
    }
}
