//! Decimal text for fractional numbers, both ways. The standard library's float printer and
//! parser cost ~8 KB gzipped of wasm; the figures here need a few decimal places at most.

/// `x` with `places` decimals, rounded half away from zero: `fixed(99.25, 1)` is "99.3".
pub fn fixed(x: f64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let n = (x.abs() * scale as f64).round() as u64;
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    match places {
        0 => format!("{sign}{n}"),
        _ => format!(
            "{sign}{}.{:0width$}",
            n / scale,
            n % scale,
            width = places as usize
        ),
    }
}

/// `x` with at most `places` decimals and no trailing zeros: 0.05 → "0.05", 2.0 → "2".
pub fn short(x: f64, places: u32) -> String {
    let s = fixed(x, places);
    match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    }
}

/// Reads `[-+]digits[.digits][e[-+]digits]`. Exact (correctly rounded) whenever the digits fit
/// in 2^53 and the power of ten in 10^22, which covers every number a scenario writes.
pub fn parse(s: &str) -> Option<f64> {
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut digits: u64 = 0;
    let mut scale = exponent;
    for (k, b) in int.bytes().chain(frac.bytes()).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        if digits < 1 << 59 {
            digits = digits * 10 + u64::from(b - b'0');
            scale = scale.saturating_sub(i32::from(k >= int.len()));
        } else {
            // Digits beyond u64's precision only move the decimal point.
            scale = scale.saturating_add(i32::from(k < int.len()));
        }
    }
    let m = digits as f64;
    let value = match scale {
        0..=22 => m * 10f64.powi(scale),
        -22..=-1 => m / 10f64.powi(-scale),
        _ => m * 10f64.powi(scale),
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_places() {
        assert_eq!(fixed(99.25, 1), "99.3");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-2.5, 0), "-3");
        assert_eq!(fixed(99.9994, 3), "99.999");
        assert_eq!(fixed(7.0, 2), "7.00");
        assert_eq!(short(0.05, 4), "0.05");
        assert_eq!(short(2.0, 4), "2");
        assert_eq!(short(120.0, 0), "120");
    }

    #[test]
    fn parse_agrees_with_the_standard_parser() {
        for s in [
            "0",
            "1",
            "-1",
            "0.3",
            ".5",
            "5.",
            "1e3",
            "1.5E-2",
            "+2.25",
            "0.1",
            "99.9",
            "123456.789",
            "1e22",
            "3e-22",
            "0.000001",
            "12345678901234567890123",
        ] {
            assert_eq!(parse(s), s.parse::<f64>().ok(), "{s}");
        }
        for s in ["", ".", "-", "e5", "1e", "1.2.3", "x", "1,5"] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
