//! Leaf helpers every layer may use: file-system calls that name their path, stable
//! hashing, URL slugs, web addresses (tracking parameters, story keys), HTTP requests
//! with Gazette's limits, and sizes as people read them.

pub mod fs;
pub mod hash;
pub mod http;
pub mod size;
pub mod slug;
pub mod url;
