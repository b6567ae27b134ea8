//! Markdown to HTML: pulldown-cmark with heading ids, rewritten links, published photos
//! (`pictures`), imported references resolved (`refs`) and syntect highlighting into CSS
//! classes (`highlight`, the syntax set loaded once per process); `scan` reads words, leads
//! and links without rendering.

pub mod imported;
mod quotes;
pub mod text;

pub use quotes::smart_text;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;
use syntect::highlighting::{Color, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

mod highlight;
mod pictures;
mod refs;
mod scan;
pub use highlight::*;
pub use pictures::*;
use refs::*;
pub use scan::*;

/// What rendering one Markdown text gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The text without markup, for descriptions and word counts.
    pub text: String,
    pub words: usize,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How deeply Markdown elements may nest (quotes in lists in quotes…); deeper ones are
/// flattened into their text.
pub const MAX_NESTING: usize = 100;

/// What to do with raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Keep it as written (article bodies, by default: curators embed things).
    Keep,
    /// Keep the safe part: a sanitiser drops scripts, styles, event handlers and frames
    /// (`unsafe_html = false` in site.toml).
    Clean,
    /// Show it as text (front matter summaries).
    Escape,
}

impl RawHtml {
    /// What a site's `unsafe_html` setting asks for in article bodies.
    pub fn for_bodies(unsafe_html: bool) -> RawHtml {
        if unsafe_html {
            RawHtml::Keep
        } else {
            RawHtml::Clean
        }
    }
}

/// Renders `markdown`. `link` maps each link and image destination to what the page should
/// use (`None` keeps it as written); `javascript:` and other script URLs become `#`.
pub fn render(
    markdown: &str,
    raw_html: RawHtml,
    link: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    render_inner(markdown, raw_html, true, None, &Targets::links(link))
}

/// Like [`render`] for an article body: only the HTML (no plain text or word count).
pub fn render_html(
    markdown: &str,
    raw_html: RawHtml,
    link: &dyn Fn(&str) -> Option<String>,
) -> String {
    render_inner(markdown, raw_html, false, None, &Targets::links(link)).html
}

/// Like [`render_html`], with `pictures` giving the published versions of images
/// (by destination as written, and the image's place among the body's images).
pub fn render_html_with_pictures(
    markdown: &str,
    raw_html: RawHtml,
    link: &dyn Fn(&str) -> Option<String>,
    pictures: Pictures,
) -> String {
    let targets = Targets { link, pictures };
    render_inner(markdown, raw_html, false, None, &targets).html
}

/// Where the published versions of a Markdown image come from: its destination as
/// written and its place among the document's images (0 for the first).
pub type Pictures<'f> = &'f dyn Fn(&str, usize) -> Option<Picture>;

/// How one pass maps link targets and images.
struct Targets<'f> {
    link: &'f dyn Fn(&str) -> Option<String>,
    pictures: Pictures<'f>,
}

impl<'f> Targets<'f> {
    fn links(link: &'f dyn Fn(&str) -> Option<String>) -> Targets<'f> {
        Targets {
            link,
            pictures: &|_, _| None,
        }
    }
}

/// Like [`render_html`], and the body's text for the search index: the same text as
/// [`search_text`] gives, made in the same pass.
pub fn render_html_and_text(
    markdown: &str,
    raw_html: RawHtml,
    link: &dyn Fn(&str) -> Option<String>,
) -> (String, String) {
    render_html_and_text_with_pictures(markdown, raw_html, link, &|_, _| None)
}

/// Like [`render_html_and_text`], with the published versions of images (see
/// [`render_html_with_pictures`]).
pub fn render_html_and_text_with_pictures(
    markdown: &str,
    raw_html: RawHtml,
    link: &dyn Fn(&str) -> Option<String>,
    pictures: Pictures,
) -> (String, String) {
    let mut text = String::with_capacity(markdown.len());
    let targets = Targets { link, pictures };
    let html = render_inner(markdown, raw_html, false, Some(&mut text), &targets).html;
    (html, text)
}

/// Whether a URL would run script when followed or loaded (`javascript:`, `vbscript:`,
/// `data:` other than images), read as browsers do: ignoring case, spaces and controls.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || (scheme.starts_with("data:") && !scheme.starts_with("data:image/"))
}

/// What an image start holds: its kind of link, address, title and id.
type ImageParts<'a> = (pulldown_cmark::LinkType, CowStr<'a>, CowStr<'a>, CowStr<'a>);

/// Where a link or image leads: its address in the site where `targets` maps it, else as
/// written; a script address (`javascript:`) leads nowhere (`#`).
fn site_target<'a>(targets: &Targets, dest_url: CowStr<'a>) -> CowStr<'a> {
    let dest_url = (targets.link)(&dest_url)
        .map(CowStr::from)
        .unwrap_or(dest_url);
    if is_script_url(&dest_url) {
        CowStr::from("#")
    } else {
        dest_url
    }
}

/// Cleans HTML with ammonia, keeping the classes and ids Gazette's own HTML uses.
pub fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .add_generic_attributes(["class", "id"])
                .add_tag_attributes("pre", ["tabindex", "data-lang"])
                .add_tags(["figure", "figcaption", "mark", "details", "summary"])
                .add_tags(["picture", "source"])
                .add_tag_attributes("source", ["type", "srcset", "sizes"])
                .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
                .link_rel(Some("noopener"));
            builder
        })
        .clean(html)
        .to_string()
}

fn render_inner(
    markdown: &str,
    raw_html: RawHtml,
    want_text: bool,
    mut search: Option<&mut String>,
    link: &Targets,
) -> Rendered {
    let mut pass = Pass::default();
    for event in Parser::new_ext(markdown, options()) {
        if let Some(search) = search.as_deref_mut() {
            push_search_text(search, &event);
        }
        pass.take(event, raw_html, link);
    }
    let mut rendered = pass.finish(markdown.len(), raw_html, want_text);
    if markdown.contains(imported::REF_SCHEME) {
        rendered.html = with_refs_resolved(&rendered.html, link.link);
        rendered.text = with_refs_resolved(&rendered.text, link.link);
    }
    rendered
}

/// One pass over a document's events: what is kept for the HTML, and the state between
/// events (the heading or code block being read, the ids given, the open elements).
#[derive(Default)]
struct Pass<'a> {
    text: String,
    events: Vec<Event<'a>>,
    ids: HashSet<String>,
    /// The heading being read: the index of its Start event, and its text.
    heading: Option<(usize, String)>,
    /// The code block being read: its language and code.
    code: Option<(String, String)>,
    /// For each open element, whether it was left out for being nested too deeply.
    open: Vec<bool>,
    quotes: quotes::Quotes,
    /// The published image being read: its versions, title, alt text so far, and how many
    /// images are open inside its alt text.
    picture: Option<(Picture, String, String, usize)>,
    /// How many images were seen.
    images: usize,
}

impl<'a> Pass<'a> {
    fn take(&mut self, event: Event<'a>, raw_html: RawHtml, link: &Targets) {
        if let Some((_, buffer)) = self.code.as_mut() {
            match event {
                Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    self.open.pop();
                    let (lang, source) = self.code.take().unwrap_or_default();
                    self.events
                        .push(Event::Html(highlight(&source, &lang).into()));
                }
                _ => {}
            }
            return;
        }
        // Past MAX_NESTING levels, elements are left out and only their text is kept, so
        // pathological nesting (`>>>>…`) costs linear time here and in the sanitiser.
        match &event {
            Event::Start(_) => {
                let deep = self.open.len() >= MAX_NESTING;
                self.open.push(deep);
                if deep {
                    return;
                }
            }
            Event::End(_) if self.open.pop().unwrap_or(false) => return,
            _ => {}
        }
        if self.picture.is_some() {
            self.take_alt(event);
            return;
        }
        let event = self
            .quotes
            .take(event, self.text.chars().next_back(), self.events.len());
        let Some(event) = self.rewrite(event, raw_html, link) else {
            return;
        };
        if let Event::Text(t) | Event::Code(t) = &event {
            if let Some((_, title)) = self.heading.as_mut() {
                title.push_str(t);
            }
            self.text.push_str(t);
        }
        if matches!(
            event,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
        ) {
            self.text.push(' ');
        }
        self.events.push(event);
        if let Some(at) = self.quotes.reopened() {
            self.events[at] = Event::Text(CowStr::from("‘"));
        }
    }

    /// An event inside a published image: its alt text, until the image ends.
    fn take_alt(&mut self, event: Event<'a>) {
        let Some((picture, title, alt, open)) = self.picture.as_mut() else {
            return;
        };
        match event {
            Event::Text(t) | Event::Code(t) => {
                alt.push_str(&t);
                self.text.push_str(&t);
            }
            Event::Start(Tag::Image { .. }) => *open += 1,
            Event::End(TagEnd::Image) if *open > 0 => *open -= 1,
            Event::End(TagEnd::Image) => {
                let html = picture_html(picture, alt, title);
                self.picture = None;
                self.events.push(Event::Html(html.into()));
            }
            _ => {}
        }
    }

    /// The event as the page gets it: code blocks start being collected (`None`),
    /// headings get ids, link and image targets are mapped, raw HTML escaped if asked.
    fn rewrite(
        &mut self,
        event: Event<'a>,
        raw_html: RawHtml,
        targets: &Targets,
    ) -> Option<Event<'a>> {
        let target = |dest_url: CowStr<'a>| site_target(targets, dest_url);
        Some(match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return None;
            }
            Event::Start(tag @ Tag::Heading { .. }) => {
                self.heading = Some((self.events.len(), String::new()));
                Event::Start(tag)
            }
            Event::End(TagEnd::Heading(level)) => {
                self.give_heading_id();
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: target(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => return self.image((link_type, dest_url, title, id), targets),
            Event::Html(h) | Event::InlineHtml(h) if raw_html == RawHtml::Escape => Event::Text(h),
            other => other,
        })
    }

    /// An image: a published photo starts being collected as a `<picture>` (`None`); any
    /// other image gets its target mapped.
    fn image(&mut self, image: ImageParts<'a>, targets: &Targets) -> Option<Event<'a>> {
        let (link_type, dest_url, title, id) = image;
        self.images += 1;
        if let Some(picture) = (targets.pictures)(&dest_url, self.images - 1) {
            self.picture = Some((picture, title.to_string(), String::new(), 0));
            return None;
        }
        Some(Event::Start(Tag::Image {
            link_type,
            dest_url: site_target(targets, dest_url),
            title,
            id,
        }))
    }

    /// Gives the heading just read its id: the one written (`{#id}`) or a slug of its
    /// text, made unique in the document.
    fn give_heading_id(&mut self) {
        let Some((start, title)) = self.heading.take() else {
            return;
        };
        if let Event::Start(Tag::Heading { id, .. }) = &mut self.events[start] {
            let wanted = match id {
                Some(given) => given.to_string(),
                // (An imported reference in a heading is its name here, never the
                // placeholder: the address replaces it in the text later.)
                None => crate::util::slug::slugify(&title.replace(imported::REF_SCHEME, "")),
            };
            let wanted = if wanted.is_empty() {
                "section".to_string()
            } else {
                wanted
            };
            let mut unique = wanted.clone();
            let mut n = 1;
            while !self.ids.insert(unique.clone()) {
                unique = format!("{wanted}-{n}");
                n += 1;
            }
            *id = Some(CowStr::from(unique));
        }
    }

    /// The HTML (cleaned if asked), and with `want_text` the plain text and word count.
    fn finish(self, size: usize, raw_html: RawHtml, want_text: bool) -> Rendered {
        let mut out = String::with_capacity(size * 3 / 2);
        html::push_html(&mut out, self.events.into_iter());
        if raw_html == RawHtml::Clean {
            out = sanitise(&out);
        }
        if !want_text {
            return Rendered {
                html: out,
                ..Default::default()
            };
        }
        let words = self.text.split_whitespace().count();
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        Rendered {
            html: out,
            text,
            words,
        }
    }
}

/// JSON text with every `<` written as `\u003c`: the same JSON, safe inside a `<script>`
/// (no `</script>` or `<!--`), and with no markup a careless reader could insert.
pub fn html_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut start = 0;
    // Copy runs of ordinary bytes at once; the special characters are all ASCII.
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_blocks_are_the_same_and_kept_apart_by_language() {
        let code = "let x = \"<b>\"; // note\n";
        let first = highlight(code, "rust");
        assert_eq!(highlight(code, "rust"), first);
        assert_eq!(first, highlight_block(code, "rust"));
        assert!(first.contains("data-lang=\"rust\"") && first.contains("&lt;b&gt;"));
        let other = highlight(code, "js");
        assert!(other.contains("data-lang=\"js\""), "{other}");
        assert_eq!(other, highlight_block(code, "js"));
    }

    fn plain(md: &str) -> String {
        render(md, RawHtml::Keep, &|_| None).html
    }

    #[test]
    fn headings_get_unique_ids() {
        insta::assert_snapshot!(plain(
            "# Why it matters\n\n## Why it matters\n\n## Custom {#mine}\n"
        ));
    }

    #[test]
    fn extensions_are_on() {
        insta::assert_snapshot!(plain(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: The note.\n"
        ));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let html = plain("```rust\nfn main() {}\n```\n");
        // One class per colour scheme on each run of text in one style; none on plain text.
        let css = highlight_css();
        let classes: Vec<&str> = html
            .split("<span class=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(classes.len() >= 2, "{html}");
        for pair in &classes {
            let (light, dark) = pair.split_once(' ').unwrap();
            assert!(
                light.starts_with("hl-") && dark.starts_with("hd-"),
                "{pair}"
            );
            for class in [light, dark] {
                assert!(
                    class.ends_with("-0") || css.contains(&format!(".{class}{{color:#")),
                    "{class} has no rule"
                );
            }
        }
        assert!(
            html.starts_with(
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code><span class=\"hl-"
            ),
            "{html}"
        );
        assert!(html.contains("main"));
        assert!(!html.contains("style="));
        // The text is all there, in order.
        let text: String = html
            .split('<')
            .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
            .collect();
        assert_eq!(
            text, "fn main() {}\n\n",
            "the code, its newline, and the one after </pre>"
        );
        assert_eq!(
            plain("```nosuchlang\n<b>\n```\n"),
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"nosuchlang\"><code>&lt;b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn links_are_rewritten() {
        let html = render("[a](/2018/) ![i](x.png)", RawHtml::Keep, &|d| {
            Some(format!("/base{d}"))
        })
        .html;
        assert_eq!(
            html,
            "<p><a href=\"/base/2018/\">a</a> <img src=\"/basex.png\" alt=\"i\" /></p>\n"
        );
    }

    #[test]
    fn summary_comes_from_more_marker_or_first_paragraph() {
        assert_eq!(summary_source("One.\n\nTwo.\n"), Some("One."));
        assert_eq!(
            summary_source("Lead one.\n\nLead two.\n<!-- more -->\nRest"),
            Some("Lead one.\n\nLead two.")
        );
        assert_eq!(summary_source("# Only a heading\n"), None);
        // Long texts: the same answer from the short prefix as from the whole text.
        let long = format!(
            "# Head\n\nFirst *lead*.\n\n{}",
            "More words here.\n\n".repeat(400)
        );
        assert_eq!(summary_source(&long), Some("First *lead*."));
        let fenced = format!("```\n{}\n```\n\nAfter code.\n", "code\n\n".repeat(600));
        assert_eq!(summary_source(&fenced), Some("After code."));
    }

    #[test]
    fn deep_nesting_is_flattened_into_text() {
        let html = plain(&format!("{} deep", ">".repeat(5_000)));
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert_eq!(html.matches("</blockquote>").count(), MAX_NESTING);
        assert!(html.contains("deep"));
    }

    #[test]
    fn script_urls_are_neutralised() {
        let html = plain("[a](javascript:alert(1)) [b](java&#x09;script:x) ![c](VBScript:x) [d](data:text/html,x) ![e](data:image/png;base64,AA) [f](https://ok/)");
        assert_eq!(html.matches("href=\"#\"").count(), 3, "{html}");
        assert!(html.contains("src=\"#\""), "{html}");
        assert!(html.contains("src=\"data:image/png;base64,AA\""));
        assert!(html.contains("href=\"https://ok/\""));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(escape("a<b>&\"c'é"), "a&lt;b&gt;&amp;&quot;c&#39;é");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn finds_needles_and_links() {
        assert_eq!(find("ab<!-- x <!-- more -->", "<!-- more -->"), Some(9));
        assert_eq!(find("é\n\nx", "\n\n"), Some(2));
        assert_eq!(find("abc", "zz"), None);
        assert!(may_link_inside("see [a](other.md)"));
        assert!(may_link_inside("[a]: /2018/"));
        assert!(!may_link_inside(
            "see [a](https://x.org/) and [b]( http://y/ ) [c](#top) ]"
        ));
    }

    #[test]
    fn counts_words_of_source() {
        assert_eq!(count_words("Three *short* words.\n\n---\n\n- [x]"), 4);
    }

    #[test]
    fn counts_words() {
        assert_eq!(
            render("Three *short* words.", RawHtml::Keep, &|_| None).words,
            3
        );
    }
}
