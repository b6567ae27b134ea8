//! Runs the layers in order: `build` (source → model → render → output, with timings),
//! the build cache that lets a build redo only what changed (and
//! `unchanged`, the rebuild of a site whose inputs and output are as the last build left them), `check` (with `external`,
//! its links to other sites) and `newsletter`.

pub mod build;
pub mod cache;
pub mod check;
pub mod claims;
pub mod edits;
pub mod external;
pub mod images;
pub mod links;
pub mod load;
pub mod newsletter;
pub mod options;
pub mod publish;
pub mod unchanged;
