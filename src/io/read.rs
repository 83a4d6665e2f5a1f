//! Reading a file that may be hostile: only a regular file, never more than a limit, and
//! never waiting. Every read of a map, a chain, a lock or a fingerprint goes through here, so
//! a FIFO, a device or a link to `/dev/zero` put where a map was is refused with a message at
//! open, at save and at reload alike.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Files larger than this are refused before reading: a map of 100,000 steps is about
/// 15 MB, so this leaves room while keeping memory bounded on hostile input.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Says what went wrong with a file system call, without Rust's "(os error 2)" noise.
pub fn io_message(error: &io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    Directory,
    /// A FIFO, a device or a socket.
    NotRegular,
    /// The file is this many bytes (or more), over the limit.
    TooBig(u64),
    /// Opened without following links, and the name is a symbolic link.
    Link,
}

impl ReadError {
    /// What went wrong, for a message that names the file (`path` is only looked at for a
    /// missing file, to say whether the directory is missing too).
    pub fn message(&self, path: &Path, limit: u64) -> String {
        match self {
            ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound => missing(path),
            ReadError::Io(e) => io_message(e),
            ReadError::Directory => "is a directory, not a file".into(),
            ReadError::NotRegular => "is not a regular file (a device, pipe or socket?)".into(),
            ReadError::TooBig(bytes) => format!(
                "is {bytes} bytes; vsmap reads files up to {} MB ({limit} bytes)",
                limit / 1024 / 1024
            ),
            ReadError::Link => "is a symbolic link; vsmap does not follow it here".into(),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

impl From<ReadError> for io::Error {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Io(e) => e,
            other => io::Error::other(other.message(Path::new(""), MAX_FILE_BYTES)),
        }
    }
}

/// "no such file", or that the directory it would be in is missing too.
pub fn missing(path: &Path) -> String {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => format!(
            "no such file: the directory {} does not exist",
            crate::text::shown(&dir.display().to_string(), 200)
        ),
        _ => "no such file".into(),
    }
}

/// Only regular files of a readable size are read.
pub fn check_kind(metadata: &Metadata, limit: u64) -> Result<(), ReadError> {
    if metadata.is_dir() {
        return Err(ReadError::Directory);
    }
    if metadata.file_type().is_symlink() {
        return Err(ReadError::Link);
    }
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooBig(metadata.len()));
    }
    Ok(())
}

/// Opens a regular file for reading without waiting: looked at before opening (opening a
/// FIFO would wait for a writer), opened non-blocking in case the name was swapped in
/// between, and looked at again on the open file. With `follow_links` false a symbolic link
/// is refused, not followed.
pub fn open_regular(path: &Path, limit: u64, follow_links: bool) -> Result<File, ReadError> {
    let before = if follow_links {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    check_kind(&before, limit)?;
    let mut flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
    if !follow_links {
        flags |= rustix::fs::OFlags::NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
        .map_err(|e| {
            // O_NOFOLLOW on a link fails with ELOOP.
            if !follow_links && e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
                ReadError::Link
            } else {
                ReadError::Io(e)
            }
        })?;
    check_kind(&file.metadata()?, limit)?;
    Ok(file)
}

/// The whole of a regular file, refused when it is more than `limit` bytes (a file that
/// grows while it is read, or claims a wrong size, is cut off and refused too).
pub fn regular_file(path: &Path, limit: u64, follow_links: bool) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path, limit, follow_links)?;
    // Room for the whole file and one byte more, to see the end without growing the buffer
    // (growing doubles it: 64 MiB for a 39 MB map).
    let size = file.metadata()?.len().min(limit);
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_under_the_limit_are_read_and_nothing_waits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.ron");
        std::fs::write(&file, "abc").unwrap();
        assert_eq!(regular_file(&file, 3, true).unwrap(), b"abc");
        assert!(matches!(
            regular_file(&file, 2, true),
            Err(ReadError::TooBig(3))
        ));
        assert!(matches!(
            regular_file(dir.path(), 9, true),
            Err(ReadError::Directory)
        ));
        // A FIFO is refused at once: no writer is waited for.
        let fifo = dir.path().join("fifo.ron");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(matches!(
            regular_file(&fifo, 9, true),
            Err(ReadError::NotRegular)
        ));
        // A link to /dev/zero: a device, refused before a byte is read.
        let zero = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            regular_file(&zero, 9, true),
            Err(ReadError::NotRegular)
        ));
        // Not following links: a link to a good file is refused too.
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(matches!(
            regular_file(&link, 9, false),
            Err(ReadError::Link)
        ));
        assert_eq!(regular_file(&link, 9, true).unwrap(), b"abc");
    }

    #[test]
    fn a_missing_directory_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let error = regular_file(&dir.path().join("gone/m.ron"), 9, true).unwrap_err();
        assert!(error.is_not_found());
        let message = error.message(&dir.path().join("gone/m.ron"), 9);
        assert!(
            message.contains("the directory") && message.contains("gone"),
            "{message}"
        );
        let message = regular_file(&dir.path().join("m.ron"), 9, true)
            .unwrap_err()
            .message(&dir.path().join("m.ron"), 9);
        assert_eq!(message, "no such file");
    }
}
