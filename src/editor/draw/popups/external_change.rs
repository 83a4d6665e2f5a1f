//! The file changed on disk since it was read: reload, overwrite or save elsewhere.

use super::{Ctx, key_line, popup};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 72, 8, "The file changed on disk", theme);
    let lines = vec![
        Line::from("Someone changed this file since vsmap read or saved it"),
        Line::from("(another facilitator, a git pull). Saving now would lose that."),
        Line::from(""),
        key_line(
            &[
                ("r", "reload it (u brings your edits back)"),
                ("o", "overwrite it"),
            ],
            theme,
        ),
        key_line(&[("s", "save elsewhere"), ("Esc", "do nothing now")], theme),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
