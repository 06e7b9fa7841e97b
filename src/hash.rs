//! A fast, stable 64-bit hash (FNV-1a) for fingerprints of content and pages between
//! rebuilds. Not for security: only to tell "unchanged" from "changed".

use std::hash::{Hash, Hasher};

/// FNV-1a; stable across runs (unlike std's randomly keyed `DefaultHasher`).
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The hash of one value.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = Fnv::default();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_values_hash_equal_and_differ_otherwise() {
        assert_eq!(super::of("abc"), super::of("abc"));
        assert_ne!(super::of("abc"), super::of("abd"));
    }
}
