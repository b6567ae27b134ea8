//! The values templates see of the things pages show and link to (editions and their notes,
//! topics, outlets, stories, months), shared by pages, feeds and the `site` variable; how
//! lists of them are ordered; and their hashes ([`EntityHashes`]), made from the same values.

use super::Locale;
use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{AuthorId, Digest, MonthId, SourceId, StoryId, TopicId};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde_json::{json, Value};

/// Topic or outlet values in alphabetical order of their names (ignoring case), ties
/// broken by slug.
pub(super) fn by_name(mut values: Vec<Value>) -> Vec<Value> {
    values.sort_by(|a, b| {
        let key = |v: &Value| v["name"].as_str().unwrap_or("").to_lowercase();
        key(a)
            .cmp(&key(b))
            .then_with(|| a["slug"].as_str().cmp(&b["slug"].as_str()))
    });
    values
}

/// An edition for templates: `{date_iso, date_long, month_long, url, number, title, note,
/// weekly, last_date_iso}` (`note` is the editor's note as HTML, or null).
pub(super) fn edition_value(
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

pub(super) fn local_date(c: &SiteConfig, t: DateTime<FixedOffset>) -> NaiveDate {
    t.with_timezone(&c.timezone).date_naive()
}

/// The hashes of what pages show of each edition, topic, outlet, story and month, made
/// once per build from the same values the pages get.
pub(super) struct EntityHashes {
    pub edition: Vec<u64>,
    pub topic: Vec<u64>,
    pub source: Vec<u64>,
    pub story: Vec<u64>,
    pub month: Vec<u64>,
    pub author: Vec<u64>,
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
            author: all(&mut d.author_ids().map(|i| author_value(config, d, i))),
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

pub(super) fn author_value(c: &SiteConfig, d: &Digest, i: AuthorId) -> Value {
    let a = &d[i];
    let photo = a.photo.as_ref().map(|p| match p.strip_prefix('/') {
        Some(path) => c.root_url(path),
        None => p.clone(),
    });
    json!({"name": a.name, "slug": a.slug, "url": c.root_url(&a.url_path), "count": a.articles.len(),
           "bio": a.bio, "photo": photo, "links": a.links,
           "feed": c.root_url(&format!("{}atom.xml", a.url_path))})
}

pub(super) fn month_value(c: &SiteConfig, l: &Locale, d: &Digest, i: MonthId) -> Value {
    let m = &d[i];
    let name = l.month_name(m.year, m.month);
    json!({"name": name, "number": m.month, "url": c.root_url(&m.url_path), "count": m.articles.len()})
}
