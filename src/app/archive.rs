//! `gazette archive`: an archived copy of every story the digest cites. For each cited
//! source (and, with `[archive] all_links`, each outbound link of the bodies) that has no
//! snapshot in `data/archive.yaml`, it asks the Internet Archive's availability API for
//! one near the article's date, else asks Save Page Now for a new capture, and records
//! the snapshot's address and date. Politely: one request at a time, `capture_interval_s`
//! between captures, a 429's `Retry-After` obeyed, failures retried with back-off; the
//! record is written after each snapshot, so a run killed halfway loses nothing and the
//! next one goes on where it stopped. The addresses of both APIs are settings, so tests
//! use a fake on 127.0.0.1.

use crate::config::ArchiveSettings;
use crate::source::data::{Archived, ARCHIVE_FILE};
use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// How many times a request is tried.
const TRIES: u32 = 4;

/// The longest `Retry-After` obeyed (a longer one ends the run, to be resumed later).
const LONGEST_WAIT: Duration = Duration::from_secs(600);

/// How many times a capture's status is asked before giving up on it.
const STATUS_POLLS: u32 = 30;

/// The longest a run takes: past it, the run stops (what was archived is recorded).
const RUN_LIMIT: Duration = Duration::from_secs(45 * 60);

/// The longest a draft's capture (`capture_on_add`) holds `add` up.
const ADD_LIMIT: Duration = Duration::from_secs(60);

/// The longest pause between captures `capture_interval_s` may ask for.
const LONGEST_INTERVAL: u64 = 300;

/// Addresses longer than this are not archived (nor recorded).
pub const LONGEST_URL: usize = 1000;

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Addresses that needed a snapshot.
    pub wanted: usize,
    pub found: usize,
    pub captured: usize,
    /// Address and why, one line each.
    pub failed: Vec<(String, String)>,
}

/// One address to archive, with the day its article is dated (`YYYYMMDD`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Wanted {
    pub url: String,
    pub day: String,
}

/// The addresses the site at `root` cites that have no snapshot yet, each once, with the
/// earliest day an article cites it.
pub fn wanted(root: &Path, record: &BTreeMap<String, Archived>) -> Result<Vec<Wanted>> {
    let config = crate::config::SiteConfig::load(root)?;
    let articles = crate::app::new::site_articles(root, &config)?;
    let mut days: BTreeMap<String, String> = BTreeMap::new();
    for a in &articles {
        let day = a
            .front
            .date
            .map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_default();
        let mut urls: Vec<String> = a.front.source.iter().map(|s| s.url.clone()).collect();
        if config.archive.all_links {
            urls.extend(outbound_links(&a.body));
        }
        for url in urls
            .into_iter()
            .filter(|u| crate::util::url::is_web(u) && u.len() <= LONGEST_URL)
        {
            let entry = days.entry(url).or_insert_with(|| day.clone());
            if !day.is_empty() && (entry.is_empty() || day < *entry) {
                *entry = day.clone();
            }
        }
    }
    let recorded: std::collections::HashSet<String> = record
        .iter()
        .filter(|(_, a)| a.url.is_some())
        .map(|(u, _)| crate::util::url::story_key(u))
        .collect();
    Ok(days
        .into_iter()
        .filter(|(url, _)| !recorded.contains(&crate::util::url::story_key(url)))
        .map(|(url, day)| Wanted { url, day })
        .collect())
}

/// The http(s) links of a Markdown body.
fn outbound_links(body: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(body)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .filter(|u| crate::util::url::is_web(u))
        .collect()
}

/// Reads `data/archive.yaml` (none: an empty record).
pub fn read_record(root: &Path) -> Result<BTreeMap<String, Archived>> {
    let path = root.join(ARCHIVE_FILE);
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let text = crate::util::fs::read_to_string(&path)?;
    crate::source::data::parse_archive(&text).map_err(|p| anyhow!("{p}"))
}

/// Writes `data/archive.yaml` whole (a reader or a killed run sees the old file or the new).
pub fn write_record(root: &Path, record: &BTreeMap<String, Archived>) -> Result<()> {
    let path = root.join(ARCHIVE_FILE);
    if let Some(dir) = path.parent() {
        crate::util::fs::create_dir_all(dir)?;
    }
    crate::util::fs::replace(&path, crate::source::data::write_archive(record))
}

/// Finds or asks for a snapshot of every address in `wanted`, recording each as it comes;
/// `tick` is called after each address.
pub fn archive(
    root: &Path,
    settings: &ArchiveSettings,
    wanted: &[Wanted],
    tick: &dyn Fn(),
) -> Result<Report> {
    archive_within(root, settings, wanted, tick, RUN_LIMIT)
}

fn archive_within(
    root: &Path,
    settings: &ArchiveSettings,
    wanted: &[Wanted],
    tick: &dyn Fn(),
    limit: Duration,
) -> Result<Report> {
    let client = Client::new(settings, limit)?;
    let mut report = Report {
        wanted: wanted.len(),
        ..Default::default()
    };
    let mut captured_before = false;
    for w in wanted {
        let outcome = match client.available(&w.url, &w.day) {
            Ok(Some(found)) => Ok((found, false)),
            Ok(None) => {
                if captured_before && settings.capture_interval_s > 0 {
                    client.pause(Duration::from_secs(
                        settings.capture_interval_s.min(LONGEST_INTERVAL),
                    ))?;
                }
                captured_before = true;
                client.capture(&w.url).map(|snapshot| (snapshot, true))
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(((url, date), captured)) => {
                // Read again: `check --external` may have written the file meanwhile.
                let mut record = read_record(root)?;
                let entry = record.entry(w.url.clone()).or_default();
                entry.url = Some(url);
                entry.date = Some(date);
                write_record(root, &record)?;
                match captured {
                    true => report.captured += 1,
                    false => report.found += 1,
                }
            }
            Err(e) if e.to_string().starts_with(STOP) => return Err(e),
            Err(e) => report.failed.push((w.url.clone(), format!("{e:#}"))),
        }
        tick();
    }
    Ok(report)
}

/// With `[archive] capture_on_add`, finds or asks for an archived copy of the story `url`
/// a draft cites (dated `day`, `YYYYMMDD`) and records it; says what happened in one line
/// (a failure is a warning: the draft is written either way). Without it, nothing.
pub fn on_add(root: &Path, url: &str, day: &str) -> Option<String> {
    let config = crate::config::SiteConfig::load(root).ok()?;
    if !config.archive.capture_on_add {
        return None;
    }
    let wanted = [Wanted {
        url: url.to_string(),
        day: day.to_string(),
    }];
    Some(
        match archive_within(root, &config.archive, &wanted, &|| {}, ADD_LIMIT) {
            Ok(report) if report.failed.is_empty() => {
                format!("Archived copy recorded in {ARCHIVE_FILE}")
            }
            Ok(report) => format!(
                "warning: no archived copy yet ({}); `gazette archive` tries again",
                report
                    .failed
                    .iter()
                    .map(|(_, why)| why.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Err(e) => {
                format!("warning: no archived copy yet ({e:#}); `gazette archive` tries again")
            }
        },
    )
}

/// The start of an error that ends the run (the archive asks to wait too long).
const STOP: &str = "the archive asks";

/// The archive's two APIs.
struct Client {
    agent: ureq::Agent,
    availability: String,
    save: String,
    /// `LOW accesskey:secret`, when keys are set.
    authorization: Option<String>,
    /// The scheme and host snapshots are at (`https://web.archive.org`).
    wayback: String,
    interval: Duration,
    /// When the run must stop, and how long it had.
    deadline: std::time::Instant,
    limit: Duration,
}

impl Client {
    fn new(settings: &ArchiveSettings, limit: Duration) -> Result<Client> {
        for (key, url) in [
            ("availability_api", &settings.availability_api),
            ("save_api", &settings.save_api),
        ] {
            if !crate::util::url::is_web(url) {
                bail!(
                    "site.toml: [archive] {key} = \"{}\" is not a web address",
                    crate::app::add::text::printable(url)
                );
            }
        }
        let authorization = match &settings.archive_keys_env {
            Some(name) => Some(format!(
                "LOW {}",
                crate::app::send::secret(name, "archive_keys_env")?
            )),
            None => None,
        };
        let save = settings.save_api.trim_end_matches('/').to_string();
        let rest = save.split_once("://").map_or("", |(_, r)| r);
        let scheme = save.split("://").next().unwrap_or("https");
        let host = rest.split('/').next().unwrap_or("");
        Ok(Client {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .user_agent(crate::util::http::USER_AGENT)
                .build(),
            availability: settings.availability_api.clone(),
            wayback: format!("{scheme}://{host}"),
            save,
            authorization,
            interval: Duration::from_secs(settings.capture_interval_s.min(5)),
            deadline: std::time::Instant::now() + limit,
            limit,
        })
    }

    /// Waits `wait`, unless that passes the run's time limit: then the run stops.
    fn pause(&self, wait: Duration) -> Result<()> {
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        if wait >= left {
            bail!("{STOP} more time than the run has left ({} min in all); what was archived is recorded: run `gazette archive` again later", self.limit.as_secs().div_ceil(60));
        }
        std::thread::sleep(wait);
        Ok(())
    }

    /// The snapshot closest to `day` (`YYYYMMDD`), if the archive has one.
    fn available(&self, url: &str, day: &str) -> Result<Option<(String, String)>> {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("url", url);
        if !day.is_empty() {
            query.append_pair("timestamp", day);
        }
        let address = format!("{}?{}", self.availability, query.finish());
        let answer = self.call(|| {
            self.agent
                .get(&address)
                .set("Accept", "application/json")
                .call()
                .map_err(Box::new)
        })?;
        let closest = &answer["archived_snapshots"]["closest"];
        // A snapshot of the page itself (not of an error page), at a Wayback address.
        let not_ok = closest["status"].as_str().is_some_and(|s| s != "200");
        if closest["available"] != Json::Bool(true) || not_ok {
            return Ok(None);
        }
        let (Some(snapshot), Some(stamp)) =
            (closest["url"].as_str(), closest["timestamp"].as_str())
        else {
            return Ok(None);
        };
        let wayback = snapshot.contains(&format!("/web/{stamp}/"));
        if !is_stamp(stamp) || !crate::util::url::is_web(snapshot) || !wayback {
            return Ok(None);
        }
        Ok(Some((
            snapshot.replacen("http://web.archive.org/", "https://web.archive.org/", 1),
            date_of(stamp),
        )))
    }

    /// Asks Save Page Now for a capture and waits for it: its snapshot's address and date.
    fn capture(&self, url: &str) -> Result<(String, String)> {
        let body = format!(
            "url={}",
            url::form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>()
        );
        let started = self.call(|| {
            let mut request = self
                .agent
                .post(&self.save)
                .set("Accept", "application/json")
                .set("Content-Type", "application/x-www-form-urlencoded");
            if let Some(keys) = &self.authorization {
                request = request.set("Authorization", keys);
            }
            request.send_string(&body).map_err(Box::new)
        })?;
        let Some(job) = started["job_id"].as_str().map(str::to_string) else {
            let said = started["message"]
                .as_str()
                .unwrap_or("no job_id in its answer");
            bail!(
                "Save Page Now did not take it: {}",
                crate::app::add::text::printable(said)
            );
        };
        let status_url = format!(
            "{}/status/{}",
            self.save,
            url::form_urlencoded::byte_serialize(job.as_bytes()).collect::<String>()
        );
        for _ in 0..STATUS_POLLS {
            let status = self.call(|| {
                self.agent
                    .get(&status_url)
                    .set("Accept", "application/json")
                    .call()
                    .map_err(Box::new)
            })?;
            match status["status"].as_str() {
                Some("success") => {
                    let stamp = status["timestamp"].as_str().unwrap_or_default();
                    if !is_stamp(stamp) {
                        bail!("Save Page Now answered without a timestamp; run `gazette archive` again later");
                    }
                    return Ok((
                        format!("{}/web/{stamp}/{url}", self.wayback),
                        date_of(stamp),
                    ));
                }
                Some("error") => bail!(
                    "Save Page Now could not capture it: {}",
                    crate::app::add::text::printable(
                        status["message"].as_str().unwrap_or("an error")
                    )
                ),
                _ => self.pause(self.interval.max(Duration::from_millis(200)))?,
            }
        }
        bail!("Save Page Now had not captured it after {STATUS_POLLS} looks; run `gazette archive` again later")
    }

    /// A request tried up to [`TRIES`] times: a 429 waits its `Retry-After`, a 5xx or a
    /// broken connection waits 1, 2, 4 s. The answer's JSON.
    fn call(&self, request: impl Fn() -> Result<ureq::Response, Box<ureq::Error>>) -> Result<Json> {
        let mut last = String::new();
        for attempt in 0..TRIES {
            match request().map_err(|e| *e) {
                Ok(response) => {
                    let text = response
                        .into_string()
                        .map_err(|e| anyhow!("the archive's answer could not be read: {e}"))?;
                    return serde_json::from_str(&text)
                        .map_err(|_| anyhow!("the archive answered something that is not JSON"));
                }
                Err(ureq::Error::Status(429, response)) => {
                    let wait = retry_after(response.header("Retry-After"));
                    if wait > LONGEST_WAIT {
                        bail!("{STOP} to wait {} s (HTTP 429); what was archived is recorded: run `gazette archive` again later", wait.as_secs());
                    }
                    self.pause(wait)?;
                    last = "HTTP 429 (too many requests)".into();
                }
                Err(ureq::Error::Status(code, _)) if code < 500 => {
                    bail!("the archive answered HTTP {code}")
                }
                Err(e) => {
                    last = crate::app::add::text::printable(&e.to_string());
                    if attempt + 1 < TRIES {
                        self.pause(Duration::from_secs(1 << attempt.min(3)))?;
                    }
                }
            }
        }
        bail!("the archive did not answer after {TRIES} tries ({last}); run `gazette archive` again later")
    }
}

/// How long a `Retry-After` asks to wait: seconds, or an HTTP date; 10 s when it says neither.
fn retry_after(value: Option<&str>) -> Duration {
    let value = value.unwrap_or("").trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Duration::from_secs(seconds);
    }
    match httpdate::parse_http_date(value) {
        Ok(when) => when
            .duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
        Err(_) => Duration::from_secs(10),
    }
}

/// Whether `stamp` is a Wayback timestamp: 14 digits.
fn is_stamp(stamp: &str) -> bool {
    stamp.len() == 14 && stamp.bytes().all(|b| b.is_ascii_digit())
}

/// `20180815123000` as `2018-08-15T12:30:00Z`.
fn date_of(stamp: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(stamp.get(..14).unwrap_or(stamp), "%Y%m%d%H%M%S")
        .map(|t| {
            DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| stamp.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_timestamps_and_retry_after_read_as_they_should() {
        assert_eq!(date_of("20180815123000"), "2018-08-15T12:30:00Z");
        assert_eq!(retry_after(Some("3")), Duration::from_secs(3));
        assert_eq!(retry_after(None), Duration::from_secs(10));
        assert_eq!(
            outbound_links(
                "See [a](https://a.example/x) and [b](/local/) and <https://b.example/>."
            ),
            ["https://a.example/x", "https://b.example/"]
        );
    }
}
