//! `gazette inbox fetch`: polls every subscription, politely. A conditional GET (a feed
//! that has not changed costs a 304), one request at a time per host and at most
//! [`HOSTS_AT_ONCE`] hosts at once, `add`'s time-outs, redirect rules and charset handling,
//! a feed cut at [`MAX_FEED_BYTES`]. A failing feed waits longer after each failure
//! ([`backoff`]) and never stops the others.

use super::feed;
use super::opml::Subscription;
use super::store::{FeedState, Item};
use crate::util::http::{self, FeedAnswer, Limits};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most bytes of one feed read.
pub const MAX_FEED_BYTES: u64 = 10 << 20;

/// How many hosts are asked at the same time.
pub const HOSTS_AT_ONCE: usize = 8;

/// What one feed's fetch came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: nothing new.
    NotModified,
    /// The feed, read.
    Read {
        title: Option<String>,
        items: Vec<Item>,
        /// Cut at [`MAX_FEED_BYTES`] (what was read still parsed).
        cut: bool,
    },
    /// Not asked: it failed before and waits until then.
    Waiting(DateTime<Utc>),
    /// Why it gave nothing, in one line.
    Failed(String),
}

/// One feed's fetch: its outcome, its state for next time, and its new address when it
/// moved permanently.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub subscription: Subscription,
    pub outcome: Outcome,
    pub state: FeedState,
    pub moved: Option<String>,
}

/// How long a feed that failed `failures` times in a row waits: 15 minutes, doubled for
/// each further failure, at most a day.
pub fn backoff(failures: u32) -> chrono::Duration {
    let minutes = 15i64 << failures.saturating_sub(1).min(7);
    chrono::Duration::minutes(minutes.min(24 * 60))
}

/// Fetches every subscription (`retry` asks failing feeds too, without waiting), calling
/// `done` after each; returns the fetches in the subscriptions' order.
pub fn fetch_all(
    subscriptions: &[Subscription],
    states: &BTreeMap<String, FeedState>,
    now: DateTime<Utc>,
    retry: bool,
    done: &(dyn Fn() + Sync),
) -> Vec<Fetched> {
    let mut hosts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in subscriptions.iter().enumerate() {
        hosts
            .entry(crate::util::url::authority(&s.xml_url).to_ascii_lowercase())
            .or_default()
            .push(i);
    }
    let hosts: Vec<Vec<usize>> = hosts.into_values().collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Fetched)>> = Mutex::new(Vec::new());
    let limits = Limits::from_env();
    std::thread::scope(|scope| {
        for _ in 0..HOSTS_AT_ONCE.min(hosts.len()) {
            scope.spawn(|| {
                while let Some(group) = hosts.get(next.fetch_add(1, Ordering::Relaxed)) {
                    for &i in group {
                        let s = &subscriptions[i];
                        let state = states.get(&s.xml_url).cloned().unwrap_or_default();
                        let fetched = fetch_one(s, state, now, retry, limits);
                        if let Ok(mut results) = results.lock() {
                            results.push((i, fetched));
                        }
                        done();
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, f)| f).collect()
}

fn fetch_one(
    s: &Subscription,
    mut state: FeedState,
    now: DateTime<Utc>,
    retry: bool,
    limits: Limits,
) -> Fetched {
    let fetched = |outcome, state, moved| Fetched {
        subscription: s.clone(),
        outcome,
        state,
        moved,
    };
    if let Some(until) = state.retry_after.filter(|t| *t > now && !retry) {
        return fetched(Outcome::Waiting(until), state, None);
    }
    match http::get_feed(&s.xml_url, limits, &state.validators, MAX_FEED_BYTES) {
        Ok(FeedAnswer::NotModified { moved }) => {
            fetched(Outcome::NotModified, succeeded(state), moved)
        }
        Ok(FeedAnswer::Body {
            page,
            validators,
            cut,
            moved,
        }) => {
            let parsed = feed::parse(
                &page.body,
                page.content_type.as_deref(),
                &page.url,
                &s.title,
                now,
            );
            match parsed {
                Ok(parsed) => {
                    state.validators = validators;
                    let outcome = Outcome::Read {
                        title: parsed.title,
                        items: parsed.items,
                        cut,
                    };
                    fetched(outcome, succeeded(state), moved)
                }
                Err(why) if cut => failed(
                    s,
                    state,
                    now,
                    format!(
                        "is larger than {} MB, and its first {} MB are no whole feed ({why})",
                        MAX_FEED_BYTES >> 20,
                        MAX_FEED_BYTES >> 20
                    ),
                ),
                Err(why) => failed(s, state, now, why),
            }
        }
        Err(failure) => failed(s, state, now, failure.to_string()),
    }
}

fn succeeded(mut state: FeedState) -> FeedState {
    state.failures = 0;
    state.retry_after = None;
    state.last_error = None;
    state
}

fn failed(s: &Subscription, mut state: FeedState, now: DateTime<Utc>, why: String) -> Fetched {
    state.failures += 1;
    state.retry_after = Some(now + backoff(state.failures));
    state.last_error = Some(why.clone());
    Fetched {
        subscription: s.clone(),
        outcome: Outcome::Failed(why),
        state,
        moved: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_doubles_the_wait_up_to_a_day() {
        let minutes: Vec<i64> = [1, 2, 3, 4, 7, 30]
            .iter()
            .map(|&n| backoff(n).num_minutes())
            .collect();
        assert_eq!(minutes, [15, 30, 60, 120, 960, 1440]);
    }
}
