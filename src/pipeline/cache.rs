//! The build cache: what the last build made from which inputs, so the next build renders
//! only what changed. It holds each article's rendered Markdown (keyed by a hash of
//! everything that goes into it) and a fingerprint of every page and feed written. The
//! CLI keeps it in `.gazette-cache/` at the site root; `serve` keeps it in memory. Losing
//! it is harmless: the next build is a full one. Delete `.gazette-cache/` to force one.

use crate::render::ArticleHtml;
use std::collections::HashMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const VERSION: &str = concat!("gazette-cache 11 ", env!("CARGO_PKG_VERSION"));

fn write_articles(articles: &crate::source::articles::Remembered, dir: &Path) {
    if articles.changed || !dir.join("articles").exists() {
        let _ = write_atomically(&dir.join("articles"), |w| {
            writeln!(w, "{VERSION}")?;
            articles.write_lines(w)
        });
    }
}

/// A file of the output as the last build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub fingerprint: u64,
    pub len: u64,
    pub modified_ns: u128,
}

#[derive(Default)]
pub struct BuildCache {
    /// Rendered Markdown by article file (relative to content/), with its input hash.
    pub markdown: HashMap<PathBuf, (u64, ArticleHtml)>,
    /// The output folder the fingerprints below describe.
    output: PathBuf,
    /// Site path -> how it was written.
    written: HashMap<String, Written>,
    /// Whether the last [`BuildCache::record`] changed `written` (else its file is current).
    written_changed: bool,
    /// Articles as read from disk, reused while their files are unchanged (serve only).
    pub articles: crate::source::articles::Remembered,
    /// The searchable words of each article body, by the hash of its file, so that
    /// `serve` rebuilds the search index without reading every article again. Only kept
    /// where the build's `Delivery::keep_search_words` says so (a one-off build has no use
    /// for it).
    search_words: std::sync::Mutex<HashMap<u64, std::sync::Arc<Vec<String>>>>,
    /// The articles part is being written, or was, by [`BuildCache::save_articles`].
    articles_saved: bool,
    articles_saving: Option<std::thread::JoinHandle<()>>,
    /// Each article's site path in the last build, by file (relative to content/), so
    /// `check` can tell when an article's URL changed and suggest an alias.
    pub urls: Vec<(PathBuf, String)>,
}

fn modified_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

impl BuildCache {
    /// The searchable words of the article body whose file hashes to `hash`, if a
    /// preview kept them.
    pub fn search_words(&self, hash: u64) -> Option<std::sync::Arc<Vec<String>>> {
        let words = self.search_words.lock().ok()?;
        words.get(&hash).cloned()
    }

    /// Keeps the searchable words of the body whose file hashes to `hash`.
    pub fn keep_search_words(&self, hash: u64, words: std::sync::Arc<Vec<String>>) {
        if let Ok(mut all) = self.search_words.lock() {
            all.insert(hash, words);
        }
    }

    /// Forgets the words of every body but those whose files hash to one of `current`.
    pub fn forget_search_words_but(&self, current: &std::collections::HashSet<u64>) {
        if let Ok(mut words) = self.search_words.lock() {
            words.retain(|hash, _| current.contains(hash));
        }
    }

    /// Whether `site_path` in `output` is still exactly what a page with `fingerprint` made;
    /// with `trust`, as the last build left it without checking the file's size and time
    /// (nobody else writes that output).
    pub fn is_current(
        &self,
        output: &Path,
        site_path: &str,
        fingerprint: u64,
        trust: bool,
    ) -> bool {
        if self.output != output {
            return false;
        }
        match self.written.get(site_path) {
            Some(w) if w.fingerprint == fingerprint && fingerprint != 0 && trust => true,
            Some(w) if w.fingerprint == fingerprint && fingerprint != 0 => {
                match std::fs::metadata(output.join(site_path)) {
                    Ok(meta) => {
                        meta.is_file() && meta.len() == w.len && modified_ns(&meta) == w.modified_ns
                    }
                    Err(_) => false,
                }
            }
            _ => false,
        }
    }

    /// The cache's record of the last build's output alone (what [`BuildCache::load`]
    /// reads as `pages`): enough to tell whether that output is as the build left it;
    /// with a hash of that record.
    pub fn load_written(root: &Path) -> Option<(BuildCache, u64)> {
        let text = std::fs::read_to_string(root.join(".gazette-cache").join("pages")).ok()?;
        let (output, written) = read_pages(&text)?;
        let cache = BuildCache {
            output,
            written,
            ..Default::default()
        };
        Some((cache, crate::util::hash::fingerprint(&text)))
    }

    /// Whether every file the last build wrote into `output` is still there with the
    /// size and time it left (and the cache describes that output at all).
    pub fn output_as_left(&self, output: &Path) -> bool {
        use rayon::prelude::*;
        self.output == output
            && !self.written.is_empty()
            && self.written.par_iter().all(|(path, w)| {
                std::fs::metadata(output.join(path)).is_ok_and(|meta| {
                    meta.is_file() && meta.len() == w.len && modified_ns(&meta) == w.modified_ns
                })
            })
    }

    /// Every file the last build wrote into `output`, if the cache describes that output.
    pub fn files_in(&self, output: &Path) -> Option<Vec<String>> {
        (self.output == output && !self.written.is_empty())
            .then(|| self.written.keys().cloned().collect())
    }

    /// Records the fingerprints of the files just committed to `output`. Files the build
    /// kept (found current, not `remade`) whose fingerprint did not change were not
    /// touched, so their size and time are known; every other file is looked at (one
    /// made again, even when its bytes were the same and the old file stayed, has the
    /// time it has, not the one recorded).
    pub fn record(
        &mut self,
        output: &Path,
        fingerprints: HashMap<String, u64>,
        remade: &std::collections::HashSet<String>,
    ) {
        let same_output = self.output == output;
        let previous = std::mem::take(&mut self.written);
        self.output = output.to_path_buf();
        use rayon::prelude::*;
        // One file-system lookup per changed file: side by side.
        let written: HashMap<String, Written> = fingerprints
            .into_par_iter()
            .filter_map(|(path, fingerprint)| {
                if let Some(old) = previous
                    .get(&path)
                    // Files without a fingerprint (0: static files) are looked at again.
                    .filter(|w| same_output && fingerprint != 0 && w.fingerprint == fingerprint)
                    .filter(|_| !remade.contains(&path))
                {
                    return Some((path, *old));
                }
                let meta = std::fs::metadata(output.join(&path)).ok()?;
                Some((
                    path,
                    Written {
                        fingerprint,
                        len: meta.len(),
                        modified_ns: modified_ns(&meta),
                    },
                ))
            })
            .collect();
        self.written_changed = !same_output || written != previous;
        self.written = written;
    }

    /// The bytes of every file the last build put into its output, and the parts of the
    /// site (its top-level files and folders), biggest first, ties by name.
    pub fn output_size(&self) -> (u64, Vec<(String, u64)>) {
        let mut parts: std::collections::BTreeMap<&str, u64> = Default::default();
        for (path, written) in &self.written {
            let part = match path.find('/') {
                Some(slash) => &path[..=slash],
                None => path.as_str(),
            };
            *parts.entry(part).or_default() += written.len;
        }
        let total = parts.values().sum();
        let mut parts: Vec<(String, u64)> =
            parts.into_iter().map(|(p, n)| (p.to_string(), n)).collect();
        parts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        (total, parts)
    }

    /// Keeps the rendered Markdown of `site`'s articles for the next build.
    pub fn keep_markdown(&mut self, sites: impl IntoIterator<Item = crate::render::Site>) {
        self.markdown = sites
            .into_iter()
            .flat_map(|site| {
                let crate::render::Site {
                    markdown_keys,
                    html,
                    digest,
                    ..
                } = site;
                markdown_keys
                    .into_iter()
                    .zip(html)
                    .zip(digest.articles)
                    .map(|((k, h), a)| (a.rel, (k, h)))
                    .collect::<Vec<_>>()
            })
            .collect();
    }

    /// Reads the cache of the site at `root`; anything unreadable gives an empty cache.
    pub fn load(root: &Path) -> BuildCache {
        let dir = root.join(".gazette-cache");
        let mut cache = BuildCache::default();
        // The three parts are read side by side (the articles are the biggest).
        let (articles, (markdown, pages)) = rayon::join(
            // Articles as last read, reused while their file's size and time are the same.
            || {
                let text = std::fs::read_to_string(dir.join("articles")).ok()?;
                let lines = text.strip_prefix(VERSION)?.strip_prefix('\n')?;
                crate::source::articles::Remembered::read_lines(lines)
            },
            || {
                rayon::join(
                    || {
                        std::fs::read(dir.join("markdown"))
                            .ok()
                            .and_then(|b| read_markdown(&b))
                    },
                    || {
                        std::fs::read_to_string(dir.join("pages"))
                            .ok()
                            .and_then(|t| read_pages(&t))
                    },
                )
            },
        );
        if let Some(entries) = markdown {
            cache.markdown = entries;
        }
        if let Some(articles) = articles {
            cache.articles = articles;
        }
        cache.articles.enabled = true;
        cache.articles.as_lines = true;
        if let Some((output, written)) = pages {
            cache.output = output;
            cache.written = written;
        }
        cache
    }

    /// Writes the articles part of the cache now and lets go of it: a one-off build needs
    /// the articles only once, and holding a second copy of 100,000 of them until the end
    /// of the build would cost hundreds of megabytes.
    pub fn save_articles(&mut self, root: &Path) {
        let dir = root.join(".gazette-cache");
        let articles = std::mem::take(&mut self.articles);
        // Written beside the build, which needs no more of it; `save` waits for it.
        self.articles_saved = true;
        self.articles_saving = Some(std::thread::spawn(move || {
            if std::fs::create_dir_all(&dir).is_ok() {
                write_articles(&articles, &dir);
            }
        }));
    }

    /// Waits until the articles part started by [`BuildCache::save_articles`] is written.
    pub fn finish_saving(&mut self) {
        if let Some(saving) = self.articles_saving.take() {
            let _ = saving.join();
        }
    }

    /// Writes the cache for the site at `root`. Failing to write it only costs speed later.
    pub fn save(&self, root: &Path, markdown_changed: bool) {
        let dir = root.join(".gazette-cache");
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        crate::output::staging::remove_abandoned(
            &dir,
            &[
                "articles.tmp-",
                "markdown.tmp-",
                "pages.tmp-",
                "urls.tmp-",
                "unchanged.tmp-",
            ],
        );
        let _ = std::fs::write(dir.join("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# Gazette's build cache; safe to delete.\n");
        if !self.articles_saved {
            write_articles(&self.articles, &dir);
        }
        if markdown_changed || !dir.join("markdown").exists() {
            let _ = write_atomically(&dir.join("markdown"), |w| write_markdown(w, &self.markdown));
        }
        if self.written_changed || !dir.join("urls").exists() {
            let _ = write_atomically(&dir.join("urls"), |w| {
                writeln!(w, "{VERSION}")?;
                for (rel, url) in &self.urls {
                    // A site path never holds a tab or line break; the JSON path cannot.
                    writeln!(w, "{url}\t{}", serde_json::to_string(rel)?)?;
                }
                Ok(())
            });
        }
        if !self.written_changed && dir.join("pages").exists() {
            return;
        }
        let _ = write_atomically(&dir.join("pages"), |w| {
            writeln!(w, "{VERSION}")?;
            writeln!(w, "{}", self.output.display())?;
            let mut paths: Vec<&String> = self.written.keys().collect();
            paths.sort();
            for path in paths {
                let e = self.written[path];
                writeln!(w, "{:x} {} {} {path}", e.fingerprint, e.len, e.modified_ns)?;
            }
            Ok(())
        });
    }
}

/// Each article's site path in the last build of the site at `root`, by file (relative
/// to content/); empty when no build left them.
pub fn previous_urls(root: &Path) -> HashMap<PathBuf, String> {
    let Ok(text) = std::fs::read_to_string(root.join(".gazette-cache").join("urls")) else {
        return HashMap::new();
    };
    let Some(lines) = text
        .strip_prefix(VERSION)
        .and_then(|t| t.strip_prefix('\n'))
    else {
        return HashMap::new();
    };
    lines
        .lines()
        .filter_map(|line| {
            let (url, rel) = line.split_once('\t')?;
            Some((serde_json::from_str(rel).ok()?, url.to_string()))
        })
        .collect()
}

/// Writes `path` through a temporary file beside it, so it is replaced whole or not at all.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // A name of its own, so two builds of one site at once never write the same file.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    let mut w = BufWriter::new(std::fs::File::create(&tmp)?);
    write(&mut w)?;
    w.flush()?;
    drop(w);
    std::fs::rename(tmp, path)
}

fn read_pages(text: &str) -> Option<(PathBuf, HashMap<String, Written>)> {
    let mut lines = text.lines();
    if lines.next()? != VERSION {
        return None;
    }
    let output = PathBuf::from(lines.next()?);
    let mut written = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let modified_ns = parts.next()?.parse().ok()?;
        written.insert(
            parts.next()?.to_string(),
            Written {
                fingerprint,
                len,
                modified_ns,
            },
        );
    }
    Some((output, written))
}

fn put_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u64).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn write_markdown(
    w: &mut impl Write,
    entries: &HashMap<PathBuf, (u64, ArticleHtml)>,
) -> std::io::Result<()> {
    put_str(w, VERSION)?;
    w.write_all(&(entries.len() as u64).to_le_bytes())?;
    let mut paths: Vec<&PathBuf> = entries.keys().collect();
    paths.sort();
    for path in paths {
        let (key, html) = &entries[path];
        w.write_all(&key.to_le_bytes())?;
        put_str(w, &path.to_string_lossy())?;
        put_str(w, &html.summary)?;
        put_str(w, &html.summary_text)?;
        w.write_all(&(html.words as u64).to_le_bytes())?;
    }
    Ok(())
}

fn read_markdown(bytes: &[u8]) -> Option<HashMap<PathBuf, (u64, ArticleHtml)>> {
    let mut r = bytes;
    let u64_ = |r: &mut &[u8]| -> Option<u64> {
        let mut b = [0u8; 8];
        r.read_exact(&mut b).ok()?;
        Some(u64::from_le_bytes(b))
    };
    fn get_str(r: &mut &[u8], len: u64) -> Option<String> {
        let len = usize::try_from(len).ok()?;
        if r.len() < len {
            return None;
        }
        let (head, rest) = r.split_at(len);
        *r = rest;
        String::from_utf8(head.to_vec()).ok()
    }
    let n = u64_(&mut r)?;
    if get_str(&mut r, n)? != VERSION {
        return None;
    }
    let count = u64_(&mut r)?;
    let mut entries = HashMap::with_capacity(count.min(1 << 24) as usize);
    for _ in 0..count {
        let key = u64_(&mut r)?;
        let n = u64_(&mut r)?;
        let path = PathBuf::from(get_str(&mut r, n)?);
        let n = u64_(&mut r)?;
        let summary = get_str(&mut r, n)?;
        let n = u64_(&mut r)?;
        let summary_text = get_str(&mut r, n)?;
        let words = u64_(&mut r)? as usize;
        entries.insert(
            path,
            (
                key,
                ArticleHtml {
                    summary,
                    summary_text,
                    words,
                },
            ),
        );
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cache_round_trips() {
        let mut entries = HashMap::new();
        let html = ArticleHtml {
            summary: "<p>é</p>".into(),
            summary_text: "s".into(),
            words: 3,
        };
        entries.insert(PathBuf::from("2018/a.md"), (42u64, html));
        let mut bytes = Vec::new();
        write_markdown(&mut bytes, &entries).unwrap();
        let back = read_markdown(&bytes).unwrap();
        assert_eq!(back[&PathBuf::from("2018/a.md")].0, 42);
        assert_eq!(back[&PathBuf::from("2018/a.md")].1.summary, "<p>é</p>");
        assert!(
            read_markdown(&bytes[..bytes.len() - 3]).is_none(),
            "a cut file is ignored"
        );
    }
}
