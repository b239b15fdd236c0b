#!/bin/bash
# cli_width_warning.sh - a comparison that the 64-bit default width lets a
# caller get past (socket "ne" AF_PACKET without "width": 32, the bypass
# tests/live_argwidth.c performs) is stated plainly, with the value that
# gets past, by every command that reads the whitelist: check, compile and
# run print the same warning; with "width": 32 none of them does.
. "$(dirname "$0")/helpers/common.sh"

# doc WIDTH: socket restricted to families other than AF_PACKET.
doc() {
        cat <<JSON
{"schema_version": "1.0", "whitelist_id": "width", "created_at": "2026-12-04T00:00:00Z",
 "created_by": "Security Agent", "syscalls": [
  {"name": "socket", "permission": "CONDITIONAL", "errno": "EAFNOSUPPORT",
   "conditions": {"description": "no packet sockets", "argument_filter":
     {"arg_index": 0, "operator": "ne", "value": "AF_PACKET"$1}}}
 ]}
JSON
}
doc "" >"$tmp/w64.json"
doc ', "width": 32' >"$tmp/w32.json"
WARN='w64.json:5:50: warning: "ne" is compared at 64 bits, but the kernel reads socket argument 0 as a 32-bit int: a caller that passes 0x100000011 gets past this condition, and the kernel runs socket with 17, the value it means to refuse [EPROTO]'

# said FILE WHAT: FILE's warning lines are exactly WARN (paths cut).
said() {
        local got
        got=$(sed "s|$tmp/||" "$1" | grep ': warning: "ne"')
        [ "$got" = "$WARN" ] || fail "$2: got '$got'"
}

"$S" check "$tmp/w64.json" >/dev/null 2>"$tmp/check.err"
[ $? = 0 ] || fail "check: exit status"
said "$tmp/check.err" check
"$S" compile -o "$tmp/w.bpf" "$tmp/w64.json" 2>"$tmp/compile.err"
[ $? = 0 ] || fail "compile: exit status"
said "$tmp/compile.err" compile
# The command is killed (execve is not listed); the warning comes first.
# Twice: a second run may find the filter in the cache (docs/run.md), and
# must still say it.
for i in 1 2; do
        "$S" run --cache-dir "$tmp/cache" "$tmp/w64.json" -- true >/dev/null \
                2>"$tmp/run.err"
        said "$tmp/run.err" "run ($i)"
done

for cmd in check compile; do
        "$S" $cmd $([ $cmd = compile ] && echo -o "$tmp/w.bpf") "$tmp/w32.json" \
                >/dev/null 2>"$tmp/32.err"
        grep -q '"ne" is compared at 64 bits' "$tmp/32.err" &&
                fail "$cmd: warns with width 32"
done

echo "cli_width_warning: $fails failure(s)"
[ $fails -eq 0 ]
