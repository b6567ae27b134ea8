//! `gazette import --images`: a post's images fetched one at a time with `add`'s limits
//! (time-outs, 5 MB, redirects), kept only when the bytes are a JPEG, PNG, GIF or WebP,
//! named after their address.

use crate::util::http::{self, Limits};

/// Most images fetched for one post.
const MAX_IMAGES: usize = 100;

/// What fetching a post's images gave.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Address, file name, bytes.
    pub files: Vec<(String, String, Vec<u8>)>,
    /// One line for each image that stays remote.
    pub failures: Vec<String>,
}

/// Fetches each of `urls` (the first [`MAX_IMAGES`]).
pub fn fetch(urls: &[String]) -> Fetched {
    let mut fetched = Fetched::default();
    for url in urls.iter().take(MAX_IMAGES) {
        let page = match http::get(url, Limits::from_env()) {
            Ok(page) => page,
            Err(why) => {
                let url = crate::app::add::text::printable(url);
                fetched.failures.push(format!("the image {url} {why}"));
                continue;
            }
        };
        let Some(ext) = image::guess_format(&page.body)
            .ok()
            .and_then(|f| f.extensions_str().first().copied())
            .filter(|e| ["jpg", "png", "gif", "webp"].contains(e))
        else {
            let url = crate::app::add::text::printable(url);
            fetched.failures.push(format!(
                "{url} is not a JPEG, PNG, GIF or WebP image; it stays remote"
            ));
            continue;
        };
        let name = unique(file_name(url, ext), &fetched.files);
        fetched.files.push((url.clone(), name, page.body));
    }
    if urls.len() > MAX_IMAGES {
        fetched.failures.push(format!(
            "only the first {MAX_IMAGES} of its {} images are downloaded",
            urls.len()
        ));
    }
    fetched
}

/// `flooded-road.jpg` for `https://cdn.example/p/Flooded%20Road.jpeg?w=800` (the last part
/// of the path, decoded, as a slug, with the extension the bytes have).
fn file_name(url: &str, ext: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or("");
    let decoded = crate::util::slug::percent_decode(last).unwrap_or_else(|| last.to_string());
    // Substack's addresses end in another, encoded, address.
    let decoded = decoded.rsplit('/').next().unwrap_or(&decoded).to_string();
    let stem = decoded
        .rsplit_once('.')
        .map_or(decoded.as_str(), |(s, _)| s);
    let slug: String = crate::util::slug::slugify(stem).chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    match slug.is_empty() {
        true => format!("image.{ext}"),
        false => format!("{slug}.{ext}"),
    }
}

/// `name`, or `name-2`, `name-3`… when a file fetched before has it.
fn unique(name: String, files: &[(String, String, Vec<u8>)]) -> String {
    let taken = |n: &str| files.iter().any(|(_, f, _)| f == n);
    if !taken(&name) {
        return name;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    (2..)
        .map(|i| format!("{stem}-{i}.{ext}"))
        .find(|n| !taken(n))
        .unwrap_or(name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_named_after_their_address() {
        assert_eq!(
            file_name("https://cdn.example/p/Flooded%20Road.jpeg?w=800", "jpg"),
            "flooded-road.jpg"
        );
        assert_eq!(
            file_name("https://substackcdn.com/image/fetch/w_1456/https%3A%2F%2Fs3.example%2Fimages%2Fabc_1024x768.png", "png"),
            "abc_1024x768.png"
        );
        assert_eq!(file_name("https://cdn.example/", "gif"), "image.gif");
        for letter in ["é", "한", "😀"] {
            let long = format!("https://cdn.example/a{}.jpg", letter.repeat(70));
            let name = file_name(&long, "jpg");
            assert!(
                name.chars().count() <= 64,
                "cut by characters, never inside one: {name}"
            );
        }
        let files = vec![("a".to_string(), "x.jpg".to_string(), Vec::new())];
        assert_eq!(unique("x.jpg".into(), &files), "x-2.jpg");
    }
}
