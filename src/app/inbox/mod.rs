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

    /// Adds `subscriptions` to `inbox.opml`, leaving everything else in it as it is (the
    /// curator's folders, comments and outlines), or writes a new one.
    pub fn add_subscriptions(&self, subscriptions: &[Subscription]) -> Result<()> {
        let path = self.opml_path();
        let text = match path.exists() {
            true => {
                let text = crate::util::fs::read_to_string(&path)?;
                match opml::with_added(&text, subscriptions) {
                    Some(text) => text,
                    None => bail!("{}: no </body> to add the feed before; fix the file (an OPML file's outlines are inside <body>…</body>)", opml::FILE),
                }
            }
            false => opml::write(&self.config.title, subscriptions),
        };
        crate::util::fs::replace(&path, text)
    }

    /// Gives a feed that moved for good its new address in `inbox.opml`, in place.
    pub fn move_subscription(&self, from: &str, to: &str) -> Result<()> {
        let path = self.opml_path();
        let text = crate::util::fs::read_to_string(&path)?;
        let moved = opml::with_moved(&text, from, to);
        if moved != text {
            crate::util::fs::replace(&path, moved)?;
        }
        Ok(())
    }

    /// Every story not yet decided and not older than `keep_days`, newest first.
    pub fn stories(&self, now: DateTime<Utc>) -> Result<Vec<Story>> {
        let items = self.items(now)?;
        let decisions = self.store.decisions()?;
        let articles = crate::app::new::site_articles(&self.root, &self.config)?;
        let cited = crate::model::links::citations(&articles);
        let clusters = self.clusters(&items)?;
        let mut stories: Vec<Story> = clusters
            .into_iter()
            .map(|members| story(&items, &members, &cited))
            .filter(|s| {
                let decided =
                    |i: &Item| decisions.contains_key(&crate::util::url::story_key(&i.url));
                !s.items.iter().any(decided)
            })
            .collect();
        stories.sort_by(|a, b| b.newest.cmp(&a.newest).then_with(|| a.id.cmp(&b.id)));
        Ok(stories)
    }

    /// The items in the inbox: what feeds gave and links imported, not older than
    /// `keep_days`, in the order the clusters are kept in.
    fn items(&self, now: DateTime<Utc>) -> Result<Vec<Item>> {
        let oldest = self.oldest(now);
        let mut items = self.store.items()?;
        items.extend(self.store.imported()?);
        Ok(items.into_values().filter(|i| i.date >= oldest).collect())
    }

    /// Clusters the items now and keeps the clusters (after a fetch or an import), so the
    /// page and the commands read them; reads no article.
    pub fn cluster_now(&self, now: DateTime<Utc>) -> Result<()> {
        self.clusters(&self.items(now)?).map(|_| ())
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
            // Every item in exactly one cluster, none empty: else made anew.
            let mut seen = vec![false; items.len()];
            let whole = clusters.iter().all(|c| !c.is_empty())
                && clusters
                    .iter()
                    .flatten()
                    .all(|&i| i < seen.len() && !std::mem::replace(&mut seen[i], true))
                && seen.iter().all(|s| *s);
            if whole {
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

    /// The oldest date an item may have to stay in the inbox.
    pub fn oldest(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let days = i64::from(self.config.inbox.keep_days.min(36_500));
        now.checked_sub_signed(chrono::Duration::days(days))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The story with the id `which`, or numbered `which` in the last listing (`gazette
    /// inbox` keeps its numbers, so a draft or a skip does not renumber the others).
    pub fn find(&self, which: &str, now: DateTime<Utc>) -> Result<Story> {
        let stories = self.stories(now)?;
        if let Some(story) = stories.iter().find(|s| s.id == which) {
            return Ok(story.clone());
        }
        let number = which
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1 && which.len() < 10);
        let Some(number) = number else {
            bail!("no story {which} in the inbox; run `gazette inbox` to list them");
        };
        let listed = self.store.listed()?;
        let id = match listed.get(number - 1) {
            Some(id) => id.clone(),
            None if listed.is_empty() => match stories.get(number - 1) {
                Some(story) => return Ok(story.clone()),
                None => bail!("no story {which} in the inbox (it holds {}); run `gazette inbox` to list them", stories.len()),
            },
            None => bail!("no story {which} in the last listing (it had {}); run `gazette inbox` to list them again", listed.len()),
        };
        match stories.into_iter().find(|s| s.id == id) {
            Some(story) => Ok(story),
            None => bail!("story {which} ({id}) is no longer in the inbox (drafted, skipped or too old); run `gazette inbox` to list them again"),
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
        if let Some(said) = crate::app::archive::on_add(&self.root, &added.source, &added.day) {
            eprintln!("{said}");
        }
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
