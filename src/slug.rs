//! URL text: readable slugs from titles, topic names and headings in any script, and
//! percent-decoding of URL paths.

/// Lower-cases `text`, keeps letters and digits of every script, and joins the words with
/// `-`: "Côte d’Ivoire" -> "côte-d-ivoire", "North Korea" -> "north-korea".
/// Returns an empty string when nothing is left (a title made only of punctuation).
pub fn slugify(text: &str) -> String {
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
