//! The default theme in a real browser: the demo digest (the repository's `content/` and
//! `themes/`) served on 127.0.0.1 and audited in headless Chromium by
//! `tests/tools/axe.mjs` (axe-core through playwright-core), in light and dark mode.
//! Needs Node.js, `npm ci` in `tests/tools/` and Debian's Chromium: `.ci/run` installs them.

use crate::common;

use common::{article, free_port, repo, StaticServer, TestSite, SITE_TOML};
use gazette::pipeline::build::{build, BuildOptions};
use std::path::Path;
use std::process::Command;

/// The pages audited: every page kind of the demo digest.
const PAGES: &[&str] = &[
    "",                                // front page
    "2018/08/13/turkish-lira-crisis/", // an article, with an image and a table
    "2018/08/15/",                     // a day (edition)
    "topics/diplomacy/",               // a topic
    "2018/08/",                        // a month
    "2018/",                           // a year
    "archive/",                        // the archive
    "topics/",                         // every topic
    "2018/08/page/2/",                 // a month, continued: headlines by day
    "404.html",                        // not found
    "editions/",                       // every edition
    "sources/",                        // every outlet
    "sources/reuters/",                // one outlet
    "stories/korean-peace-talks/",     // a story's timeline
    "search/",                         // the search page
    "authors/min-ji-park/",            // an author, with data/authors.yaml's bio
    "authors/",                        // every author
    "about/",                          // a page that is no article
];

/// Runs `node tests/tools/axe.mjs URL...`; returns (success, everything it printed).
pub(crate) fn axe(urls: &[String]) -> (bool, String) {
    let tools = repo().join("tests/tools");
    assert!(
        tools.join("node_modules/axe-core").is_dir()
            && tools.join("node_modules/playwright-core").is_dir(),
        "tests/tools/node_modules is missing: run `npm ci --prefix tests/tools` (.ci/run does)"
    );
    let out = Command::new("node")
        .arg(tools.join("axe.mjs"))
        .args(urls)
        .output()
        .expect("node is needed for the browser tests; run .ci/run");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The demo digest built for `http://127.0.0.1:PORT/` into `dir`, and served from there.
fn serve_demo(dir: &Path) -> (StaticServer, String) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let mut options = BuildOptions::new(repo());
    options.output = Some(dir.to_path_buf());
    options.base_url = Some(base.clone());
    build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    (StaticServer::start_on(dir, port), base)
}

/// axe-core finds no violation on any page kind of the demo, in light and dark mode; no
/// page scrolls sideways at 320 px; nothing is fetched from another host; images carry
/// their size; the skip link, focus outlines and Tab order work; articles print cleanly.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn the_demo_passes_axe_in_light_and_dark_mode() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_demo(&dir.path().join("public"));
    let urls: Vec<String> = PAGES.iter().map(|p| format!("{base}{p}")).collect();
    let (mut ok, mut out) = axe(&urls);
    if !ok {
        // Once in a long while a page under load is measured mid-render (seen once in a
        // full `cargo test` on two cores); a real problem fails the second run as well.
        eprintln!("first run, retried:\n{out}");
        (ok, out) = axe(&urls);
    }
    println!("{out}");
    assert!(ok, "the browser audit found problems:\n{out}");
    assert!(
        out.contains(&format!(
            "{} page(s) x 2 schemes, 0 problem(s)",
            PAGES.len()
        )),
        "{out}"
    );
    assert_eq!(out.matches("ok   ").count(), 2 * PAGES.len(), "{out}");
}

/// The audit is not a formality: on a page with low-contrast text, an image without alt
/// text or size, a block wider than the phone, no skip link and no print styles, it fails
/// and names each problem.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn the_audit_reports_a_broken_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Broken</title>
<style>body { color: #222; background: #333; } .wide { width: 600px; } .faint { color: #bbb; background: #fff; }</style>
</head><body>
<main id="main"><h1>Broken</h1>
<p class="faint">Grey on white.</p>
<img src="missing.png">
<div class="wide">Too wide for a phone.</div>
<p class="article__source"><a href="https://example.org/story">Read the original</a></p>
</main></body></html>"#,
    )
    .unwrap();
    let server = StaticServer::start(dir.path());
    let (ok, out) = axe(&[format!("http://127.0.0.1:{}/", server.port)]);
    assert!(!ok, "the audit should fail:\n{out}");
    for expected in [
        "axe color-contrast",
        "axe image-alt",
        "<img> without width and height",
        "scrolls sideways at 320 px",
        "skip link to #main",
        "print: background is rgb(51, 51, 51)",
        "print: the source link does not print its address",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

/// Without a browser: article images get `width`/`height` from the front matter, and only
/// articles with highlighted code link `highlight.css`.
#[test]
fn images_are_sized_and_code_colours_load_only_where_needed() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/chart.md",
                &article(
                    "title: Chart\ndate: 2018-08-15\nimage: {src: chart.svg, alt: A chart, width: 320, height: 185}",
                    "Text only.",
                ),
            ),
            ("content/2018/08/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            (
                "content/2018/08/code.md",
                &article("title: Code\ndate: 2018-08-16", "```rust\nfn main() {}\n```"),
            ),
        ],
    );
    site.build();
    let chart = site.read("2018/08/15/chart/index.html");
    assert!(
        chart.contains(r#"alt="A chart" width="320" height="185""#),
        "{chart}"
    );
    assert!(!chart.contains("highlight.css"), "no code, no code colours");
    assert!(site.read("index.html").contains("/style.css"));
    assert!(!site.read("index.html").contains("highlight.css"));
    let code = site.read("2018/08/16/code/index.html");
    assert!(code.contains(r#"<link rel="stylesheet" href="/highlight.css">"#));
}

/// Highlighted code meets the same contrast rules as the text around it, in light and
/// dark mode: comments, strings and keywords of several languages.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn highlighted_code_passes_axe_in_light_and_dark_mode() {
    let code = [
        "```rust\n// A comment\nfn main() { let s = \"text\"; println!(\"{s} {}\", 42); }\n```",
        "```python\n# A comment\ndef f(x):\n    \"\"\"Docstring.\"\"\"\n    return x + 1  # trailing\n```",
        "```js\n/* block */ const a = [1, 'two', true, null]; // note\n```",
        "```yaml\n# comment\nkey: \"value\"\nlist: [1, 2]\n```",
        "```bash\n# comment\necho \"$HOME\" | grep -v x && exit 1\n```",
        "```json\n{\"a\": [1, 2.5, false], \"b\": null}\n```",
    ]
    .join("\n\n");
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/code.md",
            &article("title: Code\ndate: 2018-08-16", &code),
        )],
    );
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let mut options = site.options();
    options.base_url = Some(base.clone());
    build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    let _server = StaticServer::start_on(&site.public(), port);
    let (ok, out) = axe(&[format!("{base}2018/08/16/code/")]);
    assert!(ok, "the browser audit found problems:\n{out}");
}
