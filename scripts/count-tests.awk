# Sums the test counts in the output of a test run and prints "PASSED FAILED".
#   cargo test:  every "test result: ok. 5 passed; 0 failed; ..." line (each test binary
#                and the doctests print one)
#   node --test: the summary, "ℹ pass 6" / "ℹ fail 0" (spec reporter) or "# pass 6" (TAP);
#                cancelled tests (a file that did not load, a timeout) count as failed.
#   jest:        "Tests:       1 failed, 12 passed, 13 total" (sfdx-lwc-jest)
/^test result: / {
    for (i = 2; i <= NF; i++) {
        if ($i ~ /^passed;?$/) passed += $(i - 1)
        if ($i ~ /^failed;?$/) failed += $(i - 1)
    }
}
/^(ℹ|#) pass [0-9]+$/      { passed += $3 }
/^(ℹ|#) fail [0-9]+$/      { failed += $3 }
/^(ℹ|#) cancelled [0-9]+$/ { failed += $3 }
/^Tests: +.*total$/ {
    for (i = 2; i <= NF; i++) {
        if ($i ~ /^passed,?$/) passed += $(i - 1)
        if ($i ~ /^failed,?$/) failed += $(i - 1)
    }
}
END { print passed + 0, failed + 0 }
