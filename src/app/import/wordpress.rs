//! WordPress's export (WXR 1.2, Tools → Export, "Posts" or "All content"): items whose
//! `wp:post_type` is `post`, with `content:encoded` (block-editor HTML, or the classic
//! editor's text with blank lines between paragraphs), `excerpt:encoded`, categories and
//! tags, the author's display name, `wp:post_date` and `wp:post_date_gmt` (their
//! difference is the zone) and the permalink as an old address.

use super::{Body, Post, Report};
use crate::app::add::text::plain;
use crate::markdown::escape;
use anyhow::{bail, Result};
use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// One `<item>` (or `<wp:author>`) as its direct children's text, by name; categories as
/// (domain, name).
#[derive(Debug, Default)]
struct Item {
    fields: BTreeMap<String, String>,
    categories: Vec<(String, String)>,
}

/// The posts of a WXR file.
pub fn read(xml: &str, name: &str, report: &mut Report) -> Result<Vec<Post>> {
    let (items, authors) = items(xml, name)?;
    if items.is_empty() && !xml.contains("wordpress.org/export/") {
        bail!(
            "{name}: not a WordPress export (no WXR namespace); export again with Tools → Export"
        );
    }
    let mut posts = Vec::new();
    let mut others = 0;
    for item in items {
        let get = |k: &str| {
            item.fields
                .get(k)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        if get("wp:post_type") != Some("post") {
            others += 1;
            continue;
        }
        let status = get("wp:status").unwrap_or("draft");
        if status == "trash" {
            report
                .skipped
                .push((quoted(get("title")), "in WordPress's trash".into()));
            continue;
        }
        let title = text(get("title").unwrap_or_default());
        if title.is_empty() {
            report.skipped.push((
                "a post without a title".into(),
                "give it a title in WordPress and export again".into(),
            ));
            continue;
        }
        let Some(date) = date(get("wp:post_date"), get("wp:post_date_gmt")) else {
            bail!("{name}: \"{title}\" has no `wp:post_date`; export again from WordPress");
        };
        let content =
            crate::util::text::clean(get("content:encoded").unwrap_or_default()).into_owned();
        let (html, notes) = content_html(&content);
        let mut post = Post::new(title, date, Body::Html(html));
        post.summary = get("excerpt:encoded").map(text).filter(|s| !s.is_empty());
        post.slug = get("wp:post_name").map(str::to_string);
        post.authors = get("dc:creator")
            .map(|login| authors.get(login).cloned().unwrap_or_else(|| plain(login)))
            .into_iter()
            .collect();
        post.topics = item
            .categories
            .iter()
            .filter(|(domain, name)| {
                ["category", "post_tag"].contains(&domain.as_str()) && name != "Uncategorized"
            })
            .map(|(_, name)| text(name))
            .fold(Vec::new(), |mut all, t| {
                if !t.is_empty() && !all.contains(&t) {
                    all.push(t);
                }
                all
            });
        post.old_path = get("link")
            .and_then(super::path_of)
            .filter(|p| !p.starts_with("/?"));
        post.draft = status != "publish";
        post.paid = get("wp:post_password").is_some();
        post.notes = notes;
        if post.paid {
            post.notes.push(
                "it was protected by a password in WordPress: marked paid_only and left as a draft"
                    .into(),
            );
        }
        posts.push(post);
    }
    if others > 0 {
        let others = if others == 1 {
            "1 other item".to_string()
        } else {
            format!("{others} other items")
        };
        report.skipped.push((
            others,
            "pages, attachments and menu items are not posts".into(),
        ));
    }
    Ok(posts)
}

/// WordPress's text fields (titles, excerpts, names), which hold HTML entities, as plain
/// text.
fn text(html: &str) -> String {
    plain(&crate::app::add::html::decode_references(html))
}

/// `"title"`, or "a post without a title".
fn quoted(title: Option<&str>) -> String {
    title.map_or("a post without a title".into(), |t| {
        format!("\"{}\"", text(t))
    })
}

/// The date with the zone its local and UTC times differ by (UTC for drafts, whose UTC
/// time WordPress leaves as zeros).
fn date(local: Option<&str>, gmt: Option<&str>) -> Option<chrono::DateTime<FixedOffset>> {
    let parse = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok();
    let local = parse(local?)?;
    let offset = gmt
        .and_then(parse)
        .map(|utc| (local - utc).num_seconds())
        .filter(|s| s.abs() < 24 * 3600 && s % 60 == 0)
        .and_then(|s| FixedOffset::east_opt(s as i32))
        .unwrap_or(FixedOffset::east_opt(0)?);
    offset.from_local_datetime(&local).single()
}

/// The `<item>`s of the channel, and the authors' display names by login.
fn items(text: &str, name: &str) -> Result<(Vec<Item>, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let (mut items, mut authors) = (Vec::new(), BTreeMap::new());
    let mut current: Option<Item> = None;
    let mut text_of = String::new();
    let mut category: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            let line = text.as_bytes()[..at.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            anyhow::anyhow!(
                "{name}:{line}: the XML is broken here ({}); export again from WordPress",
                crate::app::add::text::printable(&e.to_string())
            )
        })?;
        match event {
            Event::Start(tag) => {
                let tag_name = tag.name().as_ref().to_string();
                if path.len() > 64 {
                    bail!(
                        "{name}: elements nested more than 64 deep; this is not a WordPress export"
                    );
                }
                if matches!(tag_name.as_str(), "item" | "wp:author")
                    && path.last().map(String::as_str) == Some("channel")
                {
                    current = Some(Item::default());
                }
                if tag_name == "category" {
                    category = tag
                        .try_get_attribute("domain")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned());
                }
                path.push(tag_name);
                text_of.clear();
            }
            Event::Text(t) => text_of.push_str(&t.xml10_content()),
            Event::CData(c) => text_of.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text_of.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    text_of.push_str(s);
                }
            }
            Event::End(_) => {
                let Some(ended) = path.pop() else { continue };
                let parent = path.last().map(String::as_str);
                match (ended.as_str(), parent, current.as_mut()) {
                    ("item", _, Some(_)) if parent == Some("channel") => {
                        items.extend(current.take())
                    }
                    ("wp:author", Some("channel"), Some(item)) => {
                        if let (Some(login), Some(shown)) = (
                            item.fields.get("wp:author_login"),
                            item.fields.get("wp:author_display_name"),
                        ) {
                            authors.insert(login.trim().to_string(), plain(shown));
                        }
                        current = None;
                    }
                    ("category", Some("item"), Some(item)) => {
                        item.categories.push((
                            category.take().unwrap_or_default(),
                            text_of.trim().to_string(),
                        ));
                    }
                    (_, Some("item" | "wp:author"), Some(item)) => {
                        item.fields.insert(ended, std::mem::take(&mut text_of));
                    }
                    _ => {}
                }
                text_of.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((items, authors))
}

/// A post's content as HTML: the classic editor's paragraphs made, `[caption]` as a
/// figure, `[embed]` and a video's address on a line of its own as its player; other
/// shortcodes noted.
fn content_html(content: &str) -> (String, Vec<String>) {
    let content = content.replace("\r\n", "\n");
    let content = captions(&content);
    let mut notes = Vec::new();
    let mut blocks = Vec::new();
    for block in content
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        let line = block
            .strip_prefix("[embed]")
            .and_then(|b| b.strip_suffix("[/embed]"))
            .unwrap_or(block)
            .trim();
        if super::html::video_embed(line).is_some() {
            blocks.push(format!("<iframe src=\"{}\"></iframe>", escape(line)));
        } else if block.starts_with('<') || block.starts_with("[caption") {
            blocks.push(block.to_string());
        } else {
            blocks.push(format!("<p>{}</p>", block.replace('\n', "<br>")));
        }
    }
    let shortcodes = leftover_shortcodes(&content);
    if !shortcodes.is_empty() {
        notes.push(format!(
            "WordPress shortcodes left as written: {}; replace them with Markdown or HTML",
            shortcodes.join(", ")
        ));
    }
    (blocks.join("\n"), notes)
}

/// `[caption …]<img …> Text[/caption]` as `<figure><img …><figcaption>Text</figcaption></figure>`.
fn captions(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("[caption") {
        let Some(open_end) = rest[start..].find(']').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("[/caption]").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[open_end..close];
        let split = inner.rfind('>').map_or(0, |i| i + 1);
        let (media, text) = inner.split_at(split);
        out.push_str(&format!(
            "<figure>{}<figcaption>{}</figcaption></figure>",
            media.trim(),
            text.trim()
        ));
        rest = &rest[close + "[/caption]".len()..];
    }
    out.push_str(rest);
    out
}

/// The names of shortcodes still in `content` (`[gallery]`, `[contact-form]`).
fn leftover_shortcodes(content: &str) -> Vec<String> {
    // The names that have a closing tag (`[/caption]`), found in one pass.
    let closers: std::collections::HashSet<&str> = content
        .match_indices("[/")
        .filter_map(|(i, _)| {
            let rest = &content[i + 2..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))?;
            rest[end..].starts_with(']').then(|| &rest[..end])
        })
        .collect();
    let mut names = Vec::new();
    for (i, _) in content.match_indices('[') {
        let rest = &content[i + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let after = rest[name.len()..].chars().next();
        let known = ["gallery", "audio", "video", "playlist", "embed"].contains(&name.as_str());
        let closed = closers.contains(name.as_str());
        if !name.is_empty() && (known || closed) && matches!(after, Some(' ' | ']')) {
            let name = format!("[{name}]");
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_paragraphs_captions_and_embeds_become_html() {
        let (html, notes) = content_html("Rivers rose.\nRoads closed.\r\n\r\n[caption id=\"a\" width=\"300\"]<img src=\"https://x.example/f.jpg\" alt=\"Road\" /> The road[/caption]\n\nhttps://www.youtube.com/watch?v=abc\n\n[gallery ids=\"1,2\"]\n\n<h2>Next</h2>");
        assert_eq!(
            html,
            "<p>Rivers rose.<br>Roads closed.</p>\n<figure><img src=\"https://x.example/f.jpg\" alt=\"Road\" /><figcaption>The road</figcaption></figure>\n<iframe src=\"https://www.youtube.com/watch?v=abc\"></iframe>\n<p>[gallery ids=\"1,2\"]</p>\n<h2>Next</h2>"
        );
        assert_eq!(notes, ["WordPress shortcodes left as written: [gallery]; replace them with Markdown or HTML"]);
        assert!(leftover_shortcodes("see [1] and [sic] here").is_empty());
    }

    #[test]
    fn the_zone_is_the_difference_of_local_and_utc_times() {
        let d = date(Some("2024-06-07 09:00:00"), Some("2024-06-07 07:00:00")).unwrap();
        assert_eq!(d.to_rfc3339(), "2024-06-07T09:00:00+02:00");
        let draft = date(Some("2024-06-07 09:00:00"), Some("0000-00-00 00:00:00")).unwrap();
        assert_eq!(draft.to_rfc3339(), "2024-06-07T09:00:00+00:00");
    }
}
