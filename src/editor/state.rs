//! The editor's state: the document (the map, its history and what is derived from it)
//! and the view of it beside (cursor, selection, popups). Changed only by `update`; read by
//! drawing.

use super::document::Document;
use super::history::Change;
use super::input::TextInput;
use super::keys::Context;
use super::layout;
use super::picker::Picker;
pub use super::view::{Looks, View};
use crate::chain::{ArtifactId, Chain};
use crate::check::codes::Severity;
use crate::model::activity::Activity;
use crate::model::map::{Cell, Map};
use std::path::PathBuf;

/// What an artifact picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactChoice {
    Known(ArtifactId),
    /// A handoff inside one activity: no artifact.
    None,
}

/// The fields a form may have, by name: forms are read and focused by field, not by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Label,
    Activity,
    Also,
    Practices,
    ProcessTime,
    WaitTime,
    CompleteAccurate,
    Notes,
    Improvement,
    Owner,
}

impl Field {
    /// The step form's fields, in the order shown.
    pub const STEP: [Field; 8] = [
        Field::Label,
        Field::Activity,
        Field::Also,
        Field::Practices,
        Field::ProcessTime,
        Field::WaitTime,
        Field::CompleteAccurate,
        Field::Notes,
    ];
    /// The improvement note form's fields.
    pub const IMPROVEMENT: [Field; 2] = [Field::Improvement, Field::Owner];

    pub fn name(self) -> &'static str {
        match self {
            Field::Label => "Label",
            Field::Activity => "Activity",
            Field::Also => "Also",
            Field::Practices => "Practices",
            Field::ProcessTime => "Process time",
            Field::WaitTime => "Wait time",
            Field::CompleteAccurate => "%C/A",
            Field::Notes => "Notes",
            Field::Improvement => "Improvement",
            Field::Owner => "Owner",
        }
    }

    /// The line under the field that says what goes in it.
    pub fn hint(self) -> &'static str {
        match self {
            Field::Label | Field::Notes => "",
            Field::Activity => "a name or box mark: Plan, ENG, D&T, O/B, D&S…",
            Field::Also => "more activities, comma separated",
            Field::Practices => "typical ones first; Enter takes one; comma separated",
            Field::ProcessTime => "hands-on time: 90m, 2h, 1h30m, 1.5h, 3d, 1w, or minutes",
            Field::WaitTime => "the queue before the step: 30m, 2h, 1d (a working day), …",
            Field::CompleteAccurate => "percent complete and accurate, 0 to 100, or empty",
            Field::Improvement => "what to change, in a sentence",
            Field::Owner => "who takes it on; may be empty",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub field: Field,
    /// The field's name, as shown.
    pub name: &'static str,
    pub input: TextInput,
}

/// What a step or connection is: the subject of an improvement note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Step(usize),
    Flow(usize),
}

/// A step being added: where it goes, and the step it is linked with when added by
/// `o` or `O`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewStep {
    pub at: Cell,
    pub link: Option<Link>,
}

/// The link made with a new step: from `step` to the new one (`o`), or from the new one
/// into `step` (`O`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub step: usize,
    pub outgoing: bool,
}

/// What a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Every field of one step.
    Step(usize),
    /// A step not in the map yet: its fields, then (for `o` and `O`) its link.
    NewStep(NewStep),
    /// A new improvement note on a step or a connection.
    Improvement(Target),
    /// Improvement note `index` of a step or a connection, changed.
    EditImprovement(Target, usize),
}

/// Fields being edited in a popup.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    /// In the order shown.
    pub fields: Vec<FormField>,
    /// Index into `fields` of the field with the keys.
    pub focused: usize,
    pub error: Option<String>,
    /// The suggestion under the focused field that Enter takes (see `suggest`): the best
    /// one while a name is being typed, none until then.
    pub highlight: Option<usize>,
    /// What each field held when the form opened.
    initial: Vec<String>,
}

impl Form {
    /// A form of these fields holding these values, the first field focused.
    pub fn new(kind: FormKind, values: Vec<(Field, String)>) -> Form {
        let initial = values.iter().map(|(_, v)| v.clone()).collect();
        let fields = values
            .into_iter()
            .map(|(field, value)| FormField {
                field,
                name: field.name(),
                input: TextInput::new(&value),
            })
            .collect();
        Form {
            kind,
            fields,
            focused: 0,
            error: None,
            highlight: None,
            initial,
        }
    }

    /// What a field holds; empty for a field the form does not have.
    pub fn text(&self, field: Field) -> &str {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map_or("", |f| f.input.text())
    }

    /// Whether any field differs from what the form opened with.
    pub fn changed(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, v)| f.input.text() != v)
    }

    pub fn focused_field(&self) -> Option<Field> {
        self.fields.get(self.focused).map(|f| f.field)
    }

    pub fn focus(&mut self, field: Field) {
        if let Some(i) = self.fields.iter().position(|f| f.field == field) {
            self.focused = i;
            self.highlight = None;
        }
    }

    pub fn focused_input_mut(&mut self) -> Option<&mut TextInput> {
        self.fields.get_mut(self.focused).map(|f| &mut f.input)
    }

    /// Moves the focus to the next field (or the previous one), round the end.
    pub fn cycle_focus(&mut self, forward: bool) {
        let count = self.fields.len().max(1);
        self.highlight = None;
        self.focused = if forward {
            (self.focused + 1) % count
        } else {
            (self.focused + count - 1) % count
        };
    }
}

/// Popups, top last. The top one gets the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    ActivityPicker {
        new: NewStep,
        picker: Picker<Activity>,
    },
    Label {
        new: NewStep,
        activity: Activity,
        input: TextInput,
    },
    ArtifactPicker {
        from: usize,
        to: usize,
        flow: Option<usize>,
        picker: Picker<ArtifactChoice>,
        /// The map's last step is a new one shown for the eye only: choosing the artifact
        /// adds it and the link as one change; Esc takes it away.
        staged: bool,
    },
    Form(Form),
    /// Every improvement note of the map; `selected` indexes `Document::backlog()`.
    Backlog {
        selected: usize,
    },
    Title(TextInput),
    Help {
        under: Context,
        scroll: u16,
    },
    Inspector {
        scroll: u16,
    },
    ConfirmQuit,
    /// The file changed on disk since it was read: reload, overwrite or save elsewhere.
    ExternalChange,
    /// A save stopped to ask first: the file was deleted, or is read-only.
    SaveQuestion(SaveQuestion),
    /// Asking for another file name to save to.
    SaveAs(TextInput),
    /// A recovery file holds edits that were never saved: restore, discard or keep both.
    Recovery {
        map: Box<Map>,
        written_at: u64,
        /// The map file changed on disk since these edits began.
        map_changed_since: bool,
    },
    /// Another vsmap has this file open (the lock names who).
    LockWarning(String),
    /// The file could not be read: say why and change nothing.
    Broken(String),
}

/// Why a save stopped to ask before writing the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveQuestion {
    /// The file was deleted since it was read or saved.
    Deleted,
    /// The file is read-only (its mode lets no one write it): writing replaces it all the same.
    ReadOnly,
}

/// What the grid is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Connect {
        from: usize,
    },
    /// Carrying a step with the keyboard or the mouse; `origin` is where it came from.
    Carry {
        step: usize,
        origin: Cell,
        by_mouse: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Grid,
    Findings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub severity: Severity,
}

/// What came of taking the map's lock, as the edge tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    /// The lock is ours.
    Ours,
    /// The lock is ours, taken over from a stale holder (described).
    TookOver(String),
    /// Another vsmap (described) holds it.
    HeldBy(String),
    /// No lock file could be made, for this reason.
    Unavailable(String),
}

/// The document and the view of it.
pub struct Editor {
    pub(in crate::editor) doc: Document,
    pub view: View,
}

impl Editor {
    pub fn new(chain: Chain, map: Map, path: PathBuf, looks: Looks, on_disk: bool) -> Editor {
        let mut editor = Editor {
            doc: Document::new(chain, map, path, on_disk),
            view: View::new(looks),
        };
        if let Some(first) = editor.doc.map().steps.first() {
            editor.view.cursor = first.at;
        }
        // Routed by the first update, which knows the screen's size.
        editor
    }

    /// An editor on a file that does not exist yet: a map named after the file, with one
    /// Demand step on the first cell and the cursor on it, to build the stream from. Until
    /// it is changed it is not modified: quitting asks nothing and writes nothing.
    pub fn for_new_file(chain: Chain, path: PathBuf, looks: Looks) -> Editor {
        let title = path.file_stem().map_or_else(
            || "New map".to_string(),
            |s| s.to_string_lossy().replace(['-', '_'], " "),
        );
        let mut map = Map::new(title);
        let id = map.new_step_id("Demand", Activity::Demand);
        let demand = crate::model::map::Step::new(id, Activity::Demand, "Demand", Cell::new(0, 0));
        map.steps.push(demand);
        let mut editor = Editor::new(chain, map, path, looks, false);
        editor.doc.mark_untouched();
        editor
    }

    /// A read-only editor for a retrospective: metrics, findings and notes in front.
    pub fn for_review(chain: Chain, map: Map, path: PathBuf, looks: Looks) -> Editor {
        let mut editor = Editor::new(chain, map, path, looks, true);
        editor.view.review = true;
        editor.view.review_only = true;
        editor.view.show_timeline = true;
        editor
    }

    /// An editor that only shows why a file could not be opened.
    pub fn broken(chain: Chain, path: PathBuf, looks: Looks, error: String) -> Editor {
        let mut editor = Editor::new(chain, Map::new(""), path, looks, true);
        editor.view.layers.push(Layer::Broken(error));
        editor
    }

    /// Opens the map at the zoom the user's configuration asks for.
    pub fn open_at_zoom(&mut self, zoom: crate::view::boxes::Zoom) {
        self.doc.set_zoom(zoom);
    }

    /// The document: the map and what is derived from it. It changes only through `update`.
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The map being edited.
    pub fn map(&self) -> &Map {
        self.doc.map()
    }

    pub fn modified(&self) -> bool {
        self.doc.modified()
    }

    /// What the status line says, until the next thing the user does.
    pub fn message(&self) -> Option<&Message> {
        self.view.message.as_ref()
    }

    /// Whether some links near the view are drawn provisionally: the terminal sends
    /// `Action::Refine` while no key comes, until they are routed.
    pub fn refining(&self) -> bool {
        self.doc.canvas().refining()
    }

    /// Whether the editor shows only why the file could not be read.
    pub fn is_broken(&self) -> bool {
        matches!(self.view.layers.last(), Some(Layer::Broken(_)))
    }

    /// Changes the map outside the history (for tests and tools that set a map up), then
    /// brings everything derived, and the view, up to date.
    pub fn change_map_unrecorded(&mut self, change: impl FnOnce(&mut Map)) {
        self.doc.change_unrecorded(change);
        self.map_changed();
    }

    /// Applies a change through the history; the view follows.
    pub(in crate::editor) fn apply(&mut self, change: Change) {
        self.doc.apply(change);
        self.map_changed();
    }

    /// Undoes or redoes the last change; the view follows. What it was and where, if any.
    pub(in crate::editor) fn undo_redo(&mut self, undo: bool) -> Option<(String, Option<Cell>)> {
        let done = self.doc.undo_redo(undo)?;
        self.map_changed();
        Some(done)
    }

    /// Moves a carried step for the eye only; `put_down` records the move.
    pub(in crate::editor) fn carry(&mut self, step: usize, target: Cell) {
        self.doc.carry(step, target);
        self.map_changed();
    }

    /// Shows a new step outside the history while its link is chosen.
    pub(in crate::editor) fn stage(&mut self, step: crate::model::map::Step) {
        self.doc.stage(step);
        self.map_changed();
    }

    /// Takes the staged step away again.
    pub(in crate::editor) fn unstage(&mut self) -> Option<crate::model::map::Step> {
        let step = self.doc.unstage();
        self.map_changed();
        step
    }

    /// Records a carried step's move from where it was picked up, as one change.
    pub(in crate::editor) fn put_down(&mut self, step: usize, origin: Cell) {
        self.doc.put_down(step, origin);
        self.map_changed();
    }

    fn map_changed(&mut self) {
        self.view.map_changed(self.doc.map().flows.len());
        self.ensure_routes();
    }

    /// Routes the connections near the view that are not routed yet. Cheap when there are
    /// none: every update calls it, so what comes into view is drawn connected.
    pub fn ensure_routes(&mut self) {
        let window = self.route_window();
        self.doc.route_near(window);
    }

    /// Idle time's work besides routing: forgets routes far from the view when too many
    /// are kept.
    pub(super) fn tidy_routes(&mut self) {
        let window = self.route_window();
        self.doc.tidy_routes(window);
    }

    /// The part of the world whose connections are routed: the view in world characters,
    /// with a margin.
    fn route_window(&self) -> crate::view::canvas::Bounds {
        let grid = self.layout().grid;
        let geometry = &self.doc.canvas().geometry;
        let scroll = self.view.scroll;
        let left = i64::from(geometry.view_x(scroll.col));
        let top = i64::from(geometry.view_y(scroll.row));
        // The view in world characters, with a margin of a cell around it: a route rarely
        // strays further from the boxes it joins.
        let (cell_w, cell_h) = (
            i64::from(geometry.col_width(scroll.col)),
            i64::from(geometry.row_height(scroll.row)),
        );
        (
            left - cell_w,
            top - cell_h,
            left + i64::from(grid.width) + cell_w,
            top + i64::from(grid.height) + cell_h,
        )
    }

    pub fn step_under_cursor(&self) -> Option<usize> {
        self.doc.step_at(self.view.cursor)
    }

    /// Where keys go now: the top popup, else the findings list or the grid's mode.
    pub fn context(&self) -> Context {
        match self.view.layers.last() {
            Some(Layer::ActivityPicker { .. } | Layer::ArtifactPicker { .. }) => Context::Picker,
            Some(Layer::Label { .. } | Layer::Title(_)) => Context::Text,
            Some(Layer::Form(_)) => Context::Form,
            Some(Layer::Backlog { .. }) => Context::Backlog,
            Some(Layer::Help { .. }) => Context::Help,
            Some(Layer::Inspector { .. }) => Context::Inspector,
            Some(Layer::ConfirmQuit) => Context::ConfirmQuit,
            Some(Layer::ExternalChange) => Context::ExternalChange,
            Some(Layer::SaveQuestion(_)) => Context::SaveQuestion,
            Some(Layer::SaveAs(_)) => Context::Text,
            Some(Layer::Recovery { .. }) => Context::Recovery,
            Some(Layer::LockWarning(_)) => Context::LockWarning,
            Some(Layer::Broken(_)) => Context::Broken,
            None => match (self.view.focus, self.view.mode) {
                (Focus::Findings, _) => Context::Findings,
                (_, Mode::Normal) if self.view.review => Context::Review,
                (_, Mode::Connect { .. }) => Context::Connect,
                (_, Mode::Carry { .. }) => Context::Carry,
                (_, Mode::Normal) => Context::Grid,
            },
        }
    }

    /// Where everything is on the current screen.
    pub fn layout(&self) -> layout::Screen {
        self.view.layout(self.doc.canvas().has_numbers())
    }
}
