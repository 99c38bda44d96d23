//! RS256 with a 2048-bit key, in one process: jwt-signer's whole token (claims, JSON, base64,
//! blinded RSA) and its bare signature, against OpenSSL signing the same signing input; and the
//! key's set-up (read, validated, ready to sign) against OpenSSL reading the same PEM.
use criterion::{criterion_group, criterion_main, Criterion};
use jwt_signer::{sign_compact, SignOptions, Signer, TokenType};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer as OpensslSigner;

const KEY: &str = include_str!("../../../tests/fixtures/rsa2048.pkcs1.pem");
const HEADER: &[u8] = br#"{"alg":"RS256","typ":"JWT"}"#;
const CLAIMS: &[u8] = br#"{"kid":"bench","sub":"abc123","aud":"v","exp":1800000000}"#;

fn sign(c: &mut Criterion) {
    let signer = Signer::new("bench", KEY).expect("fixture key");
    let options = SignOptions::default();
    let now = 1_700_000_000;
    let openssl_key = PKey::private_key_from_pem(KEY.as_bytes()).expect("fixture key");
    let token = sign_compact(HEADER, CLAIMS, signer.key()).expect("signs");
    let signing_input = token.rsplit_once('.').expect("three parts").0.to_owned();

    let mut group = c.benchmark_group("rs256-2048");
    group.bench_function("jwt-signer token", |b| {
        b.iter(|| signer.sign_playback_id("abc123", TokenType::Video, &options, now))
    });
    group.bench_function("jwt-signer sign_compact", |b| {
        b.iter(|| sign_compact(HEADER, CLAIMS, signer.key()))
    });
    group.bench_function("openssl sign", |b| {
        b.iter(|| {
            let mut s = OpensslSigner::new(MessageDigest::sha256(), &openssl_key).expect("signer");
            s.update(signing_input.as_bytes()).expect("update");
            s.sign_to_vec().expect("sign")
        })
    });
    group.finish();
}

/// What the page's first `setKey`, every CLI run and every `new Signer` pay once per key.
fn key(c: &mut Criterion) {
    let mut group = c.benchmark_group("key-2048");
    group.bench_function("jwt-signer Signer::new", |b| {
        b.iter(|| Signer::new("bench", KEY).expect("fixture key"))
    });
    group.bench_function("openssl key parse", |b| {
        b.iter(|| PKey::private_key_from_pem(KEY.as_bytes()).expect("fixture key"))
    });
    group.finish();
}

criterion_group!(benches, sign, key);
criterion_main!(benches);
