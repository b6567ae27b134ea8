//! The only code that writes a site's output folder: the output guard (may this folder be
//! replaced?) and the staging folder that becomes the output in one atomic swap.

pub mod guard;
pub mod owned;
pub mod staging;

pub use staging::{remove_abandoned, write_file, Staging};
