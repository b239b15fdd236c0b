#!/bin/bash
# cli_disasm.sh - `syswall disasm` against golden listings: a whitelist
# compiled as `run` loads it, and a raw program written here byte by byte.
# SW_UPDATE_GOLDEN=1 rewrites the golden files after a deliberate change.
. "$(dirname "$0")/helpers/common.sh"
G=${SW_SOURCE_DIR:?}/tests/golden

# golden NAME CMD...: the command's stdout must equal $G/NAME.
golden() {
        local name=$1
        shift
        "$@" >"$tmp/$name" 2>"$tmp/$name.err"
        local rc=$?
        [ $rc -eq 0 ] || fail "$name: exit $rc: $(cat "$tmp/$name.err")"
        if [ -n "${SW_UPDATE_GOLDEN:-}" ]; then
                cp "$tmp/$name" "$G/$name"
                return
        fi
        diff -u "$G/$name" "$tmp/$name" || fail "$name differs from the golden file"
}

# A raw program: arch x86_64, getpid allowed, anything else EPERM, other
# architectures killed.  struct sock_filter is {u16 code, u8 jt, u8 jf, u32 k}.
/usr/bin/python3 - "$tmp/tiny.bpf" <<'PY'
import struct, sys
prog = [(0x20, 0, 0, 4), (0x15, 0, 4, 0xc000003e), (0x20, 0, 0, 0),
        (0x15, 0, 1, 39), (0x06, 0, 0, 0x7fff0000), (0x06, 0, 0, 0x00050001),
        (0x06, 0, 0, 0x80000000)]
open(sys.argv[1], "wb").write(b"".join(struct.pack("<HBBI", *i) for i in prog))
PY

golden disasm.txt "$S" disasm "$G/disasm.json"
golden raw.txt "$S" disasm "$tmp/tiny.bpf"

# A truncated program (not a multiple of 8 bytes) is refused, not listed.
head -c 12 "$tmp/tiny.bpf" >"$tmp/cut.bpf"
"$S" disasm "$tmp/cut.bpf" >"$tmp/cut.out" 2>"$tmp/cut.err"
rc=$?
[ $rc -eq 5 ] || fail "truncated program: exit $rc, want 5 (EPROTO): $(cat "$tmp/cut.err")"
[ -s "$tmp/cut.out" ] && fail "truncated program: something was listed"

# A file that does not exist: ENOENT (3), said once.
"$S" disasm "$tmp/none.bpf" >/dev/null 2>"$tmp/none.err"
rc=$?
[ $rc -eq 3 ] || fail "missing file: exit $rc, want 3"
grep -qx "syswall: disasm: cannot read '$tmp/none.bpf': No such file or directory \[ENOENT\]" "$tmp/none.err" ||
        fail "missing file: message: $(cat "$tmp/none.err")"

[ $fails -eq 0 ] && echo "disasm: 2 golden listings match"
[ $fails -eq 0 ]
