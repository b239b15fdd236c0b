#!/bin/bash
# cli_run_cases.sh - the `run` half of the public failure cases in
# $SW_SHARED/cases (bh-01, 03, 09, 12, 14, 16, 20, 28): each asserts the
# value the case's expected.md asks for.  Inputs are read from the case
# folders; the programs are built static into a temporary directory.
set -u
S=${SYSWALL:?}
C=${SW_SHARED:?}/cases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

if [ ! -d "$C" ]; then
        echo "FAIL: $C not found: the cases live in shared/ beside the project"
        exit 1
fi

. "$(dirname "$0")/helpers/run_expect.sh"

# never NAME FRAGMENT: neither output of the last command holds FRAGMENT.
never() {
        if grep -qF -- "$2" "$tmp/out" "$tmp/err"; then
                echo "FAIL: $1: output has '$2'"
                fail=1
        fi
}

build() { # CASE: build $C/CASE/prog.c static into $tmp/CASE
        gcc -static -O2 -pthread -o "$tmp/$1" "$C/$1/prog.c" || {
                echo "FAIL: cannot build $1/prog.c"
                exit 1
        }
}

marker=(/usr/bin/touch "$tmp/ran")
not_started() {
        if [ -e "$tmp/ran" ]; then
                echo "FAIL: $1: the command ran although the run was refused"
                rm -f "$tmp/ran"
                fail=1
        fi
}

# bh-01: clone3 denied with EPERM is final for glibc; ENOSYS falls back.
build bh-01
expect "bh-01 EPERM" 1 "pthread_create failed: Operation not permitted" "" \
        -- "$S" run "$C/bh-01/whitelist.json" -- "$tmp/bh-01"
expect "bh-01 ENOSYS" 0 "thread created and joined" "" \
        -- "$S" run "$C/bh-01/whitelist-enosys.json" -- "$tmp/bh-01"

# bh-03: rseq not listed kills at startup, and the report names it.
build bh-03
expect "bh-03 rseq not listed" 159 "" \
        "the command was killed by SIGSYS: the whitelist does not allow rseq (system call 334 on x86_64)" \
        -- "$S" run "$C/bh-03/whitelist.json" -- "$tmp/bh-03"
expect "bh-03 rseq DENY ENOSYS" 0 "thread created and joined" "" \
        -- "$S" run "$C/bh-03/whitelist-deny-enosys.json" -- "$tmp/bh-03"

# bh-09: duplicate keys refuse the document; nothing starts.
expect "bh-09 duplicate keys" 125 "" \
        "the whitelist cannot be used, the command was not started [EPROTO]" \
        -- "$S" run "$C/bh-09/whitelist.json" -- "${marker[@]}"
not_started "bh-09"

# bh-12: names that are no system call anywhere refuse the document.
expect "bh-12 unknown names" 125 "" \
        "the whitelist cannot be used, the command was not started [" \
        -- "$S" run "$C/bh-12/whitelist.json" -- "${marker[@]}"
not_started "bh-12"

# bh-14: an x32 call (bit 30) is killed, never answered.
build bh-14
expect "bh-14 x32 call" 159 "native getpid:" \
        "it made an x32 system call, number 0x40000027" \
        -- "$S" run "$C/bh-14/whitelist.json" -- "$tmp/bh-14"
never "bh-14" "WRONG"

# bh-16: an int 0x80 call in a side thread kills the whole process.
build bh-16
expect "bh-16 i386 call in a thread" 159 "" \
        "it made an i386 system call (int 0x80), getpid (i386 number 20)" \
        -- "$S" run "$C/bh-16/whitelist.json" -- "$tmp/bh-16"
never "bh-16" "WRONG"

# bh-20: a filter over 4096 instructions is refused before anything starts.
expect "bh-20 filter too large" 125 "" "4096" \
        -- "$S" run "$C/bh-20/whitelist.json" -- "${marker[@]}"
not_started "bh-20"

# bh-28: without execve no command can start: refused up front, said why.
printf '#include <stdio.h>\nint main(void){puts("hello");return 0;}\n' \
        >"$tmp/hello.c"
gcc -static -O2 -o "$tmp/hello" "$tmp/hello.c" || exit 1
expect "bh-28 no execve" 125 "" \
        "the whitelist does not allow execve, so no command can start" \
        -- "$S" run "$C/bh-28/whitelist.json" -- "$tmp/hello"
never "bh-28" "hello"
/usr/bin/python3 - "$C/bh-28/whitelist.json" "$tmp/bh-28-execve.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["syscalls"].insert(0, {"name": "execve", "permission": "ALLOW",
                           "category": "process"})
json.dump(doc, open(sys.argv[2], "w"), indent=2)
EOF
expect "bh-28 with execve added" 0 "hello" "" \
        -- "$S" run "$tmp/bh-28-execve.json" -- "$tmp/hello"

[ $fail -eq 0 ] && echo "run cases: $count checks passed"
exit $fail
