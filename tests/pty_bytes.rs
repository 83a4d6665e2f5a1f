//! Bytes written to the terminal, counted from the real binary in a pseudo-terminal. Bytes,
//! unlike time, do not depend on how busy the machine is, so the budgets of issue 6 are
//! asserted here: a cursor move at 120x40 writes under 1 KB, a full redraw over 5 KB (boxes
//! are wider since names stand on their links, so fewer fit a screen).

mod support;

use std::path::Path;
use support::pty::Pty;

#[test]
fn a_cursor_move_writes_under_1_kb_and_a_full_frame_over_5_kb() {
    let scratch = support::scratch();
    let dir = scratch.path();
    // A map that fills the screen with boxes and connections, as a portfolio map does.
    let file = dir.join("portfolio.ron");
    std::fs::write(&file, vsmap::generate::large_map(500, 1000, 1).to_ron()).unwrap();
    let mut pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_vsmap")),
        &[&file],
        120,
        40,
        &dir.join("data"),
    );
    pty.settle_after("Generated map");
    let first_frame = pty.written();
    assert!(first_frame > 5_000, "a full frame is {first_frame} bytes");
    let mut moves = Vec::new();
    // Moves within the screen: a move that scrolls redraws the grid, as it must.
    for key in ["l", "h", "j", "l", "k"] {
        moves.push(pty.bytes_for(key));
    }
    for (i, &bytes) in moves.iter().enumerate() {
        assert!(bytes > 0, "move {i} drew nothing");
        assert!(bytes < 1024, "move {i} wrote {bytes} bytes: {moves:?}");
    }
    // An edit: delete the step under the cursor with its connections, then undo it. Columns
    // are as wide as what they hold, so a delete can narrow one and move the boxes right of
    // it: still well under a full frame.
    let edit = pty.bytes_for("d");
    let undo = pty.bytes_for("u");
    for (what, bytes) in [("a delete", edit), ("an undo", undo)] {
        assert!(
            bytes > 0 && bytes < 4 * 1024 && bytes < first_frame,
            "{what} wrote {bytes} bytes"
        );
    }
    eprintln!(
        "first frame {first_frame} bytes; cursor moves {moves:?}; delete {edit}, undo {undo} bytes"
    );
    pty.bytes_for("qd");
    let status = pty.child.wait().unwrap();
    assert!(status.success());
}

/// At 200x50 the side panel shows the selected step: what it is, its times and its
/// findings, each cut to two lines (`i` shows the rest). A move between neighbouring steps
/// rewrites only what differs: under 600 bytes, issue 14's budget.
#[test]
fn a_cursor_move_at_200x50_writes_under_600_bytes() {
    let scratch = support::scratch();
    let dir = scratch.path();
    let file = dir.join("portfolio.ron");
    std::fs::write(&file, vsmap::generate::large_map(500, 1000, 1).to_ron()).unwrap();
    let mut pty = Pty::spawn(
        Path::new(env!("CARGO_BIN_EXE_vsmap")),
        &[&file],
        200,
        50,
        &dir.join("data"),
    );
    pty.settle_after("Generated map");
    let moves: Vec<usize> = ["l", "h", "j", "l", "k"]
        .into_iter()
        .map(|key| pty.bytes_for(key))
        .collect();
    eprintln!("cursor moves at 200x50: {moves:?} bytes");
    for (i, &bytes) in moves.iter().enumerate() {
        assert!(bytes > 0, "move {i} drew nothing");
        assert!(bytes < 600, "move {i} wrote {bytes} bytes: {moves:?}");
    }
    pty.bytes_for("q");
    let status = pty.child.wait().unwrap();
    assert!(status.success());
}
