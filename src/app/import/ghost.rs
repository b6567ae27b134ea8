//! Ghost's JSON export (Settings → Advanced → Import/Export, Ghost 5; `db[0].data` with
//! `posts`, `tags`, `posts_tags`, `users` and `posts_authors`). A body is read from its
//! Lexical document (Ghost 5's editor) or its Mobiledoc (Ghost 2 to 4), each rendered to
//! HTML here; a node or card this reader does not know, or neither document, falls back
//! to the post's `html`.

use super::{parse_date, Body, Post, Report};
use crate::app::add::text::plain;
use crate::markdown::escape;
use anyhow::{bail, Result};
use serde_json::Value;
use std::collections::HashMap;

/// The posts of the export's first database.
pub fn read(text: &str, name: &str, report: &mut Report) -> Result<Vec<Post>> {
    let json: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => bail!(
            "{name}:{}: not JSON ({e}); give the .json file Ghost's export wrote",
            e.line()
        ),
    };
    let data = json.pointer("/db/0/data").or_else(|| json.get("data"));
    let Some(data) = data else {
        bail!("{name}: no `db[0].data` in it; give the .json file of Ghost's Export content");
    };
    let list = |key: &str| {
        data.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (tags, users) = (list("tags"), list("users"));
    let topics = links(&list("posts_tags"), "tag_id", &names(&tags));
    let authors = links(&list("posts_authors"), "author_id", &names(&users));
    let mut posts = Vec::new();
    let mut pages = 0;
    for item in list("posts") {
        let kind = str_of(&item, "type").unwrap_or("post");
        if kind != "post" {
            pages += 1;
            continue;
        }
        let id = str_of(&item, "id").unwrap_or_default();
        let mut post = match post(&item, name)? {
            Some(post) => post,
            None => continue,
        };
        post.topics = topics.get(id).cloned().unwrap_or_default();
        post.authors = authors.get(id).cloned().unwrap_or_default();
        posts.push(post);
    }
    if pages > 0 {
        let pages = if pages == 1 {
            "1 page".to_string()
        } else {
            format!("{pages} pages")
        };
        report.skipped.push((
            pages,
            "pages are not posts: copy what you need of them into Markdown by hand".into(),
        ));
    }
    Ok(posts)
}

/// The names of a table's rows (tags, users) by id, as plain text.
fn names(table: &[Value]) -> HashMap<&str, String> {
    table
        .iter()
        .filter_map(|row| Some((str_of(row, "id")?, plain(str_of(row, "name")?))))
        .collect()
}

/// Each post's names through a table of links (`posts_tags`, `posts_authors`), in their
/// `sort_order`, without Ghost's internal tags (`#…`): one pass over the links.
fn links(rows: &[Value], key: &str, names: &HashMap<&str, String>) -> HashMap<String, Vec<String>> {
    let mut by_post: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for row in rows {
        let (Some(post), Some(name)) = (
            str_of(row, "post_id"),
            str_of(row, key).and_then(|k| names.get(k)),
        ) else {
            continue;
        };
        if !name.is_empty() && !name.starts_with('#') {
            let order = row.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
            by_post
                .entry(post.to_string())
                .or_default()
                .push((order, name.clone()));
        }
    }
    by_post
        .into_iter()
        .map(|(post, mut found)| {
            found.sort();
            (post, found.into_iter().map(|(_, n)| n).collect())
        })
        .collect()
}

/// Whether the post shows images of the Ghost site itself (`__GHOST_URL__/content/images/…`,
/// made site paths here).
fn html_has_site_images(post: &Post) -> bool {
    let body = match &post.body {
        Body::Html(h) | Body::Markdown(h) => h,
    };
    post.image
        .as_deref()
        .is_some_and(|i| i.starts_with("/content/images/"))
        || body.contains("\"/content/images/")
}

/// A string field of `v`, if it has one that is not empty.
fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// One post (`None`: without a title and a body, as Ghost keeps empty drafts).
fn post(item: &Value, name: &str) -> Result<Option<Post>> {
    let title = plain(str_of(item, "title").unwrap_or_default());
    let (html, notes) = body(item);
    if title.is_empty() {
        if html.trim().is_empty() {
            return Ok(None);
        }
        bail!(
            "{name}: the post {} has no title; give it one in Ghost and export again",
            crate::app::add::text::printable(str_of(item, "slug").unwrap_or("(no slug)"))
        );
    }
    let date = ["published_at", "created_at", "updated_at"]
        .iter()
        .find_map(|k| str_of(item, k).and_then(parse_date));
    let Some(date) = date else {
        bail!("{name}: \"{title}\" has no `published_at` or `created_at` date; export again from Ghost");
    };
    let status = str_of(item, "status").unwrap_or("draft");
    let mut post = Post::new(title, date, Body::Html(html));
    post.summary = str_of(item, "custom_excerpt")
        .map(plain)
        .filter(|s| !s.is_empty());
    post.slug = str_of(item, "slug").map(str::to_string);
    post.old_path = post.slug.as_ref().map(|s| format!("/{s}/"));
    post.image = str_of(item, "feature_image").map(|u| u.replace("__GHOST_URL__", ""));
    post.draft = !matches!(status, "published" | "sent");
    post.paid = matches!(str_of(item, "visibility"), Some("paid" | "tiers"));
    post.notes = notes;
    if html_has_site_images(&post) {
        post.notes.push("its images are on the Ghost site itself (/content/images/…), which the export does not hold; copy that folder from the Ghost server into content/, or import from a Ghost at its address".into());
    }
    Ok(Some(post))
}

/// The body as HTML, from Lexical, else Mobiledoc, else `html`; with a note when a
/// document fell back.
fn body(item: &Value) -> (String, Vec<String>) {
    let html = str_of(item, "html")
        .unwrap_or_default()
        .replace("__GHOST_URL__", "");
    let document =
        |key: &str| str_of(item, key).and_then(|t| serde_json::from_str::<Value>(t).ok());
    let rendered = match (document("lexical"), document("mobiledoc")) {
        (Some(doc), _) => lexical(&doc).map_err(|what| ("Lexical", what)),
        (None, Some(doc)) => mobiledoc(&doc).map_err(|what| ("Mobiledoc", what)),
        (None, None) => return (html, Vec::new()),
    };
    match rendered {
        Ok(body) => (body.replace("__GHOST_URL__", ""), Vec::new()),
        Err((kind, what)) => {
            let note = format!("its {kind} body has {what}, which Gazette does not read; its HTML was converted instead");
            (html, vec![note])
        }
    }
}

/// A Lexical document as HTML; `Err` names a node this reader does not know.
pub fn lexical(doc: &Value) -> Result<String, String> {
    let mut html = String::new();
    let root = doc.get("root").ok_or("no root")?;
    lexical_children(root, &mut html, 0)?;
    Ok(html)
}

fn lexical_children(node: &Value, html: &mut String, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Err("nodes nested more than 64 deep".into());
    }
    for child in node
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        lexical_node(child, html, depth + 1)?;
    }
    Ok(())
}

fn lexical_node(node: &Value, html: &mut String, depth: usize) -> Result<(), String> {
    let s = |k: &str| node.get(k).and_then(Value::as_str).unwrap_or_default();
    let wrap = |html: &mut String, tag: &str| -> Result<(), String> {
        html.push_str(&format!("<{tag}>"));
        lexical_children(node, html, depth)?;
        html.push_str(&format!("</{tag}>"));
        Ok(())
    };
    match s("type") {
        "paragraph" => wrap(html, "p")?,
        "heading" => wrap(
            html,
            tag_or(s("tag"), &["h1", "h2", "h3", "h4", "h5", "h6"], "h2"),
        )?,
        "quote" | "aside" => wrap(html, "blockquote")?,
        "list" => wrap(
            html,
            if s("listType") == "number" {
                "ol"
            } else {
                "ul"
            },
        )?,
        "listitem" => wrap(html, "li")?,
        "link" | "autolink" => {
            html.push_str(&format!("<a href=\"{}\">", escape(s("url"))));
            lexical_children(node, html, depth)?;
            html.push_str("</a>");
        }
        "text" | "extended-text" => html.push_str(&formatted(
            s("text"),
            node.get("format").and_then(Value::as_u64).unwrap_or(0),
        )),
        "linebreak" => html.push_str("<br>"),
        "horizontalrule" => html.push_str("<hr>"),
        "image" => html.push_str(&figure(s("src"), s("alt"), s("caption"))),
        "codeblock" => html.push_str(&format!(
            "<pre><code class=\"language-{}\">{}</code></pre>",
            escape(s("language")),
            escape(s("code"))
        )),
        "markdown" => html.push_str(&markdown_html(s("markdown"))),
        "html" => html.push_str(s("html")),
        "embed" => html.push_str(&embed(s("url"), s("html"))),
        "bookmark" => {
            let title = node
                .pointer("/metadata/title")
                .and_then(Value::as_str)
                .unwrap_or(s("url"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(s("url")),
                escape(title)
            ));
        }
        "paywall" => {}
        other => return Err(format!("a `{other}` node")),
    }
    Ok(())
}

/// `tag` when it is one of `allowed`, else `default`.
fn tag_or<'t>(tag: &'t str, allowed: &[&str], default: &'t str) -> &'t str {
    match allowed.contains(&tag) {
        true => tag,
        false => default,
    }
}

/// Lexical's text with its format bits (1 bold, 2 italic, 4 strikethrough, 16 code).
fn formatted(text: &str, format: u64) -> String {
    let mut html = escape(text);
    for (bit, tag) in [(16, "code"), (4, "s"), (2, "em"), (1, "strong")] {
        if format & bit != 0 {
            html = format!("<{tag}>{html}</{tag}>");
        }
    }
    html
}

/// An image card as a `<figure>` (its caption is HTML).
fn figure(src: &str, alt: &str, caption: &str) -> String {
    let caption = match caption.trim().is_empty() {
        true => String::new(),
        false => format!("<figcaption>{caption}</figcaption>"),
    };
    format!(
        "<figure><img src=\"{}\" alt=\"{}\">{caption}</figure>",
        escape(src),
        escape(alt)
    )
}

/// An embed card: a video's player where the address is one, else its HTML.
fn embed(url: &str, html: &str) -> String {
    match super::html::video_embed(url) {
        Some(_) => format!("<iframe src=\"{}\"></iframe>", escape(url)),
        None => html.to_string(),
    }
}

/// A Markdown card's text as HTML (it is converted back with everything else).
fn markdown_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::all()),
    );
    html
}

/// A Mobiledoc document (0.3) as HTML; `Err` names a card or section this reader does not
/// know.
pub fn mobiledoc(doc: &Value) -> Result<String, String> {
    let arr = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let (markups, cards, atoms) = (
        arr(doc.get("markups")),
        arr(doc.get("cards")),
        arr(doc.get("atoms")),
    );
    let mut html = String::new();
    for section in arr(doc.get("sections")) {
        let kind = section.get(0).and_then(Value::as_u64);
        let tag = section
            .get(1)
            .and_then(Value::as_str)
            .unwrap_or("p")
            .to_ascii_lowercase();
        match kind {
            Some(1) => {
                let tag = tag_or(
                    &tag,
                    &[
                        "p",
                        "h1",
                        "h2",
                        "h3",
                        "h4",
                        "h5",
                        "h6",
                        "blockquote",
                        "aside",
                    ],
                    "p",
                );
                let tag = if tag == "aside" { "blockquote" } else { tag };
                html.push_str(&format!(
                    "<{tag}>{}</{tag}>",
                    markers(section.get(2), &markups, &atoms)
                ));
            }
            Some(2) => html.push_str(&figure(tag.as_str(), "", "")),
            Some(3) => {
                let tag = tag_or(&tag, &["ul", "ol"], "ul");
                html.push_str(&format!("<{tag}>"));
                for item in arr(section.get(2)) {
                    html.push_str(&format!(
                        "<li>{}</li>",
                        markers(Some(&item), &markups, &atoms)
                    ));
                }
                html.push_str(&format!("</{tag}>"));
            }
            Some(10) => {
                let card = section
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| cards.get(i as usize));
                html.push_str(&mobiledoc_card(card.ok_or("a missing card")?)?);
            }
            _ => return Err("a section of an unknown kind".into()),
        }
    }
    Ok(html)
}

/// A run of Mobiledoc markers (text and atoms, with markups opened and closed) as HTML.
fn markers(list: Option<&Value>, markups: &[Value], atoms: &[Value]) -> String {
    let mut html = String::new();
    let mut open: Vec<String> = Vec::new();
    for marker in list.and_then(Value::as_array).into_iter().flatten() {
        for i in marker
            .get(1)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let markup = i.as_u64().and_then(|i| markups.get(i as usize));
            let tag = markup
                .and_then(|m| m.get(0))
                .and_then(Value::as_str)
                .unwrap_or("span")
                .to_ascii_lowercase();
            let tag = tag_or(
                &tag,
                &[
                    "a", "b", "strong", "i", "em", "code", "s", "u", "sup", "sub",
                ],
                "span",
            )
            .to_string();
            let attrs = markup
                .and_then(|m| m.get(1))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let href = attrs
                .chunks(2)
                .find(|p| p[0] == "href")
                .and_then(|p| p.get(1))
                .and_then(Value::as_str);
            match href.filter(|_| tag == "a") {
                Some(href) => html.push_str(&format!("<a href=\"{}\">", escape(href))),
                None => html.push_str(&format!("<{tag}>")),
            }
            open.push(tag);
        }
        let value = marker.get(3);
        match marker.get(0).and_then(Value::as_u64) {
            Some(1) => {
                let atom = value
                    .and_then(Value::as_u64)
                    .and_then(|i| atoms.get(i as usize));
                let text = atom
                    .and_then(|a| a.get(1))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                html.push_str(&escape(text));
            }
            _ => html.push_str(&escape(value.and_then(Value::as_str).unwrap_or_default())),
        }
        let closed = marker.get(2).and_then(Value::as_u64).unwrap_or(0) as usize;
        for _ in 0..closed.min(open.len()) {
            if let Some(tag) = open.pop() {
                html.push_str(&format!("</{tag}>"));
            }
        }
    }
    for tag in open.into_iter().rev() {
        html.push_str(&format!("</{tag}>"));
    }
    html
}

/// A Mobiledoc card as HTML.
fn mobiledoc_card(card: &Value) -> Result<String, String> {
    let name = card.get(0).and_then(Value::as_str).unwrap_or_default();
    let payload = card.get(1).cloned().unwrap_or(Value::Null);
    let s = |k: &str| {
        payload
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Ok(match name {
        "markdown" | "card-markdown" => markdown_html(&s("markdown")),
        "html" => s("html"),
        "image" => figure(&s("src"), &s("alt"), &s("caption")),
        "code" => format!(
            "<pre><code class=\"language-{}\">{}</code></pre>",
            escape(&s("language")),
            escape(&s("code"))
        ),
        "embed" => embed(&s("url"), &s("html")),
        "hr" => "<hr>".into(),
        "bookmark" => format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&s("url")),
            escape(
                payload
                    .pointer("/metadata/title")
                    .and_then(Value::as_str)
                    .unwrap_or(&s("url"))
            )
        ),
        "paywall" => String::new(),
        other => return Err(format!("a `{other}` card")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_and_mobiledoc_documents_render_to_html() {
        let doc: Value = serde_json::from_str(r#"{"root":{"children":[
            {"type":"heading","tag":"h2","children":[{"type":"text","text":"Grid","format":0}]},
            {"type":"paragraph","children":[{"type":"text","text":"Power ","format":1},{"type":"link","url":"https://x.example/a?b&c","children":[{"type":"text","text":"cut","format":2}]}]},
            {"type":"list","listType":"number","children":[{"type":"listitem","children":[{"type":"text","text":"<one>","format":16}]}]},
            {"type":"image","src":"https://cdn.example/i.jpg","alt":"Pylons","caption":"By <b>us</b>"},
            {"type":"codeblock","language":"sh","code":"ls <x>"}]}}"#).unwrap();
        assert_eq!(
            lexical(&doc).unwrap(),
            "<h2>Grid</h2><p><strong>Power </strong><a href=\"https://x.example/a?b&amp;c\"><em>cut</em></a></p><ol><li><code>&lt;one&gt;</code></li></ol><figure><img src=\"https://cdn.example/i.jpg\" alt=\"Pylons\"><figcaption>By <b>us</b></figcaption></figure><pre><code class=\"language-sh\">ls &lt;x&gt;</code></pre>"
        );
        let odd: Value =
            serde_json::from_str(r#"{"root":{"children":[{"type":"poll"}]}}"#).unwrap();
        assert_eq!(lexical(&odd), Err("a `poll` node".to_string()));
        let doc: Value = serde_json::from_str(r#"{"version":"0.3.1","atoms":[],"markups":[["a",["href","https://x.example/"]],["strong"]],
            "cards":[["markdown",{"markdown":"*hi*"}],["hr",{}]],
            "sections":[[1,"p",[[0,[],0,"See "],[0,[0,1],2,"this"],[0,[],0,"."]]],[3,"ul",[[[0,[],0,"a"]],[[0,[],0,"b"]]]],[10,0],[10,1]]}"#).unwrap();
        assert_eq!(
            mobiledoc(&doc).unwrap(),
            "<p>See <a href=\"https://x.example/\"><strong>this</strong></a>.</p><ul><li>a</li><li>b</li></ul><p><em>hi</em></p>\n<hr>"
        );
    }
}
