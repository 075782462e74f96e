#!/usr/bin/env bash
# The one demo command: installs what is missing, builds the WebAssembly package and the
# server, then serves the demo pages (www/), pkg/ and the manifests and prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

started=$(now_ms)
scripts/setup.sh
scripts/build-wasm.sh
step "cargo build --release -p inflow-server" \
    "fix the compile error above" \
    cargo build --release -p inflow-server

# The demo on the embedded defaults: SQLite under .inflow/, the demo manifests. Serves until
# Ctrl-C. INFLOW_ADDR picks another address (port 0: any free one).
addr=${INFLOW_ADDR:-127.0.0.1:8080}
echo "==> demo: built in $(since "$started"); serving on http://$addr/demo/ (Ctrl-C stops it)"
exec cargo run --release -q -p inflow-server --bin inflow -- serve --demo --addr "$addr"
