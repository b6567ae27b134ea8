//! Sizes as people read them: `human(812_345_678)` is "812.3 MB" (decimal units, as
//! GitHub states its limits).

/// `bytes` in B, kB, MB or GB, with one decimal past kB.
pub fn human(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (size, unit) in UNITS {
        if bytes >= size {
            return format!("{:.1} {unit}", bytes as f64 / size as f64);
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(super::human(0), "0 B");
        assert_eq!(super::human(999), "999 B");
        assert_eq!(super::human(1_500), "1.5 kB");
        assert_eq!(super::human(812_345_678), "812.3 MB");
        assert_eq!(super::human(1_073_741_824), "1.1 GB");
    }
}
