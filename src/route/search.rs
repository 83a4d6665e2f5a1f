//! The A* search that routes one connection at a time (see the module documentation).

use super::{Bounds, DOWN, Dir, LEFT, RIGHT, Rect, Route, UP, expand, rect_bounds, union};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

// Costs. Every cost is counted in 1/SCALE units so that the centring preference (less than
// one unit in total) only ever breaks ties between otherwise equal routes.
const SCALE: u32 = 16;
/// One step to a neighbouring cell.
const STEP: u32 = 1;
/// A change of direction: fewer bends read better.
const TURN: u32 = 3;
/// Running along an edge an earlier route already uses: parallel lines need their own lanes.
const OVERLAP: u32 = 25;
/// Crossing an earlier route straight across at a right angle: cheap, crossings are legible.
const CROSS: u32 = 2;
/// Bending on a cell an earlier route also uses without sharing an edge with it: it would
/// draw as a '┼' that is not a crossing.
const TOUCH: u32 = 10;
/// Running right next to a box border: keeps lines in the middle of the channels.
const HUG: u32 = 1;
/// Leaving the source by a side that does not face the target.
const SIDE: u32 = 4;
/// Starting or ending on a cell where an earlier route starts or ends (arrows would pile
/// up), or ending on any earlier line (the arrowhead would cut it).
const ENDPOINT: u32 = 25;
/// Passing through the first cell of an earlier route: its stub becomes a junction.
const START_PASS: u32 = 4;
/// Passing through the last cell of an earlier route: its arrowhead would cut the line.
const ARROW_PASS: u32 = 20;
/// Starting or ending beside a box corner: the line would join the border at its corner
/// glyph. More than the one step it takes to move one cell inwards at each end.
const CORNER: u32 = 3;
/// Largest centring offset; two of them (start and goal) stay below one SCALE unit.
const MAX_CENTRE: u32 = 7;

/// Largest search window, in cells: bounds time and memory for absurd inputs.
const MAX_WINDOW_CELLS: i64 = 1 << 20;
/// The retry window's margin is this many times the first one's.
const RETRY_FACTOR: i64 = 8;

/// Per-cell flags of the search window.
const BLOCKED: u8 = 1;
const HUGS: u8 = 2;
/// The first cell of an earlier route.
const FIRST: u8 = 4;
/// A side cell of the target.
const GOAL: u8 = 8;
/// The last (arrowhead) cell of an earlier route.
const LAST: u8 = 16;

const NONE: u32 = u32::MAX;

/// The rectangle of cells a search may visit, with inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    x0: i32,
    y0: i32,
    w: usize,
    h: usize,
}

impl Window {
    fn cells(&self) -> usize {
        self.w * self.h
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        let dx = usize::try_from(i64::from(x) - i64::from(self.x0)).ok()?;
        let dy = usize::try_from(i64::from(y) - i64::from(self.y0)).ok()?;
        (dx < self.w && dy < self.h).then_some(dy * self.w + dx)
    }

    fn point(&self, cell: usize) -> (i32, i32) {
        // In range by construction: the window lies inside the i32 plane.
        let x = i64::from(self.x0) + (cell % self.w) as i64;
        let y = i64::from(self.y0) + (cell / self.w) as i64;
        (x as i32, y as i32)
    }

    /// Inclusive bounds as i64: (x0, y0, x1, y1).
    fn bounds(&self) -> (i64, i64, i64, i64) {
        let (x0, y0) = (i64::from(self.x0), i64::from(self.y0));
        (x0, y0, x0 + self.w as i64 - 1, y0 + self.h as i64 - 1)
    }
}

/// The bucket a coordinate falls in.
fn bucket(v: i64, size: i32) -> i32 {
    v.div_euclid(i64::from(size))
        .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Width and height, in characters, of the buckets that index boxes by place.
const BUCKET_W: i32 = 64;
const BUCKET_H: i32 = 32;

/// How many earlier routes use a cell, per direction and as first or last cell; counts (not
/// bits) so a route can be forgotten again when its connection changes.
#[derive(Debug, Clone, Copy, Default)]
struct Use {
    dirs: [u16; 4],
    first: u16,
    last: u16,
}

impl Use {
    fn bits(&self) -> u8 {
        Dir::ALL
            .iter()
            .filter(|d| self.dirs[d.index()] > 0)
            .fold(0, |b, d| b | d.bit())
    }

    fn ends(&self) -> u8 {
        (if self.first > 0 { FIRST } else { 0 }) | (if self.last > 0 { LAST } else { 0 })
    }
}

/// Routes connections one at a time, each seeing the ones remembered before it. Boxes are
/// indexed by place and earlier routes by cell, so the work of one route follows its search
/// window, not the size of the map: a map of ten thousand steps routes one new connection as
/// fast as a map of ten. Keeps its search buffers between routes.
pub struct Router {
    boxes: Vec<Rect>,
    /// Box indices by the buckets their rectangles (plus the ring of side cells) touch.
    buckets: HashMap<(i32, i32), Vec<u32>>,
    /// All routable boxes' bounds plus a ring of two: a route never needs to go further
    /// out, since the ring already leads around everything.
    limit: Option<Bounds>,
    /// Cells of earlier routes.
    earlier: HashMap<(i32, i32), Use>,
    /// The epoch in which each cell of the window was last prepared.
    seen: Vec<u32>,
    epoch: u32,
    flags: Vec<u8>,
    old: Vec<u8>,
    dist: Vec<u32>,
    parent: Vec<u32>,
    closed: Vec<bool>,
    heap: BinaryHeap<Reverse<(u32, u32, u32)>>,
}

impl Router {
    pub fn new(boxes: Vec<Rect>) -> Router {
        let mut router = Router {
            boxes: Vec::new(),
            buckets: HashMap::new(),
            limit: None,
            earlier: HashMap::new(),
            seen: Vec::new(),
            epoch: 0,
            flags: Vec::new(),
            old: Vec::new(),
            dist: Vec::new(),
            parent: Vec::new(),
            closed: Vec::new(),
            heap: BinaryHeap::new(),
        };
        router.set_boxes(boxes);
        router
    }

    /// Replaces the boxes (after steps were added, moved or removed). Routes remembered so
    /// far stay remembered.
    pub fn set_boxes(&mut self, boxes: Vec<Rect>) {
        self.limit = boxes
            .iter()
            .filter(|r| r.is_routable())
            .map(|&r| rect_bounds(r))
            .reduce(union)
            .map(|b| expand(b, 2));
        self.buckets.clear();
        for (i, r) in boxes.iter().enumerate().filter(|(_, r)| r.is_routable()) {
            let (x0, y0, x1, y1) = expand(rect_bounds(*r), 1);
            for by in bucket(y0, BUCKET_H)..=bucket(y1, BUCKET_H) {
                for bx in bucket(x0, BUCKET_W)..=bucket(x1, BUCKET_W) {
                    self.buckets.entry((bx, by)).or_default().push(i as u32);
                }
            }
        }
        self.boxes = boxes;
    }

    /// Takes a route into account for the routes that follow.
    pub fn remember(&mut self, route: &Route) {
        self.count(route, 1);
    }

    /// Undoes `remember`: the connection was removed or is about to be routed again.
    pub fn forget(&mut self, route: &Route) {
        self.count(route, -1);
    }

    fn count(&mut self, route: &Route, delta: i32) {
        let last = route.points.len().saturating_sub(1);
        let step = |n: &mut u16| *n = (i32::from(*n) + delta).clamp(0, i32::from(u16::MAX)) as u16;
        for (k, (p, bits)) in route.masks().enumerate() {
            let entry = self.earlier.entry(p).or_default();
            for d in Dir::ALL {
                if bits & d.bit() != 0 {
                    step(&mut entry.dirs[d.index()]);
                }
            }
            if k == 0 {
                step(&mut entry.first);
            }
            if k == last {
                step(&mut entry.last);
            }
            if entry.dirs == [0; 4] && entry.first == 0 && entry.last == 0 {
                self.earlier.remove(&p);
            }
        }
    }

    /// The best route from box `from` to box `to` given the boxes and the routes remembered
    /// so far; not remembered itself.
    pub fn route(&mut self, from: usize, to: usize) -> Option<Route> {
        if from == to {
            return None;
        }
        let (src, dst) = (*self.boxes.get(from)?, *self.boxes.get(to)?);
        if !src.is_routable() || !dst.is_routable() {
            return None;
        }
        let largest = [src.width, src.height, dst.width, dst.height]
            .into_iter()
            .max()
            .unwrap_or(0);
        let margin = 2 * i64::from(largest) + 8;
        let first = self.window(src, dst, margin)?;
        if let Some(route) = self.search(first, src, dst) {
            return Some(route);
        }
        // The detour may lie beyond the first window; one much larger try, then give up.
        let second = self.window(src, dst, margin * RETRY_FACTOR)?;
        if second == first {
            return None;
        }
        self.search(second, src, dst)
    }

    /// The pair's bounding box grown by `margin`, clipped to the limit; the margin shrinks
    /// until the window fits MAX_WINDOW_CELLS.
    fn window(&self, src: Rect, dst: Rect, mut margin: i64) -> Option<Window> {
        let limit = self.limit?;
        let pair = union(rect_bounds(src), rect_bounds(dst));
        loop {
            let b = expand(pair, margin);
            let x0 = b.0.max(limit.0).max(i64::from(i32::MIN));
            let y0 = b.1.max(limit.1).max(i64::from(i32::MIN));
            let x1 = b.2.min(limit.2).min(i64::from(i32::MAX));
            let y1 = b.3.min(limit.3).min(i64::from(i32::MAX));
            let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
            if w > 0 && h > 0 && w.saturating_mul(h) <= MAX_WINDOW_CELLS {
                return Some(Window {
                    x0: i32::try_from(x0).ok()?,
                    y0: i32::try_from(y0).ok()?,
                    w: usize::try_from(w).ok()?,
                    h: usize::try_from(h).ok()?,
                });
            }
            // Never below one: the ring of start and goal cells must stay inside.
            if margin <= 1 {
                return None;
            }
            margin = (margin / 2).max(1);
        }
    }

    /// Starts a search over `win`. Cells are prepared only when the search reaches them
    /// (`ensure`), and an epoch number stands in for clearing the buffers, so a search costs
    /// what it explores, not the size of its window.
    fn begin(&mut self, win: Window) {
        let cells = win.cells();
        let states = cells * 4 + 1;
        if self.seen.len() < cells {
            self.seen.resize(cells, 0);
            self.flags.resize(cells, 0);
            self.old.resize(cells, 0);
        }
        if self.dist.len() < states {
            self.dist.resize(states, u32::MAX);
            self.parent.resize(states, NONE);
            self.closed.resize(states, false);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.fill(0);
            self.epoch = 1;
        }
        let sink = cells * 4;
        self.dist[sink] = u32::MAX;
        self.parent[sink] = NONE;
        self.closed[sink] = false;
        self.heap.clear();
    }

    /// Prepares a cell the first time this search reaches it: blocked by a box or hugging
    /// one, what earlier routes left there, and fresh search state.
    fn ensure(&mut self, win: Window, cell: usize) {
        if self.seen[cell] == self.epoch {
            return;
        }
        self.seen[cell] = self.epoch;
        let (x, y) = win.point(cell);
        let (xl, yl) = (i64::from(x), i64::from(y));
        let mut flags = 0;
        if let Some(list) = self
            .buckets
            .get(&(bucket(xl, BUCKET_W), bucket(yl, BUCKET_H)))
        {
            for &i in list {
                let (x0, y0, x1, y1) = rect_bounds(self.boxes[i as usize]);
                let inside_x = (x0..=x1).contains(&xl);
                let inside_y = (y0..=y1).contains(&yl);
                if inside_x && inside_y {
                    flags |= BLOCKED;
                } else if (inside_x && (yl == y0 - 1 || yl == y1 + 1))
                    || (inside_y && (xl == x0 - 1 || xl == x1 + 1))
                {
                    // Side cells (not the diagonal corners) hug the box.
                    flags |= HUGS;
                }
            }
        }
        let mut old = 0;
        if let Some(used) = self.earlier.get(&(x, y)) {
            old = used.bits();
            flags |= used.ends();
        }
        self.flags[cell] = flags;
        self.old[cell] = old;
        for state in cell * 4..cell * 4 + 4 {
            self.dist[state] = u32::MAX;
            self.parent[state] = NONE;
            self.closed[state] = false;
        }
    }

    /// After a search over a very large window, give the memory back.
    fn release_if_large(&mut self) {
        const KEEP_CELLS: usize = 1 << 16;
        if self.seen.len() > KEEP_CELLS {
            for buffer in [&mut self.flags, &mut self.old] {
                buffer.clear();
                buffer.shrink_to_fit();
            }
            self.seen = Vec::new();
            self.dist = Vec::new();
            self.parent = Vec::new();
            self.closed = Vec::new();
            self.epoch = 0;
        }
    }

    fn search(&mut self, win: Window, src: Rect, dst: Rect) -> Option<Route> {
        let found = self.explore(win, src, dst);
        self.release_if_large();
        found
    }

    fn explore(&mut self, win: Window, src: Rect, dst: Rect) -> Option<Route> {
        let states = win.cells() * 4;
        let sink = u32::try_from(states).ok()?;
        self.begin(win);

        // Mark the goal cells; with none free (target boxed in) there is nothing to search.
        let mut goals = 0;
        for (x, y) in side_cells(dst, Dir::ALL, win) {
            let cell = win.index(x as i32, y as i32)?;
            self.ensure(win, cell);
            if self.flags[cell] & BLOCKED == 0 {
                self.flags[cell] |= GOAL;
                goals += 1;
            }
        }
        if goals == 0 {
            return None;
        }

        // Lower bound of the remaining cost: the distance to the ring around the target.
        // Worked out in window-local coordinates, as is the whole search loop.
        let (wx0, wy0, _, _) = win.bounds();
        let (gx0, gy0, gx1, gy1) = expand(rect_bounds(dst), 1);
        let (gx0, gy0, gx1, gy1) = (gx0 - wx0, gy0 - wy0, gx1 - wx0, gy1 - wy0);
        let (w, h) = (win.w, win.h);
        let heuristic = |cell: usize| -> u32 {
            let (lx, ly) = ((cell % w) as i64, (cell / w) as i64);
            let dx = (gx0 - lx).max(lx - gx1).max(0);
            let dy = (gy0 - ly).max(ly - gy1).max(0);
            u32::try_from((dx + dy) * i64::from(SCALE)).unwrap_or(u32::MAX)
        };

        // Start on any free side cell of the source; sides that face away cost a little.
        let facing = facing_sides(src, dst);
        for side in Dir::ALL {
            let side_cost = if facing == 0 || facing & side.bit() != 0 {
                0
            } else {
                SIDE * SCALE
            };
            for (x, y) in side_cells(src, [side], win) {
                let (x, y) = (x as i32, y as i32);
                let Some(cell) = win.index(x, y) else {
                    continue;
                };
                self.ensure(win, cell);
                if self.flags[cell] & BLOCKED != 0 {
                    continue;
                }
                let mut g = side_cost + end_cost(src, side, x, y);
                if self.flags[cell] & (FIRST | LAST) != 0 {
                    g += ENDPOINT * SCALE;
                }
                let s = cell * 4 + side.index();
                if g < self.dist[s] {
                    self.dist[s] = g;
                    let h = heuristic(cell);
                    self.heap.push(Reverse((g.saturating_add(h), h, s as u32)));
                }
            }
        }

        while let Some(Reverse((_, _, s))) = self.heap.pop() {
            let s = s as usize;
            if self.closed[s] {
                continue;
            }
            self.closed[s] = true;
            if s == sink as usize {
                return Some(self.reconstruct(win, dst, sink));
            }
            let g = self.dist[s];
            let cell = s / 4;
            let came = Dir::ALL[s % 4];
            let old = self.old[cell];
            let flags = self.flags[cell];
            // Initial states cannot be reached by a step (that would come out of the source
            // box), so "no parent" means "start cell": it is exempt from hugging.
            let start = self.parent[s] == NONE;

            if flags & GOAL != 0 {
                let (x, y) = win.point(cell);
                let arrow = goal_arrow(dst, x, y).unwrap_or(came);
                let mut cost = turn_cost(came, arrow) + cell_cost(old, came, arrow);
                cost += end_cost(dst, arrow.opposite(), x, y);
                if old != 0 {
                    cost += ENDPOINT * SCALE;
                }
                let total = g.saturating_add(cost);
                if total < self.dist[sink as usize] {
                    self.dist[sink as usize] = total;
                    self.parent[sink as usize] = s as u32;
                    self.heap.push(Reverse((total, 0, sink)));
                }
            }

            let mut leave_cost = 0;
            if !start {
                if flags & HUGS != 0 {
                    leave_cost += HUG * SCALE;
                }
                if flags & FIRST != 0 {
                    leave_cost += START_PASS * SCALE;
                }
                if flags & LAST != 0 {
                    leave_cost += ARROW_PASS * SCALE;
                }
            }
            let (lx, ly) = (cell % w, cell / w);
            for d in Dir::ALL {
                if d == came.opposite() {
                    continue;
                }
                let next = match d {
                    Dir::Up if ly > 0 => cell - w,
                    Dir::Right if lx + 1 < w => cell + 1,
                    Dir::Down if ly + 1 < h => cell + w,
                    Dir::Left if lx > 0 => cell - 1,
                    _ => continue,
                };
                self.ensure(win, next);
                if self.flags[next] & BLOCKED != 0 {
                    continue;
                }
                let mut cost = STEP * SCALE + leave_cost;
                cost += turn_cost(came, d) + cell_cost(old, came, d);
                if old & d.bit() != 0 {
                    // The earlier route has this very edge (the next cell is free, so the
                    // bit cannot be a stub into a box).
                    cost += OVERLAP * SCALE;
                }
                let n = next * 4 + d.index();
                let total = g.saturating_add(cost);
                if total < self.dist[n] && !self.closed[n] {
                    self.dist[n] = total;
                    self.parent[n] = s as u32;
                    let h = heuristic(next);
                    self.heap
                        .push(Reverse((total.saturating_add(h), h, n as u32)));
                }
            }
        }
        None
    }

    fn reconstruct(&self, win: Window, dst: Rect, sink: u32) -> Route {
        let mut s = self.parent[sink as usize] as usize;
        let (gx, gy) = win.point(s / 4);
        // The sink is only ever reached from a goal cell.
        let arrow = goal_arrow(dst, gx, gy).unwrap_or(Dir::Right);
        let mut points = Vec::new();
        let leave = loop {
            points.push(win.point(s / 4));
            let p = self.parent[s];
            if p == NONE {
                break Dir::ALL[s % 4];
            }
            s = p as usize;
        };
        points.reverse();
        Route {
            points,
            arrow,
            leave,
        }
    }
}

/// The sides of `src` the target lies beyond (as direction bits); 0 if none (overlap).
fn facing_sides(src: Rect, dst: Rect) -> u8 {
    let (s, d) = (rect_bounds(src), rect_bounds(dst));
    let mut bits = 0;
    if d.0 > s.2 {
        bits |= RIGHT;
    }
    if d.2 < s.0 {
        bits |= LEFT;
    }
    if d.1 > s.3 {
        bits |= DOWN;
    }
    if d.3 < s.1 {
        bits |= UP;
    }
    bits
}

/// The cells next to the given sides of `r` (no diagonal corners), clipped to the window.
fn side_cells<const N: usize>(
    r: Rect,
    sides: [Dir; N],
    win: Window,
) -> impl Iterator<Item = (i64, i64)> {
    let (x0, y0, x1, y1) = rect_bounds(r);
    let (wx0, wy0, wx1, wy1) = win.bounds();
    sides.into_iter().flat_map(move |side| {
        let (fixed, lo, hi, horizontal) = match side {
            Dir::Up => (y0 - 1, x0, x1, true),
            Dir::Down => (y1 + 1, x0, x1, true),
            Dir::Left => (x0 - 1, y0, y1, false),
            Dir::Right => (x1 + 1, y0, y1, false),
        };
        let (flo, fhi, lo, hi) = if horizontal {
            (wy0, wy1, lo.max(wx0), hi.min(wx1))
        } else {
            (wx0, wx1, lo.max(wy0), hi.min(wy1))
        };
        // A side outside the window yields nothing: its range is made empty.
        let hi = if (flo..=fhi).contains(&fixed) {
            hi
        } else {
            lo - 1
        };
        (lo..=hi).map(move |v| if horizontal { (v, fixed) } else { (fixed, v) })
    })
}

/// If (x, y) is a side cell of `dst`, the direction from it into the box.
fn goal_arrow(dst: Rect, x: i32, y: i32) -> Option<Dir> {
    let (x0, y0, x1, y1) = rect_bounds(dst);
    let (x, y) = (i64::from(x), i64::from(y));
    let across = (x0..=x1).contains(&x);
    let along = (y0..=y1).contains(&y);
    if along && x == x0 - 1 {
        Some(Dir::Right)
    } else if along && x == x1 + 1 {
        Some(Dir::Left)
    } else if across && y == y0 - 1 {
        Some(Dir::Down)
    } else if across && y == y1 + 1 {
        Some(Dir::Up)
    } else {
        None
    }
}

/// The cost of a route starting or ending at the side cell (x, y) of `r`'s `side`: CORNER
/// beside a corner of a side long enough to have other cells, plus a tie-breaker below one
/// unit for the distance from the side's middle, so a straight connection between equal
/// boxes runs through their middles.
fn end_cost(r: Rect, side: Dir, x: i32, y: i32) -> u32 {
    let (k, len) = match side {
        Dir::Up | Dir::Down => (i64::from(x) - i64::from(r.x), i64::from(r.width)),
        Dir::Left | Dir::Right => (i64::from(y) - i64::from(r.y), i64::from(r.height)),
    };
    let corner = if len >= 3 && (k == 0 || k == len - 1) {
        CORNER * SCALE
    } else {
        0
    };
    let off = (2 * k - (len - 1)).abs().min(i64::from(MAX_CENTRE));
    corner + u32::try_from(off).unwrap_or(MAX_CENTRE)
}

fn turn_cost(came: Dir, go: Dir) -> u32 {
    if came == go { 0 } else { TURN * SCALE }
}

/// The cost of the new route using a cell with earlier masks `old`, entered moving `came`
/// and left moving `go`. Shared edges are charged per edge (OVERLAP), not here.
fn cell_cost(old: u8, came: Dir, go: Dir) -> u32 {
    let new = came.opposite().bit() | go.bit();
    if old == 0 || old & new != 0 {
        0
    } else if came == go {
        CROSS * SCALE
    } else {
        TOUCH * SCALE
    }
}
