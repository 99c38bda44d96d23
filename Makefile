# jwt-signer. On a fresh machine: `make serve` (build and serve the page) and `make test`
# (everything, browser tests included). `make serve` runs `make setup-build` first (what
# building needs), `make test` runs `make setup` (that and what the tests need); both install
# what is missing and skip what is there.

WASM_TARGET := wasm32-unknown-unknown
WASM_FLAGS  := --target $(WASM_TARGET) --no-default-features
export CHROMEDRIVER := /usr/bin/chromedriver
# npm's binaryen 132 provides wasm-opt (Debian's 108 emits a broken module).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: setup setup-build build serve pkg pack test-package cli lint audit test test-native test-wasm test-js test-soak test-scale test-e2e test-reproducible clean fuzz bench soak

setup:
	@scripts/setup.sh test

setup-build:
	@scripts/setup.sh build

## The page, built into dist/ (static files; host them anywhere).
build: setup-build
	trunk build --release

## Build and serve the page on http://127.0.0.1:8080
serve: setup-build
	trunk serve --release

## The npm package `jwt-signer` in pkg/: an entry per runtime (npm/), the wasm, the types.
pkg: setup-build
	cargo build --lib --profile wasm-release $(WASM_FLAGS)
	wasm-bindgen --target web --out-dir pkg target/$(WASM_TARGET)/wasm-release/jwt_signer.wasm
	wasm-opt -Oz --low-memory-unused --strip-debug --strip-producers pkg/jwt_signer_bg.wasm -o pkg/jwt_signer_bg.wasm
	node scripts/npm-package.mjs

## pkg/ packed as the registry would get it: exactly one target/npm/jwt-signer-<version>.tgz.
pack: pkg
	rm -rf target/npm && mkdir -p target/npm
	cd pkg && npm pack --pack-destination ../target/npm --loglevel=error >/dev/null
	@ls -l target/npm/*.tgz

## The native CLI at target/release/jwt-signer.
cli:
	cargo build --release

lint: setup
	node scripts/module-cycles.mjs
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --tests $(WASM_FLAGS) -- -D warnings

test: setup lint audit test-native test-wasm pkg test-js test-soak test-package test-scale build test-reproducible build-faults test-e2e test-endpoints

## Supply chain, offline: licenses, banned crates (rsa < 0.10), sources (see SECURITY.md).
audit: setup
	cargo deny --offline check licenses bans sources

test-native:
	cargo test --workspace
	# Again on the portable code where the CPU has AVX-512 IFMA (which the run above used).
	RSA_KERNEL_PORTABLE=1 cargo test --test known_answers --test kernel_signatures --test signing
	RSA_KERNEL_PORTABLE=1 cargo test -p rsa-kernel --test kernel_crt
	# wasm's 28-bit limbs (and their generated squaring), natively, on the portable code.
	RSA_KERNEL_PORTABLE=1 cargo test -p rsa-kernel --features radix-28 --test kernel_pow --test kernel_crt
	RSA_KERNEL_PORTABLE=1 cargo test --features rsa-kernel/radix-28 --test known_answers

## The same Rust vectors in headless Chromium (wasm-bindgen-test).
test-wasm:
	# (Each test binary gets 120 s in Chromium, not the runner's 20: a busy 2-core machine.)
	WASM_BINDGEN_TEST_TIMEOUT=120 scripts/no-strays.sh cargo test $(WASM_FLAGS) --tests
	WASM_BINDGEN_TEST_TIMEOUT=120 scripts/no-strays.sh cargo test -p rsa-kernel $(WASM_FLAGS) --test kernel_mul --test kernel_pow --test kernel_crt

## The JS API in Node: parity with @mux/mux-node, Node's crypto as verifier, TypeScript types.
test-js:
	node --test tests/js/
	npx tsc -p tests/js/tsconfig.json

## Memory over a long life (Node, --expose-gc): 1,000,000 tokens from one Signer, 100,000
## Signers forgotten, 100,000 freed; RSS and wasm memory per stage. Then the page: 20,000 Bulk
## IDs signed twice in Chromium, each signer worker's wasm memory per stage. Part of `make bench`.
.PHONY: soak test-soak
soak: pkg build
	node --expose-gc tests/soak/soak.mjs
	node tests/soak/page-soak.mjs

## Its short form, and proof that it fails when forgotten Signers are not reclaimed.
test-soak:
	node --test tests/soak/

## The package as users get it: the tarball's file list, publint, attw, the crates' publish
## dry run, and tests/consumers/ (every runtime and bundler, from the packed tarball).
test-package: pack
	cd pkg && npm pack --dry-run --loglevel=notice 2>&1 | sed -n '/Tarball Contents/,/Tarball Details/p'
	publint run pkg --strict
	attw --pack pkg --format table-flipped
	scripts/publish-dry-run.sh
	node --test tests/consumers/

## 1000 random claim sets per token type (and 100 at 3072 and 4096 bits) verified by
## OpenSSL, jose and PyJWT; the signature bytes must equal OpenSSL's.
test-scale:
	node tests/scale/verify-at-scale.mjs 1000

## The page's build again, from a fresh copy of the checkout with an empty target folder:
## dist/ must come out byte-identical (every file of dist/SHA256SUMS).
test-reproducible:
	scripts/reproducible-build.sh

## The page again with the tests-only trap (feature fault-injection: a wasm export that traps),
## into target/dist-faults, for tests/e2e/recovery.test.mjs. Never shipped.
.PHONY: build-faults
build-faults: setup-build
	scripts/build-faults.sh

## The JS API and the page in Debian's Chromium, driven by playwright-core.
test-e2e:
	node --test tests/e2e/

## The examples/ token endpoints started for real in Node, workerd, Deno and Bun, each with the packed package installed.
test-endpoints: pack
	node scripts/examples.mjs --check
	node --test tests/endpoints/

## Copies examples/handler.mjs (the one source of the token endpoint) into each example folder.
.PHONY: examples
examples:
	node scripts/examples.mjs

## Speed and size against peers in the same run; writes BENCHMARKS.md. Not part of `make test`.
bench: pack build cli
	node bench/run.mjs
	$(MAKE) soak

clean:
	cargo clean
	rm -rf dist pkg

## Fuzz every target for FUZZ_SECONDS each (default 600); not part of `make test`.
fuzz:
	scripts/fuzz.sh

## Refresh the README's screenshots in docs/screenshots/ (`make test` writes its own to target/screenshots/).
.PHONY: screenshots
screenshots: build
	SCREENSHOTS_DIR=docs/screenshots node --test --test-name-pattern='screenshots' tests/e2e/page.test.mjs tests/e2e/diagnose-page.test.mjs

## Mutation testing (cargo-mutants) of the core's pure modules; not part of `make test`. Heavy:
## every mutant is a build and a test run, so run it on an idle machine. Narrow it with
## MUTANTS_FILES, e.g. `make mutants MUTANTS_FILES=src/timespan.rs`; the results land in
## target/mutants.out/ (caught.txt, missed.txt, timeout.txt, unviable.txt). Not while `make fuzz`
## runs: cargo-mutants copies the tree, and the fuzzer rewrites fuzz/corpus/ meanwhile.
MUTANTS_FILES ?= src/claims.rs src/params.rs src/timespan.rs src/jws.rs src/base64url.rs src/urls.rs \
    src/key_text/mod.rs src/key_text/jwk.rs src/public_key.rs src/key_export.rs src/mux.rs
.PHONY: mutants
mutants:
	@command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked
	cargo mutants --no-shuffle --output target $(foreach f,$(MUTANTS_FILES),--file $(f)) $(MUTANTS_ARGS)

## The same for the RSA kernel (crates/rsa-kernel, about 560 mutants, 50 minutes here): every
## package's tests (the kernel's own in crates/rsa-kernel/tests/, and the root's signing tests).
## KERNEL_MUTANTS narrows it by mutant name (a regex: file, function or operator), e.g.
## `KERNEL_MUTANTS='ifma|square_term'`; MUTANTS_ARGS=--iterate retests only what the last run
## missed.
KERNEL_MUTANTS ?= crates/rsa-kernel/
.PHONY: mutants-kernel
mutants-kernel:
	@command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked
	cargo mutants --workspace --test-workspace=true --re '$(KERNEL_MUTANTS)' --no-shuffle --output target/mutants-kernel $(MUTANTS_ARGS) -- --test kernel_pow --test kernel_crt --test kernel_mul

## The RSA kernel: criterion medians against the paths it replaced and OpenSSL, the wasm
## build in Node beside node:crypto, then the dudect-style timing test (|t| per input class).
## Not part of `make test`.
.PHONY: bench-kernel
bench-kernel: pkg
	cd bench/native && cargo bench --bench kernel && ./medians.sh
	node crates/rsa-kernel/bench/node-speed.mjs pkg
	cargo run --release -p rsa-kernel --features std --example dudect
