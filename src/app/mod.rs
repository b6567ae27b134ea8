//! What a user runs: the command line, the dev server, and `new` / `init`.

pub mod cli;
pub mod new;
pub mod serve;
