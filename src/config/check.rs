//! Checking `site.toml`'s values, each problem at its line and in a curator's words: the
//! TOML reader's errors explained, addresses, time zones, numbers, key lists, editions,
//! languages and their tables, `[style]`, and the placeholder `base_url`.

use super::*;

/// Keys a language's table cannot change: where the site is, its default language, the
/// theme (whose static files every language shares) and the root's own files.
pub(super) const SHARED_KEYS: &[&str] = &[
    "base_url",
    "language",
    "languages",
    "theme",
    "cname",
    "redirects",
];

/// Whether front matter key `k` has a meaning of its own, so that `topic_keys` and
/// `author_keys` may not name it (`topics` and `author` are theirs).
pub(super) fn is_reserved_key(k: &str) -> bool {
    (FRONT_MATTER_KEYS.contains(&k) && k != "topics" && k != "author")
        || READ_AS_OWN_KEYS.contains(&k)
}

/// Reading and checking the text of a site.toml: each check names its key's line.
pub(super) struct Check<'t> {
    pub(super) text: &'t str,
}

/// Where every key of site.toml is listed, for messages about unknown ones.
pub(super) const KEYS_HINT: &str = " (docs/site-toml.md lists every key)";

/// The TOML reader's message about an unknown key or a value of the wrong type, in a
/// curator's words: the key most like a misspelt one (not all 26), and the kind of value
/// a key takes with an example (not `expected i64`). `written` is the line it is on.
pub(super) fn explain_toml_error(message: &str, written: &str) -> Option<String> {
    let quoted = |from: &str| -> Option<String> {
        let rest = &message[message.find(from)? + from.len()..];
        Some(rest[..rest.find('`')?].to_string())
    };
    if let Some(unknown) = quoted("unknown field `") {
        let expected: Vec<&str> = message
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let near = expected
            .iter()
            .map(|k| (crate::util::text::edit_distance(k, &unknown), *k))
            .filter(|(d, k)| *d <= 2 || (k.contains(unknown.as_str()) && unknown.len() > 3))
            .min();
        return Some(match near {
            Some((_, known)) => {
                format!("unknown key `{unknown}`; did you mean `{known}`?{KEYS_HINT}")
            }
            None => format!("unknown key `{unknown}`{KEYS_HINT}"),
        });
    }
    let wanted = message.split_once("expected ")?.1.trim();
    let key = written
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let value = written.split_once('=').map(|(_, v)| v.trim()).unwrap_or("");
    let bare = value.trim_matches('"').trim_matches('\'');
    let kind = match wanted {
        w if w.starts_with('i') || w.starts_with('u') || w.contains("integer") => {
            let example = if bare.parse::<i64>().is_ok() {
                bare
            } else {
                "20"
            };
            format!("a number, such as `{key} = {example}` (without quotes)")
        }
        w if w.contains("bool") => {
            format!("`true` or `false`, such as `{key} = true` (without quotes)")
        }
        w if w.contains("string") => format!("text in quotes, such as `{key} = \"{bare}\"`"),
        w if w.contains("sequence") => format!("a list, such as `{key} = [\"…\"]`"),
        w if w.contains("map") || w.contains("struct") => {
            format!("a table: `[{key}]` with its keys on the lines below")
        }
        _ => return None,
    };
    (!key.is_empty()).then(|| format!("`{key}` must be {kind}"))
}

impl Check<'_> {
    /// `theme`: the name of a folder in themes/.
    pub(super) fn theme(&self, theme: &str) -> Result<(), Problem> {
        if theme.is_empty() || theme == "." || theme == ".." || theme.contains(['/', '\\', '\0']) {
            return Err(self.fail(
                "theme",
                format!("`theme` \"{theme}\" must be the name of a folder in themes/, such as \"default\""),
            ));
        }
        Ok(())
    }

    /// `[feeds] websub_hub` and `[social]`: web addresses, and a fediverse handle.
    pub(super) fn reach(
        &self,
        feeds: &FeedSettings,
        social: &SocialSettings,
    ) -> Result<(), Problem> {
        if let Some(hub) = feeds
            .websub_hub
            .as_deref()
            .filter(|h| !crate::util::url::is_web(h))
        {
            return Err(self.fail("websub_hub", format!("`websub_hub` must be the hub's address, starting with https:// (such as \"https://pubsubhubbub.appspot.com/\"), not \"{hub}\"")));
        }
        if let Some(me) = social.me.iter().find(|u| !crate::util::url::is_web(u)) {
            return Err(self.fail("me", format!("`me` must list profile addresses starting with https:// (such as \"https://mastodon.social/@digest\"), not \"{me}\"")));
        }
        let handle = |h: &str| {
            let mut parts = h.strip_prefix('@').unwrap_or("").split('@');
            let (user, host) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            parts.next().is_none()
                && !user.is_empty()
                && host.contains('.')
                && h.chars().all(|c| c.is_alphanumeric() || "@._-".contains(c))
        };
        if let Some(creator) = social.fediverse_creator.as_deref().filter(|h| !handle(h)) {
            return Err(self.fail("fediverse_creator", format!("`fediverse_creator` must be an account such as \"@digest@mastodon.social\", not \"{creator}\"")));
        }
        Ok(())
    }

    pub(super) fn fail(&self, key: &str, message: String) -> Problem {
        Problem::new("site.toml", key_line(self.text, key), message)
    }

    /// The keys as written, or the TOML parser's error with a hint.
    pub(super) fn raw(&self) -> Result<RawConfig, Problem> {
        let text = self.text;
        let fail = |line: Option<usize>, message: String| Problem::new("site.toml", line, message);
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let message = e.message().trim_end().to_string();
            let written = line.and_then(|l| text.lines().nth(l - 1)).unwrap_or("");
            if let Some(explained) = explain_toml_error(&message, written) {
                return fail(line, explained);
            }
            let hint = if message.contains("missing field") {
                "; add it to site.toml"
            } else {
                ""
            };
            fail(line, format!("{message}{hint}"))
        })
    }

    /// `[style]`: colours and font lists go into CSS as written, so they may hold only what
    /// such values need (no `;`, `{`, `<` that would end the rule or the style element).
    pub(super) fn style(&self, style: &ThemeLook) -> Result<(), Problem> {
        let fields = [
            ("accent", &style.accent, "a CSS colour, such as \"#0b5394\""),
            (
                "accent_dark",
                &style.accent_dark,
                "a CSS colour, such as \"#9fc5f8\"",
            ),
            (
                "font_headline",
                &style.font_headline,
                "a CSS font list, such as \"Georgia, serif\"",
            ),
            (
                "font_body",
                &style.font_body,
                "a CSS font list, such as \"system-ui, sans-serif\"",
            ),
        ];
        for (key, value, what) in fields {
            let Some(value) = value else { continue };
            let fine = !value.trim().is_empty()
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || " #(),.%-_'\"/+".contains(c));
            if !fine {
                return Err(self.fail(key, format!("`style.{key}` \"{value}\" must be {what}")));
            }
        }
        Ok(())
    }

    /// `base_url`, with a slash at its end, and its path (`/` or `/digest/`).
    pub(super) fn base(&self, raw: &RawConfig) -> Result<(String, String), Problem> {
        let mut base_url = raw.base_url.trim().to_string();
        let Some(after_scheme) = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
        else {
            return Err(self.fail(
            "base_url",
            format!(
                "`base_url` \"{}\" must start with http:// or https://, e.g. \"https://example.com/\"",
                raw.base_url
            ),
        ));
        };
        let base_path = match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        };
        let base_path = if base_path.ends_with('/') {
            base_path
        } else {
            format!("{base_path}/")
        };
        if !base_url.ends_with('/') {
            base_url.push('/');
        }

        Ok((base_url, base_path))
    }

    pub(super) fn timezone(&self, raw: &RawConfig) -> Result<Tz, Problem> {
        raw.timezone.parse().map_err(|_| {
        self.fail(
            "timezone",
            format!(
                "unknown `timezone` \"{}\"; use an IANA name such as \"Europe/London\", \"Asia/Seoul\" or \"UTC\"",
                raw.timezone
            ),
        )
    })
    }

    pub(super) fn numbers(&self, raw: &RawConfig) -> Result<(), Problem> {
        if raw.paginate_by < 1 {
            return Err(self.fail("paginate_by", "`paginate_by` must be 1 or more".into()));
        }
        if raw.paginate_later_by < 1 {
            return Err(self.fail(
                "paginate_later_by",
                "`paginate_later_by` must be 1 or more".into(),
            ));
        }
        if raw.feed_limit < 1 {
            return Err(self.fail("feed_limit", "`feed_limit` must be 1 or more".into()));
        }
        if raw.topic_feed_limit < 1 {
            return Err(self.fail(
                "topic_feed_limit",
                "`topic_feed_limit` must be 1 or more".into(),
            ));
        }
        if raw.max_article_mb < 1 {
            return Err(self.fail(
                "max_article_mb",
                format!(
                    "`max_article_mb` must be a whole number of megabytes, at least 1 (it is {})",
                    raw.max_article_mb
                ),
            ));
        }
        Ok(())
    }

    /// `article_path`, relative, ending in a slash, with a `{slug}`.
    pub(super) fn article_path(&self, raw: &RawConfig) -> Result<String, Problem> {
        let article_path = raw.article_path.trim_start_matches('/').to_string();
        let article_path = if article_path.ends_with('/') {
            article_path
        } else {
            format!("{article_path}/")
        };
        if !article_path.contains("{slug}")
            || article_path.split('/').any(|seg| seg == ".." || seg == ".")
        {
            return Err(self.fail(
            "article_path",
            format!(
                "`article_path` \"{}\" must contain {{slug}} and no `.` or `..` segments, e.g. \"{{year}}/{{month}}/{{day}}/{{slug}}/\"",
                raw.article_path
            ),
        ));
        }
        Ok(article_path)
    }

    /// `topic_keys` and `author_keys`: no reserved key, none in both.
    pub(super) fn key_lists(&self, raw: &RawConfig) -> Result<(Vec<String>, Vec<String>), Problem> {
        let keys = |setting: &str, given: Option<Vec<String>>, default: &[&str]| {
            let keys: Vec<String> = match given {
                Some(keys) => keys.iter().map(|k| k.trim().to_string()).collect(),
                None => default.iter().map(|k| k.to_string()).collect(),
            };
            match keys.iter().find(|k| {
            k.is_empty() || is_reserved_key(k)
        }) {
            Some(k) => Err(self.fail(
                setting,
                format!("`{setting}` cannot include \"{k}\", which has a meaning of its own; list keys such as \"tags\" or \"categories\""),
            )),
            None => Ok(keys),
        }
        };
        let topic_keys = keys("topic_keys", raw.topic_keys.clone(), DEFAULT_TOPIC_KEYS)?;
        let author_keys = keys("author_keys", raw.author_keys.clone(), DEFAULT_AUTHOR_KEYS)?;
        if let Some(k) = topic_keys.iter().find(|k| author_keys.contains(k)) {
            return Err(self.fail(
                "author_keys",
                format!("\"{k}\" is in both `topic_keys` and `author_keys`; keep it in one"),
            ));
        }
        Ok((topic_keys, author_keys))
    }

    /// `language`: a BCP 47 tag (`ko`, `pt-BR`, `zh-Hans`), which `<html lang>` and feeds
    /// carry as it is written.
    pub(super) fn language(&self, language: &str) -> Result<(), Problem> {
        if is_language_tag(language) {
            return Ok(());
        }
        let hint = language.replace('_', "-");
        let hint = if hint != language {
            format!(" (\"{hint}\")")
        } else {
            String::new()
        };
        Err(self.fail(
            "language",
            format!("`language` \"{language}\" must be a BCP 47 language tag{hint}, such as \"en\", \"ko\", \"pt-BR\" or \"zh-Hans\""),
        ))
    }

    /// `[languages.<code>]`: each code a language tag other than `language`, in a form
    /// that is one folder name (`ko`, `pt-br`, `zh-hans`: lower case, as URLs go).
    pub(super) fn languages(&self, raw: &RawConfig) -> Result<Vec<Language>, Problem> {
        let mut languages = Vec::new();
        for (code, table) in &raw.languages {
            let line = self.table_line(&format!("languages.{code}"));
            let fail = |message: String| Problem::new("site.toml", line, message);
            if !is_language_tag(code) {
                return Err(fail(format!("`[languages.{code}]`: \"{code}\" must be a BCP 47 language tag, such as \"ko\", \"fr\" or \"pt-BR\"")));
            }
            if code.eq_ignore_ascii_case(&raw.language) {
                return Err(fail(format!("`[languages.{code}]` is the site's own `language`; the default language needs no table (its settings are the top-level keys), so remove it")));
            }
            if code.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(fail(format!("`[languages.{code}]`: write the code in lower case (\"{}\"); it is the folder of the language's pages and the suffix of its files (`kim.{}.md`)", code.to_ascii_lowercase(), code.to_ascii_lowercase())));
            }
            if let Some(key) = table.keys().find(|k| SHARED_KEYS.contains(&k.as_str())) {
                return Err(fail(format!("`[languages.{code}]` cannot set `{key}`: every language shares the site's; set it at the top of site.toml")));
            }
            let settings = self.language_settings(table).map_err(|p| {
                let message = p.message.trim_end_matches(KEYS_HINT);
                fail(format!("in `[languages.{code}]`: {message}"))
            })?;
            languages.push(Language {
                code: code.clone(),
                settings: Box::new(settings),
            });
        }
        Ok(languages)
    }

    /// The whole site.toml with `table`'s keys over its own (`[extra]` and `[style]` key
    /// by key), parsed as a site.toml: every check applies to a language's values too.
    pub(super) fn language_settings(&self, table: &toml::Table) -> Result<SiteConfig, Problem> {
        let mut merged: toml::Table = toml::from_str(self.text).unwrap_or_default();
        merged.remove("languages");
        for (key, value) in table {
            match (merged.get_mut(key), value) {
                (Some(toml::Value::Table(old)), toml::Value::Table(new))
                    if key == "extra" || key == "style" =>
                {
                    old.extend(new.clone());
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
        SiteConfig::parse(&toml::to_string(&merged).unwrap_or_default())
    }

    /// The line of a table's header (`[languages.ko]`).
    pub(super) fn table_line(&self, table: &str) -> Option<usize> {
        let header = format!("[{table}]");
        self.text
            .lines()
            .position(|l| l.trim().replace(' ', "") == header)
            .map(|i| i + 1)
    }

    pub(super) fn editions(&self, raw: &RawConfig) -> Result<Cadence, Problem> {
        match raw.editions.as_deref() {
            None | Some("daily") => Ok(Cadence::Daily),
            Some("weekly") => Ok(Cadence::Weekly),
            Some(other) => Err(self.fail(
                "editions",
                format!("`editions` \"{other}\" must be \"daily\" (an edition a day) or \"weekly\" (an edition an ISO week)"),
            )),
        }
    }
}

/// The warning for a `base_url` on example.com (the address `gazette init` writes, which
/// belongs to no one's site), or `None`.
pub(super) fn placeholder_warning(base_url: &str, line: Option<usize>) -> Option<Problem> {
    let host = base_url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split(['/', ':']).next().unwrap_or(""));
    let placeholder = host == "example.com" || host.ends_with(".example.com");
    placeholder.then(|| {
        Problem::new(
            "site.toml",
            line,
            format!("`base_url` is still the placeholder {base_url}, so feeds, the sitemap and newsletters link there; set it to the address the site will live at (such as https://user.github.io/digest/), or pass --base-url"),
        )
    })
}
