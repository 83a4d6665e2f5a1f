//! Popups with one line of text: a new step's label, the map title, save as.

use super::{Ctx, draw_input, popup};
use crate::editor::input::TextInput;
use crate::model::activity::Activity;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub(super) fn label(ctx: &mut Ctx, activity: &Activity, input: &TextInput, linked: bool) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(
        frame,
        area,
        60,
        5,
        &format!("Label for the new {} step", activity.name()),
        theme,
    );
    draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
    frame.render_widget(
        Paragraph::new(Line::styled(
            if linked {
                "Enter: on to its link · Tab: every field · Esc cancels"
            } else {
                "Enter adds the step · Tab: every field · Esc cancels"
            },
            theme.dim(),
        )),
        Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        },
    );
}

pub(super) fn title(ctx: &mut Ctx, input: &TextInput) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 60, 5, "Map title", theme);
    draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
}

pub(super) fn save_as(ctx: &mut Ctx, input: &TextInput) {
    let (frame, area, _editor, theme) = ctx.parts();
    let inner = popup(frame, area, 72, 5, "Save this map as (a new file)", theme);
    draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
    frame.render_widget(
        Paragraph::new(Line::styled("Enter saves · Esc cancels", theme.dim())),
        Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        },
    );
}
