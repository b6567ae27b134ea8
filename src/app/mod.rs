//! What a user runs: the command line, the dev server, `new` / `init`, and `add`.

pub mod add;
pub mod archive;
pub mod cli;
pub mod import;
pub mod inbox;
pub mod new;
pub mod ping;
pub mod root;
pub mod send;
pub mod serve;
