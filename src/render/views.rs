//! [`Views`]: what the pages of one build (one language's tree) are rendered with besides
//! the site itself: the templates, the `site` variable, every article as a list item, the
//! related articles, and the fingerprints of what pages are made of.

use super::fragment::Fragment;
use super::item::{item_value, Item, ItemHtml, TopicLink};
use super::markdown_inputs::{link_map_fingerprint, ArticleHtml};
use super::values::{edition_value, note_html, EntityHashes};
use super::{Languages, Locale, TemplateFiles, Templates, Translation};
use crate::config::SiteConfig;
use crate::model::{ArticleId, Digest};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;
use tera::Tera;

/// How many related articles an article page shows.
pub const RELATED: usize = 3;

/// How many articles of its story an article page lists on each side; the story's page
/// has them all (so a story of hundreds of articles keeps article pages small).
pub const STORY_NEIGHBOURS: usize = 5;

/// The story articles just before and just after the one at `at` in `list`.
pub(super) fn story_neighbours(list: &[ArticleId], at: usize) -> (&[ArticleId], &[ArticleId]) {
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
    pub(super) tera: Tera,
    /// The templates' files and text, to place a render error.
    pub(super) template_files: TemplateFiles,
    /// The language of the pages: the theme's words and how dates are written.
    pub(super) locale: Arc<Locale>,
    /// The site's other languages: which pages they translate.
    pub(super) languages: Languages,
    pub(super) site: Value,
    pub(super) topic_links: Vec<Arc<TopicLink>>,
    /// Each article as a list item, built once and shared by every list that shows it.
    pub(super) items: Arc<Vec<Arc<Item>>>,
    /// The `item_html` template function (when the theme has `item.html`).
    pub(super) item_html: Option<ItemHtml>,
    /// The `fragment` template function.
    fragment: Fragment,
    /// Each article's place in its edition (the editor's order).
    pub(super) place_in_edition: Vec<usize>,
    /// Each article's related articles ([`Digest::related`]), found once: every page
    /// fingerprint and article page needs them. (They depend only on front matter, so
    /// [`Views::update_article`] keeps them.)
    pub(super) related: Vec<Box<[ArticleId]>>,
    /// Each edition's note as HTML.
    pub(super) notes: Vec<Option<String>>,
    /// Fingerprints of what pages are made of, so unchanged pages need not be rendered.
    pub(super) site_hash: u64,
    pub(super) item_hash: Vec<u64>,
    pub(super) body_hash: Vec<u64>,
    /// [`link_map_fingerprint`] of the digest.
    pub(super) links: u64,
    /// What pages show of each edition, topic, outlet, story and month, hashed.
    pub(super) edition_hash: Vec<u64>,
    pub(super) topic_hash: Vec<u64>,
    pub(super) source_hash: Vec<u64>,
    pub(super) story_hash: Vec<u64>,
    pub(super) month_hash: Vec<u64>,
    pub(super) author_hash: Vec<u64>,
}

impl Views {
    /// Whether the templates read the environment ([`super::TemplateFiles::read_environment`]).
    pub fn reads_environment(&self) -> bool {
        self.template_files.read_environment()
    }

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
        let items = items(config, &locale, digest, &topic_links, html);
        let (tera, item_html, fragment) = with_functions(tera, &locale, &items, &site);
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
        let entities = EntityHashes::new(config, &locale, digest, &notes);
        let mut views = Views {
            related: related(digest),
            tera,
            template_files,
            locale,
            languages,
            site,
            topic_links,
            items,
            item_html,
            fragment,
            place_in_edition: places_in_editions(digest),
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
            author_hash: entities.author,
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
            // Hiding an article changes every list, feed and index that had it.
            .add(digest[i].hidden)
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
            // A fragment may list articles too: it renders with the new item.
            self.fragment = self.fragment.with_item_html(function.clone());
            self.tera
                .register_function("fragment", self.fragment.clone());
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

/// Each article as a list item.
fn items(
    config: &SiteConfig,
    locale: &Locale,
    digest: &Digest,
    topic_links: &[Arc<TopicLink>],
    html: &[ArticleHtml],
) -> Arc<Vec<Arc<Item>>> {
    let items: Vec<Arc<Item>> = digest
        .articles
        .par_iter()
        .zip(html)
        .map(|(a, h)| Arc::new(item_value(config, locale, digest, topic_links, a, h)))
        .collect();
    Arc::new(items)
}

/// The templates with their functions: the locale's, `item_html` when the theme has
/// `item.html`, and `fragment` (which it also returns).
fn with_functions(
    mut tera: Tera,
    locale: &Arc<Locale>,
    items: &Arc<Vec<Arc<Item>>>,
    site: &Value,
) -> (Tera, Option<ItemHtml>, Fragment) {
    locale.register(&mut tera);
    // Each article's list item is rendered once per variant, then reused by every list.
    let item_html = item_html_function(&tera, items);
    if let Some(function) = &item_html {
        tera.register_function("item_html", function.clone());
    }
    // Parts every page shares (the masthead, the footer): once per build for each variant.
    let fragment = Fragment::new(&tera, site);
    tera.register_function("fragment", fragment.clone());
    (tera, item_html, fragment)
}

/// Each article's place in its edition (the editor's order).
fn places_in_editions(digest: &Digest) -> Vec<usize> {
    let mut place_in_edition = vec![0; digest.articles.len()];
    for edition in &digest.editions {
        for (place, &i) in edition.articles.iter().enumerate() {
            place_in_edition[i.index()] = place;
        }
    }
    place_in_edition
}

/// Each article's related articles besides its story thread ([`related_besides_thread`]).
fn related(digest: &Digest) -> Vec<Box<[ArticleId]>> {
    (0..digest.articles.len())
        .into_par_iter()
        .map(ArticleId::new)
        // Boxed: exactly five numbers each (the list is collected in the place of a
        // longer one, whose room it would otherwise keep: 120 MB at 100k articles).
        .map(|i| related_besides_thread(digest, i).into_boxed_slice())
        .collect()
}

/// `site.colors` and `site.fonts`, which the newsletter's inline styles use: the theme's
/// accent and email-safe fonts, or the site's `[style]` ones.
pub fn look_values(config: &SiteConfig) -> (Value, Value) {
    let look = &config.look;
    let colors = json!({
        "accent": look.accent.as_deref().unwrap_or("#a4161a"),
        "accent_dark": look.accent_dark.as_deref().unwrap_or("#ff8f87"),
    });
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
        "social": config.social,
        // Pages that are no articles (`content/pages/`), for the footer.
        "pages": digest.standalone.iter().map(|p| json!({"title": p.title, "url": config.root_url(&p.url_path)})).collect::<Vec<_>>(),
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
