//! `gazette build`: config -> load -> digest -> markdown -> render -> write, in that order.

use super::options::Timer;
pub use super::options::{BuildOptions, BuildReport, Prepared};
use super::publish::publish;
use crate::config::SiteConfig;
use crate::model::{Digest, Selection};
use crate::pipeline::cache::BuildCache;
use crate::render::{self, ArticleHtml, MarkdownInputs, Site};
use anyhow::Result;
use chrono::Utc;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Reads and groups the site (its default language), and renders every article's Markdown.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let sites = load_site_cached(options, &mut BuildCache::default())?.0;
    Ok(sites
        .into_iter()
        .next()
        .expect("the default language's tree"))
}

/// Like [`load_site`], for every language's tree (the default language's first, see
/// [`SiteConfig::trees`]), reusing Markdown that `cache` rendered before from the same
/// input (the entries used are taken out of the cache). Also says whether any was
/// rendered anew.
pub fn load_site_cached(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<(Vec<Site>, bool)> {
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
    if options.delivery.save_articles && cache.articles.enabled {
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
    let mut warnings = content.warnings;
    warnings.extend(
        config
            .placeholder
            .clone()
            .filter(|_| options.delivery.warn_placeholder),
    );
    let (trees, found) = crate::model::languages::sort_into_trees(&config, content.articles, &data);
    warnings.extend(found);
    let mut sites = Vec::new();
    let mut fresh = 0;
    for tree in trees {
        let tree = TreeInputs {
            tree,
            assets: content.assets.clone(),
            selection,
        };
        let (site, made) = load_tree(options, cache, tree, &timer)?;
        fresh += made;
        sites.push(site);
    }
    let clashes = crate::model::languages::folder_clashes(&config, &sites[0].digest);
    if !clashes.is_empty() {
        return Err(crate::problem::Problems(clashes).into());
    }
    sites[0].warnings.splice(0..0, warnings);
    let none = sites.iter().all(|s| s.markdown_keys.is_empty());
    let changed = fresh > 0 || !cache.markdown.is_empty() || none;
    cache.markdown.clear();
    Ok((sites, changed))
}

/// What one language's tree is made from.
struct TreeInputs {
    tree: crate::model::languages::TreeSources,
    assets: Vec<PathBuf>,
    selection: Selection,
}

/// Groups one language's articles and renders their Markdown (reusing what `cache` has);
/// also says how many were rendered anew.
fn load_tree(
    options: &BuildOptions,
    cache: &mut BuildCache,
    tree: TreeInputs,
    timer: &Timer,
) -> Result<(Site, usize)> {
    let TreeInputs {
        tree,
        assets,
        selection,
    } = tree;
    let (config, data) = (tree.config, tree.data);
    let mut digest = Digest::assemble(&config, tree.articles, assets, selection)?;
    let (problems, mut warnings) = digest.apply_data(&config, &data);
    if !problems.is_empty() {
        return Err(crate::problem::Problems(problems).into());
    }
    warnings.extend(digest.rename_warnings(&config));
    timer.lap("digest");
    warnings.extend(super::images::plan(&options.root, &config, &mut digest)?);
    timer.lap("image headers");
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
    timer.lap("markdown");
    let site = Site {
        config,
        digest,
        html,
        warnings,
        markdown_keys: keys,
    };
    Ok((site, fresh))
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
pub fn prepare(options: &BuildOptions, cache: &mut BuildCache) -> Result<(Prepared, bool)> {
    let (mut sites, markdown_changed) = load_site_cached(options, cache)?;
    let timer = Timer::new();
    let configs: Vec<&SiteConfig> = sites.iter().map(|s| &s.config).collect();
    let each = theme_of_each(&options.root, &configs)?;
    let mut themes = Vec::new();
    for (site, (templates, locale, warnings)) in sites.iter_mut().zip(each) {
        let targets = super::links::targets(&options.root, &site.config, &site.digest)?;
        site.warnings
            .extend(super::links::broken(&site.digest, &targets));
        site.warnings.extend(warnings);
        themes.push((templates, locale));
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
    Ok((Prepared { trees }, markdown_changed))
}

/// The site's templates and the language its pages are in (the theme's words, the site's
/// own on top), with a warning for each word the language lacks.
pub fn theme(root: &Path, config: &SiteConfig) -> Result<Theme> {
    let templates = render::load_templates(crate::source::templates::read(root, config)?)?;
    let words = crate::source::words::read(root, config)?;
    let (locale, warnings) = render::Locale::new(&config.language, &words)?;
    Ok((templates, Arc::new(locale), warnings))
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
            Ok((templates.clone(), Arc::new(locale), warnings))
        })
        .collect()
}

/// What [`theme`] gives: the templates (with their hash), the language, the warnings.
pub type Theme = (
    render::Templates,
    Arc<render::Locale>,
    Vec<crate::problem::Problem>,
);

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
    if prepared.trees.len() != 1 {
        return false; // (a site in several languages is loaded again)
    }
    let tree = &mut prepared.trees[0];
    let content_dir = options.root.join("content");
    let config = &tree.site.config;
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
        let Some(i) = tree.site.digest.article_index(rel) else {
            return false;
        };
        let Some(old) = cache.articles.article(rel) else {
            return false;
        };
        let Ok((bytes, stamp)) = crate::util::fs::read_stamped(path) else {
            return false;
        };
        let shown = &tree.site.digest[i].path;
        let Ok((new, warnings)) =
            crate::source::articles::read_article(rel, shown, &bytes, &front_options)
        else {
            return false;
        };
        // (A new `{% post_url %}` or `{{< ref >}}` is looked up by a whole rebuild.)
        // (A new or moved image needs its header read: a whole rebuild too.)
        if new.front != old.front
            || new.body_line != old.body_line
            || new.refs != old.refs
            || new.images != old.images
        {
            return false;
        }
        edits.push((i, rel.to_path_buf(), stamp, new, warnings));
    }
    if edits.is_empty() {
        return false;
    }
    let site = &mut tree.site;
    let links = render::link_map_fingerprint(&site.digest);
    for (i, rel, stamp, mut new, warnings) in edits {
        let a = &mut site.digest[i];
        a.source_hash = new.source_hash;
        a.lead = new.lead.clone();
        a.words = new.words;
        a.links_inside = new.links_inside;
        let inputs = MarkdownInputs {
            config: &site.config,
            digest: &site.digest,
            article: &site.digest[i],
            links,
        };
        site.markdown_keys[i.index()] = inputs.key();
        site.html[i.index()] = inputs.summary();
        tree.views.update_article(
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
    let warnings = prepared.warnings();
    if options.strict && !warnings.is_empty() {
        return Err(crate::problem::Problems(warnings).into());
    }
    let report = publish(options, cache, &prepared, started, pages_ready)?;
    cache.keep_markdown(prepared.trees.into_iter().map(|t| t.site));
    Ok((report, markdown_changed))
}
