#!/usr/bin/env bash
# Runs one cargo-fuzz target for N seconds, installing cargo-fuzz when it is missing.
#
#   scripts/fuzz.sh [TARGET] [SECONDS]      (defaults: manifests 600)
#
# Only a stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets cargo fuzz use the
# sanitizer flags it needs. The seed corpus is built from manifests/*.json (or the
# test fixtures when those are absent); crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail

target="${1:-manifests}"
seconds="${2:-600}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

corpus="fuzz/corpus/$target"
mkdir -p "$corpus"
seed_dir=manifests
[ -f "$seed_dir/catalog.json" ] || seed_dir=tests/fixtures/good
users="$seed_dir/users.json"
[ -f "$users" ] || users="$seed_dir/directory.json"
if [ -f "$seed_dir/catalog.json" ]; then
    # one seed joining the documents with NUL bytes, as the target splits them
    {
        cat "$seed_dir/catalog.json"; printf '\0'
        cat "$seed_dir/contract.json"; printf '\0'
        cat "$seed_dir/policy.json"; printf '\0'
        [ -f "$users" ] && cat "$users"
    } > "$corpus/seed-all"
    for f in "$seed_dir"/*.json tests/fixtures/bad/*.json; do
        [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
fi

cd fuzz
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1
