//! The digest features of issue 7 on small fixture sites: outlet pages and data/sources.yaml,
//! the OPML list of feeds, story threads and related articles, scheduled and expiring
//! articles, editions (notes, order, neighbours, feeds, weekly) and the search index.

mod common;

use common::{article, count, TestSite, SITE_TOML};

/// Runs Python on `script` with `args`; returns its stdout, panicking with its output on failure.
fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed; run .ci/run");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn sources_site() -> TestSite {
    TestSite::new(
        SITE_TOML,
        &[
            ("content/a.md", &article("title: Lira falls\ndate: 2018-08-13T10:00:00Z\ntopics: [Turkey]\nsource: {name: Reuters, url: \"https://www.reuters.com/a\"}", "A.")),
            ("content/b.md", &article("title: Tariffs doubled\ndate: 2018-08-10T10:00:00Z\ntopics: [Trade]\nsource: {name: reuters, url: \"https://www.reuters.com/b\"}", "B.")),
            ("content/c.md", &article("title: Bridge collapses\ndate: 2018-08-14T10:00:00Z\ntopics: [Italy]\nsource: \"https://www.bbc.co.uk/news/c\"", "C.")),
            ("content/d.md", &article("title: No source\ndate: 2018-08-14T11:00:00Z", "D.")),
            ("data/sources.yaml", "Reuters:\n  description: \"An international news agency.\"\n  url: https://www.reuters.com/\nReuter:\n  description: A typo.\n"),
        ],
    )
}

#[test]
fn every_outlet_gets_a_page_and_the_sources_page_counts_them() {
    let site = sources_site();
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings, ["data/sources.yaml:4: no article cites \"Reuter\"; check the spelling against the articles' `source.name` (or the site's host name)"]);

    let list = site.read("sources/index.html");
    assert!(
        list.contains("<a href=\"/sources/reuters/\">Reuters</a> <span class=\"count\">2<"),
        "{list}"
    );
    assert!(list.contains("<a href=\"/sources/bbc-co-uk/\">bbc.co.uk</a> <span class=\"count\">1<"));
    assert!(
        list.find("bbc.co.uk").unwrap() < list.find(">Reuters<").unwrap(),
        "sorted by name"
    );

    let reuters = site.read("sources/reuters/index.html");
    assert!(reuters.contains("An international news agency."));
    assert!(reuters.contains("<a href=\"https://www.reuters.com/\" rel=\"external\">"));
    assert!(reuters.contains("Lira falls") && reuters.contains("Tariffs doubled"));
    assert!(!reuters.contains("Bridge collapses"));
    assert!(reuters.find("Lira falls").unwrap() < reuters.find("Tariffs doubled").unwrap());

    let page = site.read("2018/08/14/c/index.html");
    assert!(page.contains("<a href=\"/sources/bbc-co-uk/\">More from bbc.co.uk in this digest</a>"));
    assert!(!site.read("2018/08/14/d/index.html").contains("More from"));
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/sources/reuters/</loc>"));
}

#[test]
fn a_bad_sources_file_names_its_line() {
    let site = sources_site();
    site.write(
        "data/sources.yaml",
        "Reuters:\n  homepage: https://www.reuters.com/\n",
    );
    assert_eq!(
        site.build_error(),
        "data/sources.yaml:1: unknown key `homepage` for \"Reuters\"; an outlet has `description` and `url` (its home page)\n1 problem found; nothing was written"
    );
}

#[test]
fn the_opml_file_lists_the_site_and_topic_feeds() {
    let site = sources_site();
    site.build();
    let outlines = python(
        "import sys, xml.etree.ElementTree as ET\n\
         root = ET.parse(sys.argv[1]).getroot()\n\
         assert root.tag == 'opml' and root.get('version') == '2.0'\n\
         print(root.find('head/title').text)\n\
         for o in root.iter('outline'):\n    print(o.get('text'), o.get('xmlUrl'), o.get('htmlUrl'))",
        &[site.public().join("feeds.opml").to_str().unwrap()],
    );
    let lines: Vec<&str> = outlines.lines().collect();
    assert_eq!(lines[0], "Test Digest: feeds");
    assert!(lines.contains(&"Test Digest https://example.org/atom.xml https://example.org/"));
    assert!(lines.contains(&"Topics None None"));
    assert!(lines.contains(&"Test Digest: Turkey https://example.org/topics/turkey/atom.xml https://example.org/topics/turkey/"));
    assert!(site.read("index.html").contains("href=\"/feeds.opml\""));
    assert_eq!(count(&site.read("feeds.opml"), "type=\"rss\""), 4);
}
