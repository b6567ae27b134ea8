//! Moving in from newsletter platforms: `gazette import substack|ghost|wordpress` turns
//! each export of `tests/fixtures/platforms/` into articles that build with `--strict`,
//! writes nothing on a second import, and with `--images` keeps the images beside the
//! article (fetched from a server on 127.0.0.1).

use crate::common::{self, Reply, TestSite, TestWeb, SITE_TOML};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A fixture of `tests/fixtures/platforms/`.
fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/platforms").join(name)
}

/// Runs `gazette import PLATFORM FILE [extra…] --root SITE`.
fn import(site: &TestSite, platform: &str, file: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["import", platform])
        .arg(file)
        .args(extra)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap()
}

/// stdout and stderr of a run that must have succeeded.
fn said(out: &Output) -> (String, String) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    (stdout, stderr)
}

/// An imported article's text.
fn article(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.root().join("content").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Builds with `--strict`, drafts left out; returns how many articles were published.
fn build_strict(site: &TestSite) -> usize {
    let options = gazette::pipeline::build::BuildOptions {
        strict: true,
        ..site.options()
    };
    gazette::pipeline::build::build(&options).unwrap().articles
}

/// A second import of `file` writes nothing and says why each post was skipped.
fn assert_second_import_writes_nothing(site: &TestSite, platform: &str, file: &Path, posts: usize) {
    let before = common::snapshot(&site.root().join("content"));
    let (stdout, stderr) = said(&import(site, platform, file, &["--images"]));
    assert!(
        stdout.contains("0 articles written into content/"),
        "{stdout}"
    );
    assert!(
        common::count(&stderr, "already exists") >= posts,
        "{stderr}"
    );
    assert_eq!(common::snapshot(&site.root().join("content")), before);
}

#[test]
fn a_substack_export_imports_from_its_zip_and_builds_strict() {
    let site = TestSite::new(SITE_TOML, &[]);
    let zip = fixture("substack-export.zip");
    let (stdout, stderr) = said(&import(&site, "substack", &zip, &[]));
    assert_eq!(
        stdout.trim(),
        format!(
            "Imported {}: 4 articles written into content/, 0 skipped",
            zip.display()
        )
    );
    assert_eq!(
        article(&site, "2024/06/2024-06-07-floods-and-the-grid.md"),
        "---\ntitle: \"No. 41: Floods and the grid\"\ndate: 2024-06-07T07:00:00+00:00\ntopics: []\nsummary: \"Rivers rose, and the grid held.\"\naliases: [\"/p/floods-and-the-grid\"]\n---\n## Floods\n\nRivers rose across the north; [the agency said](https://news.example/floods) roads would stay closed **until Friday**.\n\n![A flooded road near the river](https://substackcdn.example/image/fetch/w_1456,c_limit/https%3A%2F%2Fs3.example%2Fimages%2Fflooded-road_1200x800.jpeg)  \n_The road to the bridge, on Thursday. *Photo: the agency*_\n\n> We have never seen the river this high.\n\n- Trains: cancelled north of the river\n\n- Schools: open\n\n{{< youtube abc_D-1 >}}\n\n### The grid\n\nThe grid held: `0` outages, said the operator.\n\n```\nload: 41 GW\npeak: 44 GW\n```\n"
    );
    let paid = article(&site, "2024/06/2024-06-10-pylons-deep-dive.md");
    assert!(
        paid.contains("draft: true\n") && paid.contains("  paid_only: true"),
        "{paid}"
    );
    assert!(article(&site, "2024/06/2024-06-20-next-week.md").contains("draft: true\n"));
    let episode = article(&site, "2024/06/2024-06-12-episode-one.md");
    assert!(episode.contains("[Listen to the episode](https://api.substack.example/feed/podcast/140003/episode-one.mp3)"), "{episode}");
    for warning in [
        "warning: content/2024/06/2024-06-07-floods-and-the-grid.md: 1 image stays on substackcdn.example; to keep copies beside the article, import it with --images (move this file away first: an import never writes over a file)",
        "warning: content/2024/06/2024-06-12-episode-one.md: kept as HTML (Markdown has no form for it): <audio>; check how it shows with `gazette serve`",
    ] {
        assert!(stderr.contains(warning), "lacks {warning}:\n{stderr}");
    }
    assert_eq!(
        build_strict(&site),
        2,
        "the paid-only post and the draft stay drafts"
    );
    let page = site.read("2024/06/07/floods-and-the-grid/index.html");
    assert!(
        page.contains("youtube-nocookie.com/embed/abc_D-1"),
        "{page}"
    );
    assert!(
        !page.contains("Subscribe now") && !page.contains("<form"),
        "{page}"
    );
    assert!(site
        .read("p/floods-and-the-grid/index.html")
        .contains("url=https://example.org/2024/06/07/floods-and-the-grid/"));
    assert_second_import_writes_nothing(&site, "substack", &zip, 4);
}

#[test]
fn a_substack_export_imports_from_its_unpacked_folder_as_from_its_zip() {
    let (from_zip, from_folder) = (TestSite::new(SITE_TOML, &[]), TestSite::new(SITE_TOML, &[]));
    said(&import(
        &from_zip,
        "substack",
        &fixture("substack-export.zip"),
        &[],
    ));
    let unpacked = from_folder.root().join("export");
    let file = std::fs::File::open(fixture("substack-export.zip")).unwrap();
    zip::ZipArchive::new(file)
        .unwrap()
        .extract(&unpacked)
        .unwrap();
    said(&import(&from_folder, "substack", &unpacked, &[]));
    let content = |s: &TestSite| common::snapshot(&s.root().join("content"));
    assert_eq!(content(&from_zip), content(&from_folder));
    // posts.csv itself names the folder too; a file that is no .zip is refused.
    let again = import(&from_folder, "substack", &unpacked.join("posts.csv"), &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 articles written"));
    let csv = fixture("buttondown-emails.csv");
    let out = import(&from_folder, "substack", &csv, &[]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!("error: {} is not a .zip archive; give the .zip Substack's export sent you, or its unpacked folder: invalid Zip archive: Could not find EOCD", csv.display())
    );
}

#[test]
fn a_ghost_export_imports_lexical_and_mobiledoc_bodies_and_builds_strict() {
    let site = TestSite::new(SITE_TOML, &[]);
    let json = fixture("ghost-export.json");
    let (stdout, stderr) = said(&import(&site, "ghost", &json, &[]));
    assert_eq!(
        stdout.trim(),
        format!(
            "Imported {}: 5 articles written into content/, 1 skipped (see above why)",
            json.display()
        )
    );
    assert!(
        stderr.contains(
            "skipped 1 page: pages are not posts: copy what you need of them into Markdown by hand"
        ),
        "{stderr}"
    );
    assert_eq!(
        article(&site, "2024/06/2024-06-14-the-grid-held.md"),
        "---\ntitle: \"No. 42: The grid held\"\ndate: 2024-06-14T07:00:00+00:00\ntopics: [\"Energy\"]\nsummary: \"Demand peaked; the grid held.\"\nauthor: [\"Ana Lima\", \"Ben Ode\"]\nimage: \"https://ghost-cdn.example/content/images/2024/06/grid-lead.jpg\"\naliases: [\"/the-grid-held/\"]\n---\n## The grid\n\nDemand peaked at **44 GW**; [last week's issue](/floods-and-the-grid/) had the floods.\n\n- Wind: 31%\n- *Solar: 12%*\n\n![Pylons at dusk](https://ghost-cdn.example/content/images/2024/06/pylons.jpg)  \n_Pylons north of the river._\n\n> The grid held.\n\n```text\nload: 41 GW\npeak: 44 GW\n```\n\n{{< youtube grid_42 >}}\n\n<video src=\"https://ghost-cdn.example/content/media/2024/06/turbines.mp4\" controls=\"\"></video>\n"
    );
    let mobiledoc = article(&site, "2024/06/2024-06-07-floods-and-the-grid.md");
    for part in [
        "topics: [\"Climate\", \"Energy\"]\n",
        "author: \"Ana Lima\"\n",
        "Rivers rose; [the agency](https://news.example/floods) said *roads stay closed*.\n\n![A flooded road](https://ghost-cdn.example/content/images/2024/06/flood.jpg)  \n_The road to the bridge_\n\n## Numbers\n\n- 3 rivers\n- 12 roads\n\n```python\nrivers = 3\n```\n\n1. North\n2. East\n",
    ] {
        assert!(mobiledoc.contains(part), "lacks {part}:\n{mobiledoc}");
    }
    assert!(stderr.contains("warning: content/2024/06/2024-06-15-readers-poll.md: its Lexical body has a `poll` node, which Gazette does not read; its HTML was converted instead"), "{stderr}");
    assert!(article(&site, "2024/06/2024-06-15-readers-poll.md")
        .ends_with("---\nVote below.\n\nResults next week.\n"));
    assert!(article(&site, "2024/06/2024-06-16-pylon-owners.md").contains("  paid_only: true"));
    assert!(article(&site, "2024/06/2024-06-18-next-week.md").contains("draft: true\n"));
    assert_eq!(build_strict(&site), 3);
    // The old address under Ghost's own links to it keeps working.
    assert!(site
        .read("floods-and-the-grid/index.html")
        .contains("url=https://example.org/2024/06/07/floods-and-the-grid/"));
    assert_second_import_writes_nothing(&site, "ghost", &json, 5);
}

#[test]
fn a_wordpress_export_imports_posts_with_their_zone_topics_and_captions() {
    let site = TestSite::new(SITE_TOML, &[]);
    let xml = fixture("wordpress-export.xml");
    let (stdout, stderr) = said(&import(&site, "wordpress", &xml, &[]));
    assert_eq!(
        stdout.trim(),
        format!(
            "Imported {}: 4 articles written into content/, 2 skipped (see above why)",
            xml.display()
        )
    );
    for line in [
        "skipped \"Old rumour\": in WordPress's trash",
        "skipped 2 other items: pages, attachments and menu items are not posts",
        "warning: content/2024/06/2024-06-07-floods-and-the-grid.md: WordPress shortcodes left as written: [gallery]; replace them with Markdown or HTML",
        "warning: content/2024/06/2024-06-16-pylon-owners.md: it was protected by a password in WordPress: marked paid_only and left as a draft",
    ] {
        assert!(stderr.contains(line), "lacks {line}:\n{stderr}");
    }
    assert_eq!(
        article(&site, "2024/06/2024-06-07-floods-and-the-grid.md"),
        "---\ntitle: \"Floods & the grid\"\ndate: 2024-06-07T09:00:00+02:00\ntopics: [\"Energy\", \"floods\"]\nsummary: \"Rivers rose, and the grid held.\"\nauthor: \"Ana Lima\"\naliases: [\"/2024/06/07/floods-and-the-grid/\"]\n---\nRivers rose across the north; [the agency said](https://news.example/floods) roads stay closed.  \nTrains are cancelled.\n\n![A flooded road](https://grid.example.org/wp-content/uploads/2024/06/flooded-road.jpg)  \n_The road to the bridge, on Thursday._\n\n{{< youtube flood_7 >}}\n\n### The grid\n\n- Wind: 31%\n- Solar: *12%*\n\n\\[gallery ids=\"13,14\"\\]\n"
    );
    let blocks = article(&site, "2024/06/2024-06-14-the-grid-held.md");
    assert!(
        blocks.contains("topics: [\"Energy\"]\n"),
        "Uncategorized is no topic: {blocks}"
    );
    assert!(blocks.contains("> The grid held.\n\n![Pylons at dusk](https://grid.example.org/wp-content/uploads/2024/06/pylons-1024x683.jpg)  \n_Pylons north of the river._\n\n{{< vimeo 76979871 >}}\n"), "{blocks}");
    assert!(article(&site, "2024/06/2024-06-20-next-week.md").contains(
        "date: 2024-06-20T09:00:00+00:00\ntopics: []\nauthor: \"Ana Lima\"\ndraft: true\n"
    ));
    assert_eq!(build_strict(&site), 2);
    assert!(site
        .read("2024/06/14/the-grid-held/index.html")
        .contains("player.vimeo.com/video/76979871?dnt=1"));
    assert_second_import_writes_nothing(&site, "wordpress", &xml, 4);
}

/// A small PNG.
fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([20, 90, 160]));
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn with_images_the_images_are_fetched_beside_the_article_and_the_rest_stays_remote() {
    let web = TestWeb::start(&[
        ("/img/Flooded%20Road.png", Reply::typed("image/png", png())),
        ("/img/lead.png?w=1200", Reply::typed("image/png", png())),
        ("/img/page.jpg", Reply::html("<p>not an image</p>")),
        ("/img/gone.jpg", Reply::status(404)),
    ]);
    let site = TestSite::new(SITE_TOML, &[]);
    let body = format!(
        "<p>Before.</p><figure><img src=\"{}\" alt=\"A flooded road\"><figcaption>The road</figcaption></figure><p><img src=\"{}\" alt=\"Page\"><img src=\"{}\" alt=\"Gone\"></p>",
        web.url("/img/Flooded%20Road.png"),
        web.url("/img/page.jpg"),
        web.url("/img/gone.jpg")
    );
    let export = serde_json::json!({"db": [{"data": {"posts": [{
        "id": "1", "title": "Roads", "slug": "roads", "type": "post", "status": "published",
        "visibility": "public", "published_at": "2024-06-14T07:00:00.000Z", "html": body,
        "feature_image": web.url("/img/lead.png?w=1200")
    }]}}]});
    let file = site.root().join("ghost.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let (_, stderr) = said(&import(&site, "ghost", &file, &["--images"]));
    let text = article(&site, "2024/06/2024-06-14-roads/index.md");
    assert!(text.contains("image: \"lead.png\"\n"), "{text}");
    assert!(
        text.contains("![A flooded road](flooded-road.png)  \n_The road_\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("![Page]({})", web.url("/img/page.jpg"))),
        "{text}"
    );
    let folder = site.root().join("content/2024/06/2024-06-14-roads");
    assert_eq!(
        std::fs::read(folder.join("flooded-road.png")).unwrap(),
        png()
    );
    assert_eq!(std::fs::read(folder.join("lead.png")).unwrap(), png());
    for line in [
        format!("warning: content/2024/06/2024-06-14-roads/index.md: {} is not a JPEG, PNG, GIF or WebP image; it stays remote", web.url("/img/page.jpg")),
        format!("warning: content/2024/06/2024-06-14-roads/index.md: the image {} answered HTTP 404", web.url("/img/gone.jpg")),
        "warning: content/2024/06/2024-06-14-roads/index.md: 2 images stay on 127.0.0.1".to_string(),
    ] {
        assert!(stderr.contains(&line), "lacks {line}:\n{stderr}");
    }
    assert_eq!(build_strict(&site), 1);
    let page = site.read("2024/06/14/roads/index.html");
    assert!(
        page.contains("<picture>") && page.contains("flooded-road"),
        "the downloaded image is published as a photo: {page}"
    );
    // Each image was fetched once, one at a time.
    assert_eq!(web.requests().len(), 4);
    assert_second_import_writes_nothing(&site, "ghost", &file, 1);
    assert_eq!(web.requests().len(), 4, "a skipped post fetches nothing");
}

#[test]
fn broken_exports_are_refused_with_where_and_what_to_do() {
    let site = TestSite::new(SITE_TOML, &[]);
    let cases = [
        ("wordpress", "wp.xml", "<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<item><title>x</titel></item>\n</channel></rss>\n"),
        ("ghost", "ghost.json", "{\"db\": [\n{\"data\": \n"),
        ("ghost", "other.json", "{\"posts\": []}"),
    ];
    let mut said_all = Vec::new();
    for (platform, name, text) in cases {
        let file = site.root().join(name);
        std::fs::write(&file, text).unwrap();
        let out = import(&site, platform, &file, &[]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        said_all.push(stderr.replace(&site.root().display().to_string(), "SITE"));
    }
    assert_eq!(
        said_all,
        [
            "error: SITE/wp.xml:4: the XML is broken here (ill-formed document: expected `</title>`, but `</titel>` was found); export again from WordPress\n",
            "error: SITE/ghost.json:3: not JSON (EOF while parsing a value at line 3 column 0); give the .json file Ghost's export wrote\n",
            "error: SITE/other.json: no `db[0].data` in it; give the .json file of Ghost's Export content\n",
        ]
    );
    assert!(
        !site.root().join("content").exists()
            || common::snapshot(&site.root().join("content")).is_empty()
    );
}

#[test]
fn an_archive_that_unpacks_past_its_limits_is_refused_before_it_is_read_whole() {
    use std::io::Write;
    let site = TestSite::new(SITE_TOML, &[]);
    let path = site.root().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("posts.csv", deflated).unwrap();
    zip.write_all(b"post_id,post_date,is_published,title\n1.a,2024-06-07T07:00:00Z,true,A\n")
        .unwrap();
    zip.start_file("posts/1.a.html", deflated).unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..21 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&path).unwrap().len() < 200_000,
        "a small file"
    );
    let out = import(&site, "substack", &path, &[]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!("error: {}: posts/1.a.html unpacks to more than 20 MB (or the whole export to more than 200 MB); Gazette reads exports up to that size", path.display())
    );
}
