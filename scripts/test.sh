#!/usr/bin/env bash
# The one test command: installs what is missing (with PostgreSQL for the server tests),
# then runs every suite, each under a banner, going on after a failing one. Ends with a
# table of the suites and exactly one line "N passed, N failed"; exits non-zero when a
# suite failed, a test failed, or no test ran. Each suite's output is kept in
# target/test-logs/.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

logs=target/test-logs
mkdir -p "$logs"
names=() states=() passes=() fails=() times=()
total_passed=0 total_failed=0 failed_suites=0

# suite NAME COUNTS COMMAND [ARGS...]
# Runs one suite, streaming its output and keeping it in target/test-logs/NAME.log.
# COUNTS is "count" for a suite that runs tests (its counts are summed) or "-" for a step.
suite() {
    local name=$1 counts=$2 t rc passed=- failed=- log="$logs/$1.log"
    shift 2
    printf '\n==================== %s ====================\n' "$name"
    echo "\$ $*"
    t=$(now_ms)
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [[ $counts == count ]]; then
        read -r passed failed < <(awk -f scripts/count-tests.awk "$log")
        total_passed=$((total_passed + passed))
        total_failed=$((total_failed + failed))
    fi
    record "$name" "$( ((rc == 0)) && echo ok || echo "FAILED ($rc)")" "$passed" "$failed" "$(since "$t")"
    return "$rc"
}

# record NAME STATE PASSED FAILED TIME: one row of the summary table.
record() {
    names+=("$1") states+=("$2") passes+=("$3") fails+=("$4") times+=("$5")
    [[ $2 == ok ]] || failed_suites=$((failed_suites + 1))
}

if suite setup - scripts/setup.sh --with-postgres; then
    # The server's storage tests run on SQLite and on a throwaway PostgreSQL cluster,
    # stopped on the way out whatever happens.
    if pg_url=$(scripts/pg-test.sh start); then
        trap 'scripts/pg-test.sh stop "$pg_url"' EXIT
        export INFLOW_TEST_POSTGRES=$pg_url
        echo "==> PostgreSQL for the server tests: $pg_url"; record postgres ok - - -
    else
        record postgres "FAILED: not started" - - -
    fi

    suite cargo-test count cargo test --workspace --all-features --no-fail-fast

    shopt -s nullglob
    js_tests=(tests/js/*.test.mjs tests/js/*.test.js)
    e2e_tests=(tests/e2e/*.test.mjs tests/e2e/*.test.js)
    if suite build-wasm - scripts/build-wasm.sh; then
        ((${#js_tests[@]})) && suite js count node --test --test-reporter=spec "${js_tests[@]}"
        suite wasm2js - scripts/build-wasm2js.sh
        fallback=()
        [[ -f pkg-fallback/inflow_asm.js ]] && fallback=(--with-fallback)
        if suite salesforce - scripts/build-salesforce.sh "${fallback[@]}"; then
            suite lwc-jest count bash -c 'cd www/salesforce && ../../node_modules/.bin/sfdx-lwc-jest'
        else
            record lwc-jest "not run: no static resource" - - -
        fi
        ((${#e2e_tests[@]})) && suite e2e count node --test --test-reporter=spec "${e2e_tests[@]}"
    else
        # Never test a stale pkg/.
        ((${#js_tests[@]})) && record js "not run: no fresh pkg/" - - -
        ((${#e2e_tests[@]})) && record e2e "not run: no fresh pkg/" - - -
    fi
else
    record tests "not run: setup failed" - - -
fi

printf '\n==================== summary ====================\n'
printf '%-12s %-24s %7s %7s %9s\n' suite status passed failed time
for i in "${!names[@]}"; do
    printf '%-12s %-24s %7s %7s %9s\n' "${names[$i]}" "${states[$i]}" "${passes[$i]}" "${fails[$i]}" "${times[$i]}"
done
echo "$total_passed passed, $total_failed failed"

((failed_suites == 0 && total_failed == 0 && total_passed > 0))
