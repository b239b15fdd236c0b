#!/bin/bash
# cli_examples.sh - the whitelists that ship: examples/whitelist.json (the
# brief's sample made correct) and the default are clean; the brief's sample
# as written (tests/data/brief-sample.json) gets the recv/send and
# socket-port warnings, with file:line:col, and is refused in strict mode.
set -u
S=${SYSWALL:?}
cd "$SW_SOURCE_DIR" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

# expect NAME RC FRAGMENT -- CMD...: exit status and a fragment of stderr.
expect() {
        local name=$1 rc=$2 frag=$3
        shift 4
        "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        local got=$?
        count=$((count + 1))
        if [ "$got" -ne "$rc" ]; then
                echo "FAIL: $name: exit $got, expected $rc"
                sed 's/^/  /' "$tmp/out" "$tmp/err" | head -20
                fail=1
        elif [ -n "$frag" ] && ! grep -qF -- "$frag" "$tmp/out" "$tmp/err"; then
                echo "FAIL: $name: output lacks '$frag'"
                sed 's/^/  /' "$tmp/out" "$tmp/err" | head -20
                fail=1
        fi
}

also() { # NAME FRAGMENT: the last command's output holds FRAGMENT too
        if ! grep -qF -- "$2" "$tmp/out" "$tmp/err"; then
                echo "FAIL: $1: output lacks '$2'"
                fail=1
        fi
}

warnings() { # the number of warnings in the last command's output
        grep -c ': warning: ' "$tmp/err"
}

B=tests/data/brief-sample.json
# pos TEXT: "line:col" of the first occurrence of TEXT in $B (1-based).
pos() {
        awk -v t="$1" 'i = index($0, t) { print NR ":" i; exit }' "$B"
}
expect "brief sample: 35 rules" 0 "" -- /usr/bin/python3 -c "
import json, sys
n = len(json.load(open('$B'))['syscalls'])
sys.exit(0 if n == 35 else 1)"
expect "brief sample: warnings" 0 \
        "$B:$(pos '"recv"'): warning: \"recv\" is not a system call on x86_64: glibc's recv() calls recvfrom [EPROTO]" \
        -- "$S" check "$B"
also "brief sample: send" \
        "$B:$(pos '"send"'): warning: \"send\" is not a system call on x86_64: glibc's send() calls sendto [EPROTO]"
also "brief sample: socket port" \
        "$B:$(pos '"port_restriction"'): warning: socket carries no address: here the port restriction means every socket created may only reach port 5432"
also "brief sample: socket path" "at syscalls[12].conditions.port_restriction"
also "brief sample: recv hint" 'hint: list "recvfrom" instead'
also "brief sample: set_robust_list" "set_robust_list is not listed"
expect "brief sample, strict" 5 "$B:$(pos '"recv"'): error: \"recv\"" \
        -- "$S" check --strict "$B"
expect "brief sample cannot run" 125 \
        "the whitelist does not allow execve, so no command can start" \
        -- "$S" run "$B" -- /bin/true

# The example is applied in-process by the agent, so its one warning is
# that `run` cannot start a command under it.
E=examples/whitelist.json
expect "example: clean" 0 "$E: ok, 45 rules for x86_64, 1 warning" \
        -- "$S" check "$E"
also "example: the warning" "execve is not allowed, so \`syswall run\` cannot start any command"
[ "$(warnings)" -eq 1 ] || { echo "FAIL: example: warnings"; cat "$tmp/err"; fail=1; }
expect "example: strict, execve only" 5 "$E: 1 error" -- "$S" check --strict "$E"
expect "example: network" 0 "connect" -- "$S" list "$E" --category network

D=data/default-whitelist.json
expect "default: clean" 0 "$D: ok, 227 rules for x86_64" -- "$S" check "$D"
[ "$(warnings)" -eq 0 ] || { echo "FAIL: default: warnings"; cat "$tmp/err"; fail=1; }
expect "default: strict" 0 "" -- "$S" check --strict "$D"

[ $fail -eq 0 ] && echo "examples: $count checks passed"
exit $fail
