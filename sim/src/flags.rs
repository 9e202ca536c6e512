//! Feature flags: an image may carry a code path behind a flag, with its own error rate and
//! latency, dark until the flag is turned on (`flag NAME on|off|N%` in the timeline or the
//! console). A flag on for N% is on for the same N% of users throughout, as flag services bucket
//! users by a hash of their id, so a user does not flip between paths. Deploying the image changes
//! nothing users see; turning the flag on is the release, and off the rollback.
use crate::cluster::Cluster;
use crate::events::Kind;
use crate::scenario::FlagPath;

impl Cluster {
    /// `flag NAME on|off|N%`: the share of users the flag is on for, from now.
    pub(crate) fn set_flag(&mut self, name: &str, percent: u8) -> Result<String, String> {
        let known = self
            .scenario
            .images
            .values()
            .any(|i| i.flags.contains_key(name));
        if !known {
            return Err(format!(
                "no image has a flag named {name:?}: describe it under the image's `flags:` in the scenario"
            ));
        }
        let was = self.flags.insert(name.to_string(), percent).unwrap_or(0);
        let msg = match percent {
            0 => format!("Feature flag {name} turned off (was on for {was}% of users)"),
            100 => format!("Feature flag {name} turned on for every user"),
            p => format!("Feature flag {name} turned on for {p}% of users"),
        };
        self.events.push(
            self.now,
            Kind::Normal,
            "FlagChanged",
            &format!("flag/{name}"),
            msg.clone(),
        );
        Ok(msg)
    }

    /// The flagged code path pod `i` runs for `client`'s request, if a flag of its image is on for
    /// that client: its name, the path, and the share of users it is on for.
    #[inline(always)]
    pub(crate) fn flag_path(&self, i: usize, client: u32) -> Option<(&str, &FlagPath, u8)> {
        // Asked for every request: most images have no flags.
        if self.pods[i].behaviour.flags.is_empty() {
            return None;
        }
        self.flag_path_of(i, client)
    }

    fn flag_path_of(&self, i: usize, client: u32) -> Option<(&str, &FlagPath, u8)> {
        self.pods[i]
            .behaviour
            .flags
            .iter()
            .find_map(|(name, path)| {
                let on = *self.flags.get(name)?;
                (bucket(client, name) < on).then_some((name.as_str(), path, on))
            })
    }
}

/// The user's bucket for a flag, 0 to 99: a hash of the flag's name and the client (FNV-1a), so
/// each flag splits the users its own way and a user keeps their bucket.
fn bucket(client: u32, flag: &str) -> u8 {
    let mut h: u32 = 0x811c_9dc5;
    for b in flag.bytes().chain(client.to_le_bytes()) {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h % 100) as u8
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn a_flag_on_for_n_percent_is_on_for_about_n_percent_of_users_and_always_the_same_ones() {
        let on = |p: u8| {
            (0..10_000u32)
                .filter(|c| bucket(*c, "new-checkout") < p)
                .count()
        };
        assert_eq!(on(0), 0);
        assert_eq!(on(100), 10_000);
        assert!((900..=1100).contains(&on(10)), "{}", on(10));
        // Widening the rollout keeps everyone who had it.
        assert!((0..10_000u32)
            .all(|c| bucket(c, "new-checkout") >= 10 || bucket(c, "new-checkout") < 50));
        // Another flag buckets the users differently.
        let both = (0..10_000u32)
            .filter(|c| bucket(*c, "a") < 50 && bucket(*c, "b") < 50)
            .count();
        assert!((2000..=3000).contains(&both), "{both}");
    }
}
