//! The values templates see of the things a page links to (editions, their notes), shared
//! by pages, feeds and the `site` variable; and how lists of them are ordered.

use super::Locale;
use crate::config::SiteConfig;
use crate::markdown;
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
