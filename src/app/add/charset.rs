//! A page's bytes as text, whatever its character encoding, as browsers decide it: a byte
//! order mark, else the `charset` of the HTTP `Content-Type`, else `<meta charset>` or
//! `<meta http-equiv="Content-Type">` in the first bytes, else UTF-8 when the bytes are
//! valid UTF-8, else windows-1252. `encoding_rs` (the decoders of Firefox) does the
//! decoding, for every encoding the WHATWG Encoding Standard names (EUC-KR, Shift_JIS,
//! EUC-JP, GBK, GB18030, Big5, windows-1251, ISO-8859-x…).

use encoding_rs::Encoding;

/// How far into the page a `<meta>` charset is looked for (browsers look at 1024 bytes;
/// pages with long comments or scripts first put it later).
const PRESCAN_BYTES: usize = 8192;

/// The page's text, and the encoding it was read in.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    decode_declared(bytes, content_type, declared_in_meta(bytes))
}

/// A feed's or another XML file's text: as [`decode`], with the encoding its XML
/// declaration names (`declared`) in place of a `<meta>` one.
pub fn decode_xml(
    bytes: &[u8],
    content_type: Option<&str>,
    declared: Option<String>,
) -> (String, &'static Encoding) {
    let declared = declared.as_deref().and_then(label).map(|e| match e {
        e if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        e => e,
    });
    decode_declared(bytes, content_type, declared)
}

fn decode_declared(
    bytes: &[u8],
    content_type: Option<&str>,
    declared: Option<&'static Encoding>,
) -> (String, &'static Encoding) {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| content_type.and_then(charset_param).and_then(label))
        .or(declared)
        .unwrap_or_else(|| match std::str::from_utf8(bytes) {
            Ok(_) => encoding_rs::UTF_8,
            Err(e) if e.error_len().is_none() => encoding_rs::UTF_8, // cut inside a character
            Err(_) => encoding_rs::WINDOWS_1252,
        });
    // `decode` strips a BOM (and lets it override the label, as browsers do).
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used)
}

/// The encoding a label names (`utf-8`, `Shift_JIS`, `x-sjis`, `gb2312`…).
fn label(name: &str) -> Option<&'static Encoding> {
    Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_param(value: &str) -> Option<&str> {
    value.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim())
    })
}

/// The encoding a `<meta>` near the top of the page declares. A declared UTF-16 means
/// UTF-8 (the page's bytes could not have been read as ASCII to find it otherwise).
fn declared_in_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    // Tags and labels are ASCII; anything else may be replaced.
    let head = String::from_utf8_lossy(head);
    let encoding = super::html::tags(&head)
        .iter()
        .filter(|tag| tag.name == "meta")
        .find_map(|tag| {
            if let Some(charset) = tag.attr("charset") {
                return label(charset);
            }
            let equiv = tag.attr("http-equiv")?;
            if !equiv.trim().eq_ignore_ascii_case("content-type") {
                return None;
            }
            tag.attr("content").and_then(charset_param).and_then(label)
        })?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page declaring `charset` in a `<meta>`, encoded in it.
    fn page(charset: &str, text: &str) -> Vec<u8> {
        let html = format!("<meta charset=\"{charset}\"><title>{text}</title>");
        let encoding = Encoding::for_label(charset.as_bytes()).unwrap();
        let (bytes, _, unmappable) = encoding.encode(&html);
        assert!(!unmappable, "{charset} can write {text}");
        bytes.into_owned()
    }

    #[test]
    fn every_page_is_read_in_its_own_encoding() {
        for (charset, text) in [
            ("euc-kr", "북한 김정은 위원장"),
            ("shift_jis", "東京の天気は晴れ"),
            ("euc-jp", "日本の首相が発表"),
            ("gbk", "中国经济增长放缓"),
            ("gb18030", "北京时间 €"),
            ("big5", "台灣總統大選結果"),
            ("windows-1251", "Новости России"),
            ("iso-8859-2", "Zażółć gęślą jaźń"),
        ] {
            let bytes = page(charset, text);
            let (decoded, encoding) = decode(&bytes, None);
            assert!(decoded.contains(text), "{charset}: {decoded}");
            assert_eq!(encoding, Encoding::for_label(charset.as_bytes()).unwrap());
            // The header wins over the page.
            let header = format!("text/html; charset={charset}");
            let (decoded, _) = decode(&bytes, Some(header.as_str()));
            assert!(decoded.contains(text), "{charset} in the header");
        }
    }

    #[test]
    fn the_header_a_bom_or_the_bytes_decide_without_a_meta() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode("<title>서울</title>");
        let (text, _) = decode(&bytes, Some("text/html; Charset=\"EUC-KR\""));
        assert_eq!(text, "<title>서울</title>");
        let (text, _) = decode(&bytes, Some("text/html; charset=nonsense"));
        assert!(!text.contains("서울"), "an unknown label is no label");
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice("<title>Ünïcode</title>".as_bytes());
        let (text, _) = decode(&bom, Some("text/html; charset=windows-1252"));
        assert_eq!(text, "<title>Ünïcode</title>", "a BOM wins over the header");
        let (text, _) = decode("<title>café</title>".as_bytes(), None);
        assert_eq!(text, "<title>café</title>");
        let (text, _) = decode(b"<title>caf\xe9</title>", None);
        assert_eq!(text, "<title>café</title>", "not UTF-8: windows-1252");
        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title>";
        assert!(decode(http_equiv, None).0.contains("Новости"));
        let utf16 = "<meta charset=utf-16><title>é</title>".as_bytes();
        assert!(
            decode(utf16, None).0.contains("é"),
            "a declared UTF-16 is read as UTF-8"
        );
    }
}
