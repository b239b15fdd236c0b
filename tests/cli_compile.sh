#!/bin/bash
# cli_compile.sh - `syswall compile`: raw BPF that bwrap accepts, the
# pseudo-code listing, --verify-only (alone and against a raw program, an
# intact and a corrupted one), the size limit (bh-20) and usage errors.
set -uo pipefail
. "$(dirname "$0")/helpers/common.sh"
CASES=${SW_SHARED:?}/cases

# expect CODE "substring" CMD...: exit code and a fragment of the output
expect() {
        local code=$1 want=$2
        shift 2
        out=$("$@" 2>&1)
        rc=$?
        [ "$rc" -eq "$code" ] || fail "$* exited $rc, want $code: $out"
        [[ "$out" == *"$want"* ]] || fail "$* does not say '$want': $out"
}

cat >"$tmp/wl.json" <<'JSON'
{
  "schema_version": "1.0",
  "whitelist_id": "cli-compile",
  "created_at": "2026-01-15T10:00:00Z",
  "created_by": "Security Agent",
  "syscalls": [
    {"name": "exit_group", "permission": "ALLOW"},
    {"name": "getppid", "permission": "DENY", "errno": "EACCES"},
    {"name": "lseek", "permission": "CONDITIONAL", "errno": "EACCES",
     "conditions": {"description": "SEEK_CUR or SEEK_END",
                    "argument_filter": [
                      {"arg_index": 2, "operator": "ge", "value": 1,
                       "width": 32},
                      {"arg_index": 2, "operator": "le", "value": 2,
                       "width": 32}]}}
  ]
}
JSON

# raw BPF: 8 bytes an instruction, and never to a terminal
expect 0 "" "$S" compile "$tmp/wl.json" -o "$tmp/wl.bpf"
size=$(stat -c %s "$tmp/wl.bpf")
[ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ] || fail "wl.bpf has $size bytes"
expect 5 "refusing to write a raw BPF program to a terminal" \
        script -qec "$S compile $tmp/wl.json" /dev/null

# the native listing is syswall's disassembly, blocks named; libseccomp's
# shows its skeleton and syswall's argument block
expect 0 "; syswall native backend" "$S" compile "$tmp/wl.json" --format pfc
expect 0 "   3: ld   [0]                       syscall number" \
        "$S" compile "$tmp/wl.json" --format pfc
expect 0 "' CONDITIONAL: 1 condition, else ERRNO(EACCES)" \
        "$S" compile "$tmp/wl.json" --format pfc --backend native
expect 0 "# invalid architecture action" \
        "$S" compile "$tmp/wl.json" --format pfc --backend libseccomp
expect 0 "#     arg2 (32-bit) ge 0x1" \
        "$S" compile "$tmp/wl.json" --format pfc --backend libseccomp
expect 5 "compile: unknown backend 'fast' (native, libseccomp)" \
        "$S" compile "$tmp/wl.json" --format pfc --backend fast
expect 3 "the native backend does not generate code for s390x (it does for x86_64, aarch64 and riscv64); use the libseccomp backend" \
        "$S" compile "$tmp/wl.json" --verify-only --backend native --arch s390x
expect 0 "instructions for s390x (libseccomp backend), proven" \
        "$S" compile "$tmp/wl.json" --verify-only --arch s390x
# without "width" a comparison is 64 bits wide (P1.2), and check says
# what that means on an int argument
sed '/"width": 32/d; s/"value": 1,$/"value": 1},/; s/"value": 2,$/"value": 2}]}}/' \
        "$tmp/wl.json" >"$tmp/wl64.json"
expect 0 "#     arg2 (64-bit) ge 0x1" \
        "$S" compile "$tmp/wl64.json" -f pfc --backend libseccomp
expect 0 "warning: \"ge\" is compared at 64 bits, but the kernel reads lseek argument 2 as a 32-bit int" \
        "$S" check "$tmp/wl64.json"
expect 5 "error: \"ge\" is compared at 64 bits" \
        "$S" check --strict "$tmp/wl64.json"
expect 0 "action ERRNO(13);" "$S" compile "$tmp/wl.json" -f pfc --backend libseccomp
expect 0 "filter for arch aarch64" \
        "$S" compile "$tmp/wl.json" -f pfc --arch aarch64 --backend libseccomp
expect 0 "; 19 instructions, aarch64, whitelist cli-compile" \
        "$S" compile "$tmp/wl.json" -f pfc --arch aarch64

# --verify-only, alone and against raw programs
expect 0 "instructions for x86_64 (native backend), proven" \
        "$S" compile "$tmp/wl.json" --verify-only
expect 0 "instructions for x86_64 (libseccomp backend), proven" \
        "$S" compile "$tmp/wl.json" --verify-only --backend libseccomp
expect 0 "agrees with $tmp/wl.json on every input checked" \
        "$S" compile "$tmp/wl.json" --verify-only --bpf "$tmp/wl.bpf"
# swap jt and jf of the last conditional jump: in libseccomp's program
# the argument block's (the blocks come last), in the native one the
# search's (the block sits at its leaf)
"$S" compile "$tmp/wl.json" --backend libseccomp -o "$tmp/wl-lsc.bpf" 2>/dev/null
flip() {
        python3 - "$1" "$2" <<'PY'
import struct, sys
prog = bytearray(open(sys.argv[1], 'rb').read())
for off in range(len(prog) - 8, -1, -8):
    code, jt, jf, k = struct.unpack_from('<HBBI', prog, off)
    if code & 0x07 == 0x05 and code & 0xf0 != 0 and jt != jf:
        struct.pack_into('<HBBI', prog, off, code, jf, jt, k)
        break
open(sys.argv[2], 'wb').write(prog)
PY
}
flip "$tmp/wl-lsc.bpf" "$tmp/bad-lsc.bpf"
expect 7 "the compiled filter disagrees with the whitelist for lseek" \
        "$S" compile "$tmp/wl.json" --verify-only --bpf "$tmp/bad-lsc.bpf"
flip "$tmp/wl.bpf" "$tmp/bad.bpf"
expect 7 "the compiled filter disagrees with the whitelist for exit_group" \
        "$S" compile "$tmp/wl.json" --verify-only --bpf "$tmp/bad.bpf"
expect 7 "hint: the program does not do what the whitelist says: compile it again" \
        "$S" compile "$tmp/wl.json" --verify-only --bpf "$tmp/bad.bpf"
printf 'abc' >"$tmp/odd.bpf"
expect 5 "a BPF program is a multiple of 8 bytes; this one has 3" \
        "$S" compile "$tmp/wl.json" --verify-only --bpf "$tmp/odd.bpf"

# bh-20: too large, with size, limit and the costly rule
expect 5 "the filter needs 5067 BPF instructions, the kernel's limit is 4096; syscalls[13] (ioctl) costs 5027" \
        "$S" compile "$CASES/bh-20/whitelist.json" -o "$tmp/big.bpf"
expect 5 "hint: merge values into ranges" \
        "$S" compile "$CASES/bh-20/whitelist.json" -o "$tmp/big.bpf"

# ports: never exported as a program that would let any port through
expect 4 "restricts ports, which a BPF program alone cannot enforce" \
        "$S" compile "$SRC/examples/tokio-agent/whitelist.json" -o "$tmp/p.bpf"
[ -e "$tmp/p.bpf" ] && fail "a program was written for a whitelist with ports"

# usage
expect 0 "usage: syswall compile FILE" "$S" compile --help
expect 5 "unknown format 'xml'" "$S" compile "$tmp/wl.json" --format xml
expect 3 "unknown architecture 'mips'" "$S" compile "$tmp/wl.json" --arch mips
expect 5 "--bpf goes with --verify-only" "$S" compile "$tmp/wl.json" --bpf x
expect 5 "give exactly one whitelist FILE" "$S" compile

# bwrap runs a program under the raw program, as `bwrap --seccomp FD`
"$S" compile "$SRC/data/default-whitelist.json" -o "$tmp/default.bpf" 2>/dev/null ||
        fail "the default whitelist does not compile"
out=$(bwrap --ro-bind / / --proc /proc --dev /dev --seccomp 3 \
        -- /bin/echo marker 3<"$tmp/default.bpf" 2>&1)
[ "$out" = marker ] || fail "bwrap with the default filter: $out"
bwrap --ro-bind / / --proc /proc --dev /dev --seccomp 3 \
        -- /bin/sh -c 'exec 2>&-; /bin/echo ok; exit 0' 3<"$tmp/wl.bpf" \
        >/dev/null 2>&1
rc=$?
[ "$rc" -eq 159 ] || fail "bwrap under a 3-rule filter: exit $rc, want 159 (SIGSYS)"

[ "$fails" -eq 0 ] && echo "cli_compile: all passed"
exit "$fails"
