#!/bin/bash
# cli_run.sh - `syswall run` against the real kernel: real programs under the
# embedded default whitelist, kills named by their refused call, the exit
# status of every class of failure, and signals passed on to the command.
set -u
S=${SYSWALL:?}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

. "$(dirname "$0")/helpers/run_expect.sh"

# also_err NAME FRAGMENT: the last command's stderr holds FRAGMENT too.
also_err() {
        if ! grep -qF -- "$2" "$tmp/err"; then
                echo "FAIL: $1: stderr lacks '$2'"
                sed 's/^/  stderr: /' "$tmp/err" | head -10
                fail=1
        fi
}

# never NAME FILE FRAGMENT: FILE of the last command lacks FRAGMENT.
never() {
        if grep -qF -- "$3" "$tmp/$2"; then
                echo "FAIL: $1: $2 has '$3'"
                fail=1
        fi
}

# not_started NAME: the marker command of a refused run never ran.
not_started() {
        if [ -e "$tmp/ran" ]; then
                echo "FAIL: $1: the command ran although the run was refused"
                rm -f "$tmp/ran"
                fail=1
        fi
}

marker=(/usr/bin/touch "$tmp/ran")

gcc -O2 -pthread -o "$tmp/threaded" "$SW_SOURCE_DIR/tests/progs/threaded.c" ||
        exit 1
printf 'cherry\napple\nbanana\n' >"$tmp/fruit"

# --- ordinary programs under the embedded default whitelist ---------------
expect "ls -l /" 0 " usr" "" -- "$S" run -- ls -l /
expect "cat" 0 "banana" "" -- "$S" run -- cat "$tmp/fruit"
expect "sort" 0 "" "" -- "$S" run -- sort "$tmp/fruit"
[ "$(cat "$tmp/out")" = "$(printf 'apple\nbanana\ncherry')" ] ||
        { echo "FAIL: sort: wrong order: $(cat "$tmp/out")"; fail=1; }
expect "wc" 0 "3 $tmp/fruit" "" -- "$S" run -- wc -l "$tmp/fruit"
expect "python3 one-liner" 0 "42" "" -- "$S" run -- $PY -c 'print(6 * 7)'
expect "python3 threads" 0 "thread saw json 3 pid" "" -- "$S" run -- $PY -c '
import json, os, threading
out = []
t = threading.Thread(target=lambda: out.append(json.dumps([1, 2, 3])))
t.start(); t.join()
print("thread saw json", len(json.loads(out[0])), "pid" if os.getpid() else "")'
expect "threaded epoll/eventfd/timerfd program" 0 "threaded: ok 4" "" -- \
        "$S" run -- "$tmp/threaded"
expect "shell pipeline" 0 "2" "" -- "$S" run -- sh -c 'echo a b | wc -w'
expect "io_uring is denied with ENOSYS" 0 "-1 38" "" -- "$S" run -- $PY -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print(libc.syscall(425, 1, None), ctypes.get_errno())'
expect "packet sockets are refused (EAFNOSUPPORT)" 0 "refused 97" "" -- \
        "$S" run -- $PY -c '
import socket
try:
    socket.socket(17, socket.SOCK_RAW, 0)
    print("created")
except OSError as e:
    print("refused", e.errno)'

expect "TIOCSTI and TIOCLINUX are denied, on 32 bits" 0 \
        "0x5412:1 0x100005412:1 0x541c:1 0xffffffff0000541c:1 0x5413:25" "" \
        -- "$S" run -- $PY -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
out = []
for req in (0x5412, 0x100005412, 0x541c, 0xffffffff0000541c, 0x5413):
    ctypes.set_errno(0)
    libc.syscall(16, 0, ctypes.c_ulong(req), ctypes.c_char_p(b"x"))
    out.append("%#x:%d" % (req, ctypes.get_errno()))
print(" ".join(out))'

# --- refused calls: the command is killed and the call is named ------------
expect "ptrace via ctypes" 159 "" \
        "syswall: run: the command was killed by SIGSYS: the whitelist does not allow ptrace (system call 101 on x86_64)" \
        -- "$S" run -- $PY -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)'
also_err "ptrace arguments" "  call: ptrace(0x0, 0x0, 0x0, 0x0) in thread "
also_err "ptrace hint" '"name": "ptrace", "permission": "ALLOW"'
expect "mount via ctypes" 159 "" \
        "the whitelist does not allow mount (system call 165 on x86_64)" \
        -- "$S" run -- $PY -c '
import ctypes
ctypes.CDLL(None).mount(b"none", b"/mnt", b"tmpfs", 0, None)'
also_err "mount arguments" ", 0x0, 0x0) in thread "
expect "bpf" 159 "" "the whitelist does not allow bpf (system call 321" \
        -- "$S" run -- $PY -c 'import ctypes; ctypes.CDLL(None).syscall(321, 0, 0, 0)'
expect "personality" 159 "" "does not allow personality (system call 135" \
        -- "$S" run -- $PY -c 'import ctypes; ctypes.CDLL(None).personality(8)'
also_err "personality argument" "call: personality(0x8) in thread "

expect "a number without a name" 159 "" \
        "it made system call number 999 (no such call on x86_64)" \
        -- "$S" run -- $PY -c 'import ctypes; ctypes.CDLL(None).syscall(999)'
never "a number without a name" err "hint:"

# A side thread's refused call: named, with that thread's id.
expect "ptrace in a side thread" 159 "" "does not allow ptrace" \
        -- "$S" run -- $PY -c '
import ctypes, threading
t = threading.Thread(target=lambda: ctypes.CDLL(None).ptrace(7, 0, 0, 0))
t.start(); t.join()'
also_err "side thread argument" "call: ptrace(0x7, 0x0, 0x0, 0x0) in thread "
if ! grep -qE 'in thread ([0-9]+) \(.*\) of pid ([0-9]+)$' "$tmp/err" ||
        grep -qE 'in thread ([0-9]+) \(.*\) of pid \1$' "$tmp/err"; then
        echo "FAIL: side thread: the report should name a thread other than the main one"
        fail=1
fi

# A process the command started is killed: named; the command goes on.
expect "refused call in a descendant" 0 "child exit 159" \
        ", started by the command, was killed by SIGSYS: the whitelist does not allow kexec_load" \
        -- "$S" run -- sh -c "$PY -c 'import ctypes; ctypes.CDLL(None).syscall(246, 0, 0, 0, 0)'; echo child exit \$?"

# Untraced on request: still said; the call is named from the kernel's
# audit record when the log has it (it may not: rate limits, auditd).
expect "--no-trace" 159 "" "the command was killed by SIGSYS" \
        -- "$S" run --no-trace -- $PY -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)'
if grep -qF "from the kernel's audit record" "$tmp/err"; then
        also_err "--no-trace, from the record" \
                "the whitelist does not allow ptrace (system call 101 on x86_64)"
        also_err "--no-trace, no arguments" "  call: ptrace in pid "
else
        also_err "--no-trace, no record" \
                "a seccomp filter refused a system call (not named: --no-trace was given, and the kernel log has no record of the kill)"
fi

# --- the command's own status is passed on ----------------------------------
expect "exit status" 7 "" "" -- "$S" run -- sh -c 'exit 7'
expect "killed by a signal" 143 "" "" -- "$S" run -- sh -c 'kill -TERM $$'
expect "arguments reach the command" 0 "-n x" "" -- "$S" run -- printf '%s %s\n' -n x

# An ignored SIGCHLD from the caller neither loses the command's status nor
# reaches the command changed (with and without tracing).
for mode in --no-trace --strict; do
        expect "SIGCHLD ignored by the caller ($mode)" 3 "still ignored" "" \
                -- $PY -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$S" run "$mode" -- $PY -c '
import signal
if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:
    print("still ignored")
raise SystemExit(3)'
done

# --- syswall's own failures: 125 and the P1.7 name; nothing started --------
expect "command not found" 127 "" \
        "syswall: run: 'no-such-command-xyz': command not found [ENOENT]" \
        -- "$S" run -- no-such-command-xyz
printf 'echo hi\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
expect "not executable" 126 "" \
        "syswall: run: '$tmp/noexec': cannot execute: Permission denied [EPERM]" \
        -- "$S" run -- "$tmp/noexec"
expect "directory" 126 "" "cannot execute: Is a directory [EPERM]" \
        -- "$S" run -- /tmp
expect "missing whitelist" 125 "" \
        "syswall: run: $tmp/missing.json: the whitelist cannot be used, the command was not started [ENOENT]" \
        -- "$S" run "$tmp/missing.json" -- "${marker[@]}"
not_started "missing whitelist"
expect "missing whitelist (-p)" 125 "" "[ENOENT]" \
        -- "$S" run -p "$tmp/missing.json" -- "${marker[@]}"
not_started "missing whitelist (-p)"

printf '{"schema_version": "1.0", "syscalls": [' >"$tmp/broken.json"
expect "bad JSON" 125 "" \
        "syswall: run: $tmp/broken.json: the whitelist cannot be used, the command was not started [EPROTO]" \
        -- "$S" run "$tmp/broken.json" -- "${marker[@]}"
not_started "bad JSON"

head='"schema_version": "1.0", "whitelist_id": "t", "created_at": "2026-01-15T10:00:00Z", "created_by": "Security Agent"'
printf '{%s, "syscalls": [{"name": "execve", "permission": "ALLOW"}, {"name": "opneat", "permission": "ALLOW"}]}\n' \
        "$head" >"$tmp/badname.json"
expect "bad syscall name" 125 "" "opneat" \
        -- "$S" run "$tmp/badname.json" -- "${marker[@]}"
also_err "bad syscall name" "the whitelist cannot be used, the command was not started ["
also_err "bad syscall name hint" "openat"
not_started "bad syscall name"

printf '{%s, "syscalls": [{"name": "execve", "permission": "ALLOW"}]}\n' \
        "$head" | sed 's/Security Agent/Someone Else/' >"$tmp/authority.json"
expect "wrong authority" 125 "" "Someone Else" \
        -- "$S" run "$tmp/authority.json" -- "${marker[@]}"
also_err "wrong authority" "the command was not started [EPERM]"
not_started "wrong authority"
# Accepted with --authority; it only allows execve, so touch dies at brk.
expect "another authority configured" 159 "" "does not allow brk" \
        -- "$S" run --authority "Someone Else" "$tmp/authority.json" -- \
        "${marker[@]}"

printf '{%s, "syscalls": [{"name": "write", "permission": "ALLOW"}]}\n' \
        "$head" >"$tmp/noexecve.json"
expect "whitelist without execve" 125 "" \
        "the whitelist does not allow execve, so no command can start" \
        -- "$S" run "$tmp/noexecve.json" -- "${marker[@]}"
also_err "whitelist without execve" "[EPERM]"
not_started "whitelist without execve"

# Signed whitelists: --trust runs only what a trusted key signed.
cp "$SW_SOURCE_DIR/data/default-whitelist.json" "$tmp/signed.json"
(cd "$tmp" && "$S" keygen -o agent >/dev/null && "$S" keygen -o other \
        >/dev/null && "$S" sign --key agent.key signed.json >/dev/null) ||
        { echo "FAIL: cannot sign a whitelist"; fail=1; }
expect "signed, trusted" 0 "hello" "" \
        -- "$S" run --trust "$tmp/agent.pub" "$tmp/signed.json" -- echo hello
expect "signed by another key" 125 "" \
        "the whitelist cannot be used, the command was not started [EPERM]" \
        -- "$S" run --trust "$tmp/other.pub" "$tmp/signed.json" -- \
        "${marker[@]}"
not_started "signed by another key"
sed 's/"ENOSYS"/"EPERM"/' "$tmp/signed.json" >"$tmp/changed.json"
expect "changed after signing" 125 "" "bad signature" \
        -- "$S" run --trust "$tmp/agent.pub" "$tmp/changed.json" -- \
        "${marker[@]}"
not_started "changed after signing"
expect "signature required, default unsigned" 125 "" \
        "a signature is required" \
        -- "$S" run --require-signature -- "${marker[@]}"
not_started "signature required"

expect "no command" 125 "" "syswall: run: no command given [EPROTO]" \
        -- "$S" run
expect "unknown option" 125 "" "syswall: run: unknown option '--frobnicate' [EPROTO]" \
        -- "$S" run --frobnicate -- true
expect "option without value" 125 "" "option -p needs a value [EPROTO]" \
        -- "$S" run -p
expect "unknown architecture" 125 "" "unknown architecture 'vax'" \
        -- "$S" run --arch vax -- true
expect "foreign architecture" 125 "" \
        "--arch aarch64: a filter can only run on this machine's architecture (x86_64)" \
        -- "$S" run --arch aarch64 -- true
expect "help" 0 "usage: syswall run [-p FILE]" "" -- "$S" run --help

# --- signals sent to syswall reach the command ------------------------------
"$S" run -- sh -c 'trap "echo got TERM; exit 3" TERM; echo ready
while :; do sleep 0.05; done' >"$tmp/sig.out" 2>&1 &
pid=$!
for _ in $(seq 1200); do # up to a minute on a loaded machine
        grep -q ready "$tmp/sig.out" && break
        sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
rc=$?
count=$((count + 1))
if [ "$rc" -ne 3 ] || ! grep -q "got TERM" "$tmp/sig.out"; then
        echo "FAIL: SIGTERM forwarding: exit $rc, output: $(cat "$tmp/sig.out")"
        fail=1
fi

[ $fail -eq 0 ] && echo "run: $count checks passed"
exit $fail
