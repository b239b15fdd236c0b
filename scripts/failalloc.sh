#!/bin/bash
# failalloc.sh [BUILD_DIR] - allocation failures injected into `syswall check` and
# `syswall run` (tests/helpers/failmalloc.c fails exactly the Nth malloc,
# calloc or realloc).  Whichever allocation fails, the command never
# crashes: it either gets through or fails with EINTERNAL (exit 7; 125 for
# run, naming EINTERNAL), and `run` never starts its command unfiltered:
# when the command runs, its /proc/self/status says "Seccomp: 2".
#
# check on a small whitelist: every allocation in turn.  check and run on
# the default whitelist (about 20,000 allocations): the first 100 and 150
# more spread evenly over the rest.
set -u
cd "$(dirname "$0")/.." || exit 1
dir=${1:-build}
S=${SYSWALL:-$dir/syswall}
FAILMALLOC=${FAILMALLOC:-$dir/tests/libfailmalloc.so}
SMALL=tests/data/valid/minimal.json
WL=data/default-whitelist.json
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

allocs() { # CMD... : how many allocations a clean run makes
        SW_COUNT_ALLOC=1 LD_PRELOAD=$FAILMALLOC "$@" 2>&1 >/dev/null |
                grep -E '^[0-9]+$' | head -1
}

points() { # TOTAL : 1..100, then 150 points spread over the rest
        local total=$1 i
        seq 1 $((total < 100 ? total : 100))
        [ "$total" -gt 100 ] || return 0
        for i in $(seq 1 150); do
                echo $((100 + (total - 100) * i / 150))
        done
}

check_at() { # FILE N
        SW_FAIL_ALLOC=$2 LD_PRELOAD=$FAILMALLOC timeout 10 $S check -q "$1" \
                >/dev/null 2>"$tmp/err"
        rc=$?
        case $rc in
        0) ;;
        7) grep -q 'EINTERNAL' "$tmp/err" ||
                bad "check $1, allocation $2 fails: exit 7 without EINTERNAL: $(head -3 "$tmp/err")" ;;
        *) bad "check $1, allocation $2 fails: exit $rc: $(head -3 "$tmp/err")" ;;
        esac
        [ $rc -eq 7 ] && n_internal=$((n_internal + 1))
        n_runs=$((n_runs + 1))
}

run_at() { # N
        SW_FAIL_ALLOC=$1 LD_PRELOAD=$FAILMALLOC timeout 10 $S run -p $WL --no-trace -- \
                /bin/grep '^Seccomp:' /proc/self/status >"$tmp/out" 2>"$tmp/err"
        rc=$?
        case $rc in
        0) grep -q '^Seccomp:[[:space:]]*2$' "$tmp/out" ||
                bad "run, allocation $1 fails: the command ran unfiltered: $(cat "$tmp/out")" ;;
        125) [ -s "$tmp/out" ] && bad "run, allocation $1 fails: 125, yet the command ran"
             grep -q 'EINTERNAL' "$tmp/err" ||
                bad "run, allocation $1 fails: 125 without EINTERNAL: $(head -3 "$tmp/err")"
             r_internal=$((r_internal + 1)) ;;
        *) bad "run, allocation $1 fails: exit $rc: $(head -3 "$tmp/err")" ;;
        esac
        r_runs=$((r_runs + 1))
}

[ -f "$FAILMALLOC" ] || { echo "FAIL: no failmalloc library"; exit 1; }
n_runs=0 n_internal=0 r_runs=0 r_internal=0

small=$(allocs $S check -q $SMALL)
[ -n "$small" ] && [ "$small" -gt 50 ] || { echo "FAIL: cannot count allocations ($small)"; exit 1; }
for n in $(seq 1 "$small"); do
        check_at $SMALL "$n"
done
big=$(allocs $S check -q $WL)
for n in $(points "$big"); do
        check_at $WL "$n"
done
[ $n_internal -gt 0 ] || bad "no injected failure was reported as EINTERNAL by check"

runs=$(allocs $S run -p $WL --no-trace -- /bin/true)
for n in $(points "$runs"); do
        run_at "$n"
done
[ $r_internal -gt 0 ] || bad "no injected failure was reported as EINTERNAL by run"

[ $fail -eq 0 ] && echo "failalloc: check: $n_runs runs ($small + points of $big allocations), $n_internal EINTERNAL; run: $r_runs runs (of $runs), $r_internal refused with EINTERNAL, the rest filtered; no crash"
exit $fail
