//! The title bar: the map's name, the file, whether it is modified, the counts.

use crate::check::codes::Severity;
use crate::editor::state::Editor;
use crate::text::fit;
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn draw_title(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    buf.set_style(area, theme.bar());
    let file = editor.doc.path().file_name().map_or_else(
        || editor.doc.path().display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let modified = if editor.modified() { " [modified]" } else { "" };
    let title = if editor.doc.map().title.is_empty() {
        "(untitled)".to_string()
    } else {
        visible(&editor.doc.map().title)
    };
    let mode = if editor.view.review { "REVIEW · " } else { "" };
    let left = format!(" {mode}{title} · {} {modified}", visible(&file));
    let report = &editor.doc.report();
    let right = format!(
        "{} · {} · {}{} {}{} ",
        crate::text::plural(editor.doc.map().steps.len(), "step", "steps"),
        crate::text::plural(editor.doc.map().flows.len(), "flow", "flows"),
        theme.glyphs.off_chain,
        report.count(Severity::Error),
        theme.glyphs.warning,
        report.count(Severity::Warning)
    );
    let right_width = right.chars().count() as u16;
    buf.set_stringn(
        area.x,
        area.y,
        fit(
            &left,
            usize::from(area.width.saturating_sub(right_width)),
            theme.glyphs.ellipsis,
        ),
        usize::from(area.width),
        theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
    );
    if area.width > right_width {
        buf.set_string(area.right() - right_width, area.y, right, theme.bar());
    }
}
