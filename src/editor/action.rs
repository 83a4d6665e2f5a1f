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
    ToggleReview,

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
    NextField,
    PrevField,
    SaveAndQuit,
    DiscardAndQuit,

    // From the edge.
    /// A key press, turned into one of the actions above by the current context's bindings.
    Key(crossterm::event::KeyEvent),
    Mouse(Mouse),
    Resize(u16, u16),
    /// The outcome of a save the edge was asked for.
    Saved(Result<(), String>),
}

/// What the edge must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the map's text to the map's path, then send `Action::Saved`.
    Save,
    Quit,
}
