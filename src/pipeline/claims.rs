//! Which input writes each file of the output: the files Gazette writes itself besides
//! pages, the static files, and the check that refuses two inputs for one file in any
//! language's tree. `build`, `check` and the link check (`links`) all ask here.

use crate::config::SiteConfig;
use crate::model::Digest;
use crate::problem::{Problem, Problems};
use crate::render::feed::FeedSpec;
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The static files of a site, by site path: the theme's `static/`, then the site's own
/// `static/` (which wins).
pub fn static_files(root: &Path, config: &SiteConfig) -> Result<BTreeMap<String, PathBuf>> {
    crate::util::fs::overlay_files(&[
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ])
}

/// Where a language's tree is in the output: `` for the default language, `ko/` for
/// Korean (its base path less the site's).
pub fn tree_prefix(config: &SiteConfig) -> String {
    config.base_path[config.static_path.len().min(config.base_path.len())..].to_string()
}

/// The files a build writes itself, besides pages: each a site path and what it is.
pub fn generated_files<'a>(
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
        for name in crate::model::FEED_FILES {
            made.push((format!("{page_path}{name}").into(), "a feed"));
        }
    }
    for moved in &digest.moved_feeds {
        for name in crate::model::FEED_FILES {
            let path = format!("{}{name}", moved.from);
            made.push((path.into(), "the moved feed of a renamed topic"));
        }
    }
    made
}

/// What one language's tree claims: its digest and feeds, under its prefix.
pub struct Tree<'a> {
    prefix: String,
    config: &'a SiteConfig,
    digest: &'a Digest,
    specs: &'a [FeedSpec<'a>],
}

impl<'a> Tree<'a> {
    pub fn new(config: &'a SiteConfig, digest: &'a Digest, specs: &'a [FeedSpec<'a>]) -> Tree<'a> {
        Tree {
            prefix: tree_prefix(config),
            config,
            digest,
            specs,
        }
    }
}

/// Who has claimed each output path so far, and the problems with second claims.
#[derive(Default)]
struct Claims {
    owners: HashMap<String, String>,
    /// Each page's file (`2018/08/15/kim/index.html`), which no claim may need as a folder.
    page_files: HashMap<String, String>,
    /// Each folder a claimed file or page is in, with the first that needed it.
    folders: HashMap<String, String>,
    /// Each tree's prefix: a sitemap file's name is Gazette's in every tree.
    prefixes: Vec<String>,
    problems: Vec<Problem>,
}

impl Claims {
    /// `shown` (a file, or an article's old address) wants to write `path`.
    fn claim(&mut self, shown: String, path: &str) {
        let is_sitemap = self.prefixes.iter().any(|prefix| {
            path.strip_prefix(prefix.as_str()).is_some_and(|p| {
                p.starts_with("sitemap") && p.ends_with(".xml") && !p.contains('/')
            })
        });
        let owner = self
            .owners
            .get(path)
            .cloned()
            .or_else(|| is_sitemap.then(|| "a sitemap".to_string()));
        let clash = match owner {
            Some(owner) => Some(format!("would be written to /{path}, where {owner} goes")),
            None => self.folder_clash(path),
        };
        match clash {
            Some(clash) => self.problems.push(Problem::new(
                &shown,
                None,
                format!("{clash}; rename or move the file"),
            )),
            None => {
                self.folders_of(path, &shown);
                self.owners.insert(path.to_string(), shown);
            }
        }
    }

    /// Where writing the file `path` would need a file as a folder (`atom.xml/index.html`,
    /// for the old address `/atom.xml/`), or a folder as a file.
    fn folder_clash(&self, path: &str) -> Option<String> {
        for (at, _) in path.match_indices('/') {
            let folder = &path[..at];
            let file = self
                .owners
                .get(folder)
                .or_else(|| self.page_files.get(folder));
            if let Some(owner) = file {
                return Some(format!("would be written to /{path}, which needs /{folder} to be a folder, where {owner} goes"));
            }
        }
        let folder = self.folders.get(path)?;
        Some(format!(
            "would be written to /{path}, where the folder of {folder} goes"
        ))
    }

    /// Records the folders `path` is in, as needed by `owner`.
    fn folders_of(&mut self, path: &str, owner: &str) {
        for (at, _) in path.match_indices('/') {
            self.folders
                .entry(path[..at].to_string())
                .or_insert_with(|| owner.to_string());
        }
    }
}

/// `content/a.md:4` as the file and its line.
fn split_line(shown: &str) -> (&str, Option<usize>) {
    match shown.rsplit_once(':') {
        Some((file, line)) => match line.parse() {
            Ok(line) => (file, Some(line)),
            Err(_) => (shown, None),
        },
        None => (shown, None),
    }
}

/// Refuses two inputs that would write one output file, in any language's tree: a
/// static file, a file in `content/` or an old address (an alias, a `redirect_from`, a
/// `[redirects]` entry) where Gazette writes a feed, the search index, a sitemap or
/// another file of its own, or where another of them goes; and an old address of the
/// default language inside another language's folder. (Two articles with one URL, and a
/// file of `content/` over a page, are found when the digest is assembled.)
pub fn check(root: &Path, statics: &BTreeMap<String, PathBuf>, trees: &[Tree<'_>]) -> Result<()> {
    let mut claims = Claims {
        prefixes: trees.iter().map(|t| t.prefix.clone()).collect(),
        ..Default::default()
    };
    for tree in trees {
        for (path, what) in generated_files(tree.config, tree.digest, tree.specs) {
            let path = format!("{}{path}", tree.prefix);
            claims.folders_of(&path, what);
            claims
                .owners
                .entry(path)
                .or_insert_with(|| what.to_string());
        }
        for page in &tree.digest.pages {
            if matches!(page.kind, crate::model::PageKind::Redirect(_)) {
                continue;
            }
            let file = format!("{}{}", tree.prefix, crate::model::page_file(&page.path));
            let owner = format!("the page /{}{}", tree.prefix, page.path);
            claims.folders_of(&file, &owner);
            claims.page_files.insert(file, owner);
        }
    }
    for tree in trees {
        claim_tree(&mut claims, tree);
    }
    if let Some(root_tree) = trees.first() {
        claim_statics(&mut claims, root, statics, root_tree.digest);
        claims.problems.extend(folder_clashes(root_tree));
    }
    if claims.problems.is_empty() {
        Ok(())
    } else {
        claims.problems.sort();
        claims.problems.dedup();
        Err(Problems(claims.problems).into())
    }
}

fn claim_tree(claims: &mut Claims, tree: &Tree) {
    for asset in &tree.digest.assets {
        let shown = format!("content/{}", asset.rel.to_string_lossy().replace('\\', "/"));
        claims.claim(shown, &format!("{}{}", tree.prefix, asset.out_path));
    }
    for r in &tree.digest.redirects {
        let shown = format!("{} (the old address /{}{})", r.origin, tree.prefix, r.from);
        let path = crate::model::page_file(&r.from);
        claims.claim(shown, &format!("{}{path}", tree.prefix));
    }
}

/// The static files (written once, at the root), and a static file over a page: only
/// `…index.html` and `….html` files can be one (a few files, each looked up among the
/// pages, instead of a map of every page per build).
fn claim_statics(
    claims: &mut Claims,
    root: &Path,
    statics: &BTreeMap<String, PathBuf>,
    digest: &Digest,
) {
    for rel in statics.keys() {
        let page = rel.strip_suffix("index.html").unwrap_or(rel);
        if rel.ends_with(".html") && digest.pages.iter().any(|p| p.path == page) {
            claims
                .owners
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
        claims.claim(shown, rel);
    }
}

/// The default language's old addresses inside another language's folder (`/ko/…`, which
/// that language's tree owns).
fn folder_clashes(root_tree: &Tree) -> Vec<Problem> {
    let languages = &root_tree.config.languages;
    root_tree
        .digest
        .redirects
        .iter()
        .filter_map(|r| {
            let first = r.from.split('/').next().unwrap_or("");
            let l = languages.iter().find(|l| l.code == first)?;
            let (file, line) = split_line(&r.origin);
            Some(Problem::new(
                file,
                line,
                format!("the old address /{} is inside /{}/, the folder of the site's `{}` pages, where it would not be published; give it in the `{}` translation instead (without /{}/)", r.from, l.code, l.code, l.code, l.code),
            ))
        })
        .collect()
}
