//! What an article's rendered Markdown is made from ([`MarkdownInputs`]: its summary, its
//! body for its page and for feeds, and the key the build cache keeps the summary under),
//! and what lists keep of it ([`ArticleHtml`]).

use super::pictures;
use crate::config::SiteConfig;
use crate::markdown;
use crate::model::{Article, Digest};
use std::hash::{Hash, Hasher};

/// What lists need of an article's Markdown: its summary and length. (The body is
/// rendered only when its page or a feed entry is, so it is never held for every article.)
#[derive(Debug, Clone, Default)]
pub struct ArticleHtml {
    pub summary: String,
    /// The summary as plain text, for meta descriptions.
    pub summary_text: String,
    pub words: usize,
}

/// Everything an article's rendered Markdown (its summary and its body) is made from: its
/// markdown key is the hash of this value, and its HTML is made from this value alone, so
/// the key cannot miss an input.
pub struct MarkdownInputs<'a> {
    pub config: &'a SiteConfig,
    pub digest: &'a Digest,
    pub article: &'a Article,
    /// [`link_map_fingerprint`] of `digest`: every URL a link can resolve to.
    pub links: u64,
}

impl Hash for MarkdownInputs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The file (its bytes, and where it is, which relative links start from), how
        // site links are written and raw HTML is kept, and, when the article has links
        // that could point into the site, every article's and file's URL (so moving a
        // linked article renders the articles that link to it again).
        let a = self.article;
        a.source_hash.hash(state);
        a.rel.hash(state);
        self.config.base_path.hash(state);
        // (`{{ site.url }}` in imported posts becomes the site's address.)
        self.config.base_url.hash(state);
        self.config.unsafe_html.hash(state);
        if a.links_inside || a.summary.as_deref().is_some_and(markdown::may_link_inside) {
            self.links.hash(state);
        }
        // The published versions of its photos (their names hold the photo's hash), and
        // whether a lead photo comes first (which makes every body image lazy).
        a.image.is_some().hash(state);
        for (_, dest) in &a.body_images {
            pictures::published(self.digest, a, dest).hash(state);
        }
        // (A link to a photo leads to its widest version, whose name holds its hash.)
        let photos = a
            .site_links
            .iter()
            .filter(|l| !l.2 && crate::model::images::names_photo(&l.1));
        for (_, dest, _) in photos {
            pictures::published(self.digest, a, dest).hash(state);
        }
    }
}

impl MarkdownInputs<'_> {
    /// The hash of these inputs, under which the build cache keeps the summary.
    pub fn key(&self) -> u64 {
        crate::util::hash::fingerprint(self)
    }

    /// The link rewriting of the article: site links get the base path, relative links to
    /// files and articles their URLs.
    fn link(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |dest: &str| match self.digest.resolve_link(&self.article.rel, dest) {
            Ok(Some(path)) => {
                let path = crate::model::images::linked_version(self.digest, &path).unwrap_or(path);
                Some(self.config.root_url(&path))
            }
            _ => None,
        }
    }

    /// The summary as HTML and text, and the word count.
    pub fn summary(&self) -> ArticleHtml {
        let (a, link) = (self.article, self.link());
        let summary = match (&a.summary, &a.lead) {
            (Some(s), _) => markdown::render(s, markdown::RawHtml::Escape, &link),
            (None, Some(lead)) => markdown::render(
                lead,
                markdown::RawHtml::for_bodies(self.config.unsafe_html),
                &link,
            ),
            (None, None) => Default::default(),
        };
        ArticleHtml {
            summary: summary.html,
            summary_text: summary.text,
            words: a.words,
        }
    }

    /// The `<picture>` of each published photo of the page: all lazy but the lead one
    /// (the front matter's image, else the body's first).
    fn pictures(&self) -> impl Fn(&str, usize) -> Option<markdown::Picture> + '_ {
        move |dest: &str, index: usize| {
            let published = pictures::published(self.digest, self.article, dest)?;
            let lazy = self.article.image.is_some() || index > 0;
            Some(pictures::markup(self.config, published, lazy))
        }
    }

    /// The body (`markdown`, the article's Markdown after its front matter) as HTML.
    pub fn body(&self, markdown: &str) -> String {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        markdown::render_html_with_pictures(markdown, raw, &self.link(), &self.pictures())
    }

    /// The body as a feed entry carries it: each published photo as one `<img>` of its
    /// shared version.
    pub fn feed_body(&self, markdown: &str) -> String {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        let feed = |dest: &str, _| {
            let published = pictures::published(self.digest, self.article, dest)?;
            Some(pictures::feed_markup(self.config, published))
        };
        markdown::render_html_with_pictures(markdown, raw, &self.link(), &feed)
    }

    /// The body as HTML, and its text for the search index, in one pass.
    pub fn body_and_text(&self, markdown: &str) -> (String, String) {
        let raw = markdown::RawHtml::for_bodies(self.config.unsafe_html);
        markdown::render_html_and_text_with_pictures(markdown, raw, &self.link(), &self.pictures())
    }
}

/// A hash of every URL a link can resolve to.
pub fn link_map_fingerprint(digest: &Digest) -> u64 {
    let mut f = crate::util::hash::Fingerprint::new();
    for a in &digest.articles {
        f.add(&a.rel).add(&a.url_path);
    }
    for asset in &digest.assets {
        f.add(&asset.rel).add(&asset.out_path);
    }
    f.finish()
}
