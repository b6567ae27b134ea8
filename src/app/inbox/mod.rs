//! The curator's inbox: the feeds a digest follows (`inbox.opml`), the stories they give,
//! each story once ([`cluster`]), and what the curator decided about each (skip, or a
//! draft written as `add` writes one). `gazette inbox …` and the preview's
//! `/__gazette/inbox` page both work through [`Inbox`].

pub mod cluster;
pub mod command;
pub mod feed;
pub mod fetch;
pub mod follow;
pub mod imports;
pub mod opml;
pub mod store;

use crate::config::SiteConfig;
use crate::model::links::Citation;
use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use opml::Subscription;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use store::{Decision, Item, Store};

/// One story in the inbox: a cluster of items, named by its earliest headline.
#[derive(Debug, Clone)]
pub struct Story {
    /// Stable while its earliest item stays: 10 hexadecimal digits of its address's hash.
    pub id: String,
    pub title: String,
    /// The earliest item's address.
    pub url: String,
    /// Outlets in the order they reported it.
    pub outlets: Vec<String>,
    /// When the latest item about it appeared.
    pub newest: DateTime<Utc>,
    /// Oldest first.
    pub items: Vec<Item>,
    /// The article that already cites it.
    pub cited: Option<Citation>,
}

impl Story {
    /// "Reuters, AP and 3 more".
    pub fn outlets_line(&self) -> String {
        outlets_line(&self.outlets)
    }

    /// Every address of the story.
    pub fn urls(&self) -> Vec<String> {
        self.items.iter().map(|i| i.url.clone()).collect()
    }
}

/// "Reuters", "Reuters and AP", "Reuters, AP and 3 more".
pub fn outlets_line(outlets: &[String]) -> String {
    match outlets {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// A site's inbox.
pub struct Inbox {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub store: Store,
}

impl Inbox {
    pub fn open(root: &Path) -> Result<Inbox> {
        let config = SiteConfig::load(root)?;
        Ok(Inbox {
            root: root.to_path_buf(),
            config,
            store: Store::new(root),
        })
    }

    fn opml_path(&self) -> PathBuf {
        self.root.join(opml::FILE)
    }

    /// The subscriptions in `inbox.opml` (none when there is no such file).
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let path = self.opml_path();
        if !path.exists() {
            return Ok(Vec::new());
        }
        opml::read(&crate::util::fs::read_to_string(&path)?, opml::FILE)
    }

    pub fn save_subscriptions(&self, subscriptions: &[Subscription]) -> Result<()> {
        let text = opml::write(&self.config.title, subscriptions);
        crate::util::fs::replace(&self.opml_path(), text)
    }

    /// Every story not yet decided and not older than `keep_days`, newest first.
    pub fn stories(&self, now: DateTime<Utc>) -> Result<Vec<Story>> {
        let oldest = now - chrono::Duration::days(i64::from(self.config.inbox.keep_days));
        let mut items = self.store.items()?;
        items.extend(self.store.imported()?);
        let decisions = self.store.decisions()?;
        let items: Vec<Item> = items.into_values().filter(|i| i.date >= oldest).collect();
        let articles = crate::app::new::site_articles(&self.root, &self.config)?;
        let cited = crate::model::links::citations(&articles);
        let clusters = self.clusters(&items)?;
        let mut stories: Vec<Story> = clusters
            .into_iter()
            .map(|members| story(&items, &members, &cited))
            .filter(|s| !s.items.iter().any(|i| decisions.contains_key(&i.url)))
            .collect();
        stories.sort_by(|a, b| b.newest.cmp(&a.newest).then_with(|| a.id.cmp(&b.id)));
        Ok(stories)
    }

    /// The clusters of `items` (indexes), as the cache has them when the items are the
    /// same (a fetch clusters them once; the page and the commands read that), else made now.
    fn clusters(&self, items: &[Item]) -> Result<Vec<Vec<usize>>> {
        let mut fingerprint = crate::util::hash::Fingerprint::new();
        // A new Gazette may cluster differently.
        fingerprint.add((env!("CARGO_PKG_VERSION"), cluster::THRESHOLD.to_bits()));
        for item in items {
            fingerprint.add((&item.feed, &item.url));
        }
        let fingerprint = fingerprint.finish();
        if let Some(clusters) = self.store.clusters(fingerprint)? {
            if clusters.iter().flatten().all(|&i| i < items.len()) {
                return Ok(clusters);
            }
        }
        let started = std::time::Instant::now();
        let clusters: Vec<Vec<usize>> = cluster::clusters(items)
            .into_iter()
            .map(|c| c.items)
            .collect();
        if std::env::var_os("GAZETTE_TIMINGS").is_some() {
            eprintln!(
                "clustering: {} items into {} stories in {:.1} ms",
                items.len(),
                clusters.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.store.save_clusters(fingerprint, &clusters)?;
        Ok(clusters)
    }

    /// The story numbered `which` (from 1, as `gazette inbox` lists them) or with that id.
    pub fn find(&self, which: &str, now: DateTime<Utc>) -> Result<Story> {
        let stories = self.stories(now)?;
        let found = match which.parse::<usize>() {
            Ok(n) if n >= 1 => stories.get(n - 1).cloned(),
            _ => stories.iter().find(|s| s.id == which).cloned(),
        };
        match found {
            Some(story) => Ok(story),
            None => bail!(
                "no story {which} in the inbox (it holds {}); run `gazette inbox` to list them",
                stories.len()
            ),
        }
    }

    /// Writes the story's draft (from what the feed gave, fetching the page only for what
    /// is missing) and remembers the decision.
    pub fn draft(&self, story: &Story, topics: Vec<String>) -> Result<crate::app::add::Added> {
        let first = &story.items[0];
        let known = crate::app::add::Known {
            url: first.url.clone(),
            title: story.title.clone(),
            summary: first.summary.clone(),
            outlet: first.outlet.clone(),
            image: first.image.clone(),
            lang: first.lang.clone(),
            published: Some(
                first
                    .date
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        };
        let request = crate::app::add::AddRequest {
            url: first.url.clone(),
            topics,
            ..Default::default()
        };
        let added = crate::app::add::draft_known(&self.root, &request, &known)?;
        let rel = added.rel.to_string_lossy().replace('\\', "/");
        self.store.decide(&story.urls(), &Decision::Drafted(rel))?;
        Ok(added)
    }

    pub fn skip(&self, story: &Story) -> Result<()> {
        self.store.decide(&story.urls(), &Decision::Skipped)
    }
}

fn story(
    items: &[Item],
    members: &[usize],
    cited: &std::collections::HashMap<String, Citation>,
) -> Story {
    let members: Vec<&Item> = members.iter().map(|&i| &items[i]).collect();
    let first = members[0];
    let mut outlets: Vec<String> = Vec::new();
    for item in &members {
        if !outlets.contains(&item.outlet) {
            outlets.push(item.outlet.clone());
        }
    }
    let key = crate::util::url::story_key(&first.url);
    Story {
        id: format!(
            "{:010x}",
            crate::util::hash::fnv(key.as_bytes()) & 0xff_ffff_ffff
        ),
        title: first.title.clone(),
        url: first.url.clone(),
        outlets,
        newest: members.iter().map(|i| i.date).max().unwrap_or(first.date),
        cited: members
            .iter()
            .find_map(|i| cited.get(&crate::util::url::story_key(&i.url)).cloned()),
        items: members.into_iter().cloned().collect(),
    }
}

/// How long ago `date` was, in a word: "5 min", "3 h", "2 d".
pub fn age(date: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - date).num_minutes().max(0);
    match minutes {
        0..=59 => format!("{minutes} min"),
        60..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} d", minutes / 1440),
    }
}

/// Items by feed and address: the ones there, with `new` added (an item already there keeps its
/// first sighting), dropping those older than `oldest`; and how many were new.
pub fn merge(
    mut items: BTreeMap<String, Item>,
    new: Vec<Item>,
    oldest: DateTime<Utc>,
) -> (BTreeMap<String, Item>, usize) {
    let mut added = 0;
    for item in new.into_iter().filter(|i| i.date >= oldest) {
        // Two feeds that give one address are two outlets reporting it.
        let key = format!("{} {}", item.feed.as_deref().unwrap_or(""), item.url);
        if let std::collections::btree_map::Entry::Vacant(place) = items.entry(key) {
            added += 1;
            place.insert(item);
        }
    }
    items.retain(|_, i| i.date >= oldest);
    (items, added)
}
