//! The search's priority queue: the smallest (f, h, state) first, exactly as a binary heap
//! of those triples would give them, but cheaper (for a hurried search, nearly: see below).
//!
//! The search's heuristic is consistent, so the f of what is pushed is never below the f of
//! what was last popped. A hurried search's is not (`Router::hurry`): what it pushes below
//! the current f joins the current bucket, as if of that f, and comes out by its (h, state)
//! among that bucket's items. Its bound still holds: when a bucket's turn comes no item has
//! a smaller f, and what the bucket gives out has at most its f.
//!
//! Items are kept in buckets by f: those of the next RING values of f in plain vectors (a
//! push there costs nothing), the rare ones further out in an ordinary heap. When a
//! bucket's turn comes its vector is sorted by (h, state) once; what is pushed with the
//! current f after that goes into a small heap, and each pop takes the smaller of the two
//! fronts. Most pushes land in a later bucket, so the heap work is small, and a sort of a
//! bucket costs less than taking its items out of a heap one by one.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Buckets ahead of the current f: more than any one step of the search adds to f.
const RING: u32 = 2048;
const WORDS: usize = RING as usize / 64;
/// Room for items a slot (or the current bucket, or the far heap) keeps between uses: 1 MB
/// over the whole ring at most, where each would keep the most it ever held: the editor
/// routes for as long as it runs.
const SLOT_KEPT: usize = 64;

#[derive(Default)]
pub(super) struct Queue {
    /// The f of the items in `sorted` and `current`.
    f: u32,
    /// The (h, state) of the items of f that were in the ring, as h << 32 | state, largest
    /// first: a bucket is sorted once when its turn comes, which costs less than taking
    /// each item out of a heap.
    sorted: Vec<u64>,
    /// The (h, state) of the items of f pushed since, as h << 32 | state.
    current: BinaryHeap<Reverse<u64>>,
    /// Slot f % RING holds the (h, state) of the items of f, for f in f+1 .. f+RING, as
    /// h << 32 | state.
    ring: Vec<Vec<u64>>,
    /// One bit per slot of `ring`: whether it holds items. The next f to pop is found a
    /// word at a time: the f of a search are far from dense.
    occupied: [u64; WORDS],
    in_ring: usize,
    /// Items of f >= self.f + RING.
    far: BinaryHeap<Reverse<(u32, u32, u32)>>,
    /// Set by `clear_unordered`: items of one f come out in any order, from `stack`.
    unordered: bool,
    /// The items of f when unordered, as in `current`.
    stack: Vec<u64>,
}

impl Queue {
    /// Empties the queue; also readies a new one.
    pub fn clear(&mut self) {
        if self.ring.is_empty() {
            self.ring.resize_with(RING as usize, Vec::new);
        }
        // Emptied, keeping as little room as a slot does (see `advance`).
        self.sorted.clear();
        self.sorted.shrink_to(SLOT_KEPT);
        self.current.clear();
        self.current.shrink_to(SLOT_KEPT);
        if self.in_ring > 0 {
            // Only the occupied slots hold items: a search leaves most of the ring empty,
            // and clearing all of it came with every route.
            for (w, bits) in self.occupied.iter_mut().enumerate() {
                while *bits != 0 {
                    self.ring[w * 64 + bits.trailing_zeros() as usize].clear();
                    *bits &= *bits - 1;
                }
            }
            self.in_ring = 0;
        }
        self.far.clear();
        self.far.shrink_to(SLOT_KEPT);
        self.f = 0;
        self.stack.clear();
        self.stack.shrink_to(SLOT_KEPT);
        self.unordered = false;
    }

    /// `clear`, for a queue whose items of one f may come out in any order: a Dijkstra
    /// search whose costs do not depend on the order (the guide's) spares the heap work.
    pub fn clear_unordered(&mut self) {
        self.clear();
        self.unordered = true;
    }

    /// Adds an item (after `clear`).
    #[inline(always)]
    pub fn push(&mut self, f: u32, h: u32, state: u32) {
        // f below the current one comes only from a hurried search, whose heuristic is
        // not consistent (`Router::hurry`): the item joins the current bucket.
        // (h, state) as one number: compared in one go, in the same order.
        let key = u64::from(h) << 32 | u64::from(state);
        if f <= self.f {
            if self.unordered {
                self.stack.push(key);
            } else {
                self.current.push(Reverse(key));
            }
        } else if f - self.f < RING {
            let slot = (f % RING) as usize;
            self.ring[slot].push(key);
            self.occupied[slot / 64] |= 1 << (slot % 64);
            self.in_ring += 1;
        } else {
            self.far.push(Reverse((f, h, state)));
        }
    }

    /// The smallest (f, h, state), taken out.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(u32, u32, u32)> {
        loop {
            let next = if self.unordered {
                self.stack.pop()
            } else {
                match (self.sorted.last(), self.current.peek()) {
                    (Some(&a), Some(&Reverse(b))) if b < a => self.current.pop().map(|k| k.0),
                    (Some(_), _) => self.sorted.pop(),
                    (None, _) => self.current.pop().map(|k| k.0),
                }
            };
            if let Some(key) = next {
                return Some((self.f, (key >> 32) as u32, key as u32));
            }
            self.advance()?;
        }
    }

    /// Makes the next f's bucket the current one; None when the queue is empty.
    #[inline(never)]
    fn advance(&mut self) -> Option<()> {
        let next = if self.in_ring > 0 {
            self.f + self.next_occupied()
        } else {
            self.far.peek()?.0.0
        };
        self.f = next;
        let slot = (next % RING) as usize;
        self.occupied[slot / 64] &= !(1 << (slot % 64));
        let items = std::mem::take(&mut self.ring[slot]);
        self.in_ring -= items.len();
        // The emptied heap's vector goes back to the slot, keeping some of its capacity:
        // vectors go round the slots, and each would keep the most any bucket ever held.
        let mut spent = if self.unordered {
            std::mem::replace(&mut self.stack, items)
        } else {
            let mut items = items;
            items.sort_unstable_by(|a, b| b.cmp(a));
            std::mem::replace(&mut self.sorted, items)
        };
        spent.shrink_to(SLOT_KEPT);
        self.ring[slot] = spent;
        // What was far may now be near.
        while let Some(&Reverse((f, h, state))) = self.far.peek() {
            if f - self.f >= RING {
                break;
            }
            self.far.pop();
            self.push(f, h, state);
        }
        Some(())
    }
}

impl Queue {
    /// How far ahead of the current f the first occupied slot lies (1..RING); there is one.
    fn next_occupied(&self) -> u32 {
        let start = (self.f % RING + 1) % RING;
        // The words from the one holding `start` on, around the ring and back to it.
        let (word, bit) = (start as usize / 64, start % 64);
        for k in 0..=WORDS {
            let w = (word + k) % WORDS;
            let mut bits = self.occupied[w];
            if k == 0 {
                bits &= u64::MAX << bit;
            }
            if bits != 0 {
                let slot = (w * 64) as u32 + bits.trailing_zeros();
                return (slot + RING - self.f % RING) % RING;
            }
        }
        unreachable!("next_occupied is called only with items in the ring")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers below n from a seed, the same every run.
    fn xorshift(mut seed: u64) -> impl FnMut(u32) -> u32 {
        move |n| crate::route::tests::random(&mut seed, n as usize) as u32
    }

    #[test]
    fn unordered_pops_come_by_f_and_all_come() {
        let mut queue = Queue::default();
        let mut random = xorshift(3);
        for _ in 0..3 {
            queue.clear_unordered();
            let (mut pushed, mut popped) = (Vec::new(), Vec::new());
            let mut state = 0;
            for _ in 0..50 {
                state += 1;
                let (f, h) = (random(10_000), random(200));
                queue.push(f, h, state);
                pushed.push((f, h, state));
            }
            let mut last = 0;
            while let Some(got) = queue.pop() {
                assert!(got.0 >= last);
                last = got.0;
                popped.push(got);
                if state < 20_000 {
                    for _ in 0..random(4) {
                        state += 1;
                        let f = got.0 + if random(20) == 0 { 5000 } else { random(1100) };
                        let h = random(64);
                        queue.push(f, h, state);
                        pushed.push((f, h, state));
                    }
                }
            }
            pushed.sort_unstable();
            popped.sort_unstable();
            assert_eq!(pushed, popped);
        }
    }

    #[test]
    fn pops_in_the_order_of_a_binary_heap_of_triples() {
        let mut queue = Queue::default();
        let mut heap = BinaryHeap::new();
        let mut random = xorshift(7);
        for _ in 0..3 {
            queue.clear();
            heap.clear();
            let mut state = 0;
            // Start states, spread wider than the ring.
            for _ in 0..50 {
                state += 1;
                let (f, h) = (random(10_000), random(200));
                queue.push(f, h, state);
                heap.push(Reverse((f, h, state)));
            }
            // Each pop pushes items of the same f or more, as the search does.
            let mut last = 0;
            while let Some(got) = queue.pop() {
                let Reverse(want) = heap.pop().unwrap();
                assert_eq!(got, want);
                assert!(got.0 >= last);
                last = got.0;
                if state < 20_000 {
                    for _ in 0..random(4) {
                        state += 1;
                        let f = got.0
                            + match random(20) {
                                0 => 0,
                                1 => 5000,
                                _ => random(1100),
                            };
                        let h = random(64);
                        queue.push(f, h, state);
                        heap.push(Reverse((f, h, state)));
                    }
                }
            }
            assert!(heap.is_empty());
        }
    }
}
