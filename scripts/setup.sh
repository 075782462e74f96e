#!/usr/bin/env bash
# Installs what building and testing Inflow needs, only what is missing, and says how
# long each step took. Safe to run again: a second run only checks.
#
#   scripts/setup.sh                  wasm target, wasm-bindgen CLI, npm tools, Chromium
#   scripts/setup.sh --with-postgres  the same, plus the PostgreSQL server (server tests)
#                                     (or INFLOW_WITH_POSTGRES=1)
#
# Needs rustup/cargo and Node >= 20 with npm already; installs nothing else by hand.
# Downloads go only through cargo, npm and apt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

with_postgres=${INFLOW_WITH_POSTGRES:-0}
for arg in "$@"; do
    case $arg in
    --with-postgres) with_postgres=1 ;;
    -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0" && exit 0 ;;
    *) die "setup.sh: unknown argument '$arg' (try --help)" ;;
    esac
done

started=$(now_ms)

# --- prerequisites: checked, not installed -------------------------------------------
command -v cargo >/dev/null && command -v rustup >/dev/null ||
    die "cargo and rustup are needed: install Rust with rustup (https://rustup.rs), then run again"
command -v node >/dev/null && command -v npm >/dev/null ||
    die "node and npm are needed: install Node.js 20 or newer, then run again"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "Node.js $(node --version) is too old: install Node.js 20 or newer"

# --- Rust: the wasm target, the standard library's sources, the wasm-bindgen CLI -----
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    skip "rust target wasm32-unknown-unknown" "installed"
else
    step "rustup target add wasm32-unknown-unknown" \
        "check that rustup can reach static.rust-lang.org, or add the target by hand" \
        rustup target add wasm32-unknown-unknown
fi
# The standard library's sources: the wasm build compiles std with the crate (scripts/cargo-wasm.sh).
if [[ -d $(rustc --print sysroot)/lib/rustlib/src/rust/library ]]; then
    skip "rust component rust-src" "installed"
else
    step "rustup component add rust-src" \
        "check that rustup can reach static.rust-lang.org, or add the component by hand" \
        rustup component add rust-src
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n $want ]] || die "no wasm-bindgen entry in Cargo.lock: run 'cargo generate-lockfile' and check Cargo.toml"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ $have == "$want" ]]; then
    skip "wasm-bindgen CLI $want" "found $(command -v wasm-bindgen)"
else
    echo "    wasm-bindgen CLI: want $want, found ${have:-none}; compiling it takes a few minutes"
    # Not --locked: one of the CLI's locked dependencies is missing from the registry mirror.
    step "cargo install wasm-bindgen-cli --version $want" \
        "read the cargo error above; the version must exist on crates.io and match Cargo.lock" \
        cargo install --force wasm-bindgen-cli --version "$want"
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
    [[ $have == "$want" ]] ||
        die "installed wasm-bindgen $want, but $(command -v wasm-bindgen) is ${have:-unusable}: put ${CARGO_HOME:-$HOME/.cargo}/bin first on PATH"
fi

# --- npm tools: wasm-opt (binaryen), playwright-core, axe-core ------------------------
# npm ci always wipes node_modules, so it runs only when package-lock.json changed since
# the last successful install (its hash is kept in node_modules).
# npm 11 leaves other platforms' optional packages (rollup's native builds, via the LWC
# jest tools) out of the lock, and `npm ci` then refuses it as out of sync; `npm install
# --no-save` installs the same locked versions without rewriting the lock.
npm_from_lock() {
    npm ci --no-audit --no-fund 2>/dev/null && return 0
    echo "    npm ci refused the lock (optional packages of other platforms); installing the locked versions with npm install --no-save"
    npm install --no-save --no-audit --no-fund
}
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.inflow-lock-sha256
if [[ -f $stamp && $(<"$stamp") == "$lock_hash" && -x node_modules/.bin/wasm-opt ]]; then
    skip "npm ci" "node_modules matches package-lock.json"
else
    step "npm packages from package-lock.json (binaryen, playwright-core, axe-core, LWC jest, esbuild)" \
        "check that the npm registry is reachable and that package-lock.json matches package.json (npm install updates it)" \
        npm_from_lock
    echo "$lock_hash" >"$stamp"
fi

# The pages' own copies of npm browser files (Chart.js) under www/vendor/: cheap, so always.
node scripts/vendor.mjs >/dev/null || die "could not copy the npm browser files into www/vendor/: run npm ci, then again"

# --- Debian packages: Chromium, and PostgreSQL when asked ------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
    command -v apt-get >/dev/null ||
        die "apt-get not found: install $* with your system's package manager, then run again"
    local hint="check that the Debian mirror is reachable and that you may use apt-get (root or sudo)"
    if ((apt_updated == 0)); then
        step "apt-get update" "$hint" as_root apt-get update -q
        apt_updated=1
    fi
    step "apt-get install $*" "$hint" \
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if command -v chromium >/dev/null; then
    skip "chromium" "$(chromium --version 2>/dev/null | head -n1)"
else
    apt_install chromium chromium-driver fonts-liberation
fi

if ((with_postgres)); then
    if installed postgresql; then
        skip "postgresql" "$(ls -d /usr/lib/postgresql/*/bin | tail -n1)"
    else
        apt_install postgresql
    fi
fi

echo "==> setup: everything in place in $(since "$started")"
