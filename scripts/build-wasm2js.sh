#!/usr/bin/env bash
# Builds the engine as plain JavaScript into pkg-fallback/ (git-ignored), for pages where
# WebAssembly is missing or refused (a CSP without 'wasm-unsafe-eval'). www/fallback.js
# loads it automatically. Same Rust, same Engine class, same answers; larger and slower.
#
#   cargo (the same release wasm as scripts/build-wasm.sh)
#   → target_features: reference-types and multivalue marked off, so wasm-bindgen keeps JS
#     values in its JS-side heap and returns through memory (wasm2js supports neither
#     externref, a second table, nor multi-value)
#   → wasm-bindgen --target web → wasm-opt (lower non-trapping float-to-int and sign-ext, -Oz)
#   → wasm2js -Oz → an ES module exporting instantiate(imports), minified by esbuild
#   → the glue, with initFallback(asm) that instantiates it instead of WebAssembly
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

started=$(now_ms)
target=${CARGO_TARGET_DIR:-target}
wasm=$target/wasm32-unknown-unknown/release/inflow.wasm
out=pkg-fallback
work=$out/.work
bin=node_modules/.bin
[[ -x $bin/wasm2js && -x $bin/esbuild ]] || die "node_modules/.bin/wasm2js or esbuild is missing: run scripts/setup.sh"

step "cargo build (wasm32, release)" \
    "fix the compile error above; are the target and rust-src installed? (scripts/setup.sh)" \
    scripts/cargo-wasm.sh

rm -rf "$out" && mkdir -p "$work"
cp "$wasm" "$work/raw.wasm"
step "target_features: reference-types and multivalue off" \
    "the cargo output has no target_features section: do not strip it in Cargo.toml" \
    node scripts/wasm-features.mjs "$work/raw.wasm" reference-types multivalue
step "wasm-bindgen --target web (no externref)" \
    "the wasm-bindgen CLI must equal the crate version in Cargo.lock: run scripts/setup.sh" \
    wasm-bindgen --target web --out-dir "$work" --out-name inflow "$work/raw.wasm"
step "wasm-opt: lower for wasm2js, -Oz" \
    "read wasm-opt's message; a feature error means a --enable-* flag is missing here" \
    "$bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --llvm-nontrapping-fptoint-lowering --signext-lowering \
    --strip-debug --strip-producers --strip-target-features \
    "$work/inflow_bg.wasm" -o "$work/lowered.wasm"
step "wasm2js -Oz" \
    "wasm2js refused a feature: lower it with a wasm-opt pass in the step above" \
    "$bin/wasm2js" -Oz --enable-bulk-memory --enable-mutable-globals "$work/lowered.wasm" -o "$work/asm.js"

# wasm2js imports its imports statically and instantiates at module load; make it a function
# of the imports instead, so the glue can pass its own (as WebAssembly.instantiate would).
node - "$work/asm.js" "$work/asm-fn.js" <<'JS'
const fs = require('node:fs');
const [src, dst] = process.argv.slice(2);
let js = fs.readFileSync(src, 'utf8');
js = js.replace(/^import \* as .*;$/gm, '');
const cut = js.indexOf('\nvar retasmFunc = asmFunc(');
if (cut < 0) throw new Error('wasm2js output changed: no "var retasmFunc = asmFunc(" line');
js = js.slice(0, cut) + '\nexport function instantiate(imports) {\n  return asmFunc(imports);\n}\n';
fs.writeFileSync(dst, js);
JS
step "esbuild --minify" "read esbuild's message" \
    "$bin/esbuild" "$work/asm-fn.js" --minify --format=esm --log-level=warning --outfile="$out/inflow_asm.js"

{
    # wasm-bindgen left its externref intrinsic as an import of a module that does not exist;
    # without the externref pass it is never called.
    # wasm2js grows memory by copying into a new ArrayBuffer and never detaches the old one,
    # so the glue must renew its views whenever the buffer changes, not only once detached.
    sed -E \
        -e 's|^import \* as (import[0-9]+) from "__wbindgen_externref_xform__";?$|const \1 = { __wbindgen_externref_statics_end: () => 0 };|' \
        -e 's#(cached(Uint8Array|DataView)Memory0) === null \|\| .*\) \{$#\1 === null || \1.buffer !== wasm.memory.buffer) {#' \
        "$work/inflow.js"
    cat <<'JS'

/**
 * Starts the engine from the wasm2js build (`import * as asm from './inflow_asm.js'`)
 * instead of WebAssembly: the same exports, the same imports.
 */
export function initFallback(asm) {
    if (wasm !== undefined) return wasm;
    return __wbg_finalize_init({ exports: asm.instantiate(__wbg_get_imports()) }, undefined);
}
JS
} >"$out/inflow.js"
renewed=$(grep -c 'Memory0.buffer !== wasm.memory.buffer) {$' "$out/inflow.js" || true)
((renewed == 2)) || die "wasm-bindgen's glue changed: $out/inflow.js renews ${renewed:-0} of its 2 memory views; adapt the sed above"
cp "$work/inflow.d.ts" "$out/inflow.d.ts"
[[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"

node scripts/sizes.mjs "$out/inflow_asm.js" "$out/inflow.js"
echo "==> build-wasm2js: $out/ ready in $(since "$started")"
