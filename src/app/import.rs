//! `gazette import PLATFORM FILE`: a newsletter platform's export as Markdown articles in
//! `content/`, each written once (a file that is there is never overwritten: a second
//! import of the same file writes nothing). Read so far: Buttondown's emails CSV (the
//! columns of its API's Email object, Markdown bodies). Each post keeps its title, its
//! description as the summary, its date with its zone, its issue number, drafts as
//! drafts, paid-only posts marked and left as drafts, and its address on the platform as
//! an old address (a redirect), so old links keep working.

use crate::app::add::text::plain;
use crate::app::new::{article_rel, first_lines, write_article, yaml_text};
use anyhow::{bail, Result};
use chrono::{DateTime, FixedOffset};
use std::path::Path;

/// The platforms read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// Buttondown's export: its emails CSV (subject, body in Markdown, publish_date, slug,
    /// status, email_type, description, secondary_id, absolute_url)
    Buttondown,
}

/// One post of an export, as the article it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub summary: Option<String>,
    pub number: Option<u32>,
    pub slug: Option<String>,
    pub draft: bool,
    /// Only paying subscribers could read it: marked, and left as a draft.
    pub paid: bool,
    /// Its address on the platform (made a redirect to the article).
    pub old_url: Option<String>,
    /// Markdown.
    pub body: String,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub written: Vec<String>,
    /// File and why.
    pub skipped: Vec<(String, String)>,
}

/// Reads `file` as `platform`'s export and writes its posts into the site at `root`.
pub fn import(root: &Path, platform: Platform, file: &Path) -> Result<Report> {
    let name = file.display().to_string();
    let Ok((bytes, _)) = crate::util::fs::read_stamped_up_to(file, 200 << 20)? else {
        bail!("{name} is larger than 200 MB; Gazette imports exports up to that size");
    };
    let text = String::from_utf8_lossy(&bytes);
    let posts = match platform {
        Platform::Buttondown => buttondown(&text, &name)?,
    };
    let config = crate::config::SiteConfig::load(root)?;
    let mut report = Report::default();
    for post in posts {
        let date = post.date.with_timezone(&config.timezone);
        let rel = match article_rel(root, &date, &post.title, post.slug.as_deref()) {
            Ok(rel) => rel,
            Err(e) => {
                report.skipped.push((
                    post.title.clone(),
                    crate::app::add::text::printable(&e.to_string()),
                ));
                continue;
            }
        };
        write_article(root, &rel, &article_text(&post))?;
        report.written.push(rel);
    }
    Ok(report)
}

/// The article file for `post`.
fn article_text(post: &Post) -> String {
    let date = post.date.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let mut text = first_lines(&post.title, &date, &[]);
    if let Some(summary) = &post.summary {
        text.push_str(&format!("summary: {}\n", yaml_text(summary)));
    }
    if let Some(n) = post.number {
        text.push_str(&format!("number: {n}\n"));
    }
    if post.draft || post.paid {
        text.push_str("draft: true\n");
    }
    if let Some(url) = &post.old_url {
        if let Some(path) = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        {
            text.push_str(&format!("aliases: [{}]\n", yaml_text(path)));
        }
    }
    if post.paid {
        text.push_str("extra:\n  paid_only: true  # for paying subscribers on the platform: left as a draft\n");
    }
    text.push_str("---\n");
    text.push_str(post.body.trim_end());
    text.push('\n');
    text
}

/// Buttondown's emails CSV: one row per email, the columns of its API's Email object.
fn buttondown(text: &str, name: &str) -> Result<Vec<Post>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => bail!("{name}:1: could not read the CSV header ({e}); export the emails again from Buttondown"),
    };
    let column = |n: &str| headers.iter().position(|h| h == n);
    let (Some(subject), Some(body)) = (column("subject"), column("body")) else {
        bail!("{name}:1: no `subject` and `body` columns; Gazette reads Buttondown's emails export (emails.csv)");
    };
    let mut posts = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => bail!(
                "{name}:{}: this row cannot be read ({e}); export the emails again",
                e.position().map_or(i + 2, |p| p.line() as usize)
            ),
        };
        let field = |n: &str| {
            column(n)
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let line = record.position().map_or(i + 2, |p| p.line() as usize);
        let title = plain(record.get(subject).unwrap_or(""));
        if title.is_empty() {
            bail!("{name}:{line}: an email without a subject; give it one in Buttondown, or delete the row");
        }
        let date = match field("publish_date").and_then(|d| DateTime::parse_from_rfc3339(d).ok()) {
            Some(date) => date,
            None => bail!("{name}:{line}: `publish_date` of \"{title}\" is not a date such as 2024-06-07T09:00:00Z"),
        };
        let status = field("status").unwrap_or("sent").to_ascii_lowercase();
        let kind = field("email_type").unwrap_or("public").to_ascii_lowercase();
        posts.push(Post {
            title,
            date,
            summary: field("description").map(plain).filter(|s| !s.is_empty()),
            number: field("secondary_id").and_then(|n| n.parse().ok()),
            slug: field("slug").map(str::to_string),
            draft: matches!(
                status.as_str(),
                "draft" | "scheduled" | "about_to_send" | "in_flight"
            ),
            paid: matches!(kind.as_str(), "premium" | "private"),
            old_url: field("absolute_url")
                .filter(|u| crate::util::url::is_web(u))
                .map(str::to_string),
            body: crate::util::text::clean(record.get(body).unwrap_or("")).replace("\r\n", "\n"),
        });
    }
    Ok(posts)
}
