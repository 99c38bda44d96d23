//! The RSA-2048 fast path as it was before the rsa-kernel (crypto-bigint `FixedMontyForm<U1024>`,
//! a fresh blinding factor and an inversion per signature), copied from git history for the
//! before/after benchmark. Not used by jwt-signer.
#![allow(missing_docs, clippy::all)]

#[derive(Debug)]
pub enum Error {
    Random,
    Signing,
}
type Result<T> = core::result::Result<T, Error>;

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{NonZero, Odd, RandomMod, Uint, U1024, U2048};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BoxedUint;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// DER of DigestInfo { sha256, NULL } without the digest (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// A big-endian number as a fixed-size `Uint`, if it fits.
fn fixed<const LIMBS: usize>(number: &BoxedUint) -> Option<Uint<LIMBS>> {
    let bytes = number.to_be_bytes();
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let significant = bytes.get(zeros..)?;
    let mut padded = vec![0u8; Uint::<LIMBS>::BYTES];
    let start = padded.len().checked_sub(significant.len())?;
    padded.get_mut(start..)?.copy_from_slice(significant);
    let value = Uint::<LIMBS>::from_be_slice(&padded);
    padded.zeroize();
    Some(value)
}

/// Defines a CRT signer for one key size: `$half` holds p, q and the CRT values, `$full` the
/// modulus. A macro rather than generics, since the widths are tied by `2 × half = full`,
/// which stable Rust cannot express over const generics; the tests instantiate a small size
/// to prove the arithmetic against the `rsa` crate on thousands of random keys.
macro_rules! crt_signer {
    ($name:ident, $half:ty, $full:ty) => {
        /// Secret CRT values of one key, zeroized on drop.
        pub struct $name {
            n: FixedMontyParams<{ <$full>::LIMBS }>,
            e: $full,
            p: FixedMontyParams<{ <$half>::LIMBS }>,
            q: FixedMontyParams<{ <$half>::LIMBS }>,
            p_nz: NonZero<$half>,
            q_nz: NonZero<$half>,
            dp: $half,
            dq: $half,
            /// q^-1 mod p, in Montgomery form mod p.
            q_inv: FixedMontyForm<{ <$half>::LIMBS }>,
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.p.zeroize();
                self.q.zeroize();
                self.p_nz = NonZero::<$half>::ONE;
                self.q_nz = NonZero::<$half>::ONE;
                self.dp.zeroize();
                self.dq.zeroize();
                self.q_inv.zeroize();
            }
        }

        impl ZeroizeOnDrop for $name {}

        impl $name {
            /// The fast path for `key`, when it is a two-prime key of exactly this size.
            pub fn from_key(key: &rsa::PrivateKey) -> Option<Self> {
                if key.size() != <$full>::BYTES || key.primes().len() != 2 {
                    return None;
                }
                let n = Odd::new(fixed::<{ <$full>::LIMBS }>(key.n())?).into_option()?;
                let e = fixed::<{ <$full>::LIMBS }>(key.e())?;
                let [p, q] = key.primes() else { return None };
                let p = Odd::new(fixed::<{ <$half>::LIMBS }>(p.as_ref())?).into_option()?;
                let q = Odd::new(fixed::<{ <$half>::LIMBS }>(q.as_ref())?).into_option()?;
                let dp = fixed::<{ <$half>::LIMBS }>(key.dp()?)?;
                let dq = fixed::<{ <$half>::LIMBS }>(key.dq()?)?;
                let q_inv = fixed::<{ <$half>::LIMBS }>(&key.crt_coefficient()?)?;
                let p_params = FixedMontyParams::new(p);
                let signer = Self {
                    n: FixedMontyParams::new_vartime(n),
                    e,
                    q_inv: FixedMontyForm::new(&q_inv, &p_params),
                    p_nz: NonZero::new(*p.as_ref()).into_option()?,
                    q_nz: NonZero::new(*q.as_ref()).into_option()?,
                    p: p_params,
                    q: FixedMontyParams::new(q),
                    dp,
                    dq,
                };
                Some(signer)
            }

            /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`, blinded with `rng`.
            pub fn sign<R: rsa::rand_core::TryCryptoRng + ?Sized>(
                &self,
                message: &[u8],
                rng: &mut R,
            ) -> Result<Vec<u8>> {
                let em = encode(message, <$full>::BYTES)?;
                let m = <$full>::from_be_slice(&em);
                let n = self.n.modulus().as_nz_ref();

                // Blind: c = m · r^e mod n, for a fresh r invertible mod n.
                let (r_inv, r_e) = loop {
                    let r = <$full>::try_random_mod_vartime(rng, n).map_err(|_| Error::Random)?;
                    let r = FixedMontyForm::new(&r, &self.n);
                    if let Some(r_inv) = r.invert().into_option() {
                        break (r_inv, r.pow_vartime(&self.e));
                    }
                };
                let c = FixedMontyForm::new(&m, &self.n).mul(&r_e).retrieve();

                // RSASP1, CRT form: m1 = c^dP mod p, m2 = c^dQ mod q, h = qInv (m1 - m2) mod p,
                // s = m2 + q h.
                let m1 = FixedMontyForm::new(&c.rem(&self.p_nz), &self.p).pow(&self.dp);
                let m2 = FixedMontyForm::new(&c.rem(&self.q_nz), &self.q)
                    .pow(&self.dq)
                    .retrieve();
                let m2_mod_p = FixedMontyForm::new(&m2.rem(&self.p_nz), &self.p);
                let h = m1.sub(&m2_mod_p).mul(&self.q_inv).retrieve();
                let s: $full = h.concatenating_mul(self.q.modulus().as_ref());
                let s = s.wrapping_add(&m2.concat_mixed(&<$half>::ZERO));

                // Unblind, then check against the public key.
                let s = FixedMontyForm::new(&s, &self.n).mul(&r_inv);
                if s.pow_vartime(&self.e).retrieve() != m {
                    return Err(Error::Signing);
                }
                Ok(s.retrieve().to_be_bytes().as_ref().to_vec())
            }
        }
    };
}

crt_signer!(Rsa2048, U1024, U2048);

/// EMSA-PKCS1-v1_5 for SHA-256: 0x00 0x01 0xff…0xff 0x00 DigestInfo digest (RFC 8017 §9.2).
fn encode(message: &[u8], len: usize) -> Result<Vec<u8>> {
    let digest = Sha256::digest(message);
    let tail = SHA256_DIGEST_INFO.len() + digest.len();
    let padding = len
        .checked_sub(tail + 3)
        .filter(|&p| p >= 8)
        .ok_or(Error::Signing)?;
    let mut em = Vec::with_capacity(len);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(&SHA256_DIGEST_INFO);
    em.extend_from_slice(&digest);
    Ok(em)
}
