//! What changes the inbox's sources: `subscribe` (a feed, or a page that names one),
//! `import` (a file from a feed reader or a read-later service) and `fetch` (every
//! subscription, then the items merged and the subscriptions that moved rewritten).

use super::fetch::{self, Fetched, Outcome};
use super::imports;
use super::opml::Subscription;
use super::store::Item;
use super::Inbox;
use crate::util::http::{self, FeedAnswer, Limits, Validators};
use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use std::path::Path;

/// What `subscribe` did.
#[derive(Debug, Clone)]
pub struct Subscribed {
    pub subscription: Subscription,
    /// It was in `inbox.opml` already (nothing was written).
    pub already: bool,
}

/// Adds the feed at `url`, or the feed a page at `url` names in its
/// `<link rel="alternate">`, to `inbox.opml`.
pub fn subscribe(inbox: &Inbox, url: &str, now: DateTime<Utc>) -> Result<Subscribed> {
    let url = url.trim();
    if !crate::util::url::is_web(url) {
        bail!("`{url}` {}", http::Failure::NotWeb);
    }
    let (feed_url, title) = match read(url, now)? {
        Read::Feed(address, title) => (address, title),
        Read::Page(html, base) => {
            let Some(feed_url) = alternate_feed(&html, &base) else {
                bail!("{url} is a web page that names no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed); give the feed's own address");
            };
            match read(&feed_url, now)? {
                Read::Feed(address, title) => (address, title),
                Read::Page(..) => {
                    bail!("{url} names the feed {feed_url}, which is not a feed Gazette can read")
                }
            }
        }
    };
    let subscriptions = inbox.subscriptions()?;
    if let Some(found) = subscriptions
        .iter()
        .find(|s| s.xml_url == feed_url || s.xml_url == url)
    {
        return Ok(Subscribed {
            subscription: found.clone(),
            already: true,
        });
    }
    let subscription = Subscription {
        title: title.unwrap_or_else(|| crate::model::host_of(&feed_url)),
        html_url: None,
        xml_url: feed_url,
    };
    inbox.add_subscriptions(std::slice::from_ref(&subscription))?;
    Ok(Subscribed {
        subscription,
        already: false,
    })
}

/// What an address gave.
enum Read {
    /// A feed: the address to follow (where it moved for good, else as given) and its title.
    Feed(String, Option<String>),
    /// A web page: its text and its address after redirects.
    Page(String, String),
}

/// Reads `url`; a failure to fetch it is an error that says why.
fn read(url: &str, now: DateTime<Utc>) -> Result<Read> {
    let answer = http::get_feed(
        url,
        Limits::from_env(),
        &Validators::default(),
        fetch::MAX_FEED_BYTES,
    );
    let (page, moved) = match answer {
        Ok(FeedAnswer::Body { page, moved, .. }) => (page, moved),
        Ok(FeedAnswer::NotModified { .. }) => {
            bail!("{url} answered 304 (not modified) to a first request; check the address")
        }
        Err(failure) => bail!("{url} {failure}"),
    };
    match super::feed::parse(&page.body, page.content_type.as_deref(), &page.url, "", now) {
        // A temporary redirect keeps the address given.
        Ok(parsed) => Ok(Read::Feed(
            moved.unwrap_or_else(|| url.to_string()),
            parsed.title,
        )),
        Err(_) => {
            let (text, _) =
                crate::app::add::charset::decode(&page.body, page.content_type.as_deref());
            Ok(Read::Page(text, page.url))
        }
    }
}

/// The first feed a page names: `<link rel="alternate" type="application/rss+xml" href>`
/// (or Atom, or JSON Feed).
fn alternate_feed(html: &str, base: &str) -> Option<String> {
    crate::app::add::html::tags(html).iter().find_map(|tag| {
        let rel = tag.attr("rel")?.to_ascii_lowercase();
        let kind = tag.attr("type")?.to_ascii_lowercase();
        let feed = matches!(
            kind.trim(),
            "application/rss+xml"
                | "application/atom+xml"
                | "application/feed+json"
                | "application/json"
        );
        (tag.name == "link" && rel.split_whitespace().any(|r| r == "alternate") && feed)
            .then(|| crate::util::url::join(base, tag.attr("href")?))
            .flatten()
    })
}

/// What an import brought.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub format: imports::Format,
    /// Subscriptions added (not counting those already followed).
    pub subscribed: usize,
    /// Links added to the inbox (not counting those already there).
    pub links: usize,
    /// Links in the file.
    pub links_in_file: usize,
}

/// Imports the file at `path`: feeds become subscriptions (without fetching them), links
/// inbox items at once.
pub fn import(inbox: &Inbox, path: &Path, now: DateTime<Utc>) -> Result<ImportReport> {
    let name = path.display().to_string();
    let Ok((bytes, _)) = crate::util::fs::read_stamped_up_to(path, imports::MAX_FILE_BYTES)? else {
        bail!(
            "{name} is larger than {} MB; Gazette imports files up to that size: split it",
            imports::MAX_FILE_BYTES >> 20
        );
    };
    let (text, _) = crate::app::add::charset::decode(&bytes, None);
    let imported = imports::read(&text, &name)?;
    let followed = inbox.subscriptions()?;
    let new: Vec<Subscription> = imported
        .subscriptions
        .iter()
        .filter(|s| !followed.iter().any(|f| f.xml_url == s.xml_url))
        .cloned()
        .collect();
    let subscribed = new.len();
    if subscribed > 0 {
        inbox.add_subscriptions(&new)?;
    }
    let items: Vec<Item> = imported
        .links
        .iter()
        .map(|l| Item {
            url: l.url.clone(),
            title: l.title.clone(),
            outlet: crate::model::host_of(&l.url),
            date: now,
            summary: l.note.clone(),
            image: None,
            lang: None,
            feed: None,
        })
        .collect();
    let links = inbox.store.import(&items)?;
    inbox.cluster_now(now)?;
    Ok(ImportReport {
        format: imported.format,
        subscribed,
        links,
        links_in_file: imported.links.len(),
    })
}

/// What a fetch of every subscription came to.
#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    pub feeds: usize,
    /// Feeds that answered (with news or a 304).
    pub answered: usize,
    pub not_modified: usize,
    pub new_items: usize,
    /// Feed address and why, in one line each.
    pub failed: Vec<(String, String)>,
    /// Feeds not asked: they failed before and wait.
    pub waiting: Vec<(String, DateTime<Utc>)>,
    /// Old and new addresses of the feeds that moved for good.
    pub moved: Vec<(String, String)>,
    /// Feeds cut at the size cap.
    pub cut: Vec<String>,
}

/// Fetches every subscription and keeps what they gave; `retry` asks failing feeds too.
/// `tick` is called after each feed.
pub fn fetch_all(
    inbox: &Inbox,
    now: DateTime<Utc>,
    retry: bool,
    tick: &(dyn Fn(usize) + Sync),
) -> Result<FetchReport> {
    let subscriptions = inbox.subscriptions()?;
    if subscriptions.is_empty() {
        bail!("{} follows no feed yet; add one with `gazette inbox subscribe URL` or `gazette inbox import FILE`", super::opml::FILE);
    }
    let mut states = inbox.store.feeds()?;
    let total = subscriptions.len();
    let fetched = fetch::fetch_all(&subscriptions, &states, now, retry, &|| tick(total));
    let oldest = inbox.oldest(now);
    let mut items = inbox.store.items()?;
    let mut report = FetchReport {
        feeds: total,
        ..Default::default()
    };
    for Fetched {
        subscription,
        outcome,
        state,
        moved,
    } in fetched
    {
        let mut key = subscription.xml_url.clone();
        if let Some(to) = moved.filter(|to| *to != key) {
            report.moved.push((key.clone(), to.clone()));
            states.remove(&key);
            key = to;
        }
        states.insert(key.clone(), state);
        match outcome {
            Outcome::NotModified => {
                report.answered += 1;
                report.not_modified += 1;
            }
            Outcome::Read {
                title,
                items: new,
                cut,
            } => {
                report.answered += 1;
                if cut {
                    report.cut.push(subscription.xml_url.clone());
                }
                let outlet = title.unwrap_or(subscription.title.clone());
                // The subscription names its items' feed, whatever a redirect said.
                let feed = Some(key.clone());
                let new = new
                    .into_iter()
                    .map(|i| Item {
                        outlet: outlet.clone(),
                        feed: feed.clone(),
                        ..i
                    })
                    .collect();
                let (merged, added) = super::merge(items, new, oldest);
                items = merged;
                report.new_items += added;
            }
            Outcome::Waiting(until) => report.waiting.push((subscription.xml_url, until)),
            Outcome::Failed(why) => report.failed.push((subscription.xml_url, why)),
        }
    }
    items.retain(|_, i| i.date >= oldest);
    inbox.store.save_items(&items)?;
    inbox.store.save_feeds(&states)?;
    for (from, to) in &report.moved {
        inbox.move_subscription(from, to)?;
    }
    // Cluster now, once, so the inbox page and `gazette inbox` need not.
    inbox.cluster_now(now)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_names_its_feed_in_a_link_alternate() {
        let html = r#"<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">"#;
        assert_eq!(
            alternate_feed(html, "https://news.example/world/").as_deref(),
            Some("https://news.example/feed.xml")
        );
        assert_eq!(
            alternate_feed(
                "<link rel=alternate hreflang=ko href=/ko/>",
                "https://a.example/"
            ),
            None
        );
    }
}
