//! The popup that says why the file could not be read; nothing else can be done.

use super::{Ctx, popup};
use crate::check::codes::Severity;
use crate::view::grid::visible;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn draw(ctx: &mut Ctx, error: &str) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 90, 9, "Cannot open this map", theme);
    let lines = vec![
        Line::styled(visible(error), theme.severity(Severity::Error)),
        Line::from(""),
        Line::from("The file is left exactly as it is. Fix it in a text editor,"),
        Line::from("or check it with `vsmap check FILE`."),
        Line::from(vec![Span::styled("q", theme.key()), Span::raw(" quits")]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
