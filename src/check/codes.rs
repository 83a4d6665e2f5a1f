//! The diagnostic codes: stable names, severities and the explanations behind
//! `vsmap check --explain CODE`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $summary:literal, $explanation:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable name printed in `severity[code]` and accepted by `--explain`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// One line: what the finding means.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// Several paragraphs with an example, for `--explain`.
            pub fn explanation(self) -> &'static str {
                match self { $( Code::$variant => $explanation, )* }
            }
        }
    };
}

codes! {
    OffChain = "off-chain", Error,
        "the chain does not send this artifact between these activities",
        "A flow is canonical when seed 001 states it: an output line of the source activity that \
names the target, or an input line of the target that names the source. This flow names an \
artifact the chain knows, but the chain does not send it from the source's activity to the \
target's.\n\nExample:\n\n    Flow(from: \"triage\", to: \"build\", artifact: Some(\"Change requests\"))\n\n\
with triage an Engage step and build an Obtain or Build step is off-chain: \"Change requests\" \
go from Deliver and Support to Obtain or Build. From Engage, Obtain or Build receives \"Change or \
project initiation requests\".\n\nA line of seed 001 that joins several artifacts sends each \
of them along its route: Engage's output \"Improvement opportunities and stakeholders' feedback \
for improve\" sends \"Stakeholders' feedback\" from Engage to Improve, and the inspector and the \
diagnostics say it is sent as part of that line, quoting it (seed 001 5.5 Engage output). The \
three \"Knowledge and information about new and changed ...\" wordings are one family the same \
way.\n\nFix: the diagnostic offers fixes, best first (`fixes` in `--format json`): use an \
artifact the chain sends for the pair (\"use-artifact\"), turn the link around when the chain \
sends the artifact the other way (\"reverse\"), or put a step of the activity in between that \
the chain passes through (\"insert-step\"), e.g. for Demand -> Plan: insert Engage: Demand -> \
Engage (Requests and feedback) -> Plan (Consolidated demands and opportunities).";

    UnknownArtifact = "unknown-artifact", Error,
        "the artifact is not one the chain knows",
        "Artifact names are matched exactly, after folding case, white space and punctuation. \
The name of the artifact, the seed's full wording and its other spellings are accepted; \
near names are not, because they are different artifacts.\n\nExample:\n\n    Flow(from: \"ops\", \
to: \"build\", artifact: Some(\"Change request\"))\n\nis unknown; the diagnostic suggests \
\"Change requests\". Names the chain sends between the two activities come first: from Engage \
to Obtain or Build, \"Change request\" suggests \"Change or project initiation requests\" \
before \"Change requests\", which goes from Deliver and Support. An `&` reads as \"and\".\n\n\
Fix: use one of the suggested names (the first fix applies it), or load your own chain with \
`--chain FILE` if your organisation names its artifacts differently.";

    MissingArtifact = "missing-artifact", Error,
        "a flow between different activities names no artifact",
        "Between steps of the same activity a flow is a handoff and needs no artifact. Between \
different activities something must flow, and the chain says what may.\n\nExample:\n\n    \
Flow(from: \"desk\", to: \"resolve\", artifact: None)\n\nfrom Engage to Deliver and Support: \
the diagnostic lists what the chain sends for that pair (\"User support tasks\").\n\nFix: name \
one of the listed artifacts.";

    EndDirection = "end-direction", Error,
        "a flow goes into Demand",
        "A stream starts at Demand: Demand stands for the customers and users who ask, and \
nothing in the stream flows back into it (flows out of Value are `after-value`).\n\nExample:\n\n    \
Flow(from: \"log\", to: \"demand\", artifact: Some(\"Requests and feedback\"))\n\nFix: turn the \
flow around (the \"reverse\" fix), or add a Value step for what reaches the customer.";

    AfterValue = "after-value", Warning,
        "a flow out of Value carries what customers and users do not send",
        "Value stands for the customers and users who received the value (DESIGN.md rule 6). A \
flow out of Value into Engage that carries what seed 001 takes from customers or users is \
canonical: \"Requests and feedback from customers\", \"Incidents, service requests, and \
feedback from users\" (seed 001 5.5 Engage input). The survey and review steps after Value in \
seed 002's streams are such feedback. Any other flow out of Value gets this warning: it is \
work after the value was realised that the chain does not start from customers.\n\nExample:\n\n    \
Flow(from: \"value\", to: \"learn\", artifact: Some(\"Stakeholders' feedback\"))\n\nwith learn \
an Improve step: customers send feedback to Engage, which passes it on to Improve.\n\nFix: \
the fixes say which artifact to name, or which step to insert (insert Engage: Value -> Engage \
(Requests and feedback) -> Improve (Improvement opportunities and stakeholders' feedback)).";

    DuplicateStepId = "duplicate-step-id", Error,
        "two steps have the same id",
        "Flows name steps by id, so every id must be unique.\n\nExample:\n\n    \
Step(id: \"log\", ...),\n    Step(id: \"log\", ...),\n\nFix: rename one step and the flows that \
mean it.";

    EmptyStepId = "empty-step-id", Error,
        "a step has an empty id",
        "Flows name steps by id, so a step without one cannot be connected.\n\nExample:\n\n    \
Step(id: \"\", activity: Plan, ...)\n\nFix: give the step a short id such as \"prioritise\".";

    SharedCell = "shared-cell", Error,
        "two steps are on the same cell",
        "Each cell of the grid holds one step; a second step on the same cell would be hidden.\n\n\
Example:\n\n    Step(id: \"a\", ..., at: (col: 2, row: 1)),\n    Step(id: \"b\", ..., at: (col: 2, \
row: 1)),\n\nFix: move one of the steps to a free cell.";

    DanglingFlow = "dangling-flow", Error,
        "a flow names a step that does not exist",
        "Both ends of a flow must be ids of steps in the map.\n\nExample:\n\n    \
Flow(from: \"log\", to: \"fixx\", ...)\n\nwhen no step has the id \"fixx\". The diagnostic \
suggests the nearest ids.\n\nFix: correct the id, or add the missing step.";

    InvalidPercent = "invalid-percent", Error,
        "a step's %C/A is more than 100",
        "Percent complete and accurate (%C/A) is the share of a step's output that the next \
step can use as it is: 0 to 100.\n\nExample:\n\n    Step(..., complete_accurate_percent: \
Some(120))\n\nFix: enter the percentage of work that needs no correction, e.g. 85.";

    SelfFlow = "self-flow", Error,
        "a flow goes from a step to itself",
        "A step that hands work to itself is one step; a loop needs a second step.\n\nExample:\n\n    \
Flow(from: \"fix\", to: \"fix\", ...)\n\nFix: remove the flow, or add the step the work goes back to.";

    DuplicateFlow = "duplicate-flow", Warning,
        "the same flow is given twice",
        "Two flows with the same source, target and artifact say the same thing twice; a \
reader will wonder whether they mean different work.\n\nExample:\n\n    Flow(from: \"a\", to: \
\"b\", artifact: Some(\"User support tasks\")),\n    Flow(from: \"a\", to: \"b\", artifact: \
Some(\"user support tasks\")),\n\nFix: delete one of them.";

    NoDemand = "no-demand", Warning,
        "the map has no Demand step",
        "A value stream starts at Demand (seeds 000 and 002): what triggers the work.\n\nExample: \
a map whose first step is \"Service desk logs the call\" (Engage) has no Demand.\n\nFix: add a \
Demand step (\"Employee has an issue\") and a flow from it to the first activity.";

    NoValue = "no-value", Warning,
        "the map has no Value step",
        "A value stream ends at Value: the outcome for customers and users.\n\nExample: a map that \
stops at \"Resolve the incident\" (Deliver and Support) has no Value.\n\nFix: add a Value step \
(\"Employee productive again\") fed by the step that delivers.";

    UnreachedStep = "unreached-step", Warning,
        "no path from Demand reaches this step",
        "Every step of a stream should be reached from Demand, following the flows; a step that \
is not is work nobody asked for, or a missing flow.\n\nExample: Demand -> Engage -> Deliver, and \
a Plan step with flows only out of it.\n\nFix: add the flow that brings work to the step.";

    DeadEndStep = "dead-end-step", Warning,
        "no path from this step reaches Value",
        "Every step of a stream should lead to Value, following the flows; a step that does not \
is work that creates no value, or a missing flow. Feedback is not a dead end: a step whose \
flows lead into Improve, and the Improve step itself, are where the stream learns.\n\nExample: Demand -> Engage -> Value, and a \
Deliver and Support step that Engage feeds but that feeds nothing.\n\nFix: add the flow that \
carries the step's output onwards.";

    OrphanStep = "orphan-step", Warning,
        "a step has no flows at all",
        "A step with no flow in or out is not part of the stream yet.\n\nExample: a Plan step \
placed on the grid and never connected.\n\nFix: connect it, or delete it.";

    MissingFeedback = "missing-feedback", Warning,
        "nothing feeds Improve from the work (seed 003: Missing Feedback)",
        "Seed 003 names \"Missing Feedback\" as an anti-pattern: \"Deliver & Support team \
problems never reach Improve\", and asks that \"Deliver & Support insights must reach Plan and \
Improve\". vsmap reports it when the map has no Improve step, when no flow enters an Improve \
step, or when no Deliver and Support step has a path to one (a Deliver and Support step that \
also belongs to Improve is one); and, when the map plans, when nothing Improve learns reaches a \
Plan step (\"feedback from Deliver & Support reaches Plan and Improve\").\n\nExample: Demand \
-> Engage -> Deliver and Support -> Value, with no Improve.\n\nFix: add an Improve step fed by \
Deliver and Support with \"Improvement opportunities\" or \"Product and service performance \
information\", and let it send \"Value chain performance information\" to Plan.";

    BuildOnlyFocus = "build-only-focus", Warning,
        "the stream builds before it engages (seed 003: Build-Only Focus)",
        "Seed 003 names \"Build-Only Focus\" as an anti-pattern: \"Neglecting Engage to \
understand what customers actually need\". vsmap reports it when a path from Demand reaches a \
Design and Transition or Obtain or Build step without passing an Engage step, and Engage \
comes only later: a stream that builds first and tells the customer at the end. A stream with \
no Engage step at all is not reported: seed 003's own \"Deploy Software Release\" (Design & \
Transition -> Obtain/Build -> Deliver & Support -> Improve) is one.\n\nExample: Demand -> \
Obtain or Build -> Deliver and Support -> Engage -> Value.\n\nFix: add the Engage step where \
customer needs are understood before the build.";

    PlanningParalysis = "planning-paralysis", Warning,
        "Plan outweighs the rest of the stream (seed 003: Planning Paralysis)",
        "Seed 003 names \"Planning Paralysis\" as an anti-pattern: \"Over-investing in Plan \
while starving Deliver\". vsmap reports it when the map plans but has no Deliver and Support step; \
when the Plan steps take more time (process and wait) than all other activity steps together, \
if every activity step has a time; and otherwise when there are three or more Plan steps and \
they are more than half as many as the other activity steps.\n\nExample: Engage -> Plan -> \
Plan -> Plan -> Deliver and Support.\n\nFix: merge Plan steps, shorten their queues, or map \
the delivery work that is missing.";

    Waterfall = "waterfall", Note,
        "all six activities in one straight line (seed 003: Waterfall Mentality)",
        "Seed 003 names \"Waterfall Mentality\" as an anti-pattern: \"Forcing sequential \
progression through all six activities\". vsmap notes it when the activity steps form a single \
line that passes each of the six activities exactly once; a shorter line beside a separate \
improvement cycle is not one line.\n\nExample: Demand -> Plan -> Engage \
-> Design and Transition -> Obtain or Build -> Deliver and Support -> Improve -> Value.\n\n\
Fix: none needed if the stream really is sequential; otherwise map the parallel work and the \
feedback loops.";

    UnknownPractice = "unknown-practice", Note,
        "a step names a practice the chain does not list",
        "Steps may carry ITIL practices as tags. The chain file lists ITIL 4's 34 practices with \
the names people still use (\"Change management\", \"Request fulfilment\", \"SACM\"), and the \
practices that typically support each activity (seed 003); any of them may be on any step. A \
name outside the list may be a typo.\n\nExample:\n\n    \
Step(..., practices: [\"Incident managment\"])\n\nFix: use the suggested name, or keep yours if \
your organisation uses it.";

    UnknownHandoffArtifact = "unknown-handoff-artifact", Note,
        "a handoff names an artifact the chain does not know",
        "Between steps of the same activity a flow is a handoff: it needs no artifact, and any \
wording is accepted. When the wording is not an artifact of the chain, vsmap notes it and \
suggests the nearest names, in case a known artifact was meant.\n\nExample:\n\n    \
Flow(from: \"route\", to: \"resolve\", artifact: Some(\"User suport tasks\"))\n\nbetween two \
Deliver and Support steps stays a handoff; the note asks whether \"User support tasks\" was \
meant.\n\nFix: nothing, if the wording is your team's own; otherwise use the suggested name.";

    HandoffWaste = "handoff-waste", Note,
        "work waits longest where it passes between activities (seed 003: handoff waste)",
        "Seed 003 asks to \"Eliminate handoff waste: Reduce delays between activities\". vsmap \
adds the waits (wait_minutes) of the steps that work enters from a step of another activity \
and notes it when they are more than half of all the time the map's steps record (process and \
wait) and at least a working day (the map's working_day_minutes, 480 minutes when it says \
none). The note names the step with the longest such wait.\n\nExample: Engage (5m) -> Plan (30m, wait 3d) -> Design and Transition (2h, wait \
5d).\n\nFix: shorten the queues between activities: pull instead of passing on, automate \
the transition, or let one team span both activities.";

    SiloOptimisation = "silo-optimisation", Note,
        "one step got faster while the whole stream got slower (seed 003: Silo Optimization)",
        "Seed 003 names \"Silo Optimization\" as an anti-pattern: \"Improving one activity at \
the expense of overall flow\". `vsmap diff` notes it when a step's process time went down in \
the new map while the lead time of the stream grew: the step works faster, the whole waits \
longer. (A shorter queue in front of a step is not the step getting faster.)\n\nExample: the \
build step goes from 2d to 4h, and the lead time from 10d to 12d because the work now queues \
before deployment.\n\nFix: look at the whole path: where the work waits now, and whether the faster \
step pushes work onto the next one.";
}

impl Code {
    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim().to_ascii_lowercase();
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            assert!(
                code.explanation().contains("Example"),
                "{} has no example",
                code.as_str()
            );
        }
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
