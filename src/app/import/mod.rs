//! `gazette import PLATFORM FILE`: a platform's export as Markdown articles in `content/`,
//! each written once (a file that is there is never overwritten: a second import of the
//! same file writes nothing). Read: Substack's export archive, Ghost's JSON export,
//! WordPress's WXR file and Buttondown's emails CSV. Each post keeps its title, subtitle
//! (the summary), date with its zone, authors, topics, issue number, drafts as drafts,
//! paid-only posts marked and left as drafts, and its address on the platform as an old
//! address (a redirect), so old links keep working. HTML bodies become Markdown
//! ([`html`]); images stay remote, or with `--images` are downloaded beside the article.

mod buttondown;
mod ghost;
mod html;
mod images;
mod substack;
mod wordpress;

use crate::app::new::{article_rel, first_lines, write_article, yaml_text};
use anyhow::{bail, Result};
use chrono::{DateTime, FixedOffset};
use std::path::Path;

/// The platforms read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// Substack's export: the .zip as downloaded (or its folder), posts.csv and posts/*.html
    Substack,
    /// Ghost's JSON export (Ghost 5; Lexical or Mobiledoc bodies, else their HTML)
    Ghost,
    /// WordPress's export (WXR 1.2, Tools → Export → Posts)
    Wordpress,
    /// Buttondown's export: its emails CSV (subject, body in Markdown, publish_date, slug,
    /// status, email_type, description, secondary_id, absolute_url)
    Buttondown,
}

/// A post's body as the export holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Markdown(String),
    Html(String),
}

/// One post of an export, as the article it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub summary: Option<String>,
    pub number: Option<u32>,
    pub slug: Option<String>,
    pub authors: Vec<String>,
    pub topics: Vec<String>,
    /// The lead photo's address (Ghost's feature image).
    pub image: Option<String>,
    pub draft: bool,
    /// Only paying subscribers could read it: marked, and left as a draft.
    pub paid: bool,
    /// Its path on the platform (made a redirect to the article): `/p/slug`.
    pub old_path: Option<String>,
    pub body: Body,
    /// What reading it found worth a warning.
    pub notes: Vec<String>,
}

impl Post {
    /// A post with a title, a date and a body; everything else empty.
    pub fn new(title: String, date: DateTime<FixedOffset>, body: Body) -> Post {
        Post {
            title,
            date,
            summary: None,
            number: None,
            slug: None,
            authors: Vec::new(),
            topics: Vec::new(),
            image: None,
            draft: false,
            paid: false,
            old_path: None,
            body,
            notes: Vec::new(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub written: Vec<String>,
    /// What and why.
    pub skipped: Vec<(String, String)>,
    /// `content/…md: what to check`.
    pub warnings: Vec<String>,
}

/// Largest export read.
const MAX_EXPORT: u64 = 200 << 20;

/// Reads `file` as `platform`'s export and writes its posts into the site at `root`;
/// with `download`, images are fetched into each article's folder.
pub fn import(root: &Path, platform: Platform, file: &Path, download: bool) -> Result<Report> {
    let name = file.display().to_string();
    let mut report = Report::default();
    let posts = match platform {
        Platform::Substack => substack::read(file, &name)?,
        Platform::Ghost => ghost::read(&read_export(file, &name)?, &name, &mut report)?,
        Platform::Wordpress => wordpress::read(&read_export(file, &name)?, &name, &mut report)?,
        Platform::Buttondown => buttondown::read(&read_export(file, &name)?, &name)?,
    };
    let config = crate::config::SiteConfig::load(root)?;
    for post in posts {
        let date = post.date.with_timezone(&config.timezone);
        let rel = match article_rel(root, &date, &post.title, post.slug.as_deref())
            .and_then(|rel| not_as_folder(root, rel))
        {
            Ok(rel) => rel,
            Err(e) => {
                let why = crate::app::add::text::printable(&e.to_string());
                report.skipped.push((format!("\"{}\"", post.title), why));
                continue;
            }
        };
        write_post(root, rel, post, download, &mut report)?;
    }
    Ok(report)
}

/// The export file's text (at most [`MAX_EXPORT`]).
fn read_export(file: &Path, name: &str) -> Result<String> {
    let Ok((bytes, _)) = crate::util::fs::read_stamped_up_to(file, MAX_EXPORT)? else {
        bail!("{name} is larger than 200 MB; Gazette imports exports up to that size");
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `rel`, unless the article is there as a folder already (`…/slug/index.md`, as
/// `--images` writes it).
fn not_as_folder(root: &Path, rel: String) -> Result<String> {
    let folder = bundle(&rel);
    if root.join(&folder).exists() {
        bail!("{folder} already exists; choose another title or pass --slug");
    }
    Ok(rel)
}

/// `content/2024/06/2024-06-07-x/index.md` for `content/2024/06/2024-06-07-x.md`.
fn bundle(rel: &str) -> String {
    format!("{}/index.md", rel.trim_end_matches(".md"))
}

/// Converts `post`'s body, fetches its images when asked, and writes it at `rel` (or as
/// a folder with its images).
fn write_post(
    root: &Path,
    rel: String,
    mut post: Post,
    download: bool,
    report: &mut Report,
) -> Result<()> {
    let mut warnings = std::mem::take(&mut post.notes);
    let (mut body, mut remote) = match &post.body {
        Body::Markdown(text) => (text.clone(), Vec::new()),
        Body::Html(text) => {
            let converted = html::to_markdown(text);
            warnings.extend(conversion_notes(&converted));
            (converted.markdown, converted.images)
        }
    };
    remote.extend(post.image.iter().cloned());
    remote.retain(|u| crate::util::url::is_web(u));
    remote.dedup();
    let mut files = Vec::new();
    if download && !remote.is_empty() {
        let mut fetched = images::fetch(&remote);
        warnings.extend(fetched.failures.iter().cloned());
        // Names no file of the article's folder has (it may hold the curator's files).
        let folder = root.join(bundle(&rel)).with_file_name("");
        for (_, name, _) in fetched.files.iter_mut() {
            let mut n = 2;
            let (stem, ext) = name
                .rsplit_once('.')
                .map_or((name.clone(), String::new()), |(s, e)| {
                    (s.to_string(), e.to_string())
                });
            while folder.join(&*name).exists() {
                *name = format!("{stem}-{n}.{ext}");
                n += 1;
            }
        }
        for (url, name, _) in &fetched.files {
            body = body.replace(&format!("]({url})"), &format!("]({name})"));
            if post.image.as_deref() == Some(url.as_str()) {
                post.image = Some(name.clone());
            }
        }
        remote.retain(|u| !fetched.files.iter().any(|(url, _, _)| url == u));
        files = fetched.files;
    }
    if !remote.is_empty() {
        warnings.push(remote_note(&remote, download));
    }
    let rel = match files.is_empty() {
        true => rel,
        false => bundle(&rel),
    };
    // (Control characters of any export, raw or escaped in its JSON, stay out of the file.)
    let body = crate::util::text::clean(&body).into_owned();
    write_article(root, &rel, &article_text(&post, &body))?;
    let folder = Path::new(&rel).parent().unwrap_or(Path::new(""));
    for (url, name, bytes) in &files {
        if let Err(e) = crate::util::fs::write_new(&root.join(folder).join(name), bytes) {
            let url = crate::app::add::text::printable(url);
            warnings.push(format!("the image {url} could not be saved as {name} ({e:#}); the article names a file that is not there"));
        }
    }
    report
        .warnings
        .extend(warnings.into_iter().map(|w| format!("{rel}: {w}")));
    report.written.push(rel);
    Ok(())
}

/// Warnings about what an HTML body kept or lost.
fn conversion_notes(converted: &html::Converted) -> Vec<String> {
    let list = |set: &std::collections::BTreeSet<String>| {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    };
    let mut notes = Vec::new();
    if !converted.kept.is_empty() {
        notes.push(format!("kept as HTML (Markdown has no form for it): {}; check how it shows with `gazette serve`", list(&converted.kept)));
    }
    if !converted.dropped.is_empty() {
        notes.push(format!(
            "left out: {} (scripts, styles and forms do nothing on a static page)",
            list(&converted.dropped)
        ));
    }
    notes
}

/// The warning for images left on the platform's servers.
fn remote_note(remote: &[String], download: bool) -> String {
    let mut hosts: Vec<String> = remote
        .iter()
        .map(|u| crate::util::url::authority(u))
        .collect();
    hosts.sort();
    hosts.dedup();
    let n = remote.len();
    let images = if n == 1 {
        "1 image stays".to_string()
    } else {
        format!("{n} images stay")
    };
    match download {
        true => format!("{images} on {} (not downloaded: see above); the page shows them from there while they last", hosts.join(", ")),
        false => format!("{images} on {}; to keep copies beside the article, import it with --images (move this file away first: an import never writes over a file)", hosts.join(", ")),
    }
}

/// The article file for `post` with `body` (Markdown).
fn article_text(post: &Post, body: &str) -> String {
    let date = post.date.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let mut text = first_lines(&post.title, &date, &post.topics);
    if let Some(summary) = &post.summary {
        text.push_str(&format!("summary: {}\n", yaml_text(summary)));
    }
    match post.authors.as_slice() {
        [] => {}
        [one] => text.push_str(&format!("author: {}\n", yaml_text(one))),
        many => {
            let names: Vec<String> = many.iter().map(|a| yaml_text(a)).collect();
            text.push_str(&format!("author: [{}]\n", names.join(", ")));
        }
    }
    if let Some(image) = &post.image {
        text.push_str(&format!("image: {}\n", yaml_text(image)));
    }
    if let Some(n) = post.number {
        text.push_str(&format!("number: {n}\n"));
    }
    if post.draft || post.paid {
        text.push_str("draft: true\n");
    }
    if let Some(path) = &post.old_path {
        text.push_str(&format!("aliases: [{}]\n", yaml_text(path)));
    }
    if post.paid {
        text.push_str("extra:\n  paid_only: true  # for paying subscribers on the platform: left as a draft\n");
    }
    text.push_str("---\n");
    text.push_str(body.trim_end());
    text.push('\n');
    text
}

/// The path of a web address (`/p/slug` for `https://x.substack.com/p/slug`), if it has
/// one beyond `/`.
pub fn path_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (path.len() > 1).then(|| path.to_string())
}

/// A date written with its zone (RFC 3339), or with none (then UTC).
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()
            .map(|d| d.and_utc().fixed_offset())
    })
}
