//! [`Renderer`]: everything needed to render any page of one build, one page at a time
//! (its inputs and context are made in `page` and `context`), and article bodies as pages
//! and feeds carry them.

use super::markdown_inputs::{ArticleHtml, MarkdownInputs};
use super::{depth, minify, tidy, Locale, Translation, Views};
use crate::config::SiteConfig;
use crate::model::{ArticleId, Digest, Page, PageKind};
use anyhow::Result;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tera::Tera;

/// Where the renderer gets an article's Markdown body from.
pub type Bodies<'a> = &'a (dyn Fn(ArticleId) -> Result<String> + Sync);

/// Everything needed to render any page of one build.
pub struct Renderer<'a> {
    pub config: &'a SiteConfig,
    pub digest: &'a Digest,
    pub html: &'a [ArticleHtml],
    pub(super) bodies: Bodies<'a>,
    pub(super) views: &'a Views,
    /// Threads' time in each part of rendering pages, for `GAZETTE_TIMINGS`.
    times: RenderTimes,
}

/// Threads' time spent in each part of rendering pages, summed over the pages rendered
/// (all threads together, so it can exceed the wall time): making their contexts (article
/// bodies' Markdown included), evaluating their templates, and minifying.
#[derive(Default)]
struct RenderTimes {
    contexts: AtomicU64,
    templates: AtomicU64,
    minifying: AtomicU64,
}

impl RenderTimes {
    /// Adds the time since `since` to `part`, and gives the time now.
    fn add(part: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        let took = now.saturating_duration_since(since).as_nanos();
        part.fetch_add(u64::try_from(took).unwrap_or(u64::MAX), Ordering::Relaxed);
        now
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        config: &'a SiteConfig,
        digest: &'a Digest,
        html: &'a [ArticleHtml],
        bodies: Bodies<'a>,
        views: &'a Views,
    ) -> Self {
        Renderer {
            config,
            digest,
            html,
            bodies,
            views,
            times: RenderTimes::default(),
        }
    }

    /// Threads' time so far in making pages' contexts, evaluating their templates and
    /// minifying them, as `GAZETTE_TIMINGS` shows it.
    pub fn times(&self) -> String {
        let t = &self.times;
        let get = |part: &AtomicU64| Duration::from_nanos(part.load(Ordering::Relaxed));
        format!(
            "threads' time: contexts {:.2?}, templates {:.2?}, minifying {:.2?}",
            get(&t.contexts),
            get(&t.templates),
            get(&t.minifying)
        )
    }

    /// The language of the pages.
    pub fn locale(&self) -> &Locale {
        &self.views.locale
    }

    /// The page at `path` in every language that has it (`None` when only this one does).
    pub fn translations(&self, path: &str) -> Option<Arc<[Translation]>> {
        self.views.translations(path)
    }

    /// The site's templates (for feeds and the other files for machines).
    pub fn templates(&self) -> &Tera {
        &self.views.tera
    }

    /// An article's body as Markdown, as its file has it.
    pub fn markdown(&self, i: ArticleId) -> Result<String> {
        (self.bodies)(i)
    }

    /// An article's body as HTML.
    pub fn body(&self, i: ArticleId) -> Result<String> {
        Ok(self.markdown_inputs(i).body(&(self.bodies)(i)?))
    }

    /// Article `i`'s body as its feed entries carry it.
    pub fn feed_body(&self, i: ArticleId) -> Result<String> {
        Ok(self.markdown_inputs(i).feed_body(&(self.bodies)(i)?))
    }

    /// An article's body as HTML, and its text for the search index.
    pub(super) fn body_and_text(&self, i: ArticleId) -> Result<(String, String)> {
        Ok(self.markdown_inputs(i).body_and_text(&(self.bodies)(i)?))
    }

    /// What article `i`'s rendered Markdown is made from.
    fn markdown_inputs(&self, i: ArticleId) -> MarkdownInputs<'_> {
        MarkdownInputs {
            config: self.config,
            digest: self.digest,
            article: &self.digest[i],
            links: self.views.links,
        }
    }

    /// A fingerprint of everything a feed is made from.
    pub fn feed_fingerprint(&self, title: &str, page_path: &str, articles: &[ArticleId]) -> u64 {
        let mut f = crate::util::hash::Fingerprint::new();
        f.add(self.views.site_hash).add(title).add(page_path);
        for &i in articles {
            f.add(self.views.item_hash[i.index()])
                .add(self.views.body_hash[i.index()]);
        }
        f.finish()
    }

    /// A fingerprint of what the sitemap files are made from, and their names
    /// ([`super::sitemap::sitemap_fingerprint`]).
    pub fn sitemap_fingerprint(&self) -> (u64, Vec<String>) {
        let translations = |path: &str| self.translations(path);
        let pages = &self.digest.pages;
        super::sitemap::sitemap_fingerprint(self.views.site_hash, self.digest, pages, &translations)
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: &Page) -> Result<String> {
        Ok(self.render_with_text(page, false)?.0)
    }

    /// Renders one page to HTML; for an article page, with `want_text`, also gives its
    /// body's text for the search index (made in the same pass as its HTML).
    pub fn render_with_text(
        &self,
        page: &Page,
        want_text: bool,
    ) -> Result<(String, Option<String>)> {
        let started = Instant::now();
        let (template, context, text) = self.context(&self.inputs(page), want_text)?;
        let made = RenderTimes::add(&self.times.contexts, started);
        depth::reset();
        let html = self.views.tera.render(template, &context).map_err(|e| {
            let rendering = match page.kind {
                PageKind::Article(i) => self.digest[i].path.clone(),
                _ => format!("/{}", page.path),
            };
            let problem = self.views.template_files.explain(&e, Some(&rendering));
            crate::problem::Problems(vec![problem])
        })?;
        let rendered = RenderTimes::add(&self.times.templates, made);
        let html = if self.config.minify {
            minify(&html)
        } else {
            tidy(&html)
        };
        RenderTimes::add(&self.times.minifying, rendered);
        Ok((html, text))
    }
}
