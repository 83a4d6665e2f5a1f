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
}

impl<T: Clone> Picker<T> {
    pub fn new(items: Vec<Item<T>>) -> Picker<T> {
        Picker {
            items,
            filter: TextInput::default(),
            selected: 0,
        }
    }

    /// Indices of the items whose title holds every word typed: exact matches first, then
    /// titles holding the typed phrase, then the rest, each group in the items' own order.
    pub fn visible(&self) -> Vec<usize> {
        let phrase = fold(self.filter.text());
        let words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
        let mut ranked: Vec<(u8, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let title = fold(&item.title);
                let rank = if title == phrase {
                    0
                } else if title.contains(&phrase) {
                    1
                } else if words.iter().all(|w| title.contains(w)) {
                    2
                } else {
                    return None;
                };
                Some((rank, i))
            })
            .collect();
        ranked.sort_by_key(|&(rank, _)| rank);
        ranked.into_iter().map(|(_, i)| i).collect()
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

    #[test]
    fn selection_stays_in_the_list() {
        let mut p = picker();
        p.move_by(10);
        assert_eq!(p.selected, 2);
        p.move_by(-10);
        assert_eq!(p.selected, 0);
    }
}
