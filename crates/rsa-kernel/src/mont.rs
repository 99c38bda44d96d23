//! Montgomery arithmetic on reduced-radix digits: the accumulator bound, carry passes,
//! multiplication (generated rows for the fixed sizes), squaring, masked reductions and
//! `μ`. The bound's proof is in DESIGN.md.

use crate::*;

/// Whether `rows` multiplication rows fit accumulators of `acc_bits` over `limb_bits`-bit
/// digits without a carry pass: the bound of DESIGN.md (for `L = limb_bits`, `A =
/// acc_bits`: `2^L + 2·rows·(2^L − 1)^2 + 2^(L+9)` is below `2^A`, and shifted right by `L` it
/// is below `2^(L+9)`), in arithmetic scaled down by `2^(2L − 8)` so that the 60/128 case fits
/// `u128`: exact for the dominant term, the small ones rounded up by one. Never admits a count
/// that overflows; where the second condition binds it admits one row fewer than it could
/// (the test `the_lazy_row_bound_is_sound` checks both against exact arithmetic).
pub(crate) const fn lazy_rows_fit(limb_bits: u32, acc_bits: u32, rows: u128) -> bool {
    let l = limb_bits;
    let shift = 2 * l - 8;
    let mask = (1u128 << l) - 1;
    let p_scaled = (mask * mask) >> shift; // P / 2^shift, floor
    let small = ((1u128 << l) >> shift) + 1 + ((1u128 << (l + 9)) >> shift) + 1;
    let worst_scaled = 2 * rows * (p_scaled + 1) + small;
    // worst >> L < 2^(L+9)  ⇔  worst < 2^(2L+9)  ⇔  worst_scaled < 2^(17)
    worst_scaled < 1u128 << (acc_bits - shift) && worst_scaled < 1u128 << (2 * l + 9 - shift)
}
const _: () = assert!(lazy_rows_fit(LIMB_BITS, Acc::BITS, LAZY_ROWS as u128));

/// Whether `rows` squaring rows fit: a squaring row adds at most `3P` per digit where a
/// multiplication row adds `2P`, so as many as `2·LAZY_ROWS / 3` of them.
pub(crate) const fn lazy_square_rows_fit(rows: usize) -> bool {
    3 * rows <= 2 * LAZY_ROWS
}
const _: () = assert!(lazy_square_rows_fit(LAZY_SQUARE_ROWS));

/// Carry pass: every digit below 2^L; the carry out of the top digit is dropped (it is zero
/// whenever the value fits, as it does for every caller).
#[inline(always)]
pub(crate) fn normalize(t: &mut [u64]) {
    let mut carry = 0u64;
    for x in t.iter_mut() {
        let v = *x + carry;
        *x = v & MASK;
        carry = v >> LIMB_BITS;
    }
}

/// [`normalize`] for accumulators.
#[inline(always)]
pub(crate) fn normalize_acc(t: &mut [Acc]) {
    let mut carry: Acc = 0;
    for x in t.iter_mut() {
        let v = *x + carry;
        *x = v & Acc::from(MASK);
        carry = v >> LIMB_BITS;
    }
}

/// The end of a multiplication or squaring: the carry pass over the accumulators, then their
/// (now `L`-bit) digits into `out`.
#[inline(always)]
pub(crate) fn normalized_into(out: &mut [u64], t: &mut [Acc]) {
    normalize_acc(t);
    for (o, x) in out.iter_mut().zip(t.iter()) {
        *o = *x as u64;
    }
}

/// `out = a · b · R^-1 (mod m)`, lazily reduced: if `a · b < R · m` then `out < 2m`.
/// `mu = −m^-1 mod 2^28`. All slices have the modulus's length `n ≥ 2`; `out` must not alias.
/// (Indexed loops on purpose: the row reads `out[j]` and writes `out[j − 1]`.)
#[inline(always)]
#[allow(clippy::needless_range_loop)]
pub(crate) fn mont_mul_slices(
    out: &mut [u64],
    t: &mut [Acc],
    a: &[u64],
    b: &[u64],
    m: &[u64],
    mu: u64,
) {
    let n = m.len();
    assert!(n >= 2 && out.len() == n && t.len() == n && a.len() == n && b.len() == n);
    t.fill(0);
    for i in 0..n {
        let ai = Acc::from(a[i]);
        let t0 = t[0] + ai * Acc::from(b[0]);
        let q = (t0 as u64).wrapping_mul(mu) & MASK;
        let q = Acc::from(q);
        let carry = (t0 + q * Acc::from(m[0])) >> LIMB_BITS;
        t[0] = t[1] + ai * Acc::from(b[1]) + q * Acc::from(m[1]) + carry;
        for j in 2..n {
            t[j - 1] = t[j] + ai * Acc::from(b[j]) + q * Acc::from(m[j]);
        }
        t[n - 1] = 0;
        if n > LAZY_ROWS && (i + 1) % LAZY_ROWS == 0 {
            normalize_acc(t);
        }
    }
    normalized_into(out, t);
}

// The unrolled rows `row_18`, `row_26`, `row_35`, `row_37`, `row_55`, `row_74` (build.rs).
include!(concat!(env!("OUT_DIR"), "/rows.rs"));

/// One row after its first digit, for a constant `N`: the generated straight-line code for
/// the fixed sizes, a loop otherwise. The `match` on the constant folds at compile time.
#[inline(always)]
pub(crate) fn row_fixed<const N: usize>(
    t: &mut [Acc; N],
    ai: Acc,
    q: Acc,
    b: &[u64; N],
    m: &[u64; N],
) {
    macro_rules! unrolled {
        ($($n:literal => $f:ident),*) => {
            match N {
                $($n => {
                    let t: &mut [Acc; $n] = (&mut t[..]).try_into().expect("N");
                    let b: &[u64; $n] = b[..].try_into().expect("N");
                    let m: &[u64; $n] = m[..].try_into().expect("N");
                    $f(t, ai, q, b, m);
                })*
                _ => {
                    for j in 2..N {
                        t[j - 1] = t[j] + ai * Acc::from(b[j]) + q * Acc::from(m[j]);
                    }
                    t[N - 1] = 0;
                }
            }
        };
    }
    unrolled!(18 => row_18, 26 => row_26, 35 => row_35, 37 => row_37, 55 => row_55, 74 => row_74);
}

/// The fixed-size instance of [`mont_mul_slices`] (same arithmetic, the same bound): with the
/// length a constant, bounds checks vanish and the row is straight-line code.
#[inline(always)]
pub(crate) fn mont_mul_fixed<const N: usize>(
    out: &mut [u64; N],
    a: &[u64; N],
    b: &[u64; N],
    m: &[u64; N],
    mu: u64,
) {
    const { assert!(N >= 2 && N <= LAZY_ROWS) };
    let mut t = [0 as Acc; N];
    for &digit in a {
        let ai = Acc::from(digit);
        let t0 = t[0] + ai * Acc::from(b[0]);
        let q = Acc::from((t0 as u64).wrapping_mul(mu) & MASK);
        let carry = (t0 + q * Acc::from(m[0])) >> LIMB_BITS;
        t[0] = t[1] + ai * Acc::from(b[1]) + q * Acc::from(m[1]) + carry;
        row_fixed(&mut t, ai, q, b, m);
    }
    normalized_into(out, &mut t);
}

/// The cross term a squaring row `i` adds at position `j`: `2·a_j` above the diagonal, `a_i`
/// on it, nothing below. `i` and `j` are public; masks rather than a `match` because the
/// `match` compiled to a jump table per digit.
#[inline(always)]
pub(crate) fn square_term<const N: usize>(j: usize, i: usize, a: &[u64; N], d: &[u64; N]) -> u64 {
    let above = ((i < j) as u64).wrapping_neg();
    let diagonal = ((i == j) as u64).wrapping_neg();
    (d[j] & above) | (a[j] & diagonal)
}

/// `out = a² · R^-1 (mod m)`, the same result and range as [`mont_mul_fixed`]`(a, a)`.
/// For the limb counts `build.rs` generates a squaring for (a 1024-bit CRT half, RS256-2048),
/// with about a quarter fewer digit products: row `i` adds `a_i·a_i` at the diagonal and
/// `a_i·2a_j` for `j > i` only, so each cross product is computed once; the reduction (`q·m`)
/// stays interleaved, row by row, as in the multiplication, because everything that lands on
/// position `i` was added by rows `≤ i`. A row stays one pass over the digits, so no memory
/// traffic is traded for the saved products (the separate product-then-reduce squaring of the
/// DESIGN.md measured slower). Bound: per row a digit gains at most `2P + P = 3P`, hence
/// [`LAZY_SQUARE_ROWS`]. Other sizes square by the multiplication.
#[inline(always)]
pub(crate) fn mont_sqr_fixed<const N: usize>(
    out: &mut [u64; N],
    a: &[u64; N],
    m: &[u64; N],
    mu: u64,
) {
    const { assert!(N >= 2 && N <= LAZY_SQUARE_ROWS) };
    macro_rules! generated {
        ($($n:literal => $f:ident),*) => {
            match N {
                $($n => {
                    let mut d = [0u64; $n];
                    for (dj, aj) in d.iter_mut().zip(a) {
                        *dj = aj << 1;
                    }
                    let mut t = [0 as Acc; $n];
                    let a: &[u64; $n] = a[..].try_into().expect("N");
                    let m: &[u64; $n] = m[..].try_into().expect("N");
                    $f(&mut t, a, &d, m, mu);
                    normalized_into(out, &mut t);
                })*
                _ => mont_mul_fixed(out, a, a, m, mu),
            }
        };
    }
    generated!(18 => sqr_18, 37 => sqr_37);
}

/// `x − m` if `x ≥ m`, else `x` (digits normalised, `x < 2m`), by a masked subtraction.
#[inline(always)]
pub(crate) fn reduce_slices(x: &mut [u64], m: &[u64]) {
    reduce_digits(x, m, MASK);
}

/// [`reduce_slices`] for digits of any width (`digit_mask` = 2^width − 1; also the IFMA
/// code's 52-bit digits).
#[inline(always)]
pub(crate) fn reduce_digits(x: &mut [u64], m: &[u64], digit_mask: u64) {
    assert_eq!(x.len(), m.len());
    let mut borrow = 0u64;
    // First pass: the borrow of x − m, without storing (keeps x intact).
    for (xi, mi) in x.iter().zip(m) {
        borrow = xi.wrapping_sub(*mi).wrapping_sub(borrow) >> 63;
    }
    // borrow == 1 means x < m: keep x.
    let keep = black_box(borrow.wrapping_neg());
    borrow = 0;
    for (xi, mi) in x.iter_mut().zip(m) {
        let d = xi.wrapping_sub(*mi).wrapping_sub(borrow);
        borrow = d >> 63;
        *xi = (*xi & keep) | (d & digit_mask & !keep);
    }
}

/// `−m0^-1 mod 2^64` for an odd `m0`, by Newton's iteration (5 steps double 3 correct bits
/// to 96; a fixed count, no branch on the value). Masked, it is `μ` for any digit width.
pub(crate) fn neg_inverse(m0: u64) -> u64 {
    let mut inv = m0;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compile-time accumulator bound against the same inequalities in exact `u128`
    /// arithmetic, for 28-bit digits and accumulators of 60 to 74 bits (so that either
    /// condition binds): it admits no count that overflows, and at most one row fewer than the
    /// exact limit. For the kernel's own two cases it is exact: 127 rows, because
    /// `2·128·(2^L − 1)^2 + 2^L + 2^(L+9) = 2^A + 2^L + 2^8` for (28, 64) and (60, 128).
    #[test]
    fn the_lazy_row_bound_is_sound() {
        let l = 28;
        let p = ((1u128 << l) - 1).pow(2);
        for acc_bits in 60..=74 {
            let exact = |rows: u128| {
                let worst = (1u128 << l) + 2 * rows * p + (1u128 << (l + 9));
                worst < 1u128 << acc_bits && worst >> l < 1u128 << (l + 9)
            };
            let limit = (1..).take_while(|&rows| exact(rows)).last().unwrap_or(0);
            for rows in 1..=2 * limit + 2 {
                let admitted = lazy_rows_fit(l, acc_bits, rows);
                assert!(
                    !admitted || exact(rows),
                    "{rows} rows overflow {acc_bits} bits"
                );
                assert!(
                    admitted || rows + 1 > limit,
                    "{rows} of {limit} rows refused at {acc_bits} bits"
                );
            }
        }
        for (limb_bits, acc_bits) in [(28, 64), (60, 128)] {
            assert!(lazy_rows_fit(limb_bits, acc_bits, 127));
            assert!(!lazy_rows_fit(limb_bits, acc_bits, 128));
        }
        assert!(lazy_rows_fit(LIMB_BITS, Acc::BITS, LAZY_ROWS as u128));
        assert!(lazy_square_rows_fit(84) && !lazy_square_rows_fit(85));
    }
}
