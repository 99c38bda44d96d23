//! A dudect-style statistical timing test (Reparaz, Balasch, Verbauwhede, "Dude, is my code
//! constant time?", 2017): time the kernel on two classes of secret inputs, a fixed one and
//! random ones, interleaved in random order, and compare the two timing distributions with
//! Welch's t-test (also after cropping the slowest samples at several percentiles, as dudect
//! does). |t| above ~4.5 is the usual threshold for "distinguishable"; below it, no leak was
//! detected with this many samples (which is evidence, not proof).
//!
//! `cargo run --release -p rsa-kernel --features std --example dudect [samples per test]`
//! (`std` turns on the AVX-512 IFMA code where the CPU has it; both paths are then measured).
//! Not part of `make test`: it takes tens of seconds and its verdict depends on the machine's
//! noise.

use rsa_kernel::{CrtKey, Exponent, Modulus, Nat};
use std::hint::black_box;
use std::time::Instant;

/// xorshift64*: only to choose classes and random inputs.
struct Rng(u64);
impl Rng {
    fn u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.u64() as u8).collect()
    }
}

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    let (na, ma, va) = stats(a);
    let (nb, mb, vb) = stats(b);
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Runs `op` on class-0 (fixed) and class-1 (random) inputs, `samples` times in all, and
/// prints max |t| over the uncropped data and crops at the 50th..99th percentile.
fn dudect(
    name: &str,
    samples: usize,
    rng: &mut Rng,
    mut prepare: impl FnMut(bool, &mut Rng) -> Box<dyn Fn()>,
) {
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..samples {
        let class = rng.u64() & 1 == 1;
        let op = prepare(class, rng);
        let start = Instant::now();
        op();
        let ns = start.elapsed().as_nanos() as f64;
        times[class as usize].push(ns);
    }
    let mut all: Vec<f64> = times.iter().flatten().copied().collect();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut report = Vec::new();
    for pct in [100, 99, 95, 90, 75, 50] {
        let cut = all[(all.len() * pct / 100).min(all.len() - 1)];
        let a: Vec<f64> = times[0].iter().copied().filter(|&t| t <= cut).collect();
        let b: Vec<f64> = times[1].iter().copied().filter(|&t| t <= cut).collect();
        report.push((pct, welch_t(&a, &b)));
    }
    let max = report.iter().map(|(_, t)| t.abs()).fold(0.0, f64::max);
    let median = |v: &Vec<f64>| {
        let mut v = v.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    println!(
        "{name}: {} + {} samples, median {:.1} / {:.1} µs (fixed / random), max |t| = {max:.2} [{}]",
        times[0].len(),
        times[1].len(),
        median(&times[0]) / 1e3,
        median(&times[1]) / 1e3,
        report
            .iter()
            .map(|(p, t)| format!("p{p}: {t:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn odd_exact(rng: &mut Rng, bits: usize) -> Vec<u8> {
    let mut v = rng.bytes(bits / 8);
    v[0] |= 0x80;
    *v.last_mut().unwrap() |= 1;
    v
}

fn main() {
    let samples: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ std::process::id() as u64);
    let m_bytes = odd_exact(&mut rng, 1024);
    let m = std::rc::Rc::new(Modulus::from_be_bytes(&m_bytes).unwrap());
    let n = m.limbs();
    println!(
        "rsa-kernel dudect: 1024-bit modulus ({n} limbs), AVX-512 IFMA in use: {}; |t| > 4.5 \
         would indicate a leak",
        rsa_kernel::ifma_in_use()
    );

    // 1 and 2, on `pow` (AVX-512 IFMA where the CPU has it) and on the portable code.
    let paths: &[(&str, bool)] = if rsa_kernel::ifma_in_use() {
        &[("IFMA", false), ("portable", true)]
    } else {
        &[("portable", true)]
    };
    for &(path, portable) in paths {
        let pow = move |m: &Modulus, base: &Nat, e: &Exponent| {
            if portable {
                m.pow_portable(base, e)
            } else {
                m.pow(base, e)
            }
        };
        // 1. Secret exponent: fixed all-zero (the extreme: every window selects entry 0) vs random.
        let base = m.to_mont(&Nat::from_be_bytes(&rng.bytes(100), n).unwrap());
        let base = std::rc::Rc::new(base);
        dudect(
            &format!("pow ({path}), exponent 0 vs random"),
            samples / 4,
            &mut rng,
            |class, rng| {
                let (m, base) = (m.clone(), base.clone());
                // Both inputs are built for every sample (the same work before each timing).
                let random = Exponent::from_be_bytes(&rng.bytes(128), 1024).unwrap();
                let fixed = Exponent::from_be_bytes(&[0], 1024).unwrap();
                let e = std::rc::Rc::new(if class { random } else { fixed });
                Box::new(move || {
                    black_box(pow(&m, &base, &e));
                })
            },
        );

        // 2. Secret base: fixed zero vs random, with a random secret exponent.
        let e = std::rc::Rc::new(Exponent::from_be_bytes(&rng.bytes(128), 1024).unwrap());
        dudect(
            &format!("pow ({path}), base 0 vs random"),
            samples / 4,
            &mut rng,
            |class, rng| {
                let (m, e) = (m.clone(), e.clone());
                let random = m.to_mont(&Nat::from_be_bytes(&rng.bytes(127), n).unwrap());
                let fixed = Nat::zero(n);
                let b = std::rc::Rc::new(if class { random } else { fixed });
                Box::new(move || {
                    black_box(pow(&m, &b, &e));
                })
            },
        );
    }

    // 3. Montgomery multiplication: operands fixed at 2m − 1 (every digit near its maximum,
    //    the largest lazily reduced value) vs random operands.
    let two_m_minus_1 = {
        let mm = m.value();
        let doubled: Vec<u8> = {
            let b = mm.to_be_bytes(140).unwrap();
            let mut carry = 0u16;
            let mut out = vec![0u8; b.len()];
            for i in (0..b.len()).rev() {
                let v = (b[i] as u16) * 2 + carry;
                out[i] = v as u8;
                carry = v >> 8;
            }
            // − 1 (m is odd, so 2m ends in 0 and its last byte ≥ 2)
            *out.last_mut().unwrap() -= 1;
            out
        };
        std::rc::Rc::new(Nat::from_be_bytes(&doubled, n).unwrap())
    };
    dudect(
        "mont_mul ×100, max operands vs random",
        samples,
        &mut rng,
        |class, rng| {
            let m = m.clone();
            let random = (
                Nat::from_be_bytes(&rng.bytes(128), n).unwrap(),
                Nat::from_be_bytes(&rng.bytes(128), n).unwrap(),
            );
            let fixed = ((*two_m_minus_1).clone(), (*two_m_minus_1).clone());
            let (a, b) = if class { random } else { fixed };
            let (a, b) = (std::rc::Rc::new(a), std::rc::Rc::new(b));
            Box::new(move || {
                for _ in 0..100 {
                    black_box(m.mont_mul(&a, &b));
                }
            })
        },
    );

    // 4. The whole CRT private operation (2048-bit key shape: 1024-bit halves, not prime:
    //    timing does not depend on primality): c = 0 vs random c.
    let (p, q) = (odd_exact(&mut rng, 1024), odd_exact(&mut rng, 1024));
    let key = std::rc::Rc::new(
        CrtKey::new(&p, &q, &rng.bytes(127), &rng.bytes(127), &rng.bytes(127)).unwrap(),
    );
    let half = key.half_limbs();
    dudect(
        "CRT private op, c 0 vs random",
        samples / 8,
        &mut rng,
        |class, rng| {
            let key = key.clone();
            let mut bytes = rng.bytes(256);
            bytes[0] &= 0x3f;
            let random = Nat::from_be_bytes(&bytes, 2 * half).unwrap();
            let fixed = Nat::zero(2 * half);
            let c = std::rc::Rc::new(if class { random } else { fixed });
            Box::new(move || {
                black_box(key.private_op(&c));
            })
        },
    );
}
