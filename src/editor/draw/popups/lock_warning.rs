//! Another vsmap has the map open: open anyway, read-only, or quit.

use super::{Ctx, key_line, popup};
use crate::view::grid::visible;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn draw(ctx: &mut Ctx, holder: &str) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 76, 8, "Another vsmap has this map open", theme);
    let lines = vec![
        Line::from(format!("Opened by {}.", visible(holder))),
        Line::from("If both of you edit and save, one side's changes are lost."),
        Line::from(""),
        key_line(
            &[
                ("o", "open it anyway"),
                ("r Esc", "open it read-only"),
                ("q", "quit"),
            ],
            theme,
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
