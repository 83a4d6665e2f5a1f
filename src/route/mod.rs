//! Edge routing: orthogonal connections between boxes on a character grid.
//!
//! Pure data in, pure data out: rectangles and (from, to) requests become cell paths, and
//! the paths become line masks the editor turns into box-drawing glyphs. Nothing here knows
//! about terminals, so routes are computed once when the map changes, not on every frame.
//!
//! The search is A* over (cell, incoming direction) so that turns can cost extra. The grid
//! is never assumed to be regular: any set of non-overlapping rectangles works.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Direction bits of a line cell; a cell's mask is the OR of the sides its lines leave by.
pub const UP: u8 = 1;
pub const RIGHT: u8 = 2;
pub const DOWN: u8 = 4;
pub const LEFT: u8 = 8;

/// A rectangle in world character coordinates (x grows right, y grows down). i32 so maps
/// far from the origin work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl Rect {
    pub const fn new(x: i32, y: i32, width: i32, height: i32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// Whether the character cell (x, y) lies inside the rectangle (border included).
    pub fn contains(&self, x: i32, y: i32) -> bool {
        let (x, y) = (i64::from(x), i64::from(y));
        x >= i64::from(self.x) && x < self.right() && y >= i64::from(self.y) && y < self.bottom()
    }

    /// Exclusive right edge, in i64 so it cannot overflow.
    fn right(&self) -> i64 {
        i64::from(self.x) + i64::from(self.width)
    }

    /// Exclusive bottom edge, in i64 so it cannot overflow.
    fn bottom(&self) -> i64 {
        i64::from(self.y) + i64::from(self.height)
    }

    /// Routable: not empty, and every cell around it still has i32 coordinates.
    fn is_routable(&self) -> bool {
        self.width > 0
            && self.height > 0
            && self.x > i32::MIN
            && self.y > i32::MIN
            && self.right() <= i64::from(i32::MAX)
            && self.bottom() <= i64::from(i32::MAX)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    Up,
    Down,
    Left,
    Right,
}

impl Dir {
    /// Fixed order used wherever ties must break the same way every time.
    pub const ALL: [Dir; 4] = [Dir::Up, Dir::Right, Dir::Down, Dir::Left];

    pub const fn bit(self) -> u8 {
        match self {
            Dir::Up => UP,
            Dir::Right => RIGHT,
            Dir::Down => DOWN,
            Dir::Left => LEFT,
        }
    }

    pub const fn opposite(self) -> Dir {
        match self {
            Dir::Up => Dir::Down,
            Dir::Right => Dir::Left,
            Dir::Down => Dir::Up,
            Dir::Left => Dir::Right,
        }
    }

    /// The (dx, dy) of one step this way.
    pub const fn delta(self) -> (i32, i32) {
        match self {
            Dir::Up => (0, -1),
            Dir::Right => (1, 0),
            Dir::Down => (0, 1),
            Dir::Left => (-1, 0),
        }
    }

    const fn index(self) -> usize {
        match self {
            Dir::Up => 0,
            Dir::Right => 1,
            Dir::Down => 2,
            Dir::Left => 3,
        }
    }

    /// The direction of one step from `a` to `b`, if they are 4-neighbours.
    pub fn between(a: (i32, i32), b: (i32, i32)) -> Option<Dir> {
        let dx = i64::from(b.0) - i64::from(a.0);
        let dy = i64::from(b.1) - i64::from(a.1);
        match (dx, dy) {
            (0, -1) => Some(Dir::Up),
            (1, 0) => Some(Dir::Right),
            (0, 1) => Some(Dir::Down),
            (-1, 0) => Some(Dir::Left),
            _ => None,
        }
    }
}

/// One routed connection: the character cells it runs through, in order, starting at the
/// cell next to the source box and ending at the cell next to the target box (4-connected:
/// consecutive points differ by one step). `arrow` is the direction of the last step into
/// the target box (the arrowhead glyph drawn on the last point points this way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub points: Vec<(i32, i32)>,
    pub arrow: Dir,
    /// The direction of the step out of the source box into the first point, so the line
    /// can be joined to the side it leaves from.
    pub leave: Dir,
}

impl Route {
    /// Each point with the direction bits its line connects to: towards its neighbours on
    /// the route, and at the ends towards the source and target boxes.
    pub fn masks(&self) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        let last = self.points.len().saturating_sub(1);
        self.points.iter().enumerate().map(move |(k, &p)| {
            let back = if k == 0 {
                Some(self.leave.opposite())
            } else {
                Dir::between(p, self.points[k - 1])
            };
            let ahead = if k == last {
                Some(self.arrow)
            } else {
                Dir::between(p, self.points[k + 1])
            };
            // A malformed hand-made route just loses the bit for its broken step.
            let bits = back.map_or(0, Dir::bit) | ahead.map_or(0, Dir::bit);
            (p, bits)
        })
    }
}

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

/// Routes each (from, to) pair of box indices. Returns one entry per request; None when no
/// route exists (e.g. target boxed in) or from == to or an index is out of range — never
/// panics. Requests are routed in order and each sees the routes before it.
///
/// The search stays near the two boxes (their bounding box grown by twice the larger box
/// dimension plus 8), retries once with eight times that margin, and never searches more
/// than MAX_WINDOW_CELLS cells; so two boxes millions of cells apart get None.
pub fn route_all(boxes: &[Rect], requests: &[(usize, usize)]) -> Vec<Option<Route>> {
    let mut router = Router::new(boxes.to_vec());
    requests
        .iter()
        .map(|&(from, to)| {
            let route = router.route(from, to);
            if let Some(route) = &route {
                router.remember(route);
            }
            route
        })
        .collect()
}

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

/// Inclusive bounds (x0, y0, x1, y1) in i64.
type Bounds = (i64, i64, i64, i64);

/// The bucket a coordinate falls in.
fn bucket(v: i64, size: i32) -> i32 {
    v.div_euclid(i64::from(size))
        .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

fn rect_bounds(r: Rect) -> Bounds {
    (
        i64::from(r.x),
        i64::from(r.y),
        r.right() - 1,
        r.bottom() - 1,
    )
}

fn union(a: Bounds, b: Bounds) -> Bounds {
    (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
}

fn expand(b: Bounds, m: i64) -> Bounds {
    (b.0 - m, b.1 - m, b.2 + m, b.3 + m)
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

/// Line cells with the directions they connect to, built from routes; used for drawing.
#[derive(Debug, Clone, Default)]
pub struct Raster {
    /// Cells in first-seen order (route order, then point order) so iteration is stable.
    cells: Vec<RasterCell>,
    index: HashMap<(i32, i32), usize>,
}

#[derive(Debug, Clone)]
struct RasterCell {
    pos: (i32, i32),
    mask: u8,
    routes: Vec<usize>,
    /// Each route's own bits here, beside `routes`, so one route can be taken out again.
    bits: Vec<u8>,
}

impl Raster {
    pub fn new(routes: &[Option<Route>]) -> Raster {
        let mut raster = Raster::default();
        for (r, route) in routes.iter().enumerate() {
            if let Some(route) = route {
                raster.add(r, route);
            }
        }
        raster
    }

    /// Draws route number `r` into the raster.
    pub fn add(&mut self, r: usize, route: &Route) {
        for (pos, bits) in route.masks() {
            let i = *self.index.entry(pos).or_insert_with(|| {
                self.cells.push(RasterCell {
                    pos,
                    mask: 0,
                    routes: Vec::new(),
                    bits: Vec::new(),
                });
                self.cells.len() - 1
            });
            let cell = &mut self.cells[i];
            // Overlapping routes OR their bits: crossings become '┼', merges '├'.
            cell.mask |= bits;
            match cell.routes.iter().position(|&x| x == r) {
                Some(k) => cell.bits[k] |= bits,
                None => {
                    cell.routes.push(r);
                    cell.bits.push(bits);
                }
            }
        }
    }

    /// Takes route number `r` out again (it was removed, or is to be routed anew).
    pub fn remove(&mut self, r: usize, route: &Route) {
        for (pos, _) in route.masks() {
            let Some(&i) = self.index.get(&pos) else {
                continue;
            };
            let cell = &mut self.cells[i];
            if let Some(k) = cell.routes.iter().position(|&x| x == r) {
                cell.routes.remove(k);
                cell.bits.remove(k);
                cell.mask = cell.bits.iter().fold(0, |m, b| m | b);
            }
        }
    }

    /// Bitmask of the directions the line at (x, y) connects to: UP=1, RIGHT=2, DOWN=4,
    /// LEFT=8. 0 if no line. The last point of each route also connects towards its target
    /// box (so the arrow cell is a line end); the first point connects towards its source.
    pub fn mask(&self, x: i32, y: i32) -> u8 {
        self.index.get(&(x, y)).map_or(0, |&i| self.cells[i].mask)
    }

    /// The routes (indices into the routes slice) that pass through (x, y).
    pub fn routes_at(&self, x: i32, y: i32) -> &[usize] {
        self.index
            .get(&(x, y))
            .map_or(&[], |&i| self.cells[i].routes.as_slice())
    }

    /// Every line cell and its mask, in a stable order; lets a painter visit only the cells
    /// that have lines instead of asking about every screen cell.
    pub fn cells(&self) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        self.cells
            .iter()
            .filter(|c| c.mask != 0)
            .map(|c| (c.pos, c.mask))
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.mask == 0)
    }
}

/// The box-drawing glyph for a mask: '─', '│', '┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼',
/// and for a single direction a half line ('╴','╶','╵','╷'); with `ascii` true: '-', '|',
/// '+' for every corner/junction. Bits above LEFT are ignored; 0 is a space.
pub fn glyph(mask: u8, ascii: bool) -> char {
    const UNICODE: [char; 16] = [
        ' ', '╵', '╶', '└', '╷', '│', '┌', '├', '╴', '┘', '─', '┴', '┐', '┤', '┬', '┼',
    ];
    let mask = mask & 0xf;
    if !ascii {
        return UNICODE[usize::from(mask)];
    }
    if mask == 0 {
        ' '
    } else if mask & (UP | DOWN) == 0 {
        '-'
    } else if mask & (LEFT | RIGHT) == 0 {
        '|'
    } else {
        '+'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step at grid cell (col, row) as the editor lays it out: 18x5 boxes, 6x2 gaps.
    fn grid(col: i32, row: i32) -> Rect {
        Rect::new(col * 24, row * 7, 18, 5)
    }

    /// Checks everything a route promises: 4-connected, outside every box, first point
    /// next to the source on its `leave` side, last point next to the target by `arrow`.
    fn assert_valid(boxes: &[Rect], from: usize, to: usize, route: &Route) {
        assert!(!route.points.is_empty());
        for w in route.points.windows(2) {
            assert!(Dir::between(w[0], w[1]).is_some(), "gap between {w:?}");
        }
        for &(x, y) in &route.points {
            for b in boxes {
                assert!(!b.contains(x, y), "({x},{y}) inside {b:?}");
            }
        }
        let (fx, fy) = route.points[0];
        let (dx, dy) = route.leave.opposite().delta();
        assert!(
            boxes[from].contains(fx + dx, fy + dy),
            "first point not on source"
        );
        let (lx, ly) = *route.points.last().unwrap();
        let (dx, dy) = route.arrow.delta();
        assert!(
            boxes[to].contains(lx + dx, ly + dy),
            "last point not on target"
        );
    }

    /// Boxes as '#', lines as glyphs, arrowheads as '>', '<', 'v', '^'; for reading failures.
    fn picture(
        boxes: &[Rect],
        routes: &[Option<Route>],
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
    ) -> String {
        let raster = Raster::new(routes);
        let mut out = String::new();
        for y in y0..=y1 {
            for x in x0..=x1 {
                let arrow = routes
                    .iter()
                    .flatten()
                    .find(|r| r.points.last() == Some(&(x, y)));
                let c = if boxes.iter().any(|b| b.contains(x, y)) {
                    '#'
                } else if let Some(r) = arrow {
                    match r.arrow {
                        Dir::Up => '^',
                        Dir::Down => 'v',
                        Dir::Left => '<',
                        Dir::Right => '>',
                    }
                } else {
                    glyph(raster.mask(x, y), false)
                };
                out.push(c);
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn painted_routes_on_a_small_grid() {
        // Six 6x3 boxes, gaps of 4 columns and 2 rows, six connections in both directions.
        let small = |c: i32, r: i32| Rect::new(c * 10, r * 5, 6, 3);
        let boxes: Vec<Rect> = (0..6).map(|i| small(i % 3, i / 3)).collect();
        let requests = [(0, 1), (1, 5), (0, 4), (3, 1), (2, 0), (4, 0)];
        let routes = route_all(&boxes, &requests);
        for (&(from, to), route) in requests.iter().zip(&routes) {
            assert_valid(&boxes, from, to, route.as_ref().unwrap());
        }
        let expected = [
            "    ┌──────────────┐      ",
            "    v              │      ",
            "######    ######   │######",
            "######───>######──┐└######",
            "######──┐ ######  │ ######",
            "   ^┌───┼──^      │       ",
            "   └┼───┼──┐      │       ",
            "######  │ ######  │ ######",
            "######  └>######  └>######",
            "######    ######    ######",
        ];
        assert_eq!(
            picture(&boxes, &routes, 0, -2, 25, 7),
            expected.join("\n") + "\n"
        );
    }

    fn route_one(boxes: &[Rect], from: usize, to: usize) -> Route {
        let route = route_all(boxes, &[(from, to)]).remove(0).expect("a route");
        assert_valid(boxes, from, to, &route);
        route
    }

    #[test]
    fn straight_route_between_side_by_side_boxes_runs_through_the_middle_row() {
        let boxes = [grid(0, 0), grid(1, 0)];
        let route = route_one(&boxes, 0, 1);
        let expected: Vec<_> = (18..24).map(|x| (x, 2)).collect();
        assert_eq!(route.points, expected);
        assert_eq!(route.arrow, Dir::Right);
        assert_eq!(route.leave, Dir::Right);
    }

    #[test]
    fn route_to_the_left() {
        let boxes = [grid(0, 0), grid(1, 0)];
        let route = route_one(&boxes, 1, 0);
        let expected: Vec<_> = (18..24).rev().map(|x| (x, 2)).collect();
        assert_eq!(route.points, expected);
        assert_eq!(route.arrow, Dir::Left);
        assert_eq!(route.leave, Dir::Left);
    }

    #[test]
    fn route_to_the_box_below_and_above_crosses_the_gap_in_the_middle() {
        let boxes = [grid(0, 0), grid(0, 1)];
        let down = route_one(&boxes, 0, 1);
        assert_eq!(down.points, vec![(8, 5), (8, 6)]);
        assert_eq!((down.leave, down.arrow), (Dir::Down, Dir::Down));
        let up = route_one(&boxes, 1, 0);
        assert_eq!(up.points, vec![(8, 6), (8, 5)]);
        assert_eq!((up.leave, up.arrow), (Dir::Up, Dir::Up));
    }

    #[test]
    fn diagonal_neighbour_gets_one_bend_clear_of_the_box_corners() {
        let boxes = [grid(0, 0), grid(1, 1)];
        let route = route_one(&boxes, 0, 1);
        let mut expected: Vec<_> = (18..=25).map(|x| (x, 3)).collect();
        expected.extend([(25, 4), (25, 5), (25, 6)]);
        assert_eq!(route.points, expected);
        assert_eq!((route.leave, route.arrow), (Dir::Right, Dir::Down));
    }

    #[test]
    fn route_goes_around_an_obstacle_between_the_boxes() {
        let boxes = [
            Rect::new(0, 0, 10, 5),
            Rect::new(40, 0, 10, 5),
            Rect::new(20, -3, 6, 11),
        ];
        let route = route_one(&boxes, 0, 1);
        assert!(route.points.iter().all(|&(x, y)| !boxes[2].contains(x, y)));
        // It had to leave the obstacle's rows to get past it.
        assert!(route.points.iter().any(|&(_, y)| !(-3..8).contains(&y)));
    }

    #[test]
    fn route_escapes_when_the_first_window_is_walled_off() {
        // A wall taller than the first window's margin (2*18+8) forces the retry.
        let boxes = [grid(0, 0), grid(1, 0), Rect::new(19, -200, 4, 400)];
        let route = route_one(&boxes, 0, 1);
        assert!(route.points.iter().any(|&(_, y)| !(-200..200).contains(&y)));
    }

    #[test]
    fn parallel_routes_between_the_same_boxes_take_separate_rows() {
        let boxes = [grid(0, 0), grid(1, 0)];
        let routes = route_all(&boxes, &[(0, 1), (0, 1)]);
        let a = routes[0].as_ref().unwrap();
        let b = routes[1].as_ref().unwrap();
        assert_valid(&boxes, 0, 1, a);
        assert_valid(&boxes, 0, 1, b);
        assert!(a.points.iter().all(|p| !b.points.contains(p)));
        // The gap has five rows, so the second one is straight as well.
        assert_eq!(b.points.len(), 6);
        assert!(b.points.iter().all(|&(_, y)| y == b.points[0].1));
    }

    #[test]
    fn parallel_routes_down_one_channel_take_separate_lanes() {
        // Two columns of five boxes; both routes must run down the 6-wide channel between.
        let boxes: Vec<Rect> = (0..10).map(|i| grid(i % 2, i / 2)).collect();
        let routes = route_all(&boxes, &[(0, 7), (2, 9)]);
        let a = routes[0].as_ref().unwrap();
        let b = routes[1].as_ref().unwrap();
        assert_valid(&boxes, 0, 7, a);
        assert_valid(&boxes, 2, 9, b);
        assert!(
            a.points.iter().all(|p| !b.points.contains(p)),
            "{a:?}\n{b:?}"
        );
        let in_channel = |r: &Route| r.points.iter().all(|&(x, _)| (18..24).contains(&x));
        assert!(in_channel(a) && in_channel(b), "{a:?}\n{b:?}");
        // Each keeps one vertical lane, and the lanes differ.
        let lane = |r: &Route| r.points[r.points.len() / 2].0;
        assert_ne!(lane(a), lane(b));
        // Shortest, but one row in from the box corners (CORNER costs more than a step).
        for (r, from_y, to_y) in [(a, 3, 22), (b, 10, 29)] {
            assert_eq!((r.leave, r.arrow), (Dir::Right, Dir::Right));
            assert_eq!(r.points[0], (18, from_y));
            assert_eq!(*r.points.last().unwrap(), (23, to_y));
            let turns = r
                .points
                .windows(3)
                .filter(|w| Dir::between(w[0], w[1]) != Dir::between(w[1], w[2]))
                .count();
            assert_eq!(turns, 2, "{r:?}");
        }
    }

    #[test]
    fn crossing_routes_produce_a_cross_in_the_raster() {
        let boxes = [
            Rect::new(0, 10, 6, 3),
            Rect::new(30, 10, 6, 3),
            Rect::new(15, 0, 6, 3),
            Rect::new(15, 20, 6, 3),
        ];
        let routes = route_all(&boxes, &[(0, 1), (2, 3)]);
        let a = routes[0].as_ref().unwrap();
        let b = routes[1].as_ref().unwrap();
        assert_eq!(a.points, (6..30).map(|x| (x, 11)).collect::<Vec<_>>());
        assert_eq!(b.points.len(), 17);
        let shared: Vec<_> = a.points.iter().filter(|p| b.points.contains(p)).collect();
        assert_eq!(shared.len(), 1);
        let (x, y) = *shared[0];
        let raster = Raster::new(&routes);
        assert_eq!(raster.mask(x, y), UP | RIGHT | DOWN | LEFT);
        assert_eq!(glyph(raster.mask(x, y), false), '┼');
        assert_eq!(raster.routes_at(x, y), &[0, 1]);
        assert_eq!(raster.routes_at(x - 1, y), &[0]);
        assert_eq!(raster.routes_at(x, y - 1), &[1]);
        assert_eq!(glyph(raster.mask(x - 1, y), false), '─');
        assert_eq!(glyph(raster.mask(x, y - 1), false), '│');
    }

    #[test]
    fn raster_ends_connect_to_their_boxes_and_corners_bend() {
        let routes = vec![
            Some(Route {
                points: vec![(0, 0), (1, 0), (1, 1)],
                arrow: Dir::Down,
                leave: Dir::Right,
            }),
            None,
        ];
        let raster = Raster::new(&routes);
        assert_eq!(raster.mask(0, 0), LEFT | RIGHT);
        assert_eq!(raster.mask(1, 0), LEFT | DOWN);
        assert_eq!(raster.mask(1, 1), UP | DOWN);
        assert_eq!(raster.mask(2, 0), 0);
        assert_eq!(raster.routes_at(2, 0), &[] as &[usize]);
        assert_eq!(glyph(raster.mask(1, 0), false), '┐');
        assert_eq!(
            raster.cells().collect::<Vec<_>>(),
            vec![((0, 0), 10), ((1, 0), 12), ((1, 1), 5)]
        );
    }

    #[test]
    fn raster_of_a_straight_route_is_all_horizontal() {
        let boxes = [grid(0, 0), grid(1, 0)];
        let routes = route_all(&boxes, &[(0, 1)]);
        let raster = Raster::new(&routes);
        for x in 18..24 {
            assert_eq!(raster.mask(x, 2), LEFT | RIGHT, "x = {x}");
        }
        assert_eq!(raster.mask(17, 2), 0);
        assert_eq!(raster.mask(24, 2), 0);
        assert_eq!(raster.cells().count(), 6);
    }

    #[test]
    fn merging_routes_make_a_tee() {
        let routes = vec![
            Some(Route {
                points: vec![(0, 1), (1, 1), (2, 1)],
                arrow: Dir::Right,
                leave: Dir::Right,
            }),
            Some(Route {
                points: vec![(1, 0), (1, 1), (2, 1)],
                arrow: Dir::Right,
                leave: Dir::Down,
            }),
        ];
        let raster = Raster::new(&routes);
        assert_eq!(glyph(raster.mask(1, 1), false), '┴');
        assert_eq!(glyph(raster.mask(2, 1), false), '─');
        assert_eq!(raster.routes_at(2, 1), &[0, 1]);
    }

    #[test]
    fn glyph_table_for_every_mask() {
        let unicode = [
            ' ', '╵', '╶', '└', '╷', '│', '┌', '├', '╴', '┘', '─', '┴', '┐', '┤', '┬', '┼',
        ];
        let ascii = [
            ' ', '|', '-', '+', '|', '|', '+', '+', '-', '+', '-', '+', '+', '+', '+', '+',
        ];
        for mask in 0..16u8 {
            let i = usize::from(mask);
            assert_eq!(glyph(mask, false), unicode[i], "mask {mask}");
            assert_eq!(glyph(mask, true), ascii[i], "mask {mask} ascii");
        }
        assert_eq!(glyph(UP | DOWN, false), '│');
        assert_eq!(glyph(LEFT | RIGHT, false), '─');
        assert_eq!(glyph(RIGHT | DOWN, false), '┌');
        assert_eq!(glyph(LEFT | DOWN, false), '┐');
        assert_eq!(glyph(UP | RIGHT, false), '└');
        assert_eq!(glyph(UP | LEFT, false), '┘');
        assert_eq!(glyph(LEFT, false), '╴');
        assert_eq!(glyph(0x10 | LEFT | RIGHT, false), '─');
    }

    #[test]
    fn boxed_in_target_has_no_route() {
        let boxes = [
            Rect::new(40, 10, 5, 3),
            Rect::new(10, 10, 4, 3),
            Rect::new(8, 7, 8, 3),
            Rect::new(8, 13, 8, 3),
            Rect::new(7, 10, 3, 3),
            Rect::new(14, 10, 3, 3),
        ];
        assert_eq!(route_all(&boxes, &[(0, 1)]), vec![None]);
        // The walls themselves are still reachable.
        assert!(route_all(&boxes, &[(0, 5)])[0].is_some());
    }

    #[test]
    fn invalid_requests_return_none_in_place() {
        let boxes = [grid(0, 0), grid(1, 0), Rect::new(100, 100, 0, 5)];
        let routes = route_all(&boxes, &[(0, 0), (0, 9), (9, 0), (0, 2), (0, 1)]);
        assert_eq!(routes.len(), 5);
        assert!(routes[..4].iter().all(Option::is_none));
        assert!(routes[4].is_some());
        assert_eq!(route_all(&[], &[(0, 1)]), vec![None]);
        assert!(route_all(&boxes, &[]).is_empty());
    }

    #[test]
    fn boxes_at_the_edge_of_i32_do_not_panic() {
        let boxes = [
            Rect::new(i32::MAX - 10, 0, 5, 3),
            Rect::new(i32::MAX - 4, 0, 4, 3),
            Rect::new(i32::MAX - 3, 10, 5, 3),
            Rect::new(i32::MIN, i32::MIN, 5, 3),
        ];
        let routes = route_all(&boxes, &[(0, 1), (0, 2), (2, 0), (0, 3), (3, 0)]);
        assert_eq!(routes[0].as_ref().unwrap().points, vec![(i32::MAX - 5, 1)]);
        assert!(routes[1..].iter().all(Option::is_none));
    }

    #[test]
    fn maps_far_from_the_origin_route_the_same() {
        let shift =
            |r: Rect| Rect::new(r.x + 1_000_000_000, r.y - 1_000_000_000, r.width, r.height);
        let near = [grid(0, 0), grid(1, 1), grid(2, 0)];
        let far = near.map(shift);
        let requests = [(0, 1), (1, 2), (2, 0)];
        let a = route_all(&near, &requests);
        let b = route_all(&far, &requests);
        for (a, b) in a.iter().zip(&b) {
            let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
            let moved: Vec<_> = a
                .points
                .iter()
                .map(|&(x, y)| (x + 1_000_000_000, y - 1_000_000_000))
                .collect();
            assert_eq!(moved, b.points);
            assert_eq!((a.arrow, a.leave), (b.arrow, b.leave));
        }
    }

    fn grid_of_100() -> (Vec<Rect>, Vec<(usize, usize)>) {
        let boxes: Vec<Rect> = (0..100).map(|i| grid(i % 10, i / 10)).collect();
        let idx = |c: i32, r: i32| (r * 10 + c) as usize;
        let mut requests = Vec::new();
        for r in 0..10 {
            for c in 0..9 {
                requests.push((idx(c, r), idx(c + 1, r)));
            }
            // Column r, from row 4 down to row 5: these cross the horizontal gap.
            requests.push((idx(r, 4), idx(r, 5)));
        }
        (boxes, requests)
    }

    #[test]
    fn routing_is_deterministic() {
        let (boxes, mut requests) = grid_of_100();
        requests.extend([(0, 99), (99, 0), (5, 55), (55, 5)]);
        assert_eq!(route_all(&boxes, &requests), route_all(&boxes, &requests));
    }

    #[test]
    fn a_hundred_neighbour_routes_on_a_grid_are_all_found_directly() {
        // How fast is for the benchmarks to say; here, that every route is found and short.
        let (boxes, requests) = grid_of_100();
        assert_eq!(requests.len(), 100);
        let routes = route_all(&boxes, &requests);
        for (&(from, to), route) in requests.iter().zip(&routes) {
            let route = route.as_ref().expect("neighbours are always reachable");
            assert_valid(&boxes, from, to, route);
            // Neighbours connect across their gap without detours.
            assert!(route.points.len() <= 6, "{from}->{to}: {route:?}");
        }
    }
}
