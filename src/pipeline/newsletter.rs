//! `gazette newsletter`: one edition as an email, from the theme's `newsletter.html`
//! (table layout, inline CSS) and `newsletter.txt` (the plain-text part), with absolute
//! links. Writes `<output>/<edition>.html` and `.txt`; `app::send` sends what [`compose`] makes.

use crate::config::{Cadence, SiteConfig};
use crate::model::{Digest, Edition, EditionId};
use crate::pipeline::build::{load_site, BuildOptions, Theme};
use crate::problem::{Problem, Problems};
use crate::render::{Locale, Site};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Which edition to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    Latest,
    /// As typed: `2018-08-15`, or `2018-w33` for weekly editions.
    Named(String),
}

/// What `newsletter` wrote, and what it warns about (a placeholder `base_url`, above all:
/// every link of the email would lead there).
#[derive(Debug)]
pub struct Written {
    /// The HTML file, then the text file.
    pub paths: Vec<PathBuf>,
    pub warnings: Vec<Problem>,
}

/// One edition as an email: its HTML and text parts, and what a message needs.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The edition's key: `2018-08-15`, or `2018-w33` for weekly editions.
    pub key: String,
    pub html: String,
    pub text: String,
    /// The HTML's `<title>`: "The Morning Brief: No. 12, 15 August 2018".
    pub subject: String,
    /// The site's host (`example.org`), for the edition's `Message-ID`.
    pub host: String,
    /// The site's settings (`[newsletter]` above all).
    pub config: SiteConfig,
    pub warnings: Vec<Problem>,
}

/// Renders the edition `which` of the site at `options.root` as an email.
pub fn compose(options: &BuildOptions, which: &Which) -> Result<Composed> {
    let site = load_site(options)?;
    // The words of the theme (their warnings are the build's and `check`'s to give).
    let Theme {
        mut templates,
        locale,
        ..
    } = super::build::theme(&options.root, &site.config)?;
    locale.register(&mut templates.tera);
    let e = find(&site.digest, site.config.editions, which).map_err(|m| Problems(vec![m]))?;
    let edition = &site.digest[e];
    let origin = crate::config::origin(&site.config);
    let absolute = |html: &str| crate::render::feed::absolute_links(html, &origin);
    let context = tera::Context::from_value(context(&site, &locale, edition, &absolute))?;
    let render = |name: &str| -> Result<String> {
        templates.tera.render(name, &context).map_err(|e| {
            let problem = templates.files.explain(&e, Some("the newsletter"));
            Problems(vec![problem]).into()
        })
    };
    let html = absolute(&render("newsletter.html")?);
    // A template comment at the top leaves a blank line behind: the text starts at its first word.
    let text = render("newsletter.txt")?.trim_start().to_string();
    let mut warnings: Vec<Problem> = site.config.placeholder.clone().into_iter().collect();
    if html.len() > GMAIL_CLIPS {
        warnings.push(Problem::new("newsletter.html", None, format!("the edition's HTML is {} KB; Gmail clips a message over 102 KB and hides the rest behind \"View entire message\": shorten the summaries or the template", html.len() / 1024)));
    }
    Ok(Composed {
        key: key(edition),
        subject: title_of(&html).unwrap_or_else(|| site.config.title.clone()),
        host: crate::model::host_of(&origin),
        html,
        text,
        config: site.config,
        warnings,
    })
}

/// Gmail shows at most this many bytes of a message's HTML.
pub const GMAIL_CLIPS: usize = 102 * 1024;

/// The text of the page's `<title>`, references decoded, spaces squeezed.
fn title_of(html: &str) -> Option<String> {
    let start = html.find("<title>")? + "<title>".len();
    let end = start + html[start..].find("</title>")?;
    let text = html[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Writes the edition `which` of the site at `options.root` into `output` (default
/// `ROOT/newsletter/`).
pub fn newsletter(
    options: &BuildOptions,
    which: &Which,
    output: Option<PathBuf>,
) -> Result<Written> {
    let composed = compose(options, which)?;
    let dir = output.unwrap_or_else(|| options.root.join("newsletter"));
    // (A file of that name that the user wrote, or changed, is never replaced.)
    let files = [
        (format!("{}.html", composed.key), composed.html),
        (format!("{}.txt", composed.key), composed.text),
    ];
    let paths = crate::output::owned::write_owned(&dir, &files)?;
    Ok(Written {
        paths,
        warnings: composed.warnings,
    })
}

/// What the newsletter's templates see: the site, the edition with its items, the feeds.
fn context(site: &Site, locale: &Locale, edition: &Edition, absolute: &Absolute) -> Value {
    let c = &site.config;
    let (colors, fonts) = crate::render::look_values(c);
    json!({
        "site": {
            "title": c.title,
            "description": c.description,
            "base_url": c.base_url,
            "language": c.language,
            "dir": locale.dir(),
            "author": c.author,
            "extra": c.extra,
            "colors": colors,
            "fonts": fonts,
        },
        "edition": {
            "number": edition.number,
            "date_iso": edition.day.format("%Y-%m-%d").to_string(),
            "date_long": locale.edition_long(edition),
            "url": c.absolute_url(&edition.url_path),
            "title": edition.title,
            "note": edition.note.as_deref().map(|n| absolute(&crate::render::note_html(c, n))),
            "note_text": edition.note.as_deref().map(|n| note_text(c, n)),
            "count": edition.articles.len(),
            "items": items(site, locale, edition, absolute),
            "lead": lead(site, edition),
        },
        "feeds": {
            "editions": c.absolute_url("editions/atom.xml"),
            "site": c.absolute_url("atom.xml"),
        },
    })
}

/// The edition's lead photo: the first article's photo (front matter `image`) that is a
/// raster image, as its version for sharing (at most 1,200 pixels wide, in the photo's own
/// format: a JPEG stays a JPEG), shown 600 pixels wide; an SVG is skipped (Gmail does
/// not show one).
fn lead(site: &Site, edition: &Edition) -> Value {
    let (c, d) = (&site.config, &site.digest);
    for &i in &edition.articles {
        let a = &d[i];
        let Some(image) = &a.image else { continue };
        let alt = image.alt.clone();
        if let Some(picture) = crate::render::pictures::published(d, a, &image.src) {
            let Some(share) = &picture.share else {
                continue;
            };
            let height = (u64::from(share.height) * 600 / u64::from(share.width.max(1))) as u32;
            let (width, height) = match share.width < 600 {
                true => (share.width, share.height),
                false => (600, height.max(1)),
            };
            return json!({"src": c.absolute_url(&share.path), "width": width, "height": height, "alt": alt});
        }
        let src = image.src.trim();
        let path = src
            .split(['?', '#'])
            .next()
            .unwrap_or(src)
            .to_ascii_lowercase();
        let raster = [".jpg", ".jpeg", ".png", ".gif", ".webp"]
            .iter()
            .any(|e| path.ends_with(e));
        if crate::util::url::is_web(src) && raster {
            return json!({"src": src, "width": 600, "height": null, "alt": alt});
        }
    }
    Value::Null
}

/// Makes a fragment's links absolute.
type Absolute<'a> = dyn Fn(&str) -> String + 'a;

/// The edition's articles as the templates see them.
fn items(site: &Site, locale: &Locale, edition: &Edition, absolute: &Absolute) -> Vec<Value> {
    let (c, d) = (&site.config, &site.digest);
    edition
        .articles
        .iter()
        .map(|&i| {
            let a = &d[i];
            let topics: Vec<&str> = a.topics.iter().map(|&t| d[t].name.as_str()).collect();
            json!({
                "title": a.title,
                "url": c.absolute_url(&a.url_path),
                "summary": absolute(&site.html[i.index()].summary),
                "summary_text": site.html[i.index()].summary_text.trim(),
                "topics": topics,
                "source": a.source.as_ref().map(|s| {
                    let archived = d.archive.get(&crate::util::url::story_key(&s.url)).and_then(|r| r.url.clone());
                    json!({"name": crate::model::source_name(s), "url": s.url, "archived": archived})
                }),
                "date_long": locale.long_date(a.day()),
                "time": if a.date_only { String::new() } else { locale.time(a.local) },
            })
        })
        .collect()
}

/// The editor's note as plain text, each link's address kept after its words: `the
/// protests story <https://…>`.
fn note_text(c: &SiteConfig, note: &str) -> String {
    crate::markdown::text::with_addresses(note, &|dest: &str| {
        dest.strip_prefix('/')
            .filter(|rest| !rest.starts_with('/'))
            .map(|rest| c.absolute_url(rest))
    })
}

/// The name of an edition's files: `2018-08-15`, or `2018-w33`.
fn key(e: &Edition) -> String {
    match e.week {
        Some((year, week)) => format!("{year:04}-w{week:02}"),
        None => e.day.format("%Y-%m-%d").to_string(),
    }
}

/// The index of the edition `which` names, or what is wrong with it.
fn find(d: &Digest, cadence: Cadence, which: &Which) -> Result<EditionId, Problem> {
    if d.editions.is_empty() {
        return Err(fail(
            "the site has no published articles yet, so it has no edition to write".into(),
        ));
    }
    let named = match which {
        Which::Latest => return Ok(EditionId::new(0)),
        Which::Named(named) => named.trim(),
    };
    let (day, week) = (parse_day(named), parse_week(named));
    let found = match (day, week) {
        (Some(day), _) => d
            .edition_ids()
            .find(|&e| d[e].day <= day && day <= d[e].last_day),
        (None, Some(week)) if cadence == Cadence::Weekly => {
            d.edition_ids().find(|&e| d[e].week == Some(week))
        }
        (None, Some(_)) => {
            return Err(fail(format!(
                "no edition {named}: this site has daily editions; name a day, such as {}, or use --latest",
                key(&d.editions[0])
            )))
        }
        (None, None) => return Err(not_a_date(named, cadence)),
    };
    found.ok_or_else(|| no_edition(d, cadence, named, day.or_else(|| monday(week?))))
}

/// A problem of `gazette newsletter`.
fn fail(message: String) -> Problem {
    Problem::new("gazette newsletter", None, message)
}

/// `2018-08-15`, as a day.
fn parse_day(named: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(named, "%Y-%m-%d").ok()
}

/// `2018-w33`, as an ISO year and week. ISO writes weeks `2018-W33`; file names and URLs
/// use `2018-w33`: both are read.
fn parse_week(named: &str) -> Option<(i32, u32)> {
    let week = named.to_ascii_lowercase();
    let (y, w) = week.split_once("-w")?;
    let (y, w) = (y.parse::<i32>().ok()?, w.parse::<u32>().ok()?);
    monday((y, w)).map(|_| (y, w))
}

/// The Monday of an ISO week.
fn monday((year, week): (i32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
}

/// What is wrong with `named` when it is neither a day nor a week.
fn not_a_date(named: &str, cadence: Cadence) -> Problem {
    let example = match cadence {
        Cadence::Daily => "YYYY-MM-DD, such as 2018-08-15",
        Cadence::Weekly => "YYYY-wNN (an ISO week, such as 2018-w33) or a day in it",
    };
    let hint = match crate::source::front_matter::suggest_day(named) {
        Some(day) => format!("did you mean {day}? "),
        None => String::new(),
    };
    fail(format!(
        "no edition on {named}: that is not a date; {hint}write it as {example}, or use --latest"
    ))
}

/// No edition on `day` (the one `named`, or the Monday of the week it names): the nearest
/// before and after it.
fn no_edition(d: &Digest, cadence: Cadence, named: &str, day: Option<NaiveDate>) -> Problem {
    // Editions are newest first.
    let day = day.unwrap_or_default();
    let before = d.editions.iter().find(|e| e.last_day < day).map(key);
    let after = d.editions.iter().rev().find(|e| e.day > day).map(key);
    let nearest = match (before, after) {
        (Some(b), Some(a)) => format!("the nearest editions are {b} and {a}"),
        (Some(b), None) => format!("the latest edition is {b}"),
        (None, Some(a)) => format!("the first edition is {a}"),
        (None, None) => String::new(),
    };
    let when = if cadence == Cadence::Weekly {
        format!(
            "in week {} of {}",
            day.iso_week().week(),
            day.iso_week().year()
        )
    } else {
        "that day".to_string()
    };
    fail(format!(
        "no edition on {named}: no published article is dated {when}; {nearest} (or use --latest)"
    ))
}
