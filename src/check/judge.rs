//! The verdict on one flow, and the help that says what the chain allows instead.

use super::*;

/// How much of a user's text a message quotes: ids, labels and names are shown escaped
/// (a label may hold terminal escape sequences) and cut, so a megabyte label makes a short
/// message.
pub(super) const QUOTED_CHARS: usize = 100;

/// User text as messages quote it.
pub(super) fn user(text: &str) -> String {
    crate::text::shown(text, QUOTED_CHARS)
}

/// A step as findings name it: `"Label"`, with its id after it when the label does not
/// read as the id (a renamed step keeps its id, which the file still uses).
pub(super) fn named(step: &Step) -> String {
    let label = step.label.trim();
    if label.is_empty() {
        return format!("\"{}\"", user(&step.id));
    }
    let reads_as_id =
        crate::names::fold(label) == crate::names::fold(&step.id.replace(['-', '_'], " "));
    if reads_as_id {
        format!("\"{}\"", user(label))
    } else {
        format!("\"{}\" (id \"{}\")", user(label), user(&step.id))
    }
}

/// "Did you mean" compares a name with every candidate. A check spends at most this much
/// work on each kind of suggestion (about one unit per pair of characters compared), so a
/// map with thousands of misspelt names or a 100,000-step map full of dangling flows is
/// checked as fast as any other; suggestions stop once it is spent.
pub(super) const SUGGESTION_WORK: usize = 20_000_000;

/// The verdict on one flow between two existing, different steps, and the finding that goes
/// with a verdict that is not good.
pub fn judge(
    chain: &Chain,
    from: &Step,
    to: &Step,
    artifact: Option<&str>,
    flow: usize,
) -> (Verdict, Option<Diagnostic>) {
    let mut unlimited = usize::MAX;
    judge_within(
        chain,
        from,
        to,
        artifact.map(|name| (name, chain.resolve(name))),
        flow,
        &mut unlimited,
        &Memo::default(),
    )
}

/// What one check works out once and then asks again for many flows: how much each wording
/// looks like each artifact, and where each artifact goes.
#[derive(Default)]
pub(super) struct Memo<'w> {
    pub(super) likeness: fix::Likeness<'w>,
    routes: std::cell::RefCell<FxHashMap<ArtifactId, String>>,
}

impl Memo<'_> {
    fn routes_help(&self, chain: &Chain, artifact: ArtifactId) -> String {
        self.routes
            .borrow_mut()
            .entry(artifact)
            .or_insert_with(|| routes_help(chain, artifact))
            .clone()
    }
}

/// `judge`, spending at most `budget` on suggestions, with what `memo` has worked out so far.
/// The artifact comes with what the chain resolves it to, which the caller knows already.
pub(super) fn judge_within<'w>(
    chain: &Chain,
    from: &Step,
    to: &Step,
    resolved: Option<(&'w str, Option<ArtifactId>)>,
    flow: usize,
    budget: &mut usize,
    memo: &Memo<'w>,
) -> (Verdict, Option<Diagnostic>) {
    let subject = Subject::Flow(flow, None);
    let sources = source_nodes(chain, from);
    let targets = target_nodes(chain, to);
    let kinds_from = describe_step_kinds(from);
    let kinds_to = describe_step_kinds(to);
    let pair = format!("from {kinds_from} to {kinds_to}");
    let pair_kinds = (kinds_from.as_str(), kinds_to.as_str());
    let artifact = resolved.map(|(name, _)| name);
    let current = resolved.and_then(|(_, id)| id);
    let fixes = |allowed: Vec<ArtifactId>| {
        fix::fixes(
            chain,
            (from, to),
            pair_kinds,
            allowed,
            artifact,
            current,
            &memo.likeness,
        )
    };
    if sources.is_empty() || targets.is_empty() {
        let message = if sources.is_empty() {
            format!("nothing flows out of Value; the stream ends there (flow {pair})")
        } else {
            format!("nothing flows into Demand; the stream starts there (flow {pair})")
        };
        return (
            Verdict::OffChain,
            Some(
                Diagnostic::new(Code::EndDirection, subject, message)
                    .with_fixes(fixes(canonical_artifacts(chain, from, to))),
            ),
        );
    }
    if let Some(id) = current
        && sources
            .iter()
            .any(|&s| targets.iter().any(|&t| chain.flow(id, s, t).is_some()))
    {
        return (Verdict::Canonical, None);
    }
    if shares_activity(from, to) {
        // Any wording will do inside an activity; one the chain does not know may be a typo.
        let note = match resolved {
            Some((name, None)) => {
                let near = crate::names::nearest_within(
                    name,
                    chain.file.artifacts.iter().map(|a| a.name.as_str()),
                    3,
                    budget,
                );
                let mut help = Vec::new();
                if !near.is_empty() {
                    help.push(format!(
                        "did you mean {}?",
                        quote_list(near.iter().copied(), " or ")
                    ));
                }
                let message = format!(
                    "the chain knows no artifact \"{}\"; the flow {pair} is a handoff, so it needs none",
                    user(name)
                );
                Some(
                    Diagnostic::new(
                        Code::UnknownHandoffArtifact,
                        Subject::Flow(flow, Some("artifact")),
                        message,
                    )
                    .with_help(help),
                )
            }
            _ => None,
        };
        return (Verdict::Handoff, note);
    }
    let canonical = canonical_artifacts(chain, from, to);
    let allowed = allowed_help_for(chain, &canonical, &pair);
    let (verdict, code, message, help) = match resolved {
        None => (
            Verdict::OffChain,
            Code::MissingArtifact,
            format!("no artifact named for the flow {pair}"),
            allowed,
        ),
        Some((name, None)) => {
            let mut help =
                did_you_mean(chain, &canonical, pair_kinds, name, budget, &memo.likeness);
            help.extend(allowed);
            (
                Verdict::UnknownArtifact,
                Code::UnknownArtifact,
                format!("unknown artifact \"{}\" in the flow {pair}", user(name)),
                help,
            )
        }
        Some((_, Some(id))) => {
            let mut help = allowed;
            help.push(memo.routes_help(chain, id));
            (
                Verdict::OffChain,
                Code::OffChain,
                format!("\"{}\" does not flow {pair}", chain.artifact_name(id)),
                help,
            )
        }
    };
    // Value stands for the customers and users who received the value: what they do not
    // send is work after the value, a warning (DESIGN.md rule 6).
    let (code, message) = if kinds(from).all(|k| k == Activity::Value) {
        (
            Code::AfterValue,
            format!(
                "{message}; after Value only what customers and users send flows on (to Engage)"
            ),
        )
    } else {
        (code, message)
    };
    let diagnostic = Diagnostic::new(code, Subject::Flow(flow, Some("artifact")), message)
        .with_help(help)
        .with_fixes(fixes(canonical));
    (verdict, Some(diagnostic))
}

/// "did you mean ...?" for an unknown name: first the names the chain sends between the two
/// steps that look like it, then the nearest names anywhere; a second line names those that do
/// not flow between these steps. Empty when nothing is near.
fn did_you_mean<'w>(
    chain: &Chain,
    allowed: &[ArtifactId],
    (kinds_from, kinds_to): (&str, &str),
    name: &'w str,
    budget: &mut usize,
    likeness: &fix::Likeness<'w>,
) -> Vec<String> {
    let row = likeness.wording(name);
    let mut valid: Vec<(f64, ArtifactId)> = allowed
        .iter()
        .map(|&a| (likeness.of(chain, row, a), a))
        .filter(|&(score, _)| score > 0.0)
        .collect();
    valid.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut names: Vec<String> = valid
        .iter()
        .take(3)
        .map(|&(_, a)| format!("\"{}\"", chain.artifact_name(a)))
        .collect();
    let near = crate::names::nearest_within(
        name,
        chain.file.artifacts.iter().map(|a| a.name.as_str()),
        3,
        budget,
    );
    let pair = format!("{kinds_from} to {kinds_to}");
    let mut elsewhere = Vec::new();
    for other in near {
        if names.len() >= 3 {
            break;
        }
        let id = chain.resolve(other);
        if id.is_some_and(|id| valid.iter().any(|&(_, a)| a == id)) {
            continue;
        }
        names.push(format!("\"{other}\""));
        if !id.is_some_and(|id| allowed.contains(&id)) {
            elsewhere.push(format!("\"{other}\""));
        }
    }
    let list = |names: &[String], last: &str| match names.len() {
        0 | 1 => names.concat(),
        n => format!("{}{last}{}", names[..n - 1].join(", "), names[n - 1]),
    };
    let mut lines = Vec::new();
    if !names.is_empty() {
        lines.push(format!("did you mean {}?", list(&names, " or ")));
    }
    if !elsewhere.is_empty() {
        let verb = if elsewhere.len() == 1 { "is" } else { "are" };
        lines.push(format!(
            "{} {verb} not sent from {pair}",
            list(&elsewhere, " and ")
        ));
    }
    lines
}

/// "Engage" or "Design and Transition/Improve", as the seeds write multi-activity steps.
pub fn describe_step_kinds(step: &Step) -> String {
    kinds(step)
        .map(Activity::name)
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn quote_list<'a>(names: impl Iterator<Item = &'a str>, last: &str) -> String {
    let names: Vec<String> = names.map(|n| format!("\"{}\"", user(n))).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{}{last}{}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// What the chain does allow between two steps (`allowed`, `from ... to ...` in `pair`), as
/// help lines.
fn allowed_help_for(chain: &Chain, allowed: &[ArtifactId], pair: &str) -> Vec<String> {
    if allowed.is_empty() {
        vec![format!("the chain sends nothing {pair}")]
    } else {
        vec![format!(
            "the chain sends {pair}: {}",
            quote_list(allowed.iter().map(|&a| chain.artifact_name(a)), " and ")
        )]
    }
}

/// Where an artifact can go, in map terms: "goes from Deliver and Support to Obtain or Build";
/// a route it travels only as part of a joined line says which ("from Engage to Improve, as
/// part of “Improvement opportunities and stakeholders' feedback”").
pub fn routes_help(chain: &Chain, artifact: ArtifactId) -> String {
    let routes: Vec<String> = chain
        .routes(artifact)
        .map(|flow| {
            let part = flow
                .stated_by
                .iter()
                .all(|l| l.as_part)
                .then(|| flow.stated_by.first())
                .flatten()
                .map(|&line| format!(", as part of \"{}\"", chain.line(line).0))
                .unwrap_or_default();
            format!(
                "from {} to {}{part}",
                node_in_map_terms(chain, flow.from, true),
                node_in_map_terms(chain, flow.to, false)
            )
        })
        .collect();
    let name = chain.artifact_name(artifact);
    if routes.is_empty() {
        format!(
            "\"{name}\" is an input or output the chain names without a counterpart, so no flow of it is canonical"
        )
    } else {
        format!("\"{name}\" goes {}", routes.join(", "))
    }
}

/// A party as the map sees it: customers as a source are Demand, as a target Value.
pub fn node_in_map_terms(chain: &Chain, node: Node, as_source: bool) -> String {
    match node {
        Node::Activity(a) => a.name().to_string(),
        Node::Party(_) => {
            let name = chain.node_name(node).to_lowercase();
            if as_source && chain.demand_parties().contains(&node) {
                format!("Demand ({name})")
            } else if !as_source && chain.value_parties().contains(&node) {
                format!("Value ({name})")
            } else {
                name
            }
        }
    }
}
