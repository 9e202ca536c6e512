//! What a run keeps of each pod's termination, for the lab's two-track picture (TM-2): the node's
//! track (preStop, SIGTERM, the exit or SIGKILL) beside the network's (the EndpointSlice marking
//! the pod terminating, then each watcher acting on it after its own lag). The gap between them is
//! where requests fail.
use super::{Exit, Pod};
use crate::time::Ms;

/// The most tracks a run keeps (the oldest go first); a lab run deletes far fewer pods.
pub const TRACKS: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminationTrack {
    pub uid: u64,
    pub pod: String,
    pub image: String,
    // The node's track.
    pub deleted_at: Ms,
    pub grace_ms: Ms,
    /// When preStop ends and SIGTERM is sent (`deleted_at` without a hook).
    pub sigterm_at: Ms,
    /// When SIGKILL comes if the app is still running.
    pub kill_at: Ms,
    /// When the app ended, and how.
    pub exited: Option<(Ms, Exit)>,
    /// When the pod object went.
    pub gone_at: Option<Ms>,
    // The network's track.
    /// When the EndpointSlice stopped listing it ready: at deletion, or earlier when its
    /// readiness probe had already failed.
    pub endpoint_removed_at: Option<Ms>,
    /// When each node's kube-proxy stopped sending new connections to it, by node; `None` while
    /// one still does (or had stopped before the deletion).
    pub proxies: Vec<Option<Ms>>,
    /// The proxies had stopped routing to it before it was deleted (it was not ready).
    pub out_before: bool,
    /// When the ingress controller dropped it from its upstreams, when there is one.
    pub ingress: Option<Ms>,
}

impl TerminationTrack {
    pub(crate) fn begin(p: &Pod, proxies: usize, routed: bool) -> TerminationTrack {
        let d = p.deletion.unwrap_or_default();
        TerminationTrack {
            uid: p.uid,
            pod: p.name.clone(),
            image: p.image.clone(),
            deleted_at: d.deleted_at,
            grace_ms: d.grace_ms,
            sigterm_at: d.sigterm_at,
            kill_at: d.kill_at,
            exited: None,
            gone_at: None,
            endpoint_removed_at: p.endpoint_removed_at,
            proxies: vec![None; proxies],
            out_before: !routed,
            ingress: None,
        }
    }

    /// The last moment any proxy (or the ingress) still sent new connections to the pod.
    pub fn network_done_at(&self) -> Option<Ms> {
        let mut all = self.proxies.iter().copied().chain(self.ingress.map(Some));
        all.try_fold(None::<Ms>, |last, at| {
            at.map(|at| Some(last.map_or(at, |l| l.max(at))))
        })
        .flatten()
    }
}

/// The latest track of pod `uid` among `tracks`.
pub(crate) fn track(tracks: &mut [TerminationTrack], uid: u64) -> Option<&mut TerminationTrack> {
    tracks.iter_mut().rev().find(|t| t.uid == uid)
}

#[cfg(test)]
mod tests {
    use crate::cluster::Cluster;
    use crate::time::SECOND;

    #[test]
    fn a_deleted_pods_track_has_the_node_and_the_network_side_by_side() {
        // Three nodes whose proxies learn of a change 0.5 s to 1.5 s late, and no preStop: the
        // network's track ends after SIGTERM, which is the gap lesson 5 shows.
        let mut s = crate::lab::examples::parsed("rolling-without-readiness");
        s.network.propagation_jitter = crate::scenario::Duration(500);
        let mut c = Cluster::new(s);
        c.run_until(180 * SECOND);
        let t = c.terminations.first().expect("the rollout deleted a pod");
        assert_eq!(t.proxies.len(), 3, "one kube-proxy per node");
        assert_eq!(t.sigterm_at, t.deleted_at, "no preStop: SIGTERM at once");
        assert_eq!(t.endpoint_removed_at, Some(t.deleted_at));
        let drops: Vec<_> = t
            .proxies
            .iter()
            .map(|p| p.expect("every proxy dropped it"))
            .collect();
        assert!(
            drops
                .iter()
                .all(|d| (t.deleted_at + 500..=t.deleted_at + 1500).contains(d)),
            "{t:?}"
        );
        assert_eq!(t.network_done_at(), drops.iter().copied().max());
        let (exited, _) = t.exited.expect("the app ended");
        assert!(exited >= t.sigterm_at && exited <= t.kill_at, "{t:?}");
        assert!(t.gone_at.is_some_and(|g| g >= exited));
        assert!(!t.out_before);
        assert_eq!(c.terminations.len(), 3, "the three old pods");
    }
}
