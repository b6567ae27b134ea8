//! Readable URL slugs from titles, topic names and headings, in any script.

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
}
