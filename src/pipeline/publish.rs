//! Publishing a prepared site: copy the static files and the files beside articles, render
//! the feeds and the pages whose inputs changed, write the search index, sitemaps,
//! robots.txt and the list of feeds, and commit it all to the output folder in one swap.

use super::cache::BuildCache;
use super::options::{BuildOptions, BuildReport, Prepared, Timer};
use crate::config::SiteConfig;
use crate::model::PageKind;
use crate::output::Staging;
use crate::problem::Problem;
use crate::render::feed::{feed_specs, FeedSpec};
use crate::render::search::Terms;
use crate::render::{Renderer, Site};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A site path and the fingerprint of what it was made from.
type Made = (String, u64);

/// What one publish shares between its steps.
struct Publisher<'a> {
    cache: &'a BuildCache,
    site: &'a Site,
    renderer: Renderer<'a>,
    output: PathBuf,
    /// How many pages and feeds were rendered (the others were current).
    rendered: AtomicUsize,
    summaries: Vec<&'a str>,
    index_fingerprint: u64,
    /// Time spent taking pages' words for the search index, summed over threads.
    gather_ns: std::sync::atomic::AtomicU64,
}

/// Renders what changed of a prepared site and commits it to the output folder. In
/// `serve` the search index and sitemaps are written after the pages are in place (and
/// `pages_ready` has told the browser to reload); until then the previous ones stay.
pub fn publish(
    options: &BuildOptions,
    cache: &mut BuildCache,
    prepared: &Prepared,
    started: Instant,
    pages_ready: &dyn Fn(),
) -> Result<BuildReport> {
    let output = crate::util::fs::absolute(&options.output_dir())?;
    let site = &prepared.site;
    // Loading keeps only what lists need of each body; a body is read again when its page
    // or feed entry is rendered, so memory stays flat as the archive grows.
    let content_dir = options.root.join("content");
    let import = crate::source::front_matter::Options::for_site(&site.config).import;
    let bodies = |i: usize| {
        crate::source::articles::read_body(&content_dir, &site.digest.articles[i].rel, &import)
    };
    let timer = Timer::new();
    let renderer = Renderer::new(
        &site.config,
        &site.digest,
        &site.html,
        &bodies,
        &prepared.views,
    );
    let all: Vec<usize> = (0..site.digest.articles.len()).collect();
    let publisher = Publisher {
        cache,
        site,
        index_fingerprint: renderer.feed_fingerprint(
            "search",
            crate::render::search::MANIFEST_PATH,
            &all,
        ),
        renderer,
        output: output.clone(),
        rendered: AtomicUsize::new(0),
        gather_ns: Default::default(),
        summaries: site.html.iter().map(|h| h.summary_text.as_str()).collect(),
    };
    let specs = publisher.specs();
    let statics = static_files(&options.root, &site.config)?;
    check_claims(&options.root, site, &statics, &specs)?;
    let defer = options.serve;
    let missing = super::images::missing(&options.root, &site.digest);
    let now = (!defer).then(|| publisher.encode(options, &missing));
    let mut encoded = now.transpose()?.unwrap_or(0);
    timer.lap("images");
    let staging = Staging::new(&output, !options.serve)?;
    let (mut files, mut pictures) = publisher.copy_files(options, &staging, &statics)?;
    timer.lap("static files");
    let mut made = publisher.feeds(&staging, &specs)?;
    files += made.len();
    made.append(&mut pictures);
    timer.lap("feeds");
    let (pages, gathered) = publisher.pages(&staging, options, started, defer)?;
    timer.lap("pages");
    if !defer {
        let (index, count) = publisher.write_indexes(&staging, gathered, &timer)?;
        made.extend(index);
        files += count;
        timer.lap("sitemaps");
    }
    let mut changed = staging.changed();
    // The cache knows every file the last build wrote, so stale ones are found without a walk.
    let mut all_paths = staging.paths();
    staging.commit(cache.files_in(&output))?;
    timer.lap("commit");
    pages_ready();
    if defer {
        let late = publisher.after_reload(options, &missing, pages_ready)?;
        made.extend(late.made);
        files += late.files;
        changed += late.changed;
        all_paths.extend(late.paths);
        encoded = late.encoded;
    }
    let rendered = publisher.rendered.into_inner();
    remember(
        cache,
        &output,
        site,
        all_paths,
        pages.into_iter().chain(made),
    );
    timer.lap("cache");
    let counts = Counts {
        rendered,
        changed,
        files,
        encoded,
    };
    Ok(report(options, cache, site, counts, started))
}

/// What a build counted as it went.
struct Counts {
    rendered: usize,
    changed: usize,
    files: usize,
    encoded: usize,
}

/// The report of a finished build, with the size warning when the output is near the
/// Pages limit.
fn report(
    options: &BuildOptions,
    cache: &BuildCache,
    site: &Site,
    counts: Counts,
    started: Instant,
) -> BuildReport {
    let (bytes, parts) = cache.output_size();
    let mut warnings = site.warnings.clone();
    warnings.extend(size_warning(&options.output_dir(), bytes, &parts));
    BuildReport {
        articles: site.digest.articles.len(),
        pages: site.digest.pages.len(),
        rendered: counts.rendered,
        changed: counts.changed,
        files: counts.files,
        warnings,
        output: options.output_dir(),
        elapsed: started.elapsed(),
        bytes,
        left_out: site.digest.left_out,
        encoded: counts.encoded,
    }
}

/// Tells the cache what this build wrote into `output` (every path, and the fingerprint
/// of each page and feed) and where each article's page is.
fn remember(
    cache: &mut BuildCache,
    output: &Path,
    site: &Site,
    paths: Vec<String>,
    fingerprinted: impl Iterator<Item = (String, u64)>,
) {
    // Files without a fingerprint (static files, assets, sitemap) get 0: never "current".
    let mut fingerprints: HashMap<String, u64> = paths.into_iter().map(|p| (p, 0)).collect();
    fingerprints.extend(fingerprinted);
    cache.record(output, fingerprints);
    cache.urls = site
        .digest
        .articles
        .iter()
        .map(|a| (a.rel.clone(), a.url_path.clone()))
        .collect();
}

/// Past this many bytes a build warns: GitHub Pages publishes sites of at most 1 GB.
pub const SIZE_WARNING: u64 = 800_000_000;

/// The warning for an output of `bytes` past [`SIZE_WARNING`], naming its three biggest
/// parts.
fn size_warning(output: &Path, bytes: u64, parts: &[(String, u64)]) -> Option<Problem> {
    if bytes <= SIZE_WARNING {
        return None;
    }
    let biggest: Vec<String> = parts
        .iter()
        .take(3)
        .map(|(part, n)| format!("{part} ({})", crate::util::size::human(*n)))
        .collect();
    Some(Problem::new(
        output.display().to_string(),
        None,
        format!(
            "the site is {}, near GitHub Pages' limit of 1 GB; the biggest parts are {}. Lower `paginate_by`, `feed_limit` or `topic_feed_limit`, or move old years to an archive site",
            crate::util::size::human(bytes),
            biggest.join(", ")
        ),
    ))
}

/// What `serve` writes after the browser was told to reload.
struct Late {
    made: Vec<Made>,
    files: usize,
    changed: usize,
    paths: Vec<String>,
    encoded: usize,
}

impl<'a> Publisher<'a> {
    /// In `serve`, once the pages are in place: the search index and sitemaps, then the
    /// photo versions that were not in the build cache (encoded now, so that they do not
    /// hold back the reload of the text; the browser reloads again when they are there).
    fn after_reload(
        &self,
        options: &BuildOptions,
        missing: &[(&String, &crate::model::images::Picture)],
        pages_ready: &dyn Fn(),
    ) -> Result<Late> {
        let timer = Timer::new();
        let late = Staging::new(&self.output, false)?;
        let (made, files) = self.write_indexes(&late, Default::default(), &timer)?;
        let mut tally = Late {
            made,
            files,
            changed: late.changed(),
            paths: late
                .paths()
                .into_iter()
                .filter(|p| is_index_file(p))
                .collect(),
            encoded: 0,
        };
        late.commit(Some(index_files(self.cache, &self.output)))?;
        timer.lap("sitemaps");
        if missing.is_empty() {
            return Ok(tally);
        }
        tally.encoded = self.encode(options, missing)?;
        let late = Staging::new(&self.output, false)?;
        let pictures = self.pictures(options, &late)?;
        tally.files += tally.encoded;
        tally.made.extend(pictures);
        tally.changed += late.changed();
        tally.paths.extend(late.paths());
        late.commit(Some(Vec::new()))?;
        timer.lap("images");
        pages_ready();
        Ok(tally)
    }

    /// Keeps `site_path` as the output has it when its fingerprint says it is current;
    /// renders it otherwise.
    /// The site's feeds (the site's, then each topic's), with the words of its language.
    fn specs(&self) -> Vec<FeedSpec<'a>> {
        let site: &'a Site = self.site;
        feed_specs(
            &site.config,
            self.renderer.locale(),
            &site.digest,
            &site.html,
        )
    }

    fn render_if_changed(
        &self,
        staging: &Staging,
        site_path: String,
        fingerprint: u64,
        render: &dyn Fn() -> Result<String>,
    ) -> Result<Made> {
        if self.cache.is_current(&self.output, &site_path, fingerprint) {
            staging.keep(&site_path)?;
        } else {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            staging.write(&site_path, render()?)?;
        }
        Ok((site_path, fingerprint))
    }

    /// The static files, the files beside articles (photos in their versions), the code
    /// colours, `.nojekyll` and `CNAME`; says how many, and gives the photo versions.
    fn copy_files(
        &self,
        options: &BuildOptions,
        staging: &Staging,
        statics: &BTreeMap<String, PathBuf>,
    ) -> Result<(usize, Vec<Made>)> {
        for (rel, path) in statics {
            staging.copy(path, rel)?;
        }
        let content = options.root.join("content");
        let pictures = &self.site.digest.pictures;
        let mut files = statics.len() + 2;
        for asset in &self.site.digest.assets {
            // A photo is published in its resized versions only (without its metadata).
            if pictures
                .get(&asset.out_path)
                .is_some_and(|p| !p.variants().is_empty())
            {
                continue;
            }
            staging.copy(&content.join(&asset.rel), &asset.out_path)?;
            files += 1;
        }
        staging.write("highlight.css", crate::markdown::highlight_css())?;
        staging.write(".nojekyll", "")?;
        if let Some(cname) = &self.site.config.cname {
            staging.write("CNAME", format!("{cname}\n"))?;
            files += 1;
        }
        let pictures = self.pictures(options, staging)?;
        Ok((files + pictures.len(), pictures))
    }

    /// Encodes the versions of `missing` photos into the build cache; says how many. A
    /// build does it before anything is staged, so that a photo which does not decode
    /// leaves the output as it was; `serve` does it after the reload.
    fn encode(
        &self,
        options: &BuildOptions,
        missing: &[(&String, &crate::model::images::Picture)],
    ) -> Result<usize> {
        let digest = &self.site.digest;
        super::images::encode_all(
            &options.root,
            &self.site.config,
            &digest.picture_uses,
            missing,
        )
    }

    /// Every photo version that the build cache holds, copied into the output unless it is
    /// there already (its name holds its content's hash, so a file of that name that the
    /// last build wrote is the same).
    fn pictures(&self, options: &BuildOptions, staging: &Staging) -> Result<Vec<Made>> {
        let mut made = Vec::new();
        for picture in self.site.digest.pictures.values() {
            for v in picture.variants() {
                let fingerprint = crate::util::hash::fingerprint(&v.path);
                let cached = super::images::cached(&options.root, v);
                if self.cache.is_current(&self.output, &v.path, fingerprint) {
                    staging.keep(&v.path)?;
                } else if cached.is_file() {
                    staging.copy(&cached, &v.path)?;
                } else {
                    continue; // `serve` encodes it after the reload
                }
                made.push((v.path.clone(), fingerprint));
            }
        }
        Ok(made)
    }

    /// Every feed: the site's and each topic's (Atom, RSS, JSON Feed), and the editions
    /// feed. Recent articles appear in several feeds: each body is rendered once for all.
    fn feeds(&self, staging: &Staging, specs: &[FeedSpec]) -> Result<Vec<Made>> {
        let bodies: Vec<std::sync::OnceLock<String>> = (0..self.site.digest.articles.len())
            .map(|_| Default::default())
            .collect();
        let feed_body = |i: usize| -> Result<String> {
            if let Some(body) = bodies[i].get() {
                return Ok(body.clone());
            }
            let body =
                crate::render::feed::entry_body(&self.site.config, &self.renderer.feed_body(i)?);
            Ok(bodies[i].get_or_init(|| body).clone())
        };
        let mut made: Vec<Made> = specs
            .par_iter()
            .map(|spec| self.feed(staging, spec, &feed_body))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        made.extend(self.editions_feeds(staging, &feed_body)?);
        let config = &self.site.config;
        for moved in &self.site.digest.moved_feeds {
            for format in ["atom.xml", "rss.xml", "feed.json"] {
                let text = crate::render::feed::moved_feed(config, moved, format);
                staging.write(&format!("{}{format}", moved.from), text)?;
            }
        }
        Ok(made)
    }

    /// One feed in its three formats; entry bodies are rendered once, and only if one of
    /// its files changed.
    fn feed(
        &self,
        staging: &Staging,
        spec: &FeedSpec,
        feed_body: &(dyn Fn(usize) -> Result<String> + Sync),
    ) -> Result<Vec<Made>> {
        let f = self
            .renderer
            .feed_fingerprint(&spec.title, &spec.page_path, &spec.articles);
        let p = &spec.page_path;
        let cell = std::cell::OnceCell::new();
        let view = || -> Result<&crate::render::feed::FeedView> {
            if let Some(view) = cell.get() {
                return Ok(view);
            }
            let bodies = spec
                .articles
                .iter()
                .map(|&i| {
                    if spec.full {
                        feed_body(i)
                    } else {
                        Ok(String::new())
                    }
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(cell.get_or_init(|| crate::render::feed::feed_view(spec, &bodies)))
        };
        let tera = self.renderer.templates();
        ["atom.xml", "rss.xml", "feed.json"]
            .into_iter()
            .map(|format| {
                self.render_if_changed(staging, format!("{p}{format}"), f, &|| {
                    view()?.render(tera, format)
                })
            })
            .collect()
    }

    /// The editions feed: one entry per edition, every article in full.
    fn editions_feeds(
        &self,
        staging: &Staging,
        feed_body: &(dyn Fn(usize) -> Result<String> + Sync),
    ) -> Result<Vec<Made>> {
        let (config, digest) = (&self.site.config, &self.site.digest);
        let in_editions: Vec<usize> = crate::render::feed::feed_editions(config, digest)
            .into_iter()
            .flat_map(|e| e.articles.iter().copied())
            .collect();
        let f = self
            .renderer
            .feed_fingerprint("editions", "editions/", &in_editions);
        let view = std::cell::OnceCell::new();
        let tera = self.renderer.templates();
        let mut made = Vec::new();
        for format in ["atom.xml", "rss.xml", "feed.json"] {
            let path = format!("editions/{format}");
            made.push(self.render_if_changed(staging, path, f, &|| {
                if view.get().is_none() {
                    let made = crate::render::feed::editions_view(
                        config,
                        self.renderer.locale(),
                        digest,
                        feed_body,
                    )?;
                    let _ = view.set(made);
                }
                match view.get() {
                    Some(view) => view.render(tera, format),
                    None => Ok(String::new()),
                }
            })?);
        }
        Ok(made)
    }

    /// Every page whose inputs changed, in parallel. A build that makes a new search index
    /// takes each rendered article's words from the same pass (`gather`), instead of
    /// reading and parsing its body again.
    fn pages(
        &self,
        staging: &Staging,
        options: &BuildOptions,
        started: Instant,
        defer: bool,
    ) -> Result<(Vec<Made>, Terms)> {
        if defer {
            for path in self.cache.files_in(&self.output).unwrap_or_default() {
                if is_index_file(&path) {
                    staging.keep(&path)?;
                }
            }
        }
        let index = crate::render::search::MANIFEST_PATH;
        let gather = !defer
            && !self
                .cache
                .is_current(&self.output, index, self.index_fingerprint);
        let pages = &self.site.digest.pages;
        let progress = Progress::new(options.progress, pages.len(), started);
        let pass = pages
            .par_iter()
            .try_fold(
                <(Vec<Made>, Terms)>::default,
                |(mut made, mut terms), page| -> Result<(Vec<Made>, Terms)> {
                    progress.tick();
                    let text = std::cell::Cell::new(None);
                    made.push(self.render_if_changed(
                        staging,
                        crate::model::page_file(&page.path),
                        self.renderer.fingerprint(page),
                        &|| {
                            let (html, body_text) = self.renderer.render_with_text(page, gather)?;
                            text.set(body_text);
                            Ok(html)
                        },
                    )?);
                    if let (PageKind::Article(i), Some(text)) = (page.kind, text.take()) {
                        let at = Instant::now();
                        let title = &self.site.digest.articles[i].title;
                        let words = crate::render::search::words(&text);
                        terms.add(i, title, self.summaries[i], words);
                        let took = at.elapsed().as_nanos() as u64;
                        self.gather_ns.fetch_add(took, Ordering::Relaxed);
                    }
                    Ok((made, terms))
                },
            )
            .try_reduce(Default::default, |(mut a, terms_a), (b, terms_b)| {
                a.extend(b);
                Ok((a, terms_a.merge(terms_b)))
            })?;
        progress.finish();
        Ok(pass)
    }

    /// The search index (made again only when an article changed; `gathered` holds the
    /// index terms of the articles whose pages were just rendered), sitemaps, robots.txt
    /// and the OPML list of feeds.
    fn write_indexes(
        &self,
        staging: &Staging,
        gathered: Terms,
        timer: &Timer,
    ) -> Result<(Vec<Made>, usize)> {
        let (site, cache) = (self.site, self.cache);
        let made = self.write_search_index(staging, gathered)?;
        let gathering = Duration::from_nanos(self.gather_ns.load(Ordering::Relaxed));
        timer.lap(&format!(
            "search index (and {gathering:.2?} of threads' time gathering words while rendering)"
        ));
        if cache.keep_search_words {
            // Forget the words of article versions that are gone.
            let current: std::collections::HashSet<u64> =
                site.digest.articles.iter().map(|a| a.source_hash).collect();
            if let Ok(mut words) = cache.search_words.lock() {
                words.retain(|hash, _| current.contains(hash));
            }
        }
        use crate::render::feed::{opml, robots, sitemaps};
        let tera = self.renderer.templates();
        let sitemaps = sitemaps(tera, &site.config, &site.digest, &site.digest.pages)?;
        for (path, text) in &sitemaps {
            staging.write(path, text)?;
        }
        staging.write("robots.txt", robots(tera, &site.config)?)?;
        staging.write(
            "feeds.opml",
            opml(tera, &site.config, self.renderer.locale(), &site.digest)?,
        )?;
        let files = made.len() + sitemaps.len() + 2;
        Ok((made, files))
    }

    /// The search index's files: kept as they are when no article changed, else made
    /// again and written (only files whose bytes changed reach the output).
    fn write_search_index(&self, staging: &Staging, gathered: Terms) -> Result<Vec<Made>> {
        let (site, cache, f) = (self.site, self.cache, self.index_fingerprint);
        let manifest = crate::render::search::MANIFEST_PATH;
        if cache.is_current(&self.output, manifest, f) {
            let kept: Vec<String> = cache
                .files_in(&self.output)
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.starts_with(crate::render::search::INDEX_DIR))
                .collect();
            for path in &kept {
                staging.keep(path)?;
            }
            return Ok(kept.into_iter().map(|p| (p, f)).collect());
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let body_words = |i: usize| self.body_words(i);
        let files =
            crate::render::search::index(&site.digest, &self.summaries, gathered, &body_words)?;
        files
            .into_par_iter()
            .map(|(path, bytes)| {
                staging.write(&path, bytes)?;
                Ok((path, f))
            })
            .collect()
    }

    /// The search words of article `i`'s body: remembered by `serve` between rebuilds,
    /// else read and parsed.
    fn body_words(&self, i: usize) -> Result<Arc<Vec<String>>> {
        let hash = self.site.digest.articles[i].source_hash;
        let cache = self.cache;
        let remembered = cache
            .search_words
            .lock()
            .ok()
            .and_then(|words| words.get(&hash).cloned());
        if let Some(words) = remembered {
            return Ok(words);
        }
        let words = Arc::new(crate::render::search::body_words(
            &self.renderer.markdown(i)?,
        ));
        if cache.keep_search_words {
            if let Ok(mut all) = cache.search_words.lock() {
                all.insert(hash, words.clone());
            }
        }
        Ok(words)
    }
}

/// The static files of a site, by site path: the theme's `static/`, then the site's own
/// `static/` (which wins).
pub fn static_files(
    root: &Path,
    config: &SiteConfig,
) -> Result<std::collections::BTreeMap<String, PathBuf>> {
    crate::util::fs::overlay_files(&[
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ])
}

/// The index files the last build put into `output`: the only files a late commit can
/// leave stale (a leaf of the search index split in two, say).
fn index_files(cache: &BuildCache, output: &Path) -> Vec<String> {
    let previous = cache.files_in(output).unwrap_or_default();
    previous.into_iter().filter(|p| is_index_file(p)).collect()
}

/// Files that only search and search engines read: in `serve` they are written after the
/// pages, once the browser has been told to reload.
pub(super) fn is_index_file(site_path: &str) -> bool {
    site_path.starts_with(crate::render::search::INDEX_DIR)
        || (site_path.starts_with("sitemap") && site_path.ends_with(".xml"))
        || site_path == "robots.txt"
        || site_path == "feeds.opml"
}

/// The files a build writes itself, besides pages: each a site path and what it is.
pub(crate) fn generated_files<'a>(
    config: &SiteConfig,
    digest: &crate::model::Digest,
    specs: &'a [crate::render::feed::FeedSpec],
) -> Vec<(std::borrow::Cow<'a, str>, &'static str)> {
    let mut made: Vec<(std::borrow::Cow<str>, &str)> = vec![
        ("highlight.css".into(), "the code colours Gazette writes"),
        (
            ".nojekyll".into(),
            "the file that turns off Jekyll on GitHub Pages",
        ),
        (
            crate::render::search::MANIFEST_PATH.into(),
            "the search index",
        ),
        ("robots.txt".into(), "the robots.txt Gazette writes"),
        ("feeds.opml".into(), "the list of feeds"),
        ("sitemap.xml".into(), "the sitemap"),
        (
            crate::output::guard::MARKER.into(),
            "the file that marks Gazette's output",
        ),
    ];
    if config.cname.is_some() {
        made.push(("CNAME".into(), "the CNAME file from `cname` in site.toml"));
    }
    for page_path in specs
        .iter()
        .map(|s| s.page_path.as_str())
        .chain(["editions/"])
    {
        for name in ["atom.xml", "rss.xml", "feed.json"] {
            made.push((format!("{page_path}{name}").into(), "a feed"));
        }
    }
    for moved in &digest.moved_feeds {
        for name in ["atom.xml", "rss.xml", "feed.json"] {
            let path = format!("{}{name}", moved.from);
            made.push((path.into(), "the moved feed of a renamed topic"));
        }
    }
    made
}

/// Refuses two inputs that would write one output file: a static file or a file in
/// `content/` where Gazette writes a page, a feed or another file of its own, or a static
/// file where a file from `content/` goes. (Two articles with one URL, and a file of
/// `content/` over a page, are found when the digest is assembled.)
fn check_claims(
    root: &Path,
    site: &Site,
    statics: &std::collections::BTreeMap<String, PathBuf>,
    specs: &[crate::render::feed::FeedSpec],
) -> Result<()> {
    let mut owners: std::collections::HashMap<String, String> =
        generated_files(&site.config, &site.digest, specs)
            .into_iter()
            .map(|(path, what)| (path.into_owned(), what.to_string()))
            .collect();
    let is_sitemap = |p: &str| p.starts_with("sitemap") && p.ends_with(".xml") && !p.contains('/');
    let mut problems = Vec::new();
    let mut claim = |owners: &mut std::collections::HashMap<String, String>,
                     shown: String,
                     path: &str| {
        let owner = owners
            .get(path)
            .cloned()
            .or_else(|| is_sitemap(path).then(|| "a sitemap".to_string()));
        match owner {
            Some(owner) => problems.push(Problem::new(
                &shown,
                None,
                format!("would be written to /{path}, where {owner} goes; rename or move the file"),
            )),
            None => {
                owners.insert(path.to_string(), shown);
            }
        }
    };
    for asset in &site.digest.assets {
        let shown = format!("content/{}", asset.rel.to_string_lossy().replace('\\', "/"));
        claim(&mut owners, shown, &asset.out_path);
    }
    for r in &site.digest.redirects {
        let shown = format!("{} (the old address /{})", r.origin, r.from);
        claim(&mut owners, shown, &crate::model::page_file(&r.from));
    }
    // A static file over a page: only `…index.html` and `….html` files can be one (a few
    // files, each looked up among the pages, instead of a map of every page per build).
    for rel in statics.keys() {
        let page = rel.strip_suffix("index.html").unwrap_or(rel);
        if rel.ends_with(".html") && site.digest.pages.iter().any(|p| p.path == page) {
            owners
                .entry(rel.clone())
                .or_insert_with(|| format!("the page /{page}"));
        }
    }
    for (rel, path) in statics {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        claim(&mut owners, shown, rel);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.sort();
        Err(crate::problem::Problems(problems).into())
    }
}

/// A progress bar for long builds: drawn on stderr only when it is a terminal, and only
/// once the build has taken more than a second (short builds stay quiet).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(wanted: bool, pages: usize, started: Instant) -> Progress {
        use std::io::IsTerminal;
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(pages as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} pages, {eta} left",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix("Rendering");
            bar
        });
        Progress {
            bar,
            started,
            shown: Default::default(),
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if !self.shown.load(std::sync::atomic::Ordering::Relaxed)
                && self.started.elapsed() > Duration::from_secs(1)
            {
                self.shown.store(true, std::sync::atomic::Ordering::Relaxed);
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::size_warning;
    use std::path::Path;

    #[test]
    fn a_site_near_the_pages_limit_is_a_warning_naming_its_biggest_parts() {
        let parts = [
            ("2018/".to_string(), 500_000_000),
            ("topics/".to_string(), 250_000_000),
            ("search-index.json".to_string(), 40_000_000),
            ("style.css".to_string(), 25_000),
        ];
        assert!(size_warning(Path::new("public"), 800_000_000, &parts).is_none());
        let warning = size_warning(Path::new("public"), 812_345_678, &parts).unwrap();
        assert_eq!(
            warning.to_string(),
            "public: the site is 812.3 MB, near GitHub Pages' limit of 1 GB; the biggest parts are 2018/ (500.0 MB), topics/ (250.0 MB), search-index.json (40.0 MB). Lower `paginate_by`, `feed_limit` or `topic_feed_limit`, or move old years to an archive site"
        );
    }
}
