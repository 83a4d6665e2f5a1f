//! The map as data: activities, steps and flows, and where steps sit on the grid.

pub mod activity;
pub mod map;
