//! The fast path for reading a map file: a small parser for the RON a map file is written
//! in, giving the very `Map` that ron gives, several times faster and with each string
//! allocated once. It reads a strict subset of what ron reads: plain whitespace and
//! comments, the fields of each struct in any order, `Some(x)` or a bare `x` for optional
//! values (the IMPLICIT_SOME extension), plain and raw strings with the common escapes,
//! trailing commas, and whole numbers in decimal. On anything else, valid or not, it gives
//! up (`None`) and the caller reads the text with ron, so every error message stays ron's
//! and whatever ron accepts beyond this subset still loads.

use crate::model::activity::Activity;
use crate::model::map::{Cell, Flow, Improvement, Map, Step};
use compact_str::CompactString;
use thin_vec::ThinVec;

/// The map in `text`, or `None` when the text is not plainly a valid map file.
pub fn parse(text: &str) -> Option<Map> {
    parse_placed(text).map(|(map, _)| map)
}

/// Where the map and each of its steps and flows start in the text it was read from: what
/// a report needs to point at findings, found on the way instead of by reading the text
/// again. Byte offsets, as `io::source::Outline` gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    pub map: usize,
    pub steps: Vec<u32>,
    pub flows: Vec<u32>,
}

impl Places {
    /// Where the value of `field` of the step (or the flow) at `item` starts, if it has the
    /// field: the one item is read again.
    pub fn field(&self, text: &str, item: u32, field: &str, is_step: bool) -> Option<usize> {
        let mut reader = Reader::new(text);
        reader.at = item as usize;
        reader.fields_seen = Some(Vec::new());
        if is_step {
            reader.step()?;
        } else {
            reader.flow()?;
        }
        let seen = reader.fields_seen?;
        seen.iter()
            .find(|(name, _)| *name == field)
            .map(|&(_, at)| at)
    }
}

/// `parse`, with where the map's parts start.
pub fn parse_placed(text: &str) -> Option<(Map, Places)> {
    // ron_text refuses a NUL anywhere, even inside a string or a comment: the reader gives
    // up on one where it reads strings and comments, and anywhere else it is no token.
    // Looking for one there costs nothing; looking through the whole text first did.
    if u32::try_from(text.len()).is_err() {
        return None;
    }
    let mut reader = Reader::new(text);
    reader.skip_ws()?;
    let mut places = Places {
        map: reader.at,
        ..Places::default()
    };
    let map = reader.map(&mut places)?;
    reader.skip_ws()?;
    (reader.at == reader.bytes.len()).then_some((map, places))
}

/// The bytes that go on a plain identifier: ASCII letters, digits and `_`.
const IDENT_BYTES: [bool; 256] = {
    let mut bytes = [false; 256];
    let mut b = 0;
    while b < 256 {
        bytes[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    bytes
};

/// How many items of a list are read before the rest of the list is made room for.
const SIZED_AFTER: usize = 64;

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// When set, the fields of the outermost struct read, with where their values start.
    fields_seen: Option<Vec<(&'t str, usize)>>,
    /// How many structs deep the reader is.
    depth: usize,
}

/// Where the first `"`, `\\` or NUL is in `bytes`: where a quoted string ends, escapes or
/// gives up. Eight bytes at a time, since strings are most of a map's text: a byte of a word
/// is zero after XOR with the byte looked for, and the lowest byte found that way is the first
/// (a borrow can only mark bytes above a zero byte).
fn string_stop(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGH_BITS;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            | zero_bytes(word);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b == 0)?;
    Some(at + tail)
}

/// A field given twice is an error to ron (serde's duplicate field); here it gives up.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Reader<'t> {
        Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
            fields_seen: None,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Takes `byte` if it comes next.
    fn take(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.take(byte).then_some(())
    }

    /// Skips white space and comments, as ron does between any two tokens. Only the four
    /// common white space characters: ron's rarer ones (form feed, U+2028...) give up.
    #[inline(always)]
    fn skip_ws(&mut self) -> Option<()> {
        // Between most tokens there is one space or nothing: no call for those.
        match self.peek() {
            Some(b' ')
                if !matches!(
                    self.bytes.get(self.at + 1),
                    Some(b' ' | b'\t' | b'\n' | b'\r' | b'/')
                ) =>
            {
                self.at += 1;
                Some(())
            }
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.skip_more_ws(),
            _ => Some(()),
        }
    }

    #[inline(never)]
    fn skip_more_ws(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.at += 1,
                // Comments are looked for only where a slash is: most tokens have none.
                Some(b'/') => {
                    let rest = &self.bytes[self.at..];
                    if rest.starts_with(b"//") {
                        self.at = match rest.iter().position(|&b| b == b'\n' || b == 0) {
                            Some(end) if rest[end] == 0 => return None,
                            Some(end) => self.at + end,
                            None => self.bytes.len(),
                        };
                    } else if rest.starts_with(b"/*") {
                        self.skip_block_comment()?;
                    } else {
                        return Some(());
                    }
                }
                _ => return Some(()),
            }
        }
    }

    /// A `/* ... */` comment, which nests as in ron; unclosed, it gives up.
    fn skip_block_comment(&mut self) -> Option<()> {
        self.at += 2;
        let mut level = 1;
        while level > 0 {
            let rest = self.bytes.get(self.at..)?;
            let next = rest
                .iter()
                .position(|&b| b == b'/' || b == b'*' || b == 0)?;
            if rest[next] == 0 {
                return None;
            }
            self.at += next;
            let rest = &self.bytes[self.at..];
            if rest.starts_with(b"/*") {
                level += 1;
                self.at += 2;
            } else if rest.starts_with(b"*/") {
                level -= 1;
                self.at += 2;
            } else {
                self.at += 1;
            }
        }
        Some(())
    }

    /// The plain ASCII identifier that comes next, without taking it. ron reads identifiers
    /// with Unicode letters and raw identifiers (`r#x`, `a.b`) too: those give up.
    fn peek_ident(&self) -> Option<&'t str> {
        let rest = &self.bytes[self.at..];
        let first = *rest.first()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        // One look-up a byte: every field name and activity of a map is read here.
        let len = rest
            .iter()
            .position(|&b| !IDENT_BYTES[usize::from(b)])
            .unwrap_or(rest.len());
        match rest.get(len) {
            Some(&b) if !b.is_ascii() || matches!(b, b'.' | b'+' | b'-') => None,
            _ => Some(&self.text[self.at..self.at + len]),
        }
    }

    fn ident(&mut self) -> Option<&'t str> {
        let ident = self.peek_ident()?;
        self.at += ident.len();
        Some(ident)
    }

    /// `Name(field: value, ...)` or `(field: value, ...)`. `field` reads the value of each
    /// field by its name, and gives up on a name the struct does not have.
    fn fields(
        &mut self,
        name: &str,
        mut field: impl FnMut(&mut Self, &'t str) -> Option<()>,
    ) -> Option<()> {
        if self.peek() != Some(b'(') {
            if self.ident()? != name {
                return None;
            }
            self.skip_ws()?;
        }
        self.expect(b'(')?;
        self.depth += 1;
        loop {
            self.skip_ws()?;
            if self.take(b')') {
                break;
            }
            let key = self.ident()?;
            self.skip_ws()?;
            self.expect(b':')?;
            self.skip_ws()?;
            if self.depth == 1
                && let Some(seen) = &mut self.fields_seen
            {
                seen.push((key, self.at));
            }
            field(self, key)?;
            self.skip_ws()?;
            if !self.take(b',') {
                self.expect(b')')?;
                break;
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// `[item, item, ...]`, a trailing comma allowed.
    fn list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.list_placed(item, None)
    }

    /// `list`, with where each item starts.
    fn list_placed<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Option<T>,
        mut starts: Option<&mut Vec<u32>>,
    ) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let first = self.at;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            if self.take(b']') {
                break;
            }
            if items.len() == SIZED_AFTER {
                // A long list is sized once from its first items, rather than grown by
                // doubling, which copies it each time (a map's flows are tens of megabytes)
                // and leaves up to half of it unused. Room for the rest of the text is
                // often too much, and is given back below without copying.
                let per_item = (self.at - first) / SIZED_AFTER;
                items.reserve((self.bytes.len() - self.at) / per_item.max(1) + 1);
                if let Some(starts) = starts.as_deref_mut() {
                    starts.reserve(items.capacity() - starts.len());
                }
            }
            if let Some(starts) = starts.as_deref_mut() {
                starts.push(self.at as u32);
            }
            items.push(item(self)?);
            self.skip_ws()?;
            if !self.take(b',') {
                self.expect(b']')?;
                break;
            }
        }
        if items.len() > SIZED_AFTER {
            items.shrink_to_fit();
            if let Some(starts) = starts {
                starts.shrink_to_fit();
            }
        }
        Some(items)
    }

    /// `None`, `Some(value)` or, as the IMPLICIT_SOME extension allows, a bare value.
    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.peek_ident() {
            Some("None") => {
                self.at += "None".len();
                Some(None)
            }
            Some("Some") => {
                self.at += "Some".len();
                self.skip_ws()?;
                self.expect(b'(')?;
                self.skip_ws()?;
                let inner = value(self)?;
                self.skip_ws()?;
                if self.take(b',') {
                    self.skip_ws()?;
                }
                self.expect(b')')?;
                Some(Some(inner))
            }
            _ => value(self).map(Some),
        }
    }

    /// A whole number in plain decimal digits that fits `T`. ron also reads signs, other
    /// bases, underscores and type suffixes: those give up (the digits stop at them and
    /// what follows is not a comma or a bracket).
    fn number<T: TryFrom<u64>>(&mut self) -> Option<T> {
        let rest = &self.bytes[self.at..];
        let len = rest
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        let mut value: u64 = 0;
        for &digit in &rest[..len] {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
        }
        self.at += len;
        T::try_from(value).ok()
    }

    /// A string: `"..."` with ron's common escapes, or a raw `r"..."` / `r#"..."#`.
    fn string(&mut self) -> Option<CompactString> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.quoted()
            }
            b'r' => self.raw(),
            _ => None,
        }
    }

    fn quoted(&mut self) -> Option<CompactString> {
        let start = self.at;
        let rest = &self.bytes[start..];
        let end = string_stop(rest)?;
        if rest[end] == 0 {
            return None;
        }
        if rest[end] == b'"' {
            self.at = start + end + 1;
            // Only where a field starts is asked for: its text is not kept.
            if self.fields_seen.is_some() {
                return Some(CompactString::default());
            }
            // Ids, labels and most names are short enough to be held inline: no allocation.
            return Some(CompactString::new(&self.text[start..start + end]));
        }
        // Escapes: the text is built once, at most as long as it is written.
        let close = start + rest.iter().position(|&b| b == b'"')?;
        let mut out = CompactString::with_capacity(close - start);
        let mut from = start;
        loop {
            let rest = &self.bytes[from..];
            let next = from + string_stop(rest)?;
            if self.bytes[next] == 0 {
                return None;
            }
            out.push_str(&self.text[from..next]);
            if self.bytes[next] == b'"' {
                self.at = next + 1;
                return Some(out);
            }
            let (c, len) = self.escape(next + 1)?;
            out.push(c);
            from = next + 1 + len;
        }
    }

    /// The character an escape stands for, read after its backslash, and the bytes it
    /// takes. ron's `\x` byte escapes and line continuations give up.
    fn escape(&self, at: usize) -> Option<(char, usize)> {
        let simple = match *self.bytes.get(at)? {
            b'"' => '"',
            b'\'' => '\'',
            b'\\' => '\\',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'u' => {
                let rest = self.bytes.get(at + 1..)?;
                if rest.first() != Some(&b'{') {
                    return None;
                }
                let digits = rest[1..]
                    .iter()
                    .take(7)
                    .position(|&b| b == b'}')
                    .filter(|&n| (1..=6).contains(&n))?;
                let hex = std::str::from_utf8(&rest[1..1 + digits]).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                return Some((c, digits + 3));
            }
            _ => return None,
        };
        Some((simple, 1))
    }

    /// `r"..."` or `r#"..."#` with any number of `#`: the text as it stands.
    fn raw(&mut self) -> Option<CompactString> {
        let hashes = self.bytes[self.at + 1..]
            .iter()
            .position(|&b| b != b'#')
            .unwrap_or(0);
        let open = self.at + 1 + hashes;
        if self.bytes.get(open) != Some(&b'"') {
            return None;
        }
        let start = open + 1;
        let ending = format!("\"{}", "#".repeat(hashes));
        let end = start + self.text[start..].find(&ending)?;
        if self.bytes[start..end].contains(&0) {
            return None;
        }
        self.at = end + ending.len();
        Some(CompactString::new(&self.text[start..end]))
    }

    fn activity(&mut self) -> Option<Activity> {
        let name = self.ident()?;
        Activity::ALL.into_iter().find(|a| a.key() == name)
    }

    fn map(&mut self, places: &mut Places) -> Option<Map> {
        let (mut format, mut title, mut notes, mut day) = (None, None, None, None);
        let (mut steps, mut flows) = (None, None);
        self.fields("Map", |r, key| match key {
            "format" => set(&mut format, r.number()?),
            "title" => set(&mut title, r.string()?),
            "notes" => set(&mut notes, r.string()?),
            "working_day_minutes" => set(&mut day, r.option(Self::number)?),
            "steps" => set(
                &mut steps,
                r.list_placed(Self::step, Some(&mut places.steps))?,
            ),
            "flows" => set(
                &mut flows,
                r.list_placed(Self::flow, Some(&mut places.flows))?,
            ),
            _ => None,
        })?;
        Some(Map {
            format: format?,
            title: title?.into(),
            notes: notes.map(String::from).unwrap_or_default(),
            working_day_minutes: day.flatten(),
            steps: steps.unwrap_or_default(),
            flows: flows.unwrap_or_default(),
        })
    }

    /// Takes `text` if it comes next, as it stands.
    fn literal(&mut self, text: &[u8]) -> Option<()> {
        let next = self.bytes[self.at..].starts_with(text);
        next.then(|| self.at += text.len())
    }

    /// A quoted string that comes next, as it stands.
    fn quoted_next(&mut self) -> Option<CompactString> {
        self.literal(b"\"")?;
        self.quoted()
    }

    /// `read` at the reader, or nothing read when it gives up.
    fn or_back<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.at;
        let value = read(self);
        if value.is_none() {
            self.at = start;
        }
        value
    }

    /// `Step(id: "a", activity: Plan, label: "b", at: (col: 1, row: 2), process_minutes:
    /// Some(5), wait_minutes: Some(6), complete_accurate_percent: Some(7))`, the last three
    /// each there or not, exactly as vsmap writes a step that has nothing else: read in one
    /// go, without a look at field names, since a big map is mostly such steps and flows.
    /// Anything else gives up here and is read the long way, which reads this too.
    fn plain_step(&mut self) -> Option<Step> {
        self.literal(b"Step(id: ")?;
        let id = self.quoted_next()?;
        self.literal(b", activity: ")?;
        let activity = self.activity()?;
        self.literal(b", label: ")?;
        let label = self.quoted_next()?;
        self.literal(b", at: (col: ")?;
        let col = self.number()?;
        self.literal(b", row: ")?;
        let row = self.number()?;
        self.literal(b")")?;
        let mut step = Step::new(id, activity, label, Cell::new(col, row));
        step.process_minutes = self.plain_some_number(b", process_minutes: Some(")?;
        step.wait_minutes = self.plain_some_number(b", wait_minutes: Some(")?;
        step.complete_accurate_percent =
            self.plain_some_number(b", complete_accurate_percent: Some(")?;
        self.literal(b")")?;
        Some(step)
    }

    /// `prefix`, a number and `)`, or nothing at all (Some(None)); None gives up.
    fn plain_some_number<T: TryFrom<u64>>(&mut self, prefix: &[u8]) -> Option<Option<T>> {
        if self.literal(prefix).is_none() {
            return Some(None);
        }
        let value = self.number()?;
        self.literal(b")")?;
        Some(Some(value))
    }

    /// `Flow(from: "a", to: "b", artifact: Some("c"))` or `artifact: None`, exactly as vsmap
    /// writes a flow that has nothing else; as `plain_step`.
    fn plain_flow(&mut self) -> Option<Flow> {
        self.literal(b"Flow(from: ")?;
        let from = self.quoted_next()?;
        self.literal(b", to: ")?;
        let to = self.quoted_next()?;
        self.literal(b", artifact: ")?;
        let artifact = if self.literal(b"None").is_some() {
            None
        } else {
            self.literal(b"Some(")?;
            let artifact = self.quoted_next()?;
            self.literal(b")")?;
            Some(artifact)
        };
        self.literal(b")")?;
        Some(Flow {
            from,
            to,
            artifact,
            notes: String::new(),
            improvements: ThinVec::new(),
        })
    }

    fn step(&mut self) -> Option<Step> {
        // Where a field starts is asked for the long way, which notes it.
        if self.fields_seen.is_none()
            && let Some(step) = self.or_back(Self::plain_step)
        {
            return Some(step);
        }
        let (mut id, mut activity, mut also, mut label, mut at) = (None, None, None, None, None);
        let (mut process, mut wait, mut percent) = (None, None, None);
        let (mut practices, mut notes, mut improvements) = (None, None, None);
        self.fields("Step", |r, key| match key {
            "id" => set(&mut id, r.string()?),
            "activity" => set(&mut activity, r.activity()?),
            "also" => set(&mut also, r.list(Self::activity)?),
            "label" => set(&mut label, r.string()?),
            "at" => set(&mut at, r.cell()?),
            "process_minutes" => set(&mut process, r.option(Self::number)?),
            "wait_minutes" => set(&mut wait, r.option(Self::number)?),
            "complete_accurate_percent" => set(&mut percent, r.option(Self::number)?),
            "practices" => set(&mut practices, r.list(Self::string)?),
            "notes" => set(&mut notes, r.string()?),
            "improvements" => set(&mut improvements, r.list(Self::improvement)?),
            _ => None,
        })?;
        Some(Step {
            id: id?,
            activity: activity?,
            also: also.map(ThinVec::from).unwrap_or_default(),
            label: label?,
            at: at?,
            process_minutes: process.flatten(),
            wait_minutes: wait.flatten(),
            complete_accurate_percent: percent.flatten(),
            practices: practices
                .map(|names| names.into_iter().map(String::from).collect())
                .unwrap_or_default(),
            notes: notes.map(String::from).unwrap_or_default(),
            improvements: improvements.map(ThinVec::from).unwrap_or_default(),
        })
    }

    fn cell(&mut self) -> Option<Cell> {
        let (mut col, mut row) = (None, None);
        self.fields("Cell", |r, key| match key {
            "col" => set(&mut col, r.number()?),
            "row" => set(&mut row, r.number()?),
            _ => None,
        })?;
        Some(Cell::new(col?, row?))
    }

    fn improvement(&mut self) -> Option<Improvement> {
        let (mut text, mut owner) = (None, None);
        self.fields("Improvement", |r, key| match key {
            "text" => set(&mut text, r.string()?),
            "owner" => set(&mut owner, r.option(Self::string)?),
            _ => None,
        })?;
        Some(Improvement {
            text: text?.into(),
            owner: owner.flatten().map(String::from),
        })
    }

    fn flow(&mut self) -> Option<Flow> {
        if self.fields_seen.is_none()
            && let Some(flow) = self.or_back(Self::plain_flow)
        {
            return Some(flow);
        }
        let (mut from, mut to, mut artifact) = (None, None, None);
        let (mut notes, mut improvements) = (None, None);
        self.fields("Flow", |r, key| match key {
            "from" => set(&mut from, r.string()?),
            "to" => set(&mut to, r.string()?),
            "artifact" => set(&mut artifact, r.option(Self::string)?),
            "notes" => set(&mut notes, r.string()?),
            "improvements" => set(&mut improvements, r.list(Self::improvement)?),
            _ => None,
        })?;
        Some(Flow {
            from: from?,
            to: to?,
            artifact: artifact.flatten(),
            notes: notes.map(String::from).unwrap_or_default(),
            improvements: improvements.map(ThinVec::from).unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ron(text: &str) -> Option<Map> {
        crate::io::ron_text::parse::<Map>("m.ron", text).ok()
    }

    /// The fast path and ron agree: the same map, or the fast path gives up.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            Some(map) => ron(text).as_ref() == Some(&map),
            None => true,
        }
    }

    #[test]
    fn reads_what_vsmap_writes_and_what_people_write() {
        let text = r##"// a map
Map(format: 1, title: r#"A "quoted" title"#, /* nested /* comment */ */
    working_day_minutes: 1440,
    steps: [
        (id: "a", activity: Engage, label: "tab\there \u{1F642}", at: Cell(col: 0, row: 1,),
         process_minutes: Some(5,), practices: ["x", r"y"], also: [Plan, Improve,],),
        Step (label: "b", at: (row: 2, col: 3), id: "b", activity: Value,
              improvements: [Improvement(text: "t", owner: "o"), (owner: None, text: "u")]),
    ],
    flows: [Flow(from: "a", to: "b", artifact: "Service"), Flow(from: "a", to: "b", artifact: None, notes: "\"\\\n")],
)
// end"##;
        let map = parse(text).expect("read by the fast path");
        assert_eq!(Some(map), ron(text));
    }

    #[test]
    fn gives_up_on_what_it_does_not_read_or_ron_refuses() {
        let cases = [
            "Map(format: 1, title: \"t\", format: 1)",
            "Map(format: 1)",
            "Map(format: 1, title: \"t\", colour: 1)",
            "Map(format: +1, title: \"t\")",
            "Map(format: 0x1, title: \"t\")",
            "Map(format: 1u32, title: \"t\")",
            "Map(format: 1_0, title: \"t\")",
            "Map(format: 99999999999, title: \"t\")",
            "Map(format: 1, title: \"t\\x41\")",
            "Map(format: 1, title: \"t\",,)",
            "Map(format: 1, title: \"t\") x",
            "#![enable(implicit_some)] Map(format: 1, title: \"t\")",
            "Map(format: 1, title: \"t\" /* open",
            "Mop(format: 1, title: \"t\")",
            "Map(format: 1, title: \"t\", steps: [Flow(from: \"a\", to: \"b\")])",
            "Map(format: 1, title: \"t\\u{d800}\")",
            "Map(format: 1, title: \"t\\u{}\")",
            "Map(format: 1, title: \"t\\u{1234567}\")",
            "Map(format: 1, title: \"t\0\")",
            "Map(format: 1, title: \"t\\n\0\")",
            "Map(format: 1, title: r\"t\0\")",
            "Map(format: 1, title: \"t\") // \0",
            "Map(format: 1, title: \"t\") /* \0 */",
            "Map(format: 1, title: \"t\")\0",
            "Map(format: 1,\0 title: \"t\")",
            "\u{feff}Map(format: 1, title: \"t\")",
            "Map(format\u{b}: 1, title: \"t\")",
            "Map(format: 1, title: Some(\"t\"))",
            "Map(format: 1, title: \"t\", working_day_minutes: Some(Some(5)))",
        ];
        for text in cases {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_string_stops_at_the_first_quote_backslash_or_nul() {
        let plain = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b == 0)
        };
        let alphabet = [
            b'a',
            b'"',
            b'\\',
            0,
            0x80,
            0xff,
            0x01,
            b'!',
            b'#',
            0x22 ^ 0x80,
        ];
        for len in 0..20 {
            for stop in 0..len {
                for &mark in &alphabet {
                    for &fill in &[b'a', 0xff, 0x01, b'!', 0x21, 0x23, 0x5b, 0x5d] {
                        let mut bytes = vec![fill; len];
                        bytes[stop] = mark;
                        assert_eq!(string_stop(&bytes), plain(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn agrees_with_ron_on_small_variations() {
        // The second is steps and flows as vsmap writes them, which are read in one go: any
        // change to them is read the long way, to the same map or to giving up.
        let bases = [
            "Map(format: 1, title: \"t\", steps: [Step(id: \"a\", activity: Plan, label: \"l\", at: (col: 1, row: 2), complete_accurate_percent: 255)])",
            "Map(format: 1, title: \"t\", steps: [Step(id: \"a\", activity: Plan, label: \"l\\n\", at: (col: 1, row: 2), process_minutes: Some(3), wait_minutes: Some(4), complete_accurate_percent: Some(99)), Step(id: \"b\", activity: Value, label: \"m\", at: (col: 0, row: 65535))], flows: [Flow(from: \"a\", to: \"b\", artifact: Some(\"x\")), Flow(from: \"b\", to: \"a\", artifact: None)])",
        ];
        for base in bases {
            assert!(parse(base).is_some());
            assert!(agrees(base));
            for (i, _) in base.char_indices() {
                for insert in [
                    " ", ",", "(", ")", "\"", "//\n", "r", "#", "0", "Some(", "None", "\0", "9",
                ] {
                    let text = format!("{}{insert}{}", &base[..i], &base[i..]);
                    assert!(agrees(&text), "{text}");
                }
                let text = format!("{}{}", &base[..i], &base[i + 1..]);
                assert!(agrees(&text), "{text}");
            }
        }
    }

    #[test]
    fn steps_and_flows_as_vsmap_writes_them_read_as_ron_reads_them() {
        let mut map = Map {
            format: 1,
            title: "t".into(),
            notes: String::new(),
            working_day_minutes: None,
            steps: Vec::new(),
            flows: Vec::new(),
        };
        for (i, activity) in Activity::ALL.into_iter().enumerate() {
            let mut step = Step::new(
                format!("s{i}"),
                activity,
                "a \"b\"\t→",
                Cell::new(i as u16, 7),
            );
            step.process_minutes = (i % 2 == 0).then_some(i as u32 * 1000);
            step.wait_minutes = (i % 3 == 0).then_some(u32::MAX);
            step.complete_accurate_percent = (i % 4 == 0).then_some(i as u8);
            map.steps.push(step);
            let artifact = (i % 2 == 0).then(|| format!("artifact {i}"));
            map.flows.push(Flow::new(format!("s{i}"), "s0", artifact));
        }
        map.steps[1].also = thin_vec::thin_vec![Activity::Plan];
        map.steps[2].notes = "n".into();
        map.flows[3].notes = "n".into();
        let text = map.to_ron();
        assert_eq!(parse(&text).as_ref(), Some(&map));
        assert_eq!(ron(&text), Some(map));
    }
}
