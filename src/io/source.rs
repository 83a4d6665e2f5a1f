//! Positions in a RON text. serde gives values without positions, so after a file has
//! parsed we read its outline (where each struct field and list item starts) to point
//! diagnostics at the step's or flow's own line.

use rustc_hash::FxHashMap;
use std::cell::{OnceCell, RefCell};
use std::fmt;
use std::rc::Rc;

/// A place in a text: 1-based line, 1-based column counted in characters (as ron does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, col: 1 };

    /// The position of a byte offset in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.bytes().filter(|&b| b == b'\n').count() + 1,
            col: before[line_start..].chars().count() + 1,
        }
    }
}

/// Line starts of a text, so many offsets can be turned into positions cheaply. They are
/// found the first time a position is asked for: a file without findings never needs them.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Four bytes a line: a big map's lines are hundreds of thousands, and a report places
    /// its findings at the peak of a check's memory.
    starts: OnceCell<Vec<u32>>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            starts: OnceCell::new(),
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        if u32::try_from(self.text.len()).is_err() {
            // No file is read that is this long (`io::read::MAX_FILE_BYTES`).
            return Position::of_offset(self.text, offset);
        }
        let starts = self.starts.get_or_init(|| line_starts(self.text));
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = starts.partition_point(|&start| start as usize <= offset) - 1;
        Position {
            line: line + 1,
            col: self.text[starts[line] as usize..offset].chars().count() + 1,
        }
    }
}

/// 0 and the offsets just after each newline. `match_indices` finds each newline with
/// `memchr` rather than looking at the text byte by byte: a big map is tens of megabytes.
/// The text is shorter than 4 GiB.
fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
    starts
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A step along the way to a value: a struct field by name or a list item by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Field(&'a str),
    Item(usize),
}

/// Where each value of a RON text starts. serde has already read the whole text, so this
/// reads only what a path goes through, the first time one does: the top level, the list
/// the path names, the one item. A check with no findings reads nothing, and one with
/// thousands reads each list once.
#[derive(Debug)]
pub struct Outline<'t> {
    text: &'t str,
    root: usize,
    /// The fields and items of each value read so far, by the value's offset; `None` for a
    /// value that is not a list or struct, or is not understood.
    parts: RefCell<FxHashMap<usize, Option<Rc<Parts<'t>>>>>,
}

/// Where the fields and items of one list or struct start.
#[derive(Debug, Default)]
struct Parts<'t> {
    fields: Vec<(&'t str, usize)>,
    items: Vec<usize>,
}

impl<'t> Outline<'t> {
    /// The outline of a text that ron has already accepted. Returns `None` where the text
    /// is not understood, so callers fall back to a coarser position.
    pub fn parse(text: &'t str) -> Option<Outline<'t>> {
        let mut reader = Reader::new(text, 0);
        reader.skip_trivia();
        if reader.text[reader.at..].starts_with(b"#!") {
            reader.at += 2;
            reader.value(0)?;
            reader.skip_trivia();
        }
        reader.peek()?;
        Some(Outline {
            text,
            root: reader.at,
            parts: RefCell::default(),
        })
    }

    /// The byte offset where the value at `path` starts.
    pub fn offset(&self, path: &[Key]) -> Option<usize> {
        let mut offset = self.root;
        for key in path {
            let parts = self.parts_at(offset)?;
            offset = match key {
                Key::Field(name) => parts
                    .fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, o)| *o),
                Key::Item(index) => parts.items.get(*index).copied(),
            }?;
        }
        Some(offset)
    }

    /// The position of the value at `path`, or of the nearest enclosing value found.
    pub fn position(&self, lines: &LineIndex, path: &[Key]) -> Position {
        (0..=path.len())
            .rev()
            .find_map(|len| self.offset(&path[..len]))
            .map_or(Position::START, |offset| lines.position(offset))
    }

    fn parts_at(&self, offset: usize) -> Option<Rc<Parts<'t>>> {
        if let Some(known) = self.parts.borrow().get(&offset) {
            return known.clone();
        }
        let mut reader = Reader::new(self.text, offset);
        let parts = reader.parts().map(Rc::new);
        let mut known = self.parts.borrow_mut();
        known.insert(offset, parts.clone());
        for (list, items) in reader.lists {
            known.insert(list, Some(Rc::new(items)));
        }
        parts
    }
}

/// Deep enough for any real file; deeper input is refused instead of overflowing the stack.
const MAX_DEPTH: usize = 256;

struct Reader<'t> {
    source: &'t str,
    text: &'t [u8],
    at: usize,
    /// The items of the lists that are fields of the struct read by `parts`, by the lists'
    /// offsets: read on the way, so the map's `steps` and `flows` are not read again.
    lists: Vec<(usize, Parts<'t>)>,
}

impl<'t> Reader<'t> {
    fn new(source: &'t str, at: usize) -> Self {
        Reader {
            source,
            text: source.as_bytes(),
            at,
            lists: Vec::new(),
        }
    }

    /// The fields and items of the list or struct at the reader, each value skipped over.
    fn parts(&mut self) -> Option<Parts<'t>> {
        let mut parts = Parts::default();
        match self.peek()? {
            b'[' => {
                self.at += 1;
                self.sequence(&mut parts, b']')?;
            }
            b'(' => {
                self.at += 1;
                self.struct_body(&mut parts)?;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.identifier();
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.at += 1;
                    self.struct_body(&mut parts)?;
                }
            }
            _ => {}
        }
        Some(parts)
    }
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.at += 1,
                Some(b'/') if self.text.get(self.at + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        self.at += 1;
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                Some(b'/') if self.text.get(self.at + 1) == Some(&b'*') => {
                    self.at += 2;
                    let mut depth = 1;
                    while depth > 0 && self.at < self.text.len() {
                        if self.text[self.at..].starts_with(b"/*") {
                            depth += 1;
                            self.at += 2;
                        } else if self.text[self.at..].starts_with(b"*/") {
                            depth -= 1;
                            self.at += 2;
                        } else {
                            self.at += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips over one value.
    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        match self.peek()? {
            b'[' => {
                self.at += 1;
                self.skip_sequence(b']', depth)?;
            }
            b'{' => {
                self.at += 1;
                self.map_body(depth)?;
            }
            b'(' => {
                self.at += 1;
                self.skip_struct_body(depth)?;
            }
            b'"' => self.string(0)?,
            b'\'' => self.char_literal()?,
            b'r' | b'b' if self.raw_or_byte_string()? => {}
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.identifier();
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.at += 1;
                    self.skip_struct_body(depth)?;
                }
            }
            _ => {
                // Numbers and other atoms run to the next delimiter.
                while let Some(c) = self.peek() {
                    if c.is_ascii_whitespace() || b",)]}:".contains(&c) {
                        break;
                    }
                    self.at += 1;
                }
            }
        }
        Some(())
    }

    /// Where the next value starts.
    fn value_start(&mut self) -> usize {
        self.skip_trivia();
        self.at
    }

    fn identifier(&mut self) {
        if self.text[self.at..].starts_with(b"r#") {
            self.at += 2;
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn sequence(&mut self, parts: &mut Parts<'t>, close: u8) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == close {
                self.at += 1;
                return Some(());
            }
            parts.items.push(self.value_start());
            self.value(1)?;
            self.after_element(close)?;
        }
    }

    fn skip_sequence(&mut self, close: u8, depth: usize) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == close {
                self.at += 1;
                return Some(());
            }
            self.value(depth + 1)?;
            self.after_element(close)?;
        }
    }

    fn map_body(&mut self, depth: usize) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == b'}' {
                self.at += 1;
                return Some(());
            }
            self.value(depth + 1)?;
            self.skip_trivia();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.value(depth + 1)?;
            self.after_element(b'}')?;
        }
    }

    fn struct_body(&mut self, parts: &mut Parts<'t>) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == b')' {
                self.at += 1;
                return Some(());
            }
            let named = self.field_name();
            let start = self.value_start();
            match named {
                Some(name) => parts.fields.push((name, start)),
                None => parts.items.push(start),
            }
            if named.is_some() && self.peek() == Some(b'[') {
                self.at += 1;
                let mut items = Parts::default();
                self.sequence(&mut items, b']')?;
                self.lists.push((start, items));
            } else {
                self.value(1)?;
            }
            self.after_element(b')')?;
        }
    }

    fn skip_struct_body(&mut self, depth: usize) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == b')' {
                self.at += 1;
                return Some(());
            }
            self.field_name();
            self.value(depth + 1)?;
            self.after_element(b')')?;
        }
    }

    /// Consumes `name:` when the next thing is a field name; otherwise leaves the text alone.
    fn field_name(&mut self) -> Option<&'t str> {
        let start = self.at;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        self.identifier();
        // An identifier starts with an ASCII letter and stops before an ASCII byte.
        let name = &self.source[start..self.at];
        self.skip_trivia();
        if self.peek() == Some(b':') && self.text.get(self.at + 1) != Some(&b':') {
            self.at += 1;
            Some(name.strip_prefix("r#").unwrap_or(name))
        } else {
            self.at = start;
            None
        }
    }

    fn after_element(&mut self, close: u8) -> Option<()> {
        self.skip_trivia();
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(())
            }
            c if c == close => Some(()),
            _ => None,
        }
    }

    /// A quoted string; `hashes` is the number of `#` of a raw string (escapes off).
    fn string(&mut self, hashes: usize) -> Option<()> {
        self.at += 1; // opening quote
        loop {
            match self.peek()? {
                b'\\' if hashes == 0 => self.at += 2,
                b'"' => {
                    self.at += 1;
                    let closing = self.text.get(self.at..self.at + hashes)?;
                    if closing.iter().all(|&c| c == b'#') {
                        self.at += hashes;
                        return Some(());
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    fn char_literal(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'\'' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// `r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`: consumed and `true`; anything else: `false`.
    fn raw_or_byte_string(&mut self) -> Option<bool> {
        let start = self.at;
        if self.peek() == Some(b'b') {
            self.at += 1;
        }
        let raw = self.peek() == Some(b'r');
        if raw {
            self.at += 1;
        }
        let mut hashes = 0;
        while raw && self.peek() == Some(b'#') {
            hashes += 1;
            self.at += 1;
        }
        if self.peek() == Some(b'"') && self.at > start {
            self.string(hashes)?;
            Some(true)
        } else {
            self.at = start;
            Some(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "// a map\nMap(\n    title: \"x, (y)\",\n    steps: [\n        Step(id: \"a\", at: (col: 0, row: 1)),\n        /* gone */ Step(id: r#\"b\"#, at: (col: 1, row: 1)),\n    ],\n)\n";

    #[test]
    fn finds_fields_and_items() {
        let outline = Outline::parse(TEXT).unwrap();
        let lines = LineIndex::new(TEXT);
        let steps = Key::Field("steps");
        assert_eq!(
            outline.position(&lines, &[steps, Key::Item(0)]),
            Position { line: 5, col: 9 }
        );
        assert_eq!(
            outline.position(&lines, &[steps, Key::Item(1)]),
            Position { line: 6, col: 20 }
        );
        assert_eq!(
            outline.position(&lines, &[steps, Key::Item(1), Key::Field("at")]),
            Position { line: 6, col: 41 }
        );
    }

    #[test]
    fn missing_paths_fall_back_to_the_nearest_parent() {
        let outline = Outline::parse(TEXT).unwrap();
        let pos = outline.position(&LineIndex::new(TEXT), &[Key::Field("steps"), Key::Item(7)]);
        assert_eq!(pos, Position { line: 4, col: 12 });
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(
            Position::of_offset("é\né€x", 8),
            Position { line: 2, col: 3 }
        );
        assert_eq!(
            LineIndex::new("é\né€x").position(8),
            Position { line: 2, col: 3 }
        );
        assert_eq!(
            LineIndex::new("ab\n").position(3),
            Position { line: 2, col: 1 }
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000);
        let outline = Outline::parse(&deep).unwrap();
        assert_eq!(outline.offset(&[Key::Item(0)]), None);
        assert_eq!(
            outline.position(&LineIndex::new(&deep), &[Key::Item(0)]),
            Position::START
        );
    }
}
