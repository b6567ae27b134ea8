//! The output guard and the input limits: a build never deletes a file it did not write,
//! and input that would make a runaway or colliding site is refused with `path:line`.

use crate::common;

use common::{article, snapshot, TestSite, SITE_TOML};
use std::path::Path;
use std::process::Command;

/// Runs `gazette build` in `cwd` with `args`: (exit code, stderr).
fn build_in(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .arg("--quiet")
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd.join("no-home"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A site in `outer/site` with one article, a data file and a sibling folder of files.
fn site_in(outer: &Path) -> std::path::PathBuf {
    let root = outer.join("site");
    common::copy_dir(
        &common::repo().join("themes/default"),
        &root.join("themes/default"),
    );
    std::fs::write(root.join("site.toml"), SITE_TOML).unwrap();
    std::fs::create_dir_all(root.join("content/2018")).unwrap();
    std::fs::write(
        root.join("content/2018/kim.md"),
        article("title: Kim\ndate: 2018-08-15", "Body."),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("data/sources.yaml"), "{}\n").unwrap();
    std::fs::create_dir_all(outer.join("sibling")).unwrap();
    std::fs::write(outer.join("sibling/letter.txt"), "keep me").unwrap();
    std::fs::write(outer.join("notes.txt"), "keep me too").unwrap();
    root
}

#[test]
fn outputs_that_would_replace_the_sources_are_refused_and_nothing_changes() {
    let outer = tempfile::tempdir().unwrap();
    let outer = std::fs::canonicalize(outer.path()).unwrap();
    let root = site_in(&outer);
    let before = snapshot(&outer);
    let root_s = root.to_str().unwrap();
    let public = root.join("public");
    let public = public.to_str().unwrap();
    let cases: Vec<(Vec<String>, &Path, String)> = vec![
        (vec!["--root".into(), root_s.into(), "--output".into(), root_s.into()], &outer,
         format!("error: refusing to build into {root_s}: it is the site's own folder, and a build replaces everything in its output (site.toml, content/ and themes/ would be lost); choose a folder inside it, such as {public}\n")),
        (vec!["--output".into(), root_s.into()], &root,
         format!("error: refusing to build into {root_s}: it is the site's own folder, and a build replaces everything in its output (site.toml, content/ and themes/ would be lost); choose a folder inside it, such as {public}\n")),
        (vec!["--output".into(), "../site".into()], &root,
         format!("error: refusing to build into ../site: it is the site's own folder, and a build replaces everything in its output (site.toml, content/ and themes/ would be lost); choose a folder inside it, such as {public}\n")),
        (vec!["--output".into(), "..".into()], &root,
         format!("error: refusing to build into ..: it holds the site's folder {root_s}, and a build replaces everything in its output; choose a folder inside the site, such as {public}\n")),
        (vec!["--output".into(), "content".into()], &root,
         format!("error: refusing to build into content: it is inside the site's content/ folder, whose files a build would replace or publish; choose a folder outside content/, such as {public}\n")),
        (vec!["--output".into(), "content/public".into()], &root,
         format!("error: refusing to build into content/public: it is inside the site's content/ folder, whose files a build would replace or publish; choose a folder outside content/, such as {public}\n")),
        (vec!["--output".into(), "themes".into()], &root,
         format!("error: refusing to build into themes: it is inside the site's themes/ folder, whose files a build would replace or publish; choose a folder outside themes/, such as {public}\n")),
        (vec!["--output".into(), "data/out".into()], &root,
         format!("error: refusing to build into data/out: it is inside the site's data/ folder, whose files a build would replace or publish; choose a folder outside data/, such as {public}\n")),
        (vec!["--output".into(), "/".into()], &root,
         format!("error: refusing to build into /: it holds the site's folder {root_s}, and a build replaces everything in its output; choose a folder inside the site, such as {public}\n")),
        (vec!["--output".into(), "../sibling".into()], &root,
         "error: refusing to build into ../sibling: it holds files that no Gazette build wrote (such as letter.txt), and a build replaces everything in its output except top-level dot entries; empty it, choose another --output, or pass --force to replace its contents\n".into()),
        (vec!["--output".into(), "../notes.txt".into()], &root,
         "error: refusing to build into ../notes.txt: it is a file, not a folder; move the file away or choose another --output\n".into()),
    ];
    for (args, cwd, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = build_in(cwd, &args);
        assert_eq!((code, stderr.as_str()), (1, expected.as_str()), "{args:?}");
        assert_eq!(snapshot(&outer), before, "{args:?} changed files");
    }
}

#[test]
fn a_home_folder_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    let outer = std::fs::canonicalize(outer.path()).unwrap();
    let root = site_in(&outer);
    let home = outer.join("home");
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    std::fs::write(home.join("Documents/tax.pdf"), "2018").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--output"])
        .arg(&home)
        .current_dir(&root)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: refusing to build into {0}: it is the home folder {0} or a folder above one, and a build replaces everything in its output; choose a folder inside the site, such as public/\n", home.display())
    );
    // A folder of documents is no Gazette output either, even with --force's help absent.
    let (code, stderr) = build_in(
        &root,
        &["--output", home.join("Documents").to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("it holds files that no Gazette build wrote (such as tax.pdf)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(home.join("Documents/tax.pdf")).unwrap(),
        b"2018"
    );
}

#[test]
fn a_folder_of_other_files_needs_force_and_a_builds_own_output_does_not() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "Body."),
        )],
    );
    let www = site.root().join("www");
    std::fs::create_dir_all(www.join(".git")).unwrap();
    std::fs::write(www.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(www.join("old.html"), "mine").unwrap();
    let (code, stderr) = build_in(site.root(), &["--output", "www"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("(such as old.html)"), "{stderr}");
    assert!(www.join("old.html").is_file());

    let (code, stderr) = build_in(site.root(), &["--output", "www", "--force"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(!www.join("old.html").exists());
    assert!(www.join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(www.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(www.join(gazette::output::guard::MARKER).is_file());

    // The build's own output is known by its marker, with or without the build cache.
    std::fs::remove_dir_all(site.root().join(".gazette-cache")).unwrap();
    let (code, stderr) = build_in(site.root(), &["--output", "www"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // A folder with only dot entries (a fresh gh-pages checkout) needs no --force.
    let fresh = site.root().join("fresh");
    std::fs::create_dir_all(fresh.join(".git")).unwrap();
    let (code, stderr) = build_in(site.root(), &["--output", "fresh"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(fresh.join("index.html").is_file() && fresh.join(".git").is_dir());
}

#[test]
fn an_output_built_before_the_marker_existed_is_still_the_builds_own() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "Body."),
        )],
    );
    site.build();
    // As an older Gazette left it: no marker, but the build cache lists its files.
    std::fs::remove_file(site.public().join(gazette::output::guard::MARKER)).unwrap();
    site.build();
    assert!(site.public().join(gazette::output::guard::MARKER).is_file());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_output_stays_a_link_and_the_site_goes_where_it_points() {
    let outer = tempfile::tempdir().unwrap();
    let outer = std::fs::canonicalize(outer.path()).unwrap();
    let root = site_in(&outer);
    let www = outer.join("www");
    std::fs::create_dir_all(www.join(".git")).unwrap();
    std::fs::write(www.join(".git/config"), "[core]\n").unwrap();
    std::os::unix::fs::symlink("../www", root.join("public")).unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(std::fs::symlink_metadata(root.join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(www.join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(www.join(".git/config")).unwrap(),
        "[core]\n"
    );
    // A second build replaces the site in place and keeps the link.
    std::fs::write(
        root.join("content/2018/kim.md"),
        article("title: Kim again\ndate: 2018-08-15", "Body."),
    )
    .unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(std::fs::symlink_metadata(root.join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(www.join("index.html"))
        .unwrap()
        .contains("Kim again"));
    assert_eq!(
        std::fs::read_to_string(outer.join("sibling/letter.txt")).unwrap(),
        "keep me"
    );

    // A link to nowhere is refused, and stays.
    std::fs::remove_file(root.join("public")).unwrap();
    std::os::unix::fs::symlink("../gone", root.join("public")).unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "error: refusing to build into public: it is a symbolic link to ../gone, which does not exist; create that folder or remove the link\n");
    assert!(std::fs::symlink_metadata(root.join("public")).is_ok());
}

#[test]
fn public_as_a_file_is_refused_and_left_alone() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "Body."),
        )],
    );
    std::fs::write(site.public(), "not a folder").unwrap();
    let (code, stderr) = build_in(site.root(), &[]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "error: refusing to build into public: it is a file, not a folder; move the file away or choose another --output\n");
    assert_eq!(
        std::fs::read_to_string(site.public()).unwrap(),
        "not a folder"
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn a_macro_that_calls_itself_is_an_error_not_a_crash() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            ("content/kim.md", &article("title: Kim\ndate: 2018-08-15", "Body.")),
            (
                "templates/recursion.html",
                "{% macro kicker(n) %}{{ self::kicker(n=n + 1) }}{% endmacro kicker %}",
            ),
            (
                "templates/article.html",
                "{% import \"recursion.html\" as m %}<!doctype html><title>x</title>{{ m::kicker(n=1) }}",
            ),
        ],
    );
    let out = common::gazette(&["build", "--root"], site.root());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("templates/recursion.html: macro kicker calls itself more than 64 levels deep; give it a condition that stops the recursion (rendering ")
            && stderr.ends_with("\n1 problem found; nothing was written\n"),
        "{stderr}"
    );
    assert!(!site.public().exists());
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn templates_that_include_each_other_are_an_error() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/kim.md",
                &article("title: Kim\ndate: 2018-08-15", "Body."),
            ),
            ("templates/a.html", "a{% include \"b.html\" %}"),
            ("templates/b.html", "b{% include \"a.html\" %}"),
            ("templates/article.html", "{% include \"a.html\" %}"),
        ],
    );
    let error = site.build_error();
    assert!(
        error
            .contains("templates/a.html: template a.html includes itself more than 64 levels deep")
            || error.contains(
                "templates/b.html: template b.html includes itself more than 64 levels deep"
            ),
        "{error}"
    );
}

#[test]
fn input_limits_are_errors_with_their_line() {
    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let site = TestSite::new(
        &format!("{SITE_TOML}timezone = \"Asia/Seoul\"\n").replace("timezone = \"UTC\"\n", ""),
        &[
            (
                "content/late.md",
                &article("title: Late\ndate: 9999-12-31T23:59:59+00:00", "x"),
            ),
            (
                "content/early.md",
                &article("title: Early\ndate: 0001-01-01T00:00:00+09:00", "x"),
            ),
            (
                "content/many.md",
                &article(
                    &format!(
                        "title: Many\ndate: 2018-08-15\ntopics: [{}]",
                        many.join(", ")
                    ),
                    "x",
                ),
            ),
            (
                "content/fine.md",
                &article("title: Fine\ndate: 9999-12-31T10:00:00+09:00", "x"),
            ),
        ],
    );
    assert_eq!(
        site.build_error(),
        "content/early.md:3: `date` \"0001-01-01T00:00:00+09:00\" falls outside the years 1 to 9999 (in UTC or in the site's time zone, Asia/Seoul); write a date within them\n\
         content/late.md:3: `date` \"9999-12-31T23:59:59+00:00\" falls outside the years 1 to 9999 (in UTC or in the site's time zone, Asia/Seoul); write a date within them\n\
         content/many.md:4: `topics` lists 101 topics; an article may have at most 100: keep the ones readers follow\n\
         3 problems found; nothing was written"
    );
}

#[test]
fn an_article_over_the_size_limit_is_refused_with_the_key_to_raise() {
    let big = "word ".repeat(300_000); // 1.4 MB
    let site = TestSite::new(
        &format!("{SITE_TOML}max_article_mb = 1\n"),
        &[(
            "content/huge.md",
            &article("title: Huge\ndate: 2018-08-15", &big),
        )],
    );
    assert_eq!(
        site.build_error(),
        "content/huge.md: is 1.4 MB, over the 1 MB limit for one article; split it into several articles, or raise `max_article_mb` in site.toml\n1 problem found; nothing was written"
    );
    site.write("site.toml", &format!("{SITE_TOML}max_article_mb = 2\n"));
    site.build();
    assert!(site.exists("2018/08/15/huge/index.html"));
}

#[test]
fn two_inputs_for_one_output_file_are_an_error_naming_both() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/kim.md",
                &article("title: Kim\ndate: 2018-08-15", "Body."),
            ),
            ("content/robots.txt", "User-agent: *\nDisallow: /\n"),
            ("static/sitemap.xml", "<urlset/>"),
            ("static/index.html", "<p>mine</p>"),
            ("content/atom.xml", "<feed/>"),
            (
                "content/b.md",
                &article("title: B\ndate: 2018-08-16", "Body."),
            ),
        ],
    );
    assert_eq!(
        site.build_error(),
        "content/atom.xml: would be written to /atom.xml, where a feed goes; rename or move the file\n\
         content/robots.txt: would be written to /robots.txt, where the robots.txt Gazette writes goes; rename or move the file\n\
         static/index.html: would be written to /index.html, where the page / goes; rename or move the file\n\
         static/sitemap.xml: would be written to /sitemap.xml, where the sitemap goes; rename or move the file\n\
         4 problems found; nothing was written"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn content_names_that_are_not_utf8_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "Body."),
        )],
    );
    let dir = site.root().join("content");
    for name in [&b"photo-\xff.png"[..], &b"photo-\xfe.png"[..]] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), "png").unwrap();
    }
    assert_eq!(
        site.build_error(),
        "content/photo-\u{fffd}.png: has a name that is not valid UTF-8 text, so no URL can name it; rename the file\n\
         content/photo-\u{fffd}.png: has a name that is not valid UTF-8 text, so no URL can name it; rename the file\n\
         2 problems found; nothing was written"
    );
}

#[test]
fn windows_reserved_names_never_become_files() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/con.md",
                &article(
                    "title: Con\ndate: 2018-08-15\ntopics: [NUL, Aux, COM1]",
                    "Body.",
                ),
            ),
            (
                "content/b.md",
                &article("title: B\ndate: 2018-08-15\nslug: lpt9", "Body."),
            ),
        ],
    );
    site.build();
    for path in [
        "2018/08/15/con_/index.html",
        "2018/08/15/lpt9_/index.html",
        "topics/nul_/index.html",
        "topics/aux_/index.html",
        "topics/com1_/index.html",
    ] {
        assert!(site.exists(path), "{path}: {:?}", site.files());
    }
    for file in site.files() {
        for part in file.split('/') {
            assert!(!gazette::util::slug::is_reserved_on_windows(part), "{file}");
        }
    }
}

#[test]
fn a_killed_builds_cache_leftovers_are_removed() {
    let site = TestSite::new(
        SITE_TOML,
        &[(
            "content/kim.md",
            &article("title: Kim\ndate: 2018-08-15", "Body."),
        )],
    );
    site.build();
    let cache = site.root().join(".gazette-cache");
    let left = cache.join("articles.tmp-999999999-0");
    std::fs::write(&left, "half").unwrap();
    site.build();
    assert!(!left.exists());
    assert!(cache.join("articles").exists() || std::fs::read_dir(&cache).unwrap().count() > 0);
}

#[test]
fn a_file_in_content_over_the_404_page_is_an_error() {
    let site = TestSite::new(
        SITE_TOML,
        &[
            (
                "content/kim.md",
                &article("title: Kim\ndate: 2018-08-15", "Body."),
            ),
            (
                "content/b.md",
                &article("title: B\ndate: 2018-08-16", "Body."),
            ),
            ("content/404.html", "<p>mine</p>"),
        ],
    );
    assert_eq!(
        site.build_error(),
        "content/404.html: would overwrite the page /404.html; rename or move the file\n1 problem found; nothing was written"
    );
}
