//! The files for crawlers and feed readers besides the feeds: the sitemap (one file, or an
//! index of files past [`SITEMAP_LIMIT`] URLs), `feeds.opml` and `robots.txt`, each a value
//! rendered through a template the theme ships (`sitemap.xml`, `sitemap-index.xml`,
//! `feeds.opml`, `robots.txt`), which a site may override like any other.

use super::feed::{extra_feeds, updated};
use crate::config::SiteConfig;
use crate::model::{ArticleId, Digest, Page};
use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use serde_json::json;

/// Most URLs one sitemap file may list.
pub const SITEMAP_LIMIT: usize = 50_000;

/// The sitemap: one file, or past [`SITEMAP_LIMIT`] URLs an index (`sitemap.xml`) of
/// `sitemap-1.xml`, `sitemap-2.xml`, …, from the templates `sitemap.xml` and
/// `sitemap-index.xml`. Returns (site path, text) pairs.
pub fn sitemaps(
    tera: &tera::Tera,
    config: &SiteConfig,
    digest: &Digest,
    pages: &[Page],
    translations: &dyn Fn(&str) -> Option<std::sync::Arc<[super::Translation]>>,
) -> anyhow::Result<Vec<(String, String)>> {
    let entries: Vec<serde_json::Value> = pages
        .iter()
        .filter(|p| in_sitemap(digest, p))
        .map(|p| {
            let alternates = translations(&p.path).map(|list| {
                list.iter()
                    .map(|t| json!({"hreflang": t.lang, "href": t.href}))
                    .collect::<Vec<_>>()
            });
            json!({"loc": config.absolute_url(&p.path),
                   "lastmod": page_lastmod(digest, p).map(|t| t.format("%Y-%m-%d").to_string()),
                   "alternates": alternates.unwrap_or_default()})
        })
        .collect();
    let urlset = |chunk: &[serde_json::Value]| {
        let xhtml = chunk
            .iter()
            .any(|e| e["alternates"].as_array().is_some_and(|a| !a.is_empty()));
        render_file(
            tera,
            "sitemap.xml",
            json!({ "urls": chunk, "xhtml": xhtml }),
        )
    };
    if entries.len() <= SITEMAP_LIMIT {
        return Ok(vec![("sitemap.xml".into(), urlset(&entries)?)]);
    }
    let mut files = Vec::new();
    let mut index = Vec::new();
    for (n, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let lastmod = chunk.iter().filter_map(|e| e["lastmod"].as_str()).max();
        index.push(json!({"loc": config.absolute_url(&name), "lastmod": lastmod}));
        files.push((name, urlset(chunk)?));
    }
    let index = render_file(tera, "sitemap-index.xml", json!({ "sitemaps": index }))?;
    files.insert(0, ("sitemap.xml".into(), index));
    Ok(files)
}

/// Whether page `p` is in the sitemap: not the 404 page, a redirect or a hidden article.
fn in_sitemap(digest: &Digest, p: &Page) -> bool {
    use crate::model::PageKind;
    p.path != "404.html"
        && !matches!(p.kind, PageKind::Redirect(_))
        && !matches!(p.kind, PageKind::Article(i) if digest[i].hidden)
}

/// What [`sitemaps`] makes its files from, besides the templates and site.toml (which
/// `base` stands for): each listed page's address, last change and translations. Returns
/// the fingerprint and the files' names: when neither changed since the last build, the
/// files it wrote are still right and need not be made again.
pub fn sitemap_fingerprint(
    base: u64,
    digest: &Digest,
    pages: &[Page],
    translations: &dyn Fn(&str) -> Option<std::sync::Arc<[super::Translation]>>,
) -> (u64, Vec<String>) {
    let mut f = crate::util::hash::Fingerprint::new();
    f.add(base);
    let mut count = 0;
    for p in pages.iter().filter(|p| in_sitemap(digest, p)) {
        count += 1;
        let lastmod =
            page_lastmod(digest, p).map(|t| (t.timestamp(), t.offset().local_minus_utc()));
        f.add(&p.path).add(lastmod);
        let list = translations(&p.path);
        for t in list.as_deref().unwrap_or_default() {
            f.add(&t.lang).add(&t.href);
        }
        f.add(list.map_or(0, |l| l.len()));
    }
    let mut names = vec!["sitemap.xml".to_string()];
    if count > SITEMAP_LIMIT {
        names.extend((1..=count.div_ceil(SITEMAP_LIMIT)).map(|n| format!("sitemap-{n}.xml")));
    }
    (f.finish(), names)
}

pub use crate::model::NEWS_WINDOW_HOURS;
/// Most articles a news sitemap lists (Google's limit).
pub const NEWS_LIMIT: usize = 1000;

/// The articles a news sitemap lists: published (listed, not a draft) in the
/// [`NEWS_WINDOW_HOURS`] before the build's time, newest first, at most [`NEWS_LIMIT`].
pub fn news_articles(digest: &Digest) -> Vec<ArticleId> {
    let now = digest.now.fixed_offset();
    let since = now - chrono::Duration::hours(NEWS_WINDOW_HOURS);
    // Articles are newest first: past the future ones, up to the first older one.
    digest
        .listed_ids()
        .skip_while(|&i| digest[i].date > now)
        .take_while(|&i| digest[i].date >= since)
        .filter(|&i| !digest[i].draft)
        .take(NEWS_LIMIT)
        .collect()
}

/// `news-sitemap.xml` (template `news-sitemap.xml`): each article of [`news_articles`]
/// with the publication's name and the article's language, its time and its title; `None`
/// when no article is that recent.
pub fn news_sitemap(
    tera: &tera::Tera,
    config: &SiteConfig,
    digest: &Digest,
) -> anyhow::Result<Option<String>> {
    let ids = news_articles(digest);
    if ids.is_empty() {
        return Ok(None);
    }
    let entries: Vec<serde_json::Value> = ids
        .iter()
        .map(|&i| {
            let a = &digest[i];
            json!({"loc": config.absolute_url(&a.url_path),
                   "language": news_language(a.lang.as_deref().unwrap_or(&config.language)),
                   "date": a.date.to_rfc3339(),
                   "title": a.title})
        })
        .collect();
    let context = json!({"publication": config.title, "urls": entries});
    render_file(tera, "news-sitemap.xml", context).map(Some)
}

/// A language as Google News names it: `zh-cn` or `zh-tw` for Chinese, else the language
/// subtag alone (`pt` for `pt-BR`).
fn news_language(tag: &str) -> String {
    let tag = tag.to_ascii_lowercase();
    let traditional = ["hant", "tw", "hk", "mo"];
    match tag.as_str() {
        t if t.starts_with("zh") && t.split('-').any(|p| traditional.contains(&p)) => {
            "zh-tw".into()
        }
        t if t.starts_with("zh") => "zh-cn".into(),
        t => t.split('-').next().unwrap_or(t).to_string(),
    }
}

/// `sitemap-index.xml`: every sitemap file of the site and its news sitemap, written once
/// a news sitemap exists (the address to give Search Console).
pub fn sitemap_index(
    tera: &tera::Tera,
    config: &SiteConfig,
    files: &[String],
) -> anyhow::Result<String> {
    let index: Vec<serde_json::Value> = files
        .iter()
        .map(|f| json!({"loc": config.absolute_url(f)}))
        .collect();
    render_file(tera, "sitemap-index.xml", json!({ "sitemaps": index }))
}

/// Renders one of the templates for machines (sitemap, list of feeds, robots.txt).
fn render_file(
    tera: &tera::Tera,
    name: &str,
    context: serde_json::Value,
) -> anyhow::Result<String> {
    let context = tera::Context::from_value(context)?;
    tera.render(name, &context)
        .with_context(|| format!("could not render /{name} with template `{name}`"))
}

/// When a page last changed: its newest article's change.
pub fn page_lastmod(digest: &Digest, page: &Page) -> Option<DateTime<FixedOffset>> {
    use crate::model::PageKind;
    let newest = |list: &[ArticleId]| list.iter().map(|&i| updated(&digest[i])).max();
    match (page.kind, &page.list) {
        (PageKind::Article(i), _) => Some(updated(&digest[i])),
        (_, Some(list)) => newest(&list.articles),
        _ => newest(&digest.listed_ids().take(1000).collect::<Vec<_>>()),
    }
}

/// `feeds.opml`: the site's own feeds (the whole site's, then each topic's), as an OPML 2.0
/// outline that feed readers import in one go (template `feeds.opml`). Atom versions are
/// listed.
pub fn opml(
    tera: &tera::Tera,
    config: &SiteConfig,
    locale: &crate::render::Locale,
    digest: &Digest,
) -> anyhow::Result<String> {
    let outline = |title: &str, page: &str| {
        json!({"title": title, "atom": config.absolute_url(&format!("{page}atom.xml")),
               "home": config.absolute_url(page)})
    };
    let mut feeds = vec![outline(&config.title, "")];
    feeds.extend(
        extra_feeds(config, locale)
            .iter()
            .map(|(path, title)| outline(title, path)),
    );
    let topics: Vec<serde_json::Value> = digest
        .topics
        .iter()
        .map(|t| outline(&format!("{}: {}", config.title, t.name), &t.url_path))
        .collect();
    render_file(
        tera,
        "feeds.opml",
        json!({"site": {"title": config.title}, "feeds": feeds, "topics": topics}),
    )
}

/// `robots.txt` (template `robots.txt`): everything may be crawled; where the sitemap is.
pub fn robots(
    tera: &tera::Tera,
    config: &SiteConfig,
    sitemaps: &[String],
) -> anyhow::Result<String> {
    render_file(
        tera,
        "robots.txt",
        json!({"sitemap_url": config.absolute_url("sitemap.xml"), "sitemaps": sitemaps}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_splits_into_an_index_past_the_limit() {
        use crate::model::{Digest, Page, PageKind};
        let c = SiteConfig::parse("title = \"t\"\nbase_url = \"https://u.github.io/d/\"").unwrap();
        let page = |i: usize| Page {
            path: format!("p{i}/"),
            kind: PageKind::Topics,
            list: None,
        };
        // The built-in templates alone.
        let tera = crate::render::load_templates(Vec::new()).unwrap().tera;
        let one: Vec<Page> = (0..SITEMAP_LIMIT).map(page).collect();
        assert_eq!(
            sitemaps(&tera, &c, &Digest::default(), &one, &|_| None)
                .unwrap()
                .len(),
            1
        );
        let more: Vec<Page> = (0..SITEMAP_LIMIT + 1).map(page).collect();
        let files = sitemaps(&tera, &c, &Digest::default(), &more, &|_| None).unwrap();
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
        // The fingerprint names the same files.
        let (_, names) = sitemap_fingerprint(0, &Digest::default(), &more, &|_| None);
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let (_, names) = sitemap_fingerprint(0, &Digest::default(), &one, &|_| None);
        assert_eq!(names, ["sitemap.xml"]);
    }

    #[test]
    fn the_sitemap_fingerprint_follows_what_the_sitemap_shows() {
        use crate::model::{Digest, Page, PageKind};
        use crate::render::Translation;
        let pages = |paths: &[&str]| -> Vec<Page> {
            paths
                .iter()
                .map(|p| Page {
                    path: p.to_string(),
                    kind: PageKind::Topics,
                    list: None,
                })
                .collect()
        };
        let d = Digest::default();
        let f = |base: u64,
                 paths: &[&str],
                 tr: &dyn Fn(&str) -> Option<std::sync::Arc<[Translation]>>| {
            sitemap_fingerprint(base, &d, &pages(paths), tr).0
        };
        let none = |_: &str| None;
        let one = f(1, &["a/", "b/"], &none);
        assert_eq!(one, f(1, &["a/", "b/"], &none));
        assert_ne!(one, f(2, &["a/", "b/"], &none), "templates or site.toml");
        assert_ne!(one, f(1, &["a/", "c/"], &none), "an address");
        assert_ne!(one, f(1, &["a/"], &none), "a page fewer");
        // Not in the sitemap: the 404 page.
        assert_eq!(one, f(1, &["a/", "b/", "404.html"], &none));
        let korean = |path: &str| -> Option<std::sync::Arc<[Translation]>> {
            Some(
                vec![Translation {
                    lang: "ko".into(),
                    name: "한국어".into(),
                    url: format!("/ko/{path}"),
                    href: format!("https://example.org/ko/{path}"),
                    current: false,
                    default: false,
                }]
                .into(),
            )
        };
        assert_ne!(one, f(1, &["a/", "b/"], &korean), "translations");
    }
}
