//! The map file: steps on a grid and the flows between them, saved as RON in the shape fixed
//! by DESIGN.md. Saving is deterministic: one step or flow per line, in the map's own order,
//! so a change touches one line and maps diff and merge well in git.

use crate::io::ron_text::{self, FileError};
use crate::model::activity::Activity;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::path::Path;
use thin_vec::ThinVec;

pub const FORMAT: u32 = 1;

/// The longest working day a map may have: a whole day of 24 hours.
pub const MAX_DAY_MINUTES: u32 = 1440;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    pub format: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Minutes in a working day, what `1d` means in the map's times (a week is five days).
    /// None is the office day of `text::WORKING_DAY_MINUTES`; a 24x7 desk says `Some(1440)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_day_minutes: Option<u32>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub flows: Vec<Flow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: CompactString,
    pub activity: Activity,
    /// Further activities the step belongs to ("Design and transition/Improve").
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub also: ThinVec<Activity>,
    pub label: CompactString,
    pub at: Cell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_minutes: Option<u32>,
    /// The queue before the step, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_minutes: Option<u32>,
    /// Percent of the step's output that the next step can use as it is (%C/A).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_accurate_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub practices: ThinVec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub improvements: ThinVec<Improvement>,
}

/// A kaizen note: an improvement to make here, and who owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Improvement {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A cell of the grid. Columns run left to right, rows top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    pub col: u16,
    pub row: u16,
}

impl Cell {
    pub fn new(col: u16, row: u16) -> Cell {
        Cell { col, row }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub from: CompactString,
    pub to: CompactString,
    #[serde(default)]
    pub artifact: Option<CompactString>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub improvements: ThinVec<Improvement>,
}

impl Step {
    /// What people call the step: its label, or its id when the label is blank.
    pub fn name(&self) -> &str {
        if self.label.trim().is_empty() {
            &self.id
        } else {
            &self.label
        }
    }

    /// A step with only what every step has.
    pub fn new(id: impl AsRef<str>, activity: Activity, label: impl AsRef<str>, at: Cell) -> Step {
        Step {
            id: CompactString::new(id),
            activity,
            also: ThinVec::new(),
            label: CompactString::new(label),
            at,
            process_minutes: None,
            wait_minutes: None,
            complete_accurate_percent: None,
            practices: ThinVec::new(),
            notes: String::new(),
            improvements: ThinVec::new(),
        }
    }
}

impl Flow {
    pub fn new(from: impl AsRef<str>, to: impl AsRef<str>, artifact: Option<String>) -> Flow {
        Flow {
            from: CompactString::new(from),
            to: CompactString::new(to),
            artifact: artifact.map(CompactString::from),
            notes: String::new(),
            improvements: ThinVec::new(),
        }
    }
}

impl Map {
    /// What people call the step with this id: its label (the id when it has none, or
    /// when no step has the id). Ids stay put when steps are renamed; labels are read.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .map_or(id, Step::name)
    }

    pub fn new(title: impl Into<String>) -> Map {
        Map {
            format: FORMAT,
            title: title.into(),
            notes: String::new(),
            working_day_minutes: None,
            steps: Vec::new(),
            flows: Vec::new(),
        }
    }

    /// Minutes in the map's working day: what a day of its times is (see `duration`).
    pub fn day_minutes(&self) -> u32 {
        self.working_day_minutes
            .unwrap_or(crate::text::WORKING_DAY_MINUTES)
    }

    /// Reads a map file. Structural problems that still leave a readable map (duplicate ids,
    /// shared cells, flows to missing steps) are the checker's findings, not errors here.
    pub fn load(path: &Path) -> Result<Map, FileError> {
        let text = ron_text::read_text(path)?;
        Map::from_text(&path.display().to_string(), &text)
    }

    pub fn from_text(name: &str, text: &str) -> Result<Map, FileError> {
        Map::from_text_placed(name, text).map(|(map, _)| map)
    }

    /// `from_text`, with where the map's steps and flows start in the text when the fast
    /// path read it (a report places its findings with them).
    pub fn from_text_placed(
        name: &str,
        text: &str,
    ) -> Result<(Map, Option<crate::io::map_text::Places>), FileError> {
        // The fast path reads plain map files; ron reads the rest and words every error.
        let (map, places) = match crate::io::map_text::parse_placed(text) {
            Some((map, places)) => (map, Some(places)),
            None => (ron_text::parse(name, text)?, None),
        };
        let refuse = |field: &'static str, message: String| {
            let outline = crate::io::source::Outline::parse(text);
            let position = outline.map(|o| {
                o.position(
                    &crate::io::source::LineIndex::new(text),
                    &[crate::io::source::Key::Field(field)],
                )
            });
            FileError::new(name, position, message)
        };
        if map.format != FORMAT {
            return Err(refuse(
                "format",
                format!(
                    "unsupported map format {}; this vsmap reads format {FORMAT}",
                    map.format
                ),
            ));
        }
        if let Some(day) = map.working_day_minutes
            && !(1..=MAX_DAY_MINUTES).contains(&day)
        {
            return Err(refuse(
                "working_day_minutes",
                format!(
                    "working_day_minutes is {day}: a working day is 1 to {MAX_DAY_MINUTES} minutes (480 for 8 hours, 1440 for a 24x7 desk), or leave the field out for 480"
                ),
            ));
        }
        Ok((map, places))
    }

    /// The map as RON text, always the same bytes for the same map.
    pub fn to_ron(&self) -> String {
        let mut out = String::with_capacity(128 + 160 * (self.steps.len() + self.flows.len()));
        out.push_str("Map(\n");
        out.push_str(&format!("    format: {},\n", self.format));
        out.push_str(&format!("    title: {},\n", ron_string(&self.title)));
        if !self.notes.is_empty() {
            out.push_str(&format!("    notes: {},\n", ron_string(&self.notes)));
        }
        if let Some(day) = self.working_day_minutes {
            out.push_str(&format!("    working_day_minutes: Some({day}),\n"));
        }
        push_list(&mut out, "steps", &self.steps, write_step);
        push_list(&mut out, "flows", &self.flows, write_flow);
        out.push_str(")\n");
        out
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    pub fn step_at(&self, cell: Cell) -> Option<usize> {
        self.steps.iter().position(|s| s.at == cell)
    }

    /// A fresh step id derived from a label ("Service desk logs call" -> "service-desk-logs-call"),
    /// made unique with a number when needed.
    pub fn new_step_id(&self, label: &str, activity: Activity) -> String {
        let mut base: String = crate::names::fold(label)
            .split(' ')
            .take(4)
            .collect::<Vec<_>>()
            .join("-");
        if base.is_empty() {
            base = crate::names::fold(activity.name()).replace(' ', "-");
        }
        if self.step_index(&base).is_none() {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| self.step_index(id).is_none())
            .expect("some number is free")
    }
}

fn push_list<T>(out: &mut String, field: &str, items: &[T], write: fn(&mut String, &T)) {
    if items.is_empty() {
        out.push_str(&format!("    {field}: [],\n"));
        return;
    }
    out.push_str(&format!("    {field}: [\n"));
    for item in items {
        out.push_str("        ");
        write(out, item);
        out.push_str(",\n");
    }
    out.push_str("    ],\n");
}

/// `Step(id: "a", activity: Plan, ...)` on one line, optional fields only when set.
/// Written by hand rather than through serde so the field order, the escaping and the
/// one-line shape are ours and stay stable across ron versions.
fn write_step(out: &mut String, step: &Step) {
    out.push_str(&format!(
        "Step(id: {}, activity: {}",
        ron_string(&step.id),
        step.activity.key()
    ));
    if !step.also.is_empty() {
        let also: Vec<&str> = step.also.iter().map(|a| a.key()).collect();
        out.push_str(&format!(", also: [{}]", also.join(", ")));
    }
    out.push_str(&format!(
        ", label: {}, at: (col: {}, row: {})",
        ron_string(&step.label),
        step.at.col,
        step.at.row
    ));
    if let Some(minutes) = step.process_minutes {
        out.push_str(&format!(", process_minutes: Some({minutes})"));
    }
    if let Some(minutes) = step.wait_minutes {
        out.push_str(&format!(", wait_minutes: Some({minutes})"));
    }
    if let Some(percent) = step.complete_accurate_percent {
        out.push_str(&format!(", complete_accurate_percent: Some({percent})"));
    }
    if !step.practices.is_empty() {
        let practices: Vec<String> = step.practices.iter().map(|p| ron_string(p)).collect();
        out.push_str(&format!(", practices: [{}]", practices.join(", ")));
    }
    if !step.notes.is_empty() {
        out.push_str(&format!(", notes: {}", ron_string(&step.notes)));
    }
    write_improvements(out, &step.improvements);
    out.push(')');
}

fn write_improvements(out: &mut String, improvements: &[Improvement]) {
    if improvements.is_empty() {
        return;
    }
    let items: Vec<String> = improvements
        .iter()
        .map(|i| match &i.owner {
            Some(owner) => format!(
                "Improvement(text: {}, owner: Some({}))",
                ron_string(&i.text),
                ron_string(owner)
            ),
            None => format!("Improvement(text: {})", ron_string(&i.text)),
        })
        .collect();
    out.push_str(&format!(", improvements: [{}]", items.join(", ")));
}

fn write_flow(out: &mut String, flow: &Flow) {
    let artifact = match &flow.artifact {
        Some(name) => format!("Some({})", ron_string(name)),
        None => "None".to_string(),
    };
    out.push_str(&format!(
        "Flow(from: {}, to: {}, artifact: {artifact}",
        ron_string(&flow.from),
        ron_string(&flow.to)
    ));
    if !flow.notes.is_empty() {
        out.push_str(&format!(", notes: {}", ron_string(&flow.notes)));
    }
    write_improvements(out, &flow.improvements);
    out.push(')');
}

/// A RON string literal on one line. Quotes, backslashes and every character that is
/// invisible or moves the cursor (control characters, bidi overrides, zero-width marks) are
/// escaped, so the file shows exactly what it holds.
pub fn ron_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if crate::text::is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Map {
        let mut map = Map::new("Incident \"management\"");
        map.notes = "line one\nline two".into();
        map.steps.push(Step::new(
            "demand",
            Activity::Demand,
            "Employee has an issue",
            Cell::new(0, 1),
        ));
        map.steps.push(Step {
            also: thin_vec::thin_vec![Activity::Improve],
            process_minutes: Some(5),
            wait_minutes: Some(30),
            complete_accurate_percent: Some(90),
            practices: thin_vec::thin_vec!["Incident management".into()],
            notes: "tab\there".into(),
            improvements: thin_vec::thin_vec![
                Improvement {
                    text: "Automate routing".into(),
                    owner: Some("Sam".into()),
                },
                Improvement {
                    text: "Fewer handoffs".into(),
                    owner: None,
                },
            ],
            ..Step::new(
                "fix",
                Activity::DeliverAndSupport,
                "Resolve",
                Cell::new(2, 1),
            )
        });
        map.flows.push(Flow::new(
            "demand",
            "fix",
            Some("User support tasks".into()),
        ));
        map.flows.push(Flow {
            improvements: thin_vec::thin_vec![Improvement {
                text: "Say why".into(),
                owner: None,
            }],
            ..Flow::new("fix", "demand", None)
        });
        map
    }

    #[test]
    fn saves_one_item_per_line_in_the_design_shape() {
        let text = sample().to_ron();
        let expected = r#"Map(
    format: 1,
    title: "Incident \"management\"",
    notes: "line one\nline two",
    steps: [
        Step(id: "demand", activity: Demand, label: "Employee has an issue", at: (col: 0, row: 1)),
        Step(id: "fix", activity: DeliverAndSupport, also: [Improve], label: "Resolve", at: (col: 2, row: 1), process_minutes: Some(5), wait_minutes: Some(30), complete_accurate_percent: Some(90), practices: ["Incident management"], notes: "tab\there", improvements: [Improvement(text: "Automate routing", owner: Some("Sam")), Improvement(text: "Fewer handoffs")]),
    ],
    flows: [
        Flow(from: "demand", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "demand", artifact: None, improvements: [Improvement(text: "Say why")]),
    ],
)
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn save_load_save_gives_identical_bytes() {
        let first = sample().to_ron();
        let loaded = Map::from_text("m.ron", &first).unwrap();
        assert_eq!(loaded, sample());
        assert_eq!(loaded.to_ron(), first);
    }

    #[test]
    fn strings_escape_quotes_controls_and_invisible_marks_and_load_back() {
        let nasty = "it's \"quoted\" \\ back\nslash \u{1b}[31m red \u{202e}evil\u{200b} é 漢 🙂";
        let quoted = ron_string(nasty);
        assert_eq!(
            quoted,
            "\"it's \\\"quoted\\\" \\\\ back\\nslash \\u{1b}[31m red \\u{202e}evil\\u{200b} é 漢 🙂\""
        );
        let mut map = sample();
        map.steps[0].label = nasty.into();
        let text = map.to_ron();
        assert_eq!(
            Map::from_text("m.ron", &text).unwrap().steps[0].label,
            nasty
        );
    }

    #[test]
    fn a_working_day_is_kept_when_set_and_left_out_when_not() {
        let plain = sample();
        assert_eq!(plain.day_minutes(), 480);
        assert!(!plain.to_ron().contains("working_day_minutes"));
        let mut desk = sample();
        desk.working_day_minutes = Some(1440);
        let text = desk.to_ron();
        assert!(
            text.contains("\n    working_day_minutes: Some(1440),\n    steps: ["),
            "{text}"
        );
        let loaded = Map::from_text("m.ron", &text).unwrap();
        assert_eq!(loaded.day_minutes(), 1440);
        assert_eq!(loaded.to_ron(), text);
    }

    #[test]
    fn a_working_day_of_nothing_or_more_than_a_day_is_refused_where_it_stands() {
        for day in [0, 1441, u32::MAX] {
            let text = format!(
                "Map(\n    format: 1,\n    title: \"t\",\n    working_day_minutes: Some({day}),\n)\n"
            );
            let error = Map::from_text("m.ron", &text).unwrap_err();
            assert_eq!(
                error.position.map(|p| p.line),
                Some(4),
                "the field's line: {error}"
            );
            assert!(
                error.message.starts_with(&format!(
                    "working_day_minutes is {day}: a working day is 1 to 1440 minutes"
                )),
                "{error}"
            );
        }
        for day in [1, 450, 1440] {
            let text = format!("Map(format: 1, title: \"t\", working_day_minutes: Some({day}))");
            assert_eq!(Map::from_text("m.ron", &text).unwrap().day_minutes(), day);
        }
    }

    #[test]
    fn new_ids_come_from_labels_and_stay_unique() {
        let map = sample();
        assert_eq!(map.new_step_id("Fix", Activity::Plan), "fix-2");
        assert_eq!(
            map.new_step_id("Service desk logs the call", Activity::Engage),
            "service-desk-logs-the"
        );
        assert_eq!(
            map.new_step_id("!!", Activity::ObtainOrBuild),
            "obtain-or-build"
        );
    }
}
