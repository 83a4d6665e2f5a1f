//! vsmap: map ITIL 4 value streams and check every connection against the service value chain.
//!
//! The core (activity, chain, map, check) knows nothing of terminals; the command line and
//! the editor are thin layers on top.

pub mod activity;
pub mod chain;
pub mod check;
pub mod codes;
pub mod diff;
pub mod editor;
pub mod export;
pub mod generate;
pub mod lock;
pub mod map;
pub mod metrics;
pub mod names;
pub mod recovery;
pub mod render;
pub mod report;
pub mod ron_text;
pub mod route;
pub mod save;
pub mod source;
