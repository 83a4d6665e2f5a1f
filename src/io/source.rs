//! Positions in a RON text. serde gives values without positions, so after a file has
//! parsed we read its outline (where each struct field and list item starts) to point
//! diagnostics at the step's or flow's own line.

use std::fmt;

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

/// Line starts of a text, so many offsets can be turned into positions cheaply.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        Position {
            line: line + 1,
            col: self.text[self.starts[line]..offset].chars().count() + 1,
        }
    }
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

/// Where each value of a RON text starts, as a tree.
#[derive(Debug, Default)]
pub struct Outline {
    nodes: Vec<Node>,
}

#[derive(Debug, Default)]
struct Node {
    offset: usize,
    fields: Vec<(String, usize)>,
    items: Vec<usize>,
}

impl Outline {
    /// Reads the outline of a text that ron has already accepted. Returns `None` where
    /// the text is not understood, so callers fall back to a coarser position.
    pub fn parse(text: &str) -> Option<Outline> {
        let mut reader = Reader {
            text: text.as_bytes(),
            at: 0,
            outline: Outline::default(),
        };
        reader.skip_trivia();
        if reader.text[reader.at..].starts_with(b"#!") {
            reader.at += 2;
            reader.value(0)?;
            reader.skip_trivia();
        }
        reader.value(0)?;
        Some(reader.outline)
    }

    /// The byte offset where the value at `path` starts.
    pub fn offset(&self, path: &[Key]) -> Option<usize> {
        let mut node = self.nodes.first()?;
        for key in path {
            let child = match key {
                Key::Field(name) => node.fields.iter().find(|(n, _)| n == name).map(|(_, i)| *i),
                Key::Item(index) => node.items.get(*index).copied(),
            }?;
            node = &self.nodes[child];
        }
        Some(node.offset)
    }

    /// The position of the value at `path`, or of the nearest enclosing value found.
    pub fn position(&self, lines: &LineIndex, path: &[Key]) -> Position {
        (0..=path.len())
            .rev()
            .find_map(|len| self.offset(&path[..len]))
            .map_or(Position::START, |offset| lines.position(offset))
    }
}

/// Deep enough for any real file; deeper input is refused instead of overflowing the stack.
const MAX_DEPTH: usize = 256;

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
    outline: Outline,
}

impl Reader<'_> {
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

    fn new_node(&mut self, offset: usize) -> usize {
        self.outline.nodes.push(Node {
            offset,
            ..Node::default()
        });
        self.outline.nodes.len() - 1
    }

    /// Reads one value and returns its node index.
    fn value(&mut self, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        let node = self.new_node(self.at);
        match self.peek()? {
            b'[' => {
                self.at += 1;
                self.sequence(node, b']', depth)?;
            }
            b'{' => {
                self.at += 1;
                self.map_body(depth)?;
            }
            b'(' => {
                self.at += 1;
                self.struct_body(node, depth)?;
            }
            b'"' => self.string(0)?,
            b'\'' => self.char_literal()?,
            b'r' | b'b' if self.raw_or_byte_string()? => {}
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.identifier();
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.at += 1;
                    self.struct_body(node, depth)?;
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
        Some(node)
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

    fn sequence(&mut self, node: usize, close: u8, depth: usize) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == close {
                self.at += 1;
                return Some(());
            }
            let item = self.value(depth + 1)?;
            self.outline.nodes[node].items.push(item);
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

    fn struct_body(&mut self, node: usize, depth: usize) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == b')' {
                self.at += 1;
                return Some(());
            }
            if let Some(name) = self.field_name() {
                let value = self.value(depth + 1)?;
                self.outline.nodes[node].fields.push((name, value));
            } else {
                let item = self.value(depth + 1)?;
                self.outline.nodes[node].items.push(item);
            }
            self.after_element(b')')?;
        }
    }

    /// Consumes `name:` when the next thing is a field name; otherwise leaves the text alone.
    fn field_name(&mut self) -> Option<String> {
        let start = self.at;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        self.identifier();
        let name = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        self.skip_trivia();
        if self.peek() == Some(b':') && self.text.get(self.at + 1) != Some(&b':') {
            self.at += 1;
            Some(name.trim_start_matches("r#").to_string())
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
        assert!(Outline::parse(&deep).is_none());
    }
}
