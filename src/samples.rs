//! The sample maps of `sample-maps/`, compiled in, so `vsmap new FILE --from NAME` can start
//! a workshop from a stream wherever the binary is, with no checkout beside it.

use crate::model::map::Map;

/// Every sample map: its name (the file stem) and its text, byte for byte. A test checks
/// that every file in `sample-maps/` is here.
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "cloud-migration",
        include_str!("../sample-maps/cloud-migration.ron"),
    ),
    (
        "deploy-software-release",
        include_str!("../sample-maps/deploy-software-release.ron"),
    ),
    (
        "helpdesk-portal",
        include_str!("../sample-maps/helpdesk-portal.ron"),
    ),
    (
        "incident-management",
        include_str!("../sample-maps/incident-management.ron"),
    ),
    (
        "incident-management-future",
        include_str!("../sample-maps/incident-management-future.ron"),
    ),
    (
        "new-feature-request",
        include_str!("../sample-maps/new-feature-request.ron"),
    ),
    (
        "new-it-service",
        include_str!("../sample-maps/new-it-service.ron"),
    ),
    (
        "onboard-new-employee",
        include_str!("../sample-maps/onboard-new-employee.ron"),
    ),
    (
        "service-upgrade",
        include_str!("../sample-maps/service-upgrade.ron"),
    ),
];

/// A sample's title, as its map names it.
pub fn title(text: &str) -> String {
    Map::from_text("sample", text).map_or_else(|_| String::new(), |map| map.title)
}

/// Why no sample was found for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFound {
    /// No sample has that name or a name starting with it; these look alike.
    Unknown {
        name: String,
        like: Vec<&'static str>,
    },
    /// More than one sample's name starts with it.
    Ambiguous {
        name: String,
        matches: Vec<&'static str>,
    },
}

impl std::fmt::Display for NotFound {
    /// The reason, then every sample's name: what to type instead is right there.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotFound::Unknown { name, like } => {
                write!(f, "no sample map `{}`", crate::text::shown(name, 80))?;
                if !like.is_empty() {
                    write!(f, " (did you mean `{}`?)", like.join("` or `"))?;
                }
            }
            NotFound::Ambiguous { name, matches } => write!(
                f,
                "`{}` could be `{}`",
                crate::text::shown(name, 80),
                matches.join("` or `")
            )?,
        }
        writeln!(f, "; the sample maps are:")?;
        for (name, _) in SAMPLES {
            writeln!(f, "  {name}")?;
        }
        Ok(())
    }
}

/// The sample a name means: its name and text. The name is matched ignoring case and a
/// `.ron` ending; failing that, a start shared by exactly one sample's name will do.
pub fn find(name: &str) -> Result<(&'static str, &'static str), NotFound> {
    let wanted = name.to_lowercase();
    let wanted = wanted.strip_suffix(".ron").unwrap_or(&wanted);
    if let Some(&sample) = SAMPLES.iter().find(|(n, _)| *n == wanted) {
        return Ok(sample);
    }
    let starting: Vec<(&str, &str)> = SAMPLES
        .iter()
        .filter(|(n, _)| !wanted.is_empty() && n.starts_with(wanted))
        .copied()
        .collect();
    match starting[..] {
        [sample] => Ok(sample),
        [] => Err(NotFound::Unknown {
            name: name.to_string(),
            like: crate::names::nearest(wanted, SAMPLES.iter().map(|(n, _)| *n), 2),
        }),
        _ => Err(NotFound::Ambiguous {
            name: name.to_string(),
            matches: starting.iter().map(|(n, _)| *n).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(name: &str) -> Option<&'static str> {
        find(name).ok().map(|(n, _)| n)
    }

    #[test]
    fn a_name_is_found_whatever_its_case_or_ron_ending() {
        assert_eq!(found("incident-management"), Some("incident-management"));
        assert_eq!(found("Incident-Management"), Some("incident-management"));
        assert_eq!(found("service-upgrade.ron"), Some("service-upgrade"));
    }

    #[test]
    fn a_start_shared_by_one_name_finds_it_and_by_two_says_which() {
        assert_eq!(found("cloud"), Some("cloud-migration"));
        // The whole name wins over a longer name it starts.
        assert_eq!(found("incident-management"), Some("incident-management"));
        assert_eq!(
            find("new-"),
            Err(NotFound::Ambiguous {
                name: "new-".into(),
                matches: vec!["new-feature-request", "new-it-service"],
            })
        );
        assert!(matches!(find(""), Err(NotFound::Unknown { .. })));
    }

    #[test]
    fn an_unknown_name_suggests_a_near_one_and_lists_them_all() {
        let error = find("incident-managment").unwrap_err();
        assert_eq!(
            error,
            NotFound::Unknown {
                name: "incident-managment".into(),
                like: vec!["incident-management"],
            }
        );
        let text = error.to_string();
        assert!(
            text.contains("did you mean `incident-management`?"),
            "{text}"
        );
        for (name, _) in SAMPLES {
            assert!(text.contains(&format!("\n  {name}\n")), "{text}");
        }
    }

    #[test]
    fn every_sample_has_a_title() {
        for (name, text) in SAMPLES {
            assert!(!title(text).is_empty(), "{name}");
        }
    }
}
