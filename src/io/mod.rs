//! Files: reading RON with positions for errors, atomic saves, lock files and recovery files.

pub mod clock;
pub mod lock;
pub mod map_text;
pub mod read;
pub mod recovery;
pub mod ron_text;
pub mod save;
pub mod source;
pub mod sys;

#[cfg(test)]
mod tests {
    /// Every module of io/ with its source.
    const MODULES: [(&str, &str); 9] = [
        ("clock", include_str!("clock.rs")),
        ("lock", include_str!("lock.rs")),
        ("map_text", include_str!("map_text.rs")),
        ("read", include_str!("read.rs")),
        ("recovery", include_str!("recovery.rs")),
        ("ron_text", include_str!("ron_text.rs")),
        ("save", include_str!("save.rs")),
        ("source", include_str!("source.rs")),
        ("sys", include_str!("sys.rs")),
    ];

    /// The io modules a source names, as `crate::io::name`, `crate::io::{a, b::c}` or
    /// `super::name`.
    fn named_modules(source: &str) -> Vec<&'static str> {
        let mut named = Vec::new();
        for prefix in ["crate::io::", "super::"] {
            for (at, _) in source.match_indices(prefix) {
                let rest = &source[at + prefix.len()..];
                let paths = match rest.strip_prefix('{') {
                    Some(list) => &list[..list.find('}').unwrap_or(list.len())],
                    None => rest,
                };
                for path in paths.split(',') {
                    let first: String = path
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if let Some((name, _)) = MODULES.iter().find(|(name, _)| *name == first) {
                        named.push(*name);
                    }
                    if prefix == "crate::io::" && rest.starts_with('{') {
                        continue;
                    }
                    break;
                }
            }
        }
        named
    }

    #[test]
    fn the_io_modules_depend_on_each_other_without_a_cycle() {
        assert_eq!(
            named_modules("use crate::io::{save, sys::wait};\ncrate::io::clock::now()"),
            ["save", "sys", "clock"]
        );
        // Depth-first from every module; meeting a module that is still open is a cycle.
        fn visit(name: &str, open: &mut Vec<&'static str>, done: &mut Vec<&'static str>) {
            if done.contains(&name) {
                return;
            }
            let (name, source) = *MODULES
                .iter()
                .find(|(n, _)| *n == name)
                .expect("a module of io/");
            assert!(
                !open.contains(&name),
                "io/ has a cycle: {} -> {name}",
                open.join(" -> ")
            );
            open.push(name);
            for used in named_modules(source) {
                if used != name {
                    visit(used, open, done);
                }
            }
            open.pop();
            done.push(name);
        }
        // A new module of io/ is checked too, once it is listed above.
        for line in include_str!("mod.rs").lines() {
            if let Some(module) = line
                .strip_prefix("pub mod ")
                .and_then(|m| m.strip_suffix(';'))
            {
                assert!(
                    MODULES.iter().any(|(name, _)| *name == module),
                    "list io::{module} in MODULES"
                );
            }
        }
        let mut done = Vec::new();
        for (name, _) in MODULES {
            visit(name, &mut Vec::new(), &mut done);
        }
    }
}
