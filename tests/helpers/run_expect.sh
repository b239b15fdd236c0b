# run_expect.sh - expect() for the tests that run commands under syswall
# (cli_run.sh, cli_run_cases.sh).  The sourcing test sets tmp, fail (0,
# set to 1 on a failure) and count (the checks made).

# expect NAME RC OUT_FRAGMENT ERR_FRAGMENT -- CMD...: run CMD and check its
# exit status and that stdout and stderr hold the fragments ("" = any).
expect() {
        local name=$1 rc=$2 out=$3 err=$4
        shift 5
        "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        local got=$?
        count=$((count + 1))
        if [ "$got" -ne "$rc" ]; then
                echo "FAIL: $name: exit $got, expected $rc"
                sed 's/^/  stdout: /' "$tmp/out" | head -5
                sed 's/^/  stderr: /' "$tmp/err" | head -10
                fail=1
                return
        fi
        if [ -n "$out" ] && ! grep -qF -- "$out" "$tmp/out"; then
                echo "FAIL: $name: stdout lacks '$out'"
                sed 's/^/  stdout: /' "$tmp/out" | head -5
                fail=1
        fi
        if [ -n "$err" ] && ! grep -qF -- "$err" "$tmp/err"; then
                echo "FAIL: $name: stderr lacks '$err'"
                sed 's/^/  stderr: /' "$tmp/err" | head -10
                fail=1
        fi
}
