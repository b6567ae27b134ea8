//! Walks `content/`, reads every article file (`read`, reusing what `remember` kept) and
//! collects every problem, not just the first.

use crate::problem::{Problem, Problems};
use crate::source::front_matter::{self, FrontMatter};
use crate::util::fs::Stamp;
use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod read;
mod remember;
pub use read::*;
pub use remember::*;

/// One article file as read from disk, before it joins the digest.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoadedArticle {
    /// The path shown in messages, relative to the site root: `content/2018/08/kim.md`.
    pub path: String,
    /// The path relative to `content/`.
    pub rel: PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// The line of the file where the Markdown body starts.
    pub body_line: usize,
    /// A hash of the file's bytes (the build cache's key for its rendered Markdown).
    pub source_hash: u64,
    /// What lists need of the body, found once here: the Markdown of its lead (the text
    /// before `<!-- more -->`, else the first paragraph), its word count, and whether it
    /// has links that may point into the site.
    pub lead: Option<String>,
    pub words: usize,
    pub links_inside: bool,
    /// Links to other articles by name (`{% post_url %}`, `{% link %}`, `{{< ref >}}`):
    /// the line, the tag as written and the name, which the model looks up.
    #[serde(default)]
    pub refs: Vec<(usize, String, String)>,
    /// The body's links and images that may point into the site (not `http(s):`, not a
    /// fragment): `(line, destination, is an image)`, kept so a build checks them without
    /// holding the body.
    #[serde(default)]
    pub site_links: Vec<(usize, String, bool)>,
    /// The images of the Markdown body (`![alt](dest)`): each line and destination.
    #[serde(default)]
    pub images: Vec<(usize, String)>,
}

/// Everything found in `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by path.
    pub articles: Vec<LoadedArticle>,
    /// Files that are not articles, relative to `content/`, sorted.
    pub assets: Vec<PathBuf>,
    pub warnings: Vec<Problem>,
    /// Files that could not be read as articles (left out of `articles`).
    pub problems: Vec<Problem>,
}

impl Content {
    /// The content, or every problem found as one error.
    pub fn or_problems(self) -> Result<Content, Problems> {
        if self.problems.is_empty() {
            Ok(self)
        } else {
            Err(Problems(self.problems))
        }
    }
}

/// Reads every file under `content_dir`. `shown` is how the folder is named in messages.
/// Problems with single files are collected in `Content::problems`, not returned as errors.
pub fn load(content_dir: &Path, shown: &str, options: &front_matter::Options) -> Result<Content> {
    load_reusing(
        content_dir,
        shown,
        options,
        &mut Remembered {
            keep_bodies: true,
            ..Default::default()
        },
    )
}

/// What walking `content/` found: articles and other files (relative to `content/`), and
/// the entries refused (links out of the site, names that are not UTF-8).
struct Walked {
    article_paths: Vec<PathBuf>,
    assets: Vec<PathBuf>,
    refused: Vec<Problem>,
}

/// Walks `content_dir` in file-name order. Symbolic links are followed only while they
/// stay inside the site; editor's notes (`content/editions/`) and editor leftovers are
/// skipped.
fn walk(content_dir: &Path, shown: &str) -> Result<Walked> {
    let mut walked = Walked {
        article_paths: Vec::new(),
        assets: Vec::new(),
        refused: Vec::new(),
    };
    if !content_dir.is_dir() {
        return Ok(walked);
    }
    // Symbolic links are followed only while they stay inside the site.
    let site = crate::util::fs::canonicalize(content_dir.parent().unwrap_or(content_dir))?;
    let shown_rel = |path: &Path| {
        let rel = path.strip_prefix(content_dir).unwrap_or(path);
        format!("{shown}/{}", rel.to_string_lossy().replace('\\', "/"))
    };
    let refused = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let refusal = entry_refused(e, &site, &shown_rel);
            let kept = refusal.is_none() && !skipped(e);
            refused.borrow_mut().extend(refusal);
            kept
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => {
                let path = e.path().map(shown_rel).unwrap_or_else(|| shown.to_string());
                refused.borrow_mut().push(Problem::new(
                    &path,
                    None,
                    "is a symbolic link to a folder that contains it; remove the link",
                ));
                continue;
            }
            Err(e) => anyhow::bail!("could not list {}: {e}", content_dir.display()),
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(content_dir)?.to_path_buf();
        if rel.to_str().is_none() {
            // Two such names could become one URL once their invalid bytes are replaced.
            refused.borrow_mut().push(Problem::new(
                shown_rel(entry.path()),
                None,
                "has a name that is not valid UTF-8 text, so no URL can name it; rename the file",
            ));
        } else if super::is_article(&rel) {
            walked.article_paths.push(rel);
        } else {
            walked.assets.push(rel);
        }
    }
    walked.refused = refused.into_inner();
    Ok(walked)
}

/// Whether the walk leaves `e` out: editor leftovers, editor's notes (`content/editions/`)
/// and pages (`content/pages/*.md`), which `data` reads, not as articles.
fn skipped(e: &walkdir::DirEntry) -> bool {
    e.depth() > 0
        && (crate::util::fs::is_ignored(&e.file_name().to_string_lossy())
            || (e.depth() == 1 && e.file_name() == crate::source::NOTES_DIR)
            || (e.depth() == 2
                && crate::source::is_article(e.path())
                && e.path().parent().and_then(|p| p.file_name())
                    == Some(std::ffi::OsStr::new(crate::source::PAGES_DIR))))
}

/// For a symbolic link that leads out of the site (or to nothing), the problem that
/// refuses it; `None` for every other entry.
fn entry_refused(
    e: &walkdir::DirEntry,
    site: &Path,
    shown_rel: &dyn Fn(&Path) -> String,
) -> Option<Problem> {
    if !e.path_is_symlink() || skipped(e) {
        return None;
    }
    match std::fs::canonicalize(e.path()) {
        Ok(target) if target.starts_with(site) => None,
        Ok(target) => Some(Problem::new(shown_rel(e.path()), None, format!(
            "is a symbolic link to {}, outside the site; copy what it points to into content/ instead",
            target.display()
        ))),
        Err(_) => Some(Problem::new(shown_rel(e.path()), None, "is a symbolic link to nothing; remove it or point it at a file in the site")),
    }
}

/// Like [`load`], but files whose size and modification time match what `remembered`
/// holds are not read or parsed again (for `serve`, which rebuilds on every save).
pub fn load_reusing(
    content_dir: &Path,
    shown: &str,
    options: &front_matter::Options,
    remembered: &mut Remembered,
) -> Result<Content> {
    let read_as = format!("{options:?}");
    if remembered.options.as_deref() != Some(read_as.as_str()) {
        remembered.files.clear();
        remembered.options = Some(read_as);
    }
    remembered.changed = false;
    let Walked {
        article_paths,
        assets,
        refused,
    } = walk(content_dir, shown)?;
    let previous = std::mem::take(&mut remembered.files);
    // A one-off build remembers nothing, so it need not look at each file's time.
    let how = How {
        stamps: remembered.enabled,
        keep_bodies: remembered.keep_bodies,
        as_lines: remembered.as_lines,
    };
    // Bodies are dropped and what is remembered made in the parallel read, so 100,000
    // bodies are never held at once.
    let mut read: Vec<Read> = article_paths
        .into_par_iter()
        .map(|rel| read_one(content_dir, shown, rel, options, &previous, how))
        .collect();
    let mut content = Content {
        assets,
        problems: refused,
        ..Default::default()
    };
    remembered.take_in(&mut read, previous);
    content.articles.reserve(read.len());
    for (_, _, result, _) in read {
        match result {
            Ok((article, warnings)) => {
                content.warnings.extend(warnings);
                content.articles.push(article);
            }
            Err(errors) => content.problems.extend(errors),
        }
    }
    Ok(content)
}

/// One article file read: its path, its size and time, what reading it gave, and what
/// to remember of it if it was read anew.
type Read = (PathBuf, Option<Stamp>, ReadResult, Option<Kept>);

/// How [`load_reusing`] reads and remembers files.
#[derive(Clone, Copy)]
struct How {
    /// Look at each file's size and time, and reuse what `previous` holds when they match.
    stamps: bool,
    keep_bodies: bool,
    /// Remember articles as JSON lines (a build) rather than parsed (`serve`).
    as_lines: bool,
}

/// Reads one article file, or takes it from `previous` when its size and time are the
/// same.
fn read_one(
    content_dir: &Path,
    shown: &str,
    rel: PathBuf,
    options: &front_matter::Options,
    previous: &HashMap<PathBuf, (Stamp, Kept)>,
    how: How,
) -> Read {
    let path = content_dir.join(&rel);
    if let (true, Some((stamp, kept))) = (how.stamps, previous.get(&rel)) {
        let now = std::fs::metadata(&path)
            .ok()
            .and_then(|m| crate::util::fs::stamp(&m));
        if now.as_ref() == Some(stamp) {
            if let Some(result) = kept.result() {
                return (rel, now, result, None);
            }
        }
    }
    let shown_path = format!("{shown}/{}", rel.to_string_lossy().replace('\\', "/"));
    let (mut result, stamp) = match crate::util::fs::read_stamped_up_to(&path, options.max_bytes) {
        Ok(Ok((bytes, stamp))) => (read_article(&rel, &shown_path, &bytes, options), stamp),
        Ok(Err(size)) => (
            Err(vec![too_big(&shown_path, size, options.max_bytes)]),
            None,
        ),
        Err(e) => (
            Err(vec![Problem::new(&shown_path, None, format!("{e:#}"))]),
            None,
        ),
    };
    if let (Ok((article, _)), false) = (&mut result, how.keep_bodies) {
        article.body = String::new();
    }
    let stamp = stamp.filter(|_| how.stamps);
    let kept = stamp.and_then(|_| match how.as_lines {
        true => serde_json::to_string(&result)
            .ok()
            .map(|l| Kept::Line(l.into())),
        false => Some(Kept::Parsed(Box::new(result.clone()))),
    });
    (rel, stamp, result, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn remembered_lines_round_trip_and_spare_unchanged_files() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        write(
            &content,
            "2018/a.md",
            "---\ntitle: \"A\ttab\"\ndate: 2018-08-15\ntopics: [trade]\n---\nBody *one*.\n",
        );
        write(&content, "2018/b.md", "---\ntitle: B\n---\nNo date.\n");
        let options = front_matter::Options::new(chrono_tz::UTC);
        let mut remembered = Remembered {
            enabled: true,
            as_lines: true,
            ..Default::default()
        };
        let first = load_reusing(&content, "content", &options, &mut remembered).unwrap();
        assert!(remembered.changed);
        let mut saved = Vec::new();
        remembered.write_lines(&mut saved).unwrap();
        let text = String::from_utf8(saved).unwrap();
        assert_eq!(
            text.lines().count(),
            3,
            "options, then one line per file:\n{text}"
        );

        let mut back = Remembered::read_lines(&text).expect("the lines read back");
        back.enabled = true;
        let second = load_reusing(&content, "content", &options, &mut back).unwrap();
        assert!(!back.changed, "nothing was read anew");
        assert_eq!(
            format!("{:?}", first.articles),
            format!("{:?}", second.articles)
        );
        assert_eq!(
            format!("{:?}", first.problems),
            format!("{:?}", second.problems)
        );
        assert_eq!(
            second.problems.len(),
            1,
            "the file without a date stays an error"
        );

        // A file cut short is not read at all (the next build is a full one)...
        assert!(Remembered::read_lines(&text[..text.len() - 5]).is_none());
        // ...and a line whose result no longer parses makes its file be read anew.
        let damaged = text.replace("\"title\":\"A\\ttab\"", "\"title\":");
        assert_ne!(damaged, text);
        let mut back = Remembered::read_lines(&damaged).expect("the lines read back");
        back.enabled = true;
        let third = load_reusing(&content, "content", &options, &mut back).unwrap();
        assert!(back.changed, "the damaged file was read anew");
        assert_eq!(
            format!("{:?}", first.articles),
            format!("{:?}", third.articles)
        );
    }
}
