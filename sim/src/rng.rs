//! The one source of randomness: a seeded xoshiro256** generator. Only exact float operations
//! (and libm's portable `log`) are used, so samples are identical natively and in wasm.

/// Its draws, like the other helpers of the per-request path, are `#[inline(always)]`: the page
/// builds the core for size (opt-level z), which would otherwise call each one.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // SplitMix64 spreads a small seed over the whole state.
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    #[inline(always)]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0).
    #[inline(always)]
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    #[inline(always)]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed with the given mean, rounded to whole milliseconds (at least `min`).
    #[inline(always)]
    pub fn exp_ms(&mut self, mean_ms: f64, min: i64) -> i64 {
        round(self.exp(mean_ms)).max(min)
    }

    /// Exponentially distributed with the given mean (inverse transform of a uniform sample).
    #[inline(always)]
    pub fn exp(&mut self, mean: f64) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        -ln(u) * mean
    }

    /// Five characters of Kubernetes' name alphabet (no vowels, no look-alikes), as in pod names.
    pub fn name_suffix(&mut self) -> String {
        (0..5)
            .map(|_| crate::api::NAME_ALPHABET[self.below(crate::api::NAME_ALPHABET.len())] as char)
            .collect()
    }
}

/// `x.round() as i64`, exactly, without the library call `round` is on x86-64's baseline (no
/// SSE4.1): truncate, then add one when the fraction (exact below 2^52) is at least a half.
#[inline(always)]
pub fn round(x: f64) -> i64 {
    if !(0.0..4_503_599_627_370_496.0).contains(&x) {
        return x.round() as i64;
    }
    let t = x as i64;
    t + i64::from(x - t as f64 >= 0.5)
}

/// `x.floor() as i64`, exactly: truncation is the floor of a non-negative number.
#[inline(always)]
pub fn floor(x: f64) -> i64 {
    if x >= 0.0 {
        x as i64
    } else {
        x.floor() as i64
    }
}

/// Natural logarithm for x in (0, 1], from exact IEEE operations only (so wasm and native agree
/// bit for bit) and a few times faster than a general `log`: x = m·2^e with m in [√½, √2), then
/// ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172, summed to s¹¹ (error < 1e-10).
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if e == -1023 {
        // Subnormal: unit() never returns one below 2^-53, but stay correct.
        return libm::log(x);
    }
    // Above √2, m is halved (exactly) and e raised, without a branch: for uniform samples the
    // comparison is a coin toss, and a mispredicted branch costs more than the multiply.
    let big = m > std::f64::consts::SQRT_2;
    m *= if big { 0.5 } else { 1.0 };
    e += i64::from(big);
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = s
        * (2.0
            + s2 * (2.0 / 3.0
                + s2 * (2.0 / 5.0 + s2 * (2.0 / 7.0 + s2 * (2.0 / 9.0 + s2 * (2.0 / 11.0))))));
    e as f64 * std::f64::consts::LN_2 + series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_and_floor_are_the_librarys() {
        let mut r = Rng::new(5);
        let special = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4503599627370495.5,
            1e300,
            -2.5,
            -0.5,
            f64::NAN,
        ];
        let drawn = (0..100_000).map(|i| r.exp(if i % 2 == 0 { 40.0 } else { 0.7 }));
        for x in special.into_iter().chain(drawn) {
            assert_eq!(round(x), x.round() as i64, "round({x})");
            assert_eq!(floor(x), x.floor() as i64, "floor({x})");
        }
    }

    #[test]
    fn ln_matches_libm() {
        let mut r = Rng::new(3);
        for _ in 0..100_000 {
            let x = 1.0 - r.unit();
            let (want, got) = (libm::log(x), ln(x));
            assert!(
                (want - got).abs() <= 1e-9 * want.abs().max(1e-300) + 1e-15,
                "ln({x}) = {got}, want {want}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((ln(2f64.powi(-53)) - libm::log(2f64.powi(-53))).abs() < 1e-12);
    }

    #[test]
    fn same_seed_same_stream_and_sane_ranges() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut r = Rng::new(1);
        let n = 100_000;
        let mean = (0..n).map(|_| r.exp_ms(40.0, 0) as f64).sum::<f64>() / n as f64;
        assert!((mean - 40.0).abs() < 1.0, "mean {mean}");
        assert!((0..n).all(|_| r.below(3) < 3));
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }
}
