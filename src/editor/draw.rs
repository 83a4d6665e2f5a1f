//! Drawing: a function of the editor's state. Nothing here changes the state.

use super::keys::{self, Context};
use super::layout::{self, Screen};
use super::picker::{Mark, Picker};
use super::state::{Editor, Focus, FormKind, Layer, Mode, Target};
use crate::chain::Node;
use crate::check::codes::Severity;
use crate::check::{self, Subject, Verdict};
use crate::metrics;
use crate::model::activity::Activity;
use crate::text::fit;
use crate::view::grid::{GridCursor, GridView, MAX_SHOWN_CHARS, times_text, visible};
use crate::view::theme::Theme;
use crate::view::timeline::TimelineView;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, editor: &Editor) {
    let theme = Theme::new(editor.view.looks.color, editor.view.looks.ascii);
    let area = frame.area();
    if layout::too_small(area) {
        draw_too_small(frame.buffer_mut(), area);
        return;
    }
    let screen = layout::screen(area, editor.view.show_timeline);
    draw_title(frame.buffer_mut(), screen.title, editor, &theme);
    frame.render_widget(&grid_view(editor, &theme), screen.grid);
    if let Some(timeline) = screen.timeline {
        let ladder = TimelineView {
            map: editor.doc.map(),
            metrics: editor.doc.metrics(),
            theme: &theme,
        };
        frame.render_widget(&ladder, timeline);
    }
    if let Some(inspector) = screen.inspector {
        let block = Block::new()
            .borders(Borders::LEFT | Borders::BOTTOM)
            .title(Span::styled(" Inspector ", theme.heading()));
        let inner = block.inner(inspector);
        frame.render_widget(block, inspector);
        frame.render_widget(
            Paragraph::new(inspector_lines(editor, &theme, false)).wrap(Wrap { trim: false }),
            inner,
        );
    }
    if let Some(line) = screen.selection {
        draw_selection_line(frame.buffer_mut(), line, editor, &theme);
    }
    draw_findings(frame.buffer_mut(), &screen, editor, &theme);
    draw_status(frame.buffer_mut(), screen.status, editor, &theme);
    for layer in &editor.view.layers {
        draw_layer(frame, area, editor, layer, &theme);
    }
}

fn draw_too_small(buf: &mut Buffer, area: Rect) {
    let text = vec![
        Line::from("vsmap needs a bigger terminal"),
        Line::from(format!(
            "at least {}x{};",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::from(format!("this one is {}x{}", area.width, area.height)),
    ];
    let height = (text.len() as u16).min(area.height);
    let rect = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    ratatui::widgets::Widget::render(Paragraph::new(text).centered(), rect, buf);
}

/// Most items of one list the inspector shows (findings, notes, practices, path steps); a
/// step with 100,000 of them says how many more there are instead.
pub const MAX_LIST_ITEMS: usize = 50;

/// "… and 12 more findings" after the first `MAX_LIST_ITEMS` of a list.
fn more_line(count: usize, what: &str, theme: &Theme) -> Option<Line<'static>> {
    (count > MAX_LIST_ITEMS).then(|| {
        Line::styled(
            format!(
                "{} and {} more {what}",
                theme.glyphs.ellipsis,
                count - MAX_LIST_ITEMS
            ),
            theme.dim(),
        )
    })
}

fn draw_title(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    buf.set_style(area, theme.bar());
    let file = editor.doc.path().file_name().map_or_else(
        || editor.doc.path().display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let modified = if editor.modified() { " [modified]" } else { "" };
    let title = if editor.doc.map().title.is_empty() {
        "(untitled)".to_string()
    } else {
        visible(&editor.doc.map().title)
    };
    let mode = if editor.view.review { "REVIEW · " } else { "" };
    let left = format!(" {mode}{title} · {} {modified}", visible(&file));
    let report = &editor.doc.report();
    let right = format!(
        "{} steps · {} flows · {}{} {}{} ",
        editor.doc.map().steps.len(),
        editor.doc.map().flows.len(),
        theme.glyphs.off_chain,
        report.count(Severity::Error),
        theme.glyphs.warning,
        report.count(Severity::Warning)
    );
    let right_width = right.chars().count() as u16;
    buf.set_stringn(
        area.x,
        area.y,
        fit(
            &left,
            usize::from(area.width.saturating_sub(right_width)),
            theme.glyphs.ellipsis,
        ),
        usize::from(area.width),
        theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
    );
    if area.width > right_width {
        buf.set_string(area.right() - right_width, area.y, right, theme.bar());
    }
}

/// The grid as the editor shows it: with the cursor, the selection and the connection
/// being made.
pub fn grid_view<'a>(editor: &'a Editor, theme: &'a Theme) -> GridView<'a> {
    let hint = match editor.view.mode {
        Mode::Connect { .. } => "move onto a step",
        Mode::Carry { .. } => "",
        Mode::Normal => "a: add a step",
    };
    GridView {
        map: editor.doc.map(),
        verdicts: &editor.doc.report().verdicts,
        canvas: editor.doc.canvas(),
        theme,
        scroll: editor.view.scroll,
        cursor: (editor.view.focus == Focus::Grid).then_some(GridCursor {
            cell: editor.view.cursor,
            hint,
        }),
        selected_flow: editor.view.selected_flow,
        connecting_from: match editor.view.mode {
            Mode::Connect { from } => Some(from),
            _ => None,
        },
        bottleneck: editor
            .view
            .show_timeline
            .then(|| editor.doc.metrics().bottleneck)
            .flatten(),
    }
}

// ---- Side panels ----------------------------------------------------------------------

/// What the inspector says about the selection: the connection if one is selected, else the
/// step under the cursor, else the map.
/// `full` is the `i` popup: everything. The side panel shows the short form, with the chain's
/// inputs and outputs cut to those the map uses, so moving the cursor redraws little.
pub fn inspector_lines(editor: &Editor, theme: &Theme, full: bool) -> Vec<Line<'static>> {
    if let Some(flow) = editor.view.selected_flow {
        return flow_lines(editor, flow, theme);
    }
    match editor.step_under_cursor() {
        Some(step) => step_lines(editor, step, theme, full),
        None => map_lines(editor, theme),
    }
}

fn heading(text: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::styled(text.into(), theme.heading())
}

/// The stream's flow metrics, for the inspector and review mode.
pub fn metrics_lines(editor: &Editor, theme: &Theme) -> Vec<Line<'static>> {
    let m = editor.doc.metrics();
    let known = !m.path.is_empty();
    let label = |i: usize| visible(&editor.doc.map().steps[i].label);
    let mut lines = vec![heading("Flow metrics", theme)];
    for (name, value) in [
        ("Lead time", metrics::describe(&m.lead, known)),
        ("Process time", metrics::describe(&m.process, known)),
        ("Wait time", metrics::describe(&m.wait, known)),
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
    ] {
        lines.push(Line::from(vec![
            Span::raw(format!("{name:<16}")),
            Span::styled(value, theme.heading()),
        ]));
    }
    if let Some(step) = m.bottleneck {
        let wait = editor.doc.map().steps[step]
            .wait_minutes
            .map(crate::text::minutes)
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
            format!("Along: {}", path.join(" → ")),
            theme.dim(),
        ));
    }
    lines
}

fn map_lines(editor: &Editor, theme: &Theme) -> Vec<Line<'static>> {
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

fn step_lines(editor: &Editor, index: usize, theme: &Theme, full: bool) -> Vec<Line<'static>> {
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
    for &activity in &kinds {
        lines.push(Line::styled(editor.doc.purpose(activity), theme.dim()));
    }
    let number = |value: Option<u32>, show: fn(u32) -> String| {
        value.map_or_else(|| "missing".to_string(), show)
    };
    if !step.activity.is_end() {
        lines.push(Line::from(format!(
            "Process {} · Wait {} · %C/A {}",
            number(step.process_minutes, crate::text::minutes),
            number(step.wait_minutes, crate::text::minutes),
            number(step.complete_accurate_percent.map(u32::from), |p| format!(
                "{p}%"
            )),
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
            .map(|p| visible(p))
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
    ));
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
            if !full && !entries.iter().any(|(artifact, _)| in_use(artifact)) {
                continue;
            }
            lines.push(Line::from(""));
            let scope = if full { "(chain)" } else { "this map uses" };
            lines.push(heading(
                format!("{title} of {} {scope}", activity.name()),
                theme,
            ));
            for (artifact, others) in entries {
                let in_use = in_use(&artifact);
                if !full && !in_use {
                    continue;
                }
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
    if !full && kinds.iter().any(|a| !a.is_end()) {
        lines.push(Line::styled(
            "i shows all the chain's inputs and outputs",
            theme.dim(),
        ));
    }
    if step.activity.is_end() {
        lines.push(Line::from(""));
        let parties = if step.activity == Activity::Demand {
            chain.demand_parties()
        } else {
            chain.value_parties()
        };
        let names: Vec<&str> = parties.iter().map(|&p| chain.node_name(p)).collect();
        lines.push(Line::from(format!("Stands for: {}", names.join(", "))));
    }
    lines
}

fn flow_lines(editor: &Editor, index: usize, theme: &Theme) -> Vec<Line<'static>> {
    let chain = &editor.doc.chain();
    let flow = &editor.doc.map().flows[index];
    let verdict = editor.doc.verdict(index);
    let mut lines = vec![heading(
        format!(
            "Connection {} -> {}",
            visible(&flow.from),
            visible(&flow.to)
        ),
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
    lines.extend(improvement_lines(&flow.improvements, theme));
    let (Some(from), Some(to)) = (
        editor.doc.step_index(&flow.from),
        editor.doc.step_index(&flow.to),
    ) else {
        lines.extend(findings_about(
            editor,
            editor.doc.findings_of(None, &[index]),
            theme,
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
    ));
    lines
}

/// The chain's artifact of a name, without folding a megabyte-long name on every frame: no
/// artifact's name or alias is anywhere near this long.
fn resolve(chain: &crate::chain::Chain, name: &str) -> Option<crate::chain::ArtifactId> {
    const LONGEST_NAME_BYTES: usize = 1024;
    if name.len() > LONGEST_NAME_BYTES {
        return None;
    }
    chain.resolve(name)
}

fn improvement_lines(
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
fn findings_about(editor: &Editor, found: Vec<usize>, theme: &Theme) -> Vec<Line<'static>> {
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
        lines.push(Line::styled(
            format!(
                "{} {}: {}",
                theme.severity_mark(diagnostic.severity()),
                diagnostic.code.as_str(),
                visible(&diagnostic.message)
            ),
            theme.severity(diagnostic.severity()),
        ));
        for help in diagnostic.help.iter().take(MAX_LIST_ITEMS) {
            lines.push(Line::styled(format!("  {}", visible(help)), theme.dim()));
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

/// The selection in one line, where there is no room for the inspector beside the grid.
fn draw_selection_line(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    let plural = |n: usize| {
        if n == 1 {
            "1 finding".to_string()
        } else {
            format!("{n} findings")
        }
    };
    let mut spans = vec![Span::styled(" ▸ ".to_string(), theme.key())];
    if let Some(index) = editor.view.selected_flow {
        let flow = &editor.doc.map().flows[index];
        let verdict = editor.doc.verdict(index);
        spans.push(Span::raw(format!(
            "{} -> {} · {} · ",
            visible(&flow.from),
            visible(&flow.to),
            flow.artifact
                .as_deref()
                .map_or_else(|| "no artifact".into(), visible)
        )));
        spans.push(Span::styled(
            format!("{} {}", theme.verdict_mark(verdict), verdict.as_str()),
            theme.verdict(verdict),
        ));
        let n = editor.doc.findings_of(None, &[index]).len();
        spans.push(Span::raw(format!(" · {} · i details", plural(n))));
    } else if let Some(index) = editor.step_under_cursor() {
        let step = &editor.doc.map().steps[index];
        let tags: Vec<&str> = check::kinds(step).map(Activity::tag).collect();
        spans.push(Span::styled(tags.join("+"), theme.activity(step.activity)));
        let mut text = format!(" {} · {}", step.activity.name(), visible(&step.label));
        let times = times_text(step);
        if !times.is_empty() {
            text.push_str(&format!(" · {times}"));
        }
        if let Some(p) = step.complete_accurate_percent {
            text.push_str(&format!(" · %C/A {p}%"));
        }
        let n = editor
            .doc
            .findings_of(Some(index), &editor.doc.flows_of(index))
            .len();
        text.push_str(&format!(" · {} · i details", plural(n)));
        spans.push(Span::raw(text));
    } else {
        spans.push(Span::styled(
            format!(
                "col {}, row {}: empty · a adds a step here",
                editor.view.cursor.col, editor.view.cursor.row
            ),
            theme.dim(),
        ));
    }
    let line = Line::from(spans);
    ratatui::widgets::Widget::render(Paragraph::new(line), area, buf);
}

fn draw_findings(buf: &mut Buffer, screen: &Screen, editor: &Editor, theme: &Theme) {
    let area = screen.findings;
    if area.height == 0 {
        return;
    }
    let report = &editor.doc.report();
    let heading_text = format!(
        " Findings: {} errors, {} warnings, {} notes{}",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Note),
        if editor.view.focus == Focus::Findings {
            "  (Enter goes there, Esc back)"
        } else {
            "  (n next, f browse)"
        }
    );
    buf.set_style(Rect { height: 1, ..area }, theme.heading());
    buf.set_stringn(
        area.x,
        area.y,
        &heading_text,
        usize::from(area.width),
        theme
            .heading()
            .add_modifier(ratatui::style::Modifier::UNDERLINED),
    );
    let first = layout::findings_first_row(editor.view.finding, area);
    for (row, &index) in editor
        .doc
        .findings()
        .iter()
        .skip(first)
        .take(usize::from(area.height - 1))
        .enumerate()
    {
        let diagnostic = &report.diagnostics[index];
        let position = first + row;
        let selected = editor.view.finding == Some(position);
        let where_ = match diagnostic.subject {
            Subject::Map => "map".to_string(),
            Subject::Step(i, _) => editor
                .doc
                .map()
                .steps
                .get(i)
                .map_or_else(String::new, |s| visible(&s.id)),
            Subject::Flow(i, _) => editor.doc.map().flows.get(i).map_or_else(String::new, |f| {
                format!("{}->{}", visible(&f.from), visible(&f.to))
            }),
        };
        let text = format!(
            " {} {} [{}] {}",
            theme.severity_mark(diagnostic.severity()),
            where_,
            diagnostic.code.as_str(),
            visible(&diagnostic.message)
        );
        let mut style = theme.severity(diagnostic.severity());
        if selected && editor.view.focus == Focus::Findings {
            style = style.patch(theme.selected());
        }
        let y = area.y + 1 + row as u16;
        buf.set_stringn(
            area.x,
            y,
            fit(&text, usize::from(area.width), theme.glyphs.ellipsis),
            usize::from(area.width),
            style,
        );
    }
    if editor.doc.findings().is_empty() {
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "Every connection checks out.",
            usize::from(area.width.saturating_sub(1)),
            theme.verdict(Verdict::Canonical),
        );
    }
}

fn draw_status(buf: &mut Buffer, area: Rect, editor: &Editor, theme: &Theme) {
    buf.set_style(area, theme.bar());
    let mut x = area.x;
    let right = area.right();
    if let Some(message) = &editor.view.message {
        let style = theme.bar().patch(theme.severity(message.severity));
        let text = format!(" {}", visible(&message.text));
        buf.set_stringn(
            x,
            area.y,
            fit(&text, usize::from(area.width), theme.glyphs.ellipsis),
            usize::from(area.width),
            style,
        );
        return;
    }
    let context = editor.context();
    let mode = format!(" {} ", context.title());
    buf.set_stringn(
        x,
        area.y,
        &mode,
        usize::from(area.width),
        theme.bar().add_modifier(ratatui::style::Modifier::BOLD),
    );
    x += mode.chars().count() as u16;
    for (key, hint) in keys::hints(context) {
        let width = key.chars().count() + hint.chars().count() + 3;
        if x as usize + width > right as usize {
            break;
        }
        buf.set_string(x, area.y, format!(" {key}"), theme.bar().patch(theme.key()));
        x += key.chars().count() as u16 + 1;
        buf.set_string(x, area.y, format!(" {hint} "), theme.bar());
        x += hint.chars().count() as u16 + 2;
    }
}

// ---- Popups -----------------------------------------------------------------------------

fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let rect = layout::centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme.heading()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn draw_layer(frame: &mut Frame, area: Rect, editor: &Editor, layer: &Layer, theme: &Theme) {
    match layer {
        Layer::ActivityPicker { picker, .. } => {
            let inner = popup(
                frame,
                area,
                70,
                16,
                "Add a step: choose its activity",
                theme,
            );
            draw_picker(frame, inner, picker, theme, "");
        }
        Layer::ArtifactPicker {
            from, to, picker, ..
        } => {
            let title = format!(
                "Artifact from {} to {}",
                check::describe_step_kinds(&editor.doc.map().steps[*from]),
                check::describe_step_kinds(&editor.doc.map().steps[*to])
            );
            let inner = popup(frame, area, 90, 22, &title, theme);
            let typed = picker.filter.text().trim();
            let fallback = if typed.is_empty() {
                String::new()
            } else {
                format!(
                    "Enter uses \"{}\" as it is: the chain does not know it",
                    visible(typed)
                )
            };
            draw_picker(frame, inner, picker, theme, &fallback);
        }
        Layer::Label {
            activity, input, ..
        } => {
            let inner = popup(
                frame,
                area,
                60,
                5,
                &format!("Label for the new {} step", activity.name()),
                theme,
            );
            draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "Enter adds the step · Esc cancels",
                    theme.dim(),
                )),
                Rect {
                    y: inner.y + 2,
                    height: 1,
                    ..inner
                },
            );
        }
        Layer::Title(input) => {
            let inner = popup(frame, area, 60, 5, "Map title", theme);
            draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
        }
        Layer::Backlog { selected } => {
            let notes = editor.doc.backlog();
            let inner = popup(
                frame,
                area,
                90,
                u16::try_from(notes.len())
                    .unwrap_or(u16::MAX)
                    .saturating_add(4)
                    .min(area.height.saturating_sub(2)),
                "Improvement backlog",
                theme,
            );
            let rows = usize::from(inner.height.saturating_sub(1));
            let first = selected.saturating_sub(rows.saturating_sub(1));
            for (row, (target, _, note)) in notes.iter().enumerate().skip(first).take(rows) {
                let place = match *target {
                    Target::Step(i) => visible(&editor.doc.map().steps[i].label),
                    Target::Flow(i) => {
                        let f = &editor.doc.map().flows[i];
                        format!("{} -> {}", visible(&f.from), visible(&f.to))
                    }
                };
                let owner = note
                    .owner
                    .as_deref()
                    .map_or_else(|| "—".to_string(), visible);
                let text = format!(
                    "{} {:<24} {}  [{owner}]",
                    theme.glyphs.improvement,
                    fit(&place, 24, theme.glyphs.ellipsis),
                    visible(&note.text)
                );
                let style = if row == *selected {
                    theme.selected()
                } else {
                    Style::new()
                };
                let y = inner.y + (row - first) as u16;
                frame.buffer_mut().set_stringn(
                    inner.x,
                    y,
                    fit(&text, usize::from(inner.width), theme.glyphs.ellipsis),
                    usize::from(inner.width),
                    style,
                );
            }
            let footer = if editor.view.review {
                "Enter goes there · Esc closes"
            } else {
                "Enter goes there · d deletes · Esc closes"
            };
            frame.buffer_mut().set_stringn(
                inner.x,
                inner.bottom().saturating_sub(1),
                footer,
                usize::from(inner.width),
                theme.dim(),
            );
        }
        Layer::Form(form) => {
            let height = (form.fields.len() * 2 + 5) as u16;
            let title = match form.kind {
                FormKind::Step(_) => "Edit step".to_string(),
                FormKind::Improvement(Target::Step(i)) => format!(
                    "Improvement note on \"{}\"",
                    visible(&editor.doc.map().steps[i].label)
                ),
                FormKind::Improvement(Target::Flow(i)) => {
                    let f = &editor.doc.map().flows[i];
                    format!(
                        "Improvement note on {} -> {}",
                        visible(&f.from),
                        visible(&f.to)
                    )
                }
            };
            let inner = popup(frame, area, 76, height, &title, theme);
            for (i, field) in form.fields.iter().enumerate() {
                let y = inner.y + (i * 2) as u16;
                if y + 1 >= inner.bottom() {
                    break;
                }
                let label = format!("{:<16}", field.name);
                let style = if i == form.focused {
                    theme.heading()
                } else {
                    Style::new()
                };
                frame.buffer_mut().set_string(inner.x, y, &label, style);
                let field_area = Rect {
                    x: inner.x + 16,
                    y,
                    width: inner.width.saturating_sub(16),
                    height: 1,
                };
                if i == form.focused {
                    draw_input(frame, field_area, "", &field.input, theme);
                } else {
                    frame.buffer_mut().set_stringn(
                        field_area.x,
                        y,
                        visible(field.input.text()),
                        usize::from(field_area.width),
                        Style::new(),
                    );
                }
                frame.buffer_mut().set_stringn(
                    inner.x + 16,
                    y + 1,
                    field.field.hint(),
                    usize::from(inner.width.saturating_sub(16)),
                    theme.dim(),
                );
            }
            let footer = match &form.error {
                Some(error) => Line::styled(error.clone(), theme.severity(Severity::Error)),
                None if editor.view.review => Line::styled(
                    "Enter adds the note (the only change review mode makes) · Esc cancels",
                    theme.dim(),
                ),
                None => Line::styled("Tab next field · Enter saves · Esc cancels", theme.dim()),
            };
            frame.render_widget(
                Paragraph::new(footer),
                Rect {
                    y: inner.bottom().saturating_sub(1),
                    height: 1,
                    ..inner
                },
            );
        }
        Layer::Help { under, scroll } => {
            let inner = popup(
                frame,
                area,
                78,
                area.height.saturating_sub(2),
                &format!("Keys: {}", under.title()),
                theme,
            );
            frame.render_widget(
                Paragraph::new(help_lines(*under, theme)).scroll((*scroll, 0)),
                inner,
            );
        }
        Layer::Inspector { scroll } => {
            let inner = popup(
                frame,
                area,
                90,
                area.height.saturating_sub(2),
                "Inspector",
                theme,
            );
            frame.render_widget(
                Paragraph::new(inspector_lines(editor, theme, true))
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0)),
                inner,
            );
        }
        Layer::ExternalChange => {
            let inner = popup(frame, area, 72, 8, "The file changed on disk", theme);
            let lines = vec![
                Line::from("Someone changed this file since vsmap read or saved it"),
                Line::from("(another facilitator, a git pull). Saving now would lose that."),
                Line::from(""),
                key_line(
                    &[
                        ("r", "reload it (u brings your edits back)"),
                        ("o", "overwrite it"),
                    ],
                    theme,
                ),
                key_line(&[("s", "save elsewhere"), ("Esc", "do nothing now")], theme),
            ];
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Layer::SaveAs(input) => {
            let inner = popup(frame, area, 72, 5, "Save this map as (a new file)", theme);
            draw_input(frame, Rect { height: 1, ..inner }, "> ", input, theme);
            frame.render_widget(
                Paragraph::new(Line::styled("Enter saves · Esc cancels", theme.dim())),
                Rect {
                    y: inner.y + 2,
                    height: 1,
                    ..inner
                },
            );
        }
        Layer::Recovery { map, written_at } => {
            let inner = popup(frame, area, 76, 9, "Unsaved edits were recovered", theme);
            let lines = vec![
                Line::from(format!(
                    "A recovery file from {} holds edits to this map that were",
                    crate::io::recovery::format_time(*written_at)
                )),
                Line::from(format!(
                    "never saved: {} steps and {} flows (the file has {} and {}).",
                    map.steps.len(),
                    map.flows.len(),
                    editor.doc.map().steps.len(),
                    editor.doc.map().flows.len()
                )),
                Line::from(""),
                key_line(&[("r", "restore them"), ("d", "discard them")], theme),
                key_line(
                    &[("k", "keep both: write them to a file beside this map")],
                    theme,
                ),
            ];
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Layer::LockWarning(holder) => {
            let inner = popup(frame, area, 76, 8, "Another vsmap has this map open", theme);
            let lines = vec![
                Line::from(format!("Opened by {}.", visible(holder))),
                Line::from("If both of you edit and save, one side's changes are lost."),
                Line::from(""),
                key_line(
                    &[
                        ("o", "open it anyway"),
                        ("r", "open it read-only"),
                        ("q", "quit"),
                    ],
                    theme,
                ),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Layer::ConfirmQuit => {
            let inner = popup(frame, area, 56, 5, "Unsaved changes", theme);
            let lines = vec![
                Line::from("This map has changes that are not saved."),
                Line::from(vec![
                    Span::styled("s", theme.key()),
                    Span::raw(" save and quit  "),
                    Span::styled("d", theme.key()),
                    Span::raw(" quit without saving  "),
                    Span::styled("Esc", theme.key()),
                    Span::raw(" stay"),
                ]),
            ];
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Layer::Broken(error) => {
            let inner = popup(frame, area, 90, 9, "Cannot open this map", theme);
            let lines = vec![
                Line::styled(visible(error), theme.severity(Severity::Error)),
                Line::from(""),
                Line::from("The file is left exactly as it is. Fix it in a text editor,"),
                Line::from("or check it with `vsmap check FILE`."),
                Line::from(vec![Span::styled("q", theme.key()), Span::raw(" quits")]),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }
}

fn draw_input(
    frame: &mut Frame,
    area: Rect,
    prompt: &str,
    input: &super::input::TextInput,
    theme: &Theme,
) {
    let prompt_width = prompt.chars().count() as u16;
    let room = usize::from(area.width.saturating_sub(prompt_width + 1));
    // Only the text around the cursor is looked at, so a field holding a 200,000-character
    // note draws as fast as an empty one. Before the cursor: as much as fits, so the cursor
    // stays in the field.
    let piece = |c: char| visible(c.encode_utf8(&mut [0; 4]));
    let width_of = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let mut before: Vec<String> = Vec::new();
    let mut before_width = 0;
    for c in input.before().chars().rev().take(MAX_SHOWN_CHARS) {
        let p = piece(c);
        if before_width + width_of(&p) > room {
            break;
        }
        before_width += width_of(&p);
        before.push(p);
    }
    before.reverse();
    let mut shown = before.concat();
    let mut width = before_width;
    for c in input.after().chars().take(MAX_SHOWN_CHARS) {
        let p = piece(c);
        if width + width_of(&p) > room {
            break;
        }
        width += width_of(&p);
        shown.push_str(&p);
    }
    frame
        .buffer_mut()
        .set_string(area.x, area.y, prompt, theme.key());
    frame.buffer_mut().set_stringn(
        area.x + prompt_width,
        area.y,
        shown,
        room,
        Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED),
    );
    frame.set_cursor_position(Position::new(
        area.x + prompt_width + before_width as u16,
        area.y,
    ));
}

fn draw_picker<T: Clone>(
    frame: &mut Frame,
    area: Rect,
    picker: &Picker<T>,
    theme: &Theme,
    fallback: &str,
) {
    draw_input(
        frame,
        Rect { height: 1, ..area },
        "> ",
        &picker.filter,
        theme,
    );
    let visible_items = picker.visible();
    let list_height = area.height.saturating_sub(5) as usize;
    let first = picker
        .selected
        .saturating_sub(list_height.saturating_sub(1));
    for (row, &index) in visible_items
        .iter()
        .skip(first)
        .take(list_height)
        .enumerate()
    {
        let item = &picker.items[index];
        let mark = match item.mark {
            Mark::None => ' ',
            Mark::Canonical => theme.glyphs.canonical,
            Mark::Handoff => theme.glyphs.handoff,
            Mark::OffChain => theme.glyphs.off_chain,
        };
        let mark_style = match item.mark {
            Mark::Canonical => theme.verdict(Verdict::Canonical),
            Mark::Handoff => theme.verdict(Verdict::Handoff),
            Mark::OffChain => theme.verdict(Verdict::OffChain),
            Mark::None => Style::new(),
        };
        let selected = first + row == picker.selected;
        let y = area.y + 1 + row as u16;
        let line_style = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        frame.buffer_mut().set_style(
            Rect {
                y,
                height: 1,
                ..area
            },
            line_style,
        );
        frame
            .buffer_mut()
            .set_string(area.x, y, format!("{mark} "), mark_style.patch(line_style));
        frame.buffer_mut().set_stringn(
            area.x + 2,
            y,
            visible(&item.title),
            usize::from(area.width.saturating_sub(2)),
            line_style,
        );
    }
    let detail_area = Rect {
        y: area.bottom().saturating_sub(3),
        height: 3,
        ..area
    };
    let detail = match picker.chosen() {
        Some(item) => Line::styled(visible(&item.detail), theme.dim()),
        None if !fallback.is_empty() => {
            Line::styled(fallback.to_string(), theme.severity(Severity::Warning))
        }
        None => Line::styled("Nothing matches", theme.dim()),
    };
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: true }),
        detail_area,
    );
    if visible_items.is_empty() {
        frame.buffer_mut().set_stringn(
            area.x,
            area.y + 1,
            "  (no match)",
            usize::from(area.width),
            theme.dim(),
        );
    }
}

/// Every key of a context, then what the marks mean.
pub fn help_lines(context: Context, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for binding in keys::table(context) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>16}  ", binding.label), theme.key()),
            Span::raw(binding.help),
        ]));
    }
    if context == Context::Grid {
        lines.push(Line::from(""));
        lines.push(heading("Mouse", theme));
        lines.push(Line::from(
            "  click selects a cell, step or connection; drag moves a step; the wheel scrolls",
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading("Marks", theme));
    let g = theme.glyphs;
    for (mark, verdict, text) in [
        (
            g.canonical,
            Verdict::Canonical,
            "canonical: the chain sends this artifact between these activities",
        ),
        (
            g.handoff,
            Verdict::Handoff,
            "handoff: work moves inside one activity",
        ),
        (
            g.off_chain,
            Verdict::OffChain,
            "off-chain or unknown artifact: the chain does not allow it",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>16}  ", mark), theme.verdict(verdict)),
            Span::raw(text),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{:>16}  ", "DEM PLN ENG ..."), theme.key()),
        Span::raw("the activity of a step, in its box"),
    ]));
    lines
}

/// "r reload  o overwrite": keys in the key style, each followed by what it does.
fn key_line(pairs: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, what) in pairs {
        spans.push(Span::styled(key.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans)
}
