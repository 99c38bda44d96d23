//! Montgomery multiplication, conversions and reductions of the `rsa-kernel` against
//! crypto-bigint at the fixed sizes (1024-, 1536-, 2048-bit), runtime-length ones around them,
//! and past 126 limbs, where a carry pass runs mid-multiplication (8192 and 16384 bits:
//! without that pass the digits overflow).
//! Natively and in Chromium (wasm-bindgen-test), with fewer cases there; the seed is printed
//! and `SEED=n cargo test -p rsa-kernel --test kernel_mul` replays a native run. The checks are in
//! `kernel_common/arith.rs`.

mod kernel_common;

use kernel_common::arith::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

kernel_tests! {
    mul_1024 => check_mul(1024);
    mul_1536 => check_mul(1536);
    mul_2048 => check_mul(2048);
    mul_1000 => check_mul(1000);
    mul_1030 => check_mul(1030);
    mul_1100 => check_mul(1100);
    mul_2100 => check_mul(2100);
    mul_4096 => check_mul(4096);
    // Long enough that digits would overflow without the mid-multiplication carry pass, even
    // with random quotient digits (293 limbs of 28 bits).
    mul_8192 => check_mul(8192);
    // At 60 bits the digits overflow only at the largest size (computed: the worst digit reaches
    // 1.06 × 2^128 for m = 2^16384 − 1 and operands 2m − 1 without the carry pass). Native only.
    mul_16384 => if !cfg!(target_arch = "wasm32") { check_mul(16384) };
}
