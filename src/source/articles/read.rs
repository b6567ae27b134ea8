//! One article file read: its text normalised, its front matter parsed, what lists need of
//! its body found once (lead, words, links, images), the warnings about it; and the body
//! alone, read again when its page is rendered.

use super::*;

/// The problem of an article file over the size limit.
pub(super) fn too_big(shown: &str, size: u64, limit: u64) -> Problem {
    let mb = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    Problem::new(
        shown,
        None,
        format!(
            "is {:.1} MB, over the {:.0} MB limit for one article; split it into several articles, or raise `max_article_mb` in site.toml",
            mb(size),
            mb(limit)
        ),
    )
}

/// Parses one article file. Errors and warnings carry the file's path and line.
pub fn read_article(
    rel: &Path,
    shown: &str,
    bytes: &[u8],
    options: &front_matter::Options,
) -> Result<(LoadedArticle, Vec<Problem>), Vec<Problem>> {
    let problem = |line: usize, message: String| Problem::new(shown, Some(line), message);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        vec![problem(
            line,
            format!("is not valid UTF-8 text (byte {offset} of the file); save the file as UTF-8"),
        )]
    })?;
    let text = normalized(text);
    let split = front_matter::split(&text).map_err(|(line, msg)| vec![problem(line, msg)])?;
    let mut front = front_matter::parse(&split, options).map_err(|errors| {
        errors
            .into_iter()
            .map(|(line, msg)| problem(line, msg))
            .collect::<Vec<_>>()
    })?;
    if front.date.is_none() {
        front.date = Some(date_from_name(rel, options.tz).ok_or_else(|| {
            vec![problem(
                split.yaml_line - 1,
                "missing `date`; add a line such as `date: 2018-08-15` or start the file name with the date (2018-08-15-slug.md)".into(),
            )]
        })?);
        front.date_only = true;
    }
    let mut warnings = front_warnings(rel, &split, &mut front, &problem);
    let converted = crate::markdown::imported::convert(split.body, &options.import);
    let body = converted.text.as_ref();
    for (line, note) in &converted.notes {
        warnings.push(problem(split.body_line + line, note.clone()));
    }
    let (site_links, images) = links_and_images(body, split.body_line);
    let article = LoadedArticle {
        path: shown.to_string(),
        rel: rel.to_path_buf(),
        body: body.to_string(),
        body_line: split.body_line,
        source_hash: crate::util::hash::fingerprint(bytes),
        lead: crate::markdown::summary_source(body).map(String::from),
        words: crate::markdown::count_words(body),
        links_inside: crate::markdown::may_link_inside(body) || !converted.refs.is_empty(),
        site_links,
        refs: converted
            .refs
            .iter()
            .map(|(line, tag, name)| (split.body_line + line, tag.clone(), name.clone()))
            .collect(),
        images,
        front,
    };
    Ok((article, warnings))
}

/// The date a file name starts with (`2018-08-15-kim.md`), at midnight in `tz`: an
/// article's date where its front matter has none, as Jekyll reads it.
fn date_from_name(rel: &Path, tz: chrono_tz::Tz) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let name = rel.file_name()?.to_string_lossy().to_string();
    let (day, _) = date_prefix(&name)?;
    front_matter::local_to_fixed(day.and_hms_opt(0, 0, 0)?, tz)
}

/// The warnings about an article's front matter: unknown keys (with the key meant), no
/// title (which is then made from the file's name), and what `gazette new` left there.
fn front_warnings(
    rel: &Path,
    split: &front_matter::Split,
    front: &mut FrontMatter,
    problem: &dyn Fn(usize, String) -> Problem,
) -> Vec<Problem> {
    let mut warnings: Vec<Problem> = front
        .unknown_keys
        .iter()
        .map(|(key, line)| {
            let hint = match front_matter::suggest_key(key) {
                Some(known) => format!("did you mean `{known}`? "),
                None => String::new(),
            };
            problem(*line, format!("unknown front matter key `{key}` is ignored; {hint}put your own fields under `extra:`"))
        })
        .collect();
    if front.untitled {
        front.title = title_from_file_name(rel);
        warnings.push(problem(
            split.yaml_line - 1,
            format!("has no `title`; it is named \"{}\" after its file, as Jekyll does: add a `title:` line to choose another", front.title),
        ));
    }
    if !front.draft {
        for (line, message) in scaffold_left(split, front) {
            warnings.push(problem(line, message));
        }
    }
    warnings
}

/// Links that may point into the site: each with its line in the file, its address and
/// whether it is an image.
pub(super) type SiteLinks = Vec<(usize, String, bool)>;

/// The links of a Markdown body that may point into the site, and its images with their
/// lines (the body starts at file line `first_line`): one parse of the body for both.
pub(super) fn links_and_images(body: &str, first_line: usize) -> (SiteLinks, Vec<(usize, String)>) {
    let inside = crate::markdown::may_link_inside(body);
    let images = body.contains("![");
    if !inside && !images {
        return Default::default();
    }
    let starts: Vec<usize> = body.match_indices('\n').map(|(i, _)| i).collect();
    let line = |offset: usize| first_line + starts.partition_point(|&i| i < offset);
    let links = crate::markdown::links(body);
    let site = links
        .iter()
        .filter(|l| {
            inside && {
                let d = l.dest.to_ascii_lowercase();
                !(d.starts_with("http://") || d.starts_with("https://") || d.starts_with('#'))
            }
        })
        .map(|l| (line(l.offset), l.dest.clone(), l.image))
        .collect();
    let images = links
        .into_iter()
        .filter(|l| images && l.image)
        .map(|l| (line(l.offset), l.dest))
        .collect();
    (site, images)
}

/// The body `gazette new` starts an article with, until the curator writes their own.
pub const PLACEHOLDER_BODY: &str = "What happened, and why it matters to your readers.";

/// What `gazette new` wrote that is still unchanged in a published article: the empty
/// `summary: ""` and the placeholder body, as `(line, message)`.
pub(super) fn scaffold_left(
    split: &front_matter::Split<'_>,
    front: &front_matter::FrontMatter,
) -> Vec<(usize, String)> {
    let mut left = Vec::new();
    let empty_summary = front
        .summary
        .as_deref()
        .is_some_and(|s| s.trim().is_empty());
    if let (true, Some(line)) = (
        empty_summary,
        crate::problem::key_line(split.yaml, "summary"),
    ) {
        left.push((
            split.yaml_line + line - 1,
            "`summary` is empty; write one or two sentences in your own words (or delete the line, and the first paragraph is the summary)".to_string(),
        ));
    }
    if let Some(at) = split.body.find(PLACEHOLDER_BODY) {
        left.push((
            split.body_line + split.body[..at].matches('\n').count(),
            format!("still has the text `gazette new` starts with (\"{PLACEHOLDER_BODY}\"); write the story in your own words, or add `draft: true` until it is ready"),
        ));
    }
    left
}

/// An article file's text as it is read: without a byte-order mark, with `\n` line ends,
/// and without the characters that are not text (an escape character, a bell: they would
/// make a feed ill-formed XML).
pub(super) fn normalized(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::util::text::clean(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    }
}

/// Reads just the Markdown body of an article file (after its front matter), for
/// rendering its page without keeping every body in memory during a build.
pub fn read_body(
    content_dir: &Path,
    rel: &Path,
    import: &crate::markdown::imported::Env,
) -> Result<String> {
    let bytes = crate::util::fs::read(&content_dir.join(rel))?;
    let text = normalized(&String::from_utf8_lossy(&bytes));
    match front_matter::split(&text) {
        Ok(split) => Ok(crate::markdown::imported::convert(split.body, import)
            .text
            .into_owned()),
        Err((line, message)) => {
            anyhow::bail!("{}:{line}: {message}", content_dir.join(rel).display())
        }
    }
}

/// The date at the start of a file name such as `2018-08-15-kim.md` (or, as Jekyll
/// allows, `2017-2-5-kim.md`), and the length of that date in the name.
pub fn date_prefix(name: &str) -> Option<(NaiveDate, usize)> {
    let mut parts = name.splitn(4, '-');
    let (y, m) = (parts.next()?, parts.next()?);
    let rest = parts.next()?;
    let d_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let d = &rest[..d_len];
    let after = &rest[d_len..];
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let ends =
        after.is_empty() && name.len() > y.len() + m.len() + d.len() + 2 || after.starts_with('.');
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) && ends) {
        return None;
    }
    let len = y.len() + m.len() + d.len() + 2;
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, len))
}

/// Jekyll's title for a post without one: its file name without the date and extension,
/// each word capitalised (`2009-06-22-empty-yaml.markdown` -> "Empty Yaml").
pub fn title_from_file_name(rel: &Path) -> String {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = if stem == "index" {
        rel.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(stem)
    } else {
        stem
    };
    let slug = match date_prefix(&stem) {
        Some((_, len)) => stem[len..].trim_start_matches('-').to_string(),
        None => stem,
    };
    slug.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
