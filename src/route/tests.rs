//! Tests of routing and drawing routes.

use super::*;

/// A step at grid cell (col, row) as the editor lays it out: 18x5 boxes, 6x2 gaps.
fn grid(col: i32, row: i32) -> Rect {
    Rect::new(col * 24, row * 7, 18, 5)
}

/// Checks everything a route promises: 4-connected, outside every box, first point
/// next to the source on its `leave` side, last point next to the target by `arrow`.
fn assert_valid(boxes: &[Rect], from: usize, to: usize, route: &Route) {
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
        "   ^┌───┼──^      │       ",
        "   └┼───┼──┐      │       ",
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
    assert_eq!(raster.routes_at(x, y), &[0, 1]);
    assert_eq!(raster.routes_at(x - 1, y), &[0]);
    assert_eq!(raster.routes_at(x, y - 1), &[1]);
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
    assert_eq!(raster.routes_at(2, 0), &[] as &[usize]);
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
    assert_eq!(raster.routes_at(2, 1), &[0, 1]);
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
