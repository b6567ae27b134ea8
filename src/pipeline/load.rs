//! The load stage that `build`, `check` and `newsletter` share: everything read from the
//! site before the model runs (`site.toml` with any `--base-url`, `content/`, the data
//! files, the header of every photo in `content/`), sorted into the languages' trees;
//! then each tree's digest, made in one model call ([`Digest::make`]).

use super::options::BuildOptions;
use crate::config::SiteConfig;
use crate::model::languages::TreeSources;
use crate::model::{Digest, DigestInputs, Probes, Selection};
use crate::problem::{Problem, Problems};
use crate::source::articles::Remembered;
use anyhow::Result;
use chrono::Utc;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;

/// The site as read, before the model.
pub struct Loaded {
    /// `site.toml`, with `options.base_url` in place of its own.
    pub config: SiteConfig,
    /// Each language's articles, config and data, the default language's first.
    pub trees: Vec<TreeSources>,
    /// The files of `content/` that are not articles, relative to it.
    pub assets: Vec<PathBuf>,
    /// The header of every photo among `assets`.
    pub probes: Probes,
    pub selection: Selection,
    /// When the same files could make a different site ([`crate::model::next_change`]).
    pub valid_until: Option<chrono::DateTime<Utc>>,
    /// Whether the data files were read (when not, their problems are in `problems` and
    /// the trees have none).
    pub data_read: bool,
    /// Files that could not be read as articles, and the data files' problems.
    pub problems: Vec<Problem>,
    /// The articles' warnings, the placeholder `base_url` (where the delivery warns of
    /// it), and what sorting into trees found (notes and files in languages the site
    /// lacks, source links cited twice or with tracking parameters).
    pub warnings: Vec<Problem>,
}

/// One language's tree with its digest made.
pub struct TreeDigest {
    pub config: SiteConfig,
    pub digest: Digest,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// The articles a build of `options` publishes (drafts, future and expired ones as asked).
pub fn selection(options: &BuildOptions) -> Selection {
    Selection {
        drafts: options.drafts,
        future: options.future,
        expired: options.expired,
        now: options.now.unwrap_or_else(Utc::now),
    }
}

/// Reads the site at `options.root`, reusing the articles `remembered` parsed before.
/// Problems with single files are collected in [`Loaded::problems`]; an error is a
/// `site.toml` that does not load, or a folder that cannot be read.
pub fn load(
    options: &BuildOptions,
    selection: Selection,
    remembered: &mut Remembered,
) -> Result<Loaded> {
    let mut config = SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content_dir = options.root.join("content");
    let content = crate::source::articles::load_reusing(
        &content_dir,
        "content",
        &crate::source::front_matter::Options::for_site(&config),
        remembered,
    )?;
    let valid_until = crate::model::next_change(&content.articles, selection.now);
    let mut problems = content.problems;
    let mut warnings = content.warnings;
    warnings.extend(
        config
            .placeholder
            .clone()
            .filter(|_| options.delivery.warn_placeholder),
    );
    let data = match crate::source::data::load(&options.root) {
        Ok(data) => Some(data),
        Err(e) => {
            problems.extend(e.downcast::<Problems>()?.0);
            None
        }
    };
    let data_read = data.is_some();
    let named = named_files(&content.articles);
    let (trees, found) = crate::model::languages::sort_into_trees(
        &config,
        content.articles,
        &data.unwrap_or_default(),
    );
    warnings.extend(found);
    let probes = probe_photos(&content_dir, &content.assets, &named);
    Ok(Loaded {
        config,
        trees,
        assets: content.assets,
        probes,
        selection,
        valid_until,
        data_read,
        problems,
        warnings,
    })
}

/// The file names (the last part of the address, decoded, without `?…` or `#…`) that the
/// articles' images, links and references name: a photo whose name is not among them is
/// used by no article, and its header need not be read. (More names than photos used,
/// never fewer: which article uses which photo is known once the digest is made.)
fn named_files(articles: &[crate::source::articles::LoadedArticle]) -> HashSet<String> {
    let mut names = HashSet::new();
    for a in articles {
        let front = a.front.image.as_ref().map(|i| i.src.as_str());
        let images = a.images.iter().map(|(_, dest)| dest.as_str());
        let links = a.site_links.iter().map(|(_, dest, _)| dest.as_str());
        let refs = a.refs.iter().map(|(_, _, name)| name.as_str());
        for dest in front.into_iter().chain(images).chain(links).chain(refs) {
            let path = dest.split(['?', '#']).next().unwrap_or(dest);
            let name = path.rsplit('/').next().unwrap_or(path);
            names.insert(
                crate::util::slug::percent_decode(name).unwrap_or_else(|| name.to_string()),
            );
            names.insert(name.to_string());
        }
    }
    names
}

/// The header of each photo among `assets` (relative to `content_dir`) that an article
/// may use (its file name is among `named`), read in parallel. One that cannot be read is
/// a problem only where an article uses it.
fn probe_photos(
    content_dir: &std::path::Path,
    assets: &[PathBuf],
    named: &HashSet<String>,
) -> Probes {
    let named = |rel: &PathBuf| {
        let name = rel.file_name().map(|n| n.to_string_lossy());
        name.is_some_and(|n| named.contains(n.as_ref()))
    };
    assets
        .par_iter()
        .filter(|rel| crate::source::images::is_raster(rel.as_path()) && named(rel))
        .map(|rel| {
            let probe = crate::source::images::probe(&content_dir.join(rel));
            (rel.clone(), probe)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

impl Loaded {
    /// Makes the digest of each tree, the default language's first (the trees are taken
    /// out of `self`).
    pub fn digests(&mut self) -> Vec<TreeDigest> {
        let trees = std::mem::take(&mut self.trees);
        trees
            .into_iter()
            .map(|tree| {
                let made = Digest::make(DigestInputs {
                    config: &tree.config,
                    articles: tree.articles,
                    assets: self.assets.clone(),
                    data: self.data_read.then_some(&tree.data),
                    probes: &self.probes,
                    selection: self.selection,
                });
                TreeDigest {
                    config: tree.config,
                    digest: made.digest,
                    problems: made.problems,
                    warnings: made.warnings,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_files_articles_name_are_found_by_their_names_decoded() {
        let text = "---\ntitle: A\ndate: 2018-08-15\nimage: lead.jpg\n---\n![c](../x/caf%C3%A9.png?v=1#a) [scan](/2018/08/scan.jpg) [a](https://ex.org/remote.jpg)\n\n{% link assets/chart.png %}\n";
        let options = crate::source::front_matter::Options::new(chrono_tz::UTC);
        let (article, _) = crate::source::articles::read_article(
            std::path::Path::new("a.md"),
            "content/a.md",
            text.as_bytes(),
            &options,
        )
        .unwrap();
        let names = super::named_files(&[article]);
        for name in ["lead.jpg", "café.png", "scan.jpg", "chart.png"] {
            assert!(names.contains(name), "{name}: {names:?}");
        }
        assert!(!names.contains("remote.jpg"), "{names:?}");
    }
}
