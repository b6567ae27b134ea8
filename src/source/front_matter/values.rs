//! The values front matter holds: dates in every form Gazette reads (and the day a
//! mistyped one probably meant), the original story's address, the lead image, scalars.

use super::*;

/// A scalar as text (numbers and booleans too, so `title: 1984` works).
pub(super) fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) const DATE_FORMS: &str =
    "write it as 2018-08-15, 2018-08-15T10:00:00+09:00 or 2018-08-15 10:00:00 +0900";

/// The day a date written another way most likely means, as Gazette writes it:
/// `30/11/2026` and `11/30/2026` -> "2026-11-30", `15 August 2018` -> "2018-08-15"; both
/// readings of `06/05/2013` ("2013-05-06 or 2013-06-05"); `None` when it reads as no day.
pub fn suggest_day(text: &str) -> Option<String> {
    use chrono::NaiveDate;
    let text = text.trim();
    let words = [
        "%d %B %Y",
        "%d %b %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%B %d, %Y",
        "%b %d, %Y",
    ];
    if let Some(day) = words
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
    {
        return Some(day.format("%Y-%m-%d").to_string());
    }
    let parts: Vec<u32> = text
        .split(['/', '.', '-'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, year] = parts[..] else { return None };
    let year = i32::try_from(year).ok().filter(|y| *y >= 1000)?;
    let day = |d: u32, m: u32| NaiveDate::from_ymd_opt(year, m, d);
    let readings: Vec<String> = [day(a, b), day(b, a)]
        .into_iter()
        .flatten()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    match &readings[..] {
        [one] => Some(one.clone()),
        [x, y] if x == y => Some(x.clone()),
        [x, y] => Some(format!("{x} or {y}")),
        _ => None,
    }
}

pub(super) fn parse_source(value: &Yaml) -> Result<Option<SourceLink>, &'static str> {
    const HOW: &str =
        "must be the original story's URL, or `{name: \"The Times\", url: \"https://…\"}`";
    let link = match value {
        Yaml::Null => return Ok(None),
        Yaml::String(url) => SourceLink {
            name: None,
            url: url.trim().to_string(),
        },
        Yaml::Mapping(map) => {
            let get = |k: &str| map.get(k).and_then(scalar).filter(|s| !s.trim().is_empty());
            if map
                .keys()
                .any(|k| !matches!(k.as_str(), Some("name" | "url")))
            {
                return Err(HOW);
            }
            SourceLink {
                name: get("name"),
                url: get("url").ok_or(HOW)?.trim().to_string(),
            }
        }
        _ => return Err(HOW),
    };
    if !(link.url.starts_with("http://") || link.url.starts_with("https://")) {
        return Err("must have a `url` that starts with http:// or https://");
    }
    Ok(Some(link))
}

pub(super) fn parse_image(value: &Yaml) -> Result<Option<Image>, &'static str> {
    let image = image_fields(value)?;
    if image
        .as_ref()
        .is_some_and(|i| crate::markdown::is_script_url(&i.src) || i.src.contains('\0'))
    {
        return Err("must be a path or an https:// URL, not a script URL");
    }
    Ok(image)
}

pub(super) fn image_fields(value: &Yaml) -> Result<Option<Image>, &'static str> {
    const HOW: &str =
        "must be a path or URL, or `{src: \"…\", alt: \"…\", caption: \"…\", credit: \"…\"}`";
    match value {
        Yaml::Null => Ok(None),
        Yaml::String(src) => Ok(Some(Image {
            src: src.clone(),
            alt: String::new(),
            caption: None,
            credit: None,
            width: None,
            height: None,
        })),
        Yaml::Mapping(map) => {
            if map.keys().any(|k| {
                !matches!(
                    k.as_str(),
                    Some("src" | "alt" | "caption" | "credit" | "width" | "height")
                )
            }) {
                return Err(HOW);
            }
            let get = |k: &str| map.get(k).and_then(scalar).filter(|s| !s.trim().is_empty());
            let pixels = |k: &str| match map.get(k) {
                None | Some(Yaml::Null) => Ok(None),
                Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) if n > 0 => Ok(Some(n)),
                    _ => Err(
                        "`width` and `height` must be whole numbers of pixels, like `width: 640`",
                    ),
                },
            };
            Ok(Some(Image {
                src: get("src").ok_or(HOW)?,
                alt: get("alt").unwrap_or_default(),
                caption: get("caption"),
                credit: get("credit"),
                width: pixels("width")?,
                height: pixels("height")?,
            }))
        }
        _ => Err(HOW),
    }
}

/// Reads a date in any of the accepted forms. Dates without an offset are in `tz`.
/// Years outside 1–9999 are refused: URLs have four-digit years, and date arithmetic
/// (weeks, neighbours) stays far from the limits of the date type.
pub fn parse_date(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    use chrono::Datelike;
    // Both the written day and the site's local day (which names the URL) must be in range:
    // 9999-12-31T23:59:59+00:00 is already year 10000 in Seoul.
    parse_any_date(text, tz).filter(|d| {
        [d.year(), d.with_timezone(&tz).year(), d.to_utc().year()]
            .iter()
            .all(|year| (1..=9999).contains(year))
    })
}

pub(super) fn parse_any_date(text: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let s = normalise_date(text.trim());
    let s = s.as_str();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, format) {
            return Some(d);
        }
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    local_to_fixed(naive, tz)
}

/// Smooths the variants other generators write into the forms `parse_date` knows:
/// `2024-03-21 4:00:00 +0000` (a one-digit hour) and `2018-08-15 10:00:00 UTC`.
pub(super) fn normalise_date(s: &str) -> String {
    let mut s = s.to_string();
    for zone in [" UTC", " GMT", " Z"] {
        if let Some(rest) = s.strip_suffix(zone) {
            s = format!("{rest} +0000");
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() > 12
        && matches!(bytes[10], b' ' | b'T')
        && bytes[11].is_ascii_digit()
        && bytes[12] == b':'
    {
        s.insert(11, '0');
    }
    s
}

/// A wall-clock time in `tz` as a fixed-offset time. Times skipped by a DST change move
/// forward by an hour; repeated times take the earlier instant.
pub fn local_to_fixed(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let local = tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
    })?;
    Some(local.fixed_offset())
}
