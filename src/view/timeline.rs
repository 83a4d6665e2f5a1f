//! The classic value stream timeline under the map: along the longest path, each step's
//! wait on the upper level (before its box) and its process time on the lower level (under
//! its box), lined up under the steps' columns, with their names, the totals, the path and
//! the bottleneck.

use super::geometry::Geometry;
use super::theme::Theme;
use crate::check::codes::Severity;
use crate::metrics::{self, Metrics};
use crate::model::map::Map;
use crate::text::{fit, minutes, shown};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

/// Rows of the timeline: the totals, waits (high), process times (low), step names, and
/// the path with its bottleneck.
pub const TIMELINE_HEIGHT: u16 = 5;

pub struct TimelineView<'a> {
    pub map: &'a Map,
    pub metrics: &'a Metrics,
    pub theme: &'a Theme,
    pub geometry: &'a Geometry,
    /// The world column drawn at the area's left edge: the ladder scrolls with the grid.
    pub origin_x: i32,
    /// The totals above the ladder and the path with its bottleneck below it; without them
    /// the ladder's three rows alone (`vsmap render` prints the summary once, under all).
    pub summary: bool,
}

/// Rows of the ladder alone: waits, process times, step names.
pub const LADDER_HEIGHT: u16 = 3;

/// "lead 3h25m · process 20m · flow efficiency 42.0% · %C/A 61.0%", in working days of
/// `day_minutes`.
pub fn totals(m: &Metrics, dot: char, day_minutes: u32) -> String {
    let known = !m.path.is_empty();
    let or_missing = |v: String| if known { v } else { "missing".into() };
    format!(
        "lead {} {dot} process {} {dot} flow efficiency {} {dot} %C/A {}",
        metrics::describe(&m.lead, known, day_minutes),
        metrics::describe(&m.process, known, day_minutes),
        or_missing(metrics::percent(m.flow_efficiency)),
        or_missing(metrics::percent(m.rolled_complete_accurate)),
    )
}

/// "bottleneck: Investigated (wait 3d2h) · path: Demand → Log → … → Value".
pub fn path_line(map: &Map, m: &Metrics, arrow: &str, dot: char) -> String {
    let name = |i: usize| shown(&map.steps[i].label, 40);
    let minutes = |value: u32| minutes(value, map.day_minutes());
    let bottleneck = match m.bottleneck {
        Some(i) => format!(
            "bottleneck: {} (wait {}{})",
            name(i),
            map.steps[i].wait_minutes.map_or("?".into(), minutes),
            if m.path.contains(&i) {
                ""
            } else {
                ", off the path"
            }
        ),
        None => "bottleneck: none (no waits entered)".into(),
    };
    if m.path.is_empty() {
        return "No path from Demand to Value yet: connect them to see the timeline.".into();
    }
    let path: Vec<String> = m.path.iter().map(|&i| name(i)).collect();
    format!("{bottleneck} {dot} path: {}", path.join(arrow))
}

/// Where each step of the ladder goes, in world columns: its wait segment from `wait_x`
/// to its box's left edge, its process segment across the box.
struct Rung {
    step: usize,
    /// Where the wait's text may start: after the previous rung's up corner.
    text_x: i32,
    wait_x: i32,
    box_x: i32,
    box_end: i32,
}

/// Whether any step of the ladder stands between these world columns.
pub fn has_rungs(map: &Map, m: &Metrics, geometry: &Geometry, from: i32, to: i32) -> bool {
    rungs(map, m, geometry)
        .iter()
        .any(|r| r.box_end > from && r.wait_x < to)
}

fn rungs(map: &Map, m: &Metrics, geometry: &Geometry) -> Vec<Rung> {
    let mut out: Vec<Rung> = Vec::new();
    let mut end = geometry.view_x(0);
    let mut text_x = end;
    for &step in &m.path {
        let s = &map.steps[step];
        if s.activity.is_end() {
            continue;
        }
        let r = geometry.box_rect(s.at);
        // Under its own box when the path goes right; after the previous rung when it
        // doubles back or two path steps share a column.
        let wait_x = end;
        let box_x = r.x.max(end + 4);
        let box_end = box_x + r.width;
        out.push(Rung {
            step,
            text_x,
            wait_x,
            box_x,
            box_end,
        });
        // The next wait's text may stand over this box, where the high level is empty.
        text_x = box_x + 1;
        end = box_end;
    }
    out
}

impl Widget for &TimelineView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (m, theme) = (self.metrics, self.theme);
        let dot = theme.glyphs.dot;
        let minutes = |value: u32| minutes(value, self.map.day_minutes());
        let line = |buf: &mut Buffer, row: u16, text: &str, style: Style| {
            if row < area.bottom() {
                buf.set_stringn(
                    area.x,
                    row,
                    fit(text, usize::from(area.width), theme.glyphs.ellipsis),
                    usize::from(area.width),
                    style,
                );
            }
        };
        let top = if self.summary {
            line(
                buf,
                area.y,
                &format!(" Timeline {dot} {}", totals(m, dot, self.map.day_minutes())),
                theme.heading(),
            );
            let arrow = if theme.ascii { " > " } else { " → " };
            line(
                buf,
                area.y + 4,
                &format!(" {}", path_line(self.map, m, arrow, dot)),
                theme.dim(),
            );
            area.y + 1
        } else {
            area.y
        };
        let [h, high_down, high_up, low_up, low_down] = theme.glyphs.ladder;
        let (high, low, names) = (top, top + 1, top + 2);
        let to_screen = |x: i32| x - self.origin_x + i32::from(area.x);
        let put = |buf: &mut Buffer, x: i32, y: u16, text: &str, room: usize, style| {
            crate::view::paint::put_text(buf, to_screen(x), i32::from(y), area, text, room, style)
        };
        for rung in rungs(self.map, m, self.geometry) {
            let s = &self.map.steps[rung.step];
            let wait_style = if m.bottleneck == Some(rung.step) {
                theme.severity(Severity::Warning)
            } else {
                Style::new()
            };
            // The high level: the wait before the step, then down into the box's segment.
            let wait = s.wait_minutes.map_or("?".into(), minutes);
            let wait_len = (rung.box_x - rung.wait_x + 1).max(1) as usize;
            let mut high_line: String = h.to_string().repeat(wait_len.saturating_sub(1));
            high_line.push(high_down);
            put(buf, rung.wait_x, high, &high_line, wait_len, wait_style);
            // The wait's number right before the corner, over the previous box if the gap
            // is short.
            let text = format!(" {wait} ");
            let text_at = (rung.box_x - text.width() as i32).max(rung.text_x);
            put(
                buf,
                text_at,
                high,
                &text,
                (rung.box_x - text_at).max(0) as usize,
                wait_style,
            );
            // The low level: across the box, with the process time.
            let low_len = (rung.box_end - rung.box_x) as usize;
            let mut low_line = low_down.to_string();
            low_line.push_str(&h.to_string().repeat(low_len.saturating_sub(2)));
            low_line.push(low_up);
            put(buf, rung.box_x, low, &low_line, low_len, Style::new());
            let process = format!(" {} ", s.process_minutes.map_or("?".into(), minutes));
            if process.width() + 2 < low_len {
                put(
                    buf,
                    rung.box_x + 2,
                    low,
                    &process,
                    process.width(),
                    Style::new(),
                );
            }
            // Up again at the box's end, ready for the next wait.
            put(
                buf,
                rung.box_end - 1,
                high,
                &high_up.to_string(),
                1,
                Style::new(),
            );
            put(
                buf,
                rung.box_x,
                names,
                &fit(&shown(&s.label, 200), low_len, theme.glyphs.ellipsis),
                low_len,
                wait_style,
            );
        }
    }
}
