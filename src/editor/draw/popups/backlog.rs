//! The improvement backlog popup: every note, where it is, who owns it.

use super::{Ctx, popup};
use crate::editor::state::Target;
use crate::text::fit;
use crate::view::grid::visible;
use ratatui::style::Style;

pub(super) fn draw(ctx: &mut Ctx, selected: &usize) {
    let (frame, area, editor, theme) = ctx.parts();
    let notes = editor.doc.backlog();
    let inner = popup(
        frame,
        area,
        90,
        u16::try_from(notes.len())
            .unwrap_or(u16::MAX)
            .saturating_add(4)
            .min(area.height.saturating_sub(2)),
        "Improvement backlog",
        theme,
    );
    let rows = usize::from(inner.height.saturating_sub(1));
    let first = selected.saturating_sub(rows.saturating_sub(1));
    for (row, (target, _, note)) in notes.iter().enumerate().skip(first).take(rows) {
        let place = match *target {
            Target::Step(i) => visible(&editor.doc.map().steps[i].label),
            Target::Flow(i) => visible(&editor.doc.flow_name(i)),
        };
        let owner = note
            .owner
            .as_deref()
            .map_or_else(|| "—".to_string(), visible);
        let text = format!(
            "{} {:<40} {}  [{owner}]",
            theme.glyphs.improvement,
            fit(&place, 40, theme.glyphs.ellipsis),
            visible(&note.text)
        );
        let style = if row == *selected {
            theme.selected()
        } else {
            Style::new()
        };
        let y = inner.y + (row - first) as u16;
        frame.buffer_mut().set_stringn(
            inner.x,
            y,
            fit(&text, usize::from(inner.width), theme.glyphs.ellipsis),
            usize::from(inner.width),
            style,
        );
    }
    let footer = if editor.view.review {
        "Enter goes there · Esc closes"
    } else {
        "Enter goes there · e edits · d deletes · u undoes · Esc closes"
    };
    frame.buffer_mut().set_stringn(
        inner.x,
        inner.bottom().saturating_sub(1),
        footer,
        usize::from(inner.width),
        theme.dim(),
    );
}
