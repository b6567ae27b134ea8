//! An in-tree fuzzer (cargo fuzz needs a nightly toolchain; this runs on stable, in CI).
//! It mutates real article files (the fixtures and the demo digest) with byte flips,
//! splices and tokens that Markdown, YAML, TOML and HTML treat specially, and feeds them to
//! two targets:
//!
//! - front matter: `load::read_article` (split, YAML or TOML, dates, keys) and then the
//!   Markdown of the body and summary, raw HTML kept and sanitised;
//! - the whole path to a page: a one-article site built with `build::build`.
//!
//! Every input must give a result or an error that names the file, never a panic, within
//! a time bound. CI runs a short, fixed-seed run; a longer one:
//!
//!     GAZETTE_FUZZ_ITERS=200000 GAZETTE_FUZZ_SEED=$RANDOM cargo test --release --test testsuite fuzz -- --nocapture
//!
//! Inputs that fail are saved under `target/fuzz-findings/` to replay and fix.

use crate::common;

use gazette::markdown::{self, RawHtml};
use gazette::source::front_matter::Options;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: small, fast and the same on every machine for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Text that the parsers on the path treat specially.
const TOKENS: &[&str] = &[
    "---\n",
    "+++\n",
    "...\n",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "\t",
    "\0",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "<script>",
    "</script>",
    "javascript:",
    "[",
    "](",
    ")",
    "![",
    "*",
    "**",
    "_",
    "`",
    "```",
    "```rust\n",
    "~~~",
    "> ",
    "- ",
    "1. ",
    "|",
    "| --- |",
    "#",
    "# ",
    "<!-- more -->",
    "<!--",
    "&#",
    "&#106;",
    "&amp;",
    "title: ",
    "date: ",
    "topics: ",
    "tags: ",
    "source: ",
    "image: ",
    "slug: ",
    "summary: ",
    "draft: true",
    "extra: ",
    "title = ",
    "date = ",
    ": ",
    "&a ",
    "*a",
    "!!binary ",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "..",
    "/",
    "\\",
    "é",
    "\u{85}",
    "\u{2028}",
    "2018-08-15",
    "2018-08-15 4:00:00 +0000",
    "+0900",
    "9999-99-99",
    "[x]: /y\n",
    "<div>",
    "</div>",
    "<img src=x onerror=y>",
    "$",
    "%",
    "%2e%2e/",
    "^[1]",
    "[^1]: note\n",
    "- [ ] ",
    "\u{200b}",
    "😀",
    "\u{fffd}",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(64)).min(len);
                input.drain(start..end);
            }
            4 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(256)).min(len);
                let piece = input[start..end].to_vec();
                for _ in 0..rng.below(8) {
                    let at = rng.below(input.len() + 1);
                    input.splice(at..at, piece.iter().copied());
                }
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + rng.below(512)).min(other.len());
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ if len > 0 => input.truncate(rng.below(len)),
            _ => {}
        }
    }
    input.truncate(64 * 1024);
}

/// Every article file in the fixtures and the demo digest.
fn seeds() -> Vec<Vec<u8>> {
    let repo = common::repo();
    let mut seeds: Vec<Vec<u8>> = [repo.join("tests/fixtures"), repo.join("content")]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(dir).sort_by_file_name())
        .filter_map(Result::ok)
        .filter(|e| gazette::source::is_article(e.path()))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    seeds.push(b"---\ntitle: x\ndate: 2018-08-15\n---\nBody\n".to_vec());
    seeds
}

/// How many inputs to try (`GAZETTE_FUZZ_ITERS`, else `default`) and the seed
/// (`GAZETTE_FUZZ_SEED`, else a fixed one, so CI runs the same inputs every time).
fn settings(default: usize) -> (usize, u64) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
    (
        var("GAZETTE_FUZZ_ITERS").unwrap_or(default),
        var("GAZETTE_FUZZ_SEED").map_or(0x5eed, |s: usize| s as u64),
    )
}

fn save_finding(input: &[u8], why: &str) -> PathBuf {
    let dir = common::repo().join("target/fuzz-findings");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:016x}.md", gazette::util::hash::fnv(input)));
    std::fs::write(&path, input).unwrap();
    eprintln!("finding ({why}): {}", path.display());
    path
}

/// The front matter and Markdown target. Returns why the input failed, if it did.
fn front_matter_target(input: &[u8]) -> Option<String> {
    let options = Options::new(chrono_tz::Asia::Seoul);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let rel = Path::new("2018-08-15-x.md");
        match gazette::source::articles::read_article(
            rel,
            "content/2018-08-15-x.md",
            input,
            &options,
        ) {
            Ok((article, _)) => {
                for mode in [RawHtml::Keep, RawHtml::Clean] {
                    markdown::render_html(&article.body, mode, &|_| None);
                }
                if let Some(summary) = &article.front.summary {
                    markdown::render(summary, RawHtml::Escape, &|_| None);
                }
                None
            }
            Err(problems) => problems
                .iter()
                .find(|p| p.path != "content/2018-08-15-x.md" || p.line.is_none())
                .map(|p| format!("a problem without the file and line: {p:?}")),
        }
    }));
    result.unwrap_or_else(|_| Some("panic".into()))
}

/// The whole-page target: builds a one-article site around the input.
fn page_target(site: &Path, input: &[u8]) -> Option<String> {
    std::fs::write(site.join("content/2018-08-15-x.md"), input).unwrap();
    let result = catch_unwind(AssertUnwindSafe(|| {
        gazette::pipeline::build::build(&gazette::pipeline::build::BuildOptions::new(site))
    }));
    match result {
        Err(_) => Some("panic".into()),
        Ok(Ok(_)) => None,
        Ok(Err(error)) => {
            let message = format!("{error:#}");
            (!message.starts_with("content/2018-08-15-x.md:"))
                .then(|| format!("an error that does not name the file: {message}"))
        }
    }
}

/// Runs both targets; fails listing every input that panicked, gave an error without
/// its file, or took longer than the bound.
#[test]
fn fuzz_front_matter_and_pages() {
    let (iterations, seed) = settings(3000);
    let mut rng = Rng(seed.max(1));
    let seeds = seeds();
    let site = common::TestSite::new(common::SITE_TOML, &[]);
    let bound = Duration::from_secs(10);
    // Panics are expected to be caught; keep their messages out of the output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut pages, mut findings) = (0, Vec::new());
    for i in 0..iterations {
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &seeds, &mut input);
        let t = Instant::now();
        let mut failure = front_matter_target(&input);
        // The whole build is slower: one input in thirty goes through it.
        if failure.is_none() && i % 30 == 0 {
            failure = page_target(site.root(), &input);
            pages += 1;
        }
        if failure.is_none() && t.elapsed() > bound {
            failure = Some(format!("took {:?}", t.elapsed()));
        }
        if let Some(why) = failure {
            findings.push((save_finding(&input, &why), why));
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {iterations} inputs (seed {seed}), {pages} whole builds, {} findings, in {:.1?}",
        findings.len(),
        started.elapsed()
    );
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Runs `target` on `iterations` mutations of `seeds` (with `tokens` spliced in) and
/// returns the failures: a panic, an answer the target calls wrong, or a time past the
/// bound. Each failing input is saved under `target/fuzz-findings/`.
fn fuzz_surface(
    name: &str,
    seeds: &[Vec<u8>],
    tokens: &[&[u8]],
    iterations: usize,
    rng: &mut Rng,
    target: &mut dyn FnMut(&[u8]) -> Option<String>,
) -> Vec<(PathBuf, String)> {
    let bound = Duration::from_secs(10);
    let mut findings = Vec::new();
    for _ in 0..iterations {
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(rng, seeds, &mut input);
        for _ in 0..rng.below(3) {
            let token = tokens[rng.below(tokens.len())];
            let at = rng.below(input.len() + 1);
            input.splice(at..at, token.iter().copied());
        }
        let t = Instant::now();
        let mut failure = catch_unwind(AssertUnwindSafe(|| target(&input)))
            .unwrap_or_else(|_| Some("panic".into()));
        if failure.is_none() && t.elapsed() > bound {
            failure = Some(format!("took {:?}", t.elapsed()));
        }
        if let Some(why) = failure {
            let why = format!("{name}: {why}");
            findings.push((save_finding(&input, &why), why));
        }
    }
    findings
}

/// Small photos of every format Gazette reads, PNGs with side chunks and a GIF with two
/// frames: the seeds of the image target.
fn image_seeds() -> Vec<Vec<u8>> {
    use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
    let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(24, 16, |x, y| {
        Rgba([(x * 10) as u8, (y * 15) as u8, 90, 200])
    }));
    let mut seeds = Vec::new();
    for format in [
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Gif,
        ImageFormat::WebP,
    ] {
        let mut out = std::io::Cursor::new(Vec::new());
        let img = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(img.to_rgb8())
        } else {
            img.clone()
        };
        img.write_to(&mut out, format).unwrap();
        seeds.push(out.into_inner());
    }
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend(kind);
        c.extend(data);
        c.extend(crc32fast::hash(&c[4..]).to_be_bytes());
        c
    };
    let mut png = seeds[0].clone();
    png.splice(
        33..33,
        chunk(b"iCCP", b"p\0\0\x78\x9c\x63\x00\x00\x00\x01\x00\x01"),
    );
    png.splice(
        33..33,
        chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\0\x01\0\0\0\x78\x9c\x63\x00\x00\x00\x01\x00\x01",
        ),
    );
    seeds.push(png);
    seeds
}

/// The theme's word files, English and the others.
fn word_seeds() -> Vec<Vec<u8>> {
    let dir = common::repo().join("themes/default/i18n");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Probes and decodes a photo: any answer but a panic or a time past the bound.
fn image_target(input: &[u8]) -> Option<String> {
    if let Ok(probe) = gazette::source::images::probe_bytes(input) {
        let _ = gazette::source::images::decode(input, probe.format);
    }
    None
}

/// Reads a word file as a site's own and writes every kind of date and count with it: an
/// error must name the file.
fn words_target(input: &[u8]) -> Option<String> {
    let file = gazette::source::words::WordFile {
        language: "ru".into(),
        file: "i18n/ru.toml".into(),
        site: true,
        text: String::from_utf8_lossy(input).into_owned(),
    };
    match gazette::render::Locale::new("ru", &[file]) {
        Ok((l, _)) => {
            let day = chrono::NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
            let _ = (
                l.long_date(day),
                l.month_year(2018, 8),
                l.month_name(2018, 8),
            );
            let _ = (
                l.time(day.and_hms_opt(9, 30, 0).unwrap()),
                l.plural("articles", 3),
            );
            let _ = l.fill("week", &[("week", "33")]);
            None
        }
        Err(problem) => (problem.path != "i18n/ru.toml").then(|| format!("{problem:?}")),
    }
}

/// Converts Liquid tags and shortcodes, then renders the Markdown with every reference
/// resolved: no panic, and no placeholder left in the HTML.
fn imported_target(input: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(input);
    let env = gazette::markdown::imported::Env {
        base_path: "/b/".into(),
        base_url: "https://x.org/b/".into(),
        unsafe_html: true,
    };
    let converted = gazette::markdown::imported::convert(&text, &env);
    let resolve = |dest: &str| {
        dest.strip_prefix("gazette-ref:")
            .map(|n| format!("/b/{n}/"))
    };
    let html = markdown::render_html(&converted.text, RawHtml::Clean, &resolve);
    let at = html.find("gazette-ref:")?;
    let around: String = html[at.saturating_sub(60)..].chars().take(120).collect();
    Some(format!("a placeholder reached the HTML: {around:?}"))
}

const IMAGE_TOKENS: &[&[u8]] = &[
    b"IHDR",
    b"iCCP",
    b"zTXt",
    b"iTXt",
    b"IDAT",
    b"IEND",
    b"acTL",
    b"fcTL",
    b"\xff\xd8",
    b"\xff\xd9",
    b"\xff\xe1",
    b"\xff\xc0\x00\x11\x08\xff\xff\xff\xff",
    b"\x2c\0\0\0\0\xff\xff\xff\xff",
    b"\x21\xf9\x04",
    b"NETSCAPE2.0",
    b"RIFF",
    b"VP8X",
    b"VP8L",
    b"ANIM",
    b"ANMF",
    b"Exif\0\0",
    b"\xff\xff\xff\xff",
    b"\0\0\0\0",
];

const WORD_TOKENS: &[&[u8]] = &[
    b"date_long = \"",
    b"date_month = \"%OB\"\n",
    b"time = \"",
    b"week_first = \"",
    b"%Q",
    b"%z",
    b"%Z",
    b"%",
    b"%OB",
    b"%-",
    b"%:z",
    b"%#",
    b"{n}",
    b"{",
    b"}",
    b"articles_one = \"",
    b"digits = \"",
    b"\"\n",
    b"[x]\n",
    b"= 3\n",
    b"\\u0000",
];

const IMPORT_TOKENS: &[&[u8]] = &[
    b"{{< ref \"x.md\" >}}",
    b"{{< relref \"a b.md#c\" >}}",
    b"{% post_url 2010-01-09-x %}",
    b"{% raw %}",
    b"{% endraw %}",
    b"{% highlight ruby %}",
    b"{% endhighlight %}",
    b"{{< highlight go >}}",
    b"{{< /highlight >}}",
    b"{{< figure src=\"/i.png\" >}}",
    b"{{< youtube x >}}",
    b"{{ site.baseurl }}",
    b"{{ site.url }}",
    b"{{<",
    b">}}",
    b"{{%",
    b"%}}",
    b"{%",
    b"%}",
    b"](",
    b"<a href=\"",
    b"`",
    b"```\n",
    b"<",
    b">",
    b"\n",
];

/// The site of the trees target: English and Korean, with one article in each.
const TREES_SITE: &str = "title = \"T\"\nbase_url = \"https://x.org/\"\ntimezone = \"UTC\"\nminify = false\n[languages.ko]\ntitle = \"티\"\n";

const TREE_TOKENS: &[&[u8]] = &[
    b"aliases: [/atom.xml]\n",
    b"aliases: [/ko/x/]\n",
    b"redirect_from: /ko/\n",
    b"permalink: /ko/:title/\n",
    b"aliases: [",
    b"/ko/",
    b"/search-index/manifest.json",
    b"/sitemap.xml",
    b"lang: ko\n",
    b"slug: ko\n",
    b"../",
    b"kim.md",
    b"](kim.md)",
];

/// Builds the two-language site with the input as the Korean translation (or, one time
/// in two, as the English original): a result, or an error naming a file.
fn trees_target(site: &Path, input: &[u8], korean: bool) -> Option<String> {
    let name = if korean {
        "2018-08-15-kim.ko.md"
    } else {
        "2018-08-15-kim.md"
    };
    std::fs::write(site.join("content").join(name), input).unwrap();
    let built = gazette::pipeline::build::build(&gazette::pipeline::build::BuildOptions::new(site));
    let _ =
        gazette::pipeline::check::check(&gazette::pipeline::build::BuildOptions::new(site), false);
    std::fs::write(
        site.join("content").join(name),
        "---\ntitle: Kim\ndate: 2018-08-15\n---\nKim.\n",
    )
    .unwrap();
    match built {
        Ok(_) => None,
        Err(error) => {
            let message = format!("{error:#}");
            (!message.starts_with("content/"))
                .then(|| format!("an error that does not name a file: {message}"))
        }
    }
}

/// The surfaces added since the first fuzzer: photos' headers and chunks, word files,
/// Liquid and shortcode conversion, and translations with their old addresses.
#[test]
fn fuzz_photos_words_imports_and_trees() {
    let (iterations, seed) = settings(1500);
    let mut rng = Rng(seed.max(1));
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let mut findings = fuzz_surface(
        "image",
        &image_seeds(),
        IMAGE_TOKENS,
        iterations,
        &mut rng,
        &mut image_target,
    );
    findings.extend(fuzz_surface(
        "words",
        &word_seeds(),
        WORD_TOKENS,
        iterations,
        &mut rng,
        &mut words_target,
    ));
    findings.extend(fuzz_surface(
        "imported",
        &seeds(),
        IMPORT_TOKENS,
        iterations,
        &mut rng,
        &mut imported_target,
    ));
    let site = common::TestSite::new(TREES_SITE, &[]);
    site.write(
        "content/2018-08-15-kim.md",
        "---\ntitle: Kim\ndate: 2018-08-15\n---\nKim.\n",
    );
    site.write(
        "content/2018-08-15-kim.ko.md",
        "---\ntitle: 김\ndate: 2018-08-15\n---\n김.\n",
    );
    let mut builds = 0;
    let mut trees = |input: &[u8]| {
        builds += 1;
        trees_target(site.root(), input, builds % 2 == 0)
    };
    findings.extend(fuzz_surface(
        "trees",
        &seeds(),
        TREE_TOKENS,
        iterations / 15,
        &mut rng,
        &mut trees,
    ));
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {iterations} inputs a surface (seed {seed}), {} findings, in {:.1?}",
        findings.len(),
        started.elapsed()
    );
    assert!(findings.is_empty(), "{findings:#?}");
}
