//! The `gazette` binary: parses the command line, runs it, and prints any error chain once.

use clap::Parser;
use gazette::cli::Cli;
use gazette::problem::Problems;

fn main() {
    let cli = Cli::parse();
    if let Err(error) = cli.run() {
        match error.downcast_ref::<Problems>() {
            // Problems are already `path:line: message` lines.
            Some(problems) => eprintln!("{problems}"),
            None => eprintln!("error: {error:#}"),
        }
        std::process::exit(1);
    }
}
