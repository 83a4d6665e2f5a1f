//! The user's configuration, `$XDG_CONFIG_HOME/vsmap/config.ron`: the mouse, the zoom a map
//! opens at, the working day of a new map, the colours and keys of the user's own. Every field may be left out; a
//! file that cannot be read leaves the defaults in force and says where it is wrong.

use crate::editor::keys::KeyPatch;
use crate::io::ron_text::{self, FileError};
use crate::view::boxes::Zoom;
use crate::view::theme::Palette;
use ratatui::style::Color;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Capture the mouse (click, drag, the wheel); false leaves it to the terminal, so text
    /// can be selected and copied.
    pub mouse: bool,
    /// The zoom a map opens at.
    pub zoom: ZoomName,
    /// The working day, in minutes, of a map vsmap creates (`vsmap new`, a file that does
    /// not exist yet); a map's own `working_day_minutes` always wins.
    pub working_day_minutes: u32,
    pub colors: Colors,
    pub keys: Keys,
}

/// Keys of the user's own, per context: `{"grid": {"x": "Delete"}}` makes `x` do in the
/// map what `Delete` does there. Checked as it is read, so a mistake is placed in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    pub written: BTreeMap<String, BTreeMap<String, String>>,
    pub patch: KeyPatch,
}

impl Serialize for Keys {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.written.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        let written = BTreeMap::<String, BTreeMap<String, String>>::deserialize(d)?;
        let patch = KeyPatch::new(written.iter().flat_map(|(context, keys)| {
            keys.iter()
                .map(move |(key, acts_as)| (context.as_str(), key.as_str(), acts_as.as_str()))
        }))
        .map_err(serde::de::Error::custom)?;
        Ok(Keys { written, patch })
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            mouse: true,
            zoom: ZoomName::Normal,
            working_day_minutes: crate::text::WORKING_DAY_MINUTES,
            colors: Colors::default(),
            keys: Keys::default(),
        }
    }
}

/// A zoom level as the file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ZoomName {
    Overview,
    Normal,
    Detail,
}

impl From<ZoomName> for Zoom {
    fn from(zoom: ZoomName) -> Zoom {
        match zoom {
            ZoomName::Overview => Zoom::Overview,
            ZoomName::Normal => Zoom::Normal,
            ZoomName::Detail => Zoom::Detail,
        }
    }
}

/// The colours that carry meaning, by name (`"green"`, `"lightred"`) or as `"#rrggbb"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colors {
    #[serde(with = "color_name")]
    pub canonical: Color,
    #[serde(with = "color_name")]
    pub handoff: Color,
    #[serde(with = "color_name")]
    pub off_chain: Color,
    #[serde(with = "color_name")]
    pub warning: Color,
    #[serde(with = "color_name")]
    pub note: Color,
    #[serde(with = "color_name")]
    pub key: Color,
}

impl Default for Colors {
    fn default() -> Colors {
        Colors::from(Palette::DEFAULT)
    }
}

impl From<Palette> for Colors {
    fn from(p: Palette) -> Colors {
        Colors {
            canonical: p.canonical,
            handoff: p.handoff,
            off_chain: p.off_chain,
            warning: p.warning,
            note: p.note,
            key: p.key,
        }
    }
}

impl From<Colors> for Palette {
    fn from(c: Colors) -> Palette {
        Palette {
            canonical: c.canonical,
            handoff: c.handoff,
            off_chain: c.off_chain,
            warning: c.warning,
            note: c.note,
            key: c.key,
        }
    }
}

/// Colours as ratatui names them, so a wrong name is an error at its place in the file.
mod color_name {
    use super::*;

    pub fn serialize<S: Serializer>(color: &Color, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&color.to_string().to_lowercase())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "`{}` is not a colour: use a name such as \"green\", \"lightred\", \"darkgray\", or \"#rrggbb\"",
                crate::text::shown(&name, 40)
            ))
        })
    }
}

impl Config {
    /// Reads a configuration text; `name` is the file's, for the error's `file:line:col`.
    pub fn parse(name: &str, text: &str) -> Result<Config, FileError> {
        let config: Config = ron_text::parse(name, text)?;
        let day = config.working_day_minutes;
        if !(1..=crate::model::map::MAX_DAY_MINUTES).contains(&day) {
            return Err(FileError::new(
                name,
                None,
                format!(
                    "working_day_minutes is {day}: a working day is 1 to {} minutes (480 for 8 hours, 1440 for a 24x7 desk)",
                    crate::model::map::MAX_DAY_MINUTES
                ),
            ));
        }
        Ok(config)
    }

    /// The defaults as a commented file, which parses back to them.
    pub fn default_text() -> String {
        let d = Config::default();
        let c = &d.colors;
        let color = |c: Color| c.to_string().to_lowercase();
        format!(
            "// vsmap's configuration: $XDG_CONFIG_HOME/vsmap/config.ron (by default
// ~/.config/vsmap/config.ron). Every field may be left out; these are the defaults.
(
    // Capture the mouse (click, drag, the wheel). false leaves it to the terminal, so text
    // can be selected and copied (as `--no-mouse` does).
    mouse: {mouse},
    // The zoom a map opens at: Overview, Normal or Detail.
    zoom: {zoom:?},
    // The working day of a new map, in minutes: 480 is 8 hours, 1440 a 24x7 desk. A map's
    // own working_day_minutes always wins.
    working_day_minutes: {day},
    // Colours by name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray,
    // lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white) or \"#rrggbb\".
    colors: (
        canonical: \"{canonical}\",
        handoff: \"{handoff}\",
        off_chain: \"{off_chain}\",
        warning: \"{warning}\",
        note: \"{note}\",
        key: \"{key}\",
    ),
    // Keys of your own, per context (grid, review, backlog, connect, carry, findings,
    // picker, text, form, help, inspector, ...): a key, and the key of the table it does
    // the work of. They show in `?` and the status line. For example
    //     keys: {{ \"grid\": {{ \"x\": \"Delete\", \"C-z\": \"u\" }} }},
    // Keys are written \"x\", \"X\", \"C-x\", \"Alt-d\", \"S-Tab\", \"Enter\", \"Esc\",
    // \"Delete\", \"Space\", \"PageDown\", \"F5\".
    keys: {{}},
)
",
            mouse = d.mouse,
            zoom = d.zoom,
            day = d.working_day_minutes,
            canonical = color(c.canonical),
            handoff = color(c.handoff),
            off_chain = color(c.off_chain),
            warning = color(c.warning),
            note = color(c.note),
            key = color(c.key),
        )
    }
}

/// Where the configuration file is: `$XDG_CONFIG_HOME/vsmap/config.ron`, else the system's
/// configuration directory for vsmap (`~/.config/vsmap` on Linux).
pub fn path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(|v| PathBuf::from(v).join("vsmap"))
        .or_else(|| {
            directories::ProjectDirs::from("", "", "vsmap").map(|d| d.config_dir().to_path_buf())
        })?;
    Some(base.join("config.ron"))
}

/// What came of looking for the configuration file.
#[derive(Debug)]
pub enum Loaded {
    /// There is none: the defaults.
    Missing,
    Read(Config),
    /// It could not be read or is wrong: the defaults, and why.
    Broken(FileError),
}

impl Loaded {
    /// The configuration in force: the file's, or the defaults.
    pub fn config(&self) -> Config {
        match self {
            Loaded::Read(config) => config.clone(),
            Loaded::Missing | Loaded::Broken(_) => Config::default(),
        }
    }
}

/// Reads the configuration file at `path`.
pub fn load_from(path: &Path) -> Loaded {
    if std::fs::symlink_metadata(path).is_err() {
        return Loaded::Missing;
    }
    match ron_text::read_text(path)
        .and_then(|text| Config::parse(&path.display().to_string(), &text))
    {
        Ok(config) => Loaded::Read(config),
        Err(error) => Loaded::Broken(error),
    }
}

/// Reads the user's configuration file, wherever `path` says it is.
pub fn load() -> Loaded {
    path().map_or(Loaded::Missing, |p| load_from(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_text_parses_back_to_the_defaults() {
        let parsed = Config::parse("config.ron", &Config::default_text()).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn every_field_may_be_left_out() {
        let parsed = Config::parse("c", "(mouse: false)").unwrap();
        assert!(!parsed.mouse);
        assert_eq!(parsed.zoom, ZoomName::Normal);
        let parsed = Config::parse("c", "(colors: (canonical: \"#00ff00\"))").unwrap();
        assert_eq!(parsed.colors.canonical, Color::Rgb(0, 255, 0));
        assert_eq!(parsed.colors.handoff, Colors::default().handoff);
    }

    #[test]
    fn a_key_patch_gives_a_table_key_another_name() {
        use crate::editor::action::Action;
        use crate::editor::keys::{Context, action_for};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let config = Config::parse(
            "c",
            "(keys: {\"grid\": {\"x\": \"Delete\", \"C-z\": \"u\"}})",
        )
        .unwrap();
        let patch = &config.keys.patch;
        let press = |code, mods| patch.translate(Context::Grid, KeyEvent::new(code, mods));
        assert_eq!(
            action_for(Context::Grid, press(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Delete)
        );
        assert_eq!(
            action_for(
                Context::Grid,
                press(KeyCode::Char('z'), KeyModifiers::CONTROL)
            ),
            Some(Action::Undo)
        );
        // Elsewhere x is still x: a picker's filter types it.
        let typed = patch.translate(
            Context::Picker,
            KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
        );
        assert_eq!(action_for(Context::Picker, typed), Some(Action::Type('x')));
        // The text written back reads back the same.
        let again = ron::ser::to_string(&config).unwrap();
        assert_eq!(Config::parse("c", &again).unwrap(), config);
    }

    #[test]
    fn mistakes_are_placed() {
        let error = Config::parse("c.ron", "(\n  mose: false,\n)").unwrap_err();
        assert!(error.to_string().starts_with("c.ron:2:"), "{error}");
        let error = Config::parse("c.ron", "(\n colors: (note: \"mauve\"),\n)").unwrap_err();
        assert!(error.to_string().starts_with("c.ron:2:"), "{error}");
        assert!(error.to_string().contains("mauve"), "{error}");
        let error =
            Config::parse("c.ron", "(\n keys: {\"grid\": {\"x\": \"nokey\"}},\n)").unwrap_err();
        assert!(error.to_string().starts_with("c.ron:2:"), "{error}");
        assert!(error.to_string().contains("nokey"), "{error}");
        let error = Config::parse("c.ron", "(keys: {\"grid\": {\"x\": \"F9\"}})").unwrap_err();
        assert!(
            error.to_string().contains("does nothing in grid"),
            "{error}"
        );
        let error = Config::parse("c.ron", "(keys: {\"gird\": {\"x\": \"d\"}})").unwrap_err();
        assert!(
            error.to_string().contains("no key context `gird`"),
            "{error}"
        );
        let error = Config::parse("c.ron", "(working_day_minutes: 0)").unwrap_err();
        assert!(error.to_string().contains("working_day_minutes"), "{error}");
    }
}
