//! The tests' seeded generator, shared by the kernel's tests and the root crate's
//! `kernel_signatures` (which includes this file by path): xoshiro256**, the seed printed and
//! `SEED=…` replaying a run natively, and logging that works natively and in the browser.

/// Prints natively and to the browser console under wasm-bindgen-test.
#[macro_export]
macro_rules! log {
    ($($t:tt)*) => {{
        #[cfg(target_arch = "wasm32")]
        wasm_bindgen_test::console_log!($($t)*);
        #[cfg(not(target_arch = "wasm32"))]
        eprintln!($($t)*);
    }};
}

/// xoshiro256** seeded through splitmix64: fast, reproducible, not for production secrets.
pub struct TestRng([u64; 4]);

impl TestRng {
    pub fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            x ^ (x >> 31)
        };
        TestRng([next(), next(), next(), next()])
    }

    /// From `SEED` (decimal) if set, else from the system RNG; printed either way so a failure
    /// can be replayed.
    pub fn from_env(test: &str) -> Self {
        let seed = std::env::var("SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let mut b = [0u8; 8];
                getrandom::fill(&mut b).expect("system RNG");
                u64::from_le_bytes(b)
            });
        log!("{test}: SEED={seed}");
        Self::new(seed)
    }

    pub fn u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.u64() % n
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        for chunk in v.chunks_mut(8) {
            let x = self.u64().to_le_bytes();
            chunk.copy_from_slice(&x[..chunk.len()]);
        }
        v
    }
}
