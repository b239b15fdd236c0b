#!/bin/bash
# cli_failalloc.sh - allocation failures injected into syswall's commands.
#
# tests/helpers/failmalloc.c (LD_PRELOAD) fails exactly the Nth malloc,
# calloc or realloc of a process.  For each command below, N runs over
# every allocation the command makes (or, for the big ones, the first 100
# and points spread evenly over the rest), and whichever allocation fails:
#
#   - the command never crashes and never hangs (10 s);
#   - it either succeeds as it would without the failure, or fails with
#     exit 7 and says EINTERNAL (run: 125 and EINTERNAL), never with
#     another code (an out-of-memory reported as "invalid JSON" is wrong);
#   - a failed compile or import leaves no output file behind;
#   - run never starts its command unfiltered: when the command runs, its
#     /proc/self/status says "Seccomp: 2" (compiling, and from the filter
#     cache).
#
# Not under the sanitizers: ASan's runtime owns the allocator and must be
# loaded first, so no LD_PRELOAD library can replace malloc there.
set -u
S=${SYSWALL:?}
SRC=${SW_SOURCE_DIR:?}
B=${SW_BUILD_DIR:?}
SHARED=${SW_SHARED:-$SRC/../shared}
FAILMALLOC=${FAILMALLOC:-$B/tests/libfailmalloc.so}

if ldd "$S" 2>/dev/null | grep -q 'libasan'; then
        echo "SKIP: sanitizer build: ASan owns the allocator, so the" \
                "LD_PRELOAD failmalloc cannot replace it; the normal build" \
                "runs this test"
        exit 77
fi
[ -f "$FAILMALLOC" ] || { echo "FAIL: no $FAILMALLOC"; exit 1; }

T=$(mktemp -d /tmp/sw-cli-failalloc.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
bad() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}

D=$SRC/tests/data
MINIMAL=$D/valid/minimal.json
RICH=$D/failalloc/rich.json  # conditions, ports, constants, lint hints
ARGS=$D/failalloc/args.json  # the same without ports: compile takes it
DEFAULT=$SRC/data/default-whitelist.json
OCI=$SHARED/real-inputs/moby-profiles-seccomp-default.json
[ -f "$OCI" ] || OCI=$D/oci-same-index.json

allocs() { # CMD... : how many allocations a clean run makes
        SW_COUNT_ALLOC=1 LD_PRELOAD=$FAILMALLOC "$@" 2>&1 >/dev/null |
                grep -E '^[0-9]+$' | tail -1
}

points() { # TOTAL SPREAD : 1..100, then SPREAD points over the rest
        local total=$1 spread=$2 i
        if [ "$total" -le $((100 + spread)) ]; then
                seq 1 "$total"
                return
        fi
        seq 1 100
        for i in $(seq 1 "$spread"); do
                echo $((100 + (total - 100) * i / spread))
        done
}

# at N CMD... : run CMD with allocation N failing; sets rc, $W/out, $W/err
at() {
        local n=$1
        shift
        SW_FAIL_ALLOC=$n LD_PRELOAD=$FAILMALLOC timeout 60 "$@" \
                >"$W/out" 2>"$W/err"
        rc=$?
}

# judge NAME N : 0 when it succeeded, 1 for exit 7 with EINTERNAL said
judge() {
        local name=$1 n=$2
        case $rc in
        0) return 0 ;;
        124) bad "$name, allocation $n fails: no exit within 60 s" ;;
        7)
                grep -q 'EINTERNAL' "$W/err" "$W/out" && return 1
                bad "$name, allocation $n fails: exit 7 without EINTERNAL:" \
                        "$(head -c 300 "$W/err")" ;;
        *) bad "$name, allocation $n fails: exit $rc: $(head -c 300 "$W/err")" ;;
        esac
        return 2
}

# A success must say what a clean run says: nothing may go missing.
same_as_clean() { # NAME N FILE...
        local name=$1 n=$2 f
        shift 2
        for f in "$@"; do
                cmp -s "$W/$f" "$W/clean.$f" ||
                        bad "$name, allocation $n fails: exit 0 but $f" \
                                "differs: $(diff "$W/clean.$f" "$W/$f" | head -5)"
        done
}

after_check() { [ "$1" != 0 ] || same_as_clean "$name" "$2" out err; }
after_explain() { [ "$1" != 0 ] || same_as_clean "$name" "$2" out; }
after_verify() { [ "$1" != 0 ] || same_as_clean "$name" "$2" out err; }
# A failed command leaves no file; a successful one the same file.
after_compile() {
        if [ "$1" = 0 ]; then
                cmp -s "$W/prog.bpf" "$W/clean.prog.bpf" ||
                        bad "$name, allocation $2 fails: another program"
        elif [ -e "$W/prog.bpf" ]; then
                bad "$name, allocation $2 fails: a file was left behind"
        fi
        rm -f "$W/prog.bpf"
}
after_import() {
        if [ "$1" = 0 ]; then
                grep -v '"created_at"' "$W/imp.json" >"$W/imp.cmp"
                cmp -s "$W/imp.cmp" "$W/clean.imp.cmp" ||
                        bad "$name, allocation $2 fails: another whitelist"
        elif [ -e "$W/imp.json" ]; then
                bad "$name, allocation $2 fails: a file was left behind"
        fi
        rm -f "$W/imp.json"
}
after_run() { # refused with 125 and EINTERNAL, or the command ran filtered
        :
}

# sweep NAME KIND SPREAD CMD... : each (or a sample) of CMD's allocations
# fails in turn; KIND names the after_KIND check of each outcome.  Its
# output files live in $T/NAME ($W), "clean.*" from a run without failure.
sweep() {
        local name=$1 kind=$2 spread=$3 total n r runs=0 internal=0
        shift 3
        W=$T/$name
        mkdir -p "$W"
        fails=0
        "$@" >"$W/clean.out" 2>"$W/clean.err"
        [ -e "$W/prog.bpf" ] && mv "$W/prog.bpf" "$W/clean.prog.bpf"
        [ -e "$W/imp.json" ] && grep -v '"created_at"' "$W/imp.json" \
                >"$W/clean.imp.cmp" && rm "$W/imp.json"
        total=$(allocs "$@")
        rm -f "$W/prog.bpf" "$W/imp.json"
        if [ -z "$total" ] || [ "$total" -lt 5 ]; then
                bad "$name: cannot count its allocations ('$total')"
                return
        fi
        for n in $(points "$total" "$spread"); do
                at "$n" "$@"
                if [ "$kind" = run ]; then
                        judge_run "$name" "$n"
                else
                        judge "$name" "$n"
                fi
                r=$?
                runs=$((runs + 1))
                [ $r = 1 ] && internal=$((internal + 1))
                after_$kind "$r" "$n"
        done
        echo "$name: $runs runs of $total allocations, $internal failed" \
                "with EINTERNAL, the rest succeeded"
        [ $internal -gt 0 ] ||
                bad "$name: no injected failure was reported as EINTERNAL"
        echo $fails >"$W/fails"
}

judge_run() { # NAME N
        local name=$1 n=$2
        case $rc in
        0)
                grep -q '^Seccomp:[[:space:]]*2$' "$W/out" && return 0
                bad "$name, allocation $n fails: the command ran unfiltered:" \
                        "$(cat "$W/out")" ;;
        125)
                if [ -s "$W/out" ]; then
                        bad "$name, allocation $n fails: 125, yet the" \
                                "command ran: $(cat "$W/out")"
                elif grep -q 'EINTERNAL' "$W/err"; then
                        return 1
                else
                        bad "$name, allocation $n fails: 125 without" \
                                "EINTERNAL: $(head -c 300 "$W/err")"
                fi ;;
        124) bad "$name, allocation $n fails: no exit within 60 s" ;;
        *) bad "$name, allocation $n fails: exit $rc: $(head -c 300 "$W/err")" ;;
        esac
        return 2
}

# Two at a time: the machine has two cores.
(
        sweep check check 100000 "$S" check -q "$MINIMAL"
        sweep check_default check 100 "$S" check -q "$DEFAULT"
        sweep compile compile 100 "$S" compile "$ARGS" -o "$T/compile/prog.bpf"
        sweep verify verify 100000 "$S" verify --trust "$D/sign/test.pub" \
                "$D/sign/signed.json"
        sweep import import 100 "$S" import --from oci -o "$T/import/imp.json" \
                "$OCI"
        sweep export check 100 "$S" export --format oci "$ARGS"
) &
(
        sweep check_rich check 300 "$S" check -q "$RICH"
        sweep explain explain 100 "$S" explain "$RICH" openat 3 0 0
        sweep run run 100 "$S" run --no-cache -p "$DEFAULT" --no-trace -- \
                /bin/grep '^Seccomp:' /proc/self/status
        # The clean run fills the cache; then every allocation of a hit.
        sweep run_cached run 100 "$S" run --cache-dir "$T/cache" \
                -p "$DEFAULT" --no-trace -- /bin/grep '^Seccomp:' \
                /proc/self/status
) &
wait

total=0
for f in "$T"/*/fails; do
        total=$((total + $(cat "$f")))
done
[ "$(ls "$T"/*/fails | wc -l)" = 10 ] || bad "a sweep did not finish"
[ $total -eq 0 ] && [ $fails -eq 0 ] &&
        echo "cli_failalloc: no crash, no hang, no wrong code, nothing lost"
[ $total -eq 0 ] && [ $fails -eq 0 ]
