//! Drawing: a function of the editor's state. Nothing here changes the state, and nothing
//! here knows how the state is changed. One file per panel, one per popup.

mod findings;
mod inspector;
mod popups;
mod selection;
mod status;
mod title;

pub use popups::help::help_lines;

use crate::editor::layout;
use crate::editor::state::{Editor, Focus, Mode};
use crate::view::grid::{GridCursor, GridView};
use crate::view::legend::LegendView;
use crate::view::theme::Theme;
use crate::view::timeline::TimelineView;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, editor: &Editor) {
    let theme = Theme::new(editor.view.looks.color, editor.view.looks.ascii)
        .with_palette(editor.view.palette);
    let area = frame.area();
    if layout::too_small(area) {
        draw_too_small(frame.buffer_mut(), area);
        return;
    }
    draw_panels(frame, editor, &theme);
    if theme.ascii {
        to_ascii(frame.buffer_mut());
    }
}

/// What the widgets, the messages and the borders drew in vsmap's own Unicode marks, in
/// their ASCII stand-ins: `--ascii` and a locale that is not UTF-8 get no Unicode from vsmap.
fn to_ascii(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(plain) = crate::view::theme::ascii_stand_in(c)
        {
            cell.set_char(plain);
        }
    }
}

fn draw_panels(frame: &mut Frame, editor: &Editor, theme: &Theme) {
    let theme = *theme;
    let area = frame.area();
    let screen = layout::screen(
        area,
        editor.view.show_timeline,
        editor.view.show_legend && editor.doc.canvas().has_numbers(),
    );
    title::draw_title(frame.buffer_mut(), screen.title, editor, &theme);
    frame.render_widget(&grid_view(editor, &theme), screen.grid);
    if let Some(timeline) = screen.timeline {
        let ladder = TimelineView {
            map: editor.doc.map(),
            metrics: editor.doc.metrics(),
            theme: &theme,
            geometry: &editor.doc.canvas().geometry,
            origin_x: editor.doc.canvas().geometry.view_x(editor.view.scroll.col),
            summary: true,
        };
        frame.render_widget(&ladder, timeline);
    }
    if let Some(area) = screen.legend {
        let block = Block::new().borders(Borders::LEFT);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let legend = LegendView {
            map: editor.doc.map(),
            canvas: editor.doc.canvas(),
            verdicts: &editor.doc.report().verdicts,
            theme: &theme,
            selected: editor.view.selected_flow,
            scroll: 0,
        };
        frame.render_widget(&legend, inner);
    }
    if let Some(inspector) = screen.inspector {
        let block = Block::new()
            .borders(Borders::LEFT | Borders::BOTTOM)
            .title(Line::from(vec![
                Span::styled(" Inspector ", theme.heading()),
                Span::styled("· i for more ", theme.dim()),
            ]));
        let inner = block.inner(inspector);
        frame.render_widget(block, inspector);
        frame.render_widget(
            Paragraph::new(inspector::inspector_lines(
                editor,
                &theme,
                inspector::Form::Panel(usize::from(inner.width)),
            ))
            .wrap(Wrap { trim: false }),
            inner,
        );
    }
    if let Some(line) = screen.selection {
        selection::draw_selection_line(frame.buffer_mut(), line, editor, &theme);
    }
    findings::draw_findings(frame.buffer_mut(), &screen, editor, &theme);
    status::draw_status(frame.buffer_mut(), screen.status, editor, &theme);
    let mut ctx = popups::Ctx {
        frame,
        area,
        editor,
        theme: &theme,
    };
    for layer in &editor.view.layers {
        popups::draw_layer(&mut ctx, layer);
    }
}

fn draw_too_small(buf: &mut Buffer, area: Rect) {
    let text = vec![
        Line::from("vsmap needs a bigger terminal"),
        Line::from(format!(
            "at least {}x{};",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::from(format!("this one is {}x{}", area.width, area.height)),
    ];
    let height = (text.len() as u16).min(area.height);
    let rect = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    ratatui::widgets::Widget::render(Paragraph::new(text).centered(), rect, buf);
}

/// Most items of one list the inspector shows (findings, notes, practices, path steps); a
/// step with 100,000 of them says how many more there are instead.
pub const MAX_LIST_ITEMS: usize = 50;

/// "… and 12 more findings" after the first `MAX_LIST_ITEMS` of a list.
fn more_line(count: usize, what: &str, theme: &Theme) -> Option<Line<'static>> {
    (count > MAX_LIST_ITEMS).then(|| {
        Line::styled(
            format!(
                "{} and {} more {what}",
                theme.glyphs.ellipsis,
                count - MAX_LIST_ITEMS
            ),
            theme.dim(),
        )
    })
}

fn heading(text: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::styled(text.into(), theme.heading())
}

/// The grid as the editor shows it: with the cursor, the selection and the connection
/// being made.
pub fn grid_view<'a>(editor: &'a Editor, theme: &'a Theme) -> GridView<'a> {
    let hint = match editor.view.mode {
        Mode::Connect { .. } => "move onto a step",
        Mode::Carry { .. } => "",
        Mode::Normal => "a: add a step",
    };
    GridView {
        map: editor.doc.map(),
        verdicts: &editor.doc.report().verdicts,
        canvas: editor.doc.canvas(),
        theme,
        origin: (
            editor.doc.canvas().geometry.view_x(editor.view.scroll.col),
            editor.doc.canvas().geometry.view_y(editor.view.scroll.row),
        ),
        cursor: (editor.view.focus == Focus::Grid).then_some(GridCursor {
            cell: editor.view.cursor,
            hint,
        }),
        selected_flow: editor.view.selected_flow,
        connecting_from: match editor.view.mode {
            Mode::Connect { from } => Some(from),
            _ => None,
        },
        bottleneck: editor
            .view
            .show_timeline
            .then(|| editor.doc.metrics().bottleneck)
            .flatten(),
        reaching_into: None,
    }
}
