//! The RSA private operation with the CRT on two primes.

use crate::*;

/// The code a [`CrtKey`]'s halves run on ([`CrtKey::path`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrtPath {
    /// The fixed-size code for the limb count of a 1024-bit prime (RSA-2048).
    Fixed1024,
    /// The fixed-size code for the limb count of a 1536-bit prime (RSA-3072).
    Fixed1536,
    /// The fixed-size code for the limb count of a 2048-bit prime (RSA-4096).
    Fixed2048,
    /// The loop over runtime-length slices (every other limb count).
    RuntimeLength,
}

/// The RSA private operation with the CRT (RFC 8017 §5.2.1, 2.b) on two primes.
pub struct CrtKey {
    p: Modulus,
    q: Modulus,
    dp: Exponent,
    dq: Exponent,
    /// q^-1 mod p, fully reduced, not in Montgomery form.
    q_inv: Nat,
    /// q as a number of the same digits as p's modulus.
    q_value: Nat,
}

impl CrtKey {
    /// From big-endian `p`, `q`, `dP`, `dQ`, `qInv`. The halves share one limb count (that
    /// of the longer prime); exponents are processed over the bit length of their prime.
    /// `None` if a value is out of range.
    pub fn new(p: &[u8], q: &[u8], dp: &[u8], dq: &[u8], q_inv: &[u8]) -> Option<Self> {
        let limbs = limbs_for_bits(be_bits(p).max(be_bits(q)));
        let p = Modulus::with_limbs(p, limbs)?;
        let q = Modulus::with_limbs(q, limbs)?;
        let dp = Exponent::from_be_bytes(dp, p.bits)?;
        let dq = Exponent::from_be_bytes(dq, q.bits)?;
        let q_inv = Nat::from_be_bytes(q_inv, limbs)?;
        Some(CrtKey {
            q_value: q.value(),
            p,
            q,
            dp,
            dq,
            q_inv,
        })
    }

    /// Limbs of each half.
    pub fn half_limbs(&self) -> usize {
        self.p.limbs()
    }

    /// Which code the halves run on, by their limb count: the fixed-size code of a prime of
    /// 1024, 1536 or 2048 bits (e.g. primes of 1023 to 1078 bits with 60-bit limbs), else the
    /// runtime-length loop.
    pub fn path(&self) -> CrtPath {
        match self.p.limbs() {
            H1024 => CrtPath::Fixed1024,
            H1536 => CrtPath::Fixed1536,
            H2048 => CrtPath::Fixed2048,
            _ => CrtPath::RuntimeLength,
        }
    }

    /// `cp^dP` and `cq^dQ` in Montgomery form: both at once on IFMA where it runs.
    fn pow_halves(&self, cp: &Nat, cq: &Nat) -> [Nat; 2] {
        #[cfg(all(target_arch = "x86_64", feature = "std"))]
        if let Some(pair) = self.p.pow_pair_ifma(cp, &self.dp, &self.q, cq, &self.dq) {
            return pair;
        }
        [self.p.pow(cp, &self.dp), self.q.pow(cq, &self.dq)]
    }

    /// `c^d mod pq` for `c < pq` given as `2 · half_limbs()` digits; the result has as many.
    pub fn private_op(&self, c: &Nat) -> Nat {
        let n = self.p.limbs();
        // m1 = c^dP mod p (kept in Montgomery form), m2 = c^dQ mod q.
        let (cp, cq) = (self.p.reduce_wide_to_mont(c), self.q.reduce_wide_to_mont(c));
        let [m1, m2] = self.pow_halves(&cp, &cq);
        let m2 = self.q.from_mont(&m2);
        // h = qInv (m1 − m2) mod p, out of the Montgomery domain by the product with qInv.
        let diff = self.p.sub_lazy(&m1, &self.p.to_mont(&m2));
        let h = self.p.reduce(&self.p.mont_mul(&diff, &self.q_inv));
        // s = m2 + q h < p q.
        let qh = mul_wide(&self.q_value, &h);
        add(&qh, &m2.resized(2 * n))
    }
}
