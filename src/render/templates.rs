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
            crate::problem::key_line(&crate::util::fs::read_to_string(&root.join("site.toml")).unwrap_or_default(), "theme"),
            format!("theme \"{}\" not found: there is no folder themes/{}/templates/; copy the default theme there or fix `theme`", config.theme, config.theme),
        )
        .into());
    }
    crate::util::fs::overlay_files(&[theme_dir, root.join("templates")])
}

/// The templates for machines that every site has, from the default theme.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "feeds/atom.xml",
        include_str!("../../themes/default/templates/feeds/atom.xml"),
    ),
    (
        "feeds/rss.xml",
        include_str!("../../themes/default/templates/feeds/rss.xml"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "sitemap-index.xml",
        include_str!("../../themes/default/templates/sitemap-index.xml"),
    ),
    (
        "feeds.opml",
        include_str!("../../themes/default/templates/feeds.opml"),
    ),
    (
        "robots.txt",
        include_str!("../../themes/default/templates/robots.txt"),
    ),
];

/// Compiles templates once; a syntax error names the template file and line.
pub fn load_templates(files: &BTreeMap<String, PathBuf>) -> Result<(Tera, u64)> {
    let mut tera = Tera::default();
    // Tera's own escaping also escapes `/`, which bloats every URL; quotes and `<>&` suffice.
    tera.set_escape_fn(markdown::escape);
    // Besides pages, `.xml` and `.opml` templates (feeds, sitemap) escape what they show.
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".opml"]);
    let mut sources = Vec::with_capacity(files.len());
    for (name, path) in files {
        sources.push((name.clone(), crate::util::fs::read_to_string(path)?));
    }
    // A theme without its own feed, sitemap, feed list or robots.txt template gets the
    // default theme's, built in.
    for (name, text) in BUILT_IN {
        if !files.contains_key(*name) {
            sources.push((name.to_string(), text.to_string()));
        }
    }
    let hash = crate::util::hash::fingerprint(&sources);
    super::depth::register(&mut tera);
    let sources = sources
        .into_iter()
        .map(|(name, source)| {
            let file = match files.get(&name) {
                Some(path) => user_path(path, &name),
                None => format!("(built-in) {name}"),
            };
            let source = super::depth::instrument(&source, &file, &name);
            (name, source)
        })
        .collect::<Vec<_>>();
    tera.add_raw_templates(sources)
        .context("a template has an error")?;
    Ok((tera, hash))
}

/// A template's file as the site's author knows it: `templates/x.html` for the site's own,
/// `themes/NAME/templates/x.html` for the theme's.
fn user_path(path: &Path, name: &str) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let depth = name.split('/').count();
    let Some(at) = parts.len().checked_sub(depth + 1) else {
        return name.to_string();
    };
    let start = if at >= 2 && parts[at - 2] == "themes" {
        at - 2
    } else {
        at
    };
    parts[start..].join("/")
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
