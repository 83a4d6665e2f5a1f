//! Writing a map so that nothing is ever half written: a temporary file in the same
//! directory, flushed and synced, renamed over the target, and the directory synced. The old
//! file survives any failure; permissions are kept and a symlinked map is saved through the
//! link. A fingerprint of what is on disk lets the editor notice changes made underneath it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a file held when vsmap last read or wrote it. Content decides, not the clock: a
/// `touch` is not a change, an edit that keeps the size is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            len: bytes.len() as u64,
            hash: fnv1a(bytes),
        }
    }
}

/// FNV-1a: cheap, stable, and plenty to tell two versions of a map apart (not a security check).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The fingerprint of the file now, or `None` when there is no file. Read as every map is
/// read: a FIFO, a device (a link to `/dev/zero`) or a file over the size limit is an error,
/// never waited on or read without end.
pub fn fingerprint(path: &Path) -> io::Result<Option<Fingerprint>> {
    use crate::io::read::{MAX_FILE_BYTES, regular_file};
    match regular_file(path, MAX_FILE_BYTES, true) {
        Ok(bytes) => Ok(Some(Fingerprint::of(&bytes))),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(io::Error::other(e.message(path, MAX_FILE_BYTES))),
    }
}

/// Whether the file is marked read-only: its mode lets no one write it (root could, and a
/// save replaces it by renaming all the same, so the user is asked first).
pub fn read_only(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o222 == 0)
}

/// Follows symlinks to the file they name, so saving replaces the target, not the link.
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// How many temporary names a save tries before giving up: a name is only taken when
/// something else was put there (a planted file or link), which is worth saying.
const TEMP_TRIES: u32 = 16;

/// A new file that did not exist, created without following a link at its name
/// (`O_CREAT | O_EXCL`, and `O_NOFOLLOW` for good measure) and with `mode` from the first
/// moment (the umask may narrow it, never widen it).
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// The permission bits a saved file must keep: the map's own when it exists. A new file
/// gets none, so it is made 0666 narrowed by the umask, as any other program's would be.
fn mode_of(existing: Option<&fs::Metadata>) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    existing.map(|meta| meta.permissions().mode() & 0o7777)
}

/// The directory a file is in, `.` for a bare name; an error that names it when it is missing.
fn directory_of(target: &Path) -> io::Result<PathBuf> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the directory {} does not exist",
                crate::text::shown(&dir.display().to_string(), 200)
            ),
        ));
    }
    Ok(dir)
}

/// Writes `text` to a new temporary file beside `target` (with `exact` permission bits
/// from the start, else 0666 narrowed by the umask), flushed and synced; returns its name.
/// On error nothing is left behind.
fn write_temporary(dir: &Path, name: &str, text: &str, exact: Option<u32>) -> io::Result<PathBuf> {
    for _ in 0..TEMP_TRIES {
        let temp = dir.join(format!(
            ".{name}.{}.{}.vsmap-tmp",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut file = match create_new(&temp, exact.unwrap_or(0o666)) {
            Ok(file) => file,
            // Something sits at this name: a leftover or a planted file or link. Never
            // write through it; take the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = (|| {
            file.write_all(text.as_bytes())?;
            file.flush()?;
            // The exact bits, which the umask may have narrowed at creation.
            if let Some(mode) = exact {
                file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))?;
            }
            file.sync_all()
        })();
        return match written {
            Ok(()) => Ok(temp),
            Err(e) => {
                let _ = fs::remove_file(&temp);
                Err(e)
            }
        };
    }
    Err(io::Error::other(format!(
        "{TEMP_TRIES} temporary names beside the map are taken by other files (.{}.*.vsmap-tmp); \
         remove them or save elsewhere",
        crate::text::shown(name, 200)
    )))
}

/// Saves `text` to `path` atomically and returns the fingerprint of what is now on disk.
/// On error the old file is untouched and no temporary file is left behind. Only a regular
/// file is replaced: a FIFO, a device or a directory at the name (or at the end of its
/// links) is refused.
pub fn save_atomic(path: &Path, text: &str) -> io::Result<Fingerprint> {
    save_with_mode(path, text, None)
}

/// Saves as `save_atomic` does, readable and writable by the user alone (0600) whatever the
/// file was: for recovery files.
pub fn save_private(path: &Path, text: &str) -> io::Result<Fingerprint> {
    save_with_mode(path, text, Some(0o600))
}

fn save_with_mode(path: &Path, text: &str, mode: Option<u32>) -> io::Result<Fingerprint> {
    let target = resolve_links(path)?;
    let dir = directory_of(&target)?;
    let name = target
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    let existing = match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta),
        Ok(meta) => {
            let what = if meta.is_dir() {
                "is a directory"
            } else {
                "is not a regular file (a device, pipe or socket?)"
            };
            return Err(io::Error::other(format!(
                "{} {what}; vsmap saves only over a regular file",
                crate::text::shown(&target.display().to_string(), 200)
            )));
        }
        Err(_) => None,
    };
    let exact = mode.or_else(|| mode_of(existing.as_ref()));
    let temp = write_temporary(&dir, &name, text, exact)?;
    let result = (|| {
        fs::rename(&temp, &target)?;
        // The rename itself must reach the disk, or a crash could bring back the old name.
        File::open(&dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    if result.is_ok() {
        remove_orphaned_temporaries(&dir, &name);
    }
    result.map(|()| Fingerprint::of(text.as_bytes()))
}

/// Saves `text` as a new file at `path`, which must not exist: not even as a link, dangling
/// or not. Whole or not at all, as `save_atomic`; for names vsmap picks itself (a recovered
/// copy kept beside the map), where following a planted link would write elsewhere.
pub fn save_new(path: &Path, text: &str, mode: u32) -> io::Result<Fingerprint> {
    let dir = directory_of(path)?;
    let name = path
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    let temp = write_temporary(&dir, &name, text, Some(mode))?;
    // A hard link never follows a link at its new name and fails when the name is taken:
    // the file appears whole, at that name, or not at all.
    let linked = match fs::hard_link(&temp, path) {
        // A file system without hard links: the name is checked (a link counts as taken)
        // and the file renamed there, which replaces a name and never follows it.
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => match fs::symlink_metadata(path) {
            Ok(_) => Err(io::Error::from(io::ErrorKind::AlreadyExists)),
            Err(_) => fs::rename(&temp, path),
        },
        other => other,
    };
    let result = linked.and_then(|()| File::open(&dir)?.sync_all());
    let _ = fs::remove_file(&temp);
    result.map(|()| Fingerprint::of(text.as_bytes()))
}

/// A save killed mid-write (SIGKILL, power loss) leaves its temporary file behind; the next
/// save of the same map clears those whose process is gone.
fn remove_orphaned_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".vsmap-tmp"))
        else {
            continue;
        };
        let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !crate::io::sys::process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A scratch directory, deleted on drop.
    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".vsmap-tmp"))
            .collect()
    }

    #[test]
    fn saves_and_keeps_permissions() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        let print = save_atomic(&file, "new text").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new text");
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(Some(print), fingerprint(&file).unwrap());
        assert!(leftovers(dir).is_empty());
    }

    /// A new map is made as any program's new file is: 0666 narrowed by the umask, never
    /// wider (it was once forced to 0666, world-writable under umask 022).
    #[test]
    fn a_new_map_honours_the_umask() {
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        let temp = scratch();
        let file = temp.path().join("new.ron");
        save_atomic(&file, "text").unwrap();
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o666 & !umask
        );
    }

    #[test]
    fn a_symlinked_map_is_saved_through_the_link() {
        let temp = scratch();
        let dir = temp.path();
        fs::create_dir(dir.join("real")).unwrap();
        let real = dir.join("real/m.ron");
        fs::write(&real, "old").unwrap();
        let link = dir.join("link.ron");
        std::os::unix::fs::symlink("real/m.ron", &link).unwrap();
        save_atomic(&link, "through the link").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link stays a link"
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "through the link");
    }

    #[test]
    fn a_failed_save_leaves_the_old_file_and_no_temporary() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o500)).unwrap();
        let denied = save_atomic(&file, "new");
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).unwrap();
        // Root may write anyway; where it may not, the old file must be whole.
        if denied.is_err() {
            assert_eq!(fs::read_to_string(&file).unwrap(), "old");
        }
        assert!(leftovers(dir).is_empty());
        let gone = save_atomic(&dir.join("no/such/dir/m.ron"), "new").unwrap_err();
        assert!(gone.to_string().contains("does not exist"), "{gone}");
    }

    #[test]
    fn the_temporary_file_has_the_maps_mode_from_the_first_byte() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
        // The temporary file as it is created, before a byte is written.
        let created = create_new(
            &dir.join(".probe"),
            mode_of(fs::metadata(&file).ok().as_ref()).unwrap(),
        )
        .unwrap();
        assert_eq!(created.metadata().unwrap().permissions().mode() & 0o077, 0);
        drop(created);
        fs::remove_file(dir.join(".probe")).unwrap();
        // A big save, watched from another thread: no temporary is ever readable by others.
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = {
            let (dir, done) = (dir.to_path_buf(), std::sync::Arc::clone(&done));
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                while !done.load(Ordering::SeqCst) {
                    for entry in fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
                        if entry.file_name().to_string_lossy().ends_with(".vsmap-tmp")
                            && let Ok(meta) = entry.metadata()
                        {
                            seen.push(meta.permissions().mode() & 0o777);
                        }
                    }
                }
                seen
            })
        };
        for _ in 0..20 {
            save_atomic(&file, &"x".repeat(1 << 20)).unwrap();
        }
        done.store(true, Ordering::SeqCst);
        let seen = watcher.join().unwrap();
        assert!(seen.iter().all(|mode| mode & 0o077 == 0), "{seen:?}");
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_planted_temporary_name_is_stepped_over_not_written_through() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        let victim = dir.join("victim");
        fs::write(&victim, "untouched").unwrap();
        // Links planted at the next temporary names this process would pick.
        let next = TEMP_COUNTER.load(Ordering::SeqCst);
        for n in next..next + 4 {
            let planted = dir.join(format!(".m.ron.{}.{n}.vsmap-tmp", std::process::id()));
            std::os::unix::fs::symlink(&victim, planted).unwrap();
        }
        save_atomic(&file, "saved").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "saved");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched");
    }

    #[test]
    fn a_new_file_is_never_written_through_a_planted_link() {
        let temp = scratch();
        let dir = temp.path();
        let target = dir.join("attacker-target");
        let aside = dir.join("m.recovered.ron");
        std::os::unix::fs::symlink(&target, &aside).unwrap();
        let refused = save_new(&aside, "the victim's edits", 0o600).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        assert!(!target.exists(), "nothing was written through the link");
        let fresh = dir.join("m.recovered-2.ron");
        save_new(&fresh, "kept", 0o600).unwrap();
        assert_eq!(fs::read_to_string(&fresh).unwrap(), "kept");
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(leftovers(dir).is_empty());
    }

    #[test]
    fn a_map_replaced_by_a_device_or_fifo_is_neither_read_nor_saved_over() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
        let error = fingerprint(&file).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = save_atomic(&file, "x").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let fifo = dir.join("f.ron");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(fingerprint(&fifo).is_err(), "refused, not waited on");
        assert!(save_atomic(&fifo, "x").is_err());
        assert!(leftovers(dir).is_empty());
    }

    #[test]
    fn fingerprints_follow_content_not_time() {
        let temp = scratch();
        let dir = temp.path();
        let file = dir.join("m.ron");
        assert_eq!(fingerprint(&file).unwrap(), None);
        fs::write(&file, "abc").unwrap();
        let first = fingerprint(&file).unwrap();
        fs::write(&file, "abc").unwrap();
        assert_eq!(fingerprint(&file).unwrap(), first);
        fs::write(&file, "abd").unwrap();
        assert_ne!(fingerprint(&file).unwrap(), first);
    }
}
