//! What the command line prints or writes: check reports, the map rendered as text, exports
//! to other formats, and the difference between two maps.

pub mod diff;
pub mod export;
pub mod render;
pub mod report;
