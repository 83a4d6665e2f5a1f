//! Routes turned into line cells and box-drawing glyphs.

use super::{DOWN, LEFT, RIGHT, Route, UP};
use rustc_hash::FxHashMap;

/// Line cells with the directions they connect to, built from routes; used for drawing.
#[derive(Debug, Clone, Default)]
pub struct Raster {
    /// Cells in first-seen order (route order, then point order); where each is, the index
    /// knows.
    cells: Vec<RasterCell>,
    index: Index,
    spills: Spills,
    /// Cells every route has left, for new cells to take: the editor forgets and routes
    /// again as the view moves, and the raster must not grow with every route it ever held.
    free: Vec<usize>,
}

/// Tiles of cells, as in the router's board: a route's cells mostly share a tile with the
/// cell before, so finding one is an array read, not a hash lookup with a cache miss.
const TILE_W: i32 = 16;
const TILE_H: i32 = 8;
const TILE_CELLS: usize = (TILE_W * TILE_H) as usize;
const EMPTY: u32 = u32::MAX;

/// Where each line cell is in `cells`, by tile.
#[derive(Debug, Clone, Default)]
struct Index {
    tile_at: FxHashMap<(i32, i32), u32>,
    /// Per tile, the number in `cells` of each of its cells, or EMPTY.
    tiles: Vec<[u32; TILE_CELLS]>,
    /// Per tile, how many of its cells hold a line: a tile whose last line goes is given
    /// to the next new tile, so the editor, which forgets routes far from the view, keeps
    /// tiles only where lines are.
    filled: Vec<u16>,
    /// Tiles without lines, for new tiles to take.
    free: Vec<u32>,
    /// The last tile looked up: its key and number.
    last: Option<((i32, i32), u32)>,
}

impl Index {
    fn key(x: i32, y: i32) -> ((i32, i32), usize) {
        let key = (x.div_euclid(TILE_W), y.div_euclid(TILE_H));
        let k = y.rem_euclid(TILE_H) * TILE_W + x.rem_euclid(TILE_W);
        (key, k as usize)
    }

    /// The place of cell `k` of tile `key`.
    fn pos(key: (i32, i32), k: usize) -> (i32, i32) {
        let k = k as i32;
        (key.0 * TILE_W + k % TILE_W, key.1 * TILE_H + k / TILE_W)
    }

    fn get(&self, (x, y): (i32, i32)) -> Option<usize> {
        let (key, k) = Index::key(x, y);
        let t = match self.last {
            Some((last, t)) if last == key => t,
            _ => *self.tile_at.get(&key)?,
        };
        let i = self.tiles[t as usize][k];
        (i != EMPTY).then_some(i as usize)
    }

    /// The cell's number, made with `make` if it has none.
    /// Forgets the cell at (x, y); its tile too when it was the tile's last.
    fn clear(&mut self, (x, y): (i32, i32)) {
        let (key, k) = Index::key(x, y);
        let Some(&t) = self.tile_at.get(&key) else {
            return;
        };
        let slot = &mut self.tiles[t as usize][k];
        if *slot == EMPTY {
            return;
        }
        *slot = EMPTY;
        self.filled[t as usize] -= 1;
        if self.filled[t as usize] == 0 {
            self.tile_at.remove(&key);
            self.free.push(t);
            if self.last.is_some_and(|(_, last)| last == t) {
                self.last = None;
            }
        }
    }

    /// Makes the tile `key` with these cell numbers, `filled` of them cells, in a tile let
    /// go if there is one; returns its number.
    fn new_tile(&mut self, key: (i32, i32), cells: [u32; TILE_CELLS], filled: u16) -> u32 {
        let t = match self.free.pop() {
            Some(t) => {
                self.tiles[t as usize] = cells;
                self.filled[t as usize] = filled;
                t
            }
            None => {
                self.tiles.push(cells);
                self.filled.push(filled);
                (self.tiles.len() - 1) as u32
            }
        };
        self.tile_at.insert(key, t);
        t
    }

    fn get_or_insert(&mut self, (x, y): (i32, i32), make: impl FnOnce() -> usize) -> usize {
        let (key, k) = Index::key(x, y);
        let t = match self.last {
            Some((last, t)) if last == key => t,
            _ => {
                let t = match self.tile_at.get(&key) {
                    Some(&t) => t,
                    None => self.new_tile(key, [EMPTY; TILE_CELLS], 0),
                };
                self.last = Some((key, t));
                t
            }
        };
        let slot = &mut self.tiles[t as usize][k];
        if *slot == EMPTY {
            *slot = u32::try_from(make()).expect("fewer than 4 billion line cells");
            self.filled[t as usize] += 1;
        }
        *slot as usize
    }
}

/// Routes a cell keeps in itself; more spill into the raster's side lists. Five because
/// that is what overlapping lines come to: the links between the same two rows of a long
/// map share one plan through the channel between them until they are routed, five of them
/// on a map whose steps link five ahead.
const FEW: usize = 5;
/// `RasterCell::count` of a cell whose routes are in a side list.
const SPILLED: u8 = u8::MAX;

/// A line cell: the OR of its routes' bits, and the routes through it, each with its own
/// bits there, so one route can be taken out again. A cell takes 24 bytes with up to five
/// routes, no allocation of its own; where it is, the index knows (a map's millions of
/// cells are most of the raster, and most of its first touches of memory).
#[derive(Debug, Clone, Default)]
struct RasterCell {
    mask: u8,
    /// How many of `few` hold routes; SPILLED: `few[0]` is the number of the side list
    /// that holds them all.
    count: u8,
    few: [u32; FEW],
}

impl RasterCell {
    fn entries<'a>(&'a self, spills: &'a [Vec<u32>]) -> &'a [u32] {
        if self.count == SPILLED {
            &spills[self.few[0] as usize]
        } else {
            &self.few[..usize::from(self.count)]
        }
    }
}

/// A route's number and its bits in a cell, as a cell keeps them.
fn entry(r: usize, bits: u8) -> u32 {
    let r = u32::try_from(r)
        .ok()
        .filter(|&r| r < 1 << 28)
        .expect("fewer than 268 million routes");
    r << 4 | u32::from(bits & 0xf)
}

fn route_of(entry: u32) -> usize {
    (entry >> 4) as usize
}

fn bits_of(entry: u32) -> u8 {
    (entry & 0xf) as u8
}

/// The numbers of the routes through a cell.
#[derive(Debug, Clone)]
pub struct RouteNumbers<'a>(std::slice::Iter<'a, u32>);

impl<'a> RouteNumbers<'a> {
    /// The routes left to go through, with their bits in the cell: two cells with the
    /// same are passed by the same routes.
    pub fn entries(&self) -> &'a [u32] {
        self.0.as_slice()
    }

    /// The routes left to go through, each with the bits of its line in the cell.
    pub fn with_bits(&self) -> impl Iterator<Item = (usize, u8)> + 'a {
        self.0.clone().map(|&e| (route_of(e), bits_of(e)))
    }
}

impl Iterator for RouteNumbers<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        self.0.next().map(|&e| route_of(e))
    }
}

/// The side lists of cells with more than FEW routes, and the numbers of those let go, for
/// the next cell that spills to take (a list let go gives its memory back).
#[derive(Debug, Clone, Default)]
struct Spills {
    lists: Vec<Vec<u32>>,
    free: Vec<u32>,
}

impl Spills {
    /// Adds `bits` for route `r` to the cell.
    fn add(&mut self, cell: &mut RasterCell, r: usize, bits: u8) {
        let new = entry(r, bits);
        if cell.count == SPILLED {
            let list = &mut self.lists[cell.few[0] as usize];
            match list.iter_mut().find(|e| route_of(**e) == r) {
                Some(e) => *e |= new,
                None => list.push(new),
            }
            return;
        }
        let count = usize::from(cell.count);
        if let Some(e) = cell.few[..count].iter_mut().find(|e| route_of(**e) == r) {
            *e |= new;
        } else if count < FEW {
            cell.few[count] = new;
            cell.count += 1;
        } else {
            let mut list = Vec::with_capacity(FEW * 2);
            list.extend_from_slice(&cell.few);
            list.push(new);
            let k = match self.free.pop() {
                Some(k) => {
                    self.lists[k as usize] = list;
                    k
                }
                None => {
                    self.lists.push(list);
                    u32::try_from(self.lists.len() - 1).expect("fewer than 4 billion lists")
                }
            };
            cell.few[0] = k;
            cell.count = SPILLED;
        }
    }

    /// Takes route `r` out of the cell; returns the mask of the routes left.
    fn remove(&mut self, cell: &mut RasterCell, r: usize) -> Option<u8> {
        if cell.count == SPILLED {
            let k = cell.few[0];
            let list = &mut self.lists[k as usize];
            let at = list.iter().position(|&e| route_of(e) == r)?;
            list.remove(at);
            if list.len() <= FEW {
                // Back into the cell; the list is let go.
                let list = std::mem::take(list);
                cell.few[..list.len()].copy_from_slice(&list);
                cell.count = list.len() as u8;
                self.free.push(k);
            }
        } else {
            let count = usize::from(cell.count);
            let at = cell.few[..count].iter().position(|&e| route_of(e) == r)?;
            cell.few.copy_within(at + 1..count, at);
            cell.count -= 1;
        }
        Some(
            cell.entries(&self.lists)
                .iter()
                .fold(0, |m, &e| m | bits_of(e)),
        )
    }
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
            let i = self.cell_at(pos);
            let cell = &mut self.cells[i];
            // Overlapping routes OR their bits: crossings become '┼', merges '├'.
            cell.mask |= bits;
            self.spills.add(cell, r, bits);
        }
    }

    /// Takes in every line of `other`, as `add` would have taken in its routes one by one
    /// after this raster's: for routes drawn apart, on another thread. Where neither raster
    /// has free cells and they have no cell in common, the cells come out in the order
    /// `add` would have made them (drawing, which goes by tile, does not depend on it). Most
    /// of it is taking `other`'s cells and tiles over as they are: only the tiles both have
    /// lines in are gone through cell by cell.
    pub fn absorb(&mut self, other: Raster) {
        let Raster {
            mut cells,
            index,
            spills,
            free,
        } = other;
        let offset = u32::try_from(self.cells.len()).expect("fewer than 4 billion line cells");
        let lists = u32::try_from(self.spills.lists.len()).expect("fewer than 4 billion lists");
        for cell in &mut cells {
            if cell.count == SPILLED {
                cell.few[0] += lists;
            }
        }
        self.cells.extend(cells);
        self.free.extend(free.iter().map(|&i| i + offset as usize));
        self.spills.lists.extend(spills.lists);
        self.spills
            .free
            .extend(spills.free.iter().map(|&k| k + lists));
        self.index.last = None;
        for (key, t) in index.tile_at {
            let theirs = &index.tiles[t as usize];
            let Some(&mine) = self.index.tile_at.get(&key) else {
                let cells = theirs.map(|i| if i == EMPTY { EMPTY } else { i + offset });
                self.index.new_tile(key, cells, index.filled[t as usize]);
                continue;
            };
            for (k, &i) in theirs.iter().enumerate() {
                if i == EMPTY {
                    continue;
                }
                let taken = (i + offset) as usize;
                let slot = &mut self.index.tiles[mine as usize][k];
                if *slot == EMPTY {
                    *slot = i + offset;
                    self.index.filled[mine as usize] += 1;
                    continue;
                }
                // A cell both have: their routes join ours, and their cell is let go.
                let ours = *slot as usize;
                let theirs_cell = std::mem::take(&mut self.cells[taken]);
                let entries = theirs_cell.entries(&self.spills.lists).to_vec();
                if theirs_cell.count == SPILLED {
                    let k = theirs_cell.few[0];
                    self.spills.lists[k as usize] = Vec::new();
                    self.spills.free.push(k);
                }
                self.free.push(taken);
                let cell = &mut self.cells[ours];
                cell.mask |= theirs_cell.mask;
                for e in entries {
                    self.spills.add(cell, route_of(e), bits_of(e));
                }
            }
        }
    }

    /// The number of the cell at `pos`, made (or a free one taken) if there is none.
    fn cell_at(&mut self, pos: (i32, i32)) -> usize {
        let (cells, free) = (&mut self.cells, &mut self.free);
        self.index.get_or_insert(pos, || {
            let cell = RasterCell::default();
            match free.pop() {
                Some(i) => {
                    cells[i] = cell;
                    i
                }
                None => {
                    cells.push(cell);
                    cells.len() - 1
                }
            }
        })
    }

    /// Takes route number `r` out again (it was removed, or is to be routed anew).
    pub fn remove(&mut self, r: usize, route: &Route) {
        for (pos, _) in route.masks() {
            let Some(i) = self.index.get(pos) else {
                continue;
            };
            let cell = &mut self.cells[i];
            if let Some(mask) = self.spills.remove(cell, r) {
                cell.mask = mask;
                if cell.count == 0 {
                    self.index.clear(pos);
                    self.free.push(i);
                }
            }
        }
    }

    /// Bitmask of the directions the line at (x, y) connects to: UP=1, RIGHT=2, DOWN=4,
    /// LEFT=8. 0 if no line. The last point of each route also connects towards its target
    /// box (so the arrow cell is a line end); the first point connects towards its source.
    pub fn mask(&self, x: i32, y: i32) -> u8 {
        self.index.get((x, y)).map_or(0, |i| self.cells[i].mask)
    }

    /// The routes (indices into the routes slice) that pass through (x, y).
    pub fn routes_at(&self, x: i32, y: i32) -> RouteNumbers<'_> {
        self.index.get((x, y)).map_or(RouteNumbers([].iter()), |i| {
            RouteNumbers(self.cells[i].entries(&self.spills.lists).iter())
        })
    }

    /// Every line cell and its mask, row by row.
    pub fn cells(&self) -> impl Iterator<Item = ((i32, i32), u8)> + '_ {
        let mut cells: Vec<_> = self
            .index
            .tile_at
            .iter()
            .flat_map(|(&key, &t)| self.cells_of_tile(key, t))
            .filter(|(_, cell)| cell.mask != 0)
            .map(|(pos, cell)| (pos, cell.mask))
            .collect();
        cells.sort_unstable_by_key(|&((x, y), _)| (y, x));
        cells.into_iter()
    }

    /// The cells tile `t` holds, with where they are.
    fn cells_of_tile(
        &self,
        key: (i32, i32),
        t: u32,
    ) -> impl Iterator<Item = ((i32, i32), &RasterCell)> + '_ {
        self.index.tiles[t as usize]
            .iter()
            .enumerate()
            .filter(|&(_, &i)| i != EMPTY)
            .map(move |(k, &i)| (Index::pos(key, k), &self.cells[i as usize]))
    }

    /// The line cells in the columns `x0..x1` and rows `y0..y1`, with their masks and the
    /// routes through them, tile by tile: a painter of an area looks each tile up once, not
    /// each of its cells.
    pub fn lines_in(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
    ) -> impl Iterator<Item = ((i32, i32), u8, RouteNumbers<'_>)> + '_ {
        let empty = x1 <= x0 || y1 <= y0;
        let (first, _) = Index::key(x0, y0);
        let (last, _) = Index::key(x1.saturating_sub(1), y1.saturating_sub(1));
        let rows = first.1..=last.1;
        rows.filter(move |_| !empty)
            .flat_map(move |ty| (first.0..=last.0).map(move |tx| (tx, ty)))
            .filter_map(|key| Some((key, *self.index.tile_at.get(&key)?)))
            .flat_map(|(key, t)| self.cells_of_tile(key, t))
            .filter(move |&((x, y), c)| {
                c.mask != 0 && (x0..x1).contains(&x) && (y0..y1).contains(&y)
            })
            .map(|(pos, c)| {
                let routes = RouteNumbers(c.entries(&self.spills.lists).iter());
                (pos, c.mask, routes)
            })
    }

    /// How many cells the raster holds, lines or free.
    pub fn len(&self) -> usize {
        self.cells.len()
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
    use crate::route::Dir;

    fn across(y: i32, from: i32, to: i32) -> Route {
        Route {
            points: (from..=to).map(|x| (x, y)).collect(),
            arrow: Dir::Right,
            leave: Dir::Right,
        }
    }

    #[test]
    fn cells_every_route_left_are_taken_by_new_ones() {
        let (a, b, c) = (across(0, 0, 9), across(0, 5, 14), across(40, 100, 109));
        let mut raster = Raster::new(&[Some(a.clone()), Some(b.clone())]);
        assert_eq!(raster.len(), 15);
        assert_eq!(raster.routes_at(7, 0).collect::<Vec<_>>(), [0, 1]);
        raster.remove(0, &a);
        // Shared cells stay for the other route; the rest are free.
        assert_eq!(raster.routes_at(7, 0).collect::<Vec<_>>(), [1]);
        assert_eq!(raster.mask(2, 0), 0);
        assert_eq!(raster.routes_at(2, 0).count(), 0);
        raster.add(2, &c);
        assert_eq!(
            raster.len(),
            20,
            "the five free cells were taken, five more made"
        );
        assert_eq!(raster.routes_at(104, 40).collect::<Vec<_>>(), [2]);
        assert_eq!(
            raster.mask(2, 0),
            0,
            "a taken cell is not found at its old place"
        );
        raster.remove(1, &b);
        raster.remove(2, &c);
        assert!(raster.is_empty());
        assert_eq!(raster.cells().count(), 0);
        // Tiles without lines are let go, and taken again by lines elsewhere.
        assert!(raster.index.tile_at.is_empty());
        let tiles = raster.index.tiles.len();
        let far = across(-900, 5000, 5009);
        raster.add(3, &far);
        assert_eq!(raster.index.tiles.len(), tiles);
        assert_eq!(raster.routes_at(5004, -900).collect::<Vec<_>>(), [3]);
        assert_eq!(raster.mask(104, 40), 0);
    }
    /// A raster that takes in another's lines (`absorb`) is the raster that added all the
    /// routes itself: the same cells in the same order, with the same routes, crowded
    /// cells and cells both have included, and each route can be taken out again.
    #[test]
    fn a_raster_that_takes_in_another_is_one_that_added_every_route() {
        let down = |x: i32, from: i32, to: i32| Route {
            points: (from..=to).map(|y| (x, y)).collect(),
            arrow: Dir::Down,
            leave: Dir::Down,
        };
        let mut routes = vec![
            across(0, 0, 9),
            down(4, -3, 3),
            // In the second part: a crossing of the first's line, and a line on from it.
            down(7, -2, 2),
            across(0, 9, 15),
        ];
        // Routes down one column, more than a cell keeps in itself: in each part, and in
        // both.
        let crowded = [(60, 0, 6), (50, 6, 14), (70, 10, 18)];
        let split = 10;
        let mut parts = vec![0; 4];
        for (x, from, to) in crowded {
            for r in from..to {
                routes.push(down(x, 0, 40));
                parts.push(r);
            }
        }
        routes.push(across(20, 40, 60));
        parts.push(split);
        // A line of the first part across the second's crowded column: a cell both have.
        routes.push(across(5, 65, 75));
        parts.push(0);
        parts[2] = split;
        parts[3] = split;
        let (mut first, mut second) = (Raster::default(), Raster::default());
        for (r, route) in routes.iter().enumerate() {
            let part = if parts[r] < split {
                &mut first
            } else {
                &mut second
            };
            part.add(r, route);
        }
        // A tile let go, for a tile taken over to take; its cells are kept out of use, so
        // that the cells come in the order of `add`.
        let gone = across(-500, 0, 3);
        first.add(99, &gone);
        first.remove(99, &gone);
        first.free.clear();
        first.absorb(second);
        // The first part's routes added, then the second's.
        let mut all = Raster::default();
        for in_first in [true, false] {
            for (r, route) in routes.iter().enumerate() {
                if (parts[r] < split) == in_first {
                    all.add(r, route);
                }
            }
        }
        let listed = |raster: &Raster| -> Vec<_> {
            raster
                .cells()
                .map(|(p, mask)| (p, mask, raster.routes_at(p.0, p.1).collect::<Vec<_>>()))
                .collect()
        };
        assert_eq!(listed(&first), listed(&all));
        assert!(listed(&first).iter().any(|(_, _, r)| r.len() == 8));
        assert_eq!(first.routes_at(50, 3).count(), 8, "four from each part");
        assert_eq!(first.routes_at(70, 5).count(), 9, "one line across eight");
        for (r, route) in routes.iter().enumerate() {
            first.remove(r, route);
        }
        assert!(first.is_empty());
        assert!(first.index.tile_at.is_empty(), "every tile let go");
        assert!(
            first.spills.lists.iter().all(Vec::is_empty),
            "every list let go"
        );
    }

    #[test]
    fn a_cell_keeps_any_number_of_routes_in_order_and_gives_them_back() {
        assert_eq!(std::mem::size_of::<RasterCell>(), 24);
        let routes: Vec<Route> = (0..12).map(|_| across(3, 0, 4)).collect();
        let mut raster = Raster::new(&routes.iter().cloned().map(Some).collect::<Vec<_>>());
        let at = |raster: &Raster| raster.routes_at(2, 3).collect::<Vec<_>>();
        assert_eq!(at(&raster), (0..12).collect::<Vec<_>>());
        assert_eq!(
            raster.spills.lists.len(),
            5,
            "one side list per cell past five"
        );
        for r in [0, 5, 11, 7, 1, 2] {
            raster.remove(r, &routes[r]);
        }
        assert_eq!(at(&raster), [3, 4, 6, 8, 9, 10]);
        raster.remove(9, &routes[9]);
        // Five left: back in the cells, their lists free for other cells.
        assert_eq!(at(&raster), [3, 4, 6, 8, 10]);
        assert_eq!(raster.spills.free.len(), 5);
        assert_eq!(raster.mask(4, 3), LEFT | RIGHT);
        raster.add(20, &across(3, 4, 6));
        assert_eq!(
            raster.routes_at(4, 3).collect::<Vec<_>>(),
            [3, 4, 6, 8, 10, 20]
        );
        assert_eq!(raster.spills.lists.len(), 5, "a free list was taken");
        for r in [3, 4, 6, 8, 10] {
            raster.remove(r, &routes[r]);
        }
        assert_eq!(raster.routes_at(4, 3).collect::<Vec<_>>(), [20]);
        assert_eq!(raster.mask(4, 3), LEFT | RIGHT);
        assert_eq!(raster.mask(2, 3), 0);
        // The same route twice in a cell keeps one entry with both its bits.
        let bend = Route {
            points: vec![(10, 10), (11, 10), (11, 11), (10, 11), (10, 10)],
            arrow: Dir::Right,
            leave: Dir::Right,
        };
        raster.add(30, &bend);
        assert_eq!(raster.routes_at(10, 10).collect::<Vec<_>>(), [30]);
        raster.remove(30, &bend);
        assert_eq!(raster.mask(10, 10), 0);
    }

    #[test]
    fn lines_in_an_area_are_the_lines_found_cell_by_cell() {
        // Routes across tile edges and below zero, some taken out again.
        let routes: Vec<Route> = (0..12)
            .map(|k| across(k * 5 - 20, k * 7 - 40, k * 11 - 10))
            .collect();
        let mut raster = Raster::new(&routes.iter().cloned().map(Some).collect::<Vec<_>>());
        raster.remove(3, &routes[3]);
        raster.remove(8, &routes[8]);
        let areas = [
            ((-50, -30), (130, 40)),
            ((-3, -9), (17, 9)),
            ((5, 0), (6, 1)),
            ((10, 10), (10, 20)),
            ((20, 5), (0, 0)),
            ((i32::MIN, i32::MIN), (i32::MIN, i32::MIN)),
        ];
        for (from, to) in areas {
            let mut found: Vec<_> = raster
                .lines_in(from, to)
                .map(|(p, m, r)| (p, m, r.collect::<Vec<_>>()))
                .collect();
            found.sort();
            let mut want = Vec::new();
            for y in from.1.max(-60)..to.1.min(60) {
                for x in from.0.max(-60)..to.0.min(140) {
                    if raster.mask(x, y) != 0 {
                        want.push((
                            (x, y),
                            raster.mask(x, y),
                            raster.routes_at(x, y).collect::<Vec<_>>(),
                        ));
                    }
                }
            }
            want.sort();
            assert_eq!(found, want, "{from:?} to {to:?}");
        }
        assert!(raster.lines_in((-50, -30), (130, 40)).count() > 50);
    }
}
