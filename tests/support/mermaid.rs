//! The real Mermaid parser, run under node, for the tests that must know what Mermaid reads
//! from an export. It needs node and a directory where `npm install mermaid jsdom` was run:
//! `VSMAP_MERMAID_DIR`, or `target/mermaid-node` in the crate. Where either is missing the
//! check is skipped with a message saying how to set it up.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The directory holding `node_modules/mermaid` and `node_modules/jsdom`, when node runs.
pub fn available() -> Option<PathBuf> {
    let dir = std::env::var_os("VSMAP_MERMAID_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mermaid-node"));
    let node = Command::new("node").arg("--version").output();
    if node.is_err()
        || !dir
            .join("node_modules/mermaid/dist/mermaid.core.mjs")
            .exists()
    {
        eprintln!(
            "skipped: the real Mermaid parser needs node and `npm install mermaid jsdom` in {} \
             (or VSMAP_MERMAID_DIR)",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

/// What Mermaid read from `text`: `Ok(config)` with every setting a directive or front
/// matter set (`{}` when none), or `Err(why it did not parse)`.
pub fn parse(dir: &std::path::Path, text: &str) -> Result<serde_json::Value, String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/mermaid_probe.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .env("MERMAID_DIR", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the probe answered {e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    if answer["ok"] == true {
        Ok(answer["config"].clone())
    } else {
        Err(answer["error"].to_string())
    }
}
