//! Where the grid's columns, rows and boxes sit in world characters (the whole map drawn
//! from the origin). The editor, `vsmap render` and the SVG export place boxes and route
//! connections with this one geometry, and the mouse finds cells with it.

use crate::model::map::Cell;
use crate::route;

/// A grid cell is 24 characters wide and 7 rows high; its box is 18 x 5, centred, and the
/// gaps between boxes are the channels connections run through.
pub const CELL_W: i32 = 24;
pub const CELL_H: i32 = 7;
pub const BOX_W: i32 = 18;
pub const BOX_H: i32 = 5;
const BOX_DX: i32 = (CELL_W - BOX_W) / 2;
const BOX_DY: i32 = (CELL_H - BOX_H) / 2;

/// The sizes of the grid's cells and boxes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Geometry;

impl Geometry {
    /// Every cell the same size.
    pub fn uniform() -> Geometry {
        Geometry
    }

    /// The left edge of a column.
    pub fn col_x(&self, col: u16) -> i32 {
        i32::from(col) * CELL_W
    }

    /// The top edge of a row.
    pub fn row_y(&self, row: u16) -> i32 {
        i32::from(row) * CELL_H
    }

    /// A column's width, gaps included.
    pub fn col_width(&self, _col: u16) -> i32 {
        CELL_W
    }

    /// A row's height, gaps included.
    pub fn row_height(&self, _row: u16) -> i32 {
        CELL_H
    }

    /// A step's box.
    pub fn box_rect(&self, cell: Cell) -> route::Rect {
        route::Rect {
            x: self.col_x(cell.col) + BOX_DX,
            y: self.row_y(cell.row) + BOX_DY,
            width: BOX_W,
            height: BOX_H,
        }
    }

    /// The cell a world character belongs to, if any.
    pub fn cell_of(&self, x: i32, y: i32) -> Option<Cell> {
        let col = u16::try_from(x.div_euclid(CELL_W)).ok()?;
        let row = u16::try_from(y.div_euclid(CELL_H)).ok()?;
        (x >= 0 && y >= 0).then_some(Cell::new(col, row))
    }

    /// How many whole cells fit in `width` x `height` characters from `from` on (at least
    /// one each way).
    pub fn cells_in(&self, _from: Cell, width: u16, height: u16) -> (u16, u16) {
        let cols = (i32::from(width) / CELL_W).max(1);
        let rows = (i32::from(height) / CELL_H).max(1);
        (cols as u16, rows as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_sit_in_their_cells_with_channels_between() {
        let g = Geometry::uniform();
        let a = g.box_rect(Cell::new(0, 0));
        let b = g.box_rect(Cell::new(1, 0));
        assert_eq!((a.x, a.y, a.width, a.height), (3, 1, 18, 5));
        assert_eq!(b.x - (a.x + a.width), 6);
        assert_eq!(g.cell_of(a.x, a.y), Some(Cell::new(0, 0)));
        assert_eq!(g.cell_of(24, 7), Some(Cell::new(1, 1)));
        assert_eq!(g.cell_of(-1, 0), None);
    }
}
