//! Recovery files: unsaved edits written to the user's state directory shortly after each
//! change, on SIGHUP and SIGTERM and on panic, so a dropped SSH link or a crash loses
//! nothing. A recovery file is a map file with comment lines on top naming the map it
//! belongs to, when and by which process it was written, and what the map file held when the
//! edits began, so it can be opened like any map.
//!
//! A recovery file is only ever deleted when its edits are saved or the user discards them:
//! it is offered whenever it exists (saying when the map changed on disk since), except
//! while the process that writes it is alive. The directory is the user's alone (0700), and
//! so is every file in it (0600).

use crate::io::save::Fingerprint;
use crate::model::map::Map;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Kept here for the callers that read a recovery file's time; it lives in `clock`.
pub use crate::io::clock::format_time;

/// Where recovery files live: `$VSMAP_DATA_DIR/recovery` when that is set (tests, portable
/// setups), else `$XDG_STATE_HOME/vsmap/recovery` (by default `~/.local/state/vsmap/
/// recovery`, where editors keep their swap files), or the platform's data directory where
/// there is no state directory.
pub fn directory() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("VSMAP_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("recovery"));
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
        .map(|d| d.join("vsmap"));
    let dirs = directories::ProjectDirs::from("", "", "vsmap");
    let base = state.or_else(|| {
        let dirs = dirs.as_ref()?;
        Some(dirs.state_dir().unwrap_or(dirs.data_dir()).to_path_buf())
    })?;
    Some(base.join("recovery"))
}

/// Where vsmap kept recovery files before they moved to the state directory: still read, so
/// an upgrade loses none. `None` when it is the same as `directory()` or overridden.
fn legacy_directory() -> Option<PathBuf> {
    if std::env::var_os("VSMAP_DATA_DIR").is_some_and(|d| !d.is_empty()) {
        return None;
    }
    let old = directories::ProjectDirs::from("", "", "vsmap")?
        .data_dir()
        .join("recovery");
    (Some(&old) != directory().as_ref()).then_some(old)
}

/// The directories searched for recovery files: the current one first.
fn directories_searched() -> Vec<PathBuf> {
    directory().into_iter().chain(legacy_directory()).collect()
}

/// Makes the recovery directory, the user's alone: 0700, also when an older vsmap made it
/// readable by others.
fn make_directory(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            crate::text::shown(&dir.display().to_string(), 200)
        )));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The map's path made absolute, so the same map always has the same recovery file (also
/// when it is opened through a symbolic link: the file the link leads to counts).
pub fn absolute(path: &Path) -> PathBuf {
    let path = &crate::io::save::resolve_links(path).unwrap_or_else(|_| path.to_path_buf());
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (
        absolute.parent().and_then(|p| p.canonicalize().ok()),
        absolute.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => absolute,
    }
}

/// The name every recovery file of a map starts with: the map's name and a hash of its
/// absolute path.
fn stem_for(map_path: &Path) -> String {
    let absolute = absolute(map_path);
    let key = Fingerprint::of(absolute.as_os_str().as_encoded_bytes()).hash;
    let stem = absolute
        .file_stem()
        .map_or_else(|| "map".into(), |s| s.to_string_lossy().into_owned());
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{stem}-{key:016x}")
}

/// The recovery file of a map, for the session that holds its lock.
pub fn file_for(map_path: &Path) -> Option<PathBuf> {
    Some(directory()?.join(format!("{}.ron", stem_for(map_path))))
}

/// The recovery file of a session that does not hold the map's lock (it was opened anyway,
/// or no lock could be made): its own, so it never overwrites a live session's.
pub fn file_for_process(map_path: &Path, pid: u32) -> Option<PathBuf> {
    Some(directory()?.join(format!("{}.p{pid}.ron", stem_for(map_path))))
}

const HEADER_PATH: &str = "// vsmap recovery of: ";
const HEADER_TIME: &str = "// written at (unix seconds): ";
const HEADER_WRITER: &str = "// written by: ";
const HEADER_BASE: &str = "// map on disk when the edits began: ";

/// Writes the map's unsaved text as its recovery file, atomically; for a map whose text on
/// disk is not known.
pub fn write(map_path: &Path, text: &str) -> io::Result<PathBuf> {
    let file = file_for(map_path)
        .ok_or_else(|| io::Error::other("no state directory for recovery files"))?;
    write_to(&file, map_path, text, None)?;
    Ok(file)
}

/// Writes the map's unsaved text to `file` (one of `file_for` and `file_for_process`),
/// atomically and readable by the user alone. `base` is what the map file held when the
/// edits began (`Some(None)`: there was no file), so a later offer can say whether the map
/// changed on disk since.
pub fn write_to(
    file: &Path,
    map_path: &Path,
    text: &str,
    base: Option<Option<Fingerprint>>,
) -> io::Result<()> {
    if let Some(dir) = file.parent() {
        make_directory(dir)?;
    }
    let now = crate::io::clock::now();
    let absolute = absolute(map_path);
    // A path with a newline would break the header; such paths are shown escaped.
    let shown = absolute.display().to_string().replace('\n', "\\n");
    let writer = format!(
        "host={} pid={}",
        crate::io::sys::hostname().replace(['\n', ' '], "_"),
        std::process::id()
    );
    let base = match base {
        None => "unknown".to_string(),
        Some(None) => "none".to_string(),
        Some(Some(print)) => format!("len={} hash={:016x}", print.len, print.hash),
    };
    let contents = format!(
        "{HEADER_PATH}{shown}\n{HEADER_TIME}{now}\n{HEADER_WRITER}{writer}\n{HEADER_BASE}{base}\n{text}"
    );
    crate::io::save::save_private(file, &contents)?;
    Ok(())
}

/// Removes the map's recovery file (of the session holding the lock), if there is one.
pub fn remove(map_path: &Path) {
    if let Some(file) = file_for(map_path) {
        let _ = fs::remove_file(file);
    }
}

/// A recovery file that was read back.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub file: PathBuf,
    /// The map it belongs to, as recorded in the file.
    pub original: PathBuf,
    pub written_at: u64,
    /// The process that wrote it (host, pid), when the file says.
    pub writer: Option<(String, u32)>,
    /// What the map file held when the edits began: `None` when the file does not say,
    /// `Some(None)` when there was no map file.
    pub base: Option<Option<Fingerprint>>,
    /// The map text without the header.
    pub text: String,
    pub map: Result<Map, String>,
    /// Whether the map file changed on disk after the edits began (set by `pending`).
    pub map_changed_since: bool,
}

impl Recovered {
    /// Whether the process that writes this file is running now (on this host, not us):
    /// its recovery file is part of a live session, never to be offered or deleted.
    pub fn writer_alive(&self) -> bool {
        self.writer.as_ref().is_some_and(|(host, pid)| {
            *pid != std::process::id()
                && *host == crate::io::sys::hostname().replace(['\n', ' '], "_")
                && crate::io::sys::process_alive(*pid)
        })
    }
}

/// Reads a recovery file back; `None` when it is not one.
pub fn read(file: &Path) -> Option<Recovered> {
    let text = crate::io::ron_text::read_text(file).ok()?;
    let mut rest = text.as_str();
    let mut line = |prefix: &str| -> Option<String> {
        let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let value = first.strip_prefix(prefix)?.to_string();
        rest = after;
        Some(value)
    };
    let original = line(HEADER_PATH)?;
    let written_at = line(HEADER_TIME)?.trim().parse().ok()?;
    // Files of older versions have neither line.
    let writer = line(HEADER_WRITER).and_then(|w| {
        let host = w.strip_prefix("host=")?.split(' ').next()?.to_string();
        let pid = w.split(" pid=").nth(1)?.trim().parse().ok()?;
        Some((host, pid))
    });
    let base = line(HEADER_BASE).and_then(|b| match b.trim() {
        "none" => Some(None),
        "unknown" => None,
        b => {
            let len = b.strip_prefix("len=")?.split(' ').next()?.parse().ok()?;
            let hash = u64::from_str_radix(b.split(" hash=").nth(1)?, 16).ok()?;
            Some(Some(Fingerprint { len, hash }))
        }
    });
    let body = rest.to_string();
    let map = Map::from_text(&file.display().to_string(), &body).map_err(|e| e.to_string());
    Some(Recovered {
        file: file.to_path_buf(),
        original: PathBuf::from(original),
        written_at,
        writer,
        base,
        text: body,
        map,
        map_changed_since: false,
    })
}

/// Whether the map file changed after the recovered edits began: by content when the
/// recovery file recorded it, else by the file's time (older recovery files).
fn changed_since(map_path: &Path, recovered: &Recovered) -> bool {
    match recovered.base {
        Some(base) => crate::io::save::fingerprint(map_path).ok().flatten() != base,
        None => fs::metadata(map_path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .is_some_and(|d| d.as_secs() > recovered.written_at),
    }
}

/// The map's recovery file to offer, whenever there is one, newest first: the lock
/// holder's or one a session without the lock left. A file whose writer is alive belongs to
/// a running session and is never returned. `map_changed_since` says whether the map
/// changed on disk since the edits began.
pub fn pending(map_path: &Path) -> Option<Recovered> {
    let stem = stem_for(map_path);
    let mut found: Vec<Recovered> = directories_searched()
        .iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name == format!("{stem}.ron")
                || name
                    .strip_prefix(&format!("{stem}.p"))
                    .and_then(|rest| rest.strip_suffix(".ron"))
                    .is_some_and(|pid| pid.parse::<u32>().is_ok())
        })
        .filter_map(|entry| read(&entry.path()))
        .filter(|recovered| !recovered.writer_alive())
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.written_at));
    let mut recovered = found.into_iter().next()?;
    recovered.map_changed_since = changed_since(map_path, &recovered);
    Some(recovered)
}

/// Whether the recovered text is what the map file holds now: its edits are saved.
pub fn is_saved(map_path: &Path, recovered: &Recovered) -> bool {
    crate::io::save::fingerprint(map_path)
        .ok()
        .flatten()
        .is_some_and(|now| now == Fingerprint::of(recovered.text.as_bytes()))
}

/// Every recovery file, newest first.
pub fn list() -> Vec<Recovered> {
    let mut found: Vec<Recovered> = directories_searched()
        .iter()
        .flat_map(|dir| list_dir(dir))
        .collect();
    sort_newest_first(&mut found);
    found
}

/// Every recovery file under a data directory (as `VSMAP_DATA_DIR` would name it).
pub fn list_in(data_dir: &Path) -> Vec<Recovered> {
    list_dir(&data_dir.join("recovery"))
}

fn sort_newest_first(found: &mut [Recovered]) {
    found.sort_by(|a, b| {
        b.written_at
            .cmp(&a.written_at)
            .then_with(|| a.original.cmp(&b.original))
    });
}

fn list_dir(dir: &Path) -> Vec<Recovered> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Recovered> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter_map(|p| read(&p))
        .collect();
    sort_newest_first(&mut found);
    found
}

/// A free name beside the map for keeping a recovered copy: `name.recovered.ron`,
/// `name.recovered-2.ron`, ... A name held by anything, a dangling link too, is taken.
pub fn sibling_name(map_path: &Path) -> PathBuf {
    let stem = map_path
        .file_stem()
        .map_or_else(|| "map".into(), |s| s.to_string_lossy().into_owned());
    let dir = map_path.parent().unwrap_or(Path::new(""));
    (1..)
        .map(|n| {
            if n == 1 {
                dir.join(format!("{stem}.recovered.ron"))
            } else {
                dir.join(format!("{stem}.recovered-{n}.ron"))
            }
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .expect("some name is free")
}

/// Writes a recovered text beside the map at a free name, never through a link planted at
/// that name; returns where. The copy gets the map's permissions (0600 when there is no map).
pub fn keep_beside(map_path: &Path, text: &str) -> io::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(map_path).map_or(0o600, |m| m.permissions().mode() & 0o777);
    let mut last = None;
    for _ in 0..8 {
        let aside = sibling_name(map_path);
        match crate::io::save::save_new(&aside, text, mode) {
            Ok(_) => return Ok(aside),
            // Taken between looking and writing: the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free name beside the map")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.ron");
        let map = dir.path().join("m.ron");
        let base = Fingerprint::of(b"old");
        // Written to a path of our choosing, as write_to does, without the env.
        make_directory(dir.path()).unwrap();
        let contents = format!(
            "{HEADER_PATH}{}\n{HEADER_TIME}5\n{HEADER_WRITER}host=h pid=42\n{HEADER_BASE}len={} hash={:016x}\nMap(title: \"t\")\n",
            map.display(),
            base.len,
            base.hash
        );
        fs::write(&file, contents).unwrap();
        let read = read(&file).unwrap();
        assert_eq!(read.writer, Some(("h".into(), 42)));
        assert_eq!(read.base, Some(Some(base)));
        assert_eq!(read.written_at, 5);
        assert!(read.text.starts_with("Map("), "{}", read.text);
    }
}
