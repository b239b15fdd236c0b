#!/bin/bash
# demo.sh - the README's first command: set up, build, and run a real
# program under a whitelist, showing what is allowed and what is stopped.
set -uo pipefail
cd "$(dirname "$0")/.."
# SYSWALL names an already built binary (the README test uses it).
if [ -n "${SYSWALL:-}" ]; then
        S=$SYSWALL
else
        bash scripts/deps.sh && bash scripts/build.sh build >/dev/null || exit 1
        S=./build/syswall
fi

echo "\$ syswall run -- ls -l /        # the embedded default whitelist"
$S run -- ls -l /
echo "exit status: $?"
echo
echo "\$ syswall run -- python3 -c 'ctypes ptrace(...)'   # refused call"
$S run -- python3 -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)'
echo "exit status: $?"
