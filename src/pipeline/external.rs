//! `check --external`: every external link fetched (HEAD, or GET where a server refuses
//! HEAD) through [`crate::util::http`], several hosts at once but one request at a time
//! to each host, so no site is hammered. What was found is remembered in
//! `.gazette-cache/external` and asked again after a week; time-outs and unreachable hosts
//! are not remembered (they are often passing). Reported, as `path:line`: 404 and 410,
//! 5xx, time-outs, redirect loops and redirects to a site's front page (a page that has
//! gone, as many sites answer). Other refusals (401, 403, 429: walls for robots) are not.

use crate::problem::Problem;
use crate::util::http::{self, Failure, Limits};
use crate::util::url::{authority, is_front_page};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A link of an article: its file, line and address.
pub type Link = (String, usize, String);

/// How many hosts are asked at once.
const HOSTS_AT_ONCE: usize = 8;

/// How long an answer is remembered, in seconds.
const WEEK: i64 = 7 * 24 * 60 * 60;

const VERSION: &str = "gazette-external 1";

/// What one address gave: `None` when it is fine, else the problem, and whether the
/// answer is worth remembering.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Verdict {
    problem: Option<String>,
    remembered: bool,
}

/// Whether what asking an address found means its page is gone (404, 410, a redirect to
/// its site's front page, a name that no longer resolves): `Some(true)`; answering:
/// `Some(false)`; neither (a failing site, a time-out, a wall for robots): `None`.
fn gone(problem: Option<&str>) -> Option<bool> {
    let Some(problem) = problem else {
        return Some(false);
    };
    let lower = problem.to_ascii_lowercase();
    let gone = problem.starts_with("answered HTTP 404")
        || problem.starts_with("answered HTTP 410")
        || problem.starts_with("redirects to the site's front page")
        || (problem.starts_with("could not be reached")
            && [
                "dns",
                "resolve",
                "failed to lookup",
                "name or service not known",
                "no such host",
                "nodename nor servname",
            ]
            .iter()
            .any(|w| lower.contains(w)));
    gone.then_some(true)
}

/// Checks every link (each address once) and returns the problems, by file and line, and
/// for each address whose fate is known, whether its page is gone ([`gone`]).
pub fn check_external(
    root: &Path,
    links: &[Link],
    now: DateTime<Utc>,
) -> (Vec<Problem>, HashMap<String, bool>) {
    let cache_file = root.join(".gazette-cache").join("external");
    let mut known = read_cache(&cache_file, now);
    let mut by_host: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (_, _, url) in links {
        let hosts = by_host.entry(authority(url)).or_default();
        if !known.contains_key(url.as_str()) && !hosts.contains(&url.as_str()) {
            hosts.push(url);
        }
    }
    let fresh = ask_hosts(
        by_host
            .into_values()
            .filter(|urls| !urls.is_empty())
            .collect(),
    );
    let stamp = now.timestamp();
    for (url, verdict) in fresh {
        known.insert(url.to_string(), (stamp, verdict));
    }
    write_cache(&cache_file, &known);
    let states = links
        .iter()
        .filter_map(|(_, _, url)| {
            let (_, verdict) = known.get(url.as_str())?;
            Some((url.clone(), gone(verdict.problem.as_deref())?))
        })
        .collect();
    let problems = links
        .iter()
        .filter_map(|(path, line, url)| {
            let problem = known.get(url)?.1.problem.as_ref()?;
            Some(Problem::new(
                path,
                Some(*line),
                format!("external link `{url}` {problem}"),
            ))
        })
        .collect();
    (problems, states)
}

/// Asks each host's addresses in turn, [`HOSTS_AT_ONCE`] hosts side by side.
fn ask_hosts<'a>(hosts: Vec<Vec<&'a str>>) -> Vec<(&'a str, Verdict)> {
    let limits = Limits::from_env();
    let ask = |urls: &Vec<&'a str>| -> Vec<(&'a str, Verdict)> {
        urls.iter()
            .map(|url| (*url, verdict(url, limits)))
            .collect()
    };
    // Threads of their own: the requests wait on the network, not on the processor.
    match rayon::ThreadPoolBuilder::new()
        .num_threads(HOSTS_AT_ONCE)
        .build()
    {
        Ok(pool) => pool.install(|| hosts.par_iter().flat_map_iter(ask).collect()),
        Err(_) => hosts.iter().flat_map(ask).collect(),
    }
}

/// What asking for `url` says of it.
fn verdict(url: &str, limits: Limits) -> Verdict {
    let (problem, remembered) = match http::probe(url, limits) {
        Ok(probe) if probe.redirects > 0 && is_front_page(&probe.url) && !is_front_page(url) => (
            Some(format!("redirects to the site's front page ({}); the page has moved or gone: link to its new address or to an archived copy", probe.url)),
            true,
        ),
        Ok(_) => (None, true),
        Err(Failure::Status(code @ (404 | 410), _)) => (
            Some(format!("answered HTTP {code}; the page has gone: link to its new address or to an archived copy")),
            true,
        ),
        Err(Failure::Status(code @ 500.., _)) => (
            Some(format!("answered HTTP {code}; the site is failing: check the link again later")),
            true,
        ),
        Err(Failure::Status(..)) => (None, true),
        Err(failure @ (Failure::TimedOut(_) | Failure::Unreachable(_))) => {
            (Some(failure.to_string()), false)
        }
        Err(failure) => (Some(failure.to_string()), true),
    };
    Verdict {
        problem,
        remembered,
    }
}

/// The answers remembered, of the last week, by address (with the time they were found).
fn read_cache(file: &Path, now: DateTime<Utc>) -> HashMap<String, (i64, Verdict)> {
    let Ok(text) = crate::util::fs::read_to_string(file) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(VERSION) {
        return HashMap::new();
    }
    lines
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let stamp: i64 = fields.next()?.parse().ok()?;
            let url = fields.next()?.to_string();
            let problem = Some(fields.next()?.to_string()).filter(|p| !p.is_empty());
            let verdict = Verdict {
                problem,
                remembered: true,
            };
            (now.timestamp().saturating_sub(stamp) < WEEK).then_some((url, (stamp, verdict)))
        })
        .collect()
}

/// Remembers the answers worth remembering; failing to only costs time later.
fn write_cache(file: &Path, known: &HashMap<String, (i64, Verdict)>) {
    let mut entries: Vec<_> = known
        .iter()
        .filter(|(url, (_, v))| v.remembered && !url.contains(['\t', '\n', '\r']))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let Some(dir) = file.parent() else {
        return;
    };
    if crate::util::fs::create_dir_all(dir).is_err() {
        return;
    }
    let _ = super::cache::write_atomically(file, |w| {
        use std::io::Write;
        writeln!(w, "{VERSION}")?;
        for (url, (stamp, verdict)) in entries {
            let problem = verdict.problem.as_deref().unwrap_or("");
            writeln!(w, "{stamp}\t{url}\t{}", problem.replace(['\n', '\r'], " "))?;
        }
        Ok(())
    });
}
