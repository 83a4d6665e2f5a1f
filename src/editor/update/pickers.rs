//! The artifact picker: the chain's artifacts for a pair of steps, canonical first.

use super::say;
use crate::check::codes::Severity;
use crate::check::{self, Verdict};
use crate::editor::history::Change;
use crate::editor::picker::{Item, Mark, Picker};
use crate::editor::state::{ArtifactChoice, Editor, Layer};
use crate::model::activity::Activity;
use crate::model::map::{Flow, Step};

pub(super) fn open_artifact_picker(
    editor: &mut Editor,
    from: usize,
    to: usize,
    flow: Option<usize>,
) {
    let chain = &editor.doc.chain();
    let (source, target) = (&editor.doc.map().steps[from], &editor.doc.map().steps[to]);
    let mut items = Vec::new();
    // A link without an artifact can be made between any two steps: the checker calls it a
    // handoff inside one activity, and says what it says here otherwise.
    let no_artifact = match check::judge(chain, source, target, None, 0) {
        (Verdict::Handoff, _) => Item {
            value: ArtifactChoice::None,
            mark: Mark::Handoff,
            title: "handoff (no artifact)".into(),
            detail: format!(
                "both steps are {}: work moves inside the activity",
                shared_activity_name(source, target)
            ),
        },
        (verdict, finding) => Item {
            value: ArtifactChoice::None,
            mark: Mark::OffChain,
            title: "no artifact".into(),
            detail: match finding {
                Some(finding) => format!(
                    "checked as {}: {}[{}]: {}",
                    verdict.as_str(),
                    finding.severity().as_str(),
                    finding.code.as_str(),
                    finding.message
                ),
                None => format!("checked as {}", verdict.as_str()),
            },
        },
    };
    let canonical = check::canonical_artifacts(chain, source, target);
    for &artifact in &canonical {
        let detail = seed_behind(editor, from, to, artifact);
        items.push(Item {
            value: ArtifactChoice::Known(artifact),
            mark: Mark::Canonical,
            title: chain.artifact_name(artifact).into(),
            detail,
        });
    }
    // Listed after the canonical choices (a handoff after them too, by its mark), before
    // the off-chain artifacts.
    items.push(no_artifact);
    let mut others: Vec<usize> = (0..chain.artifact_count())
        .filter(|a| !canonical.contains(a))
        .collect();
    others.sort_by_key(|&a| chain.artifact_name(a).to_lowercase());
    for artifact in others {
        items.push(Item {
            value: ArtifactChoice::Known(artifact),
            mark: Mark::OffChain,
            title: chain.artifact_name(artifact).into(),
            detail: format!("off-chain here: {}", check::routes_help(chain, artifact)),
        });
    }
    let mut picker = Picker::new(items);
    // When changing an existing connection, start on what it carries now, with the
    // canonical choices in view: a canonical artifact or a handoff is among the first
    // listed, and is selected where it is; anything else is pinned above them.
    let current = flow.and_then(|f| match editor.doc.map().flows[f].artifact.as_deref() {
        None => Some(ArtifactChoice::None),
        Some(name) => chain.resolve(name).map(ArtifactChoice::Known),
    });
    if let Some(index) = current.and_then(|c| picker.items.iter().position(|i| i.value == c)) {
        if !matches!(picker.items[index].mark, Mark::Canonical | Mark::Handoff) {
            picker.pinned = Some(index);
        }
        picker.selected = picker
            .visible()
            .iter()
            .position(|&i| i == index)
            .unwrap_or(0);
    }
    editor.view.layers.push(Layer::ArtifactPicker {
        from,
        to,
        flow,
        picker,
        staged: false,
    });
}

pub(super) fn shared_activity_name(a: &Step, b: &Step) -> &'static str {
    check::kinds(a)
        .find(|k| !k.is_end() && check::kinds(b).any(|x| x == *k))
        .map_or("", Activity::name)
}

/// The seed line that makes an artifact canonical between two steps.
pub(super) fn seed_behind(editor: &Editor, from: usize, to: usize, artifact: usize) -> String {
    let chain = &editor.doc.chain();
    let sources = check::source_nodes(chain, &editor.doc.map().steps[from]);
    let targets = check::target_nodes(chain, &editor.doc.map().steps[to]);
    sources
        .iter()
        .flat_map(|&s| targets.iter().map(move |&t| (s, t)))
        .find_map(|(s, t)| chain.flow(artifact, s, t))
        .and_then(|f| f.stated_by.first())
        .map(|&line| chain.quote(line))
        .unwrap_or_default()
}

/// The artifact the top picker's choice names (`Some(None)`: no artifact), or `None` when
/// nothing is chosen.
pub(super) fn chosen_artifact(editor: &Editor) -> Option<Option<String>> {
    let Some(Layer::ArtifactPicker { picker, .. }) = editor.view.layers.last() else {
        return None;
    };
    let typed = picker.filter.text().trim().to_string();
    match picker.chosen().map(|i| i.value) {
        Some(ArtifactChoice::Known(a)) => {
            Some(Some(editor.doc.chain().artifact_name(a).to_string()))
        }
        Some(ArtifactChoice::None) => Some(None),
        // Nothing matches: the typed name is taken as it is (the checker will call it unknown).
        None if !typed.is_empty() => Some(Some(typed)),
        None => None,
    }
}

pub(super) fn choose_artifact(editor: &mut Editor) {
    let Some(Layer::ArtifactPicker { from, to, flow, .. }) = editor.view.layers.last() else {
        return;
    };
    let (from, to, flow) = (*from, *to, *flow);
    let Some(artifact) = chosen_artifact(editor) else {
        return;
    };
    editor.view.layers.pop();
    let (from_id, to_id) = (
        editor.doc.map().steps[from].id.clone(),
        editor.doc.map().steps[to].id.clone(),
    );
    match flow {
        Some(index) => {
            let mut changed = editor.doc.map().flows[index].clone();
            changed.artifact = artifact.map(Into::into);
            let change = Change::replace_flow(
                editor.doc.map(),
                index,
                changed,
                format!(
                    "change the artifact from \"{}\" to \"{}\"",
                    editor.doc.map().steps[from].label,
                    editor.doc.map().steps[to].label
                ),
            );
            editor.apply(change);
            editor.view.selected_flow = Some(index);
        }
        None => {
            let new = Flow::new(from_id, to_id, artifact);
            let change = Change::add_flow(editor.doc.map(), new);
            editor.apply(change);
            editor.view.selected_flow = Some(editor.doc.map().flows.len() - 1);
            editor.view.cursor = editor.doc.map().steps[to].at;
        }
    }
    if let Some(index) = editor.view.selected_flow {
        let verdict = editor.doc.report().verdicts[index];
        let severity = if verdict.is_error() {
            Severity::Error
        } else {
            Severity::Note
        };
        say(
            editor,
            severity,
            format!("Connection is {}", verdict.as_str()),
        );
    }
}
