//! Leaf helpers every layer may use: a memory budget for parallel work, text made safe
//! to publish, file-system calls that name their path, stable
//! hashing, URL slugs, web addresses (tracking parameters, story keys), HTTP requests
//! with Gazette's limits, sizes as people read them, and counted nouns.

pub mod budget;
pub mod fs;
pub mod hash;
pub mod http;
pub mod size;
pub mod slug;
pub mod text;
pub mod url;

/// `n` and the noun in the right number: "1 article", "5 articles", "0 articles".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
