#!/bin/bash
# cli_regress.sh - inputs the fuzzers found, replayed through the command:
# each must get its exact diagnostic and exit code, never a crash.
set -u
cd "$SW_SOURCE_DIR" || exit 1
fail=0

# A port-restricted rule whose "name" is misspelled: the rule has no name,
# and the port checks must not read it (UBSan: null passed to strcmp).
f=fuzz/corpus/reader/port-rule-without-name.json
out=$($SYSWALL check "$f" 2>&1)
rc=$?
[ $rc -eq 5 ] || { echo "FAIL: $f: exit $rc, expected 5"; fail=1; }
grep -qF "$f:9:7: error: unknown field \"namA\"" <<<"$out" ||
        { echo "FAIL: $f: no unknown-field error at 9:7: $out"; fail=1; }
grep -qF 'syscalls[1]' <<<"$out" ||
        { echo "FAIL: $f: no path syscalls[1]: $out"; fail=1; }
[ $fail -eq 0 ] && echo "regress: 1 fuzzer finding replayed"
exit $fail
