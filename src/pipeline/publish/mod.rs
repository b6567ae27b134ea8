//! Publishing a prepared site: copy the static files and the files beside articles
//! (`files`), render the feeds (`feeds`) and the pages whose inputs changed (`pages`), write
//! the search index, sitemaps, robots.txt and the list of feeds (`index`), and commit it all
//! to the output folder in one swap (in `serve`, the index files after the reload: `late`).
//! Which input claims which output path is `super::claims`.

use super::cache::BuildCache;
use crate::model::{ArticleId, PageKind};
use crate::output::Staging;
use crate::pipeline::options::{BuildOptions, BuildReport, Prepared, Timer};
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

mod feeds;
mod files;
mod index;
mod late;
mod pages;

use index::{index_files, is_index_file};

/// A site path and the fingerprint of what it was made from.
type Made = (String, u64);

/// What one publish shares between the steps of one language's tree.
struct Publisher<'a> {
    cache: &'a BuildCache,
    delivery: crate::pipeline::options::Delivery,
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
    let readers: Vec<Box<dyn Fn(ArticleId) -> Result<String> + Sync + '_>> = trees
        .iter()
        .map(|tree| {
            let (content_dir, import) = (&content_dir, &import);
            let read = move |i: ArticleId| {
                let rel = &tree.site.digest[i].rel;
                crate::source::articles::read_body(content_dir, rel, import)
            };
            Box::new(read) as Box<dyn Fn(ArticleId) -> Result<String> + Sync>
        })
        .collect();
    // Each tree's sitemap, and its news sitemap where it has recent articles.
    let sitemaps: Vec<String> = trees
        .iter()
        .flat_map(|t| {
            let news = !crate::render::sitemap::news_articles(&t.site.digest).is_empty();
            let config = &t.site.config;
            std::iter::once(config.absolute_url("sitemap.xml"))
                .chain(news.then(|| config.absolute_url("news-sitemap.xml")))
        })
        .collect();
    let publishers: Vec<Publisher> = trees
        .iter()
        .zip(&readers)
        .enumerate()
        .map(|(n, (tree, read))| {
            let robots = (n == 0).then(|| sitemaps.clone());
            Publisher::new(cache, options.delivery, tree, &**read, &output, robots)
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
        remade,
        made,
        mut counts,
    } = published;
    counts.rendered = rendered;
    remember(cache, &output, &sites, paths, made.into_iter(), &remade);
    timer.lap("cache");
    Ok(report(options, cache, &sites, counts, started))
}

/// What publishing the trees wrote.
struct Published {
    /// Every path in the output.
    paths: Vec<String>,
    /// The paths made again (the others were kept from the previous output).
    remade: std::collections::HashSet<String>,
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
    let statics = claimed_statics(options, publishers, &specs)?;
    let defer = options.delivery.index_after_reload && publishers.len() == 1;
    let mut counts = Counts::default();
    let missing =
        |p: &Publisher<'a>| crate::pipeline::images::missing(&options.root, &p.site.digest);
    if !defer {
        // Tree by tree: a photo that two languages show is encoded for the first only.
        for p in publishers {
            counts.encoded += p.encode(options, &missing(p))?;
        }
    }
    timer.lap("images");
    let staging = Staging::new(&root.output, options.delivery.swap_output)?;
    counts.files = root.copy_root_files(&staging, &statics)?;
    let stage = Stage {
        options,
        staging: &staging,
        started,
        defer,
        timer: &timer,
    };
    let mut made = stage.trees(publishers, &specs, &mut counts)?;
    counts.changed = staging.changed();
    // The cache knows every file the last build wrote, so stale ones are found without a walk.
    let mut paths = staging.paths();
    let mut remade = staging.made();
    staging.commit(root.cache.files_in(&root.output))?;
    timer.lap("commit");
    pages_ready();
    if defer {
        let late = root.after_reload(options, &missing(root), pages_ready)?;
        made.extend(late.made);
        counts.files += late.files;
        counts.changed += late.changed;
        paths.extend(late.paths);
        remade.extend(late.remade);
        counts.encoded = late.encoded;
    }
    Ok(Published {
        paths,
        remade: remade.into_iter().collect(),
        made,
        counts,
    })
}

/// The static files (theme's, then the site's), once the claims of every tree on the
/// output's paths are checked: two inputs for one output file stop the build.
fn claimed_statics(
    options: &BuildOptions,
    publishers: &[Publisher],
    specs: &[Vec<FeedSpec>],
) -> Result<BTreeMap<String, PathBuf>> {
    let root = &publishers[0];
    let statics = crate::pipeline::claims::static_files(&options.root, &root.site.config)?;
    let claims: Vec<crate::pipeline::claims::Tree> = publishers
        .iter()
        .zip(specs)
        .map(|(p, specs)| crate::pipeline::claims::Tree::new(&p.site.config, &p.site.digest, specs))
        .collect();
    crate::pipeline::claims::check(&options.root, &statics, &claims)?;
    Ok(statics)
}

/// Where and how the trees are staged.
struct Stage<'s> {
    options: &'s BuildOptions,
    staging: &'s Staging,
    started: Instant,
    /// The search index and sitemaps wait until after the reload.
    defer: bool,
    timer: &'s Timer,
}

impl Stage<'_> {
    /// Stages each tree's files beside articles, photos, feeds, pages and (unless
    /// deferred) indexes; gives what was made, with its fingerprint.
    fn trees(
        &self,
        publishers: &[Publisher],
        specs: &[Vec<FeedSpec>],
        counts: &mut Counts,
    ) -> Result<Vec<Made>> {
        let (options, staging, timer) = (self.options, self.staging, self.timer);
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
        for (p, specs) in publishers.iter().zip(specs) {
            let (files, pictures) = p.copy_files(options, staging, &processed)?;
            timer.lap("files beside articles");
            let feeds = p.feeds(staging, specs)?;
            counts.files += files + feeds.len();
            made.extend(feeds.into_iter().chain(pictures));
            timer.lap("feeds");
            let (pages, gathered) = p.pages(staging, options, self.started, self.defer)?;
            made.extend(pages);
            timer.lap(&format!("pages ({})", p.renderer.times()));
            if !self.defer {
                let (index, count) = p.write_indexes(staging, gathered, timer)?;
                made.extend(index);
                counts.files += count;
                timer.lap("sitemaps");
            }
        }
        Ok(made)
    }
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
        valid_until: None,
        unchanged: false,
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
    remade: &std::collections::HashSet<String>,
) {
    // Files without a fingerprint (static files, assets, sitemap) get 0: never "current".
    let mut fingerprints: HashMap<String, u64> = paths.into_iter().map(|p| (p, 0)).collect();
    fingerprints.extend(fingerprinted);
    cache.record(output, fingerprints, remade);
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

impl<'a> Publisher<'a> {
    fn new(
        cache: &'a BuildCache,
        delivery: crate::pipeline::options::Delivery,
        tree: &'a crate::pipeline::options::Tree,
        bodies: crate::render::Bodies<'a>,
        output: &Path,
        robots: Option<Vec<String>>,
    ) -> Publisher<'a> {
        let site = &tree.site;
        let renderer = Renderer::new(&site.config, &site.digest, &site.html, bodies, &tree.views);
        let all: Vec<ArticleId> = site.digest.article_ids().collect();
        let index = crate::render::search::MANIFEST_PATH;
        let config = &site.config;
        Publisher {
            cache,
            delivery,
            site,
            index_fingerprint: renderer.feed_fingerprint("search", index, &all),
            renderer,
            output: output.to_path_buf(),
            prefix: crate::pipeline::claims::tree_prefix(config).to_string(),
            robots,
            rendered: AtomicUsize::new(0),
            gather_ns: Default::default(),
            summaries: site.html.iter().map(|h| h.summary_text.as_str()).collect(),
        }
    }

    /// Whether `site_path` in the output is still what a file with `fingerprint` made.
    fn is_current(&self, site_path: &str, fingerprint: u64) -> bool {
        let trust = self.delivery.trust_output;
        self.cache
            .is_current(&self.output, site_path, fingerprint, trust)
    }

    /// The output path of the tree's site path `path`: `ko/topics/` for `topics/` in Korean.
    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

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

    /// Keeps `site_path` as the output has it when its fingerprint says it is current;
    /// renders it otherwise.
    fn render_if_changed(
        &self,
        staging: &Staging,
        site_path: String,
        fingerprint: u64,
        render: &dyn Fn() -> Result<String>,
    ) -> Result<Made> {
        let site_path = self.at(&site_path);
        if self.is_current(&site_path, fingerprint) {
            staging.keep(&site_path)?;
        } else {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            staging.write(&site_path, render()?)?;
        }
        Ok((site_path, fingerprint))
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
