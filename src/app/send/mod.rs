//! `gazette newsletter --send`: an edition delivered through what `[newsletter]` in
//! `site.toml` names ([`smtp`] or [`buttondown`]), never twice: `newsletter/sent.toml`
//! ([`record`]) keeps what was sent, and an edition already there is refused unless
//! `--again`. `--dry-run` writes the message (`newsletter/<edition>.eml`) and says to whom
//! it would go. Secrets come only from environment variables `site.toml` names; none is
//! ever printed. A failure records nothing.

pub mod buttondown;
pub mod message;
pub mod record;
pub mod smtp;

use crate::pipeline::newsletter::Composed;
use anyhow::{bail, Result};
use std::path::Path;

/// How the edition leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    Smtp(smtp::Settings),
    Buttondown(buttondown::Settings),
}

impl Service {
    /// `smtp` or `buttondown`, as `sent.toml` names it.
    pub fn name(&self) -> &'static str {
        match self {
            Service::Smtp(_) => "smtp",
            Service::Buttondown(_) => "buttondown",
        }
    }

    /// Where it goes, in words: "digest@lists.example.org through smtp.example.org:587
    /// (STARTTLS)", "Buttondown (https://api.buttondown.com/v1), as a draft".
    pub fn describe(&self) -> String {
        match self {
            Service::Smtp(s) => format!(
                "{} through {}:{} ({})",
                s.to.join(", "),
                s.host,
                s.port,
                s.security.name()
            ),
            Service::Buttondown(b) => format!("Buttondown ({}), {}", b.api, b.status.describe()),
        }
    }
}

/// What `[newsletter]` says, checked: an error names the key and what to write.
pub fn service(config: &crate::config::SiteConfig, root: &Path) -> Result<Service> {
    let n = &config.newsletter;
    match n.send_with.as_deref() {
        Some("smtp") => Ok(Service::Smtp(smtp::Settings::from_config(n, root)?)),
        Some("buttondown") => Ok(Service::Buttondown(buttondown::Settings::from_config(n)?)),
        Some(other) => bail!("site.toml: [newsletter] send_with = \"{other}\" is not a way Gazette sends; write \"smtp\" or \"buttondown\""),
        None => bail!("site.toml: [newsletter] says nothing of how to send; add send_with = \"smtp\" (with from, to and smtp_host) or send_with = \"buttondown\" (docs/newsletter.md)"),
    }
}

/// The value of the environment variable `name` (named by `key` in `[newsletter]`); an
/// error names the variable, never a value.
pub fn secret(name: &str, key: &str) -> Result<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => bail!("the environment variable {name} (site.toml: [newsletter] {key}) is not set; set it to the secret, or name another variable"),
    }
}

/// What `send` did.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message_id: String,
    /// Where it went, in words.
    pub to: String,
    /// The message's size in bytes, its HTML's and its text's.
    pub sizes: (usize, usize, usize),
    /// `--dry-run`: the `.eml` file written.
    pub eml: Option<std::path::PathBuf>,
}

/// How to send.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Send an edition already sent.
    pub again: bool,
    /// Write the message and say where it would go; send nothing.
    pub dry_run: bool,
    /// Buttondown's `publish_date` for a scheduled email (RFC 3339).
    pub at: Option<String>,
}

/// Sends (or, with `dry_run`, writes) the edition `composed` of the site at `root`.
pub fn send(root: &Path, composed: &Composed, options: &Options) -> Result<Sent> {
    let service = service(&composed.config, root)?;
    let record = record::Record::read(root)?;
    if let Some(earlier) = record.find(&composed.key) {
        if !options.again && !options.dry_run {
            bail!(
                "the edition {} was sent on {} through {} (Message-ID {}); pass --again to send it again",
                composed.key, earlier.time, earlier.service, earlier.message_id
            );
        }
    }
    let built = message::build(composed, &service)?;
    let to = service.describe();
    let sizes = (built.bytes.len(), composed.html.len(), composed.text.len());
    if options.dry_run {
        let name = format!("{}.eml", composed.key);
        let paths = crate::output::owned::write_owned(
            &root.join("newsletter"),
            &[(name, String::from_utf8_lossy(&built.bytes).into_owned())],
        )?;
        return Ok(Sent {
            message_id: built.message_id,
            to,
            sizes,
            eml: paths.into_iter().next(),
        });
    }
    match &service {
        Service::Smtp(settings) => smtp::send(settings, &built)?,
        Service::Buttondown(settings) => {
            buttondown::send(settings, composed, options.at.as_deref())?
        }
    }
    record.add(root, &composed.key, service.name(), &built.message_id)?;
    Ok(Sent {
        message_id: built.message_id,
        to,
        sizes,
        eml: None,
    })
}
