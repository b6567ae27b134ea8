//! Templates: how the site's templates (read by `source::templates`) are compiled, the
//! built-in ones for machines, and the optional minifying of rendered pages.

use crate::markdown;
use crate::problem::{Problem, Problems};
use crate::source::templates::TemplateSource;
use anyhow::Result;
use std::collections::BTreeMap;
use std::sync::Arc;
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

/// The compiled templates, a hash of their sources, and the sources themselves (to point
/// an error at the file and line its author wrote).
#[derive(Clone)]
pub struct Templates {
    pub tera: Tera,
    pub hash: u64,
    pub files: TemplateFiles,
}

/// Each template's file (`templates/article.html`, or the theme's) and text, by name.
#[derive(Debug, Clone, Default)]
pub struct TemplateFiles(Arc<BTreeMap<String, (String, String)>>);

impl TemplateFiles {
    /// Whether any template calls Tera's `get_env` (what it renders then depends on the
    /// environment, not only on the site's files).
    pub fn read_environment(&self) -> bool {
        self.0.values().any(|(_, text)| text.contains("get_env"))
    }
}

/// Compiles the site's templates once (with the built-in ones a theme lacks); a syntax
/// error is a [`Problem`] at the template's file and line.
pub fn load_templates(sources: Vec<TemplateSource>) -> Result<Templates> {
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
    let instrumented = sources
        .iter()
        .map(|(name, file, text)| (name.clone(), super::depth::instrument(text, file, name)))
        .collect::<Vec<_>>();
    let files = TemplateFiles(Arc::new(
        sources
            .into_iter()
            .map(|(name, file, text)| (name, (file, text)))
            .collect(),
    ));
    if let Err(e) = tera.add_raw_templates(instrumented) {
        return Err(Problems(vec![files.explain(&e, None)]).into());
    }
    Ok(Templates { tera, hash, files })
}

impl TemplateFiles {
    /// A Tera error as a problem at the file and line of the template where it is, with
    /// what to do; `rendering` names the page being rendered, if any.
    pub fn explain(&self, error: &tera::Error, rendering: Option<&str>) -> Problem {
        let mut chain: Vec<String> = vec![error.to_string()];
        let mut source = std::error::Error::source(error);
        while let Some(e) = source {
            chain.push(e.to_string());
            source = e.source();
        }
        let named = chain.iter().find_map(|m| {
            quoted_after(m, "Failed to parse '").or(quoted_after(m, "Failed to render '"))
        });
        let innermost = chain.last().cloned().unwrap_or_default();
        let while_rendering = rendering.map_or(String::new(), |r| format!(" (rendering {r})"));
        if let Some((line, column)) = parse_error_place(&innermost) {
            let (file, text) = self.file_of(named.as_deref());
            let line = unclosed_tag_line(&text, line, column).unwrap_or(line);
            let expected = innermost
                .lines()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("a different token");
            return Problem::new(
                &file,
                Some(line),
                format!("template syntax error: {expected}; check the `{{{{ }}}}` or `{{% %}}` tag on this line"),
            );
        }
        // Gazette's own template errors (nesting too deep) start with their file already.
        if let Some((file, message)) = self.0.values().find_map(|(file, _)| {
            Some((
                file,
                innermost.strip_prefix(file.as_str())?.strip_prefix(": ")?,
            ))
        }) {
            return Problem::new(file, None, format!("{message}{while_rendering}"));
        }
        let (needle, message) = describe_render_error(&innermost);
        let (file, line) = match needle {
            Some(needle) => self.find(named.as_deref(), &needle),
            None => (self.file_of(named.as_deref()).0, None),
        };
        Problem::new(&file, line, format!("{message}{while_rendering}"))
    }

    /// The file of template `name` (and its text), or a stand-in when it is unknown.
    fn file_of(&self, name: Option<&str>) -> (String, String) {
        name.and_then(|n| self.0.get(n).cloned())
            .unwrap_or_else(|| (name.unwrap_or("a template").to_string(), String::new()))
    }

    /// The first file and line that holds `needle`: in template `name` first, then in the
    /// others (the layouts, includes and macros it uses), in name order.
    fn find(&self, name: Option<&str>, needle: &str) -> (String, Option<usize>) {
        let first = name.and_then(|n| self.0.get(n));
        for (file, text) in first.into_iter().chain(self.0.values()) {
            if let Some(i) = text.lines().position(|l| l.contains(needle)) {
                return (file.clone(), Some(i + 1));
            }
        }
        (self.file_of(name).0, None)
    }
}

/// The text between `'` after `prefix` in `message`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('\'')?].to_string())
}

/// The line and column of a syntax error as Tera's parser writes it (` --> 3:18`).
fn parse_error_place(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")?;
    let place = message[at + 4..].split_whitespace().next()?;
    let (line, column) = place.split_once(':')?;
    Some((line.parse().ok()?, column.parse().unwrap_or(1)))
}

/// The line of the last tag (`{%`, `{{`, `{#`) opened before the error at `line:column`
/// of `text` and not closed before it: where its author has to look (the parser notices
/// the missing `}` only on a later line).
fn unclosed_tag_line(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let (open_at, close) = ["{%", "{{", "{#"]
        .iter()
        .zip(["%}", "}}", "#}"])
        .filter_map(|(open, close)| Some((before.rfind(open)?, close)))
        .max_by_key(|(i, _)| *i)?;
    if before[open_at + 2..].contains(close) {
        return None;
    }
    let opened = text[..open_at].matches('\n').count() + 1;
    (opened < line).then_some(opened)
}

/// What to look for in the templates to place a render error, and what to say about it.
fn describe_render_error(message: &str) -> (Option<String>, String) {
    if let Some(filter) = quoted_after(message, "Filter '") {
        let message = format!("there is no filter `{filter}`; check its name against Tera's filters and those docs/templates.md lists");
        return (Some(filter), message);
    }
    if let Some(function) = quoted_after(message, "Function '") {
        let message = format!("there is no function `{function}`; check its name against Tera's functions and those docs/templates.md lists");
        return (Some(format!("{function}(")), message);
    }
    if let Some(rest) = message.strip_prefix("Variable `") {
        let variable = rest.split('`').next().unwrap_or_default().to_string();
        let message = format!("`{variable}` is not defined on this page; check the name against docs/templates.md, or test it first: {{% if {variable} %}}");
        return (Some(variable), message);
    }
    (None, message.to_string())
}

/// Drops the indentation of every line and the blank lines, except inside `<pre>` and
/// `<textarea>`, where white space shows: the same page, about a tenth smaller, at a
/// small fraction of [`super::minify`]'s cost. A line break stays wherever there was one, so no
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

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn tidy_drops_indentation_and_blank_lines_but_keeps_pre_and_textarea() {
        let page = "<ul>\n    <li>a</li>\n\n  <li>b <b>c</b>\n    d</li>\n</ul>\n<pre>\n  x\n\n   y</pre>\n  <textarea>\n  t\n</textarea>\n  <p>end</p>";
        assert_eq!(
            tidy(page),
            "<ul>\n<li>a</li>\n<li>b <b>c</b>\nd</li>\n</ul>\n<pre>\n  x\n\n   y</pre>\n<textarea>\n  t\n</textarea>\n<p>end</p>"
        );
    }
}
