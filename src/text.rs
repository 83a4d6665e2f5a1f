//! One copy of the small text helpers every output shares: user text made safe to show,
//! durations, fitting and wrapping to a width, and plurals. Copies of these drift apart
//! and then disagree on screen.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters that draw nothing or move the cursor: control characters, bidi controls and
/// zero-width marks. They are escaped in files and shown escaped on screen.
#[inline]
pub fn is_invisible(c: char) -> bool {
    // Most text is ASCII, where only the C0 controls and DEL are invisible.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
}

/// User text made safe to show in a terminal or a message: characters that draw nothing or
/// move the cursor are escaped (`\u{1b}`), and text longer than `max_chars` characters is
/// cut there and ends in an ellipsis. A backslash that would start a literal `\u{` in the
/// text is doubled (`\\u{9b}`), so an escape seen on screen always stands for a character
/// that was escaped. Looks at no more than `max_chars + 1` characters, so even a megabyte of
/// text costs next to nothing to show.
pub fn shown(text: &str, max_chars: usize) -> String {
    // Printable ASCII without a backslash comes out as it is: most labels, ids and the lines
    // a report quotes, which a big map's report shows by the hundred thousand.
    if text.len() <= max_chars && text.bytes().all(|b| matches!(b, b' '..=b'~') && b != b'\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(4)) + 4);
    let mut chars = text.chars().peekable();
    let mut count = 0;
    while let Some(c) = chars.next() {
        if count == max_chars {
            out.push('…');
            break;
        }
        count += 1;
        if is_invisible(c) {
            push_escape(&mut out, c);
        } else if c == '\\' && chars.peek() == Some(&'u') && chars.clone().nth(1) == Some('{') {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

/// `shown`, borrowing `text` when it would come out unchanged (no character to escape, none
/// to cut): sizing measures every label of the map on each edit without copying it.
pub fn shown_borrowing(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    // A backslash is escaped only before `u{`; any is taken the long way, which is exact.
    let unchanged =
        !text.chars().any(|c| is_invisible(c) || c == '\\') && text.chars().count() <= max_chars;
    if unchanged {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(shown(text, max_chars))
    }
}

fn push_escape(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

/// A whole text for a terminal, line breaks and tabs kept: the last guard in front of
/// standard output and standard error. User texts inside it are escaped with `shown`
/// already; this escapes whatever invisible character is left, the same way, and touches
/// nothing else, so text that is already safe passes unchanged.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !needs_terminal_escape(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_invisible(c) && c != '\n' && c != '\t' {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `terminal_safe` has anything to escape in `text`. Only a few bytes can start a
/// character it escapes: the C0 controls but line breaks and tabs, DEL, and the first bytes
/// of the invisible characters past ASCII (0xC2: C1 controls and the soft hyphen; 0xEF:
/// U+FEFF; 0xE2 followed by 0x80 or 0x81: the bidi and zero-width marks, where `→` and `…`
/// are not). Blocks free of them are passed over without a branch per byte, so the
/// compiler can vectorise; a report's every line of fixes has arrows.
fn needs_terminal_escape(text: &str) -> bool {
    let suspect = |b: u8, next: u8| {
        (b < b' ') & (b != b'\n') & (b != b'\t')
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xef)
            | (b == 0xe2) & (next & 0xfe == 0x80)
    };
    // A suspect byte is never inside a character, so a character starts there.
    let invisible_at = |at: usize| text[at..].chars().next().is_some_and(is_invisible);
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let mut start = 0;
    // Each block with the byte after it, which tells what an 0xE2 at its end starts.
    while let Some(block) = bytes.get(start..start + BLOCK + 1) {
        let pairs = block[..BLOCK].iter().zip(&block[1..]);
        if pairs
            .clone()
            .fold(false, |any, (&b, &next)| any | suspect(b, next))
            && pairs
                .enumerate()
                .any(|(i, (&b, &next))| suspect(b, next) && invisible_at(start + i))
        {
            return true;
        }
        start += BLOCK;
    }
    (start..bytes.len()).any(|at| {
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        suspect(bytes[at], next) && invisible_at(at)
    })
}

/// Serialized JSON for a terminal: JSON already escapes C0 controls, but leaves C1 controls
/// (U+009B is a CSI on many terminals), bidi overrides and zero-width marks as they are. They
/// can only stand inside strings, where `\uXXXX` is the same character to a JSON reader.
/// A C0 control outside a string is JSON's own whitespace (a line break between objects).
pub fn json_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_invisible(c) && u32::from(c) >= 0x7f {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A word for a POSIX shell command line that a user may copy: plain words as they are,
/// others in single quotes, and anything with invisible characters in `$'...'` with each
/// such byte as `\xHH` (bash, zsh and ksh read it; it shows, never runs, the bytes).
pub fn shell_quoted(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./+,:@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    if !word.chars().any(is_invisible) {
        return format!("'{}'", word.replace('\'', "'\\''"));
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if is_invisible(c) => {
                let mut bytes = [0u8; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// User text on one line for a file format (SVG, Markdown, CSV, DOT, Mermaid): line breaks
/// and tabs become spaces; other control characters, bidi overrides, zero-width marks and
/// the two XML non-characters are dropped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if is_invisible(c) || c == '\u{fffe}' || c == '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// The working day vsmap assumes when a map says none: 8 hours.
pub const WORKING_DAY_MINUTES: u32 = 480;

/// Working days in a week.
const DAYS_PER_WEEK: u64 = 5;

/// Minutes as people say them, in weeks, days, hours and minutes, where a day is a working
/// day of `day_minutes` and a week five of them: with 480, 45 -> "45m", 90 -> "1h30m",
/// 960 -> "2d", 2460 -> "1w1h"; with 1440 (a 24x7 desk), 2880 -> "2d". A day that is not a
/// whole number of hours (450) still reads back to the same minutes: its last hour is
/// shorter. A `day_minutes` of 0 means no days: hours and minutes only.
pub fn duration(total: u64, day_minutes: u32) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (value, unit) in duration_parts(total, day_minutes) {
        let _ = write!(out, "{value}{unit}");
    }
    out
}

/// The width of `duration(total, day_minutes)`, without writing it: the layout measures
/// every step's times on every edit.
pub fn duration_width(total: u64, day_minutes: u32) -> usize {
    duration_parts(total, day_minutes)
        .map(|(value, _)| value.checked_ilog10().unwrap_or(0) as usize + 2)
        .sum()
}

/// The numbers and units `duration` writes, largest first.
fn duration_parts(total: u64, day_minutes: u32) -> impl Iterator<Item = (u64, char)> {
    let day = u64::from(day_minutes);
    let (weeks, days, rest) = if day == 0 {
        (0, 0, total)
    } else {
        let week = day * DAYS_PER_WEEK;
        (total / week, total % week / day, total % day)
    };
    let (hours, mins) = (rest / 60, rest % 60);
    // Minutes are written when there are some, or when nothing else is (`0m`).
    let only_minutes = weeks == 0 && days == 0 && hours == 0;
    [(weeks, 'w'), (days, 'd'), (hours, 'h'), (mins, 'm')]
        .into_iter()
        .filter(move |&(value, unit)| value > 0 || (unit == 'm' && only_minutes))
}

/// A step's minutes as people say them (see `duration`).
pub fn minutes(value: u32, day_minutes: u32) -> String {
    duration(u64::from(value), day_minutes)
}

/// The units of a duration, largest first, with the words people write for them.
const UNITS: [(&str, &[&str]); 4] = [
    ("w", &["w", "wk", "wks", "week", "weeks"]),
    ("d", &["d", "day", "days"]),
    ("h", &["h", "hr", "hrs", "hour", "hours"]),
    ("m", &["m", "min", "mins", "minute", "minutes"]),
];

/// A duration as people write it, in whole minutes: plain minutes (`90`), or parts with units
/// (`90m`, `2h`, `1h30m`, `1.5h`, `3d`, `1w`, `2w3d`, `1h 30m`, `2 hours`), in any case. A
/// day is a working day of `day_minutes` and a week five days. Fractions are allowed in any
/// part and the total is rounded to the nearest minute. Parts go from the largest unit to
/// the smallest, each unit once, which is how `duration` writes them: `30m1h` and `1h2h` are
/// refused rather than guessed at. A number without a unit is only accepted alone.
pub fn parse_duration(text: &str, day_minutes: u32) -> Result<u32, String> {
    let refuse = |why: String| {
        let day = if day_minutes == 0 {
            "days are not set".to_string()
        } else {
            format!("a day is {}", duration(u64::from(day_minutes), 0))
        };
        Err(format!(
            "\"{}\" is not a duration: {why}; write minutes (90), or 90m, 2h, 1h30m, 1.5h, 3d, 1w ({day})",
            shown(text.trim(), 40)
        ))
    };
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return refuse("it is empty".into());
    }
    if lower.starts_with('-') {
        return refuse("a duration cannot be negative".into());
    }
    let mut rest = lower.as_str();
    let mut total = 0.0f64;
    // The index in UNITS of the last unit read: the next must be smaller.
    let mut last: Option<usize> = None;
    let mut parts = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        rest = rest[number_len..].trim_start();
        if number.is_empty() {
            let next = rest.chars().next().unwrap_or(' ');
            return refuse(if next == '-' {
                "a duration cannot be negative".into()
            } else {
                format!("a number is missing before \"{}\"", shown(rest, 20))
            });
        }
        let value: f64 = match number.parse() {
            Ok(value) if number.chars().any(|c| c.is_ascii_digit()) => value,
            _ => return refuse(format!("\"{number}\" is not a number")),
        };
        let unit_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        parts += 1;
        if word.is_empty() {
            if parts == 1 && rest.is_empty() {
                total = value; // plain minutes
                break;
            }
            return refuse(match rest.chars().next() {
                // A sign or a mark where the unit should be ("3+", "2h/3").
                Some(c) if !c.is_ascii_digit() && c != '.' && c != '-' => {
                    format!("\"{}\" is not a unit", shown(&c.to_string(), 20))
                }
                _ => format!("\"{number}\" has no unit"),
            });
        }
        let Some(unit) = UNITS.iter().position(|(_, words)| words.contains(&word)) else {
            return refuse(format!("\"{}\" is not a unit", shown(word, 20)));
        };
        match last {
            Some(before) if before == unit => {
                return refuse(format!("{} is given twice", UNITS[unit].0));
            }
            Some(before) if before > unit => {
                return refuse(format!(
                    "write the larger units first ({} before {})",
                    UNITS[unit].0, UNITS[before].0
                ));
            }
            _ => {}
        }
        last = Some(unit);
        let day = f64::from(day_minutes);
        let unit_minutes = [day * DAYS_PER_WEEK as f64, day, 60.0, 1.0][unit];
        if unit_minutes == 0.0 {
            return refuse("days and weeks need a working day".into());
        }
        total += value * unit_minutes;
    }
    let rounded = total.round();
    if rounded > f64::from(u32::MAX) {
        return refuse(format!(
            "it is longer than the longest duration vsmap keeps, {}",
            duration(u64::from(u32::MAX), day_minutes)
        ));
    }
    Ok(rounded as u32)
}

/// "1 step", "3 steps".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text cut to `width` columns with an ellipsis when it does not fit.
pub fn fit(text: &str, width: usize, ellipsis: char) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push(ellipsis);
    out
}

/// Adds a word to a line after a space, when it fits `width` columns.
fn append_word(line: &mut String, word: &str, width: usize) -> bool {
    let space = usize::from(!line.is_empty());
    if line.width() + space + word.width() > width {
        return false;
    }
    if space == 1 {
        line.push(' ');
    }
    line.push_str(word);
    true
}

/// Word-wraps text into at most `lines` lines of `width` columns. A word longer than a line
/// is cut with `ellipsis`; when the text needs more lines, the last one holds as much of the
/// rest as fits and ends in `ellipsis`.
pub fn wrap(text: &str, width: usize, lines: usize, ellipsis: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        if append_word(&mut line, word, width) {
            continue;
        }
        if out.len() + 1 >= lines {
            let mut rest = line;
            for word in &words[i..] {
                if !rest.is_empty() {
                    rest.push(' ');
                }
                rest.push_str(word);
            }
            out.push(fit(&rest, width, ellipsis));
            out.truncate(lines);
            return out;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        line = fit(word, width, ellipsis);
    }
    if !line.is_empty() && out.len() < lines {
        out.push(fit(&line, width, ellipsis));
    }
    out
}

/// Word-wraps the whole text into lines of `width` columns, however many it takes: a word
/// longer than a line is broken across lines, so nothing is ever cut.
pub fn wrap_whole(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if append_word(&mut line, word, width) {
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && line.width() + c.width().unwrap_or(0) > width {
                out.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_borrowing_says_what_shown_says() {
        for text in [
            "plain",
            "tab\there",
            "back\\u{41}",
            "a\\b",
            "x\u{202e}y",
            "long label",
        ] {
            for max in [4, 100] {
                let borrowed = shown_borrowing(text, max);
                assert_eq!(borrowed, shown(text, max), "{text:?} at {max}");
                if let std::borrow::Cow::Borrowed(same) = borrowed {
                    assert_eq!(same, text);
                }
            }
        }
        assert!(matches!(
            shown_borrowing("plain", 100),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_durations_width_is_that_of_its_text() {
        for day in [0, 1, 60, 450, 480, 1440] {
            for total in (0..20_000).chain([u64::from(u32::MAX), u64::MAX]) {
                assert_eq!(
                    duration_width(total, day),
                    duration(total, day).len(),
                    "{total} minutes, day of {day}"
                );
            }
        }
    }

    #[test]
    fn durations_read_as_people_say_them() {
        let day = WORKING_DAY_MINUTES;
        assert_eq!(duration(0, day), "0m");
        assert_eq!(duration(45, day), "45m");
        assert_eq!(duration(90, day), "1h30m");
        assert_eq!(duration(960, day), "2d");
        assert_eq!(duration(2400, day), "1w");
        assert_eq!(duration(2460, day), "1w1h");
        assert_eq!(duration(2880, day), "1w1d");
        assert_eq!(duration(2880, 1440), "2d");
        assert_eq!(duration(2460, 1440), "1d17h");
        assert_eq!(duration(7200, 1440), "1w");
        // A day of 7h30m: the hours of a day stop at 7h29m.
        assert_eq!(duration(450, 450), "1d");
        assert_eq!(duration(449, 450), "7h29m");
        assert_eq!(duration(900, 0), "15h");
        assert_eq!(duration(u64::from(u32::MAX) + 1, 1440), "596523w1d4h16m");
        assert_eq!(minutes(480, day), "1d");
    }

    #[test]
    fn durations_parse_as_people_write_them() {
        let day = WORKING_DAY_MINUTES;
        for (text, expected) in [
            ("90", 90),
            ("90m", 90),
            ("2h", 120),
            ("1h30m", 90),
            ("1h 30m", 90),
            (" 1H30M ", 90),
            ("1.5h", 90),
            ("0.5d", 240),
            ("3d", 1440),
            ("1w", 2400),
            ("1d4h", 720),
            ("2w3d", 6240),
            ("2 hours 5 min", 125),
            ("1 week", 2400),
            ("0", 0),
            ("0.5m", 1),
            (".25h", 15),
            ("4294967295", u32::MAX),
        ] {
            assert_eq!(parse_duration(text, day), Ok(expected), "{text:?}");
        }
        assert_eq!(parse_duration("1d", 1440), Ok(1440));
        assert_eq!(parse_duration("1w", 1440), Ok(7200));
        assert_eq!(parse_duration("1d", 450), Ok(450));
    }

    #[test]
    fn a_wrong_duration_says_what_is_wrong_and_what_would_do() {
        let day = WORKING_DAY_MINUTES;
        let refused = |text: &str| parse_duration(text, day).unwrap_err();
        assert_eq!(
            refused("3x"),
            "\"3x\" is not a duration: \"x\" is not a unit; write minutes (90), or 90m, 2h, 1h30m, 1.5h, 3d, 1w (a day is 8h)"
        );
        for (text, why) in [
            ("", "it is empty"),
            ("   ", "it is empty"),
            ("-5", "cannot be negative"),
            ("1h -30m", "cannot be negative"),
            ("1h2h", "h is given twice"),
            ("30m1h", "larger units first (h before m)"),
            ("1h30", "\"30\" has no unit"),
            ("h", "a number is missing before \"h\""),
            ("1.2.3h", "\"1.2.3\" is not a number"),
            (".h", "\".\" is not a number"),
            ("1e5", "\"e\" is not a unit"),
            ("3+", "\"+\" is not a unit"),
            ("1 2h", "\"1\" has no unit"),
            ("4294967296", "longer than the longest duration"),
            (
                "99999999999999999999999999w",
                "longer than the longest duration",
            ),
        ] {
            let message = refused(text);
            assert!(message.contains(why), "{text:?}: {message}");
            assert!(message.ends_with("(a day is 8h)"), "{message}");
        }
        assert!(
            parse_duration("x", 1440)
                .unwrap_err()
                .ends_with("(a day is 24h)")
        );
        assert!(
            parse_duration("x", 450)
                .unwrap_err()
                .ends_with("(a day is 7h30m)")
        );
        // Text that would move the cursor is shown escaped.
        assert!(refused("\u{1b}[2J").contains("\\u{1b}"));
    }

    #[test]
    fn every_duration_reads_back_as_it_was_written() {
        for day in [1, 60, 450, 480, 479, 1440] {
            let mut values: Vec<u32> = (0..5000).collect();
            let mut x: u32 = 12345;
            for _ in 0..5000 {
                // A cheap pseudo-random spread over the whole range.
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                values.push(x);
            }
            values.extend([u32::MAX, u32::MAX - 1, day * 5 - 1, day * 5, day * 5 + 1]);
            for m in values {
                let text = minutes(m, day);
                assert_eq!(
                    parse_duration(&text, day),
                    Ok(m),
                    "{m} as {text:?}, day {day}"
                );
            }
        }
    }

    #[test]
    fn wrapping_keeps_words_and_cuts_what_does_not_fit() {
        assert_eq!(
            wrap("Service desk logs the call", 17, 2, '…'),
            ["Service desk logs", "the call"]
        );
        assert_eq!(wrap("one two three four", 9, 1, '…'), ["one two …"]);
        assert_eq!(wrap("abcdefghij", 4, 3, '…'), ["abc…"]);
        assert_eq!(
            wrap("Knowledge article published", 16, 1, '…'),
            ["Knowledge artic…"]
        );
        assert!(wrap("", 5, 2, '…').is_empty());
        assert_eq!(wrap_whole("abcdefghij kl", 4), ["abcd", "efgh", "ij", "kl"]);
        assert_eq!(wrap_whole("the whole label", 9), ["the whole", "label"]);
    }

    #[test]
    fn shown_text_escapes_what_would_move_the_cursor() {
        assert_eq!(shown("a\u{1b}[2Jb", 100), "a\\u{1b}[2Jb");
        assert_eq!(shown("abcdef", 3), "abc…");
        assert_eq!(one_line("a\nb\u{202e}c"), "a bc");
        assert_eq!(plural(1, "step", "steps"), "1 step");
        assert_eq!(plural(2, "step", "steps"), "2 steps");
        assert_eq!(fit("abcdef", 4, '…'), "abc…");
    }

    #[test]
    fn shown_text_is_escaped_and_cut() {
        assert_eq!(
            shown("a\u{1b}[2Jb\u{202e}c\u{200b}", 100),
            "a\\u{1b}[2Jb\\u{202e}c\\u{200b}"
        );
        assert_eq!(shown("abcdef", 3), "abc…");
        assert_eq!(shown("abc", 3), "abc");
        assert_eq!(shown(&"x".repeat(1 << 20), 5), "xxxxx…");
    }

    #[test]
    fn an_escape_on_screen_always_stands_for_an_escaped_character() {
        // A literal `\u{9b}` in the text is not the escaped byte U+009B.
        assert_eq!(shown("\\u{9b}", 100), "\\\\u{9b}");
        assert_eq!(shown("\u{9b}", 100), "\\u{9b}");
        assert_ne!(shown("\\u{9b}", 100), shown("\u{9b}", 100));
        // Other backslashes stay as they are.
        assert_eq!(shown("a\\b \\u x\\", 100), "a\\b \\u x\\");
    }

    #[test]
    fn the_last_guard_escapes_only_what_is_left() {
        assert_eq!(terminal_safe("ok\n\tline"), "ok\n\tline");
        assert_eq!(
            terminal_safe("a\u{1b}]52;c;eA==\u{7}b\u{9b}c\u{202e}\n"),
            "a\\u{1b}]52;c;eA==\\u{7}b\\u{9b}c\\u{202e}\n"
        );
        let shown_once = shown("x\u{1b}", 10);
        assert_eq!(terminal_safe(&shown_once), shown_once, "no double escaping");
        // Past the blocks read whole, and after visible characters that are not ASCII.
        let long = "a".repeat(130);
        for (text, escaped) in [
            (format!("{long}\u{1b}"), format!("{long}\\u{{1b}}")),
            (format!("{long}→ é\u{9b}"), format!("{long}→ é\\u{{9b}}")),
            (format!("{long}→ é\t\n"), format!("{long}→ é\t\n")),
        ] {
            assert_eq!(terminal_safe(&text), escaped);
        }
    }

    #[test]
    fn the_last_guard_finds_every_invisible_character_wherever_it_stands() {
        // The byte scan against the plain rule, for every character, in a short text, at the
        // end of a whole block and in the short tail after blocks.
        let plain = |text: &str| {
            text.chars()
                .any(|c| is_invisible(c) && c != '\n' && c != '\t')
        };
        // Every invisible character lies in the first plane: all of it, and a sample of the
        // planes above (each 4-byte lead among them), keeps the test quick in debug builds.
        let chars = (0..=0xffff).chain((0x10000..=0x10ffff).step_by(251));
        for c in chars.filter_map(char::from_u32) {
            for before in [0, 1, 62, 63, 64, 127, 128, 130] {
                let text = format!("{}{c}→é", "a".repeat(before));
                assert_eq!(needs_terminal_escape(&text), plain(&text), "{:x}", c as u32);
            }
        }
    }

    #[test]
    fn shown_copies_plain_ascii_and_cuts_it_as_any_text() {
        assert_eq!(shown("Step 12 of row 3", 100), "Step 12 of row 3");
        assert_eq!(shown("abcd", 4), "abcd");
        assert_eq!(shown("abcde", 4), "abcd…");
        assert_eq!(shown("a\\u{9b}", 100), "a\\\\u{9b}");
        assert_eq!(shown("tab\there", 100), "tab\\u{9}here");
    }

    #[test]
    fn json_keeps_its_meaning_and_loses_the_c1_and_bidi_characters() {
        let value = serde_json::json!({ "name": "a\u{9b}2J\u{202e}b\u{1b}" });
        let safe = json_safe(&format!("{value}\n{value:#}\n"));
        assert!(
            safe.chars().all(|c| !is_invisible(c) || c == '\n'),
            "{safe}"
        );
        let safe = json_safe(&value.to_string());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }

    #[test]
    fn shell_words_are_quoted_to_be_copied() {
        assert_eq!(shell_quoted("/home/ana/m.ron"), "/home/ana/m.ron");
        assert_eq!(shell_quoted("my map.ron"), "'my map.ron'");
        assert_eq!(shell_quoted("it's; rm -rf ~"), "'it'\\''s; rm -rf ~'");
        assert_eq!(shell_quoted("$(x)`y`"), "'$(x)`y`'");
        assert_eq!(shell_quoted(""), "''");
        assert_eq!(shell_quoted("a\u{1b}]52;c;b'\\"), "$'a\\x1b]52;c;b\\'\\\\'");
    }

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_ones() {
        assert_eq!(
            wrap("Investigated and resolved", 21, 2, '…'),
            ["Investigated and", "resolved"]
        );
        assert_eq!(wrap("abcdefghij", 4, 3, '…'), ["abc…"]);
        assert_eq!(wrap("one two three four", 9, 1, '…'), ["one two …"]);
        assert_eq!(wrap("🙂🙂🙂", 4, 2, '…'), ["🙂…"]);
        assert!(wrap("  ", 4, 2, '…').is_empty());
    }
}
