//! Feeds and files for machines: Atom, RSS and JSON Feed (for the site and each topic),
//! the sitemap and robots.txt. Pure functions from the digest to text.

use crate::config::SiteConfig;
use crate::markdown::escape;
use crate::model::source_name;
use crate::model::{Article, Digest, Page};
use crate::render::ArticleHtml;
use chrono::{DateTime, FixedOffset};
use serde_json::json;
use std::fmt::Write;

/// Most URLs one sitemap file may list.
pub const SITEMAP_LIMIT: usize = 50_000;

/// What one feed covers.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site path of the page the feed follows (`""` or `topics/diplomacy/`).
    pub page_path: String,
    /// Articles, newest first (already cut to `feed_limit`).
    pub articles: Vec<usize>,
    pub digest: &'a Digest,
    pub html: &'a [ArticleHtml],
    pub config: &'a SiteConfig,
}

/// The feeds of the site: first the whole site's, then one per topic.
pub fn feed_specs<'a>(
    config: &'a SiteConfig,
    digest: &'a Digest,
    html: &'a [ArticleHtml],
) -> Vec<FeedSpec<'a>> {
    let limit = config.feed_limit;
    let mut specs = vec![FeedSpec {
        title: config.title.clone(),
        description: config.description.clone(),
        page_path: String::new(),
        articles: (0..digest.articles.len().min(limit)).collect(),
        digest,
        html,
        config,
    }];
    for topic in &digest.topics {
        specs.push(FeedSpec {
            title: format!("{}: {}", config.title, topic.name),
            description: format!("{} articles about {}", config.title, topic.name),
            page_path: topic.url_path.clone(),
            articles: topic.articles.iter().copied().take(limit).collect(),
            digest,
            html,
            config,
        });
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

fn updated(a: &Article) -> DateTime<FixedOffset> {
    a.updated.unwrap_or(a.date).max(a.date)
}

/// The newest change among `articles` (or a fixed early date for an empty feed, so that
/// builds stay byte-identical).
fn feed_updated(spec: &FeedSpec) -> DateTime<FixedOffset> {
    spec.articles
        .iter()
        .map(|&i| updated(&spec.digest.articles[i]))
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

fn entry_content(spec: &FeedSpec, i: usize, body: &str) -> String {
    let a = &spec.digest.articles[i];
    let mut html = body.to_string();
    if let Some(source) = &a.source {
        let name = source_name(source);
        let _ = write!(
            html,
            "<p><a href=\"{}\">Read the original at {}</a></p>",
            escape(&source.url),
            escape(&name)
        );
    }
    html
}

fn author(spec: &FeedSpec, a: &Article) -> String {
    a.author
        .clone()
        .or_else(|| spec.config.author.clone())
        .unwrap_or_else(|| spec.config.title.clone())
}

/// `bodies` holds the body of each of `spec.articles`, in order ([`entry_body`]).
pub fn atom(spec: &FeedSpec, bodies: &[String]) -> String {
    let c = spec.config;
    let origin = crate::config::origin(c);
    let page_url = c.absolute_url(&spec.page_path);
    let self_url = c.absolute_url(&format!("{}atom.xml", spec.page_path));
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&c.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", escape(&spec.title));
    if !spec.description.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", escape(&spec.description));
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&self_url)
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page_url)
    );
    let _ = writeln!(x, "  <id>{}</id>", escape(&self_url));
    let _ = writeln!(
        x,
        "  <updated>{}</updated>",
        feed_updated(spec).to_rfc3339()
    );
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape(c.author.as_deref().unwrap_or(&c.title))
    );
    x.push_str("  <generator>Gazette</generator>\n");
    for (&i, body) in spec.articles.iter().zip(bodies) {
        let a = &spec.digest.articles[i];
        let url = c.absolute_url(&a.url_path);
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", escape(&a.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        if let Some(source) = &a.source {
            let name = source_name(source);
            let _ = writeln!(
                x,
                "    <link rel=\"related\" type=\"text/html\" href=\"{}\" title=\"{}\"/>",
                escape(&source.url),
                escape(&name)
            );
        }
        let _ = writeln!(x, "    <id>{}</id>", escape(&url));
        let _ = writeln!(x, "    <published>{}</published>", a.date.to_rfc3339());
        let _ = writeln!(x, "    <updated>{}</updated>", updated(a).to_rfc3339());
        let _ = writeln!(
            x,
            "    <author><name>{}</name></author>",
            escape(&author(spec, a))
        );
        for &t in &a.topics {
            let topic = &spec.digest.topics[t];
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                escape(&topic.name),
                escape(&topic.name),
                escape(&c.absolute_url("topics/"))
            );
        }
        let _ = writeln!(
            x,
            "    <summary type=\"html\">{}</summary>",
            escape(&absolute_links(&spec.html[i].summary, &origin))
        );
        let _ = writeln!(
            x,
            "    <content type=\"html\">{}</content>",
            escape(&entry_content(spec, i, body))
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

pub fn rss(spec: &FeedSpec, bodies: &[String]) -> String {
    let c = spec.config;
    let origin = crate::config::origin(c);
    let page_url = c.absolute_url(&spec.page_path);
    let self_url = c.absolute_url(&format!("{}rss.xml", spec.page_path));
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n");
    let _ = writeln!(x, "  <title>{}</title>", escape(&spec.title));
    let _ = writeln!(x, "  <link>{}</link>", escape(&page_url));
    let description = if spec.description.is_empty() {
        &spec.title
    } else {
        &spec.description
    };
    let _ = writeln!(x, "  <description>{}</description>", escape(description));
    let _ = writeln!(x, "  <language>{}</language>", escape(&c.language));
    let _ = writeln!(
        x,
        "  <lastBuildDate>{}</lastBuildDate>",
        feed_updated(spec).to_rfc2822()
    );
    let _ = writeln!(
        x,
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&self_url)
    );
    x.push_str("  <generator>Gazette</generator>\n");
    for (&i, body) in spec.articles.iter().zip(bodies) {
        let a = &spec.digest.articles[i];
        let url = c.absolute_url(&a.url_path);
        x.push_str("  <item>\n");
        let _ = writeln!(x, "    <title>{}</title>", escape(&a.title));
        let _ = writeln!(x, "    <link>{}</link>", escape(&url));
        let _ = writeln!(x, "    <guid isPermaLink=\"true\">{}</guid>", escape(&url));
        let _ = writeln!(x, "    <pubDate>{}</pubDate>", a.date.to_rfc2822());
        let _ = writeln!(
            x,
            "    <dc:creator>{}</dc:creator>",
            escape(&author(spec, a))
        );
        for &t in &a.topics {
            let _ = writeln!(
                x,
                "    <category>{}</category>",
                escape(&spec.digest.topics[t].name)
            );
        }
        let _ = writeln!(
            x,
            "    <description>{}</description>",
            escape(&absolute_links(&spec.html[i].summary, &origin))
        );
        let _ = writeln!(
            x,
            "    <content:encoded>{}</content:encoded>",
            escape(&entry_content(spec, i, body))
        );
        x.push_str("  </item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

pub fn json_feed(spec: &FeedSpec, bodies: &[String]) -> String {
    let c = spec.config;
    let items: Vec<serde_json::Value> = spec
        .articles
        .iter()
        .zip(bodies)
        .map(|(&i, body)| {
            let a = &spec.digest.articles[i];
            let url = c.absolute_url(&a.url_path);
            let tags: Vec<&str> = a
                .topics
                .iter()
                .map(|&t| spec.digest.topics[t].name.as_str())
                .collect();
            let mut item = json!({
                "id": url,
                "url": url,
                "title": a.title,
                "content_html": entry_content(spec, i, body),
                "summary": spec.html[i].summary_text,
                "date_published": a.date.to_rfc3339(),
                "date_modified": updated(a).to_rfc3339(),
                "authors": [{"name": author(spec, a)}],
                "tags": tags,
            });
            if let Some(source) = &a.source {
                item["external_url"] = json!(source.url);
            }
            item
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": c.absolute_url(&spec.page_path),
        "feed_url": c.absolute_url(&format!("{}feed.json", spec.page_path)),
        "description": spec.description,
        "language": c.language,
        "authors": [{"name": c.author.as_deref().unwrap_or(&c.title)}],
        "items": items,
    });
    let mut text =
        crate::markdown::html_safe_json(&serde_json::to_string_pretty(&feed).unwrap_or_default());
    text.push('\n');
    text
}

/// The sitemap: one file, or past [`SITEMAP_LIMIT`] URLs an index (`sitemap.xml`) of
/// `sitemap-1.xml`, `sitemap-2.xml`, …. Returns (site path, text) pairs.
pub fn sitemaps(config: &SiteConfig, digest: &Digest, pages: &[Page]) -> Vec<(String, String)> {
    let entries: Vec<(String, Option<DateTime<FixedOffset>>)> = pages
        .iter()
        .filter(|p| p.path != "404.html")
        .map(|p| (config.absolute_url(&p.path), page_lastmod(digest, p)))
        .collect();
    let urlset = |chunk: &[(String, Option<DateTime<FixedOffset>>)]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (url, lastmod) in chunk {
            let _ = write!(x, "  <url><loc>{}</loc>", escape(url));
            if let Some(t) = lastmod {
                let _ = write!(x, "<lastmod>{}</lastmod>", t.to_rfc3339());
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x
    };
    if entries.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let lastmod = chunk.iter().filter_map(|e| e.1).max();
        let _ = write!(
            index,
            "  <sitemap><loc>{}</loc>",
            escape(&config.absolute_url(&name))
        );
        if let Some(t) = lastmod {
            let _ = write!(index, "<lastmod>{}</lastmod>", t.to_rfc3339());
        }
        index.push_str("</sitemap>\n");
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

/// When a page last changed: its newest article's change.
pub fn page_lastmod(digest: &Digest, page: &Page) -> Option<DateTime<FixedOffset>> {
    use crate::model::PageKind;
    let newest = |list: &[usize]| list.iter().map(|&i| updated(&digest.articles[i])).max();
    match (page.kind, &page.list) {
        (PageKind::Article(i), _) => Some(updated(&digest.articles[i])),
        (_, Some(list)) => newest(&list.articles),
        _ => newest(&(0..digest.articles.len().min(1000)).collect::<Vec<_>>()),
    }
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
/// body of article `i` as feeds carry it ([`entry_body`]). Returns (site path, text) for its Atom, RSS and JSON files.
pub fn editions_feeds(
    config: &SiteConfig,
    digest: &Digest,
    body: &dyn Fn(usize) -> anyhow::Result<String>,
) -> anyhow::Result<Vec<(String, String)>> {
    let c = config;
    let origin = crate::config::origin(c);
    let mut entries = Vec::new();
    for e in feed_editions(c, digest) {
        let mut content = String::new();
        if let Some(note) = &e.note {
            content.push_str(&absolute_links(&crate::render::note_html(c, note), &origin));
        }
        let mut titles = Vec::new();
        for &i in &e.articles {
            let a = &digest.articles[i];
            titles.push(a.title.as_str());
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
                    "<p><a href=\"{}\">Read the original at {}</a></p>",
                    escape(&source.url),
                    escape(&crate::model::source_name(source))
                );
            }
        }
        let long = crate::render::edition_long(e);
        let title = match &e.title {
            Some(t) => format!("No. {}, {long}: {t}", e.number),
            None => format!("No. {}, {long}", e.number),
        };
        let newest = |f: &dyn Fn(&Article) -> DateTime<FixedOffset>| {
            e.articles.iter().map(|&i| f(&digest.articles[i])).max()
        };
        let published = newest(&|a| a.date).unwrap_or_default();
        let summary = match &e.note {
            Some(_) => {
                crate::markdown::render(
                    e.note.as_deref().unwrap_or(""),
                    crate::markdown::RawHtml::Escape,
                    &|_| None,
                )
                .text
            }
            None => titles.join("; "),
        };
        entries.push(EditionEntry {
            title,
            url: c.absolute_url(&e.url_path),
            published,
            updated: newest(&updated).unwrap_or(published),
            summary: summary.trim().to_string(),
            content,
        });
    }
    let title = format!("{}: editions", c.title);
    let home = c.absolute_url("editions/");
    let updated_all = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| {
        DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").unwrap_or_default()
    });
    let author = c.author.as_deref().unwrap_or(&c.title);

    let self_atom = c.absolute_url("editions/atom.xml");
    let mut atom = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        atom,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&c.language)
    );
    let _ = writeln!(atom, "  <title>{}</title>", escape(&title));
    let _ = writeln!(
        atom,
        "  <subtitle>One entry per edition, with every article in full</subtitle>"
    );
    let _ = writeln!(
        atom,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&self_atom)
    );
    let _ = writeln!(
        atom,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&home)
    );
    let _ = writeln!(atom, "  <id>{}</id>", escape(&self_atom));
    let _ = writeln!(atom, "  <updated>{}</updated>", updated_all.to_rfc3339());
    let _ = writeln!(atom, "  <author><name>{}</name></author>", escape(author));
    atom.push_str("  <generator>Gazette</generator>\n");
    for e in &entries {
        atom.push_str("  <entry>\n");
        let _ = writeln!(atom, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(
            atom,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&e.url)
        );
        let _ = writeln!(atom, "    <id>{}</id>", escape(&e.url));
        let _ = writeln!(
            atom,
            "    <published>{}</published>",
            e.published.to_rfc3339()
        );
        let _ = writeln!(atom, "    <updated>{}</updated>", e.updated.to_rfc3339());
        let _ = writeln!(atom, "    <summary>{}</summary>", escape(&e.summary));
        let _ = writeln!(
            atom,
            "    <content type=\"html\">{}</content>",
            escape(&e.content)
        );
        atom.push_str("  </entry>\n");
    }
    atom.push_str("</feed>\n");

    let self_rss = c.absolute_url("editions/rss.xml");
    let mut rss = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n");
    let _ = writeln!(rss, "  <title>{}</title>", escape(&title));
    let _ = writeln!(rss, "  <link>{}</link>", escape(&home));
    let _ = writeln!(
        rss,
        "  <description>One entry per edition, with every article in full</description>"
    );
    let _ = writeln!(rss, "  <language>{}</language>", escape(&c.language));
    let _ = writeln!(
        rss,
        "  <lastBuildDate>{}</lastBuildDate>",
        updated_all.to_rfc2822()
    );
    let _ = writeln!(
        rss,
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&self_rss)
    );
    rss.push_str("  <generator>Gazette</generator>\n");
    for e in &entries {
        rss.push_str("  <item>\n");
        let _ = writeln!(rss, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(rss, "    <link>{}</link>", escape(&e.url));
        let _ = writeln!(
            rss,
            "    <guid isPermaLink=\"true\">{}</guid>",
            escape(&e.url)
        );
        let _ = writeln!(rss, "    <pubDate>{}</pubDate>", e.published.to_rfc2822());
        let _ = writeln!(rss, "    <description>{}</description>", escape(&e.summary));
        let _ = writeln!(
            rss,
            "    <content:encoded>{}</content:encoded>",
            escape(&e.content)
        );
        rss.push_str("  </item>\n");
    }
    rss.push_str("</channel>\n</rss>\n");

    let items: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            json!({"id": e.url, "url": e.url, "title": e.title, "content_html": e.content,
                   "summary": e.summary, "date_published": e.published.to_rfc3339(),
                   "date_modified": e.updated.to_rfc3339()})
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": c.absolute_url("editions/feed.json"),
        "description": "One entry per edition, with every article in full",
        "language": c.language,
        "authors": [{"name": author}],
        "items": items,
    });
    let mut json_text =
        crate::markdown::html_safe_json(&serde_json::to_string_pretty(&feed).unwrap_or_default());
    json_text.push('\n');
    Ok(vec![
        ("editions/atom.xml".into(), atom),
        ("editions/rss.xml".into(), rss),
        ("editions/feed.json".into(), json_text),
    ])
}

struct EditionEntry {
    title: String,
    url: String,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    summary: String,
    content: String,
}

/// `feeds.opml`: the site's own feeds (the whole site's, then each topic's), as an OPML 2.0
/// outline that feed readers import in one go. Atom versions are listed.
pub fn opml(config: &SiteConfig, digest: &Digest) -> String {
    let mut x =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n");
    let _ = writeln!(
        x,
        "  <head>\n    <title>{}: feeds</title>\n  </head>\n  <body>",
        escape(&config.title)
    );
    let outline = |x: &mut String, indent: &str, text: &str, page: &str| {
        let _ = writeln!(
            x,
            "{indent}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\" htmlUrl=\"{}\"/>",
            escape(text),
            escape(text),
            escape(&config.absolute_url(&format!("{page}atom.xml"))),
            escape(&config.absolute_url(page))
        );
    };
    outline(&mut x, "    ", &config.title, "");
    for (path, title) in extra_feeds(config) {
        outline(&mut x, "    ", &title, &path);
    }
    if !digest.topics.is_empty() {
        x.push_str("    <outline text=\"Topics\" title=\"Topics\">\n");
        for topic in &digest.topics {
            outline(
                &mut x,
                "      ",
                &format!("{}: {}", config.title, topic.name),
                &topic.url_path,
            );
        }
        x.push_str("    </outline>\n");
    }
    x.push_str("  </body>\n</opml>\n");
    x
}

/// Feeds besides the site's and the topics': (site path of the folder, title).
pub fn extra_feeds(config: &SiteConfig) -> Vec<(String, String)> {
    vec![("editions/".into(), format!("{}: editions", config.title))]
}

pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute_url("sitemap.xml")
    )
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
    fn sitemap_splits_into_an_index_past_the_limit() {
        use crate::model::{Digest, Page, PageKind};
        let c = SiteConfig::parse("title = \"t\"\nbase_url = \"https://u.github.io/d/\"").unwrap();
        let page = |i: usize| Page {
            path: format!("p{i}/"),
            kind: PageKind::Topics,
            list: None,
        };
        let one: Vec<Page> = (0..SITEMAP_LIMIT).map(page).collect();
        assert_eq!(sitemaps(&c, &Digest::default(), &one).len(), 1);
        let more: Vec<Page> = (0..SITEMAP_LIMIT + 1).map(page).collect();
        let files = sitemaps(&c, &Digest::default(), &more);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(
            files[0].1.contains("<sitemapindex")
                && files[0]
                    .1
                    .contains("<loc>https://u.github.io/d/sitemap-2.xml</loc>")
        );
        assert_eq!(files[1].1.matches("<url>").count(), SITEMAP_LIMIT);
        assert_eq!(files[2].1.matches("<url>").count(), 1);
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
