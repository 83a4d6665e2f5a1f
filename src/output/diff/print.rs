//! A diff as people read it (text) and as scripts read it (JSON).

use super::*;

use crate::text::duration;

pub(super) fn signed_duration(delta: i64, day_minutes: u32) -> String {
    let sign = if delta < 0 { "-" } else { "+" };
    format!("{sign}{}", duration(delta.unsigned_abs(), day_minutes))
}

pub(super) const NOTES_SHOWN: usize = 60;

pub(super) fn artifact_text(artifact: Option<&str>) -> String {
    match artifact {
        Some(name) => ron_string(name),
        None => "no artifact".to_string(),
    }
}

impl FieldValue {
    /// The value as people read it, durations in working days of `day_minutes`.
    fn text(&self, day_minutes: u32) -> String {
        match self {
            FieldValue::Text(text) => ron_string(text),
            FieldValue::Notes(text) if text.is_empty() => "none".to_string(),
            FieldValue::Notes(text) => {
                if text.chars().count() > NOTES_SHOWN {
                    let short: String = text.chars().take(NOTES_SHOWN - 1).collect();
                    ron_string(&format!("{}…", short.trim_end()))
                } else {
                    ron_string(text)
                }
            }
            FieldValue::Activity(activity) => activity.name().to_string(),
            FieldValue::Activities(list) if list.is_empty() => "none".to_string(),
            FieldValue::Activities(list) => format!(
                "[{}]",
                list.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
            ),
            FieldValue::At(cell) => format!("col {}, row {}", cell.col, cell.row),
            FieldValue::Minutes(Some(m)) => duration(u64::from(*m), day_minutes),
            FieldValue::Minutes(None) | FieldValue::Percent(None) => "missing".to_string(),
            FieldValue::Percent(Some(p)) => format!("{p}%"),
            FieldValue::Names(list) if list.is_empty() => "none".to_string(),
            FieldValue::Names(list) => format!(
                "[{}]",
                list.iter()
                    .map(|n| ron_string(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FieldValue::Artifact(artifact) => artifact_text(artifact.as_deref()),
            FieldValue::Improvements(list) => list.len().to_string(),
            // In hours: in days, every working day would be "1d".
            FieldValue::WorkingDay(Some(day)) => duration(u64::from(*day), 0),
            FieldValue::WorkingDay(None) => format!(
                "{} (the default)",
                duration(u64::from(crate::text::WORKING_DAY_MINUTES), 0)
            ),
        }
    }

    fn json(&self) -> Value {
        match self {
            FieldValue::Text(text) | FieldValue::Notes(text) => json!(text),
            FieldValue::Activity(activity) => json!(activity.key()),
            FieldValue::Activities(list) => json!(list.iter().map(|a| a.key()).collect::<Vec<_>>()),
            FieldValue::At(cell) => json!({ "col": cell.col, "row": cell.row }),
            FieldValue::Minutes(minutes) => json!(minutes),
            FieldValue::Percent(percent) => json!(percent),
            FieldValue::Names(list) => json!(list),
            FieldValue::Artifact(artifact) => json!(artifact),
            FieldValue::Improvements(list) => json!(list.len()),
            FieldValue::WorkingDay(minutes) => json!(minutes),
        }
    }
}

impl Change {
    /// The field as a facilitator reads it.
    fn label(&self) -> &'static str {
        match self.field {
            "at" => "position",
            "process_minutes" => "process time",
            "wait_minutes" => "wait",
            "complete_accurate_percent" => "%C/A",
            "working_day_minutes" => "working day",
            other => other,
        }
    }

    fn text(&self, day_minutes: u32) -> String {
        let (old, new) = (self.old.text(day_minutes), self.new.text(day_minutes));
        // Improvements edited without changing their number.
        if let (FieldValue::Improvements(a), FieldValue::Improvements(b)) = (&self.old, &self.new)
            && a.len() == b.len()
        {
            return format!("{}: {old} → {new}, edited", self.label());
        }
        format!("{}: {old} → {new}", self.label())
    }

    fn json(&self) -> Value {
        json!({ "field": self.field, "old": self.old.json(), "new": self.new.json() })
    }
}

/// `+ "Log the call" (id "log") Engage at col 1, row 0 (process 5m)`: a step added or
/// removed, by its label and its id (which the file will or did hold).
pub(super) fn step_line(prefix: char, step: &Step, day_minutes: u32) -> String {
    let mut line = format!(
        "{prefix} {} {} at col {}, row {}",
        StepNames::with_id(&step.id, &step.label),
        crate::check::describe_step_kinds(step),
        step.at.col,
        step.at.row
    );
    let mut numbers = Vec::new();
    if let Some(m) = step.process_minutes {
        numbers.push(format!("process {}", duration(u64::from(m), day_minutes)));
    }
    if let Some(m) = step.wait_minutes {
        numbers.push(format!("wait {}", duration(u64::from(m), day_minutes)));
    }
    if let Some(p) = step.complete_accurate_percent {
        numbers.push(format!("%C/A {p}%"));
    }
    if !numbers.is_empty() {
        line.push_str(&format!(" ({})", numbers.join(", ")));
    }
    line
}

pub(super) fn flow_line(prefix: char, item: &FlowItem, names: &StepNames) -> String {
    let mut line = format!(
        "{prefix} {} {}",
        names.flow(&item.flow.from, &item.flow.to),
        artifact_text(item.flow.artifact.as_deref())
    );
    if let Some(verdict) = item.verdict {
        line.push_str(&format!(" ({})", verdict.as_str()));
    }
    line
}

pub(super) fn finding_line(prefix: char, finding: &Finding) -> String {
    format!(
        "{prefix} {}[{}] {}: {}",
        finding.code.severity().as_str(),
        finding.code.as_str(),
        finding.named,
        crate::text::shown(&finding.message, usize::MAX)
    )
}

pub(super) fn counts(parts: &[(usize, &str)]) -> String {
    parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn minutes_line(name: &str, metric: &MinutesDelta, day_minutes: u32) -> String {
    let show = |m: Option<u64>| m.map_or("missing".to_string(), |m| duration(m, day_minutes));
    if !metric.changed() {
        return format!("  {name}: {} (unchanged)", show(metric.old));
    }
    let change = metric.delta().map_or("change missing".to_string(), |d| {
        signed_duration(d, day_minutes)
    });
    format!(
        "~ {name}: {} → {} ({change})",
        show(metric.old),
        show(metric.new)
    )
}

pub(super) fn percent_line(name: &str, metric: &PercentDelta) -> String {
    let show = |p: Option<f64>| p.map_or("missing".to_string(), |p| format!("{p:.1}%"));
    if !metric.changed() {
        return format!("  {name}: {} (unchanged)", show(metric.old));
    }
    let change = metric
        .delta()
        .map_or("change missing".to_string(), |d| format!("{d:+.1} pp"));
    format!(
        "~ {name}: {} → {} ({change})",
        show(metric.old),
        show(metric.new)
    )
}

pub(super) fn bottleneck_line(
    metric: &BottleneckDelta,
    names: &StepNames,
    day_minutes: u32,
) -> String {
    let show = |b: &Option<BottleneckStep>| match b {
        Some(b) => format!(
            "{} (wait {})",
            names.step(&b.id, &b.label),
            duration(u64::from(b.wait_minutes), day_minutes)
        ),
        None => "missing".to_string(),
    };
    if !metric.changed() {
        return format!("  bottleneck: {} (unchanged)", show(&metric.old));
    }
    let change = metric.delta().map_or("change missing".to_string(), |d| {
        signed_duration(d, day_minutes)
    });
    format!(
        "~ bottleneck: {} → {} ({change})",
        show(&metric.old),
        show(&metric.new)
    )
}

/// `activities used: 4 of 6 → 5 of 6 (+Improve)`.
pub(super) fn activities_line(metric: &ActivitiesDelta) -> String {
    let show = |used: &[Activity]| format!("{} of {}", used.len(), Activity::CHAIN.len());
    if !metric.changed() {
        return format!("  activities used: {} (unchanged)", show(&metric.old));
    }
    let mut changes: Vec<String> = metric
        .added()
        .iter()
        .map(|a| format!("+{}", a.name()))
        .collect();
    changes.extend(metric.removed().iter().map(|a| format!("-{}", a.name())));
    format!(
        "~ activities used: {} → {} ({})",
        show(&metric.old),
        show(&metric.new),
        changes.join(", ")
    )
}

impl Diff {
    /// True when the maps have the same title, notes, steps and connections, and so the same
    /// verdicts, findings and metrics. (The order of steps and connections in the file is not
    /// compared.)
    pub fn is_empty(&self) -> bool {
        self.map_changes.is_empty()
            && self.steps_added.is_empty()
            && self.steps_removed.is_empty()
            && self.steps_changed.is_empty()
            && self.flows_added.is_empty()
            && self.flows_removed.is_empty()
            && self.flows_changed.is_empty()
            && self.verdicts_changed.is_empty()
            && self.findings_added.is_empty()
            && self.findings_removed.is_empty()
            && !self.metrics.changed()
    }

    /// The diff for a reader: `--- OLD` / `+++ NEW`, then one heading per group and one line
    /// per item, `+` added, `-` removed, `~` changed.
    pub fn text(&self, old_name: &str, new_name: &str) -> String {
        if self.is_empty() {
            return format!("No changes between {old_name} and {new_name}\n");
        }
        let mut out = format!("--- {old_name}\n+++ {new_name}\n");
        let (day, names) = (self.day_minutes, &self.names);
        let mut section = |heading: String, lines: Vec<String>| {
            if lines.is_empty() {
                return;
            }
            out.push('\n');
            out.push_str(&heading);
            out.push('\n');
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
        };

        section(
            "Map".to_string(),
            self.map_changes
                .iter()
                .map(|c| format!("~ {}", c.text(day)))
                .collect(),
        );

        let mut lines: Vec<String> = Vec::new();
        lines.extend(
            self.steps_added
                .iter()
                .map(|s| step_line('+', &s.step, day)),
        );
        lines.extend(
            self.steps_removed
                .iter()
                .map(|s| step_line('-', &s.step, day)),
        );
        for step in &self.steps_changed {
            let name = names.step(&step.id, &step.label);
            for change in &step.changes {
                lines.push(format!("~ {name} {}", change.text(day)));
            }
        }
        section(
            format!(
                "Steps: {}",
                counts(&[
                    (self.steps_added.len(), "added"),
                    (self.steps_removed.len(), "removed"),
                    (self.steps_changed.len(), "changed"),
                ])
            ),
            lines,
        );

        let mut lines: Vec<String> = Vec::new();
        lines.extend(self.flows_added.iter().map(|f| flow_line('+', f, names)));
        lines.extend(self.flows_removed.iter().map(|f| flow_line('-', f, names)));
        for flow in &self.flows_changed {
            for change in &flow.changes {
                lines.push(format!(
                    "~ {} {}",
                    names.flow(&flow.from, &flow.to),
                    change.text(day)
                ));
            }
        }
        section(
            format!(
                "Connections: {}",
                counts(&[
                    (self.flows_added.len(), "added"),
                    (self.flows_removed.len(), "removed"),
                    (self.flows_changed.len(), "changed"),
                ])
            ),
            lines,
        );

        section(
            format!("Verdicts: {} changed", self.verdicts_changed.len()),
            self.verdicts_changed
                .iter()
                .map(|v| {
                    format!(
                        "~ {} {}: {} → {}",
                        names.flow(&v.from, &v.to),
                        artifact_text(v.artifact.as_deref()),
                        v.old.as_str(),
                        v.new.as_str()
                    )
                })
                .collect(),
        );

        let mut lines: Vec<String> = Vec::new();
        lines.extend(self.findings_added.iter().map(|f| finding_line('+', f)));
        lines.extend(self.findings_removed.iter().map(|f| finding_line('-', f)));
        section(
            format!(
                "Findings: {}",
                counts(&[
                    (self.findings_added.len(), "added"),
                    (self.findings_removed.len(), "removed"),
                ])
            ),
            lines,
        );

        let m = &self.metrics;
        section(
            "Metrics (longest path from Demand to Value)".to_string(),
            vec![
                minutes_line("lead time", &m.lead, day),
                minutes_line("process time", &m.process, day),
                minutes_line("wait time", &m.wait, day),
                percent_line("flow efficiency", &m.flow_efficiency),
                percent_line("rolled %C/A", &m.rolled_complete_accurate),
                bottleneck_line(&m.bottleneck, names, day),
                minutes_line("handoff wait", &m.handoff_wait, day),
                percent_line("handoff share of lead time", &m.handoff_share),
                activities_line(&m.activities_used),
            ],
        );
        out
    }

    /// The diff as one JSON object: arrays per kind of change and the metrics with old, new
    /// and delta (null where a side lacks the number).
    pub fn json(&self) -> Value {
        let step_json = |item: &StepItem| {
            let s = &item.step;
            json!({
                "index": item.index,
                "id": s.id,
                "activity": s.activity.key(),
                "also": s.also.iter().map(|a| a.key()).collect::<Vec<_>>(),
                "label": s.label,
                "at": { "col": s.at.col, "row": s.at.row },
                "process_minutes": s.process_minutes,
                "wait_minutes": s.wait_minutes,
                "complete_accurate_percent": s.complete_accurate_percent,
                "practices": s.practices,
                "notes": s.notes,
                "improvements": s.improvements.iter().map(|i| json!({ "text": i.text, "owner": i.owner })).collect::<Vec<_>>(),
            })
        };
        let flow_json = |item: &FlowItem| {
            json!({
                "index": item.index,
                "from": item.flow.from,
                "to": item.flow.to,
                "artifact": item.flow.artifact,
                "verdict": item.verdict.map(Verdict::as_str),
            })
        };
        let finding_json = |f: &Finding| {
            json!({
                "code": f.code.as_str(),
                "severity": f.code.severity().as_str(),
                "subject": f.subject,
                "message": f.message,
            })
        };
        let minutes_json =
            |m: &MinutesDelta| json!({ "old": m.old, "new": m.new, "delta": m.delta() });
        let percent_json =
            |m: &PercentDelta| json!({ "old": m.old, "new": m.new, "delta": m.delta() });
        let change_of = |field: &str| {
            self.map_changes
                .iter()
                .find(|c| c.field == field)
                .map(|c| json!({ "old": c.old.json(), "new": c.new.json() }))
        };
        let b = &self.metrics.bottleneck;
        let keys = |list: &[Activity]| list.iter().map(|a| a.key()).collect::<Vec<_>>();
        let used = &self.metrics.activities_used;
        json!({
            "identical": self.is_empty(),
            "title": change_of("title"),
            "notes": change_of("notes"),
            "working_day_minutes": change_of("working_day_minutes"),
            "steps_added": self.steps_added.iter().map(step_json).collect::<Vec<_>>(),
            "steps_removed": self.steps_removed.iter().map(step_json).collect::<Vec<_>>(),
            "steps_changed": self.steps_changed.iter().map(|s| json!({
                "id": s.id,
                "old_index": s.old_index,
                "new_index": s.new_index,
                "changes": s.changes.iter().map(Change::json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "flows_added": self.flows_added.iter().map(flow_json).collect::<Vec<_>>(),
            "flows_removed": self.flows_removed.iter().map(flow_json).collect::<Vec<_>>(),
            "flows_changed": self.flows_changed.iter().map(|f| json!({
                "from": f.from,
                "to": f.to,
                "old_index": f.old_index,
                "new_index": f.new_index,
                "changes": f.changes.iter().map(Change::json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "verdicts_changed": self.verdicts_changed.iter().map(|v| json!({
                "from": v.from,
                "to": v.to,
                "artifact": v.artifact,
                "old_index": v.old_index,
                "new_index": v.new_index,
                "old": v.old.as_str(),
                "new": v.new.as_str(),
            })).collect::<Vec<_>>(),
            "findings_added": self.findings_added.iter().map(finding_json).collect::<Vec<_>>(),
            "findings_removed": self.findings_removed.iter().map(finding_json).collect::<Vec<_>>(),
            "metrics": {
                "lead_minutes": minutes_json(&self.metrics.lead),
                "process_minutes": minutes_json(&self.metrics.process),
                "wait_minutes": minutes_json(&self.metrics.wait),
                "flow_efficiency_percent": percent_json(&self.metrics.flow_efficiency),
                "rolled_complete_accurate_percent": percent_json(&self.metrics.rolled_complete_accurate),
                "bottleneck": {
                    "old": b.old.as_ref().map(|s| &s.id),
                    "new": b.new.as_ref().map(|s| &s.id),
                    "old_wait_minutes": b.old.as_ref().map(|s| s.wait_minutes),
                    "new_wait_minutes": b.new.as_ref().map(|s| s.wait_minutes),
                    "delta": b.delta(),
                },
                "handoff_wait_minutes": minutes_json(&self.metrics.handoff_wait),
                "handoff_share_percent": percent_json(&self.metrics.handoff_share),
                "activities_used": {
                    "old": keys(&used.old),
                    "new": keys(&used.new),
                    "of": Activity::CHAIN.len(),
                },
            },
        })
    }
}
