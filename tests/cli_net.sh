#!/bin/bash
# cli_net.sh - port restrictions under `syswall run`, for real, with the
# cases bh-22, bh-23, bh-25 and bh-26: Landlock and the supervisor, then
# the supervisor alone (--no-landlock).  Loopback only: 5353 is allowed,
# 9999 forbidden; the cases' listen.py counts what arrives.
set -euo pipefail
S=${SYSWALL:?}

# The cases use fixed ports (5353, 9999): run in a network namespace of
# our own, with its own loopback, so that suites running side by side on
# one machine cannot meet on them.
if [ -z "${SW_NET_NS:-}" ] && unshare -n true 2>/dev/null; then
        exec env SW_NET_NS=1 unshare -n bash -c \
                'ip link set lo up && exec bash "$0"' "$0"
fi
CASES=${SW_SHARED:?}/cases
T=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$T"' EXIT
fails=0

fail() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}

need() {
        if ! "$S" features --json | grep -q "\"$1\": true"; then
                [ -n "${CI:-}" ] && { echo "FAIL (CI): kernel lacks $1"; exit 1; }
                echo "skipped: the kernel lacks $1"
                exit 0
        fi
}
need user_notif
need pidfd_getfd
need landlock_net
command -v gcc >/dev/null || { echo "FAIL: gcc missing"; exit 1; }

# The cases' programs, built static as their cmd.sh do.  bh-22 at -O0:
# at -O2 gcc sinks the flipper's stores out of its loop and the flip is
# never seen.  bh-26's lingerer ends with _exit(): its stdout is made line
# buffered, or its lines would be lost in a file.
printf '#include <stdio.h>\n__attribute__((constructor)) static void lb(void) { setvbuf(stdout, NULL, _IOLBF, 0); }\n' >"$T/linebuf.h"
gcc -static -O0 -pthread -o "$T/bh22" "$CASES/bh-22/prog.c"
gcc -static -O2 -o "$T/bh23" "$CASES/bh-23/prog.c"
gcc -static -O2 -o "$T/bh25" "$CASES/bh-25/prog.c"
gcc -static -O2 -include "$T/linebuf.h" -o "$T/bh26" "$CASES/bh-26/prog.c"

# listen SECONDS OUT: start the counting listener, wait until it is ready.
listen() {
        rm -f "$2" "$2.err"
        python3 "$CASES/_tools/listen.py" "$1" 5353 9999 >"$2" 2>"$2.err" &
        LPID=$!
        for _ in $(seq 50); do
                grep -q ready "$2.err" 2>/dev/null && return 0
                sleep 0.1
        done
        echo "FAIL: listener did not start"
        exit 1
}

# count OUT PROTO PORT: what the listener received.
count() {
        python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])" "$@"
}

for mode in landlock supervisor; do
        flag=
        [ $mode = supervisor ] && flag=--no-landlock

        # bh-23: TCP and UDP to 9999 both refused, 5353 both reach.
        listen 2 "$T/l23.$mode"
        rc=0
        "$S" run $flag "$CASES/bh-23/whitelist.json" -- "$T/bh23" >"$T/o23" 2>/dev/null || rc=$?
        wait $LPID || fail "listener: $(cat "$T"/*.err)"
        printf 'tcp connect to 5353: done\ntcp connect to 9999: Permission denied\nudp sendto to 5353: done\nudp sendto to 9999: Permission denied\n' >"$T/w23"
        cmp -s "$T/o23" "$T/w23" || { fail "bh-23 ($mode) output:"; cat "$T/o23"; }
        [ $rc = 0 ] || fail "bh-23 ($mode): exit $rc"
        [ "$(count "$T/l23.$mode" tcp 5353)" = 1 ] || fail "bh-23 ($mode): tcp 5353 $(cat "$T/l23.$mode")"
        [ "$(count "$T/l23.$mode" udp 5353)" = 1 ] || fail "bh-23 ($mode): udp 5353 $(cat "$T/l23.$mode")"
        [ "$(count "$T/l23.$mode" tcp 9999)" = 0 ] || fail "bh-23 ($mode): tcp reached 9999"
        [ "$(count "$T/l23.$mode" udp 9999)" = 0 ] || fail "bh-23 ($mode): udp reached 9999"

        # bh-22: a thread flips the port during 20000 sendto and 2000
        # connect; nothing may reach 9999, the flip must be seen.
        listen 4 "$T/l22.$mode"
        "$S" run $flag "$CASES/bh-22/whitelist.json" -- "$T/bh22" >"$T/o22" 2>/dev/null ||
                fail "bh-22 ($mode): exit $?"
        wait $LPID || fail "listener: $(cat "$T"/*.err)"
        echo "bh-22 ($mode): $(cat "$T/o22") $(cat "$T/l22.$mode")"
        read -r sent refused other < <(sed -E 's/udp sent ([0-9]+), refused ([0-9]+), other errors ([0-9]+);.*/\1 \2 \3/' "$T/o22")
        [ "$refused" -gt 0 ] || fail "bh-22 ($mode): the flip was never refused"
        [ "$other" = 0 ] || fail "bh-22 ($mode): $other other errors"
        [ "$sent" -gt 0 ] || fail "bh-22 ($mode): nothing sent"
        [ "$(count "$T/l22.$mode" udp 9999)" = 0 ] || fail "bh-22 ($mode): udp reached 9999"
        [ "$(count "$T/l22.$mode" tcp 9999)" = 0 ] || fail "bh-22 ($mode): tcp reached 9999"

        # bh-25: families, IPv6, v4-mapped, msg_name, the 4 GiB pointer.
        listen 2 "$T/l25.$mode"
        rc=0
        "$S" run $flag "$CASES/bh-25/whitelist.json" -- "$T/bh25" >"$T/o25" 2>/dev/null || rc=$?
        wait $LPID || fail "listener: $(cat "$T"/*.err)"
        [ $rc = 0 ] && grep -qx "0 wrong" "$T/o25" || { fail "bh-25 ($mode): exit $rc"; cat "$T/o25"; }
        [ "$(count "$T/l25.$mode" udp 9999)" = 0 ] || fail "bh-25 ($mode): udp reached 9999"
done

# bh-25 with allowed_families AF_UNIX: the two AF_UNIX lines now go
# through (2 "wrong" for the program, which expects refusals).
python3 - "$CASES/bh-25/whitelist.json" "$T/unix.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["syscalls"]:
    for c in r.get("conditions", []):
        if "port_restriction" in c:
            c["port_restriction"]["allowed_families"] = ["AF_UNIX"]
json.dump(d, open(sys.argv[2], "w"))
PY
rc=0
"$S" run "$T/unix.json" -- "$T/bh25" >"$T/ou" 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "allowed_families AF_UNIX: exit $rc, want 2"
grep -q "^AF_UNIX connect (no port): must be refused  *done  *<-- WRONG" "$T/ou" || fail "AF_UNIX connect not allowed by allowed_families"
grep -q "^AF_UNIX dgram sendto (no port): must be refused  *done  *<-- WRONG" "$T/ou" || fail "AF_UNIX sendto not allowed by allowed_families"

# bh-26: callers killed mid-call; run returns the program's 7 at once;
# the lingerer's supervised calls fail closed (ENOSYS) after run ended.
listen 5 "$T/l26"
start=$(date +%s%N)
rc=0
"$S" run "$CASES/bh-26/whitelist.json" -- "$T/bh26" >"$T/o26" 2>"$T/e26" || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 7 ] || fail "bh-26: exit $rc, want 7"
[ $ms -lt 2500 ] || fail "bh-26: run took $ms ms after the program"
grep -Eq "EPANIC|EINTERNAL" "$T/e26" && fail "bh-26: $(cat "$T/e26")"
n=$(sed -nE 's/children finished normally: ([0-9]+).*/\1/p' "$T/o26")
[ "${n:-0}" -ge 20 ] || fail "bh-26: $n children finished normally"
sleep 4
grep -qx "lingerer: sendto 9999 -> Function not implemented" "$T/o26" || { fail "bh-26: lingerer 9999"; cat "$T/o26"; }
grep -qx "lingerer: sendto 5353 -> Function not implemented" "$T/o26" || fail "bh-26: lingerer 5353"
wait $LPID || fail "listener: $(cat "$T"/*.err)"
[ "$(count "$T/l26" udp 9999)" = 0 ] || fail "bh-26: udp reached 9999"

# check --net says which mechanism enforces each rule (bh-23).
"$S" check --net "$CASES/bh-23/whitelist.json" >"$T/net" 2>/dev/null
grep -q "^  under run/sw_spawn: TCP: Landlock ABI [0-9]* in the kernel (EACCES); UDP and other sockets: supervisor (EACCES)$" "$T/net" || fail "check --net: connect"
grep -q "^sendto (syscalls\[32\]):$" "$T/net" || fail "check --net: sendto"
"$S" check --net --no-landlock "$CASES/bh-23/whitelist.json" >"$T/net2" 2>/dev/null
grep -q "^  in-process (sw_apply_file): not possible (Landlock network rules unavailable)$" "$T/net2" || fail "check --net --no-landlock"

[ $fails = 0 ] || { echo "cli_net: $fails failure(s)"; exit 1; }
echo "cli_net: ok"
