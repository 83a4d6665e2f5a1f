//! The mouse: clicks select, a drag carries a step, the wheel scrolls.

use super::carry::carry_to;
use super::carry::put_down;
use super::findings::jump_to_finding;
use crate::editor::action::{Mouse, MouseKind};
use crate::editor::layout;
use crate::editor::state::{Editor, Focus, Mode};

pub(super) fn mouse_event(editor: &mut Editor, mouse: Mouse) {
    if !editor.view.layers.is_empty() {
        return;
    }
    let screen = editor.layout();
    let grid = screen.grid;
    let inside = |r: ratatui::layout::Rect| {
        mouse.x >= r.x && mouse.x < r.right() && mouse.y >= r.y && mouse.y < r.bottom()
    };
    match mouse.kind {
        MouseKind::ScrollUp
        | MouseKind::ScrollDown
        | MouseKind::ScrollLeft
        | MouseKind::ScrollRight => {
            let s = &mut editor.view.scroll;
            match mouse.kind {
                MouseKind::ScrollUp => s.row = s.row.saturating_sub(1),
                MouseKind::ScrollDown => s.row = s.row.saturating_add(1),
                MouseKind::ScrollLeft => s.col = s.col.saturating_sub(1),
                _ => s.col = s.col.saturating_add(1),
            }
            // The cursor stays on screen: it moves with the view.
            let (cols, rows) = editor
                .doc
                .canvas()
                .geometry
                .cells_in(*s, grid.width, grid.height);
            editor.view.cursor.col = editor
                .view
                .cursor
                .col
                .clamp(s.col, s.col.saturating_add(cols - 1));
            editor.view.cursor.row = editor
                .view
                .cursor
                .row
                .clamp(s.row, s.row.saturating_add(rows - 1));
        }
        MouseKind::Down if inside(grid) => {
            let (x, y) = world_of(editor, grid, mouse);
            if let Some(route) = editor.doc.canvas().raster().routes_at(x, y).next() {
                editor.view.selected_flow = Some(route);
                if let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y) {
                    editor.view.cursor = cell;
                }
                return;
            }
            let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y) else {
                return;
            };
            editor.view.cursor = cell;
            editor.view.selected_flow = None;
            editor.view.focus = Focus::Grid;
            // Review mode: a click selects, a drag moves nothing.
            if let (Mode::Normal, Some(step), false) = (
                editor.view.mode,
                editor.doc.step_at(cell),
                editor.view.review,
            ) {
                editor.view.mode = Mode::Carry {
                    step,
                    origin: cell,
                    by_mouse: true,
                };
            }
        }
        MouseKind::Down if inside(screen.findings) => {
            let row = usize::from(mouse.y - screen.findings.y);
            let first = layout::findings_first_row(editor.view.finding, screen.findings);
            // The first row of the findings panel is its heading.
            if row >= 1 && row - 1 + first < editor.doc.findings().len() {
                editor.view.finding = Some(row - 1 + first);
                jump_to_finding(editor);
            }
        }
        MouseKind::Drag => {
            if let Mode::Carry {
                step,
                by_mouse: true,
                ..
            } = editor.view.mode
            {
                let (x, y) = world_of(editor, grid, mouse);
                if let Some(cell) = editor.doc.canvas().geometry.cell_of(x, y)
                    && editor.doc.step_at(cell).is_none_or(|s| s == step)
                {
                    carry_to(editor, step, cell);
                }
            }
        }
        MouseKind::Up => {
            if let Mode::Carry {
                step,
                origin,
                by_mouse: true,
            } = editor.view.mode
            {
                put_down(editor, step, origin);
            }
        }
        _ => {}
    }
}

/// The world character under a screen position in the grid.
pub(super) fn world_of(editor: &Editor, grid: ratatui::layout::Rect, mouse: Mouse) -> (i32, i32) {
    let geometry = &editor.doc.canvas().geometry;
    let x = i32::from(mouse.x) - i32::from(grid.x) + geometry.view_x(editor.view.scroll.col);
    let y = i32::from(mouse.y) - i32::from(grid.y) + geometry.view_y(editor.view.scroll.row);
    (x, y)
}
