//! Markdown to HTML: pulldown-cmark with heading ids, rewritten links and syntect
//! highlighting into CSS classes (the syntax set is loaded once per process).

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

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

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

/// An image published in several widths and formats, as `<picture>` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Picture {
    /// `<source>` elements, the preferred format first: media type and `srcset`.
    pub sources: Vec<PictureSource>,
    /// The `<img>`: its `src`, `srcset` and `sizes` (in the original's format).
    pub src: String,
    pub srcset: String,
    pub sizes: String,
    /// The size as shown (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// `loading="lazy"`: every image but the lead one.
    pub lazy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PictureSource {
    #[serde(rename = "type")]
    pub mime: String,
    pub srcset: String,
}

/// The `<picture>` element of a published image.
pub fn picture_html(p: &Picture, alt: &str, title: &str) -> String {
    if p.sources.is_empty() && p.srcset.is_empty() {
        // One file (an animated image, or a feed's copy): a plain `<img>`.
        return picture_img(p, alt, title);
    }
    let mut html = String::from("<picture>");
    for s in &p.sources {
        html.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}\" sizes=\"{}\">",
            escape(&s.mime),
            escape(&s.srcset),
            escape(&p.sizes)
        ));
    }
    html.push_str(&picture_img(p, alt, title));
    html.push_str("</picture>");
    html
}

fn picture_img(p: &Picture, alt: &str, title: &str) -> String {
    let mut html = format!("<img src=\"{}\"", escape(&p.src));
    if !p.srcset.is_empty() {
        html.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            escape(&p.srcset),
            escape(&p.sizes)
        ));
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"{}\"",
        p.width,
        p.height,
        escape(alt)
    ));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    if p.lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\">");
    html
}

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

/// `out` (HTML or text) with each imported reference left in it (`gazette-ref:name` in
/// text, code, raw HTML or a link that did not form, bracketed as an autolink or not,
/// escaped or percent-encoded) replaced by the address it resolves to, or by its name where
/// it resolves to none (the link check reports those): no placeholder reaches a page.
fn with_refs_resolved(out: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let mut resolved = String::with_capacity(out.len());
    let mut rest = out;
    while let Some(at) = rest.find(imported::REF_SCHEME) {
        let tail = &rest[at + imported::REF_SCHEME.len()..];
        let (name_len, close) = ref_name_end(tail);
        let name = &tail[..name_len];
        let before = &rest[..at];
        let open = ["<", "&lt;", "%3C", "%3c"]
            .into_iter()
            .find(|o| close.is_some() && before.ends_with(o))
            .map_or(0, str::len);
        resolved.push_str(&before[..before.len() - open]);
        match link(&format!("{}{name}", imported::REF_SCHEME)) {
            Some(address) => resolved.push_str(&address),
            None => resolved.push_str(name),
        }
        let closed = if open > 0 {
            close.map_or(0, str::len)
        } else {
            0
        };
        rest = &tail[name_len + closed..];
    }
    resolved.push_str(rest);
    resolved
}

/// Where the name of a reference ends in `tail`, and the closing bracket that follows it
/// there, if any (`>`, `&gt;`, `%3E`).
fn ref_name_end(tail: &str) -> (usize, Option<&'static str>) {
    let mut end = 0;
    for (i, c) in tail.char_indices() {
        for close in [">", "&gt;", "%3E", "%3e"] {
            if tail[i..].starts_with(close) {
                return (i, Some(close));
            }
        }
        if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '&' | '(' | ')' | '[' | ']' | '`') {
            return (i, None);
        }
        end = i + c.len_utf8();
    }
    (end, None)
}

/// Adds what an event says to the search text of a document (see [`search_text`]).
fn push_search_text(search: &mut String, event: &Event) {
    match event {
        Event::Text(t) if t.starts_with(imported::REF_SCHEME) => {}
        Event::Text(t) | Event::Code(t) => {
            search.push_str(t);
            search.push(' ');
        }
        Event::SoftBreak | Event::HardBreak => search.push(' '),
        _ => {}
    }
}

/// The text of a Markdown document, without markup, as the search index reads it: the
/// same text that [`render_html_and_text`] gives beside the HTML.
pub fn search_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        push_search_text(&mut text, &event);
    }
    text
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
        let link = targets.link;
        let target = |dest_url: CowStr<'a>| {
            let dest_url = link(&dest_url).map(CowStr::from).unwrap_or(dest_url);
            if is_script_url(&dest_url) {
                CowStr::from("#")
            } else {
                dest_url
            }
        };
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
            }) => {
                self.images += 1;
                if let Some(picture) = (targets.pictures)(&dest_url, self.images - 1) {
                    self.picture = Some((picture, title.to_string(), String::new(), 0));
                    return None;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: target(dest_url),
                    title,
                    id,
                })
            }
            Event::Html(h) | Event::InlineHtml(h) if raw_html == RawHtml::Escape => Event::Text(h),
            other => other,
        })
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

/// The number of words in Markdown, for reading times: white-space separated pieces
/// with a letter or digit in them (so markup alone is not counted).
pub fn count_words(markdown: &str) -> usize {
    // A byte loop: fast on long archives. Bytes >= 0x80 belong to letters of other scripts.
    let (mut words, mut in_word, mut counted) = (0, false, false);
    for &b in markdown.as_bytes() {
        if b.is_ascii_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            in_word = true;
            counted = false;
        }
        if !counted && (b.is_ascii_alphanumeric() || b >= 0x80) {
            counted = true;
            words += 1;
        }
    }
    words
}

/// Whether Markdown has a link or image whose target is not plainly external.
pub fn may_link_inside(markdown: &str) -> bool {
    let external = |rest: &str| {
        let rest = rest.trim_start();
        ["http://", "https://", "mailto:", "#"]
            .iter()
            .any(|p| rest.starts_with(p))
    };
    // Every `](` (inline link) and `]:` (reference definition); a one-byte search
    // (memchr) for `]` is much faster than a substring search on long archives.
    let bytes = markdown.as_bytes();
    markdown.match_indices(']').any(|(i, _)| {
        matches!(bytes.get(i + 1), Some(b'(' | b':')) && !external(&markdown[i + 2..])
    })
}

/// The first position of `needle` in `text`: a one-byte search (memchr) for its first
/// byte, then a comparison, which beats a general substring search for short needles.
fn find(text: &str, needle: &str) -> Option<usize> {
    let first = needle.as_bytes().first().copied()? as char;
    let mut from = 0;
    while let Some(i) = text[from..].find(first) {
        let at = from + i;
        if text[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + first.len_utf8();
    }
    None
}

/// The Markdown an article's summary comes from when its front matter has none:
/// the text before `<!-- more -->`, else the first paragraph.
pub fn summary_source(markdown: &str) -> Option<&str> {
    if let Some(i) = find(markdown, "<!-- more -->") {
        let before = markdown[..i].trim();
        if !before.is_empty() {
            return Some(before);
        }
    }
    // pulldown-cmark reads the whole text before it yields anything, so look in a short
    // prefix first, cut at a blank line (a paragraph never spans one); a paragraph found
    // there is the same as in the whole text. Fall back to the whole text otherwise.
    let cut = markdown
        .get(256..)
        .and_then(|rest| find(rest, "\n\n"))
        .map(|i| 256 + i + 1);
    if let Some(cut) = cut {
        if let Some(paragraph) = first_paragraph(&markdown[..cut]).filter(|p| p.end < cut) {
            return Some(markdown[paragraph].trim());
        }
    }
    first_paragraph(markdown).map(|p| markdown[p].trim())
}

/// The byte range of the first paragraph of `markdown`.
fn first_paragraph(markdown: &str) -> Option<std::ops::Range<usize>> {
    let mut start = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if start.is_none() => start = Some(range.start),
            Event::End(TagEnd::Paragraph) => {
                if let Some(start) = start {
                    return Some(start..range.end);
                }
            }
            _ => {}
        }
    }
    None
}

/// A link or image written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// Byte offset in the Markdown where the link starts.
    pub offset: usize,
    pub image: bool,
}

/// Every link and image destination in `markdown`, in order.
pub fn links(markdown: &str) -> Vec<Link> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                offset: range.start,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                offset: range.start,
                image: true,
            }),
            _ => None,
        })
        .collect()
}

/// A code block as `<pre class="code" tabindex="0">` with highlighting classes (`hl-…`) when the
/// language is known, and plain escaped text otherwise.
pub fn highlight(code: &str, lang: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    /// Blocks of at most this many bytes are remembered, at most `MEMO_BLOCKS` of them:
    /// a few megabytes at most.
    const MEMO_BYTES: usize = 4096;
    const MEMO_BLOCKS: usize = 1024;
    type Memo = HashMap<u64, (Box<str>, Box<str>, Arc<str>)>; // (language, code, HTML)
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    // Digests quote the same command or snippet in many articles, and syntect takes tens of
    // microseconds a line: each block is highlighted once per process.
    if code.len() > MEMO_BYTES {
        return highlight_block(code, lang);
    }
    let memo = MEMO.get_or_init(Default::default);
    let key = crate::util::hash::fingerprint((lang, code));
    if let Ok(memo) = memo.lock() {
        if let Some((l, c, html)) = memo.get(&key) {
            if **l == *lang && **c == *code {
                return html.to_string();
            }
        }
    }
    let html = highlight_block(code, lang);
    if let Ok(mut memo) = memo.lock() {
        if memo.len() >= MEMO_BLOCKS {
            memo.clear();
        }
        memo.insert(key, (lang.into(), code.into(), html.as_str().into()));
    }
    html
}

/// [`highlight`] without the memo.
fn highlight_block(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let syntax = if lang.is_empty() {
        None
    } else {
        set.find_syntax_by_token(lang)
    };
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    let inner = syntax
        .and_then(|syntax| classed(code, syntax))
        .unwrap_or_else(|| escape(code));
    // tabindex: a keyboard can reach (and scroll) a block wider than the screen.
    format!("<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{inner}</code></pre>\n")
}

/// The two colour schemes of highlighted code. Each token gets one class per scheme
/// (`hl-N` light, `hd-N` dark), N being its colour and font style's place in that
/// scheme's [`Scheme::styles`]: a few bytes a token, where a class per scope took
/// hundreds, and the stylesheet stays a few hundred rules.
struct Palette {
    light: Scheme,
    dark: Scheme,
}

/// One syntect theme, made readable on the code background, and its distinct styles.
struct Scheme {
    theme: syntect::highlighting::Theme,
    /// Every colour and font style a token can get, sorted; the default one first.
    styles: Vec<(Color, u8)>,
}

impl Scheme {
    fn new(mut theme: syntect::highlighting::Theme, background: Color) -> Scheme {
        readable(&mut theme, background);
        let default = theme.settings.foreground.unwrap_or(Color::BLACK);
        let key = |c: Color| (c.r, c.g, c.b);
        let mut colours: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .filter(|c| key(*c) != key(default))
            .collect();
        colours.sort_by_key(|c| key(*c));
        colours.dedup_by_key(|c| key(*c));
        let mut styles = Vec::new();
        for colour in std::iter::once(default).chain(colours) {
            for font in 0..8u8 {
                styles.push((colour, font));
            }
        }
        Scheme { theme, styles }
    }

    /// The place of a style in `styles`; 0 (the default) for one it does not know.
    fn index(&self, style: syntect::highlighting::Style) -> usize {
        let font = style.font_style.bits() & 7;
        let c = style.foreground;
        self.styles
            .iter()
            .position(|(s, f)| (s.r, s.g, s.b) == (c.r, c.g, c.b) && *f == font)
            .unwrap_or(0)
    }

    /// The stylesheet rules for `prefix-N` classes.
    fn css(&self, prefix: &str) -> String {
        let mut css = String::new();
        for (i, (c, font)) in self.styles.iter().enumerate().skip(1) {
            let mut rule = format!(".{prefix}-{i}{{color:#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
            if font & 1 != 0 {
                rule.push_str(";font-weight:bold");
            }
            if font & 2 != 0 {
                rule.push_str(";text-decoration:underline");
            }
            if font & 4 != 0 {
                rule.push_str(";font-style:italic");
            }
            css.push_str(&rule);
            css.push_str("}\n");
        }
        css
    }
}

fn palette() -> &'static Palette {
    static PALETTE: OnceLock<Palette> = OnceLock::new();
    PALETTE.get_or_init(|| {
        let themes = ThemeSet::load_defaults();
        let theme = |name: &str| themes.themes.get(name).cloned().unwrap_or_default();
        // Colours readable on the default theme's code background (`--color-surface`).
        let rgb = |r, g, b| Color { r, g, b, a: 0xff };
        Palette {
            light: Scheme::new(theme("InspiredGitHub"), rgb(0xf1, 0xee, 0xe7)),
            dark: Scheme::new(theme("base16-ocean.dark"), rgb(0x23, 0x21, 0x1e)),
        }
    })
}

/// Highlighted HTML for `code`: runs of text with the same styles in both schemes share
/// one `<span class="hl-N hd-M">`; text in the default style has none. None when the
/// syntax definition fails on the text.
fn classed(code: &str, syntax: &syntect::parsing::SyntaxReference) -> Option<String> {
    use syntect::highlighting::Highlighter;
    use syntect::parsing::{ParseState, ScopeStack};
    let palette = palette();
    let (light, dark) = (
        Highlighter::new(&palette.light.theme),
        Highlighter::new(&palette.dark.theme),
    );
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut run = (0, 0, String::new());
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let mut at = 0;
        for (end, op) in ops
            .iter()
            .map(|(i, op)| (*i, Some(op)))
            .chain([(line.len(), None)])
        {
            if end > at {
                let classes = (
                    palette.light.index(light.style_for_stack(stack.as_slice())),
                    palette.dark.index(dark.style_for_stack(stack.as_slice())),
                );
                if classes != (run.0, run.1) {
                    flush_run(&mut out, &run);
                    run = (classes.0, classes.1, String::new());
                }
                run.2.push_str(&line[at..end]);
                at = end;
            }
            if let Some(op) = op {
                stack.apply(op).ok()?;
            }
        }
    }
    flush_run(&mut out, &run);
    Some(out)
}

fn flush_run(out: &mut String, (light, dark, text): &(usize, usize, String)) {
    if text.is_empty() {
        return;
    }
    if (*light, *dark) == (0, 0) {
        out.push_str(&escape(text));
    } else {
        out.push_str(&format!(
            "<span class=\"hl-{light} hd-{dark}\">{}</span>",
            escape(text)
        ));
    }
}

/// The stylesheet for highlighted code: a light theme, and a dark one for dark mode.
/// Made once per process (loading the themes takes a while).
pub fn highlight_css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let palette = palette();
        format!(
            "/* Written by gazette build: syntax highlighting for code blocks. */\n@media (prefers-color-scheme: light) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            palette.light.css("hl"),
            palette.dark.css("hd")
        )
    })
}

/// Darkens (on a light background) or lightens (on a dark one) every colour of a syntax
/// theme until it has a contrast ratio of at least 4.6:1 with `background`: WCAG AA for
/// text (4.5:1), which the stock themes' comment colours miss.
fn readable(theme: &mut syntect::highlighting::Theme, background: Color) {
    let luminance = |c: Color| {
        let channel = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    };
    let contrast = |a: Color, b: Color| {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    };
    theme.settings.background = Some(background);
    let toward = if luminance(background) > 0.5 {
        0u8
    } else {
        255u8
    };
    let fix = |colour: &mut Option<Color>| {
        if let Some(c) = colour.as_mut() {
            let mut step = 0;
            while contrast(*c, background) < 4.6 && step < 20 {
                let mix = |v: u8| (v as f64 + (toward as f64 - v as f64) * 0.1).round() as u8;
                *c = Color {
                    r: mix(c.r),
                    g: mix(c.g),
                    b: mix(c.b),
                    a: 0xff,
                };
                step += 1;
            }
        }
    };
    fix(&mut theme.settings.foreground);
    for item in &mut theme.scopes {
        // A token with a background of its own keeps its colours.
        if item.style.background.is_none() {
            fix(&mut item.style.foreground);
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
