//! The differential checks behind `kernel_mul`, `kernel_pow` and `kernel_crt`: the
//! `rsa-kernel` arithmetic against crypto-bigint (the `rsa` crate's own integers, an
//! independent implementation) on random and edge values. Three test binaries rather than
//! one, because the browser runner gives up when one binary holds the page for 20 s.

use super::{odd, pow2_mod, precision, to_nat, to_uint, uint, TestRng};
use crate::log;
use crypto_bigint::{BoxedUint, NonZero};
use rsa_kernel::{limbs_for_bits, CrtKey, Exponent, Modulus, Nat, LIMB_BITS};

/// Cases per unit: ten times fewer in the browser, where every case is slower.
const SCALE: usize = if cfg!(target_arch = "wasm32") { 1 } else { 10 };

/// 2^bits − 1, big-endian (every bit set: all digits at their maximum).
pub fn all_ones(bits: usize) -> Vec<u8> {
    let mut v = vec![0xffu8; bits.div_ceil(8)];
    v[0] = ((1u16 << (bits - 8 * (v.len() - 1))) - 1) as u8;
    v
}

/// Moduli of `bits` bits: random odd ones, 2^bits − 1 (all digits at their maximum), the
/// smallest (2^(bits−1) + 1), and the largest the same limb count allows, 2^(28n − 2) − 1.
fn moduli(rng: &mut TestRng, bits: usize) -> Vec<(&'static str, Vec<u8>)> {
    let mut smallest = vec![0u8; bits.div_ceil(8)];
    smallest[0] = 1 << ((bits - 1) % 8);
    *smallest.last_mut().unwrap() |= 1;
    let n = limbs_for_bits(bits);
    let mut out = vec![("2^k-1", all_ones(bits)), ("2^(k-1)+1", smallest)];
    if LIMB_BITS as usize * n - 2 <= rsa_kernel::MAX_BITS {
        out.push(("2^(Ln-2)-1", all_ones(LIMB_BITS as usize * n - 2)));
    }
    for _ in 0..2 {
        let mut m = rng.exact_bits(bits);
        *m.last_mut().unwrap() |= 1;
        out.push(("random", m));
    }
    out
}

/// Values below `bound` for Montgomery operands: random, and the edges 0, 1, bound − 1.
fn operand(rng: &mut TestRng, bound: &BoxedUint) -> BoxedUint {
    rng.below_big(bound)
}

/// Montgomery products at one modulus size against crypto-bigint.
pub fn check_mul(bits: usize) {
    let mut rng = TestRng::from_env(&format!("montgomery multiplication, {bits} bits"));
    let mut checked = 0;
    {
        for (what, m_bytes) in moduli(&mut rng, bits) {
            let m = Modulus::from_be_bytes(&m_bytes).unwrap();
            let n = m.limbs();
            let p = precision(LIMB_BITS as usize * n + 1);
            let mo = uint(&m_bytes, p);
            let m_nz = NonZero::new(mo.clone()).unwrap();
            let two_m = mo.shl(1);
            let r = pow2_mod(LIMB_BITS * n as u32, &mo);
            // The set-up's R² mod m, seen through to_mont(1) = R² · R^-1 = R (mod m).
            let one = to_nat(&BoxedUint::one_with_precision(p), n);
            assert_eq!(
                to_uint(&m.reduce(&m.to_mont(&one)), p),
                r,
                "{bits}-bit {what}: R² mod m"
            );
            let cases = if bits > 4096 {
                20
            } else {
                30 + 97 * (SCALE - 1)
            };
            for case in 0..cases {
                // Operands anywhere in [0, 2m): the lazily reduced range every value lives in.
                let (a, b) = match case {
                    0 => (
                        two_m.wrapping_sub(BoxedUint::one()),
                        two_m.wrapping_sub(BoxedUint::one()),
                    ),
                    1 => (
                        BoxedUint::zero_with_precision(p),
                        two_m.wrapping_sub(BoxedUint::one()),
                    ),
                    _ => (operand(&mut rng, &two_m), operand(&mut rng, &two_m)),
                };
                let out = to_uint(&m.mont_mul(&to_nat(&a, n), &to_nat(&b, n)), p);
                assert!(
                    out < two_m,
                    "{bits}-bit {what} modulus, case {case}: result ≥ 2m"
                );
                // out · R ≡ a · b (mod m)
                let lhs = out.rem(&m_nz).mul_mod(&r, &m_nz);
                let rhs = a.rem(&m_nz).mul_mod(&b.rem(&m_nz), &m_nz);
                assert_eq!(lhs, rhs, "{bits}-bit {what} modulus, case {case}");
                // Into and out of the Montgomery domain, and the final reduction.
                let a_red = a.rem(&m_nz);
                let back = m.from_mont(&m.to_mont(&to_nat(&a_red, n)));
                assert_eq!(to_uint(&back, p), a_red, "{bits}-bit {what}: round trip");
                assert_eq!(
                    to_uint(&m.reduce(&to_nat(&a, n)), p),
                    a_red,
                    "{bits}-bit {what}: reduce"
                );
                checked += 1;
            }
        }
    }
    log!("{bits} bits: {checked} Montgomery products checked");
}

/// Which code runs an exponentiation.
#[derive(Clone, Copy, PartialEq)]
enum Path {
    /// `pow`: AVX-512 IFMA where the CPU has it and the modulus fits, else the portable code.
    Dispatched,
    /// `pow_portable`: the fixed-size portable code for the fixed sizes, the loop otherwise.
    Portable,
    /// `pow_runtime_length`: the portable loop over runtime-length slices.
    RuntimeLength,
}

/// `x^e mod m` through the kernel (into the domain, the exponentiation, out).
fn kernel_pow(m: &Modulus, x: &Nat, e: &Exponent, path: Path) -> Nat {
    let base = m.to_mont(x);
    let y = match path {
        Path::Dispatched => m.pow(&base, e),
        Path::Portable => m.pow_portable(&base, e),
        Path::RuntimeLength => m.pow_runtime_length(&base, e),
    };
    m.from_mont(&y)
}

/// Every modulus length from 50 to 2440 bits in steps of 13 bits (so every IFMA digit count
/// from 2 to 47 and every vector count, and the portable code's limb counts around them),
/// random odd moduli and 2^k − 1, bases random and m − 1, 64-bit and full-length exponents,
/// through `pow` (IFMA on CPUs that have it) against crypto-bigint.
pub fn check_pow_every_length() {
    let mut rng = TestRng::from_env("exponentiation at every length");
    let mut checked = 0;
    let step = if cfg!(target_arch = "wasm32") {
        101
    } else {
        13
    };
    for bits in (50..=2440).step_by(step) {
        let mut random = rng.exact_bits(bits);
        *random.last_mut().unwrap() |= 1;
        for m_bytes in [random, all_ones(bits)] {
            let m = Modulus::from_be_bytes(&m_bytes).unwrap();
            let n = m.limbs();
            let p = precision(LIMB_BITS as usize * n + 1);
            let mo = uint(&m_bytes, p);
            for case in 0..3 {
                let x = match case {
                    0 => mo.wrapping_sub(BoxedUint::one()),
                    _ => rng.below_big(&mo),
                };
                let (e_bytes, e_bits) = match case {
                    2 => (rng.bytes(bits / 8), bits),
                    _ => (rng.bytes(8), 64),
                };
                let e = Exponent::from_be_bytes(&e_bytes, e_bits).unwrap();
                let expected = x.pow_mod(&uint(&e_bytes, precision(e_bits)), &odd(&mo));
                let got = kernel_pow(&m, &to_nat(&x, n), &e, Path::Dispatched);
                assert_eq!(to_uint(&got, p), expected, "{bits} bits, case {case}");
                checked += 1;
            }
        }
    }
    log!(
        "{checked} exponentiations checked (IFMA in use: {})",
        rsa_kernel::ifma_in_use()
    );
}

/// Exponentiations at one modulus size against crypto-bigint.
pub fn check_pow(bits: usize) {
    let mut rng = TestRng::from_env(&format!("exponentiation, {bits} bits"));
    let mut checked = 0;
    // In the browser over 2100 bits: all-ones digits and the largest modulus for the length.
    let few = cfg!(target_arch = "wasm32") && bits > 2100;
    {
        for (i, (what, m_bytes)) in moduli(&mut rng, bits).into_iter().enumerate() {
            if few && i != 0 && i != 2 {
                continue;
            }
            let m = Modulus::from_be_bytes(&m_bytes).unwrap();
            let n = m.limbs();
            let p = precision(LIMB_BITS as usize * n + 1);
            let mo = uint(&m_bytes, p);
            // In the browser fewer cases, and over 2100 bits a 256-bit exponent value (still
            // processed over all `bits` bits by the kernel): the runner gives up on a test that
            // holds the page for 20 s, and a loaded machine is three times slower.
            let cases: Vec<usize> = match (cfg!(target_arch = "wasm32"), bits > 2100) {
                (true, true) => vec![5],
                (true, false) if i == 0 => vec![0, 5],
                (true, false) => vec![5],
                (false, true) => vec![0, 1, 4],
                (false, false) => (0..6).collect(),
            };
            let fixed = [1024, 1536, 2048].map(limbs_for_bits).contains(&n);
            for case in cases {
                let x = rng.below_big(&mo);
                // Exponents: full length, short, zero, one, all ones.
                let (e_bytes, e_bits) = match case {
                    0 => (vec![0u8], bits),
                    1 => (vec![1u8], bits),
                    2 => (vec![0xffu8; bits / 8], bits),
                    3 => (rng.exact_bits(17), 17),
                    5 => (rng.bytes(32), bits),
                    _ => (rng.bytes(bits / 8), bits),
                };
                let e = Exponent::from_be_bytes(&e_bytes, e_bits).unwrap();
                let expected = x.pow_mod(&uint(&e_bytes, precision(e_bits)), &odd(&mo));
                let got = kernel_pow(&m, &to_nat(&x, n), &e, Path::Dispatched);
                assert_eq!(to_uint(&got, p), expected, "{bits}-bit {what}, case {case}");
                // The portable code too where `pow` ran IFMA (natively on CPUs with it).
                let portable = kernel_pow(&m, &to_nat(&x, n), &e, Path::Portable);
                assert_eq!(
                    got, portable,
                    "{bits}-bit {what}: portable path, case {case}"
                );
                // The fixed-size code against the runtime-length loop (other sizes run only the
                // latter already).
                if fixed {
                    let slow = kernel_pow(&m, &to_nat(&x, n), &e, Path::RuntimeLength);
                    assert_eq!(
                        got, slow,
                        "{bits}-bit {what}: runtime-length path, case {case}"
                    );
                }
                checked += 1;
            }
        }
    }
    log!("{bits} bits: {checked} exponentiations checked");
}

/// The CRT private operation against the same formula computed by crypto-bigint. p and q need
/// not be prime for the arithmetic to be checked (only odd and coprime), so random odd numbers
/// serve, and the test stays fast in the browser.
/// CRT private operations with primes of `pb` and `qb` bits against crypto-bigint.
pub fn check_crt(pb: usize, qb: usize) {
    let mut rng = TestRng::from_env(&format!("CRT, {pb}- and {qb}-bit halves"));
    let big = pb.max(qb) > 2100;
    let keys = if cfg!(target_arch = "wasm32") || big {
        1
    } else {
        2
    };
    // The browser runner gives up on a test that holds the page for 20 s.
    let cases = match (big, cfg!(target_arch = "wasm32")) {
        (true, true) => 1,
        (true, false) => 2,
        _ => SCALE,
    };
    let prec = precision(pb + qb + 64);
    let mut checked = 0;
    let mut k = 0;
    while k < keys {
        let mut pv = rng.exact_bits(pb);
        let mut qv = rng.exact_bits(qb);
        *pv.last_mut().unwrap() |= 1;
        *qv.last_mut().unwrap() |= 1;
        let p = uint(&pv, prec);
        let q = uint(&qv, prec);
        let p_nz = NonZero::new(p.clone()).unwrap();
        let Some(q_inv) = q.rem(&p_nz).invert_mod(&p_nz).into_option() else {
            continue; // not coprime: draw another pair
        };
        let (mut dp, mut dq) = (rng.below_big(&p), rng.below_big(&q));
        if cfg!(target_arch = "wasm32") {
            // 256-bit exponent values in the browser (the kernel still runs the full length).
            dp = dp.shr(pb as u32 - 256);
            dq = dq.shr(qb as u32 - 256);
        }
        let key = CrtKey::new(
            &pv,
            &qv,
            &dp.to_be_bytes(),
            &dq.to_be_bytes(),
            &q_inv.to_be_bytes(),
        )
        .unwrap();
        let pq = p.wrapping_mul(&q);
        for case in 0..cases {
            let c = rng.below_big(&pq);
            let m1 = c.pow_mod(&dp, &odd(&p));
            let m2 = c.pow_mod(&dq, &odd(&q));
            let diff = m1.wrapping_add(&p).wrapping_sub(m2.rem(&p_nz)).rem(&p_nz);
            let h = diff.mul_mod(&q_inv, &p_nz);
            let expected = m2.wrapping_add(q.wrapping_mul(&h));
            let got = key.private_op(&to_nat(&c, 2 * key.half_limbs()));
            assert_eq!(
                to_uint(&got, prec),
                expected,
                "p {pb} bits, q {qb} bits, key {k}, case {case}"
            );
            checked += 1;
        }
        k += 1;
    }
    assert_eq!(checked, keys * cases);
    log!("{pb}/{qb} bits: {checked} CRT operations checked");
}
