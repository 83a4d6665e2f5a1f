//! Where each connection's artifact name stands: on its link, wrapped over a few lines
//! above or below a straight run (or beside a vertical one), on cells that no box, line or
//! other name uses. A name that finds no room, and every name at overview, is replaced on
//! the link by the flow's number, and the legend lists it in full.

use super::boxes::Zoom;
use super::geometry::LABEL_LINES;
use crate::route::Route;
use crate::text::shown;
use rustc_hash::FxHashSet;
use unicode_width::UnicodeWidthStr;

/// Most characters of a name placed on a link; longer names go to the legend.
const NAME_CHARS: usize = 120;
/// The widest a name beside a vertical line is wrapped to.
const SIDE_WIDTH: usize = 20;

/// How far from the cells of its line a label may stand, in columns and in rows: beside a
/// vertical line as wide as a side name and a space; above or below a horizontal one as
/// many rows as a name has lines. A flow's number stands nearer.
pub const REACH: (i32, i32) = (SIDE_WIDTH as i32 + 2, LABEL_LINES as i32);

/// A name's place, in world characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// The name itself, one line of text per row from (x, y).
    Name { x: i32, y: i32, lines: Vec<String> },
    /// The flow's number (its position in the map's list of flows, from 1) at (x, y).
    Number { x: i32, y: i32, text: String },
}

impl Label {
    /// The first and last rows its text stands in.
    pub fn rows(&self) -> (i32, i32) {
        match self {
            Label::Name { y, lines, .. } => {
                (*y, y.saturating_add(lines.len().saturating_sub(1) as i32))
            }
            Label::Number { y, .. } => (*y, *y),
        }
    }

    /// The world cells the label's text covers.
    pub fn cells(&self) -> Vec<(i32, i32)> {
        match self {
            Label::Name { x, y, lines } => lines
                .iter()
                .enumerate()
                .flat_map(|(k, line)| {
                    (0..line.width() as i32).map(move |dx| (x + dx, y + k as i32))
                })
                .collect(),
            Label::Number { x, y, text } => {
                (0..text.width() as i32).map(|dx| (x + dx, *y)).collect()
            }
        }
    }
}

/// What a placement needs to know about the canvas: whether a cell is free for text.
pub trait Room {
    /// No box, no line and no other name on this cell.
    fn is_free(&self, x: i32, y: i32) -> bool;
    /// Part of a box's border or inside.
    fn is_box(&self, x: i32, y: i32) -> bool;
    /// The world x (inclusive) of the grid column x lies in: its box and the gap after it.
    /// A name kept within one stays whole where `vsmap render` cuts a map into bands of
    /// whole columns.
    fn column(&self, _x: i32) -> (i32, i32) {
        (i32::MIN, i32::MAX)
    }
}

/// A straight part of a route, from one world character to another (inclusive).
type Run = ((i32, i32), (i32, i32));

/// The straight parts of a route, longest first: each from `a` to `b` (inclusive),
/// horizontal or vertical; a corner belongs to both parts it joins.
fn runs(route: &Route) -> Vec<Run> {
    let p = &route.points;
    let mut out = Vec::new();
    let mut start = 0;
    while start < p.len() {
        let mut end = start;
        while end + 1 < p.len() && p[end + 1].1 == p[start].1 {
            end += 1;
        }
        if end == start {
            while end + 1 < p.len() && p[end + 1].0 == p[start].0 {
                end += 1;
            }
        }
        out.push((p[start], p[end]));
        start = if end == start { start + 1 } else { end };
        if end + 1 == p.len() {
            break;
        }
    }
    out.sort_by_key(|(a, b)| std::cmp::Reverse((a.0 - b.0).abs() + (a.1 - b.1).abs()));
    out
}

/// Places a flow's name on its route, or its number where the name finds no room.
pub fn place(
    flow: usize,
    name: &str,
    route: &Route,
    zoom: Zoom,
    room: &impl Room,
    taken: &FxHashSet<(i32, i32)>,
) -> Label {
    let free = |x: i32, y: i32| room.is_free(x, y) && !taken.contains(&(x, y));
    let name = shown(name, NAME_CHARS + 1);
    let runs = runs(route);
    if zoom != Zoom::Overview && name.chars().count() <= NAME_CHARS {
        let words = Words::new(&name);
        // Within one column of the grid where there is room, else across columns.
        for within_a_column in [true, false] {
            for &(a, b) in &runs {
                if let Some(label) = on_run(&words, a, b, &free, room, within_a_column) {
                    return label;
                }
            }
        }
    }
    let untaken = |x: i32, y: i32| !taken.contains(&(x, y));
    number_on(flow, route, &runs, &free, &untaken, room)
}

/// Whether the wrapped lines fit from (x, y) down, on free cells and not against
/// a box on either side.
fn fits(
    lines: &Wrapped,
    x: i32,
    y: i32,
    free: &impl Fn(i32, i32) -> bool,
    room: &impl Room,
) -> bool {
    lines.iter().enumerate().all(|(k, (_, w))| {
        let (row, w) = (y + k as i32, *w as i32);
        (0..w).all(|dx| free(x + dx, row)) && !room.is_box(x - 1, row) && !room.is_box(x + w, row)
    })
}

/// A name's words with their widths, measured once for every run it is tried on.
struct Words<'a> {
    words: Vec<(&'a str, usize)>,
    longest_word: usize,
    /// Its width on one line, one space between words.
    joined: usize,
}

/// A wrapped name: each line's words (a range of `Words::words`) and its width.
type Wrapped = Vec<(std::ops::Range<usize>, usize)>;

impl<'a> Words<'a> {
    fn new(name: &'a str) -> Words<'a> {
        let words: Vec<(&str, usize)> = name.split_whitespace().map(|w| (w, w.width())).collect();
        let longest_word = words.iter().map(|w| w.1).max().unwrap_or(0);
        let joined = words.iter().map(|w| w.1).sum::<usize>() + words.len().saturating_sub(1);
        Words {
            words,
            longest_word,
            joined,
        }
    }

    /// Whether the name may wrap into `lines` lines of `width` at most: not if a word is
    /// wider, or if even full lines, each ending where a space was, cannot hold it. A quick
    /// no before wrapping, which most runs of a crowded map get.
    fn may_wrap(&self, lines: usize, width: usize) -> bool {
        self.longest_word <= width && self.joined <= lines * width + lines.saturating_sub(1)
    }

    /// The words wrapped into lines of `width` columns, as `wrap_whole` wraps them when
    /// no word is wider than that.
    fn wrap(&self, width: usize) -> Wrapped {
        let mut lines: Wrapped = Vec::new();
        for (k, &(_, w)) in self.words.iter().enumerate() {
            match lines.last_mut() {
                Some((words, used)) if *used + 1 + w <= width => {
                    (*words, *used) = (words.start..k + 1, *used + 1 + w);
                }
                _ => lines.push((k..k + 1, w)),
            }
        }
        lines
    }

    /// The text of the wrapped lines.
    fn text(&self, wrapped: &Wrapped) -> Vec<String> {
        let word = |k: usize| self.words[k].0;
        let line = |words: &std::ops::Range<usize>| words.clone().map(word).collect::<Vec<_>>();
        wrapped
            .iter()
            .map(|(words, _)| line(words).join(" "))
            .collect()
    }
}

fn on_run(
    words: &Words,
    a: (i32, i32),
    b: (i32, i32),
    free: &impl Fn(i32, i32) -> bool,
    room: &impl Room,
    within_a_column: bool,
) -> Option<Label> {
    let column = |x: i32| {
        if within_a_column {
            room.column(x)
        } else {
            (i32::MIN, i32::MAX)
        }
    };
    if a.1 == b.1 {
        // Horizontal: above the line, else below it, leaving the run's two ends clear; in
        // the middle of the run as far as the column of its middle allows.
        let (run_x0, run_x1) = (a.0.min(b.0), a.0.max(b.0));
        let (first, last) = column(run_x0 + (run_x1 - run_x0) / 2);
        let (x0, x1) = (run_x0.max(first), run_x1.min(last));
        let avail = (x1 - x0 + 1 - 2).max(0) as usize;
        // Words are never broken on a link: a name that needs that goes to the legend.
        if avail < 3 || !words.may_wrap(LABEL_LINES, avail) {
            return None;
        }
        let lines = words.wrap(avail);
        if lines.len() > LABEL_LINES {
            return None;
        }
        let width = lines.iter().map(|l| l.1).max().unwrap_or(0) as i32;
        let middle = run_x0 + (run_x1 - run_x0 + 1 - width) / 2;
        let x = middle.clamp(x0 + 1, x1 - width);
        let k = lines.len() as i32;
        for y in [a.1 - k, a.1 + 1] {
            if fits(&lines, x, y, free, room) {
                let lines = words.text(&lines);
                return Some(Label::Name { x, y, lines });
            }
        }
        None
    } else {
        // Vertical: beside the line, right then left, within the run's height, each side
        // as wide as the column leaves it.
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let height = (y1 - y0 + 1) as usize;
        let rows = height.min(LABEL_LINES);
        let (first, last) = column(a.0);
        let side = |room: i64| room.clamp(0, SIDE_WIDTH as i64) as usize;
        let right = side(i64::from(last) - i64::from(a.0) - 1);
        let left = side(i64::from(a.0) - 1 - i64::from(first));
        for (on_the_right, room_width) in [(true, right), (false, left)] {
            if room_width == 0 || !words.may_wrap(rows, room_width) {
                continue;
            }
            let lines = words.wrap(room_width.min(words.joined.max(1)));
            if lines.len() > rows {
                continue;
            }
            let width = lines.iter().map(|l| l.1).max().unwrap_or(0) as i32;
            let y = y0 + ((height - lines.len()) / 2) as i32;
            let x = if on_the_right {
                a.0 + 2
            } else {
                a.0 - 1 - width
            };
            if fits(&lines, x, y, free, room) {
                let lines = words.text(&lines);
                return Some(Label::Name { x, y, lines });
            }
        }
        None
    }
}

/// The flow's number on the longest straight run that has room for it, clear of the
/// run's ends (where the mark and the arrow go); beside the line, or on or next to it over
/// no other label, when none has; on the route's first cell as the last resort.
fn number_on(
    flow: usize,
    route: &Route,
    runs: &[Run],
    free: &impl Fn(i32, i32) -> bool,
    untaken: &impl Fn(i32, i32) -> bool,
    room: &impl Room,
) -> Label {
    let text = (flow + 1).to_string();
    let width = text.width() as i32;
    let last = route.points.len().saturating_sub(2);
    let protected: Vec<(i32, i32)> = route.points[last..].to_vec();
    // Clear of the mark and the arrow, and of the names and numbers already placed.
    let clear = |x: i32, y: i32| {
        (0..width).all(|dx| !protected.contains(&(x + dx, y)) && untaken(x + dx, y))
    };
    // On a horizontal line, clear of the mark and the arrow: after the first cell where
    // there is room, else from it.
    for &(a, b) in runs.iter().filter(|(a, b)| a.1 == b.1) {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        for x in [x0 + 1, x0] {
            if x + width - 1 <= x1 && clear(x, a.1) {
                return Label::Number { x, y: a.1, text };
            }
        }
    }
    // Beside a vertical line, or above or below a short horizontal one.
    for &(a, b) in runs {
        let spots: Vec<(i32, i32)> = if a.0 == b.0 && a.1 != b.1 {
            let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
            (y0..=y1)
                .flat_map(|y| [(a.0 + 1, y), (a.0 - width, y)])
                .collect()
        } else {
            let x0 = a.0.min(b.0);
            vec![(x0, a.1 - 1), (x0, a.1 + 1)]
        };
        for (x, y) in spots {
            if (0..width).all(|dx| free(x + dx, y)) {
                return Label::Number { x, y, text };
            }
        }
    }
    // Anywhere on or next to the line where it covers no other name or number (a number
    // over another leaves both unreadable), on the canvas and off the boxes (drawn over
    // it), best where it covers nothing but its own line.
    let own: FxHashSet<(i32, i32)> = route.points.iter().copied().collect();
    let visible = |x: i32, y: i32| {
        clear(x, y) && (0..width).all(|dx| x + dx >= 0 && y >= 0 && !room.is_box(x + dx, y))
    };
    let own_or_free =
        |x: i32, y: i32| (0..width).all(|dx| free(x + dx, y) || own.contains(&(x + dx, y)));
    let near = || {
        route.points.iter().flat_map(move |&(x, y)| {
            (-2..=2).flat_map(move |dy| (-1..=width).map(move |back| (x - back, y + dy)))
        })
    };
    let spot = near()
        .find(|&(x, y)| visible(x, y) && own_or_free(x, y))
        .or_else(|| near().find(|&(x, y)| visible(x, y)));
    let (x, y) = spot.unwrap_or(route.points[0]);
    Label::Number { x, y, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Dir;
    use crate::text::wrap_whole;

    struct Open;
    impl Room for Open {
        fn is_free(&self, _: i32, y: i32) -> bool {
            y != 5
        }
        fn is_box(&self, _: i32, _: i32) -> bool {
            false
        }
    }

    fn straight(len: i32) -> Route {
        Route {
            points: (0..len).map(|x| (x, 5)).collect(),
            arrow: Dir::Right,
            leave: Dir::Right,
        }
    }

    /// The quick no before wrapping never turns away a name that wraps into the room: for
    /// names of words of all widths and rooms of all sizes, whenever the wrap fits, so does
    /// `may_wrap`; and it does say no, to names that do not fit. Where no word is wider
    /// than the room, a name's words wrap into the lines `wrap_whole` makes.
    #[test]
    fn the_quick_no_never_turns_away_a_name_that_fits() {
        let words = [
            "a",
            "of",
            "and",
            "plans",
            "requests,",
            "improvement",
            "Ω≈ç√",
            "表示",
        ];
        let (mut said_no, mut wrapped_alike) = (0, 0);
        for n in 1..=5 {
            for first in 0..words.len() {
                let name: Vec<&str> = (0..n)
                    .map(|k| words[(first + 3 * k) % words.len()])
                    .collect();
                let name = name.join(" ");
                let fit = Words::new(&name);
                for lines in 1..=3 {
                    for width in 1..30 {
                        let wrapped = wrap_whole(&name, width);
                        let fits =
                            wrapped.len() <= lines && wrapped.iter().all(|l| l.width() <= width);
                        let words_whole = fit.longest_word <= width;
                        if fits && words_whole {
                            assert!(fit.may_wrap(lines, width), "{name:?} in {lines} x {width}");
                        }
                        said_no += usize::from(!fit.may_wrap(lines, width));
                        if words_whole {
                            let ours = fit.wrap(width);
                            assert_eq!(fit.text(&ours), wrapped, "{name:?} at {width}");
                            let widths: Vec<usize> = ours.iter().map(|l| l.1).collect();
                            let theirs: Vec<usize> = wrapped.iter().map(|l| l.width()).collect();
                            assert_eq!(widths, theirs, "{name:?} at {width}");
                            wrapped_alike += 1;
                        }
                    }
                }
            }
        }
        assert!(said_no > 100, "{said_no}");
        assert!(wrapped_alike > 1000, "{wrapped_alike}");
    }

    #[test]
    fn a_name_stands_above_its_line_wrapped_to_the_run() {
        let taken = FxHashSet::default();
        let label = place(
            0,
            "Incidents, service requests, and feedback",
            &straight(22),
            Zoom::Normal,
            &Open,
            &taken,
        );
        let Label::Name { y, lines, .. } = label else {
            panic!("{label:?}")
        };
        assert_eq!(lines.join(" "), "Incidents, service requests, and feedback");
        assert_eq!(y + lines.len() as i32, 5, "right above the line");
    }

    #[test]
    fn no_room_or_overview_gives_the_number() {
        let taken = FxHashSet::default();
        let short = place(
            6,
            "Incidents, service requests, and feedback",
            &straight(5),
            Zoom::Normal,
            &Open,
            &taken,
        );
        assert_eq!(
            short,
            Label::Number {
                x: 1,
                y: 5,
                text: "7".into()
            }
        );
        let overview = place(0, "Plans", &straight(20), Zoom::Overview, &Open, &taken);
        assert!(matches!(overview, Label::Number { .. }));
    }

    /// With no free cell beside a line, its number goes on the line where no other name
    /// or number stands, not over one at the line's start.
    #[test]
    fn a_number_with_no_room_beside_its_line_does_not_cover_another() {
        struct Closed;
        impl Room for Closed {
            fn is_free(&self, _: i32, _: i32) -> bool {
                false
            }
            fn is_box(&self, _: i32, _: i32) -> bool {
                false
            }
        }
        let down = Route {
            points: (0..=10).map(|y| (10, y)).collect(),
            arrow: Dir::Down,
            leave: Dir::Down,
        };
        let taken: FxHashSet<(i32, i32)> = [(10, 0), (10, 1), (10, 2)].into_iter().collect();
        let label = place(6, "Plans", &down, Zoom::Normal, &Closed, &taken);
        let expected = Label::Number {
            x: 10,
            y: 3,
            text: "7".into(),
        };
        assert_eq!(label, expected);

        // Nor on the box the line leaves, drawn over it: a box where y < 0.
        struct BoxAbove;
        impl Room for BoxAbove {
            fn is_free(&self, _: i32, _: i32) -> bool {
                false
            }
            fn is_box(&self, _: i32, y: i32) -> bool {
                y < 0
            }
        }
        let label = place(11, "Plans", &down, Zoom::Normal, &BoxAbove, &taken);
        let Label::Number { x, y, .. } = label else {
            panic!("{label:?}")
        };
        assert!(y >= 0 && !taken.contains(&(x, y)), "{label:?}");
    }
}
