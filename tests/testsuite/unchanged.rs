//! The rebuild of an unchanged site: nothing read, rendered or written, the last build's
//! report (warnings included) given again; and every change that must make a real build
//! does: an input's bytes (even with its old modification time put back), a file of the
//! output, the options, the clock passing an article's date or the news window.

use crate::common::{article, TestSite, SITE_TOML};
use gazette::pipeline::build::{build, BuildOptions};
use gazette::source::stamps::SETTLED;
use std::time::{Duration, SystemTime};

/// Waits until every file written so far is old enough for its stamp to be trusted.
fn settle() {
    std::thread::sleep(SETTLED + Duration::from_millis(100));
}

/// Every output file with its modification time.
fn times(site: &TestSite) -> Vec<(String, SystemTime)> {
    site.files()
        .into_iter()
        .map(|f| {
            let t = std::fs::metadata(site.public().join(&f))
                .unwrap()
                .modified()
                .unwrap();
            (f, t)
        })
        .collect()
}

fn site() -> TestSite {
    TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article(
                    "title: Alpha\ndate: 2018-08-15\ntopics: [One]",
                    "Alpha body, see [this](missing.md).",
                ),
            ),
            (
                "content/b.md",
                &article("title: Beta\ndate: 2018-08-14\ntopics: [Two]", "Beta body."),
            ),
        ],
    )
}

#[test]
fn an_unchanged_site_is_not_built_again_and_its_warnings_are_given_again() {
    let site = site();
    let first = site.build();
    assert!(!first.unchanged, "the first build is a real one");
    assert!(
        !site.build().unchanged,
        "files this recent are not trusted yet"
    );
    settle();
    let recorded = site.build();
    assert!(!recorded.unchanged);
    let before = times(&site);
    let again = site.build();
    assert!(again.unchanged, "nothing changed since the last build");
    assert_eq!(
        (again.articles, again.pages, again.files, again.bytes),
        (
            recorded.articles,
            recorded.pages,
            recorded.files,
            recorded.bytes
        )
    );
    assert_eq!((again.rendered, again.changed), (0, 0));
    let warnings = |r: &gazette::pipeline::build::BuildReport| -> Vec<String> {
        r.warnings.iter().map(|w| w.to_string()).collect()
    };
    assert_eq!(warnings(&again), warnings(&recorded));
    assert!(
        warnings(&again)[0].starts_with("content/a.md:"),
        "{:?}",
        warnings(&again)
    );
    assert_eq!(times(&site), before, "no file was touched");

    // --strict refuses what the unchanged build would only have warned about.
    let strict = BuildOptions {
        strict: true,
        ..site.options()
    };
    let error = format!(
        "{:#}",
        build(&strict).expect_err("strict fails on the warning")
    );
    assert!(error.contains("content/a.md:"), "{error}");
}

#[test]
fn a_changed_input_or_output_file_makes_a_real_build() {
    let site = site();
    site.build();
    settle();
    site.build();
    assert!(site.build().unchanged);

    // A page removed from the output by hand is made again.
    std::fs::remove_file(site.public().join("topics/two/index.html")).unwrap();
    let report = site.build();
    assert!(!report.unchanged);
    assert!(site.exists("topics/two/index.html"));
    assert!(
        site.build().unchanged,
        "and the next build trusts the output again"
    );

    // The same number of bytes, and the old modification time put back: still seen.
    let path = site.root().join("content/b.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.write(
        "content/b.md",
        &article("title: Beta\ndate: 2018-08-14\ntopics: [Two]", "Bxta body."),
    );
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    assert!(!site.build().unchanged);
    assert!(site.read("2018/08/14/b/index.html").contains("Bxta body."));

    // Other options, another build.
    settle();
    site.build();
    let drafts = BuildOptions {
        drafts: true,
        ..site.options()
    };
    assert!(!build(&drafts).unwrap().unchanged);
}

#[test]
fn the_clock_passing_an_article_s_date_or_the_news_window_makes_a_real_build() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/old.md",
                &article("title: Two days old\ndate: 2030-01-01T00:00:00Z", "Old."),
            ),
            (
                "content/soon.md",
                &article("title: Scheduled\ndate: 2030-01-03T01:00:00Z", "Soon."),
            ),
        ],
    );
    let at = |time: &str| BuildOptions {
        now: Some(time.parse().unwrap()),
        ..site.options()
    };
    build(&at("2030-01-02T23:00:00Z")).unwrap();
    settle();
    assert!(!build(&at("2030-01-02T23:00:00Z")).unwrap().unchanged);
    assert!(build(&at("2030-01-02T23:30:00Z")).unwrap().unchanged);
    let news = site.read("news-sitemap.xml");
    assert!(
        news.contains("Two days old") && !news.contains("Scheduled"),
        "{news}"
    );
    assert!(!site.exists("2030/01/03/soon/index.html"));

    // The scheduled article's time has come, and the old one left the two-day window.
    assert!(!build(&at("2030-01-03T02:00:00Z")).unwrap().unchanged);
    assert!(site.exists("2030/01/03/soon/index.html"));
    let news = site.read("news-sitemap.xml");
    assert!(
        !news.contains("Two days old") && news.contains("Scheduled"),
        "{news}"
    );
}
