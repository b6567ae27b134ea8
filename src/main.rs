//! The `gazette` binary: parses the command line, runs it, and prints any error chain once.

use clap::Parser;
use gazette::cli::Cli;

fn main() {
    let cli = Cli::parse();
    if let Err(error) = cli.run() {
        eprintln!("{}", gazette::problem::describe(&error));
        std::process::exit(1);
    }
}
