#!/bin/bash
# cli_tokio.sh - a real tokio runtime (examples/tokio-agent) applies its
# whitelist to itself through libsyswall once its worker threads run, and:
#   - every thread of the process is filtered (Seccomp: 2), the worker
#     threads that existed before and the blocking threads made after;
#   - the runtime keeps serving: requests, timers, blocking tasks, tokio
#     connects to the allowed service, threads that end and start again;
#   - a denied call (ptrace) fails with the whitelist's errno on every
#     worker and on a blocking thread, where it gave ESRCH unfiltered;
#   - an unlisted call (unshare) kills the process (signal 31, status 159)
#     from a worker and from a blocking thread;
#   - connect reaches the allowed service port only: another port fails
#     with EACCES (Landlock) on every worker;
#   - a whitelist that cannot be applied leaves the agent unfiltered and
#     makes it exit with the P1.7 code;
#   - the original brief's sample whitelist cannot run a tokio agent;
#   - `syswall learn` on the agent sees every call the default whitelist
#     marks tokio_required (docs/tokio.md).
# Skipped (exit 77) only when cargo or Debian's tokio crates are absent;
# with CI set that skip fails instead.
set -u
src=$SW_SOURCE_DIR/examples/tokio-agent
out=$SW_BUILD_DIR/tokio-agent
tmp=$(mktemp -d)
pids=()
cleanup() {
        local p
        for p in "${pids[@]}"; do
                kill "$p" 2>/dev/null
        done
        rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
        echo "FAIL: $*"
        exit 1
}

# The agent builds into the build directory and is reused between runs.
bash "$src/build.sh" "$SW_BUILD_DIR" "$out" >"$tmp/build.log" 2>&1
case $? in
0) ;;
77)
        [ -n "${CI:-}" ] && fail "CI must build the tokio example: $(cat "$tmp/build.log")"
        echo "SKIP: $(cat "$tmp/build.log")"
        exit 77
        ;;
*)
        cat "$tmp/build.log"
        fail "building examples/tokio-agent"
        ;;
esac
agent=$out/tokio-agent
workers=4

# An instrumented libsyswall links the ASan runtime into the agent; its
# leak check at exit would need ptrace, which the whitelist denies.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# The local service: "db" is the agent's allowed service, "other" a port
# the whitelist does not name.
python3 -u "$src/service.py" db other >"$tmp/service" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
        [ "$(wc -l <"$tmp/service")" -ge 2 ] && break
        sleep 0.05
done
db=$(awk '$1 == "db" { print $2 }' "$tmp/service")
other=$(awk '$1 == "other" { print $2 }' "$tmp/service")
[ -n "$db" ] && [ -n "$other" ] || fail "service did not start: $(cat "$tmp/service")"

# Port restrictions applied in-process need Landlock network rules
# (Linux 6.7); without them the rest is tested with connect allowed.
ports=yes
if ! "$SYSWALL" features | grep -q '^Landlock: .*(TCP port rules)'; then
        [ -n "${CI:-}" ] && fail "CI must have Landlock TCP port rules"
        echo "SKIP (port restriction only): no Landlock TCP port rules here"
        ports=no
fi

# The shipped whitelist, its connect port restriction naming the service's
# port (enforced in the kernel by Landlock on every thread).
python3 - "$src/whitelist.json" "$db" $ports >"$tmp/wl.json" <<'PY' ||
import json, sys
doc = json.load(open(sys.argv[1]))
for rule in doc["syscalls"]:
    if rule["name"] == "connect" and sys.argv[3] == "yes":
        rule["conditions"]["port_restriction"]["allowed_ports"] = [int(sys.argv[2])]
    elif rule["name"] == "connect":
        rule["permission"] = "ALLOW"
        del rule["conditions"], rule["errno"]
json.dump(doc, sys.stdout, indent=1)
PY
        fail "cannot write the test whitelist"

# start NAME ARGS...: run the agent (under the command in wrap, if any)
# until it serves; sets PID and opens fd 3 to it.
wrap=()
start() {
        local name=$1
        shift
        "${wrap[@]}" "$agent" --workers $workers "$@" \
                >"$tmp/$name.out" 2>"$tmp/$name.err" &
        PID=$!
        pids+=($PID)
        for _ in $(seq 200); do
                grep -q '^listening ' "$tmp/$name.out" && break
                kill -0 $PID 2>/dev/null || break
                sleep 0.05
        done
        local port
        port=$(awk '$1 == "listening" { print $2 }' "$tmp/$name.out")
        [ -n "$port" ] || fail "$name: agent did not start: $(cat "$tmp/$name.err")"
        exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "$name: cannot connect"
}

# ask LINE: send one request, set REPLY to the answer ("" on EOF).
ask() {
        REPLY=
        echo "$1" >&3 2>/dev/null
        read -r -t 20 REPLY <&3
}

# expect LINE PATTERN: the answer to LINE matches the extended regex.
expect() {
        ask "$1"
        [[ $REPLY =~ ^$2$ ]] || fail "$1: got '$REPLY', expected '$2'"
}

# all_filtered PID: every thread of PID has seccomp mode 2; sets NTASKS.
all_filtered() {
        local st mode
        NTASKS=0
        for st in /proc/"$1"/task/*/status; do
                mode=$(awk '$1 == "Seccomp:" { print $2 }' "$st" 2>/dev/null) || continue
                [ -z "$mode" ] && continue
                [ "$mode" = 2 ] || fail "thread ${st%/status} has Seccomp: $mode"
                NTASKS=$((NTASKS + 1))
        done
}

# distinct_workers REPLY RESULT: an ALL answer names $workers different
# threads, each with RESULT.
distinct_workers() {
        local words tids=() w
        IFS=';' read -r -a words <<<"$1"
        [ "${words[0]}" = "n=$workers" ] || fail "ALL: '$1'"
        for w in "${words[@]:1}"; do
                [ "${w#*:}" = "$2" ] || fail "ALL: '$w' in '$1', expected $2"
                tids+=("${w%%:*}")
        done
        [ "$(printf '%s\n' "${tids[@]}" | sort -u | wc -l)" = $workers ] ||
                fail "ALL did not reach $workers distinct workers: '$1'"
}

# quit: QUIT ends the agent with status 0.
quit() {
        echo QUIT >&3
        wait $PID 2>/dev/null
        local rc=$?
        exec 3>&-
        [ $rc = 0 ] || fail "QUIT: exit status $rc, expected 0"
}

# 1. Unfiltered, the same requests show what the kernel does on its own.
start plain --service "$db"
expect "CALL ptrace" "tid=[0-9]+ ESRCH\(3\)"
expect "CALL unshare" "tid=[0-9]+ ok ret=0"
ask "ALL CONNECT $other"
distinct_workers "$REPLY" "ok reply=other:hello"
expect THREADS "tasks=[0-9]+ filtered=0 runtime=[0-9]+"
ask "ALL CALL ptrace"
distinct_workers "$REPLY" "ESRCH(3)"
quit
echo "unfiltered: ptrace ESRCH, unshare 0, any port on $workers workers"

# 2. Filtered from inside the running runtime.
start agent --service "$db" --keep-alive 100 --whitelist "$tmp/wl.json"
pid=$PID
grep -qx "service ok reply=db:hello" "$tmp/agent.out" ||
        fail "no service check-in before apply: $(cat "$tmp/agent.out")"
applied=$(grep '^applied ' "$tmp/agent.out")
[[ $applied =~ ^applied\ tasks=([0-9]+)\ runtime=([0-9]+)\ tid=([0-9]+)$ ]] ||
        fail "no 'applied' line: $(cat "$tmp/agent.out" "$tmp/agent.err")"
before=${BASH_REMATCH[1]}
# main thread + workers + at least one blocking thread were up.
[ "$before" -ge $((workers + 2)) ] || fail "applied with only $before threads"
[ "$(cat /proc/$pid/task/"${BASH_REMATCH[3]}"/comm)" = tokio-runtime-w ] ||
        fail "apply did not run on a tokio thread"
# Blocking threads come and go (keep-alive 100 ms); main and workers stay.
all_filtered $pid
[ $NTASKS -gt $workers ] || fail "$NTASKS threads after apply"
echo "applied on a worker with $before threads up; all $NTASKS have Seccomp: 2"

# The runtime keeps serving: requests, timers, blocking tasks, tokio I/O.
expect PING PONG
expect THREADS "tasks=([0-9]+) filtered=([0-9]+) runtime=[0-9]+"
[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] && [ "${BASH_REMATCH[1]}" -gt $workers ] ||
        fail "THREADS from inside: '$REPLY'"
ask TICKS
t1=${REPLY#ticks=}
expect "SLEEP 120" "slept 120"
ask TICKS
t2=${REPLY#ticks=}
[ "$t2" -gt "$t1" ] 2>/dev/null || fail "interval stopped: ticks $t1 then $t2"
expect "BLOCK 100" "tid=[0-9]+ sum=5050"
# A client that comes and goes: accept, answer, shut down, close.
exec 4<>/dev/tcp/127.0.0.1/"$(awk '$1 == "listening" { print $2 }' "$tmp/agent.out")"
echo PING >&4
read -r -t 20 reply <&4
exec 4>&-
[ "$reply" = PONG ] || fail "second client: got '$reply'"
expect PING PONG
expect "CONNECT $db" "tid=[0-9]+ ok reply=db:hello"
ask "ALL CONNECT $db"
distinct_workers "$REPLY" "ok reply=db:hello"
ask "ALL CALL getpid"
distinct_workers "$REPLY" "ok ret=$pid"
echo "serving under the filter: timers, blocking tasks, connects on every worker"

# A blocking thread made after apply ends after 100 ms idle and a new
# one starts, both under the filter.
expect "BLOCK 10" "tid=([0-9]+) sum=55"
old=${BASH_REMATCH[1]}
for _ in $(seq 200); do
        [ -d /proc/$pid/task/"$old" ] || break
        sleep 0.05
done
[ -d /proc/$pid/task/"$old" ] && fail "idle blocking thread $old did not end"
expect "BLOCK 10" "tid=([0-9]+) sum=55"
[ "${BASH_REMATCH[1]}" != "$old" ] || fail "blocking thread $old reused"
all_filtered $pid
echo "blocking threads end and start under the filter ($NTASKS threads, all filtered)"

# The port restriction: the service's port only, from every worker and
# through tokio's own connect; Landlock answers EACCES.
if [ $ports = yes ]; then
        ask "ALL CONNECT $other"
        distinct_workers "$REPLY" "EACCES(13)"
        expect "CONNECT $other" "tid=[0-9]+ EACCES\(13\)"
        expect "CONNECT $db" "tid=[0-9]+ ok reply=db:hello"
        echo "port restriction: $db reached, $other refused with EACCES on every worker"
fi

# Denied: ptrace fails with EPERM (the whitelist's errno) everywhere.
ask "ALL CALL ptrace"
distinct_workers "$REPLY" "EPERM(1)"
expect "CALL ptrace" "tid=[0-9]+ EPERM\(1\)"
expect "BCALL ptrace" "tid=[0-9]+ EPERM\(1\)"
expect PING PONG
quit
echo "denied: ptrace EPERM on every worker and a blocking thread, still serving"

# Unlisted: unshare kills the whole process, from a worker or from a
# blocking thread started after apply.
for how in CALL BCALL; do
        start "kill-$how" --whitelist "$tmp/wl.json"
        ask "$how unshare"
        [ -z "$REPLY" ] || fail "$how unshare answered '$REPLY'"
        wait $PID 2>/dev/null
        rc=$?
        exec 3>&-
        [ $rc = 159 ] || fail "$how unshare: exit status $rc, expected 159 (SIGSYS)"
done
echo "unlisted: unshare from a worker or a blocking thread kills the process (159)"

# A whitelist that cannot be applied: the agent says why and exits with
# the P1.7 code (5, EPROTO), having served nothing.
sed 's/"syscalls"/"sycalls"/' "$tmp/wl.json" >"$tmp/bad.json"
"$agent" --whitelist "$tmp/bad.json" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
[ $rc = 5 ] || fail "bad whitelist: exit status $rc, expected 5: $(cat "$tmp/bad.err")"
grep -q '^tokio-agent: cannot apply the whitelist: EPROTO: ' "$tmp/bad.err" ||
        fail "bad whitelist: $(cat "$tmp/bad.err")"
grep -q '^listening' "$tmp/bad.out" && fail "bad whitelist: the agent served"
echo "unappliable whitelist: exit 5 (EPROTO), nothing served"

# The brief's sample (tests/data/brief-sample.json, with port
# restrictions) applies, but a tokio agent cannot live under it: killed
# (SIGSYS) before it serves.
if [ $ports = yes ]; then
        "$agent" --whitelist "$SW_SOURCE_DIR/tests/data/brief-sample.json" \
                >"$tmp/brief.out" 2>"$tmp/brief.err" &
        wait $! 2>/dev/null
        rc=$?
        [ $rc = 159 ] || fail "brief's sample: exit status $rc, expected 159: $(cat "$tmp/brief.err")"
        grep -q '^listening' "$tmp/brief.out" && fail "brief's sample: the agent served"
        echo "brief's sample: the agent is killed (159) before it serves"
fi

# The tokio runtime set that the default whitelist marks is what the
# runtime really calls: learn sees each of them on the agent at work
# (but epoll_pwait, aarch64's epoll_wait, and gettid, which only newer
# Rust std calls).
wrap=("$SYSWALL" learn -q -o "$tmp/learned.json" --)
start learned --service "$db" --keep-alive 100
expect "BLOCK 3" "tid=([0-9]+) sum=6"
first=${BASH_REMATCH[1]}
# (PID is learn's; a thread id names the thread in /proc too.)
for _ in $(seq 200); do
        [ -d /proc/"$first" ] || break
        sleep 0.05
done
[ -d /proc/"$first" ] && fail "learn: idle blocking thread $first did not end"
expect "BLOCK 4" "tid=[0-9]+ sum=10"
expect "CONNECT $db" "tid=[0-9]+ ok reply=db:hello"
quit
# The example whitelist marks the same calls, those of them it lists.
python3 - "$tmp/learned.json" "$SW_SOURCE_DIR/data/default-whitelist.json" \
        "$SW_SOURCE_DIR/examples/whitelist.json" <<'PY' ||
import json, sys
seen = {r["name"] for r in json.load(open(sys.argv[1]))["syscalls"]}
rules = [json.load(open(p))["syscalls"] for p in sys.argv[2:]]
marked = [{r["name"] for r in rs if r.get("tokio_required")} for rs in rules]
missing = sorted(marked[0] - seen - {"epoll_pwait", "gettid"})
if missing or len(marked[0]) != 24:
    sys.exit("marked %d, not seen by learn: %s" % (len(marked[0]), missing))
listed = {r["name"] for r in rules[1]}
if marked[1] != marked[0] & listed:
    sys.exit("examples/whitelist.json marks %s" % sorted(marked[1] ^ (marked[0] & listed)))
PY
        fail "learn and the shipped whitelists' tokio set differ"
echo "learn: every call marked tokio_required was seen on the agent"
exit 0
