//! The event queue of the discrete-event loop: a binary heap ordered by (time, sequence number), so events at the
//! same millisecond run in the order they were scheduled, identically on every platform.
use crate::time::Ms;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn at(&mut self, at: Ms, event: E) {
        self.seq += 1;
        self.heap.push(Entry {
            at,
            seq: self.seq,
            event,
        });
    }

    pub fn next_time(&self) -> Option<Ms> {
        self.heap.peek().map(|e| e.at)
    }

    /// (time, sequence) of the next event.
    pub fn next_key(&self) -> Option<(Ms, u64)> {
        self.heap.peek().map(|e| (e.at, e.seq))
    }

    /// A sequence number for an event kept outside the heap, so it still sorts among the others.
    pub fn take_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn pop(&mut self) -> Option<(Ms, E)> {
        self.heap.pop().map(|e| (e.at, e.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
}
