//! Naturals: little-endian `L`-bit digits, their byte conversions, the schoolbook
//! product and the sum.

use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroize;

use crate::*;

/// A non-negative integer as little-endian 28-bit digits; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Nat(pub(crate) Vec<u64>);

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
