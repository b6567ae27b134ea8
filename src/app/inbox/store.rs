//! Where the inbox keeps what it knows, beside `inbox.opml`:
//! - `inbox/decisions.tsv`: every skip and draft, one line each (committed with the site);
//! - `inbox/imported.tsv`: links imported from a read-later export (committed too);
//! - `.gazette-cache/inbox/items.json` and `feeds.json`: the items feeds gave and each
//!   feed's validators and back-off (a cache: deleting it costs one full fetch).
//!
//! Files are replaced whole ([`crate::util::fs::replace`]) or appended a line at a time,
//! so a run killed halfway leaves every file readable.

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One story a feed or an import gave, normalised as `add` normalises a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The story's address: canonical, without tracking parameters.
    pub url: String,
    pub title: String,
    /// The feed's title (or the OPML outline's), or the host for an imported link.
    pub outlet: String,
    /// When the outlet published it (else when Gazette first saw it).
    pub date: DateTime<Utc>,
    /// Plain text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The subscription's address; `None` for an imported link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
}

/// What Gazette remembers of a feed between fetches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    #[serde(flatten)]
    pub validators: crate::util::http::Validators,
    /// Failures in a row; each doubles the wait before the next try.
    #[serde(default)]
    pub failures: u32,
    /// No request before this time (after failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// What the curator decided about a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Skipped,
    /// Drafted as this file (relative to the site's root).
    Drafted(String),
}

/// The inbox's files of one site.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    fn cache(&self, name: &str) -> PathBuf {
        self.root.join(".gazette-cache/inbox").join(name)
    }

    fn own(&self, name: &str) -> PathBuf {
        self.root.join("inbox").join(name)
    }

    /// The items feeds gave, by feed and address.
    pub fn items(&self) -> Result<BTreeMap<String, Item>> {
        read_json(&self.cache("items.json"))
    }

    pub fn save_items(&self, items: &BTreeMap<String, Item>) -> Result<()> {
        write_json(&self.cache("items.json"), items)
    }

    pub fn feeds(&self) -> Result<BTreeMap<String, FeedState>> {
        read_json(&self.cache("feeds.json"))
    }

    pub fn save_feeds(&self, feeds: &BTreeMap<String, FeedState>) -> Result<()> {
        write_json(&self.cache("feeds.json"), feeds)
    }

    /// The clusters saved for the items whose fingerprint is `fingerprint`, if any.
    pub fn clusters(&self, fingerprint: u64) -> Result<Option<Vec<Vec<usize>>>> {
        let saved: Option<(u64, Vec<Vec<usize>>)> = read_json(&self.cache("clusters.json"))?;
        Ok(saved.filter(|(f, _)| *f == fingerprint).map(|(_, c)| c))
    }

    pub fn save_clusters(&self, fingerprint: u64, clusters: &[Vec<usize>]) -> Result<()> {
        write_json(&self.cache("clusters.json"), &(fingerprint, clusters))
    }

    /// The ids of the stories `gazette inbox` listed last, in its order.
    pub fn listed(&self) -> Result<Vec<String>> {
        read_json(&self.cache("listed.json"))
    }

    pub fn save_listed(&self, ids: &[String]) -> Result<()> {
        write_json(&self.cache("listed.json"), &ids)
    }

    /// Links imported from read-later exports, by address.
    pub fn imported(&self) -> Result<BTreeMap<String, Item>> {
        let mut items = BTreeMap::new();
        for fields in read_lines(&self.own("imported.tsv"))? {
            let [date, url, title, ..] = fields.as_slice() else {
                continue;
            };
            let Ok(date) = DateTime::parse_from_rfc3339(date) else {
                continue;
            };
            if !crate::util::url::is_web(url) {
                continue;
            }
            let item = Item {
                url: url.clone(),
                title: title.clone(),
                outlet: crate::model::host_of(url),
                date: date.with_timezone(&Utc),
                summary: fields.get(3).cloned().unwrap_or_default(),
                image: None,
                lang: None,
                feed: None,
            };
            items.insert(url.clone(), item);
        }
        Ok(items)
    }

    /// Adds imported links (those not there yet); how many were new.
    pub fn import(&self, links: &[Item]) -> Result<usize> {
        let known = self.imported()?;
        let lines: Vec<String> = links
            .iter()
            .filter(|l| !known.contains_key(&l.url))
            .map(|l| line(&[&l.date.to_rfc3339(), &l.url, &l.title, &l.summary]))
            .collect();
        let mut unique = lines.clone();
        unique.dedup();
        append(&self.own("imported.tsv"), IMPORTED_HEADER, &unique)?;
        Ok(unique.len())
    }

    /// Every decision, by the story's address as [`crate::util::url::story_key`] gives it
    /// (a later line wins).
    pub fn decisions(&self) -> Result<BTreeMap<String, Decision>> {
        let mut decisions = BTreeMap::new();
        for fields in read_lines(&self.own("decisions.tsv"))? {
            let decision = match fields.get(1).map(String::as_str) {
                Some("skip") => Decision::Skipped,
                Some("draft") => Decision::Drafted(fields.get(3).cloned().unwrap_or_default()),
                _ => continue,
            };
            if let Some(url) = fields.get(2) {
                decisions.insert(crate::util::url::story_key(url), decision);
            }
        }
        Ok(decisions)
    }

    /// Records a decision about the story at each of `urls` (a cluster's addresses).
    pub fn decide(&self, urls: &[String], decision: &Decision) -> Result<()> {
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let lines: Vec<String> = urls
            .iter()
            .map(|url| match decision {
                Decision::Skipped => line(&[&now, "skip", url]),
                Decision::Drafted(path) => line(&[&now, "draft", url, path]),
            })
            .collect();
        append(&self.own("decisions.tsv"), DECISIONS_HEADER, &lines)
    }
}

const DECISIONS_HEADER: &str = "# Gazette's inbox: what the curator did with each story (time, skip or draft, address, draft file).\n";
const IMPORTED_HEADER: &str =
    "# Gazette's inbox: links imported from read-later exports (date, address, title, note).\n";

/// Tab-separated fields, each without tabs or line breaks.
fn line(fields: &[&str]) -> String {
    let fields: Vec<String> = fields
        .iter()
        .map(|f| crate::app::add::text::plain(f))
        .collect();
    fields.join("\t")
}

fn read_lines(path: &Path) -> Result<Vec<Vec<String>>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = crate::util::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect())
}

fn append(path: &Path, header: &str, lines: &[String]) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        crate::util::fs::create_dir_all(parent)?;
    }
    let mut text = match path.exists() {
        true => String::new(),
        false => header.to_string(),
    };
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    crate::util::fs::append(path, &text)
}

fn read_json<T: for<'de> Deserialize<'de> + Default>(path: &Path) -> Result<T> {
    if !path.exists() {
        return Ok(T::default());
    }
    let text = crate::util::fs::read_to_string(path)?;
    // A cache that cannot be read is read again from the feeds.
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    if let Some(parent) = path.parent() {
        crate::util::fs::create_dir_all(parent)?;
    }
    let text = serde_json::to_string(value)?;
    crate::util::fs::replace(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_and_imports_are_lines_a_later_one_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let a = "https://a.example/x".to_string();
        store
            .decide(std::slice::from_ref(&a), &Decision::Skipped)
            .unwrap();
        store
            .decide(
                std::slice::from_ref(&a),
                &Decision::Drafted("content/2026/12/x.md".into()),
            )
            .unwrap();
        let decisions = store.decisions().unwrap();
        assert_eq!(
            decisions[&crate::util::url::story_key(&a)],
            Decision::Drafted("content/2026/12/x.md".into())
        );
        let link = Item {
            url: a.clone(),
            title: "A\ttab\nand line".into(),
            outlet: "a.example".into(),
            date: Utc::now(),
            summary: String::new(),
            image: None,
            lang: None,
            feed: None,
        };
        assert_eq!(store.import(&[link.clone(), link.clone()]).unwrap(), 1);
        assert_eq!(store.import(&[link]).unwrap(), 0);
        assert_eq!(store.imported().unwrap()[&a].title, "A tab and line");
    }
}
