//! Fixed-window exponentiation of the `rsa-kernel` against crypto-bigint, and the fixed-size
//! code against the runtime-length loop, with zero, one, all-ones, short and random exponents.
//! Natively and in Chromium (wasm-bindgen-test), with fewer cases there; the seed is printed
//! and `SEED=n cargo test -p rsa-kernel --test kernel_pow` replays a native run. The checks are in
//! `kernel_common/arith.rs`.

mod kernel_common;

use kernel_common::arith::*;

// In a dedicated worker, not on the page's main thread: on a loaded machine these tests held
// the page past WebDriver's 20 s timeout.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

kernel_tests! {
    pow_1024 => check_pow(1024);
    pow_1536 => check_pow(1536);
    pow_2048 => check_pow(2048);
    pow_1000 => check_pow(1000);
    pow_1030 => check_pow(1030);
    pow_1100 => check_pow(1100);
    pow_2100 => check_pow(2100);
    pow_4096 => check_pow(4096);
    pow_every_length => check_pow_every_length();
}

/// Where the CPU runs AVX-512 IFMA (and `RSA_KERNEL_PORTABLE` is not set), every modulus of up to
/// 2442 bits is exponentiated on it and longer ones on the portable code; elsewhere none is. (The
/// results alone cannot tell: both paths give the same numbers.)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn ifma_takes_every_modulus_up_to_2442_bits() {
    use rsa_kernel::{ifma_in_use, Modulus};
    for bits in 2..=2600 {
        let m = Modulus::from_be_bytes(&all_ones(bits)).unwrap();
        assert_eq!(m.on_ifma(), ifma_in_use() && bits <= 2442, "{bits} bits");
    }
}
