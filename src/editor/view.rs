//! The editor's view of the document: the cursor, the selection, the scroll, the popups,
//! the mode, the message. None of it is saved; all of it may change without changing the map.

use super::layout;
use super::state::{Focus, Layer, Message, Mode};
use crate::model::map::Cell;
pub use crate::view::theme::Looks;

pub struct View {
    pub looks: Looks,
    /// The colours, from the user's configuration.
    pub palette: crate::view::theme::Palette,
    /// The user's own keys, from the configuration: the terminal translates them, `?`
    /// and the hints show them.
    pub keys: super::keys::KeyPatch,
    /// Whether the editor takes the mouse (not with `--no-mouse`): `?` explains it only then.
    pub mouse: bool,
    pub cursor: Cell,
    pub selected_flow: Option<usize>,
    pub mode: Mode,
    pub focus: Focus,
    /// Popups, top last. The top one gets the keys.
    pub layers: Vec<Layer>,
    /// Top-left cell of the view.
    pub scroll: Cell,
    pub screen: (u16, u16),
    pub message: Option<Message>,
    /// Index into the document's findings of the finding last visited; reset when the map
    /// changes.
    pub finding: Option<usize>,
    pub quit_after_save: bool,
    /// Opened for a retrospective: nothing but improvement notes can change.
    pub review: bool,
    /// Opened with `vsmap review`: review mode cannot be left.
    pub review_only: bool,
    /// The timeline ladder under the grid.
    pub show_timeline: bool,
    /// The legend of numbered links beside the grid, when there are any.
    pub show_legend: bool,
}

impl View {
    pub fn new(looks: Looks) -> View {
        View {
            looks,
            palette: crate::view::theme::Palette::DEFAULT,
            keys: super::keys::KeyPatch::default(),
            mouse: true,
            cursor: Cell::new(0, 0),
            selected_flow: None,
            mode: Mode::Normal,
            focus: Focus::Grid,
            layers: Vec::new(),
            scroll: Cell::new(0, 0),
            screen: (80, 24),
            message: None,
            finding: None,
            quit_after_save: false,
            review: false,
            review_only: false,
            show_timeline: false,
            show_legend: true,
        }
    }

    /// After the map changed: the findings are new, and a selected connection that is gone
    /// is no longer selected.
    pub(super) fn map_changed(&mut self, flow_count: usize) {
        self.finding = None;
        if self.selected_flow.is_some_and(|f| f >= flow_count) {
            self.selected_flow = None;
        }
    }

    /// Where everything is on the current screen; `legend` when there are numbered links.
    pub fn layout(&self, legend: bool) -> layout::Screen {
        layout::screen_of(
            self.screen.0,
            self.screen.1,
            self.show_timeline,
            legend && self.show_legend,
        )
    }
}
