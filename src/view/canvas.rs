//! What drawing a map needs beyond the map itself: which step stands on which cell, and the
//! route of each connection, worked out lazily (the editor routes what comes near the view,
//! `vsmap render` and the exports route everything).

use super::geometry::Geometry;
use super::labels::{self, Label, Room};
use crate::both::both;
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
    /// Whether lines are drawn into the raster as they are routed. An export that draws
    /// each line from its route has no use for the raster: there it stays empty, and names
    /// find the lines' cells in the router's record of them.
    paints: bool,
    /// Where there is no raster, the least and most x and y of each flow's route points:
    /// which links may show on an area.
    route_bounds: Vec<Option<[i32; 4]>>,
    router: Router,
    step_by_cell: FxHashMap<Cell, usize>,
    /// Per flow: where its artifact name (or its number) stands, once routed.
    labels: Vec<Option<Label>>,
    /// The cells the names cover, so that the next name finds room elsewhere.
    label_cells: FxHashSet<(i32, i32)>,
    /// How many links carry their number instead of their name.
    numbers: usize,
    /// Flows routed since their names were last placed: placing looks at these, not at
    /// every flow of the map on every key.
    unlabelled: Vec<usize>,
    /// Per flow: whether its route is a provisional straight line, drawn dimmed until the
    /// real route is worked out in a later frame.
    provisional: Vec<bool>,
    /// Most route cells kept while the editor scrolls: at least `cells_kept_least`
    /// (`ROUTE_CELLS_KEPT`), and twice what was left near the view the last time far routes
    /// were forgotten, so that a view that needs many is not tidied after every move.
    cells_kept: usize,
    cells_kept_least: usize,
    /// More route cells are kept than `cells_kept`: idle time should `tidy`.
    tidy_due: bool,
}

/// Route cells the editor keeps: past them, the routes farthest from the view are
/// forgotten (and routed again if they come back into view), so scrolling through a map of
/// ten thousand steps holds a few screens' routes, not the whole map's. A screen of 200x50
/// holds a few thousand line cells; this keeps about ten screens.
pub const ROUTE_CELLS_KEPT: usize = 40_000;

/// Maps with at least this many flows are routed for drawing whole in two halves at once
/// (`Canvas::route_halves`). Smaller ones route in well under a second as they are, and
/// keep the routes they always had.
const HALVES_FROM_FLOWS: usize = 2_000;

/// Maps with at least this many flows are routed for drawing whole in a hurry
/// (`Router::hurry`): links between boxes in a row or in neighbouring rows worked out
/// along their channel, and searches that settle for routes at most an eighth dearer than
/// the best, for much less work. Smaller ones keep the best routes, and so does the
/// editor: its lines stay the best there are around the boxes, and its work a frame is
/// counted in pops, of which a hurried one costs a little more time.
const HURRY_FROM_FLOWS: usize = 2_000;

/// Route cells one call of `tidy` forgets at most: about two milliseconds of work on the
/// 10k map, which a held scroll sometimes adds to the routing of a key.
const TIDY_CELLS: usize = 10_000;

/// Router work (heap pops) one editor update may spend before it starts no more links;
/// past it, the remaining links near the view get provisional lines and are refined in the
/// next frames, so a key is always answered quickly whatever the map.
pub const FRAME_WORK: u64 = 40_000;

/// The most router work (heap pops) one search phase of one link may take in the editor.
/// A link has at most two phases, so a frame that starts a long link just before its
/// budget runs out spends at most FRAME_WORK + 2 * ROUTE_PHASE_WORK: 70,000 pops, about
/// 11 ms on the slow shared machine of BENCHMARKS.md.
const ROUTE_PHASE_WORK: u64 = 15_000;

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
            paints: true,
            route_bounds: Vec::new(),
            router: Router::new(boxes),
            step_by_cell: cells_of(map),
            labels: vec![None; map.flows.len()],
            label_cells: FxHashSet::default(),
            numbers: 0,
            unlabelled: Vec::new(),
            provisional: vec![false; map.flows.len()],
            cells_kept: ROUTE_CELLS_KEPT,
            cells_kept_least: ROUTE_CELLS_KEPT,
            tidy_due: false,
            geometry,
        }
    }

    /// A canvas with every connection routed: for drawing the whole map at once. A big map
    /// is routed in a hurry (`HURRY_FROM_FLOWS`), and its router stays hurried.
    pub fn routed(map: &Map, geometry: Geometry) -> Canvas {
        Canvas::routed_painting(map, geometry, true)
    }

    /// `routed`, for an export that draws each line from its route (the SVG): the lines are
    /// not drawn into the raster, which stays empty. On the 10k maps that is millions of
    /// cells not made, and tens of megabytes not touched.
    pub fn routed_without_raster(map: &Map, geometry: Geometry) -> Canvas {
        Canvas::routed_painting(map, geometry, false)
    }

    fn routed_painting(map: &Map, geometry: Geometry, paints: bool) -> Canvas {
        let mut canvas = Canvas::new(map, geometry);
        canvas.paints = paints;
        canvas.router.hurry(map.flows.len() >= HURRY_FROM_FLOWS);
        let ids: FxHashMap<&str, usize> = map
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let ends: Vec<Option<(usize, usize)>> = map
            .flows
            .iter()
            .map(|f| Some((*ids.get(f.from.as_str())?, *ids.get(f.to.as_str())?)))
            .collect();
        let halves =
            (map.flows.len() >= HALVES_FROM_FLOWS).then(|| canvas.route_halves(map, &ends, true));
        canvas.route_where(map, |flow| ends[flow], u64::MAX, |_, _| true);
        if let Some([upper, lower]) = halves {
            canvas.label_halves(map, &upper, &lower);
        }
        if !paints {
            canvas.route_bounds = canvas
                .routes
                .iter()
                .map(|r| r.as_ref().and_then(bounds))
                .collect();
        }
        canvas
    }

    /// Routes the flows wholly above the middle row of boxes and those wholly below it, the
    /// two halves at once (`at_once`: on two threads, see `both`), each by a router kept to
    /// its half.
    /// Routes of the two halves cannot meet, so they come out the same however the threads
    /// run, and on one core too. What is left (the middle row's flows, those crossing it,
    /// and any that found no route in their half or only the plan) is for `route_where`,
    /// which sees all of these. The canvas's router must have no routes yet: it routes the
    /// upper half. Returns the flows routed in each half, for `label_halves` to name once
    /// every line is drawn.
    fn route_halves(
        &mut self,
        map: &Map,
        ends: &[Option<(usize, usize)>],
        at_once: bool,
    ) -> [Vec<usize>; 2] {
        let row_of = |step: usize| map.steps[step].at.row;
        let mut rows: Vec<u16> = ends.iter().flatten().map(|&(a, _)| row_of(a)).collect();
        if rows.is_empty() {
            return [Vec::new(), Vec::new()];
        }
        let half = rows.len() / 2;
        let middle = *rows.select_nth_unstable(half).1;
        let boxes = self.router.boxes();
        // The middle row's boxes lie between the halves; their rings belong to the halves.
        let in_middle = || {
            boxes
                .iter()
                .zip(&map.steps)
                .filter(|(_, s)| s.at.row == middle)
        };
        let above_middle = in_middle().map(|(r, _)| r.y).min().unwrap_or(i32::MIN);
        let below_middle = in_middle().map(|(r, _)| r.y.saturating_add(r.height)).max();
        let below_middle = below_middle.unwrap_or(i32::MAX);
        let (mut upper, mut lower) = (Vec::new(), Vec::new());
        for (flow, &end) in ends.iter().enumerate() {
            let Some((a, b)) = end else { continue };
            let (ra, rb) = (row_of(a), row_of(b));
            if ra < middle && rb < middle {
                upper.push(flow);
            } else if ra > middle && rb > middle {
                lower.push(flow);
            }
        }
        let paints = self.paints;
        let route_half = |router: &mut Router, raster: &mut Raster, flows: &[usize]| {
            let mut routed = Vec::with_capacity(flows.len());
            for &flow in flows {
                let Some((a, b)) = ends[flow] else { continue };
                let Some(mut route) = router.route(a, b) else {
                    continue;
                };
                // A plan is not kept to the half: it waits for the whole map.
                if router.last_work().how == Some(route::How::Fallback) {
                    continue;
                }
                route.points.shrink_to_fit();
                router.remember(&route);
                if paints {
                    raster.add(flow, &route);
                }
                routed.push((flow, route));
            }
            routed
        };
        let mut lower_router = self.router.alike();
        lower_router.confine_rows(below_middle, i32::MAX);
        self.router
            .confine_rows(i32::MIN, above_middle.saturating_sub(1));
        // Each half draws its lines into a raster of its own as it goes.
        let mut lower_raster = Raster::default();
        let mut route_upper = || route_half(&mut self.router, &mut self.raster, &upper);
        let mut route_lower = || route_half(&mut lower_router, &mut lower_raster, &lower);
        let (upper, lower) = if at_once {
            both(route_upper, route_lower)
        } else {
            (route_upper(), route_lower())
        };
        // The router and the raster take in the lower half's, at once.
        self.router.confine_rows(i32::MIN, i32::MAX);
        let remember_lower = || self.router.remember_all(lower_router);
        let draw_lower = || {
            if paints {
                self.raster.absorb(lower_raster);
            }
        };
        both(remember_lower, draw_lower);
        let mut flows = [Vec::new(), Vec::new()];
        for (half, routes) in [upper, lower].into_iter().enumerate() {
            for (flow, route) in routes {
                self.routes[flow] = Some(route);
                self.routed[flow] = true;
                flows[half].push(flow);
            }
        }
        flows
    }

    /// Names the flows of the two halves (see `route_halves`), each half on its own thread
    /// (`both`), once every route is in the raster. A name stands near
    /// its line, so the names of two halves kept apart by a row of boxes do not meet; where
    /// they would, the halves are named one after the other instead, as `place_labels`
    /// names flows. Either way the names come out the same whatever the threads do.
    fn label_halves(&mut self, map: &Map, upper: &[usize], lower: &[usize]) {
        let this = &*self;
        // Each half's names, and the cells taken once they stand: the canvas's and theirs.
        let name_half = |flows: &[usize]| {
            let mut taken = this.label_cells.clone();
            let mut named = Vec::new();
            for &flow in flows {
                if let Some(label) = this.label_for(map, flow, &taken) {
                    taken.extend(label.cells());
                    named.push((flow, label));
                }
            }
            (named, taken)
        };
        let ((upper, upper_taken), (lower, _)) = both(|| name_half(upper), || name_half(lower));
        // Names of halves kept apart stand in rows apart, which mostly settles it at once.
        let rows = |named: &[(usize, Label)]| {
            let rows = named.iter().map(|(_, label)| label.rows());
            (rows.clone().map(|r| r.0).min(), rows.map(|r| r.1).max())
        };
        let cells = |named: &[(usize, Label)]| -> Vec<(i32, i32)> {
            named.iter().flat_map(|(_, label)| label.cells()).collect()
        };
        let lower_cells = cells(&lower);
        let apart = match (rows(&upper), rows(&lower)) {
            ((_, Some(upper_bottom)), (Some(lower_top), _)) => upper_bottom < lower_top,
            _ => true,
        } || {
            let upper_cells: FxHashSet<(i32, i32)> = cells(&upper).into_iter().collect();
            lower_cells.iter().all(|c| !upper_cells.contains(c))
        };
        if apart {
            // The upper half's cells already hold the canvas's and its own names'.
            self.label_cells = upper_taken;
            self.label_cells.reserve(lower_cells.len());
            self.label_cells.extend(lower_cells);
            for (flow, label) in upper.into_iter().chain(lower) {
                self.set_label(flow, label);
            }
        } else {
            self.unlabelled
                .extend(upper.iter().chain(&lower).map(|&(flow, _)| flow));
            self.place_labels(map);
        }
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

    /// Whether some links near the view are drawn provisionally and wait for their routes,
    /// or routes far from it wait to be forgotten: work for the time no key comes.
    pub fn refining(&self) -> bool {
        (self.routes_pending && self.provisional.iter().any(|&p| p)) || self.tidy_due
    }

    /// Whether a flow's route is provisional.
    pub fn is_provisional(&self, flow: usize) -> bool {
        self.provisional.get(flow).copied().unwrap_or(false)
    }

    /// Whether some link carries its number (and the legend has something to say).
    pub fn has_numbers(&self) -> bool {
        self.numbers > 0
    }

    /// Whether the canvas draws its lines into a raster (`raster`); if not, `lines_in` and
    /// `flows_near` tell what its lines are.
    pub fn paints(&self) -> bool {
        self.paints
    }

    /// The line cells in the columns `from.0..to.0` and rows `from.1..to.1`, with their
    /// masks, as the raster would give them: for a canvas that does not paint.
    pub fn lines_in(
        &self,
        from: (i32, i32),
        to: (i32, i32),
    ) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        self.router.lines_in(from, to)
    }

    /// The flows whose routes may have cells in the columns `from.0..to.0` and rows
    /// `from.1..to.1`: every flow that has, and some that only pass around the area. For a
    /// canvas that does not paint; empty for one that does.
    pub fn flows_near(&self, from: (i32, i32), to: (i32, i32)) -> impl Iterator<Item = usize> + '_ {
        self.route_bounds
            .iter()
            .enumerate()
            .filter_map(move |(flow, b)| {
                let [x0, y0, x1, y1] = (*b)?;
                (x0 < to.0 && x1 >= from.0 && y0 < to.1 && y1 >= from.1).then_some(flow)
            })
    }

    /// Draws a flow's line into the raster, where the canvas paints.
    fn paint(&mut self, flow: usize, route: &Route) {
        if self.paints {
            self.raster.add(flow, route);
        }
    }

    /// Whether a line passes the cell (x, y).
    fn has_line(&self, x: i32, y: i32) -> bool {
        if self.paints {
            self.raster.mask(x, y) != 0
        } else {
            self.router.has_line(x, y)
        }
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
        self.provisional.insert(index, false);
        self.routes_pending = true;
        let renumbered = index + 1 != self.routes.len();
        if renumbered {
            self.forget_labels();
        }
        renumbered
    }

    /// A flow was removed; true when flows after it were renumbered.
    pub fn flow_removed(&mut self, index: usize) -> bool {
        let provisional = self.provisional.remove(index);
        if let Some(route) = self.routes.remove(index) {
            if !provisional {
                self.router.forget(&route);
            }
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
                    stale.extend(self.raster.routes_at(x, y));
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
        let provisional = std::mem::take(&mut self.provisional[flow]);
        if let Some(route) = self.routes.get_mut(flow).and_then(Option::take) {
            if !provisional {
                self.router.forget(&route);
            }
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
        self.unlabelled = (0..self.routes.len())
            .filter(|&i| self.routes[i].is_some())
            .collect();
    }

    /// Places the names of the routed flows that have none yet, in map order.
    fn place_labels(&mut self, map: &Map) {
        let mut unlabelled = std::mem::take(&mut self.unlabelled);
        // In the order of the flows, as when every flow was looked at: a name avoids the
        // names placed before it.
        unlabelled.sort_unstable();
        unlabelled.dedup();
        for flow in unlabelled.drain(..) {
            if flow >= map.flows.len() || self.labels[flow].is_some() || self.provisional[flow] {
                continue;
            }
            if let Some(label) = self.label_for(map, flow, &self.label_cells) {
                self.keep_label(flow, label);
            }
        }
        // Kept for its room.
        self.unlabelled = unlabelled;
    }

    /// Where the artifact name (or the number) of a routed flow that names one goes, clear
    /// of the cells `taken`.
    fn label_for(&self, map: &Map, flow: usize, taken: &FxHashSet<(i32, i32)>) -> Option<Label> {
        let route = self.routes[flow].as_ref()?;
        let name = map.flows[flow].artifact.as_deref()?;
        let room = CanvasRoom(self);
        Some(labels::place(
            flow,
            name,
            route,
            self.geometry.zoom,
            &room,
            taken,
        ))
    }

    /// Puts a flow's label on the canvas: its cells taken, numbers counted.
    fn keep_label(&mut self, flow: usize, label: Label) {
        self.label_cells.extend(label.cells());
        self.set_label(flow, label);
    }

    /// `keep_label` for a label whose cells are taken already.
    fn set_label(&mut self, flow: usize, label: Label) {
        if matches!(label, Label::Number { .. }) {
            self.numbers += 1;
        }
        self.labels[flow] = Some(label);
    }

    /// Routes the connections whose boxes come within `view` and are not routed yet. Cheap
    /// when nothing changed since the last call with the same view.
    pub fn route_near(
        &mut self,
        map: &Map,
        ends: impl Fn(usize) -> Option<(usize, usize)>,
        view: Bounds,
        budget: u64,
    ) {
        if !self.routes_pending && self.routed_for == Some(view) {
            return;
        }
        self.router.set_budget(route::Budget {
            most: ROUTE_PHASE_WORK,
            ..route::Budget::default()
        });
        let done = self.route_where(map, &ends, budget, |a, b| {
            let (x0, y0, x1, y1) = span(a, b);
            x0 <= view.2 && x1 >= view.0 && y0 <= view.3 && y1 >= view.1
        });
        self.routed_for = Some(view);
        // Links left provisional are taken up again by the next call.
        self.routes_pending = !done;
        // Forgetting is the idle time's work (`tidy`); a key does some of it only when
        // scrolling without a pause has run far past the limit.
        let cells = self.route_cells();
        self.tidy_due = cells > self.cells_kept;
        if cells > self.cells_kept.saturating_mul(2) {
            self.tidy(map, &ends, view);
        }
    }

    /// The cells of all routes kept, provisional lines included.
    fn route_cells(&self) -> usize {
        self.routes.iter().flatten().map(|r| r.points.len()).sum()
    }

    /// Past `cells_kept` route cells, forgets the routes farthest from `view` until half
    /// that is left, `TIDY_CELLS` at a time so that no call keeps a key waiting; the raster
    /// gives their cells to the routes that come next. Links within a view's width or
    /// height of the view are never forgotten.
    pub fn tidy(
        &mut self,
        map: &Map,
        ends: &impl Fn(usize) -> Option<(usize, usize)>,
        view: Bounds,
    ) {
        let cells = |r: &Option<Route>| r.as_ref().map_or(0, |r| r.points.len());
        let mut kept: usize = self.route_cells();
        if kept <= self.cells_kept {
            self.tidy_due = false;
            return;
        }
        let pending = self.routes_pending;
        let centre = ((view.0 + view.2) / 2, (view.1 + view.3) / 2);
        let (half_w, half_h) = ((view.2 - view.0) / 2, (view.3 - view.1) / 2);
        // How far a flow's boxes are from the view, in views: 0 when they touch it.
        let distance = |flow: usize| -> Option<i64> {
            let (a, b) = ends(flow)?;
            let (x0, y0, x1, y1) = span(
                &self.geometry.box_rect(map.steps[a].at),
                &self.geometry.box_rect(map.steps[b].at),
            );
            let dx = (x0 - centre.0).max(centre.0 - x1).max(0) - half_w;
            let dy = (y0 - centre.1).max(centre.1 - y1).max(0) - half_h;
            Some(dx.max(0) / half_w.max(1) + dy.max(0) / half_h.max(1))
        };
        // Provisional lines too: a scroll that outruns the routing leaves them behind, and
        // kept they would pile up over the whole map.
        let mut far: Vec<(i64, usize)> = (0..self.routes.len())
            .filter(|&i| self.routes[i].is_some())
            .filter_map(|i| distance(i).filter(|&d| d > 0).map(|d| (d, i)))
            .collect();
        far.sort_unstable_by(|a, b| b.cmp(a));
        let mut forgotten = 0;
        let mut done = true;
        for (_, flow) in far {
            if kept <= self.cells_kept / 2 {
                break;
            }
            if forgotten >= TIDY_CELLS {
                done = false;
                break;
            }
            let count = cells(&self.routes[flow]);
            kept -= count;
            forgotten += count;
            self.unroute(flow, false);
        }
        // The forgotten ones are routed again only when they come near the view.
        self.routes_pending = pending;
        // Otherwise the next idle moment goes on.
        if done {
            self.tidy_due = false;
            self.cells_kept = self.cells_kept_least.max(kept * 2);
        }
    }

    /// Routes every connection not routed yet.
    pub fn route_all(&mut self, map: &Map, ends: impl Fn(usize) -> Option<(usize, usize)>) {
        self.router.set_budget(route::Budget::default());
        self.route_where(map, ends, u64::MAX, |_, _| true);
    }

    /// Routes the flows `near` picks, spending at most `budget` router work; the rest of
    /// them get provisional lines. True when every one of them got its real route.
    fn route_where(
        &mut self,
        map: &Map,
        ends: impl Fn(usize) -> Option<(usize, usize)>,
        budget: u64,
        near: impl Fn(&route::Rect, &route::Rect) -> bool,
    ) -> bool {
        let mut spent = 0u64;
        let mut done = true;
        for i in 0..map.flows.len() {
            if self.routed[i] {
                continue;
            }
            let Some((a, b)) = ends(i) else {
                self.routed[i] = true;
                continue;
            };
            // The router's boxes, where it has them: every key of the editor asks this of
            // every link not routed yet, most of a big map's.
            let rect = |s: usize| {
                let known = self.router.boxes().get(s).copied();
                known.unwrap_or_else(|| self.geometry.box_rect(map.steps[s].at))
            };
            let (ra, rb) = (rect(a), rect(b));
            if !near(&ra, &rb) {
                continue;
            }
            if spent >= budget {
                done = false;
                if self.routes[i].is_none()
                    && let Some(line) = self.router.provisional(a, b)
                {
                    self.paint(i, &line);
                    self.routes[i] = Some(line);
                    self.provisional[i] = true;
                }
                continue;
            }
            if std::mem::take(&mut self.provisional[i])
                && let Some(line) = self.routes[i].take()
            {
                self.raster.remove(i, &line);
            }
            self.routed[i] = true;
            let route = self.router.route(a, b);
            spent += self.router.last_work().pops;
            if let Some(mut route) = route {
                // Kept while it is near the view: without the slack the search grew it with.
                route.points.shrink_to_fit();
                self.router.remember(&route);
                self.paint(i, &route);
                self.routes[i] = Some(route);
                self.unlabelled.push(i);
            }
        }
        self.place_labels(map);
        done
    }

    /// Whether a world character lies on a step's box.
    pub fn is_box(&self, x: i32, y: i32) -> bool {
        self.geometry
            .cell_of(x, y)
            .and_then(|cell| self.step_at(cell).map(|_| cell))
            .is_some_and(|cell| self.geometry.box_rect(cell).contains(x, y))
    }
}

/// The world rectangle two boxes span: a link between them is routed when it touches the
/// view, and forgotten when it is far from it.
fn span(a: &route::Rect, b: &route::Rect) -> Bounds {
    (
        i64::from(a.x.min(b.x)),
        i64::from(a.y.min(b.y)),
        i64::from((a.x + a.width).max(b.x + b.width)),
        i64::from((a.y + a.height).max(b.y + b.height)),
    )
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
    /// Names stay on the canvas: left of and above the margin is off screen.
    fn is_free(&self, x: i32, y: i32) -> bool {
        x >= 0 && y >= 0 && !self.0.has_line(x, y) && !self.0.is_box(x, y)
    }

    fn is_box(&self, x: i32, y: i32) -> bool {
        self.0.is_box(x, y)
    }

    fn column(&self, x: i32) -> (i32, i32) {
        self.0
            .geometry
            .column_span(x)
            .unwrap_or((i32::MIN, i32::MAX))
    }
}

/// The least and most x and y of a route's points.
fn bounds(route: &Route) -> Option<[i32; 4]> {
    let (&(x, y), rest) = route.points.split_first()?;
    Some(rest.iter().fold([x, y, x, y], |[x0, y0, x1, y1], &(x, y)| {
        [x0.min(x), y0.min(y), x1.max(x), y1.max(y)]
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::boxes::Zoom;

    fn ends_of(map: &Map) -> impl Fn(usize) -> Option<(usize, usize)> + '_ {
        move |flow| {
            let f = &map.flows[flow];
            let at = |id: &str| map.steps.iter().position(|s| s.id == id);
            Some((at(&f.from)?, at(&f.to)?))
        }
    }

    /// A canvas of the map that keeps a twentieth of its route cells, and how many it has.
    fn keeping_a_twentieth(map: &Map) -> (Canvas, usize) {
        let geometry = Geometry::new(map, Zoom::Normal);
        let everything = Canvas::routed(map, geometry.clone()).route_cells();
        let mut canvas = Canvas::new(map, geometry);
        canvas.cells_kept_least = everything / 20;
        canvas.cells_kept = canvas.cells_kept_least;
        (canvas, everything)
    }

    #[test]
    fn scrolling_through_a_big_map_keeps_the_routes_near_the_view_only() {
        let map = crate::generate::large_map(400, 800, 3);
        let (mut canvas, everything) = keeping_a_twentieth(&map);
        let (width, height) = (60, 20);
        let mut most = 0;
        let mut forgotten_and_back = false;
        let mut seen_far: Vec<usize> = Vec::new();
        for step in (0..map.steps.len()).step_by(7).chain([0]) {
            let rect = canvas.geometry.box_rect(map.steps[step].at);
            let (x, y) = (i64::from(rect.x), i64::from(rect.y));
            let view = (x - width / 2, y - height / 2, x + width / 2, y + height / 2);
            let ends = ends_of(&map);
            canvas.route_near(&map, &ends, view, u64::MAX);
            // Idle time after the frame.
            while canvas.refining() {
                canvas.tidy(&map, &ends, view);
            }
            // Every link whose boxes touch the view is drawn, with its real route.
            for flow in 0..map.flows.len() {
                let Some((a, b)) = ends(flow) else { continue };
                let (ra, rb) = (
                    canvas.geometry.box_rect(map.steps[a].at),
                    canvas.geometry.box_rect(map.steps[b].at),
                );
                let touches = |r: &route::Rect| {
                    i64::from(r.x) <= view.2
                        && i64::from(r.x + r.width) >= view.0
                        && i64::from(r.y) <= view.3
                        && i64::from(r.y + r.height) >= view.1
                };
                if touches(&ra) && touches(&rb) {
                    assert!(canvas.route(flow).is_some(), "flow {flow} in view");
                    assert!(!canvas.is_provisional(flow));
                    forgotten_and_back |= seen_far.contains(&flow);
                } else if canvas.route(flow).is_none() && !seen_far.contains(&flow) {
                    seen_far.push(flow);
                }
            }
            // The raster holds what the routes hold, no more.
            let raster: usize = canvas.raster().cells().count();
            assert!(raster <= canvas.route_cells());
            most = most.max(canvas.route_cells());
        }
        // Links whose boxes span the view's rows (a row's last step to the next row's
        // first) stay near it however far they run, so the bound is loose.
        let last = canvas.route_cells();
        assert!(
            last < everything / 2 && most < everything * 3 / 4,
            "kept {last} at the end, at most {most}, of {everything} route cells"
        );
        assert!(
            forgotten_and_back,
            "routes forgotten are routed again in view"
        );
    }

    /// Scrolling faster than the routing keeps up leaves lines provisional behind the view;
    /// they are forgotten like real routes, or they would pile up over the whole map.
    #[test]
    fn provisional_lines_left_far_behind_the_view_are_forgotten_too() {
        let map = crate::generate::large_map(400, 800, 3);
        let (mut canvas, everything) = keeping_a_twentieth(&map);
        let ends = ends_of(&map);
        let (mut most, mut provisional_seen) = (0, 0);
        for step in (0..map.steps.len()).step_by(7) {
            let rect = canvas.geometry.box_rect(map.steps[step].at);
            let (x, y) = (i64::from(rect.x), i64::from(rect.y));
            let view = (x - 30, y - 10, x + 30, y + 10);
            // One unit of work per key: all but a link or two are left provisional.
            canvas.route_near(&map, &ends, view, 1);
            provisional_seen += (0..map.flows.len())
                .filter(|&i| canvas.is_provisional(i))
                .count();
            // One idle moment, then the next key.
            canvas.tidy(&map, &ends, view);
            most = most.max(canvas.route_cells());
        }
        assert!(provisional_seen > 0, "the scroll outran the routing");
        assert!(
            most < everything / 2,
            "kept at most {most} of {everything} route cells"
        );
        // Back over the same views, with time to route: what was forgotten comes back, and
        // the raster holds exactly the lines kept.
        let lines = |raster: &Raster| {
            let mut cells: Vec<_> = raster.cells().collect();
            cells.sort_unstable();
            cells
        };
        for step in (0..map.steps.len()).step_by(7).rev() {
            let rect = canvas.geometry.box_rect(map.steps[step].at);
            let (x, y) = (i64::from(rect.x), i64::from(rect.y));
            let view = (x - 30, y - 10, x + 30, y + 10);
            canvas.route_near(&map, &ends, view, FRAME_WORK);
            // Idle time: refining and forgetting.
            while canvas.refining() {
                canvas.route_near(&map, &ends, view, FRAME_WORK);
                canvas.tidy(&map, &ends, view);
            }
            for flow in 0..map.flows.len() {
                let Some((a, b)) = ends(flow) else { continue };
                let inside = |r: route::Rect| {
                    let (rx, ry) = (i64::from(r.x), i64::from(r.y));
                    view.0 <= rx && rx <= view.2 && view.1 <= ry && ry <= view.3
                };
                if inside(canvas.geometry.box_rect(map.steps[a].at))
                    && inside(canvas.geometry.box_rect(map.steps[b].at))
                {
                    assert!(canvas.route(flow).is_some(), "flow {flow} back in view");
                    assert!(!canvas.is_provisional(flow), "flow {flow} routed again");
                }
            }
            assert_eq!(lines(canvas.raster()), lines(&Raster::new(canvas.routes())));
        }
    }

    #[test]
    fn past_its_budget_the_canvas_draws_provisional_lines_and_refines_them_later() {
        let map = crate::generate::random_map(60, 300, 7);
        let mut canvas = Canvas::new(&map, Geometry::new(&map, Zoom::Normal));
        let everywhere = (i64::MIN / 4, i64::MIN / 4, i64::MAX / 4, i64::MAX / 4);
        canvas.route_near(&map, ends_of(&map), everywhere, 1);
        assert!(canvas.refining(), "one unit of work cannot route 300 links");
        let drawn = (0..map.flows.len())
            .filter(|&i| canvas.route(i).is_some())
            .count();
        assert!(drawn > 200, "the rest are drawn provisionally: {drawn}");
        assert!((0..map.flows.len()).any(|i| canvas.is_provisional(i)));
        let mut rounds = 0;
        while canvas.refining() {
            canvas.route_near(&map, ends_of(&map), everywhere, FRAME_WORK / 20);
            rounds += 1;
            assert!(rounds < 10_000, "refining ends");
        }
        assert!((0..map.flows.len()).all(|i| !canvas.is_provisional(i)));
        // The refined canvas is the one routed in one go.
        let whole = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
        let count = |c: &Canvas| c.routes().iter().filter(|r| r.is_some()).count();
        assert_eq!(count(&canvas), count(&whole));
    }

    /// A canvas for an export that draws lines from their routes makes no raster, and
    /// finds the lines' cells in the router's record instead: the same routes, and the
    /// same names in the same places, as the canvas that paints. Maps small and big
    /// enough to be routed in halves.
    #[test]
    fn a_canvas_without_a_raster_names_its_links_as_one_with_it() {
        for map in [
            crate::generate::random_map(60, 300, 7),
            crate::generate::large_map(2_500, 5_000, 3),
        ] {
            let geometry = Geometry::new(&map, Zoom::Detail);
            let painted = Canvas::routed(&map, geometry.clone());
            let unpainted = Canvas::routed_without_raster(&map, geometry);
            assert_eq!(unpainted.raster().len(), 0, "not a cell made");
            assert!(!painted.raster().is_empty());
            assert_eq!(painted.routes(), unpainted.routes());
            let labels = |c: &Canvas| {
                (0..map.flows.len())
                    .map(|f| c.label(f).cloned())
                    .collect::<Vec<_>>()
            };
            let named = labels(&painted);
            let names = named.iter().flatten();
            let words = names.clone().filter(|l| matches!(l, Label::Name { .. }));
            assert!(
                words.count() > 10 && names.count() > 200,
                "names and numbers on the map"
            );
            assert_eq!(named, labels(&unpainted));
        }
    }

    /// A map big enough to be routed in halves: the halves route most of its flows, their
    /// routes never share a cell, the result is the same on one thread as on two, and
    /// every flow is routed with the raster holding exactly their lines.
    #[test]
    fn a_big_map_routes_in_two_halves_that_never_meet() {
        let map = crate::generate::large_map(2_500, 5_000, 3);
        assert!(map.flows.len() >= HALVES_FROM_FLOWS);
        let geometry = Geometry::new(&map, Zoom::Normal);
        let ends: Vec<_> = (0..map.flows.len()).map(ends_of(&map)).collect();
        let mut one_thread = Canvas::new(&map, geometry.clone());
        // In a hurry, as `routed` routes a map this big.
        one_thread.router.hurry(true);
        let [upper_flows, lower_flows] = one_thread.route_halves(&map, &ends, false);
        let halves: Vec<usize> = (0..map.flows.len())
            .filter(|&f| one_thread.routed[f])
            .collect();
        assert!(halves.len() > map.flows.len() * 9 / 10, "{}", halves.len());
        // Which half a flow was in: the row of its source against the middle one.
        let row = |f: usize| map.steps[ends[f].unwrap().0].at.row;
        let (top, bottom) = (
            halves.iter().map(|&f| row(f)).min().unwrap(),
            halves.iter().map(|&f| row(f)).max().unwrap(),
        );
        let cells = |keep: &dyn Fn(u16) -> bool| -> FxHashSet<(i32, i32)> {
            halves
                .iter()
                .filter(|&&f| keep(row(f)))
                .flat_map(|&f| one_thread.routes[f].as_ref().unwrap().points.clone())
                .collect()
        };
        let gap = (top..=bottom)
            .find(|&r| !halves.iter().any(|&f| row(f) == r))
            .expect("a middle row no half routes from");
        let (upper, lower) = (cells(&|r| r < gap), cells(&|r| r > gap));
        assert!(upper.len() > 10_000 && lower.len() > 10_000);
        assert!(upper.is_disjoint(&lower));
        // Both halves hurry: each differs from the best routes somewhere.
        let mut exact = Canvas::new(&map, geometry.clone());
        let [exact_upper, exact_lower] = exact.route_halves(&map, &ends, false);
        for (hurried, best) in [(&upper_flows, exact_upper), (&lower_flows, exact_lower)] {
            assert_eq!(*hurried, best);
            let differ = best
                .iter()
                .filter(|&&f| exact.routes[f] != one_thread.routes[f]);
            assert!(differ.count() > 10);
        }

        one_thread.route_where(&map, |f| ends[f], u64::MAX, |_, _| true);
        let two_threads = Canvas::routed(&map, geometry);
        assert_eq!(one_thread.routes, two_threads.routes);
        assert!(two_threads.routes.iter().all(Option::is_some));
        let lines = |raster: &Raster| {
            let mut cells: Vec<_> = raster.cells().collect();
            cells.sort_unstable();
            cells
        };
        assert_eq!(
            lines(two_threads.raster()),
            lines(&Raster::new(two_threads.routes()))
        );

        // Every link with a name has it on the map or as a number, names on free cells, and
        // no two share a cell: the halves' names were placed at once without meeting.
        assert_eq!(upper_flows.len() + lower_flows.len(), halves.len());
        let mut named = FxHashSet::default();
        for (flow, f) in map.flows.iter().enumerate() {
            if f.artifact.is_none() {
                continue;
            }
            let label = two_threads
                .label(flow)
                .expect("every named link is labelled");
            // A number may stand on a line; a name beside it.
            let is_name = matches!(label, Label::Name { .. });
            for (x, y) in label.cells() {
                assert!(named.insert((x, y)), "two names at ({x}, {y})");
                let free = CanvasRoom(&two_threads).is_free(x, y);
                assert!(free || !is_name, "a name on a line at ({x}, {y})");
            }
        }
        assert!(named.len() > 10_000, "{} cells named", named.len());
        // Every name's cells are taken, for names placed later to keep clear of.
        assert_eq!(two_threads.label_cells, named);
        let again = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
        assert_eq!(again.labels, two_threads.labels);
    }

    /// Big maps are drawn whole in a hurry, both halves of them; small ones, and big ones
    /// in the editor, with the best routes.
    #[test]
    fn only_big_maps_drawn_whole_are_routed_in_a_hurry() {
        let map = |steps, flows| crate::generate::large_map(steps, flows, 3);
        let (small, big) = (map(100, 300), map(1_000, HURRY_FROM_FLOWS));
        let routed = |map: &Map| Canvas::routed(map, Geometry::new(map, Zoom::Normal));
        assert!(!routed(&small).router.hurries());
        let drawn = routed(&big);
        assert!(drawn.router.hurries());
        assert!(drawn.router.alike().hurries());
        let edited = Canvas::new(&big, Geometry::new(&big, Zoom::Normal));
        assert!(!edited.router.hurries());
    }

    /// Where the names of the two halves would meet, they are placed one after the other:
    /// here the same links are given as both halves, so their names meet wherever they go.
    #[test]
    fn names_of_halves_that_would_meet_are_placed_one_after_the_other() {
        let map = crate::generate::large_map(100, 200, 5);
        let geometry = Geometry::new(&map, Zoom::Normal);
        let ends = ends_of(&map);
        let mut canvas = Canvas::new(&map, geometry);
        // Routed, with no names yet.
        canvas.route_where(&map, &ends, u64::MAX, |_, _| true);
        let named: Vec<usize> = (0..map.flows.len())
            .filter(|&f| canvas.labels[f].take().is_some())
            .collect();
        canvas.label_cells.clear();
        canvas.numbers = 0;
        assert!(named.len() > 50);
        canvas.label_halves(&map, &named, &named);
        let mut cells = FxHashSet::default();
        for &flow in &named {
            let label = canvas.label(flow).expect("named once");
            if matches!(label, Label::Name { .. }) {
                assert!(label.cells().into_iter().all(|cell| cells.insert(cell)));
            }
        }
        let numbers = named
            .iter()
            .filter(|&&f| matches!(canvas.label(f), Some(Label::Number { .. })))
            .count();
        assert_eq!(canvas.numbers, numbers);
    }
}
