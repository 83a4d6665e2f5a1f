//! vsmap: map ITIL 4 value streams and check every connection against the service value chain.
//!
//! Dependencies point one way. The core knows nothing of terminals or files:
//! `text`, `names` and `both` (leaf helpers) ← `model` (activities, the map, grid geometry) ←
//! `chain` ← `check` ← `metrics`; `route` lays connections between boxes. At the edges:
//! `io` reads and writes files, `view` draws the map (for the editor and for output),
//! `output` makes the command line's reports, renders and exports, `samples` holds the
//! sample maps compiled in, and `editor` is the full-screen program.

pub mod both;
pub mod chain;
pub mod check;
pub mod config;
pub mod editor;
pub mod generate;
pub mod io;
pub mod metrics;
pub mod model;
pub mod names;
pub mod output;
pub mod route;
pub mod samples;
pub mod text;
pub mod view;
