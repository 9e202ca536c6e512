//! What the learner measures: request outcomes (totals, per second, per image), the failures
//! with their causes, latency, and pod counts. Everything is bounded, so an hour at 1,000
//! requests/s stays small: per-second buckets, a ring of recent failures, a fixed histogram.
use crate::time::Ms;
use crate::traffic::{FailedRequest, Reason, Why};
use std::collections::VecDeque;

/// Failures kept with their full cause.
pub const FAILURES_KEPT: usize = 2_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Second {
    pub sent: u32,
    pub succeeded: u32,
    pub failed: [u32; Reason::COUNT],
    /// Latency of the requests that succeeded in this second: median and 95th percentile, ms.
    pub p50: u32,
    pub p95: u32,
}

/// Pods of one image at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodCount {
    /// Index into `Metrics::images`.
    pub image: u16,
    /// What the ReplicaSets of this image ask for (desired) and what runs.
    pub desired: u16,
    pub ready: u16,
    pub not_ready: u16,
    pub terminating: u16,
}

/// What one pod did with the requests sent to it (`requests.by_pod`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodTraffic {
    pub name: String,
    pub created_at: Ms,
    /// Requests it answered (mirrored copies included).
    pub answered: u64,
    /// Requests it refused, reset, failed or let time out (one the ingress then retried
    /// elsewhere included).
    pub failed: u64,
}

/// One answer from a pod, kept for the window analysis measures over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Served {
    pub at: Ms,
    /// The pod's ReplicaSet (so its hash: canary or stable).
    pub rs: u64,
    pub ok: bool,
    pub latency: Ms,
}

/// Mirrored (shadow) copies: answered by the canary, never seen by a client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shadow {
    pub sent: u64,
    pub succeeded: u64,
    pub failed_by_reason: [u64; Reason::COUNT],
}

impl Shadow {
    pub fn failed(&self) -> u64 {
        self.failed_by_reason.iter().sum()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VersionCount {
    pub succeeded: u64,
    pub failed: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Metrics {
    pub sent: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub failed_by_reason: [u64; Reason::COUNT],
    /// Client failures by what caused them, with the first and last time each happened.
    pub failed_by_why: [u64; Why::COUNT],
    pub why_between: [Option<(Ms, Ms)>; Why::COUNT],
    pub failures: VecDeque<FailedRequest>,
    /// The first failure of each kind, kept however many come after it.
    pub first_by_reason: [Option<FailedRequest>; Reason::COUNT],
    pub seconds: Vec<Second>,
    /// Answers per image, by the image's index in `images` (`by_image` names them).
    by_image_ix: Vec<VersionCount>,
    /// Latency histogram of succeeded requests, 1 ms buckets up to 10 s (the last one catches the rest).
    latency: Vec<u32>,
    pub first_failure_at: Option<Ms>,
    pub last_failure_at: Option<Ms>,
    pub max_not_terminating: u32,
    pub min_available: Option<u32>,
    pub finished_at: Ms,
    /// Images seen, in order of first appearance (what `PodCount::image` indexes).
    pub images: Vec<String>,
    /// Pods per image as each second ended; `None` where nothing changed (same as before).
    pub pods: Vec<Option<Vec<PodCount>>>,
    /// Client requests answered per second, per image (index into `images`): the traffic share
    /// each version actually received.
    pub served: Vec<Vec<u32>>,
    /// The canary weight the rollout asked for, as each second ended (`None`: no canary update).
    pub desired_weight: Vec<Option<u8>>,
    pub shadow: Shadow,
    /// Per pod, by uid (an entry without a name is not a pod's).
    pub by_pod: Vec<PodTraffic>,
    /// Per client: the image index + 1 of its last answer (0: none yet), and every image seen.
    last_version: Vec<u16>,
    seen_versions: Vec<u64>,
    /// Answers from another version than the same client's previous answer.
    pub version_flips: u64,
    pub recent: VecDeque<Served>,
    /// Latencies of the second `latency_second`, until it is settled into `seconds`.
    second_latencies: Latencies,
    latency_second: usize,
    recent_window: Ms,
}

const LATENCY_BUCKETS: usize = 10_001;

/// One second's latencies, for its percentiles: counted per millisecond below `COUNTED` (a
/// thousand answers a second cost a count each, not a sort), kept as they are above.
#[derive(Clone, Debug, Default)]
struct Latencies {
    counts: Vec<u32>,
    /// The largest counted latency since the last clear (what a clear must zero).
    top: usize,
    counted: usize,
    above: Vec<u32>,
}

const COUNTED: usize = 4096;

impl Latencies {
    fn push(&mut self, ms: u32) {
        let i = ms as usize;
        if i < COUNTED {
            if self.counts.is_empty() {
                self.counts = vec![0; COUNTED];
            }
            self.counts[i] += 1;
            self.top = self.top.max(i);
            self.counted += 1;
        } else {
            self.above.push(ms);
        }
    }

    fn len(&self) -> usize {
        self.counted + self.above.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn clear(&mut self) {
        if self.counted > 0 {
            self.counts[..=self.top].fill(0);
        }
        (self.top, self.counted) = (0, 0);
        self.above.clear();
    }

    /// The `k`-th smallest (from 0) of `len()` latencies.
    fn nth(&mut self, k: usize) -> u32 {
        if k >= self.counted {
            return *self.above.select_nth_unstable(k - self.counted).1;
        }
        let mut seen = 0;
        for (ms, &n) in self.counts[..=self.top].iter().enumerate() {
            seen += n as usize;
            if seen > k {
                return ms as u32;
            }
        }
        unreachable!("{k} of {} counted latencies", self.counted)
    }
}

impl Metrics {
    #[inline(always)]
    fn second(&mut self, at: Ms) -> &mut Second {
        let i = (at.max(0) / 1000) as usize;
        if self.seconds.len() <= i {
            self.seconds.resize(i + 1, Second::default());
        }
        &mut self.seconds[i]
    }

    pub(crate) fn pod_created(&mut self, uid: u64, name: &str, created_at: Ms) {
        let uid = uid as usize;
        if self.by_pod.len() <= uid {
            self.by_pod.resize(uid + 1, PodTraffic::default());
        }
        self.by_pod[uid] = PodTraffic {
            name: name.to_string(),
            created_at,
            ..PodTraffic::default()
        };
    }

    /// A removed pod's final counts.
    pub(crate) fn pod_counts(&mut self, uid: u64, answered: u64, failed: u64) {
        if let Some(p) = self.by_pod.get_mut(uid as usize) {
            (p.answered, p.failed) = (answered, failed);
        }
    }

    #[inline(always)]
    pub(crate) fn sent(&mut self, at: Ms) {
        self.sent += 1;
        self.second(at).sent += 1;
    }

    /// The index of `image` in `images`, added on first sight.
    pub(crate) fn image_index(&mut self, image: &str) -> u16 {
        match self.images.iter().position(|x| x == image) {
            Some(i) => i as u16,
            None => {
                self.images.push(image.to_string());
                self.images.len() as u16 - 1
            }
        }
    }

    /// Analysis looks back this far; answers are kept for it only when some template asks.
    pub(crate) fn keep_recent(&mut self, window: Ms) {
        self.recent_window = self.recent_window.max(window);
    }

    #[inline(always)]
    pub(crate) fn recent_window(&self) -> Ms {
        self.recent_window
    }

    /// A pod answered (or failed) a request: the window for analysis, and for client requests
    /// the version the client saw.
    pub(crate) fn served(&mut self, s: Served, image: u16, client: Option<u32>) {
        if self.recent_window > 0 {
            while self
                .recent
                .front()
                .is_some_and(|r| r.at < s.at - self.recent_window)
            {
                self.recent.pop_front();
            }
            self.recent.push_back(s);
        }
        let Some(client) = client else { return };
        let v = image;
        let second = (s.at.max(0) / 1000) as usize;
        if self.served.len() <= second {
            self.served.resize(second + 1, Vec::new());
        }
        let row = &mut self.served[second];
        if row.len() <= v as usize {
            row.resize(v as usize + 1, 0);
        }
        row[v as usize] += 1;
        let c = client as usize;
        if self.last_version.len() <= c {
            self.last_version.resize(c + 1, 0);
            self.seen_versions.resize(c + 1, 0);
        }
        if self.last_version[c] != 0 && self.last_version[c] != v + 1 {
            self.version_flips += 1;
        }
        self.last_version[c] = v + 1;
        self.seen_versions[c] |= 1 << (v.min(63));
    }

    /// Each image with its answers and the share of all answers it gave (0 to 1).
    /// The weight the newest version actually received, per second: its percentage of the
    /// answers clients got that second (`None` for a second without answers). The newest image
    /// is the one being rolled out.
    pub fn received_weight(&self) -> Vec<Option<f64>> {
        let newest = self.images.len().saturating_sub(1);
        self.served
            .iter()
            .map(|row| {
                let total: u32 = row.iter().sum();
                (total > 0).then(|| {
                    100.0 * f64::from(row.get(newest).copied().unwrap_or(0)) / f64::from(total)
                })
            })
            .collect()
    }

    /// Answers per image, by name.
    pub fn by_image(&self) -> Vec<(&String, VersionCount)> {
        let mut all: Vec<(&String, VersionCount)> = self
            .by_image_ix
            .iter()
            .enumerate()
            .filter(|(_, v)| v.succeeded + v.failed > 0)
            .map(|(i, v)| (&self.images[i], *v))
            .collect();
        crate::order::sort_by_key(&mut all, |(name, _)| (*name).clone());
        all
    }

    pub fn answer_shares(&self) -> impl Iterator<Item = (&String, VersionCount, f64)> {
        let all = self.by_image();
        let answered: u64 = all.iter().map(|(_, v)| v.succeeded + v.failed).sum();
        all.into_iter().map(move |(image, v)| {
            let share = (v.succeeded + v.failed) as f64 / answered.max(1) as f64;
            (image, v, share)
        })
    }

    /// Clients that were answered by more than one version.
    pub fn clients_with_mixed_versions(&self) -> u64 {
        self.seen_versions
            .iter()
            .filter(|m| m.count_ones() > 1)
            .count() as u64
    }

    pub(crate) fn sample_weight(&mut self, at: Ms, weight: Option<i32>) {
        let second = (at.max(0) / 1000) as usize;
        if self.desired_weight.len() <= second {
            let last = self.desired_weight.last().copied().flatten();
            self.desired_weight.resize(second + 1, last);
        }
        self.desired_weight[second] = weight.map(|w| w.clamp(0, 255) as u8);
    }

    /// A client's request answered by a pod of `image` (its index in `images`).
    #[inline(always)]
    pub(crate) fn succeeded(&mut self, at: Ms, latency: Ms, image: u16) {
        self.succeeded += 1;
        self.second(at).succeeded += 1;
        if self.latency.is_empty() {
            self.latency = vec![0; LATENCY_BUCKETS];
        }
        self.latency[(latency.max(0) as usize).min(LATENCY_BUCKETS - 1)] += 1;
        let second = (at.max(0) / 1000) as usize;
        if second != self.latency_second {
            self.settle_latency();
            self.second_latencies.clear();
            self.latency_second = second;
        }
        self.second_latencies.push(latency.max(0) as u32);
        self.version_count(image).succeeded += 1;
    }

    #[inline(always)]
    fn version_count(&mut self, image: u16) -> &mut VersionCount {
        let i = image as usize;
        if self.by_image_ix.len() <= i {
            self.by_image_ix.resize(i + 1, VersionCount::default());
        }
        &mut self.by_image_ix[i]
    }

    /// Writes the percentiles of the second whose answers are being gathered. The run also calls
    /// it when it stops, so the current second shows what it has so far.
    pub(crate) fn settle_latency(&mut self) {
        let mut l = std::mem::take(&mut self.second_latencies);
        if !l.is_empty() {
            // Nearest rank: the smallest latency that p% of the answers did not exceed.
            let n = l.len();
            let mut rank = |p: usize| l.nth((n * p).div_ceil(100) - 1);
            let (p50, p95) = (rank(50), rank(95));
            let s = self.second(self.latency_second as Ms * 1000);
            (s.p50, s.p95) = (p50, p95);
        }
        self.second_latencies = l;
    }

    pub(crate) fn failed(&mut self, f: FailedRequest) {
        if f.id & crate::traffic::SHADOW != 0 {
            self.shadow.failed_by_reason[f.reason as usize] += 1;
            return;
        }
        self.failed += 1;
        self.failed_by_reason[f.reason as usize] += 1;
        self.failed_by_why[f.why as usize] += 1;
        let span = self.why_between[f.why as usize].get_or_insert((f.ended_at, f.ended_at));
        span.1 = f.ended_at;
        self.second(f.ended_at).failed[f.reason as usize] += 1;
        self.first_failure_at.get_or_insert(f.ended_at);
        self.last_failure_at = Some(f.ended_at);
        if let Some(image) = f.image.as_deref().filter(|i| !i.is_empty()) {
            let ix = self.image_index(image);
            self.version_count(ix).failed += 1;
        }
        let first = &mut self.first_by_reason[f.reason as usize];
        if first.is_none() {
            *first = Some(f.clone());
        }
        if self.failures.len() == FAILURES_KEPT {
            self.failures.pop_front();
        }
        self.failures.push_back(f);
    }

    pub(crate) fn observe_pods(&mut self, not_terminating: u32, available: u32) {
        self.max_not_terminating = self.max_not_terminating.max(not_terminating);
        self.min_available = Some(self.min_available.map_or(available, |m| m.min(available)));
    }

    /// Records the pods as they are now, and what the ReplicaSets ask for, for the second `at`
    /// falls in.
    pub(crate) fn sample_pods<'a>(
        &mut self,
        at: Ms,
        pods: impl Iterator<Item = (&'a str, bool, bool)>,
        desired: impl Iterator<Item = (&'a str, i32)>,
    ) {
        let mut counts: Vec<PodCount> = Vec::new();
        let mut entry = |m: &mut Metrics, image: &str| {
            let i = m.image_index(image);
            match counts.iter().position(|c| c.image == i) {
                Some(k) => k,
                None => {
                    counts.push(PodCount {
                        image: i,
                        ..PodCount::default()
                    });
                    counts.len() - 1
                }
            }
        };
        let mut rows = Vec::new();
        for (image, ready, terminating) in pods {
            rows.push((entry(self, image), ready, terminating));
        }
        let mut wanted = Vec::new();
        for (image, n) in desired {
            wanted.push((entry(self, image), n));
        }
        for (k, ready, terminating) in rows {
            let c = &mut counts[k];
            match (terminating, ready) {
                (true, _) => c.terminating += 1,
                (false, true) => c.ready += 1,
                (false, false) => c.not_ready += 1,
            }
        }
        for (k, n) in wanted {
            counts[k].desired += n.clamp(0, i32::from(u16::MAX)) as u16;
        }
        // A scaled-down ReplicaSet with no pods left is history, not a version in the cluster.
        counts.retain(|c| c.desired + c.ready + c.not_ready + c.terminating > 0);
        crate::order::sort_by_key(&mut counts, |c| c.image);
        let second = (at.max(0) / 1000) as usize;
        if self.pods.len() <= second {
            self.pods.resize(second + 1, None);
        }
        self.pods[second] = Some(counts);
    }

    /// Pods per image for every second up to `seconds`, carrying the last sample forward.
    pub fn pods_per_second(&self, seconds: usize) -> Vec<Vec<PodCount>> {
        let mut last: Vec<PodCount> = Vec::new();
        (0..seconds)
            .map(|i| {
                if let Some(Some(sample)) = self.pods.get(i) {
                    last = sample.clone();
                }
                last.clone()
            })
            .collect()
    }

    pub(crate) fn finish(&mut self, at: Ms) {
        self.finished_at = at;
    }

    pub fn in_flight(&self) -> u64 {
        self.sent - self.succeeded - self.failed
    }

    pub fn failed_by(&self, reason: Reason) -> u64 {
        self.failed_by_reason[reason as usize]
    }

    /// The latency below which `q` (0..1) of succeeded requests were answered, in ms.
    pub fn latency_quantile(&self, q: f64) -> Option<Ms> {
        let total: u64 = self.latency.iter().map(|&c| u64::from(c)).sum();
        if total == 0 {
            return None;
        }
        let target = (q * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (ms, &count) in self.latency.iter().enumerate() {
            seen += u64::from(count);
            if seen >= target {
                return Some(ms as Ms);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting gives the k-th smallest a sort gives, with latencies on both sides of `COUNTED`,
    /// and after a clear.
    #[test]
    fn counted_latencies_rank_as_sorted_ones() {
        let mut rng = crate::rng::Rng::new(9);
        let mut l = Latencies::default();
        for round in 0..20 {
            l.clear();
            let n = 1 + rng.below(3000);
            let mut all: Vec<u32> = (0..n)
                .map(|_| match rng.below(20) {
                    0 => (COUNTED + rng.below(9000)) as u32,
                    1 => (COUNTED - 1) as u32,
                    _ => rng.below(200 * (1 + round)) as u32,
                })
                .collect();
            all.iter().for_each(|&ms| l.push(ms));
            all.sort_unstable();
            assert_eq!(l.len(), n);
            for k in [0, n / 2, n * 95 / 100, n - 1] {
                assert_eq!(l.nth(k), all[k], "k = {k} of {n}");
            }
        }
    }

    #[test]
    fn latency_percentiles_per_second_by_nearest_rank() {
        let mut m = Metrics::default();
        // 1..=100 ms in second 3 (shuffled), then 7 ms and 9 ms in second 4.
        for l in (1..=100).rev().step_by(2).chain((1..=100).step_by(2)) {
            m.succeeded(3_000 + l, l, 0);
        }
        m.succeeded(4_100, 9, 0);
        m.succeeded(4_200, 7, 0);
        m.settle_latency();
        assert_eq!((m.seconds[3].p50, m.seconds[3].p95), (50, 95));
        assert_eq!((m.seconds[4].p50, m.seconds[4].p95), (7, 9));
        // Settling mid-second then gathering more gives the whole second's figures.
        m.succeeded(4_900, 1, 0);
        m.settle_latency();
        assert_eq!((m.seconds[4].p50, m.seconds[4].p95), (7, 9));
        assert_eq!(m.seconds[2], Second::default());
    }
}
