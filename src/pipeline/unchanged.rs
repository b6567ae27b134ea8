//! The rebuild of an unchanged site: when every input file has the size and times it had
//! at the last build ([`crate::source::stamps`]), the options and Gazette itself are the
//! same, no article's date, expiry or news window has passed since, and every file of the
//! output is as that build left it, `build` makes the same site again: it reports the last
//! build (its warnings included) and touches nothing. The record is
//! `.gazette-cache/unchanged`; any doubt means a real build.

use super::options::{BuildOptions, BuildReport};
use crate::problem::Problem;
use crate::util::hash::Fingerprint;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::{Instant, SystemTime};

const VERSION: &str = concat!("gazette-unchanged 2 ", env!("CARGO_PKG_VERSION"));

/// The time after which a file's change makes its stamp untrusted, for a build starting
/// now ([`crate::source::stamps::SETTLED`] before now).
pub fn settled_before() -> SystemTime {
    SystemTime::now() - crate::source::stamps::SETTLED
}

/// What a build is made from, as one number: the stamp of the site's inputs, the
/// options (but the clock and the progress bar) and Gazette's own program. `None` when
/// an input changed after `settled` (it may change again unseen while the build reads
/// it), or a stamp is unreadable.
pub fn key(options: &BuildOptions, settled: SystemTime) -> Option<u64> {
    let inputs = crate::source::stamps::inputs(&options.root, settled)?;
    let program = std::env::current_exe().ok()?;
    let program = std::fs::metadata(program).ok()?;
    let asked = BuildOptions {
        now: None,
        progress: false,
        ..options.clone()
    };
    let mut key = Fingerprint::new();
    key.add(VERSION)
        .add(inputs)
        .add(format!("{asked:?}"))
        .add(program.len())
        .add(program.modified().ok());
    Some(key.finish())
}

/// What the last build recorded: its key, the time it built for, a hash of the cache's
/// record of its output (`pages`, which a later build of other options would change), and
/// its report, with until when the same files make the same site (the site is the same at
/// every time from `built_at` to then).
pub struct Record {
    key: u64,
    built_at: DateTime<Utc>,
    pages: u64,
    report: BuildReport,
}

fn path(root: &Path) -> std::path::PathBuf {
    root.join(".gazette-cache").join("unchanged")
}

/// The last build's report again, if it is what a build of `options` would make now:
/// same key, its site still valid at the build's time, its output as it left it. The
/// output is checked as a build checks it first (an error is the build's own).
pub fn reuse(
    options: &BuildOptions,
    record: Record,
    key: Option<u64>,
    started: Instant,
) -> anyhow::Result<Option<BuildReport>> {
    let Some(key) = key else { return Ok(None) };
    let now = options.now.unwrap_or_else(Utc::now);
    // A clock set back (or a build asked for an earlier time) may see another site.
    let in_time = record.built_at <= now && record.report.valid_until.is_none_or(|t| now < t);
    if record.key != key || !in_time {
        return Ok(None);
    }
    let Some((cache, pages)) = super::cache::BuildCache::load_written(&options.root) else {
        return Ok(None);
    };
    if pages != record.pages {
        return Ok(None);
    }
    let output = super::build::guarded(options, &cache)?.output_dir();
    if !cache.output_as_left(&output) {
        return Ok(None);
    }
    Ok(Some(BuildReport {
        output,
        elapsed: started.elapsed(),
        unchanged: true,
        ..record.report
    }))
}

/// Forgets the record (before a build changes the output it describes).
pub fn forget(root: &Path) {
    let _ = crate::util::fs::remove_file(&path(root));
}

/// Records a finished build of `options` made from `key`, after the cache is saved
/// (failing to only costs the next build time).
pub fn record(options: &BuildOptions, key: u64, report: &BuildReport) {
    let root = &options.root;
    let Some((_, pages)) = super::cache::BuildCache::load_written(root) else {
        return;
    };
    let built_at = options.now.unwrap_or_else(Utc::now);
    let warnings: Vec<(&str, Option<usize>, &str)> = report
        .warnings
        .iter()
        .map(|p| (p.path.as_str(), p.line, p.message.as_str()))
        .collect();
    let l = &report.left_out;
    let _ = super::cache::write_atomically(&path(root), |w| {
        use std::io::Write;
        writeln!(w, "{VERSION}")?;
        writeln!(w, "{key:x} {pages:x} {}", built_at.to_rfc3339())?;
        match report.valid_until {
            Some(t) => writeln!(w, "{}", t.to_rfc3339())?,
            None => writeln!(w, "-")?,
        }
        let counts = [report.articles, report.pages, report.files];
        let left = [l.drafts, l.scheduled, l.expired];
        writeln!(
            w,
            "{}",
            serde_json::to_string(&(counts, left, report.bytes))?
        )?;
        writeln!(w, "{}", serde_json::to_string(&warnings)?)
    });
}

/// What the last build of the site at `root` recorded, if it did.
pub fn recorded(root: &Path) -> Option<Record> {
    let text = crate::util::fs::read_to_string(&path(root)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != VERSION {
        return None;
    }
    let mut first = lines.next()?.split(' ');
    let key = u64::from_str_radix(first.next()?, 16).ok()?;
    let pages = u64::from_str_radix(first.next()?, 16).ok()?;
    let built_at = DateTime::parse_from_rfc3339(first.next()?)
        .ok()?
        .with_timezone(&Utc);
    let valid_until = match lines.next()? {
        "-" => None,
        t => Some(DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc)),
    };
    let (counts, left, bytes): ([usize; 3], [usize; 3], u64) =
        serde_json::from_str(lines.next()?).ok()?;
    let warnings: Vec<(String, Option<usize>, String)> =
        serde_json::from_str(lines.next()?).ok()?;
    let report = BuildReport {
        articles: counts[0],
        pages: counts[1],
        files: counts[2],
        warnings: warnings
            .into_iter()
            .map(|(path, line, message)| Problem::new(path, line, message))
            .collect(),
        output: Default::default(),
        elapsed: Default::default(),
        rendered: 0,
        changed: 0,
        bytes,
        left_out: crate::model::LeftOutCounts {
            drafts: left[0],
            scheduled: left[1],
            expired: left[2],
        },
        encoded: 0,
        valid_until,
        unchanged: true,
    };
    Some(Record {
        key,
        built_at,
        pages,
        report,
    })
}
