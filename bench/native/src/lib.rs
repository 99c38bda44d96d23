//! Only the benches matter here.
