//! With `keep_image_metadata = true`: a photo's EXIF and XMP put back into its encoded
//! versions (the encoders write none), in each format's own place: APP1 segments in JPEG,
//! `eXIf` and `iTXt` chunks in PNG, `EXIF` and `XMP ` chunks in an extended WebP. The
//! EXIF orientation is set to 1, as the pixels are already upright. GIF has no place for
//! them.

use crate::model::images::Format;

/// The metadata kept from a photo.
pub struct Kept {
    exif: Option<Vec<u8>>,
    xmp: Option<Vec<u8>>,
}

impl Kept {
    pub fn new(exif: Option<Vec<u8>>, xmp: Option<Vec<u8>>) -> Kept {
        let exif = exif.map(|e| {
            let mut e = e
                .strip_prefix(b"Exif\0\0")
                .map_or(e.clone(), <[u8]>::to_vec);
            set_upright(&mut e);
            e
        });
        Kept { exif, xmp }
    }

    /// `encoded` with the metadata in it.
    pub fn insert(&self, format: Format, encoded: Vec<u8>) -> Vec<u8> {
        if self.exif.is_none() && self.xmp.is_none() {
            return encoded;
        }
        match format {
            Format::Jpeg => self.put_in_jpeg(encoded),
            Format::Png => self.put_in_png(encoded),
            Format::Webp => self.put_in_webp(encoded),
            Format::Gif => encoded,
        }
    }

    fn put_in_jpeg(&self, encoded: Vec<u8>) -> Vec<u8> {
        if !encoded.starts_with(&[0xFF, 0xD8]) {
            return encoded;
        }
        let mut out = encoded[..2].to_vec();
        let segments = [
            self.exif.as_ref().map(|e| (&b"Exif\0\0"[..], e)),
            self.xmp
                .as_ref()
                .map(|x| (&b"http://ns.adobe.com/xap/1.0/\0"[..], x)),
        ];
        for (header, data) in segments.into_iter().flatten() {
            let len = 2 + header.len() + data.len();
            // A segment holds at most 64 KiB; larger metadata is left out.
            if len <= 0xFFFF {
                out.extend([0xFF, 0xE1]);
                out.extend((len as u16).to_be_bytes());
                out.extend(header);
                out.extend(data);
            }
        }
        out.extend(&encoded[2..]);
        out
    }

    fn put_in_png(&self, encoded: Vec<u8>) -> Vec<u8> {
        // The signature and IHDR take the first 33 bytes; metadata goes right after.
        const AFTER_IHDR: usize = 33;
        if encoded.len() < AFTER_IHDR || encoded.get(12..16) != Some(b"IHDR") {
            return encoded;
        }
        let mut out = encoded[..AFTER_IHDR].to_vec();
        if let Some(exif) = &self.exif {
            png_chunk(&mut out, b"eXIf", exif);
        }
        if let Some(xmp) = &self.xmp {
            let mut text = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
            text.extend(xmp);
            png_chunk(&mut out, b"iTXt", &text);
        }
        out.extend(&encoded[AFTER_IHDR..]);
        out
    }

    fn put_in_webp(&self, encoded: Vec<u8>) -> Vec<u8> {
        let Some(chunks) = webp_chunks(&encoded) else {
            return encoded;
        };
        let mut body = b"WEBP".to_vec();
        let mut flags = 0u8;
        if self.exif.is_some() {
            flags |= 0x08;
        }
        if self.xmp.is_some() {
            flags |= 0x04;
        }
        let vp8x = match chunks.first() {
            Some((b"VP8X", data)) if data.len() >= 10 => {
                let mut data = data.to_vec();
                data[0] |= flags;
                data
            }
            _ => {
                let (w, h) = webp_size(&chunks);
                let mut data = vec![flags, 0, 0, 0];
                data.extend(&(w.saturating_sub(1)).to_le_bytes()[..3]);
                data.extend(&(h.saturating_sub(1)).to_le_bytes()[..3]);
                data
            }
        };
        riff_chunk(&mut body, b"VP8X", &vp8x);
        for (name, data) in chunks.iter().filter(|(n, _)| *n != b"VP8X") {
            riff_chunk(&mut body, name, data);
        }
        if let Some(exif) = &self.exif {
            riff_chunk(&mut body, b"EXIF", exif);
        }
        if let Some(xmp) = &self.xmp {
            riff_chunk(&mut body, b"XMP ", xmp);
        }
        let mut out = b"RIFF".to_vec();
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }
}

fn png_chunk(out: &mut Vec<u8>, name: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(name);
    out.extend(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend(crc.to_be_bytes());
}

fn riff_chunk(out: &mut Vec<u8>, name: &[u8; 4], data: &[u8]) {
    out.extend(name);
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

type Chunk<'a> = (&'a [u8; 4], &'a [u8]);

/// The chunks of a WebP file, or `None` if it is not one.
fn webp_chunks(b: &[u8]) -> Option<Vec<Chunk<'_>>> {
    if b.get(0..4)? != b"RIFF" || b.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= b.len() {
        let name: &[u8; 4] = b[at..at + 4].try_into().ok()?;
        let len = u32::from_le_bytes(b[at + 4..at + 8].try_into().ok()?) as usize;
        let data = b.get(at + 8..at + 8 + len)?;
        chunks.push((name, data));
        at += 8 + len + len % 2;
    }
    Some(chunks)
}

/// The size of a simple (VP8 or VP8L) WebP image.
fn webp_size(chunks: &[Chunk]) -> (u32, u32) {
    for (name, d) in chunks {
        match (*name, d.len()) {
            (b"VP8 ", n) if n >= 10 => {
                let w = u32::from(u16::from_le_bytes([d[6], d[7]]) & 0x3FFF);
                let h = u32::from(u16::from_le_bytes([d[8], d[9]]) & 0x3FFF);
                return (w, h);
            }
            (b"VP8L", n) if n >= 5 => {
                let bits = u32::from_le_bytes([d[1], d[2], d[3], d[4]]);
                return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
            }
            _ => {}
        }
    }
    (1, 1)
}

/// Sets the orientation tag (0x0112) of IFD0 of a TIFF-structured EXIF block to 1.
fn set_upright(tiff: &mut [u8]) {
    let big = match tiff.get(0..2) {
        Some(b"MM") => true,
        Some(b"II") => false,
        _ => return,
    };
    let u16_at = |t: &[u8], i: usize| -> Option<u16> {
        let b: [u8; 2] = t.get(i..i + 2)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |t: &[u8], i: usize| -> Option<u32> {
        let b: [u8; 4] = t.get(i..i + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let Some(ifd) = u32_at(tiff, 4).map(|o| o as usize) else {
        return;
    };
    let Some(count) = u16_at(tiff, ifd) else {
        return;
    };
    for n in 0..usize::from(count) {
        let entry = ifd + 2 + n * 12;
        if u16_at(tiff, entry) == Some(0x0112) && u16_at(tiff, entry + 2) == Some(3) {
            let one = if big {
                1u16.to_be_bytes()
            } else {
                1u16.to_le_bytes()
            };
            if let Some(value) = tiff.get_mut(entry + 8..entry + 10) {
                value.copy_from_slice(&one);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orientation_tag_becomes_upright() {
        // Little-endian TIFF, IFD0 at 8 with one entry: orientation (SHORT) = 6.
        let mut tiff = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
        set_upright(&mut tiff);
        assert_eq!(&tiff[18..20], &[1, 0]);
    }

    #[test]
    fn a_simple_webp_becomes_extended_with_its_exif() {
        let mut vp8 = vec![0u8; 10];
        vp8[6..8].copy_from_slice(&640u16.to_le_bytes());
        vp8[8..10].copy_from_slice(&480u16.to_le_bytes());
        let mut body = b"WEBP".to_vec();
        riff_chunk(&mut body, b"VP8 ", &vp8);
        let mut file = b"RIFF".to_vec();
        file.extend((body.len() as u32).to_le_bytes());
        file.extend(body);
        let kept = Kept::new(Some(b"MM\0*\0\0\0\x08\0\0".to_vec()), None);
        let out = kept.insert(Format::Webp, file);
        let chunks = webp_chunks(&out).unwrap();
        let names: Vec<&[u8; 4]> = chunks.iter().map(|c| c.0).collect();
        assert_eq!(names, [b"VP8X", b"VP8 ", b"EXIF"]);
        assert_eq!(chunks[0].1[0], 0x08);
        assert_eq!(&chunks[0].1[4..7], &[0x7F, 0x02, 0]); // 639
    }
}
