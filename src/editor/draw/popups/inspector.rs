//! The inspector full size (`i`).

use super::{Ctx, popup};
use crate::editor::draw::inspector::{Form, inspector_lines};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn draw(ctx: &mut Ctx, scroll: &u16) {
    let (frame, area, editor, theme) = ctx.parts();
    let inner = popup(
        frame,
        area,
        90,
        area.height.saturating_sub(2),
        "Inspector",
        theme,
    );
    frame.render_widget(
        Paragraph::new(inspector_lines(editor, theme, Form::Full))
            .wrap(Wrap { trim: false })
            .scroll((*scroll, 0)),
        inner,
    );
}
