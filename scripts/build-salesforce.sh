#!/usr/bin/env bash
# Packs the engine into the Salesforce static resource folder `inflow`:
#   www/salesforce/force-app/main/default/staticresources/inflow/
#     inflow.js         the adapter + engine glue + formatting, one classic script (window.Inflow)
#     inflow_bg.wasm    the engine (from pkg/, built by scripts/build-wasm.sh)
# and checks Salesforce's limits: a static resource at most 5 MB (zipped), an LWC file at
# most 1 MB. Run scripts/build-wasm.sh first (pkg/ must be fresh).
#   --with-fallback   also pack the wasm2js build (pkg-fallback/, scripts/build-wasm2js.sh) as
#                     fallback/inflow_fallback.js, one classic script (window.InflowFallback)
#                     the components load only where WebAssembly is refused
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

with_fallback=0
[[ ${1:-} == --with-fallback ]] && with_fallback=1
started=$(now_ms)
res=www/salesforce/force-app/main/default/staticresources/inflow
[[ -f pkg/inflow.js && -f pkg/inflow_bg.wasm ]] || die "pkg/ is missing: run scripts/build-wasm.sh first"
[[ -x node_modules/.bin/esbuild ]] || die "esbuild is missing: run scripts/setup.sh"

fallback_out=()
if ((with_fallback)); then
    [[ -f pkg-fallback/inflow_asm.js ]] || die "pkg-fallback/ is missing: run scripts/build-wasm2js.sh first"
    fallback_out=("$res/fallback/inflow_fallback.js")
fi
rm -rf "$res" && mkdir -p "$res"
step "esbuild: adapter + glue → inflow.js (IIFE)${fallback_out:+, wasm2js build → fallback/inflow_fallback.js}" \
    "read esbuild's message above" \
    node www/salesforce/bundle/build.mjs "$res/inflow.js" "${fallback_out[@]}"
cp pkg/inflow_bg.wasm "$res/inflow_bg.wasm"
files=("$res/inflow.js" "$res/inflow_bg.wasm" "${fallback_out[@]}")

# The static resource is uploaded zipped: estimate the zip (deflate -9 per file plus headers).
zipped=$(node -e '
const fs = require("node:fs"), path = require("node:path"), { deflateRawSync } = require("node:zlib");
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
console.log(walk(process.argv[1]).reduce((n, f) => n + deflateRawSync(fs.readFileSync(f), { level: 9 }).length + 120, 22));
' "$res")
node scripts/sizes.mjs "${files[@]}"
echo "    static resource zipped: $((zipped / 1024)) KB of Salesforce's 5120 KB"
((zipped < 5 * 1024 * 1024)) || die "the static resource exceeds Salesforce's 5 MB limit"
shopt -s nullglob
for f in www/salesforce/force-app/main/default/lwc/*/*.js "$res"/*.js; do
    (($(stat -c %s "$f") < 1024 * 1024)) || die "$f exceeds Salesforce's 1 MB limit for a JS file"
done
echo "==> build-salesforce: $res ready in $(since "$started")"
