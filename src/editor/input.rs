//! A one-line text field: the text and a cursor, edited by keys. No terminal here.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

/// Longest text a field takes: enough for any label or note typed in a workshop, and a
/// bound on what a paste can do.
pub const MAX_CHARS: usize = 2000;

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        let text: String = text.chars().take(MAX_CHARS).collect();
        let cursor = text.chars().count();
        TextInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        // Control characters never enter a field; a pasted newline becomes a space.
        let c = if c == '\n' || c == '\t' { ' ' } else { c };
        if c.is_control() || self.text.chars().count() >= MAX_CHARS {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
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
    }

    #[test]
    fn length_is_bounded() {
        let mut input = TextInput::new(&"x".repeat(MAX_CHARS + 10));
        assert_eq!(input.text().chars().count(), MAX_CHARS);
        input.insert('y');
        assert!(!input.text().contains('y'));
    }
}
