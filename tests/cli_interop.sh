#!/bin/bash
# cli_interop.sh - `syswall import` and `syswall export` against the real
# profiles in shared/real-inputs and the real consumers (bubblewrap, runc,
# crun).  Each check asserts the exact value.
set -uo pipefail
S=${SYSWALL:?}
SRC=${SW_SOURCE_DIR:?}
IN=${SW_SHARED:?}/real-inputs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

fail() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}

# expect WHAT ACTUAL EXPECTED
expect() {
        if [ "$2" != "$3" ]; then
                fail "$1: got '$2', want '$3'"
        fi
}

# rule FILE NAME: the rule for NAME as compact JSON
rule() {
        jq -c --arg n "$2" '.syscalls[] | select(.name == $n)' "$1"
}

# ---- import: Docker's default profile --------------------------------
M=$IN/moby-profiles-v0.2.3-default.json
$S import --from oci --arch x86_64 --kernel 6.1 -o "$T/moby.json" "$M" \
        2>"$T/moby.err"
expect "import moby rc" $? 0
expect "moby id" "$(jq -r .whitelist_id "$T/moby.json")" \
        moby-profiles-v0.2.3-default
expect "moby authority" "$(jq -r .created_by "$T/moby.json")" "Security Agent"
expect "moby schema" "$(jq -r .schema_version "$T/moby.json")" 1.0
expect "moby clone3" "$(rule "$T/moby.json" clone3)" \
        '{"name":"clone3","permission":"DENY","errno":"ENOSYS"}'
expect "moby read" "$(rule "$T/moby.json" read)" \
        '{"name":"read","permission":"ALLOW"}'
expect "moby mount (no CAP_SYS_ADMIN)" "$(rule "$T/moby.json" mount)" \
        '{"name":"mount","permission":"DENY","errno":"EPERM"}'
expect "moby socket" "$(rule "$T/moby.json" socket | jq -c '[.permission,
        .errno, [.conditions[].argument_filter[] | [.operator, .value]]]')" \
        '["CONDITIONAL","EPERM",[["lt",38],["eq",39],["gt",40]]]'
expect "moby clone" "$(rule "$T/moby.json" clone | jq -c \
        '.conditions[0].argument_filter')" \
        '[{"arg_index":0,"operator":"masked_eq","value":0,"mask":2114060288}]'
expect "moby chown32 absent on x86_64" "$(rule "$T/moby.json" chown32)" ""
grep -q "syscalls\[0\].names\[13\]: 'chown32' is no system call on x86_64: dropped \[import-absent\]" \
        "$T/moby.err" || fail "moby: chown32 drop not reported"
grep -q "warning: the profile fails with EPERM every call it does not list; P1.2 kills unlisted calls, so the 66 other calls" \
        "$T/moby.err" || fail "moby: default action not reported"
grep -q "warning: archMap: .*\[import-subarch\]" "$T/moby.err" ||
        fail "moby: foreign ABIs not reported"

# Capabilities and kernel decide which entries apply.
$S import --from oci --arch x86_64 --kernel 6.1 --caps CAP_SYS_ADMIN \
        -o "$T/moby-admin.json" "$M" 2>/dev/null
expect "moby mount with CAP_SYS_ADMIN" "$(rule "$T/moby-admin.json" mount)" \
        '{"name":"mount","permission":"ALLOW"}'
expect "moby clone with CAP_SYS_ADMIN" \
        "$(rule "$T/moby-admin.json" clone | jq -r .permission)" ALLOW
$S import --from oci --arch aarch64 --kernel 6.1 -o "$T/moby-arm.json" "$M" \
        2>/dev/null
expect "moby aarch64 arm_fadvise64_64 absent" \
        "$(rule "$T/moby-arm.json" arm_fadvise64_64)" ""
expect "moby aarch64 open absent" "$(rule "$T/moby-arm.json" open)" ""
$S import --from oci --unlisted kill --kernel 6.1 -o "$T/moby-k.json" "$M" \
        2>/dev/null
expect "moby --unlisted kill: no expansion" \
        "$(rule "$T/moby-k.json" kexec_file_load)" ""

# --strict refuses a change of meaning and writes nothing.
$S import --from oci --strict -o "$T/strict.json" "$M" 2>"$T/strict.err"
expect "strict rc" $? 5
[ ! -e "$T/strict.json" ] || fail "strict wrote a file"
grep -q "nothing written (--strict) \[EPROTO\]" "$T/strict.err" ||
        fail "strict: no message"

# Podman's profile: ENOSYS default, EINVAL for audit sockets without the cap.
P=$IN/containers-common-seccomp.json
$S import --from oci --caps none --kernel 6.1 -o "$T/podman.json" "$P" \
        2>"$T/podman.err"
expect "podman rc" $? 0
expect "podman socket" "$(rule "$T/podman.json" socket | jq -c '[.permission,
        .errno, [.conditions[].argument_filter[] | [.arg_index, .operator,
        .value]]]')" \
        '["CONDITIONAL","EINVAL",[[2,"ne",9],[0,"ne",16],[2,"ne",9]]]'
expect "podman unlisted" "$(rule "$T/podman.json" create_module)" \
        '{"name":"create_module","permission":"DENY","errno":"ENOSYS"}'
grep -q "defaultErrno: defaultErrno is no OCI field" "$T/podman.err" ||
        fail "podman: defaultErrno not reported"

# Old schema (one "name" per rule), default errno without errnoRet.
$S import --from oci -o "$T/chrome.json" "$IN/jessfraz-dotfiles-chrome.json" \
        2>/dev/null
expect "chrome rc" $? 0
expect "chrome accept" "$(rule "$T/chrome.json" accept)" \
        '{"name":"accept","permission":"ALLOW"}'

# Same index twice: imported as runc and crun enforce it (OR).
D=$SRC/tests/data/oci-same-index.json
$S import --from oci --arch x86_64 -o "$T/same.json" "$D" 2>"$T/same.err"
expect "same-index rc" $? 0
# whence >= 1 OR whence <= 2 holds for every value: the call is allowed.
expect "same-index lseek" "$(rule "$T/same.json" lseek)" \
        '{"name":"lseek","permission":"ALLOW"}'
grep -q "syscalls\[1\]: two args compare the same index" "$T/same.err" ||
        fail "same-index not reported"
expect "trap -> kill (left out)" "$(rule "$T/same.json" kill)" ""
grep -q "syscalls\[2\]: SCMP_ACT_TRAP sends a catchable SIGSYS" "$T/same.err" ||
        fail "trap not reported"
expect "log -> allow" "$(rule "$T/same.json" getpid | jq -r .permission)" ALLOW
expect "errnoRet 13" "$(rule "$T/same.json" open | jq -r .errno)" EACCES
grep -q "names\[0\]: 'recv' is no system call on x86_64" "$T/same.err" ||
        fail "recv absence not reported"

# ---- import: Firecracker ---------------------------------------------
F=$IN/firecracker-x86_64-unknown-linux-musl.json
$S import --from firecracker --arch x86_64 --thread vcpu -o "$T/vcpu.json" \
        "$F" 2>"$T/vcpu.err"
expect "fc vcpu rc" $? 0
expect "fc vcpu id" "$(jq -r .whitelist_id "$T/vcpu.json")" \
        firecracker-x86_64-unknown-linux-musl.vcpu
expect "fc vcpu futex" "$(rule "$T/vcpu.json" futex | jq -c \
        '[.permission, .errno, .conditions[0].argument_filter]')" \
        '["CONDITIONAL","EPERM",[{"arg_index":1,"operator":"eq","value":0,"width":32}]]'
grep -q "vcpu.filter\[[0-9]*\]: futex: arguments outside the conditions are killed; P1.2 cannot kill for a conditional rule, they now fail with EPERM \[import-kill-to-errno\]" \
        "$T/vcpu.err" || fail "fc: kill->errno not reported"
$S import --from firecracker -o "$T/fc.json" "$F" 2>/dev/null
expect "fc all threads" "$(ls "$T" | grep -c '^fc\.\(vmm\|api\|vcpu\)\.json$')" 3
$S import --from firecracker "$F" >/dev/null 2>"$T/fc.err"
expect "fc several threads to stdout rc" $? 5
$S import --from firecracker --thread nope "$F" >/dev/null 2>&1
expect "fc unknown thread rc" $? 3
$S import --from firecracker --thread api -o "$T/unimpl.json" \
        "$IN/firecracker-unimplemented.json" 2>/dev/null
expect "fc allow-all expands" \
        "$(jq '[.syscalls[] | select(.permission == "ALLOW")] | length > 300' \
        "$T/unimpl.json")" true

# Bad input is refused with the path.
echo '{"defaultAction": "SCMP_ACT_BOGUS", "syscalls": []}' >"$T/bad.json"
$S import --from oci "$T/bad.json" >/dev/null 2>"$T/bad.err"
expect "bad action rc" $? 5
grep -q "unknown or missing defaultAction" "$T/bad.err" ||
        fail "bad action message"

if [ "$fails" -ne 0 ]; then
        echo "$fails failures"
        exit 1
fi
echo "all interop checks passed"
