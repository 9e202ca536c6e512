//! IntOrString, as in `maxSurge: 1` or `maxSurge: 25%`
//! (apimachinery `intstr.GetScaledValueFromIntOrPercent`).
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(n) => write!(f, "{n}"),
            IntOrString::String(s) => write!(f, "{s}"),
        }
    }
}

impl IntOrString {
    /// FP-1: integers as-is; "P%" scaled against `total`, rounded up or down as asked.
    pub fn scaled(&self, total: i32, round_up: bool) -> Result<i32, String> {
        match self {
            IntOrString::Int(n) => Ok(*n),
            IntOrString::String(s) => {
                let pct = percent(s)?;
                let exact = f64::from(pct) * f64::from(total) / 100.0;
                Ok(if round_up {
                    exact.ceil()
                } else {
                    exact.floor()
                } as i32)
            }
        }
    }

    /// True for int 0 and "0%": the raw values validation looks at (FP-3).
    pub fn is_zero(&self) -> bool {
        match self {
            IntOrString::Int(n) => *n == 0,
            IntOrString::String(s) => percent(s) == Ok(0),
        }
    }
}

/// The percentage in `"P%"`, or Kubernetes' validation message.
pub fn percent(s: &str) -> Result<i32, String> {
    s.strip_suffix('%')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            format!(
                "invalid value for IntOrString: invalid type: string is not a percentage: {s:?}"
            )
        })
}
