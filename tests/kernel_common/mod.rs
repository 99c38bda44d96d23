//! For `kernel_signatures`: a seeded generator (the seed is printed, and `SEED=…` replays a
//! run natively) that the `rsa` crate generates test keys from, and logging that works
//! natively and in the browser: the kernel's tests' own (`crates/rsa-kernel/tests/`), with the
//! `rsa` crate's RNG traits added.
#![allow(dead_code)]

use rsa::rand_core::{TryCryptoRng, TryRng};

// The kernel's own tests' generator, one file for both crates.
#[path = "../../crates/rsa-kernel/tests/kernel_common/rng.rs"]
mod rng;
pub use rng::TestRng;

impl TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.u64() as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        let b = self.bytes(dst.len());
        dst.copy_from_slice(&b);
        Ok(())
    }
}

/// Only so the `rsa` crate will generate test keys from a reproducible stream.
impl TryCryptoRng for TestRng {}
