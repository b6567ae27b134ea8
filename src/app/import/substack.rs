//! Substack's export (Settings → Exports, as of December 2026): a .zip holding `posts.csv`
//! (`post_id` as `<id>.<slug>`, `post_date`, `is_published`, `type`, `audience`, `title`,
//! `subtitle`, `podcast_url`…) and each post's body in `posts/<id>.<slug>.html`. Read as
//! the .zip, its unpacked folder, or that folder's `posts.csv`.

use super::{parse_date, Body, Post};
use crate::app::add::text::plain;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Largest post body read.
const MAX_POST: u64 = 20 << 20;

/// The export's posts, from `file` (the .zip, the folder, or its posts.csv).
pub fn read(file: &Path, name: &str) -> Result<Vec<Post>> {
    let files = if file.is_dir() {
        folder(file)?
    } else if file.file_name().is_some_and(|n| n == "posts.csv") {
        folder(file.parent().unwrap_or(Path::new(".")))?
    } else {
        archive(file, name)?
    };
    let Some(csv) = files.get("posts.csv") else {
        bail!("{name}: no posts.csv in it; give the .zip Substack's export sent you, or its unpacked folder");
    };
    posts(
        &String::from_utf8_lossy(csv),
        &files,
        &format!("{name}/posts.csv"),
    )
}

/// `posts.csv` and `posts/*.html` of an unpacked export.
fn folder(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let csv = dir.join("posts.csv");
    files.insert("posts.csv".into(), limited(&csv, super::MAX_EXPORT)?);
    let mut total = 0u64;
    let posts = dir.join("posts");
    if posts.is_dir() {
        for entry in crate::util::fs::read_dir(&posts)? {
            let path = entry.path();
            let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if file.ends_with(".html") {
                let bytes = limited(&path, MAX_POST)?;
                total += bytes.len() as u64;
                if total > super::MAX_EXPORT {
                    bail!("{}: the posts add up to more than 200 MB; Gazette reads exports up to that size", dir.display());
                }
                files.insert(format!("posts/{file}"), bytes);
            }
        }
    }
    Ok(files)
}

/// A file's bytes, refused past `limit`.
fn limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    match crate::util::fs::read_stamped_up_to(path, limit)? {
        Ok((bytes, _)) => Ok(bytes),
        Err(_) => bail!(
            "{} is larger than {} MB; Gazette reads exports up to that size",
            path.display(),
            limit >> 20
        ),
    }
}

/// `posts.csv` and `posts/*.html` from the .zip (in its root or one folder down), each
/// read up to its limit, whatever the archive claims.
fn archive(file: &Path, name: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let bytes = limited(file, super::MAX_EXPORT)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .with_context(|| format!("{name} is not a .zip archive; give the .zip Substack's export sent you, or its unpacked folder"))?;
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .with_context(|| format!("{name}: entry {i} cannot be read"))?;
        let path = entry
            .name()
            .map(|n| n.replace('\\', "/"))
            .unwrap_or_default();
        let path = path
            .split_once('/')
            .filter(|(top, rest)| {
                !top.ends_with(".csv") && (rest.starts_with("posts") || *rest == "posts.csv")
            })
            .map_or(path.as_str(), |(_, rest)| rest)
            .to_string();
        let wanted = path == "posts.csv"
            || (path.starts_with("posts/") && path.ends_with(".html") && !path[6..].contains('/'));
        if !wanted || entry.is_dir() {
            continue;
        }
        let limit = if path == "posts.csv" {
            super::MAX_EXPORT
        } else {
            MAX_POST
        };
        let mut data = Vec::new();
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut data)
            .with_context(|| format!("{name}: {path} cannot be unpacked"))?;
        total += data.len() as u64;
        if data.len() as u64 > limit || total > super::MAX_EXPORT {
            bail!("{name}: {path} unpacks to more than {} MB (or the whole export to more than 200 MB); Gazette reads exports up to that size", limit >> 20);
        }
        files.insert(path, data);
    }
    Ok(files)
}

/// The rows of `posts.csv`, with their bodies from `files`.
fn posts(csv: &str, files: &BTreeMap<String, Vec<u8>>, name: &str) -> Result<Vec<Post>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => bail!(
            "{name}:1: could not read the CSV header ({e}); export the posts again from Substack"
        ),
    };
    let column = |n: &str| headers.iter().position(|h| h == n);
    if column("post_id").is_none() || column("title").is_none() {
        bail!("{name}:1: no `post_id` and `title` columns; Gazette reads the posts.csv of Substack's export");
    }
    let mut posts = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            anyhow::anyhow!(
                "{name}:{}: this row cannot be read ({e}); export the posts again",
                i + 2
            )
        })?;
        let line = record.position().map_or(i + 2, |p| p.line() as usize);
        let field = |n: &str| {
            column(n)
                .and_then(|c| record.get(c))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if let Some(post) = post(&field, files, name, line)? {
            posts.push(post);
        }
    }
    Ok(posts)
}

/// One row as a post (`None`: a row with no body file and no title, which Substack
/// writes for deleted drafts).
fn post(
    field: &dyn Fn(&str) -> Option<String>,
    files: &BTreeMap<String, Vec<u8>>,
    name: &str,
    line: usize,
) -> Result<Option<Post>> {
    let id = field("post_id").unwrap_or_default();
    let html = files.get(&format!("posts/{id}.html"));
    let title = plain(&field("title").unwrap_or_default());
    if title.is_empty() {
        if html.is_none() {
            return Ok(None);
        }
        let id = crate::app::add::text::printable(&id);
        bail!("{name}:{line}: post {id} has no title; give it one in Substack, or delete the row");
    }
    let published = field("is_published").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let date = field("post_date")
        .or(field("email_sent_at"))
        .and_then(|d| parse_date(&d));
    let Some(date) = date else {
        bail!("{name}:{line}: `post_date` of \"{title}\" is not a date such as 2024-06-07T09:00:00.000Z");
    };
    let mut body = html
        .map(|b| crate::util::text::clean(&String::from_utf8_lossy(b)).into_owned())
        .unwrap_or_default();
    let mut notes = Vec::new();
    if html.is_none() {
        notes.push(format!("posts/{id}.html is not in the export, so the article has no body; copy it from the post on Substack"));
    }
    if let Some(audio) = field("podcast_url").filter(|u| crate::util::url::is_web(u)) {
        body = format!(
            "<p><a href=\"{}\">Listen to the episode</a></p>{body}",
            crate::markdown::escape(&audio)
        );
    }
    let slug = id
        .split_once('.')
        .map(|(_, s)| s.to_string())
        .filter(|s| !s.is_empty());
    let mut post = Post::new(title, date, Body::Html(body));
    post.summary = field("subtitle")
        .map(|s| plain(&s))
        .filter(|s| !s.is_empty());
    post.old_path = slug.as_ref().map(|s| format!("/p/{s}"));
    post.slug = slug;
    post.draft = !published;
    post.paid = matches!(field("audience").as_deref(), Some("only_paid" | "founding"));
    post.notes = notes;
    Ok(Some(post))
}
