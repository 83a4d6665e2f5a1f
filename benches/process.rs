//! The real binary in a pseudo-terminal: start to first frame on a sample map (issue 6:
//! under 50 ms, median of 30 starts) and peak memory with the 10,000-step map open (under
//! 50 MB). Then issue 14's comparison with vim, what a user would open a big RON file with
//! instead: `vsmap check` against `vim -u NONE -N -es -c 'qa!' FILE` (vim reads the file and
//! quits) on the 10k and 100k maps, CPU time and peak memory of the whole process, and the
//! editor's first frame on both 10k maps against `vim --clean FILE`'s, in a pty. Without vim
//! the vsmap figures are still printed. Run with `cargo bench --bench process`; it prints
//! the figures for BENCHMARKS.md and fails when an issue 6 budget is broken.

#[path = "../tests/support/pty.rs"]
mod pty;

use pty::Pty;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// A program on the PATH, if installed.
fn installed(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// The median of some durations.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Runs a program to its end, output discarded, and returns the CPU time it took (user and
/// system, in nanoseconds from /proc/PID/schedstat, read while it is a zombie: finer than
/// the 10 ms ticks of getrusage or time(1)).
fn cpu_time(program: &Path, args: &[&str]) -> Duration {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let pid = child.id();
    let stat = format!("/proc/{pid}/stat");
    loop {
        let text = std::fs::read_to_string(&stat).expect("a Linux /proc");
        // The state follows the command name, which is in parentheses.
        let state = text[text.rfind(')').unwrap() + 2..].chars().next();
        if state == Some('Z') {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let schedstat = std::fs::read_to_string(format!("/proc/{pid}/schedstat")).unwrap();
    let nanos: u64 = schedstat
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    child.wait().unwrap();
    Duration::from_nanos(nanos)
}

/// The peak resident set size of a run, from GNU time's `%M`, if /usr/bin/time is there.
fn peak_of_run(program: &Path, args: &[&str], dir: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let report = dir.join("time.txt");
    Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    // A failing run (check found errors) has a line saying so first.
    let text = std::fs::read_to_string(&report).ok()?;
    text.lines().last()?.trim().parse().ok()
}

/// One row of the comparison: vsmap's and vim's median CPU time and peak memory.
fn compare(what: &str, vsmap: (Duration, Option<u64>), vim: Option<(Duration, Option<u64>)>) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mb = |kib: Option<u64>| kib.map_or("?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
    match vim {
        Some(vim) => {
            let memory_ratio = match (vsmap.1, vim.1) {
                (Some(a), Some(b)) => format!("{:.1}x", a as f64 / b as f64),
                _ => "?".into(),
            };
            println!(
                "{what}: vsmap {:.1} ms, {}; vim {:.1} ms, {}; ratio {:.1}x time, {memory_ratio} memory",
                ms(vsmap.0),
                mb(vsmap.1),
                ms(vim.0),
                mb(vim.1),
                ms(vsmap.0) / ms(vim.0)
            )
        }
        None => println!(
            "{what}: vsmap {:.1} ms, {} (vim is not installed: no comparison)",
            ms(vsmap.0),
            mb(vsmap.1)
        ),
    }
}

/// `vsmap check` against vim opening the same file: median CPU time of 9 runs, and peak
/// memory.
fn check_against_vim(vim: Option<&Path>, maps: &[(&str, PathBuf)], dir: &Path) {
    let vsmap = Path::new(env!("CARGO_BIN_EXE_vsmap"));
    for (name, file) in maps {
        let file = file.to_str().unwrap();
        let check = ["check", file];
        let measure = |program: &Path, args: &[&str]| {
            let time = median((0..9).map(|_| cpu_time(program, args)).collect());
            (time, peak_of_run(program, args, dir))
        };
        let ours = measure(vsmap, &check);
        let theirs = vim.map(|vim| measure(vim, &["-u", "NONE", "-N", "-es", "-c", "qa!", file]));
        compare(&format!("check, {name}"), ours, theirs);
    }
}

/// Spawn to the first frame in a 120x40 pty, median of 5: vsmap showing the map's title,
/// vim (`vim --clean -n FILE`, no swap file) showing the file's third line.
fn first_frame_against_vim(vim: Option<&Path>, maps: &[(&str, PathBuf)], dir: &Path) {
    let vsmap = Path::new(env!("CARGO_BIN_EXE_vsmap"));
    let first_frame = |program: &Path, args: &[&Path], shown: &str| {
        let start = Instant::now();
        let pty = Pty::spawn(program, args, 120, 40, &dir.join("data"));
        while !pty.text().contains(shown) {
            assert!(start.elapsed() < Duration::from_secs(60), "no first frame");
            std::thread::sleep(Duration::from_micros(200));
        }
        // Dropping the pty kills the program.
        start.elapsed()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for (name, file) in maps {
        let ours = median(
            (0..5)
                .map(|_| first_frame(vsmap, &[file], "Generated map"))
                .collect(),
        );
        let theirs = vim.map(|vim| {
            median(
                (0..5)
                    .map(|_| {
                        first_frame(
                            vim,
                            &[Path::new("--clean"), Path::new("-n"), file],
                            "title:",
                        )
                    })
                    .collect(),
            )
        });
        match theirs {
            Some(theirs) => println!(
                "first frame, {name}: vsmap {:.1} ms, vim {:.1} ms; ratio {:.1}x (wall time)",
                ms(ours),
                ms(theirs),
                ms(ours) / ms(theirs)
            ),
            None => println!(
                "first frame, {name}: vsmap {:.1} ms (vim is not installed: no comparison)",
                ms(ours)
            ),
        }
    }
}

fn main() {
    // `cargo test --benches` passes `--test`: nothing to time then.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
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
    let vim = installed("vim");
    if vim.is_none() {
        println!("vim is not installed (apt-get install vim-nox): vsmap figures only");
    }
    let skip = dir.join("skip5.ron");
    std::fs::write(&skip, vsmap::generate::skip_map(10_000, 5, 1).to_ron()).unwrap();
    first_frame_against_vim(
        vim.as_deref(),
        &[
            ("10k steps, 20k flows", big.clone()),
            ("10k steps, each to step i+5", skip),
        ],
        dir,
    );
    let huge = dir.join("huge.ron");
    std::fs::write(
        &huge,
        vsmap::generate::large_map(100_000, 200_000, 1).to_ron(),
    )
    .unwrap();
    check_against_vim(
        vim.as_deref(),
        &[("10k steps (3.8 MB)", big), ("100k steps (39 MB)", huge)],
        dir,
    );
    drop(temp);
    assert!(big_peak < 50 * 1024, "over the 50 MB budget");
    assert!(
        median < Duration::from_millis(50),
        "over the 50 ms start budget"
    );
}
