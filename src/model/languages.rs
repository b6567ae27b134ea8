//! Languages in one site: which language's tree each article is in (its file name:
//! `kim.ko.md` is the Korean translation of `kim.md`), and which pages of the trees are
//! the same page in another language.

use super::{Digest, PageKind, TreeId};
use crate::config::SiteConfig;
use crate::problem::Problem;
use crate::source::articles::LoadedArticle;
use crate::source::data::SiteData;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The code of one of the site's other languages that ends `rel`'s stem (`ko` for
/// `kim.ko.md` and `index.ko.md`), or `None` (an article in the default language).
pub fn suffix<'c>(rel: &Path, config: &'c SiteConfig) -> Option<&'c str> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, code) = stem.rsplit_once('.')?;
    config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .find(|c| *c == code)
}

/// A file stem without its language suffix: `kim` for `kim.ko`.
pub fn bare_stem<'s>(stem: &'s str, config: &SiteConfig) -> &'s str {
    match stem.rsplit_once('.') {
        Some((bare, code)) if config.languages.iter().any(|l| l.code == code) => bare,
        _ => stem,
    }
}

/// What an article and its translations share: its path without the language
/// (`2018/08/kim.md` for `2018/08/kim.ko.md`).
pub fn translation_key(rel: &Path, config: &SiteConfig) -> PathBuf {
    let (Some(stem), Some(ext)) = (
        rel.file_stem().and_then(|s| s.to_str()),
        rel.extension().and_then(|s| s.to_str()),
    ) else {
        return rel.to_path_buf();
    };
    rel.with_file_name(format!("{}.{ext}", bare_stem(stem, config)))
}

/// One language's tree before it is assembled: its config, its articles and its data
/// (outlets, and the editor's notes in its language).
pub struct TreeSources {
    pub config: SiteConfig,
    pub articles: Vec<LoadedArticle>,
    pub data: SiteData,
}

/// The loaded articles and data sorted into the trees of [`SiteConfig::trees`], with
/// the warnings found on the way: notes and files in languages the site lacks, and each
/// language's source-link warnings (a translation cites the same story as its original,
/// so only each language's own count).
pub fn sort_into_trees(
    config: &SiteConfig,
    loaded: Vec<LoadedArticle>,
    data: &SiteData,
) -> (Vec<TreeSources>, Vec<Problem>) {
    let mut warnings = stray_notes(config, data);
    warnings.extend(unknown_translations(&loaded, config));
    warnings.extend(stray_pelican_translations(&loaded, config));
    let split = split(loaded, config);
    for articles in &split {
        warnings.extend(super::links::source_warnings(articles));
    }
    let trees = config
        .trees()
        .into_iter()
        .zip(split)
        .map(|(config, articles)| TreeSources {
            data: data_for(&config, data),
            config,
            articles,
        })
        .collect();
    (trees, warnings)
}

/// `rel` as its translation into `code` names it: `2018/kim.ko.md` for `2018/kim.md`.
pub fn with_suffix(rel: &Path, code: &str) -> PathBuf {
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
    let ext = rel.extension().unwrap_or_default().to_string_lossy();
    rel.with_file_name(format!("{stem}.{code}.{ext}"))
}

/// Loaded articles by tree, in the order of [`SiteConfig::trees`]: the default
/// language's (files without a language suffix), then each other language's.
pub fn split(loaded: Vec<LoadedArticle>, config: &SiteConfig) -> Vec<Vec<LoadedArticle>> {
    let codes = config.language_codes();
    let mut trees: Vec<Vec<LoadedArticle>> = codes.iter().map(|_| Vec::new()).collect();
    for article in loaded {
        let tree = suffix(&article.rel, config)
            .or_else(|| pelican_translation(&article, config))
            .and_then(|code| codes.iter().position(|c| *c == code))
            .unwrap_or(0);
        trees[tree].push(article);
    }
    trees
}

/// The language of a Pelican translation (`Translation: true` with a `Lang` of the
/// site's other languages), which goes into that language's tree.
fn pelican_translation<'c>(article: &LoadedArticle, config: &'c SiteConfig) -> Option<&'c str> {
    let lang = article
        .front
        .lang
        .as_deref()
        .filter(|_| article.front.translation)?;
    config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .find(|c| *c == lang && *c != config.default_language)
}

/// A warning for each Pelican translation whose language is not one of the site's others:
/// it is published as an article of the default language.
fn stray_pelican_translations(loaded: &[LoadedArticle], config: &SiteConfig) -> Vec<Problem> {
    loaded
        .iter()
        .filter(|a| a.front.translation && suffix(&a.rel, config).is_none())
        .filter(|a| pelican_translation(a, config).is_none())
        .map(|a| {
            let lang = a.front.lang.as_deref().unwrap_or("");
            let message = match lang {
                "" => "is marked `Translation: true` without a `Lang`, so it is published as an article of its own; add the language it is in".to_string(),
                code => format!("is a translation into `{code}`, which is not one of the site's other languages, so it is published as an article of its own; add `[languages.{code}]` to site.toml"),
            };
            Problem::new(&a.path, None, message)
        })
        .collect()
}

/// The site's data for one tree (`config` is the tree's): outlet details, and the
/// editor's notes in its language (`2018-08-15.ko.md` for Korean, `2018-08-15.md` for the
/// default language).
pub fn data_for(config: &SiteConfig, data: &SiteData) -> SiteData {
    let root = config.is_root_tree();
    let wanted = |note: &&crate::source::data::EditionNote| match note.language.as_deref() {
        None => root,
        Some(code) => code == config.language,
    };
    SiteData {
        sources: data.sources.clone(),
        authors: data.authors.clone(),
        // Pages are the default language's (their file names name no language).
        pages: if root { data.pages.clone() } else { Vec::new() },
        archive: data.archive.clone(),
        notes: data.notes.iter().filter(wanted).cloned().collect(),
    }
}

/// A warning for each editor's note in a language the site does not have.
pub fn stray_notes(config: &SiteConfig, data: &SiteData) -> Vec<Problem> {
    let codes = config.language_codes();
    data.notes
        .iter()
        .filter_map(|n| {
            let code = n.language.as_deref()?;
            (!codes.contains(&code)).then(|| {
                Problem::new(
                    &n.path,
                    None,
                    format!("the note is not shown: it is in `{code}` (its file name says), which is not one of the site's languages; add `[languages.{code}]` to site.toml, or rename the file"),
                )
            })
        })
        .collect()
}

/// The default language's articles whose pages would be inside another language's
/// folder (`/ko/…`, which that language's tree owns).
pub fn folder_clashes(config: &SiteConfig, digest: &Digest) -> Vec<Problem> {
    let mut problems = Vec::new();
    for a in &digest.articles {
        let first = a.url_path.split('/').next().unwrap_or("");
        if let Some(l) = config.languages.iter().find(|l| l.code == first) {
            problems.push(Problem::new(
                &a.path,
                None,
                format!("its page /{} would be inside /{}/, the folder of the site's `{}` pages; give it another `slug`, or change `article_path`", a.url_path, l.code, l.code),
            ));
        }
    }
    problems
}

/// A warning for each file named like a translation (`kim.fr.md` beside `kim.md`) into a
/// language the site does not have: it is published as an article of its own
/// (`kim-fr`) in the default language, which is seldom what its author meant.
pub fn unknown_translations(loaded: &[LoadedArticle], config: &SiteConfig) -> Vec<Problem> {
    let rels: std::collections::HashSet<&Path> = loaded.iter().map(|a| a.rel.as_path()).collect();
    let codes = config.language_codes();
    loaded
        .iter()
        .filter_map(|a| {
            let stem = a.rel.file_stem()?.to_str()?;
            let (bare, code) = stem.rsplit_once('.')?;
            let ext = a.rel.extension()?.to_str()?;
            let known = codes.contains(&code) && code != config.default_language;
            let original = a.rel.with_file_name(format!("{bare}.{ext}"));
            let looks = crate::config::is_language_tag(code) && rels.contains(original.as_path());
            (looks && !known).then(|| {
                let message = if code == config.default_language {
                    format!("is named as a translation into `{code}`, the site's own language, so it is published as another article; merge it into {bare}.{ext}, or rename it")
                } else {
                    format!("is named as a translation of {bare}.{ext} into `{code}`, which is not one of the site's languages, so it is published as another article; add `[languages.{code}]` to site.toml, or rename it")
                };
                Problem::new(&a.path, None, message)
            })
        })
        .collect()
}

/// A page in one tree: the tree's index (as in [`SiteConfig::trees`]) and the page's
/// site path relative to that tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TreePage {
    pub tree: TreeId,
    pub path: String,
}

/// For each tree, each of its pages that another tree also has, with that page in every
/// tree that has it (itself included, in tree order): an article and its translations,
/// and pages at the same path (the front page, an edition's day, the topics list…).
pub fn translations(trees: &[(&SiteConfig, &Digest)]) -> Vec<HashMap<String, Vec<TreePage>>> {
    let mut by_key: HashMap<String, Vec<TreePage>> = HashMap::new();
    let key_of = |config: &SiteConfig, digest: &Digest, i: super::ArticleId| {
        format!(
            "article {}",
            translation_key(&digest[i].rel, config).to_string_lossy()
        )
    };
    // Pelican's translations name their original by its slug.
    // Pelican's translations name their original by its slug; of several articles with
    // that slug (a weekly `roundup`), the nearest in time.
    let mut originals: HashMap<&str, Vec<(i64, String)>> = HashMap::new();
    let paired = trees
        .iter()
        .skip(1)
        .any(|(_, d)| d.articles.iter().any(|a| a.translation));
    if let Some((config, digest)) = trees.first().filter(|_| paired) {
        for i in digest.article_ids() {
            let when = digest[i].date.timestamp();
            originals
                .entry(digest[i].slug.as_str())
                .or_default()
                .push((when, key_of(config, digest, i)));
        }
    }
    let original = |slug: &str, when: i64| {
        let found = originals.get(slug)?;
        found
            .iter()
            .min_by_key(|(t, _)| (t - when).abs())
            .map(|(_, key)| key.clone())
    };
    for (tree, (config, digest)) in TreeId::all(trees.len()).zip(trees) {
        for page in &digest.pages {
            let key = match page.kind {
                PageKind::Article(i) if digest[i].translation && tree.index() > 0 => {
                    original(&digest[i].slug, digest[i].date.timestamp())
                        .unwrap_or_else(|| key_of(config, digest, i))
                }
                PageKind::Article(i) => key_of(config, digest, i),
                PageKind::Redirect(_) | PageKind::NotFound => continue,
                _ => format!("page {}", page.path),
            };
            by_key.entry(key).or_default().push(TreePage {
                tree,
                path: page.path.clone(),
            });
        }
    }
    let mut out: Vec<HashMap<String, Vec<TreePage>>> =
        trees.iter().map(|_| HashMap::new()).collect();
    for pages in by_key.into_values().filter(|p| p.len() > 1) {
        for page in &pages {
            out[page.tree.index()].insert(page.path.clone(), pages.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title = \"t\"\nbase_url = \"https://x.org/\"\n[extra]\nnote = \"n\"\nkept = 1\n[languages.ko]\ntitle = \"티\"\n[languages.ko.extra]\nnote = \"노트\"\n",
        )
        .unwrap()
    }

    #[test]
    fn a_suffix_names_a_translation_only_for_a_language_of_the_site() {
        let c = config();
        assert_eq!(suffix(Path::new("2018/kim.ko.md"), &c), Some("ko"));
        assert_eq!(suffix(Path::new("2018/kim.fr.md"), &c), None);
        assert_eq!(suffix(Path::new("2018/kim.md"), &c), None);
        assert_eq!(
            translation_key(Path::new("2018/kim.ko.md"), &c),
            PathBuf::from("2018/kim.md")
        );
        assert_eq!(
            translation_key(Path::new("2018/v1.2.md"), &c),
            PathBuf::from("2018/v1.2.md")
        );
        assert_eq!(bare_stem("index.ko", &c), "index");
    }

    #[test]
    fn a_language_tree_is_under_its_code_with_its_own_title() {
        let trees = config().trees();
        assert_eq!(trees.len(), 2);
        assert_eq!(trees[1].base_path, "/ko/");
        assert_eq!(trees[1].base_url, "https://x.org/ko/");
        assert_eq!(trees[1].static_path, "/");
        assert_eq!(trees[1].title, "티");
        assert_eq!(trees[1].language, "ko");
        assert!(trees[0].is_root_tree() && !trees[1].is_root_tree());
        assert_eq!(trees[0].extra["note"], "n");
        assert_eq!(trees[1].extra["note"], "노트");
        assert_eq!(trees[1].extra["kept"], 1);
    }
}
