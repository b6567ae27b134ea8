//! Reaching news readers: the news sitemap (Google's two-day window, 1,000 entries, each
//! article's language; valid against the sitemaps.org and Google News schemas), the
//! article tags news surfaces read, fediverse profiles, and WebSub: the hub named in the
//! feeds, and `gazette ping` telling a hub on 127.0.0.1 which feeds changed.

use crate::common::{self, article, TestSite, SITE_TOML};
use chrono::{DateTime, Utc};
use gazette::pipeline::build::{build, BuildOptions};

/// The build's clock in these tests.
const NOW: &str = "2024-06-10T12:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

/// Builds `site` as of [`NOW`].
fn build_now(site: &TestSite) {
    build(&BuildOptions {
        now: Some(now()),
        ..site.options()
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
}

/// The `<loc>`s of a sitemap, in order.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>").map(|(l, _)| l.to_string()))
        .collect()
}

fn news_site() -> TestSite {
    TestSite::new(
        SITE_TOML,
        &[
            ("content/a.md", &article("title: \"Rivers & roads\"\ndate: 2024-06-10T09:00:00Z\ntopics: [Floods, Weather]", "Up.")),
            ("content/b.md", &article("title: Grid\ndate: 2024-06-08T13:00:00Z\nlang: pt-BR", "Held.")),
            ("content/old.md", &article("title: Old\ndate: 2024-06-08T11:59:00Z", "Before the window.")),
            ("content/hidden.md", &article("title: Sponsors\ndate: 2024-06-10T08:00:00Z\nhidden: true", "Listed nowhere.")),
            ("content/later.md", &article("title: Tomorrow\ndate: 2024-06-11T09:00:00Z", "Not yet.")),
        ],
    )
}

#[test]
fn the_news_sitemap_lists_the_last_two_days_in_each_articles_language() {
    let site = news_site();
    build_now(&site);
    let news = site.read("news-sitemap.xml");
    assert_eq!(
        locs(&news),
        [
            "https://example.org/2024/06/10/a/",
            "https://example.org/2024/06/08/b/"
        ],
        "two days back from the build's time; not older, hidden or future articles"
    );
    assert!(news.contains("<news:publication><news:name>Test Digest</news:name><news:language>en</news:language></news:publication><news:publication_date>2024-06-10T09:00:00+00:00</news:publication_date><news:title>Rivers &amp; roads</news:title>"), "{news}");
    assert!(news.contains("<news:language>pt</news:language>"), "{news}");
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml\nSitemap: https://example.org/news-sitemap.xml"), "{robots}");
    let index = site.read("sitemap-index.xml");
    assert_eq!(
        locs(&index),
        [
            "https://example.org/sitemap.xml",
            "https://example.org/news-sitemap.xml"
        ]
    );
    // A week later nothing is that recent: no news sitemap, robots.txt names none.
    build(&BuildOptions {
        now: Some("2024-06-17T12:00:00Z".parse().unwrap()),
        ..site.options()
    })
    .unwrap();
    assert!(!site.exists("news-sitemap.xml") && !site.exists("sitemap-index.xml"));
    assert!(!site.read("robots.txt").contains("news-sitemap"));
}

#[test]
fn the_news_sitemap_holds_at_most_a_thousand_articles() {
    let files: Vec<(String, String)> = (0..1003)
        .map(|n| {
            let when = now() - chrono::Duration::minutes(n);
            let front = format!("title: Story {n}\ndate: {}", when.to_rfc3339());
            (format!("content/s{n}.md"), article(&front, "x"))
        })
        .collect();
    let site = TestSite::owned(SITE_TOML, &files);
    build_now(&site);
    let news = locs(&site.read("news-sitemap.xml"));
    assert_eq!(news.len(), 1000);
    assert_eq!(
        news[0], "https://example.org/2024/06/10/s0/",
        "the newest first"
    );
}

#[test]
#[ignore = "needs xmllint (libxml2-utils): run scripts/test"]
fn the_news_sitemap_is_valid_against_the_sitemap_and_news_schemas() {
    let site = news_site();
    build_now(&site);
    let schema = common::repo().join("tests/fixtures/schemas/news.xsd");
    let check = |file: &str| {
        std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&schema)
            .arg(site.public().join(file))
            .output()
            .expect("xmllint is needed: run scripts/test")
    };
    let out = check("news-sitemap.xml");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("validates"));
    let out = check("sitemap.xml");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The schema is no rubber stamp: a language Google does not take fails it.
    let bad = site.read("news-sitemap.xml").replace(
        "<news:language>pt</news:language>",
        "<news:language>pt-BR</news:language>",
    );
    std::fs::write(site.public().join("news-sitemap.xml"), bad).unwrap();
    assert!(!check("news-sitemap.xml").status.success());
}

#[test]
fn articles_carry_the_tags_news_surfaces_and_the_fediverse_read() {
    let toml = format!("{SITE_TOML}[social]\nme = [\"https://mastodon.example/@digest\"]\nfediverse_creator = \"@digest@mastodon.example\"\n");
    let site = TestSite::new(&toml, &[("content/a.md", &article("title: Rivers\ndate: 2024-06-10T09:00:00Z\nupdated: 2024-06-10T11:00:00Z\ntopics: [Floods, Weather]", "Up."))]);
    build_now(&site);
    let page = site.read("2024/06/10/a/index.html");
    for part in [
        "<meta property=\"article:published_time\" content=\"2024-06-10T09:00:00+00:00\">",
        "<meta property=\"article:modified_time\" content=\"2024-06-10T11:00:00+00:00\">",
        "<meta property=\"article:section\" content=\"Floods\">\n<meta property=\"article:tag\" content=\"Floods\">\n<meta property=\"article:tag\" content=\"Weather\">",
        "<link rel=\"me\" href=\"https://mastodon.example/@digest\">",
        "<meta name=\"fediverse:creator\" content=\"@digest@mastodon.example\">",
        "\"author\":{\"@type\":\"Organization\",\"name\":\"Test Digest\",\"url\":\"https://example.org/\"}",
    ] {
        assert!(page.contains(part), "lacks {part}:\n{page}");
    }
    assert!(
        !page.contains("max-image-preview"),
        "no lead photo, no large preview"
    );
    let bad = TestSite::new(
        &format!("{SITE_TOML}[social]\nfediverse_creator = \"digest\"\n"),
        &[],
    );
    assert_eq!(
        bad.build_error(),
        "site.toml:6: `fediverse_creator` must be an account such as \"@digest@mastodon.social\", not \"digest\""
    );
}

/// A WebSub hub on 127.0.0.1 that accepts every publish notification; returns its
/// address and what it received.
fn hub() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<common::Received>>>,
) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hub", listener.local_addr().unwrap());
    let got: std::sync::Arc<std::sync::Mutex<Vec<common::Received>>> = Default::default();
    let log = got.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            use std::io::Write;
            let request = common::Received::read(&stream);
            log.lock().unwrap().push(request);
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
    (url, got)
}

#[test]
fn feeds_name_the_hub_and_ping_tells_it_of_each_changed_feed_once() {
    let (hub, got) = hub();
    let toml = format!("{SITE_TOML}[feeds]\nwebsub_hub = \"{hub}\"\n");
    let site = TestSite::new(
        &toml,
        &[(
            "content/a.md",
            &article(
                "title: Rivers\ndate: 2024-06-10T09:00:00Z\ntopics: [Floods]",
                "Up.",
            ),
        )],
    );
    build_now(&site);
    assert!(site
        .read("atom.xml")
        .contains(&format!("<link rel=\"hub\" href=\"{hub}\"/>")));
    assert!(site
        .read("rss.xml")
        .contains(&format!("<atom:link href=\"{hub}\" rel=\"hub\"/>")));
    let ping = || common::gazette(&["ping", "--root"], site.root());
    let out = ping();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let feeds = [
        "atom.xml",
        "editions/atom.xml",
        "editions/feed.json",
        "editions/rss.xml",
        "feed.json",
        "rss.xml",
        "topics/floods/atom.xml",
        "topics/floods/feed.json",
        "topics/floods/rss.xml",
    ];
    assert_eq!(
        said.trim(),
        format!(
            "Pinged {hub}: told it of {} feeds changed, 0 unchanged since the last ping",
            feeds.len()
        )
    );
    let mut told: Vec<String> = got
        .lock()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(
                (r.method.as_str(), r.header("content-type").as_str()),
                ("POST", "application/x-www-form-urlencoded")
            );
            let form: Vec<(String, String)> = url::form_urlencoded::parse(r.body.as_bytes())
                .into_owned()
                .collect();
            assert_eq!(form[0], ("hub.mode".to_string(), "publish".to_string()));
            form[1].1.clone()
        })
        .collect();
    told.sort();
    let mut expected: Vec<String> = feeds
        .iter()
        .map(|f| format!("https://example.org/{f}"))
        .collect();
    expected.sort();
    assert_eq!(told, expected);
    // Nothing changed: nothing to tell.
    let out = ping();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!(
        "told it of 0 feeds changed, {} unchanged",
        feeds.len()
    )));
    assert_eq!(got.lock().unwrap().len(), feeds.len());
    // A new article changes the site's feeds, not the topic's it is not in.
    site.write(
        "content/b.md",
        &article(
            "title: Grid\ndate: 2024-06-10T10:00:00Z\ntopics: [Energy]",
            "Held.",
        ),
    );
    build_now(&site);
    let out = ping();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("told it of 9 feeds changed"), "{said}");
    let later: Vec<String> = got.lock().unwrap()[feeds.len()..]
        .iter()
        .map(|r| r.body.clone())
        .collect();
    assert!(later.iter().all(|b| !b.contains("floods")), "{later:?}");
    assert!(
        later
            .iter()
            .any(|b| b.contains("topics%2Fenergy%2Fatom.xml")),
        "{later:?}"
    );
}

/// A JPEG of `width` by `height` pixels.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

#[test]
fn a_lead_photo_gives_three_crops_to_structured_data_and_a_large_preview() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/big/index.md",
                &article(
                    "title: Big\ndate: 2024-06-10T09:00:00Z\nimage: {src: lead.jpg, alt: A river}",
                    "Up.",
                ),
            ),
            (
                "content/small/index.md",
                &article(
                    "title: Small\ndate: 2024-06-10T08:00:00Z\nimage: {src: lead.jpg, alt: A road}",
                    "Down.",
                ),
            ),
        ],
    );
    std::fs::write(site.root().join("content/big/lead.jpg"), jpeg(1600, 1000)).unwrap();
    std::fs::write(site.root().join("content/small/lead.jpg"), jpeg(800, 500)).unwrap();
    build_now(&site);
    let page = site.read("2024/06/10/big/index.html");
    assert!(
        page.contains("<meta name=\"robots\" content=\"max-image-preview:large\">"),
        "{page}"
    );
    let ld: serde_json::Value = serde_json::from_str(
        page.split("<script type=\"application/ld+json\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap(),
    )
    .unwrap();
    let crops: Vec<&str> = ld["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(crops.len(), 3, "{ld}");
    for (url, (ratio, size)) in crops.iter().zip([
        ("16x9", (1200, 675)),
        ("4x3", (1200, 900)),
        ("1x1", (1000, 1000)),
    ]) {
        assert!(
            url.starts_with("https://example.org/2024/06/10/big/lead.") && url.contains(ratio),
            "{url}"
        );
        let file = site
            .public()
            .join(url.trim_start_matches("https://example.org/"));
        let img = image::open(&file).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!((img.width(), img.height()), size, "{url}");
        assert!(u64::from(img.width()) * u64::from(img.height()) >= 50_000);
    }
    let small = site.read("2024/06/10/small/index.html");
    assert!(
        !small.contains("max-image-preview"),
        "800 px is under Discover's 1,200"
    );
    assert!(
        small.contains("-16x9-800.jpg"),
        "crops of a smaller photo keep its width"
    );
}

#[test]
fn init_writes_an_about_page_that_is_warned_about_until_it_is_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("digest");
    assert!(common::gazette(&["init"], &root).status.success());
    let options = BuildOptions::new(&root);
    // A draft: the first deploy (build --strict) works, and publishes no /about/.
    let strict = BuildOptions {
        strict: true,
        base_url: Some("https://me.github.io/news/".into()),
        ..options.clone()
    };
    build(&strict).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(!root.join("public/about/index.html").exists());
    // Where drafts are shown (serve, check, --drafts): the page, and the warning.
    let drafts = BuildOptions {
        drafts: true,
        ..strict.clone()
    };
    let report = build(&BuildOptions {
        strict: false,
        ..drafts
    })
    .unwrap();
    assert_eq!(
        common::lines(&report.warnings),
        ["content/pages/about.md:8: still holds the text `gazette init` wrote; say who edits the digest, how stories are chosen and corrected, and how to reach you (news surfaces ask for it), then remove each \"(Replace this: …)\""]
    );
    // Filled in and no longer a draft: published at /about/, in every footer and as the
    // publisher's editorial policy.
    std::fs::write(root.join("content/pages/about.md"), "---\ntitle: About\n---\n## Editorial policy {#editorial-policy}\n\nWe summarise; we link.\n").unwrap();
    build(&strict).unwrap_or_else(|e| panic!("{e:#}"));
    let about = std::fs::read_to_string(root.join("public/about/index.html")).unwrap();
    assert!(
        about.contains("<h2 id=editorial-policy>Editorial policy</h2>"),
        "{about}"
    );
    let front = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(front.contains("<a href=/news/about/>About</a>"), "{front}");
    let article = walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().to_string_lossy().contains("/welcome/index.html"))
        .unwrap();
    let page = std::fs::read_to_string(article.path()).unwrap();
    assert!(
        page.contains(
            "\"publishingPrinciples\":\"https://me.github.io/news/about/#editorial-policy\""
        ),
        "{page}"
    );
    // A page may not take an address the site's own pages use.
    std::fs::write(
        root.join("content/pages/topics.md"),
        "---\ntitle: Topics\n---\nx\n",
    )
    .unwrap();
    let error = format!("{:#}", build(&strict).unwrap_err());
    assert!(error.contains("content/pages/topics.md: `topics` is an address the site's own pages use (or no name at all); rename the file, such as about.md"), "{error}");
}

#[test]
fn a_page_may_not_take_a_languages_address_or_another_pages() {
    let toml = format!("{SITE_TOML}[languages.ko]\ntitle = \"티\"\n");
    let page = "---\ntitle: X\n---\nx\n";
    let site = TestSite::new(
        &toml,
        &[
            ("content/pages/ko.md", page),
            ("content/a.md", &article("title: A\ndate: 2024-06-10", "x")),
        ],
    );
    assert!(site.build_error().contains("content/pages/ko.md: `/ko/` is where the site's `ko` pages are; rename the file, such as about.md"), "{}", site.build_error());
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/pages/about.md", page),
            ("content/pages/About.markdown", page),
        ],
    );
    let error = site.build_error();
    assert!(error.contains("content/pages/about.md: is published at `/about/` too, as content/pages/About.markdown is; keep one of them"), "{error}");
}
