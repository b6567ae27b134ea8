//! Photos' published versions (their headers are read by the load stage, `super::load`,
//! and their versions planned by the model, `Digest::make`): the versions encoded in parallel into
//! `.gazette-cache/images/`, keyed by the photo's content hash and the settings, so that a
//! rebuild encodes only new photos; publishing copies them from there.

mod encode;
mod metadata;

use crate::config::SiteConfig;
use crate::model::images::{Picture, Use};
use crate::model::Digest;
use crate::problem::Problems;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where encoded versions are kept, under the site's root.
pub const CACHE_DIR: &str = ".gazette-cache/images";

/// The encoded file of `v` in the build cache.
pub fn cached(root: &Path, v: &crate::model::images::Variant) -> PathBuf {
    root.join(CACHE_DIR).join(v.file_name())
}

/// The photos with a version missing from the build cache.
pub fn missing<'d>(root: &Path, digest: &'d Digest) -> Vec<(&'d String, &'d Picture)> {
    digest
        .pictures
        .iter()
        .filter(|(_, p)| p.variants().iter().any(|v| !cached(root, v).is_file()))
        .collect()
}

/// Encodes the versions of `pictures` into the build cache, in parallel (one photo per
/// thread, so memory holds a few decoded photos at most); says how many files it wrote.
/// A photo that does not decode is a problem at its first use.
pub fn encode_all(
    root: &Path,
    config: &SiteConfig,
    uses: &BTreeMap<String, Use>,
    pictures: &[(&String, &Picture)],
) -> Result<usize> {
    if pictures.is_empty() {
        return Ok(0);
    }
    let dir = root.join(CACHE_DIR);
    crate::util::fs::create_dir_all(&dir)?;
    let content = root.join("content");
    let results: Vec<Result<usize, String>> = pictures
        .par_iter()
        .map(|(_, p)| encode::picture(&content, &dir, p, config.keep_image_metadata))
        .collect();
    let mut problems = Vec::new();
    let mut written = 0;
    for ((path, _), result) in pictures.iter().zip(results) {
        match result {
            Ok(n) => written += n,
            Err(message) => match uses.get(*path) {
                Some(used) => problems.push(crate::model::images::image_problem(used, &message)),
                None => anyhow::bail!("{path}: {message}"),
            },
        }
    }
    if problems.is_empty() {
        Ok(written)
    } else {
        problems.sort();
        Err(Problems(problems).into())
    }
}
