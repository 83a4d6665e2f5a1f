//! Unsaved edits were recovered: restore, discard or keep both.

use super::{Ctx, key_line, popup};
use crate::model::map::Map;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx, map: &Map, written_at: &u64) {
    let (frame, area, editor, theme) = ctx.parts();
    let inner = popup(frame, area, 76, 9, "Unsaved edits were recovered", theme);
    let lines = vec![
        Line::from(format!(
            "A recovery file from {} holds edits to this map that were",
            crate::io::recovery::format_time(*written_at)
        )),
        Line::from(format!(
            "never saved: {} steps and {} flows (the file has {} and {}).",
            map.steps.len(),
            map.flows.len(),
            editor.doc.map().steps.len(),
            editor.doc.map().flows.len()
        )),
        Line::from(""),
        key_line(&[("r", "restore them"), ("d", "discard them")], theme),
        key_line(
            &[("k", "keep both: write them to a file beside this map")],
            theme,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
