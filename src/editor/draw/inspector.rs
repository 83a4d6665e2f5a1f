//! The inspector: what the selection is, against the chain; beside the grid or full size.

use super::{MAX_LIST_ITEMS, heading, more_line};
use crate::chain::Node;
use crate::check::codes::Severity;
use crate::check::{self, Verdict};
use crate::editor::state::Editor;
use crate::metrics;
use crate::model::activity::Activity;
use crate::view::grid::visible;
use crate::view::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// What the inspector says about the selection: the connection if one is selected, else the
/// step under the cursor, else the map.
pub(super) fn inspector_lines(editor: &Editor, theme: &Theme, form: Form) -> Vec<Line<'static>> {
    if let Some(flow) = editor.view.selected_flow {
        return flow_lines(editor, flow, theme);
    }
    match editor.step_under_cursor() {
        Some(step) => step_lines(editor, step, theme, form),
        None => map_lines(editor, theme),
    }
}

/// How much the inspector says about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// The `i` popup: the activity's purpose, each finding with its help, and all the
    /// chain's inputs and outputs.
    Full,
    /// The side panel, this many columns wide: the step itself and its findings, each cut
    /// to two lines. It changes on every cursor move, so it leaves out what `i` adds (its
    /// title says so): moving between two steps rewrites a few hundred cells, not a
    /// screenful.
    Panel(usize),
}

/// The stream's flow metrics, for the inspector and review mode.
pub(super) fn metrics_lines(editor: &Editor, theme: &Theme) -> Vec<Line<'static>> {
    let m = editor.doc.metrics();
    let known = !m.path.is_empty();
    let map = editor.doc.map();
    let day = map.day_minutes();
    let label = |i: usize| visible(&map.steps[i].label);
    let mut lines = vec![heading("Flow metrics", theme)];
    for (name, value) in [
        ("Lead time", metrics::describe(&m.lead, known, day)),
        ("Process time", metrics::describe(&m.process, known, day)),
        ("Wait time", metrics::describe(&m.wait, known, day)),
        (
            "Flow efficiency",
            if known {
                metrics::percent(m.flow_efficiency)
            } else {
                "missing".into()
            },
        ),
        (
            "Rolled %C/A",
            if known {
                metrics::percent(m.rolled_complete_accurate)
            } else {
                "missing".into()
            },
        ),
        // Seed 003's handoff waste and the six activities the stream should use.
        (
            "Handoff wait",
            metrics::describe_handoffs(map, m, day, label),
        ),
        ("Activities used", metrics::describe_coverage(m)),
    ] {
        lines.push(Line::from(vec![
            Span::raw(format!("{name:<16}")),
            Span::styled(value, theme.heading()),
        ]));
    }
    if let Some(step) = m.bottleneck {
        let wait = map.steps[step]
            .wait_minutes
            .map(|w| crate::text::minutes(w, day))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::raw(format!("{:<16}", "Bottleneck")),
            Span::styled(
                format!("{} (waits {wait})", label(step)),
                theme.severity(Severity::Warning),
            ),
        ]));
    }
    if known {
        let mut path: Vec<String> = m
            .path
            .iter()
            .take(MAX_LIST_ITEMS)
            .map(|&i| label(i))
            .collect();
        if m.path.len() > MAX_LIST_ITEMS {
            path.push(format!(
                "{} ({} steps in all)",
                theme.glyphs.ellipsis,
                m.path.len()
            ));
        }
        lines.push(Line::styled(
            format!("Along: {}", path.join(theme.glyphs.then)),
            theme.dim(),
        ));
    }
    lines
}

pub(super) fn map_lines(editor: &Editor, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![heading(
        format!("Map: {}", visible(&editor.doc.map().title)),
        theme,
    )];
    if editor.view.review {
        lines.extend(metrics_lines(editor, theme));
        lines.push(Line::from(""));
    }
    if !editor.doc.map().notes.is_empty() {
        lines.push(Line::from(visible(&editor.doc.map().notes)));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "Cell col {}, row {} is empty.",
            editor.view.cursor.col, editor.view.cursor.row
        ),
        theme.dim(),
    ));
    if editor.view.review {
        lines.push(Line::from(
            "Review mode: + adds an improvement note to a step; ? lists every key.",
        ));
    } else {
        lines.push(Line::from("a adds a step here; ? lists every key."));
        lines.push(Line::from(""));
        lines.extend(metrics_lines(editor, theme));
    }
    lines
}

pub(super) fn step_lines(
    editor: &Editor,
    index: usize,
    theme: &Theme,
    form: Form,
) -> Vec<Line<'static>> {
    let full = form == Form::Full;
    let step = &editor.doc.map().steps[index];
    let chain = &editor.doc.chain();
    let mut lines = vec![heading(format!("Step: {}", visible(&step.label)), theme)];
    let kinds: Vec<Activity> = check::kinds(step).collect();
    lines.push(Line::from(vec![
        Span::styled(
            kinds.iter().map(|a| a.tag()).collect::<Vec<_>>().join("+"),
            theme.activity(step.activity),
        ),
        Span::raw(format!(
            " {}  (id {})",
            kinds
                .iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(" / "),
            visible(&step.id)
        )),
    ]));
    if full {
        for &activity in &kinds {
            lines.push(Line::styled(editor.doc.purpose(activity), theme.dim()));
        }
    }
    let number = |value: Option<u32>, show: fn(u32) -> String| {
        value.map_or_else(|| "missing".to_string(), show)
    };
    let day = editor.doc.map().day_minutes();
    let duration = |value: Option<u32>| {
        value.map_or_else(|| "missing".to_string(), |m| crate::text::minutes(m, day))
    };
    if step.activity.is_end() {
        let parties = if step.activity == Activity::Demand {
            chain.demand_parties()
        } else {
            chain.value_parties()
        };
        let names: Vec<&str> = parties.iter().map(|&p| chain.node_name(p)).collect();
        lines.push(Line::from(format!("Stands for: {}", names.join(", "))));
    } else {
        lines.push(Line::from(format!(
            "Process {}{sep}Wait {}{sep}%C/A {}",
            duration(step.process_minutes),
            duration(step.wait_minutes),
            number(step.complete_accurate_percent.map(u32::from), |p| format!(
                "{p}%"
            )),
            sep = theme.glyphs.separator,
        )));
    }
    // The metrics cost a walk of the whole map: the short form shows them only where
    // metrics are in front anyway.
    let with_metrics = full || editor.view.show_timeline || editor.view.review;
    let on_path = with_metrics && editor.doc.metrics().path.contains(&index);
    let bottleneck = with_metrics && editor.doc.metrics().bottleneck == Some(index);
    if on_path || bottleneck {
        let mut notes = Vec::new();
        if on_path {
            notes.push("on the longest path from Demand to Value");
        }
        if bottleneck {
            notes.push("the bottleneck: the longest wait");
        }
        lines.push(Line::styled(
            notes.join("; "),
            theme.severity(Severity::Warning),
        ));
    }
    lines.extend(improvement_lines(&step.improvements, theme));
    if !step.practices.is_empty() {
        let mut practices: Vec<String> = step
            .practices
            .iter()
            .take(MAX_LIST_ITEMS)
            .map(|p| {
                // Seed 003's mapping of practices to activities, as a hint, never a rule.
                let typical: Vec<&str> = check::kinds(step)
                    .filter(|&k| editor.doc.chain().is_typical(k, p))
                    .map(Activity::name)
                    .collect();
                match typical.as_slice() {
                    [] => visible(p),
                    kinds => format!("{} (typical of {})", visible(p), kinds.join(", ")),
                }
            })
            .collect();
        if step.practices.len() > MAX_LIST_ITEMS {
            practices.push(format!(
                "{} ({} in all)",
                theme.glyphs.ellipsis,
                step.practices.len()
            ));
        }
        lines.push(Line::from(format!("Practices: {}", practices.join(", "))));
    }
    if !step.notes.is_empty() {
        lines.push(Line::from(format!("Notes: {}", visible(&step.notes))));
    }
    // What is wrong here and on the step's connections comes before the reference material.
    let flows = editor.doc.flows_of(index);
    lines.extend(findings_about(
        editor,
        editor.doc.findings_of(Some(index), &flows),
        theme,
        form,
    ));
    if let Form::Panel(_) = form {
        return lines;
    }
    // The chain's inputs and outputs for the step's activities, marking those this map uses.
    let artifacts = |incoming: bool| -> Vec<Option<usize>> {
        flows
            .iter()
            .filter(|&&f| {
                editor
                    .doc
                    .flow_ends(f)
                    .is_some_and(|(a, b)| if incoming { b == index } else { a == index })
            })
            .map(|&f| {
                editor.doc.map().flows[f]
                    .artifact
                    .as_deref()
                    .and_then(|a| resolve(chain, a))
            })
            .collect()
    };
    let incoming = artifacts(true);
    let outgoing = artifacts(false);
    for &activity in kinds.iter().filter(|a| !a.is_end()) {
        for (inputs, used, title, word) in [
            (true, &incoming, "Inputs", "from"),
            (false, &outgoing, "Outputs", "to"),
        ] {
            let entries =
                crate::output::report::activity_io(chain, Node::Activity(activity), inputs);
            let in_use = |artifact: &str| {
                chain
                    .resolve(artifact)
                    .is_some_and(|id| used.contains(&Some(id)))
            };
            lines.push(Line::from(""));
            lines.push(heading(
                format!("{title} of {} (chain)", activity.name()),
                theme,
            ));
            for (artifact, others) in entries {
                let in_use = in_use(&artifact);
                let mark = if in_use { theme.glyphs.canonical } else { ' ' };
                let names: Vec<String> = others
                    .iter()
                    .map(|&n| crate::check::node_in_map_terms(chain, n, inputs))
                    .collect();
                let counterpart = if names.is_empty() {
                    String::new()
                } else {
                    format!(" {word} {}", names.join(", "))
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark} "), theme.verdict(Verdict::Canonical)),
                    Span::styled(
                        artifact,
                        if in_use {
                            theme.heading()
                        } else {
                            Style::new()
                        },
                    ),
                    Span::styled(counterpart, theme.dim()),
                ]));
            }
        }
    }
    lines
}

pub(super) fn flow_lines(editor: &Editor, index: usize, theme: &Theme) -> Vec<Line<'static>> {
    let chain = &editor.doc.chain();
    let flow = &editor.doc.map().flows[index];
    let verdict = editor.doc.verdict(index);
    let mut lines = vec![heading(
        format!("Connection {}", visible(&editor.doc.flow_name(index))),
        theme,
    )];
    lines.push(Line::from(vec![
        Span::raw("Artifact: "),
        Span::styled(
            flow.artifact
                .as_deref()
                .map_or_else(|| "(none)".to_string(), visible),
            theme.heading(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::raw("Verdict: "),
        Span::styled(
            format!("{} {}", theme.verdict_mark(verdict), verdict.as_str()),
            theme.verdict(verdict),
        ),
    ]));
    lines.extend(fix_lines(editor, index, theme));
    lines.extend(improvement_lines(&flow.improvements, theme));
    let (Some(from), Some(to)) = (
        editor.doc.step_index(&flow.from),
        editor.doc.step_index(&flow.to),
    ) else {
        lines.extend(findings_about(
            editor,
            editor.doc.findings_of(None, &[index]),
            theme,
            Form::Full,
        ));
        return lines;
    };
    let (source, target) = (&editor.doc.map().steps[from], &editor.doc.map().steps[to]);
    // The seed wording behind a canonical flow.
    if let Some(artifact) = flow.artifact.as_deref().and_then(|a| resolve(chain, a)) {
        let sources = check::source_nodes(chain, source);
        let targets = check::target_nodes(chain, target);
        for (s, t) in sources
            .iter()
            .flat_map(|&s| targets.iter().map(move |&t| (s, t)))
        {
            if let Some(chain_flow) = chain.flow(artifact, s, t) {
                lines.push(Line::from(""));
                lines.push(heading("Seed wording", theme));
                for &line in &chain_flow.stated_by {
                    lines.push(Line::styled(chain.quote(line), theme.dim()));
                }
                break;
            }
        }
        if verdict.is_error() {
            lines.push(Line::from(""));
            lines.push(Line::from(check::routes_help(chain, artifact)));
        }
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!(
            "The chain sends from {} to {}",
            check::describe_step_kinds(source),
            check::describe_step_kinds(target)
        ),
        theme,
    ));
    let allowed = check::canonical_artifacts(chain, source, target);
    if allowed.is_empty() {
        lines.push(Line::styled("nothing directly", theme.dim()));
    }
    for artifact in allowed {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", theme.glyphs.canonical),
                theme.verdict(Verdict::Canonical),
            ),
            Span::raw(chain.artifact_name(artifact).to_string()),
        ]));
    }
    if check::shares_activity(source, target) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", theme.glyphs.handoff),
                theme.verdict(Verdict::Handoff),
            ),
            Span::raw("a handoff inside the shared activity"),
        ]));
    }
    lines.extend(findings_about(
        editor,
        editor.doc.findings_of(None, &[index]),
        theme,
        Form::Full,
    ));
    lines
}

/// The fixes the findings offer for a connection, numbered as the keys 1 to 9 apply them.
fn fix_lines(editor: &Editor, index: usize, theme: &Theme) -> Vec<Line<'static>> {
    let fixes = editor.doc.fixes_of(index);
    if fixes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(""), heading("Fixes (1-9 applies one)", theme)];
    for (n, fix) in fixes.iter().take(9).enumerate() {
        lines.push(Line::from(format!("{}. {}", n + 1, visible(&fix.text))));
    }
    lines
}

/// The chain's artifact of a name, without folding a megabyte-long name on every frame: no
/// artifact's name or alias is anywhere near this long.
pub(super) fn resolve(chain: &crate::chain::Chain, name: &str) -> Option<crate::chain::ArtifactId> {
    const LONGEST_NAME_BYTES: usize = 1024;
    if name.len() > LONGEST_NAME_BYTES {
        return None;
    }
    chain.resolve(name)
}

pub(super) fn improvement_lines(
    notes: &[crate::model::map::Improvement],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for note in notes.iter().take(MAX_LIST_ITEMS) {
        if lines.is_empty() {
            lines.push(heading("Improvement notes", theme));
        }
        let owner = note
            .owner
            .as_deref()
            .map(|o| format!(" ({})", visible(o)))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "{} {}{owner}",
            theme.glyphs.improvement,
            visible(&note.text)
        )));
    }
    lines.extend(more_line(notes.len(), "notes (b lists them all)", theme));
    lines
}

/// Lines for the findings with these indices into the report.
pub(super) fn findings_about(
    editor: &Editor,
    found: Vec<usize>,
    theme: &Theme,
    form: Form,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut shown = 0;
    let mut more = 0;
    for diagnostic in found.iter().map(|&d| &editor.doc.report().diagnostics[d]) {
        if shown == MAX_LIST_ITEMS {
            more += 1;
            continue;
        }
        shown += 1;
        if lines.is_empty() {
            lines.push(Line::from(""));
            lines.push(heading("Findings", theme));
        }
        let style = theme.severity(diagnostic.severity());
        let text = format!(
            "{} {}: {}",
            theme.severity_mark(diagnostic.severity()),
            diagnostic.code.as_str(),
            visible(&diagnostic.message)
        );
        let Form::Panel(width) = form else {
            lines.push(Line::styled(text, style));
            for help in diagnostic.help.iter().take(MAX_LIST_ITEMS) {
                lines.push(Line::styled(format!("  {}", visible(help)), theme.dim()));
            }
            continue;
        };
        for line in crate::text::wrap(&text, width, 2, theme.glyphs.ellipsis) {
            lines.push(Line::styled(line, style));
        }
    }
    if more > 0 {
        lines.extend(more_line(
            MAX_LIST_ITEMS + more,
            "findings (f browses them all)",
            theme,
        ));
    }
    lines
}
