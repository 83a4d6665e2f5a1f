//! The file changed on disk since it was read: reload, overwrite or save elsewhere. Or it
//! was deleted, or is read-only: write it anyway or save elsewhere.

use super::{Ctx, key_line, popup};
use crate::editor::state::SaveQuestion;
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

/// A save that stopped to ask: the file was deleted, or is read-only.
pub(super) fn question(ctx: &mut Ctx, question: SaveQuestion) {
    let (frame, area, _editor, theme) = ctx.parts();
    let (title, why, then, write) = match question {
        SaveQuestion::Deleted => (
            "The file was deleted",
            "Someone deleted this file since vsmap read or saved it.",
            "Saving now writes it again; your edits are all still here.",
            "write it again",
        ),
        SaveQuestion::ReadOnly => (
            "The file is read-only",
            "This file is marked read-only: no one is meant to change it.",
            "Saving now replaces it all the same (it stays read-only).",
            "overwrite it anyway",
        ),
    };
    let inner = popup(frame, area, 72, 7, title, theme);
    let lines = vec![
        Line::from(why),
        Line::from(then),
        Line::from(""),
        key_line(
            &[
                ("o", write),
                ("s", "save elsewhere"),
                ("Esc", "do nothing now"),
            ],
            theme,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
