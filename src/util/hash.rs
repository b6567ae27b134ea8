//! Stable hashing: the fingerprints the build cache stores on disk and compares across
//! builds (and Gazette versions) must not change with the Rust release, as std's
//! `DefaultHasher` may. xxHash's XXH3 is specified, fast on short inputs, and well kept.

use std::hash::{Hash, Hasher};

/// A 64-bit fingerprint of values fed to it (XXH3, seed 0).
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(xxhash_rust::xxh3::Xxh3::new())
    }
}

impl Fingerprint {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, value: impl Hash) -> &mut Self {
        value.hash(&mut self.0);
        self
    }
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// Fingerprint of one value.
pub fn fingerprint(value: impl Hash) -> u64 {
    Fingerprint::new().add(value).finish()
}

/// A small stable hash (FNV-1a) for names that have no slug.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    std::hash::Hasher::write(&mut h, bytes);
    std::hash::Hasher::finish(&h)
}

/// FNV-1a as a `Hasher`: for the many short words of the search index, several times
/// faster than the standard library's SipHash (which guards maps against chosen keys;
/// these keys are the site's own).
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_the_same_in_every_build() {
        // Stored in .gazette-cache/: a change here must bump the cache's version.
        assert_eq!(super::fingerprint("gazette"), super::fingerprint("gazette"));
        assert_ne!(super::fingerprint("a"), super::fingerprint("b"));
        assert_eq!(super::fnv(b""), 0xcbf29ce484222325);
        assert_eq!(super::fnv(b"a"), 0xaf63dc4c8601ec8c);
    }
}
