//! A page's template context, made from its [`PageInputs`] alone: the variables of each kind
//! of page (one exhaustive `match` over what it shows, in `shown_context`), its list's
//! editions and paginator, and the title and description each kind of page gets.

use super::item::to_value;
use super::page::{ArticleShown, DayShown, ListShown, PageInputs, Shown};
use super::page::{AuthorRef, EditionRef, ItemRef, MonthRef, SourceRef, StoryRef, TopicRef};
use super::values::{author_value, month_value, source_value, story_value, topic_value};
use super::values::{by_name, edition_value, local_date};
use super::Renderer;
use crate::config::SiteConfig;
use crate::model::EditionId;
use anyhow::Result;
use serde_json::{json, Value};

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
            Shown::Author(a) => self.author_context(inputs, ctx, *a),
            Shown::Standalone(i, _) => {
                let p = &self.digest[*i];
                let body = super::values::note_html(self.config, &p.body);
                ctx.set("standalone", json!({"title": p.title, "body": body}));
                let desc = p.description.clone().unwrap_or_else(|| p.title.clone());
                let value = self.page_value(inputs, "page", ctx.titled(&p.title), desc);
                ("page.html", value)
            }
            Shown::Authors(authors) => {
                let (c, d) = (self.config, self.digest);
                let all = authors.iter().map(|a| author_value(c, d, a.id)).collect();
                ctx.set("authors", Value::Array(by_name(all)));
                let desc = self.about("desc_authors", authors.len());
                self.list_page(
                    inputs,
                    ctx,
                    ("authors.html", "authors", "nav_authors", desc),
                )
            }
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

    fn author_context(
        &self,
        inputs: &PageInputs,
        ctx: &mut Context,
        a: AuthorRef,
    ) -> (&'static str, Value) {
        let (c, d, l) = (self.config, self.digest, &*self.views.locale);
        let author = &d[a.id];
        ctx.set("author", author_value(c, d, a.id));
        let desc = match &author.bio {
            Some(bio) => bio.clone(),
            None => {
                let count = l.plural("articles", author.articles.len() as u64);
                l.fill("desc_by", &[("count", &count), ("name", &author.name)])
            }
        };
        let value = self.page_value(inputs, "author", ctx.titled(&author.name), desc);
        ctx.set("heading", Value::String(author.name.clone()));
        ("author.html", value)
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
}
