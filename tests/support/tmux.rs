//! vsmap in a real terminal: tmux runs it, `send-keys` types, `capture-pane` reads the
//! screen. The same as tests/e2e_tmux.rs uses, for the tests of other files.

use super::scratch;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long to wait for a screen or an exit before failing: generous, as a debug build on a
/// busy machine is slow. Only a failing test waits this long.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// A tmux server of the test's own, killed when the test ends (also when it fails). Its
/// socket is in a scratch directory that goes with it.
pub struct Tmux {
    socket: PathBuf,
    _socket_dir: tempfile::TempDir,
}

impl Tmux {
    pub fn start(width: u16, height: u16, command: &str) -> Tmux {
        let socket_dir = scratch();
        let tmux = Tmux {
            socket: socket_dir.path().join("tmux"),
            _socket_dir: socket_dir,
        };
        let status = tmux
            .command()
            .args([
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg(command)
            .status()
            .expect("tmux is needed for the end-to-end tests: apt-get install tmux");
        assert!(status.success(), "tmux could not start");
        tmux
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command
            .arg("-u")
            .arg("-S")
            .arg(&self.socket)
            .env("LANG", "C.UTF-8")
            // No user configuration (config.ron) reaches the tests: the defaults, everywhere.
            .env("XDG_CONFIG_HOME", self.socket.with_file_name("no-config"))
            .env_remove("TMUX");
        command
    }

    /// Sends tmux key names (`Enter`, `Escape`, `C-s`, `Right`) or, with `literal`, text.
    pub fn send(&self, keys: &[&str]) {
        for key in keys {
            let status = self
                .command()
                .args(["send-keys", "-t", "main", key])
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    pub fn type_text(&self, text: &str) {
        let status = self
            .command()
            .args(["send-keys", "-t", "main", "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let output = self
            .command()
            .args(["capture-pane", "-p", "-t", "main"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the screen never showed {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen no longer shows `text` (a popup answered), and returns it.
    pub fn wait_gone(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the screen kept showing {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `text` and then stays the same for a moment (a frame
    /// is written over several reads of the pane), and returns it.
    pub fn wait_settled(&self, text: &str) -> String {
        let mut screen = self.wait_for(text);
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let again = self.screen();
            if again == screen && again.contains(text) {
                return again;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the screen never settled on {text:?}:\n{again}"
            );
            screen = again;
        }
    }

    pub fn running(&self) -> bool {
        self.command()
            .args(["has-session", "-t", "main"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    pub fn wait_until_gone(&self) {
        let start = Instant::now();
        while self.running() {
            assert!(
                start.elapsed() < DEADLINE,
                "vsmap did not quit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").output();
    }
}

impl Tmux {
    /// The pid of the pane's process (vsmap itself when started with `exec`).
    pub fn pane_pid(&self) -> u32 {
        let output = self
            .command()
            .args(["display-message", "-p", "-t", "main", "#{pane_pid}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("a pid")
    }
}

/// A path quoted for `sh`.
pub fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// `VAR=value ... exec vsmap ARGS`, so the pane's process is vsmap.
pub fn vsmap_in(envs: &[(&str, &Path)], args: &[&Path]) -> String {
    let mut command = String::new();
    for (name, value) in envs {
        command.push_str(&format!("{name}={} ", shell_quote(value)));
    }
    command.push_str("exec ");
    command.push_str(&shell_quote(Path::new(env!("CARGO_BIN_EXE_vsmap"))));
    for arg in args {
        command.push(' ');
        command.push_str(&shell_quote(arg));
    }
    command
}

/// Waits until `ready` holds, for at most `DEADLINE`.
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < DEADLINE, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
