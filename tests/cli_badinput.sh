#!/bin/bash
# cli_badinput.sh - the bad-input catalogue (issue 6, item 4) from the
# command line: every class of document syswall refuses, each with the
# P1.7 code, the position and a fragment of the message from `check`, and
# each proven not applied: `syswall run -p BAD -- grep Seccomp:
# /proc/self/status` exits 125 naming the code, and the command never ran
# (no output).  Then what must be read in full although fstat says
# nothing (pipes, /proc), and the lint warning for a condition that can
# never hold.  unit_reader.c has the per-field cases; live_badinput.c
# checks the same classes through sw_apply_file().
set -u
S=${SYSWALL:?}
SRC=${SW_SOURCE_DIR:?}
B=${SW_BUILD_DIR:?}
T=$(mktemp -d /tmp/sw-cli-badinput.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}

names=([2]=EIO [3]=ENOENT [4]=EPERM [5]=EPROTO)
HEAD='{"schema_version": "1.0", "whitelist_id": "t", "created_at": "2026-01-15T10:00:00Z", "created_by": "Security Agent",'
RULES='{"name": "execve", "permission": "ALLOW"}, {"name": "exit_group", "permission": "ALLOW"}'
# doc NAME TEXT: a whitelist file whose line 2 is the syscalls array
doc() { printf '%s\n"syscalls": [%s, %s]}\n' "$HEAD" "$RULES" "$2" >"$T/$1"; }
value() { # NAME VALUE: an argument filter's value on line 2
        doc "$1" "{\"name\": \"close\", \"permission\": \"CONDITIONAL\", \"conditions\": {\"description\": \"d\", \"argument_filter\": {\"arg_index\": 0, \"operator\": \"eq\", \"value\": $2, \"width\": 32}}}"
}

# refused NAME CODE WHERE FRAGMENT FILE [ENV...]: check exits CODE, says
# FRAGMENT at WHERE ("file:line:col" or "file"); run refuses with 125 and
# the code's name, and nothing ran.
refused() {
        local name=$1 code=$2 where=$3 frag=$4 file=$5 out rc cname
        shift 5
        cname=${run_cname:-${names[$code]}}
        # A bound, so a reader that loops fails the test instead of hanging it.
        out=$(timeout 60 env "$@" "$S" check "$file" 2>&1)
        rc=$?
        if [ $rc != "$code" ]; then
                bad "$name: check exit $rc, want $code: $out"
        elif ! grep -qF -- "$where" <<<"$out"; then
                bad "$name: check does not say where ($where): $out"
        elif ! grep -qF -- "$frag" <<<"$out"; then
                bad "$name: check lacks '$frag': $out"
        else
                ok
        fi
        env "$@" "$S" run -p "$file" -- /bin/grep Seccomp: /proc/self/status \
                >"$T/run.out" 2>"$T/run.err"
        rc=$?
        if [ $rc != 125 ]; then
                bad "$name: run exit $rc, want 125: $(cat "$T/run.err")"
        elif [ -s "$T/run.out" ]; then
                bad "$name: run refused, yet the command ran: $(cat "$T/run.out")"
        elif ! grep -q "\[$cname\]" "$T/run.err"; then
                bad "$name: run does not name $cname: $(cat "$T/run.err")"
        else
                ok
        fi
}

# passes NAME FRAGMENT FILE: check reads it whole and accepts it
passes() {
        local out rc
        out=$("$S" check "$3" 2>&1)
        rc=$?
        if [ $rc != 0 ]; then
                bad "$1: check exit $rc, want 0: $out"
        elif ! grep -qF -- "$2" <<<"$out"; then
                bad "$1: check lacks '$2': $out"
        else
                ok
        fi
}

# ---- the document (spec 1-3) ----
printf '{"schema_version": }\n' >"$T/syntax.json"
refused "malformed JSON" 5 "syntax.json:1:20:" "invalid JSON" "$T/syntax.json"
printf '[1, 2]\n' >"$T/array.json"
refused "not an object" 5 "array.json:1:1:" "must be a JSON object, not an array" "$T/array.json"
doc type.json '{"name": "read", "permission": "ALLOW", "tokio_required": "yes"}'
refused "wrong type" 5 "type.json:2:" '"tokio_required" must be true or false, not a string' "$T/type.json"
doc dup.json '{"name": "read", "permission": "ALLOW", "permission": "DENY"}'
refused "duplicate key" 5 "dup.json:2:" 'duplicate key "permission"' "$T/dup.json"
doc unknown.json '{"name": "read", "permision": "ALLOW"}'
refused "unknown field" 5 "unknown.json:2:" 'did you mean "permission"?' "$T/unknown.json"
doc name.json '{"name": "opneat", "permission": "ALLOW"}'
refused "near-miss name" 3 "name.json:2:" 'openat' "$T/name.json"
doc index.json '{"name": "close", "permission": "CONDITIONAL", "conditions": {"description": "d", "argument_filter": {"arg_index": 6, "operator": "eq", "value": 1}}}'
refused "argument index out of range" 5 "index.json:2:" 'arg_index' "$T/index.json"
value big.json 18446744073709551616
refused "value above 2^64" 5 "big.json:2:" 'out of range: it does not fit in 64 bits' "$T/big.json"
value bigstr.json '"0x10000000000000000"'
refused "string value above 2^64" 5 "bigstr.json:2:" 'is not a number that fits in 64 bits' "$T/bigstr.json"
doc port.json '{"name": "connect", "permission": "CONDITIONAL", "conditions": {"description": "d", "port_restriction": {"allowed_ports": [-1]}}}'
refused "negative port" 5 "port.json:2:" 'port' "$T/port.json"
ports=$(seq -s, 1 60000)
doc ports.json "{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", \"conditions\": {\"description\": \"d\", \"port_restriction\": {\"allowed_ports\": [$ports, 5]}}}"
refused "huge array with a repeat" 5 "ports.json:2:" '5' "$T/ports.json"
python3 -c 'print("{\"a\": " + "[" * 40 + "]" * 40 + "}")' >"$T/deep.json"
refused "deep nesting" 5 "deep.json:1:" 'nesting deeper than 32 levels' "$T/deep.json"
printf '%s\n"syscalls": [%s], "metadata": {"a": "\xff"}}\n' "$HEAD" "$RULES" >"$T/utf8.json"
refused "invalid UTF-8" 5 "utf8.json:2:" 'invalid UTF-8' "$T/utf8.json"
printf '%s\n"syscalls": [%s], "metadata": {"a": "x\\u0000"}}\n' "$HEAD" "$RULES" >"$T/nul.json"
refused "NUL inside a string" 5 "nul.json:2:" 'NUL' "$T/nul.json"
# A raw NUL byte between values (fuzz_reader found the position walker
# looping on it until memory ran out; fuzz/corpus/reader keeps the input).
printf '%s\n"syscalls": [%s, 1\0, 2]}\n' "$HEAD" "$RULES" >"$T/rawnul.json"
refused "NUL between values" 5 "rawnul.json:2:" 'a rule must be an object' \
        "$T/rawnul.json"
printf '\xef\xbb\xbf' >"$T/bom.json"
doc bom.body '{"name": "read", "permission": "ALLOW"}'
cat "$T/bom.body" >>"$T/bom.json"
refused "byte-order mark" 5 "bom.json:1:1:" 'remove the byte-order mark' "$T/bom.json"

# A string holding a number: one message and one code, whatever is wrong.
for v in '" 1"' '"1 "' '"0x"' '"12abc"' '"-"'; do
        value num.json "$v"
        refused "number $v" 5 "num.json:2:" "$v is not a number that fits in 64 bits" "$T/num.json"
done

# ---- the file (spec 1: at most 1 MiB) ----
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T/large.json"
refused "1 MiB + 1 byte" 5 "large.json" 'larger than 1 MiB' "$T/large.json"
: >"$T/empty.json"
refused "empty file" 5 "empty.json" 'the file is empty' "$T/empty.json"
mkdir "$T/dir"
refused "directory" 2 "dir" 'this is a directory' "$T/dir"
refused "missing file" 3 "missing.json" 'No such file' "$T/missing.json"
mkfifo "$T/fifo"
refused "FIFO without a writer" 5 "fifo" 'the pipe is empty' "$T/fifo"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/sock"
refused "socket" 2 "sock" 'cannot open the file: No such device or address' "$T/sock"

# Changed between fstat and read (tests/helpers/changeread.c): more
# bytes, or none at all (the document vanished while it was read).
CHANGE=$B/tests/libchangeread.so
if [ -f "$CHANGE" ]; then
        doc grow.json '{"name": "read", "permission": "ALLOW"}'
        refused "file grows while read" 2 "grow.json" 'the file changed while it was read' \
                "$T/grow.json" LD_PRELOAD="$CHANGE" SW_CHANGE=grow SW_CHANGE_PATH="$T/grow.json"
        doc gone.json '{"name": "read", "permission": "ALLOW"}'
        # run reads twice (once for its cache): the second read finds it empty.
        run_cname=EPROTO refused "file vanishes while read" 2 "gone.json" 'the file changed while it was read' \
                "$T/gone.json" LD_PRELOAD="$CHANGE" SW_CHANGE=truncate SW_CHANGE_PATH="$T/gone.json"
elif ldd "$S" 2>/dev/null | grep -q libasan; then
        echo "note: sanitizer build: no LD_PRELOAD hook for the changed-file cases (the normal build runs them)"
else
        bad "no $CHANGE"
fi

# ---- read whole although fstat says size 0 ----
doc good.json '{"name": "read", "permission": "ALLOW"}'
passes "pipe by /proc/self/fd" "ok, 3 rules" <(cat "$T/good.json")
exec 7< <(cat "$T/good.json")
passes "/proc/self/fd/N of a pipe" "ok, 3 rules" /proc/self/fd/7
exec 7<&-
rm -f "$T/fifo"
mkfifo "$T/fifo"
# The writer holds the FIFO open (read-write, so opening never waits)
# before check opens it: check never meets a FIFO without a writer, which
# it would rightly call empty, and the writer never waits for a reader.
exec 8<>"$T/fifo"
{ head -c 100 "$T/good.json"; sleep 0.2; tail -c +101 "$T/good.json"; } >&8 8>&- &
exec 8>&-
passes "FIFO fed in pieces" "ok, 3 rules" "$T/fifo"
wait
# A /proc file reports size 0 and is read to its end (here: not JSON).
out=$("$S" check /proc/self/status 2>&1)
rc=$?
[ $rc = 5 ] && grep -q 'invalid JSON' <<<"$out" && ! grep -q 'empty' <<<"$out" && ok ||
        bad "/proc/self/status: exit $rc: $out"

# ---- a condition that can never hold (lint) ----
doc never.json '{"name": "close", "permission": "CONDITIONAL", "conditions": [{"description": "ok", "argument_filter": {"arg_index": 0, "operator": "eq", "value": 1, "width": 32}}, {"description": "range", "argument_filter": [{"arg_index": 0, "operator": "ge", "value": 10}, {"arg_index": 0, "operator": "le", "value": 2}]}, {"description": "two values", "argument_filter": [{"arg_index": 1, "operator": "eq", "value": 1}, {"arg_index": 1, "operator": "eq", "value": 2}]}]}'
out=$("$S" check "$T/never.json" 2>&1)
[ "$(grep -c 'this condition can never hold' <<<"$out")" = 2 ] &&
        grep -q 'never.json:2:[0-9]*: warning: this condition can never hold: no value of argument 0' <<<"$out" &&
        grep -q 'at syscalls\[2\].conditions\[1\]$' <<<"$out" &&
        grep -q 'at syscalls\[2\].conditions\[2\]$' <<<"$out" && ok ||
        bad "impossible conditions: $out"
out=$("$S" check --strict "$T/never.json" 2>&1)
[ $? = 5 ] && ok || bad "impossible condition under --strict: $out"

echo "cli_badinput: $passes passed, $fails failed"
[ $fails -eq 0 ]
