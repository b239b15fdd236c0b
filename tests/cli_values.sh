#!/bin/bash
# cli_values.sh - one number grammar for argument values, alone or inside
# a constant expression: decimal, negative decimal or 0x hex.  A leading 0
# is never octal ("010" and "O_RDONLY|010" are both ten), leading zeros of
# a hex number do not count against its 16 digits, and "+1" is no number.
set -uo pipefail

. "$(dirname "$0")/helpers/common.sh"

# doc VALUE : a whitelist whose lseek rule compares argument 1 with VALUE.
doc() {
        cat <<JSON
{"schema_version": "1.0", "whitelist_id": "t.values",
 "created_at": "2026-01-01T00:00:00Z", "created_by": "Security Agent",
 "syscalls": [
  {"name": "execve", "permission": "ALLOW"},
  {"name": "exit_group", "permission": "ALLOW"},
  {"name": "rseq", "permission": "ALLOW"},
  {"name": "set_robust_list", "permission": "ALLOW"},
  {"name": "lseek", "permission": "CONDITIONAL", "conditions":
   {"description": "d", "argument_filter":
    {"arg_index": 1, "operator": "eq", "value": $1}}}]}
JSON
}

# value VALUE RC WANT : `list` exits RC and prints WANT for the rule or
# the error.
value() {
        local rc
        doc "$1" >"$tmp/v.json"
        "$S" list "$tmp/v.json" >"$tmp/out" 2>&1
        rc=$?
        [ "$rc" = "$2" ] || fail "$1: exit $rc, want $2"
        grep -qF -- "$3" "$tmp/out" || {
                fail "$1: no '$3' in:"
                cat "$tmp/out"
        }
}

value '"010"' 0 "(arg1 eq 0xa)"
value '"O_RDONLY|010"' 0 "(arg1 eq 0xa)"
value '"O_RDONLY|0755"' 0 "(arg1 eq 0x2f3)"
value '"0|0x10"' 0 "(arg1 eq 0x10)"
value '"0x00000000000000000001"' 0 "(arg1 eq 0x1)"
value '"0x0000000000000000000"' 0 "(arg1 eq 0x0)"
value '"0x10000000000000000"' 5 \
        '"0x10000000000000000" is not a number that fits in 64 bits'
value '"0x0x1"' 5 '"0x0x1" is not a number that fits in 64 bits'
value '"+1"' 3 'unknown constant "+1" in value'
value '"O_RDONLY|+1"' 3 'unknown constant "+1" in value'
value '"1|0x"' 3 'unknown constant "0x" in value'
value '"1|0x-1"' 3 'unknown constant "0x-1" in value'

[ "$fails" = 0 ] || exit 1
echo "cli_values: all passed"
