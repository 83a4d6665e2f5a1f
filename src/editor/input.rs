//! A one-line text field: the text and a cursor, edited by keys. No terminal here.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
    /// The same position in bytes, so the text around the cursor is found without counting.
    at: usize,
    /// Characters in `text`.
    chars: usize,
}

/// Longest text typing or pasting makes: enough for any label or note typed in a workshop,
/// and a bound on what a paste can do. A longer text from the file is kept whole (editing
/// a step must not cut its label); it only takes no more characters.
pub const MAX_CHARS: usize = 2000;

impl TextInput {
    /// A field holding `text`, the cursor at its end. Nothing is cut: saving the field
    /// unchanged gives back the very text it was given.
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            at: text.len(),
            chars: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The text before the cursor.
    pub fn before(&self) -> &str {
        &self.text[..self.at]
    }

    /// The text from the cursor on.
    pub fn after(&self) -> &str {
        &self.text[self.at..]
    }

    pub fn insert(&mut self, c: char) {
        // Control characters never enter a field; a pasted newline becomes a space.
        let c = if c == '\n' || c == '\t' { ' ' } else { c };
        if c.is_control() || self.chars >= MAX_CHARS {
            return;
        }
        self.text.insert(self.at, c);
        self.at += c.len_utf8();
        self.cursor += 1;
        self.chars += 1;
    }

    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            if self.chars >= MAX_CHARS {
                break;
            }
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if let Some(c) = self.before().chars().next_back() {
            self.at -= c.len_utf8();
            self.cursor -= 1;
            self.text.remove(self.at);
            self.chars -= 1;
        }
    }

    pub fn delete(&mut self) {
        if !self.after().is_empty() {
            self.text.remove(self.at);
            self.chars -= 1;
        }
    }

    pub fn left(&mut self) {
        if let Some(c) = self.before().chars().next_back() {
            self.at -= c.len_utf8();
            self.cursor -= 1;
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.after().chars().next() {
            self.at += c.len_utf8();
            self.cursor += 1;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
        self.at = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars;
        self.at = self.text.len();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.at = 0;
        self.chars = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_cursor_in_characters() {
        let mut input = TextInput::new("héllo");
        input.left();
        input.left();
        input.insert('X');
        assert_eq!(input.text(), "hélXlo");
        input.backspace();
        input.backspace();
        assert_eq!(input.text(), "héllo".replacen('l', "", 1));
        input.home();
        input.delete();
        assert_eq!(input.text(), "élo");
        input.end();
        input.insert_str("a\nb\u{1b}c");
        assert_eq!(input.text(), "éloa bc");
        assert_eq!(input.cursor(), 7);
        input.left();
        input.left();
        assert_eq!((input.before(), input.after()), ("éloa ", "bc"));
        input.right();
        input.right();
        input.right();
        assert_eq!((input.before(), input.after()), ("éloa bc", ""));
        input.delete();
        input.home();
        input.left();
        input.backspace();
        assert_eq!((input.before(), input.after()), ("", "éloa bc"));
    }

    #[test]
    fn typing_is_bounded_but_long_text_is_kept_whole() {
        let long = "x".repeat(MAX_CHARS + 10);
        let mut input = TextInput::new(&long);
        assert_eq!(input.text(), long);
        input.insert('y');
        input.insert_str("zz");
        assert_eq!(input.text(), long);
        input.backspace();
        assert_eq!(input.text().chars().count(), MAX_CHARS + 9);
        let mut input = TextInput::default();
        input.insert_str(&"é".repeat(MAX_CHARS + 10));
        assert_eq!(input.text().chars().count(), MAX_CHARS);
        assert_eq!(input.cursor(), MAX_CHARS);
    }
}
