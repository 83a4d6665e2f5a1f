//! The map's grid as a widget: connections, their marks and artifact names, and the step
//! boxes. It borrows what it draws, so the editor, `vsmap render` and the exports all draw
//! the one picture.

use super::boxes::box_text;
use super::canvas::Canvas;
use super::labels::{self, Label};
use super::paint::{blank, put, put_text};
use super::theme::Theme;
use crate::check::Verdict;
use crate::check::codes::Severity;
use crate::model::activity::Activity;
use crate::model::map::{Cell, Map, Step};
use crate::route::{self, Dir};
use crate::text::{minutes, shown};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use rustc_hash::FxHashMap;

/// Most characters of one user text drawn in a frame. Anything longer (a 1 MB label, a
/// 200,000-character note) shows its start and an ellipsis, so a frame costs the same
/// whatever the map holds.
pub const MAX_SHOWN_CHARS: usize = 1000;

/// User text made safe to draw: control characters, bidi overrides and zero-width marks are
/// shown escaped (`\u{1b}`), never sent to the terminal; past `MAX_SHOWN_CHARS` characters
/// the text is cut with an ellipsis.
pub fn visible(text: &str) -> String {
    shown(text, MAX_SHOWN_CHARS)
}

/// The cursor on the grid, where there is one.
#[derive(Debug, Clone, Copy)]
pub struct GridCursor<'a> {
    pub cell: Cell,
    /// What an empty cell under the cursor says ("a: add a step").
    pub hint: &'a str,
}

/// The grid seen from a world point.
pub struct GridView<'a> {
    pub map: &'a Map,
    /// One per flow; a flow without one counts as off-chain.
    pub verdicts: &'a [Verdict],
    pub canvas: &'a Canvas,
    pub theme: &'a Theme,
    /// The world character drawn at the area's top-left corner.
    pub origin: (i32, i32),
    pub cursor: Option<GridCursor<'a>>,
    pub selected_flow: Option<usize>,
    /// The step a connection is being made from: its whole border is marked.
    pub connecting_from: Option<usize>,
    /// The step marked as the bottleneck on its border.
    pub bottleneck: Option<usize>,
    /// Only the links that reach into some world columns are drawn, with their names
    /// where those stand wholly on the area, and no boxes: for the start of a band of
    /// `vsmap render`, which repeats the gap before it for the links that come into the
    /// band or leave it that way. None: everything.
    pub reaching_into: Option<Reaching<'a>>,
}

/// The links whose routes reach into the world columns `columns` (`from..to`).
#[derive(Debug, Clone, Copy)]
pub struct Reaching<'a> {
    pub columns: (i32, i32),
    /// How far each flow's route reaches across (`Reaching::extents`): worked out once for
    /// a whole render, not for each chunk of each band.
    pub extents: &'a [Option<(i32, i32)>],
}

impl Reaching<'_> {
    /// The least and most column each flow's route reaches, box cells at its ends
    /// included (`Route::x_extent`); None for a flow without a route.
    pub fn extents(canvas: &Canvas) -> Vec<Option<(i32, i32)>> {
        canvas
            .routes()
            .iter()
            .map(|r| r.as_ref().and_then(|r| r.x_extent()))
            .collect()
    }

    fn reaches(&self, flow: usize) -> bool {
        let (from, to) = self.columns;
        let extent = self.extents.get(flow).copied().flatten();
        extent.is_some_and(|(least, most)| least < to && most >= from)
    }
}

impl GridView<'_> {
    fn verdict(&self, flow: usize) -> Verdict {
        self.verdicts
            .get(flow)
            .copied()
            .unwrap_or(Verdict::OffChain)
    }

    fn route_style(&self, routes: impl Iterator<Item = usize> + Clone) -> Style {
        // A provisional line is dimmed until its real route replaces it.
        if routes.clone().all(|r| self.canvas.is_provisional(r)) {
            return self.theme.dim();
        }
        let selected = routes.clone().any(|r| Some(r) == self.selected_flow);
        // The worst verdict among the routes through a cell colours it.
        let verdict = routes
            .filter_map(|r| self.verdicts.get(r).copied())
            .max_by_key(|v| match v {
                Verdict::Canonical => 0,
                Verdict::Handoff => 1,
                _ => 2,
            })
            .unwrap_or(Verdict::Canonical);
        let style = self.theme.verdict(verdict);
        if selected {
            style.patch(self.theme.selected())
        } else {
            style
        }
    }

    /// Draws the lines on a canvas without a raster (a render without colours, which shows
    /// no styles): the router's record gives each cell's line, and the links near the area
    /// (`near`, the area `from..to` and the reach of names) are those whose routes' bounds
    /// meet it; a lead draws only its links' lines, from their own points. Returns the
    /// links near the area, for their names and marks.
    fn lines_from_router(
        &self,
        buf: &mut Buffer,
        area: Rect,
        (origin_x, origin_y): (i32, i32),
        near: ((i32, i32), (i32, i32)),
        (from, to): ((i32, i32), (i32, i32)),
    ) -> Vec<usize> {
        let canvas = self.canvas;
        let style = self.theme.verdict(Verdict::Canonical);
        let mut draw = |(x, y): (i32, i32), mask: u8| {
            let glyph = route::glyph(mask, self.theme.ascii);
            put(buf, x - origin_x, y - origin_y, area, glyph, style);
        };
        let near_flows = canvas.flows_near(near.0, near.1);
        let Some(reaching) = self.reaching_into else {
            for (cell, mask) in canvas.lines_in(from, to) {
                draw(cell, mask);
            }
            return near_flows.collect();
        };
        let flows: Vec<usize> = near_flows.filter(|&f| reaching.reaches(f)).collect();
        let inside = |x: i32, y: i32| (from.0..to.0).contains(&x) && (from.1..to.1).contains(&y);
        let mut masks: FxHashMap<(i32, i32), u8> = FxHashMap::default();
        for route in flows.iter().filter_map(|&f| canvas.route(f)) {
            for (k, &(x, y)) in route.points.iter().enumerate() {
                if inside(x, y) {
                    *masks.entry((x, y)).or_default() |= route.mask_at(k);
                }
            }
        }
        for (cell, mask) in masks {
            draw(cell, mask);
        }
        flows
    }
}

impl Widget for &GridView<'_> {
    /// Connections, then boxes, then the cursor.
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (theme, canvas) = (self.theme, self.canvas);
        let geometry = &canvas.geometry;
        let origin_x = self.origin.0 - i32::from(area.x);
        let origin_y = self.origin.1 - i32::from(area.y);
        let to_screen = |x: i32, y: i32| (x - origin_x, y - origin_y);

        // Connections first; boxes are drawn over nothing but their own cells. The routes
        // met on screen are noted for their marks, so nothing here grows with the map.
        let raster = canvas.raster();
        let mut on_screen: Vec<usize> = Vec::new();
        let corner = |sx: u16, sy: u16| (i32::from(sx) + origin_x, i32::from(sy) + origin_y);
        let (from, to) = (
            corner(area.left(), area.top()),
            corner(area.right(), area.bottom()),
        );
        // A name stands near its line, not always on the area with it: the routes just off
        // the area are noted too, for their names.
        let (reach_x, reach_y) = labels::REACH;
        let near = (
            (
                from.0.saturating_sub(reach_x),
                from.1.saturating_sub(reach_y),
            ),
            (to.0.saturating_add(reach_x), to.1.saturating_add(reach_y)),
        );
        let inside = |x: i32, y: i32| (from.0..to.0).contains(&x) && (from.1..to.1).contains(&y);
        // A line's cells mostly follow each other here, with the same routes through
        // them: those are noted and styled once.
        let mut last: Option<(&[u32], Style)> = None;
        let shows = |flow: usize| self.reaching_into.is_none_or(|r| r.reaches(flow));
        if canvas.paints() {
            for ((wx, wy), mask, routes) in raster.lines_in(near.0, near.1) {
                // Where only some links are drawn, a cell shows their bits alone.
                let mask = match self.reaching_into {
                    None => mask,
                    Some(_) => routes
                        .with_bits()
                        .filter(|&(r, _)| shows(r))
                        .fold(0, |mask, (_, bits)| mask | bits),
                };
                if mask == 0 {
                    continue;
                }
                let style = match last {
                    Some((entries, style)) if entries == routes.entries() => style,
                    _ => {
                        let entries = routes.entries();
                        let shown = routes.filter(|&r| shows(r));
                        on_screen.extend(shown.clone());
                        let style = self.route_style(shown);
                        last = Some((entries, style));
                        style
                    }
                };
                if inside(wx, wy) {
                    let (sx, sy) = to_screen(wx, wy);
                    put(buf, sx, sy, area, route::glyph(mask, theme.ascii), style);
                }
            }
        } else {
            on_screen = self.lines_from_router(buf, area, (origin_x, origin_y), near, (from, to));
        }
        on_screen.sort_unstable();
        on_screen.dedup();
        for index in on_screen {
            let Some(route) = canvas.route(index) else {
                continue;
            };
            let verdict = self.verdict(index);
            let style = if canvas.is_provisional(index) {
                theme.dim()
            } else if self.selected_flow == Some(index) {
                theme.verdict(verdict).patch(theme.selected())
            } else {
                theme.verdict(verdict)
            };
            // A lead shows a name only whole: one that stands partly in the band before,
            // where it is drawn whole, would show here as the end of a word.
            let label = canvas.label(index).filter(|label| {
                self.reaching_into.is_none()
                    || label
                        .cells()
                        .iter()
                        .all(|&(x, _)| (from.0..to.0).contains(&x))
            });
            match label {
                Some(Label::Name { x, y, lines }) => {
                    for (k, line) in lines.iter().enumerate() {
                        let (sx, sy) = to_screen(*x, y + k as i32);
                        put_text(buf, sx, sy, area, line, usize::MAX, style);
                    }
                }
                Some(Label::Number { x, y, text }) => {
                    let (sx, sy) = to_screen(*x, *y);
                    put_text(
                        buf,
                        sx,
                        sy,
                        area,
                        text,
                        usize::MAX,
                        style.add_modifier(Modifier::BOLD),
                    );
                }
                None => {}
            }
            let &(ax, ay) = route.points.last().expect("routes have points");
            let arrow = theme.glyphs.arrows[match route.arrow {
                Dir::Up => 0,
                Dir::Down => 1,
                Dir::Left => 2,
                Dir::Right => 3,
            }];
            let (sx, sy) = to_screen(ax, ay);
            put(buf, sx, sy, area, arrow, style);
            if route.points.len() >= 2 {
                let (mx, my) = route.points[route.points.len() - 2];
                let (sx, sy) = to_screen(mx, my);
                put(buf, sx, sy, area, theme.verdict_mark(verdict), style);
            }
            // A connection with improvement notes shows a star where it leaves its step.
            if route.points.len() >= 3 && !self.map.flows[index].improvements.is_empty() {
                let (sx, sy) = to_screen(route.points[0].0, route.points[0].1);
                put(
                    buf,
                    sx,
                    sy,
                    area,
                    theme.glyphs.improvement,
                    theme.severity(Severity::Warning),
                );
            }
        }

        if self.reaching_into.is_some() {
            return;
        }
        // Boxes in the cells on screen.
        let far = (
            self.origin.0 + i32::from(area.width),
            self.origin.1 + i32::from(area.height),
        );
        let first = geometry
            .cell_of(self.origin.0.max(0), self.origin.1.max(0))
            .unwrap_or(Cell::new(0, 0));
        let last = geometry
            .cell_of(far.0.max(0), far.1.max(0))
            .unwrap_or(Cell::new(u16::MAX, u16::MAX));
        // Inclusive ranges: the last cell of the grid (65535) must still be drawn.
        for row in first.row..=last.row {
            for col in first.col..=last.col {
                let cell = Cell::new(col, row);
                let rect = geometry.box_rect(cell);
                let (x, y) = to_screen(rect.x, rect.y);
                let cursor = self.cursor.filter(|c| c.cell == cell);
                match canvas.step_at(cell) {
                    Some(index) => self.draw_step(buf, area, rect, (x, y), index, cursor.is_some()),
                    None => {
                        if let Some(cursor) = cursor {
                            draw_empty_cursor(buf, area, rect, (x, y), cursor.hint, theme);
                        }
                    }
                }
            }
        }
    }
}

impl GridView<'_> {
    fn draw_step(
        &self,
        buf: &mut Buffer,
        area: Rect,
        rect: route::Rect,
        (x, y): (i32, i32),
        index: usize,
        cursor: bool,
    ) {
        let theme = self.theme;
        let step = &self.map.steps[index];
        // The cursor reverses the box's heading only: a cursor move then rewrites two short
        // runs of cells, which keeps it cheap over a slow link. The source of a connection
        // being made is marked on its whole border.
        let border = if self.connecting_from == Some(index) {
            theme.activity(step.activity).patch(theme.selected())
        } else {
            theme.activity(step.activity)
        };
        let [tl, tr, bl, br, h, v] = box_glyphs(theme, step.activity);
        let (w, hgt) = (rect.width, rect.height);
        for dx in 1..w - 1 {
            put(buf, x + dx, y, area, h, border);
            put(buf, x + dx, y + hgt - 1, area, h, border);
        }
        for dy in 1..hgt - 1 {
            put(buf, x, y + dy, area, v, border);
            put(buf, x + w - 1, y + dy, area, v, border);
            for dx in 1..w - 1 {
                blank(buf, x + dx, y + dy, area);
            }
        }
        put(buf, x, y, area, tl, border);
        put(buf, x + w - 1, y, area, tr, border);
        put(buf, x, y + hgt - 1, area, bl, border);
        put(buf, x + w - 1, y + hgt - 1, area, br, border);

        let inner = (w - 2) as usize;
        let text = box_text(
            step,
            self.canvas.geometry.zoom,
            inner,
            &theme.glyphs,
            self.map.day_minutes(),
        );
        let heading_style = theme.activity(step.activity).add_modifier(Modifier::BOLD);
        let heading_style = if cursor {
            heading_style.patch(theme.selected())
        } else {
            heading_style
        };
        let mut row = y + 1;
        let mut line = |buf: &mut Buffer, text: &str, style: Style| {
            put_text(buf, x + 1, row, area, text, inner, style);
            row += 1;
        };
        for heading in &text.heading {
            line(buf, heading, heading_style);
        }
        for label in &text.label {
            line(buf, label, Style::new());
        }
        if let Some(times) = &text.times {
            line(buf, times, theme.dim());
        }
        if let Some(fields) = &text.data {
            // The data box sits at the bottom of the box, so those of one row line up.
            let [left, right, down, up] = theme.glyphs.tees;
            let (sep, values) = (y + hgt - 3, y + hgt - 2);
            put(buf, x, sep, area, left, border);
            put(buf, x + w - 1, sep, area, right, border);
            for dx in 1..w - 1 {
                put(buf, x + dx, sep, area, h, border);
            }
            let mut at = x + 1;
            for (k, field) in fields.iter().enumerate() {
                let room = if k == 2 {
                    (x + w - 1 - at).max(0) as usize
                } else {
                    unicode_width::UnicodeWidthStr::width(field.as_str())
                };
                put_text(buf, at, values, area, field, room, Style::new());
                at += room as i32;
                if k < 2 {
                    put(buf, at, sep, area, down, border);
                    put(buf, at, values, area, v, border);
                    put(buf, at, y + hgt - 1, area, up, border);
                    at += 1;
                }
            }
        }
        // Improvement notes, and the bottleneck, are marked on the top border.
        let mut badges = String::new();
        if self.bottleneck == Some(index) {
            badges.push_str(&format!("{}wait", theme.glyphs.warning));
        }
        if !step.improvements.is_empty() {
            badges.push_str(&format!(
                "{}{}",
                theme.glyphs.improvement,
                step.improvements.len()
            ));
        }
        if !badges.is_empty() {
            let width = badges.chars().count() as i32;
            put_text(
                buf,
                x + w - 2 - width,
                y,
                area,
                &badges,
                width as usize,
                theme.severity(Severity::Warning),
            );
        }
    }
}

fn box_glyphs(theme: &Theme, activity: Activity) -> [char; 6] {
    if activity.is_end() {
        theme.glyphs.end_box
    } else {
        theme.glyphs.step_box
    }
}

fn draw_empty_cursor(
    buf: &mut Buffer,
    area: Rect,
    rect: route::Rect,
    (x, y): (i32, i32),
    hint: &str,
    theme: &Theme,
) {
    let (w, h) = (rect.width, rect.height);
    let dash = theme.glyphs.empty_cell;
    for dx in 0..w {
        put(buf, x + dx, y, area, dash, theme.dim());
        put(buf, x + dx, y + h - 1, area, dash, theme.dim());
    }
    put_text(
        buf,
        x + 1,
        y + 2,
        area,
        hint,
        (w - 2) as usize,
        theme.selected(),
    );
}

/// "5m, wait 2h" from a step's times, in working days of `day_minutes`; empty when none is
/// set.
pub fn times_text(step: &Step, day_minutes: u32) -> String {
    let minutes = |m: u32| minutes(m, day_minutes);
    match (step.process_minutes, step.wait_minutes) {
        (Some(p), Some(w)) => format!("{}, wait {}", minutes(p), minutes(w)),
        (Some(p), None) => minutes(p),
        (None, Some(w)) => format!("wait {}", minutes(w)),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::boxes::Zoom;
    use crate::view::geometry::Geometry;
    use unicode_width::UnicodeWidthStr;

    /// The grid from `origin`, with no cursor, selection or marks.
    fn plain_view<'a>(
        map: &'a Map,
        canvas: &'a Canvas,
        theme: &'a Theme,
        origin: (i32, i32),
    ) -> GridView<'a> {
        GridView {
            map,
            verdicts: &[],
            canvas,
            theme,
            origin,
            cursor: None,
            selected_flow: None,
            connecting_from: None,
            bottleneck: None,
            reaching_into: None,
        }
    }

    /// A band's lead (`reaching_into`) draws the links that reach into the band, with
    /// their names, and nothing else: not the other lines through the gap, nor boxes.
    #[test]
    fn a_lead_draws_only_the_links_reaching_into_its_band() {
        let map = crate::generate::random_map(40, 200, 7);
        let canvas = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
        let theme = Theme::new(false, false);
        let geometry = &canvas.geometry;
        // The gap before column 3, drawing the links that reach column 5 or beyond: on this
        // map most lines through the gap reach column 3.
        let before = geometry.box_rect(Cell::new(2, 0));
        let (gap, body) = (before.x + before.width, geometry.col_x(3));
        let rows = geometry.extent(&map).1 as u16 + 2;
        let area = Rect::new(0, 0, (body - gap) as u16, rows);
        let extents = Reaching::extents(&canvas);
        let draw = |columns: Option<(i32, i32)>| {
            let mut buf = Buffer::empty(area);
            let view = GridView {
                reaching_into: columns.map(|columns| Reaching {
                    columns,
                    extents: &extents,
                }),
                ..plain_view(&map, &canvas, &theme, (gap, 0))
            };
            (&view).render(area, &mut buf);
            buf
        };
        let band = geometry.col_x(5);
        let (all, lead) = (draw(None), draw(Some((band, i32::MAX))));
        let reaches = |flow: usize| {
            let extent = canvas.route(flow).and_then(|r| r.x_extent());
            extent.is_some_and(|(_, most)| most >= band)
        };
        let names: Vec<(i32, i32)> = (0..map.flows.len())
            .filter(|&f| reaches(f))
            .filter_map(|f| canvas.label(f))
            .flat_map(|l| l.cells())
            .collect();
        let (mut drawn, mut left_out) = (0, 0);
        for (sx, sy) in (0..area.width).flat_map(|x| (0..area.height).map(move |y| (x, y))) {
            let (x, y) = (gap + i32::from(sx), i32::from(sy));
            let blank = |buf: &Buffer| buf[(sx, sy)].symbol() == " ";
            if blank(&lead) {
                left_out += usize::from(!blank(&all));
                continue;
            }
            drawn += 1;
            let on_a_line = canvas.raster().routes_at(x, y).any(reaches);
            assert!(on_a_line || names.contains(&(x, y)), "({x}, {y})");
        }
        assert!(drawn > 20 && left_out > 20, "{drawn} {left_out}");
    }

    /// An area that holds a name but none of its line's cells (the editor's view scrolled
    /// past the line, a band or a chunk of `vsmap render` cut beside it) still shows the
    /// name: the routes near the area are drawn for their names. Near enough, as every
    /// label stands within `labels::REACH` of its line.
    #[test]
    fn a_name_is_drawn_on_an_area_its_line_is_not_on() {
        let theme = Theme::new(false, false);
        let mut shown = 0;
        for sample in ["new-it-service", "incident-management", "cloud-migration"] {
            let path = format!("{}/sample-maps/{sample}.ron", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let map: Map = crate::io::ron_text::parse("map", &text).unwrap();
            let canvas = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
            for flow in 0..map.flows.len() {
                // Every label, name or number, stands within its reach of its line.
                let (Some(label), Some(route)) = (canvas.label(flow), canvas.route(flow)) else {
                    continue;
                };
                let (reach_x, reach_y) = labels::REACH;
                for (cx, cy) in label.cells() {
                    let near = |&(px, py): &(i32, i32)| {
                        (px - cx).abs() <= reach_x && (py - cy).abs() <= reach_y
                    };
                    assert!(route.points.iter().any(near), "{sample} flow {flow}");
                }
                let Label::Name { x, y, lines } = label else {
                    continue;
                };
                let width = lines.iter().map(|l| l.width()).max().unwrap_or(0);
                let (columns, rows) = (*x..*x + width as i32, *y..*y + lines.len() as i32);
                let on_area = |&(px, py): &(i32, i32)| columns.contains(&px) && rows.contains(&py);
                if route.points.iter().any(on_area) {
                    continue;
                }
                let area = Rect::new(0, 0, width as u16, lines.len() as u16);
                let mut buf = Buffer::empty(area);
                let view = plain_view(&map, &canvas, &theme, (*x, *y));
                (&view).render(area, &mut buf);
                for (k, line) in lines.iter().enumerate() {
                    let drawn: String = (0..area.width)
                        .map(|c| buf[(c, k as u16)].symbol())
                        .collect();
                    assert!(
                        drawn.starts_with(line.as_str()),
                        "{sample} flow {flow}: {drawn:?}"
                    );
                }
                shown += 1;
            }
        }
        assert!(shown >= 10, "{shown}");
    }
}
