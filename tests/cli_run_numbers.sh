#!/bin/bash
# cli_run_numbers.sh - a kill for a number that is no system call (-1,
# 999, 0x7fffffff) is named as such, with the arguments libc's syscall()
# was given, never as a made-up name or an x32 call.
. "$(dirname "$0")/helpers/common.sh"

cat >"$tmp/nr.py" <<'PY'
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.argtypes = [ctypes.c_long] * 4
libc.syscall(int(sys.argv[1], 0), 0x11, 0x22, 0x33)
PY

# number NR SHOWN: the command dies of SIGSYS (159) and syswall says so.
number() {
        local nr=$1 shown=$2 out rc first second
        out=$("$S" run -- python3 "$tmp/nr.py" "$nr" 2>&1 >/dev/null)
        rc=$?
        [ "$rc" = 159 ] || fail "$nr: exit $rc, want 159: $out"
        first=$(sed -n 1p <<<"$out")
        second=$(sed -n 2p <<<"$out")
        [ "$first" = "syswall: run: the command was killed by SIGSYS: it made system call number $shown (no such call on x86_64)" ] ||
                fail "$nr: first line: $first"
        [[ $second == "  call: syscall($shown, 0x11, 0x22, 0x33, "*") in thread "[0-9]*" (python3) of pid "[0-9]* ]] ||
                fail "$nr: second line: $second"
        [ "$(wc -l <<<"$out")" = 2 ] || fail "$nr: more than two lines: $out"
}

if [ "$(uname -m)" != x86_64 ]; then
        # Registers are read on x86_64 only (src/cli/watch.c).
        echo "SKIP: not x86_64"
        [ -n "${CI:-}" ] && exit 1
        exit 77
fi
number -1 -1
number 999 999
# Bit 30 set, but no x32 call either.
out=$("$S" run -- python3 "$tmp/nr.py" 0x7fffffff 2>&1 >/dev/null)
[ $? = 159 ] || fail "0x7fffffff: not killed: $out"
[ "$(sed -n 1p <<<"$out")" = "syswall: run: the command was killed by SIGSYS: it made system call number 0x7fffffff, with the x32 bit 30 set (no such call); calls of a foreign ABI are always killed" ] ||
        fail "0x7fffffff: $out"
[ $fails -eq 0 ] && echo "cli_run_numbers: -1, 999 and 0x7fffffff named"
[ $fails -eq 0 ]
