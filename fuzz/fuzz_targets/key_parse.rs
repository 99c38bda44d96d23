//! Every key input format, private and public: any bytes must give a key or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(key) = jwt_signer::SigningKey::parse(&text) {
        let _ = key.info();
    }
    if let Ok(key) = jwt_signer::PublicKey::parse(&text) {
        let _ = (key.to_pem(), key.thumbprint());
    }
});
