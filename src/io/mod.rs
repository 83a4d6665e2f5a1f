//! Files: reading RON with positions for errors, atomic saves, lock files and recovery files.

pub mod lock;
pub mod recovery;
pub mod ron_text;
pub mod save;
pub mod source;
