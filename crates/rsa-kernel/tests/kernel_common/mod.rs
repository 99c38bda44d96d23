//! Shared by the kernel's tests (`kernel_mul`, `kernel_pow`, `kernel_crt`): a seeded generator (the seed is printed, and `SEED=…`
//! replays a run natively), conversions to crypto-bigint (the oracle), and logging that works
//! natively and in the browser.
#![allow(dead_code)]

use crypto_bigint::{BoxedUint, NonZero, Odd, Resize};
use rsa_kernel::Nat;

pub mod arith;

mod rng;
pub use rng::TestRng;

impl TestRng {
    /// A uniformly random number of exactly `bits` bits (top bit set), big-endian.
    pub fn exact_bits(&mut self, bits: usize) -> Vec<u8> {
        let len = bits.div_ceil(8);
        let mut v = self.bytes(len);
        let top = bits - 8 * (len - 1); // 1..=8 bits in the first byte
        v[0] &= ((1u16 << top) - 1) as u8;
        v[0] |= 1 << (top - 1);
        v
    }

    /// A random number below `m`, big-endian, often with structure (zero, one, m − 1, all-ones
    /// digits) so edge values come up.
    pub fn below_big(&mut self, m: &BoxedUint) -> BoxedUint {
        let p = m.bits_precision();
        match self.below(16) {
            0 => BoxedUint::zero_with_precision(p),
            1 => BoxedUint::one_with_precision(p),
            2 => m.wrapping_sub(BoxedUint::one_with_precision(p)),
            _ => {
                let raw = uint(&self.bytes(p as usize / 8 + 8), p + 64);
                let nz = NonZero::new(m.clone().resize(p + 64)).unwrap();
                raw.rem(&nz).resize_unchecked(p)
            }
        }
    }
}

/// A big-endian number as a crypto-bigint integer of `precision` bits.
pub fn uint(bytes: &[u8], precision: u32) -> BoxedUint {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let significant = &bytes[zeros..];
    let mut padded = vec![0u8; (precision as usize).div_ceil(8)];
    let start = padded.len() - significant.len();
    padded[start..].copy_from_slice(significant);
    BoxedUint::from_be_slice(&padded, precision).unwrap()
}

/// `2^k mod m`, at `m`'s precision.
pub fn pow2_mod(k: u32, m: &BoxedUint) -> BoxedUint {
    let wide = k + 64 + m.bits_precision();
    let x = BoxedUint::one_with_precision(wide).shl(k);
    x.rem(&NonZero::new(m.clone().resize(wide)).unwrap())
        .resize_unchecked(m.bits_precision())
}

/// The working precision for a modulus of `bits` bits: a multiple of 64.
pub fn precision(bits: usize) -> u32 {
    (bits.div_ceil(64) * 64) as u32
}

/// A kernel number as a crypto-bigint integer of `precision` bits.
pub fn to_uint(x: &Nat, precision: u32) -> BoxedUint {
    let bytes = x.to_be_bytes(x.limbs().len() * 8).unwrap();
    uint(&bytes, precision)
}

/// A crypto-bigint integer as a kernel number of `limbs` digits.
pub fn to_nat(x: &BoxedUint, limbs: usize) -> Nat {
    Nat::from_be_bytes(&x.to_be_bytes(), limbs).unwrap()
}

pub fn odd(m: &BoxedUint) -> Odd<BoxedUint> {
    Odd::new(m.clone()).unwrap()
}

/// One test function per size, natively and in the browser (short functions: the browser
/// runner gives up on a binary that holds the page for 20 s).
#[macro_export]
macro_rules! kernel_tests {
    ($($name:ident => $body:expr;)*) => {
        $(
            #[cfg_attr(not(target_arch = "wasm32"), test)]
            #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
            fn $name() {
                $body
            }
        )*
    };
}
