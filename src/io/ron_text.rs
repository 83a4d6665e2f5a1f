//! Reading RON texts (maps and chains) into values, with errors a facilitator can act on:
//! which file, which line and column, what was expected.

use crate::io::source::Position;
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::Path;

pub use crate::io::read::{MAX_FILE_BYTES, io_message};

/// A file that could not be read or understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub position: Option<Position>,
    pub message: String,
}

impl FileError {
    pub fn new(path: &str, position: Option<Position>, message: impl Into<String>) -> Self {
        FileError {
            path: path.to_string(),
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name may hold control characters too; they are shown, not obeyed.
        let path = crate::text::shown(&self.path, SHOWN_NAME_CHARS);
        match self.position {
            Some(position) => write!(f, "{path}:{position}: error: {}", self.message),
            None => write!(f, "{path}: error: {}", self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// How much of a name from the file (a field, an activity) an error message quotes.
const SHOWN_NAME_CHARS: usize = 80;

/// Reads a whole file as UTF-8 text, refusing directories, devices, FIFOs, huge files and
/// invalid UTF-8 with a message that says which.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    let name = path.display().to_string();
    let bytes = crate::io::read::regular_file(path, MAX_FILE_BYTES, true)
        .map_err(|e| FileError::new(&name, None, e.message(path, MAX_FILE_BYTES)))?;
    text_from_bytes(&name, bytes)
}

/// UTF-8 text from bytes, or an error at the first invalid byte.
pub fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<String, FileError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid_up_to]).into_owned();
        FileError::new(
            name,
            Some(Position::of_offset(&text, valid_up_to)),
            "the file is not valid UTF-8 text here",
        )
    })
}

/// Parses a RON text into `T`. `Some(5)` and a bare `5` are both accepted for optional
/// values, so hand-written files need not spell out `Some`.
pub fn parse<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, FileError> {
    if let Some(offset) = text.find('\0') {
        return Err(FileError::new(
            name,
            Some(Position::of_offset(text, offset)),
            "the file contains a NUL byte; it is not a RON text",
        ));
    }
    if text.starts_with('\u{feff}') {
        return Err(FileError::new(
            name,
            Some(Position::START),
            "the file starts with a byte order mark (U+FEFF); save it as UTF-8 without one",
        ));
    }
    if text.trim().is_empty() {
        return Err(FileError::new(
            name,
            Some(Position::START),
            "the file is empty",
        ));
    }
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            // ron may quote the file's own text; it is shown escaped and cut.
            let message = crate::text::shown(&describe(&e.code), MAX_MESSAGE_CHARS);
            FileError::new(name, Some(position_of(text, &e.span)), message)
        })
}

/// Longest message about a file's content: the names it quotes are cut well before this.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Where ron's error starts, moved past white space so it points at the offending value.
fn position_of(text: &str, span: &ron::error::Span) -> Position {
    let start = Position {
        line: span.start.line.max(1),
        col: span.start.col.max(1),
    };
    let Some(line) = text.lines().nth(start.line - 1) else {
        return start;
    };
    let skipped = line
        .chars()
        .skip(start.col - 1)
        .take_while(|c| c.is_whitespace())
        .count();
    if start.col - 1 + skipped < line.chars().count() {
        Position {
            col: start.col + skipped,
            ..start
        }
    } else {
        start
    }
}

/// ron's own messages, reworded where they would puzzle someone who is not a Rust programmer.
fn describe(error: &ron::Error) -> String {
    use ron::Error as E;
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Names from the file can be a megabyte long.
    let cut = |name: &str| crate::text::shown(name, SHOWN_NAME_CHARS);
    let within = |outer: &Option<String>| {
        outer
            .as_ref()
            .map(|o| format!(" in `{}`", cut(o)))
            .unwrap_or_default()
    };
    match error {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{}`{}; expected one of {}",
            cut(found),
            within(outer),
            list(expected)
        ),
        E::MissingStructField { field, outer } => {
            format!("missing field `{field}`{}", within(outer))
        }
        E::DuplicateStructField { field, outer } => {
            format!("the field `{field}` is given twice{}", within(outer))
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown {} `{}`; expected one of {}",
            outer
                .as_deref()
                .map(str::to_lowercase)
                .unwrap_or_else(|| "name".into()),
            cut(found),
            list(expected)
        ),
        E::InvalidValueForType { expected, found } => {
            format!("expected {expected}, found {}", cut(found))
        }
        E::ExpectedDifferentStructName { expected, found } => {
            format!("expected `{expected}(...)`, found `{}(...)`", cut(found))
        }
        E::ExpectedIdentifier => "expected a name here (such as `Step` or `Engage`)".into(),
        E::ExpectedInteger => "expected a whole number".into(),
        E::ExpectedString => "expected a text in double quotes".into(),
        E::ExpectedArray => "expected a list in `[...]`".into(),
        E::ExpectedOption => "expected `Some(...)` or `None`".into(),
        E::ExpectedBoolean => "expected `true` or `false`".into(),
        E::IntegerOutOfBounds => "this number is out of range (negative or too large)".into(),
        E::ExceededRecursionLimit => "the file nests values too deeply".into(),
        E::Eof => "the file ends too early; a closing bracket or parenthesis is missing".into(),
        E::TrailingCharacters => "unexpected text after the end of the value".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}
