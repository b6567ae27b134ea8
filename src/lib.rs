//! Gazette: a static site generator for curated news digests.
//!
//! The build runs in stages that follow the data: [`config`] -> [`load`] (with
//! [`front_matter`]) -> [`digest`] (the model) -> [`markdown`] -> [`render`] -> [`write`];
//! [`build`] runs them in order; [`feed`] writes feeds and the sitemap. The commands in [`cli`] sit on top:
//! [`check`], [`serve`] and [`new`] (new and init).

pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod digest;
pub mod feed;
pub mod front_matter;
pub mod fs;
pub mod guard;
pub mod load;
pub mod markdown;
pub mod new;
pub mod newsletter;
pub mod problem;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod write;
