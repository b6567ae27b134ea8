//! Digests in other languages: the demo built in Korean, Japanese, French, German and
//! Arabic (dates and the theme's words on day, article and front pages), a site's own
//! words, and the warning for a word the theme lacks.

use crate::common::{self, TestSite};

/// The demo digest (the repository's `content/` and `site.toml`) with `language` set to
/// `language` and `minify = false`, in a temporary folder.
fn demo(language: &str) -> TestSite {
    let site = TestSite::new("title = \"x\"\nbase_url = \"https://x.org/\"\n", &[]);
    common::copy_dir(
        &common::repo().join("content"),
        &site.root().join("content"),
    );
    let toml = std::fs::read_to_string(common::repo().join("site.toml")).unwrap();
    let toml = toml.replace("language = \"en\"", &format!("language = \"{language}\""));
    assert!(toml.contains(&format!("language = \"{language}\"")));
    site.write(
        "site.toml",
        &toml.replace("[extra]", "minify = false\n\n[extra]"),
    );
    site
}

/// What the day page, an article page and the front page of the demo must show in one
/// language: the day's date, the article's date line, and a few of the theme's words.
struct Expected {
    language: &'static str,
    /// 17 August 2018, the day of the Kerala floods article.
    date: &'static str,
    /// The article page's reading time, and its link to the original.
    article_words: [&'static str; 2],
    /// The front page's navigation and lead edition label.
    front_words: [&'static str; 2],
    /// The day page's edition label.
    day_words: [&'static str; 1],
    dir: &'static str,
    /// The article's time (17:00 in Seoul), in the language's digits.
    time: &'static str,
}

const EXPECTED: [Expected; 5] = [
    Expected {
        language: "ko",
        date: "2018년 8월 17일 금요일",
        article_words: ["분 분량", "The Hindu에서 원문 읽기"],
        front_words: [">최신</a>", "최신 호 · 제"],
        day_words: ["제6호"],
        dir: "ltr",
        time: "17:00",
    },
    Expected {
        language: "ja",
        date: "2018年8月17日(金)",
        article_words: ["分で読めます", "The Hinduで原文を読む"],
        front_words: [">最新</a>", "最新号 · 第"],
        day_words: ["第6号"],
        dir: "ltr",
        time: "17:00",
    },
    Expected {
        language: "fr",
        date: "vendredi 17 août 2018",
        article_words: ["min de lecture", "Lire l’original sur The Hindu"],
        front_words: [">Dernière édition</a>", "Dernière édition · N°"],
        day_words: ["Édition n°\u{a0}6"],
        dir: "ltr",
        time: "17:00",
    },
    Expected {
        language: "de",
        date: "Freitag, 17. August 2018",
        article_words: ["Min. Lesezeit", "Das Original bei The Hindu lesen"],
        front_words: [">Neueste</a>", "Neueste Ausgabe · Nr."],
        day_words: ["Ausgabe Nr.\u{a0}6"],
        dir: "ltr",
        time: "17:00",
    },
    Expected {
        language: "ar",
        date: "الجمعة، ١٧ أغسطس ٢٠١٨",
        article_words: ["دقيقة", "اقرأ الأصل في The Hindu"],
        front_words: [">الأحدث</a>", "أحدث عدد · العدد"],
        day_words: ["العدد رقم ٦"],
        dir: "rtl",
        time: "١٧:٠٠",
    },
];

#[test]
fn the_demo_reads_in_korean_japanese_french_german_and_arabic() {
    for e in &EXPECTED {
        let site = demo(e.language);
        let report = site.build();
        assert_eq!(
            common::lines(&report.warnings),
            Vec::<String>::new(),
            "{}: the theme has every word",
            e.language
        );
        let html_tag = format!("<html lang=\"{}\" dir=\"{}\">", e.language, e.dir);
        let day = site.read("2018/08/17/index.html");
        let article = site.read("2018/08/17/kerala-floods/index.html");
        let front = site.read("index.html");
        for (name, page) in [("day", &day), ("article", &article), ("front", &front)] {
            assert!(
                page.contains(&html_tag),
                "{}: {name} page: {html_tag}",
                e.language
            );
        }
        assert!(
            day.contains(&format!("<time datetime=\"2018-08-17\">{}</time>", e.date)),
            "{}: the day's heading\n{day}",
            e.language
        );
        for word in e.day_words {
            assert!(day.contains(word), "{}: day page has {word}", e.language);
        }
        assert!(
            article.contains(&format!("{}, {}</time>", e.date, e.time)),
            "{}: the article's date line",
            e.language
        );
        for word in e.article_words {
            assert!(
                article.contains(word),
                "{}: article page has {word}",
                e.language
            );
        }
        for word in e.front_words {
            assert!(
                front.contains(word),
                "{}: front page has {word}\n{front}",
                e.language
            );
        }
        assert!(
            !front.contains(">Today<") && !article.contains("Read the original"),
            "{}: no English words left",
            e.language
        );
        // Machines keep their formats, and feeds say the language.
        let atom = site.read("atom.xml");
        assert!(atom.contains(&format!("xml:lang=\"{}\"", e.language)));
        assert!(atom.contains("<published>2018-08-"));
        assert!(article.contains("\"datePublished\":\"2018-08-17T"));
    }
}

#[test]
fn a_site_changes_any_word_and_a_missing_one_is_english_with_a_warning() {
    let site = demo("ko");
    site.write("i18n/ko.toml", "nav_latest = \"오늘의 뉴스\"\n");
    let words = site.root().join("themes/default/i18n/ko.toml");
    let text = std::fs::read_to_string(&words).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("related ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&words, text).unwrap();
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["themes/default/i18n/ko.toml: no word for `related`; using the English \"Related\" (add `related = \"…\"` to i18n/ko.toml)"]
    );
    let front = site.read("index.html");
    assert!(front.contains(">오늘의 뉴스</a>"), "the site's word wins");
    assert!(front.contains(">주제</a>"), "the theme's other words stay");
    let article = site.read("2018/08/17/kerala-floods/index.html");
    assert!(article.contains("section-title\">Related</h2>"));
}

#[test]
fn a_language_without_words_is_english_with_one_warning() {
    let site = demo("sw");
    let report = site.build();
    assert_eq!(
        common::lines(&report.warnings),
        ["site.toml: the theme has no words in language \"sw\" (no themes/default/i18n/sw.toml or i18n/sw.toml): its words are in English; add i18n/sw.toml with the keys of themes/default/i18n/en.toml"]
    );
    assert!(site
        .read("index.html")
        .contains("<html lang=\"sw\" dir=\"ltr\">"));
}

#[test]
fn a_word_file_that_is_not_words_names_its_line() {
    let site = demo("ko");
    site.write("i18n/ko.toml", "nav_latest = \"오늘\"\nrelated = 3\n");
    assert_eq!(
        site.build_error(),
        "i18n/ko.toml:2: `related` must be a word in quotes, like related = \"…\""
    );
}

/// An English site with one Korean article (`lang: ko`).
fn mixed() -> TestSite {
    TestSite::new(
        common::SITE_TOML,
        &[
            (
                "content/2018/08/ko.md",
                &common::article(
                    "title: \"\\\"안전요원이 계속 탑승한다\\\"고 밝혀\"\ndate: 2018-08-15T09:00:00Z\nlang: ko\nslug: 서울시-자율주행-버스\ntopics: [Transport]",
                    "서울시는 \"안전요원이 계속 탑승한다\"고 밝혔다. 그는 '안전'이라고 했다.\n\n日本は\"自動運転\"と発表した。\n\n他说\"自动驾驶\"很安全。",
                ),
            ),
            (
                "content/2018/08/en.md",
                &common::article(
                    "title: \"The week's news\"\ndate: 2018-08-15T08:00:00Z\nsummary: \"A \\\"quiet\\\" week's end\"\ntopics: [Transport]",
                    "The week's \"news\".",
                ),
            ),
        ],
    )
}

#[test]
fn an_article_in_another_language_is_a_page_in_that_language() {
    let site = mixed();
    let report = site.build();
    assert_eq!(common::lines(&report.warnings), Vec::<String>::new());
    let page = site.read("2018/08/15/서울시-자율주행-버스/index.html");
    assert!(page.contains("<html lang=\"ko\" dir=\"ltr\">"), "{page}");
    assert!(page.contains("<header class=\"masthead\" lang=\"en\" dir=\"ltr\">"));
    assert!(page.contains("<footer class=\"site-footer\" lang=\"en\" dir=\"ltr\">"));
    assert!(page.contains("\"inLanguage\":\"ko\""));
    let english = site.read("2018/08/15/en/index.html");
    assert!(english.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(!english.contains("<header class=\"masthead\" lang="));
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("<li class=\"item\" lang=\"ko\">"), "{day}");
    assert!(site.read("atom.xml").contains("<entry xml:lang=\"ko\">"));
    assert!(site.read("feed.json").contains("\"language\": \"ko\""));
}

#[test]
fn lang_must_be_a_language_tag() {
    let site = TestSite::new(
        common::SITE_TOML,
        &[(
            "content/a.md",
            &common::article("title: A\ndate: 2018-08-15\nlang: Korean language", "x"),
        )],
    );
    assert_eq!(
        site.build_error(),
        "content/a.md:4: `lang` must be a language tag, such as `lang: ko` or `lang: pt-BR`\n1 problem found; nothing was written"
    );
}

#[test]
fn quotes_close_before_hangul_kana_and_han_and_headlines_get_smart_punctuation() {
    let site = mixed();
    site.build();
    let page = site.read("2018/08/15/서울시-자율주행-버스/index.html");
    assert!(
        page.contains("“안전요원이 계속 탑승한다”고 밝혔다"),
        "ko\n{page}"
    );
    assert!(page.contains("그는 ‘안전’이라고 했다"), "ko, single quotes");
    assert!(page.contains("日本は“自動運転”と発表した。"), "ja");
    assert!(page.contains("他说“自动驾驶”很安全。"), "zh");
    assert!(page.contains("<h1 class=\"article__title\">“안전요원이 계속 탑승한다”고 밝혀"));
    let english = site.read("2018/08/15/en/index.html");
    assert!(english.contains("<h1 class=\"article__title\">The week’s news"));
    assert!(english.contains("<title>The week’s news — Test Digest</title>"));
    assert!(
        english.contains("<p>A “quiet” week’s end</p>"),
        "the summary"
    );
    assert!(english.contains("<p>The week’s “news”.</p>"), "the body");
    assert!(site
        .read("atom.xml")
        .contains("<title>The week’s news</title>"));
}

#[test]
fn sitemap_feed_canonical_and_newsletter_urls_are_percent_encoded() {
    let site = mixed();
    site.build();
    let encoded = "https://example.org/2018/08/15/%EC%84%9C%EC%9A%B8%EC%8B%9C-%EC%9E%90%EC%9C%A8%EC%A3%BC%ED%96%89-%EB%B2%84%EC%8A%A4/";
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{encoded}</loc>")),
        "{sitemap}"
    );
    assert!(!sitemap.contains("서울"), "no raw URL in the sitemap");
    assert!(site
        .read("atom.xml")
        .contains(&format!("<id>{encoded}</id>")));
    assert!(site
        .read("rss.xml")
        .contains(&format!("<link>{encoded}</link>")));
    let page = site.read("2018/08/15/서울시-자율주행-버스/index.html");
    assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{encoded}\">")));
    let out = common::gazette(&["newsletter", "--latest", "--root"], site.root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.txt")).unwrap();
    assert!(text.contains(encoded), "{text}");
}

#[test]
fn the_theme_keeps_korean_words_whole_and_mirrors_with_logical_properties() {
    let css =
        std::fs::read_to_string(common::repo().join("themes/default/static/style.css")).unwrap();
    assert!(css.contains(":lang(ko) { word-break: keep-all;"));
    assert!(css.contains(":lang(ja), :lang(zh) { line-break: strict;"));
    for physical in [
        "margin-left",
        "padding-left",
        "border-left",
        "text-align: left",
        "text-align: right",
        " left:",
    ] {
        assert!(
            !css.contains(physical),
            "style.css still has `{physical}`: use a logical property"
        );
    }
}

/// Runs `node tests/tools/<script> URL...`; returns (success, everything it printed).
fn node(script: &str, urls: &[String]) -> (bool, String) {
    let tools = common::repo().join("tests/tools");
    assert!(
        tools.join("node_modules/playwright-core").is_dir(),
        "tests/tools/node_modules is missing: run `npm ci --prefix tests/tools`"
    );
    let out = std::process::Command::new("node")
        .arg(tools.join(script))
        .args(urls)
        .output()
        .expect("node is needed for the browser tests; run scripts/test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The demo in Arabic in headless Chromium: the page runs right to left, the navigation
/// starts at the right, the editor's note's rule is on the right, nothing scrolls
/// sideways, and the axe audit is clean in light and dark mode.
#[test]
#[ignore = "needs Node.js, Chromium and tests/tools/node_modules: run scripts/test"]
fn the_arabic_demo_mirrors_and_passes_axe() {
    let site = demo("ar");
    let port = common::free_port();
    let mut options = site.options();
    options.base_url = Some(format!("http://127.0.0.1:{port}/"));
    gazette::pipeline::build::build(&options).unwrap();
    let _server = common::StaticServer::start_on(&site.public(), port);
    let pages = [
        "",
        "2018/08/15/",
        "2018/08/17/kerala-floods/",
        "topics/",
        "search/",
    ];
    let urls: Vec<String> = pages
        .iter()
        .map(|p| format!("http://127.0.0.1:{port}/{p}"))
        .collect();
    let (ok, out) = node("rtl.mjs", &urls[1..2]);
    assert!(ok, "{out}");
    assert!(
        out.contains("\"dir\":\"rtl\",\"computed\":\"rtl\""),
        "{out}"
    );
    assert!(
        out.contains("\"note\":{\"left\":\"0px\",\"right\":\"3px\"}"),
        "{out}"
    );
    assert!(out.contains("\"navFromRight\":true"), "{out}");
    assert!(out.contains("\"sideways\":false"), "{out}");
    let (ok, out) = node("axe.mjs", &urls);
    assert!(ok, "the browser audit found problems in rtl:\n{out}");
    assert!(
        out.contains(&format!(
            "{} page(s) x 2 schemes, 0 problem(s)",
            pages.len()
        )),
        "{out}"
    );
}

#[test]
fn months_years_weeks_and_counts_read_in_the_language() {
    let site = demo("ko");
    site.build();
    let month = site.read("2018/08/index.html");
    assert!(
        month.contains(
            "<h1 class=\"page-head__title\">2018년 8월<span class=\"page-head__count\">: 기사 "
        ),
        "{month}"
    );
    let year = site.read("2018/index.html");
    assert!(
        year.contains("<h1 class=\"page-head__title\">2018년<span"),
        "{year}"
    );
    assert!(year.contains("<span class=\"month__name\">8월</span>"));
    let topic_feed = site.read("topics/climate/atom.xml");
    assert!(
        topic_feed.contains("<subtitle>Climate에 관한 The Morning Brief 기사</subtitle>"),
        "{topic_feed}"
    );
    assert!(site
        .read("editions/atom.xml")
        .contains("<title>The Morning Brief: 호별</title>"));
    assert!(site.read("feeds.opml").contains("The Morning Brief: 호별"));
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("minify = false", "minify = false\neditions = \"weekly\""),
    );
    // (Weekly editions have one note a week: the demo's notes are for days.)
    std::fs::remove_dir_all(site.root().join("content/editions")).unwrap();
    site.build();
    let week = site.read("2018/w33/index.html");
    assert!(week.contains("2018년 33주: 8월 13일–8월 19일"), "{week}");
}
