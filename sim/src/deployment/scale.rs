//! `sync()` in sync.go: what a paused Deployment or a change of `replicas` does — proportional
//! scaling across every active ReplicaSet (§6, PS-1..PS-7), and status without a rollout.
use super::util::*;
use super::{by_creation, SyncContext};
use std::cmp::Ordering;

impl SyncContext<'_> {
    pub fn sync(&mut self) {
        let new = self.new_rs_synced(false);
        let old = self.old_rss(new);
        self.scale_proportionally(new, &old);
        if self.d.spec.paused {
            super::history::cleanup_deployment(self, &old);
        }
        let status = super::progress::calculate_status(self, self.new_rs());
        self.d.status = status;
    }

    /// `scale` (PS-1..PS-6).
    pub fn scale_proportionally(&mut self, new: Option<usize>, old: &[usize]) {
        // PS-1
        if let Some(i) = self.active_or_latest(new, old) {
            let replicas = self.d.spec.replicas;
            self.scale_and_record(i, replicas);
            return;
        }
        // PS-2
        if new.is_some_and(|n| is_saturated(self.d, &self.rss[n])) {
            for i in self.active(old) {
                self.scale_and_record(i, 0);
            }
            return;
        }
        // PS-3 (RollingUpdate only, PS-7)
        if !self.d.spec.is_rolling() {
            return;
        }
        let mut all: Vec<usize> = old.to_vec();
        all.extend(new);
        let mut all = self.active(&all);
        let current = spec_total(all.iter().map(|&i| &self.rss[i]));
        let allowed = if self.d.spec.replicas > 0 {
            self.d.spec.replicas + max_surge(self.d)
        } else {
            0
        };
        let to_add = allowed - current;
        let rss = &*self.rss;
        crate::order::sort_by(&mut all, |&a, &b| {
            let (a, b) = (&rss[a], &rss[b]);
            b.replicas
                .cmp(&a.replicas)
                .then_with(|| match to_add.cmp(&0) {
                    Ordering::Greater => by_creation(b, a), // newer first when growing
                    _ => by_creation(a, b),                 // older first when shrinking
                })
        });
        // PS-4
        let mut added = 0;
        let mut sizes: Vec<i32> = Vec::with_capacity(all.len());
        for &i in &all {
            let mut size = self.rss[i].replicas;
            if to_add != 0 {
                let p = proportion(&self.rss[i], self.d, to_add, added);
                size += p;
                added += p;
            }
            sizes.push(size);
        }
        // PS-6: leftovers go to the largest.
        if to_add != 0 {
            if let Some(first) = sizes.first_mut() {
                *first = (*first + to_add - added).max(0);
            }
        }
        for (&i, size) in all.iter().zip(sizes) {
            self.scale(i, size);
        }
    }

    /// `FindActiveOrLatest`: the only active RS; with none active, the new RS or the newest old one.
    fn active_or_latest(&self, new: Option<usize>, old: &[usize]) -> Option<usize> {
        if new.is_none() && old.is_empty() {
            return None;
        }
        let mut all: Vec<usize> = old.to_vec();
        all.extend(new);
        let active = self.active(&all);
        match active.as_slice() {
            [] => new.or_else(|| {
                old.iter()
                    .copied()
                    .max_by(|&a, &b| by_creation(&self.rss[a], &self.rss[b]))
            }),
            [one] => Some(*one),
            _ => None,
        }
    }
}
