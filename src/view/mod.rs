//! Drawing the map: the theme, and the grid view shared by the editor and the output commands.

pub mod boxes;
pub mod canvas;
pub mod geometry;
pub mod grid;
pub mod labels;
pub mod legend;
pub mod paint;
pub mod theme;
pub mod timeline;
