//! What a step's box says at each zoom level, as lines of text. The geometry sizes columns
//! and rows from these lines, the grid draws them, and the SVG export writes them: one copy
//! of what a box holds.

use super::theme::Glyphs;
use crate::check::kinds;
use crate::model::activity::Activity;
use crate::model::map::Step;
use crate::text::{fit, minutes, shown, shown_borrowing, wrap, wrap_whole};
use unicode_width::UnicodeWidthStr;

/// How much of the map a screen shows, and how much of each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Zoom {
    /// Small boxes (activity mark and a short label): a ten-column stream fits 160 columns.
    Overview,
    /// Boxes for a label of about 30 characters on two lines, gaps for the artifact names.
    #[default]
    Normal,
    /// Whole labels and headings, and a data box with process time, wait and %C/A.
    Detail,
}

impl Zoom {
    pub const ALL: [Zoom; 3] = [Zoom::Overview, Zoom::Normal, Zoom::Detail];

    pub fn name(self) -> &'static str {
        match self {
            Zoom::Overview => "overview",
            Zoom::Normal => "normal",
            Zoom::Detail => "detail",
        }
    }

    /// The next level, `z` in the editor: overview, normal, detail, overview ...
    pub fn next(self) -> Zoom {
        match self {
            Zoom::Overview => Zoom::Normal,
            Zoom::Normal => Zoom::Detail,
            Zoom::Detail => Zoom::Overview,
        }
    }

    /// The limits of a box's inner width (between its borders).
    pub fn inner_width(self) -> (usize, usize) {
        match self {
            Zoom::Overview => (10, 10),
            Zoom::Normal => (16, 24),
            Zoom::Detail => (18, 30),
        }
    }
}

/// Most characters of a label that a box ever looks at: a megabyte label costs what a
/// long sentence does.
const LABEL_CHARS: usize = 600;

/// The lines inside a step's box, top to bottom, and what kind each is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxText {
    /// The activity tags and name(s).
    pub heading: Vec<String>,
    pub label: Vec<String>,
    /// Normal zoom: "5m · wait 10m · 90%" when any number is known.
    pub times: Option<String>,
    /// Detail zoom: the data box's three fields, "PT 5m", "WT 10m", "CA 90%".
    pub data: Option<[String; 3]>,
}

impl BoxText {
    /// Rows of the box, borders included.
    pub fn height(&self) -> usize {
        let data_rows = if self.data.is_some() { 2 } else { 0 };
        2 + self.heading.len() + self.label.len() + usize::from(self.times.is_some()) + data_rows
    }
}

/// "ENG" or "D&S+IMP": the step's activity tags.
pub fn tags(step: &Step) -> String {
    kinds(step).map(Activity::tag).collect::<Vec<_>>().join("+")
}

/// "5m · wait 10m · 90%": the step's numbers that are known; empty when none is. Days are
/// the map's working days of `day_minutes`.
pub fn times_line(step: &Step, separator: &str, day_minutes: u32) -> String {
    let mut parts = Vec::new();
    if let Some(p) = step.process_minutes {
        parts.push(minutes(p, day_minutes));
    }
    if let Some(w) = step.wait_minutes {
        parts.push(format!("wait {}", minutes(w, day_minutes)));
    }
    if let Some(ca) = step.complete_accurate_percent {
        parts.push(format!("{ca}%"));
    }
    parts.join(separator)
}

/// The width of `times_line(step, " · ", day_minutes)`, without writing it.
fn times_width(step: &Step, day_minutes: u32) -> usize {
    let duration = |m: u32| crate::text::duration_width(u64::from(m), day_minutes);
    let parts = [
        step.process_minutes.map(duration),
        step.wait_minutes.map(|w| "wait ".len() + duration(w)),
        step.complete_accurate_percent
            .map(|ca| ca.checked_ilog10().unwrap_or(0) as usize + 2),
    ];
    let known = parts.iter().flatten().count();
    parts.iter().flatten().sum::<usize>() + " · ".width() * known.saturating_sub(1)
}

/// The data box's fields: process time, wait time, %C/A; `?` for a number nobody entered.
pub fn data_fields(step: &Step, day_minutes: u32) -> [String; 3] {
    let or_unknown = |v: Option<u32>| v.map_or_else(|| "?".into(), |m| minutes(m, day_minutes));
    [
        format!("PT {}", or_unknown(step.process_minutes)),
        format!("WT {}", or_unknown(step.wait_minutes)),
        format!(
            "CA {}",
            step.complete_accurate_percent
                .map_or_else(|| "?".into(), |c| format!("{c}%"))
        ),
    ]
}

/// The inner width the data box needs: its three fields and two separators.
fn data_width(fields: &[String; 3]) -> usize {
    fields.iter().map(|f| f.width()).sum::<usize>() + 2
}

/// The narrowest inner width, within the zoom's limits, at which the step's box shows what
/// it should without cutting (at normal zoom: the label on two lines; at detail: heading,
/// label and data box on as many lines as they need, but not more than about four label
/// lines). A step that needs more than the limit gets the limit.
pub fn width_needed(step: &Step, zoom: Zoom, day_minutes: u32) -> usize {
    let (min, max) = zoom.inner_width();
    let (label_lines, text_need) = match zoom {
        Zoom::Overview => return min,
        Zoom::Normal => {
            let tags_width = kinds(step).map(|a| a.tag().width() + 1).sum::<usize>() - 1;
            let heading = tags_width + 1 + step.activity.name().width();
            (2, heading.max(times_width(step, day_minutes)))
        }
        Zoom::Detail => (4, data_width(&data_fields(step, day_minutes))),
    };
    let need = min.max(text_need);
    if need >= max {
        return max;
    }
    // The narrowest width at which the label wraps into its lines; greedy wrapping never
    // takes more lines at a wider width, so a binary search finds it.
    let label = shown_borrowing(&step.label, LABEL_CHARS);
    if fits_in_lines(&label, need, label_lines) {
        return need;
    }
    let (mut fits_not, mut fits) = (need, max);
    if !fits_in_lines(&label, max, label_lines) {
        return max;
    }
    while fits - fits_not > 1 {
        let middle = (fits + fits_not) / 2;
        if fits_in_lines(&label, middle, label_lines) {
            fits = middle;
        } else {
            fits_not = middle;
        }
    }
    fits
}

/// The rows of the step's box, borders included, at this zoom and inner width: what
/// `box_text(..).height()` says, without laying the text out where the count is fixed.
pub fn box_height(step: &Step, zoom: Zoom, inner: usize, day_minutes: u32) -> usize {
    match zoom {
        // Borders, the tags, the label.
        Zoom::Overview => 4,
        // Borders, the heading, two label lines and the times line when any is known.
        Zoom::Normal => {
            let times = step.process_minutes.is_some()
                || step.wait_minutes.is_some()
                || step.complete_accurate_percent.is_some();
            5 + usize::from(times)
        }
        Zoom::Detail => box_text(step, zoom, inner, &super::theme::UNICODE, day_minutes).height(),
    }
}

/// Whether every word of `text` fits `width` and the whole takes at most `lines` lines.
fn fits_in_lines(text: &str, width: usize, lines: usize) -> bool {
    let mut used = 0usize;
    let mut line = 0usize;
    for word in text.split_whitespace() {
        let w = word.width();
        if w > width {
            return false;
        }
        if line == 0 || used + 1 + w > width {
            line += 1;
            used = w;
        } else {
            used += 1 + w;
        }
        if line > lines {
            return false;
        }
    }
    true
}

/// What the step's box holds at this zoom and inner width, its times in working days of
/// `day_minutes`.
pub fn box_text(
    step: &Step,
    zoom: Zoom,
    inner: usize,
    glyphs: &Glyphs,
    day_minutes: u32,
) -> BoxText {
    let ellipsis = glyphs.ellipsis;
    let label = shown(&step.label, LABEL_CHARS);
    match zoom {
        Zoom::Overview => BoxText {
            heading: vec![fit(&tags(step), inner, ellipsis)],
            label: vec![fit(&label, inner, ellipsis)],
            times: None,
            data: None,
        },
        Zoom::Normal => {
            let heading = format!("{} {}", tags(step), step.activity.name());
            let times = times_line(step, glyphs.separator, day_minutes);
            BoxText {
                heading: vec![fit(&heading, inner, ellipsis)],
                label: pad_to(wrap(&label, inner, 2, ellipsis), 2),
                times: (!times.is_empty()).then(|| fit(&times, inner, ellipsis)),
                data: None,
            }
        }
        Zoom::Detail => {
            let names: Vec<&str> = kinds(step).map(Activity::name).collect();
            let heading = format!("{} {}", tags(step), names.join(" / "));
            BoxText {
                heading: wrap_whole(&heading, inner),
                label: wrap_whole(&label, inner),
                times: None,
                // The ends stand for parties: they have no times of their own.
                data: (!step.activity.is_end()).then(|| data_fields(step, day_minutes)),
            }
        }
    }
}

/// At least `lines` lines, so boxes of one row look alike.
fn pad_to(mut lines: Vec<String>, count: usize) -> Vec<String> {
    while lines.len() < count {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::map::Cell;
    use crate::view::theme::UNICODE;

    const DAY: u32 = crate::text::WORKING_DAY_MINUTES;

    fn step(label: &str) -> Step {
        let mut s = Step::new("s", Activity::Engage, label, Cell::new(0, 0));
        s.process_minutes = Some(5);
        s.wait_minutes = Some(10);
        s.complete_accurate_percent = Some(90);
        s
    }

    #[test]
    fn normal_boxes_grow_to_show_a_label_on_two_lines() {
        let s = step("Knowledge article published for the desk");
        let width = width_needed(&s, Zoom::Normal, DAY);
        assert!((16..=24).contains(&width), "{width}");
        let text = box_text(&s, Zoom::Normal, width, &UNICODE, DAY);
        assert_eq!(
            text.label.join(" "),
            "Knowledge article published for the desk"
        );
        assert_eq!(text.times.as_deref(), Some("5m · wait 10m · 90%"));
        assert_eq!(text.heading, ["ENG Engage"]);
    }

    #[test]
    fn detail_boxes_show_everything_and_a_data_box() {
        let mut s = step("A label far too long for any box to hold on two lines, whole");
        s.also = thin_vec::thin_vec![Activity::Improve, Activity::Value];
        let width = width_needed(&s, Zoom::Detail, DAY);
        let text = box_text(&s, Zoom::Detail, width, &UNICODE, DAY);
        assert_eq!(
            text.label.join(" "),
            "A label far too long for any box to hold on two lines, whole"
        );
        assert_eq!(
            text.heading.join(" "),
            "ENG+IMP+VAL Engage / Improve / Value"
        );
        assert_eq!(
            text.data,
            Some(["PT 5m".into(), "WT 10m".into(), "CA 90%".into()])
        );
        assert_eq!(text.height(), 2 + text.heading.len() + text.label.len() + 2);
    }

    #[test]
    fn a_times_lines_width_is_measured_without_writing_it() {
        for (p, w, ca) in [
            (None, None, None),
            (Some(0), None, Some(0)),
            (Some(5), Some(10), Some(90)),
            (None, Some(100_000), Some(100)),
            (Some(u32::MAX), None, Some(7)),
        ] {
            let mut s = step("Fix");
            (
                s.process_minutes,
                s.wait_minutes,
                s.complete_accurate_percent,
            ) = (p, w, ca);
            assert_eq!(times_width(&s, DAY), times_line(&s, " · ", DAY).width());
        }
    }

    #[test]
    fn box_times_count_in_the_maps_working_days() {
        let mut s = step("Fix");
        s.process_minutes = Some(960);
        s.wait_minutes = Some(2400);
        assert_eq!(times_line(&s, " · ", 480), "2d · wait 1w · 90%");
        assert_eq!(times_line(&s, " · ", 1440), "16h · wait 1d16h · 90%");
        assert_eq!(data_fields(&s, 480)[0], "PT 2d");
        assert_eq!(data_fields(&s, 1440)[1], "WT 1d16h");
    }

    #[test]
    fn overview_boxes_hold_the_mark_and_a_short_label() {
        let text = box_text(
            &step("Service desk logs the call"),
            Zoom::Overview,
            10,
            &UNICODE,
            DAY,
        );
        assert_eq!(text.heading, ["ENG"]);
        assert_eq!(text.label, ["Service d…"]);
    }

    /// The smallest width, stepping up one at a time, at which the box shows all it
    /// should: the definition that `width_needed`'s search must agree with.
    fn width_by_steps(step: &Step, zoom: Zoom) -> usize {
        let (min, max) = zoom.inner_width();
        (min..max)
            .find(|&inner| {
                let text = box_text(step, zoom, inner, &UNICODE, DAY);
                let label_whole = text.label.concat().chars().all(|c| c != '…')
                    && text
                        .label
                        .join(" ")
                        .split_whitespace()
                        .eq(shown(&step.label, LABEL_CHARS).split_whitespace());
                let heading_whole = text.heading.iter().all(|h| !h.contains('…'));
                let times_whole = text.times.as_deref().is_none_or(|t| !t.contains('…'));
                let data_whole = text.data.as_ref().is_none_or(|d| data_width(d) <= inner);
                label_whole && heading_whole && times_whole && data_whole
            })
            .unwrap_or(max)
    }

    #[test]
    fn sizing_finds_the_narrowest_box_that_shows_the_whole_label_and_counts_its_rows() {
        let labels = [
            "",
            "Fix",
            "Service desk logs the call",
            "Knowledge article published for the desk",
            "Supercalifragilisticexpialidocious word",
            "A label far too long for any box to hold on two lines, whole and more",
            "Zugangsanfrage prüfen und freigeben",
            "Tab\there and \\u{41} escaped",
            "一二三四五六七八九十 漢字のラベル",
        ];
        for label in labels {
            for times in [false, true] {
                let mut s = step(label);
                if !times {
                    (
                        s.process_minutes,
                        s.wait_minutes,
                        s.complete_accurate_percent,
                    ) = (None, None, None);
                }
                s.also = if times {
                    thin_vec::thin_vec![Activity::Improve]
                } else {
                    thin_vec::thin_vec![]
                };
                for zoom in Zoom::ALL {
                    let width = width_needed(&s, zoom, DAY);
                    if zoom != Zoom::Detail {
                        assert_eq!(width, width_by_steps(&s, zoom), "{label:?} at {zoom:?}");
                    }
                    for inner in [width, 16, 30] {
                        let text = box_text(&s, zoom, inner, &UNICODE, DAY);
                        assert_eq!(box_height(&s, zoom, inner, DAY), text.height(), "{label:?}");
                    }
                }
            }
        }
    }
}
