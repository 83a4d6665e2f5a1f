//! One copy of the small text helpers every output shares: user text made safe to show,
//! durations, fitting and wrapping to a width, and plurals. Copies of these drift apart
//! and then disagree on screen.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters that draw nothing or move the cursor: control characters, bidi controls and
/// zero-width marks. They are escaped in files and shown escaped on screen.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
}

/// User text made safe to show in a terminal or a message: characters that draw nothing or
/// move the cursor are escaped (`\u{1b}`), and text longer than `max_chars` characters is
/// cut there and ends in an ellipsis. Looks at no more than `max_chars + 1` characters, so
/// even a megabyte of text costs next to nothing to show.
pub fn shown(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(4)) + 4);
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
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

/// Minutes as people read them: 45 -> "45m", 90 -> "1h30m", 2880 -> "2d" (days of 24
/// hours).
pub fn duration(total: u64) -> String {
    let (days, hours, mins) = (total / 1440, total % 1440 / 60, total % 60);
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}d"));
    }
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if mins > 0 || out.is_empty() {
        out.push_str(&format!("{mins}m"));
    }
    out
}

/// A step's minutes as people read them.
pub fn minutes(value: u32) -> String {
    duration(u64::from(value))
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

/// Word-wraps text into at most `lines` lines of `width` columns. A word longer than a line
/// is cut with `ellipsis`; when the text needs more lines, the last one holds as much of the
/// rest as fits and ends in `ellipsis`.
pub fn wrap(text: &str, width: usize, lines: usize, ellipsis: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let space = usize::from(!line.is_empty());
        if line.width() + space + word.width() <= width {
            if space == 1 {
                line.push(' ');
            }
            line.push_str(word);
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
        let space = usize::from(!line.is_empty());
        if line.width() + space + word.width() <= width {
            if space == 1 {
                line.push(' ');
            }
            line.push_str(word);
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
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(45), "45m");
        assert_eq!(duration(90), "1h30m");
        assert_eq!(duration(2880), "2d");
        assert_eq!(duration(2460), "1d17h");
        assert_eq!(duration(u64::from(u32::MAX) + 1), "2982616d4h16m");
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
