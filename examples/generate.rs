//! Writes a large, valid, deterministic map to standard output:
//! `cargo run --release --example generate -- 10000 20000 > big.ron` (steps, flows, seed).

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numbers: STEPS FLOWS [SEED]"))
        .collect();
    let steps = args.first().copied().unwrap_or(10_000);
    let flows = args.get(1).copied().unwrap_or(steps * 2);
    let seed = args.get(2).copied().unwrap_or(1) as u64;
    print!(
        "{}",
        vsmap::generate::large_map(steps, flows, seed).to_ron()
    );
}
