//! Simulated time: integer milliseconds since the scenario started, never a float, so native and
//! wasm runs agree bit for bit. Durations are written as Kubernetes and Go write them.

/// Milliseconds of simulated time.
pub type Ms = i64;

pub const SECOND: Ms = 1000;

/// Parses `500ms`, `20s`, `1.5s`, `2m`, `1h30m`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Ms, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if let Some(secs) = crate::decimal::parse(t) {
        return finite_ms(secs * 1000.0, text);
    }
    let mut total = 0.0;
    let mut rest = t;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        let value = crate::decimal::parse(num).ok_or_else(|| bad(text))?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return Err(bad(text)),
        };
        total += value * scale;
        rest = tail;
    }
    finite_ms(total, text)
}

fn finite_ms(ms: f64, text: &str) -> Result<Ms, String> {
    if ms.is_finite() && (0.0..=1e13).contains(&ms) {
        Ok(ms.round() as Ms)
    } else {
        Err(bad(text))
    }
}

fn bad(text: &str) -> String {
    format!("invalid duration {text:?}: write it like 500ms, 20s, 2m or 1h")
}

/// `61.2s`: the tenth of a second a learner can read.
pub fn fmt_secs(ms: Ms) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.abs();
    format!("{sign}{}.{}s", ms / 1000, (ms % 1000) / 100)
}

/// kubectl's AGE column (`duration.HumanDuration`): `45s`, `3m12s`, `125m`, `3h5m`, `2d5h`.
pub fn fmt_age(ms: Ms) -> String {
    let s = ms.max(0) / 1000;
    let (m, h) = (s / 60, s / 3600);
    match s {
        0..=119 => format!("{s}s"),
        _ if m < 10 && s % 60 == 0 => format!("{m}m"),
        _ if m < 10 => format!("{m}m{}s", s % 60),
        _ if m < 180 => format!("{m}m"),
        _ if h < 8 && m % 60 == 0 => format!("{h}h"),
        _ if h < 8 => format!("{h}h{}m", m % 60),
        _ if h < 48 => format!("{h}h"),
        _ if h % 24 == 0 => format!("{}d", h / 24),
        _ => format!("{}d{}h", h / 24, h % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, want) in [
            ("500ms", 500),
            ("20s", 20_000),
            ("1.5s", 1500),
            ("2m", 120_000),
            ("1h30m", 5_400_000),
            ("7", 7000),
            ("0s", 0),
        ] {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
        for text in ["", "5x", "s", "-1s", "1e99"] {
            assert!(parse_duration(text).is_err(), "{text}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_secs(61_234), "61.2s");
        assert_eq!(fmt_secs(900), "0.9s");
        assert_eq!(fmt_age(45_000), "45s");
        assert_eq!(fmt_age(192_000), "3m12s");
        for (secs, want) in [
            (180, "3m"),
            (7_500, "125m"),
            (10_800, "3h"),
            (11_100, "3h5m"),
            (36_000, "10h"),
            (190_800, "2d5h"),
        ] {
            assert_eq!(fmt_age(secs * 1000), want, "{secs}s");
        }
    }
}
