//! A language as pages show it: the theme's words (its `i18n/<language>.toml`, a site's
//! own on top, English where a word is missing), how dates are written (the word files'
//! patterns with chrono's locale data for day and month names), plural forms, and the
//! writing direction. Templates reach the words through the `t` function.

use crate::model::Edition;
use crate::problem::Problem;
use crate::source::words::WordFile;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The language every theme has all its words in.
const REFERENCE: &str = "en";

/// Languages written right to left.
const RTL: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi",
];

/// One language's words and date formats.
#[derive(Debug, Clone)]
pub struct Locale {
    /// The BCP 47 tag, as `language` gives it (`ko`, `pt-BR`).
    pub tag: String,
    words: BTreeMap<String, String>,
    dates: chrono::Locale,
}

impl Locale {
    /// The words of language `tag` from `files` (the theme's and the site's), with the
    /// warnings for every word the language lacks. A file that is not a table of words is
    /// an error naming its line.
    pub fn new(tag: &str, files: &[WordFile]) -> Result<(Locale, Vec<Problem>), Problem> {
        let mut tables = Vec::new();
        for f in files {
            tables.push((f, parse(f)?));
        }
        let chain = fallbacks(tag);
        let rank = |f: &WordFile| {
            let language = f.language.to_ascii_lowercase();
            chain
                .iter()
                .position(|c| *c == language)
                .map(|at| at * 2 + usize::from(f.site))
        };
        // Least specific first: English, then the language, then its region or script;
        // the theme's file, then the site's.
        let mut ranked: Vec<(usize, &WordFile, &BTreeMap<String, String>)> = tables
            .iter()
            .filter_map(|(f, t)| rank(f).map(|r| (r, *f, t)))
            .collect();
        ranked.sort_by_key(|(r, f, _)| (*r, f.file.clone()));
        let mut words = BTreeMap::new();
        for (_, _, table) in &ranked {
            words.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let own: Vec<&BTreeMap<String, String>> = ranked
            .iter()
            .filter(|(_, f, _)| !f.language.eq_ignore_ascii_case(REFERENCE))
            .map(|(_, _, t)| *t)
            .collect();
        let warnings = if base(tag) == REFERENCE {
            Vec::new()
        } else {
            missing(tag, files, &tables, &own)
        };
        let locale = Locale {
            tag: tag.to_string(),
            words,
            dates: chrono_locale(tag),
        };
        Ok((locale, warnings))
    }

    /// English, from the default theme's words built into Gazette (for tests and tools).
    pub fn english() -> Locale {
        let file = WordFile {
            language: REFERENCE.into(),
            file: "themes/default/i18n/en.toml".into(),
            site: false,
            text: include_str!("../../themes/default/i18n/en.toml").into(),
        };
        Locale::new(REFERENCE, &[file])
            .map(|(l, _)| l)
            .unwrap_or_else(|_| Locale {
                tag: REFERENCE.into(),
                words: BTreeMap::new(),
                dates: chrono::Locale::POSIX,
            })
    }

    /// `ltr` or `rtl`.
    pub fn dir(&self) -> &'static str {
        dir_of(&self.tag)
    }

    /// The word `key`, or the key itself where no file has it.
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The word `key` with its `{name}`s filled in from `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.word(key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// `text` with its digits 0–9 written in the language's own (the word `digits`, ten
    /// characters, such as `٠١٢٣٤٥٦٧٨٩`; languages without it keep 0–9).
    pub fn digits(&self, text: &str) -> String {
        let Some(digits) = self.words.get("digits") else {
            return text.to_string();
        };
        let digits: Vec<char> = digits.chars().collect();
        if digits.len() != 10 {
            return text.to_string();
        }
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => digits[d as usize],
                _ => c,
            })
            .collect()
    }

    /// The plural form of `key` for `n` (`articles` → "5 articles"), `{n}` filled in.
    pub fn plural(&self, key: &str, n: u64) -> String {
        let chosen = self.plural_key(key, n);
        let n = self.digits(&n.to_string());
        self.fill(&chosen, &[("n", n.as_str())])
    }

    /// Which form of `key` counts `n`: `key_one`, `key_few`… where the language has
    /// that form, else `key_other`, else `key`.
    fn plural_key(&self, key: &str, n: u64) -> String {
        let category = plural_category(&base(&self.tag), n);
        [category, "other"]
            .iter()
            .map(|c| format!("{key}_{c}"))
            .find(|k| self.words.contains_key(k))
            .unwrap_or_else(|| key.to_string())
    }

    /// A date with the pattern `key` gives (`date_long`: "Wednesday, 15 August 2018").
    fn date(&self, key: &str, day: NaiveDate) -> String {
        let pattern = standalone_months(self.word(key), self.dates, day.month());
        let shown = formatted(day.format_localized(&pattern, self.dates));
        self.digits(&shown.unwrap_or_else(|| day.format("%Y-%m-%d").to_string()))
    }

    /// "Wednesday, 15 August 2018", "2018년 8월 15일 수요일".
    pub fn long_date(&self, day: NaiveDate) -> String {
        self.date("date_long", day)
    }

    /// "August 2018".
    pub fn month_year(&self, year: i32, month: u32) -> String {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| self.date("date_month_year", d))
            .unwrap_or_default()
    }

    /// "August".
    pub fn month_name(&self, year: i32, month: u32) -> String {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| self.date("date_month", d))
            .unwrap_or_default()
    }

    /// "09:30".
    pub fn time(&self, t: NaiveDateTime) -> String {
        // (As a UTC time only so that chrono formats it with the locale; no zone is shown.)
        let time = formatted(t.and_utc().format_localized(self.word("time"), self.dates));
        self.digits(&time.unwrap_or_else(|| t.format("%H:%M").to_string()))
    }

    /// An edition's date: its day, or for a weekly edition "Week 33, 2018: 13–19 August".
    pub fn edition_long(&self, e: &Edition) -> String {
        let Some((year, week)) = e.week else {
            return self.long_date(e.day);
        };
        let (first, last) = (e.day, e.last_day);
        let first_key = if first.month() == last.month() {
            "week_first_same_month"
        } else {
            "week_first"
        };
        let (first, last) = (self.date(first_key, first), self.date("week_last", last));
        let (week, year) = (
            self.digits(&week.to_string()),
            self.digits(&year.to_string()),
        );
        self.fill(
            "week",
            &[
                ("week", &week),
                ("year", &year),
                ("first", &first),
                ("last", &last),
            ],
        )
    }

    /// Everything the words and dates depend on, for fingerprints.
    pub fn fingerprint(&self) -> u64 {
        crate::util::hash::fingerprint((&self.tag, &self.words))
    }

    /// Registers the template function `t(key="…", n=…, name=…)`: the word `key` (its
    /// plural form for `n`), with `{n}`, `{name}`… filled in from the other arguments.
    pub fn register(self: &Arc<Self>, tera: &mut tera::Tera) {
        tera.register_function("t", Words(self.clone()));
        let locale = self.clone();
        // Every plural form of a word, unfilled (`{one: "{n} article", other: …}`), for a
        // script that picks the form itself (the search page's, with Intl.PluralRules).
        tera.register_function(
            "t_forms",
            move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                let key = args.get("key").and_then(|k| k.as_str()).unwrap_or_default();
                let forms: tera::Map<String, tera::Value> = ["zero", "one", "two", "few", "many", "other"]
                    .into_iter()
                    .filter_map(|form| {
                        let text = locale.words.get(&format!("{key}_{form}"))?;
                        Some((form.to_string(), tera::Value::String(text.clone())))
                    })
                    .collect();
                if forms.is_empty() {
                    return Err(format!("no plural forms of `{key}` (`{key}_other`…) in the theme's i18n/{REFERENCE}.toml or the site's i18n/; add them there").into());
                }
                Ok(tera::Value::Object(forms))
            },
        );
        let locale = self.clone();
        tera.register_filter(
            "digits",
            move |value: &tera::Value, _: &HashMap<String, tera::Value>| {
                let text = match value {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Ok(tera::Value::String(locale.digits(&text)))
            },
        );
    }
}

/// How language `tag` is written: `ltr` or `rtl`.
pub fn dir_of(tag: &str) -> &'static str {
    if RTL.contains(&base(tag).as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The `t` template function of one language.
struct Words(Arc<Locale>);

impl tera::Function for Words {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let Some(key) = args.get("key").and_then(|k| k.as_str()) else {
            return Err("t() needs a key, as in t(key=\"nav_latest\")".into());
        };
        let locale = &self.0;
        let key = match args.get("n").and_then(|n| n.as_u64()) {
            Some(n) => locale.plural_key(key, n),
            None => key.to_string(),
        };
        if !locale.words.contains_key(&key) {
            return Err(format!(
                "no word `{key}` in the theme's i18n/{REFERENCE}.toml or the site's i18n/; add it there"
            )
            .into());
        }
        let values: Vec<(String, String)> = args
            .iter()
            .filter(|(name, _)| name.as_str() != "key")
            .map(|(name, v)| {
                let text = match v {
                    tera::Value::String(s) => s.clone(),
                    tera::Value::Number(n) => locale.digits(&n.to_string()),
                    other => other.to_string(),
                };
                (name.clone(), text)
            })
            .collect();
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        Ok(tera::Value::String(locale.fill(&key, &values)))
    }
}

/// The words that are dates' patterns, in chrono's `%` codes; `time` is a time's.
const DATE_PATTERNS: [&str; 6] = [
    "date_long",
    "date_month_year",
    "date_month",
    "week_first",
    "week_first_same_month",
    "week_last",
];

/// `pattern` with `%OB` (glibc's stand-alone month name: Russian "Август" in a heading,
/// where `%B` is "августа", as in a date) written out for `month`, which chrono cannot do.
fn standalone_months(
    pattern: &str,
    dates: chrono::Locale,
    month: u32,
) -> std::borrow::Cow<'_, str> {
    if !pattern.contains("%OB") {
        return pattern.into();
    }
    let names = pure_rust_locales::locale_match!(dates => LC_TIME::ALT_MON)
        .unwrap_or(pure_rust_locales::locale_match!(dates => LC_TIME::MON));
    let name = names.get(month as usize - 1).copied().unwrap_or_default();
    pattern.replace("%OB", &name.replace('%', "%%")).into()
}

/// `shown` as text, or `None` where formatting it fails (a pattern chrono cannot apply).
fn formatted(shown: impl std::fmt::Display) -> Option<String> {
    use std::fmt::Write;
    let mut text = String::new();
    write!(text, "{shown}").ok()?;
    Some(text)
}

/// A problem for each date or time pattern of `table` that chrono cannot apply (`%Q`, or
/// `%z` on a date without a zone), found by formatting a sample day.
fn check_patterns(f: &WordFile, table: &BTreeMap<String, String>) -> Result<(), Problem> {
    let day = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap_or_default();
    let dates = chrono_locale(&f.language);
    for (key, pattern) in table {
        let shown = if DATE_PATTERNS.contains(&key.as_str()) {
            let pattern = standalone_months(pattern, dates, day.month());
            formatted(day.format_localized(&pattern, dates))
        } else if key == "time" {
            let time = day.and_time(Default::default()).and_utc();
            formatted(time.format_localized(pattern, dates))
        } else {
            continue;
        };
        if shown.is_none() {
            return Err(Problem::new(
                &f.file,
                crate::problem::key_line(&f.text, key),
                format!("`{key} = \"{pattern}\"` is not a pattern Gazette can show a date with; use chrono's codes, such as \"%A, %-d %B %Y\" (the list: https://docs.rs/chrono/latest/chrono/format/strftime/)"),
            ));
        }
    }
    Ok(())
}

/// A word file's table: every value a string, every date pattern one chrono can apply.
fn parse(f: &WordFile) -> Result<BTreeMap<String, String>, Problem> {
    let table = parse_words(f)?;
    check_patterns(f, &table)?;
    Ok(table)
}

fn parse_words(f: &WordFile) -> Result<BTreeMap<String, String>, Problem> {
    let line_of = |at: usize| Some(f.text[..at.min(f.text.len())].matches('\n').count() + 1);
    let table: toml::Table = toml::from_str(&f.text).map_err(|e| {
        let line = e.span().and_then(|s| line_of(s.start));
        Problem::new(&f.file, line, e.message().trim_end().to_string())
    })?;
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::String(s) => Ok((key, crate::util::text::clean(&s).into_owned())),
            _ => Err(Problem::new(
                &f.file,
                crate::problem::key_line(&f.text, &key),
                format!("`{key}` must be a word in quotes, like {key} = \"…\""),
            )),
        })
        .collect()
}

/// The warnings for a language other than English: every word of the theme's English
/// file that no file of the language has (a plural form is there when its `_other` is).
fn missing(
    tag: &str,
    files: &[WordFile],
    tables: &[(&WordFile, BTreeMap<String, String>)],
    own: &[&BTreeMap<String, String>],
) -> Vec<Problem> {
    let Some((reference, english)) = tables
        .iter()
        .find(|(f, _)| !f.site && f.language == REFERENCE)
    else {
        return Vec::new();
    };
    let theme_dir = reference.file.trim_end_matches("en.toml");
    let wanted = format!("{theme_dir}{tag}.toml");
    if own.is_empty() {
        return vec![Problem::new(
            "site.toml",
            None,
            format!(
                "the theme has no words in language \"{tag}\" (no {wanted} or i18n/{tag}.toml): its words are in English; add i18n/{tag}.toml with the keys of {}",
                reference.file
            ),
        )];
    }
    let file = files
        .iter()
        .filter(|f| own_language(tag, f))
        .map(|f| f.file.clone())
        .next()
        .unwrap_or(wanted);
    let has = |key: &str| own.iter().any(|t| t.contains_key(key));
    english
        .iter()
        .filter(|(key, _)| {
            let other = plural_stem(key).map(|stem| format!("{stem}_other"));
            !has(key) && !other.is_some_and(|o| has(&o))
        })
        .map(|(key, english)| {
            Problem::new(
                &file,
                None,
                format!("no word for `{key}`; using the English \"{english}\" (add `{key} = \"…\"` to i18n/{tag}.toml)"),
            )
        })
        .collect()
}

/// Whether `f` holds words of `tag` (its language or the tag itself), not English.
fn own_language(tag: &str, f: &WordFile) -> bool {
    let language = f.language.to_ascii_lowercase();
    !f.site && fallbacks(tag).iter().skip(1).any(|c| *c == language)
}

/// `articles` for `articles_one` (a plural form other than `_other`).
fn plural_stem(key: &str) -> Option<&str> {
    ["_zero", "_one", "_two", "_few", "_many"]
        .iter()
        .find_map(|ending| key.strip_suffix(ending))
}

/// The word files a tag reads, least specific first: `en`, `pt`, `pt-br`.
fn fallbacks(tag: &str) -> Vec<String> {
    let tag = tag.to_ascii_lowercase();
    let mut chain = vec![REFERENCE.to_string()];
    let mut prefix = String::new();
    for part in tag.split('-') {
        if !prefix.is_empty() {
            prefix.push('-');
        }
        prefix.push_str(part);
        if !chain.contains(&prefix) {
            chain.push(prefix.clone());
        }
    }
    chain
}

/// The language of a tag: `pt` for `pt-BR`.
fn base(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// CLDR's plural category of `n` in language `base`, for the languages the default theme
/// has words in (others count one and many, as English does).
fn plural_category(base: &str, n: u64) -> &'static str {
    match base {
        "ja" | "ko" | "zh" | "th" | "vi" | "id" | "ms" => "other",
        "fr" | "pt" if n <= 1 => "one",
        "fr" | "pt" => "other",
        "ru" | "uk" | "be" => match (n % 10, n % 100) {
            (1, r) if r != 11 => "one",
            (2..=4, r) if !(12..=14).contains(&r) => "few",
            _ => "many",
        },
        "ar" => match (n, n % 100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        _ if n == 1 => "one",
        _ => "other",
    }
}

/// chrono's locale data (day and month names) for a BCP 47 tag: the tag's own region
/// where glibc has it (`pt-BR` → `pt_BR`), else the language's usual one.
fn chrono_locale(tag: &str) -> chrono::Locale {
    let parts: Vec<&str> = tag.split(['-', '_']).collect();
    let base = base(tag);
    let region = parts
        .iter()
        .skip(1)
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|r| r.to_ascii_uppercase());
    let script = parts.iter().skip(1).find(|p| p.len() == 4);
    let usual = match (base.as_str(), script.map(|s| s.to_ascii_lowercase())) {
        ("zh", Some(s)) if s == "hant" => "zh_TW".to_string(),
        ("zh", _) => "zh_CN".into(),
        ("en", _) => "en_GB".into(),
        ("ar", _) => "ar_EG".into(),
        ("he", _) => "he_IL".into(),
        ("fa", _) => "fa_IR".into(),
        ("ur", _) => "ur_PK".into(),
        ("ja", _) => "ja_JP".into(),
        ("ko", _) => "ko_KR".into(),
        ("uk", _) => "uk_UA".into(),
        ("sv", _) => "sv_SE".into(),
        ("da", _) => "da_DK".into(),
        ("el", _) => "el_GR".into(),
        ("cs", _) => "cs_CZ".into(),
        ("hi", _) => "hi_IN".into(),
        ("vi", _) => "vi_VN".into(),
        (other, _) => format!("{other}_{}", other.to_ascii_uppercase()),
    };
    let own = region.map(|r| format!("{base}_{r}"));
    own.iter()
        .chain(std::iter::once(&usual))
        .find_map(|name| chrono::Locale::try_from(name.as_str()).ok())
        .unwrap_or(chrono::Locale::POSIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(language: &str, site: bool, text: &str) -> WordFile {
        let file = if site {
            format!("i18n/{language}.toml")
        } else {
            format!("themes/default/i18n/{language}.toml")
        };
        WordFile {
            language: language.into(),
            file,
            site,
            text: text.into(),
        }
    }

    fn theme(language: &str) -> WordFile {
        let text = std::fs::read_to_string(format!(
            "{}/themes/default/i18n/{language}.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        file(language, false, &text)
    }

    fn locale(tag: &str) -> Locale {
        let (l, warnings) = Locale::new(tag, &[theme("en"), theme(&base(tag))]).unwrap();
        assert_eq!(warnings, [], "{tag} has every word");
        l
    }

    #[test]
    fn a_date_pattern_chrono_cannot_apply_is_an_error_naming_the_file_and_key() {
        for (text, line, key, pattern) in [
            (
                "week = \"W\"\ndate_long = \"%A %Q\"\n",
                2,
                "date_long",
                "%A %Q",
            ),
            ("date_month = \"%B %z\"\n", 1, "date_month", "%B %z"),
            ("time = \"%H:%\"\n", 1, "time", "%H:%"),
        ] {
            let Err(problem) = Locale::new("en", &[file("en", true, text)]) else {
                panic!("{text} was taken");
            };
            assert_eq!(
                problem.to_string(),
                format!("i18n/en.toml:{line}: `{key} = \"{pattern}\"` is not a pattern Gazette can show a date with; use chrono's codes, such as \"%A, %-d %B %Y\" (the list: https://docs.rs/chrono/latest/chrono/format/strftime/)")
            );
        }
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let day = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
        let cases = [
            ("en", "Wednesday, 15 August 2018"),
            ("ko", "2018년 8월 15일 수요일"),
            ("ja", "2018年8月15日(水)"),
            ("zh-Hans", "2018年8月15日星期三"),
            ("fr", "mercredi 15 août 2018"),
            ("de", "Mittwoch, 15. August 2018"),
            ("es", "miércoles, 15 de agosto de 2018"),
            // (glibc's short Brazilian day names, as Brazilian papers print them.)
            ("pt-BR", "quarta, 15 de agosto de 2018"),
            ("ru", "Среда, 15 августа 2018 г."),
        ];
        for (tag, expected) in cases {
            assert_eq!(locale(tag).long_date(day), expected, "{tag}");
        }
    }

    #[test]
    fn every_theme_language_names_months_in_headings() {
        // (Russian's `%OB` panicked: chrono has no stand-alone month names.)
        assert_eq!(locale("ru").month_year(2018, 8), "Август 2018");
        assert_eq!(locale("ru").month_name(2018, 8), "Август");
        for entry in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n")).unwrap()
        {
            let tag = entry
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let l = locale(&tag);
            assert!(!l.month_year(2018, 8).is_empty(), "{tag}");
            assert!(
                !l.time(
                    NaiveDate::from_ymd_opt(2018, 8, 15)
                        .unwrap()
                        .and_hms_opt(9, 30, 0)
                        .unwrap()
                )
                .is_empty(),
                "{tag}"
            );
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let (en, ru, ko) = (locale("en"), locale("ru"), locale("ko"));
        assert_eq!(en.plural("articles", 1), "1 article");
        assert_eq!(en.plural("articles", 5), "5 articles");
        assert_eq!(ru.plural("articles", 1), "1 статья");
        assert_eq!(ru.plural("articles", 3), "3 статьи");
        assert_eq!(ru.plural("articles", 11), "11 статей");
        assert_eq!(ko.plural("articles", 1), "기사 1건");
        assert_eq!(locale("ar").dir(), "rtl");
        assert_eq!(locale("ar").plural("articles", 5), "٥ مقالات");
        assert_eq!(
            locale("ar").long_date(NaiveDate::from_ymd_opt(2018, 8, 15).unwrap()),
            "الأربعاء، ١٥ أغسطس ٢٠١٨"
        );
        assert_eq!(ko.dir(), "ltr");
    }

    #[test]
    fn a_site_word_wins_and_a_missing_one_is_english_with_a_warning() {
        let files = [
            file("en", false, "nav_latest = \"Today\"\nnav_topics = \"Topics\"\narticles_one = \"{n} article\"\narticles_other = \"{n} articles\""),
            file("ko", false, "nav_latest = \"오늘\"\narticles_other = \"기사 {n}건\""),
            file("ko", true, "nav_latest = \"오늘의 뉴스\""),
        ];
        let (l, warnings) = Locale::new("ko", &files).unwrap();
        assert_eq!(l.word("nav_latest"), "오늘의 뉴스");
        assert_eq!(l.word("nav_topics"), "Topics");
        let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            messages,
            ["themes/default/i18n/ko.toml: no word for `nav_topics`; using the English \"Topics\" (add `nav_topics = \"…\"` to i18n/ko.toml)"]
        );
        let (_, warnings) = Locale::new("sw", &files).unwrap();
        assert_eq!(
            warnings[0].to_string(),
            "site.toml: the theme has no words in language \"sw\" (no themes/default/i18n/sw.toml or i18n/sw.toml): its words are in English; add i18n/sw.toml with the keys of themes/default/i18n/en.toml"
        );
    }

    #[test]
    fn every_theme_language_has_every_english_word() {
        for tag in ["ko", "ja", "zh", "fr", "de", "es", "pt", "ru", "ar"] {
            locale(tag);
        }
    }
}
