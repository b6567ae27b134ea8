//! Photos' published versions: each photo's header read (in `source`) and its versions
//! planned before the Markdown is rendered; the versions encoded in parallel into
//! `.gazette-cache/images/`, keyed by the photo's content hash and the settings, so that a
//! rebuild encodes only new photos; publishing copies them from there.

mod encode;
mod metadata;

use crate::config::SiteConfig;
use crate::model::images::{Picture, Use};
use crate::model::Digest;
use crate::problem::{Problem, Problems};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where encoded versions are kept, under the site's root.
pub const CACHE_DIR: &str = ".gazette-cache/images";

/// Reads the header of every photo the digest's articles use and plans its versions into
/// `digest.pictures`; says which photos are published in their own format only. A photo
/// that is unreadable, of an unknown format or too large is a problem at its first use;
/// then nothing is written.
pub fn plan(root: &Path, config: &SiteConfig, digest: &mut Digest) -> Result<Vec<Problem>> {
    let uses = crate::model::images::uses(digest);
    let content = root.join("content");
    let probes: Vec<_> = uses
        .par_iter()
        .map(|(_, used)| crate::source::images::probe(&content.join(&used.rel)))
        .collect();
    match crate::model::images::plan_all(&uses, probes, config.keep_image_metadata) {
        Ok(pictures) => {
            let warnings = crate::model::images::without_webp(&pictures, &uses);
            digest.pictures = pictures;
            digest.picture_uses = uses;
            Ok(warnings)
        }
        Err(mut problems) => {
            problems.sort();
            Err(Problems(problems).into())
        }
    }
}

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
