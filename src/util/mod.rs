//! Leaf helpers every layer may use: file-system calls that name their path, stable
//! hashing, URL slugs, web addresses (tracking parameters, story keys) and HTTP requests
//! with Gazette's limits.

pub mod fs;
pub mod hash;
pub mod http;
pub mod slug;
pub mod url;
