//! The JavaScript API: a thin adapter from JS values to the core. Names, options, defaults and
//! results follow `@mux/mux-node`'s `mux.jwt.*` (ours are synchronous); every failure throws a
//! JS `Error` carrying the core's message, `code` and `field`, and the module keeps working.
//!
//! One concern per file: `convert` (JS values in and out, errors), `options` (the options
//! object), `functions` (the module-level exports), `choices` (the lists of names the core
//! reads, with their words, for pages), `signer` (the `Signer` class), `fault` (tests only: a call that traps), and `types.d.ts` (the
//! TypeScript declarations wasm-bindgen cannot derive).

mod choices;
mod convert;
#[cfg(feature = "fault-injection")]
mod fault;
mod functions;
mod options;
mod signer;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");
