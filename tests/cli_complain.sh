#!/bin/bash
# cli_complain.sh - `syswall run --complain`: a whitelist with one call
# missing (or denied) lets the program complete and reports exactly that
# call; --suggest writes it as a whitelist `check` accepts.  The failure
# cases bh-01 (clone3 EPERM), bh-03 (rseq not listed) and bh-29 (node's
# epoll_pwait) are calibrated the same way.
. "$(dirname "$0")/helpers/common.sh"
PY=/usr/bin/python3
SRC=${SW_SOURCE_DIR:?}
C=${SW_SHARED:?}/cases
cd "$tmp" || exit 1

printf 'pear\napple\nfig\n' >fruit.txt
gcc -O2 -pthread -o learn_prog "$SRC/tests/progs/learn_prog.c" || exit 1
for c in bh-01 bh-03; do
        gcc -static -O2 -pthread -o "$c" "$C/$c/prog.c" || exit 1
done

# without FILE NAME OUT: FILE's whitelist with rule NAME taken out.
without() {
        "$PY" - "$1" "$2" "$3" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["syscalls"] = [r for r in doc["syscalls"] if r["name"] != sys.argv[2]]
json.dump(doc, open(sys.argv[3], "w"), indent=1)
EOF
}

# reported ERR: the calls named in the summary, "name:ACTION" sorted.
reported() {
        sed -n '/^syswall: complain: [0-9]* calls\{0,1\} the whitelist would refuse/,$p' "$1" |
                awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $2 ":" $3 }' | sort | tr '\n' ' '
}

# complain NAME EXPECT_RC WL CMD...: run in complain mode, check the rc.
complain() {
        local name=$1 want=$2 wl=$3
        shift 3
        "$S" run --complain "$wl" -- "$@" >"$name.out" 2>"$name.err"
        local rc=$?
        [ $rc -eq "$want" ] || fail "$name: complain exit $rc, want $want: $(grep '^syswall' "$name.err")"
}

# 1. cat without fadvise64: enforcing kills, complain reports it alone.
"$S" learn -q -o cat.json -- cat fruit.txt >cat.learned 2>/dev/null || fail "learn cat"
without cat.json fadvise64 cut.json
"$S" run cut.json -- cat fruit.txt >cat.enforced 2>/dev/null
rc=$?
[ $rc -eq 159 ] || fail "cat without fadvise64, enforcing: exit $rc, want 159"
"$S" run --complain --suggest sug.json cut.json -- cat fruit.txt >cat.out 2>cat.err
rc=$?
[ $rc -eq 0 ] || fail "cat, complain: exit $rc, want 0"
cmp -s cat.out cat.learned || fail "cat, complain: output differs"
grep -q '^syswall: complain: calls the whitelist would refuse are allowed and reported; this run is not sandboxed$' cat.err ||
        fail "cat, complain: no banner"
[ "$(grep -c 'would be refused' cat.err)" -eq 1 ] || fail "cat: want one report line: $(grep complain cat.err)"
grep -Eq '^syswall: complain: pid [0-9]+: fadvise64\(0x[0-9a-f]+, 0x0, 0x0, 0x2, 0x0, 0x0\) would be refused: KILL_PROCESS; allowed$' cat.err ||
        fail "cat: report line: $(grep 'would be' cat.err)"
grep -q '^syswall: complain: 1 call the whitelist would refuse, allowed in this run:$' cat.err ||
        fail "cat: summary header"
[ "$(reported cat.err)" = "fadvise64:KILL_PROCESS " ] || fail "cat: summary: '$(reported cat.err)'"
grep -qx "syswall: complain: the additions are in 'sug.json'" cat.err || fail "cat: --suggest not confirmed"
"$S" check sug.json >/dev/null 2>&1 || fail "cat: the suggestion does not pass check"
"$PY" -c 'import json,sys; d=json.load(open("sug.json")); sys.exit([r["name"] for r in d["syscalls"]] != ["fadvise64"])' ||
        fail "cat: suggestion is not exactly fadvise64: $(cat sug.json)"

# 2. A threaded program without rseq: every thread's registration is
#    reported, the program completes with its output.
"$S" learn -q -o threads.json -- ./learn_prog threads >/dev/null 2>&1 || fail "learn threads"
without threads.json rseq threads-cut.json
complain threads 0 threads-cut.json ./learn_prog threads
grep -qx 'sum 4999950000' threads.out || fail "threads: output: $(cat threads.out)"
# learn denies clone3 with ENOSYS (docs/learn.md); complain reports that
# too, and lets it through.
[ "$(reported threads.err)" = "clone3:ERRNO(ENOSYS) rseq:KILL_PROCESS " ] || fail "threads: summary: '$(reported threads.err)'"
grep -Eq '^ +5  rseq ' threads.err || fail "threads: want rseq counted 5 times (main + 4 workers)"

# 3. Forked children are covered: the shell's wait4.
"$S" learn -q -o sh.json -- sh -c 'cat fruit.txt | wc -l' >/dev/null 2>&1 || fail "learn sh"
without sh.json wait4 sh-cut.json
complain sh 0 sh-cut.json sh -c 'cat fruit.txt | wc -l'
grep -qx '3' sh.out || fail "sh: output: $(cat sh.out)"
[ "$(reported sh.err)" = "wait4:KILL_PROCESS " ] || fail "sh: summary: '$(reported sh.err)'"

# 4. bh-01: clone3 denied with EPERM would break pthread_create; complain
#    mode says so, and lets the thread start.
complain bh-01 0 "$C/bh-01/whitelist.json" ./bh-01
grep -qx 'thread created and joined' bh-01.out || fail "bh-01: output: $(cat bh-01.out)"
[ "$(reported bh-01.err)" = "clone3:ERRNO(EPERM) " ] || fail "bh-01: summary: '$(reported bh-01.err)'"

# 5. bh-03: rseq not listed kills at startup; complain mode names it.
complain bh-03 0 "$C/bh-03/whitelist.json" ./bh-03
grep -qx 'thread created and joined' bh-03.out || fail "bh-03: output: $(cat bh-03.out)"
[ "$(reported bh-03.err)" = "rseq:KILL_PROCESS " ] || fail "bh-03: summary: '$(reported bh-03.err)'"

# 6. bh-29: node's event loop polls with epoll_pwait, which the whitelist
#    lacks.  (node may also yield, by timing alone; nothing else.)
complain bh-29 0 "$C/bh-29/whitelist.json" node -e 'setTimeout(() => console.log("ok"), 10)'
grep -qx ok bh-29.out || fail "bh-29: output: $(cat bh-29.out)"
got=$(reported bh-29.err)
[ "${got/sched_yield:KILL_PROCESS /}" = "epoll_pwait:KILL_PROCESS " ] || fail "bh-29: summary: '$got'"

# 7. Nothing missing: said so.
complain full 0 cat.json cat fruit.txt
grep -qx 'syswall: complain: no call was refused; the whitelist covers this run' full.err ||
        fail "full: $(grep complain full.err)"

# 8. --suggest needs --complain.
"$S" run --suggest x.json cat.json -- cat fruit.txt >/dev/null 2>usage.err
rc=$?
[ $rc -eq 125 ] || fail "--suggest alone: exit $rc, want 125"
grep -q '^syswall: run: --suggest needs --complain \[EPROTO\]$' usage.err || fail "--suggest alone: $(cat usage.err)"

[ $fails -eq 0 ] && echo "complain: every missing call reported, alone"
[ $fails -eq 0 ]
