#!/bin/bash
# cli_run_refused_kernel.sh - issue 6 item 5: when the kernel refuses the
# filter (simulated by a filter installed before syswall that fails
# seccomp(2) itself with EPERM), `run` exits 125 naming EPERM and never
# starts the command, whether the filter is compiled or comes from the
# cache.  live_filter.c checks the same refusal in-process.
. "$(dirname "$0")/helpers/common.sh"

NOSEC=$SRC/tests/helpers/noseccomp.py
export SYSWALL_CACHE_DIR=$tmp/cache
want="syswall: run: cannot load the filter, the command was not started: the kernel refused the filter: Operation not permitted [EPERM]"

# The helper itself works: its command runs, under its one filter.
out=$(python3 "$NOSEC" /bin/grep '^Seccomp:' /proc/self/status 2>&1)
[ "$out" = "$(printf 'Seccomp:\t2')" ] || fail "helper: $out"

# Once to fill the cache (unrefused), then refused compiled and cached.
"$S" run -- /bin/true || fail "the cache could not be filled"
for opt in --no-cache ""; do
        python3 "$NOSEC" "$S" run $opt -- /bin/echo RAN \
                >"$tmp/out" 2>"$tmp/err"
        rc=$?
        [ $rc -eq 125 ] || fail "run $opt: exit $rc, want 125"
        [ -s "$tmp/out" ] && fail "run $opt: the command ran: $(cat "$tmp/out")"
        [ "$(cat "$tmp/err")" = "$want" ] ||
                fail "run $opt: stderr: $(cat "$tmp/err")"
done

[ $fails -eq 0 ] || exit 1
echo "cli_run_refused_kernel: ok"
