//! Constant-time Montgomery arithmetic for the RSA private-key operation (RSASP1, RFC 8017
//! §5.2.1), on reduced-radix limbs: numbers are vectors of `L`-bit digits held in `u64`s, with
//! `L = 28` and `u64` row accumulators on wasm32 (and any 32-bit target), `L = 60` and `u128`
//! accumulators on 64-bit targets (the feature `radix-28` forces 28 everywhere).
//!
//! # Why reduced radix
//! WebAssembly has a 64×64→64 multiply but no 64×64→128 multiply and no add-with-carry. A
//! product of two 28-bit digits is below 2^56, so a `u64` digit can absorb over two hundred of
//! them before it could overflow. A Montgomery multiplication row (operand scanning) therefore
//! adds `a_i·b_j + q·m_j` into each digit with no carry between digits: the row has no
//! loop-carried dependency and runs at the multiplier's rate. One carry pass at the end of the
//! multiplication restores `L`-bit digits. Natively the same holds one level up: 60-bit digits
//! and `u128` accumulators (the 64×64→128 multiply is one instruction), 18 limbs per 1024 bits
//! instead of 37.
//!
//! # Shape
//! Operand scanning (one row per digit of `a`), no carries inside a row, and for the fixed
//! sizes (the limb counts of 1024-, 1536- and 2048-bit CRT halves) the row written out as
//! straight-line code by `build.rs`: LLVM unrolls a 37-iteration loop only by two, and the
//! written-out row made a whole RS256-2048 token 28% faster in Node (3.44 → 2.49 ms). Other
//! lengths run the same arithmetic as a loop over runtime-length slices. A fixed 4-bit window.
//!
//! # Squaring
//! A 1024-bit CRT half (RS256-2048: 37 limbs of 28 bits, 18 of 60) squares with its own
//! generated code (`mont_sqr_fixed`): the cross products `a_i·a_j` computed once and doubled,
//! the reduction still interleaved row by row, so a row stays one pass over the digits. Per
//! RS256-2048 token: 2.44 → 2.21 ms in Node (`node crates/rsa-kernel/bench/node-speed.mjs
//! pkg`, two runs each, 2026-11-29), for 7.7 KB more gzipped wasm; natively on the portable
//! code 0.81 → 0.75 ms (criterion, `RSA_KERNEL_PORTABLE=1`). Other sizes square by the
//! multiplication: at 55 and 74 limbs the same code was 10–18% slower in Node (V8 handles a
//! straight-line row of 74 digits written out six or ten times poorly), and a version that
//! tested the row index per chunk of digits was 5–10% faster there but 20% slower at 37
//! limbs. Earlier, a separate product-scanning square (`n(n+1)/2` digit products, then the
//! reduction, which doubles the passes over the digits) made native RS256-2048 slower both
//! as loops (0.76 → 1.10 ms) and generated (0.74 → 0.92 ms), and the project's wasm
//! prototype measured it slower too.
//!
//! # AVX-512 IFMA (x86-64, with the `std` feature)
//! Where the CPU has AVX-512 IFMA (detected at run time), [`Modulus::pow`] and the CRT
//! private operation run the exponentiation on 52-bit digits in 512-bit vectors instead, both
//! CRT halves in one loop; values cross over through the plain (non-Montgomery) residue, four
//! portable multiplications per exponentiation. Moduli up to 2442 bits; longer ones, other
//! CPUs, wasm and builds without `std` run the portable code, which the tests also run on
//! IFMA machines ([`Modulus::pow_portable`], and `make test` runs the signing tests again with
//! the environment variable `RSA_KERNEL_PORTABLE` set, which turns the IFMA code off). Its own shape, bounds and constant-time
//! argument are in `src/ifma.rs`.
//!
//! # The worst-case accumulator bound (the proof)
//! Let `P = (2^L − 1)^2`, the largest digit product, and `A` the accumulator width (64 or
//! 128; in both cases `2^A = 2^(2L+8)`). A multiplication starts with all digits zero; after a
//! carry pass every digit is below `2^L` (the value is below `R`, see below). One row adds at
//! most two products (`a_i·b_j` and `q·m_j`) to each digit, then moves every digit down one
//! place; the digit that lands in place 0 also receives the carry `t_0 >> L` of the digit that
//! left. That carry is consumed by the next row, so a digit holds at most one carry at a time.
//! Hence after `k` rows since the last carry pass every digit is at most `2^L + 2kP + C`, `C`
//! a bound on one carry, and the next row's sums are at most `2^L + 2(k+1)P + C`. With
//! `k + 1 ≤ LAZY_ROWS = 126` and `C = 2^(L+9)`: `2^L + 252P + 2^(L+9) < 2^(2L+8) = 2^A`, and
//! that sum shifted right by `L` is below `2^(L+8) < C`, so the induction closes. Both
//! inequalities are checked at compile time for the configured `L` and `A` (a `const _`
//! assertion below, in exact `u128` arithmetic). Moduli of more than 126 limbs (over 3526
//! bits at `L = 28`, 7558 at `L = 60`) get a carry pass every 126 rows; that branch depends
//! only on the row index and the public length.
//!
//! A squaring row adds to a digit `q·m_j` and at most one cross term, `a_i·2a_j ≤ 2P` (or
//! `a_i² ≤ P` on the diagonal): at most `3P` instead of `2P`, so the same bound holds for
//! `k + 1 ≤ LAZY_SQUARE_ROWS = 84` rows (`3·84 = 2·126`, also checked at compile time), more
//! than the 37 and 18 limbs squared this way.
//!
//! Ranges: a modulus `m` of `n` limbs satisfies `4m ≤ R = 2^(L·n)`. If `a·b < R·m` then
//! `MontMul(a, b) = (a·b + Q·m)/R < m + m = 2m` (as `Q < R`). Values kept between operations
//! are in `[0, 2m)`, and `(2m)·(2m) ≤ R·m` because `4m ≤ R`, so products of two such values
//! stay in range; the value after `k` rows is `(A_k·b + Q_k·m)/2^(Lk) < b + m < R` for
//! `b < 3m`, which is why a mid-multiplication carry pass loses nothing. Values are reduced to
//! `[0, m)` only where the exact residue is needed, by a masked subtraction.
//!
//! # Constant time
//! Secret values: the primes `p`, `q` (and so every Montgomery parameter derived from them),
//! the CRT exponents `dP`, `dQ`, the private exponent `d`, the coefficient `qInv`, and every
//! intermediate of the private operation. Public values: the modulus `n`, the exponent `e`,
//! the lengths (limb counts, exponent bit counts, window count), and the bit length of each
//! prime (about half of n's; it chooses the limb count and the exponent length).
//! - No branch depends on a secret: loops run over public lengths; the quotient digit `q` of
//!   a Montgomery row is computed arithmetically (`t_0 · μ mod 2^L`); `μ` comes from a fixed
//!   five-step Newton iteration; `R mod m` and `R² mod m` from a fixed number of doublings,
//!   each followed by a masked subtraction; final reductions are masked subtractions
//!   ([`Modulus::reduce`]) whose mask is derived arithmetically from the borrow bit; the
//!   fixed-size dispatch (`match` on the limb count, and on the constant `N` inside), the
//!   mid-multiplication carry pass and which cross products a squaring row computes depend
//!   only on lengths and the row index.
//! - Branches on values occur only at key set-up and on public facts: `be_bits` scans for the
//!   first non-zero byte of a prime (its bit length), `Modulus::with_limbs` rejects an even
//!   modulus (primes are odd), and the byte conversions' range check fails only for a value
//!   that does not fit its declared length (never for a valid key).
//! - No memory index depends on a secret: the exponentiation is a fixed 4-bit window over a
//!   public number of exponent bits (leading zero windows are processed like any other);
//!   each window value selects its table entry by reading *all* 16 entries and combining
//!   them with all-ones/all-zeros masks ([`ct_eq_mask`]). Exponent bits are read at public
//!   positions.
//! - The masks go through [`core::hint::black_box`] so the optimiser cannot turn a masked
//!   select back into a branch (a best-effort barrier). Evidence, from the wasm-release build
//!   read with binaryen's `wasm-dis` (2026-11-28): in the multiplication functions,
//!   `Modulus::pow`, `CrtKey::private_op`, `reduce_wide_to_mont`, `mont_mul`, `reduce`,
//!   `sub_lazy`, `from_mont` and `mul_wide` no `if`, `br_if` or `select` has a condition
//!   computed from an `i64` (digit) value, except the table scan's loop counter (`k != 16`);
//!   value-fed branches remain only in the byte conversions' range checks, the parity check
//!   of a modulus, and `Nat::ct_eq` (a `select` on the fault check's public verdict). In the
//!   generated squaring for 37 limbs (read the same way, 2026-11-29) every `select` and `br_if`
//!   tests the row counter (an `i32` compared with constants), none a digit. The
//!   dudect-style test `examples/dudect.rs` finds no difference between fixed and random
//!   secrets (all |t| < 4.5) natively with both limb widths.
//! - The integer operations used on secrets are `u64`/`u128` add, subtract, multiply, shift,
//!   and, or, xor: constant-time on wasm engines (`i64` ops) and on x86-64/aarch64 (`u128`
//!   multiplies are one `mul`/`umulh` pair; `u128` adds are add-with-carry).
//!
//! The callers use `e` (public) through the same constant-time [`Modulus::pow`].

#![no_std]
// `unsafe` only in `ifma` (its CPU-feature functions called after run-time detection, and
// one vector store).
#![deny(unsafe_code)]
#![deny(missing_docs)]
// `Acc` is `u64` in the 28-bit configuration, so its casts to `u64` are no-ops there.
#![allow(clippy::unnecessary_cast)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(all(target_arch = "x86_64", feature = "std"))]
mod ifma;

use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;
use zeroize::Zeroize;

/// Bits per limb: 28 with `u64` accumulators on 32-bit targets (wasm32), where a 64×64→128
/// multiply does not exist; 60 with `u128` accumulators on 64-bit targets, where it is one
/// instruction. The feature `radix-28` forces 28 everywhere (to test that path natively).
#[cfg(any(not(target_pointer_width = "64"), feature = "radix-28"))]
pub const LIMB_BITS: u32 = 28;
/// Bits per limb (see the 28-bit definition).
#[cfg(all(target_pointer_width = "64", not(feature = "radix-28")))]
pub const LIMB_BITS: u32 = 60;
/// The row accumulator: twice the limb's width, and more.
#[cfg(any(not(target_pointer_width = "64"), feature = "radix-28"))]
type Acc = u64;
/// The row accumulator (see the 28-bit definition).
#[cfg(all(target_pointer_width = "64", not(feature = "radix-28")))]
type Acc = u128;
/// The low `LIMB_BITS` bits.
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Rows of a Montgomery multiplication that may run without a carry pass (see the module docs).
pub const LAZY_ROWS: usize = 126;
/// The same for a squaring, whose rows add up to three digit products' worth per digit
/// (`q·m_j` and the doubled cross term `a_i·2a_j`) instead of two: `3·84 = 2·126`.
pub const LAZY_SQUARE_ROWS: usize = 84;
/// Exponent bits per window.
const WINDOW: usize = 4;
/// Entries in the window table.
const TABLE: usize = 1 << WINDOW;
/// Largest modulus, in bits, the kernel accepts (RSA-8192 with room to spare).
pub const MAX_BITS: usize = 16384;

/// Whether `rows` multiplication rows fit accumulators of `acc_bits` over `limb_bits`-bit
/// digits without a carry pass: the bound of the module docs (for `L = limb_bits`, `A =
/// acc_bits`: `2^L + 2·rows·(2^L − 1)^2 + 2^(L+9)` is below `2^A`, and shifted right by `L` it
/// is below `2^(L+9)`), in arithmetic scaled down by `2^(2L − 8)` so that the 60/128 case fits
/// `u128`: exact for the dominant term, the small ones rounded up by one. Never admits a count
/// that overflows; where the second condition binds it admits one row fewer than it could
/// (the test `the_lazy_row_bound_is_sound` checks both against exact arithmetic).
const fn lazy_rows_fit(limb_bits: u32, acc_bits: u32, rows: u128) -> bool {
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
const fn lazy_square_rows_fit(rows: usize) -> bool {
    3 * rows <= 2 * LAZY_ROWS
}
const _: () = assert!(lazy_square_rows_fit(LAZY_SQUARE_ROWS));

/// Whether exponentiations run on the AVX-512 IFMA code here (x86-64 with the `std`
/// feature, on a CPU that has it, unless `RSA_KERNEL_PORTABLE` is set in the environment;
/// moduli up to 2442 bits).
pub fn ifma_in_use() -> bool {
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    return ifma::available();
    #[cfg(not(all(target_arch = "x86_64", feature = "std")))]
    return false;
}

/// The first pass of [`Modulus::with_limbs`] and [`Modulus::sub_lazy`] hold `3·2^L` in an
/// `i64`/`u64` digit.
const _: () = assert!(LIMB_BITS <= 61);

/// An all-ones mask when `a == b`, else zero, without a branch.
#[inline(always)]
pub fn ct_eq_mask(a: u64, b: u64) -> u64 {
    let x = a ^ b;
    // Top bit of x | -x is set iff x != 0.
    let nonzero = (x | x.wrapping_neg()) >> 63;
    black_box(nonzero.wrapping_sub(1))
}

/// Carry pass: every digit below 2^L; the carry out of the top digit is dropped (it is zero
/// whenever the value fits, as it does for every caller).
#[inline(always)]
fn normalize(t: &mut [u64]) {
    let mut carry = 0u64;
    for x in t.iter_mut() {
        let v = *x + carry;
        *x = v & MASK;
        carry = v >> LIMB_BITS;
    }
}

/// [`normalize`] for accumulators.
#[inline(always)]
fn normalize_acc(t: &mut [Acc]) {
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
fn normalized_into(out: &mut [u64], t: &mut [Acc]) {
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
fn mont_mul_slices(out: &mut [u64], t: &mut [Acc], a: &[u64], b: &[u64], m: &[u64], mu: u64) {
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
fn row_fixed<const N: usize>(t: &mut [Acc; N], ai: Acc, q: Acc, b: &[u64; N], m: &[u64; N]) {
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
fn mont_mul_fixed<const N: usize>(
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
fn square_term<const N: usize>(j: usize, i: usize, a: &[u64; N], d: &[u64; N]) -> u64 {
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
/// crate docs measured slower). Bound: per row a digit gains at most `2P + P = 3P`, hence
/// [`LAZY_SQUARE_ROWS`]. Other sizes square by the multiplication.
#[inline(always)]
fn mont_sqr_fixed<const N: usize>(out: &mut [u64; N], a: &[u64; N], m: &[u64; N], mu: u64) {
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
fn reduce_slices(x: &mut [u64], m: &[u64]) {
    reduce_digits(x, m, MASK);
}

/// [`reduce_slices`] for digits of any width (`digit_mask` = 2^width − 1; also the IFMA
/// code's 52-bit digits).
#[inline(always)]
fn reduce_digits(x: &mut [u64], m: &[u64], digit_mask: u64) {
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

/// Reads bit `pos` of a little-endian `u64` word vector (public position).
#[inline(always)]
fn bit(words: &[u64], pos: usize) -> u64 {
    words.get(pos / 64).map_or(0, |w| (w >> (pos % 64)) & 1)
}

/// Window `k` (counted from the least significant) of the exponent.
#[inline(always)]
fn window(exp: &[u64], k: usize) -> u64 {
    let mut w = 0;
    for i in 0..WINDOW {
        w |= bit(exp, k * WINDOW + i) << i;
    }
    w
}

/// Copies into `out` the table entry `idx`, reading every entry (masked scan).
#[inline(always)]
fn select_slices(out: &mut [u64], table: &[u64], idx: u64) {
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
struct PowScratch<'a> {
    table: &'a mut [u64],
    acc: &'a mut [u64],
    tmp: &'a mut [u64],
    sel: &'a mut [u64],
}

/// Fixed-window exponentiation in the Montgomery domain: `acc = base^exp` (Montgomery form,
/// in `[0, 2m)`), over exactly `windows` windows of the exponent; `one` is `R mod m`.
#[inline(always)]
fn pow_slices(
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
fn pow_fixed<const N: usize>(
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
fn pow_dyn(m: &Modulus, base: &[u64], exp: &[u64], windows: usize, out: &mut [u64]) {
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

/// A non-negative integer as little-endian 28-bit digits; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Nat(Vec<u64>);

impl Drop for Nat {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for Nat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Nat([{} limbs])", self.0.len())
    }
}

impl Nat {
    /// Zero with `limbs` digits.
    pub fn zero(limbs: usize) -> Self {
        Nat(vec![0; limbs])
    }

    /// A big-endian number as `limbs` digits; `None` if it does not fit.
    pub fn from_be_bytes(bytes: &[u8], limbs: usize) -> Option<Self> {
        let mut out = vec![0u64; limbs];
        let (mut acc, mut acc_bits, mut index, mut overflow) = (0u128, 0u32, 0usize, 0u128);
        for &byte in bytes.iter().rev() {
            acc |= u128::from(byte) << acc_bits;
            acc_bits += 8;
            if acc_bits >= LIMB_BITS {
                match out.get_mut(index) {
                    Some(slot) => *slot = (acc as u64) & MASK,
                    None => overflow |= acc & u128::from(MASK),
                }
                index += 1;
                acc >>= LIMB_BITS;
                acc_bits -= LIMB_BITS;
            }
        }
        match out.get_mut(index) {
            Some(slot) => *slot = acc as u64,
            None => overflow |= acc,
        }
        acc.zeroize();
        if overflow != 0 {
            out.zeroize();
            return None;
        }
        Some(Nat(out))
    }

    /// The number as exactly `len` big-endian bytes; `None` if it does not fit.
    pub fn to_be_bytes(&self, len: usize) -> Option<Vec<u8>> {
        let mut out = vec![0u8; len];
        let (mut acc, mut acc_bits, mut index, mut overflow) = (0u128, 0u32, 0usize, 0u128);
        for &limb in &self.0 {
            acc |= u128::from(limb) << acc_bits;
            acc_bits += LIMB_BITS;
            while acc_bits >= 8 {
                match index.checked_add(1).and_then(|i| len.checked_sub(i)) {
                    Some(pos) => out[pos] = acc as u8,
                    None => overflow |= acc & 0xff,
                }
                index += 1;
                acc >>= 8;
                acc_bits -= 8;
            }
        }
        match index.checked_add(1).and_then(|i| len.checked_sub(i)) {
            Some(pos) => out[pos] = acc as u8,
            None => overflow |= acc,
        }
        if overflow != 0 {
            out.zeroize();
            return None;
        }
        Some(out)
    }

    /// The digits, least significant first.
    pub fn limbs(&self) -> &[u64] {
        &self.0
    }

    /// The same value with `limbs` digits; the dropped digits must be zero (not checked in
    /// release builds: callers only shrink values known to fit).
    pub fn resized(&self, limbs: usize) -> Self {
        let mut v = vec![0u64; limbs];
        let k = limbs.min(self.0.len());
        v[..k].copy_from_slice(&self.0[..k]);
        debug_assert!(self.0[k..].iter().all(|&d| d == 0));
        Nat(v)
    }

    /// Constant-time equality of two numbers with the same number of digits.
    pub fn ct_eq(&self, other: &Nat) -> bool {
        let mut diff = (self.0.len() ^ other.0.len()) as u64;
        for (a, b) in self.0.iter().zip(&other.0) {
            diff |= a ^ b;
        }
        ct_eq_mask(diff, 0) != 0
    }
}

/// Schoolbook product `a · b` with `a.len() + b.len()` digits, normalised.
pub fn mul_wide(a: &Nat, b: &Nat) -> Nat {
    let mut out = vec![0u64; a.0.len() + b.0.len()];
    for (i, &ai) in a.0.iter().enumerate() {
        // One row: at most one product per digit, then a carry pass over the row's span.
        let mut carry: Acc = 0;
        for (o, &bj) in out[i..].iter_mut().zip(&b.0) {
            let v = Acc::from(*o) + Acc::from(ai) * Acc::from(bj) + carry;
            *o = (v as u64) & MASK;
            carry = v >> LIMB_BITS;
        }
        for o in out[i + b.0.len()..].iter_mut() {
            let v = Acc::from(*o) + carry;
            *o = (v as u64) & MASK;
            carry = v >> LIMB_BITS;
        }
    }
    Nat(out)
}

/// `a + b`, both of `n` normalised digits; the caller ensures the sum fits.
pub fn add(a: &Nat, b: &Nat) -> Nat {
    let mut out: Vec<u64> = a.0.iter().zip(&b.0).map(|(x, y)| x + y).collect();
    normalize(&mut out);
    Nat(out)
}

/// An exponent: little-endian 64-bit words and a public number of bits to process.
pub struct Exponent {
    words: Vec<u64>,
    bits: usize,
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

/// An odd modulus `m` and its Montgomery parameters for `R = 2^(28·n)`, with `4m ≤ R`.
pub struct Modulus {
    m: Vec<u64>,
    /// −m^-1 mod 2^28.
    mu: u64,
    /// R mod m.
    one: Vec<u64>,
    /// R^2 mod m.
    r2: Vec<u64>,
    /// R^3 mod m.
    r3: Vec<u64>,
    bits: usize,
    /// The same modulus for the AVX-512 IFMA code, when it fits and the CPU runs that code
    /// (only then is it built).
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    ifma: Option<ifma::Params>,
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
const H1024: usize = limbs_for_bits(1024);
/// Limbs of a 1536-bit CRT half (RSA-3072): fixed-size code.
const H1536: usize = limbs_for_bits(1536);
/// Limbs of a 2048-bit CRT half (RSA-4096): fixed-size code.
const H2048: usize = limbs_for_bits(2048);

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
        // R mod m and R^2 mod m by constant-time doubling from 1.
        let mut x = vec![0u64; limbs];
        x[0] = 1;
        let mut one = Vec::new();
        for step in 1..=2 * limbs * LIMB_BITS as usize {
            for d in x.iter_mut() {
                *d <<= 1;
            }
            normalize(&mut x);
            reduce_slices(&mut x, &m.0);
            if step == limbs * LIMB_BITS as usize {
                one = x.clone();
            }
        }
        let mut modulus = Modulus {
            m: m.0.clone(),
            mu,
            one,
            r2: x,
            r3: Vec::new(),
            bits,
            #[cfg(all(target_arch = "x86_64", feature = "std"))]
            ifma: None,
        };
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
    /// [`ifma_in_use`], up to 2442 bits); for tests and measurements.
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

    /// `base^exp` in the Montgomery domain (`base` and the result in Montgomery form,
    /// the result in `[0, 2m)`), constant-time in `base` and `exp` for a fixed
    /// `exp.bits()`. Fixed-size code for the limb counts of 1024-, 1536- and 2048-bit CRT
    /// halves (37, 55, 74 limbs of 28 bits; 18, 26, 35 of 60 bits), a runtime-length loop
    /// otherwise; the AVX-512 IFMA code instead where it runs (see the crate docs).
    pub fn pow(&self, base: &Nat, exp: &Exponent) -> Nat {
        #[cfg(all(target_arch = "x86_64", feature = "std"))]
        if let Some(params) = &self.ifma {
            let x = self.ifma_digits(base);
            let [y] = ifma::pow([(params, &x.0, &exp.words)], exp.bits.div_ceil(WINDOW));
            return self.mont_from_ifma(Nat(y));
        }
        self.pow_portable(base, exp)
    }

    /// [`Modulus::pow`] on the portable code even where AVX-512 IFMA is available (for tests
    /// and measurements).
    pub fn pow_portable(&self, base: &Nat, exp: &Exponent) -> Nat {
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

    /// [`Modulus::pow`] always on the runtime-length path (for tests and measurements).
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

#[cfg(all(target_arch = "x86_64", feature = "std"))]
impl Modulus {
    /// The IFMA code's parameters, `R' = 2^(52·D)`: `R'² mod m` is `2^k mod m` taken into
    /// this modulus's Montgomery domain `j` times (each step multiplies by `R = 2^(L·n)`), with
    /// `2·52·D = j·L·n + k`, `k < L·n`; `None` when the modulus is too long for it. (`j` is 0
    /// for the shorter prime of a CRT key whose primes differ by more than a factor of about
    /// two in length, as both halves get the longer one's limbs: hence `2^k` is reduced first.)
    fn ifma_params(&self) -> Option<ifma::Params> {
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
    fn ifma_digits(&self, mont: &Nat) -> Nat {
        let plain = self.from_mont(mont);
        let mut digits = vec![0u64; ifma::digits_for_bits(self.bits)];
        ifma::redigit(&plain.0, LIMB_BITS, &mut digits, ifma::DIGIT_BITS);
        Nat(digits)
    }

    /// The IFMA code's plain result (below `m`) back in Montgomery form, in `[0, 2m)`.
    fn mont_from_ifma(&self, plain: Nat) -> Nat {
        let mut digits = Nat::zero(self.m.len());
        ifma::redigit(&plain.0, ifma::DIGIT_BITS, &mut digits.0, LIMB_BITS);
        self.to_mont(&digits)
    }

    /// Both CRT exponentiations at once on IFMA, when both moduli have its parameters (so the
    /// CPU runs it) with the same digit count.
    fn pow_pair_ifma(
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

/// `−m0^-1 mod 2^64` for an odd `m0`, by Newton's iteration (5 steps double 3 correct bits
/// to 96; a fixed count, no branch on the value). Masked, it is `μ` for any digit width.
fn neg_inverse(m0: u64) -> u64 {
    let mut inv = m0;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// Bit length of a big-endian number (public lengths only: it branches on the bytes).
fn be_bits(bytes: &[u8]) -> usize {
    let mut bits = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != 0 {
            bits = (bytes.len() - i) * 8 - b.leading_zeros() as usize;
            break;
        }
    }
    bits
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

    /// Which code the halves run on: `"fixed-1024"`, `"fixed-1536"`, `"fixed-2048"` when
    /// the halves have the limb count of a prime of that size (e.g. primes of 1023 to 1078
    /// bits with 60-bit limbs), else `"runtime-length"`.
    pub fn path(&self) -> &'static str {
        match self.p.limbs() {
            H1024 => "fixed-1024",
            H1536 => "fixed-1536",
            H2048 => "fixed-2048",
            _ => "runtime-length",
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

    #[test]
    fn masks_are_all_ones_or_zero() {
        assert_eq!(ct_eq_mask(5, 5), u64::MAX);
        assert_eq!(ct_eq_mask(5, 4), 0);
        assert_eq!(ct_eq_mask(0, u64::MAX), 0);
        assert_eq!(ct_eq_mask(1 << 63, 1 << 63), u64::MAX);
        // a ^ b = 2^63, the one difference whose negation is itself.
        assert_eq!(ct_eq_mask(1 << 63, 0), 0);
        assert_eq!(ct_eq_mask(u64::MAX, u64::MAX >> 1), 0);
    }

    /// 2^L needs a second digit: refused whether its top bit lands in a full chunk of the
    /// input or in the partial one left at its end (the leading zero bytes decide which);
    /// 2^L − 1 fits in one.
    #[test]
    fn one_digit_holds_below_2_pow_l_at_every_input_length() {
        let bytes = |value: u128, len: usize| {
            let mut out = vec![0u8; len.saturating_sub(16)];
            out.extend_from_slice(&value.to_be_bytes()[16usize.saturating_sub(len)..]);
            out
        };
        let shortest = (LIMB_BITS as usize + 1).div_ceil(8);
        for len in shortest..=shortest + 16 {
            assert!(
                Nat::from_be_bytes(&bytes(1 << LIMB_BITS, len), 1).is_none(),
                "{len} bytes"
            );
            let largest = Nat::from_be_bytes(&bytes((1 << LIMB_BITS) - 1, len), 1);
            assert_eq!(
                largest.map(|x| x.limbs().to_vec()),
                Some(vec![MASK]),
                "{len} bytes"
            );
        }
    }

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
    fn bytes_round_trip_and_refuse_what_does_not_fit() {
        let bytes: Vec<u8> = (1..=130u8).collect();
        let n = limbs_for_bits(130 * 8);
        let x = Nat::from_be_bytes(&bytes, n).unwrap();
        assert!(x.limbs().iter().all(|&d| d <= MASK));
        assert_eq!(x.to_be_bytes(130).unwrap(), bytes);
        // Leading zeros in and out.
        let mut padded = vec![0u8; 7];
        padded.extend_from_slice(&bytes);
        assert_eq!(Nat::from_be_bytes(&padded, n).unwrap(), x);
        assert_eq!(x.to_be_bytes(137).unwrap(), padded);
        // Too long for the digits or for the output.
        assert!(Nat::from_be_bytes(&bytes, 1).is_none());
        assert!(x.to_be_bytes(129).is_none());
    }

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

    #[test]
    fn moduli_must_be_odd_and_within_bounds() {
        assert!(Modulus::from_be_bytes(&[0x0f, 0xfe]).is_none());
        assert!(Modulus::from_be_bytes(&[0x01]).is_none());
        assert!(Modulus::from_be_bytes(&[0x03]).is_some());
        assert!(Modulus::with_limbs(&[0xff; 40], limbs_for_bits(320) - 1).is_none());
        assert!(Modulus::from_be_bytes(&vec![0xff; MAX_BITS / 8 + 1]).is_none());
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
