//! Assembling the digest from loaded articles, step by step: which articles are published
//! and where (their URLs), then topics, outlets, stories, editions, months and years, where
//! files beside articles go, every page, and the URL collisions.

use super::*;
use rayon::prelude::*;

/// The header of every photo in `content/` (as `source::images::probe` read it), by its
/// path relative to `content/`: what the digest plans each photo's versions from.
pub type Probes = BTreeMap<PathBuf, Result<images::Probe, String>>;

/// Everything one language's digest is made from, all of it read before.
pub struct DigestInputs<'a> {
    pub config: &'a SiteConfig,
    pub articles: Vec<LoadedArticle>,
    /// The files of `content/` that are not articles, relative to it.
    pub assets: Vec<PathBuf>,
    /// The tree's data files; `None` when they could not be read (`check` goes on
    /// without them, and without the warnings that compare them with the content).
    pub data: Option<&'a crate::source::data::SiteData>,
    pub probes: &'a Probes,
    pub selection: Selection,
}

/// A digest and what was found making it.
pub struct Made {
    pub digest: Digest,
    /// URL collisions, then the data files' problems, then the photos' (sorted).
    pub problems: Vec<Problem>,
    /// The data files' warnings, renamed topics and outlets that match nothing, photos
    /// published without WebP versions.
    pub warnings: Vec<Problem>,
}

impl Digest {
    /// The whole digest in one call: the articles grouped (every collision reported,
    /// both articles kept), the data files applied, each photo's versions planned.
    pub fn make(inputs: DigestInputs) -> Made {
        let DigestInputs {
            config,
            articles,
            assets,
            data,
            probes,
            selection,
        } = inputs;
        let (mut digest, mut problems) = Digest::assemble_all(config, articles, assets, selection);
        let mut warnings = Vec::new();
        if let Some(data) = data {
            let (found, noted) = digest.apply_data(config, data);
            problems.extend(found);
            warnings.extend(noted);
            warnings.extend(digest.rename_warnings(config));
        }
        match digest.plan_pictures(config, probes) {
            Ok(noted) => warnings.extend(noted),
            Err(found) => problems.extend(found),
        }
        Made {
            digest,
            problems,
            warnings,
        }
    }

    /// Plans the versions of every photo the articles use into `pictures`, from the
    /// headers in `probes`; gives the photos published in their own format only, or the
    /// problems (sorted): a photo unreadable, of an unknown format or too large, at its
    /// first use.
    fn plan_pictures(
        &mut self,
        config: &SiteConfig,
        probes: &Probes,
    ) -> Result<Vec<Problem>, Vec<Problem>> {
        let uses = images::uses(self);
        let found = uses
            .values()
            .map(|used| match probes.get(&used.rel) {
                Some(probe) => probe.clone(),
                None => Err("could not be read (it was not there when the site was read)".into()),
            })
            .collect();
        match images::plan_all(&uses, found, config.keep_image_metadata) {
            Ok(pictures) => {
                let warnings = images::without_webp(&pictures, &uses);
                self.pictures = pictures;
                self.crop_lead_photos();
                self.picture_uses = uses;
                Ok(warnings)
            }
            Err(mut problems) => {
                problems.sort();
                Err(problems)
            }
        }
    }

    /// Plans the crops of each listed article's lead photo (its front matter `image`) for
    /// its structured data.
    fn crop_lead_photos(&mut self) {
        let leads: Vec<String> = self
            .listed_ids()
            .filter_map(|i| {
                let a = &self[i];
                images::image_path(self, a, &a.image.as_ref()?.src)
            })
            .collect();
        for path in leads {
            if let Some(picture) = self.pictures.get_mut(&path) {
                picture.add_crops();
            }
        }
    }

    /// Groups loaded articles into a digest, and lists the URL collisions it found
    /// (where two articles want one URL, both are kept).
    pub fn assemble_all(
        config: &SiteConfig,
        loaded: Vec<LoadedArticle>,
        asset_rels: Vec<PathBuf>,
        selection: Selection,
    ) -> (Digest, Vec<Problem>) {
        let left_out = count_left_out(&loaded, &selection);
        // Each article on its own (its slug is the costly part), in parallel.
        let mut articles: Vec<Article> = loaded
            .into_par_iter()
            .filter_map(|a| place(config, a, &selection))
            .collect();
        // Newest first; same instant: by URL, then by file, so order never depends on the walk.
        articles.par_sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.url_path.cmp(&b.url_path))
                .then_with(|| a.path.cmp(&b.path))
        });
        let mut slugs = Slugs::default();
        redirects::rename(config, &mut articles);
        let topics = group_topics(&mut articles, &mut slugs);
        let sources = group_sources(&mut articles, &mut slugs);
        let stories = group_stories(&mut articles, &mut slugs);
        let authors = group_authors(&mut articles, &mut slugs);
        let (editions, months, years) = group_by_date(config, &mut articles);
        let assets = place_assets(&articles, asset_rels);
        let mut digest = Digest {
            translation: (!config.is_root_tree()).then(|| config.language.clone()),
            articles,
            editions,
            topics,
            sources,
            stories,
            authors,
            months,
            years,
            assets,
            left_out,
            now: selection.now,
            with_drafts: selection.drafts,
            ..Default::default()
        };
        digest.index_by_rel();
        let mut problems = digest.place_redirects(config);
        digest.pages = digest.enumerate_pages(config);
        problems.extend(path_collisions(&digest));
        problems.extend(digest.redirect_collisions());
        problems.extend(digest.unknown_refs());
        problems.sort();
        (digest, problems)
    }
}

impl Digest {
    /// Fills the lookups of articles and assets by their path relative to `content/`.
    fn index_by_rel(&mut self) {
        self.by_rel = self
            .article_ids()
            .zip(&self.articles)
            .map(|(i, a)| (a.rel.clone(), i))
            .collect();
        self.asset_by_rel = self
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.rel.clone(), i))
            .collect();
    }
}

/// How many articles `selection` leaves out, by why.
fn count_left_out(loaded: &[LoadedArticle], selection: &Selection) -> LeftOutCounts {
    loaded
        .par_iter()
        .filter_map(|a| left_out(a, selection))
        .fold(LeftOutCounts::default, LeftOutCounts::with)
        .reduce(LeftOutCounts::default, LeftOutCounts::merge)
}

/// Google News reads articles published in the last two days: the news sitemap lists
/// the articles of this many hours before the build's time.
pub const NEWS_WINDOW_HOURS: i64 = 48;

/// The first time after `now` at which the same articles could make a different site:
/// an article's date or `publish_date` passes (it is published), its `expiry_date` passes,
/// or it leaves the news sitemap's window ([`NEWS_WINDOW_HOURS`] after its date). `None`
/// when no article has such a time ahead.
pub fn next_change(loaded: &[LoadedArticle], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // It leaves the window the instant after its end (the sitemap keeps it up to then).
    let window = chrono::Duration::hours(NEWS_WINDOW_HOURS) + chrono::Duration::nanoseconds(1);
    loaded
        .iter()
        .flat_map(|a| {
            let f = &a.front;
            [
                f.date,
                f.date.and_then(|d| d.checked_add_signed(window)),
                f.publish_date,
                f.expiry_date,
            ]
        })
        .flatten()
        .map(|t| t.with_timezone(&Utc))
        .filter(|&t| t > now)
        .min()
}

/// Why `selection` leaves out an article that has a date: the first of draft, scheduled
/// (dated or `publish_date` in the future) and expired that applies and is not included.
fn left_out(a: &LoadedArticle, selection: &Selection) -> Option<LeftOut> {
    let date = a.front.date?;
    let now = selection.now;
    let future = date.with_timezone(&Utc) > now
        || a.front
            .publish_date
            .is_some_and(|p| p.with_timezone(&Utc) > now);
    let expired = a
        .front
        .expiry_date
        .is_some_and(|e| e.with_timezone(&Utc) <= now);
    if a.front.draft && !selection.drafts {
        Some(LeftOut::Draft)
    } else if future && !selection.future {
        Some(LeftOut::Scheduled)
    } else if expired && !selection.expired {
        Some(LeftOut::Expired)
    } else {
        None
    }
}

/// An article as published, with its URL; `None` when the selection leaves it out (a
/// draft, a future or expired article) or it has no date.
fn place(config: &SiteConfig, a: LoadedArticle, selection: &Selection) -> Option<Article> {
    let date = a.front.date?;
    let future = date.with_timezone(&Utc) > selection.now
        || a.front
            .publish_date
            .is_some_and(|p| p.with_timezone(&Utc) > selection.now);
    let expired = a
        .front
        .expiry_date
        .is_some_and(|e| e.with_timezone(&Utc) <= selection.now);
    if left_out(&a, selection).is_some() {
        return None;
    }
    let local = date.with_timezone(&config.timezone).naive_local();
    let slug = article_slug(config, &a);
    let slug = if slug.is_empty() {
        "article".to_string()
    } else {
        slug
    };
    let url_path = article_url_path(config, local, &slug);
    Some(Article {
        path: a.path,
        source_hash: a.source_hash,
        lead: a.lead,
        words: a.words,
        links_inside: a.links_inside,
        site_links: a.site_links,
        rel: a.rel,
        title: crate::markdown::smart_text(&a.front.title),
        lang: a.front.lang,
        number: a.front.number,
        date,
        date_only: a.front.date_only,
        local,
        updated: a.front.updated,
        topics: Vec::new(),
        source_id: None,
        story_name: a.front.story,
        story: None,
        edition: EditionId::new(0),
        summary: a.front.summary,
        body: a.body,
        body_line: a.body_line,
        source: a.front.source,
        source_line: a.front.source_line,
        image: a.front.image,
        image_line: a.front.image_line,
        author: a.front.author,
        authors: Vec::new(),
        author_names: a.front.authors,
        slug,
        draft: a.front.draft,
        hidden: a.front.hidden,
        translation: a.front.translation,
        future,
        expired,
        extra: a.front.extra,
        url_path,
        topic_names: a.front.topics,
        aliases: a.front.aliases,
        refs: a.refs,
        body_images: a.images,
    })
}

/// Slugs of topic, outlet and story names, each name slugified once.
#[derive(Default)]
struct Slugs(HashMap<String, String>);

impl Slugs {
    fn of(&mut self, name: &str) -> String {
        if let Some(slug) = self.0.get(name) {
            return slug.clone();
        }
        let slug = topic_slug(name);
        self.0.insert(name.to_string(), slug.clone());
        slug
    }
}

/// Topics, sorted by slug, and each article's topic ids; the first spelling met (newest
/// article) names a topic, and a topic only hidden articles have is no topic of the site.
fn group_topics(articles: &mut [Article], slugs: &mut Slugs) -> Vec<Topic> {
    let (groups, ids) = group_names(articles, slugs, |a| &a.topic_names);
    for (article, ids) in articles.iter_mut().zip(ids) {
        article.topics = ids.into_iter().map(TopicId::new).collect();
    }
    groups
        .into_iter()
        .map(|(slug, name, list)| Topic {
            url_path: format!("topics/{slug}/"),
            name,
            slug,
            articles: list,
        })
        .collect()
}

/// Authors, sorted by slug, and each article's author ids (a hidden article's authors are
/// linked only when a listed article makes them an author of the site).
fn group_authors(articles: &mut [Article], slugs: &mut Slugs) -> Vec<Author> {
    let (groups, ids) = group_names(articles, slugs, |a| &a.author_names);
    for (article, ids) in articles.iter_mut().zip(ids) {
        article.authors = ids.into_iter().map(AuthorId::new).collect();
    }
    groups
        .into_iter()
        .map(|(slug, name, list)| Author {
            url_path: format!("authors/{slug}/"),
            name,
            slug,
            articles: list,
            ..Default::default()
        })
        .collect()
}

/// Groups of the names each article lists (`names`), by slug: (slug, the first spelling
/// met, the listed articles that name it, newest first); and for each article, the places
/// of its names' groups in that list, in its order, each once. Hidden articles join no
/// group.
type Groups = (Vec<(String, String, Vec<ArticleId>)>, Vec<Vec<usize>>);

fn group_names(
    articles: &[Article],
    slugs: &mut Slugs,
    names: impl Fn(&Article) -> &Vec<String>,
) -> Groups {
    let mut index: BTreeMap<String, (String, Vec<ArticleId>)> = BTreeMap::new();
    for (i, article) in ArticleId::all(articles.len()).zip(articles) {
        for name in names(article).iter().filter(|_| !article.hidden) {
            let entry = index
                .entry(slugs.of(name))
                .or_insert_with(|| (name.clone(), Vec::new()));
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
    }
    let place: HashMap<String, usize> = index
        .keys()
        .enumerate()
        .map(|(n, slug)| (slug.clone(), n))
        .collect();
    let ids = articles
        .iter()
        .map(|article| {
            let mut ids = Vec::new();
            for name in names(article) {
                if let Some(&n) = place.get(&slugs.of(name)) {
                    if !ids.contains(&n) {
                        ids.push(n);
                    }
                }
            }
            ids
        })
        .collect();
    let groups = index
        .into_iter()
        .map(|(slug, (name, list))| (slug, name, list))
        .collect();
    (groups, ids)
}

/// Outlets, sorted by slug, and each article's outlet id.
fn group_sources(articles: &mut [Article], slugs: &mut Slugs) -> Vec<Source> {
    // Outlets, keyed by the slug of their name; the newest article's spelling names one.
    let mut source_index: BTreeMap<String, (String, Vec<ArticleId>)> = BTreeMap::new();
    for (i, article) in ArticleId::all(articles.len()).zip(articles.iter()) {
        if let Some(source) = article.source.as_ref().filter(|_| !article.hidden) {
            let name = source_name(source);
            source_index
                .entry(slugs.of(&name))
                .or_insert_with(|| (name, Vec::new()))
                .1
                .push(i);
        }
    }
    let mut sources = Vec::with_capacity(source_index.len());
    for (slug, (name, list)) in source_index {
        for &i in &list {
            articles[i.index()].source_id = Some(SourceId::new(sources.len()));
        }
        sources.push(Source {
            url_path: format!("sources/{slug}/"),
            name,
            slug,
            articles: list,
            description: None,
            home: None,
        });
    }
    sources
}

/// Stories of two articles or more, sorted by slug, and each article's story id.
fn group_stories(articles: &mut [Article], slugs: &mut Slugs) -> Vec<Story> {
    // Stories: articles that name the same story (by slug), oldest first.
    let mut story_index: BTreeMap<String, (String, Vec<ArticleId>)> = BTreeMap::new();
    for (i, article) in ArticleId::all(articles.len()).zip(articles.iter()) {
        if let Some(name) = article.story_name.as_ref().filter(|_| !article.hidden) {
            story_index
                .entry(slugs.of(name))
                .or_insert_with(|| (story_title(name), Vec::new()))
                .1
                .push(i);
        }
    }
    let mut stories = Vec::new();
    for (slug, (name, mut list)) in story_index {
        if list.len() < 2 {
            continue;
        }
        list.reverse();
        for &i in &list {
            articles[i.index()].story = Some(StoryId::new(stories.len()));
        }
        stories.push(Story {
            url_path: format!("stories/{slug}/"),
            name,
            slug,
            articles: list,
        });
    }
    stories
}

/// Editions, months and years, newest first (articles are already newest first), and each
/// article's edition.
fn group_by_date(
    config: &SiteConfig,
    articles: &mut [Article],
) -> (Vec<Edition>, Vec<Month>, Vec<Year>) {
    // Editions, months and years, newest first (articles are already newest first).
    let mut editions: Vec<Edition> = Vec::new();
    let mut months: Vec<Month> = Vec::new();
    let mut years: Vec<Year> = Vec::new();
    for (i, article) in ArticleId::all(articles.len()).zip(articles.iter_mut()) {
        if article.hidden {
            continue;
        }
        let day = article.day();
        let (first, last, week, url_path) = edition_of(config.editions, day);
        if editions.last().map(|e| e.day) != Some(first) {
            editions.push(Edition {
                day: first,
                last_day: last,
                week,
                number: 0,
                url_path,
                articles: Vec::new(),
                title: None,
                note: None,
            });
        }
        article.edition = EditionId::new(editions.len() - 1);
        editions.last_mut().unwrap().articles.push(i);
        if months.last().map(|m| (m.year, m.month)) != Some((day.year(), day.month())) {
            months.push(Month {
                year: day.year(),
                month: day.month(),
                url_path: format!("{:04}/{:02}/", day.year(), day.month()),
                articles: Vec::new(),
            });
            if years.last().map(|y| y.year) != Some(day.year()) {
                years.push(Year {
                    year: day.year(),
                    url_path: format!("{:04}/", day.year()),
                    articles: Vec::new(),
                    months: Vec::new(),
                });
            }
            let month = MonthId::new(months.len() - 1);
            years.last_mut().unwrap().months.push(month);
        }
        months.last_mut().unwrap().articles.push(i);
        years.last_mut().unwrap().articles.push(i);
    }
    place_hidden(config, articles, &mut editions);
    let total = editions.len();
    for (i, edition) in editions.iter_mut().enumerate() {
        edition.number = total - i;
    }
    (editions, months, years)
}

/// Each hidden article's edition, which does not list it: the one of its day, else the
/// nearest in time (an edition of its own, listing nothing, when there is none).
fn place_hidden(config: &SiteConfig, articles: &mut [Article], editions: &mut Vec<Edition>) {
    for article in articles.iter_mut().filter(|a| a.hidden) {
        let (first, last, week, url_path) = edition_of(config.editions, article.day());
        // Editions are newest first: the first one not newer, and the one before it.
        let at = editions.partition_point(|e| e.day > first);
        let nearest = [at.checked_sub(1), (at < editions.len()).then_some(at)]
            .into_iter()
            .flatten()
            .min_by_key(|&e| ((editions[e].day - first).num_days().abs(), e));
        let e = match nearest {
            Some(e) => e,
            None => {
                editions.push(Edition {
                    day: first,
                    last_day: last,
                    week,
                    number: 0,
                    url_path,
                    articles: Vec::new(),
                    title: None,
                    note: None,
                });
                0
            }
        };
        article.edition = EditionId::new(e);
    }
}

/// The edition a day belongs to: its first and last day, its ISO week (weekly editions)
/// and its site path.
fn edition_of(
    cadence: Cadence,
    day: NaiveDate,
) -> (NaiveDate, NaiveDate, Option<(i32, u32)>, String) {
    match cadence {
        Cadence::Daily => (
            day,
            day,
            None,
            format!("{:04}/{:02}/{:02}/", day.year(), day.month(), day.day()),
        ),
        Cadence::Weekly => {
            let w = day.iso_week();
            let monday = day - chrono::Duration::days(day.weekday().num_days_from_monday().into());
            (
                monday,
                monday + chrono::Duration::days(6),
                Some((w.year(), w.week())),
                format!("{:04}/w{:02}/", w.year(), w.week()),
            )
        }
    }
}

/// Where each file beside the articles goes.
fn place_assets(articles: &[Article], asset_rels: Vec<PathBuf>) -> Vec<Asset> {
    // Where each asset goes: beside the article when its folder holds exactly one
    // article (a page bundle), else at the same path as in content/.
    let mut articles_in_dir: HashMap<&Path, Vec<ArticleId>> = HashMap::new();
    for (i, article) in ArticleId::all(articles.len()).zip(articles) {
        articles_in_dir
            .entry(article.rel.parent().unwrap_or(Path::new("")))
            .or_default()
            .push(i);
    }
    let mut assets = Vec::with_capacity(asset_rels.len());
    for rel in asset_rels {
        let mut out_path = rel.to_string_lossy().replace('\\', "/");
        let mut dir = rel.parent();
        while let Some(d) = dir {
            if let Some(list) = articles_in_dir.get(d) {
                if list.len() == 1 {
                    let inner = rel
                        .strip_prefix(d)
                        .unwrap_or(&rel)
                        .to_string_lossy()
                        .replace('\\', "/");
                    out_path = format!("{}{}", articles[list[0].index()].url_path, inner);
                }
                break;
            }
            dir = d.parent();
        }
        assets.push(Asset { rel, out_path });
    }
    assets
}

/// Two things that want the same output path: two articles, an article and a list page,
/// a file of `content/` and a page.
fn path_collisions(digest: &Digest) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Two things that want the same output path.
    let mut owners: HashMap<&str, Vec<&str>> = HashMap::new();
    for article in &digest.articles {
        owners
            .entry(article.url_path.as_str())
            .or_default()
            .push(article.path.as_str());
    }
    let pages = &digest.pages;
    let taken: std::collections::HashSet<&str> = pages
        .iter()
        .filter(|page| !matches!(page.kind, PageKind::Article(_) | PageKind::Redirect(_)))
        .map(|page| page.path.as_str())
        .collect();
    for (path, files) in &mut owners {
        files.sort();
        if files.len() > 1 {
            problems.push(Problem::new(
                files[1],
                None,
                format!(
                    "has the same URL /{path} as {}; give one of them a different `slug:`",
                    files[..1]
                        .iter()
                        .chain(&files[2..])
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        } else if taken.contains(*path) {
            problems.push(Problem::new(
                files[0],
                None,
                format!("its URL /{path} is already used by a list page; give it a different `slug:` or change `article_path`"),
            ));
        }
    }
    let page_paths: std::collections::HashSet<String> = if digest.assets.is_empty() {
        Default::default()
    } else {
        pages.iter().map(|p| page_file(&p.path)).collect()
    };
    for asset in &digest.assets {
        if page_paths.contains(&asset.out_path) {
            problems.push(Problem::new(
                format!("content/{}", asset.rel.to_string_lossy()),
                None,
                format!(
                    "would overwrite the page /{}; rename or move the file",
                    asset.out_path
                ),
            ));
        }
    }
    problems.sort();
    problems
}
