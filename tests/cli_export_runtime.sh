#!/bin/bash
# cli_export_runtime.sh - `export --runtime R` adds the runtime's calls to
# a copy of the whitelist; a loss in that copy is still reported at the
# line and column the user wrote, not in the one-line text of the copy.
set -uo pipefail

. "$(dirname "$0")/helpers/common.sh"

# loss NAME ARGS... : export exits 5 and names examples/whitelist.json's
# connect condition (line 130, column 21).
loss() {
        local name=$1 rc
        shift
        (cd "$SRC" && "$S" export "$@" examples/whitelist.json) \
                >/dev/null 2>"$tmp/err"
        rc=$?
        [ "$rc" = 5 ] || fail "$name: exit $rc, want 5"
        grep -A3 "^examples/whitelist.json:130:21: error: connect:" "$tmp/err" |
                grep -qx "  at syscalls\[13\].conditions" || {
                fail "$name: the loss is not at 130:21:"
                cat "$tmp/err"
        }
}

loss "bpf" --format bpf -o "$tmp/p.bpf"
loss "bpf bwrap" --format bpf --runtime bwrap -o "$tmp/p.bpf"
loss "oci runc" --format oci --runtime runc
loss "oci crun" --format oci --runtime crun

[ "$fails" = 0 ] || exit 1
echo "cli_export_runtime: all passed"
