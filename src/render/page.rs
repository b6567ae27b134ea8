//! One page's inputs, and the template context made from them. [`PageInputs`] holds
//! everything a page shows, as typed references whose hash is the hash of what the page
//! shows of them; the page's fingerprint is the hash of that value, and its context is made
//! from that value alone, so an incremental build cannot miss an input.

use super::item::to_value;
use super::values::{by_name, edition_value, local_date};
use super::views::story_neighbours;
use super::{Locale, Renderer, Views};
use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{ArticleId, Digest, EditionId, ListPage, Page, PageKind};
use crate::model::{MonthId, SourceId, StoryId, TopicId};
use anyhow::Result;
use serde_json::{json, Value};
use std::hash::{Hash, Hasher};

macro_rules! refs {
    ($($(#[$doc:meta])* $name:ident($id:ty): Views::$make:ident from $hashes:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name {
            pub id: $id,
            /// The hash of what a page shows of it (see [`Views`]).
            hash: u64,
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.hash.hash(state);
            }
        }

        impl Views {
            fn $make(&self, id: $id) -> $name {
                $name {
                    id,
                    hash: self.$hashes[id.index()],
                }
            }
        }
    )*};
}

refs! {
    /// An article as a list item (or as the article of its page).
    ItemRef(ArticleId): Views::item from item_hash;
    /// An edition, with its title and note.
    EditionRef(EditionId): Views::edition from edition_hash;
    /// A topic: its name, slug, URL and count.
    TopicRef(TopicId): Views::topic from topic_hash;
    /// An outlet: its name, slug, URL, count, description and home page.
    SourceRef(SourceId): Views::source from source_hash;
    /// A story: its name, slug, URL and count.
    StoryRef(StoryId): Views::story from story_hash;
    /// A month: its year, number, name, URL and count.
    MonthRef(MonthId): Views::month from month_hash;
}

/// What one page shows: the fingerprint is this value's hash, and the template context is
/// made from this value (and the site-wide values that `site` stands for) alone.
#[derive(Hash)]
pub struct PageInputs<'p> {
    /// The config, the templates, the `site` variable, editions' titles and notes.
    site: u64,
    path: &'p str,
    shown: Shown,
    list: Option<ListShown<'p>>,
    /// The page in each of the site's languages that has it.
    translations: Option<std::sync::Arc<[super::Translation]>>,
}

/// What a page shows besides its list, by kind of page.
#[derive(Hash)]
enum Shown {
    Index,
    Article(ArticleShown),
    Day(DayShown),
    Month(MonthRef),
    Year(i32, Vec<MonthRef>, usize),
    Topic(TopicRef),
    Topics(Vec<TopicRef>),
    Source(SourceRef),
    Sources(Vec<SourceRef>),
    Story(StoryRef, Vec<ItemRef>),
    /// Every story, with its latest article, the most recently followed first.
    Stories(Vec<(StoryRef, ItemRef)>),
    Search,
    Editions(Vec<EditionRef>),
    /// Each year (number, article count) with its months.
    Archive(Vec<(i32, usize, Vec<MonthRef>)>),
    NotFound,
    /// An old address: where it leads.
    Redirect(String),
}

/// What an article's page shows besides the article: its neighbours, related articles and
/// story.
#[derive(Hash)]
struct ArticleShown {
    item: ItemRef,
    /// The rendered body's inputs (its Markdown's key and the update time).
    body: u64,
    previous: Option<ItemRef>,
    next: Option<ItemRef>,
    related: Vec<ItemRef>,
    story: Option<(StoryRef, Vec<ItemRef>, Vec<ItemRef>)>,
}

/// A day's (an edition's) page: the edition and its neighbours.
#[derive(Hash)]
struct DayShown {
    edition: EditionRef,
    previous: Option<EditionRef>,
    next: Option<EditionRef>,
}

/// A list page: where it is among its pages, and its articles grouped by edition.
#[derive(Hash)]
struct ListShown<'p> {
    current: usize,
    total: usize,
    count: usize,
    first_path: &'p str,
    groups: Vec<(EditionRef, Vec<ItemRef>)>,
}

impl<'a> Renderer<'a> {
    /// Everything page `page` shows.
    pub fn inputs<'p>(&self, page: &'p Page) -> PageInputs<'p> {
        PageInputs {
            site: self.views.site_hash,
            path: &page.path,
            shown: self.shown(page.kind),
            list: page.list.as_ref().map(|list| self.list_shown(list)),
            translations: self.views.translations(&page.path),
        }
    }

    /// A fingerprint of everything page `page` is rendered from: two equal fingerprints
    /// mean identical HTML, so the page need not be rendered again.
    pub fn fingerprint(&self, page: &Page) -> u64 {
        crate::util::hash::fingerprint(self.inputs(page))
    }

    fn shown(&self, kind: PageKind) -> Shown {
        let (d, v) = (self.digest, self.views);
        match kind {
            PageKind::Index => Shown::Index,
            PageKind::Article(i) => self.article_shown(i),
            PageKind::Day(i) => Shown::Day(DayShown {
                edition: v.edition(i),
                // Editions are newest first: the previous (older) one comes after.
                previous: i.after(d.editions.len()).map(|j| v.edition(j)),
                next: i.before().map(|j| v.edition(j)),
            }),
            PageKind::Month(i) => Shown::Month(v.month(i)),
            PageKind::Year(i) => {
                let y = &d[i];
                let months = y.months.iter().map(|&m| v.month(m)).collect();
                Shown::Year(y.year, months, y.articles.len())
            }
            PageKind::Topic(i) => Shown::Topic(v.topic(i)),
            PageKind::Topics => Shown::Topics(d.topic_ids().map(|i| v.topic(i)).collect()),
            PageKind::Source(i) => Shown::Source(v.source(i)),
            PageKind::Sources => Shown::Sources(d.source_ids().map(|i| v.source(i)).collect()),
            PageKind::Story(i) => {
                let items = d[i].articles.iter().map(|&j| v.item(j)).collect();
                Shown::Story(v.story(i), items)
            }
            PageKind::Stories => {
                let mut stories: Vec<StoryId> = d
                    .story_ids()
                    .filter(|&i| !d[i].articles.is_empty())
                    .collect();
                let latest = |i: StoryId| *d[i].articles.last().unwrap_or(&ArticleId::new(0));
                // Articles are numbered newest first: the smallest number is the latest.
                stories.sort_by_key(|&i| (latest(i), i));
                Shown::Stories(
                    stories
                        .into_iter()
                        .map(|i| (v.story(i), v.item(latest(i))))
                        .collect(),
                )
            }
            PageKind::Search => Shown::Search,
            PageKind::Editions => Shown::Editions(d.edition_ids().map(|i| v.edition(i)).collect()),
            PageKind::Archive => Shown::Archive(
                d.years
                    .iter()
                    .map(|y| {
                        (
                            y.year,
                            y.articles.len(),
                            y.months.iter().map(|&m| v.month(m)).collect(),
                        )
                    })
                    .collect(),
            ),
            PageKind::NotFound => Shown::NotFound,
            PageKind::Redirect(i) => Shown::Redirect(d[i].to.clone()),
        }
    }

    fn article_shown(&self, i: ArticleId) -> Shown {
        let (d, v) = (self.digest, self.views);
        let story = d[i].story.map(|s| {
            let list = &d[s].articles;
            let at = list.iter().position(|&j| j == i).unwrap_or(0);
            let (earlier, later) = story_neighbours(list, at);
            let refs = |js: &[ArticleId]| js.iter().map(|&j| v.item(j)).collect::<Vec<_>>();
            (v.story(s), refs(earlier), refs(later))
        });
        Shown::Article(ArticleShown {
            item: v.item(i),
            body: v.body_hash[i.index()],
            // The list is newest first: the previous (older) article comes after.
            previous: i.after(d.articles.len()).map(|j| v.item(j)),
            next: i.before().map(|j| v.item(j)),
            related: v.related[i.index()].iter().map(|&j| v.item(j)).collect(),
            story,
        })
    }

    /// A list's articles grouped by edition, in list order; inside an edition, in the
    /// edition's order (the editor's `order`, then newest first).
    fn list_shown<'p>(&self, list: &'p ListPage) -> ListShown<'p> {
        let (d, v) = (self.digest, self.views);
        let mut groups: Vec<(EditionId, Vec<ArticleId>)> = Vec::new();
        for &i in &list.articles {
            let e = d[i].edition;
            match groups.last_mut() {
                Some((last, items)) if *last == e => items.push(i),
                _ => groups.push((e, vec![i])),
            }
        }
        let groups = groups
            .into_iter()
            .map(|(e, mut items)| {
                items.sort_by_key(|&i| v.place_in_edition[i.index()]);
                (v.edition(e), items.into_iter().map(|i| v.item(i)).collect())
            })
            .collect();
        ListShown {
            current: list.current,
            total: list.total,
            count: list.count,
            first_path: &list.first_path,
            groups,
        }
    }
}

/// The hashes of what pages show of each edition, topic, outlet, story and month, made
/// once per build from the same values the pages get.
pub(super) struct EntityHashes {
    pub edition: Vec<u64>,
    pub topic: Vec<u64>,
    pub source: Vec<u64>,
    pub story: Vec<u64>,
    pub month: Vec<u64>,
}

impl EntityHashes {
    pub fn new(
        config: &SiteConfig,
        locale: &Locale,
        digest: &Digest,
        notes: &[Option<String>],
    ) -> EntityHashes {
        use crate::util::hash::fingerprint;
        let all = |values: &mut dyn Iterator<Item = Value>| -> Vec<u64> {
            values.map(|value| fingerprint(value.to_string())).collect()
        };
        let d = digest;
        EntityHashes {
            edition: all(&mut d.edition_ids().map(|i| {
                let note = notes[i.index()].as_deref();
                let mut e = edition_value(config, locale, &d[i], note);
                e["count"] = json!(d[i].articles.len());
                e
            })),
            topic: all(&mut d.topic_ids().map(|i| topic_value(config, d, i))),
            source: all(&mut d.source_ids().map(|i| source_value(config, d, i))),
            story: all(&mut d.story_ids().map(|i| story_value(config, d, i))),
            month: all(&mut d
                .month_ids()
                .map(|i| json!([d[i].year, month_value(config, locale, d, i)]))),
        }
    }
}

pub(super) fn topic_value(c: &SiteConfig, d: &Digest, i: TopicId) -> Value {
    let t = &d[i];
    json!({"name": t.name, "slug": t.slug, "url": c.root_url(&t.url_path), "count": t.articles.len()})
}

pub(super) fn story_value(c: &SiteConfig, d: &Digest, i: StoryId) -> Value {
    let s = &d[i];
    json!({"name": s.name, "slug": s.slug, "url": c.root_url(&s.url_path), "count": s.articles.len()})
}

pub(super) fn source_value(c: &SiteConfig, d: &Digest, i: SourceId) -> Value {
    let s = &d[i];
    json!({"name": s.name, "slug": s.slug, "url": c.root_url(&s.url_path), "count": s.articles.len(),
           "description": s.description, "home": s.home})
}

pub(super) fn month_value(c: &SiteConfig, l: &Locale, d: &Digest, i: MonthId) -> Value {
    let m = &d[i];
    let name = l.month_name(m.year, m.month);
    json!({"name": name, "number": m.month, "url": c.root_url(&m.url_path), "count": m.articles.len()})
}

/// A page that lists all of something (or search, or 404): its template, its kind, the
/// word of its title and its description.
type WholeList = (&'static str, &'static str, &'static str, String);

/// A page's template context as it is being made: the variables so far, and the page's
/// title suffix (" (page 2 of 5)") for list pages past the first.
struct Context<'c> {
    vars: serde_json::Map<String, Value>,
    suffix: String,
    config: &'c SiteConfig,
}

impl Context<'_> {
    fn set(&mut self, name: &str, value: Value) {
        self.vars.insert(name.into(), value);
    }

    /// `title` as a page title: "Diplomacy (page 2 of 5) — The Morning Brief".
    fn titled(&self, title: &str) -> String {
        format!("{title}{} — {}", self.suffix, self.config.title)
    }
}

impl<'a> Renderer<'a> {
    /// The template and context of the page `inputs` describe; for an article page with
    /// `want_text`, also its body's text for the search index.
    pub(super) fn context(
        &self,
        inputs: &PageInputs,
        want_text: bool,
    ) -> Result<(&'static str, tera::Context, Option<String>)> {
        let suffix = match &inputs.list {
            Some(l) if l.current > 1 => {
                let locale = &self.views.locale;
                let (current, total) = (
                    locale.digits(&l.current.to_string()),
                    locale.digits(&l.total.to_string()),
                );
                self.views
                    .locale
                    .fill("title_page_of", &[("current", &current), ("total", &total)])
            }
            _ => String::new(),
        };
        let mut ctx = Context {
            vars: serde_json::Map::new(),
            suffix,
            config: self.config,
        };
        ctx.set("site", self.views.site.clone());
        let mut text = None;
        let (template, page) = self.shown_context(inputs, &mut ctx, want_text, &mut text)?;
        ctx.set("page", page);
        let translations = inputs.translations.as_deref().unwrap_or(&[]);
        ctx.set("translations", json!(translations));
        let switch = self.views.switch(self.config, inputs.path, translations);
        ctx.set("languages", json!(switch));
        if let Some(list) = &inputs.list {
            ctx.set("editions", Value::Array(self.groups_value(&list.groups)));
            ctx.set("paginator", self.paginator(list));
            ctx.set("count", json!(list.count));
        }
        let context = tera::Context::from_value(Value::Object(ctx.vars)).unwrap_or_default();
        Ok((template, context, text))
    }

    /// The variables of what the page shows, by kind of page (one match: the compiler
    /// checks that every kind is handled); returns the template and the `page` value.
    fn shown_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        want_text: bool,
        text: &mut Option<String>,
    ) -> Result<(&'static str, Value)> {
        let l = &*self.views.locale;
        Ok(match &inputs.shown {
            Shown::Index => self.index_context(inputs, ctx),
            Shown::Article(shown) => {
                let (template, title, desc) = self.article_context(ctx, shown, want_text, text)?;
                (template, self.page_value(inputs, "article", title, desc))
            }
            Shown::Day(shown) => self.day_context(inputs, ctx, shown),
            Shown::Month(m) => self.month_context(inputs, ctx, *m),
            Shown::Year(year, months, count) => {
                self.year_context(inputs, ctx, *year, months, *count)
            }
            Shown::Topic(t) => self.topic_context(inputs, ctx, *t),
            Shown::Source(s) => self.source_context(inputs, ctx, *s),
            Shown::Story(s, items) => self.story_context(inputs, ctx, *s, items),
            Shown::Redirect(to) => self.redirect_context(inputs, ctx, to),
            Shown::Topics(topics) => self.topics_context(inputs, ctx, topics),
            Shown::Sources(sources) => self.sources_context(inputs, ctx, sources),
            Shown::Stories(stories) => self.stories_context(inputs, ctx, stories),
            Shown::Editions(editions) => self.editions_context(inputs, ctx, editions),
            Shown::Archive(years) => {
                ctx.set("years", Value::Array(self.years_value(years)));
                let desc = self.about("desc_archive", 0);
                self.list_page(
                    inputs,
                    ctx,
                    ("archive.html", "archive", "nav_archive", desc),
                )
            }
            Shown::Search => {
                let desc = self.about("desc_search", 0);
                self.list_page(inputs, ctx, ("search.html", "search", "nav_search", desc))
            }
            Shown::NotFound => {
                let desc = l.word("not_found_desc").to_string();
                self.list_page(inputs, ctx, ("404.html", "404", "not_found", desc))
            }
        })
    }

    /// "N articles from August 2018": a month's or a year's description.
    fn from(&self, n: usize, when: &str) -> String {
        let l = &*self.views.locale;
        let count = l.plural("articles", n as u64);
        l.fill("desc_from", &[("count", &count), ("when", when)])
    }

    /// A description of a page that lists all of something: `key` with `n` and the site.
    fn about(&self, key: &str, n: usize) -> String {
        let l = &*self.views.locale;
        l.fill(
            key,
            &[
                ("n", &l.digits(&n.to_string())),
                ("site", &self.config.title),
            ],
        )
    }

    fn index_context(&self, inputs: &PageInputs, ctx: &Context) -> (&'static str, Value) {
        let c = self.config;
        let title = format!("{}{}", c.title, ctx.suffix);
        let desc = if c.description.is_empty() {
            &c.title
        } else {
            &c.description
        };
        let value = self.page_value(inputs, "index", title, desc.clone());
        ("index.html", value)
    }

    fn month_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        m: MonthRef,
    ) -> (&'static str, Value) {
        let l = &*self.views.locale;
        let month = &self.digest[m.id];
        let heading = l.month_year(month.year, month.month);
        let desc = self.from(month.articles.len(), &heading);
        let value = self.page_value(inputs, "month", ctx.titled(&heading), desc);
        ctx.set("heading", Value::String(heading));
        ("month.html", value)
    }

    fn year_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        year: i32,
        months: &[MonthRef],
        count: usize,
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let heading = l.fill("year_heading", &[("year", &l.digits(&year.to_string()))]);
        let months = months.iter().map(|m| month_value(c, l, d, m.id)).collect();
        ctx.set("months", Value::Array(months));
        let desc = self.from(count, &heading);
        let value = self.page_value(inputs, "year", ctx.titled(&heading), desc);
        ctx.set("heading", Value::String(heading));
        ("year.html", value)
    }

    fn topic_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        t: TopicRef,
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let topic = &d[t.id];
        ctx.set("topic", topic_value(c, d, t.id));
        let n = l.plural("articles", topic.articles.len() as u64);
        let desc = l.fill("desc_about", &[("count", &n), ("name", &topic.name)]);
        let value = self.page_value(inputs, "topic", ctx.titled(&topic.name), desc);
        ctx.set("heading", Value::String(topic.name.clone()));
        ("topic.html", value)
    }

    fn source_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        s: SourceRef,
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let source = &d[s.id];
        ctx.set("source", source_value(c, d, s.id));
        let desc = match &source.description {
            Some(text) => text.clone(),
            None => {
                let count = l.plural("articles", source.articles.len() as u64);
                l.fill("desc_citing", &[("count", &count), ("name", &source.name)])
            }
        };
        let value = self.page_value(inputs, "source", ctx.titled(&source.name), desc);
        ctx.set("heading", Value::String(source.name.clone()));
        ("source.html", value)
    }

    fn redirect_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        to: &str,
    ) -> (&'static str, Value) {
        let c = self.config;
        let url = c.absolute_url(to);
        ctx.set(
            "redirect",
            json!({"from": c.root_url(inputs.path), "to": c.root_url(to), "url": url}),
        );
        let title = self.views.locale.fill("moved_to", &[("url", &url)]);
        let value = self.page_value(inputs, "redirect", title, String::new());
        ("redirect.html", value)
    }

    /// A page that lists all of something (topics, outlets, editions, the archive), or the
    /// search or 404 page: its template, kind, title word and description.
    fn list_page(
        &self,
        inputs: &PageInputs,
        ctx: &Context,
        shown: WholeList,
    ) -> (&'static str, Value) {
        let (template, kind, title, desc) = shown;
        let title = ctx.titled(self.views.locale.word(title));
        (template, self.page_value(inputs, kind, title, desc))
    }

    fn topics_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        topics: &[TopicRef],
    ) -> (&'static str, Value) {
        let (c, d) = (self.config, self.digest);
        let all = topics.iter().map(|t| topic_value(c, d, t.id)).collect();
        ctx.set("topics", Value::Array(by_name(all)));
        let desc = self.about("desc_topics", topics.len());
        self.list_page(inputs, ctx, ("topics.html", "topics", "nav_topics", desc))
    }

    fn sources_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        sources: &[SourceRef],
    ) -> (&'static str, Value) {
        let (c, d) = (self.config, self.digest);
        let all = sources.iter().map(|s| source_value(c, d, s.id)).collect();
        ctx.set("sources", Value::Array(by_name(all)));
        let desc = self.about("desc_sources", sources.len());
        self.list_page(
            inputs,
            ctx,
            ("sources.html", "sources", "nav_sources", desc),
        )
    }

    fn stories_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        stories: &[(StoryRef, ItemRef)],
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let all = stories
            .iter()
            .map(|(s, latest)| {
                let mut value = story_value(c, d, s.id);
                let a = &d[latest.id];
                value["latest_iso"] = json!(a.date.to_rfc3339());
                value["latest_long"] = json!(l.long_date(a.day()));
                value
            })
            .collect();
        ctx.set("stories", Value::Array(all));
        let desc = self.about("desc_stories", stories.len());
        self.list_page(
            inputs,
            ctx,
            ("stories.html", "stories", "stories_title", desc),
        )
    }

    fn editions_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        editions: &[EditionRef],
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let all = editions
            .iter()
            .map(|e| {
                let mut value = edition_value(c, l, &d[e.id], None);
                value["count"] = json!(d[e.id].articles.len());
                value
            })
            .collect();
        ctx.set("all_editions", Value::Array(all));
        let desc = self.about("desc_editions", editions.len());
        self.list_page(
            inputs,
            ctx,
            ("editions.html", "editions", "nav_editions", desc),
        )
    }

    fn years_value(&self, years: &[(i32, usize, Vec<MonthRef>)]) -> Vec<Value> {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        years
            .iter()
            .map(|(year, count, months)| {
                let months: Vec<Value> =
                    months.iter().map(|m| month_value(c, l, d, m.id)).collect();
                let url = c.root_url(&format!("{year:04}/"));
                json!({"year": year, "url": url, "count": count, "months": months})
            })
            .collect()
    }

    /// An article page's variables; returns its template, title and description.
    fn article_context(
        &self,
        ctx: &mut Context,
        shown: &ArticleShown,
        want_text: bool,
        text: &mut Option<String>,
    ) -> Result<(&'static str, String, String)> {
        let ArticleShown {
            item,
            previous,
            next,
            related,
            story,
            ..
        } = shown;
        let (c, i) = (self.config, item.id);
        let a = &self.digest[i];
        let mut article = to_value(&self.views.items[i.index()]);
        let body = if want_text {
            let (html, body_text) = self.body_and_text(i)?;
            *text = Some(body_text);
            html
        } else {
            self.body(i)?
        };
        article["body"] = Value::String(body);
        // A summary made from the body's first paragraph is already on the page, as the
        // body's start: the standfirst is only the curator's own summary.
        if a.summary.is_none() {
            article["summary"] = json!("");
        }
        article["updated_iso"] = json!(a.updated.map(|u| u.to_rfc3339()));
        let l = &self.views.locale;
        article["updated_long"] = json!(a.updated.map(|u| l.long_date(local_date(c, u))));
        ctx.set("article", article);
        ctx.set("previous", self.item_value(previous.as_ref()));
        ctx.set("next", self.item_value(next.as_ref()));
        ctx.set("related", Value::Array(self.items_value(related)));
        let story = story.as_ref().map(|(s, earlier, later)| {
            let mut story = story_value(c, self.digest, s.id);
            story["earlier"] = json!(self.items_value(earlier));
            story["later"] = json!(self.items_value(later));
            story
        });
        ctx.set("story", json!(story));
        let desc = self.html[i.index()].summary_text.clone();
        Ok(("article.html", format!("{} — {}", a.title, c.title), desc))
    }

    fn day_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        shown: &DayShown,
    ) -> (&'static str, Value) {
        let DayShown {
            edition,
            previous,
            next,
        } = shown;
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let e = &d[edition.id];
        let heading = l.edition_long(e);
        ctx.set("edition", self.edition_value(edition.id));
        let neighbour = |r: &Option<EditionRef>| r.map(|r| edition_value(c, l, &d[r.id], None));
        ctx.set("previous_edition", json!(neighbour(previous)));
        ctx.set("next_edition", json!(neighbour(next)));
        let (n, count) = (
            l.digits(&e.number.to_string()),
            l.plural("articles", e.articles.len() as u64),
        );
        let desc = l.fill(
            "desc_edition",
            &[("n", &n), ("count", &count), ("date", &heading)],
        );
        let value = self.page_value(inputs, "day", ctx.titled(&heading), desc);
        ctx.set("heading", Value::String(heading));
        ("day.html", value)
    }

    fn story_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        story: StoryRef,
        items: &[ItemRef],
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let s = &d[story.id];
        ctx.set("story", story_value(c, d, story.id));
        ctx.set("items", Value::Array(self.items_value(items)));
        let since = items.first().map(|first| d[first.id].day());
        let count = l.plural("articles", s.articles.len() as u64);
        let since = since.map(|day| l.long_date(day)).unwrap_or_default();
        let desc = l.fill("desc_story", &[("count", &count), ("date", &since)]);
        let value = self.page_value(inputs, "story", ctx.titled(&s.name), desc);
        ctx.set("heading", Value::String(s.name.clone()));
        ("story.html", value)
    }

    fn item_value(&self, item: Option<&ItemRef>) -> Value {
        item.map(|r| to_value(&self.views.items[r.id.index()]))
            .unwrap_or(Value::Null)
    }

    fn items_value(&self, items: &[ItemRef]) -> Vec<Value> {
        items
            .iter()
            .map(|r| to_value(&self.views.items[r.id.index()]))
            .collect()
    }

    /// An edition as templates see it, with its note as HTML.
    fn edition_value(&self, i: EditionId) -> Value {
        edition_value(
            self.config,
            &self.views.locale,
            &self.digest[i],
            self.views.notes[i.index()].as_deref(),
        )
    }

    fn groups_value(&self, groups: &[(EditionRef, Vec<ItemRef>)]) -> Vec<Value> {
        groups
            .iter()
            .map(|(edition, items)| {
                let mut group = self.edition_value(edition.id);
                group["items"] = Value::Array(self.items_value(items));
                group
            })
            .collect()
    }

    /// The paginator: previous and next, and the page numbers worth showing (the first,
    /// the last, two either side of the current one) with gaps between them, so its size
    /// does not grow with the number of pages.
    fn paginator(&self, list: &ListShown) -> Value {
        let url = |n: usize| {
            self.config
                .root_url(&crate::model::page_path(list.first_path, n))
        };
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

    /// The feeds a page links to in its `<head>`: its topic's, the site's, and on the
    /// front page, days and the editions list, the editions feed.
    fn page_feeds(&self, inputs: &PageInputs) -> Vec<Value> {
        let c = self.config;
        let feed_links = |path: &str, title: &str| {
            vec![
                json!({"type": "application/atom+xml", "title": format!("{title} (Atom)"), "url": c.root_url(&format!("{path}atom.xml"))}),
                json!({"type": "application/rss+xml", "title": format!("{title} (RSS)"), "url": c.root_url(&format!("{path}rss.xml"))}),
                json!({"type": "application/feed+json", "title": format!("{title} (JSON Feed)"), "url": c.root_url(&format!("{path}feed.json"))}),
            ]
        };
        let mut feeds = Vec::new();
        if let Shown::Topic(t) = &inputs.shown {
            let topic = &self.digest[t.id];
            feeds.extend(feed_links(
                &topic.url_path,
                &format!("{}: {}", c.title, topic.name),
            ));
        }
        feeds.extend(feed_links("", &c.title));
        if matches!(
            inputs.shown,
            Shown::Index | Shown::Day(_) | Shown::Editions(_)
        ) {
            let title = self
                .views
                .locale
                .fill("feed_editions", &[("site", &c.title)]);
            feeds.extend(feed_links("editions/", &title));
        }
        feeds
    }

    /// The `page` variable: what the page is, its URLs, and what search engines, social
    /// cards and feed readers read from its `<head>`.
    fn page_value(
        &self,
        inputs: &PageInputs,
        kind: &str,
        title: String,
        description: String,
    ) -> Value {
        let c = self.config;
        let url = c.absolute_url(inputs.path);
        let mut value = json!({
            "kind": kind,
            "title": title,
            "url": url,
            "path": c.root_url(inputs.path),
            "description": description,
            "feeds": self.page_feeds(inputs),
            "og_type": "website",
            "image": null,
            "published": null,
            "modified": null,
            "tags": [],
        });
        // Structured data where search engines use it: the site (front page) and each
        // article; list pages have none (`json_ld` is empty).
        let ld = match &inputs.shown {
            Shown::Article(shown) => Some(self.article_meta(shown.item.id, &mut value)),
            Shown::Index => Some(
                json!({"@context": "https://schema.org", "@type": "WebSite", "name": c.title, "url": url}),
            ),
            _ => None,
        };
        value["json_ld"] = json!(ld.map_or(String::new(), |ld| markdown::html_safe_json(
            &serde_json::to_string(&ld).unwrap_or_default()
        )));
        value
    }

    /// An article page's social-card fields (into `value`), and its schema.org
    /// `NewsArticle`.
    fn article_meta(&self, i: ArticleId, value: &mut Value) -> Value {
        let (c, d) = (self.config, self.digest);
        let a = &d[i];
        let item = &self.views.items[i.index()];
        let origin = crate::config::origin(c);
        let image = item
            .image
            .as_ref()
            .map(|image| image.share.as_str())
            .map(|src| {
                if src.starts_with('/') {
                    format!("{origin}{src}")
                } else {
                    src.to_string()
                }
            });
        let tags: Vec<&str> = a.topics.iter().map(|&t| d[t].name.as_str()).collect();
        // Only a real update: the same time twice tells readers and search engines nothing.
        let modified = a.updated.map(|u| u.to_rfc3339());
        value["og_type"] = json!("article");
        value["image"] = json!(image);
        value["published"] = json!(a.date.to_rfc3339());
        value["modified"] = json!(modified);
        value["tags"] = json!(tags);
        // An article in another language than the site's is a page in its language.
        if let Some(lang) = &a.lang {
            value["lang"] = json!(lang);
            value["dir"] = json!(super::locale::dir_of(lang));
        }
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": a.date.to_rfc3339(),
            "inLanguage": a.lang.as_deref().unwrap_or(&c.language),
            "publisher": {"@type": "Organization", "name": c.title},
        });
        if let Some(modified) = modified {
            ld["dateModified"] = json!(modified);
        }
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
    }
}
