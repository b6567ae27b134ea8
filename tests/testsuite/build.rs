//! Integration tests: build small sites into temporary folders and check the written files.

use crate::common;

use common::{article, count, TestSite, SITE_TOML};

fn numbered_articles(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            (
                format!("content/a{i:03}.md"),
                article(
                    &format!(
                        "title: Story {i:03}\ndate: 2018-08-{:02}T10:{:02}:00Z\ntopics: [News]",
                        1 + i % 28,
                        i % 60
                    ),
                    "Body.",
                ),
            )
        })
        .collect()
}

#[test]
fn writes_every_page_kind_at_its_url() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/08/kim.md", &article("title: Putin ready to meet Kim\ndate: 2018-08-15T10:00:00+09:00\ntopics: [Diplomacy, North Korea]\nsource: {name: The Times of Israel, url: \"https://www.timesofisrael.com/putin/\"}", "Putin said he is ready.\n\nMore text.")),
            ("content/2018/08/older.md", &article("title: Older story\ndate: 2018-08-14\ntopics: Diplomacy", "Older body.")),
            ("content/2017/12/last-year.md", &article("title: Last year\ndate: 2017-12-31T12:00:00Z", "Old.")),
        ],
    );
    let report = site.build();
    assert_eq!(report.articles, 3);
    let page = site.read("2018/08/15/kim/index.html");
    assert!(page.contains("Putin ready to meet Kim"));
    assert!(page.contains("href=\"https://www.timesofisrael.com/putin/\""));
    assert!(page.contains("The Times of Israel"));
    assert!(page.contains("href=\"/topics/north-korea/\""));
    // Previous (older) article link, and no newer one.
    assert!(page.contains("href=\"/2018/08/14/older/\""));
    for path in [
        "index.html",
        "2018/08/15/index.html",
        "2018/08/14/index.html",
        "2018/08/index.html",
        "2018/index.html",
        "2017/12/31/index.html",
        "2017/12/index.html",
        "2017/index.html",
        "archive/index.html",
        "topics/index.html",
        "topics/diplomacy/index.html",
        "topics/north-korea/index.html",
        "404.html",
        "highlight.css",
        ".nojekyll",
        "2017/12/31/last-year/index.html",
        "2018/08/14/older/index.html",
    ] {
        assert!(
            site.exists(path),
            "{path} missing; files: {:?}",
            site.files()
        );
    }
    let topic = site.read("topics/diplomacy/index.html");
    assert!(
        topic.find("Putin ready to meet Kim").unwrap() < topic.find("Older story").unwrap(),
        "newest first"
    );
    assert!(!topic.contains("Last year"));
    let day = site.read("2018/08/14/index.html");
    assert!(day.contains("Older story") && !day.contains("Putin ready"));
    let archive = site.read("archive/index.html");
    assert!(archive.contains("href=\"/2018/08/\"") && archive.contains("href=\"/2017/12/\""));
    let home = site.read("index.html");
    assert!(home.find("Putin ready").unwrap() < home.find("Last year").unwrap());
}

#[test]
fn pagination_edges() {
    // The first page of a list holds paginate_by articles in full, each later one
    // paginate_later_by headlines; the front page is one page that links to the editions.
    for (n, pages) in [
        (0usize, 1usize),
        (1, 1),
        (3, 1),
        (4, 2),
        (5, 2),
        (6, 3),
        (9, 4),
    ] {
        let site = TestSite::owned(
            &format!("{SITE_TOML}paginate_by = 3\npaginate_later_by = 2\n"),
            &numbered_articles(n),
        );
        site.build();
        assert!(site.exists("index.html"), "n={n}");
        assert!(
            !site.exists("page/2/index.html"),
            "n={n}: the front page is one page"
        );
        assert!(site.read("index.html").contains("href=\"/editions/\""));
        if n == 0 {
            continue;
        }
        for p in 2..=pages {
            let page = site.read(&format!("topics/news/page/{p}/index.html"));
            assert!(
                page.contains(&format!("href=\"/topics/news/page/{}/\"", p - 1))
                    || (p == 2 && page.contains("href=\"/topics/news/\"")),
                "n={n} p={p} links back"
            );
            let items = count(&page, "/\">Story ");
            assert_eq!(
                items,
                (n - 3 - 2 * (p - 2)).min(2),
                "n={n} p={p}: headlines"
            );
            assert!(!page.contains("item__summary"), "n={n} p={p}: no summaries");
        }
        assert!(
            !site.exists(&format!("topics/news/page/{}/index.html", pages + 1)),
            "n={n}: no page {}",
            pages + 1
        );
        let topic = site.read("topics/news/index.html");
        if pages > 1 {
            assert!(
                topic.contains("href=\"/topics/news/page/2/\""),
                "n={n}: first page links forward"
            );
        }
        assert_eq!(
            count(&topic, "class=\"item__summary\""),
            n.min(3),
            "n={n}: page one holds at most paginate_by items, in full"
        );
    }
}

#[test]
fn days_are_cut_at_midnight_in_the_site_time_zone() {
    let toml = SITE_TOML.replace("UTC", "Asia/Seoul");
    let site = TestSite::new(
        &toml,
        &[
            (
                "content/late.md",
                &article("title: Late in UTC\ndate: 2018-08-15T23:30:00Z", "x"),
            ),
            (
                "content/early.md",
                &article(
                    "title: Early in Seoul\ndate: 2018-08-16T08:59:00+09:00",
                    "x",
                ),
            ),
            (
                "content/naive.md",
                &article("title: Naive time\ndate: 2018-08-16 00:30", "x"),
            ),
        ],
    );
    site.build();
    // 23:30 UTC is 08:30 the next day in Seoul.
    assert!(
        site.exists("2018/08/16/late/index.html"),
        "{:?}",
        site.files()
    );
    assert!(site.exists("2018/08/16/early/index.html"));
    // A date without an offset is read in the site's zone.
    assert!(site.exists("2018/08/16/naive/index.html"));
    assert!(site
        .read("2018/08/16/naive/index.html")
        .contains("2018-08-16T00:30:00+09:00"));
    assert!(!site.exists("2018/08/15/index.html"));
}

#[test]
fn accepts_every_documented_date_format() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/rfc.md",
                &article("title: A\ndate: 2018-08-15T10:00:00+09:00", "x"),
            ),
            (
                "content/bare.md",
                &article("title: B\ndate: 2018-08-15", "x"),
            ),
            (
                "content/jekyll.md",
                &article("title: C\ndate: 2018-08-15 10:00:00 +0900", "x"),
            ),
            (
                "content/quoted.md",
                &article("title: D\ndate: \"2018-08-15T10:00:00Z\"", "x"),
            ),
            ("content/2018-08-15-from-name.md", &article("title: E", "x")),
        ],
    );
    site.build();
    for slug in ["rfc", "bare", "jekyll", "quoted", "from-name"] {
        assert!(
            site.exists(&format!("2018/08/15/{slug}/index.html")),
            "{slug}: {:?}",
            site.files()
        );
    }
    assert!(site
        .read("2018/08/15/jekyll/index.html")
        .contains("datetime=\"2018-08-15T10:00:00+09:00\""));
}

#[test]
fn unicode_topics_get_readable_slugs() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/a.md", &article("title: A\ndate: 2018-08-15\ntopics: [Côte d’Ivoire, 北朝鮮, Россия, \"  North   Korea \"]", "x"))],
    );
    site.build();
    for slug in ["côte-d-ivoire", "北朝鮮", "россия", "north-korea"] {
        assert!(
            site.exists(&format!("topics/{slug}/index.html")),
            "{slug}: {:?}",
            site.files()
        );
    }
    assert!(site
        .read("topics/côte-d-ivoire/index.html")
        .contains("Côte d’Ivoire"));
    assert!(site
        .read("topics/index.html")
        .contains("href=\"/topics/北朝鮮/\""));
}

#[test]
fn topics_that_differ_only_in_case_are_one_topic() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article("title: A\ndate: 2018-08-15\ntopics: [North Korea]", "x"),
            ),
            (
                "content/b.md",
                &article("title: B\ndate: 2018-08-14\ntopics: [north korea]", "x"),
            ),
        ],
    );
    site.build();
    let page = site.read("topics/north-korea/index.html");
    assert!(page.contains(">A<") || page.contains(">A</a>"));
    assert!(page.contains(">B</a>"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let files = [
        (
            "content/pub.md",
            article("title: Published\ndate: 2018-08-15", "x"),
        ),
        (
            "content/draft.md",
            article(
                "title: Secret draft\ndate: 2018-08-15\ndraft: true\ntopics: [Hidden]",
                "x",
            ),
        ),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let site = TestSite::new(SITE_TOML, &refs);
    site.build();
    assert!(!site.exists("2018/08/15/draft/index.html"));
    assert!(!site.exists("topics/hidden/index.html"));
    assert!(!site.read("index.html").contains("Secret draft"));
    let mut options = site.options();
    options.drafts = true;
    gazette::pipeline::build::build(&options).unwrap();
    assert!(site.exists("2018/08/15/draft/index.html"));
}

#[test]
fn future_articles_wait_for_their_date() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/f.md",
            &article("title: From the future\ndate: 2999-01-01", "x"),
        )],
    );
    site.build();
    assert!(!site.exists("2999/01/01/f/index.html"));
    let mut options = site.options();
    options.future = true;
    gazette::pipeline::build::build(&options).unwrap();
    assert!(site.exists("2999/01/01/f/index.html"));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let toml = SITE_TOML.replace("https://example.org/", "https://user.github.io/digest");
    let site = TestSite::new(
        &toml,
        &[
            ("content/2018/08/kim.md", &article("title: Kim\ndate: 2018-08-15\ntopics: [Diplomacy]\nimage: {src: map.svg, alt: A map}", "See [the archive](/archive/) and [older](older.md).")),
            ("content/2018/08/older.md", &article("title: Older\ndate: 2018-08-14", "x")),
            ("content/2018/08/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ],
    );
    site.build();
    let page = site.read("2018/08/15/kim/index.html");
    assert!(
        page.contains("href=\"/digest/archive/\""),
        "markdown root links get the base path"
    );
    assert!(
        page.contains("href=\"/digest/2018/08/14/older/\""),
        "relative .md links point at the article"
    );
    assert!(
        page.contains("src=\"/digest/2018/08/map.svg\""),
        "front matter images resolve"
    );
    assert!(page.contains("href=\"/digest/style.css\""));
    assert!(
        page.contains("href=\"https://user.github.io/digest/2018/08/15/kim/\""),
        "canonical URL"
    );
    assert!(page.contains("href=\"/digest/topics/diplomacy/\""));
    assert!(site.exists("2018/08/map.svg"));
    for file in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(file);
        for attr in ["href=\"/", "src=\"/"] {
            for (i, _) in html.match_indices(attr) {
                assert!(
                    html[i + attr.len()..].starts_with("digest/"),
                    "{file}: link outside /digest/: {}",
                    &html[i..(i + 40).min(html.len())]
                );
            }
        }
    }
    // --base-url overrides site.toml.
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:8000/".into());
    gazette::pipeline::build::build(&options).unwrap();
    assert!(site
        .read("2018/08/15/kim/index.html")
        .contains("href=\"/archive/\""));
}

#[test]
fn files_beside_a_lone_article_go_beside_its_page() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/2018/kim/index.md", &article("title: Kim\ndate: 2018-08-15\nimage: {src: photo.svg, alt: Photo, caption: Vladivostok, credit: AFP}", "![Map](maps/map.svg)")),
            ("content/2018/kim/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ("content/2018/kim/maps/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ],
    );
    site.build();
    assert!(
        site.exists("2018/08/15/kim/photo.svg"),
        "{:?}",
        site.files()
    );
    assert!(site.exists("2018/08/15/kim/maps/map.svg"));
    let page = site.read("2018/08/15/kim/index.html");
    assert!(page.contains("src=\"/2018/08/15/kim/photo.svg\""));
    assert!(page.contains("src=\"/2018/08/15/kim/maps/map.svg\""));
    assert!(page.contains("Vladivostok") && page.contains("AFP"));
}

#[test]
fn site_templates_override_the_theme() {
    let site = TestSite::fixture("template-override");
    site.build();
    let page = site.read("2018/08/15/overridden/index.html");
    assert!(
        page.starts_with("<!-- custom article template -->"),
        "{page}"
    );
    assert!(page.contains("<h1>Overridden</h1>"));
    // Other templates still come from the theme.
    assert!(site.read("index.html").contains("<!doctype html>"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article("title: Good\ndate: 2018-08-15", "x"),
        )],
    );
    site.build();
    let before = site.files();
    let index_before = site.read("index.html");
    site.write(
        "content/b.md",
        "---\ntitle: Broken\ndate: not a date\n---\n",
    );
    site.write(
        "content/c.md",
        &article("title: New\ndate: 2018-08-16", "x"),
    );
    let error = site.build_error();
    assert!(error.contains("content/b.md:3:"), "{error}");
    assert_eq!(site.files(), before);
    assert_eq!(site.read("index.html"), index_before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty());
    // A template error also fails before anything is replaced.
    site.write(
        "content/b.md",
        &article("title: Fixed\ndate: 2018-08-15", "x"),
    );
    site.write("templates/article.html", "{% if %}");
    let error = site.build_error();
    assert!(error.contains("article.html"), "{error}");
    assert_eq!(site.files(), before);
}

#[test]
fn two_articles_with_one_url_are_an_error_naming_both() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a/kim.md",
                &article("title: One\ndate: 2018-08-15", "x"),
            ),
            (
                "content/b/kim.md",
                &article("title: Two\ndate: 2018-08-15T20:00:00Z", "x"),
            ),
        ],
    );
    assert_eq!(
        site.build_error(),
        "content/b/kim.md: has the same URL /2018/08/15/kim/ as content/a/kim.md; give one of them a different `slug:`\n1 problem found; nothing was written"
    );
    assert!(!site.public().exists());
}

#[test]
fn slugs_cannot_escape_the_output_folder() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/a.md", &article("title: Sneaky\ndate: 2018-08-15\nslug: ../../../../etc/passwd\ntopics: [\"../../x\"]", "x"))],
    );
    site.build();
    assert!(
        site.exists("2018/08/15/etc-passwd/index.html"),
        "{:?}",
        site.files()
    );
    assert!(site.exists("topics/x/index.html"));
    assert!(!site.root().join("etc").exists());
}

#[test]
fn titles_and_topics_are_escaped() {
    let site = TestSite::new(
        SITE_TOML,
        &[("content/x.md", &article("title: \"<script>alert(1)</script> & more\"\ndate: 2018-08-15\ntopics: [\"<script>bad()</script>\"]\nsummary: \"<script>s()</script>\"", "x"))],
    );
    site.build();
    for file in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(file);
        assert!(!html.contains("<script>"), "{file} has an unescaped script");
    }
    let page = site.read("2018/08/15/x/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(
        site.exists("topics/script-bad-script/index.html"),
        "{:?}",
        site.files()
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build();
    let first: Vec<(String, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|f| {
            let b = std::fs::read(site.public().join(&f)).unwrap();
            (f, b)
        })
        .collect();
    site.build();
    let second: Vec<(String, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|f| {
            let b = std::fs::read(site.public().join(&f)).unwrap();
            (f, b)
        })
        .collect();
    assert!(first.len() > 10);
    assert_eq!(first, second);
}

#[test]
fn markdown_features_and_highlighting() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.read("2018/08/15/features/index.html");
    assert!(page.contains("<table>"));
    assert!(page.contains("<del>gone</del>"));
    assert!(page.contains("type=\"checkbox\""));
    assert!(page.contains("class=\"footnote-definition\""));
    assert!(page.contains("<h2 id=\"why-it-matters\">"));
    assert!(page.contains("“quoted”"));
    assert!(page
        .contains("<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code><span class=\"hl-"));
    let css = site.read("highlight.css");
    assert!(css.contains(".hl-1{color:#") && css.contains(".hd-1{color:#"));
    assert!(css.contains("prefers-color-scheme: dark"));
}

#[test]
fn summary_falls_back_to_more_marker_then_first_paragraph() {
    let site = TestSite::fixture("basic");
    site.build();
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("Lead paragraph of the features article."));
    assert!(!day.contains("Second paragraph"));
    assert!(day.contains("Before the fold.") && !day.contains("After the fold."));
}

#[test]
fn a_rebuild_rewrites_only_changed_files_and_removes_stale_ones() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article(
                    "title: Alpha\ndate: 2018-08-15\ntopics: [One]",
                    "Alpha body.",
                ),
            ),
            (
                "content/b.md",
                &article("title: Beta\ndate: 2018-08-14\ntopics: [Two]", "Beta body."),
            ),
        ],
    );
    site.build();
    let mtime = |p: &str| {
        std::fs::metadata(site.public().join(p))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before: Vec<_> = site.files().iter().map(|f| (f.clone(), mtime(f))).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    let after: Vec<_> = site.files().iter().map(|f| (f.clone(), mtime(f))).collect();
    assert_eq!(before, after, "nothing changed, so nothing was rewritten");

    // Change one body (beyond its summary) and remove the other article.
    site.write(
        "content/a.md",
        &article(
            "title: Alpha\ndate: 2018-08-15\ntopics: [One]",
            "Alpha body.\n\nA new second paragraph.",
        ),
    );
    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    site.build();
    assert!(site
        .read("2018/08/15/a/index.html")
        .contains("A new second paragraph."));
    assert!(
        !site.exists("2018/08/14/b/index.html"),
        "stale pages are removed"
    );
    assert!(!site.exists("topics/two/index.html"));
    assert!(
        !site.public().join("2018/08/14").exists(),
        "empty folders are removed"
    );
    assert_eq!(
        mtime("style.css"),
        before.iter().find(|(f, _)| f == "style.css").unwrap().1
    );
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn incremental_builds_equal_clean_builds() {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| {
            let topics = ["Diplomacy", "Trade", "Climate"][i % 3];
            (format!("content/a{i:02}.md"), article(&format!("title: Story {i}\ndate: 2018-08-{:02}T1{}:00:00Z\ntopics: [{topics}, World]", 10 + i / 3, i % 3), &format!("Lead {i}.\n\nMore {i}.")))
        })
        .collect();
    let site = TestSite::owned(&format!("{SITE_TOML}paginate_by = 4\n"), &files);
    site.write(
        "content/linker.md",
        &article(
            "title: Linker\ndate: 2018-08-09\ntopics: [Meta]",
            "See [story 1](a01.md).",
        ),
    );
    let clean_dir = tempfile::tempdir().unwrap();
    let check = |step: &str| {
        let report = site.build();
        let mut options = site.options();
        options.output = Some(clean_dir.path().join("public"));
        let _ = std::fs::remove_dir_all(clean_dir.path().join("public"));
        gazette::pipeline::build::build_with_cache(
            &options,
            &mut gazette::pipeline::cache::BuildCache::default(),
        )
        .unwrap();
        let (incremental, clean) = (tree(&site.public()), tree(&clean_dir.path().join("public")));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&incremental), names(&clean), "{step}: the same files");
        for ((name, a), (_, b)) in incremental.iter().zip(&clean) {
            assert!(a == b, "{step}: {name} differs from a clean build");
        }
        report
    };
    check("first build");
    let report = check("no change");
    assert_eq!(
        report.rendered, 0,
        "nothing is rendered when nothing changed"
    );
    assert_eq!(report.changed, 0);

    site.write(
        "content/a05.md",
        &article(
            "title: Story 5\ndate: 2018-08-11T12:00:00Z\ntopics: [Climate, World]",
            "Lead 5.\n\nA new second paragraph.",
        ),
    );
    let report = check("body edit");
    // Its page, the site's, its two topics' and the editions feeds (3 formats each), and
    // the search index.
    assert_eq!(
        report.rendered,
        1 + 4 * 3 + 1,
        "a body edit re-renders only its page and feeds"
    );
    site.write(
        "content/a05.md",
        &article(
            "title: Story 5 renamed\ndate: 2018-08-11T12:00:00Z\ntopics: [Climate, World]",
            "New lead 5.",
        ),
    );
    check("title and summary edit");
    site.write(
        "content/a05.md",
        &article(
            "title: Story 5 renamed\ndate: 2018-08-20T12:00:00Z\ntopics: [Trade]",
            "New lead 5.",
        ),
    );
    check("date and topics edit");
    site.write(
        "content/a01.md",
        &article(
            "title: Story 1\ndate: 2018-08-10T11:00:00Z\nslug: moved\ntopics: [Trade]",
            "Lead 1.",
        ),
    );
    check("a linked article moves");
    site.write(
        "content/new.md",
        &article(
            "title: Brand new\ndate: 2018-08-01\ntopics: [Diplomacy]",
            "New.",
        ),
    );
    check("new article");
    std::fs::remove_file(site.root().join("content/a03.md")).unwrap();
    check("deleted article");
    site.write("templates/article.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ article.title }}</h1>{% endblock content %}");
    check("template override");
    site.write(
        "site.toml",
        &format!("{SITE_TOML}paginate_by = 3\ndescription = \"Changed\"\n"),
    );
    check("site.toml change");
}

#[test]
fn feeds_sitemap_and_robots_come_from_templates_a_site_can_override() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/kim.md",
                &article("title: Kim & Putin\ndate: 2018-08-15\ntopics: [Diplomacy]", "Body."),
            ),
            (
                "templates/robots.txt",
                "User-agent: *\nDisallow: /drafts/\n\nSitemap: {{ sitemap_url }}\n",
            ),
            (
                "templates/feeds/rss.xml",
                "<rss><channel><title>{{ feed.title }}</title>{% for e in feed.entries %}<item>{{ e.title }}</item>{% endfor %}</channel></rss>\n",
            ),
        ],
    );
    site.build();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n\nSitemap: https://example.org/sitemap.xml\n"
    );
    // Values are escaped in .xml templates.
    assert_eq!(
        site.read("rss.xml"),
        "<rss><channel><title>Test Digest</title><item>Kim &amp; Putin</item></channel></rss>\n"
    );
    assert!(site
        .read("topics/diplomacy/rss.xml")
        .starts_with("<rss><channel>"));
    // A theme without templates for machines gets the built-in ones.
    for name in [
        "feeds",
        "sitemap.xml",
        "sitemap-index.xml",
        "feeds.opml",
        "robots.txt",
    ] {
        let path = site.root().join("themes/default/templates").join(name);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    site.build();
    assert!(site
        .read("atom.xml")
        .contains("<title>Kim &amp; Putin</title>"));
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/2018/08/15/kim/</loc>"));
    assert!(site
        .read("feeds.opml")
        .contains("xmlUrl=\"https://example.org/atom.xml\""));
    assert!(site
        .read("robots.txt")
        .ends_with("Sitemap: https://example.org/sitemap.xml\n"));
}

#[test]
fn the_summary_states_the_size_of_the_whole_site() {
    let site = TestSite::fixture("basic");
    let out = common::gazette(&["build", "--root"], site.root());
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let report = site.build();
    let bytes: u64 = walkdir::WalkDir::new(site.public())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert_eq!(report.bytes, bytes, "every file of public/, counted once");
    let shown = gazette::util::size::human(bytes);
    assert!(shown.ends_with(" kB"), "{shown}");
    assert!(stdout.contains(&format!(" ({shown}; ")), "{stdout}");
}

/// `GAZETTE_TIMINGS` splits the pages stage into the threads' time of its parts (what
/// bench/compare.sh reads the templates' share from).
#[test]
fn timings_split_the_pages_stage_into_its_parts() {
    let site = TestSite::fixture("basic");
    let out = common::timed_build(site.root());
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("pages ("))
        .unwrap_or_else(|| panic!("no pages line in:\n{stderr}"));
    let parts = ["contexts ", "templates ", "minifying "];
    for part in parts {
        // Each part took some time: "templates 1.23ms", never "templates 0ns".
        let after = line.split(part).nth(1).unwrap_or_else(|| panic!("{line}"));
        let took = after.split([',', ')']).next().unwrap();
        assert!(
            took.ends_with('s') && took != "0ns",
            "{part}{took} in {line}"
        );
    }
}

/// The masthead and footer are rendered once for each variant (`fragment` in base.html)
/// and shared: each page still gets the one that marks where it is, and a site's own
/// `templates/masthead.html` replaces the theme's.
#[test]
fn the_shared_masthead_marks_the_page_it_is_on() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article(
                    "title: Older\ndate: 2018-08-15T10:00:00Z\ntopics: [News]",
                    "Text.",
                ),
            ),
            (
                "content/b.md",
                &article(
                    "title: Newer\ndate: 2018-08-16T10:00:00Z\ntopics: [News]",
                    "Text.",
                ),
            ),
        ],
    );
    site.build();
    let latest = "<a href=\"/2018/08/16/\" aria-current=\"page\">Latest</a>";
    assert!(site.read("2018/08/16/index.html").contains(latest));
    let older = site.read("2018/08/15/index.html");
    assert!(
        older.contains("<a href=\"/2018/08/16/\">Latest</a>"),
        "{older}"
    );
    let topics = site.read("topics/index.html");
    assert!(topics.contains("<a href=\"/topics/\" aria-current=\"page\">Topics</a>"));
    assert_eq!(count(&topics, "aria-current"), 1, "{topics}");
    let front = site.read("index.html");
    assert!(front.contains("<h1 class=\"masthead__title\">"), "{front}");
    let page = site.read("2018/08/15/a/index.html");
    assert!(page.contains("<p class=\"masthead__title\">"), "{page}");
    assert_eq!(count(&page, "aria-current"), 0, "{page}");
    assert_eq!(count(&page, "<p>Made with Gazette.</p>"), 1, "{page}");
    // The site's own masthead, with what base.html gives it.
    site.write(
        "templates/masthead.html",
        "<header>{{ site.title }} / {{ kind }} / {{ latest }}</header>",
    );
    site.build();
    let page = site.read("2018/08/15/a/index.html");
    assert!(
        page.contains("<header>Test Digest / article / false</header>"),
        "{page}"
    );
    let latest = site.read("2018/08/16/index.html");
    assert!(
        latest.contains("<header>Test Digest / day / true</header>"),
        "{latest}"
    );
}

/// A rebuild keeps the sitemap without making it again while nothing it lists changed
/// (its fingerprint), and makes it again as soon as something does.
#[test]
fn the_sitemap_is_made_again_exactly_when_what_it_lists_changes() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article("title: First\ndate: 2018-08-15T10:00:00Z", "Text."),
        )],
    );
    site.build();
    let modified = || {
        std::fs::metadata(site.public().join("sitemap.xml"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = (site.read("sitemap.xml"), modified());
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    assert_eq!((site.read("sitemap.xml"), modified()), before);
    // A new article: listed.
    site.write(
        "content/b.md",
        &article("title: Second\ndate: 2018-08-16T10:00:00Z", "Text."),
    );
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/2018/08/16/b/</loc>"),
        "{sitemap}"
    );
    // An update: its day is the page's last change.
    site.write(
        "content/a.md",
        &article(
            "title: First\ndate: 2018-08-15T10:00:00Z\nupdated: 2018-09-01T10:00:00Z",
            "Text.",
        ),
    );
    site.build();
    let sitemap = site.read("sitemap.xml");
    let a = "<loc>https://example.org/2018/08/15/a/</loc><lastmod>2018-09-01</lastmod>";
    assert!(sitemap.contains(a), "{sitemap}");
    // Another address for the site: every URL.
    site.write(
        "site.toml",
        &SITE_TOML.replace("https://example.org/", "https://news.example/"),
    );
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://news.example/2018/08/16/b/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("example.org"), "{sitemap}");
}
