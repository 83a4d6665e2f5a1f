//! Quitting with unsaved changes: save, discard or stay.

use super::{Ctx, popup};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 56, 5, "Unsaved changes", theme);
    let lines = vec![
        Line::from("This map has changes that are not saved."),
        Line::from(vec![
            Span::styled("s", theme.key()),
            Span::raw(" save and quit  "),
            Span::styled("d", theme.key()),
            Span::raw(" quit without saving  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" stay"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
