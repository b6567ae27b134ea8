//! `gazette ping`: tells the WebSub hub of `[feeds] websub_hub` which of the built feeds
//! changed since the last ping, so subscribed readers get new entries at once. Run after a
//! deploy (the Pages workflow does): the hub fetches each feed from the live site. What was
//! pinged is kept in `.gazette-cache/websub.tsv` (feed path, hash of its bytes).

use anyhow::{bail, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Where the hashes of the feeds last pinged are kept, relative to the site root.
pub const RECORD: &str = ".gazette-cache/websub.tsv";
/// The feed files of a build.
const FEED_FILES: [&str; 3] = ["atom.xml", "rss.xml", "feed.json"];
/// Most feeds pinged in one run (a site with a feed per topic and author has hundreds).
const MAX_PINGS: usize = 2000;

/// What a ping did.
#[derive(Debug, Default)]
pub struct Pinged {
    /// Feed addresses the hub accepted.
    pub accepted: Vec<String>,
    /// Feeds unchanged since the last ping.
    pub unchanged: usize,
    /// Address and why.
    pub failed: Vec<(String, String)>,
}

/// Pings `hub` about each feed under `output` that changed since the record at `root`
/// (with `dry_run`, only lists them); `base_url` makes their addresses.
pub fn ping(
    root: &Path,
    output: &Path,
    hub: &str,
    base_url: &str,
    dry_run: bool,
) -> Result<Pinged> {
    if !output.is_dir() {
        bail!(
            "{} does not exist; run `gazette build` first",
            output.display()
        );
    }
    let mut record = read_record(root)?;
    let feeds = feeds(output)?;
    let mut pinged = Pinged::default();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .user_agent(crate::util::http::USER_AGENT)
        .redirects(0)
        .build();
    let mut unreachable = false;
    for (rel, hash) in feeds {
        if record.get(&rel) == Some(&hash) {
            pinged.unchanged += 1;
            continue;
        }
        let url = format!("{base_url}{}", crate::util::url::encode_path(&rel));
        if pinged.accepted.len() + pinged.failed.len() >= MAX_PINGS {
            pinged.failed.push((
                url,
                format!(
                    "more than {MAX_PINGS} feeds changed; run `gazette ping` again for the rest"
                ),
            ));
            continue;
        }
        if dry_run {
            pinged.accepted.push(url);
            continue;
        }
        if unreachable {
            pinged
                .failed
                .push((url, "not tried: the hub could not be reached".into()));
            continue;
        }
        match publish(&agent, hub, &url) {
            Ok(()) => {
                record.insert(rel, hash);
                pinged.accepted.push(url);
            }
            Err((why, reached)) => {
                // A hub that cannot be reached is not tried again for every feed.
                unreachable = !reached;
                pinged.failed.push((url, why));
            }
        }
    }
    if !dry_run && !pinged.accepted.is_empty() {
        write_record(root, &record)?;
    }
    Ok(pinged)
}

/// One WebSub publish notification (`hub.mode=publish`, `hub.url`): `Ok` on a 2xx; else
/// why, and whether the hub answered at all.
fn publish(agent: &ureq::Agent, hub: &str, url: &str) -> Result<(), (String, bool)> {
    let form = [("hub.mode", "publish"), ("hub.url", url)];
    match agent.post(hub).send_form(&form) {
        Ok(response) if (200..300).contains(&response.status()) => Ok(()),
        Ok(response) => Err((format!("the hub answered HTTP {}", response.status()), true)),
        Err(ureq::Error::Status(code, _)) => Err((
            format!("the hub answered HTTP {code}; check `websub_hub` in site.toml"),
            true,
        )),
        Err(e) => Err((
            format!(
                "the hub could not be reached ({}); try again later",
                crate::app::add::text::printable(&e.to_string())
            ),
            false,
        )),
    }
}

/// Every feed file under `output` (site path, hash of its bytes), in path order.
fn feeds(output: &Path) -> Result<BTreeMap<String, String>> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(output)
        .max_depth(8)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !FEED_FILES.contains(&name.as_ref()) {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = crate::util::fs::read(entry.path())?;
        found.insert(rel, format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)));
    }
    Ok(found)
}

/// The record of the feeds last pinged (empty when there is none).
fn read_record(root: &Path) -> Result<BTreeMap<String, String>> {
    let path = root.join(RECORD);
    if !path.is_file() {
        return Ok(BTreeMap::new());
    }
    let text = crate::util::fs::read_to_string(&path)?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, h)| (p.to_string(), h.to_string()))
        .collect())
}

/// Writes the record whole (a temporary file moved into place).
fn write_record(root: &Path, record: &BTreeMap<String, String>) -> Result<()> {
    let path = root.join(RECORD);
    if let Some(parent) = path.parent() {
        crate::util::fs::create_dir_all(parent)?;
    }
    let text: String = record.iter().map(|(p, h)| format!("{p}\t{h}\n")).collect();
    crate::util::fs::replace(&path, text)
}
