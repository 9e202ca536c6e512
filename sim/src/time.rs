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

/// The wall-clock moment simulated time 0 stands for (timestamps need a date): Monday
/// 2 November 2026, 09:00 UTC, in seconds since 1970.
pub const EPOCH_SECONDS: i64 = 1_793_610_000;

/// The calendar date and time of simulated time `ms`: (year, month, day, hour, minute, second,
/// weekday with Monday 0).
fn civil(ms: Ms) -> (i64, u32, u32, i64, i64, i64, usize) {
    let secs = EPOCH_SECONDS.saturating_add(ms.div_euclid(1000));
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = (days + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    (
        year,
        month,
        day,
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        weekday,
    )
}

/// RFC 3339, as `creationTimestamp` is stored: `2026-11-02T09:00:00Z`.
pub fn rfc3339(ms: Ms) -> String {
    let (y, mo, d, h, mi, s, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// As `kubectl describe` prints a timestamp (RFC 1123 with a zone): `Mon, 02 Nov 2026 09:00:00 +0000`.
pub fn rfc1123z(ms: Ms) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s, wd) = civil(ms);
    let month = MONTHS[(mo as usize).saturating_sub(1).min(11)];
    format!(
        "{}, {d:02} {month} {y} {h:02}:{mi:02}:{s:02} +0000",
        DAYS[wd]
    )
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
    fn timestamps_count_from_the_stated_epoch() {
        assert_eq!(rfc3339(0), "2026-11-02T09:00:00Z");
        assert_eq!(rfc1123z(0), "Mon, 02 Nov 2026 09:00:00 +0000");
        assert_eq!(rfc3339(-60_000), "2026-11-02T08:59:00Z");
        // Across a month and a year.
        assert_eq!(rfc1123z(60 * 86_400_000), "Fri, 01 Jan 2027 09:00:00 +0000");
        assert_eq!(
            rfc3339(28 * 86_400_000 + 15 * 3_600_000),
            "2026-12-01T00:00:00Z"
        );
    }

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
