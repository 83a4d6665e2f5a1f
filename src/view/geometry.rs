//! Where the grid's columns, rows and boxes sit in world characters. The map file's
//! `(col, row)` is the contract; each column's width and each gap's width come from the
//! boxes and link names they hold, within limits, at the current zoom. The editor,
//! `vsmap render` and the SVG export place boxes and route connections with this one
//! geometry, and the mouse finds cells with it.

use super::boxes::{Zoom, box_height, width_needed};
use crate::model::map::{Cell, Map};
use crate::route;
use crate::text::shown;
use rustc_hash::FxHashMap;
use unicode_width::UnicodeWidthStr;

/// Rows of artifact name a link between neighbouring boxes may take above its line.
pub const LABEL_LINES: usize = 3;

/// Most characters of an artifact name that sizing looks at.
const NAME_CHARS: usize = 200;

/// The sizes of the grid's columns, rows, boxes and gaps at one zoom level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geometry {
    pub zoom: Zoom,
    /// Blank world characters left of column 0 and above row 0, so that a connection that
    /// loops round the first row or column stays on the canvas.
    margin: (i32, i32),
    /// Per column, from 0 to the last column that holds a step: its left edge, its box's
    /// width and the gap after it.
    col_x: Vec<i32>,
    box_w: Vec<i32>,
    gap_w: Vec<i32>,
    /// Per row likewise.
    row_y: Vec<i32>,
    box_h: Vec<i32>,
    gap_h: Vec<i32>,
    /// Columns and rows past the map's last: empty cells of the default size.
    default_box: (i32, i32),
    default_gap: (i32, i32),
}

impl Default for Geometry {
    fn default() -> Geometry {
        Geometry::empty(Zoom::Normal)
    }
}

impl Geometry {
    /// Every cell the default size of its zoom.
    pub fn empty(zoom: Zoom) -> Geometry {
        let (min_inner, _) = zoom.inner_width();
        let (box_h, gap_w, gap_h, margin) = match zoom {
            Zoom::Overview => (4, 3, 2, (1, 1)),
            Zoom::Normal => (6, 6, 3, (3, 2)),
            Zoom::Detail => (7, 6, 3, (3, 2)),
        };
        Geometry {
            zoom,
            margin,
            col_x: Vec::new(),
            box_w: Vec::new(),
            gap_w: Vec::new(),
            row_y: Vec::new(),
            box_h: Vec::new(),
            gap_h: Vec::new(),
            default_box: (min_inner as i32 + 2, box_h),
            default_gap: (gap_w, gap_h),
        }
    }

    /// The geometry of a map at a zoom: each column as wide as its widest box needs (and
    /// each gap as wide as the names of the links across it need), each row as high as its
    /// tallest box.
    pub fn new(map: &Map, zoom: Zoom) -> Geometry {
        let mut g = Geometry::empty(zoom);
        let Some(cols) = map.steps.iter().map(|s| usize::from(s.at.col) + 1).max() else {
            return g;
        };
        let rows = map
            .steps
            .iter()
            .map(|s| usize::from(s.at.row) + 1)
            .max()
            .unwrap_or(1);
        g.box_w = vec![g.default_box.0; cols];
        g.box_h = vec![g.default_box.1; rows];
        g.gap_w = vec![g.default_gap.0; cols];
        g.gap_h = vec![g.default_gap.1; rows];
        let day = map.day_minutes();
        for step in &map.steps {
            let (c, r) = (usize::from(step.at.col), usize::from(step.at.row));
            let inner = width_needed(step, zoom, day);
            g.box_w[c] = g.box_w[c].max(inner as i32 + 2);
            if zoom == Zoom::Detail {
                // The height needs the width, which is known only once the column is sized:
                // measured below.
                continue;
            }
            let height = box_height(step, zoom, inner, day).max(4);
            g.box_h[r] = g.box_h[r].max(height as i32);
        }
        if zoom == Zoom::Detail {
            for step in &map.steps {
                let (c, r) = (usize::from(step.at.col), usize::from(step.at.row));
                let height = box_height(step, zoom, (g.box_w[c] - 2) as usize, day);
                g.box_h[r] = g.box_h[r].max(height as i32);
            }
        }
        g.size_gaps(map);
        g.place();
        g
    }

    /// Widens the gap between two neighbouring columns for the names of the links that
    /// cross it on one row, so each name stands on its link in at most `LABEL_LINES` lines.
    /// At overview every link carries a number: the gap holds the number, the mark and the
    /// arrow.
    fn size_gaps(&mut self, map: &Map) {
        if self.zoom == Zoom::Overview {
            // The number, the mark and the arrow.
            let digits = map.flows.len().max(1).to_string().len() as i32;
            for gap in &mut self.gap_w {
                *gap = (*gap).max(digits + 2);
            }
            return;
        }
        let cells: FxHashMap<&str, Cell> = map
            .steps
            .iter()
            .rev()
            .map(|s| (s.id.as_str(), s.at))
            .collect();
        let mut widths: FxHashMap<&str, Option<usize>> = FxHashMap::default();
        for flow in &map.flows {
            let (Some(artifact), Some(a), Some(b)) = (
                flow.artifact.as_deref(),
                cells.get(flow.from.as_str()),
                cells.get(flow.to.as_str()),
            ) else {
                continue;
            };
            if a.row != b.row || a.col.abs_diff(b.col) != 1 {
                continue;
            }
            let gap = usize::from(a.col.min(b.col));
            // Maps repeat a few dozen names thousands of times: measure each once.
            let width = *widths
                .entry(artifact)
                .or_insert_with(|| label_width(&shown(artifact, NAME_CHARS)));
            if let Some(width) = width {
                self.gap_w[gap] = self.gap_w[gap].max(width as i32 + 2);
            }
        }
    }

    /// Left and top edges from the sizes.
    fn place(&mut self) {
        self.col_x = edges(self.margin.0, &self.box_w, &self.gap_w);
        self.row_y = edges(self.margin.1, &self.box_h, &self.gap_h);
    }

    /// The left edge of a column's box.
    pub fn col_x(&self, col: u16) -> i32 {
        edge(
            &self.col_x,
            &self.box_w,
            &self.gap_w,
            self.margin.0,
            self.default_box.0 + self.default_gap.0,
            col,
        )
    }

    /// The top edge of a row's boxes.
    pub fn row_y(&self, row: u16) -> i32 {
        edge(
            &self.row_y,
            &self.box_h,
            &self.gap_h,
            self.margin.1,
            self.default_box.1 + self.default_gap.1,
            row,
        )
    }

    /// Where the view starts when it shows this column first: the margin before column 0,
    /// else the column's own edge.
    pub fn view_x(&self, col: u16) -> i32 {
        if col == 0 { 0 } else { self.col_x(col) }
    }

    pub fn view_y(&self, row: u16) -> i32 {
        if row == 0 { 0 } else { self.row_y(row) }
    }

    /// A column's width, its gap included.
    pub fn col_width(&self, col: u16) -> i32 {
        let c = usize::from(col);
        self.box_w.get(c).map_or(self.default_box.0, |&w| w)
            + self.gap_w.get(c).map_or(self.default_gap.0, |&g| g)
    }

    /// A row's height, its gap included.
    pub fn row_height(&self, row: u16) -> i32 {
        let r = usize::from(row);
        self.box_h.get(r).map_or(self.default_box.1, |&h| h)
            + self.gap_h.get(r).map_or(self.default_gap.1, |&g| g)
    }

    /// A step's box.
    pub fn box_rect(&self, cell: Cell) -> route::Rect {
        let (c, r) = (usize::from(cell.col), usize::from(cell.row));
        route::Rect {
            x: self.col_x(cell.col),
            y: self.row_y(cell.row),
            width: self.box_w.get(c).map_or(self.default_box.0, |&w| w),
            height: self.box_h.get(r).map_or(self.default_box.1, |&h| h),
        }
    }

    /// How far the map reaches from the view's origin at the first cell: the right edge of
    /// its last column's box and the bottom of its last row's, plus the margin.
    pub fn extent(&self, map: &Map) -> (i32, i32) {
        let last_col = map.steps.iter().map(|s| s.at.col).max().unwrap_or(0);
        let last_row = map.steps.iter().map(|s| s.at.row).max().unwrap_or(0);
        let r = self.box_rect(Cell::new(last_col, last_row));
        (
            r.x + r.width + self.margin.0 - self.view_x(0),
            r.y + r.height + self.margin.1 - self.view_y(0),
        )
    }

    /// The world x (inclusive) of the grid column x belongs to, as `cell_of` counts: from
    /// its box's left edge (column 0: from the margin) to the end of the gap after it.
    pub fn column_span(&self, x: i32) -> Option<(i32, i32)> {
        let col = self.col_at(x)?;
        let start = if col == 0 { 0 } else { self.col_x(col) };
        Some((start, self.col_x(col) + self.col_width(col) - 1))
    }

    /// The cell a world character belongs to: a column reaches from its box's left edge to
    /// the end of the gap after it; the margin belongs to the first column and row.
    pub fn cell_of(&self, x: i32, y: i32) -> Option<Cell> {
        if y < 0 {
            return None;
        }
        let row = index_at(
            &self.row_y,
            &self.box_h,
            &self.gap_h,
            self.margin.1,
            self.default_box.1 + self.default_gap.1,
            y,
        )?;
        Some(Cell::new(self.col_at(x)?, row))
    }

    /// The column world x belongs to (see `cell_of`); none left of the margin.
    fn col_at(&self, x: i32) -> Option<u16> {
        if x < 0 {
            return None;
        }
        index_at(
            &self.col_x,
            &self.box_w,
            &self.gap_w,
            self.margin.0,
            self.default_box.0 + self.default_gap.0,
            x,
        )
    }

    /// How many cells, from `from` on, have their whole box within `width` x `height`
    /// characters of the view that starts there (at least one each way).
    pub fn cells_in(&self, from: Cell, width: u16, height: u16) -> (u16, u16) {
        let count = |start: u16, room: u16, view: i32, end_of: &dyn Fn(u16) -> i32| {
            let mut n: u16 = 0;
            while let Some(i) = start.checked_add(n) {
                if end_of(i) - view > i32::from(room) {
                    break;
                }
                n += 1;
                if n > room {
                    break;
                }
            }
            n.max(1)
        };
        (
            count(from.col, width, self.view_x(from.col), &|c| {
                let r = self.box_rect(Cell::new(c, 0));
                r.x + r.width
            }),
            count(from.row, height, self.view_y(from.row), &|r| {
                let b = self.box_rect(Cell::new(0, r));
                b.y + b.height
            }),
        )
    }
}

/// The width a name needs to stand on its link in at most `LABEL_LINES` lines, or `None`
/// when even the widest gap would cut it (it then goes to the legend).
pub fn label_width(name: &str) -> Option<usize> {
    const MOST: usize = 22;
    let whole = name.width();
    if whole <= MOST {
        return Some(whole.max(1));
    }
    let longest_word = name
        .split_whitespace()
        .map(|w| w.width())
        .max()
        .unwrap_or(0);
    let mut width = whole.div_ceil(LABEL_LINES).max(longest_word).max(8);
    while width <= MOST {
        let lines = crate::text::wrap_whole(name, width);
        if lines.len() <= LABEL_LINES {
            return Some(lines.iter().map(|l| l.width()).max().unwrap_or(width));
        }
        width += 1;
    }
    None
}

fn edges(start: i32, boxes: &[i32], gaps: &[i32]) -> Vec<i32> {
    let mut at = start;
    boxes
        .iter()
        .zip(gaps)
        .map(|(b, g)| {
            let edge = at;
            at += b + g;
            edge
        })
        .collect()
}

fn edge(starts: &[i32], boxes: &[i32], gaps: &[i32], margin: i32, default: i32, i: u16) -> i32 {
    let i = usize::from(i);
    if let Some(&x) = starts.get(i) {
        return x;
    }
    let (end, n) = match starts.last() {
        Some(&last) => (
            last + boxes[starts.len() - 1] + gaps[starts.len() - 1],
            starts.len(),
        ),
        None => (margin, 0),
    };
    end + (i - n) as i32 * default
}

fn index_at(
    starts: &[i32],
    boxes: &[i32],
    gaps: &[i32],
    margin: i32,
    default: i32,
    x: i32,
) -> Option<u16> {
    let end = match starts.last() {
        Some(&last) => last + boxes[starts.len() - 1] + gaps[starts.len() - 1],
        None => margin,
    };
    let i = if x >= end {
        starts.len() + ((x - end) / default) as usize
    } else {
        // The last column whose left edge is at or before x; the margin is column 0's.
        starts.partition_point(|&s| s <= x).saturating_sub(1)
    };
    u16::try_from(i).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::activity::Activity;
    use crate::model::map::{Flow, Step};

    fn two_steps(label: &str, artifact: &str) -> Map {
        let mut map = Map::new("t");
        map.steps
            .push(Step::new("a", Activity::Engage, label, Cell::new(0, 0)));
        map.steps
            .push(Step::new("b", Activity::Plan, "short", Cell::new(1, 0)));
        map.flows
            .push(Flow::new("a", "b", Some(artifact.to_string())));
        map
    }

    #[test]
    fn columns_and_gaps_grow_with_what_they_hold() {
        let small = Geometry::new(&two_steps("x", "y"), Zoom::Normal);
        let big = Geometry::new(
            &two_steps(
                "A label of thirty or more characters",
                "Incidents, service requests, and feedback",
            ),
            Zoom::Normal,
        );
        assert!(big.box_rect(Cell::new(0, 0)).width > small.box_rect(Cell::new(0, 0)).width);
        let gap = |g: &Geometry| {
            g.box_rect(Cell::new(1, 0)).x
                - (g.box_rect(Cell::new(0, 0)).x + g.box_rect(Cell::new(0, 0)).width)
        };
        assert!(gap(&big) >= 14, "{}", gap(&big));
        assert_eq!(gap(&small), 6);
    }

    #[test]
    fn cells_are_found_from_characters_and_back() {
        let g = Geometry::new(&two_steps("a label", "Requests"), Zoom::Normal);
        for col in 0..5u16 {
            for row in 0..4u16 {
                let r = g.box_rect(Cell::new(col, row));
                assert_eq!(g.cell_of(r.x, r.y), Some(Cell::new(col, row)));
                assert_eq!(
                    g.cell_of(r.x + r.width + 1, r.y + r.height),
                    Some(Cell::new(col, row))
                );
            }
        }
        assert_eq!(g.cell_of(0, 0), Some(Cell::new(0, 0)), "the margin");
        assert_eq!(g.cell_of(-1, 0), None);
        let far = g.box_rect(Cell::new(u16::MAX, u16::MAX));
        assert_eq!(g.cell_of(far.x, far.y), Some(Cell::new(u16::MAX, u16::MAX)));
    }

    #[test]
    fn names_that_fit_three_lines_stand_on_the_link() {
        assert_eq!(label_width("Requests"), Some(8));
        let w = label_width("Incidents, service requests, and feedback").unwrap();
        assert!(w <= 22);
        assert_eq!(label_width(&"word ".repeat(40)), None);
    }
}
