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
    let hints: Vec<(String, &str)> = keys::hints_with(context, &editor.view.keys)
        .into_iter()
        .map(|(key, hint)| (keys::shown_label(&key, theme.ascii), hint))
        .collect();
    let width_of =
        |(key, hint): &(String, &str)| (key.chars().count() + hint.chars().count() + 3) as u16;
    // The way to every other key is never crowded out: `? help` keeps its place at the end.
    let help = keys::help_hint(context)
        .and_then(|(_, help)| hints.iter().find(|(_, hint)| *hint == help).cloned());
    let right = right.saturating_sub(help.as_ref().map_or(0, width_of));
    for hint in hints.iter().filter(|h| Some(*h) != help.as_ref()) {
        if x + width_of(hint) > right {
            break;
        }
        x = draw_hint(buf, x, area.y, hint, theme);
    }
    if let Some(help) = &help {
        draw_hint(buf, x, area.y, help, theme);
    }
}

/// One key and its word; where the next begins.
fn draw_hint(buf: &mut Buffer, x: u16, y: u16, (key, hint): &(String, &str), theme: &Theme) -> u16 {
    buf.set_string(x, y, format!(" {key}"), theme.bar().patch(theme.key()));
    let x = x + key.chars().count() as u16 + 1;
    buf.set_string(x, y, format!(" {hint} "), theme.bar());
    x + hint.chars().count() as u16 + 2
}
