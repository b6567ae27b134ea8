//! Buttondown's export: the emails CSV (the columns of its API's Email object, Markdown
//! bodies), as documented in December 2026.

use super::{Body, Post};
use crate::app::add::text::plain;
use anyhow::{bail, Result};
use chrono::DateTime;

/// Buttondown's emails CSV: one row per email, the columns of its API's Email object.
pub fn read(text: &str, name: &str) -> Result<Vec<Post>> {
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
        let text = crate::util::text::clean(record.get(body).unwrap_or("")).replace("\r\n", "\n");
        let mut post = Post::new(title, date, Body::Markdown(text));
        post.summary = field("description").map(plain).filter(|s| !s.is_empty());
        post.number = field("secondary_id").and_then(|n| n.parse().ok());
        post.slug = field("slug").map(str::to_string);
        post.draft = matches!(
            status.as_str(),
            "draft" | "scheduled" | "about_to_send" | "in_flight"
        );
        post.paid = matches!(kind.as_str(), "premium" | "private");
        post.old_path = field("absolute_url")
            .filter(|u| crate::util::url::is_web(u))
            .and_then(super::path_of);
        posts.push(post);
    }
    Ok(posts)
}
