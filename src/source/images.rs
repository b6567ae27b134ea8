//! Photos that articles use: reading them, their content hash, and what their header says
//! (format, size after EXIF orientation, animation), refusing decompression bombs before a
//! pixel is decoded; decoding them (oriented) and reading their EXIF and XMP metadata.

use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;
use std::path::Path;

/// The most pixels an image's header may claim (100 megapixels): past it the file is a
/// decompression bomb, or a photo too large to publish, and is refused before decoding.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The most memory one decoder may allocate (512 MiB: a 100-megapixel photo at 8 bits per
/// channel, with alpha, fits): a 16-bit photo past it, or a GIF frame far larger than its
/// screen, is refused instead of decoded.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// The most memory reading a header may allocate: headers are small, so a file whose
/// chunks inflate past this is a bomb.
const MAX_PROBE_BYTES: u64 = 16 * 1024 * 1024;

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
    if !is_complete(format, bytes) {
        return Err(TRUNCATED.into());
    }
    let cleaned = without_inflating_chunks(format, bytes);
    let (decoder, (w, h), orientation) = opened(&cleaned, format, MAX_PROBE_BYTES)?;
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
        animated: is_animated(format, &cleaned)?,
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
fn opened(bytes: &[u8], format: Format, max_alloc: u64) -> Result<Opened<'_>, String> {
    let mut decoder = decoder(bytes, format, max_alloc)?;
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

fn decoder(
    bytes: &[u8],
    format: Format,
    max_alloc: u64,
) -> Result<Box<dyn ImageDecoder + '_>, String> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), to_image_format(format));
    reader.limits(limits(max_alloc));
    let decoder = reader.into_decoder().map_err(corrupt)?;
    Ok(Box::new(decoder))
}

fn limits(max_alloc: u64) -> image::Limits {
    let mut limits = image::Limits::no_limits();
    limits.max_alloc = Some(max_alloc);
    limits
}

/// A PNG without its compressed side chunks (`iCCP` colour profiles, `zTXt` and
/// compressed `iTXt` text), which Gazette never uses and which can inflate a small file
/// to gigabytes; other formats, and PNGs without such chunks, are borrowed as they are.
fn without_inflating_chunks(format: Format, bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if format != Format::Png {
        return bytes.into();
    }
    let chunks = png_chunks(bytes);
    if !chunks.iter().any(|c| inflates(&bytes[c.clone()])) {
        return bytes.into();
    }
    let mut kept = bytes[..8.min(bytes.len())].to_vec();
    let mut end = 8.min(bytes.len());
    for chunk in chunks {
        if !inflates(&bytes[chunk.clone()]) {
            kept.extend_from_slice(&bytes[chunk.clone()]);
        }
        end = chunk.end;
    }
    kept.extend_from_slice(&bytes[end..]);
    kept.into()
}

/// The byte ranges of a PNG's whole chunks (length, type, data and CRC), in order, as far
/// as they are complete.
fn png_chunks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while let Some(len) = bytes.get(at..at + 4) {
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let Some(end) = at.checked_add(12).and_then(|e| e.checked_add(len)) else {
            break;
        };
        if end > bytes.len() {
            break;
        }
        chunks.push(at..end);
        at = end;
    }
    chunks
}

/// Whether a whole PNG chunk holds compressed data other than pixels.
fn inflates(chunk: &[u8]) -> bool {
    match chunk.get(4..8) {
        Some(b"iCCP") | Some(b"zTXt") => true,
        Some(b"iTXt") => {
            // keyword, NUL, then the compression flag
            let data = &chunk[8..chunk.len() - 4];
            let nul = data.iter().position(|&b| b == 0);
            nul.and_then(|i| data.get(i + 1)) == Some(&1)
        }
        _ => false,
    }
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
    // (The GIF reader says so in its own words.)
    let gif_limit =
        matches!(&e, image::ImageError::Decoding(d) if d.to_string().contains("Memory limit"));
    match e {
        _ if gif_limit => corrupt(image::ImageError::Limits(image::error::LimitError::from_kind(
            image::error::LimitErrorKind::InsufficientMemory,
        ))),
        image::ImageError::Limits(_) => format!(
            "needs more memory to decode than Gazette allows ({} MB): it is a decompression bomb, or too large; save it at 8 bits per channel and at most {} megapixels",
            MAX_DECODE_BYTES / 1024 / 1024,
            MAX_PIXELS / 1_000_000
        ),
        _ => "could not be decoded: the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG".into(),
    }
}

fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// Whether a GIF or WebP has more than one frame. A GIF's first frames are decoded
/// within the decoding bound (a frame may claim to be larger than the GIF's screen), and
/// one past it is refused.
fn is_animated(format: Format, bytes: &[u8]) -> Result<bool, String> {
    use image::AnimationDecoder;
    match format {
        Format::Gif => {
            let Ok(mut decoder) = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)) else {
                return Ok(false);
            };
            decoder
                .set_limits(limits(MAX_DECODE_BYTES))
                .map_err(corrupt)?;
            let mut frames = decoder.into_frames().take(2);
            let mut count = 0;
            for frame in frames.by_ref() {
                match frame {
                    Ok(_) => count += 1,
                    Err(e @ image::ImageError::Limits(_)) => return Err(corrupt(e)),
                    Err(_) => break,
                }
            }
            Ok(count > 1)
        }
        Format::Webp => Ok(image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
            .map(|d| d.has_animation())
            .unwrap_or(false)),
        _ => Ok(false),
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
    let cleaned = without_inflating_chunks(format, bytes);
    let (mut decoder, _, orientation) = opened(&cleaned, format, MAX_DECODE_BYTES)?;
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(corrupt(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::InsufficientMemory),
        )));
    }
    let exif = decoder.exif_metadata().ok().flatten();
    let xmp = decoder.xmp_metadata().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    if format == Format::Jpeg && !has_end_marker(bytes) {
        return Err(TRUNCATED.into());
    }
    image.apply_orientation(orientation);
    Ok(Decoded { image, exif, xmp })
}

/// What is said of a file whose data stops before the end of the image.
const TRUNCATED: &str = "could not be decoded: its data stops before the end of the image, so the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG";

/// Whether the file reaches its format's end (JPEG's end-of-image marker, PNG's `IEND`
/// chunk, the length a WebP's RIFF header gives; data appended after the end is allowed):
/// a cheap look that finds a truncated file when its header is read, in `check` as in a
/// build. (GIFs are decoded leniently, as browsers do.)
fn is_complete(format: Format, bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    match format {
        Format::Jpeg => has_end_marker(bytes),
        Format::Png => tail.windows(4).any(|w| w == b"IEND"),
        Format::Gif => true,
        Format::Webp => bytes
            .get(4..8)
            .map(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize)
            .is_some_and(|n| n.saturating_add(8) <= bytes.len()),
    }
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
