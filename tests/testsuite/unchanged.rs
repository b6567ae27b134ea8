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
    site.modified(site.files())
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
    settle();
    // The first build made no record: its files were too recent to be trusted.
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

    // As the command line says it (another program than this test's, so its first build
    // is a real one): the summary, and the warnings again on stderr.
    let first = crate::common::gazette(&["build", "--root"], site.root());
    assert!(String::from_utf8_lossy(&first.stdout).contains(" rendered, "));
    let out = crate::common::gazette(&["build", "--root"], site.root());
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.starts_with("Built 2 articles into ")
            && stdout.contains("; nothing changed since the last build)\n"),
        "{stdout}"
    );
    assert!(stderr.starts_with("warning: content/a.md:"), "{stderr}");
    assert_eq!(stderr, String::from_utf8_lossy(&first.stderr));
    assert_eq!(times(&site), before, "neither build touched a file");

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
fn the_clock_passing_a_date_an_expiry_or_the_news_window_or_going_back_makes_a_real_build() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/old.md",
                &article("title: Two days old\ndate: 2030-01-01T00:00:00Z", "Old."),
            ),
            (
                "content/soon.md",
                &article("title: Scheduled\ndate: 2029-12-30T00:00:00Z\npublish_date: 2030-01-03T01:00:00Z", "Soon."),
            ),
            (
                "content/gone.md",
                &article("title: Expiring\ndate: 2029-12-01T00:00:00Z\nexpiry_date: 2030-01-03T03:00:00Z", "Gone."),
            ),
        ],
    );
    let at = |time: &str| {
        let options = BuildOptions {
            now: Some(time.parse().unwrap()),
            ..site.options()
        };
        build(&options).unwrap().unchanged
    };
    at("2030-01-02T23:00:00Z");
    settle();
    assert!(
        !at("2030-01-02T23:00:00Z"),
        "the first settled build records"
    );
    assert!(at("2030-01-02T23:30:00Z"));
    let news = site.read("news-sitemap.xml");
    assert!(news.contains("Two days old"), "{news}");
    assert!(!site.exists("2029/12/30/soon/index.html"));

    // 48 hours after its date, the old article leaves the news sitemap.
    assert!(
        at("2030-01-03T00:00:00Z"),
        "still in the window at its last instant"
    );
    assert!(!at("2030-01-03T00:00:00.000000001Z"));
    assert!(!site.exists("news-sitemap.xml"));
    assert!(at("2030-01-03T00:30:00Z"));
    // The scheduled article's publish_date comes.
    assert!(!at("2030-01-03T01:00:00Z"));
    assert!(site.exists("2029/12/30/soon/index.html"));
    // The expiring one's expiry_date comes.
    assert!(at("2030-01-03T02:59:59Z"));
    assert!(site.exists("2029/12/01/gone/index.html"));
    assert!(!at("2030-01-03T03:00:00Z"));
    assert!(!site.exists("2029/12/01/gone/index.html"));
    // A clock set back sees the earlier site again.
    assert!(!at("2030-01-03T02:00:00Z"));
    assert!(site.exists("2029/12/01/gone/index.html"));
}

#[test]
fn templates_that_read_the_environment_are_rendered_every_time() {
    let site = site();
    site.write(
        "templates/robots.txt",
        "User-agent: *\n{% if get_env(name=\"GAZETTE_TEST_NEVER_SET\", default=\"\") == \"on\" %}Allow: /{% else %}Disallow: /{% endif %}\n",
    );
    site.build();
    settle();
    site.build();
    assert!(!site.build().unchanged);
    assert!(site.read("robots.txt").contains("Disallow: /"));
}
