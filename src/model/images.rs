//! The published versions of each photo that articles use: which widths and formats, their
//! content-hashed names beside the original, and where each photo is first used (the place
//! a message about it names). No I/O: the headers come from `source::images`.

use super::Digest;
use crate::problem::Problem;
pub use crate::source::images::{Format, Probe};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The widths a photo is published in (never wider than it is).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The width of the version that `og:image` and the feeds point at.
pub const SHARE_WIDTH: u32 = 1200;
/// The longest side a WebP file may have: a version of a very tall or wide photo is made
/// smaller, in proportion, to fit.
pub const WEBP_MAX_SIDE: u32 = 16_383;
/// Changes with the encoding (filter, qualities): new names, new cache entries.
pub const ENCODING: u32 = 1;
/// `sizes` for the default theme: images are at most as wide as the page's column
/// (46rem, with 1rem margins on narrower screens).
pub const SIZES: &str = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";

/// Where an article uses a photo from `content/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    /// The article's path for messages, and the line.
    pub path: String,
    pub line: usize,
    /// The photo, relative to `content/`.
    pub rel: PathBuf,
}

/// The aspect ratios of a lead photo's crops for structured data (Google's article
/// images: 16:9, 4:3 and 1:1).
pub const CROPS: [(u32, u32); 3] = [(16, 9), (4, 3), (1, 1)];
/// Fewest pixels a crop may have (Google's minimum for an article's image).
pub const CROP_MIN_PIXELS: u64 = 50_000;

/// The part of the (upright) photo a crop keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// One published version of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Variant {
    /// The site path: `2018/08/photo.3fa2c1d09e-960.webp`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// For a crop, the part of the photo it shows (else the whole photo).
    pub crop: Option<Crop>,
}

impl Variant {
    /// The file's name, which is also its name in the build cache (it holds the hash).
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// A photo and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// Relative to `content/`.
    pub rel: PathBuf,
    /// The original's site path (published as it is only when it is animated).
    pub original: String,
    pub probe: Probe,
    /// WebP versions, narrowest first (empty for an animated image).
    pub webp: Vec<Variant>,
    /// Versions in the original's format, narrowest first (for browsers without WebP).
    pub fallback: Vec<Variant>,
    /// The version for social cards and feeds.
    pub share: Option<Variant>,
    /// For an article's lead photo: its crops for structured data, in [`CROPS`]' order
    /// (those with at least [`CROP_MIN_PIXELS`]).
    pub crops: Vec<Variant>,
}

impl Picture {
    /// Every version to encode, each once.
    pub fn variants(&self) -> Vec<&Variant> {
        let mut all: Vec<&Variant> = self
            .webp
            .iter()
            .chain(&self.fallback)
            .chain(&self.crops)
            .collect();
        if let Some(share) = &self.share {
            if !all.contains(&share) {
                all.push(share);
            }
        }
        all
    }

    /// Plans the crops of [`CROPS`] (centred, at most [`SHARE_WIDTH`] wide, in the photo's
    /// own format), for a photo that leads an article; none for an animated one.
    pub fn add_crops(&mut self) {
        let Some(share) = &self.share else { return };
        let (w, h) = (self.probe.width, self.probe.height);
        let stem = share
            .path
            .rsplit_once('-')
            .map_or(share.path.as_str(), |(s, _)| s)
            .to_string();
        self.crops = CROPS
            .iter()
            .filter_map(|&(a, b)| {
                let (cw, ch) = match u64::from(w) * u64::from(b) >= u64::from(h) * u64::from(a) {
                    true => ((u64::from(h) * u64::from(a) / u64::from(b)) as u32, h),
                    false => (w, (u64::from(w) * u64::from(b) / u64::from(a)) as u32),
                };
                let width = cw.min(SHARE_WIDTH);
                let height = (u64::from(width) * u64::from(b) / u64::from(a)) as u32;
                (u64::from(width) * u64::from(height) >= CROP_MIN_PIXELS).then(|| Variant {
                    path: format!("{stem}-{a}x{b}-{width}.{}", share.format.ext()),
                    width,
                    height,
                    format: share.format,
                    crop: Some(Crop {
                        x: (w - cw) / 2,
                        y: (h - ch) / 2,
                        width: cw,
                        height: ch,
                    }),
                })
            })
            .collect();
    }

    /// The site path of the version shared on social cards and in feeds.
    pub fn share_path(&self) -> &str {
        self.share.as_ref().map_or(&self.original, |v| &v.path)
    }
}

/// Every photo of `content/` that an article uses (front matter `image`, Markdown images),
/// by site path, with its first use (by article path, then line).
pub fn uses(digest: &Digest) -> BTreeMap<String, Use> {
    let assets: HashMap<&str, &PathBuf> = digest
        .assets
        .iter()
        .filter(|a| crate::source::images::is_raster(&a.rel))
        .map(|a| (a.out_path.as_str(), &a.rel))
        .collect();
    let mut found: BTreeMap<String, Use> = BTreeMap::new();
    for a in &digest.articles {
        let front = a.image.as_ref().map(|i| (a.image_line, i.src.as_str()));
        let body = a.body_images.iter().map(|(l, d)| (*l, d.as_str()));
        // A link to a photo (`[the photo](photo.jpg)`) leads to its widest version: the
        // original, with its metadata, is published in no case.
        let links = a
            .site_links
            .iter()
            .filter(|l| !l.2 && names_photo(&l.1))
            .map(|(l, d, _)| (*l, d.as_str()));
        for (line, dest) in front.into_iter().chain(body).chain(links) {
            let Some(path) = image_path(digest, a, dest) else {
                continue;
            };
            let Some(rel) = assets.get(path.as_str()) else {
                continue;
            };
            let used = Use {
                path: a.path.clone(),
                line,
                rel: rel.to_path_buf(),
            };
            match found.get(&path) {
                Some(first) if *first <= used => {}
                _ => {
                    found.insert(path, used);
                }
            }
        }
    }
    found
}

/// Where a link to the site path `path` leads: to the widest version in its own format of
/// a photo published in versions (with what followed the path: `?…`, `#…`), else `None`.
pub fn linked_version(digest: &Digest, path: &str) -> Option<String> {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let widest = digest.pictures.get(&path[..end])?.fallback.last()?;
    Some(format!("{}{}", widest.path, &path[end..]))
}

/// Whether a link's destination names a photo Gazette publishes in versions (by its
/// extension, before `?…`/`#…`): only such links need resolving to find photos.
pub fn names_photo(dest: &str) -> bool {
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    crate::source::images::is_raster(std::path::Path::new(path))
}

/// The site path an image destination of article `a` resolves to, without `?…`/`#…`.
pub fn image_path(digest: &Digest, a: &super::Article, dest: &str) -> Option<String> {
    let path = digest.resolve_link(&a.rel, dest).ok()??;
    let end = path.find(['?', '#']).unwrap_or(path.len());
    Some(path[..end].to_string())
}

/// The versions of the photo at site path `original`, from its header.
pub fn plan(original: &str, rel: PathBuf, probe: Probe, keep_metadata: bool) -> Picture {
    let key = crate::util::hash::fingerprint((probe.hash, ENCODING, keep_metadata));
    let stem_end = original.rfind('.').unwrap_or(original.len());
    let name = |width: u32, format: Format| Variant {
        path: format!(
            "{}.{:010x}-{width}.{}",
            &original[..stem_end],
            key >> 24,
            format.ext()
        ),
        width,
        height: scaled_height(probe, width),
        format,
        crop: None,
    };
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|&w| w < probe.width)
        .collect();
    widths.push(probe.width.min(WIDTHS[WIDTHS.len() - 1]));
    widths.dedup();
    let fallback_format = probe.format;
    let (webp, fallback, share) = if probe.animated {
        (Vec::new(), Vec::new(), None)
    } else {
        let fallback: Vec<Variant> = widths.iter().map(|&w| name(w, fallback_format)).collect();
        let webp = if fallback_format == Format::Webp {
            Vec::new()
        } else {
            let mut fitted: Vec<u32> = widths
                .iter()
                .filter_map(|&w| webp_width(probe, w))
                .collect();
            fitted.dedup();
            fitted.iter().map(|&w| name(w, Format::Webp)).collect()
        };
        let share = name(probe.width.min(SHARE_WIDTH), fallback_format);
        (webp, fallback, Some(share))
    };
    Picture {
        rel,
        original: original.to_string(),
        probe,
        webp,
        fallback,
        share,
        crops: Vec::new(),
    }
}

/// The width of the WebP version planned `width` pixels wide: narrower where its height
/// would pass WebP's longest side; none where even one pixel's width would (a photo over
/// 16,383 times as tall as it is wide is published in its own format only).
fn webp_width(probe: Probe, width: u32) -> Option<u32> {
    if scaled_height(probe, width) <= WEBP_MAX_SIDE && width <= WEBP_MAX_SIDE {
        return Some(width);
    }
    let fitted = u64::from(WEBP_MAX_SIDE) * u64::from(probe.width) / u64::from(probe.height);
    let fitted = u32::try_from(fitted).ok()?.min(width);
    (fitted >= 1 && scaled_height(probe, fitted) <= WEBP_MAX_SIDE).then_some(fitted)
}

/// The height of a version `width` pixels wide, in proportion, at least 1.
fn scaled_height(probe: Probe, width: u32) -> u32 {
    let h = (u64::from(probe.height) * u64::from(width) + u64::from(probe.width) / 2)
        / u64::from(probe.width.max(1));
    (h as u32).max(1)
}

/// Plans every photo in `uses` from its header (`probes`, in the same order); a photo that
/// could not be read is a problem at its first use.
pub fn plan_all(
    uses: &BTreeMap<String, Use>,
    probes: Vec<Result<Probe, String>>,
    keep_metadata: bool,
) -> Result<BTreeMap<String, Picture>, Vec<Problem>> {
    let mut pictures = BTreeMap::new();
    let mut problems = Vec::new();
    for ((path, used), probe) in uses.iter().zip(probes) {
        match probe {
            Ok(probe) => {
                pictures.insert(
                    path.clone(),
                    plan(path, used.rel.clone(), probe, keep_metadata),
                );
            }
            Err(message) => problems.push(image_problem(used, &message)),
        }
    }
    if problems.is_empty() {
        Ok(pictures)
    } else {
        Err(problems)
    }
}

/// A warning for each still photo that has no WebP versions because it is too tall or too
/// wide for WebP (16,383 px a side, even one pixel wide): it is published in its own
/// format only.
pub fn without_webp(
    pictures: &BTreeMap<String, Picture>,
    uses: &BTreeMap<String, Use>,
) -> Vec<Problem> {
    pictures
        .iter()
        .filter(|(_, p)| p.webp.is_empty() && !p.probe.animated && p.probe.format != Format::Webp)
        .filter_map(|(path, p)| {
            let (w, h) = (p.probe.width, p.probe.height);
            let message = format!("is {w}×{h} pixels: no WebP version can be that tall or wide (16,383 px a side), so it is published as {} only; crop it, or split it into parts, for smaller files", p.probe.format.ext().to_uppercase());
            Some(image_problem(uses.get(path)?, &message))
        })
        .collect()
}

/// `content/a.md:7: image `photo.jpg` …`: a problem with a photo where it is first used.
pub fn image_problem(used: &Use, message: &str) -> Problem {
    let name = used.rel.to_string_lossy().replace('\\', "/");
    Problem::new(
        &used.path,
        Some(used.line),
        format!("image `content/{name}` {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(width: u32, height: u32) -> Probe {
        Probe {
            hash: 7,
            format: Format::Jpeg,
            width,
            height,
            animated: false,
        }
    }

    #[test]
    fn a_photo_gets_the_widths_it_has_and_no_wider() {
        let big = plan("a/p.jpg", "a/p.jpg".into(), probe(4000, 3000), false);
        let widths: Vec<u32> = big.webp.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1600]);
        assert_eq!(
            big.share.as_ref().map(|v| (v.width, v.height)),
            Some((1200, 900))
        );
        assert!(big.webp[0].path.starts_with("a/p."));
        assert!(big.webp[0].path.ends_with("-480.webp"));
        let small = plan("p.jpg", "p.jpg".into(), probe(300, 200), false);
        let widths: Vec<u32> = small.fallback.iter().map(|v| v.width).collect();
        assert_eq!(widths, [300]);
        assert_eq!(small.variants().len(), 2);
        let mid = plan("p.jpg", "p.jpg".into(), probe(1000, 500), false);
        let widths: Vec<u32> = mid.fallback.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1000]);
        assert_eq!(mid.share.as_ref().map(|v| v.width), Some(1000));
        assert_eq!(mid.variants().len(), 6);
    }

    #[test]
    fn a_very_tall_photo_gets_webp_versions_that_fit_webps_bound() {
        let tall = plan("t.jpg", "t.jpg".into(), probe(800, 20_000), false);
        let sizes: Vec<(u32, u32)> = tall.webp.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(480, 12_000), (655, 16_375)]);
        assert!(tall.webp.iter().all(|v| v.height <= WEBP_MAX_SIDE));
        let fallback: Vec<u32> = tall.fallback.iter().map(|v| v.width).collect();
        assert_eq!(fallback, [480, 800]);
        let thread = plan("l.png", "l.png".into(), probe(1, 100_000), false);
        assert!(thread.webp.is_empty());
        assert_eq!(thread.fallback.len(), 1);
    }

    #[test]
    fn keeping_metadata_changes_the_names() {
        let a = plan("p.jpg", "p.jpg".into(), probe(800, 600), false);
        let b = plan("p.jpg", "p.jpg".into(), probe(800, 600), true);
        assert_ne!(a.webp[0].path, b.webp[0].path);
    }
}
