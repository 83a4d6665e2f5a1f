//! The title bar: the map's name, the file, whether it is modified, the counts.

use crate::check::codes::Severity;
use crate::editor::state::Editor;
use crate::text::fit;
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

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
    let sep = theme.glyphs.separator;
    let mode = if editor.view.review {
        format!("REVIEW{sep}")
    } else {
        String::new()
    };
    // The file and whether it is modified matter most: the title gives way first, then the
    // counts on the right.
    let head = format!(" {mode}");
    let tail = format!("{sep}{}{modified} ", visible(&file));
    let report = &editor.doc.report();
    let right = format!(
        "{}{sep}{}{sep}{}{} {}{} ",
        crate::text::plural(editor.doc.map().steps.len(), "step", "steps"),
        crate::text::plural(editor.doc.map().flows.len(), "flow", "flows"),
        theme.glyphs.off_chain,
        report.count(Severity::Error),
        theme.glyphs.warning,
        report.count(Severity::Warning)
    );
    let width = usize::from(area.width);
    let needed = head.width() + tail.width() + MIN_TITLE;
    let right = if needed + right.width() <= width {
        right
    } else {
        String::new()
    };
    let room = width.saturating_sub(head.width() + tail.width() + right.width());
    let left = if room >= MIN_TITLE.min(title.width()) {
        format!("{head}{}{tail}", fit(&title, room, theme.glyphs.ellipsis))
    } else {
        // Too narrow even for that: the file first, then whatever fits.
        fit(
            &format!(" {}{modified}", visible(&file)),
            width,
            theme.glyphs.ellipsis,
        )
    };
    buf.set_stringn(
        area.x,
        area.y,
        &left,
        width,
        theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
    );
    let right_width = right.width() as u16;
    if right_width > 0 && area.width > right_width {
        buf.set_string(area.right() - right_width, area.y, right, theme.bar());
    }
}

/// The fewest characters of the map's title worth showing beside the file name.
const MIN_TITLE: usize = 8;
