//! Every colour, style and drawing character in one place. Meaning is carried by marks and
//! tags as well as colour, so `NO_COLOR` and `--ascii` lose nothing but looks.

use crate::check::Verdict;
use crate::check::codes::Severity;
use crate::model::activity::Activity;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    /// Top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
    pub step_box: [char; 6],
    pub end_box: [char; 6],
    /// Arrowheads pointing up, down, left, right.
    pub arrows: [char; 4],
    pub canonical: char,
    pub handoff: char,
    pub off_chain: char,
    pub warning: char,
    pub note: char,
    pub empty_cell: char,
    pub ellipsis: char,
    /// Marks a step or connection that has improvement notes.
    pub improvement: char,
    /// The ladder of the timeline: horizontal, then the corners where it goes down from the
    /// high (waiting) level, up from the low (working) one, down into it and up out of it.
    pub ladder: [char; 5],
    /// The data box inside a step's box: left and right tees, top and bottom tees.
    pub tees: [char; 4],
    /// Between the parts of a line ("lead 3h · process 1h").
    pub dot: char,
    /// Between the numbers of a step ("5m · wait 10m").
    pub separator: &'static str,
    /// Points at the selection in its one-line summary.
    pub pointer: char,
    /// Between the steps of a path ("Demand → Log → Fix").
    pub then: &'static str,
}

pub const UNICODE: Glyphs = Glyphs {
    step_box: ['┌', '┐', '└', '┘', '─', '│'],
    end_box: ['╔', '╗', '╚', '╝', '═', '║'],
    arrows: ['▲', '▼', '◀', '▶'],
    canonical: '✔',
    handoff: '↔',
    off_chain: '✖',
    warning: '⚠',
    note: 'ℹ',
    empty_cell: '┄',
    ellipsis: '…',
    improvement: '★',
    ladder: ['─', '┐', '┌', '┘', '└'],
    tees: ['├', '┤', '┬', '┴'],
    dot: '·',
    separator: " · ",
    pointer: '▸',
    then: " → ",
};

pub const ASCII: Glyphs = Glyphs {
    step_box: ['+', '+', '+', '+', '-', '|'],
    end_box: ['#', '#', '#', '#', '=', '#'],
    arrows: ['^', 'v', '<', '>'],
    canonical: '+',
    handoff: '=',
    off_chain: 'x',
    warning: '!',
    note: 'i',
    empty_cell: '.',
    ellipsis: '~',
    improvement: '*',
    ladder: ['-', '+', '+', '+', '+'],
    tees: ['+', '+', '+', '+'],
    dot: ',',
    separator: ", ",
    pointer: '>',
    then: " -> ",
};

/// The ASCII stand-in of a character vsmap itself draws (marks, separators, arrows),
/// for the text that is written before the theme is known (messages); `None` for any other.
pub fn ascii_stand_in(c: char) -> Option<char> {
    Some(match c {
        '·' => '.',
        '▸' | '→' | '▶' => '>',
        '←' | '◀' => '<',
        '↑' | '▲' => '^',
        '↓' | '▼' => 'v',
        '—' | '–' | '─' | '━' | '═' | '┄' | '╌' => '-',
        '│' | '┃' | '║' | '┆' | '╎' => '|',
        // Corners and tees of boxes (ratatui's borders among them).
        '\u{2500}'..='\u{257f}' => '+',
        '…' => '~',
        '✔' => '+',
        '✖' => 'x',
        '↔' => '=',
        '⚠' => '!',
        'ℹ' => 'i',
        '★' => '*',
        _ => return None,
    })
}

/// How the map is drawn: plain ASCII or not, colour or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looks {
    pub ascii: bool,
    pub color: bool,
}

/// The colours that carry meaning; the user's configuration may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub canonical: Color,
    pub handoff: Color,
    /// Off-chain and unknown connections, and errors.
    pub off_chain: Color,
    pub warning: Color,
    pub note: Color,
    /// Keys in the help and the status line.
    pub key: Color,
}

impl Palette {
    pub const DEFAULT: Palette = Palette {
        canonical: Color::Green,
        handoff: Color::Cyan,
        off_chain: Color::Red,
        warning: Color::Yellow,
        note: Color::Blue,
        key: Color::Yellow,
    };
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    /// Plain ASCII glyphs (connections are drawn from this too).
    pub ascii: bool,
    pub glyphs: Glyphs,
    pub palette: Palette,
}

impl Theme {
    pub fn new(color: bool, ascii: bool) -> Theme {
        Theme {
            color,
            ascii,
            glyphs: if ascii { ASCII } else { UNICODE },
            palette: Palette::DEFAULT,
        }
    }

    pub fn with_palette(self, palette: Palette) -> Theme {
        Theme { palette, ..self }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn verdict(&self, verdict: Verdict) -> Style {
        match verdict {
            Verdict::Canonical => self.fg(self.palette.canonical),
            Verdict::Handoff => self.fg(self.palette.handoff),
            Verdict::OffChain | Verdict::UnknownArtifact => {
                self.fg(self.palette.off_chain).add_modifier(Modifier::BOLD)
            }
        }
    }

    pub fn verdict_mark(&self, verdict: Verdict) -> char {
        match verdict {
            Verdict::Canonical => self.glyphs.canonical,
            Verdict::Handoff => self.glyphs.handoff,
            Verdict::OffChain | Verdict::UnknownArtifact => self.glyphs.off_chain,
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.fg(self.palette.off_chain).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(self.palette.warning),
            Severity::Note => self.fg(self.palette.note),
        }
    }

    pub fn severity_mark(&self, severity: Severity) -> char {
        match severity {
            Severity::Error => self.glyphs.off_chain,
            Severity::Warning => self.glyphs.warning,
            Severity::Note => self.glyphs.note,
        }
    }

    pub fn activity(&self, activity: Activity) -> Style {
        self.fg(match activity {
            Activity::Demand | Activity::Value => Color::Magenta,
            Activity::Plan => Color::Blue,
            Activity::Improve => Color::Green,
            Activity::Engage => Color::Yellow,
            Activity::DesignAndTransition => Color::Cyan,
            Activity::ObtainOrBuild => Color::LightRed,
            Activity::DeliverAndSupport => Color::LightBlue,
        })
    }

    /// The step or connection under the cursor: reversed, which needs no colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(self.palette.key).add_modifier(Modifier::BOLD)
    }
}
