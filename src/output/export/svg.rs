//! A self-contained SVG picture of the map.

use super::*;
use crate::output::render::legend;
use crate::view::boxes::{Zoom, box_text};
use crate::view::canvas::Canvas;
use crate::view::labels::Label;
use crate::view::timeline::{TIMELINE_HEIGHT, TimelineView};
use std::fmt::Write;

/// Pixels per character column and per row of the text layout: the picture is the map as
/// `vsmap render --zoom detail` lays it out, drawn with shapes and a monospace font.
pub(super) const PX_X: i64 = 8;
pub(super) const PX_Y: i64 = 16;
/// Space around the map, and the band above it for the title.
pub(super) const MARGIN: i64 = 16;
pub(super) const TITLE_BAND: i64 = 32;
const FONT: &str = "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\"";

/// A rectangle in pixels, i64 so that cells up to 65535 never overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Px {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

pub(super) fn svg(graph: &Graph) -> String {
    let map = graph.map;
    let canvas = Canvas::routed_without_raster(map, Geometry::new(map, Zoom::Detail));
    let geometry = &canvas.geometry;
    let boxes: Vec<route::Rect> = map.steps.iter().map(|s| geometry.box_rect(s.at)).collect();
    let theme = Theme::new(false, false);
    // The lines' corners are found beside the metrics and the legend: each is tens of
    // milliseconds on a map of ten thousand steps.
    let (lines, (metrics, legend)) = crate::both::both(
        || -> Vec<Option<Vec<(i64, i64)>>> {
            let routes = canvas.routes().iter();
            routes.map(|r| r.as_ref().map(polyline)).collect()
        },
        || {
            let metrics = (!map.steps.is_empty()).then(|| metrics::metrics(map));
            let verdicts = &graph.report.verdicts;
            (metrics, legend(map, &canvas, verdicts, &theme, true))
        },
    );
    // The ladder with the metrics, the legend of numbered links and the key of the marks go
    // under the map, as text rows in the same monospace grid.
    let map_box = view_box(graph, &boxes, &lines, &canvas);
    let chars_wide = (map_box.w / PX_X).clamp(40, 4000) as u16;
    let mut under: Vec<String> = Vec::new();
    if let Some(metrics) = &metrics {
        let area = ratatui::layout::Rect::new(0, 0, chars_wide, TIMELINE_HEIGHT);
        let mut buffer = ratatui::buffer::Buffer::empty(area);
        let ladder = TimelineView {
            map,
            metrics,
            theme: &theme,
            geometry,
            origin_x: (map_box.x / PX_X) as i32,
            summary: true,
        };
        ratatui::widgets::Widget::render(&ladder, area, &mut buffer);
        under.extend(buffer_lines(&buffer));
        under.extend(legend);
        under.push(String::new());
        under.push(format!(
            "Key: {} canonical  {} handoff  {} off-chain or unknown artifact  {} improvement notes",
            mark(Verdict::Canonical),
            mark(Verdict::Handoff),
            mark(Verdict::OffChain),
            theme.glyphs.improvement
        ));
    }
    let view = Px {
        h: map_box.h + (under.len() as i64 + 1) * PX_Y,
        w: map_box.w.max(
            under
                .iter()
                .map(|l| l.chars().count() as i64)
                .max()
                .unwrap_or(0)
                * PX_X
                + 2 * MARGIN,
        ),
        ..map_box
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" preserveAspectRatio=\"xMinYMin meet\" font-family=\"sans-serif\">",
        view.w, view.h, view.x, view.y, view.w, view.h
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&map.title));
    push_svg_defs(&mut out);
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        view.x, view.y, view.w, view.h
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\" fill=\"#263238\">{}</text>",
        view.x + MARGIN,
        view.y + MARGIN + 8,
        xml(&map.title)
    );
    if map.steps.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#546e7a\">(the map has no steps)</text>",
            view.x + MARGIN,
            view.y + TITLE_BAND + MARGIN + 8
        );
    }
    // The links are written on a second thread while the steps are written here (here
    // too where no thread can be had): on a map of ten thousand steps each is megabytes.
    let write_flows = || {
        let mut text = String::new();
        for (flow, line) in lines.iter().enumerate() {
            push_svg_flow(&mut text, graph, flow, line.as_deref(), &boxes, &canvas);
        }
        text
    };
    let write_steps = || {
        for (step, &rect) in map.steps.iter().zip(&boxes) {
            push_svg_step(&mut out, step, rect, &theme, map.day_minutes());
        }
    };
    let ((), flows) = crate::both::both(write_steps, write_flows);
    crate::both::drop_elsewhere((canvas, lines));
    out.push_str(&flows);
    let top = map_box.y + map_box.h;
    for (k, line) in under.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" {FONT} fill=\"#263238\" xml:space=\"preserve\">{}</text>",
            map_box.x,
            top + (k as i64 + 1) * PX_Y,
            xml(line)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The rows of a buffer as text, right-trimmed.
fn buffer_lines(buffer: &ratatui::buffer::Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect()
}

pub(super) fn px_rect(r: route::Rect) -> Px {
    Px {
        x: i64::from(r.x) * PX_X,
        y: i64::from(r.y) * PX_Y,
        w: i64::from(r.width) * PX_X,
        h: i64::from(r.height) * PX_Y,
    }
}

/// Everything drawn, with a margin and the title band; wide enough for the title.
pub(super) fn view_box(
    graph: &Graph,
    boxes: &[route::Rect],
    lines: &[Option<Vec<(i64, i64)>>],
    canvas: &Canvas,
) -> Px {
    // The corners of every name's cells and every box, and the lines' corners.
    let corners = |p: Px| [(p.x, p.y), (p.x + p.w, p.y + p.h)];
    let names = (0..graph.map.flows.len())
        .filter_map(|flow| canvas.label(flow))
        .flat_map(|label| label.cells())
        .flat_map(|(x, y)| corners(px_rect(route::Rect::new(x, y, 1, 1))));
    let steps = boxes.iter().flat_map(|&b| corners(px_rect(b)));
    let lines = lines.iter().flatten().flatten().copied();
    let points = names.chain(steps).chain(lines);
    let far = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    let (x0, y0, x1, y1) = match points.fold(far, |(a, b, c, d), (x, y)| {
        (a.min(x), b.min(y), c.max(x), d.max(y))
    }) {
        // Nothing drawn.
        bounds if bounds == far => (0, 0, 240, 40),
        bounds => bounds,
    };
    let title = graph.map.title.chars().count().min(10_000) as i64 * 9;
    Px {
        x: x0 - MARGIN,
        y: y0 - MARGIN - TITLE_BAND,
        w: (x1 - x0 + 2 * MARGIN).max(title + 2 * MARGIN),
        h: y1 - y0 + 2 * MARGIN + TITLE_BAND,
    }
}

pub(super) fn push_svg_defs(out: &mut String) {
    out.push_str("<defs>\n");
    for verdict in [
        Verdict::Canonical,
        Verdict::Handoff,
        Verdict::OffChain,
        Verdict::UnknownArtifact,
    ] {
        let _ = writeln!(
            out,
            "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
            verdict.as_str(),
            colour(verdict)
        );
    }
    out.push_str("</defs>\n");
}

/// A step: a box (double and rounder for Demand and Value) holding what its box holds at
/// detail zoom: the activity heading, the whole label and the data box with process time,
/// wait and %C/A.
pub(super) fn push_svg_step(
    out: &mut String,
    step: &Step,
    rect: route::Rect,
    theme: &Theme,
    day_minutes: u32,
) {
    let b = px_rect(rect);
    let end = step.activity.is_end();
    let _ = writeln!(
        out,
        "<g class=\"step\"><title>{} ({}): {}</title>",
        xml(&step.label),
        xml(&step.id),
        xml(&check::describe_step_kinds(step))
    );
    let (rx, fill) = if end { (14, "#eceff1") } else { (4, "#ffffff") };
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"#37474f\" stroke-width=\"1.5\"/>",
        b.x, b.y, b.w, b.h
    );
    if end {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"none\" stroke=\"#37474f\" stroke-width=\"1\"/>",
            b.x + 4,
            b.y + 4,
            b.w - 8,
            b.h - 8,
            rx - 4
        );
    }
    let inner = (rect.width - 2).max(1) as usize;
    let text = box_text(step, Zoom::Detail, inner, &theme.glyphs, day_minutes);
    let x = b.x + PX_X;
    let mut row = 1;
    let mut put = |out: &mut String, line: &str, attributes: &str| {
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" font-size=\"13\" {FONT} {attributes} xml:space=\"preserve\">{}</text>",
            b.y + row * PX_Y + 12,
            xml(line)
        );
        row += 1;
    };
    for line in &text.heading {
        put(out, line, "font-weight=\"bold\" fill=\"#546e7a\"");
    }
    for line in &text.label {
        put(out, line, "fill=\"#263238\"");
    }
    if let Some(fields) = &text.data {
        // The data box along the bottom of the box, as in the text layout.
        let sep = b.y + b.h - 2 * PX_Y - PX_Y / 2;
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{sep}\" x2=\"{}\" y2=\"{sep}\" stroke=\"#90a4ae\"/>",
            b.x,
            b.x + b.w
        );
        // Three fields with a rule between them, where the text layout puts its tees.
        let row_y = b.y + b.h - PX_Y - 4;
        let mut at = 1i64;
        for (k, field) in fields.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text class=\"data\" x=\"{}\" y=\"{row_y}\" font-size=\"13\" {FONT} fill=\"#37474f\">{}</text>",
                b.x + at * PX_X,
                xml(field)
            );
            at += unicode_width::UnicodeWidthStr::width(field.as_str()) as i64;
            if k < 2 {
                let rule = b.x + at * PX_X + PX_X / 2;
                let _ = writeln!(
                    out,
                    "<line x1=\"{rule}\" y1=\"{sep}\" x2=\"{rule}\" y2=\"{}\" stroke=\"#90a4ae\"/>",
                    b.y + b.h
                );
                at += 1;
            }
        }
    }
    out.push_str("</g>\n");
}

/// A flow: its routed polyline with an arrowhead, or a dashed straight line between the
/// box centres when no route was found; nothing when an end is missing or it loops back
/// onto its own step.
pub(super) fn push_svg_flow(
    out: &mut String,
    graph: &Graph,
    flow: usize,
    line: Option<&[(i64, i64)]>,
    boxes: &[route::Rect],
    canvas: &Canvas,
) {
    let Some((from, to)) = graph.ends[flow] else {
        return;
    };
    let verdict = graph.verdict(flow);
    let text = graph.edge_text(flow);
    let c = colour(verdict);
    let dash = if verdict == Verdict::Handoff {
        " stroke-dasharray=\"6 3\""
    } else {
        ""
    };
    let kind = verdict.as_str();
    let stroke = format!(
        "fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"{dash} marker-end=\"url(#arrow-{kind})\""
    );
    let title = xml(&text);
    let head = |out: &mut String| {
        let _ = writeln!(
            out,
            "<g class=\"flow {kind}\"><title>{title} — {kind}</title>"
        );
    };
    match line {
        Some(points) => {
            head(out);
            out.push_str("<polyline points=\"");
            for (k, (x, y)) in points.iter().enumerate() {
                let gap = if k == 0 { "" } else { " " };
                let _ = write!(out, "{gap}{x},{y}");
            }
            let _ = writeln!(out, "\" {stroke}/>");
        }
        None if from != to => {
            let (a, b) = (px_rect(boxes[from]), px_rect(boxes[to]));
            let (x1, y1, x2, y2) = (a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2);
            head(out);
            let _ = writeln!(
                out,
                "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" {stroke} stroke-opacity=\"0.6\"/>"
            );
        }
        None => return,
    }
    // The artifact's name where the layout put it, or its number (the legend names it).
    let rows: Vec<(i32, i32, &str, &str)> = match canvas.label(flow) {
        Some(Label::Name { x, y, lines }) => lines
            .iter()
            .enumerate()
            .map(|(k, l)| (*x, y + k as i32, l.as_str(), "artifact"))
            .collect(),
        Some(Label::Number { x, y, text }) => vec![(*x, *y, text.as_str(), "number")],
        None => Vec::new(),
    };
    for (x, y, line, class) in rows {
        let p = px_rect(route::Rect::new(x, y, 1, 1));
        let _ = writeln!(
            out,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" font-size=\"13\" {FONT} fill=\"{c}\" xml:space=\"preserve\">{}</text>",
            p.x,
            p.y + 12,
            xml(line)
        );
    }
    if line.is_some() {
        // The verdict's mark beside the arrowhead, so it reads without colour too.
        if let Some(route) = canvas.route(flow)
            && route.points.len() >= 2
        {
            let (mx, my) = route.points[route.points.len() - 2];
            let p = px_rect(route::Rect::new(mx, my, 1, 1));
            let _ = writeln!(
                out,
                "<text class=\"mark\" x=\"{}\" y=\"{}\" font-size=\"12\" {FONT} fill=\"{c}\">{}</text>",
                p.x,
                p.y + 12,
                mark(verdict)
            );
        }
    }
    out.push_str("</g>\n");
}

/// A route's cells as pixel centres, extended by half a cell at each end so the line
/// meets the boxes, keeping only the corners.
pub(super) fn polyline(route: &Route) -> Vec<(i64, i64)> {
    let centre = |(x, y): (i32, i32)| {
        (
            i64::from(x) * PX_X + PX_X / 2,
            i64::from(y) * PX_Y + PX_Y / 2,
        )
    };
    let nudge = |(x, y): (i64, i64), dir: Dir| {
        let (dx, dy) = dir.delta();
        (x + i64::from(dx) * PX_X / 2, y + i64::from(dy) * PX_Y / 2)
    };
    let (Some(&first), Some(&last)) = (route.points.first(), route.points.last()) else {
        return Vec::new();
    };
    let start = nudge(centre(first), route.leave.opposite());
    let end = nudge(centre(last), route.arrow);
    let points = route.points.iter().map(|&p| centre(p));
    corners(std::iter::once(start).chain(points).chain([end]))
}

/// Drops points that lie on a straight line between their neighbours. Taken one by one, as
/// a route of thousands of cells has a few dozen corners.
pub(super) fn corners(points: impl IntoIterator<Item = (i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Text for XML content and attribute values, without the characters XML 1.0 forbids.
pub(super) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
