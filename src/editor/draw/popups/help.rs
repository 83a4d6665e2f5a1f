//! The help popup (`?`): every key of the context, from the key table, then the marks.

use super::{Ctx, popup};
use crate::check::Verdict;
use crate::editor::draw::heading;
use crate::editor::keys::{self, Context};
use crate::view::theme::Theme;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx, under: &Context, scroll: &u16) {
    let (frame, area, editor, theme) = ctx.parts();
    let inner = popup(
        frame,
        area,
        78,
        area.height.saturating_sub(2),
        &format!("Keys: {}", under.title()),
        theme,
    );
    let width = usize::from(inner.width).saturating_sub(HELP_COLUMN).max(20);
    let lines = help_lines(*under, theme, width, &editor.view.keys, editor.view.mouse);
    // Scrolled no further than the last page: the end of the help stays on screen.
    let last_page = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines).scroll(((*scroll).min(last_page), 0)),
        inner,
    );
}

/// Where the words of a binding start: after its keys.
const HELP_COLUMN: usize = 18;

/// Every key of a context, then what the marks mean.
/// A binding's words wrap within `width` columns, under their first line.
pub fn help_lines(
    context: Context,
    theme: &Theme,
    width: usize,
    patch: &keys::KeyPatch,
    mouse: bool,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for binding in keys::table(context) {
        for (i, part) in crate::text::wrap_whole(binding.help, width)
            .into_iter()
            .enumerate()
        {
            let keys = if i == 0 {
                keys::shown_label(&patch.label(context, binding), theme.ascii)
            } else {
                String::new()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:>16}  "), theme.key()),
                Span::raw(part),
            ]));
        }
    }
    if context == Context::Grid && mouse {
        lines.push(Line::from(""));
        lines.push(heading("Mouse", theme));
        lines.push(Line::from(
            "  click selects a cell, step or connection; drag moves a step; the wheel scrolls",
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading("Marks", theme));
    let g = theme.glyphs;
    for (mark, verdict, text) in [
        (
            g.canonical,
            Verdict::Canonical,
            "canonical: the chain sends this artifact between these activities",
        ),
        (
            g.handoff,
            Verdict::Handoff,
            "handoff: work moves inside one activity",
        ),
        (
            g.off_chain,
            Verdict::OffChain,
            "off-chain or unknown artifact: the chain does not allow it",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{mark:>16}  "), theme.verdict(verdict)),
            Span::raw(text),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{:>16}  ", "DEM PLN ENG ..."), theme.key()),
        Span::raw("the activity of a step, in its box"),
    ]));
    lines
}
