//! Suggestions under a form field as it is typed: the activity (one), more activities and
//! practices (several, comma separated). The practices typical of the step's activities
//! (seed 003) come first. Enter takes the highlighted suggestion; taking one already in
//! the list takes it out again, so the list works as a multi-select picker.

use super::picker::{Item, Mark, Picker};
use super::state::{Field, Form};
use crate::chain::Chain;
use crate::model::activity::Activity;
use crate::names::fold;

/// How many suggestions a form shows at once.
pub const SHOWN: usize = 6;

/// One suggestion: the name it puts in the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    /// Typical of the step's activities (seed 003), or an activity the chain expects.
    pub typical: bool,
    /// Already in the field: taking it again takes it out.
    pub chosen: bool,
}

/// Whether a field offers suggestions as it is typed.
pub fn suggests(field: Field) -> bool {
    matches!(field, Field::Activity | Field::Also | Field::Practices)
}

/// Whether a field takes several names, comma separated.
fn multiple(field: Field) -> bool {
    matches!(field, Field::Also | Field::Practices)
}

/// The name being typed: after the last comma of a list, or the whole field.
pub fn partial(field: Field, text: &str) -> &str {
    if multiple(field) {
        text.rsplit(',').next().unwrap_or("").trim_start()
    } else {
        text.trim()
    }
}

/// The names already given in a list field, before the one being typed.
fn given(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text.split(',').map(str::trim).collect();
    names.pop();
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

/// What the focused field can suggest, best first (none for a field without suggestions).
pub fn suggestions(form: &Form, chain: &Chain) -> Vec<Suggestion> {
    let Some(field) = form.focused_field() else {
        return Vec::new();
    };
    let text = form.text(field);
    let items: Vec<Item<String>> = match field {
        Field::Activity | Field::Also => Activity::ALL
            .into_iter()
            .map(|a| Item {
                value: a.name().to_string(),
                mark: Mark::None,
                // The mark boxes show is matched too: "D&T", "O/B".
                title: format!("{} {}", a.tag(), a.name()),
                detail: String::new(),
            })
            .collect(),
        Field::Practices => {
            let kinds = form_activities(form);
            practice_names(chain, &kinds)
                .into_iter()
                .map(|(name, typical)| Item {
                    title: name.to_string(),
                    value: name.to_string(),
                    mark: if typical { Mark::Canonical } else { Mark::None },
                    detail: String::new(),
                })
                .collect()
        }
        _ => return Vec::new(),
    };
    let mut picker = Picker::new(items);
    picker.filter.insert_str(partial(field, text));
    let already = given(text);
    picker
        .visible()
        .into_iter()
        .map(|i| {
            let item = &picker.items[i];
            Suggestion {
                chosen: already.iter().any(|n| fold(n) == fold(&item.value)),
                typical: item.mark == Mark::Canonical,
                name: item.value.clone(),
            }
        })
        .collect()
}

/// The activities a step form names (its activity, then more), for typical practices.
fn form_activities(form: &Form) -> Vec<Activity> {
    std::iter::once(form.text(Field::Activity))
        .chain(form.text(Field::Also).split(','))
        .filter_map(Activity::parse)
        .collect()
}

/// Every practice the chain knows, those typical of any of `kinds` first.
fn practice_names<'c>(chain: &'c Chain, kinds: &[Activity]) -> Vec<(&'c str, bool)> {
    let all = chain.practice_names_known();
    let typical = |name: &str| kinds.iter().any(|&k| chain.is_typical(k, name));
    let (mut first, rest): (Vec<_>, Vec<_>) = all
        .into_iter()
        .map(|name| (name, typical(name)))
        .partition(|&(_, t)| t);
    first.extend(rest);
    first
}

/// Whether the focused field's suggestions show: always for practices (the typical ones
/// are worth seeing), for activities while one is being typed.
pub fn shown(form: &Form) -> bool {
    form.highlight.is_some() || form.focused_field() == Some(Field::Practices)
}

/// Whether what is typed in the field is already a whole name, so Enter saves the form
/// rather than completing it.
pub fn complete(form: &Form, chain: &Chain) -> bool {
    let Some(field) = form.focused_field() else {
        return true;
    };
    let typed = partial(field, form.text(field)).trim();
    match field {
        Field::Activity | Field::Also => typed.is_empty() || Activity::parse(typed).is_some(),
        Field::Practices => typed.is_empty() || chain.knows_practice(typed),
        _ => true,
    }
}

/// Ends the name being typed in a list field as it is (no suggestion matches it: a
/// practice the chain does not know), so the next can be typed. Whether it did.
pub fn finish_item(form: &mut Form) -> bool {
    let Some(field) = form.focused_field().filter(|&f| multiple(f)) else {
        return false;
    };
    if partial(field, form.text(field)).trim().is_empty() {
        return false;
    }
    if let Some(input) = form.focused_input_mut() {
        let text = format!("{}, ", input.text().trim_end());
        input.clear();
        input.insert_str(&text);
    }
    form.highlight = None;
    true
}

/// Puts suggestion `index` in the focused field: in place of what is typed, or (for a name
/// already in a list) takes it out. Whether anything changed.
pub fn take(form: &mut Form, chain: &Chain, index: usize) -> bool {
    let Some(field) = form.focused_field() else {
        return false;
    };
    let Some(chosen) = suggestions(form, chain).into_iter().nth(index) else {
        return false;
    };
    let text = form.text(field).to_string();
    let new = if !multiple(field) {
        chosen.name
    } else {
        let mut names: Vec<String> = given(&text).into_iter().map(String::from).collect();
        if chosen.chosen {
            names.retain(|n| fold(n) != fold(&chosen.name));
        } else {
            names.push(chosen.name);
        }
        // A trailing comma: the next name can be typed at once.
        names.iter().map(|n| format!("{n}, ")).collect()
    };
    if let Some(input) = form.focused_input_mut() {
        input.clear();
        input.insert_str(&new);
    }
    form.highlight = None;
    true
}
