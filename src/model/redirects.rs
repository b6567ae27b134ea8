//! Old addresses that keep working: an article's `aliases` (and Jekyll's `redirect_from`
//! and `permalink`), `[redirects]` in site.toml, and renamed topics and outlets. Each old
//! address becomes a page that sends readers to the new one; a renamed topic's old feeds
//! become small feeds that point to the new ones. Also the look-up of articles by name
//! (`{% post_url %}`, `{% link %}`, `{{< ref >}}`).

use super::*;

/// One old address and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old site path, relative to the base URL: `old/path/` or `blog/welcome.html`.
    pub from: String,
    /// The new site path.
    pub to: String,
    /// Who asked for it, for messages: `content/2018/kim.md:4` or `site.toml`.
    pub origin: String,
}

/// A renamed topic's feeds: `from` and `to` are the old and new topic pages; the feeds
/// are `atom.xml`, `rss.xml` and `feed.json` under each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedFeed {
    pub from: String,
    pub to: String,
}

/// The site path an old address names (`/old/path` -> `old/path/`, `/blog/a.html` stays a
/// file), or what is wrong with it.
pub fn old_path(written: &str) -> Result<String, String> {
    let path = written.trim();
    if path.contains("://") || path.starts_with("//") {
        return Err(format!("`{path}` must be a path on this site, such as `/2018/08/kim/`, not an address with a host"));
    }
    if path.contains(['?', '#', '\\', '\0']) {
        return Err(format!(
            "`{path}` must be a plain path, without `?`, `#` or `\\`"
        ));
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(format!("`{path}` must not have `.` or `..` segments"));
    }
    let joined = segments.join("/");
    let is_file = !path.ends_with('/') && segments.last().is_some_and(|s| s.contains('.'));
    Ok(if is_file || joined.is_empty() {
        joined
    } else {
        format!("{joined}/")
    })
}

/// Jekyll's permalink placeholders filled in for `article` (`/:year/:month/:title.html`).
fn expand(written: &str, a: &Article) -> String {
    if !written.contains(':') {
        return written.to_string();
    }
    let categories: Vec<String> = a.topic_names.iter().map(|t| slugify(t)).collect();
    written
        .replace(":categories", &categories.join("/"))
        .replace(":short_year", &format!("{:02}", a.local.year() % 100))
        .replace(":year", &format!("{:04}", a.local.year()))
        .replace(":i_month", &a.local.month().to_string())
        .replace(":month", &format!("{:02}", a.local.month()))
        .replace(":i_day", &a.local.day().to_string())
        .replace(":day", &format!("{:02}", a.local.day()))
        .replace(":title", &a.slug)
        .replace(":slug", &a.slug)
        .replace(":output_ext", ".html")
}

/// Puts the articles of renamed topics and outlets under their new names.
pub(super) fn rename(config: &SiteConfig, articles: &mut [Article]) {
    if config.topic_aliases.is_empty() && config.source_aliases.is_empty() {
        return;
    }
    let table = |renames: &[(String, Vec<String>)]| -> HashMap<String, String> {
        renames
            .iter()
            .flat_map(|(name, old)| old.iter().map(move |o| (topic_slug(o), name.clone())))
            .collect()
    };
    let (topics, sources) = (table(&config.topic_aliases), table(&config.source_aliases));
    for a in articles.iter_mut() {
        for name in &mut a.topic_names {
            if let Some(new) = topics.get(&topic_slug(name)) {
                *name = new.clone();
            }
        }
        let mut seen = std::collections::HashSet::new();
        a.topic_names.retain(|n| seen.insert(topic_slug(n)));
        if let Some(source) = &mut a.source {
            if let Some(new) = sources.get(&topic_slug(&source_name(source))) {
                source.name = Some(new.clone());
            }
        }
    }
}

impl Digest {
    /// Lists every old address (articles' first, then site.toml's, then renamed topics'
    /// and outlets'), and the moved feeds. Returns the addresses that cannot be one.
    pub(super) fn place_redirects(&mut self, config: &SiteConfig) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut redirects = Vec::new();
        for a in &self.articles {
            for (written, line) in &a.aliases {
                match old_path(&expand(written, a)) {
                    Ok(from) if from == a.url_path => {}
                    Ok(from) => redirects.push(Redirect {
                        from,
                        to: a.url_path.clone(),
                        origin: format!("{}:{line}", a.path),
                    }),
                    Err(why) => problems.push(Problem::new(
                        &a.path,
                        Some(*line),
                        format!("the old address {why}; write it as the path readers used, such as `/2018/08/kim/`"),
                    )),
                }
            }
        }
        // By file, so which of two files is named in a message never depends on dates.
        redirects.sort_by(|a: &Redirect, b: &Redirect| a.origin.cmp(&b.origin));
        for (from, to) in &config.redirects {
            match (old_path(from), old_path(to)) {
                (Ok(from), Ok(to)) => redirects.push(Redirect {
                    from,
                    to,
                    origin: "site.toml".into(),
                }),
                (Err(why), _) | (_, Err(why)) => problems.push(Problem::new(
                    "site.toml",
                    None,
                    format!("in [redirects], {why}; write `\"old/path/\" = \"new/path/\"`"),
                )),
            }
        }
        self.renamed_redirects(config, &mut redirects);
        self.redirects = redirects;
        problems
    }

    /// Redirects from the pages of renamed topics and outlets, and the topics' moved feeds.
    fn renamed_redirects(&mut self, config: &SiteConfig, redirects: &mut Vec<Redirect>) {
        let mut moved = Vec::new();
        let mut add = |kind: &str, name: &str, old: &[String], feeds: bool, exists: bool| {
            let slug = topic_slug(name);
            if !exists {
                return;
            }
            let mut done = std::collections::HashSet::new();
            for old in old.iter().map(|o| topic_slug(o)) {
                if old == slug || !done.insert(old.clone()) {
                    continue;
                }
                let (from, to) = (format!("{kind}/{old}/"), format!("{kind}/{slug}/"));
                redirects.push(Redirect {
                    from: from.clone(),
                    to: to.clone(),
                    origin: "site.toml".into(),
                });
                if feeds {
                    moved.push(MovedFeed { from, to });
                }
            }
        };
        for (name, old) in &config.topic_aliases {
            add("topics", name, old, true, self.has("topics", name));
        }
        for (name, old) in &config.source_aliases {
            add("sources", name, old, false, self.has("sources", name));
        }
        self.moved_feeds = moved;
    }

    /// Warnings about renames in site.toml (`[topics."European Union"] aliases = […]`)
    /// whose new name no article uses: their old addresses would lead nowhere, so none is
    /// written, and the curator hears why.
    pub fn rename_warnings(&self, config: &SiteConfig) -> Vec<Problem> {
        let mut warnings = Vec::new();
        let tables = [
            ("topics", "topic", &config.topic_aliases),
            ("sources", "outlet", &config.source_aliases),
        ];
        for (table, what, renames) in tables {
            for (name, old) in renames {
                if !self.has(table, name) && !old.is_empty() {
                    warnings.push(Problem::new(
                        "site.toml",
                        None,
                        format!(
                            "[{table}.\"{name}\"] renames {} to a {what} no article has, so no old address redirects; check the spelling of \"{name}\"",
                            old.join(", ")
                        ),
                    ));
                }
            }
        }
        warnings
    }

    /// Whether a topic (`table` "topics") or an outlet ("sources") named `name` has
    /// articles: the new name of a rename must, for its old addresses to lead anywhere.
    fn has(&self, table: &str, name: &str) -> bool {
        let slug = topic_slug(name);
        match table {
            "topics" => self.topics.iter().any(|t| t.slug == slug),
            _ => self.sources.iter().any(|s| s.slug == slug),
        }
    }

    /// A page at each old address.
    pub(super) fn redirect_pages(&self) -> impl Iterator<Item = Page> + '_ {
        self.redirect_ids().zip(&self.redirects).map(|(i, r)| Page {
            path: r.from.clone(),
            kind: PageKind::Redirect(i),
            list: None,
        })
    }

    /// Old addresses that would overwrite a page, a file of `content/` or each other.
    pub(super) fn redirect_collisions(&self) -> Vec<Problem> {
        let mut owners: HashMap<String, String> = HashMap::new();
        for page in &self.pages {
            let owner = match page.kind {
                PageKind::Redirect(_) => continue,
                PageKind::Article(i) => format!("the page of {}", self[i].path),
                _ => format!("the page /{}", page.path),
            };
            owners.insert(page_file(&page.path), owner);
        }
        for asset in &self.assets {
            let shown = format!("content/{}", asset.rel.to_string_lossy().replace('\\', "/"));
            owners.insert(asset.out_path.clone(), shown);
        }
        for feed in &self.moved_feeds {
            for name in super::FEED_FILES {
                owners.insert(format!("{}{name}", feed.from), "a moved feed".into());
            }
        }
        let mut problems = Vec::new();
        for r in &self.redirects {
            let file = page_file(&r.from);
            let (path, line) = split_origin(&r.origin);
            match owners.get(&file) {
                Some(owner) => problems.push(Problem::new(
                    path,
                    line,
                    format!(
                        "the old address /{} would overwrite {owner} ({file}); remove it, or move the page",
                        r.from
                    ),
                )),
                None => {
                    owners.insert(file, format!("the old address /{} of {}", r.from, r.origin));
                }
            }
        }
        problems
    }

    /// `{% post_url %}`, `{% link %}` and `{{< ref >}}` names that match no article.
    pub(super) fn unknown_refs(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for a in &self.articles {
            for (line, tag, name) in &a.refs {
                let bare = name.split(['#', '?']).next().unwrap_or("");
                if self.named(&a.rel, bare).is_none() {
                    problems.push(Problem::new(
                        &a.path,
                        Some(*line),
                        format!("`{tag}` names no article: `{name}` matches no file in content/; check the file name (without the folder, or as a path from content/)"),
                    ));
                }
            }
        }
        problems
    }

    /// The site path a `{% post_url %}`, `{% link %}` or `{{< ref >}}` name means: an
    /// article's (see [`Digest::article_named`]), else that of a file of `content/` at
    /// that path (`{% link assets/chart.png %}`).
    pub fn named(&self, from: &Path, name: &str) -> Option<String> {
        if let Some(i) = self.article_named(from, name) {
            return Some(self[i].url_path.clone());
        }
        let rel = normalize(Path::new(name.trim().trim_start_matches('/')))?;
        let i = self.asset_by_rel.get(&rel)?;
        Some(self.assets[*i].out_path.clone())
    }

    /// The article a `{% post_url %}`, `{% link %}` or `{{< ref >}}` name means: a path
    /// from `content/` or from the linking article's folder, else a file name with or
    /// without its extension (`2010-01-09-welcome`), when only one article has it.
    pub fn article_named(&self, from: &Path, name: &str) -> Option<ArticleId> {
        let name = name.trim().trim_start_matches('/');
        if name.is_empty() {
            return None;
        }
        let dir = from.parent().unwrap_or(Path::new(""));
        let exact = [PathBuf::from(name), dir.join(name)]
            .into_iter()
            .filter_map(|p| normalize(&p))
            .find_map(|p| self.by_rel.get(&p).copied());
        if exact.is_some() {
            return exact;
        }
        let wanted = name.rsplit('/').next().unwrap_or(name);
        let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().to_string());
        let mut found = self.article_ids().zip(&self.articles).filter(|(_, a)| {
            let file = a.rel.file_name().map(|s| s.to_string_lossy().to_string());
            file.as_deref() == Some(wanted) || stem(&a.rel).as_deref() == Some(wanted)
        });
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The redirect whose old address is `site_path` (as a link writes it), if any.
    pub fn redirect_at(&self, site_path: &str) -> Option<&Redirect> {
        let bare = site_path.split(['#', '?']).next().unwrap_or("");
        let bare = bare.strip_suffix("index.html").unwrap_or(bare);
        self.redirects
            .iter()
            .find(|r| r.from == bare || r.from == format!("{bare}/"))
    }
}

/// `content/a.md:4` as the path and line of a message.
fn split_origin(origin: &str) -> (&str, Option<usize>) {
    match origin.rsplit_once(':') {
        Some((path, line)) if line.parse::<usize>().is_ok() => (path, line.parse().ok()),
        _ => (origin, None),
    }
}
