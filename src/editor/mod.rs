//! The full-screen editor. `state` and `update` are the core (tested without a terminal);
//! `draw` is a function of the state; `terminal` is the edge that owns the real terminal.

pub mod action;
pub mod draw;
pub mod history;
pub mod input;
pub mod keys;
pub mod layout;
pub mod picker;
pub mod state;
pub mod terminal;
pub mod update;

pub use action::{Action, Effect};
pub use state::{Editor, Looks};
pub use update::{handle_key, update};
