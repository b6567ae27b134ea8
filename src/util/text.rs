//! Text from anywhere made safe to publish: the characters that are not text (control
//! characters other than tab and line breaks, DEL, the C1 controls, and Unicode's
//! noncharacters such as U+FFFE) are dropped, so that no title, summary or body can make a
//! feed ill-formed XML, a page invalid or front matter unreadable; and how alike two words
//! are, for did-you-mean hints.

use std::borrow::Cow;

/// Whether `c` is not text: a control character other than tab, line feed and carriage
/// return, DEL, a C1 control, or a noncharacter (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF).
pub fn is_not_text(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// `text` without the characters that are not text (borrowed when it has none, which a
/// byte scan finds without decoding: every such character starts with a byte below 0x20,
/// 0x7F, 0xC2 (the C1 controls) or 0xEF (the noncharacters of the first plane), or is
/// beyond it (0xF0…, the other planes' noncharacters)).
pub fn clean(text: &str) -> Cow<'_, str> {
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2 || b >= 0xEF
    };
    // A whole chunk at a time, with no early exit inside it, which the compiler turns into
    // vector instructions (every article is scanned at each build).
    let suspect = text
        .as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |any, &b| any | suspect(b)));
    if !suspect || !text.chars().any(is_not_text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_not_text(c)).collect())
}

/// Every string in `value` (keys too) [`clean`]ed: `[extra]` tables from `site.toml`.
pub fn clean_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let Cow::Owned(clean) = clean(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_json),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                clean_json(&mut v);
                map.insert(clean(&key).into_owned(), v);
            }
        }
        _ => {}
    }
}

/// `text` as a double-quoted YAML scalar that every YAML reader reads back as it was:
/// quotes and backslashes escaped, and every character YAML does not allow as it is
/// (controls, DEL, C1 controls, noncharacters) written as `\uXXXX`.
pub fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_not_text(c) || c == '\u{feff}' => {
                let code = c as u32;
                match code {
                    0..=0xFFFF => out.push_str(&format!("\\u{code:04x}")),
                    _ => out.push_str(&format!("\\U{code:08x}")),
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Levenshtein distance between `a` and `b`, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_text_is_dropped_and_the_rest_kept() {
        let dirty = "A\u{1b}[31mred\u{7}\u{7f} \u{85}title\u{fffe}\u{ffff}\u{fdd0}\u{1fffe}\t\n";
        assert_eq!(clean(dirty), "A[31mred title\t\n");
        for kept in [
            "plain",
            "Köln — «Seoul» 서울 \u{a0}nbsp",
            "emoji 🎉",
            "\u{feff}bom",
        ] {
            assert!(matches!(clean(kept), Cow::Borrowed(_)), "{kept}");
        }
        // Found in any chunk of the scan, the last one too.
        let long = format!("{}\u{7}{}", "a".repeat(130), "b".repeat(70));
        assert_eq!(
            clean(&long),
            format!("{}{}", "a".repeat(130), "b".repeat(70))
        );
        let tail = format!("{}\u{1b}", "a".repeat(64));
        assert_eq!(clean(&tail), "a".repeat(64));
    }
}
