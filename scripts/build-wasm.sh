#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/: cargo → wasm-bindgen → wasm-opt -Oz, then
# prints the sizes a browser downloads. Run scripts/setup.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

started=$(now_ms)
wasm=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/inflow.wasm

step "cargo build (wasm32, release)" \
    "fix the compile error above; is the target installed? (scripts/setup.sh)" \
    cargo build --release --target wasm32-unknown-unknown --lib -p inflow

step "wasm-bindgen --target web" \
    "the wasm-bindgen CLI must equal the crate version in Cargo.lock: run scripts/setup.sh" \
    wasm-bindgen --target web --out-dir pkg --out-name inflow "$wasm"

# npm's binaryen, never Debian's (it corrupts wasm-bindgen's externref table). The
# features are those rustc enables for wasm32 and wasm-bindgen's output uses.
[[ -x node_modules/.bin/wasm-opt ]] || die "node_modules/.bin/wasm-opt is missing: run scripts/setup.sh"
step "wasm-opt -Oz" \
    "read wasm-opt's message; a feature error means a --enable-* flag is missing here" \
    node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    --strip-debug --strip-producers --strip-target-features \
    pkg/inflow_bg.wasm -o pkg/inflow_bg.wasm

node scripts/sizes.mjs pkg/inflow_bg.wasm pkg/inflow.js

# What a host page downloads: the wasm, its glue, the adapter and the custom elements.
# The budget is a ratchet at today's weight so nothing grows it unnoticed; the goal is 120 KB
# gzip (README, Figures), not met yet: lower INFLOW_BUDGET_GZIP_KB as the weight comes down.
# Raised from 345 to 355 KB by the admin console and card payments (adapter and elements).
echo "==> shipped weight (wasm + glue + adapter + elements)"
node scripts/sizes.mjs --budget-gzip-kb="${INFLOW_BUDGET_GZIP_KB:-355}" \
    pkg/inflow_bg.wasm pkg/inflow.js \
    www/inflow.js www/storage.js www/format.js www/sinks/*.js www/components/*.js
echo "==> build-wasm: pkg/ ready in $(since "$started")"
