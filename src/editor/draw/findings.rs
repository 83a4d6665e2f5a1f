//! The findings panel: every finding, most severe first.

use crate::check::codes::Severity;
use crate::check::{Subject, Verdict};
use crate::editor::layout::{self, Screen};
use crate::editor::state::{Editor, Focus};
use crate::text::{fit, plural};
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn draw_findings(buf: &mut Buffer, screen: &Screen, editor: &Editor, theme: &Theme) {
    let area = screen.findings;
    if area.height == 0 {
        return;
    }
    let report = &editor.doc.report();
    let heading_text = format!(
        " Findings: {}, {}, {}{}",
        plural(report.count(Severity::Error), "error", "errors"),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        plural(report.count(Severity::Note), "note", "notes"),
        if editor.view.focus == Focus::Findings {
            "  (Enter goes there, Esc back)"
        } else {
            "  (n next, f browse)"
        }
    );
    buf.set_style(Rect { height: 1, ..area }, theme.heading());
    buf.set_stringn(
        area.x,
        area.y,
        &heading_text,
        usize::from(area.width),
        theme
            .heading()
            .add_modifier(ratatui::style::Modifier::UNDERLINED),
    );
    let first = layout::findings_first_row(editor.view.finding, area);
    for (row, &index) in editor
        .doc
        .findings()
        .iter()
        .skip(first)
        .take(usize::from(area.height - 1))
        .enumerate()
    {
        let diagnostic = &report.diagnostics[index];
        let position = first + row;
        let selected = editor.view.finding == Some(position);
        let where_ = match diagnostic.subject {
            Subject::Map => "map".to_string(),
            Subject::Step(i, _) => editor
                .doc
                .map()
                .steps
                .get(i)
                .map_or_else(String::new, |s| visible(editor.doc.step_name(&s.id))),
            Subject::Flow(i, _) if i < editor.doc.map().flows.len() => {
                visible(&editor.doc.flow_name(i))
            }
            Subject::Flow(..) => String::new(),
        };
        let text = format!(
            " {} {} [{}] {}",
            theme.severity_mark(diagnostic.severity()),
            where_,
            diagnostic.code.as_str(),
            visible(&diagnostic.message)
        );
        let mut style = theme.severity(diagnostic.severity());
        if selected && editor.view.focus == Focus::Findings {
            style = style.patch(theme.selected());
        }
        let y = area.y + 1 + row as u16;
        buf.set_stringn(
            area.x,
            y,
            fit(&text, usize::from(area.width), theme.glyphs.ellipsis),
            usize::from(area.width),
            style,
        );
    }
    if editor.doc.findings().is_empty() {
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "Every connection checks out.",
            usize::from(area.width.saturating_sub(1)),
            theme.verdict(Verdict::Canonical),
        );
    }
}
