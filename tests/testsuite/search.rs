//! Search: the index the build writes, and the theme's search page in headless Chromium
//! (Debian's `chromium` and `chromium-driver`, driven by selenium; `.ci/run` installs them),
//! served at the root and under a path.

use crate::common;

use common::{article, repo, StaticServer, TestSite, SITE_TOML};
use gazette::pipeline::build::{build, BuildOptions};

/// The index as the search page reads it: the manifest, and what it finds in the leaves.
struct Index {
    public: std::path::PathBuf,
    manifest: serde_json::Value,
}

impl Index {
    fn of(site: &TestSite) -> Index {
        let manifest = serde_json::from_str(&site.read("search-index/manifest.json")).unwrap();
        Index {
            public: site.public(),
            manifest,
        }
    }

    fn hex(key: &str) -> String {
        key.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn leaf_of(&self, term: &str) -> Option<String> {
        let leaves = &self.manifest["leaves"];
        if !leaves[format!("{term}$")].is_null() {
            return Some(format!("{term}$"));
        }
        let chars: Vec<char> = term.chars().collect();
        (1..=chars.len())
            .rev()
            .map(|n| chars[..n].iter().collect::<String>())
            .find(|key| leaves[key] == 0)
    }

    /// The articles (id, field) listed under `term`.
    fn postings(&self, term: &str) -> Vec<(u64, u64)> {
        let Some(key) = self.leaf_of(term) else {
            return Vec::new();
        };
        let read =
            |name: String| std::fs::read(self.public.join("search-index/t").join(name)).unwrap();
        if self.manifest["leaves"][&key] == 1 {
            let span = self.manifest["span"].as_u64().unwrap();
            let n = self.manifest["count"].as_u64().unwrap().div_ceil(span);
            return (0..n)
                .flat_map(|j| decode(&read(format!("{}.{j}.bin", Self::hex(&key)))))
                .collect();
        }
        let bytes = read(format!("{}.bin", Self::hex(&key)));
        let mut at = 0;
        while at < bytes.len() {
            let n = varint(&bytes, &mut at) as usize;
            let found = &bytes[at..at + n] == term.as_bytes();
            at += n;
            let len = varint(&bytes, &mut at) as usize;
            if found {
                return decode(&bytes[at..at + len]);
            }
            at += len;
        }
        Vec::new()
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut value, mut shift) = (0, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return value;
        }
        shift += 7;
    }
}

fn decode(bytes: &[u8]) -> Vec<(u64, u64)> {
    let (mut at, mut next, mut out) = (0, 0, Vec::new());
    while at < bytes.len() {
        let v = varint(bytes, &mut at);
        let id = next + (v >> 2);
        out.push((id, v & 3));
        next = id + 1;
    }
    out
}

const HEADLINE: u64 = 0;
const TOPIC: u64 = 1;
const SUMMARY: u64 = 2;
const BODY: u64 = 3;

#[test]
fn the_index_lists_every_article_and_the_words_of_headlines_summaries_topics_outlets_and_bodies() {
    let site = TestSite::new(
        &SITE_TOML.replace("https://example.org/", "https://example.org/digest/"),
        &[
            ("content/kim.md", &article("title: Putin ready to meet Kim\ndate: 2018-08-15T10:00:00Z\ntopics: [Diplomacy, Russia]\nsummary: The Kremlin confirmed the telegram.\nsource:\n  name: Reuters\n  url: https://www.reuters.com/kim", "The **Vladivostok** forum opens in September. Putin again.")),
            ("content/lira.md", &article("title: Lira falls\ndate: 2018-08-13\ntopics: [Economy]\nsummary: Markets slide.", "The central bank and the Kremlin watch.")),
        ],
    );
    site.build();
    let index = Index::of(&site);
    let m = &index.manifest;
    assert_eq!(m["v"], 2);
    assert_eq!(m["count"], 2);
    assert_eq!(
        m["topics"],
        serde_json::json!([
            ["Diplomacy", 1, "diplomacy"],
            ["Economy", 1, "economy"],
            ["Russia", 1, "russia"]
        ])
    );
    assert_eq!(m["outlets"], serde_json::json!([["Reuters", 1, "reuters"]]));
    // Ids from the oldest: lira is 0, kim 1; records hold what a result shows.
    let records: serde_json::Value =
        serde_json::from_str(&site.read("search-index/r/0.json")).unwrap();
    assert_eq!(
        records,
        serde_json::json!([
            [
                "2018/08/13/lira/",
                "Lira falls",
                "Markets slide.",
                "",
                "2018-08-13",
                ["Economy"]
            ],
            [
                "2018/08/15/kim/",
                "Putin ready to meet Kim",
                "The Kremlin confirmed the telegram.",
                "Reuters",
                "2018-08-15",
                ["Diplomacy", "Russia"]
            ]
        ])
    );
    assert_eq!(index.postings("kremlin"), [(0, BODY), (1, SUMMARY)]);
    assert_eq!(
        index.postings("putin"),
        [(1, HEADLINE)],
        "the best field only"
    );
    assert_eq!(index.postings("vladivostok"), [(1, BODY)]);
    assert_eq!(
        index.postings("reuters"),
        [(1, TOPIC)],
        "outlets are searchable"
    );
    assert_eq!(index.postings("diplomacy"), [(1, TOPIC)]);
    assert_eq!(
        index.postings("#teconomy"),
        [(0, HEADLINE)],
        "the topic filter"
    );
    assert_eq!(
        index.postings("#oreuters"),
        [(1, HEADLINE)],
        "the outlet filter"
    );
    assert!(index.postings("the").is_empty(), "no stop words");
    assert!(!site.exists("search-index.json"));

    let page = site.read("search/index.html");
    assert!(page.contains("<div class=\"search\" data-search data-base=\"/digest/\""));
    assert!(page.contains("<script src=\"/digest/search.js\" defer></script>"));
    assert!(page.contains(
        "<noscript><p class=\"search__nojs\">Search runs in your browser and needs JavaScript"
    ));
    assert!(page.contains("data-msg-none=\"No article matches “{q}”.\""));
    assert!(site.exists("search.js"));
    assert!(site
        .read("index.html")
        .contains("<a href=\"/digest/search/\">Search</a>"));
}

/// Every text the search page shows is in the template, where the languages work can
/// translate it: the script has no sentence of its own.
#[test]
fn the_search_script_shows_only_texts_from_the_page() {
    let script = std::fs::read_to_string(repo().join("themes/default/static/search.js")).unwrap();
    let template =
        std::fs::read_to_string(repo().join("themes/default/templates/search.html")).unwrap();
    // The page as written: the plural forms come from the language's words.
    let site = TestSite::new(SITE_TOML, &[]);
    site.build();
    let page = site.read("search/index.html");
    let code: String = script
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    for text in [
        "No article",
        " article",
        "Loading the",
        "Type a",
        "could not",
        "Newest first",
        "Best match",
        "All topics",
        "Topic ",
        "Outlet ",
    ] {
        assert!(!code.contains(text), "search.js has the text {text:?}");
    }
    for name in [
        "loading",
        "short",
        "none",
        "count-one",
        "count-other",
        "filter-other",
        "partial",
        "error",
    ] {
        assert!(page.contains(&format!("data-msg-{name}=")), "{name}");
    }
    for attribute in [
        "data-search-topic",
        "data-search-outlet",
        "data-search-sort",
        "data-search-more",
        "data-search-older",
    ] {
        assert!(
            template.contains(attribute) && script.contains(attribute),
            "{attribute}"
        );
    }
}

/// Words inside unspaced Chinese and Japanese text, and Korean words by their syllables.
#[test]
fn chinese_japanese_and_korean_words_are_found_inside_longer_text() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/ja.md",
                &article(
                    "title: プーチン氏、金正恩氏と早期会談へ\ndate: 2018-08-15",
                    "ロシア大統領府は声明を発表した。",
                ),
            ),
            (
                "content/zh.md",
                &article(
                    "title: 普京准备尽早与金正恩会面\ndate: 2018-08-14",
                    "克里姆林宫发表声明。",
                ),
            ),
            (
                "content/ko.md",
                &article(
                    "title: 서울시는 발표했다\ndate: 2018-08-13",
                    "대통령은 회담을 준비했다.",
                ),
            ),
        ],
    );
    site.build();
    let index = Index::of(&site);
    assert_eq!(index.postings("会談"), [(2, HEADLINE)]);
    assert_eq!(index.postings("会面"), [(1, HEADLINE)]);
    // Their bodies are their leads, so their summaries.
    assert_eq!(index.postings("声明"), [(1, SUMMARY), (2, SUMMARY)]);
    assert_eq!(index.postings("서울"), [(0, HEADLINE)]);
    assert_eq!(index.postings("회담"), [(0, SUMMARY)]);
}

/// A build that changed nothing writes no index file; a one-article edit rewrites only
/// the files its words are in.
#[test]
fn a_rebuild_rewrites_only_the_index_files_an_edit_touches() {
    let files: Vec<(String, String)> = (0..40)
        .map(|n| {
            (
                format!("content/a{n}.md"),
                article(
                    &format!(
                        "title: Report {n}\ndate: 2018-08-{:02}\nsummary: Markets slide.",
                        n % 28 + 1
                    ),
                    &format!("Words of article {n}: harbour, railway and budget."),
                ),
            )
        })
        .collect();
    let site = TestSite::owned(SITE_TOML, &files);
    site.build();
    let times = || -> std::collections::BTreeMap<String, std::time::SystemTime> {
        walkdir::WalkDir::new(site.public().join("search-index"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(site.public()).unwrap();
                let time = e.metadata().unwrap().modified().unwrap();
                (rel.to_string_lossy().to_string(), time)
            })
            .collect()
    };
    let before = times();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    assert_eq!(
        times(),
        before,
        "a no-change rebuild rewrites no index file"
    );
    site.write(
        "content/a7.md",
        &article(
            "title: Report 7\ndate: 2018-08-08\nsummary: Markets slide.",
            "Words of article 7: harbour, railway and harbours.",
        ),
    );
    site.build();
    let after = times();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(time))
        .map(|(path, _)| path)
        .collect();
    // "budget" left (leaf b), "harbours" came (leaf h).
    assert_eq!(changed, ["search-index/t/62.bin", "search-index/t/68.bin"]);
    assert_eq!(after.len(), before.len());
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
    let index = Index::of(&site);
    assert_eq!(
        index.postings("zeppelin").len(),
        1,
        "code blocks are searched"
    );
    assert!(
        !index.postings("w10").is_empty() && index.postings("w600").is_empty(),
        "bodies are cut"
    );
    let gathered = common::snapshot(&site.public().join("search-index"));
    std::fs::remove_file(site.public().join("search-index/manifest.json")).unwrap();
    site.build();
    assert_eq!(
        common::snapshot(&site.public().join("search-index")),
        gathered
    );
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

/// A site in several scripts, topics and outlets, built for `http://127.0.0.1:PORT/`.
fn mixed_site(port: u16) -> TestSite {
    let a = |title: &str, date: &str, front: &str, body: &str| {
        article(&format!("title: {title}\ndate: {date}\n{front}"), body)
    };
    let source = |name: &str| {
        format!(
            "source:\n  name: {name}\n  url: https://news.example/{}",
            name.len()
        )
    };
    TestSite::new(
        &SITE_TOML.replace("https://example.org/", &format!("http://127.0.0.1:{port}/")),
        &[
            (
                "content/ja.md",
                &a(
                    "プーチン氏、金正恩氏と早期会談へ",
                    "2018-08-15",
                    "topics: [Diplomacy]\nsummary: ロシアの発表。",
                    "ロシア大統領府は声明を発表した。",
                ),
            ),
            (
                "content/zh.md",
                &a(
                    "普京准备尽早与金正恩会面",
                    "2018-08-14",
                    "topics: [Russia]\nsummary: 俄罗斯的消息。",
                    "克里姆林宫发表声明。",
                ),
            ),
            (
                "content/ko.md",
                &a(
                    "서울시는 발표했다",
                    "2018-08-13",
                    "summary: 서울 소식.",
                    "대통령은 회담을 준비했다.",
                ),
            ),
            (
                "content/p1.md",
                &a(
                    "Pipeline deal signed",
                    "2018-08-10",
                    &format!(
                        "topics: [Energy]\nsummary: Gas will flow through the new pipeline.\n{}",
                        source("Reuters")
                    ),
                    "Text.",
                ),
            ),
            (
                "content/p2.md",
                &a(
                    "Pipeline talks stall",
                    "2018-08-12",
                    &format!(
                        "topics: [Energy]\nsummary: No deal yet.\n{}",
                        source("Daily Meridian")
                    ),
                    "Text.",
                ),
            ),
            (
                "content/p3.md",
                &a(
                    "Old pipeline dispute",
                    "2018-08-01",
                    &format!(
                        "topics: [Courts]\nsummary: A court rules.\n{}",
                        source("Reuters")
                    ),
                    "Text.",
                ),
            ),
        ],
    )
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_finds_chinese_japanese_and_korean_words_inside_headlines_and_bodies() {
    let port = common::free_port();
    let site = mixed_site(port);
    site.build();
    for (query, title) in [
        ("会談", "プーチン氏、金正恩氏と早期会談へ"),
        ("大統領", "プーチン氏、金正恩氏と早期会談へ"),
        ("会面", "普京准备尽早与金正恩会面"),
        ("林宫", "普京准备尽早与金正恩会面"),
        ("서울", "서울시는 발표했다"),
        ("준비", "서울시는 발표했다"),
    ] {
        let out = browser_search(&site.public(), port, "/", &[query, title]);
        assert!(
            out.contains(&format!("{query:?}: 1 results"))
                || out.contains(&format!("'{query}': 1 results")),
            "{out}"
        );
    }
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_filters_by_topic_and_outlet_sorts_newest_first_and_finds_outlets() {
    let port = common::free_port();
    let site = mixed_site(port);
    site.build();
    let public = site.public();
    browser_search(
        &public,
        port,
        "/",
        &[
            "pipeline",
            "Pipeline talks stall",
            "Pipeline talks stall|Pipeline deal signed",
            "--topic",
            "energy",
            "--absent",
            "Old pipeline dispute",
        ],
    );
    browser_search(
        &public,
        port,
        "/",
        &[
            "pipeline",
            "Pipeline deal signed",
            "Pipeline deal signed|Old pipeline dispute",
            "--outlet",
            "reuters",
            "--sort",
            "newest",
            "--absent",
            "Pipeline talks stall",
            "--summary",
            "Gas will flow through the new pipeline.",
            "--source",
            "Reuters",
        ],
    );
    let out = browser_search(
        &public,
        port,
        "/",
        &[
            "reuters",
            "Pipeline deal signed",
            "Pipeline deal signed|Old pipeline dispute",
            "--absent",
            "Pipeline talks stall",
        ],
    );
    assert!(out.contains("'reuters': 2 results"), "{out}");
    // Best match: both words in the headline beats one.
    browser_search(
        &public,
        port,
        "/",
        &[
            "pipeline deal",
            "Pipeline deal signed",
            "Pipeline deal signed",
            "--absent",
            "Old pipeline dispute",
        ],
    );
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_searches_by_keyboard_and_from_the_address() {
    let port = common::free_port();
    let site = mixed_site(port);
    site.build();
    let public = site.public();
    browser_search(
        &public,
        port,
        "/",
        &[
            "pipeline",
            "Pipeline deal signed",
            "Pipeline talks stall|Pipeline deal signed",
            "--keyboard",
            "--topic",
            "energy",
        ],
    );
    browser_search(
        &public,
        port,
        "/",
        &[
            "talks stall",
            "Pipeline talks stall",
            "Pipeline talks stall",
            "--address",
        ],
    );
}

#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn the_search_page_with_results_passes_axe() {
    let port = common::free_port();
    let site = mixed_site(port);
    site.build();
    let _server = StaticServer::start_on(&site.public(), port);
    let out = std::process::Command::new("node")
        .arg(repo().join("tests/tools/axe.mjs"))
        .arg(format!(
            "http://127.0.0.1:{port}/search/?q=pipeline&topic=energy"
        ))
        .output()
        .expect("node is needed; run scripts/test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
}
