//! A platform's HTML body as Markdown (htmd, turndown.js's rules): headings, lists, quotes,
//! links, code, images with their alt text and captions; YouTube and Vimeo frames as the
//! privacy-friendly embed the build writes for Hugo's shortcodes; what has no Markdown
//! (audio, video, other frames, forms) kept as HTML, and scripts and styles left out, each
//! noted so the import can warn about the article.

use htmd::element_handler::Handlers;
use htmd::{Element, HtmlToMarkdown, Node};
use markup5ever_rcdom::{NodeData, SerializableHandle};
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// An HTML body converted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    /// Every image's address, in order of appearance, once each.
    pub images: Vec<String>,
    /// Elements kept as HTML (`<video>`, `<iframe> from example.com`).
    pub kept: BTreeSet<String>,
    /// Elements left out (`<script>`, `<form>`).
    pub dropped: BTreeSet<String>,
}

/// Elements with no Markdown, kept as written.
const KEPT: &[&str] = &[
    "video", "audio", "object", "embed", "svg", "canvas", "math", "details", "dl", "sup", "sub",
];
/// Elements that do nothing on a static page, left out.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "form", "input", "button", "select", "textarea",
];

/// Deepest nesting converted.
const MAX_DEPTH: usize = 1024;

/// How deep `html`'s elements nest at most (past [`MAX_DEPTH`], some number above it),
/// in one pass over its tags: an end tag closes the elements up to the last open one of
/// its name (and nothing when none is open, as the parser does); void elements, and those
/// a sibling closes (`p`, `li`, `td`…, which nest only inside elements that are counted),
/// are not counted.
fn nesting(html: &str) -> usize {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead",
        "tfoot", "colgroup", "caption", "param",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut deepest = 0;
    for (i, _) in html.match_indices('<') {
        let rest = &html.as_bytes()[i + 1..];
        let (closing, rest) = match rest.first() {
            Some(b'/') => (true, &rest[1..]),
            _ => (false, rest),
        };
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name: String = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .take(16)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if !closing {
            open.push(name);
            deepest = deepest.max(open.len());
            if deepest > MAX_DEPTH {
                return deepest;
            }
        } else if let Some(at) = open.iter().rposition(|n| *n == name) {
            open.truncate(at);
        }
    }
    deepest
}

/// The text of `html` without its tags, references decoded.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find('>')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    text.push_str(rest);
    crate::app::add::html::decode_references(&text)
}

/// `html` as Markdown, with what could not be converted.
pub fn to_markdown(html: &str) -> Converted {
    let notes = Arc::new(Mutex::new(Converted::default()));
    let converter = converter(&notes);
    // html5ever takes quadratic time on deep nesting: past the limit, only the text.
    let markdown = match nesting(html) <= MAX_DEPTH {
        true => converter.convert(html).unwrap_or_default(),
        false => {
            notes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .dropped
                .insert(format!(
                "the markup (elements nested more than {MAX_DEPTH} deep: only its text is kept)"
            ));
            crate::app::add::text::markdown_text(&text_of(html))
        }
    };
    drop(converter);
    let mut converted = std::mem::take(&mut *notes.lock().unwrap_or_else(|e| e.into_inner()));
    converted.markdown = tidy(&markdown);
    converted
}

/// The converter, its handlers writing what they find into `notes`.
fn converter(notes: &Arc<Mutex<Converted>>) -> HtmlToMarkdown {
    let note = |notes: &Arc<Mutex<Converted>>| {
        let notes = Arc::clone(notes);
        move |f: &dyn Fn(&mut Converted)| f(&mut notes.lock().unwrap_or_else(|e| e.into_inner()))
    };
    let (on_img, on_fig, on_frame, on_kept, on_drop) = (
        note(notes),
        note(notes),
        note(notes),
        note(notes),
        note(notes),
    );
    HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Default::default()
        })
        .add_handler(vec!["img"], move |_: &dyn Handlers, e: Element| {
            let (md, src) = image(&attr(e.attrs, "src"), &attr(e.attrs, "alt"));
            on_img(&|n| remember(&mut n.images, &src));
            Some(md.into())
        })
        .add_handler(vec!["figure"], move |h: &dyn Handlers, e: Element| {
            let (Some(img), caption) = (find(e.node, "img"), find(e.node, "figcaption")) else {
                // WordPress's embed block: the video's address as the figure's text
                // (read without converting the children, which the fallback does).
                return match video_embed(node_text(e.node).trim()) {
                    Some(embed) => Some(format!("\n\n{embed}\n\n").into()),
                    None => h.fallback(e),
                };
            };
            let (md, src) = image(&node_attr(&img, "src"), &node_attr(&img, "alt"));
            on_fig(&|n| remember(&mut n.images, &src));
            let caption = caption.map(|c| h.walk_children(&c).content.trim().replace('\n', " "));
            Some(match caption.filter(|c| !c.is_empty()) {
                Some(c) => format!("\n\n{md}  \n_{c}_\n\n").into(),
                None => format!("\n\n{md}\n\n").into(),
            })
        })
        .add_handler(vec!["iframe"], move |_: &dyn Handlers, e: Element| {
            let src = attr(e.attrs, "src");
            if let Some(embed) = video_embed(&src) {
                return Some(format!("\n\n{embed}\n\n").into());
            }
            let host = crate::util::url::authority(&src);
            on_frame(&|n| {
                n.kept.insert(format!("<iframe> from {host}"));
            });
            Some(block_html(e.node).into())
        })
        .add_handler(KEPT.to_vec(), move |_: &dyn Handlers, e: Element| {
            on_kept(&|n| {
                n.kept.insert(format!("<{}>", e.tag));
            });
            Some(block_html(e.node).into())
        })
        .add_handler(DROPPED.to_vec(), move |_: &dyn Handlers, e: Element| {
            on_drop(&|n| {
                n.dropped.insert(format!("<{}>", e.tag));
            });
            Some("".into())
        })
        .add_handler(vec!["div", "p"], |h: &dyn Handlers, e: Element| {
            // Substack's and Ghost's subscribe buttons and sign-up boxes.
            let class = attr(e.attrs, "class");
            let widget = [
                "subscription-widget",
                "button-wrapper",
                "subscribe-widget",
                "kg-signup-card",
            ];
            match widget.iter().any(|w| class.contains(w)) {
                true => Some("".into()),
                false => h.fallback(e),
            }
        })
        .build()
}

/// Adds `src` to `images` unless it is there or empty.
fn remember(images: &mut Vec<String>, src: &str) {
    if !src.is_empty() && !images.iter().any(|i| i == src) {
        images.push(src.to_string());
    }
}

/// `![alt](src)`, and the address as written.
fn image(src: &str, alt: &str) -> (String, String) {
    let alt = alt.replace(['[', ']'], "").replace('\n', " ");
    let target = match src.contains([' ', '(', ')', '<', '>']) {
        true => format!("<{}>", src.replace(['<', '>'], "")),
        false => src.to_string(),
    };
    (format!("![{}]({target})", alt.trim()), src.to_string())
}

/// A YouTube or Vimeo player's address as the embed Gazette writes for it (Hugo's
/// `youtube` and `vimeo` shortcodes, converted when the site is built).
pub fn video_embed(src: &str) -> Option<String> {
    let url = url::Url::parse(src.trim()).ok()?;
    let host = url.host_str()?.trim_start_matches("www.");
    let mut path = url.path_segments()?.filter(|s| !s.is_empty());
    let (site, id) = match (host, path.next()) {
        ("youtube.com" | "youtube-nocookie.com", Some("embed")) => {
            ("youtube", path.next()?.to_string())
        }
        ("youtube.com", Some("watch")) => (
            "youtube",
            url.query_pairs().find(|(k, _)| k == "v")?.1.into_owned(),
        ),
        ("youtu.be", Some(id)) => ("youtube", id.to_string()),
        ("player.vimeo.com", Some("video")) => ("vimeo", path.next()?.to_string()),
        ("vimeo.com", Some(id)) => ("vimeo", id.to_string()),
        _ => return None,
    };
    is_id(&id).then(|| format!("{{{{< {site} {id} >}}}}"))
}

/// A video id: letters, digits, `-` and `_`.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The text under `node`, found without recursing (at most 2,000 characters: a video's
/// address is shorter).
fn node_text(node: &Rc<Node>) -> String {
    let mut text = String::new();
    let mut stack = vec![Rc::clone(node)];
    while let Some(n) = stack.pop() {
        if let NodeData::Text { contents } = &n.data {
            text.push_str(&contents.borrow());
            if text.len() > 2000 {
                break;
            }
        }
        stack.extend(n.children.borrow().iter().rev().cloned());
    }
    text
}

/// An attribute's value, or "".
fn attr(attrs: &[html5ever::Attribute], name: &str) -> String {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
        .unwrap_or_default()
}

/// An element node's attribute, or "".
fn node_attr(node: &Rc<Node>, name: &str) -> String {
    match &node.data {
        NodeData::Element { attrs, .. } => attr(&attrs.borrow(), name),
        _ => String::new(),
    }
}

/// The first element named `tag` under `node`, depth first (at most 64 levels down).
fn find(node: &Rc<Node>, tag: &str) -> Option<Rc<Node>> {
    fn walk(node: &Rc<Node>, tag: &str, depth: usize) -> Option<Rc<Node>> {
        for child in node.children.borrow().iter() {
            if let NodeData::Element { name, .. } = &child.data {
                if &*name.local == tag {
                    return Some(Rc::clone(child));
                }
            }
            if depth < 64 {
                if let Some(found) = walk(child, tag, depth + 1) {
                    return Some(found);
                }
            }
        }
        None
    }
    walk(node, tag, 0)
}

/// The element as HTML on lines of its own, with no blank line inside (a blank line would
/// end Markdown's HTML block).
fn block_html(node: &Rc<Node>) -> String {
    let mut bytes = Vec::new();
    let handle = SerializableHandle::from(Rc::clone(node));
    let options = html5ever::serialize::SerializeOpts {
        traversal_scope: html5ever::serialize::TraversalScope::IncludeNode,
        ..Default::default()
    };
    if html5ever::serialize::serialize(&mut bytes, &handle, options).is_err() {
        return String::new();
    }
    let html = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = html.lines().filter(|l| !l.trim().is_empty()).collect();
    format!("\n\n{}\n\n", lines.join("\n"))
}

/// No more than one blank line in a row, no trailing spaces but a line break's two, no
/// blank lines at either end.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = match line.ends_with("  ") && !line.trim().is_empty() {
            true => line,
            false => line.trim_end(),
        };
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_quotes_links_code_and_captioned_images_become_markdown() {
        let c = to_markdown(
            "<h2>Floods</h2><p>Rivers <strong>rose</strong>, <a href=\"https://news.example/a\">said</a> the <em>agency</em>.</p>\
             <ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol><blockquote><p>Quoted</p></blockquote>\
             <pre><code class=\"language-rust\">fn main() {}\n</code></pre>\
             <figure><a href=\"https://cdn.example/big.jpg\"><img src=\"https://cdn.example/a.jpg\" alt=\"A flooded road\"></a><figcaption>Photo: <em>Agency</em></figcaption></figure>\
             <p><img src=\"https://cdn.example/b.png\" alt=\"\"></p>",
        );
        assert_eq!(
            c.markdown,
            "## Floods\n\nRivers **rose**, [said](https://news.example/a) the *agency*.\n\n- One\n- Two\n\n1. First\n\n> Quoted\n\n```rust\nfn main() {}\n```\n\n![A flooded road](https://cdn.example/a.jpg)  \n_Photo: *Agency*_\n\n![](https://cdn.example/b.png)\n"
        );
        assert_eq!(
            c.images,
            ["https://cdn.example/a.jpg", "https://cdn.example/b.png"]
        );
        assert!(c.kept.is_empty() && c.dropped.is_empty());
    }

    #[test]
    fn video_frames_become_embeds_and_the_rest_is_kept_or_dropped_with_a_note() {
        let c = to_markdown(
            "<div class=\"youtube-wrap\"><iframe src=\"https://www.youtube-nocookie.com/embed/abc_D-1?rel=0\"></iframe></div>\
             <iframe src=\"https://player.vimeo.com/video/7654\"></iframe>\
             <iframe src=\"https://maps.example/embed?x=1\"></iframe>\
             <video src=\"clip.mp4\" controls>\n\n<p>old browser</p></video>\
             <script>alert(1)</script><div class=\"subscription-widget-wrap\"><form><input type=\"email\"></form></div>",
        );
        assert_eq!(
            c.markdown,
            "{{< youtube abc_D-1 >}}\n\n{{< vimeo 7654 >}}\n\n<iframe src=\"https://maps.example/embed?x=1\"></iframe>\n\n<video src=\"clip.mp4\" controls=\"\">\n<p>old browser</p></video>\n"
        );
        assert_eq!(
            c.kept.into_iter().collect::<Vec<_>>(),
            ["<iframe> from maps.example", "<video>"]
        );
        assert_eq!(c.dropped.into_iter().collect::<Vec<_>>(), ["<script>"]);
    }

    #[test]
    fn markup_nested_past_the_limit_keeps_its_text() {
        let html = format!(
            "{}deep &amp; <b>down</b>{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let c = to_markdown(&html);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(c.markdown, "deep \\& down\n");
        assert_eq!(
            nesting("<ul><li><p>a<li>b</ul><br><img src=x><div><span>c</span></div>"),
            2
        );
        assert_eq!(
            c.dropped.into_iter().collect::<Vec<_>>(),
            ["the markup (elements nested more than 1024 deep: only its text is kept)"]
        );
    }

    #[test]
    fn video_addresses_are_read_only_when_they_are_players() {
        assert_eq!(
            video_embed("https://youtu.be/xyz").as_deref(),
            Some("{{< youtube xyz >}}")
        );
        assert_eq!(
            video_embed("https://www.youtube.com/watch?v=xyz&t=3").as_deref(),
            Some("{{< youtube xyz >}}")
        );
        assert_eq!(video_embed("https://www.youtube.com/embed/a%22b"), None);
        assert_eq!(video_embed("https://example.org/embed/x"), None);
    }
}
