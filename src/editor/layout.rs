//! Where things go on the screen. Drawing and mouse hit-testing both use these functions,
//! so there is one copy of the layout maths.

use crate::view::timeline::TIMELINE_HEIGHT;
use ratatui::layout::Rect;

/// The legend of numbered links beside the grid is at most this wide.
const LEGEND_WIDTH: u16 = 36;

/// The grid keeps at least this many rows when the timeline is shown under it.
const MIN_GRID_ROWS: u16 = 7;

/// Below this the editor only says how big the terminal must be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width on, the inspector and findings sit beside the grid. Below it the grid
/// keeps the width (a map wants columns more than a panel does) and a one-line summary of
/// the selection stands above the findings; `i` shows the whole inspector. Moving the
/// cursor then redraws a line, not a panel, which keeps it cheap over a slow link.
pub const SIDE_PANEL_FROM: u16 = 140;
const SIDE_WIDTH: u16 = 40;
const COMPACT_FINDINGS_HEIGHT: u16 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub title: Rect,
    pub grid: Rect,
    /// The timeline ladder under the grid, when shown.
    pub timeline: Option<Rect>,
    /// The legend of numbered links, beside the grid, when shown.
    pub legend: Option<Rect>,
    /// Beside the grid on wide screens; absent on narrow ones (the inspector is a popup there).
    pub inspector: Option<Rect>,
    /// One line about the selection, where there is no inspector beside the grid.
    pub selection: Option<Rect>,
    pub findings: Rect,
    pub status: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Where everything goes on a screen of `area`; `timeline` asks for the ladder under the grid.
/// Any size works (sizes below the minimum give empty rectangles, never a panic).
pub fn screen(area: Rect, timeline: bool, legend: bool) -> Screen {
    let title = Rect {
        height: area.height.min(1),
        ..area
    };
    let status = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    let body = Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(2),
        ..area
    };
    let (left, inspector, selection, findings) = if area.width >= SIDE_PANEL_FROM {
        let left = Rect {
            width: body.width - SIDE_WIDTH,
            ..body
        };
        let findings_height = (body.height / 3).max(4).min(body.height);
        let inspector = Rect {
            x: left.right(),
            width: SIDE_WIDTH,
            height: body.height - findings_height,
            ..body
        };
        let findings = Rect {
            x: left.right(),
            y: inspector.bottom(),
            width: SIDE_WIDTH,
            height: findings_height,
        };
        (left, Some(inspector), None, findings)
    } else {
        let findings_height = COMPACT_FINDINGS_HEIGHT.min(body.height / 3);
        let selection_height = u16::from(body.height >= 8);
        let left = Rect {
            height: body.height - findings_height - selection_height,
            ..body
        };
        let selection = (selection_height > 0).then_some(Rect {
            y: left.bottom(),
            height: 1,
            ..body
        });
        let findings = Rect {
            y: left.bottom() + selection_height,
            height: findings_height,
            ..body
        };
        (left, None, selection, findings)
    };
    // The ladder takes rows from the grid only when the grid keeps a whole row of cells.
    let timeline = (timeline && left.height >= TIMELINE_HEIGHT + MIN_GRID_ROWS).then(|| Rect {
        y: left.bottom() - TIMELINE_HEIGHT,
        height: TIMELINE_HEIGHT,
        ..left
    });
    let grid = Rect {
        height: left.height - timeline.map_or(0, |t| t.height),
        ..left
    };
    // The legend takes the grid's right side, where the grid can spare it.
    let legend_width = (grid.width / 3).min(LEGEND_WIDTH);
    let legend = (legend && grid.width >= 2 * LEGEND_WIDTH).then(|| Rect {
        x: grid.right() - legend_width,
        width: legend_width,
        ..grid
    });
    let grid = Rect {
        width: grid.width - legend.map_or(0, |l| l.width),
        ..grid
    };
    Screen {
        title,
        grid,
        timeline,
        legend,
        inspector,
        selection,
        findings,
        status,
    }
}

/// The layout of a terminal of this size.
pub fn screen_of(width: u16, height: u16, timeline: bool, legend: bool) -> Screen {
    screen(Rect::new(0, 0, width, height), timeline, legend)
}

/// A centred rectangle for a popup, at most `width` x `height`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The first finding shown in a findings panel, so that the selected one (`finding`, an
/// index into the findings) is visible. The panel's first row is its heading.
pub fn findings_first_row(finding: Option<usize>, panel: Rect) -> usize {
    let rows = usize::from(panel.height.saturating_sub(1)).max(1);
    finding.unwrap_or(0).saturating_sub(rows - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_get_a_side_panel_narrow_ones_a_findings_strip() {
        let wide = screen(Rect::new(0, 0, 160, 50), false, false);
        assert_eq!(wide.grid, Rect::new(0, 1, 120, 48));
        assert_eq!(wide.inspector.map(|r| r.x), Some(120));
        let narrow = screen(Rect::new(0, 0, 80, 24), false, false);
        assert_eq!(narrow.inspector, None);
        assert_eq!(narrow.grid, Rect::new(0, 1, 80, 16));
        assert_eq!(narrow.selection, Some(Rect::new(0, 17, 80, 1)));
        assert_eq!(narrow.findings, Rect::new(0, 18, 80, 5));
        assert_eq!(
            screen(Rect::new(0, 0, 139, 40), false, false).inspector,
            None,
            "120 columns keep the grid wide"
        );
        assert_eq!(narrow.status, Rect::new(0, 23, 80, 1));
        let with_timeline = screen(Rect::new(0, 0, 80, 24), true, false);
        assert_eq!(with_timeline.timeline, Some(Rect::new(0, 12, 80, 5)));
        assert_eq!(with_timeline.grid, Rect::new(0, 1, 80, 11));
    }

    #[test]
    fn every_size_lays_out_without_panicking() {
        for width in [0, 1, 2, 59, 60, 109, 110, 111, 139, 140, 141, 300] {
            for height in [0, 1, 2, 3, 4, 5, 15, 16, 17, 100] {
                for timeline in [false, true] {
                    let s = screen(Rect::new(0, 0, width, height), timeline, false);
                    assert!(
                        s.grid.bottom() <= height.max(1) && s.findings.bottom() <= height.max(1),
                        "{width}x{height}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_legend_takes_the_grids_right_side_where_it_can() {
        let with = screen(Rect::new(0, 0, 120, 40), false, true);
        let without = screen(Rect::new(0, 0, 120, 40), false, false);
        let legend = with.legend.expect("room for a legend at 120 columns");
        assert_eq!(legend.x, with.grid.right());
        assert_eq!(with.grid.width + legend.width, without.grid.width);
        assert_eq!(screen(Rect::new(0, 0, 60, 20), false, true).legend, None);
    }
}
