//! Speed budgets of issue 6, measured with criterion (`cargo bench`); BENCHMARKS.md has
//! the figures. The big map is `generate::large_map(10_000, 20_000, 1)`, the same one
//! `cargo run --release --example generate` writes. `cargo bench --bench vsmap -- "route
//! all"` routes the maps that froze the router and prints each one's per-connection spread.

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};
use vsmap::chain::Chain;
use vsmap::editor::{Action, Editor, Looks};
use vsmap::model::map::Map;

const LOOKS: Looks = Looks {
    ascii: false,
    color: true,
};

fn big_text(steps: usize) -> String {
    vsmap::generate::large_map(steps, steps * 2, 1).to_ron()
}

fn open(map: Map) -> Editor {
    let mut editor = Editor::new(Chain::builtin(), map, "bench.ron".into(), LOOKS, true);
    vsmap::editor::update(&mut editor, Action::Resize(200, 50));
    editor
}

fn draw(terminal: &mut Terminal<TestBackend>, editor: &Editor) {
    terminal
        .draw(|frame| vsmap::editor::draw::draw(frame, editor))
        .unwrap();
}

fn load_check_save(c: &mut Criterion) {
    let text = big_text(10_000);
    let chain = Chain::builtin();
    let mut group = c.benchmark_group("10k steps, 20k flows");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("load and check", |b| {
        b.iter(|| {
            let map = Map::from_text("big.ron", black_box(&text)).unwrap();
            black_box(vsmap::check::check(&chain, &map))
        })
    });
    let map = Map::from_text("big.ron", &text).unwrap();
    group.bench_function("save (serialise)", |b| b.iter(|| black_box(map.to_ron())));
    let dir = tempfile::Builder::new()
        .prefix("vsmap-bench-")
        .tempdir()
        .unwrap();
    let file = dir.path().join("big.ron");
    group.bench_function("save (serialise and write atomically)", |b| {
        b.iter(|| vsmap::io::save::save_atomic(&file, &map.to_ron()).unwrap())
    });
    group.finish();
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("one full frame at 200x50");
    group.sample_size(30);
    for steps in [100, 1_000, 10_000] {
        let editor = open(Map::from_text("m.ron", &big_text(steps)).unwrap());
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        group.bench_function(format!("{steps} steps"), |b| {
            b.iter(|| {
                // A fresh buffer each time, so every cell is drawn, not just the changes.
                terminal.clear().unwrap();
                draw(&mut terminal, black_box(&editor));
            })
        });
    }
    group.finish();
}

fn edit(c: &mut Criterion) {
    let mut editor = open(Map::from_text("m.ron", &big_text(10_000)).unwrap());
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    draw(&mut terminal, &editor);
    let mut group = c.benchmark_group("edit at 10k steps");
    group.sample_size(30);
    // Connect the step under the cursor to the one below, re-check and redraw; undo is not timed.
    group.bench_function("add a connection, re-check, redraw", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let start = Instant::now();
                for key in ['c', 'j'] {
                    vsmap::editor::handle_key(&mut editor, key_event(key));
                }
                vsmap::editor::handle_key(&mut editor, enter());
                vsmap::editor::handle_key(&mut editor, enter());
                draw(&mut terminal, &editor);
                total += start.elapsed();
                vsmap::editor::handle_key(&mut editor, key_event('k'));
                vsmap::editor::handle_key(&mut editor, key_event('u'));
                draw(&mut terminal, &editor);
            }
            total
        })
    });
    group.bench_function("move the cursor and redraw", |b| {
        b.iter(|| {
            vsmap::editor::handle_key(&mut editor, key_event('l'));
            draw(&mut terminal, &editor);
            vsmap::editor::handle_key(&mut editor, key_event('h'));
            draw(&mut terminal, &editor);
        })
    });
    group.finish();
}

fn routing(c: &mut Criterion) {
    let map = vsmap::generate::large_map(1_000, 2_000, 1);
    let boxes: Vec<vsmap::route::Rect> = map
        .steps
        .iter()
        .map(|s| vsmap::view::geometry::Geometry::default().box_rect(s.at))
        .collect();
    let index: std::collections::HashMap<&str, usize> = map
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let requests: Vec<(usize, usize)> = map
        .flows
        .iter()
        .map(|f| (index[f.from.as_str()], index[f.to.as_str()]))
        .collect();
    let mut group = c.benchmark_group("routing");
    group.sample_size(10);
    group.bench_function("2,000 connections among 1,000 steps", |b| {
        b.iter(|| black_box(vsmap::route::route_all(&boxes, &requests)))
    });
    group.finish();
}

fn startup(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-maps/incident-management.ron"
    );
    let mut group = c.benchmark_group("start to first frame");
    group.bench_function("sample map: read, check, route, draw 120x40", |b| {
        b.iter_batched(
            || Terminal::new(TestBackend::new(120, 40)).unwrap(),
            |mut terminal| {
                let text = std::fs::read_to_string(path).unwrap();
                let map = Map::from_text(path, &text).unwrap();
                let mut editor = Editor::new(Chain::builtin(), map, path.into(), LOOKS, true);
                vsmap::editor::update(&mut editor, Action::Resize(120, 40));
                draw(&mut terminal, &editor);
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn key_event(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    )
}

fn enter() -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Enter,
        crossterm::event::KeyModifiers::NONE,
    )
}

/// The boxes of a map's steps as the editor lays them out, and its flows as (from, to).
fn boxes_and_requests(map: &Map) -> (Vec<vsmap::route::Rect>, Vec<(usize, usize)>) {
    let geometry = vsmap::view::geometry::Geometry::new(map, vsmap::view::boxes::Zoom::Normal);
    let boxes = map.steps.iter().map(|s| geometry.box_rect(s.at)).collect();
    let index: std::collections::HashMap<&str, usize> = map
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let requests = map
        .flows
        .iter()
        .map(|f| (index[f.from.as_str()], index[f.to.as_str()]))
        .collect();
    (boxes, requests)
}

/// The value at fraction `q` of the sorted values.
fn quantile<T: Copy + Ord>(sorted: &[T], q: f64) -> T {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Routes every connection once, as `route_all` does (or, `hurry`, as `render` and `export`
/// route a map of 2,000 links or more), timing each; prints the median, 99th percentile and
/// worst per connection, the heap pops, how the routes were found, and what the
/// provisional routes cost. Criterion times the whole; this shows the spread.
fn per_connection(
    name: &str,
    boxes: &[vsmap::route::Rect],
    requests: &[(usize, usize)],
    hurry: bool,
) {
    use vsmap::route::{How, Router};
    let mut router = Router::new(boxes.to_vec());
    router.hurry(hurry);
    let name = if hurry {
        format!("{name}, in a hurry")
    } else {
        name.to_string()
    };
    let mut times = Vec::with_capacity(requests.len());
    let mut pops = Vec::with_capacity(requests.len());
    let mut how = [0usize; 5];
    for &(from, to) in requests {
        let start = Instant::now();
        let route = router.route(from, to);
        times.push(start.elapsed());
        if let Some(route) = &route {
            router.remember(route);
        }
        let work = router.last_work();
        pops.push(work.pops);
        how[match work.how {
            Some(How::Window) => 0,
            Some(How::Corridor) => 1,
            Some(How::Fallback) => 2,
            Some(How::Channel) => 3,
            None => 4,
        }] += 1;
    }
    let mut provisional = Vec::with_capacity(requests.len());
    for &(from, to) in requests {
        let start = Instant::now();
        black_box(router.provisional(from, to));
        provisional.push(start.elapsed());
    }
    times.sort();
    pops.sort();
    provisional.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    // The tail: how much of the whole the slowest 1% of connections take.
    let total: Duration = times.iter().sum();
    let tail: Duration = times[times.len() - times.len().div_ceil(100)..]
        .iter()
        .sum();
    println!(
        "{name}: all {:.0} ms, of which the slowest 1% {:.0} ms",
        total.as_secs_f64() * 1e3,
        tail.as_secs_f64() * 1e3
    );
    println!(
        "{name}: per connection median {:.1} us, p99 {:.0} us, worst {:.0} us; \
         heap pops median {}, p99 {}, worst {}; \
         {} searched around the boxes, {} along corridors, {} fallbacks, \
         {} along a row channel, {} none; \
         provisional route median {:.1} us, p99 {:.0} us",
        us(quantile(&times, 0.5)),
        us(quantile(&times, 0.99)),
        us(*times.last().unwrap()),
        quantile(&pops, 0.5),
        quantile(&pops, 0.99),
        pops.last().unwrap(),
        how[0],
        how[1],
        how[2],
        how[3],
        how[4],
        us(quantile(&provisional, 0.5)),
        us(quantile(&provisional, 0.99)),
    );
}

/// Routing every connection of the maps that froze the router: dense random maps (most
/// links cross the map) and the 10k maps whose rows wrap (end of a row to the start of the
/// next, ~2,350 cells).
fn routing_maps(c: &mut Criterion) {
    use vsmap::generate::{large_map, random_map, skip_map};
    let maps = [
        ("100 steps, 500 random links", random_map(100, 500, 1), 5),
        (
            "300 steps, 1,500 random links",
            random_map(300, 1_500, 1),
            10,
        ),
        ("10k steps, 20k flows", large_map(10_000, 20_000, 1), 30),
        ("10k steps, each to step i+5", skip_map(10_000, 5, 1), 40),
    ];
    let mut group = c.benchmark_group("route all connections");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (name, map, seconds) in maps {
        let (boxes, requests) = boxes_and_requests(&map);
        per_connection(name, &boxes, &requests, false);
        // Drawn whole, the 10k maps are routed in a hurry.
        if requests.len() >= 2_000 {
            per_connection(name, &boxes, &requests, true);
        }
        group.measurement_time(Duration::from_secs(seconds));
        group.bench_function(name, |b| {
            b.iter(|| black_box(vsmap::route::route_all(&boxes, &requests)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    load_check_save,
    frames,
    edit,
    routing,
    routing_maps,
    startup
);
criterion_main!(benches);
