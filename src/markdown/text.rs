//! Markdown as plain text for email: paragraphs kept apart, and each link's address
//! written after its words (`the protests story <https://…>`), so no link is lost.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// `markdown` as plain text with link addresses. `link` maps a destination to the address
/// to write (`None` keeps it as written); a link whose words are its address is written once.
pub fn with_addresses(markdown: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    // The open links: each one's address and where its words start in `out`.
    let mut open: Vec<(String, usize)> = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let address = link(&dest_url).unwrap_or_else(|| dest_url.to_string());
                open.push((address, out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((address, start)) = open.pop() {
                    let words = out[start..].trim();
                    if words != address && !address.is_empty() && !address.starts_with('#') {
                        out.push_str(&format!(" <{address}>"));
                    }
                }
            }
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => out.push_str("\n\n"),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => out.push_str("\n\n"),
            _ => {}
        }
    }
    let paragraphs: Vec<&str> = out
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_each_link_address_after_its_words() {
        let text = with_addresses(
            "Follow [the protests story](/stories/protests/).\n\nSee <https://example.org/x>.",
            &|dest| {
                dest.strip_prefix('/')
                    .map(|rest| format!("https://news.example.org/{rest}"))
            },
        );
        assert_eq!(
            text,
            "Follow the protests story <https://news.example.org/stories/protests/>.\n\nSee https://example.org/x."
        );
    }
}
