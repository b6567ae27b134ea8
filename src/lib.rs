//! Gazette: a static site generator for curated news digests.
//!
//! The code is a one-way pipeline of layers, each a folder that may use only the layers
//! before it (`tests/testsuite/layers.rs` enforces it; `docs/architecture.md` explains it):
//! [`util`] → [`problem`] → [`config`] → [`markdown`] → [`source`] → [`model`] →
//! [`render`] → [`output`] → [`pipeline`] → [`app`].

pub mod util;

pub mod problem;

pub mod config;

pub mod markdown;

pub mod source;

pub mod model;

pub mod render;

pub mod output;

pub mod pipeline;

pub mod app;
