//! The kinds of step a value stream is made of: the six value chain activities and the two
//! ends, Demand and Value.

use serde::{Deserialize, Serialize};

/// What a step does. The spelling of each variant is part of the map file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Activity {
    Demand,
    Value,
    Plan,
    Improve,
    Engage,
    DesignAndTransition,
    ObtainOrBuild,
    DeliverAndSupport,
}

impl Activity {
    /// Every kind, in the order pickers and listings show them.
    pub const ALL: [Activity; 8] = [
        Activity::Demand,
        Activity::Engage,
        Activity::Plan,
        Activity::Improve,
        Activity::DesignAndTransition,
        Activity::ObtainOrBuild,
        Activity::DeliverAndSupport,
        Activity::Value,
    ];

    /// The six value chain activities, in seed 001's order.
    pub const CHAIN: [Activity; 6] = [
        Activity::Plan,
        Activity::Improve,
        Activity::Engage,
        Activity::DesignAndTransition,
        Activity::ObtainOrBuild,
        Activity::DeliverAndSupport,
    ];

    /// The name a facilitator reads.
    pub fn name(self) -> &'static str {
        match self {
            Activity::Demand => "Demand",
            Activity::Value => "Value",
            Activity::Plan => "Plan",
            Activity::Improve => "Improve",
            Activity::Engage => "Engage",
            Activity::DesignAndTransition => "Design and Transition",
            Activity::ObtainOrBuild => "Obtain or Build",
            Activity::DeliverAndSupport => "Deliver and Support",
        }
    }

    /// The spelling used in map files (`DesignAndTransition`).
    pub fn key(self) -> &'static str {
        match self {
            Activity::Demand => "Demand",
            Activity::Value => "Value",
            Activity::Plan => "Plan",
            Activity::Improve => "Improve",
            Activity::Engage => "Engage",
            Activity::DesignAndTransition => "DesignAndTransition",
            Activity::ObtainOrBuild => "ObtainOrBuild",
            Activity::DeliverAndSupport => "DeliverAndSupport",
        }
    }

    /// A short tag that identifies the activity without colour (shown in every step box).
    pub fn tag(self) -> &'static str {
        match self {
            Activity::Demand => "DEM",
            Activity::Value => "VAL",
            Activity::Plan => "PLN",
            Activity::Improve => "IMP",
            Activity::Engage => "ENG",
            Activity::DesignAndTransition => "D&T",
            Activity::ObtainOrBuild => "O/B",
            Activity::DeliverAndSupport => "D&S",
        }
    }

    /// Demand and Value are the ends of a stream, not activities of the chain.
    pub fn is_end(self) -> bool {
        matches!(self, Activity::Demand | Activity::Value)
    }

    /// Reads a file spelling (`ObtainOrBuild`) or a display name (`obtain or build`).
    /// An activity by its name, its key in files, or the mark its boxes show (`D&T`),
    /// in any case.
    pub fn parse(text: &str) -> Option<Activity> {
        let text = text.trim();
        let folded = crate::names::fold(text);
        Activity::ALL.into_iter().find(|a| {
            crate::names::fold(a.name()) == folded
                || a.key().eq_ignore_ascii_case(text)
                || a.tag().eq_ignore_ascii_case(text)
        })
    }
}

impl std::fmt::Display for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Activity;

    #[test]
    fn parses_names_keys_and_box_marks_in_any_case() {
        for activity in Activity::ALL {
            for text in [activity.name(), activity.key(), activity.tag()] {
                assert_eq!(Activity::parse(text), Some(activity), "{text}");
                assert_eq!(Activity::parse(&text.to_lowercase()), Some(activity));
            }
        }
        assert_eq!(
            Activity::parse(" d&t "),
            Some(Activity::DesignAndTransition)
        );
        assert_eq!(
            Activity::parse("design & transition"),
            Some(Activity::DesignAndTransition)
        );
        assert_eq!(Activity::parse("Deliver"), None);
    }
}
