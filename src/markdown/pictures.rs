//! Photos in Markdown: the `<picture>` (WebP and own-format `srcset`, `sizes`, width and
//! height) that a published photo becomes.

use super::*;

/// An image published in several widths and formats, as `<picture>` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Picture {
    /// `<source>` elements, the preferred format first: media type and `srcset`.
    pub sources: Vec<PictureSource>,
    /// The `<img>`: its `src`, `srcset` and `sizes` (in the original's format).
    pub src: String,
    pub srcset: String,
    pub sizes: String,
    /// The size as shown (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// `loading="lazy"`: every image but the lead one.
    pub lazy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PictureSource {
    #[serde(rename = "type")]
    pub mime: String,
    pub srcset: String,
}

/// The `<picture>` element of a published image.
pub fn picture_html(p: &Picture, alt: &str, title: &str) -> String {
    if p.sources.is_empty() && p.srcset.is_empty() {
        // One file (an animated image, or a feed's copy): a plain `<img>`.
        return picture_img(p, alt, title);
    }
    let mut html = String::from("<picture>");
    for s in &p.sources {
        html.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}\" sizes=\"{}\">",
            escape(&s.mime),
            escape(&s.srcset),
            escape(&p.sizes)
        ));
    }
    html.push_str(&picture_img(p, alt, title));
    html.push_str("</picture>");
    html
}

pub(super) fn picture_img(p: &Picture, alt: &str, title: &str) -> String {
    let mut html = format!("<img src=\"{}\"", escape(&p.src));
    if !p.srcset.is_empty() {
        html.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            escape(&p.srcset),
            escape(&p.sizes)
        ));
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"{}\"",
        p.width,
        p.height,
        escape(alt)
    ));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    if p.lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\">");
    html
}
