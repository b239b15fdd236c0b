#!/bin/bash
# cli_learn.sh - `syswall learn` on real programs: coreutils, python3,
# node and the project's own threaded and networked program.  Each learned
# whitelist must match the schema, carry the right header, categories and
# proposals, and let the same program with the same input run again under
# `syswall run` in enforcing mode, with the same output.
. "$(dirname "$0")/helpers/common.sh"
PY=/usr/bin/python3
SRC=${SW_SOURCE_DIR:?}
SCHEMA=$SRC/docs/whitelist.schema.json
cd "$tmp" || exit 1

# A fixed input, the same for learn and run.
printf 'pear\napple\nfig\nbanana\n' >fruit.txt
mkdir -p dir/sub && touch dir/a dir/b
gcc -O2 -pthread -o learn_prog "$SRC/tests/progs/learn_prog.c" ||
        { echo "FAIL: cannot build learn_prog"; exit 1; }
# A loopback port free now (other suites may run beside this one); the
# program also sends one datagram to the port after it.
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
[ "$PORT" -lt 65535 ] || PORT=$((PORT - 1))
export PORT

# jq-like assertions in python: FILE EXPR MESSAGE, EXPR over `doc`/`rules`.
jcheck() {
        "$PY" - "$1" "$2" <<'EOF' || fail "$1: $3"
import json, sys
doc = json.load(open(sys.argv[1]))
rules = {r["name"]: r for r in doc["syscalls"]}
port = int(__import__("os").environ.get("PORT", "0"))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# learn NAME CMD...: learn, then the checks every learned whitelist passes.
learn() {
        local name=$1
        shift
        "$S" learn -o "$name.json" -- "$@" >"$name.out" 2>"$name.err"
        local rc=$?
        [ $rc -eq 0 ] || { fail "$name: learn exited $rc: $(cat "$name.err")"; return; }
        grep -q "^syswall: learn: [0-9]* tasks traced, [0-9]* calls, [0-9]* distinct; the command exited with status 0$" "$name.err" ||
                fail "$name: no summary on stderr: $(head -1 "$name.err")"
        grep -Eq '^ +[0-9]+  execve$' "$name.err" ||
                fail "$name: no per-call count for execve on stderr"
        "$PY" "$SRC/tests/schema_check.py" "$SCHEMA" "$name.json" >/dev/null ||
                fail "$name: schema: $("$PY" "$SRC/tests/schema_check.py" "$SCHEMA" "$name.json")"
        jcheck "$name.json" 'doc["schema_version"] == "1.0" and doc["created_by"] == "Security Agent"' "header"
        jcheck "$name.json" '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["created_at"])' "created_at is not RFC 3339 UTC"
        jcheck "$name.json" 'all("category" in r and r.get("description") for r in doc["syscalls"])' "a rule without category or description"
        jcheck "$name.json" 'rules["execve"]["permission"] == "ALLOW" and "exit_group" in rules' "execve or exit_group missing"
        jcheck "$name.json" 'all(r.get("tokio_required") == (r["name"].startswith(("epoll_", "eventfd"))) or not r["name"].startswith(("epoll_", "eventfd")) and "tokio_required" not in r for r in doc["syscalls"])' "tokio_required wrong"
}

learn ls ls -l dir
learn cat cat fruit.txt
learn sort sort fruit.txt
learn wc wc fruit.txt
learn python3 "$PY" -c 'import json, sys; print(json.dumps(sorted(sys.argv)))'
learn node node -e 'setTimeout(() => console.log("ok"), 10)'
learn threads ./learn_prog threads
learn net ./learn_prog net "$PORT"

# The same program with the same input runs under what was learned, in
# enforcing mode, on the first try, with the same output; `check` accepts
# every learned whitelist with no error.
again() { # NAME CMD...
        local name=$1
        shift
        "$S" check "$name.json" >/dev/null 2>"$name.check" ||
                fail "$name: check refused the learned whitelist: $(grep -m3 error "$name.check")"
        "$S" run "$name.json" -- "$@" >"$name.run" 2>"$name.runerr"
        local rc=$?
        [ $rc -eq 0 ] || fail "$name: run under the learned whitelist exited $rc: $(grep '^syswall: run' "$name.runerr")"
        cmp -s "$name.out" "$name.run" || fail "$name: output under run differs: $(head -c 200 "$name.run")"
}
again ls ls -l dir
again cat cat fruit.txt
again sort sort fruit.txt
again wc wc fruit.txt
again python3 "$PY" -c 'import json, sys; print(json.dumps(sorted(sys.argv)))'
again node node -e 'setTimeout(() => console.log("ok"), 10)'
again threads ./learn_prog threads
# The port restrictions learned for the networked program are enforced by
# Landlock and the user-notification supervisor.
if "$S" features | grep -q '^port restrictions: *Landlock for TCP connect/bind, supervisor for the rest$'; then
        again net ./learn_prog net "$PORT"
elif [ -n "${CI:-}" ]; then
        fail "CI: the kernel lacks what port restrictions need: $("$S" features | grep '^port')"
else
        echo "SKIP: net under run: this kernel cannot enforce port restrictions: $("$S" features | grep '^port')"
fi

# What each program must have shown.
jcheck ls.json 'doc["whitelist_id"] == "learned.ls" and "getdents64" in rules' "ls: id or getdents64"
jcheck sort.json 'rules["read"]["category"] == "file_io"' "sort: read not file_io"
jcheck node.json 'rules["epoll_pwait"]["tokio_required"] is True and rules["epoll_pwait"]["category"] == "tokio_runtime"' "node: epoll_pwait not tokio_required"
jcheck node.json 'rules["eventfd2"]["tokio_required"] is True' "node: eventfd2 not tokio_required"
jcheck threads.json '"clone3" in rules and rules["futex"]["permission"] == "ALLOW" and "sched_yield" in rules' "threads: clone3/futex/sched_yield"
# clone3's flags sit behind a pointer: it is denied with ENOSYS and its
# flags (a thread's, CLONE_THREAD) join clone's conditions, which glibc's
# fallback then meets; check finds no escape gap, and run (above) works.
jcheck threads.json 'rules["clone3"] == {"name": "clone3", "permission": "DENY", "errno": "ENOSYS", "category": "process", "description": rules["clone3"]["description"]} and rules["clone"]["permission"] == "CONDITIONAL" and any(int(str(c["argument_filter"]["value"]), 0) & 0x10000 for c in rules["clone"]["conditions"])' "threads: clone3 denied with ENOSYS, its thread flags in clone's conditions"
"$S" check --json threads.json >threads.diag 2>&1
grep -q '"check":"escape-gap"' threads.diag && fail "threads: clone/clone3 escape gap: $(cat threads.diag)"
grep -q "^syswall: learn: note: clone3 (called [0-9]* times\?) is denied with ENOSYS and its flags are allowed in clone's conditions: glibc falls back to clone, whose flags the filter can read$" threads.err ||
        fail "threads: no note about clone3: $(cat threads.err)"
"$S" learn -q --names-only -o names.json -- ./learn_prog threads >/dev/null 2>&1
jcheck names.json 'rules["clone3"]["permission"] == "ALLOW" and "clone" not in rules' "names-only: clone3 stays ALLOW, no clone added"
jcheck threads.json 'rules["mprotect"]["conditions"][0]["argument_filter"] == {"arg_index": 2, "operator": "masked_eq", "value": 0, "mask": "0x4", "width": 32}' "threads: mprotect without PROT_EXEC"
jcheck net.json 'rules["connect"]["conditions"] == [{"description": "ports [%d] (seen)" % port, "port_restriction": {"allowed_ports": [port]}}]' "net: connect port"
jcheck net.json 'rules["bind"]["conditions"][0]["port_restriction"] == {"allowed_ports": [port]}' "net: bind port"
jcheck net.json '[c.get("argument_filter") or c["port_restriction"] for c in rules["sendto"]["conditions"]] == [{"arg_index": 4, "operator": "eq", "value": 0, "width": 64}, {"allowed_ports": [port + 1]}]' "net: sendto without address or to the next port"
jcheck net.json 'rules["socket"]["errno"] == "EAFNOSUPPORT" and [c["description"] for c in rules["socket"]["conditions"]] == ["AF_INET SOCK_STREAM (seen)", "AF_INET SOCK_DGRAM (seen)"]' "net: socket kinds"
jcheck net.json 'rules["socket"]["conditions"][1]["argument_filter"] == [{"arg_index": 0, "operator": "eq", "value": 2, "width": 32}, {"arg_index": 1, "operator": "masked_eq", "value": 2, "mask": "0xf", "width": 32}]' "net: socket filter"
grep -qx 'echo hello' net.out || fail "net: program output under learn: $(cat net.out)"
grep -qx 'sum 4999950000' threads.out || fail "threads: program output under learn: $(cat threads.out)"

# A call through the i386 ABI (int 0x80) is named and left out: every
# filter kills it, so the program cannot run under any whitelist.
if [ "$(uname -m)" = x86_64 ]; then
        "$S" learn -q -o int80.json -- ./learn_prog int80 >int80.out 2>int80.err ||
                fail "int80: learn failed: $(cat int80.err)"
        grep -qx "syswall: learn: warning: 'getpid' was called 1 time through a foreign ABI (i386 int 0x80 or x32); every syswall filter kills such calls" int80.err ||
                fail "int80: no foreign-ABI warning: $(cat int80.err)"
        "$S" run int80.json -- ./learn_prog int80 >/dev/null 2>&1
        rc=$?
        [ $rc -eq 159 ] || fail "int80: run exited $rc, want 159 (SIGSYS)"
fi

# --names-only: plain ALLOW rules, nothing else.
"$S" learn -q --names-only -o plain.json -- ./learn_prog net "$PORT" >/dev/null 2>plain.err ||
        fail "names-only: $(cat plain.err)"
jcheck plain.json 'all(r["permission"] == "ALLOW" and "conditions" not in r for r in doc["syscalls"]) and "connect" in rules' "names-only made conditions"

# --merge: extend the cat whitelist with what ls does, report the change.
"$S" learn -q --names-only --merge cat.json -o merged.json -- ls dir >/dev/null 2>merge.err ||
        fail "merge: $(cat merge.err)"
grep -Eq "^syswall: learn: note: syscalls\[[0-9]+\] 'getdents64' added \(ALLOW\)$" merge.err ||
        fail "merge: no 'getdents64 added' note: $(cat merge.err)"
grep -q "'read' added" merge.err && fail "merge: read reported as added though cat had it"
jcheck merged.json 'doc["whitelist_id"] == "learned.cat" and doc["updated_by"] == "Security Agent" and "getdents64" in rules and "read" in rules and doc["updated_at"] >= doc["created_at"]' "merge result"
"$PY" "$SRC/tests/schema_check.py" "$SCHEMA" merged.json >/dev/null || fail "merge: schema"

# What learn writes must pass check: merging into a whitelist with an
# error writes nothing and says why, as check would (EPERM, 4).
"$PY" -c 'import json; d = json.load(open("cat.json")); d["created_by"] = "Someone"; json.dump(d, open("badauth.json", "w"))'
"$S" learn -q --merge badauth.json -o merged-bad.json -- true >/dev/null 2>badmerge.err
rc=$?
[ $rc -eq 4 ] || fail "merge into a fail whitelist: exit $rc, want 4"
grep -q '^merged-bad.json:5:17: error: created_by is "Someone", not the policy authority "Security Agent" \[EPERM\]$' badmerge.err ||
        fail "merge into a fail whitelist: no diagnostic: $(cat badmerge.err)"
grep -qx 'syswall: learn: the result does not pass check; nothing written \[EPERM\]' badmerge.err ||
        fail "merge into a fail whitelist: no final message"
[ -e merged-bad.json ] && fail "merge into a fail whitelist: a file was written"

# A command that does not exist: ENOENT (3), said once.
"$S" learn -o none.json -- ./no-such-program >none.out 2>none.err
rc=$?
[ $rc -eq 3 ] || fail "missing command: exit $rc, want 3"
grep -qx "syswall: learn: cannot run './no-such-program': No such file or directory \[ENOENT\]" none.err ||
        fail "missing command: message: $(cat none.err)"
[ -e none.json ] && fail "missing command: a whitelist was written"

# No command at all: usage, EPROTO (5).
"$S" learn -o x.json >/dev/null 2>&1
[ $? -eq 5 ] || fail "no command: want exit 5"

[ $fails -eq 0 ] && echo "learn: 8 programs learned and checked"
[ $fails -eq 0 ]
