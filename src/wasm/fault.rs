//! Tests only (feature `fault-injection`, never in a shipped build): a call that stops the
//! instance with a trap, as a bug or an out-of-memory would, so that tests can prove the page
//! and the package recover from a dead signer.

use wasm_bindgen::prelude::*;

/// Traps (`unreachable`): the instance can run nothing after it.
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}
