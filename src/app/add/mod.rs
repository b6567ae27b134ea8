//! `gazette add URL`: fetches a news page (through [`crate::util::http`]), reads it in its
//! own encoding ([`charset`]), takes its metadata ([`meta`]) and writes a draft article
//! for it in `content/YYYY/MM/YYYY-MM-DD-<slug>.md`, where `gazette new` puts one. A story the digest
//! already cites is refused (addresses compared by [`crate::util::url::story_key`]); every
//! failure is one line, and writes nothing.

pub(crate) mod charset;
pub(crate) mod html;
mod meta;
pub mod text;

use crate::app::new::{
    article_date, article_rel, date_value, first_lines, known_outlets, site_articles,
    write_article, yaml_text,
};
use crate::config::SiteConfig;
use crate::model::links::Citation;
use crate::source::articles::LoadedArticle;
use crate::util::http::{self, Failure, Limits};
use anyhow::{anyhow, bail, Result};
use chrono::DateTime;
use chrono_tz::Tz;
use meta::Metadata;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use text::{markdown_text, plain, printable};

/// What to add, as the command line or the bookmarklet gives it.
#[derive(Debug, Clone, Default)]
pub struct AddRequest {
    pub url: String,
    pub topics: Vec<String>,
    pub story: Option<String>,
    /// Any accepted date form; default now in the site's time zone.
    pub date: Option<String>,
    pub slug: Option<String>,
    /// Add it even if the digest already cites the story.
    pub force: bool,
}

/// The draft written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Relative to the site's root: `content/2018/08/kerala-floods.md`.
    pub rel: PathBuf,
    /// The site path of its page: `2018/08/16/kerala-floods/`.
    pub url_path: String,
    /// The address the draft cites.
    pub source: String,
    /// The draft's day, `20180816`.
    pub day: String,
}

/// What adding a page would write, read without writing anything (the bookmarklet's page
/// shows it before the curator adds it). Every text is [`plain`].
#[derive(Debug, Clone)]
pub struct Look {
    /// The headline the draft gets.
    pub title: String,
    /// The outlet's name (the one the digest already uses for its host, if any).
    pub outlet: String,
    /// The address the draft cites: the page's canonical one, without tracking parameters.
    pub source: String,
    /// The article that already cites the story, if one does.
    pub cited: Option<Cited>,
    /// Every topic of the site's articles, sorted.
    pub topics: Vec<String>,
    meta: Metadata,
    /// The page's language when it is not the site's (`lang:` in the draft).
    lang: Option<String>,
}

/// An article that cites a story: where, and the site path of its page (the preview
/// shows drafts too), when it has a date.
#[derive(Debug, Clone)]
pub struct Cited {
    pub by: Citation,
    pub url_path: Option<String>,
}

/// The site as `add` needs it: its settings, articles and the outlet names it uses.
struct Site {
    config: SiteConfig,
    articles: Vec<LoadedArticle>,
}

impl Site {
    fn load(root: &Path) -> Result<Site> {
        let config = SiteConfig::load(root)?;
        let articles = site_articles(root, &config)?;
        Ok(Site { config, articles })
    }

    fn cited(&self, url: &str) -> Option<Cited> {
        let by = crate::model::links::cited_by(&self.articles, url)?;
        let article = self.articles.iter().find(|a| a.path == by.path);
        let url_path = article.and_then(|a| crate::model::links::url_path(&self.config, a));
        Some(Cited { by, url_path })
    }

    fn topics(&self) -> Vec<String> {
        let topics: BTreeSet<&String> =
            self.articles.iter().flat_map(|a| &a.front.topics).collect();
        topics.into_iter().cloned().collect()
    }
}

/// Fetches `url` and says what adding it would write; writes nothing. A story the digest
/// already cites is no error here: [`Look::cited`] says where.
pub fn look(root: &Path, url: &str) -> Result<Look> {
    let run = || {
        let site = Site::load(root)?;
        let url = checked(url)?;
        read(root, &site, url)
    };
    run().map_err(printable_error)
}

/// Fetches `request.url` and writes a draft article for it in the site at `root`.
pub fn add(root: &Path, request: &AddRequest) -> Result<Added> {
    let run = || {
        let site = Site::load(root)?;
        let url = checked(&request.url)?;
        if !request.force {
            refuse_cited(site.cited(url), url)?;
        }
        let look = read(root, &site, url)?;
        if !request.force {
            refuse_cited(look.cited.clone(), &look.source)?;
        }
        write(root, &site.config, request, &look)
    };
    run().map_err(printable_error)
}

/// What a feed already told of a story: drafting it fetches the page only when the feed
/// gave no headline or no summary.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub outlet: String,
    pub image: Option<String>,
    pub lang: Option<String>,
    /// When the outlet published it (RFC 3339).
    pub published: Option<String>,
}

/// Writes the draft for a story a feed gave (`gazette inbox draft`), as [`add`] would.
pub fn draft_known(root: &Path, request: &AddRequest, known: &Known) -> Result<Added> {
    let run = || {
        let site = Site::load(root)?;
        if !request.force {
            refuse_cited(site.cited(&known.url), &known.url)?;
        }
        let look = match known.title.is_empty() || known.summary.is_empty() {
            true => read(root, &site, checked(&known.url)?)?,
            false => look_known(root, &site, known),
        };
        if !request.force {
            refuse_cited(look.cited.clone(), &look.source)?;
        }
        write(root, &site.config, request, &look)
    };
    run().map_err(printable_error)
}

fn look_known(root: &Path, site: &Site, known: &Known) -> Look {
    let outlets = known_outlets(root, &site.articles);
    let host = crate::model::host_of(&known.url).to_ascii_lowercase();
    let outlet = outlets
        .get(&host)
        .cloned()
        .unwrap_or_else(|| plain(&known.outlet));
    let meta = Metadata {
        title: Some(plain(&known.title)),
        description: Some(plain(&known.summary)),
        image: known.image.clone(),
        outlet: outlet.clone(),
        author: None,
        published: known.published.clone(),
        language: known.lang.clone(),
        canonical: known.url.clone(),
    };
    Look {
        title: plain(&known.title),
        outlet,
        source: crate::util::url::clean(&known.url),
        cited: site.cited(&known.url),
        topics: site.topics(),
        lang: other_language(known.lang.as_deref(), &site.config.language),
        meta,
    }
}

/// An error whose text (addresses, a server's words) cannot move the terminal's cursor
/// or change its colours.
fn printable_error(e: anyhow::Error) -> anyhow::Error {
    anyhow!("{}", printable(&format!("{e:#}")))
}

fn checked(url: &str) -> Result<&str> {
    let url = url.trim();
    if !crate::util::url::is_web(url) {
        bail!("`{url}` {}", Failure::NotWeb);
    }
    Ok(url)
}

/// Fetches the page and reads what the draft would say.
fn read(root: &Path, site: &Site, url: &str) -> Result<Look> {
    let (html, final_url) = read_page(url)?;
    let known = known_outlets(root, &site.articles);
    let known = |host: &str| known.get(&host.to_ascii_lowercase()).cloned();
    let mut meta = meta::extract_knowing(&html, &final_url, &known);
    meta.outlet = plain(&meta.outlet);
    let source = crate::util::url::clean(&meta.canonical);
    let cited = [url, &final_url, &source]
        .iter()
        .find_map(|u| site.cited(u));
    let title = meta
        .title
        .as_deref()
        .map(plain)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| plain(&title_from_address(&source, &meta.outlet)));
    let lang = other_language(meta.language.as_deref(), &site.config.language);
    Ok(Look {
        title,
        outlet: meta.outlet.clone(),
        source,
        cited,
        topics: site.topics(),
        meta,
        lang,
    })
}

/// Writes the draft `look` describes.
fn write(root: &Path, config: &SiteConfig, request: &AddRequest, look: &Look) -> Result<Added> {
    let date = article_date(request.date.as_deref(), config.timezone)?;
    let rel = article_rel(root, &date, &look.title, request.slug.as_deref())?;
    let text = draft_text(&date, request, look);
    let rel = write_article(root, &rel, &text)?;
    // The file is `YYYY-MM-DD-<slug>.md`; the URL has the slug alone.
    let stem = rel
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().to_string());
    let slug = match crate::source::articles::date_prefix(&stem) {
        Some((_, len)) => stem[(len + 1).min(stem.len())..].to_string(),
        None => stem,
    };
    let url_path = crate::model::article_url_path(config, date.naive_local(), &slug);
    Ok(Added {
        rel,
        url_path,
        source: look.source.clone(),
        day: date.format("%Y%m%d").to_string(),
    })
}

/// The page's language tag when its language (the part before `-`) is not the site's;
/// `None` when they are the same or the page's tag is no language tag.
fn other_language(page: Option<&str>, site: &str) -> Option<String> {
    let page = page?.trim().replace('_', "-");
    let valid = !page.is_empty()
        && page.len() <= 35
        && page.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && page
            .split('-')
            .all(|part| !part.is_empty() && part.len() <= 8);
    let primary = |tag: &str| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    (valid && primary(&page) != primary(site)).then_some(page)
}

fn refuse_cited(cited: Option<Cited>, url: &str) -> Result<()> {
    match cited {
        Some(cited) => {
            bail!(
                "{} already cites this story ({url}); pass --force to add it anyway",
                cited.by
            )
        }
        None => Ok(()),
    }
}

/// The page's text and its address after redirects; a failure, or a page that is not
/// HTML, is an error.
fn read_page(url: &str) -> Result<(String, String)> {
    let page = match http::get(url, Limits::from_env()) {
        Ok(page) => page,
        Err(failure) => bail!("{url} {failure}"),
    };
    let mime = page
        .content_type
        .as_deref()
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let sniffed = mime.is_empty() && page.body.trim_ascii_start().starts_with(b"<");
    if !(matches!(mime.as_str(), "text/html" | "application/xhtml+xml") || sniffed) {
        let what = if mime.is_empty() {
            "of no stated type"
        } else {
            &mime
        };
        bail!("{url} is not a web page (it is {what}); to cite it, start an article with `gazette new \"Title\" --source {url}`");
    }
    let (text, _) = charset::decode(&page.body, page.content_type.as_deref());
    Ok((text, page.url))
}

/// A headline for a page that gives none: the last part of its path in words
/// (`/news/kerala-floods-2018` -> "Kerala floods 2018"), else the outlet's name.
pub(crate) fn title_from_address(url: &str, outlet: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = last.split('.').next().unwrap_or(last);
    let last = crate::util::slug::percent_decode(last).unwrap_or_else(|| last.to_string());
    let words: Vec<&str> = last
        .split(['-', '_', '+'])
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || path.trim_end_matches('/').rfind('/').is_none() {
        return outlet.to_string();
    }
    let text = words.join(" ");
    let mut chars = text.chars();
    chars
        .next()
        .map_or(text.clone(), |c| c.to_uppercase().chain(chars).collect())
}

/// The draft's text: a `draft: true` article citing the page, with the page's own
/// description as a placeholder for the curator's summary (as plain text: the summary is
/// Markdown, and the page's words must not become images or links there).
fn draft_text(date: &DateTime<Tz>, request: &AddRequest, look: &Look) -> String {
    let meta = &look.meta;
    let topics: Vec<String> = request.topics.iter().map(|t| plain(t)).collect();
    let shown = date_value(request.date.as_deref(), date);
    let mut text = first_lines(&look.title, &shown, &topics);
    text.push_str("draft: true\n");
    if let Some(story) = request
        .story
        .as_deref()
        .map(plain)
        .filter(|s| !s.is_empty())
    {
        text.push_str(&format!("story: {}\n", yaml_text(&story)));
    }
    if let Some(lang) = &look.lang {
        text.push_str(&format!("lang: {}\n", yaml_text(lang)));
    }
    match meta.description.as_deref().map(markdown_text).filter(|d| !d.is_empty()) {
        Some(d) => text.push_str(&format!(
            "summary: {}  # the page's own words: replace them with one or two sentences of yours\n",
            yaml_text(&d)
        )),
        None => text.push_str("summary: \"\"  # one or two sentences in your own words\n"),
    }
    text.push_str(&format!(
        "source:\n  name: {}\n  url: {}\n",
        yaml_text(&look.outlet),
        yaml_text(&plain(&look.source))
    ));
    if let Some(image) = &meta.image {
        text.push_str(&format!(
            "image:\n  src: {}\n  alt: \"\"  # what the image shows, for readers who cannot see it\n  credit: {}\n",
            yaml_text(&plain(image)),
            yaml_text(&look.outlet)
        ));
    }
    text.push_str(&original_lines(meta));
    text.push_str("---\nWhat happened, and why it matters to your readers.\n");
    text
}

/// What the page says of the original story that the front matter has no key for, under
/// `extra:` (templates see it as `extra.source_author`…).
fn original_lines(meta: &Metadata) -> String {
    let fields = [
        ("source_author", &meta.author),
        ("source_published", &meta.published),
        ("source_language", &meta.language),
    ];
    let lines: Vec<String> = fields
        .iter()
        .filter_map(|(key, value)| {
            let value = plain(value.as_deref()?);
            (!value.is_empty()).then(|| format!("  {key}: {}\n", yaml_text(&value)))
        })
        .collect();
    match lines.is_empty() {
        true => String::new(),
        false => format!("extra:\n{}", lines.concat()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_without_a_headline_is_named_by_its_address() {
        let outlet = "Daily Meridian";
        for (url, title) in [
            (
                "https://x.example/news/kerala-floods-2018",
                "Kerala floods 2018",
            ),
            (
                "https://x.example/news/kerala_floods.html?id=3",
                "Kerala floods",
            ),
            ("https://x.example/news/%EC%84%9C%EC%9A%B8/", "서울"),
            ("https://x.example/", "Daily Meridian"),
            ("https://x.example", "Daily Meridian"),
        ] {
            assert_eq!(title_from_address(url, outlet), title, "{url}");
        }
    }

    #[test]
    fn only_a_page_in_another_language_gets_lang() {
        assert_eq!(other_language(Some("ko_KR"), "en"), Some("ko-KR".into()));
        assert_eq!(other_language(Some("ml"), "en-GB"), Some("ml".into()));
        assert_eq!(other_language(Some("en-IN"), "en"), None);
        assert_eq!(other_language(Some("EN"), "en"), None);
        assert_eq!(other_language(Some("ko\"\n"), "en"), None, "no tag");
        assert_eq!(other_language(None, "en"), None);
    }

    #[test]
    fn the_draft_cites_the_clean_address_and_keeps_the_original_in_extra() {
        let meta = Metadata {
            title: Some("Kerala floods".into()),
            description: Some("The \"worst\" floods.".into()),
            image: Some("https://x.example/a.jpg".into()),
            outlet: "Daily Meridian".into(),
            author: Some("Priya Nair".into()),
            published: Some("2018-08-16T09:30:00+05:30".into()),
            language: Some("en".into()),
            canonical: "https://x.example/kerala".into(),
        };
        let request = AddRequest {
            topics: vec!["India".into(), " Weather ".into()],
            story: Some("kerala-floods".into()),
            ..Default::default()
        };
        let date =
            article_date(Some("2018-08-16T10:00:00+05:30"), chrono_tz::Asia::Kolkata).unwrap();
        let look = Look {
            title: "Kerala floods".into(),
            outlet: "Daily Meridian".into(),
            source: "https://x.example/kerala".into(),
            cited: None,
            topics: Vec::new(),
            meta,
            lang: None,
        };
        let text = draft_text(&date, &request, &look);
        assert_eq!(text, "---
title: \"Kerala floods\"
date: 2018-08-16T10:00:00+05:30
topics: [\"India\", \"Weather\"]
draft: true
story: \"kerala-floods\"
summary: \"The \\\"worst\\\" floods.\"  # the page's own words: replace them with one or two sentences of yours
source:
  name: \"Daily Meridian\"
  url: \"https://x.example/kerala\"
image:
  src: \"https://x.example/a.jpg\"
  alt: \"\"  # what the image shows, for readers who cannot see it
  credit: \"Daily Meridian\"
extra:
  source_author: \"Priya Nair\"
  source_published: \"2018-08-16T09:30:00+05:30\"
  source_language: \"en\"
---
What happened, and why it matters to your readers.
");
    }
}
