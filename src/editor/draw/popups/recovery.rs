//! Unsaved edits were recovered: restore, discard or keep both; and whether the map changed
//! on disk since the edits began, so restoring would replace that.

use super::{Ctx, key_line, popup};
use crate::model::map::Map;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx, map: &Map, written_at: u64, map_changed_since: bool) {
    let (frame, area, editor, theme) = ctx.parts();
    let height = if map_changed_since { 12 } else { 9 };
    let inner = popup(
        frame,
        area,
        76,
        height,
        "Unsaved edits were recovered",
        theme,
    );
    let mut lines = vec![
        Line::from(format!(
            "A recovery file from {} holds edits to this map that were",
            crate::io::recovery::format_time(written_at)
        )),
        Line::from(format!(
            "never saved: {} and {} (the file has {} and {}).",
            crate::text::plural(map.steps.len(), "step", "steps"),
            crate::text::plural(map.flows.len(), "flow", "flows"),
            editor.doc.map().steps.len(),
            editor.doc.map().flows.len()
        )),
    ];
    if map_changed_since {
        let warning = theme.severity(crate::check::codes::Severity::Warning);
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "The map changed on disk since these edits began: restoring",
            warning,
        )));
        lines.push(Line::from(Span::styled(
            "replaces what is on disk now. k keeps both.",
            warning,
        )));
    }
    lines.push(Line::from(""));
    lines.push(key_line(
        &[("r", "restore them"), ("d", "discard them")],
        theme,
    ));
    lines.push(key_line(
        &[("k", "keep both: write them to a file beside this map")],
        theme,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
