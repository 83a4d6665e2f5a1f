//! Large maps for benchmarks and stress tests, always the same for the same size and seed:
//! streams of Demand, activities and Value laid out in rows, connected mostly to their
//! neighbours with artifacts the chain allows, with some handoffs, loops and off-chain flows
//! so the checker and the router have real work.

use crate::chain::Chain;
use crate::check::canonical_artifacts;
use crate::model::activity::Activity;
use crate::model::map::{Cell, Flow, Map, Step};

/// A map of `steps` steps and about `flows` flows (at least one per step but the last of
/// each row). Deterministic for a given `seed`.
pub fn large_map(steps: usize, flows: usize, seed: u64) -> Map {
    let chain = Chain::builtin();
    let (mut map, columns, mut random) = laid_out(steps, seed);
    // Each step feeds the next in its row.
    for i in 0..steps.saturating_sub(1) {
        if (i + 1) % columns != 0 && map.flows.len() < flows {
            connect(&chain, &mut map, i, i + 1, &mut random);
        }
    }
    // The rest go down a row or skip ahead, some back: branches and loops.
    while map.flows.len() < flows && steps > columns + 2 {
        let from = random.below(steps - columns - 1);
        if map.steps[from].activity == Activity::Value {
            continue;
        }
        let to = match random.below(4) {
            0 => from + columns,
            1 => from + 2,
            2 => from + columns + 1,
            _ => from.saturating_sub(2).max(1),
        };
        if to != from && to < steps && map.steps[to].activity != Activity::Demand {
            connect(&chain, &mut map, from, to, &mut random);
        }
    }
    map
}

/// A dense map of `steps` steps and exactly `links` flows between steps drawn at random
/// (never a step to itself; the same pair may come up twice), laid out as `large_map`
/// lays out its steps. Many links cross the whole map: the router's worst case, as users
/// who link everything to everything make it. Deterministic for a given `seed`.
pub fn random_map(steps: usize, links: usize, seed: u64) -> Map {
    let chain = Chain::builtin();
    let (mut map, _, mut random) = laid_out(steps, seed);
    if steps < 2 {
        return map;
    }
    while map.flows.len() < links {
        let (from, to) = (random.below(steps), random.below(steps));
        if from != to {
            connect(&chain, &mut map, from, to, &mut random);
        }
    }
    map
}

/// A map of `steps` steps where each step feeds step i + `skip`, laid out as `large_map`
/// lays out its steps. The flows that wrap from the end of one row to the start of the next
/// cross the whole map: with a hundred columns, `skip` of them per row. Deterministic for a
/// given `seed`.
pub fn skip_map(steps: usize, skip: usize, seed: u64) -> Map {
    let chain = Chain::builtin();
    let (mut map, _, mut random) = laid_out(steps, seed);
    for from in 0..steps.saturating_sub(skip.max(1)) {
        connect(&chain, &mut map, from, from + skip.max(1), &mut random);
    }
    map
}

/// `steps` steps in rows (Demand first, Value last, activities between drawn at random), no
/// flows yet; with the number of columns and the random numbers to go on with.
fn laid_out(steps: usize, seed: u64) -> (Map, usize, Random) {
    let mut random = Random(seed.max(1));
    // Square-ish up to a hundred columns, so small maps fill a screen as big ones do.
    let columns = ((steps as f64).sqrt().ceil() as usize).clamp(10, 100);
    let mut map = Map::new(format!("Generated map: {steps} steps"));
    let activities = Activity::CHAIN;
    for i in 0..steps {
        let (col, row) = (i % columns, i / columns);
        let activity = if col == 0 {
            Activity::Demand
        } else if col == columns - 1 || i == steps - 1 {
            Activity::Value
        } else {
            activities[random.below(activities.len())]
        };
        let mut step = Step::new(
            format!("s{i}"),
            activity,
            format!("Step {i} of row {row}"),
            Cell::new(col as u16, row as u16),
        );
        if !activity.is_end() {
            step.process_minutes = Some(5 + random.below(120) as u32);
            step.wait_minutes = Some(random.below(2000) as u32);
            step.complete_accurate_percent = Some(60 + random.below(41) as u8);
        }
        map.steps.push(step);
    }
    (map, columns, random)
}

/// Adds a flow from step `from` to step `to` with an artifact the chain allows between them.
fn connect(chain: &Chain, map: &mut Map, from: usize, to: usize, random: &mut Random) {
    let allowed = canonical_artifacts(chain, &map.steps[from], &map.steps[to]);
    // Mostly canonical; now and then an off-chain artifact, like a real workshop map.
    let artifact = if !allowed.is_empty() && random.below(10) > 0 {
        Some(
            chain
                .artifact_name(allowed[random.below(allowed.len())])
                .to_string(),
        )
    } else if map.steps[from].activity == map.steps[to].activity {
        None
    } else {
        Some(
            chain
                .artifact_name(random.below(chain.artifact_count()))
                .to_string(),
        )
    };
    map.flows.push(Flow::new(
        map.steps[from].id.clone(),
        map.steps[to].id.clone(),
        artifact,
    ));
}

/// xorshift64: small, fast and the same everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_map_and_sizes_are_met() {
        let a = large_map(1000, 2000, 7);
        assert_eq!(a, large_map(1000, 2000, 7));
        assert_ne!(a, large_map(1000, 2000, 8));
        assert_eq!(a.steps.len(), 1000);
        assert_eq!(a.flows.len(), 2000);
        let report = crate::check::check(&Chain::builtin(), &a);
        assert!(
            !report
                .diagnostics
                .iter()
                .any(|d| d.code == crate::check::codes::Code::DanglingFlow)
        );
        assert!(
            report
                .verdicts
                .iter()
                .filter(|v| **v == crate::check::Verdict::Canonical)
                .count()
                > 1000
        );
    }

    #[test]
    fn random_maps_are_seeded_and_have_exactly_the_links_asked_for() {
        let a = random_map(300, 1500, 3);
        assert_eq!(a, random_map(300, 1500, 3));
        assert_ne!(a, random_map(300, 1500, 4));
        assert_eq!((a.steps.len(), a.flows.len()), (300, 1500));
        assert!(a.flows.iter().all(|f| f.from != f.to));
        // Random links reach far: some join steps many rows apart.
        let row = |id: &str| a.steps.iter().find(|s| s.id == id).unwrap().at.row;
        assert!(
            a.flows
                .iter()
                .any(|f| row(&f.from).abs_diff(row(&f.to)) > 10)
        );
        assert!(random_map(1, 10, 1).flows.is_empty());
    }

    #[test]
    fn skip_maps_link_each_step_to_the_one_k_further() {
        let map = skip_map(1000, 5, 1);
        assert_eq!((map.steps.len(), map.flows.len()), (1000, 995));
        for (i, flow) in map.flows.iter().enumerate() {
            assert_eq!(flow.from, format!("s{i}"));
            assert_eq!(flow.to, format!("s{}", i + 5));
        }
        assert_eq!(map, skip_map(1000, 5, 1));
    }
}
