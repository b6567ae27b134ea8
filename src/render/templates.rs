//! Templates: how the site's templates (read by `source::templates`) are compiled, the
//! built-in ones for machines, and the optional minifying of rendered pages.

use crate::markdown;
use crate::source::templates::TemplateSource;
use anyhow::{Context, Result};
use tera::Tera;

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

/// Compiles the site's templates once (with the built-in ones a theme lacks); a syntax
/// error names the template file and line. Returns them and a hash of their sources.
pub fn load_templates(sources: Vec<TemplateSource>) -> Result<(Tera, u64)> {
    let mut tera = Tera::default();
    // Tera's own escaping also escapes `/`, which bloats every URL; quotes and `<>&` suffice.
    tera.set_escape_fn(markdown::escape);
    // Besides pages, `.xml` and `.opml` templates (feeds, sitemap) escape what they show.
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".opml"]);
    let mut sources: Vec<(String, String, String)> = sources
        .into_iter()
        .map(|t| (t.name, t.file, t.text))
        .collect();
    // A theme without its own feed, sitemap, feed list or robots.txt template gets the
    // default theme's, built in.
    for (name, text) in BUILT_IN {
        if !sources.iter().any(|(n, _, _)| n == name) {
            sources.push((
                name.to_string(),
                format!("(built-in) {name}"),
                text.to_string(),
            ));
        }
    }
    let hash = crate::util::hash::fingerprint(&sources);
    super::depth::register(&mut tera);
    let sources = sources
        .into_iter()
        .map(|(name, file, text)| {
            let text = super::depth::instrument(&text, &file, &name);
            (name, text)
        })
        .collect::<Vec<_>>();
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
