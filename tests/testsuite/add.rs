//! Curating: `gazette add URL` against pages served on 127.0.0.1 by the test itself (in
//! several encodings, with and without each kind of metadata, redirects, errors and a page
//! that never answers), serve's bookmarklet, the warnings of `build` and `check` about
//! one story cited twice and tracking parameters, and `check --external`.

use crate::common::{self, article, Reply, TestSite, TestWeb, SITE_TOML};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs `gazette add` with `args` on `site` (with short time-outs).
fn add(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("add")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("GAZETTE_HTTP_TIMEOUT_MS", "300")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Adds `url` and returns the draft's text; panics with the error if it fails.
fn added(site: &TestSite, args: &[&str]) -> String {
    let out = add(site, args);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(
        path.starts_with(&site.root().display().to_string()),
        "{path}"
    );
    std::fs::read_to_string(path).unwrap()
}

/// Every file under `content/`, by path.
fn content(site: &TestSite) -> Vec<String> {
    common::snapshot(&site.root().join("content"))
        .into_keys()
        .collect()
}

fn kolkata_site() -> TestSite {
    TestSite::new(&SITE_TOML.replace("UTC", "Asia/Kolkata"), &[])
}

const FULL_PAGE: &str = r#"<!doctype html>
<html lang="en-IN"><head>
<meta charset="utf-8">
<title>Kerala floods: 300 dead | The Daily Meridian</title>
<meta property="og:title" content="Kerala floods: 300 dead as rains continue">
<meta property="og:description" content="The worst floods in a century have cut off &quot;whole districts&quot;.">
<meta property="og:image" content="/images/kerala.jpg">
<meta property="og:site_name" content="The Daily Meridian">
<meta name="author" content="Priya Nair">
<meta property="article:published_time" content="2018-08-16T09:30:00+05:30">
<link rel="canonical" href="/news/kerala-floods?id=7&amp;utm_source=twitter&amp;fbclid=abc">
</head><body><h1>Kerala floods</h1></body></html>"#;

#[test]
fn add_writes_a_draft_from_the_pages_metadata() {
    let web = TestWeb::start(&[(
        "/news/kerala-floods?id=7&utm_medium=social",
        Reply::html(FULL_PAGE),
    )]);
    let site = kolkata_site();
    let url = web.url("/news/kerala-floods?id=7&utm_medium=social");
    let out = add(
        &site,
        &[
            &url,
            "--topics",
            "India,Weather",
            "--story",
            "kerala-floods",
            "--date",
            "2018-08-16T10:00:00+05:30",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let path = site
        .root()
        .join("content/2018/08/2018-08-16-kerala-floods-300-dead-as-rains-continue.md");
    assert_eq!(stdout(&out), format!("{}\n", path.display()));
    let text = std::fs::read_to_string(&path).unwrap();
    let base = web.url("");
    assert_eq!(text, format!("---
title: \"Kerala floods: 300 dead as rains continue\"
date: 2018-08-16T10:00:00+05:30
topics: [\"India\", \"Weather\"]
draft: true
story: \"kerala-floods\"
summary: \"The worst floods in a century have cut off \\\"whole districts\\\".\"  # the page's own words: replace them with one or two sentences of yours
source:
  name: \"The Daily Meridian\"
  url: \"{base}/news/kerala-floods?id=7\"
image:
  src: \"{base}/images/kerala.jpg\"
  alt: \"\"  # what the image shows, for readers who cannot see it
  credit: \"The Daily Meridian\"
extra:
  source_author: \"Priya Nair\"
  source_published: \"2018-08-16T09:30:00+05:30\"
  source_language: \"en-IN\"
---
What happened, and why it matters to your readers.
"));
    let requests = web.requests();
    assert_eq!(requests.len(), 1, "one request: {requests:?}");
    assert!(
        requests[0]
            .user_agent
            .starts_with(&format!("Gazette/{} ", env!("CARGO_PKG_VERSION"))),
        "{requests:?}"
    );
    // A draft: left out of a build, previewed with --drafts; check finds nothing wrong.
    let check = common::gazette(&["check", "--root"], site.root());
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stderr(&check), "");
    site.build();
    assert!(!site.exists("2018/08/16/kerala-floods-300-dead-as-rains-continue/index.html"));
    let build = common::gazette(&["build", "--quiet", "--drafts", "--root"], site.root());
    assert!(build.status.success(), "{}", stderr(&build));
    let page = site.read("2018/08/16/kerala-floods-300-dead-as-rains-continue/index.html");
    assert!(page.contains("Kerala floods: 300 dead as rains continue"));
}

#[test]
fn twitter_cards_json_ld_and_the_title_tag_stand_in_for_open_graph() {
    let twitter = r#"<html><head><meta name="twitter:title" content="From the card"><meta name="twitter:description" content="Card text"><meta name="twitter:image" content="https://cdn.example/card.png"></head></html>"#;
    let json_ld = r#"<html lang="ml"><head><title>Ignored | Somewhere</title><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Page"},
 {"@type": ["NewsArticle", "ReportageNewsArticle"], "headline": "Rescue boats reach Chengannur",
  "description": "From the graph.", "image": {"@type": "ImageObject", "url": "/img/boats.jpg"},
  "author": [{"@type": "Person", "name": "Priya Nair"}, {"@type": "Person", "name": "Arun Menon"}],
  "publisher": {"@type": "Organization", "name": "Malayala Daily"}, "datePublished": "2018-08-17T08:00:00+05:30"}]}
</script></head></html>"#;
    let title_only = "<html><head><title>\n Kerala floods | Daily Meridian \n</title></head><body><p>Text</p></body></html>";
    let bare = "<p>No metadata at all.";
    let web = TestWeb::start(&[
        ("/twitter", Reply::html(twitter)),
        ("/json-ld", Reply::html(json_ld)),
        ("/title", Reply::html(title_only)),
        ("/news/landslide-in-wayanad", Reply::html(bare)),
    ]);
    let site = kolkata_site();
    let host = web.addr.to_string();
    let text = added(&site, &[&web.url("/twitter"), "--date", "2018-08-16"]);
    assert!(text.starts_with("---\ntitle: \"From the card\"\ndate: 2018-08-16\ntopics: []\ndraft: true\nsummary: \"Card text\""), "{text}");
    assert!(text.contains(&format!("source:\n  name: \"{host}\"\n  url: \"{}\"\nimage:\n  src: \"https://cdn.example/card.png\"\n", web.url("/twitter"))), "{text}");
    let text = added(&site, &[&web.url("/json-ld"), "--date", "2018-08-17"]);
    assert!(
        text.starts_with("---\ntitle: \"Rescue boats reach Chengannur\"\n"),
        "{text}"
    );
    assert!(text.contains("summary: \"From the graph.\""), "{text}");
    assert!(text.contains("  name: \"Malayala Daily\"\n"), "{text}");
    assert!(
        text.contains(&format!("  src: \"{}\"\n", web.url("/img/boats.jpg"))),
        "{text}"
    );
    assert!(text.contains("extra:\n  source_author: \"Priya Nair, Arun Menon\"\n  source_published: \"2018-08-17T08:00:00+05:30\"\n  source_language: \"ml\"\n---\n"), "{text}");
    let text = added(&site, &[&web.url("/title"), "--date", "2018-08-18"]);
    assert!(
        text.starts_with("---\ntitle: \"Kerala floods\"\n"),
        "the outlet's name is cut off: {text}"
    );
    assert!(
        text.contains("summary: \"\"  # one or two sentences in your own words\n"),
        "{text}"
    );
    assert!(
        !text.contains("image:") && !text.contains("extra:"),
        "{text}"
    );
    let text = added(
        &site,
        &[
            &web.url("/news/landslide-in-wayanad"),
            "--date",
            "2018-08-19",
        ],
    );
    assert!(
        text.starts_with("---\ntitle: \"Landslide in wayanad\"\n"),
        "no headline: from the address: {text}"
    );
    assert_eq!(
        content(&site),
        [
            "2018/08/2018-08-16-from-the-card.md",
            "2018/08/2018-08-17-rescue-boats-reach-chengannur.md",
            "2018/08/2018-08-18-kerala-floods.md",
            "2018/08/2018-08-19-landslide-in-wayanad.md",
        ]
    );
}

/// How a test page declares its encoding.
#[derive(Clone, Copy)]
enum Declared {
    Header,
    MetaCharset,
    HttpEquiv,
    Nothing,
}

/// A page with `title` in `charset`, declared as `how` says.
fn encoded_page(charset: &str, how: Declared, title: &str) -> Reply {
    let meta = match how {
        Declared::MetaCharset => format!("<meta charset=\"{charset}\">"),
        Declared::HttpEquiv => {
            format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">")
        }
        _ => String::new(),
    };
    let html = format!("<html><head>{meta}<title>{title} | Outlet</title><meta property=\"og:description\" content=\"{title}.\"></head></html>");
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap();
    let (bytes, _, unmappable) = encoding.encode(&html);
    assert!(!unmappable, "{charset}: {title}");
    match how {
        Declared::Header => {
            Reply::typed(&format!("text/html; charset={charset}"), bytes.into_owned())
        }
        _ => Reply::html(bytes.into_owned()),
    }
}

#[test]
fn pages_are_read_in_their_own_encoding() {
    use Declared::*;
    let pages = [
        ("euc-kr", Header, "북한, 김정은 위원장 방러 확정"),
        ("euc-kr", MetaCharset, "서울 아파트값 상승"),
        ("shift_jis", MetaCharset, "東京で記録的な大雨"),
        ("shift_jis", HttpEquiv, "大阪の天気は晴れ"),
        ("euc-jp", HttpEquiv, "日本の首相が辞任を表明"),
        ("gbk", MetaCharset, "中国经济增长放缓"),
        ("gb2312", Header, "上海股市收盘"),
        ("gb18030", Header, "北京时间新闻"),
        ("big5", MetaCharset, "台灣總統大選結果揭曉"),
        ("windows-1251", HttpEquiv, "Новости России"),
        ("koi8-r", MetaCharset, "Москва сегодня"),
        ("iso-8859-7", Header, "Ειδήσεις από την Αθήνα"),
        ("windows-1252", Nothing, "Café crème à Paris"),
    ];
    let mut routes: Vec<(String, Reply)> = pages
        .iter()
        .enumerate()
        .map(|(i, (charset, how, title))| (format!("/{i}"), encoded_page(charset, *how, title)))
        .collect();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice("<title>Ünïcödé with a BOM | Outlet</title>".as_bytes());
    routes.push((
        "/utf8-bom".into(),
        Reply::typed("text/html; charset=windows-1252", bom),
    ));
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    utf16.extend(
        "<title>Привет из UTF-16 | Outlet</title>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    routes.push(("/utf16".into(), Reply::html(utf16)));
    let routes: Vec<(&str, Reply)> = routes
        .iter()
        .map(|(p, r)| (p.as_str(), r.clone()))
        .collect();
    let web = TestWeb::start(&routes);
    let site = kolkata_site();
    let mut expected: Vec<(String, &str)> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("/{i}"), p.2))
        .collect();
    expected.push(("/utf8-bom".into(), "Ünïcödé with a BOM"));
    expected.push(("/utf16".into(), "Привет из UTF-16"));
    for (i, (path, title)) in expected.iter().enumerate() {
        let slug = format!("page-{i}");
        let text = added(
            &site,
            &[&web.url(path), "--slug", &slug, "--date", "2018-08-16"],
        );
        assert!(
            text.starts_with(&format!("---\ntitle: \"{title}\"\n")),
            "{path}: {text}"
        );
        if i < pages.len() {
            assert!(
                text.contains(&format!("summary: \"{title}.\"")),
                "{path}: {text}"
            );
        }
    }
    // A title in any script makes a readable file name.
    let text = added(&site, &[&web.url("/0"), "--date", "2018-09-01", "--force"]);
    assert!(text.contains("북한"));
    assert!(site
        .root()
        .join("content/2018/09/2018-09-01-북한-김정은-위원장-방러-확정.md")
        .exists());
}

#[test]
fn redirects_are_followed_and_the_address_cited_is_clean() {
    let page = "<html><head><title>Arrived | Outlet</title></head></html>";
    let mut routes = vec![
        (
            "/short",
            Reply::redirect(301, "/story?utm_source=newsletter&utm_campaign=x&id=4"),
        ),
        (
            "/story?utm_source=newsletter&utm_campaign=x&id=4",
            Reply::html(page),
        ),
    ];
    // Five redirects are followed; six are too many.
    let hops: Vec<(String, String)> = (1..=7)
        .map(|i| (format!("/hop{i}"), format!("/hop{}", i + 1)))
        .collect();
    for (from, to) in &hops {
        routes.push((from.as_str(), Reply::redirect(302, to)));
    }
    routes.push(("/hop8", Reply::html("<title>After five | Outlet</title>")));
    let web = TestWeb::start(&routes);
    let site = kolkata_site();
    let text = added(&site, &[&web.url("/short"), "--date", "2018-08-16"]);
    assert!(text.starts_with("---\ntitle: \"Arrived\"\n"), "{text}");
    assert!(
        text.contains(&format!("  url: \"{}\"\n", web.url("/story?id=4"))),
        "the address after redirects, without tracking: {text}"
    );
    let text = added(&site, &[&web.url("/hop3"), "--date", "2018-08-16"]);
    assert!(text.starts_with("---\ntitle: \"After five\"\n"), "{text}");
    let out = add(&site, &[&web.url("/hop2"), "--date", "2018-08-16"]);
    assert_eq!(stderr(&out), format!("error: {} redirects more than 5 times; open it in a browser and give the address it ends at\n", web.url("/hop2")));
}

#[test]
fn failures_are_one_line_and_write_nothing() {
    let web = TestWeb::start(&[
        ("/broken", Reply::status(500)),
        ("/busy", Reply::status(503)),
        ("/report.pdf", Reply::typed("application/pdf", "%PDF-1.4")),
        (
            "/data",
            Reply::typed("application/json; charset=utf-8", "{}"),
        ),
        ("/loop-a", Reply::redirect(302, "/loop-b")),
        ("/loop-b", Reply::redirect(301, "/loop-a")),
        ("/nowhere", Reply::status(302)),
        ("/never", Reply::hang()),
    ]);
    let site = kolkata_site();
    let url = |path: &str| web.url(path);
    let cases = [
        (url("/missing"), format!("{} answered HTTP 404 (Not Found); check the address", url("/missing"))),
        (url("/broken"), format!("{} answered HTTP 500 (Internal Server Error); the site is failing, try again later", url("/broken"))),
        (url("/busy"), format!("{} answered HTTP 503 (Service Unavailable); the site is failing, try again later", url("/busy"))),
        (url("/report.pdf"), format!("{0} is not a web page (it is application/pdf); to cite it, start an article with `gazette new \"Title\" --source {0}`", url("/report.pdf"))),
        (url("/data"), format!("{0} is not a web page (it is application/json); to cite it, start an article with `gazette new \"Title\" --source {0}`", url("/data"))),
        (url("/loop-a"), format!("{} redirects in a loop ({} -> {} -> {}); open it in a browser to find the page's address", url("/loop-a"), url("/loop-a"), url("/loop-b"), url("/loop-a"))),
        (url("/nowhere"), format!("{} answered HTTP 302 without a usable Location", url("/nowhere"))),
        (url("/never"), format!("{} did not answer in time (0.3 s to connect or to read, 0.9 s in all); try again later", url("/never"))),
        ("ftp://example.com/story".into(), "`ftp://example.com/story` is not a web address; give one that starts with http:// or https://".into()),
        ("example.com/story".into(), "`example.com/story` is not a web address; give one that starts with http:// or https://".into()),
    ];
    for (url, message) in cases {
        let started = Instant::now();
        let out = add(&site, &[&url]);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{url} took {:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(1), "{url}");
        assert_eq!(stderr(&out), format!("error: {message}\n"), "{url}");
        assert_eq!(stdout(&out), "");
    }
    // A port nobody listens on.
    let closed = format!("http://127.0.0.1:{}/", common::free_port());
    let out = add(&site, &[&closed]);
    let error = stderr(&out);
    assert!(
        error.starts_with(&format!("error: {closed} could not be reached (")),
        "{error}"
    );
    assert!(
        error.ends_with("); check the address and the connection\n") && error.lines().count() == 1,
        "{error}"
    );
    assert!(
        content(&site).is_empty(),
        "nothing written: {:?}",
        content(&site)
    );
}

/// Builds `site` with its drafts; panics with the errors if it fails.
fn build_with_drafts(site: &TestSite) {
    let out = common::gazette(&["build", "--drafts", "--quiet", "--root"], site.root());
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Every file of the built site, with its text, in one string.
fn built_text(site: &TestSite) -> String {
    site.files()
        .iter()
        .filter_map(|f| std::fs::read_to_string(site.public().join(f)).ok())
        .collect()
}

#[test]
fn a_pages_description_goes_in_as_plain_text() {
    let description = "![p](http://tracker.example/pixel.gif) See [this](http://tracker.example/click) &lt;img src=&quot;http://tracker.example/x.gif&quot;&gt; *now*";
    let page = format!(
        r#"<title>Kerala floods | Outlet</title><meta property="og:description" content="{description}">"#
    );
    let web = TestWeb::start(&[("/kerala", Reply::html(page))]);
    let site = kolkata_site();
    let text = added(&site, &[&web.url("/kerala"), "--date", "2018-08-16"]);
    let summary = r#"summary: "\\!\\[p\\](http://tracker.example/pixel.gif) See \\[this\\](http://tracker.example/click) \\<img src=\"http://tracker.example/x.gif\"\\> \\*now\\*"  # the page's own words"#;
    assert!(text.contains(summary), "{text}");
    build_with_drafts(&site);
    let built = built_text(&site);
    assert!(
        built.contains("![p](http://tracker.example/pixel.gif) See [this](http://tracker.example/click) &lt;img"),
        "shown as written: {built}"
    );
    for markup in [
        "<img src=\"http://tracker.example",
        "href=\"http://tracker.example",
        "<em>now",
    ] {
        assert!(!built.contains(markup), "{markup} in the built site");
    }
}

/// A server on 127.0.0.1 that answers one request with `raw`; its address.
fn one_answer(raw: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/page", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = stream.write_all(raw.as_bytes());
    });
    url
}

#[test]
fn control_characters_never_reach_the_draft_or_the_terminal() {
    let page = "<title>Kerala\u{7f} floods\u{85}\u{9b}31m\u{1b}[2J\u{7} \u{fffe}now\u{ffff}\u{fdd0}</title>\
        <meta property=\"og:description\" content=\"Worst\u{1b}]0;pwned\u{7} floods\">\
        <meta name=\"author\" content=\"Priya\u{0} Nair\u{9c}\">";
    let web = TestWeb::start(&[("/kerala", Reply::html(page))]);
    let site = kolkata_site();
    let text = added(&site, &[&web.url("/kerala"), "--date", "2018-08-16"]);
    assert!(
        text.starts_with("---\ntitle: \"Kerala floods 31m[2J now\"\n"),
        "{text}"
    );
    assert!(
        text.contains("summary: \"Worst\\\\]0;pwned floods\""),
        "{text}"
    );
    assert!(text.contains("  source_author: \"Priya Nair\"\n"), "{text}");
    build_with_drafts(&site);
    assert!(built_text(&site).contains("Kerala floods 31m[2J now"));
    // What a server says, and the address given, are printed without their escapes.
    let reason = one_answer("HTTP/1.1 404 Not\u{1b}[2J\u{7}Found\r\nContent-Length: 0\r\n\r\n");
    let out = add(&site, &[&reason]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {reason} answered HTTP 404 (Not\\u{{1b}}[2J\\u{{7}}Found); check the address\n"
        )
    );
    let closed = format!("http://127.0.0.1:{}/\u{1b}[2J\u{9b}0m", common::free_port());
    let error = stderr(&add(&site, &[&closed]));
    assert!(
        !error.contains('\u{1b}') && !error.contains('\u{9b}'),
        "{error:?}"
    );
    assert!(error.contains("/\\u{1b}[2J\\u{9b}0m"), "{error}");
    assert_eq!(content(&site).len(), 1, "{:?}", content(&site));
}

#[test]
fn the_outlet_is_named_as_the_digest_names_it_and_other_languages_get_lang() {
    let web = TestWeb::start(&[
        (
            "/a",
            Reply::html(
                r#"<html lang="ko-KR"><meta property="og:site_name" content="heraldcorp"><title>Bus strike ends – THE TEST HERALD</title>"#,
            ),
        ),
        (
            "/b",
            Reply::html(r#"<html lang="en-GB"><title>Rain — Test Herald</title>"#),
        ),
        (
            "/c",
            Reply::html(r#"<meta property="og:locale" content="ml_IN"><title>Floods</title>"#),
        ),
        (
            "/d",
            Reply::html(r#"<meta http-equiv="content-language" content="fr"><title>Pluie</title>"#),
        ),
    ]);
    let old = format!("---\ntitle: Old\ndate: 2018-08-01\nsource:\n  name: The Test Herald\n  url: \"{}\"\n---\nOld.\n", web.url("/old"));
    let site = TestSite::new(SITE_TOML, &[("content/2018/08/old.md", &old)]);
    let text = added(&site, &[&web.url("/a"), "--date", "2018-08-16"]);
    assert!(
        text.starts_with("---\ntitle: \"Bus strike ends\"\n"),
        "{text}"
    );
    assert!(
        text.contains("draft: true\nlang: \"ko-KR\"\nsummary:"),
        "{text}"
    );
    assert!(text.contains("  name: \"The Test Herald\"\n"), "{text}");
    let text = added(&site, &[&web.url("/b"), "--date", "2018-08-16"]);
    assert!(text.starts_with("---\ntitle: \"Rain\"\n"), "{text}");
    assert!(
        text.contains("  name: \"The Test Herald\"\n") && !text.contains("lang:"),
        "{text}"
    );
    let text = added(&site, &[&web.url("/c"), "--date", "2018-08-16"]);
    assert!(text.contains("lang: \"ml-IN\"\n"), "{text}");
    let text = added(&site, &[&web.url("/d"), "--date", "2018-08-16"]);
    assert!(text.contains("lang: \"fr\"\n"), "{text}");
    // `new` names the outlet as the digest does too.
    let out = common::gazette(
        &[
            "new",
            "Later",
            "--date",
            "2018-08-17",
            "--source",
            &web.url("/e"),
            "--root",
        ],
        site.root(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(stdout(&out).trim()).unwrap();
    assert!(text.contains("  name: \"The Test Herald\"\n"), "{text}");
    // data/sources.yaml names the outlet at a host before the articles do.
    let yaml = format!(
        "Herald Daily:\n  description: \"A daily.\"\n  url: \"{}\"\n",
        web.url("/")
    );
    site.write("data/sources.yaml", &yaml);
    let text = added(&site, &[&web.url("/c"), "--date", "2018-08-18", "--force"]);
    assert!(text.contains("  name: \"Herald Daily\"\n"), "{text}");
    build_with_drafts(&site);
}

#[test]
fn a_story_already_cited_is_refused_unless_forced() {
    let page = r#"<title>Kerala floods | Daily Meridian</title><link rel="canonical" href="/news/kerala-floods">"#;
    let web = TestWeb::start(&[
        ("/news/kerala-floods", Reply::html(page)),
        ("/share/abc123", Reply::html(page)),
    ]);
    let port = web.addr.port();
    let cited =
        format!("https://www.127.0.0.1:{port}/news/kerala-floods/?utm_source=twitter#comments");
    let site = TestSite::new(SITE_TOML, &[(
        "content/2018/08/kerala.md",
        &format!("---\ntitle: Kerala\ndate: 2018-08-15\ndraft: true\nsource:\n  url: \"{cited}\"\n---\nBody.\n"),
    )]);
    // The same address but for scheme, www., trailing slash and tracking: refused unfetched.
    let out = add(
        &site,
        &[&format!("http://127.0.0.1:{port}/news/kerala-floods")],
    );
    assert_eq!(stderr(&out), format!("error: content/2018/08/kerala.md:6 already cites this story (http://127.0.0.1:{port}/news/kerala-floods); pass --force to add it anyway\n"));
    assert!(
        web.requests().is_empty(),
        "not fetched: {:?}",
        web.requests()
    );
    // Another address whose page names the same canonical address.
    let out = add(&site, &[&web.url("/share/abc123")]);
    assert_eq!(stderr(&out), format!("error: content/2018/08/kerala.md:6 already cites this story ({}); pass --force to add it anyway\n", web.url("/news/kerala-floods")));
    assert_eq!(content(&site), ["2018/08/kerala.md"]);
    // --force adds it anyway; a file of the same name is never overwritten.
    site.write(
        "content/2018/08/2018-08-16-kerala-floods.md",
        "edited by hand",
    );
    let out = add(
        &site,
        &[&web.url("/share/abc123"), "--force", "--date", "2018-08-16"],
    );
    assert_eq!(stderr(&out), "error: content/2018/08/2018-08-16-kerala-floods.md already exists; choose another title or pass --slug\n");
    assert_eq!(
        std::fs::read_to_string(
            site.root()
                .join("content/2018/08/2018-08-16-kerala-floods.md")
        )
        .unwrap(),
        "edited by hand"
    );
    let text = added(
        &site,
        &[
            &web.url("/share/abc123"),
            "--force",
            "--date",
            "2018-08-16",
            "--slug",
            "kerala-again",
        ],
    );
    assert!(
        text.contains(&format!("  url: \"{}\"\n", web.url("/news/kerala-floods"))),
        "{text}"
    );
    assert_eq!(
        content(&site),
        [
            "2018/08/2018-08-16-kerala-again.md",
            "2018/08/2018-08-16-kerala-floods.md",
            "2018/08/kerala.md"
        ]
    );
}

#[test]
fn build_and_check_warn_about_one_story_twice_and_tracking_parameters() {
    let source = |url: &str| {
        format!("---\ntitle: T\ndate: 2018-08-15\ntopics: [A]\nsource:\n  name: Daily Meridian\n  url: \"{url}\"\n---\nBody.\n")
    };
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2018/08/a.md",
                &source("https://dailymeridian.example/news/kerala-floods"),
            ),
            (
                "content/2018/08/b.md",
                &source("http://www.dailymeridian.example/news/kerala-floods/"),
            ),
            (
                "content/2018/08/c.md",
                &source("https://dailymeridian.example/sport?id=3&utm_source=rss&fbclid=x"),
            ),
            (
                "content/2018/08/d.md",
                &article(
                    "title: D\ndate: 2018-08-15\nstory: floods\nsource: https://x.example/same",
                    "D",
                ),
            ),
            (
                "content/2018/08/e.md",
                &article(
                    "title: E\ndate: 2018-08-16\nstory: floods\nsource: https://x.example/same",
                    "E",
                ),
            ),
        ],
    );
    let expected = "warning: content/2018/08/b.md:7: cites the same story as content/2018/08/a.md:7; if both follow it, give them the same `story:`, else remove one
warning: content/2018/08/c.md:7: the source address has tracking parameters; cite the clean address instead: https://dailymeridian.example/sport?id=3
";
    let build = common::gazette(&["build", "--quiet", "--root"], site.root());
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(stderr(&build), expected);
    let check = common::gazette(&["check", "--root"], site.root());
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stderr(&check), expected);
}

/// A `gazette serve` of `site` on a free port (with `args`), whose fetches time out
/// after `timeout_ms`.
fn serve_with(root: &Path, args: &[&str], timeout_ms: u32) -> crate::serve::Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(root)
        .env("GAZETTE_HTTP_TIMEOUT_MS", timeout_ms.to_string());
    crate::serve::spawn_serve(command)
}

fn serve(root: &Path, args: &[&str]) -> crate::serve::Serve {
    serve_with(root, args, 2000)
}

/// `127.0.0.1:PORT` of a serve's URL.
fn host_of(serve: &crate::serve::Serve) -> String {
    let rest = serve.url.trim_start_matches("http://");
    rest.split('/').next().unwrap().to_string()
}

/// One request to `addr` (`head_lines` each ending in `\r\n`): the status, the head and
/// the body.
pub(crate) fn http(
    addr: &str,
    method: &str,
    target: &str,
    head_lines: &str,
    body: &str,
) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let length = match method {
        "POST" => format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ),
        _ => String::new(),
    };
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\n{head_lines}{length}Connection: close\r\n\r\n{body}"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// A GET of `target` on `addr`: the status, the `Location` and the body.
fn get(addr: &str, target: &str) -> (u16, Option<String>, String) {
    let (status, head, body) = http(addr, "GET", target, "", "");
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .map(String::from);
    (status, location, body)
}

/// The value of the form field `name` in an add page.
fn field(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).expect(page);
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[test]
fn the_bookmarklet_only_opens_a_page_whose_form_adds_the_draft() {
    let web = TestWeb::start(&[("/news/kerala-floods", Reply::html(FULL_PAGE))]);
    let site = TestSite::new(
        &SITE_TOML.replace("https://example.org/", "https://user.github.io/digest/"),
        &[(
            "content/2018/08/old.md",
            &article(
                "title: Old\ndate: 2018-08-01\ntopics: [India, Weather & Climate]",
                "Old.",
            ),
        )],
    );
    let serve = serve(site.root(), &[]);
    let addr = host_of(&serve);
    assert_eq!(serve.next_line, format!("Bookmarklet (make it a bookmark; clicked on a news page, it opens a page here that adds a draft for it when you press Add): javascript:(()=>{{location.href='http://{addr}/__gazette/add?url='+encodeURIComponent(location.href)}})()"));
    let files = content(&site).len();
    let target = format!(
        "/__gazette/add?url={}",
        encoded(&web.url("/news/kerala-floods"))
    );
    // The page shows what would be added, and writes nothing.
    let (status, head, page) = http(&addr, "GET", &target, "", "");
    assert_eq!(status, 200, "{page}");
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.contains("X-Frame-Options: DENY") && head.contains("frame-ancestors 'none'"),
        "{head}"
    );
    assert!(
        page.contains("<dd id=\"headline\">Kerala floods: 300 dead as rains continue</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dd id=\"outlet\">The Daily Meridian</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<input type=\"checkbox\" name=\"topic\" value=\"India\"> India</label>"),
        "{page}"
    );
    assert!(page.contains("value=\"Weather &amp; Climate\""), "{page}");
    assert!(!page.contains("id=\"cited\""), "{page}");
    let token = field(&page, "token");
    assert_eq!(token.len(), 32);
    assert_eq!(http(&addr, "HEAD", &target, "", "").0, 200);
    assert_eq!(content(&site).len(), files, "GET and HEAD write nothing");
    // Without the token, from another site, or without an Origin: refused, nothing written.
    let own = format!("Origin: http://{addr}\r\n");
    let form = |token: &str| format!("token={token}&topic=India&topics=Floods");
    let refusals = [
        (own.clone(), form("")),
        (own.clone(), form("0123456789abcdef0123456789abcdef")),
        ("Origin: https://news.example\r\n".to_string(), form(&token)),
        ("Origin: null\r\n".to_string(), form(&token)),
        (String::new(), form(&token)),
        (format!("{own}Sec-Fetch-Site: cross-site\r\n"), form(&token)),
        (format!("{own}Sec-Fetch-Site: same-site\r\n"), form(&token)),
    ];
    for (lines, body) in &refusals {
        let (status, _, answer) = http(&addr, "POST", "/__gazette/add", lines, body);
        assert_eq!(status, 403, "{lines} {body}: {answer}");
        assert_eq!(
            content(&site).len(),
            files,
            "{lines} {body}: nothing written"
        );
    }
    let (_, _, answer) = http(&addr, "POST", "/__gazette/add", &own, &form(""));
    assert_eq!(answer, "This form cannot add anything: its token is missing, used or more than 30 minutes old. Click the bookmarklet on the news page again, then Add on the page it opens.\n");
    let (_, _, answer) = http(
        &addr,
        "POST",
        "/__gazette/add",
        "Origin: https://news.example\r\n",
        &form(&token),
    );
    assert_eq!(answer, format!("Refused: only the add page of this gazette serve (http://{addr}/__gazette/add) can add a draft, and it comes from https://news.example. Nothing was written.\n"));
    // Gazette's own form adds the draft, once, and the browser goes to its preview.
    let lines = format!("{own}Sec-Fetch-Site: same-origin\r\n");
    let (status, head, answer) = http(&addr, "POST", "/__gazette/add", &lines, &form(&token));
    assert_eq!(status, 303, "{answer}");
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap()
        .to_string();
    assert!(
        location.starts_with("/digest/")
            && location.ends_with("/kerala-floods-300-dead-as-rains-continue/"),
        "{location}"
    );
    let added = content(&site);
    assert_eq!(added.len(), files + 1, "{added:?}");
    let draft = added
        .iter()
        .find(|f| f.ends_with("-kerala-floods-300-dead-as-rains-continue.md"))
        .unwrap();
    let text = std::fs::read_to_string(site.root().join("content").join(draft)).unwrap();
    assert!(
        text.contains("topics: [\"India\", \"Floods\"]\ndraft: true\n"),
        "{text}"
    );
    let (status, _, preview) = get(&addr, &location);
    assert_eq!(
        status, 200,
        "the preview has the draft when the redirect comes"
    );
    assert!(preview.contains("Kerala floods: 300 dead as rains continue"));
    let (status, _, _) = http(&addr, "POST", "/__gazette/add", &lines, &form(&token));
    assert_eq!(status, 403, "a form adds once");
    // Now the page says the story is cited, and links to the article's preview.
    let (_, _, page) = http(&addr, "GET", &target, "", "");
    let path = format!("content/{draft}");
    assert!(
        page.contains(&format!(
            "The digest already cites this story: <a href=\"{location}\">{path}:"
        )),
        "{page}"
    );
    assert!(page.contains("name=\"force\""), "{page}");
    let (status, _, answer) = http(
        &addr,
        "POST",
        "/__gazette/add",
        &lines,
        &form(&field(&page, "token")),
    );
    assert_eq!(status, 422);
    let cited = web.url("/news/kerala-floods?id=7");
    assert!(
        answer.starts_with("error: content/")
            && answer.ends_with(&format!(
                "already cites this story ({cited}); pass --force to add it anyway\n"
            )),
        "{answer}"
    );
    assert_eq!(content(&site).len(), files + 1);
}

#[test]
fn serve_prints_no_escape_sequences_from_a_page_or_its_address() {
    let page = "<title>Buses\u{1b}[2J | X</title>";
    let web = TestWeb::start(&[("/news?%1B[2J%C2%9B", Reply::html(page))]);
    let site = TestSite::new(SITE_TOML, &[]);
    let mut serve = serve(site.root(), &[]);
    let errors = crate::serve::collect_lines(serve.child.stderr.take().unwrap());
    let addr = host_of(&serve);
    let url = web.url("/news?\u{1b}[2J\u{9b}");
    let own = format!("Origin: http://{addr}\r\n");
    for expected in [303, 422] {
        let (status, _, page) = get(&addr, &format!("/__gazette/add?url={}", encoded(&url)));
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("<dd id=\"headline\">Buses[2J</dd>"), "{page}");
        let form = format!("token={}", field(&page, "token"));
        let (status, _, answer) = http(&addr, "POST", "/__gazette/add", &own, &form);
        assert_eq!(status, expected, "{answer}");
        assert!(
            !answer.contains('\u{1b}') && !answer.contains('\u{9b}'),
            "{answer:?}"
        );
    }
    let printed = |lines: &std::sync::Mutex<Vec<String>>| lines.lock().unwrap().join("\n");
    let started = Instant::now();
    while !printed(&errors).contains("could not add") && started.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let (out, err) = (printed(&serve.later), printed(&errors));
    let shown = web.url("/news?\\u{1b}[2J\\u{9b}");
    assert!(out.contains(&format!(" from {shown}")), "{out}");
    assert!(
        err.contains(&format!(
            "error: could not add {shown} from the bookmarklet: content/"
        )),
        "{err}"
    );
    for text in [&out, &err] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{9b}'),
            "{text:?}"
        );
    }
}

#[test]
fn the_add_page_escapes_what_the_news_page_says() {
    let page = r#"<title>&lt;script&gt;alert(1)&lt;/script&gt; | X</title><meta property="og:site_name" content="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"><link rel="canonical" href="javascript:alert(3)">"#;
    let web = TestWeb::start(&[("/evil", Reply::html(page))]);
    let site = TestSite::new(SITE_TOML, &[]);
    let serve = serve(site.root(), &[]);
    let addr = host_of(&serve);
    let (status, _, page) = get(
        &addr,
        &format!("/__gazette/add?url={}", encoded(&web.url("/evil"))),
    );
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<dd id=\"headline\">&lt;script&gt;alert(1)&lt;/script&gt;</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dd id=\"outlet\">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</dd>"),
        "{page}"
    );
    assert!(
        !page.contains("<script") && !page.contains("<img") && !page.contains("href=\"javascript"),
        "{page}"
    );
    assert!(content(&site).is_empty());
}

#[test]
fn slow_news_sites_never_hold_up_the_preview() {
    let web = TestWeb::start(&[("/never", Reply::hang())]);
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/a.md",
            &article("title: Apples\ndate: 2018-08-15", "x"),
        )],
    );
    let serve = serve_with(site.root(), &[], 6000);
    let addr = host_of(&serve);
    let target = format!("/__gazette/add?url={}", encoded(&web.url("/never")));
    let adds: Vec<_> = (0..40)
        .map(|_| {
            let (addr, target) = (addr.clone(), target.clone());
            std::thread::spawn(move || get(&addr, &target))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        let started = Instant::now();
        let (status, _, page) = get(&addr, "/");
        assert_eq!(status, 200);
        assert!(page.contains("Apples"));
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
    }
    let answers: Vec<(u16, Option<String>, String)> =
        adds.into_iter().map(|t| t.join().unwrap()).collect();
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    assert_eq!(busy.len(), 36, "four at a time: {answers:?}");
    assert_eq!(busy[0].2, "Busy: gazette serve is reading 4 pages already (a slow news site holds them up). Try again in a moment.\n");
    assert!(
        answers.iter().all(|a| a.0 == 503 || a.0 == 422),
        "{answers:?}"
    );
    assert!(content(&site).len() == 1);
}

#[test]
fn the_bookmarklet_is_answered_only_on_a_loopback_address() {
    let site = TestSite::new(SITE_TOML, &[]);
    let serve = serve(site.root(), &["--bind", "0.0.0.0"]);
    assert_eq!(
        serve.next_line,
        "No bookmarklet: it works only on a loopback address (the default, --bind 127.0.0.1)"
    );
    let port = serve
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let addr = format!("127.0.0.1:{port}");
    for (method, target) in [
        ("GET", "/__gazette/add?url=http://example.com/"),
        ("POST", "/__gazette/add?url=http://example.com/"),
        ("GET", "/__gazette/inbox"),
        ("POST", "/__gazette/inbox"),
    ] {
        let (status, _, body) = http(
            &addr,
            method,
            target,
            &format!("Origin: http://{addr}\r\n"),
            "token=x",
        );
        assert_eq!(status, 403);
        assert_eq!(body, "The bookmarklet and the inbox work only when gazette serve listens on a loopback address (the default, --bind 127.0.0.1), from this machine.\n");
    }
    assert!(content(&site).is_empty());
}

#[test]
fn check_external_reports_remembers_and_asks_each_host_politely() {
    let shared = std::sync::Arc::new(common::InFlight::default());
    let slow = Duration::from_millis(150);
    let page = Reply::html("<title>ok</title>").delayed(slow);
    let one = TestWeb::start_sharing(
        &[
            ("/ok1", page.clone()),
            ("/ok2", page.clone()),
            ("/ok3", page.clone()),
            ("/gone", Reply::status(410)),
            ("/broken", Reply::status(500)),
            ("/moved", Reply::redirect(301, "/")),
            ("/", Reply::html("<title>Front page</title>")),
            ("/never", Reply::hang()),
            ("/walled", Reply::status(403)),
        ],
        shared.clone(),
    );
    let two = TestWeb::start_sharing(
        &[
            ("/ok1", page.clone()),
            ("/ok2", page.clone()),
            ("/ok3", page.clone()),
        ],
        shared.clone(),
    );
    let (a, b) = (|p: &str| one.url(p), |p: &str| two.url(p));
    let body = [
        a("/ok1"),
        a("/ok2"),
        a("/ok3"),
        b("/ok1"),
        b("/ok2"),
        b("/ok3"),
        a("/missing"),
        a("/gone"),
        a("/broken"),
        a("/moved"),
        a("/walled"),
        a("/never"),
    ]
    .iter()
    .map(|u| format!("[link]({u})\n"))
    .collect::<Vec<_>>()
    .join("\n");
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/x.md",
            &format!(
                "---\ntitle: X\ndate: 2018-08-15\nsource:\n  url: \"{}\"\n---\n{body}",
                a("/ok1")
            ),
        )],
    );
    let check = || {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["check", "--external", "--root"])
            .arg(site.root())
            .env("GAZETTE_HTTP_TIMEOUT_MS", "500")
            .output()
            .unwrap()
    };
    let expected = format!("content/x.md:19: external link `{}` answered HTTP 404; the page has gone: link to its new address or to an archived copy
content/x.md:21: external link `{}` answered HTTP 410; the page has gone: link to its new address or to an archived copy
content/x.md:23: external link `{}` answered HTTP 500; the site is failing: check the link again later
content/x.md:25: external link `{}` redirects to the site's front page ({}); the page has moved or gone: link to its new address or to an archived copy
content/x.md:29: external link `{}` did not answer in time (0.5 s to connect or to read, 1.5 s in all); try again later
5 problems found
", a("/missing"), a("/gone"), a("/broken"), a("/moved"), a("/"), a("/never"));
    let out = check();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), expected);
    assert!(shared.most() >= 2, "two hosts are asked at once");
    assert_eq!(two.busy.most(), 1, "one request at a time to a host");
    assert_eq!(
        one.busy.most(),
        1,
        "one request at a time to a host (the time-out too)"
    );
    let asked =
        |web: &TestWeb, target: &str| web.requests().iter().filter(|r| r.target == target).count();
    assert_eq!(
        asked(&one, "/ok1"),
        1,
        "the source and the link are one address, asked once"
    );
    // Remembered: asked again only the time-out, which may pass.
    let before = one.requests().len() + two.requests().len();
    let out = check();
    assert_eq!(stderr(&out), expected);
    assert_eq!(
        one.requests().len() + two.requests().len(),
        before + 1,
        "{:?}",
        one.requests()
    );
    assert_eq!(asked(&one, "/never"), 2);
    // A week later, everything is asked again.
    let cache = site.root().join(".gazette-cache/external");
    let text = std::fs::read_to_string(&cache).unwrap();
    let old = (chrono::Utc::now() - chrono::Duration::days(8))
        .timestamp()
        .to_string();
    let aged: Vec<String> = text
        .lines()
        .map(|l| match l.split_once('\t') {
            Some((_, rest)) => format!("{old}\t{rest}"),
            None => l.to_string(),
        })
        .collect();
    std::fs::write(&cache, aged.join("\n") + "\n").unwrap();
    check();
    assert_eq!(asked(&two, "/ok3"), 2);
    assert_eq!(asked(&one, "/gone"), 2);
}
