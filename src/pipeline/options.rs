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
    /// How the output is committed, what waits for the browser's reload and what is kept
    /// between builds: [`Delivery::BUILD`], or the preview's, which `gazette serve` makes.
    pub delivery: Delivery,
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
            delivery: Delivery::BUILD,
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

/// What differs between a one-off build and `serve`'s preview, as one value the pipeline
/// receives: no stage asks whether it serves, each reads the part it needs. A build uses
/// [`Delivery::BUILD`]; `app/serve` makes the preview's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Commit by swapping the whole output folder in (a build: a reader sees the old site or
    /// the new one), not by moving each changed file into place (the preview's own folder).
    pub swap_output: bool,
    /// In a site of one language, write the search index and sitemaps, and encode new
    /// photos, after the pages are in place and the browser has been told to reload.
    pub index_after_reload: bool,
    /// Warn while `base_url` is still `init`'s placeholder (the preview has its own address).
    pub warn_placeholder: bool,
    /// Save the articles as read into `.gazette-cache/` (the preview keeps them in memory).
    pub save_articles: bool,
    /// Nobody else writes the output: a file the last build wrote is taken as it was left,
    /// without checking its size and time.
    pub trust_output: bool,
    /// Keep each article body's searchable words between builds, so a rebuild of the
    /// search index reads no article again.
    pub keep_search_words: bool,
    /// What templates see as `site.serve` (the preview's pages).
    pub previewing: bool,
}

impl Delivery {
    /// A one-off build: swapped in whole, everything written before the commit, nothing
    /// kept in memory.
    pub const BUILD: Delivery = Delivery {
        swap_output: true,
        index_after_reload: false,
        warn_placeholder: true,
        save_articles: true,
        trust_output: false,
        keep_search_words: false,
        previewing: false,
    };
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery::BUILD
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
    /// When the same input files could make a different site (an article's date or
    /// expiry passes); `None` when no time ahead changes it.
    pub valid_until: Option<DateTime<Utc>>,
    /// Nothing was read, rendered or written: the inputs and the output were as the last
    /// build left them ([`super::unchanged`]), and this is its report again.
    pub unchanged: bool,
}

/// A loaded site and its views: everything a build renders from. `serve` keeps the last
/// one, so that a save which changes only articles' Markdown updates it in place
/// ([`super::edits::take_in`]) instead of loading and grouping the whole site again.
pub struct Prepared {
    /// Every language's tree, the default language's first.
    pub trees: Vec<Tree>,
    /// Whether any article's Markdown was rendered anew (or the cache held Markdown no
    /// article used): the build cache's Markdown is saved only then.
    pub markdown_changed: bool,
    /// When the same files could make a different site.
    pub valid_until: Option<DateTime<Utc>>,
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
