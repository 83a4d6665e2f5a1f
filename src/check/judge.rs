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
    judge_within(chain, from, to, artifact, flow, &mut unlimited)
}

/// `judge`, spending at most `budget` on suggestions.
pub(super) fn judge_within(
    chain: &Chain,
    from: &Step,
    to: &Step,
    artifact: Option<&str>,
    flow: usize,
    budget: &mut usize,
) -> (Verdict, Option<Diagnostic>) {
    let subject = Subject::Flow(flow, None);
    let sources = source_nodes(chain, from);
    let targets = target_nodes(chain, to);
    let pair = format!(
        "from {} to {}",
        describe_step_kinds(from),
        describe_step_kinds(to)
    );
    if sources.is_empty() || targets.is_empty() {
        let message = if sources.is_empty() {
            format!("nothing flows out of Value; the stream ends there (flow {pair})")
        } else {
            format!("nothing flows into Demand; the stream starts there (flow {pair})")
        };
        return (
            Verdict::OffChain,
            Some(Diagnostic::new(Code::EndDirection, subject, message)),
        );
    }
    let resolved = artifact.map(|name| (name, chain.resolve(name)));
    if let Some((_, Some(id))) = resolved
        && sources
            .iter()
            .any(|&s| targets.iter().any(|&t| chain.flow(id, s, t).is_some()))
    {
        return (Verdict::Canonical, None);
    }
    if shares_activity(from, to) {
        return (Verdict::Handoff, None);
    }
    let allowed = allowed_help(chain, from, to);
    match resolved {
        None => {
            let message = format!("no artifact named for the flow {pair}");
            let diagnostic = Diagnostic::new(
                Code::MissingArtifact,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(allowed);
            (Verdict::OffChain, Some(diagnostic))
        }
        Some((name, None)) => {
            let suggestions = crate::names::nearest_within(
                name,
                chain.file.artifacts.iter().map(|a| a.name.as_str()),
                3,
                budget,
            );
            let mut help = Vec::new();
            if !suggestions.is_empty() {
                help.push(format!(
                    "did you mean {}?",
                    quote_list(suggestions.iter().copied(), " or ")
                ));
            }
            help.extend(allowed);
            let message = format!("unknown artifact \"{}\" in the flow {pair}", user(name));
            let diagnostic = Diagnostic::new(
                Code::UnknownArtifact,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(help);
            (Verdict::UnknownArtifact, Some(diagnostic))
        }
        Some((_, Some(id))) => {
            let name = chain.artifact_name(id);
            let message = format!("\"{name}\" does not flow {pair}");
            let mut help = allowed;
            help.push(routes_help(chain, id));
            let diagnostic = Diagnostic::new(
                Code::OffChain,
                Subject::Flow(flow, Some("artifact")),
                message,
            )
            .with_help(help);
            (Verdict::OffChain, Some(diagnostic))
        }
    }
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

/// What the chain does allow between two steps, as help lines.
pub(super) fn allowed_help(chain: &Chain, from: &Step, to: &Step) -> Vec<String> {
    let allowed = canonical_artifacts(chain, from, to);
    let pair = format!(
        "from {} to {}",
        describe_step_kinds(from),
        describe_step_kinds(to)
    );
    if allowed.is_empty() {
        vec![format!("the chain sends nothing {pair}")]
    } else {
        vec![format!(
            "the chain sends {pair}: {}",
            quote_list(allowed.iter().map(|&a| chain.artifact_name(a)), " and ")
        )]
    }
}

/// Where an artifact can go, in map terms: "goes from Deliver and Support to Obtain or Build".
pub fn routes_help(chain: &Chain, artifact: ArtifactId) -> String {
    let routes: Vec<String> = chain
        .routes(artifact)
        .map(|flow| {
            format!(
                "from {} to {}",
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
