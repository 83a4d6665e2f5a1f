//! Everything that can happen to the editor, as values. Keys and mouse events become
//! actions (through the binding tables); `update` is the only place they change the state.

pub use crate::route::Dir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    Down,
    Drag,
    Up,
    ScrollUp,
    ScrollDown,
    ScrollLeft,
    ScrollRight,
}

/// A mouse event at a screen position (column, row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub x: u16,
    pub y: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // The grid.
    Move(Dir),
    /// Move the step under the cursor one cell, connections following.
    Nudge(Dir),
    AddStep,
    /// Add a step in the next free cell right of this one, linked from it.
    AddNext,
    /// Add a step in the next free cell left of this one, linked into it.
    AddBefore,
    Connect,
    /// Edit what is selected: the step's fields, or the connection's artifact.
    Edit,
    Delete,
    NextFlow,
    PrevFlow,
    /// Pick up the step under the cursor and carry it with the arrow keys.
    MoveStep,
    Undo,
    Redo,
    Save,
    Quit,
    Help,
    NextFinding,
    PrevFinding,
    FocusFindings,
    Inspect,
    EditTitle,
    Deselect,
    AddImprovement,
    ShowBacklog,
    ToggleTimeline,
    /// The next zoom level: overview, normal, detail.
    CycleZoom,
    /// The largest zoom level at which the whole map fits the window.
    FitZoom,
    /// Show or hide the legend of numbered links.
    ToggleLegend,
    ToggleReview,
    /// Apply this fix (0 is the first) of the selected connection, as one undoable change.
    ApplyFix(usize),

    // Lists, popups and fields.
    Up,
    Down,
    PageUp,
    PageDown,
    Confirm,
    Cancel,
    Type(char),
    Paste(String),
    Backspace,
    DeleteChar,
    Left,
    Right,
    Home,
    End,
    /// To the start of the word before the cursor (a word: letters and digits).
    WordLeft,
    /// To the end of the word after the cursor.
    WordRight,
    /// Delete from the start of the word before the cursor up to it.
    DeleteWordBack,
    /// Delete from the cursor to the end of the word after it.
    DeleteWordForward,
    /// Delete everything before the cursor.
    DeleteToStart,
    /// Delete everything from the cursor on.
    DeleteToEnd,
    NextField,
    PrevField,
    SaveAndQuit,
    DiscardAndQuit,
    Reload,
    Overwrite,
    SaveElsewhere,
    Restore,
    Discard,
    KeepBoth,

    // From the edge.
    /// A key press, turned into one of the actions above by the current context's bindings.
    Key(crossterm::event::KeyEvent),
    Mouse(Mouse),
    Resize(u16, u16),
    /// Nothing happened for a moment: work out routes drawn provisionally.
    Refine,
    /// The outcome of a save the edge was asked for: the path written, or why not.
    Saved(Result<std::path::PathBuf, String>),
    /// The file changed on disk since it was read or saved; the edge did not write it.
    ExternalChange,
    /// A save found the file deleted, or read-only; the edge did not write it.
    SaveQuestion(super::state::SaveQuestion),
    /// The file as it is on disk now, read after `Effect::Reload`.
    Reloaded(Result<crate::model::map::Map, String>),
    /// Where the recovered copy was put beside the map, after `Effect::KeepRecoveryAside`.
    KeptAside(Result<std::path::PathBuf, String>),
    /// The unsaved edits could not be written to the recovery file, for this reason.
    RecoveryWriteFailed(String),

    // Setting the session up, and what the edge learns of the file.
    /// What the file holds now (`None`: there is no file), after the edge read or wrote it.
    DiskState(Option<crate::io::save::Fingerprint>),
    /// Whether the file can be written.
    Writable(bool),
    /// What came of taking the map's lock.
    Lock(super::state::LockState),
    /// A recovery file holds edits to this map that were never saved: offer them.
    RecoveryFound {
        map: Box<crate::model::map::Map>,
        written_at: u64,
        /// The map file changed on disk since these edits began: restoring replaces that.
        map_changed_since: bool,
    },
    /// A recovery file for this map cannot be read (why); it is kept, not offered.
    RecoveryUnreadable(String),
}

/// What the edge must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the map to its path unless the file changed underneath; then `Action::Saved`,
    /// or `Action::ExternalChange`.
    Save,
    /// Write the map to its path even though the file changed on disk.
    SaveOverwrite,
    /// Write the map to another path (never over an existing file) and edit that from now on.
    SaveAs(std::path::PathBuf),
    /// Read the file again; then `Action::Reloaded`.
    Reload,
    /// Delete the map's recovery file.
    DiscardRecovery,
    /// Write the recovery file's map beside the map file; then `Action::KeptAside`.
    KeepRecoveryAside,
    Quit,
}
