//! The map as plain text, drawn by the grid view the editor uses: for pasting into a chat or
//! a ticket, or reading in `less`. No escape codes unless colour is asked for.

use crate::chain::Chain;
use crate::check::check;
use crate::model::map::{Cell, Map};
use crate::view::canvas::Canvas;
use crate::view::geometry::{CELL_H, CELL_W, Geometry};
use crate::view::grid::GridView;
use crate::view::theme::{Looks, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

/// Rows drawn into one buffer at a time, so a very tall map never needs a huge buffer.
const ROWS_PER_CHUNK: u16 = 1000;

/// Draws the whole map, `width` columns wide. A map wider than that is printed in bands of
/// whole grid columns, left to right, each headed by the columns it shows. Bands with
/// nothing in them are left out, and long runs of empty rows are shortened, so a sparse map
/// with far-apart steps prints what is there, not the space between.
pub fn render(chain: &Chain, map: &Map, width: u16, looks: Looks) -> String {
    if map.steps.is_empty() {
        return "(the map has no steps)\n".to_string();
    }
    let canvas = Canvas::routed(map, Geometry::uniform());
    let report = check(chain, map);
    let theme = Theme::new(looks.color, looks.ascii);
    let cols_per_band = u32::from((i32::from(width) / CELL_W).max(1) as u16);
    // Which grid cells hold a box or part of a connection.
    let mut used: Vec<(u32, u32)> = map
        .steps
        .iter()
        .map(|s| (u32::from(s.at.col), u32::from(s.at.row)))
        .collect();
    for route in canvas.routes().iter().flatten() {
        used.extend(route.points.iter().map(|&(x, y)| {
            (
                x.div_euclid(CELL_W).max(0) as u32,
                y.div_euclid(CELL_H).max(0) as u32,
            )
        }));
    }
    let first_col = used.iter().map(|c| c.0).min().unwrap_or(0);
    let last_col = used
        .iter()
        .map(|c| c.0)
        .max()
        .unwrap_or(0)
        .min(u32::from(u16::MAX));
    // Each band: its first and last grid column, and the rows that hold something.
    let mut bands: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut band = first_col;
    while band <= last_col {
        let band_end = (band + cols_per_band - 1).min(last_col);
        let rows = used
            .iter()
            .filter(|c| (band..=band_end).contains(&c.0))
            .map(|c| c.1.min(u32::from(u16::MAX)));
        if let (Some(top), Some(bottom)) = (rows.clone().min(), rows.max()) {
            bands.push((band, band_end, top, bottom));
        }
        band += cols_per_band;
    }
    let mut out = String::new();
    for &(band, band_end, top, bottom) in &bands {
        if bands.len() > 1 {
            out.push_str(&format!(
                "-- columns {band} to {band_end} of {first_col} to {last_col} --\n"
            ));
        }
        let mut row = top;
        while row <= bottom {
            let rows = (bottom - row + 1).min(u32::from(ROWS_PER_CHUNK));
            let area = Rect::new(
                0,
                0,
                ((band_end - band + 1) * CELL_W as u32) as u16,
                (rows * CELL_H as u32) as u16,
            );
            let mut buffer = Buffer::empty(area);
            let view = GridView {
                map,
                verdicts: &report.verdicts,
                canvas: &canvas,
                theme: &theme,
                scroll: Cell::new(band as u16, row as u16),
                cursor: None,
                selected_flow: None,
                connecting_from: None,
                bottleneck: None,
            };
            view.render(area, &mut buffer);
            push_lines(&mut out, &buffer, looks.color);
            row += rows;
        }
    }
    shorten_blank_runs(&trim_blank_edges(out))
}

/// More empty lines in a row than one grid row's height become one line that says how many.
fn shorten_blank_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0usize;
    let flush = |out: &mut String, blank: usize| {
        if blank > CELL_H as usize * 2 {
            out.push_str(&format!("   ... {blank} empty lines ...\n"));
        } else {
            out.push_str(&"\n".repeat(blank));
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        flush(&mut out, blank);
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    flush(&mut out, blank);
    out
}

/// Appends the buffer's lines, right-trimmed, with SGR escapes when `color` is on.
fn push_lines(out: &mut String, buffer: &Buffer, color: bool) {
    let area = buffer.area;
    for y in 0..area.height {
        let blank = (0..area.width).all(|x| buffer[(x, y)].symbol().trim().is_empty());
        if blank {
            out.push('\n');
            continue;
        }
        let mut line = String::new();
        let mut current = Style::default();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buffer[(x, y)];
            if color {
                let style = cell.style();
                if style != current {
                    line.push_str(&sgr(style));
                    current = style;
                }
            }
            line.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        let mut line = line.trim_end().to_string();
        if color && current != Style::default() {
            line.push_str("\x1b[0m");
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// The escape sequence that sets a style from scratch.
fn sgr(style: Style) -> String {
    let mut codes = vec!["0".to_string()];
    let modifiers = style.add_modifier;
    for (modifier, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
    ] {
        if modifiers.contains(modifier) {
            codes.push(code.into());
        }
    }
    if let Some(code) = style.fg.and_then(color_code) {
        codes.push(code.to_string());
    }
    format!("\x1b[{}m", codes.join(";"))
}

fn color_code(color: Color) -> Option<u8> {
    Some(match color {
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        _ => return None,
    })
}

/// Drops the blank lines above the first box and below the last.
fn trim_blank_edges(text: String) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let blank = |l: &&str| l.trim().is_empty();
    let start = lines.iter().position(|l| !blank(l)).unwrap_or(0);
    let end = lines.iter().rposition(|l| !blank(l)).map_or(0, |i| i + 1);
    let mut out = lines[start..end.max(start)].join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::activity::Activity;
    use crate::model::map::{Flow, Step};

    #[test]
    fn maps_at_the_far_edge_of_the_grid_render() {
        let mut map = Map::new("edges");
        map.steps
            .push(Step::new("a", Activity::Demand, "first", Cell::new(0, 0)));
        map.steps.push(Step::new(
            "b",
            Activity::Value,
            "last",
            Cell::new(u16::MAX, u16::MAX),
        ));
        map.flows.push(Flow::new("a", "b", None));
        let text = render(
            &Chain::builtin(),
            &map,
            48,
            Looks {
                ascii: true,
                color: false,
            },
        );
        assert!(text.contains("of 0 to 65535 --"), "{text}");
        assert!(text.contains("#last"));
    }
}
