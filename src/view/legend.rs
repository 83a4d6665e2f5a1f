//! The legend of link numbers: where a link's artifact name did not fit on the link (and
//! at overview, where every link carries a number), the legend names it in full:
//! `number  mark  name`, one link a line.

use super::canvas::Canvas;
use super::grid::visible;
use super::theme::Theme;
use crate::check::Verdict;
use crate::model::map::Map;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Most legend lines drawn beside the grid; the rest are counted.
const MOST_LINES: usize = 500;

pub struct LegendView<'a> {
    pub map: &'a Map,
    pub canvas: &'a Canvas,
    pub verdicts: &'a [Verdict],
    pub theme: &'a Theme,
    /// The link selected in the editor, highlighted.
    pub selected: Option<usize>,
    /// Lines scrolled past.
    pub scroll: u16,
}

impl LegendView<'_> {
    pub fn lines(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let numbered: Vec<usize> = self.canvas.numbered().collect();
        let mut lines = vec![Line::styled(" Links by number (L hides)", theme.heading())];
        if numbered.is_empty() {
            lines.push(Line::styled(
                " Every name on screen stands on its link.",
                theme.dim(),
            ));
            return lines;
        }
        let digits = numbered
            .last()
            .map_or(1, |&last| (last + 1).to_string().len());
        for &flow in numbered.iter().take(MOST_LINES) {
            let verdict = self
                .verdicts
                .get(flow)
                .copied()
                .unwrap_or(Verdict::OffChain);
            let name = self.map.flows[flow].artifact.as_deref().unwrap_or("");
            let style = if self.selected == Some(flow) {
                theme.verdict(verdict).patch(theme.selected())
            } else {
                theme.verdict(verdict)
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {:>digits$} ", flow + 1), style),
                Span::styled(format!("{} ", theme.verdict_mark(verdict)), style),
                Span::raw(visible(name)),
            ]));
        }
        if numbered.len() > MOST_LINES {
            lines.push(Line::styled(
                format!(" … and {} more", numbered.len() - MOST_LINES),
                theme.dim(),
            ));
        }
        lines
    }
}

impl Widget for &LegendView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Paragraph::new(self.lines())
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(area, buf);
    }
}
