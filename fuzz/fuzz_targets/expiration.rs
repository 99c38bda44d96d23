//! The expiration parser (durations, RFC 3339, @epoch) and its resolution against a clock.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(expiration) = jwt_signer::Expiration::parse(&text) {
        for now in [0, 1_700_000_000, u64::MAX] {
            let _ = expiration.resolve(now);
        }
    }
});
