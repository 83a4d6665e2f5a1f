//! Going through the findings: `n`/`N` on the grid, and the findings list (`f`).

use super::keep_cursor_in_view;
use super::say;
use crate::check::codes::Severity;
use crate::editor::action::{Action, Effect};
use crate::editor::keys::Context;
use crate::editor::state::{Editor, Focus, Layer};

pub(super) fn findings(editor: &mut Editor, action: Action) -> Option<Effect> {
    let count = editor.doc.findings().len();
    match action {
        Action::Up => {
            editor.view.finding = Some(editor.view.finding.unwrap_or(0).saturating_sub(1))
        }
        Action::Down => {
            editor.view.finding = Some(
                editor
                    .view
                    .finding
                    .map_or(0, |i| i + 1)
                    .min(count.saturating_sub(1)),
            )
        }
        Action::Confirm => {
            editor.view.focus = Focus::Grid;
            jump_to_finding(editor);
        }
        Action::Cancel => editor.view.focus = Focus::Grid,
        Action::Help => editor.view.layers.push(Layer::Help {
            under: Context::Findings,
            scroll: 0,
        }),
        _ => {}
    }
    None
}

pub(super) fn visit_finding(editor: &mut Editor, delta: isize) {
    let count = editor.doc.findings().len() as isize;
    if count == 0 {
        say(
            editor,
            Severity::Note,
            "No findings: every connection checks out",
        );
        return;
    }
    let next = match editor.view.finding {
        Some(i) => (i as isize + delta).rem_euclid(count),
        None if delta > 0 => 0,
        None => count - 1,
    };
    editor.view.finding = Some(next as usize);
    jump_to_finding(editor);
}

pub(super) fn jump_to_finding(editor: &mut Editor) {
    let Some(position) = editor.view.finding else {
        return;
    };
    let Some(&index) = editor.doc.findings().get(position) else {
        return;
    };
    let (step, flow) = editor
        .doc
        .subject_place(editor.doc.report().diagnostics[index].subject);
    if let Some(step) = step {
        editor.view.cursor = editor.doc.map().steps[step].at;
        keep_cursor_in_view(editor);
    }
    editor.view.selected_flow = flow;
    let diagnostic = &editor.doc.report().diagnostics[index];
    let text = format!(
        "{}/{} {}[{}]: {}",
        position + 1,
        editor.doc.findings().len(),
        diagnostic.severity().as_str(),
        diagnostic.code.as_str(),
        diagnostic.message
    );
    let severity = diagnostic.severity();
    say(editor, severity, text);
}
