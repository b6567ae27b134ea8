//! Photos: published in several widths as WebP and in their own format, upright, without
//! their EXIF/XMP metadata (GPS), as `<picture>` with `srcset`, `sizes`, width, height and
//! lazy loading; cached between builds; bad files are `path:line` errors. Every image is
//! generated here.

use crate::common;

use common::{article, snapshot, TestSite, SITE_TOML};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use std::path::Path;

/// A JPEG of `w`×`h`: red in the top-left quarter, blue elsewhere, with a gradient (so
/// the encoders have something to encode).
pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        if x < w / 4 && y < h / 4 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, (x * 255 / w) as u8, 220])
        }
    });
    encode(DynamicImage::ImageRgb8(img), ImageFormat::Jpeg)
}

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// What the EXIF written by [`with_exif`] holds in its GPS data: looked for in every file.
const GPS_MARKER: &[u8] = b"WGS-84-MARKER";

/// `jpeg` with an EXIF APP1 segment written by hand: IFD0 with the orientation and a GPS
/// pointer; the GPS IFD with GPSVersionID and GPSMapDatum.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    // IFD0 at 8: 2 entries (ends at 38); the GPS IFD at 38: 2 entries (ends at 68).
    tiff.extend(2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut tiff, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, 38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    entry(&mut tiff, 0x0000, 1, 4, [2, 3, 0, 0]);
    let datum = [GPS_MARKER, b"\0"].concat();
    entry(
        &mut tiff,
        0x0012,
        2,
        datum.len() as u32,
        68u32.to_le_bytes(),
    );
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(datum);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    [&jpeg[..2], &app1, &jpeg[2..]].concat()
}

fn png_with_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, _| Rgba([200, 100, 50, (x * 255 / w) as u8]));
    encode(DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

fn write_bytes(site: &TestSite, path: &str, bytes: &[u8]) {
    let full = site.root().join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

/// A site with one article (`content/2018/08/photos.md`, lead image `lead.jpg`) using
/// `body` and the photos written by `photos`.
fn photo_site(site_toml: &str, body: &str) -> TestSite {
    let front = "title: Photos\ndate: 2018-08-13\nimage:\n  src: lead.jpg\n  alt: The lead photo\n  caption: A caption";
    let site = TestSite::new(
        site_toml,
        &[("content/2018/08/photos.md", &article(front, body))],
    );
    let j = jpeg(2000, 1000);
    write_bytes(&site, "content/2018/08/lead.jpg", &with_exif(&j, 1));
    let portrait = jpeg(1200, 800);
    write_bytes(&site, "content/2018/08/six.jpg", &with_exif(&portrait, 6));
    write_bytes(&site, "content/2018/08/eight.jpg", &with_exif(&portrait, 8));
    write_bytes(
        &site,
        "content/2018/08/alpha.png",
        &png_with_alpha(700, 500),
    );
    let small = encode(
        DynamicImage::ImageRgb8(RgbImage::new(300, 200)),
        ImageFormat::Png,
    );
    write_bytes(&site, "content/2018/08/small.png", &small);
    site
}

const BODY: &str = "Text.\n\n![Turned right](six.jpg)\n\n![Turned left](eight.jpg)\n\n![See-through](alpha.png \"A title\")\n\n![Small](small.png)\n\n![Chart](lira.svg) ![Remote](https://example.com/remote.jpg)\n";

/// The published image files, relative to public/.
fn image_files(site: &TestSite) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| {
            [".jpg", ".png", ".webp", ".gif"]
                .iter()
                .any(|e| f.ends_with(e))
        })
        .collect()
}

/// The files of photo `stem`, by width and extension: `(width, ext, path)`, sorted.
fn versions(site: &TestSite, stem: &str) -> Vec<(u32, String, String)> {
    let mut found: Vec<(u32, String, String)> = image_files(site)
        .into_iter()
        .filter_map(|f| {
            let name = f.rsplit('/').next()?.to_string();
            let rest = name.strip_prefix(&format!("{stem}."))?;
            let (hash_width, ext) = rest.split_once('.')?;
            let (hash, width) = hash_width.split_once('-')?;
            assert_eq!(hash.len(), 10, "{f}");
            Some((width.parse().ok()?, ext.to_string(), f.clone()))
        })
        .collect();
    found.sort();
    found
}

fn decoded(site: &TestSite, path: &str) -> DynamicImage {
    image::open(site.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn photos_are_published_in_widths_and_formats_upright_and_without_gps() {
    let site = photo_site(SITE_TOML, BODY);
    write_bytes(
        &site,
        "content/2018/08/lira.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let report = site.build();
    let ext = |v: &[(u32, String, String)]| -> Vec<(u32, String)> {
        v.iter().map(|(w, e, _)| (*w, e.clone())).collect()
    };
    let pairs = |widths: &[u32], exts: &[&str]| -> Vec<(u32, String)> {
        let mut all: Vec<(u32, String)> = widths
            .iter()
            .flat_map(|&w| exts.iter().map(move |e| (w, e.to_string())))
            .collect();
        all.sort();
        all
    };
    let lead = versions(&site, "lead");
    let mut expected = pairs(&[480, 960, 1600], &["jpg", "webp"]);
    expected.push((1200, "jpg".into()));
    expected.sort();
    assert_eq!(ext(&lead), expected);
    // Orientation 6 and 8: 1200×800 as stored, 800×1200 as shown.
    assert_eq!(
        ext(&versions(&site, "six")),
        pairs(&[480, 800], &["jpg", "webp"])
    );
    assert_eq!(
        ext(&versions(&site, "alpha")),
        pairs(&[480, 700], &["png", "webp"])
    );
    // Never upscaled.
    assert_eq!(
        ext(&versions(&site, "small")),
        pairs(&[300], &["png", "webp"])
    );
    // The originals (with their GPS data) are not published; the SVG is, as it is.
    let files = image_files(&site);
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with("/lead.jpg") || f.ends_with("/six.jpg")),
        "{files:?}"
    );
    assert!(site.files().iter().any(|f| f.ends_with("/lira.svg")));
    assert_eq!(report.encoded, files.len());
    for file in &files {
        let bytes = std::fs::read(site.public().join(file)).unwrap();
        assert!(!contains(&bytes, GPS_MARKER), "{file} keeps the GPS data");
        assert!(!contains(&bytes, b"Exif"), "{file} keeps EXIF");
    }
    for (width, ext, path) in versions(&site, "lead") {
        let img = decoded(&site, &path);
        assert_eq!(img.dimensions(), (width, width / 2), "{path}");
        let format =
            image::guess_format(&std::fs::read(site.public().join(&path)).unwrap()).unwrap();
        let expected = if ext == "webp" {
            ImageFormat::WebP
        } else {
            ImageFormat::Jpeg
        };
        assert_eq!(format, expected, "{path}");
    }
    // Upright: the red corner, top-left as stored, is top-right after orientation 6 (a
    // quarter turn clockwise) and bottom-left after orientation 8.
    let red = |img: &DynamicImage, x: u32, y: u32| {
        let p = img.to_rgb8().get_pixel(x, y).0;
        p[0] > 150 && p[2] < 100
    };
    for (stem, corner) in [("six", (470, 10)), ("eight", (10, 710))] {
        let (_, _, path) = &versions(&site, stem)[0];
        let img = decoded(&site, path);
        assert_eq!(img.dimensions(), (480, 720), "{path}");
        assert!(
            red(&img, corner.0, corner.1),
            "{stem}: no red at {corner:?}"
        );
        assert!(!red(&img, 10, 10), "{stem}: red at top-left");
    }
    // Transparency survives in WebP and PNG.
    for (_, _, path) in versions(&site, "alpha") {
        assert!(decoded(&site, &path).color().has_alpha(), "{path}");
    }
}

#[test]
fn pages_get_picture_srcset_sizes_dimensions_and_lazy_loading() {
    let site = photo_site(SITE_TOML, BODY);
    write_bytes(
        &site,
        "content/2018/08/lira.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build();
    let page = site.read("2018/08/13/photos/index.html");
    let lead = versions(&site, "lead");
    let url = |w: u32, e: &str| {
        let (_, _, p) = lead.iter().find(|(lw, le, _)| *lw == w && le == e).unwrap();
        format!("/{p}")
    };
    let sizes = "sizes=\"(min-width: 48rem) 46rem, calc(100vw - 2rem)\"";
    let webp = format!(
        "{} 480w, {} 960w, {} 1600w",
        url(480, "webp"),
        url(960, "webp"),
        url(1600, "webp")
    );
    assert!(
        page.contains(&format!(
            "<source type=\"image/webp\" srcset=\"{webp}\" {sizes}>"
        )),
        "{page}"
    );
    let jpg = format!(
        "{} 480w, {} 960w, {} 1600w",
        url(480, "jpg"),
        url(960, "jpg"),
        url(1600, "jpg")
    );
    let lead_img = format!("<img src=\"{}\" srcset=\"{jpg}\" {sizes} alt=\"The lead photo\" width=\"2000\" height=\"1000\" decoding=\"async\" fetchpriority=\"high\">", url(960, "jpg"));
    assert!(page.contains(&lead_img), "{page}");
    assert!(page.contains("A caption"));
    // The body's photos: lazy (the lead photo comes first), upright sizes, alt and title.
    let six = versions(&site, "six");
    let six_img = format!(
        "<img src=\"/{}\" srcset=\"/{} 480w, /{} 800w\" {sizes} width=\"800\" height=\"1200\" alt=\"Turned right\" loading=\"lazy\" decoding=\"async\"></picture>",
        six[2].2, six[0].2, six[2].2
    );
    assert!(page.contains(&six_img), "{page}");
    assert!(
        page.contains("alt=\"See-through\" title=\"A title\" loading=\"lazy\" decoding=\"async\">"),
        "{page}"
    );
    assert!(
        page.contains("width=\"300\" height=\"200\" alt=\"Small\" loading=\"lazy\""),
        "{page}"
    );
    assert_eq!(common::count(&page, "loading=\"lazy\""), 4, "{page}");
    // SVG and remote images as written.
    assert!(
        page.contains("<img src=\"/2018/08/13/photos/lira.svg\" alt=\"Chart\" />"),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"https://example.com/remote.jpg\" alt=\"Remote\" />"),
        "{page}"
    );
    // Social cards and feeds: the 1200-pixel version.
    let share = format!("https://example.org{}", url(1200, "jpg"));
    assert!(
        page.contains(&format!("<meta property=\"og:image\" content=\"{share}\">")),
        "{page}"
    );
    let feed = site.read("atom.xml");
    let six_jpg = &six.iter().rfind(|v| v.1 == "jpg").unwrap().2;
    let feed_six = format!("&lt;img src=&quot;https://example.org/{six_jpg}&quot; width=&quot;800&quot; height=&quot;1200&quot; alt=&quot;Turned right&quot; decoding=&quot;async&quot;&gt;");
    assert!(feed.contains(&feed_six), "{feed}");
    assert!(!feed.contains("srcset"), "{feed}");
}

#[test]
fn without_a_lead_photo_the_first_body_photo_loads_at_once() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article(
                "title: A\ndate: 2018-08-13",
                "![One](one.jpg)\n\n![Two](two.jpg)",
            ),
        )],
    );
    write_bytes(&site, "content/2018/08/one.jpg", &jpeg(600, 400));
    write_bytes(&site, "content/2018/08/two.jpg", &jpeg(600, 400));
    site.build();
    let page = site.read("2018/08/13/a/index.html");
    assert!(page.contains("alt=\"One\" decoding=\"async\">"), "{page}");
    assert!(
        page.contains("alt=\"Two\" loading=\"lazy\" decoding=\"async\">"),
        "{page}"
    );
}

#[test]
fn a_rebuild_with_nothing_changed_encodes_and_rewrites_no_image() {
    let site = photo_site(SITE_TOML, BODY);
    let first = site.build();
    assert!(first.encoded > 0);
    let times = |site: &TestSite| site.modified(image_files(site));
    let before = times(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = site.build();
    assert_eq!(second.encoded, 0);
    assert_eq!(times(&site), before);
    // A new output folder is filled from the cache: nothing is encoded again.
    std::fs::remove_dir_all(site.public()).unwrap();
    assert_eq!(site.build().encoded, 0);
    assert_eq!(image_files(&site).len(), before.len());
    // A changed photo is encoded again, under new names; the others are not.
    write_bytes(
        &site,
        "content/2018/08/small.png",
        &png_with_alpha(300, 200),
    );
    let third = site.build();
    assert_eq!(third.encoded, 2);
    let small = versions(&site, "small");
    assert_eq!(small.len(), 2);
    assert!(!before.iter().any(|(f, _)| *f == small[0].2));
}

#[test]
fn keep_image_metadata_keeps_exif_and_gps_upright() {
    let toml = format!("{SITE_TOML}keep_image_metadata = true\n");
    let site = photo_site(&toml, BODY);
    site.build();
    for stem in ["lead", "six"] {
        for (_, ext, path) in versions(&site, stem) {
            let bytes = std::fs::read(site.public().join(&path)).unwrap();
            assert!(contains(&bytes, GPS_MARKER), "{path} lost the GPS data");
            // Still decodes, and shows upright (orientation reset to 1).
            let mut decoder = image::ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .unwrap()
                .into_decoder()
                .unwrap();
            use image::ImageDecoder;
            assert_eq!(
                decoder.orientation().unwrap(),
                image::metadata::Orientation::NoTransforms,
                "{path} ({ext})"
            );
        }
    }
}

#[test]
fn an_animated_gif_is_published_as_it_is() {
    use image::codecs::gif::{GifEncoder, Repeat};
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for shade in [0u8, 255] {
            let frame = image::Frame::new(RgbaImage::from_pixel(40, 30, Rgba([shade, 0, 0, 255])));
            encoder.encode_frame(frame).unwrap();
        }
    }
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-13", "![Moving](moving.gif)"),
        )],
    );
    write_bytes(&site, "content/2018/08/moving.gif", &bytes);
    site.build();
    let page = site.read("2018/08/13/a/index.html");
    assert!(page.contains("<img src=\"/2018/08/13/a/moving.gif\" width=\"40\" height=\"30\" alt=\"Moving\" decoding=\"async\">"), "{page}");
    assert_eq!(
        std::fs::read(site.public().join("2018/08/13/a/moving.gif")).unwrap(),
        bytes
    );
}

/// A site whose article uses `bad.jpg` (or `bad.png`) on line 7, built once with a good
/// photo there; the second build's error and whether public/ is as it was.
fn error_after_good_build(name: &str, bad: &[u8]) -> String {
    let body = format!("One.\n\nTwo.\n\n![Bad]({name})\n");
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-13", &body),
        )],
    );
    write_bytes(&site, &format!("content/2018/08/{name}"), &jpeg(100, 100));
    site.build();
    let before = snapshot(&site.public());
    write_bytes(&site, &format!("content/2018/08/{name}"), bad);
    let started = std::time::Instant::now();
    let error = site.build_error();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(snapshot(&site.public()), before, "public/ changed");
    assert!(site.staging_leftovers().is_empty());
    error
}

#[test]
fn a_truncated_photo_is_an_error_at_its_line() {
    let good = jpeg(400, 300);
    let error = error_after_good_build("bad.jpg", &good[..good.len() / 2]);
    assert_eq!(
        error,
        "content/2018/08/a.md:9: image `content/2018/08/bad.jpg` could not be decoded: its data stops before the end of the image, so the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG\n1 problem found; nothing was written"
    );
    // What to do, without the decoder's internals.
    let png = png_with_alpha(400, 300);
    assert_eq!(
        error_after_good_build("bad.png", &png[..png.len() / 2]),
        "content/2018/08/a.md:9: image `content/2018/08/bad.png` could not be decoded: its data stops before the end of the image, so the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG\n1 problem found; nothing was written"
    );
    // Complete, but corrupt inside.
    let mut corrupt = png.clone();
    for b in &mut corrupt[60..200] {
        *b ^= 0x5A;
    }
    assert_eq!(
        error_after_good_build("bad.png", &corrupt),
        "content/2018/08/a.md:9: image `content/2018/08/bad.png` could not be decoded: the file is truncated or corrupt; open it in an image editor and export it again as JPEG or PNG\n1 problem found; nothing was written"
    );
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(100_000u32.to_be_bytes());
    png.extend(100_000u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0]);
    png.extend(crc32fast::hash(&png[12..]).to_be_bytes());
    png.extend(b"\0\0\0\0IEND\xaeB`\x82");
    assert_eq!(
        error_after_good_build("bad.png", &png),
        "content/2018/08/a.md:9: image `content/2018/08/bad.png` claims 100000×100000 pixels, outside Gazette's bound of 100 megapixels (a decompression bomb, or a photo too large to publish); make it smaller\n1 problem found; nothing was written"
    );
}

#[test]
fn a_file_that_is_no_image_is_an_error_with_exit_1() {
    assert_eq!(
        error_after_good_build("bad.jpg", b"<html>not a photo</html>"),
        "content/2018/08/a.md:9: image `content/2018/08/bad.jpg` is not a JPEG, PNG, WebP or GIF image Gazette can read; save it in one of those formats\n1 problem found; nothing was written"
    );
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-13\nimage: bad.jpg", "Text."),
        )],
    );
    write_bytes(&site, "content/2018/08/bad.jpg", b"nothing");
    let out = common::gazette(&["build", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/2018/08/a.md:4: image `content/2018/08/bad.jpg` is not a JPEG"),
        "{stderr}"
    );
    assert!(!Path::new(&site.public()).exists());
}

/// `serve` tells the browser to reload once the pages are in place, before any photo is
/// encoded; the photos follow, with a second reload.
#[test]
fn serve_reloads_the_text_before_encoding_photos() {
    let site = photo_site(SITE_TOML, "Text.\n\n![Turned right](six.jpg)\n");
    let mut options = site.options();
    options.delivery = gazette::app::serve::PREVIEW;
    let output = site.root().join("preview");
    options.output = Some(output.clone());
    let mut cache = gazette::pipeline::cache::BuildCache::default();
    let seen = std::cell::RefCell::new(Vec::new());
    let ready = || {
        let page = std::fs::read_to_string(output.join("2018/08/13/photos/index.html")).unwrap();
        let photos = walkdir::WalkDir::new(&output)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "webp"))
            .count();
        seen.borrow_mut().push((page.contains("<picture>"), photos));
    };
    let (report, _) =
        gazette::pipeline::build::build_with_cache_then(&options, &mut cache, &ready).unwrap();
    assert_eq!(*seen.borrow(), [(true, 0), (true, 5)]);
    assert_eq!(
        report.encoded, 14,
        "11 versions, and the lead photo's three crops"
    );
    // The next rebuild finds them all in the cache: one reload, nothing encoded.
    seen.borrow_mut().clear();
    let (report, _) =
        gazette::pipeline::build::build_with_cache_then(&options, &mut cache, &ready).unwrap();
    assert_eq!(*seen.borrow(), [(true, 5)]);
    assert_eq!(report.encoded, 0);
}

/// The theme audit (axe-core in headless Chromium, light and dark mode: contrast, alt
/// text, image sizes, no sideways scrolling at 320 px) passes on an article with a large
/// photo as lead and another in its body.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn an_article_with_a_large_photo_passes_the_theme_audit() {
    let front = "title: A large photo\ndate: 2018-08-13\nimage:\n  src: big.jpg\n  alt: A large generated photo\n  caption: A caption under the photo";
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/big.md",
            &article(
                front,
                "Text before.\n\n![A second photo, turned](six.jpg)\n\nText after.",
            ),
        )],
    );
    write_bytes(
        &site,
        "content/2018/08/big.jpg",
        &with_exif(&jpeg(4000, 3000), 1),
    );
    write_bytes(
        &site,
        "content/2018/08/six.jpg",
        &with_exif(&jpeg(3000, 2000), 6),
    );
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let mut options = site.options();
    options.base_url = Some(base.clone());
    gazette::pipeline::build::build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    let _server = common::StaticServer::start_on(&site.public(), port);
    let (ok, out) = crate::theme::axe(&[format!("{base}2018/08/13/big/")]);
    println!("{out}");
    assert!(ok, "the browser audit found problems:\n{out}");
    assert!(out.contains("1 page(s) x 2 schemes, 0 problem(s)"), "{out}");
}

/// A PNG chunk: length, type, data, CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend(kind);
    chunk.extend(data);
    chunk.extend(crc32fast::hash(&chunk[4..]).to_be_bytes());
    chunk
}

/// zlib-compressed zeros: `megabytes` MiB once inflated.
fn zeros_deflated(megabytes: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..megabytes {
        z.write_all(&block).unwrap();
    }
    z.finish().unwrap()
}

/// Runs `gazette build` on `site` and returns its exit code, its messages and its peak
/// memory in MiB (the most of what `GAZETTE_TIMINGS` prints after each stage: the
/// process's own high-water mark, which the kernel resets when it starts).
fn build_measured(site: &TestSite) -> (Option<i32>, String, u64) {
    let out = common::timed_build(site.root());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (timings, messages): (Vec<&str>, Vec<&str>) =
        stderr.lines().partition(|l| l.contains(" ms"));
    let peak = timings
        .iter()
        .filter_map(|l| {
            l.split("peak memory ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .max()
        .expect("GAZETTE_TIMINGS prints the peak memory");
    let messages: String = messages.iter().map(|l| format!("{l}\n")).collect();
    (out.status.code(), messages, peak)
}

fn site_with_photo(name: &str, bytes: &[u8]) -> TestSite {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article(
                "title: A\ndate: 2018-08-13",
                &format!("One.\n\n![A photo]({name})\n"),
            ),
        )],
    );
    write_bytes(&site, &format!("content/2018/08/{name}"), bytes);
    site
}

#[test]
fn a_very_tall_or_wide_photo_is_published_with_webp_versions_that_fit() {
    // WebP allows 16,383 px a side: these panicked in the encoder (exit 101).
    let tall = encode(
        DynamicImage::ImageRgb8(RgbImage::from_fn(800, 20_000, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        })),
        ImageFormat::Jpeg,
    );
    let thread = encode(
        DynamicImage::ImageRgb8(RgbImage::new(1, 100_000)),
        ImageFormat::Png,
    );
    let site = site_with_photo("tall.jpg", &tall);
    write_bytes(&site, "content/2018/08/thread.png", &thread);
    site.write(
        "content/2018/08/a.md",
        &article(
            "title: A\ndate: 2018-08-13",
            "One.\n\n![Tall](tall.jpg)\n\n![Thread](thread.png)\n",
        ),
    );
    let (code, stderr, _) = build_measured(&site);
    assert_eq!(code, Some(0), "{stderr}");
    let tall = versions(&site, "tall");
    let sizes: Vec<(u32, &str)> = tall.iter().map(|(w, e, _)| (*w, e.as_str())).collect();
    assert_eq!(
        sizes,
        [(480, "jpg"), (480, "webp"), (655, "webp"), (800, "jpg")]
    );
    for (_, _, path) in &tall {
        let (w, h) = decoded(&site, path).dimensions();
        assert!(w.max(h) <= 20_000, "{path}");
        if path.ends_with(".webp") {
            assert!(h <= 16_383, "{path}: {w}×{h}");
        }
    }
    // 100,000 px tall and 1 wide: in its own format only.
    let thread = versions(&site, "thread");
    assert_eq!(thread.len(), 1, "{thread:?}");
    assert_eq!(thread[0].1, "png");
}

#[test]
fn a_png_whose_colour_profile_inflates_to_a_gigabyte_costs_no_memory() {
    // 1 MB on disk: an iCCP chunk of 1 GiB of zeros once inflated (2.1 GB peak before).
    let mut png = encode(
        DynamicImage::ImageRgb8(RgbImage::new(64, 48)),
        ImageFormat::Png,
    );
    let mut profile = b"bomb\0\0".to_vec();
    profile.extend(zeros_deflated(1024));
    let at = 8 + 25; // after the signature and IHDR
    png.splice(at..at, png_chunk(b"iCCP", &profile));
    let mut text = b"Comment\0".to_vec();
    text.extend(zeros_deflated(256));
    png.splice(at..at, png_chunk(b"zTXt", &text));
    let site = site_with_photo("profile.png", &png);
    let (code, stderr, peak_mib) = build_measured(&site);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(versions(&site, "profile").len(), 2);
    assert!(peak_mib < 300, "peak {peak_mib} MiB");
}

#[test]
fn a_gif_frame_larger_than_its_screen_is_refused_within_the_bound() {
    // 41 bytes: a 1×1 screen whose first frame claims 20000² (2 GB before) or 65535²
    // (17 GB: aborted).
    for side in [20_000u16, 65_535] {
        let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\0\0\0\xff\xff\xff".to_vec();
        gif.extend(b"\x2c\0\0\0\0");
        gif.extend(side.to_le_bytes());
        gif.extend(side.to_le_bytes());
        gif.extend(b"\x00\x02\x02\x44\x01\x00\x3b");
        let site = site_with_photo("bomb.gif", &gif);
        let (code, stderr, peak_mib) = build_measured(&site);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(
            stderr,
            "content/2018/08/a.md:7: image `content/2018/08/bomb.gif` needs more memory to decode than Gazette allows (512 MB): it is a decompression bomb, or too large; save it at 8 bits per channel and at most 100 megapixels\n1 problem found; nothing was written\n"
        );
        assert!(peak_mib < 300, "peak {peak_mib} MiB");
    }
}

#[test]
fn a_sixteen_bit_photo_past_the_decoding_bound_is_refused_before_decoding() {
    // 9000×9000 at 16 bits a channel with alpha: 648 MB decoded, under 100 megapixels.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 9000u32.to_be_bytes().to_vec();
    ihdr.extend(9000u32.to_be_bytes());
    ihdr.extend([16, 6, 0, 0, 0]);
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &zeros_deflated(1)));
    png.extend(png_chunk(b"IEND", b""));
    assert_eq!(
        error_after_good_build("bad.png", &png),
        "content/2018/08/a.md:9: image `content/2018/08/bad.png` needs more memory to decode than Gazette allows (512 MB): it is a decompression bomb, or too large; save it at 8 bits per channel and at most 100 megapixels\n1 problem found; nothing was written"
    );
}
