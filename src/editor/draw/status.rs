//! The status line: the message, else the context and its key hints from the table.

use crate::editor::keys;
use crate::editor::state::Editor;
use crate::text::fit;
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn draw_status(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    buf.set_style(area, theme.bar());
    let mut x = area.x;
    let right = area.right();
    if let Some(message) = &editor.view.message {
        let style = theme.bar().patch(theme.severity(message.severity));
        let text = format!(" {}", visible(&message.text));
        buf.set_stringn(
            x,
            area.y,
            fit(&text, usize::from(area.width), theme.glyphs.ellipsis),
            usize::from(area.width),
            style,
        );
        return;
    }
    let context = editor.context();
    let mode = format!(
        " {} {} {} ",
        context.title(),
        theme.glyphs.dot,
        editor.doc.zoom().name()
    );
    buf.set_stringn(
        x,
        area.y,
        &mode,
        usize::from(area.width),
        theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
    );
    x += mode.chars().count() as u16;
    for (key, hint) in keys::hints(context) {
        let width = key.chars().count() + hint.chars().count() + 3;
        if x as usize + width > right as usize {
            break;
        }
        buf.set_string(x, area.y, format!(" {key}"), theme.bar().patch(theme.key()));
        x += key.chars().count() as u16 + 1;
        buf.set_string(x, area.y, format!(" {hint} "), theme.bar());
        x += hint.chars().count() as u16 + 2;
    }
}
