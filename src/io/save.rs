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

/// The fingerprint of the file now, or `None` when there is no file.
pub fn fingerprint(path: &Path) -> io::Result<Option<Fingerprint>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(Fingerprint::of(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
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

/// Saves `text` to `path` atomically and returns the fingerprint of what is now on disk.
/// On error the old file is untouched and no temporary file is left behind.
pub fn save_atomic(path: &Path, text: &str) -> io::Result<Fingerprint> {
    let target = resolve_links(path)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the directory {} does not exist", dir.display()),
        ));
    }
    let name = target
        .file_name()
        .map_or_else(|| "map".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(
        ".{name}.{}.{}.vsmap-tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let existing = fs::metadata(&target).ok();
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.flush()?;
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
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
