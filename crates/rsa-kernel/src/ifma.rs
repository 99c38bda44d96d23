//! The exponentiation on AVX-512 IFMA (x86-64 CPUs that have it, detected at run time): the
//! same almost-Montgomery arithmetic as the portable code, on 52-bit digits held in eight
//! 64-bit lanes per vector, both CRT halves in one loop ([`pow`]). Its shape, bounds,
//! constant-time argument, handling of secrets in memory, safety argument (the functions with
//! `#[target_feature(enable = "avx512f,avx512ifma")]` are only called after [`available`]
//! confirmed both features) and measurements are in the crate's DESIGN.md.
#![allow(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;
use core::arch::x86_64::*;
use core::hint::black_box;
use zeroize::Zeroize;

use crate::{reduce_digits, window, TABLE, WINDOW};

/// Bits per digit: what the IFMA multiplier reads of each lane.
pub(crate) const DIGIT_BITS: u32 = 52;
/// The low 52 bits.
const DIGIT_MASK: u64 = (1 << DIGIT_BITS) - 1;
/// Lanes per vector.
const LANES: usize = 8;
/// Most vectors of a number: moduli up to 2442 bits (47 digits and a spare lane), e.g. the
/// CRT halves of RSA-4096 and the modulus of RSA-2048.
const MAX_VECTORS: usize = 6;

/// Whether this CPU (and OS) runs AVX-512 IFMA, unless the environment variable
/// `RSA_KERNEL_PORTABLE` is set (to measure or test the portable code on such a CPU). Read once.
pub(crate) fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::env::var_os("RSA_KERNEL_PORTABLE").is_none()
            && std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512ifma")
    })
}

/// Vectors for `d` digits: one spare lane at the top, where [`shift_up`] moves the top digit.
fn vectors_for_digits(d: usize) -> usize {
    (d + 1).div_ceil(LANES)
}

/// Whether numbers of `d` digits fit the vectors (with the spare lane).
pub(crate) fn fits(d: usize) -> bool {
    (2..MAX_VECTORS * LANES).contains(&d)
}

/// Digits of a modulus of `bits` bits: the fewest with `4m ≤ 2^(52·D)`.
pub(crate) fn digits_for_bits(bits: usize) -> usize {
    (bits + 2).div_ceil(DIGIT_BITS as usize).max(2)
}

/// Repacks a little-endian number from `from`-bit digits into `to`-bit digits (`out` long
/// enough: the callers size it for the value's bit length).
pub(crate) fn redigit(digits: &[u64], from: u32, out: &mut [u64], to: u32) {
    out.fill(0);
    let (mut acc, mut acc_bits, mut index) = (0u128, 0u32, 0usize);
    for &d in digits {
        acc |= u128::from(d) << acc_bits;
        acc_bits += from;
        while acc_bits >= to {
            if let Some(slot) = out.get_mut(index) {
                *slot = (acc as u64) & ((1 << to) - 1);
            }
            index += 1;
            acc >>= to;
            acc_bits -= to;
        }
    }
    if let Some(slot) = out.get_mut(index) {
        *slot = acc as u64;
    }
    acc.zeroize();
}

/// A modulus's parameters for `R = 2^(52·D)`: digits of `m`, `μ = −m^-1 mod 2^52`, and
/// `R² mod m` (all secret when `m` is a prime).
pub(crate) struct Params {
    m: Vec<u64>,
    mu: u64,
    r2: Vec<u64>,
}

impl Drop for Params {
    fn drop(&mut self) {
        self.m.zeroize();
        self.mu.zeroize();
        self.r2.zeroize();
    }
}

impl Params {
    /// From the 52-bit digits of an odd modulus `m` (`D` = [`digits_for_bits`] of them) and
    /// of `R² mod m`, or `None` when it is longer than the vectors hold.
    pub(crate) fn new(m: Vec<u64>, r2: Vec<u64>) -> Option<Self> {
        let d = m.len();
        if !fits(d) || r2.len() != d {
            return None;
        }
        let mu = crate::neg_inverse(m[0]) & DIGIT_MASK;
        Some(Params { m, mu, r2 })
    }

    /// Digits `D`.
    pub(crate) fn digits(&self) -> usize {
        self.m.len()
    }
}

/// `x^e mod m` for `x < m` in 52-bit digits (`D` of them), fully reduced, over `windows`
/// 4-bit windows of `exp` (little-endian 64-bit words), for `J` jobs at once (`J = 2`: the CRT
/// halves, which must have the same `D`; `J = 1`: e.g. the fault check's `s^e mod n`).
pub(crate) fn pow<const J: usize>(
    jobs: [(&Params, &[u64], &[u64]); J],
    windows: usize,
) -> [Vec<u64>; J] {
    let d = jobs[0].0.digits();
    assert!(jobs.iter().all(|j| j.0.digits() == d && j.1.len() == d));
    assert!(available(), "IFMA code called without the CPU features");
    // SAFETY: `available()` confirmed avx512f and avx512ifma on this CPU (asserted above).
    unsafe {
        match vectors_for_digits(d) {
            1 => pow_vectors::<1, J>(jobs, windows),
            2 => pow_vectors::<2, J>(jobs, windows),
            3 => pow_vectors::<3, J>(jobs, windows),
            4 => pow_vectors::<4, J>(jobs, windows),
            5 => pow_vectors::<5, J>(jobs, windows),
            _ => pow_vectors::<6, J>(jobs, windows),
        }
    }
}

/// A number in `K` vectors.
type Vectors<const K: usize> = [__m512i; K];

/// Loads digits into vectors (lanes past the digits are zero).
#[target_feature(enable = "avx512f")]
fn load<const K: usize>(digits: &[u64]) -> Vectors<K> {
    let mut lanes = [[0u64; LANES]; K];
    for (lane, &d) in lanes.as_flattened_mut().iter_mut().zip(digits) {
        *lane = d;
    }
    let out = lanes.map(|v| {
        _mm512_set_epi64(
            v[7] as i64,
            v[6] as i64,
            v[5] as i64,
            v[4] as i64,
            v[3] as i64,
            v[2] as i64,
            v[1] as i64,
            v[0] as i64,
        )
    });
    lanes.as_flattened_mut().zeroize();
    out
}

/// The first `d` lanes as digits.
#[target_feature(enable = "avx512f")]
fn store<const K: usize>(v: &Vectors<K>, d: usize) -> Vec<u64> {
    let mut out = vec![0u64; K * LANES];
    for (chunk, x) in out.chunks_exact_mut(LANES).zip(v) {
        let lo = _mm512_extracti64x4_epi64::<0>(*x);
        let hi = _mm512_extracti64x4_epi64::<1>(*x);
        chunk[0] = _mm256_extract_epi64::<0>(lo) as u64;
        chunk[1] = _mm256_extract_epi64::<1>(lo) as u64;
        chunk[2] = _mm256_extract_epi64::<2>(lo) as u64;
        chunk[3] = _mm256_extract_epi64::<3>(lo) as u64;
        chunk[4] = _mm256_extract_epi64::<0>(hi) as u64;
        chunk[5] = _mm256_extract_epi64::<1>(hi) as u64;
        chunk[6] = _mm256_extract_epi64::<2>(hi) as u64;
        chunk[7] = _mm256_extract_epi64::<3>(hi) as u64;
    }
    out.truncate(d);
    out
}

/// Lane 0 as an integer.
#[target_feature(enable = "avx512f")]
#[inline]
fn lane0(v: __m512i) -> u64 {
    _mm_cvtsi128_si64(_mm512_castsi512_si128(v)) as u64
}

/// References to each of `J` numbers (the form [`amm`] takes them in).
fn each<T, const J: usize>(v: &[T; J]) -> [&T; J] {
    core::array::from_fn(|j| &v[j])
}

/// A modulus in vectors (and shifted up one lane), with its `μ` and its lowest digit.
struct VecModulus<const K: usize> {
    m: Vectors<K>,
    m_up: Vectors<K>,
    mu: u64,
    m0: u64,
}

/// `J` almost-Montgomery multiplications at once: `out_j = a_j·b_j·R^-1 mod m_j` in
/// `[0, 2m_j)`, digits exact, for `a_j·b_j < R·m_j`.
///
/// Row `i` adds `lo(a_i·b_k) + hi(a_i·b_(k−1)) + lo(q·m_k) + hi(q·m_(k−1))` into lane `k`
/// (`b` and `m` shifted up one lane supply the high halves in place) and then shifts the
/// accumulator down one lane. Lane 0, the digit `q` clears, is followed in scalar code: its
/// value with the carry of the digit before it gives `q` and the next carry, so the vectors
/// never wait for a carry, and the critical path of a row is extract–multiply–broadcast–IFMA.
#[target_feature(enable = "avx512f,avx512ifma")]
#[inline]
fn amm<const K: usize, const J: usize>(
    a: [&Vectors<K>; J],
    b: [&Vectors<K>; J],
    m: [&VecModulus<K>; J],
    d: usize,
) -> [Vectors<K>; J] {
    let zero = _mm512_setzero_si512();
    // The operands' digits (secret: wiped at the end).
    let mut a_digits: [[[u64; LANES]; K]; J] = core::array::from_fn(|j| to_lanes(a[j]));
    let b_up: [Vectors<K>; J] = core::array::from_fn(|j| shift_up(b[j]));
    let b0: [u64; J] = core::array::from_fn(|j| lane0(b[j][0]));
    let mut t = [[zero; K]; J];
    // Lane 0 of `t` (the digit row `i` clears) and the carry into it.
    let (mut t0, mut carry) = ([0u64; J], [0u64; J]);
    for i in 0..d {
        for j in 0..J {
            let ai = a_digits[j][i / LANES][i % LANES];
            let x = t0[j] + carry[j] + (ai.wrapping_mul(b0[j]) & DIGIT_MASK);
            let q = x.wrapping_mul(m[j].mu) & DIGIT_MASK;
            carry[j] = (x + (q.wrapping_mul(m[j].m0) & DIGIT_MASK)) >> DIGIT_BITS;
            let (av, qv) = (_mm512_set1_epi64(ai as i64), _mm512_set1_epi64(q as i64));
            for k in 0..K {
                let ab = _mm512_madd52hi_epu64(
                    _mm512_madd52lo_epu64(t[j][k], av, b[j][k]),
                    av,
                    b_up[j][k],
                );
                let qm_high = _mm512_madd52hi_epu64(zero, qv, m[j].m_up[k]);
                t[j][k] = _mm512_add_epi64(_mm512_madd52lo_epu64(ab, qv, m[j].m[k]), qm_high);
            }
            t0[j] = lane1(t[j][0]);
            for k in 0..K - 1 {
                t[j][k] = _mm512_alignr_epi64::<1>(t[j][k + 1], t[j][k]);
            }
            t[j][K - 1] = _mm512_alignr_epi64::<1>(zero, t[j][K - 1]);
        }
    }
    for j in 0..J {
        t[j][0] = _mm512_add_epi64(t[j][0], _mm512_maskz_set1_epi64(1, carry[j] as i64));
    }
    a_digits.as_flattened_mut().as_flattened_mut().zeroize();
    t.map(|x| normalize(x))
}

/// The number shifted up one lane (times 2^52): lane `k` holds digit `k − 1`. The top digit
/// falls off, so it must be zero ([`vectors_for_digits`] leaves a spare lane).
#[target_feature(enable = "avx512f")]
#[inline]
fn shift_up<const K: usize>(v: &Vectors<K>) -> Vectors<K> {
    core::array::from_fn(|k| {
        let below = if k == 0 {
            _mm512_setzero_si512()
        } else {
            v[k - 1]
        };
        _mm512_alignr_epi64::<7>(v[k], below)
    })
}

/// The lanes as integers.
#[target_feature(enable = "avx512f")]
#[inline]
fn to_lanes<const K: usize>(v: &Vectors<K>) -> [[u64; LANES]; K] {
    let mut out = [[0u64; LANES]; K];
    for (lanes, x) in out.iter_mut().zip(v) {
        // SAFETY: `lanes` is 64 writable bytes; the store is unaligned.
        unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), *x) };
    }
    out
}

/// Lane 1 as an integer.
#[target_feature(enable = "avx512f")]
#[inline]
fn lane1(v: __m512i) -> u64 {
    _mm_extract_epi64::<1>(_mm512_castsi512_si128(v)) as u64
}

/// The carry pass: lanes below `2^60` → exact 52-bit digits (the value must fit the lanes).
#[target_feature(enable = "avx512f")]
#[inline]
fn normalize<const K: usize>(mut t: Vectors<K>) -> Vectors<K> {
    let mask = _mm512_set1_epi64(DIGIT_MASK as i64);
    let zero = _mm512_setzero_si512();
    // Step 1: every lane's upper bits move up one lane (lane 7 of one vector into lane 0 of
    // the next).
    let high: Vectors<K> = t.map(|x| _mm512_srli_epi64::<52>(x));
    for k in (0..K).rev() {
        let below = if k == 0 { zero } else { high[k - 1] };
        t[k] = _mm512_add_epi64(
            _mm512_and_si512(t[k], mask),
            _mm512_alignr_epi64::<7>(high[k], below),
        );
    }
    // Step 2: now every lane is below 2^53. Lanes above 2^52 − 1 generate a carry of one,
    // lanes equal to it propagate one.
    let (mut generate, mut propagate) = (0u64, 0u64);
    for (k, x) in t.iter().enumerate() {
        generate |= u64::from(_mm512_cmpgt_epu64_mask(*x, mask)) << (LANES * k);
        propagate |= u64::from(_mm512_cmpeq_epu64_mask(*x, mask)) << (LANES * k);
    }
    let carries = black_box(((generate << 1).wrapping_add(propagate)) ^ propagate);
    let one = _mm512_set1_epi64(1);
    for (k, x) in t.iter_mut().enumerate() {
        let lanes = (carries >> (LANES * k)) as u8;
        *x = _mm512_and_si512(_mm512_mask_add_epi64(*x, lanes, *x, one), mask);
    }
    t
}

/// Table entry `idx`, reading every entry through masks.
#[target_feature(enable = "avx512f")]
#[inline]
fn select<const K: usize>(table: &[Vectors<K>; TABLE], idx: u64) -> Vectors<K> {
    let mut out = [_mm512_setzero_si512(); K];
    for (e, entry) in table.iter().enumerate() {
        let mask = _mm512_set1_epi64(crate::ct_eq_mask(e as u64, idx) as i64);
        for (o, x) in out.iter_mut().zip(entry) {
            *o = _mm512_or_si512(*o, _mm512_and_si512(*x, mask));
        }
    }
    out
}

/// [`pow`] for numbers of `K` vectors.
#[target_feature(enable = "avx512f,avx512ifma")]
fn pow_vectors<const K: usize, const J: usize>(
    jobs: [(&Params, &[u64], &[u64]); J],
    windows: usize,
) -> [Vec<u64>; J] {
    let d = jobs[0].0.digits();
    let mut moduli = jobs.map(|(p, _, _)| {
        let m = load(&p.m);
        VecModulus::<K> {
            m_up: shift_up(&m),
            m,
            mu: p.mu,
            m0: p.m[0],
        }
    });
    let md: [&VecModulus<K>; J] = core::array::from_fn(|j| &moduli[j]);
    let mut r2 = jobs.map(|(p, _, _)| load::<K>(&p.r2));
    let mut unit = vec![0u64; d];
    unit[0] = 1;
    let unit = load::<K>(&unit);
    let units = [&unit; J];
    let mut x = jobs.map(|(_, x, _)| load::<K>(x));
    // Into the Montgomery domain: R mod m = MontMul(R², 1), x·R = MontMul(x, R²).
    let mut one = amm(each(&r2), units, md, d);
    let mut base = amm(each(&x), each(&r2), md, d);
    let zero = [_mm512_setzero_si512(); K];
    let mut tables = [[zero; TABLE]; J];
    for j in 0..J {
        tables[j][0] = one[j];
        tables[j][1] = base[j];
    }
    for e in 2..TABLE {
        let next = amm(
            core::array::from_fn(|j| &tables[j][e - 1]),
            each(&base),
            md,
            d,
        );
        for j in 0..J {
            tables[j][e] = next[j];
        }
    }
    let exps = jobs.map(|(_, _, e)| e);
    let mut acc = if windows == 0 {
        one
    } else {
        core::array::from_fn(|j| select(&tables[j], window(exps[j], windows - 1)))
    };
    let mut sel: [Vectors<K>; J];
    for k in (0..windows.saturating_sub(1)).rev() {
        for _ in 0..WINDOW {
            acc = amm(each(&acc), each(&acc), md, d);
        }
        sel = core::array::from_fn(|j| select(&tables[j], window(exps[j], k)));
        acc = amm(each(&acc), each(&sel), md, d);
    }
    // Out of the domain (below m + 1), then the exact residue.
    let mut out = amm(each(&acc), units, md, d);
    let result = core::array::from_fn(|j| {
        let mut digits = store(&out[j], d);
        reduce_digits(&mut digits, &jobs[j].0.m, DIGIT_MASK);
        digits
    });
    // Wipe the secrets held in vectors: the primes, the table, every intermediate.
    tables = [[zero; TABLE]; J];
    (acc, sel, out, one, base, x, r2) = (
        [zero; J], [zero; J], [zero; J], [zero; J], [zero; J], [zero; J], [zero; J],
    );
    for modulus in moduli.iter_mut() {
        (modulus.m, modulus.m_up, modulus.mu, modulus.m0) = (zero, zero, 0, 0);
    }
    black_box((&tables, &acc, &sel, &out, &one, &base, &x, &r2, &moduli));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A carry generated in any lane ripples through a run of digits at `2^52 − 1` up to the
    /// top, across vectors (the carry-lookahead's generate and propagate terms). Exponentiations
    /// of random values almost never leave a digit at exactly `2^52 − 1`, so their tests alone
    /// cannot be relied on here.
    #[test]
    fn a_carry_ripples_from_every_lane_through_every_vector() {
        if !available() {
            return;
        }
        // SAFETY: `available()` confirmed avx512f and avx512ifma on this CPU.
        unsafe { ripple::<MAX_VECTORS>() };
    }

    #[target_feature(enable = "avx512f")]
    fn ripple<const K: usize>() {
        let lanes = K * LANES;
        for start in 0..lanes - 2 {
            // Lane `start` keeps 2^52 − 1 and carries one into the next lane, which generates
            // a carry for the run of 2^52 − 1 above it; the carry ends in the top lane.
            let mut digits = vec![0u64; lanes];
            digits[start] = (1 << 53) - 1;
            digits[start + 1..lanes - 1].fill(DIGIT_MASK);
            let mut expected = vec![0u64; lanes];
            expected[start] = DIGIT_MASK;
            expected[lanes - 1] = 1;
            let got = store(&normalize(load::<K>(&digits)), lanes);
            assert_eq!(got, expected, "carry from lane {start}");
        }
    }
}
