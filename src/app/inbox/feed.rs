//! One feed's bytes as inbox items: RSS 0.9x/1.0/2.0, Atom and JSON Feed, read by
//! `feed-rs` after Gazette has decoded the bytes in their own encoding (a byte order mark,
//! the HTTP charset, the XML declaration, else UTF-8), so EUC-KR and Shift_JIS feeds read
//! as any other. Each entry is normalised as `add` normalises a page: its address without
//! tracking parameters, its headline and summary as plain text, its image and language.

use super::store::Item;
use chrono::{DateTime, Utc};

/// What one feed gave.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The feed's own title.
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// The most entries read from one feed (a feed of news has tens).
pub const MAX_ENTRIES: usize = 1000;

/// Reads the feed `bytes` fetched from `url`; its items' outlet is `outlet`, their date
/// `now` when the feed gives none. An error is one line saying what is wrong.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &str,
    outlet: &str,
    now: DateTime<Utc>,
) -> Result<Parsed, String> {
    let text = decode(bytes, content_type);
    let parser = feed_rs::parser::Builder::new().base_uri(Some(url)).build();
    let feed = parser.parse(text.as_bytes()).map_err(|e| {
        format!(
            "is not a feed Gazette can read ({})",
            one_line(&e.to_string())
        )
    })?;
    let language = feed.language.clone();
    let items = feed
        .entries
        .into_iter()
        .take(MAX_ENTRIES)
        .filter_map(|entry| item(entry, url, outlet, language.as_deref(), now))
        .collect();
    Ok(Parsed {
        title: feed
            .title
            .map(|t| plain_of(&t.content))
            .filter(|t| !t.is_empty()),
        items,
    })
}

fn one_line(text: &str) -> String {
    crate::app::add::text::printable(&crate::app::add::text::plain(text))
}

/// The feed's text, in UTF-8, with an XML declaration that says so.
fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let declared = xml_declared(bytes);
    let (text, _) = crate::app::add::charset::decode_xml(bytes, content_type, declared);
    match text.trim_start().strip_prefix("<?xml") {
        Some(rest) => match rest.find("?>") {
            Some(end) => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
                &rest[end + 2..]
            ),
            None => text,
        },
        None => text,
    }
}

/// The `encoding` an XML declaration at the start of `bytes` names.
fn xml_declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_string())
}

/// HTML or text as one line of plain text.
pub fn plain_of(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    let text = crate::app::add::html::decode_references(&text);
    crate::app::add::text::plain(&text)
}

fn item(
    entry: feed_rs::model::Entry,
    feed_url: &str,
    outlet: &str,
    language: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Item> {
    let link = entry
        .links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or(entry.links.first())?;
    let url = crate::util::url::join(feed_url, link.href.trim())?;
    if !crate::util::url::is_web(&url) {
        return None;
    }
    let url = crate::util::url::clean(&url);
    let title = entry
        .title
        .as_ref()
        .map(|t| shorten(&plain_of(&t.content), 300))
        .unwrap_or_default();
    let summary = entry
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .or_else(|| entry.content.as_ref().and_then(|c| c.body.clone()))
        .map(|s| shorten(&plain_of(&s), 600))
        .unwrap_or_default();
    let title = match title.is_empty() {
        true => shorten(&summary, 120),
        false => title,
    };
    if title.is_empty() {
        return None;
    }
    let date = entry
        .published
        .or(entry.updated)
        .filter(|d| *d <= now)
        .unwrap_or(now);
    Some(Item {
        image: image(&entry, &url),
        lang: entry
            .language
            .or(language.map(str::to_string))
            .map(|l| crate::app::add::text::plain(&l))
            .filter(|l| !l.is_empty()),
        url,
        title,
        outlet: outlet.to_string(),
        date,
        summary,
        feed: Some(feed_url.to_string()),
    })
}

/// The entry's picture: a media thumbnail or image, else an image enclosure.
fn image(entry: &feed_rs::model::Entry, url: &str) -> Option<String> {
    let media = entry.media.iter().find_map(|m| {
        m.thumbnails
            .first()
            .map(|t| t.image.uri.clone())
            .or_else(|| {
                m.content
                    .iter()
                    .find(|c| c.content_type.as_ref().is_none_or(|t| t.ty() == "image"))
                    .and_then(|c| c.url.as_ref().map(|u| u.to_string()))
            })
    });
    let enclosure = || {
        entry
            .links
            .iter()
            .find(|l| {
                l.rel.as_deref() == Some("enclosure")
                    && l.media_type
                        .as_deref()
                        .is_some_and(|t| t.starts_with("image/"))
            })
            .map(|l| l.href.clone())
    };
    media
        .or_else(enclosure)
        .and_then(|i| crate::util::url::join(url, &i))
        .filter(|i| crate::util::url::is_web(i))
}

/// `text` cut at a word to at most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-06T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn rss_atom_and_json_feed_give_the_same_items() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><language>en</language>
<item><title>Quake &amp; tsunami</title><link>https://wire.example/quake?utm_source=rss</link>
<description>&lt;p&gt;A strong &lt;b&gt;quake&lt;/b&gt; hit.&lt;/p&gt;</description><pubDate>Sat, 05 Dec 2026 10:00:00 GMT</pubDate>
<enclosure url="https://wire.example/q.jpg" type="image/jpeg" length="1"/></item></channel></rss>"#;
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>x</id><updated>2026-12-05T10:00:00Z</updated>
<entry><title type="html">Quake &amp;amp; tsunami</title><id>1</id><link href="/quake?utm_source=rss"/><updated>2026-12-05T10:00:00Z</updated>
<summary type="html">&lt;p&gt;A strong &lt;b&gt;quake&lt;/b&gt; hit.&lt;/p&gt;</summary></entry></feed>"#;
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Wire","items":[{"id":"1","url":"https://wire.example/quake?utm_source=rss","title":"Quake & tsunami","content_html":"<p>A strong <b>quake</b> hit.</p>","date_published":"2026-12-05T10:00:00Z"}]}"#;
        for (name, text) in [("rss", rss), ("atom", atom), ("json", json)] {
            let parsed = parse(
                text.as_bytes(),
                None,
                "https://wire.example/feed",
                "Wire",
                now(),
            )
            .unwrap();
            assert_eq!(parsed.title.as_deref(), Some("Wire"), "{name}");
            let item = &parsed.items[0];
            assert_eq!(item.url, "https://wire.example/quake", "{name}");
            assert_eq!(item.title, "Quake & tsunami", "{name}");
            assert_eq!(item.summary, "A strong quake hit.", "{name}");
            assert_eq!(
                item.date.to_rfc3339(),
                "2026-12-05T10:00:00+00:00",
                "{name}"
            );
        }
        let parsed = parse(
            rss.as_bytes(),
            None,
            "https://wire.example/feed",
            "Wire",
            now(),
        )
        .unwrap();
        assert_eq!(
            parsed.items[0].image.as_deref(),
            Some("https://wire.example/q.jpg")
        );
        assert_eq!(parsed.items[0].lang.as_deref(), Some("en"));
    }

    #[test]
    fn a_feed_in_euc_kr_reads_as_korean() {
        let text = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?><rss version=\"2.0\"><channel><title>연합뉴스</title><item><title>남북 정상회담</title><link>https://yna.example/1</link></item></channel></rss>";
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(text);
        let parsed = parse(
            &bytes,
            Some("text/xml"),
            "https://yna.example/rss",
            "연합",
            now(),
        )
        .unwrap();
        assert_eq!(parsed.title.as_deref(), Some("연합뉴스"));
        assert_eq!(parsed.items[0].title, "남북 정상회담");
    }

    #[test]
    fn broken_xml_is_one_line() {
        let error = parse(
            b"<rss><channel><item><title>x</ti",
            None,
            "https://a.example/",
            "A",
            now(),
        )
        .unwrap_err();
        assert!(
            error.starts_with("is not a feed Gazette can read ("),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }
}
#[cfg(test)]
mod hostile {
    /// 200,000 nested elements in a summary or an entry: read, or an error; never a crash.
    #[test]
    fn deeply_nested_xml_is_no_crash() {
        let depth = 200_000;
        let text = format!(
            "<rss version=\"2.0\"><channel><title>x</title><item><title>t</title><link>https://a.example/</link><description>{}{}</description></item></channel></rss>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        let now = "2026-12-06T12:00:00Z".parse().unwrap();
        let parsed = super::parse(text.as_bytes(), None, "https://a.example/", "A", now);
        let error = parsed.unwrap_err();
        assert!(error.contains("nests elements deeper than"), "{error}");
        let text = format!(
            "<rss version=\"2.0\"><channel><title>x</title><item>{}{}</item></channel></rss>",
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        );
        let parsed = super::parse(text.as_bytes(), None, "https://a.example/", "A", now);
        assert!(parsed.map_or(true, |p| p.items.len() <= 1));
    }
}
