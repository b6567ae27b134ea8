//! `gazette build`: config -> load -> digest -> markdown -> render -> write, in that order.

use crate::config::SiteConfig;
use crate::digest::{Digest, Selection};
use crate::problem::Problem;
use crate::render::{self, ArticleHtml, Renderer};
use crate::write::Staging;
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
    /// The time that decides which articles are in the future; default now.
    pub now: Option<DateTime<Utc>>,
    /// Previewing with `gazette serve`.
    pub serve: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            serve: false,
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
}

/// Everything loaded and grouped, ready to render.
pub struct Site {
    pub config: SiteConfig,
    pub digest: Digest,
    pub html: Vec<ArticleHtml>,
    pub warnings: Vec<Problem>,
}

/// Reads and groups the site, and renders every article's Markdown.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let timer = Timer::new();
    let mut config = SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    let content = crate::load::load(&options.root.join("content"), "content", config.timezone)?
        .or_problems()?;
    timer.lap("load");
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: options.now.unwrap_or_else(Utc::now),
    };
    let digest = Digest::assemble(&config, content.articles, content.assets, selection)?;
    timer.lap("digest");
    let html: Vec<ArticleHtml> = digest
        .articles
        .par_iter()
        .map(|a| render::article_html(&config, &digest, a))
        .collect();
    timer.lap("markdown");
    Ok(Site {
        config,
        digest,
        html,
        warnings: content.warnings,
    })
}

/// Builds the site into its output folder, replacing it only on success.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let site = load_site(options)?;
    let timer = Timer::new();
    let templates = render::load_templates(&render::template_files(&options.root, &site.config)?)?;
    let renderer = Renderer::new(
        &site.config,
        &site.digest,
        &site.html,
        templates,
        options.serve,
    );
    let pages = site.digest.pages(&site.config);

    let staging = Staging::new(&options.output_dir())?;
    let mut files = copy_static(&options.root, &site.config, &staging)?;
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
    timer.lap("templates, static files");
    files += write_feeds(&site, &pages, &staging)?;
    timer.lap("feeds");
    pages.par_iter().try_for_each(|page| {
        let html = renderer.render(page)?;
        let file = if page.path.ends_with(".html") {
            page.path.clone()
        } else {
            format!("{}index.html", page.path)
        };
        staging.write(&file, html)
    })?;
    timer.lap("pages");
    staging.commit()?;
    timer.lap("commit");
    Ok(BuildReport {
        articles: site.digest.articles.len(),
        pages: pages.len(),
        files,
        warnings: site.warnings,
        output: options.output_dir(),
        elapsed: started.elapsed(),
    })
}

/// Writes the feeds of the site and of every topic, the sitemap and robots.txt.
fn write_feeds(site: &Site, pages: &[crate::digest::Page], staging: &Staging) -> Result<usize> {
    use crate::feed;
    let specs = feed::feed_specs(&site.config, &site.digest, &site.html);
    specs.par_iter().try_for_each(|spec| -> Result<()> {
        staging.write(&format!("{}atom.xml", spec.page_path), feed::atom(spec))?;
        staging.write(&format!("{}rss.xml", spec.page_path), feed::rss(spec))?;
        staging.write(
            &format!("{}feed.json", spec.page_path),
            feed::json_feed(spec),
        )
    })?;
    let sitemaps = feed::sitemaps(&site.config, &site.digest, pages);
    for (path, text) in &sitemaps {
        staging.write(path, text)?;
    }
    staging.write("robots.txt", feed::robots(&site.config))?;
    Ok(specs.len() * 3 + sitemaps.len() + 1)
}

/// The static files of a site, by site path: the theme's `static/`, then the site's own
/// `static/` (which wins).
pub fn static_files(
    root: &Path,
    config: &SiteConfig,
) -> Result<std::collections::BTreeMap<String, PathBuf>> {
    let mut files = std::collections::BTreeMap::new();
    for dir in [
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| anyhow::anyhow!("could not list {}: {e}", dir.display()))?;
            if entry.file_type().is_file()
                && !crate::load::is_ignored(&entry.file_name().to_string_lossy())
            {
                let rel = entry
                    .path()
                    .strip_prefix(&dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    Ok(files)
}

/// Copies the static files into the new site.
fn copy_static(root: &Path, config: &SiteConfig, staging: &Staging) -> Result<usize> {
    let files = static_files(root, config)?;
    for (rel, path) in &files {
        staging.copy(path, rel)?;
    }
    Ok(files.len())
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
            eprintln!(
                "{stage:>24}: {:7.1} ms",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}
