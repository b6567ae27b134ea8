//! `gazette check`: builds the site in memory and reports every problem at once: front
//! matter, duplicate URLs, internal links and images that point at nothing, templates that
//! fail, and (with `--external`, see [`super::external`]) external links that do not
//! answer.

use crate::config::SiteConfig;
use crate::model::{Digest, Selection};
use crate::pipeline::build::BuildOptions;
use crate::problem::Problem;
use crate::render::{self, Renderer};
use anyhow::Result;
use chrono::Utc;
use rayon::prelude::*;
use std::collections::HashSet;

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub articles: usize,
    pub links: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Checks the site at `options.root` without writing anything.
pub fn check(options: &BuildOptions, external: bool) -> Result<CheckReport> {
    let (config, digest, mut report) = assemble(options)?;
    report.articles = digest.articles.len();
    let targets = link_targets(options, &config, &digest)?;
    let external_links = check_links(&digest, &targets, &mut report);
    report.warnings.extend(moved_links(&config, &digest));
    report
        .warnings
        .extend(moved_articles(options, &config, &digest));
    if external {
        let now = options.now.unwrap_or_else(Utc::now);
        let found = super::external::check_external(&options.root, &external_links, now);
        report.problems.extend(found);
    }
    // Render every page in memory, so template errors show up too.
    if report.problems.is_empty() {
        let warnings = render_all(options, &config, &digest)?;
        report.warnings.extend(warnings);
    }
    report.problems.sort();
    report.problems.dedup();
    Ok(report)
}

/// The site's config and digest, with every article (drafts, future and expired ones
/// too), and the problems found in them so far.
fn assemble(options: &BuildOptions) -> Result<(SiteConfig, Digest, CheckReport)> {
    let mut config = crate::config::SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content = crate::source::articles::load(
        &options.root.join("content"),
        "content",
        &crate::source::front_matter::Options::for_site(&config),
    )?;
    let mut report = CheckReport {
        problems: content.problems,
        warnings: content.warnings,
        ..Default::default()
    };
    report
        .warnings
        .extend(crate::model::links::source_warnings(&content.articles));
    let selection = Selection {
        drafts: true,
        future: true,
        expired: true,
        now: options.now.unwrap_or_else(Utc::now),
    };
    let (mut digest, collisions) =
        Digest::assemble_all(&config, content.articles, content.assets, selection);
    report.problems.extend(collisions);
    match crate::source::data::load(&options.root) {
        Ok(data) => {
            let (problems, warnings) = digest.apply_data(&config, &data);
            report.problems.extend(problems);
            report.warnings.extend(warnings);
            report.warnings.extend(digest.rename_warnings(&config));
        }
        Err(e) => match e.downcast::<crate::problem::Problems>() {
            Ok(problems) => report.problems.extend(problems.0),
            Err(e) => return Err(e),
        },
    }
    Ok((config, digest, report))
}

/// Every site path a link may point at: pages, files beside articles, static files, and
/// the files a build writes itself (feeds, sitemap, search index…).
fn link_targets(
    options: &BuildOptions,
    config: &SiteConfig,
    digest: &Digest,
) -> Result<HashSet<String>> {
    let mut targets: HashSet<String> = digest.pages.iter().map(|p| p.path.clone()).collect();
    targets.extend(digest.assets.iter().map(|a| a.out_path.clone()));
    targets.extend(crate::pipeline::publish::static_files(&options.root, config)?.into_keys());
    let specs =
        crate::render::feed::feed_specs(config, &crate::render::Locale::english(), digest, &[]);
    targets.extend(
        crate::pipeline::publish::generated_files(config, digest, &specs)
            .into_iter()
            .map(|(path, _)| path.into_owned()),
    );
    Ok(targets)
}

/// Checks every link and image of every article; returns the external ones
/// (`(file, line, url)`), which only `--external` fetches.
fn check_links(
    digest: &Digest,
    targets: &HashSet<String>,
    report: &mut CheckReport,
) -> Vec<(String, usize, String)> {
    let mut external_links = Vec::new();
    for article in &digest.articles {
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
            external_links.push((
                article.path.clone(),
                article.source_line,
                source.url.clone(),
            ));
        }
        for (line, dest, image) in links {
            report.links += 1;
            let what = if image { "image" } else { "link" };
            match digest.resolve_link(&article.rel, &dest) {
                Ok(None) => {
                    if dest.starts_with("http://") || dest.starts_with("https://") {
                        external_links.push((article.path.clone(), line, dest));
                    }
                }
                Ok(Some(path)) => {
                    let bare = path.split(['#', '?']).next().unwrap_or("");
                    let found = targets.contains(bare)
                        || targets.contains(&format!("{bare}/"))
                        || bare
                            .strip_suffix("index.html")
                            .is_some_and(|p| targets.contains(p));
                    if !found {
                        report.problems.push(Problem::new(
                            &article.path,
                            Some(line),
                            format!("{what} `{dest}` points at no page of the site; check the date and slug, or link to the article's .md file"),
                        ));
                    }
                }
                // Reported once, when the digest is assembled.
                Err(_) if dest.starts_with(crate::markdown::imported::REF_SCHEME) => {}
                Err(why) => report.problems.push(Problem::new(
                    &article.path,
                    Some(line),
                    format!(
                        "{what} {why}; fix the path (relative to this file) or remove the {what}"
                    ),
                )),
            }
        }
    }
    external_links
}

/// Links to old addresses: each works (it redirects), but the new address saves readers
/// a hop.
fn moved_links(config: &SiteConfig, digest: &Digest) -> Vec<Problem> {
    let mut warnings = Vec::new();
    if digest.redirects.is_empty() {
        return warnings;
    }
    for article in &digest.articles {
        for link in crate::markdown::links(&article.body) {
            let Ok(Some(path)) = digest.resolve_link(&article.rel, &link.dest) else {
                continue;
            };
            if let Some(r) = digest.redirect_at(&path) {
                let line = article.body_line
                    + article.body[..link.offset.min(article.body.len())]
                        .matches('\n')
                        .count();
                warnings.push(Problem::new(
                    &article.path,
                    Some(line),
                    format!(
                        "`{}` is an old address that redirects to {}; link to {} instead",
                        link.dest,
                        config.root_url(&r.to),
                        config.root_url(&r.to)
                    ),
                ));
            }
        }
    }
    warnings
}

/// Articles whose URL changed since the last build: links to the old one break unless the
/// article lists it in `aliases`.
fn moved_articles(options: &BuildOptions, config: &SiteConfig, digest: &Digest) -> Vec<Problem> {
    let previous = crate::pipeline::cache::previous_urls(&options.root);
    let mut warnings = Vec::new();
    for (i, a) in digest.articles.iter().enumerate() {
        let Some(old) = previous.get(&a.rel) else {
            continue;
        };
        let kept = digest.redirects.iter().any(|r| &r.from == old)
            || digest
                .pages
                .iter()
                .any(|p| &p.path == old && p.kind != crate::model::PageKind::Article(i));
        if old != &a.url_path && !kept {
            warnings.push(Problem::new(
                &a.path,
                None,
                format!(
                    "its address changed from {} to {} since the last build; add `aliases: [\"{}\"]` to its front matter so links to the old one keep working",
                    config.root_url(old),
                    config.root_url(&a.url_path),
                    format_args!("/{old}")
                ),
            ));
        }
    }
    warnings
}

/// Renders every page in memory (nothing is written), so template errors show up; gives
/// the warnings about the theme's words.
fn render_all(
    options: &BuildOptions,
    config: &SiteConfig,
    digest: &Digest,
) -> Result<Vec<Problem>> {
    let links = render::link_map_fingerprint(digest);
    let html: Vec<_> = digest
        .articles
        .par_iter()
        .map(|article| {
            render::MarkdownInputs {
                config,
                digest,
                article,
                links,
            }
            .summary()
        })
        .collect();
    let (templates, locale, hash, warnings) = super::build::theme(&options.root, config)?;
    let bodies = |i: usize| Ok(digest.articles[i].body.clone());
    let views = render::Views::new(config, digest, &html, &[], (templates, locale), hash, false);
    let renderer = Renderer::new(config, digest, &html, &bodies, &views);
    digest
        .pages
        .par_iter()
        .try_for_each(|page| renderer.render(page).map(|_| ()))?;
    Ok(warnings)
}
