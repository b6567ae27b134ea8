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
}

const EXPECTED: [Expected; 5] = [
    Expected {
        language: "ko",
        date: "2018년 8월 17일 금요일",
        article_words: ["분 분량", "The Hindu에서 원문 읽기"],
        front_words: [">오늘</a>", "최신 호 · 제"],
        day_words: ["제6호"],
        dir: "ltr",
    },
    Expected {
        language: "ja",
        date: "2018年8月17日(金)",
        article_words: ["分で読めます", "The Hinduで原文を読む"],
        front_words: [">今日</a>", "最新号 · 第"],
        day_words: ["第6号"],
        dir: "ltr",
    },
    Expected {
        language: "fr",
        date: "vendredi 17 août 2018",
        article_words: ["min de lecture", "Lire l’original sur The Hindu"],
        front_words: [">Aujourd’hui</a>", "Dernière édition · N°"],
        day_words: ["Édition n°\u{a0}6"],
        dir: "ltr",
    },
    Expected {
        language: "de",
        date: "Freitag, 17. August 2018",
        article_words: ["Min. Lesezeit", "Das Original bei The Hindu lesen"],
        front_words: [">Heute</a>", "Neueste Ausgabe · Nr."],
        day_words: ["Ausgabe Nr.\u{a0}6"],
        dir: "ltr",
    },
    Expected {
        language: "ar",
        date: "الجمعة، 17 أغسطس 2018",
        article_words: ["دقيقة", "اقرأ الأصل في The Hindu"],
        front_words: [">اليوم</a>", "أحدث عدد · العدد"],
        day_words: ["العدد رقم 6"],
        dir: "rtl",
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
            article.contains(&format!("{}, 17:00</time>", e.date)),
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
    site.write("i18n/ko.toml", "nav_today = \"오늘의 뉴스\"\n");
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
    site.write("i18n/ko.toml", "nav_today = \"오늘\"\nrelated = 3\n");
    assert_eq!(
        site.build_error(),
        "i18n/ko.toml:2: `related` must be a word in quotes, like related = \"…\""
    );
}
