//! Walks `content/`, reads every article file and collects every problem, not just the first.

use crate::problem::{Problem, Problems};
use crate::source::front_matter::{self, FrontMatter};
use crate::util::fs::Stamp;
use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

/// Articles read before, by path, with the size and time of the file they came from.
/// `build` keeps them in the build cache, `serve` in memory.
#[derive(Default)]
pub struct Remembered {
    /// Off by default (`check` reads everything afresh).
    pub enabled: bool,
    /// Keep each article's whole body (for `check`, which reads its links). A build
    /// does not: it reads a body again only to render that article's page.
    pub keep_bodies: bool,
    /// Remember each article as its line of the cache file, ready to save, instead of as
    /// a parsed copy (a build, which saves them and reads them only in the next run).
    pub as_lines: bool,
    /// Whether the last load read any file anew (so a saved copy is out of date).
    pub changed: bool,
    /// How the front matter was read (time zone and keys), as text.
    options: Option<String>,
    files: HashMap<PathBuf, (Stamp, Kept)>,
}

/// One remembered file: what reading it gave, parsed or as JSON.
enum Kept {
    Parsed(Box<ReadResult>),
    Line(Box<str>),
}

type ReadResult = Result<(LoadedArticle, Vec<Problem>), Vec<Problem>>;

impl Remembered {
    /// The article last read from `rel` (relative to `content/`), if it read without errors
    /// and is kept parsed.
    pub fn article(&self, rel: &Path) -> Option<&LoadedArticle> {
        match self.files.get(rel) {
            Some((_, Kept::Parsed(parsed))) => parsed.as_ref().as_ref().ok().map(|(a, _)| a),
            _ => None,
        }
    }

    /// Remembers what reading `rel` gave, outside a whole load (`serve` taking in a save).
    pub fn replace(&mut self, rel: PathBuf, stamp: Option<Stamp>, result: ReadResult) {
        match stamp {
            Some(stamp) if self.enabled => {
                self.files
                    .insert(rel, (stamp, Kept::Parsed(Box::new(result))));
            }
            _ => {
                self.files.remove(&rel);
            }
        }
        self.changed = true;
    }

    /// Writes the remembered files as lines: the options, then one line per file with its
    /// size, time, path and what reading it gave, each field but the last ending in a tab
    /// (JSON text never holds a raw tab or line break). Files kept parsed are turned into
    /// JSON here.
    pub fn write_lines(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let json = |e: serde_json::Error| std::io::Error::other(e);
        serde_json::to_writer(&mut *w, &self.options).map_err(json)?;
        w.write_all(b"\n")?;
        for (rel, ((len, time), kept)) in &self.files {
            let since = time
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(std::io::Error::other)?;
            write!(w, "{len}\t{}\t{}\t", since.as_secs(), since.subsec_nanos())?;
            serde_json::to_writer(&mut *w, rel).map_err(json)?;
            w.write_all(b"\t")?;
            match kept {
                Kept::Line(line) => w.write_all(line.as_bytes())?,
                Kept::Parsed(result) => serde_json::to_writer(&mut *w, result).map_err(json)?,
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Reads what [`Remembered::write_lines`] wrote (the lines side by side), keeping each
    /// file's result as its JSON line until a load needs it. `None` if any line is damaged.
    pub fn read_lines(text: &str) -> Option<Remembered> {
        let (options, lines) = text.split_once('\n')?;
        if !lines.is_empty() && !lines.ends_with('\n') {
            return None; // cut short
        }
        let options = serde_json::from_str(options).ok()?;
        let files = lines
            .par_split_terminator('\n')
            .map(|line| {
                let mut fields = line.splitn(5, '\t');
                let len = fields.next()?.parse().ok()?;
                let secs = fields.next()?.parse().ok()?;
                let nanos = fields.next()?.parse().ok()?;
                let time =
                    std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(secs, nanos))?;
                let rel: PathBuf = serde_json::from_str(fields.next()?).ok()?;
                Some((rel, ((len, time), Kept::Line(fields.next()?.into()))))
            })
            .collect::<Option<HashMap<_, _>>>()?;
        Some(Remembered {
            options,
            files,
            as_lines: true,
            ..Default::default()
        })
    }
}

impl Kept {
    /// What reading the file gave (`None` if a saved line no longer parses).
    fn result(&self) -> Option<ReadResult> {
        match self {
            Kept::Parsed(result) => Some(result.as_ref().clone()),
            Kept::Line(line) => serde_json::from_str(line).ok(),
        }
    }
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
    let mut article_paths = Vec::new();
    let mut assets = Vec::new();
    let refused = std::cell::RefCell::new(Vec::new());
    if content_dir.is_dir() {
        // Symbolic links are followed only while they stay inside the site.
        let site = crate::util::fs::canonicalize(content_dir.parent().unwrap_or(content_dir))?;
        let shown_rel = |path: &Path| {
            let rel = path.strip_prefix(content_dir).unwrap_or(path);
            format!("{shown}/{}", rel.to_string_lossy().replace('\\', "/"))
        };
        let walker = walkdir::WalkDir::new(content_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                // Editor's notes (content/editions/) are read by `data`, not as articles.
                if e.depth() > 0
                    && (crate::util::fs::is_ignored(&e.file_name().to_string_lossy())
                        || (e.depth() == 1 && e.file_name() == crate::source::NOTES_DIR))
                {
                    return false;
                }
                if !e.path_is_symlink() {
                    return true;
                }
                match std::fs::canonicalize(e.path()) {
                    Ok(target) if target.starts_with(&site) => true,
                    Ok(target) => {
                        refused.borrow_mut().push(Problem::new(shown_rel(e.path()), None, format!(
                            "is a symbolic link to {}, outside the site; copy what it points to into content/ instead",
                            target.display()
                        )));
                        false
                    }
                    Err(_) => {
                        refused.borrow_mut().push(Problem::new(shown_rel(e.path()), None, "is a symbolic link to nothing; remove it or point it at a file in the site"));
                        false
                    }
                }
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
                continue;
            }
            if super::is_article(&rel) {
                article_paths.push(rel);
            } else {
                assets.push(rel);
            }
        }
    }

    Ok(Walked {
        article_paths,
        assets,
        refused: refused.into_inner(),
    })
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
    let read: Vec<Read> = article_paths
        .into_par_iter()
        .map(|rel| read_one(content_dir, shown, rel, options, &previous, how))
        .collect();
    let mut previous = previous;
    let mut content = Content {
        assets,
        problems: refused,
        ..Default::default()
    };
    content.articles.reserve(read.len());
    remembered.files.reserve(read.len());
    for (rel, stamp, result, kept) in read {
        if let Some(stamp) = stamp {
            // A reused entry moves over as it is; a new read brings its own.
            let entry = match kept {
                Some(kept) => {
                    remembered.changed = true;
                    previous.remove(&rel);
                    Some((stamp, kept))
                }
                None => previous.remove(&rel),
            };
            if let Some(entry) = entry {
                remembered.files.insert(rel, entry);
            }
        }
        match result {
            Ok((article, warnings)) => {
                content.warnings.extend(warnings);
                content.articles.push(article);
            }
            Err(errors) => content.problems.extend(errors),
        }
    }
    if !previous.is_empty() {
        remembered.changed = true; // files were deleted or changed
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
            .and_then(|m| Some((m.len(), m.modified().ok()?)));
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

/// The problem of an article file over the size limit.
fn too_big(shown: &str, size: u64, limit: u64) -> Problem {
    let mb = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    Problem::new(
        shown,
        None,
        format!(
            "is {:.1} MB, over the {:.0} MB limit for one article; split it into several articles, or raise `max_article_mb` in site.toml",
            mb(size),
            mb(limit)
        ),
    )
}

/// Parses one article file. Errors and warnings carry the file's path and line.
pub fn read_article(
    rel: &Path,
    shown: &str,
    bytes: &[u8],
    options: &front_matter::Options,
) -> Result<(LoadedArticle, Vec<Problem>), Vec<Problem>> {
    let tz = options.tz;
    let problem = |line: usize, message: String| Problem::new(shown, Some(line), message);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        vec![problem(
            line,
            format!("is not valid UTF-8 text (byte {offset} of the file); save the file as UTF-8"),
        )]
    })?;
    let text = normalized(text);
    let split = front_matter::split(&text).map_err(|(line, msg)| vec![problem(line, msg)])?;
    let mut front = front_matter::parse(&split, options).map_err(|errors| {
        errors
            .into_iter()
            .map(|(line, msg)| problem(line, msg))
            .collect::<Vec<_>>()
    })?;
    if front.date.is_none() {
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match date_prefix(&name) {
            Some((day, _)) => {
                front.date = front_matter::local_to_fixed(day.and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
                front.date_only = true;
            }
            None => {
                return Err(vec![problem(
                    split.yaml_line - 1,
                    "missing `date`; add a line such as `date: 2018-08-15` or start the file name with the date (2018-08-15-slug.md)".into(),
                )])
            }
        }
    }
    let mut warnings: Vec<Problem> = front
        .unknown_keys
        .iter()
        .map(|(key, line)| {
            let hint = match front_matter::suggest_key(key) {
                Some(known) => format!("did you mean `{known}`? "),
                None => String::new(),
            };
            problem(*line, format!("unknown front matter key `{key}` is ignored; {hint}put your own fields under `extra:`"))
        })
        .collect();
    if front.untitled {
        front.title = title_from_file_name(rel);
        warnings.push(problem(
            split.yaml_line - 1,
            format!("has no `title`; it is named \"{}\" after its file, as Jekyll does: add a `title:` line to choose another", front.title),
        ));
    }
    if !front.draft {
        for (line, message) in scaffold_left(&split, &front) {
            warnings.push(problem(line, message));
        }
    }
    let converted = crate::markdown::imported::convert(split.body, &options.import);
    let body = converted.text.as_ref();
    for (line, note) in &converted.notes {
        warnings.push(problem(split.body_line + line, note.clone()));
    }
    let article = LoadedArticle {
        path: shown.to_string(),
        rel: rel.to_path_buf(),
        body: body.to_string(),
        body_line: split.body_line,
        source_hash: crate::util::hash::fingerprint(bytes),
        lead: crate::markdown::summary_source(body).map(String::from),
        words: crate::markdown::count_words(body),
        links_inside: crate::markdown::may_link_inside(body) || !converted.refs.is_empty(),
        site_links: site_links(body, split.body_line),
        refs: converted
            .refs
            .iter()
            .map(|(line, tag, name)| (split.body_line + line, tag.clone(), name.clone()))
            .collect(),
        images: body_images(body, split.body_line),
        front,
    };
    Ok((article, warnings))
}

/// The links and images of `body` (which starts at file line `first_line`) that may point
/// into the site.
fn site_links(body: &str, first_line: usize) -> Vec<(usize, String, bool)> {
    if !crate::markdown::may_link_inside(body) {
        return Vec::new();
    }
    crate::markdown::links(body)
        .into_iter()
        .filter(|l| {
            let d = l.dest.to_ascii_lowercase();
            !(d.starts_with("http://") || d.starts_with("https://") || d.starts_with('#'))
        })
        .map(|l| {
            let line = first_line + body[..l.offset.min(body.len())].matches('\n').count();
            (line, l.dest, l.image)
        })
        .collect()
}

/// The images of a Markdown body, each with its line in the file (the body starts at
/// `body_line`).
fn body_images(body: &str, body_line: usize) -> Vec<(usize, String)> {
    if !body.contains("![") {
        return Vec::new();
    }
    let starts: Vec<usize> = body.match_indices('\n').map(|(i, _)| i).collect();
    crate::markdown::links(body)
        .into_iter()
        .filter(|l| l.image)
        .map(|l| {
            (
                body_line + starts.partition_point(|&i| i < l.offset),
                l.dest,
            )
        })
        .collect()
}

/// The body `gazette new` starts an article with, until the curator writes their own.
pub const PLACEHOLDER_BODY: &str = "What happened, and why it matters to your readers.";

/// What `gazette new` wrote that is still unchanged in a published article: the empty
/// `summary: ""` and the placeholder body, as `(line, message)`.
fn scaffold_left(
    split: &front_matter::Split<'_>,
    front: &front_matter::FrontMatter,
) -> Vec<(usize, String)> {
    let mut left = Vec::new();
    let empty_summary = front
        .summary
        .as_deref()
        .is_some_and(|s| s.trim().is_empty());
    if let (true, Some(line)) = (
        empty_summary,
        crate::problem::key_line(split.yaml, "summary"),
    ) {
        left.push((
            split.yaml_line + line - 1,
            "`summary` is empty; write one or two sentences in your own words (or delete the line, and the first paragraph is the summary)".to_string(),
        ));
    }
    if let Some(at) = split.body.find(PLACEHOLDER_BODY) {
        left.push((
            split.body_line + split.body[..at].matches('\n').count(),
            format!("still has the text `gazette new` starts with (\"{PLACEHOLDER_BODY}\"); write the story in your own words, or add `draft: true` until it is ready"),
        ));
    }
    left
}

/// An article file's text as it is read: without a byte-order mark, with `\n` line ends,
/// and without the characters that are not text (an escape character, a bell: they would
/// make a feed ill-formed XML).
fn normalized(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::util::text::clean(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    }
}

/// Reads just the Markdown body of an article file (after its front matter), for
/// rendering its page without keeping every body in memory during a build.
pub fn read_body(
    content_dir: &Path,
    rel: &Path,
    import: &crate::markdown::imported::Env,
) -> Result<String> {
    let bytes = crate::util::fs::read(&content_dir.join(rel))?;
    let text = normalized(&String::from_utf8_lossy(&bytes));
    match front_matter::split(&text) {
        Ok(split) => Ok(crate::markdown::imported::convert(split.body, import)
            .text
            .into_owned()),
        Err((line, message)) => {
            anyhow::bail!("{}:{line}: {message}", content_dir.join(rel).display())
        }
    }
}

/// The date at the start of a file name such as `2018-08-15-kim.md` (or, as Jekyll
/// allows, `2017-2-5-kim.md`), and the length of that date in the name.
pub fn date_prefix(name: &str) -> Option<(NaiveDate, usize)> {
    let mut parts = name.splitn(4, '-');
    let (y, m) = (parts.next()?, parts.next()?);
    let rest = parts.next()?;
    let d_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let d = &rest[..d_len];
    let after = &rest[d_len..];
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let ends =
        after.is_empty() && name.len() > y.len() + m.len() + d.len() + 2 || after.starts_with('.');
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) && ends) {
        return None;
    }
    let len = y.len() + m.len() + d.len() + 2;
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, len))
}

/// Jekyll's title for a post without one: its file name without the date and extension,
/// each word capitalised (`2009-06-22-empty-yaml.markdown` -> "Empty Yaml").
pub fn title_from_file_name(rel: &Path) -> String {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = if stem == "index" {
        rel.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(stem)
    } else {
        stem
    };
    let slug = match date_prefix(&stem) {
        Some((_, len)) => stem[len..].trim_start_matches('-').to_string(),
        None => stem,
    };
    slug.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
