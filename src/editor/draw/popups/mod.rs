//! Popups, drawn over the screen in order, the top one last.

mod backlog;
mod broken;
mod confirm_quit;
mod external_change;
mod form;
pub mod help;
mod inspector;
mod lock_warning;
mod pickers;
mod recovery;
mod text;

use crate::editor::layout;
use crate::editor::state::{Editor, Layer};
use crate::view::grid::{MAX_SHOWN_CHARS, visible};
use crate::view::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

/// What every popup draws with: the frame, the whole screen, the state and the theme.
pub(super) struct Ctx<'a, 'f> {
    pub frame: &'a mut Frame<'f>,
    pub area: Rect,
    pub editor: &'a Editor,
    pub theme: &'a Theme,
}

impl<'f> Ctx<'_, 'f> {
    fn parts(&mut self) -> (&mut Frame<'f>, Rect, &Editor, &Theme) {
        (self.frame, self.area, self.editor, self.theme)
    }
}

pub(super) fn draw_layer(ctx: &mut Ctx, layer: &Layer) {
    match layer {
        Layer::ActivityPicker { picker, .. } => pickers::activity_picker(ctx, picker),
        Layer::ArtifactPicker {
            from, to, picker, ..
        } => pickers::artifact_picker(ctx, from, to, picker),
        Layer::Label {
            activity,
            input,
            new,
        } => text::label(ctx, activity, input, new.link.is_some()),
        Layer::Title(input) => text::title(ctx, input),
        Layer::Backlog { selected } => backlog::draw(ctx, selected),
        Layer::Form(form) => form::draw(ctx, form),
        Layer::Help { under, scroll } => help::draw(ctx, under, scroll),
        Layer::Inspector { scroll } => inspector::draw(ctx, scroll),
        Layer::ExternalChange => external_change::draw(ctx),
        Layer::SaveQuestion(question) => external_change::question(ctx, *question),
        Layer::SaveAs(input) => text::save_as(ctx, input),
        Layer::Recovery {
            map,
            written_at,
            map_changed_since,
        } => recovery::draw(ctx, map, *written_at, *map_changed_since),
        Layer::LockWarning(holder) => lock_warning::draw(ctx, holder),
        Layer::ConfirmQuit => confirm_quit::draw(ctx),
        Layer::Broken(error) => broken::draw(ctx, error),
    }
}

fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let rect = layout::centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme.heading()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn draw_input(
    frame: &mut Frame,
    area: Rect,
    prompt: &str,
    input: &crate::editor::input::TextInput,
    theme: &Theme,
) {
    let prompt_width = prompt.chars().count() as u16;
    let room = usize::from(area.width.saturating_sub(prompt_width + 1));
    // Only the text around the cursor is looked at, so a field holding a 200,000-character
    // note draws as fast as an empty one. Before the cursor: as much as fits, so the cursor
    // stays in the field.
    let piece = |c: char| visible(c.encode_utf8(&mut [0; 4]));
    let width_of = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let mut before: Vec<String> = Vec::new();
    let mut before_width = 0;
    for c in input.before().chars().rev().take(MAX_SHOWN_CHARS) {
        let p = piece(c);
        if before_width + width_of(&p) > room {
            break;
        }
        before_width += width_of(&p);
        before.push(p);
    }
    before.reverse();
    let mut shown = before.concat();
    let mut width = before_width;
    for c in input.after().chars().take(MAX_SHOWN_CHARS) {
        let p = piece(c);
        if width + width_of(&p) > room {
            break;
        }
        width += width_of(&p);
        shown.push_str(&p);
    }
    frame
        .buffer_mut()
        .set_string(area.x, area.y, prompt, theme.key());
    frame.buffer_mut().set_stringn(
        area.x + prompt_width,
        area.y,
        shown,
        room,
        Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED),
    );
    frame.set_cursor_position(Position::new(
        area.x + prompt_width + before_width as u16,
        area.y,
    ));
}

/// "r reload  o overwrite": keys in the key style, each followed by what it does.
fn key_line(pairs: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, what) in pairs {
        spans.push(Span::styled(key.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans)
}
