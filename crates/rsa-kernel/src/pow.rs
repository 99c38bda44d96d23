//! Fixed-window exponentiation in the Montgomery domain: the exponent, the masked table
//! scan, and the fixed-size and runtime-length loops.

use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroize;

use crate::*;

/// Reads bit `pos` of a little-endian `u64` word vector (public position).
#[inline(always)]
pub(crate) fn bit(words: &[u64], pos: usize) -> u64 {
    words.get(pos / 64).map_or(0, |w| (w >> (pos % 64)) & 1)
}

/// Window `k` (counted from the least significant) of the exponent.
#[inline(always)]
pub(crate) fn window(exp: &[u64], k: usize) -> u64 {
    let mut w = 0;
    for i in 0..WINDOW {
        w |= bit(exp, k * WINDOW + i) << i;
    }
    w
}

/// Copies into `out` the table entry `idx`, reading every entry (masked scan).
#[inline(always)]
pub(crate) fn select_slices(out: &mut [u64], table: &[u64], idx: u64) {
    let n = out.len();
    assert_eq!(table.len(), TABLE * n);
    out.fill(0);
    for (k, entry) in table.chunks_exact(n).enumerate() {
        let mask = ct_eq_mask(k as u64, idx);
        for (o, t) in out.iter_mut().zip(entry) {
            *o |= t & mask;
        }
    }
}

/// Work buffers of one exponentiation.
pub(crate) struct PowScratch<'a> {
    table: &'a mut [u64],
    acc: &'a mut [u64],
    tmp: &'a mut [u64],
    sel: &'a mut [u64],
}

/// Fixed-window exponentiation in the Montgomery domain: `acc = base^exp` (Montgomery form,
/// in `[0, 2m)`), over exactly `windows` windows of the exponent; `one` is `R mod m`.
#[inline(always)]
pub(crate) fn pow_slices(
    s: PowScratch<'_>,
    one: &[u64],
    base: &[u64],
    exp: &[u64],
    windows: usize,
    mut mul: impl FnMut(&mut [u64], &[u64], &[u64]),
    mut sqr: impl FnMut(&mut [u64], &[u64]),
) {
    let n = one.len();
    let PowScratch {
        table,
        acc,
        tmp,
        sel,
    } = s;
    table[..n].copy_from_slice(one);
    table[n..2 * n].copy_from_slice(base);
    for k in 2..TABLE {
        let (done, rest) = table.split_at_mut(k * n);
        mul(&mut rest[..n], &done[(k - 1) * n..], base);
    }
    if windows == 0 {
        acc.copy_from_slice(one);
        return;
    }
    select_slices(acc, table, window(exp, windows - 1));
    for k in (0..windows - 1).rev() {
        for _ in 0..WINDOW / 2 {
            sqr(tmp, acc);
            sqr(acc, tmp);
        }
        select_slices(sel, table, window(exp, k));
        mul(tmp, acc, sel);
        acc.copy_from_slice(tmp);
    }
    tmp.zeroize();
    sel.zeroize();
    table.zeroize();
}

/// The exponentiation with every length a constant `N` (on the stack).
pub(crate) fn pow_fixed<const N: usize>(
    m: &Modulus,
    base: &[u64],
    exp: &[u64],
    windows: usize,
    out: &mut [u64],
) {
    let mut mm = [0u64; N];
    mm.copy_from_slice(&m.m);
    let mut table = [[0u64; N]; TABLE];
    let (mut acc, mut tmp, mut sel) = ([0u64; N], [0u64; N], [0u64; N]);
    let mu = m.mu;
    let mul = |o: &mut [u64], a: &[u64], b: &[u64]| {
        let o: &mut [u64; N] = o.try_into().expect("length N");
        let a: &[u64; N] = a.try_into().expect("length N");
        let b: &[u64; N] = b.try_into().expect("length N");
        mont_mul_fixed(o, a, b, &mm, mu);
    };
    let sqr = |o: &mut [u64], a: &[u64]| {
        let o: &mut [u64; N] = o.try_into().expect("length N");
        let a: &[u64; N] = a.try_into().expect("length N");
        mont_sqr_fixed(o, a, &mm, mu);
    };
    pow_slices(
        PowScratch {
            table: table.as_flattened_mut(),
            acc: &mut acc,
            tmp: &mut tmp,
            sel: &mut sel,
        },
        &m.one,
        base,
        exp,
        windows,
        mul,
        sqr,
    );
    out.copy_from_slice(&acc);
    acc.zeroize();
    mm.zeroize();
}

/// The exponentiation for any length (heap buffers).
pub(crate) fn pow_dyn(m: &Modulus, base: &[u64], exp: &[u64], windows: usize, out: &mut [u64]) {
    let n = m.m.len();
    let mut table = vec![0u64; TABLE * n];
    let (mut tmp, mut sel) = (vec![0u64; n], vec![0u64; n]);
    let (mut t, mut t2) = (vec![0 as Acc; n], vec![0 as Acc; n]);
    let mul = |o: &mut [u64], a: &[u64], b: &[u64]| mont_mul_slices(o, &mut t, a, b, &m.m, m.mu);
    let sqr = |o: &mut [u64], a: &[u64]| mont_mul_slices(o, &mut t2, a, a, &m.m, m.mu);
    pow_slices(
        PowScratch {
            table: &mut table,
            acc: out,
            tmp: &mut tmp,
            sel: &mut sel,
        },
        &m.one,
        base,
        exp,
        windows,
        mul,
        sqr,
    );
}

/// An exponent: little-endian 64-bit words and a public number of bits to process.
pub struct Exponent {
    pub(crate) words: Vec<u64>,
    pub(crate) bits: usize,
}

impl Drop for Exponent {
    fn drop(&mut self) {
        self.words.zeroize();
    }
}

impl Exponent {
    /// A big-endian exponent processed over exactly `bits` bits (a public length); `None` if
    /// it has more significant bits.
    pub fn from_be_bytes(bytes: &[u8], bits: usize) -> Option<Self> {
        let mut words = vec![0u64; bits.div_ceil(64).max(1)];
        let mut overflow = 0u64;
        for (i, &byte) in bytes.iter().rev().enumerate() {
            let b = u64::from(byte);
            if 8 * i + 8 <= bits {
                words[i / 8] |= b << (8 * (i % 8));
            } else if 8 * i < bits {
                let keep = bits - 8 * i;
                words[i / 8] |= (b & ((1 << keep) - 1)) << (8 * (i % 8));
                overflow |= b >> keep;
            } else {
                overflow |= b;
            }
        }
        if overflow != 0 {
            words.zeroize();
            return None;
        }
        Some(Exponent { words, bits })
    }

    /// Bits processed.
    pub fn bits(&self) -> usize {
        self.bits
    }
}

impl Modulus {
    /// `base^exp` in the Montgomery domain (`base` and the result in Montgomery form,
    /// the result in `[0, 2m)`), constant-time in `base` and `exp` for a fixed
    /// `exp.bits()`. Fixed-size code for the limb counts of 1024-, 1536- and 2048-bit CRT
    /// halves (37, 55, 74 limbs of 28 bits; 18, 26, 35 of 60 bits), a runtime-length loop
    /// otherwise; the AVX-512 IFMA code instead where it runs (see DESIGN.md).
    pub fn pow(&self, base: &Nat, exp: &Exponent) -> Nat {
        #[cfg(all(target_arch = "x86_64", feature = "std"))]
        if let Some(params) = &self.ifma {
            let x = self.ifma_digits(base);
            let [y] = ifma::pow([(params, &x.0, &exp.words)], exp.bits.div_ceil(WINDOW));
            return self.mont_from_ifma(Nat(y));
        }
        self.portable_pow(base, exp)
    }

    /// [`Modulus::pow`] on the portable code even where AVX-512 IFMA is available (for tests
    /// and measurements; the feature `test-api`).
    #[cfg(feature = "test-api")]
    pub fn pow_portable(&self, base: &Nat, exp: &Exponent) -> Nat {
        self.portable_pow(base, exp)
    }

    /// The portable exponentiation: the fixed-size code for the fixed sizes, else the loop.
    fn portable_pow(&self, base: &Nat, exp: &Exponent) -> Nat {
        let n = self.m.len();
        assert_eq!(base.0.len(), n);
        let windows = exp.bits.div_ceil(WINDOW);
        let mut out = vec![0u64; n];
        match n {
            H1024 => pow_fixed::<H1024>(self, &base.0, &exp.words, windows, &mut out),
            H1536 => pow_fixed::<H1536>(self, &base.0, &exp.words, windows, &mut out),
            H2048 => pow_fixed::<H2048>(self, &base.0, &exp.words, windows, &mut out),
            _ => pow_dyn(self, &base.0, &exp.words, windows, &mut out),
        }
        Nat(out)
    }

    /// [`Modulus::pow`] always on the runtime-length path (for tests and measurements; the
    /// feature `test-api`).
    #[cfg(feature = "test-api")]
    pub fn pow_runtime_length(&self, base: &Nat, exp: &Exponent) -> Nat {
        let n = self.m.len();
        assert_eq!(base.0.len(), n);
        let mut out = vec![0u64; n];
        pow_dyn(
            self,
            &base.0,
            &exp.words,
            exp.bits.div_ceil(WINDOW),
            &mut out,
        );
        Nat(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_refuse_more_bits_than_declared() {
        assert!(Exponent::from_be_bytes(&[0x01, 0x00, 0x01], 17).is_some());
        assert!(Exponent::from_be_bytes(&[0x02, 0x00, 0x01], 17).is_none());
        assert!(Exponent::from_be_bytes(&[0x00, 0x00, 0x01, 0x00, 0x01], 17).is_some());
        // A set bit in a byte wholly past the declared length.
        assert!(Exponent::from_be_bytes(&[0x01, 0x00, 0x00, 0x01], 17).is_none());
        assert_eq!(
            Exponent::from_be_bytes(&[0x01, 0x00, 0x01], 17).map(|e| e.bits()),
            Some(17)
        );
    }

    /// Small moduli against plain `u128` arithmetic (an oracle independent of every bignum).
    #[test]
    fn small_moduli_equal_u128_arithmetic() {
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2000 {
            let m = (next() >> 1) | 1 | (1 << 62); // 63 bits, odd
            let modulus = Modulus::from_be_bytes(&m.to_be_bytes()).unwrap();
            let n = modulus.limbs();
            let (x, e) = (next() % m, next());
            let nat = |v: u64| Nat::from_be_bytes(&v.to_be_bytes(), n).unwrap();
            let val = |v: &Nat| {
                let b = v.to_be_bytes(16).unwrap();
                u128::from_be_bytes(b.try_into().unwrap())
            };
            // x·y mod m
            let y = next() % m;
            let xy = modulus
                .from_mont(&modulus.mont_mul(&modulus.to_mont(&nat(x)), &modulus.to_mont(&nat(y))));
            assert_eq!(val(&xy), u128::from(x) * u128::from(y) % u128::from(m));
            // x^e mod m by square-and-multiply in u128
            let mut expected: u128 = 1;
            for bit in (0..64).rev() {
                expected = expected * expected % u128::from(m);
                if (e >> bit) & 1 == 1 {
                    expected = expected * u128::from(x) % u128::from(m);
                }
            }
            let exp = Exponent::from_be_bytes(&e.to_be_bytes(), 64).unwrap();
            let got = modulus.from_mont(&modulus.pow(&modulus.to_mont(&nat(x)), &exp));
            assert_eq!(val(&got), expected, "{x}^{e} mod {m}");
        }
    }
}
