//! The readable map on the maps that used to freeze vsmap (issue 10): the editor's first
//! frame (open, check, lay out, route what is near the view within its work budget, draw at
//! 120x40), then `vsmap render` and `vsmap export --to svg` of the whole map. Medians of a
//! few in-process runs: the slow cases take seconds, too long for criterion's sampling.
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

fn first_frame(map: &Map) {
    let mut editor = Editor::new(
        Chain::builtin(),
        map.clone(),
        "bench.ron".into(),
        LOOKS,
        true,
    );
    vsmap::editor::update(&mut editor, Action::Resize(120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|frame| vsmap::editor::draw::draw(frame, &editor))
        .unwrap();
    black_box(editor.refining());
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
    }
}
