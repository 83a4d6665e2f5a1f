//! Plans over the channels between boxes: the coarse route a long connection follows.
//!
//! The channels are the x and y intervals no box covers (`Board::columns` and `rows`): with
//! boxes laid out in columns and rows, of any sizes, they are the gaps between the columns
//! and between the rows, and every cell in them is free. Their middle lines form a grid of
//! free lines. A plan leaves the source from the middle of one side, goes straight out to
//! the nearest channel line, follows the lines with at most two bends, and enters the target
//! the same way. Sixteen candidates (four sides at each end) are priced by length, bends and
//! sides that face away; the cheapest whose cells are all free wins.
//!
//! A plan costs a few binary searches and one walk along its cells, whatever the map's
//! size. It is the route of last resort (`How::Fallback`), the provisional route the editor
//! draws while the real one is not ready, and the outline of the corridor the search of a
//! long connection is confined to.

use super::board::{BLOCKED, Board, Gaps, Hint};
use super::{Bounds, Dir, Rect, Route, expand, rect_bounds};

/// A plan longer than this many cells is not made: two boxes a billion cells apart have no
/// route, as they had none before plans.
const MAX_PLAN_CELLS: i64 = 1 << 20;

/// Price of one bend, in cells, when candidates are compared: a long line with few bends
/// reads better than a slightly shorter one with more.
const BEND: i64 = 12;
/// Price of leaving or entering by a side that does not face the other box.
const AWAY: i64 = 4;

/// A coarse route: its corners, from the source's side cell to the target's side cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub corners: Vec<(i64, i64)>,
    pub leave: Dir,
    pub arrow: Dir,
    /// One rectangle (inclusive bounds) per leg: a stub's is the whole side of its box out
    /// to the channel's far edge, a channel leg's the whole width of its channel.
    pub legs: Vec<Bounds>,
    cost: i64,
}

impl Plan {
    /// The plan's cells as a route.
    pub fn route(&self) -> Route {
        let mut points = vec![to_i32(self.corners[0])];
        for w in self.corners.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = ((b.0 - a.0).signum(), (b.1 - a.1).signum());
            let mut p = a;
            while p != b {
                p = (p.0 + dx, p.1 + dy);
                points.push(to_i32(p));
            }
        }
        Route {
            points,
            arrow: self.arrow,
            leave: self.leave,
        }
    }

    /// Number of cells.
    fn cells(&self) -> i64 {
        1 + self
            .corners
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs())
            .sum::<i64>()
    }

    /// Whether every cell is outside every box.
    fn is_free(&self, board: &Board) -> bool {
        let mut hint = Hint::default();
        let mut blocked = |(x, y): (i64, i64)| board.at_hinted(x, y, &mut hint).0 & BLOCKED != 0;
        let mut p = self.corners[0];
        if blocked(p) {
            return false;
        }
        for w in self.corners.windows(2) {
            let (dx, dy) = ((w[1].0 - w[0].0).signum(), (w[1].1 - w[0].1).signum());
            while p != w[1] {
                p = (p.0 + dx, p.1 + dy);
                if blocked(p) {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the first and last cells are outside every box.
    fn ends_free(&self, board: &Board) -> bool {
        [self.corners[0], self.corners[self.corners.len() - 1]]
            .iter()
            .all(|&(x, y)| board.flags(x, y) & BLOCKED == 0)
    }
}

/// Coordinates of a plan are those of cells around routable boxes: always i32.
fn to_i32((x, y): (i64, i64)) -> (i32, i32) {
    (x as i32, y as i32)
}

/// A channel's middle line: horizontal (a y) or vertical (an x), by channel index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Row(usize),
    Column(usize),
}

/// Where a plan leaves or enters a box: the middle side cell, and the point straight out
/// from it on the nearest channel line.
#[derive(Debug, Clone, Copy)]
struct Port {
    side: Dir,
    cell: (i64, i64),
    line: Line,
    on_line: (i64, i64),
    /// The stub's rectangle: the whole side, out to the far edge of the channel.
    stub: Bounds,
}

fn middle((lo, hi): (i64, i64)) -> i64 {
    (lo + hi).div_euclid(2)
}

fn port(board: &Board, r: Rect, side: Dir) -> Option<Port> {
    let (x0, y0, x1, y1) = rect_bounds(r);
    let (mx, my) = (x0 + (x1 - x0) / 2, y0 + (y1 - y0) / 2);
    let (cols, rows) = (&board.columns, &board.rows);
    let before = |gaps: &Gaps, v: i64| gaps.partition_point(|g| g.1 < v).checked_sub(1);
    let after = |gaps: &Gaps, v: i64| Some(gaps.partition_point(|g| g.0 <= v));
    let (cell, line) = match side {
        Dir::Up => ((mx, y0 - 1), Line::Row(before(rows, y0)?)),
        Dir::Down => ((mx, y1 + 1), Line::Row(after(rows, y1)?)),
        Dir::Left => ((x0 - 1, my), Line::Column(before(cols, x0)?)),
        Dir::Right => ((x1 + 1, my), Line::Column(after(cols, x1)?)),
    };
    let (on_line, stub) = match line {
        Line::Row(j) => {
            let gap = *rows.get(j)?;
            let far = if side == Dir::Up { gap.0 } else { gap.1 };
            let (ylo, yhi) = (cell.1.min(far), cell.1.max(far));
            ((cell.0, middle(gap)), (x0 - 1, ylo, x1 + 1, yhi))
        }
        Line::Column(i) => {
            let gap = *cols.get(i)?;
            let far = if side == Dir::Left { gap.0 } else { gap.1 };
            let (xlo, xhi) = (cell.0.min(far), cell.0.max(far));
            ((middle(gap), cell.1), (xlo, y0 - 1, xhi, y1 + 1))
        }
    };
    Some(Port {
        side,
        cell,
        line,
        on_line,
        stub,
    })
}

/// The channel line to cross between two points on parallel lines: one between them
/// (the one nearest `to`), else the nearest one outside them.
fn crossing(gaps: &Gaps, from: i64, to: i64) -> Option<usize> {
    let (lo, hi) = (from.min(to), from.max(to));
    let first = gaps.partition_point(|&g| middle(g) < lo);
    let last = gaps.partition_point(|&g| middle(g) <= hi);
    if first < last {
        // Lines first..last lie between: take the one nearest the target.
        return Some(if to >= from { last - 1 } else { first });
    }
    let below = first.checked_sub(1);
    let above = (first < gaps.len()).then_some(first);
    match (below, above) {
        (Some(b), Some(a)) => Some(if lo - middle(gaps[b]) <= middle(gaps[a]) - hi {
            b
        } else {
            a
        }),
        (b, a) => b.or(a),
    }
}

/// The plan between two ports, if its lines can be joined.
fn join(board: &Board, src: &Port, dst: &Port) -> Option<Plan> {
    let (cols, rows) = (&board.columns, &board.rows);
    let leg = |a: (i64, i64), b: (i64, i64), line: Line| -> Bounds {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        match line {
            Line::Row(j) => (x0, rows[j].0, x1, rows[j].1),
            Line::Column(i) => (cols[i].0, y0, cols[i].1, y1),
        }
    };
    let mut corners = vec![src.cell, src.on_line];
    let mut legs = vec![src.stub];
    match (src.line, dst.line) {
        (Line::Row(a), Line::Row(b)) if a == b => {
            legs.push(leg(src.on_line, dst.on_line, src.line));
        }
        (Line::Column(a), Line::Column(b)) if a == b => {
            legs.push(leg(src.on_line, dst.on_line, src.line));
        }
        (Line::Row(_), Line::Column(_)) => {
            let corner = (dst.on_line.0, src.on_line.1);
            corners.push(corner);
            legs.push(leg(src.on_line, corner, src.line));
            legs.push(leg(corner, dst.on_line, dst.line));
        }
        (Line::Column(_), Line::Row(_)) => {
            let corner = (src.on_line.0, dst.on_line.1);
            corners.push(corner);
            legs.push(leg(src.on_line, corner, src.line));
            legs.push(leg(corner, dst.on_line, dst.line));
        }
        (Line::Row(_), Line::Row(_)) => {
            let i = crossing(cols, src.on_line.0, dst.on_line.0)?;
            let x = middle(cols[i]);
            let (a, b) = ((x, src.on_line.1), (x, dst.on_line.1));
            corners.extend([a, b]);
            legs.push(leg(src.on_line, a, src.line));
            legs.push(leg(a, b, Line::Column(i)));
            legs.push(leg(b, dst.on_line, dst.line));
        }
        (Line::Column(_), Line::Column(_)) => {
            let j = crossing(rows, src.on_line.1, dst.on_line.1)?;
            let y = middle(rows[j]);
            let (a, b) = ((src.on_line.0, y), (dst.on_line.0, y));
            corners.extend([a, b]);
            legs.push(leg(src.on_line, a, src.line));
            legs.push(leg(a, b, Line::Row(j)));
            legs.push(leg(b, dst.on_line, dst.line));
        }
    }
    corners.extend([dst.on_line, dst.cell]);
    legs.push(dst.stub);
    corners.dedup();
    // Corners in the middle of a straight run are not corners.
    let mut k = 1;
    while k + 1 < corners.len() {
        let (a, b, c) = (corners[k - 1], corners[k], corners[k + 1]);
        if (a.0 == b.0 && b.0 == c.0) || (a.1 == b.1 && b.1 == c.1) {
            corners.remove(k);
        } else {
            k += 1;
        }
    }
    let mut plan = Plan {
        corners,
        leave: src.side,
        arrow: dst.side.opposite(),
        legs,
        cost: 0,
    };
    plan.cost = plan.price();
    Some(plan)
}

impl Plan {
    /// Cells, bends (including the turns off the source side and onto the target side) and
    /// sides that face away.
    fn price(&self) -> i64 {
        let mut bends = 0;
        let mut heading = self.leave;
        for w in self.corners.windows(2) {
            let d = dir_between(w[0], w[1]);
            if d != heading {
                bends += if d == heading.opposite() { 2 } else { 1 };
                heading = d;
            }
        }
        if heading != self.arrow {
            bends += 1;
        }
        self.cells() + BEND * bends
    }
}

/// The direction of a straight run from `a` to `b` (a != b).
fn dir_between(a: (i64, i64), b: (i64, i64)) -> Dir {
    if b.0 > a.0 {
        Dir::Right
    } else if b.0 < a.0 {
        Dir::Left
    } else if b.1 > a.1 {
        Dir::Down
    } else {
        Dir::Up
    }
}

/// The sides of `a` that face `b` (direction bits); every side when they overlap.
fn facing(a: Rect, b: Rect) -> u8 {
    let (s, d) = (rect_bounds(a), rect_bounds(b));
    let mut bits = 0;
    if d.0 > s.2 {
        bits |= Dir::Right.bit();
    }
    if d.2 < s.0 {
        bits |= Dir::Left.bit();
    }
    if d.1 > s.3 {
        bits |= Dir::Down.bit();
    }
    if d.3 < s.1 {
        bits |= Dir::Up.bit();
    }
    if bits == 0 { 0xf } else { bits }
}

/// The cheapest plan from `src` to `dst` whose cells are all free; failing that the
/// cheapest whose two end cells are free (it may cross a box on the way: the boxes are not
/// laid out in columns and rows there); None when every end cell is in a box, when the
/// boxes have no channels, or when the plan would be absurdly long.
pub(super) fn plan(board: &Board, src: Rect, dst: Rect) -> Option<Plan> {
    if board.limit.is_none() || !src.is_routable() || !dst.is_routable() {
        return None;
    }
    let (out, into) = (facing(src, dst), facing(dst, src));
    let mut plans: Vec<Plan> = Vec::with_capacity(16);
    for s in Dir::ALL {
        let Some(a) = port(board, src, s) else {
            continue;
        };
        for d in Dir::ALL {
            let Some(b) = port(board, dst, d) else {
                continue;
            };
            if let Some(mut p) = join(board, &a, &b) {
                p.cost += AWAY * (i64::from(out & s.bit() == 0) + i64::from(into & d.bit() == 0));
                if p.cells() <= MAX_PLAN_CELLS {
                    plans.push(p);
                }
            }
        }
    }
    // Stable: equal prices keep the fixed order of sides, so plans are deterministic.
    plans.sort_by_key(|p| p.cost);
    let free_ends = |p: &&Plan| p.ends_free(board);
    plans
        .iter()
        .filter(free_ends)
        .find(|p| p.is_free(board))
        .or_else(|| plans.iter().find(free_ends))
        .cloned()
}

/// Every rectangle of a plan's corridor: its legs and the two boxes' rings, grown by
/// `margin`, and clipped to the limit.
pub(super) fn corridor(
    plan: &Plan,
    src: Rect,
    dst: Rect,
    margin: i64,
    limit: Bounds,
) -> Vec<Bounds> {
    let ring = |r: Rect| expand(rect_bounds(r), 1);
    [ring(src), ring(dst)]
        .into_iter()
        .chain(plan.legs.iter().copied())
        .map(|b| expand(b, margin))
        .map(|b| {
            (
                b.0.max(limit.0),
                b.1.max(limit.1),
                b.2.min(limit.2),
                b.3.min(limit.3),
            )
        })
        .filter(|b| b.0 <= b.2 && b.1 <= b.3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(col: i32, row: i32) -> Rect {
        Rect::new(col * 24 + 3, row * 7 + 1, 18, 5)
    }

    #[test]
    fn neighbours_in_a_row_get_a_straight_plan_through_their_middles() {
        let boxes = Board::new(vec![grid(0, 0), grid(1, 0)]);
        let p = plan(&boxes, grid(0, 0), grid(1, 0)).unwrap();
        assert_eq!(p.corners, vec![(21, 3), (26, 3)]);
        assert_eq!((p.leave, p.arrow), (Dir::Right, Dir::Right));
        assert_eq!(p.route().points.len(), 6);
    }

    #[test]
    fn end_of_a_row_to_the_start_of_the_next_runs_along_the_channel_between() {
        let rects: Vec<Rect> = (0..40).map(|i| grid(i % 20, i / 20)).collect();
        let boxes = Board::new(rects.clone());
        let p = plan(&boxes, rects[19], rects[20]).unwrap();
        // Down out of the last box onto the channel (rows 6 and 7), left along its upper
        // row, down into the first box.
        assert_eq!((p.leave, p.arrow), (Dir::Down, Dir::Down));
        assert_eq!(p.corners, vec![(467, 6), (11, 6), (11, 7)]);
        assert!(p.is_free(&boxes));
    }

    #[test]
    fn boxes_of_varying_sizes_still_get_free_plans() {
        // Columns of different widths, rows of different heights, boxes not centred.
        let widths = [10, 30, 6, 18, 24];
        let heights = [3, 9, 5, 4];
        let mut rects = Vec::new();
        let mut y = 0;
        for (r, h) in heights.iter().enumerate() {
            let mut x = 0;
            for (c, w) in widths.iter().enumerate() {
                let shrink = ((r + c) % 3) as i32;
                rects.push(Rect::new(x + shrink, y, w - shrink, h - (shrink % 2)));
                x += w + 4 + c as i32;
            }
            y += h + 2 + r as i32;
        }
        let boxes = Board::new(rects.clone());
        for a in 0..rects.len() {
            for b in 0..rects.len() {
                if a == b {
                    continue;
                }
                let p = plan(&boxes, rects[a], rects[b]).unwrap();
                assert!(p.is_free(&boxes), "{a} -> {b}: {p:?}");
                let route = p.route();
                for w in route.points.windows(2) {
                    assert!(Dir::between(w[0], w[1]).is_some());
                }
                let (lx, ly) = *route.points.last().unwrap();
                let (dx, dy) = route.arrow.delta();
                assert!(rects[b].contains(lx + dx, ly + dy));
                let (fx, fy) = route.points[0];
                let (dx, dy) = route.leave.opposite().delta();
                assert!(rects[a].contains(fx + dx, fy + dy));
            }
        }
    }

    #[test]
    fn a_boxed_in_target_has_no_plan() {
        let rects = vec![
            Rect::new(40, 10, 5, 3),
            Rect::new(10, 10, 4, 3),
            Rect::new(8, 7, 8, 3),
            Rect::new(8, 13, 8, 3),
            Rect::new(7, 10, 3, 3),
            Rect::new(14, 10, 3, 3),
        ];
        let boxes = Board::new(rects.clone());
        assert_eq!(plan(&boxes, rects[0], rects[1]), None);
        assert!(plan(&boxes, rects[0], rects[5]).is_some());
    }
}
