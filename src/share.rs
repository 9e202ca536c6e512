//! Share links: the lab's state in the URL fragment, `#/lab?v=1&scenario=…&c=…`, so a link opens
//! exactly the run it was copied from. The format is versioned: a reader for every version ever
//! written stays here, so old links keep working. A check over the state catches links that were
//! cut short or edited by hand; a link that fails it, or any other test, is refused with a reason.
use rollout_sim::time::Ms;

/// The format written now.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabLink {
    pub scenario: String,
    /// Another seed than the scenario's own.
    pub seed: Option<u64>,
    /// The moment shown; `None` is the end of the run.
    pub time: Option<Ms>,
    /// Settings changed from the scenario's (`Knobs::set` names and values), in order.
    pub settings: Vec<(String, String)>,
    /// Manifests edited by hand, replacing the scenario's.
    pub manifests: Option<String>,
    /// Commands typed into the console, at the moment they were typed.
    pub commands: Vec<(Ms, String)>,
    /// A scenario file carried whole, opened under `scenario`'s name (the Check page's deploy).
    pub file: Option<String>,
}

impl LabLink {
    /// The fragment's query: `v=1&scenario=…[&seed=…][&t=…][&set=name:value]…[&run=ms:line]…
    /// [&manifests=…]&c=<check>`; values are percent-encoded.
    pub fn query(&self) -> String {
        sealed(&self.state())
    }

    /// The state's parameters in their fixed order, the text the check covers.
    fn state(&self) -> String {
        let mut q = format!("scenario={}", encode(&self.scenario));
        if let Some(seed) = self.seed {
            q += &format!("&seed={seed}");
        }
        if let Some(t) = self.time {
            q += &format!("&t={t}");
        }
        for (name, value) in &self.settings {
            q += &format!("&set={}", encode(&format!("{name}:{value}")));
        }
        for (at, line) in &self.commands {
            q += &format!("&run={}", encode(&format!("{at}:{line}")));
        }
        if let Some(m) = &self.manifests {
            q += &format!("&manifests={}", encode(m));
        }
        if let Some(f) = &self.file {
            q += &format!("&file={}", encode(f));
        }
        q
    }

    /// Reads a link's query (parameters it does not know, such as an embed's `allow`, are left
    /// to others). The error says what is wrong, for the learner.
    pub fn read(query: &str) -> Result<LabLink, String> {
        let mut link = LabLink::default();
        let (mut version, mut given_check) = (None, None);
        for (key, value) in params(query)? {
            let number = |what: &str| {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("the {what} “{value}” is not a whole number"))
            };
            // Times are milliseconds from the start: never negative, never past i64.
            let moment = |text: &str| text.parse::<Ms>().ok().filter(|t| *t >= 0);
            match key {
                "v" => version = Some(number("format version")?),
                "c" => given_check = Some(value),
                "scenario" => link.scenario = value,
                "seed" => link.seed = Some(number("seed")?),
                "t" => {
                    let t = moment(&value);
                    link.time =
                        Some(t.ok_or_else(|| format!("the time “{value}” is not a whole number of milliseconds from the start"))?);
                }
                "set" => {
                    let (name, v) = value
                        .split_once(':')
                        .ok_or_else(|| format!("the setting “{value}” is not name:value"))?;
                    link.settings.push((name.into(), v.into()));
                }
                "run" => {
                    let (at, line) = value
                        .split_once(':')
                        .and_then(|(at, line)| Some((moment(at)?, line)))
                        .ok_or_else(|| format!("the command “{value}” is not ms:command"))?;
                    link.commands.push((at, line.into()));
                }
                "manifests" => link.manifests = Some(value),
                "file" => link.file = Some(value),
                _ => {}
            }
        }
        known(version)?;
        if link.scenario.is_empty() {
            return Err("it names no scenario".into());
        }
        checked(given_check, &link.state())?;
        Ok(link)
    }
}

/// The Check page's state in its link, `#/check?v=1&manifests=…[&set=name:value]…[&image=…]&c=…`:
/// the paste and every assumption given, so the link reopens the same check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckLink {
    pub manifests: String,
    /// `check::world::World::set` names and values, in order.
    pub settings: Vec<(String, String)>,
    pub image: Option<String>,
}

impl CheckLink {
    pub fn query(&self) -> String {
        sealed(&self.state())
    }

    /// The state's parameters in their fixed order, the text the check covers.
    fn state(&self) -> String {
        let mut state = format!("manifests={}", encode(&self.manifests));
        for (name, value) in &self.settings {
            state += &format!("&set={}", encode(&format!("{name}:{value}")));
        }
        if let Some(image) = &self.image {
            state += &format!("&image={}", encode(image));
        }
        state
    }

    /// Reads a link's query, refusing one that was cut short or changed, with the reason.
    pub fn read(query: &str) -> Result<CheckLink, String> {
        let mut link = CheckLink::default();
        let (mut version, mut given) = (None, None);
        for (key, value) in params(query)? {
            match key {
                "v" => {
                    let n = value.parse::<u64>();
                    version = Some(n.map_err(|_| {
                        format!("the format version “{value}” is not a whole number")
                    })?)
                }
                "c" => given = Some(value),
                "manifests" => link.manifests = value,
                "image" => link.image = Some(value),
                "set" => {
                    let (name, v) = value
                        .split_once(':')
                        .ok_or_else(|| format!("the setting “{value}” is not name:value"))?;
                    link.settings.push((name.into(), v.into()));
                }
                _ => {}
            }
        }
        known(version)?;
        checked(given, &link.state())?;
        Ok(link)
    }
}

/// A state as a link's query: the format version, the state, and the check over it.
fn sealed(state: &str) -> String {
    format!("v={VERSION}&{state}&c={:08x}", check(state))
}

/// A link's parameters in order, each value decoded; refused when the link is over the
/// simulator's limit or a value is not percent-encoded.
fn params(query: &str) -> Result<Vec<(&str, String)>, String> {
    if query.len() > rollout_sim::limits::LINK_BYTES {
        return Err(rollout_sim::limits::exceeded(
            "its length",
            format!("{} KiB", rollout_sim::limits::LINK_BYTES >> 10),
        ));
    }
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value =
                decode(raw).ok_or_else(|| format!("“{key}” is not percent-encoded text"))?;
            Ok((key, value))
        })
        .collect()
}

/// A format version this reader reads (every one ever written).
fn known(version: Option<u64>) -> Result<(), String> {
    match version {
        None => Err("it has no format version (v=)".into()),
        Some(1) => Ok(()),
        Some(n) => Err(format!(
            "it was made by a newer Rollout Lab (link format {n}; this one reads up to {VERSION})"
        )),
    }
}

/// The link's check (`c`) over its state, as made.
fn checked(given: Option<String>, state: &str) -> Result<(), String> {
    match given {
        Some(c) if c == format!("{:08x}", check(state)) => Ok(()),
        Some(_) => Err("it was changed after it was made (its check does not match)".into()),
        None => Err("it has no check (c=); it may have been cut short".into()),
    }
}

/// FNV-1a, 32 bits: enough to notice a link damaged by hand or by a mail program; not a
/// signature (anyone may make a link, and every state it can hold is safe to open).
fn check(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// Percent-encodes everything but the characters URLs leave alone (RFC 3986 unreserved).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The inverse of `encode` (also reads `+` as a space, as forms write it); `None` for a broken
/// escape or bytes that are not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.bytes();
    while let Some(b) = rest.next() {
        bytes.push(match b {
            b'%' => {
                let hex = [rest.next()?, rest.next()?];
                u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            b'+' => b' ',
            b => b,
        });
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> LabLink {
        LabLink {
            scenario: "rolling-without-readiness".into(),
            seed: Some(7),
            time: Some(61_300),
            settings: vec![
                ("surge".into(), "40%".into()),
                ("readiness".into(), "on".into()),
            ],
            manifests: None,
            commands: vec![(30_000, "kubectl scale deployment/myapp --replicas=5".into())],
            file: None,
        }
    }

    /// Text with what links make hard: separators, escapes, `+`, non-ASCII, line breaks.
    fn text(rng: &mut rollout_sim::rng::Rng, colon: bool) -> String {
        let pieces = [
            "a", "Z9", "&", "=", "%", "%2", "+", " ", "#", "?", "é", "日本", "\n", "/", "-_.~", ":",
        ];
        let n = rng.below(6);
        (0..n)
            .map(|_| pieces[rng.below(pieces.len() - usize::from(!colon))])
            .collect()
    }

    #[test]
    fn every_link_the_lab_can_make_reads_back_as_made() {
        let mut rng = rollout_sim::rng::Rng::new(20);
        for _ in 0..3000 {
            let mut moment = || [0, 1, 61_300, i64::MAX][rng.below(4)];
            let (time, at) = (moment(), moment());
            let link = LabLink {
                scenario: format!("file:{}", text(&mut rng, true)),
                seed: rng.chance(0.5).then(|| rng.next_u64()),
                time: rng.chance(0.5).then_some(time),
                // Setting names are `Knobs::set`'s, which never hold a colon; values may.
                settings: (0..rng.below(3))
                    .map(|_| (text(&mut rng, false), text(&mut rng, true)))
                    .collect(),
                manifests: rng.chance(0.3).then(|| text(&mut rng, true)),
                commands: (0..rng.below(3))
                    .map(|_| (at, text(&mut rng, true)))
                    .collect(),
                file: rng.chance(0.2).then(|| text(&mut rng, true)),
            };
            if link.scenario.is_empty() {
                continue;
            }
            assert_eq!(
                LabLink::read(&link.query()),
                Ok(link.clone()),
                "{}",
                link.query()
            );
        }
    }

    #[test]
    fn times_past_what_a_run_can_hold_are_refused_not_wrapped() {
        let mut link = example();
        link.time = None;
        let q = link.query().replace("&c=", "&t=9223372036854775808&c=");
        assert!(LabLink::read(&q)
            .unwrap_err()
            .contains("not a whole number of milliseconds"));
        let q = link
            .query()
            .replace("run=30000", "run=18446744073709551615");
        assert!(LabLink::read(&q).unwrap_err().contains("is not ms:command"));
    }

    #[test]
    fn a_link_reads_back_exactly() {
        let mut link = example();
        assert_eq!(LabLink::read(&link.query()), Ok(link.clone()));
        link.manifests = Some("kind: Deployment\nmetadata: { name: \"a&b=c\" } # ü %\n".into());
        link.seed = None;
        assert_eq!(LabLink::read(&link.query()), Ok(link));
    }

    /// A link written by version 1 must open forever: this text is frozen.
    #[test]
    fn version_1_links_keep_working() {
        let v1 = "v=1&scenario=rolling-without-readiness&seed=7&t=61300&set=surge%3A40%25\
                  &set=readiness%3Aon&run=30000%3Akubectl%20scale%20deployment%2Fmyapp%20--replicas%3D5&c=";
        let check = format!("{:08x}", check(&example().state()));
        assert_eq!(example().query(), format!("{v1}{check}"));
        assert_eq!(LabLink::read(&format!("{v1}{check}")), Ok(example()));
        // Parameters that belong to others (an embed's allow-list) do not disturb it.
        assert_eq!(
            LabLink::read(&format!("allow=https%3A%2F%2Fx.org&{v1}{check}")),
            Ok(example())
        );
    }

    #[test]
    fn damaged_or_edited_links_are_refused_with_a_reason() {
        let good = example().query();
        let cases = [
            (
                good.replace("seed=7", "seed=8"),
                "changed after it was made",
            ),
            (good.replace("t=61300", "t=soon"), "not a whole number"),
            (good.replace("v=1", "v=2"), "newer Rollout Lab"),
            (good.replace("v=1&", ""), "no format version"),
            (good[..good.find("&c=").unwrap()].to_string(), "no check"),
            (
                good.replace("surge%3A40%25", "surge%3A40%2"),
                "not percent-encoded",
            ),
            (good.replace("%3A40", "40"), "not name:value"),
            ("v=1&c=0".to_string(), "names no scenario"),
            (
                format!("{good}&pad={}", "x".repeat(rollout_sim::limits::LINK_BYTES)),
                "its length is above the simulator's limit of 2048 KiB",
            ),
        ];
        for (query, why) in cases {
            let err = LabLink::read(&query).unwrap_err();
            assert!(err.contains(why), "{query}: {err}");
        }
    }

    #[test]
    fn a_check_link_reads_back_and_refuses_edits() {
        let link = CheckLink {
            manifests: "kind: Deployment\nmetadata: {name: web} # & = % é\n".into(),
            settings: vec![
                ("rps".into(), "1000".into()),
                ("sigterm".into(), "drain".into()),
            ],
            image: Some("web:2".into()),
        };
        let q = link.query();
        assert_eq!(CheckLink::read(&q), Ok(link.clone()));
        assert!(CheckLink::read(&q.replace("1000", "2000"))
            .unwrap_err()
            .contains("changed"));
        assert!(CheckLink::read(&q[..q.find("&c=").unwrap()])
            .unwrap_err()
            .contains("no check"));
        assert!(CheckLink::read(&q.replace("v=1", "v=3"))
            .unwrap_err()
            .contains("newer"));
    }

    #[test]
    fn percent_encoding_round_trips_any_text() {
        for text in ["", "a b+c", "100%", "ü→✓", "#/lab?x=1&y=2", "line\nbreak"] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert_eq!(decode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%C3"), None);
    }
}
