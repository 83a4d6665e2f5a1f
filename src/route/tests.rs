//! Tests of routing and drawing routes.

use super::*;

/// A step at grid cell (col, row) as the editor lays it out: 18x5 boxes, 6x2 gaps.
fn grid(col: i32, row: i32) -> Rect {
    Rect::new(col * 24, row * 7, 18, 5)
}

/// Checks everything a route promises: 4-connected, outside every box, first point
/// next to the source on its `leave` side, last point next to the target by `arrow`.
pub(super) fn assert_valid(boxes: &[Rect], from: usize, to: usize, route: &Route) {
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
fn picture(boxes: &[Rect], routes: &[Option<Route>], x0: i32, y0: i32, x1: i32, y1: i32) -> String {
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
        "    ^───┼─┐^      │       ",
        "    ┌───┼─┼┘      │       ",
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
    assert_eq!(raster.routes_at(x, y).collect::<Vec<usize>>(), [0, 1]);
    assert_eq!(raster.routes_at(x - 1, y).collect::<Vec<usize>>(), [0]);
    assert_eq!(raster.routes_at(x, y - 1).collect::<Vec<usize>>(), [1]);
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
    assert_eq!(raster.routes_at(2, 0).count(), 0);
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
    assert_eq!(raster.routes_at(2, 1).collect::<Vec<usize>>(), [0, 1]);
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
    let shift = |r: Rect| Rect::new(r.x + 1_000_000_000, r.y - 1_000_000_000, r.width, r.height);
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

/// Boxes in rows as `vsmap render` draws them (26x6, gaps of 24x4), each linked to the
/// one below it and to the one below that: those go round the box between, the links that
/// cost the search of a big map the most work that no row channel takes (a hurried router
/// links boxes apart in a row, or in neighbouring rows, along their channel).
fn columns_with_skips(columns: i32, rows: i32) -> (Vec<Rect>, Vec<(usize, usize)>) {
    let boxes: Vec<Rect> = (0..columns * rows)
        .map(|i| Rect::new(i % columns * 50, i / columns * 10, 26, 6))
        .collect();
    let mut requests = Vec::new();
    let columns = columns as usize;
    for i in 0..boxes.len() {
        if i + columns < boxes.len() {
            requests.push((i, i + columns));
        }
        if i + 2 * columns < boxes.len() {
            requests.push((i, i + 2 * columns));
            requests.push((i + 2 * columns, i));
        }
    }
    (boxes, requests)
}

#[test]
fn a_hurried_router_finds_valid_routes_with_far_less_work() {
    let (boxes, requests) = columns_with_skips(6, 12);
    let turns = |route: &Route| {
        let w = route.points.windows(3);
        w.filter(|w| Dir::between(w[0], w[1]) != Dir::between(w[1], w[2]))
            .count()
    };
    // Pops, and the lines' cells and bends, of all the routes.
    let routed = |hurry: bool| {
        let mut router = Router::new(boxes.clone());
        router.hurry(hurry);
        let (mut pops, mut cells, mut bends) = (0, 0, 0);
        for &(from, to) in &requests {
            let route = router.route(from, to).expect("rows of boxes are open");
            assert_valid(&boxes, from, to, &route);
            assert_eq!(router.last_work().how, Some(How::Window));
            pops += router.last_work().pops;
            (cells, bends) = (cells + route.points.len(), bends + turns(&route));
            router.remember(&route);
        }
        (pops, cells, bends)
    };
    let (best, hurried) = (routed(false), routed(true));
    // A quarter less work (56,697 pops against 74,598 when this was written).
    assert!(
        hurried.0 * 5 < best.0 * 4,
        "{hurried:?} in a hurry, {best:?} not"
    );
    // Lines as long and as straight, all in all.
    assert!(
        hurried.1 * 20 <= best.1 * 21,
        "{hurried:?} in a hurry, {best:?} not"
    );
    assert!(
        hurried.2 * 20 <= best.2 * 21,
        "{hurried:?} in a hurry, {best:?} not"
    );
}

/// xorshift64, for maps that are random but always the same.
pub(super) fn random(seed: &mut u64, n: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % n as u64) as usize
}

/// `columns` x `rows` editor boxes and `links` links between boxes drawn at random.
fn random_map(
    columns: i32,
    rows: i32,
    links: usize,
    seed: u64,
) -> (Vec<Rect>, Vec<(usize, usize)>) {
    let boxes: Vec<Rect> = (0..columns * rows)
        .map(|i| grid(i % columns, i / columns))
        .collect();
    let mut seed = seed;
    let mut requests = Vec::new();
    while requests.len() < links {
        let (a, b) = (
            random(&mut seed, boxes.len()),
            random(&mut seed, boxes.len()),
        );
        if a != b {
            requests.push((a, b));
        }
    }
    (boxes, requests)
}

/// Routes the requests in order, remembering each route, and checks every one: valid, and
/// never more work than twice the budget. Returns the routes and how each was found.
fn route_checked(boxes: &[Rect], requests: &[(usize, usize)], budget: Budget) -> Vec<(Route, How)> {
    let mut router = Router::new(boxes.to_vec());
    router.set_budget(budget);
    requests
        .iter()
        .map(|&(from, to)| {
            let route = router
                .route(from, to)
                .expect("boxes in a grid are always reachable");
            let work = router.last_work();
            assert!(work.pops <= 2 * work.budget, "{from}->{to}: {work:?}");
            assert_eq!(work.budget, budget.pops(boxes[from], boxes[to]));
            assert_valid(boxes, from, to, &route);
            router.remember(&route);
            (route, work.how.expect("a route says how it was found"))
        })
        .collect()
}

#[test]
fn every_route_of_a_dense_random_map_is_valid_and_within_budget() {
    let (boxes, requests) = random_map(10, 10, 500, 1);
    let routes = route_checked(&boxes, &requests, Budget::default());
    // Far pairs go along the channels; near ones are searched around them as always.
    let count = |how| routes.iter().filter(|(_, h)| *h == how).count();
    assert!(count(How::Corridor) > 250);
    assert!(count(How::Window) > 50);
}

#[test]
fn fallback_routes_are_valid_too() {
    // With no budget at all, every route is the plan over the channels.
    let (boxes, requests) = random_map(12, 9, 300, 2);
    let none = Budget {
        base: 0,
        per_cell: 0,
        ..Budget::default()
    };
    let routes = route_checked(&boxes, &requests, none);
    assert!(routes.iter().all(|(_, how)| *how == How::Fallback));
}

#[test]
fn provisional_routes_are_valid_and_do_not_depend_on_earlier_routes() {
    let (boxes, requests) = random_map(8, 6, 200, 3);
    let mut router = Router::new(boxes.clone());
    let before: Vec<_> = requests
        .iter()
        .map(|&(a, b)| router.provisional(a, b).unwrap())
        .collect();
    for (&(a, b), route) in requests.iter().zip(&before) {
        assert_valid(&boxes, a, b, route);
        let routed = router.route(a, b).unwrap();
        router.remember(&routed);
    }
    let after: Vec<_> = requests
        .iter()
        .map(|&(a, b)| router.provisional(a, b).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(router.provisional(0, 0), None);
    assert_eq!(router.provisional(0, 999), None);
    // Neighbours in a row: straight through the middle, as the real route.
    let straight = router.provisional(0, 1).unwrap();
    assert_eq!(
        straight.points,
        (18..24).map(|x| (x, 2)).collect::<Vec<_>>()
    );
}

#[test]
fn boxes_of_varying_sizes_are_routed_around() {
    // Columns of their own widths, rows of their own heights, boxes not filling their cell.
    let widths = [12, 30, 8, 18, 26, 10];
    let heights = [3, 7, 5, 4, 6];
    let mut boxes = Vec::new();
    let mut y = 0;
    for (r, h) in heights.iter().enumerate() {
        let mut x = 0;
        for (c, w) in widths.iter().enumerate() {
            let inset = ((r * 7 + c * 3) % 4) as i32;
            boxes.push(Rect::new(
                x + inset,
                y + inset % 2,
                w - inset,
                h - inset % 2,
            ));
            x += w + 3 + (c as i32 % 3) * 2;
        }
        y += h + 2 + (r as i32 % 2);
    }
    let mut seed = 5;
    let requests: Vec<(usize, usize)> = (0..150)
        .map(|_| {
            (
                random(&mut seed, boxes.len()),
                random(&mut seed, boxes.len()),
            )
        })
        .filter(|(a, b)| a != b)
        .collect();
    route_checked(&boxes, &requests, Budget::default());
    let none = Budget {
        base: 0,
        per_cell: 0,
        ..Budget::default()
    };
    route_checked(&boxes, &requests, none);
    let router = Router::new(boxes.clone());
    for &(a, b) in &requests {
        assert_valid(&boxes, a, b, &router.provisional(a, b).unwrap());
    }
}

/// A wide map: `columns` boxes a row, three rows, every box linked to the next in its row.
fn wide_map(columns: i32) -> (Vec<Rect>, Vec<(usize, usize)>) {
    let boxes: Vec<Rect> = (0..3 * columns)
        .map(|i| grid(i % columns, i / columns))
        .collect();
    let requests = (0..boxes.len() - 1)
        .filter(|i| (i + 1) % columns as usize != 0)
        .map(|i| (i, i + 1))
        .collect();
    (boxes, requests)
}

#[test]
fn a_long_link_across_a_wide_map_stays_within_its_budget() {
    // End of the first row to the start of the second, 200 columns apart (about 4,800
    // cells): a search of their bounding box would pop hundreds of thousands of states.
    let (boxes, requests) = wide_map(200);
    let mut router = Router::new(boxes.clone());
    for &(a, b) in &requests {
        let route = router.route(a, b).unwrap();
        assert_eq!(router.last_work().how, Some(How::Window));
        router.remember(&route);
    }
    let route = router.route(199, 200).unwrap();
    assert_valid(&boxes, 199, 200, &route);
    let work = router.last_work();
    assert_eq!(work.how, Some(How::Corridor));
    assert!(work.pops <= 2 * work.budget, "{work:?}");
    // The budget is linear in the distance: 16,384 + 32 per cell.
    assert!(work.budget < 200_000, "{work:?}");
    // Down into the channel between the rows, along it, down into the target: no detour.
    let turns = route
        .points
        .windows(3)
        .filter(|w| Dir::between(w[0], w[1]) != Dir::between(w[1], w[2]))
        .count();
    assert!(turns <= 4, "{turns} turns");
    assert!(route.points.iter().all(|&(_, y)| (5..=6).contains(&y)));
}

#[test]
fn a_pathological_map_terminates_within_the_budget() {
    // The target stands in a walled yard whose only gate is on the far side, with combs of
    // walls around it; then the link is routed again with the yard's gate shut. However it
    // ends, each route call pops at most twice its budget.
    let mut boxes = vec![Rect::new(0, 0, 18, 5), Rect::new(3000, 300, 18, 5)];
    // The yard: walls a cell away from the target, the gate on the right.
    boxes.extend([
        Rect::new(2990, 290, 40, 2),
        Rect::new(2990, 313, 40, 2),
        Rect::new(2990, 292, 2, 21),
        Rect::new(3028, 292, 2, 10),
    ]);
    // Combs: long walls with small gaps, crossing the way.
    for k in 0..40 {
        boxes.push(Rect::new(100 + k * 70, -400 + (k % 2) * 10, 3, 1200));
    }
    let mut router = Router::new(boxes.clone());
    let route = router.route(0, 1);
    let work = router.last_work();
    assert!(work.pops <= 2 * work.budget, "{work:?}");
    let route = route.expect("the yard has a gate");
    // Whatever was found leaves the source and reaches the target.
    let (fx, fy) = route.points[0];
    let (dx, dy) = route.leave.opposite().delta();
    assert!(boxes[0].contains(fx + dx, fy + dy));
    let (lx, ly) = *route.points.last().unwrap();
    let (dx, dy) = route.arrow.delta();
    assert!(boxes[1].contains(lx + dx, ly + dy));
    for w in route.points.windows(2) {
        assert!(Dir::between(w[0], w[1]).is_some());
    }
    // Shut the gate: a target with free side cells but no way in.
    boxes.push(Rect::new(3028, 302, 2, 11));
    router.set_boxes(boxes.clone());
    let _ = router.route(0, 1);
    let work = router.last_work();
    assert!(work.pops <= 2 * work.budget, "{work:?}");
}

#[test]
fn the_budget_grows_with_the_distance() {
    let budget = Budget::default();
    let near = budget.pops(grid(0, 0), grid(1, 0));
    let far = budget.pops(grid(0, 0), grid(100, 0));
    assert_eq!(near, budget.base + budget.per_cell * 24);
    assert_eq!(far, budget.base + budget.per_cell * 2400);
    let huge = Budget {
        base: u64::MAX,
        per_cell: u64::MAX,
        ..Budget::default()
    };
    assert_eq!(huge.pops(grid(0, 0), grid(1, 0)), u64::MAX);
}

#[test]
fn far_links_at_the_edges_of_i32_stay_in_the_plane() {
    // Rows of boxes against i32::MAX and i32::MIN: corridors and plans reach the very edge.
    for (x, y) in [
        (i32::MAX - (11 * 24 + 18), i32::MAX - (2 * 7 + 5)),
        (i32::MIN + 1, i32::MIN + 1),
    ] {
        let boxes: Vec<Rect> = (0..36)
            .map(|i| Rect::new(x + (i % 12) * 24, y + (i / 12) * 7, 18, 5))
            .filter(|r| r.is_routable())
            .collect();
        let requests = [(0, 11), (11, 0), (23, 0), (0, 23), (5, 30), (24, 11)];
        let requests: Vec<_> = requests
            .into_iter()
            .filter(|&(a, b)| a.max(b) < boxes.len())
            .collect();
        assert!(requests.len() >= 4);
        route_checked(&boxes, &requests, Budget::default());
        let none = Budget {
            base: 0,
            per_cell: 0,
            ..Budget::default()
        };
        route_checked(&boxes, &requests, none);
    }
}
