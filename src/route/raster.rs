//! Routes turned into line cells and box-drawing glyphs.

use super::{DOWN, LEFT, RIGHT, Route, UP};
use rustc_hash::FxHashMap;

/// Line cells with the directions they connect to, built from routes; used for drawing.
#[derive(Debug, Clone, Default)]
pub struct Raster {
    /// Cells in first-seen order (route order, then point order) so iteration is stable.
    cells: Vec<RasterCell>,
    index: FxHashMap<(i32, i32), usize>,
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

    /// Every line cell with its mask and the routes through it, in a stable order: a
    /// painter of a whole map visits these instead of asking about every cell of it.
    pub fn lines(&self) -> impl Iterator<Item = ((i32, i32), u8, &[usize])> + '_ {
        self.cells
            .iter()
            .filter(|c| c.mask != 0)
            .map(|c| (c.pos, c.mask, c.routes.as_slice()))
    }

    /// How many cells have held a line: what visiting `lines` costs.
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
