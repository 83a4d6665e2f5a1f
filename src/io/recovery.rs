//! Recovery files: unsaved edits written to the user's data directory shortly after each
//! change, on SIGHUP and SIGTERM and on panic, so a dropped SSH link or a crash loses
//! nothing. A recovery file is a map file with two comment lines on top naming the map it
//! belongs to and when it was written, so it can be opened like any map.

use crate::model::map::Map;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Kept here for the callers that read a recovery file's time; it lives in `clock`.
pub use crate::io::clock::format_time;

/// Where recovery files live: `$VSMAP_DATA_DIR/recovery` when that is set (tests, portable
/// setups), else the platform's data directory for vsmap.
pub fn directory() -> Option<PathBuf> {
    let base = match std::env::var_os("VSMAP_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => directories::ProjectDirs::from("", "", "vsmap")?
            .data_dir()
            .to_path_buf(),
    };
    Some(base.join("recovery"))
}

/// The map's path made absolute, so the same map always has the same recovery file.
pub fn absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (
        absolute.parent().and_then(|p| p.canonicalize().ok()),
        absolute.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => absolute,
    }
}

/// The recovery file of a map.
pub fn file_for(map_path: &Path) -> Option<PathBuf> {
    let absolute = absolute(map_path);
    let key = crate::io::save::Fingerprint::of(absolute.as_os_str().as_encoded_bytes()).hash;
    let stem = map_path
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
    Some(directory()?.join(format!("{stem}-{key:016x}.ron")))
}

const HEADER_PATH: &str = "// vsmap recovery of: ";
const HEADER_TIME: &str = "// written at (unix seconds): ";

/// Writes the map's unsaved text as its recovery file, atomically.
pub fn write(map_path: &Path, text: &str) -> io::Result<PathBuf> {
    let file = file_for(map_path)
        .ok_or_else(|| io::Error::other("no data directory for recovery files"))?;
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir)?;
    }
    let now = crate::io::clock::now();
    let absolute = absolute(map_path);
    // A path with a newline would break the header; such paths are shown escaped.
    let shown = absolute.display().to_string().replace('\n', "\\n");
    let contents = format!("{HEADER_PATH}{shown}\n{HEADER_TIME}{now}\n{text}");
    crate::io::save::save_atomic(&file, &contents)?;
    Ok(file)
}

/// Removes the map's recovery file, if there is one.
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
    /// The map text without the header.
    pub text: String,
    pub map: Result<Map, String>,
}

fn read_file(file: &Path) -> Option<Recovered> {
    let text = crate::io::ron_text::read_text(file).ok()?;
    let mut lines = text.splitn(3, '\n');
    let original = lines.next()?.strip_prefix(HEADER_PATH)?.to_string();
    let written_at = lines
        .next()?
        .strip_prefix(HEADER_TIME)?
        .trim()
        .parse()
        .ok()?;
    let body = lines.next().unwrap_or("").to_string();
    let map = Map::from_text(&file.display().to_string(), &body).map_err(|e| e.to_string());
    Some(Recovered {
        file: file.to_path_buf(),
        original: PathBuf::from(original),
        written_at,
        text: body,
        map,
    })
}

/// The map's recovery file, when it holds something the file on disk does not: it was
/// written after the map was last changed on disk, and its text differs.
pub fn pending(map_path: &Path) -> Option<Recovered> {
    let recovered = read_file(&file_for(map_path)?)?;
    let on_disk = fs::read_to_string(map_path).ok();
    if on_disk.as_deref() == Some(recovered.text.as_str()) {
        return None;
    }
    let disk_time = fs::metadata(map_path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    match disk_time {
        Some(disk) if disk > recovered.written_at => None,
        _ => Some(recovered),
    }
}

/// Every recovery file, newest first.
pub fn list() -> Vec<Recovered> {
    directory().map_or_else(Vec::new, |dir| list_dir(&dir))
}

/// Every recovery file under a data directory (as `VSMAP_DATA_DIR` would name it).
pub fn list_in(data_dir: &Path) -> Vec<Recovered> {
    list_dir(&data_dir.join("recovery"))
}

fn list_dir(dir: &Path) -> Vec<Recovered> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Recovered> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter_map(|p| read_file(&p))
        .collect();
    found.sort_by(|a, b| {
        b.written_at
            .cmp(&a.written_at)
            .then_with(|| a.original.cmp(&b.original))
    });
    found
}

/// A free name beside the map for keeping a recovered copy: `name.recovered.ron`,
/// `name.recovered-2.ron`, ...
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
        .find(|p| !p.exists())
        .expect("some name is free")
}
