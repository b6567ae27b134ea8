//! Sending through an SMTP server (lettre, over rustls): implicit TLS (`tls`, port 465),
//! STARTTLS (`starttls`, port 587: required, never a fallback to plain text when the
//! server offers none) or, to a server on this machine only, plain text (`none`, port
//! 25). The user name and password come from the environment variables `site.toml`
//! names; a certificate file may be trusted besides the system's (`smtp_ca_file`).

use super::message::Built;
use crate::config::NewsletterSettings;
use anyhow::{anyhow, bail, Result};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::Transport;
use std::net::ToSocketAddrs;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Tls,
    StartTls,
    None,
}

impl Security {
    pub fn name(self) -> &'static str {
        match self {
            Security::Tls => "TLS",
            Security::StartTls => "STARTTLS",
            Security::None => "no encryption",
        }
    }
}

/// `[newsletter]`'s SMTP settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub to: Vec<String>,
    /// The names of the variables holding the user name and the password.
    pub user_env: Option<String>,
    pub password_env: Option<String>,
    /// A PEM certificate's bytes to trust besides the system's.
    pub ca: Option<Vec<u8>>,
    pub timeout: Duration,
}

impl Settings {
    pub fn from_config(n: &NewsletterSettings, root: &Path) -> Result<Settings> {
        let host = n.smtp_host.clone().filter(|h| !h.trim().is_empty()).ok_or_else(|| {
            anyhow!("site.toml: [newsletter] send_with = \"smtp\" needs smtp_host, the mail server's name (smtp_host = \"smtp.example.org\")")
        })?;
        if n.to.is_empty() {
            bail!("site.toml: [newsletter] send_with = \"smtp\" needs to, the list address(es): to = [\"digest@lists.example.org\"]");
        }
        let security = match n.smtp_security.as_deref().unwrap_or("starttls") {
            "tls" => Security::Tls,
            "starttls" => Security::StartTls,
            "none" => Security::None,
            other => bail!("site.toml: [newsletter] smtp_security = \"{other}\" is not one Gazette knows; write \"tls\", \"starttls\" or \"none\""),
        };
        let port = n.smtp_port.unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::None => 25,
        });
        let ca = match &n.smtp_ca_file {
            Some(file) => Some(crate::util::fs::read(&root.join(file))?),
            None => None,
        };
        if n.smtp_user_env.is_some() != n.smtp_password_env.is_some() {
            bail!("site.toml: [newsletter] smtp_user_env and smtp_password_env go together; name both variables, or neither");
        }
        Ok(Settings {
            host: host.trim().to_string(),
            port,
            security,
            to: n.to.clone(),
            user_env: n.smtp_user_env.clone(),
            password_env: n.smtp_password_env.clone(),
            ca,
            timeout: Duration::from_secs(n.timeout_s.unwrap_or(30).max(1)),
        })
    }
}

/// Whether every address `host` has is this machine's.
fn loopback(host: &str, port: u16) -> bool {
    match (host, port).to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}

/// Sends the message; an error is one line and names no secret.
pub fn send(settings: &Settings, built: &Built) -> Result<()> {
    let at = format!("{}:{}", settings.host, settings.port);
    if settings.security == Security::None && !loopback(&settings.host, settings.port) {
        bail!("smtp_security = \"none\" sends the message and the password in plain text, so Gazette allows it only to a server on this machine, not {at}; use \"starttls\" or \"tls\"");
    }
    let credentials = match (&settings.user_env, &settings.password_env) {
        (Some(user), Some(password)) => Some(Credentials::new(
            super::secret(user, "smtp_user_env")?,
            super::secret(password, "smtp_password_env")?,
        )),
        _ => None,
    };
    let mut builder = lettre::SmtpTransport::builder_dangerous(settings.host.clone())
        .port(settings.port)
        .timeout(Some(settings.timeout))
        .tls(tls(settings)?);
    if let Some(credentials) = credentials {
        builder = builder.credentials(credentials);
    }
    let transport = builder.build();
    transport
        .send_raw(&built.envelope, &built.bytes)
        .map_err(|e| anyhow!("could not send through {at}: {}", describe(&e)))?;
    Ok(())
}

fn tls(settings: &Settings) -> Result<Tls> {
    if settings.security == Security::None {
        return Ok(Tls::None);
    }
    let mut parameters = TlsParameters::builder(settings.host.clone());
    if let Some(pem) = &settings.ca {
        let certificate = Certificate::from_pem(pem).map_err(|e| {
            anyhow!("site.toml: [newsletter] smtp_ca_file is not a PEM certificate ({e})")
        })?;
        parameters = parameters.add_root_certificate(certificate);
    }
    let parameters = parameters
        .build_rustls()
        .map_err(|e| anyhow!("could not set up TLS for {}: {e}", settings.host))?;
    Ok(match settings.security {
        Security::Tls => Tls::Wrapper(parameters),
        _ => Tls::Required(parameters),
    })
}

/// lettre's error in one line, with its cause.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    crate::app::add::text::printable(&crate::app::add::text::plain(&text))
}
