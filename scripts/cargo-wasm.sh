#!/usr/bin/env bash
# The release wasm that scripts/build-wasm.sh and scripts/build-wasm2js.sh start from:
# target/wasm32-unknown-unknown/release/inflow.wasm. Run scripts/setup.sh first.
#
# The standard library is compiled with the crate (-Zbuild-std, from rustup's rust-src) under
# the panic strategy immediate-abort. A panic in the module is then the `unreachable` trap it
# already was under panic = "abort", without first formatting a message that no one reads
# (wasm32-unknown-unknown discards stderr and the module installs no panic hook) and without
# the source locations, Debug impls and payload code kept for that message: 6.7 KB gzip less
# wasm for every page (153.3 → 146.6 KB). std's feature optimize_for_size picks core's smaller
# implementations (sorting, formatting numbers): 2.0 KB gzip less (→ 144.6 KB). Nor does the
# module keep the source file names that a panic's location would name (-Zlocation-detail=none):
# with nothing to print them, they were only data. The -Z flags are unstable;
# RUSTC_BOOTSTRAP=1 lets this one build of the machine's stable toolchain use them, and only
# here: native builds and tests keep the stable toolchain as it is. If a toolchain update
# renames one, cargo stops and its message gives the new spelling.
#
# LLVM's inliner may take a callee of a cost up to 15 instead of opt-level z's 5
# (-Cllvm-args=-inline-threshold=15, a stable flag): 2.3 KB less raw and 0.8 KB less gzip
# after wasm-opt. Against 5, at zlib level 9: 0 gave +1.0, 10 -0.3, 20 -0.5, 25 +0.0, 35 +0.5,
# 50 +1.9 KB gzip.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nothing in the module names this machine's paths: dependencies by crate and version only
# (not where cargo keeps them), the workspace by nothing. Target-only: host build scripts and
# proc macros are unaffected, so native builds keep their cache.
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
registry=$(find "$registry" -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null || echo "$registry")
sysroot=$(rustc --print sysroot)
export RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Cllvm-args=-inline-threshold=15 --remap-path-prefix=$registry/= --remap-path-prefix=$sysroot/lib/rustlib/src/rust/= --remap-path-prefix=$PWD/="
export RUSTC_BOOTSTRAP=1

[[ -d $sysroot/lib/rustlib/src/rust/library ]] ||
    { echo "!!! rust-src is missing (the standard library's sources): run scripts/setup.sh" >&2; exit 1; }

exec cargo build --release --target wasm32-unknown-unknown --lib -p inflow -Zbuild-std=std,panic_abort \
    -Zbuild-std-features=optimize_for_size
