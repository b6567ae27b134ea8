//! What a news page says about itself: its headline, description, image, outlet, author,
//! publication time, language and canonical address, from Open Graph and Twitter `<meta>`
//! tags, JSON-LD (also inside `@graph`, and with `@type` arrays), `<link rel=canonical>`,
//! `<html lang>` and `<title>` (without the outlet's name: "Kerala floods | Daily
//! Meridian" -> "Kerala floods").

use super::html::{tags, Tag};
use serde_json::Value as Json;
use std::collections::HashMap;

/// A page's metadata; addresses are absolute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    /// `og:site_name`, JSON-LD `publisher.name`, else the host.
    pub outlet: String,
    pub author: Option<String>,
    /// As the page writes it (usually ISO 8601).
    pub published: Option<String>,
    pub language: Option<String>,
    /// `<link rel=canonical>`, else `og:url`, else the page's own address.
    pub canonical: String,
}

/// What the scan of one page found, before choosing among its sources.
struct Found {
    /// `<meta>` values by `property`, `name` or `itemprop` (lower case); the first wins.
    meta: HashMap<String, String>,
    /// The address relative links start from (`<base href>`, else the page's).
    base: String,
    canonical: Option<String>,
    image_src: Option<String>,
    lang: Option<String>,
    title: Option<String>,
    /// The JSON-LD item that describes the article, if any.
    item: Option<Json>,
}

/// The metadata of the page `html`, fetched from `url` (after redirects).
#[cfg(test)]
pub fn extract(html: &str, url: &str) -> Metadata {
    extract_knowing(html, url, &|_| None)
}

/// The metadata of the page `html`, fetched from `url`, for a digest that calls the
/// outlet at a host `known(host)` (a name it already uses, which wins over the page's).
/// Without a name from the page or the digest, a title's part that names the host
/// ("Kerala floods | Daily Meridian" at `dailymeridian.example`) names the outlet.
pub fn extract_knowing(html: &str, url: &str, known: &dyn Fn(&str) -> Option<String>) -> Metadata {
    let found = scan(html, url);
    let canonical = first([found.canonical.clone(), found.get("og:url")])
        .and_then(|c| crate::util::url::join(&found.base, &c))
        .unwrap_or_else(|| url.to_string());
    let host = crate::model::host_of(&canonical);
    let known = known(&host).or_else(|| known(&crate::model::host_of(url)));
    let named = first([
        found.get("og:site_name"),
        found.item.as_ref().and_then(|i| names(i.get("publisher")?)),
    ]);
    let outlets = Outlets::new([known.clone(), named.clone()], [&host, url]);
    let card = first([found.get("og:title"), found.get("twitter:title")])
        .map(|t| cut_outlet(&t, &outlets, false));
    let tag = found
        .title
        .as_deref()
        .map(|t| cut_outlet(t, &outlets, true));
    let in_title = [&card, &tag]
        .into_iter()
        .find_map(|c| c.as_ref()?.1.clone());
    // Without a name, the outlet is the host of the address cited (a page fetched
    // through a mirror or a link shortener still names the outlet that published it).
    let outlet = first([known, named, in_title]).unwrap_or(host);
    let title = card
        .map(|c| c.0)
        .or_else(|| found.ld_text("headline"))
        .or_else(|| tag.map(|c| c.0))
        .filter(|t| !t.is_empty());
    Metadata {
        title,
        description: found.description(),
        image: found.image(),
        outlet,
        author: found.author(),
        published: found.published(),
        language: found.language(),
        canonical,
    }
}

fn first<const N: usize>(candidates: [Option<String>; N]) -> Option<String> {
    candidates.into_iter().flatten().find(|s| !s.is_empty())
}

/// Spaces and line breaks as one space, trimmed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the tags of the page.
fn scan(html: &str, url: &str) -> Found {
    let mut found = Found {
        meta: HashMap::new(),
        base: url.to_string(),
        canonical: None,
        image_src: None,
        lang: None,
        title: None,
        item: None,
    };
    let mut items = Vec::new();
    for tag in tags(html) {
        match tag.name.as_str() {
            "meta" => found.meta_tag(&tag),
            "link" => found.link_tag(&tag),
            "html" => found.lang = found.lang.take().or(tag.attr("lang").map(squeeze)),
            "base" => {
                if let Some(base) = tag
                    .attr("href")
                    .and_then(|h| crate::util::url::join(url, h))
                {
                    found.base = base;
                }
            }
            "title" if found.title.is_none() => found.title = tag.text.as_deref().map(squeeze),
            "script" if tag.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                if let Some(json) = tag.text.as_deref().and_then(parse_json_ld) {
                    flatten(json, &mut items);
                }
            }
            _ => {}
        }
    }
    found.item = items
        .iter()
        .position(is_article)
        .or_else(|| items.iter().position(|i| i.get("headline").is_some()))
        .map(|i| items.swap_remove(i));
    found
}

impl Found {
    fn meta_tag(&mut self, tag: &Tag) {
        let key = tag
            .attr("property")
            .or_else(|| tag.attr("name"))
            .or_else(|| tag.attr("itemprop"))
            .or_else(|| tag.attr("http-equiv"));
        if let (Some(key), Some(value)) = (key, tag.attr("content")) {
            let value = squeeze(value);
            if !value.is_empty() {
                self.meta
                    .entry(key.trim().to_ascii_lowercase())
                    .or_insert(value);
            }
        }
    }

    fn link_tag(&mut self, tag: &Tag) {
        let rel = tag.attr("rel").unwrap_or("").to_ascii_lowercase();
        let Some(href) = tag.attr("href").map(str::trim).filter(|h| !h.is_empty()) else {
            return;
        };
        let rels: Vec<&str> = rel.split_whitespace().collect();
        if rels.contains(&"canonical") && self.canonical.is_none() {
            self.canonical = Some(href.to_string());
        }
        if rels.contains(&"image_src") && self.image_src.is_none() {
            self.image_src = Some(href.to_string());
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        self.meta.get(key).cloned()
    }

    /// A text field of the JSON-LD item.
    fn ld_text(&self, key: &str) -> Option<String> {
        match self.item.as_ref()?.get(key)? {
            Json::String(s) => Some(squeeze(&super::html::decode_references(s))),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    }

    fn description(&self) -> Option<String> {
        first([
            self.get("og:description"),
            self.get("twitter:description"),
            self.get("description"),
            self.ld_text("description"),
        ])
    }

    fn image(&self) -> Option<String> {
        let from_ld = self.item.as_ref().and_then(|i| image_url(i.get("image")?));
        let image = first([
            self.get("og:image"),
            self.get("og:image:url"),
            self.get("og:image:secure_url"),
            self.get("twitter:image"),
            self.get("twitter:image:src"),
            from_ld,
            self.image_src.clone(),
        ])?;
        crate::util::url::join(&self.base, &image)
    }

    fn author(&self) -> Option<String> {
        let profile = self
            .get("article:author")
            .filter(|a| !crate::util::url::is_web(a));
        let author = first([
            self.get("author"),
            self.item.as_ref().and_then(|i| names(i.get("author")?)),
            profile,
            self.get("dc.creator"),
            self.get("parsely-author"),
        ])?;
        let author = author.strip_prefix("By ").unwrap_or(&author);
        Some(author.trim().to_string()).filter(|a| !a.is_empty())
    }

    fn published(&self) -> Option<String> {
        first([
            self.get("article:published_time"),
            self.get("og:article:published_time"),
            self.ld_text("datePublished"),
            self.get("datepublished"),
            self.get("pubdate"),
            self.get("publishdate"),
            self.get("date"),
            self.get("dc.date.issued"),
            self.get("dc.date"),
            self.get("parsely-pub-date"),
        ])
    }

    fn language(&self) -> Option<String> {
        let locale = self.get("og:locale").map(|l| l.replace('_', "-"));
        first([
            self.lang.clone(),
            self.get("content-language"),
            locale,
            self.ld_text("inLanguage"),
        ])
    }
}

/// A JSON-LD script's value; wrappers some pages leave around it (`<!-- -->`, CDATA) are
/// taken off. `None` when it is not JSON.
fn parse_json_ld(text: &str) -> Option<Json> {
    let text = text.trim();
    let text = text.strip_prefix("<!--").unwrap_or(text);
    let text = text.strip_suffix("-->").unwrap_or(text).trim();
    let text = text.strip_prefix("//<![CDATA[").unwrap_or(text);
    let text = text.strip_suffix("//]]>").unwrap_or(text);
    serde_json::from_str(text.trim()).ok()
}

/// Every object of a JSON-LD value, those inside lists and `@graph` too, in order.
fn flatten(value: Json, items: &mut Vec<Json>) {
    match value {
        Json::Array(values) => values.into_iter().for_each(|v| flatten(v, items)),
        Json::Object(mut map) => {
            let graph = map.remove("@graph");
            items.push(Json::Object(map));
            if let Some(graph) = graph {
                flatten(graph, items);
            }
        }
        _ => {}
    }
}

/// Whether a JSON-LD object is an article (`NewsArticle`, `["Article", "BlogPosting"]`,
/// `https://schema.org/ReportageNewsArticle`…).
fn is_article(item: &Json) -> bool {
    let article = |t: &Json| {
        let name = t.as_str().unwrap_or("");
        let name = name.rsplit(['/', ':']).next().unwrap_or(name);
        name.ends_with("Article") || matches!(name, "BlogPosting" | "LiveBlogPosting" | "Report")
    };
    match item.get("@type") {
        Some(Json::Array(types)) => types.iter().any(article),
        Some(t) => article(t),
        None => false,
    }
}

/// The names in a JSON-LD person or organisation field: `"A"`, `{"name": "A"}`, or a list
/// of them, joined with commas.
fn names(value: &Json) -> Option<String> {
    let list: Vec<String> = match value {
        Json::String(name) => vec![squeeze(name)],
        Json::Object(map) => map
            .get("name")
            .and_then(Json::as_str)
            .map(squeeze)
            .into_iter()
            .collect(),
        Json::Array(values) => values.iter().filter_map(names).collect(),
        _ => Vec::new(),
    };
    let list: Vec<String> = list.into_iter().filter(|n| !n.is_empty()).collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// The address in a JSON-LD image field: `"…"`, `{"url": "…"}`, or the first of a list.
fn image_url(value: &Json) -> Option<String> {
    match value {
        Json::String(url) => Some(url.trim().to_string()),
        Json::Object(map) => map
            .get("url")
            .or_else(|| map.get("contentUrl"))
            .and_then(image_url),
        Json::Array(values) => values.iter().find_map(image_url),
        _ => None,
    }
    .filter(|u| !u.is_empty())
}

/// What separates a headline from the outlet's name in titles.
const SEPARATORS: [&str; 9] = [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", "｜", "："];

/// Letters and digits only, in lower case: "Daily Meridian" and "dailymeridian" match.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a part of a title may be when it names the outlet: a name the digest or the page
/// gives, or a part of a host (`dailymeridian` of `www.dailymeridian.example`), with or
/// without a leading "The"; compared by [`letters`].
struct Outlets {
    names: Vec<String>,
    labels: Vec<String>,
}

impl Outlets {
    fn new<const N: usize>(names: [Option<String>; N], addresses: [&str; 2]) -> Outlets {
        let mut labels = Vec::new();
        for address in addresses {
            let host = crate::model::host_of(address);
            let parts: Vec<&str> = host.split(['.', ':']).collect();
            let named = &parts[..parts.len().saturating_sub(1)];
            labels.extend(named.iter().map(|l| bare(l)).filter(|l| l.len() > 2));
        }
        let names = names.into_iter().flatten().map(|n| bare(&n)).collect();
        Outlets { names, labels }
    }

    fn named_by(&self, part: &str) -> bool {
        let part = bare(part);
        !part.is_empty() && (self.names.contains(&part) || self.labels.contains(&part))
    }
}

/// A name's [`letters`] without a leading "the": "The Korea Herald" -> `koreaherald`.
fn bare(name: &str) -> String {
    let name = letters(name);
    match name.strip_prefix("the") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => name,
    }
}

/// `title` without the outlet's name before or after a separator ("Kerala floods | Daily
/// Meridian" -> "Kerala floods"), and the name as the title writes it. With `loose` (a
/// `<title>`), a last part after ` | ` goes even when it names nothing known.
fn cut_outlet(title: &str, outlets: &Outlets, loose: bool) -> (String, Option<String>) {
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if outlets.named_by(tail) && !head.trim().is_empty() {
                return (head.trim().to_string(), Some(tail.trim().to_string()));
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if outlets.named_by(head) && !tail.trim().is_empty() {
                return (tail.trim().to_string(), Some(head.trim().to_string()));
            }
        }
    }
    match title.rsplit_once(" | ") {
        Some((head, _)) if loose && !head.trim().is_empty() => (head.trim().to_string(), None),
        _ => (title.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str =
        "https://www.dailymeridian.example/news/2018/08/16/kerala-floods?utm_source=x";

    #[test]
    fn open_graph_comes_first() {
        let html = r#"<html lang="en-IN"><head>
<title>Kerala floods: the title tag | Daily Meridian</title>
<meta property="og:title" content="Kerala floods: 300 dead as rains continue">
<meta name="twitter:title" content="Twitter's title">
<meta property="og:description" content="  The worst floods
 in a century.  ">
<meta property="og:image" content="/images/kerala.jpg">
<meta property="og:site_name" content="The Daily Meridian">
<meta name="author" content="Priya Nair">
<meta property="article:published_time" content="2018-08-16T09:30:00+05:30">
<link rel="canonical" href="https://dailymeridian.example/news/kerala-floods">
<meta property="og:url" content="https://dailymeridian.example/og-url">
</head><body><svg><title>An icon</title></svg></body></html>"#;
        assert_eq!(
            extract(html, URL),
            Metadata {
                title: Some("Kerala floods: 300 dead as rains continue".into()),
                description: Some("The worst floods in a century.".into()),
                image: Some("https://www.dailymeridian.example/images/kerala.jpg".into()),
                outlet: "The Daily Meridian".into(),
                author: Some("Priya Nair".into()),
                published: Some("2018-08-16T09:30:00+05:30".into()),
                language: Some("en-IN".into()),
                canonical: "https://dailymeridian.example/news/kerala-floods".into(),
            }
        );
    }

    #[test]
    fn without_a_name_the_outlet_is_the_host_of_the_address_cited() {
        let page =
            r#"<link rel="canonical" href="https://www.seoul.example/news/1"><title>Buses</title>"#;
        let meta = extract(page, "http://127.0.0.1:8799/mirror/1");
        assert_eq!(meta.canonical, "https://www.seoul.example/news/1");
        assert_eq!(meta.outlet, "seoul.example");
    }

    #[test]
    fn twitter_cards_then_json_ld_then_the_title_tag() {
        let twitter = r#"<meta name="twitter:title" content="From the card"><meta name="twitter:image" content="//cdn.example/a.png"><title>T | X</title>"#;
        let meta = extract(twitter, URL);
        assert_eq!(meta.title.as_deref(), Some("From the card"));
        assert_eq!(meta.image.as_deref(), Some("https://cdn.example/a.png"));
        assert_eq!(meta.outlet, "dailymeridian.example", "no name: the host");
        assert_eq!(meta.canonical, URL, "no canonical: the page's own address");

        let title = extract("<title>\n  Kerala floods | Daily Meridian\n</title>", URL);
        assert_eq!(title.title.as_deref(), Some("Kerala floods"));
        let title = extract("<title>Daily Meridian - Kerala floods</title>", URL);
        assert_eq!(title.title.as_deref(), Some("Kerala floods"));
        let title = extract("<title>Kerala floods - rescue goes on</title>", URL);
        assert_eq!(
            title.title.as_deref(),
            Some("Kerala floods - rescue goes on")
        );
        let og = extract(
            r#"<meta property="og:title" content="Kerala floods — The Daily Meridian"><meta property="og:site_name" content="The Daily Meridian">"#,
            URL,
        );
        assert_eq!(og.title.as_deref(), Some("Kerala floods"));
        assert_eq!(extract("<p>no title", URL).title, None);
        let og_url = extract(r#"<meta property="og:url" content="/canonical">"#, URL);
        assert_eq!(
            og_url.canonical,
            "https://www.dailymeridian.example/canonical"
        );
    }

    #[test]
    fn the_outlet_a_title_names_and_the_name_the_digest_uses() {
        // Without og:site_name, the name after any separator wins over the host's.
        for title in [
            "Kerala floods | Daily Meridian",
            "Kerala floods - Daily Meridian",
            "Kerala floods – The Daily Meridian",
            "Kerala floods — DAILY MERIDIAN",
            "Kerala floods｜Daily Meridian",
            "Kerala floods：Daily Meridian",
        ] {
            let meta = extract(&format!("<title>{title}</title>"), URL);
            assert_eq!(meta.title.as_deref(), Some("Kerala floods"), "{title}");
            let named = title
                .split(['|', '-', '–', '—', '｜', '：'])
                .nth(1)
                .unwrap();
            assert_eq!(meta.outlet, named.trim(), "{title}");
        }
        let meta = extract("<title>Kerala floods - rescue goes on</title>", URL);
        assert_eq!(meta.outlet, "dailymeridian.example", "names nothing known");
        // The digest's name for the host wins over the page's, and is cut from titles.
        let known = |host: &str| (host == "koreaherald.com").then(|| "The Korea Herald".into());
        let page = r#"<meta property="og:site_name" content="koreaherald.com"><title>Bus strike ends – KOREA HERALD</title>"#;
        let meta = extract_knowing(page, "https://www.koreaherald.com/view?ud=1", &known);
        assert_eq!(meta.outlet, "The Korea Herald");
        assert_eq!(meta.title.as_deref(), Some("Bus strike ends"));
        let known = |_: &str| Some("코리아헤럴드".to_string());
        let page = r#"<meta property="og:title" content="버스 파업 끝나｜코리아 헤럴드">"#;
        let meta = extract_knowing(page, "https://news.example/1", &known);
        assert_eq!(meta.title.as_deref(), Some("버스 파업 끝나"));
        assert_eq!(meta.outlet, "코리아헤럴드");
        // A separator with no name after it is part of the headline.
        let page =
            r#"<meta property="og:site_name" content="Nikkei"><title>Yen：a history</title>"#;
        assert_eq!(extract(page, URL).title.as_deref(), Some("Yen：a history"));
    }

    #[test]
    fn json_ld_in_a_graph_with_type_lists() {
        let html = r#"<html><head><title>Ignored | Site</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Daily Meridian Site"},
  {"@type": ["NewsArticle", "ReportageNewsArticle"], "headline": "Kerala floods &amp; landslides",
   "description": "From JSON-LD.", "image": [{"@type": "ImageObject", "url": "img/1.jpg"}],
   "author": [{"@type": "Person", "name": "Priya Nair"}, {"name": "Arun Menon"}],
   "publisher": {"@type": "Organization", "name": "Daily Meridian"},
   "datePublished": "2018-08-16T09:30:00+05:30", "inLanguage": "ml"}
]}</script>
<script type="application/ld+json">not json</script>
<base href="https://static.dailymeridian.example/base/">
</head></html>"#;
        let meta = extract(html, URL);
        assert_eq!(meta.title.as_deref(), Some("Kerala floods & landslides"));
        assert_eq!(meta.description.as_deref(), Some("From JSON-LD."));
        assert_eq!(
            meta.image.as_deref(),
            Some("https://static.dailymeridian.example/base/img/1.jpg")
        );
        assert_eq!(meta.author.as_deref(), Some("Priya Nair, Arun Menon"));
        assert_eq!(meta.outlet, "Daily Meridian");
        assert_eq!(meta.published.as_deref(), Some("2018-08-16T09:30:00+05:30"));
        assert_eq!(meta.language.as_deref(), Some("ml"));
        let list = r#"<script type="application/ld+json">[{"@type": "BreadcrumbList"}, {"@type": "https://schema.org/Article", "headline": "In a list", "publisher": "Outlet", "author": "By Someone"}]</script>"#;
        let meta = extract(list, URL);
        assert_eq!(meta.title.as_deref(), Some("In a list"));
        assert_eq!(meta.outlet, "Outlet");
        assert_eq!(meta.author.as_deref(), Some("Someone"));
    }

    #[test]
    fn other_meta_names_and_locales() {
        let html = r#"<meta name="description" content="Plain description"><meta property="og:locale" content="ko_KR"><meta name="pubdate" content="2018-08-16"><meta property="article:author" content="https://facebook.com/someone"><link rel="image_src" href="/i.png">"#;
        let meta = extract(html, URL);
        assert_eq!(meta.description.as_deref(), Some("Plain description"));
        assert_eq!(meta.language.as_deref(), Some("ko-KR"));
        assert_eq!(meta.published.as_deref(), Some("2018-08-16"));
        assert_eq!(meta.author, None, "a profile address is no name");
        assert_eq!(
            meta.image.as_deref(),
            Some("https://www.dailymeridian.example/i.png")
        );
    }
}
