//! List items: an article as list templates see it, and the `item_html` template
//! function that renders each article's item once for every list that shows it.

use super::{ArticleHtml, Locale};
use crate::config::SiteConfig;
use crate::model::{Article, ArticleId, Digest};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tera::Tera;

#[derive(Serialize)]
pub(super) struct TopicLink {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) url: String,
}

/// An article as list templates see it (`item`). Kept as a struct, not a JSON value, and
/// turned into one per page that shows it: that costs about what copying a value would,
/// at a fraction of the memory (topics are shared between all their articles' items).
#[derive(Serialize)]
pub struct Item {
    pub(super) title: String,
    /// A digest issue's number (`number: 665`): "No. 665" goes with the title.
    pub(super) number: Option<u32>,
    /// The article's language where it is not the site's.
    pub(super) lang: Option<String>,
    pub(super) url: String,
    pub(super) summary: String,
    pub(super) date_iso: String,
    pub(super) date_long: String,
    pub(super) time: String,
    pub(super) day_url: String,
    pub(super) topics: Vec<Arc<TopicLink>>,
    pub(super) source: Option<SourceView>,
    pub(super) image: Option<ImageView>,
    pub(super) author: Option<String>,
    /// Its authors with their pages (`author:` of the front matter; none for the site's
    /// own `author`).
    pub(super) authors: Vec<AuthorLink>,
    pub(super) reading_minutes: usize,
    pub(super) draft: bool,
    pub(super) future: bool,
    pub(super) expired: bool,
    pub(super) extra: Value,
}

/// An author's name and page (`/authors/ana-lima/`).
#[derive(Serialize)]
pub(super) struct AuthorLink {
    pub(super) name: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct SourceView {
    pub(super) name: String,
    pub(super) url: String,
    /// The outlet's page on this site (`/sources/reuters/`).
    pub(super) page: String,
    /// An archived copy of the story (`data/archive.yaml`), if one is recorded.
    pub(super) archived: Option<ArchivedView>,
    /// The original no longer answers: the archived copy leads.
    pub(super) dead: bool,
}

/// An archived copy: its address, and its day (`2018-08-15`, for `data-versiondate`).
#[derive(Serialize)]
pub(super) struct ArchivedView {
    pub(super) url: String,
    pub(super) date: String,
}

#[derive(Serialize)]
pub(super) struct ImageView {
    pub(super) src: String,
    pub(super) alt: String,
    pub(super) caption: Option<String>,
    pub(super) credit: Option<String>,
    pub(super) width: Option<u32>,
    pub(super) height: Option<u32>,
    /// For a photo of `content/`: `srcset` and `sizes` in its own format, and the WebP
    /// `<source>` (empty strings and list otherwise).
    pub(super) srcset: String,
    pub(super) sizes: String,
    pub(super) sources: Vec<crate::markdown::PictureSource>,
    /// The version for social cards (`og:image`) and feeds: 1200 pixels wide at most.
    pub(super) share: String,
}

pub(super) fn to_value(item: &Item) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

pub(super) fn item_value(
    c: &SiteConfig,
    l: &Locale,
    d: &Digest,
    topics: &[Arc<TopicLink>],
    a: &Article,
    h: &ArticleHtml,
) -> Item {
    let source = a.source.as_ref().map(|s| {
        let recorded = d.archive.get(&crate::util::url::story_key(&s.url));
        SourceView {
            name: crate::model::source_name(s),
            url: s.url.clone(),
            page: a
                .source_id
                .map(|i| c.root_url(&d[i].url_path))
                .unwrap_or_default(),
            archived: recorded.and_then(|r| {
                Some(ArchivedView {
                    url: r.url.clone()?,
                    date: r.date.as_deref().unwrap_or("").chars().take(10).collect(),
                })
            }),
            dead: recorded.is_some_and(|r| r.is_dead()),
        }
    });
    let image = a.image.as_ref().map(|img| image_view(c, d, a, img));
    let day = a.day();
    Item {
        title: a.title.clone(),
        number: a.number,
        lang: a.lang.clone(),
        url: c.root_url(&a.url_path),
        summary: h.summary.clone(),
        date_iso: a.date.to_rfc3339(),
        date_long: l.long_date(day),
        // A date-only article has no time of day to show (not "00:00").
        time: if a.date_only {
            String::new()
        } else {
            l.time(a.local)
        },
        day_url: c.root_url(&d[a.edition].url_path),
        topics: a
            .topics
            .iter()
            .map(|&t| topics[t.index()].clone())
            .collect(),
        source,
        image,
        author: a.author.clone().or_else(|| c.author.clone()),
        authors: a
            .authors
            .iter()
            .map(|&i| AuthorLink {
                name: d[i].name.clone(),
                url: c.root_url(&d[i].url_path),
            })
            .collect(),
        reading_minutes: h.words.div_ceil(200).max(1),
        draft: a.draft,
        future: a.future,
        expired: a.expired,
        extra: a.extra.clone(),
    }
}

fn image_view(
    c: &SiteConfig,
    d: &Digest,
    a: &Article,
    img: &crate::source::front_matter::Image,
) -> ImageView {
    let src = match d.resolve_link(&a.rel, &img.src) {
        Ok(Some(path)) => c.root_url(&path),
        _ => img.src.clone(),
    };
    let view = ImageView {
        share: src.clone(),
        src,
        alt: img.alt.clone(),
        caption: img.caption.clone(),
        credit: img.credit.clone(),
        width: img.width,
        height: img.height,
        srcset: String::new(),
        sizes: String::new(),
        sources: Vec::new(),
    };
    let Some(published) = super::pictures::published(d, a, &img.src) else {
        return view;
    };
    let picture = super::pictures::markup(c, published, false);
    ImageView {
        share: c.root_url(published.share_path()),
        src: picture.src,
        width: Some(picture.width),
        height: Some(picture.height),
        srcset: picture.srcset,
        sizes: picture.sizes,
        sources: picture.sources,
        ..view
    }
}

/// The template function `item_html(url=item.url, level=3, with_date=false, brief=false)`:
/// one article as a list item, rendered by the `item.html` template once per variant and
/// reused by every page that lists the article. `brief=true` is the headline and date
/// alone (related articles, and the pages of a list after its first).
#[derive(Clone)]
pub(super) struct ItemHtml {
    /// The templates, without this function.
    pub(super) tera: Arc<Tera>,
    pub(super) items: Arc<Vec<Arc<Item>>>,
    pub(super) by_url: Arc<std::collections::HashMap<String, ArticleId>>,
    /// Per article: level 3 without and with the date, and brief.
    pub(super) memo: Arc<Vec<[OnceLock<Arc<str>>; 3]>>,
}

impl ItemHtml {
    /// The same function after article `i`'s item changed to `item`: its rendered HTML is
    /// forgotten, every other article's is kept.
    pub(super) fn with_item(&self, i: ArticleId, item: Item) -> ItemHtml {
        let mut items = (*self.items).clone();
        items[i.index()] = Arc::new(item);
        let mut memo = (*self.memo).clone();
        memo[i.index()] = Default::default();
        ItemHtml {
            tera: self.tera.clone(),
            items: Arc::new(items),
            by_url: self.by_url.clone(),
            memo: Arc::new(memo),
        }
    }
}

impl tera::Function for ItemHtml {
    fn call(&self, args: &std::collections::HashMap<String, Value>) -> tera::Result<Value> {
        let url = args
            .get("url")
            .and_then(Value::as_str)
            .ok_or("item_html needs `url=item.url`")?;
        let i = self
            .by_url
            .get(url)
            .ok_or_else(|| format!("item_html: no article has the URL {url}"))?
            .index();
        let level = args.get("level").and_then(Value::as_u64).unwrap_or(3);
        let with_date = args
            .get("with_date")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let brief = args.get("brief").and_then(Value::as_bool).unwrap_or(false);
        let render = || -> tera::Result<String> {
            let mut ctx = tera::Context::new();
            ctx.insert("item", &*self.items[i]);
            ctx.insert("level", &level);
            ctx.insert("with_date", &with_date);
            ctx.insert("brief", &brief);
            self.tera.render("item.html", &ctx)
        };
        // Day pages (level 2) show each article once, so only level 3 is kept.
        let html = match level {
            3 => {
                let slot = &self.memo[i][if brief { 2 } else { usize::from(with_date) }];
                match slot.get() {
                    Some(html) => html.to_string(),
                    None => {
                        let html = render()?;
                        let _ = slot.set(html.as_str().into());
                        html
                    }
                }
            }
            _ => render()?,
        };
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}
