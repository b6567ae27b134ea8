//! The `page` variable of every page: what the page is, its URLs, and what search engines,
//! social cards and feed readers read from its `<head>` (its feeds, Open Graph fields and
//! schema.org JSON-LD).

use super::page::{PageInputs, Shown};
use super::Renderer;
use crate::markdown;
use crate::model::ArticleId;
use serde_json::{json, Value};

impl<'a> Renderer<'a> {
    /// The feeds a page links to in its `<head>`: its topic's or author's, the site's, and on the
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
        if let Shown::Author(a) = &inputs.shown {
            let author = &self.digest[a.id];
            feeds.extend(feed_links(
                &author.url_path,
                &format!("{}: {}", c.title, author.name),
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
    pub(super) fn page_value(
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
        // Discover shows a large preview of a lead photo at least 1,200 pixels wide.
        value["large_image"] = json!(item
            .image
            .as_ref()
            .and_then(|i| i.width)
            .is_some_and(|w| w >= 1200));
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
            "publisher": publisher(c, d),
        });
        if let Some(modified) = modified {
            ld["dateModified"] = json!(modified);
        }
        // Each author with their page on this site; else the site's editor, or the
        // digest itself.
        let people: Vec<Value> = a
            .authors
            .iter()
            .map(|&p| json!({"@type": "Person", "name": d[p].name, "url": c.absolute_url(&d[p].url_path)}))
            .collect();
        ld["author"] = match (people.len(), item.author.as_deref()) {
            (1, _) => people[0].clone(),
            (0, Some(name)) => json!({"@type": "Person", "name": name}),
            (0, None) => {
                json!({"@type": "Organization", "name": c.title, "url": c.absolute_url("")})
            }
            _ => Value::Array(people),
        };
        // The lead photo's crops (16:9, 4:3, 1:1), else the shared version.
        let crops: Vec<String> = a
            .image
            .as_ref()
            .and_then(|img| crate::model::images::image_path(d, a, &img.src))
            .and_then(|path| d.pictures.get(&path))
            .map(|p| {
                p.crops
                    .iter()
                    .map(|v| format!("{origin}{}", c.root_url(&v.path)))
                    .collect()
            })
            .unwrap_or_default();
        if !crops.is_empty() {
            ld["image"] = json!(crops);
        } else if let Some(image) = image {
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

/// The digest as the publisher of its articles, with its editorial policy where the site
/// has an About page (`content/pages/about.md`, `#editorial-policy`).
fn publisher(c: &crate::config::SiteConfig, d: &crate::model::Digest) -> Value {
    let mut publisher =
        json!({"@type": "Organization", "name": c.title, "url": c.absolute_url("")});
    if let Some(about) = d.standalone.iter().find(|p| p.url_path == "about/") {
        publisher["publishingPrinciples"] = json!(format!(
            "{}#editorial-policy",
            c.absolute_url(&about.url_path)
        ));
    }
    publisher
}
