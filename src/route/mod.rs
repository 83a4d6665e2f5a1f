//! Edge routing: orthogonal connections between boxes on a character grid.
//!
//! Pure data in, pure data out: rectangles and (from, to) requests become cell paths, and
//! the paths become line masks the editor turns into box-drawing glyphs. Nothing here knows
//! about terminals, so routes are computed once when the map changes, not on every frame.
//!
//! The search is A* over (cell, incoming direction) so that turns can cost extra. The grid
//! is never assumed to be regular: any set of non-overlapping rectangles works, of any sizes.
//!
//! How one connection is routed (`Router::route`):
//!
//! 1. **In a hurry, boxes apart in a row or in neighbouring rows** (`Router::hurry`, for
//!    maps of thousands of links): where both border one row channel and they are not
//!    neighbours, the cheapest route that keeps to that channel and the rows beside it and
//!    never steps back, worked out column by column (`search/lanes.rs`, `How::Channel`):
//!    a look at each cell, not a dozen heap pops; of two boxes in a row, along the emptier
//!    of their two channels. Most links of a big map.
//! 2. **Near boxes** (at most three channels between them, see below): the best route in a
//!    window around the two boxes, as it always was. Almost every connection of a real map.
//!    A router in a hurry may settle for one at most an eighth dearer, found with a
//!    quarter to a third less work.
//! 3. **Far boxes**, or near ones whose search ran out of budget: a plan over the channels
//!    (`channels.rs`) picks the gaps between columns and rows of boxes to follow, and the
//!    search keeps to a corridor along them: the plan's legs, a margin of two cells, and
//!    the rings around the two boxes. A connection across a map of ten thousand steps
//!    searches a strip a few cells wide, not the map.
//! 4. **Out of budget**: every route call has a budget of heap pops, linear in the distance
//!    between the boxes (`Budget`). When the corridor's search spends it too, the plan itself
//!    is the route (`How::Fallback`): straight through the middle of the channels. So routing
//!    always finishes, in time bounded by the distance, whatever the map.
//!
//! The channels are the x and y intervals no box covers. With boxes laid out in columns and
//! rows (of any widths and heights) they are the gaps between the columns and between the
//! rows; every cell in them is free. `Router::provisional` hands out the plan at once, for
//! the editor to draw while the real route is not worked out yet.
//!
//! Files: `board.rs` knows what lies at each cell (boxes, earlier routes) in constant time
//! and where the channels are; `channels.rs` plans over the channels; `search.rs` is the
//! router and its A*, `search/lanes.rs` its routes along one channel; `queue.rs` the A*'s
//! bucket queue; `raster.rs` turns routes into glyphs.

mod board;
mod channels;
mod queue;
mod raster;
mod search;

pub use raster::{Raster, RouteNumbers, glyph};
pub use search::{Budget, How, Router, Work};

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

/// A direction on the grid. Its number (`as u8`) is its place in `Dir::ALL`, so its bit,
/// opposite and step are arithmetic, not branches: the search asks them for every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Dir {
    Up = 0,
    Down = 2,
    Left = 3,
    Right = 1,
}

impl Dir {
    /// Fixed order used wherever ties must break the same way every time.
    pub const ALL: [Dir; 4] = [Dir::Up, Dir::Right, Dir::Down, Dir::Left];

    /// UP, RIGHT, DOWN or LEFT.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }

    pub const fn opposite(self) -> Dir {
        Dir::ALL[(self as usize + 2) % 4]
    }

    /// The (dx, dy) of one step this way.
    pub const fn delta(self) -> (i32, i32) {
        const DX: [i32; 4] = [0, 1, 0, -1];
        const DY: [i32; 4] = [-1, 0, 1, 0];
        (DX[self as usize], DY[self as usize])
    }

    const fn index(self) -> usize {
        self as usize
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
    /// The least and most x of its cells and of the two box cells its ends step from and
    /// into: a route steps one cell at a time, so it is at every x between.
    pub fn x_extent(&self) -> Option<(i32, i32)> {
        let (&(first, _), &(last, _)) = (self.points.first()?, self.points.last()?);
        let from = first - self.leave.delta().0;
        let into = last + self.arrow.delta().0;
        let xs = self.points.iter().map(|p| p.0).chain([from, into]);
        Some((xs.clone().min()?, xs.max()?))
    }

    /// Each point with the direction bits its line connects to: towards its neighbours on
    /// the route, and at the ends towards the source and target boxes.
    pub fn masks(&self) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        (0..self.points.len()).map(|k| (self.points[k], self.mask_at(k)))
    }

    /// The direction bits of the line at point `k` (see `masks`).
    pub fn mask_at(&self, k: usize) -> u8 {
        let p = self.points[k];
        let back = if k == 0 {
            Some(self.leave.opposite())
        } else {
            Dir::between(p, self.points[k - 1])
        };
        let ahead = if k + 1 == self.points.len() {
            Some(self.arrow)
        } else {
            Dir::between(p, self.points[k + 1])
        };
        // A malformed hand-made route just loses the bit for its broken step.
        back.map_or(0, Dir::bit) | ahead.map_or(0, Dir::bit)
    }
}

/// Routes each (from, to) pair of box indices. Returns one entry per request; None when no
/// route exists (e.g. target boxed in) or from == to or an index is out of range — never
/// panics. Requests are routed in order and each sees the routes before it.
///
/// Each route is found as `Router::route` finds it (see the module documentation), with the
/// default budget: near boxes by a search around them, far ones along a corridor of
/// channels, and whatever runs out of budget by the plan over the channels. Two boxes
/// millions of cells apart get None.
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

/// Inclusive bounds (x0, y0, x1, y1) in i64.
type Bounds = (i64, i64, i64, i64);

pub(crate) fn rect_bounds(r: Rect) -> Bounds {
    (
        i64::from(r.x),
        i64::from(r.y),
        r.right() - 1,
        r.bottom() - 1,
    )
}

pub(crate) fn union(a: Bounds, b: Bounds) -> Bounds {
    (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
}

pub(crate) fn expand(b: Bounds, m: i64) -> Bounds {
    (b.0 - m, b.1 - m, b.2 + m, b.3 + m)
}

#[cfg(test)]
mod tests;
