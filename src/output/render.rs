//! The map as plain text, drawn by the grid view the editor uses: for pasting into a chat or
//! a ticket, or reading in `less`. No escape codes unless colour is asked for.

use crate::chain::Chain;
use crate::check::{Verdict, check};
use crate::metrics;
use crate::model::map::{Cell, Map};
use crate::view::boxes::Zoom;
use crate::view::canvas::Canvas;
use crate::view::geometry::Geometry;
use crate::view::grid::{GridView, Reaching, visible};
use crate::view::theme::{Looks, Theme};
use crate::view::timeline::{LADDER_HEIGHT, TimelineView, has_rungs, path_line, totals};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;
use rustc_hash::{FxHashMap, FxHashSet};

/// Rows drawn into one buffer at a time: a buffer of a band's width and a few dozen rows
/// stays in the processor's cache while it is cleared, drawn and read out (a thousand
/// rows took a third longer on the 10k maps), and a very tall map never needs a huge one.
const ROWS_PER_CHUNK: i32 = 64;

/// How to draw the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Columns of text; a wider map prints in bands.
    pub width: u16,
    pub zoom: Zoom,
    /// The timeline ladder and the flow metrics under each band.
    pub timeline: bool,
    pub looks: Looks,
}

/// Draws the whole map at normal zoom, `width` columns wide.
pub fn render(chain: &Chain, map: &Map, width: u16, looks: Looks) -> String {
    render_with(
        chain,
        map,
        &Options {
            width,
            zoom: Zoom::Normal,
            timeline: false,
            looks,
        },
    )
}

/// Draws the whole map. A map wider than `width` is printed in bands of whole grid columns,
/// left to right, each headed by the columns it shows. Columns with nothing in them are
/// left out, and long runs of empty rows are shortened, so a sparse map with far-apart
/// steps prints what is there, not the space between. Under the map, the legend lists in
/// full the artifact names that stand on their links as numbers.
pub fn render_with(chain: &Chain, map: &Map, options: &Options) -> String {
    routed_and_drawn(chain, map, options).0
}

/// `render_with`, then a note for each connection that could not be drawn (see
/// `unrouted_note`): what `vsmap render` prints. The map is routed once for both.
pub fn render_noted(chain: &Chain, map: &Map, options: &Options) -> String {
    let (mut text, canvas) = routed_and_drawn(chain, map, options);
    if let Some(canvas) = canvas {
        text.push_str(&unrouted_note(map, &canvas));
        crate::both::drop_elsewhere(canvas);
    }
    text
}

/// The map drawn, and the canvas it was drawn from (none for a map without steps).
fn routed_and_drawn(chain: &Chain, map: &Map, options: &Options) -> (String, Option<Canvas>) {
    if map.steps.is_empty() {
        return ("(the map has no steps)\n".to_string(), None);
    }
    let geometry = Geometry::new(map, options.zoom);
    // Without colours a render needs of its lines only where they are, which the router
    // knows: no raster of every line cell with the links through it.
    let canvas = if options.looks.color {
        Canvas::routed(map, geometry)
    } else {
        Canvas::routed_without_raster(map, geometry)
    };
    (draw(chain, map, options, &canvas), Some(canvas))
}

/// A note under a rendered map for each connection that could not be drawn: both its steps
/// are there, but no route was found (the target is boxed in, or the steps are too far
/// apart to search between). Empty when every one was drawn.
pub fn unrouted_note(map: &Map, canvas: &Canvas) -> String {
    let ids: FxHashSet<&str> = map.steps.iter().map(|s| s.id.as_str()).collect();
    let mut out = String::new();
    for (flow, route) in map.flows.iter().zip(canvas.routes()) {
        if route.is_none() && ids.contains(flow.from.as_str()) && ids.contains(flow.to.as_str()) {
            let artifact = flow
                .artifact
                .as_deref()
                .map(|a| format!(" ({})", crate::text::shown(a, 80)))
                .unwrap_or_default();
            out.push_str(&format!(
                "note: the connection {} -> {}{artifact} is not drawn: no route was found (boxed in, or too far apart)\n",
                crate::text::shown(&flow.from, 80),
                crate::text::shown(&flow.to, 80)
            ));
        }
    }
    out
}

/// Which columns and rows hold a box, a line or a name, and how far the drawing reaches:
/// per x drawn, the least and most y drawn there, in no particular order. A map's routes
/// have millions of cells and a few thousand x: kept in an array by x, unless the x drawn
/// lie much further apart than there are cells (steps far out on the grid).
fn reach(map: &Map, canvas: &Canvas) -> Vec<(i32, (i32, i32))> {
    let geometry = &canvas.geometry;
    let corners: Vec<(i32, i32)> = map
        .steps
        .iter()
        .flat_map(|step| {
            let r = geometry.box_rect(step.at);
            [(r.x, r.y), (r.x + r.width - 1, r.y + r.height - 1)]
        })
        .collect();
    let names: Vec<(i32, i32)> = (0..map.flows.len())
        .filter_map(|flow| canvas.label(flow))
        .flat_map(|label| label.cells())
        .collect();
    // Walked as slices, twice: a route's cells are most of what is drawn, millions of them.
    let lines = canvas
        .routes()
        .iter()
        .flatten()
        .map(|r| r.points.as_slice());
    let drawn = || {
        [corners.as_slice(), names.as_slice()]
            .into_iter()
            .chain(lines.clone())
    };
    let (mut left, mut right, mut cells) = (i32::MAX, i32::MIN, 0usize);
    for part in drawn() {
        for &(x, _) in part {
            (left, right) = (left.min(x), right.max(x));
        }
        cells += part.len();
    }
    let widen = |ys: &mut (i32, i32), y: i32| *ys = (ys.0.min(y), ys.1.max(y));
    let span = (i64::from(right) - i64::from(left) + 1).max(0) as usize;
    if span <= 4 * cells + 4096 {
        let mut by_x = vec![(i32::MAX, i32::MIN); span];
        for part in drawn() {
            for &(x, y) in part {
                widen(&mut by_x[(x - left) as usize], y);
            }
        }
        (left..)
            .zip(by_x)
            .filter(|(_, (top, bottom))| top <= bottom)
            .collect()
    } else {
        let mut by_x: FxHashMap<i32, (i32, i32)> = FxHashMap::default();
        for (x, y) in drawn().flatten().copied() {
            widen(by_x.entry(x).or_insert((y, y)), y);
        }
        by_x.into_iter().collect()
    }
}

/// A band of `vsmap render`: columns `first` to `last`, drawn from world x `from` to `to`;
/// from `body` on whole, and before it (the lead) only the links that arrive in the band.
struct Band {
    first: u16,
    last: u16,
    from: i32,
    body: i32,
    to: i32,
}

/// Bands of whole columns that fit the width, of the columns drawn (`cols`, in order)
/// between the drawing's left and right edges.
fn bands(
    geometry: &Geometry,
    cols: &[u16],
    (left_edge, right_edge): (i32, i32),
    width: i32,
) -> Vec<Band> {
    let (first_col, last_col) = (cols[0], cols[cols.len() - 1]);
    let mut bands: Vec<Band> = Vec::new();
    // A column comes with the gap after it, where the names of its links stand.
    let reach_of = |col: u16| {
        if col == last_col {
            let r = geometry.box_rect(Cell::new(col, 0));
            r.x + r.width
        } else {
            geometry.col_x(col) + geometry.col_width(col)
        }
    };
    let mut k = 0;
    while k < cols.len() {
        let first = cols[k];
        let body = if first == first_col {
            left_edge
        } else {
            geometry.col_x(first)
        };
        let mut last = first;
        while k + 1 < cols.len() {
            let next = cols[k + 1];
            if reach_of(next) - body > width {
                break;
            }
            last = next;
            k += 1;
        }
        k += 1;
        let end = if last == last_col {
            right_edge
        } else {
            geometry.col_x(last) + geometry.col_width(last)
        };
        // A band after the first starts with the gap the band before ends with, where that
        // costs it nothing: the links cut between them are seen again arriving, with their
        // names, level with the boxes they lead to, as an atlas's maps overlap.
        let mut from = body;
        if first != first_col {
            let before = geometry.box_rect(Cell::new(first - 1, 0));
            let gap = before.x + before.width;
            if end - gap <= width {
                from = gap;
            }
        }
        let to = end.min(from + width);
        bands.push(Band {
            first,
            last,
            from,
            body,
            to,
        });
    }
    bands
}

/// Draws the map with its routes (a map with steps).
fn draw(chain: &Chain, map: &Map, options: &Options, canvas: &Canvas) -> String {
    let looks = options.looks;
    let geometry = &canvas.geometry;
    // The check and the reach of the drawing are worked out at once.
    let (report, reach) = crate::both::both(|| check(chain, map), || reach(map, canvas));
    let theme = Theme::new(looks.color, looks.ascii);
    let metrics = options.timeline.then(|| metrics::metrics(map));

    // A point's column; column 0 where its place has no cell (far beyond the last row).
    // Rows only grow with y, so the least and most y of an x tell all its points' columns.
    let mut cols: Vec<u16> = Vec::new();
    for &(x, (top, bottom)) in &reach {
        let highest = geometry.cell_of(x.max(0), top.max(0));
        if let Some(cell) = highest {
            cols.push(cell.col);
        }
        if highest.is_none() || geometry.cell_of(x.max(0), bottom.max(0)).is_none() {
            cols.push(0);
        }
    }
    cols.sort_unstable();
    cols.dedup();
    let (first_col, last_col) = (cols[0], cols[cols.len() - 1]);
    let left_edge = reach.iter().map(|p| p.0).min().unwrap_or(0).min(0);

    let right_edge = reach.iter().map(|p| p.0 + 1).max().unwrap_or(0);
    let width = i32::from(options.width.max(1));
    let bands = bands(geometry, &cols, (left_edge, right_edge), width);

    let many = bands.len() > 1;
    // How far each link reaches across: a band's lead shows the links that reach from it
    // into the band.
    let extents = Reaching::extents(canvas);
    let draw_bands = |bands: &[Band]| {
        let mut out = String::new();
        let mut buffer = Buffer::empty(Rect::default());
        for band in bands {
            let (first, last, x0, x1) = (band.first, band.last, band.from, band.to);
            if many {
                out.push_str(&format!(
                    "-- columns {first} to {last} of {first_col} to {last_col} --\n"
                ));
            }
            let (mut top, mut bottom) = reach
                .iter()
                .filter(|(x, _)| (band.body..x1).contains(x))
                .map(|&(_, ys)| ys)
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
                .unwrap_or((0, 0));
            // The lead's rows: those of the links from it into the band, and their names.
            let crossing = |flow: &usize| {
                extents[*flow].is_some_and(|(least, most)| least < band.body && most >= band.body)
            };
            for flow in (0..extents.len()).filter(crossing) {
                let route = canvas
                    .route(flow)
                    .map(|r| r.points.as_slice())
                    .unwrap_or(&[]);
                let name = canvas.label(flow).map(|l| l.cells()).unwrap_or_default();
                // A name is drawn in the lead only whole (see `GridView::reaching_into`).
                let whole = name.iter().all(|&(x, _)| (x0..band.body).contains(&x));
                let name = if whole { name } else { Vec::new() };
                for &(x, y) in route.iter().chain(&name) {
                    if (x0..band.body).contains(&x) {
                        (top, bottom) = (top.min(y), bottom.max(y));
                    }
                }
            }
            let lead = (band.body - x0).max(0) as u16;
            let mut y = top;
            while y <= bottom {
                let rows = (bottom - y + 1).min(ROWS_PER_CHUNK);
                let area = Rect::new(0, 0, (x1 - x0).max(1) as u16, rows as u16);
                // One buffer for every chunk: fresh pages for each would cost more than the drawing.
                buffer.resize(area);
                buffer.reset();
                let view = |origin: i32, reaching_into| GridView {
                    map,
                    verdicts: &report.verdicts,
                    canvas,
                    theme: &theme,
                    origin: (origin, y),
                    cursor: None,
                    selected_flow: None,
                    connecting_from: None,
                    bottleneck: metrics.as_ref().and_then(|m| m.bottleneck),
                    reaching_into,
                };
                let (lead_area, body_area) = (
                    Rect {
                        width: lead,
                        ..area
                    },
                    Rect {
                        x: lead,
                        width: area.width.saturating_sub(lead),
                        ..area
                    },
                );
                if lead > 0 {
                    let reaching = Reaching {
                        columns: (band.body, x1),
                        extents: &extents,
                    };
                    view(x0, Some(reaching)).render(lead_area, &mut buffer);
                }
                view(band.body, None).render(body_area, &mut buffer);
                push_lines(&mut out, &buffer, looks.color);
                y += rows;
            }
            // The ladder under the steps of the path that stand in this band.
            if let Some(m) = metrics
                .as_ref()
                .filter(|m| has_rungs(map, m, geometry, x0, x1))
            {
                let area = Rect::new(0, 0, (x1 - x0).max(1) as u16, LADDER_HEIGHT);
                let mut buffer = Buffer::empty(area);
                let ladder = TimelineView {
                    map,
                    metrics: m,
                    theme: &theme,
                    geometry,
                    origin_x: x0,
                    summary: false,
                };
                ladder.render(area, &mut buffer);
                out.push('\n');
                push_lines(&mut out, &buffer, looks.color);
            }
        }
        out
    };
    // Bands are drawn apart from each other: the second half of them on a second thread
    // where one can be had, the text the same either way.
    let (front, back) = bands.split_at(bands.len() / 2);
    let (mut out, back) = crate::both::both(|| draw_bands(front), || draw_bands(back));
    out.push_str(&back);
    let mut out = tidy_blank_lines(&out);
    if let Some(m) = &metrics {
        let dot = theme.glyphs.dot;
        let arrow = if theme.ascii { " > " } else { " → " };
        let day = map.day_minutes();
        let handoffs = metrics::describe_handoffs(map, m, day, |i| {
            crate::text::shown(&map.steps[i].label, 40)
        });
        out.push_str(&format!(
            "\nTimeline {dot} {}\n{}\nhandoff wait: {handoffs} {dot} activities used: {}\n",
            totals(m, dot, day),
            path_line(map, m, arrow, dot),
            metrics::describe_coverage(m)
        ));
    }
    out.push_str(&legend(map, canvas, &report.verdicts, &theme, true).join("\n"));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The legend: `number  mark  name`, one link a line, the name in full. With `all`, every
/// link that names an artifact (a text that can be searched and read aloud); else only the
/// links whose names stand on the map as numbers.
pub fn legend(
    map: &Map,
    canvas: &Canvas,
    verdicts: &[Verdict],
    theme: &Theme,
    all: bool,
) -> Vec<String> {
    let flows: Vec<usize> = if all {
        (0..map.flows.len())
            .filter(|&i| map.flows[i].artifact.is_some())
            .collect()
    } else {
        canvas.numbered().collect()
    };
    let Some(&last) = flows.last() else {
        return Vec::new();
    };
    let digits = (last + 1).to_string().len();
    let heading = if all {
        "Links (a number on a link stands for its name here):"
    } else {
        "Links by number:"
    };
    let mut lines = vec![String::new(), heading.to_string()];
    for flow in flows {
        let verdict = verdicts.get(flow).copied().unwrap_or(Verdict::OffChain);
        let name = map.flows[flow].artifact.as_deref().unwrap_or("");
        lines.push(format!(
            "{:>digits$}  {}  {}",
            flow + 1,
            theme.verdict_mark(verdict),
            visible(name)
        ));
    }
    lines
}

/// Drops the blank lines above the first box and below the last, and makes more empty
/// lines in a row than one grid row's height one line that says how many. One pass over
/// the text: a big map's drawing runs to megabytes.
fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut blank, mut started) = (0usize, false);
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if started && blank > 12 {
            out.push_str(&format!("   ... {blank} empty lines ...\n"));
        } else if started {
            out.push_str(&"\n".repeat(blank));
        }
        (blank, started) = (0, true);
        out.push_str(line);
        out.push('\n');
    }
    if !started {
        out.push('\n');
    }
    out
}

/// Appends the buffer's lines, right-trimmed, with SGR escapes when `color` is on.
fn push_lines(out: &mut String, buffer: &Buffer, color: bool) {
    let width = usize::from(buffer.area.width).max(1);
    for row in buffer.content.chunks(width) {
        if row.iter().all(|cell| cell.symbol().trim().is_empty()) {
            out.push('\n');
            continue;
        }
        // Written straight into `out`, then cut after the last character that is not
        // white space: what trimming the line's end would leave, without a line's copy.
        let mut end = out.len();
        let mut current = Style::default();
        let mut skip = 0;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if color {
                let style = cell.style();
                if style != current {
                    out.push_str(&sgr(style));
                    end = out.len();
                    current = style;
                }
            }
            let symbol = cell.symbol();
            // Most cells are one printable ASCII character: pushed as a byte, no copy call.
            if let &[byte @ b' '..=b'~'] = symbol.as_bytes() {
                if byte != b' ' {
                    end = out.len() + 1;
                }
                out.push(char::from(byte));
                continue;
            }
            let kept = symbol.trim_end().len();
            if kept > 0 {
                end = out.len() + kept;
            }
            out.push_str(symbol);
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        out.truncate(end);
        if color && current != Style::default() {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
}

/// The escape sequence that sets a style from scratch.
fn sgr(style: Style) -> String {
    let mut codes = vec!["0".to_string()];
    let modifiers = style.add_modifier;
    for (modifier, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
    ] {
        if modifiers.contains(modifier) {
            codes.push(code.into());
        }
    }
    if let Some(code) = style.fg.and_then(color_code) {
        codes.push(code.to_string());
    }
    format!("\x1b[{}m", codes.join(";"))
}

fn color_code(color: Color) -> Option<u8> {
    Some(match color {
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::activity::Activity;
    use crate::model::map::{Flow, Step};

    /// Blank lines above the first drawn line and below the last go; inside, a run longer
    /// than a grid row's height becomes one line that counts it, and shorter runs (lines of
    /// spaces too) stay as empty lines.
    #[test]
    fn blank_lines_go_at_the_edges_and_long_runs_are_counted() {
        let text = format!(" \n\nA\n\n   \nB{}C\n \n\n", "\n".repeat(15));
        assert_eq!(
            tidy_blank_lines(&text),
            "A\n\n\nB\n   ... 14 empty lines ...\nC\n"
        );
        let twelve = format!("A{}B", "\n".repeat(13));
        assert_eq!(tidy_blank_lines(&twelve), format!("{twelve}\n"));
        assert_eq!(tidy_blank_lines(" \n\n"), "\n");
        assert_eq!(tidy_blank_lines(""), "\n");
    }

    /// A render without colours draws from a canvas without a raster: its lines from the
    /// router's record and its links' reach, the lines in a band's lead from their points.
    /// It draws what a canvas with a raster draws, character for character: small maps,
    /// a dense one, and one big enough to be routed in halves, at several widths (leads
    /// and bands) and every zoom, in box-drawing and ASCII.
    #[test]
    fn a_render_without_a_raster_draws_what_one_with_it_draws() {
        let chain = Chain::builtin();
        let mut banded = 0;
        let maps = [
            crate::generate::large_map(30, 60, 3),
            crate::generate::random_map(40, 160, 5),
            crate::generate::large_map(2_500, 5_000, 3),
        ];
        for (k, map) in maps.iter().enumerate() {
            for zoom in [Zoom::Overview, Zoom::Normal, Zoom::Detail] {
                if k == 2 && zoom != Zoom::Normal {
                    continue;
                }
                let geometry = Geometry::new(map, zoom);
                let painted = Canvas::routed(map, geometry.clone());
                let unpainted = Canvas::routed_without_raster(map, geometry);
                assert!(painted.paints() && !unpainted.paints());
                for (width, ascii) in [(70, false), (130, true), (250, false)] {
                    let options = Options {
                        width,
                        zoom,
                        timeline: false,
                        looks: Looks {
                            ascii,
                            color: false,
                        },
                    };
                    let text = draw(&chain, map, &options, &painted);
                    banded += usize::from(text.contains("-- columns"));
                    assert_eq!(
                        text,
                        draw(&chain, map, &options, &unpainted),
                        "{k} {zoom:?} {width}"
                    );
                }
            }
        }
        assert!(banded >= 10, "most are drawn in bands: {banded}");
    }

    #[test]
    fn the_reach_of_a_drawing_is_its_least_and_most_y_at_each_x() {
        let mut far = crate::generate::large_map(30, 60, 3);
        far.steps.push(Step::new(
            "far",
            Activity::Value,
            "far away",
            Cell::new(u16::MAX, 3),
        ));
        // Kept in an array by x, and (with a step far out) in a hash map.
        for map in [crate::generate::large_map(30, 60, 3), far] {
            let canvas = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
            let mut want = std::collections::BTreeMap::new();
            let mut note = |(x, y): (i32, i32)| {
                let ys = want.entry(x).or_insert((y, y));
                *ys = (ys.0.min(y), ys.1.max(y));
            };
            for step in &map.steps {
                let r = canvas.geometry.box_rect(step.at);
                note((r.x, r.y));
                note((r.x + r.width - 1, r.y + r.height - 1));
            }
            for flow in 0..map.flows.len() {
                canvas
                    .route(flow)
                    .into_iter()
                    .flat_map(|r| r.points.clone())
                    .for_each(&mut note);
                canvas
                    .label(flow)
                    .into_iter()
                    .flat_map(|l| l.cells())
                    .for_each(&mut note);
            }
            let mut got = reach(&map, &canvas);
            got.sort_unstable();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn maps_at_the_far_edge_of_the_grid_render() {
        let mut map = Map::new("edges");
        map.steps
            .push(Step::new("a", Activity::Demand, "first", Cell::new(0, 0)));
        map.steps.push(Step::new(
            "b",
            Activity::Value,
            "last",
            Cell::new(u16::MAX, u16::MAX),
        ));
        map.flows.push(Flow::new("a", "b", None));
        let text = render(
            &Chain::builtin(),
            &map,
            48,
            Looks {
                ascii: true,
                color: false,
            },
        );
        assert!(text.contains("of 0 to 65535 --"), "{text}");
        assert!(text.contains("#last"));
    }
}
