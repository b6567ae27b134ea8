//! One photo's versions: decoded once, turned upright, resized (Lanczos, with
//! `fast_image_resize`) and encoded as lossy WebP (libwebp) and in its own format, each
//! file written into the build cache under its content-hashed name.

use super::metadata;
use crate::model::images::{Format, Picture, Variant};
use crate::util::budget::Budget;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use std::path::Path;

/// WebP and JPEG qualities: photos look the same as the original at a third of the bytes.
const WEBP_QUALITY: f32 = 78.0;
const JPEG_QUALITY: u8 = 82;

/// The memory that photos being decoded and resized in parallel may hold at once.
static DECODING: Budget = Budget::new(1024 * 1024 * 1024);

/// About what decoding and resizing a photo holds at once: its pixels as decoded (up to 8
/// bytes a pixel, for 16 bits a channel with alpha) and again upright at 8 bits.
fn estimate(p: &Picture) -> u64 {
    u64::from(p.probe.width) * u64::from(p.probe.height) * 12
}

/// Encodes every version of `p` missing from `dir`; says how many files it wrote.
pub fn picture(content: &Path, dir: &Path, p: &Picture, keep: bool) -> Result<usize, String> {
    let _held = DECODING.reserve(estimate(p));
    let bytes = crate::source::images::read(&content.join(&p.rel))
        .map_err(|e| format!("could not be read ({e:#})"))?;
    let decoded = crate::source::images::decode(&bytes, p.probe.format)?;
    drop(bytes);
    let kept = keep.then(|| metadata::Kept::new(decoded.exif, decoded.xmp));
    let image = upright_pixels(decoded.image);
    let mut todo: Vec<&Variant> = p
        .variants()
        .into_iter()
        .filter(|v| !dir.join(v.file_name()).is_file())
        .collect();
    // Widest first: the narrower versions are made from the widest one (faster, the same
    // to the eye), so one full-size photo and one version are in memory at a time.
    todo.sort_by(|a, b| b.width.cmp(&a.width).then(a.format.cmp(&b.format)));
    let mut widest: Option<DynamicImage> = None;
    let mut written = 0;
    for v in todo {
        if let Some(c) = v.crop {
            // A crop is cut from the whole photo, then resized.
            let cut = image.crop_imm(c.x, c.y, c.width, c.height);
            let resized = resize(&cut, v.width, v.height)?;
            let encoded = encode(&resized, v.format, kept.as_ref())?;
            write_atomically(&dir.join(v.file_name()), &encoded)?;
            written += 1;
            continue;
        }
        let from = widest.as_ref().unwrap_or(&image);
        let resized = resize(from, v.width, v.height)?;
        let encoded = encode(&resized, v.format, kept.as_ref())?;
        write_atomically(&dir.join(v.file_name()), &encoded)?;
        written += 1;
        if widest.is_none() {
            widest = Some(resized);
        }
    }
    Ok(written)
}

/// 8-bit RGB, or RGBA where the photo has transparency.
fn upright_pixels(image: DynamicImage) -> DynamicImage {
    if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    }
}

fn resize(from: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    if (from.width(), from.height()) == (width, height) {
        return Ok(from.clone());
    }
    let mut to = DynamicImage::new(width, height, from.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(from, &mut to, &options)
        .map_err(|e| format!("could not be resized ({e})"))?;
    Ok(to)
}

fn encode(
    image: &DynamicImage,
    format: Format,
    kept: Option<&metadata::Kept>,
) -> Result<Vec<u8>, String> {
    let failed = |e: &dyn std::fmt::Display| format!("could not be encoded as {format:?} ({e})");
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let encoder = webp::Encoder::from_image(image).map_err(|e| failed(&e))?;
            out = encoder
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| failed(&format!("{e:?}")))?
                .to_vec();
        }
        Format::Jpeg => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            image.write_with_encoder(encoder).map_err(|e| failed(&e))?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            );
            image.write_with_encoder(encoder).map_err(|e| failed(&e))?;
        }
        Format::Gif => {
            let encoder = image::codecs::gif::GifEncoder::new(&mut out);
            image
                .to_rgba8()
                .write_with_encoder(encoder)
                .map_err(|e| failed(&e))?;
        }
    }
    Ok(match kept {
        Some(kept) => kept.insert(format, out),
        None => out,
    })
}

/// Writes `path` whole or not at all (a build killed midway leaves no half file that a
/// later build would take for done).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    crate::util::fs::write(&temp, bytes)
        .and_then(|()| crate::util::fs::rename(&temp, path))
        .map_err(|e| format!("could not be saved in the build cache ({e:#})"))
}
