//! How names are compared: exact after folding case, white space and punctuation, plus the
//! nearest names for suggestions. Verdicts never use the fuzzy part (DESIGN.md rule 3).

/// Lower case, letters and digits only, single spaces between words, `&` read as "and".
/// "Stakeholders’ feedback" and "stakeholders' FEEDBACK" fold to the same text, and so do
/// "Design & Transition" and "design and transition".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c == '&' {
            if !folded.is_empty() {
                folded.push(' ');
            }
            folded.push_str("and");
            pending_space = true;
        } else if c.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '/' {
            pending_space = true;
        }
        // Other punctuation (commas, apostrophes) vanishes without splitting a word.
    }
    folded
}

/// Edit distance over chars counting a swap of two neighbours as one edit (optimal string
/// alignment), with a cap: anything beyond `cap` returns `cap + 1`, so comparing against a
/// long list stays cheap.
pub fn distance(a: &str, b: &str, cap: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let mut before_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for j in 0..b.len() {
            let mut best = (previous[j] + usize::from(a[i] != b[j]))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before_previous[j - 1] + 1);
            }
            current[j + 1] = best;
            row_min = row_min.min(best);
        }
        if row_min > cap {
            return cap + 1;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()].min(cap + 1)
}

/// How alike two folded names are, 0.0 (nothing shared) to 1.0 (equal): the better of
/// edit similarity and shared words, so both typos and shortened names find their match.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let longest = a.chars().count().max(b.chars().count()).max(1);
    let edit = 1.0 - distance(a, b, longest) as f64 / longest as f64;
    let words_a: Vec<&str> = a.split(' ').collect();
    let words_b: Vec<&str> = b.split(' ').collect();
    let shared = words_a.iter().filter(|w| words_b.contains(w)).count();
    let words = words_a.len().max(words_b.len()).max(1);
    let overlap = shared as f64 / words as f64;
    edit.max(overlap)
}

/// Words that say nothing about which artifact is meant.
const FILLER: &[&str] = &[
    "a", "an", "and", "or", "of", "for", "the", "to", "from", "about", "with", "by", "on", "in",
];

/// The words of a folded name that carry meaning, each without a plural "s".
fn stems(folded: &str) -> Vec<&str> {
    let mut stems: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 => stem,
            _ => w,
        })
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// How much a name someone wrote looks like a known name, 0.0 (not at all) to 1.0, for
/// ranking the names valid in one place: the share of meaningful words they have in
/// common ("Change request" and "Change or project initiation requests" share two of five),
/// or, for a typo, how alike the letters are. Zero when they share less than a third of their
/// words and are not a typo.
pub fn likeness(written: &str, known: &str) -> f64 {
    Likened::new(written).likeness(&Likened::new(known))
}

/// A name made ready for `likeness` once, for comparing with many others: folded, with its
/// meaningful words.
#[derive(Debug, Clone)]
pub struct Likened {
    folded: String,
    chars: usize,
    stems: Vec<String>,
}

impl Likened {
    pub fn new(text: &str) -> Likened {
        let (folded, chars) = compared(text);
        let stems = stems(&folded).into_iter().map(String::from).collect();
        Likened {
            folded,
            chars,
            stems,
        }
    }

    /// `likeness(self, known)`.
    pub fn likeness(&self, known: &Likened) -> f64 {
        let (a, b) = (self, known);
        if a.folded.is_empty() || b.folded.is_empty() {
            return 0.0;
        }
        let shared = a.stems.iter().filter(|w| b.stems.contains(w)).count();
        let words = shared as f64 / a.stems.len().max(b.stems.len()).max(1) as f64;
        // One common word out of four or more ("service") is chance, not likeness.
        let words = if words >= 0.3 { words } else { 0.0 };
        // A typo is at most a quarter of the letters wrong; the capped distance stops early
        // for anything further apart.
        let longest = a.chars.max(b.chars);
        let cap = longest / 4;
        let wrong = distance(&a.folded, &b.folded, cap);
        let typo = if wrong <= cap {
            1.0 - wrong as f64 / longest as f64
        } else {
            0.0
        };
        words.max(typo)
    }
}

/// How many characters of a folded name suggestions compare: every real name fits, and a
/// megabyte-long name costs no more than a long one.
const COMPARED_CHARS: usize = 96;

/// A name folded for comparison, read from a bounded start of the text, with its length.
fn compared(text: &str) -> (String, usize) {
    let prefix = match text.char_indices().nth(COMPARED_CHARS * 4) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let folded: String = fold(prefix).chars().take(COMPARED_CHARS).collect();
    let chars = folded.chars().count();
    (folded, chars)
}

/// The candidates most like `wanted`, best first, at most `limit`, none below a floor
/// that keeps unrelated names out.
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let mut unlimited = usize::MAX;
    nearest_within(wanted, candidates, limit, &mut unlimited)
}

/// `nearest`, spending at most `budget` units of work (about one per pair of characters
/// compared) and taking what it spends off the budget. Once the budget is spent it suggests
/// nothing, so a map with thousands of misspelt names is checked as fast as any other.
pub fn nearest_within<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
    budget: &mut usize,
) -> Vec<&'a str> {
    const FLOOR: f64 = 0.45;
    let (wanted, wanted_chars) = compared(wanted);
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for name in candidates {
        let (folded, chars) = compared(name);
        let cost = (wanted_chars + 1) * (chars + 1) + COMPARED_CHARS;
        let Some(left) = budget.checked_sub(cost) else {
            *budget = 0;
            return Vec::new();
        };
        *budget = left;
        let score = similarity(&wanted, &folded);
        if score >= FLOOR {
            scored.push((score, name));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Far worse than the best match is noise next to it.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored.retain(|s| s.0 >= best * 0.8);
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_space_and_punctuation() {
        assert_eq!(fold("  Stakeholders’ FEEDBACK "), "stakeholders feedback");
        assert_eq!(
            fold("Incidents, service requests,  and feedback"),
            "incidents service requests and feedback"
        );
        assert_eq!(fold("Obtain/Build"), "obtain build");
        assert_ne!(
            fold("Change requests"),
            fold("Change or project initiation requests")
        );
    }

    #[test]
    fn an_ampersand_reads_as_and() {
        // Seed 003 writes "Design & Transition" and "Deliver & Support".
        assert_eq!(fold("Design & Transition"), fold("Design and Transition"));
        assert_eq!(fold("Deliver&Support"), "deliver and support");
        assert_eq!(fold("& more"), "and more");
    }

    #[test]
    fn likeness_ranks_shared_words_and_typos() {
        let long = "Change or project initiation requests";
        assert!(likeness("Change request", long) > 0.3);
        assert!(likeness("User suport task", "User support tasks") > 0.8);
        assert_eq!(
            likeness("Change request", "Contract and agreement requirements"),
            0.0
        );
        assert_eq!(likeness("", "Service components"), 0.0);
        assert_eq!(
            likeness(
                "Service performance reports",
                "Detailed requirements for services and products"
            ),
            0.0
        );
    }

    #[test]
    fn distance_counts_edits_and_respects_the_cap() {
        assert_eq!(distance("kitten", "sitting", 10), 3);
        assert_eq!(distance("", "abc", 10), 3);
        assert_eq!(distance("abcdef", "uvwxyz", 2), 3);
        assert_eq!(distance("fxi", "fix", 10), 1);
    }

    #[test]
    fn nearest_finds_typos_and_shortened_names_but_not_strangers() {
        let names = [
            "Change requests",
            "Change or project initiation requests",
            "Service components",
        ];
        assert_eq!(nearest("Change requets", names, 2)[0], "Change requests");
        assert!(
            nearest("project initiation requests", names, 3)
                .contains(&"Change or project initiation requests")
        );
        assert!(nearest("Coffee", names, 3).is_empty());
    }

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let names = ["Change requests", "Service components"];
        let mut budget = usize::MAX;
        assert_eq!(
            nearest_within("Change requets", names, 1, &mut budget),
            ["Change requests"]
        );
        let mut budget = 10;
        assert!(nearest_within("Change requets", names, 1, &mut budget).is_empty());
        assert_eq!(budget, 0);
        // A megabyte-long name is compared by its start, cheaply.
        let long = format!("Change requests{}", "!".repeat(1 << 20));
        let mut budget = 100_000;
        assert_eq!(
            nearest_within(&long, names, 1, &mut budget),
            ["Change requests"]
        );
    }
}
