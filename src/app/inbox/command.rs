//! `gazette inbox`: the inbox in a terminal. Without an action it lists every story,
//! numbered, newest first; the numbers are what `draft` and `skip` take.

use super::{age, follow, Inbox};
use crate::app::add::text::printable;
use crate::util::plural;
use anyhow::Result;
use chrono::Utc;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct InboxArgs {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long, global = true)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List every story, numbered, newest first (the default)
    List,
    /// Follow a feed, or the feed a web page names (`<link rel="alternate">`)
    Subscribe { url: String },
    /// Bring in an OPML file (subscriptions), or links from a Pocket export (HTML or CSV),
    /// a Raindrop CSV, a Pinboard JSON, a browser's bookmarks or a list of URLs
    Import { file: PathBuf },
    /// Ask every subscription for what is new
    Fetch {
        /// Ask feeds that failed lately too, without waiting for their back-off
        #[arg(long)]
        retry: bool,
    },
    /// Write a draft article for story N (as `gazette add` would) and leave the inbox
    Draft {
        /// The story's number in `gazette inbox`, or its id
        story: String,
        /// Topics, separated by commas: --topics "Diplomacy,North Korea"
        #[arg(long, value_delimiter = ',')]
        topics: Vec<String>,
    },
    /// Leave story N out of the inbox for good
    Skip {
        /// The story's number in `gazette inbox`, or its id
        story: String,
    },
}

impl InboxArgs {
    pub fn run(self) -> Result<()> {
        let root = crate::app::root::site_root(self.root)?;
        let inbox = Inbox::open(&root)?;
        let now = Utc::now();
        match self.action.unwrap_or(Action::List) {
            Action::List => list(&inbox, now),
            Action::Subscribe { url } => {
                let done = follow::subscribe(&inbox, &url, now)?;
                let s = &done.subscription;
                match done.already {
                    true => println!(
                        "Already following {} ({})",
                        printable(&s.title),
                        printable(&s.xml_url)
                    ),
                    false => println!(
                        "Following {} ({}); `gazette inbox fetch` reads it",
                        printable(&s.title),
                        printable(&s.xml_url)
                    ),
                }
                Ok(())
            }
            Action::Import { file } => {
                let report = follow::import(&inbox, &file, now)?;
                println!(
                    "Imported {} from {}: {} followed, {} in the inbox ({} in the file)",
                    report.format.name(),
                    file.display(),
                    plural(report.subscribed, "new feed", "new feeds"),
                    plural(report.links, "new link", "new links"),
                    report.links_in_file
                );
                Ok(())
            }
            Action::Fetch { retry } => fetch(&inbox, now, retry),
            Action::Draft { story, topics } => {
                let story = inbox.find(&story, now)?;
                let added = inbox.draft(&story, topics)?;
                println!("{}", root.join(added.rel).display());
                Ok(())
            }
            Action::Skip { story } => {
                let story = inbox.find(&story, now)?;
                inbox.skip(&story)?;
                println!("Skipped: {}", printable(&story.title));
                Ok(())
            }
        }
    }
}

fn list(inbox: &Inbox, now: chrono::DateTime<Utc>) -> Result<()> {
    let stories = inbox.stories(now)?;
    if stories.is_empty() {
        println!("The inbox is empty; `gazette inbox fetch` asks your subscriptions for news");
        return Ok(());
    }
    for (n, story) in stories.iter().enumerate() {
        println!(
            "{:>4}. {}\n      {} · {} ago{} · {}",
            n + 1,
            printable(&story.title),
            printable(&story.outlets_line()),
            age(story.newest, now),
            story.cited.as_ref().map_or(String::new(), |c| format!(
                " · cited by {}",
                printable(&c.to_string())
            )),
            story.id
        );
    }
    // `draft N` and `skip N` mean these numbers, until the next listing.
    let ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
    inbox.store.save_listed(&ids)?;
    Ok(())
}

fn fetch(inbox: &Inbox, now: chrono::DateTime<Utc>, retry: bool) -> Result<()> {
    use std::io::IsTerminal;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("Fetching [{bar:30}] {pos}/{len} feeds")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let tick = |total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.inc(1);
        }
    };
    let report = follow::fetch_all(inbox, now, retry, &tick)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    for (from, to) in &report.moved {
        println!(
            "Moved for good: {} -> {} (inbox.opml updated)",
            printable(from),
            printable(to)
        );
    }
    for url in &report.cut {
        eprintln!(
            "warning: {} is larger than {} MB; only its first {} MB were read",
            printable(url),
            super::fetch::MAX_FEED_BYTES >> 20,
            super::fetch::MAX_FEED_BYTES >> 20
        );
    }
    println!(
        "Fetched {}: {}, {} not changed",
        plural(report.feeds, "feed", "feeds"),
        plural(report.new_items, "new item", "new items"),
        report.not_modified
    );
    if !report.waiting.is_empty() {
        println!(
            "{} after failures (`--retry` asks them now): {}",
            plural(report.waiting.len(), "feed waits", "feeds wait"),
            report
                .waiting
                .iter()
                .map(|(u, t)| format!("{} until {}", printable(u), t.format("%H:%M UTC")))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if report.failed.is_empty() {
        return Ok(());
    }
    let failures: Vec<String> = report
        .failed
        .iter()
        .map(|(u, why)| printable(&format!("{u} {why}")))
        .collect();
    let line = format!(
        "{} failed: {}",
        plural(report.failed.len(), "feed", "feeds"),
        failures.join("; ")
    );
    match report.answered {
        0 => anyhow::bail!("{line}; no feed answered"),
        _ => {
            eprintln!("{line}");
            Ok(())
        }
    }
}
