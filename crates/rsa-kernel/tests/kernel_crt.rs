//! The CRT private operation of the `rsa-kernel` against the same formula in crypto-bigint,
//! with equal and unequal prime sizes (random odd coprime numbers: the arithmetic does not
//! need primes).
//! Natively and in Chromium (wasm-bindgen-test), with fewer cases there; the seed is printed
//! and `SEED=n cargo test -p rsa-kernel --test kernel_crt` replays a native run. The checks are in
//! `kernel_common/arith.rs`.

mod kernel_common;

use kernel_common::arith::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

kernel_tests! {
    crt_1024 => check_crt(1024, 1024);
    crt_1536 => check_crt(1536, 1536);
    crt_2048 => check_crt(2048, 2048);
    crt_1024_1000 => check_crt(1024, 1000);
    crt_1000_1024 => check_crt(1000, 1024);
    crt_1100_1090 => check_crt(1100, 1090);
    // Primes far apart in length: the shorter one's parameters at the longer one's limb count.
    crt_512_1536 => check_crt(512, 1536);
    crt_1024_300 => check_crt(1024, 300);
    crt_2100 => check_crt(2100, 2100);
    // Native only: two 4096-bit exponentiations on the runtime-length path take seconds in
    // the browser (which checks over 126 limbs in `mul_8192` and `pow_4096`).
    crt_4096 => if !cfg!(target_arch = "wasm32") { check_crt(4096, 4096) };
    crt_keys_name_the_code_their_halves_run_on => check_crt_paths();
}

/// The AVX-512 IFMA code runs exactly where the CPU has it, unless `RSA_KERNEL_PORTABLE` is set
/// (`make test` sets it for a second run of the signing tests, which so checks the portable code
/// on every CPU, while the first run checks the IFMA code where there is one).
#[cfg(target_arch = "x86_64")]
#[test]
fn ifma_runs_where_the_cpu_has_it_unless_switched_off() {
    let cpu =
        std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512ifma");
    let switched_off = std::env::var_os("RSA_KERNEL_PORTABLE").is_some();
    assert_eq!(rsa_kernel::ifma_in_use(), cpu && !switched_off);
}

/// Which code a key's halves run on, by the length of its longer prime.
fn check_crt_paths() {
    use rsa_kernel::CrtPath;
    let path = |bits: usize| {
        let odd = all_ones(bits);
        rsa_kernel::CrtKey::new(&odd, &odd, &[1], &[1], &[1]).map(|key| key.path())
    };
    assert_eq!(path(1023), Some(CrtPath::Fixed1024));
    assert_eq!(path(1024), Some(CrtPath::Fixed1024));
    assert_eq!(path(1536), Some(CrtPath::Fixed1536));
    assert_eq!(path(2048), Some(CrtPath::Fixed2048));
    assert_eq!(path(1000), Some(CrtPath::RuntimeLength));
    assert_eq!(path(4096), Some(CrtPath::RuntimeLength));
}
