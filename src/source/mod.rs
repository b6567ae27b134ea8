//! Everything read from a site's folder: walking `content/`, front matter (serde_yaml stays
//! inside `front_matter`), articles, data files, editor's notes, templates, the theme's words, and the per-file memory
//! of parsed articles that lets a rebuild skip unchanged files, and the stamp of all inputs. No file is read after this
//! layer.

pub mod articles;
pub mod data;
pub mod front_matter;
pub mod images;
pub mod stamps;
pub mod templates;
pub mod words;

use std::path::Path;

/// The folder of editor's notes, inside `content/` (never read as articles).
pub const NOTES_DIR: &str = "editions";

/// The folder of pages that are no articles (`about.md` is published at `/about/`), inside
/// `content/` (as Pelican keeps its pages).
pub const PAGES_DIR: &str = "pages";

/// Whether a file in `content/` is an article (Markdown), rather than a file beside one.
pub fn is_article(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}
