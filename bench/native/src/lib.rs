//! Only the benches matter here; `old_rsa_crt` is the pre-kernel 2048-bit path, for comparison.
pub mod old_rsa_crt;
