//! `gazette new` and `gazette init`: start an article, or a whole new digest site.

use crate::config::SiteConfig;
use crate::source::articles::LoadedArticle;
use crate::util::slug::slugify;
use anyhow::{bail, Result};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a new article starts with.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub topics: Vec<String>,
    pub source: Option<String>,
    /// Any accepted date form; default now in the site's time zone.
    pub date: Option<String>,
    pub slug: Option<String>,
}

/// Writes `content/YYYY/MM/YYYY-MM-DD-<slug>.md` under `root` and returns its path. Never overwrites.
pub fn new_article(root: &Path, article: &NewArticle) -> Result<PathBuf> {
    let config = SiteConfig::load(root)?;
    let date = article_date(article.date.as_deref(), config.timezone)?;
    let rel = article_rel(root, &date, &article.title, article.slug.as_deref())?;
    let shown = date_value(article.date.as_deref(), &date);
    let mut text = first_lines(&article.title, &shown, &article.topics);
    text.push_str("summary: \"\"  # one or two sentences in your own words\n");
    match &article.source {
        Some(url) => {
            let url = crate::util::url::clean(&with_scheme(url)?);
            let host = crate::model::host_of(&url);
            let articles = site_articles(root, &config)?;
            let name = known_outlets(root, &articles).remove(&host);
            text.push_str(&format!(
                "source:\n  name: {}\n  url: {}\n",
                yaml_text(&name.unwrap_or(host)),
                yaml_text(&url)
            ))
        }
        None => text.push_str("# source: {name: \"The outlet\", url: \"https://…\"}\n"),
    }
    text.push_str("---\n");
    text.push_str(crate::source::articles::PLACEHOLDER_BODY);
    text.push('\n');
    write_article(root, &rel, &text)
}

/// The site's articles, drafts too (files that do not read as articles are left out:
/// `check` reports them).
pub fn site_articles(root: &Path, config: &SiteConfig) -> Result<Vec<LoadedArticle>> {
    let options = crate::source::front_matter::Options::for_site(config);
    let content = crate::source::articles::load(&root.join("content"), "content", &options)?;
    Ok(content.articles)
}

/// The outlet names the digest already uses, by host (`koreaherald.com`, without `www.`):
/// the name `data/sources.yaml` gives an outlet whose `url` is on that host, else the name
/// the site's articles give most often in `source.name` for addresses on it. A
/// `data/sources.yaml` that does not read is left out here (`check` reports it).
pub fn known_outlets(root: &Path, articles: &[LoadedArticle]) -> HashMap<String, String> {
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for source in articles.iter().filter_map(|a| a.front.source.as_ref()) {
        let Some(name) = source
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        let host = crate::model::host_of(&source.url).to_ascii_lowercase();
        if name.eq_ignore_ascii_case(&host)
            || crate::model::host_of(name).eq_ignore_ascii_case(&host)
        {
            // The host itself, which `add` writes when a page gives no name, is no name.
            continue;
        }
        *counts
            .entry(host)
            .or_default()
            .entry(name.to_string())
            .or_default() += 1;
    }
    let mut known: HashMap<String, String> = counts
        .into_iter()
        .filter_map(|(host, names)| {
            let most = names
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
            Some((host, most.0))
        })
        .collect();
    let file = root.join(crate::source::data::SOURCES_FILE);
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let sources = crate::source::data::parse_sources(&text).unwrap_or_default();
    for info in sources.into_values() {
        if let Some(url) = info.url.as_deref().filter(|u| crate::util::url::is_web(u)) {
            known.insert(crate::model::host_of(url).to_ascii_lowercase(), info.name);
        }
    }
    known
}

/// `--source` as a web address: `www.bbc.co.uk/news/x` gets `https://`; another scheme
/// (`ftp://`, `file:`) is refused.
fn with_scheme(url: &str) -> Result<String> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(url.to_string());
    }
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme {
        Some(scheme) if !url[scheme.len() + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
            bail!("--source \"{url}\" is not a web address ({scheme}:); give the story's http:// or https:// address")
        }
        _ => Ok(format!("https://{}", url.trim_start_matches('/'))),
    }
}

/// A new article's date: `--date` in any accepted form, else now; in the site's time zone.
pub fn article_date(text: Option<&str>, tz: Tz) -> Result<DateTime<Tz>> {
    let date = match text {
        Some(text) => match crate::source::front_matter::parse_date(text, tz) {
            Some(d) => d,
            None => bail!("--date \"{text}\" is not a date; write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900"),
        },
        None => Utc::now().with_timezone(&tz).fixed_offset(),
    };
    Ok(date.with_timezone(&tz))
}

/// How the `date:` line writes `date`: the day alone where `--date` gave a day alone
/// (`2026-12-05`, shown without a time, as Jekyll and Hugo show it), else the time with
/// its offset.
pub fn date_value(given: Option<&str>, date: &DateTime<Tz>) -> String {
    let day_alone =
        given.is_some_and(|g| chrono::NaiveDate::parse_from_str(g.trim(), "%Y-%m-%d").is_ok());
    if day_alone {
        date.format("%Y-%m-%d").to_string()
    } else {
        date.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Where a new article goes, `content/YYYY/MM/YYYY-MM-DD-<slug>.md` (the slug from
/// `--slug`, else from the title; the day in the name, as Jekyll does, so a headline that
/// recurs on another day gets a file of its own), refused when that file exists.
pub fn article_rel(
    root: &Path,
    date: &DateTime<Tz>,
    title: &str,
    slug: Option<&str>,
) -> Result<String> {
    let slug = slugify(slug.unwrap_or(title));
    if slug.is_empty() {
        bail!("\"{title}\" gives an empty file name; pass --slug with letters or digits");
    }
    let rel = format!(
        "content/{:04}/{:02}/{}-{slug}.md",
        date.year(),
        date.month(),
        date.format("%Y-%m-%d")
    );
    if root.join(&rel).exists() {
        bail!("{rel} already exists; choose another title or pass --slug");
    }
    Ok(rel)
}

/// Text as a YAML value, quoted so every YAML reader reads it back (see [`crate::util::text::yaml_quoted`]).
pub fn yaml_text(s: &str) -> String {
    crate::util::text::yaml_quoted(s)
}

/// The opening fence and the `title`, `date` and `topics` lines of a new article.
pub fn first_lines(title: &str, date: &str, topics: &[String]) -> String {
    let topics: Vec<String> = topics
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(yaml_text)
        .collect();
    format!(
        "---\ntitle: {}\ndate: {}\ntopics: [{}]\n",
        yaml_text(title),
        date,
        topics.join(", ")
    )
}

/// Writes a new article at `rel` under `root`, whole or not at all, never over a file
/// (not even one that appeared since [`article_rel`] looked); returns `rel`.
pub fn write_article(root: &Path, rel: &str, text: &str) -> Result<PathBuf> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        crate::util::fs::create_dir_all(parent)?;
    }
    crate::util::fs::write_new(&path, text).map_err(|e| match path.exists() {
        true => anyhow::anyhow!("{rel} already exists; choose another title or pass --slug"),
        false => e,
    })?;
    Ok(PathBuf::from(rel))
}

/// The About page `init` writes (`/about/`): the sections news surfaces' transparency
/// guidelines ask a publisher for. A draft until the curator fills it in (so the first
/// deploy works); `serve` and `check` show it and warn while a "(Replace this: …)" is left.
pub const ABOUT_PAGE: &str = "---\ntitle: About\ndraft: true  # remove once the page says what is true of your digest\ndescription: \"Who makes this digest, how stories are chosen, and how to reach us.\"\n---\n## Who we are\n\n(Replace this: who edits the digest, with their names and a line about each.)\n\n## Editorial policy {#editorial-policy}\n\n(Replace this: how stories are chosen, that every summary is written in our own words\nand links to the original report, and who decides.)\n\n## Corrections {#corrections}\n\n(Replace this: how readers report a mistake, and how corrections are marked on the\narticle, with the date of the change.)\n\n## Funding and independence {#funding}\n\n(Replace this: who pays for the digest, and that sponsors do not choose stories.)\n\n## Contact {#contact}\n\n(Replace this: an email address that is read, such as editor@example.org.)\n";

/// The default theme, built into the binary so `init` works anywhere.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}
pub const THEME_FILES: &[(&str, &str)] = theme_files!(
    "templates/404.html",
    "templates/archive.html",
    "templates/author.html",
    "templates/authors.html",
    "templates/feeds.opml",
    "templates/feeds/atom.xml",
    "templates/feeds/rss.xml",
    "templates/footer.html",
    "templates/article.html",
    "templates/briefs.html",
    "templates/base.html",
    "templates/day.html",
    "templates/edition.html",
    "templates/editions.html",
    "templates/index.html",
    "templates/item.html",
    "templates/list.html",
    "templates/macros.html",
    "templates/masthead.html",
    "templates/month.html",
    "templates/news-sitemap.xml",
    "templates/newsletter.html",
    "templates/newsletter.txt",
    "templates/page.html",
    "templates/redirect.html",
    "templates/robots.txt",
    "templates/search.html",
    "templates/sitemap-index.xml",
    "templates/sitemap.xml",
    "templates/source.html",
    "templates/sources.html",
    "templates/stories.html",
    "templates/story.html",
    "templates/topic.html",
    "templates/topics.html",
    "templates/year.html",
    "static/favicon.svg",
    "static/search.js",
    "static/style.css",
    "i18n/ar.toml",
    "i18n/de.toml",
    "i18n/en.toml",
    "i18n/es.toml",
    "i18n/fr.toml",
    "i18n/ja.toml",
    "i18n/ko.toml",
    "i18n/pt.toml",
    "i18n/ru.toml",
    "i18n/zh.toml",
);

const SITE_TOML: &str = r##"# Gazette site settings. Set title and base_url first; every other key is optional and
# shows its default (remove the `# ` to change one). docs/site-toml.md lists them all.

# The name of your digest, shown on every page and in feeds.
title = "My Digest"
# One line under the title.
description = "The news that matters, summarised, with links to the original stories"
# Where the site will live (feeds, the sitemap and newsletters link there). A path is
# fine: https://user.github.io/digest/. The Pages workflow passes the right one itself.
base_url = "https://example.com/"
# The language of the site (a BCP 47 tag: ko, ja, fr, pt-BR…): <html lang>, how dates are
# written and the theme's words (themes/default/i18n/; change one in i18n/<language>.toml).
language = "en"
# Days (editions) start at midnight in this IANA time zone; dates without an offset use it.
timezone = "UTC"
# "daily": an edition a day; "weekly": one an ISO week, at /YYYY/wNN/.
# editions = "daily"
# Articles on the first page of a list, in full; longer lists continue at .../page/2/.
paginate_by = 20
# Articles on each later page of a list, as headlines.
# paginate_later_by = 500
# The URL of an article, from {year}, {month}, {day} and {slug}.
article_path = "{year}/{month}/{day}/{slug}/"
# A folder under themes/.
theme = "default"
# The default author of every article.
# author = "The editors"
# Entries in the site's feeds (whole articles).
feed_limit = 50
# Entries in each topic's feeds (summaries).
# topic_feed_limit = 10
# A custom domain for GitHub Pages (writes CNAME).
# cname = "news.example.com"
# Minify every page (true), or only drop indentation (false).
# minify = true
# The largest article file read, in MB.
# max_article_mb = 4
# Keep raw HTML in articles as written (true), or clean it (false: drops scripts, frames
# and event handlers).
# unsafe_html = true
# Front-matter keys read as topics, and as the author (for articles from other tools).
# topic_keys = ["topics", "tags", "categories", "category"]
# author_keys = ["author", "authors"]
# Keep photos' EXIF and XMP data (camera, GPS position) in the published versions; by
# default it is stripped, so no photo gives away where it was taken.
# keep_image_metadata = false

# The default theme's colours and fonts; for more, put CSS in static/custom.css, which
# every page loads after the theme's.
[style]
# Links and labels, light scheme.
# accent = "#a4161a"
# The same in the dark scheme.
# accent_dark = "#ff8f87"
# The masthead and headlines.
# font_headline = "Georgia, serif"
# Everything else.
# font_body = "system-ui, sans-serif"

# The inbox (`gazette inbox`, and /__gazette/inbox in `gazette serve`): its subscriptions
# are in inbox.opml.
[inbox]
# Items older than this many days leave the inbox.
# keep_days = 14

# Sending editions with `gazette newsletter --send` (docs/newsletter.md). Secrets are never
# written here: only the names of the environment variables that hold them.
[newsletter]
# How: "smtp" or "buttondown".
# send_with = "smtp"
# Who it is from.
# from = "The Morning Brief <brief@example.org>"
# SMTP: the list address(es) it goes to.
# to = ["digest@lists.example.org"]
# SMTP: the server.
# smtp_host = "smtp.example.org"
# SMTP: its port (465 for "tls", 587 for "starttls", 25 for "none").
# smtp_port = 587
# SMTP: "tls", "starttls" or "none" (a server on this machine only).
# smtp_security = "starttls"
# SMTP: the environment variable holding the user name.
# smtp_user_env = "GAZETTE_SMTP_USER"
# SMTP: the environment variable holding the password.
# smtp_password_env = "GAZETTE_SMTP_PASSWORD"
# SMTP: a certificate to trust besides the system's.
# smtp_ca_file = "certs/list-server.pem"
# Buttondown: its API's address.
# buttondown_api = "https://api.buttondown.com/v1"
# Buttondown: the environment variable holding the API key.
# buttondown_key_env = "BUTTONDOWN_API_KEY"
# Buttondown: "draft", "about_to_send" or "scheduled".
# buttondown_status = "draft"
# Where readers unsubscribe (https:// or mailto:), for List-Unsubscribe.
# list_unsubscribe = "https://example.org/unsubscribe"
# Seconds to connect, send or call the API.
# timeout_s = 30
# true: the Pages workflow sends each new edition after deploying it.
# send_on_deploy = false

# Archived copies of the stories the digest cites (`gazette archive`, docs/archive.md).
[archive]
# The Internet Archive's availability API.
# availability_api = "https://archive.org/wayback/available"
# Its Save Page Now API.
# save_api = "https://web.archive.org/save"
# The environment variable holding Save Page Now keys (accesskey:secret); none: anonymous.
# archive_keys_env = "ARCHIVE_KEYS"
# Seconds between two captures.
# capture_interval_s = 5
# true: every outbound link of the bodies too, not only the cited sources.
# all_links = false
# true: the Pages workflow archives on its daily schedule.
# on_schedule = false
# true: `add` and the inbox's draft ask for an archived copy of the story they draft.
# capture_on_add = false

# Feeds that arrive at once (docs/feeds-and-seo.md).
[feeds]
# A WebSub hub: the feeds name it, and `gazette ping` (the Pages workflow runs it after
# each deploy) tells it which feeds changed.
# websub_hub = "https://pubsubhubbub.appspot.com/"

# The digest in the fediverse (docs/feeds-and-seo.md).
[social]
# Profiles that link back to the site (<link rel="me">, which Mastodon verifies).
# me = ["https://mastodon.social/@digest"]
# The account credited when an article is shared (fediverse:creator).
# fediverse_creator = "@digest@mastodon.social"

# Old paths and where they moved ("/old/" = "/new/"): each old one redirects.
[redirects]

# A renamed topic keeps its old names as redirects:
# [topics."European Union"]
# Its old names.
# aliases = ["EU"]
# A renamed outlet, likewise:
# [sources."The Times"]
# aliases = ["Times"]

# Another language, with its pages under /ko/: a file kim.ko.md beside kim.md is its
# translation (see docs/languages.md).
# [languages.ko]
# title = "모닝 브리프"
# description = "서울에서 전하는 뉴스"

# Anything you like; templates see it as site.extra.
[extra]
"##;

const GITIGNORE: &str = "/public\n/.serve\n/.gazette-serve.lock\n/.gazette-cache\n# The emails `gazette newsletter` writes, but not the record of what was sent.\n/newsletter/*\n!/newsletter/sent.toml\n";

/// The Pages workflow for a site made by `init`: it installs the Gazette release that
/// wrote it (checked against the release's SHA-256 sums, cached), and compiles that
/// version only where no release fits.
fn workflow() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY")
        .trim_start_matches("https://github.com/")
        .trim_end_matches('/');
    include_str!("init-workflow.yml")
        .replace("GAZETTE_VERSION_HERE", env!("CARGO_PKG_VERSION"))
        .replace("GAZETTE_REPOSITORY_HERE", repository)
}

/// Creates a new site in `dir` that builds at once. Refuses a folder that already has one.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join("site.toml").exists() {
        bail!(
            "{} already has a site.toml; choose an empty or new folder",
            dir.display()
        );
    }
    if dir.join("content").exists() {
        bail!(
            "{} already has a content/ folder; choose an empty or new folder",
            dir.display()
        );
    }
    let today = Utc::now().date_naive();
    let article = format!(
        "---\ntitle: \"Welcome to your digest\"\ndate: {today}\ntopics: [Meta]\nsummary: \"Each article is a Markdown file with a summary in your words and a link to the original story.\"\nsource:\n  name: \"Gazette\"\n  url: \"https://example.com/gazette\"\n---\nReplace this article with your first story. Start another with\n`gazette new \"Title\" --topics a,b --source https://…`, preview with `gazette serve`,\nand publish with `gazette build`.\n"
    );
    let mut files: Vec<(String, String)> = vec![
        ("site.toml".into(), SITE_TOML.into()),
        (".gitignore".into(), GITIGNORE.into()),
        (
            crate::app::inbox::opml::FILE.into(),
            crate::app::inbox::opml::empty("My Digest"),
        ),
        (".github/workflows/pages.yml".into(), workflow()),
        (
            format!(
                "content/{:04}/{:02}/welcome.md",
                today.year(),
                today.month()
            ),
            article,
        ),
        (
            format!("content/{}/about.md", crate::source::PAGES_DIR),
            ABOUT_PAGE.into(),
        ),
    ];
    files.extend(
        THEME_FILES
            .iter()
            .map(|(p, t)| (format!("themes/default/{p}"), t.to_string())),
    );
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            crate::util::fs::create_dir_all(parent)?;
        }
        crate::util::fs::write(&path, text)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}
