#!/bin/bash
# cli_errors.sh - every subcommand prints an error once, in one format:
# a wrong command line as "syswall: CMD: message [EPROTO]" and a "Try"
# line, a problem of the command as "syswall: CMD: message [CODE]", a
# problem at a place in a document as "FILE[:L:C]: error: message [CODE]".
# Each case checks the exit status and the whole of stderr.
. "$(dirname "$0")/helpers/common.sh"

cases=0

# err CODE EXPECTED CMD...: exit status CODE, stderr exactly EXPECTED.
err() {
        local want=$1 expected=$2 out rc
        shift 2
        cases=$((cases + 1))
        out=$("$@" 2>&1 >/dev/null </dev/null)
        rc=$?
        [ "$rc" = "$want" ] || fail "$* -> exit $rc, want $want"
        [ "$out" = "$expected" ] ||
                fail "$* -> stderr:
$out
--- want:
$expected"
}

# usage CMD ARGS... -- MESSAGE: a wrong command line of CMD.
usage() {
        local cmd=$1 args=() msg
        shift
        while [ "$1" != -- ]; do
                args+=("$1")
                shift
        done
        msg=$2
        err 5 "syswall: $cmd: $msg [EPROTO]
Try 'syswall $cmd --help'." "$S" "$cmd" "${args[@]}"
}

W=$SRC/examples/whitelist.json
NO=$tmp/missing.json
ENOENT="No such file or directory"
cd "$tmp" || exit 1
"$S" keygen -o k >/dev/null || fail "keygen"

# ---- unknown options ---------------------------------------------------
for cmd in check list learn explain compile disasm import export keygen \
        sign verify features; do
        usage "$cmd" --bogus -- "unknown option '--bogus'"
done
usage check -x "$W" -- "unknown option '-x'"
usage version --bogus -- "unexpected argument '--bogus'"
err 5 "syswall: unknown command 'bogus' [EPROTO]
Try 'syswall --help'." "$S" bogus
err 125 "syswall: run: unknown option '--bogus' [EPROTO]
Try 'syswall run --help'." "$S" run --bogus -- true

# ---- options without their value ---------------------------------------
usage check --arch -- "option '--arch' needs a value"
usage compile "$W" -o -- "option '-o' needs a value"
usage export --format -- "option '--format' needs a value"
usage import --from -- "option '--from' needs a value"
usage list "$W" --category -- "option '--category' needs a value"
usage learn --merge -- "option '--merge' needs a value"
usage sign --key -- "option '--key' needs a value"
usage verify --trust -- "option '--trust' needs a value"
usage keygen -o -- "option '-o' needs a value"
usage explain "$W" read --arch -- "option '--arch' needs a value"
usage disasm "$W" --arch -- "option '--arch' needs a value"

# ---- missing arguments -------------------------------------------------
usage check -- "no file given"
usage list -- "give exactly one FILE"
usage learn -- "no command to trace"
usage explain "$W" -- "give FILE and SYSCALL"
usage compile -- "give exactly one whitelist FILE"
usage disasm -- "give one FILE"
usage import "$W" -- "give --from oci|firecracker"
usage import --from oci -- "give exactly one FILE"
usage export "$W" -- "give --format"
usage export --format oci -- "give exactly one FILE"
usage sign "$W" -- "give --key SECRET and one FILE"
usage verify "$W" -- "give --trust PUBLIC and one FILE"
usage keygen extra -- "unexpected argument 'extra'"
err 125 "syswall: run: no command given [EPROTO]
Try 'syswall run --help'." "$S" run

# ---- wrong values ------------------------------------------------------
HINT="  hint: use x86_64, aarch64, x86, riscv64, x32, arm, ppc64le, s390x or native"
for cmd in check list compile; do
        err 3 "syswall: $cmd: unknown architecture 'vax' [ENOENT]
$HINT" "$S" "$cmd" --arch vax "$W"
done
err 3 "syswall: export: unknown architecture 'vax' [ENOENT]
$HINT" "$S" export --format oci --arch vax "$W"
err 3 "syswall: explain: unknown architecture 'vax' [ENOENT]
$HINT" "$S" explain --arch vax "$W" read
err 3 "syswall: disasm: unknown architecture 'vax' [ENOENT]
$HINT" "$S" disasm --arch vax "$W"
usage export --format xml "$W" -- "unknown format 'xml' (oci, k8s, k8s-json, bpf, c)"
usage compile --format xml "$W" -- "unknown format 'xml' (bpf, pfc)"
usage import --from seccompiler "$W" -- \
        "--from must be oci or firecracker, not 'seccompiler'"
err 3 "syswall: explain: 'nosuchcall' is no system call on x86_64 [ENOENT]" \
        "$S" explain "$W" nosuchcall

# ---- files that are not there ------------------------------------------
MISSING="$NO: error: cannot open the file: $ENOENT [ENOENT]
  hint: check the file name"
for cmd in check list compile disasm; do
        err 3 "$MISSING" "$S" "$cmd" "$NO"
done
err 3 "$MISSING" "$S" explain "$NO" read
err 3 "$MISSING" "$S" export --format oci "$NO"
err 3 "$NO: error: cannot open the file: $ENOENT [ENOENT]" \
        "$S" import --from oci "$NO"
err 3 "syswall: sign: cannot open '$NO': $ENOENT [ENOENT]" \
        "$S" sign --key k.key "$NO"
err 3 "syswall: sign: cannot open '$tmp/none.key': $ENOENT [ENOENT]" \
        "$S" sign --key "$tmp/none.key" "$W"
err 3 "syswall: verify: cannot open '$NO': $ENOENT [ENOENT]" \
        "$S" verify --trust k.pub "$NO"
err 3 "syswall: check: cannot open '$tmp/none.pub': $ENOENT [ENOENT]" \
        "$S" check --trust "$tmp/none.pub" "$W"
err 3 "syswall: disasm: cannot read '$tmp/none.bpf': $ENOENT [ENOENT]" \
        "$S" disasm "$tmp/none.bpf"
err 3 "syswall: learn: cannot read '$NO': $ENOENT [ENOENT]" \
        "$S" learn --merge "$NO" -- true
err 2 "syswall: keygen: cannot create '$tmp/no/k.key': $ENOENT [EIO]" \
        "$S" keygen -o "$tmp/no/k"
err 2 "syswall: export: cannot write '$tmp/no/x.json': $ENOENT [EIO]" \
        "$S" export --format oci -o "$tmp/no/x.json" "$SRC/tests/data/valid/minimal.json"
# run adds one line: the command did not start.
err 125 "$MISSING
syswall: run: $NO: the whitelist cannot be used, the command was not started [ENOENT]" \
        "$S" run "$NO" -- true

# ---- a document error is shown once, led by the file, never the program --
err 4 "$W: error: the whitelist is not signed, and only whitelists signed by a trusted key are accepted (a trust store is configured) [EPERM]
  hint: sign it with 'syswall sign --key SECRET FILE' after review" \
        "$S" verify --trust k.pub "$W"
out=$("$S" export --format oci "$SRC/tests/data/ports.json" 2>&1 >/dev/null)
[ "$(grep -c "OCI cannot carry a port restriction" <<<"$out")" = 1 ] ||
        fail "export: the loss is not stated exactly once: $out"
grep -q ": syswall: " <<<"$out" && fail "export: odd prefix: $out"
cases=$((cases + 1))

echo "cli_errors: $cases cases, $fails failure(s)"
[ $fails -eq 0 ]
