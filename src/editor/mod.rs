//! The full-screen editor. `state` (the `document` and the `view` of it) and `update` are the
//! core, tested without a terminal; `draw` is a function of the state; `terminal` is the edge
//! that owns the real terminal.

pub mod action;
pub mod document;
pub mod draw;
pub mod history;
pub mod input;
pub mod keys;
pub mod layout;
pub mod picker;
pub mod state;
pub mod suggest;
pub mod terminal;
pub mod update;
pub mod view;

pub use action::{Action, Effect};
pub use document::Document;
pub use state::{Editor, Looks, View};
pub use update::{apply, handle_key, update};
