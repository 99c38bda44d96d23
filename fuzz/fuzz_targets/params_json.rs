//! Params and custom claims JSON, checked for every token type.
#![no_main]
use jwt_signer::{check_params, parse_params_json, TokenType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(params) = parse_params_json(&String::from_utf8_lossy(data)) {
        for token_type in TokenType::ALL {
            let _ = check_params(Some(token_type), &params);
        }
        let _ = check_params(None, &params);
    }
});
