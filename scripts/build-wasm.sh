#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/: cargo → wasm-bindgen → wasm-opt -Oz, then
# prints the sizes a browser downloads. Run scripts/setup.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

started=$(now_ms)
wasm=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/inflow.wasm

step "cargo build (wasm32, release)" \
    "fix the compile error above; are the target and rust-src installed? (scripts/setup.sh)" \
    scripts/cargo-wasm.sh

step "wasm-bindgen --target web" \
    "the wasm-bindgen CLI must equal the crate version in Cargo.lock: run scripts/setup.sh" \
    wasm-bindgen --target web --out-dir pkg --out-name inflow "$wasm"

# npm's binaryen, never Debian's (it corrupts wasm-bindgen's externref table). The
# features are those rustc enables for wasm32 and wasm-bindgen's output uses.
# --low-memory-unused: the linker puts the stack first (data starts at 1 MiB, the stack grows
# down from there), so the lowest 1 KiB is only touched by a stack already overflowing; it lets
# wasm-opt fold constant offsets into loads and stores (-2.5 KB gzip).
# --merge-similar-functions first: functions whose code differs only in constants become one
# that takes them as parameters; then -Oz until nothing more shrinks (--converge): -0.8 KB gzip
# together, for 5 s more.
# -ocimfs 20: a function called from one place is inlined there only if it is at most 20 bytes
# (wasm-opt's default inlines every such function). 6.3 KB more raw, but 4.7 KB less gzip: kept
# apart, like code in like functions comes out byte for byte alike (each function numbers its
# own locals from 0), which the compressor finds; inlined into a large caller it takes the
# caller's local numbers and differs. The sweep: 0 → 126.9, 20 → 126.3, 100 → 128.6, 400 →
# 131.2, unlimited → 132.1 KB at zlib level 9.
[[ -x node_modules/.bin/wasm-opt ]] || die "node_modules/.bin/wasm-opt is missing: run scripts/setup.sh"
features=(--enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-mutable-globals --enable-multivalue)
step "wasm-opt -Oz" \
    "read wasm-opt's message; a feature error means a --enable-* flag is missing here" \
    node_modules/.bin/wasm-opt --low-memory-unused --merge-similar-functions -Oz --converge -ocimfs 20 \
    "${features[@]}" --strip-debug --strip-producers --strip-target-features \
    pkg/inflow_bg.wasm -o pkg/inflow_bg.wasm
# The functions laid out smallest first, where like sits near like for the compressor
# (-1.2 KB gzip; see the script). wasm-opt reorders by the names the script gives and then
# drops them.
step "order the functions by size" "read the script's message above" \
    node scripts/order-functions.mjs pkg/inflow_bg.wasm pkg/inflow_bg.named.wasm
step "wasm-opt --reorder-functions-by-name" "read wasm-opt's message above" \
    node_modules/.bin/wasm-opt --reorder-functions-by-name "${features[@]}" --strip-debug \
    pkg/inflow_bg.named.wasm -o pkg/inflow_bg.wasm
rm -f pkg/inflow_bg.named.wasm

node scripts/sizes.mjs pkg/inflow_bg.wasm pkg/inflow.js

# The pages load one minified ES module, not the adapter's module graph: www/dist/inflow.js
# (adapter, glue, storage, formatting, <inflow-offers>, <inflow-gate>, the server sink) and the
# demo pages' own scripts beside it. The wasm and the bundles get brotli-11 and gzip-9 copies
# that `inflow serve` sends as they are (scripts/precompress.mjs).
[[ -x node_modules/.bin/esbuild ]] || die "node_modules/.bin/esbuild is missing: run scripts/setup.sh"
step "bundle → www/dist/" "read esbuild's message above" node scripts/bundle.mjs
step "precompress the wasm (.br, .gz)" "read node's message above" \
    node scripts/precompress.mjs pkg/inflow_bg.wasm

# What a host page with <inflow-offers> and <inflow-gate> downloads: the bundle and what it
# fetches (scripts/shipped-files.mjs follows it): the wasm, and www/dist/fallback.js (the
# wasm2js build's loader), which the adapter imports only where WebAssembly is refused. Not counted: <inflow-admin> and
# <inflow-insights> (loaded only by the admin console and insights pages) and the demo pages'
# own scripts (www/dist/demo-*.js).
# The budget is the goal, 120 KB gzip for wasm + glue + adapter + elements (README, Shipped
# weight), so nothing grows past it unnoticed. The server sink and the funnel reporter
# (www/dist/sinks.js) are apart: only pages that deliver to the server load them.
echo "==> shipped weight (what a host page with <inflow-offers> and <inflow-gate> loads)"
mapfile -t shipped < <(node scripts/shipped-files.mjs www/dist/inflow.js)
(( ${#shipped[@]} >= 2 )) || die "scripts/shipped-files.mjs found no files: read its message above"
node scripts/sizes.mjs --budget-gzip-kb="${INFLOW_BUDGET_GZIP_KB:-120}" "${shipped[@]}"
# A page that delivers purchases to Inflow's server adds the server sink and the funnel reporter.
echo "==> what a page that delivers to Inflow's server adds"
node scripts/sizes.mjs www/dist/sinks.js
echo "==> build-wasm: pkg/ and www/dist/ ready in $(since "$started")"
