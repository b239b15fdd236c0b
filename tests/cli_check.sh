#!/bin/bash
# cli_check.sh - `syswall check` and `syswall list`: golden files for the
# text and JSON diagnostics, exit codes for each class of bad input, the
# failure cases bh-01/03/04/08/09/10/12/13/20/25/28, and the real profiles of others
# (refused cleanly with the import hint).
#
# UPDATE_GOLDEN=1 rewrites tests/golden/check/ from the current output.
set -uo pipefail

. "$(dirname "$0")/helpers/common.sh"
SHARED=${SW_SHARED:-$SRC/../shared}
DATA=$SRC/tests/data/check
GOLD=$SRC/tests/golden/check

# golden NAME DIR RC ARGS... : run check in DIR, compare stdout+stderr
# with $GOLD/NAME and the exit status with RC.
golden() {
        local name=$1 dir=$2 want=$3 rc
        shift 3
        (cd "$dir" && "$S" "$@") >"$tmp/out" 2>&1
        rc=$?
        [ "$rc" = "$want" ] || fail "$name: exit $rc, want $want"
        if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
                cp "$tmp/out" "$GOLD/$name"
        elif ! diff -u "$GOLD/$name" "$tmp/out"; then
                fail "$name: output differs from $GOLD/$name"
        fi
}

# expect NAME RC PATTERN CMD... : exit status and a line of output.
expect() {
        local name=$1 want=$2 pat=$3 rc
        shift 3
        timeout 20 "$@" >"$tmp/out" 2>&1
        rc=$?
        [ "$rc" = "$want" ] || fail "$name: exit $rc, want $want"
        grep -qF -- "$pat" "$tmp/out" ||
                { fail "$name: no '$pat' in:"; cat "$tmp/out"; }
}

# ---- golden files: our own inputs ----
golden ok.txt "$DATA" 0 check ok.json
golden mixed.txt "$DATA" 5 check mixed.json
golden mixed.jsonl "$DATA" 5 check --json mixed.json
golden lint.txt "$DATA" 0 check lint.json
golden lint-strict.jsonl "$DATA" 5 check --strict --json lint.json
golden minified.txt "$DATA" 5 check minified.json
golden bad-utf8.txt "$DATA" 5 check bad-utf8.json
golden big-int.txt "$DATA" 5 check big-int.json
golden syntax.txt "$DATA" 5 check syntax.json
golden list.txt "$DATA" 0 list ok.json
golden list-network.txt "$DATA" 0 list --category network ok.json
golden list-tokio-aarch64.txt "$DATA" 0 list --tokio --arch aarch64 ok.json

golden brief-sample.txt "$SRC/tests/data" 0 check brief-sample.json
for pat in 'brief-sample.json:51:14: warning: "recv" is not a system call' \
        'brief-sample.json:52:14: warning: "send" is not a system call' \
        'brief-sample.json:29:9: warning: socket carries no address'; do
        expect "brief sample $pat" 0 "$pat" \
                "$S" check "$SRC/tests/data/brief-sample.json"
done

# ---- golden files: the failure cases ----
C=$SHARED/cases
golden bh-01.txt "$C/bh-01" 0 check whitelist.json
golden bh-01-enosys.txt "$C/bh-01" 0 check whitelist-enosys.json
golden bh-01-strict.txt "$C/bh-01" 5 check --strict whitelist.json
golden bh-03.txt "$C/bh-03" 0 check whitelist.json
golden bh-03-enosys.txt "$C/bh-03" 0 check whitelist-deny-enosys.json
golden bh-09.txt "$C/bh-09" 5 check whitelist.json
golden bh-09.jsonl "$C/bh-09" 5 check --json whitelist.json
golden bh-10.txt "$C/bh-10" 5 check whitelist.json
golden bh-10-oci.txt "$C/bh-10" 5 check whitelist-names-singular.json
golden bh-12.txt "$C/bh-12" 3 check whitelist.json
golden bh-13.txt "$C/bh-13" 0 check --arch x86_64 whitelist.json
golden bh-13-strict.txt "$C/bh-13" 5 check --strict --arch x86_64 \
        whitelist.json
golden bh-13-aarch64.txt "$C/bh-13" 0 check --arch aarch64 \
        whitelist-aarch64.json
golden bh-28.txt "$C/bh-28" 0 check whitelist.json
golden bh-04-width64.txt "$C/bh-04" 0 check whitelist-width64.json
golden bh-08-bad-numbers.txt "$C/bh-08" 5 check whitelist-bad-numbers.json

# The cases' own assertions, independent of the golden text.
expect "bh-01 warns" 0 'hint: write "errno": "ENOSYS"' \
        "$S" check "$C/bh-01/whitelist.json"
if "$S" check "$C/bh-01/whitelist-enosys.json" 2>&1 | grep -q clone3; then
        fail "bh-01: the ENOSYS variant must not warn about clone3"
fi
expect "bh-03 rseq" 0 "rseq is not listed" "$S" check "$C/bh-03/whitelist.json"
expect "bh-04 width" 0 'whitelist-width64.json:97:22: warning: negative value -100 is compared at 64 bits (0xffffffffffffff9c), but the kernel reads openat argument 0 as a 32-bit int' \
        "$S" check "$C/bh-04/whitelist-width64.json"
expect "bh-04 width hint" 0 'hint: write "width": 32' \
        "$S" check "$C/bh-04/whitelist-width64.json"
expect "bh-04 width strict" 5 'error: negative value -100 is compared at 64 bits' \
        "$S" check --strict "$C/bh-04/whitelist-width64.json"
if "$S" check "$C/bh-04/whitelist.json" 2>&1 | grep -q 'compared at 64 bits'; then
        fail "bh-04: \"width\": 32 must not warn"
fi
# bh-08: every bad number in one pass, though two break jansson's 64 bits
n=$("$S" check "$C/bh-08/whitelist-bad-numbers.json" 2>&1 | grep -c ': error: ')
[ "$n" = 10 ] || fail "bh-08: $n errors, want 10 (a to j)"
expect "bh-08 2^64-1" 5 'whitelist-bad-numbers.json:10:71: error: integer 18446744073709551615 is above 2^63-1' \
        "$S" check "$C/bh-08/whitelist-bad-numbers.json"
expect "bh-08 arg_index" 5 'whitelist-bad-numbers.json:28:41: error: arg_index must be 0 to 5, not 6' \
        "$S" check "$C/bh-08/whitelist-bad-numbers.json"
# bh-25: a port restriction on connect refuses AF_UNIX; check says so
expect "bh-25 families" 0 'whitelist.json:189:31: note: AF_UNIX and other families without ports will be refused by this connect rule' \
        "$S" check "$C/bh-25/whitelist.json"
expect "bh-25 hint" 0 'hint: if the program talks to local services, add "allowed_families": ["AF_UNIX"]' \
        "$S" check "$C/bh-25/whitelist.json"
# bh-20: what only the compiler finds fails check too
expect "bh-20 too large" 5 "whitelist.json:1:736: error: the filter needs 5067 BPF instructions, the kernel's limit is 4096; syscalls[13] (ioctl) costs 5027 [EPROTO]" \
        "$S" check "$C/bh-20/whitelist.json"
expect "bh-20 summary" 5 "whitelist.json: 1 error" \
        "$S" check "$C/bh-20/whitelist.json"
expect "bh-20 json" 5 '"check":"compile","path":"syscalls[13]"' \
        "$S" check --json "$C/bh-20/whitelist.json"
expect "bh-28 execve" 0 'execve is not allowed, so `syswall run` cannot' \
        "$S" check "$C/bh-28/whitelist.json"
for pat in "at syscalls[2].permission" "at syscalls[3].name" \
        "at syscalls[4].conditions.argument_filter.mask" "at created_by" \
        "whitelist.json:16:3: error: duplicate key"; do
        expect "bh-09 $pat" 5 "$pat" "$S" check "$C/bh-09/whitelist.json"
done
for pat in 'did you mean "syscalls"?' 'write "ALLOW"' \
        'did you mean "permission"?' 'did you mean "conditions"?' \
        'write "eq"' 'did you mean "arg_index"?' 'did you mean "width"?' \
        'write "network"' 'did you mean "port_restriction"?' \
        'write "EACCES"' 'missing required field "syscalls"'; do
        expect "bh-10 $pat" 5 "$pat" "$S" check "$C/bh-10/whitelist.json"
done
for pat in 'unknown field "defaultAction"' 'unknown field "names"' \
        'unknown field "action"' 'missing required field "name"' \
        'missing required field "permission"' 'syswall import --from oci'; do
        expect "bh-10 OCI $pat" 5 "$pat" \
                "$S" check "$C/bh-10/whitelist-names-singular.json"
done
for name in recvfrom sendto newfstatat clock_gettime; do
        expect "bh-13 $name" 0 "list \"$name\" instead" \
                "$S" check --arch x86_64 "$C/bh-13/whitelist.json"
done
n=$("$S" check --arch x86_64 "$C/bh-13/whitelist.json" 2>&1 | grep -c ': warning: ')
[ "$n" = 4 ] || fail "bh-13: $n warnings, want 4"
for pat in '"openat"' '"newfstatat"' '"epoll_pwait"' '"readlinkat"' \
        'nothing replaces arch_prctl on aarch64'; do
        expect "bh-13 aarch64 $pat" 0 "$pat" \
                "$S" check --arch aarch64 "$C/bh-13/whitelist-aarch64.json"
done

# ---- standard input ----
"$S" check - <"$DATA/mixed.json" >"$tmp/out" 2>&1
rc=$?
[ "$rc" = 5 ] || fail "stdin: exit $rc, want 5"
grep -qF '<stdin>:15:50: error: unknown constant "TIOCGWINSZZ"' "$tmp/out" ||
        fail "stdin: no position"
"$S" check - <"$DATA/ok.json" >"$tmp/out" 2>&1 || fail "stdin: ok.json refused"

# ---- bad input, one class at a time ----
expect "no file" 5 "no file given" "$S" check
expect "missing file" 3 "cannot open the file: No such file" \
        "$S" check "$tmp/nothere.json"
expect "directory" 2 "is a directory" "$S" check "$tmp"
mkfifo "$tmp/fifo"
expect "fifo" 5 "the pipe is empty" "$S" check "$tmp/fifo"
: >"$tmp/empty.json"
expect "empty" 5 "the file is empty" "$S" check "$tmp/empty.json"
head -c 1048577 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
expect "too large" 5 "larger than 1 MiB" "$S" check "$tmp/big.json"
expect "unknown option" 5 "Try 'syswall check --help'." "$S" check --bogus "$DATA/ok.json"
expect "unknown arch" 3 "unknown architecture 'sparc'" \
        "$S" check --arch sparc "$DATA/ok.json"
expect "help" 0 "usage: syswall check" "$S" check --help

# -q prints errors only: no notes, warnings or summary, the same status.
"$S" check -q "$DATA/lint.json" >"$tmp/q.out" 2>"$tmp/q.err"
[ $? = 0 ] || fail "-q lint: exit status"
[ -s "$tmp/q.out" ] || [ -s "$tmp/q.err" ] && fail "-q lint: printed $(cat "$tmp/q.err")"
"$S" check "$DATA/lint.json" >"$tmp/all.out" 2>&1
grep -q ": warning: " "$tmp/all.out" ||
        fail "lint.json has no warning to leave out"
"$S" check -q "$DATA/mixed.json" >"$tmp/q.out" 2>"$tmp/q.err"
[ $? = 5 ] || fail "-q mixed: exit status"
[ -s "$tmp/q.out" ] && fail "-q mixed: a summary on stdout"
[ "$(grep -cE '^[^ ].*: error: ' "$tmp/q.err")" = 6 ] ||
        fail "-q mixed: not the 6 errors: $(cat "$tmp/q.err")"
grep -qE ': (warning|note): ' "$tmp/q.err" && fail "-q mixed: not errors only"
"$S" check "$DATA/mixed.json" >"$tmp/all.out" 2>&1
grep -q ": warning: " "$tmp/all.out" ||
        fail "mixed.json has no warning to leave out"
expect "list help" 0 "usage: syswall list" "$S" list --help
expect "list category" 5 "did you mean 'network'?" \
        "$S" list --category net "$DATA/ok.json"
expect "authority" 4 'not the policy authority "Ops"' \
        "$S" check --authority Ops "$DATA/ok.json"
expect "first failing file decides" 3 "ok, 8 rules" \
        "$S" check "$DATA/ok.json" "$C/bh-12/whitelist.json" \
        "$DATA/mixed.json"

# ---- colour: only on a terminal, never with NO_COLOR ----
if "$S" check "$DATA/mixed.json" 2>&1 | grep -q $'\033'; then
        fail "colour codes in piped output"
fi
env -u NO_COLOR script -qec "$S check $DATA/mixed.json" /dev/null \
        >"$tmp/tty" 2>&1
grep -q $'\033\\[1;31m' "$tmp/tty" || fail "no colour on a terminal"
script -qec "$S check $DATA/mixed.json" /dev/null >"$tmp/tty" 2>&1
if grep -q $'\033' "$tmp/tty"; then
        fail "colour on a terminal despite NO_COLOR"
fi

# ---- every JSON line is one object with the documented fields ----
"$S" check --json "$DATA/mixed.json" >"$tmp/json" 2>/dev/null
python3 - "$tmp/json" <<'EOF' || fail "JSON diagnostics"
import json, sys
keys = ["file", "line", "column", "severity", "code", "code_value",
        "check", "path", "message", "hint"]
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 7, len(lines)
for l in lines:
    d = json.loads(l)
    assert list(d) == keys, list(d)
    assert d["severity"] in ("error", "warning", "note")
EOF

# ---- real profiles written for other tools: refused, never crashed ----
for f in "$SHARED"/real-inputs/*; do
        "$S" check "$f" >"$tmp/out" 2>&1
        rc=$?
        [ "$rc" = 5 ] || fail "$(basename "$f"): exit $rc, want 5"
        case "$f" in
        *.json)
                grep -q "hint: import it: syswall import --from" "$tmp/out" ||
                        fail "$(basename "$f"): no import hint"
                ;;
        esac
done

if [ "$fails" -gt 0 ]; then
        echo "cli_check: $fails failure(s)"
        exit 1
fi
echo "cli_check: all passed"
