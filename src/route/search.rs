//! The search: A* over (cell, incoming direction), in a window around the two boxes or in a
//! corridor along a plan over the channels, under a budget of heap pops; and the plan
//! itself when the budget runs out.

use super::board::{BLOCKED, Board, ENDS, HUGS, Hint, STARTS, TILE_ROW};
use super::channels;
use super::queue::Queue;
use super::{Bounds, DOWN, Dir, LEFT, RIGHT, Rect, Route, UP, expand, rect_bounds, union};

mod lanes;

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

/// How much dearer than the best a route may be when the router hurries (`Router::hurry`):
/// the heuristic of the search around two boxes counts 1 + 1/HASTE times.
const HASTE: u32 = 8;

/// Largest search window, in cells: bounds time and memory for absurd inputs.
const MAX_WINDOW_CELLS: i64 = 1 << 20;
/// A first window larger than this is not searched: the pair is far apart, and a search
/// over their whole bounding box would flood it. Their corridor is searched instead.
/// Windows of neighbours, even of boxes a few columns apart, stay well below it.
const MAX_DIRECT_CELLS: usize = 1 << 16;
/// Boxes with at most this many channels between them (see `Board::channels_between`) are
/// near: routed by a search around them. Further apart, the search keeps to the channels a
/// plan picks; a search around them would cost what their bounding box holds.
const NEAR_CHANNELS: usize = 3;
/// The retry window's margin is this many times the first one's.
const RETRY_FACTOR: i64 = 8;
/// How far a corridor reaches beyond its channels and boxes, in cells: room for the
/// search to pick lanes, the cells beside the boxes and the gaps between them.
const CORRIDOR_MARGIN: i64 = 2;

// Per-cell flags of the search space besides BLOCKED and HUGS, which come from the boxes.
/// The first cell of an earlier route.
const FIRST: u8 = 4;
/// A side cell of the target.
const GOAL: u8 = 8;
/// The last (arrowhead) cell of an earlier route.
const LAST: u8 = 16;

const NONE: u32 = u32::MAX;

/// The most cells worth giving a search of `pops` pops: besides the rings of the two
/// boxes, a pop prepares at most three cells, so a bigger space would only cost the memory
/// and time of setting it up (a window of a million cells is 48 MB).
fn room(pops: u64) -> i64 {
    i64::try_from(pops.saturating_mul(8)).unwrap_or(i64::MAX)
}

/// What the search knows of a cell from the board's box flags and route bits (see
/// `Board::at`): the flags with FIRST and LAST where an earlier route starts or ends, and
/// the direction bits of the earlier lines there.
fn searched(flags: u8, routes: u8) -> (u8, u8) {
    let mut flags = flags;
    if routes & STARTS != 0 {
        flags |= FIRST;
    }
    if routes & ENDS != 0 {
        flags |= LAST;
    }
    (flags, routes & 0xf)
}

/// What leaving a cell costs for what lies there (a box's side, an earlier route's first
/// or arrowhead cell): the search and its guide must agree on it.
fn passing_cost(flags: u8) -> u32 {
    let mut cost = 0;
    if flags & HUGS != 0 {
        cost += HUG * SCALE;
    }
    if flags & FIRST != 0 {
        cost += START_PASS * SCALE;
    }
    if flags & LAST != 0 {
        cost += ARROW_PASS * SCALE;
    }
    cost
}

/// How much work one `Router::route` call may do, in heap pops of the search: `base` plus
/// `per_cell` for each cell of Manhattan distance between the two boxes' centres. The
/// search around the two boxes may spend all of it; if it does, the search along the
/// channels gets as much again; if that runs out too, the route is the plan over the
/// channels (`How::Fallback`). So one route never pops more than twice the budget, whatever
/// the map, and its time is bounded by the distance it spans.
///
/// The default is far above what routes between neighbours need (a few thousand pops at
/// most on dense maps), so they come out as they always did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub base: u64,
    pub per_cell: u64,
    /// The most any phase may use, however far apart the boxes: the editor keeps one
    /// route's work within a frame's (a link across a map of ten thousand steps would
    /// otherwise take 180,000 pops a phase); past it the route is the plan, refined later.
    pub most: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            base: 16_384,
            per_cell: 32,
            most: u64::MAX,
        }
    }
}

impl Budget {
    /// The pops one search phase of a route from `src` to `dst` may use.
    pub fn pops(&self, src: Rect, dst: Rect) -> u64 {
        let centre = |r: Rect| {
            (
                2 * i64::from(r.x) + i64::from(r.width),
                2 * i64::from(r.y) + i64::from(r.height),
            )
        };
        let ((ax, ay), (bx, by)) = (centre(src), centre(dst));
        let distance = ((ax - bx).unsigned_abs() + (ay - by).unsigned_abs()) / 2;
        self.base
            .saturating_add(self.per_cell.saturating_mul(distance))
            .min(self.most)
    }
}

/// How a route was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// By the search around the two boxes: the best route there is (the usual case), or
    /// one at most an eighth dearer from a router in a hurry (`Router::hurry`).
    Window,
    /// By the search along the channels between them: a long connection, or one whose
    /// window search ran out of budget. A good route, though maybe not the very best.
    Corridor,
    /// In a hurry (`Router::hurry`), worked out along the one row channel both boxes
    /// border: the cheapest route that keeps to it (and to two rows of cells beside it)
    /// and never steps back the way it heads.
    Channel,
    /// Not searched: the plan over the channels, straight through the middle of them. It
    /// avoids boxes laid out in columns and rows but not earlier routes. Worth routing
    /// again with a bigger budget when there is time.
    Fallback,
}

/// What the last `Router::route` call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Heap pops of all its searches together; a route along a channel counts each cell of
    /// the strips it worked out as one.
    pub pops: u64,
    /// The budget of each search phase (see `Budget`).
    pub budget: u64,
    /// How the route was found; None when there was none.
    pub how: Option<How>,
}

/// What leads a search to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// The distance (steps and turns): the best route.
    Distance,
    /// The guide, where it knows more than the distance (see `Router::guide`): the best
    /// route, in far fewer pops along a corridor.
    Guide,
    /// The distance counted 1 + 1/n times (weighted A*): a route at most 1/n dearer than
    /// the best, found heading for the target instead of trying every cell that looks as
    /// cheap on the way.
    Haste(u32),
}

/// How one search ended.
enum Outcome {
    Found(Route),
    /// Everything reachable in the space was explored: no route there.
    NoRoute,
    OutOfBudget,
}

/// The cells a search may visit, numbered 0..cells().
trait Space {
    fn cells(&self) -> usize;
    fn index(&self, x: i32, y: i32) -> Option<usize>;
    fn point(&self, cell: usize) -> (i32, i32);
    /// The cell one step from `cell` (which lies at (x, y)) in direction `d`.
    fn neighbour(&self, cell: usize, x: i32, y: i32, d: Dir) -> Option<usize>;
    /// Inclusive bounds of all the cells.
    fn bounds(&self) -> Bounds;
    /// Of the cells of `cell`'s row (it lies at x) with x in `span` (inclusive, holding
    /// x, at most TILE_ROW long), those numbered one after the other around it: the first's
    /// number and x, and how many.
    fn run(&self, cell: usize, x: i32, _span: (i64, i64)) -> (usize, i32, usize) {
        (cell, x, 1)
    }
    /// Whether the cell (x, y), which has a number, may be visited; the others count as
    /// blocked.
    fn contains(&self, _x: i32, _y: i32) -> bool {
        true
    }
}

/// The rectangle of cells a search may visit, with inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    x0: i32,
    y0: i32,
    w: usize,
    h: usize,
}

impl Space for Window {
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

    fn neighbour(&self, cell: usize, x: i32, y: i32, d: Dir) -> Option<usize> {
        let lx = (i64::from(x) - i64::from(self.x0)) as usize;
        let ly = (i64::from(y) - i64::from(self.y0)) as usize;
        match d {
            Dir::Up if ly > 0 => Some(cell - self.w),
            Dir::Right if lx + 1 < self.w => Some(cell + 1),
            Dir::Down if ly + 1 < self.h => Some(cell + self.w),
            Dir::Left if lx > 0 => Some(cell - 1),
            _ => None,
        }
    }

    fn bounds(&self) -> Bounds {
        let (x0, y0) = (i64::from(self.x0), i64::from(self.y0));
        (x0, y0, x0 + self.w as i64 - 1, y0 + self.h as i64 - 1)
    }

    fn run(&self, cell: usize, x: i32, (lo, hi): (i64, i64)) -> (usize, i32, usize) {
        let (b, x) = (self.bounds(), i64::from(x));
        let (lo, hi) = (lo.max(b.0), hi.min(b.2));
        // In range: lo..=hi holds x and lies in the window.
        (
            (cell as i64 - (x - lo)) as usize,
            lo as i32,
            (hi - lo + 1) as usize,
        )
    }
}

/// The bounding window of a few rectangles; only the cells in one of them may be visited.
struct Masked {
    window: Window,
    parts: Vec<Bounds>,
}

impl Masked {
    fn new(rects: &[Bounds]) -> Option<Masked> {
        let (x0, y0, x1, y1) = rects.iter().copied().reduce(union)?;
        Some(Masked {
            window: Window {
                x0: i32::try_from(x0).ok()?,
                y0: i32::try_from(y0).ok()?,
                w: usize::try_from(x1 - x0 + 1).ok()?,
                h: usize::try_from(y1 - y0 + 1).ok()?,
            },
            parts: rects.to_vec(),
        })
    }
}

impl Space for Masked {
    fn cells(&self) -> usize {
        self.window.cells()
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        self.window.index(x, y)
    }

    fn point(&self, cell: usize) -> (i32, i32) {
        self.window.point(cell)
    }

    fn neighbour(&self, cell: usize, x: i32, y: i32, d: Dir) -> Option<usize> {
        self.window.neighbour(cell, x, y, d)
    }

    fn bounds(&self) -> Bounds {
        self.window.bounds()
    }

    fn run(&self, cell: usize, x: i32, span: (i64, i64)) -> (usize, i32, usize) {
        self.window.run(cell, x, span)
    }

    fn contains(&self, x: i32, y: i32) -> bool {
        let (x, y) = (i64::from(x), i64::from(y));
        self.parts
            .iter()
            .any(|p| p.0 <= x && x <= p.2 && p.1 <= y && y <= p.3)
    }
}

/// A few rectangles of cells, numbered one after the other; a cell in several belongs to
/// the first.
struct Corridor {
    parts: Vec<Part>,
    cells: usize,
    bounds: Bounds,
}

struct Part {
    x0: i64,
    y0: i64,
    w: usize,
    h: usize,
    /// The number of the part's first cell.
    first: usize,
}

impl Corridor {
    fn new(rects: &[Bounds]) -> Option<Corridor> {
        let mut parts = Vec::with_capacity(rects.len());
        let mut cells = 0usize;
        for &(x0, y0, x1, y1) in rects {
            let (w, h) = (
                usize::try_from(x1 - x0 + 1).ok()?,
                usize::try_from(y1 - y0 + 1).ok()?,
            );
            parts.push(Part {
                x0,
                y0,
                w,
                h,
                first: cells,
            });
            cells = cells.checked_add(w.checked_mul(h)?)?;
        }
        let bounds = rects.iter().copied().reduce(union)?;
        Some(Corridor {
            parts,
            cells,
            bounds,
        })
    }
}

impl Space for Corridor {
    fn cells(&self) -> usize {
        self.cells
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        let (x, y) = (i64::from(x), i64::from(y));
        self.parts.iter().find_map(|p| {
            let (dx, dy) = (x - p.x0, y - p.y0);
            (dx >= 0 && dy >= 0 && (dx as usize) < p.w && (dy as usize) < p.h)
                .then(|| p.first + dy as usize * p.w + dx as usize)
        })
    }

    fn point(&self, cell: usize) -> (i32, i32) {
        let k = self.parts.partition_point(|p| p.first <= cell) - 1;
        let p = &self.parts[k];
        let local = cell - p.first;
        // Inside the limit, which lies inside the i32 plane.
        (
            (p.x0 + (local % p.w) as i64) as i32,
            (p.y0 + (local / p.w) as i64) as i32,
        )
    }

    fn neighbour(&self, _: usize, x: i32, y: i32, d: Dir) -> Option<usize> {
        let (dx, dy) = d.delta();
        self.index(x.checked_add(dx)?, y.checked_add(dy)?)
    }

    fn bounds(&self) -> Bounds {
        self.bounds
    }
}

/// What the search knows of a cell: the epoch it was prepared in, its flags, the direction
/// bits of earlier routes there, and its four states (one per direction of arrival): which
/// are closed (direction bits), their cheapest costs found and the states they came from.
/// One cell's all in one place, in 32 bytes: a step reads half a cache line.
#[derive(Debug, Clone, Copy)]
struct Node {
    seen: u32,
    /// Where the cell lies: cheaper to keep than to work out from its number.
    x: i32,
    y: i32,
    flags: u8,
    old: u8,
    closed: u8,
    /// Two bits per state: the direction of arrival of the state it came from, whose cell
    /// is one step back. Start states, whose step back is into the source, have none.
    from: u8,
    dist: [u32; 4],
}

impl Node {
    const UNSEEN: Node = Node {
        seen: 0,
        x: 0,
        y: 0,
        flags: 0,
        old: 0,
        closed: 0,
        from: 0,
        dist: [u32::MAX; 4],
    };
}

/// The guide of a search (see `Router::guide`): a lower bound of the cost left from each
/// state.
#[derive(Default)]
struct Guide {
    /// Per cell and axis of the step into it (2 * cell + axis): the least cost found to
    /// the sink; u32::MAX where none was.
    costs: Vec<u32>,
    /// The cost the guide's search reached: a state it did not settle costs at least this
    /// much. u32::MAX when it settled every state it could reach.
    ceiling: u32,
}

impl Guide {
    /// The guide's lower bound for the state at `cell` having come `came`: u32::MAX only
    /// where the target cannot be reached.
    fn at(&self, cell: usize, came: Dir) -> u32 {
        self.costs[2 * cell + axis(came)].min(self.ceiling)
    }
}

/// The cheapest cost found to the sink and the state it came from.
#[derive(Debug, Clone, Copy)]
struct State {
    dist: u32,
    parent: u32,
}

impl State {
    const FRESH: State = State {
        dist: u32::MAX,
        parent: NONE,
    };
}

/// Routes connections one at a time, each seeing the ones remembered before it. Boxes are
/// indexed by place and earlier routes by cell, so the work of one route follows its search
/// window, not the size of the map: a map of ten thousand steps routes one new connection as
/// fast as a map of ten. Keeps its search buffers between routes.
///
/// A route between boxes near each other is the best one in a window around them (or
/// nearly, when the router hurries: see `hurry`). A route between boxes far apart is
/// searched for only along the channels a plan over the gaps between the columns and rows
/// of boxes picks out. A router in a hurry links most boxes that border one row channel
/// along it instead, without a search. Every route call has a budget (`Budget`); when it
/// is spent, the plan itself is the route. So `route` always finishes, in time that grows
/// with the distance it spans, not with the map.
pub struct Router {
    board: Board,
    /// The board's tile last looked at.
    hint: Hint,
    budget: Budget,
    work: Work,
    /// Per cell of the search space, what `ensure` prepared and the search found. State
    /// number s is direction s % 4 of cell s / 4; the sink, reached from the goal cells,
    /// has the number after them all.
    nodes: Vec<Node>,
    epoch: u32,
    sink: State,
    queue: Queue,
    /// For a guided search, per state of its space: the guide's lower bound of the cost
    /// left (see `guide`).
    guide: Guide,
    least: Least,
    /// The cells of the last route worked out along a channel (`How::Channel`).
    lanes: lanes::Lanes,
    /// See `hurry`.
    hurry: bool,
    /// Tests: search with no heuristic at all (Dijkstra), the reference for the others.
    #[cfg(test)]
    dijkstra: bool,
}

/// The least turn and cell costs of a step, over the directions it may come from: what the
/// guide charges, looked up rather than worked out for every cell it visits.
struct Least {
    /// Leaving a cell with earlier lines `old` (index) in a direction (index), having come
    /// along an axis (index, see `axis`), the turn and the shared edge included.
    step: [[[u32; 4]; 2]; 16],
    /// Ending on a goal cell with earlier lines `old`, having come along an axis, the arrow
    /// pointing that way.
    into_goal: [[[u32; 4]; 2]; 16],
    /// What the search charges: by earlier lines `old`, the direction a step came in by and
    /// the one it goes on, the turn, the cell and the shared edge, looked up per step.
    exact: [[[u32; 4]; 4]; 16],
}

impl Least {
    fn new() -> Least {
        let mut least = Least {
            step: [[[0; 4]; 2]; 16],
            into_goal: [[[0; 4]; 2]; 16],
            exact: [[[0; 4]; 4]; 16],
        };
        for old in 0..16u8 {
            for go in Dir::ALL {
                let cost = |came: Dir| turn_cost(came, go) + cell_cost(old, came, go);
                let overlap = if old & go.bit() != 0 {
                    OVERLAP * SCALE
                } else {
                    0
                };
                for along in 0..2 {
                    let came = || Dir::ALL.into_iter().filter(move |&c| axis(c) == along);
                    // No step turns back on itself.
                    least.step[usize::from(old)][along][go.index()] = came()
                        .filter(|&c| c != go.opposite())
                        .map(cost)
                        .min()
                        .unwrap_or(0)
                        + overlap;
                    least.into_goal[usize::from(old)][along][go.index()] =
                        came().map(cost).min().unwrap_or(0);
                }
                for came in Dir::ALL {
                    // The earlier route has this very edge (the next cell is free, so the
                    // bit cannot be a stub into a box).
                    least.exact[usize::from(old)][came.index()][go.index()] = cost(came) + overlap;
                }
            }
        }
        least
    }
}

impl Router {
    pub fn new(boxes: Vec<Rect>) -> Router {
        let least = Least::new();
        let lanes = lanes::Lanes::new(&least);
        Router {
            board: Board::new(boxes),
            hint: Hint::default(),
            budget: Budget::default(),
            work: Work::default(),
            nodes: Vec::new(),
            epoch: 0,
            sink: State::FRESH,
            queue: Queue::default(),
            guide: Guide::default(),
            least,
            lanes,
            hurry: false,
            #[cfg(test)]
            dijkstra: false,
        }
    }

    /// Whether the router hurries (see `hurry`).
    pub fn hurries(&self) -> bool {
        self.hurry
    }

    /// A router of the same boxes, budget and haste, with no routes remembered: to route
    /// another part of the map at once.
    pub fn alike(&self) -> Router {
        let mut router = Router::new(self.board.rects.clone());
        router.budget = self.budget;
        router.hurry = self.hurry;
        router
    }

    /// Keeps every later route between the rows of cells `top` and `bottom` (inclusive),
    /// until the boxes are replaced; `i32::MIN` to `i32::MAX` frees them again. Two routers
    /// kept to rows apart can route two parts of a map at once without their routes ever
    /// meeting. Searches stay in those rows, and a search that finds no route there finds
    /// None; a plan (`How::Fallback`), the last resort, is not kept to them.
    pub fn confine_rows(&mut self, top: i32, bottom: i32) {
        let (top, bottom) = (i64::from(top), i64::from(bottom));
        self.board.limit = self
            .board
            .whole
            .map(|(x0, y0, x1, y1)| (x0, y0.max(top), x1, y1.min(bottom)))
            .filter(|&(_, y0, _, y1)| y0 <= y1);
    }

    /// Replaces the boxes (after steps were added, moved or removed). Routes remembered so
    /// far stay remembered.
    pub fn set_boxes(&mut self, boxes: Vec<Rect>) {
        self.board.set_boxes(boxes);
    }

    /// The boxes, as last given.
    pub fn boxes(&self) -> &[Rect] {
        &self.board.rects
    }

    /// Sets the work each later `route` call may do.
    pub fn set_budget(&mut self, budget: Budget) {
        self.budget = budget;
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Whether to route for a map of thousands of links, settling for lines a little
    /// worse for much less work. Two boxes that border one row channel and are not
    /// neighbours in a row or a column are linked along it (`How::Channel`): the best
    /// route that keeps to the channel and the rows beside it and never steps back, worked
    /// out column by column in a fraction of the time a search takes. Of the two channels
    /// of boxes in a row, the one fewer earlier lines run along is taken. Other searches
    /// around two boxes may settle for a route up to an eighth dearer than the best one
    /// (`Lead::Haste`, weighted A*): they head for the target instead of first trying
    /// every cheaper-looking cell in the gaps they pass. Searches along corridors keep
    /// their guide: a hurried one there either costs more work than the guide, or,
    /// counting the distance twice, makes long routes jog between lanes. Off, every route
    /// found around two boxes is the best there is in its window.
    pub fn hurry(&mut self, hurry: bool) {
        self.hurry = hurry;
    }

    /// What the last `route` call did: its heap pops, its budget, and how it found its
    /// route.
    pub fn last_work(&self) -> Work {
        self.work
    }

    /// Takes a route into account for the routes that follow.
    /// Whether a route this router remembers passes the cell (x, y).
    pub fn has_line(&self, x: i32, y: i32) -> bool {
        self.board.routed_at(i64::from(x), i64::from(y))
    }

    /// The cells in the columns `from.0..to.0` and rows `from.1..to.1` that routes this
    /// router remembers use, with the direction bits of their lines there (a raster's
    /// masks, without the routes through each cell).
    pub fn lines_in(
        &self,
        from: (i32, i32),
        to: (i32, i32),
    ) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        let wide = |(x, y): (i32, i32)| (i64::from(x), i64::from(y));
        // Cells of the board's own range: those of routes, whose points are i32.
        let narrow = |v: i64| v as i32;
        self.board
            .lines_in(wide(from), wide(to))
            .map(move |((x, y), bits)| ((narrow(x), narrow(y)), bits))
    }

    pub fn remember(&mut self, route: &Route) {
        self.count(route, 1);
    }

    /// Takes into account every route `other`, a router of the same boxes, remembers: as
    /// `remember` would each of them, but in one pass over its board. For routes found
    /// apart, on another thread.
    pub fn remember_all(&mut self, other: Router) {
        self.board.add_routes(other.board);
        self.hint = Hint::default();
    }

    /// Undoes `remember`: the connection was removed or is about to be routed again.
    pub fn forget(&mut self, route: &Route) {
        self.count(route, -1);
    }

    fn count(&mut self, route: &Route, delta: i32) {
        let last = route.points.len().saturating_sub(1);
        for (k, ((x, y), bits)) in route.masks().enumerate() {
            let p = (i64::from(x), i64::from(y));
            self.board
                .count(p, bits, k == 0, k == last, delta, &mut self.hint);
        }
    }

    /// A route from box `from` to box `to` made at once, without searching: out of the
    /// middle of one side of `from`, straight to the middle of the nearest channel between
    /// columns or rows of boxes, along the channels with at most two bends, and into the
    /// middle of a side of `to` (the plan over the channels, see `How::Fallback`). It
    /// avoids boxes laid out in columns and rows, but not earlier routes, and costs a few
    /// binary searches and one walk along its cells whatever the size of the map: for the
    /// editor to draw, dimmed, while the real route (`route`) is not worked out yet. None
    /// where `route` has none for certain: the same box, an index out of range, an empty
    /// box, a target whose sides are all covered, boxes absurdly far apart.
    pub fn provisional(&self, from: usize, to: usize) -> Option<Route> {
        if from == to {
            return None;
        }
        let (src, dst) = (*self.board.rects.get(from)?, *self.board.rects.get(to)?);
        channels::plan(&self.board, src, dst).map(|p| p.route())
    }

    /// The best route from box `from` to box `to` given the boxes and the routes remembered
    /// so far (see `How` for how good), or nearly when hurrying; not remembered itself.
    /// None when there is none: the same box, an index out of range, an empty box, a
    /// target boxed in. Never more work than twice the budget (see `Budget`, and
    /// `last_work` for what it took).
    pub fn route(&mut self, from: usize, to: usize) -> Option<Route> {
        self.work = Work::default();
        if from == to {
            return None;
        }
        let (src, dst) = (*self.board.rects.get(from)?, *self.board.rects.get(to)?);
        if !src.is_routable() || !dst.is_routable() {
            return None;
        }
        let budget = self.budget.pops(src, dst);
        self.work.budget = budget;
        let found = self.find(src, dst, budget);
        self.release_if_large();
        let (route, how) = found?;
        self.work.how = Some(how);
        Some(route)
    }

    fn find(&mut self, src: Rect, dst: Rect, budget: u64) -> Option<(Route, How)> {
        let channels = self.board.channels_between(src, dst);
        // In a hurry, boxes that are not neighbours in a row or a column are linked along
        // the row channel both border, where there is one.
        if self.hurry
            && channels >= 2
            && let Some((_, route)) = self.along_a_row_channel(src, dst, budget)
        {
            return Some((route, How::Channel));
        }
        // The work of a channel that gave no route counts against the budget.
        let budget = budget.saturating_sub(self.work.pops);
        let largest = [src.width, src.height, dst.width, dst.height]
            .into_iter()
            .max()
            .unwrap_or(0);
        let margin = 2 * i64::from(largest) + 8;
        let first = self.window(src, dst, margin, MAX_WINDOW_CELLS);
        let near = channels <= NEAR_CHANNELS;
        let lead = if self.hurry {
            Lead::Haste(HASTE)
        } else {
            Lead::Distance
        };
        if let Some(first) = first.filter(|w| near && w.cells() <= MAX_DIRECT_CELLS) {
            match self.explore(&first, src, dst, budget, lead) {
                Outcome::Found(route) => return Some((route, How::Window)),
                Outcome::NoRoute if self.covers_the_board(&first) => return None,
                Outcome::NoRoute => {
                    // The detour may lie beyond the first window: one larger try, no larger
                    // than the budget left can explore, then along the channels.
                    let left = budget.saturating_sub(self.work.pops);
                    let second = self
                        .window(src, dst, margin * RETRY_FACTOR, room(left))
                        .filter(|w| *w != first);
                    if let Some(second) = second {
                        match self.explore(&second, src, dst, left, lead) {
                            Outcome::Found(route) => return Some((route, How::Window)),
                            Outcome::NoRoute if self.covers_the_board(&second) => return None,
                            _ => {}
                        }
                    }
                }
                Outcome::OutOfBudget => {}
            }
        }
        // Far apart, or hard to reach: along the channels, then the plan itself.
        let plan = channels::plan(&self.board, src, dst)?;
        let limit = self.board.limit?;
        let rects = channels::corridor(&plan, src, dst, CORRIDOR_MARGIN, limit);
        // A corridor whose bounding box is small enough is searched as a window with the
        // cells outside it blocked: the same route, found with cheaper arithmetic.
        let room = room(budget).min(MAX_WINDOW_CELLS);
        let outcome = match Masked::new(&rects) {
            Some(masked) if masked.window.cells() <= MAX_DIRECT_CELLS.min(room as usize) => {
                self.explore(&masked, src, dst, budget, Lead::Guide)
            }
            _ => match Corridor::new(&rects) {
                Some(c) if c.cells() as i64 <= room => {
                    self.explore(&c, src, dst, budget, Lead::Guide)
                }
                _ => Outcome::NoRoute,
            },
        };
        match outcome {
            Outcome::Found(route) => Some((route, How::Corridor)),
            _ => Some((plan.route(), How::Fallback)),
        }
    }

    /// Whether a window holds every cell a route could use, so that no route in it means
    /// no route at all.
    fn covers_the_board(&self, win: &Window) -> bool {
        self.board.limit == Some(win.bounds())
    }

    /// The pair's bounding box grown by `margin`, clipped to the limit; the margin shrinks
    /// until the window has at most `cells` cells.
    fn window(&self, src: Rect, dst: Rect, mut margin: i64, cells: i64) -> Option<Window> {
        let limit = self.board.limit?;
        let pair = union(rect_bounds(src), rect_bounds(dst));
        loop {
            let b = expand(pair, margin);
            let x0 = b.0.max(limit.0).max(i64::from(i32::MIN));
            let y0 = b.1.max(limit.1).max(i64::from(i32::MIN));
            let x1 = b.2.min(limit.2).min(i64::from(i32::MAX));
            let y1 = b.3.min(limit.3).min(i64::from(i32::MAX));
            let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
            if w > 0 && h > 0 && w.saturating_mul(h) <= cells {
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

    /// Starts a search over `cells` cells. Cells are prepared only when the search reaches
    /// them (`ensure`), and an epoch number stands in for clearing the buffers, so a search
    /// costs what it explores, not the size of its space.
    fn begin(&mut self, cells: usize) {
        if self.nodes.len() < cells {
            self.nodes.resize(cells, Node::UNSEEN);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.nodes.fill(Node::UNSEEN);
            self.epoch = 1;
        }
        self.sink = State::FRESH;
        self.queue.clear();
    }

    /// Prepares a cell, which lies at (x, y), the first time this search reaches it:
    /// blocked by a box or hugging one, what earlier routes left there, and fresh search
    /// state.
    #[inline(always)]
    fn ensure<S: Space>(&mut self, space: &S, cell: usize, x: i32, y: i32) {
        if self.nodes[cell].seen != self.epoch {
            self.prepare(space, cell, x, y);
        }
    }

    /// Prepares the cell (see `ensure`). The cells of the same row of the board's tile come
    /// along where the space numbers them one after the other: one tile lookup for up to
    /// TILE_ROW cells, and the search mostly reaches them soon after.
    #[inline(never)]
    fn prepare<S: Space>(&mut self, space: &S, cell: usize, x: i32, y: i32) {
        let (first, x0, n) = space.run(cell, x, Board::tile_run(i64::from(x)));
        let mut cells = [(0, 0); TILE_ROW];
        let cells = &mut cells[..n];
        self.board
            .run_hinted(i64::from(x0), i64::from(y), cells, &mut self.hint);
        for (k, &(flags, routes)) in cells.iter().enumerate() {
            let node = &mut self.nodes[first + k];
            if node.seen == self.epoch {
                continue;
            }
            let x = x0 + k as i32;
            let flags = if space.contains(x, y) { flags } else { BLOCKED };
            let (flags, old) = searched(flags, routes);
            *node = Node {
                seen: self.epoch,
                x,
                y,
                flags,
                old,
                ..Node::UNSEEN
            };
        }
    }

    /// After a search over a very large space, give the memory back.
    fn release_if_large(&mut self) {
        const KEEP_CELLS: usize = 1 << 16;
        if self.nodes.len() > KEEP_CELLS {
            self.nodes = Vec::new();
            self.epoch = 0;
        }
        // Two states a cell.
        if self.guide.costs.len() > 2 * KEEP_CELLS {
            self.guide.costs = Vec::new();
        }
    }

    /// A* from the free side cells of `src` to those of `dst` within `space`, popping the
    /// heap at most `budget` times (counted in `self.work.pops`), led by `lead`. A guide
    /// may take three quarters of the budget; one that runs out leaves the distance to lead
    /// where it did not reach.
    fn explore<S: Space>(
        &mut self,
        space: &S,
        src: Rect,
        dst: Rect,
        mut budget: u64,
        lead: Lead,
    ) -> Outcome {
        let guided = lead == Lead::Guide;
        let states = space.cells() * 4;
        let Ok(sink) = u32::try_from(states) else {
            return Outcome::NoRoute;
        };
        self.begin(space.cells());
        let bounds = space.bounds();

        // Mark the goal cells; with none free (target boxed in) there is nothing to search.
        let mut goals = 0;
        for (x, y) in side_cells(dst, Dir::ALL, bounds) {
            let (x, y) = (x as i32, y as i32);
            let Some(cell) = space.index(x, y) else {
                continue;
            };
            self.ensure(space, cell, x, y);
            if self.nodes[cell].flags & BLOCKED == 0 {
                self.nodes[cell].flags |= GOAL;
                goals += 1;
            }
        }
        if goals == 0 {
            return Outcome::NoRoute;
        }

        let mut guide = std::mem::take(&mut self.guide);
        if guided {
            // A finished guide leaves the search little to do: most of the budget may go to it.
            let limit = budget / 4 * 3;
            let spent = self.guide(space, src, dst, &mut guide, limit);
            self.work.pops += spent;
            budget = budget.saturating_sub(spent);
            self.queue.clear();
        }
        // Lower bound of the remaining cost of a state: the steps to the ring around the
        // target and the turns still needed, heading `d` (both consistent, so their sum
        // is); in a guided search the guide's when that is more; in a hasty one more than
        // a lower bound (see `Lead::Haste`). u32::MAX: the target cannot be reached.
        let target = rect_bounds(dst);
        let (gx0, gy0, gx1, gy1) = expand(target, 1);
        #[cfg(test)]
        let dijkstra = self.dijkstra;
        #[cfg(not(test))]
        let dijkstra = false;
        // Returned with it: the steps and turns alone, which break ties between states of
        // the same estimated total (the nearer the target, the sooner). The guide knows the
        // turns a state has still to take, but as a tie-breaker it would send every route
        // round its first bend as early as it can; the distance keeps a route straight on
        // for as long as it costs nothing, so that the first of several routes down one
        // channel takes the far lane and leaves the near ones to the rest.
        let heuristic = |cell: usize, x: i32, y: i32, d: Dir| -> (u32, u32) {
            if dijkstra {
                return (0, 0);
            }
            let (x, y) = (i64::from(x), i64::from(y));
            let dx = (gx0 - x).max(x - gx1).max(0);
            let dy = (gy0 - y).max(y - gy1).max(0);
            let steps = u32::try_from((dx + dy) * i64::from(STEP * SCALE)).unwrap_or(u32::MAX);
            let h = steps.saturating_add(turns_left(target, x, y, d) * TURN * SCALE);
            match lead {
                Lead::Distance => (h, h),
                Lead::Guide => (h.max(guide.at(cell, d)), h),
                Lead::Haste(n) => (h.saturating_add(h / n), h),
            }
        };

        // Start on any free side cell of the source; sides that face away cost a little.
        let facing = facing_sides(src, dst);
        for side in Dir::ALL {
            for (x, y) in side_cells(src, [side], bounds) {
                let (x, y) = (x as i32, y as i32);
                let Some(cell) = space.index(x, y) else {
                    continue;
                };
                self.ensure(space, cell, x, y);
                let node = &mut self.nodes[cell];
                if node.flags & BLOCKED != 0 {
                    continue;
                }
                let g = start_cost(src, facing, side, x, y, node.flags);
                let s = cell * 4 + side.index();
                let (h, tie) = heuristic(cell, x, y, side);
                if g < node.dist[side.index()] && !(guided && h == u32::MAX) {
                    node.dist[side.index()] = g;
                    self.queue.push(g.saturating_add(h), tie, s as u32);
                }
            }
        }

        let mut pops = 0u64;
        let outcome = loop {
            if pops >= budget {
                break Outcome::OutOfBudget;
            }
            let Some((_, _, s)) = self.queue.pop() else {
                break Outcome::NoRoute;
            };
            pops += 1;
            let s = s as usize;
            if s == sink as usize {
                // Popped once: the first time is the cheapest (hurrying, the one it settles
                // for).
                break Outcome::Found(self.reconstruct(space, src, dst));
            }
            let cell = s / 4;
            let came = Dir::ALL[s % 4];
            let here = &mut self.nodes[cell];
            if here.closed & came.bit() != 0 {
                continue;
            }
            here.closed |= came.bit();
            let (old, flags, x, y) = (here.old, here.flags, here.x, here.y);
            let g = here.dist[s % 4];
            // Start cells are exempt from hugging.
            let start = is_start(src, x, y, came);

            if flags & GOAL != 0 {
                let arrow = goal_arrow(dst, x, y).unwrap_or(came);
                let mut cost = turn_cost(came, arrow) + cell_cost(old, came, arrow);
                cost += end_cost(dst, arrow.opposite(), x, y);
                if old != 0 {
                    cost += ENDPOINT * SCALE;
                }
                let total = g.saturating_add(cost);
                if total < self.sink.dist {
                    self.sink = State {
                        dist: total,
                        parent: s as u32,
                    };
                    self.queue.push(total, 0, sink);
                }
            }

            let leave_cost = if start { 0 } else { passing_cost(flags) };
            for d in Dir::ALL {
                if d == came.opposite() {
                    continue;
                }
                let Some(next) = space.neighbour(cell, x, y, d) else {
                    continue;
                };
                let (dx, dy) = d.delta();
                let (nx, ny) = (x + dx, y + dy);
                self.ensure(space, next, nx, ny);
                let there = &mut self.nodes[next];
                if there.flags & BLOCKED != 0 {
                    continue;
                }
                let cost = STEP * SCALE
                    + leave_cost
                    + self.least.exact[usize::from(old)][s % 4][d.index()];
                let total = g.saturating_add(cost);
                if total < there.dist[d.index()] && there.closed & d.bit() == 0 {
                    let (h, tie) = heuristic(next, nx, ny, d);
                    if guided && h == u32::MAX {
                        continue;
                    }
                    there.dist[d.index()] = total;
                    let shift = 2 * d.index();
                    there.from = (there.from & !(3 << shift)) | (((s % 4) as u8) << shift);
                    let n = next * 4 + d.index();
                    self.queue.push(total.saturating_add(h), tie, n as u32);
                }
            }
        };
        self.work.pops += pops;
        self.guide = guide;
        outcome
    }

    /// The guide of a search whose goal cells are marked: for every state from which the
    /// target can be reached, the least cost to the sink, a state being a cell and the axis
    /// of the step that came into it (two per cell, where the search has four: which way
    /// along the axis it came is left open, and each step is charged the least of the
    /// two). So the turns are counted as the search counts them, and the earlier routes the
    /// corridor holds, which the distance does not know: where they fill a channel, the
    /// search follows the best route instead of flooding everything cheaper than it. The
    /// source's side cells are charged nothing for leaving. The search's costs are never
    /// below these, so the guide is a consistent heuristic. A Dijkstra search backwards
    /// from the goal cells, popping at most `limit` times; returns its pops.
    ///
    /// It stops once its costs pass the cheapest start state's total: the search is not
    /// going to ask about states further out, and in a corridor that reaches beyond the
    /// source they would be most of the work. Where it stops (or runs out of pops), every
    /// state not settled costs at least what it reached: its ceiling, which keeps the
    /// guide a consistent heuristic (`Guide::at`).
    fn guide<S: Space>(
        &mut self,
        space: &S,
        src: Rect,
        dst: Rect,
        guide: &mut Guide,
        limit: u64,
    ) -> u64 {
        guide.ceiling = u32::MAX;
        let costs = &mut guide.costs;
        costs.clear();
        costs.resize(2 * space.cells(), u32::MAX);
        // Its costs are the same whatever order states of one cost come out in.
        self.queue.clear_unordered();
        for (x, y) in side_cells(dst, Dir::ALL, space.bounds()) {
            let (x, y) = (x as i32, y as i32);
            let Some(cell) = space.index(x, y) else {
                continue;
            };
            let node = &self.nodes[cell];
            let Some(arrow) = goal_arrow(dst, x, y).filter(|_| node.flags & GOAL != 0) else {
                continue;
            };
            let old = node.old;
            let mut end = end_cost(dst, arrow.opposite(), x, y);
            if old != 0 {
                end += ENDPOINT * SCALE;
            }
            for along in 0..2 {
                let cost = end + self.least.into_goal[usize::from(old)][along][arrow.index()];
                let state = 2 * cell + along;
                if cost < costs[state] {
                    costs[state] = cost;
                    self.queue.push(cost, 0, state as u32);
                }
            }
        }
        let facing = facing_sides(src, dst);
        let mut stop = u32::MAX;
        let mut states = 0u64;
        while let Some((h, _, state)) = self.queue.pop() {
            let state = state as usize;
            if h > costs[state] {
                continue;
            }
            states += 1;
            if states >= limit || h > stop {
                guide.ceiling = h;
                return states;
            }
            let (v, along) = (state / 2, state % 2);
            let (vx, vy) = (self.nodes[v].x, self.nodes[v].y);
            // A start state: the route's total from it is known now.
            if let Some(into) = goal_arrow(src, vx, vy)
                && axis(into) == along
            {
                let side = into.opposite();
                let flags = self.nodes[v].flags;
                let total = h.saturating_add(start_cost(src, facing, side, vx, vy, flags));
                stop = stop.min(total);
            }
            // The steps into v along that axis, from the cell u a step back.
            for d in Dir::ALL.into_iter().filter(|&d| axis(d) == along) {
                let Some(u) = space.neighbour(v, vx, vy, d.opposite()) else {
                    continue;
                };
                let (dx, dy) = d.delta();
                let (ux, uy) = (vx - dx, vy - dy);
                self.ensure(space, u, ux, uy);
                let node = &self.nodes[u];
                if node.flags & BLOCKED != 0 {
                    continue;
                }
                let (flags, old) = (node.flags, node.old);
                let mut cost = STEP * SCALE;
                if goal_arrow(src, ux, uy).is_none() {
                    cost += passing_cost(flags);
                }
                let base = h.saturating_add(cost);
                for came in 0..2 {
                    let total =
                        base.saturating_add(self.least.step[usize::from(old)][came][d.index()]);
                    let state = 2 * u + came;
                    if total < costs[state] {
                        costs[state] = total;
                        self.queue.push(total, 0, state as u32);
                    }
                }
            }
        }
        states
    }

    fn reconstruct<S: Space>(&self, space: &S, src: Rect, dst: Rect) -> Route {
        let s = self.sink.parent as usize;
        let (mut cell, mut came) = (s / 4, Dir::ALL[s % 4]);
        let (gx, gy) = space.point(cell);
        // The sink is only ever reached from a goal cell.
        let arrow = goal_arrow(dst, gx, gy).unwrap_or(Dir::Right);
        let mut points = Vec::new();
        let leave = loop {
            let node = &self.nodes[cell];
            let (x, y) = (node.x, node.y);
            points.push((x, y));
            if is_start(src, x, y, came) {
                break came;
            }
            let (dx, dy) = came.delta();
            // The step back stays in the space: the search took it.
            let Some(back) = space.index(x - dx, y - dy) else {
                break came;
            };
            cell = back;
            came = Dir::ALL[usize::from((node.from >> (2 * came.index())) & 3)];
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

/// The cells next to the given sides of `r` (no diagonal corners), clipped to `bounds`.
fn side_cells<const N: usize>(
    r: Rect,
    sides: [Dir; N],
    bounds: Bounds,
) -> impl Iterator<Item = (i64, i64)> {
    let (x0, y0, x1, y1) = rect_bounds(r);
    let (wx0, wy0, wx1, wy1) = bounds;
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

/// Whether arriving at (x, y) heading `came` is a start state: one step back lies in the
/// source box, which no step of the search can come out of.
fn is_start(src: Rect, x: i32, y: i32, came: Dir) -> bool {
    let (dx, dy) = came.delta();
    src.contains(x.wrapping_sub(dx), y.wrapping_sub(dy))
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

/// What a route pays for starting at the side cell (x, y) of `src`'s `side`, whose flags
/// are `flags`: a side that does not face the target (`facing`, see `facing_sides`), the
/// cell's place on the side (`end_cost`), and an earlier route's end there.
fn start_cost(src: Rect, facing: u8, side: Dir, x: i32, y: i32, flags: u8) -> u32 {
    let mut cost = end_cost(src, side, x, y);
    if facing != 0 && facing & side.bit() == 0 {
        cost += SIDE * SCALE;
    }
    if flags & (FIRST | LAST) != 0 {
        cost += ENDPOINT * SCALE;
    }
    cost
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

/// The fewest turns a route heading `d` at the free cell (x, y) still takes into the box
/// `target` (inclusive bounds), counting the last step into the box: none if it lies
/// straight ahead, one if a single bend reaches it, else two (a lower bound: sometimes it
/// takes three). Exact for obstacle-free ground, so a consistent heuristic; one also when
/// the cell is a side cell of the far side, since the last step into the box may turn
/// back at one turn's cost (only a start state can head away from the box there).
fn turns_left(target: Bounds, x: i64, y: i64, d: Dir) -> u32 {
    let (x0, y0, x1, y1) = target;
    // Along the heading (made to grow) and across it.
    let (along, hi, across, band) = match d {
        Dir::Right => (x, x1, y, (y0, y1)),
        Dir::Left => (-x, -x0, y, (y0, y1)),
        Dir::Down => (y, y1, x, (x0, x1)),
        Dir::Up => (-y, -y0, x, (x0, x1)),
    };
    let in_band = band.0 <= across && across <= band.1;
    if in_band && along <= hi {
        0
    } else if along <= hi || (in_band && along == hi + 1) {
        1
    } else {
        2
    }
}

/// The axis of a direction: 0 for up and down, 1 for left and right.
fn axis(d: Dir) -> usize {
    d.index() & 1
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::tests::random;

    fn lead(guided: bool) -> Lead {
        if guided { Lead::Guide } else { Lead::Distance }
    }

    /// The corridor a far link's search keeps to, as a window with the rest blocked.
    fn corridor_of(router: &Router, src: Rect, dst: Rect) -> Masked {
        let plan = channels::plan(&router.board, src, dst).unwrap();
        let limit = router.board.limit.unwrap();
        Masked::new(&channels::corridor(&plan, src, dst, CORRIDOR_MARGIN, limit)).unwrap()
    }

    /// The guide is a consistent heuristic: with it, every corridor search finds a route as
    /// cheap as the distance finds (so the best one in the corridor), with fewer pops over
    /// a map whose channels fill up with lines.
    #[test]
    fn a_guided_search_finds_routes_as_cheap_as_the_distance_in_fewer_pops() {
        let grid = |i: usize| Rect::new((i % 8) as i32 * 24, (i / 8) as i32 * 7, 18, 5);
        let boxes: Vec<Rect> = (0..48).map(grid).collect();
        let mut router = Router::new(boxes.clone());
        let mut seed = 11u64;
        let (mut guided_pops, mut plain_pops, mut routed) = (0, 0, 0);
        for _ in 0..300 {
            let (from, to) = (random(&mut seed, 48), random(&mut seed, 48));
            if from == to {
                continue;
            }
            let (src, dst) = (boxes[from], boxes[to]);
            let space = corridor_of(&router, src, dst);
            let mut cost = [0; 2];
            let mut found = None;
            for (k, guided) in [false, true].into_iter().enumerate() {
                router.work = Work::default();
                let outcome = router.explore(&space, src, dst, u64::MAX / 4, lead(guided));
                let Outcome::Found(route) = outcome else {
                    panic!("{from} -> {to}: a corridor of free channels has a route");
                };
                cost[k] = router.sink.dist;
                if guided {
                    guided_pops += router.work.pops;
                    found = Some(route);
                } else {
                    plain_pops += router.work.pops;
                }
            }
            assert_eq!(cost[0], cost[1], "{from} -> {to}");
            router.remember(&found.unwrap());
            routed += 1;
        }
        assert!(routed > 250);
        assert!(
            guided_pops < plain_pops,
            "{guided_pops} against {plain_pops}"
        );
    }

    /// The guide never asks more of a state than a step the search can take from it and the
    /// guide of where that leads (or the step into the target): it is consistent, so the
    /// guided search pops every state once, at its least cost. Checked over every state of
    /// corridors whose channels fill with the routes found before.
    #[test]
    fn the_guide_is_consistent_with_the_search_steps() {
        let grid = |i: usize| Rect::new((i % 6) as i32 * 24, (i / 6) as i32 * 7, 18, 5);
        let boxes: Vec<Rect> = (0..36).map(grid).collect();
        let mut router = Router::new(boxes.clone());
        let mut seed = 5u64;
        let (mut checked, mut cut) = (0u64, 0u64);
        for _ in 0..80 {
            let (from, to) = (random(&mut seed, 36), random(&mut seed, 36));
            if from == to {
                continue;
            }
            let (src, dst) = (boxes[from], boxes[to]);
            let space = corridor_of(&router, src, dst);
            // A budget that cuts the guide short leaves it capped at its ceiling: still
            // consistent. Checked first, with the search's states of that run.
            router.work = Work::default();
            router.explore(&space, src, dst, 600, Lead::Guide);
            cut += u64::from(router.guide.ceiling < u32::MAX);
            checked += consistent(&router, &space, src, dst);
            router.work = Work::default();
            let Outcome::Found(route) = router.explore(&space, src, dst, u64::MAX / 4, Lead::Guide)
            else {
                panic!("{from} -> {to}: a corridor of free channels has a route");
            };
            checked += consistent(&router, &space, src, dst);
            router.remember(&route);
        }
        assert!(checked > 100_000, "{checked} steps checked");
        assert!(cut > 20, "{cut} guides cut short");
    }

    /// The guide stops once it is past the source's start states: over a space reaching
    /// far beyond the source it settles a small part of the states, and the route costs
    /// what Dijkstra's costs.
    #[test]
    fn the_guide_stops_once_past_the_source() {
        let (dst, src, far) = (
            Rect::new(10, 10, 10, 4),
            Rect::new(40, 10, 10, 4),
            Rect::new(600, 10, 10, 4),
        );
        let mut router = Router::new(vec![dst, src, far]);
        let space = Window {
            x0: 0,
            y0: 0,
            w: 620,
            h: 30,
        };
        let mut cost = [0; 2];
        for (k, guided) in [false, true].into_iter().enumerate() {
            router.work = Work::default();
            router.dijkstra = !guided;
            let Outcome::Found(_) = router.explore(&space, src, dst, u64::MAX / 4, lead(guided))
            else {
                panic!("open ground has a route");
            };
            cost[k] = router.sink.dist;
        }
        assert_eq!(cost[0], cost[1]);
        assert!(router.guide.ceiling < u32::MAX);
        // Guide and search together: a finished guide alone would settle two states for
        // each of the 18,000 free cells.
        assert!(router.work.pops < 3_000, "{} pops", router.work.pops);
    }

    /// How many steps of the last search's space were checked: the guide of each state is
    /// at most a step the search can take from it plus the guide of where that leads, and
    /// at most the step into the target.
    fn consistent(router: &Router, space: &Masked, src: Rect, dst: Rect) -> u64 {
        let mut checked = 0;
        let guide = &router.guide;
        for u in 0..space.cells() {
            let node = router.nodes[u];
            if node.seen != router.epoch || node.flags & BLOCKED != 0 {
                continue;
            }
            let (x, y) = (node.x, node.y);
            for came in Dir::ALL {
                let here = guide.at(u, came);
                if node.flags & GOAL != 0 {
                    let arrow = goal_arrow(dst, x, y).unwrap();
                    let mut sink = turn_cost(came, arrow) + cell_cost(node.old, came, arrow);
                    sink += end_cost(dst, arrow.opposite(), x, y);
                    if node.old != 0 {
                        sink += ENDPOINT * SCALE;
                    }
                    assert!(
                        here <= sink,
                        "{src:?} -> {dst:?} at ({x}, {y}) into the target"
                    );
                }
                let leave = if is_start(src, x, y, came) {
                    0
                } else {
                    passing_cost(node.flags)
                };
                for go in Dir::ALL.into_iter().filter(|&go| go != came.opposite()) {
                    let Some(v) = space.neighbour(u, x, y, go) else {
                        continue;
                    };
                    let there = guide.at(v, go);
                    if there == u32::MAX || router.nodes[v].flags & BLOCKED != 0 {
                        continue;
                    }
                    let step = STEP * SCALE
                        + leave
                        + router.least.exact[usize::from(node.old)][came.index()][go.index()];
                    assert!(
                        here <= step + there,
                        "{src:?} -> {dst:?} at ({x}, {y}) came {came:?} going {go:?}"
                    );
                    checked += 1;
                }
            }
        }
        checked
    }

    /// `turns_left` is the fewest turns into the box on open ground (at most two), found by
    /// a breadth-first search over (cell, heading) that may turn back only into the box.
    #[test]
    fn turns_left_are_the_fewest_turns_on_open_ground() {
        for (w, h) in [(1, 1), (3, 2), (5, 4), (2, 6)] {
            let target = (0, 0, w - 1, h - 1);
            let inside = |x: i64, y: i64| (0..w).contains(&x) && (0..h).contains(&y);
            let (lo, hi) = (-8i64, 14i64);
            let n = (hi - lo + 1) as usize;
            let index = |x: i64, y: i64, d: Dir| {
                (((y - lo) as usize * n) + (x - lo) as usize) * 4 + d.index()
            };
            for sy in lo + 3..=hi - 3 {
                for sx in lo + 3..=hi - 3 {
                    if inside(sx, sy) {
                        continue;
                    }
                    for heading in Dir::ALL {
                        // 0-1 breadth-first: a turn costs one, a step straight on nothing.
                        let mut turns = vec![u32::MAX; n * n * 4];
                        let mut queue = std::collections::VecDeque::new();
                        turns[index(sx, sy, heading)] = 0;
                        queue.push_back((sx, sy, heading));
                        let mut fewest = u32::MAX;
                        while let Some((x, y, d)) = queue.pop_front() {
                            let t = turns[index(x, y, d)];
                            if let Some(arrow) =
                                goal_arrow(Rect::new(0, 0, w as i32, h as i32), x as i32, y as i32)
                            {
                                fewest = fewest.min(t + u32::from(arrow != d));
                            }
                            for go in Dir::ALL {
                                let (dx, dy) = go.delta();
                                let (nx, ny) = (x + i64::from(dx), y + i64::from(dy));
                                if go == d.opposite()
                                    || inside(nx, ny)
                                    || !(lo..=hi).contains(&nx)
                                    || !(lo..=hi).contains(&ny)
                                {
                                    continue;
                                }
                                let nt = t + u32::from(go != d);
                                if nt < turns[index(nx, ny, go)] {
                                    turns[index(nx, ny, go)] = nt;
                                    if go == d {
                                        queue.push_front((nx, ny, go));
                                    } else {
                                        queue.push_back((nx, ny, go));
                                    }
                                }
                            }
                        }
                        assert_eq!(
                            turns_left(target, sx, sy, heading),
                            fewest.min(2),
                            "{w}x{h} box, ({sx}, {sy}) heading {heading:?}"
                        );
                    }
                }
            }
        }
    }

    /// The heuristic never overestimates: searches with it find routes exactly as cheap as
    /// a Dijkstra search (no heuristic), in windows and guided along corridors, on random
    /// boards of boxes of random sizes that fill up with earlier routes.
    #[test]
    fn searches_with_the_heuristic_cost_what_dijkstra_finds() {
        let mut seed = 5u64;
        let (mut compared, mut dearer) = (0, 0);
        for _ in 0..12 {
            // Boxes of random sizes in a loose grid, each in its own cell of 16 by 10.
            let mut boxes = Vec::new();
            for i in 0..30i32 {
                if random(&mut seed, 5) == 0 {
                    continue;
                }
                let (w, h) = (1 + random(&mut seed, 12), 1 + random(&mut seed, 7));
                let (x, y) = (random(&mut seed, 16 - w), random(&mut seed, 10 - h));
                let (cx, cy) = ((i % 6) * 16, (i / 6) * 10);
                boxes.push(Rect::new(cx + x as i32, cy + y as i32, w as i32, h as i32));
            }
            let mut router = Router::new(boxes.clone());
            for _ in 0..60 {
                let (from, to) = (
                    random(&mut seed, boxes.len()),
                    random(&mut seed, boxes.len()),
                );
                if from == to {
                    continue;
                }
                let (src, dst) = (boxes[from], boxes[to]);
                let window = router.window(src, dst, 6, MAX_WINDOW_CELLS).unwrap();
                let mut cost = [0; 2];
                let mut found = None;
                for (k, dijkstra) in [true, false].into_iter().enumerate() {
                    router.dijkstra = dijkstra;
                    match router.explore(&window, src, dst, u64::MAX / 4, Lead::Distance) {
                        Outcome::Found(route) => found = Some(route),
                        _ => found = None,
                    }
                    cost[k] = router.sink.dist;
                }
                assert_eq!(cost[0], cost[1], "window {src:?} -> {dst:?}");
                // In a hurry: never more than an eighth dearer than the best.
                let _ = router.explore(&window, src, dst, u64::MAX / 4, Lead::Haste(HASTE));
                let hurried = u64::from(router.sink.dist);
                assert!(8 * hurried <= 9 * u64::from(cost[0]), "{src:?} -> {dst:?}");
                dearer += usize::from(hurried > u64::from(cost[0]));
                // Along the channels the plan picks: guided against Dijkstra.
                if let Some(plan) = channels::plan(&router.board, src, dst) {
                    let limit = router.board.limit.unwrap();
                    let rects = channels::corridor(&plan, src, dst, CORRIDOR_MARGIN, limit);
                    let space = Masked::new(&rects).unwrap();
                    for (k, dijkstra) in [true, false].into_iter().enumerate() {
                        router.dijkstra = dijkstra;
                        let _ = router.explore(&space, src, dst, u64::MAX / 4, lead(!dijkstra));
                        cost[k] = router.sink.dist;
                    }
                    assert_eq!(cost[0], cost[1], "corridor {src:?} -> {dst:?}");
                }
                if let Some(route) = found {
                    router.remember(&route);
                    compared += 1;
                }
            }
        }
        assert!(compared > 400, "{compared}");
        // Hurrying does settle for dearer routes now and then.
        assert!(dearer > 0);
    }
}
