//! Pins the canonical chain of seed 001 as read by DESIGN.md's rules.

mod support;

use support::*;
use vsmap::chain::Chain;
use vsmap::check::Verdict::{self, *};
use vsmap::check::codes::Code;
use vsmap::model::activity::Activity::{self, *};

fn assert_verdicts(cases: &[(Activity, Activity, &str, Verdict)]) {
    for &(from, to, artifact, expected) in cases {
        assert_eq!(
            verdict(from, to, artifact),
            expected,
            "{from} -> {to} with \"{artifact}\""
        );
    }
}

#[test]
fn output_lines_make_flows_canonical() {
    assert_verdicts(&[
        (Plan, DesignAndTransition, "Portfolio decisions", Canonical),
        (Plan, Engage, "Product and service portfolio", Canonical),
        (Plan, Improve, "Improvement opportunities", Canonical),
        (
            Improve,
            DesignAndTransition,
            "Service performance information",
            Canonical,
        ),
        (
            Improve,
            Plan,
            "Value chain performance information",
            Canonical,
        ),
        (Engage, DeliverAndSupport, "User support tasks", Canonical),
        (
            Engage,
            Plan,
            "Consolidated demands and opportunities",
            Canonical,
        ),
        (
            Engage,
            Improve,
            "Improvement opportunities and stakeholders' feedback",
            Canonical,
        ),
        (
            DesignAndTransition,
            ObtainOrBuild,
            "Requirements and specifications",
            Canonical,
        ),
        (
            DesignAndTransition,
            DeliverAndSupport,
            "New and changed products and services",
            Canonical,
        ),
        (
            ObtainOrBuild,
            DeliverAndSupport,
            "Service components",
            Canonical,
        ),
        (
            ObtainOrBuild,
            DesignAndTransition,
            "Service components",
            Canonical,
        ),
        (
            DeliverAndSupport,
            ObtainOrBuild,
            "Change requests",
            Canonical,
        ),
        (
            DeliverAndSupport,
            Engage,
            "Information on the completion of user support tasks",
            Canonical,
        ),
    ]);
}

#[test]
fn input_lines_alone_make_flows_canonical() {
    assert_verdicts(&[
        // Obtain or Build's input "Architectures and policies provided by plan"; Plan's output names only D&T.
        (Plan, ObtainOrBuild, "Architectures and policies", Canonical),
        // Engage's input "Product and service performance information from deliver and support".
        (
            DeliverAndSupport,
            Engage,
            "Product and service performance information",
            Canonical,
        ),
        // D&T's input "Service performance information provided by deliver and support and improve".
        (
            DeliverAndSupport,
            DesignAndTransition,
            "Service performance information",
            Canonical,
        ),
        // Engage's input "Contract and agreement requirements from all value chain activities".
        (
            Improve,
            Engage,
            "Contract and agreement requirements",
            Canonical,
        ),
        (
            DesignAndTransition,
            Engage,
            "Knowledge and information about new and changed products and services",
            Canonical,
        ),
    ]);
}

#[test]
fn all_value_chain_activities_means_every_other_activity() {
    for target in [
        Plan,
        Engage,
        DesignAndTransition,
        ObtainOrBuild,
        DeliverAndSupport,
    ] {
        assert_eq!(
            verdict(Improve, target, "Improvement status reports"),
            Canonical,
            "Improve -> {target}"
        );
        assert_eq!(
            verdict(Improve, target, "Improvement initiatives and plans"),
            Canonical,
            "Improve -> {target}"
        );
    }
    for source in [
        Plan,
        Improve,
        DesignAndTransition,
        ObtainOrBuild,
        DeliverAndSupport,
    ] {
        assert_eq!(
            verdict(source, Engage, "Contract and agreement requirements"),
            Canonical,
            "{source} -> Engage"
        );
    }
    for target in [
        Plan,
        Improve,
        Engage,
        DesignAndTransition,
        DeliverAndSupport,
    ] {
        let artifact = "Knowledge and information about new and changed service components";
        assert_eq!(
            verdict(ObtainOrBuild, target, artifact),
            Canonical,
            "O/B -> {target}"
        );
    }
}

#[test]
fn lines_without_a_counterpart_confirm_nothing() {
    // Plan's inputs name no source; nothing sends "Policies, requirements, and constraints".
    for source in [Engage, Improve, DeliverAndSupport] {
        assert_eq!(
            verdict(source, Plan, "Policies, requirements, and constraints"),
            OffChain
        );
    }
    // Improve's input "Stakeholders' feedback" has no source either; only Engage's joined
    // output line sends it (see `joined_lines_send_each_part_along_their_route`), so from
    // Deliver and Support it is off-chain. (Engage -> Improve was off-chain before rule 7.)
    assert_eq!(
        verdict(DeliverAndSupport, Improve, "Stakeholders' feedback"),
        OffChain
    );
    // Plan's output "Strategic, tactical, and operational plans" names no target.
    assert_eq!(
        verdict(
            Plan,
            DesignAndTransition,
            "Strategic, tactical, and operational plans"
        ),
        OffChain
    );
}

#[test]
fn wrong_direction_wrong_target_and_near_names_are_off_chain() {
    assert_verdicts(&[
        (DesignAndTransition, Plan, "Portfolio decisions", OffChain),
        (Plan, ObtainOrBuild, "Portfolio decisions", OffChain),
        (
            ObtainOrBuild,
            DeliverAndSupport,
            "Change requests",
            OffChain,
        ),
        (Engage, ObtainOrBuild, "Change requests", OffChain),
        (
            DeliverAndSupport,
            ObtainOrBuild,
            "Change or project initiation requests",
            OffChain,
        ),
        (Engage, DeliverAndSupport, "Service components", OffChain),
    ]);
}

#[test]
fn off_chain_diagnostics_say_what_is_allowed_and_where_the_artifact_goes() {
    let (verdict, report) = verdict_with(
        &Chain::builtin(),
        &[Engage],
        &[ObtainOrBuild],
        Some("Change requests"),
    );
    assert_eq!(verdict, OffChain);
    let d = &report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::OffChain)
        .expect("an off-chain finding");
    assert_eq!(
        &*d.message,
        "\"Change requests\" does not flow from Engage to Obtain or Build"
    );
    let help = d.help.join("\n");
    assert!(help.contains("the chain sends from Engage to Obtain or Build: \"Change or project initiation requests\""), "{help}");
    assert!(
        help.contains("\"Change requests\" goes from Deliver and Support to Obtain or Build"),
        "{help}"
    );
}

#[test]
fn unknown_names_get_the_nearest_known_names() {
    let (verdict, report) = verdict_with(
        &Chain::builtin(),
        &[Engage],
        &[DeliverAndSupport],
        Some("User suport task"),
    );
    assert_eq!(verdict, UnknownArtifact);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownArtifact)
        .unwrap();
    assert!(d.message.contains("\"User suport task\""));
    assert!(
        d.help[0].starts_with("did you mean \"User support tasks\""),
        "{:?}",
        d.help
    );
    assert!(d.help[1].contains("\"User support tasks\""), "{:?}", d.help);
}

#[test]
fn names_match_after_folding_and_through_aliases() {
    assert_verdicts(&[
        (Engage, DeliverAndSupport, "user SUPPORT   tasks", Canonical),
        (
            Engage,
            Improve,
            "Improvement opportunities and stakeholders’ feedback",
            Canonical,
        ),
        // The full seed wording, counterpart clause included.
        (
            Engage,
            DeliverAndSupport,
            "User support tasks for deliver and support",
            Canonical,
        ),
        // Engage's input line spells it "Improvements initiatives and plans".
        (
            Improve,
            Engage,
            "Improvements initiatives and plans",
            Canonical,
        ),
        (
            Engage,
            ObtainOrBuild,
            "Contracts and agreements with external and internal suppliers and partners",
            Canonical,
        ),
    ]);
    let chain = Chain::builtin();
    assert_eq!(
        chain.resolve("Change requests"),
        chain.resolve("change-requests")
    );
    assert_ne!(
        chain.resolve("Change requests"),
        chain.resolve("Change or project initiation requests")
    );
}

#[test]
fn same_activity_is_a_handoff_with_or_without_an_artifact() {
    let chain = Chain::builtin();
    for activity in Activity::CHAIN {
        assert_eq!(
            verdict_with(&chain, &[activity], &[activity], None).0,
            Handoff,
            "{activity}"
        );
    }
    assert_eq!(
        verdict(DeliverAndSupport, DeliverAndSupport, "Triage notes"),
        Handoff
    );
}

#[test]
fn a_missing_artifact_between_activities_is_off_chain_and_lists_the_options() {
    let (verdict, report) = verdict_with(&Chain::builtin(), &[Engage], &[DeliverAndSupport], None);
    assert_eq!(verdict, OffChain);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingArtifact)
        .unwrap();
    assert_eq!(
        *d.help,
        vec![
            "the chain sends from Engage to Deliver and Support: \"User support tasks\", \"Knowledge and information \
             about third-party service components\" and \"Contracts and agreements with external and internal suppliers\""
                .to_string()
        ]
    );
}

#[test]
fn demand_feeds_engage_with_customer_and_user_inputs() {
    assert_verdicts(&[
        (
            Demand,
            Engage,
            "Incidents, service requests, and feedback",
            Canonical,
        ),
        (
            Demand,
            Engage,
            "High-level demand for services and products",
            Canonical,
        ),
        (Demand, Engage, "Requests and feedback", Canonical),
        (Demand, Engage, "Market opportunities", Canonical),
        // Supplier input is not demand.
        (
            Demand,
            Engage,
            "Cooperation opportunities and feedback",
            OffChain,
        ),
        (
            Demand,
            DeliverAndSupport,
            "Incidents, service requests, and feedback",
            OffChain,
        ),
        (
            Demand,
            Plan,
            "Consolidated demands and opportunities",
            OffChain,
        ),
    ]);
}

#[test]
fn value_is_reached_from_deliver_and_support_and_engage_reports() {
    assert_verdicts(&[
        (DeliverAndSupport, Value, "Services delivered", Canonical),
        (
            DeliverAndSupport,
            Value,
            "Services delivered to customers and users",
            Canonical,
        ),
        (Engage, Value, "Service performance reports", Canonical),
        (Engage, Value, "Services delivered", OffChain),
        (
            Plan,
            Value,
            "Strategic, tactical, and operational plans",
            OffChain,
        ),
        // "Value chain performance information" goes to the governing body, not to Value.
        (
            Improve,
            Value,
            "Value chain performance information",
            OffChain,
        ),
    ]);
}

#[test]
fn nothing_flows_into_demand_and_only_feedback_flows_out_of_value() {
    // DESIGN.md rule 6: Demand and Value stand for parties. Into Demand is an error; out of
    // Value (the customers and users who received the value) only what seed 001 takes from
    // customers or users flows on canonically; anything else out of Value is a warning
    // (it was an end-direction error before).
    let chain = Chain::builtin();
    let cases = [
        (Engage, Demand, OffChain, Some(Code::EndDirection)),
        (Value, Demand, OffChain, Some(Code::EndDirection)),
        (Value, Engage, OffChain, Some(Code::AfterValue)),
        (Demand, Value, OffChain, Some(Code::OffChain)),
    ];
    for (from, to, expected, code) in cases {
        let (verdict, report) =
            verdict_with(&chain, &[from], &[to], Some("Service performance reports"));
        assert_eq!(verdict, expected, "{from} -> {to}");
        let codes: Vec<Code> = report
            .diagnostics
            .iter()
            .filter(|d| matches!(d.subject, vsmap::check::Subject::Flow(..)))
            .map(|d| d.code)
            .collect();
        assert_eq!(
            codes,
            code.into_iter().collect::<Vec<_>>(),
            "{from} -> {to}"
        );
    }
    assert_eq!(
        Code::AfterValue.severity(),
        vsmap::check::codes::Severity::Warning
    );
}

#[test]
fn multi_activity_steps_use_any_of_their_activities() {
    let chain = Chain::builtin();
    // "Design and transition/Improve" sends Improve's output to Engage.
    let (v, _) = verdict_with(
        &chain,
        &[DesignAndTransition, Improve],
        &[Engage],
        Some("Improvement status reports"),
    );
    assert_eq!(v, Canonical);
    // "Obtain/Build - Design and transition" receives D&T's input from Plan.
    let (v, _) = verdict_with(
        &chain,
        &[Plan],
        &[ObtainOrBuild, DesignAndTransition],
        Some("Portfolio decisions"),
    );
    assert_eq!(v, Canonical);
    // "Engage/Deliver and support" to Value delivers services.
    let (v, _) = verdict_with(
        &chain,
        &[Engage, DeliverAndSupport],
        &[Value],
        Some("Services delivered"),
    );
    assert_eq!(v, Canonical);
    // A shared activity makes it a handoff.
    let (v, _) = verdict_with(
        &chain,
        &[ObtainOrBuild, DesignAndTransition],
        &[DesignAndTransition],
        None,
    );
    assert_eq!(v, Handoff);
    // Neither activity allows it.
    let (v, _) = verdict_with(
        &chain,
        &[Plan, Engage],
        &[DeliverAndSupport],
        Some("Change requests"),
    );
    assert_eq!(v, OffChain);
}

fn edited_builtin(from: &str, to: &str) -> Chain {
    let text = vsmap::chain::BUILTIN_TEXT.replacen(from, to, 1);
    assert_ne!(text, vsmap::chain::BUILTIN_TEXT, "the edit must apply");
    Chain::from_text("custom.ron", &text).expect("the custom chain loads")
}

#[test]
fn a_custom_chain_changes_verdicts() {
    // An organisation lets Engage raise change requests directly.
    let custom = edited_builtin(
        "Output(artifact: \"User support tasks\", to: [Activity(DeliverAndSupport)], seed: \"User support tasks for deliver and support\"),",
        "Output(artifact: \"User support tasks\", to: [Activity(DeliverAndSupport)], seed: \"User support tasks for deliver and support\"),\n Output(artifact: \"Change requests\", to: [Activity(ObtainOrBuild)], seed: \"Change requests for obtain or build (our adjustment)\"),",
    );
    let (v, _) = verdict_with(
        &custom,
        &[Engage],
        &[ObtainOrBuild],
        Some("Change requests"),
    );
    assert_eq!(v, Canonical);
    let (v, _) = verdict_with(
        &Chain::builtin(),
        &[Engage],
        &[ObtainOrBuild],
        Some("Change requests"),
    );
    assert_eq!(v, OffChain);
    // And renaming an artifact makes the old name unknown.
    let renamed = Chain::from_text(
        "custom.ron",
        &vsmap::chain::BUILTIN_TEXT
            .replace(
                "Artifact(name: \"Service components\"),",
                "Artifact(name: \"Building blocks\"),",
            )
            .replace(
                "artifact: \"Service components\"",
                "artifact: \"Building blocks\"",
            )
            .replace("seed: \"Service components", "seed: \"Building blocks"),
    )
    .expect("the renamed chain loads");
    let (v, _) = verdict_with(
        &renamed,
        &[ObtainOrBuild],
        &[DeliverAndSupport],
        Some("Service components"),
    );
    assert_eq!(v, UnknownArtifact);
    let (v, _) = verdict_with(
        &renamed,
        &[ObtainOrBuild],
        &[DeliverAndSupport],
        Some("Building blocks"),
    );
    assert_eq!(v, Canonical);
}

#[test]
fn every_seed_line_is_quoted_and_every_flow_traces_to_a_line() {
    let chain = Chain::builtin();
    let seed = include_str!("seeds/001-service-value-chain.txt");
    for def in &chain.file.activities {
        for line in def
            .inputs
            .iter()
            .map(|l| &l.seed)
            .chain(def.outputs.iter().map(|l| &l.seed))
        {
            assert!(
                seed.lines().any(|l| l.trim_end() == format!("- {line}")),
                "\"{line}\" ({}) is not a line of seed 001",
                def.activity
            );
        }
        assert!(
            seed.contains(&def.purpose),
            "the purpose of {} is not seed 001's",
            def.activity
        );
        assert!(!def.practices.is_empty());
    }
    for flow in chain.flows() {
        assert!(!flow.stated_by.is_empty());
        for &line in &flow.stated_by {
            assert!(chain.quote_line(line).starts_with("seed 001 5."));
            // A part of a joined line is quoted with the line it travels in (rule 7).
            let prefix = format!("sent as part of \"{}\": seed 001 5.", chain.line(line).0);
            assert_eq!(chain.quote(line).starts_with(&prefix), line.as_part);
        }
    }
    // Every input and output line of seed 001's six sections is in the chain.
    let lines_in_chain: usize = chain
        .file
        .activities
        .iter()
        .map(|d| d.inputs.len() + d.outputs.len())
        .sum();
    let section_lines = seed
        .split("## 5.9")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- "))
        .count();
    assert_eq!(lines_in_chain, section_lines);
}

#[test]
fn practices_are_seed_003s_lists() {
    let seed = include_str!("seeds/003-value-chain-practices.txt");
    let chain = Chain::builtin();
    let headings = [
        (Plan, "Plan"),
        (Improve, "Improve"),
        (Engage, "Engage"),
        (DesignAndTransition, "Design & Transition"),
        (ObtainOrBuild, "Obtain/Build"),
        (DeliverAndSupport, "Deliver & Support"),
    ];
    for (activity, heading) in headings {
        let start = seed
            .find(&format!("**Practices Supporting {heading}**:"))
            .expect("a practices list");
        let listed: Vec<&str> = seed[start..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with("- "))
            .map(|l| l[2..].trim())
            .collect();
        assert_eq!(
            chain.activity(activity).unwrap().practices,
            listed,
            "{activity}"
        );
    }
}

// ---- Issue 13: the chain as a practitioner reads it ------------------------------------

const SEED_001: &str = include_str!("seeds/001-service-value-chain.txt");
const SEED_002: &str = include_str!("seeds/002-service-value-chain-examples.txt");

/// Each case rests on a line of a seed; the test checks the line is there, word for word.
fn assert_cited(seed: &str, line: &str) {
    assert!(seed.contains(line), "the seed has no line \"{line}\"");
}

#[test]
fn joined_lines_send_each_part_along_their_route() {
    // DESIGN.md rule 7: (from, to, artifact, verdict, the seed 001 line it travels in).
    let cases: &[(Activity, Activity, &str, Verdict, &str)] = &[
        (
            Engage,
            Improve,
            "Stakeholders' feedback",
            Canonical,
            "- Improvement opportunities and stakeholders' feedback for improve",
        ),
        (
            Engage,
            Improve,
            "Improvement opportunities",
            Canonical,
            "- Improvement opportunities and stakeholders' feedback for improve",
        ),
        (
            DesignAndTransition,
            Improve,
            "Performance information",
            Canonical,
            "- Performance information and improvement opportunities for improve",
        ),
        (
            ObtainOrBuild,
            Improve,
            "Improvement opportunities",
            Canonical,
            "- Performance information and improvement opportunities for improve",
        ),
        // The "Knowledge and information about new and changed ..." family.
        (
            ObtainOrBuild,
            DeliverAndSupport,
            "Knowledge and information about new and changed products and services",
            Canonical,
            "- Knowledge and information about new and changed service components and services from design and transition and obtain or build",
        ),
        (
            DesignAndTransition,
            DeliverAndSupport,
            "Knowledge and information about new and changed service components",
            Canonical,
            "- Knowledge and information about new and changed service components and services from design and transition and obtain or build",
        ),
        // A part goes only where its line goes.
        (
            DeliverAndSupport,
            Improve,
            "Stakeholders' feedback",
            OffChain,
            "- Stakeholders' feedback",
        ),
        (
            Engage,
            Plan,
            "Stakeholders' feedback",
            OffChain,
            "- Improvement opportunities and stakeholders' feedback for improve",
        ),
        // Plan's joined input names no source, so its parts travel nowhere new (rule 2).
        (
            Engage,
            Plan,
            "Value chain performance information",
            OffChain,
            "- Value chain performance information, improvement initiatives, and plans",
        ),
    ];
    for &(from, to, artifact, expected, line) in cases {
        assert_cited(SEED_001, line);
        assert_eq!(
            verdict(from, to, artifact),
            expected,
            "{from} -> {to} with \"{artifact}\""
        );
    }
    // The seed wording behind the flow says which line the part travels in.
    let chain = Chain::builtin();
    let feedback = chain.resolve("Stakeholders' feedback").unwrap();
    let flow = chain
        .flow(
            feedback,
            vsmap::chain::Node::Activity(Engage),
            vsmap::chain::Node::Activity(Improve),
        )
        .unwrap();
    assert_eq!(
        chain.quote(flow.stated_by[0]),
        "sent as part of \"Improvement opportunities and stakeholders' feedback\": seed 001 5.5 \
         Engage output: \"Improvement opportunities and stakeholders' feedback for improve\""
    );
    // And so does the diagnostic of a part sent where its line does not go.
    let (_, report) = verdict_with(
        &chain,
        &[DeliverAndSupport],
        &[Improve],
        Some("Stakeholders' feedback"),
    );
    let help = report.diagnostics[0].help.join("\n");
    assert!(
        help.contains("\"Stakeholders' feedback\" goes from Engage to Improve, as part of \"Improvement opportunities and stakeholders' feedback\""),
        "{help}"
    );
}

#[test]
fn flows_out_of_value_carry_what_customers_and_users_send() {
    // DESIGN.md rule 6. Seed 002's incident stream: "Value – Value is realized because the
    // employee is productive again." then "Engage – A customer satisfaction (CSAT) survey is
    // sent to the employee."
    assert_cited(
        SEED_002,
        "A customer satisfaction (CSAT) survey is sent to the employee.",
    );
    let chain = Chain::builtin();
    let cases: &[(Activity, &str, Verdict, Option<Code>, &str)] = &[
        (
            Engage,
            "Requests and feedback",
            Canonical,
            None,
            "- Requests and feedback from customers",
        ),
        (
            Engage,
            "Incidents, service requests, and feedback",
            Canonical,
            None,
            "- Incidents, service requests, and feedback from users",
        ),
        (
            Engage,
            "Market opportunities",
            Canonical,
            None,
            "- Market opportunities from current and potential customers",
        ),
        // Not what customers send: a warning of its own, not an error.
        (
            Engage,
            "Service performance reports",
            OffChain,
            Some(Code::AfterValue),
            "- Service performance reports for customers",
        ),
        (
            Improve,
            "Stakeholders' feedback",
            OffChain,
            Some(Code::AfterValue),
            "- Stakeholders' feedback",
        ),
    ];
    for &(to, artifact, expected, code, line) in cases {
        assert_cited(SEED_001, line);
        let (verdict, report) = verdict_with(&chain, &[Value], &[to], Some(artifact));
        assert_eq!(verdict, expected, "Value -> {to} with \"{artifact}\"");
        let found: Vec<Code> = report
            .diagnostics
            .iter()
            .filter(|d| matches!(d.subject, vsmap::check::Subject::Flow(..)))
            .map(|d| d.code)
            .collect();
        assert_eq!(found, code.into_iter().collect::<Vec<_>>(), "Value -> {to}");
        assert!(
            !report.has_errors(),
            "Value -> {to}: {:?}",
            report.diagnostics
        );
    }
}

#[test]
fn names_as_people_write_them() {
    // Seed 003 writes "Design & Transition" and "Deliver & Support": `&` reads as "and".
    assert_cited(
        include_str!("seeds/003-value-chain-practices.txt"),
        "### 4. Design & Transition",
    );
    assert_eq!(
        Activity::parse("Design & Transition"),
        Some(DesignAndTransition)
    );
    assert_eq!(
        Activity::parse("Deliver & Support"),
        Some(DeliverAndSupport)
    );
    assert_eq!(
        verdict(
            Engage,
            Improve,
            "Improvement opportunities & stakeholders' feedback"
        ),
        Canonical
    );
    // An unknown name on a handoff stays a handoff, with a note that asks.
    let (v, report) = verdict_with(
        &Chain::builtin(),
        &[DeliverAndSupport],
        &[DeliverAndSupport],
        Some("User suport tasks"),
    );
    assert_eq!(v, Handoff);
    let note = &report.diagnostics[0];
    assert_eq!(note.code, Code::UnknownHandoffArtifact);
    assert_eq!(note.severity(), vsmap::check::codes::Severity::Note);
    assert_eq!(*note.help, ["did you mean \"User support tasks\"?"]);
}

#[test]
fn a_chain_files_unknown_activity_lists_only_the_six() {
    for (from, to) in [
        ("activity: Plan,", "activity: Plann,"),
        ("activity: Plan,", "activity: Demand,"),
        (
            "to: [Activity(DesignAndTransition)], seed: \"Portfolio decisions for design and transition\"",
            "to: [Activity(Value)], seed: \"Portfolio decisions for design and transition\"",
        ),
    ] {
        let text = vsmap::chain::BUILTIN_TEXT.replacen(from, to, 1);
        assert_ne!(text, vsmap::chain::BUILTIN_TEXT);
        let message = Chain::from_text("custom.ron", &text)
            .expect_err("an unknown activity")
            .to_string();
        assert!(message.contains("DeliverAndSupport"), "{message}");
        assert!(
            !message.contains("`Demand`,") && !message.contains("`Value`,"),
            "{message}"
        );
    }
}

#[test]
fn every_itil_4_practice_is_known_and_seed_003s_lists_stay_typical() {
    use vsmap::chain::PracticeGroup::*;
    let chain = Chain::builtin();
    let count = |group| {
        chain
            .file
            .practices
            .iter()
            .filter(|p| p.group == group)
            .count()
    };
    assert_eq!(
        (
            chain.file.practices.len(),
            count(General),
            count(Service),
            count(Technical)
        ),
        (34, 14, 17, 3)
    );
    // The names people still use.
    for (alias, practice) in [
        ("Change management", "Change enablement"),
        ("Request fulfilment", "Service request management"),
        ("SACM", "Service configuration management"),
        ("Event management", "Monitoring and event management"),
        ("Service catalogue management", "Service catalog management"),
        ("Service financial management", "Financial management"),
    ] {
        assert_eq!(
            chain.practice(alias).map(|p| p.name.as_str()),
            Some(practice)
        );
    }
    for name in [
        "Service level management",
        "Information security management",
    ] {
        assert!(chain.knows_practice(name), "{name}");
    }
    // Every practice seed 003 lists is in the catalogue, typical for its activity.
    for def in &chain.file.activities {
        let offered = chain.practices_for(def.activity);
        assert_eq!(&offered[..def.practices.len()], &def.practices[..]);
        assert_eq!(offered.len(), 34, "{}", def.activity);
        for practice in &def.practices {
            assert!(chain.practice(practice).is_some(), "{practice}");
            assert!(chain.is_typical(def.activity, practice));
        }
    }
    assert!(chain.is_typical(Engage, "Service catalogue management"));
    assert!(!chain.is_typical(Engage, "Incident management"));
}
