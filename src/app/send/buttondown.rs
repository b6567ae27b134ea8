//! Sending through Buttondown's API: `POST {buttondown_api}/emails` with the edition's
//! subject and HTML, as a draft (the default), sent at once (`about_to_send`) or scheduled
//! (`scheduled`, with `--at`). The key comes from the environment variable
//! `buttondown_key_env` names (default `BUTTONDOWN_API_KEY`). Another service is added the
//! same way: a module with its settings and a `send`, and a name for `send_with`.

use crate::config::NewsletterSettings;
use crate::pipeline::newsletter::Composed;
use anyhow::{anyhow, bail, Result};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    AboutToSend,
    Scheduled,
}

impl Status {
    fn api(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::AboutToSend => "about_to_send",
            Status::Scheduled => "scheduled",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Status::Draft => "as a draft",
            Status::AboutToSend => "to send now",
            Status::Scheduled => "scheduled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Without a trailing `/`.
    pub api: String,
    pub key_env: String,
    pub status: Status,
    pub timeout: Duration,
}

impl Settings {
    pub fn from_config(n: &NewsletterSettings) -> Result<Settings> {
        let api = n
            .buttondown_api
            .clone()
            .unwrap_or_else(|| "https://api.buttondown.com/v1".into());
        if !crate::util::url::is_web(&api) {
            bail!("site.toml: [newsletter] buttondown_api = \"{}\" is not a web address; leave it out for https://api.buttondown.com/v1", crate::app::add::text::printable(&api));
        }
        let status = match n.buttondown_status.as_deref().unwrap_or("draft") {
            "draft" => Status::Draft,
            "about_to_send" => Status::AboutToSend,
            "scheduled" => Status::Scheduled,
            other => bail!("site.toml: [newsletter] buttondown_status = \"{other}\" is not one Buttondown takes; write \"draft\", \"about_to_send\" or \"scheduled\""),
        };
        Ok(Settings {
            api: api.trim_end_matches('/').to_string(),
            key_env: n
                .buttondown_key_env
                .clone()
                .unwrap_or_else(|| "BUTTONDOWN_API_KEY".into()),
            status,
            timeout: Duration::from_secs(n.timeout_s.unwrap_or(30).max(1)),
        })
    }
}

/// Creates the email; an error is one line and never shows the key.
pub fn send(settings: &Settings, composed: &Composed, at: Option<&str>) -> Result<()> {
    let key = super::secret(&settings.key_env, "buttondown_key_env")?;
    let mut body = serde_json::json!({
        "subject": composed.subject,
        "body": composed.html,
        "status": settings.status.api(),
    });
    match (settings.status, at) {
        (Status::Scheduled, Some(at)) => {
            let when = chrono::DateTime::parse_from_rfc3339(at).map_err(|_| {
                anyhow!("--at {at} is not a time Buttondown takes; write one such as 2026-12-07T07:00:00+09:00")
            })?;
            body["publish_date"] = serde_json::json!(when.to_rfc3339());
        }
        (Status::Scheduled, None) => bail!(
            "buttondown_status = \"scheduled\" needs the time: pass --at 2026-12-07T07:00:00+09:00"
        ),
        _ => {}
    }
    let url = format!("{}/emails", settings.api);
    let agent = ureq::AgentBuilder::new()
        .timeout(settings.timeout)
        .redirects(0)
        .user_agent(crate::util::http::USER_AGENT)
        .build();
    let answer = agent
        .post(&url)
        .set("Authorization", &format!("Token {key}"))
        .set("Content-Type", "application/json")
        .send_string(&body.to_string());
    match answer {
        // Created: a 2xx with the email's id (a redirect, with redirects off, is no success).
        Ok(response) if (200..300).contains(&response.status()) => {
            let said = read_some(response);
            let created: Option<serde_json::Value> = serde_json::from_str(&said).ok();
            match created.as_ref().and_then(|c| c.get("id")) {
                Some(_) => Ok(()),
                None => bail!("Buttondown ({url}) answered without the email's id; nothing was recorded: check buttondown_api"),
            }
        }
        Ok(response) => bail!(
            "Buttondown ({url}) answered HTTP {}; nothing was recorded: check buttondown_api",
            response.status()
        ),
        Err(ureq::Error::Status(code, response)) => {
            let said = read_some(response);
            let said: String = crate::app::add::text::plain(&said)
                .chars()
                .take(300)
                .collect();
            bail!(
                "Buttondown ({url}) answered HTTP {code}: {}; nothing was recorded",
                crate::app::add::text::printable(&said)
            )
        }
        Err(ureq::Error::Transport(t)) => bail!(
            "could not reach Buttondown ({url}): {}; nothing was recorded",
            crate::app::add::text::printable(&t.to_string())
        ),
    }
}

/// At most 64 KB of an answer's body, as text.
fn read_some(response: ureq::Response) -> String {
    use std::io::Read;
    let mut body = Vec::new();
    let _ = response
        .into_reader()
        .take(64 * 1024)
        .read_to_end(&mut body);
    String::from_utf8_lossy(&body).into_owned()
}
