//! The curator's inbox over real HTTP: feeds this test serves on 127.0.0.1 (every format,
//! other encodings, broken XML, a 50 MB feed, redirects), conditional GETs counted at the
//! server, clusters, imports of every format, and drafting and skipping from a terminal.

use crate::common::{self, TestSite, SITE_TOML};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// One path of a [`FeedWeb`]: a feed with its `ETag`, or a redirect.
#[derive(Clone)]
pub enum Route {
    Feed {
        content_type: String,
        body: Arc<Vec<u8>>,
        etag: String,
    },
    Redirect(u16, String),
    Status(u16),
}

/// A feed server on 127.0.0.1 that answers a conditional GET as a real one does: 304 when
/// `If-None-Match` names the feed's current `ETag`. Logs each request's path and status.
pub struct FeedWeb {
    pub addr: std::net::SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
}

impl FeedWeb {
    pub fn start() -> FeedWeb {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let web = FeedWeb {
            addr: listener.local_addr().unwrap(),
            routes: Default::default(),
            log: Default::default(),
        };
        let (routes, log) = (web.routes.clone(), web.log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, log) = (routes.clone(), log.clone());
                std::thread::spawn(move || answer(stream, &routes, &log));
            }
        });
        web
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn feed(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        let body: Vec<u8> = body.into();
        let etag = format!(
            "\"{:x}\"",
            body.len() * 31 + body.iter().map(|&b| b as usize).sum::<usize>()
        );
        let route = Route::Feed {
            content_type: content_type.into(),
            body: Arc::new(body),
            etag,
        };
        self.routes.lock().unwrap().insert(path.into(), route);
    }

    pub fn route(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.into(), route);
    }

    /// The statuses answered to requests for `path`.
    pub fn statuses(&self, path: &str) -> Vec<u16> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, s)| *s)
            .collect()
    }
}

fn answer(
    mut stream: std::net::TcpStream,
    routes: &Mutex<HashMap<String, Route>>,
    log: &Mutex<Vec<(String, u16)>>,
) {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let request = common::Received::read(&stream);
    let path = request.target.clone();
    let if_none_match = Some(request.header("if-none-match")).filter(|v| !v.is_empty());
    let route = routes.lock().unwrap().get(&path).cloned();
    let (status, headers, body): (u16, Vec<String>, Arc<Vec<u8>>) = match route {
        Some(Route::Feed {
            content_type,
            body,
            etag,
        }) => match if_none_match == Some(etag.clone()) {
            true => (304, vec![format!("ETag: {etag}")], Arc::new(Vec::new())),
            false => (
                200,
                vec![
                    format!("ETag: {etag}"),
                    format!("Content-Type: {content_type}"),
                ],
                body,
            ),
        },
        Some(Route::Redirect(code, to)) => {
            (code, vec![format!("Location: {to}")], Arc::new(Vec::new()))
        }
        Some(Route::Status(code)) => (code, Vec::new(), Arc::new(b"no".to_vec())),
        None => (404, Vec::new(), Arc::new(b"not found".to_vec())),
    };
    log.lock().unwrap().push((path, status));
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    if status != 304 {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for h in headers {
        out.push_str(&h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&body);
}

/// Runs `gazette inbox ARGS --root SITE` with short time-outs.
pub fn inbox(site: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("inbox")
        .args(args)
        .arg("--root")
        .arg(site)
        .env("GAZETTE_HTTP_TIMEOUT_MS", "2000")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `inbox ARGS` that must succeed; its output.
fn ok(site: &Path, args: &[&str]) -> String {
    let out = inbox(site, args);
    assert!(out.status.success(), "inbox {args:?}: {}", text(&out));
    text(&out)
}

/// An RSS 2.0 feed titled `title` with `(path, headline, summary, hours ago)` items.
pub fn rss(web: &FeedWeb, title: &str, items: &[(&str, &str, &str, i64)]) -> String {
    let now = chrono::Utc::now();
    let items: String = items
        .iter()
        .map(|(path, headline, summary, hours)| {
            let date = (now - chrono::Duration::hours(*hours)).to_rfc2822();
            format!("<item><title>{headline}</title><link>{}</link><description>{summary}</description><pubDate>{date}</pubDate></item>", web.url(path))
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>{}</link>{items}</channel></rss>", web.url("/"))
}

fn subscribe_all(site: &TestSite, urls: &[String]) {
    let outlines: String = urls
        .iter()
        .map(|u| format!("<outline text=\"x\" xmlUrl=\"{u}\"/>"))
        .collect();
    site.write(
        "inbox.opml",
        &format!("<opml version=\"2.0\"><body>{outlines}</body></opml>"),
    );
}

fn site() -> TestSite {
    TestSite::new(SITE_TOML, &[])
}

#[test]
fn every_feed_format_is_read_and_a_feed_that_has_not_changed_costs_a_304() {
    let web = FeedWeb::start();
    let date = chrono::Utc::now().to_rfc3339();
    let rfc822 = chrono::Utc::now().to_rfc2822();
    let u = |p: &str| web.url(p);
    web.feed("/rss091", "application/rss+xml", format!("<?xml version=\"1.0\"?><rss version=\"0.91\"><channel><title>Old Wire</title><link>{}</link><description>d</description><language>en</language><item><title>Volcano erupts in Iceland</title><link>{}</link><description>Lava flows toward Grindavik.</description></item></channel></rss>", u("/"), u("/a/volcano")));
    web.feed("/rss10", "application/rdf+xml", format!("<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel rdf:about=\"{0}\"><title>RDF Wire</title><link>{0}</link><description>d</description></channel><item rdf:about=\"{1}\"><title>Parliament passes budget</title><link>{1}</link><description>The vote was 301 to 250.</description><dc:date>{date}</dc:date></item></rdf:RDF>", u("/"), u("/a/budget")));
    web.feed("/rss20", "application/rss+xml; charset=utf-8", format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Daily Wire</title><link>{}</link><item><title>Central bank holds rates</title><link>{}?utm_source=rss</link><description>&lt;p&gt;Rates stay at 3%.&lt;/p&gt;</description><pubDate>{rfc822}</pubDate></item></channel></rss>", u("/"), u("/a/rates")));
    web.feed("/atom", "application/atom+xml", format!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom Post</title><id>urn:x</id><updated>{date}</updated><entry><title>Comet seen over Chile</title><id>urn:1</id><link href=\"{}\"/><updated>{date}</updated><summary>Astronomers in the Atacama photographed it.</summary></entry></feed>", u("/a/comet")));
    web.feed("/json", "application/feed+json", format!("{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"JSON Times\",\"items\":[{{\"id\":\"1\",\"url\":\"{}\",\"title\":\"Marathon record falls in Berlin\",\"content_text\":\"The winner ran 2:00:35.\",\"date_published\":\"{date}\"}}]}}", u("/a/marathon")));
    let feeds = ["/rss091", "/rss10", "/rss20", "/atom", "/json"];
    let site = site();
    subscribe_all(&site, &feeds.iter().map(|p| u(p)).collect::<Vec<_>>());
    let first = ok(site.root(), &["fetch"]);
    assert!(
        first.contains("Fetched 5 feeds: 5 new items, 0 not changed"),
        "{first}"
    );
    let list = ok(site.root(), &[]);
    for (headline, outlet) in [
        ("Volcano erupts in Iceland", "Old Wire"),
        ("Parliament passes budget", "RDF Wire"),
        ("Central bank holds rates", "Daily Wire"),
        ("Comet seen over Chile", "Atom Post"),
        ("Marathon record falls in Berlin", "JSON Times"),
    ] {
        let at = list
            .find(headline)
            .unwrap_or_else(|| panic!("{headline} in {list}"));
        assert!(
            list[at..].lines().nth(1).unwrap().contains(outlet),
            "{outlet}: {list}"
        );
    }
    let second = ok(site.root(), &["fetch"]);
    assert!(
        second.contains("Fetched 5 feeds: 0 new items, 5 not changed"),
        "{second}"
    );
    for feed in feeds {
        assert_eq!(web.statuses(feed), [200, 304], "{feed}");
    }
    let items =
        std::fs::read_to_string(site.root().join(".gazette-cache/inbox/items.json")).unwrap();
    assert!(
        items.contains(&format!("\"url\":\"{}\"", u("/a/rates"))),
        "tracking parameters removed: {items}"
    );
    assert!(
        items.contains("\"summary\":\"Rates stay at 3%.\""),
        "{items}"
    );
}

#[test]
fn feeds_in_euc_kr_and_shift_jis_read_in_their_own_encoding() {
    let web = FeedWeb::start();
    let korean = rss(
        &web,
        "연합뉴스",
        &[("/kr/1", "남북 정상회담 개최", "판문점에서 열렸다", 1)],
    )
    .replace(
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"EUC-KR\"?>",
    );
    let japanese = rss(
        &web,
        "共同通信",
        &[("/jp/1", "東京で初雪を観測", "平年より早い", 2)],
    );
    web.feed(
        "/kr",
        "text/xml",
        encoding_rs::EUC_KR.encode(&korean).0.into_owned(),
    );
    web.feed(
        "/jp",
        "application/rss+xml; charset=Shift_JIS",
        encoding_rs::SHIFT_JIS.encode(&japanese).0.into_owned(),
    );
    let site = site();
    subscribe_all(&site, &[web.url("/kr"), web.url("/jp")]);
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    for expected in [
        "남북 정상회담 개최",
        "연합뉴스",
        "東京で初雪を観測",
        "共同通信",
    ] {
        assert!(list.contains(expected), "{expected}: {list}");
    }
}

#[test]
fn broken_feeds_are_listed_at_the_end_and_the_rest_are_read() {
    let web = FeedWeb::start();
    web.feed(
        "/good",
        "application/rss+xml",
        rss(
            &web,
            "Good",
            &[("/g/1", "Harbour reopens after storm", "Ships return.", 1)],
        ),
    );
    web.feed(
        "/broken",
        "application/rss+xml",
        "<rss version=\"2.0\"><channel><title>Broken</title><item><title>Cut</ti",
    );
    web.route("/failing", Route::Status(500));
    let site = site();
    subscribe_all(
        &site,
        &[web.url("/good"), web.url("/broken"), web.url("/failing")],
    );
    let out = inbox(site.root(), &["fetch"]);
    let said = text(&out);
    assert!(out.status.success(), "one feed answered: {said}");
    assert!(
        said.contains("Fetched 3 feeds: 1 new item, 0 not changed"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "2 feeds failed: {} is not a feed Gazette can read (",
            web.url("/broken")
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!("{} answered HTTP 500", web.url("/failing"))),
        "{said}"
    );
    assert!(ok(site.root(), &[]).contains("Harbour reopens after storm"));
    // Failing feeds wait before they are asked again; the good one is asked.
    let again = text(&inbox(site.root(), &["fetch"]));
    assert!(again.contains("2 feeds wait after failures"), "{again}");
    assert_eq!(web.statuses("/failing"), [500]);
    // When no feed answers, fetch fails.
    subscribe_all(&site, &[web.url("/failing")]);
    let out = inbox(site.root(), &["fetch", "--retry"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("1 feed failed: "), "{}", text(&out));
    assert!(text(&out).contains("no feed answered"), "{}", text(&out));
}

#[test]
fn a_50_mb_feed_is_cut_at_10_mb_and_reported() {
    let web = FeedWeb::start();
    let mut body = rss(&web, "Huge", &[("/h/1", "First story", "Fine.", 1)]).into_bytes();
    let tail = body.split_off(body.len() - "</channel></rss>".len());
    let filler = b"<item><title>Filler</title><link>http://x.example/f</link></item>"
        .repeat(50 * 1024 * 1024 / 64);
    body.extend_from_slice(&filler);
    body.extend_from_slice(&tail);
    assert!(body.len() >= 50 << 20);
    web.feed("/huge", "application/rss+xml", body);
    let site = site();
    subscribe_all(&site, &[web.url("/huge")]);
    let out = inbox(site.root(), &["fetch"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "{} is larger than 10 MB, and its first 10 MB are no whole feed",
            web.url("/huge")
        )),
        "{said}"
    );
}

#[test]
fn a_permanent_redirect_updates_the_subscription_and_a_temporary_one_does_not() {
    let web = FeedWeb::start();
    web.feed(
        "/new-home",
        "application/rss+xml",
        rss(&web, "Moved", &[("/m/1", "Bridge opens", "At last.", 1)]),
    );
    web.feed(
        "/mirror",
        "application/rss+xml",
        rss(&web, "Mirror", &[("/t/1", "Dam inspected", "All well.", 1)]),
    );
    web.route("/old-home", Route::Redirect(301, web.url("/new-home")));
    web.route("/today", Route::Redirect(302, web.url("/mirror")));
    web.route("/also-today", Route::Redirect(307, web.url("/mirror")));
    let site = site();
    subscribe_all(
        &site,
        &[
            web.url("/old-home"),
            web.url("/today"),
            web.url("/also-today"),
        ],
    );
    let said = ok(site.root(), &["fetch"]);
    assert!(
        said.contains(&format!(
            "Moved for good: {} -> {} (inbox.opml updated)",
            web.url("/old-home"),
            web.url("/new-home")
        )),
        "{said}"
    );
    let opml = std::fs::read_to_string(site.root().join("inbox.opml")).unwrap();
    assert!(
        opml.contains(&format!("xmlUrl=\"{}\"", web.url("/new-home"))),
        "{opml}"
    );
    assert!(!opml.contains("/old-home"), "{opml}");
    assert!(
        opml.contains(&format!("xmlUrl=\"{}\"", web.url("/today"))),
        "{opml}"
    );
    assert!(
        opml.contains(&format!("xmlUrl=\"{}\"", web.url("/also-today"))),
        "{opml}"
    );
    ok(site.root(), &["fetch"]);
    assert_eq!(
        web.statuses("/old-home"),
        [301],
        "the next fetch asks the new address"
    );
    assert_eq!(web.statuses("/new-home"), [200, 304]);
}

#[test]
fn one_story_from_three_outlets_is_one_cluster_and_two_stories_sharing_a_word_are_two() {
    let web = FeedWeb::start();
    web.feed("/reuters", "application/rss+xml", rss(&web, "Reuters", &[
        ("/r/quake", "Magnitude 7.1 earthquake strikes off Chile's coast, tsunami warning issued", "A powerful earthquake struck off northern Chile, prompting a tsunami warning for Antofagasta.", 5),
        ("/r/apple", "Apple unveils cheaper iPhone model", "The company said the phone goes on sale in March at $499.", 3),
        ("/shared/story?utm_source=reuters", "Ferry capsizes off Bangladesh coast", "Rescuers searched for dozens missing after the ferry overturned in the Meghna river.", 2),
    ]));
    web.feed("/ap", "application/rss+xml", rss(&web, "AP", &[
        ("/a/quake", "Strong quake shakes northern Chile; tsunami alert for Antofagasta", "The 7.1-magnitude quake hit off northern Chile, and authorities issued a tsunami alert for the Antofagasta coast.", 4),
        ("/a/harvest", "Apple harvest in Washington state hit by early frost", "Growers in the Yakima valley expect a smaller crop after October's cold snap.", 3),
        ("/shared/story?utm_medium=feed", "Ferry capsizes off Bangladesh coast", "Dozens are missing.", 1),
    ]));
    web.feed("/bbc", "application/rss+xml", rss(&web, "BBC", &[
        ("/b/quake", "Chile earthquake: tsunami warning lifted after 7.1 tremor", "Chile lifted a tsunami warning for Antofagasta hours after a magnitude 7.1 earthquake struck offshore.", 2),
    ]));
    let site = site();
    subscribe_all(
        &site,
        &[web.url("/reuters"), web.url("/ap"), web.url("/bbc")],
    );
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    assert_eq!(
        common::count(&list, "Chile"),
        1,
        "one cluster, named by the earliest headline: {list}"
    );
    assert!(list.contains("Magnitude 7.1 earthquake strikes off Chile's coast, tsunami warning issued\n      Reuters, AP and 1 more"), "{list}");
    assert!(
        list.contains("Apple unveils cheaper iPhone model"),
        "{list}"
    );
    assert!(
        list.contains("Apple harvest in Washington state hit by early frost"),
        "{list}"
    );
    assert_eq!(
        common::count(&list, "Ferry capsizes"),
        1,
        "the same address in two feeds: {list}"
    );
    assert!(
        list.contains("Ferry capsizes off Bangladesh coast\n      Reuters and AP"),
        "{list}"
    );
    assert_eq!(common::count(&list, " ago"), 4, "four stories: {list}");
}

#[test]
fn a_story_the_digest_cites_is_marked_with_its_article() {
    let web = FeedWeb::start();
    web.feed(
        "/wire",
        "application/rss+xml",
        rss(
            &web,
            "Wire",
            &[(
                "/w/cited",
                "Summit ends with a joint statement",
                "Leaders agreed on trade.",
                3,
            )],
        ),
    );
    let site = site();
    site.write(
        "content/2026/12/summit.md",
        &common::article(
            &format!(
                "title: Summit\ndate: 2026-12-01\nsource:\n  name: Wire\n  url: {}",
                web.url("/w/cited?utm_source=x")
            ),
            "Body.",
        ),
    );
    subscribe_all(&site, &[web.url("/wire")]);
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    assert!(
        list.contains("ago · cited by content/2026/12/summit.md:"),
        "{list}"
    );
}

#[test]
fn drafting_writes_the_draft_add_writes_from_the_feed_and_skips_survive() {
    let web = FeedWeb::start();
    web.feed(
        "/wire",
        "application/rss+xml",
        rss(
            &web,
            "Wire",
            &[
                (
                    "/w/one",
                    "Glacier collapse blocks valley road",
                    "A section of the glacier fell onto the only road, cutting off two villages.",
                    3,
                ),
                (
                    "/w/two",
                    "Opera house reopens after fire",
                    "The restored hall seats 1,400.",
                    2,
                ),
            ],
        ),
    );
    let site = site();
    subscribe_all(&site, &[web.url("/wire")]);
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    assert!(
        list.starts_with("   1. Opera house reopens after fire"),
        "{list}"
    );
    let path = ok(site.root(), &["draft", "2", "--topics", "Climate,Alps"]);
    let draft = std::fs::read_to_string(path.trim()).unwrap();
    assert!(
        draft.contains("title: \"Glacier collapse blocks valley road\""),
        "{draft}"
    );
    assert!(draft.contains("topics: [\"Climate\", \"Alps\"]"), "{draft}");
    assert!(draft.contains("draft: true"), "{draft}");
    assert!(draft.contains("summary: \"A section of the glacier fell onto the only road, cutting off two villages.\""), "{draft}");
    assert!(
        draft.contains(&format!(
            "source:\n  name: \"Wire\"\n  url: \"{}\"",
            web.url("/w/one")
        )),
        "{draft}"
    );
    assert!(
        web.statuses("/w/one").is_empty(),
        "the feed said enough: the page is not fetched"
    );
    ok(site.root(), &["skip", "1"]);
    let after = ok(site.root(), &[]);
    assert!(after.contains("The inbox is empty"), "{after}");
    let decisions = std::fs::read_to_string(site.root().join("inbox/decisions.tsv")).unwrap();
    assert!(
        decisions.contains(&format!("\tskip\t{}", web.url("/w/two"))),
        "{decisions}"
    );
    assert!(
        decisions.contains(&format!("\tdraft\t{}\tcontent/", web.url("/w/one"))),
        "{decisions}"
    );
    // The build cache can go: decisions stay, and a fetch brings nothing back.
    std::fs::remove_dir_all(site.root().join(".gazette-cache")).unwrap();
    ok(site.root(), &["fetch"]);
    assert!(ok(site.root(), &[]).contains("The inbox is empty"));
    let missing = inbox(site.root(), &["draft", "7"]);
    assert_eq!(
        text(&missing).trim(),
        "error: no story 7 in the inbox (it holds 0); run `gazette inbox` to list them"
    );
}

#[test]
fn subscribing_to_a_page_follows_the_feed_it_names() {
    let web = FeedWeb::start();
    web.feed("/news/", "text/html", format!("<!doctype html><title>News</title><link rel=\"alternate\" type=\"application/atom+xml\" href=\"{}\">", "/news/atom.xml"));
    web.feed("/news/atom.xml", "application/atom+xml", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Harbour Times</title><id>x</id><updated>2026-12-01T00:00:00Z</updated></feed>");
    web.feed(
        "/plain/",
        "text/html",
        "<!doctype html><title>No feed</title>",
    );
    let site = site();
    let said = ok(site.root(), &["subscribe", &web.url("/news/")]);
    assert!(
        said.contains(&format!(
            "Following Harbour Times ({})",
            web.url("/news/atom.xml")
        )),
        "{said}"
    );
    let again = ok(site.root(), &["subscribe", &web.url("/news/atom.xml")]);
    assert!(again.contains("Already following Harbour Times"), "{again}");
    let refused = inbox(site.root(), &["subscribe", &web.url("/plain/")]);
    assert_eq!(text(&refused).trim(), format!("error: {} is a web page that names no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed); give the feed's own address", web.url("/plain/")));
    let opml = std::fs::read_to_string(site.root().join("inbox.opml")).unwrap();
    assert_eq!(common::count(&opml, "<outline "), 1, "{opml}");
}

/// The fixtures in `tests/fixtures/inbox/imports/` (their README lists what each holds).
fn fixture(name: &str) -> std::path::PathBuf {
    common::repo()
        .join("tests/fixtures/inbox/imports")
        .join(name)
}

#[test]
fn every_import_format_brings_its_links_or_feeds() {
    for (file, format, links) in [
        ("pocket.html", "bookmarks (HTML)", 6),
        ("pocket.csv", "CSV export", 5),
        ("raindrop.csv", "CSV export", 4),
        ("pinboard.json", "Pinboard JSON", 4),
        ("bookmarks.html", "bookmarks (HTML)", 5),
        ("urls.txt", "list of URLs", 4),
    ] {
        let site = site();
        let said = ok(site.root(), &["import", fixture(file).to_str().unwrap()]);
        let expected = format!("Imported {format} from {}: 0 new feeds followed, {links} new links in the inbox ({links} in the file)", fixture(file).display());
        assert!(said.contains(&expected), "{file}: {said}");
        let list = ok(site.root(), &[]);
        assert_eq!(common::count(&list, " ago"), links, "{file}: {list}");
        let again = ok(site.root(), &["import", fixture(file).to_str().unwrap()]);
        assert!(again.contains("0 new links"), "{file}: {again}");
    }
    let site = site();
    let list_of = |file: &str| {
        let site = self::site();
        ok(site.root(), &["import", fixture(file).to_str().unwrap()]);
        std::fs::read_to_string(site.root().join("inbox/imported.tsv")).unwrap()
    };
    let pocket = list_of("pocket.html");
    assert!(pocket.contains("https://news.example/2025/11/trade-and-tariffs\tTrade & Tariffs: What Changed This Year"), "{pocket}");
    assert!(pocket.contains("\t한반도 외교의 새 국면"), "{pocket}");
    let bookmarks = list_of("bookmarks.html");
    assert!(
        !bookmarks.contains("place:") && !bookmarks.contains("javascript:"),
        "{bookmarks}"
    );
    assert!(
        bookmarks
            .contains("https://science.example/search?q=tides&sort=new\tTides & Moons: Latest"),
        "{bookmarks}"
    );
    assert!(list_of("pocket.csv").contains("\tThe \"Slow News\" Movement"));
    assert!(
        list_of("raindrop.csv").contains("\tRead the methods section first. Then the appendix.")
    );
    assert!(list_of("pinboard.json").contains(
        "https://tools.example/guides/cli-tips?lang=es&page=2\tGuía rápida de la terminal"
    ));
    let said = ok(
        site.root(),
        &["import", fixture("subscriptions.opml").to_str().unwrap()],
    );
    assert!(
        said.contains("Imported OPML subscriptions from ")
            && said.contains(": 5 new feeds followed, 0 new links"),
        "{said}"
    );
    let opml = std::fs::read_to_string(site.root().join("inbox.opml")).unwrap();
    for feed in [
        "https://news.example/world/feed.xml",
        "https://seoul.example/rss.xml",
        "https://markets.example/feed/atom",
        "https://kernel.example/index.xml",
        "https://blog.example/feed.xml",
    ] {
        assert!(
            opml.contains(&format!("xmlUrl=\"{feed}\"")),
            "{feed}: {opml}"
        );
    }
    assert!(
        opml.contains("title=\"서울 소식\"") && opml.contains("title=\"Trade &amp; Markets\""),
        "{opml}"
    );
}

#[test]
fn init_writes_an_empty_inbox_opml_with_a_comment() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("digest");
    let out = common::gazette(&["init"], &root);
    assert!(out.status.success());
    let opml = std::fs::read_to_string(root.join("inbox.opml")).unwrap();
    assert!(
        opml.contains("<!-- The feeds Gazette's inbox follows"),
        "{opml}"
    );
    assert!(opml.contains("gazette inbox subscribe URL"), "{opml}");
    let said = text(&inbox(&root, &["fetch"]));
    assert_eq!(said.trim(), "error: inbox.opml follows no feed yet; add one with `gazette inbox subscribe URL` or `gazette inbox import FILE`");
}

/// A site with topics, following one feed of three stories, fetched.
fn triage_site(web: &FeedWeb) -> TestSite {
    web.feed("/wire", "application/rss+xml", rss(web, "Wire", &[
        ("/w/glacier", "Glacier collapse blocks valley road", "A section of the glacier fell onto the only road; climate scientists blame the heat.", 3),
        ("/w/opera", "Opera house reopens after fire", "The restored hall seats 1,400.", 2),
        ("/w/bank", "Central bank raises rates again", "The economy slows as borrowing costs climb.", 1),
    ]));
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/2026/11/a.md",
                &common::article(
                    "title: A\ndate: 2026-11-01\ntopics: [Climate, Economy]",
                    "Body.",
                ),
            ),
            (
                "content/2026/11/b.md",
                &common::article("title: B\ndate: 2026-11-02\ntopics: [Culture]", "Body."),
            ),
        ],
    );
    subscribe_all(&site, &[web.url("/wire")]);
    ok(site.root(), &["fetch"]);
    site
}

fn start_serve(site: &TestSite) -> crate::serve::Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root());
    crate::serve::spawn_serve(command)
}

fn host(serve: &crate::serve::Serve) -> String {
    serve
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string()
}

/// The value of `const TOKEN="…"` in an inbox page.
fn token(page: &str) -> String {
    let at = page.find("const TOKEN=\"").expect(page) + 13;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// The id of the story whose headline is `title` in an inbox page.
fn story_id(page: &str, title: &str) -> String {
    let at = page.find(title).expect(title);
    let row = &page[page[..at].rfind("<li id=\"s-").unwrap()..at];
    let id = &row["<li id=\"s-".len()..];
    id[..id.find('"').unwrap()].to_string()
}

#[test]
fn the_inbox_page_lists_stories_and_only_its_own_page_may_decide() {
    let web = FeedWeb::start();
    let site = triage_site(&web);
    let serve = start_serve(&site);
    let addr = host(&serve);
    let (status, head, page) = crate::add::http(&addr, "GET", "/__gazette/inbox", "", "");
    assert_eq!(status, 200, "{page}");
    assert!(head.contains("script-src 'nonce-"), "{head}");
    assert!(
        page.contains("<h1>Inbox <span id=\"count\">3</span></h1>"),
        "{page}"
    );
    for title in [
        "Glacier collapse blocks valley road",
        "Opera house reopens after fire",
        "Central bank raises rates again",
    ] {
        assert!(page.contains(title), "{title}");
    }
    assert!(
        page.contains("<option value=\"\">Imported links</option><option value=\""),
        "{page}"
    );
    let token = token(&page);
    let id = story_id(&page, "Opera house reopens after fire");
    let form = |token: &str| format!("token={token}&action=skip&story={id}");
    let own = format!("Origin: http://{addr}\r\n");
    let decisions = site.root().join("inbox/decisions.tsv");
    for (lines, body, why) in [
        (String::new(), form(&token), "it has no Origin"),
        (
            "Origin: https://news.example\r\n".to_string(),
            form(&token),
            "it comes from https://news.example",
        ),
        (
            format!("{own}Sec-Fetch-Site: cross-site\r\n"),
            form(&token),
            "it is cross-site (Sec-Fetch-Site)",
        ),
    ] {
        let (status, _, answer) =
            crate::add::http(&addr, "POST", "/__gazette/inbox", &lines, &body);
        assert_eq!(status, 403, "{answer}");
        assert_eq!(answer, format!("Refused: only the inbox page of this gazette serve (http://{addr}/__gazette/inbox) can change the inbox, and {why}. Nothing was written.\n"));
    }
    let (status, _, answer) =
        crate::add::http(&addr, "POST", "/__gazette/inbox", &own, &form("0123"));
    assert_eq!(status, 403, "{answer}");
    assert!(!decisions.exists(), "nothing written");
    let (status, _, answer) =
        crate::add::http(&addr, "POST", "/__gazette/inbox", &own, &form(&token));
    assert_eq!(status, 200, "{answer}");
    assert!(std::fs::read_to_string(&decisions)
        .unwrap()
        .contains(&format!("\tskip\t{}", web.url("/w/opera"))));
    let (_, _, page) = crate::add::http(&addr, "GET", "/__gazette/inbox", "", "");
    assert!(!page.contains("Opera house"), "{page}");
    assert!(page.contains("<h1>Inbox <span id=\"count\">2</span></h1>"));
    drop(serve);
    let serve = start_serve(&site);
    let (_, _, page) = crate::add::http(&host(&serve), "GET", "/__gazette/inbox", "", "");
    assert!(
        !page.contains("Opera house") && page.contains("Glacier collapse"),
        "a skip survives a restart: {page}"
    );
}

#[test]
#[ignore = "needs chromium, chromium-driver and selenium: run scripts/test"]
fn chromium_triages_the_inbox_by_keyboard_and_a_cross_site_post_writes_nothing() {
    let web = FeedWeb::start();
    let site = triage_site(&web);
    let serve = start_serve(&site);
    let other = common::TestWeb::start(&[(
        "/attack",
        common::Reply::html("<!doctype html><title>Attack</title>"),
    )]);
    let out = Command::new("python3")
        .arg(common::repo().join("tests/tools/browser_inbox.py"))
        .arg(format!("http://{}/__gazette/inbox", host(&serve)))
        .arg(other.url("/attack"))
        .output()
        .expect("python3 with selenium, chromium and chromium-driver are needed; run scripts/test");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("no console errors"), "{said}");
    let decisions = std::fs::read_to_string(site.root().join("inbox/decisions.tsv")).unwrap();
    assert_eq!(common::count(&decisions, "\tskip\t"), 1, "{decisions}");
    assert_eq!(common::count(&decisions, "\tdraft\t"), 1, "{decisions}");
    let drafted = decisions.lines().find(|l| l.contains("\tdraft\t")).unwrap();
    let file = drafted.rsplit('\t').next().unwrap();
    let draft = std::fs::read_to_string(site.root().join(file)).unwrap();
    assert!(
        draft.contains("title: \"Central bank raises rates again\""),
        "{draft}"
    );
    assert!(
        draft.contains("topics: [\"Economy\"]"),
        "the suggested topic, ticked: {draft}"
    );
    drop(serve);
    let serve = start_serve(&site);
    let (_, _, page) = crate::add::http(&host(&serve), "GET", "/__gazette/inbox", "", "");
    assert!(
        page.contains("<h1>Inbox <span id=\"count\">1</span></h1>"),
        "after a restart: {page}"
    );
}

#[test]
fn items_older_than_keep_days_leave_the_inbox() {
    let web = FeedWeb::start();
    web.feed(
        "/wire",
        "application/rss+xml",
        rss(
            &web,
            "Wire",
            &[
                (
                    "/w/new",
                    "Lighthouse restored on the coast",
                    "Volunteers finished the work.",
                    24,
                ),
                (
                    "/w/old",
                    "Museum opens new wing",
                    "The wing shows maps.",
                    20 * 24,
                ),
            ],
        ),
    );
    let site = site();
    subscribe_all(&site, &[web.url("/wire")]);
    let said = ok(site.root(), &["fetch"]);
    assert!(
        said.contains("1 new item"),
        "the default keeps 14 days: {said}"
    );
    let list = ok(site.root(), &[]);
    assert!(
        list.contains("Lighthouse restored") && !list.contains("Museum opens"),
        "{list}"
    );
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[inbox]\nkeep_days = 30\n"),
    );
    std::fs::remove_dir_all(site.root().join(".gazette-cache")).unwrap();
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    assert!(
        list.contains("Lighthouse restored") && list.contains("Museum opens"),
        "{list}"
    );
}

#[test]
fn numbers_mean_the_last_listing_until_the_next_one() {
    let web = FeedWeb::start();
    web.feed(
        "/wire",
        "application/rss+xml",
        rss(
            &web,
            "Wire",
            &[
                (
                    "/w/a",
                    "Avalanche closes mountain pass",
                    "Snow blocked the road.",
                    1,
                ),
                (
                    "/w/b",
                    "Bakery wins national prize",
                    "Its rye bread won.",
                    2,
                ),
                (
                    "/w/c",
                    "Cable car reopens after repairs",
                    "The line runs again.",
                    3,
                ),
            ],
        ),
    );
    let site = site();
    subscribe_all(&site, &[web.url("/wire")]);
    ok(site.root(), &["fetch"]);
    let list = ok(site.root(), &[]);
    assert!(
        list.starts_with("   1. Avalanche closes mountain pass"),
        "{list}"
    );
    ok(site.root(), &["skip", "1"]);
    // Still the listing's 2, not the Cable car that is second now.
    let said = ok(site.root(), &["skip", "2"]);
    assert_eq!(said.trim(), "Skipped: Bakery wins national prize");
    let gone = inbox(site.root(), &["skip", "1"]);
    assert!(
        text(&gone).starts_with("error: story 1 ("),
        "{}",
        text(&gone)
    );
    assert!(text(&gone).trim_end().ends_with("is no longer in the inbox (drafted, skipped or too old); run `gazette inbox` to list them again"), "{}", text(&gone));
    let list = ok(site.root(), &[]);
    assert!(
        list.starts_with("   1. Cable car reopens after repairs"),
        "{list}"
    );
    let id = list
        .lines()
        .nth(1)
        .unwrap()
        .rsplit(" · ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let said = ok(site.root(), &["skip", &id]);
    assert_eq!(
        said.trim(),
        "Skipped: Cable car reopens after repairs",
        "an id works too"
    );
}
