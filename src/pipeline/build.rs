//! `gazette build`: config -> load -> digest -> markdown -> render -> write, in that order.

use crate::config::SiteConfig;
use crate::model::{Digest, PageKind, Selection};
use crate::output::staging::Staging;
use crate::pipeline::cache::BuildCache;
use crate::problem::Problem;
use crate::render::{self, ArticleHtml, Renderer, Site};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holds site.toml).
    pub root: PathBuf,
    /// Where to write; default `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Include articles past their `expiry_date`.
    pub expired: bool,
    /// The time that decides which articles are in the future; default now.
    pub now: Option<DateTime<Utc>>,
    /// Previewing with `gazette serve`.
    pub serve: bool,
    /// Show a progress bar on a terminal when the build takes more than a second.
    pub progress: bool,
    /// Replace an output folder that holds files no Gazette build wrote (`--force`).
    pub force: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            expired: false,
            now: None,
            serve: false,
            progress: false,
            force: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    /// Files copied or written besides pages.
    pub files: usize,
    pub warnings: Vec<Problem>,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Pages and feeds rendered (the others were unchanged since the last build).
    pub rendered: usize,
    /// Files written because they are new or changed.
    pub changed: usize,
}

/// Reads and groups the site, and renders every article's Markdown.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    Ok(load_site_cached(options, &mut BuildCache::default())?.0)
}

/// Like [`load_site`], reusing Markdown that `cache` rendered before from the same input
/// (the entries used are taken out of the cache). Also says whether any was rendered anew.
pub fn load_site_cached(options: &BuildOptions, cache: &mut BuildCache) -> Result<(Site, bool)> {
    let timer = Timer::new();
    let mut config = SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content = crate::source::articles::load_reusing(
        &options.root.join("content"),
        "content",
        &crate::source::front_matter::Options::for_site(&config),
        &mut cache.articles,
    )?
    .or_problems()?;
    timer.lap("load");
    if !options.serve && cache.articles.enabled {
        cache.save_articles(&options.root);
        timer.lap("save articles");
    }
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        expired: options.expired,
        now: options.now.unwrap_or_else(Utc::now),
    };
    let data = crate::source::data::load(&options.root)?;
    let mut digest = Digest::assemble(&config, content.articles, content.assets, selection)?;
    let mut warnings = content.warnings;
    let (problems, data_warnings) = digest.apply_data(&config, &data);
    if !problems.is_empty() {
        return Err(crate::problem::Problems(problems).into());
    }
    warnings.extend(data_warnings);
    timer.lap("digest");
    let links = render::link_map_fingerprint(&digest);
    let keys: Vec<u64> = digest
        .articles
        .iter()
        .map(|a| render::markdown_key(&config, links, a))
        .collect();
    let cached: Vec<Option<ArticleHtml>> = digest
        .articles
        .iter()
        .zip(&keys)
        .map(|(a, key)| match cache.markdown.remove(&a.rel) {
            Some((k, html)) if k == *key => Some(html),
            _ => None,
        })
        .collect();
    let fresh = cached.iter().filter(|c| c.is_none()).count();
    let html: Vec<ArticleHtml> = digest
        .articles
        .par_iter()
        .zip(cached)
        .map(|(a, cached)| cached.unwrap_or_else(|| render::article_html(&config, &digest, a)))
        .collect();
    let changed = fresh > 0 || !cache.markdown.is_empty() || keys.is_empty();
    cache.markdown.clear();
    timer.lap("markdown");
    let site = Site {
        config,
        digest,
        html,
        warnings,
        markdown_keys: keys,
    };
    Ok((site, changed))
}

/// Builds the site into its output folder, changing it only on success, and keeps the
/// build cache in `.gazette-cache/` so the next build renders only what changed.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let timer = Timer::new();
    let mut cache = BuildCache::load(&options.root);
    timer.lap("read cache");
    let options = &guarded(options, &cache)?;
    let built = build_with_cache(options, &mut cache);
    let timer = Timer::new();
    cache.finish_saving();
    let (report, markdown_changed) = built?;
    cache.save(&options.root, markdown_changed);
    timer.lap("save cache");
    Ok(report)
}

/// `options` with the output checked by the output guard (before anything is moved) and
/// replaced by the folder it resolves to (a symbolic link's target).
fn guarded(options: &BuildOptions, cache: &BuildCache) -> Result<BuildOptions> {
    let output = options.output_dir();
    let real = crate::output::guard::resolve(&output)?;
    let permission = crate::output::guard::Permission {
        force: options.force,
        cached: cache.files_in(&real).is_some() || cache.files_in(&absolute(&output)?).is_some(),
    };
    let real = crate::output::guard::check_output(&options.root, &output, permission)?;
    Ok(BuildOptions {
        output: Some(real),
        ..options.clone()
    })
}

/// Builds with an in-memory cache (which `serve` keeps between rebuilds). On success the
/// cache describes the new output.
pub fn build_with_cache(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<(BuildReport, bool)> {
    build_with_cache_then(options, cache, &|| {})
}

/// Files that only search and search engines read: in `serve` they are written after the
/// pages, once the browser has been told to reload.
fn is_index_file(site_path: &str) -> bool {
    site_path == crate::render::search::INDEX_PATH
        || (site_path.starts_with("sitemap") && site_path.ends_with(".xml"))
        || site_path == "robots.txt"
        || site_path == "feeds.opml"
}

/// A loaded site and its views: everything a build renders from. `serve` keeps the last
/// one, so that a save which changes only articles' Markdown updates it in place
/// ([`take_in_markdown_edits`]) instead of loading and grouping the whole site again.
pub struct Prepared {
    pub site: Site,
    pub views: render::Views,
}

/// Loads the site ([`load_site_cached`]) and its templates, and makes the views.
pub fn prepare(options: &BuildOptions, cache: &mut BuildCache) -> Result<(Prepared, bool)> {
    let (site, markdown_changed) = load_site_cached(options, cache)?;
    let timer = Timer::new();
    let (templates, template_hash) =
        render::load_templates(&render::template_files(&options.root, &site.config)?)?;
    let views = render::Views::new(
        &site.config,
        &site.digest,
        &site.html,
        &site.markdown_keys,
        templates,
        template_hash,
        options.serve,
    );
    timer.lap("templates, views");
    Ok((Prepared { site, views }, markdown_changed))
}

/// Takes in saved article files (`paths`, absolute) whose front matter is unchanged: only
/// their Markdown changed, so every article keeps its place in every list and the digest
/// is updated in place. Returns false, changing nothing, when any path is something else
/// (a new, removed or unreadable file, changed front matter, a template…): that needs a
/// whole rebuild.
pub fn take_in_markdown_edits(
    options: &BuildOptions,
    cache: &mut BuildCache,
    prepared: &mut Prepared,
    paths: &[PathBuf],
) -> bool {
    let content_dir = options.root.join("content");
    let config = &prepared.site.config;
    let front_options = crate::source::front_matter::Options::for_site(config);
    let mut edits = Vec::new();
    for path in paths {
        let Ok(rel) = path.strip_prefix(&content_dir) else {
            return false;
        };
        let name = rel.file_name().unwrap_or_default().to_string_lossy();
        if crate::util::fs::is_ignored(&name) {
            continue; // an editor's temporary file
        }
        let Some(i) = prepared.site.digest.article_index(rel) else {
            return false;
        };
        let Some(old) = cache.articles.article(rel) else {
            return false;
        };
        let Ok((bytes, stamp)) = crate::util::fs::read_stamped(path) else {
            return false;
        };
        let shown = &prepared.site.digest.articles[i].path;
        let Ok((new, warnings)) =
            crate::source::articles::read_article(rel, shown, &bytes, &front_options)
        else {
            return false;
        };
        if new.front != old.front || new.body_line != old.body_line {
            return false;
        }
        edits.push((i, rel.to_path_buf(), stamp, new, warnings));
    }
    if edits.is_empty() {
        return false;
    }
    let site = &mut prepared.site;
    let links = render::link_map_fingerprint(&site.digest);
    for (i, rel, stamp, mut new, warnings) in edits {
        let a = &mut site.digest.articles[i];
        a.source_hash = new.source_hash;
        a.lead = new.lead.clone();
        a.words = new.words;
        a.links_inside = new.links_inside;
        site.markdown_keys[i] = render::markdown_key(&site.config, links, a);
        site.html[i] = render::article_html(&site.config, &site.digest, &site.digest.articles[i]);
        prepared.views.update_article(
            &site.config,
            &site.digest,
            &site.html,
            &site.markdown_keys,
            i,
        );
        new.body = String::new();
        cache.articles.replace(rel, stamp, Ok((new, warnings)));
    }
    true
}

/// Builds with an in-memory cache (which `serve` keeps between rebuilds). On success the
/// cache describes the new output. `pages_ready` is called once the pages are in the
/// output: in `serve` that is before the search index and sitemaps are made (about a
/// third of a rebuild of a big site), so the browser reloads sooner; a build commits all
/// at once.
pub fn build_with_cache_then(
    options: &BuildOptions,
    cache: &mut BuildCache,
    pages_ready: &dyn Fn(),
) -> Result<(BuildReport, bool)> {
    let started = Instant::now();
    let (prepared, markdown_changed) = prepare(options, cache)?;
    let report = publish(options, cache, &prepared, started, pages_ready)?;
    cache.keep_markdown(prepared.site);
    Ok((report, markdown_changed))
}

/// Renders what changed of a prepared site and commits it to the output folder.
pub fn publish(
    options: &BuildOptions,
    cache: &mut BuildCache,
    prepared: &Prepared,
    started: Instant,
    pages_ready: &dyn Fn(),
) -> Result<BuildReport> {
    let output = absolute(&options.output_dir())?;
    let site = &prepared.site;
    // Loading keeps only what lists need of each body; a body is read again when its page
    // or feed entry is rendered, so memory stays flat as the archive grows.
    let content_dir = options.root.join("content");
    let bodies =
        |i: usize| crate::source::articles::read_body(&content_dir, &site.digest.articles[i].rel);
    let timer = Timer::new();
    let renderer = Renderer::new(
        &site.config,
        &site.digest,
        &site.html,
        &bodies,
        &prepared.views,
    );
    let pages = &site.digest.pages;
    let specs = crate::render::feed::feed_specs(&site.config, &site.digest, &site.html);
    let statics = static_files(&options.root, &site.config)?;
    check_claims(&options.root, site, &statics, &specs)?;
    let staging = Staging::new(&output, !options.serve)?;
    for (rel, path) in &statics {
        staging.copy(path, rel)?;
    }
    let mut files = statics.len();
    for asset in &site.digest.assets {
        staging.copy(
            &options.root.join("content").join(&asset.rel),
            &asset.out_path,
        )?;
        files += 1;
    }
    staging.write("highlight.css", crate::markdown::highlight_css())?;
    staging.write(".nojekyll", "")?;
    files += 2;
    if let Some(cname) = &site.config.cname {
        staging.write("CNAME", format!("{cname}\n"))?;
        files += 1;
    }
    timer.lap("static files");

    // Pages and feeds whose fingerprint matches what the output already holds are kept
    // as they are; only the others are rendered.
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let render_if_changed = |site_path: String,
                             fingerprint: u64,
                             render: &dyn Fn() -> Result<String>|
     -> Result<(String, u64)> {
        if cache.is_current(&output, &site_path, fingerprint) {
            staging.keep(&site_path)?;
        } else {
            rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            staging.write(&site_path, render()?)?;
        }
        Ok((site_path, fingerprint))
    };
    // Recent articles appear in several feeds (the site's and their topics'): render each
    // body once for all of them.
    let feed_bodies: Vec<std::sync::OnceLock<String>> = (0..site.digest.articles.len())
        .map(|_| Default::default())
        .collect();
    let feed_body = |i: usize| -> Result<String> {
        if let Some(body) = feed_bodies[i].get() {
            return Ok(body.clone());
        }
        let body = crate::render::feed::entry_body(&site.config, &renderer.body(i)?);
        Ok(feed_bodies[i].get_or_init(|| body).clone())
    };
    let mut feed_fingerprints: Vec<(String, u64)> = specs
        .par_iter()
        .map(|spec| -> Result<Vec<(String, u64)>> {
            let f = renderer.feed_fingerprint(&spec.title, &spec.page_path, &spec.articles);
            let p = &spec.page_path;
            // Entry bodies are rendered once per feed, and only if one of its files changed.
            let cell = std::cell::OnceCell::new();
            let bodies = || -> Result<&Vec<String>> {
                if let Some(b) = cell.get() {
                    return Ok(b);
                }
                let b = spec
                    .articles
                    .iter()
                    .map(|&i| feed_body(i))
                    .collect::<Result<Vec<_>>>()?;
                Ok(cell.get_or_init(|| b))
            };
            Ok(vec![
                render_if_changed(format!("{p}atom.xml"), f, &|| {
                    Ok(crate::render::feed::atom(spec, bodies()?))
                })?,
                render_if_changed(format!("{p}rss.xml"), f, &|| {
                    Ok(crate::render::feed::rss(spec, bodies()?))
                })?,
                render_if_changed(format!("{p}feed.json"), f, &|| {
                    Ok(crate::render::feed::json_feed(spec, bodies()?))
                })?,
            ])
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    // The editions feed: one entry per edition, every article in full.
    let in_editions: Vec<usize> = crate::render::feed::feed_editions(&site.config, &site.digest)
        .into_iter()
        .flat_map(|e| e.articles.iter().copied())
        .collect();
    let f = renderer.feed_fingerprint("editions", "editions/", &in_editions);
    let editions_feeds = std::cell::OnceCell::new();
    for name in ["atom.xml", "rss.xml", "feed.json"] {
        let path = format!("editions/{name}");
        feed_fingerprints.push(render_if_changed(path.clone(), f, &|| {
            if editions_feeds.get().is_none() {
                let made =
                    crate::render::feed::editions_feeds(&site.config, &site.digest, &feed_body)?;
                let _ = editions_feeds.set(made);
            }
            Ok(editions_feeds
                .get()
                .and_then(|files: &Vec<(String, String)>| files.iter().find(|(p, _)| *p == path))
                .map(|(_, text)| text.clone())
                .unwrap_or_default())
        })?);
    }
    files += feed_fingerprints.len();
    timer.lap("feeds");
    // The search index (rebuilt only when an article changed), sitemaps, robots.txt and
    // the OPML list of feeds, into `staging`. `gathered` holds the index terms of the
    // articles whose pages were just rendered.
    let all: Vec<usize> = (0..site.digest.articles.len()).collect();
    let index_fingerprint =
        renderer.feed_fingerprint("search", crate::render::search::INDEX_PATH, &all);
    let summaries: Vec<&str> = site.html.iter().map(|h| h.summary_text.as_str()).collect();
    let write_indexes = |staging: &Staging,
                         gathered: crate::render::search::Terms|
     -> Result<(Vec<(String, u64)>, usize)> {
        let f = index_fingerprint;
        let site_path = crate::render::search::INDEX_PATH.to_string();
        if cache.is_current(&output, &site_path, f) {
            staging.keep(&site_path)?;
        } else {
            rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let body_words = |i: usize| -> Result<std::sync::Arc<Vec<String>>> {
                let hash = site.digest.articles[i].source_hash;
                let remembered = cache
                    .search_words
                    .lock()
                    .ok()
                    .and_then(|words| words.get(&hash).cloned());
                if let Some(words) = remembered {
                    return Ok(words);
                }
                let words = std::sync::Arc::new(crate::render::search::body_words(&bodies(i)?));
                if cache.keep_search_words {
                    if let Ok(mut all) = cache.search_words.lock() {
                        all.insert(hash, words.clone());
                    }
                }
                Ok(words)
            };
            let text =
                crate::render::search::index(&site.digest, &summaries, gathered, &body_words)?;
            staging.write(&site_path, text)?;
        }
        if cache.keep_search_words {
            // Forget the words of article versions that are gone.
            let current: std::collections::HashSet<u64> =
                site.digest.articles.iter().map(|a| a.source_hash).collect();
            if let Ok(mut words) = cache.search_words.lock() {
                words.retain(|hash, _| current.contains(hash));
            }
        }
        let sitemaps = crate::render::feed::sitemaps(&site.config, &site.digest, pages);
        for (path, text) in &sitemaps {
            staging.write(path, text)?;
        }
        staging.write("robots.txt", crate::render::feed::robots(&site.config))?;
        staging.write(
            "feeds.opml",
            crate::render::feed::opml(&site.config, &site.digest),
        )?;
        Ok((vec![(site_path, f)], sitemaps.len() + 3))
    };
    // In `serve` the index and sitemaps are written after the pages; until then the
    // previous ones stay.
    let defer = options.serve;
    if defer {
        for path in cache.files_in(&output).unwrap_or_default() {
            if is_index_file(&path) {
                staging.keep(&path)?;
            }
        }
    }
    // A build that makes a new index takes each rendered article's words from the same
    // pass that renders its page, instead of reading and parsing its body again.
    let gather = !defer
        && !cache.is_current(
            &output,
            crate::render::search::INDEX_PATH,
            index_fingerprint,
        );

    let progress = Progress::new(options.progress, pages.len(), started);
    type PagePass = (Vec<(String, u64)>, crate::render::search::Terms);
    let (page_fingerprints, gathered): PagePass = pages
        .par_iter()
        .try_fold(
            PagePass::default,
            |(mut fingerprints, mut terms), page| -> Result<PagePass> {
                progress.tick();
                let file = page_file(&page.path);
                let text = std::cell::Cell::new(None);
                fingerprints.push(render_if_changed(
                    file,
                    renderer.fingerprint(page),
                    &|| {
                        let (html, body_text) = renderer.render_with_text(page, gather)?;
                        text.set(body_text);
                        Ok(html)
                    },
                )?);
                if let (PageKind::Article(i), Some(text)) = (page.kind, text.take()) {
                    let title = &site.digest.articles[i].title;
                    terms.add(i, title, summaries[i], crate::render::search::words(&text));
                }
                Ok((fingerprints, terms))
            },
        )
        .try_reduce(PagePass::default, |(mut a, terms_a), (b, terms_b)| {
            a.extend(b);
            Ok((a, terms_a.merge(terms_b)))
        })?;
    progress.finish();
    timer.lap("pages");
    if !defer {
        let (fingerprints, count) = write_indexes(&staging, gathered)?;
        feed_fingerprints.extend(fingerprints);
        files += count;
        timer.lap("search index, sitemaps");
    }
    let mut changed = staging.changed();
    // The cache knows every file the last build wrote, so stale ones are found without a walk.
    let mut all_paths = staging.paths();
    staging.commit(cache.files_in(&output))?;
    timer.lap("commit");
    pages_ready();
    if defer {
        let late = Staging::new(&output, false)?;
        let (fingerprints, count) = write_indexes(&late, Default::default())?;
        feed_fingerprints.extend(fingerprints);
        files += count;
        changed += late.changed();
        all_paths.extend(late.paths().into_iter().filter(|p| is_index_file(p)));
        // Nothing is stale: these files only replace their previous versions.
        late.commit(Some(Vec::new()))?;
        timer.lap("search index, sitemaps");
    }
    // Files without a fingerprint (static files, assets, sitemap) get 0: never "current".
    let mut fingerprints: std::collections::HashMap<String, u64> =
        all_paths.into_iter().map(|p| (p, 0)).collect();
    fingerprints.extend(page_fingerprints.into_iter().chain(feed_fingerprints));
    cache.record(&output, fingerprints);
    timer.lap("cache");
    Ok(BuildReport {
        articles: site.digest.articles.len(),
        pages: pages.len(),
        rendered: rendered.into_inner(),
        changed,
        files,
        warnings: site.warnings.clone(),
        output: options.output_dir(),
        elapsed: started.elapsed(),
    })
}

fn absolute(path: &Path) -> Result<PathBuf> {
    Ok(if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    })
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

/// The files a build writes itself, besides pages: each a site path and what it is.
fn generated_files<'a>(
    config: &SiteConfig,
    specs: &'a [crate::render::feed::FeedSpec],
) -> Vec<(std::borrow::Cow<'a, str>, &'static str)> {
    let mut made: Vec<(std::borrow::Cow<str>, &str)> = vec![
        ("highlight.css".into(), "the code colours Gazette writes"),
        (
            ".nojekyll".into(),
            "the file that turns off Jekyll on GitHub Pages",
        ),
        (crate::render::search::INDEX_PATH.into(), "the search index"),
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
        generated_files(&site.config, specs)
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
    for page in &site.digest.pages {
        owners.insert(page_file(&page.path), format!("the page /{}", page.path));
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

/// The file of a page at `path` (`2018/08/15/kim/` -> `2018/08/15/kim/index.html`).
fn page_file(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// Prints how long each stage took when `GAZETTE_TIMINGS` is set (for profiling).
struct Timer {
    last: std::cell::Cell<Instant>,
    on: bool,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            last: std::cell::Cell::new(Instant::now()),
            on: std::env::var_os("GAZETTE_TIMINGS").is_some(),
        }
    }

    fn lap(&self, stage: &str) {
        if self.on {
            let now = Instant::now();
            // The peak memory so far, where the system tells it (Linux).
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                    Some(format!(", peak memory {} MiB", kib / 1024))
                })
                .unwrap_or_default();
            eprintln!(
                "{stage:>24}: {:7.1} ms{peak}",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
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
