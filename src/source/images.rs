//! Photos that articles use: reading them, their content hash, and what their header says
//! (format, size after EXIF orientation, animation), refusing decompression bombs before a
//! pixel is decoded; decoding them (oriented) and reading their EXIF and XMP metadata.

use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;
use std::path::Path;

/// The most pixels an image's header may claim (100 megapixels): past it the file is a
/// decompression bomb, or a photo too large to publish, and is refused before decoding.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The raster formats Gazette resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Format {
    /// The file name extension Gazette writes.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    /// The media type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    fn of(format: image::ImageFormat) -> Option<Format> {
        match format {
            image::ImageFormat::Jpeg => Some(Format::Jpeg),
            image::ImageFormat::Png => Some(Format::Png),
            image::ImageFormat::WebP => Some(Format::Webp),
            image::ImageFormat::Gif => Some(Format::Gif),
            _ => None,
        }
    }
}

/// Whether a file in `content/` is a raster image Gazette publishes in several sizes
/// (by its name: SVG and other files are copied as they are).
pub fn is_raster(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "jpg" | "jpeg" | "png" | "webp" | "gif"
    )
}

/// What an image's header says, and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Probe {
    /// XXH3 of the file's bytes: the key of its encoded versions in the build cache.
    pub hash: u64,
    pub format: Format,
    /// The size as shown, after the EXIF orientation is applied.
    pub width: u32,
    pub height: u32,
    /// An animated GIF or WebP: published as it is.
    pub animated: bool,
}

/// Reads an image file whole (hashing or decoding it needs every byte).
pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    crate::util::fs::read(path)
}

/// Reads `path` and what its header says. The message of an error is for
/// `article:line: image `name` …`.
pub fn probe(path: &Path) -> Result<Probe, String> {
    let bytes = read(path).map_err(|e| format!("could not be read ({e:#})"))?;
    probe_bytes(&bytes)
}

/// What the header of `bytes` says; refuses unknown formats and decompression bombs
/// without decoding pixels.
pub fn probe_bytes(bytes: &[u8]) -> Result<Probe, String> {
    let known = image::guess_format(bytes).ok().and_then(Format::of);
    let Some(format) = known else {
        return Err("is not a JPEG, PNG, WebP or GIF image Gazette can read; save it in one of those formats".into());
    };
    if let Some((w, h)) = quick_dimensions(format, bytes) {
        check_bound(w, h)?;
    }
    let (decoder, (w, h), orientation) = opened(bytes, format)?;
    let (width, height) = if swaps_sides(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    drop(decoder);
    Ok(Probe {
        hash: crate::util::hash::fingerprint(bytes),
        format,
        width,
        height,
        animated: is_animated(format, bytes),
    })
}

/// A decoder, the stored width and height, and the EXIF orientation of an image.
type Opened<'a> = (
    Box<dyn ImageDecoder + 'a>,
    (u32, u32),
    image::metadata::Orientation,
);

/// A decoder for `bytes`, the stored width and height (refused past the bound) and the
/// EXIF orientation: what probing and decoding both start with.
fn opened(bytes: &[u8], format: Format) -> Result<Opened<'_>, String> {
    let mut decoder = decoder(bytes, format)?;
    let (w, h) = decoder.dimensions();
    check_bound(w, h)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    Ok((decoder, (w, h), orientation))
}

fn check_bound(w: u32, h: u32) -> Result<(), String> {
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w == 0 || h == 0 {
        return Err(format!(
            "claims {w}×{h} pixels, outside Gazette's bound of {} megapixels (a decompression bomb, or a photo too large to publish); make it smaller",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// The size a PNG or GIF header claims, read from fixed offsets (so that a bomb is refused
/// even where the decoder would not get as far as its header).
fn quick_dimensions(format: Format, b: &[u8]) -> Option<(u32, u32)> {
    let be = |i: usize| Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let le16 = |i: usize| {
        Some(u32::from(u16::from_le_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    match format {
        Format::Png if b.get(12..16) == Some(b"IHDR") => Some((be(16)?, be(20)?)),
        Format::Gif => Some((le16(6)?, le16(8)?)),
        _ => None,
    }
}

fn decoder(bytes: &[u8], format: Format) -> Result<Box<dyn ImageDecoder + '_>, String> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), to_image_format(format));
    reader.no_limits();
    let decoder = reader.into_decoder().map_err(corrupt)?;
    Ok(Box::new(decoder))
}

fn to_image_format(format: Format) -> image::ImageFormat {
    match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Webp => image::ImageFormat::WebP,
        Format::Gif => image::ImageFormat::Gif,
    }
}

fn corrupt(e: image::ImageError) -> String {
    format!("could not be decoded ({e}): the file is truncated or corrupt; export it again")
}

fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// Whether a GIF or WebP has more than one frame.
fn is_animated(format: Format, bytes: &[u8]) -> bool {
    use image::AnimationDecoder;
    match format {
        Format::Gif => image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
            .map(|d| d.into_frames().take(2).count() > 1)
            .unwrap_or(false),
        Format::Webp => image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
            .map(|d| d.has_animation())
            .unwrap_or(false),
        _ => false,
    }
}

/// An image decoded and turned upright, with the EXIF and XMP metadata of its file.
pub struct Decoded {
    pub image: DynamicImage,
    pub exif: Option<Vec<u8>>,
    pub xmp: Option<Vec<u8>>,
}

/// Decodes `bytes` (already probed) and applies its EXIF orientation; the whole file must
/// decode: a truncated one is an error, not a grey half.
pub fn decode(bytes: &[u8], format: Format) -> Result<Decoded, String> {
    let (mut decoder, _, orientation) = opened(bytes, format)?;
    let exif = decoder.exif_metadata().ok().flatten();
    let xmp = decoder.xmp_metadata().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    if format == Format::Jpeg && !has_end_marker(bytes) {
        return Err("could not be decoded (its data stops before the end of the image): the file is truncated or corrupt; export it again".into());
    }
    image.apply_orientation(orientation);
    Ok(Decoded { image, exif, xmp })
}

/// Whether a JPEG's entropy-coded data reaches an end-of-image marker (some decoders fill
/// a truncated photo with grey instead of failing). Cameras may append data after it, so
/// the marker is looked for in the last part of the file.
fn has_end_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_header_claiming_too_many_pixels_is_refused_unread() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(100_000u32.to_be_bytes());
        png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let message = probe_bytes(&png).unwrap_err();
        assert!(
            message.starts_with("claims 100000×100000 pixels"),
            "{message}"
        );
    }

    #[test]
    fn unknown_bytes_are_not_an_image() {
        let message = probe_bytes(b"hello, world").unwrap_err();
        assert!(message.starts_with("is not a JPEG, PNG"), "{message}");
    }
}
