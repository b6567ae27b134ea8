//! `gazette check`: builds the site in memory and reports every problem at once: front
//! matter, duplicate URLs, internal links and images that point at nothing, templates that
//! fail, and (with `--external`, see [`super::external`]) external links that do not
//! answer.

use crate::config::SiteConfig;
use crate::model::languages::TreeSources;
use crate::model::{ArticleId, Digest, Selection};
use crate::pipeline::build::BuildOptions;
use crate::problem::Problem;
use crate::render::{self, Renderer};
use crate::source::articles::Remembered;
use anyhow::Result;
use chrono::Utc;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub articles: usize,
    pub links: usize,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Advice that only `check` gives (a link to an old address, an article whose address
    /// changed since the last build): `build` does not warn about these, so they do not
    /// count towards what `--strict` refuses.
    pub notes: Vec<Problem>,
    /// Of the articles checked, those `gazette build` leaves out (drafts, scheduled, expired).
    pub left_out: crate::model::LeftOutCounts,
    /// The front matter keys of other tools that Gazette leaves as they are (`layout`…),
    /// each with how many articles carry it.
    pub other_tools_keys: BTreeMap<String, usize>,
}

impl CheckReport {
    /// `layout (12 articles), comments (3 articles)`: the keys of other tools, listed once.
    pub fn describe_other_tools_keys(&self) -> Option<String> {
        let listed: Vec<String> = self
            .other_tools_keys
            .iter()
            .map(|(key, n)| format!("{key} ({})", crate::util::plural(*n, "article", "articles")))
            .collect();
        (!listed.is_empty()).then(|| listed.join(", "))
    }
}

/// Checks the site at `options.root` without writing anything.
pub fn check(options: &BuildOptions, external: bool) -> Result<CheckReport> {
    let (trees, mut report) = assemble(options)?;
    report.problems.extend(claim_problems(options, &trees)?);
    let mut external_links = Vec::new();
    for (config, digest) in &trees {
        report.articles += digest.articles.len();
        report.left_out = digest.articles.iter().fold(report.left_out, |n, a| {
            use crate::model::LeftOut;
            match (a.draft, a.future, a.expired) {
                (true, ..) => n.with(LeftOut::Draft),
                (_, true, _) => n.with(LeftOut::Scheduled),
                (.., true) => n.with(LeftOut::Expired),
                _ => n,
            }
        });
        let targets = super::links::targets(&options.root, config, digest)?;
        let examined = super::links::examine(digest, &digest.articles, &targets);
        report.links += examined.count;
        report.problems.extend(examined.broken);
        external_links.extend(examined.external);
        report.notes.extend(moved_links(config, digest));
        report.notes.extend(moved_articles(options, config, digest));
    }
    let digests: Vec<&Digest> = trees.iter().map(|(_, d)| d).collect();
    report.warnings.extend(super::links::stray_files(&digests));
    if external {
        let now = options.now.unwrap_or_else(Utc::now);
        let (found, states) = super::external::check_external(&options.root, &external_links, now);
        report.problems.extend(found);
        let sources: Vec<&str> = trees
            .iter()
            .flat_map(|(_, d)| {
                d.articles
                    .iter()
                    .filter_map(|a| a.source.as_ref().map(|s| s.url.as_str()))
            })
            .collect();
        record_source_states(&options.root, &sources, &states, now)?;
    }
    // Render every page in memory, so template errors show up too.
    if report.problems.is_empty() {
        for (config, digest) in &trees {
            let warnings = render_all(options, config, digest)?;
            report.warnings.extend(warnings);
        }
    }
    report.problems.sort();
    report.problems.dedup();
    Ok(report)
}

/// Records in `data/archive.yaml` whether each cited source still answers (`state: alive`
/// or `dead`, and the day it was checked), so the next build — from this record, without a
/// request — leads readers of a gone source to its archived copy. The file is written only
/// when a state changed.
fn record_source_states(
    root: &std::path::Path,
    sources: &[&str],
    states: &std::collections::HashMap<String, bool>,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    use crate::source::data::{parse_archive, write_archive, ARCHIVE_FILE};
    let path = root.join(ARCHIVE_FILE);
    let mut record = match path.exists() {
        true => parse_archive(&crate::util::fs::read_to_string(&path)?)
            .map_err(|p| anyhow::anyhow!("{p}"))?,
        false => Default::default(),
    };
    let before = record.clone();
    let today = now.format("%Y-%m-%d").to_string();
    for url in sources {
        let Some(&gone) = states.get(*url) else {
            continue;
        };
        let entry = record.entry(url.to_string()).or_default();
        let state = if gone { "dead" } else { "alive" };
        if entry.state.as_deref() != Some(state) {
            entry.state = Some(state.to_string());
            entry.checked = Some(today.clone());
        }
    }
    if record != before {
        if let Some(dir) = path.parent() {
            crate::util::fs::create_dir_all(dir)?;
        }
        crate::util::fs::replace(&path, write_archive(&record))?;
    }
    Ok(())
}

/// What `build` refuses before it writes anything: two inputs for one output file in any
/// tree, and default-language pages inside another language's folder.
fn claim_problems(options: &BuildOptions, trees: &[(SiteConfig, Digest)]) -> Result<Vec<Problem>> {
    let Some((config, digest)) = trees.first() else {
        return Ok(Vec::new());
    };
    let mut problems = crate::model::languages::folder_clashes(config, digest);
    let statics = super::claims::static_files(&options.root, config)?;
    let locale = render::Locale::english();
    let specs: Vec<Vec<render::feed::FeedSpec>> = trees
        .iter()
        .map(|(c, d)| render::feed::feed_specs(c, &locale, d, &[]))
        .collect();
    let claims: Vec<super::claims::Tree> = trees
        .iter()
        .zip(&specs)
        .map(|((c, d), specs)| super::claims::Tree::new(c, d, specs))
        .collect();
    if let Err(e) = super::claims::check(&options.root, &statics, &claims) {
        problems.extend(e.downcast::<crate::problem::Problems>()?.0);
    }
    Ok(problems)
}

/// Every language's tree (its config and digest, with every article: drafts, future and
/// expired ones too), and the problems found in them so far.
fn assemble(options: &BuildOptions) -> Result<(Vec<(SiteConfig, Digest)>, CheckReport)> {
    let selection = Selection {
        drafts: true,
        future: true,
        expired: true,
        now: options.now.unwrap_or_else(Utc::now),
    };
    // (Bodies are kept: the links to old addresses are looked for in them.)
    let mut remembered = Remembered::default();
    remembered.keep_bodies = true;
    let mut loaded = super::load::load(options, selection, &mut remembered)?;
    let mut report = CheckReport {
        problems: std::mem::take(&mut loaded.problems),
        // With what `build` warns about before it assembles anything.
        warnings: std::mem::take(&mut loaded.warnings),
        other_tools_keys: other_tools_keys(&loaded.trees),
        ..Default::default()
    };
    // The photos' headers are read as a build reads them: a file that is no image, too
    // large or too tall for WebP is found here too.
    let mut trees = Vec::new();
    for tree in loaded.digests() {
        report.problems.extend(tree.problems);
        report.warnings.extend(tree.warnings);
        trees.push((tree.config, tree.digest));
    }
    Ok((trees, report))
}

/// The front matter keys of other tools, each with how many articles carry it.
fn other_tools_keys(trees: &[TreeSources]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for article in trees.iter().flat_map(|t| &t.articles) {
        let mut keys = article.front.other_tools_keys.clone();
        keys.sort();
        keys.dedup();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    counts
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
    for (i, a) in digest.article_ids().zip(&digest.articles) {
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
    let super::build::Theme {
        templates,
        locale,
        warnings,
    } = super::build::theme(&options.root, config)?;
    let bodies = |i: ArticleId| Ok(digest[i].body.clone());
    let inputs = render::ViewInputs {
        config,
        digest,
        html: &html,
        markdown_keys: &[],
        languages: Default::default(),
    };
    let views = render::Views::new(inputs, templates, locale, false);
    let renderer = Renderer::new(config, digest, &html, &bodies, &views);
    digest
        .pages
        .par_iter()
        .try_for_each(|page| renderer.render(page).map(|_| ()))?;
    Ok(warnings)
}
