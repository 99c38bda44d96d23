//! Moduli: an odd modulus with its Montgomery parameters, conversions into and out of the
//! Montgomery domain, reductions, and the AVX-512 IFMA parameters.

use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroize;

use crate::*;

/// An odd modulus `m` and its Montgomery parameters for `R = 2^(28·n)`, with `4m ≤ R`.
pub struct Modulus {
    pub(crate) m: Vec<u64>,
    /// −m^-1 mod 2^28.
    pub(crate) mu: u64,
    /// R mod m.
    pub(crate) one: Vec<u64>,
    /// R^2 mod m.
    pub(crate) r2: Vec<u64>,
    /// R^3 mod m.
    pub(crate) r3: Vec<u64>,
    pub(crate) bits: usize,
    /// The same modulus for the AVX-512 IFMA code, when it fits and the CPU runs that code
    /// (only then is it built).
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    pub(crate) ifma: Option<ifma::Params>,
}

impl Drop for Modulus {
    fn drop(&mut self) {
        self.m.zeroize();
        self.mu.zeroize();
        self.one.zeroize();
        self.r2.zeroize();
        self.r3.zeroize();
    }
}

impl core::fmt::Debug for Modulus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Modulus({} bits, {} limbs)", self.bits, self.m.len())
    }
}

/// Limbs needed for a modulus of `bits` bits so that `4m ≤ R`.
pub const fn limbs_for_bits(bits: usize) -> usize {
    let n = (bits + 2).div_ceil(LIMB_BITS as usize);
    if n < 2 {
        2
    } else {
        n
    }
}

/// Limbs of a 1024-bit CRT half (RSA-2048): fixed-size code.
pub(crate) const H1024: usize = limbs_for_bits(1024);
/// Limbs of a 1536-bit CRT half (RSA-3072): fixed-size code.
pub(crate) const H1536: usize = limbs_for_bits(1536);
/// Limbs of a 2048-bit CRT half (RSA-4096): fixed-size code.
pub(crate) const H2048: usize = limbs_for_bits(2048);

impl Modulus {
    /// An odd big-endian modulus of at most [`MAX_BITS`] bits, with the fewest limbs that
    /// leave `4m ≤ R`.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let bits = be_bits(bytes);
        Self::with_limbs(bytes, limbs_for_bits(bits))
    }

    /// The same with a given number of limbs (at least [`limbs_for_bits`] of its length), so
    /// that two CRT halves can share one `R`.
    pub fn with_limbs(bytes: &[u8], limbs: usize) -> Option<Self> {
        let bits = be_bits(bytes);
        if !(2..=MAX_BITS).contains(&bits) || limbs < limbs_for_bits(bits) {
            return None;
        }
        let m = Nat::from_be_bytes(bytes, limbs)?;
        if m.0[0] & 1 == 0 {
            return None;
        }
        let mu = neg_inverse(m.0[0]) & MASK;
        let r_bits = limbs * LIMB_BITS as usize;
        // R mod m: 2^(bits−1), below m (odd, with that top bit), doubled up to 2^(L·n).
        let mut one = vec![0u64; limbs];
        one[(bits - 1) / LIMB_BITS as usize] = 1 << ((bits - 1) % LIMB_BITS as usize);
        for _ in bits - 1..r_bits {
            double_mod(&mut one, &m.0);
        }
        let mut modulus = Modulus {
            m: m.0.clone(),
            mu,
            one,
            r2: Vec::new(),
            r3: Vec::new(),
            bits,
            #[cfg(all(target_arch = "x86_64", feature = "std"))]
            ifma: None,
        };
        // R^2 mod m, the Montgomery form of 2^(L·n): square-and-double from that of 2 (2R mod
        // m) over the bits of L·n. A few products, where doubling all the way from R took
        // L·n more steps (most of a key's set-up); the steps depend on the length alone.
        let mut x = Nat(modulus.one.clone());
        double_mod(&mut x.0, &modulus.m);
        for bit in (0..r_bits.ilog2()).rev() {
            x = modulus.reduce(&modulus.mont_mul(&x, &x));
            if (r_bits >> bit) & 1 == 1 {
                double_mod(&mut x.0, &modulus.m);
            }
        }
        modulus.r2 = core::mem::take(&mut x.0);
        let mut r3 = modulus.mont_mul(&Nat(modulus.r2.clone()), &Nat(modulus.r2.clone()));
        reduce_slices(&mut r3.0, &modulus.m);
        modulus.r3 = core::mem::take(&mut r3.0);
        #[cfg(all(target_arch = "x86_64", feature = "std"))]
        if ifma::available() {
            modulus.ifma = modulus.ifma_params();
        }
        Some(modulus)
    }

    /// Number of limbs `n` (`R = 2^(28n)`).
    pub fn limbs(&self) -> usize {
        self.m.len()
    }

    /// Bit length of the modulus.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Whether [`Modulus::pow`] runs on the AVX-512 IFMA code for this modulus (where
    /// [`ifma_in_use`], up to 2442 bits); for tests and measurements (the feature `test-api`).
    #[cfg(feature = "test-api")]
    pub fn on_ifma(&self) -> bool {
        #[cfg(all(target_arch = "x86_64", feature = "std"))]
        return self.ifma.is_some();
        #[cfg(not(all(target_arch = "x86_64", feature = "std")))]
        return false;
    }

    /// The modulus itself.
    pub fn value(&self) -> Nat {
        Nat(self.m.clone())
    }

    /// Montgomery multiplication `a · b · R^-1 mod m`, in `[0, 2m)` when `a · b < R · m`.
    pub fn mont_mul(&self, a: &Nat, b: &Nat) -> Nat {
        let mut out = vec![0u64; self.m.len()];
        let mut t = vec![0 as Acc; self.m.len()];
        mont_mul_slices(&mut out, &mut t, &a.0, &b.0, &self.m, self.mu);
        Nat(out)
    }

    /// The Montgomery form `x · R mod m` of `x < R`, in `[0, 2m)`.
    pub fn to_mont(&self, x: &Nat) -> Nat {
        self.mont_mul(x, &Nat(self.r2.clone()))
    }

    /// `x · R^-1 mod m`, fully reduced to `[0, m)`, for `x < R`: leaves the Montgomery domain.
    pub fn from_mont(&self, x: &Nat) -> Nat {
        let mut unit = vec![0u64; self.m.len()];
        unit[0] = 1;
        let mut out = self.mont_mul(x, &Nat(unit));
        reduce_slices(&mut out.0, &self.m);
        out
    }

    /// `x mod m` for `x < 2m` (a masked subtraction).
    pub fn reduce(&self, x: &Nat) -> Nat {
        let mut out = x.clone();
        reduce_slices(&mut out.0, &self.m);
        out
    }

    /// The Montgomery form, in `[0, 2m)`, of a number `x < m · R` given as `2n` digits
    /// (e.g. a value modulo `p·q` reduced modulo `p`, when `q < R`).
    pub fn reduce_wide_to_mont(&self, x: &Nat) -> Nat {
        let n = self.m.len();
        let (lo, hi) = x.0.split_at(n);
        assert_eq!(hi.len(), n);
        // x·R = lo·R + hi·R²: MontMul(lo, R²) + MontMul(hi, R³).
        let mut a = self.mont_mul(&Nat(lo.to_vec()), &Nat(self.r2.clone()));
        let mut b = self.mont_mul(&Nat(hi.to_vec()), &Nat(self.r3.clone()));
        reduce_slices(&mut a.0, &self.m);
        reduce_slices(&mut b.0, &self.m);
        add(&a, &b)
    }

    /// `a − b mod m` in the Montgomery domain for `a, b < 2m`: the result `a + 2m − b` is in
    /// `(0, 4m)`, a valid operand of [`Modulus::mont_mul`] against a fully reduced one.
    pub fn sub_lazy(&self, a: &Nat, b: &Nat) -> Nat {
        let two_m: Vec<u64> = self.m.iter().map(|d| d << 1).collect();
        let mut out: Vec<u64> =
            a.0.iter()
                .zip(&two_m)
                .zip(&b.0)
                .map(|((x, y), z)| (x + y).wrapping_sub(*z))
                .collect();
        // Signed digits: propagate borrows arithmetically.
        let mut carry = 0i64;
        for d in out.iter_mut() {
            let v = (*d as i64) + carry;
            *d = (v as u64) & MASK;
            carry = v >> LIMB_BITS;
        }
        Nat(core::mem::take(&mut out))
    }
}

#[cfg(all(target_arch = "x86_64", feature = "std"))]
impl Modulus {
    /// The IFMA code's parameters, `R' = 2^(52·D)`: `R'² mod m` is `2^k mod m` taken into
    /// this modulus's Montgomery domain `j` times (each step multiplies by `R = 2^(L·n)`), with
    /// `2·52·D = j·L·n + k`, `k < L·n`; `None` when the modulus is too long for it. (`j` is 0
    /// for the shorter prime of a CRT key whose primes differ by more than a factor of about
    /// two in length, as both halves get the longer one's limbs: hence `2^k` is reduced first.)
    pub(crate) fn ifma_params(&self) -> Option<ifma::Params> {
        let digits = ifma::digits_for_bits(self.bits);
        if !ifma::fits(digits) {
            return None;
        }
        let exponent = 2 * ifma::DIGIT_BITS as usize * digits;
        let r_bits = LIMB_BITS as usize * self.m.len();
        let (steps, k) = (exponent / r_bits, exponent % r_bits);
        let mut x = Nat::zero(self.m.len());
        x.0[k / LIMB_BITS as usize] = 1 << (k % LIMB_BITS as usize);
        x = self.from_mont(&self.to_mont(&x));
        for _ in 0..steps {
            x = self.reduce(&self.to_mont(&x));
        }
        let mut m = vec![0u64; digits];
        let mut r2 = vec![0u64; digits];
        ifma::redigit(&self.m, LIMB_BITS, &mut m, ifma::DIGIT_BITS);
        ifma::redigit(&x.0, LIMB_BITS, &mut r2, ifma::DIGIT_BITS);
        ifma::Params::new(m, r2)
    }

    /// A value in Montgomery form (`R = 2^(L·n)`) as the IFMA code's plain 52-bit digits.
    pub(crate) fn ifma_digits(&self, mont: &Nat) -> Nat {
        let plain = self.from_mont(mont);
        let mut digits = vec![0u64; ifma::digits_for_bits(self.bits)];
        ifma::redigit(&plain.0, LIMB_BITS, &mut digits, ifma::DIGIT_BITS);
        Nat(digits)
    }

    /// The IFMA code's plain result (below `m`) back in Montgomery form, in `[0, 2m)`.
    pub(crate) fn mont_from_ifma(&self, plain: Nat) -> Nat {
        let mut digits = Nat::zero(self.m.len());
        ifma::redigit(&plain.0, ifma::DIGIT_BITS, &mut digits.0, LIMB_BITS);
        self.to_mont(&digits)
    }

    /// Both CRT exponentiations at once on IFMA, when both moduli have its parameters (so the
    /// CPU runs it) with the same digit count.
    pub(crate) fn pow_pair_ifma(
        &self,
        base: &Nat,
        exp: &Exponent,
        other: &Modulus,
        other_base: &Nat,
        other_exp: &Exponent,
    ) -> Option<[Nat; 2]> {
        let (a, b) = (self.ifma.as_ref()?, other.ifma.as_ref()?);
        if a.digits() != b.digits() {
            return None;
        }
        let (x, y) = (self.ifma_digits(base), other.ifma_digits(other_base));
        let windows = exp.bits.max(other_exp.bits).div_ceil(WINDOW);
        let [u, v] = ifma::pow(
            [(a, &x.0, &exp.words), (b, &y.0, &other_exp.words)],
            windows,
        );
        Some([self.mont_from_ifma(Nat(u)), other.mont_from_ifma(Nat(v))])
    }
}

/// `x = 2x mod m` for `x < m` (a shift, a carry pass, a masked subtraction).
fn double_mod(x: &mut [u64], m: &[u64]) {
    for d in x.iter_mut() {
        *d <<= 1;
    }
    normalize(x);
    reduce_slices(x, m);
}

/// Bit length of a big-endian number (public lengths only: it branches on the bytes).
pub(crate) fn be_bits(bytes: &[u8]) -> usize {
    let mut bits = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != 0 {
            bits = (bytes.len() - i) * 8 - b.leading_zeros() as usize;
            break;
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_digits() {
        let secret = Nat::from_be_bytes(&[0x12, 0x34, 0x56, 0x78, 0x9a], 2).unwrap();
        assert_eq!(alloc::format!("{secret:?}"), "Nat([2 limbs])");
        // (Leading zero bytes do not count.)
        let prime = Modulus::from_be_bytes(&[0x00, 0x7f, 0xff]).unwrap();
        assert_eq!(alloc::format!("{prime:?}"), "Modulus(15 bits, 2 limbs)");
    }

    /// The fewest digits with `4m ≤ R` for every `m` of `bits` bits, i.e. `L·n ≥ bits + 2`,
    /// and never fewer than two.
    #[test]
    fn limbs_are_the_fewest_that_hold_four_times_the_modulus() {
        let l = LIMB_BITS as usize;
        for bits in 1..=MAX_BITS {
            let n = limbs_for_bits(bits);
            assert!(l * n >= bits + 2, "{bits} bits in {n} limbs");
            assert!(
                n == 2 || l * (n - 1) < bits + 2,
                "{bits} bits in {n} limbs, one too many"
            );
        }
        assert_eq!(limbs_for_bits(1), 2);
    }

    #[test]
    fn moduli_must_be_odd_and_within_bounds() {
        assert!(Modulus::from_be_bytes(&[0x0f, 0xfe]).is_none());
        assert!(Modulus::from_be_bytes(&[0x01]).is_none());
        assert!(Modulus::from_be_bytes(&[0x03]).is_some());
        assert!(Modulus::with_limbs(&[0xff; 40], limbs_for_bits(320) - 1).is_none());
        assert!(Modulus::from_be_bytes(&vec![0xff; MAX_BITS / 8 + 1]).is_none());
    }
}
