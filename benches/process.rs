//! The real binary in a pseudo-terminal: start to first frame on a sample map (issue 6:
//! under 50 ms, median of 30 starts) and peak memory with the 10,000-step map open (under
//! 50 MB). Run with `cargo bench --bench process`; it prints the figures for BENCHMARKS.md
//! and fails when a budget is broken.

#[path = "../tests/support/pty.rs"]
mod pty;

use pty::Pty;
use std::path::Path;
use std::time::{Duration, Instant};

/// From spawning vsmap to the first frame on screen (its title written), in a fresh process.
fn start_to_first_frame(file: &Path, title: &str, dir: &Path) -> Duration {
    let start = Instant::now();
    let mut pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_vsmap")),
        &[file],
        120,
        40,
        &dir.join("data"),
    );
    while !pty.text().contains(title) {
        assert!(start.elapsed() < Duration::from_secs(10), "no first frame");
        std::thread::sleep(Duration::from_micros(200));
    }
    let elapsed = start.elapsed();
    pty.settle();
    pty.bytes_for("q");
    elapsed
}

/// The peak resident set size of a process, from /proc (Linux).
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("a Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

fn open_and_measure(file: &Path, wait_for: &str, dir: &Path) -> u64 {
    let mut pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_vsmap")),
        &[file],
        200,
        50,
        &dir.join("data"),
    );
    pty.settle_after(wait_for);
    // Scroll about so routing and drawing have done real work, then measure.
    for keys in ["llllllll", "jjjjjjjj", "hhhh", "kkkk"] {
        pty.bytes_for(keys);
    }
    let peak = peak_kib(pty.child.id());
    pty.bytes_for("q");
    peak
}

fn main() {
    let temp = tempfile::Builder::new()
        .prefix("vsmap-memory-")
        .tempdir()
        .unwrap();
    let dir = temp.path();
    let big = dir.join("big.ron");
    std::fs::write(&big, vsmap::generate::large_map(10_000, 20_000, 1).to_ron()).unwrap();
    let big_peak = open_and_measure(&big, "Generated map", dir);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/incident-management.ron");
    let sample_peak = open_and_measure(&sample, "Incident management", dir);
    let mut starts: Vec<Duration> = (0..30)
        .map(|_| start_to_first_frame(&sample, "Incident management", dir))
        .collect();
    starts.sort();
    let median = starts[starts.len() / 2];
    println!(
        "start to first frame, sample map, 120x40: median {:.1} ms (fastest {:.1} ms, slowest {:.1} ms, 30 starts)",
        median.as_secs_f64() * 1000.0,
        starts[0].as_secs_f64() * 1000.0,
        starts[starts.len() - 1].as_secs_f64() * 1000.0
    );
    println!(
        "peak memory, 10,000 steps and 20,000 flows open: {:.1} MB",
        big_peak as f64 / 1024.0
    );
    println!(
        "peak memory, sample map open: {:.1} MB",
        sample_peak as f64 / 1024.0
    );
    drop(temp);
    assert!(big_peak < 50 * 1024, "over the 50 MB budget");
    assert!(
        median < Duration::from_millis(50),
        "over the 50 ms start budget"
    );
}
