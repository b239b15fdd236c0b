#!/bin/bash
# demo.sh - the README's first command: set up, build, and run a real
# program under a whitelist, showing what is allowed and what is stopped.
# Exits 0 when both behave as they should, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
# SYSWALL names an already built binary (the README test uses it).
if [ -n "${SYSWALL:-}" ]; then
        S=$SYSWALL
else
        bash scripts/deps.sh && bash scripts/build.sh build >/dev/null || exit 1
        S=./build/syswall
fi
PY=/usr/bin/python3
ok=0

step() { # TITLE: print a banner
        printf '\n\033[1m== %s\033[0m\n' "$1"
}

step "1. ls -l / under the embedded default whitelist (227 rules, measured with strace)"
echo "\$ syswall run -- ls -l /"
$S run -- ls -l /
rc=$?
echo "exit status: $rc (the command's own)"
[ $rc -eq 0 ] || ok=1

step "2. a program that calls ptrace(2), which the whitelist does not list"
echo "\$ syswall run -- python3 -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)'"
$S run -- $PY -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)' \
        2>"${TMPDIR:-/tmp}/syswall-demo.$$"
rc=$?
cat "${TMPDIR:-/tmp}/syswall-demo.$$"
echo "exit status: $rc (128 + 31: the kernel killed it with SIGSYS)"
[ $rc -eq 159 ] || ok=1
grep -q "does not allow ptrace" "${TMPDIR:-/tmp}/syswall-demo.$$" || ok=1
rm -f "${TMPDIR:-/tmp}/syswall-demo.$$"

step "3. the same whitelist lets the program do its ordinary work"
echo "\$ syswall run -- python3 -c 'import json, threading; ...'"
$S run -- $PY -c '
import json, threading
t = threading.Thread(target=lambda: print(json.dumps({"thread": "ok"})))
t.start(); t.join()'
rc=$?
echo "exit status: $rc"
[ $rc -eq 0 ] || ok=1

echo
if [ $ok -eq 0 ]; then
        echo "demo: allowed calls ran, the refused call was stopped and named."
else
        echo "demo: something did not behave as described above." >&2
fi
exit $ok
