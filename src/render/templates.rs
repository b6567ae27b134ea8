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
    (
        "redirect.html",
        include_str!("../../themes/default/templates/redirect.html"),
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

/// Drops the indentation of every line and the blank lines, except inside `<pre>` and
/// `<textarea>`, where white space shows: the same page, about a tenth smaller, at a
/// small fraction of [`minify`]'s cost. A line break stays wherever there was one, so no
/// space between words or inline elements is lost.
pub fn tidy(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut keep = 0usize; // depth of <pre>/<textarea> open at this point
    for line in html.split_inclusive('\n') {
        let text = if keep > 0 { line } else { line.trim_start() };
        if keep == 0 && text.trim().is_empty() {
            continue;
        }
        out.push_str(text);
        if line.contains("<pre")
            || line.contains("<textarea")
            || line.contains("</pre")
            || line.contains("</textarea")
        {
            keep = (keep + opened(line)).saturating_sub(closed(line));
        }
    }
    if !html.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

/// The deepest nesting [`minify`] is given; real pages stay far below it.
const MAX_MINIFIED_NESTING: usize = 256;

/// Whether elements nest more than `limit` deep, counting every opening tag but those of
/// void elements and every closing tag (an overestimate where closing tags are left out,
/// which only means a page is tidied rather than minified).
fn nested_deeper_than(html: &str, limit: usize) -> bool {
    const VOID: [&[u8]; 13] = [
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr",
    ];
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    for (i, _) in html.match_indices('<') {
        let rest = &bytes[i + 1..];
        match rest.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_len = rest
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                let name = &rest[..name_len];
                if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
                    depth += 1;
                    if depth > limit {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// How many `<pre>` and `<textarea>` elements a line opens, and closes.
fn opened(line: &str) -> usize {
    ["<pre>", "<pre ", "<textarea>", "<textarea "]
        .iter()
        .map(|t| line.matches(t).count())
        .sum()
}
fn closed(line: &str) -> usize {
    ["</pre>", "</textarea>"]
        .iter()
        .map(|t| line.matches(t).count())
        .sum()
}

/// Removes what browsers do not need (white space between tags, optional quotes and
/// closing tags), keeping the page valid HTML, for `minify = true`.
pub fn minify(html: &str) -> String {
    // The minifier recurses once per level of nesting: a page nested deeper than any real
    // one (raw HTML with thousands of open <div>s) is tidied instead, never overflowing
    // the stack.
    if nested_deeper_than(html, MAX_MINIFIED_NESTING) {
        return tidy(html);
    }
    let mut cfg = simple_minify_html::Cfg::new();
    // Keep <html lang> and <head> explicit, as validators and some crawlers expect.
    cfg.keep_html_and_head_opening_tags = true;
    let bytes = simple_minify_html::minify(html.as_bytes(), Some(cfg));
    String::from_utf8(bytes).unwrap_or_else(|_| html.to_string())
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn pages_nested_too_deeply_are_tidied_not_minified() {
        let deep = format!("<p>{}x{}</p>", "<div>".repeat(300), "</div>".repeat(300));
        assert!(super::nested_deeper_than(&deep, 256));
        assert_eq!(
            super::minify(&deep),
            deep,
            "left whole, never handed to the minifier"
        );
        let wide = "<div><br><img src=a></div>".repeat(1000);
        assert!(!super::nested_deeper_than(&wide, 256));
    }

    #[test]
    fn tidy_drops_indentation_and_blank_lines_but_keeps_pre_and_textarea() {
        let page = "<ul>\n    <li>a</li>\n\n  <li>b <b>c</b>\n    d</li>\n</ul>\n<pre>\n  x\n\n   y</pre>\n  <textarea>\n  t\n</textarea>\n  <p>end</p>";
        assert_eq!(
            tidy(page),
            "<ul>\n<li>a</li>\n<li>b <b>c</b>\nd</li>\n</ul>\n<pre>\n  x\n\n   y</pre>\n<textarea>\n  t\n</textarea>\n<p>end</p>"
        );
    }
}
