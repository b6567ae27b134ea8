//! `newsletter/sent.toml`: every edition sent (edition, service, Message-ID, time), kept
//! with the site and committed, so no run — on this machine or in the Pages workflow —
//! sends an edition twice.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub edition: String,
    pub service: String,
    pub message_id: String,
    /// RFC 3339, UTC.
    pub time: String,
}

/// Every sending so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub sent: Vec<Entry>,
}

/// The record's path.
pub fn path(root: &Path) -> PathBuf {
    root.join("newsletter").join("sent.toml")
}

const HEADER: &str = "# What `gazette newsletter --send` sent: one [[sent]] per sending. Commit this file:\n# an edition listed here is not sent again (unless --again).\n\n";

impl Record {
    pub fn read(root: &Path) -> Result<Record> {
        let path = path(root);
        if !path.exists() {
            return Ok(Record::default());
        }
        let text = crate::util::fs::read_to_string(&path)?;
        toml::from_str(&text).with_context(|| {
            format!(
                "{} cannot be read; fix it (it lists what was sent) or move it away",
                path.display()
            )
        })
    }

    /// The first sending of `edition`, if any.
    pub fn find(&self, edition: &str) -> Option<&Entry> {
        self.sent.iter().find(|e| e.edition == edition)
    }

    /// Adds a sending and writes the file whole.
    pub fn add(
        mut self,
        root: &Path,
        edition: &str,
        service: &str,
        message_id: &str,
    ) -> Result<()> {
        self.sent.push(Entry {
            edition: edition.to_string(),
            service: service.to_string(),
            message_id: message_id.to_string(),
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        let text = format!("{HEADER}{}", toml::to_string(&self)?);
        let path = path(root);
        if let Some(dir) = path.parent() {
            crate::util::fs::create_dir_all(dir)?;
        }
        crate::util::fs::replace(&path, text)
    }
}
