//! Links and images in articles that point at nothing of the site: `check` reports them
//! as problems, `build` as warnings (with the same message and `path:line`), and
//! `build --strict` refuses to publish them.

use crate::config::SiteConfig;
use crate::model::{Article, Digest};
use crate::problem::Problem;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// What [`examine`] found in some articles.
#[derive(Debug, Default)]
pub struct Examined {
    /// Links and images examined.
    pub count: usize,
    /// Those that point at no page or file of the site, or at no file at all.
    pub broken: Vec<Problem>,
    /// External links (`(file, line, url)`), which only `check --external` fetches; the
    /// articles' source links among them.
    pub external: Vec<(String, usize, String)>,
}

/// Every site path a link may point at: pages, files beside articles, static files, and
/// the files a build writes itself (feeds, sitemap, search index…).
pub fn targets(root: &Path, config: &SiteConfig, digest: &Digest) -> Result<HashSet<String>> {
    let mut targets: HashSet<String> = digest.pages.iter().map(|p| p.path.clone()).collect();
    targets.extend(digest.assets.iter().map(|a| a.out_path.clone()));
    targets.extend(crate::pipeline::claims::static_files(root, config)?.into_keys());
    let specs =
        crate::render::feed::feed_specs(config, &crate::render::Locale::english(), digest, &[]);
    targets.extend(
        crate::pipeline::claims::generated_files(config, digest, &specs)
            .into_iter()
            .map(|(path, _)| path.into_owned()),
    );
    Ok(targets)
}

/// The links that point into the site and find nothing there, in the published articles:
/// what `build` warns about. (Bodies are not held in a build: each article's links into
/// the site were kept when it was read.)
pub fn broken(digest: &Digest, targets: &HashSet<String>) -> Vec<Problem> {
    let mut broken: Vec<Problem> = digest
        .articles
        .par_iter()
        .flat_map_iter(|article| {
            let image = article
                .image
                .as_ref()
                .map(|i| (article.image_line, i.src.clone(), true));
            let links = article.site_links.iter().cloned().chain(image);
            links
                .filter_map(|(line, dest, image)| {
                    examine_link(digest, article, targets, line, &dest, image).err()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    broken.sort();
    broken
}

/// The extensions of working files (notes, drafts in a word processor, spreadsheets,
/// editors' backups) that end up in `content/` by mistake: such a file is published as it
/// is, beside the articles, unless something says otherwise.
const WORKING_FILES: &[&str] = &[
    "txt", "doc", "docx", "odt", "rtf", "pages", "xls", "xlsx", "ods", "numbers", "key", "ppt",
    "pptx", "psd", "ai", "sketch", "xcf", "bak", "tmp", "swp", "orig", "log",
];

/// A warning for each working file in `content/` (`todo.txt`, `notes.docx`, `a.md~`) that
/// no article of any language's tree links to: it would be published without a word.
pub fn stray_files(trees: &[&Digest]) -> Vec<Problem> {
    let linked: HashSet<&Path> = trees.iter().flat_map(|d| linked_files(d)).collect();
    let working = |rel: &Path| {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        name.ends_with('~') || WORKING_FILES.contains(&ext.to_ascii_lowercase().as_str())
    };
    let Some(first) = trees.first() else {
        return Vec::new();
    };
    let mut found = unread_formats(first, &linked);
    found.extend(first
        .assets
        .iter()
        .filter(|a| working(&a.rel) && !linked.contains(a.rel.as_path()))
        .map(|a| {
            let shown = format!("content/{}", a.rel.to_string_lossy().replace('\\', "/"));
            Problem::new(
                &shown,
                None,
                format!("would be published at /{} though no article links to it; move it out of content/ (files to publish as they are go in static/), or link it from an article", a.out_path),
            )
        }));
    found
}

/// Pages in formats other tools read and Gazette does not (Pelican's reStructuredText and
/// HTML pages…), no article links to: one warning for them all, with a count.
fn unread_formats(digest: &Digest, linked: &HashSet<&Path>) -> Vec<Problem> {
    const UNREAD: &[&str] = &["rst", "html", "htm", "ipynb", "textile", "adoc", "org"];
    let files: Vec<String> = digest
        .assets
        .iter()
        .filter(|a| {
            let ext = a.rel.extension().and_then(|e| e.to_str()).unwrap_or("");
            UNREAD.contains(&ext.to_ascii_lowercase().as_str()) && !linked.contains(a.rel.as_path())
        })
        .map(|a| a.rel.to_string_lossy().replace('\\', "/"))
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    let shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
    let more = match files.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    let message = format!(
        "{} in formats Gazette does not read as articles ({}{more}); Gazette reads Markdown: convert them (for example `pandoc -f rst -t markdown`), or move them out of content/",
        crate::util::plural(files.len(), "file", "files"),
        shown.join(", ")
    );
    vec![Problem::new("content/", None, message)]
}

/// The files of `content/` that the articles of `digest` link to or show.
fn linked_files(digest: &Digest) -> Vec<&Path> {
    let by_path: std::collections::HashMap<&str, &Path> = digest
        .assets
        .iter()
        .map(|a| (a.out_path.as_str(), a.rel.as_path()))
        .collect();
    let mut linked = Vec::new();
    for a in &digest.articles {
        let image = a.image.as_ref().map(|i| i.src.as_str());
        let links = a.site_links.iter().map(|(_, dest, _)| dest.as_str());
        for dest in links.chain(image) {
            let Ok(Some(path)) = digest.resolve_link(&a.rel, dest) else {
                continue;
            };
            let end = path.find(['?', '#']).unwrap_or(path.len());
            if let Some(rel) = by_path.get(&path[..end]) {
                linked.push(*rel);
            }
        }
    }
    linked
}

/// Examines every link and image of `articles`.
pub fn examine(digest: &Digest, articles: &[Article], targets: &HashSet<String>) -> Examined {
    articles
        .par_iter()
        .map(|article| examine_one(digest, article, targets))
        .reduce(Examined::default, |mut a, b| {
            a.count += b.count;
            a.broken.extend(b.broken);
            a.external.extend(b.external);
            a
        })
}

fn examine_one(digest: &Digest, article: &Article, targets: &HashSet<String>) -> Examined {
    let mut found = Examined::default();
    let line_of = |offset: usize| {
        article.body_line
            + article.body[..offset.min(article.body.len())]
                .matches('\n')
                .count()
    };
    let mut links: Vec<(usize, String, bool)> = crate::markdown::links(&article.body)
        .into_iter()
        .map(|l| (line_of(l.offset), l.dest, l.image))
        .collect();
    if let Some(image) = &article.image {
        links.push((article.image_line, image.src.clone(), true));
    }
    if let Some(source) = &article.source {
        let url = source.url.clone();
        found
            .external
            .push((article.path.clone(), article.source_line, url));
    }
    for (line, dest, image) in links {
        found.count += 1;
        match examine_link(digest, article, targets, line, &dest, image) {
            Ok(true) => found.external.push((article.path.clone(), line, dest)),
            Ok(false) => {}
            Err(problem) => found.broken.push(problem),
        }
    }
    found
}

/// Whether a link or image of `article` at `line` is external (`Ok(true)`), found in the
/// site (`Ok(false)`), or points at nothing (the problem).
fn examine_link(
    digest: &Digest,
    article: &Article,
    targets: &HashSet<String>,
    line: usize,
    dest: &str,
    image: bool,
) -> Result<bool, Problem> {
    let what = if image { "image" } else { "link" };
    let problem = |message: String| Problem::new(&article.path, Some(line), message);
    match digest.resolve_link(&article.rel, dest) {
        Ok(None) => Ok(dest.starts_with("http://") || dest.starts_with("https://")),
        Ok(Some(path)) if !exists(targets, &path) => Err(problem(format!(
            "{what} `{dest}` points at no page of the site; check the date and slug, or link to the article's .md file"
        ))),
        Ok(Some(_)) => Ok(false),
        // Reported once, when the digest is assembled.
        Err(_) if dest.starts_with(crate::markdown::imported::REF_SCHEME) => Ok(false),
        // (A reason that says what to do already is given as it is.)
        Err(why) if why.contains("; ") => Err(problem(format!("{what} {why}"))),
        Err(why) => Err(problem(format!(
            "{what} {why}; fix the path (relative to this file) or remove the {what}"
        ))),
    }
}

/// Whether the site path `path` (which may end in `#part` or `?query`) is written.
fn exists(targets: &HashSet<String>, path: &str) -> bool {
    let bare = path.split(['#', '?']).next().unwrap_or("");
    targets.contains(bare)
        || targets.contains(&format!("{bare}/"))
        || bare
            .strip_suffix("index.html")
            .is_some_and(|p| targets.contains(p))
}
