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
    let iterations: usize = std::env::var("GAZETTE_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("GAZETTE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
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
