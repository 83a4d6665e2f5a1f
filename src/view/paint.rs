//! Writing glyphs and text into a buffer at world-derived positions that may lie outside
//! it: everything is clipped, nothing panics.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

/// One glyph at (x, y), when it is inside `clip`.
pub fn put(buf: &mut Buffer, x: i32, y: i32, clip: Rect, symbol: char, style: Style) {
    if let Some(cell) = clipped(buf, x, y, clip) {
        cell.set_char(symbol).set_style(style);
    }
}

/// A blank at (x, y), when it is inside `clip`. Nearly every cell is blank already, and
/// reading a cell costs less than writing one: inside every box of a big map.
pub fn blank(buf: &mut Buffer, x: i32, y: i32, clip: Rect) {
    if let Some(cell) = clipped(buf, x, y, clip)
        && cell.symbol() != " "
    {
        cell.set_char(' ');
    }
}

/// The cell at (x, y), when it is inside `clip`.
fn clipped(buf: &mut Buffer, x: i32, y: i32, clip: Rect) -> Option<&mut Cell> {
    if x < i32::from(clip.x)
        || y < i32::from(clip.y)
        || x >= i32::from(clip.right())
        || y >= i32::from(clip.bottom())
    {
        return None;
    }
    buf.cell_mut(Position::new(x as u16, y as u16))
}

/// Writes text from (x, y), cut at the clip's edges and at `width` columns.
pub fn put_text(
    buf: &mut Buffer,
    x: i32,
    y: i32,
    clip: Rect,
    text: &str,
    width: usize,
    style: Style,
) {
    if y < i32::from(clip.y) || y >= i32::from(clip.bottom()) || x >= i32::from(clip.right()) {
        return;
    }
    let (mut x, mut skip) = (x, 0usize);
    if x < i32::from(clip.x) {
        skip = (i32::from(clip.x) - x) as usize;
        x = i32::from(clip.x);
    }
    // Skip whole columns: a wide character cut by the edge leaves its half blank.
    let mut skipped = 0usize;
    let mut rest = "";
    for (i, c) in text.char_indices() {
        if skipped >= skip {
            rest = &text[i..];
            break;
        }
        skipped += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    let x = x + (skipped - skip.min(skipped)) as i32;
    if x >= i32::from(clip.right()) {
        return;
    }
    let room = (i32::from(clip.right()) - x) as usize;
    let width = width.saturating_sub(skipped.max(skip)).min(room);
    buf.set_stringn(x as u16, y as u16, rest, width, style);
}
