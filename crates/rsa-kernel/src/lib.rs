//! Constant-time Montgomery arithmetic for the RSA private-key operation (RSASP1, RFC 8017
//! §5.2.1), on reduced-radix limbs: numbers are vectors of `L`-bit digits held in `u64`s, with
//! `L = 28` and `u64` row accumulators on wasm32 (and any 32-bit target), `L = 60` and `u128`
//! accumulators on 64-bit targets (the feature `radix-28` forces 28 everywhere); AVX-512 IFMA
//! on x86-64 CPUs that have it (with the `std` feature).
//!
//! The design (why reduced radix, the shape of a row, squaring, the accumulator bound's proof,
//! the constant-time argument, and the measurements behind each choice) is in the crate's
//! `DESIGN.md`, with the decision record of why jwt-signer signs with this kernel and what is
//! checked. Modules: `nat` (naturals), `mont` (Montgomery arithmetic), `pow`
//! (exponentiation), `modulus` (moduli), `crt` (the CRT private operation).
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

mod crt;
mod modulus;
mod mont;
mod nat;
mod pow;

use core::hint::black_box;

pub use crt::{CrtKey, CrtPath};
use modulus::{be_bits, H1024, H1536, H2048};
pub use modulus::{limbs_for_bits, Modulus};
use mont::*;
pub use nat::{add, mul_wide, Nat};
#[cfg(all(target_arch = "x86_64", feature = "std"))]
use pow::window;
pub use pow::Exponent;

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
/// Rows of a Montgomery multiplication that may run without a carry pass (see DESIGN.md).
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
