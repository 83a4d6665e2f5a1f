//! The map file: steps on a grid and the flows between them, saved as RON in the shape fixed
//! by DESIGN.md. Saving is deterministic: one step or flow per line, in the map's own order,
//! so a change touches one line and maps diff and merge well in git.

use crate::activity::Activity;
use crate::ron_text::{self, FileError};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    pub format: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub flows: Vec<Flow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub activity: Activity,
    /// Further activities the step belongs to ("Design and transition/Improve").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Activity>,
    pub label: String,
    pub at: Cell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub practices: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub artifact: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl Map {
    pub fn new(title: impl Into<String>) -> Map {
        Map {
            format: FORMAT,
            title: title.into(),
            notes: String::new(),
            steps: Vec::new(),
            flows: Vec::new(),
        }
    }

    /// Reads a map file. Structural problems that still leave a readable map (duplicate ids,
    /// shared cells, flows to missing steps) are the checker's findings, not errors here.
    pub fn load(path: &Path) -> Result<Map, FileError> {
        let text = ron_text::read_text(path)?;
        Map::from_text(&path.display().to_string(), &text)
    }

    pub fn from_text(name: &str, text: &str) -> Result<Map, FileError> {
        let map: Map = ron_text::parse(name, text)?;
        if map.format != FORMAT {
            let outline = crate::source::Outline::parse(text);
            let position = outline.map(|o| {
                o.position(
                    &crate::source::LineIndex::new(text),
                    &[crate::source::Key::Field("format")],
                )
            });
            return Err(FileError::new(
                name,
                position,
                format!(
                    "unsupported map format {}; this vsmap reads format {FORMAT}",
                    map.format
                ),
            ));
        }
        Ok(map)
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
    if !step.practices.is_empty() {
        let practices: Vec<String> = step.practices.iter().map(|p| ron_string(p)).collect();
        out.push_str(&format!(", practices: [{}]", practices.join(", ")));
    }
    if !step.notes.is_empty() {
        out.push_str(&format!(", notes: {}", ron_string(&step.notes)));
    }
    out.push(')');
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
            c if crate::names::is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
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
        map.steps.push(Step {
            id: "demand".into(),
            activity: Activity::Demand,
            also: vec![],
            label: "Employee has an issue".into(),
            at: Cell::new(0, 1),
            process_minutes: None,
            wait_minutes: None,
            practices: vec![],
            notes: String::new(),
        });
        map.steps.push(Step {
            id: "fix".into(),
            activity: Activity::DeliverAndSupport,
            also: vec![Activity::Improve],
            label: "Resolve".into(),
            at: Cell::new(2, 1),
            process_minutes: Some(5),
            wait_minutes: Some(30),
            practices: vec!["Incident management".into()],
            notes: "tab\there".into(),
        });
        map.flows.push(Flow {
            from: "demand".into(),
            to: "fix".into(),
            artifact: Some("User support tasks".into()),
            notes: String::new(),
        });
        map.flows.push(Flow {
            from: "fix".into(),
            to: "demand".into(),
            artifact: None,
            notes: String::new(),
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
        Step(id: "fix", activity: DeliverAndSupport, also: [Improve], label: "Resolve", at: (col: 2, row: 1), process_minutes: Some(5), wait_minutes: Some(30), practices: ["Incident management"], notes: "tab\there"),
    ],
    flows: [
        Flow(from: "demand", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "demand", artifact: None),
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
