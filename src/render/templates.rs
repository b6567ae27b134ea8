//! Templates: which files a site's templates come from (theme, then the site's own), how
//! they are compiled, and the optional minifying of rendered pages.

use crate::config::SiteConfig;
use crate::markdown;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// The template files of a site: its theme's, then the site's own `templates/` on top.
pub fn template_files(root: &Path, config: &SiteConfig) -> Result<BTreeMap<String, PathBuf>> {
    let theme_dir = root.join("themes").join(&config.theme).join("templates");
    if !theme_dir.is_dir() {
        return Err(crate::problem::Problem::new(
            "site.toml",
            crate::problem::key_line(&crate::fs::read_to_string(&root.join("site.toml")).unwrap_or_default(), "theme"),
            format!("theme \"{}\" not found: there is no folder themes/{}/templates/; copy the default theme there or fix `theme`", config.theme, config.theme),
        )
        .into());
    }
    crate::fs::overlay_files(&[theme_dir, root.join("templates")])
}

/// Compiles templates once; a syntax error names the template file and line.
pub fn load_templates(files: &BTreeMap<String, PathBuf>) -> Result<(Tera, u64)> {
    let mut tera = Tera::default();
    // Tera's own escaping also escapes `/`, which bloats every URL; quotes and `<>&` suffice.
    tera.set_escape_fn(markdown::escape);
    let mut sources = Vec::with_capacity(files.len());
    for (name, path) in files {
        sources.push((name.clone(), crate::fs::read_to_string(path)?));
    }
    let hash = crate::cache::fingerprint(&sources);
    tera.add_raw_templates(sources)
        .context("a template has an error")?;
    Ok((tera, hash))
}

/// Removes what browsers do not need (white space between tags, optional quotes and
/// closing tags), keeping the page valid HTML, for `minify = true`.
pub fn minify(html: &str) -> String {
    let mut cfg = simple_minify_html::Cfg::new();
    // Keep <html lang> and <head> explicit, as validators and some crawlers expect.
    cfg.keep_html_and_head_opening_tags = true;
    let bytes = simple_minify_html::minify(html.as_bytes(), Some(cfg));
    String::from_utf8(bytes).unwrap_or_else(|_| html.to_string())
}
