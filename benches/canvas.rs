//! The readable map on the maps that used to freeze vsmap (issue 10): the editor's first
//! frame (open, check, lay out, route what is near the view within its work budget, draw at
//! 120x40), then `vsmap render` and `vsmap export --to svg` of the whole map. Medians of a
//! few in-process runs: the slow cases take seconds, too long for criterion's sampling.
//! On the 10k maps it also times each key of a scroll at 200x50 (update and draw, no idle
//! time between keys: a held key, the worst case) and prints the spread.
//! Run with `cargo bench --bench canvas`; BENCHMARKS.md has the figures.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};
use vsmap::chain::Chain;
use vsmap::editor::{Action, Editor, Looks};
use vsmap::generate;
use vsmap::model::map::Map;
use vsmap::output::export::{Format, export};
use vsmap::output::render::render;

const LOOKS: Looks = Looks {
    ascii: false,
    color: false,
};

/// The median of `runs` timings of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The editor opened on `map` in a terminal of `width` x `height`, its first frame drawn.
fn opened(map: &Map, width: u16, height: u16) -> (Editor, Terminal<TestBackend>) {
    let mut editor = Editor::new(
        Chain::builtin(),
        map.clone(),
        "bench.ron".into(),
        LOOKS,
        true,
    );
    vsmap::editor::update(&mut editor, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| vsmap::editor::draw::draw(frame, &editor))
        .unwrap();
    (editor, terminal)
}

fn first_frame(map: &Map) {
    let (editor, _) = opened(map, 120, 40);
    black_box(editor.refining());
}

/// Update and draw of each key of a scroll at 200x50: 120 moves (30 each of l, j, h, k),
/// then 150 rows down, 40 columns right and 150 rows up. Milliseconds, sorted.
fn keys(map: &Map) -> Vec<f64> {
    let (mut editor, mut terminal) = opened(map, 200, 50);
    let mut draw = |editor: &Editor| {
        terminal
            .draw(|frame| vsmap::editor::draw::draw(frame, editor))
            .unwrap();
    };
    let moves = [
        ('l', 30),
        ('j', 30),
        ('h', 30),
        ('k', 30),
        ('j', 150),
        ('l', 40),
        ('k', 150),
    ];
    let mut times = Vec::new();
    for (key, count) in moves {
        for _ in 0..count {
            let start = Instant::now();
            let event = crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(key),
                crossterm::event::KeyModifiers::NONE,
            );
            vsmap::editor::handle_key(&mut editor, event);
            draw(&editor);
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

fn main() {
    // `cargo test` runs benches with `--bench`-less arguments only when asked; do nothing
    // then, so the test run stays fast.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let chain = Chain::builtin();
    let maps: Vec<(&str, Map)> = vec![
        (
            "100 steps, 500 random links",
            generate::random_map(100, 500, 1),
        ),
        (
            "300 steps, 1500 random links",
            generate::random_map(300, 1500, 1),
        ),
        (
            "10k steps, 20k links",
            generate::large_map(10_000, 20_000, 1),
        ),
        (
            "10k steps, each linked to step i+5",
            generate::skip_map(10_000, 5, 1),
        ),
    ];
    for (name, map) in &maps {
        let small = map.steps.len() <= 300;
        let runs = if small { 9 } else { 3 };
        let frame = median(runs, || first_frame(map));
        let rendered = median(runs, || {
            black_box(render(&chain, map, 250, LOOKS));
        });
        let svg = median(runs, || {
            black_box(export(Format::Svg, &chain, map, ""));
        });
        println!(
            "{name}: first frame {:.1} ms, render {:.0} ms, export svg {:.0} ms (medians of {runs})",
            frame.as_secs_f64() * 1e3,
            rendered.as_secs_f64() * 1e3,
            svg.as_secs_f64() * 1e3
        );
        if !small {
            let times = keys(map);
            let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
            println!(
                "{name}: {} keys at 200x50: median {:.1} ms, 90th percentile {:.1} ms, 99th {:.1} ms, slowest {:.1} ms",
                times.len(),
                at(0.5),
                at(0.9),
                at(0.99),
                at(1.0)
            );
        }
    }
}
