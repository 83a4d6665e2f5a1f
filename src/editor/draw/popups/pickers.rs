//! The activity and artifact pickers: a filter, a list with marks, the chosen item's detail.

use super::{Ctx, draw_input, popup};
use crate::check::codes::Severity;
use crate::check::{self, Verdict};
use crate::editor::picker::{Mark, Picker};
use crate::editor::state::ArtifactChoice;
use crate::model::activity::Activity;
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn activity_picker(ctx: &mut Ctx, picker: &Picker<Activity>) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(
        frame,
        area,
        70,
        16,
        "Add a step: choose its activity",
        theme,
    );
    draw_picker(frame, inner, picker, theme, "");
}

pub(super) fn artifact_picker(
    ctx: &mut Ctx,
    from: &usize,
    to: &usize,
    picker: &Picker<ArtifactChoice>,
) {
    let (frame, area, editor, theme) = ctx.parts();
    let title = format!(
        "Artifact from {} to {}",
        check::describe_step_kinds(&editor.doc.map().steps[*from]),
        check::describe_step_kinds(&editor.doc.map().steps[*to])
    );
    let inner = popup(frame, area, 90, 22, &title, theme);
    let typed = picker.filter.text().trim();
    let fallback = if typed.is_empty() {
        String::new()
    } else {
        format!(
            "Enter uses \"{}\" as it is: the chain does not know it",
            visible(typed)
        )
    };
    draw_picker(frame, inner, picker, theme, &fallback);
}

fn draw_picker<T: Clone>(
    frame: &mut Frame,
    area: Rect,
    picker: &Picker<T>,
    theme: &Theme,
    fallback: &str,
) {
    draw_input(
        frame,
        Rect { height: 1, ..area },
        "> ",
        &picker.filter,
        theme,
    );
    let visible_items = picker.visible();
    let list_height = area.height.saturating_sub(5) as usize;
    let first = picker
        .selected
        .saturating_sub(list_height.saturating_sub(1));
    for (row, &index) in visible_items
        .iter()
        .skip(first)
        .take(list_height)
        .enumerate()
    {
        let item = &picker.items[index];
        let mark = match item.mark {
            Mark::None => ' ',
            Mark::Canonical => theme.glyphs.canonical,
            Mark::Handoff => theme.glyphs.handoff,
            Mark::OffChain => theme.glyphs.off_chain,
        };
        let mark_style = match item.mark {
            Mark::Canonical => theme.verdict(Verdict::Canonical),
            Mark::Handoff => theme.verdict(Verdict::Handoff),
            Mark::OffChain => theme.verdict(Verdict::OffChain),
            Mark::None => Style::new(),
        };
        let selected = first + row == picker.selected;
        let y = area.y + 1 + row as u16;
        let line_style = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        frame.buffer_mut().set_style(
            Rect {
                y,
                height: 1,
                ..area
            },
            line_style,
        );
        frame
            .buffer_mut()
            .set_string(area.x, y, format!("{mark} "), mark_style.patch(line_style));
        let (end, _) = frame.buffer_mut().set_stringn(
            area.x + 2,
            y,
            visible(&item.title),
            usize::from(area.width.saturating_sub(2)),
            line_style,
        );
        // What the field holds now, listed first: said, so it is not taken for the best
        // choice.
        if picker.pinned == Some(index) {
            frame.buffer_mut().set_stringn(
                end,
                y,
                "  (current)",
                usize::from(area.right().saturating_sub(end)),
                theme.dim().patch(line_style),
            );
        }
    }
    let detail_area = Rect {
        y: area.bottom().saturating_sub(3),
        height: 3,
        ..area
    };
    let detail = match picker.chosen() {
        Some(item) => Line::styled(visible(&item.detail), theme.dim()),
        None if !fallback.is_empty() => {
            Line::styled(fallback.to_string(), theme.severity(Severity::Warning))
        }
        None => Line::styled("Nothing matches", theme.dim()),
    };
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: true }),
        detail_area,
    );
    if visible_items.is_empty() {
        frame.buffer_mut().set_stringn(
            area.x,
            area.y + 1,
            "  (no match)",
            usize::from(area.width),
            theme.dim(),
        );
    }
}
