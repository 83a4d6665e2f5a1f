//! In a hurry, a route along the one row channel two boxes both border (the gap between two
//! rows of boxes), worked out column by column instead of searched for.
//!
//! Of the routes that keep to the channel (and to the two rows beside it, between the
//! boxes there) and never step back the way they are heading, the cheapest by the search's
//! own costs: steps, turns, shared lanes, crossings, hugging. Such a route leaves the
//! source by the side that borders the channel or the one facing the target, takes a lane,
//! changes lanes where earlier lines fill it, and enters the target the same way. In a
//! channel that is all a route between two boxes in a row, or in neighbouring rows, ever
//! wants; a search around them or along a corridor would try every cell as cheap on the
//! way, a dozen heap pops for each cell of the channel where this looks at it once. Links
//! that skip a box or more along a row, and links from the end of one row to the start of
//! the next, are most of the work of routing a big map. Boxes in one row border two
//! channels: the one earlier lines use fewer cells of is worked out (both, when they use
//! as many).

use super::*;
use crate::route::board::Gaps;

/// The largest strip (lanes times columns) worked out: a longer one is left to the search,
/// which has a budget.
const MAX_STRIP_CELLS: usize = 1 << 22;
/// The most cells of a strip whose memory is kept for the next route.
const KEEP_CELLS: usize = 1 << 18;

/// The states of a cell, by the step that came into it: along the channel (towards the
/// target), up or down across it.
const ALONG: usize = 0;
const UPWARD: usize = 1;
const DOWNWARD: usize = 2;
/// Where a state came from: the state of the cell a step back (ALONG, UPWARD or DOWNWARD),
/// or the source itself.
const FROM_SOURCE: u8 = 3;

/// One cell of the strip: what the search would know of it, and its three states' least
/// costs and where each came from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lane {
    flags: u8,
    old: u8,
    /// What leaving the cell costs for what lies there (`passing_cost`).
    pass: u16,
    cost: [u32; 3],
    from: [u8; 3],
}

/// The strip's cells, kept between routes, and what its steps cost.
pub(super) struct Lanes {
    cells: Vec<Lane>,
    /// By the way a route runs (leftwards, rightwards), the earlier lines on the cell a
    /// step leaves, the state it leaves and the way it goes (as a state: along, up, down):
    /// the step's cost, besides what leaving the cell costs (`Lane::pass`).
    steps: [[[[u32; 3]; 3]; 16]; 2],
}

impl Lanes {
    pub(super) fn new(least: &Least) -> Lanes {
        let mut steps = [[[[0u32; 3]; 3]; 16]; 2];
        for (rightwards, by_old) in steps.iter_mut().enumerate() {
            let heading = headings(rightwards == 1);
            for (old, table) in by_old.iter_mut().enumerate() {
                for (state, row) in table.iter_mut().enumerate() {
                    for (go, cost) in row.iter_mut().enumerate() {
                        let exact = least.exact[old][heading[state].index()];
                        *cost = STEP * SCALE + exact[heading[go].index()];
                    }
                }
            }
        }
        Lanes {
            cells: Vec::new(),
            steps,
        }
    }
}

/// The direction of each state (ALONG, UPWARD, DOWNWARD) of a route running rightwards or
/// leftwards.
fn headings(rightwards: bool) -> [Dir; 3] {
    let along = if rightwards { Dir::Right } else { Dir::Left };
    [along, Dir::Up, Dir::Down]
}

/// The row channel both boxes border and how the route uses it: which way it runs, the
/// rows of the channel, the lane next to the source and the one next to the target, and
/// the arrow into the target.
#[derive(Debug, Clone, Copy)]
struct Strip {
    rightwards: bool,
    /// The first column (the source's far edge from the target) and how many there are.
    x0: i64,
    columns: usize,
    top: i64,
    lanes: usize,
    start_lane: usize,
    leave: Dir,
    goal_lane: usize,
    arrow: Dir,
    /// The first and last rows of the channel itself.
    channel: (i64, i64),
}

impl Strip {
    /// The lanes of the rows from `top` to `bottom` (inclusive) that lie in the strip.
    fn lanes_of(&self, top: i64, bottom: i64) -> std::ops::Range<usize> {
        let last = self.top + self.lanes as i64 - 1;
        let (a, b) = (top.max(self.top), bottom.min(last));
        if a > b {
            0..0
        } else {
            (a - self.top) as usize..(b - self.top + 1) as usize
        }
    }

    /// The least and the most x of the strip.
    fn extent(&self) -> (i64, i64) {
        let (a, b) = (self.x(0), self.x(self.columns - 1));
        (a.min(b), a.max(b))
    }

    /// How many cells the channel itself has across the strip's columns.
    fn channel_cells(&self) -> usize {
        (self.channel.1 - self.channel.0 + 1) as usize * self.columns
    }

    fn x(&self, column: usize) -> i64 {
        if self.rightwards {
            self.x0 + column as i64
        } else {
            self.x0 - column as i64
        }
    }
}

/// The row channel holding `y`, if any.
fn channel_at(rows: &Gaps, y: i64) -> Option<(i64, i64)> {
    let k = rows.partition_point(|g| g.1 < y);
    rows.get(k).copied().filter(|g| g.0 <= y)
}

impl Router {
    /// The route from `src` to `dst` along a row channel both border, their columns apart
    /// (see the module documentation), and its cost: of the channels above and below, the
    /// one fewer earlier lines run along, or the cheaper where they are as full. None when
    /// there is no such channel within the limit, or when the strips have more cells than
    /// `budget` pops (counting what the route's search spent).
    pub(super) fn along_a_row_channel(
        &mut self,
        src: Rect,
        dst: Rect,
        budget: u64,
    ) -> Option<(u32, Route)> {
        let strips = self.strips(src, dst);
        let strips = self.emptier(strips);
        let cells: u64 = strips
            .iter()
            .flatten()
            .map(|s| (s.lanes * s.columns) as u64)
            .sum();
        if self.work.pops.saturating_add(cells) > budget {
            return None;
        }
        let mut best: Option<(u32, Route)> = None;
        for strip in strips.into_iter().flatten() {
            if let Some((cost, route)) = self.work_out(&strip, src, dst)
                && best.as_ref().is_none_or(|b| cost < b.0)
            {
                best = Some((cost, route));
            }
        }
        best
    }

    /// Of the strips of two channels (boxes in a row border two), the one fewer earlier
    /// lines run along; both where they are as full. Working out only that one gives lines
    /// as good as the cheaper of both, on the big maps as few shared edges and bends
    /// (BENCHMARKS.md), for half the work. Looking costs a pop a cell of the channels.
    fn emptier(&mut self, mut strips: [Option<Strip>; 2]) -> [Option<Strip>; 2] {
        if let [Some(below), Some(above)] = strips {
            let (b, a) = (self.lines_along(&below), self.lines_along(&above));
            self.work.pops += (below.channel_cells() + above.channel_cells()) as u64;
            if b < a {
                strips[1] = None;
            } else if a < b {
                strips[0] = None;
            }
        }
        strips
    }

    /// How many cells of the strip's channel (not the rows beside it) earlier lines use.
    fn lines_along(&mut self, strip: &Strip) -> usize {
        let (lo, hi) = strip.extent();
        (strip.channel.0..=strip.channel.1)
            .map(|y| self.board.routed_in_row(y, lo, hi, &mut self.hint))
            .sum()
    }

    /// The strips of the row channels below and above `src` that `dst` borders too.
    fn strips(&self, src: Rect, dst: Rect) -> [Option<Strip>; 2] {
        let mut strips = [None, None];
        let Some(limit) = self.board.limit else {
            return strips;
        };
        let (s, d) = (rect_bounds(src), rect_bounds(dst));
        let rightwards = if s.2 < d.0 {
            true
        } else if d.2 < s.0 {
            false
        } else {
            return strips;
        };
        let (x0, x1) = if rightwards { (s.0, d.2) } else { (d.0, s.2) };
        let Ok(columns) = usize::try_from(x1 - x0 + 1) else {
            return strips;
        };
        if x0 < limit.0 || x1 > limit.2 {
            return strips;
        }
        // The channel below a box starts under it; the one above ends over it.
        let sides = [(Dir::Down, s.3 + 1), (Dir::Up, s.1 - 1)];
        for (slot, (leave, start_row)) in strips.iter_mut().zip(sides) {
            let Some((top, bottom)) = channel_at(&self.board.rows, start_row) else {
                continue;
            };
            let (arrow, goal_row) = if bottom + 1 == d.1 {
                (Dir::Down, bottom)
            } else if top - 1 == d.3 {
                (Dir::Up, top)
            } else {
                continue;
            };
            if top < limit.1 || bottom > limit.3 {
                continue;
            }
            let channel = (top, bottom);
            // Beyond the channel, the rows of boxes on either side: room to dodge a full
            // lane through the gaps between the boxes, as a corridor's margin gives.
            let (top, bottom) = (
                (top - CORRIDOR_MARGIN).max(limit.1),
                (bottom + CORRIDOR_MARGIN).min(limit.3),
            );
            let lanes = (bottom - top + 1) as usize;
            if lanes.saturating_mul(columns) > MAX_STRIP_CELLS {
                continue;
            }
            *slot = Some(Strip {
                rightwards,
                x0: if rightwards { x0 } else { x1 },
                columns,
                top,
                lanes,
                start_lane: (start_row - top) as usize,
                leave,
                goal_lane: (goal_row - top) as usize,
                arrow,
                channel,
            });
        }
        strips
    }

    /// The cheapest route along `strip` and its cost, column by column from the source's
    /// side: each column's states come from the one before (a step along) and, in two
    /// sweeps, from the cells above and below in the same column (a step across, which
    /// never turns back on itself, so the sweeps need no order but their own).
    fn work_out(&mut self, strip: &Strip, src: Rect, dst: Rect) -> Option<(u32, Route)> {
        let (n, columns) = (strip.lanes, strip.columns);
        let mut cells = std::mem::take(&mut self.lanes.cells);
        cells.clear();
        cells.resize(
            n * columns,
            Lane {
                flags: 0,
                old: 0,
                pass: 0,
                cost: [u32::MAX; 3],
                from: [FROM_SOURCE; 3],
            },
        );
        self.read_strip(strip, &mut cells);
        self.work.pops += (n * columns) as u64;

        let heading = headings(strip.rightwards);
        let along = heading[ALONG];
        let facing = facing_sides(src, dst);
        let (s, d) = (rect_bounds(src), rect_bounds(dst));
        let steps = &self.lanes.steps[usize::from(strip.rightwards)];
        // Leaving the source costs nothing for what lies beside it.
        let step = |cell: &Lane, state: usize, go: usize| -> u32 {
            let leave = if cell.from[state] == FROM_SOURCE {
                0
            } else {
                u32::from(cell.pass)
            };
            let cost = steps[usize::from(cell.old & 15)][state][go];
            cell.cost[state].saturating_add(cost + leave)
        };
        let (facing_x, facing_goal_x) = if strip.rightwards {
            (s.2 + 1, d.0 - 1)
        } else {
            (s.0 - 1, d.2 + 1)
        };
        let mut best: Option<(u32, usize, usize, usize, Dir)> = None;
        for column in 0..columns {
            let x = strip.x(column);
            let here = column * n;
            if column > 0 {
                let (before, this) = cells.split_at_mut(here);
                for (back, cell) in before[here - n..].iter().zip(&mut this[..n]) {
                    if cell.flags & BLOCKED != 0 {
                        continue;
                    }
                    for state in [ALONG, UPWARD, DOWNWARD] {
                        let cost = step(back, state, ALONG);
                        if cost < cell.cost[ALONG] {
                            cell.cost[ALONG] = cost;
                            cell.from[ALONG] = state as u8;
                        }
                    }
                }
            }
            // The source's side along the channel, and the one facing the target.
            let mut start = |lane: usize, state: usize| {
                let y = strip.top + lane as i64;
                let cell = &mut cells[here + lane];
                if cell.flags & BLOCKED == 0 {
                    let side = heading[state];
                    cell.cost[state] =
                        start_cost(src, facing, side, x as i32, y as i32, cell.flags);
                    cell.from[state] = FROM_SOURCE;
                }
            };
            if (s.0..=s.2).contains(&x) {
                start(strip.start_lane, across_state(strip.leave));
            }
            if x == facing_x {
                for lane in strip.lanes_of(s.1, s.3) {
                    start(lane, ALONG);
                }
            }
            // Down the column, then up it: a step across comes from the cell before it
            // having come along or across the same way.
            let this = &mut cells[here..here + n];
            let mut across = |lane: usize, back: usize, state: usize| {
                let back = this[back];
                let cell = &mut this[lane];
                if cell.flags & BLOCKED != 0 {
                    return;
                }
                for came in [ALONG, state] {
                    let cost = step(&back, came, state);
                    if cost < cell.cost[state] {
                        cell.cost[state] = cost;
                        cell.from[state] = came as u8;
                    }
                }
            };
            for lane in 1..n {
                across(lane, lane - 1, DOWNWARD);
            }
            for lane in (1..n).rev() {
                across(lane - 1, lane, UPWARD);
            }
            // The target's side along the channel, and the one facing the source.
            let mut goal = |lane: usize, arrow: Dir| {
                let y = strip.top + lane as i64;
                let cell = &cells[here + lane];
                let mut end = end_cost(dst, arrow.opposite(), x as i32, y as i32);
                if cell.old != 0 {
                    end += ENDPOINT * SCALE;
                }
                for state in [ALONG, UPWARD, DOWNWARD] {
                    let came = heading[state];
                    let cost = cell.cost[state].saturating_add(
                        end + turn_cost(came, arrow) + cell_cost(cell.old, came, arrow),
                    );
                    if cost < best.map_or(u32::MAX, |b| b.0) {
                        best = Some((cost, column, lane, state, arrow));
                    }
                }
            };
            if (d.0..=d.2).contains(&x) {
                goal(strip.goal_lane, strip.arrow);
            }
            if x == facing_goal_x {
                for lane in strip.lanes_of(d.1, d.3) {
                    goal(lane, along);
                }
            }
        }
        let route = best.map(|(_, column, lane, state, arrow)| {
            reconstruct(strip, &cells, (column, lane, state), arrow, heading)
        });
        // Kept for the next route, unless a very long one made it large.
        if cells.capacity() <= KEEP_CELLS {
            self.lanes.cells = cells;
        }
        Some((best?.0, route?))
    }

    /// Fills in what the search would know of each cell of the strip (see `prepare`).
    fn read_strip(&mut self, strip: &Strip, cells: &mut [Lane]) {
        let n = strip.lanes;
        let (lo, hi) = strip.extent();
        let mut run = [(0, 0); TILE_ROW];
        for lane in 0..n {
            let y = strip.top + lane as i64;
            for (x, end) in Board::tile_runs(lo, hi) {
                let run = &mut run[..(end - x + 1) as usize];
                self.board.run_hinted(x, y, run, &mut self.hint);
                for (k, &(flags, routes)) in run.iter().enumerate() {
                    let at = x + k as i64;
                    let column = if strip.rightwards {
                        at - strip.x0
                    } else {
                        strip.x0 - at
                    } as usize;
                    let (flags, old) = searched(flags, routes);
                    let cell = &mut cells[column * n + lane];
                    cell.flags = flags;
                    cell.old = old;
                    cell.pass = passing_cost(flags) as u16;
                }
            }
        }
    }
}

/// The state of a step across the channel going `d` (up or down).
fn across_state(d: Dir) -> usize {
    if d == Dir::Down { DOWNWARD } else { UPWARD }
}

/// The route ending in the state (column, lane, state) of a cell beside the target, whose
/// arrow points `arrow`, traced back to the source; `heading` is the direction of each
/// state.
fn reconstruct(
    strip: &Strip,
    cells: &[Lane],
    (column, lane, state): (usize, usize, usize),
    arrow: Dir,
    heading: [Dir; 3],
) -> Route {
    let n = strip.lanes;
    let back = |(column, lane, state): (usize, usize, usize)| {
        let from = cells[column * n + lane].from[state];
        let (column, lane) = match state {
            _ if from == FROM_SOURCE => return None,
            ALONG => (column - 1, lane),
            UPWARD => (column, lane + 1),
            _ => (column, lane - 1),
        };
        Some((column, lane, usize::from(from)))
    };
    let trail = || std::iter::successors(Some((column, lane, state)), |&at| back(at));
    // Traced twice, the first time to count: the points take just their room, filled in
    // from the end, as a route of thousands of cells would otherwise grow and be copied.
    let mut points = vec![(0, 0); trail().count()];
    let mut leave = heading[state];
    for (point, (column, lane, state)) in points.iter_mut().rev().zip(trail()) {
        *point = (strip.x(column) as i32, (strip.top + lane as i64) as i32);
        // The state of the first cell is the step out of the source.
        leave = heading[state];
    }
    Route {
        points,
        arrow,
        leave,
    }
}

impl Strip {
    /// The cells of the strip, inclusive.
    #[cfg(test)]
    fn bounds(&self) -> Bounds {
        let (a, b) = (self.x(0), self.x(self.columns - 1));
        (
            a.min(b),
            self.top,
            a.max(b),
            self.top + self.lanes as i64 - 1,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::tests::random;

    /// What the search would charge for `route` from `src` to `dst` on the router's board:
    /// leaving the source, every step, and the step into the target.
    fn price(router: &Router, route: &Route, src: Rect, dst: Rect) -> u32 {
        let look = |(x, y): (i32, i32)| {
            let (flags, routes) = router.board.at(i64::from(x), i64::from(y));
            let (flags, old) = searched(flags, routes);
            (flags, usize::from(old))
        };
        let points = &route.points;
        let (x, y) = points[0];
        let facing = facing_sides(src, dst);
        let mut cost = start_cost(src, facing, route.leave, x, y, look(points[0]).0);
        let mut came = route.leave;
        for (k, w) in points.windows(2).enumerate() {
            let go = Dir::between(w[0], w[1]).expect("one step at a time");
            let (flags, old) = look(w[0]);
            let leave = if k == 0 { 0 } else { passing_cost(flags) };
            cost += STEP * SCALE + leave + router.least.exact[old][came.index()][go.index()];
            came = go;
        }
        let (x, y) = points[points.len() - 1];
        let (_, old) = look((x, y));
        let arrow = route.arrow;
        cost += turn_cost(came, arrow) + cell_cost(old as u8, came, arrow);
        cost += end_cost(dst, arrow.opposite(), x, y);
        if old != 0 {
            cost += ENDPOINT * SCALE;
        }
        cost
    }

    /// Rows of boxes of random widths at random places in their columns, every box of a
    /// row as tall as the others: how a map lays its steps out.
    fn rows_of_boxes(seed: &mut u64) -> Vec<Rect> {
        let mut boxes = Vec::new();
        for row in 0..3 {
            for column in 0..8 {
                let width = 4 + random(seed, 15) as i32;
                let x = column * 22 + random(seed, (22 - width) as usize) as i32;
                boxes.push(Rect::new(x, row * 9, width, 5));
            }
        }
        boxes
    }

    /// A route along a channel is a route: it leaves the source by the side it says, steps
    /// one cell at a time over free cells, and ends beside the target. It costs what it
    /// says by the search's measure, never less than the best route in the strips worked
    /// out (Dijkstra's), and mostly just that, while the channels fill with the routes
    /// before.
    #[test]
    fn a_route_along_a_channel_costs_what_it_says_and_mostly_the_least() {
        let mut seed = 3u64;
        let (mut compared, mut least, mut leftwards, mut above) = (0, 0, 0, 0);
        for _ in 0..6 {
            let boxes = rows_of_boxes(&mut seed);
            let mut router = Router::new(boxes.clone());
            for _ in 0..200 {
                let (from, to) = (random(&mut seed, 24), random(&mut seed, 24));
                let (src, dst) = (boxes[from], boxes[to]);
                let Some((cost, route)) = router.along_a_row_channel(src, dst, u64::MAX) else {
                    continue;
                };
                let (first, last) = (route.points[0], route.points[route.points.len() - 1]);
                let (dx, dy) = route.leave.delta();
                assert!(src.contains(first.0 - dx, first.1 - dy), "{route:?}");
                let (dx, dy) = route.arrow.delta();
                assert!(dst.contains(last.0 + dx, last.1 + dy), "{route:?}");
                for &(x, y) in &route.points {
                    assert_eq!(router.board.flags(x.into(), y.into()) & BLOCKED, 0);
                }
                assert_eq!(price(&router, &route, src, dst), cost, "{route:?}");

                let strips = router.strips(src, dst);
                let strips = router.emptier(strips);
                let rects: Vec<Bounds> = strips.iter().flatten().map(Strip::bounds).collect();
                let space = Masked::new(&rects).unwrap();
                router.dijkstra = true;
                let found = router.explore(&space, src, dst, u64::MAX / 4, Lead::Distance);
                router.dijkstra = false;
                let best = router.sink.dist;
                assert!(matches!(found, Outcome::Found(_)));
                assert!(best <= cost, "{src:?} -> {dst:?}: {best} > {cost}");
                least += usize::from(best == cost);
                compared += 1;
                leftwards += usize::from(last.0 < first.0);
                // In the channel above the source: the route's lowest cell is no lower
                // than the source's top row plus the margin.
                let lowest = route.points.iter().map(|p| p.1).max().unwrap();
                above += usize::from(i64::from(lowest) < i64::from(src.y) + CORRIDOR_MARGIN);
                router.remember(&route);
            }
        }
        // Both ways along a row, in the channels above the source and below it.
        assert!(compared > 800, "{compared}");
        assert!(
            leftwards > 200 && compared - leftwards > 200,
            "{leftwards} of {compared}"
        );
        assert!(
            above > 200 && compared - above > 200,
            "{above} of {compared}"
        );
        assert!(least * 50 >= compared * 49, "{least} of {compared}");
    }

    /// Rows of boxes, each linked to the box five on and back, the last five of a row to
    /// the first five of the next and back: links that skip four boxes along a row, and
    /// links across the whole map. In a hurry they are worked out along their channel. On
    /// the same board, the route the search along each one's corridor would find is
    /// cheaper for some, where the channels have filled up (the corridor may step back and
    /// go round the boxes), but never by more than a fifteenth, and dearer for others: in
    /// all, the channels' routes cost less.
    #[test]
    fn links_along_a_row_cost_no_more_than_their_corridors_give() {
        let (columns, rows) = (16, 4);
        let boxes: Vec<Rect> = (0..columns * rows)
            .map(|i| Rect::new(i % columns * 32, i / columns * 10, 26, 6))
            .collect();
        let mut router = Router::new(boxes.clone());
        router.hurry(true);
        let (mut cheaper, mut dearer, mut ours, mut theirs) = (0, 0, 0u64, 0u64);
        let forth = (0..boxes.len() - 5).map(|from| (from, from + 5));
        let back = (0..boxes.len() - 5).map(|to| (to + 5, to));
        for (from, to) in forth.chain(back) {
            let (src, dst) = (boxes[from], boxes[to]);
            let route = router.route(from, to).expect("rows of boxes are open");
            crate::route::tests::assert_valid(&boxes, from, to, &route);
            assert_eq!(router.last_work().how, Some(How::Channel), "{from} -> {to}");
            let plan = channels::plan(&router.board, src, dst).unwrap();
            let limit = router.board.limit.unwrap();
            let rects = channels::corridor(&plan, src, dst, CORRIDOR_MARGIN, limit);
            let space = Masked::new(&rects).unwrap();
            let Outcome::Found(corridor) =
                router.explore(&space, src, dst, u64::MAX / 4, Lead::Guide)
            else {
                panic!("{from} -> {to}: a corridor of free channels has a route");
            };
            let (a, b) = (
                price(&router, &route, src, dst),
                price(&router, &corridor, src, dst),
            );
            (ours, theirs) = (ours + u64::from(a), theirs + u64::from(b));
            cheaper += usize::from(a < b);
            dearer += usize::from(a > b);
            assert!(a * 15 <= b * 16, "{from} -> {to}: {a} against {b}");
            router.remember(&route);
        }
        // 31 cheaper and 64 dearer, when this was written; 5.98 million against 6.91.
        assert!(
            cheaper > 20 && dearer > 20,
            "{cheaper} cheaper, {dearer} dearer"
        );
        assert!(ours < theirs, "{ours} against {theirs}");
    }

    /// Boxes in a row border two channels. A link between two of them goes along the one
    /// fewer earlier lines run along, and only that one is worked out; while both are as
    /// full (empty), both are, and the cheaper is taken.
    #[test]
    fn a_link_along_a_row_takes_the_emptier_of_its_two_channels() {
        // Three rows of six boxes; the middle row's boxes span rows 10 to 14, its channel
        // above rows 5 to 9 and the one below rows 15 to 19.
        let boxes: Vec<Rect> = (0..18)
            .map(|i| Rect::new(i % 6 * 20, i / 6 * 10, 14, 5))
            .collect();
        let (from, to) = (7, 10);
        let link = |earlier: Option<i32>| {
            let mut router = Router::new(boxes.clone());
            router.hurry(true);
            if let Some(y) = earlier {
                // A line all along the middle row of one channel.
                router.remember(&Route {
                    points: (-2..120).map(|x| (x, y)).collect(),
                    leave: Dir::Right,
                    arrow: Dir::Right,
                });
            }
            let route = router.route(from, to).expect("rows of boxes are open");
            crate::route::tests::assert_valid(&boxes, from, to, &route);
            assert_eq!(router.last_work().how, Some(How::Channel));
            let below = route.points.iter().filter(|p| p.1 >= 15).count();
            let above = route.points.iter().filter(|p| p.1 <= 9).count();
            (below, above, router.last_work().pops)
        };
        let (below, above, both) = link(None);
        assert!(below + above > 40, "{below} below, {above} above");
        // A full channel below: the link goes above, and only that strip is worked out.
        let (below, above, one) = link(Some(17));
        assert!(below == 0 && above > 40, "{below} below, {above} above");
        assert!(one < both, "{one} pops against {both} for both strips");
        // And the other way round.
        let (below, above, one) = link(Some(7));
        assert!(above == 0 && below > 40, "{below} below, {above} above");
        assert!(one < both, "{one} pops against {both} for both strips");
    }

    /// A router kept to some rows (as each half of a big map is) keeps its channels' routes
    /// there too: a channel that reaches past the rows is not used, and the rows of cells
    /// beside one are cut at the limit.
    #[test]
    fn routes_along_a_channel_keep_to_the_rows_the_router_is_kept_to() {
        let mut seed = 9u64;
        let boxes = rows_of_boxes(&mut seed);
        // The first two rows of boxes and the channel between them, and one row of cells
        // of the channel under the second row: that channel reaches past the limit.
        let (top, bottom) = (i32::MIN, boxes[8].y + boxes[8].height);
        let mut router = Router::new(boxes.clone());
        router.hurry(true);
        router.confine_rows(top, bottom);
        let mut along = 0;
        for _ in 0..300 {
            // Boxes of all three rows: the third lies beyond the rows kept to.
            let (from, to) = (random(&mut seed, 24), random(&mut seed, 24));
            let Some(route) = router.route(from, to) else {
                continue;
            };
            if router.last_work().how == Some(How::Fallback) {
                continue;
            }
            crate::route::tests::assert_valid(&boxes, from, to, &route);
            for &(x, y) in &route.points {
                assert!(
                    y <= bottom,
                    "{from} -> {to} at ({x}, {y}): below the rows kept to"
                );
            }
            along += usize::from(router.last_work().how == Some(How::Channel));
            router.remember(&route);
        }
        assert!(along > 100, "{along}");
    }
}
