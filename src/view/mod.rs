//! Drawing the map: the theme, and the grid view shared by the editor and the output commands.

pub mod theme;
