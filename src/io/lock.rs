//! A lock file beside a map while an editor has it open, naming the host, the user and the
//! process, so a second facilitator is warned before two people edit one file. A lock left
//! by a process that is gone (same host, no such process) is stale and replaced.

use crate::io::sys::{hostname, process_alive};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub host: String,
    pub user: String,
    pub pid: u32,
    pub since: u64,
}

impl Holder {
    fn me() -> Holder {
        Holder {
            host: hostname(),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".into()),
            pid: std::process::id(),
            since: crate::io::clock::now(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "host={}\nuser={}\npid={}\nsince={}\n",
            self.host, self.user, self.pid, self.since
        )
    }

    fn parse(text: &str) -> Option<Holder> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
                .map(str::to_string)
        };
        Some(Holder {
            host: field("host")?,
            user: field("user")?,
            pid: field("pid")?.parse().ok()?,
            since: field("since")?.parse().ok()?,
        })
    }

    /// "ana on build-box (process 4242, since 2026-11-23 01:02:03 UTC)"
    pub fn describe(&self) -> String {
        format!(
            "{} on {} (process {}, since {})",
            self.user,
            self.host,
            self.pid,
            crate::io::clock::format_time(self.since)
        )
    }

    /// Whether the holder is certainly gone: on this host, and no such process.
    fn is_stale(&self) -> bool {
        self.host == hostname() && !process_alive(self.pid)
    }
}

/// The lock file of a map: `.name.vsmap-lock` beside it.
pub fn file_for(map_path: &Path) -> PathBuf {
    let name = map_path
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    map_path
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!(".{name}.vsmap-lock"))
}

/// A lock this process holds; dropping it removes the file.
#[derive(Debug)]
pub struct Lock {
    file: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only our own lock: someone may have taken over a lock we thought stale.
        if fs::read_to_string(&self.file)
            .ok()
            .and_then(|t| Holder::parse(&t))
            .is_some_and(|h| h.pid == std::process::id() && h.host == hostname())
        {
            let _ = fs::remove_file(&self.file);
        }
    }
}

#[derive(Debug)]
pub enum Outcome {
    /// The lock is ours; `replaced` names a stale holder whose lock was taken over.
    Acquired {
        lock: Lock,
        replaced: Option<Holder>,
    },
    /// Someone else holds it (or a process we cannot see on another host).
    HeldBy(Holder),
    /// No lock could be made (read-only directory, ...): say so, and go on without.
    Unavailable(String),
}

pub fn acquire(map_path: &Path) -> Outcome {
    let file = file_for(map_path);
    let mut replaced = None;
    for _ in 0..3 {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
        {
            Ok(mut handle) => {
                if let Err(e) = handle.write_all(Holder::me().to_text().as_bytes()) {
                    let _ = fs::remove_file(&file);
                    return Outcome::Unavailable(crate::io::ron_text::io_message(&e));
                }
                return Outcome::Acquired {
                    lock: Lock { file },
                    replaced,
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let holder = fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| Holder::parse(&t));
                match holder {
                    Some(holder) if !holder.is_stale() => return Outcome::HeldBy(holder),
                    stale => {
                        // Stale, or not a lock we can read: take it over.
                        let _ = fs::remove_file(&file);
                        replaced = stale;
                    }
                }
            }
            Err(e) => return Outcome::Unavailable(crate::io::ron_text::io_message(&e)),
        }
    }
    Outcome::Unavailable("the lock file keeps changing".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory, deleted on drop, and a map path in it.
    fn scratch() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("m.ron");
        (dir, map)
    }

    #[test]
    fn a_second_lock_names_the_first_holder_and_dropping_releases_it() {
        let (_dir, map) = scratch();
        let Outcome::Acquired {
            lock,
            replaced: None,
        } = acquire(&map)
        else {
            panic!("the first lock")
        };
        let Outcome::HeldBy(holder) = acquire(&map) else {
            panic!("the second must be refused")
        };
        assert_eq!(holder.pid, std::process::id());
        assert_eq!(holder.host, hostname());
        drop(lock);
        assert!(!file_for(&map).exists());
        assert!(matches!(acquire(&map), Outcome::Acquired { .. }));
    }

    #[test]
    fn a_stale_lock_is_taken_over() {
        let (_dir, map) = scratch();
        let dead = Holder {
            host: hostname(),
            user: "ghost".into(),
            pid: 0x7fff_fff0,
            since: 0,
        };
        fs::write(file_for(&map), dead.to_text()).unwrap();
        let Outcome::Acquired { replaced, .. } = acquire(&map) else {
            panic!("a stale lock is replaced")
        };
        assert_eq!(replaced, Some(dead));
        // A lock from another host cannot be checked, so it counts.
        let (_other_dir, map) = scratch();
        let remote = Holder {
            host: "elsewhere.example".into(),
            user: "ana".into(),
            pid: 1,
            since: 0,
        };
        fs::write(file_for(&map), remote.to_text()).unwrap();
        assert!(matches!(acquire(&map), Outcome::HeldBy(h) if h == remote));
    }
}
