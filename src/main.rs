//! The `gazette` binary: parses the command line, runs it, and prints any error chain once.

use clap::Parser;
use gazette::cli::Cli;

/// mimalloc instead of the system allocator: page rendering makes millions of short-lived
/// strings and JSON values, and glibc's malloc and free took a quarter of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    if let Err(error) = cli.run() {
        eprintln!("{}", gazette::problem::describe(&error));
        std::process::exit(1);
    }
}
