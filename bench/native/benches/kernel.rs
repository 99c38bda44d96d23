//! Per-signature time of the private-key operation at 2048, 3072 and 4096 bits: jwt-signer on
//! the rsa-kernel (the whole compact JWS, blinded and checked), the paths it replaced (the
//! crypto-bigint 2048-bit fast path; the `rsa` crate's general path, which signed 3072 and
//! 4096 before), and OpenSSL, in one process. `make bench-kernel`; medians are printed by
//! `bench/native/medians.sh`.
use criterion::{criterion_group, criterion_main, Criterion};
use jwt_signer::{sign_compact, SigningKey};
use jwt_signer_bench::old_rsa_crt::Rsa2048;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use std::time::Duration;

const HEADER: &[u8] = br#"{"alg":"RS256","typ":"JWT"}"#;
const CLAIMS: &[u8] = br#"{"kid":"bench","sub":"abc123","aud":"v","exp":1800000000}"#;

fn keys() -> [(&'static str, &'static str); 3] {
    [
        (
            "2048",
            include_str!("../../../tests/fixtures/rsa2048.pkcs1.pem"),
        ),
        ("3072", include_str!("../../../tests/fixtures/rsa3072.pem")),
        ("4096", include_str!("../../../tests/fixtures/rsa4096.pem")),
    ]
}

fn sign(c: &mut Criterion) {
    for (bits, pem) in keys() {
        let key = SigningKey::parse(pem).expect("fixture key");
        let token = sign_compact(HEADER, CLAIMS, &key).expect("signs");
        let input = token.rsplit_once('.').expect("three parts").0.to_owned();
        let rsa_key = rsa::PrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| rsa::PrivateKey::from_pkcs8_pem(pem))
            .expect("fixture key");
        let general = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(rsa_key.clone());
        let openssl_key = PKey::private_key_from_pem(pem.as_bytes()).expect("fixture key");

        let mut group = c.benchmark_group(format!("rsa-{bits}"));
        group.sample_size(30);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(4));
        group.bench_function("kernel (jwt-signer sign_compact)", |b| {
            b.iter(|| sign_compact(HEADER, CLAIMS, &key).expect("signs"))
        });
        if let Some(old) = Rsa2048::from_key(&rsa_key) {
            group.bench_function("old crypto-bigint fast path", |b| {
                b.iter(|| {
                    old.sign(input.as_bytes(), &mut getrandom::SysRng)
                        .expect("signs")
                })
            });
        }
        group.bench_function("old rsa crate general path", |b| {
            b.iter(|| {
                general
                    .try_sign_with_rng(&mut getrandom::SysRng, input.as_bytes())
                    .expect("signs")
                    .to_vec()
            })
        });
        group.bench_function("openssl", |b| {
            b.iter(|| {
                let mut s = openssl::sign::Signer::new(MessageDigest::sha256(), &openssl_key)
                    .expect("signer");
                s.update(input.as_bytes()).expect("update");
                s.sign_to_vec().expect("sign")
            })
        });
        group.finish();
    }
}

criterion_group!(benches, sign);
criterion_main!(benches);
