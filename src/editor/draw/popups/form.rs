//! A form popup: a step's fields, or an improvement note.

use super::{Ctx, draw_input, popup};
use crate::check::codes::Severity;
use crate::editor::state::Form;
use crate::editor::state::{FormKind, Target};
use crate::editor::suggest;
use crate::view::grid::visible;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub(super) fn draw(ctx: &mut Ctx, form: &Form) {
    let (frame, area, editor, theme) = ctx.parts();
    let height = (form.fields.len() * 2 + 5) as u16;
    let title = match form.kind {
        FormKind::Step(_) => "Edit step".to_string(),
        FormKind::NewStep(new) => match new.link {
            Some(link) => format!(
                "New step {} \"{}\"",
                if link.outgoing { "after" } else { "before" },
                visible(&editor.doc.map().steps[link.step].label)
            ),
            None => "New step".to_string(),
        },
        FormKind::EditImprovement(Target::Step(i), _) => format!(
            "Edit the improvement note on \"{}\"",
            visible(&editor.doc.map().steps[i].label)
        ),
        FormKind::EditImprovement(Target::Flow(i), _) => format!(
            "Edit the improvement note on {}",
            visible(&editor.doc.flow_name(i))
        ),
        FormKind::Improvement(Target::Step(i)) => format!(
            "Improvement note on \"{}\"",
            visible(&editor.doc.map().steps[i].label)
        ),
        FormKind::Improvement(Target::Flow(i)) => {
            format!("Improvement note on {}", visible(&editor.doc.flow_name(i)))
        }
    };
    let inner = popup(frame, area, 76, height, &title, theme);
    for (i, field) in form.fields.iter().enumerate() {
        let y = inner.y + (i * 2) as u16;
        if y + 1 >= inner.bottom() {
            break;
        }
        let label = format!("{:<16}", field.name);
        let style = if i == form.focused {
            theme.heading()
        } else {
            Style::new()
        };
        frame.buffer_mut().set_string(inner.x, y, &label, style);
        let field_area = Rect {
            x: inner.x + 16,
            y,
            width: inner.width.saturating_sub(16),
            height: 1,
        };
        if i == form.focused {
            draw_input(frame, field_area, "", &field.input, theme);
        } else {
            frame.buffer_mut().set_stringn(
                field_area.x,
                y,
                visible(field.input.text()),
                usize::from(field_area.width),
                Style::new(),
            );
        }
        frame.buffer_mut().set_stringn(
            inner.x + 16,
            y + 1,
            field.field.hint(),
            usize::from(inner.width.saturating_sub(16)),
            theme.dim(),
        );
    }
    draw_suggestions(frame, inner, form, editor, theme);
    let footer = match &form.error {
        Some(error) => Line::styled(error.clone(), theme.severity(Severity::Error)),
        None if editor.view.review => Line::styled(
            "Enter adds the note (the only change review mode makes) · Esc cancels",
            theme.dim(),
        ),
        None if form.highlight.is_some() => Line::styled(
            "Enter takes the highlighted name · ↑↓ choose · Tab next field · Esc cancels",
            theme.dim(),
        ),
        None => Line::styled("Tab next field · Enter saves · Esc cancels", theme.dim()),
    };
    // An error may take the blank line above the footer, so its advice is not cut.
    let lines = if footer.width() > usize::from(inner.width) {
        2
    } else {
        1
    };
    frame.render_widget(
        Paragraph::new(footer).wrap(ratatui::widgets::Wrap { trim: true }),
        Rect {
            y: inner.bottom().saturating_sub(lines),
            height: lines,
            ..inner
        },
    );
}

/// The focused field's suggestions, over the fields below it: typical ones marked, those
/// already in the field ticked, the highlighted one (Enter takes it) selected.
fn draw_suggestions(
    frame: &mut ratatui::Frame,
    inner: Rect,
    form: &Form,
    editor: &crate::editor::Editor,
    theme: &crate::view::theme::Theme,
) {
    if !suggest::shown(form) {
        return;
    }
    let list = suggest::suggestions(form, editor.doc.chain());
    let y = inner.y + (form.focused * 2) as u16 + 1;
    let bottom = inner.bottom().saturating_sub(1);
    let rows = list.len().min(suggest::SHOWN) as u16;
    let area = Rect {
        x: inner.x + 16,
        y,
        width: inner.width.saturating_sub(16),
        height: rows.min(bottom.saturating_sub(y)),
    };
    frame.render_widget(ratatui::widgets::Clear, area);
    for (row, item) in list.iter().take(usize::from(area.height)).enumerate() {
        let tick = if item.chosen {
            theme.glyphs.canonical.to_string()
        } else {
            " ".to_string()
        };
        let typical = if item.typical { "  (typical)" } else { "" };
        let style = if form.highlight == Some(row) {
            theme.selected()
        } else {
            theme.dim()
        };
        frame.buffer_mut().set_stringn(
            area.x,
            area.y + row as u16,
            format!("{tick} {}{typical}", item.name),
            usize::from(area.width),
            style,
        );
    }
}
