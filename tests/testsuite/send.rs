//! `gazette newsletter --send`: a real SMTP server on 127.0.0.1 (aiosmtpd, with STARTTLS or
//! implicit TLS and a certificate the test makes), a fake Buttondown API that records what
//! it gets, never twice and `--again`, `--dry-run`'s `.eml`, refusals that send and record
//! nothing, and no secret in any output.

use crate::common::{self, article, TestSite, SITE_TOML};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "s3cret-pa55";
const USER: &str = "brief-user";

/// A site with one edition (2018-08-15) and `[newsletter]` settings `newsletter`.
fn site(newsletter: &str) -> TestSite {
    let toml = format!(
        "{}\n[newsletter]\nfrom = \"The Morning Brief <brief@example.org>\"\nlist_unsubscribe = \"https://example.org/unsubscribe\"\n{newsletter}\n",
        SITE_TOML
    );
    TestSite::new(
        &toml,
        &[
            ("content/a.md", &article("title: Floods recede\ndate: 2018-08-15T08:00:00Z\ntopics: [World]\nsummary: Water levels fell.", "Body.")),
            ("content/b.md", &article("title: Rates hold\ndate: 2018-08-15T09:00:00Z\ntopics: [Economy]", "Body.")),
        ],
    )
}

/// `gazette newsletter ARGS --root SITE` with the SMTP credentials in the environment.
fn newsletter(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .arg("newsletter")
        .args(args)
        .arg("--root")
        .arg(site.root());
    command
        .env_remove("GAZETTE_SMTP_USER")
        .env_remove("GAZETTE_SMTP_PASSWORD")
        .env_remove("BUTTONDOWN_API_KEY");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const SECRETS: [(&str, &str); 2] = [
    ("GAZETTE_SMTP_USER", USER),
    ("GAZETTE_SMTP_PASSWORD", PASSWORD),
];

/// The SMTP server of `tests/tools/smtp_server.py` in `mode`, writing into `dir`.
struct Smtp {
    child: Child,
    port: u16,
    ca: String,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn smtp(mode: &str, dir: &Path) -> Smtp {
    let mut child = Command::new("python3")
        .arg(common::repo().join("tests/tools/smtp_server.py"))
        .args([mode, USER, PASSWORD])
        .arg(dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd and trustme is needed; run scripts/test");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut words = line.split_whitespace();
    let port = words.next().expect("the server's port").parse().unwrap();
    let ca = words.next().unwrap().to_string();
    Smtp { child, port, ca }
}

fn smtp_settings(server: &Smtp, security: &str) -> String {
    format!("send_with = \"smtp\"\nto = [\"digest@lists.example.org\"]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"{security}\"\nsmtp_user_env = \"GAZETTE_SMTP_USER\"\nsmtp_password_env = \"GAZETTE_SMTP_PASSWORD\"\nsmtp_ca_file = \"{}\"\ntimeout_s = 10\n", server.port, server.ca)
}

/// The messages the server received, parsed by Python's `email` package.
fn received(dir: &Path) -> Vec<serde_json::Value> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("message-"))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

#[test]
#[ignore = "needs python3 with aiosmtpd and trustme: run scripts/test"]
fn an_edition_goes_through_smtp_with_starttls_once_and_again_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let server = smtp("starttls", dir.path());
    let site = site(&smtp_settings(&server, "starttls"));
    let out = newsletter(&site, &["2018-08-15", "--send"], &SECRETS);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.starts_with("Sent 2018-08-15 to digest@lists.example.org through 127.0.0.1:"),
        "{said}"
    );
    assert!(
        !said.contains(PASSWORD) && !said.contains(USER),
        "no secret printed: {said}"
    );
    let messages = received(dir.path());
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m["tls"], true, "STARTTLS before anything: {m}");
    assert_eq!(m["authenticated"], true);
    assert_eq!(
        m["rcpt_tos"],
        serde_json::json!(["digest@lists.example.org"])
    );
    assert_eq!(m["content_type"], "multipart/alternative");
    let types: Vec<&str> = m["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["content_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text/plain", "text/html"]);
    let headers = &m["headers"];
    assert_eq!(headers["From"], "The Morning Brief <brief@example.org>");
    assert_eq!(headers["To"], "digest@lists.example.org");
    assert_eq!(
        headers["Subject"],
        "Test Digest: No. 1, Wednesday, 15 August 2018"
    );
    assert_eq!(headers["Message-ID"], "<2018-08-15.newsletter@example.org>");
    assert_eq!(
        headers["List-Unsubscribe"],
        "<https://example.org/unsubscribe>"
    );
    assert_eq!(
        headers["List-Unsubscribe-Post"],
        "List-Unsubscribe=One-Click"
    );
    assert!(
        headers["Date"].as_str().unwrap().contains(" +0000"),
        "{headers}"
    );
    let html = m["parts"][1]["text"].as_str().unwrap();
    assert!(
        html.contains("Floods recede") && html.contains("https://example.org/2018/08/15/"),
        "absolute links"
    );
    let record = std::fs::read_to_string(site.root().join("newsletter/sent.toml")).unwrap();
    assert!(record.contains("edition = \"2018-08-15\"\nservice = \"smtp\"\nmessage_id = \"<2018-08-15.newsletter@example.org>\""), "{record}");

    let again = newsletter(&site, &["2018-08-15", "--send"], &SECRETS);
    assert_eq!(again.status.code(), Some(1));
    let said = text(&again);
    assert!(
        said.starts_with("error: the edition 2018-08-15 was sent on 20"),
        "{said}"
    );
    assert!(said.trim_end().ends_with("through smtp (Message-ID <2018-08-15.newsletter@example.org>); pass --again to send it again"), "{said}");
    assert_eq!(received(dir.path()).len(), 1, "never twice");
    let again = newsletter(&site, &["2018-08-15", "--send", "--again"], &SECRETS);
    assert!(again.status.success(), "{}", text(&again));
    let messages = received(dir.path());
    assert_eq!(messages.len(), 2);
    assert_eq!(
        messages[1]["headers"]["Message-ID"], "<2018-08-15.newsletter@example.org>",
        "the same Message-ID"
    );
    let record = std::fs::read_to_string(site.root().join("newsletter/sent.toml")).unwrap();
    assert_eq!(
        common::count(&record, "edition = \"2018-08-15\""),
        2,
        "{record}"
    );
}

#[test]
#[ignore = "needs python3 with aiosmtpd and trustme: run scripts/test"]
fn implicit_tls_works_and_starttls_never_falls_back_to_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let server = smtp("tls", dir.path());
    let site = site(&smtp_settings(&server, "tls"));
    let out = newsletter(&site, &["--latest", "--send"], &SECRETS);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(received(dir.path())[0]["tls"], true);

    let dir = tempfile::tempdir().unwrap();
    let server = smtp("nostarttls", dir.path());
    let site = self::site(&smtp_settings(&server, "starttls"));
    let out = newsletter(&site, &["--latest", "--send"], &SECRETS);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out);
    assert!(
        said.starts_with(&format!(
            "error: could not send through 127.0.0.1:{}: ",
            server.port
        )),
        "{said}"
    );
    assert!(!said.contains(PASSWORD), "{said}");
    assert!(received(dir.path()).is_empty());
    assert!(
        !site.root().join("newsletter/sent.toml").exists(),
        "a failure records nothing"
    );

    // Plain text only to this machine: a loopback server takes it.
    let site = self::site(&smtp_settings(&server, "none"));
    let out = newsletter(&site, &["--latest", "--send"], &SECRETS);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(received(dir.path())[0]["tls"], false);
}

#[test]
fn plain_text_to_another_machine_and_a_missing_secret_are_refused_before_anything_is_sent() {
    let site = site("send_with = \"smtp\"\nto = [\"digest@lists.example.org\"]\nsmtp_host = \"smtp.example.org\"\nsmtp_security = \"none\"\nsmtp_user_env = \"GAZETTE_SMTP_USER\"\nsmtp_password_env = \"GAZETTE_SMTP_PASSWORD\"\n");
    let out = newsletter(&site, &["--latest", "--send"], &SECRETS);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out).trim(), "error: smtp_security = \"none\" sends the message and the password in plain text, so Gazette allows it only to a server on this machine, not smtp.example.org:25; use \"starttls\" or \"tls\"");
    let site = self::site("send_with = \"smtp\"\nto = [\"digest@lists.example.org\"]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = 9\nsmtp_user_env = \"GAZETTE_SMTP_USER\"\nsmtp_password_env = \"GAZETTE_SMTP_PASSWORD\"\n");
    let out = newsletter(
        &site,
        &["--latest", "--send"],
        &[("GAZETTE_SMTP_PASSWORD", PASSWORD)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out).trim(), "error: the environment variable GAZETTE_SMTP_USER (site.toml: [newsletter] smtp_user_env) is not set; set it to the secret, or name another variable");
    assert!(!site.root().join("newsletter").exists(), "nothing written");
    let site = self::site("send_with = \"carrier pigeon\"\n");
    let out = newsletter(&site, &["--latest", "--send"], &[]);
    assert_eq!(text(&out).trim(), "error: site.toml: [newsletter] send_with = \"carrier pigeon\" is not a way Gazette sends; write \"smtp\" or \"buttondown\"");
}

/// A request the fake API received: method, path, `Authorization`, body.
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A fake Buttondown API on 127.0.0.1: answers `status` to every request and records each
/// (method, path, Authorization, body).
struct FakeApi {
    url: String,
    seen: Seen,
}

fn fake_api(status: u16) -> FakeApi {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let received = common::Received::read(&stream);
            log.lock().unwrap().push((
                received.method.clone(),
                received.target.clone(),
                received.header("authorization"),
                received.body.clone(),
            ));
            let answer = if status < 300 {
                "{\"id\": \"em_1\"}"
            } else {
                "{\"detail\": \"Your plan cannot send emails.\"}"
            };
            let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
        }
    });
    FakeApi { url, seen }
}

#[test]
fn buttondown_gets_the_edition_as_a_draft_with_the_key_and_a_failure_records_nothing() {
    let api = fake_api(201);
    let site = site(&format!(
        "send_with = \"buttondown\"\nbuttondown_api = \"{}\"\n",
        api.url
    ));
    let key = [("BUTTONDOWN_API_KEY", "bd-key-123")];
    let out = newsletter(&site, &["2018-08-15", "--send"], &key);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.starts_with(&format!("Sent 2018-08-15 to Buttondown ({}), as a draft: \"Test Digest: No. 1, Wednesday, 15 August 2018\"", api.url)), "{said}");
    assert!(!said.contains("bd-key-123"), "{said}");
    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (method, path, authorization, body) = &seen[0];
    assert_eq!(
        (method.as_str(), path.as_str(), authorization.as_str()),
        ("POST", "/v1/emails", "Token bd-key-123")
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body["subject"],
        "Test Digest: No. 1, Wednesday, 15 August 2018"
    );
    assert_eq!(body["status"], "draft");
    assert!(body["body"].as_str().unwrap().contains("Floods recede"));
    let record = std::fs::read_to_string(site.root().join("newsletter/sent.toml")).unwrap();
    assert!(record.contains("service = \"buttondown\""), "{record}");
    let again = newsletter(&site, &["2018-08-15", "--send"], &key);
    assert_eq!(again.status.code(), Some(1), "never twice");
    assert_eq!(api.seen.lock().unwrap().len(), 1);

    let failing = fake_api(400);
    let site = self::site(&format!(
        "send_with = \"buttondown\"\nbuttondown_api = \"{}\"\n",
        failing.url
    ));
    let out = newsletter(&site, &["2018-08-15", "--send"], &key);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out).trim(), format!("error: Buttondown ({}/emails) answered HTTP 400: {{\"detail\": \"Your plan cannot send emails.\"}}; nothing was recorded", failing.url));
    assert!(!site.root().join("newsletter/sent.toml").exists());
    let out = newsletter(&site, &["2018-08-15", "--send"], &[]);
    assert_eq!(text(&out).trim(), "error: the environment variable BUTTONDOWN_API_KEY (site.toml: [newsletter] buttondown_key_env) is not set; set it to the secret, or name another variable");
}

#[test]
fn a_dry_run_writes_the_message_says_where_it_would_go_and_sends_nothing() {
    let api = fake_api(201);
    let site = site("send_with = \"smtp\"\nto = [\"digest@lists.example.org\", \"team@example.org\"]\nsmtp_host = \"smtp.example.org\"\n");
    let out = newsletter(&site, &["2018-08-15", "--dry-run"], &[]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.starts_with("Would send 2018-08-15 to digest@lists.example.org, team@example.org through smtp.example.org:587 (STARTTLS): \"Test Digest: No. 1, Wednesday, 15 August 2018\" (message "), "{said}");
    assert!(
        said.contains("; Message-ID <2018-08-15.newsletter@example.org>)"),
        "{said}"
    );
    let eml = std::fs::read_to_string(site.root().join("newsletter/2018-08-15.eml")).unwrap();
    for header in [
        "From: \"The Morning Brief\" <brief@example.org>",
        "To: digest@lists.example.org, team@example.org",
        "Message-ID: <2018-08-15.newsletter@example.org>",
        "List-Unsubscribe: <https://example.org/unsubscribe>",
        "Content-Type: multipart/alternative;",
    ] {
        assert!(eml.contains(header), "{header}: {eml}");
    }
    assert!(
        !site.root().join("newsletter/sent.toml").exists(),
        "a dry run records nothing"
    );
    assert!(api.seen.lock().unwrap().is_empty());
}

#[test]
fn the_workflow_sends_only_when_site_toml_opts_in_and_never_an_edition_sent_before() {
    let api = fake_api(201);
    let settings = format!(
        "send_with = \"buttondown\"\nbuttondown_api = \"{}\"\n",
        api.url
    );
    let key = [("BUTTONDOWN_API_KEY", "bd-key-123")];
    let site = site(&settings);
    let out = newsletter(&site, &["--latest", "--send", "--on-deploy"], &key);
    assert!(out.status.success());
    assert_eq!(
        text(&out).trim(),
        "Not sending: site.toml's [newsletter] does not say send_on_deploy = true"
    );
    assert!(api.seen.lock().unwrap().is_empty());
    let site = self::site(&format!("{settings}send_on_deploy = true\n"));
    let out = newsletter(&site, &["--latest", "--send", "--on-deploy"], &key);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(api.seen.lock().unwrap().len(), 1);
    let out = newsletter(&site, &["--latest", "--send", "--on-deploy"], &key);
    assert!(out.status.success(), "a re-run is no error: {}", text(&out));
    assert!(
        text(&out).starts_with("2018-08-15 was sent on 20"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out)
            .trim_end()
            .ends_with("(Message-ID <2018-08-15.newsletter@example.org>); nothing to send"),
        "{}",
        text(&out)
    );
    assert_eq!(api.seen.lock().unwrap().len(), 1, "never twice");
}
