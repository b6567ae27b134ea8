//! Publishing a prepared site: copy the static files and the files beside articles, render
//! the feeds and the pages whose inputs changed, write the search index, sitemaps,
//! robots.txt and the list of feeds, and commit it all to the output folder in one swap.

use super::cache::BuildCache;
use super::options::{BuildOptions, BuildReport, Prepared, Timer};
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

/// What one publish shares between the steps of one language's tree.
struct Publisher<'a> {
    cache: &'a BuildCache,
    site: &'a Site,
    renderer: Renderer<'a>,
    output: PathBuf,
    /// Where the tree is in the output: `` for the default language, `ko/` for Korean.
    prefix: String,
    /// The sitemaps of every tree, for the default language's robots.txt (`None` in the
    /// other trees, which have none).
    robots: Option<Vec<String>>,
    /// How many pages and feeds were rendered (the others were current).
    rendered: AtomicUsize,
    summaries: Vec<&'a str>,
    index_fingerprint: u64,
    /// Time spent taking pages' words for the search index, summed over threads.
    gather_ns: std::sync::atomic::AtomicU64,
}

/// Renders what changed of a prepared site (every language's tree) and commits it to the
/// output folder. In `serve` the search index and sitemaps of a site in one language are
/// written after the pages are in place (and `pages_ready` has told the browser to
/// reload); until then the previous ones stay.
pub fn publish(
    options: &BuildOptions,
    cache: &mut BuildCache,
    prepared: &Prepared,
    started: Instant,
    pages_ready: &dyn Fn(),
) -> Result<BuildReport> {
    let output = crate::util::fs::absolute(&options.output_dir())?;
    // Loading keeps only what lists need of each body; a body is read again when its page
    // or feed entry is rendered, so memory stays flat as the archive grows.
    let content_dir = options.root.join("content");
    let trees = &prepared.trees;
    let import = crate::source::front_matter::Options::for_site(&trees[0].site.config).import;
    let readers: Vec<Box<dyn Fn(usize) -> Result<String> + Sync + '_>> = trees
        .iter()
        .map(|tree| {
            let (content_dir, import) = (&content_dir, &import);
            let read = move |i: usize| {
                let rel = &tree.site.digest.articles[i].rel;
                crate::source::articles::read_body(content_dir, rel, import)
            };
            Box::new(read) as Box<dyn Fn(usize) -> Result<String> + Sync>
        })
        .collect();
    let sitemaps: Vec<String> = trees
        .iter()
        .map(|t| t.site.config.absolute_url("sitemap.xml"))
        .collect();
    let publishers: Vec<Publisher> = trees
        .iter()
        .zip(&readers)
        .enumerate()
        .map(|(n, (tree, read))| {
            let robots = (n == 0).then(|| sitemaps.clone());
            Publisher::new(cache, tree, &**read, &output, robots)
        })
        .collect();
    let published = publish_trees(options, &publishers, started, pages_ready)?;
    let rendered = publishers
        .into_iter()
        .map(|p| p.rendered.into_inner())
        .sum();
    let sites: Vec<&Site> = trees.iter().map(|t| &t.site).collect();
    let timer = Timer::new();
    let Published {
        paths,
        made,
        mut counts,
    } = published;
    counts.rendered = rendered;
    remember(cache, &output, &sites, paths, made.into_iter());
    timer.lap("cache");
    Ok(report(options, cache, &sites, counts, started))
}

/// What publishing the trees wrote.
struct Published {
    /// Every path in the output.
    paths: Vec<String>,
    /// The pages, feeds, photo versions and index files, each with its fingerprint.
    made: Vec<Made>,
    counts: Counts,
}

/// Stages every tree (the root's own files with the default language's), commits, and
/// in `serve` writes the late files.
fn publish_trees<'a>(
    options: &BuildOptions,
    publishers: &[Publisher<'a>],
    started: Instant,
    pages_ready: &dyn Fn(),
) -> Result<Published> {
    let timer = Timer::new();
    let root = &publishers[0];
    let specs: Vec<Vec<FeedSpec>> = publishers.iter().map(|p| p.specs()).collect();
    let statics = super::claims::static_files(&options.root, &root.site.config)?;
    let claims: Vec<super::claims::Tree> = publishers
        .iter()
        .zip(&specs)
        .map(|(p, specs)| super::claims::Tree::new(&p.site.config, &p.site.digest, specs))
        .collect();
    super::claims::check(&options.root, &statics, &claims)?;
    let defer = options.serve && publishers.len() == 1;
    let mut counts = Counts::default();
    let missing = |p: &Publisher<'a>| super::images::missing(&options.root, &p.site.digest);
    if !defer {
        // Tree by tree: a photo that two languages show is encoded for the first only.
        for p in publishers {
            counts.encoded += p.encode(options, &missing(p))?;
        }
    }
    timer.lap("images");
    let staging = Staging::new(&root.output, !options.serve)?;
    counts.files = root.copy_root_files(&staging, &statics)?;
    // A photo that any tree publishes in versions is published in none as it is (its
    // metadata, GPS included, stays out of every language's tree), by its file in
    // `content/`: each tree may place it beside another article.
    let processed: std::collections::HashSet<&Path> = publishers
        .iter()
        .flat_map(|p| p.site.digest.pictures.values())
        .filter(|picture| !picture.variants().is_empty())
        .map(|picture| picture.rel.as_path())
        .collect();
    let mut made = Vec::new();
    for (p, specs) in publishers.iter().zip(&specs) {
        let (files, pictures) = p.copy_files(options, &staging, &processed)?;
        timer.lap("files beside articles");
        let feeds = p.feeds(&staging, specs)?;
        counts.files += files + feeds.len();
        made.extend(feeds.into_iter().chain(pictures));
        timer.lap("feeds");
        let (pages, gathered) = p.pages(&staging, options, started, defer)?;
        made.extend(pages);
        timer.lap("pages");
        if !defer {
            let (index, count) = p.write_indexes(&staging, gathered, &timer)?;
            made.extend(index);
            counts.files += count;
            timer.lap("sitemaps");
        }
    }
    counts.changed = staging.changed();
    // The cache knows every file the last build wrote, so stale ones are found without a walk.
    let mut paths = staging.paths();
    staging.commit(root.cache.files_in(&root.output))?;
    timer.lap("commit");
    pages_ready();
    if defer {
        let late = root.after_reload(options, &missing(root), pages_ready)?;
        made.extend(late.made);
        counts.files += late.files;
        counts.changed += late.changed;
        paths.extend(late.paths);
        counts.encoded = late.encoded;
    }
    Ok(Published {
        paths,
        made,
        counts,
    })
}

/// What a build counted as it went.
#[derive(Default)]
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
    sites: &[&Site],
    counts: Counts,
    started: Instant,
) -> BuildReport {
    let (bytes, parts) = cache.output_size();
    let mut warnings: Vec<Problem> = sites.iter().flat_map(|s| s.warnings.clone()).collect();
    warnings.extend(size_warning(&options.output_dir(), bytes, &parts));
    let left_out = sites
        .iter()
        .map(|s| s.digest.left_out)
        .fold(Default::default(), crate::model::LeftOutCounts::merge);
    BuildReport {
        articles: sites.iter().map(|s| s.digest.articles.len()).sum(),
        pages: sites.iter().map(|s| s.digest.pages.len()).sum(),
        rendered: counts.rendered,
        changed: counts.changed,
        files: counts.files,
        warnings,
        output: options.output_dir(),
        elapsed: started.elapsed(),
        bytes,
        left_out,
        encoded: counts.encoded,
    }
}

/// Tells the cache what this build wrote into `output` (every path, and the fingerprint
/// of each page and feed) and where each article's page is.
fn remember(
    cache: &mut BuildCache,
    output: &Path,
    sites: &[&Site],
    paths: Vec<String>,
    fingerprinted: impl Iterator<Item = (String, u64)>,
) {
    // Files without a fingerprint (static files, assets, sitemap) get 0: never "current".
    let mut fingerprints: HashMap<String, u64> = paths.into_iter().map(|p| (p, 0)).collect();
    fingerprints.extend(fingerprinted);
    cache.record(output, fingerprints);
    cache.urls = sites
        .iter()
        .flat_map(|site| site.digest.articles.iter())
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
    fn new(
        cache: &'a BuildCache,
        tree: &'a super::options::Tree,
        bodies: crate::render::Bodies<'a>,
        output: &Path,
        robots: Option<Vec<String>>,
    ) -> Publisher<'a> {
        let site = &tree.site;
        let renderer = Renderer::new(&site.config, &site.digest, &site.html, bodies, &tree.views);
        let all: Vec<usize> = (0..site.digest.articles.len()).collect();
        let index = crate::render::search::MANIFEST_PATH;
        let config = &site.config;
        Publisher {
            cache,
            site,
            index_fingerprint: renderer.feed_fingerprint("search", index, &all),
            renderer,
            output: output.to_path_buf(),
            prefix: super::claims::tree_prefix(config).to_string(),
            robots,
            rendered: AtomicUsize::new(0),
            gather_ns: Default::default(),
            summaries: site.html.iter().map(|h| h.summary_text.as_str()).collect(),
        }
    }

    /// The output path of the tree's site path `path`: `ko/topics/` for `topics/` in Korean.
    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

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
        let site_path = self.at(&site_path);
        if self.cache.is_current(&self.output, &site_path, fingerprint) {
            staging.keep(&site_path)?;
        } else {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            staging.write(&site_path, render()?)?;
        }
        Ok((site_path, fingerprint))
    }

    /// The root's own files: the static files, the code colours, `.nojekyll` and
    /// `CNAME`; says how many.
    fn copy_root_files(
        &self,
        staging: &Staging,
        statics: &BTreeMap<String, PathBuf>,
    ) -> Result<usize> {
        for (rel, path) in statics {
            staging.copy(path, rel)?;
        }
        staging.write("highlight.css", crate::markdown::highlight_css())?;
        staging.write(".nojekyll", "")?;
        let mut files = statics.len() + 2;
        if let Some(cname) = &self.site.config.cname {
            staging.write("CNAME", format!("{cname}\n"))?;
            files += 1;
        }
        Ok(files)
    }

    /// The files beside the tree's articles (photos in their versions); says how many,
    /// and gives the photo versions.
    fn copy_files(
        &self,
        options: &BuildOptions,
        staging: &Staging,
        processed: &std::collections::HashSet<&Path>,
    ) -> Result<(usize, Vec<Made>)> {
        let content = options.root.join("content");
        let mut files = 0;
        for asset in &self.site.digest.assets {
            // A photo is published in its resized versions only (without its metadata).
            if processed.contains(asset.rel.as_path()) {
                continue;
            }
            staging.copy(&content.join(&asset.rel), &self.at(&asset.out_path))?;
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
                let path = self.at(&v.path);
                if self.cache.is_current(&self.output, &path, fingerprint) {
                    staging.keep(&path)?;
                } else if cached.is_file() {
                    staging.copy(&cached, &path)?;
                } else {
                    continue; // `serve` encodes it after the reload
                }
                made.push((path, fingerprint));
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
                staging.write(&self.at(&format!("{}{format}", moved.from)), text)?;
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
        let index = self.at(crate::render::search::MANIFEST_PATH);
        let gather = !defer
            && !self
                .cache
                .is_current(&self.output, &index, self.index_fingerprint);
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
        let translations = |path: &str| self.renderer.translations(path);
        let sitemaps = sitemaps(
            tera,
            &site.config,
            &site.digest,
            &site.digest.pages,
            &translations,
        )?;
        for (path, text) in &sitemaps {
            staging.write(&self.at(path), text)?;
        }
        if let Some(all) = &self.robots {
            staging.write("robots.txt", robots(tera, &site.config, all)?)?;
        }
        staging.write(
            &self.at("feeds.opml"),
            opml(tera, &site.config, self.renderer.locale(), &site.digest)?,
        )?;
        let files = made.len() + sitemaps.len() + 1 + usize::from(self.robots.is_some());
        Ok((made, files))
    }

    /// The search index's files: kept as they are when no article changed, else made
    /// again and written (only files whose bytes changed reach the output).
    fn write_search_index(&self, staging: &Staging, gathered: Terms) -> Result<Vec<Made>> {
        let (site, cache, f) = (self.site, self.cache, self.index_fingerprint);
        let manifest = self.at(crate::render::search::MANIFEST_PATH);
        let dir = self.at(crate::render::search::INDEX_DIR);
        if cache.is_current(&self.output, &manifest, f) {
            let kept: Vec<String> = cache
                .files_in(&self.output)
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.starts_with(&dir))
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
                let path = self.at(&path);
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
