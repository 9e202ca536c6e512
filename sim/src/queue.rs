//! The event queue of the discrete-event loop, ordered by (time, sequence number), so events at the
//! same millisecond run in the order they were scheduled, identically on every platform.
//!
//! Most events of a busy run are due within a few seconds (answers, timeouts, probes), so they go
//! in a timing wheel: one bucket per millisecond of the next `WHEEL` ms, each a FIFO list (pushes
//! come in sequence order, so a bucket is sorted by sequence) through one slab of entries reused
//! as they go (so a busy run touches the same few cache lines), and a bitmap to find the next full
//! bucket. Events further out (or, defensively, in the past) wait in a binary heap. The next event
//! is the smaller of the two fronts, so the order is exactly the heap's alone.
use crate::time::Ms;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Milliseconds the wheel covers ahead of the last event taken (a power of two).
const WHEEL: usize = 1 << 12;
const WORDS: usize = WHEEL / 64;
/// No entry: the end of a bucket's list, or of the free list.
const NIL: u32 = u32::MAX;

/// An event in the wheel, linked to the next of its bucket (or of the free list).
#[derive(Clone)]
struct Node<E> {
    seq: u64,
    next: u32,
    event: Option<E>,
}

#[derive(Clone)]
struct Entry<E> {
    at: Ms,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

#[derive(Clone)]
pub struct EventQueue<E> {
    /// Bucket `t % WHEEL` holds the events at `t`, for `base <= t < base + WHEEL`: its first and
    /// last node.
    wheel: Vec<(u32, u32)>,
    nodes: Vec<Node<E>>,
    free: u32,
    /// One bit per bucket: set when it holds an event.
    full: Vec<u64>,
    in_wheel: usize,
    /// The time of the wheel's earliest event, when it holds one.
    first: Ms,
    /// The time of the last event taken: nothing in the wheel is earlier.
    base: Ms,
    /// Events outside the wheel's span.
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            wheel: vec![(NIL, NIL); WHEEL],
            nodes: Vec::new(),
            free: NIL,
            full: vec![0; WORDS],
            in_wheel: 0,
            first: 0,
            base: 0,
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn at(&mut self, at: Ms, event: E) {
        self.seq += 1;
        let seq = self.seq;
        if at >= self.base && at - self.base < WHEEL as Ms {
            let b = at as usize % WHEEL;
            let node = Node {
                seq,
                next: NIL,
                event: Some(event),
            };
            let n = match self.free {
                NIL => {
                    self.nodes.push(node);
                    self.nodes.len() as u32 - 1
                }
                n => {
                    self.free = self.nodes[n as usize].next;
                    self.nodes[n as usize] = node;
                    n
                }
            };
            match self.wheel[b] {
                (NIL, _) => self.wheel[b] = (n, n),
                (_, last) => {
                    self.nodes[last as usize].next = n;
                    self.wheel[b].1 = n;
                }
            }
            self.full[b / 64] |= 1 << (b % 64);
            if self.in_wheel == 0 || at < self.first {
                self.first = at;
            }
            self.in_wheel += 1;
        } else {
            self.heap.push(Entry { at, seq, event });
        }
    }

    /// The time and bucket of the wheel's earliest event.
    #[inline(always)]
    fn wheel_front(&self) -> Option<(Ms, usize)> {
        (self.in_wheel > 0).then_some((self.first, self.first as usize % WHEEL))
    }

    /// The wheel's earliest event after bucket `from` (at time `at`) emptied: the next full bucket.
    fn next_full(&self, at: Ms, from: usize) -> Ms {
        let (mut word, bit) = (from / 64, from % 64);
        let mut bits = self.full[word] & (!0u64 << bit);
        // Every event in the wheel is within WHEEL of `at`: at most one lap of the words.
        for _ in 0..=WORDS {
            if bits != 0 {
                let b = word * 64 + bits.trailing_zeros() as usize;
                return at + ((b + WHEEL - from) % WHEEL) as Ms;
            }
            word = (word + 1) % WORDS;
            bits = self.full[word];
        }
        unreachable!("the wheel holds {} events in no bucket", self.in_wheel)
    }

    pub fn next_time(&self) -> Option<Ms> {
        self.next_key().map(|(at, _)| at)
    }

    /// (time, sequence) of the next event.
    #[inline(always)]
    pub fn next_key(&self) -> Option<(Ms, u64)> {
        let wheel = self
            .wheel_front()
            .map(|(at, b)| (at, self.nodes[self.wheel[b].0 as usize].seq));
        let heap = self.heap.peek().map(|e| (e.at, e.seq));
        match (wheel, heap) {
            (Some(w), Some(h)) => Some(w.min(h)),
            (w, h) => w.or(h),
        }
    }

    /// A sequence number for an event kept outside the queue, so it still sorts among the others.
    pub fn take_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn pop(&mut self) -> Option<(Ms, E)> {
        let wheel = self
            .wheel_front()
            .map(|(at, b)| (at, self.nodes[self.wheel[b].0 as usize].seq, b));
        let heap = self.heap.peek().map(|e| (e.at, e.seq));
        let (at, event) = match (wheel, heap) {
            (Some((at, seq, b)), h) if h.is_none_or(|h| (at, seq) < h) => {
                let n = self.wheel[b].0;
                let node = &mut self.nodes[n as usize];
                let (event, next) = (node.event.take()?, node.next);
                node.next = self.free;
                self.free = n;
                self.wheel[b].0 = next;
                self.in_wheel -= 1;
                if next == NIL {
                    self.wheel[b].1 = NIL;
                    self.full[b / 64] &= !(1 << (b % 64));
                    if self.in_wheel > 0 {
                        self.first = self.next_full(at, b);
                    }
                }
                (at, event)
            }
            _ => self.heap.pop().map(|e| (e.at, e.event))?,
        };
        // Never backwards: an event scheduled in the past (the heap keeps those) leaves `base`.
        self.base = self.base.max(at);
        Some((at, event))
    }

    pub fn len(&self) -> usize {
        self.in_wheel + self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_in_scheduling_order() {
        let mut s = EventQueue::default();
        for (at, name) in [(5, "c"), (1, "a"), (5, "d"), (1, "b"), (0, "first")] {
            s.at(at, name);
        }
        let order: Vec<_> = std::iter::from_fn(|| s.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["first", "a", "b", "c", "d"]);
    }

    /// The wheel and the heap together give exactly a plain heap's order, for events near and far,
    /// at the same millisecond from both, and scheduled in the past.
    #[test]
    fn the_same_order_as_a_heap_alone() {
        let mut rng = crate::rng::Rng::new(11);
        let (mut q, mut heap) = (EventQueue::default(), BinaryHeap::new());
        let mut now: Ms = 0;
        let mut seq = 0u64;
        let mut taken = Vec::new();
        for round in 0..200_000u64 {
            if rng.below(3) > 0 || heap.is_empty() {
                let ahead = match rng.below(10) {
                    0 => rng.below(5 * WHEEL) as Ms,
                    1 => -(rng.below(50) as Ms),
                    2 => WHEEL as Ms - 1 + rng.below(3) as Ms,
                    _ => rng.below(60) as Ms,
                };
                seq += 1;
                q.at(now + ahead, round);
                heap.push(Entry {
                    at: now + ahead,
                    seq,
                    event: round,
                });
            } else {
                let want = heap.pop().map(|e| (e.at, e.event));
                assert_eq!(q.next_time(), want.map(|w| w.0));
                let got = q.pop();
                assert_eq!(got, want, "after {} events", taken.len());
                now = now.max(got.map_or(now, |g| g.0));
                taken.push(got);
            }
            assert_eq!(q.len(), heap.len());
        }
        assert!(taken.len() > 50_000);
    }
}
