//! Pages as HTML: loads the Tera templates (theme, then the site's overrides) and turns the
//! digest into the template views documented in docs/templates.md.

use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{Article, Digest, ListPage, Page, PageKind};
use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rayon::prelude::*;
use serde_json::{json, Value};

use std::sync::Arc;
use tera::Tera;

mod depth;
pub mod feed;
mod item;
pub mod search;
mod templates;

pub use item::Item;
use item::{item_value, to_value, ItemHtml, TopicLink};
pub use templates::{load_templates, minify, template_files};

/// Everything loaded and grouped, ready to render.
pub struct Site {
    pub config: crate::config::SiteConfig,
    pub digest: crate::model::Digest,
    pub html: Vec<ArticleHtml>,
    pub warnings: Vec<crate::problem::Problem>,
    /// The input hash of each article's Markdown (for the build cache).
    pub markdown_keys: Vec<u64>,
}

/// How many related articles an article page shows.
pub const RELATED: usize = 5;

/// Topic or outlet values in alphabetical order of their names (ignoring case), ties
/// broken by slug.
fn by_name(mut values: Vec<Value>) -> Vec<Value> {
    values.sort_by(|a, b| {
        let key = |v: &Value| v["name"].as_str().unwrap_or("").to_lowercase();
        key(a)
            .cmp(&key(b))
            .then_with(|| a["slug"].as_str().cmp(&b["slug"].as_str()))
    });
    values
}

/// How many articles of its story an article page lists on each side; the story's page
/// has them all (so a story of hundreds of articles keeps article pages small).
pub const STORY_NEIGHBOURS: usize = 5;

/// The story articles just before and just after the one at `at` in `list`.
fn story_neighbours(list: &[usize], at: usize) -> (&[usize], &[usize]) {
    let at = at.min(list.len().saturating_sub(1));
    let earlier = &list[at.saturating_sub(STORY_NEIGHBOURS)..at];
    let later = list.get(at + 1..).unwrap_or(&[]);
    (earlier, &later[..later.len().min(STORY_NEIGHBOURS)])
}

/// What lists need of an article's Markdown: its summary and length. (The body is
/// rendered only when its page or a feed entry is, so it is never held for every article.)
#[derive(Debug, Clone, Default)]
pub struct ArticleHtml {
    pub summary: String,
    /// The summary as plain text, for meta descriptions.
    pub summary_text: String,
    pub words: usize,
}

/// The link rewriting of one article: site links get the base path, relative links to
/// files and articles their URLs.
fn link_rewriter<'d>(
    config: &'d SiteConfig,
    digest: &'d Digest,
    article: &'d Article,
) -> impl Fn(&str) -> Option<String> + 'd {
    move |dest: &str| match digest.resolve_link(&article.rel, dest) {
        Ok(Some(path)) => Some(config.root_url(&path)),
        _ => None,
    }
}

/// Renders an article's summary and counts its words.
pub fn article_html(config: &SiteConfig, digest: &Digest, article: &Article) -> ArticleHtml {
    let link = link_rewriter(config, digest, article);
    let summary = match (&article.summary, &article.lead) {
        (Some(s), _) => markdown::render(s, markdown::RawHtml::Escape, &link),
        (None, Some(lead)) => markdown::render(
            lead,
            markdown::RawHtml::for_bodies(config.unsafe_html),
            &link,
        ),
        (None, None) => Default::default(),
    };
    ArticleHtml {
        summary: summary.html,
        summary_text: summary.text,
        words: article.words,
    }
}

/// Renders an article's body (`markdown`, its Markdown after the front matter).
pub fn body_html(
    config: &SiteConfig,
    digest: &Digest,
    article: &Article,
    markdown: &str,
) -> String {
    markdown::render_html(
        markdown,
        markdown::RawHtml::for_bodies(config.unsafe_html),
        &link_rewriter(config, digest, article),
    )
}

/// Where the renderer gets an article's Markdown body from (by article index).
pub type Bodies<'a> = &'a (dyn Fn(usize) -> Result<String> + Sync);

/// A hash of everything that goes into an article's rendered Markdown: its file, the
/// base path, and, when it has links that could point into the site, every article's and
/// file's URL (so moving a linked article re-renders the articles that link to it).
pub fn markdown_key(config: &SiteConfig, links: u64, article: &Article) -> u64 {
    let mut f = crate::util::hash::Fingerprint::new();
    f.add(article.source_hash)
        .add(&article.rel)
        .add(&config.base_path)
        .add(config.unsafe_html);
    if article.links_inside
        || article
            .summary
            .as_deref()
            .is_some_and(markdown::may_link_inside)
    {
        f.add(links);
    }
    f.finish()
}

/// A hash of every URL a link can resolve to.
pub fn link_map_fingerprint(digest: &Digest) -> u64 {
    let mut f = crate::util::hash::Fingerprint::new();
    for a in &digest.articles {
        f.add(&a.rel).add(&a.url_path);
    }
    for asset in &digest.assets {
        f.add(&asset.rel).add(&asset.out_path);
    }
    f.finish()
}

/// What the pages of one build are rendered with besides the site itself: the templates,
/// every article as a list item, and fingerprints of what pages are made of. `serve`
/// keeps it between rebuilds and updates only the articles whose Markdown changed.
pub struct Views {
    tera: Tera,
    site: Value,
    topic_links: Vec<Arc<TopicLink>>,
    /// Each article as a list item, built once and shared by every list that shows it.
    items: Arc<Vec<Arc<Item>>>,
    /// The `item_html` template function (when the theme has `item.html`).
    item_html: Option<ItemHtml>,
    /// Each article's place in its edition (the editor's order).
    place_in_edition: Vec<usize>,
    /// Each article's related articles ([`Digest::related`]), found once: every page
    /// fingerprint and article page needs them. (They depend only on front matter, so
    /// [`Views::update_article`] keeps them.)
    related: Vec<Box<[usize]>>,
    /// Each edition's note as HTML.
    notes: Vec<Option<String>>,
    /// Fingerprints of what pages are made of, so unchanged pages need not be rendered.
    site_hash: u64,
    structure_hash: u64,
    item_hash: Vec<u64>,
    body_hash: Vec<u64>,
}

impl Views {
    pub fn new(
        config: &SiteConfig,
        digest: &Digest,
        html: &[ArticleHtml],
        markdown_keys: &[u64],
        tera: Tera,
        template_hash: u64,
        serve: bool,
    ) -> Self {
        let latest = digest
            .editions
            .first()
            .map(|e| edition_value(config, e, None));
        let site = json!({
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "base_path": config.base_path,
            "language": config.language,
            "author": config.author,
            "extra": config.extra,
            "latest_edition": latest,
            "serve": serve,
        });
        let topic_links: Vec<Arc<TopicLink>> = digest
            .topics
            .iter()
            .map(|t| {
                Arc::new(TopicLink {
                    name: t.name.clone(),
                    slug: t.slug.clone(),
                    url: config.root_url(&t.url_path),
                })
            })
            .collect();
        let items: Vec<Arc<Item>> = digest
            .articles
            .par_iter()
            .zip(html)
            .map(|(a, h)| Arc::new(item_value(config, digest, &topic_links, a, h)))
            .collect();
        let items = Arc::new(items);
        let mut tera = tera;
        // Each article's list item is rendered once per variant, then reused by every list.
        let item_html = tera
            .get_template_names()
            .any(|n| n == "item.html")
            .then(|| {
                let by_url = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item.url.clone(), i))
                    .collect();
                let memo = (0..items.len()).map(|_| Default::default()).collect();
                ItemHtml {
                    tera: Arc::new(tera.clone()),
                    items: items.clone(),
                    by_url: Arc::new(by_url),
                    memo: Arc::new(memo),
                }
            });
        if let Some(function) = &item_html {
            tera.register_function("item_html", function.clone());
        }
        let mut place_in_edition = vec![0; digest.articles.len()];
        for edition in &digest.editions {
            for (place, &i) in edition.articles.iter().enumerate() {
                place_in_edition[i] = place;
            }
        }
        let notes: Vec<Option<String>> = digest
            .editions
            .iter()
            .map(|e| e.note.as_deref().map(|note| note_html(config, note)))
            .collect();
        use crate::util::hash::Fingerprint;
        let site_hash = Fingerprint::new()
            .add(site.to_string())
            .add(&notes)
            .add(
                digest
                    .editions
                    .iter()
                    .map(|e| e.title.as_deref())
                    .collect::<Vec<_>>(),
            )
            .add(format!("{config:?}"))
            .add(template_hash)
            .finish();
        let mut structure = Fingerprint::new();
        for t in &digest.topics {
            structure.add(&t.name).add(&t.slug).add(t.articles.len());
        }
        for m in &digest.months {
            structure.add(m.year).add(m.month).add(m.articles.len());
        }
        structure.add(digest.editions.len());
        for e in &digest.editions {
            structure.add(e.day).add(e.articles.len());
        }
        for s in &digest.sources {
            structure
                .add(&s.name)
                .add(&s.slug)
                .add(s.articles.len())
                .add(&s.description)
                .add(&s.home);
        }
        let related = (0..digest.articles.len())
            .into_par_iter()
            // Boxed: exactly five numbers each (the list is collected in the place of a
            // longer one, whose room it would otherwise keep: 120 MB at 100k articles).
            .map(|i| digest.related(i, RELATED).into_boxed_slice())
            .collect();
        let mut views = Views {
            related,
            tera,
            site,
            topic_links,
            items,
            item_html,
            place_in_edition,
            notes,
            site_hash,
            structure_hash: structure.finish(),
            item_hash: Vec::new(),
            body_hash: Vec::new(),
        };
        views.item_hash = (0..digest.articles.len())
            .into_par_iter()
            .map(|i| views.item_fingerprint(digest, i))
            .collect();
        views.body_hash = (0..digest.articles.len())
            .map(|i| body_fingerprint(digest, markdown_keys, i))
            .collect();
        views
    }

    fn item_fingerprint(&self, digest: &Digest, i: usize) -> u64 {
        crate::util::hash::Fingerprint::new()
            .add(serde_json::to_string(&*self.items[i]).unwrap_or_default())
            .add(digest.editions[digest.articles[i].edition].number)
            .add(self.place_in_edition[i])
            .finish()
    }

    /// Takes in article `i` after its Markdown changed but not its front matter (so it is
    /// in the same place in every list): its list item and fingerprints are made again.
    pub fn update_article(
        &mut self,
        config: &SiteConfig,
        digest: &Digest,
        html: &[ArticleHtml],
        markdown_keys: &[u64],
        i: usize,
    ) {
        let item = item_value(
            config,
            digest,
            &self.topic_links,
            &digest.articles[i],
            &html[i],
        );
        if let Some(old) = &self.item_html {
            let function = old.with_item(i, item);
            self.items = function.items.clone();
            self.tera.register_function("item_html", function.clone());
            self.item_html = Some(function);
        } else {
            let mut items = (*self.items).clone();
            items[i] = Arc::new(item);
            self.items = Arc::new(items);
        }
        self.item_hash[i] = self.item_fingerprint(digest, i);
        self.body_hash[i] = body_fingerprint(digest, markdown_keys, i);
    }
}

/// An article's body HTML is a function of its Markdown's key (and its update time).
fn body_fingerprint(digest: &Digest, markdown_keys: &[u64], i: usize) -> u64 {
    crate::util::hash::fingerprint((markdown_keys.get(i), digest.articles[i].updated))
}

/// Everything needed to render any page of one build.
pub struct Renderer<'a> {
    pub config: &'a SiteConfig,
    pub digest: &'a Digest,
    pub html: &'a [ArticleHtml],
    bodies: Bodies<'a>,
    views: &'a Views,
}

impl<'a> Renderer<'a> {
    pub fn new(
        config: &'a SiteConfig,
        digest: &'a Digest,
        html: &'a [ArticleHtml],
        bodies: Bodies<'a>,
        views: &'a Views,
    ) -> Self {
        Renderer {
            config,
            digest,
            html,
            bodies,
            views,
        }
    }

    /// A fingerprint of everything page `page` is rendered from: two equal fingerprints
    /// mean identical HTML, so the page need not be rendered again. Keep it in step with
    /// `context` (the test `incremental builds equal clean builds` checks that).
    pub fn fingerprint(&self, page: &Page) -> u64 {
        let d = self.digest;
        let mut f = crate::util::hash::Fingerprint::new();
        f.add(self.views.site_hash).add(&page.path);
        match page.kind {
            PageKind::Index => f.add(0u8),
            PageKind::Article(i) => {
                f.add(1u8)
                    .add(self.views.item_hash[i])
                    .add(self.views.body_hash[i]);
                f.add(self.views.item_hash.get(i + 1))
                    .add(i.checked_sub(1).map(|j| self.views.item_hash[j]));
                for &j in &self.views.related[i] {
                    f.add(self.views.item_hash[j]);
                }
                if let Some(s) = d.articles[i].story {
                    let list = &d.stories[s].articles;
                    let at = list.iter().position(|&j| j == i).unwrap_or(0);
                    let (earlier, later) = story_neighbours(list, at);
                    f.add(&d.stories[s].name)
                        .add(&d.stories[s].slug)
                        .add(list.len());
                    for &j in earlier.iter().chain(later) {
                        f.add(self.views.item_hash[j]);
                    }
                }
                &mut f
            }
            PageKind::Day(i) => {
                f.add(2u8).add(d.editions[i].number).add(d.editions[i].day);
                for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    f.add(d.editions.get(j).map(|e| (&e.url_path, e.day, &e.title)));
                }
                &mut f
            }
            PageKind::Editions => f.add(12u8).add(self.views.structure_hash),
            PageKind::Search => f.add(13u8),
            PageKind::Month(i) => f.add(3u8).add(d.months[i].year).add(d.months[i].month),
            PageKind::Year(i) => {
                f.add(4u8).add(d.years[i].year);
                for &m in &d.years[i].months {
                    f.add(d.months[m].month).add(d.months[m].articles.len());
                }
                &mut f
            }
            PageKind::Topic(i) => f.add(5u8).add(&d.topics[i].name).add(&d.topics[i].slug),
            PageKind::Topics => f.add(6u8).add(self.views.structure_hash),
            PageKind::Source(i) => {
                let s = &d.sources[i];
                f.add(9u8)
                    .add(&s.name)
                    .add(&s.slug)
                    .add(&s.description)
                    .add(&s.home)
            }
            PageKind::Sources => f.add(10u8).add(self.views.structure_hash),
            PageKind::Story(i) => {
                let s = &d.stories[i];
                f.add(11u8).add(&s.name).add(&s.slug);
                for &j in &s.articles {
                    f.add(self.views.item_hash[j]);
                }
                &mut f
            }
            PageKind::Archive => f.add(7u8).add(self.views.structure_hash),
            PageKind::NotFound => f.add(8u8),
        };
        if let Some(list) = &page.list {
            f.add(list.current).add(list.total).add(list.count);
            for &i in &list.articles {
                f.add(self.views.item_hash[i]);
            }
        }
        f.finish()
    }

    /// The site's templates (for feeds and the other files for machines).
    pub fn templates(&self) -> &Tera {
        &self.views.tera
    }

    /// An article's body as Markdown, as its file has it.
    pub fn markdown(&self, i: usize) -> Result<String> {
        (self.bodies)(i)
    }

    /// An article's body as HTML.
    pub fn body(&self, i: usize) -> Result<String> {
        let a = &self.digest.articles[i];
        Ok(body_html(self.config, self.digest, a, &(self.bodies)(i)?))
    }

    /// An article's body as HTML, and its text for the search index.
    fn body_and_text(&self, i: usize) -> Result<(String, String)> {
        let a = &self.digest.articles[i];
        Ok(markdown::render_html_and_text(
            &(self.bodies)(i)?,
            markdown::RawHtml::for_bodies(self.config.unsafe_html),
            &link_rewriter(self.config, self.digest, a),
        ))
    }

    /// A fingerprint of everything a feed is made from.
    pub fn feed_fingerprint(&self, title: &str, page_path: &str, articles: &[usize]) -> u64 {
        let mut f = crate::util::hash::Fingerprint::new();
        f.add(self.views.site_hash).add(title).add(page_path);
        for &i in articles {
            f.add(self.views.item_hash[i]).add(self.views.body_hash[i]);
        }
        f.finish()
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: &Page) -> Result<String> {
        Ok(self.render_with_text(page, false)?.0)
    }

    /// Renders one page to HTML; for an article page, with `want_text`, also gives its
    /// body's text for the search index (made in the same pass as its HTML).
    pub fn render_with_text(
        &self,
        page: &Page,
        want_text: bool,
    ) -> Result<(String, Option<String>)> {
        let (template, context, text) = self.context(page, want_text)?;
        depth::reset();
        let html = self
            .views
            .tera
            .render(template, &context)
            .with_context(|| match page.kind {
                PageKind::Article(i) => format!(
                    "could not render {} with template `{template}`",
                    self.digest.articles[i].path
                ),
                _ => format!("could not render /{} with template `{template}`", page.path),
            })?;
        let html = if self.config.minify {
            minify(&html)
        } else {
            html
        };
        Ok((html, text))
    }

    /// The `page` variable: what the page is, its URLs, and what search engines, social
    /// cards and feed readers read from its `<head>`.
    fn page_value(&self, page: &Page, kind: &str, title: String, description: String) -> Value {
        let c = self.config;
        let d = self.digest;
        let url = c.absolute_url(&page.path);
        let feed_links = |path: &str, title: &str| {
            vec![
                json!({"type": "application/atom+xml", "title": format!("{title} (Atom)"), "url": c.root_url(&format!("{path}atom.xml"))}),
                json!({"type": "application/rss+xml", "title": format!("{title} (RSS)"), "url": c.root_url(&format!("{path}rss.xml"))}),
                json!({"type": "application/feed+json", "title": format!("{title} (JSON Feed)"), "url": c.root_url(&format!("{path}feed.json"))}),
            ]
        };
        let mut feeds = Vec::new();
        if let PageKind::Topic(t) = page.kind {
            feeds.extend(feed_links(
                &d.topics[t].url_path,
                &format!("{}: {}", c.title, d.topics[t].name),
            ));
        }
        feeds.extend(feed_links("", &c.title));
        if matches!(
            page.kind,
            PageKind::Index | PageKind::Day(_) | PageKind::Editions
        ) {
            feeds.extend(feed_links("editions/", &format!("{}: editions", c.title)));
        }

        let mut value = json!({
            "kind": kind,
            "title": title,
            "url": url,
            "path": c.root_url(&page.path),
            "description": description,
            "feeds": feeds,
            "og_type": "website",
            "image": null,
            "published": null,
            "modified": null,
            "tags": [],
        });
        let origin = crate::config::origin(c);
        let ld = if let PageKind::Article(i) = page.kind {
            let a = &d.articles[i];
            let item = &self.views.items[i];
            let image = item
                .image
                .as_ref()
                .map(|image| image.src.as_str())
                .map(|src| {
                    if src.starts_with('/') {
                        format!("{origin}{src}")
                    } else {
                        src.to_string()
                    }
                });
            let tags: Vec<&str> = a
                .topics
                .iter()
                .map(|&t| d.topics[t].name.as_str())
                .collect();
            let modified = a.updated.unwrap_or(a.date).to_rfc3339();
            value["og_type"] = json!("article");
            value["image"] = json!(image);
            value["published"] = json!(a.date.to_rfc3339());
            value["modified"] = json!(modified);
            value["tags"] = json!(tags);
            let mut ld = json!({
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": a.title,
                "description": value["description"],
                "url": url,
                "mainEntityOfPage": url,
                "datePublished": a.date.to_rfc3339(),
                "dateModified": modified,
                "publisher": {"@type": "Organization", "name": c.title, "url": c.base_url},
                "keywords": tags,
            });
            if let Some(name) = item.author.as_deref() {
                ld["author"] = json!({"@type": "Person", "name": name});
            }
            if let Some(image) = image {
                ld["image"] = json!([image]);
            }
            if let Some(section) = tags.first() {
                ld["articleSection"] = json!(section);
            }
            if let Some(source) = &a.source {
                ld["isBasedOn"] = json!(source.url);
            }
            ld
        } else {
            let kind = if page.kind == PageKind::Index {
                "WebSite"
            } else {
                "CollectionPage"
            };
            json!({"@context": "https://schema.org", "@type": kind, "name": value["title"], "description": value["description"], "url": url})
        };
        value["json_ld"] = json!(markdown::html_safe_json(
            &serde_json::to_string(&ld).unwrap_or_default()
        ));
        value
    }

    fn context(
        &self,
        page: &Page,
        want_text: bool,
    ) -> Result<(&'static str, tera::Context, Option<String>)> {
        let mut text = None;
        let c = self.config;
        let d = self.digest;
        let mut ctx = serde_json::Map::new();
        ctx.insert("site".into(), self.views.site.clone());
        let suffix = match &page.list {
            Some(l) if l.current > 1 => format!(" (page {} of {})", l.current, l.total),
            _ => String::new(),
        };
        let titled = |t: &str| format!("{t}{suffix} — {}", c.title);
        let plural = |n: usize| {
            if n == 1 {
                "1 article".to_string()
            } else {
                format!("{n} articles")
            }
        };
        let template = match page.kind {
            PageKind::Index => {
                let title = if suffix.is_empty() {
                    c.title.clone()
                } else {
                    format!("{}{suffix}", c.title)
                };
                let desc = if c.description.is_empty() {
                    c.title.clone()
                } else {
                    c.description.clone()
                };
                ctx.insert("page".into(), self.page_value(page, "index", title, desc));
                "index.html"
            }
            PageKind::Article(i) => {
                let a = &d.articles[i];
                let mut article = to_value(&self.views.items[i]);
                let body = if want_text {
                    let (html, body_text) = self.body_and_text(i)?;
                    text = Some(body_text);
                    html
                } else {
                    self.body(i)?
                };
                article["body"] = Value::String(body);
                article["updated_iso"] = json!(a.updated.map(|u| u.to_rfc3339()));
                article["updated_long"] = json!(a.updated.map(|u| long_date(local_date(c, u))));
                ctx.insert("article".into(), article);
                // The list is newest first: the previous (older) article comes after.
                ctx.insert(
                    "previous".into(),
                    self.views
                        .items
                        .get(i + 1)
                        .map(|x| to_value(x))
                        .unwrap_or(Value::Null),
                );
                ctx.insert(
                    "next".into(),
                    i.checked_sub(1)
                        .and_then(|j| self.views.items.get(j))
                        .map(|x| to_value(x))
                        .unwrap_or(Value::Null),
                );
                let related: Vec<Value> = self.views.related[i]
                    .iter()
                    .map(|&j| to_value(&self.views.items[j]))
                    .collect();
                ctx.insert("related".into(), Value::Array(related));
                let story = a.story.map(|s| {
                    let list = &d.stories[s].articles;
                    let at = list.iter().position(|&j| j == i).unwrap_or(0);
                    let items = |js: &[usize]| -> Vec<Value> {
                        js.iter().map(|&j| to_value(&self.views.items[j])).collect()
                    };
                    let (earlier, later) = story_neighbours(list, at);
                    let mut story = self.story_value(s);
                    story["earlier"] = json!(items(earlier));
                    story["later"] = json!(items(later));
                    story
                });
                ctx.insert("story".into(), json!(story));
                let desc = self.html[i].summary_text.clone();
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "article", format!("{} — {}", a.title, c.title), desc),
                );
                "article.html"
            }
            PageKind::Day(i) => {
                let e = &d.editions[i];
                let heading = edition_long(e);
                ctx.insert("edition".into(), self.edition_value(i));
                // Editions are newest first: the previous (older) one comes after.
                let neighbour = |j: Option<usize>| {
                    j.filter(|&j| j < d.editions.len())
                        .map(|j| edition_value(c, &d.editions[j], None))
                };
                ctx.insert("previous_edition".into(), json!(neighbour(Some(i + 1))));
                ctx.insert("next_edition".into(), json!(neighbour(i.checked_sub(1))));
                let desc = format!(
                    "Edition {}: {} from {}",
                    e.number,
                    plural(e.articles.len()),
                    heading
                );
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "day", titled(&heading), desc),
                );
                ctx.insert("heading".into(), Value::String(heading));
                "day.html"
            }
            PageKind::Month(i) => {
                let m = &d.months[i];
                let heading = month_name(m.year, m.month);
                let desc = format!("{} from {heading}", plural(m.articles.len()));
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "month", titled(&heading), desc),
                );
                ctx.insert("heading".into(), Value::String(heading));
                "month.html"
            }
            PageKind::Year(i) => {
                let y = &d.years[i];
                let heading = y.year.to_string();
                let months: Vec<Value> = y.months.iter().map(|&m| self.month_value(m)).collect();
                ctx.insert("months".into(), Value::Array(months));
                let desc = format!("{} from {heading}", plural(y.articles.len()));
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "year", titled(&heading), desc),
                );
                ctx.insert("heading".into(), Value::String(heading));
                "year.html"
            }
            PageKind::Topic(i) => {
                let t = &d.topics[i];
                ctx.insert("topic".into(), self.topic_value(i));
                let desc = format!("{} about {}", plural(t.articles.len()), t.name);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "topic", titled(&t.name), desc),
                );
                ctx.insert("heading".into(), Value::String(t.name.clone()));
                "topic.html"
            }
            PageKind::Topics => {
                let topics = (0..d.topics.len()).map(|i| self.topic_value(i));
                ctx.insert("topics".into(), Value::Array(by_name(topics.collect())));
                let desc = format!("All {} topics of {}", d.topics.len(), c.title);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "topics", titled("Topics"), desc),
                );
                "topics.html"
            }
            PageKind::Source(i) => {
                let s = &d.sources[i];
                ctx.insert("source".into(), self.source_value(i));
                let desc = match &s.description {
                    Some(text) => text.clone(),
                    None => format!("{} citing {}", plural(s.articles.len()), s.name),
                };
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "source", titled(&s.name), desc),
                );
                ctx.insert("heading".into(), Value::String(s.name.clone()));
                "source.html"
            }
            PageKind::Sources => {
                let sources = (0..d.sources.len()).map(|i| self.source_value(i));
                ctx.insert("sources".into(), Value::Array(by_name(sources.collect())));
                let desc = format!("The {} outlets {} cites", d.sources.len(), c.title);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "sources", titled("Sources"), desc),
                );
                "sources.html"
            }
            PageKind::Story(i) => {
                let s = &d.stories[i];
                let items: Vec<Value> = s
                    .articles
                    .iter()
                    .map(|&j| to_value(&self.views.items[j]))
                    .collect();
                ctx.insert("story".into(), self.story_value(i));
                ctx.insert("items".into(), Value::Array(items));
                let first = &d.articles[s.articles[0]];
                let desc = format!(
                    "The story so far: {} since {}",
                    plural(s.articles.len()),
                    long_date(first.day())
                );
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "story", titled(&s.name), desc),
                );
                ctx.insert("heading".into(), Value::String(s.name.clone()));
                "story.html"
            }
            PageKind::Search => {
                let desc = format!("Search the articles of {}", c.title);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "search", titled("Search"), desc),
                );
                "search.html"
            }
            PageKind::Editions => {
                let all: Vec<Value> = (0..d.editions.len())
                    .map(|i| {
                        let mut e = edition_value(c, &d.editions[i], None);
                        e["count"] = json!(d.editions[i].articles.len());
                        e
                    })
                    .collect();
                ctx.insert("all_editions".into(), Value::Array(all));
                let desc = format!("All {} editions of {}", d.editions.len(), c.title);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "editions", titled("Editions"), desc),
                );
                "editions.html"
            }
            PageKind::Archive => {
                let years: Vec<Value> = d
                    .years
                    .iter()
                    .map(|y| {
                        let months: Vec<Value> = y.months.iter().map(|&m| self.month_value(m)).collect();
                        json!({"year": y.year, "url": c.root_url(&y.url_path), "count": y.articles.len(), "months": months})
                    })
                    .collect();
                ctx.insert("years".into(), Value::Array(years));
                let desc = format!("Every edition of {}, by year and month", c.title);
                ctx.insert(
                    "page".into(),
                    self.page_value(page, "archive", titled("Archive"), desc),
                );
                "archive.html"
            }
            PageKind::NotFound => {
                ctx.insert(
                    "page".into(),
                    self.page_value(
                        page,
                        "404",
                        titled("Page not found"),
                        "This page does not exist.".into(),
                    ),
                );
                "404.html"
            }
        };
        if let Some(list) = &page.list {
            ctx.insert(
                "editions".into(),
                Value::Array(self.group_by_day(&list.articles)),
            );
            ctx.insert("paginator".into(), self.paginator(list));
            ctx.insert("count".into(), json!(list.count));
        }
        Ok((
            template,
            tera::Context::from_value(Value::Object(ctx)).unwrap_or_default(),
            text,
        ))
    }

    fn topic_value(&self, i: usize) -> Value {
        let t = &self.digest.topics[i];
        json!({"name": t.name, "slug": t.slug, "url": self.config.root_url(&t.url_path), "count": t.articles.len()})
    }

    fn story_value(&self, i: usize) -> Value {
        let s = &self.digest.stories[i];
        json!({"name": s.name, "slug": s.slug, "url": self.config.root_url(&s.url_path), "count": s.articles.len()})
    }

    fn source_value(&self, i: usize) -> Value {
        let s = &self.digest.sources[i];
        json!({"name": s.name, "slug": s.slug, "url": self.config.root_url(&s.url_path), "count": s.articles.len(),
               "description": s.description, "home": s.home})
    }

    fn month_value(&self, i: usize) -> Value {
        let m = &self.digest.months[i];
        let name = NaiveDate::from_ymd_opt(m.year, m.month, 1)
            .map(|d| d.format("%B").to_string())
            .unwrap_or_default();
        json!({"name": name, "number": m.month, "url": self.config.root_url(&m.url_path), "count": m.articles.len()})
    }

    /// An edition as templates see it, with its note as HTML.
    fn edition_value(&self, i: usize) -> Value {
        edition_value(
            self.config,
            &self.digest.editions[i],
            self.views.notes[i].as_deref(),
        )
    }

    /// This page's articles grouped by edition, in list order; inside an edition, in the
    /// edition's order (the editor's `order`, then newest first).
    fn group_by_day(&self, articles: &[usize]) -> Vec<Value> {
        let d = self.digest;
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for &i in articles {
            let e = d.articles[i].edition;
            match groups.last_mut() {
                Some((last, list)) if *last == e => list.push(i),
                _ => groups.push((e, vec![i])),
            }
        }
        groups
            .into_iter()
            .map(|(e, mut list)| {
                list.sort_by_key(|&i| self.views.place_in_edition[i]);
                let mut group = self.edition_value(e);
                group["items"] = list
                    .iter()
                    .map(|&i| to_value(&self.views.items[i]))
                    .collect();
                group
            })
            .collect()
    }

    /// The paginator: previous and next, and the page numbers worth showing (the first,
    /// the last, two either side of the current one) with gaps between them, so its size
    /// does not grow with the number of pages.
    fn paginator(&self, list: &ListPage) -> Value {
        let url = |n: usize| self.config.root_url(&list.path_of(n));
        let mut pages: Vec<Value> = Vec::new();
        let mut last_shown = 0;
        for n in 1..=list.total {
            let shown = n == 1 || n == list.total || n.abs_diff(list.current) <= 2;
            if !shown {
                continue;
            }
            if n > last_shown + 1 {
                pages.push(json!({"gap": true}));
            }
            pages.push(
                json!({"number": n, "url": url(n), "current": n == list.current, "gap": false}),
            );
            last_shown = n;
        }
        json!({
            "current": list.current,
            "total": list.total,
            "previous": (list.current > 1).then(|| url(list.current - 1)),
            "next": (list.current < list.total).then(|| url(list.current + 1)),
            "pages": pages,
        })
    }
}

/// An edition for templates: `{date_iso, date_long, url, number, title, note, weekly,
/// last_date_iso}` (`note` is the editor's note as HTML, or null).
fn edition_value(c: &SiteConfig, e: &crate::model::Edition, note: Option<&str>) -> Value {
    json!({
        "date_iso": e.day.format("%Y-%m-%d").to_string(),
        "last_date_iso": e.last_day.format("%Y-%m-%d").to_string(),
        "date_long": edition_long(e),
        "url": c.root_url(&e.url_path),
        "number": e.number,
        "weekly": e.week.is_some(),
        "title": e.title,
        "note": note,
    })
}

/// "Wednesday, 15 August 2018", or for a weekly edition "Week 33, 2018: 13–19 August".
pub fn edition_long(e: &crate::model::Edition) -> String {
    match e.week {
        None => long_date(e.day),
        Some((year, week)) => {
            let (first, last) = (e.day, e.last_day);
            let span = if first.month() == last.month() {
                format!("{}–{}", first.format("%-d"), last.format("%-d %B"))
            } else {
                format!("{} – {}", first.format("%-d %B"), last.format("%-d %B"))
            };
            format!("Week {week}, {year}: {span}")
        }
    }
}

/// An editor's note as HTML: Markdown, with site links (`/2018/08/15/…`) under the base path.
pub fn note_html(c: &SiteConfig, note: &str) -> String {
    markdown::render_html(
        note,
        markdown::RawHtml::for_bodies(c.unsafe_html),
        &|dest: &str| {
            dest.strip_prefix('/')
                .filter(|rest| !rest.starts_with('/'))
                .map(|rest| c.root_url(rest))
        },
    )
}

/// "Wednesday, 15 August 2018".
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A, %-d %B %Y").to_string()
}

fn month_name(year: i32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}

fn local_date(c: &SiteConfig, t: DateTime<FixedOffset>) -> NaiveDate {
    t.with_timezone(&c.timezone).date_naive()
}
