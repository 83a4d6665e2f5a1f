//! PNG, for chat tools that do not show SVG: the SVG export drawn by resvg.

use resvg::{tiny_skia, usvg};
use std::io::Write;
use std::path::Path;

/// The font the SVG asks for first, built in so the picture has text on a machine without
/// fonts (DejaVu Sans Mono; its licence is beside it in assets/fonts).
const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");
const FONT_FAMILY: &str = "DejaVu Sans Mono";

/// Pixels per SVG unit: twice, so text stays sharp when a chat tool shows the image zoomed.
const SCALE: f32 = 2.0;
/// The longest side and the most pixels: a map with steps far apart is drawn smaller
/// instead of asking for gigabytes of memory (4 bytes a pixel).
const MAX_SIDE: f32 = 8192.0;
const MAX_PIXELS: f32 = 4096.0 * 4096.0;

/// The SVG as a PNG image. The SVG is our own, so it always parses; should it ever not, the
/// image is a blank one rather than a panic.
pub(super) fn png(svg: &str) -> Vec<u8> {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_font_data(FONT.to_vec());
    // System fonts draw what DejaVu lacks (CJK, emoji) where the machine has them.
    fonts.load_system_fonts();
    fonts.set_monospace_family(FONT_FAMILY);
    fonts.set_sans_serif_family(FONT_FAMILY);
    let tree = usvg::Tree::from_str(svg, &options).unwrap_or_else(|_| blank());
    let size = tree.size();
    let scale = SCALE
        .min(MAX_SIDE / size.width())
        .min(MAX_SIDE / size.height())
        .min((MAX_PIXELS / (size.width() * size.height())).sqrt());
    let width = (size.width() * scale).ceil().max(1.0) as u32;
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    let Some(mut pixmap) = tiny_skia::Pixmap::new(width, height) else {
        return Vec::new();
    };
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().unwrap_or_default()
}

fn blank() -> usvg::Tree {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#;
    usvg::Tree::from_str(svg, &usvg::Options::default()).expect("a blank SVG parses")
}

/// Writes the image whole or not at all, as a map is saved: into a temporary file beside
/// it, then renamed over the name. A link is followed and the old file's permissions are
/// kept; a FIFO, a device or a directory at the name is refused.
pub(super) fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let old = std::fs::metadata(&target).ok();
    if old.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(std::io::Error::other(format!(
            "{} is not a regular file; vsmap writes only over a regular file",
            crate::text::shown(&target.display().to_string(), 200)
        )));
    }
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.vsmap-tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create_new(&temp)?;
        file.write_all(bytes)?;
        if let Some(old) = &old {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
