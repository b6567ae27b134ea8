//! Search: the index the build writes, and the theme's search page in headless Chromium
//! (Debian's `chromium` and `chromium-driver`, driven by selenium; `.ci/run` installs them),
//! served at the root and under a path.

use crate::common;

use common::{article, repo, StaticServer, TestSite, SITE_TOML};
use gazette::pipeline::build::{build, BuildOptions};

#[test]
fn the_index_lists_every_article_and_the_words_of_summaries_and_bodies() {
    let site = TestSite::new(
        &SITE_TOML.replace("https://example.org/", "https://example.org/digest/"),
        &[
            ("content/kim.md", &article("title: Putin ready to meet Kim\ndate: 2018-08-15T10:00:00Z\ntopics: [Diplomacy, Russia]\nsummary: The Kremlin confirmed the telegram.", "The **Vladivostok** forum opens in September. Putin again.")),
            ("content/lira.md", &article("title: Lira falls\ndate: 2018-08-13\ntopics: [Economy]\nsummary: Markets slide.", "The central bank and the Kremlin watch.")),
        ],
    );
    site.build();
    let index: serde_json::Value = serde_json::from_str(&site.read("search-index.json")).unwrap();
    assert_eq!(index["v"], 1);
    assert_eq!(
        index["topics"],
        serde_json::json!(["Diplomacy", "Economy", "Russia"])
    );
    assert_eq!(
        index["docs"],
        serde_json::json!([
            [
                "2018/08/15/kim/",
                "Putin ready to meet Kim",
                "2018-08-15",
                [0, 2]
            ],
            ["2018/08/13/lira/", "Lira falls", "2018-08-13", [1]]
        ])
    );
    let terms = &index["terms"];
    assert_eq!(terms["kremlin"], "0|1", "in kim's summary and lira's body");
    assert_eq!(terms["vladivostok"], "|0", "a body word");
    assert_eq!(terms["markets"], "1");
    assert!(
        terms.get("putin").is_none(),
        "title words are matched from docs"
    );
    assert!(terms.get("the").is_none(), "no stop words");

    let page = site.read("search/index.html");
    assert!(page.contains("<div class=\"search\" data-search data-base=\"/digest/\">"));
    assert!(page.contains("<script src=\"/digest/search.js\" defer></script>"));
    assert!(page.contains(
        "<noscript><p class=\"search__nojs\">Search runs in your browser and needs JavaScript"
    ));
    assert!(site.exists("search.js"));
    assert!(site
        .read("index.html")
        .contains("<a href=\"/digest/search/\">Search</a>"));
}

/// A build takes the words of the articles it renders from the same pass as their pages;
/// a build that renders no page reads the bodies again. Both give the same index.
#[test]
fn the_index_is_the_same_whether_pages_were_rendered_or_not() {
    let body = format!(
        "## A **heading**\n\nWords *split*up by marks, `code`, [a link](https://x.example/),\nand a break.\n\n```rust\nfn zeppelin() {{}}\n```\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| cell | other |\n\n{}",
        (0..700).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ")
    );
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article(
                    "title: Alpha words\ndate: 2018-08-15\nsummary: Split heading summary.",
                    &body,
                ),
            ),
            (
                "content/b.md",
                &article(
                    "title: Bravo\ndate: 2018-08-16",
                    "Lead words here.\n\nMore *words*, then words.",
                ),
            ),
        ],
    );
    site.build();
    let gathered = site.read("search-index.json");
    assert!(
        gathered.contains("\"zeppelin\":"),
        "code blocks are searched"
    );
    assert!(
        gathered.contains("\"w10\":") && !gathered.contains("\"w600\":"),
        "bodies are cut"
    );
    std::fs::remove_file(site.public().join("search-index.json")).unwrap();
    site.build();
    assert_eq!(site.read("search-index.json"), gathered);
}

/// Builds the demo site for `base` into `dir`, serves `root` and searches in Chromium.
fn search_in_chromium(
    served: &std::path::Path,
    output: &std::path::Path,
    port: u16,
    base: &str,
    query: &str,
    title: &str,
) {
    let mut options = BuildOptions::new(repo());
    options.output = Some(output.to_path_buf());
    options.base_url = Some(format!("http://127.0.0.1:{port}{base}"));
    build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    browser_search(served, port, base, &[query, title]);
}

/// Runs tests/tools/browser_search.py on the search page of the site in `served` at `base`.
fn browser_search(served: &std::path::Path, port: u16, base: &str, args: &[&str]) -> String {
    let server = StaticServer::start_on(served, port);
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/tools/browser_search.py"))
        .arg(format!("http://127.0.0.1:{port}{base}search/"))
        .args(args)
        .output()
        .expect("python3 with selenium is needed; run .ci/run");
    drop(server);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{base}: {text}");
    assert!(text.contains("followed the link to the article"), "{text}");
    text
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_ranks_title_over_topics_over_summary_over_body_then_newer_first() {
    let a = |title: &str, date: &str, front: &str, body: &str| {
        article(&format!("title: {title}\ndate: {date}\n{front}"), body)
    };
    let port = common::free_port();
    let site = TestSite::new(
        &SITE_TOML.replace("https://example.org/", &format!("http://127.0.0.1:{port}/")),
        &[
            (
                "content/1.md",
                &a("Old pipeline deal", "2018-08-01", "", "Text."),
            ),
            (
                "content/2.md",
                &a("New pipeline deal", "2018-08-09", "", "Text."),
            ),
            (
                "content/3.md",
                &a("Gas talks", "2018-08-10", "topics: [Pipelines]", "Text."),
            ),
            (
                "content/4.md",
                &a(
                    "Summary only",
                    "2018-08-11",
                    "summary: A pipeline again.",
                    "Text.",
                ),
            ),
            (
                "content/5.md",
                &a(
                    "Body only",
                    "2018-08-12",
                    "summary: Nothing.",
                    "The pipeline is long.",
                ),
            ),
            (
                "content/6.md",
                &a("Unrelated", "2018-08-13", "", "Nothing here."),
            ),
        ],
    );
    site.build();
    let out = browser_search(
        &site.public(),
        port,
        "/",
        &[
            "pipeline",
            "Body only",
            "New pipeline deal|Old pipeline deal|Gas talks|Summary only|Body only",
        ],
    );
    assert!(
        out.contains("ranked as expected") && out.contains("'pipeline': 5 results"),
        "{out}"
    );
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_finds_articles_on_the_search_page_at_the_root_and_under_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let www = dir.path().join("www");
    search_in_chromium(
        &www,
        &www,
        port,
        "/",
        "kerala",
        "Kerala faces its worst floods in nearly a century",
    );
    let port = common::free_port();
    let www = dir.path().join("www2");
    search_in_chromium(
        &www,
        &www.join("gazette"),
        port,
        "/gazette/",
        "solar prob",
        "Parker Solar Probe sets off to “touch the Sun”",
    );
}
