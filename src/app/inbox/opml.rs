//! The subscriptions file, `inbox.opml`: OPML 2.0, the format every feed reader imports
//! and exports. Reading takes every `<outline>` with an `xmlUrl` at any depth (folders are
//! flattened); writing keeps the order it was given.

use anyhow::{bail, Result};
use quick_xml::events::{BytesStart, Event};

/// One feed the inbox follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The feed's own address.
    pub xml_url: String,
    /// The name its items' outlet gets (the outline's `title`, else its `text`).
    pub title: String,
    /// The site the feed belongs to, if the file says.
    pub html_url: Option<String>,
}

/// The file's name at the site's root.
pub const FILE: &str = "inbox.opml";

/// What `init` writes: no subscription yet, and how to add one.
pub fn empty(site_title: &str) -> String {
    write(site_title, &[])
}

/// The subscriptions in `text` (an OPML file); `name` is the file's name for errors.
pub fn read(text: &str, name: &str) -> Result<Vec<Subscription>> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut found = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = reader.error_position() as usize;
                bail!(
                    "{name}:{}: this is not well-formed OPML ({e}); fix the file, or import it again with `gazette inbox import`",
                    line_at(text, at)
                )
            }
        };
        match event {
            Event::Start(tag) | Event::Empty(tag) => {
                let tag_name = tag.local_name();
                let tag_name = AsRef::<str>::as_ref(&tag_name).to_ascii_lowercase();
                saw_opml |= tag_name == "opml";
                if tag_name == "outline" {
                    found.extend(outline(&tag));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        bail!("{name}:1: this is not an OPML file (no <opml> element); an OPML file starts with <opml version=\"2.0\">");
    }
    Ok(dedup(found))
}

/// The line (from 1) of byte `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The subscription an `<outline>` names, if it names a feed.
fn outline(tag: &BytesStart) -> Option<Subscription> {
    let mut xml_url = None;
    let mut title = None;
    let mut text = None;
    let mut html_url = None;
    for attr in tag.attributes().flatten() {
        let local = attr.key.local_name();
        let key = AsRef::<str>::as_ref(&local).to_ascii_lowercase();
        let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
            continue;
        };
        let value = crate::app::add::text::plain(&value);
        match key.as_str() {
            "xmlurl" => xml_url = Some(value),
            "title" => title = Some(value),
            "text" => text = Some(value),
            "htmlurl" => html_url = Some(value),
            _ => {}
        }
    }
    let xml_url = xml_url.filter(|u| crate::util::url::is_web(u))?;
    let title = [title, text]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| crate::model::host_of(&xml_url));
    Some(Subscription {
        xml_url,
        title,
        html_url: html_url.filter(|u| crate::util::url::is_web(u)),
    })
}

/// `subscriptions` without a second entry for a feed already listed.
pub fn dedup(subscriptions: Vec<Subscription>) -> Vec<Subscription> {
    let mut seen = std::collections::HashSet::new();
    subscriptions
        .into_iter()
        .filter(|s| seen.insert(s.xml_url.clone()))
        .collect()
}

/// The OPML file for `subscriptions`, in their order.
pub fn write(site_title: &str, subscriptions: &[Subscription]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<!-- The feeds Gazette's inbox follows (OPML 2.0: every feed reader imports and exports it).\n     Add one with `gazette inbox subscribe URL` or `gazette inbox import FILE`, or edit this file;\n     `gazette inbox fetch` reads them all. -->\n");
    out.push_str("<opml version=\"2.0\">\n  <head>\n");
    out.push_str(&format!(
        "    <title>{}</title>\n  </head>\n  <body>\n",
        xml_escape(&format!("{site_title}: subscriptions"))
    ));
    for s in subscriptions {
        out.push_str(&outline_line(s));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// `text` (an OPML file) with outlines for `subscriptions` before its last `</body>`;
/// `None` without one.
pub fn with_added(text: &str, subscriptions: &[Subscription]) -> Option<String> {
    let at = text.to_ascii_lowercase().rfind("</body>")?;
    let mut out = String::with_capacity(text.len() + 200 * subscriptions.len());
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for s in subscriptions {
        out.push_str(&outline_line(s));
    }
    out.push_str("  ");
    out.push_str(text[at..].trim_start());
    Some(out)
}

/// `text` (an OPML file) with the feed address `from` replaced by `to` wherever an
/// attribute holds it as Gazette writes it.
pub fn with_moved(text: &str, from: &str, to: &str) -> String {
    let (from, to) = (xml_escape(from), xml_escape(to));
    text.replace(&format!("\"{from}\""), &format!("\"{to}\""))
        .replace(&format!("'{from}'"), &format!("'{to}'"))
}

/// One subscription's `<outline>` line.
fn outline_line(s: &Subscription) -> String {
    let title = xml_escape(&s.title);
    let mut line = format!(
        "    <outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"",
        xml_escape(&s.xml_url)
    );
    if let Some(html) = &s.html_url {
        line.push_str(&format!(" htmlUrl=\"{}\"", xml_escape(html)));
    }
    line.push_str("/>\n");
    line
}

/// `text` for an XML attribute or element.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_survive_a_write_and_a_read() {
        let subs = vec![
            Subscription {
                xml_url: "https://news.example/feed?a=1&b=2".into(),
                title: "Tom & Jerry \"News\"".into(),
                html_url: Some("https://news.example/".into()),
            },
            Subscription {
                xml_url: "https://연합.example/rss".into(),
                title: "연합뉴스".into(),
                html_url: None,
            },
        ];
        let text = write("Brief", &subs);
        assert_eq!(read(&text, FILE).unwrap(), subs);
        assert!(read(&empty("Brief"), FILE).unwrap().is_empty());
    }

    #[test]
    fn folders_are_flattened_and_outlines_without_a_feed_are_skipped() {
        let text = r#"<?xml version="1.0"?><opml version="1.0"><body>
<outline text="World"><outline text="Wire" xmlUrl="https://wire.example/rss"/>
<outline text="Deep"><outline title="Deeper" xmlUrl="https://deep.example/atom"/></outline></outline>
<outline text="Empty folder"/><outline text="Bad" xmlUrl="javascript:alert(1)"/>
<outline text="Again" xmlUrl="https://wire.example/rss"/></body></opml>"#;
        let subs = read(text, FILE).unwrap();
        let urls: Vec<&str> = subs.iter().map(|s| s.xml_url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://wire.example/rss", "https://deep.example/atom"]
        );
        assert_eq!(subs[1].title, "Deeper");
    }

    #[test]
    fn adding_and_moving_leave_the_curators_file_as_it_is() {
        let text = "<?xml version=\"1.0\"?>\n<!-- mine -->\n<opml version=\"2.0\"><body>\n<outline text=\"World\"><outline text=\"Wire\" xmlUrl=\"https://wire.example/rss?a=1&amp;b=2\" category=\"x\"/></outline>\n</body></opml>\n";
        let new = Subscription {
            xml_url: "https://new.example/feed".into(),
            title: "New".into(),
            html_url: None,
        };
        let added = with_added(text, &[new]).unwrap();
        assert!(added.starts_with("<?xml version=\"1.0\"?>\n<!-- mine -->\n<opml version=\"2.0\"><body>\n<outline text=\"World\"><outline text=\"Wire\" xmlUrl=\"https://wire.example/rss?a=1&amp;b=2\" category=\"x\"/></outline>\n    <outline type=\"rss\" text=\"New\""), "{added}");
        assert_eq!(read(&added, FILE).unwrap().len(), 2);
        let moved = with_moved(
            &added,
            "https://wire.example/rss?a=1&b=2",
            "https://wire.example/v2",
        );
        assert!(
            moved.contains(
                "<outline text=\"Wire\" xmlUrl=\"https://wire.example/v2\" category=\"x\"/>"
            ),
            "{moved}"
        );
        assert_eq!(with_added("<opml></opml>", &[]), None);
    }

    #[test]
    fn broken_opml_is_an_error_at_its_line() {
        let error = read("<opml>\n<body>\n<outline></body></opml>", FILE).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("inbox.opml:3: this is not well-formed OPML"),
            "{error}"
        );
        let error = read("<rss></rss>", FILE).unwrap_err();
        assert_eq!(error.to_string(), "inbox.opml:1: this is not an OPML file (no <opml> element); an OPML file starts with <opml version=\"2.0\">");
    }
}
