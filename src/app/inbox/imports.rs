//! `gazette inbox import FILE`: what a curator brings from elsewhere, told apart by its
//! contents. An OPML file gives subscriptions; a Pocket export (HTML or CSV), a Raindrop
//! CSV, a Pinboard JSON, a browser's bookmarks (Netscape HTML) or a plain list of URLs
//! give links, which enter the inbox at once. Only http(s) links are taken (`place:`,
//! `javascript:` and the rest are skipped).

use super::feed::plain_of;
use super::opml::Subscription;
use anyhow::{bail, Result};

/// The largest file imported.
pub const MAX_FILE_BYTES: u64 = 50 << 20;

/// The most links taken from one file.
pub const MAX_LINKS: usize = 20_000;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Opml,
    /// Pocket's HTML export and every browser's bookmarks file.
    LinksHtml,
    /// Pocket's and Raindrop's CSV exports (any CSV with a `url` column).
    Csv,
    /// Pinboard's JSON export.
    PinboardJson,
    /// One address a line.
    UrlList,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Opml => "OPML subscriptions",
            Format::LinksHtml => "bookmarks (HTML)",
            Format::Csv => "CSV export",
            Format::PinboardJson => "Pinboard JSON",
            Format::UrlList => "list of URLs",
        }
    }
}

/// A link to add to the inbox, as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub title: String,
    pub note: String,
}

/// What one file holds.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    pub subscriptions: Vec<Subscription>,
    pub links: Vec<Link>,
}

/// Reads `text`, the file `name`.
pub fn read(text: &str, name: &str) -> Result<Imported> {
    let text = text.trim_start_matches('\u{feff}');
    let format = detect(text);
    let mut imported = Imported {
        format,
        subscriptions: Vec::new(),
        links: Vec::new(),
    };
    match format {
        Format::Opml => imported.subscriptions = super::opml::read(text, name)?,
        Format::LinksHtml => imported.links = html_links(text),
        Format::Csv => imported.links = csv_links(text, name)?,
        Format::PinboardJson => imported.links = pinboard_links(text, name)?,
        Format::UrlList => imported.links = url_list(text),
    }
    imported.links = dedup(imported.links);
    if imported.links.len() > MAX_LINKS {
        bail!(
            "{name} holds {} links; Gazette imports at most {MAX_LINKS} at a time: split the file",
            imported.links.len()
        );
    }
    Ok(imported)
}

fn detect(text: &str) -> Format {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let start = head.trim_start();
    if start.starts_with('[') {
        Format::PinboardJson
    } else if head.contains("<opml") {
        Format::Opml
    } else if start.starts_with('<') {
        Format::LinksHtml
    } else if start.lines().next().is_some_and(|l| {
        l.contains(',') && l.split(',').any(|c| c.trim().trim_matches('"') == "url")
    }) {
        Format::Csv
    } else {
        Format::UrlList
    }
}

fn link(url: &str, title: &str, note: &str) -> Option<Link> {
    let url = url.trim();
    if !crate::util::url::is_web(url) {
        return None;
    }
    let url = crate::util::url::clean(url);
    let title = super::feed::shorten(&crate::app::add::text::plain(title), 300);
    Some(Link {
        title: match title.is_empty() {
            true => crate::app::add::title_from_address(&url, &crate::model::host_of(&url)),
            false => title,
        },
        url,
        note: super::feed::shorten(&crate::app::add::text::plain(note), 600),
    })
}

fn dedup(links: Vec<Link>) -> Vec<Link> {
    let mut seen = std::collections::HashSet::new();
    links
        .into_iter()
        .filter(|l| seen.insert(crate::util::url::story_key(&l.url)))
        .collect()
}

/// Every `<a href>` of an HTML file with its text (Pocket's export, browsers' bookmarks).
fn html_links(text: &str) -> Vec<Link> {
    let lower = text.to_ascii_lowercase();
    let mut links = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<a ") {
        let start = at + i;
        let Some(close) = lower[start..].find('>') else {
            break;
        };
        let tag_end = start + close + 1;
        // A link's text holds no tag: it ends at the next one, `</a>` or not.
        let text_end = lower[tag_end..]
            .find('<')
            .map_or(text.len(), |j| tag_end + j);
        let tag = crate::app::add::html::tags(&text[start..tag_end]);
        if let Some(href) = tag.first().and_then(|t| t.attr("href")) {
            links.extend(link(href, &plain_of(&text[tag_end..text_end]), ""));
        }
        at = text_end;
    }
    links
}

/// The links of a CSV file with a `url` column (Pocket: `title,url,time_added,tags,status`;
/// Raindrop: `id,title,note,excerpt,url,folder,tags,created,…`).
fn csv_links(text: &str, name: &str) -> Result<Vec<Link>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => bail!("{name}:1: could not read the CSV header ({e}); export the file again"),
    };
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let Some(url) = column(&["url", "href", "link"]) else {
        bail!("{name}:1: no `url` column; Gazette reads Pocket's and Raindrop's CSV exports");
    };
    let title = column(&["title", "description"]);
    let notes: Vec<usize> = ["note", "excerpt"]
        .iter()
        .filter_map(|n| column(&[n]))
        .collect();
    let mut links = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                bail!("{name}:{line}: this CSV row cannot be read ({e}); fix the row or export the file again")
            }
        };
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let note = notes
            .iter()
            .map(|&i| field(Some(i)))
            .find(|n| !n.trim().is_empty());
        links.extend(link(field(Some(url)), field(title), note.unwrap_or("")));
    }
    Ok(links)
}

/// The links of Pinboard's JSON export: `[{"href", "description", "extended", …}]`.
fn pinboard_links(text: &str, name: &str) -> Result<Vec<Link>> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => bail!("{name}:{}: this is not a Pinboard JSON export ({e}); export it again from pinboard.in/export", e.line()),
    };
    let entries = value.as_array().map(Vec::as_slice).unwrap_or_default();
    let text_of = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_string()
    };
    Ok(entries
        .iter()
        .filter_map(|e| {
            link(
                &text_of(e, "href"),
                &text_of(e, "description"),
                &text_of(e, "extended"),
            )
        })
        .collect())
}

/// One address a line; blank lines, `#` comments and lines that are no address skipped.
fn url_list(text: &str) -> Vec<Link> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| link(l, "", ""))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_their_contents() {
        assert_eq!(detect("[{\"href\":\"x\"}]"), Format::PinboardJson);
        assert_eq!(
            detect("<?xml version=\"1.0\"?>\n<opml version=\"2.0\">"),
            Format::Opml
        );
        assert_eq!(
            detect("<!DOCTYPE NETSCAPE-Bookmark-file-1>"),
            Format::LinksHtml
        );
        assert_eq!(detect("title,url,time_added,tags,status\n"), Format::Csv);
        assert_eq!(detect("https://a.example/\n"), Format::UrlList);
    }

    #[test]
    fn a_file_of_too_many_links_is_refused_and_long_titles_are_cut() {
        let many: String = (0..=MAX_LINKS)
            .map(|n| format!("https://a.example/{n}\n"))
            .collect();
        let error = read(&many, "urls.txt").unwrap_err();
        assert_eq!(
            error.to_string(),
            "urls.txt holds 20001 links; Gazette imports at most 20000 at a time: split the file"
        );
        let long = format!(
            "<a href=\"https://a.example/x\">{}</a>",
            "word ".repeat(200)
        );
        let links = read(&long, "b.html").unwrap().links;
        assert!(links[0].title.chars().count() <= 301, "{}", links[0].title);
        let unclosed = "<a href=\"https://a.example/1\">One<dt><a href=\"https://a.example/2\">Two";
        let titles: Vec<String> = read(unclosed, "b.html")
            .unwrap()
            .links
            .into_iter()
            .map(|l| l.title)
            .collect();
        assert_eq!(
            titles,
            ["One", "Two"],
            "a link without </a> ends at the next tag"
        );
    }
}
