//! `gazette build`: config -> load -> digest -> markdown -> render -> write, in that order.

use super::load::TreeDigest;
use super::options::Timer;
pub use super::options::{BuildOptions, BuildReport, Prepared};
use super::publish::publish;
use crate::config::SiteConfig;
use crate::pipeline::cache::BuildCache;
use crate::render::{self, ArticleHtml, MarkdownInputs, Site};
use anyhow::Result;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Reads and groups the site (its default language), and renders every article's Markdown.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let sites = load_site_cached(options, &mut BuildCache::default())?.sites;
    Ok(sites
        .into_iter()
        .next()
        .expect("the default language's tree"))
}

/// Every language's tree as a [`Site`], and whether any article's Markdown was rendered
/// anew (or the cache held Markdown no article used).
pub struct Sites {
    /// The default language's first.
    pub sites: Vec<Site>,
    pub markdown_changed: bool,
    /// When the same files could make a different site.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Like [`load_site`], for every language's tree (the default language's first, see
/// [`SiteConfig::trees`]), reusing Markdown that `cache` rendered before from the same
/// input (the entries used are taken out of the cache).
pub fn load_site_cached(options: &BuildOptions, cache: &mut BuildCache) -> Result<Sites> {
    let timer = Timer::new();
    let mut loaded = super::load::load(
        options,
        super::load::selection(options),
        &mut cache.articles,
    )?;
    timer.lap("load");
    if !loaded.problems.is_empty() {
        return Err(crate::problem::Problems(loaded.problems).into());
    }
    if options.delivery.save_articles && cache.articles.enabled {
        cache.save_articles(&options.root);
        timer.lap("save articles");
    }
    let valid_until = loaded.valid_until;
    let mut sites = Vec::new();
    let mut fresh = 0;
    for tree in loaded.digests() {
        if !tree.problems.is_empty() {
            return Err(crate::problem::Problems(tree.problems).into());
        }
        timer.lap("digest");
        let (site, made) = render_markdown(cache, tree);
        timer.lap("markdown");
        fresh += made;
        sites.push(site);
    }
    let clashes = crate::model::languages::folder_clashes(&loaded.config, &sites[0].digest);
    if !clashes.is_empty() {
        return Err(crate::problem::Problems(clashes).into());
    }
    sites[0].warnings.splice(0..0, loaded.warnings);
    let none = sites.iter().all(|s| s.markdown_keys.is_empty());
    let markdown_changed = fresh > 0 || !cache.markdown.is_empty() || none;
    cache.markdown.clear();
    Ok(Sites {
        sites,
        markdown_changed,
        valid_until,
    })
}

/// Renders the Markdown of one language's tree (reusing what `cache` has); also says how
/// many articles were rendered anew.
fn render_markdown(cache: &mut BuildCache, tree: TreeDigest) -> (Site, usize) {
    let TreeDigest {
        config,
        digest,
        warnings,
        ..
    } = tree;
    let links = render::link_map_fingerprint(&digest);
    let inputs = |article| MarkdownInputs {
        config: &config,
        digest: &digest,
        article,
        links,
    };
    let keys: Vec<u64> = digest.articles.iter().map(|a| inputs(a).key()).collect();
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
        .map(|(article, cached)| cached.unwrap_or_else(|| inputs(article).summary()))
        .collect();
    let site = Site {
        config,
        digest,
        html,
        warnings,
        markdown_keys: keys,
    };
    (site, fresh)
}

/// Builds the site into its output folder, changing it only on success, and keeps the
/// build cache in `.gazette-cache/` so the next build renders only what changed.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let timer = Timer::new();
    // One clock for the whole build, which its record keeps.
    let options = &BuildOptions {
        now: Some(options.now.unwrap_or_else(chrono::Utc::now)),
        ..options.clone()
    };
    // Taken before anything is read: a file changed after it shows in the next stamp.
    let key = super::unchanged::key(options, super::unchanged::settled_before());
    if let Some(record) = super::unchanged::recorded(&options.root) {
        if let Some(report) = super::unchanged::reuse(options, record, key, started)? {
            timer.lap("nothing changed");
            return Ok(report);
        }
        super::unchanged::forget(&options.root);
    }
    timer.lap("inputs' stamp");
    let report = build_and_cache(options)?;
    if let Some(key) = key {
        super::unchanged::record(options, key, &report);
    }
    Ok(report)
}

/// A build with the cache of `.gazette-cache/`, saved afterwards.
fn build_and_cache(options: &BuildOptions) -> Result<BuildReport> {
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
pub(super) fn guarded(options: &BuildOptions, cache: &BuildCache) -> Result<BuildOptions> {
    let output = options.output_dir();
    let real = crate::output::guard::resolve(&output)?;
    let permission = crate::output::guard::Permission {
        force: options.force,
        cached: cache.files_in(&real).is_some()
            || cache
                .files_in(&crate::util::fs::absolute(&output)?)
                .is_some(),
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

/// Loads the site ([`load_site_cached`]) and its templates, and makes the views of every
/// language's tree, each knowing which of its pages the other trees translate.
pub fn prepare(options: &BuildOptions, cache: &mut BuildCache) -> Result<Prepared> {
    let Sites {
        mut sites,
        markdown_changed,
        valid_until,
    } = load_site_cached(options, cache)?;
    let timer = Timer::new();
    let configs: Vec<&SiteConfig> = sites.iter().map(|s| &s.config).collect();
    let each = theme_of_each(&options.root, &configs)?;
    let mut themes = Vec::new();
    for (site, theme) in sites.iter_mut().zip(each) {
        let targets = super::links::targets(&options.root, &site.config, &site.digest)?;
        site.warnings
            .extend(super::links::broken(&site.digest, &targets));
        site.warnings.extend(theme.warnings);
        themes.push((theme.templates, theme.locale));
    }
    let digests: Vec<&crate::model::Digest> = sites.iter().map(|s| &s.digest).collect();
    let stray = super::links::stray_files(&digests);
    sites[0].warnings.extend(stray);
    timer.lap("links");
    let languages = render::Languages::of(
        &sites
            .iter()
            .zip(&themes)
            .map(|(site, (_, locale))| (&site.config, &site.digest, &**locale))
            .collect::<Vec<_>>(),
    );
    let trees = sites
        .into_iter()
        .zip(themes)
        .zip(languages)
        .map(|((site, (templates, locale)), languages)| {
            let views = render::Views::new(
                render::ViewInputs {
                    config: &site.config,
                    digest: &site.digest,
                    html: &site.html,
                    markdown_keys: &site.markdown_keys,
                    languages,
                },
                templates,
                locale,
                options.delivery.previewing,
            );
            super::options::Tree { site, views }
        })
        .collect();
    timer.lap("templates, views");
    Ok(Prepared {
        trees,
        markdown_changed,
        valid_until,
    })
}

/// The site's templates and the language its pages are in (the theme's words, the site's
/// own on top), with a warning for each word the language lacks.
pub fn theme(root: &Path, config: &SiteConfig) -> Result<Theme> {
    let templates = render::load_templates(crate::source::templates::read(root, config)?)?;
    let words = crate::source::words::read(root, config)?;
    let (locale, warnings) = render::Locale::new(&config.language, &words)?;
    Ok(Theme {
        templates,
        locale: Arc::new(locale),
        warnings,
    })
}

/// [`theme`] for each language's tree: the templates and words are read and the
/// templates compiled once, for all.
fn theme_of_each(root: &Path, configs: &[&SiteConfig]) -> Result<Vec<Theme>> {
    let templates = render::load_templates(crate::source::templates::read(root, configs[0])?)?;
    let words = crate::source::words::read(root, configs[0])?;
    configs
        .iter()
        .map(|config| {
            let (locale, warnings) = render::Locale::new(&config.language, &words)?;
            Ok(Theme {
                templates: templates.clone(),
                locale: Arc::new(locale),
                warnings,
            })
        })
        .collect()
}

/// What [`theme`] gives.
pub struct Theme {
    /// The templates, with their hash.
    pub templates: render::Templates,
    /// The language the pages are in.
    pub locale: Arc<render::Locale>,
    /// A warning for each word the language lacks.
    pub warnings: Vec<crate::problem::Problem>,
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
    let prepared = prepare(options, cache)?;
    let markdown_changed = prepared.markdown_changed;
    let warnings = prepared.warnings();
    if options.strict && !warnings.is_empty() {
        return Err(crate::problem::Problems(warnings).into());
    }
    let mut report = publish(options, cache, &prepared, started, pages_ready)?;
    // A template that reads the environment (Tera's `get_env`) may make another site
    // at any time.
    let environment = prepared.trees.iter().any(|t| t.views.reads_environment());
    report.valid_until = match environment {
        true => Some(super::load::selection(options).now),
        false => prepared.valid_until,
    };
    cache.keep_markdown(prepared.trees.into_iter().map(|t| t.site));
    Ok((report, markdown_changed))
}
