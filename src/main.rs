//! The `gazette` binary: parses the command line, runs it, and prints any error chain once.

use clap::Parser;
use gazette::app::cli::Cli;

/// mimalloc instead of the system allocator: page rendering makes millions of short-lived
/// strings and JSON values, and glibc's malloc and free took a quarter of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // No transparent huge pages: mimalloc asks for them, and the kernel then zeroes 2 MiB
    // at a time, far ahead of use. Without them a cold build takes about 8 % less time
    // and 15 % less memory (10,000 and 100,000 articles, bench/compare.sh and scale.sh).
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    if let Err(error) = cli.run() {
        eprintln!("{}", gazette::problem::describe(&error));
        std::process::exit(1);
    }
}
