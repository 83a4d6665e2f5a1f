//! The classic value stream timeline: along the longest path, each step's wait on the upper
//! level and its process time on the lower, with the totals.

use super::theme::Theme;
use crate::check::codes::Severity;
use crate::metrics::{self, Metrics};
use crate::model::map::Map;
use crate::text::{fit, minutes};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Rows of the timeline ladder: a heading, waits, the ladder's two levels, process times.
pub const TIMELINE_HEIGHT: u16 = 5;

pub struct TimelineView<'a> {
    pub map: &'a Map,
    pub metrics: &'a Metrics,
    pub theme: &'a Theme,
}

impl Widget for &TimelineView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (m, theme) = (self.metrics, self.theme);
        let known = !m.path.is_empty();
        let heading_text = format!(
            " Timeline · lead {} · process {} · efficiency {} · %C/A {}",
            metrics::describe(&m.lead, known),
            metrics::describe(&m.process, known),
            if known {
                metrics::percent(m.flow_efficiency)
            } else {
                "missing".into()
            },
            if known {
                metrics::percent(m.rolled_complete_accurate)
            } else {
                "missing".into()
            },
        );
        buf.set_stringn(
            area.x,
            area.y,
            fit(
                &heading_text,
                usize::from(area.width),
                theme.glyphs.ellipsis,
            ),
            usize::from(area.width),
            theme.heading(),
        );
        let steps: Vec<usize> = m
            .path
            .iter()
            .copied()
            .filter(|&i| !self.map.steps[i].activity.is_end())
            .collect();
        if steps.is_empty() {
            buf.set_stringn(
                area.x + 1,
                area.y + 2,
                "No path from Demand to Value yet: connect them to see the timeline.",
                usize::from(area.width.saturating_sub(1)),
                theme.dim(),
            );
            return;
        }
        // Each step gets a wait segment (high) and a process segment (low) of equal width.
        const SEGMENT: u16 = 9;
        // The ladder's corners: down from the high level, up from the low one, into and out
        // of it.
        let [h, high_down, high_up, low_up, low_down] = theme.glyphs.ladder;
        let (high, low) = (area.y + 2, area.y + 3);
        let mut x = area.x + 1;
        let right = area.right();
        let number = |value: Option<u32>| value.map_or_else(|| "?".to_string(), minutes);
        let width = usize::from(SEGMENT - 1);
        for &step in &steps {
            if x + 2 * SEGMENT > right {
                buf.set_string(x, high, theme.glyphs.ellipsis.to_string(), theme.dim());
                break;
            }
            let s = &self.map.steps[step];
            let wait_style = if m.bottleneck == Some(step) {
                theme.severity(Severity::Warning)
            } else {
                Style::new()
            };
            let mut put_glyph = |dx: u16, y: u16, glyph: char, style: Style| {
                buf.set_string(x + dx, y, glyph.to_string(), style)
            };
            for dx in 0..SEGMENT - 1 {
                put_glyph(dx, high, h, wait_style);
                put_glyph(SEGMENT + dx, low, h, Style::new());
            }
            put_glyph(SEGMENT - 1, high, high_down, wait_style);
            put_glyph(SEGMENT - 1, low, low_down, Style::new());
            put_glyph(2 * SEGMENT - 1, low, low_up, Style::new());
            put_glyph(2 * SEGMENT - 1, high, high_up, Style::new());
            // Waits above the high level, process times below the low one.
            buf.set_stringn(
                x,
                area.y + 1,
                fit(&number(s.wait_minutes), width, theme.glyphs.ellipsis),
                width,
                wait_style,
            );
            buf.set_stringn(
                x + SEGMENT,
                area.y + 4,
                fit(&number(s.process_minutes), width, theme.glyphs.ellipsis),
                width,
                Style::new(),
            );
            x += 2 * SEGMENT;
        }
    }
}
