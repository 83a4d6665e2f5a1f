//! A pseudo-terminal running the real binary, for the tests and benches that count what it
//! writes to the terminal or how much memory it takes.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for the binary's output before giving up: generous, as a debug build on
/// a busy machine is slow. Only a failing test waits this long.
const DEADLINE: Duration = Duration::from_secs(60);

pub struct Pty {
    pub master: std::fs::File,
    pub output: Arc<Mutex<Vec<u8>>>,
    pub child: std::process::Child,
}

impl Pty {
    pub fn spawn(program: &Path, args: &[&Path], cols: u16, rows: u16, data_dir: &Path) -> Pty {
        use rustix::fs::{Mode, OFlags};
        use rustix::pty::OpenptFlags;
        // A pseudo-terminal pair, as openpty(3) makes it.
        let master =
            rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
                .and_then(|master| {
                    rustix::pty::grantpt(&master)?;
                    rustix::pty::unlockpt(&master)?;
                    Ok(master)
                })
                .expect("a pseudo-terminal");
        let name = rustix::pty::ptsname(&master, Vec::new()).expect("the terminal's name");
        let slave = rustix::fs::open(
            name.as_c_str(),
            OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("the terminal side");
        let size = rustix::termios::Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        rustix::termios::tcsetwinsize(&slave, size).expect("the terminal's size");
        // setsid(1) starts the program in a session of its own with the pseudo-terminal
        // (stdin) as its controlling terminal, as a terminal emulator does. It execs the
        // program in place (it forks only when it leads a process group, which a child of
        // the test does not), so the child is the program itself.
        let mut command = Command::new("setsid");
        command
            .arg("--ctty")
            .arg(program)
            .args(args)
            .env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .env("VSMAP_DATA_DIR", data_dir)
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        let child = command
            .spawn()
            .expect("setsid (util-linux) starts the program");
        let master = std::fs::File::from(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Pty {
            master,
            output,
            child,
        }
    }

    pub fn written(&self) -> usize {
        self.output.lock().unwrap().len()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until `text` has been written, then until the output has been quiet a moment.
    pub fn settle_after(&self, text: &str) {
        let start = Instant::now();
        while !self.text().contains(text) {
            assert!(start.elapsed() < DEADLINE, "never saw {text:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.settle();
    }

    pub fn settle(&self) {
        let mut last = self.written();
        let mut quiet_since = Instant::now();
        let start = Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(400) {
            assert!(start.elapsed() < DEADLINE, "the output never settled");
            std::thread::sleep(Duration::from_millis(20));
            let now = self.written();
            if now != last {
                last = now;
                quiet_since = Instant::now();
            }
        }
    }

    /// Bytes written in answer to `keys`.
    pub fn bytes_for(&mut self, keys: &str) -> usize {
        let before = self.written();
        self.master.write_all(keys.as_bytes()).unwrap();
        self.settle();
        self.written() - before
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
