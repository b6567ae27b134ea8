//! A bound on the memory that work running in parallel holds at once: each piece of work
//! reserves its estimate first, and waits while the others hold too much (photos being
//! decoded on every core must not add up to more than the machine has).

use std::sync::{Condvar, Mutex, MutexGuard};

/// A number of bytes that reservations share.
pub struct Budget {
    cap: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes held from a [`Budget`] until dropped.
pub struct Reserved<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub const fn new(cap: u64) -> Budget {
        Budget {
            cap,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit beside what others hold, and holds them. A reservation
    /// larger than the whole budget waits until nothing else is held, then runs alone.
    pub fn reserve(&self, bytes: u64) -> Reserved<'_> {
        let bytes = bytes.min(self.cap);
        let mut used = self.lock();
        while *used > 0 && *used + bytes > self.cap {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Reserved {
            budget: self,
            bytes,
        }
    }

    /// What is held now.
    pub fn used(&self) -> u64 {
        *self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, u64> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        *self.budget.lock() -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::Budget;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn parallel_reservations_never_hold_more_than_the_budget() {
        static BUDGET: Budget = Budget::new(100);
        static MOST: AtomicU64 = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..50 {
                        let _held = BUDGET.reserve(40);
                        MOST.fetch_max(BUDGET.used(), Ordering::SeqCst);
                        std::thread::yield_now();
                    }
                });
            }
        });
        let most = MOST.load(Ordering::SeqCst);
        assert!((40..=80).contains(&most), "{most}");
        assert_eq!(BUDGET.used(), 0);
        // Larger than the whole budget: it runs, alone.
        let alone = BUDGET.reserve(1000);
        assert_eq!(BUDGET.used(), 100);
        drop(alone);
    }
}
