//! The command line: one `Args` struct and one `run` per command.

use crate::build::{self, BuildOptions};
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
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder, the one that holds site.toml
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also fetch every external link (http and https) and report those that fail
    #[arg(long)]
    pub external: bool,
}

impl CheckArgs {
    pub fn run(self) -> Result<()> {
        let report = crate::check::check(&BuildOptions::new(self.root), self.external)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if !report.problems.is_empty() {
            return Err(crate::problem::Problems(report.problems).into());
        }
        println!(
            "No problems found in {} articles ({} links checked)",
            report.articles, report.links
        );
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder, the one that holds site.toml
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
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
    /// Print nothing but warnings and errors
    #[arg(long, short)]
    pub quiet: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<()> {
        let options = BuildOptions {
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            future: self.future,
            ..BuildOptions::new(self.root)
        };
        let report = build::build(&options)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if !self.quiet {
            println!(
                "Built {} articles into {} pages and {} other files in {} ({:.2} s)",
                report.articles,
                report.pages,
                report.files,
                report.output.display(),
                report.elapsed.as_secs_f64()
            );
        }
        Ok(())
    }
}

impl Cli {
    pub fn run(self) -> Result<()> {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
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
