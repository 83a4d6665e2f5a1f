//! The selection in one line, where there is no room for the inspector beside the grid.

use crate::check;
use crate::editor::state::Editor;
use crate::model::activity::Activity;
use crate::view::grid::{times_text, visible};
use crate::view::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The selection in one line, where there is no room for the inspector beside the grid.
pub(super) fn draw_selection_line(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    let plural = |n: usize| {
        if n == 1 {
            "1 finding".to_string()
        } else {
            format!("{n} findings")
        }
    };
    let sep = theme.glyphs.separator;
    let mut spans = vec![Span::styled(
        format!(" {} ", theme.glyphs.pointer),
        theme.key(),
    )];
    if let Some(index) = editor.view.selected_flow {
        let flow = &editor.doc.map().flows[index];
        let verdict = editor.doc.verdict(index);
        spans.push(Span::raw(format!(
            "{}{sep}{}{sep}",
            visible(&editor.doc.flow_name(index)),
            flow.artifact
                .as_deref()
                .map_or_else(|| "no artifact".into(), visible)
        )));
        spans.push(Span::styled(
            format!("{} {}", theme.verdict_mark(verdict), verdict.as_str()),
            theme.verdict(verdict),
        ));
        let n = editor.doc.findings_of(None, &[index]).len();
        spans.push(Span::raw(format!("{sep}{}{sep}i details", plural(n))));
    } else if let Some(index) = editor.step_under_cursor() {
        let step = &editor.doc.map().steps[index];
        let tags: Vec<&str> = check::kinds(step).map(Activity::tag).collect();
        spans.push(Span::styled(tags.join("+"), theme.activity(step.activity)));
        let mut text = format!(" {}{sep}{}", step.activity.name(), visible(&step.label));
        let times = times_text(step, editor.doc.map().day_minutes());
        if !times.is_empty() {
            text.push_str(&format!("{sep}{times}"));
        }
        if let Some(p) = step.complete_accurate_percent {
            text.push_str(&format!("{sep}%C/A {p}%"));
        }
        let n = editor
            .doc
            .findings_of(Some(index), &editor.doc.flows_of(index))
            .len();
        text.push_str(&format!("{sep}{}{sep}i details", plural(n)));
        spans.push(Span::raw(text));
    } else {
        spans.push(Span::styled(
            format!(
                "col {}, row {}: empty{sep}a adds a step here",
                editor.view.cursor.col, editor.view.cursor.row
            ),
            theme.dim(),
        ));
    }
    let line = Line::from(spans);
    ratatui::widgets::Widget::render(Paragraph::new(line), area, buf);
}
