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
    // Printable ASCII, most of what a map says, takes a cell a character: written as
    // `set_stringn` would write it, without its search for graphemes.
    if rest.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        for (k, b) in rest.bytes().take(width).enumerate() {
            if let Some(cell) = buf.cell_mut(Position::new(x as u16 + k as u16, y as u16)) {
                cell.set_char(char::from(b)).set_style(style);
            }
        }
        return;
    }
    buf.set_stringn(x as u16, y as u16, rest, width, style);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    /// ASCII text is written cell by cell as `set_stringn` writes it, cut at the clip's
    /// edges and at the width alike; other text goes through `set_stringn` itself.
    #[test]
    fn ascii_text_is_written_as_set_stringn_writes_it() {
        let area = Rect::new(0, 0, 12, 1);
        let clip = Rect::new(2, 0, 8, 1);
        let style = Style::default().fg(Color::Red);
        for text in ["Incidents and requests", "ab", "", "x y~"] {
            for (x, width) in [(-3, usize::MAX), (0, 5), (4, usize::MAX), (9, 3), (11, 2)] {
                let mut ours = Buffer::empty(area);
                put_text(&mut ours, x, 0, clip, text, width, style);
                // What `set_stringn` makes of the same cut, a character a cell.
                let mut theirs = Buffer::empty(area);
                let skip = (i32::from(clip.x) - x).max(0) as usize;
                let start = x.max(i32::from(clip.x));
                if start < i32::from(clip.right()) && skip <= text.len() {
                    let room = (i32::from(clip.right()) - start) as usize;
                    let width = width.saturating_sub(skip).min(room);
                    theirs.set_stringn(start as u16, 0, &text[skip..], width, style);
                }
                assert_eq!(ours, theirs, "{text:?} from {x}, {width} wide");
            }
        }
    }
}
