//! `gazette add URL`: fetches a news page (through [`crate::util::http`]), reads it in its
//! own encoding ([`charset`]), takes its metadata ([`meta`]) and writes a draft article
//! for it in `content/YYYY/MM/YYYY-MM-DD-<slug>.md`, where `gazette new` puts one. A story the digest
//! already cites is refused (addresses compared by [`crate::util::url::story_key`]); every
//! failure is one line, and writes nothing.

mod charset;
mod html;
mod meta;

use crate::app::new::{
    article_date, article_rel, date_value, first_lines, write_article, yaml_text,
};
use crate::config::SiteConfig;
use crate::source::articles::LoadedArticle;
use crate::util::http::{self, Failure, Limits};
use anyhow::{bail, Result};
use chrono::DateTime;
use chrono_tz::Tz;
use meta::Metadata;
use std::path::{Path, PathBuf};

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
}

/// Fetches `request.url` and writes a draft article for it in the site at `root`.
pub fn add(root: &Path, request: &AddRequest) -> Result<Added> {
    let url = request.url.trim();
    if !crate::util::url::is_web(url) {
        bail!("`{url}` {}", Failure::NotWeb);
    }
    let config = SiteConfig::load(root)?;
    let articles = match request.force {
        true => Vec::new(),
        false => cited_articles(root, &config)?,
    };
    refuse_cited(&articles, url)?;
    let (meta, final_url) = read_page(url)?;
    let source = crate::util::url::clean(&meta.canonical);
    refuse_cited(&articles, &final_url)?;
    refuse_cited(&articles, &source)?;
    let date = article_date(request.date.as_deref(), config.timezone)?;
    let title = meta
        .title
        .clone()
        .unwrap_or_else(|| title_from_address(&source, &meta.outlet));
    let rel = article_rel(root, &date, &title, request.slug.as_deref())?;
    let text = draft_text(&title, &date, request, &meta, &source);
    let rel = write_article(root, &rel, &text)?;
    // The file is `YYYY-MM-DD-<slug>.md`; the URL has the slug alone.
    let stem = rel
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().to_string());
    let slug = match crate::source::articles::date_prefix(&stem) {
        Some((_, len)) => stem[(len + 1).min(stem.len())..].to_string(),
        None => stem,
    };
    let url_path = crate::model::article_url_path(&config, date.naive_local(), &slug);
    Ok(Added { rel, url_path })
}

/// The site's articles, drafts too, to find a story already cited (files that do not
/// read as articles are left out: `check` reports them).
fn cited_articles(root: &Path, config: &SiteConfig) -> Result<Vec<LoadedArticle>> {
    let options = crate::source::front_matter::Options::for_site(config);
    let content = crate::source::articles::load(&root.join("content"), "content", &options)?;
    Ok(content.articles)
}

fn refuse_cited(articles: &[LoadedArticle], url: &str) -> Result<()> {
    match crate::model::links::cited_by(articles, url) {
        Some(citation) => {
            bail!("{citation} already cites this story ({url}); pass --force to add it anyway")
        }
        None => Ok(()),
    }
}

/// The page's metadata and its address after redirects; a failure, or a page that is not
/// HTML, is an error.
fn read_page(url: &str) -> Result<(Metadata, String)> {
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
    Ok((meta::extract(&text, &page.url), page.url))
}

/// A headline for a page that gives none: the last part of its path in words
/// (`/news/kerala-floods-2018` -> "Kerala floods 2018"), else the outlet's name.
fn title_from_address(url: &str, outlet: &str) -> String {
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
/// description as a placeholder for the curator's summary.
fn draft_text(
    title: &str,
    date: &DateTime<Tz>,
    request: &AddRequest,
    meta: &Metadata,
    source: &str,
) -> String {
    let shown = date_value(request.date.as_deref(), date);
    let mut text = first_lines(title, &shown, &request.topics);
    text.push_str("draft: true\n");
    if let Some(story) = request
        .story
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        text.push_str(&format!("story: {}\n", yaml_text(story)));
    }
    match &meta.description {
        Some(d) => text.push_str(&format!(
            "summary: {}  # the page's own words: replace them with one or two sentences of yours\n",
            yaml_text(d)
        )),
        None => text.push_str("summary: \"\"  # one or two sentences in your own words\n"),
    }
    text.push_str(&format!(
        "source:\n  name: {}\n  url: {}\n",
        yaml_text(&meta.outlet),
        yaml_text(source)
    ));
    if let Some(image) = &meta.image {
        text.push_str(&format!(
            "image:\n  src: {}\n  alt: \"\"  # what the image shows, for readers who cannot see it\n  credit: {}\n",
            yaml_text(image),
            yaml_text(&meta.outlet)
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
        .filter_map(|(key, value)| Some(format!("  {key}: {}\n", yaml_text(value.as_deref()?))))
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
        let text = draft_text(
            "Kerala floods",
            &date,
            &request,
            &meta,
            "https://x.example/kerala",
        );
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
