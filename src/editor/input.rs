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

    /// Inserts a whole text (a paste) as one edit, cleaned as `insert` cleans a character:
    /// a line break (`\n`, `\r\n`, or the `\r` terminals send for one) becomes a space,
    /// other control characters are dropped, and no more is taken than `MAX_CHARS` allows.
    pub fn insert_str(&mut self, text: &str) {
        let room = MAX_CHARS.saturating_sub(self.chars);
        let mut clean = String::new();
        let mut taken = 0;
        let mut chars = text.chars().peekable();
        while taken < room
            && let Some(c) = chars.next()
        {
            let c = match c {
                '\r' if chars.peek() == Some(&'\n') => continue,
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            clean.push(c);
            taken += 1;
        }
        self.text.insert_str(self.at, &clean);
        self.at += clean.len();
        self.cursor += taken;
        self.chars += taken;
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

    /// Back to the start of the word before the cursor (readline's `backward-word`): over
    /// anything that is not a letter or digit, then over the letters and digits before it.
    pub fn word_left(&mut self) {
        let (bytes, chars) = self.word_back();
        self.at -= bytes;
        self.cursor -= chars;
    }

    /// On to the end of the word after the cursor (readline's `forward-word`).
    pub fn word_right(&mut self) {
        let (bytes, chars) = self.word_forward();
        self.at += bytes;
        self.cursor += chars;
    }

    /// Deletes from the start of the word before the cursor to the cursor (Ctrl-w,
    /// Alt-Backspace).
    pub fn delete_word_back(&mut self) {
        let (bytes, chars) = self.word_back();
        self.at -= bytes;
        self.cursor -= chars;
        self.remove(self.at..self.at + bytes, chars);
    }

    /// Deletes from the cursor to the end of the word after it (Alt-d).
    pub fn delete_word_forward(&mut self) {
        let (bytes, chars) = self.word_forward();
        self.remove(self.at..self.at + bytes, chars);
    }

    /// Deletes everything before the cursor (Ctrl-u).
    pub fn delete_to_start(&mut self) {
        let (at, cursor) = (self.at, self.cursor);
        self.home();
        self.remove(0..at, cursor);
    }

    /// Deletes everything from the cursor on (Ctrl-k).
    pub fn delete_to_end(&mut self) {
        let after = self.chars - self.cursor;
        self.remove(self.at..self.text.len(), after);
    }

    /// How far back the start of the word before the cursor is, in bytes and characters.
    fn word_back(&self) -> (usize, usize) {
        word_span(self.before().chars().rev())
    }

    /// How far on the end of the word after the cursor is, in bytes and characters.
    fn word_forward(&self) -> (usize, usize) {
        word_span(self.after().chars())
    }

    /// Removes a byte range holding `chars` characters that does not contain the cursor
    /// other than at its start.
    fn remove(&mut self, range: std::ops::Range<usize>, chars: usize) {
        self.text.replace_range(range, "");
        self.chars -= chars;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.at = 0;
        self.chars = 0;
    }
}

/// A word is a run of letters and digits, as in readline: punctuation and spaces part words.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The length, in bytes and characters, of the separators and then the word that `chars`
/// starts with: what a word motion passes over, as readline's do.
fn word_span(chars: impl Iterator<Item = char>) -> (usize, usize) {
    let mut chars = chars.peekable();
    let (mut bytes, mut count) = (0, 0);
    let mut take = |c: char| {
        bytes += c.len_utf8();
        count += 1;
    };
    while let Some(c) = chars.next_if(|c| !is_word(*c)) {
        take(c);
    }
    while let Some(c) = chars.next_if(|c| is_word(*c)) {
        take(c);
    }
    (bytes, count)
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

    /// A field written with `|` where the cursor is.
    fn field(marked: &str) -> TextInput {
        let (before, after) = marked.split_once('|').expect("a cursor");
        let mut input = TextInput::new(&format!("{before}{after}"));
        for _ in after.chars() {
            input.left();
        }
        input
    }

    /// The field written the same way, checking that the cursor's two counts agree.
    fn marked(input: &TextInput) -> String {
        assert_eq!(input.before().chars().count(), input.cursor());
        assert_eq!(input.text().chars().count(), input.chars);
        format!("{}|{}", input.before(), input.after())
    }

    /// Each edit from a table of (before, after) fields: words are runs of letters and
    /// digits in any script, whatever is between them is skipped over with the word.
    fn check(edit: fn(&mut TextInput), cases: &[(&str, &str)]) {
        for (before, after) in cases {
            let mut input = field(before);
            edit(&mut input);
            assert_eq!(marked(&input), *after, "from {before:?}");
        }
    }

    #[test]
    fn word_left_goes_to_the_start_of_this_or_the_previous_word() {
        check(
            TextInput::word_left,
            &[
                ("Service components|", "Service |components"),
                ("Service comp|onents", "Service |components"),
                ("Service |components", "|Service components"),
                ("Service  ,  |components", "|Service  ,  components"),
                ("|Service", "|Service"),
                ("|", "|"),
                ("  |", "|  "),
                ("Änderungs-anträge|", "Änderungs-|anträge"),
                ("変更 要求|", "変更 |要求"),
                ("v2.0|", "v2.|0"),
            ],
        );
    }

    #[test]
    fn word_right_goes_to_the_end_of_this_or_the_next_word() {
        check(
            TextInput::word_right,
            &[
                ("|Service components", "Service| components"),
                ("Serv|ice components", "Service| components"),
                ("Service| components", "Service components|"),
                ("Service|  ,  components", "Service  ,  components|"),
                ("Service|", "Service|"),
                ("|  ", "  |"),
                ("|Änderungs-anträge", "Änderungs|-anträge"),
                ("変更| 要求", "変更 要求|"),
            ],
        );
    }

    #[test]
    fn delete_word_back_takes_what_word_left_passes_over() {
        check(
            TextInput::delete_word_back,
            &[
                ("Service components|", "Service |"),
                ("Service comp|onents", "Service |onents"),
                ("Service |components", "|components"),
                ("Service, |components", "|components"),
                ("Service|", "|"),
                ("|Service", "|Service"),
                ("|", "|"),
                ("héllo wörld|", "héllo |"),
                ("a 変更|要求", "a |要求"),
            ],
        );
    }

    #[test]
    fn delete_word_forward_takes_what_word_right_passes_over() {
        check(
            TextInput::delete_word_forward,
            &[
                ("|Service components", "| components"),
                ("Serv|ice components", "Serv| components"),
                ("Service| components", "Service|"),
                ("Service|, components!", "Service|!"),
                ("Service|", "Service|"),
                ("|héllo wörld", "| wörld"),
            ],
        );
    }

    #[test]
    fn delete_to_start_and_to_end_split_at_the_cursor() {
        check(
            TextInput::delete_to_start,
            &[
                ("Service |components", "|components"),
                ("|Service", "|Service"),
                ("Service|", "|"),
                ("héllo wö|rld", "|rld"),
            ],
        );
        check(
            TextInput::delete_to_end,
            &[
                ("Service |components", "Service |"),
                ("Service|", "Service|"),
                ("|Service", "|"),
                ("héllo wö|rld", "héllo wö|"),
            ],
        );
        check(TextInput::home, &[("héllo| wörld", "|héllo wörld")]);
        check(TextInput::end, &[("héllo| wörld", "héllo wörld|")]);
    }

    #[test]
    fn edits_after_word_edits_land_at_the_cursor() {
        let mut input = field("one two| three");
        input.delete_word_back();
        input.insert_str("2");
        input.word_right();
        input.insert('!');
        input.word_left();
        input.word_left();
        input.delete_word_forward();
        assert_eq!(marked(&input), "one | three!");
        input.delete_to_end();
        input.delete_to_start();
        assert_eq!(marked(&input), "|");
        input.insert_str("again");
        assert_eq!(marked(&input), "again|");
    }

    #[test]
    fn a_paste_is_one_clean_line() {
        let mut input = field("a|z");
        input.insert_str("one\ntwo\r\nthree\rfour\tfive\u{1b}[31m\u{7}");
        assert_eq!(marked(&input), "aone two three four five[31m|z");
        // Bounded as typing is, counted in characters.
        let mut input = field("ab|");
        input.insert_str(&"é\n".repeat(MAX_CHARS));
        assert_eq!(input.text().chars().count(), MAX_CHARS);
        assert!(input.text().starts_with("abé é"));
        assert_eq!(marked(&input).chars().last(), Some('|'));
        // A full field takes nothing.
        input.home();
        input.insert_str("x");
        assert!(input.text().starts_with("ab"));
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
