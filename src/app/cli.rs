//! The command line: one `Args` struct and one `run` per command.

use crate::app::root::site_root;
use crate::pipeline::build::{self, BuildOptions};
use crate::util::plural;
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Gazette builds a static website from a folder of Markdown news digest articles.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Check the site without writing it: front matter, duplicate URLs, internal links,
    /// images and templates; external links too with --external
    Check(CheckArgs),
    /// Preview the site at http://127.0.0.1:1111/ with drafts, rebuilding and reloading
    /// open pages on every save
    Serve(ServeArgs),
    /// Start a new article in content/YYYY/MM/YYYY-MM-DD-<slug>.md
    New(NewArgs),
    /// Fetch a news page and write a draft article citing it in content/YYYY/MM/YYYY-MM-DD-<slug>.md
    Add(AddArgs),
    /// Create a new digest site that builds at once
    Init(InitArgs),
    /// Write one edition as an email (HTML with inline CSS, and plain text) into
    /// ROOT/newsletter/ (or --output)
    Newsletter(NewsletterArgs),
    /// The stories your subscriptions bring, each once: list them, draft or skip one;
    /// subscribe, import and fetch feeds (`gazette inbox --help`)
    Inbox(crate::app::inbox::command::InboxArgs),
    /// Find or ask for an archived copy (the Internet Archive) of every story the digest
    /// cites, recorded in data/archive.yaml
    Archive(ArchiveArgs),
    /// Write the posts of a newsletter platform's export (Buttondown's emails CSV) as
    /// Markdown articles into content/ (never overwriting a file)
    Import(ImportArgs),
    /// Tell the WebSub hub of [feeds] websub_hub which feeds changed since the last ping
    /// (run after deploying; the Pages workflow does)
    Ping(PingArgs),
}

#[derive(Debug, clap::Args)]
pub struct PingArgs {
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The built site [default: public/ of the site]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The address the site is deployed at [default: base_url of site.toml]
    #[arg(long)]
    pub base_url: Option<String>,
    /// List the feeds that changed without telling the hub
    #[arg(long)]
    pub dry_run: bool,
}

impl PingArgs {
    pub fn run(self) -> Result<()> {
        let root = site_root(self.root)?;
        let config = crate::config::SiteConfig::load(&root)?;
        let Some(hub) = config.feeds.websub_hub.clone() else {
            println!("Not pinging: site.toml has no [feeds] websub_hub (a hub such as https://pubsubhubbub.appspot.com/)");
            return Ok(());
        };
        let mut base = self.base_url.unwrap_or(config.base_url.clone());
        if !base.ends_with('/') {
            base.push('/');
        }
        let output = self.output.unwrap_or_else(|| root.join("public"));
        let pinged = crate::app::ping::ping(&root, &output, &hub, &base, self.dry_run)?;
        for (url, why) in &pinged.failed {
            eprintln!("error: {url}: {why}");
        }
        let verb = if self.dry_run { "would tell" } else { "told" };
        println!(
            "Pinged {}: {verb} it of {} changed, {} unchanged since the last ping{}",
            crate::app::add::text::printable(&hub),
            plural(pinged.accepted.len(), "feed", "feeds"),
            pinged.unchanged,
            match pinged.failed.len() {
                0 => String::new(),
                n => format!(", {n} failed"),
            }
        );
        if !pinged.failed.is_empty() {
            anyhow::bail!(
                "{} of the changed feeds were not accepted; run `gazette ping` again",
                pinged.failed.len()
            );
        }
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The platform the export comes from
    #[arg(value_enum)]
    pub platform: crate::app::import::Platform,
    /// The export: Substack's .zip (or its unpacked folder), Ghost's .json, WordPress's
    /// .xml, Buttondown's emails .csv
    pub file: PathBuf,
    /// Download each post's images into the article's folder (one at a time, with
    /// `add`'s time-outs and 5 MB limit); without it they stay on the platform's servers
    #[arg(long)]
    pub images: bool,
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
}

impl ImportArgs {
    pub fn run(self) -> Result<()> {
        let root = site_root(self.root)?;
        let report = crate::app::import::import(&root, self.platform, &self.file, self.images)?;
        for (what, why) in &report.skipped {
            eprintln!("skipped {}: {why}", crate::app::add::text::printable(what));
        }
        for warning in &report.warnings {
            eprintln!("warning: {}", crate::app::add::text::printable(warning));
        }
        println!(
            "Imported {}: {} written into content/, {} skipped{}",
            self.file.display(),
            plural(report.written.len(), "article", "articles"),
            report.skipped.len(),
            match report.skipped.is_empty() {
                true => String::new(),
                false => " (see above why)".into(),
            }
        );
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// For the Pages workflow's schedule: archive only when [archive] says
    /// on_schedule = true (else say so and exit 0)
    #[arg(long)]
    pub on_schedule: bool,
}

impl ArchiveArgs {
    pub fn run(self) -> Result<()> {
        use std::io::IsTerminal;
        let root = site_root(self.root)?;
        let config = crate::config::SiteConfig::load(&root)?;
        if self.on_schedule && !config.archive.on_schedule {
            println!("Not archiving: site.toml's [archive] does not say on_schedule = true");
            return Ok(());
        }
        let record = crate::app::archive::read_record(&root)?;
        let wanted = crate::app::archive::wanted(&root, &record)?;
        if wanted.is_empty() {
            println!(
                "Every cited story has an archived copy ({} recorded in data/archive.yaml)",
                record.values().filter(|a| a.url.is_some()).count()
            );
            return Ok(());
        }
        let bar = std::io::stderr()
            .is_terminal()
            .then(|| indicatif::ProgressBar::new(wanted.len() as u64));
        let tick = || {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        };
        let report = crate::app::archive::archive(&root, &config.archive, &wanted, &tick)?;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        println!(
            "Archived {} of {}: {} found in the archive, {} captured now (data/archive.yaml)",
            report.found + report.captured,
            plural(report.wanted, "cited address", "cited addresses"),
            report.found,
            report.captured
        );
        if report.failed.is_empty() {
            return Ok(());
        }
        let failures: Vec<String> = report
            .failed
            .iter()
            .map(|(u, why)| crate::app::add::text::printable(&format!("{u}: {why}")))
            .collect();
        let line = format!(
            "{} failed: {}",
            plural(report.failed.len(), "address", "addresses"),
            failures.join("; ")
        );
        match report.found + report.captured {
            0 => anyhow::bail!("{line}"),
            _ => {
                eprintln!("{line}");
                Ok(())
            }
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["edition", "latest"])))]
pub struct NewsletterArgs {
    /// The edition: its day (2018-08-15), or its ISO week (2018-w33) for weekly editions
    pub edition: Option<String>,
    /// The latest edition
    #[arg(long, conflicts_with = "edition")]
    pub latest: bool,
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the files [default: ROOT/newsletter]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Link to the site at this address instead of site.toml's `base_url`
    /// (e.g. https://user.github.io/digest/)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Send it through what [newsletter] in site.toml names (SMTP or Buttondown), once:
    /// newsletter/sent.toml records it
    #[arg(long, conflicts_with = "output")]
    pub send: bool,
    /// Say to whom it would go, its subject and sizes, and write newsletter/<edition>.eml;
    /// send nothing
    #[arg(long, conflicts_with_all = ["send", "output"])]
    pub dry_run: bool,
    /// With --send: send an edition that was sent before
    #[arg(long, requires = "send")]
    pub again: bool,
    /// With --send: an edition already sent is no error (say so and exit 0): for
    /// workflows that run every day
    #[arg(long, requires = "send", conflicts_with = "again")]
    pub skip_sent: bool,
    /// With --send, for the Pages workflow: send only when [newsletter] says
    /// send_on_deploy = true (else say so and exit 0); implies --skip-sent
    #[arg(long, requires = "send", conflicts_with = "again")]
    pub on_deploy: bool,
    /// With --send through Buttondown with buttondown_status = "scheduled": when
    /// (2026-12-07T07:00:00+09:00)
    #[arg(long, requires = "send")]
    pub at: Option<String>,
}

impl NewsletterArgs {
    pub fn run(self) -> Result<()> {
        let which = match self.edition {
            Some(edition) if !self.latest => crate::pipeline::newsletter::Which::Named(edition),
            _ => crate::pipeline::newsletter::Which::Latest,
        };
        let root = site_root(self.root)?;
        let options = BuildOptions {
            base_url: self.base_url,
            ..BuildOptions::new(root.clone())
        };
        if self.send || self.dry_run {
            let composed = crate::pipeline::newsletter::compose(&options, &which)?;
            for warning in &composed.warnings {
                eprintln!("warning: {warning}");
            }
            let send = crate::app::send::Options {
                again: self.again,
                dry_run: self.dry_run,
                at: self.at,
            };
            if self.on_deploy && !composed.config.newsletter.send_on_deploy {
                println!(
                    "Not sending: site.toml's [newsletter] does not say send_on_deploy = true"
                );
                return Ok(());
            }
            if self.skip_sent || self.on_deploy {
                if let Some(earlier) =
                    crate::app::send::record::Record::read(&root)?.find(&composed.key)
                {
                    println!(
                        "{} was sent on {} (Message-ID {}); nothing to send",
                        composed.key, earlier.time, earlier.message_id
                    );
                    return Ok(());
                }
            }
            let sent = crate::app::send::send(&root, &composed, &send)?;
            let (message, html, text) = sent.sizes;
            let kb = |n: usize| format!("{:.1} KB", n as f64 / 1024.0);
            let verb = if self.dry_run { "Would send" } else { "Sent" };
            println!(
                "{verb} {} to {}: \"{}\" (message {}, HTML {}, text {}; Message-ID {})",
                composed.key,
                crate::app::add::text::printable(&sent.to),
                crate::app::add::text::printable(&composed.subject),
                kb(message),
                kb(html),
                kb(text),
                sent.message_id
            );
            if let Some(eml) = sent.eml {
                println!("{}", eml.display());
            }
            return Ok(());
        }
        let written = crate::pipeline::newsletter::newsletter(&options, &which, self.output)?;
        for warning in &written.warnings {
            eprintln!("warning: {warning}");
        }
        for path in written.paths {
            println!("{}", path.display());
        }
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The port to listen on (0 picks a free one)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; only this machine can connect unless you change it
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Print only the URL, warnings and errors
    #[arg(long, short)]
    pub quiet: bool,
}

impl ServeArgs {
    pub fn run(self) -> Result<()> {
        crate::app::serve::run(
            BuildOptions::new(site_root(self.root)?),
            std::net::SocketAddr::new(self.bind, self.port),
            self.quiet,
        )
    }
}

/// What `new` and `add` both take: where the article goes and what it is filed under.
#[derive(Debug, clap::Args)]
pub struct ArticleArgs {
    /// Topics, separated by commas: --topics "Diplomacy,North Korea"
    #[arg(long, value_delimiter = ',')]
    pub topics: Vec<String>,
    /// The date (2018-08-15, 2018-08-15T10:00:00+09:00, …) [default: now, in the site's time zone]
    #[arg(long)]
    pub date: Option<String>,
    /// The file name and URL slug [default: from the headline]
    #[arg(long)]
    pub slug: Option<String>,
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The headline
    pub title: String,
    /// The URL of the original story
    #[arg(long)]
    pub source: Option<String>,
    #[command(flatten)]
    pub article: ArticleArgs,
}

impl NewArgs {
    pub fn run(self) -> Result<()> {
        let mut place = self.article;
        let root = site_root(place.root.take())?;
        let article = crate::app::new::NewArticle {
            title: self.title,
            source: self.source,
            topics: place.topics,
            date: place.date,
            slug: place.slug,
        };
        let path = crate::app::new::new_article(&root, &article)?;
        println!("{}", root.join(path).display());
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The address of the news page (http:// or https://)
    pub url: String,
    /// The story it follows (`story:`), shared with the articles before it
    #[arg(long)]
    pub story: Option<String>,
    /// Add it even if an article already cites the same story
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub article: ArticleArgs,
}

impl AddArgs {
    pub fn run(self) -> Result<()> {
        let mut place = self.article;
        let root = site_root(place.root.take())?;
        let request = crate::app::add::AddRequest {
            url: self.url,
            story: self.story,
            force: self.force,
            topics: place.topics,
            date: place.date,
            slug: place.slug,
        };
        let added = crate::app::add::add(&root, &request)?;
        println!("{}", root.join(&added.rel).display());
        if let Some(said) = crate::app::archive::on_add(&root, &added.source, &added.day) {
            eprintln!("{said}");
        }
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder for the new site (created if needed)
    pub dir: PathBuf,
}

impl InitArgs {
    pub fn run(self) -> Result<()> {
        let files = crate::app::new::init(&self.dir)?;
        println!(
            "Created a digest in {} ({}). Next:",
            self.dir.display(),
            plural(files.len(), "file", "files")
        );
        println!(
            "  cd {}
  edit site.toml       # set `title`, and `base_url` to where the site will live
  gazette serve        # preview at http://127.0.0.1:1111/
  gazette new \"Title\"  # start an article (content/YYYY/MM/YYYY-MM-DD-title.md)
  git push             # on GitHub, .github/workflows/pages.yml publishes it (Settings > Pages > GitHub Actions)",
            self.dir.display()
        );
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Also fetch every external link (http and https) and report those that fail
    #[arg(long)]
    pub external: bool,
    /// Treat every warning as a problem and exit 1, exactly when `gazette build --strict`
    /// (the Pages workflow) would stop
    #[arg(long)]
    pub strict: bool,
}

impl CheckArgs {
    pub fn run(self) -> Result<()> {
        let checked =
            crate::pipeline::check::check(&BuildOptions::new(site_root(self.root)?), self.external);
        let report = match checked {
            Ok(report) => report,
            Err(e) => match e.downcast::<crate::problem::Problems>() {
                Ok(problems) => crate::pipeline::check::CheckReport {
                    problems: problems.0,
                    ..Default::default()
                },
                Err(e) => return Err(e),
            },
        };
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        for note in &report.notes {
            eprintln!("note: {note}");
        }
        if let Some(keys) = report.describe_other_tools_keys() {
            println!(
                "Front matter of other tools, left as it is (Gazette does not use it): {keys}"
            );
        }
        let warnings = report.warnings.len();
        if !report.problems.is_empty() {
            let problems = report.problems;
            return Err(crate::problem::Findings { problems, warnings }.into());
        }
        println!(
            "No problems found in {} ({} checked)",
            plural(report.articles, "article", "articles"),
            plural(report.links, "link", "links")
        );
        if let Some(left_out) = report.left_out.describe() {
            println!("Of these, {left_out}");
        }
        if warnings > 0 {
            let counted = plural(warnings, "warning", "warnings");
            let it = if warnings == 1 { "it" } else { "them" };
            if self.strict {
                anyhow::bail!("{counted}, which --strict treats as problems: the Pages workflow (build --strict) would stop on {it}");
            }
            println!("{counted}: the Pages workflow (build --strict) would stop on {it}");
        }
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder, the one that holds site.toml [default: the nearest folder, from
    /// here up, that holds one]
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Build for this base URL instead of site.toml's `base_url`
    /// (e.g. https://user.github.io/digest/)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future
    #[arg(long)]
    pub future: bool,
    /// Include articles past their `expiry_date`
    #[arg(long)]
    pub expired: bool,
    /// Print nothing but warnings and errors (no progress bar, no summary)
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace the output folder even if it holds files that no Gazette build wrote
    #[arg(long)]
    pub force: bool,
    /// Treat every warning (a broken link, a placeholder base_url…) as an error: write
    /// nothing and exit 1. For deploy workflows
    #[arg(long)]
    pub strict: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<()> {
        let options = BuildOptions {
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
            progress: !self.quiet,
            force: self.force,
            strict: self.strict,
            ..BuildOptions::new(site_root(self.root)?)
        };
        let report = build::build(&options)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if !self.quiet {
            let work = if report.unchanged {
                "nothing changed since the last build".to_string()
            } else {
                format!(
                    "{} rendered, {} changed",
                    report.rendered,
                    plural(report.changed, "file", "files")
                )
            };
            println!(
                "Built {} into {} and {} in {} ({}; {:.2} s; {work})",
                plural(report.articles, "article", "articles"),
                plural(report.pages, "page", "pages"),
                plural(report.files, "other file", "other files"),
                report.output.display(),
                crate::util::size::human(report.bytes),
                report.elapsed.as_secs_f64(),
            );
            if let Some(left_out) = report.left_out.describe() {
                println!("{left_out}");
            }
        }
        Ok(())
    }
}

impl Cli {
    pub fn run(self) -> Result<()> {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Add(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::Newsletter(args) => args.run(),
            Command::Inbox(args) => args.run(),
            Command::Archive(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::Ping(args) => args.run(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
