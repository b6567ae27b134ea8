//! What is read from Markdown without rendering it: its words, its lead (the summary's
//! source), its links, and whether it may link inside the site.

use super::*;

/// Adds what an event says to the search text of a document (see [`search_text`]).
pub(super) fn push_search_text(search: &mut String, event: &Event) {
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
pub(super) fn find(text: &str, needle: &str) -> Option<usize> {
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
pub(super) fn first_paragraph(markdown: &str) -> Option<std::ops::Range<usize>> {
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
