//! Token decoding and verification against a fixed public key.
#![no_main]
use std::sync::OnceLock;

use jwt_signer::{decode, verify, PublicKey};
use libfuzzer_sys::fuzz_target;

static KEY: OnceLock<PublicKey> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let key = KEY.get_or_init(|| {
        PublicKey::parse(include_str!("../../tests/fixtures/rsa2048.public.pem")).unwrap()
    });
    let text = String::from_utf8_lossy(data);
    let _ = decode(&text, 1_700_000_000);
    let _ = verify(&text, key, 1_700_000_000);
});
