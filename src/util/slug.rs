//! URL text: readable slugs from titles, topic names and headings in any script, and
//! percent-decoding of URL paths.

/// Lower-cases `text`, keeps letters and digits of every script, and joins the words with
/// `-`: "Côte d’Ivoire" -> "côte-d-ivoire", "North Korea" -> "north-korea".
/// Returns an empty string when nothing is left (a title made only of punctuation).
/// Slugs longer than [`MAX_SLUG_BYTES`] are cut after their last whole word that fits
/// (text without dashes, such as Japanese, after the last whole character) and end in a
/// hash of the whole, so two long names that start alike still get different URLs.
pub fn slugify(text: &str) -> String {
    let slug = slugify_whole(text);
    if slug.len() <= MAX_SLUG_BYTES {
        return not_reserved(slug);
    }
    // File names stop at 255 bytes; a URL segment of 100 is long enough to read.
    let mut cut = MAX_SLUG_BYTES - 9;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let words = match slug[..cut].rfind('-') {
        _ if slug[cut..].starts_with('-') => cut,
        Some(dash) if dash >= MAX_SLUG_BYTES / 2 => dash,
        _ => cut,
    };
    let hash = crate::util::hash::fnv(slug.as_bytes()) & 0xffff_ffff;
    format!("{}-{hash:08x}", slug[..words].trim_end_matches('-'))
}

/// `slug`, or with `_` added when Windows reserves the name (`con`, `nul`, `aux`, `prn`,
/// `com1`–`com9`, `lpt1`–`lpt9`, in any case and with any extension): a folder of that
/// name cannot be checked out there.
pub fn not_reserved(slug: String) -> String {
    if is_reserved_on_windows(&slug) {
        format!("{slug}_")
    } else {
        slug
    }
}

/// Whether Windows refuses `name` as a file or folder name, whatever its extension.
pub fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let lower = stem.to_lowercase();
    match lower.as_str() {
        "con" | "nul" | "aux" | "prn" | "conin$" | "conout$" => true,
        _ => {
            let (Some(head), Some(digit)) = (lower.get(..3), lower.get(3..)) else {
                return false;
            };
            (head == "com" || head == "lpt")
                && matches!(
                    digit,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

/// The longest slug, in bytes: a URL segment and a file name on every file system.
pub const MAX_SLUG_BYTES: usize = 100;

fn slugify_whole(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    slug
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_readable_in_any_script() {
        assert_eq!(slugify("North Korea"), "north-korea");
        assert_eq!(slugify("Côte d’Ivoire"), "côte-d-ivoire");
        assert_eq!(slugify("  Россия / Китай "), "россия-китай");
        assert_eq!(slugify("東京 2020"), "東京-2020");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("<script>"), "script");
        assert_eq!(slugify("!!!"), "");
        // Long ones are cut after a whole word, and keep a hash of the whole.
        let long = slugify(&"Kim and Putin agree on a binding treaty ".repeat(4));
        assert!(long.len() <= super::MAX_SLUG_BYTES, "{long}");
        let (words, hash) = long.rsplit_once('-').unwrap();
        assert_eq!(hash.len(), 8, "{long}");
        assert!(
            "kim-and-putin-agree-on-a-binding-treaty-"
                .repeat(4)
                .starts_with(&format!("{words}-")),
            "cut after a word: {long}"
        );
    }

    #[test]
    fn names_windows_reserves_get_a_suffix() {
        for name in ["CON", "nul", "Aux", "prn", "com1", "COM9", "lpt1", "Lpt9"] {
            assert_eq!(slugify(name), format!("{}_", name.to_lowercase()), "{name}");
        }
        assert!(super::is_reserved_on_windows("con.html"));
        assert!(super::is_reserved_on_windows("NUL.tar.gz"));
        for name in ["console", "com10", "com0", "lpt", "côn", "nullable", "co"] {
            assert_eq!(slugify(name), name, "{name}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(
            super::percent_decode("/topics/c%C3%B4te/").as_deref(),
            Some("/topics/côte/")
        );
        assert_eq!(super::percent_decode("%é"), None);
        assert_eq!(super::percent_decode("%2"), None);
    }
}
