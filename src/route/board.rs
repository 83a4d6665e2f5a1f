//! The board the router works on: what lies at each cell (boxes, earlier routes) in
//! constant time, and the channels between the columns and rows of boxes.

use super::{Bounds, Rect, expand, rect_bounds, union};
use rustc_hash::FxHashMap;

/// A cell inside a box.
pub(super) const BLOCKED: u8 = 1;
/// A side cell of a box (not a diagonal corner): lines there hug the border.
pub(super) const HUGS: u8 = 2;

/// Route bits of a cell: the four direction bits (UP, RIGHT, DOWN, LEFT) of earlier routes'
/// lines there, and whether an earlier route starts or ends there.
pub(super) const STARTS: u8 = 16;
pub(super) const ENDS: u8 = 32;

/// Tiles of cells hold the flags of every cell near a box and the route bits of every cell
/// of an earlier route, so preparing a cell for the search is one hash lookup, not a test
/// of every box nearby and a lookup among all earlier routes' cells. Small tiles keep sparse
/// maps small: a box and its ring touch at most six.
const TILE_W: i64 = 16;
/// The most cells of one row of a tile.
pub(super) const TILE_ROW: usize = TILE_W as usize;
const TILE_H: i64 = 8;
const TILE_CELLS: usize = (TILE_W * TILE_H) as usize;
/// A box touching more tiles than this is tested on its own, like the boxes of old: a
/// hostile map with a box a billion cells wide must not fill memory with tiles.
const MAX_TILES_PER_BOX: i64 = 256;

/// Where a count of `Uses` too large for its byte is kept: by cell and count (0 to 3 the
/// directions, 4 first, 5 last).
type Spilled = FxHashMap<(i64, i64, u8), u32>;

/// A count of `Uses`, `n`, which is count `at` (see `Spilled`).
fn count_of(n: u8, at: (i64, i64, u8), spilled: &Spilled) -> u32 {
    match n {
        SPILLED => spilled.get(&at).copied().unwrap_or(u32::from(SPILLED)),
        n => u32::from(n),
    }
}

/// Sets a count of `Uses`, `n`, which is count `at`: in its byte or, past it, in `spilled`.
fn set_count(n: &mut u8, count: u32, at: (i64, i64, u8), spilled: &mut Spilled) {
    match u8::try_from(count) {
        Ok(small) if small < SPILLED => {
            if *n == SPILLED {
                spilled.remove(&at);
            }
            *n = small;
        }
        _ => {
            spilled.insert(at, count);
            *n = SPILLED;
        }
    }
}

/// Free intervals of one axis, inclusive, in increasing order: the channels.
pub(super) type Gaps = Vec<(i64, i64)>;

/// Every box's ring makes tiles, and only the tiles routes pass through need route bits:
/// box flags are packed two bits a cell and the route bits come with the first route, so a
/// map of ten thousand boxes holds 1.6 MB of tiles, not 8.6.
#[derive(Clone)]
struct Tile {
    /// BLOCKED and HUGS of each cell, two bits a cell, a row of the tile per word.
    boxes: [u32; TILE_H as usize],
    /// The route bits of each cell, as the search reads them, once any route is here.
    routes: Option<Box<[u8; TILE_CELLS]>>,
    /// How many earlier routes use each cell, once any route has used one here.
    uses: Option<Box<[Uses; TILE_CELLS]>>,
    /// How many of its cells some route uses: when the last route leaves, the route bits
    /// and counts go, so the editor, which forgets routes far from the view, keeps counts
    /// only where routes are.
    routed_cells: u16,
}

impl Tile {
    fn flags(&self, k: usize) -> u8 {
        let (row, col) = (k / TILE_W as usize, k % TILE_W as usize);
        ((self.boxes[row] >> (2 * col)) & 3) as u8
    }
}

/// How many earlier routes use a cell, per direction and as first or last cell; counts (not
/// bits) so a route can be forgotten again when its connection changes. A byte each: past
/// `SPILLED` the count is kept in `Board::spilled`, which only a cell crowded by hundreds
/// of routes ever needs.
#[derive(Debug, Clone, Copy, Default)]
struct Uses {
    dirs: [u8; 4],
    first: u8,
    last: u8,
}

/// A count of `Uses` that is kept in `Board::spilled`.
const SPILLED: u8 = u8::MAX;

impl Uses {
    /// The counts, as `Board::spilled` numbers them: the four directions, first, last.
    fn counts(&self) -> [u8; 6] {
        let [a, b, c, d] = self.dirs;
        [a, b, c, d, self.first, self.last]
    }

    fn counts_mut(&mut self) -> [&mut u8; 6] {
        let [a, b, c, d] = &mut self.dirs;
        [a, b, c, d, &mut self.first, &mut self.last]
    }

    /// The route bits these counts make.
    fn bits(&self) -> u8 {
        let mut bits = 0;
        for (k, &n) in self.dirs.iter().enumerate() {
            if n > 0 {
                bits |= 1 << k;
            }
        }
        if self.first > 0 {
            bits |= STARTS;
        }
        if self.last > 0 {
            bits |= ENDS;
        }
        bits
    }
}

/// Where the last tile looked up is: a search visits neighbouring cells, which mostly
/// share a tile, so most lookups need no hashing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hint {
    key: (i32, i32),
    tile: u32,
}

impl Default for Hint {
    fn default() -> Hint {
        Hint {
            key: (0, 0),
            tile: u32::MAX,
        }
    }
}

#[derive(Default)]
pub(super) struct Board {
    pub rects: Vec<Rect>,
    /// Tile index by tile coordinates; tiles themselves side by side.
    tile_at: FxHashMap<(i32, i32), u32>,
    tiles: Vec<Tile>,
    /// Boxes too large for tiles, tested one by one.
    large: Vec<u32>,
    /// All routable boxes' bounds plus a ring of two (within the i32 plane): a route never
    /// needs to go further out, since the ring already leads around everything.
    pub whole: Option<Bounds>,
    /// Where routes may go: `whole`, or the part of it a router is confined to.
    pub limit: Option<Bounds>,
    /// The x intervals no box covers (within the limit): the vertical channels between
    /// columns of boxes, outermost ones included. Every cell of them is free.
    pub columns: Gaps,
    /// The y intervals no box covers: the horizontal channels between rows of boxes.
    pub rows: Gaps,
    /// The counts of `Uses` too large for a byte.
    spilled: Spilled,
}

impl Board {
    pub fn new(rects: Vec<Rect>) -> Board {
        let mut board = Board::default();
        board.set_boxes(rects);
        board
    }

    /// Replaces the boxes; the route bits stay.
    pub fn set_boxes(&mut self, rects: Vec<Rect>) {
        for tile in &mut self.tiles {
            tile.boxes = [0; TILE_H as usize];
        }
        self.large.clear();
        let routable = || rects.iter().enumerate().filter(|(_, r)| r.is_routable());
        // Clipped to the i32 plane, as every cell must be.
        let (min, max) = (i64::from(i32::MIN), i64::from(i32::MAX));
        self.limit = routable()
            .map(|(_, &r)| rect_bounds(r))
            .reduce(union)
            .map(|b| expand(b, 2))
            .map(|b| (b.0.max(min), b.1.max(min), b.2.min(max), b.3.min(max)));
        self.whole = self.limit;
        for (i, r) in routable() {
            let (x0, y0, x1, y1) = expand(rect_bounds(*r), 1);
            let tiles = (x1.div_euclid(TILE_W) - x0.div_euclid(TILE_W) + 1)
                .saturating_mul(y1.div_euclid(TILE_H) - y0.div_euclid(TILE_H) + 1);
            if tiles > MAX_TILES_PER_BOX {
                self.large.push(i as u32);
            } else {
                self.paint(*r);
            }
        }
        (self.columns, self.rows) = match self.limit {
            Some(limit) => {
                let spans = |f: fn(Bounds) -> (i64, i64)| -> Vec<(i64, i64)> {
                    routable().map(|(_, &r)| f(rect_bounds(r))).collect()
                };
                (
                    gaps(spans(|b| (b.0, b.2)), limit.0, limit.2),
                    gaps(spans(|b| (b.1, b.3)), limit.1, limit.3),
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        self.rects = rects;
    }

    fn tile_key(x: i64, y: i64) -> ((i32, i32), usize) {
        let key = (x.div_euclid(TILE_W) as i32, y.div_euclid(TILE_H) as i32);
        (
            key,
            (y.rem_euclid(TILE_H) * TILE_W + x.rem_euclid(TILE_W)) as usize,
        )
    }

    /// The tile with these coordinates, made if there is none yet.
    fn tile_mut(&mut self, key: (i32, i32), hint: &mut Hint) -> &mut Tile {
        let t = self.tile_number(key, hint);
        &mut self.tiles[t]
    }

    /// The number of the tile with these coordinates, made if there is none.
    fn tile_number(&mut self, key: (i32, i32), hint: &mut Hint) -> usize {
        if hint.key != key || hint.tile == u32::MAX {
            let next = self.tiles.len() as u32;
            let t = *self.tile_at.entry(key).or_insert(next);
            if t == next {
                self.tiles.push(Tile {
                    boxes: [0; TILE_H as usize],
                    routes: None,
                    uses: None,
                    routed_cells: 0,
                });
            }
            *hint = Hint { key, tile: t };
        }
        hint.tile as usize
    }

    /// The tile with these coordinates, if there is one.
    #[inline]
    fn tile(&self, key: (i32, i32), hint: &mut Hint) -> Option<&Tile> {
        if hint.key != key || hint.tile == u32::MAX {
            *hint = Hint {
                key,
                tile: *self.tile_at.get(&key)?,
            };
        }
        Some(&self.tiles[hint.tile as usize])
    }

    /// The box flags (BLOCKED, HUGS) and the route bits of the cell (x, y).
    pub fn at(&self, x: i64, y: i64) -> (u8, u8) {
        self.at_hinted(x, y, &mut Hint::default())
    }

    /// Whether some route uses the cell (x, y).
    pub fn routed_at(&self, x: i64, y: i64) -> bool {
        let (key, k) = Board::tile_key(x, y);
        let tile = self.tile(key, &mut Hint::default());
        tile.and_then(|t| t.routes.as_ref())
            .is_some_and(|r| r[k] != 0)
    }

    /// The cells in the columns `x0..x1` and rows `y0..y1` that routes use, with the
    /// direction bits of their lines there, tile by tile.
    pub fn lines_in(
        &self,
        (x0, y0): (i64, i64),
        (x1, y1): (i64, i64),
    ) -> impl Iterator<Item = ((i64, i64), u8)> + '_ {
        let empty = x1 <= x0 || y1 <= y0;
        let (first, _) = Board::tile_key(x0, y0);
        let (last, _) = Board::tile_key(x1 - 1, y1 - 1);
        (first.1..=last.1)
            .filter(move |_| !empty)
            .flat_map(move |ty| (first.0..=last.0).map(move |tx| (tx, ty)))
            .filter_map(|key| {
                let tile = &self.tiles[*self.tile_at.get(&key)? as usize];
                Some((key, tile.routes.as_deref()?))
            })
            .flat_map(|((tx, ty), routes)| {
                routes.iter().enumerate().map(move |(k, &bits)| {
                    let (dx, dy) = (k as i64 % TILE_W, k as i64 / TILE_W);
                    (
                        (i64::from(tx) * TILE_W + dx, i64::from(ty) * TILE_H + dy),
                        bits & 0xf,
                    )
                })
            })
            .filter(move |&((x, y), bits)| {
                bits != 0 && (x0..x1).contains(&x) && (y0..y1).contains(&y)
            })
    }

    /// `at`, starting from the tile of the last lookup.
    #[inline]
    pub fn at_hinted(&self, x: i64, y: i64, hint: &mut Hint) -> (u8, u8) {
        let (key, k) = Board::tile_key(x, y);
        let (mut flags, routes) = match self.tile(key, hint) {
            Some(tile) => (tile.flags(k), tile.routes.as_ref().map_or(0, |r| r[k])),
            None => (0, 0),
        };
        for &i in &self.large {
            flags |= flags_of(self.rects[i as usize], x, y);
        }
        (flags, routes)
    }

    /// The x range (inclusive) of the column of tiles x lies in: cells of one row in it are
    /// looked up together by `run_hinted`.
    pub fn tile_run(x: i64) -> (i64, i64) {
        let lo = x.div_euclid(TILE_W) * TILE_W;
        (lo, lo + TILE_W - 1)
    }

    /// The x ranges (inclusive) that `lo..=hi` falls into by columns of tiles, left to
    /// right: for looking a row's cells up a tile at a time.
    pub fn tile_runs(lo: i64, hi: i64) -> impl Iterator<Item = (i64, i64)> {
        let first = (lo <= hi).then_some((lo, Board::tile_run(lo).1.min(hi)));
        std::iter::successors(first, move |&(_, end)| {
            (end < hi).then(|| (end + 1, Board::tile_run(end + 1).1.min(hi)))
        })
    }

    /// `at_hinted` of the cells from (x, y) rightwards, one per item of `out`, all in the
    /// range `tile_run(x)`: one tile lookup for them all.
    pub fn run_hinted(&self, x: i64, y: i64, out: &mut [(u8, u8)], hint: &mut Hint) {
        let (key, k) = Board::tile_key(x, y);
        match self.tile(key, hint) {
            Some(tile) => {
                for (i, cell) in out.iter_mut().enumerate() {
                    let routes = tile.routes.as_ref().map_or(0, |r| r[k + i]);
                    *cell = (tile.flags(k + i), routes);
                }
            }
            None => out.fill((0, 0)),
        }
        for &i in &self.large {
            let r = self.rects[i as usize];
            for (dx, cell) in out.iter_mut().enumerate() {
                cell.0 |= flags_of(r, x + dx as i64, y);
            }
        }
    }

    /// How many cells of row `y` from `lo` to `hi` (inclusive) routes use, a tile at a time.
    pub fn routed_in_row(&self, y: i64, lo: i64, hi: i64, hint: &mut Hint) -> usize {
        let mut used = 0;
        for (x, end) in Board::tile_runs(lo, hi) {
            let (key, k) = Board::tile_key(x, y);
            if let Some(routes) = self.tile(key, hint).and_then(|t| t.routes.as_deref()) {
                let run = &routes[k..=k + (end - x) as usize];
                used += run.iter().filter(|&&bits| bits != 0).count();
            }
        }
        used
    }

    /// Counts one route's use of the cell (x, y) in (`delta` 1) or out (-1) again: the
    /// direction bits of its line there, and whether the cell is its first or last.
    #[allow(clippy::too_many_arguments)]
    pub fn count(
        &mut self,
        (x, y): (i64, i64),
        bits: u8,
        first: bool,
        last: bool,
        delta: i32,
        hint: &mut Hint,
    ) {
        let (key, k) = Board::tile_key(x, y);
        if delta < 0 && self.tile(key, hint).is_none() {
            return;
        }
        let t = self.tile_number(key, hint);
        let (tile, spilled) = (&mut self.tiles[t], &mut self.spilled);
        let uses = &mut tile
            .uses
            .get_or_insert_with(|| Box::new([Uses::default(); TILE_CELLS]))[k];
        let was_routed = uses.bits() != 0;
        let mut step = |n: &mut u8, which: u8| {
            // Nearly every count stays within its byte: no need to look for it elsewhere.
            let next = i32::from(*n) + delta;
            if *n != SPILLED && (0..i32::from(SPILLED)).contains(&next) {
                *n = next as u8;
                return;
            }
            let at = (x, y, which);
            let count = count_of(*n, at, spilled).saturating_add_signed(delta);
            set_count(n, count, at, spilled);
        };
        for (d, n) in uses.dirs.iter_mut().enumerate() {
            if bits & (1 << d) != 0 {
                step(n, d as u8);
            }
        }
        if first {
            step(&mut uses.first, 4);
        }
        if last {
            step(&mut uses.last, 5);
        }
        let bits = uses.bits();
        match (was_routed, bits != 0) {
            (false, true) => tile.routed_cells += 1,
            (true, false) => tile.routed_cells -= 1,
            _ => {}
        }
        if tile.routed_cells == 0 {
            tile.uses = None;
            tile.routes = None;
        } else {
            tile.routes.get_or_insert_with(|| Box::new([0; TILE_CELLS]))[k] = bits;
        }
    }

    /// Takes in every route `other` counts, as if each had been counted here too (`count`),
    /// but a tile at a time, mostly by taking the tile's counts over: a board of the same
    /// boxes whose routes were found apart from this one's, on another thread.
    pub fn add_routes(&mut self, mut other: Board) {
        let mut spilled = std::mem::take(&mut self.spilled);
        // The counts past a byte of the tiles that are taken whole (those with no route
        // here yet) come along; the others' are read below, cell by cell.
        for (&at, &count) in &other.spilled {
            let (key, _) = Board::tile_key(at.0, at.1);
            let taken_whole = match self.tile_at.get(&key) {
                Some(&t) => self.tiles[t as usize].uses.is_none(),
                None => true,
            };
            if taken_whole {
                spilled.insert(at, count);
            }
        }
        for (&key, &t) in &other.tile_at {
            let theirs = &mut other.tiles[t as usize];
            let Some(their_uses) = theirs.uses.as_deref() else {
                continue;
            };
            let tile = self.tile_mut(key, &mut Hint::default());
            let Some(uses) = tile.uses.as_deref_mut() else {
                // No route here yet, as where routes were found apart: the counts are
                // taken whole.
                tile.uses = theirs.uses.take();
                tile.routes = theirs.routes.take();
                tile.routed_cells = theirs.routed_cells;
                continue;
            };
            let routes = tile.routes.get_or_insert_with(|| Box::new([0; TILE_CELLS]));
            for (k, their) in their_uses.iter().enumerate() {
                if their.bits() == 0 {
                    continue;
                }
                let (x, y) = Board::cell_of_tile(key, k);
                let ours = &mut uses[k];
                if ours.bits() == 0 {
                    tile.routed_cells += 1;
                }
                let counts = ours.counts_mut().into_iter().zip(their.counts());
                for (which, (n, m)) in counts.enumerate().filter(|(_, (_, m))| *m > 0) {
                    let at = (x, y, which as u8);
                    let count =
                        count_of(*n, at, &spilled).saturating_add(count_of(m, at, &other.spilled));
                    set_count(n, count, at, &mut spilled);
                }
                routes[k] = ours.bits();
            }
        }
        self.spilled = spilled;
    }

    /// The cell k of the tile `key`.
    fn cell_of_tile(key: (i32, i32), k: usize) -> (i64, i64) {
        let k = k as i64;
        (
            i64::from(key.0) * TILE_W + k % TILE_W,
            i64::from(key.1) * TILE_H + k / TILE_W,
        )
    }

    /// How many channels lie between two boxes: column channels wholly between them left to
    /// right plus row channels wholly between them top to bottom. 1 for neighbours in a row
    /// or a column, 2 for diagonal neighbours.
    pub fn channels_between(&self, a: Rect, b: Rect) -> usize {
        let (a, b) = (rect_bounds(a), rect_bounds(b));
        let between = |gaps: &Gaps, lo: i64, hi: i64| {
            gaps.partition_point(|g| g.1 < hi) - gaps.partition_point(|g| g.0 <= lo)
        };
        let columns = if a.2 < b.0 {
            between(&self.columns, a.2, b.0)
        } else if b.2 < a.0 {
            between(&self.columns, b.2, a.0)
        } else {
            0
        };
        let rows = if a.3 < b.1 {
            between(&self.rows, a.3, b.1)
        } else if b.3 < a.1 {
            between(&self.rows, b.3, a.1)
        } else {
            0
        };
        columns + rows
    }

    /// BLOCKED and HUGS for the cell (x, y), over all boxes.
    pub fn flags(&self, x: i64, y: i64) -> u8 {
        self.at(x, y).0
    }

    /// Sets the flags of a box's cells and side cells in the tiles.
    fn paint(&mut self, r: Rect) {
        let (x0, y0, x1, y1) = rect_bounds(r);
        // Tile by tile: the spans of each row of the box and its ring.
        for ty in (y0 - 1).div_euclid(TILE_H)..=(y1 + 1).div_euclid(TILE_H) {
            for tx in (x0 - 1).div_euclid(TILE_W)..=(x1 + 1).div_euclid(TILE_W) {
                let (cx, cy) = (tx * TILE_W, ty * TILE_H);
                let tile = &mut self
                    .tile_mut((tx as i32, ty as i32), &mut Hint::default())
                    .boxes;
                let mut or = |y: i64, xa: i64, xb: i64, bits: u8| {
                    let (xa, xb) = (xa.max(cx) - cx, xb.min(cx + TILE_W - 1) - cx);
                    if xa <= xb {
                        // `bits` in every two-bit field from xa to xb, in one OR.
                        let every = u32::from(bits) * 0x5555_5555;
                        let span = (u64::MAX >> (64 - 2 * (xb - xa + 1))) << (2 * xa);
                        tile[(y - cy) as usize] |= every & span as u32;
                    }
                };
                for y in (y0 - 1).max(cy)..=(y1 + 1).min(cy + TILE_H - 1) {
                    if y == y0 - 1 || y == y1 + 1 {
                        or(y, x0, x1, HUGS);
                    } else {
                        or(y, x0 - 1, x0 - 1, HUGS);
                        or(y, x0, x1, BLOCKED);
                        or(y, x1 + 1, x1 + 1, HUGS);
                    }
                }
            }
        }
    }
}

/// BLOCKED inside `r`, HUGS on a side cell of it (not a diagonal corner), else 0.
fn flags_of(r: Rect, x: i64, y: i64) -> u8 {
    let (x0, y0, x1, y1) = rect_bounds(r);
    let inside_x = (x0..=x1).contains(&x);
    let inside_y = (y0..=y1).contains(&y);
    if inside_x && inside_y {
        BLOCKED
    } else if (inside_x && (y == y0 - 1 || y == y1 + 1))
        || (inside_y && (x == x0 - 1 || x == x1 + 1))
    {
        HUGS
    } else {
        0
    }
}

/// The parts of lo..=hi that none of the spans covers, in order.
fn gaps(mut spans: Vec<(i64, i64)>, lo: i64, hi: i64) -> Gaps {
    spans.sort_unstable();
    let mut gaps = Vec::new();
    let mut free = lo;
    for (a, b) in spans {
        if a > free {
            gaps.push((free, a - 1));
        }
        free = free.max(b + 1);
    }
    if free <= hi {
        gaps.push((free, hi));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{DOWN, LEFT, RIGHT, UP};

    #[test]
    fn flags_match_the_boxes_cell_by_cell() {
        let rects = vec![
            Rect::new(0, 0, 18, 5),
            Rect::new(24, 0, 18, 5),
            Rect::new(-30, 7, 3, 2),
            Rect::new(19, -200, 4, 400),
            Rect::new(5, 20, 100_000, 3),
            Rect::new(50, 50, 0, 5),
        ];
        let mut boxes = Board::new(rects.clone());
        assert_eq!(boxes.large, vec![4]);
        for y in -210..60 {
            for x in -40..120 {
                let want = rects
                    .iter()
                    .filter(|r| r.is_routable())
                    .fold(0, |f, &r| f | flags_of(r, x, y));
                assert_eq!(boxes.flags(x, y), want, "({x}, {y})");
            }
        }
        assert_eq!(boxes.flags(1, 1), BLOCKED);
        assert_eq!(boxes.flags(18, 1), HUGS);
        assert_eq!(boxes.flags(23, 250), 0);
        // Route bits stay when the boxes change, box flags go.
        let mut hint = Hint::default();
        boxes.count((1, 1), 3, true, false, 1, &mut hint);
        boxes.count((1, 1), 1, false, false, 1, &mut hint);
        boxes.count((-1000, 5000), 0, false, true, 1, &mut hint);
        boxes.set_boxes(vec![Rect::new(0, 0, 2, 2)]);
        assert_eq!(boxes.at(1, 1), (BLOCKED, STARTS | 3));
        assert_eq!(boxes.at(-1000, 5000), (0, ENDS));
        assert_eq!(boxes.at(24, 1), (0, 0));
        assert!(boxes.large.is_empty());
        // Counted out again, bit by bit.
        boxes.count((1, 1), 3, true, false, -1, &mut hint);
        assert_eq!(boxes.at(1, 1), (BLOCKED, 1));
        boxes.count((1, 1), 1, false, false, -1, &mut hint);
        boxes.count((-1000, 5000), 0, false, true, -1, &mut hint);
        assert_eq!(boxes.at(1, 1), (BLOCKED, 0));
        assert_eq!(boxes.at(-1000, 5000), (0, 0));
        // Counting out where nothing was counted changes nothing.
        boxes.count((77, 77), 15, true, true, -1, &mut hint);
        assert_eq!(boxes.at(77, 77), (0, 0));
        // Every route counted out: no tile keeps route bits or counts.
        assert!(
            boxes
                .tiles
                .iter()
                .all(|t| t.uses.is_none() && t.routes.is_none())
        );
    }

    #[test]
    fn a_tile_keeps_route_counts_while_a_route_is_there() {
        let mut board = Board::new(vec![Rect::new(0, 0, 10, 4)]);
        let mut hint = Hint::default();
        let held = |board: &Board| board.tiles.iter().filter(|t| t.uses.is_some()).count();
        // Two routes along row 6 from x = 0, one 40 cells long (three tiles), one 10.
        for len in [40, 10] {
            for x in 0..len {
                board.count((x, 6), 2 | 8, x == 0, x == len - 1, 1, &mut hint);
            }
        }
        assert_eq!(held(&board), 3);
        // The long one goes: the tile the short one shares keeps both bits and counts.
        for x in 0..40 {
            board.count((x, 6), 2 | 8, x == 0, x == 39, -1, &mut hint);
        }
        assert_eq!(held(&board), 1);
        assert_eq!(board.at(3, 6), (0, 2 | 8));
        assert_eq!(board.at(0, 6), (0, STARTS | 2 | 8));
        assert_eq!(board.at(9, 6), (0, ENDS | 2 | 8));
        assert_eq!(board.at(20, 6), (0, 0));
        for x in 0..10 {
            board.count((x, 6), 2 | 8, x == 0, x == 9, -1, &mut hint);
        }
        assert_eq!(held(&board), 0);
        assert_eq!(board.at(3, 6), (0, 0));
    }

    #[test]
    fn counts_past_a_byte_stay_exact() {
        let mut board = Board::new(vec![Rect::new(0, 0, 10, 4)]);
        let mut hint = Hint::default();
        // 600 routes start at (3, 6) heading right; all but one go again.
        for _ in 0..600 {
            board.count((3, 6), RIGHT, true, false, 1, &mut hint);
        }
        for _ in 0..599 {
            board.count((3, 6), RIGHT, true, false, -1, &mut hint);
        }
        assert_eq!(board.at(3, 6), (0, STARTS | RIGHT));
        assert_eq!(board.spilled.len(), 0, "one route fits in a byte");
        board.count((3, 6), RIGHT, true, false, -1, &mut hint);
        assert_eq!(board.at(3, 6), (0, 0));
        // Forgetting more than was remembered leaves nothing, not a count below zero.
        board.count((3, 6), RIGHT, true, false, -1, &mut hint);
        assert_eq!(board.at(3, 6), (0, 0));
    }

    /// A board that takes in another's routes (`add_routes`) reads, cell by cell, as one
    /// that counted them all itself, counts past a byte included, and forgets them exactly.
    #[test]
    fn routes_taken_from_another_board_count_as_counted_here() {
        let boxes = vec![Rect::new(0, 0, 10, 4), Rect::new(30, 12, 10, 4)];
        let (mut here, mut there, mut all) = (
            Board::new(boxes.clone()),
            Board::new(boxes.clone()),
            Board::new(boxes),
        );
        // A hint belongs to one board.
        let mut hints = [Hint::default(); 3];
        // (cell, bits, first, last, how many on each board): lines crossing tiles, a cell
        // only the other board has, and counts that pass a byte only added together or
        // already on one board.
        let mut uses = vec![
            ((3, 6), RIGHT, true, false, (200, 100)),
            ((40, 5), UP | DOWN, false, true, (10, 300)),
            ((41, 5), UP | DOWN, false, false, (300, 400)),
            ((-5, -9), LEFT, false, false, (0, 1)),
            // A tile only the other board has lines in, one of them past a byte.
            ((200, 40), RIGHT, false, true, (0, 300)),
            ((201, 40), LEFT | RIGHT, false, false, (0, 2)),
        ];
        for x in 10..40 {
            uses.push(((x, 8), LEFT | RIGHT, false, false, (x as u32 % 3, 2)));
        }
        for &(at, bits, first, last, (a, b)) in &uses {
            for _ in 0..a {
                here.count(at, bits, first, last, 1, &mut hints[0]);
                all.count(at, bits, first, last, 1, &mut hints[2]);
            }
            for _ in 0..b {
                there.count(at, bits, first, last, 1, &mut hints[1]);
                all.count(at, bits, first, last, 1, &mut hints[2]);
            }
        }
        here.add_routes(there);
        let mut hint = Hint::default();
        for y in -12..20 {
            for x in -8..45 {
                assert_eq!(here.at(x, y), all.at(x, y), "({x}, {y})");
            }
        }
        // The counts are exact: the line stays until its last route is forgotten, and then
        // nothing is left, not even the tiles' counts.
        for &(at, bits, first, last, (a, b)) in &uses {
            for _ in 1..a + b {
                here.count(at, bits, first, last, -1, &mut hint);
            }
            assert_eq!(here.at(at.0, at.1), all.at(at.0, at.1), "{at:?}");
            here.count(at, bits, first, last, -1, &mut hint);
            assert_eq!(here.at(at.0, at.1).1, 0, "{at:?}");
        }
        assert!(here.spilled.is_empty());
        assert!(
            here.tiles
                .iter()
                .all(|t| t.uses.is_none() && t.routes.is_none())
        );
    }

    #[test]
    fn channels_are_the_gaps_between_columns_and_rows() {
        let boxes = Board::new(vec![
            Rect::new(0, 0, 18, 5),
            Rect::new(24, 0, 10, 5),
            Rect::new(0, 7, 20, 5),
        ]);
        assert_eq!(boxes.limit, Some((-2, -2, 35, 13)));
        assert_eq!(boxes.columns, vec![(-2, -1), (20, 23), (34, 35)]);
        assert_eq!(boxes.rows, vec![(-2, -1), (5, 6), (12, 13)]);
        assert!(Board::new(Vec::new()).columns.is_empty());
        let grid = |c: i32, r: i32| Rect::new(c * 24, r * 7, 18, 5);
        let boxes = Board::new((0..30).map(|i| grid(i % 10, i / 10)).collect());
        assert_eq!(boxes.channels_between(grid(0, 0), grid(1, 0)), 1);
        assert_eq!(boxes.channels_between(grid(1, 0), grid(0, 0)), 1);
        assert_eq!(boxes.channels_between(grid(0, 0), grid(0, 1)), 1);
        assert_eq!(boxes.channels_between(grid(1, 2), grid(0, 1)), 2);
        assert_eq!(boxes.channels_between(grid(9, 0), grid(0, 2)), 11);
    }
}
