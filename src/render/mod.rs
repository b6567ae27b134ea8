//! Pages as HTML: loads the Tera templates (theme, then the site's overrides) and turns the
//! digest into the template views documented in docs/templates.md.

use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{Article, ArticleId, Digest, Page, PageKind};
use anyhow::Result;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rayon::prelude::*;
use serde_json::{json, Value};

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tera::Tera;

mod depth;
pub mod feed;
mod item;
pub mod languages;
pub mod locale;
mod page;
pub mod pictures;
pub mod search;
mod sitemap;
mod templates;

pub use item::Item;
use item::{item_value, ItemHtml, TopicLink};
pub use languages::{Languages, Translation};
pub use locale::Locale;
pub use page::PageInputs;
pub use templates::{load_templates, minify, tidy, TemplateFiles, Templates};

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
pub const RELATED: usize = 3;

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
fn story_neighbours(list: &[ArticleId], at: usize) -> (&[ArticleId], &[ArticleId]) {
    let at = at.min(list.len().saturating_sub(1));
    let earlier = &list[at.saturating_sub(STORY_NEIGHBOURS)..at];
    let later = list.get(at + 1..).unwrap_or(&[]);
    (earlier, &later[..later.len().min(STORY_NEIGHBOURS)])
}

/// An article's related articles, leaving out those its page already lists in the story
/// thread ("Earlier in this story", "Later").
fn related_besides_thread(digest: &Digest, i: ArticleId) -> Vec<ArticleId> {
    let wanted = RELATED + 2 * STORY_NEIGHBOURS;
    let related = digest.related(i, wanted);
    let Some(s) = digest[i].story else {
        return related.into_iter().take(RELATED).collect();
    };
    let list = &digest[s].articles;
    let at = list.iter().position(|&j| j == i).unwrap_or(0);
    let (earlier, later) = story_neighbours(list, at);
    related
        .into_iter()
        .filter(|j| !earlier.contains(j) && !later.contains(j))
        .take(RELATED)
        .collect()
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

/// Everything an article's rendered Markdown (its summary and its body) is made from: its
/// markdown key is the hash of this value, and its HTML is made from this value alone, so
/// the key cannot miss an input.
pub struct MarkdownInputs<'a> {
    pub config: &'a SiteConfig,
    pub digest: &'a Digest,
    pub article: &'a Article,
    /// [`link_map_fingerprint`] of `digest`: every URL a link can resolve to.
    pub links: u64,
}

impl Hash for MarkdownInputs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The file (its bytes, and where it is, which relative links start from), how
        // site links are written and raw HTML is kept, and, when the article has links
        // that could point into the site, every article's and file's URL (so moving a
        // linked article renders the articles that link to it again).
        let a = self.article;
        a.source_hash.hash(state);
        a.rel.hash(state);
        self.config.base_path.hash(state);
        // (`{{ site.url }}` in imported posts becomes the site's address.)
        self.config.base_url.hash(state);
        self.config.unsafe_html.hash(state);
        if a.links_inside || a.summary.as_deref().is_some_and(markdown::may_link_inside) {
            self.links.hash(state);
        }
        // The published versions of its photos (their names hold the photo's hash), and
        // whether a lead photo comes first (which makes every body image lazy).
        a.image.is_some().hash(state);
        for (_, dest) in &a.body_images {
            pictures::published(self.digest, a, dest).hash(state);
        }
        // (A link to a photo leads to its widest version, whose name holds its hash.)
        for (_, dest, _) in a.site_links.iter().filter(|l| !l.2) {
            pictures::published(self.digest, a, dest).hash(state);
        }
    }
}

impl MarkdownInputs<'_> {
    /// The hash of these inputs, under which the build cache keeps the summary.
    pub fn key(&self) -> u64 {
        crate::util::hash::fingerprint(self)
    }

    /// The link rewriting of the article: site links get the base path, relative links to
    /// files and articles their URLs.
    fn link(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |dest: &str| match self.digest.resolve_link(&self.article.rel, dest) {
            Ok(Some(path)) => {
                let path = crate::model::images::linked_version(self.digest, &path).unwrap_or(path);
                Some(self.config.root_url(&path))
            }
            _ => None,
        }
    }

    /// The summary as HTML and text, and the word count.
    pub fn summary(&self) -> ArticleHtml {
        let (a, link) = (self.article, self.link());
        let summary = match (&a.summary, &a.lead) {
            (Some(s), _) => markdown::render(s, markdown::RawHtml::Escape, &link),
            (None, Some(lead)) => markdown::render(
                lead,
                markdown::RawHtml::for_bodies(self.config.unsafe_html),
                &link,
            ),
            (None, None) => Default::default(),
        };
        ArticleHtml {
            summary: summary.html,
            summary_text: summary.text,
            words: a.words,
        }
    }

    /// The `<picture>` of each published photo of the page: all lazy but the lead one
    /// (the front matter's image, else the body's first).
    fn pictures(&self) -> impl Fn(&str, usize) -> Option<markdown::Picture> + '_ {
        move |dest: &str, index: usize| {
            let published = pictures::published(self.digest, self.article, dest)?;
            let lazy = self.article.image.is_some() || index > 0;
            Some(pictures::markup(self.config, published, lazy))
        }
    }

    /// The body (`markdown`, the article's Markdown after its front matter) as HTML.
    pub fn body(&self, markdown: &str) -> String {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        markdown::render_html_with_pictures(markdown, raw, &self.link(), &self.pictures())
    }

    /// The body as a feed entry carries it: each published photo as one `<img>` of its
    /// shared version.
    pub fn feed_body(&self, markdown: &str) -> String {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        let feed = |dest: &str, _| {
            let published = pictures::published(self.digest, self.article, dest)?;
            Some(pictures::feed_markup(self.config, published))
        };
        markdown::render_html_with_pictures(markdown, raw, &self.link(), &feed)
    }

    /// The body as HTML, and its text for the search index, in one pass.
    pub fn body_and_text(&self, markdown: &str) -> (String, String) {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        markdown::render_html_and_text_with_pictures(markdown, raw, &self.link(), &self.pictures())
    }
}

/// Where the renderer gets an article's Markdown body from.
pub type Bodies<'a> = &'a (dyn Fn(ArticleId) -> Result<String> + Sync);

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

/// What a tree's views are made from: its site, and what it knows of the other languages.
pub struct ViewInputs<'a> {
    pub config: &'a SiteConfig,
    pub digest: &'a Digest,
    pub html: &'a [ArticleHtml],
    pub markdown_keys: &'a [u64],
    pub languages: Languages,
}

/// What the pages of one build are rendered with besides the site itself: the templates,
/// every article as a list item, and fingerprints of what pages are made of. `serve`
/// keeps it between rebuilds and updates only the articles whose Markdown changed.
pub struct Views {
    tera: Tera,
    /// The templates' files and text, to place a render error.
    template_files: TemplateFiles,
    /// The language of the pages: the theme's words and how dates are written.
    locale: Arc<Locale>,
    /// The site's other languages: which pages they translate.
    languages: Languages,
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
    related: Vec<Box<[ArticleId]>>,
    /// Each edition's note as HTML.
    notes: Vec<Option<String>>,
    /// Fingerprints of what pages are made of, so unchanged pages need not be rendered.
    site_hash: u64,
    item_hash: Vec<u64>,
    body_hash: Vec<u64>,
    /// [`link_map_fingerprint`] of the digest.
    links: u64,
    /// What pages show of each edition, topic, outlet, story and month, hashed.
    edition_hash: Vec<u64>,
    topic_hash: Vec<u64>,
    source_hash: Vec<u64>,
    story_hash: Vec<u64>,
    month_hash: Vec<u64>,
}

impl Views {
    /// The language of the pages.
    pub fn locale(&self) -> &Locale {
        &self.locale
    }

    /// The page at `path` in every language that has it (`None` when only this one does).
    pub fn translations(&self, path: &str) -> Option<Arc<[Translation]>> {
        self.languages.of_page(path)
    }

    /// The language switch of the page at `path` with `translations`: each language's
    /// version of the page (this one for its own language), else that language's front
    /// page (empty in a site in one language).
    pub fn switch(
        &self,
        config: &SiteConfig,
        path: &str,
        translations: &[Translation],
    ) -> Vec<Translation> {
        let fronts = &self.languages.fronts;
        fronts
            .iter()
            .map(
                |front| match translations.iter().find(|t| t.lang == front.lang) {
                    Some(t) => t.clone(),
                    None if front.current => Translation {
                        url: config.root_url(path),
                        href: config.absolute_url(path),
                        ..front.clone()
                    },
                    None => front.clone(),
                },
            )
            .collect()
    }

    pub fn new(inputs: ViewInputs, templates: Templates, locale: Arc<Locale>, serve: bool) -> Self {
        let ViewInputs {
            config,
            digest,
            html,
            markdown_keys,
            languages,
        } = inputs;
        let Templates {
            tera,
            hash: template_hash,
            files: template_files,
        } = templates;
        let mut site = site_value(config, &locale, digest, serve);
        site["languages"] = serde_json::to_value(&languages.fronts).unwrap_or_default();
        let topic_links = topic_links(config, digest);
        let items: Vec<Arc<Item>> = digest
            .articles
            .par_iter()
            .zip(html)
            .map(|(a, h)| Arc::new(item_value(config, &locale, digest, &topic_links, a, h)))
            .collect();
        let items = Arc::new(items);
        let mut tera = tera;
        locale.register(&mut tera);
        // Each article's list item is rendered once per variant, then reused by every list.
        let item_html = item_html_function(&tera, &items);
        if let Some(function) = &item_html {
            tera.register_function("item_html", function.clone());
        }
        let mut place_in_edition = vec![0; digest.articles.len()];
        for edition in &digest.editions {
            for (place, &i) in edition.articles.iter().enumerate() {
                place_in_edition[i.index()] = place;
            }
        }
        let notes: Vec<Option<String>> = digest
            .editions
            .iter()
            .map(|e| e.note.as_deref().map(|note| note_html(config, note)))
            .collect();
        let site_hash = site_hash(
            config,
            digest,
            &site,
            &notes,
            template_hash ^ locale.fingerprint(),
        );
        let entities = page::EntityHashes::new(config, &locale, digest, &notes);
        let related = (0..digest.articles.len())
            .into_par_iter()
            .map(ArticleId::new)
            // Boxed: exactly five numbers each (the list is collected in the place of a
            // longer one, whose room it would otherwise keep: 120 MB at 100k articles).
            .map(|i| related_besides_thread(digest, i).into_boxed_slice())
            .collect();
        let mut views = Views {
            related,
            tera,
            template_files,
            locale,
            languages,
            site,
            topic_links,
            items,
            item_html,
            place_in_edition,
            notes,
            site_hash,
            item_hash: Vec::new(),
            body_hash: Vec::new(),
            links: link_map_fingerprint(digest),
            edition_hash: entities.edition,
            topic_hash: entities.topic,
            source_hash: entities.source,
            story_hash: entities.story,
            month_hash: entities.month,
        };
        views.hash_articles(digest, markdown_keys);
        views
    }

    /// Each article's item and body fingerprints.
    fn hash_articles(&mut self, digest: &Digest, markdown_keys: &[u64]) {
        self.item_hash = (0..digest.articles.len())
            .into_par_iter()
            .map(|i| self.item_fingerprint(digest, ArticleId::new(i)))
            .collect();
        self.body_hash = digest
            .article_ids()
            .map(|i| body_fingerprint(digest, markdown_keys, i))
            .collect();
    }

    fn item_fingerprint(&self, digest: &Digest, i: ArticleId) -> u64 {
        crate::util::hash::Fingerprint::new()
            .add(serde_json::to_string(&*self.items[i.index()]).unwrap_or_default())
            .add(digest[digest[i].edition].number)
            .add(self.place_in_edition[i.index()])
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
        i: ArticleId,
    ) {
        let item = item_value(
            config,
            &self.locale,
            digest,
            &self.topic_links,
            &digest[i],
            &html[i.index()],
        );
        if let Some(old) = &self.item_html {
            let function = old.with_item(i, item);
            self.items = function.items.clone();
            self.tera.register_function("item_html", function.clone());
            self.item_html = Some(function);
        } else {
            let mut items = (*self.items).clone();
            items[i.index()] = Arc::new(item);
            self.items = Arc::new(items);
        }
        self.item_hash[i.index()] = self.item_fingerprint(digest, i);
        self.body_hash[i.index()] = body_fingerprint(digest, markdown_keys, i);
    }
}

/// `site.colors` and `site.fonts`, which the newsletter's inline styles use: the theme's
/// accent and email-safe fonts, or the site's `[style]` ones.
pub fn look_values(config: &SiteConfig) -> (Value, Value) {
    let look = &config.look;
    let colors = json!({"accent": look.accent.as_deref().unwrap_or("#a4161a")});
    let fonts = json!({
        "headline": look.font_headline.as_deref().unwrap_or("Georgia,'Times New Roman',serif"),
        "body": look.font_body.as_deref().unwrap_or("Arial,Helvetica,sans-serif"),
    });
    (colors, fonts)
}

/// The `site` variable every template sees.
fn site_value(config: &SiteConfig, locale: &Locale, digest: &Digest, serve: bool) -> Value {
    let latest = digest
        .editions
        .first()
        .map(|e| edition_value(config, locale, e, None));
    let (colors, fonts) = look_values(config);
    json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "static_path": config.static_path,
        "language": config.language,
        "dir": locale.dir(),
        "author": config.author,
        "extra": config.extra,
        "style": config.look,
        "style_css": config.look.css(),
        "colors": colors,
        "fonts": fonts,
        "custom_css": config.custom_css,
        "latest_edition": latest,
        "serve": serve,
    })
}

/// Each topic as list items link to it, shared by every item.
fn topic_links(config: &SiteConfig, digest: &Digest) -> Vec<Arc<TopicLink>> {
    digest
        .topics
        .iter()
        .map(|t| {
            Arc::new(TopicLink {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: config.root_url(&t.url_path),
            })
        })
        .collect()
}

/// The `item_html` template function, when the theme has `item.html`.
fn item_html_function(tera: &Tera, items: &Arc<Vec<Arc<Item>>>) -> Option<ItemHtml> {
    tera.get_template_names()
        .any(|n| n == "item.html")
        .then(|| {
            let by_url = ArticleId::all(items.len())
                .zip(items.iter())
                .map(|(i, item)| (item.url.clone(), i))
                .collect();
            let memo = (0..items.len()).map(|_| Default::default()).collect();
            ItemHtml {
                tera: Arc::new(tera.clone()),
                items: items.clone(),
                by_url: Arc::new(by_url),
                memo: Arc::new(memo),
            }
        })
}

/// The hash of what every page sees: the config, the templates, the `site` variable,
/// editions' notes and titles.
fn site_hash(
    config: &SiteConfig,
    digest: &Digest,
    site: &Value,
    notes: &[Option<String>],
    template_hash: u64,
) -> u64 {
    let titles: Vec<Option<&str>> = digest.editions.iter().map(|e| e.title.as_deref()).collect();
    crate::util::hash::Fingerprint::new()
        .add(site.to_string())
        .add(notes)
        .add(titles)
        .add(format!("{config:?}"))
        .add(template_hash)
        .finish()
}

/// An article's body HTML is a function of its Markdown's key (and its update time).
fn body_fingerprint(digest: &Digest, markdown_keys: &[u64], i: ArticleId) -> u64 {
    crate::util::hash::fingerprint((markdown_keys.get(i.index()), digest[i].updated))
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

    /// The language of the pages.
    pub fn locale(&self) -> &Locale {
        &self.views.locale
    }

    /// The page at `path` in every language that has it (`None` when only this one does).
    pub fn translations(&self, path: &str) -> Option<Arc<[Translation]>> {
        self.views.translations(path)
    }

    /// The site's templates (for feeds and the other files for machines).
    pub fn templates(&self) -> &Tera {
        &self.views.tera
    }

    /// An article's body as Markdown, as its file has it.
    pub fn markdown(&self, i: ArticleId) -> Result<String> {
        (self.bodies)(i)
    }

    /// An article's body as HTML.
    pub fn body(&self, i: ArticleId) -> Result<String> {
        Ok(self.markdown_inputs(i).body(&(self.bodies)(i)?))
    }

    /// Article `i`'s body as its feed entries carry it.
    pub fn feed_body(&self, i: ArticleId) -> Result<String> {
        Ok(self.markdown_inputs(i).feed_body(&(self.bodies)(i)?))
    }

    /// An article's body as HTML, and its text for the search index.
    fn body_and_text(&self, i: ArticleId) -> Result<(String, String)> {
        Ok(self.markdown_inputs(i).body_and_text(&(self.bodies)(i)?))
    }

    /// What article `i`'s rendered Markdown is made from.
    fn markdown_inputs(&self, i: ArticleId) -> MarkdownInputs<'_> {
        MarkdownInputs {
            config: self.config,
            digest: self.digest,
            article: &self.digest[i],
            links: self.views.links,
        }
    }

    /// A fingerprint of everything a feed is made from.
    pub fn feed_fingerprint(&self, title: &str, page_path: &str, articles: &[ArticleId]) -> u64 {
        let mut f = crate::util::hash::Fingerprint::new();
        f.add(self.views.site_hash).add(title).add(page_path);
        for &i in articles {
            f.add(self.views.item_hash[i.index()])
                .add(self.views.body_hash[i.index()]);
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
        let (template, context, text) = self.context(&self.inputs(page), want_text)?;
        depth::reset();
        let html = self.views.tera.render(template, &context).map_err(|e| {
            let rendering = match page.kind {
                PageKind::Article(i) => self.digest[i].path.clone(),
                _ => format!("/{}", page.path),
            };
            let problem = self.views.template_files.explain(&e, Some(&rendering));
            crate::problem::Problems(vec![problem])
        })?;
        let html = if self.config.minify {
            minify(&html)
        } else {
            tidy(&html)
        };
        Ok((html, text))
    }
}

/// An edition for templates: `{date_iso, date_long, month_long, url, number, title, note,
/// weekly, last_date_iso}` (`note` is the editor's note as HTML, or null).
fn edition_value(
    c: &SiteConfig,
    l: &Locale,
    e: &crate::model::Edition,
    note: Option<&str>,
) -> Value {
    json!({
        "date_iso": e.day.format("%Y-%m-%d").to_string(),
        "last_date_iso": e.last_day.format("%Y-%m-%d").to_string(),
        "date_long": l.edition_long(e),
        "month_long": l.month_year(e.day.year(), e.day.month()),
        "url": c.root_url(&e.url_path),
        "number": e.number,
        "weekly": e.week.is_some(),
        "title": e.title,
        "note": note,
    })
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

fn local_date(c: &SiteConfig, t: DateTime<FixedOffset>) -> NaiveDate {
    t.with_timezone(&c.timezone).date_naive()
}
