//! A self-contained SVG picture of the map.

use super::*;

/// Pixels per character column and per row of the editor's layout.
pub(super) const PX_X: i64 = 8;
pub(super) const PX_Y: i64 = 16;
/// Space around the map, and the band above it for the title.
pub(super) const MARGIN: i64 = 16;
pub(super) const TITLE_BAND: i64 = 32;
/// Characters per label line in a box: what fits at 11 px in a 144 px box.
pub(super) const LABEL_CHARS: usize = 21;

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
    let geometry = Geometry::uniform();
    let boxes: Vec<route::Rect> = map.steps.iter().map(|s| geometry.box_rect(s.at)).collect();
    let requests: Vec<(usize, usize)> = graph
        .ends
        .iter()
        // An impossible request routes to nothing, as in the editor.
        .map(|e| e.unwrap_or((usize::MAX, usize::MAX)))
        .collect();
    let routes = route::route_all(&boxes, &requests);
    let lines: Vec<Option<Vec<(i64, i64)>>> =
        routes.iter().map(|r| r.as_ref().map(polyline)).collect();
    let view = view_box(graph, &boxes, &lines);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" font-family=\"sans-serif\">\n",
        view.w, view.h, view.x, view.y, view.w, view.h
    ));
    out.push_str(&format!("<title>{}</title>\n", xml(&map.title)));
    push_svg_defs(&mut out);
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        view.x, view.y, view.w, view.h
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\" fill=\"#263238\">{}</text>\n",
        view.x + MARGIN,
        view.y + MARGIN + 8,
        xml(&map.title)
    ));
    if map.steps.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#546e7a\">(the map has no steps)</text>\n",
            view.x + MARGIN,
            view.y + TITLE_BAND + MARGIN + 8
        ));
    }
    for (step, &rect) in map.steps.iter().zip(&boxes) {
        push_svg_step(&mut out, step, px_rect(rect));
    }
    for (flow, line) in lines.iter().enumerate() {
        push_svg_flow(&mut out, graph, flow, line.as_deref(), &boxes);
    }
    out.push_str("</svg>\n");
    out
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
) -> Px {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for &b in boxes {
        let p = px_rect(b);
        points.extend([(p.x, p.y), (p.x + p.w, p.y + p.h)]);
    }
    for line in lines.iter().flatten() {
        points.extend(line.iter().copied());
    }
    let (x0, y0, x1, y1) = points.iter().fold(
        (i64::MAX, i64::MAX, i64::MIN, i64::MIN),
        |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    );
    let (x0, y0, x1, y1) = if points.is_empty() {
        (0, 0, 240, 40)
    } else {
        (x0, y0, x1, y1)
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
        out.push_str(&format!(
            "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>\n",
            verdict.as_str(),
            colour(verdict)
        ));
    }
    out.push_str("</defs>\n");
}

/// A step: a box (double and rounder for Demand and Value), its tags, its label wrapped to
/// two lines, and its times; the full wording is in the tooltip.
pub(super) fn push_svg_step(out: &mut String, step: &Step, b: Px) {
    let end = step.activity.is_end();
    out.push_str(&format!(
        "<g class=\"step\"><title>{} ({}): {}</title>\n",
        xml(&step.label),
        xml(&step.id),
        xml(&check::describe_step_kinds(step))
    ));
    let (rx, fill) = if end { (14, "#eceff1") } else { (4, "#ffffff") };
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"#37474f\" stroke-width=\"1.5\"/>\n",
        b.x, b.y, b.w, b.h
    ));
    if end {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"none\" stroke=\"#37474f\" stroke-width=\"1\"/>\n",
            b.x + 4,
            b.y + 4,
            b.w - 8,
            b.h - 8,
            rx - 4
        ));
    }
    let cx = b.x + b.w / 2;
    out.push_str(&format!(
        "<text x=\"{cx}\" y=\"{}\" font-size=\"10\" font-weight=\"bold\" fill=\"#546e7a\" text-anchor=\"middle\">{}</text>\n",
        b.y + 18,
        xml(&tags(step))
    ));
    for (k, line) in crate::text::wrap(&one_line(&step.label), LABEL_CHARS, 2, '…')
        .iter()
        .enumerate()
    {
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"{}\" font-size=\"11\" fill=\"#263238\" text-anchor=\"middle\">{}</text>\n",
            b.y + 38 + 14 * k as i64,
            xml(line)
        ));
    }
    let times = times_text(step);
    if !times.is_empty() {
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"{}\" font-size=\"10\" fill=\"#546e7a\" text-anchor=\"middle\">{}</text>\n",
            b.y + b.h - 10,
            xml(&times)
        ));
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
    let stroke = format!(
        "fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"{dash} marker-end=\"url(#arrow-{})\"",
        verdict.as_str()
    );
    let shape = match line {
        Some(points) => {
            let list: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
            format!("<polyline points=\"{}\" {stroke}/>", list.join(" "))
        }
        None if from != to => {
            let (a, b) = (px_rect(boxes[from]), px_rect(boxes[to]));
            let (x1, y1, x2, y2) = (a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2);
            format!(
                "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" {stroke} stroke-opacity=\"0.6\"/>"
            )
        }
        None => return,
    };
    out.push_str(&format!(
        "<g class=\"flow {}\"><title>{} — {}</title>\n{shape}\n",
        verdict.as_str(),
        xml(&text),
        verdict.as_str()
    ));
    if let Some(((x, y), anchor, room)) = line.and_then(label_spot) {
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{y}\" font-size=\"9\" fill=\"{c}\" text-anchor=\"{anchor}\">{}</text>\n",
            xml(&edge_label(&text, verdict, room))
        ));
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
    let mut points = vec![nudge(centre(first), route.leave.opposite())];
    points.extend(route.points.iter().map(|&p| centre(p)));
    points.push(nudge(centre(last), route.arrow));
    corners(points)
}

/// Drops points that lie on a straight line between their neighbours.
pub(super) fn corners(points: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(points.len());
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

/// Where a flow's label goes and how many pixels it may take: above the middle of the
/// longest horizontal run, else beside the middle of the longest run (room for the mark
/// only, since the text would run over the boxes beside a vertical line).
pub(super) fn label_spot(points: &[(i64, i64)]) -> Option<((i64, i64), &'static str, i64)> {
    let segments = points.windows(2).map(|w| (w[0], w[1]));
    let longest = |horizontal: bool| {
        segments
            .clone()
            .filter(|(a, b)| (a.1 == b.1) == horizontal)
            .max_by_key(|(a, b)| ((a.0 - b.0).abs() + (a.1 - b.1).abs(), -a.0, -a.1))
    };
    if let Some((a, b)) = longest(true) {
        let room = (a.0 - b.0).abs() - 4;
        return Some((((a.0 + b.0) / 2, a.1 - 4), "middle", room));
    }
    let (a, b) = longest(false)?;
    Some(((a.0 + 4, (a.1 + b.1) / 2), "start", 0))
}

/// The whole edge text when it fits in `room` pixels (about 5.5 px per column at 9 px),
/// else the verdict mark alone: a cut artifact name would read as a different artifact.
pub(super) fn edge_label(text: &str, verdict: Verdict, room: i64) -> String {
    use unicode_width::UnicodeWidthStr;
    let text = one_line(text);
    let needed = i64::try_from(text.width()).unwrap_or(i64::MAX / 11) * 11 / 2;
    if needed <= room {
        text
    } else {
        mark(verdict).to_string()
    }
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
