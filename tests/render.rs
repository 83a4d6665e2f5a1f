//! `vsmap render`: the map as text, compared with golden files at two widths. Run with
//! `UPDATE_GOLDEN=1` to rewrite the golden files after a deliberate change, then read them.

mod support;

use std::process::Command;
use support::golden::golden;

fn render(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .arg("render")
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn sample(name: &str) -> String {
    format!("{}/sample-maps/{name}.ron", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn render_at_two_widths() {
    let wide = render(&[&sample("new-it-service"), "--width", "250"]);
    golden("render-new-it-service-250.txt", &wide);
    let narrow = render(&[&sample("new-it-service"), "--width", "80"]);
    golden("render-new-it-service-80.txt", &narrow);
    assert!(
        !wide.contains("-- columns"),
        "250 columns hold the whole map"
    );
    assert!(
        narrow.starts_with("-- columns 0 to 2 of 0 to 9 --\n"),
        "80 columns print in bands"
    );
    assert!(
        narrow
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
}

#[test]
fn ascii_and_colour() {
    let ascii = render(&[&sample("incident-management"), "--width", "120", "--ascii"]);
    golden("render-incident-management-ascii.txt", &ascii);
    assert!(ascii.is_ascii());
    assert!(!ascii.contains('\x1b'), "no escape codes unless asked for");
    let colour = render(&[&sample("incident-management"), "--width", "120", "--color"]);
    assert!(
        colour.contains("\x1b[0;1;31m"),
        "off-chain connections are bold red"
    );
    assert!(
        colour.contains("\x1b[0;32m"),
        "canonical connections are green"
    );
    let stripped: String = {
        let mut out = String::new();
        let mut chars = colour.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    assert_eq!(
        stripped,
        render(&[&sample("incident-management"), "--width", "120"])
    );
}

#[test]
fn a_broken_or_missing_file_is_an_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(["render", "/no/such/map.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "/no/such/map.ron: error: no such file\n"
    );
}
