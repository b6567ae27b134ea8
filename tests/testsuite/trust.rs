//! What a curator can trust: imported references become addresses and no placeholder
//! reaches a page, a summary is shown once, template errors point at the tag's line,
//! `check` says what the deploy will do, other tools' front matter is quiet, and text
//! from anywhere stays well-formed in pages, feeds and the terminal.

use crate::common::{self, article, TestSite, SITE_TOML};

/// Every file of the output that holds `needle`.
fn files_holding(site: &TestSite, needle: &str) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(site.public().join(f)).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

#[test]
fn a_hugo_ref_outside_a_link_becomes_the_articles_address_and_no_placeholder_is_published() {
    let site = TestSite::new(
        "title = \"T\"\nbase_url = \"https://example.org/digest/\"\ntimezone = \"UTC\"\nminify = false\n",
        &[
            (
                "content/2018/08/a.md",
                &article(
                    "title: A\ndate: 2018-08-15",
                    "Read {{< ref \"b.md\" >}} first.\n\nThen [the link]({{< relref \"b.md\" >}}) and <a href=\"{{< ref \"b.md\" >}}\">raw</a>.\n\n`{{< ref \"b.md\" >}}` in code.\n",
                ),
            ),
            (
                "content/2018/08/b.md",
                &article("title: B\ndate: 2018-08-14", "B."),
            ),
        ],
    );
    let out = common::gazette(&["build", "--strict", "--quiet", "--root"], site.root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.read("2018/08/15/a/index.html");
    assert!(
        page.contains(
            "<p>Read <a href=\"/digest/2018/08/14/b/\">/digest/2018/08/14/b/</a> first.</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/digest/2018/08/14/b/\">the link</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/digest/2018/08/14/b/\">raw</a>"),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"Read /digest/2018/08/14/b/ first.\">"),
        "{page}"
    );
    assert_eq!(files_holding(&site, "gazette-ref"), Vec::<String>::new());
}

#[test]
fn without_a_summary_the_first_paragraph_is_shown_once_on_the_article_page() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &article(
                    "title: A\ndate: 2018-08-15",
                    "The first paragraph says it all.\n\nMore.",
                ),
            ),
            (
                "content/2018/08/b.md",
                &article(
                    "title: B\ndate: 2018-08-15\nsummary: My own words.",
                    "The body.\n",
                ),
            ),
        ],
    );
    site.build();
    let a = site.read("2018/08/15/a/index.html");
    assert_eq!(
        common::count(&a, "<p>The first paragraph says it all.</p>"),
        1,
        "{a}"
    );
    assert!(
        a.contains("content=\"The first paragraph says it all.\""),
        "the description keeps it"
    );
    assert!(!a.contains("class=\"standfirst\""), "{a}");
    let b = site.read("2018/08/15/b/index.html");
    assert!(
        b.contains("<div class=\"standfirst\"><p>My own words.</p>"),
        "{b}"
    );
    // Lists still show the first paragraph as the summary.
    let day = site.read("2018/08/15/index.html");
    assert!(day.contains("The first paragraph says it all."));
}

#[test]
fn an_unclosed_template_tag_is_reported_at_the_line_it_opens() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/2018/08/a.md",
            &article("title: A\ndate: 2018-08-15", "A."),
        )],
    );
    site.write(
        "templates/topics.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n{%- if page.title %\n<p>x</p>\n{% endif %}\n{% endblock content %}\n",
    );
    let error = site.build_error();
    assert!(
        error.starts_with("templates/topics.html:4: template syntax error: "),
        "{error}"
    );
}
