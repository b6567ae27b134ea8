//! The edition as an email message (lettre's builder): `multipart/alternative` with the
//! text and the HTML parts, `From`, `To`, `Subject`, `Date`, a `Message-ID` made from the
//! edition (the same for a dry run, a send and a send `--again`), and `List-Unsubscribe`
//! with `List-Unsubscribe-Post` (RFC 8058, one-click) where `list_unsubscribe` gives an
//! address.

use super::Service;
use crate::pipeline::newsletter::Composed;
use anyhow::{anyhow, bail, Result};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

/// A message ready to go.
#[derive(Debug, Clone)]
pub struct Built {
    /// As sent (CRLF line ends): what a `.eml` file holds.
    pub bytes: Vec<u8>,
    pub message_id: String,
    pub envelope: lettre::address::Envelope,
}

/// The edition's `Message-ID`: `<2018-08-15.newsletter@example.org>`, with the site's
/// path for a site under one (`<2018-08-15.newsletter.digest@user.github.io>`: two
/// project sites of one host never share one).
pub fn message_id(composed: &Composed) -> String {
    let atom = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            .collect()
    };
    let host = atom(composed.host.split(':').next().unwrap_or(""));
    let host = if host.is_empty() {
        "localhost".into()
    } else {
        host
    };
    let path = atom(
        &composed
            .config
            .base_path
            .trim_matches('/')
            .replace('/', "."),
    );
    match path.is_empty() {
        true => format!("<{}.newsletter@{host}>", composed.key),
        false => format!("<{}.newsletter.{path}@{host}>", composed.key),
    }
}

pub fn build(composed: &Composed, service: &Service) -> Result<Built> {
    let n = &composed.config.newsletter;
    let from = mailbox(n.from.as_deref().unwrap_or(""), "from")?;
    let message_id = message_id(composed);
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(composed.subject.clone())
        .date_now()
        .message_id(Some(message_id.clone()));
    let to: Vec<String> = match service {
        Service::Smtp(s) => s.to.clone(),
        // The service addresses it to each subscriber; the file says who it is from.
        Service::Buttondown(_) => Vec::new(),
    };
    for address in &to {
        builder = builder.to(mailbox(address, "to")?);
    }
    if to.is_empty() {
        builder = builder.to(mailbox(n.from.as_deref().unwrap_or(""), "from")?);
    }
    if let Some(unsubscribe) = n.list_unsubscribe.as_deref().map(str::trim) {
        builder = unsubscribe_headers(builder, unsubscribe)?;
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            composed.text.clone(),
            composed.html.clone(),
        ))
        .map_err(|e| anyhow!("the message could not be made: {e}"))?;
    Ok(Built {
        bytes: message.formatted(),
        message_id,
        envelope: message.envelope().clone(),
    })
}

fn mailbox(text: &str, key: &str) -> Result<Mailbox> {
    text.trim().parse().map_err(|_| {
        anyhow!("site.toml: [newsletter] {key} = \"{}\" is not an email address; write one such as \"The Morning Brief <brief@example.org>\"", crate::app::add::text::printable(text))
    })
}

fn unsubscribe_headers(
    builder: lettre::message::MessageBuilder,
    address: &str,
) -> Result<lettre::message::MessageBuilder> {
    let lower = address.to_ascii_lowercase();
    let web = lower.starts_with("https://");
    let plain = address
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | ','));
    if !(web || lower.starts_with("mailto:")) || !plain {
        bail!("site.toml: [newsletter] list_unsubscribe = \"{}\" must be an https:// address or a mailto: one", crate::app::add::text::printable(address));
    }
    let builder = builder.raw_header(HeaderValue::new(
        HeaderName::new_from_ascii_str("List-Unsubscribe"),
        format!("<{address}>"),
    ));
    Ok(match web {
        // One click (RFC 8058): the address takes a POST, as Gmail and Yahoo ask of bulk senders.
        true => builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        )),
        false => builder,
    })
}
