//! Photos as pages and feeds show them: the `<picture>` of a photo's published versions
//! (`srcset`, `sizes`, its size as shown, lazy loading), and the one version feeds carry.

use crate::config::SiteConfig;
use crate::markdown::{Picture, PictureSource};
use crate::model::images::{Picture as Published, Variant, SIZES};
use crate::model::{Article, Digest};

/// The published versions of image `dest` of article `a`, when it is a photo of `content/`.
pub fn published<'d>(digest: &'d Digest, a: &Article, dest: &str) -> Option<&'d Published> {
    let path = crate::model::images::image_path(digest, a, dest)?;
    digest.pictures.get(&path)
}

/// The `<picture>` of a photo on a page.
pub fn markup(c: &SiteConfig, p: &Published, lazy: bool) -> Picture {
    let sources = if p.webp.is_empty() {
        Vec::new()
    } else {
        vec![PictureSource {
            mime: "image/webp".into(),
            srcset: srcset(c, &p.webp),
        }]
    };
    // The `src` of browsers that read no `srcset`: a middling width.
    let src = p
        .fallback
        .iter()
        .rev()
        .find(|v| v.width <= 960)
        .or(p.fallback.first())
        .map_or_else(|| c.root_url(&p.original), |v| c.root_url(&v.path));
    Picture {
        sources,
        src,
        srcset: srcset(c, &p.fallback),
        sizes: if p.fallback.is_empty() {
            String::new()
        } else {
            SIZES.into()
        },
        width: p.probe.width,
        height: p.probe.height,
        lazy,
    }
}

/// A photo in a feed entry: one `<img>` of the shared version (feed readers ignore
/// `<source>` and `srcset`).
pub fn feed_markup(c: &SiteConfig, p: &Published) -> Picture {
    let (width, height) = p
        .share
        .as_ref()
        .map_or((p.probe.width, p.probe.height), |v| (v.width, v.height));
    Picture {
        sources: Vec::new(),
        src: c.root_url(p.share_path()),
        srcset: String::new(),
        sizes: String::new(),
        width,
        height,
        lazy: false,
    }
}

fn srcset(c: &SiteConfig, variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", c.root_url(&v.path), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}
