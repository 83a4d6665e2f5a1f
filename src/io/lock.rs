//! A lock file beside a map while an editor has it open, naming the host, the user and the
//! process, so a second facilitator is warned before two people edit one file. The holder
//! also keeps an OS lock (`flock`) on the file while it runs: the kernel drops it when the
//! process ends, however it ends, so two editors starting at once cannot both win, and a
//! lock file whose OS lock is free was left by a process that is gone (on this host; a lock
//! naming a process on another host still counts, as a network file system may not share
//! OS locks). The file is the user's own (0600), beside the file the map's links lead to.

use crate::io::sys::{hostname, process_alive};
use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
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

    /// A holder whose lock file cannot be read (another user's, or one being written).
    fn unknown(meta: Option<&fs::Metadata>) -> Holder {
        Holder {
            host: String::new(),
            user: meta.map_or_else(
                || "someone".into(),
                |m| format!("the user with uid {}", m.uid()),
            ),
            pid: 0,
            since: meta.map_or(0, |m| u64::try_from(m.mtime()).unwrap_or(0)),
        }
    }

    /// "ana on build-box (process 4242, since 2026-11-23 01:02:03 UTC)"
    pub fn describe(&self) -> String {
        if self.pid == 0 {
            return format!(
                "{} (the lock file cannot be read, so who exactly is not known)",
                crate::text::shown(&self.user, 80)
            );
        }
        format!(
            "{} on {} (process {}, since {})",
            crate::text::shown(&self.user, 80),
            crate::text::shown(&self.host, 80),
            self.pid,
            crate::io::clock::format_time(self.since)
        )
    }

    /// Whether the holder is certainly gone: on this host, and no such process.
    fn is_stale(&self) -> bool {
        self.host == hostname() && !process_alive(self.pid)
    }
}

/// The lock file of a map: `.name.vsmap-lock` beside it, or beside the file its links lead
/// to, so that every way of naming one map finds the same lock.
pub fn file_for(map_path: &Path) -> PathBuf {
    let target =
        crate::io::save::resolve_links(map_path).unwrap_or_else(|_| map_path.to_path_buf());
    let name = target
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    target
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!(".{name}.vsmap-lock"))
}

/// A lock this process holds: the OS lock on the open file, and the file naming us. Dropping
/// it removes the file, then lets the OS lock go.
#[derive(Debug)]
pub struct Lock {
    file: PathBuf,
    handle: File,
}

impl Lock {
    /// Where the lock file is.
    pub fn path(&self) -> &Path {
        &self.file
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only while the name is still our file: someone may have removed it and made another.
        if same_file(&self.handle, &self.file) {
            let _ = fs::remove_file(&self.file);
        }
        let _ = self.handle.unlock();
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

/// Whether the open file is the one the name leads to now.
fn same_file(handle: &File, path: &Path) -> bool {
    match (handle.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Opens the lock file for reading and writing, never through a link and never waiting
/// (a FIFO put there opens at once and is refused).
fn open_lock(file: &Path, create: bool) -> io::Result<File> {
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let handle = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(create)
        .mode(0o600)
        .custom_flags(flags.bits() as i32)
        .open(file)?;
    if !handle.metadata()?.is_file() {
        return Err(io::Error::other("the lock file is not a regular file"));
    }
    Ok(handle)
}

/// Who the lock file names, read from the open file (a few hundred bytes at most).
fn read_holder(handle: &mut File) -> Option<Holder> {
    let mut text = String::new();
    handle.rewind().ok()?;
    handle.take(4096).read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

/// Writes us into a lock file we hold the OS lock of.
fn write_me(handle: &mut File) -> io::Result<()> {
    handle.set_len(0)?;
    handle.rewind()?;
    handle.write_all(Holder::me().to_text().as_bytes())?;
    handle.sync_all()
}

pub fn acquire(map_path: &Path) -> Outcome {
    let file = file_for(map_path);
    let shown = crate::text::shown(&file.display().to_string(), 200);
    let unavailable = |e: &io::Error| Outcome::Unavailable(crate::io::read::io_message(e));
    for _ in 0..5 {
        if fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
            return Outcome::Unavailable(format!(
                "the lock file {shown} is a symbolic link, which vsmap does not follow; \
                 remove it if no vsmap of yours made it"
            ));
        }
        match open_lock(&file, true) {
            Ok(mut handle) => {
                // Ours from the start, unless another vsmap opened it in between and took it.
                if handle.try_lock().is_err() {
                    return Outcome::HeldBy(
                        read_holder(&mut handle)
                            .unwrap_or_else(|| Holder::unknown(handle.metadata().ok().as_ref())),
                    );
                }
                if let Err(e) = write_me(&mut handle) {
                    let _ = fs::remove_file(&file);
                    return unavailable(&e);
                }
                if !same_file(&handle, &file) {
                    continue;
                }
                return Outcome::Acquired {
                    lock: Lock { file, handle },
                    replaced: None,
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return unavailable(&e),
        }
        // A lock file is there: whoever holds its OS lock is alive.
        let mut handle = match open_lock(&file, false) {
            Ok(handle) => handle,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            // Another user's lock: it cannot be read, and it is not ours to take.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                return Outcome::HeldBy(Holder::unknown(fs::symlink_metadata(&file).ok().as_ref()));
            }
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => continue,
            Err(e) => {
                return Outcome::Unavailable(format!(
                    "{} ({shown})",
                    crate::io::read::io_message(&e)
                ));
            }
        };
        let holder = read_holder(&mut handle);
        if handle.try_lock().is_err() {
            return Outcome::HeldBy(
                holder.unwrap_or_else(|| Holder::unknown(handle.metadata().ok().as_ref())),
            );
        }
        // The OS lock was free. A holder named in the file that is alive (a vsmap without OS
        // locks, or one on another host) still counts; anything else is stale.
        match holder {
            Some(holder) if !holder.is_stale() && holder.pid != std::process::id() => {
                return Outcome::HeldBy(holder);
            }
            stale => {
                // The file may have been removed and made anew while we looked.
                if !same_file(&handle, &file) {
                    continue;
                }
                if let Err(e) = write_me(&mut handle) {
                    return unavailable(&e);
                }
                return Outcome::Acquired {
                    lock: Lock { file, handle },
                    replaced: stale,
                };
            }
        }
    }
    Outcome::Unavailable(format!(
        "the lock file {shown} was removed and made again by others five times while vsmap \
         tried to take it"
    ))
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

    #[test]
    fn the_lock_file_is_private_and_held_with_an_os_lock() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, map) = scratch();
        let Outcome::Acquired { lock, .. } = acquire(&map) else {
            panic!("the first lock")
        };
        let meta = fs::metadata(lock.path()).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        // Its contents still say who holds it.
        let text = fs::read_to_string(lock.path()).unwrap();
        assert_eq!(Holder::parse(&text).unwrap().pid, std::process::id());
        // The OS lock is taken: another open file description cannot have it.
        let other = File::open(lock.path()).unwrap();
        assert!(other.try_lock().is_err());
        drop(lock);
        assert!(!file_for(&map).exists());
    }

    #[test]
    fn editors_starting_at_once_on_a_stale_lock_are_warned_but_one() {
        for _ in 0..20 {
            let (_dir, map) = scratch();
            let dead = Holder {
                host: hostname(),
                user: "ghost".into(),
                pid: 0x7fff_fff0,
                since: 0,
            };
            fs::write(file_for(&map), dead.to_text()).unwrap();
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
            let outcomes: Vec<Outcome> = (0..3)
                .map(|_| {
                    let (map, barrier) = (map.clone(), std::sync::Arc::clone(&barrier));
                    std::thread::spawn(move || {
                        barrier.wait();
                        acquire(&map)
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|t| t.join().unwrap())
                .collect();
            let won = outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Acquired { .. }))
                .count();
            let warned = outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::HeldBy(_)))
                .count();
            assert_eq!((won, warned), (1, 2), "{outcomes:?}");
        }
    }

    #[test]
    fn a_map_opened_through_a_link_is_locked_beside_its_target() {
        let (dir, map) = scratch();
        fs::write(&map, "x").unwrap();
        let link = dir.path().join("sub");
        fs::create_dir(&link).unwrap();
        let link = link.join("link.ron");
        std::os::unix::fs::symlink(&map, &link).unwrap();
        assert_eq!(file_for(&link), file_for(&map));
        let Outcome::Acquired { lock: _lock, .. } = acquire(&map) else {
            panic!("the first lock")
        };
        assert!(
            matches!(acquire(&link), Outcome::HeldBy(_)),
            "the second is warned"
        );
    }

    #[test]
    fn a_planted_link_or_fifo_at_the_lock_path_is_named_and_never_followed_or_waited_on() {
        let (dir, map) = scratch();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, file_for(&map)).unwrap();
        let Outcome::Unavailable(why) = acquire(&map) else {
            panic!("a symlinked lock is not used")
        };
        assert!(why.contains("symbolic link"), "{why}");
        assert!(!why.contains("keeps changing"), "{why}");
        assert!(!target.exists(), "nothing written through the link");
        fs::remove_file(file_for(&map)).unwrap();
        assert!(
            std::process::Command::new("mkfifo")
                .arg(file_for(&map))
                .status()
                .unwrap()
                .success()
        );
        let Outcome::Unavailable(why) = acquire(&map) else {
            panic!("a FIFO is no lock")
        };
        assert!(why.contains("not a regular file"), "{why}");
    }
}
