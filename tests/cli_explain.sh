#!/bin/bash
# cli_explain.sh - `syswall explain`: the action, the deciding rule and
# condition, symbolic arguments, the failure cases; and what the filters of
# the failure cases bh-01, bh-03 and bh-29 do with the call each is about.
. "$(dirname "$0")/helpers/common.sh"
G=${SW_SOURCE_DIR:?}/tests/golden
C=${SW_SHARED:?}/cases

# says FILE LINE...: explain's output holds each LINE exactly.
says() {
        local f=$1
        shift
        for l in "$@"; do
                grep -qxF -- "$l" "$f" || fail "$f: no line '$l' in: $(cat "$f")"
        done
}

ex() { # NAME ARGS...: run explain, keep stdout in $tmp/NAME, rc in $rc
        local name=$1
        shift
        "$S" explain "$@" >"$tmp/$name" 2>"$tmp/$name.err"
        rc=$?
}

ex stream "$G/disasm.json" socket AF_INET "SOCK_STREAM|SOCK_CLOEXEC"
[ $rc -eq 0 ] || fail "stream: exit $rc: $(cat "$tmp/stream.err")"
says "$tmp/stream" \
        "call:      socket(0x2, 0x80001, 0x0, 0x0, 0x0, 0x0) = number 41 on x86_64" \
        "action:    ALLOW" \
        "rule:      syscalls[4] 'socket' CONDITIONAL ($G/disasm.json:12)" \
        'condition: conditions[0] "AF_INET stream": arg0 == 0x2 (32-bit) and arg1 & 0xf == 0x1 (32-bit)'
grep -Eqx 'bpf:       [0-9]+ of [0-9]+ instructions run' "$tmp/stream" || fail "stream: no instruction count"

ex unix "$G/disasm.json" socket 1 1
says "$tmp/unix" "action:    ALLOW" 'condition: conditions[1] "AF_UNIX": arg0 == 0x1 (32-bit)'

ex v6 "$G/disasm.json" socket AF_INET6 SOCK_STREAM
says "$tmp/v6" "action:    ERRNO(EAFNOSUPPORT)" "condition: none of 2 holds, so the rule's errno applies"

ex far "$G/disasm.json" lseek 3 0x100000000 0
says "$tmp/far" "action:    ERRNO(EPERM)"
ex near "$G/disasm.json" lseek 3 -- -1
says "$tmp/near" "call:      lseek(0x3, 0xffffffffffffffff, 0x0, 0x0, 0x0, 0x0) = number 8 on x86_64" "action:    ERRNO(EPERM)"

ex clone3 "$G/disasm.json" clone3
says "$tmp/clone3" "action:    ERRNO(ENOSYS)" "rule:      syscalls[3] 'clone3' DENY ($G/disasm.json:10)"

ex unlisted "$G/disasm.json" 101
says "$tmp/unlisted" "call:      ptrace(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = number 101 on x86_64" \
        "action:    KILL_PROCESS" "rule:      none: the call is not listed, so the default action applies"

ex arm "$G/disasm.json" --arch aarch64 read
says "$tmp/arm" "call:      read(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = number 63 on aarch64" "action:    ALLOW"

# A port restriction: the condition lists the ports, and the mechanism
# that judges them after the filter is named.
cat >"$tmp/ports.json" <<'EOF2'
{"schema_version": "1.0", "whitelist_id": "ports", "created_at": "2026-01-15T10:00:00Z",
 "created_by": "Security Agent", "syscalls": [
  {"name": "execve", "permission": "ALLOW"},
  {"name": "connect", "permission": "CONDITIONAL", "errno": "EACCES",
   "conditions": {"description": "https", "port_restriction": {"allowed_ports": [443, 8443]}}}]}
EOF2
ex ports "$tmp/ports.json" connect 3
says "$tmp/ports" "action:    ALLOW" 'condition: conditions[0] "https": port in 443 8443'
if "$S" features | grep -q '^port restrictions: *Landlock for TCP connect/bind, supervisor for the rest$'; then
        says "$tmp/ports" "ports:     judged after the filter: TCP by Landlock (EACCES), other sockets by the supervisor"
fi
ex noports "$tmp/ports.json" execve
grep -q '^ports:' "$tmp/noports" && fail "execve: a ports line for a call without one"

# Failures: each with its code and one clear message.
ex nocall "$G/disasm.json" frobnicate
[ $rc -eq 3 ] || fail "unknown call: exit $rc, want 3"
says "$tmp/nocall.err" "syswall: explain: 'frobnicate' is no system call on x86_64 [ENOENT]"
ex noconst "$G/disasm.json" socket AF_INTE
[ $rc -eq 3 ] || fail "unknown constant: exit $rc, want 3"
says "$tmp/noconst.err" "syswall: explain: unknown constant 'AF_INTE' in 'AF_INTE' [ENOENT]" "  hint: did you mean 'AF_INET'?"
ex usage "$G/disasm.json"
[ $rc -eq 5 ] || fail "no syscall: exit $rc, want 5"

# The failure cases: the filter does what each whitelist says.
expl() { # CASE FILE SYSCALL ACTION
        "$S" explain "$C/$1/$2" "$3" >"$tmp/case" 2>&1 || fail "$1/$2: explain failed: $(cat "$tmp/case")"
        says "$tmp/case" "action:    $4"
}
expl bh-01 whitelist.json clone3 "ERRNO(EPERM)"
expl bh-01 whitelist-enosys.json clone3 "ERRNO(ENOSYS)"
expl bh-03 whitelist.json rseq KILL_PROCESS
expl bh-03 whitelist-deny-enosys.json rseq "ERRNO(ENOSYS)"
expl bh-29 whitelist.json epoll_pwait KILL_PROCESS
expl bh-29 whitelist.json epoll_wait ALLOW
expl bh-29 whitelist-fixed.json epoll_pwait ALLOW

[ $fails -eq 0 ] && echo "explain: all answers as expected"
[ $fails -eq 0 ]
