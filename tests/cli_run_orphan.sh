#!/bin/bash
# cli_run_orphan.sh - a command never outlives syswall: `run` (and `run
# --complain`) killed with SIGKILL takes the command with it (the child
# sets PR_SET_PDEATHSIG before exec).  The command would sleep for an
# hour; the only bound is a generous 20 s poll for it to be gone.
. "$(dirname "$0")/helpers/common.sh"

pids=()
cleanup() {
        for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
        rm -rf "$tmp"
}
trap cleanup EXIT

# sleep_child PID: the pid of PID's child running sleep, from /proc (no
# procps needed); fails when there is none yet.
sleep_child() {
        local f pid comm state ppid
        for f in /proc/[0-9]*/stat; do
                read -r pid comm state ppid _ 2>/dev/null <"$f" || continue
                if [ "$ppid" = "$1" ] && [ "$comm" = "(sleep)" ]; then
                        echo "$pid"
                        return 0
                fi
        done
        return 1
}

# alive PID: the process exists and is not a zombie.
alive() {
        local state
        state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
        [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# orphan NAME RUN-ARGS...: start syswall RUN-ARGS -- sleep 3600, find the
# command, kill -9 syswall, and poll until the command is gone.
orphan() {
        local name=$1 sw cmd i
        shift
        "$S" run "$@" -- sleep 3600 >"$tmp/$name.out" 2>&1 &
        sw=$!
        pids+=("$sw")
        # The command is syswall's child once it runs sleep.
        for i in $(seq 200); do
                cmd=$(sleep_child "$sw") && break
                sleep 0.1
        done
        if [ -z "$cmd" ]; then
                fail "$name: the command did not start: $(cat "$tmp/$name.out")"
                return
        fi
        pids+=("$cmd")
        kill -9 "$sw"
        wait "$sw" 2>/dev/null
        for i in $(seq 200); do
                alive "$cmd" || break
                sleep 0.1
        done
        if alive "$cmd"; then
                fail "$name: the command $cmd still runs after syswall was killed"
        else
                echo "ok: $name: the command ended with syswall"
        fi
}

orphan "run"
orphan "run --no-trace" --no-trace
# Complain mode with a whitelist that lacks clock_nanosleep (and more).
cat >"$tmp/small.json" <<'JSON'
{"schema_version": "1.0", "whitelist_id": "orphan.small",
 "created_at": "2026-12-04T00:00:00Z", "created_by": "Security Agent",
 "syscalls": [{"name": "execve", "permission": "ALLOW"},
              {"name": "exit_group", "permission": "ALLOW"}]}
JSON
orphan "run --complain" --complain "$tmp/small.json"

[ $fails -eq 0 ]
