//! What a build is asked to do and what it reports, the loaded site a build renders from,
//! and the timer that prints each stage's time with `GAZETTE_TIMINGS=1`.

use crate::problem::Problem;
use crate::render::{Site, Views};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holds site.toml).
    pub root: PathBuf,
    /// Where to write; default `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Include articles past their `expiry_date`.
    pub expired: bool,
    /// The time that decides which articles are in the future; default now.
    pub now: Option<DateTime<Utc>>,
    /// Previewing with `gazette serve`.
    pub serve: bool,
    /// Show a progress bar on a terminal when the build takes more than a second.
    pub progress: bool,
    /// Replace an output folder that holds files no Gazette build wrote (`--force`).
    pub force: bool,
    /// Publish nothing when there is any warning (`--strict`, for deploy workflows).
    pub strict: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            expired: false,
            now: None,
            serve: false,
            progress: false,
            force: false,
            strict: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    /// Files copied or written besides pages.
    pub files: usize,
    pub warnings: Vec<Problem>,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Pages and feeds rendered (the others were unchanged since the last build).
    pub rendered: usize,
    /// Files written because they are new or changed.
    pub changed: usize,
    /// The bytes of the whole output.
    pub bytes: u64,
    /// The articles the build left out (drafts, scheduled, expired).
    pub left_out: crate::model::LeftOutCounts,
    /// Photo versions encoded (the others were in the build cache).
    pub encoded: usize,
}

/// A loaded site and its views: everything a build renders from. `serve` keeps the last
/// one, so that a save which changes only articles' Markdown updates it in place
/// ([`take_in_markdown_edits`]) instead of loading and grouping the whole site again.
pub struct Prepared {
    /// Every language's tree, the default language's first.
    pub trees: Vec<Tree>,
}

/// One language's tree of pages: its site (config, digest, Markdown) and its views.
pub struct Tree {
    pub site: Site,
    pub views: Views,
}

impl Prepared {
    /// Every tree's warnings, the default language's first.
    pub fn warnings(&self) -> Vec<Problem> {
        self.trees
            .iter()
            .flat_map(|t| t.site.warnings.iter().cloned())
            .collect()
    }
}

/// Prints how long each stage took when `GAZETTE_TIMINGS` is set (for profiling).
pub struct Timer {
    last: std::cell::Cell<Instant>,
    on: bool,
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            last: std::cell::Cell::new(Instant::now()),
            on: std::env::var_os("GAZETTE_TIMINGS").is_some(),
        }
    }

    pub fn lap(&self, stage: &str) {
        if self.on {
            let now = Instant::now();
            // The peak memory so far, where the system tells it (Linux).
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                    Some(format!(", peak memory {} MiB", kib / 1024))
                })
                .unwrap_or_default();
            eprintln!(
                "{stage:>24}: {:7.1} ms{peak}",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}
