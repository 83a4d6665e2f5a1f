//! A list to choose from, filtered as the user types: activities, artifacts.

use super::input::TextInput;
use crate::names::fold;

/// How an item relates to the chain, shown as a mark before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    Canonical,
    Handoff,
    OffChain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item<T> {
    pub value: T,
    pub mark: Mark,
    pub title: String,
    /// A second line: the activity's purpose, why an artifact is off-chain.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker<T> {
    pub items: Vec<Item<T>>,
    pub filter: TextInput,
    /// Index into `visible()`.
    pub selected: usize,
    /// An item listed first while nothing is typed, whatever its mark: what the field holds
    /// now, when that is not among the choices listed first anyway. Index into `items`.
    pub pinned: Option<usize>,
}

/// How well an item's title matches what was typed, best first. Both are folded
/// (`names::fold`: case, punctuation, `&` as "and"), and the typed text is split into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    /// The title is what was typed.
    Exact,
    /// The title starts with what was typed: "service comp" for "Service components".
    Prefix,
    /// Every typed word starts a word of the title, in any order (people remember the words
    /// of a name better than their order): "comp serv", "change req" for "Change or project
    /// initiation requests". Two typed words may start the same word of the title.
    WordPrefix,
    /// Every typed word is somewhere in the title, inside a word too: "ice comp".
    Substring,
}

impl Match {
    fn of(title: &str, phrase: &str, words: &[&str]) -> Option<Match> {
        if title == phrase {
            Some(Match::Exact)
        } else if title.starts_with(phrase) {
            Some(Match::Prefix)
        } else if words
            .iter()
            .all(|w| title.split(' ').any(|t| t.starts_with(w)))
        {
            Some(Match::WordPrefix)
        } else if words.iter().all(|w| title.contains(w)) {
            Some(Match::Substring)
        } else {
            None
        }
    }
}

/// Among items that match equally well: what the chain sends first, then handoffs, then the
/// rest.
fn mark_order(mark: Mark) -> u8 {
    match mark {
        Mark::Canonical => 0,
        Mark::Handoff => 1,
        Mark::None | Mark::OffChain => 2,
    }
}

impl<T: Clone> Picker<T> {
    pub fn new(items: Vec<Item<T>>) -> Picker<T> {
        Picker {
            items,
            filter: TextInput::default(),
            selected: 0,
            pinned: None,
        }
    }

    /// Indices of the items whose title holds every word typed, best match first: exact,
    /// then prefix, then word prefix, then substring (see `Match`). Within each, canonical
    /// items come first, then handoffs, then the rest, each in the items' own order. With
    /// nothing typed every item is listed, the pinned one first.
    pub fn visible(&self) -> Vec<usize> {
        let phrase = fold(self.filter.text());
        let words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
        let mut ranked: Vec<(bool, Match, u8, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let (pinned, how) = if words.is_empty() {
                    (self.pinned == Some(i), Match::Exact)
                } else {
                    (false, Match::of(&fold(&item.title), &phrase, &words)?)
                };
                Some((!pinned, how, mark_order(item.mark), i))
            })
            .collect();
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, _, _, i)| i).collect()
    }

    pub fn chosen(&self) -> Option<&Item<T>> {
        self.visible().get(self.selected).map(|&i| &self.items[i])
    }

    pub fn move_by(&mut self, delta: isize) {
        let count = self.visible().len();
        if count == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, count as isize - 1) as usize;
    }

    /// After the filter changed: keep the selection inside the list.
    pub fn refilter(&mut self) {
        self.selected = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> Picker<u8> {
        let item = |value, title: &str| Item {
            value,
            mark: Mark::None,
            title: title.into(),
            detail: String::new(),
        };
        Picker::new(vec![
            item(1, "User support tasks"),
            item(2, "Service components"),
            item(3, "Change requests"),
        ])
    }

    #[test]
    fn typing_filters_by_words_in_any_case() {
        let mut p = picker();
        p.filter.insert_str("SERV comp");
        assert_eq!(p.visible(), [1]);
        assert_eq!(p.chosen().map(|i| i.value), Some(2));
        p.filter.clear();
        p.filter.insert_str("zzz");
        assert_eq!(p.chosen(), None);
    }

    #[test]
    fn exact_and_phrase_matches_come_first() {
        let mut p = picker();
        p.items.insert(
            0,
            Item {
                value: 0,
                mark: Mark::None,
                title: "Change or project initiation requests".into(),
                detail: String::new(),
            },
        );
        p.filter.insert_str("change requests");
        assert_eq!(p.visible(), [3, 0]);
    }

    /// Artifacts as the artifact picker lists them between Engage and Design and Transition
    /// (canonical first, then the rest by name), plus one handoff to see its place.
    fn artifacts() -> Picker<u8> {
        let item = |value, mark, title: &str| Item {
            value,
            mark,
            title: title.into(),
            detail: String::new(),
        };
        use Mark::{Canonical as C, Handoff as H, OffChain as O};
        Picker::new(vec![
            item(
                0,
                C,
                "Knowledge and information about new and changed service components",
            ),
            item(1, C, "Product and service requirements"),
            item(2, H, "handoff (no artifact)"),
            item(3, O, "Change requests"),
            item(4, O, "Change or project initiation requests"),
            item(
                5,
                O,
                "Knowledge and information about new and changed service components and services",
            ),
            item(
                6,
                O,
                "Knowledge and information about third-party service components",
            ),
            item(7, O, "Service components"),
            item(8, O, "Service catalog management"),
            item(9, O, "Design & transition requirements"),
            item(10, O, "Requests for change"),
            item(11, C, "Service components catalogue"),
        ])
    }

    #[test]
    fn the_best_match_comes_first_then_canonical_then_the_items_order() {
        #[rustfmt::skip]
        let cases: &[(&str, &[u8])] = &[
            // Nothing typed: canonical, handoff, the rest, each in the items' order.
            ("", &[0, 1, 11, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
            // The user's case: the exact title first, though off-chain and listed late.
            ("Service components", &[7, 11, 0, 5, 6]),
            // Prefix (canonical first), then titles where both words start words
            // (canonical first), then "comp" inside a word nowhere: no substring-only here.
            ("service comp", &[11, 7, 0, 5, 6]),
            // Case, punctuation and `&` fold away.
            ("SERVICE-COMPONENTS!", &[7, 11, 0, 5, 6]),
            ("design and transition requirements", &[9]),
            ("design & trans", &[9]),
            // Word prefixes in any order; "ice" starts no word, so only substring matches.
            ("comp serv", &[0, 11, 5, 6, 7]),
            ("req change", &[3, 4, 10]),
            ("ice comp", &[0, 11, 5, 6, 7]),
            // Exact beats prefix beats word prefix, whatever the marks.
            ("change requests", &[3, 4, 10]),
            ("requests", &[10, 3, 4]),
            ("handoff", &[2]),
            ("third party", &[6]),
            ("zzz", &[]),
            ("service zzz", &[]),
        ];
        for (typed, expected) in cases {
            let mut p = artifacts();
            p.filter.insert_str(typed);
            let got: Vec<u8> = p.visible().iter().map(|&i| p.items[i].value).collect();
            assert_eq!(got, *expected, "typing {typed:?}");
            assert_eq!(p.chosen().map(|i| i.value), expected.first().copied());
        }
    }

    #[test]
    fn the_pinned_item_leads_only_while_nothing_is_typed() {
        let mut p = artifacts();
        p.pinned = Some(7);
        assert_eq!(p.visible()[..4], [7, 0, 1, 11]);
        assert_eq!(p.visible().len(), p.items.len());
        p.filter.insert_str("requ");
        let got: Vec<usize> = p.visible();
        assert_eq!(got, [10, 1, 3, 4, 9], "typing ranks it like any other");
        p.filter.clear();
        assert_eq!(p.visible()[0], 7);
    }

    #[test]
    fn selection_stays_in_the_list() {
        let mut p = picker();
        p.move_by(10);
        assert_eq!(p.selected, 2);
        p.move_by(-10);
        assert_eq!(p.selected, 0);
    }
}
