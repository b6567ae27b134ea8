//! Leaf helpers every layer may use: file-system calls that name their path, stable
//! hashing, URL slugs.

pub mod fs;
pub mod hash;
pub mod slug;
