//! Writes a large, valid, deterministic map to standard output:
//!
//! ```sh
//! cargo run --release --example generate -- 10000 20000 > big.ron      # STEPS [FLOWS [SEED]]
//! cargo run --release --example generate -- --random 300 1500 > r.ron  # STEPS LINKS [SEED]
//! cargo run --release --example generate -- --skip 5 10000 > skip.ron  # K [STEPS [SEED]]
//! ```
//!
//! The first is the benchmarks' big map: neighbours, rows below, some loops. `--random`
//! links steps drawn at random, so many links cross the map; `--skip K` links each step
//! to step i + K, so K links a row wrap from its end to the start of the next.

const USAGE: &str = "usage: generate [STEPS [FLOWS [SEED]]]
       generate --random STEPS LINKS [SEED]
       generate --skip K [STEPS [SEED]]";

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let kind = match args.first().map(String::as_str) {
        Some(flag @ ("--random" | "--skip")) => {
            let flag = flag.to_string();
            args.remove(0);
            flag
        }
        Some(other) if other.starts_with('-') => fail(&format!("unknown option {other}")),
        _ => String::new(),
    };
    let numbers: Vec<usize> = args
        .iter()
        .map(|a| {
            a.parse()
                .unwrap_or_else(|_| fail(&format!("not a number: {a}")))
        })
        .collect();
    let at = |i: usize, default: usize| numbers.get(i).copied().unwrap_or(default);
    let map = match kind.as_str() {
        "--random" if numbers.len() >= 2 => {
            vsmap::generate::random_map(numbers[0], numbers[1], at(2, 1) as u64)
        }
        "--random" => fail("--random needs STEPS and LINKS"),
        "--skip" if !numbers.is_empty() => {
            vsmap::generate::skip_map(at(1, 10_000), numbers[0], at(2, 1) as u64)
        }
        "--skip" => fail("--skip needs K"),
        _ => {
            let steps = at(0, 10_000);
            vsmap::generate::large_map(steps, at(1, steps * 2), at(2, 1) as u64)
        }
    };
    print!("{}", map.to_ron());
}

fn fail(why: &str) -> ! {
    eprintln!("generate: {why}\n{USAGE}");
    std::process::exit(2)
}
