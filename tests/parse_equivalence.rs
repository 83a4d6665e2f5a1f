//! The fast map parser (`io::map_text`) against ron: on every text it reads, it must give
//! the very map ron gives, and on every text ron refuses it must give up, so that
//! `Map::from_text` reports ron's error word for word. Sample maps, generated maps, texts
//! written to use every corner of the syntax, and thousands of deterministic mutations of
//! the sample maps.

use vsmap::io::{map_text, ron_text};
use vsmap::model::map::Map;

fn ron(text: &str) -> Result<Map, ron_text::FileError> {
    ron_text::parse::<Map>("m.ron", text)
}

/// The fast path gives ron's map or gives up; says which.
fn assert_agrees(text: &str) -> bool {
    match map_text::parse(text) {
        Some(fast) => {
            match ron(text) {
                Ok(slow) => assert_eq!(fast, slow, "a different map from:\n{text}"),
                Err(e) => panic!("the fast path read a text ron refuses ({e}):\n{text}"),
            }
            true
        }
        None => false,
    }
}

fn sample_maps() -> Vec<(String, String)> {
    let mut maps: Vec<(String, String)> = std::fs::read_dir("sample-maps")
        .expect("sample-maps/")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a sample map");
            (path.display().to_string(), text)
        })
        .collect();
    maps.sort();
    assert!(maps.len() >= 5, "the sample maps are found");
    maps
}

#[test]
fn every_sample_map_is_read_by_the_fast_path_as_ron_reads_it() {
    for (name, text) in sample_maps() {
        assert!(assert_agrees(&text), "{name} is read by the fast path");
    }
    for (name, text) in vsmap::samples::SAMPLES {
        assert!(assert_agrees(text), "built-in sample {name}");
    }
}

#[test]
fn generated_maps_are_read_by_the_fast_path_as_ron_reads_them() {
    use vsmap::generate::{large_map, random_map, skip_map};
    for map in [
        large_map(300, 600, 7),
        random_map(120, 300, 3),
        skip_map(150, 5, 11),
    ] {
        let text = map.to_ron();
        assert!(assert_agrees(&text));
        assert_eq!(map_text::parse(&text), Some(map));
    }
}

/// Texts that use what the file format allows beyond what vsmap writes.
const VARIED: &[&str] = &[
    // vsmap's own shape with every optional field.
    r#"Map(
    format: 1,
    title: "Incident \"management\"",
    notes: "line one\nline two",
    working_day_minutes: Some(1440),
    steps: [
        Step(id: "demand", activity: Demand, label: "Employee has an issue", at: (col: 0, row: 1)),
        Step(id: "fix", activity: DeliverAndSupport, also: [Improve], label: "Resolve", at: (col: 2, row: 1), process_minutes: Some(5), wait_minutes: Some(30), complete_accurate_percent: Some(90), practices: ["Incident management"], notes: "tab\there", improvements: [Improvement(text: "Automate routing", owner: Some("Sam")), Improvement(text: "Fewer handoffs")]),
    ],
    flows: [
        Flow(from: "demand", to: "fix", artifact: Some("User support tasks")),
        Flow(from: "fix", to: "demand", artifact: None, improvements: [Improvement(text: "Say why")]),
    ],
)
"#,
    // Hand-written: no struct names, bare optional values, any order, comments, trailing
    // commas, raw strings, escapes, CRLF line ends.
    "// A hand-written map\r\n(\r\n  title: r#\"Raw \"title\"\"#, format: 1, /* a /* nested */ comment */\r\n  flows: [(to: \"b\", from: \"a\", artifact: \"Change requests\",),],\r\n  steps: [\r\n    (label: \"B \\u{1F642} \\u{e9}\", id: \"b\", at: Cell(row: 0, col: 1,), activity: Engage, complete_accurate_percent: 0, process_minutes: Some( 7 , ), ),\r\n    (id: \"a\", activity: Value, label: r\"a\\b\", at: (col: 0, row: 0), practices: [], also: [], improvements: [(text: \"x\", owner: None,)]),\r\n  ],\r\n)\r\n// end without a line break",
    // Empty lists and strings, the largest numbers each field holds.
    r#"Map(format: 1, title: "", notes: "", steps: [Step(id: "", activity: Plan, label: "", at: (col: 65535, row: 65535), wait_minutes: 4294967295, complete_accurate_percent: 255)], flows: [])"#,
    // Every simple escape and a raw string with two hashes.
    r###"Map(format: 1, title: "\"\'\\\n\r\t\0\u{0}\u{10FFFF}", notes: r##"a "# b"##)"###,
    // Leading zeros and spaces everywhere ron allows them.
    "  Map  (  format  :  001  ,  title  :  \"t\"  ,  working_day_minutes  :  Some  (  480  )  )  ",
];

#[test]
fn varied_texts_are_read_as_ron_reads_them() {
    for text in VARIED {
        assert!(assert_agrees(text), "read by the fast path:\n{text}");
    }
}

/// Valid RON the fast path leaves to ron: it still loads, to the same map.
#[test]
fn what_the_fast_path_leaves_to_ron_still_loads() {
    let plain = "Map(format: 1, title: \"t\", steps: [Step(id: \"a\", activity: Plan, label: \"l\", at: (col: 2, row: 3))])";
    let expected = Map::from_text("m.ron", plain).expect("a plain map");
    for text in [
        format!("#![enable(implicit_some)]\n{plain}"),
        plain.replace("format: 1", "format: 0x1"),
        plain.replace("col: 2", "col: +2"),
        plain.replace("col: 2", "col: 2u16"),
        plain.replace("row: 3", "row: 0_3"),
        plain.replace("title:", "r#title:"),
        plain.replace("\"l\"", "\"\\x6c\""),
        plain.replace("\"l\"", "\"\\\n    l\""),
        plain.replace(", title", "\u{c}, title"),
    ] {
        assert_eq!(map_text::parse(&text), None, "left to ron:\n{text}");
        assert_eq!(
            Map::from_text("m.ron", &text).as_ref(),
            Ok(&expected),
            "{text}"
        );
    }
}

/// Errors are ron's, word for word, with or without the fast path.
#[test]
fn refused_texts_keep_ron_s_error() {
    let good = VARIED[0];
    for (from, to) in [
        ("format: 1", "format: 1, format: 1"),
        ("title:", "colour: 3, title:"),
        ("col: 0", "col: 70000"),
        ("activity: Demand", "activity: Dmand"),
        ("\"demand\", activity", "\"demand\" activity"),
        ("    ],\n)", "    ],\n"),
        ("format: 1", "format: 2"),
        ("Some(1440)", "Some(0)"),
    ] {
        let text = good.replacen(from, to, 1);
        assert_ne!(text, good);
        assert_eq!(map_text::parse(&text).filter(|_| ron(&text).is_err()), None);
        let error = Map::from_text("m.ron", &text).expect_err("refused");
        if let Err(ron_error) = ron(&text) {
            assert_eq!(error, ron_error);
        }
    }
}

/// xorshift64: the same cases on every run and machine.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Pieces of the syntax, and of what breaks it, to insert or put in place of a character.
const PIECES: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\t",
    ",",
    ":",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\\",
    "'",
    "#",
    "r",
    "r#\"",
    "\"#",
    "//",
    "/*",
    "*/",
    "0",
    "7",
    "99999",
    "4294967296",
    "-",
    "+",
    "_",
    ".",
    "x",
    "u8",
    "Some(",
    "None",
    "Some",
    "\\u{41}",
    "\\u{",
    "\\x41",
    "\\n",
    "é",
    "\u{a0}",
    "\u{2028}",
    "\u{b}",
    "\u{feff}",
    "\0",
    "Map",
    "Step",
    "Flow",
    "Cell",
    "Improvement",
    "notes: \"n\", ",
    "owner: \"o\", ",
    "also: [Plan], ",
    "id: \"x\", ",
    "text: \"t\", ",
    "artifact: None, ",
    "process_minutes: 5, ",
    "improvements: [], ",
    "Value",
    "Engage",
    "#![enable(implicit_some)]",
];

/// A char boundary of `text` at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, random: &mut Random) -> String {
    let at = boundary(text, random.below(text.len() + 1));
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let kinds = if lines.is_empty() { 4 } else { 7 };
    match random.below(kinds) {
        // Insert a piece.
        0 | 1 => {
            let piece = PIECES[random.below(PIECES.len())];
            format!("{}{piece}{}", &text[..at], &text[at..])
        }
        // Put a piece in place of a few characters.
        2 => {
            let end = boundary(text, at + 1 + random.below(3));
            let piece = PIECES[random.below(PIECES.len())];
            format!("{}{piece}{}", &text[..at], &text[end..])
        }
        // Delete a few characters.
        3 => {
            let end = boundary(text, at + 1 + random.below(8));
            format!("{}{}", &text[..at], &text[end..])
        }
        // Duplicate a line.
        4 => {
            let line = random.below(lines.len());
            let mut out = lines.clone();
            out.insert(line, lines[line]);
            out.concat()
        }
        // Delete a line.
        5 => {
            let mut out = lines.clone();
            out.remove(random.below(lines.len()));
            out.concat()
        }
        // Swap two lines.
        _ => {
            let mut out = lines.clone();
            let (a, b) = (random.below(lines.len()), random.below(lines.len()));
            out.swap(a, b);
            out.concat()
        }
    }
}

#[test]
fn mutated_maps_are_read_as_ron_reads_them_or_left_to_ron() {
    // Short texts keep thousands of cases fast in a debug build: each sample map's head and
    // a few of its steps and flows, and the varied texts.
    let mut bases: Vec<String> = sample_maps()
        .into_iter()
        .map(|(_, text)| shortened(&text))
        .collect();
    bases.extend(VARIED.iter().map(|t| t.to_string()));
    let mut random = Random(0x5eed);
    let (mut cases, mut read) = (0, 0);
    for base in &bases {
        assert!(assert_agrees(base), "the base text is read:\n{base}");
        for _ in 0..400 {
            let mut text = base.clone();
            for _ in 0..1 + random.below(3) {
                text = mutate(&text, &mut random);
            }
            cases += 1;
            if assert_agrees(&text) {
                assert_same_places(&text);
                read += 1;
            }
        }
    }
    // Many mutations leave a valid map (an extra space, a swapped field): the fast path
    // must read a fair share of them, or the test proves little.
    assert!(
        read * 5 > cases,
        "only {read} of {cases} mutated texts were read"
    );
}

/// A map's text with at most four steps and four flows, still a valid map.
fn shortened(text: &str) -> String {
    let mut out = String::new();
    let (mut steps, mut flows) = (0, 0);
    for line in text.split_inclusive('\n') {
        let item = line.trim_start();
        if item.starts_with("Step(") {
            steps += 1;
            if steps > 4 {
                continue;
            }
        }
        if item.starts_with("Flow(") {
            flows += 1;
            if flows > 4 {
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// The places the fast path finds put every finding where the outline of the text does.
#[test]
fn places_found_while_reading_give_the_outline_s_positions() {
    let mut texts: Vec<String> = sample_maps().into_iter().map(|(_, t)| t).collect();
    texts.extend(VARIED.iter().map(|t| t.to_string()));
    for text in &texts {
        assert_same_places(text);
    }
}

/// Every subject of the map in `text` (which the fast path reads) is placed alike by the
/// places found while reading and by the outline.
fn assert_same_places(text: &str) {
    use vsmap::check::Subject;
    use vsmap::output::report::Locator;
    let fields = [
        None,
        Some("id"),
        Some("at"),
        Some("practices"),
        Some("complete_accurate_percent"),
        Some("artifact"),
        Some("from"),
        Some("to"),
        Some("notes"),
    ];
    let (map, places) = map_text::parse_placed(text).expect("read by the fast path");
    let (outline, placed) = (Locator::new(text), Locator::with_places(text, Some(places)));
    let mut subjects = vec![Subject::Map];
    for field in fields {
        subjects.extend((0..map.steps.len()).map(|i| Subject::Step(i, field)));
        subjects.extend((0..map.flows.len()).map(|i| Subject::Flow(i, field)));
    }
    for subject in subjects {
        assert_eq!(
            placed.position(subject),
            outline.position(subject),
            "{subject:?} in\n{text}"
        );
    }
}
