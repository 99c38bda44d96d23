//! RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1) on the `rsa-kernel` Montgomery
//! arithmetic, for every key the crate accepts: two-prime keys through the CRT form of RSASP1
//! (RFC 8017 §5.2.1, step 2.b; fixed-size code for 1024-, 1536- and 2048-bit primes, a
//! runtime-length loop for other lengths), keys with more primes through `s = c^d mod n`.
//! The `rsa` crate reads and validates keys; it no longer signs.
//!
//! Blinding (as OpenSSL's `BN_BLINDING`): the signer keeps a pair `A = r^e`, `Ai = r^-1`
//! (mod n) for a random `r`. Each signature uses `c = m·A`, then `s = (c^d)·Ai`, so the
//! secret exponentiation never sees a value an attacker chose; the pair is squared after each
//! use (`r → r²` keeps `A = r^e`, `Ai = r^-1` consistent) and replaced by a fresh random one,
//! at the cost of one inversion, every [`BLINDING_USES`] signatures. The pair sits behind a
//! `Mutex`, so a signer is `Send + Sync`.
//!
//! Faults: `s^e = m (mod n)` is checked before a signature is returned; a mismatch (a fault,
//! a bug, a bad key) gives [`ErrorKind::Signing`], never a wrong signature (which would leak a
//! factor of n, the Bellcore attack).
//!
//! Constant time: see the `rsa-kernel` crate's docs. Here, variable-time code touches only
//! public values (n, e, lengths) and the rejection sampling of r against n; the inversion of
//! r is crypto-bigint's constant-time `invert_mod`.

use std::sync::Mutex;

use crypto_bigint::NonZero;
use rsa::rand_core::TryCryptoRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BoxedUint;
use rsa_kernel::{CrtKey, CrtPath, Exponent, Modulus, Nat};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::error::{ErrorKind, Result};

/// Signatures per blinding pair before a fresh one is drawn (OpenSSL's `BN_BLINDING_COUNTER`).
pub(crate) const BLINDING_USES: u32 = 32;

/// DER of DigestInfo { sha256, NULL } without the digest (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// The secret half of the private operation.
enum Private {
    /// Two primes: CRT.
    Crt(Box<CrtKey>),
    /// More primes: `c^d mod n`, with `d` processed over the bit length of n.
    Full(Exponent),
}

/// The blinding pair, in Montgomery form modulo n, fully reduced.
struct Blinding {
    /// `A·R mod n`, `A = r^e`.
    a: Nat,
    /// `Ai·R mod n`, `Ai = r^-1`.
    ai: Nat,
    /// Signatures made with this `r` (squared after each).
    uses: u32,
}

/// An RSA private key ready to sign RS256 on the kernel. Secrets are zeroized on drop (by the
/// kernel's types).
pub(crate) struct RsaSigner {
    n: Modulus,
    /// n as a crypto-bigint number, for the inversion of r.
    n_boxed: NonZero<BoxedUint>,
    /// The signature length in bytes.
    len: usize,
    e: Exponent,
    private: Private,
    blinding: Mutex<Option<Blinding>>,
}

/// Test hooks into one signature: what it saw, and a fault to inject (compiled for the unit
/// tests only: production signatures have no probe).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct Probe {
    /// Set to record the blinded message representative in `blinded`.
    pub(crate) record: bool,
    /// The blinded message representative `c = m·r^e mod n`, big-endian.
    pub(crate) blinded: Option<Vec<u8>>,
    /// Flip this bit of the private operation's result before the check.
    pub(crate) flip_bit: Option<usize>,
    /// Set when this signature drew a fresh blinding pair.
    pub(crate) refreshed: bool,
}

fn be(number: &BoxedUint) -> Vec<u8> {
    number.to_be_bytes().into_vec()
}

impl RsaSigner {
    /// The signer for `key` (any size the crate accepts, any number of primes).
    ///
    /// # Errors
    /// [`ErrorKind::Signing`] when a key value does not fit the kernel (not for a valid key).
    pub(crate) fn from_key(key: &rsa::PrivateKey) -> Result<Self> {
        let n_bytes = be(key.n().as_ref());
        let n = Modulus::from_be_bytes(&n_bytes).ok_or(ErrorKind::Signing)?;
        let e_bytes = be(key.e());
        let e_bits = key.e().bit_width() as usize;
        let e = Exponent::from_be_bytes(&e_bytes, e_bits).ok_or(ErrorKind::Signing)?;
        // q^-1 mod p from the crate's precomputed values (its Montgomery form taken out), not
        // `crt_coefficient()`, which inverts q again.
        let private = match (key.primes(), key.dp(), key.dq(), key.qinv()) {
            ([p, q], Some(dp), Some(dq), Some(q_inv)) => {
                let mut q_inv = q_inv.retrieve();
                let mut parts = [be(p.as_ref()), be(q.as_ref()), be(dp), be(dq), be(&q_inv)];
                q_inv.zeroize();
                let crt = CrtKey::new(&parts[0], &parts[1], &parts[2], &parts[3], &parts[4]);
                parts.iter_mut().for_each(Zeroize::zeroize);
                Private::Crt(Box::new(crt.ok_or(ErrorKind::Signing)?))
            }
            _ => {
                let mut d = be(key.d());
                let exp = Exponent::from_be_bytes(&d, n.bits());
                d.zeroize();
                Private::Full(exp.ok_or(ErrorKind::Signing)?)
            }
        };
        Ok(RsaSigner {
            len: n.bits().div_ceil(8),
            n,
            n_boxed: key.n().clone(),
            e,
            private,
            blinding: Mutex::new(None),
        })
    }

    /// Which code signs: `"crt"` with the half size and whether it is the fixed-size kernel,
    /// or `"full"` for multi-prime keys. For tests and diagnostics.
    pub(crate) fn path(&self) -> &'static str {
        match &self.private {
            Private::Crt(crt) => match crt.path() {
                CrtPath::Fixed1024 => "crt-fixed-1024",
                CrtPath::Fixed1536 => "crt-fixed-1536",
                CrtPath::Fixed2048 => "crt-fixed-2048",
                CrtPath::RuntimeLength => "crt-runtime-length",
            },
            Private::Full(_) => "full-runtime-length",
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`, blinded with the system's randomness.
    ///
    /// # Errors
    /// [`ErrorKind::Random`] when the RNG fails; [`ErrorKind::Signing`] when the result does not verify.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.sign_with_rng(
            message,
            &mut getrandom::SysRng,
            #[cfg(test)]
            &mut Probe::default(),
        )
    }

    /// [`RsaSigner::sign`] with a given RNG (and, in the unit tests, a probe).
    pub(crate) fn sign_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        message: &[u8],
        rng: &mut R,
        #[cfg(test)] probe: &mut Probe,
    ) -> Result<Vec<u8>> {
        let n_limbs = self.n.limbs();
        let mut em = encode(message, self.len)?;
        let m = Nat::from_be_bytes(&em, n_limbs).ok_or(ErrorKind::Signing)?;
        em.zeroize();
        let (a, ai) = self.next_blinding(
            rng,
            #[cfg(test)]
            probe,
        )?;

        // c = m·A mod n (A in Montgomery form, so the product leaves the domain).
        let c = self.n.reduce(&self.n.mont_mul(&m, &a));
        #[cfg(test)]
        if probe.record {
            probe.blinded = c.to_be_bytes(self.len);
        }
        let s = match &self.private {
            Private::Crt(crt) => crt
                .private_op(&c.resized(2 * crt.half_limbs()))
                .resized(n_limbs),
            Private::Full(d) => self.n.from_mont(&self.n.pow(&self.n.to_mont(&c), d)),
        };
        #[cfg(test)]
        let s = match probe.flip_bit {
            Some(bit) => flip(&s, bit),
            None => s,
        };
        // Unblind: s·Ai mod n.
        let s = self.n.reduce(&self.n.mont_mul(&s, &ai));
        // Fault check against the public key: s^e = m (mod n).
        let check = self.n.from_mont(&self.n.pow(&self.n.to_mont(&s), &self.e));
        if !check.ct_eq(&m) {
            return Err(ErrorKind::Signing.into());
        }
        s.to_be_bytes(self.len).ok_or(ErrorKind::Signing.into())
    }

    /// The blinding pair for one signature: the stored pair squared, or a fresh one every
    /// [`BLINDING_USES`] signatures.
    fn next_blinding<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        #[cfg(test)] probe: &mut Probe,
    ) -> Result<(Nat, Nat)> {
        let mut guard = self.blinding.lock().unwrap_or_else(|e| e.into_inner());
        let pair = match guard.take() {
            Some(b) if b.uses < BLINDING_USES => Blinding {
                a: self.n.reduce(&self.n.mont_mul(&b.a, &b.a)),
                ai: self.n.reduce(&self.n.mont_mul(&b.ai, &b.ai)),
                uses: b.uses + 1,
            },
            _ => {
                #[cfg(test)]
                {
                    probe.refreshed = true;
                }
                self.fresh_blinding(rng)?
            }
        };
        let out = (pair.a.clone(), pair.ai.clone());
        *guard = Some(pair);
        Ok(out)
    }

    /// A fresh pair from a uniformly random r in [1, n) that is invertible mod n.
    fn fresh_blinding<R: TryCryptoRng + ?Sized>(&self, rng: &mut R) -> Result<Blinding> {
        let n_bits = self.n.bits();
        let mut bytes = vec![0u8; self.len];
        loop {
            rng.try_fill_bytes(&mut bytes)
                .map_err(|_| ErrorKind::Random)?;
            if let Some(top) = bytes.first_mut() {
                let extra = 8 * self.len - n_bits;
                *top &= 0xff >> extra;
            }
            let r = BoxedUint::from_be_slice(&bytes, self.n_boxed.bits_precision())
                .map_err(|_| ErrorKind::Signing)?;
            // r < n and r ≠ 0 (public comparisons: a rejected r is never used).
            if r.is_zero().into() || r >= *self.n_boxed.as_ref() {
                continue;
            }
            let Some(mut r_inv) = r.invert_mod(&self.n_boxed).into_option() else {
                continue;
            };
            let limbs = self.n.limbs();
            let r_nat = Nat::from_be_bytes(&bytes, limbs).ok_or(ErrorKind::Signing)?;
            let mut inv_bytes = be(&r_inv);
            let ai_nat = Nat::from_be_bytes(&inv_bytes, limbs).ok_or(ErrorKind::Signing);
            bytes.zeroize();
            inv_bytes.zeroize();
            r_inv.zeroize();
            let r_mont = self.n.reduce(&self.n.to_mont(&r_nat));
            return Ok(Blinding {
                a: self.n.reduce(&self.n.pow(&r_mont, &self.e)),
                ai: self.n.reduce(&self.n.to_mont(&ai_nat?)),
                uses: 1,
            });
        }
    }
}

/// `x` with bit `bit` flipped (fault injection in tests).
#[cfg(test)]
fn flip(x: &Nat, bit: usize) -> Nat {
    let mut bytes = x.to_be_bytes(x.limbs().len() * 8).unwrap_or_default();
    let len = bytes.len();
    if let Some(b) = bytes.get_mut(len.saturating_sub(1 + bit / 8)) {
        *b ^= 1 << (bit % 8);
    }
    Nat::from_be_bytes(&bytes, x.limbs().len()).unwrap_or_else(|| x.clone())
}

/// EMSA-PKCS1-v1_5 for SHA-256: 0x00 0x01 0xff…0xff 0x00 DigestInfo digest (RFC 8017 §9.2).
fn encode(message: &[u8], len: usize) -> Result<Vec<u8>> {
    let digest = Sha256::digest(message);
    let tail = SHA256_DIGEST_INFO.len() + digest.len();
    let padding = len
        .checked_sub(tail + 3)
        .filter(|&p| p >= 8)
        .ok_or(ErrorKind::Signing)?;
    let mut em = Vec::with_capacity(len);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(&SHA256_DIGEST_INFO);
    em.extend_from_slice(&digest);
    Ok(em)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::rand_core::TryRng;
    use rsa::signature::{SignatureEncoding, Signer};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test;

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

    const RSA2048: &str = include_str!("../tests/fixtures/rsa2048.pkcs1.pem");

    /// A reproducible generator (splitmix64) so tests choose the blinding randomness.
    struct SeededRng(u64);

    impl TryRng for SeededRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
            Ok(self.try_next_u64()? as u32)
        }
        fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut x = self.0;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Ok(x ^ (x >> 31))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
            for chunk in dst.chunks_mut(8) {
                let x = self.try_next_u64()?.to_le_bytes();
                chunk.copy_from_slice(&x[..chunk.len()]);
            }
            Ok(())
        }
    }
    impl TryCryptoRng for SeededRng {}

    fn reference(key: &rsa::PrivateKey, message: &[u8]) -> Vec<u8> {
        rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone())
            .sign(message)
            .to_vec()
    }

    fn fixture() -> rsa::PrivateKey {
        rsa::PrivateKey::from_pkcs1_pem(RSA2048).unwrap()
    }

    fn sign_probed(
        signer: &RsaSigner,
        message: &[u8],
        rng: &mut SeededRng,
    ) -> (Result<Vec<u8>>, Probe) {
        let mut probe = Probe {
            record: true,
            ..Probe::default()
        };
        (signer.sign_with_rng(message, rng, &mut probe), probe)
    }

    /// Issue 13, item 5: the exponentiation sees a different blinded value on every call (and
    /// never the encoded message itself, as it would with r = 1), yet the signature is the
    /// deterministic one.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
    fn blinded_value_differs_per_call_while_the_signature_does_not() {
        let key = fixture();
        let signer = RsaSigner::from_key(&key).unwrap();
        let message = b"the same message every time";
        let expected = reference(&key, message);
        let em = encode(message, 256).unwrap();
        let mut seen = Vec::new();
        // Two signers with different seeds, 40 signatures each: fresh pairs and squared ones.
        for seed in [1u64, 2] {
            let signer_for_seed = RsaSigner::from_key(&key).unwrap();
            let mut rng = SeededRng(seed);
            for _ in 0..40 {
                let (signature, probe) = sign_probed(&signer_for_seed, message, &mut rng);
                assert_eq!(signature.unwrap(), expected);
                let blinded = probe.blinded.unwrap();
                assert_ne!(blinded, em, "the exponentiation saw the unblinded message");
                assert!(!seen.contains(&blinded), "a blinded value repeated");
                seen.push(blinded);
            }
        }
        // The same seed gives the same blinded values: the randomness is what varies them.
        let mut rng = SeededRng(1);
        let (_, probe) = sign_probed(&signer, message, &mut rng);
        assert_eq!(probe.blinded.as_ref(), seen.first());
    }

    /// A fresh pair (one inversion) every BLINDING_USES signatures, squaring in between.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
    fn blinding_pair_is_refreshed_every_32_signatures() {
        let key = fixture();
        let signer = RsaSigner::from_key(&key).unwrap();
        let mut rng = SeededRng(7);
        let expected = reference(&key, b"one message");
        let refreshed: Vec<usize> = (0..100)
            .filter(|_| {
                let mut probe = Probe::default();
                let signature = signer.sign_with_rng(b"one message", &mut rng, &mut probe);
                assert_eq!(signature.unwrap(), expected);
                probe.refreshed
            })
            .collect();
        assert_eq!(refreshed, [0, 32, 64, 96]);
    }

    /// Issue 13, item 5: a fault in the private operation's result is caught by s^e = m.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
    fn a_faulty_result_gives_a_signing_error() {
        let key = fixture();
        let signer = RsaSigner::from_key(&key).unwrap();
        let mut rng = SeededRng(3);
        for bit in [0, 1, 27, 28, 700, 2047] {
            let mut probe = Probe {
                flip_bit: Some(bit),
                ..Probe::default()
            };
            let result = signer.sign_with_rng(b"message", &mut rng, &mut probe);
            assert_eq!(result, Err(ErrorKind::Signing.into()), "bit {bit}");
        }
        // And without the fault the same signer signs.
        let ok = signer.sign_with_rng(b"message", &mut rng, &mut Probe::default());
        assert_eq!(ok.unwrap(), reference(&key, b"message"));
    }

    /// Keys with more than two primes sign through c^d mod n, equal to the `rsa` crate.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
    fn multi_prime_keys_sign_like_the_rsa_crate() {
        let mut rng = SeededRng(11);
        let a = rsa::PrivateKey::new_unchecked(&mut rng, 1024).unwrap();
        let b = rsa::PrivateKey::new_unchecked(&mut rng, 1024).unwrap();
        let primes: Vec<BoxedUint> = [&a.primes()[0], &a.primes()[1], &b.primes()[0]]
            .iter()
            .map(|p| BoxedUint::clone(p.as_ref()))
            .collect();
        let key = rsa::PrivateKey::from_primes(primes, BoxedUint::from(65_537u32)).unwrap();
        assert_eq!(key.primes().len(), 3);
        let signer = RsaSigner::from_key(&key).unwrap();
        assert_eq!(signer.path(), "full-runtime-length");
        for i in 0..5u8 {
            let message = [i; 20];
            assert_eq!(signer.sign(&message).unwrap(), reference(&key, &message));
        }
    }

    /// Small two-prime keys (512-bit primes, the runtime-length CRT path), many of them.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
    fn small_random_keys_sign_like_the_rsa_crate() {
        let mut rng = SeededRng(getrandom::u64().unwrap_or(5));
        let count = if cfg!(target_arch = "wasm32") { 2 } else { 50 };
        for i in 0..count {
            let key = rsa::PrivateKey::new_unchecked(&mut rng, 1024).unwrap();
            let signer = RsaSigner::from_key(&key).unwrap();
            assert_eq!(signer.path(), "crt-runtime-length", "512-bit primes");
            let message = (i as u32).to_be_bytes().repeat(1 + i % 40);
            assert_eq!(
                signer.sign(&message).unwrap(),
                reference(&key, &message),
                "key {i}"
            );
        }
    }

    /// One signer shared by threads: every signature right (the pair sits behind a Mutex).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn one_signer_signs_from_many_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<RsaSigner>();
        let key = fixture();
        let signer = std::sync::Arc::new(RsaSigner::from_key(&key).unwrap());
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                let signer = signer.clone();
                std::thread::spawn(move || {
                    (0..40u8)
                        .map(|i| (vec![t, i], signer.sign(&[t, i]).unwrap()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for thread in threads {
            for (message, signature) in thread.join().unwrap() {
                assert_eq!(signature, reference(&key, &message));
            }
        }
    }
}
