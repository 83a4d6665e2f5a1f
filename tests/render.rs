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
    let bands = |text: &str| text.lines().filter(|l| l.starts_with("-- columns")).count();
    assert!(
        bands(&wide) < bands(&narrow),
        "250 columns hold more of the map than 80"
    );
    assert!(
        narrow.starts_with("-- columns 0 to "),
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

/// The lines of a render's band under this header, up to the next band.
fn band_of<'a>(text: &'a str, header: &str) -> &'a str {
    text.split(&format!("{header}\n"))
        .nth(1)
        .and_then(|rest| rest.split("-- columns").next())
        .unwrap_or_else(|| panic!("no band {header}:\n{text}"))
}

/// A link cut where one band ends and the next begins was seen leaving, its arrowhead at
/// the band's edge, but not arriving: its target stood alone in the next band, with nothing
/// naming what came in. A band now starts with the gap the one before ends with, where that
/// costs it no column, so the link is seen again with its name, level with its target.
#[test]
fn a_link_cut_between_bands_is_seen_arriving_in_the_next() {
    let text = render(&[&sample("incident-management"), "--width", "160"]);
    let last_band = text
        .split("-- columns 8 to 8 of 0 to 8 --\n")
        .nth(1)
        .expect("column 8 stands in a band of its own at 160 columns");
    let band: Vec<&str> = last_band.lines().take_while(|l| !l.is_empty()).collect();
    let arrival = band
        .iter()
        .position(|l| l.contains("✖▶║Improvements"))
        .unwrap_or_else(|| panic!("the link arrives level with its target:\n{last_band}"));
    let name = band[..arrival].join(" ");
    assert!(
        name.contains("initiatives") && name.contains("and plans"),
        "the link is named where it arrives:\n{last_band}"
    );
    // The gap shows the links that arrive, not what else stands there: the ends of names
    // of the links drawn in the band before.
    let it = render(&[&sample("new-it-service"), "--width", "80"]);
    let band = band_of(&it, "-- columns 4 to 4 of 0 to 10 --");
    assert!(
        band.contains("requests          │O/B Obtain or Build│"),
        "{band}"
    );
    assert!(
        band.trim_end().ends_with('┘'),
        "nothing but the arrival stands in the gap:\n{band}"
    );
    // A name that stands partly in the band before, where it is drawn whole, is not drawn
    // in the gap: it would show there as the end of a word ("s" of "User support tasks").
    let future = render(&[&sample("incident-management-future"), "--width", "100"]);
    let band = band_of(&future, "-- columns 3 to 4 of 0 to 8 --");
    assert!(band.contains("────✔▶│Investigated and"), "{band}");
    assert!(
        band.lines()
            .all(|l| l.starts_with([' ', '─', '│', '┌', '└'])),
        "no end of a word in the gap:\n{band}"
    );
    // Where the gap would cost a column, the band goes without it.
    let narrow = render(&[&sample("incident-management"), "--width", "80"]);
    let bands: Vec<&str> = narrow
        .lines()
        .filter(|l| l.starts_with("-- columns"))
        .collect();
    assert_eq!(
        bands,
        [0, 1, 3, 5, 7]
            .into_iter()
            .zip([0, 2, 4, 6, 8])
            .map(|(a, b)| format!("-- columns {a} to {b} of 0 to 8 --"))
            .collect::<Vec<_>>()
    );
    let count =
        |line: &str, corners: [char; 2]| line.chars().filter(|c| corners.contains(c)).count();
    for line in narrow.lines() {
        assert_eq!(
            count(line, ['┌', '╔']),
            count(line, ['┐', '╗']),
            "every box is whole:\n{narrow}"
        );
    }
}

#[test]
fn a_broken_or_missing_file_is_an_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_vsmap"))
        .args(["render", "/no/such/map.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // The directory is missing too, and the message says so (issue 11).
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "/no/such/map.ron: error: no such file: the directory /no/such does not exist\n"
    );
}

// ---- A map the room can read (zoom levels, names on links, the legend, the ladder) -----

use vsmap::chain::Chain;
use vsmap::model::activity::Activity;
use vsmap::model::map::{Cell, Flow, Map, Step};
use vsmap::output::render::{Options, render_with};
use vsmap::view::boxes::Zoom;
use vsmap::view::theme::Looks;

fn samples() -> Vec<(String, Map)> {
    let dir = format!("{}/sample-maps", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Map)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| (p.display().to_string(), Map::load(&p).unwrap()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 9);
    out
}

#[test]
fn every_artifact_name_stands_in_full_on_one_line() {
    for (path, map) in samples() {
        let text = render(&[&path, "--width", "250"]);
        for flow in &map.flows {
            let Some(name) = &flow.artifact else { continue };
            assert!(
                text.lines().any(|l| l.contains(name.as_str())),
                "{path}: {name:?} is not on one line:\n{text}"
            );
        }
    }
}

/// Names stand within one column of the grid (a box and the gap after it) where there is
/// room, so a render cut into bands of whole columns shows every line of every name whole,
/// at any width: the samples once had eight names across two columns, and at 80 columns
/// "Consolidated demands and opportunities" printed as "Consolidated dem" in one band and
/// "ands" in the next.
#[test]
fn every_name_on_a_link_is_whole_in_a_render_at_any_width() {
    use vsmap::view::canvas::Canvas;
    use vsmap::view::geometry::Geometry;
    use vsmap::view::labels::Label;
    let mut names = 0;
    for (path, map) in samples() {
        let canvas = Canvas::routed(&map, Geometry::new(&map, Zoom::Normal));
        // Each line of a name stands whole at least as often as names hold it (more where a
        // band's lead repeats a name).
        let mut wanted: std::collections::BTreeMap<&str, usize> = Default::default();
        for flow in 0..map.flows.len() {
            if let Some(Label::Name { lines, .. }) = canvas.label(flow) {
                names += 1;
                for line in lines {
                    *wanted.entry(line.as_str()).or_default() += 1;
                }
            }
        }
        for width in [80, 100, 120, 160] {
            let text = render(&[&path, "--width", &width.to_string()]);
            // The map, not the legend under it, which lists every name whole.
            let text = text.split("\nLinks (").next().unwrap();
            for (line, &count) in &wanted {
                assert!(
                    text.matches(line).count() >= count,
                    "{path} at {width}: {line:?} is cut:\n{text}"
                );
            }
        }
    }
    assert!(names > 50, "{names}");
}

#[test]
fn detail_shows_every_word_of_every_label_and_every_number() {
    for (path, map) in samples() {
        let text = render(&[&path, "--width", "250", "--zoom", "detail"]);
        for step in &map.steps {
            for word in step.label.split_whitespace() {
                assert!(text.contains(word), "{path}: {word:?} of {:?}", step.label);
            }
            if let Some(ca) = step.complete_accurate_percent {
                assert!(
                    text.contains(&format!("CA {ca}%")),
                    "{path}: %C/A of {}",
                    step.id
                );
            }
            assert!(
                !text.contains("Deliver and Su…"),
                "{path}: a heading is cut"
            );
        }
    }
}

#[test]
fn overview_shows_a_ten_column_stream_whole_at_160_columns() {
    let path = sample("new-it-service");
    let map = Map::load(std::path::Path::new(&path)).unwrap();
    assert!(
        map.steps.iter().any(|s| s.at.col >= 9),
        "a ten-column stream"
    );
    let text = render(&[&path, "--width", "160", "--zoom", "overview"]);
    assert!(!text.contains("-- columns"), "one band:\n{text}");
    assert!(
        text.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 160)
    );
    // Every step's box is there: as many top-left corners as steps.
    let corners = text.matches('┌').count() + text.matches('╔').count();
    assert_eq!(corners, map.steps.len(), "{text}");
    // Every link that names an artifact carries its number, listed in the legend.
    for (i, flow) in map.flows.iter().enumerate() {
        if let Some(name) = &flow.artifact {
            let line = format!("{:>2}  ", i + 1);
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&line) && l.ends_with(name.as_str())),
                "legend line for link {}: {text}",
                i + 1
            );
        }
    }
}

fn options(width: u16, zoom: Zoom) -> Options {
    Options {
        width,
        zoom,
        timeline: false,
        looks: Looks {
            ascii: false,
            color: false,
        },
    }
}

#[test]
fn a_label_cut_at_normal_is_whole_at_detail() {
    let label =
        "Service desk logs the call, checks the caller's entitlement and assigns a priority";
    let mut map = Map::new("t");
    map.steps
        .push(Step::new("a", Activity::Engage, label, Cell::new(0, 0)));
    let chain = Chain::builtin();
    let normal = render_with(&chain, &map, &options(200, Zoom::Normal));
    assert!(normal.contains('…'), "{normal}");
    assert!(!normal.contains("priority"), "{normal}");
    let detail = render_with(&chain, &map, &options(200, Zoom::Detail));
    let words: Vec<&str> = detail
        .lines()
        .flat_map(|l| l.split(['│', ' ']))
        .filter(|w| !w.is_empty())
        .collect();
    for word in label.split_whitespace() {
        assert!(words.contains(&word), "{word:?} in\n{detail}");
    }
}

#[test]
fn a_link_back_along_row_zero_stays_on_the_canvas() {
    let mut map = Map::new("loop");
    for col in 0..5u16 {
        map.steps.push(Step::new(
            format!("s{col}"),
            Activity::Engage,
            format!("step {col}"),
            Cell::new(col, 0),
        ));
    }
    for col in 0..4 {
        map.flows
            .push(Flow::new(format!("s{col}"), format!("s{}", col + 1), None));
    }
    map.flows.push(Flow::new("s4", "s0", None));
    let text = render_with(&Chain::builtin(), &map, &options(400, Zoom::Normal));
    let arrows = text.matches(['▶', '◀', '▼', '▲']).count();
    assert_eq!(arrows, 5, "every link has its arrowhead:\n{text}");
    assert_eq!(text.matches('↔').count(), 5, "and its mark:\n{text}");
    // The loop runs above or below the row of boxes, whole: its corners are drawn.
    assert!(text.contains('┌') && text.contains('┐') || text.contains('└') && text.contains('┘'));
}

#[test]
fn the_timeline_lines_up_under_the_path_with_names_and_totals() {
    let path = sample("incident-management");
    let text = render(&[&path, "--width", "250", "--timeline"]);
    assert!(
        text.contains("Timeline · lead 3h25m · process 1h35m"),
        "{text}"
    );
    assert!(text.contains("bottleneck: "), "{text}");
    assert!(text.contains("path: Employee has an issue → Service desk logs the issue"));
    // Seed 003's handoff waste: on the path, "route" (30m), "learn" (15m) and "confirm"
    // (10m) are entered from another activity: 55m of the 3h25m lead time.
    assert!(
        text.contains(
            "\nhandoff wait: 55m (26.8% of the lead time); longest 30m before Passed to resolution group · activities used: 3 of 6; not used: Plan, Design and Transition, Obtain or Build\n"
        ),
        "{text}"
    );
    // The ladder's process segment for "Service desk logs the issue" starts under its box.
    let lines: Vec<&str> = text.lines().collect();
    let box_line = lines
        .iter()
        .find(|l| l.contains("│Service desk logs"))
        .unwrap();
    let box_x = box_line.chars().position(|c| c == '│').unwrap();
    let ladder = lines.iter().find(|l| l.contains("└─ 5m")).unwrap();
    assert_eq!(ladder.chars().position(|c| c == '└'), Some(box_x), "{text}");
}
