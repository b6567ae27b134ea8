//! Feeds: Atom, RSS and JSON Feed (for the site, each topic and the editions), and the small
//! feeds left at renamed topics' old addresses. Each is a value made from the digest and
//! rendered through a template the theme ships (`feeds/atom.xml`, `feeds/rss.xml`), which a
//! site may override like any other; the JSON Feed is serialised with serde_json. The
//! sitemap, the list of feeds and robots.txt are in `sitemap`.

use crate::config::SiteConfig;
use crate::markdown::escape;
use crate::model::source_name;
use crate::model::{Article, ArticleId, Digest};
use crate::render::ArticleHtml;
use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::json;
use std::fmt::Write;

// (Where `pipeline::publish` finds them.)

/// What one feed covers.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site path of the page the feed follows (`""` or `topics/diplomacy/`).
    pub page_path: String,
    /// Articles, newest first (already cut to `feed_limit`).
    pub articles: Vec<ArticleId>,
    /// Entries carry the whole article (the site's feed), or its summary and a link
    /// (topic feeds: a reader who follows several topics gets each article in full once,
    /// and the site stays small).
    pub full: bool,
    pub digest: &'a Digest,
    pub html: &'a [ArticleHtml],
    pub config: &'a SiteConfig,
}

/// The feeds of the site: first the whole site's, then one per topic.
pub fn feed_specs<'a>(
    config: &'a SiteConfig,
    locale: &crate::render::Locale,
    digest: &'a Digest,
    html: &'a [ArticleHtml],
) -> Vec<FeedSpec<'a>> {
    let limit = config.feed_limit;
    let mut specs = vec![FeedSpec {
        title: config.title.clone(),
        description: config.description.clone(),
        page_path: String::new(),
        articles: digest.listed_ids().take(limit).collect(),
        full: true,
        digest,
        html,
        config,
    }];
    // A topic's and an author's feeds: their newest articles, by summary.
    let list_feed =
        |name: &str, description: String, page_path: &str, articles: &[ArticleId]| FeedSpec {
            title: format!("{}: {name}", config.title),
            description,
            page_path: page_path.to_string(),
            articles: articles
                .iter()
                .copied()
                .take(config.topic_feed_limit)
                .collect(),
            full: false,
            digest,
            html,
            config,
        };
    for topic in &digest.topics {
        let about = [
            ("site", config.title.as_str()),
            ("topic", topic.name.as_str()),
        ];
        let description = locale.fill("desc_topic_feed", &about);
        specs.push(list_feed(
            &topic.name,
            description,
            &topic.url_path,
            &topic.articles,
        ));
    }
    for author in &digest.authors {
        let by = [
            ("site", config.title.as_str()),
            ("name", author.name.as_str()),
        ];
        let description = locale.fill("desc_author_feed", &by);
        specs.push(list_feed(
            &author.name,
            description,
            &author.url_path,
            &author.articles,
        ));
    }
    specs
}

/// Makes root-relative `href` and `src` attributes absolute, so that links and images work
/// in feed readers. `origin` is the scheme and host, without a trailing slash.
pub fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "src=\"/"]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
            .min();
        let Some((i, len)) = next else { break };
        let cut = i + len - 1; // keep the `/`
        out.push_str(&rest[..cut]);
        if !rest[cut..].starts_with("//") {
            out.push_str(origin);
        }
        rest = &rest[cut..];
    }
    out.push_str(rest);
    out
}

/// When an article last changed: its update, else its date.
pub(super) fn updated(a: &Article) -> DateTime<FixedOffset> {
    a.updated.unwrap_or(a.date).max(a.date)
}

/// The newest change among `articles` (or a fixed early date for an empty feed, so that
/// builds stay byte-identical).
fn feed_updated(spec: &FeedSpec) -> DateTime<FixedOffset> {
    spec.articles
        .iter()
        .map(|&i| updated(&spec.digest[i]))
        .max()
        .unwrap_or_else(|| DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").unwrap_or_default())
}

/// The full HTML of an article for a feed (`body`, its rendered Markdown): absolute URLs,
/// and a link to the original story.
/// An article's rendered body as every feed carries it: its links made absolute. The
/// feed functions take bodies in this form, made once per article for all its feeds.
pub fn entry_body(config: &SiteConfig, body: &str) -> String {
    absolute_links(body, &crate::config::origin(config))
}

fn entry_content(spec: &FeedSpec, i: ArticleId, body: &str) -> String {
    let a = &spec.digest[i];
    let mut html = body.to_string();
    if let Some(source) = &a.source {
        let name = source_name(source);
        let _ = write!(
            html,
            "<p><a href=\"{}\">Read the original at {}</a>",
            escape(&source.url),
            escape(&name)
        );
        if let Some(copy) = archived_copy(spec.digest, &source.url) {
            let _ = write!(html, " (<a href=\"{}\">archived copy</a>)", escape(&copy));
        }
        html.push_str("</p>");
    }
    html
}

/// The archived copy `data/archive.yaml` records for the address `url`, if any.
fn archived_copy(digest: &crate::model::Digest, url: &str) -> Option<String> {
    digest
        .archive
        .get(&crate::util::url::story_key(url))?
        .url
        .clone()
}

fn author(spec: &FeedSpec, a: &Article) -> String {
    a.author
        .clone()
        .or_else(|| spec.config.author.clone())
        .unwrap_or_else(|| spec.config.title.clone())
}

/// A feed as its templates (`feeds/atom.xml`, `feeds/rss.xml`) see it; the JSON Feed is
/// made from the same value with serde_json.
#[derive(Serialize)]
pub struct FeedView {
    pub language: String,
    pub title: String,
    /// Atom's subtitle (left out when empty) and the JSON Feed's description.
    pub description: String,
    /// RSS's description, which may not be empty: the description, else the title.
    pub rss_description: String,
    pub home: String,
    pub self_atom: String,
    pub self_rss: String,
    pub self_json: String,
    pub topics_url: String,
    /// `[feeds] websub_hub`: the WebSub hub readers subscribe through (`<link rel="hub">`).
    pub hub: Option<String>,
    pub updated: String,
    pub updated_rfc2822: String,
    pub author: String,
    /// A feed of articles (each entry with its author, topics and source), rather than
    /// the editions feed (each entry a whole edition).
    pub of_articles: bool,
    pub entries: Vec<EntryView>,
}

/// One entry of a feed.
#[derive(Serialize)]
pub struct EntryView {
    pub title: String,
    /// A digest issue's number: the templates put "No. 665" before the title.
    pub number: Option<u32>,
    /// The entry's language where it is not the feed's (`xml:lang`).
    pub lang: Option<String>,
    pub url: String,
    pub source: Option<SourceView>,
    pub published: String,
    pub published_rfc2822: String,
    pub updated: String,
    pub author: Option<String>,
    pub topics: Vec<String>,
    /// HTML for a feed of articles, text for the editions feed.
    pub summary: String,
    /// Plain text, for the JSON Feed.
    pub summary_text: String,
    /// The whole article as HTML; empty in topic feeds, which carry the summary alone.
    pub content: String,
}

/// The original story an entry links to.
#[derive(Serialize)]
pub struct SourceView {
    pub url: String,
    pub name: String,
    /// Its archived copy, if one is recorded.
    pub archived: Option<String>,
}

impl FeedView {
    /// The feed of the page at `page_path` (its URLs), with `entries`.
    fn new(config: &SiteConfig, page_path: &str, title: &str, description: &str) -> FeedView {
        let rss_description = if description.is_empty() {
            title
        } else {
            description
        };
        FeedView {
            language: config.language.clone(),
            title: title.to_string(),
            description: description.to_string(),
            rss_description: rss_description.to_string(),
            home: config.absolute_url(page_path),
            self_atom: config.absolute_url(&format!("{page_path}atom.xml")),
            self_rss: config.absolute_url(&format!("{page_path}rss.xml")),
            self_json: config.absolute_url(&format!("{page_path}feed.json")),
            hub: config.feeds.websub_hub.clone(),
            topics_url: config.absolute_url("topics/"),
            updated: String::new(),
            updated_rfc2822: String::new(),
            author: config
                .author
                .clone()
                .unwrap_or_else(|| config.title.clone()),
            of_articles: true,
            entries: Vec::new(),
        }
    }

    fn set_updated(&mut self, updated: DateTime<FixedOffset>) {
        self.updated = updated.to_rfc3339();
        self.updated_rfc2822 = updated.to_rfc2822();
    }

    /// The feed in `format` ("atom.xml", "rss.xml" or "feed.json").
    pub fn render(&self, tera: &tera::Tera, format: &str) -> anyhow::Result<String> {
        if format == "feed.json" {
            return Ok(self.json());
        }
        let name = format!("feeds/{format}");
        let context = tera::Context::from_serialize(json!({ "feed": self }))?;
        let feed = self.self_atom.replace("atom.xml", format);
        let xml = tera
            .render(&name, &context)
            .with_context(|| format!("could not render {feed} with template `{name}`"))?;
        // Well-formed whatever a theme's template adds: XML has no place for controls.
        Ok(match crate::util::text::clean(&xml) {
            std::borrow::Cow::Borrowed(_) => xml,
            std::borrow::Cow::Owned(clean) => clean,
        })
    }

    /// The JSON Feed (1.1) of the same entries.
    fn json(&self) -> String {
        let items: Vec<serde_json::Value> =
            self.entries.iter().map(|e| self.json_item(e)).collect();
        let feed = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "home_page_url": self.home,
            "feed_url": self.self_json,
            "description": self.description,
            "language": self.language,
            "authors": [{"name": self.author}],
            "items": items,
        });
        let mut text = crate::markdown::html_safe_json(
            &serde_json::to_string_pretty(&feed).unwrap_or_default(),
        );
        text.push('\n');
        text
    }

    fn json_item(&self, e: &EntryView) -> serde_json::Value {
        let content = if e.content.is_empty() {
            &e.summary
        } else {
            &e.content
        };
        let mut item = json!({"id": e.url, "url": e.url, "title": e.title,
            "content_html": content, "summary": e.summary_text,
            "date_published": e.published, "date_modified": e.updated});
        if self.of_articles {
            item["authors"] = json!([{"name": e.author}]);
            item["tags"] = json!(e.topics);
        }
        // A digest issue's number, as a JSON Feed extension (its title stays the title).
        if let Some(n) = e.number {
            item["_gazette"] = json!({"number": n});
        }
        if let Some(source) = &e.source {
            item["external_url"] = json!(source.url);
        }
        if let Some(lang) = &e.lang {
            item["language"] = json!(lang);
        }
        item
    }
}

/// The feed of `spec`: `bodies` holds the body of each of `spec.articles`, in order
/// ([`entry_body`]).
pub fn feed_view(spec: &FeedSpec, bodies: &[String]) -> FeedView {
    let c = spec.config;
    let origin = crate::config::origin(c);
    let mut feed = FeedView::new(c, &spec.page_path, &spec.title, &spec.description);
    feed.set_updated(feed_updated(spec));
    feed.entries = spec
        .articles
        .iter()
        .zip(bodies)
        .map(|(&i, body)| {
            let a = &spec.digest[i];
            EntryView {
                title: a.title.clone(),
                number: a.number,
                lang: a.lang.clone(),
                url: c.absolute_url(&a.url_path),
                source: a.source.as_ref().map(|s| SourceView {
                    url: s.url.clone(),
                    name: source_name(s),
                    archived: archived_copy(spec.digest, &s.url),
                }),
                published: a.date.to_rfc3339(),
                published_rfc2822: a.date.to_rfc2822(),
                updated: updated(a).to_rfc3339(),
                author: Some(author(spec, a)),
                topics: a
                    .topics
                    .iter()
                    .map(|&t| spec.digest[t].name.clone())
                    .collect(),
                summary: absolute_links(&spec.html[i.index()].summary, &origin),
                summary_text: spec.html[i.index()].summary_text.clone(),
                content: if spec.full {
                    entry_content(spec, i, body)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    feed
}

/// The editions the editions feed holds: the newest ones, as long as their articles
/// together stay within `feed_limit` (always at least the newest edition), so a feed of
/// big or weekly editions stays a reasonable size.
pub fn feed_editions<'d>(
    config: &SiteConfig,
    digest: &'d Digest,
) -> Vec<&'d crate::model::Edition> {
    let mut articles = 0;
    digest
        .editions
        .iter()
        .enumerate()
        .take_while(|(n, e)| {
            articles += e.articles.len();
            *n == 0 || articles <= config.feed_limit
        })
        .map(|(_, e)| e)
        .collect()
}

/// The editions feed: one entry per edition (see [`feed_editions`]), each holding the
/// whole edition: the editor's note, then every article in full. `body(i)` gives the
/// body of article `i` as feeds carry it ([`entry_body`]).
pub fn editions_view(
    config: &SiteConfig,
    locale: &crate::render::Locale,
    digest: &Digest,
    body: &dyn Fn(ArticleId) -> anyhow::Result<String>,
) -> anyhow::Result<FeedView> {
    let c = config;
    let title = locale.fill("feed_editions", &[("site", &c.title)]);
    let mut feed = FeedView::new(c, "editions/", &title, locale.word("desc_editions_feed"));
    feed.of_articles = false;
    let mut newest = None;
    for e in feed_editions(c, digest) {
        let entry = edition_entry(c, locale, digest, e, body)?;
        newest = newest.max(Some(entry.1));
        feed.entries.push(entry.0);
    }
    feed.set_updated(newest.unwrap_or_else(|| {
        DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").unwrap_or_default()
    }));
    Ok(feed)
}

/// One edition as an entry of the editions feed, and when it last changed.
fn edition_entry(
    c: &SiteConfig,
    l: &crate::render::Locale,
    digest: &Digest,
    e: &crate::model::Edition,
    body: &dyn Fn(ArticleId) -> anyhow::Result<String>,
) -> anyhow::Result<(EntryView, DateTime<FixedOffset>)> {
    let content = edition_content(c, l, digest, e, body)?;
    let newest = |f: &dyn Fn(&Article) -> DateTime<FixedOffset>| {
        e.articles.iter().map(|&i| f(&digest[i])).max()
    };
    let published = newest(&|a| a.date).unwrap_or_default();
    let changed = newest(&updated).unwrap_or(published);
    let summary = edition_summary(digest, e);
    let entry = EntryView {
        title: edition_title(l, e),
        number: None,
        lang: None,
        url: c.absolute_url(&e.url_path),
        source: None,
        published: published.to_rfc3339(),
        published_rfc2822: published.to_rfc2822(),
        updated: changed.to_rfc3339(),
        author: None,
        topics: Vec::new(),
        summary_text: summary.clone(),
        summary,
        content,
    };
    Ok((entry, changed))
}

/// An edition's entry as HTML: the editor's note, then each article (its title as a
/// link, its body, and a link to the original story).
fn edition_content(
    c: &SiteConfig,
    l: &crate::render::Locale,
    digest: &Digest,
    e: &crate::model::Edition,
    body: &dyn Fn(ArticleId) -> anyhow::Result<String>,
) -> anyhow::Result<String> {
    let origin = crate::config::origin(c);
    let mut content = String::new();
    if let Some(note) = &e.note {
        content.push_str(&absolute_links(&crate::render::note_html(c, note), &origin));
    }
    for &i in &e.articles {
        let a = &digest[i];
        let _ = writeln!(
            content,
            "<h2><a href=\"{}\">{}</a></h2>",
            escape(&c.absolute_url(&a.url_path)),
            escape(&a.title)
        );
        content.push_str(&body(i)?);
        if let Some(source) = &a.source {
            let _ = writeln!(
                content,
                "<p><a href=\"{}\">{}</a></p>",
                escape(&source.url),
                escape(&l.fill(
                    "read_original",
                    &[("name", &crate::model::source_name(source))]
                ))
            );
        }
    }
    Ok(content)
}

/// An edition entry's title: its number and long date ("No. 12, …"), then its own title.
fn edition_title(l: &crate::render::Locale, e: &crate::model::Edition) -> String {
    let long = l.edition_long(e);
    let number = l.fill("number", &[("n", &l.digits(&e.number.to_string()))]);
    match &e.title {
        Some(t) => format!("{number}, {long}: {t}"),
        None => format!("{number}, {long}"),
    }
}

/// An edition entry's summary, as text: the editor's note, else its articles' titles.
fn edition_summary(digest: &Digest, e: &crate::model::Edition) -> String {
    let summary = match &e.note {
        Some(note) => {
            crate::markdown::render(note, crate::markdown::RawHtml::Escape, &|_| None).text
        }
        None => {
            let titles: Vec<&str> = e
                .articles
                .iter()
                .map(|&i| digest[i].title.as_str())
                .collect();
            titles.join("; ")
        }
    };
    summary.trim().to_string()
}

/// Feeds besides the site's and the topics': (site path of the folder, title).
pub fn extra_feeds(config: &SiteConfig, locale: &crate::render::Locale) -> Vec<(String, String)> {
    let title = locale.fill("feed_editions", &[("site", &config.title)]);
    vec![("editions/".into(), title)]
}

/// A small feed at a renamed topic's old feed address (`format`: `atom.xml`, `rss.xml` or
/// `feed.json`): its address says where the feed moved (Atom's `rel="self"` and RSS's
/// `atom:link` name the new feed, which feed readers follow), and its one entry tells
/// readers to subscribe to the new one.
pub fn moved_feed(
    config: &SiteConfig,
    moved: &crate::model::redirects::MovedFeed,
    format: &str,
) -> String {
    let esc = crate::markdown::escape;
    let new_feed = config.absolute_url(&format!("{}{format}", moved.to));
    let new_page = config.absolute_url(&moved.to);
    let title = format!("This feed has moved to {new_feed}");
    let text = format!("Subscribe to {new_feed} instead; this address is no longer updated.");
    let updated = "2000-01-01T00:00:00Z";
    match format {
        "feed.json" => json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": config.title,
            "home_page_url": new_page,
            "feed_url": new_feed,
            "items": [{"id": new_feed, "url": new_page, "title": title, "content_text": text}],
        })
        .to_string(),
        "rss.xml" => format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>{}</title><link>{}</link><description>{}</description><atom:link rel=\"self\" href=\"{}\"/><itunes:new-feed-url>{}</itunes:new-feed-url><item><title>{}</title><link>{}</link><guid>{}</guid><description>{}</description></item></channel></rss>\n",
            esc(&config.title), esc(&new_page), esc(&text), esc(&new_feed), esc(&new_feed), esc(&title), esc(&new_page), esc(&new_feed), esc(&text)
        ),
        _ => format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{}</title><id>{}</id><updated>{updated}</updated><link rel=\"self\" href=\"{}\"/><link rel=\"alternate\" href=\"{}\"/><entry><title>{}</title><id>{}</id><updated>{updated}</updated><link href=\"{}\"/><summary>{}</summary></entry></feed>\n",
            esc(&config.title), esc(&new_feed), esc(&new_feed), esc(&new_page), esc(&title), esc(&new_feed), esc(&new_feed), esc(&text)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_links_keep_other_urls() {
        let html = "<a href=\"/digest/x/\">x</a><img src=\"/digest/i.png\"><a href=\"https://o.org/\">o</a><a href=\"//cdn/x\">c</a>";
        assert_eq!(
            absolute_links(html, "https://u.github.io"),
            "<a href=\"https://u.github.io/digest/x/\">x</a><img src=\"https://u.github.io/digest/i.png\"><a href=\"https://o.org/\">o</a><a href=\"//cdn/x\">c</a>"
        );
    }

    #[test]
    fn origin_drops_the_base_path() {
        let c =
            SiteConfig::parse("title = \"t\"\nbase_url = \"https://u.github.io/digest/\"").unwrap();
        assert_eq!(crate::config::origin(&c), "https://u.github.io");
        let c = SiteConfig::parse("title = \"t\"\nbase_url = \"https://news.org\"").unwrap();
        assert_eq!(crate::config::origin(&c), "https://news.org");
    }
}
