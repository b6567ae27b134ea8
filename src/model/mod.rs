//! The model: which articles are published, their URLs and order, and how they group into
//! editions (days), months, years and topics. Pure: no I/O, no Markdown, no HTML.

use crate::config::{Cadence, SiteConfig};
use crate::problem::{Problem, Problems};
use crate::source::articles::LoadedArticle;
use crate::source::front_matter::{Image, SourceLink};
use crate::util::slug::slugify;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

pub use ids::{
    ArticleId, AuthorId, EditionId, MonthId, RedirectId, SourceId, StandaloneId, StoryId, TopicId,
    TreeId, YearId,
};

mod assemble;
pub use assemble::{next_change, DigestInputs, Made, Probes, NEWS_WINDOW_HOURS};
mod data;
pub mod ids;
pub mod images;
pub mod languages;
pub mod links;
mod pages;
pub use pages::{page_file, page_path, ListPage, Page, PageKind, PageSizes};
pub mod redirects;
#[cfg(test)]
mod tests;

/// The feed files Gazette writes for the site, each topic and the editions: Atom, RSS and
/// JSON Feed, in that order.
pub const FEED_FILES: [&str; 3] = ["atom.xml", "rss.xml", "feed.json"];

/// One published article.
#[derive(Debug, Clone)]
pub struct Article {
    /// The path shown in messages: `content/2018/08/kim.md`.
    pub path: String,
    /// The path relative to `content/`.
    pub rel: PathBuf,
    /// A hash of the article's file.
    pub source_hash: u64,
    /// The Markdown of the body's lead, its word count, and whether it may link inside the
    /// site (see `LoadedArticle`). `body` itself is empty in a build (re-read per page).
    pub lead: Option<String>,
    pub words: usize,
    pub links_inside: bool,
    /// The body's links that may point into the site: `(line, destination, is an image)`.
    pub site_links: Vec<(usize, String, bool)>,
    /// The headline, with smart punctuation.
    pub title: String,
    /// Its language where it differs from the site's (`lang: ko`).
    pub lang: Option<String>,
    /// A digest issue's number (`number: 665`), shown with its title.
    pub number: Option<u32>,
    pub date: DateTime<FixedOffset>,
    /// A day without a time of day (`date: 2018-08-15`).
    pub date_only: bool,
    /// Wall-clock time in the site's time zone.
    pub local: NaiveDateTime,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Its topics, in the order the front matter lists them.
    pub topics: Vec<TopicId>,
    /// The outlet it cites.
    pub source_id: Option<SourceId>,
    /// The story it follows, as the front matter names it.
    pub story_name: Option<String>,
    /// The story it follows (only stories with two or more articles are kept).
    pub story: Option<StoryId>,
    /// Its edition.
    pub edition: EditionId,
    /// The topic names as the front matter writes them.
    pub topic_names: Vec<String>,
    pub summary: Option<String>,
    pub body: String,
    pub body_line: usize,
    pub source: Option<SourceLink>,
    pub source_line: usize,
    pub image: Option<Image>,
    pub image_line: usize,
    pub author: Option<String>,
    /// Its authors (their pages), in the order the front matter names them.
    pub authors: Vec<AuthorId>,
    /// Its authors' names as the front matter writes them.
    pub author_names: Vec<String>,
    pub slug: String,
    pub draft: bool,
    /// Published at its address, listed nowhere (no edition, topic, outlet, story or
    /// archive list, feed, search index or sitemap).
    pub hidden: bool,
    /// Pelican's `Translation: true`: the translation of the default language's article
    /// with the same slug.
    pub translation: bool,
    /// Dated, or scheduled (`publish_date`), after the build's time.
    pub future: bool,
    /// Past its `expiry_date` at the build's time.
    pub expired: bool,
    pub extra: serde_json::Value,
    /// The site path of its page, relative to the base URL: `2018/08/15/kim/`.
    pub url_path: String,
    /// Its old addresses as the front matter writes them, each with its line.
    pub aliases: Vec<(String, usize)>,
    /// Links to other articles by name (line, tag as written, name).
    pub refs: Vec<(usize, String, String)>,
    /// The images of the Markdown body: each line and destination.
    pub body_images: Vec<(usize, String)>,
}

impl Article {
    pub fn day(&self) -> NaiveDate {
        self.local.date()
    }
}

/// One edition of the digest: a day, or an ISO week with `editions = "weekly"`.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its first day (the Monday of a weekly edition).
    pub day: NaiveDate,
    /// Its last day (the same day for a daily edition).
    pub last_day: NaiveDate,
    /// `Some((year, week))` for a weekly edition.
    pub week: Option<(i32, u32)>,
    /// 1 for the first edition of the digest.
    pub number: usize,
    pub url_path: String,
    /// In the order the edition shows them: the editor's `order`, then newest first.
    pub articles: Vec<ArticleId>,
    /// From the editor's note (`content/editions/…`).
    pub title: Option<String>,
    /// The editor's note, Markdown.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub url_path: String,
    pub articles: Vec<ArticleId>,
}

/// An outlet that articles cite (`source.name`, else the host of `source.url`).
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub slug: String,
    pub url_path: String,
    pub articles: Vec<ArticleId>,
    /// From `data/sources.yaml`.
    pub description: Option<String>,
    /// The outlet's home page (from `data/sources.yaml`).
    pub home: Option<String>,
}

/// A person who writes the digest (`author:` in articles' front matter), with what
/// `data/authors.yaml` says about them.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub name: String,
    pub slug: String,
    /// `authors/<slug>/`.
    pub url_path: String,
    /// Newest first.
    pub articles: Vec<ArticleId>,
    pub bio: Option<String>,
    /// A site path or a web address.
    pub photo: Option<String>,
    pub links: Vec<String>,
}

/// A story that two or more articles follow (`story:` in their front matter).
#[derive(Debug, Clone)]
pub struct Story {
    pub name: String,
    pub slug: String,
    pub url_path: String,
    /// Oldest first: the story as it unfolded.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub url_path: String,
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub url_path: String,
    pub articles: Vec<ArticleId>,
    /// Its months, newest first.
    pub months: Vec<MonthId>,
}

/// A non-Markdown file from `content/` and where it goes in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: PathBuf,
    pub out_path: String,
}

/// Which articles a build publishes.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    /// Articles dated or scheduled (`publish_date`) after `now`.
    pub future: bool,
    /// Articles whose `expiry_date` is at or before `now`.
    pub expired: bool,
    pub now: DateTime<Utc>,
}

/// Why a build leaves an article out (`--drafts`, `--future` and `--expired` include it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Draft,
    Scheduled,
    Expired,
}

/// How many articles a build left out, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOutCounts {
    pub drafts: usize,
    pub scheduled: usize,
    pub expired: usize,
}

impl LeftOutCounts {
    pub fn with(mut self, why: LeftOut) -> Self {
        match why {
            LeftOut::Draft => self.drafts += 1,
            LeftOut::Scheduled => self.scheduled += 1,
            LeftOut::Expired => self.expired += 1,
        }
        self
    }

    pub fn merge(self, other: Self) -> Self {
        LeftOutCounts {
            drafts: self.drafts + other.drafts,
            scheduled: self.scheduled + other.scheduled,
            expired: self.expired + other.expired,
        }
    }

    pub fn total(&self) -> usize {
        self.drafts + self.scheduled + self.expired
    }

    /// "2 not published: 1 draft, 1 scheduled; --drafts / --future to include them", or
    /// `None` when nothing was left out.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<(usize, &str, &str)> = [
            (self.drafts, "draft", "--drafts"),
            (self.scheduled, "scheduled", "--future"),
            (self.expired, "expired", "--expired"),
        ]
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .collect();
        if parts.is_empty() {
            return None;
        }
        let counts: Vec<String> = parts
            .iter()
            .map(|(n, what, _)| match (*what, *n) {
                ("draft", n) => crate::util::plural(n, "draft", "drafts"),
                (what, n) => format!("{n} {what}"),
            })
            .collect();
        let flags: Vec<&str> = parts.iter().map(|(.., flag)| *flag).collect();
        let them = if self.total() == 1 { "it" } else { "them" };
        Some(format!(
            "{} not published: {}; {} to include {them}",
            self.total(),
            counts.join(", "),
            flags.join(" / ")
        ))
    }
}

/// The whole site's content, grouped. Every list is newest first, ties broken by URL.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// The language of a tree other than the default language's (`ko`): the suffix of
    /// its articles' files (`kim.ko.md`), by which a link to `kim.md` finds `kim.ko.md`.
    pub translation: Option<String>,
    pub articles: Vec<Article>,
    pub editions: Vec<Edition>,
    /// Sorted by slug.
    pub topics: Vec<Topic>,
    /// Sorted by slug.
    pub sources: Vec<Source>,
    /// Sorted by slug.
    pub stories: Vec<Story>,
    /// Sorted by slug.
    pub authors: Vec<Author>,
    /// Pages that are no articles (`content/pages/about.md`), by file name.
    pub standalone: Vec<crate::source::data::StandalonePage>,
    pub months: Vec<Month>,
    pub years: Vec<Year>,
    pub assets: Vec<Asset>,
    /// Old addresses that lead to new ones (a page each), in a fixed order.
    pub redirects: Vec<redirects::Redirect>,
    /// Feeds of renamed topics at their old addresses, which point readers to the new ones.
    pub moved_feeds: Vec<redirects::MovedFeed>,
    /// The photos articles use and their published versions, by the original's site path
    /// (filled in by the build once their headers are read).
    pub pictures: BTreeMap<String, images::Picture>,
    /// Where each of those photos is first used (for messages about it).
    pub picture_uses: BTreeMap<String, images::Use>,
    /// What `data/archive.yaml` records of cited addresses (an archived copy, whether the
    /// original is gone), by [`crate::util::url::story_key`].
    pub archive: HashMap<String, crate::source::data::Archived>,
    /// Every page of the site, in a fixed order.
    pub pages: Vec<Page>,
    /// The articles the selection left out.
    pub left_out: LeftOutCounts,
    /// The build's time (what `future`, `expired` and the news sitemap's window count from).
    pub now: DateTime<Utc>,
    /// Whether the build publishes drafts (`--drafts`, `serve`, `check`).
    pub with_drafts: bool,
    by_rel: HashMap<PathBuf, ArticleId>,
    asset_by_rel: HashMap<PathBuf, usize>,
}

impl Digest {
    /// Groups loaded articles into a digest. Reports every URL collision.
    pub fn assemble(
        config: &SiteConfig,
        loaded: Vec<LoadedArticle>,
        asset_rels: Vec<PathBuf>,
        selection: Selection,
    ) -> Result<Digest, Problems> {
        let (digest, problems) = Digest::assemble_all(config, loaded, asset_rels, selection);
        if problems.is_empty() {
            Ok(digest)
        } else {
            Err(Problems(problems))
        }
    }

    /// The index of the article read from `rel` (relative to `content/`), if it is in.
    pub fn article_index(&self, rel: &Path) -> Option<ArticleId> {
        self.by_rel.get(rel).copied()
    }

    /// The articles most related to `index` (at most `limit`): those that follow the same
    /// story or share the most topics, and among equals the closest in time. For a news
    /// digest, "related" means the same story's neighbours, not the whole archive: only the
    /// nearest articles of each topic are considered, so the cost stays flat however large
    /// the archive grows.
    /// The articles that lists show (all but the hidden ones), newest first.
    pub fn listed_ids(&self) -> impl Iterator<Item = ArticleId> + '_ {
        self.article_ids().filter(|&i| !self[i].hidden)
    }

    /// The nearest older article that is listed (not hidden).
    pub fn listed_older(&self, i: ArticleId) -> Option<ArticleId> {
        let mut j = i.after(self.articles.len())?;
        while self[j].hidden {
            j = j.after(self.articles.len())?;
        }
        Some(j)
    }

    /// The nearest newer article that is listed (not hidden).
    pub fn listed_newer(&self, i: ArticleId) -> Option<ArticleId> {
        let mut j = i.before()?;
        while self[j].hidden {
            j = j.before()?;
        }
        Some(j)
    }

    pub fn related(&self, index: ArticleId, limit: usize) -> Vec<ArticleId> {
        const WINDOW: usize = 8;
        /// What following the same story is worth, in shared topics.
        const STORY: usize = 3;
        let article = &self[index];
        let mut candidates: Vec<(ArticleId, usize)> = Vec::new(); // (article, score)
        let mut add = |other: ArticleId, score: usize| {
            if other == index {
                return;
            }
            match candidates.iter_mut().find(|c| c.0 == other) {
                Some(c) => c.1 += score,
                None => candidates.push((other, score)),
            }
        };
        for &t in &article.topics {
            let list = &self[t].articles; // ascending: newest first
            let at = list.binary_search(&index).unwrap_or_else(|i| i);
            for &other in &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())] {
                add(other, 1);
            }
        }
        if let Some(s) = article.story {
            // The story's articles nearest in time (the list is oldest first).
            let list = &self[s].articles;
            let at = list.iter().position(|&j| j == index).unwrap_or(0);
            for &other in &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())] {
                add(other, STORY);
            }
        }
        let when = article.date.timestamp();
        let mut scored: Vec<(ArticleId, usize, u64)> = candidates
            .into_iter()
            .map(|(other, score)| {
                let apart = (self[other].date.timestamp() - when).unsigned_abs();
                (other, score, apart)
            })
            .collect();
        // Highest score first, then the nearest in time, then the newer.
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        scored.into_iter().take(limit).map(|(i, ..)| i).collect()
    }

    /// Where a link written in the article at `from` (relative to `content/`) points, as a
    /// site path relative to the base URL (`2018/08/15/kim/#part`), or `None` when it is not
    /// a link into the site (external, a fragment) and must stay as written.
    /// `Err` holds a description of a broken internal link.
    pub fn resolve_link(&self, from: &Path, dest: &str) -> Result<Option<String>, String> {
        if let Some(resolved) = self.pelican_link(from, dest) {
            return resolved;
        }
        if let Some(name) = dest.strip_prefix(crate::markdown::imported::REF_SCHEME) {
            let (name, suffix) = match name.find(['#', '?']) {
                Some(i) => (&name[..i], &name[i..]),
                None => (name, ""),
            };
            let name = crate::util::slug::percent_decode(name).unwrap_or_else(|| name.into());
            return match self.named(from, &name) {
                Some(path) => Ok(Some(format!("{path}{suffix}"))),
                None => Err(format!("`{name}` names no article")),
            };
        }
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Ok(None);
        }
        let (path_part, suffix) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if let Some(absolute) = path_part.strip_prefix('/') {
            return Ok(Some(format!("{absolute}{suffix}")));
        }
        // A malformed escape is taken literally (the file lookup then reports it).
        let decoded =
            crate::util::slug::percent_decode(path_part).unwrap_or_else(|| path_part.to_string());
        let joined = normalize(&from.parent().unwrap_or(Path::new("")).join(&decoded))
            .ok_or_else(|| format!("`{dest}` points outside content/"))?;
        if let Some(&i) = self.by_rel.get(&joined) {
            return Ok(Some(format!("{}{suffix}", self[i].url_path)));
        }
        if let Some(&i) = self.asset_by_rel.get(&joined) {
            return Ok(Some(format!("{}{suffix}", self.assets[i].out_path)));
        }
        if crate::source::is_article(&joined) {
            // In a language's tree, `kim.md` is its translation `kim.ko.md`.
            if let Some(code) = &self.translation {
                let translated = languages::with_suffix(&joined, code);
                if let Some(&i) = self.by_rel.get(&translated) {
                    return Ok(Some(format!("{}{suffix}", self[i].url_path)));
                }
                let name = translated.file_name().unwrap_or_default().to_string_lossy();
                return Err(format!("`{dest}` points at an article with no `{code}` translation ({name}); translate it, or link to the original's full address"));
            }
            return Err(format!("`{dest}` points at no article"));
        }
        Err(format!("`{dest}` points at no file in content/"))
    }
}

impl Digest {
    /// Pelican's link syntax, as a Pelican site writes it: `{filename}` (and the old
    /// `|filename|`), `{static}` and `{attach}` name a file of `content/` (from its root
    /// when the path starts with `/`, else from the article's folder); `{tag}` and
    /// `{category}` a topic; `{author}` an author's page; `{index}` the front page. `None`
    /// for any other link.
    fn pelican_link(&self, from: &Path, dest: &str) -> Option<Result<Option<String>, String>> {
        const FILES: [&str; 5] = [
            "{filename}",
            "|filename|",
            "{static}",
            "|static|",
            "{attach}",
        ];
        if let Some(rest) = FILES.iter().find_map(|p| dest.strip_prefix(p)) {
            let (path, resolved) = match rest.strip_prefix('/') {
                // From the root of content/: as a path from an article at its top.
                Some(rooted) => (rooted, self.resolve_link(Path::new("top.md"), rooted)),
                None => (rest, self.resolve_link(from, rest)),
            };
            // Messages name the link as written.
            return Some(
                resolved.map_err(|e| e.replace(&format!("`{path}`"), &format!("`{dest}`"))),
            );
        }
        let named = |prefixes: &[&str]| {
            let rest = prefixes.iter().find_map(|p| dest.strip_prefix(p))?;
            let (name, suffix) = rest.split_at(rest.find(['#', '?']).unwrap_or(rest.len()));
            let name = crate::util::slug::percent_decode(name).unwrap_or_else(|| name.to_string());
            Some((crate::util::slug::slugify(&name), suffix))
        };
        if let Some((slug, suffix)) = named(&["{tag}", "|tag|", "{category}", "|category|"]) {
            return Some(
                match self
                    .topics
                    .iter()
                    .find(|t| crate::util::slug::slugify(&t.name) == slug)
                {
                    Some(topic) => Ok(Some(format!("{}{suffix}", topic.url_path))),
                    None => Err(format!(
                        "`{dest}` names no topic; check the name against the articles' topics"
                    )),
                },
            );
        }
        if let Some((slug, suffix)) = named(&["{author}", "|author|"]) {
            return Some(
                match self.authors.iter().find(|a| topic_slug(&a.name) == slug) {
                    Some(author) => Ok(Some(format!("{}{suffix}", author.url_path))),
                    None => Err(format!(
                        "`{dest}` names no author; check the name against the articles' `author:`"
                    )),
                },
            );
        }
        if dest == "{index}" || dest == "|index|" {
            return Some(Ok(Some(String::new())));
        }
        None
    }
}

/// How a story is shown: as written, or, when written as a slug (`putin-kim-summit`),
/// with spaces and a capital (`Putin kim summit`).
fn story_title(name: &str) -> String {
    let name = name.trim();
    if name.contains(' ') || !name.contains('-') {
        return name.to_string();
    }
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The outlet of a source link: its name, else the host of its URL.
pub fn source_name(source: &SourceLink) -> String {
    match &source.name {
        Some(name) if !name.trim().is_empty() => name.trim().to_string(),
        _ => host_of(&source.url),
    }
}

/// "timesofisrael.com" from a URL, for sources given without a name.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// The site path of an article's page (`2018/08/15/kim/`) from the site's `article_path`,
/// its wall-clock time in the site's time zone, and its slug.
pub fn article_url_path(config: &SiteConfig, local: NaiveDateTime, slug: &str) -> String {
    config
        .article_path
        .replace("{year}", &format!("{:04}", local.year()))
        .replace("{month}", &format!("{:02}", local.month()))
        .replace("{day}", &format!("{:02}", local.day()))
        .replace("{slug}", slug)
}

/// The slug an article's URL uses: `slug:`, else its file name without a date prefix
/// (the folder name for `index.md`), slugified so it can never leave its folder.
fn article_slug(config: &SiteConfig, a: &LoadedArticle) -> String {
    if let Some(slug) = a.front.slug.as_deref().map(slugify) {
        if !slug.is_empty() {
            return slug;
        }
    }
    let stem = a
        .rel
        .file_stem()
        .map(|s| languages::bare_stem(&s.to_string_lossy(), config).to_string())
        .unwrap_or_default();
    let stem = if stem == "index" {
        a.rel
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(stem)
    } else {
        stem
    };
    let stem = match crate::source::articles::date_prefix(&stem) {
        Some((_, len)) => stem[(len + 1).min(stem.len())..].to_string(),
        None => stem,
    };
    [slugify(&stem), slugify(&a.front.title)]
        .into_iter()
        .find(|slug| !slug.is_empty())
        .unwrap_or_else(|| {
            let path = a.rel.to_string_lossy();
            format!(
                "article-{:x}",
                crate::util::hash::fnv(path.as_bytes()) & 0xffff_ffff
            )
        })
}

/// A topic's slug; names with no letters or digits get a stable made-up one.
fn topic_slug(name: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() {
        format!(
            "topic-{:x}",
            crate::util::hash::fnv(name.as_bytes()) & 0xffff_ffff
        )
    } else {
        slug
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && i > 0
        }
        None => false,
    }
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}
